// The coordination point's HTTP API under /api/regions/:regionId/placement and the public /api/public/placement.
// Register and availability: every role (a provider sees its own groups). Requests: personal data, so scoped and
// audited: the coordinator sees the region's, a municipality its residents', a provider only those offered to it.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import { rows as run, scopeSql, sql } from '../db/query.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inScope, typed } from '../db/query.ts';
import { IsoDate } from '../http/schemas.ts';
import { ROLES, type Role } from '../access/roles.ts';
import { writeAudit } from '../access/store.ts';
import { bsnLookupHash, isValidBsn } from '../core/bsn.ts';
import { badRequest, notFound } from '../core/errors.ts';
import { RegionParams, scopeFor, toCsv } from '../http/region.ts';
import { sendProblem } from '../http/problem.ts';
import {
  ACTION_CODES,
  EXPERTISE,
  EXPERTISE_CODES,
  GENDERS,
  GROUP_TYPE_CODES,
  GROUP_TYPES,
  LIGHT_LABELS,
  REQUEST_STATUSES,
  STATUS_LABELS,
  TARGET_GROUP_CODES,
  TARGET_GROUPS,
  ACTIONS,
  EXCLUSION_LABELS,
} from './rules.ts';
import { LiveHub, type LiveEvent } from './live.ts';
import { availabilityHistory, capacityByType, getSettings, putSettings, reportAvailability, searchGroups } from './store.ts';
import { applyAction, DuplicateRequest, expireReservations, listRequests, proposalsFor, registerRequest, requestsOfYouth, todayNl } from './requests.ts';
import { flows, importFailed, importProviderWaitingTimes, providerWaitingTimes, publicOverview, waitingTimes } from './stats.ts';
import { CSV_HEADER } from './csv.ts';
import { MAX_REPORTED_ERRORS } from '../core/work.ts';

const Day = IsoDate;
/** A comma-separated list of codes from a fixed vocabulary, e.g. ?type=gezinshuis,pleeggezin */
const codeList = <T extends string>(codes: readonly [T, ...T[]]) =>
  z
    .string()
    .max(500)
    .optional()
    .transform((s) =>
      s
        ? s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)
        : undefined,
    )
    .pipe(z.array(z.enum(codes)).optional());
const flag = z
  .enum(['true', 'false', '1', '0', 'ja', 'nee'])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'ja');

const Settings = z.object({
  staleAfterHours: z.number().int().min(1).max(2160).describe('cijfers ouder dan dit aantal uren zijn verouderd'),
  reservationHours: z.number().int().min(1).max(720).describe('zo lang houdt een reservering een plek vast'),
});
const Group = z.object({
  groupId: z.number(),
  name: z.string(),
  groupType: z.string(),
  typeLabel: z.string(),
  product: z.object({ code: z.string(), name: z.string() }).nullable(),
  segment: z.object({ code: z.string(), name: z.string() }).nullable(),
  intensity: z.object({ hoursPerDay: z.number(), band: z.string() }).nullable().describe('verblijfsintensiteit: netto roosteruren per jeugdige per etmaal'),
  ageMin: z.number().nullable(),
  ageMax: z.number().nullable(),
  gender: z.string(),
  targetGroups: z.array(z.string()),
  expertise: z.array(z.string()),
  places: z
    .object({ physical: z.number(), contracted: z.number(), staffed: z.number(), occupied: z.number(), reserved: z.number(), free: z.number() })
    .describe('fysiek ⊇ bemenst = bezet + gereserveerd + vrij'),
  intakeOpen: z.boolean(),
  light: z.enum(['open', 'limited', 'closed']),
  note: z.string(),
  version: z.number().describe('meesturen bij een wijziging (optimistische vergrendeling)'),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  stale: z.boolean(),
  providerId: z.number(),
  providerName: z.string(),
  location: z.object({ id: z.number(), name: z.string(), municipality: z.object({ code: z.string(), name: z.string() }) }),
});
const Capacity = z.object({
  groupType: z.string(),
  typeLabel: z.string(),
  groups: z.number(),
  physical: z.number(),
  contracted: z.number(),
  staffed: z.number(),
  occupied: z.number(),
  reserved: z.number(),
  free: z.number(),
  open: z.number(),
  limited: z.number(),
  closed: z.number(),
  stale: z.number(),
});
const Request = z.object({
  requestId: z.number(),
  youthId: z.number().nullable().describe('leeg voor een aanbieder: die werkt met het pseudoniem'),
  pseudonym: z.string(),
  ageYears: z.number(),
  gender: z.string(),
  municipalityCode: z.string(),
  municipalityName: z.string(),
  careTypes: z.array(z.string()),
  targetGroups: z.array(z.string()),
  expertise: z.array(z.string()),
  urgency: z.string(),
  placesNeeded: z.number(),
  maxDistanceKm: z.number().nullable(),
  keepSchool: z.boolean(),
  note: z.string(),
  status: z.enum(REQUEST_STATUSES),
  registeredOn: z.string(),
  placedOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  withdrawnOn: z.string().nullable(),
  waitingDays: z.number().nullable(),
  stayDays: z.number().nullable(),
  bridging: z.boolean().describe('crisisverblijf langer dan 28 dagen: overbruggingsplek'),
  placedGroup: z.object({ groupId: z.number(), name: z.string(), groupType: z.string(), providerId: z.number(), providerName: z.string() }).nullable(),
  reservation: z
    .object({
      reservationId: z.number(),
      groupId: z.number(),
      groupName: z.string(),
      providerId: z.number(),
      providerName: z.string(),
      places: z.number(),
      expiresAt: z.string(),
    })
    .nullable(),
});
const RequestWithEvents = Request.extend({
  events: z.array(
    z.object({
      onDate: z.string(),
      at: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      groupName: z.string().nullable(),
      by: z.string().nullable(),
      note: z.string(),
    }),
  ),
});
const Proposal = z.object({
  rank: z.number(),
  groupId: z.number(),
  name: z.string(),
  groupType: z.string(),
  providerName: z.string(),
  locationName: z.string(),
  municipalityName: z.string(),
  free: z.number(),
  stale: z.boolean(),
  distanceKm: z.number(),
  distanceApproximate: z.boolean(),
  covered: z.array(z.string()),
  missing: z.array(z.string()),
  precedence: z.number().nullable(),
  reasons: z.array(z.string()),
  rankReason: z.string(),
});
const Exclusions = z.object({ type: z.number(), age: z.number(), gender: z.number(), intake: z.number(), full: z.number(), distance: z.number() });
const Waiting = z.object({
  careFunction: z.string().nullable(),
  careFunctionLabel: z.string(),
  municipalityCode: z.string().nullable(),
  municipalityName: z.string().nullable(),
  placed: z.number(),
  medianDays: z.number().nullable(),
  p90Days: z.number().nullable(),
  waitingNow: z.number(),
  medianWaitingNowDays: z.number().nullable(),
  longestWaitingNowDays: z.number().nullable(),
});
const Period = z.object({
  from: Day.optional().describe('begin van de periode (standaard: 12 maanden voor de peildatum)'),
  asOf: Day.optional().describe('peildatum (standaard: vandaag)'),
});

const ALL = { roles: ROLES };
const Label = z.object({ code: z.string(), label: z.string() });
const Vocabulary = z.object({
  groupTypes: z.array(Label.extend({ precedence: z.number().nullable() })),
  expertise: z.array(Label),
  targetGroups: z.array(Label),
  genders: z.array(z.enum(GENDERS)),
  lights: z.record(z.string(), z.string()).describe('verkeerslicht → naam'),
  statuses: z.record(z.string(), z.string()).describe('status → naam'),
  actions: z.array(Label.extend({ from: z.array(z.enum(REQUEST_STATUSES)), to: z.enum(REQUEST_STATUSES), roles: z.array(z.enum(ROLES)) })),
  exclusions: z.record(z.string(), z.string()).describe('reden van uitsluiting → uitleg'),
  csvHeader: z.string(),
});
const STEERING = { roles: ['regio', 'gemeente', 'coordinator'] as Role[] };
const REQUEST_READERS = { roles: ['coordinator', 'gemeente', 'aanbieder'] as Role[], personal: true };

function period(q: { from?: string; asOf?: string }) {
  const asOf = q.asOf ?? todayNl();
  const d = new Date(`${asOf}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  d.setUTCDate(d.getUTCDate() + 1);
  const from = q.from ?? d.toISOString().slice(0, 10);
  if (from > asOf) throw badRequest(`De periode begint (${from}) na de peildatum (${asOf})`, 'querystring.from');
  return { from, asOf };
}

export async function placementRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db, keys } = app.ctx;
  const live = new LiveHub();
  const base = '/api/regions/:regionId/placement';

  // Reservations past their time go back to the coordinator; reads never depend on this having run.
  const sweep = setInterval(() => {
    expireReservations(db, live).catch((e) => app.log.error(e));
  }, 30_000);
  sweep.unref();
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
  });
  app.addHook('onClose', async () => {
    clearInterval(sweep);
  });

  // --- register and availability --------------------------------------------------------------
  app.get(
    `${base}/groups`,
    {
      config: { access: ALL },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Register van groepen met beschikbaarheid (aanbieder: eigen groepen)',
        params: RegionParams,
        querystring: z.object({
          type: codeList(GROUP_TYPE_CODES).describe('zorgvormen, komma-gescheiden'),
          age: z.coerce.number().int().min(0).max(27).optional().describe('leeftijd die de groep moet aannemen'),
          expertise: codeList([...EXPERTISE_CODES, ...TARGET_GROUP_CODES]).describe('expertise en doelgroepen die de groep allemaal moet hebben'),
          free: flag.describe('alleen groepen met een vrije bemenste plek en zonder opnamestop'),
          light: z.enum(['open', 'limited', 'closed']).optional(),
          municipality: z
            .string()
            .regex(/^\d{4}$/)
            .optional()
            .describe('CBS-code van de gemeente van de locatie'),
          q: z.string().max(100).optional().describe('zoek in naam van groep, locatie of aanbieder'),
          stale: flag.describe('alleen groepen met verouderde cijfers'),
          limit: z.coerce.number().int().min(1).max(5000).default(2000),
        }),
        response: { 200: z.object({ regionId: z.string(), settings: Settings, total: z.number(), truncated: z.boolean(), groups: z.array(Group) }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const q = req.query;
      const { groups, total, settings } = await searchGroups(db, scope, {
        type: q.type,
        age: q.age,
        expertise: q.expertise,
        freeOnly: q.free,
        light: q.light,
        municipality: q.municipality,
        q: q.q,
        staleOnly: q.stale,
        limit: q.limit,
      });
      return { regionId: scope.regionId, settings, total: Math.min(total, q.limit), truncated: total > q.limit, groups };
    },
  );

  app.get(
    `${base}/capacity`,
    {
      config: { access: ALL },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Plekken per zorgvorm: fysiek, bemenst, bezet, gereserveerd, vrij; stoplichten; wachtenden',
        params: RegionParams,
        response: {
          200: z.object({
            settings: Settings,
            byType: z.array(Capacity.extend({ waitingNow: z.number().describe('wachtende aanvragen met deze zorgvorm als eerste keus') })),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const { byType, settings } = await capacityByType(db, scope);
      // the count of waiting requests per kind of place: a provider sees the region's count (no person in it)
      const waiting = await run<{ t: string; n: number }>(
        db,
        sql`SELECT care_types[1] AS t, count(*)::int AS n FROM placement_request
       WHERE status = ANY('{aangemeld,in_behandeling,aangeboden}')
         AND ${scopeSql(scope, { region: 'region_id', municipality: 'municipality_code', wholeRegionForProviders: true })} GROUP BY 1`,
      );
      const w = new Map(waiting.map((x) => [x.t, x.n]));
      return { settings, byType: byType.map((t) => ({ ...t, waitingNow: w.get(t.groupType) ?? 0 })) };
    },
  );

  app.put(
    `${base}/availability`,
    {
      config: { access: { roles: ['aanbieder'] } },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Beschikbaarheid van eigen groepen doorgeven, in één keer (alles of niets; versie meesturen)',
        params: RegionParams,
        body: z.object({
          updates: z
            .array(
              z.object({
                groupId: z.number().int().positive(),
                version: z.number().int().min(0),
                staffed: z.number().int().min(0).max(500).describe('bemenste plekken'),
                occupied: z.number().int().min(0).max(500).describe('bezette plekken'),
                intakeOpen: z.boolean().default(true),
                note: z.string().max(200).optional(),
              }),
            )
            .min(1)
            .max(500),
        }),
        response: { 200: z.object({ updated: z.array(Group) }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      return { updated: await reportAvailability(db, live, scope, req.account!, req.body.updates) };
    },
  );

  app.get(
    `${base}/availability-log`,
    {
      config: { access: ALL },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Wie gaf wanneer welke beschikbaarheid door (laatste meldingen)',
        params: RegionParams,
        querystring: z.object({ groupId: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: {
          200: z.array(
            z.object({
              groupId: z.number(),
              version: z.number(),
              staffed: z.number(),
              occupied: z.number(),
              intakeOpen: z.boolean(),
              note: z.string(),
              at: z.string(),
              by: z.string(),
            }),
          ),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const ids = req.query.groupId ? [req.query.groupId] : (await searchGroups(db, scope, { limit: 5000 })).groups.map((g) => g.groupId);
      return availabilityHistory(db, scope, ids, req.query.limit);
    },
  );

  app.get(
    `${base}/settings`,
    {
      config: { access: ALL },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Instellingen: wanneer cijfers verouderd zijn, hoe lang een reservering geldt',
        params: RegionParams,
        response: { 200: Settings },
      },
    },
    async (req) => getSettings(db, scopeFor(req, req.params.regionId).regionId),
  );

  app.put(
    `${base}/settings`,
    {
      config: { access: { roles: ['regio'] } },
      schema: { tags: ['coördinatiepunt'], summary: 'Instellingen wijzigen (regio)', params: RegionParams, body: Settings, response: { 200: Settings } },
    },
    async (req) => putSettings(db, scopeFor(req, req.params.regionId).regionId, req.body, req.account!),
  );

  // --- live --------------------------------------------------------------------------------------
  app.get(
    `${base}/events`,
    {
      config: { access: ALL },
      schema: {
        tags: ['coördinatiepunt'],
        params: RegionParams,
        summary: 'Live wijzigingen: met Accept: text/event-stream een server-sent-eventsstroom, anders als JSON de wijzigingen na ?after=',
        querystring: z.object({ after: z.coerce.number().int().min(0).optional() }),
      },
    },
    async (req, reply) => {
      const scope = scopeFor(req, req.params.regionId);
      const visible = (e: LiveEvent) =>
        e.regionId === scope.regionId &&
        (scope.providerId === null || e.providerId === scope.providerId) &&
        (scope.municipalityCode === null || e.kind === 'availability' || e.municipalityCode === scope.municipalityCode);
      const lastId = Number(req.headers['last-event-id'] ?? req.query.after ?? NaN);
      if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
        return { seq: live.lastSeq, events: Number.isFinite(lastId) ? live.since(lastId).filter(visible) : [] };
      }
      return stream(reply, (send) => {
        if (Number.isFinite(lastId)) for (const e of live.since(lastId)) if (visible(e)) send(e);
        return live.subscribe((e) => {
          if (visible(e)) send(e);
        });
      });
    },
  );

  function stream(reply: FastifyReply, start: (send: (e: LiveEvent) => void) => () => void) {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n: verbonden, volgnummer ${live.lastSeq}\n\n`);
    const send = (e: LiveEvent) => res.write(`id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
    const stop = start(send);
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    streams.add(res);
    res.on('close', () => {
      stop();
      clearInterval(ping);
      streams.delete(res);
    });
  }

  // --- registrations (personal data) ------------------------------------------------------------
  app.get(
    `${base}/requests`,
    {
      config: { access: REQUEST_READERS },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Aanvragen (aanmeldingen) binnen uw bereik; aanbieder: alleen aan u aangeboden of bij u geplaatst',
        params: RegionParams,
        querystring: z.object({
          status: z.enum(['wachtend', 'geplaatst', 'afgesloten', 'alle']).default('alle'),
          limit: z.coerce.number().int().min(1).max(1000).default(300),
        }),
        response: { 200: z.array(Request) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const rows = await listRequests(db, scope, req.query, todayNl());
      await req.auditRead(
        'placement_request',
        rows.map((r) => r.requestId),
        { youths: rows.length },
      );
      return rows;
    },
  );

  app.get(
    `${base}/youths/:youthId/requests`,
    {
      config: { access: REQUEST_READERS },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'De aanvragen van één jeugdige, met elke stap en datum',
        params: RegionParams.extend({ youthId: z.coerce.number().int().positive() }),
        response: { 200: z.array(RequestWithEvents) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const rows = await requestsOfYouth(db, scope, req.params.youthId, todayNl());
      await req.auditRead(
        'placement_request',
        rows.map((r) => r.requestId),
        { youthId: req.params.youthId },
      );
      return rows;
    },
  );

  app.get(
    `${base}/youths/:youthId/proposals`,
    {
      config: { access: { roles: ['coordinator'], personal: true } },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Matching: gerangschikte voorstellen voor de actieve aanvraag, met de reden per plaats (het coördinatiepunt beslist)',
        params: RegionParams.extend({ youthId: z.coerce.number().int().positive() }),
        response: {
          200: z.object({ requestId: z.number().nullable(), considered: z.number(), excluded: Exclusions.nullable(), proposals: z.array(Proposal) }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const r = await proposalsFor(db, scope, req.params.youthId, todayNl());
      await req.auditRead('placement_request', r.requestId ? [r.requestId] : [], { youthId: req.params.youthId, matching: true });
      return r;
    },
  );

  app.post(
    `${base}/requests`,
    {
      config: { access: { roles: ['coordinator', 'gemeente'] } },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Aanmelden: één formulier per jeugdige; een tweede actieve aanvraag wordt geweigerd met een verwijzing naar de eerste',
        params: RegionParams,
        body: z.object({
          bsn: z
            .string()
            .regex(/^\d{9}$/, 'BSN: 9 cijfers')
            .optional(),
          pseudonym: z.string().max(40).optional(),
          careTypes: z.array(z.enum(GROUP_TYPE_CODES)).min(1).max(8).describe('passende zorgvormen; de eerste is waar om gevraagd wordt'),
          targetGroups: z.array(z.enum(TARGET_GROUP_CODES)).max(10).default([]),
          expertise: z.array(z.enum(EXPERTISE_CODES)).max(10).default([]),
          urgency: z.enum(['spoed', 'hoog', 'normaal']),
          placesNeeded: z.number().int().min(1).max(6).default(1).describe('meer dan 1: broers en zussen samen'),
          maxDistanceKm: z.number().int().min(1).max(400).nullable().default(null),
          keepSchool: z.boolean().default(false),
          note: z.string().max(500).default(''),
          registeredOn: Day.optional(),
        }),
        response: { 201: Request },
      },
    },
    async (req, reply) => {
      const scope = scopeFor(req, req.params.regionId);
      const b = req.body;
      let youthId: number | undefined;
      if (b.bsn) {
        if (!isValidBsn(b.bsn)) throw badRequest('Dit is geen geldig BSN (elfproef)', 'bsn');
        // only youths in the caller's scope are found: "unknown" and "not yours" get the same answer, and every look-up
        // is audited, found or not (issue 14)
        const y = await typed(db)
          .selectFrom('youth as y')
          .innerJoin('municipality as m', 'm.code', 'y.municipality_code')
          .select('y.id')
          .where('y.bsn_hash', '=', bsnLookupHash(keys, b.bsn))
          .where(inScope(scope, { region: 'm.region_id', municipality: 'y.municipality_code' }))
          .executeTakeFirst();
        await writeAudit(db, {
          account: req.account,
          action: 'bsn_lookup',
          route: `POST ${base}/requests`,
          subject: 'youth',
          subjectIds: y ? [y.id] : [],
          detail: { found: !!y },
          ip: req.ip,
        });
        if (!y) throw Object.assign(notFound('Een jeugdige met dit BSN in uw werkgebied'), { field: 'bsn' });
        youthId = y.id;
      }
      try {
        const created = await registerRequest(db, live, scope, req.account!, { ...b, youthId, pseudonym: youthId ? undefined : b.pseudonym }, todayNl());
        await writeAudit(db, {
          account: req.account,
          action: 'create',
          route: `POST ${base}/requests`,
          subject: 'placement_request',
          subjectIds: [created.requestId],
          ip: req.ip,
        });
        return reply.code(201).send(created);
      } catch (e) {
        if (e instanceof DuplicateRequest) {
          return sendProblem(reply, {
            type: 'about:blank',
            title: e.title,
            status: 409,
            detail: e.message,
            field: e.field,
            code: e.code,
            existingRequestId: e.existingRequestId,
          } as any);
        }
        throw e;
      }
    },
  );

  app.post(
    `${base}/requests/transitions`,
    {
      config: { access: { roles: ['coordinator', 'gemeente', 'aanbieder'] } },
      schema: {
        tags: ['coördinatiepunt'],
        params: RegionParams,
        summary: 'Een stap van een aanvraag, met datum: oppakken, aanbieden (reserveert een plek), afwijzen, plaatsen, beeindigen, intrekken',
        body: z.object({
          requestId: z.number().int().positive(),
          action: z.enum(ACTION_CODES),
          onDate: Day.optional().describe('datum van de stap (standaard vandaag)'),
          groupId: z.number().int().positive().optional().describe('bij aanbieden: de groep'),
          note: z.string().max(500).optional(),
        }),
        response: { 200: Request },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const r = await applyAction(db, live, scope, req.account!, req.body, todayNl());
      await writeAudit(db, {
        account: req.account,
        action: 'update',
        route: `POST ${base}/requests/transitions`,
        subject: 'placement_request',
        subjectIds: [r.requestId],
        detail: { action: req.body.action },
        ip: req.ip,
      });
      return r;
    },
  );

  // --- waiting lists and flows (aggregates) ------------------------------------------------------
  app.get(
    `${base}/waiting-times`,
    {
      config: { access: STEERING },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Wachttijd per zorgfunctie en gemeente: mediaan en 90e percentiel (dagen), en wie nu wacht',
        params: RegionParams,
        querystring: Period,
        response: { 200: z.object({ from: z.string(), asOf: z.string(), rows: z.array(Waiting) }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const p = period(req.query);
      return { ...p, rows: await waitingTimes(db, scope, p.from, p.asOf) };
    },
  );

  app.get(
    `${base}/waiting-times.csv`,
    {
      config: { access: STEERING },
      schema: { tags: ['coördinatiepunt'], summary: 'Wachttijden per zorgfunctie en gemeente als CSV', params: RegionParams, querystring: Period },
    },
    async (req, reply) => {
      const scope = scopeFor(req, req.params.regionId);
      const p = period(req.query);
      const rows = await waitingTimes(db, scope, p.from, p.asOf);
      const dec = (x: number | null) => (x === null ? null : String(x).replace('.', ','));
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="wachttijden-${scope.regionId}-${p.asOf}.csv"`);
      return toCsv(
        [
          'Zorgfunctie',
          'CBS-code',
          'Gemeente',
          'Geplaatst',
          'Mediaan wachttijd (dagen)',
          'P90 wachttijd (dagen)',
          'Wachtend',
          'Mediaan wachtend (dagen)',
          'Langst wachtend (dagen)',
        ],
        rows.map((r) => [
          r.careFunctionLabel,
          r.municipalityCode,
          r.municipalityName ?? (r.careFunction ? 'alle gemeenten' : 'totaal'),
          r.placed,
          dec(r.medianDays),
          dec(r.p90Days),
          r.waitingNow,
          dec(r.medianWaitingNowDays),
          r.longestWaitingNowDays,
        ]),
      );
    },
  );

  app.get(
    `${base}/flows`,
    {
      config: { access: STEERING },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'In-, door- en uitstroom per maand, verblijfsduur, crisis > 28 dagen als overbruggingsplek',
        params: RegionParams,
        querystring: Period,
        response: {
          200: z.object({
            from: z.string(),
            asOf: z.string(),
            months: z.array(
              z.object({
                month: z.string(),
                inflow: z.number(),
                throughflow: z.number(),
                outflow: z.number(),
                inCare: z.number(),
                crisis: z.number(),
                bridging: z.number(),
              }),
            ),
            stays: z.array(
              z.object({
                groupType: z.string(),
                typeLabel: z.string(),
                ended: z.number(),
                medianEndedDays: z.number().nullable(),
                ongoing: z.number(),
                medianOngoingDays: z.number().nullable(),
                bridgingNow: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const p = period(req.query);
      return { ...p, ...(await flows(db, scope, p.from, p.asOf)) };
    },
  );

  const PublishedWait = z.object({
    providerId: z.number(),
    providerName: z.string(),
    agbCode: z.string().nullable(),
    offer: z.string(),
    careType: z.string(),
    location: z.string(),
    targetGroup: z.string(),
    expertise: z.string(),
    funding: z.string(),
    weeksToIntake: z.number().nullable(),
    weeksToTreatment: z.number().nullable(),
    reportedOn: z.string(),
    reportedPrecision: z.enum(['dag', 'maand']).describe('maand: de lijst noemde alleen een maand; reportedOn is dan de eerste dag'),
    source: z.string(),
    remarks: z.string(),
  });
  const PendingWait = z.object({
    line: z.number(),
    provider: z.string(),
    status: z.enum(['ambiguous', 'unknown']),
    suggestion: z.string(),
    candidates: z.array(z.object({ id: z.number(), name: z.string(), score: z.number() })),
  });
  app.get(
    `${base}/provider-waiting-times`,
    {
      config: { access: ALL },
      schema: {
        tags: ['coördinatiepunt'],
        summary: 'Door aanbieders gepubliceerde wachttijden (laatste melding per aanbod; aanbieder: eigen)',
        params: RegionParams,
        response: { 200: z.array(PublishedWait) },
      },
    },
    async (req) => providerWaitingTimes(db, scopeFor(req, req.params.regionId)),
  );

  app.post(
    `${base}/provider-waiting-times`,
    {
      config: { access: { roles: ['regio', 'coordinator'] } },
      schema: {
        tags: ['coördinatiepunt'],
        params: RegionParams,
        summary: `Wachttijden van aanbieders inlezen uit CSV (kopregel bv.: ${CSV_HEADER}). Per regel: aanbieder gevonden (AGB, KvK, naam of handelsnaam) → opgeslagen; onbekend of dubbelzinnig → apart gezet met de best passende aanbieders; onleesbaar → geweigerd met veld en regel`,
        body: z.object({ fileName: z.string().max(200).default(''), csv: z.string().min(1).max(900_000) }),
        response: {
          200: z.object({
            imported: z.number(),
            importId: z.number(),
            pending: z.array(PendingWait).describe('de eerste 1.000'),
            pendingCount: z.number().describe('alle apart gezette regels'),
            errors: z.array(z.object({ line: z.number(), field: z.string(), detail: z.string() })).describe('de eerste 1.000'),
            errorCount: z.number().describe('alle geweigerde velden'),
            matchedBy: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    async (req, reply) => {
      const scope = scopeFor(req, req.params.regionId);
      const report = await importProviderWaitingTimes(db, scope.regionId, req.account!, req.body.fileName, req.body.csv, todayNl());
      if (report.importId === null) {
        const e = importFailed(report);
        return sendProblem(reply, {
          type: 'about:blank',
          title: e.title,
          status: e.status,
          detail: e.message,
          field: e.field,
          code: e.code,
          errors: report.errors.map((x) => ({ field: `regel ${x.line}: ${x.field}`, detail: x.detail })),
          rows: report.errors.slice(0, MAX_REPORTED_ERRORS),
        } as any);
      }
      // never a multi-megabyte answer: the first 1,000 of each list and how many there were (all are stored)
      return {
        imported: report.imported,
        importId: report.importId,
        pending: report.pending.slice(0, MAX_REPORTED_ERRORS),
        pendingCount: report.pending.length,
        errors: report.errors.slice(0, MAX_REPORTED_ERRORS),
        errorCount: report.errors.length,
        matchedBy: report.matchedBy,
      };
    },
  );

  // --- public ------------------------------------------------------------------------------------
  let publicCache: { at: number; body: unknown } | null = null;
  app.get(
    '/api/public/placement',
    {
      config: { access: { roles: 'public' } },
      schema: {
        tags: ['openbaar'],
        summary: 'Openbaar, zonder inloggen en zonder persoonsgegevens: plekken per zorgvorm en regio, gangbare wachttijden',
        response: {
          200: z.object({
            asOf: z.string(),
            minimumCount: z.number(),
            regions: z.array(
              z.object({
                regionId: z.string(),
                name: z.string(),
                capacity: z.array(Capacity),
                waits: z.array(
                  z.object({
                    groupType: z.string(),
                    typeLabel: z.string(),
                    placed: z.number().nullable(),
                    medianWeeks: z.number().nullable(),
                    p90Weeks: z.number().nullable(),
                    waitingNow: z.number().nullable(),
                  }),
                ),
                published: z.array(
                  z.object({
                    careType: z.string(),
                    providers: z.number(),
                    medianWeeksToIntake: z.number().nullable(),
                    medianWeeksToTreatment: z.number().nullable(),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      // anyone may ask: the answer is computed at most every 15 seconds
      if (publicCache && Date.now() - publicCache.at < 15_000) return publicCache.body as any;
      const p = period({});
      const body = { asOf: p.asOf, minimumCount: 5, regions: await publicOverview(db, p.from, p.asOf) };
      publicCache = { at: Date.now(), body };
      return body;
    },
  );

  app.get(
    '/api/public/placement/vocabulary',
    {
      config: { access: { roles: 'public' } },
      schema: {
        tags: ['openbaar'],
        summary: 'De woorden van het coördinatiepunt: zorgvormen, expertise, doelgroepen, statussen, stappen',
        response: { 200: Vocabulary },
      },
    },
    async () => ({
      groupTypes: Object.entries(GROUP_TYPES).map(([code, t]) => ({ code, label: t.label, precedence: t.precedence })),
      expertise: Object.entries(EXPERTISE).map(([code, label]) => ({ code, label })),
      targetGroups: Object.entries(TARGET_GROUPS).map(([code, label]) => ({ code, label })),
      genders: [...GENDERS],
      lights: LIGHT_LABELS,
      statuses: STATUS_LABELS,
      actions: Object.entries(ACTIONS).map(([code, a]) => ({ code, label: a.label, from: [...a.from], to: a.to, roles: [...a.roles] })),
      exclusions: EXCLUSION_LABELS,
      csvHeader: CSV_HEADER,
    }),
  );
}
