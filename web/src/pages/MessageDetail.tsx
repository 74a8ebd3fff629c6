// One message: its header and totals, and for a declaration every line with its verdict. A rejected line shows
// the rule, the official return code (WJ001) and the reason in plain Dutch beside it. Personal data: the server
// audits this read; the region has no access to lines and gets an explanation instead of an error.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, type IjwLine, type IjwMessageDetail, type Me, type MessageStatus } from '../api.ts';
import { formatCount, formatDate, formatEuroCents } from '../format.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';

const STATUS: Record<MessageStatus, string> = { verwerkt: 'Verwerkt', afgewezen: 'Afgewezen', verzonden: 'Verzonden' };
export const statusLabel = (s: MessageStatus) => STATUS[s] ?? s;
export const formatTimestamp = (iso: string) =>
  new Date(iso).toLocaleString('nl-NL', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' });

export function MessageDetail({ regionId, me, messageId, onBack, onOpen }: {
  regionId: string; me: Me; messageId: number; onBack: () => void; onOpen: (id: number) => void;
}) {
  const [onlyRejected, setOnlyRejected] = useState(false);
  const detail = useQuery({
    queryKey: ['ijw-message', regionId, messageId],
    queryFn: () => api<IjwMessageDetail>(`/api/regions/${regionId}/ijw/messages/${messageId}`),
    enabled: me.role !== 'regio',
    retry: false,
  });
  const back = <p className="utrecht-paragraph"><a href="?" className="utrecht-link" onClick={(e) => { e.preventDefault(); onBack(); }}>← Terug naar de berichten</a></p>;
  if (me.role === 'regio') {
    return <>{back}<p className="utrecht-paragraph">De regels van een bericht gaan over jeugdigen; die ziet alleen de gemeente die betaalt en de aanbieder die declareert. De regio ziet de berichten en het grootboek.</p></>;
  }
  if (detail.isPending) return <>{back}<p className="utrecht-paragraph" role="status">Bericht laden …</p></>;
  if (detail.isError) {
    const e = detail.error;
    return <>{back}<div className="utrecht-alert utrecht-alert--error" role="alert">{e instanceof ApiError && e.status === 404 ? `Bericht ${messageId} bestaat niet of valt buiten uw bereik.` : e.message}</div></>;
  }
  const { message: m, lines } = detail.data;
  const shown = onlyRejected ? lines.filter((l) => l.status === 'afgewezen') : lines;
  const columns: Column<IjwLine>[] = [
    { key: 'lineNo', header: 'Regel', value: (l) => l.lineNo, numeric: true },
    { key: 'client', header: 'Cliënt', value: (l) => l.clientPseudonym },
    { key: 'assignment', header: 'Toewijzing', value: (l) => l.assignmentNumber ?? '' },
    { key: 'product', header: 'Product', value: (l) => `${l.productCode ?? ''} ${l.productName ?? ''}`, render: (l) => <>{l.productCategory && `${l.productCategory} · `}{l.productCode} {l.productName && <span className="rk-muted">{l.productName}</span>}</> },
    { key: 'period', header: 'Periode', value: (l) => l.periodStart, render: (l) => `${formatDate(l.periodStart)} – ${formatDate(l.periodEnd)}` },
    { key: 'volume', header: 'Volume', value: (l) => l.volume, numeric: true, render: (l) => `${formatCount(l.volume)} ${l.unit}` },
    { key: 'tariff', header: 'Tarief', value: (l) => l.tariffCents, numeric: true, render: (l) => formatEuroCents(l.tariffCents) },
    { key: 'amount', header: 'Bedrag', value: (l) => (l.debitCredit === 'C' ? -l.amountCents : l.amountCents), numeric: true,
      render: (l) => `${l.debitCredit === 'C' ? 'credit ' : ''}${formatEuroCents(l.amountCents)}` },
    { key: 'status', header: 'Oordeel', value: (l) => l.status, render: (l) => <span className={`rk-flag rk-flag--${l.status === 'afgewezen' ? 'over' : 'binnen'}`}>{l.status === 'afgewezen' ? 'Afgekeurd' : 'Goedgekeurd'}</span> },
    { key: 'reason', header: 'Reden', value: (l) => l.findings.map((f) => f.code).join(' '), render: (l) => l.findings.length ? (
      <ul className="rk-reasons">{l.findings.map((f, i) => (
        <li key={i}><strong>{f.code}</strong> (retourcode {f.retourcode}): {f.text ?? f.message} <span className="rk-muted">{f.location}</span></li>
      ))}</ul>) : '' },
  ];
  return (
    <>
      {back}
      <h2 className="utrecht-heading-2" data-testid="bericht-kop">{m.type} {m.identification}</h2>
      <dl className="rk-kpis">
        <div className="rk-kpi"><dt>{m.direction === 'in' ? 'Ontvangen' : 'Verzonden'}</dt><dd className="rk-kpi__note">{formatTimestamp(m.createdAt)}</dd></div>
        <div className="rk-kpi"><dt>Gemeente</dt><dd className="rk-kpi__note">{m.municipalityName ?? m.municipalityCode ?? '—'}</dd></div>
        <div className="rk-kpi"><dt>Aanbieder</dt><dd className="rk-kpi__note">{m.providerName ?? '—'}</dd></div>
        <div className="rk-kpi"><dt>Status</dt><dd className="rk-kpi__note">{statusLabel(m.status)}</dd></div>
        <div className="rk-kpi"><dt>Regels goedgekeurd</dt><dd data-testid="goedgekeurd">{formatCount(m.acceptedLines)} <span className="rk-kpi__note">van {formatCount(m.lines)}</span></dd></div>
        <div className="rk-kpi"><dt>Goedgekeurd bedrag</dt><dd>{formatEuroCents(m.acceptedAmountCents)}</dd><dd className="rk-kpi__note">van {formatEuroCents(m.amountCents)} gedeclareerd</dd></div>
      </dl>
      <p className="utrecht-paragraph rk-downloads">
        <a className="utrecht-link" href={`/api/regions/${regionId}/ijw/messages/${m.messageId}/xml`} download>Download het bericht (XML)</a>
        {m.answerMessageId && <a href={`?bericht=${m.answerMessageId}`} className="utrecht-link" onClick={(e) => { e.preventDefault(); onOpen(m.answerMessageId!); }}>Naar het retourbericht</a>}
      </p>
      {lines.length > 0 && (
        <>
          <div className="utrecht-form-field utrecht-form-field--checkbox">
            <label className="utrecht-form-label utrecht-form-label--checkbox">
              <input type="checkbox" className="utrecht-checkbox utrecht-checkbox--html-input" checked={onlyRejected} onChange={(e) => setOnlyRejected(e.target.checked)} />
              {' '}Alleen afgekeurde regels
            </label>
          </div>
          <DataTable rows={shown} columns={columns} rowKey={(l) => l.lineNo} testId="berichtregels"
            caption={`${formatCount(shown.length)} ${onlyRejected ? 'afgekeurde ' : ''}regels; bij een afgekeurde regel de regel uit de standaard, de retourcode en de reden`} />
        </>
      )}
      {lines.length === 0 && <p className="utrecht-paragraph rk-muted">Dit bericht heeft geen declaratieregels.</p>}
    </>
  );
}
