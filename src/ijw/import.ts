// Importing one received iJW message: a workflow of parse → validate → book, all or nothing.
//
//   1. hash the bytes (SHA-256; the same file twice is stored once: the first result is returned) and compress them
//   2. XSD (the checker generated from the official XSDs, xsd-check.ts): a file that cannot be read or breaks the XSD
//      stores nothing (ImportRefused). A large declaration (JW323) is checked in the same pass as step 3, whose
//      transaction is rolled back when the XSD finds anything; other files are checked before step 3
//   3. in ONE transaction: store the message, run the rules with the history in the database (DbHistory) while the
//      declaration lines stream into ijw_declaration_line by COPY, mark the lines the rules rejected, book the
//      accepted ones into declaration_line (source 'jw323', with the allocation and the tariff they were checked
//      against), bring monitoring's declaration facts of what was booked up to date, and write the JW325 answer as an
//      `out` message. JW301 creates or changes allocations (the caller then refreshes the trajectories monitoring
//      reads: refreshTrajectories), JW315/JW317 store their requests, every other message is stored as received.
//
// A JW323 is read once for the rules and the booking; only when lines were rejected is it read a second time, to
// write those lines back in the JW325 (with their BSN, which Regiekamer does not keep in plain text).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { gzip as gzipCb, createGzip } from 'node:zlib';
import { promisify } from 'node:util';
import { bsnLookupHash, encryptBsn, encryptPersonal, type BsnKeys } from '../core/bsn.ts';
import { copyLine, copyValue, firstPart, writeFileParts, type Db } from '../db/index.ts';
import { ROWS_PER_STATEMENT, lineRanges, yieldToEventLoop } from '../core/work.ts';
import { updateDeclarationFacts } from '../monitoring/index.ts';
import { allocationProfile, bookAcceptedLines, lineVariantJudge } from '../funding/index.ts';
import { clientStopFor } from '../providers/index.ts';
import { typed, unscoped, sql } from '../db/query.ts';
import { IjwReadError } from './errors.ts';
import { DbHistory } from './history-db.ts';
import { storeForHistory } from './import-history.ts';
import { readMessage, sniffMessageType, type ReadEvent } from './reader.ts';
import { RETOURCODES } from './retourcodes.ts';
import { checkMessage } from './rules/engine.ts';
import { todayIso } from './rules/dates.ts';
import type { Finding } from './rules/types.ts';
import type { JW301Bericht, JW315Bericht, JW317Bericht, JW323Bericht, JW323Client, JW325Bericht, JW325Client, MessageType } from './schema.ts';
import { DEFAULT_MAX_BYTES } from './source.ts';
import { writeMessageStream, writeMessage } from './writer.ts';
import { checkXsd } from './xsd-stream.ts';
import type { XsdFinding, XsdResult } from './xsd.ts';

const gzip = promisify(gzipCb);

/** A file or the bytes of an upload. */
export type ImportSource = string | Uint8Array;

export interface ImportOptions {
  keys: BsnKeys;
  /** Today's date for the rules and the answer's Dagtekening (default: the system date). */
  today?: string;
  maxBytes?: number;
  /** Progress: done and total bytes with what is being done (fits src/cli/progress.ts). */
  onProgress?: (done: number, total: number, label: string) => void;
  /** Refuse a message whose municipality side is another one (a municipality drops files for itself only). */
  municipalityCode?: string | null;
  /**
   * From this size on (bytes) a file is imported as a large one: a declaration's XSD check in the same pass as the
   * rules and the COPY, and the history read once for the message instead of per batch. Default 4 MiB (about 5,000
   * lines).
   */
  largeFileBytes?: number;
}

/** Below this reading all of a provider's allocations costs more than it saves (and a pass of its own for the XSD is cheap). */
const LARGE_FILE_BYTES = 4 << 20;

/** A finding as the API and the message store show it. */
export interface StoredFinding { code: string; retourcode: string; text: string; location: string }

export interface ImportResult {
  messageId: number;
  type: MessageType;
  duplicate: boolean;
  status: 'verwerkt' | 'afgewezen';
  lines: number;
  acceptedLines: number;
  rejectedLines: number;
  amountCents: number;
  acceptedAmountCents: number;
  answerMessageId: number | null;
  /** Findings about the message as a whole (not about one line). */
  findings: StoredFinding[];
}

/**
 * Whether this import created or changed allocations (a new JW301 with accepted lines): the caller then refreshes the
 * trajectories monitoring reads (refreshTrajectories), once after a batch. A JW323 updates its facts itself.
 */
export const changedAllocations = (r: ImportResult): boolean => r.type === 'JW301' && !r.duplicate && r.acceptedLines > 0;

/** The file is no readable iJW message or breaks the XSD: nothing was stored. */
export class ImportRefused extends Error {
  /** Refused for the XSD's findings. */
  xsd = false;
  constructor(message: string, readonly errors: { line?: number; location: string; code: string; message: string }[]) {
    super(message);
    this.name = 'ImportRefused';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = (v: unknown) => (typeof v === 'string' && DATE.test(v) ? v : null);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);
/** The plain-Dutch reason: the WJ001 text of the return code and what the rule found. */
export const reasonText = (f: Pick<Finding, 'retourcode' | 'text'>) => {
  const rc = RETOURCODES[f.retourcode];
  return rc && rc !== f.text ? `${rc} ${f.text}` : f.text;
};
const stored = (f: Finding): StoredFinding => ({ code: f.code, retourcode: f.retourcode, text: f.text, location: f.location });

/** SHA-256 and gzip of the bytes, in one pass over a file (the gzip runs on libuv's thread pool). */
async function hashAndCompress(source: ImportSource, maxBytes: number): Promise<{ hash: string; gz: Buffer; size: number }> {
  if (source instanceof Uint8Array) {
    if (source.byteLength > maxBytes) throw new IjwReadError('TE_GROOT', `Het bestand is groter dan de toegestane ${Math.round(maxBytes / 1024 / 1024)} MB`);
    return { hash: createHash('sha256').update(source).digest('hex'), gz: await gzip(source, { level: 1 }), size: source.byteLength };
  }
  let size: number;
  try {
    const s = await stat(source);
    if (!s.isFile()) throw new Error('geen bestand');
    size = s.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IjwReadError('BESTAND', code === 'ENOENT' ? `Bestand niet gevonden: ${source}` : `Bestand kan niet gelezen worden: ${source}`);
  }
  if (size > maxBytes) throw new IjwReadError('TE_GROOT', `Het bestand is groter dan de toegestane ${Math.round(maxBytes / 1024 / 1024)} MB`);
  const h = createHash('sha256');
  const z = createGzip({ level: 1 });
  const parts: Buffer[] = [];
  z.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve, reject) => { z.on('end', resolve); z.on('error', reject); });
  for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 })) {
    h.update(chunk as Buffer);
    if (!z.write(chunk)) await new Promise((r) => z.once('drain', r));
  }
  z.end();
  await done;
  return { hash: h.digest('hex'), gz: Buffer.concat(parts), size };
}

/** The stored result of a received message (for a duplicate). */
export async function importResult(db: Db, messageId: number, duplicate: boolean): Promise<ImportResult> {
  const [m] = await db.query(
    `SELECT m.id, m.message_type, m.status, m.lines, m.accepted_lines, m.rejected_lines, m.amount_cents, m.accepted_amount_cents, m.findings,
            (SELECT a.id FROM ijw_message a WHERE a.answer_to_id = m.id ORDER BY a.id LIMIT 1) AS answer_id
     FROM ijw_message m WHERE m.id = $1`, [messageId]);
  return {
    messageId: m.id, type: m.message_type, duplicate, status: m.status, lines: m.lines, acceptedLines: m.accepted_lines, rejectedLines: m.rejected_lines,
    amountCents: m.amount_cents, acceptedAmountCents: m.accepted_amount_cents, answerMessageId: m.answer_id ?? null, findings: m.findings,
  };
}

/** Imports one message; see the top of this file. Throws ImportRefused when the file is unreadable or breaks the XSD. */
// RK_IJW_TIMING=1 prints where an import's time goes on stderr (bench:ijw shows it)
const TIMING = !!process.env.RK_IJW_TIMING;
let tLast = 0;
const lap = (what: string) => { if (!TIMING) return; const now = performance.now(); if (what !== 'start') process.stderr.write(`[import] ${what}: ${((now - tLast) / 1000).toFixed(2)} s\n`); tLast = now; };

export async function importMessage(db: Db, source: ImportSource, opts: ImportOptions): Promise<ImportResult> {
  lap('start');
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const today = opts.today ?? todayIso();
  // A large declaration's XSD check runs in the pass that judges and stores it (the reader checks the XSD as it
  // reads); findings roll the transaction back (nothing stored), and they come before any other error (as when the
  // check ran before everything else).
  const size = source instanceof Uint8Array ? source.byteLength : await stat(source).then((s) => s.size, () => 0);
  const large = size >= (opts.largeFileBytes ?? LARGE_FILE_BYTES) && size <= maxBytes;
  let hashed;
  try {
    hashed = await hashAndCompress(source, maxBytes);
  } catch (e) {
    if (e instanceof IjwReadError) throw new ImportRefused(e.message, [{ code: e.code, location: '/', message: e.message }]);
    throw e;
  }
  lap('hash+gzip');
  const seen = await db.query(`SELECT id, trim(municipality_code) AS code FROM ijw_message WHERE direction = 'in' AND content_hash = $1`, [hashed.hash]);
  if (seen.length) {
    if (opts.municipalityCode && seen[0].code !== opts.municipalityCode) throw otherMunicipality(seen[0].code, opts.municipalityCode);
    return importResult(db, seen[0].id, true);
  }

  const big = hashed.size > 8 << 20;
  const progress = (label: string) => (big && opts.onProgress ? (b: number) => opts.onProgress!(b, hashed.size, label) : undefined);
  /** The XSD's verdict: the message type, or ImportRefused when the file is unreadable or breaks the XSD. */
  const xsdVerdict = async (): Promise<MessageType> => {
    try {
      const xsd = await checkXsd(source, { maxBytes, onBytes: progress('XSD') });
      if (!xsd.valid) throw xsdRefusal(xsd);
      return xsd.type;
    } catch (e) {
      if (e instanceof IjwReadError) throw new ImportRefused(e.message, [{ ...(e.line ? { line: e.line } : {}), code: e.code, location: '/', message: e.message }]);
      throw e;
    }
  };
  let type: MessageType;
  let inline: XsdSink | undefined; // a large declaration: the XSD in the same pass as the rules and the COPY
  if (large) {
    try {
      type = await sniffMessageType(source, { maxBytes });
    } catch (e) {
      await xsdVerdict();
      throw e instanceof IjwReadError ? new ImportRefused(e.message, [{ ...(e.line ? { line: e.line } : {}), code: e.code, location: '/', message: e.message }]) : e;
    }
    if (type === 'JW323') inline = { findings: [], count: 0 };
    else { type = await xsdVerdict(); lap('xsd'); }
  } else {
    type = await xsdVerdict();
    lap('xsd');
  }

  try {
    const id = await db.transaction(async (tx) => {
      let id: number;
      try {
        if (type === 'JW323') id = await importDeclaration(tx, source, hashed, { ...opts, today, maxBytes, large, xsd: inline, onBytes: progress(inline ? 'XSD, regels en boeken' : 'regels en boeken') });
        else id = await importOther(tx, source, type, hashed, { ...opts, today, maxBytes });
      } catch (e) {
        // another error in a file whose XSD was not checked to the end yet: the XSD's verdict comes first
        if (inline && !(e instanceof ImportRefused && e.xsd)) await xsdVerdict();
        throw e;
      }
      return id;
    });
    return await importResult(db, id, false);
  } catch (e) {
    if (e instanceof ImportRefused) throw e;
    if (e instanceof IjwReadError) throw new ImportRefused(e.message, [{ ...(e.line ? { line: e.line } : {}), code: e.code, location: '/', message: e.message }]);
    // the same file imported at the same moment by someone else: theirs is the first
    if ((e as { code?: string }).code === '23505') {
      const again = await db.query(`SELECT id FROM ijw_message WHERE direction = 'in' AND content_hash = $1`, [hashed.hash]);
      if (again.length) return importResult(db, again[0].id, true);
    }
    throw e;
  }
}

const otherMunicipality = (code: string, own: string) => new ImportRefused(`Het bericht is voor gemeente ${code}, niet voor ${own}; niets opgeslagen`,
  [{ location: '/Bericht/Header', code: 'GEMEENTE', message: `Het bericht is voor gemeente ${code}` }]);

interface Ctx extends ImportOptions { today: string; maxBytes: number; large?: boolean; xsd?: XsdSink; onBytes?: (b: number) => void }

/** The XSD findings of a declaration checked in the pass that judges and stores it. */
interface XsdSink { findings: XsdFinding[]; count: number }

function xsdRefusal(xsd: XsdResult): ImportRefused {
  const n = xsd.findings.length;
  const e = new ImportRefused(`Het bericht voldoet niet aan het XSD van ${xsd.type}: ${n} ${n === 1 ? 'fout' : 'fouten'}, niets opgeslagen`,
    xsd.findings.map((f) => ({ line: f.line, location: f.location, code: 'XSD', message: f.message })));
  e.xsd = true;
  return e;
}

async function insertMessage(tx: Db, row: {
  type: MessageType; direction: 'in' | 'out'; identification: string; dagtekening: string | null; sender: string; receiver: string;
  municipalityCode: string | null; providerAgb: string | null; declarationNumber?: string | null; periodStart?: string | null; hash: string; status: string; gz: Buffer; size: number; answerTo?: number | null;
  xsdVersion?: { BasisschemaXsdVersie?: string; BerichtXsdVersie?: string };
}): Promise<number> {
  const [{ id }] = await tx.query(
    `INSERT INTO ijw_message (message_type, direction, identification, dagtekening, sender_code, receiver_code, municipality_code, provider_id, provider_agb,
                              declaration_number, content_hash, status, xml_gzip, size_bytes, answer_to_id, period_start, xsd_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT id FROM provider WHERE agb_code = $8), $8, $9, $10, $11, decode($12, 'base64'), $13, $14, $15, $16) RETURNING id`,
    // the compressed file as base64 text: PGlite serialises a bytea parameter byte by byte in JavaScript (0.9 s for
    // the 10 MB of a 100,000-line declaration), Buffer's base64 is native. Only its first 256 kB go in this row, the
    // rest one part per statement (migration 034, db/file-parts.ts): no statement carries megabytes.
    [row.type, row.direction, row.identification, row.dagtekening, row.sender, row.receiver, row.municipalityCode?.slice(0, 4) ?? null, row.providerAgb,
      row.declarationNumber ?? null, row.hash, row.status, firstPart(row.gz).toString('base64'), row.size, row.answerTo ?? null, row.periodStart ?? null,
      row.xsdVersion ? `${row.xsdVersion.BasisschemaXsdVersie ?? ''}/${row.xsdVersion.BerichtXsdVersie ?? ''}` : null]);
  await writeFileParts(tx, 'ijw_message_part', id, row.gz);
  return id;
}

/** Where a finding belongs: one line, every line of one client, or the message as a whole. */
const LINE_AT = /\/Client\[(\d+)\](?:\/Prestaties\/Prestatie\[(\d+)\])?/;

async function importDeclaration(tx: Db, source: ImportSource, hashed: { hash: string; gz: Buffer; size: number }, ctx: Ctx): Promise<number> {
  // The foreign keys of every row this transaction writes are checked, on both engines alike. (It used to skip them
  // with session_replication_role = replica when the user was a superuser, always on PGlite and seldom on a server:
  // behaviour that depended on the engine. The checks cost about a third of booking a 100,000-line file on PGlite;
  // BENCHMARKS.md has the figures.)
  // the keyed BSN hash of a client is needed for its stored lines and by the history rules: computed once (bounded:
  // the history asks within a batch of clients)
  const hashes = new Map<string, string>();
  const hashBsn = (bsn: string) => {
    let h = hashes.get(bsn);
    if (h === undefined) { if (hashes.size >= 20_000) hashes.clear(); h = bsnLookupHash(ctx.keys, bsn); hashes.set(bsn, h); }
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
  const flush = async () => { if (rows.length) { const t = performance.now(); const r = rows; rows = []; await tx.copyRows('ijw_declaration_line', LINE_COLUMNS, r); copyMs += performance.now() - t; } };
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
          type: 'JW323', direction: 'in', identification: h.BerichtIdentificatie?.Identificatie ?? '', dagtekening: date(h.BerichtIdentificatie?.Dagtekening),
          sender: h.Afzender, receiver: h.Ontvanger, municipalityCode: h.Ontvanger, providerAgb: h.Afzender, declarationNumber: head.Declaratie?.DeclaratieNummer,
          periodStart: date(head.Declaratie?.DeclaratiePeriode?.Begindatum), hash: hashed.hash, status: 'verwerkt', gz: hashed.gz, size: hashed.size, xsdVersion: h.XsdVersie,
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
          const ref = p.ProductReferentie, per = p.ProductPeriode, bedrag = p.IngediendBedrag;
          rows.push(`${start}${lineNo}${mid}${cv(str(ref?.ReferentieNummer) ?? '')}\t${cv(str(ref?.VorigReferentieNummer))}\t${dn}\t${cv(int(p.ToewijzingNummer))}\t${cv(str(p.ProductCategorie))}\t${cv(str(p.ProductCode))}\t`
            + `${cv(date(per?.Begindatum))}\t${cv(date(per?.Einddatum))}\t${cv(int(p.GeleverdVolume))}\t${cv(str(p.Eenheid))}\t${cv(int(p.ProductTarief))}\t${cv(int(bedrag?.Bedrag))}\t${cv(str(bedrag?.DebetCredit))}`);
        }
        if (rows.length >= 10_000) await flush();
      }
      yield e;
    }
  }

  let lookupMs = 0;
  const history = TIMING ? { lookup: async (r: Parameters<DbHistory['lookup']>[0]) => { const t = performance.now(); const x = await dbHistory.lookup(r); lookupMs += performance.now() - t; return x; } } : dbHistory;
  const sink = ctx.xsd;
  const onXsd = sink ? (f: XsdFinding) => { sink.count++; if (sink.findings.length < 1000) sink.findings.push(f); } : undefined;
  await checkMessage(tap(readMessage(source, { maxBytes: ctx.maxBytes, onBytes: ctx.onBytes, xsd: onXsd })), {
    history, today: ctx.today, maxFindings: 0, historyBatch: 10_000,
    onFinding(f) {
      const m = f.retourcode === '0001' ? null : LINE_AT.exec(f.location);
      if (!m) messageFindings.push(f);
      else if (m[2] === undefined) { const k = Number(m[1]); clientFindings.set(k, [...(clientFindings.get(k) ?? []), f]); }
      else {
        const n = clientStart[Number(m[1]) - 1] + Number(m[2]) - 1;
        const list = lineFindings.get(n);
        if (list) list.push(f); else lineFindings.set(n, [f]);
      }
    },
  });
  if (sink?.count) throw xsdRefusal({ type: 'JW323', valid: false, findings: sink.findings.sort((a, b) => a.line - b.line) }); // rolls back
  await flush();
  if (TIMING) process.stderr.write(`[import]   of which COPY ${(copyMs / 1000).toFixed(2)} s, history look-ups ${(lookupMs / 1000).toFixed(2)} s\n`);
  lap('rules+copy');
  const totalLines = lineNo;
  const clientCount = clientStart.length;
  // lines of a client with a client-level finding are rejected with it
  for (const [k, fs] of clientFindings) {
    const from = clientStart[k - 1], to = k < clientCount ? clientStart[k] - 1 : totalLines;
    for (let n = from; n <= to; n++) lineFindings.set(n, [...fs, ...(lineFindings.get(n) ?? [])]);
  }
  const wholeRejected = messageFindings.length > 0;
  if (!wholeRejected) await judgeVariants(tx, messageId, providerId, head!.Header.Ontvanger, clientStart, lineFindings, totalLines);
  // every statement below covers at most ROWS_PER_STATEMENT lines, with a yield between: on PGlite one statement holds
  // the event loop (and so every other request, the health check included) until it ends
  const found = [...lineFindings].sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < found.length; i += ROWS_PER_STATEMENT) {
    const part = found.slice(i, i + ROWS_PER_STATEMENT);
    const json = JSON.stringify(part.map(([n, fs]) => ({ n, f: fs.map(stored) })));
    // the range keeps the statement to these lines (without it, every statement read all lines of the message)
    await tx.query(`UPDATE ijw_declaration_line l SET status = 'afgewezen', findings = x.f FROM jsonb_to_recordset($2::jsonb) AS x(n int, f jsonb)
                    WHERE l.message_id = $1 AND l.line_no BETWEEN $3 AND $4 AND l.line_no = x.n`, [messageId, json, part[0][0], part[part.length - 1][0]]);
    await yieldToEventLoop();
  }
  lap('mark rejected');
  if (wholeRejected) {
    for (const [from, to] of lineRanges(totalLines)) {
      await typed(tx).updateTable('ijw_declaration_line').set({ status: 'afgewezen' }).where(unscoped('the iJW import rejects the lines of the message it is storing'))
        .where('message_id', '=', messageId).where('line_no', '>=', from).where('line_no', '<=', to).execute();
      await yieldToEventLoop();
    }
  } else {
    const { booked, groups } = await bookAcceptedLines(tx, messageId, head!.Header.Ontvanger, totalLines);
    const accepted = totalLines - lineFindings.size;
    if (booked !== accepted) throw new Error(`Boeking: ${booked} regels geboekt, ${accepted} geaccepteerd`);
    lap('book');
    // monitoring's facts change with the lines, in this transaction
    await updateDeclarationFacts(tx, groups, { messageId, lines: totalLines });
    lap('monitoring facts');
  }
  // the message's totals, summed over ranges of lines
  const s = { lines: 0, acc: 0, amount: 0, accAmount: 0 };
  for (const [from, to] of lineRanges(totalLines)) {
    const [r] = await tx.query(
      `SELECT count(*)::int AS lines, count(*) FILTER (WHERE status = 'geaccepteerd')::int AS acc,
              COALESCE(sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END), 0)::int8 AS amount,
              COALESCE(sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END) FILTER (WHERE status = 'geaccepteerd'), 0)::int8 AS acc_amount
       FROM ijw_declaration_line WHERE message_id = $1 AND line_no BETWEEN $2 AND $3`, [messageId, from, to]);
    s.lines += r.lines; s.acc += r.acc; s.amount += Number(r.amount); s.accAmount += Number(r.acc_amount);
    await yieldToEventLoop();
  }
  await tx.query(
    `UPDATE ijw_message SET status = $2, findings = $3::jsonb, lines = $4::int, accepted_lines = $5::int, rejected_lines = $4::int - $5::int, amount_cents = $6::int8, accepted_amount_cents = $7::int8 WHERE id = $1`,
    [messageId, wholeRejected ? 'afgewezen' : 'verwerkt', JSON.stringify(messageFindings.map(stored)), s.lines, s.acc, s.amount, s.accAmount]);
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
async function judgeVariants(tx: Db, messageId: number, providerId: number | null, municipalityCode: string, clientStart: number[], lineFindings: Map<number, Finding[]>, totalLines: number) {
  const judge = providerId !== null ? await lineVariantJudge(tx, [providerId]) : null;
  if (!judge) return;
  for (const [from, to] of lineRanges(totalLines)) { // in file order, a range of lines per statement
    const lines = await typed(tx).selectFrom('ijw_declaration_line as l')
      .innerJoin('allocation as a', (j) => j.on(sql<boolean>`a.municipality_code = ${municipalityCode}::bpchar AND ltrim(a.assignment_number, '0') = l.assignment_number::text`))
      .select(['l.line_no', 'a.id', 'a.provider_id', 'a.product_id', sql<string>`l.period_start::text`.as('day'), sql<string>`COALESCE(l.period_end, l.period_start)::text`.as('periodEnd'), sql<string>`COALESCE(trim(l.unit), '')`.as('unit'),
        sql<number>`COALESCE(l.amount_cents, 0)`.as('amount'), sql<string>`COALESCE(l.debit_credit, 'D')`.as('dc')])
      .where(unscoped('the iJW import judges the lines of the message it is storing'))
      .where('l.message_id', '=', messageId).where('l.line_no', '>=', from).where('l.line_no', '<=', to).where('l.period_start', 'is not', null).orderBy('l.line_no').execute();
    await yieldToEventLoop();
    for (const l of lines) {
      const n = l.line_no;
      const j = judge({ providerId: l.provider_id, productId: l.product_id, allocationId: Number(l.id), day: l.day, periodEnd: l.periodEnd, unit: l.unit,
        amountCents: Number(l.amount), debitCredit: l.dc === 'C' ? 'C' : 'D', rejected: lineFindings.has(n) });
      if (!j) continue;
      // the client of line n: the last client whose first line is at or before it
      let lo = 0, hi = clientStart.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (clientStart[mid] <= n) lo = mid; else hi = mid - 1; }
      const f: Finding = { ...j, location: `/Bericht/Declaratie/Clienten/Client[${lo + 1}]/Prestaties/Prestatie[${n - clientStart[lo] + 1}]`, layer: 'historie' };
      const list = lineFindings.get(n);
      if (list) list.push(f); else lineFindings.set(n, [f]);
    }
  }
}

/** One value of a COPY text line; the common case (a number, or text without \\ tab or line break) without replacing. */
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const cv = (v: string | number | null): string => (v === null ? '\\N' : typeof v === 'number' ? String(v) : NEEDS_ESCAPE.test(v) ? copyValue(v) : v);

/** The columns of ijw_declaration_line the import copies, in this order. */
export const LINE_COLUMNS = ['message_id', 'line_no', 'client_no', 'bsn_hash', 'provider_id', 'reference_number', 'previous_reference_number', 'declaration_number',
  'assignment_number', 'product_category', 'product_code', 'period_start', 'period_end', 'volume', 'unit', 'tariff_cents', 'amount_cents', 'debit_credit'];

const uniq = (codes: string[]) => [...new Set(codes)];
const XSD_VERSION = { BasisschemaXsdVersie: '1.0.0', BerichtXsdVersie: '1.0.0' };

/** Identification of a message Regiekamer writes: unique, at most 20 characters. */
const ownIdentification = (prefix: string, id: number) => `RK${prefix}${id}`.slice(0, 20);

/** The JW325 answer to a stored JW323: only the rejected lines come back, with their return codes. */
async function writeAnswer(tx: Db, source: ImportSource, messageId: number, head: JW323Bericht, lineFindings: Map<number, Finding[]>, messageFindings: Finding[], ctx: Ctx) {
  const [m] = await tx.query(`SELECT amount_cents, accepted_amount_cents FROM ijw_message WHERE id = $1`, [messageId]);
  const [{ nextval: answerId }] = await tx.query(`SELECT nextval(pg_get_serial_sequence('ijw_message', 'id'))::int8 AS nextval`);
  const bedrag = (cents: number) => ({ TotaalBedrag: Math.abs(cents), DebetCredit: cents < 0 ? 'C' : 'D' });
  const envelope: JW325Bericht = {
    Header: {
      BerichtCode: '491', BerichtVersie: 3, BerichtSubversie: 2, Afzender: head.Header.Ontvanger, Ontvanger: head.Header.Afzender,
      BerichtIdentificatie: { Identificatie: ownIdentification('', answerId), Dagtekening: ctx.today }, XsdVersie: XSD_VERSION,
      DeclaratieIdentificatie: head.Header.BerichtIdentificatie, XsdVersieDeclaratie: head.Header.XsdVersie,
      RetourCodes: { RetourCode: messageFindings.length ? uniq(messageFindings.map((f) => f.retourcode)) : ['0200'] },
    },
  };
  const parts: string[] = [];
  const write = (s: string) => { parts.push(s); };
  if (messageFindings.length) {
    // rejected as a whole: the header says why, there is no answer per line
    write(writeMessage('JW325', envelope));
  } else {
    envelope.DeclaratieAntwoord = {
      DeclaratieNummer: head.Declaratie.DeclaratieNummer, TotaalIngediendBedrag: bedrag(m.amount_cents), TotaalToegekendBedrag: bedrag(m.accepted_amount_cents),
      Clienten: { Client: [] }, RetourCodes: { RetourCode: [lineFindings.size ? '0200' : '8001'] },
    };
    if (!lineFindings.size) {
      delete envelope.DeclaratieAntwoord.Clienten;
      write(writeMessage('JW325', envelope));
    } else {
      // read the declaration again for the rejected lines (their BSN is not stored in plain text)
      async function* rejectedClients(): AsyncGenerator<JW325Client> {
        let n = 0;
        for await (const e of readMessage(source, { maxBytes: ctx.maxBytes })) {
          if (e.kind !== 'client') continue;
          const c = e.client as JW323Client;
          const back = [];
          for (const p of c.Prestaties?.Prestatie ?? []) {
            const fs = lineFindings.get(++n);
            if (fs) back.push({ ...p, RetourCodes: { RetourCode: uniq(fs.map((f) => f.retourcode)) } });
          }
          if (back.length) yield { Bsn: c.Bsn, Prestaties: { Prestatie: back }, RetourCodes: { RetourCode: ['0200'] } };
        }
      }
      await writeMessageStream('JW325', envelope, rejectedClients(), write);
    }
  }
  const xml = Buffer.from(parts.join(''));
  const answerGz = await gzip(xml, { level: 1 });
  await tx.query(
    `INSERT INTO ijw_message (id, message_type, direction, identification, dagtekening, sender_code, receiver_code, municipality_code, provider_id, provider_agb,
                              declaration_number, content_hash, status, lines, accepted_lines, rejected_lines, amount_cents, accepted_amount_cents, answer_to_id, xml_gzip, size_bytes)
     SELECT $1, 'JW325', 'out', $2, $3, receiver_code, sender_code, municipality_code, provider_id, provider_agb, declaration_number, $4, 'verzonden',
            rejected_lines, 0, rejected_lines, amount_cents, accepted_amount_cents, id, decode($5, 'base64'), $6
     FROM ijw_message WHERE id = $7`,
    [answerId, envelope.Header.BerichtIdentificatie.Identificatie, ctx.today, createHash('sha256').update(xml).digest('hex'), firstPart(answerGz).toString('base64'), xml.byteLength, messageId]);
  await writeFileParts(tx, 'ijw_message_part', answerId, answerGz);
}

/** Every message but a JW323: read whole (they hold one client), rules, then store what it carries. */
async function importOther(tx: Db, source: ImportSource, type: MessageType, hashed: { hash: string; gz: Buffer; size: number }, ctx: Ctx): Promise<number> {
  let message: any;
  const events = async function* () {
    for await (const e of readMessage(source, { maxBytes: ctx.maxBytes, collectClients: true })) { if (e.kind === 'end') message = e.message; yield e; }
  };
  const findings: Finding[] = [];
  // the cross-message rules read the earlier messages (this one is not stored yet)
  await checkMessage(events(), { today: ctx.today, onFinding: (f) => findings.push(f), maxFindings: 0, history: new DbHistory(tx, ctx.keys) });
  const h = message.Header;
  // a municipality sends JW301, JW316, JW319, JW320, JW325; a provider the others
  const fromMunicipality = ['JW301', 'JW316', 'JW319', 'JW320', 'JW325'].includes(type);
  const municipalityCode = fromMunicipality ? h.Afzender : h.Ontvanger;
  const providerAgb = fromMunicipality ? h.Ontvanger : h.Afzender;
  if (ctx.municipalityCode && municipalityCode !== ctx.municipalityCode) throw otherMunicipality(municipalityCode, ctx.municipalityCode);
  const id = await insertMessage(tx, {
    type, direction: 'in', identification: h.BerichtIdentificatie?.Identificatie ?? '', dagtekening: date(h.BerichtIdentificatie?.Dagtekening),
    sender: h.Afzender, receiver: h.Ontvanger, municipalityCode, providerAgb, hash: hashed.hash, status: findings.length ? 'afgewezen' : 'verwerkt', gz: hashed.gz, size: hashed.size,
    xsdVersion: h.XsdVersie,
  });
  if (!findings.length) {
    let lines = 0;
    if (type === 'JW301') lines = await storeAllocations(tx, id, message as JW301Bericht, findings, ctx);
    else if (type === 'JW315' || type === 'JW317') lines = await storeRequests(tx, id, type, message, ctx);
    else lines = await storeForHistory(tx, id, type, message, ctx.keys);
    if (!findings.length) {
      await tx.query(`UPDATE ijw_message SET lines = $2, accepted_lines = $2 WHERE id = $1`, [id, lines]);
      return id;
    }
  }
  await tx.query(`UPDATE ijw_message SET status = 'afgewezen', findings = $2::jsonb WHERE id = $1`, [id, JSON.stringify(findings.map(stored))]);
  return id;
}

/** JW301: create or change the allocations (toewijzingen) it carries, and the youth when new. Everything is
 * resolved first (provider, products): a finding leaves the allocations untouched. */
async function storeAllocations(tx: Db, messageId: number, m: JW301Bericht, findings: Finding[], ctx: Ctx): Promise<number> {
  const municipality = m.Header.Afzender;
  const c = m.Client;
  const [prov] = await tx.query(`SELECT id FROM provider WHERE agb_code = $1`, [m.Header.Ontvanger]);
  if (!prov) findings.push({ code: 'TR338', retourcode: '9019', location: '/Bericht/Header/Ontvanger', text: `aanbieder ${m.Header.Ontvanger} is niet bekend`, layer: 'historie' });
  const products: { id: number; unit: string }[] = [];
  for (const [i, p] of c.ToegewezenProducten.ToegewezenProduct.entries()) {
    const [product] = await tx.query(
      `SELECT p.id, trim(p.unit) AS unit FROM product p JOIN municipality mu ON mu.region_id = p.region_id
       WHERE mu.code = $1 AND trim(p.category_code) = $2 AND ($3::text IS NULL OR p.code = $3) AND p.valid_from <= $4 AND (p.valid_to IS NULL OR $4 < p.valid_to)
       ORDER BY p.code LIMIT 1`, [municipality, p.Product?.Categorie ?? '', p.Product?.Code ?? null, p.Ingangsdatum]);
    if (!product) findings.push({ code: 'TR381', retourcode: 'S329', location: `/Bericht/Client/ToegewezenProducten/ToegewezenProduct[${i + 1}]/Product`, text: 'product niet in het productenboek van de regio', layer: 'extern' });
    products.push(product);
  }
  if (findings.length) return 0;
  // a client stop on the enforcement ladder (providers' door) blocks new allocations to this provider in its segment
  for (const [i, p] of c.ToegewezenProducten.ToegewezenProduct.entries()) {
    if (p.RedenWijziging === '13') continue;
    const known = await typed(tx).selectFrom('allocation').select('id').where(unscoped('does this JW301 change an allocation or create one'))
      .where(sql<boolean>`municipality_code = ${municipality}::bpchar`).where('assignment_number', '=', String(p.ToewijzingNummer)).executeTakeFirst();
    if (known) continue; // a change of an existing allocation is not a new one
    const stop = await clientStopFor(tx, prov.id, products[i].id, p.Ingangsdatum);
    if (stop) findings.push({ code: 'BK010', retourcode: 'S329', location: `/Bericht/Client/ToegewezenProducten/ToegewezenProduct[${i + 1}]/Ingangsdatum`, layer: 'historie',
      text: `cliëntenstop voor deze aanbieder sinds ${stop.onDate}${stop.segmentName ? ` voor ${stop.segmentName}` : ' voor alle segmenten'}${stop.endsOn ? ` tot ${stop.endsOn}` : ''}: geen nieuwe toewijzing met ingangsdatum ${p.Ingangsdatum}` });
  }
  if (findings.length) return 0;
  const hash = bsnLookupHash(ctx.keys, c.Bsn);
  // the BRP address the message carries (Contact Soort 01), kept encrypted like the BSN: the JW301s Regiekamer writes need it
  const brp = c.Contactgegevens?.Contact?.find((k) => k.Soort === '01' && k.Adres?.Huis && k.Adres?.Postcode)?.Adres;
  const address = brp ? encryptPersonal(ctx.keys, JSON.stringify(brp)) : null;
  let [youth] = await tx.query(`SELECT id FROM youth WHERE bsn_hash = $1`, [hash]);
  if (!youth) {
    [youth] = await tx.query(
      `INSERT INTO youth (bsn_encrypted, bsn_hash, pseudonym, birth_date, gender, municipality_code, address_encrypted)
       VALUES ($1, $2, 'J-' || upper(substr($2, 1, 10)), $3, $4, $5, $6) RETURNING id`,
      [encryptBsn(ctx.keys, c.Bsn), hash, c.Geboortedatum.Datum, c.Geslacht, municipality, address]);
  } else if (address) {
    await tx.query(`UPDATE youth SET address_encrypted = $2 WHERE id = $1`, [youth.id, address]); // the newest address the municipality sent
  }
  for (const [i, p] of c.ToegewezenProducten.ToegewezenProduct.entries()) {
    const status = p.RedenWijziging === '13' ? 'ingetrokken' : 'actief';
    // on a contract with a fixed tariff per profile the allocation carries its profile (funding's door)
    const profile = await allocationProfile(tx, prov.id, products[i].id, p.Ingangsdatum);
    const [a] = await tx.query(
      `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency, budget_cents, status, profile,
                               change_reason, category_only)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (municipality_code, assignment_number) DO UPDATE SET end_date = EXCLUDED.end_date, volume = EXCLUDED.volume, unit = EXCLUDED.unit,
         frequency = EXCLUDED.frequency, budget_cents = EXCLUDED.budget_cents, status = CASE WHEN EXCLUDED.status = 'ingetrokken' THEN 'ingetrokken' ELSE 'gewijzigd' END,
         profile = COALESCE(allocation.profile, EXCLUDED.profile), change_reason = EXCLUDED.change_reason
       RETURNING id`,
      [String(p.ToewijzingNummer), municipality, prov.id, youth.id, products[i].id, p.Ingangsdatum, p.Einddatum ?? null, p.Omvang?.Volume ?? null,
        p.Omvang?.Eenheid ?? products[i].unit, p.Omvang?.Frequentie ?? null, p.Budget ?? null, status, profile, p.RedenWijziging ?? null, !p.Product?.Code]);
    // with the ReferentieAanbieder of the request it honours (TR359, TR374, TR379; migration 023)
    await tx.query(`INSERT INTO ijw_allocation_message (allocation_id, message_id, reference) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [a.id, messageId, p.ReferentieAanbieder ?? null]);
  }
  return products.length;
}

/** JW315 (aanvraag) and JW317 (verzoek om wijziging): the requested products, for the municipality to answer. */
async function storeRequests(tx: Db, messageId: number, type: 'JW315' | 'JW317', m: JW315Bericht | JW317Bericht, ctx: Ctx): Promise<number> {
  const hash = bsnLookupHash(ctx.keys, m.Client.Bsn);
  const rows: unknown[][] = [];
  if (type === 'JW315') {
    for (const p of (m as JW315Bericht).Client.AangevraagdeProducten.AangevraagdProduct) {
      rows.push([p.ReferentieAanbieder, 'aangevraagd', null, p.Product?.Categorie, p.Product?.Code, p.ToewijzingIngangsdatum, p.ToewijzingEinddatum, p]);
    }
  } else {
    const v = (m as JW317Bericht).Client.Verzoek;
    for (const p of v.OngewijzigdeProducten?.OngewijzigdProduct ?? []) rows.push([v.ReferentieAanbieder, 'ongewijzigd', p.ToewijzingNummer, null, null, null, null, p]);
    for (const p of v.TeWijzigenProducten?.TeWijzigenProduct ?? []) rows.push([v.ReferentieAanbieder, 'te_wijzigen', p.ToewijzingNummer, null, null, p.GewensteIngangsdatum, p.Einddatum, p]);
    for (const p of v.NieuweProducten?.NieuwProduct ?? []) rows.push([v.ReferentieAanbieder, 'nieuw', null, p.Product?.Categorie, p.Product?.Code, p.GewensteIngangsdatum, p.Einddatum, p]);
  }
  if (rows.length) {
    await tx.copyRows('ijw_request', ['message_id', 'line_no', 'bsn_hash', 'reference', 'kind', 'assignment_number', 'product_category', 'product_code', 'start_date', 'end_date', 'detail'],
      rows.map((r, i) => copyLine([messageId, i + 1, hash, r[0], r[1], r[2], r[3], r[4], date(r[5]), date(r[6]), JSON.stringify(r[7])])));
  }
  return rows.length;
}
