// Provider concentration (brief §6, seed 003 §7): how much of the money sits with how few providers.
// Everything is computed in SQL with window functions over one region and year, within the caller's scope.
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type Scope } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';

/**
 * Money, clients and municipalities per provider, per segment (segment_id) and over all segments
 * (segment_id NULL), ranked by money. Accepted lines, credits negative; providers with a positive total.
 */
const rankedCte = (scope: Scope, year: number) => sql`
WITH lines AS (
  SELECT f.municipality_code, f.provider_id, f.youth_id, COALESCE(s.parent_id, s.id) AS segment_id, f.amount_cents
  FROM declaration_year_fact f
  JOIN municipality m ON m.code = f.municipality_code
  JOIN product p ON p.id = f.product_id
  JOIN segment s ON s.id = p.segment_id
  -- market figures are the region's and the municipalities' (the routes offer them to no provider)
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'f.municipality_code', noneForProviders: true })} AND f.year = ${year}::int
),
per_provider AS (
  SELECT segment_id, provider_id, sum(amount_cents) AS amount, count(DISTINCT youth_id) AS clients,
         count(DISTINCT municipality_code) AS municipalities
  FROM lines GROUP BY GROUPING SETS ((segment_id, provider_id), (provider_id))
),
ranked AS (
  SELECT segment_id, provider_id, amount, clients, municipalities,
         row_number() OVER w AS rank,
         sum(amount) OVER (w ROWS UNBOUNDED PRECEDING) AS cum,
         sum(amount) OVER (PARTITION BY segment_id) AS total,
         count(*) OVER (PARTITION BY segment_id) AS n
  FROM per_provider WHERE amount > 0
  WINDOW w AS (PARTITION BY segment_id ORDER BY amount DESC, provider_id)
)`;

/** One row per segment (and one with segment_id NULL for all segments): the concentration measures. */
const concentrationSql = (scope: Scope, year: number, municipalityCount: number) => sql<any>`${rankedCte(scope, year)}
SELECT segment_id, max(n)::int AS providers, max(total)::int8 AS amount_cents,
       (sum(amount) FILTER (WHERE rank <= 1))::float8 / max(total) AS top1,
       (sum(amount) FILTER (WHERE rank <= 3))::float8 / max(total) AS top3,
       (sum(amount) FILTER (WHERE rank <= 10))::float8 / max(total) AS top10,
       (count(*) FILTER (WHERE (cum - amount) * 2 < total))::int AS for50,
       (count(*) FILTER (WHERE (cum - amount) * 4 < total * 3))::int AS for75,
       sum((amount::float8 / total) ^ 2) * 10000 AS hhi,
       (count(*) FILTER (WHERE clients <= 10))::int AS clients_1_10,
       (count(*) FILTER (WHERE clients BETWEEN 11 AND 100))::int AS clients_11_100,
       (count(*) FILTER (WHERE clients > 100))::int AS clients_over_100,
       (count(*) FILTER (WHERE municipalities = 1))::int AS in_one_municipality,
       (count(*) FILTER (WHERE municipalities = ${municipalityCount}::int))::int AS in_all_municipalities,
       array_agg(round((cum::numeric / total), 4)::float8 ORDER BY rank) AS pareto
FROM ranked GROUP BY segment_id`;

/** The providers of one segment (or all: segment NULL) ranked by money, with their cumulative share. */
const providerRankingSql = (scope: Scope, year: number, segmentId: number | null) => sql<any>`${rankedCte(scope, year)}
SELECT r.rank::int, r.provider_id, p.agb_code, p.name, r.amount::int8 AS amount_cents, r.clients::int, r.municipalities::int,
       r.amount::float8 / r.total AS share, r.cum::float8 / r.total AS cumulative_share
FROM ranked r JOIN provider p ON p.id = r.provider_id
WHERE r.segment_id IS NOT DISTINCT FROM ${segmentId}::int
ORDER BY r.rank`;

export interface SegmentConcentration {
  segmentId: number | null;
  code: string;
  name: string;
  providers: number;
  amountCents: number;
  top1Share: number;
  top3Share: number;
  top10Share: number;
  /** the smallest number of providers that together hold 50% / 75% of the money */
  providersFor50: number;
  providersFor75: number;
  /** Herfindahl-Hirschman index, 0–10,000 */
  hhi: number;
  clientBands: { '1-10': number; '11-100': number; '>100': number };
  inOneMunicipality: number;
  inAllMunicipalities: number;
  /** cumulative money share of the top 1, 2, … providers */
  pareto: number[];
}

export interface RankedProvider {
  rank: number;
  providerId: number;
  agbCode: string;
  name: string;
  amountCents: number;
  clients: number;
  municipalities: number;
  share: number;
  cumulativeShare: number;
  supplierManagement: boolean;
}

export async function concentration(db: Db, scope: DataScope, year: number) {
  const [segments, [{ n: municipalityCount }]] = await Promise.all([
    db.query<{ id: number; code: string; name: string }>(
      `SELECT id, code, name FROM segment WHERE region_id = $1 AND parent_id IS NULL ORDER BY sort_order, id`,
      [scope.regionId],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM municipality WHERE region_id = $1 AND ($2::text IS NULL OR code = $2::text)`, [
      scope.regionId,
      scope.municipalityCode,
    ]),
  ]);
  const rows = await run(db, concentrationSql(scope, year, municipalityCount));
  const measures = (segmentId: number | null, code: string, name: string): SegmentConcentration => {
    const r = rows.find((x) => x.segment_id === segmentId);
    return {
      segmentId,
      code,
      name,
      providers: r?.providers ?? 0,
      amountCents: r?.amount_cents ?? 0,
      top1Share: r?.top1 ?? 0,
      top3Share: r?.top3 ?? 0,
      top10Share: r?.top10 ?? 0,
      providersFor50: r?.for50 ?? 0,
      providersFor75: r?.for75 ?? 0,
      hhi: Math.round((r?.hhi ?? 0) * 10) / 10,
      clientBands: { '1-10': r?.clients_1_10 ?? 0, '11-100': r?.clients_11_100 ?? 0, '>100': r?.clients_over_100 ?? 0 },
      inOneMunicipality: r?.in_one_municipality ?? 0,
      inAllMunicipalities: r?.in_all_municipalities ?? 0,
      pareto: r?.pareto ?? [],
    };
  };
  return {
    regionId: scope.regionId,
    year,
    municipalities: municipalityCount,
    overall: measures(null, 'ALLE', 'Alle segmenten'),
    bySegment: segments.map((s) => measures(s.id, s.code, s.name)),
  };
}

/** Providers ranked by money in one segment (or all); the first ones up to 75% of the money are marked for supplier management. */
export async function providerRanking(db: Db, scope: DataScope, year: number, segmentId: number | null): Promise<RankedProvider[]> {
  const rows = await run(db, providerRankingSql(scope, year, segmentId));
  return rows.map((r) => ({
    rank: r.rank,
    providerId: r.provider_id,
    agbCode: r.agb_code,
    name: r.name,
    amountCents: r.amount_cents,
    clients: r.clients,
    municipalities: r.municipalities,
    share: r.share,
    cumulativeShare: r.cumulative_share,
    supplierManagement: r.cumulative_share - r.share < 0.75,
  }));
}
