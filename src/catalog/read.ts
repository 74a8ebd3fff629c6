// Read side of the catalog: regions, their municipalities, segments and the product book with current tariffs.
import type { Db } from '../db/index.ts';
import { segmentTree, type SegmentRow } from './segments.ts';

export const UNIT_NAMES: Record<string, string> = {
  '01': 'minuut',
  '04': 'uur',
  '14': 'etmaal',
  '16': 'dagdeel',
  '82': 'stuks (output)',
  '83': 'euro',
  '84': 'stuks (inspanning)',
};

export async function listRegions(db: Db, ids: string[]) {
  return db.query<{ id: string; name: string; municipalityCount: number; demoYear: number | null }>(
    `SELECT r.id, r.name, count(m.code)::int AS "municipalityCount", r.demo_year AS "demoYear"
     FROM region r LEFT JOIN municipality m ON m.region_id = r.id
     WHERE r.id = ANY($1) GROUP BY r.id ORDER BY r.name`,
    [ids],
  );
}

export async function regionDetail(db: Db, regionId: string) {
  const [region] = await db.query(`SELECT id, name, procurement, demo_year AS "demoYear" FROM region WHERE id = $1`, [regionId]);
  if (!region) return null;
  const [municipalities, segments, [counts], [span]] = await Promise.all([
    db.query(`SELECT trim(code) AS code, name FROM municipality WHERE region_id = $1 ORDER BY name`, [regionId]),
    db.query(
      `SELECT s.id, s.code, s.name, s.parent_id AS "parentId", s.funding_form AS "fundingForm", f.name AS "fundingFormName",
                     s.procured_by_region AS "procuredByRegion"
              FROM segment s LEFT JOIN funding_form f ON f.code = s.funding_form
              WHERE s.region_id = $1 ORDER BY s.sort_order, s.id`,
      [regionId],
    ),
    db.query(`SELECT count(DISTINCT provider_id)::int AS "providerCount" FROM contract WHERE region_id = $1`, [regionId]),
    // the years with lines, and the most recent year in the yearly facts (per municipality from the index) (the screens' default year)
    // per municipality the ends of the index (municipality_code, period_start) and of the facts' key, not a scan of the
    // region's lines (this answer is read on every page: 95 ms → a few ms on Twente)
    db.query(
      `SELECT min(d.first) AS first, max(d.last) AS last, max(y.year) AS "latestYear"
              FROM municipality m
              CROSS JOIN LATERAL (SELECT min(period_start) AS first, max(period_start) AS last FROM declaration_line WHERE municipality_code = m.code) d
              CROSS JOIN LATERAL (SELECT max(f.year) AS year FROM declaration_year_fact f WHERE f.municipality_code = m.code) y
              WHERE m.region_id = $1`,
      [regionId],
    ),
  ]);
  const years: number[] = [];
  if (span?.first) for (let y = Number(span.first.slice(0, 4)); y <= Number(span.last.slice(0, 4)); y++) years.push(y);
  return {
    ...region,
    years,
    latestYear: span?.latestYear ?? null,
    municipalities,
    segments: segmentTree(segments as (SegmentRow & Record<string, unknown>)[]),
    providerCount: counts.providerCount,
  };
}

/**
 * The product book as it stands on `onDate`: each product with the tariff valid that day, its segment and the top
 * segment above it; with `segmentCode`, only the products of that segment and the segments below it.
 */
export async function productBook(db: Db, regionId: string, onDate: string, segmentCode?: string) {
  const tree = segmentTree(
    await db.query<SegmentRow>(`SELECT id, code, name, parent_id AS "parentId" FROM segment WHERE region_id = $1 ORDER BY sort_order, id`, [regionId]),
  );
  const byCode = new Map(tree.map((s) => [s.code, s]));
  const wanted = segmentCode === undefined ? null : new Set(byCode.get(segmentCode)?.codes ?? []);
  const rows = await db.query(
    `SELECT p.id, p.code, trim(p.category_code) AS "categoryCode", p.name, trim(p.unit) AS unit, s.code AS "segmentCode", s.name AS "segmentName",
            p.product_group AS "productGroup", p.execution_variant AS "executionVariant",
            t.amount_cents AS "tariffCents", t.valid_from AS "tariffValidFrom"
     FROM product p
     LEFT JOIN segment s ON s.id = p.segment_id
     LEFT JOIN LATERAL (
       SELECT amount_cents, valid_from FROM tariff
       WHERE product_id = p.id AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
       ORDER BY valid_from DESC LIMIT 1) t ON true
     WHERE p.region_id = $1 AND p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2)
     ORDER BY p.category_code, p.code`,
    [regionId, onDate],
  );
  return rows
    .filter((r) => wanted === null || wanted.has(r.segmentCode))
    .map((r) => ({
      ...r,
      unitName: UNIT_NAMES[r.unit] ?? r.unit,
      topSegmentCode: byCode.get(r.segmentCode)?.topCode ?? null,
      topSegmentName: byCode.get(r.segmentCode)?.topName ?? null,
    }));
}
