// Flows after the CBS Beleidsinformatie Jeugd definitions (informatieprotocol, ../shared/standards/ijw-3.2/docs):
// a jeugdhulptraject has a start and an end date per hulpvorm. Here a trajectory is one youth's allocations
// within one of the region's segments (start = first start, end = last end, open while any allocation is
// open); "met verblijf" is the CBS hulpvorm of the national product code. All in SQL.
import type { Db } from '../db/index.ts';
import type { DataScope } from '../access/roles.ts';
import { yearRange } from '../core/dates.ts';

const TRAJECTORIES = `
WITH alloc AS (
  SELECT a.youth_id, COALESCE(s.parent_id, s.id) AS segment_id, a.start_date, a.end_date, a.referrer_type,
         COALESCE(np.hulpvorm_name LIKE 'Met verblijf%', false) AS residential
  FROM allocation a
  JOIN municipality m ON m.code = a.municipality_code
  JOIN product p ON p.id = a.product_id
  JOIN segment s ON s.id = p.segment_id
  LEFT JOIN national_product np ON np.code = p.code
  WHERE m.region_id = $1 AND a.status <> 'ingetrokken'
    AND ($4::text IS NULL OR a.municipality_code = $4::bpchar) AND ($5::int IS NULL OR a.provider_id = $5::int)
),
traj AS (
  SELECT t.youth_id, t.segment_id, sg.code AS segment_code, sg.name AS segment_name, min(t.start_date) AS start_date,
         CASE WHEN bool_or(t.end_date IS NULL) THEN NULL ELSE max(t.end_date) END AS end_date, bool_or(t.residential) AS residential
  FROM alloc t JOIN segment sg ON sg.id = t.segment_id GROUP BY t.youth_id, t.segment_id, sg.code, sg.name
)`;

/** Per month: trajectories started (instroom), ended (uitstroom) and running at the month's end (lopend). $2 year start, $3 year end. */
export const FLOWS_MONTHLY_SQL = `${TRAJECTORIES}
SELECT to_char(mo, 'YYYY-MM') AS month,
       (SELECT count(*) FROM traj WHERE start_date >= mo AND start_date < mo + interval '1 month')::int AS inflow,
       (SELECT count(*) FROM traj WHERE end_date >= mo AND end_date < mo + interval '1 month')::int AS outflow,
       (SELECT count(*) FROM traj WHERE start_date < mo + interval '1 month' AND (end_date IS NULL OR end_date >= mo + interval '1 month'))::int AS running,
       (SELECT count(DISTINCT youth_id) FROM traj WHERE start_date < mo + interval '1 month' AND (end_date IS NULL OR end_date >= mo))::int AS persons
FROM generate_series($2::date, $3::date - interval '1 day', interval '1 month') AS mo
ORDER BY 1`;

export const FLOWS_SUMMARY_SQL = `${TRAJECTORIES},
active AS (SELECT * FROM traj WHERE start_date < $3::date AND (end_date IS NULL OR end_date >= $2::date)),
ended AS (SELECT *, (end_date - start_date + 1) AS days FROM traj WHERE end_date >= $2::date AND end_date < $3::date)
SELECT
  (SELECT count(DISTINCT youth_id) FROM active)::int AS persons,
  (SELECT count(DISTINCT youth_id) FROM active WHERE residential)::int AS residential_persons,
  (SELECT count(*) FROM ended)::int AS ended,
  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM ended)::float8 AS median_days,
  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM ended WHERE residential)::float8 AS median_stay_days,
  (SELECT count(*) FROM active WHERE (segment_code = 'CRI' OR segment_name ILIKE 'crisis%')
      AND COALESCE(end_date, $3::date - 1) - start_date + 1 > 28)::int AS crisis_over_28`;

/** Moves between segments: a youth's next trajectory (by start date, started this year) in another segment. */
export const FLOWS_TRANSITIONS_SQL = `${TRAJECTORIES},
ordered AS (SELECT youth_id, segment_name, start_date, lead(segment_name) OVER w AS next_segment, lead(start_date) OVER w AS next_start
            FROM traj WINDOW w AS (PARTITION BY youth_id ORDER BY start_date, segment_id))
SELECT segment_name AS "from", next_segment AS "to", count(*)::int AS youths
FROM ordered WHERE next_segment IS NOT NULL AND next_segment <> segment_name AND next_start >= $2::date AND next_start < $3::date
GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`;

export const REFERRERS_SQL = `
SELECT COALESCE(r.name, 'onbekend') AS referrer, count(*)::int AS allocations
FROM allocation a JOIN municipality m ON m.code = a.municipality_code LEFT JOIN referrer_type r ON r.code = a.referrer_type
WHERE m.region_id = $1 AND a.status <> 'ingetrokken' AND a.start_date >= $2::date AND a.start_date < $3::date
  AND ($4::text IS NULL OR a.municipality_code = $4::bpchar) AND ($5::int IS NULL OR a.provider_id = $5::int)
GROUP BY 1 ORDER BY 2 DESC, 1`;

export async function flows(db: Db, scope: DataScope, year: number) {
  const { from, to } = yearRange(year);
  const p = [scope.regionId, from, to, scope.municipalityCode, scope.providerId];
  const [monthly, [s], transitions, referrers] = await Promise.all([
    db.query(FLOWS_MONTHLY_SQL, p), db.query(FLOWS_SUMMARY_SQL, p), db.query(FLOWS_TRANSITIONS_SQL, p), db.query(REFERRERS_SQL, p),
  ]);
  return {
    regionId: scope.regionId, year,
    summary: {
      persons: s.persons, residentialPersons: s.residential_persons,
      residentialShare: s.persons ? s.residential_persons / s.persons : 0,
      endedTrajectories: s.ended, medianDurationDays: s.median_days, medianStayDays: s.median_stay_days, crisisOver28Days: s.crisis_over_28,
    },
    monthly: monthly.map((m) => ({ month: m.month, inflow: m.inflow, outflow: m.outflow, running: m.running, persons: m.persons })),
    transitions: transitions.map((t) => ({ from: t.from, to: t.to, youths: t.youths })),
    referrers: referrers.map((r) => ({ referrer: r.referrer, allocations: r.allocations })),
  };
}
