// Budget against realisation and forecast, per municipality and segment; import of budgets from CSV.
import { useQuery } from '@tanstack/react-query';
import { api, type BudgetLine, type BudgetReport, type Me } from '../api.ts';
import { formatEuro } from '../format.ts';
import { useSearchParam } from '../router.tsx';
import { CsvImport } from '../components/CsvImport.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Downloads } from '../components/Downloads.tsx';

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
const FLAG_TEXT: Record<BudgetLine['flag'], string> = {
  binnen: 'binnen budget',
  over: 'overschrijding',
  onder: 'onderbesteding',
  'geen budget': 'geen budget',
};

function Flag({ line }: { line: BudgetLine }) {
  return <span className={`rk-flag rk-flag--${line.flag.replace(' ', '-')}`}>{FLAG_TEXT[line.flag]}</span>;
}

function lineColumns<T extends BudgetLine>(first: Column<T>, total?: BudgetLine): Column<T>[] {
  const pct = (l: BudgetLine) => (l.deviationPct === null ? '–' : `${l.deviationPct > 0 ? '+' : ''}${l.deviationPct.toLocaleString('nl-NL')}%`);
  return [
    first,
    {
      key: 'budget',
      header: 'Budget',
      numeric: true,
      value: (l) => l.budgetCents,
      render: (l) => (l.budgetCents === null ? '–' : formatEuro(l.budgetCents)),
      total: total && (total.budgetCents === null ? '–' : formatEuro(total.budgetCents)),
    },
    {
      key: 'declared',
      header: 'Gedeclareerd',
      numeric: true,
      value: (l) => l.declaredCents,
      render: (l) => formatEuro(l.declaredCents),
      total: total && formatEuro(total.declaredCents),
    },
    {
      key: 'realised',
      header: 'Realisatie (alle bekostigingsvormen)',
      numeric: true,
      value: (l) => l.realisedCents,
      render: (l) => formatEuro(l.realisedCents),
      total: total && formatEuro(total.realisedCents),
    },
    {
      key: 'forecast',
      header: 'Prognose',
      numeric: true,
      value: (l) => l.forecastCents,
      render: (l) => formatEuro(l.forecastCents),
      total: total && formatEuro(total.forecastCents),
    },
    {
      key: 'dev',
      header: 'Afwijking',
      numeric: true,
      value: (l) => l.deviationCents,
      render: (l) => (l.deviationCents === null ? '–' : formatEuro(l.deviationCents)),
      total: total && (total.deviationCents === null ? '–' : formatEuro(total.deviationCents)),
    },
    { key: 'pct', header: 'Afwijking %', numeric: true, value: (l) => l.deviationPct, render: pct, total: total && pct(total) },
    { key: 'flag', header: 'Signaal', value: (l) => l.flag, render: (l) => <Flag line={l} />, total: total && <Flag line={total} /> },
  ];
}

export function BudgetView({ regionId, year, me }: { regionId: string; year: number; me: Me }) {
  const [throughParam, setThrough] = useSearchParam('tm');
  const through = throughParam ? Number(throughParam) : undefined;
  const query = `year=${year}${through ? `&through=${through}` : ''}`;
  const report = useQuery({ queryKey: ['budget', regionId, query], queryFn: () => api<BudgetReport>(`/api/regions/${regionId}/dashboard/budget?${query}`) });
  const b = report.data;
  const flagged = b?.cells.filter((c) => c.flag === 'over' || c.flag === 'onder') ?? [];
  type Mun = BudgetReport['byMunicipality'][number];
  type Cell = BudgetReport['cells'][number];
  return (
    <>
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="budget-tm">
            Realisatie tot en met
          </label>
          <select
            id="budget-tm"
            className="utrecht-select utrecht-select--html-select"
            value={b?.throughMonth ?? through ?? 12}
            onChange={(e) => setThrough(e.target.value)}
          >
            {MONTHS.map((m, i) => (
              <option key={m} value={i + 1}>
                {m} {year}
              </option>
            ))}
          </select>
        </div>
      </div>
      {report.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {report.error.message}
        </div>
      )}
      {report.isPending && (
        <p className="utrecht-paragraph" role="status">
          Budget en realisatie laden …
        </p>
      )}
      {b && (
        <>
          <p className="utrecht-paragraph" data-testid="budget-methode">
            <strong>Prognosemethode.</strong> {b.method} Gemarkeerd bij meer dan {b.thresholdPct}% afwijking.
          </p>
          <dl className="rk-kpis" aria-label={`Budget ${year}`}>
            <div className="rk-kpi">
              <dt>Budget {year}</dt>
              <dd data-testid="budget-totaal">{b.total.budgetCents === null ? '–' : formatEuro(b.total.budgetCents)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Realisatie t/m {MONTHS[b.throughMonth - 1]}</dt>
              <dd>{formatEuro(b.total.realisedCents)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Prognose jaareinde</dt>
              <dd>{formatEuro(b.total.forecastCents)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Gemarkeerde posten</dt>
              <dd data-testid="budget-signalen">{flagged.length}</dd>
            </div>
          </dl>
          <section className="rk-section" aria-labelledby="kop-budget-gemeente">
            <div className="rk-section-head">
              <h2 id="kop-budget-gemeente" className="utrecht-heading-2">
                Per gemeente
              </h2>
              <Downloads path={`/api/regions/${regionId}/dashboard/budget`} query={query} what={`budget per gemeente en segment ${year}`} />
            </div>
            <DataTable
              rows={b.byMunicipality}
              rowKey={(m) => m.code}
              testId="tabel-budget-gemeenten"
              caption={`Budget, realisatie en prognose per gemeente, ${year}`}
              columns={lineColumns<Mun>({ key: 'name', header: 'Gemeente', value: (m) => m.name, total: 'Totaal' }, b.total)}
            />
          </section>
          <section className="rk-section" aria-labelledby="kop-budget-signalen">
            <h2 id="kop-budget-signalen" className="utrecht-heading-2">
              Gemarkeerde posten (gemeente × segment)
            </h2>
            {flagged.length === 0 ? (
              <p className="utrecht-paragraph">Geen posten buiten de marge van {b.thresholdPct}%.</p>
            ) : (
              <DataTable
                rows={flagged}
                rowKey={(c) => `${c.municipalityCode}-${c.segmentCode}`}
                testId="tabel-budget-signalen"
                caption={`${flagged.length} posten wijken meer dan ${b.thresholdPct}% af van het budget`}
                initialSort={{ key: 'pct', desc: true }}
                columns={lineColumns<Cell>({
                  key: 'name',
                  header: 'Gemeente en segment',
                  value: (c) => `${c.municipalityName} ${c.segmentName}`,
                  render: (c) => `${c.municipalityName} · ${c.segmentName}`,
                })}
              />
            )}
          </section>
          {(me.role === 'regio' || me.role === 'gemeente') && <BudgetImport regionId={regionId} />}
        </>
      )}
    </>
  );
}

function BudgetImport({ regionId }: { regionId: string }) {
  return (
    <CsvImport
      id="budget-import"
      title="Budgetten inlezen"
      url={`/api/regions/${regionId}/budgets/import`}
      invalidate={['budget', regionId]}
      done={(n) => `${n} budgetregels ingelezen.`}
    >
      <p className="utrecht-paragraph">
        CSV met de kolommen <code>CBS-code;Segment;Jaar;Bedrag (EUR)</code>. Eén foute regel en er wordt niets opgeslagen; bestaande budgetten voor dezelfde
        gemeente, segment en jaar worden vervangen.
      </p>
    </CsvImport>
  );
}
