// The register as a read model: per region, the groups with their profile, reported availability and the
// reservations that hold places, kept in memory for the hot path (searching places, matching). The database
// stays the source of truth:
// - every change made through this module refreshes the changed groups before it answers (write-through);
// - every CHECK_MS a one-row fingerprint of the region (groups, sum of versions, latest report) is compared with the
//   snapshot, and the region is reloaded when they differ, so availability changed elsewhere (another process, a
//   script) shows within that time; and every RELOAD_MS the region is reloaded whatever the fingerprint says (for
//   profile edits, which do not bump the version);
// - rows merge by availability_version (every availability change bumps it), so a reload that started before
//   a write can never put back the older figures.
// Time-dependent figures (reserved, free, light, stale) are computed at read time: a reservation past its time
// holds nothing, whether or not the sweep has run. The rules are those of rules.ts, which the SQL functions
// placement_free/placement_light mirror (a test checks they agree).
import type { Db } from '../db/index.ts';
import { freePlaces, groupTypeLabel, intensity, isStale, trafficLight, type Light } from './rules.ts';

export const CHECK_MS = 5_000;
export const RELOAD_MS = 60_000;

export interface Settings {
  staleAfterHours: number;
  reservationHours: number;
}
export const DEFAULT_SETTINGS: Settings = { staleAfterHours: 48, reservationHours: 48 };

/** One group as loaded: everything but the time-dependent figures. */
export interface GroupRow {
  id: number;
  name: string;
  groupType: string;
  productCode: string | null;
  productName: string | null;
  segmentCode: string | null;
  segmentName: string | null;
  rosterHoursWeek: number | null;
  ageMin: number | null;
  ageMax: number | null;
  gender: string;
  targetGroups: string[];
  expertise: string[];
  physical: number;
  contracted: number;
  staffed: number;
  occupied: number;
  intakeOpen: boolean;
  note: string;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  providerId: number;
  providerName: string;
  locationId: number;
  locationName: string;
  municipalityCode: string;
  municipalityName: string;
  province: string;
  regionId: string;
  holds: { places: number; expiresAt: number }[]; // active reservations
  search: string; // lower-case name, location and provider, for the text filter
}

export interface GroupView {
  groupId: number;
  name: string;
  groupType: string;
  typeLabel: string;
  product: { code: string; name: string } | null;
  segment: { code: string; name: string } | null;
  intensity: { hoursPerDay: number; band: string } | null;
  ageMin: number | null;
  ageMax: number | null;
  gender: string;
  targetGroups: string[];
  expertise: string[];
  places: { physical: number; contracted: number; staffed: number; occupied: number; reserved: number; free: number };
  intakeOpen: boolean;
  light: Light;
  note: string;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  stale: boolean;
  providerId: number;
  providerName: string;
  location: { id: number; name: string; municipality: { code: string; name: string } };
}

const LOAD_SQL = `
  SELECT g.id, g.name, g.group_type, p.code AS product_code, p.name AS product_name, s.code AS segment_code, s.name AS segment_name,
         g.roster_hours_week, g.age_min, g.age_max, g.gender, g.target_groups, g.expertise,
         g.places_physical, g.places_contracted, g.places_staffed, g.places_occupied, g.intake_open, g.availability_note,
         g.availability_version, g.availability_updated_at, g.availability_updated_by_name,
         l.provider_id, pr.name AS provider_name, l.id AS location_id, l.name AS location_name,
         trim(l.municipality_code) AS municipality_code, m.name AS municipality_name, m.province, m.region_id,
         COALESCE((SELECT json_agg(json_build_object('p', r.places, 'e', r.expires_at))
                   FROM placement_reservation r WHERE r.group_id = g.id AND r.status = 'actief' AND r.expires_at > now()), '[]') AS holds
  FROM care_group g
  JOIN location l ON l.id = g.location_id
  JOIN municipality m ON m.code = l.municipality_code
  JOIN provider pr ON pr.id = l.provider_id
  LEFT JOIN product p ON p.id = g.product_id
  LEFT JOIN segment s ON s.id = p.segment_id`;

function toRow(r: any): GroupRow {
  const holds = typeof r.holds === 'string' ? JSON.parse(r.holds) : r.holds;
  return {
    id: r.id,
    name: r.name,
    groupType: r.group_type,
    productCode: r.product_code,
    productName: r.product_name,
    segmentCode: r.segment_code,
    segmentName: r.segment_name,
    rosterHoursWeek: r.roster_hours_week === null ? null : Number(r.roster_hours_week),
    ageMin: r.age_min,
    ageMax: r.age_max,
    gender: r.gender,
    targetGroups: r.target_groups,
    expertise: r.expertise,
    physical: r.places_physical,
    contracted: r.places_contracted,
    staffed: r.places_staffed,
    occupied: r.places_occupied,
    intakeOpen: r.intake_open,
    note: r.availability_note,
    version: r.availability_version,
    updatedAt: r.availability_updated_at,
    updatedBy: r.availability_updated_by_name,
    providerId: r.provider_id,
    providerName: r.provider_name,
    locationId: r.location_id,
    locationName: r.location_name,
    municipalityCode: r.municipality_code,
    municipalityName: r.municipality_name,
    province: r.province,
    regionId: r.region_id,
    holds: holds.map((h: { p: number; e: string }) => ({ places: h.p, expiresAt: Date.parse(h.e) })),
    search: `${r.name} ${r.location_name} ${r.provider_name}`.toLowerCase(),
  };
}

export const reservedNow = (g: GroupRow, now: number) => g.holds.reduce((n, h) => (h.expiresAt > now ? n + h.places : n), 0);

export function toView(g: GroupRow, settings: Settings, now: Date): GroupView {
  const places = { physical: g.physical, staffed: g.staffed, occupied: g.occupied, reserved: reservedNow(g, now.getTime()) };
  return {
    groupId: g.id,
    name: g.name,
    groupType: g.groupType,
    typeLabel: groupTypeLabel(g.groupType),
    product: g.productCode ? { code: g.productCode, name: g.productName! } : null,
    segment: g.segmentCode ? { code: g.segmentCode, name: g.segmentName! } : null,
    intensity: intensity(g.rosterHoursWeek, g.physical),
    ageMin: g.ageMin,
    ageMax: g.ageMax,
    gender: g.gender,
    targetGroups: g.targetGroups,
    expertise: g.expertise,
    places: { ...places, contracted: g.contracted, free: freePlaces(places) },
    intakeOpen: g.intakeOpen,
    light: trafficLight(places, g.intakeOpen),
    note: g.note,
    version: g.version,
    updatedAt: g.updatedAt,
    updatedBy: g.updatedBy,
    stale: isStale(g.updatedAt, now, settings.staleAfterHours),
    providerId: g.providerId,
    providerName: g.providerName,
    location: { id: g.locationId, name: g.locationName, municipality: { code: g.municipalityCode, name: g.municipalityName } },
  };
}

const dutch = new Intl.Collator('nl', { numeric: true }); // 'Groep 2' before 'Groep 10'
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface RegionSnapshot {
  loadedAt: number;
  checkedAt: number;
  groups: Map<number, GroupRow>;
  settings: Settings;
  sorted: GroupRow[] | null;
}

const FINGERPRINT_SQL = `
  SELECT count(*)::int AS n, COALESCE(sum(g.availability_version), 0)::int8 AS versions, max(g.availability_updated_at) AS latest
  FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code
  WHERE m.region_id = $1`;

export class Register {
  private regions = new Map<string, RegionSnapshot>();
  private loading = new Map<string, Promise<RegionSnapshot>>();
  private checking = new Set<string>();
  constructor(
    private readonly db: Db,
    private readonly checkMs = CHECK_MS,
    private readonly reloadMs = RELOAD_MS,
  ) {}

  /** The region's groups: every change made through this module, and changes made elsewhere within checkMs. */
  async region(regionId: string): Promise<{ groups: GroupRow[]; settings: Settings }> {
    let snap = this.regions.get(regionId);
    if (!snap)
      snap = await this.load(regionId); // the first time waits; later checks run while the snapshot answers
    else if (Date.now() - snap.checkedAt > this.checkMs) this.check(regionId, snap).catch(() => undefined); // a failed check: the next read retries
    if (!snap.sorted) {
      snap.sorted = [...snap.groups.values()].sort(
        (a, b) => cmp(a.groupType, b.groupType) || dutch.compare(a.providerName, b.providerName) || dutch.compare(a.name, b.name) || a.id - b.id,
      );
    }
    return { groups: snap.sorted, settings: snap.settings };
  }

  /** Reloads the region if its fingerprint in the database differs from the snapshot's, or the snapshot is old. */
  private async check(regionId: string, snap: RegionSnapshot) {
    if (this.checking.has(regionId)) return;
    this.checking.add(regionId);
    try {
      snap.checkedAt = Date.now();
      if (Date.now() - snap.loadedAt > this.reloadMs) {
        await this.load(regionId);
        return;
      }
      const [db] = await this.db.query(FINGERPRINT_SQL, [regionId]);
      let versions = 0,
        latest: string | null = null;
      for (const g of snap.groups.values()) {
        versions += g.version;
        if (g.updatedAt && (!latest || g.updatedAt > latest)) latest = g.updatedAt;
      }
      if (db.n !== snap.groups.size || db.versions !== versions || db.latest !== latest) await this.load(regionId);
    } finally {
      this.checking.delete(regionId);
    }
  }

  private load(regionId: string): Promise<RegionSnapshot> {
    const running = this.loading.get(regionId);
    if (running) return running;
    const p = (async () => {
      const startedAt = Date.now();
      const [rows, settings] = await Promise.all([this.db.query(`${LOAD_SQL} WHERE m.region_id = $1`, [regionId]), readSettings(this.db, regionId)]);
      const fresh = new Map(rows.map((r) => [r.id as number, toRow(r)]));
      const old = this.regions.get(regionId);
      if (old)
        for (const [id, g] of old.groups) {
          const f = fresh.get(id);
          if (f && g.version > f.version) fresh.set(id, g);
        }
      const snap: RegionSnapshot = { loadedAt: startedAt, checkedAt: startedAt, groups: fresh, settings, sorted: null };
      this.regions.set(regionId, snap);
      return snap;
    })().finally(() => this.loading.delete(regionId));
    this.loading.set(regionId, p);
    return p;
  }

  /** Re-reads these groups after a change (write-through); returns them as now stored. */
  async refresh(groupIds: number[]): Promise<GroupRow[]> {
    if (!groupIds.length) return [];
    const rows = (await this.db.query(`${LOAD_SQL} WHERE g.id = ANY($1::int[])`, [groupIds])).map(toRow);
    for (const g of rows) {
      const snap = this.regions.get(g.regionId);
      if (!snap) continue;
      const cur = snap.groups.get(g.id);
      if (!cur || cur.version <= g.version) {
        snap.groups.set(g.id, g);
        snap.sorted = null;
      }
    }
    return rows;
  }

  setSettings(regionId: string, s: Settings) {
    const snap = this.regions.get(regionId);
    if (snap) snap.settings = s;
  }
  /** Forget a region (after a bulk change such as loading demo data). */
  invalidate(regionId?: string) {
    if (regionId) this.regions.delete(regionId);
    else this.regions.clear();
  }
}

const registers = new WeakMap<Db, Register>();
/** One register per database handle (one process serves one database). */
export function registerFor(db: Db): Register {
  let r = registers.get(db);
  if (!r) {
    r = new Register(db);
    registers.set(db, r);
  }
  return r;
}

export async function readSettings(db: Db, regionId: string): Promise<Settings> {
  const [r] = await db.query(`SELECT stale_after_hours, reservation_hours FROM placement_setting WHERE region_id = $1`, [regionId]);
  return r ? { staleAfterHours: r.stale_after_hours, reservationHours: r.reservation_hours } : { ...DEFAULT_SETTINGS };
}

/**
 * The door for changes made outside the coordination point (the providers' register: a new or edited group, a
 * renamed provider or moved location): the read model re-reads these groups, or the whole region when none are named.
 */
export async function registerChanged(db: Db, regionId: string, groupIds: number[] = []): Promise<void> {
  const r = registerFor(db);
  if (groupIds.length) await r.refresh(groupIds);
  else r.invalidate(regionId);
}
