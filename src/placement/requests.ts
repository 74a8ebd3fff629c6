// Registrations (aanmeldingen): one form per youth, one active request per youth, dated transitions,
// reservations that hold a place for a limited time, and matching. Personal data: the routes audit every read.
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql } from '../db/query.ts';
import type { Account, DataScope } from '../access/roles.ts';
import { AppError, badRequest, forbidden, notFound } from '../core/errors.ts';
import {
  ACTIONS,
  ACTIVE_STATUSES,
  ageOn,
  freePlaces,
  isStale,
  rankProposals,
  transitionProblem,
  type Action,
  type ActorRole,
  type MatchGroup,
  type RequestStatus,
} from './rules.ts';
import { distanceKm } from './geo.ts';
import { getSettings, refreshAndPublish } from './store.ts';
import { registerFor, reservedNow } from './register.ts';
import type { LiveHub } from './live.ts';
import { today as todayNl } from '../core/dates.ts';

/** Today as a calendar date in the Netherlands (core/dates.ts). */
export { todayNl };
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** A crisis stay longer than this many days is a bridging place (overbruggingsplek), not crisis (001 §6). */
export const CRISIS_DAYS = 28;

export interface RequestView {
  requestId: number;
  youthId: number | null;
  pseudonym: string;
  ageYears: number;
  gender: string;
  municipalityCode: string;
  municipalityName: string;
  careTypes: string[];
  targetGroups: string[];
  expertise: string[];
  urgency: string;
  placesNeeded: number;
  maxDistanceKm: number | null;
  keepSchool: boolean;
  note: string;
  status: RequestStatus;
  registeredOn: string;
  placedOn: string | null;
  endedOn: string | null;
  withdrawnOn: string | null;
  waitingDays: number | null; // registration → placement, or → today while waiting
  stayDays: number | null; // placement → end, or → today while placed
  bridging: boolean; // a crisis stay over 28 days: an overbruggingsplek
  placedGroup: { groupId: number; name: string; groupType: string; providerId: number; providerName: string } | null;
  reservation: {
    reservationId: number;
    groupId: number;
    groupName: string;
    providerId: number;
    providerName: string;
    places: number;
    expiresAt: string;
  } | null;
}
export interface RequestEvent {
  onDate: string;
  at: string;
  fromStatus: string | null;
  toStatus: string;
  groupName: string | null;
  by: string | null;
  note: string;
}

const REQUEST_SELECT = `
  SELECT r.id, r.youth_id, y.pseudonym, y.birth_date, y.gender, trim(r.municipality_code) AS municipality_code, mu.name AS municipality_name,
         r.care_types, r.target_groups, r.expertise, r.urgency, r.places_needed, r.max_distance_km, r.keep_school, r.note, r.status,
         r.registered_on, r.placed_on, r.ended_on, r.withdrawn_on,
         pg.id AS placed_group_id, pg.name AS placed_group_name, pg.group_type AS placed_type, ppl.provider_id AS placed_provider_id, ppr.name AS placed_provider_name,
         rs.id AS reservation_id, rs.group_id AS res_group_id, rg.name AS res_group_name, rl.provider_id AS res_provider_id, rpr.name AS res_provider_name,
         rs.places AS res_places, rs.expires_at AS res_expires_at
  FROM placement_request r
  JOIN youth y ON y.id = r.youth_id
  JOIN municipality mu ON mu.code = r.municipality_code
  LEFT JOIN care_group pg ON pg.id = r.placed_group_id
  LEFT JOIN location ppl ON ppl.id = pg.location_id
  LEFT JOIN provider ppr ON ppr.id = ppl.provider_id
  LEFT JOIN placement_reservation rs ON rs.request_id = r.id AND rs.status = 'actief' AND rs.expires_at > now()
  LEFT JOIN care_group rg ON rg.id = rs.group_id
  LEFT JOIN location rl ON rl.id = rg.location_id
  LEFT JOIN provider rpr ON rpr.id = rl.provider_id`;

/**
 * Who sees a request: the coordinator the region's requests; a municipality the requests of its residents; a provider
 * only a request offered to it (an active reservation on one of its groups) or placed with it.
 */
const requestScope = (scope: DataScope) =>
  scopeSql(scope, { region: 'r.region_id', municipality: 'r.municipality_code', provider: ['rl.provider_id', 'ppl.provider_id'] });

function toView(r: any, scope: DataScope, asOf: string): RequestView {
  const stayEnd = r.ended_on ?? (r.placed_on ? asOf : null);
  const stayDays = r.placed_on ? daysBetween(r.placed_on, stayEnd) : null;
  return {
    requestId: r.id,
    youthId: scope.providerId === null ? r.youth_id : null, // a provider works with the pseudonym only
    pseudonym: r.pseudonym,
    ageYears: ageOn(r.birth_date, r.placed_on ?? asOf),
    gender: r.gender,
    municipalityCode: r.municipality_code,
    municipalityName: r.municipality_name,
    careTypes: r.care_types,
    targetGroups: r.target_groups,
    expertise: r.expertise,
    urgency: r.urgency,
    placesNeeded: r.places_needed,
    maxDistanceKm: r.max_distance_km,
    keepSchool: r.keep_school,
    note: r.note,
    status: r.status,
    registeredOn: r.registered_on,
    placedOn: r.placed_on,
    endedOn: r.ended_on,
    withdrawnOn: r.withdrawn_on,
    waitingDays: r.placed_on ? daysBetween(r.registered_on, r.placed_on) : ACTIVE_STATUSES.includes(r.status) ? daysBetween(r.registered_on, asOf) : null,
    stayDays,
    bridging: r.placed_type === 'crisis' && stayDays !== null && stayDays > CRISIS_DAYS,
    placedGroup: r.placed_group_id
      ? {
          groupId: r.placed_group_id,
          name: r.placed_group_name,
          groupType: r.placed_type,
          providerId: r.placed_provider_id,
          providerName: r.placed_provider_name,
        }
      : null,
    reservation: r.reservation_id
      ? {
          reservationId: r.reservation_id,
          groupId: r.res_group_id,
          groupName: r.res_group_name,
          providerId: r.res_provider_id,
          providerName: r.res_provider_name,
          places: r.res_places,
          expiresAt: r.res_expires_at,
        }
      : null,
  };
}

export type StatusFilter = 'wachtend' | 'geplaatst' | 'afgesloten' | 'alle';
const STATUS_FILTERS: Record<StatusFilter, RequestStatus[] | null> = {
  wachtend: [...ACTIVE_STATUSES],
  geplaatst: ['geplaatst'],
  afgesloten: ['beeindigd', 'ingetrokken'],
  alle: null,
};

export async function listRequests(db: Db, scope: DataScope, f: { status: StatusFilter; limit: number }, asOf: string): Promise<RequestView[]> {
  const statuses = STATUS_FILTERS[f.status];
  const rows = await run<any>(
    db,
    sql`${sql.raw(REQUEST_SELECT)} WHERE ${requestScope(scope)} AND ${statuses ? sql`r.status = ANY(${statuses}::text[])` : sql`true`}
     ORDER BY (r.status = ANY('{aangemeld,in_behandeling,aangeboden}')) DESC, array_position('{spoed,hoog,normaal}'::text[], r.urgency),
              r.registered_on, r.id
     LIMIT ${f.limit}`,
  );
  return rows.map((r) => toView(r, scope, asOf));
}

/** Every request of one youth (the active one first), with its dated steps. */
export async function requestsOfYouth(db: Db, scope: DataScope, youthId: number, asOf: string): Promise<(RequestView & { events: RequestEvent[] })[]> {
  const rows = await run<any>(
    db,
    sql`${sql.raw(REQUEST_SELECT)} WHERE ${requestScope(scope)} AND r.youth_id = ${youthId}
     ORDER BY (r.status = ANY('{aangemeld,in_behandeling,aangeboden}')) DESC, r.registered_on DESC, r.id DESC`,
  );
  if (!rows.length) return [];
  const events = await db.query(
    `SELECT e.request_id, e.on_date AS "onDate", e.at, e.from_status AS "fromStatus", e.to_status AS "toStatus", g.name AS "groupName",
            a.display_name AS "by", e.note
     FROM placement_request_event e LEFT JOIN care_group g ON g.id = e.group_id LEFT JOIN account a ON a.id = e.account_id
     WHERE e.request_id = ANY($1::bigint[]) ORDER BY e.id`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => ({
    ...toView(r, scope, asOf),
    events: events.filter((e) => e.request_id === r.id).map(({ request_id: _r, ...e }) => e as RequestEvent),
  }));
}

export interface NewRequest {
  youthId?: number;
  pseudonym?: string;
  careTypes: string[];
  targetGroups: string[];
  expertise: string[];
  urgency: 'spoed' | 'hoog' | 'normaal';
  placesNeeded: number;
  maxDistanceKm: number | null;
  keepSchool: boolean;
  note: string;
  registeredOn?: string;
}

/** The active request of a youth, as a pointer for the refusal of a second one. */
async function activeRequestOf(db: Db, youthId: number) {
  const [a] = await db.query(
    `SELECT id, status, registered_on FROM placement_request WHERE youth_id = $1 AND status = ANY('{aangemeld,in_behandeling,aangeboden}')`,
    [youthId],
  );
  return a as { id: number; status: RequestStatus; registered_on: string } | undefined;
}

export class DuplicateRequest extends AppError {
  constructor(
    readonly existingRequestId: number,
    status: string,
    registeredOn: string,
  ) {
    super(
      409,
      'Er loopt al een aanvraag',
      `Voor deze jeugdige loopt al een aanvraag (nr. ${existingRequestId}, ${status}, aangemeld op ${registeredOn}). Eén jeugdige heeft één actieve aanvraag: werk die bij in plaats van een tweede te maken.`,
      'youthId',
      'aanvraag-bestaat',
    );
  }
}

/** Registers a youth. A municipality registers its own residents; the coordinator any youth of the region. */
export async function registerRequest(
  db: Db,
  live: LiveHub | null,
  scope: DataScope,
  account: Account,
  input: NewRequest,
  today: string,
): Promise<RequestView> {
  if (!input.youthId && !input.pseudonym) throw badRequest('Kies de jeugdige (pseudoniem of id)', 'pseudonym');
  const [youth] = await db.query(
    `SELECT y.id, trim(y.municipality_code) AS municipality_code, m.region_id FROM youth y JOIN municipality m ON m.code = y.municipality_code
     WHERE ${input.youthId ? 'y.id = $1' : 'y.pseudonym = $1'}`,
    [input.youthId ?? input.pseudonym],
  );
  if (!youth || youth.region_id !== scope.regionId || (scope.municipalityCode && youth.municipality_code !== scope.municipalityCode)) {
    // one answer for "unknown" and "not yours", and never an internal id in it
    throw Object.assign(notFound(input.youthId ? 'Deze jeugdige in uw werkgebied' : 'Een jeugdige met dit pseudoniem in uw werkgebied'), {
      field: input.youthId ? 'youthId' : 'pseudonym',
    });
  }
  const registeredOn = input.registeredOn ?? today;
  if (registeredOn > today) throw badRequest(`De aanmelddatum ${registeredOn} ligt in de toekomst`, 'registeredOn');
  const existing = await activeRequestOf(db, youth.id);
  if (existing) throw new DuplicateRequest(existing.id, existing.status, existing.registered_on);
  let id: number;
  try {
    id = await db.transaction(async (tx) => {
      const [r] = await tx.query(
        `INSERT INTO placement_request (region_id, youth_id, municipality_code, care_types, target_groups, expertise, urgency, places_needed,
                                        max_distance_km, keep_school, note, registered_on, created_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id`,
        [
          scope.regionId,
          youth.id,
          youth.municipality_code,
          input.careTypes,
          input.targetGroups,
          input.expertise,
          input.urgency,
          input.placesNeeded,
          input.maxDistanceKm,
          input.keepSchool,
          input.note,
          registeredOn,
          account.id,
        ],
      );
      await tx.query(`INSERT INTO placement_request_event (request_id, on_date, from_status, to_status, account_id) VALUES ($1,$2,NULL,'aangemeld',$3)`, [
        r.id,
        registeredOn,
        account.id,
      ]);
      return r.id as number;
    });
  } catch (e: any) {
    // two registrations at the same moment: the partial unique index lets one through
    if (e?.code === '23505' && String(e?.constraint ?? e?.message).includes('placement_request_one_active')) {
      const a = await activeRequestOf(db, youth.id);
      if (a) throw new DuplicateRequest(a.id, a.status, a.registered_on);
    }
    throw e;
  }
  live?.publish({ regionId: scope.regionId, kind: 'request', requestId: id, municipalityCode: youth.municipality_code });
  const [row] = await db.query(`${REQUEST_SELECT} WHERE r.id = $1`, [id]);
  return toView(row, scope, today);
}

export interface ActionInput {
  requestId: number;
  action: Action;
  onDate?: string;
  groupId?: number;
  note?: string;
}

/** One step of the state machine, with its date; scoped to what the caller may do with this request. */
export async function applyAction(db: Db, live: LiveHub | null, scope: DataScope, account: Account, input: ActionInput, today: string): Promise<RequestView> {
  await expireReservations(db, live);
  const role = account.role as ActorRole;
  const onDate = input.onDate ?? today;
  const touchedGroups: number[] = [];
  const result = await db.transaction(async (tx) => {
    const [r] = await tx.query(
      `SELECT r.id, r.status, r.region_id, trim(r.municipality_code) AS municipality_code, r.places_needed, r.placed_group_id, r.registered_on,
              (SELECT max(on_date) FROM placement_request_event e WHERE e.request_id = r.id) AS last_date,
              pl.provider_id AS placed_provider_id
       FROM placement_request r LEFT JOIN care_group pg ON pg.id = r.placed_group_id LEFT JOIN location pl ON pl.id = pg.location_id
       WHERE r.id = $1 FOR UPDATE OF r`,
      [input.requestId],
    );
    const [res] = r
      ? await tx.query(
          `SELECT rs.id, rs.group_id, rs.places, l.provider_id FROM placement_reservation rs JOIN care_group g ON g.id = rs.group_id JOIN location l ON l.id = g.location_id
       WHERE rs.request_id = $1 AND rs.status = 'actief' FOR UPDATE OF rs`,
          [input.requestId],
        )
      : [];
    // scope: what is not yours does not exist for you
    const visible =
      r &&
      r.region_id === scope.regionId &&
      (!scope.municipalityCode || r.municipality_code === scope.municipalityCode) &&
      (scope.providerId === null || res?.provider_id === scope.providerId || r.placed_provider_id === scope.providerId);
    if (!visible) throw Object.assign(notFound(`Aanvraag ${input.requestId}`), { field: 'requestId' });
    const problem = transitionProblem(input.action, r.status, role, onDate, r.last_date ?? r.registered_on, today);
    if (problem?.kind === 'role') throw forbidden(problem.message);
    if (problem)
      throw new AppError(
        problem.kind === 'date' ? 400 : 409,
        problem.kind === 'date' ? 'Ongeldige invoer' : 'Kan niet nu',
        problem.message,
        problem.kind === 'date' ? 'onDate' : 'action',
      );
    if (scope.providerId !== null && input.action === 'beeindigen' && r.placed_provider_id !== scope.providerId) throw forbidden();
    const to = ACTIONS[input.action].to;
    let groupId: number | null = null;
    const bump = async (gid: number, occupiedDelta: number) => {
      await tx.query(
        `UPDATE care_group SET availability_version = availability_version + 1,
                places_occupied = GREATEST(0, places_occupied + $2)
         WHERE id = $1`,
        [gid, occupiedDelta],
      );
      touchedGroups.push(gid);
    };
    switch (input.action) {
      case 'aanbieden': {
        if (!input.groupId) throw badRequest('Kies de groep waar de plek wordt aangeboden', 'groupId');
        const settings = await getSettings(tx, scope.regionId);
        const [g] = await tx.query(
          `SELECT g.id, g.name, g.intake_open, placement_free(g.places_staffed, g.places_occupied, COALESCE(rv.reserved, 0)) AS free
           FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code
           LEFT JOIN placement_reserved rv ON rv.group_id = g.id
           WHERE g.id = $1 AND m.region_id = $2 FOR UPDATE OF g`,
          [input.groupId, scope.regionId],
        );
        if (!g) throw Object.assign(notFound(`Groep ${input.groupId}`), { field: 'groupId' });
        if (!g.intake_open) throw new AppError(409, 'Geen plek', `${g.name} heeft een opnamestop`, 'groupId', 'geen-plek');
        if (g.free < r.places_needed) {
          throw new AppError(
            409,
            'Geen plek',
            `${g.name} heeft ${g.free} vrije bemenste ${g.free === 1 ? 'plek' : 'plekken'}; nodig: ${r.places_needed}`,
            'groupId',
            'geen-plek',
          );
        }
        await tx.query(
          `INSERT INTO placement_reservation (request_id, group_id, places, expires_at, account_id)
           VALUES ($1,$2,$3, now() + make_interval(hours => $4), $5)`,
          [r.id, g.id, r.places_needed, settings.reservationHours, account.id],
        );
        await bump(g.id, 0);
        groupId = g.id;
        break;
      }
      case 'afwijzen':
      case 'intrekken': {
        if (res) {
          await tx.query(`UPDATE placement_reservation SET status = 'vrijgegeven', closed_at = now() WHERE id = $1`, [res.id]);
          await bump(res.group_id, 0);
          groupId = res.group_id;
        }
        break;
      }
      case 'plaatsen': {
        if (!res) throw new AppError(409, 'Kan niet nu', 'Er is geen geldige reservering (meer) om om te zetten in een plaatsing', 'action');
        await tx.query(`UPDATE placement_reservation SET status = 'omgezet', closed_at = now() WHERE id = $1`, [res.id]);
        await bump(res.group_id, res.places); // the reserved places become occupied ones
        groupId = res.group_id;
        break;
      }
      case 'beeindigen': {
        await bump(r.placed_group_id, -r.places_needed);
        groupId = r.placed_group_id;
        break;
      }
      case 'oppakken':
        break;
    }
    await tx.query(
      `UPDATE placement_request SET status = $2,
              placed_on = CASE WHEN $2 = 'geplaatst' THEN $3::date ELSE placed_on END,
              placed_group_id = CASE WHEN $2 = 'geplaatst' THEN $4::int ELSE placed_group_id END,
              ended_on = CASE WHEN $2 = 'beeindigd' THEN $3::date ELSE ended_on END,
              withdrawn_on = CASE WHEN $2 = 'ingetrokken' THEN $3::date ELSE withdrawn_on END
       WHERE id = $1`,
      [r.id, to, onDate, groupId],
    );
    await tx.query(
      `INSERT INTO placement_request_event (request_id, on_date, from_status, to_status, group_id, account_id, note) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [r.id, onDate, r.status, to, groupId, account.id, input.note ?? ''],
    );
    return { id: r.id as number, municipalityCode: r.municipality_code as string };
  });
  await refreshAndPublish(db, live, scope.regionId, touchedGroups);
  live?.publish({ regionId: scope.regionId, kind: 'request', requestId: result.id, municipalityCode: result.municipalityCode });
  const [row] = await db.query(`${REQUEST_SELECT} WHERE r.id = $1`, [result.id]);
  return toView(row, scope, today);
}

/**
 * Reservations past their time: marked 'verlopen', and their requests go back to 'in behandeling' with a dated
 * step. Reads never depend on this having run (a reservation past its time holds nothing); it keeps the
 * requests' states and the screens right.
 */
export async function expireReservations(db: Db, live: LiveHub | null): Promise<number> {
  const rows = await db.transaction(async (tx) => {
    const expired = await tx.query(
      `UPDATE placement_reservation SET status = 'verlopen', closed_at = now()
       WHERE status = 'actief' AND expires_at <= now()
       RETURNING id, request_id, group_id, expires_at`,
    );
    if (!expired.length) return [];
    const back = await tx.query(
      `UPDATE placement_request r SET status = 'in_behandeling'
       FROM unnest($1::bigint[]) AS x(id) WHERE r.id = x.id AND r.status = 'aangeboden'
       RETURNING r.id, r.region_id`,
      [expired.map((e) => e.request_id)],
    );
    for (const b of back) {
      const e = expired.find((x) => x.request_id === b.id)!;
      await tx.query(
        `INSERT INTO placement_request_event (request_id, on_date, from_status, to_status, group_id, note)
         VALUES ($1, GREATEST($2::date, (SELECT max(on_date) FROM placement_request_event WHERE request_id = $1)), 'aangeboden', 'in_behandeling', $3, 'Reservering verlopen')`,
        [b.id, todayNl(new Date(e.expires_at)), e.group_id],
      );
    }
    return back.map((b) => ({
      requestId: b.id as number,
      regionId: b.region_id as string,
      groupId: expired.find((x) => x.request_id === b.id)!.group_id as number,
    }));
  });
  for (const r of rows) {
    await refreshAndPublish(db, live, r.regionId, [r.groupId]);
    live?.publish({ regionId: r.regionId, kind: 'request', requestId: r.requestId });
  }
  return rows.length;
}

/** Ranked proposals for the youth's active request (the coordinator decides). */
export async function proposalsFor(db: Db, scope: DataScope, youthId: number, asOf: string) {
  // proposals are the coordinator's and the municipality's work: a provider's scope finds no request here
  const [r] = await run<any>(
    db,
    sql`SELECT r.id, r.care_types, r.target_groups, r.expertise, r.places_needed, r.max_distance_km, r.keep_school, r.urgency, r.status,
            y.birth_date, y.gender, y.pseudonym, trim(r.municipality_code) AS home, mu.name AS home_name, mu.region_id AS home_region, mu.province AS home_province
     FROM placement_request r JOIN youth y ON y.id = r.youth_id JOIN municipality mu ON mu.code = r.municipality_code
     WHERE r.youth_id = ${youthId} AND ${scopeSql(scope, { region: 'r.region_id', municipality: 'r.municipality_code', noneForProviders: true })}
       AND r.status = ANY('{aangemeld,in_behandeling,aangeboden}')`,
  );
  if (!r) return { requestId: null, proposals: [], excluded: null, considered: 0 };
  const { groups, settings } = await registerFor(db).region(scope.regionId);
  const now = Date.now();
  const home = { code: r.home, region: r.home_region, province: r.home_province };
  const candidates: MatchGroup[] = groups
    .filter((g) => r.care_types.includes(g.groupType))
    .map((g) => {
      const d = distanceKm(home, { code: g.municipalityCode, region: g.regionId, province: g.province });
      return {
        groupId: g.id,
        name: g.name,
        groupType: g.groupType,
        providerName: g.providerName,
        locationName: g.locationName,
        municipalityName: g.municipalityName,
        ageMin: g.ageMin,
        ageMax: g.ageMax,
        gender: g.gender,
        offers: [...g.expertise, ...g.targetGroups],
        intakeOpen: g.intakeOpen,
        free: freePlaces({ physical: g.physical, staffed: g.staffed, occupied: g.occupied, reserved: reservedNow(g, now) }),
        stale: isStale(g.updatedAt, new Date(now), settings.staleAfterHours),
        distanceKm: d.km,
        distanceApproximate: d.approximate,
      };
    });
  const ranked = rankProposals(
    {
      ageYears: ageOn(r.birth_date, asOf),
      gender: r.gender,
      careTypes: r.care_types,
      needs: [...r.expertise, ...r.target_groups],
      placesNeeded: r.places_needed,
      maxDistanceKm: r.max_distance_km,
      keepSchool: r.keep_school,
    },
    candidates,
    r.home_name,
  );
  ranked.excluded.type += groups.length - candidates.length; // groups of other kinds
  return { requestId: r.id as number, status: r.status as RequestStatus, ...ranked, considered: groups.length };
}
