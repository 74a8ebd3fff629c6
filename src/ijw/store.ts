// Reading the message store (003_ijw.sql): the inbox/outbox, one message with its lines, the file itself, and the
// youths a message carries. (The settlement ledger is funding's: src/funding/ledger.ts.) Every query takes the
// caller's data scope: a municipality sees the messages it sent or received, a provider its own, the region all of
// the region (lists only).
import { gunzip as gunzipCb } from 'node:zlib';
import { promisify } from 'node:util';
import type { DataScope } from '../access/roles.ts';
import { readFileParts, type Db } from '../db/index.ts';

const gunzip = promisify(gunzipCb);
import { rows as run, scopeSql, sql } from '../db/query.ts';
import { reasonText } from './import.ts';

export interface MessageRow {
  messageId: number;
  type: string;
  direction: 'in' | 'out';
  identification: string;
  municipalityCode: string;
  municipalityName: string;
  providerId: number | null;
  providerName: string | null;
  createdAt: string;
  status: 'verwerkt' | 'afgewezen' | 'verzonden';
  lines: number;
  acceptedLines: number;
  rejectedLines: number;
  amountCents: number;
  acceptedAmountCents: number;
  answerMessageId: number | null;
}

const ROW = `m.id AS "messageId", m.message_type AS type, m.direction, m.identification, trim(m.municipality_code) AS "municipalityCode", mu.name AS "municipalityName",
  m.provider_id AS "providerId", pr.name AS "providerName", m.created_at AS "createdAt", m.status, m.lines, m.accepted_lines AS "acceptedLines",
  m.rejected_lines AS "rejectedLines", m.amount_cents AS "amountCents", m.accepted_amount_cents AS "acceptedAmountCents",
  (SELECT a.id FROM ijw_message a WHERE a.answer_to_id = m.id ORDER BY a.id LIMIT 1) AS "answerMessageId"`;
const fromScoped = (
  scope: DataScope,
) => sql`FROM ijw_message m JOIN municipality mu ON mu.code = m.municipality_code LEFT JOIN provider pr ON pr.id = m.provider_id
  WHERE ${scopeSql(scope, { region: 'mu.region_id', municipality: 'm.municipality_code', provider: 'm.provider_id' })}`;

export async function listMessages(db: Db, scope: DataScope, q: { direction?: 'in' | 'out'; type?: string; limit: number; offset: number }) {
  const rows = await run<MessageRow & { total: number }>(
    db,
    sql`SELECT ${sql.raw(ROW)}, count(*) OVER ()::int AS total ${fromScoped(scope)}
     ${q.direction ? sql`AND m.direction = ${q.direction}` : sql``} ${q.type ? sql`AND m.message_type = ${q.type}` : sql``}
     ORDER BY m.created_at DESC, m.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`,
  );
  return { total: rows[0]?.total ?? 0, messages: rows.map(({ total: _, ...r }) => r as MessageRow) };
}

/** One message in the caller's scope, or undefined. */
export async function getMessage(db: Db, scope: DataScope, id: number): Promise<MessageRow | undefined> {
  const [row] = await run<MessageRow>(db, sql`SELECT ${sql.raw(ROW)} ${fromScoped(scope)} AND m.id = ${id}`);
  return row;
}

/**
 * The declaration lines of a message: a received JW323's lines, or for a JW325 the lines it answers that were
 * rejected. The youth is shown only where the line's BSN is a youth holding an allocation of this municipality with
 * this provider (the scope of both sides); otherwise the client's position in the message.
 */
export async function messageLines(db: Db, message: MessageRow, q: { limit: number; offset: number; status?: 'geaccepteerd' | 'afgewezen' }) {
  const [m] = await db.query(`SELECT message_type, answer_to_id, municipality_code, provider_id FROM ijw_message WHERE id = $1`, [message.messageId]);
  const source = m.message_type === 'JW323' && m.answer_to_id === null ? message.messageId : m.message_type === 'JW325' ? m.answer_to_id : null;
  if (source === null) return { lines: [], youthIds: [] as number[] };
  const status = m.message_type === 'JW325' ? 'afgewezen' : (q.status ?? null);
  const rows = await db.query(
    `SELECT l.line_no, l.client_no, y.id AS youth_id, y.pseudonym, l.assignment_number, l.product_category, l.product_code, pn.name AS product_name,
            l.period_start, l.period_end, l.volume, trim(l.unit) AS unit, l.tariff_cents, l.amount_cents, l.debit_credit, l.status, l.findings
     FROM ijw_declaration_line l
     JOIN ijw_message src ON src.id = l.message_id
     JOIN municipality mu ON mu.code = src.municipality_code
     LEFT JOIN youth y ON y.bsn_hash = l.bsn_hash
       AND EXISTS (SELECT 1 FROM allocation a WHERE a.youth_id = y.id AND a.municipality_code = src.municipality_code AND a.provider_id = src.provider_id)
     LEFT JOIN LATERAL (SELECT p.name FROM product p WHERE p.region_id = mu.region_id AND p.code = l.product_code ORDER BY p.valid_from DESC LIMIT 1) pn ON true
     WHERE l.message_id = $1 AND ($2::text IS NULL OR l.status = $2)
     ORDER BY l.line_no LIMIT $3 OFFSET $4`,
    [source, status, q.limit, q.offset],
  );
  const lines = rows.map((r) => ({
    lineNo: r.line_no,
    clientPseudonym: r.pseudonym ?? `cliënt ${r.client_no} (geen bekende jeugdige)`,
    youthId: r.youth_id ?? null,
    assignmentNumber: r.assignment_number === null ? '' : String(r.assignment_number),
    productCategory: r.product_category ?? '',
    productCode: r.product_code ?? '',
    productName: r.product_name ?? '',
    periodStart: r.period_start,
    periodEnd: r.period_end,
    volume: r.volume,
    unit: r.unit ?? '',
    tariffCents: r.tariff_cents,
    amountCents: r.amount_cents,
    debitCredit: r.debit_credit === 'C' ? ('C' as const) : ('D' as const),
    status: r.status as 'geaccepteerd' | 'afgewezen',
    findings: (r.findings ?? []).map((f: { code: string; retourcode: string; text: string; location: string }) => ({
      code: f.code,
      retourcode: f.retourcode,
      text: reasonText(f),
      location: f.location,
    })),
  }));
  return { lines, youthIds: [...new Set(rows.map((r) => r.youth_id).filter((x): x is number => x !== null))] };
}

/**
 * The file of a message, uncompressed, with a file name. The caller has found the message in its scope. The gzipped
 * file is xml_gzip followed by the message's parts (migration 034; none for a message stored before it or smaller
 * than a part), read one per statement; unzipped on libuv's thread pool, not the event loop.
 */
export async function messageXml(db: Db, id: number): Promise<{ xml: Buffer; filename: string }> {
  const [r] = await db.query(`SELECT message_type, identification, encode(xml_gzip, 'base64') AS gz FROM ijw_message WHERE id = $1`, [id]);
  const gz = await readFileParts(db, 'ijw_message_part', id, Buffer.from(r.gz, 'base64'));
  return { xml: await gunzip(gz), filename: `${r.message_type}-${String(r.identification).replace(/[^\w.-]/g, '_')}.xml` };
}

/**
 * The youths whose data a message carries (every client's BSN is in its XML): for the audit log of whoever reads it.
 * Declaration and request lines match youths by the keyed BSN hash; allocation messages by their allocations.
 */
export async function messageYouthIds(db: Db, messageId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT y.id FROM ijw_declaration_line l JOIN youth y ON y.bsn_hash = l.bsn_hash WHERE l.message_id = $1
     UNION SELECT y.id FROM ijw_request r JOIN youth y ON y.bsn_hash = r.bsn_hash WHERE r.message_id = $1
     UNION SELECT a.youth_id FROM ijw_allocation_message am JOIN allocation a ON a.id = am.allocation_id WHERE am.message_id = $1
     ORDER BY 1`,
    [messageId],
  );
  return rows.map((r) => r.id);
}
