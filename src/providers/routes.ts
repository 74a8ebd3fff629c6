// The providers' register over HTTP: providers, locations, groups (create, edit, end), name matching, the import of a
// region's provider list (dry run, then commit) and adopting names left unknown by a waiting-time import.
// Scopes: the region edits everything; a provider reads and edits only its own (trade names, locations, groups);
// a municipality reads the providers that serve its residents.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../access/roles.ts';
import { RegionParams, scopeFor } from '../http/region.ts';
import { today as todayNl } from '../core/dates.ts';
import { PROVIDER_TYPES } from './rules.ts';
import {
  addGroup,
  addLocation,
  adoptPendingName,
  createProvider,
  endProvider,
  getProvider,
  listProviders,
  pendingFromImports,
  providerMatcher,
  updateGroup,
  updateLocation,
  updateProvider,
} from './store.ts';
import { importProviderList, IMPORT_FIELDS } from './import.ts';
import { addLadderStep, ladder, ladderLetter, LADDER, liftClientStop, quarterAgenda } from './dossier.ts';
import { exitCandidates, exitSetting, putExitSetting } from './admission.ts';
import {
  apply,
  changeStatus,
  getApplication,
  listApplications,
  listWindows,
  openWindow,
  putEvidence,
  setClosure,
  STATUSES,
  REQUIREMENTS,
} from './admission.ts';
import { documentMaxBytes, getDocument, listDocuments, refuseTooLarge, uploadEvidence } from './documents.ts';
import { DOCUMENT_CEILING_MB, DOCUMENT_TYPES } from './files.ts';
import { addAgreement, createConversation, listConversations, updateAgreement, updateConversation } from './conversations.ts';
import { streamUploadsToDisk, type UploadedFile } from '../http/upload.ts';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'datum als JJJJ-MM-DD');
const Code = z.string().max(20).nullable().optional();
const Id = z.coerce.number().int().positive();
const ProviderParams = RegionParams.extend({ providerId: Id });
const Candidate = z.object({ id: z.number(), name: z.string(), score: z.number().describe('gelijkenis 0..1') });

const Summary = z.object({
  id: z.number(),
  agbCode: z.string().nullable(),
  kvkNumber: z.string().nullable(),
  name: z.string(),
  tradeNames: z.array(z.string()),
  providerType: z.string(),
  mainContractor: z.object({ id: z.number(), name: z.string() }).nullable(),
  homeMunicipality: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  ended: z.boolean(),
  segments: z.array(z.string()),
  locations: z.number(),
  groups: z.number(),
  places: z.number().describe('gecontracteerde plaatsen in groepen'),
});
const ProviderBody = z.object({
  name: z.string().max(200).describe('statutaire naam'),
  agbCode: Code.describe('AGB-code, 8 cijfers'),
  kvkNumber: Code.describe('KvK-nummer, 8 cijfers'),
  tradeNames: z.array(z.string().max(200)).max(20).optional().describe('handelsnamen'),
  providerType: z.enum(PROVIDER_TYPES).optional(),
  mainContractorId: z.number().int().positive().nullable().optional().describe('hoofdaannemer: gezet als deze aanbieder onderaannemer is'),
  homeMunicipalityCode: z
    .string()
    .regex(/^\d{4}$/, 'gemeentecode: 4 cijfers')
    .nullable()
    .optional(),
});
const LocationBody = z.object({
  name: z.string().max(200),
  street: z.string().max(200).optional(),
  houseNumber: z.string().max(20).optional(),
  postcode: z.string().max(10).nullable().optional().describe('Nederlandse postcode, 1234 AB'),
  city: z.string().max(100).optional(),
  municipalityCode: z.string().max(4).describe('CBS-gemeentecode'),
  validFrom: Day.nullable().optional(),
});
const GroupBody = z.object({
  name: z.string().max(200),
  groupType: z.string().max(60),
  placesPhysical: z.number().int().min(0).max(500),
  placesContracted: z.number().int().min(0).max(500),
  ageMin: z.number().int().min(0).max(27).nullable().optional(),
  ageMax: z.number().int().min(0).max(27).nullable().optional(),
  gender: z.string().max(20).optional(),
});
const Changed = z.object({ changed: z.boolean() });
const FieldErr = z.object({ field: z.string(), detail: z.string(), line: z.number().optional() });
const RowState = z.enum(['nieuw', 'gewijzigd', 'ongewijzigd']);
const ImportAnswer = z.object({
  stage: z.enum(['kolommen', 'proefrun', 'opgeslagen']).describe('kolommen: de kolommen passen niet; proefrun: niets opgeslagen; opgeslagen'),
  fileName: z.string(),
  headers: z.array(z.string()),
  mapping: z.record(z.string(), z.string()).describe('veld → kolomnaam in het bestand'),
  fields: z.array(z.object({ key: z.string(), label: z.string(), names: z.array(z.string()), required: z.boolean().optional() })),
  mappingErrors: z.array(FieldErr),
  counts: z
    .object({
      rows: z.number(),
      nieuw: z.number(),
      gewijzigd: z.number(),
      ongewijzigd: z.number(),
      geweigerd: z.number(),
      providersNew: z.number(),
      providersChanged: z.number(),
      locationsNew: z.number(),
      locationsChanged: z.number(),
    })
    .describe('de totalen van het hele bestand'),
  rows: z
    .array(
      z.object({
        line: z.number(),
        status: z.enum([...RowState.options, 'geweigerd']),
        name: z.string(),
        providerId: z.number().nullable(),
        changes: z.array(z.string()),
        location: RowState.nullable(),
        errors: z.array(FieldErr),
        suggestion: z.string(),
      }),
    )
    .describe('de regels in het antwoord (hoogstens 500: geweigerde en die met een suggestie eerst)'),
});
const REGION_ONLY = { roles: ['regio'] as const };
const REGION_OR_OWN = { roles: ['regio', 'aanbieder'] as const };

export async function providerRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const base = '/api/regions/:regionId';
  const tags = ['aanbieders'];

  app.get(
    `${base}/providers`,
    {
      config: { access: { roles: ROLES } },
      schema: {
        tags,
        summary:
          'Het aanbiedersregister van de regio (ook beëindigde aanbieders, met hun einddatum); aanbieder: de eigen; gemeente: de aanbieders van haar inwoners',
        params: RegionParams,
        response: { 200: z.array(Summary) },
      },
    },
    async (req) => listProviders(db, scopeFor(req, req.params.regionId), todayNl()),
  );

  app.get(
    `${base}/providers/:providerId`,
    {
      config: { access: { roles: ROLES } },
      schema: {
        tags,
        summary: 'Eén aanbieder: gegevens, locaties met groepen, contracten, onderaannemers en de geschiedenis van wijzigingen',
        params: ProviderParams,
        response: {
          200: Summary.extend({
            locations: z.array(
              z.object({
                id: z.number(),
                name: z.string(),
                street: z.string(),
                houseNumber: z.string(),
                postcode: z.string().nullable(),
                city: z.string(),
                municipality: z.object({ code: z.string(), name: z.string() }),
                validFrom: z.string().nullable(),
                validTo: z.string().nullable(),
                groups: z.array(
                  z.object({
                    id: z.number(),
                    name: z.string(),
                    groupType: z.string(),
                    placesPhysical: z.number(),
                    placesContracted: z.number(),
                    ageMin: z.number().nullable(),
                    ageMax: z.number().nullable(),
                    gender: z.string(),
                  }),
                ),
              }),
            ),
            contracts: z.array(
              z.object({
                id: z.number(),
                segment: z.object({ code: z.string(), name: z.string() }),
                fundingForm: z.string(),
                validFrom: z.string(),
                validTo: z.string().nullable(),
                status: z.string(),
              }),
            ),
            subcontractors: z.array(z.object({ id: z.number(), name: z.string() })),
            history: z.array(z.object({ at: z.string(), by: z.string(), action: z.string(), changes: z.record(z.string(), z.any()) })),
          }),
        },
      },
    },
    async (req) => getProvider(db, scopeFor(req, req.params.regionId), req.params.providerId, todayNl()),
  );

  app.post(
    `${base}/providers`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags,
        summary:
          'Een aanbieder opnemen in het register. Geweigerd (409) bij een AGB-code of KvK-nummer dat al bestaat, en bij een naam die bijna gelijk is aan een bestaande ("bedoelt u …?") tenzij force',
        params: RegionParams,
        body: ProviderBody.extend({
          validFrom: Day.optional().describe('in het register per (standaard vandaag)'),
          force: z.boolean().optional().describe('toch opslaan naast een gelijkende naam'),
        }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => {
      const { validFrom, force, ...input } = req.body;
      const id = await createProvider(db, scopeFor(req, req.params.regionId), req.account!, input, { validFrom: validFrom ?? todayNl(), force });
      return reply.code(201).send({ id });
    },
  );

  app.patch(
    `${base}/providers/:providerId`,
    {
      config: { access: REGION_OR_OWN },
      schema: {
        tags,
        summary: 'Gegevens van een aanbieder wijzigen (aanbieder: alleen de eigen handelsnamen); elke wijziging komt in de geschiedenis',
        params: ProviderParams,
        body: ProviderBody.partial(),
        response: { 200: Changed },
      },
    },
    async (req) => updateProvider(db, scopeFor(req, req.params.regionId), req.account!, req.params.providerId, req.body),
  );

  app.post(
    `${base}/providers/:providerId/end`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags,
        summary: 'Een aanbieder beëindigen per een datum: de inschrijving en de lopende contracten in de regio eindigen; de geschiedenis blijft',
        params: ProviderParams,
        body: z.object({ validTo: Day.describe('beëindigd per (eerste dag zonder inschrijving)'), reason: z.string().max(500) }),
        response: { 200: z.object({ ended: z.boolean() }) },
      },
    },
    async (req) => {
      await endProvider(db, scopeFor(req, req.params.regionId), req.account!, req.params.providerId, req.body.validTo, req.body.reason);
      return { ended: true };
    },
  );

  app.post(
    `${base}/providers/:providerId/locations`,
    {
      config: { access: REGION_OR_OWN },
      schema: {
        tags,
        summary: 'Een locatie toevoegen (adres, Nederlandse postcode, gemeente)',
        params: ProviderParams,
        body: LocationBody,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ id: await addLocation(db, scopeFor(req, req.params.regionId), req.account!, req.params.providerId, req.body) }),
  );

  app.patch(
    `${base}/provider-locations/:locationId`,
    {
      config: { access: REGION_OR_OWN },
      schema: {
        tags,
        summary: 'Een locatie wijzigen of beëindigen (validTo)',
        params: RegionParams.extend({ locationId: Id }),
        body: LocationBody.partial().extend({ validTo: Day.nullable().optional() }),
        response: { 200: Changed },
      },
    },
    async (req) => updateLocation(db, scopeFor(req, req.params.regionId), req.account!, req.params.locationId, req.body),
  );

  app.post(
    `${base}/provider-groups`,
    {
      config: { access: REGION_OR_OWN },
      schema: {
        tags,
        summary: 'Een groep met plaatsen toevoegen aan een locatie (het coördinatiepunt ziet hem direct)',
        params: RegionParams,
        body: GroupBody.extend({ locationId: z.number().int().positive() }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => reply.code(201).send({ id: await addGroup(db, scopeFor(req, req.params.regionId), req.account!, req.body) }),
  );

  app.patch(
    `${base}/provider-groups/:groupId`,
    {
      config: { access: REGION_OR_OWN },
      schema: {
        tags,
        summary: 'Een groep wijzigen (naam, soort, plaatsen, leeftijd)',
        params: RegionParams.extend({ groupId: Id }),
        body: GroupBody.partial(),
        response: { 200: Changed },
      },
    },
    async (req) => updateGroup(db, scopeFor(req, req.params.regionId), req.account!, req.params.groupId, req.body),
  );

  app.post(
    `${base}/providers/match`,
    {
      config: { access: { roles: ['regio', 'coordinator'] } },
      schema: {
        tags,
        summary: 'Namen (met of zonder AGB/KvK) zoeken in het register: per naam gevonden, dubbelzinnig of onbekend, met de best passende aanbieders',
        params: RegionParams,
        body: z.object({
          rows: z
            .array(z.object({ name: z.string().max(200).optional(), agbCode: z.string().max(20).optional(), kvkNumber: z.string().max(20).optional() }))
            .min(1)
            .max(5000),
        }),
        response: {
          200: z.array(
            z.object({
              status: z.enum(['matched', 'ambiguous', 'unknown']),
              providerId: z.number().nullable(),
              via: z.string().nullable(),
              score: z.number(),
              candidates: z.array(Candidate),
            }),
          ),
        },
      },
    },
    async (req) => {
      const matcher = await providerMatcher(db, scopeFor(req, req.params.regionId).regionId);
      return req.body.rows.map((r) => matcher.match(r));
    },
  );

  app.get(
    `${base}/providers/pending-names`,
    {
      config: { access: { roles: ['regio', 'coordinator'] } },
      schema: {
        tags,
        summary: 'Namen uit ingelezen wachttijdlijsten die nog geen aanbieder hebben, met de best passende aanbieders',
        params: RegionParams,
        response: {
          200: z.array(
            z.object({
              nameKey: z.string(),
              providerName: z.string(),
              rows: z.number(),
              lines: z.array(z.number()),
              importId: z.number(),
              candidates: z.array(Candidate),
            }),
          ),
        },
      },
    },
    async (req) => pendingFromImports(db, scopeFor(req, req.params.regionId).regionId),
  );

  app.post(
    `${base}/providers/pending-names`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags,
        summary:
          'In één stap: een onbekende naam uit een importrapport wordt een nieuwe aanbieder (of een gekozen bestaande, de naam wordt dan handelsnaam); de wachtende regels gaan naar die aanbieder',
        params: RegionParams,
        body: z.object({
          providerName: z.string().min(1).max(200),
          providerId: z.number().int().positive().nullable().optional(),
          agbCode: Code,
          kvkNumber: Code,
          providerType: z.enum(PROVIDER_TYPES).optional(),
        }),
        response: { 200: z.object({ providerId: z.number(), created: z.boolean(), moved: z.number() }) },
      },
    },
    async (req) => adoptPendingName(db, scopeFor(req, req.params.regionId), req.account!, req.body, todayNl()),
  );

  app.post(
    `${base}/providers/import`,
    {
      config: { access: REGION_ONLY },
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        tags,
        summary: `De aanbiederslijst van de regio inlezen uit CSV of XLSX (kolommen: ${IMPORT_FIELDS.map((f) => f.label).join(', ')}). Proefrun (dryRun): per regel nieuw, gewijzigd, ongewijzigd of geweigerd, niets opgeslagen; daarna opslaan van de goedgekeurde regels. Wijken de kolomnamen af, geef dan mapping (veld → kolomnaam)`,
        params: RegionParams,
        body: z.object({
          fileName: z.string().max(200).default(''),
          format: z.enum(['csv', 'xlsx']),
          content: z.string().min(1).max(11_000_000).describe('CSV als tekst; XLSX als base64'),
          mapping: z.record(z.string(), z.string()).optional().describe('veld → kolomnaam in het bestand'),
          dryRun: z.boolean().default(true),
          validFrom: Day.optional(),
        }),
        response: { 200: ImportAnswer },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      return importProviderList(db, scope, req.account!, req.body, todayNl());
    },
  );

  // --- admission (toelating) in Open House ------------------------------------------------------------------
  const atags = ['toelating'];
  const Ref = z.object({ code: z.string(), name: z.string() });
  const ApplicationSummary = z.object({
    id: z.number(),
    provider: z.object({ id: z.number(), name: z.string() }),
    segment: Ref,
    municipality: Ref,
    status: z.enum(STATUSES),
    submittedOn: z.string(),
    decidedOn: z.string().nullable(),
    decidedBy: z.string().nullable(),
    reason: z.string(),
    contractId: z.number().nullable(),
  });
  const AppParams = RegionParams.extend({ applicationId: Id });

  app.get(
    `${base}/admission`,
    {
      config: { access: { roles: ROLES } },
      schema: {
        tags: atags,
        summary: 'Toetredingsmomenten per productgroep × gemeente, gesloten productgroepen en de eisen (checklist) van de regio',
        params: RegionParams,
        response: {
          200: z.object({
            windows: z.array(
              z.object({
                id: z.number(),
                segment: Ref,
                municipality: Ref.nullable(),
                opensOn: z.string(),
                closesOn: z.string(),
                open: z.boolean(),
                note: z.string(),
              }),
            ),
            closures: z.array(z.object({ segment: Ref, municipality: Ref, closedOn: z.string(), reason: z.string() })),
            requirements: z.array(z.object({ code: z.string(), label: z.string(), expires: z.boolean() })),
          }),
        },
      },
    },
    async (req) => listWindows(db, scopeFor(req, req.params.regionId).regionId, todayNl()),
  );

  app.post(
    `${base}/admission/windows`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: atags,
        summary: 'Een toetredingsmoment openen voor een productgroep (segment), in één gemeente of in alle gemeenten van de regio',
        params: RegionParams,
        body: z.object({
          segmentCode: z.string().max(40),
          municipalityCode: z
            .string()
            .regex(/^\d{4}$/)
            .nullable()
            .optional(),
          opensOn: Day,
          closesOn: Day,
          note: z.string().max(500).optional(),
        }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => reply.code(201).send({ id: await openWindow(db, scopeFor(req, req.params.regionId), req.body) }),
  );

  app.put(
    `${base}/admission/closures`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: atags,
        summary: 'Een productgroep in een gemeente sluiten voor nieuwe aanbieders (het aanbod volstaat), of weer openen',
        params: RegionParams,
        body: z.object({
          segmentCode: z.string().max(40),
          municipalityCode: z.string().regex(/^\d{4}$/),
          closed: z.boolean(),
          reason: z.string().max(500).optional(),
        }),
        response: { 200: z.object({ closed: z.boolean() }) },
      },
    },
    async (req) => {
      await setClosure(db, scopeFor(req, req.params.regionId), req.body, todayNl());
      return { closed: req.body.closed };
    },
  );

  app.get(
    `${base}/admission/applications`,
    {
      config: { access: { roles: ['regio', 'gemeente', 'aanbieder'] } },
      schema: {
        tags: atags,
        summary: 'Aanvragen tot toelating (regio: alle; aanbieder: de eigen; gemeente: die voor haar gemeente)',
        params: RegionParams,
        response: { 200: z.array(ApplicationSummary) },
      },
    },
    async (req) => listApplications(db, scopeFor(req, req.params.regionId)),
  );

  app.post(
    `${base}/admission/applications`,
    {
      config: { access: REGION_OR_OWN },
      schema: {
        tags: atags,
        summary:
          'Toelating aanvragen voor een productgroep in een gemeente; alleen tijdens een open toetredingsmoment en niet waar de productgroep gesloten is',
        params: RegionParams,
        body: z.object({
          providerId: z.number().int().positive().optional().describe('alleen de regio, namens een aanbieder'),
          segmentCode: z.string().max(40),
          municipalityCode: z.string().regex(/^\d{4}$/),
        }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => reply.code(201).send({ id: await apply(db, scopeFor(req, req.params.regionId), req.account!, req.body, todayNl()) }),
  );

  app.get(
    `${base}/admission/applications/:applicationId`,
    {
      config: { access: { roles: ['regio', 'gemeente', 'aanbieder'] } },
      schema: {
        tags: atags,
        summary: 'Eén aanvraag: de checklist met bewijs en vervaldatums, wat nog ontbreekt, en elke stap met wie en wanneer',
        params: AppParams,
        response: {
          200: ApplicationSummary.extend({
            checklist: z.array(
              z.object({
                code: z.string(),
                label: z.string(),
                expires: z.boolean(),
                expired: z.boolean(),
                expiresSoon: z.boolean(),
                evidence: z
                  .object({
                    requirement: z.string(),
                    description: z.string(),
                    validUntil: z.string().nullable(),
                    addedAt: z.string(),
                    addedBy: z.string(),
                    document: z
                      .object({
                        id: z.number(),
                        fileName: z.string(),
                        mediaType: z.string(),
                        bytes: z.number(),
                        sha256: z.string(),
                        uploadedAt: z.string(),
                        uploadedBy: z.string(),
                      })
                      .nullable(),
                  })
                  .nullable(),
              }),
            ),
            missing: z.array(z.object({ requirement: z.string(), detail: z.string() })),
            events: z.array(z.object({ at: z.string(), by: z.string(), from: z.string().nullable(), to: z.string(), note: z.string() })),
          }),
        },
      },
    },
    async (req) => getApplication(db, scopeFor(req, req.params.regionId), req.params.applicationId, todayNl()),
  );

  app.put(
    `${base}/admission/applications/:applicationId/evidence`,
    {
      config: { access: REGION_OR_OWN },
      schema: {
        tags: atags,
        summary: 'Bewijs vastleggen voor één eis van de checklist (met geldig-tot-datum voor certificaten en verzekering)',
        params: AppParams,
        body: z.object({ requirement: z.string().max(40), description: z.string().max(500), validUntil: Day.nullable().optional() }),
        response: { 200: z.object({ saved: z.boolean() }) },
      },
    },
    async (req) => {
      await putEvidence(db, scopeFor(req, req.params.regionId), req.account!, req.params.applicationId, req.body);
      return { saved: true };
    },
  );

  app.post(
    `${base}/admission/applications/:applicationId/status`,
    {
      config: { access: REGION_OR_OWN },
      schema: {
        tags: atags,
        summary:
          'Een stap in de beoordeling: in behandeling, aanvullen (met wat), toegelaten (maakt het contract), afgewezen (met reden); de aanbieder dient na aanvullen opnieuw in',
        params: AppParams,
        body: z.object({ status: z.enum(STATUSES), reason: z.string().max(1000).default('') }),
        response: { 200: z.object({ status: z.enum(STATUSES) }) },
      },
    },
    async (req) => {
      await changeStatus(db, scopeFor(req, req.params.regionId), req.account!, req.params.applicationId, req.body.status, req.body.reason, todayNl());
      return { status: req.body.status };
    },
  );

  // --- dossier: quarterly conversation agenda and the enforcement ladder -------------------------------------
  const dtags = ['aanbieders'];
  const REGION_OR_PROVIDER = { roles: ['regio', 'aanbieder'] as const };
  app.get(
    `${base}/providers/:providerId/agenda`,
    {
      config: { access: REGION_OR_PROVIDER },
      schema: {
        tags: dtags,
        summary: 'Agenda voor het kwartaalgesprek, gemaakt uit de cijfers die Regiekamer heeft (geld, cliënten, wachttijden, signalen, bewijs, handhaving)',
        params: ProviderParams,
        querystring: z.object({ year: z.coerce.number().int().min(2015).max(2100).optional(), quarter: z.coerce.number().int().min(1).max(4).optional() }),
        response: {
          200: z.object({
            providerId: z.number(),
            providerName: z.string(),
            year: z.number(),
            quarter: z.number(),
            items: z.array(z.object({ topic: z.string(), facts: z.array(z.string()) })),
          }),
        },
      },
    },
    async (req) => {
      const { year, quarter } = req.query;
      return quarterAgenda(db, scopeFor(req, req.params.regionId), req.params.providerId, todayNl(), year && quarter ? { year, quarter } : undefined);
    },
  );

  const Step = z.object({
    id: z.number(),
    step: z.string(),
    label: z.string(),
    onDate: z.string(),
    reason: z.string(),
    remedyDays: z.number().nullable(),
    segment: Ref.nullable(),
    decidedBy: z.string(),
    letter: z.boolean().describe('er hoort een brief (PDF) bij'),
    documentId: z.number().nullable().describe('de brief zoals hij bij het vastleggen is gemaakt en bewaard'),
    endsOn: z.string().nullable().describe('een cliëntenstop: opgeheven per deze datum (nieuwe toewijzingen vanaf die dag weer toegestaan)'),
  });
  app.get(
    `${base}/providers/:providerId/enforcement`,
    {
      config: { access: REGION_OR_PROVIDER },
      schema: {
        tags: dtags,
        summary: `De handhavingsladder van een aanbieder: ${LADDER.map((l) => l.label.toLowerCase()).join(' → ')}, met datum en reden`,
        params: ProviderParams,
        response: { 200: z.array(Step) },
      },
    },
    async (req) => ladder(db, scopeFor(req, req.params.regionId), req.params.providerId),
  );

  app.post(
    `${base}/providers/:providerId/enforcement`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: dtags,
        summary: 'De volgende stap op de handhavingsladder zetten (in volgorde; een stap overslaan of teruggaan wordt geweigerd)',
        params: ProviderParams,
        body: z.object({
          step: z.enum(LADDER.map((l) => l.step) as [string, ...string[]]),
          onDate: Day,
          reason: z.string().max(2000),
          remedyDays: z.number().int().min(1).max(180).nullable().optional(),
          segmentCode: z.string().max(40).nullable().optional(),
        }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ id: await addLadderStep(db, scopeFor(req, req.params.regionId), req.account!, req.params.providerId, req.body) }),
  );

  app.put(
    `${base}/providers/:providerId/enforcement/:stepId/end`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: dtags,
        summary: 'Een cliëntenstop opheffen per een datum: vanaf die dag worden nieuwe toewijzingen (JW301) aan de aanbieder weer aangenomen',
        params: ProviderParams.extend({ stepId: Id }),
        body: z.object({ endsOn: Day }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await liftClientStop(db, scopeFor(req, req.params.regionId), req.params.providerId, req.params.stepId, req.body.endsOn);
      return reply.code(204).send(null);
    },
  );

  app.get(
    `${base}/providers/:providerId/enforcement/:stepId/letter.pdf`,
    {
      config: { access: { ...REGION_OR_PROVIDER, personal: true } },
      schema: {
        tags: dtags,
        summary: 'De brief bij een waarschuwing of ingebrekestelling (PDF): de bewaarde brief van het moment van vastleggen; inzage wordt gelogd',
        params: ProviderParams.extend({ stepId: Id }),
      },
    },
    async (req, reply) => {
      const scope = scopeFor(req, req.params.regionId);
      const step = (await ladder(db, scope, req.params.providerId)).find((s) => s.id === req.params.stepId);
      let out: { pdf: Buffer; fileName: string; sha256?: string };
      if (step?.documentId) {
        const d = await getDocument(db, scope, req.params.providerId, step.documentId);
        out = { pdf: d.content, fileName: d.fileName, sha256: d.sha256 };
      } else {
        out = await ladderLetter(db, scope, req.params.providerId, req.params.stepId); // a step recorded before letters were stored
      }
      await req.auditRead('provider_document', step?.documentId ? [step.documentId] : [], {
        providerId: req.params.providerId,
        stepId: req.params.stepId,
        fileName: out.fileName,
      });
      if (out.sha256) reply.header('x-checksum-sha256', out.sha256);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${out.fileName}"`).send(out.pdf);
    },
  );

  // --- documents: evidence and letters as files, scoped, every download audited -----------------------------------
  const Document = z.object({
    id: z.number(),
    kind: z.enum(['bewijs', 'brief']),
    fileName: z.string(),
    mediaType: z.string(),
    bytes: z.number(),
    sha256: z.string().describe('SHA-256 van de inhoud, hex'),
    uploadedBy: z.string(),
    uploadedAt: z.string(),
    evidence: z.object({ applicationId: z.number(), requirement: z.string() }).nullable(),
    enforcementStep: z.object({ id: z.number(), step: z.string() }).nullable(),
  });
  app.get(
    `${base}/providers/:providerId/documents`,
    {
      config: { access: REGION_OR_PROVIDER },
      schema: {
        tags: dtags,
        summary: 'De documenten in het dossier van een aanbieder (bewijsstukken en brieven): naam, type, grootte, controlegetal, wie en wanneer',
        params: ProviderParams,
        response: { 200: z.array(Document) },
      },
    },
    async (req) => listDocuments(db, scopeFor(req, req.params.regionId), req.params.providerId) as any,
  );

  app.get(
    `${base}/providers/:providerId/documents/:documentId`,
    {
      config: { access: { ...REGION_OR_PROVIDER, personal: true } },
      schema: {
        tags: dtags,
        summary: 'Een document downloaden (regio: alle; aanbieder: alleen de eigen; gemeente: geen). Elke download komt in het auditlog',
        params: ProviderParams.extend({ documentId: Id }),
      },
    },
    async (req, reply) => {
      const d = await getDocument(db, scopeFor(req, req.params.regionId), req.params.providerId, req.params.documentId);
      await req.auditRead('provider_document', [d.id], { providerId: req.params.providerId, fileName: d.fileName, sha256: d.sha256 });
      const ascii = d.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return reply
        .type(d.mediaType)
        .header('x-checksum-sha256', d.sha256)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(d.fileName)}`)
        .send(d.content);
    },
  );

  app.register(async (scoped) => {
    // any content type: the route reads the type from the file's bytes and names a forbidden one in Dutch
    streamUploadsToDisk(scoped, ['*'], DOCUMENT_CEILING_MB * 1024 * 1024);
    scoped.withTypeProvider<ZodTypeProvider>().post(
      `${base}/admission/applications/:applicationId/evidence/:requirement/document`,
      {
        config: { access: REGION_OR_OWN },
        bodyLimit: DOCUMENT_CEILING_MB * 1024 * 1024,
        schema: {
          tags: atags,
          params: AppParams.extend({
            requirement: z
              .string()
              .max(40)
              .describe(REQUIREMENTS.map((r) => r.code).join(', ')),
          }),
          summary:
            `Bewijs met een bestand aanleveren voor één eis: de body is het bestand zelf (${DOCUMENT_TYPES.map((t) => t.extensions.join('/')).join(', ')}; het type wordt uit de inhoud gelezen), ` +
            'hoogstens de grens van de regio (standaard 10 MB). Bestand en bewijs worden samen opgeslagen, of niets',
          querystring: z.object({
            fileName: z.string().max(300).describe('de naam van het bestand, zonder map'),
            description: z.string().max(500).optional().describe('standaard de bestandsnaam'),
            validUntil: Day.optional().describe('geldig tot (certificaten, verzekering, kwaliteitskader)'),
          }),
          response: { 201: z.object({ documentId: z.number(), fileName: z.string(), mediaType: z.string(), bytes: z.number(), sha256: z.string() }) },
        },
        preParsing: async (req) => {
          const length = Number(req.headers['content-length'] ?? 0);
          if (length > 0) await refuseTooLarge(db, (req.params as { regionId: string }).regionId, length);
        },
      },
      async (req, reply) => {
        const scope = scopeFor(req, req.params.regionId);
        const body = req.body as UploadedFile | undefined;
        const saved = await uploadEvidence(
          db,
          scope,
          req.account!,
          req.params.applicationId,
          {
            requirement: req.params.requirement,
            description: req.query.description,
            validUntil: req.query.validUntil ?? null,
            fileName: req.query.fileName,
            declaredType: req.headers['content-type'] ?? null,
          },
          body && typeof body === 'object' && 'file' in body ? { path: body.file, bytes: body.bytes } : null,
        );
        return reply.code(201).send(saved);
      },
    );
  });

  // --- quarterly conversations: minutes and agreements -----------------------------------------------------------
  const Agreement = z.object({
    id: z.number(),
    conversationId: z.number(),
    conversation: z.string().describe('K1 2025'),
    year: z.number(),
    quarter: z.number(),
    description: z.string(),
    owner: z.string(),
    dueOn: z.string(),
    status: z.enum(['open', 'done']),
    doneOn: z.string().nullable(),
    doneBy: z.string().nullable(),
    createdBy: z.string(),
    overdue: z.boolean().describe('open en de uiterste datum is voorbij'),
  });
  const AgreementBody = z.object({
    description: z.string().max(2000),
    owner: z.string().max(200).describe('wie de afspraak nakomt'),
    dueOn: Day.describe('uiterlijk'),
  });
  const ConversationBody = z.object({
    year: z.number().int().min(2015).max(2100),
    quarter: z.number().int().min(1).max(4),
    heldOn: Day.describe('datum van het gesprek'),
    participants: z.array(z.string().max(200)).max(30).describe('deelnemers'),
    minutes: z.string().max(50_000).describe('verslag'),
  });
  app.get(
    `${base}/providers/:providerId/conversations`,
    {
      config: { access: REGION_OR_PROVIDER },
      schema: {
        tags: dtags,
        summary: 'Verslagen van de kwartaalgesprekken met hun afspraken; de openstaande afspraken, te late gemarkeerd',
        params: ProviderParams,
        response: {
          200: z.object({
            conversations: z.array(ConversationBody.extend({ id: z.number(), recordedBy: z.string(), recordedAt: z.string(), agreements: z.array(Agreement) })),
            open: z.array(Agreement),
            overdue: z.number(),
          }),
        },
      },
    },
    async (req) => listConversations(db, scopeFor(req, req.params.regionId), req.params.providerId, todayNl()),
  );

  app.post(
    `${base}/providers/:providerId/conversations`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: dtags,
        summary: 'Het verslag van een kwartaalgesprek vastleggen (datum, deelnemers, tekst) met de afspraken die zijn gemaakt (eigenaar, uiterste datum)',
        params: ProviderParams,
        body: ConversationBody.extend({ agreements: z.array(AgreementBody).max(50).optional() }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ id: await createConversation(db, scopeFor(req, req.params.regionId), req.account!, req.params.providerId, req.body, todayNl()) }),
  );

  const ConvParams = RegionParams.extend({ conversationId: Id });
  app.patch(
    `${base}/provider-conversations/:conversationId`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: dtags,
        summary: 'Een verslag corrigeren (datum, deelnemers, tekst)',
        params: ConvParams,
        body: ConversationBody.pick({ heldOn: true, participants: true, minutes: true }).partial(),
        response: { 200: Changed },
      },
    },
    async (req) => {
      await updateConversation(db, scopeFor(req, req.params.regionId), req.account!, req.params.conversationId, req.body, todayNl());
      return { changed: true };
    },
  );

  app.post(
    `${base}/provider-conversations/:conversationId/agreements`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: dtags,
        summary: 'Een afspraak toevoegen aan een gesprek',
        params: ConvParams,
        body: AgreementBody,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ id: await addAgreement(db, scopeFor(req, req.params.regionId), req.account!, req.params.conversationId, req.body) }),
  );

  app.patch(
    `${base}/provider-agreements/:agreementId`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: dtags,
        summary: 'Een afspraak afvinken (nagekomen op een datum) of heropenen; tekst, eigenaar en uiterste datum corrigeren',
        params: RegionParams.extend({ agreementId: Id }),
        body: AgreementBody.partial().extend({ status: z.enum(['open', 'done']).optional(), doneOn: Day.optional() }),
        response: { 200: z.object({ status: z.enum(['open', 'done']), overdue: z.boolean() }) },
      },
    },
    async (req) => updateAgreement(db, scopeFor(req, req.params.regionId), req.account!, req.params.agreementId, req.body, todayNl()),
  );

  app.get(
    `${base}/admission/exit`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: atags,
        summary: 'Uitstapregel: gecontracteerde aanbieders met geen of minder dan X cliënten in een jaar (X is een instelling van de regio)',
        params: RegionParams,
        querystring: z.object({ year: z.coerce.number().int().min(2015).max(2100).optional() }),
        response: {
          200: z.object({
            year: z.number(),
            minClients: z.number(),
            contracted: z.number(),
            providers: z.array(z.object({ id: z.number(), name: z.string(), agbCode: z.string().nullable(), clients: z.number() })),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const year = req.query.year ?? Number(todayNl().slice(0, 4)) - 1;
      return exitCandidates(db, scope, year);
    },
  );

  app.put(
    `${base}/admission/settings`,
    {
      config: { access: REGION_ONLY },
      schema: {
        tags: atags,
        summary: 'Instellingen van de regio: het minimum aantal cliënten per jaar (uitstapregel) en de grens voor één document (MB)',
        params: RegionParams,
        body: z.object({
          exitMinClients: z.number().int().min(0).max(10000).optional(),
          documentMaxMb: z.number().int().min(1).max(DOCUMENT_CEILING_MB).optional().describe('grens voor één document, standaard 10'),
        }),
        response: { 200: z.object({ exitMinClients: z.number(), documentMaxMb: z.number() }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      await putExitSetting(db, scope, req.account!, req.body.exitMinClients, req.body.documentMaxMb);
      return { exitMinClients: await exitSetting(db, scope.regionId), documentMaxMb: (await documentMaxBytes(db, scope.regionId)) / 1024 / 1024 };
    },
  );
}
