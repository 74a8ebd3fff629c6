// Verplichtingen: what active allocations still commit for the rest of the year (allowed volume × tariff), per
// municipality beside budget and realisation, and per municipality × segment × provider.
import { useQuery } from '@tanstack/react-query';
import { api, type FundingCommitments } from '../api.ts';
import { formatCount, formatEuro } from '../format.ts';
import { useSearchParam } from '../router.tsx';
import { DataTable } from '../components/DataTable.tsx';

const MONTH_ENDS = ['01-31', '02-28', '03-31', '04-30', '05-31', '06-30', '07-31', '08-31', '09-30', '10-31', '11-30'];
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november'];

export function FundingCommitmentsView({ regionId, year }: { regionId: string; year: number }) {
  const [asOfParam, setAsOf] = useSearchParam('peildatum');
  const asOf = asOfParam && asOfParam.startsWith(String(year)) ? asOfParam : `${year}-06-30`;
  const report = useQuery({
    queryKey: ['funding', regionId, 'commitments', year, asOf],
    queryFn: () => api<FundingCommitments>(`/api/regions/${regionId}/funding/commitments?year=${year}&asOf=${asOf}`),
  });
  const r = report.data;
  type Mun = FundingCommitments['byMunicipality'][number];
  type Row = FundingCommitments['rows'][number];
  const sum = (k: 'realisedCents' | 'committedCents') => (r?.byMunicipality ?? []).reduce((a, m) => a + m[k], 0);
  return (
    <section className="rk-section" aria-labelledby="kop-verplichtingen">
      <div className="rk-section-head">
        <h2 id="kop-verplichtingen" className="utrecht-heading-2">
          Verplichtingen
        </h2>
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="bek-peildatum">
            Peildatum
          </label>
          <select id="bek-peildatum" className="utrecht-select utrecht-select--html-select" value={asOf} onChange={(e) => setAsOf(e.target.value)}>
            {MONTH_ENDS.map((d, i) => (
              <option key={d} value={`${year}-${d}`}>
                eind {MONTHS[i]} {year}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="utrecht-paragraph rk-muted">
        Wat actieve toewijzingen na de peildatum tot het eind van het jaar nog vastleggen: toegestaan volume × tarief op de peildatum; bij een totaalvolume wat
        er over is na de declaraties tot de peildatum, naar rato van de resterende dagen. Realisatie: geboekte declaraties tot en met de maand van de peildatum.
      </p>
      {report.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {report.error.message}
        </div>
      )}
      {report.isPending && (
        <p className="utrecht-paragraph" role="status">
          Verplichtingen laden …
        </p>
      )}
      {r && (
        <>
          <DataTable
            rows={r.byMunicipality}
            rowKey={(m) => m.municipalityCode}
            testId="tabel-verplichtingen"
            caption={`Budget, realisatie en verplichtingen per gemeente op ${r.asOf}`}
            columns={[
              { key: 'name', header: 'Gemeente', value: (m: Mun) => m.municipalityName, total: 'Totaal' },
              {
                key: 'budget',
                header: 'Budget',
                numeric: true,
                value: (m: Mun) => m.budgetCents,
                render: (m: Mun) => (m.budgetCents === null ? '–' : formatEuro(m.budgetCents)),
              },
              {
                key: 'realised',
                header: 'Realisatie',
                numeric: true,
                value: (m: Mun) => m.realisedCents,
                render: (m: Mun) => formatEuro(m.realisedCents),
                total: formatEuro(sum('realisedCents')),
              },
              {
                key: 'committed',
                header: 'Verplichtingen',
                numeric: true,
                value: (m: Mun) => m.committedCents,
                render: (m: Mun) => formatEuro(m.committedCents),
                total: formatEuro(sum('committedCents')),
              },
              {
                key: 'room',
                header: 'Ruimte',
                numeric: true,
                value: (m: Mun) => m.roomCents,
                render: (m: Mun) => (m.roomCents === null ? '–' : formatEuro(m.roomCents)),
              },
            ]}
          />
          <DataTable
            rows={r.rows}
            rowKey={(x) => `${x.municipalityCode}-${x.segmentCode}-${x.providerId}`}
            limit={50}
            initialSort={{ key: 'committed', desc: true }}
            caption={`Verplichtingen per gemeente, segment en aanbieder (${formatCount(r.rows.length)} regels)`}
            columns={[
              { key: 'mun', header: 'Gemeente', value: (x: Row) => x.municipalityName },
              { key: 'seg', header: 'Segment', value: (x: Row) => x.segmentName },
              { key: 'prov', header: 'Aanbieder', value: (x: Row) => x.providerName },
              {
                key: 'alloc',
                header: 'Toewijzingen',
                numeric: true,
                value: (x: Row) => x.allocations,
                render: (x: Row) => `${formatCount(x.allocations)}${x.withoutVolume ? ` (${x.withoutVolume} zonder omvang)` : ''}`,
              },
              {
                key: 'committed',
                header: 'Verplichtingen',
                numeric: true,
                value: (x: Row) => x.committedCents,
                render: (x: Row) => formatEuro(x.committedCents),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}
