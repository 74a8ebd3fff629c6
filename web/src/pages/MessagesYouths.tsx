// The youths in the caller's scope and, for one youth, the allocations over time: a timeline beside a table with
// the same data. Pseudonyms only, never a BSN; every read is audited by the server (src/ijw/routes.ts).
import { useQuery } from '@tanstack/react-query';
import { api, type RegionDetail, type YouthAllocation, type YouthSummary } from '../api.ts';
import { formatCount, formatDate, formatVolume, genderName } from '../format.ts';
import { useSearchParam } from '../router.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { PALETTE } from '../components/Chart.tsx';

const PAGE = 50;

export function YouthsView({ regionId }: { regionId: string }) {
  const [youthParam, setYouth] = useSearchParam('jeugdige');
  const [pageParam, setPage] = useSearchParam('pagina');
  const page = Math.max(1, Number(pageParam) || 1);
  const youths = useQuery({
    queryKey: ['youths', regionId, page],
    queryFn: () => api<{ total: number; youths: YouthSummary[] }>(`/api/regions/${regionId}/youths?limit=${PAGE}&offset=${(page - 1) * PAGE}`),
  });
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const municipality = new Map((region.data?.municipalities ?? []).map((m) => [m.code, m.name]));
  const residence = (code: string) => municipality.get(code) ?? `buiten de regio (CBS-code ${code})`;
  const selected = youths.data?.youths.find((y) => y.youthId === Number(youthParam))?.pseudonym;
  const columns: Column<YouthSummary>[] = [
    {
      key: 'pseudonym',
      header: 'Jeugdige',
      value: (y) => y.pseudonym,
      render: (y) => (
        <a
          href={`?weergave=jeugdigen&jeugdige=${y.youthId}`}
          className="utrecht-link"
          onClick={(e) => {
            e.preventDefault();
            setYouth(String(y.youthId));
          }}
        >
          {y.pseudonym}
        </a>
      ),
    },
    { key: 'birthYear', header: 'Geboortejaar', value: (y) => y.birthYear },
    { key: 'gender', header: 'Geslacht', value: (y) => genderName(y.gender) },
    { key: 'residence', header: 'Woongemeente', value: (y) => residence(y.residenceCode) },
    { key: 'allocations', header: 'Toewijzingen', value: (y) => y.allocations, numeric: true },
  ];
  const total = youths.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  return (
    <section className="rk-section" aria-labelledby="kop-jeugdigen">
      <h2 id="kop-jeugdigen" className="utrecht-heading-2">
        Jeugdigen en hun toewijzingen
      </h2>
      <p className="utrecht-paragraph rk-muted">
        Gepseudonimiseerd: u ziet de jeugdigen met een toewijzing van uw organisatie, en alleen uw eigen toewijzingen. Elke inzage wordt vastgelegd.
      </p>
      {youthParam && <YouthAllocations regionId={regionId} youthId={Number(youthParam)} pseudonym={selected} />}
      {youths.isPending && (
        <p className="utrecht-paragraph" role="status">
          Jeugdigen laden …
        </p>
      )}
      {youths.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {youths.error.message}
        </div>
      )}
      {youths.data && (
        <>
          <DataTable
            rows={youths.data.youths}
            columns={columns}
            rowKey={(y) => y.youthId}
            testId="jeugdigen"
            caption={`${formatCount(total)} jeugdigen; pagina ${page} van ${pages}`}
          />
          {pages > 1 && (
            <nav className="rk-downloads" aria-label="Pagina's jeugdigen">
              <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={page <= 1} onClick={() => setPage(String(page - 1))}>
                Vorige
              </button>
              <button
                type="button"
                className="utrecht-button utrecht-button--secondary-action"
                disabled={page >= pages}
                onClick={() => setPage(String(page + 1))}
              >
                Volgende
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

const DAY = 86_400_000;
const toDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;

function YouthAllocations({ regionId, youthId, pseudonym }: { regionId: string; youthId: number; pseudonym?: string }) {
  const allocations = useQuery({
    queryKey: ['youth-allocations', regionId, youthId],
    queryFn: () => api<YouthAllocation[]>(`/api/regions/${regionId}/youths/${youthId}/allocations`),
    retry: false,
  });
  if (allocations.isPending)
    return (
      <p className="utrecht-paragraph" role="status">
        Toewijzingen laden …
      </p>
    );
  if (allocations.isError)
    return (
      <div className="utrecht-alert utrecht-alert--error" role="alert">
        {allocations.error.message}
      </div>
    );
  const rows = allocations.data;
  // the timeline spans the first start to the last end (an open end runs to today)
  const today = new Date().toISOString().slice(0, 10);
  const from = Math.min(...rows.map((a) => toDay(a.startDate)));
  const to = Math.max(...rows.map((a) => toDay(a.endDate ?? today))) + 1;
  const span = Math.max(1, to - from);
  const providers = [...new Set(rows.map((a) => a.providerName))];
  const columns: Column<YouthAllocation>[] = [
    { key: 'assignment', header: 'Toewijzing', value: (a) => a.assignmentNumber },
    {
      key: 'product',
      header: 'Product',
      value: (a) => a.productName,
      render: (a) => (
        <>
          {a.productName} <span className="rk-muted">({a.productCode})</span>
        </>
      ),
    },
    { key: 'provider', header: 'Aanbieder', value: (a) => a.providerName },
    { key: 'start', header: 'Ingangsdatum', value: (a) => a.startDate, render: (a) => formatDate(a.startDate) },
    { key: 'end', header: 'Einddatum', value: (a) => a.endDate ?? '', render: (a) => (a.endDate ? formatDate(a.endDate) : 'open') },
    { key: 'volume', header: 'Volume', value: (a) => a.volume, numeric: true, render: (a) => formatVolume(a.volume, a.unit) },
    {
      key: 'status',
      header: 'Status',
      value: (a) =>
        (({ actief: 'Actief', gewijzigd: 'Gewijzigd', ingetrokken: 'Ingetrokken', beeindigd: 'Beëindigd' }) as Record<string, string>)[a.status] ?? a.status,
    },
  ];
  return (
    <div className="rk-card" data-testid="toewijzingen">
      <h3 className="utrecht-heading-3">Toewijzingen van {pseudonym ?? 'deze jeugdige'}</h3>
      <div className="rk-timeline" aria-hidden="true">
        {rows.map((a) => {
          const left = ((toDay(a.startDate) - from) / span) * 100;
          const width = Math.max(0.8, ((toDay(a.endDate ?? today) + 1 - toDay(a.startDate)) / span) * 100);
          return (
            <div key={a.allocationId} className="rk-timeline__row">
              <span className="rk-timeline__label" title={a.productCode}>
                {a.productName}
              </span>
              <span className="rk-timeline__track">
                <span
                  className="rk-timeline__bar"
                  title={`${a.productName}, ${a.providerName}`}
                  style={{
                    left: `${left}%`,
                    width: `${Math.min(width, 100 - left)}%`,
                    background: PALETTE[providers.indexOf(a.providerName) % PALETTE.length],
                  }}
                />
              </span>
            </div>
          );
        })}
        <div className="rk-timeline__axis">
          <span>{formatDate(new Date(from * DAY).toISOString().slice(0, 10))}</span>
          <span>{formatDate(new Date((to - 1) * DAY).toISOString().slice(0, 10))}</span>
        </div>
      </div>
      <DataTable
        rows={rows}
        columns={columns}
        rowKey={(a) => a.allocationId}
        initialSort={{ key: 'start', desc: false }}
        caption={`${formatCount(rows.length)} toewijzingen, op ingangsdatum; de tijdlijn hierboven toont dezelfde gegevens (kleur per aanbieder)`}
      />
    </div>
  );
}
