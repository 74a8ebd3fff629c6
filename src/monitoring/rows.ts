// Drill-down: the rows behind one figure of the cost tables. The filters are the keys of those tables
// (segment, municipality, provider, product group, month, quarter), so the rows of a figure add up to it.
// The region-wide roles get aggregates per provider × product × month (no persons); a municipality or a
// provider gets the accepted declaration lines themselves with the youth's pseudonym (personal data:
// the route audits every read). Accepted lines only, credits negative, like the facts.
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type RawBuilder } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';
import { badRequest } from '../core/errors.ts';

export interface RowsFilter {
  year: number;
  segment: string | null; // top-level segment code (sub-segments roll up, as in the cost tables)
  municipalityCode: string | null;
  agbCode: string | null; // provider, as keyed in the cost tables
  productGroup: string | null;
  month: number | null; // 1–12
  quarter: number | null; // 1–4
}

export interface DeclarationRow {
  lineId: number;
  periodStart: string;
  periodEnd: string;
  municipalityCode: string;
  municipalityName: string;
  providerId: number;
  agbCode: string;
  providerName: string;
  productCode: string;
  productName: string;
  productGroup: string;
  youthId: number | null;
  pseudonym: string | null;
  volume: number;
  unit: string;
  tariffCents: number;
  debitCredit: string;
  amountCents: number;
}
export interface AggregateRow {
  month: string;
  providerId: number;
  agbCode: string;
  providerName: string;
  productCode: string;
  productName: string;
  productGroup: string;
  lines: number;
  amountCents: number;
}
export interface RowsPage {
  regionId: string;
  year: number;
  kind: 'regels' | 'totalen';
  total: { rows: number; amountCents: number; persons: number | null };
  limit: number | null;
  offset: number;
  lines: DeclarationRow[];
  aggregates: AggregateRow[];
}

/** More rows than this in one export is almost certainly a mistake; the filters narrow it. */
export const MAX_EXPORT_ROWS = 200_000;

/** Region-wide scopes see aggregates; a municipality or a provider sees its own lines. */
export const isPersonalScope = (scope: DataScope) => scope.municipalityCode !== null || scope.providerId !== null;

function period(f: RowsFilter): { from: string; to: string } {
  const iso = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`;
  const next = (m: number) => (m > 12 ? iso(f.year + 1, m - 12) : iso(f.year, m));
  if (f.month !== null && f.quarter !== null && Math.ceil(f.month / 3) !== f.quarter)
    throw badRequest(`Maand ${f.month} valt niet in kwartaal ${f.quarter}`, 'maand');
  if (f.month !== null) return { from: iso(f.year, f.month), to: next(f.month + 1) };
  if (f.quarter !== null) return { from: iso(f.year, 3 * f.quarter - 2), to: next(3 * f.quarter + 1) };
  return { from: iso(f.year, 1), to: iso(f.year + 1, 1) };
}

type Sql = RawBuilder<unknown>;
/** `AND <condition>` when the filter is set, nothing when it is not. */
const and = <T>(value: T | null, cond: (v: T) => Sql): Sql => (value === null ? sql`` : sql` AND ${cond(value)}`);

/** The figure's own filters (the keys of the cost tables), on the line or fact columns named. */
function figureFilters(f: RowsFilter, c: { municipality: string; provider: string; product: string }): Sql {
  return sql`${and(f.municipalityCode, (v) => sql`${sql.ref(c.municipality)} = ${v}::bpchar`)}
    ${and(f.agbCode, (v) => sql`${sql.ref(c.provider)} IN (SELECT id FROM provider WHERE trim(agb_code) = ${v}::text)`)}
    ${and(f.productGroup, (v) => sql`${sql.ref(c.product)} IN (SELECT id FROM product WHERE product_group = ${v}::text)`)}
    ${and(
      f.segment,
      (v) => sql`${sql.ref(c.product)} IN (
      SELECT p.id FROM product p JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id WHERE COALESCE(ps.code, s.code) = ${v}::text)`,
    )}`;
}

const linesFromWhere = (scope: DataScope, f: RowsFilter, from: string, to: string) => sql`
  FROM declaration_line d
  JOIN municipality m ON m.code = d.municipality_code
  JOIN product p ON p.id = d.product_id
  JOIN provider pr ON pr.id = d.provider_id
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'd.municipality_code', provider: 'd.provider_id' })}
    AND d.status = 'geaccepteerd' AND d.period_start >= ${from}::date AND d.period_start < ${to}::date
    ${figureFilters(f, { municipality: 'd.municipality_code', provider: 'd.provider_id', product: 'd.product_id' })}`;

const AMOUNT = sql.raw(`CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END`);

// A municipality's or provider's own lines: one page, in an order the index on (municipality, period) mostly
// gives, so the database reads little more than the page. The youth's pseudonym is joined for the page only.
const linesPage = (scope: DataScope, f: RowsFilter, from: string, to: string, limit: number | null, offset: number) => sql<DeclarationRow>`
SELECT d.id AS "lineId", d.period_start AS "periodStart", d.period_end AS "periodEnd", trim(d.municipality_code) AS "municipalityCode",
       m.name AS "municipalityName", d.provider_id AS "providerId", trim(pr.agb_code) AS "agbCode", pr.name AS "providerName",
       p.code AS "productCode", p.name AS "productName", p.product_group AS "productGroup", d.youth_id AS "youthId",
       (SELECT y.pseudonym FROM youth y WHERE y.id = d.youth_id) AS pseudonym,
       d.volume, trim(d.unit) AS unit, d.tariff_cents AS "tariffCents", d.debit_credit AS "debitCredit", (${AMOUNT})::int8 AS "amountCents"
  ${linesFromWhere(scope, f, from, to)}
ORDER BY d.period_start, d.municipality_code, trim(pr.agb_code), p.code, d.id
LIMIT ${limit} OFFSET ${offset}`;

type AggregateResult = AggregateRow & { total_rows: number; total_amount: number; total_persons: null };

// One month of the region's lines is a narrow index range: grouping them directly is faster than reading
// the region's whole year of monthly facts (measured on the national set, BENCHMARKS.md). Same answer.
const aggregatesFromLines = (scope: DataScope, f: RowsFilter, from: string, to: string, limit: number | null, offset: number) => sql<AggregateResult>`
WITH r AS (
  SELECT to_char(d.period_start, 'YYYY-MM') AS month, d.provider_id AS "providerId", min(trim(pr.agb_code)) AS "agbCode", min(pr.name) AS "providerName",
         p.code AS "productCode", min(p.name) AS "productName", min(p.product_group) AS "productGroup",
         count(*)::int AS lines, sum(${AMOUNT})::int8 AS "amountCents"
  ${linesFromWhere(scope, f, from, to)}
  GROUP BY 1, d.provider_id, p.code
), tot AS (
  SELECT count(*)::int AS total_rows, COALESCE(sum("amountCents"), 0)::int8 AS total_amount, NULL::int AS total_persons FROM r
)
SELECT tot.*, page.* FROM tot
LEFT JOIN LATERAL (SELECT * FROM r ORDER BY month, "providerName", "productCode" LIMIT ${limit} OFFSET ${offset}) page ON true
ORDER BY page.month, page."providerName", page."productCode"`;

const MM = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
/** The sum of a fact row's month columns (`m` money, `l` lines) over the months of the mask (our own bits, not input). */
const inMask = (row: string, col: 'm' | 'l', mask: number) =>
  sql.raw(
    MM.filter((_, i) => mask & (1 << i))
      .map((mm) => `${row}.${col}${mm}`)
      .join(' + ') || '0',
  );

// The region's aggregates and a person's totals come from the monthly facts (migration 007): the same sums and
// line counts as grouping the lines (tested), a fraction of the rows. The filters are on ids (not joins), so that
// grouping the facts needs no other table.
const factsFromWhere = (scope: DataScope, f: RowsFilter, mask: number, join: Sql = sql``) => sql`
  FROM declaration_month_fact f
  JOIN municipality m ON m.code = f.municipality_code
  ${join}
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'f.municipality_code', provider: 'f.provider_id' })}
    AND f.year = ${f.year}::int AND f.months & ${mask}::int <> 0
    ${figureFilters(f, { municipality: 'f.municipality_code', provider: 'f.provider_id', product: 'f.product_id' })}`;

const aggregatesFromFacts = (scope: DataScope, f: RowsFilter, mask: number, limit: number | null, offset: number) => sql<AggregateResult>`
WITH g AS (
  SELECT f.provider_id, p.code AS product_code, min(p.name) AS product_name, min(p.product_group) AS product_group, bit_or(f.months) & ${mask}::int AS months,
         ${sql.raw(MM.map((mm) => `sum(f.m${mm}) AS m${mm}, sum(f.l${mm}) AS l${mm}`).join(', '))}
  ${factsFromWhere(scope, f, mask, sql`JOIN product p ON p.id = f.product_id`)}
  GROUP BY f.provider_id, p.code
), tot AS (
  -- a row per group and month of the mask: the months bits count them, the masked months' money sums them
  SELECT COALESCE(sum(bit_count(g.months::bit(12))), 0)::int AS total_rows,
         COALESCE(sum(${inMask('g', 'm', mask)}), 0)::int8 AS total_amount,
         NULL::int AS total_persons
  FROM g
), r AS (
  SELECT ${f.year}::int || '-' || v.mm AS month, g.provider_id AS "providerId", trim(pr.agb_code) AS "agbCode", pr.name AS "providerName",
         g.product_code AS "productCode", g.product_name AS "productName", g.product_group AS "productGroup", v.lines::int AS lines, v.amount::int8 AS "amountCents"
  FROM g
  CROSS JOIN LATERAL (VALUES ${sql.raw(MM.map((mm, i) => `('${mm}', ${1 << i}, g.m${mm}, g.l${mm})`).join(', '))}) AS v(mm, bit, amount, lines)
  JOIN provider pr ON pr.id = g.provider_id
  WHERE g.months & v.bit <> 0
)
SELECT tot.*, page.* FROM tot
LEFT JOIN LATERAL (SELECT * FROM r ORDER BY month, "providerName", "productCode" LIMIT ${limit} OFFSET ${offset}) page ON true
ORDER BY page.month, page."providerName", page."productCode"`;

// The total of a municipality's or provider's lines, from the monthly facts: the lines, money and persons (each
// youth once) in the months of the mask; equal to counting the lines themselves (tested), without reading them.
const linesTotal = (scope: DataScope, f: RowsFilter, mask: number) => sql<{ total_rows: number; total_amount: number; total_persons: number }>`
SELECT COALESCE(sum(${inMask('f', 'l', mask)}), 0)::int AS total_rows,
       COALESCE(sum(${inMask('f', 'm', mask)}), 0)::int8 AS total_amount,
       count(DISTINCT f.youth_id)::int AS total_persons
  ${factsFromWhere(scope, f, mask)}`;

/** One page of the rows behind a figure (limit null: all rows, for the exports), with the total of all rows. */
export async function drillDown(db: Db, scope: DataScope, f: RowsFilter, limit: number | null, offset = 0): Promise<RowsPage> {
  const { from, to } = period(f);
  const personal = isPersonalScope(scope);
  // the months of the figure as a bitmask of the monthly facts (bit 0 = January)
  const mask = f.month !== null ? 1 << (f.month - 1) : f.quarter !== null ? 7 << (3 * (f.quarter - 1)) : 0xfff;
  if (personal) {
    const [page, [head]] = await Promise.all([run(db, linesPage(scope, f, from, to, limit, offset)), run(db, linesTotal(scope, f, mask))]);
    return {
      regionId: scope.regionId,
      year: f.year,
      kind: 'regels',
      total: { rows: head.total_rows, amountCents: head.total_amount, persons: head.total_persons },
      limit,
      offset,
      lines: page as DeclarationRow[],
      aggregates: [],
    };
  }
  const result = await run(db, f.month !== null ? aggregatesFromLines(scope, f, from, to, limit, offset) : aggregatesFromFacts(scope, f, mask, limit, offset));
  const head = result[0] ?? { total_rows: 0, total_amount: 0, total_persons: null };
  const rows = result.filter((r) => r.month !== null).map(({ total_rows, total_amount, total_persons, ...r }) => r);
  return {
    regionId: scope.regionId,
    year: f.year,
    kind: 'totalen',
    total: { rows: head.total_rows, amountCents: head.total_amount, persons: null },
    limit,
    offset,
    lines: [],
    aggregates: rows as AggregateRow[],
  };
}
