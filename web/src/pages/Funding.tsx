// Bekostiging: per contract the funding form, what was agreed, paid and delivered, where it stands against its band,
// and the year-end settlement. Region: every contract; municipality: every contract with its own share; provider:
// its own contracts, its quarterly figures (entered or imported) and its statement.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type FundingBand, type FundingContract, type FundingOverview, type Me, type RegionDetail } from '../api.ts';
import { formatCount, formatEuro, formatEuroCents } from '../format.ts';
import { Link, useRouter, useSearchParam } from '../router.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { CsvImport } from '../components/CsvImport.tsx';
import { FilterBox, matches } from '../components/Filter.tsx';
import { FundingStatementView } from './FundingStatement.tsx';
import { FundingCommitmentsView } from './FundingCommitments.tsx';
import { FundingCostsView } from './FundingCosts.tsx';

export const FORM_NAMES: Record<string, string> = {
  pq: 'P × Q',
  profiel: 'Vast tarief per profiel',
  traject: 'Vaste prijs per traject',
  beschikbaarheid: 'Beschikbaarheid',
  lumpsum: 'Lumpsum',
  nacalculatie: 'Reële nacalculatie',
};
const VIEWS = [
  { id: 'contracten', title: 'Contracten en afrekening' },
  { id: 'kosten', title: 'Kostenverantwoording (reële nacalculatie)' },
];
const OUTSIDE: Record<string, string> = {
  niets: 'geen gevolg',
  gesprek: 'gesprek in het kwartaaloverleg',
  verrekenen: 'verrekening buiten de band',
  plafond: 'plafond',
};
const POSITION: Record<FundingBand['position'], string> = { onder: 'onder de band', binnen: 'binnen de band', boven: 'boven de band' };

export function BandFlag({ band }: { band: FundingBand | null }) {
  if (!band) return <span className="rk-flag rk-flag--geen-budget">geen band</span>;
  return <span className={`rk-flag rk-flag--${band.position === 'boven' ? 'over' : band.position}`}>{POSITION[band.position]}</span>;
}

/** The band as a gauge: the agreed amount in the middle, the band shaded, the realisation as a marker. */
export function BandGauge({ band, label }: { band: FundingBand; label: string }) {
  const mid = (band.lowerCents + band.upperCents) / 2;
  const span = Math.max(band.upperCents - mid, 1) * 3; // the gauge shows three band-widths either side
  const realised = mid * (1 + band.deviationPct / 100);
  const x = (v: number) => Math.max(2, Math.min(298, 150 + ((v - mid) / span) * 148));
  const colour = band.position === 'binnen' ? '#1e6b34' : band.position === 'boven' ? '#a4121c' : '#8a4b00';
  const text = `${label}: realisatie ${band.deviationPct.toLocaleString('nl-NL')}% t.o.v. de afspraak, ${POSITION[band.position]} (band ${formatEuro(band.lowerCents)} – ${formatEuro(band.upperCents)})`;
  return (
    <svg viewBox="0 0 300 28" width="240" height="24" role="img" aria-label={text} data-testid="bandmeter">
      <title>{text}</title>
      <rect x="2" y="10" width="296" height="8" fill="#f2f4f7" stroke="#98a2b3" strokeWidth="0.5" />
      <rect x={x(band.lowerCents)} y="10" width={x(band.upperCents) - x(band.lowerCents)} height="8" fill="#cfe9d8" />
      <line x1="150" x2="150" y1="6" y2="22" stroke="#4a5565" strokeWidth="1" />
      <circle cx={x(realised)} cy="14" r="6" fill={colour} />
    </svg>
  );
}

export function FundingPage({ regionId, me }: { regionId: string; me: Me }) {
  // the coordination point finds places; contracts and money are not its work (src/funding/routes.ts)
  if (me.role === 'coordinator') {
    return (
      <>
        <h1 className="utrecht-heading-1">Bekostiging</h1>
        <p className="utrecht-paragraph" data-testid="bekostiging-geen-toegang">
          Bekostiging (contracten, kwartaalcijfers en afrekeningen) is er voor de regio, de gemeenten en de aanbieders; het coördinatiepunt ziet deze gegevens
          niet.
        </p>
      </>
    );
  }
  return <FundingOverviewPage regionId={regionId} me={me} />;
}

function FundingOverviewPage({ regionId, me }: { regionId: string; me: Me }) {
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const [yearParam, setYear] = useSearchParam('jaar');
  const [contractParam] = useSearchParam('contract');
  const { path } = useRouter();
  const withParam = (name: string, value: string) => {
    const [p, q = ''] = path.split('?');
    const u = new URLSearchParams(q);
    u.set(name, value);
    return `${p}?${u}`;
  };
  const [providerParam, setProvider] = useSearchParam('aanbieder');
  const [segment, setSegment] = useSearchParam('segment');
  const [query, setQuery] = useState('');
  const [viewParam, setView] = useSearchParam('weergave');
  const view = VIEWS.find((v) => v.id === viewParam)?.id ?? 'contracten';
  const year = yearParam ? Number(yearParam) : (region.data?.demoYear ?? undefined);
  const overview = useQuery({
    enabled: year !== undefined,
    queryKey: ['funding', regionId, year],
    queryFn: () => api<FundingOverview>(`/api/regions/${regionId}/funding/contracts?year=${year}`),
  });
  const data = overview.data;
  const all = data?.contracts ?? [];
  const rows = all.filter((c) => (!segment || c.segmentCode === segment) && matches(query, c.providerName, c.agb, c.segmentName, FORM_NAMES[c.fundingForm]));
  const selected = all.find((c) => String(c.id) === contractParam) ?? null;
  const outside = all.filter((c) => c.band && c.band.position !== 'binnen');
  const own = me.role === 'gemeente';
  const share = (c: FundingContract) => c.municipalityShares.reduce((a, s) => a + s.shareCents, 0);
  const segments = [...new Map(all.map((c) => [c.segmentCode, c.segmentName])).entries()];
  const providerId = me.role === 'aanbieder' ? me.providerId : providerParam ? Number(providerParam) : (selected?.providerId ?? null);

  return (
    <>
      <h1 className="utrecht-heading-1">Bekostiging</h1>
      <p className="utrecht-paragraph rk-muted">
        {region.data?.name} ·{' '}
        {me.role === 'regio'
          ? 'alle contracten van de regio'
          : own
            ? 'alle regionale contracten met het aandeel van uw gemeente'
            : 'uw contracten, kwartaalcijfers en afrekening'}
      </p>
      <nav className="rk-tabs" aria-label="Onderdelen van bekostiging">
        {VIEWS.map((v) => (
          <a
            key={v.id}
            href={`?weergave=${v.id}`}
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
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="bek-jaar">
            Jaar
          </label>
          <select id="bek-jaar" className="utrecht-select utrecht-select--html-select" value={year ?? ''} onChange={(e) => setYear(e.target.value)}>
            {[...new Set([...(region.data?.years ?? []), ...(year ? [year] : [])])].sort().map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        {view === 'contracten' && (
          <>
            <div className="rk-inline-field">
              <label className="utrecht-form-label" htmlFor="bek-segment">
                Segment
              </label>
              <select
                id="bek-segment"
                className="utrecht-select utrecht-select--html-select"
                value={segment ?? ''}
                onChange={(e) => setSegment(e.target.value)}
              >
                <option value="">Alle segmenten</option>
                {segments.map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
            <FilterBox id="bek-zoek" label="Zoeken op aanbieder, AGB-code of bekostigingsvorm" value={query} onChange={setQuery} />
          </>
        )}
      </div>
      {view === 'kosten' && year !== undefined && <FundingCostsView regionId={regionId} year={year} me={me} />}
      {view === 'contracten' && overview.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {overview.error.message}
        </div>
      )}
      {view === 'contracten' && overview.isPending && (
        <p className="utrecht-paragraph" role="status">
          Contracten laden …
        </p>
      )}
      {view === 'contracten' && data && (
        <>
          <dl className="rk-kpis" aria-label={`Bekostiging ${data.year}`}>
            <div className="rk-kpi">
              <dt>Afgesproken {data.year}</dt>
              <dd>{formatEuro(data.totals.agreedCents)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Betaald</dt>
              <dd>{formatEuro(data.totals.paidCents)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Uitkomst jaarafrekening</dt>
              <dd>{formatEuro(data.totals.outcomeCents)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Nog te verrekenen</dt>
              <dd data-testid="bek-saldo">{formatEuro(data.totals.settlementCents)}</dd>
            </div>
            {own && (
              <div className="rk-kpi">
                <dt>Aandeel van uw gemeente</dt>
                <dd data-testid="bek-aandeel">{formatEuro(all.reduce((a, c) => a + share(c), 0))}</dd>
              </div>
            )}
            <div className="rk-kpi">
              <dt>Buiten de bandbreedte</dt>
              <dd data-testid="bek-buiten">{formatCount(outside.length)}</dd>
            </div>
          </dl>
          <section className="rk-section" aria-labelledby="kop-bek-contracten">
            <h2 id="kop-bek-contracten" className="utrecht-heading-2">
              Contracten en hun positie
            </h2>
            <DataTable
              rows={rows}
              rowKey={(c) => c.id}
              testId="tabel-bekostiging"
              limit={200}
              caption={`${formatCount(rows.length)} contracten in ${data.year}; kies een aanbieder voor het kwartaaloverzicht en de afrekening`}
              initialSort={{ key: 'agreed', desc: true }}
              columns={[
                {
                  key: 'provider',
                  header: 'Aanbieder',
                  value: (c) => c.providerName,
                  render: (c) => (
                    <Link to={withParam('contract', String(c.id))} aria-label={`${c.providerName}, ${c.segmentName}: kwartaaloverzicht`}>
                      {c.providerName}
                    </Link>
                  ),
                },
                { key: 'segment', header: 'Segment', value: (c) => c.segmentName },
                { key: 'form', header: 'Bekostiging', value: (c) => FORM_NAMES[c.fundingForm] ?? c.fundingForm },
                { key: 'agreed', header: 'Afgesproken', numeric: true, value: (c) => c.agreedCents, render: (c) => formatEuro(c.agreedCents) },
                { key: 'paid', header: 'Betaald', numeric: true, value: (c) => c.paidCents, render: (c) => formatEuro(c.paidCents) },
                { key: 'delivered', header: 'Geleverd', numeric: true, value: (c) => c.deliveredCents, render: (c) => formatEuro(c.deliveredCents) },
                { key: 'band', header: 'Band', value: (c) => c.band?.deviationPct ?? null, render: (c) => <BandFlag band={c.band} /> },
                { key: 'settlement', header: 'Afrekening', numeric: true, value: (c) => c.settlementCents, render: (c) => formatEuro(c.settlementCents) },
                ...(own
                  ? [
                      {
                        key: 'share',
                        header: 'Uw aandeel',
                        numeric: true,
                        value: (c: FundingContract) => share(c),
                        render: (c: FundingContract) => formatEuro(share(c)),
                      },
                    ]
                  : []),
              ]}
            />
          </section>
          {selected && <QuarterlyReview contract={selected} me={me} onStatement={() => setProvider(String(selected.providerId))} />}
          {me.role === 'aanbieder' && (
            <FiguresEntry
              regionId={regionId}
              contracts={all.filter((c) => c.fundingForm === 'lumpsum' || c.fundingForm === 'beschikbaarheid')}
              year={data.year}
            />
          )}
          {providerId !== null && all.some((c) => c.providerId === providerId) && (
            <FundingStatementView regionId={regionId} providerId={providerId} year={data.year} me={me} />
          )}
        </>
      )}
      {/* asked for at the same time as the contracts, not after them (the page waited for both in turn) */}
      {view === 'contracten' && year !== undefined && <FundingCommitmentsView regionId={regionId} year={year} />}
    </>
  );
}

function QuarterlyReview({ contract: c, me, onStatement }: { contract: FundingContract; me: Me; onStatement: () => void }) {
  return (
    <section className="rk-section rk-card" aria-labelledby="kop-kwartaal" data-testid="kwartaaloverzicht">
      <div className="rk-section-head">
        <h2 id="kop-kwartaal" className="utrecht-heading-2">
          Kwartaaloverzicht: {c.providerName} · {c.segmentName}
        </h2>
        {me.role !== 'aanbieder' && (
          <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={onStatement}>
            Jaarafrekening van deze aanbieder
          </button>
        )}
      </div>
      <p className="utrecht-paragraph">
        {FORM_NAMES[c.fundingForm]} ({c.executionVariant}), contract {c.id} van {c.validFrom}
        {c.validTo ? ` tot ${c.validTo}` : ''}.{c.lumpsumCents !== null && <> Jaarbedrag {formatEuroCents(c.lumpsumCents)}</>}
        {c.bandwidthPct !== null && (
          <>
            , bandbreedte {c.bandwidthPct.toLocaleString('nl-NL')}%; buiten de band: {OUTSIDE[c.outsideBand]}
          </>
        )}
        .{c.changeReason && <> Jaarlijkse actualisatie: {c.changeReason}.</>}
      </p>
      {c.band && (
        <p className="utrecht-paragraph">
          <BandGauge band={c.band} label={`${c.providerName} ${c.segmentName}`} /> <BandFlag band={c.band} /> Realisatie{' '}
          {c.band.deviationPct.toLocaleString('nl-NL')}% t.o.v. de afspraak.
        </p>
      )}
      {c.settlement.warnings.length > 0 && (
        <div className="utrecht-alert utrecht-alert--warning" role="status" data-testid="kwartaal-signaal">
          {c.settlement.warnings.map((w) => (
            <p key={w} className="utrecht-paragraph">
              {w}
            </p>
          ))}
        </div>
      )}
      {c.quarters.length > 0 && (
        <DataTable
          rows={c.quarters}
          rowKey={(q) => q.quarter}
          testId="tabel-kwartalen"
          caption={`Kwartaalcijfers van de aanbieder naast die van ${me.role === 'gemeente' ? 'uw gemeente' : 'de gemeenten'} (verwijzingen, lopende toewijzingen) en de band (cumulatief, naar rato)`}
          columns={[
            { key: 'q', header: 'Kwartaal', value: (q) => q.quarter, render: (q) => `K${q.quarter}` },
            { key: 'ref', header: 'Verwijzingen (gemeente)', numeric: true, value: (q) => q.referrals, render: (q) => formatCount(q.referrals) },
            {
              key: 'act',
              header: 'Lopende toewijzingen (gemeente)',
              numeric: true,
              value: (q) => q.activeAllocations,
              render: (q) => formatCount(q.activeAllocations),
            },
            { key: 'care', header: 'Cliënten in zorg', numeric: true, value: (q) => q.clientsInCare, render: (q) => formatCount(q.clientsInCare) },
            { key: 'in', header: 'Gestart', numeric: true, value: (q) => q.started },
            { key: 'out', header: 'Gestopt', numeric: true, value: (q) => q.stopped },
            { key: 'hours', header: 'Uren/dagen', numeric: true, value: (q) => q.hours, render: (q) => formatCount(q.hours) },
            { key: 'real', header: 'Realisatie', numeric: true, value: (q) => q.realisedCents, render: (q) => formatEuro(q.realisedCents) },
            { key: 'cum', header: 'Cumulatief', numeric: true, value: (q) => q.cumulativeCents, render: (q) => formatEuro(q.cumulativeCents) },
            {
              key: 'band',
              header: 'Band (naar rato)',
              value: (q) => q.band?.deviationPct ?? null,
              render: (q) =>
                q.band ? (
                  <>
                    <BandGauge band={q.band} label={`K${q.quarter}`} /> <BandFlag band={q.band} />
                  </>
                ) : (
                  '–'
                ),
            },
          ]}
        />
      )}
      <h3 className="utrecht-heading-3">Berekening van de afrekening</h3>
      <Steps steps={c.settlement.steps} />
      {me.role === 'gemeente' && (
        <p className="utrecht-paragraph">
          Aandeel van uw gemeente ({c.shareKey}): <strong>{formatEuroCents(c.municipalityShares.reduce((a, s) => a + s.shareCents, 0))}</strong>
        </p>
      )}
    </section>
  );
}

export function Steps({ steps }: { steps: { label: string; amountCents: number; detail?: string }[] }) {
  return (
    <table className="utrecht-table" data-testid="berekening">
      <caption className="utrecht-table__caption">Stap voor stap</caption>
      <thead className="utrecht-table__header">
        <tr className="utrecht-table__row">
          <th scope="col" className="utrecht-table__header-cell">
            Stap
          </th>
          <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">
            Bedrag
          </th>
        </tr>
      </thead>
      <tbody className="utrecht-table__body">
        {steps.map((s, i) => (
          <tr key={i} className="utrecht-table__row">
            <td className="utrecht-table__cell">
              {s.label}
              {s.detail && <span className="rk-muted"> ({s.detail})</span>}
            </td>
            <td className="utrecht-table__cell utrecht-table__cell--numeric">{s.amountCents === 0 && s.detail ? '' : formatEuroCents(s.amountCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FiguresEntry({ regionId, contracts, year }: { regionId: string; contracts: FundingContract[]; year: number }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (!contracts.length) return null;
  const submit = async (form: HTMLFormElement) => {
    const f = new FormData(form);
    const n = (k: string) =>
      Number(
        String(f.get(k) ?? '')
          .replace(/\./g, '')
          .replace(',', '.'),
      );
    try {
      await api(`/api/regions/${regionId}/funding/figures`, {
        method: 'POST',
        json: {
          rows: [
            {
              contractId: n('contract'),
              year: n('jaar'),
              quarter: n('kwartaal'),
              clientsInCare: n('inzorg'),
              started: n('gestart'),
              stopped: n('gestopt'),
              hours: n('uren'),
              realisedCents: Math.round(n('realisatie') * 100),
            },
          ],
        },
      });
      setMessage({ ok: true, text: 'Kwartaalcijfers opgeslagen.' });
      await queryClient.invalidateQueries({ queryKey: ['funding', regionId] });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof ApiError ? [e.message, ...e.fields.map((x) => `${x.field}: ${x.detail}`)].join(' ') : 'Opslaan mislukt' });
    }
  };
  const field = (id: string, label: string, def = '0') => (
    <div className="utrecht-form-field">
      <label className="utrecht-form-label" htmlFor={`fig-${id}`}>
        {label}
      </label>
      <input id={`fig-${id}`} name={id} className="utrecht-textbox" inputMode="decimal" defaultValue={def} required />
    </div>
  );
  return (
    <>
      <section className="rk-section rk-card" aria-labelledby="kop-cijfers">
        <h2 id="kop-cijfers" className="utrecht-heading-2">
          Kwartaalcijfers invoeren
        </h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit(e.currentTarget);
          }}
        >
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor="fig-contract">
              Contract
            </label>
            <select id="fig-contract" name="contract" className="utrecht-select utrecht-select--html-select">
              {contracts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.segmentName} (contract {c.id})
                </option>
              ))}
            </select>
          </div>
          {field('jaar', 'Jaar', String(year))}
          {field('kwartaal', 'Kwartaal (1–4)', '1')}
          {field('inzorg', 'Cliënten in zorg')}
          {field('gestart', 'Gestart')}
          {field('gestopt', 'Gestopt')}
          {field('uren', 'Uren of dagen')}
          {field('realisatie', 'Realisatie (euro)')}
          <button type="submit" className="utrecht-button utrecht-button--primary-action">
            Opslaan
          </button>
        </form>
        {message && (
          <div className={`utrecht-alert ${message.ok ? 'utrecht-alert--ok' : 'utrecht-alert--error'}`} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </div>
        )}
      </section>
      <CsvImport
        id="cijfers-csv"
        title="Kwartaalcijfers inlezen (CSV)"
        url={`/api/regions/${regionId}/funding/figures/import`}
        invalidate={['funding', regionId]}
        done={(n) => `${formatCount(n)} kwartaalregels ingelezen.`}
        testId="cijfers-import"
      >
        <p className="utrecht-paragraph">
          Kolommen: <code>contract;jaar;kwartaal;clienten in zorg;gestart;gestopt;uren;realisatie (euro)</code>. Bij één fout wordt niets opgeslagen; de fouten
          staan per regel.
        </p>
      </CsvImport>
    </>
  );
}
