// The home dashboard: costs, persons and providers per segment and per municipality for one year.
// Every figure comes from GET /api/regions/:id/dashboard; the CSV links export exactly the same query.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, defaultYear, type Dashboard, type Me, type RegionDetail } from '../api.ts';
import { formatCount, formatEuro, formatMillions } from '../format.ts';
import { useSearchParam } from '../router.tsx';
import { ConcentrationView } from './Concentration.tsx';
import { CostsBreakdown } from './Costs.tsx';
import { BudgetView } from './Budget.tsx';
import { FlowsView } from './Flows.tsx';
import { RiskView } from './Risk.tsx';
import { TrendView } from './Trend.tsx';
import { DrillLink, RowsView } from './Rows.tsx';
import { Downloads } from '../components/Downloads.tsx';
import { Chart, PALETTE } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';

export function DashboardPage({ regionId, me }: { regionId: string; me: Me }) {
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const [yearParam, setYear] = useSearchParam('jaar');
  const [viewParam, setView] = useSearchParam('weergave');
  const market = me.role === 'regio' || me.role === 'gemeente';
  const views = [
    { id: 'kosten', title: 'Kosten' },
    { id: 'meerjaren', title: 'Meerjarenbeeld' },
    { id: 'stromen', title: 'Stromen' },
    ...(market
      ? [
          { id: 'budget', title: 'Budget' },
          { id: 'concentratie', title: 'Concentratie' },
        ]
      : []),
    ...(market || me.role === 'aanbieder' ? [{ id: 'risico', title: 'Risico' }] : []),
  ];
  // 'regels' (the rows behind a figure) is reached from a figure, not from a tab
  const view = viewParam === 'regels' ? 'regels' : (views.find((v) => v.id === viewParam)?.id ?? 'kosten');
  const years = region.data?.years ?? [];
  const year = Number(yearParam) || defaultYear(region.data);
  const dash = useQuery({
    queryKey: ['dashboard', regionId, year],
    queryFn: () => api<Dashboard>(`/api/regions/${regionId}/dashboard?year=${year}`),
    enabled: region.isSuccess && view === 'kosten',
  });

  return (
    <>
      <div className="rk-page-head">
        <div>
          <h1 className="utrecht-heading-1">Monitoring</h1>
          <p className="utrecht-paragraph rk-muted">
            {region.data?.name}
            {dash.data && (
              <>
                {' '}
                · <span data-testid="scope">{dash.data.scope.label}</span>
              </>
            )}
          </p>
        </div>
        {view !== 'meerjaren' && (
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="jaar">
              Jaar
            </label>
            <select id="jaar" className="utrecht-select utrecht-select--html-select" value={year} onChange={(e) => setYear(e.target.value)}>
              {(years.length ? years : [year]).map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {views.length > 1 && (
        <nav className="rk-tabs" aria-label="Weergave">
          {views.map((v) => (
            <a
              key={v.id}
              href={`?weergave=${v.id}&jaar=${year}`}
              className="rk-tab"
              aria-current={view === v.id ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                setView(v.id);
              }}
            >
              {v.title}
            </a>
          ))}
        </nav>
      )}
      {view === 'concentratie' && region.isSuccess && <ConcentrationView regionId={regionId} year={year} />}
      {view === 'meerjaren' && region.isSuccess && <TrendView regionId={regionId} />}
      {view === 'stromen' && region.isSuccess && <FlowsView regionId={regionId} year={year} />}
      {view === 'budget' && region.isSuccess && <BudgetView regionId={regionId} year={year} me={me} />}
      {view === 'risico' && region.isSuccess && <RiskView regionId={regionId} year={year} me={me} />}
      {view === 'regels' && region.data && <RowsView regionId={regionId} year={year} region={region.data} />}
      {view === 'kosten' && (
        <>
          {(region.isError || dash.isError) && (
            <div className="utrecht-alert utrecht-alert--error" role="alert">
              {(region.error ?? dash.error)?.message}
            </div>
          )}
          {dash.isPending && !dash.isError && (
            <p className="utrecht-paragraph" role="status">
              Cijfers laden …
            </p>
          )}
          {dash.data && <DashboardView d={dash.data} />}
          {dash.data && region.data && <CostsBreakdown regionId={regionId} year={year} segments={region.data.segments} />}
        </>
      )}
    </>
  );
}

function DashboardView({ d }: { d: Dashboard }) {
  const base = `/api/regions/${d.regionId}/dashboard`;
  const segColor = (i: number) => PALETTE[i % PALETTE.length];
  const empty = d.totals.amountCents === 0;
  // the year before, where both years hold declarations (issue 18 §1: the dashboard compares with the previous year)
  const p = d.previous && !empty ? d.previous : null;

  const segmentOption = useMemo(
    () => ({
      aria: { enabled: true },
      grid: { left: 150, right: 30, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatEuro(v * 100) },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `€ ${(v / 1e6).toLocaleString('nl-NL')} mln` } },
      yAxis: { type: 'category', inverse: true, data: d.bySegment.map((s) => s.name) },
      series: [{ type: 'bar', name: 'Kosten', data: d.bySegment.map((s, i) => ({ value: s.amountCents / 100, itemStyle: { color: segColor(i) } })) }],
    }),
    [d],
  );

  const municipalityOption = useMemo(
    () => ({
      grid: { left: 130, right: 30, top: 40, bottom: 30 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatEuro(v * 100) },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `€ ${(v / 1e6).toLocaleString('nl-NL')} mln` } },
      yAxis: { type: 'category', inverse: true, data: d.byMunicipality.map((m) => m.name) },
      series: d.bySegment.map((s, i) => ({
        type: 'bar',
        stack: 'kosten',
        name: s.name,
        itemStyle: { color: segColor(i) },
        data: d.byMunicipality.map((m) => (m.segments[s.code]?.amountCents ?? 0) / 100),
      })),
    }),
    [d],
  );

  type Seg = Dashboard['bySegment'][number];
  const segmentColumns: Column<Seg>[] = [
    { key: 'name', header: 'Segment', value: (s) => s.name, total: 'Totaal' },
    {
      key: 'amount',
      header: 'Kosten',
      numeric: true,
      value: (s) => s.amountCents,
      render: (s) => (
        <DrillLink year={d.year} filters={{ segment: s.code }} what={s.name}>
          {formatEuro(s.amountCents)}
        </DrillLink>
      ),
      total: (
        <DrillLink year={d.year} filters={{}} what="alle segmenten">
          {formatEuro(d.totals.amountCents)}
        </DrillLink>
      ),
    },
    {
      key: 'share',
      header: 'Aandeel',
      numeric: true,
      value: (s) => s.amountCents,
      render: (s) => (d.totals.amountCents ? `${((100 * s.amountCents) / d.totals.amountCents).toLocaleString('nl-NL', { maximumFractionDigits: 1 })}%` : '–'),
      total: '100%',
    },
    { key: 'persons', header: 'Personen', numeric: true, value: (s) => s.persons, render: (s) => formatCount(s.persons), total: formatCount(d.totals.persons) },
    {
      key: 'providers',
      header: 'Aanbieders',
      numeric: true,
      value: (s) => s.providers,
      render: (s) => formatCount(s.providers),
      total: formatCount(d.totals.providers),
    },
  ];

  type Mun = Dashboard['byMunicipality'][number];
  const municipalityColumns: Column<Mun>[] = [
    { key: 'name', header: 'Gemeente', value: (m) => m.name, total: 'Totaal' },
    {
      key: 'amount',
      header: 'Kosten',
      numeric: true,
      value: (m) => m.amountCents,
      render: (m) => (
        <DrillLink year={d.year} filters={{ gemeente: m.code }} what={m.name}>
          {formatEuro(m.amountCents)}
        </DrillLink>
      ),
      total: formatEuro(d.totals.amountCents),
    },
    { key: 'persons', header: 'Personen', numeric: true, value: (m) => m.persons, render: (m) => formatCount(m.persons), total: formatCount(d.totals.persons) },
    ...d.bySegment.map(
      (s): Column<Mun> => ({
        key: `seg-${s.code}`,
        header: s.name,
        numeric: true,
        value: (m) => m.segments[s.code]?.amountCents ?? 0,
        render: (m) => (
          <DrillLink year={d.year} filters={{ gemeente: m.code, segment: s.code }} what={`${s.name} in ${m.name}`}>
            {formatEuro(m.segments[s.code]?.amountCents ?? 0)}
          </DrillLink>
        ),
        total: formatEuro(s.amountCents),
      }),
    ),
  ];

  return (
    <>
      <dl className="rk-kpis" aria-label={`Kerncijfers ${d.year}`}>
        <div className="rk-kpi">
          <dt>Kosten {d.year}</dt>
          <dd data-testid="kpi-kosten">{formatMillions(d.totals.amountCents)}</dd>
          {p && (
            <dd className="rk-muted" data-testid="kpi-kosten-verschil">
              {versus(d.totals.amountCents, p.amountCents)} t.o.v. {p.year} ({formatMillions(p.amountCents)})
            </dd>
          )}
        </div>
        <div className="rk-kpi">
          <dt>Personen met jeugdhulp</dt>
          <dd data-testid="kpi-personen">{formatCount(d.totals.persons)}</dd>
          {p && (
            <dd className="rk-muted" data-testid="kpi-personen-verschil">
              {versus(d.totals.persons, p.persons)} t.o.v. {p.year} ({formatCount(p.persons)})
            </dd>
          )}
        </div>
        <div className="rk-kpi">
          <dt>Aanbieders met declaraties</dt>
          <dd data-testid="kpi-aanbieders">{formatCount(d.totals.providers)}</dd>
          {p && (
            <dd className="rk-muted" data-testid="kpi-aanbieders-verschil">
              {versus(d.totals.providers, p.providers)} t.o.v. {p.year} ({formatCount(p.providers)})
            </dd>
          )}
        </div>
        <div className="rk-kpi">
          <dt>Gemeenten</dt>
          <dd data-testid="kpi-gemeenten">{formatCount(d.totals.municipalities)}</dd>
        </div>
      </dl>
      {empty && (
        <div className="utrecht-alert utrecht-alert--info" role="status">
          <p className="utrecht-paragraph">Er zijn geen declaraties in {d.year}.</p>
        </div>
      )}

      <section className="rk-section" aria-labelledby="kop-segmenten">
        <div className="rk-section-head">
          <h2 id="kop-segmenten" className="utrecht-heading-2">
            Kosten per segment
          </h2>
          <Downloads path={`${base}/segments`} query={`year=${d.year}`} what={`kosten per segment ${d.year}`} />
        </div>
        <Chart
          option={segmentOption}
          testId="grafiek-segmenten"
          height={60 + 40 * d.bySegment.length}
          label={`Staafdiagram kosten per segment in ${d.year}: ${d.bySegment.map((s) => `${s.name} ${formatMillions(s.amountCents)}`).join(', ')}`}
        />
        <DataTable
          rows={d.bySegment}
          columns={segmentColumns}
          rowKey={(s) => s.code}
          testId="tabel-segmenten"
          caption={`Kosten, personen en aanbieders per segment, ${d.year}`}
        />
      </section>

      <section className="rk-section" aria-labelledby="kop-gemeenten">
        <div className="rk-section-head">
          <h2 id="kop-gemeenten" className="utrecht-heading-2">
            Kosten per gemeente
          </h2>
          <Downloads path={`${base}/municipalities`} query={`year=${d.year}`} what={`kosten per gemeente ${d.year}`} />
        </div>
        <Chart
          option={municipalityOption}
          testId="grafiek-gemeenten"
          height={80 + 28 * d.byMunicipality.length}
          label={`Gestapeld staafdiagram kosten per gemeente en segment in ${d.year}; de tabel hieronder bevat dezelfde cijfers`}
        />
        <DataTable
          rows={d.byMunicipality}
          columns={municipalityColumns}
          rowKey={(m) => m.code}
          testId="tabel-gemeenten"
          initialSort={{ key: 'amount', desc: true }}
          caption={`Kosten per gemeente en segment, ${d.year} (gemeente die betaalt, woonplaatsbeginsel)`}
        />
      </section>
      <p className="utrecht-paragraph rk-muted rk-source">
        Bron: declaratieregels in de database met een periode in {d.year}, naar de gemeente die betaalt. Personen zijn unieke jeugdigen; per segment en gemeente
        telt iemand mee in elk segment waarin hij zorg kreeg. De CSV-bestanden bevatten dezelfde cijfers.
      </p>
    </>
  );
}

/** '+3,2%' / '−1,0%' / '0%': the change against the year before, one decimal; '–' without a year before. */
function versus(now: number, before: number): string {
  if (!before) return '–';
  const pct = Math.round(((now - before) / before) * 1000) / 10;
  return `${pct > 0 ? '+' : pct < 0 ? '−' : ''}${Math.abs(pct).toLocaleString('nl-NL')}%`;
}
