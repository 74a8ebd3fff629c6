// The register and its availability: reads and writes of care_group's placement columns, the settings and
// the availability history. Every change to availability bumps availability_version (optimistic lock). Reads of the
// register come from the read model in register.ts; the aggregates are SQL.
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';
import type { Account } from '../access/roles.ts';
import { AppError, notFound } from '../core/errors.ts';
import { availabilityProblem, groupTypeLabel, type Light } from './rules.ts';
import type { LiveHub } from './live.ts';
import { readSettings, registerFor, toView, type GroupView, type Settings } from './register.ts';

export { DEFAULT_SETTINGS, type GroupView, type Settings } from './register.ts';

export const getSettings = readSettings;

export async function putSettings(db: Db, regionId: string, s: Settings, account: Account): Promise<Settings> {
  await db.query(
    `INSERT INTO placement_setting (region_id, stale_after_hours, reservation_hours, updated_by) VALUES ($1,$2,$3,$4)
     ON CONFLICT (region_id) DO UPDATE SET stale_after_hours = EXCLUDED.stale_after_hours, reservation_hours = EXCLUDED.reservation_hours,
       updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [regionId, s.staleAfterHours, s.reservationHours, account.id],
  );
  registerFor(db).setSettings(regionId, s);
  return s;
}

export interface GroupFilter {
  type?: string[];
  age?: number;
  expertise?: string[];
  freeOnly?: boolean;
  light?: Light;
  municipality?: string;
  q?: string;
  staleOnly?: boolean;
  groupIds?: number[];
  limit?: number;
}

/**
 * The register with availability, within the caller's scope (a provider: its own groups), from the read model.
 * Ordered by kind of group, most free places first, then provider and name.
 */
export async function searchGroups(
  db: Db,
  scope: DataScope,
  f: GroupFilter,
  now = new Date(),
): Promise<{ groups: GroupView[]; total: number; settings: Settings }> {
  const { groups, settings } = await registerFor(db).region(scope.regionId);
  const q = f.q?.toLowerCase();
  const ids = f.groupIds ? new Set(f.groupIds) : null;
  const out: GroupView[] = [];
  for (const g of groups) {
    if (scope.providerId !== null && g.providerId !== scope.providerId) continue;
    if (ids && !ids.has(g.id)) continue;
    if (f.type && !f.type.includes(g.groupType)) continue;
    if (f.age !== undefined && ((g.ageMin !== null && f.age < g.ageMin) || (g.ageMax !== null && f.age > g.ageMax))) continue;
    if (f.expertise && !f.expertise.every((e) => g.expertise.includes(e) || g.targetGroups.includes(e))) continue;
    if (f.municipality && g.municipalityCode !== f.municipality) continue;
    if (q && !g.search.includes(q)) continue;
    const v = toView(g, settings, now);
    if (f.freeOnly && (!v.intakeOpen || v.places.free === 0)) continue;
    if (f.light && v.light !== f.light) continue;
    if (f.staleOnly && !v.stale) continue;
    out.push(v);
  }
  // within a kind, most free places first (stable: provider and name order stay)
  out.sort((a, b) => (a.groupType === b.groupType ? b.places.free - a.places.free : a.groupType < b.groupType ? -1 : 1));
  const limit = f.limit ?? 2000;
  return { groups: out.length > limit ? out.slice(0, limit) : out, total: out.length, settings };
}

export interface TypeCapacity {
  groupType: string;
  typeLabel: string;
  groups: number;
  physical: number;
  contracted: number;
  staffed: number;
  occupied: number;
  reserved: number;
  free: number;
  open: number;
  limited: number;
  closed: number;
  stale: number;
}

/** Capacity per kind of group: the state of every place, counted in SQL. */
export async function capacityByType(
  db: Db,
  scope: { regionId: string; providerId: number | null },
  now = new Date(),
): Promise<{ byType: TypeCapacity[]; settings: Settings }> {
  const settings = await readSettings(db, scope.regionId);
  const staleBefore = new Date(now.getTime() - settings.staleAfterHours * 3600_000).toISOString();
  const rows = await run<any>(
    db,
    sql`WITH g AS (
       SELECT g.group_type, g.places_physical, g.places_contracted, g.places_staffed, g.places_occupied, COALESCE(rv.reserved, 0) AS reserved,
              placement_free(g.places_staffed, g.places_occupied, COALESCE(rv.reserved, 0)) AS free,
              placement_light(g.places_staffed, g.places_occupied, COALESCE(rv.reserved, 0), g.intake_open) AS light,
              (g.availability_updated_at IS NULL OR g.availability_updated_at < ${staleBefore}::timestamptz) AS stale
       FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code
       LEFT JOIN placement_reserved rv ON rv.group_id = g.id
       WHERE ${scopeSql({ municipalityCode: null, ...scope }, { region: 'm.region_id', provider: 'l.provider_id', regionWideForMunicipalities: true })})
     SELECT group_type, count(*)::int AS groups, sum(places_physical)::int AS physical, sum(places_contracted)::int AS contracted,
            sum(places_staffed)::int AS staffed, sum(places_occupied)::int AS occupied, sum(reserved)::int AS reserved, sum(free)::int AS free,
            count(*) FILTER (WHERE light = 'open')::int AS open, count(*) FILTER (WHERE light = 'limited')::int AS limited,
            count(*) FILTER (WHERE light = 'closed')::int AS closed, count(*) FILTER (WHERE stale)::int AS stale
     FROM g GROUP BY group_type ORDER BY group_type`,
  );
  return {
    byType: rows.map((r) => ({
      groupType: r.group_type,
      typeLabel: groupTypeLabel(r.group_type),
      groups: r.groups,
      physical: r.physical,
      contracted: r.contracted,
      staffed: r.staffed,
      occupied: r.occupied,
      reserved: r.reserved,
      free: r.free,
      open: r.open,
      limited: r.limited,
      closed: r.closed,
      stale: r.stale,
    })),
    settings,
  };
}

export interface AvailabilityReport {
  groupId: number;
  version: number;
  staffed: number;
  occupied: number;
  intakeOpen: boolean;
  note?: string;
}

/**
 * A provider reports the availability of several of its own groups in one action: all or nothing.
 * Each report carries the version the provider saw; if someone changed the group since, nothing is saved
 * and the answer (409) says who changed it and when.
 */
export async function reportAvailability(
  db: Db,
  live: LiveHub | null,
  scope: DataScope,
  account: Account,
  reports: AvailabilityReport[],
): Promise<GroupView[]> {
  if (scope.providerId === null) throw new AppError(403, 'Geen toegang', 'Alleen een aanbieder geeft beschikbaarheid door, voor de eigen groepen');
  const ids = reports.map((r) => r.groupId);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new AppError(400, 'Ongeldige invoer', `Groep ${dup} staat twee keer in de melding`, 'updates');
  const changed = await db.transaction(async (tx) => {
    const current = await tx.query(
      `SELECT g.id, g.name, g.places_physical, g.availability_version, g.availability_updated_at, g.availability_updated_by_name,
              COALESCE((SELECT sum(r.places) FROM placement_reservation r WHERE r.group_id = g.id AND r.status = 'actief' AND r.expires_at > now()), 0)::int AS reserved
       FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code
       WHERE g.id = ANY($1::int[]) AND l.provider_id = $2 AND m.region_id = $3
       ORDER BY g.id
       FOR UPDATE OF g`,
      [ids, scope.providerId, scope.regionId],
    );
    const byId = new Map(current.map((r) => [r.id, r]));
    for (const [i, rep] of reports.entries()) {
      const cur = byId.get(rep.groupId);
      if (!cur) throw Object.assign(notFound(`Groep ${rep.groupId}`), { field: `updates.${i}.groupId` });
      if (cur.availability_version !== rep.version) {
        const when = cur.availability_updated_at ? new Date(cur.availability_updated_at).toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam' }) : 'onbekend';
        throw new AppError(
          409,
          'Intussen gewijzigd',
          `${cur.name} is intussen gewijzigd (door ${cur.availability_updated_by_name ?? 'het coördinatiepunt'}, ${when}); u zag versie ${rep.version}, nu is het versie ${cur.availability_version}. Er is niets opgeslagen: laad de groep opnieuw en geef de cijfers opnieuw door.`,
          `updates.${i}.version`,
          'versie-verouderd',
        );
      }
      const problem = availabilityProblem(rep, cur.places_physical, cur.reserved);
      if (problem) throw new AppError(400, 'Ongeldige invoer', `${cur.name}: ${problem}`, `updates.${i}`);
    }
    const updated = await tx.query(
      `UPDATE care_group g SET places_staffed = u.staffed, places_occupied = u.occupied, intake_open = u.intake, availability_note = u.note,
              availability_version = g.availability_version + 1, availability_updated_at = now(),
              availability_updated_by = $6, availability_updated_by_name = $7
       FROM unnest($1::int[], $2::int[], $3::int[], $4::boolean[], $5::text[]) AS u(id, staffed, occupied, intake, note)
       WHERE g.id = u.id
       RETURNING g.id, g.availability_version`,
      [
        ids,
        reports.map((r) => r.staffed),
        reports.map((r) => r.occupied),
        reports.map((r) => r.intakeOpen),
        reports.map((r) => r.note ?? ''),
        account.id,
        account.displayName,
      ],
    );
    await tx.query(
      `INSERT INTO availability_update (group_id, version, places_staffed, places_occupied, intake_open, note, account_id)
       SELECT u.id, g.availability_version, u.staffed, u.occupied, u.intake, u.note, $6
       FROM unnest($1::int[], $2::int[], $3::int[], $4::boolean[], $5::text[]) AS u(id, staffed, occupied, intake, note)
       JOIN care_group g ON g.id = u.id`,
      [ids, reports.map((r) => r.staffed), reports.map((r) => r.occupied), reports.map((r) => r.intakeOpen), reports.map((r) => r.note ?? ''), account.id],
    );
    return updated.map((u) => u.id as number);
  });
  return refreshAndPublish(db, live, scope.regionId, changed);
}

/** After a change: the read model re-reads these groups, and the live screens hear of them. */
export async function refreshAndPublish(db: Db, live: LiveHub | null, regionId: string, groupIds: number[]): Promise<GroupView[]> {
  const rows = await registerFor(db).refresh(groupIds);
  const settings = (await registerFor(db).region(regionId)).settings;
  const now = new Date();
  return rows.map((row) => {
    const g = toView(row, settings, now);
    live?.publish({
      regionId: row.regionId,
      kind: 'availability',
      groupId: g.groupId,
      providerId: g.providerId,
      free: g.places.free,
      staffed: g.places.staffed,
      occupied: g.places.occupied,
      reserved: g.places.reserved,
      version: g.version,
      light: g.light,
    });
    return g;
  });
}

/** The latest availability reports of a group (who reported what, when). */
export async function availabilityHistory(db: Db, scope: DataScope, groupIds: number[], limit = 20) {
  return run<any>(
    db,
    sql`SELECT u.group_id AS "groupId", u.version, u.places_staffed AS staffed, u.places_occupied AS occupied, u.intake_open AS "intakeOpen",
            u.note, u.at, COALESCE(a.display_name, 'onbekend') AS "by"
     FROM availability_update u JOIN care_group g ON g.id = u.group_id JOIN location l ON l.id = g.location_id
     JOIN municipality m ON m.code = l.municipality_code LEFT JOIN account a ON a.id = u.account_id
     WHERE u.group_id = ANY(${groupIds}::int[])
       AND ${scopeSql(scope, { region: 'm.region_id', provider: 'l.provider_id', regionWideForMunicipalities: true })}
     ORDER BY u.at DESC, u.id DESC LIMIT ${limit}`,
  );
}
