// Importing the region's provider list: choose a file (CSV or XLSX), map the columns when their names differ, see
// per row what the import will do (dry run, nothing stored), then store the accepted rows. And the names a
// waiting-time import could not place: create the provider, or choose the one meant ("bedoelt u …?"), in one step.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Me, type PendingName, type ProviderImport } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { formatCount } from '../format.ts';

const STATUS: Record<string, string> = { nieuw: 'Nieuw', gewijzigd: 'Gewijzigd', ongewijzigd: 'Ongewijzigd', geweigerd: 'Geweigerd' };

async function fileContent(file: File): Promise<{ format: 'csv' | 'xlsx'; content: string }> {
  if (/\.xlsx$/i.test(file.name)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { format: 'xlsx', content: btoa(bin) };
  }
  return { format: 'csv', content: await file.text() };
}

export function ProviderImportPanel({ regionId }: { regionId: string }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<{ name: string; format: 'csv' | 'xlsx'; content: string } | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [result, setResult] = useState<ProviderImport | null>(null);
  const [error, setError] = useState<{ text: string; fields: { field: string; detail: string }[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [onlyIssues, setOnlyIssues] = useState(false);

  const run = async (f: NonNullable<typeof file>, map: Record<string, string>, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<ProviderImport>(`/api/regions/${regionId}/providers/import`, {
        method: 'POST',
        json: { fileName: f.name, format: f.format, content: f.content, mapping: map, dryRun },
      });
      setResult(r);
      setMapping(Object.fromEntries(r.fields.map((x) => [x.key, r.mapping[x.key] ?? ''])));
      if (!dryRun) await queryClient.invalidateQueries({ queryKey: ['providers', regionId] });
    } catch (e) {
      setResult(null);
      setError({ text: e instanceof Error ? e.message : 'Inlezen mislukt', fields: e instanceof ApiError ? e.fields : [] });
    } finally {
      setBusy(false);
    }
  };
  const choose = async (f: File) => {
    const c = await fileContent(f);
    const next = { name: f.name, ...c };
    setFile(next);
    setMapping({});
    setResult(null);
    await run(next, {}, true);
  };
  const rows = (result?.rows ?? []).filter((r) => !onlyIssues || r.status === 'geweigerd' || r.suggestion);
  return (
    <>
      <section className="rk-card" aria-labelledby="kop-inlezen">
        <h2 id="kop-inlezen" className="utrecht-heading-2">
          Aanbiederslijst inlezen
        </h2>
        <p className="utrecht-paragraph">
          Een CSV (UTF-8, puntkomma, komma of tab) of Excel-bestand (.xlsx) met per regel een aanbieder en eventueel een locatie: naam, handelsnamen, AGB-code,
          KvK-nummer, soort, hoofdaannemer, locatie, straat, huisnummer, postcode, plaats en gemeente. Eerst volgt een proefrun die per regel laat zien wat er
          gebeurt; er wordt pas iets opgeslagen als u daarna op Opslaan drukt.
        </p>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="aanbieders-bestand">
            Bestand (CSV of XLSX)
          </label>
          <input
            id="aanbieders-bestand"
            type="file"
            accept=".csv,.xlsx,text/csv"
            disabled={busy}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void choose(f);
              e.target.value = '';
            }}
          />
        </div>
        {busy && (
          <p className="utrecht-paragraph" role="status">
            Bezig …
          </p>
        )}
        {error && (
          <div className="utrecht-alert utrecht-alert--error" role="alert" data-testid="import-fout">
            <p className="utrecht-paragraph">{error.text}</p>
          </div>
        )}
      </section>

      {file && result && (result.stage === 'kolommen' || result.headers.length > 0) && (
        <section className="rk-card" aria-labelledby="kop-kolommen">
          <h2 id="kop-kolommen" className="utrecht-heading-2">
            Kolommen
          </h2>
          <p className="utrecht-paragraph">
            Welke kolom van <strong>{file.name}</strong> hoort bij welk gegeven? Herkende kolommen staan al ingevuld.
          </p>
          {result.mappingErrors.length > 0 && (
            <div className="utrecht-alert utrecht-alert--error" role="alert">
              <ul>
                {result.mappingErrors.map((m, i) => (
                  <li key={i}>{m.detail}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="rk-filters">
            {result.fields.map((f) => (
              <div className="utrecht-form-field" key={f.key}>
                <label className="utrecht-form-label" htmlFor={`kolom-${f.key}`}>
                  {f.label}
                  {f.required ? ' (verplicht)' : ''}
                </label>
                <select
                  id={`kolom-${f.key}`}
                  className="utrecht-select"
                  value={mapping[f.key] ?? ''}
                  onChange={(e) => setMapping({ ...mapping, [f.key]: e.target.value })}
                >
                  <option value="">— niet inlezen —</option>
                  {result.headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          <div>
            <button type="button" className="utrecht-button" disabled={busy} onClick={() => void run(file, mapping, true)}>
              Proefrun met deze kolommen
            </button>
          </div>
        </section>
      )}

      {file && result && result.stage !== 'kolommen' && (
        <section className="rk-card" aria-labelledby="kop-rapport">
          <h2 id="kop-rapport" className="utrecht-heading-2">
            {result.stage === 'proefrun' ? 'Proefrun: wat het inlezen zal doen' : 'Opgeslagen'}
          </h2>
          <p className="utrecht-paragraph" data-testid="import-telling">
            {formatCount(result.counts.rows)} regels: {formatCount(result.counts.nieuw)} nieuw, {formatCount(result.counts.gewijzigd)} gewijzigd,{' '}
            {formatCount(result.counts.ongewijzigd)} ongewijzigd, {formatCount(result.counts.geweigerd)} geweigerd ({formatCount(result.counts.providersNew)}{' '}
            nieuwe aanbieders, {formatCount(result.counts.locationsNew)} nieuwe locaties).
            {result.stage === 'proefrun' ? ' Er is nog niets opgeslagen.' : ''}
          </p>
          {result.stage === 'proefrun' && (
            <div>
              <button
                type="button"
                className="utrecht-button utrecht-button--primary-action"
                disabled={busy || result.counts.rows === result.counts.geweigerd}
                onClick={() => void run(file, mapping, false)}
              >
                {`Opslaan: ${formatCount(result.counts.rows - result.counts.geweigerd)} goedgekeurde regels`}
              </button>
            </div>
          )}
          <div className="utrecht-form-field">
            <input id="alleen-problemen" type="checkbox" checked={onlyIssues} onChange={(e) => setOnlyIssues(e.target.checked)} />{' '}
            <label className="utrecht-form-label" htmlFor="alleen-problemen">
              Alleen geweigerde regels en suggesties
            </label>
          </div>
          <DataTable
            rows={rows}
            rowKey={(r) => r.line}
            testId="import-regels"
            limit={1000}
            caption={
              result.rows.length < result.counts.rows
                ? `Per regel: ${formatCount(rows.length)} getoond, eerst de geweigerde regels en de suggesties (van ${formatCount(result.counts.rows)})`
                : `Per regel (${formatCount(rows.length)})`
            }
            columns={[
              { key: 'line', header: 'Regel', numeric: true, value: (r) => r.line },
              { key: 'status', header: 'Uitkomst', value: (r) => STATUS[r.status] },
              { key: 'name', header: 'Aanbieder', value: (r) => r.name || '–' },
              { key: 'location', header: 'Locatie', value: (r) => r.location ?? '–' },
              {
                key: 'detail',
                header: 'Toelichting',
                value: (r) =>
                  r.errors.map((e) => `${e.field}: ${e.detail}`).join('; ') ||
                  [r.changes.length ? `gewijzigd: ${r.changes.join(', ')}` : '', r.suggestion].filter(Boolean).join('; ') ||
                  '–',
              },
            ]}
          />
        </section>
      )}
    </>
  );
}

export function PendingNamesPanel({ regionId, me }: { regionId: string; me: Me }) {
  const queryClient = useQueryClient();
  const pending = useQuery({ queryKey: ['pending-names', regionId], queryFn: () => api<PendingName[]>(`/api/regions/${regionId}/providers/pending-names`) });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const adopt = async (p: PendingName, providerId: number | null, agbCode?: string) => {
    try {
      const r = await api<{ providerId: number; created: boolean; moved: number }>(`/api/regions/${regionId}/providers/pending-names`, {
        method: 'POST',
        json: { providerName: p.providerName, providerId, agbCode: agbCode || null },
      });
      setMessage({
        ok: true,
        text: `${p.providerName}: ${r.created ? 'nieuwe aanbieder opgenomen' : 'gekoppeld aan de gekozen aanbieder (naam bewaard als handelsnaam)'}; ${r.moved} wachttijdregels verwerkt.`,
      });
      await queryClient.invalidateQueries({ queryKey: ['pending-names', regionId] });
      await queryClient.invalidateQueries({ queryKey: ['providers', regionId] });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error ? e.message : 'Mislukt' });
    }
  };
  return (
    <section className="rk-card" aria-labelledby="kop-onbekend">
      <h2 id="kop-onbekend" className="utrecht-heading-2">
        Onbekende namen uit wachttijdlijsten
      </h2>
      <p className="utrecht-paragraph">
        Deze namen stonden in een ingelezen lijst maar passen niet (of niet eenduidig) op een aanbieder in het register. Kies de bedoelde aanbieder, of neem de
        naam in één stap op als nieuwe aanbieder; de regels gaan dan mee.
      </p>
      {message && (
        <div className={`utrecht-alert utrecht-alert--${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          <p className="utrecht-paragraph">{message.text}</p>
        </div>
      )}
      {pending.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {pending.error.message}
        </div>
      )}
      {pending.data && pending.data.length === 0 && <p className="utrecht-paragraph rk-muted">Er wachten geen regels op een aanbieder.</p>}
      {pending.data && pending.data.length > 0 && (
        <DataTable
          rows={pending.data}
          rowKey={(p) => p.nameKey}
          caption={`${pending.data.length} onbekende namen`}
          columns={[
            { key: 'name', header: 'Naam in de lijst', value: (p) => p.providerName },
            { key: 'rows', header: 'Regels', numeric: true, value: (p) => p.rows },
            {
              key: 'candidates',
              header: 'Bedoelt u …?',
              value: (p) => p.candidates.length,
              render: (p) =>
                me.role === 'regio' ? (
                  <span>
                    {p.candidates.map((c) => (
                      <button
                        key={c.id}
                        type="button"
                        className="utrecht-button utrecht-button--subtle"
                        onClick={() => void adopt(p, c.id)}
                      >{`${c.name} (${Math.round(c.score * 100)}%)`}</button>
                    ))}
                    {p.candidates.length === 0 && '–'}
                  </span>
                ) : (
                  p.candidates.map((c) => `${c.name} (${Math.round(c.score * 100)}%)`).join(', ') || '–'
                ),
            },
            {
              key: 'create',
              header: 'Nieuwe aanbieder',
              value: () => null,
              render: (p) =>
                me.role === 'regio' ? (
                  <button type="button" className="utrecht-button" onClick={() => void adopt(p, null)}>{`Opnemen als ${p.providerName}`}</button>
                ) : (
                  '–'
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
