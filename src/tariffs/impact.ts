// Budget impact ("rond rekenen"): a tariff set applied to the volumes delivered in a year (accepted declaration
// lines) against a baseline (what was declared, or another set), per municipality, segment, product and provider.
// One SQL statement: every line is priced twice (old, new), then summed along four dimensions with GROUPING SETS.
// Pricing a line is linePrice() of model.ts in SQL: volume × tariff; minutes on an hourly product
// round(volume × H / 60) (IV081); a line in euros (83), a unit that does not fit, or a product the set has no
// tariff for keeps its declared amount. Credit lines count negative.
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type Scope } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';
import { yearRange } from '../core/dates.ts';

export type Scenario = { kind: 'gedeclareerd' } | { kind: 'set'; id: number; name: string; validFrom: string; status: string; tariffs: Map<number, number> };
export const IMPACT_DIMENSIONS = ['gemeente', 'segment', 'product', 'aanbieder'] as const;
export type ImpactDimension = (typeof IMPACT_DIMENSIONS)[number];

export interface ImpactRow {
  key: string;
  label: string;
  lines: number;
  oldCents: number;
  newCents: number;
  diffCents: number;
  diffPct: number | null;
}
export interface Impact {
  regionId: string;
  year: number;
  scope: string;
  baseline: ScenarioInfo;
  proposed: ScenarioInfo;
  total: ImpactRow;
  rows: Record<ImpactDimension, ImpactRow[]>;
  /** Lines whose product has no tariff in the proposed set: priced at their baseline amount. */
  unpriced: { lines: number; oldCents: number };
}
export interface ScenarioInfo {
  kind: 'gedeclareerd' | 'set';
  id: number | null;
  name: string;
  validFrom: string | null;
  status: string | null;
}

export const scenarioInfo = (s: Scenario, year: number): ScenarioInfo =>
  s.kind === 'gedeclareerd'
    ? { kind: 'gedeclareerd', id: null, name: `Gedeclareerd in ${year}`, validFrom: null, status: null }
    : { kind: 'set', id: s.id, name: s.name, validFrom: s.validFrom, status: s.status };

const price = (t: 'a' | 'b') => `CASE
  WHEN ${t}.cents IS NULL THEN g.amount
  WHEN g.unit = g.punit AND g.unit <> '83' THEN g.volume * ${t}.cents
  WHEN g.unit = '01' AND g.punit = '04' THEN g.lines * round(g.minute_volume::numeric * ${t}.cents / 60)::int8
  ELSE g.amount END`;

/**
 * The year's accepted lines within the role's scope (the region's, or a municipality's residents'; no provider's),
 * priced at the baseline's and the proposed tariffs (product ids and cents as two arrays each). The lines are first summed per municipality × product × provider × unit × sign (and per volume for minutes,
 * whose rounding is per line), so pricing a group is exactly the sum of pricing its lines.
 */
const impactSql = (scope: Scope, from: string, to: string, a: [number[], number[]], b: [number[], number[]]) => sql<any>`
WITH a AS (SELECT * FROM unnest(${a[0]}::int[], ${a[1]}::int8[]) AS a(product_id, cents)),
     b AS (SELECT * FROM unnest(${b[0]}::int[], ${b[1]}::int8[]) AS b(product_id, cents)),
lines AS (
  SELECT d.municipality_code, d.product_id, d.provider_id, trim(d.unit) AS unit, CASE d.debit_credit WHEN 'C' THEN -1 ELSE 1 END AS sign,
         minute_volume, lines, volume, amount
  FROM (SELECT d.municipality_code, d.product_id, d.provider_id, d.unit, d.debit_credit, CASE WHEN d.unit = '01' THEN d.volume END AS minute_volume,
               count(*)::int8 AS lines, sum(d.volume)::int8 AS volume, sum(d.amount_cents)::int8 AS amount
        FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
        WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'd.municipality_code', noneForProviders: true })}
          AND d.status = 'geaccepteerd' AND d.period_start >= ${from}::date AND d.period_start < ${to}::date
        GROUP BY 1, 2, 3, 4, 5, 6) d
),
g AS (
  SELECT l.*, trim(p.unit) AS punit, trim(l.municipality_code) AS mcode, m.name AS mname,
         COALESCE(ps.code, s.code, '-') AS scode, COALESCE(ps.name, s.name, 'Zonder segment') AS sname,
         p.id AS pid, p.code || ' ' || p.name AS plabel, pr.agb_code AS agb, pr.name AS prname
  FROM lines l JOIN municipality m ON m.code = l.municipality_code JOIN product p ON p.id = l.product_id
  LEFT JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id JOIN provider pr ON pr.id = l.provider_id
),
priced AS (
  SELECT g.mcode, g.mname, g.scode, g.sname, g.pid, g.plabel, g.agb, g.prname, g.lines, (b.cents IS NULL) AS unpriced,
         g.sign * (${sql.raw(price('a'))}) AS old_cents, g.sign * (${sql.raw(price('b'))}) AS new_cents
  FROM g LEFT JOIN a ON a.product_id = g.product_id LEFT JOIN b ON b.product_id = g.product_id
)
SELECT CASE WHEN GROUPING(mcode) = 0 THEN 'gemeente' WHEN GROUPING(scode) = 0 THEN 'segment'
            WHEN GROUPING(pid) = 0 THEN 'product' WHEN GROUPING(agb) = 0 THEN 'aanbieder' ELSE 'totaal' END AS dim,
       COALESCE(mcode, scode, pid::text, agb) AS key,
       CASE WHEN GROUPING(mcode) = 0 THEN min(mname) WHEN GROUPING(scode) = 0 THEN min(sname)
            WHEN GROUPING(pid) = 0 THEN min(plabel) WHEN GROUPING(agb) = 0 THEN min(prname) END AS label,
       sum(lines)::int AS lines, COALESCE(sum(old_cents), 0)::int8 AS old_cents, COALESCE(sum(new_cents), 0)::int8 AS new_cents,
       COALESCE(sum(lines) FILTER (WHERE unpriced), 0)::int AS unpriced_lines, COALESCE(sum(old_cents) FILTER (WHERE unpriced), 0)::int8 AS unpriced_old
FROM priced
GROUP BY GROUPING SETS ((mcode), (scode), (pid), (agb), ())`;

const row = (r: any): ImpactRow => ({
  key: r.key ?? 'TOTAAL',
  label: r.label ?? 'Totaal',
  lines: r.lines,
  oldCents: r.old_cents,
  newCents: r.new_cents,
  diffCents: r.new_cents - r.old_cents,
  diffPct: r.old_cents !== 0 ? Math.round(((r.new_cents - r.old_cents) / Math.abs(r.old_cents)) * 10000) / 100 : null,
});

const arrays = (s: Scenario): [number[], number[]] => (s.kind === 'gedeclareerd' ? [[], []] : [[...s.tariffs.keys()], [...s.tariffs.values()]]);

export async function budgetImpact(db: Db, scope: DataScope, year: number, baseline: Scenario, proposed: Scenario): Promise<Impact> {
  const { from, to } = yearRange(year);
  const rows = await run(db, impactSql(scope, from, to, arrays(baseline), arrays(proposed)));
  const total = rows.find((r) => r.dim === 'totaal');
  const by = (d: ImpactDimension) =>
    rows
      .filter((r) => r.dim === d)
      .map(row)
      .sort((x, y) => y.newCents - x.newCents || x.label.localeCompare(y.label, 'nl'));
  return {
    regionId: scope.regionId,
    year,
    scope: scope.label,
    baseline: scenarioInfo(baseline, year),
    proposed: scenarioInfo(proposed, year),
    total: total ? row(total) : row({ lines: 0, old_cents: 0, new_cents: 0 }),
    rows: { gemeente: by('gemeente'), segment: by('segment'), product: by('product'), aanbieder: by('aanbieder') },
    // a declared baseline has no tariffs of its own; "unpriced" is about the proposed set only
    unpriced: proposed.kind === 'set' ? { lines: total?.unpriced_lines ?? 0, oldCents: total?.unpriced_old ?? 0 } : { lines: 0, oldCents: 0 },
  };
}
