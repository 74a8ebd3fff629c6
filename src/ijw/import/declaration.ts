// JW323, the declaration: read once, its lines copied into ijw_declaration_line while the rules judge them, the
// rejected lines marked, the contract's execution variant judged, the accepted lines booked (funding's door), the
// listeners told what was booked (booked.ts: monitoring's facts), the totals written and the JW325 answer stored.
import { bsnLookupHash } from '../../core/bsn.ts';
import { lineRanges, rowsPerStatement, yieldToEventLoop } from '../../core/work.ts';
import { copyValue, type Db } from '../../db/index.ts';
import { sql, typed, unscoped } from '../../db/query.ts';
import { bookAcceptedLines, lineVariantJudge } from '../../funding/index.ts';
import { DbHistory } from '../history-db.ts';
import { readMessage, type ReadEvent } from '../reader.ts';
import { checkMessage } from '../rules/engine.ts';
import type { Finding } from '../rules/types.ts';
import type { JW323Bericht, JW323Client } from '../schema.ts';
import type { XsdFinding } from '../xsd.ts';
import { writeAnswer } from './answer.ts';
import { announceBooked } from './booked.ts';
import { type Ctx, type Hashed, type ImportSource, TIMING, date, int, lap, otherMunicipality, str, stored, xsdRefusal } from './common.ts';
import { insertMessage } from './message-row.ts';

/** At most this many lines wait for their COPY (a batch of the history's clients holds about twice as many lines). */
const MAX_BUFFERED_ROWS = 50_000;

/** Where a finding belongs: one line, every line of one client, or the message as a whole. */
const LINE_AT = /\/Client\[(\d+)\](?:\/Prestaties\/Prestatie\[(\d+)\])?/;

export async function importDeclaration(tx: Db, source: ImportSource, hashed: Hashed, ctx: Ctx): Promise<number> {
  // The foreign keys of every row this transaction writes are checked, on both engines alike. (It used to skip them
  // with session_replication_role = replica when the user was a superuser, always on PGlite and seldom on a server:
  // behaviour that depended on the engine. The checks cost about a third of booking a 100,000-line file on PGlite;
  // BENCHMARKS.md has the figures.)
  // the keyed BSN hash of a client is needed for its stored lines and by the history rules: computed once (bounded:
  // the history asks within a batch of clients)
  const hashes = new Map<string, string>();
  const hashBsn = (bsn: string) => {
    let h = hashes.get(bsn);
    if (h === undefined) {
      if (hashes.size >= 20_000) hashes.clear();
      h = bsnLookupHash(ctx.keys, bsn);
      hashes.set(bsn, h);
    }
    return h;
  };
  // a large file asks the history about most of the provider's allocations anyway: read them once
  const dbHistory = new DbHistory(tx, ctx.keys, { preload: !!ctx.large, hashBsn });
  let messageId = 0;
  let head: JW323Bericht | undefined;
  let lineNo = 0;
  const clientStart: number[] = []; // first line number of each client (1-based lines)
  let rows: string[] = [];
  let copyMs = 0;
  // On a PostgreSQL server a batch's COPY runs while the next batch is read and judged: the server writes in its own
  // process, and the statements of the transaction's connection run in the order they were started (db.ts), so a
  // history look-up still sees every line copied before it. The COPY's outcome is awaited before the next one and at
  // the end (an error there rolls the transaction back as before). On PGlite the database runs on this thread: awaited.
  const overlap = tx.kind === 'postgres';
  let copying: Promise<unknown> = Promise.resolve();
  const flush = async (last = false) => {
    const t = performance.now();
    await copying;
    if (rows.length) {
      const r = rows;
      rows = [];
      copying = tx.copyRows('ijw_declaration_line', LINE_COLUMNS, r);
      if (!overlap || last) await copying;
      else copying.catch(() => undefined); // awaited (and thrown) at the next flush
    }
    copyMs += performance.now() - t;
  };
  const messageFindings: Finding[] = [];
  const lineFindings = new Map<number, Finding[]>();
  const clientFindings = new Map<number, Finding[]>();
  let providerId: number | null = null;

  // the reader's events, with every client's lines copied into the store on the way to the rules
  async function* tap(events: AsyncIterable<ReadEvent>): AsyncGenerator<ReadEvent> {
    for await (const e of events) {
      if (e.kind === 'head') {
        head = e.message as JW323Bericht;
        const h = head.Header;
        if (ctx.municipalityCode && h.Ontvanger !== ctx.municipalityCode) throw otherMunicipality(h.Ontvanger, ctx.municipalityCode);
        messageId = await insertMessage(tx, {
          type: 'JW323',
          direction: 'in',
          identification: h.BerichtIdentificatie?.Identificatie ?? '',
          dagtekening: date(h.BerichtIdentificatie?.Dagtekening),
          sender: h.Afzender,
          receiver: h.Ontvanger,
          municipalityCode: h.Ontvanger,
          providerAgb: h.Afzender,
          declarationNumber: head.Declaratie?.DeclaratieNummer,
          periodStart: date(head.Declaratie?.DeclaratiePeriode?.Begindatum),
          hash: hashed.hash,
          status: 'verwerkt',
          gz: hashed.gz,
          size: hashed.size,
          xsdVersion: h.XsdVersie,
        });
        providerId = (await tx.query(`SELECT provider_id FROM ijw_message WHERE id = $1`, [messageId]))[0].provider_id;
        dbHistory.exclude(messageId);
      } else if (e.kind === 'client') {
        const c = e.client as JW323Client;
        clientStart.push(lineNo + 1);
        // the start of every row is the same for a client's lines; values built as text directly (no array per line)
        const start = `${messageId}\t`;
        const mid = `\t${e.index + 1}\t${hashBsn(c.Bsn ?? '')}\t${providerId ?? '\\N'}\t`;
        const dn = cv(head?.Declaratie?.DeclaratieNummer ?? '');
        for (const p of c.Prestaties?.Prestatie ?? []) {
          lineNo++;
          const ref = p.ProductReferentie,
            per = p.ProductPeriode,
            bedrag = p.IngediendBedrag;
          rows.push(
            `${start}${lineNo}${mid}${cv(str(ref?.ReferentieNummer) ?? '')}\t${cv(str(ref?.VorigReferentieNummer))}\t${dn}\t${cv(int(p.ToewijzingNummer))}\t${cv(str(p.ProductCategorie))}\t${cv(str(p.ProductCode))}\t` +
              `${cv(date(per?.Begindatum))}\t${cv(date(per?.Einddatum))}\t${cv(int(p.GeleverdVolume))}\t${cv(str(p.Eenheid))}\t${cv(int(p.ProductTarief))}\t${cv(int(bedrag?.Bedrag))}\t${cv(str(bedrag?.DebetCredit))}`,
          );
        }
        if (rows.length >= MAX_BUFFERED_ROWS) await flush();
      }
      yield e;
    }
  }

  // The lines of a batch of clients are copied right after the history look-up of that batch, not before it: the
  // look-ups leave this message's own lines out (message_id <> this one), but found them first through the provider's
  // reference and debit indexes and read each one to see whose it was (about 100,000 rows read for nothing in a
  // 100,000-line file). The same answers, without that.
  let lookupMs = 0;
  const history = {
    lookup: async (r: Parameters<DbHistory['lookup']>[0]) => {
      const t = performance.now();
      const x = await dbHistory.lookup(r);
      lookupMs += performance.now() - t;
      await flush();
      return x;
    },
  };
  const sink = ctx.xsd;
  const onXsd = sink
    ? (f: XsdFinding) => {
        sink.count++;
        if (sink.findings.length < 1000) sink.findings.push(f);
      }
    : undefined;
  await checkMessage(tap(readMessage(source, { maxBytes: ctx.maxBytes, onBytes: ctx.onBytes, xsd: onXsd })), {
    history,
    today: ctx.today,
    maxFindings: 0,
    // clients per history look-up: building the request and answering it from the preload are synchronous, 95–160 ms
    // for 10,000 clients at load 8 (the 256 MB file, bench/upload-health.mjs); 2,000 keep each under 40 ms
    historyBatch: 2_000,
    onFinding(f) {
      const m = f.retourcode === '0001' ? null : LINE_AT.exec(f.location);
      if (!m) messageFindings.push(f);
      else if (m[2] === undefined) {
        const k = Number(m[1]);
        clientFindings.set(k, [...(clientFindings.get(k) ?? []), f]);
      } else {
        const n = clientStart[Number(m[1]) - 1] + Number(m[2]) - 1;
        const list = lineFindings.get(n);
        if (list) list.push(f);
        else lineFindings.set(n, [f]);
      }
    },
  });
  if (sink?.count) throw xsdRefusal({ type: 'JW323', valid: false, findings: sink.findings.sort((a, b) => a.line - b.line) }); // rolls back
  await flush(true);
  if (TIMING) process.stderr.write(`[import]   of which COPY ${(copyMs / 1000).toFixed(2)} s, history look-ups ${(lookupMs / 1000).toFixed(2)} s\n`);
  lap('rules+copy');
  const totalLines = lineNo;
  const clientCount = clientStart.length;
  // lines of a client with a client-level finding are rejected with it
  for (const [k, fs] of clientFindings) {
    const from = clientStart[k - 1],
      to = k < clientCount ? clientStart[k] - 1 : totalLines;
    for (let n = from; n <= to; n++) lineFindings.set(n, [...fs, ...(lineFindings.get(n) ?? [])]);
  }
  const wholeRejected = messageFindings.length > 0;
  if (!wholeRejected) await judgeVariants(tx, messageId, providerId, head!.Header.Ontvanger, clientStart, lineFindings, totalLines);
  // every statement below covers at most rowsPerStatement lines, with a yield between: on PGlite (250 lines) one
  // statement holds the event loop (and so every other request, the health check included) until it ends; on a
  // PostgreSQL server (25,000) it does not, and fewer statements save their round trips
  const found = [...lineFindings].sort((a, b) => a[0] - b[0]);
  const perStatement = rowsPerStatement(tx);
  for (let i = 0; i < found.length; i += perStatement) {
    const part = found.slice(i, i + perStatement);
    const json = JSON.stringify(part.map(([n, fs]) => ({ n, f: fs.map(stored) })));
    // the range keeps the statement to these lines (without it, every statement read all lines of the message)
    await tx.query(
      `UPDATE ijw_declaration_line l SET status = 'afgewezen', findings = x.f FROM jsonb_to_recordset($2::jsonb) AS x(n int, f jsonb)
                    WHERE l.message_id = $1 AND l.line_no BETWEEN $3 AND $4 AND l.line_no = x.n`,
      [messageId, json, part[0][0], part[part.length - 1][0]],
    );
    await yieldToEventLoop();
  }
  lap('mark rejected');
  if (wholeRejected) {
    for (const [from, to] of lineRanges(totalLines, rowsPerStatement(tx))) {
      await typed(tx)
        .updateTable('ijw_declaration_line')
        .set({ status: 'afgewezen' })
        .where(unscoped('the iJW import rejects the lines of the message it is storing'))
        .where('message_id', '=', messageId)
        .where('line_no', '>=', from)
        .where('line_no', '<=', to)
        .execute();
      await yieldToEventLoop();
    }
  } else {
    const { booked, groups } = await bookAcceptedLines(tx, messageId, head!.Header.Ontvanger, totalLines);
    const accepted = totalLines - lineFindings.size;
    if (booked !== accepted) throw new Error(`Boeking: ${booked} regels geboekt, ${accepted} geaccepteerd`);
    lap('book');
    // whoever keeps figures of the booked lines (monitoring's facts) brings them up to date, in this transaction
    await announceBooked(tx, { messageId, lines: totalLines, groups });
    lap('booked lines announced (monitoring facts)');
  }
  // the message's totals, summed over ranges of lines
  const s = { lines: 0, acc: 0, amount: 0, accAmount: 0 };
  for (const [from, to] of lineRanges(totalLines, rowsPerStatement(tx))) {
    const [r] = await tx.query(
      `SELECT count(*)::int AS lines, count(*) FILTER (WHERE status = 'geaccepteerd')::int AS acc,
              COALESCE(sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END), 0)::int8 AS amount,
              COALESCE(sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END) FILTER (WHERE status = 'geaccepteerd'), 0)::int8 AS acc_amount
       FROM ijw_declaration_line WHERE message_id = $1 AND line_no BETWEEN $2 AND $3`,
      [messageId, from, to],
    );
    s.lines += r.lines;
    s.acc += r.acc;
    s.amount += Number(r.amount);
    s.accAmount += Number(r.acc_amount);
    await yieldToEventLoop();
  }
  await tx.query(
    `UPDATE ijw_message SET status = $2, findings = $3::jsonb, lines = $4::int, accepted_lines = $5::int, rejected_lines = $4::int - $5::int, amount_cents = $6::int8, accepted_amount_cents = $7::int8 WHERE id = $1`,
    [messageId, wholeRejected ? 'afgewezen' : 'verwerkt', JSON.stringify(messageFindings.map(stored)), s.lines, s.acc, s.amount, s.accAmount],
  );
  await writeAnswer(tx, source, messageId, head!, lineFindings, messageFindings, ctx);
  lap('totals+answer');
  return messageId;
}

/**
 * The contract's execution variant (funding's door): a line on a product whose contract in force on the line's period
 * is taakgericht is not booked (no declaration per client); on an outputgericht contract only the output units 82/83;
 * on a fixed-price contract a trajectory is never paid more than its price and is billed at the agreed moments. The
 * stored lines are read in file order, and only when the provider has such a contract at all. The findings join the
 * rules' findings, so the line is rejected and comes back in the JW325.
 */
async function judgeVariants(
  tx: Db,
  messageId: number,
  providerId: number | null,
  municipalityCode: string,
  clientStart: number[],
  lineFindings: Map<number, Finding[]>,
  totalLines: number,
) {
  const judge = providerId !== null ? await lineVariantJudge(tx, [providerId]) : null;
  if (!judge) return;
  lap('variant check: the contracts');
  type Joined = [number, number, number, number, string, string, string, number, string];
  for (const [from, to] of lineRanges(totalLines, rowsPerStatement(tx))) {
    // in file order, a range of lines per statement, as one JSON text (PGlite decodes every field of every row on
    // its own: 100,000 rows of nine fields cost it seconds; a JSON text is parsed natively)
    const [{ j: json }] = await typed(tx)
      .selectFrom('ijw_declaration_line as l')
      .innerJoin('allocation as a', (j) =>
        j.on(sql<boolean>`a.municipality_code = ${municipalityCode}::bpchar AND ltrim(a.assignment_number, '0') = l.assignment_number::text`),
      )
      .select(
        sql<string>`COALESCE(json_agg(json_build_array(l.line_no, a.id, a.provider_id, a.product_id, l.period_start::text,
          COALESCE(l.period_end, l.period_start)::text, COALESCE(trim(l.unit), ''), COALESCE(l.amount_cents, 0), COALESCE(l.debit_credit, 'D'))
          ORDER BY l.line_no), '[]')::text`.as('j'),
      )
      .where(unscoped('the iJW import judges the lines of the message it is storing'))
      .where('l.message_id', '=', messageId)
      .where('l.line_no', '>=', from)
      .where('l.line_no', '<=', to)
      .where('l.period_start', 'is not', null)
      .execute();
    await yieldToEventLoop();
    for (const [n, allocationId, providerId, productId, day, periodEnd, unit, amount, dc] of JSON.parse(json) as Joined[]) {
      const j = judge({
        providerId,
        productId,
        allocationId: Number(allocationId),
        day,
        periodEnd,
        unit,
        amountCents: Number(amount),
        debitCredit: dc === 'C' ? 'C' : 'D',
        rejected: lineFindings.has(n),
      });
      if (!j) continue;
      // the client of line n: the last client whose first line is at or before it
      let lo = 0,
        hi = clientStart.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (clientStart[mid] <= n) lo = mid;
        else hi = mid - 1;
      }
      const f: Finding = {
        ...j,
        location: `/Bericht/Declaratie/Clienten/Client[${lo + 1}]/Prestaties/Prestatie[${n - clientStart[lo] + 1}]`,
        layer: 'historie',
      };
      const list = lineFindings.get(n);
      if (list) list.push(f);
      else lineFindings.set(n, [f]);
    }
  }
}

/** One value of a COPY text line; the common case (a number, or text without \\ tab or line break) without replacing. */
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const cv = (v: string | number | null): string => (v === null ? '\\N' : typeof v === 'number' ? String(v) : NEEDS_ESCAPE.test(v) ? copyValue(v) : v);

/** The columns of ijw_declaration_line the import copies, in this order. */
export const LINE_COLUMNS = [
  'message_id',
  'line_no',
  'client_no',
  'bsn_hash',
  'provider_id',
  'reference_number',
  'previous_reference_number',
  'declaration_number',
  'assignment_number',
  'product_category',
  'product_code',
  'period_start',
  'period_end',
  'volume',
  'unit',
  'tariff_cents',
  'amount_cents',
  'debit_credit',
];
