// Admission (toelating) in Open House: the region opens entry windows per product group × municipality, closes a
// group where supply suffices, and reviews applications against its checklist; a provider applies while a window is
// open and shows its evidence per requirement; a municipality reads the applications for its municipality.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, defaultYear, type Me, type RegionDetail } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';

interface Ref {
  code: string;
  name: string;
}
interface AdmissionInfo {
  windows: { id: number; segment: Ref; municipality: Ref | null; opensOn: string; closesOn: string; open: boolean; note: string }[];
  closures: { segment: Ref; municipality: Ref; closedOn: string; reason: string }[];
  requirements: { code: string; label: string; expires: boolean }[];
}
interface Application {
  id: number;
  provider: { id: number; name: string };
  segment: Ref;
  municipality: Ref;
  status: string;
  submittedOn: string;
  decidedOn: string | null;
  decidedBy: string | null;
  reason: string;
  contractId: number | null;
}
interface ApplicationDetail extends Application {
  checklist: {
    code: string;
    label: string;
    expires: boolean;
    expired: boolean;
    expiresSoon: boolean;
    evidence: { description: string; validUntil: string | null; addedAt: string; addedBy: string; document: EvidenceDocument | null } | null;
  }[];
  missing: { requirement: string; detail: string }[];
  events: { at: string; by: string; from: string | null; to: string; note: string }[];
}
interface EvidenceDocument {
  id: number;
  fileName: string;
  mediaType: string;
  bytes: number;
  sha256: string;
  uploadedAt: string;
  uploadedBy: string;
}
/** The file types a dossier takes (src/providers/files.ts): the server reads the type from the content. */
export const DOCUMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.ods,application/pdf,image/png,image/jpeg';
export const formatBytes = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB` : `${Math.max(1, Math.round(n / 1024))} kB`;
const STATUS: Record<string, string> = {
  ingediend: 'Ingediend',
  in_behandeling: 'In behandeling',
  aanvullen: 'Aanvullen',
  toegelaten: 'Toegelaten',
  afgewezen: 'Afgewezen',
};
const input = 'utrecht-textbox utrecht-textbox--html-input';
const errorText = (e: unknown) => (e instanceof ApiError && e.fields.length > 1 ? `${e.message}` : e instanceof Error ? e.message : 'Mislukt');

export function AdmissionPanel({ regionId, me }: { regionId: string; me: Me }) {
  const info = useQuery({ queryKey: ['admission', regionId], queryFn: () => api<AdmissionInfo>(`/api/regions/${regionId}/admission`) });
  const apps = useQuery({ queryKey: ['admission-apps', regionId], queryFn: () => api<Application[]>(`/api/regions/${regionId}/admission/applications`) });
  const [open, setOpen] = useState<number | null>(null);
  return (
    <>
      {info.data && (
        <section className="rk-section" aria-labelledby="kop-vensters">
          <h2 id="kop-vensters" className="utrecht-heading-2">
            Toetredingsmomenten
          </h2>
          <DataTable
            rows={info.data.windows}
            rowKey={(w) => w.id}
            caption="Open House: wanneer een productgroep open is voor nieuwe aanbieders"
            testId="tabel-vensters"
            columns={[
              { key: 'segment', header: 'Productgroep', value: (w) => w.segment.name },
              { key: 'municipality', header: 'Gemeente', value: (w) => w.municipality?.name ?? 'alle gemeenten' },
              { key: 'period', header: 'Periode', value: (w) => `${w.opensOn} t/m ${w.closesOn}` },
              { key: 'open', header: 'Nu', value: (w) => (w.open ? 'open' : 'gesloten') },
            ]}
          />
          {info.data.closures.length > 0 && (
            <p className="utrecht-paragraph">
              Gesloten voor nieuwe aanbieders:{' '}
              {info.data.closures.map((c) => `${c.segment.name} in ${c.municipality.name} (sinds ${c.closedOn}: ${c.reason})`).join('; ')}
            </p>
          )}
          {me.role === 'regio' && <WindowForm regionId={regionId} />}
          {me.role === 'aanbieder' && <ApplyForm regionId={regionId} info={info.data} />}
        </section>
      )}
      <section className="rk-section" aria-labelledby="kop-aanvragen">
        <h2 id="kop-aanvragen" className="utrecht-heading-2">
          {me.role === 'aanbieder' ? 'Mijn aanvragen' : 'Aanvragen tot toelating'}
        </h2>
        {apps.isError && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            {apps.error.message}
          </div>
        )}
        {apps.data && (
          <DataTable
            rows={apps.data}
            rowKey={(a) => a.id}
            caption={`${apps.data.length} aanvragen`}
            testId="tabel-aanvragen"
            columns={[
              {
                key: 'id',
                header: 'Aanvraag',
                numeric: true,
                value: (a) => a.id,
                render: (a) => (
                  <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => setOpen(a.id)}>{`Aanvraag ${a.id} openen`}</button>
                ),
              },
              { key: 'provider', header: 'Aanbieder', value: (a) => a.provider.name },
              { key: 'segment', header: 'Productgroep', value: (a) => a.segment.name },
              { key: 'municipality', header: 'Gemeente', value: (a) => a.municipality.name },
              {
                key: 'status',
                header: 'Status',
                value: (a) => STATUS[a.status] ?? a.status,
                render: (a) => <span data-testid={`status-${a.id}`}>{STATUS[a.status] ?? a.status}</span>,
              },
              { key: 'submitted', header: 'Ingediend', value: (a) => a.submittedOn },
            ]}
          />
        )}
      </section>
      {open !== null && <ApplicationView key={open} regionId={regionId} me={me} id={open} />}
      {me.role === 'regio' && <ExitRule regionId={regionId} />}
    </>
  );
}

interface ExitList {
  year: number;
  minClients: number;
  contracted: number;
  providers: { id: number; name: string; agbCode: string | null; clients: number }[];
}

/** The exit rule: contracted providers with no or fewer than X clients in a year. */
function ExitRule({ regionId }: { regionId: string }) {
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const [year, setYear] = useState<number | null>(null);
  const y = year ?? defaultYear(region.data);
  const list = useQuery({
    queryKey: ['exit', regionId, y],
    queryFn: () => api<ExitList>(`/api/regions/${regionId}/admission/exit?year=${y}`),
    enabled: !!region.data,
  });
  const queryClient = useQueryClient();
  const [msg, setMsg] = useState<string | null>(null);
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const n = Number(new FormData(e.currentTarget).get('min'));
    try {
      await api(`/api/regions/${regionId}/admission/settings`, { method: 'PUT', json: { exitMinClients: n } });
      setMsg(null);
      await queryClient.invalidateQueries({ queryKey: ['exit', regionId] });
    } catch (err) {
      setMsg(err instanceof Error ? err.message : 'Mislukt');
    }
  };
  return (
    <section className="rk-section" aria-labelledby="kop-uitstap">
      <h2 id="kop-uitstap" className="utrecht-heading-2">
        Uitstapregel
      </h2>
      {list.data && (
        <>
          <form className="rk-filters" onSubmit={save} noValidate aria-label="Instelling uitstapregel">
            <div className="utrecht-form-field">
              <label className="utrecht-form-label" htmlFor="uitstap-jaar">
                Jaar
              </label>
              <input id="uitstap-jaar" type="number" min={2015} max={2100} className={input} value={y} onChange={(e) => setYear(Number(e.target.value))} />
            </div>
            <div className="utrecht-form-field">
              <label className="utrecht-form-label" htmlFor="uitstap-min">
                Minimum aantal cliënten per jaar
              </label>
              <input id="uitstap-min" name="min" type="number" min={0} className={input} defaultValue={list.data.minClients} key={list.data.minClients} />
            </div>
            <button type="submit" className="utrecht-button">
              Instelling opslaan
            </button>
          </form>
          {msg && (
            <div className="utrecht-alert utrecht-alert--error" role="alert">
              <p className="utrecht-paragraph">{msg}</p>
            </div>
          )}
          <DataTable
            rows={list.data.providers}
            rowKey={(p) => p.id}
            testId="tabel-uitstap"
            caption={`${list.data.providers.length} van ${list.data.contracted} gecontracteerde aanbieders hadden in ${list.data.year} minder dan ${list.data.minClients} cliënten`}
            columns={[
              { key: 'name', header: 'Aanbieder', value: (p) => p.name },
              { key: 'agb', header: 'AGB-code', value: (p) => p.agbCode ?? '–' },
              { key: 'clients', header: 'Cliënten', numeric: true, value: (p) => p.clients },
            ]}
          />
        </>
      )}
    </section>
  );
}

function WindowForm({ regionId }: { regionId: string }) {
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const queryClient = useQueryClient();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '');
    try {
      if (f.get('what') === 'sluiten') {
        await api(`/api/regions/${regionId}/admission/closures`, {
          method: 'PUT',
          json: { segmentCode: s('segment'), municipalityCode: s('municipality'), closed: true, reason: s('reason') },
        });
        setMsg({ ok: true, text: 'Productgroep gesloten in deze gemeente.' });
      } else {
        await api(`/api/regions/${regionId}/admission/windows`, {
          method: 'POST',
          json: { segmentCode: s('segment'), municipalityCode: s('municipality') || null, opensOn: s('opensOn'), closesOn: s('closesOn') },
        });
        setMsg({ ok: true, text: 'Toetredingsmoment geopend.' });
      }
      await queryClient.invalidateQueries({ queryKey: ['admission', regionId] });
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  };
  const segments = (region.data?.segments ?? []).filter((s) => s.parentId === null);
  return (
    <details className="rk-card">
      <summary>Toetredingsmoment openen of productgroep sluiten</summary>
      <form onSubmit={submit} noValidate aria-label="Toetredingsmoment openen of productgroep sluiten">
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="venster-wat">
            Wat
          </label>
          <select id="venster-wat" name="what" className="utrecht-select">
            <option value="openen">Toetredingsmoment openen</option>
            <option value="sluiten">Productgroep sluiten in een gemeente</option>
          </select>
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="venster-segment">
            Productgroep
          </label>
          <select id="venster-segment" name="segment" className="utrecht-select">
            {segments.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="venster-gemeente">
            Gemeente
          </label>
          <select id="venster-gemeente" name="municipality" className="utrecht-select">
            <option value="">alle gemeenten</option>
            {(region.data?.municipalities ?? []).map((m) => (
              <option key={m.code} value={m.code}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="venster-van">
            Open van
          </label>
          <input id="venster-van" name="opensOn" type="date" className={input} />
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="venster-tot">
            Open tot en met
          </label>
          <input id="venster-tot" name="closesOn" type="date" className={input} />
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="venster-reden">
            Reden (bij sluiten)
          </label>
          <input id="venster-reden" name="reason" className={input} />
        </div>
        {msg && (
          <div className={`utrecht-alert utrecht-alert--${msg.ok ? 'ok' : 'error'}`} role={msg.ok ? 'status' : 'alert'}>
            <p className="utrecht-paragraph">{msg.text}</p>
          </div>
        )}
        <div>
          <button type="submit" className="utrecht-button utrecht-button--primary-action">
            Opslaan
          </button>
        </div>
      </form>
    </details>
  );
}

function ApplyForm({ regionId, info }: { regionId: string; info: AdmissionInfo }) {
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const queryClient = useQueryClient();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const openSegments = [...new Map(info.windows.filter((w) => w.open).map((w) => [w.segment.code, w.segment])).values()];
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      const r = await api<{ id: number }>(`/api/regions/${regionId}/admission/applications`, {
        method: 'POST',
        json: { segmentCode: String(f.get('segment')), municipalityCode: String(f.get('municipality')) },
      });
      setMsg({ ok: true, text: `Aanvraag ${r.id} ingediend. Open de aanvraag om per eis het bewijs aan te leveren.` });
      await queryClient.invalidateQueries({ queryKey: ['admission-apps', regionId] });
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  };
  return (
    <form className="rk-card" onSubmit={submit} noValidate aria-labelledby="kop-aanvragen-nieuw">
      <h3 id="kop-aanvragen-nieuw" className="utrecht-heading-3">
        Toelating aanvragen
      </h3>
      {openSegments.length === 0 ? (
        <p className="utrecht-paragraph">Er is nu geen productgroep open voor toetreding.</p>
      ) : (
        <>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor="aanvraag-segment">
              Productgroep
            </label>
            <select id="aanvraag-segment" name="segment" className="utrecht-select">
              {openSegments.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor="aanvraag-gemeente">
              Gemeente
            </label>
            <select id="aanvraag-gemeente" name="municipality" className="utrecht-select">
              {(region.data?.municipalities ?? []).map((m) => (
                <option key={m.code} value={m.code}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit" className="utrecht-button utrecht-button--primary-action">
              Aanvraag indienen
            </button>
          </div>
        </>
      )}
      {msg && (
        <div className={`utrecht-alert utrecht-alert--${msg.ok ? 'ok' : 'error'}`} role={msg.ok ? 'status' : 'alert'} data-testid="aanvraag-resultaat">
          <p className="utrecht-paragraph">{msg.text}</p>
        </div>
      )}
    </form>
  );
}

function ApplicationView({ regionId, me, id }: { regionId: string; me: Me; id: number }) {
  const key = ['admission-app', regionId, id];
  const app = useQuery({ queryKey: key, queryFn: () => api<ApplicationDetail>(`/api/regions/${regionId}/admission/applications/${id}`) });
  const queryClient = useQueryClient();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: key });
    await queryClient.invalidateQueries({ queryKey: ['admission-apps', regionId] });
  };
  const step = async (status: string, reason = '') => {
    try {
      await api(`/api/regions/${regionId}/admission/applications/${id}/status`, { method: 'POST', json: { status, reason } });
      setMsg({ ok: true, text: `Aanvraag ${id}: ${STATUS[status]}.` });
      await refresh();
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  };
  const evidence = async (e: FormEvent<HTMLFormElement>, code: string) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const description = String(f.get('description') ?? ''),
      validUntil = String(f.get('validUntil') ?? '');
    const file = f.get('file');
    try {
      if (file instanceof File && file.name) {
        // the file itself is the body; the server checks its type from the content, its size and its name
        const q = new URLSearchParams({ fileName: file.name, ...(description ? { description } : {}), ...(validUntil ? { validUntil } : {}) });
        await api(`/api/regions/${regionId}/admission/applications/${id}/evidence/${code}/document?${q}`, {
          method: 'POST',
          body: file,
          headers: { 'content-type': file.type || 'application/octet-stream' },
        });
        form.reset();
      } else {
        await api(`/api/regions/${regionId}/admission/applications/${id}/evidence`, {
          method: 'PUT',
          json: { requirement: code, description, validUntil: validUntil || null },
        });
      }
      setMsg(null);
      await refresh();
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  };
  if (app.isPending)
    return (
      <p className="utrecht-paragraph" role="status">
        Aanvraag laden …
      </p>
    );
  if (app.isError)
    return (
      <div className="utrecht-alert utrecht-alert--error" role="alert">
        {app.error.message}
      </div>
    );
  const a = app.data;
  const decided = a.status === 'toegelaten' || a.status === 'afgewezen';
  const canEvidence = !decided && (me.role === 'regio' || me.role === 'aanbieder');
  return (
    <section className="rk-card" aria-labelledby="kop-aanvraag">
      <h2 id="kop-aanvraag" className="utrecht-heading-2">
        Aanvraag {a.id}: {a.provider.name}
      </h2>
      <p className="utrecht-paragraph" data-testid="aanvraag-status">
        {a.segment.name} in {a.municipality.name} · {STATUS[a.status]}
        {a.decidedOn ? ` op ${a.decidedOn} door ${a.decidedBy}` : ''}
        {a.reason ? ` · ${a.reason}` : ''}
        {a.contractId ? ` · contract ${a.contractId}` : ''}
      </p>
      <h3 className="utrecht-heading-3">Checklist</h3>
      <ul>
        {a.checklist.map((c) => (
          <li key={c.code} data-testid={`eis-${c.code}`}>
            <strong>{c.label}</strong>:{' '}
            {c.evidence
              ? `${c.evidence.description}${c.evidence.validUntil ? `, geldig tot ${c.evidence.validUntil}` : ''}${c.expired ? ' (verlopen)' : c.expiresSoon ? ' (verloopt binnen 60 dagen)' : ''}`
              : 'nog niet aangeleverd'}
            {c.evidence?.document && (
              <DocumentLink regionId={regionId} providerId={a.provider.id} doc={c.evidence.document} canDownload={me.role !== 'gemeente'} />
            )}
            {canEvidence && (
              <form
                onSubmit={(e) => void evidence(e, c.code)}
                aria-label={`Bewijs voor ${c.label}`}
                style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap', alignItems: 'flex-end', margin: '0.25rem 0 0.75rem' }}
              >
                <div className="utrecht-form-field">
                  <label className="utrecht-form-label" htmlFor={`bewijs-${c.code}`}>
                    Bewijs
                  </label>
                  <input id={`bewijs-${c.code}`} name="description" className={input} defaultValue={c.evidence?.description ?? ''} />
                </div>
                {c.expires && (
                  <div className="utrecht-form-field">
                    <label className="utrecht-form-label" htmlFor={`geldig-${c.code}`}>
                      Geldig tot
                    </label>
                    <input id={`geldig-${c.code}`} name="validUntil" type="date" className={input} defaultValue={c.evidence?.validUntil ?? ''} />
                  </div>
                )}
                <div className="utrecht-form-field">
                  <label className="utrecht-form-label" htmlFor={`bestand-${c.code}`}>
                    Bestand (PDF, afbeelding of office-document)
                  </label>
                  <input id={`bestand-${c.code}`} name="file" type="file" accept={DOCUMENT_ACCEPT} className="utrecht-textbox" />
                </div>
                <button type="submit" className="utrecht-button">{`Bewijs opslaan: ${c.label}`}</button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {!decided && a.missing.length > 0 && <p className="utrecht-paragraph rk-muted">Nog nodig voor toelating: {a.missing.map((m) => m.detail).join('; ')}</p>}
      {msg && (
        <div className={`utrecht-alert utrecht-alert--${msg.ok ? 'ok' : 'error'}`} role={msg.ok ? 'status' : 'alert'} data-testid="aanvraag-melding">
          <p className="utrecht-paragraph">{msg.text}</p>
        </div>
      )}
      {me.role === 'regio' && !decided && <Decide status={a.status} onStep={step} />}
      {me.role === 'aanbieder' && a.status === 'aanvullen' && (
        <button type="button" className="utrecht-button utrecht-button--primary-action" onClick={() => void step('ingediend')}>
          Opnieuw indienen
        </button>
      )}
      <h3 className="utrecht-heading-3">Verloop</h3>
      <ol data-testid="aanvraag-verloop">
        {a.events.map((e, i) => (
          <li key={i}>
            {new Date(e.at).toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam' })}: {STATUS[e.to] ?? e.to} door {e.by}
            {e.note ? ` (${e.note})` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A stored document: its name (a download for the region and the provider itself), size, who uploaded it when and its checksum. */
export function DocumentLink({
  regionId,
  providerId,
  doc,
  canDownload,
}: {
  regionId: string;
  providerId: number;
  doc: EvidenceDocument;
  canDownload: boolean;
}) {
  const when = new Date(doc.uploadedAt).toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam' });
  return (
    <span data-testid={`document-${doc.id}`}>
      {' · '}
      {canDownload ? (
        <a className="utrecht-link" href={`/api/regions/${regionId}/providers/${providerId}/documents/${doc.id}`} download={doc.fileName}>
          {doc.fileName}
        </a>
      ) : (
        doc.fileName
      )}
      {` (${formatBytes(doc.bytes)}, ${when} door ${doc.uploadedBy}; SHA-256 `}
      <code title={doc.sha256}>{doc.sha256.slice(0, 12)}…</code>)
    </span>
  );
}

function Decide({ status, onStep }: { status: string; onStep: (s: string, reason?: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  return (
    <div className="rk-filters">
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor="besluit-reden">
          Reden of wat aan te vullen
        </label>
        <input id="besluit-reden" className={input} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      {status === 'ingediend' && (
        <button type="button" className="utrecht-button" onClick={() => void onStep('in_behandeling')}>
          In behandeling nemen
        </button>
      )}
      {status === 'in_behandeling' && (
        <>
          <button type="button" className="utrecht-button utrecht-button--primary-action" onClick={() => void onStep('toegelaten', reason)}>
            Toelaten
          </button>
          <button type="button" className="utrecht-button" onClick={() => void onStep('aanvullen', reason)}>
            Laten aanvullen
          </button>
        </>
      )}
      <button type="button" className="utrecht-button" onClick={() => void onStep('afgewezen', reason)}>
        Afwijzen
      </button>
    </div>
  );
}
