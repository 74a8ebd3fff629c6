// Costs along one dimension (segment, product group, municipality, provider, month, quarter) for a year,
// with the previous year beside it: money, persons counted once per row, average cost per person.
// One SQL statement; the dimension picks a whitelisted key expression, never user text. Year-level
// dimensions read the yearly facts (migration 005), month and quarter the monthly facts (migration 007).
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type RawBuilder, type Scope } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';
import { yearRange } from '../core/dates.ts';
import { typed } from '../db/query.ts';
import { costsByFundingForm } from '../funding/index.ts';

export const COST_DIMENSIONS = ['segment', 'productgroep', 'gemeente', 'aanbieder', 'maand', 'kwartaal', 'bekostiging'] as const;
export type CostDimension = (typeof COST_DIMENSIONS)[number];

const KEY: Record<Exclude<CostDimension, 'bekostiging'>, { key: string; label: string }> = {
  segment: { key: `COALESCE(ps.code, s.code)`, label: `COALESCE(ps.name, s.name)` },
  productgroep: { key: `p.product_group`, label: `p.product_group` },
  gemeente: { key: `trim(d.municipality_code)`, label: `m.name` },
  aanbieder: { key: `pr.agb_code`, label: `pr.name` },
  maand: { key: `to_char(d.period_start, 'MM')`, label: `to_char(d.period_start, 'MM')` },
  kwartaal: { key: `'K' || extract(quarter FROM d.period_start)::text`, label: `'K' || extract(quarter FROM d.period_start)::text` },
};

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

const MM = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));

/**
 * Month and quarter from the monthly facts (migration 007): persons from one mask per youth and year (its
 * months OR-ed together), so a youth counts once per month and once per quarter however many providers,
 * products or municipalities it had; money summed straight from the facts; one row per year, unpivoted to keys.
 * Same parameters as costsSql.
 */
function periodCostsSql(dimension: 'maand' | 'kwartaal', scope: Scope, p: Period): RawBuilder<CostSqlRow> {
  const periods =
    dimension === 'maand'
      ? MM.map((mm, i) => ({ key: mm, mask: 1 << i, amount: `m${mm}` }))
      : [1, 2, 3, 4].map((q) => ({
          key: `K${q}`,
          mask: 7 << (3 * (q - 1)),
          amount: MM.slice(3 * (q - 1), 3 * q)
            .map((mm) => `m${mm}`)
            .join(' + '),
        }));
  return sql<CostSqlRow>`
WITH f AS (
  SELECT f.year, f.youth_id, f.months, ${sql.raw(MM.map((mm) => `f.m${mm}`).join(', '))}
  FROM declaration_month_fact f
  JOIN municipality m ON m.code = f.municipality_code
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'f.municipality_code', provider: 'f.provider_id' })}
    AND f.year >= extract(year FROM ${p.previousFrom}::date)::int AND f.year < extract(year FROM ${p.to}::date)::int
    -- the segment as a filter on product ids: no join over the facts when there is none
    ${
      p.segment === null
        ? sql``
        : sql`AND f.product_id IN (
      SELECT p.id FROM product p JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id WHERE COALESCE(ps.code, s.code) = ${p.segment}::text)`
    }
),
-- persons: one mask per youth and year; money: summed straight from the facts (no numeric sums per youth)
per_youth AS (
  SELECT year, youth_id, bit_or(months) AS months FROM f GROUP BY year, youth_id
), persons AS (
  SELECT year, bit_or(months) AS months, count(youth_id) AS persons,
         ${sql.raw(periods.map((q, i) => `count(youth_id) FILTER (WHERE months & ${q.mask} <> 0) AS p${i}`).join(', '))}
  FROM per_youth GROUP BY year
), money AS (
  SELECT year, sum(${sql.raw(MM.map((mm) => `m${mm}`).join(' + '))}) AS amount, ${sql.raw(periods.map((q, i) => `sum(${q.amount}) AS a${i}`).join(', '))}
  FROM f GROUP BY year
), per_year AS (
  SELECT * FROM persons JOIN money USING (year)
), cells AS (
  SELECT v.key, y.year, v.amount, v.persons
  FROM per_year y CROSS JOIN LATERAL (VALUES
    ${sql.raw(periods.map((q, i) => `('${q.key}', y.a${i}, y.p${i}, y.months & ${q.mask} <> 0)`).join(',\n    '))},
    (NULL, y.amount, y.persons, true)) AS v(key, amount, persons, present)
  WHERE v.present
)
SELECT key, key AS label,
       COALESCE(sum(amount) FILTER (WHERE year = extract(year FROM ${p.from}::date)::int), 0)::int8 AS amount_cents,
       COALESCE(sum(persons) FILTER (WHERE year = extract(year FROM ${p.from}::date)::int), 0)::int AS persons,
       COALESCE(sum(amount) FILTER (WHERE year < extract(year FROM ${p.from}::date)::int), 0)::int8 AS previous_amount_cents,
       COALESCE(sum(persons) FILTER (WHERE year < extract(year FROM ${p.from}::date)::int), 0)::int AS previous_persons
FROM cells GROUP BY key
ORDER BY key NULLS FIRST`;
}

/** The years compared and the segment filter of one cost table. */
interface Period {
  previousFrom: string;
  from: string;
  to: string;
  segment: string | null;
}
interface CostSqlRow {
  key: string | null;
  label: string;
  amount_cents: number;
  persons: number;
  previous_amount_cents: number;
  previous_persons: number;
}

/** The SQL for one dimension, within the role's scope. */
export function costsSql(dimension: Exclude<CostDimension, 'bekostiging'>, scope: Scope, p: Period): RawBuilder<CostSqlRow> {
  if (dimension === 'maand' || dimension === 'kwartaal') return periodCostsSql(dimension, scope, p);
  return linesCostsSql(dimension, scope, p, 'facts');
}

/**
 * The same figures straight from declaration_line (the definition the facts must reproduce; the monthly
 * facts are tested against it). 'facts' reads the yearly facts instead, which only knows years.
 */
export function linesCostsSql(
  dimension: Exclude<CostDimension, 'bekostiging'>,
  scope: Scope,
  p: Period,
  source: 'lines' | 'facts' = 'lines',
): RawBuilder<CostSqlRow> {
  const k = KEY[dimension];
  const from =
    source === 'lines'
      ? sql`SELECT d.municipality_code, d.provider_id, d.product_id, d.youth_id, d.period_start,
              CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END AS amount_cents
       FROM declaration_line d
       WHERE d.status = 'geaccepteerd' AND d.period_start >= ${p.previousFrom}::date AND d.period_start < ${p.to}::date`
      : sql`SELECT f.municipality_code, f.provider_id, f.product_id, f.youth_id, make_date(f.year, 1, 1) AS period_start, f.amount_cents
       FROM declaration_year_fact f
       WHERE f.year >= extract(year FROM ${p.previousFrom}::date)::int AND f.year < extract(year FROM ${p.to}::date)::int`;
  // the provider table only for the provider dimension (every line has a provider: a foreign key)
  return sql<CostSqlRow>`
WITH lines AS (
  SELECT ${sql.raw(k.key)} AS key, ${sql.raw(k.label)} AS label, d.period_start, d.youth_id, d.amount_cents
  FROM (${from}) d
  JOIN municipality m ON m.code = d.municipality_code
  JOIN product p ON p.id = d.product_id
  JOIN segment s ON s.id = p.segment_id
  LEFT JOIN segment ps ON ps.id = s.parent_id${
    dimension === 'aanbieder'
      ? sql`
  JOIN provider pr ON pr.id = d.provider_id`
      : sql``
  }
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'd.municipality_code', provider: 'd.provider_id' })}
    ${p.segment === null ? sql`` : sql`AND COALESCE(ps.code, s.code) = ${p.segment}::text`}
)
SELECT key, min(label) AS label,
       COALESCE(sum(amount_cents) FILTER (WHERE period_start >= ${p.from}::date), 0)::int8 AS amount_cents,
       (count(DISTINCT youth_id) FILTER (WHERE period_start >= ${p.from}::date))::int AS persons,
       COALESCE(sum(amount_cents) FILTER (WHERE period_start < ${p.from}::date), 0)::int8 AS previous_amount_cents,
       (count(DISTINCT youth_id) FILTER (WHERE period_start < ${p.from}::date))::int AS previous_persons
FROM lines GROUP BY GROUPING SETS ((key), ())
ORDER BY key NULLS FIRST`;
}

export interface CostRow {
  key: string;
  label: string;
  amountCents: number;
  persons: number;
  averageCentsPerPerson: number | null;
  previousAmountCents: number;
  previousPersons: number;
  changePct: number | null;
}

const row = (r: CostSqlRow, label: string): CostRow => ({
  key: r.key ?? 'TOTAAL',
  label,
  amountCents: r.amount_cents,
  persons: r.persons,
  averageCentsPerPerson: r.persons ? Math.round(r.amount_cents / r.persons) : null,
  previousAmountCents: r.previous_amount_cents,
  previousPersons: r.previous_persons,
  changePct: r.previous_amount_cents > 0 ? Math.round(((r.amount_cents - r.previous_amount_cents) / r.previous_amount_cents) * 1000) / 10 : null,
});

/** `source: 'lines'` computes the same answer straight from declaration_line (for tests and checks). */
export interface CostTable {
  regionId: string;
  year: number;
  dimension: CostDimension;
  segment: string | null;
  total: CostRow;
  rows: CostRow[];
}

export async function costs(
  db: Db,
  scope: DataScope,
  year: number,
  dimension: CostDimension,
  segmentCode: string | null,
  source: 'facts' | 'lines' = 'facts',
): Promise<CostTable> {
  if (dimension === 'bekostiging') return costsByForm(db, scope, year, segmentCode);
  const { from: previousFrom } = yearRange(year - 1);
  const { from, to } = yearRange(year);
  const p: Period = { previousFrom, from, to, segment: segmentCode };
  const rows = await run(db, source === 'lines' ? linesCostsSql(dimension, scope, p) : costsSql(dimension, scope, p));
  const total = rows.find((r) => r.key === null);
  const label = (r: CostSqlRow) => (dimension === 'maand' ? MONTHS[Number(r.key) - 1] : r.label);
  return {
    regionId: scope.regionId,
    year,
    dimension,
    segment: segmentCode,
    total: total
      ? row(total, 'Totaal')
      : row({ key: null, label: 'Totaal', amount_cents: 0, persons: 0, previous_amount_cents: 0, previous_persons: 0 }, 'Totaal'),
    rows: rows.filter((r) => r.key !== null).map((r) => row(r, label(r))),
  };
}

/**
 * Costs by funding form (issue 15 §6): every form, not only what was declared. Funding's door gives per form the
 * year's cost to the caller: P*Q, profile and trajectory contracts at their outcome from the ledger, lumpsum,
 * availability (plus use) and real-cost contracts at their outcome for the year (a municipality: its share by the
 * contract's key); declarations on products no contract covers stand as P*Q. The declarations booked under a lumpsum
 * or availability contract are not its cost (the contract's outcome is), so this total can differ from the declared
 * total of the other dimensions; the difference is the rows' declaredCents against their amount. Persons are not
 * counted on this dimension (most of these forms are not paid per client). The rows behind each figure: the route
 * /dashboard/costs/bekostiging (payments, instalments, cost statements, and the declarations by provider and segment).
 */
async function costsByForm(db: Db, scope: DataScope, year: number, segmentCode: string | null): Promise<CostTable> {
  const declared = await costs(db, scope, year, 'segment', segmentCode);
  const seg =
    segmentCode === null
      ? null
      : await typed(db)
          .selectFrom('segment')
          .select('id')
          .where('region_id', '=', scope.regionId)
          .where('code', '=', segmentCode)
          .where('parent_id', 'is', null)
          .executeTakeFirst();
  const segmentId = seg ? Number(seg.id) : null;
  const [now, before] = await Promise.all([
    costsByFundingForm(db, scope, year, declared.total.amountCents, segmentId),
    costsByFundingForm(db, scope, year - 1, declared.total.previousAmountCents, segmentId),
  ]);
  const prev = new Map(before.rows.map((r) => [r.form, r.amountCents]));
  const asRow = (key: string | null, label: string, amount: number, previous: number) =>
    row({ key, label, amount_cents: amount, persons: 0, previous_amount_cents: previous, previous_persons: 0 }, label);
  const rows = now.rows
    .filter((r) => r.amountCents !== 0 || (prev.get(r.form) ?? 0) !== 0)
    .map((r) => asRow(r.form, r.label, r.amountCents, prev.get(r.form) ?? 0));
  return {
    regionId: scope.regionId,
    year,
    dimension: 'bekostiging',
    segment: segmentCode,
    total: asRow(
      null,
      'Totaal',
      now.rows.reduce((a, r) => a + r.amountCents, 0),
      before.rows.reduce((a, r) => a + r.amountCents, 0),
    ),
    rows,
  };
}
