// The multi-year view (Meerjarenbeeld, issue 18 §1): per year, along a segment, municipality or provider, the money,
// the persons (distinct youths in that year) and the average per person, within the caller's scope. Every figure comes
// from GET /api/regions/:id/dashboard/trend; the table shows one measure per year and its CSV holds exactly those cells.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Trend } from '../api.ts';
import { formatCount, formatEuro, formatMillions } from '../format.ts';
import { useSearchParam } from '../router.tsx';
import { Chart, PALETTE } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Downloads } from '../components/Downloads.tsx';

const DIMENSIONS = [
  { id: 'segment', name: 'Segment' },
  { id: 'gemeente', name: 'Gemeente' },
  { id: 'aanbieder', name: 'Aanbieder' },
] as const;
const METRICS = [
  { id: 'bedrag', name: 'Kosten' },
  { id: 'personen', name: 'Personen' },
  { id: 'gemiddeld', name: 'Gemiddeld per persoon' },
] as const;
/** Lines in the chart besides the total: the largest series of the last year (the table holds them all). */
const CHART_SERIES = 8;

type Series = Trend['rows'][number];
type Cell = Series['years'][number];

export function TrendView({ regionId }: { regionId: string }) {
  const [byParam, setBy] = useSearchParam('naar');
  const [metricParam, setMetric] = useSearchParam('maat');
  const by = DIMENSIONS.find((d) => d.id === byParam)?.id ?? 'segment';
  const metric = METRICS.find((m) => m.id === metricParam)?.id ?? 'bedrag';
  const dimName = DIMENSIONS.find((d) => d.id === by)!.name;
  const metricName = METRICS.find((m) => m.id === metric)!.name;
  const trend = useQuery({ queryKey: ['trend', regionId, by], queryFn: () => api<Trend>(`/api/regions/${regionId}/dashboard/trend?by=${by}`) });
  const t = trend.data;
  const value = (c: Cell | undefined) =>
    c === undefined ? null : metric === 'bedrag' ? c.amountCents : metric === 'personen' ? c.persons : c.averageCentsPerPerson;
  const show = (v: number | null) => (v === null ? '–' : metric === 'personen' ? formatCount(v) : formatEuro(v));
  const change = (c: Cell | undefined) => (c?.changePct == null ? '–' : `${c.changePct > 0 ? '+' : ''}${c.changePct.toLocaleString('nl-NL')}%`);

  const option = useMemo(() => {
    if (!t) return null;
    const lines = [t.total, ...t.rows.slice(0, CHART_SERIES)];
    const scale = (v: number | null) => (v === null ? null : metric === 'personen' ? v : v / 100);
    return {
      grid: { left: 90, right: 20, top: 70, bottom: 30 },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => (metric === 'personen' ? formatCount(v) : formatEuro(v * 100)) },
      xAxis: { type: 'category', data: t.years.map(String) },
      yAxis: {
        type: 'value',
        axisLabel: {
          formatter: (v: number) =>
            metric === 'bedrag'
              ? `€ ${(v / 1e6).toLocaleString('nl-NL')} mln`
              : metric === 'gemiddeld'
                ? `€ ${v.toLocaleString('nl-NL')}`
                : v.toLocaleString('nl-NL'),
        },
      },
      series: lines.map((s, i) => ({
        type: 'line',
        name: s.label,
        data: s.years.map((c) => scale(value(c))),
        lineStyle: i === 0 ? { width: 3 } : undefined,
        itemStyle: { color: i === 0 ? '#212529' : PALETTE[(i - 1) % PALETTE.length] },
      })),
    };
  }, [t, metric]);

  const last = t?.years.at(-1);
  const columns: Column<Series>[] = t
    ? [
        { key: 'label', header: dimName, value: (s) => s.label, total: 'Totaal' },
        ...t.years.map(
          (y, i): Column<Series> => ({
            key: `y${y}`,
            header: `${metricName} ${y}`,
            numeric: true,
            value: (s) => value(s.years[i]),
            render: (s) => show(value(s.years[i])),
            total: show(value(t.total.years[i])),
          }),
        ),
        ...(last !== undefined && t.years.length > 1
          ? [
              {
                key: 'change',
                header: `Verschil kosten ${last} t.o.v. ${last - 1}`,
                numeric: true,
                value: (s: Series) => s.years.at(-1)?.changePct ?? null,
                render: (s: Series) => change(s.years.at(-1)),
                total: change(t.total.years.at(-1)),
              },
            ]
          : []),
      ]
    : [];
  const query = `by=${by}&maat=${metric}`;

  return (
    <section className="rk-section" aria-labelledby="kop-meerjaren">
      <div className="rk-section-head">
        <h2 id="kop-meerjaren" className="utrecht-heading-2">
          Meerjarenbeeld: {metricName.toLowerCase()} per {dimName.toLowerCase()}
        </h2>
        <Downloads
          path={`/api/regions/${regionId}/dashboard/trend`}
          query={query}
          what={`meerjarenbeeld ${metricName.toLowerCase()} per ${dimName.toLowerCase()}`}
        />
      </div>
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="meerjaren-naar">
            Uitsplitsen naar
          </label>
          <select id="meerjaren-naar" className="utrecht-select utrecht-select--html-select" value={by} onChange={(e) => setBy(e.target.value)}>
            {DIMENSIONS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="meerjaren-maat">
            Maat
          </label>
          <select id="meerjaren-maat" className="utrecht-select utrecht-select--html-select" value={metric} onChange={(e) => setMetric(e.target.value)}>
            {METRICS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {trend.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {trend.error.message}
        </div>
      )}
      {trend.isPending && (
        <p className="utrecht-paragraph" role="status">
          Meerjarenbeeld laden …
        </p>
      )}
      {t && t.years.length === 0 && (
        <div className="utrecht-alert utrecht-alert--info" role="status">
          <p className="utrecht-paragraph">Er zijn nog geen declaraties.</p>
        </div>
      )}
      {t && t.years.length > 0 && option && (
        <>
          <dl className="rk-kpis" aria-label="Totaal per jaar">
            {t.total.years.map((c) => (
              <div className="rk-kpi" key={c.year}>
                <dt>{c.year}</dt>
                <dd data-testid={`meerjaren-${c.year}`}>{metric === 'bedrag' ? formatMillions(c.amountCents) : show(value(c))}</dd>
              </div>
            ))}
          </dl>
          <Chart
            option={option}
            testId="grafiek-meerjaren"
            height={340}
            label={`Lijndiagram ${metricName.toLowerCase()} per jaar, totaal en de ${Math.min(CHART_SERIES, t.rows.length)} grootste per ${dimName.toLowerCase()}: ${t.total.years.map((c) => `${c.year} ${show(value(c))}`).join(', ')}; de tabel hieronder bevat alle cijfers`}
          />
          <DataTable
            rows={t.rows}
            columns={columns}
            rowKey={(s) => s.key}
            testId="tabel-meerjaren"
            initialSort={last !== undefined ? { key: `y${last}`, desc: true } : undefined}
            caption={`${metricName} per ${dimName.toLowerCase()} per jaar, ${t.years[0]}–${last}; personen zijn verschillende jeugdigen in dat jaar, één keer per regel geteld (regels tellen niet op tot het totaal)`}
          />
        </>
      )}
      <p className="utrecht-paragraph rk-muted rk-source">
        Bron: geaccepteerde declaratieregels (credits negatief) naar het jaar van hun periode, via de jaarfeiten; de gemeente die betaalt. Gemiddeld per persoon
        = kosten / personen van dezelfde cel. De CSV- en XLSX-bestanden bevatten de cijfers van deze tabel.
      </p>
    </section>
  );
}
