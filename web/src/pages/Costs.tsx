// Costs split along one dimension, with the previous year beside it. The choice stays in the URL.
import { useQuery } from '@tanstack/react-query';
import { api, type CostRow, type Costs, type FundingFormContracts, type Segment } from '../api.ts';
import { formatCount, formatEuro } from '../format.ts';
import { Link, useRouter, useSearchParam } from '../router.tsx';
import { SegmentSelect } from '../components/SegmentSelect.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Downloads } from '../components/Downloads.tsx';
import { DrillLink, type RowFilters } from './Rows.tsx';

const DIMENSIONS = [
  { id: 'productgroep', name: 'Productgroep' },
  { id: 'segment', name: 'Segment' },
  { id: 'gemeente', name: 'Gemeente' },
  { id: 'aanbieder', name: 'Aanbieder' },
  { id: 'maand', name: 'Maand' },
  { id: 'kwartaal', name: 'Kwartaal' },
  // every funding form at its year's cost (lumpsums, availability, real costs too); the rows behind: the contracts
  { id: 'bekostiging', name: 'Bekostigingsvorm' },
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
  const byForm = by === 'bekostiging';
  const [formParam] = useSearchParam('vorm');
  const { path } = useRouter();
  const withForm = (form: string) => {
    const [pn, q = ''] = path.split('?');
    const u = new URLSearchParams(q);
    u.set('vorm', form);
    return `${pn}?${u}`;
  };
  // Each amount opens the rows behind it: the row's key becomes the drill-down filter (none for the total).
  const filtersFor = (r: CostRow): RowFilters => ({
    ...(segment ? { segment } : {}),
    ...(r.key === 'TOTAAL' ? {} : by === 'maand' ? { maand: String(Number(r.key)) } : { [by]: r.key }),
  });
  // a key the rows cannot be filtered on (a product without a product group) stays a plain figure
  const drill = (r: CostRow, y: number, cents: number) =>
    r.key === '' ? (
      formatEuro(cents)
    ) : // by funding form the rows behind a figure are the contracts (with their payments and cost lines), shown below
    byForm ? (
      y === year ? (
        <Link to={withForm(r.key === 'TOTAAL' ? 'alle' : r.key)} aria-label={`${formatEuro(cents)}: contracten van ${r.label} ${y}`}>
          {formatEuro(cents)}
        </Link>
      ) : (
        formatEuro(cents)
      )
    ) : (
      <DrillLink year={y} filters={filtersFor(r)} what={`${r.label} ${y}`}>
        {formatEuro(cents)}
      </DrillLink>
    );
  const columns: Column<CostRow>[] = [
    { key: 'label', header: dimName, value: (r) => (by === 'maand' || by === 'kwartaal' ? r.key : r.label), render: (r) => r.label, total: 'Totaal' },
    {
      key: 'amount',
      header: `Kosten ${year}`,
      numeric: true,
      value: (r) => r.amountCents,
      render: (r) => drill(r, year, r.amountCents),
      total: t && drill(t, year, t.amountCents),
    },
    ...(byForm
      ? []
      : [
          {
            key: 'persons',
            header: 'Personen',
            numeric: true,
            value: (r: CostRow) => r.persons,
            render: (r: CostRow) => formatCount(r.persons),
            total: t && formatCount(t.persons),
          },
        ]),
    ...(byForm
      ? []
      : [
          {
            key: 'avg',
            header: 'Per persoon',
            numeric: true,
            value: (r: CostRow) => r.averageCentsPerPerson,
            render: (r: CostRow) => (r.averageCentsPerPerson === null ? '–' : formatEuro(r.averageCentsPerPerson)),
            total: t?.averageCentsPerPerson != null ? formatEuro(t.averageCentsPerPerson) : '–',
          },
        ]),
    {
      key: 'prev',
      header: `Kosten ${year - 1}`,
      numeric: true,
      value: (r) => r.previousAmountCents,
      render: (r) => drill(r, year - 1, r.previousAmountCents),
      total: t && drill(t, year - 1, t.previousAmountCents),
    },
    { key: 'change', header: 'Verschil', numeric: true, value: (r) => r.changePct, render: change, total: t && change(t) },
  ];
  return (
    <section className="rk-section" aria-labelledby="kop-uitsplitsing">
      <div className="rk-section-head">
        <h2 id="kop-uitsplitsing" className="utrecht-heading-2">
          Kosten per {dimName.toLowerCase()}
        </h2>
        <Downloads path={`/api/regions/${regionId}/dashboard/costs`} query={query} what={`kosten per ${dimName.toLowerCase()} ${year}`} />
      </div>
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="kosten-naar">
            Uitsplitsen naar
          </label>
          <select id="kosten-naar" className="utrecht-select utrecht-select--html-select" value={by} onChange={(e) => setBy(e.target.value)}>
            {DIMENSIONS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        {/* the costs are grouped by top segment on the server (monitoring/costs.ts): a top segment includes its sub-segments */}
        <SegmentSelect id="kosten-segment" label="Alleen segment" segments={segments} value={segment} onChange={setSegment} maxDepth={0} />
      </div>
      {costs.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {costs.error.message}
        </div>
      )}
      {costs.isPending && (
        <p className="utrecht-paragraph" role="status">
          Kosten laden …
        </p>
      )}
      {costs.data && (
        <DataTable
          rows={costs.data.rows}
          columns={columns}
          rowKey={(r) => r.key}
          testId="tabel-uitsplitsing"
          initialSort={by === 'maand' || by === 'kwartaal' ? { key: 'label', desc: false } : { key: 'amount', desc: true }}
          caption={`Kosten per ${dimName.toLowerCase()} in ${year}${segment ? ` (segment ${segments.find((s) => s.code === segment)?.name ?? segment})` : ''}, met ${year - 1} ernaast; ${
            byForm
              ? 'de uitkomst van elk contract voor het jaar (lumpsum, beschikbaarheid, nacalculatie: niet wat eronder gedeclareerd is); kies een bedrag voor de contracten erachter'
              : 'personen één keer per regel geteld'
          }`}
        />
      )}
      {byForm && formParam && (
        <FormContracts
          regionId={regionId}
          year={year}
          form={formParam === 'alle' ? null : formParam}
          segment={segment}
          label={costs.data?.rows.find((r) => r.key === formParam)?.label ?? 'alle bekostigingsvormen'}
        />
      )}
    </section>
  );
}

/** The contracts behind a funding form's figure: per contract its cost to the caller, payments and cost lines, and for the forms paid per client the declarations. */
function FormContracts({ regionId, year, form, segment, label }: { regionId: string; year: number; form: string | null; segment: string; label: string }) {
  const query = new URLSearchParams({ year: String(year), ...(form ? { form } : {}), ...(segment ? { segment } : {}) }).toString();
  const rows = useQuery({
    queryKey: ['costs', regionId, 'bekostiging', query],
    queryFn: () => api<FundingFormContracts>(`/api/regions/${regionId}/dashboard/costs/bekostiging?${query}`),
  });
  type C = FundingFormContracts['contracts'][number];
  const d = rows.data;
  return (
    <section className="rk-section" aria-labelledby="kop-vorm-contracten" data-testid="bekostiging-contracten">
      <h3 id="kop-vorm-contracten" className="utrecht-heading-3">
        Contracten achter {label.toLowerCase()} ({year})
      </h3>
      {rows.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {rows.error.message}
        </div>
      )}
      {rows.isPending && (
        <p className="utrecht-paragraph" role="status">
          Contracten laden …
        </p>
      )}
      {d && (
        <>
          <DataTable
            rows={d.contracts}
            rowKey={(c) => c.contractId}
            testId="tabel-vorm-contracten"
            limit={200}
            initialSort={{ key: 'amount', desc: true }}
            caption={`${formatCount(d.contracts.length)} contracten, samen ${formatEuro(d.totalCents - d.uncontractedCents)}${d.uncontractedCents ? `; P × Q zonder contract: ${formatEuro(d.uncontractedCents)}` : ''}`}
            columns={[
              { key: 'provider', header: 'Aanbieder', value: (c: C) => c.providerName },
              { key: 'segment', header: 'Segment', value: (c: C) => c.segmentName },
              { key: 'amount', header: 'Kosten', numeric: true, value: (c: C) => c.amountCents, render: (c: C) => formatEuro(c.amountCents) },
              { key: 'paid', header: 'Betaald', numeric: true, value: (c: C) => c.paidCents, render: (c: C) => formatEuro(c.paidCents) },
              {
                key: 'declared',
                header: 'Gedeclareerd',
                numeric: true,
                value: (c: C) => c.declaredCents,
                render: (c: C) =>
                  c.declarations ? (
                    <DrillLink
                      year={year}
                      filters={{ segment: c.declarations.segment, aanbieder: c.declarations.aanbieder }}
                      what={`${c.providerName} ${c.segmentName} ${year}`}
                    >
                      {formatEuro(c.declaredCents)}
                    </DrillLink>
                  ) : (
                    formatEuro(c.declaredCents)
                  ),
              },
              {
                key: 'rows',
                header: 'Termijnen en kostenregels',
                value: (c: C) => c.payments.length + c.costLines.length,
                render: (c: C) =>
                  [
                    c.payments.length ? `${formatCount(c.payments.length)} betalingen (${formatEuro(c.payments.reduce((a, p) => a + p.amountCents, 0))})` : '',
                    c.costLines.length ? `${formatCount(c.costLines.length)} kostenregels` : '',
                  ]
                    .filter(Boolean)
                    .join('; ') || '–',
              },
              { key: 'key', header: 'Verdeling', value: (c: C) => c.shareKey },
            ]}
          />
        </>
      )}
    </section>
  );
}
