// Importing one received iJW message: a workflow of parse → validate → book, all or nothing.
//
//   1. hash the bytes (SHA-256; the same file twice is stored once: the first result is returned) and compress them
//   2. XSD (the checker generated from the official XSDs, xsd-check.ts): a file that cannot be read or breaks the XSD
//      stores nothing (ImportRefused). A large declaration (JW323) is checked in the same pass as step 3, whose
//      transaction is rolled back when the XSD finds anything; other files are checked before step 3
//   3. in ONE transaction: store the message, run the rules with the history in the database (DbHistory) while the
//      declaration lines stream into ijw_declaration_line by COPY (what the later steps need of each line is kept in
//      memory, compactly), judge the contract's execution variant, mark the lines the rules rejected, book the
//      accepted ones into declaration_line by COPY (source 'jw323', with the allocation and the tariff they were
//      checked against), tell the listeners of booked.ts what was booked (monitoring's facts, summed from the same
//      rows), and write the JW325 answer as an
//      `out` message. JW301 creates or changes allocations (the caller then refreshes the trajectories monitoring
//      reads: refreshTrajectories), JW315/JW317 store their requests, every other message is stored as received.
//
// A JW323 is read once for the rules and the booking; only when lines were rejected is it read a second time, to
// write those lines back in the JW325 (with their BSN, which Regiekamer does not keep in plain text).
//
// The steps live in ./import/: hash.ts (1), message-row.ts (the stored message and the result read back),
// declaration.ts (3 for a JW323) with answer.ts (its JW325), other.ts (3 for every other type) with allocations.ts
// (JW301) and requests.ts (JW315/JW317), and booked.ts: the one hook through which others (monitoring's facts) learn
// what a declaration booked, in the import's transaction.
import { stat } from 'node:fs/promises';
import type { Db } from '../db/index.ts';
import { IjwReadError } from './errors.ts';
import { sniffMessageType } from './reader.ts';
import { todayIso } from './rules/dates.ts';
import type { MessageType } from './schema.ts';
import { DEFAULT_MAX_BYTES } from './source.ts';
import { checkXsd } from './xsd-stream.ts';
import { type ImportOptions, type ImportResult, type ImportSource, ImportRefused, type XsdSink, lap, otherMunicipality, xsdRefusal } from './import/common.ts';
import { importDeclaration } from './import/declaration.ts';
import { hashAndCompress } from './import/hash.ts';
import { importResult, storedByHash } from './import/message-row.ts';
import { importOther } from './import/other.ts';

export {
  changedAllocations,
  ImportRefused,
  reasonText,
  type ImportOptions,
  type ImportResult,
  type ImportSource,
  type StoredFinding,
} from './import/common.ts';
export { importResult } from './import/message-row.ts';
export { LINE_COLUMNS } from './import/declaration.ts';
export { onCareDatesStored, onDeclarationBooked, type BookedLine, type BookedLines, type BookedListener, type CareDatesListener } from './import/booked.ts';

/** Below this reading all of a provider's allocations costs more than it saves (and a pass of its own for the XSD is cheap). */
const LARGE_FILE_BYTES = 4 << 20;

/** Imports one message; see the top of this file. Throws ImportRefused when the file is unreadable or breaks the XSD. */

export async function importMessage(db: Db, source: ImportSource, opts: ImportOptions): Promise<ImportResult> {
  lap('start');
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const today = opts.today ?? todayIso();
  // A large declaration's XSD check runs in the pass that judges and stores it (the reader checks the XSD as it
  // reads); findings roll the transaction back (nothing stored), and they come before any other error (as when the
  // check ran before everything else).
  const size =
    source instanceof Uint8Array
      ? source.byteLength
      : await stat(source).then(
          (s) => s.size,
          () => 0,
        );
  const large = size >= (opts.largeFileBytes ?? LARGE_FILE_BYTES) && size <= maxBytes;
  let hashed;
  try {
    hashed = await hashAndCompress(source, maxBytes);
  } catch (e) {
    if (e instanceof IjwReadError) throw new ImportRefused(e.message, [{ code: e.code, location: '/', message: e.message }]);
    throw e;
  }
  lap('hash+gzip');
  const seen = await storedByHash(db, hashed.hash);
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
      if (e instanceof IjwReadError)
        throw new ImportRefused(e.message, [{ ...(e.line ? { line: e.line } : {}), code: e.code, location: '/', message: e.message }]);
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
      throw e instanceof IjwReadError
        ? new ImportRefused(e.message, [{ ...(e.line ? { line: e.line } : {}), code: e.code, location: '/', message: e.message }])
        : e;
    }
    if (type === 'JW323') inline = { findings: [], count: 0 };
    else {
      type = await xsdVerdict();
      lap('xsd');
    }
  } else {
    type = await xsdVerdict();
    lap('xsd');
  }

  try {
    const id = await db.transaction(async (tx) => {
      let id: number;
      try {
        if (type === 'JW323')
          id = await importDeclaration(tx, source, hashed, {
            ...opts,
            today,
            maxBytes,
            large,
            xsd: inline,
            onBytes: progress(inline ? 'XSD, regels en boeken' : 'regels en boeken'),
          });
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
    if (e instanceof IjwReadError)
      throw new ImportRefused(e.message, [{ ...(e.line ? { line: e.line } : {}), code: e.code, location: '/', message: e.message }]);
    // the same file imported at the same moment by someone else: theirs is the first
    if ((e as { code?: string }).code === '23505') {
      const again = await storedByHash(db, hashed.hash);
      if (again.length) return importResult(db, again[0].id, true);
    }
    throw e;
  }
}
