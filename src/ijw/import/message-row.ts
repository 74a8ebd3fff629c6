// The ijw_message row of a received message: written once per import, read back as the import's result.
import { firstPart, writeFileParts, type Db } from '../../db/index.ts';
import { sql, typed, unscoped } from '../../db/query.ts';
import type { MessageType } from '../schema.ts';
import type { ImportResult, StoredFinding } from './common.ts';

export async function insertMessage(
  tx: Db,
  row: {
    type: MessageType;
    direction: 'in' | 'out';
    identification: string;
    dagtekening: string | null;
    sender: string;
    receiver: string;
    municipalityCode: string | null;
    providerAgb: string | null;
    declarationNumber?: string | null;
    periodStart?: string | null;
    hash: string;
    status: string;
    gz: Buffer;
    size: number;
    answerTo?: number | null;
    xsdVersion?: { BasisschemaXsdVersie?: string; BerichtXsdVersie?: string };
  },
): Promise<number> {
  const [{ id }] = await tx.query(
    `INSERT INTO ijw_message (message_type, direction, identification, dagtekening, sender_code, receiver_code, municipality_code, provider_id, provider_agb,
                              declaration_number, content_hash, status, xml_gzip, size_bytes, answer_to_id, period_start, xsd_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT id FROM provider WHERE agb_code = $8), $8, $9, $10, $11, decode($12, 'base64'), $13, $14, $15, $16) RETURNING id`,
    // the compressed file as base64 text: PGlite serialises a bytea parameter byte by byte in JavaScript (0.9 s for
    // the 10 MB of a 100,000-line declaration), Buffer's base64 is native. Only its first 256 kB go in this row, the
    // rest one part per statement (migration 034, db/file-parts.ts): no statement carries megabytes.
    [
      row.type,
      row.direction,
      row.identification,
      row.dagtekening,
      row.sender,
      row.receiver,
      row.municipalityCode?.slice(0, 4) ?? null,
      row.providerAgb,
      row.declarationNumber ?? null,
      row.hash,
      row.status,
      firstPart(row.gz).toString('base64'),
      row.size,
      row.answerTo ?? null,
      row.periodStart ?? null,
      row.xsdVersion ? `${row.xsdVersion.BasisschemaXsdVersie ?? ''}/${row.xsdVersion.BerichtXsdVersie ?? ''}` : null,
    ],
  );
  await writeFileParts(tx, 'ijw_message_part', id, row.gz);
  return id;
}

/** The stored result of a received message (for a duplicate). */
export async function importResult(db: Db, messageId: number, duplicate: boolean): Promise<ImportResult> {
  const [m] = await db.query(
    `SELECT m.id, m.message_type, m.status, m.lines, m.accepted_lines, m.rejected_lines, m.amount_cents, m.accepted_amount_cents, m.findings,
            (SELECT a.id FROM ijw_message a WHERE a.answer_to_id = m.id ORDER BY a.id LIMIT 1) AS answer_id
     FROM ijw_message m WHERE m.id = $1`,
    [messageId],
  );
  return {
    messageId: m.id,
    type: m.message_type,
    duplicate,
    status: m.status,
    lines: m.lines,
    acceptedLines: m.accepted_lines,
    rejectedLines: m.rejected_lines,
    amountCents: m.amount_cents,
    acceptedAmountCents: m.accepted_amount_cents,
    answerMessageId: m.answer_id ?? null,
    findings: m.findings,
  };
}

/** The received message stored with these bytes (their SHA-256), if any: the same file twice is stored once. */
export const storedByHash = (db: Db, hash: string) =>
  typed(db)
    .selectFrom('ijw_message')
    .select(['id', sql<string>`trim(municipality_code)`.as('code')])
    .where(unscoped('is this file stored already (the import looks it up by its hash)'))
    .where('direction', '=', 'in')
    .where('content_hash', '=', hash)
    .execute();

/** A message other than a JW323 after its rules: the lines it carried, all accepted, or its findings. */
export async function settleMessage(tx: Db, id: number, outcome: { lines: number } | { findings: StoredFinding[] }): Promise<void> {
  const q = typed(tx).updateTable('ijw_message');
  const set =
    'lines' in outcome
      ? q.set({ lines: outcome.lines, accepted_lines: outcome.lines })
      : q.set({ status: 'afgewezen', findings: sql`${JSON.stringify(outcome.findings)}::jsonb` });
  await set.where(unscoped('the import stores the message it is importing')).where('id', '=', id).execute();
}
