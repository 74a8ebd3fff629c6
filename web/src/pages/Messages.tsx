// Allocations and declarations (iJW 3.2): the inbox and outbox of messages, the settlement ledger (P*Q) and the
// allocations of one youth over time. A municipality drops its declaration files here and sends its allocations;
// a provider sees the same picture for its own messages; the region sees the lists and the ledger, no persons.
// Every figure comes from /api/regions/:id/ijw/… (src/ijw/message-routes.ts); the ledger exports the same query.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  api,
  ApiError,
  defaultYear,
  type IjwExportResult,
  type IjwImportResult,
  type IjwLedger,
  type IjwMessage,
  type IjwMessageList,
  type IjwProviderSummary,
  type IjwRejections,
  type Me,
  type RegionDetail,
} from '../api.ts';
import { formatCount, formatEuroCents } from '../format.ts';
import { useRouter, useSearchParam } from '../router.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Downloads } from '../components/Downloads.tsx';
import { MessageDetail, OutcomeFlag, RuleSummaryTable, formatTimestamp } from './MessageDetail.tsx';
import { YouthsView } from './MessagesYouths.tsx';

const PAGE = 50;
const IN_TYPES = ['JW323', 'JW315', 'JW317', 'JW302', 'JW305', 'JW306', 'JW307', 'JW308', 'JW319'];
const OUT_TYPES = ['JW301', 'JW325', 'JW316', 'JW318', 'JW320'];

export function MessagesPage({ regionId, me }: { regionId: string; me: Me }) {
  const [viewParam, setView] = useSearchParam('weergave');
  const [messageParam] = useSearchParam('bericht');
  const { path, navigate } = useRouter();
  if (me.role === 'coordinator') {
    return (
      <>
        <h1 className="utrecht-heading-1">Toewijzingen en declaraties</h1>
        <p className="utrecht-paragraph" data-testid="geen-toegang">
          Het coördinatiepunt werkt met plekken en aanvragen, niet met toewijzingen en declaraties: dit onderdeel is voor gemeenten, aanbieders en de regio.
        </p>
      </>
    );
  }
  const personal = me.role !== 'regio';
  const views = [
    { id: 'in', title: 'Ontvangen' },
    { id: 'uit', title: 'Verzonden' },
    { id: 'grootboek', title: 'Grootboek P*Q' },
    ...(personal ? [{ id: 'jeugdigen', title: 'Jeugdigen' }] : []),
  ];
  const view = views.find((v) => v.id === viewParam)?.id ?? 'in';
  const openMessage = (id: number) => {
    const [pathname, search = ''] = path.split('?');
    const params = new URLSearchParams(search);
    params.set('bericht', String(id));
    navigate(`${pathname}?${params}`);
  };
  const closeMessage = () => {
    const [pathname, search = ''] = path.split('?');
    const params = new URLSearchParams(search);
    params.delete('bericht');
    navigate(`${pathname}?${params}`);
  };

  return (
    <>
      <div className="rk-page-head">
        <div>
          <h1 className="utrecht-heading-1">Toewijzingen en declaraties</h1>
          <p className="utrecht-paragraph rk-muted">
            iJW 3.2-berichten: getoetst aan de regels van de standaard, geboekt in het grootboek en beantwoord met een retourbericht.
          </p>
        </div>
      </div>
      {messageParam ? (
        <MessageDetail regionId={regionId} me={me} messageId={Number(messageParam)} onBack={closeMessage} onOpen={openMessage} />
      ) : (
        <>
          <nav className="rk-tabs" aria-label="Weergave">
            {views.map((v) => (
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
          {(view === 'in' || view === 'uit') && (
            <MessageList key={view} regionId={regionId} me={me} direction={view === 'in' ? 'in' : 'out'} onOpen={openMessage} />
          )}
          {view === 'in' && <RejectionSummary regionId={regionId} />}
          {view === 'grootboek' && <LedgerView regionId={regionId} />}
          {view === 'jeugdigen' && personal && <YouthsView regionId={regionId} />}
        </>
      )}
    </>
  );
}

function MessageList({ regionId, me, direction, onOpen }: { regionId: string; me: Me; direction: 'in' | 'out'; onOpen: (id: number) => void }) {
  const [typeParam, setType] = useSearchParam('type');
  const [pageParam, setPage] = useSearchParam('pagina');
  const type = typeParam ?? '';
  const page = Math.max(1, Number(pageParam) || 1);
  const query = new URLSearchParams({ direction, limit: String(PAGE), offset: String((page - 1) * PAGE), ...(type && { type }) });
  const list = useQuery({
    queryKey: ['ijw-messages', regionId, direction, type, page],
    queryFn: () => api<IjwMessageList>(`/api/regions/${regionId}/ijw/messages?${query}`),
  });
  const canOpen = me.role !== 'regio';
  const columns: Column<IjwMessage>[] = [
    {
      key: 'type',
      header: 'Bericht',
      value: (m) => m.type,
      render: (m) =>
        canOpen ? (
          <a
            href={`?bericht=${m.messageId}`}
            className="utrecht-link"
            onClick={(e) => {
              e.preventDefault();
              onOpen(m.messageId);
            }}
          >
            {m.type} {m.identification}
          </a>
        ) : (
          <>
            {m.type} {m.identification}
          </>
        ),
    },
    { key: 'createdAt', header: direction === 'in' ? 'Ontvangen' : 'Verzonden', value: (m) => m.createdAt, render: (m) => formatTimestamp(m.createdAt) },
    { key: 'municipality', header: 'Gemeente', value: (m) => m.municipalityName ?? m.municipalityCode ?? '' },
    { key: 'provider', header: 'Aanbieder', value: (m) => m.providerName ?? '' },
    { key: 'status', header: 'Resultaat', value: (m) => m.outcome, render: (m) => <OutcomeFlag m={m} /> },
    { key: 'lines', header: 'Regels', value: (m) => m.lines, numeric: true, render: (m) => formatCount(m.lines) },
    // only a declaration has accepted lines and money; a JW325 carries the rejected lines back, a JW301 allocations
    {
      key: 'accepted',
      header: 'Goedgekeurd',
      value: (m) => (m.type === 'JW323' ? m.acceptedLines : null),
      numeric: true,
      render: (m) => (m.type === 'JW323' ? formatCount(m.acceptedLines) : '—'),
    },
    {
      key: 'rejected',
      header: 'Afgekeurd',
      value: (m) => (m.type === 'JW323' || m.type === 'JW325' ? m.rejectedLines : null),
      numeric: true,
      render: (m) => (m.type === 'JW323' || m.type === 'JW325' ? formatCount(m.rejectedLines) : '—'),
    },
    {
      key: 'amount',
      header: 'Gedeclareerd',
      value: (m) => (m.type === 'JW323' ? m.amountCents : null),
      numeric: true,
      render: (m) => (m.type === 'JW323' ? formatEuroCents(m.amountCents) : '—'),
    },
    {
      key: 'acceptedAmount',
      header: 'Goedgekeurd bedrag',
      value: (m) => (m.type === 'JW323' ? m.acceptedAmountCents : null),
      numeric: true,
      render: (m) => (m.type === 'JW323' ? formatEuroCents(m.acceptedAmountCents) : '—'),
    },
    {
      key: 'answer',
      header: 'Antwoord',
      value: (m) => m.answerMessageId,
      render: (m) =>
        m.answerMessageId && canOpen ? (
          <a
            href={`?bericht=${m.answerMessageId}`}
            className="utrecht-link"
            onClick={(e) => {
              e.preventDefault();
              onOpen(m.answerMessageId!);
            }}
          >
            retourbericht
          </a>
        ) : m.answerMessageId ? (
          'retourbericht'
        ) : (
          ''
        ),
    },
  ];
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  return (
    <>
      {me.role === 'gemeente' && direction === 'in' && <Upload regionId={regionId} onOpen={onOpen} />}
      {me.role === 'gemeente' && direction === 'out' && <ExportAllocations regionId={regionId} />}
      <div className="rk-section-head">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="berichttype">
            Soort bericht
          </label>
          <select
            id="berichttype"
            className="utrecht-select utrecht-select--html-select"
            value={type}
            onChange={(e) => {
              setType(e.target.value);
            }}
          >
            <option value="">Alle</option>
            {(direction === 'in' ? IN_TYPES : OUT_TYPES).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        {me.role === 'regio' && <p className="utrecht-paragraph rk-muted">De regio ziet de berichten en bedragen, niet de regels met jeugdigen.</p>}
      </div>
      {list.isPending && (
        <p className="utrecht-paragraph" role="status">
          Berichten laden …
        </p>
      )}
      {list.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {list.error.message}
        </div>
      )}
      {list.data && (
        <>
          <DataTable
            rows={list.data.messages}
            columns={columns}
            rowKey={(m) => m.messageId}
            testId={`berichten-${direction}`}
            caption={`${formatCount(total)} ${direction === 'in' ? 'ontvangen' : 'verzonden'} berichten${type ? ` van soort ${type}` : ''}; nieuwste eerst`}
          />
          {pages > 1 && (
            <nav className="rk-downloads" aria-label="Pagina's">
              <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={page <= 1} onClick={() => setPage(String(page - 1))}>
                Vorige
              </button>
              <span className="utrecht-paragraph">
                Pagina {page} van {pages}
              </span>
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
    </>
  );
}

interface UploadError {
  line?: number;
  field?: string;
  location?: string;
  code?: string;
  detail?: string;
  message?: string;
}

/** Sends one XML file as the raw body; shows the upload's progress, then what became of the message. */
function Upload({ regionId, onOpen }: { regionId: string; onOpen: (id: number) => void }) {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<{ file: string; ok?: IjwImportResult; error?: string; errors?: UploadError[] } | null>(null);
  const upload = (file: File) => {
    setResult(null);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/regions/${regionId}/ijw/messages`);
    xhr.setRequestHeader('content-type', 'application/xml');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => setProgress(1);
    xhr.onerror = () => {
      setProgress(null);
      setResult({ file: file.name, error: 'De server is niet bereikbaar; er is niets opgeslagen.' });
    };
    xhr.onload = async () => {
      setProgress(null);
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not json */
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        setResult({ file: file.name, ok: body as IjwImportResult });
        await queryClient.invalidateQueries({ queryKey: ['ijw-messages', regionId] });
        await queryClient.invalidateQueries({ queryKey: ['ijw-ledger', regionId] });
      } else {
        setResult({ file: file.name, error: body?.detail ?? body?.title ?? `Fout ${xhr.status}`, errors: body?.errors ?? [] });
      }
    };
    xhr.send(file);
  };
  const ok = result?.ok;
  return (
    <section className="rk-section rk-card" aria-labelledby="kop-inlezen">
      <h2 id="kop-inlezen" className="utrecht-heading-2">
        Bericht inlezen
      </h2>
      <p className="utrecht-paragraph">
        Een iJW 3.2-bericht als XML, bijvoorbeeld de declaraties van een maand (JW323). Elke regel wordt getoetst aan de regels van de standaard, de toewijzing
        en het contracttarief; goedgekeurde regels worden geboekt, afgekeurde komen terug in het retourbericht (JW325). Een bestand dat niet te lezen is of niet
        aan het XML-schema voldoet, wordt in zijn geheel geweigerd: er wordt dan niets opgeslagen.
      </p>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor="bericht-bestand">
          XML-bestand
        </label>
        <input
          id="bericht-bestand"
          type="file"
          accept=".xml,application/xml,text/xml"
          disabled={progress !== null}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) upload(f);
            e.target.value = '';
          }}
        />
      </div>
      {progress !== null && (
        <p className="utrecht-paragraph" role="status">
          {progress < 1 ? 'Versturen' : 'Toetsen en boeken'} … <progress max={1} value={progress < 1 ? progress : undefined} aria-label="Voortgang" />{' '}
          {progress < 1 ? `${Math.round(progress * 100)}%` : ''}
        </p>
      )}
      {ok && (
        <div
          className={`utrecht-alert ${ok.outcome === 'afgewezen' ? 'utrecht-alert--error' : ok.outcome === 'deels' ? 'utrecht-alert--warning' : 'utrecht-alert--ok'}`}
          role={ok.outcome === 'afgewezen' ? 'alert' : 'status'}
          data-testid="inlees-resultaat"
          data-outcome={ok.outcome}
        >
          <p className="utrecht-paragraph">
            {result!.file}: {ok.duplicate ? 'dit bericht was al ingelezen; hieronder het resultaat van toen. ' : ''}
            <strong>{ok.outcomeText}.</strong>{' '}
            {ok.type === 'JW323' && (
              <>
                {ok.type} met {formatCount(ok.lines)} regels: {formatCount(ok.acceptedLines)} goedgekeurd ({formatEuroCents(ok.acceptedAmountCents)}),{' '}
                {formatCount(ok.rejectedLines)} afgekeurd.{' '}
              </>
            )}
            <a
              href={`?bericht=${ok.messageId}`}
              className="utrecht-link"
              onClick={(e) => {
                e.preventDefault();
                onOpen(ok.messageId);
              }}
            >
              Bekijk het bericht
            </a>
            {ok.answerMessageId && (
              <>
                {' '}
                ·{' '}
                <a
                  href={`?bericht=${ok.answerMessageId}`}
                  className="utrecht-link"
                  onClick={(e) => {
                    e.preventDefault();
                    onOpen(ok.answerMessageId!);
                  }}
                >
                  het retourbericht
                </a>
              </>
            )}
          </p>
          {ok.findings.length > 0 && (
            <ul>
              {ok.findings.map((f, i) => (
                <li key={i}>
                  {f.code} ({f.retourcode}): {f.text}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {result?.error && (
        <div className="utrecht-alert utrecht-alert--error" role="alert" data-testid="inlees-fout">
          <p className="utrecht-paragraph">
            {result.file}: {result.error}
          </p>
          {result.errors && result.errors.length > 0 && (
            <ul>
              {result.errors.slice(0, 50).map((e, i) => (
                <li key={i}>
                  {e.line ? `Regel ${e.line}` : ''}
                  {e.line && (e.field ?? e.location) ? ', ' : ''}
                  {e.field ?? e.location ?? ''}
                  {e.code ? ` [${e.code}]` : ''}: {e.detail ?? e.message}
                </li>
              ))}
            </ul>
          )}
          {result.errors && result.errors.length > 50 && <p className="utrecht-paragraph">En nog {result.errors.length - 50} meldingen.</p>}
        </div>
      )}
    </section>
  );
}

/** Writes JW301 messages (one per provider) for the municipality's allocations that have not been sent yet. */
function ExportAllocations({ regionId }: { regionId: string }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async () => {
    setBusy(true);
    setResult(null);
    try {
      const r = await api<IjwExportResult>(`/api/regions/${regionId}/ijw/exports`, { method: 'POST', json: { type: 'JW301' } });
      const allocations = r.messages.reduce((s, m) => s + m.allocations, 0);
      const heldBack = r.heldBack
        ? ` ${formatCount(r.heldBack)} toewijzingen zijn niet verstuurd: het BRP-adres van de jeugdige is niet bekend, en een JW301 moet het bevatten.`
        : '';
      setResult({
        ok: r.heldBack === 0,
        text:
          (r.messages.length
            ? `${formatCount(r.messages.length)} toewijzingsberichten (JW301) geschreven met ${formatCount(allocations)} toewijzingen.`
            : 'Er zijn geen toewijzingen die nog verstuurd kunnen worden.') + heldBack,
      });
      await queryClient.invalidateQueries({ queryKey: ['ijw-messages', regionId] });
    } catch (e) {
      setResult({ ok: false, text: e instanceof ApiError ? e.message : 'Versturen mislukt' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="rk-section rk-card" aria-labelledby="kop-versturen">
      <h2 id="kop-versturen" className="utrecht-heading-2">
        Toewijzingen versturen
      </h2>
      <p className="utrecht-paragraph">
        Schrijft per aanbieder één JW301-bericht met de toewijzingen van uw gemeente die nog niet verstuurd zijn. Elk bericht voldoet aan het XML-schema en de
        regels van iJW 3.2, met het BRP-adres van de jeugdige.
      </p>
      <div>
        <button type="button" className="utrecht-button utrecht-button--primary-action" disabled={busy} onClick={() => void run()}>
          Toewijzingen versturen (JW301)
        </button>
      </div>
      {busy && (
        <p className="utrecht-paragraph" role="status">
          Bezig met schrijven …
        </p>
      )}
      {result && (
        <div className={`utrecht-alert ${result.ok ? 'utrecht-alert--ok' : 'utrecht-alert--error'}`} role={result.ok ? 'status' : 'alert'}>
          <p className="utrecht-paragraph">{result.text}</p>
        </div>
      )}
    </section>
  );
}

const LEDGER_PAGE = 100;

function LedgerView({ regionId }: { regionId: string }) {
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const [yearParam] = useSearchParam('jaar');
  const [monthParam] = useSearchParam('maand');
  const [pageParam, setPage] = useSearchParam('pagina');
  const [sortParam] = useSearchParam('sorteer');
  const { path, navigate } = useRouter();
  /** Several search parameters at once; an empty value removes it (a new filter or order starts at page 1). */
  const setParams = (changes: Record<string, string>) => {
    const [pathname, search = ''] = path.split('?');
    const params = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    navigate(`${pathname}?${params}`, { replace: true });
  };
  const years = region.data?.years ?? [];
  const year = Number(yearParam) || defaultYear(region.data);
  const month = monthParam ?? '';
  const query = `year=${year}${month ? `&month=${month}` : ''}`;
  // sorted and paged on the server: a year holds tens of thousands of rows (sorteer=kolom of kolom-af)
  const sort = sortParam ? { key: sortParam.replace(/-af$/, ''), desc: sortParam.endsWith('-af') } : null;
  const pageNo = Math.max(1, Number(pageParam) || 1);
  const pageQuery = `${query}&limit=${LEDGER_PAGE}&offset=${(pageNo - 1) * LEDGER_PAGE}${sort ? `&sort=${sort.key}&desc=${sort.desc}` : ''}`;
  const ledger = useQuery({
    queryKey: ['ijw-ledger', regionId, pageQuery],
    queryFn: () => api<IjwLedger>(`/api/regions/${regionId}/ijw/ledger?${pageQuery}`),
    enabled: region.isSuccess,
    placeholderData: (previous) => previous,
  });
  type Row = IjwLedger['rows'][number];
  const rows = ledger.data?.rows ?? [];
  const totalRows = ledger.data?.totalRows ?? 0;
  const pages = Math.max(1, Math.ceil(totalRows / LEDGER_PAGE));
  const columns: Column<Row>[] = [
    { key: 'month', header: 'Maand', value: (r) => r.month, total: 'Totaal' },
    { key: 'municipality', header: 'Gemeente', value: (r) => r.municipalityName },
    { key: 'provider', header: 'Aanbieder', value: (r) => r.providerName },
    {
      key: 'product',
      header: 'Product',
      value: (r) => r.productName,
      render: (r) => (
        <>
          {r.productName} <span className="rk-muted">({r.productCode})</span>
        </>
      ),
    },
    {
      key: 'lines',
      header: 'Regels',
      value: (r) => r.lines,
      numeric: true,
      render: (r) => formatCount(r.lines),
      total: ledger.data ? formatCount(ledger.data.totalLines) : '',
    },
    { key: 'volume', header: 'Volume', value: (r) => r.volume, numeric: true, render: (r) => formatCount(r.volume) },
    {
      key: 'amount',
      header: 'Bedrag',
      value: (r) => r.amountCents,
      numeric: true,
      render: (r) => formatEuroCents(r.amountCents),
      total: ledger.data ? formatEuroCents(ledger.data.totalCents) : '',
    },
  ];
  const first = totalRows ? (pageNo - 1) * LEDGER_PAGE + 1 : 0,
    last = Math.min(totalRows, pageNo * LEDGER_PAGE);
  const pager = ledger.data && pages > 1 && (
    <nav className="rk-pager" aria-label="Pagina's van het grootboek">
      <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={pageNo <= 1} onClick={() => setPage(String(pageNo - 1))}>
        Vorige
      </button>
      <span>
        Pagina {formatCount(pageNo)} van {formatCount(pages)}
      </span>
      <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={pageNo >= pages} onClick={() => setPage(String(pageNo + 1))}>
        Volgende
      </button>
    </nav>
  );
  return (
    <section className="rk-section" aria-labelledby="kop-grootboek">
      <div className="rk-section-head">
        <div>
          <h2 id="kop-grootboek" className="utrecht-heading-2">
            Grootboek P*Q
          </h2>
          <p className="utrecht-paragraph rk-muted">
            Goedgekeurde declaratieregels per gemeente, aanbieder, product en maand, met het tarief waartegen ze getoetst zijn. Creditregels tellen negatief.
            Het totaal is altijd de som van de goedgekeurde regels.
          </p>
        </div>
        <div className="rk-downloads">
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="grootboek-jaar">
              Jaar
            </label>
            <select
              id="grootboek-jaar"
              className="utrecht-select utrecht-select--html-select"
              value={year}
              onChange={(e) => setParams({ pagina: '', jaar: e.target.value })}
            >
              {(years.length ? years : [year]).map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="grootboek-maand">
              Maand
            </label>
            <select
              id="grootboek-maand"
              className="utrecht-select utrecht-select--html-select"
              value={month}
              onChange={(e) => setParams({ pagina: '', maand: e.target.value })}
            >
              <option value="">Heel het jaar</option>
              {Array.from({ length: 12 }, (_, i) => (
                <option key={i + 1} value={String(i + 1)}>
                  {new Date(2000, i, 1).toLocaleDateString('nl-NL', { month: 'long' })}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      {ledger.isPending && (
        <p className="utrecht-paragraph" role="status">
          Grootboek laden …
        </p>
      )}
      {ledger.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {ledger.error.message}
        </div>
      )}
      {ledger.data && (
        <>
          <p className="utrecht-paragraph">
            <Downloads path={`/api/regions/${regionId}/ijw/ledger`} query={query} what="grootboek" />
          </p>
          <DataTable
            rows={rows}
            columns={columns}
            rowKey={(r) => `${r.month}|${r.municipalityCode}|${r.providerId}|${r.productCode}`}
            testId="grootboek"
            serverSort={{ sort, onSort: (s) => setParams({ pagina: '', sorteer: `${s.key}${s.desc ? '-af' : ''}` }) }}
            caption={`${formatCount(totalRows)} boekingsregels in ${year}${month ? `, maand ${month}` : ''}${totalRows > rows.length ? `; regel ${formatCount(first)} tot en met ${formatCount(last)} getoond (sorteer op een kolom of download het geheel)` : ''}`}
          />
          {pager}
        </>
      )}
    </section>
  );
}

/** Rejected declaration lines of every received JW323 in scope, per rule of the standard and per provider. */
function RejectionSummary({ regionId }: { regionId: string }) {
  const data = useQuery({ queryKey: ['ijw-rejections', regionId], queryFn: () => api<IjwRejections>(`/api/regions/${regionId}/ijw/rejections`) });
  if (!data.data || data.data.byProvider.length === 0) return null;
  const providers = data.data.byProvider;
  const columns: Column<IjwProviderSummary>[] = [
    { key: 'provider', header: 'Aanbieder', value: (p) => p.providerName, total: 'Totaal' },
    { key: 'messages', header: 'Declaraties', value: (p) => p.messages, numeric: true, render: (p) => formatCount(p.messages) },
    {
      key: 'lines',
      header: 'Regels',
      value: (p) => p.lines,
      numeric: true,
      render: (p) => formatCount(p.lines),
      total: formatCount(providers.reduce((s, p) => s + p.lines, 0)),
    },
    { key: 'accepted', header: 'Goedgekeurd', value: (p) => p.acceptedLines, numeric: true, render: (p) => formatCount(p.acceptedLines) },
    {
      key: 'rejected',
      header: 'Afgekeurd',
      value: (p) => p.rejectedLines,
      numeric: true,
      render: (p) => formatCount(p.rejectedLines),
      total: formatCount(providers.reduce((s, p) => s + p.rejectedLines, 0)),
    },
    {
      key: 'share',
      header: 'Afgekeurd (%)',
      value: (p) => (p.lines ? p.rejectedLines / p.lines : 0),
      numeric: true,
      render: (p) => (p.lines ? `${new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 }).format((100 * p.rejectedLines) / p.lines)}%` : '—'),
    },
    { key: 'amount', header: 'Afgekeurd bedrag', value: (p) => p.rejectedAmountCents, numeric: true, render: (p) => formatEuroCents(p.rejectedAmountCents) },
  ];
  return (
    <section className="rk-section" aria-labelledby="kop-afkeur">
      <h2 id="kop-afkeur" className="utrecht-heading-2">
        Afgekeurde declaratieregels
      </h2>
      <p className="utrecht-paragraph rk-muted">Alle ontvangen declaraties (JW323) binnen uw bereik: waarom regels zijn afgekeurd en bij welke aanbieder.</p>
      {data.data.byRule.length > 0 && (
        <RuleSummaryTable rules={data.data.byRule} testId="afkeur-per-regel" caption="Afgekeurde regels per regel van de standaard" />
      )}
      <DataTable
        rows={providers}
        columns={columns}
        rowKey={(p) => String(p.providerId)}
        testId="afkeur-per-aanbieder"
        caption="Declaraties per aanbieder: goedgekeurde en afgekeurde regels"
      />
    </section>
  );
}
