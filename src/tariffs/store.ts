// Reads and writes the calculator's tables (002_tariff_calculator.sql). Publishing a tariff set also writes the
// catalogue's effective-dated tariffs (table tariff of 001): the one place outside src/catalog that does, because
// the catalogue has no write door yet; the rules are the catalogue's (a change is a new row from a date, the row
// before it gets its valid_to, nothing is deleted).
import type { Db } from '../db/index.ts';
import { AppError, badRequest, notFound } from '../core/errors.ts';
import type { BandTableBody, BuildUp, GezinshuisInput, IndexComponent, NormSetBody } from './model.ts';

export interface NormSetRow {
  id: number;
  name: string;
  version: number;
  validFrom: string;
  isExample: boolean;
  note: string;
  createdAt: string;
  body: NormSetBody;
}
export interface BandTableRow {
  id: number;
  name: string;
  version: number;
  validFrom: string;
  status: 'concept' | 'vastgesteld';
  normSetId: number;
  note: string;
  createdAt: string;
  body: BandTableBody;
}
export interface IndexRow {
  id: number;
  year: number;
  kind: 'voorlopig' | 'definitief';
  components: IndexComponent[];
  weightedPct: string;
  source: string;
}
export type SetStatus = 'concept' | 'vastgesteld' | 'gepubliceerd';
export interface SetRow {
  id: number;
  name: string;
  validFrom: string;
  status: SetStatus;
  origin: 'kostprijs' | 'indexatie';
  normSetId: number | null;
  bandTableId: number | null;
  baseSetId: number | null;
  indexFactor: string | null;
  description: string;
  createdAt: string;
  approvedAt: string | null;
  publishedAt: string | null;
  lines: number;
}
export interface SetLine {
  productId: number;
  code: string;
  name: string;
  unit: string;
  segment: string | null;
  amountCents: number;
  basis: string;
  buildUp: BuildUp | null;
}

const NORM_COLS = `id, name, version, valid_from AS "validFrom", is_example AS "isExample", note, created_at AS "createdAt"`;

// --- norm sets ----------------------------------------------------------------------------------------------------

export async function insertNormSet(
  db: Db,
  regionId: string,
  s: { name: string; validFrom: string; body: NormSetBody; isExample?: boolean; note?: string },
  accountId: number | null,
) {
  const [row] = await db.query<{ id: number; version: number }>(
    `INSERT INTO tariff_norm_set (region_id, name, version, valid_from, is_example, body, note, created_by)
     SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5, $6, $7 FROM tariff_norm_set WHERE region_id = $1 AND name = $2
     RETURNING id, version`,
    [regionId, s.name, s.validFrom, s.isExample ?? false, JSON.stringify(s.body), s.note ?? '', accountId],
  );
  return row;
}

export async function listNormSets(db: Db, regionId: string) {
  return db.query<Omit<NormSetRow, 'body'> & { label: string }>(
    `SELECT ${NORM_COLS}, body->>'label' AS label FROM tariff_norm_set WHERE region_id = $1 ORDER BY valid_from DESC, name, version DESC`,
    [regionId],
  );
}

/** One norm set; without an id the newest (latest price level, then latest version). */
export async function getNormSet(db: Db, regionId: string, id?: number): Promise<NormSetRow> {
  const [row] = await db.query<NormSetRow>(
    `SELECT ${NORM_COLS}, body FROM tariff_norm_set WHERE region_id = $1 AND ($2::int IS NULL OR id = $2)
     ORDER BY valid_from DESC, version DESC, id DESC LIMIT 1`,
    [regionId, id ?? null],
  );
  if (!row) throw notFound(id ? `Normenset ${id}` : 'Een normenset voor deze regio');
  return row;
}

// --- band tables ------------------------------------------------------------------------------------------------

const BAND_COLS = `id, name, version, valid_from AS "validFrom", status, norm_set_id AS "normSetId", note, created_at AS "createdAt"`;

export async function insertBandTable(
  db: Db,
  regionId: string,
  t: { name: string; validFrom: string; status: 'concept' | 'vastgesteld'; normSetId: number; body: BandTableBody; note?: string },
  accountId: number | null,
) {
  const [row] = await db.query<{ id: number; version: number }>(
    `INSERT INTO tariff_band_table (region_id, name, version, valid_from, status, norm_set_id, body, note, created_by)
     SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5, $6, $7, $8 FROM tariff_band_table WHERE region_id = $1 AND name = $2
     RETURNING id, version`,
    [regionId, t.name, t.validFrom, t.status, t.normSetId, JSON.stringify(t.body), t.note ?? '', accountId],
  );
  return row;
}

export async function listBandTables(db: Db, regionId: string, onlyAdopted: boolean) {
  return db.query<Omit<BandTableRow, 'body'> & { bands: number }>(
    `SELECT ${BAND_COLS}, jsonb_array_length(body->'bands')::int AS bands FROM tariff_band_table
     WHERE region_id = $1 AND (NOT $2 OR status = 'vastgesteld') ORDER BY valid_from DESC, version DESC`,
    [regionId, onlyAdopted],
  );
}

/** A band table by id, or the adopted table in force on `date`: the latest valid_from ≤ date, then the latest version. */
export async function getBandTable(db: Db, regionId: string, opts: { id?: number; date: string; onlyAdopted: boolean }): Promise<BandTableRow | null> {
  const [row] = opts.id
    ? await db.query<BandTableRow>(`SELECT ${BAND_COLS}, body FROM tariff_band_table WHERE region_id = $1 AND id = $2 AND (NOT $3 OR status = 'vastgesteld')`, [
        regionId,
        opts.id,
        opts.onlyAdopted,
      ])
    : await db.query<BandTableRow>(
        `SELECT ${BAND_COLS}, body FROM tariff_band_table WHERE region_id = $1 AND status = 'vastgesteld' AND valid_from <= $2::date
      ORDER BY valid_from DESC, version DESC, id DESC LIMIT 1`,
        [regionId, opts.date],
      );
  return row ?? null;
}

// --- groups (the register of the coordination point, read only) --------------------------------------------------

export interface GroupRow {
  id: number;
  name: string;
  groupType: string;
  providerId: number;
  providerName: string;
  locationName: string;
  places: number;
  hoursPerWeek: string | null;
  productCode: string | null;
}

export async function listGroups(db: Db, regionId: string, providerId: number | null, types: string[] | null): Promise<GroupRow[]> {
  return db.query<GroupRow>(
    `SELECT g.id, g.name, g.group_type AS "groupType", pr.id AS "providerId", pr.name AS "providerName", l.name AS "locationName",
            g.places_physical AS places, g.roster_hours_week AS "hoursPerWeek", p.code AS "productCode"
     FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code
     JOIN provider pr ON pr.id = l.provider_id LEFT JOIN product p ON p.id = g.product_id
     WHERE m.region_id = $1 AND ($2::int IS NULL OR pr.id = $2) AND ($3::text[] IS NULL OR g.group_type = ANY($3))
     ORDER BY pr.name, g.name, g.id`,
    [regionId, providerId, types],
  );
}

// --- gezinshuis per home -------------------------------------------------------------------------------------------

export async function insertHomeTariff(
  db: Db,
  h: { groupId: number; validFrom: string; normSetId: number; input: GezinshuisInput; buildUp: BuildUp },
  accountId: number | null,
) {
  const exists = await db.query(`SELECT 1 FROM tariff_home WHERE care_group_id = $1 AND valid_from = $2`, [h.groupId, h.validFrom]);
  if (exists.length)
    throw new AppError(409, 'Bestaat al', `Dit gezinshuis heeft al een tarief vanaf ${h.validFrom}; kies een latere ingangsdatum`, 'validFrom');
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO tariff_home (care_group_id, valid_from, norm_set_id, input, build_up, amount_cents, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [h.groupId, h.validFrom, h.normSetId, JSON.stringify(h.input), JSON.stringify(h.buildUp), h.buildUp.tariffCents, accountId],
  );
  return row.id;
}

/** Many homes at once (the demo): one statement. */
export async function insertHomeTariffs(db: Db, rows: { groupId: number; validFrom: string; normSetId: number; input: GezinshuisInput; buildUp: BuildUp }[]) {
  await db.query(
    `INSERT INTO tariff_home (care_group_id, valid_from, norm_set_id, input, build_up, amount_cents)
     SELECT u.g, u.f::date, u.n, u.i::jsonb, u.b::jsonb, u.a FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int8[]) AS u(g, f, n, i, b, a)`,
    [
      rows.map((r) => r.groupId),
      rows.map((r) => r.validFrom),
      rows.map((r) => r.normSetId),
      rows.map((r) => JSON.stringify(r.input)),
      rows.map((r) => JSON.stringify(r.buildUp)),
      rows.map((r) => r.buildUp.tariffCents),
    ],
  );
}

/** Every home (gezinshuis group) in the region with its tariff valid on `date` and the one before it. */
export async function listHomes(db: Db, regionId: string, providerId: number | null, date: string) {
  return db.query<{
    id: number;
    name: string;
    providerId: number;
    providerName: string;
    places: number;
    tariffCents: number | null;
    validFrom: string | null;
    normSetId: number | null;
    input: GezinshuisInput | null;
    buildUp: BuildUp | null;
    previousCents: number | null;
    history: number;
  }>(
    `SELECT g.id, g.name, pr.id AS "providerId", pr.name AS "providerName", g.places_physical AS places,
            t.amount_cents AS "tariffCents", t.valid_from AS "validFrom", t.norm_set_id AS "normSetId", t.input, t.build_up AS "buildUp",
            prev.amount_cents AS "previousCents", (SELECT count(*)::int FROM tariff_home h WHERE h.care_group_id = g.id) AS history
     FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code JOIN provider pr ON pr.id = l.provider_id
     LEFT JOIN LATERAL (SELECT * FROM tariff_home h WHERE h.care_group_id = g.id AND h.valid_from <= $3::date ORDER BY h.valid_from DESC LIMIT 1) t ON true
     LEFT JOIN LATERAL (SELECT amount_cents FROM tariff_home h WHERE h.care_group_id = g.id AND h.valid_from < t.valid_from ORDER BY h.valid_from DESC LIMIT 1) prev ON true
     WHERE m.region_id = $1 AND g.group_type = 'gezinshuis' AND ($2::int IS NULL OR pr.id = $2)
     ORDER BY pr.name, g.name, g.id`,
    [regionId, providerId, date],
  );
}

export async function groupOfRegion(db: Db, regionId: string, groupId: number, type: string) {
  const [g] = await db.query<{ id: number; places: number }>(
    `SELECT g.id, g.places_physical AS places FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code
     WHERE g.id = $1 AND m.region_id = $2 AND g.group_type = $3`,
    [groupId, regionId, type],
  );
  if (!g) throw notFound(`Gezinshuis ${groupId}`);
  return g;
}

// --- indices ------------------------------------------------------------------------------------------------------

export async function insertIndex(
  db: Db,
  regionId: string,
  i: { year: number; kind: 'voorlopig' | 'definitief'; components: IndexComponent[]; weightedPct: string; source: string },
  accountId: number | null,
) {
  const exists = await db.query(`SELECT 1 FROM tariff_index WHERE region_id = $1 AND year = $2 AND kind = $3`, [regionId, i.year, i.kind]);
  if (exists.length)
    throw new AppError(409, 'Bestaat al', `Er is al een ${i.kind}e index voor ${i.year}; een vastgelegde index wordt niet overschreven`, 'year');
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO tariff_index (region_id, year, kind, components, weighted_pct, source, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [regionId, i.year, i.kind, JSON.stringify(i.components), i.weightedPct, i.source, accountId],
  );
  return row.id;
}

export async function listIndices(db: Db, regionId: string): Promise<IndexRow[]> {
  return db.query<IndexRow>(
    `SELECT id, year, kind, components, weighted_pct::text AS "weightedPct", source FROM tariff_index WHERE region_id = $1 ORDER BY year DESC, kind DESC`,
    [regionId],
  );
}

// --- tariff sets --------------------------------------------------------------------------------------------------

const SET_COLS = `s.id, s.name, s.valid_from AS "validFrom", s.status, s.origin, s.norm_set_id AS "normSetId", s.band_table_id AS "bandTableId",
  s.base_set_id AS "baseSetId", s.index_factor::text AS "indexFactor", s.description, s.created_at AS "createdAt", s.approved_at AS "approvedAt",
  s.published_at AS "publishedAt", (SELECT count(*)::int FROM tariff_set_line l WHERE l.set_id = s.id) AS lines`;

export async function insertSet(
  db: Db,
  regionId: string,
  s: {
    name: string;
    validFrom: string;
    origin: 'kostprijs' | 'indexatie';
    normSetId?: number | null;
    bandTableId?: number | null;
    baseSetId?: number | null;
    indexFactor?: string | null;
    description: string;
    lines: { productId: number; amountCents: number; basis: string; buildUp: BuildUp | null }[];
  },
  accountId: number | null,
): Promise<number> {
  if (!s.lines.length)
    throw badRequest('De tariefset heeft geen regels: geen van de berekende producten staat op de ingangsdatum in het productenboek', 'validFrom');
  return db.transaction(async (tx) => {
    const [{ id }] = await tx.query<{ id: number }>(
      `INSERT INTO tariff_set (region_id, name, valid_from, origin, norm_set_id, band_table_id, base_set_id, index_factor, description, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
      [
        regionId,
        s.name,
        s.validFrom,
        s.origin,
        s.normSetId ?? null,
        s.bandTableId ?? null,
        s.baseSetId ?? null,
        s.indexFactor ?? null,
        s.description,
        accountId,
      ],
    );
    await tx.query(
      `INSERT INTO tariff_set_line (set_id, product_id, amount_cents, basis, build_up)
       SELECT $1, u.p, u.a, u.b, u.j::jsonb FROM unnest($2::int[], $3::int8[], $4::text[], $5::text[]) AS u(p, a, b, j)`,
      [
        id,
        s.lines.map((l) => l.productId),
        s.lines.map((l) => l.amountCents),
        s.lines.map((l) => l.basis),
        s.lines.map((l) => (l.buildUp ? JSON.stringify(l.buildUp) : null)),
      ],
    );
    return id;
  });
}

export async function listSets(db: Db, regionId: string, includeConcepts: boolean): Promise<SetRow[]> {
  return db.query<SetRow>(
    `SELECT ${SET_COLS} FROM tariff_set s WHERE s.region_id = $1 AND ($2 OR s.status <> 'concept') ORDER BY s.valid_from DESC, s.id DESC`,
    [regionId, includeConcepts],
  );
}

export async function getSet(db: Db, regionId: string, id: number, includeConcepts: boolean): Promise<SetRow> {
  const [row] = await db.query<SetRow>(`SELECT ${SET_COLS} FROM tariff_set s WHERE s.region_id = $1 AND s.id = $2 AND ($3 OR s.status <> 'concept')`, [
    regionId,
    id,
    includeConcepts,
  ]);
  if (!row) throw notFound(`Tariefset ${id}`);
  return row;
}

export async function setLines(db: Db, setId: number, withBuildUp: boolean): Promise<SetLine[]> {
  return db.query<SetLine>(
    `SELECT l.product_id AS "productId", p.code, p.name, trim(p.unit) AS unit, COALESCE(ps.name, s.name) AS segment, l.amount_cents AS "amountCents", l.basis,
            ${withBuildUp ? 'l.build_up' : 'NULL'} AS "buildUp"
     FROM tariff_set_line l JOIN product p ON p.id = l.product_id LEFT JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id
     WHERE l.set_id = $1 ORDER BY p.category_code, p.code`,
    [setId],
  );
}

/** The product book's tariffs on a date (product id → cents): what a set without a base indexes, and what publishing replaces. */
export async function catalogueTariffs(db: Db, regionId: string, date: string) {
  return db.query<{ productId: number; code: string; name: string; unit: string; amountCents: number; tariffSet: string }>(
    `SELECT p.id AS "productId", p.code, p.name, trim(p.unit) AS unit, t.amount_cents AS "amountCents", t.tariff_set AS "tariffSet"
     FROM product p JOIN tariff t ON t.product_id = p.id AND t.valid_from <= $2::date AND (t.valid_to IS NULL OR t.valid_to > $2::date)
     WHERE p.region_id = $1 AND p.valid_from <= $2::date AND (p.valid_to IS NULL OR p.valid_to > $2::date)
     ORDER BY p.category_code, p.code`,
    [regionId, date],
  );
}

export async function approveSet(db: Db, regionId: string, id: number, accountId: number | null) {
  const set = await getSet(db, regionId, id, true);
  if (set.status !== 'concept') throw new AppError(409, 'Al vastgesteld', `Tariefset ${id} is al ${set.status}`, 'id');
  await db.query(`UPDATE tariff_set SET status = 'vastgesteld', approved_at = now(), approved_by = $2 WHERE id = $1 AND status = 'concept'`, [id, accountId]);
}

/** The catalogue tag on tariffs that came from a set. */
export const catalogueTag = (setId: number) => `tariefset-${setId}`;

/**
 * Publishing: every line becomes the product's tariff from the set's date. The tariff in force then gets that
 * date as its valid_to; earlier tariffs stay as they are (history). All or nothing: a product with a tariff
 * from that date or later, or a product not valid on that date, stops the whole publication.
 */
export async function publishSet(db: Db, regionId: string, id: number, accountId: number | null) {
  return db.transaction(async (tx) => {
    const set = await getSet(tx, regionId, id, true);
    if (set.status === 'concept') throw new AppError(409, 'Niet vastgesteld', `Tariefset ${id} is nog een concept: stel hem eerst vast`, 'id');
    if (set.status === 'gepubliceerd') throw new AppError(409, 'Al gepubliceerd', `Tariefset ${id} is al gepubliceerd`, 'id');
    const conflicts = await tx.query<{ code: string; valid_from: string; tariff_set: string }>(
      `SELECT p.code, t.valid_from, t.tariff_set FROM tariff_set_line l JOIN product p ON p.id = l.product_id JOIN tariff t ON t.product_id = l.product_id
       WHERE l.set_id = $1 AND t.valid_from >= $2::date ORDER BY p.code LIMIT 5`,
      [id, set.validFrom],
    );
    if (conflicts.length) {
      throw new AppError(
        409,
        'Conflict met bestaande tarieven',
        `Publiceren zou bestaande tarieven overschrijven: ${conflicts.map((c) => `${c.code} heeft al een tarief vanaf ${c.valid_from} (${c.tariff_set})`).join('; ')}`,
        'id',
      );
    }
    const invalid = await tx.query<{ code: string }>(
      `SELECT p.code FROM tariff_set_line l JOIN product p ON p.id = l.product_id
       WHERE l.set_id = $1 AND NOT (p.valid_from <= $2::date AND (p.valid_to IS NULL OR p.valid_to > $2::date))`,
      [id, set.validFrom],
    );
    if (invalid.length) throw new AppError(409, 'Product niet geldig', `Niet geldig op ${set.validFrom}: ${invalid.map((r) => r.code).join(', ')}`, 'id');
    const closed = await tx.query(
      `UPDATE tariff t SET valid_to = $2::date FROM tariff_set_line l
       WHERE l.set_id = $1 AND t.product_id = l.product_id AND t.valid_from < $2::date AND (t.valid_to IS NULL OR t.valid_to > $2::date)
       RETURNING t.id`,
      [id, set.validFrom],
    );
    const inserted = await tx.query(
      `INSERT INTO tariff (product_id, valid_from, amount_cents, tariff_set)
       SELECT l.product_id, $2::date, l.amount_cents, $3 FROM tariff_set_line l WHERE l.set_id = $1 RETURNING id`,
      [id, set.validFrom, catalogueTag(id)],
    );
    await tx.query(`UPDATE tariff_set SET status = 'gepubliceerd', published_at = now(), published_by = $2 WHERE id = $1`, [id, accountId]);
    return { published: inserted.length, closed: closed.length, validFrom: set.validFrom };
  });
}
