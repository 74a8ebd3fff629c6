// Provider risk monitor: ratios from annual accounts, flags against the region's thresholds, a stress test on
// the region's money, entry and CSV import of figures, and the quarterly report per provider as PDF.
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, providerReportUrl, type Me, type RiskFlag, type RiskList, type RiskRow, type RiskThreshold } from '../api.ts';
import { formatCount, formatEuro } from '../format.ts';
import { useSearchParam } from '../router.tsx';
import { CsvImport } from '../components/CsvImport.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Downloads } from '../components/Downloads.tsx';
import { parseEuroCents } from '../../../src/core/money.ts'; // the server's own parser

const pct = (x: number | null, digits = 1) =>
  x === null ? '–' : `${(x * 100).toLocaleString('nl-NL', { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`;
const ratio = (x: number | null) => (x === null ? '–' : x.toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const RISK_NAMES: Record<RiskFlag['risk'], string> = {
  continuiteit: 'continuïteit',
  rechtmatigheid: 'rechtmatigheid',
  afhankelijkheid: 'afhankelijkheid',
  gegevens: 'jaarcijfers',
};
const RATIO_NAMES: Record<RiskThreshold['ratio'], string> = {
  solvency: 'Solvabiliteit',
  current_ratio: 'Current ratio',
  return: 'Rendement',
  staff_cost_per_fte: 'Personeelskosten per fte',
  dependency: 'Afhankelijkheid van de regio',
  stressed_return: 'Rendement na omzetdaling',
};
const thresholdText = (t: RiskThreshold) =>
  `${t.direction === 'below' ? 'onder' : 'boven'} ${t.ratio === 'staff_cost_per_fte' ? formatEuro(t.value) : t.ratio === 'current_ratio' ? ratio(t.value) : pct(t.value, 0)}`;

/** Flags as text in a coloured badge: the colour repeats what the text says, never replaces it. */
function Flags({ row }: { row: RiskRow }) {
  if (!row.figures) return <span className="rk-flag rk-flag--geen-budget">geen jaarcijfers</span>;
  if (!row.flags.length) return <span className="rk-flag rk-flag--binnen">geen signaal</span>;
  return (
    <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '0.25rem', minWidth: '15rem' }}>
      {row.flags.map((f) => (
        <li key={`${f.ratio}-${f.direction}`}>
          <span className={`rk-flag ${f.risk === 'continuiteit' ? 'rk-flag--over' : 'rk-flag--onder'}`} style={{ borderRadius: '6px' }} title={f.text}>
            {RISK_NAMES[f.risk]}: {f.label}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function RiskView({ regionId, year, me }: { regionId: string; year: number; me: Me }) {
  const [cutParam, setCut] = useSearchParam('korting');
  const [quarterParam, setQuarter] = useSearchParam('kwartaal');
  const cut = cutParam !== null && cutParam !== '' && !Number.isNaN(Number(cutParam)) ? Math.min(100, Math.max(0, Number(cutParam))) : 15;
  const quarter = Number(quarterParam) >= 1 && Number(quarterParam) <= 4 ? Number(quarterParam) : 4;
  const [cutDraft, setCutDraft] = useState(cut);
  useEffect(() => setCutDraft(cut), [cut]);
  const query = `year=${year}&cut=${cut}`;
  const list = useQuery({ queryKey: ['risk', regionId, query], queryFn: () => api<RiskList>(`/api/regions/${regionId}/risk?${query}`) });
  const r = list.data;

  const columns: Column<RiskRow>[] = [
    {
      key: 'name',
      header: 'Aanbieder',
      value: (p) => p.name,
      render: (p) => (
        <>
          {p.name}
          <br />
          <small className="rk-muted">AGB {p.agbCode}</small>
        </>
      ),
    },
    {
      key: 'money',
      header: 'Geld van de regio',
      numeric: true,
      value: (p) => p.regionCents,
      render: (p) => (p.regionCents === null ? '–' : formatEuro(p.regionCents)),
    },
    {
      key: 'revenue',
      header: 'Omzet',
      numeric: true,
      value: (p) => p.figures?.revenueCents ?? null,
      render: (p) => (p.figures ? formatEuro(p.figures.revenueCents) : '–'),
    },
    { key: 'dep', header: 'Afhankelijkheid', numeric: true, value: (p) => p.dependency, render: (p) => pct(p.dependency) },
    { key: 'solv', header: 'Solvabiliteit', numeric: true, value: (p) => p.solvency, render: (p) => pct(p.solvency) },
    { key: 'cr', header: 'Current ratio', numeric: true, value: (p) => p.currentRatio, render: (p) => ratio(p.currentRatio) },
    { key: 'ret', header: 'Rendement', numeric: true, value: (p) => p.returnRatio, render: (p) => pct(p.returnRatio) },
    {
      key: 'fte',
      header: 'Personeelskosten per fte',
      numeric: true,
      value: (p) => p.staffCostPerFteCents,
      render: (p) => (p.staffCostPerFteCents === null ? '–' : formatEuro(p.staffCostPerFteCents)),
    },
    {
      key: 'stress',
      header: `Rendement na ${cut}% daling`,
      numeric: true,
      value: (p) => p.stress?.returnRatio ?? null,
      render: (p) => pct(p.stress?.returnRatio ?? null),
    },
    { key: 'flags', header: 'Signalen', value: (p) => (p.figures ? p.flags.length : -1), render: (p) => <Flags row={p} /> },
    {
      key: 'pdf',
      header: 'Rapportage',
      value: () => null,
      render: (p) => (
        <a className="utrecht-link" href={providerReportUrl(regionId, p.providerId, year, quarter)} download>
          PDF K{quarter} {year}
          <span className="rk-visually-hidden"> {p.name}</span>
        </a>
      ),
    },
  ];
  const withFigures = r?.providers.filter((p) => p.figures) ?? [];
  const continuity = withFigures.filter((p) => p.flags.some((f) => f.risk === 'continuiteit' && f.ratio !== 'stressed_return'));
  const stressed = withFigures.filter((p) => p.flags.some((f) => f.ratio === 'stressed_return'));

  return (
    <>
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="risico-korting">
            Stresstest: daling van het geld van de regio (%)
          </label>
          <span style={{ display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
            <input
              id="risico-korting"
              type="range"
              min={0}
              max={50}
              step={1}
              value={cutDraft}
              aria-valuetext={`${cutDraft} procent`}
              onChange={(e) => setCutDraft(Number(e.target.value))}
              onPointerUp={() => setCut(String(cutDraft))}
              onKeyUp={() => setCut(String(cutDraft))}
            />
            <input
              type="number"
              className="utrecht-textbox utrecht-textbox--html-input"
              style={{ width: '5rem' }}
              min={0}
              max={100}
              step={1}
              value={cutDraft}
              aria-label="Daling in procent"
              onChange={(e) => setCutDraft(Number(e.target.value))}
              onBlur={() => setCut(String(cutDraft))}
              onKeyDown={(e) => {
                if (e.key === 'Enter') setCut(String(cutDraft));
              }}
              data-testid="risico-korting-getal"
            />
          </span>
        </div>
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="risico-kwartaal">
            Kwartaal voor de rapportage
          </label>
          <select id="risico-kwartaal" className="utrecht-select utrecht-select--html-select" value={quarter} onChange={(e) => setQuarter(e.target.value)}>
            {[1, 2, 3, 4].map((q) => (
              <option key={q} value={q}>
                K{q} {year}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {list.error.message}
        </div>
      )}
      {list.isPending && (
        <p className="utrecht-paragraph" role="status">
          Risicomonitor laden …
        </p>
      )}
      {r && (
        <>
          <p className="utrecht-paragraph" data-testid="risico-aanname">
            <strong>Aanname.</strong> {r.assumption}
          </p>
          <dl className="rk-kpis" aria-label={`Risicomonitor ${year}`}>
            <div className="rk-kpi">
              <dt>Aanbieders</dt>
              <dd data-testid="risico-aanbieders">{formatCount(r.providers.length)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Met jaarcijfers {year}</dt>
              <dd>{formatCount(withFigures.length)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Signaal continuïteit</dt>
              <dd data-testid="risico-continuiteit">{formatCount(continuity.length)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Verlies na {cut}% daling</dt>
              <dd data-testid="risico-stress">{formatCount(stressed.length)}</dd>
            </div>
          </dl>
          <section className="rk-section" aria-labelledby="kop-risico">
            <div className="rk-section-head">
              <h2 id="kop-risico" className="utrecht-heading-2">
                Aanbieders: kengetallen en signalen {year}
              </h2>
              <Downloads path={`/api/regions/${regionId}/risk`} query={query} what={`risicomonitor ${year}`} />
            </div>
            <DataTable
              rows={r.providers}
              columns={columns}
              rowKey={(p) => p.providerId}
              testId="tabel-risico"
              caption={`Jaarcijfers ${year} en kengetallen per aanbieder (${r.scopeLabel}). Solvabiliteit = eigen vermogen / balanstotaal; current ratio = vlottende activa / kortlopende schulden; rendement = resultaat / omzet; afhankelijkheid = geld van ${r.scopeLabel} / omzet.`}
            />
          </section>
          <section className="rk-section" aria-labelledby="kop-drempels">
            <h2 id="kop-drempels" className="utrecht-heading-2">
              Drempels
            </h2>
            <DataTable
              rows={r.thresholds}
              rowKey={(t) => `${t.ratio}-${t.direction}`}
              testId="tabel-drempels"
              caption="Een signaal ontstaat bij een waarde voorbij de drempel. De regio kan de drempels aanpassen."
              columns={[
                { key: 'ratio', header: 'Kengetal', value: (t) => RATIO_NAMES[t.ratio] },
                { key: 'value', header: 'Signaal bij', value: (t) => t.value, render: thresholdText },
                { key: 'label', header: 'Signaal', value: (t) => `${RISK_NAMES[t.risk as RiskFlag['risk']] ?? t.risk}: ${t.label}` },
                { key: 'source', header: 'Bron van de drempel', value: (t) => t.source },
              ]}
            />
          </section>
          {me.role === 'regio' && <FiguresForm regionId={regionId} year={year} providers={r.providers} />}
          {me.role === 'regio' && <FiguresImport regionId={regionId} />}
        </>
      )}
    </>
  );
}

const centsToInput = (c: number | null | undefined) => (c === null || c === undefined ? '' : (c / 100).toFixed(2).replace('.', ','));

const FIELDS = [
  { key: 'revenueCents', label: 'Omzet' },
  { key: 'youthActRevenueCents', label: 'Waarvan Jeugdwet (mag leeg)', optional: true },
  { key: 'resultCents', label: 'Resultaat (negatief bij verlies)' },
  { key: 'equityCents', label: 'Eigen vermogen' },
  { key: 'totalAssetsCents', label: 'Balanstotaal' },
  { key: 'currentAssetsCents', label: 'Vlottende activa' },
  { key: 'currentLiabilitiesCents', label: 'Kortlopende schulden' },
  { key: 'staffCostsCents', label: 'Personeelskosten' },
] as const;
type FieldKey = (typeof FIELDS)[number]['key'];

function FiguresForm({ regionId, year, providers }: { regionId: string; year: number; providers: RiskRow[] }) {
  const queryClient = useQueryClient();
  const [providerId, setProviderId] = useState<number | ''>('');
  const [formYear, setFormYear] = useState(year);
  const [values, setValues] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const pick = (id: number | '') => {
    setProviderId(id);
    const f = providers.find((p) => p.providerId === id)?.figures;
    setValues(f ? { ...Object.fromEntries(FIELDS.map((x) => [x.key, centsToInput(f[x.key])])), fte: String(f.fte).replace('.', ','), source: f.source } : {});
    setMessage(null);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    if (providerId === '') {
      setMessage({ ok: false, text: 'Kies een aanbieder.' });
      return;
    }
    const fteText = (values.fte ?? '').trim().replace(',', '.');
    if (!/^\d+(\.\d{1,2})?$/.test(fteText)) {
      setMessage({ ok: false, text: `Fte: '${values.fte ?? ''}' is geen aantal fte (bv. 12,5)` });
      return;
    }
    const body: Record<string, unknown> = { year: formYear, source: values.source ?? '', fte: Number(fteText) };
    for (const f of FIELDS) {
      const text = (values[f.key] ?? '').trim();
      if (text === '' && 'optional' in f) {
        body[f.key] = null;
        continue;
      }
      const c = parseEuroCents(text);
      if (c === null) {
        setMessage({ ok: false, text: `${f.label}: '${text}' is geen bedrag in euro's (bv. 1250000,00)` });
        return;
      }
      body[f.key] = c;
    }
    try {
      await api(`/api/regions/${regionId}/risk/providers/${providerId}`, { method: 'PUT', json: body });
      setMessage({ ok: true, text: `Jaarcijfers ${formYear} opgeslagen.` });
      await queryClient.invalidateQueries({ queryKey: ['risk', regionId] });
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiError ? err.message : 'Opslaan mislukt' });
    }
  };
  return (
    <section className="rk-section rk-card" aria-labelledby="kop-jaarcijfers">
      <h2 id="kop-jaarcijfers" className="utrecht-heading-2">
        Jaarcijfers invoeren
      </h2>
      <p className="utrecht-paragraph">Bedragen in euro's uit de jaarrekening. Bestaande cijfers voor dezelfde aanbieder en hetzelfde jaar worden vervangen.</p>
      <form onSubmit={submit} data-testid="form-jaarcijfers">
        <div className="rk-filters">
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="jc-aanbieder">
              Aanbieder
            </label>
            <select
              id="jc-aanbieder"
              className="utrecht-select utrecht-select--html-select"
              value={providerId}
              onChange={(e) => pick(e.target.value ? Number(e.target.value) : '')}
            >
              <option value="">Kies een aanbieder</option>
              {[...providers]
                .sort((a, b) => a.name.localeCompare(b.name, 'nl'))
                .map((p) => (
                  <option key={p.providerId} value={p.providerId}>
                    {p.name} ({p.agbCode})
                  </option>
                ))}
            </select>
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="jc-jaar">
              Boekjaar
            </label>
            <input
              id="jc-jaar"
              type="number"
              className="utrecht-textbox utrecht-textbox--html-input"
              min={2000}
              max={2100}
              value={formYear}
              onChange={(e) => setFormYear(Number(e.target.value))}
            />
          </div>
        </div>
        <div className="rk-filters">
          {FIELDS.map((f) => (
            <div className="rk-inline-field" key={f.key}>
              <label className="utrecht-form-label" htmlFor={`jc-${f.key}`}>
                {f.label}
              </label>
              <input
                id={`jc-${f.key}`}
                inputMode="decimal"
                className="utrecht-textbox utrecht-textbox--html-input"
                value={values[f.key as FieldKey] ?? ''}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              />
            </div>
          ))}
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="jc-fte">
              Fte
            </label>
            <input
              id="jc-fte"
              inputMode="decimal"
              className="utrecht-textbox utrecht-textbox--html-input"
              value={values.fte ?? ''}
              onChange={(e) => setValues({ ...values, fte: e.target.value })}
            />
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="jc-bron">
              Bron
            </label>
            <input
              id="jc-bron"
              className="utrecht-textbox utrecht-textbox--html-input"
              placeholder="jaarrekening 2023"
              value={values.source ?? ''}
              onChange={(e) => setValues({ ...values, source: e.target.value })}
            />
          </div>
        </div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action">
          Opslaan
        </button>
      </form>
      {message && (
        <div className={`utrecht-alert ${message.ok ? 'utrecht-alert--ok' : 'utrecht-alert--error'}`} role={message.ok ? 'status' : 'alert'}>
          <p className="utrecht-paragraph">{message.text}</p>
        </div>
      )}
    </section>
  );
}

function FiguresImport({ regionId }: { regionId: string }) {
  return (
    <CsvImport
      id="jaarcijfers-import"
      title="Jaarcijfers inlezen"
      url={`/api/regions/${regionId}/risk/import`}
      invalidate={['risk', regionId]}
      done={(n) => `${n} regels jaarcijfers ingelezen.`}
      testId="jaarcijfers-melding"
    >
      <p className="utrecht-paragraph">
        CSV met de kolommen{' '}
        <code>AGB-code;Jaar;Omzet;Waarvan Jeugdwet;Resultaat;Eigen vermogen;Balanstotaal;Vlottende activa;Kortlopende schulden;Personeelskosten;Fte;Bron</code>,
        bedragen in euro's. Eén foute regel en er wordt niets opgeslagen.
      </p>
    </CsvImport>
  );
}
