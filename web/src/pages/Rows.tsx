// Drill-down: the rows behind a figure of the cost tables. The filters live in the URL
// (?weergave=regels&jaar=…&segment=…&gemeente=…&aanbieder=…&productgroep=…&maand=…&kwartaal=…&pagina=…),
// so the link can be shared. A municipality or provider sees its declaration lines (pseudonyms, logged);
// the region sees totals per provider × product × month.
import { useQuery } from '@tanstack/react-query';
import { api, type AggregateRow, type DeclarationRow, type RegionDetail, type RowsPage } from '../api.ts';
import { formatCount, formatEuro, formatEuroCents } from '../format.ts';
import { Link, useRouter } from '../router.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Downloads } from '../components/Downloads.tsx';

export const ROW_FILTERS = ['segment', 'gemeente', 'aanbieder', 'productgroep', 'maand', 'kwartaal'] as const;
export type RowFilters = Partial<Record<(typeof ROW_FILTERS)[number], string>>;
const PAGE = 100;
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** The URL of the rows behind one figure: the current page's parameters, with the drill-down ones replaced. */
export function rowsHref(path: string, year: number, filters: RowFilters): string {
  const [pathname, search = ''] = path.split('?');
  const params = new URLSearchParams(search);
  for (const f of [...ROW_FILTERS, 'pagina']) params.delete(f);
  params.set('weergave', 'regels');
  params.set('jaar', String(year));
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  return `${pathname}?${params}`;
}

/** A figure that opens its rows. The accessible name starts with the visible amount and says which rows,
 *  since a table holds many links that show only an amount; the cell's text stays just the amount. */
export function DrillLink({ year, filters, what, children }: { year: number; filters: RowFilters; what: string; children: string }) {
  const { path } = useRouter();
  return (
    <Link to={rowsHref(path, year, filters)} aria-label={`${children}: regels van ${what}`}>
      {children}
    </Link>
  );
}

export function RowsView({ regionId, year, region }: { regionId: string; year: number; region: RegionDetail }) {
  const { path, navigate } = useRouter();
  const [pathname, search = ''] = path.split('?');
  const params = new URLSearchParams(search);
  const filters: RowFilters = {};
  for (const f of ROW_FILTERS) {
    const v = params.get(f);
    if (v) filters[f] = v;
  }
  const page = Math.max(1, Number(params.get('pagina')) || 1);
  const query = new URLSearchParams({ year: String(year), ...filters }).toString();
  const rows = useQuery({
    queryKey: ['rows', regionId, query, page],
    queryFn: () => api<RowsPage>(`/api/regions/${regionId}/dashboard/rows?${query}&limit=${PAGE}&offset=${(page - 1) * PAGE}`),
  });
  const goto = (p: number) => {
    params.set('pagina', String(p));
    navigate(`${pathname}?${params}`);
  };
  const back = new URLSearchParams(params);
  for (const f of [...ROW_FILTERS, 'pagina']) back.delete(f);
  back.set('weergave', 'kosten');

  const described = [
    `jaar ${year}`,
    filters.segment && `segment ${region.segments.find((s) => s.code === filters.segment)?.name ?? filters.segment}`,
    filters.gemeente && `gemeente ${region.municipalities.find((m) => m.code === filters.gemeente)?.name ?? filters.gemeente}`,
    filters.aanbieder &&
      `aanbieder ${rows.data?.lines[0]?.providerName ?? rows.data?.aggregates[0]?.providerName ?? ''} (AGB ${filters.aanbieder})`.replace('  ', ' '),
    filters.productgroep && `productgroep ${filters.productgroep}`,
    filters.maand && `maand ${MONTHS[Number(filters.maand) - 1] ?? filters.maand}`,
    filters.kwartaal && `kwartaal ${filters.kwartaal}`,
  ]
    .filter(Boolean)
    .join(', ');
  const d = rows.data;
  const pages = d ? Math.max(1, Math.ceil(d.total.rows / PAGE)) : 1;

  return (
    <section className="rk-section" aria-labelledby="kop-regels">
      <div className="rk-section-head">
        <div>
          <h2 id="kop-regels" className="utrecht-heading-2">
            Regels achter het cijfer
          </h2>
          <p className="utrecht-paragraph" data-testid="regels-filters">
            {described}
          </p>
        </div>
        <Downloads path={`/api/regions/${regionId}/dashboard/rows`} query={query} what={`regels ${described}`} />
      </div>
      <p className="utrecht-paragraph">
        <Link to={`${pathname}?${back}`}>Terug naar de kosten</Link>
      </p>
      {rows.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {rows.error.message}
        </div>
      )}
      {rows.isPending && (
        <p className="utrecht-paragraph" role="status">
          Regels laden …
        </p>
      )}
      {d && (
        <>
          <dl className="rk-kpis" aria-label="Totaal van alle regels">
            <div className="rk-kpi">
              <dt>Bedrag (alle regels)</dt>
              <dd data-testid="regels-totaal">{formatEuro(d.total.amountCents)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>{d.kind === 'regels' ? 'Declaratieregels' : 'Regels (aanbieder × product × maand)'}</dt>
              <dd data-testid="regels-aantal">{formatCount(d.total.rows)}</dd>
            </div>
            {d.total.persons !== null && (
              <div className="rk-kpi">
                <dt>Personen</dt>
                <dd data-testid="regels-personen">{formatCount(d.total.persons)}</dd>
              </div>
            )}
          </dl>
          {d.kind === 'regels' ? (
            <LinesTable
              rows={d.lines}
              total={d.total.amountCents}
              caption={`Declaratieregels, ${described}; pagina ${page} van ${pages}. Inzage wordt gelogd.`}
            />
          ) : (
            <AggregatesTable
              rows={d.aggregates}
              total={d.total.amountCents}
              caption={`Bedrag per aanbieder, product en maand, ${described}; pagina ${page} van ${pages}`}
            />
          )}
          {pages > 1 && (
            <nav aria-label="Pagina's" className="rk-filters">
              <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={page <= 1} onClick={() => goto(page - 1)}>
                Vorige
              </button>
              <span className="utrecht-paragraph" aria-live="polite">
                Pagina {page} van {pages}
              </span>
              <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={page >= pages} onClick={() => goto(page + 1)}>
                Volgende
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

function LinesTable({ rows, total, caption }: { rows: DeclarationRow[]; total: number; caption: string }) {
  const columns: Column<DeclarationRow>[] = [
    { key: 'period', header: 'Periode', value: (r) => r.periodStart, render: (r) => `${r.periodStart} t/m ${r.periodEnd}`, total: 'Totaal alle regels' },
    { key: 'municipality', header: 'Gemeente', value: (r) => r.municipalityName },
    { key: 'provider', header: 'Aanbieder', value: (r) => r.providerName },
    {
      key: 'product',
      header: 'Product',
      value: (r) => r.productCode,
      render: (r) => (
        <>
          {r.productName} <span className="rk-muted">({r.productCode})</span>
        </>
      ),
    },
    { key: 'youth', header: 'Jeugdige (pseudoniem)', value: (r) => r.pseudonym ?? '–' },
    { key: 'volume', header: 'Volume', numeric: true, value: (r) => r.volume, render: (r) => formatCount(r.volume) },
    { key: 'tariff', header: 'Tarief', numeric: true, value: (r) => r.tariffCents, render: (r) => formatEuroCents(r.tariffCents) },
    {
      key: 'amount',
      header: 'Bedrag',
      numeric: true,
      value: (r) => r.amountCents,
      render: (r) => formatEuroCents(r.amountCents),
      total: formatEuroCents(total),
    },
  ];
  return <DataTable rows={rows} columns={columns} rowKey={(r) => r.lineId} testId="tabel-regels" caption={caption} />;
}

function AggregatesTable({ rows, total, caption }: { rows: AggregateRow[]; total: number; caption: string }) {
  const columns: Column<AggregateRow>[] = [
    { key: 'month', header: 'Maand', value: (r) => r.month, total: 'Totaal alle regels' },
    { key: 'provider', header: 'Aanbieder', value: (r) => r.providerName },
    {
      key: 'product',
      header: 'Product',
      value: (r) => r.productCode,
      render: (r) => (
        <>
          {r.productName} <span className="rk-muted">({r.productCode})</span>
        </>
      ),
    },
    { key: 'group', header: 'Productgroep', value: (r) => r.productGroup },
    { key: 'lines', header: 'Declaratieregels', numeric: true, value: (r) => r.lines, render: (r) => formatCount(r.lines) },
    {
      key: 'amount',
      header: 'Bedrag',
      numeric: true,
      value: (r) => r.amountCents,
      render: (r) => formatEuroCents(r.amountCents),
      total: formatEuroCents(total),
    },
  ];
  return <DataTable rows={rows} columns={columns} rowKey={(r) => `${r.month}-${r.providerId}-${r.productCode}`} testId="tabel-regels" caption={caption} />;
}
