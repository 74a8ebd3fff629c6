// The register's tables: provider, provider_registration, location, care_group (the register's columns), contract,
// provider_event. A provider is in a region's register when it has a registration there, or (older data, the
// demo) a contract there. Ending a provider sets valid_to on its registration and its open contracts: every row
// stays, with its history in provider_event.
import type { Db } from '../db/index.ts';
import { typed, sql, inScope, type Query } from '../db/query.ts';
import type { Account, DataScope } from '../access/roles.ts';
import { AppError, badRequest, forbidden, notFound, type FieldError } from '../core/errors.ts';
import { checkGroup, checkLocation, checkProvider, diff, type GroupInput, type LocationInput, type ProviderInput } from './rules.ts';
import { ProviderMatcher, normaliseName, suggestion, SURE, type MatchProvider } from './match.ts';
import { registerChanged, pendingWaits, resolvePendingWaits } from '../placement/index.ts';

export interface ProviderSummary {
  id: number;
  agbCode: string | null;
  kvkNumber: string | null;
  name: string;
  tradeNames: string[];
  providerType: string;
  mainContractor: { id: number; name: string } | null;
  homeMunicipality: string | null;
  validFrom: string | null;
  validTo: string | null;
  ended: boolean;
  segments: string[];
  locations: number;
  groups: number;
  places: number;
}

/** Provider ids in the region's register (registered or contracted), as a subquery. */
const inRegister = (q: Query, regionId: string) =>
  q
    .selectFrom('provider_registration')
    .select('provider_id')
    .where('region_id', '=', regionId)
    .union(q.selectFrom('contract').select('provider_id').where('region_id', '=', regionId));

/** A municipality reads the providers that serve its residents: an allocation of that municipality to them. */
async function servingMunicipality(db: Db, scope: DataScope): Promise<Set<number>> {
  const rows = await typed(db)
    .selectFrom('allocation as a')
    .select('a.provider_id')
    .distinct()
    .where(inScope(scope, { municipality: 'a.municipality_code' }))
    .execute();
  return new Set(rows.map((r) => r.provider_id));
}

/** Which providers of the register the caller may read: null = all. */
export async function visibleProviders(db: Db, scope: DataScope): Promise<Set<number> | null> {
  if (scope.providerId !== null) return new Set([scope.providerId]);
  if (scope.municipalityCode !== null) return servingMunicipality(db, scope);
  return null;
}

export async function listProviders(db: Db, scope: DataScope, today: string): Promise<ProviderSummary[]> {
  const q = typed(db);
  const visible = await visibleProviders(db, scope);
  if (visible && !visible.size) return [];
  let query = q
    .selectFrom('provider as p')
    .leftJoin('provider_registration as r', (j) => j.onRef('r.provider_id', '=', 'p.id').on('r.region_id', '=', scope.regionId))
    .leftJoin('provider as h', 'h.id', 'p.main_contractor_id')
    .where('p.id', 'in', inRegister(q, scope.regionId))
    .select((eb) => [
      'p.id',
      'p.agb_code',
      'p.kvk_number',
      'p.name',
      'p.trade_names',
      'p.provider_type',
      'p.main_contractor_id',
      'h.name as main_name',
      'p.home_municipality_code',
      'r.valid_to',
      sql<
        string | null
      >`COALESCE(r.valid_from, (SELECT min(c.valid_from) FROM contract c WHERE c.provider_id = p.id AND c.region_id = ${scope.regionId}))::text`.as(
        'valid_from',
      ),
      sql<
        string[]
      >`COALESCE((SELECT array_agg(DISTINCT COALESCE(ps.code, s.code) ORDER BY COALESCE(ps.code, s.code)) FROM contract c JOIN segment s ON s.id = c.segment_id
          LEFT JOIN segment ps ON ps.id = s.parent_id WHERE c.provider_id = p.id AND c.region_id = ${scope.regionId}), '{}')`.as('segments'),
      eb
        .selectFrom('location as l')
        .whereRef('l.provider_id', '=', 'p.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('locations'),
      eb
        .selectFrom('care_group as g')
        .innerJoin('location as l', 'l.id', 'g.location_id')
        .whereRef('l.provider_id', '=', 'p.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('groups'),
      eb
        .selectFrom('care_group as g')
        .innerJoin('location as l', 'l.id', 'g.location_id')
        .whereRef('l.provider_id', '=', 'p.id')
        .select(sql<number>`COALESCE(sum(g.places_contracted), 0)`.as('n'))
        .as('places'),
    ])
    .orderBy('p.name');
  if (visible) query = query.where('p.id', 'in', [...visible]);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    agbCode: r.agb_code,
    kvkNumber: r.kvk_number,
    name: r.name,
    tradeNames: r.trade_names,
    providerType: r.provider_type,
    mainContractor: r.main_contractor_id ? { id: r.main_contractor_id, name: r.main_name ?? '' } : null,
    homeMunicipality: r.home_municipality_code?.trim() ?? null,
    validFrom: r.valid_from ? String(r.valid_from).slice(0, 10) : null,
    validTo: r.valid_to ? String(r.valid_to).slice(0, 10) : null,
    ended: !!r.valid_to && String(r.valid_to).slice(0, 10) <= today,
    segments: r.segments ?? [],
    locations: Number(r.locations ?? 0),
    groups: Number(r.groups ?? 0),
    places: Number(r.places ?? 0),
  }));
}

async function assertVisible(db: Db, scope: DataScope, providerId: number) {
  const q = typed(db);
  const found = await q
    .selectFrom('provider as p')
    .select('p.id')
    .where('p.id', '=', providerId)
    .where('p.id', 'in', inRegister(q, scope.regionId))
    .executeTakeFirst();
  const visible = await visibleProviders(db, scope);
  if (!found || (visible && !visible.has(providerId))) throw notFound(`Aanbieder ${providerId}`);
}

export async function getProvider(db: Db, scope: DataScope, providerId: number, today: string) {
  await assertVisible(db, scope, providerId);
  const q = typed(db);
  const summary = (await listProviders(db, { ...scope, providerId, municipalityCode: null }, today))[0];
  const locations = await q
    .selectFrom('location as l')
    .innerJoin('municipality as m', 'm.code', 'l.municipality_code')
    .select([
      'l.id',
      'l.name',
      'l.street',
      'l.house_number',
      'l.postcode',
      'l.city',
      'l.municipality_code',
      'm.name as municipality_name',
      'l.valid_from',
      'l.valid_to',
    ])
    .where('l.provider_id', '=', providerId)
    .orderBy('l.name')
    .orderBy('l.id')
    .execute();
  const groups = await q
    .selectFrom('care_group as g')
    .innerJoin('location as l', 'l.id', 'g.location_id')
    .select(['g.id', 'g.location_id', 'g.name', 'g.group_type', 'g.places_physical', 'g.places_contracted', 'g.age_min', 'g.age_max', 'g.gender'])
    .where('l.provider_id', '=', providerId)
    .orderBy('g.name')
    .orderBy('g.id')
    .execute();
  const contracts = await q
    .selectFrom('contract as c')
    .innerJoin('segment as s', 's.id', 'c.segment_id')
    .select(['c.id', 's.code as segment_code', 's.name as segment_name', 'c.funding_form', 'c.valid_from', 'c.valid_to', 'c.status'])
    .where('c.provider_id', '=', providerId)
    .where('c.region_id', '=', scope.regionId)
    .orderBy('s.code')
    .orderBy('c.valid_from')
    .execute();
  const subcontractors = await q.selectFrom('provider').select(['id', 'name']).where('main_contractor_id', '=', providerId).orderBy('name').execute();
  const history = await q
    .selectFrom('provider_event')
    .select(['at', 'account_name', 'action', 'changes'])
    .where('provider_id', '=', providerId)
    .where('region_id', '=', scope.regionId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  const day = (d: unknown) => (d ? String(d).slice(0, 10) : null);
  return {
    ...summary,
    locations: locations.map((l) => ({
      id: l.id,
      name: l.name,
      street: l.street,
      houseNumber: l.house_number,
      postcode: l.postcode,
      city: l.city,
      municipality: { code: l.municipality_code.trim(), name: l.municipality_name },
      validFrom: day(l.valid_from),
      validTo: day(l.valid_to),
      groups: groups
        .filter((g) => g.location_id === l.id)
        .map((g) => ({
          id: g.id,
          name: g.name,
          groupType: g.group_type,
          placesPhysical: g.places_physical,
          placesContracted: g.places_contracted,
          ageMin: g.age_min,
          ageMax: g.age_max,
          gender: g.gender,
        })),
    })),
    contracts: contracts.map((c) => ({
      id: c.id,
      segment: { code: c.segment_code, name: c.segment_name },
      fundingForm: c.funding_form,
      validFrom: day(c.valid_from)!,
      validTo: day(c.valid_to),
      status: c.status,
    })),
    subcontractors,
    history: history.map((h) => ({
      at: new Date(h.at).toISOString(),
      by: h.account_name,
      action: h.action,
      changes: h.changes as Record<string, [unknown, unknown]>,
    })),
  };
}

/** The providers a matcher compares against: the whole register of the region (ended ones too: history is matched). */
export async function matchableProviders(db: Db, regionId: string): Promise<MatchProvider[]> {
  const q = typed(db);
  const rows = await q
    .selectFrom('provider')
    .select(['id', 'name', 'trade_names', 'agb_code', 'kvk_number'])
    .where('id', 'in', inRegister(q, regionId))
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, tradeNames: r.trade_names, agbCode: r.agb_code?.trim() ?? null, kvkNumber: r.kvk_number?.trim() ?? null }));
}

export async function providerMatcher(db: Db, regionId: string): Promise<ProviderMatcher> {
  return new ProviderMatcher(await matchableProviders(db, regionId));
}

const conflict = (field: string, detail: string, code = 'dubbel') => new AppError(409, 'Bestaat al', detail, field, code);

/** AGB and KvK are unique over every provider (also those of other regions). */
async function assertCodesFree(db: Db, agb: string | null, kvk: string | null, except: number | null) {
  const q = typed(db);
  for (const [col, value, field, label] of [
    ['agb_code', agb, 'agbCode', 'AGB-code'],
    ['kvk_number', kvk, 'kvkNumber', 'KvK-nummer'],
  ] as const) {
    if (!value) continue;
    const hit = await q.selectFrom('provider').select(['id', 'name']).where(col, '=', value).executeTakeFirst();
    if (hit && hit.id !== except) throw conflict(field, `${label} ${value} is al geregistreerd bij ${hit.name} (aanbieder ${hit.id})`);
  }
}

async function event(db: Db, providerId: number, regionId: string, account: Account | null, action: string, changes: Record<string, unknown>) {
  await typed(db)
    .insertInto('provider_event')
    .values({
      provider_id: providerId,
      region_id: regionId,
      account_id: account?.id ?? null,
      account_name: account?.displayName ?? 'systeem',
      action,
      changes: JSON.stringify(changes),
    })
    .execute();
}

function canEdit(scope: DataScope, providerId: number | null) {
  if (scope.municipalityCode !== null) throw forbidden('Een gemeente leest het register, maar wijzigt het niet');
  if (scope.providerId !== null && scope.providerId !== providerId) throw forbidden('Een aanbieder wijzigt alleen de eigen gegevens');
}

async function assertMunicipality(db: Db, code: string | null | undefined, field: string) {
  if (!code) return;
  const m = await typed(db).selectFrom('municipality').select('code').where('code', '=', code).executeTakeFirst();
  if (!m) throw badRequest(`gemeentecode '${code}' bestaat niet`, field);
}

export interface CreateOptions {
  validFrom: string;
  force?: boolean;
}

/**
 * A new provider in the region's register. Refused when its AGB or KvK is already registered (409, naming the
 * provider), and when its name is nearly that of a provider in the register unless `force` (409 "bedoelt u …?").
 */
export async function createProvider(db: Db, scope: DataScope, account: Account | null, input: ProviderInput, o: CreateOptions): Promise<number> {
  canEdit(scope, null);
  if (scope.providerId !== null) throw forbidden('Alleen de regio neemt een nieuwe aanbieder op');
  const { value, errors } = checkProvider(input);
  if (errors.length) throw new AppError(400, 'Ongeldige invoer', errors.map((e) => e.detail).join('; '), errors[0].field, undefined, errors);
  await assertCodesFree(db, value.agbCode, value.kvkNumber, null);
  await assertMunicipality(db, value.homeMunicipalityCode, 'homeMunicipalityCode');
  if (value.mainContractorId) await assertVisible(db, scope, value.mainContractorId);
  if (!o.force) {
    const m = (await providerMatcher(db, scope.regionId)).match({ name: value.name });
    const close = m.candidates.filter((c) => c.score >= SURE);
    if (m.status !== 'unknown' || close.length) {
      const shown = close.length ? close : m.candidates;
      throw new AppError(
        409,
        'Bestaat al',
        `Er staat al een aanbieder met (bijna) deze naam in het register: ${suggestion(shown)} Kies die, of sla toch op als nieuwe aanbieder.`,
        'name',
        'lijkt-op',
        shown.map((c) => ({ field: 'name', detail: `${c.name} (aanbieder ${c.id}, ${Math.round(c.score * 100)}%)` })),
      );
    }
  }
  return db.transaction(async (tx) => {
    const q = typed(tx);
    const { id } = await q
      .insertInto('provider')
      .values({
        name: value.name,
        agb_code: value.agbCode,
        kvk_number: value.kvkNumber,
        trade_names: value.tradeNames,
        provider_type: value.providerType,
        main_contractor_id: value.mainContractorId,
        home_municipality_code: value.homeMunicipalityCode,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q.insertInto('provider_registration').values({ provider_id: id, region_id: scope.regionId, valid_from: o.validFrom }).execute();
    await event(tx, id, scope.regionId, account, 'aangemaakt', { ...value, validFrom: o.validFrom });
    return id;
  });
}

export async function updateProvider(db: Db, scope: DataScope, account: Account | null, providerId: number, patch: Partial<ProviderInput>) {
  canEdit(scope, providerId);
  await assertVisible(db, scope, providerId);
  const q = typed(db);
  const cur = await q.selectFrom('provider').selectAll().where('id', '=', providerId).executeTakeFirstOrThrow();
  const before: ProviderInput = {
    name: cur.name,
    agbCode: cur.agb_code?.trim() ?? null,
    kvkNumber: cur.kvk_number?.trim() ?? null,
    tradeNames: cur.trade_names,
    providerType: cur.provider_type as ProviderInput['providerType'],
    mainContractorId: cur.main_contractor_id,
    homeMunicipalityCode: cur.home_municipality_code?.trim() ?? null,
  };
  // a provider edits its trade names only; codes, type and relations are the region's
  if (scope.providerId !== null) {
    const allowed = new Set(['tradeNames']);
    const other = Object.keys(patch).find((k) => !allowed.has(k) && (patch as any)[k] !== undefined);
    if (other) throw forbidden(`Een aanbieder wijzigt alleen de handelsnamen; '${other}' wijzigt de regio`);
  }
  const { value, errors } = checkProvider({ ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
  if (errors.length) throw new AppError(400, 'Ongeldige invoer', errors.map((e) => e.detail).join('; '), errors[0].field, undefined, errors);
  if (value.mainContractorId === providerId) throw badRequest('een aanbieder kan niet zijn eigen hoofdaannemer zijn', 'mainContractorId');
  if (value.mainContractorId) {
    await assertVisible(db, scope, value.mainContractorId);
    const main = await q.selectFrom('provider').select('main_contractor_id').where('id', '=', value.mainContractorId).executeTakeFirst();
    if (main?.main_contractor_id) throw badRequest('de hoofdaannemer is zelf onderaannemer: kies de hoofdaannemer daarvan', 'mainContractorId');
  }
  await assertCodesFree(db, value.agbCode, value.kvkNumber, providerId);
  await assertMunicipality(db, value.homeMunicipalityCode, 'homeMunicipalityCode');
  const changes = diff(before as unknown as Record<string, unknown>, value as unknown as Record<string, unknown>);
  if (!Object.keys(changes).length) return { changed: false };
  await db.transaction(async (tx) => {
    await typed(tx)
      .updateTable('provider')
      .set({
        name: value.name,
        agb_code: value.agbCode,
        kvk_number: value.kvkNumber,
        trade_names: value.tradeNames,
        provider_type: value.providerType,
        main_contractor_id: value.mainContractorId,
        home_municipality_code: value.homeMunicipalityCode,
        updated_at: sql`now()`,
      })
      .where('id', '=', providerId)
      .execute();
    await event(tx, providerId, scope.regionId, account, 'gewijzigd', changes);
  });
  if (changes.name) await registerChanged(db, scope.regionId, await groupIdsOf(db, providerId));
  return { changed: true };
}

async function groupIdsOf(db: Db, providerId: number): Promise<number[]> {
  const rows = await typed(db)
    .selectFrom('care_group as g')
    .innerJoin('location as l', 'l.id', 'g.location_id')
    .select('g.id')
    .where('l.provider_id', '=', providerId)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Ends a provider in the region's register per a date (exclusive): its registration and its open contracts in the
 * region end then; nothing is deleted.
 */
export async function endProvider(db: Db, scope: DataScope, account: Account | null, providerId: number, validTo: string, reason: string) {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('Alleen de regio beëindigt een aanbieder');
  await assertVisible(db, scope, providerId);
  if (!reason.trim()) throw badRequest('reden is leeg', 'reason');
  await db.transaction(async (tx) => {
    const q = typed(tx);
    const reg = await q
      .selectFrom('provider_registration')
      .selectAll()
      .where('provider_id', '=', providerId)
      .where('region_id', '=', scope.regionId)
      .executeTakeFirst();
    const firstContract = await q
      .selectFrom('contract')
      .select(sql<string>`min(valid_from)::text`.as('d'))
      .where('provider_id', '=', providerId)
      .where('region_id', '=', scope.regionId)
      .executeTakeFirst();
    const from = reg ? String(reg.valid_from).slice(0, 10) : firstContract?.d ? String(firstContract.d).slice(0, 10) : validTo;
    if (reg?.valid_to) throw conflict('validTo', `deze aanbieder is al beëindigd per ${String(reg.valid_to).slice(0, 10)}`, 'al-beeindigd');
    if (validTo <= from) throw badRequest(`einddatum ${validTo} ligt niet na de ingangsdatum ${from}`, 'validTo');
    if (reg)
      await q
        .updateTable('provider_registration')
        .set({ valid_to: validTo, end_reason: reason })
        .where('provider_id', '=', providerId)
        .where('region_id', '=', scope.regionId)
        .execute();
    else
      await q
        .insertInto('provider_registration')
        .values({ provider_id: providerId, region_id: scope.regionId, valid_from: from, valid_to: validTo, end_reason: reason })
        .execute();
    const ended = await q
      .updateTable('contract')
      .set({ valid_to: validTo, status: sql`CASE WHEN ${validTo}::date <= current_date THEN 'beeindigd' ELSE status END` })
      .where('provider_id', '=', providerId)
      .where('region_id', '=', scope.regionId)
      .where('valid_from', '<', validTo)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', validTo)]))
      .returning('id')
      .execute();
    await event(tx, providerId, scope.regionId, account, 'beeindigd', { validTo: [null, validTo], reason: [null, reason], contracts: [null, ended.length] });
  });
}

async function locationOf(db: Db, scope: DataScope, locationId: number) {
  const l = await typed(db).selectFrom('location').selectAll().where('id', '=', locationId).executeTakeFirst();
  if (!l) throw notFound(`Locatie ${locationId}`);
  await assertVisible(db, scope, l.provider_id);
  return l;
}

export async function addLocation(db: Db, scope: DataScope, account: Account | null, providerId: number, input: LocationInput): Promise<number> {
  canEdit(scope, providerId);
  await assertVisible(db, scope, providerId);
  const { value, errors } = checkLocation(input);
  if (errors.length) throw new AppError(400, 'Ongeldige invoer', errors.map((e) => e.detail).join('; '), errors[0].field, undefined, errors);
  await assertMunicipality(db, value.municipalityCode, 'municipalityCode');
  return db.transaction(async (tx) => {
    const { id } = await typed(tx)
      .insertInto('location')
      .values({
        provider_id: providerId,
        name: value.name,
        street: value.street ?? '',
        house_number: value.houseNumber ?? '',
        postcode: value.postcode,
        city: value.city ?? '',
        municipality_code: value.municipalityCode,
        valid_from: value.validFrom ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { municipalityCode, ...rest } = value;
    await event(tx, providerId, scope.regionId, account, 'locatie', { location: [null, { id, ...rest, municipality: municipalityCode }] });
    return id;
  });
}

export async function updateLocation(
  db: Db,
  scope: DataScope,
  account: Account | null,
  locationId: number,
  patch: Partial<LocationInput> & { validTo?: string | null },
) {
  const cur = await locationOf(db, scope, locationId);
  canEdit(scope, cur.provider_id);
  const before: LocationInput & { validTo: string | null } = {
    name: cur.name,
    street: cur.street,
    houseNumber: cur.house_number,
    postcode: cur.postcode,
    city: cur.city,
    municipalityCode: cur.municipality_code.trim(),
    validFrom: cur.valid_from ? String(cur.valid_from).slice(0, 10) : null,
    validTo: cur.valid_to ? String(cur.valid_to).slice(0, 10) : null,
  };
  const merged = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as typeof before;
  const { value, errors } = checkLocation(merged);
  if (merged.validTo && merged.validFrom && merged.validTo <= merged.validFrom)
    errors.push({ field: 'validTo', detail: 'einddatum ligt niet na de ingangsdatum' });
  if (errors.length) throw new AppError(400, 'Ongeldige invoer', errors.map((e) => e.detail).join('; '), errors[0].field, undefined, errors);
  await assertMunicipality(db, value.municipalityCode, 'municipalityCode');
  const changes = diff(before as unknown as Record<string, unknown>, { ...value, validTo: merged.validTo } as Record<string, unknown>);
  if (!Object.keys(changes).length) return { changed: false };
  await db.transaction(async (tx) => {
    await typed(tx)
      .updateTable('location')
      .set({
        name: value.name,
        street: value.street ?? '',
        house_number: value.houseNumber ?? '',
        postcode: value.postcode,
        city: value.city ?? '',
        municipality_code: value.municipalityCode,
        valid_from: value.validFrom ?? null,
        valid_to: merged.validTo ?? null,
      })
      .where('id', '=', locationId)
      .execute();
    await event(tx, cur.provider_id, scope.regionId, account, 'locatie', { [`locatie ${locationId}`]: [null, changes] });
  });
  const groups = await typed(db).selectFrom('care_group').select('id').where('location_id', '=', locationId).execute();
  await registerChanged(
    db,
    scope.regionId,
    groups.map((g) => g.id),
  );
  return { changed: true };
}

export async function addGroup(db: Db, scope: DataScope, account: Account | null, input: GroupInput): Promise<number> {
  const loc = await locationOf(db, scope, input.locationId);
  canEdit(scope, loc.provider_id);
  const errors = checkGroup(input);
  if (errors.length) throw new AppError(400, 'Ongeldige invoer', errors.map((e) => e.detail).join('; '), errors[0].field, undefined, errors);
  const id = await db.transaction(async (tx) => {
    const { id } = await typed(tx)
      .insertInto('care_group')
      .values({
        location_id: input.locationId,
        name: input.name.trim(),
        group_type: input.groupType.trim(),
        places_physical: input.placesPhysical,
        places_contracted: input.placesContracted,
        age_min: input.ageMin ?? null,
        age_max: input.ageMax ?? null,
        gender: input.gender ?? 'gemengd',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await event(tx, loc.provider_id, scope.regionId, account, 'groep', { [`groep ${id}`]: [null, input] });
    return id;
  });
  await registerChanged(db, scope.regionId, [id]);
  return id;
}

export async function updateGroup(db: Db, scope: DataScope, account: Account | null, groupId: number, patch: Partial<Omit<GroupInput, 'locationId'>>) {
  const g = await typed(db).selectFrom('care_group').selectAll().where('id', '=', groupId).executeTakeFirst();
  if (!g) throw notFound(`Groep ${groupId}`);
  const loc = await locationOf(db, scope, g.location_id);
  canEdit(scope, loc.provider_id);
  const before: GroupInput = {
    locationId: g.location_id,
    name: g.name,
    groupType: g.group_type,
    placesPhysical: g.places_physical,
    placesContracted: g.places_contracted,
    ageMin: g.age_min,
    ageMax: g.age_max,
    gender: g.gender,
  };
  const merged = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as GroupInput;
  const errors: FieldError[] = checkGroup(merged);
  if (merged.placesPhysical < g.places_staffed)
    errors.push({
      field: 'placesPhysical',
      detail: `er zijn ${g.places_staffed} plaatsen bemenst gemeld; fysieke plaatsen kunnen niet lager (laat eerst de beschikbaarheid aanpassen)`,
    });
  if (errors.length) throw new AppError(400, 'Ongeldige invoer', errors.map((e) => e.detail).join('; '), errors[0].field, undefined, errors);
  const changes = diff(before as unknown as Record<string, unknown>, merged as unknown as Record<string, unknown>);
  if (!Object.keys(changes).length) return { changed: false };
  await db.transaction(async (tx) => {
    await typed(tx)
      .updateTable('care_group')
      .set({
        name: merged.name.trim(),
        group_type: merged.groupType.trim(),
        places_physical: merged.placesPhysical,
        places_contracted: merged.placesContracted,
        age_min: merged.ageMin ?? null,
        age_max: merged.ageMax ?? null,
        gender: merged.gender ?? 'gemengd',
      })
      .where('id', '=', groupId)
      .execute();
    await event(tx, loc.provider_id, scope.regionId, account, 'groep', { [`groep ${groupId}`]: [null, changes] });
  });
  await registerChanged(db, scope.regionId, [groupId]);
  return { changed: true };
}

/** Waiting-time rows whose provider was unknown, grouped by the name as written, with the closest providers. */
export async function pendingFromImports(db: Db, regionId: string) {
  const [pending, matcher] = await Promise.all([pendingWaits(db, regionId), providerMatcher(db, regionId)]);
  return pending.map((p) => ({ ...p, candidates: matcher.candidates(p.providerName) }));
}

/**
 * One step from an import report: the name written in an outside list becomes a provider. Either a new provider
 * (with this name and, if known, its AGB/KvK) or an existing one (the "bedoelt u …?" choice; the written name is
 * then kept as a trade name so the next list matches by itself). The rows waiting under that name move to it.
 */
export async function adoptPendingName(
  db: Db,
  scope: DataScope,
  account: Account | null,
  input: { providerName: string; providerId?: number | null; agbCode?: string | null; kvkNumber?: string | null; providerType?: ProviderInput['providerType'] },
  today: string,
) {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('Alleen de regio neemt aanbieders op');
  const pending = (await pendingWaits(db, scope.regionId)).find((p) => p.nameKey === (normaliseName(input.providerName) || input.providerName));
  if (!pending) throw notFound(`Wachtende regels voor '${input.providerName}'`);
  let providerId = input.providerId ?? null;
  let created = false;
  if (providerId === null) {
    providerId = await createProvider(
      db,
      scope,
      account,
      { name: input.providerName, agbCode: input.agbCode, kvkNumber: input.kvkNumber, providerType: input.providerType },
      { validFrom: today, force: true },
    );
    created = true;
  } else {
    await assertVisible(db, scope, providerId);
    const p = await typed(db).selectFrom('provider').select(['name', 'trade_names']).where('id', '=', providerId).executeTakeFirstOrThrow();
    const known = [p.name, ...p.trade_names].map(normaliseName);
    if (!known.includes(normaliseName(input.providerName)))
      await updateProvider(db, scope, account, providerId, { tradeNames: [...p.trade_names, input.providerName.trim()] });
  }
  const moved = await db.transaction(async (tx) => {
    const n = await resolvePendingWaits(tx, scope.regionId, input.providerName, providerId!);
    await event(tx, providerId!, scope.regionId, account, 'import', { wachttijdregels: [null, n], naam: [null, input.providerName] });
    return n;
  });
  return { providerId, created, moved };
}
