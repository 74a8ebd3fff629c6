// The settlement ledger: the accepted declaration lines booked into declaration_line (by the iJW import, through
// funding's door) and read back per municipality × provider × product × month (view settlement_ledger, 003_ijw.sql).
// Moved here from src/ijw (issue 15 §8): every rule about money lives in src/funding.
import type { DataScope } from '../access/roles.ts';
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, typed, unscoped } from '../db/query.ts';
import { currentYear } from '../core/dates.ts';
import { lineRanges, rowsPerStatement, yieldToEventLoop } from '../core/work.ts';
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

/**
 * Books the accepted lines of a stored JW323 into declaration_line: the allocation the line was checked against gives
 * youth, product and provider; the tariff is the line's, which TR418 held against the contract tariff. Returns the
 * number of lines booked and the groups of monitoring facts they change. (Exported for bench:ijw, which times the
 * database's part of an import on its own.)
 */
export async function bookAcceptedLines(
  tx: Db,
  messageId: number,
  municipalityCode: string,
  totalLines?: number,
): Promise<{ booked: number; groups: FactGroup[] }> {
  const total =
    totalLines ??
    Number(
      (
        await typed(tx)
          .selectFrom('ijw_declaration_line')
          .select(sql<number>`COALESCE(max(line_no), 0)::int`.as('n'))
          .where(unscoped('the lines of the message being booked'))
          .where('message_id', '=', messageId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = new Map<string, FactGroup & { n: number }>();
  for (const [from, to] of lineRanges(total, rowsPerStatement(tx))) {
    // a range of lines per statement (bounded on PGlite's one thread)
    const rows = await tx.query(
      `WITH ins AS (
         INSERT INTO declaration_line (allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit,
                                       tariff_cents, amount_cents, debit_credit, status, source, ijw_message_id, ijw_line_no)
         SELECT a.id, a.municipality_code, a.provider_id, a.youth_id, a.product_id, l.period_start, l.period_end, l.volume::int, l.unit,
                COALESCE(l.tariff_cents, CASE WHEN l.volume > 0 THEN round(l.amount_cents::numeric / l.volume)::int8 ELSE 0 END), l.amount_cents, l.debit_credit,
                'geaccepteerd', 'jw323', l.message_id, l.line_no
         FROM ijw_declaration_line l
         JOIN allocation a ON a.municipality_code = $2 AND ltrim(a.assignment_number, '0') = l.assignment_number::text
         WHERE l.message_id = $1 AND l.line_no BETWEEN $3 AND $4 AND l.status = 'geaccepteerd'
         RETURNING municipality_code, provider_id, extract(year FROM period_start)::int AS year)
       SELECT municipality_code AS m, provider_id AS p, year AS y, count(*)::int AS n FROM ins GROUP BY 1, 2, 3`,
      [messageId, municipalityCode, from, to],
    );
    for (const r of rows) {
      const key = `${r.m}|${r.p}|${r.y}`;
      const g = counts.get(key);
      if (g) g.n += r.n;
      else counts.set(key, { municipalityCode: r.m, providerId: r.p, year: r.y, n: r.n });
    }
    await yieldToEventLoop();
  }
  const sorted = [...counts.values()].sort((a, b) => a.municipalityCode.localeCompare(b.municipalityCode) || a.providerId - b.providerId || a.year - b.year);
  return {
    booked: sorted.reduce((s, r) => s + r.n, 0),
    groups: sorted.map((r) => ({ municipalityCode: r.municipalityCode, providerId: r.providerId, year: r.year })),
  };
}
