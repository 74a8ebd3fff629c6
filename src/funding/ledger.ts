// The settlement ledger: the accepted declaration lines booked into declaration_line (by the iJW import, through
// funding's door) and read back per municipality × provider × product × month (view settlement_ledger, 003_ijw.sql).
// Moved here from src/ijw (issue 15 §8): every rule about money lives in src/funding.
import type { DataScope } from '../access/roles.ts';
import { copyLine, type Db } from '../db/index.ts';
import { rows as run, scopeSql, sql } from '../db/query.ts';
import { currentYear } from '../core/dates.ts';
import { rowsPerStatement } from '../core/work.ts';
import { cachedFigures, type FactGroup } from '../monitoring/index.ts';

/** The columns the ledger's page can be sorted on. */
export const LEDGER_SORTS = ['month', 'municipality', 'provider', 'product', 'lines', 'volume', 'amount'] as const;
export type LedgerSort = (typeof LEDGER_SORTS)[number];
const LEDGER_ORDER: Record<LedgerSort, string> = {
  month: 'month',
  municipality: '"municipalityName"',
  provider: '"providerName"',
  product: '"productCode"',
  lines: 'lines',
  volume: 'volume',
  amount: '"amountCents"',
};

/**
 * The settlement ledger (view settlement_ledger) of a year, or one month of it, in the caller's scope: every row (`limit` omitted: the exports), or one page of it sorted on the
 * server (the screen: 45,210 rows in a year made a 10 MB answer and 10–13 s before the first row showed). The counts
 * and totals over all rows come from the same aggregation as the page, in the same statement.
 */
export async function ledger(
  db: Db,
  scope: DataScope,
  year: number,
  month?: number,
  page: { limit?: number; offset?: number; sort?: LedgerSort; desc?: boolean } = {},
) {
  const from = month ? `${year}-${String(month).padStart(2, '0')}-01` : `${year}-01-01`;
  const to = month ? (month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`) : `${year + 1}-01-01`;
  const dir = page.desc ? 'DESC' : 'ASC';
  const order = page.sort
    ? sql.raw(`${LEDGER_ORDER[page.sort]} ${dir} NULLS LAST, month, "municipalityName", "providerName", "productCode", "municipalityCode", "providerId"`)
    : sql.raw('month, "municipalityName", "providerName", "productCode", "municipalityCode", "providerId"');
  const limit = page.limit ?? null,
    offset = page.offset ?? 0;
  const rows = await run<any>(
    db,
    sql`WITH l AS MATERIALIZED (
       SELECT trim(l.municipality_code) AS "municipalityCode", mu.name AS "municipalityName", l.provider_id AS "providerId", pr.name AS "providerName",
              p.code AS "productCode", p.name AS "productName", to_char(l.month, 'YYYY-MM') AS month, l.lines, l.volume, l.amount_cents AS "amountCents"
       FROM settlement_ledger l JOIN municipality mu ON mu.code = l.municipality_code JOIN provider pr ON pr.id = l.provider_id JOIN product p ON p.id = l.product_id
       WHERE ${scopeSql(scope, { region: 'mu.region_id', municipality: 'l.municipality_code', provider: 'l.provider_id' })}
         AND l.month >= ${from}::date AND l.month < ${to}::date),
     t AS (SELECT count(*)::int AS "totalRows", COALESCE(sum(lines), 0)::int8 AS "totalLines", COALESCE(sum("amountCents"), 0)::int8 AS "totalCents" FROM l)
     SELECT t.*, pg.* FROM t LEFT JOIN LATERAL (SELECT * FROM l ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) pg ON true`,
  );
  const head = rows[0] ?? { totalRows: 0, totalLines: 0, totalCents: 0 };
  const out = rows.filter((r) => r.month !== null).map(({ totalRows: _n, totalLines: _l, totalCents: _c, ...r }) => r);
  return { year, totalCents: Number(head.totalCents), totalRows: head.totalRows, totalLines: Number(head.totalLines), offset, rows: out };
}

/** The page of the ledger the screen opens on (web/src/pages/Messages.tsx, LEDGER_PAGE): the first 100 rows, in month order. */
export const FIRST_LEDGER_PAGE = { limit: 100, offset: 0, desc: false } as const;

/**
 * One page of the ledger, kept while the region's facts stand (an import that books lines raises their version): paging
 * back and forth, or another user of the same scope, does not aggregate the year's lines again.
 */
export const ledgerPage = (
  db: Db,
  scope: DataScope,
  year: number,
  month: number | undefined,
  page: { limit: number; offset: number; sort?: LedgerSort; desc: boolean },
) =>
  cachedFigures(db, scope, `ijw-ledger|${year}|${month ?? ''}|${page.limit}|${page.offset}|${page.sort ?? ''}|${page.desc}`, () =>
    ledger(db, scope, year, month, page),
  );

/** The last year with declaration lines in the region (the ledger's default). */
export async function latestYear(db: Db, regionId: string): Promise<number> {
  const [r] = await db.query(
    `SELECT max(d.period_start) AS last FROM declaration_line d JOIN municipality mu ON mu.code = d.municipality_code WHERE mu.region_id = $1`,
    [regionId],
  );
  return r?.last ? Number(String(r.last).slice(0, 4)) : currentYear();
}

/** A line the iJW import books: the allocation it was checked against (with what that refers to) and the line as declared. */
export interface LineToBook {
  messageId: number;
  lineNo: number;
  allocationId: number;
  municipalityCode: string;
  providerId: number;
  youthId: number;
  productId: number;
  periodStart: string;
  periodEnd: string | null;
  volume: number | null;
  unit: string | null;
  tariffCents: number | null;
  /** As declared, unsigned; a credit (debitCredit 'C') counts negative in every sum. */
  amountCents: number | null;
  debitCredit: string | null;
}

/**
 * The tariff a line is booked with: its own (TR418 held it against the contract tariff), or without one the amount per
 * unit, rounded half away from zero (as PostgreSQL's round(numeric)); 0 without a volume.
 */
export function bookedTariff(l: Pick<LineToBook, 'tariffCents' | 'volume' | 'amountCents'>): number | null {
  if (l.tariffCents !== null) return l.tariffCents;
  if (l.volume === null || !(l.volume > 0)) return 0;
  if (l.amountCents === null) return null;
  const x = l.amountCents / l.volume;
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** The columns of declaration_line that bookLines copies, in this order. */
export const LEDGER_COLUMNS = [
  'allocation_id',
  'municipality_code',
  'provider_id',
  'youth_id',
  'product_id',
  'period_start',
  'period_end',
  'volume',
  'unit',
  'tariff_cents',
  'amount_cents',
  'debit_credit',
  'status',
  'source',
  'ijw_message_id',
  'ijw_line_no',
];

/**
 * Books the accepted lines of a JW323 into declaration_line (source 'jw323'), by COPY of the rows the import holds:
 * each row written once, nothing read back. `lines` is called once and walked once (a generator keeps memory flat);
 * the COPY goes in statements of rowsPerStatement rows on PGlite, with a yield between. Every row is checked by one
 * foreign key against its allocation as a whole (migration 036: its municipality, provider, youth and product are the
 * allocation's), where five look-ups per row were the largest part of the COPY's cost on a server (BENCHMARKS.md,
 * issue 17 §3). Returns the number of lines booked and the municipality × provider × year groups of monitoring facts they change.
 */
export async function bookLines(tx: Db, lines: () => Iterable<LineToBook>): Promise<{ booked: number; groups: FactGroup[] }> {
  const groups = new Map<string, FactGroup>();
  function* rows() {
    for (const l of lines()) {
      const year = Number(l.periodStart.slice(0, 4));
      const key = `${l.municipalityCode}|${l.providerId}|${year}`;
      if (!groups.has(key)) groups.set(key, { municipalityCode: l.municipalityCode, providerId: l.providerId, year });
      yield copyLine([
        l.allocationId,
        l.municipalityCode,
        l.providerId,
        l.youthId,
        l.productId,
        l.periodStart,
        l.periodEnd,
        l.volume,
        l.unit,
        bookedTariff(l),
        l.amountCents,
        l.debitCredit,
        'geaccepteerd',
        'jw323',
        l.messageId,
        l.lineNo,
      ]);
    }
  }
  const booked = await tx.copyRows('declaration_line', LEDGER_COLUMNS, rows(), rowsPerStatement(tx));
  const sorted = [...groups.values()].sort((a, b) => a.municipalityCode.localeCompare(b.municipalityCode) || a.providerId - b.providerId || a.year - b.year);
  return { booked, groups: sorted };
}
