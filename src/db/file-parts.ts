// Files stored in parts (migration 034, issue 14 point 2): the first part of a file in its owner's row (an iJW
// message's xml_gzip, a document's content), the rest as rows of at most FILE_PART_BYTES in a part table, written and
// read one part per statement with the event loop free between them. On the embedded database a statement runs on
// the server's one JavaScript thread, and a file of megabytes in one statement held it for up to a second; a part of
// 256 kB takes a few milliseconds. Files stored before migration 034 have no parts and read the same.
import type { Db } from './db.ts';
import { typed, unscoped, sql, registerScopedTables } from './query.ts';
import { yieldToEventLoop } from '../core/work.ts';

/** The largest part: the first part in the owner's row and every row of a part table. */
export const FILE_PART_BYTES = 256 * 1024;

/** The part tables and the column naming their owner's row. */
export const PART_TABLES = {
  ijw_message_part: 'message_id',
  provider_document_part: 'document_id',
} as const;
export type PartTable = keyof typeof PART_TABLES;

// a part of an iJW file carries the BSNs of its clients, a document what its provider sent: no query without a
// scope. The owner's row is read in scope first (the caller passes its id); the parts follow it.
registerScopedTables(...Object.keys(PART_TABLES));

/** An insert of a part: the owner's row was written by the caller in its scope, in the same transaction. */
const OWNER_CHECKED = sql.raw('/*unscoped*/');

/** The part of a file kept in its owner's row. */
export const firstPart = (file: Buffer, partBytes = FILE_PART_BYTES): Buffer => file.subarray(0, partBytes);

/**
 * Writes the parts of `file` after its first (which the caller stores in the owner's row) into `table`, one
 * statement per part with a yield before each; returns how many. Inside the caller's transaction: all or nothing.
 */
export async function writeFileParts(tx: Db, table: PartTable, ownerId: number, file: Buffer, partBytes = FILE_PART_BYTES): Promise<number> {
  const key = PART_TABLES[table];
  let n = 0;
  for (let from = partBytes; from < file.length; from += partBytes) {
    await yieldToEventLoop();
    n++;
    // as base64 text: PGlite serialises a bytea parameter a byte at a time in JavaScript, Buffer's base64 is native
    await typed(tx)
      .insertInto(table as 'ijw_message_part')
      .values({ [key]: ownerId, part_no: n, bytes: sql<Buffer>`decode(${file.subarray(from, from + partBytes).toString('base64')}, 'base64')` } as any)
      .modifyEnd(OWNER_CHECKED)
      .execute();
  }
  return n;
}

/**
 * The whole file: `first` (the part in the owner's row, read by the caller in scope) followed by the owner's parts in
 * order, read one per statement with a yield between.
 */
export async function readFileParts(db: Db, table: PartTable, ownerId: number, first: Buffer): Promise<Buffer> {
  const key = PART_TABLES[table];
  const parts = [first];
  for (let n = 1; ; n++) {
    const [r] = await typed(db)
      .selectFrom(table as 'ijw_message_part')
      .select(sql<string>`encode(bytes, 'base64')`.as('b64'))
      .where(key as 'message_id', '=', ownerId)
      .where('part_no', '=', n)
      .where(unscoped('the parts of a row the caller read in its scope'))
      .execute();
    if (!r) break;
    parts.push(Buffer.from(r.b64, 'base64'));
    await yieldToEventLoop();
  }
  return parts.length === 1 ? first : Buffer.concat(parts);
}
