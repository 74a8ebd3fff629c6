// Market analysis: how concentrated the money is per segment, and which providers hold 75% of it
// (the set for supplier management). Figures from /dashboard/concentration and /dashboard/providers.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, providerReportUrl, type Concentration, type RankedProvider } from '../api.ts';
import { formatCount, formatEuro, formatMillions } from '../format.ts';
import { useSearchParam } from '../router.tsx';
import { Chart, PALETTE } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Downloads } from '../components/Downloads.tsx';

const pct = (x: number, digits = 1) => `${(x * 100).toLocaleString('nl-NL', { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`;

export function ConcentrationView({ regionId, year }: { regionId: string; year: number }) {
  const [segmentParam, setSegment] = useSearchParam('segment');
  const segment = segmentParam ?? 'ALLE';
  const conc = useQuery({
    queryKey: ['concentration', regionId, year],
    queryFn: () => api<Concentration>(`/api/regions/${regionId}/dashboard/concentration?year=${year}`),
  });
  const ranking = useQuery({
    queryKey: ['ranking', regionId, year, segment],
    queryFn: () => api<RankedProvider[]>(`/api/regions/${regionId}/dashboard/providers?year=${year}&segment=${encodeURIComponent(segment)}`),
  });
  const all = conc.data ? [conc.data.overall, ...conc.data.bySegment] : [];
  const current = all.find((s) => s.code === segment) ?? conc.data?.overall;

  const paretoOption = useMemo(
    () =>
      current && {
        grid: { left: 60, right: 30, top: 20, bottom: 50 },
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toLocaleString('nl-NL')}%` },
        xAxis: {
          type: 'value',
          min: 0,
          max: 100,
          name: '% van de aanbieders (grootste eerst)',
          nameLocation: 'middle',
          nameGap: 30,
          axisLabel: { formatter: '{value}%' },
        },
        yAxis: { type: 'value', min: 0, max: 100, name: '% van het geld', axisLabel: { formatter: '{value}%' } },
        series: [
          {
            type: 'line',
            name: 'Cumulatief aandeel',
            showSymbol: false,
            itemStyle: { color: PALETTE[0] },
            areaStyle: { opacity: 0.1 },
            data: [[0, 0], ...current.pareto.map((v, i) => [Math.round(((i + 1) / current.pareto.length) * 1000) / 10, Math.round(v * 1000) / 10])],
          },
          {
            type: 'line',
            name: 'Gelijke verdeling',
            showSymbol: false,
            lineStyle: { type: 'dashed', color: '#667085' },
            data: [
              [0, 0],
              [100, 100],
            ],
          },
        ],
      },
    [current],
  );

  if (conc.isError)
    return (
      <div className="utrecht-alert utrecht-alert--error" role="alert">
        {conc.error.message}
      </div>
    );
  if (!conc.data || !current)
    return (
      <p className="utrecht-paragraph" role="status">
        Concentratie berekenen …
      </p>
    );

  const segmentColumns: Column<typeof current>[] = [
    { key: 'name', header: 'Segment', value: (s) => s.name },
    { key: 'amount', header: 'Bedrag', numeric: true, value: (s) => s.amountCents, render: (s) => formatEuro(s.amountCents) },
    { key: 'providers', header: 'Aanbieders', numeric: true, value: (s) => s.providers, render: (s) => formatCount(s.providers) },
    { key: 'top3', header: 'Top-3', numeric: true, value: (s) => s.top3Share, render: (s) => pct(s.top3Share) },
    {
      key: 'for50',
      header: '50% van het geld bij',
      numeric: true,
      value: (s) => s.providersFor50,
      render: (s) => (s.providers ? `${formatCount(s.providersFor50)} (${pct(s.providersFor50 / s.providers)})` : '–'),
    },
    {
      key: 'for75',
      header: '75% van het geld bij',
      numeric: true,
      value: (s) => s.providersFor75,
      render: (s) => (s.providers ? `${formatCount(s.providersFor75)} (${pct(s.providersFor75 / s.providers)})` : '–'),
    },
    { key: 'hhi', header: 'HHI', numeric: true, value: (s) => s.hhi, render: (s) => Math.round(s.hhi).toLocaleString('nl-NL') },
    { key: 'small', header: '1–10 cliënten', numeric: true, value: (s) => s.clientBands['1-10'], render: (s) => formatCount(s.clientBands['1-10']) },
    { key: 'mid', header: '11–100', numeric: true, value: (s) => s.clientBands['11-100'], render: (s) => formatCount(s.clientBands['11-100']) },
    { key: 'big', header: '> 100', numeric: true, value: (s) => s.clientBands['>100'], render: (s) => formatCount(s.clientBands['>100']) },
  ];
  const providerColumns: Column<RankedProvider>[] = [
    { key: 'rank', header: 'Rang', numeric: true, value: (r) => r.rank },
    { key: 'name', header: 'Aanbieder', value: (r) => r.name },
    { key: 'agb', header: 'AGB-code', value: (r) => r.agbCode, render: (r) => <code>{r.agbCode}</code> },
    { key: 'amount', header: 'Bedrag', numeric: true, value: (r) => r.amountCents, render: (r) => formatEuro(r.amountCents) },
    { key: 'share', header: 'Aandeel', numeric: true, value: (r) => r.share, render: (r) => pct(r.share, 2) },
    { key: 'cum', header: 'Cumulatief', numeric: true, value: (r) => r.cumulativeShare, render: (r) => pct(r.cumulativeShare) },
    { key: 'clients', header: 'Cliënten', numeric: true, value: (r) => r.clients, render: (r) => formatCount(r.clients) },
    { key: 'mun', header: 'Gemeenten', numeric: true, value: (r) => r.municipalities },
    { key: 'lm', header: 'Leveranciersmanagement', value: (r) => (r.supplierManagement ? 'ja' : 'nee') },
    {
      key: 'pdf',
      header: 'Kwartaalrapportage',
      value: () => null,
      render: (r) => (
        <a className="utrecht-link" href={providerReportUrl(regionId, r.providerId, year)} download>
          PDF {year}
          <span className="rk-visually-hidden"> laatste kwartaal</span>
          <span className="rk-visually-hidden"> {r.name}</span>
        </a>
      ),
    },
  ];
  const managed = ranking.data?.filter((r) => r.supplierManagement) ?? [];

  return (
    <>
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="conc-segment">
            Segment
          </label>
          <select id="conc-segment" className="utrecht-select utrecht-select--html-select" value={current.code} onChange={(e) => setSegment(e.target.value)}>
            {all.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <dl className="rk-kpis" aria-label={`Concentratie ${current.name} ${year}`}>
        <div className="rk-kpi">
          <dt>Aanbieders met declaraties</dt>
          <dd data-testid="conc-aanbieders">{formatCount(current.providers)}</dd>
        </div>
        <div className="rk-kpi">
          <dt>50% van het geld bij</dt>
          <dd data-testid="conc-50">{current.providers ? pct(current.providersFor50 / current.providers) : '–'}</dd>
          <dd className="rk-kpi__note">{formatCount(current.providersFor50)} aanbieders</dd>
        </div>
        <div className="rk-kpi">
          <dt>75% van het geld bij</dt>
          <dd data-testid="conc-75">{current.providers ? pct(current.providersFor75 / current.providers) : '–'}</dd>
          <dd className="rk-kpi__note">{formatCount(current.providersFor75)} aanbieders: leveranciersmanagement</dd>
        </div>
        <div className="rk-kpi">
          <dt>Herfindahl-index</dt>
          <dd>{Math.round(current.hhi).toLocaleString('nl-NL')}</dd>
          <dd className="rk-kpi__note">{current.hhi > 2500 ? 'sterk geconcentreerd' : current.hhi > 1500 ? 'matig geconcentreerd' : 'niet geconcentreerd'}</dd>
        </div>
      </dl>

      <section className="rk-section" aria-labelledby="kop-pareto">
        <h2 id="kop-pareto" className="utrecht-heading-2">
          Paretocurve: {current.name}
        </h2>
        {paretoOption && (
          <Chart
            option={paretoOption}
            testId="grafiek-pareto"
            height={340}
            label={`Paretocurve ${current.name} ${year}: ${pct(current.providersFor50 / Math.max(1, current.providers))} van de aanbieders ontvangt de helft van het geld; de tabel eronder bevat de aanbieders`}
          />
        )}
      </section>

      <section className="rk-section" aria-labelledby="kop-conc-segmenten">
        <h2 id="kop-conc-segmenten" className="utrecht-heading-2">
          Concentratie per segment
        </h2>
        <DataTable
          rows={all}
          columns={segmentColumns}
          rowKey={(s) => s.code}
          testId="tabel-concentratie"
          caption={`Marktconcentratie per segment, ${year}. HHI: som van de gekwadrateerde marktaandelen (0–10.000).`}
        />
      </section>

      <section className="rk-section" aria-labelledby="kop-lm">
        <div className="rk-section-head">
          <h2 id="kop-lm" className="utrecht-heading-2">
            Aanbieders naar bedrag: {current.name}
          </h2>
          <Downloads
            path={`/api/regions/${regionId}/dashboard/providers`}
            query={`year=${year}&segment=${encodeURIComponent(current.code)}`}
            what={`aanbieders ${current.name} ${year}`}
          />
        </div>
        {ranking.isError && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            {ranking.error.message}
          </div>
        )}
        {ranking.data && (
          <DataTable
            rows={ranking.data}
            columns={providerColumns}
            rowKey={(r) => r.providerId}
            testId="tabel-rangschikking"
            caption={`${formatCount(ranking.data.length)} aanbieders; de eerste ${formatCount(managed.length)} samen ${formatMillions(managed.reduce((a, r) => a + r.amountCents, 0))} (tot 75% van het geld) vallen onder leveranciersmanagement`}
          />
        )}
      </section>
    </>
  );
}
