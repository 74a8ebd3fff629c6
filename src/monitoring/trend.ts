// The multi-year view (issue 18 §1): per year, along one dimension (segment, municipality, provider), the money, the
// persons and the average cost per person, within the caller's scope. One statement over the yearly facts
// (declaration_year_fact): money summed, persons counted as distinct youths per year and per cell — the dashboard's
// definition (dashboard.ts), so a year's total here equals that year's dashboard total. Whatever years the facts hold.
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type Scope } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';

export const TREND_DIMENSIONS = ['segment', 'gemeente', 'aanbieder'] as const;
export type TrendDimension = (typeof TREND_DIMENSIONS)[number];

/** The key and label per dimension: whitelisted expressions, never user text. */
const KEY: Record<TrendDimension, { key: string; label: string }> = {
  segment: { key: `COALESCE(ps.code, s.code)`, label: `COALESCE(ps.name, s.name)` },
  gemeente: { key: `trim(f.municipality_code)`, label: `m.name` },
  aanbieder: { key: `pr.agb_code`, label: `pr.name` },
};

interface TrendSqlRow {
  year: number;
  key: string | null;
  label: string | null;
  amount_cents: number;
  persons: number;
}

export const trendSql = (scope: Scope, dimension: TrendDimension) => {
  const k = KEY[dimension];
  return sql<TrendSqlRow>`
WITH facts AS (
  SELECT f.year, ${sql.raw(k.key)} AS key, ${sql.raw(k.label)} AS label, f.youth_id, f.amount_cents
  FROM declaration_year_fact f
  JOIN municipality m ON m.code = f.municipality_code${
    dimension === 'segment'
      ? sql`
  JOIN product p ON p.id = f.product_id
  JOIN segment s ON s.id = p.segment_id
  LEFT JOIN segment ps ON ps.id = s.parent_id`
      : sql``
  }${
    dimension === 'aanbieder'
      ? sql`
  JOIN provider pr ON pr.id = f.provider_id`
      : sql``
  }
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'f.municipality_code', provider: 'f.provider_id' })}
)
SELECT year, key, min(label) AS label, sum(amount_cents)::int8 AS amount_cents, count(DISTINCT youth_id)::int AS persons
FROM facts
GROUP BY GROUPING SETS ((year), (year, key))
ORDER BY year, key NULLS FIRST`;
};

export interface TrendFigures {
  year: number;
  amountCents: number;
  persons: number;
  averageCentsPerPerson: number | null;
  changePct: number | null;
}
export interface TrendSeries {
  key: string;
  label: string;
  years: TrendFigures[];
}
export interface Trend {
  regionId: string;
  dimension: TrendDimension;
  years: number[];
  total: TrendSeries;
  rows: TrendSeries[];
}

const average = (amount: number, persons: number) => (persons ? Math.round(amount / persons) : null);
/** Change of the money against the year before, one decimal; null when the year before holds nothing. */
const change = (amount: number, previous: number | undefined) =>
  previous !== undefined && previous > 0 ? Math.round(((amount - previous) / previous) * 1000) / 10 : null;

/** Every year from the first to the last in the facts (a year without declarations shows as 0, not as a gap). */
function series(key: string, label: string, years: number[], cells: Map<number, TrendSqlRow>): TrendSeries {
  return {
    key,
    label,
    years: years.map((year) => {
      const c = cells.get(year);
      const amount = c?.amount_cents ?? 0;
      const persons = c?.persons ?? 0;
      const before = cells.get(year - 1);
      return {
        year,
        amountCents: amount,
        persons,
        averageCentsPerPerson: average(amount, persons),
        changePct: before ? change(amount, before.amount_cents) : null,
      };
    }),
  };
}

export async function trend(db: Db, scope: DataScope, dimension: TrendDimension): Promise<Trend> {
  const rows = await run(db, trendSql(scope, dimension));
  const present = [...new Set(rows.map((r) => r.year))];
  const years: number[] = [];
  if (present.length) for (let y = Math.min(...present); y <= Math.max(...present); y++) years.push(y);
  const totals = new Map(rows.filter((r) => r.key === null).map((r) => [r.year, r]));
  const byKey = new Map<string, { label: string; cells: Map<number, TrendSqlRow> }>();
  for (const r of rows) {
    if (r.key === null) continue;
    const e = byKey.get(r.key) ?? { label: r.label ?? r.key, cells: new Map() };
    e.cells.set(r.year, r);
    byKey.set(r.key, e);
  }
  // largest money in the last year first (then by name): the rows a reader looks for on top
  const out = [...byKey]
    .map(([key, e]) => series(key, e.label, years, e.cells))
    .sort((a, b) => (b.years.at(-1)?.amountCents ?? 0) - (a.years.at(-1)?.amountCents ?? 0) || a.label.localeCompare(b.label, 'nl'));
  return { regionId: scope.regionId, dimension, years, total: series('TOTAAL', 'Totaal', years, totals), rows: out };
}

/** The most recent year with declared money in the region's yearly facts (null without any): the year screens open on. */
export async function latestFactsYear(db: Db, scope: DataScope): Promise<number | null> {
  const [r] = await run(
    db,
    sql<{ year: number | null }>`
    SELECT max(y.year)::int AS year FROM municipality m,
      LATERAL (SELECT max(f.year) AS year FROM declaration_year_fact f WHERE f.municipality_code = m.code) y
    WHERE ${scopeSql(scope, { region: 'm.region_id', regionWideForMunicipalities: true, wholeRegionForProviders: true })}`,
  );
  return r?.year ?? null;
}
