// JW323, the declaration: read once, its lines copied into ijw_declaration_line while the rules judge them, the
// rejected lines marked, the contract's execution variant judged, the accepted lines booked (funding's door), the
// listeners told what was booked (booked.ts: monitoring's facts), the totals written and the JW325 answer stored.
// What the steps after the pass need of every line (allocation number, period, volume, unit, tariff, amount) is kept
// in typed arrays during the pass (LineStore, about 60 bytes a line): the variant check, the booking (a COPY), the
// facts and the totals work from it, and nothing the pass wrote is read back.
import { bsnLookupHash } from '../../core/bsn.ts';
import { lineRanges, pauses, rowsPerStatement, yieldToEventLoop } from '../../core/work.ts';
import { copyValue, type Db } from '../../db/index.ts';
import { sql, typed, unscoped } from '../../db/query.ts';
import { bookLines, lineVariantJudge, type LineToBook } from '../../funding/index.ts';
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
  // behaviour that depended on the engine. Since migration 036 a booked ledger row costs one check, against its
  // allocation as a whole, where five look-ups were most of the booking's cost; BENCHMARKS.md has the figures.)
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
  // process, and the statements of the transaction's connection run in the order they were started (db.ts). The
  // COPYs are chained, each after the one before (two flushes may overlap now that the history's look-ups run beside
  // the rules: prefetchHistory below); a failed one is thrown at the next flush or at the end (and rolls the
  // transaction back as before). On PGlite each is still awaited, as when PGlite ran on this thread; now that it runs on
  // a thread of its own (db.ts), overlapping there too may pay (not measured). The history look-ups
  // leave this message's lines out whether or not they are stored yet (message_id <> this one).
  const overlap = tx.kind === 'postgres';
  let copying: Promise<unknown> = Promise.resolve();
  let copyFailed: { error: unknown } | undefined;
  let copiedLines = 0; // lines handed to a COPY so far: `rows` holds lines copiedLines + 1 … lineNo
  /** Copies the buffered lines up to line `upTo` (default: all of them). */
  const flush = async (last = false, upTo = lineNo) => {
    const t = performance.now();
    if (copyFailed) throw copyFailed.error;
    const n = Math.min(rows.length, upTo - copiedLines);
    if (n > 0) {
      const r = n === rows.length ? rows : rows.slice(0, n);
      rows = n === rows.length ? [] : rows.slice(n);
      copiedLines += n;
      copying = copying.then(() => tx.copyRows('ijw_declaration_line', LINE_COLUMNS, r));
      copying.catch((error) => (copyFailed ??= { error }));
    }
    if (!overlap || last) await copying;
    copyMs += performance.now() - t;
  };
  const kept = new LineStore();
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
          kept.add(
            int(p.ToewijzingNummer),
            date(per?.Begindatum),
            date(per?.Einddatum),
            int(p.GeleverdVolume),
            str(p.Eenheid),
            int(p.ProductTarief),
            int(bedrag?.Bedrag),
            str(bedrag?.DebetCredit),
          );
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
      // the lines read when the look-up is asked for: its batch's and those before it. Only these are copied after it:
      // with the look-ups prefetched, the next batch's lines are already read, and copied before its own look-up they
      // would be found (and passed over) by it.
      const upTo = lineNo;
      const t = performance.now();
      const x = await dbHistory.lookup(r);
      lookupMs += performance.now() - t;
      await flush(false, upTo);
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
    // the next batch's look-up runs while this one is judged (on a server, in the server's process beside this thread)
    prefetchHistory: true,
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
  const municipalityCode = head!.Header.Ontvanger;
  // what each line is booked on: the allocation with its number in this municipality
  const allocations = wholeRejected ? new Map() : await allocationsOf(tx, municipalityCode, kept, dbHistory);
  lap('allocations of the lines');
  if (!wholeRejected) await judgeVariants(tx, providerId, kept, allocations, clientStart, lineFindings);
  lap('variant check');
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
    // the accepted lines, each with the allocation it was judged against, in file order (walked once per use)
    const accepted = function* (): Generator<LineToBook> {
      for (let i = 0; i < totalLines; i++) {
        if (lineFindings.has(i + 1)) continue;
        const a = allocations.get(kept.number(i));
        if (!a) continue; // not booked: counted below
        yield kept.toBook(i, messageId, municipalityCode, a);
      }
    };
    const { booked, groups } = await bookLines(tx, accepted);
    const acceptedCount = totalLines - lineFindings.size;
    if (booked !== acceptedCount) throw new Error(`Boeking: ${booked} regels geboekt, ${acceptedCount} geaccepteerd`);
    lap('book');
    // whoever keeps figures of the booked lines (monitoring's facts) brings them up to date, in this transaction
    await announceBooked(tx, { messageId, lines: totalLines, groups, rows: accepted });
    lap('booked lines announced (monitoring facts)');
  }
  // the message's totals, from the lines as kept (the same values as stored): credits negative
  const s = { lines: totalLines, acc: 0, amount: 0, accAmount: 0 };
  for (let i = 0; i < totalLines; i++) {
    const net = kept.net(i);
    s.amount += net;
    if (!wholeRejected && !lineFindings.has(i + 1)) {
      s.acc++;
      s.accAmount += net;
    }
  }
  await tx.query(
    `UPDATE ijw_message SET status = $2, findings = $3::jsonb, lines = $4::int, accepted_lines = $5::int, rejected_lines = $4::int - $5::int, amount_cents = $6::int8, accepted_amount_cents = $7::int8 WHERE id = $1`,
    [messageId, wholeRejected ? 'afgewezen' : 'verwerkt', JSON.stringify(messageFindings.map(stored)), s.lines, s.acc, s.amount, s.accAmount],
  );
  await writeAnswer(tx, source, messageId, head!, lineFindings, messageFindings, ctx);
  lap('totals+answer');
  return messageId;
}

/** What a line is booked on: [allocation id, provider id, youth id, product id]. */
type Booking = [number, number, number, number];

/**
 * The allocations the lines name, by number without leading zeros (as the index on allocation has it) in the
 * municipality the declaration is for: from the history's preload where it read them (a large file: the provider's
 * own), the rest from the database, rowsPerStatement numbers per statement.
 */
async function allocationsOf(tx: Db, municipalityCode: string, kept: LineStore, history: DbHistory): Promise<Map<string, Booking>> {
  const found = new Map<string, Booking>();
  const missing = new Set<string>();
  // the 256 MB file's 310,000 lines took 0.4-0.6 s in this loop, the server answering nothing (issue 14 §2,
  // bench:upload-health): other requests are served every 20 ms of it, asked every 1,024 lines
  const pause = pauses();
  for (let i = 0; i < kept.n; i++) {
    if ((i & 1023) === 1023) await pause();
    const nr = kept.number(i);
    if (nr === '' || found.has(nr) || missing.has(nr)) continue;
    const a = history.preloadedAllocation(nr);
    if (a) found.set(nr, a);
    else missing.add(nr);
  }
  const numbers = [...missing];
  for (let i = 0; i < numbers.length; i += rowsPerStatement(tx)) {
    const rows = await typed(tx)
      .selectFrom('allocation as a')
      .select([sql<string>`ltrim(a.assignment_number, '0')`.as('nr'), 'a.id', 'a.provider_id', 'a.youth_id', 'a.product_id'])
      .where(unscoped('the iJW import books the lines of the message it is storing on their allocations'))
      .where('a.municipality_code', '=', municipalityCode)
      .where(sql<boolean>`ltrim(a.assignment_number, '0') = ANY(${numbers.slice(i, i + rowsPerStatement(tx))}::text[])`)
      .execute();
    for (const r of rows) {
      // two allocations whose numbers differ only in leading zeros: a line on that number cannot be booked on one
      if (found.has(r.nr)) throw new Error(`Boeking: toewijzingnummer ${r.nr} staat meer dan eens bij gemeente ${municipalityCode}`);
      found.set(r.nr, [Number(r.id), r.provider_id, Number(r.youth_id), r.product_id]);
    }
    await yieldToEventLoop();
  }
  return found;
}

/**
 * The contract's execution variant (funding's door): a line on a product whose contract in force on the line's period
 * is taakgericht is not booked (no declaration per client); on an outputgericht contract only the output units 82/83;
 * on a fixed-price contract a trajectory is never paid more than its price and is billed at the agreed moments. The
 * lines are judged in file order from what the pass kept, and only when the provider has such a contract at all. The
 * findings join the rules' findings, so the line is rejected and comes back in the JW325.
 */
async function judgeVariants(
  tx: Db,
  providerId: number | null,
  kept: LineStore,
  allocations: Map<string, Booking>,
  clientStart: number[],
  lineFindings: Map<number, Finding[]>,
) {
  const judge = providerId !== null ? await lineVariantJudge(tx, [providerId]) : null;
  if (!judge) return;
  lap('variant check: the contracts');
  const pause = pauses();
  for (let i = 0; i < kept.n; i++) {
    await pause();
    const n = i + 1;
    const a = allocations.get(kept.number(i));
    const day = kept.periodStart(i);
    if (!a || day === null) continue;
    const [allocationId, allocProvider, , productId] = a;
    const j = judge({
      providerId: allocProvider,
      productId,
      allocationId,
      day,
      periodEnd: kept.periodEnd(i) ?? day,
      unit: kept.unitTrimmed(i),
      amountCents: kept.amountOrZero(i),
      debitCredit: kept.debitCredit(i) === 'C' ? 'C' : 'D',
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

/**
 * What the steps after the pass need of every line, in typed arrays that grow by doubling (about 60 bytes a line,
 * where the stored lines would be read back as rows): allocation number, period, volume, unit, tariff, amount and
 * debit/credit, exactly as the line's stored values (null where the file had none).
 */
class LineStore {
  n = 0;
  private nr = new Float64Array(1024);
  private start = new Int32Array(1024);
  private end = new Int32Array(1024);
  private volume = new Float64Array(1024);
  private tariff = new Float64Array(1024);
  private amount = new Float64Array(1024);
  private unit = new Uint16Array(1024);
  private dc = new Uint16Array(1024);
  /** Texts (units, debit/credit) by index; 0 is null. */
  private texts: (string | null)[] = [null];
  private textIndex = new Map<string, number>();

  private text(v: string | null): number {
    if (v === null) return 0;
    let i = this.textIndex.get(v);
    if (i === undefined) {
      i = this.texts.push(v) - 1;
      if (i > 0xffff) throw new Error('te veel verschillende eenheden');
      this.textIndex.set(v, i);
    }
    return i;
  }

  add(
    nr: number | null,
    start: string | null,
    end: string | null,
    volume: number | null,
    unit: string | null,
    tariff: number | null,
    amount: number | null,
    dc: string | null,
  ) {
    if (this.n === this.nr.length) {
      const grow = <T extends Float64Array | Int32Array | Uint16Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.nr = grow(this.nr);
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.volume = grow(this.volume);
      this.tariff = grow(this.tariff);
      this.amount = grow(this.amount);
      this.unit = grow(this.unit);
      this.dc = grow(this.dc);
    }
    const i = this.n++;
    this.nr[i] = nr ?? Number.NaN;
    this.start[i] = start === null ? 0 : dayNumber(start);
    this.end[i] = end === null ? 0 : dayNumber(end);
    this.volume[i] = volume ?? Number.NaN;
    this.tariff[i] = tariff ?? Number.NaN;
    this.amount[i] = amount ?? Number.NaN;
    this.unit[i] = this.text(unit);
    this.dc[i] = this.text(dc);
  }

  private static value = (x: number): number | null => (Number.isNaN(x) ? null : x);
  /** The allocation number as the booking matches it (the number as text, no leading zeros); '' without one. */
  number = (i: number) => (Number.isNaN(this.nr[i]) ? '' : String(this.nr[i]));
  periodStart = (i: number) => (this.start[i] ? dayText(this.start[i]) : null);
  periodEnd = (i: number) => (this.end[i] ? dayText(this.end[i]) : null);
  debitCredit = (i: number) => this.texts[this.dc[i]];
  /** The unit without surrounding spaces (as PostgreSQL's trim), '' without one. */
  unitTrimmed = (i: number) => this.texts[this.unit[i]]?.replace(/^ +| +$/g, '') ?? '';
  amountOrZero = (i: number) => LineStore.value(this.amount[i]) ?? 0;
  /** The line's amount as the totals count it: a credit negative, no amount 0. */
  net = (i: number) => (Number.isNaN(this.amount[i]) ? 0 : this.texts[this.dc[i]] === 'C' ? -this.amount[i] : this.amount[i]);

  toBook(i: number, messageId: number, municipalityCode: string, [allocationId, providerId, youthId, productId]: Booking): LineToBook {
    return {
      messageId,
      lineNo: i + 1,
      allocationId,
      municipalityCode,
      providerId,
      youthId,
      productId,
      periodStart: this.periodStart(i) as string,
      periodEnd: this.periodEnd(i),
      volume: LineStore.value(this.volume[i]),
      unit: this.texts[this.unit[i]],
      tariffCents: LineStore.value(this.tariff[i]),
      amountCents: LineStore.value(this.amount[i]),
      debitCredit: this.texts[this.dc[i]],
    };
  }
}

/** 'YYYY-MM-DD' as the number YYYYMMDD and back (dates of the form date() accepts). */
const dayNumber = (d: string) => Number(d.slice(0, 4)) * 10000 + Number(d.slice(5, 7)) * 100 + Number(d.slice(8, 10));
const dayText = (n: number) =>
  `${String(Math.floor(n / 10000)).padStart(4, '0')}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}`;

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
