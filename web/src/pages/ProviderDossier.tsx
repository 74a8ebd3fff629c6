// A provider's dossier: the agenda of the quarterly conversation (made from the figures Regiekamer holds), the minutes
// and agreements of the conversations (open ones listed, overdue ones flagged), the enforcement ladder with its dated
// steps and letters, and the documents (evidence and letters, downloads audited). The region writes; the provider
// reads its own.
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Me } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { formatBytes } from './Admission.tsx';

interface Agenda {
  providerId: number;
  providerName: string;
  year: number;
  quarter: number;
  items: { topic: string; facts: string[] }[];
}
interface Step {
  id: number;
  step: string;
  label: string;
  onDate: string;
  reason: string;
  remedyDays: number | null;
  segment: { code: string; name: string } | null;
  decidedBy: string;
  letter: boolean;
  documentId: number | null;
  endsOn: string | null;
}
interface Agreement {
  id: number;
  conversationId: number;
  conversation: string;
  description: string;
  owner: string;
  dueOn: string;
  status: 'open' | 'done';
  doneOn: string | null;
  doneBy: string | null;
  overdue: boolean;
}
interface Conversation {
  id: number;
  year: number;
  quarter: number;
  heldOn: string;
  participants: string[];
  minutes: string;
  recordedBy: string;
  recordedAt: string;
  agreements: Agreement[];
}
interface Conversations {
  conversations: Conversation[];
  open: Agreement[];
  overdue: number;
}
interface DossierDocument {
  id: number;
  kind: 'bewijs' | 'brief';
  fileName: string;
  mediaType: string;
  bytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  evidence: { applicationId: number; requirement: string } | null;
  enforcementStep: { id: number; step: string } | null;
}
const LADDER: [string, string][] = [
  ['waarschuwing', 'Waarschuwingsbrief'],
  ['ingebrekestelling', 'Ingebrekestelling'],
  ['clientenstop', 'Cliëntenstop'],
  ['ontbinding', 'Ontbinding'],
  ['overname', 'Contractovername'],
];
const input = 'utrecht-textbox utrecht-textbox--html-input';

export function ProviderDossier({ regionId, me, providerId }: { regionId: string; me: Me; providerId: number }) {
  const [when, setWhen] = useState<{ year: number; quarter: number } | null>(null);
  const agenda = useQuery({
    queryKey: ['agenda', regionId, providerId, when],
    queryFn: () => api<Agenda>(`/api/regions/${regionId}/providers/${providerId}/agenda${when ? `?year=${when.year}&quarter=${when.quarter}` : ''}`),
  });
  const [anchor, setAnchor] = useState<{ year: number; quarter: number } | null>(null); // the newest quarter with figures
  useEffect(() => {
    if (agenda.data && !anchor) setAnchor({ year: agenda.data.year, quarter: agenda.data.quarter });
  }, [agenda.data, anchor]);
  const steps = useQuery({
    queryKey: ['ladder', regionId, providerId],
    queryFn: () => api<Step[]>(`/api/regions/${regionId}/providers/${providerId}/enforcement`),
  });
  const queryClient = useQueryClient();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const next = LADDER[steps.data?.length ?? 0];
  const addStep = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      await api(`/api/regions/${regionId}/providers/${providerId}/enforcement`, {
        method: 'POST',
        json: {
          step: String(f.get('step')),
          onDate: String(f.get('onDate') ?? ''),
          reason: String(f.get('reason') ?? ''),
          remedyDays: f.get('remedyDays') ? Number(f.get('remedyDays')) : null,
        },
      });
      setMsg({ ok: true, text: 'Stap vastgelegd.' });
      await queryClient.invalidateQueries({ queryKey: ['ladder', regionId, providerId] });
      await queryClient.invalidateQueries({ queryKey: ['agenda', regionId, providerId] });
      await queryClient.invalidateQueries({ queryKey: ['documents', regionId, providerId] });
    } catch (err) {
      setMsg({ ok: false, text: err instanceof Error ? err.message : 'Mislukt' });
    }
  };
  return (
    <>
      <h3 className="utrecht-heading-3">Kwartaalgesprek</h3>
      {agenda.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {agenda.error.message}
        </div>
      )}
      {agenda.data && (
        <section className="rk-card" aria-labelledby="kop-agenda" data-testid="agenda">
          <h4 id="kop-agenda" className="utrecht-heading-4">
            Agenda K{agenda.data.quarter} {agenda.data.year}
          </h4>
          <div className="rk-filters">
            <div className="utrecht-form-field">
              <label className="utrecht-form-label" htmlFor="agenda-kwartaal">
                Kwartaal
              </label>
              <select
                id="agenda-kwartaal"
                className="utrecht-select"
                value={`${agenda.data.year}-${agenda.data.quarter}`}
                onChange={(e) => {
                  const [y, q] = e.target.value.split('-').map(Number);
                  setWhen({ year: y, quarter: q });
                }}
              >
                {[0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
                  const a = anchor ?? agenda.data;
                  const n = a.year * 4 + a.quarter - 1 - i;
                  const y = Math.floor(n / 4),
                    q = (n % 4) + 1;
                  return <option key={i} value={`${y}-${q}`}>{`K${q} ${y}`}</option>;
                })}
              </select>
            </div>
          </div>
          <ol>
            {agenda.data.items.map((item, i) => (
              <li key={i}>
                <strong>{item.topic}</strong>
                {item.facts.length > 0 && (
                  <ul>
                    {item.facts.map((f, j) => (
                      <li key={j}>{f}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      <Minutes regionId={regionId} me={me} providerId={providerId} quarter={agenda.data ? { year: agenda.data.year, quarter: agenda.data.quarter } : null} />
      <h3 className="utrecht-heading-3">Handhaving</h3>
      {steps.data && steps.data.length === 0 && <p className="utrecht-paragraph rk-muted">Geen stappen op de handhavingsladder.</p>}
      {steps.data && steps.data.length > 0 && (
        <ol data-testid="ladder">
          {steps.data.map((s) => (
            <li key={s.id}>
              {s.label} op {s.onDate} ({s.decidedBy}): {s.reason}
              {s.remedyDays ? `; termijn ${s.remedyDays} dagen` : ''}
              {s.letter && (
                <>
                  {' '}
                  ·{' '}
                  <a
                    className="utrecht-link"
                    href={`/api/regions/${regionId}/providers/${providerId}/enforcement/${s.id}/letter.pdf`}
                  >{`Brief ${s.label.toLowerCase()} (PDF)`}</a>
                </>
              )}
              {s.step === 'clientenstop' &&
                (s.endsOn ? (
                  <>
                    {' '}
                    · <strong>opgeheven per {s.endsOn}</strong>
                  </>
                ) : (
                  <> · nieuwe toewijzingen (JW301) worden geweigerd{s.segment ? ` voor ${s.segment.name}` : ''}</>
                ))}
            </li>
          ))}
        </ol>
      )}
      {me.role === 'regio' &&
        steps.data
          ?.filter((s) => s.step === 'clientenstop' && !s.endsOn)
          .map((s) => (
            <form
              key={s.id}
              className="rk-card"
              noValidate
              aria-label="Cliëntenstop opheffen"
              onSubmit={async (e) => {
                e.preventDefault();
                const endsOn = String(new FormData(e.currentTarget).get('endsOn') ?? '');
                try {
                  await api(`/api/regions/${regionId}/providers/${providerId}/enforcement/${s.id}/end`, { method: 'PUT', json: { endsOn } });
                  setMsg({ ok: true, text: `Cliëntenstop opgeheven per ${endsOn}.` });
                  await queryClient.invalidateQueries({ queryKey: ['ladder', regionId, providerId] });
                } catch (err) {
                  setMsg({ ok: false, text: err instanceof Error ? err.message : 'Mislukt' });
                }
              }}
            >
              <div className="utrecht-form-field">
                <label className="utrecht-form-label" htmlFor={`opheffen-${s.id}`}>
                  Cliëntenstop opheffen per
                </label>
                <input id={`opheffen-${s.id}`} name="endsOn" type="date" className={input} />
              </div>
              <div>
                <button type="submit" className="utrecht-button utrecht-button--secondary-action">
                  Cliëntenstop opheffen
                </button>
              </div>
            </form>
          ))}
      {me.role === 'regio' && next && (
        <form className="rk-card" onSubmit={addStep} noValidate aria-label="Volgende stap op de handhavingsladder">
          <input type="hidden" name="step" value={next[0]} />
          <p className="utrecht-paragraph">
            Volgende stap: <strong>{next[1]}</strong>
          </p>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor="stap-datum">
              Datum
            </label>
            <input id="stap-datum" name="onDate" type="date" className={input} />
          </div>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor="stap-reden">
              Tekortkoming
            </label>
            <input id="stap-reden" name="reason" className={input} />
          </div>
          {next[0] === 'ingebrekestelling' && (
            <div className="utrecht-form-field">
              <label className="utrecht-form-label" htmlFor="stap-termijn">
                Termijn (dagen)
              </label>
              <input id="stap-termijn" name="remedyDays" type="number" min={1} max={180} className={input} defaultValue={14} />
            </div>
          )}
          {msg && (
            <div className={`utrecht-alert utrecht-alert--${msg.ok ? 'ok' : 'error'}`} role={msg.ok ? 'status' : 'alert'}>
              <p className="utrecht-paragraph">{msg.text}</p>
            </div>
          )}
          <div>
            <button type="submit" className="utrecht-button utrecht-button--primary-action">{`${next[1]} vastleggen`}</button>
          </div>
        </form>
      )}
      <Documents regionId={regionId} providerId={providerId} />
    </>
  );
}

const KIND: Record<string, string> = { bewijs: 'Bewijsstuk', brief: 'Brief' };
const when = (iso: string) => new Date(iso).toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam' });

/** The documents of the dossier: evidence the provider uploaded and the letters of the ladder. Every download is logged. */
function Documents({ regionId, providerId }: { regionId: string; providerId: number }) {
  const docs = useQuery({
    queryKey: ['documents', regionId, providerId],
    queryFn: () => api<DossierDocument[]>(`/api/regions/${regionId}/providers/${providerId}/documents`),
  });
  return (
    <section aria-labelledby="kop-documenten">
      <h3 id="kop-documenten" className="utrecht-heading-3">
        Documenten
      </h3>
      {docs.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {docs.error.message}
        </div>
      )}
      {docs.data && docs.data.length === 0 && (
        <p className="utrecht-paragraph rk-muted">
          Nog geen documenten: bewijsstukken bij een aanvraag tot toelating en brieven van de handhavingsladder komen hier.
        </p>
      )}
      {docs.data && docs.data.length > 0 && (
        <DataTable
          rows={docs.data}
          rowKey={(d) => d.id}
          testId="tabel-documenten"
          caption={`${docs.data.length} documenten; elke download wordt gelogd`}
          columns={[
            {
              key: 'name',
              header: 'Bestand',
              value: (d) => d.fileName,
              render: (d) => (
                <a className="utrecht-link" href={`/api/regions/${regionId}/providers/${providerId}/documents/${d.id}`} download={d.fileName}>
                  {d.fileName}
                </a>
              ),
            },
            { key: 'kind', header: 'Soort', value: (d) => KIND[d.kind] ?? d.kind },
            {
              key: 'for',
              header: 'Bij',
              value: (d) =>
                d.evidence ? `aanvraag ${d.evidence.applicationId}, eis ${d.evidence.requirement}` : d.enforcementStep ? `stap ${d.enforcementStep.step}` : '–',
            },
            { key: 'bytes', header: 'Grootte', numeric: true, value: (d) => d.bytes, render: (d) => formatBytes(d.bytes) },
            { key: 'by', header: 'Door', value: (d) => d.uploadedBy },
            { key: 'at', header: 'Op', value: (d) => d.uploadedAt, render: (d) => when(d.uploadedAt) },
            { key: 'sha', header: 'SHA-256', value: (d) => d.sha256, render: (d) => <code title={d.sha256}>{d.sha256.slice(0, 12)}…</code> },
          ]}
        />
      )}
    </section>
  );
}

/** Minutes of the quarterly conversations with their agreements; the open agreements, overdue ones flagged. */
function Minutes({ regionId, me, providerId, quarter }: { regionId: string; me: Me; providerId: number; quarter: { year: number; quarter: number } | null }) {
  const key = ['conversations', regionId, providerId];
  const data = useQuery({ queryKey: key, queryFn: () => api<Conversations>(`/api/regions/${regionId}/providers/${providerId}/conversations`) });
  const queryClient = useQueryClient();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: key });
    await queryClient.invalidateQueries({ queryKey: ['agenda', regionId, providerId] });
  };
  const isRegion = me.role === 'regio';
  const done = async (a: Agreement) => {
    try {
      await api(`/api/regions/${regionId}/provider-agreements/${a.id}`, { method: 'PATCH', json: { status: 'done' } });
      setMsg({ ok: true, text: `Afspraak afgerond: ${a.description}` });
      await refresh();
    } catch (err) {
      setMsg({ ok: false, text: err instanceof Error ? err.message : 'Mislukt' });
    }
  };
  return (
    <section aria-labelledby="kop-verslagen">
      <h3 id="kop-verslagen" className="utrecht-heading-3">
        Verslagen en afspraken
      </h3>
      {data.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {data.error.message}
        </div>
      )}
      {data.data && (
        <>
          {data.data.open.length === 0 ? (
            <p className="utrecht-paragraph rk-muted">Geen openstaande afspraken.</p>
          ) : (
            <DataTable
              rows={data.data.open}
              rowKey={(a) => a.id}
              testId="tabel-afspraken"
              caption={`${data.data.open.length} openstaande afspraken${data.data.overdue ? `, waarvan ${data.data.overdue} te laat` : ''}`}
              columns={[
                { key: 'description', header: 'Afspraak', value: (a) => a.description },
                { key: 'owner', header: 'Eigenaar', value: (a) => a.owner },
                {
                  key: 'due',
                  header: 'Uiterlijk',
                  value: (a) => a.dueOn,
                  render: (a) => (
                    <>
                      {a.dueOn}
                      {a.overdue && (
                        <>
                          {' '}
                          <span className="rk-flag rk-flag--over">te laat</span>
                        </>
                      )}
                    </>
                  ),
                },
                { key: 'conversation', header: 'Gesprek', value: (a) => a.conversation },
                ...(isRegion
                  ? [
                      {
                        key: 'done',
                        header: 'Afronden',
                        value: () => '',
                        render: (a: Agreement) => (
                          <button
                            type="button"
                            className="utrecht-button utrecht-button--subtle"
                            onClick={() => void done(a)}
                          >{`Afgerond: ${a.description}`}</button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
          {data.data.conversations.map((c) => (
            <article key={c.id} className="rk-card" aria-labelledby={`kop-gesprek-${c.id}`} data-testid={`gesprek-${c.id}`}>
              <h4 id={`kop-gesprek-${c.id}`} className="utrecht-heading-4">
                Gesprek over K{c.quarter} {c.year}, gehouden op {c.heldOn}
              </h4>
              <p className="utrecht-paragraph rk-muted">
                Deelnemers: {c.participants.join(', ')} · vastgelegd door {c.recordedBy}
              </p>
              <p className="utrecht-paragraph" style={{ whiteSpace: 'pre-wrap' }}>
                {c.minutes}
              </p>
              {c.agreements.length > 0 && (
                <ul>
                  {c.agreements.map((a) => (
                    <li key={a.id}>
                      {a.description} · {a.owner} · uiterlijk {a.dueOn} · {a.status === 'done' ? `afgerond op ${a.doneOn}` : a.overdue ? 'te laat' : 'open'}
                    </li>
                  ))}
                </ul>
              )}
              {isRegion && (
                <AddAgreement
                  regionId={regionId}
                  conversation={c}
                  onSaved={async (text) => {
                    await refresh();
                    setMsg({ ok: true, text });
                  }}
                />
              )}
            </article>
          ))}
          {isRegion && (
            <MinutesForm
              regionId={regionId}
              providerId={providerId}
              quarter={quarter}
              taken={data.data.conversations}
              onSaved={async (text) => {
                await refresh();
                setMsg({ ok: true, text });
              }}
            />
          )}
        </>
      )}
      {msg && (
        <div className={`utrecht-alert utrecht-alert--${msg.ok ? 'ok' : 'error'}`} role={msg.ok ? 'status' : 'alert'} data-testid="verslag-melding">
          <p className="utrecht-paragraph">{msg.text}</p>
        </div>
      )}
    </section>
  );
}

function MinutesForm({
  regionId,
  providerId,
  quarter,
  taken,
  onSaved,
}: {
  regionId: string;
  providerId: number;
  quarter: { year: number; quarter: number } | null;
  taken: Conversation[];
  onSaved: (text: string) => Promise<void>;
}) {
  const [rows, setRows] = useState(1);
  const [error, setError] = useState<string | null>(null);
  // the last twelve quarters up to now, and the agenda's quarter (the newest with figures) when it is older
  const now = new Date();
  const top = now.getFullYear() * 4 + Math.floor(now.getMonth() / 3);
  const bottom = Math.min(top - 11, quarter ? quarter.year * 4 + quarter.quarter - 1 : top);
  const options = Array.from({ length: top - bottom + 1 }, (_, i) => ({ year: Math.floor((top - i) / 4), quarter: ((top - i) % 4) + 1 })).filter(
    (o) => !taken.some((t) => t.year === o.year && t.quarter === o.quarter),
  );
  const preferred = quarter && options.find((o) => o.year === quarter.year && o.quarter === quarter.quarter) ? `${quarter.year}-${quarter.quarter}` : undefined;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '');
    const [year, q] = s('quarter').split('-').map(Number);
    const agreements = Array.from({ length: rows }, (_, i) => ({ description: s(`a${i}-description`), owner: s(`a${i}-owner`), dueOn: s(`a${i}-due`) })).filter(
      (a) => a.description || a.owner || a.dueOn,
    );
    try {
      await api(`/api/regions/${regionId}/providers/${providerId}/conversations`, {
        method: 'POST',
        json: {
          year,
          quarter: q,
          heldOn: s('heldOn'),
          participants: s('participants')
            .split(/[\n;]/)
            .map((p) => p.trim())
            .filter(Boolean),
          minutes: s('minutes'),
          agreements,
        },
      });
      form.reset();
      setRows(1);
      setError(null);
      await onSaved(
        `Verslag van K${q} ${year} vastgelegd${agreements.length ? ` met ${agreements.length} afspra${agreements.length === 1 ? 'ak' : 'ken'}` : ''}.`,
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Mislukt');
    }
  };
  return (
    <form className="rk-card" onSubmit={submit} noValidate aria-labelledby="kop-verslag-nieuw">
      <h4 id="kop-verslag-nieuw" className="utrecht-heading-4">
        Verslag vastleggen
      </h4>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor="verslag-kwartaal">
          Gesprek over
        </label>
        <select id="verslag-kwartaal" name="quarter" className="utrecht-select" defaultValue={preferred}>
          {options.map((o) => (
            <option key={`${o.year}-${o.quarter}`} value={`${o.year}-${o.quarter}`}>{`K${o.quarter} ${o.year}`}</option>
          ))}
        </select>
      </div>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor="verslag-datum">
          Datum van het gesprek
        </label>
        <input id="verslag-datum" name="heldOn" type="date" className={input} />
      </div>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor="verslag-deelnemers">
          Deelnemers (één per regel)
        </label>
        <textarea id="verslag-deelnemers" name="participants" rows={3} className="utrecht-textarea utrecht-textarea--html-textarea" />
      </div>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor="verslag-tekst">
          Verslag
        </label>
        <textarea id="verslag-tekst" name="minutes" rows={6} className="utrecht-textarea utrecht-textarea--html-textarea" />
      </div>
      {Array.from({ length: rows }, (_, i) => (
        <fieldset
          key={i}
          className="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"
          style={{ border: '1px solid var(--rk-border)', borderRadius: 6, padding: '0.75rem 1rem' }}
        >
          <legend
            className="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend"
            style={{ fontWeight: 700, padding: '0 0.25rem' }}
          >{`Afspraak ${i + 1}`}</legend>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor={`afspraak-${i}-tekst`}>
              Afspraak
            </label>
            <input id={`afspraak-${i}-tekst`} name={`a${i}-description`} className={input} />
          </div>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor={`afspraak-${i}-eigenaar`}>
              Eigenaar
            </label>
            <input id={`afspraak-${i}-eigenaar`} name={`a${i}-owner`} className={input} />
          </div>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor={`afspraak-${i}-datum`}>
              Uiterlijk
            </label>
            <input id={`afspraak-${i}-datum`} name={`a${i}-due`} type="date" className={input} />
          </div>
        </fieldset>
      ))}
      <div>
        <button type="button" className="utrecht-button" onClick={() => setRows(rows + 1)}>
          Nog een afspraak
        </button>
      </div>
      {error && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          <p className="utrecht-paragraph">{error}</p>
        </div>
      )}
      <div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action">
          Verslag opslaan
        </button>
      </div>
    </form>
  );
}

/** One more agreement for a conversation already recorded. */
function AddAgreement({ regionId, conversation, onSaved }: { regionId: string; conversation: Conversation; onSaved: (text: string) => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const id = `gesprek-${conversation.id}-afspraak`;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '');
    try {
      await api(`/api/regions/${regionId}/provider-conversations/${conversation.id}/agreements`, {
        method: 'POST',
        json: { description: s('description'), owner: s('owner'), dueOn: s('dueOn') },
      });
      form.reset();
      setError(null);
      await onSaved(`Afspraak toegevoegd aan het gesprek over K${conversation.quarter} ${conversation.year}.`);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Mislukt');
    }
  };
  return (
    <details>
      <summary>{`Afspraak toevoegen aan K${conversation.quarter} ${conversation.year}`}</summary>
      <form
        onSubmit={submit}
        noValidate
        aria-label={`Afspraak toevoegen aan het gesprek over K${conversation.quarter} ${conversation.year}`}
        style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap', alignItems: 'flex-end' }}
      >
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-tekst`}>
            Nieuwe afspraak
          </label>
          <input id={`${id}-tekst`} name="description" className={input} />
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-eigenaar`}>
            Eigenaar van de afspraak
          </label>
          <input id={`${id}-eigenaar`} name="owner" className={input} />
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-datum`}>
            Uiterste datum
          </label>
          <input id={`${id}-datum`} name="dueOn" type="date" className={input} />
        </div>
        <button type="submit" className="utrecht-button">
          Afspraak toevoegen
        </button>
        {error && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            <p className="utrecht-paragraph">{error}</p>
          </div>
        )}
      </form>
    </details>
  );
}
