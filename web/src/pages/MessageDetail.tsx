// One message: its header and totals, and for a declaration every line with its verdict. A rejected line shows
// the rule, the official return code (WJ001) and the reason in plain Dutch beside it. Personal data: the server
// audits this read; the region has no access to lines and gets an explanation instead of an error.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  api,
  ApiError,
  type IjwAllocation,
  type IjwLine,
  type IjwMessage,
  type IjwMessageDetail,
  type IjwRuleSummary,
  type Me,
  type MessageOutcome,
  type MessageStatus,
} from '../api.ts';
import { formatCount, formatDate, formatDateTime, formatEuroCents, formatVolume, frequencyName } from '../format.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';

const STATUS: Record<MessageStatus, string> = { verwerkt: 'Verwerkt', afgewezen: 'Afgewezen', verzonden: 'Verzonden' };
export const statusLabel = (s: MessageStatus) => STATUS[s] ?? s;
export const formatTimestamp = formatDateTime;
const OUTCOME: Record<MessageOutcome, { label: string; flag: string }> = {
  goedgekeurd: { label: 'Goedgekeurd', flag: 'binnen' },
  deels: { label: 'Deels goedgekeurd', flag: 'onder' },
  afgewezen: { label: 'Afgewezen', flag: 'over' },
  verwerkt: { label: 'Verwerkt', flag: 'binnen' },
  verzonden: { label: 'Verzonden', flag: 'geen-budget' },
};
/** What happened to a message, as a coloured label with the full sentence as its title. */
export function OutcomeFlag({ m }: { m: Pick<IjwMessage, 'outcome' | 'outcomeText' | 'status'> }) {
  const o = OUTCOME[m.outcome] ?? { label: statusLabel(m.status), flag: 'geen-budget' };
  return (
    <span className={`rk-flag rk-flag--${o.flag}`} title={m.outcomeText} data-outcome={m.outcome}>
      {o.label}
    </span>
  );
}

/** Rejected lines per rule of the standard: how many, how much money, the return code in words. */
export function RuleSummaryTable({ rules, testId, caption }: { rules: IjwRuleSummary[]; testId: string; caption: string }) {
  const columns: Column<IjwRuleSummary>[] = [
    { key: 'code', header: 'Regel', value: (r) => r.code },
    {
      key: 'text',
      header: 'Reden (retourcode)',
      value: (r) => r.text,
      render: (r) => (
        <>
          {r.text} <span className="rk-muted">({r.retourcode})</span>
        </>
      ),
    },
    {
      key: 'lines',
      header: 'Afgekeurde regels',
      value: (r) => r.lines,
      numeric: true,
      render: (r) => formatCount(r.lines),
      total: formatCount(rules.reduce((s, r) => s + r.lines, 0)),
    },
    { key: 'amount', header: 'Bedrag', value: (r) => r.amountCents, numeric: true, render: (r) => formatEuroCents(r.amountCents) },
  ];
  return <DataTable rows={rules} columns={columns} rowKey={(r) => `${r.code}|${r.retourcode}`} testId={testId} caption={caption} />;
}

export function MessageDetail({
  regionId,
  me,
  messageId,
  onBack,
  onOpen,
}: {
  regionId: string;
  me: Me;
  messageId: number;
  onBack: () => void;
  onOpen: (id: number) => void;
}) {
  const [onlyRejected, setOnlyRejected] = useState(false);
  const detail = useQuery({
    queryKey: ['ijw-message', regionId, messageId],
    queryFn: () => api<IjwMessageDetail>(`/api/regions/${regionId}/ijw/messages/${messageId}`),
    enabled: me.role !== 'regio',
    retry: false,
  });
  const back = (
    <p className="utrecht-paragraph">
      <a
        href="?"
        className="utrecht-link"
        onClick={(e) => {
          e.preventDefault();
          onBack();
        }}
      >
        ← Terug naar de berichten
      </a>
    </p>
  );
  if (me.role === 'regio') {
    return (
      <>
        {back}
        <p className="utrecht-paragraph">
          De regels van een bericht gaan over jeugdigen; die ziet alleen de gemeente die betaalt en de aanbieder die declareert. De regio ziet de berichten en
          het grootboek.
        </p>
      </>
    );
  }
  if (detail.isPending)
    return (
      <>
        {back}
        <p className="utrecht-paragraph" role="status">
          Bericht laden …
        </p>
      </>
    );
  if (detail.isError) {
    const e = detail.error;
    return (
      <>
        {back}
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {e instanceof ApiError && e.status === 404 ? `Bericht ${messageId} bestaat niet of valt buiten uw bereik.` : e.message}
        </div>
      </>
    );
  }
  const { message: m, lines } = detail.data;
  const shown = onlyRejected ? lines.filter((l) => l.status === 'afgewezen') : lines;
  const columns: Column<IjwLine>[] = [
    { key: 'lineNo', header: 'Regel', value: (l) => l.lineNo, numeric: true },
    { key: 'client', header: 'Cliënt', value: (l) => l.clientPseudonym },
    { key: 'assignment', header: 'Toewijzing', value: (l) => l.assignmentNumber ?? '' },
    // the name first; the code (as declared) small beside it, and alone only when the book does not know it
    {
      key: 'product',
      header: 'Product',
      value: (l) => l.productName || l.productCode || '',
      render: (l) =>
        l.productName ? (
          <>
            {l.productName}{' '}
            <span className="rk-muted">
              ({l.productCategory ? `${l.productCategory} ` : ''}
              {l.productCode})
            </span>
          </>
        ) : (
          <>
            {l.productCategory && `${l.productCategory} `}
            {l.productCode} <span className="rk-muted">(niet in het productenboek)</span>
          </>
        ),
    },
    {
      key: 'period',
      header: 'Periode',
      value: (l) => l.periodStart ?? '',
      render: (l) => (l.periodStart ? `${formatDate(l.periodStart)} – ${formatDate(l.periodEnd ?? l.periodStart)}` : '–'),
    },
    { key: 'volume', header: 'Volume', value: (l) => l.volume, numeric: true, render: (l) => (l.volume === null ? '–' : formatVolume(l.volume, l.unit)) },
    {
      key: 'tariff',
      header: 'Tarief',
      value: (l) => l.tariffCents,
      numeric: true,
      render: (l) => (l.tariffCents === null ? '–' : formatEuroCents(l.tariffCents)),
    },
    {
      key: 'amount',
      header: 'Bedrag',
      value: (l) => (l.amountCents === null ? null : l.debitCredit === 'C' ? -l.amountCents : l.amountCents),
      numeric: true,
      render: (l) => (l.amountCents === null ? '–' : `${l.debitCredit === 'C' ? 'credit ' : ''}${formatEuroCents(l.amountCents)}`),
    },
    {
      key: 'status',
      header: 'Oordeel',
      value: (l) => l.status,
      render: (l) => (
        <span className={`rk-flag rk-flag--${l.status === 'afgewezen' ? 'over' : 'binnen'}`}>{l.status === 'afgewezen' ? 'Afgekeurd' : 'Goedgekeurd'}</span>
      ),
    },
    {
      key: 'reason',
      header: 'Reden',
      value: (l) => l.findings.map((f) => f.code).join(' '),
      render: (l) =>
        l.findings.length ? (
          <ul className="rk-reasons">
            {l.findings.map((f, i) => (
              <li key={i}>
                <strong>{f.code}</strong> (retourcode {f.retourcode}): {f.text} <span className="rk-muted">{f.location}</span>
              </li>
            ))}
          </ul>
        ) : (
          ''
        ),
    },
  ];
  return (
    <>
      {back}
      <h2 className="utrecht-heading-2" data-testid="bericht-kop">
        {m.type} {m.identification}
      </h2>
      <dl className="rk-kpis">
        <div className="rk-kpi">
          <dt>{m.direction === 'in' ? 'Ontvangen' : 'Verzonden'}</dt>
          <dd className="rk-kpi__note">{formatTimestamp(m.createdAt)}</dd>
        </div>
        <div className="rk-kpi">
          <dt>Gemeente</dt>
          <dd className="rk-kpi__note">{m.municipalityName ?? m.municipalityCode ?? '—'}</dd>
        </div>
        <div className="rk-kpi">
          <dt>Aanbieder</dt>
          <dd className="rk-kpi__note">{m.providerName ?? '—'}</dd>
        </div>
        <div className="rk-kpi">
          <dt>Resultaat</dt>
          <dd className="rk-kpi__note">
            <OutcomeFlag m={m} />
          </dd>
        </div>
        {m.type === 'JW323' && (
          <>
            <div className="rk-kpi">
              <dt>Regels goedgekeurd</dt>
              <dd data-testid="goedgekeurd">
                {formatCount(m.acceptedLines)} <span className="rk-kpi__note">van {formatCount(m.lines)}</span>
              </dd>
            </div>
            <div className="rk-kpi">
              <dt>Goedgekeurd bedrag</dt>
              <dd>{formatEuroCents(m.acceptedAmountCents)}</dd>
              <dd className="rk-kpi__note">van {formatEuroCents(m.amountCents)} gedeclareerd</dd>
            </div>
          </>
        )}
        {m.type === 'JW325' && (
          <>
            <div className="rk-kpi">
              <dt>Afgekeurde regels teruggemeld</dt>
              <dd data-testid="teruggemeld">{formatCount(m.rejectedLines)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Afgekeurd bedrag</dt>
              <dd>{formatEuroCents(m.amountCents - m.acceptedAmountCents)}</dd>
              <dd className="rk-kpi__note">van {formatEuroCents(m.amountCents)} gedeclareerd</dd>
            </div>
          </>
        )}
        {m.type === 'JW301' && (
          <div className="rk-kpi">
            <dt>Toewijzingen</dt>
            <dd data-testid="toewijzingen">{formatCount(m.lines)}</dd>
          </div>
        )}
      </dl>
      <p className="utrecht-paragraph" data-testid="bericht-resultaat">
        {m.outcomeText}.
      </p>
      <p className="utrecht-paragraph rk-downloads">
        <a className="utrecht-link" href={`/api/regions/${regionId}/ijw/messages/${m.messageId}/xml`} download>
          Download het bericht (XML)
        </a>
        {m.answerMessageId && (
          <a
            href={`?bericht=${m.answerMessageId}`}
            className="utrecht-link"
            onClick={(e) => {
              e.preventDefault();
              onOpen(m.answerMessageId!);
            }}
          >
            Naar het retourbericht
          </a>
        )}
      </p>
      {lines.length > 0 && (
        <>
          <div className="utrecht-form-field utrecht-form-field--checkbox">
            <label className="utrecht-form-label utrecht-form-label--checkbox">
              <input
                type="checkbox"
                className="utrecht-checkbox utrecht-checkbox--html-input"
                checked={onlyRejected}
                onChange={(e) => setOnlyRejected(e.target.checked)}
              />{' '}
              Alleen afgekeurde regels
            </label>
          </div>
          <DataTable
            rows={shown}
            columns={columns}
            rowKey={(l) => l.lineNo}
            testId="berichtregels"
            caption={`${formatCount(shown.length)} ${onlyRejected ? 'afgekeurde ' : ''}regels; bij een afgekeurde regel de regel uit de standaard, de retourcode en de reden`}
          />
        </>
      )}
      {detail.data.rules.length > 0 && (
        <section className="rk-section" aria-labelledby="kop-afkeur-regel">
          <h3 id="kop-afkeur-regel" className="utrecht-heading-3">
            Afgekeurd per regel van de standaard
          </h3>
          <RuleSummaryTable rules={detail.data.rules} testId="afkeur-per-regel" caption="Afgekeurde regels per regel van de standaard, met de retourcode" />
        </section>
      )}
      {detail.data.allocations.length > 0 && <AllocationTable allocations={detail.data.allocations} />}
      {lines.length === 0 && detail.data.allocations.length === 0 && (
        <p className="utrecht-paragraph rk-muted">
          {m.type === 'JW315' || m.type === 'JW317'
            ? 'Dit bericht bevat aanvragen, geen declaratieregels of toewijzingen.'
            : 'Dit bericht bevat geen regels om te tonen.'}
        </p>
      )}
    </>
  );
}

const ALLOCATION_STATUS: Record<string, string> = { actief: 'Actief', gewijzigd: 'Gewijzigd', ingetrokken: 'Ingetrokken', beeindigd: 'Beëindigd' };

/** The allocations (toewijzingen) a JW301 carried. */
function AllocationTable({ allocations }: { allocations: IjwAllocation[] }) {
  const columns: Column<IjwAllocation>[] = [
    { key: 'number', header: 'Toewijzing', value: (a) => a.assignmentNumber },
    { key: 'youth', header: 'Jeugdige', value: (a) => a.youthPseudonym },
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
    {
      key: 'period',
      header: 'Periode',
      value: (a) => a.startDate,
      render: (a) => `${formatDate(a.startDate)} – ${a.endDate ? formatDate(a.endDate) : 'open einde'}`,
    },
    {
      key: 'volume',
      header: 'Omvang',
      value: (a) => a.volume,
      numeric: true,
      render: (a) => (a.volume === null ? '—' : `${formatVolume(a.volume, a.unit)} ${frequencyName(a.frequency)}`),
    },
    {
      key: 'budget',
      header: 'Budget',
      value: (a) => a.budgetCents,
      numeric: true,
      render: (a) => (a.budgetCents === null ? '—' : formatEuroCents(a.budgetCents)),
    },
    { key: 'status', header: 'Status', value: (a) => ALLOCATION_STATUS[a.status] ?? a.status },
  ];
  return (
    <section className="rk-section" aria-labelledby="kop-toewijzingen">
      <h3 id="kop-toewijzingen" className="utrecht-heading-3">
        Toewijzingen in dit bericht
      </h3>
      <DataTable
        rows={allocations}
        columns={columns}
        rowKey={(a) => a.assignmentNumber}
        testId="bericht-toewijzingen"
        caption={`${formatCount(allocations.length)} toewijzingen`}
      />
    </section>
  );
}
