// The home dashboard as one SQL query: costs, persons and providers per segment and per municipality,
// for one region and year, within the caller's data scope. Persons are de-duplicated per level.
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type Scope } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';

export interface DashboardRow {
  segmentId: number | null;
  municipalityCode: string | null;
  amountCents: number;
  persons: number;
  providers: number;
}

/** Accepted declaration lines (credits negative; via the yearly facts of migration 005), sub-segments rolled up to their segment. */
export const dashboardSql = (scope: Scope, year: number) => sql<{
  segment_id: number | null;
  municipality_code: string | null;
  amount_cents: number;
  persons: number;
  providers: number;
}>`
WITH lines AS (
  SELECT f.municipality_code, f.provider_id, f.youth_id, COALESCE(s.parent_id, s.id) AS segment_id, f.amount_cents
  FROM declaration_year_fact f
  JOIN municipality m ON m.code = f.municipality_code
  JOIN product p ON p.id = f.product_id
  JOIN segment s ON s.id = p.segment_id
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'f.municipality_code', provider: 'f.provider_id' })} AND f.year = ${year}::int
)
SELECT segment_id, trim(municipality_code) AS municipality_code,
       sum(amount_cents)::int8 AS amount_cents,
       count(DISTINCT youth_id)::int AS persons,
       count(DISTINCT provider_id)::int AS providers
FROM lines
GROUP BY GROUPING SETS ((), (segment_id), (municipality_code), (segment_id, municipality_code))`;

export async function dashboardRows(db: Db, scope: DataScope, year: number): Promise<DashboardRow[]> {
  const rows = await run(db, dashboardSql(scope, year));
  return rows.map((r) => ({
    segmentId: r.segment_id,
    municipalityCode: r.municipality_code,
    amountCents: r.amount_cents,
    persons: r.persons,
    providers: r.providers,
  }));
}

export async function dashboard(db: Db, scope: DataScope, year: number) {
  const [rows, segments, municipalities] = await Promise.all([
    dashboardRows(db, scope, year),
    db.query<{ id: number; code: string; name: string }>(
      `SELECT id, code, name FROM segment WHERE region_id = $1 AND parent_id IS NULL ORDER BY sort_order, id`,
      [scope.regionId],
    ),
    db.query<{ code: string; name: string }>(
      `SELECT trim(code) AS code, name FROM municipality WHERE region_id = $1 AND ($2::text IS NULL OR code = $2::text) ORDER BY name`,
      [scope.regionId, scope.municipalityCode],
    ),
  ]);
  const total = rows.find((r) => r.segmentId === null && r.municipalityCode === null);
  const segCode = new Map(segments.map((s) => [s.id, s.code]));
  const bySegment = segments.map((s) => {
    const r = rows.find((x) => x.segmentId === s.id && x.municipalityCode === null);
    return { segmentId: s.id, code: s.code, name: s.name, amountCents: r?.amountCents ?? 0, persons: r?.persons ?? 0, providers: r?.providers ?? 0 };
  });
  const byMunicipality = municipalities.map((m) => {
    const r = rows.find((x) => x.municipalityCode === m.code && x.segmentId === null);
    const segs: Record<string, { amountCents: number; persons: number }> = {};
    for (const x of rows) {
      if (x.municipalityCode === m.code && x.segmentId !== null)
        segs[segCode.get(x.segmentId) ?? String(x.segmentId)] = { amountCents: x.amountCents, persons: x.persons };
    }
    return { code: m.code, name: m.name, amountCents: r?.amountCents ?? 0, persons: r?.persons ?? 0, segments: segs };
  });
  return {
    regionId: scope.regionId,
    year,
    totals: { amountCents: total?.amountCents ?? 0, persons: total?.persons ?? 0, providers: total?.providers ?? 0, municipalities: municipalities.length },
    bySegment,
    byMunicipality,
  };
}
