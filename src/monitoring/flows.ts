// Flows after the CBS Beleidsinformatie Jeugd definitions (informatieprotocol, standards/ijw-3.2/docs):
// a jeugdhulptraject has a start and an end date per hulpvorm. Here a trajectory is one youth's allocations
// within one of the region's segments (start = first start, end = last end, open while any allocation is
// open); "met verblijf" is the CBS hulpvorm of the national product code. All in SQL.
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type RawBuilder, type Scope } from '../db/query.ts';

type Sql = RawBuilder<unknown>;
import type { DataScope } from '../access/roles.ts';
import { yearRange } from '../core/dates.ts';

/** Trajectories grouped from the allocations in the role's scope. */
const liveTrajectories = (scope: Scope) => sql`
WITH prod AS MATERIALIZED (
  -- per product its top-level segment and whether its CBS hulpvorm is "met verblijf": one small lookup, so the
  -- allocations need one join and the trajectories group on two integers
  SELECT p.id, COALESCE(s.parent_id, s.id) AS segment_id, COALESCE(np.hulpvorm_name LIKE 'Met verblijf%', false) AS residential
  FROM product p JOIN segment s ON s.id = p.segment_id LEFT JOIN national_product np ON np.code = p.code
),
traj AS (
  SELECT a.youth_id, pr.segment_id, min(a.start_date) AS start_date,
         CASE WHEN bool_or(a.end_date IS NULL) THEN NULL ELSE max(a.end_date) END AS end_date, bool_or(pr.residential) AS residential
  FROM allocation a
  JOIN municipality m ON m.code = a.municipality_code
  JOIN prod pr ON pr.id = a.product_id
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'a.municipality_code', provider: 'a.provider_id' })} AND a.status <> 'ingetrokken'
  GROUP BY a.youth_id, pr.segment_id
)`;

/** The region's trajectories as refreshed with the facts (migration 008); only for the whole region. */
const regionTrajectories = (scope: Scope) => {
  if (scope.municipalityCode !== null || scope.providerId !== null) throw new Error('de trajecten van de hele regio zijn alleen voor een regiobrede rol');
  return sql`
WITH traj AS (
  SELECT youth_id, segment_id, start_date, end_date, residential FROM allocation_trajectory t
  WHERE ${scopeSql(scope, { region: 't.region_id' })}
)`;
};

export type TrajectorySource = 'facts' | 'allocations';

const MONTHS = Array.from({ length: 12 }, (_, k) => k);
/** The bits a..b (month indexes of the year, 0 = January) as an int mask; 0 when the range is empty. */
const rangeMask = (a: string, b: string) => `CASE WHEN ${a} <= ${b} THEN (1 << (${b} + 1)) - (1 << ${a}) ELSE 0 END`;

/**
 * Per month: trajectories started (instroom), ended (uitstroom), running at the month's end (lopend) and the
 * persons in care during the month (each youth once). One pass over the year's trajectories: each gets its start
 * and end month as an index into the year (s, e; open = 1000) and bitmasks of the months it runs through the end
 * of (s ≤ k < e) and is present in (s ≤ k ≤ e); persons OR the masks per youth..
 */
const flowsMonthlySql = (traj: Sql, from: string, to: string) => sql<{
  month: string;
  inflow: number;
  outflow: number;
  running: number;
  persons: number;
}>`${traj},
bounds AS (SELECT array_agg(d::date ORDER BY d) AS b FROM generate_series(${from}::date, ${to}::date, interval '1 month') AS d),
idx AS (
  -- the month of a date as a bucket among the year's 13 month starts: -1 before the year, 0 = January, 12 after it
  SELECT t.youth_id, width_bucket(t.start_date, bounds.b) - 1 AS s,
         CASE WHEN t.end_date IS NULL THEN 1000 ELSE width_bucket(t.end_date, bounds.b) - 1 END AS e
  FROM traj t, bounds WHERE t.start_date < ${to}::date AND (t.end_date IS NULL OR t.end_date >= ${from}::date)
), masks AS (
  SELECT youth_id, s, e, ${sql.raw(rangeMask('greatest(s, 0)', 'least(e - 1, 11)'))} AS running, ${sql.raw(rangeMask('greatest(s, 0)', 'least(e, 11)'))} AS present FROM idx
), counts AS (
  SELECT ${sql.raw(MONTHS.map((k) => `count(*) FILTER (WHERE s = ${k}) AS i${k}, count(*) FILTER (WHERE e = ${k}) AS o${k}, count(*) FILTER (WHERE running & ${1 << k} <> 0) AS r${k}`).join(',\n         '))}
  FROM masks
), persons AS (
  SELECT ${sql.raw(MONTHS.map((k) => `count(*) FILTER (WHERE present & ${1 << k} <> 0) AS p${k}`).join(', '))}
  FROM (SELECT bit_or(present) AS present FROM masks GROUP BY youth_id) y
)
SELECT to_char(${from}::date + make_interval(months => v.k), 'YYYY-MM') AS month, v.inflow::int, v.outflow::int, v.running::int, v.persons::int
FROM counts, persons
CROSS JOIN LATERAL (VALUES ${sql.raw(MONTHS.map((k) => `(${k}, i${k}, o${k}, r${k}, p${k})`).join(', '))}) AS v(k, inflow, outflow, running, persons)
ORDER BY 1`;

/**
 * The year's summary and the moves between segments in one statement, so the trajectories are built once:
 * persons in care (each youth once), with residential care, ended trajectories with their median duration and
 * stay, crisis stays over 28 days; a move is a youth's next trajectory (by start date, started this year) in
 * another segment.
 */
const flowsSummarySql = (traj: Sql, from: string, to: string) => sql<any>`${traj},
active AS (SELECT * FROM traj WHERE start_date < ${to}::date AND (end_date IS NULL OR end_date >= ${from}::date)),
ended AS (SELECT *, (end_date - start_date + 1) AS days FROM traj WHERE end_date >= ${from}::date AND end_date < ${to}::date),
ordered AS (SELECT segment_id, lead(segment_id) OVER w AS next_segment_id, lead(start_date) OVER w AS next_start
            FROM traj WINDOW w AS (PARTITION BY youth_id ORDER BY start_date, segment_id)),
moves AS (
  SELECT f.name AS "from", t.name AS "to", count(*)::int AS youths
  FROM ordered o JOIN segment f ON f.id = o.segment_id JOIN segment t ON t.id = o.next_segment_id
  WHERE o.next_segment_id <> o.segment_id AND o.next_start >= ${from}::date AND o.next_start < ${to}::date
  GROUP BY 1, 2
)
SELECT
  (SELECT count(DISTINCT youth_id) FROM active)::int AS persons,
  (SELECT count(DISTINCT youth_id) FROM active WHERE residential)::int AS residential_persons,
  (SELECT count(*) FROM ended)::int AS ended,
  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM ended)::float8 AS median_days,
  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM ended WHERE residential)::float8 AS median_stay_days,
  (SELECT count(*) FROM active a JOIN segment sg ON sg.id = a.segment_id WHERE (sg.code = 'CRI' OR sg.name ILIKE 'crisis%')
      AND COALESCE(end_date, ${to}::date - 1) - start_date + 1 > 28)::int AS crisis_over_28,
  (SELECT COALESCE(json_agg(moves ORDER BY youths DESC, "from", "to"), '[]') FROM moves) AS transitions`;

const referrersSql = (scope: Scope, from: string, to: string) => sql<{ referrer: string; allocations: number }>`
SELECT COALESCE(r.name, 'onbekend') AS referrer, count(*)::int AS allocations
FROM allocation a JOIN municipality m ON m.code = a.municipality_code LEFT JOIN referrer_type r ON r.code = a.referrer_type
WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'a.municipality_code', provider: 'a.provider_id' })}
  AND a.status <> 'ingetrokken' AND a.start_date >= ${from}::date AND a.start_date < ${to}::date
GROUP BY 1 ORDER BY 2 DESC, 1`;

/**
 * The flows of a year. A region-wide scope reads the refreshed trajectories, a municipality or provider groups its
 * own allocations; `source: 'allocations'` always groups the allocations (for tests and checks).
 */
export async function flows(db: Db, scope: DataScope, year: number, source: TrajectorySource = 'facts') {
  const { from, to } = yearRange(year);
  const wholeRegion = scope.municipalityCode === null && scope.providerId === null;
  const traj = source === 'facts' && wholeRegion ? regionTrajectories(scope) : liveTrajectories(scope);
  const [monthly, [s], referrers] = await Promise.all([
    run(db, flowsMonthlySql(traj, from, to)),
    run(db, flowsSummarySql(traj, from, to)),
    run(db, referrersSql(scope, from, to)),
  ]);
  const transitions: { from: string; to: string; youths: number }[] = s.transitions;
  return {
    regionId: scope.regionId,
    year,
    summary: {
      persons: s.persons,
      residentialPersons: s.residential_persons,
      residentialShare: s.persons ? s.residential_persons / s.persons : 0,
      endedTrajectories: s.ended,
      medianDurationDays: s.median_days,
      medianStayDays: s.median_stay_days,
      crisisOver28Days: s.crisis_over_28,
    },
    monthly: monthly.map((m) => ({ month: m.month, inflow: m.inflow, outflow: m.outflow, running: m.running, persons: m.persons })),
    transitions: transitions.map((t) => ({ from: t.from, to: t.to, youths: t.youths })),
    referrers: referrers.map((r) => ({ referrer: r.referrer, allocations: r.allocations })),
  };
}
