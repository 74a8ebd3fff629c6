// Admission (toelating) in Open House (seed 004): a provider applies for a product group (segment) in a municipality
// while an entry window is open and the group is not closed there; the region's requirements are a checklist with
// evidence per item; the region reviews (ingediend → in behandeling → aanvullen / toegelaten / afgewezen, with who
// and when); admission creates the contract. Rules first (plain functions), then the store.
import type { Db } from '../db/index.ts';
import { typed, sql, inScope, unscoped } from '../db/query.ts';
import type { Account, DataScope } from '../access/roles.ts';
import { AppError, badRequest, forbidden, notFound } from '../core/errors.ts';

/** The region's requirements (seed 004 §Toelating; brief §7). `expires`: the evidence carries a valid-until date. */
export const REQUIREMENTS = [
  { code: 'kwaliteitskader', label: 'Kwaliteitskader jeugd (HKZ, ISO of gelijkwaardig)', expires: true },
  { code: 'kit_barrieremodel', label: 'Kwaliteit en integriteit: barrièremodel / KIT', expires: false },
  { code: 'bibob', label: 'Bibob-vragenlijst', expires: false },
  { code: 'governancecode', label: 'Governancecode Zorg', expires: false },
  { code: 'wnt', label: 'WNT-verantwoording (topinkomens)', expires: false },
  { code: 'certificaat', label: 'Certificaten en registraties (SKJ/BIG)', expires: true },
  { code: 'verzekering', label: 'Aansprakelijkheidsverzekering', expires: true },
] as const;
export type RequirementCode = (typeof REQUIREMENTS)[number]['code'];
export const STATUSES = ['ingediend', 'in_behandeling', 'aanvullen', 'toegelaten', 'afgewezen'] as const;
export type AdmissionStatus = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<AdmissionStatus, string> = {
  ingediend: 'Ingediend',
  in_behandeling: 'In behandeling',
  aanvullen: 'Aanvullen',
  toegelaten: 'Toegelaten',
  afgewezen: 'Afgewezen',
};

/** Who may move an application from one state to another. */
const TRANSITIONS: Record<AdmissionStatus, { to: AdmissionStatus; by: 'regio' | 'aanbieder'; reason?: boolean }[]> = {
  ingediend: [
    { to: 'in_behandeling', by: 'regio' },
    { to: 'afgewezen', by: 'regio', reason: true },
  ],
  in_behandeling: [
    { to: 'aanvullen', by: 'regio', reason: true },
    { to: 'toegelaten', by: 'regio' },
    { to: 'afgewezen', by: 'regio', reason: true },
  ],
  aanvullen: [
    { to: 'ingediend', by: 'aanbieder' },
    { to: 'afgewezen', by: 'regio', reason: true },
  ],
  toegelaten: [],
  afgewezen: [],
};

export interface EvidenceItem {
  requirement: string;
  description: string;
  validUntil: string | null;
}

/** What still stands between an application and admission on this date (empty: it can be admitted). */
export function missingEvidence(evidence: EvidenceItem[], on: string): { requirement: string; detail: string }[] {
  const out: { requirement: string; detail: string }[] = [];
  for (const r of REQUIREMENTS) {
    const e = evidence.find((x) => x.requirement === r.code);
    if (!e) out.push({ requirement: r.code, detail: `${r.label}: ontbreekt` });
    else if (r.expires && !e.validUntil) out.push({ requirement: r.code, detail: `${r.label}: geldig-tot-datum ontbreekt` });
    else if (e.validUntil && e.validUntil < on) out.push({ requirement: r.code, detail: `${r.label}: verlopen op ${e.validUntil}` });
  }
  return out;
}

/** A state change is allowed for this role, or the reason it is not. */
export function checkTransition(from: AdmissionStatus, to: AdmissionStatus, role: string, reason: string): string | null {
  const t = TRANSITIONS[from].find((x) => x.to === to);
  if (!t) return `van '${STATUS_LABELS[from]}' kan een aanvraag niet naar '${STATUS_LABELS[to] ?? to}'`;
  if (t.by !== role) return `alleen ${t.by === 'regio' ? 'de regio' : 'de aanbieder'} zet een aanvraag op '${STATUS_LABELS[to]}'`;
  if (t.reason && !reason.trim()) return `geef een reden bij '${STATUS_LABELS[to]}'`;
  return null;
}

// --- store ----------------------------------------------------------------------------------------------

const day = (d: unknown) => (d ? String(d).slice(0, 10) : null);

async function segmentByCode(db: Db, regionId: string, code: string) {
  const s = await typed(db)
    .selectFrom('segment')
    .select(['id', 'code', 'name', 'funding_form'])
    .where('region_id', '=', regionId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!s) throw badRequest(`productgroep '${code}' bestaat niet in deze regio`, 'segmentCode');
  return s;
}

async function assertMunicipalityInRegion(db: Db, regionId: string, code: string) {
  const m = await typed(db).selectFrom('municipality').select('code').where('code', '=', code).where('region_id', '=', regionId).executeTakeFirst();
  if (!m) throw badRequest(`gemeente '${code}' hoort niet bij deze regio`, 'municipalityCode');
}

export async function listWindows(db: Db, regionId: string, today: string) {
  const q = typed(db);
  const windows = await q
    .selectFrom('admission_window as w')
    .innerJoin('segment as s', 's.id', 'w.segment_id')
    .leftJoin('municipality as m', 'm.code', 'w.municipality_code')
    .select([
      'w.id',
      's.code as segment_code',
      's.name as segment_name',
      'w.municipality_code',
      'm.name as municipality_name',
      'w.opens_on',
      'w.closes_on',
      'w.note',
    ])
    .where('w.region_id', '=', regionId)
    .orderBy('w.opens_on', 'desc')
    .orderBy('w.id')
    .execute();
  const closures = await q
    .selectFrom('admission_closure as c')
    .innerJoin('segment as s', 's.id', 'c.segment_id')
    .innerJoin('municipality as m', 'm.code', 'c.municipality_code')
    .select(['s.code as segment_code', 's.name as segment_name', 'c.municipality_code', 'm.name as municipality_name', 'c.closed_on', 'c.reason'])
    .where('c.region_id', '=', regionId)
    .orderBy('s.code')
    .orderBy('m.name')
    .execute();
  return {
    windows: windows.map((w) => ({
      id: w.id,
      segment: { code: w.segment_code, name: w.segment_name },
      municipality: w.municipality_code ? { code: w.municipality_code.trim(), name: w.municipality_name ?? '' } : null,
      opensOn: day(w.opens_on)!,
      closesOn: day(w.closes_on)!,
      open: day(w.opens_on)! <= today && today <= day(w.closes_on)!,
      note: w.note,
    })),
    closures: closures.map((c) => ({
      segment: { code: c.segment_code, name: c.segment_name },
      municipality: { code: c.municipality_code.trim(), name: c.municipality_name },
      closedOn: day(c.closed_on)!,
      reason: c.reason,
    })),
    requirements: REQUIREMENTS.map((r) => ({ ...r })),
  };
}

export async function openWindow(
  db: Db,
  scope: DataScope,
  input: { segmentCode: string; municipalityCode?: string | null; opensOn: string; closesOn: string; note?: string },
) {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('Alleen de regio opent een toetredingsmoment');
  if (input.closesOn < input.opensOn) throw badRequest('de sluitdatum ligt voor de openingsdatum', 'closesOn');
  const s = await segmentByCode(db, scope.regionId, input.segmentCode);
  if (input.municipalityCode) await assertMunicipalityInRegion(db, scope.regionId, input.municipalityCode);
  const { id } = await typed(db)
    .insertInto('admission_window')
    .values({
      region_id: scope.regionId,
      segment_id: s.id,
      municipality_code: input.municipalityCode ?? null,
      opens_on: input.opensOn,
      closes_on: input.closesOn,
      note: input.note ?? '',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Closes (or reopens) a product group for newcomers in one municipality. */
export async function setClosure(
  db: Db,
  scope: DataScope,
  input: { segmentCode: string; municipalityCode: string; closed: boolean; reason?: string },
  today: string,
) {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('Alleen de regio sluit een productgroep');
  const s = await segmentByCode(db, scope.regionId, input.segmentCode);
  await assertMunicipalityInRegion(db, scope.regionId, input.municipalityCode);
  const q = typed(db);
  if (!input.closed) {
    await q.deleteFrom('admission_closure').where('segment_id', '=', s.id).where('municipality_code', '=', input.municipalityCode).execute();
    return;
  }
  if (!input.reason?.trim()) throw badRequest('geef een reden (bv. het aanbod is voldoende)', 'reason');
  await q
    .insertInto('admission_closure')
    .values({ region_id: scope.regionId, segment_id: s.id, municipality_code: input.municipalityCode, closed_on: today, reason: input.reason })
    .onConflict((oc) => oc.columns(['segment_id', 'municipality_code']).doUpdateSet({ closed_on: today, reason: input.reason! }))
    .execute();
}

async function event(db: Db, applicationId: number, account: Account | null, from: string | null, to: string, note = '') {
  await typed(db)
    .insertInto('admission_event')
    .values({
      application_id: applicationId,
      account_id: account?.id ?? null,
      account_name: account?.displayName ?? 'systeem',
      from_status: from,
      to_status: to,
      note,
    })
    .execute();
}

/** A provider applies (or the region on its behalf): only inside an open window, and not where the group is closed. */
export async function apply(
  db: Db,
  scope: DataScope,
  account: Account | null,
  input: { providerId?: number; segmentCode: string; municipalityCode: string },
  today: string,
): Promise<number> {
  if (scope.municipalityCode !== null) throw forbidden('Een gemeente dient geen aanvraag in');
  const providerId = scope.providerId ?? input.providerId;
  if (!providerId) throw badRequest('kies de aanbieder', 'providerId');
  if (scope.providerId !== null && input.providerId && input.providerId !== scope.providerId)
    throw forbidden('Een aanbieder vraagt alleen voor zichzelf toelating aan');
  const q = typed(db);
  if (!(await q.selectFrom('provider').select('id').where('id', '=', providerId).executeTakeFirst())) throw notFound(`Aanbieder ${providerId}`);
  const s = await segmentByCode(db, scope.regionId, input.segmentCode);
  await assertMunicipalityInRegion(db, scope.regionId, input.municipalityCode);
  const closed = await q
    .selectFrom('admission_closure')
    .select(['closed_on', 'reason'])
    .where('segment_id', '=', s.id)
    .where('municipality_code', '=', input.municipalityCode)
    .executeTakeFirst();
  if (closed)
    throw new AppError(
      409,
      'Gesloten',
      `${s.name} is in deze gemeente gesloten voor nieuwe aanbieders sinds ${day(closed.closed_on)}: ${closed.reason}`,
      'municipalityCode',
      'gesloten',
    );
  const window = await q
    .selectFrom('admission_window')
    .select(['id', 'opens_on', 'closes_on'])
    .where('region_id', '=', scope.regionId)
    .where('segment_id', '=', s.id)
    .where((eb) => eb.or([eb('municipality_code', 'is', null), eb('municipality_code', '=', input.municipalityCode)]))
    .where('opens_on', '<=', today)
    .where('closes_on', '>=', today)
    .orderBy('closes_on', 'desc')
    .executeTakeFirst();
  if (!window) {
    const next = await q
      .selectFrom('admission_window')
      .select(['opens_on'])
      .where('region_id', '=', scope.regionId)
      .where('segment_id', '=', s.id)
      .where((eb) => eb.or([eb('municipality_code', 'is', null), eb('municipality_code', '=', input.municipalityCode)]))
      .where('opens_on', '>', today)
      .orderBy('opens_on')
      .executeTakeFirst();
    throw new AppError(
      409,
      'Buiten toetredingsmoment',
      `${s.name} is op ${today} niet open voor toetreding${next ? `; het volgende toetredingsmoment opent op ${day(next.opens_on)}` : ''}`,
      'segmentCode',
      'buiten-venster',
    );
  }
  const open = await q
    .selectFrom('admission_application')
    .select('id')
    .where('provider_id', '=', providerId)
    .where('segment_id', '=', s.id)
    .where('municipality_code', '=', input.municipalityCode)
    .where('status', 'in', ['ingediend', 'in_behandeling', 'aanvullen'])
    .executeTakeFirst();
  if (open) throw new AppError(409, 'Bestaat al', `er loopt al een aanvraag (${open.id}) voor ${s.name} in deze gemeente`, 'segmentCode', 'dubbel');
  return db.transaction(async (tx) => {
    const { id } = await typed(tx)
      .insertInto('admission_application')
      .values({
        region_id: scope.regionId,
        provider_id: providerId,
        segment_id: s.id,
        municipality_code: input.municipalityCode,
        window_id: window.id,
        submitted_on: today,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await event(tx, id, account, null, 'ingediend');
    return id;
  });
}

const APP_COLUMNS = [
  'a.id',
  'a.provider_id',
  'p.name as provider_name',
  's.code as segment_code',
  's.name as segment_name',
  'a.municipality_code',
  'm.name as municipality_name',
  'a.status',
  'a.submitted_on',
  'a.decided_on',
  'a.decided_by',
  'a.reason',
  'a.contract_id',
] as const;

function scoped(db: Db, scope: DataScope) {
  let q = typed(db)
    .selectFrom('admission_application as a')
    .innerJoin('provider as p', 'p.id', 'a.provider_id')
    .innerJoin('segment as s', 's.id', 'a.segment_id')
    .innerJoin('municipality as m', 'm.code', 'a.municipality_code')
    .where('a.region_id', '=', scope.regionId);
  if (scope.providerId !== null) q = q.where('a.provider_id', '=', scope.providerId);
  if (scope.municipalityCode !== null) q = q.where('a.municipality_code', '=', scope.municipalityCode);
  return q;
}

const toSummary = (a: any) => ({
  id: a.id as number,
  provider: { id: a.provider_id as number, name: a.provider_name as string },
  segment: { code: a.segment_code as string, name: a.segment_name as string },
  municipality: { code: String(a.municipality_code).trim(), name: a.municipality_name as string },
  status: a.status as AdmissionStatus,
  submittedOn: day(a.submitted_on)!,
  decidedOn: day(a.decided_on),
  decidedBy: a.decided_by as string | null,
  reason: a.reason as string,
  contractId: a.contract_id as number | null,
});

export async function listApplications(db: Db, scope: DataScope) {
  const rows = await scoped(db, scope)
    .select([...APP_COLUMNS])
    .orderBy('a.submitted_on', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
  return rows.map(toSummary);
}

export async function getApplication(db: Db, scope: DataScope, id: number, today: string) {
  const a = await scoped(db, scope)
    .select([...APP_COLUMNS])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!a) throw notFound(`Aanvraag ${id}`);
  const q = typed(db);
  // the application was read in scope above; its documents' name, size and checksum come with it (the content only
  // through the audited download, which a municipality may not use)
  const evidence = await q
    .selectFrom('admission_evidence as e')
    .leftJoin('provider_document as d', 'd.id', 'e.document_id')
    .select([
      'e.requirement',
      'e.description',
      'e.valid_until',
      'e.added_at',
      'e.added_by',
      'd.id as document_id',
      'd.file_name',
      'd.media_type',
      'd.bytes',
      'd.sha256',
      'd.uploaded_at',
      'd.uploaded_by',
    ])
    .where(unscoped('documents of an application already read in scope'))
    .where('e.application_id', '=', id)
    .execute();
  const events = await q
    .selectFrom('admission_event')
    .select(['at', 'account_name', 'from_status', 'to_status', 'note'])
    .where('application_id', '=', id)
    .orderBy('id')
    .execute();
  const items = evidence.map((e) => ({
    requirement: e.requirement,
    description: e.description,
    validUntil: day(e.valid_until),
    addedAt: new Date(e.added_at).toISOString(),
    addedBy: e.added_by,
    document:
      e.document_id === null
        ? null
        : {
            id: Number(e.document_id),
            fileName: e.file_name!,
            mediaType: e.media_type!,
            bytes: e.bytes!,
            sha256: e.sha256!.trim(),
            uploadedAt: new Date(e.uploaded_at!).toISOString(),
            uploadedBy: e.uploaded_by!,
          },
  }));
  return {
    ...toSummary(a),
    checklist: REQUIREMENTS.map((r) => {
      const e = items.find((x) => x.requirement === r.code) ?? null;
      const expired = !!e?.validUntil && e.validUntil < today;
      return {
        code: r.code,
        label: r.label,
        expires: r.expires,
        evidence: e,
        expired,
        expiresSoon: !!e?.validUntil && !expired && e.validUntil <= addDays(today, 60),
      };
    }),
    missing: missingEvidence(items, today),
    events: events.map((e) => ({ at: new Date(e.at).toISOString(), by: e.account_name, from: e.from_status, to: e.to_status, note: e.note })),
  };
}

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The application evidence may be added to in this scope (not decided), with its provider. */
export async function evidenceTarget(db: Db, scope: DataScope, id: number): Promise<{ providerId: number }> {
  if (scope.municipalityCode !== null) throw forbidden('Een gemeente levert geen bewijs aan');
  const a = await scoped(db, scope).select(['a.id', 'a.status', 'a.provider_id']).where('a.id', '=', id).executeTakeFirst();
  if (!a) throw notFound(`Aanvraag ${id}`);
  if (a.status === 'toegelaten' || a.status === 'afgewezen')
    throw new AppError(409, 'Besloten', 'over deze aanvraag is al besloten; bewijs kan niet meer worden gewijzigd', 'requirement', 'besloten');
  return { providerId: a.provider_id };
}

/** One item of evidence as it will be stored, or a Dutch error naming the field. */
export function validateEvidence(input: { requirement: string; description: string; validUntil?: string | null }) {
  const r = REQUIREMENTS.find((x) => x.code === input.requirement);
  if (!r) throw badRequest(`eis '${input.requirement}' bestaat niet (${REQUIREMENTS.map((x) => x.code).join(', ')})`, 'requirement');
  if (!input.description.trim()) throw badRequest('beschrijf het bewijs (document, nummer, datum)', 'description');
  if (r.expires && !input.validUntil) throw badRequest(`${r.label}: vul de geldig-tot-datum in`, 'validUntil');
  return { requirement: r.code, description: input.description.trim(), validUntil: input.validUntil ?? null };
}

/** The provider (or the region) records evidence for one requirement. Only while the application is not decided. */
export async function putEvidence(
  db: Db,
  scope: DataScope,
  account: Account | null,
  id: number,
  input: { requirement: string; description: string; validUntil?: string | null },
) {
  await evidenceTarget(db, scope, id);
  const e = validateEvidence(input);
  // a description without a new file keeps the document already uploaded for this requirement
  await typed(db)
    .insertInto('admission_evidence')
    .values({
      application_id: id,
      requirement: e.requirement,
      description: e.description,
      valid_until: e.validUntil,
      added_by: account?.displayName ?? 'systeem',
    })
    .onConflict((oc) =>
      oc
        .columns(['application_id', 'requirement'])
        .doUpdateSet({ description: e.description, valid_until: e.validUntil, added_by: account?.displayName ?? 'systeem', added_at: sql`now()` }),
    )
    .execute();
}

/** A review step. Admission needs the full checklist valid on the day; it creates the contract (and the registration). */
export async function changeStatus(db: Db, scope: DataScope, account: Account, id: number, to: AdmissionStatus, reason: string, today: string) {
  if (scope.municipalityCode !== null) throw forbidden('Een gemeente beslist niet over toelating');
  const a = await scoped(db, scope)
    .select(['a.id', 'a.status', 'a.provider_id', 'a.segment_id', 's.funding_form', 's.parent_id'])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!a) throw notFound(`Aanvraag ${id}`);
  const problem = checkTransition(a.status as AdmissionStatus, to, account.role === 'aanbieder' ? 'aanbieder' : 'regio', reason);
  if (problem) throw new AppError(409, 'Niet toegestaan', problem, 'status', 'overgang');
  if (to === 'toegelaten') {
    const evidence = await typed(db)
      .selectFrom('admission_evidence')
      .select(['requirement', 'description', 'valid_until'])
      .where('application_id', '=', id)
      .execute();
    const missing = missingEvidence(
      evidence.map((e) => ({ requirement: e.requirement, description: e.description, validUntil: day(e.valid_until) })),
      today,
    );
    if (missing.length)
      throw new AppError(
        409,
        'Niet compleet',
        `toelaten kan pas als alle eisen zijn aangetoond: ${missing.map((m) => m.detail).join('; ')}`,
        'checklist',
        'onvolledig',
        missing.map((m) => ({ field: `checklist.${m.requirement}`, detail: m.detail })),
      );
  }
  await db.transaction(async (tx) => {
    const q = typed(tx);
    let contractId: number | null = null;
    if (to === 'toegelaten') {
      let funding = a.funding_form;
      if (!funding && a.parent_id)
        funding = (await q.selectFrom('segment').select('funding_form').where('id', '=', a.parent_id).executeTakeFirst())?.funding_form ?? null;
      const existing = await q
        .selectFrom('contract')
        .select('id')
        .where('provider_id', '=', a.provider_id)
        .where('segment_id', '=', a.segment_id)
        .where('region_id', '=', scope.regionId)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', today)]))
        .executeTakeFirst();
      contractId =
        existing?.id ??
        (
          await q
            .insertInto('contract')
            .values({
              region_id: scope.regionId,
              provider_id: a.provider_id,
              segment_id: a.segment_id,
              funding_form: funding ?? 'pq',
              valid_from: today,
              status: 'actief',
            })
            .onConflict((oc) => oc.columns(['provider_id', 'segment_id', 'valid_from']).doUpdateSet({ status: 'actief' }))
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      await q
        .insertInto('provider_registration')
        .values({ provider_id: a.provider_id, region_id: scope.regionId, valid_from: today })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const decided = to === 'toegelaten' || to === 'afgewezen';
    await q
      .updateTable('admission_application')
      .set({
        status: to,
        reason: to === 'ingediend' ? '' : reason.trim() || (to === 'in_behandeling' ? '' : reason),
        decided_on: decided ? today : null,
        decided_by: decided ? account.displayName : null,
        ...(contractId ? { contract_id: contractId } : {}),
      })
      .where('id', '=', id)
      .execute();
    await event(tx, id, account, a.status, to, reason.trim());
  });
}

// --- the exit rule ------------------------------------------------------------------------------------------

export const DEFAULT_EXIT_MIN_CLIENTS = 1;

export async function exitSetting(db: Db, regionId: string): Promise<number> {
  const r = await typed(db).selectFrom('admission_setting').select('exit_min_clients').where('region_id', '=', regionId).executeTakeFirst();
  return r?.exit_min_clients ?? DEFAULT_EXIT_MIN_CLIENTS;
}

export async function putExitSetting(db: Db, scope: DataScope, account: Account, minClients?: number, documentMaxMb?: number) {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('Alleen de regio stelt de uitstapregel in');
  const set = {
    ...(minClients !== undefined ? { exit_min_clients: minClients } : {}),
    ...(documentMaxMb !== undefined ? { document_max_mb: documentMaxMb } : {}),
  };
  await typed(db)
    .insertInto('admission_setting')
    .values({ region_id: scope.regionId, ...set, updated_by: account.displayName })
    .onConflict((oc) => oc.column('region_id').doUpdateSet({ ...set, updated_by: account.displayName, updated_at: sql`now()` }))
    .execute();
}

/**
 * The exit rule: providers with a contract in force during the year that served fewer than X distinct clients in it
 * (accepted declaration lines of the region's municipalities), fewest first. X is the region's setting.
 */
export async function exitCandidates(db: Db, scope: DataScope, year: number) {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('De uitstapregel is een overzicht voor de regio');
  const minClients = await exitSetting(db, scope.regionId);
  const from = `${year}-01-01`,
    to = `${year + 1}-01-01`;
  const q = typed(db);
  const contracted = await q
    .selectFrom('contract as c')
    .innerJoin('provider as p', 'p.id', 'c.provider_id')
    .select(['p.id', 'p.name', 'p.agb_code'])
    .distinct()
    .where('c.region_id', '=', scope.regionId)
    .where('c.valid_from', '<', to)
    .where((eb) => eb.or([eb('c.valid_to', 'is', null), eb('c.valid_to', '>', from)]))
    .execute();
  const clients = await q
    .selectFrom('declaration_line as d')
    .innerJoin('municipality as m', 'm.code', 'd.municipality_code')
    .select(['d.provider_id', sql<number>`count(DISTINCT d.youth_id)::int`.as('clients')])
    .where(inScope(scope, { region: 'm.region_id', municipality: 'd.municipality_code', provider: 'd.provider_id' }))
    .where('d.status', '=', 'geaccepteerd')
    .where('d.period_start', '>=', from)
    .where('d.period_start', '<', to)
    .groupBy('d.provider_id')
    .execute();
  const byProvider = new Map(clients.map((c) => [c.provider_id, Number(c.clients)]));
  const providers = contracted
    .map((p) => ({ id: p.id, name: p.name, agbCode: p.agb_code?.trim() ?? null, clients: byProvider.get(p.id) ?? 0 }))
    .filter((p) => p.clients < minClients)
    .sort((a, b) => a.clients - b.clients || a.name.localeCompare(b.name, 'nl'));
  return { year, minClients, contracted: contracted.length, providers };
}
