// Costs split along one dimension, with the previous year beside it. The choice stays in the URL.
import { useQuery } from '@tanstack/react-query';
import { api, type CostRow, type Costs, type Segment } from '../api.ts';
import { formatCount, formatEuro } from '../format.ts';
import { useSearchParam } from '../router.tsx';
import { SegmentSelect } from '../components/SegmentSelect.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Downloads } from '../components/Downloads.tsx';
import { DrillLink, type RowFilters } from './Rows.tsx';

const DIMENSIONS = [
  { id: 'productgroep', name: 'Productgroep' }, { id: 'segment', name: 'Segment' }, { id: 'gemeente', name: 'Gemeente' },
  { id: 'aanbieder', name: 'Aanbieder' }, { id: 'maand', name: 'Maand' }, { id: 'kwartaal', name: 'Kwartaal' },
];

export function CostsBreakdown({ regionId, year, segments }: { regionId: string; year: number; segments: Segment[] }) {
  const [byParam, setBy] = useSearchParam('naar');
  const [segParam, setSegment] = useSearchParam('kostensegment');
  const by = DIMENSIONS.find((d) => d.id === byParam)?.id ?? 'productgroep';
  const segment = segParam ?? '';
  const query = `year=${year}&by=${by}${segment ? `&segment=${encodeURIComponent(segment)}` : ''}`;
  const costs = useQuery({ queryKey: ['costs', regionId, query], queryFn: () => api<Costs>(`/api/regions/${regionId}/dashboard/costs?${query}`) });
  const dimName = DIMENSIONS.find((d) => d.id === by)!.name;
  const change = (r: CostRow) => (r.changePct === null ? '–' : `${r.changePct > 0 ? '+' : ''}${r.changePct.toLocaleString('nl-NL')}%`);
  const t = costs.data?.total;
  // Each amount opens the rows behind it: the row's key becomes the drill-down filter (none for the total).
  const filtersFor = (r: CostRow): RowFilters => ({
    ...(segment ? { segment } : {}),
    ...(r.key === 'TOTAAL' ? {} : by === 'maand' ? { maand: String(Number(r.key)) } : { [by]: r.key }),
  });
  // a key the rows cannot be filtered on (a product without a product group) stays a plain figure
  const drill = (r: CostRow, y: number, cents: number) => (r.key === ''
    ? formatEuro(cents)
    : <DrillLink year={y} filters={filtersFor(r)} what={`${r.label} ${y}`}>{formatEuro(cents)}</DrillLink>);
  const columns: Column<CostRow>[] = [
    { key: 'label', header: dimName, value: (r) => (by === 'maand' || by === 'kwartaal' ? r.key : r.label), render: (r) => r.label, total: 'Totaal' },
    { key: 'amount', header: `Kosten ${year}`, numeric: true, value: (r) => r.amountCents, render: (r) => drill(r, year, r.amountCents), total: t && drill(t, year, t.amountCents) },
    { key: 'persons', header: 'Personen', numeric: true, value: (r) => r.persons, render: (r) => formatCount(r.persons), total: t && formatCount(t.persons) },
    { key: 'avg', header: 'Per persoon', numeric: true, value: (r) => r.averageCentsPerPerson,
      render: (r) => (r.averageCentsPerPerson === null ? '–' : formatEuro(r.averageCentsPerPerson)), total: t?.averageCentsPerPerson != null ? formatEuro(t.averageCentsPerPerson) : '–' },
    { key: 'prev', header: `Kosten ${year - 1}`, numeric: true, value: (r) => r.previousAmountCents, render: (r) => drill(r, year - 1, r.previousAmountCents), total: t && drill(t, year - 1, t.previousAmountCents) },
    { key: 'change', header: 'Verschil', numeric: true, value: (r) => r.changePct, render: change, total: t && change(t) },
  ];
  return (
    <section className="rk-section" aria-labelledby="kop-uitsplitsing">
      <div className="rk-section-head">
        <h2 id="kop-uitsplitsing" className="utrecht-heading-2">Kosten per {dimName.toLowerCase()}</h2>
        <Downloads path={`/api/regions/${regionId}/dashboard/costs`} query={query} what={`kosten per ${dimName.toLowerCase()} ${year}`} />
      </div>
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="kosten-naar">Uitsplitsen naar</label>
          <select id="kosten-naar" className="utrecht-select utrecht-select--html-select" value={by} onChange={(e) => setBy(e.target.value)}>
            {DIMENSIONS.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
        </div>
        {/* the costs are grouped by top segment on the server (monitoring/costs.ts): a top segment includes its sub-segments */}
        <SegmentSelect id="kosten-segment" label="Alleen segment" segments={segments} value={segment} onChange={setSegment} maxDepth={0} />
      </div>
      {costs.isError && <div className="utrecht-alert utrecht-alert--error" role="alert">{costs.error.message}</div>}
      {costs.isPending && <p className="utrecht-paragraph" role="status">Kosten laden …</p>}
      {costs.data && (
        <DataTable rows={costs.data.rows} columns={columns} rowKey={(r) => r.key} testId="tabel-uitsplitsing"
          initialSort={by === 'maand' || by === 'kwartaal' ? { key: 'label', desc: false } : { key: 'amount', desc: true }}
          caption={`Kosten per ${dimName.toLowerCase()} in ${year}${segment ? ` (segment ${segments.find((s) => s.code === segment)?.name ?? segment})` : ''}, met ${year - 1} ernaast; personen één keer per regel geteld`} />
      )}
    </section>
  );
}
