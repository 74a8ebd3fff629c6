// In-, out- and running trajectories per month (CBS Beleidsinformatie Jeugd), and moves between segments.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Flows } from '../api.ts';
import { formatCount } from '../format.ts';
import { Chart, PALETTE } from '../components/Chart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Downloads } from '../components/Downloads.tsx';

const MONTHS = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

export function FlowsView({ regionId, year }: { regionId: string; year: number }) {
  const flows = useQuery({ queryKey: ['flows', regionId, year], queryFn: () => api<Flows>(`/api/regions/${regionId}/dashboard/flows?year=${year}`) });
  const f = flows.data;
  const lineOption = useMemo(
    () =>
      f && {
        grid: { left: 60, right: 30, top: 40, bottom: 30 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: f.monthly.map((m) => MONTHS[Number(m.month.slice(5)) - 1]) },
        yAxis: { type: 'value' },
        series: [
          { type: 'bar', name: 'Instroom', data: f.monthly.map((m) => m.inflow), itemStyle: { color: PALETTE[2] } },
          { type: 'bar', name: 'Uitstroom', data: f.monthly.map((m) => m.outflow), itemStyle: { color: PALETTE[1] } },
          { type: 'line', name: 'Lopend einde maand', data: f.monthly.map((m) => m.running), itemStyle: { color: PALETTE[0] } },
        ],
      },
    [f],
  );
  // Sankey needs an acyclic graph: the left column is "from", the right column "to".
  const sankeyOption = useMemo(
    () =>
      f &&
      f.transitions.length > 0 && {
        tooltip: { trigger: 'item' },
        series: [
          {
            type: 'sankey',
            left: 10,
            right: 140,
            nodeGap: 10,
            emphasis: { focus: 'adjacency' },
            lineStyle: { color: 'gradient', opacity: 0.4 },
            data: [...new Set(f.transitions.map((t) => `${t.from} →`)), ...new Set(f.transitions.map((t) => `→ ${t.to}`))].map((name) => ({ name })),
            links: f.transitions.map((t) => ({ source: `${t.from} →`, target: `→ ${t.to}`, value: t.youths })),
          },
        ],
      },
    [f],
  );

  if (flows.isError)
    return (
      <div className="utrecht-alert utrecht-alert--error" role="alert">
        {flows.error.message}
      </div>
    );
  if (!f || !lineOption)
    return (
      <p className="utrecht-paragraph" role="status">
        Stromen berekenen …
      </p>
    );
  const days = (d: number | null) => (d === null ? '–' : `${formatCount(Math.round(d))} dagen`);
  return (
    <>
      <dl className="rk-kpis" aria-label={`Stromen ${year}`}>
        <div className="rk-kpi">
          <dt>Jeugdigen in zorg</dt>
          <dd data-testid="stromen-personen">{formatCount(f.summary.persons)}</dd>
        </div>
        <div className="rk-kpi">
          <dt>Met verblijf (CBS-hulpvorm)</dt>
          <dd>{(f.summary.residentialShare * 100).toLocaleString('nl-NL', { maximumFractionDigits: 1 })}%</dd>
          <dd className="rk-kpi__note">{formatCount(f.summary.residentialPersons)} jeugdigen</dd>
        </div>
        <div className="rk-kpi">
          <dt>Mediane zorgduur</dt>
          <dd>{days(f.summary.medianDurationDays)}</dd>
          <dd className="rk-kpi__note">
            van {formatCount(f.summary.endedTrajectories)} in {year} beëindigde trajecten; verblijf {days(f.summary.medianStayDays)}
          </dd>
        </div>
        <div className="rk-kpi">
          <dt>Crisis langer dan 28 dagen</dt>
          <dd>{formatCount(f.summary.crisisOver28Days)}</dd>
          <dd className="rk-kpi__note">trajecten: overbruggingsplek nodig</dd>
        </div>
      </dl>
      <section className="rk-section" aria-labelledby="kop-stromen">
        <div className="rk-section-head">
          <h2 id="kop-stromen" className="utrecht-heading-2">
            In- en uitstroom per maand
          </h2>
          <Downloads path={`/api/regions/${regionId}/dashboard/flows`} query={`year=${year}`} what={`stromen per maand ${year}`} />
        </div>
        <Chart
          option={lineOption}
          testId="grafiek-stromen"
          height={320}
          label={`In- en uitstroom en lopende trajecten per maand in ${year}; de tabel eronder bevat dezelfde cijfers`}
        />
        <DataTable
          rows={f.monthly}
          rowKey={(m) => m.month}
          testId="tabel-stromen"
          initialSort={{ key: 'month', desc: false }}
          caption={`Trajecten per maand, ${year}: een traject is de zorg van één jeugdige binnen één segment (CBS: per hulpvorm)`}
          columns={[
            { key: 'month', header: 'Maand', value: (m) => m.month, render: (m) => `${MONTHS[Number(m.month.slice(5)) - 1]} ${m.month.slice(0, 4)}` },
            { key: 'in', header: 'Instroom', numeric: true, value: (m) => m.inflow, render: (m) => formatCount(m.inflow) },
            { key: 'out', header: 'Uitstroom', numeric: true, value: (m) => m.outflow, render: (m) => formatCount(m.outflow) },
            { key: 'run', header: 'Lopend einde maand', numeric: true, value: (m) => m.running, render: (m) => formatCount(m.running) },
            { key: 'persons', header: 'Jeugdigen in zorg', numeric: true, value: (m) => m.persons, render: (m) => formatCount(m.persons) },
          ]}
        />
      </section>
      <section className="rk-section" aria-labelledby="kop-overgangen">
        <h2 id="kop-overgangen" className="utrecht-heading-2">
          Overgangen tussen segmenten
        </h2>
        {sankeyOption ? (
          <Chart
            option={sankeyOption}
            testId="grafiek-overgangen"
            height={360}
            label={`Sankeydiagram van jeugdigen die in ${year} van segment wisselden; de tabel eronder bevat dezelfde cijfers`}
          />
        ) : (
          <p className="utrecht-paragraph">Geen overgangen tussen segmenten in {year}.</p>
        )}
        <DataTable
          rows={f.transitions}
          rowKey={(t) => `${t.from}-${t.to}`}
          testId="tabel-overgangen"
          caption={`Jeugdigen van wie een volgend traject in ${year} in een ander segment begon`}
          columns={[
            { key: 'from', header: 'Van', value: (t) => t.from },
            { key: 'to', header: 'Naar', value: (t) => t.to },
            { key: 'n', header: 'Jeugdigen', numeric: true, value: (t) => t.youths, render: (t) => formatCount(t.youths) },
          ]}
        />
      </section>
      <section className="rk-section" aria-labelledby="kop-verwijzers">
        <h2 id="kop-verwijzers" className="utrecht-heading-2">
          Verwijzers
        </h2>
        <DataTable
          rows={f.referrers}
          rowKey={(r) => r.referrer}
          testId="tabel-verwijzers"
          caption={`Toewijzingen die in ${year} begonnen, naar verwijzer`}
          columns={[
            { key: 'r', header: 'Verwijzer', value: (r) => r.referrer },
            { key: 'n', header: 'Toewijzingen', numeric: true, value: (r) => r.allocations, render: (r) => formatCount(r.allocations) },
          ]}
        />
      </section>
    </>
  );
}
