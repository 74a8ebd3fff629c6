// The iJW message routes (inbox/outbox, one message, its file, dropping a file, writing JW301s): the contract shared
// with the web screens. Scoped by role; lines of persons only for gemeente and aanbieder, audited. (The settlement
// ledger's routes are funding's: src/funding/ledger-routes.ts.)
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, badRequest, notFound } from '../core/errors.ts';
import { RegionParams, scopeFor } from '../http/region.ts';
import { streamUploadsToDisk, type UploadedFile } from '../http/upload.ts';
import { writeAudit } from '../access/store.ts';
import { refreshTrajectories } from '../monitoring/index.ts';
import { allocationsWithoutAddress, exportAllocations } from './export.ts';
import { changedAllocations, importMessage, ImportRefused } from './import.ts';
import { todayIso } from './rules/dates.ts';
import { getMessage, listMessages, messageLines, messageXml, messageYouthIds, type MessageRow as StoredMessage } from './store.ts';
import { messageAllocations, messageOutcome, rejectionsByProvider, rejectionsByRule } from './message-summary.ts';

const listAccess = { roles: ['regio', 'gemeente', 'aanbieder'] as const };
const personal = { roles: ['gemeente', 'aanbieder'] as const, personal: true };
const dropAccess = { roles: ['gemeente'] as const };
const MAX_BODY = 256 * 1024 * 1024;

const MessageRow = z.object({
  messageId: z.number(),
  type: z.string(),
  direction: z.enum(['in', 'out']),
  identification: z.string(),
  municipalityCode: z.string(),
  municipalityName: z.string(),
  providerId: z.number().nullable(),
  providerName: z.string().nullable(),
  createdAt: z.string(),
  status: z.enum(['verwerkt', 'afgewezen', 'verzonden']),
  lines: z.number(),
  acceptedLines: z.number(),
  rejectedLines: z.number(),
  amountCents: z.number(),
  acceptedAmountCents: z.number(),
  answerMessageId: z.number().nullable(),
  outcome: z.enum(['goedgekeurd', 'deels', 'afgewezen', 'verwerkt', 'verzonden']).describe('wat er met het bericht gebeurde'),
  outcomeText: z.string(),
});
const withOutcome = (m: StoredMessage) => ({ ...m, ...messageOutcome(m) });
const RuleSummary = z.object({ code: z.string(), retourcode: z.string(), text: z.string(), lines: z.number(), amountCents: z.number() });
const ProviderSummary = z.object({
  providerId: z.number().nullable(),
  providerName: z.string(),
  messages: z.number(),
  lines: z.number(),
  acceptedLines: z.number(),
  rejectedLines: z.number(),
  rejectedAmountCents: z.number(),
});
const Allocation = z.object({
  assignmentNumber: z.string(),
  youthId: z.number(),
  youthPseudonym: z.string(),
  productCode: z.string(),
  productName: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  volume: z.number().nullable(),
  unit: z.string(),
  frequency: z.string().nullable(),
  budgetCents: z.number().nullable(),
  status: z.string(),
});
const Finding = z.object({ code: z.string(), retourcode: z.string(), text: z.string(), location: z.string() });
const Line = z.object({
  lineNo: z.number(),
  clientPseudonym: z.string(),
  youthId: z.number().nullable(),
  assignmentNumber: z.string(),
  productCategory: z.string(),
  productCode: z.string(),
  productName: z.string(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  volume: z.number().nullable(),
  unit: z.string(),
  tariffCents: z.number().nullable(),
  amountCents: z.number().nullable(),
  debitCredit: z.enum(['D', 'C']),
  status: z.enum(['geaccepteerd', 'afgewezen']),
  findings: z.array(Finding),
});
const MessageParams = RegionParams.extend({ messageId: z.coerce.number().int().positive() });

export async function ijwMessageRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db, keys } = app.ctx;

  app.get(
    '/api/regions/:regionId/ijw/messages',
    {
      config: { access: listAccess },
      schema: {
        tags: ['ijw'],
        summary: 'Ontvangen (in) en verzonden (out) iJW-berichten binnen uw bereik',
        params: RegionParams,
        querystring: z.object({
          direction: z.enum(['in', 'out']).optional(),
          type: z
            .string()
            .regex(/^JW3\d\d$/, 'berichttype, bijvoorbeeld JW323')
            .optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ total: z.number(), messages: z.array(MessageRow) }) },
      },
    },
    async (req) => {
      const list = await listMessages(db, scopeFor(req, req.params.regionId), req.query);
      return { total: list.total, messages: list.messages.map(withOutcome) };
    },
  );

  app.get(
    '/api/regions/:regionId/ijw/rejections',
    {
      config: { access: listAccess },
      schema: {
        tags: ['ijw'],
        summary: 'Afgekeurde declaratieregels per regel van de standaard en per aanbieder (ontvangen JW323)',
        params: RegionParams,
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional().describe('alleen declaraties over dit jaar') }),
        response: { 200: z.object({ byRule: z.array(RuleSummary), byProvider: z.array(ProviderSummary) }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const [byRule, byProvider] = [await rejectionsByRule(db, scope, req.query), await rejectionsByProvider(db, scope, req.query)];
      return { byRule, byProvider };
    },
  );

  app.get(
    '/api/regions/:regionId/ijw/messages/:messageId',
    {
      config: { access: personal },
      schema: {
        tags: ['ijw'],
        summary: 'Eén bericht met zijn declaratieregels (geaccepteerd en afgewezen, met de reden)',
        params: MessageParams,
        querystring: z.object({
          status: z.enum(['geaccepteerd', 'afgewezen']).optional(),
          limit: z.coerce.number().int().min(1).max(100_000).default(5000),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ message: MessageRow, lines: z.array(Line), rules: z.array(RuleSummary), allocations: z.array(Allocation) }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const message = await getMessage(db, scope, req.params.messageId);
      if (!message) throw notFound(`Bericht ${req.params.messageId}`);
      const { lines, youthIds } = await messageLines(db, message, req.query);
      const rules = message.type === 'JW323' || message.type === 'JW325' ? await rejectionsByRule(db, scope, { messageId: message.messageId }) : [];
      const allocations = message.type === 'JW301' ? await messageAllocations(db, scope, message.messageId) : [];
      await req.auditRead('youth', [...new Set([...youthIds, ...allocations.map((a) => a.youthId)])], {
        messageId: message.messageId,
        lines: lines.length,
        allocations: allocations.length,
      });
      return { message: withOutcome(message), lines, rules, allocations };
    },
  );

  app.get(
    '/api/regions/:regionId/ijw/messages/:messageId/xml',
    {
      config: { access: personal },
      schema: { tags: ['ijw'], summary: 'Het bericht zelf (XML)', params: MessageParams },
    },
    async (req, reply) => {
      const scope = scopeFor(req, req.params.regionId);
      const message = await getMessage(db, scope, req.params.messageId);
      if (!message) throw notFound(`Bericht ${req.params.messageId}`);
      const { xml, filename } = await messageXml(db, message.messageId);
      await req.auditRead('youth', await messageYouthIds(db, message.messageId), { messageId: message.messageId, xml: true }); // the XML carries every client's BSN
      reply.header('content-disposition', `attachment; filename="${filename}"`);
      return reply.type('application/xml; charset=utf-8').send(xml);
    },
  );

  app.register(async (scoped) => {
    // a declaration of 100,000 lines is about 85 MB: streamed to a temporary file up to the limit the reader enforces
    streamUploadsToDisk(scoped, ['application/xml', 'text/xml'], MAX_BODY);
    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/api/regions/:regionId/ijw/messages',
      {
        config: { access: dropAccess },
        bodyLimit: MAX_BODY,
        schema: {
          tags: ['ijw'],
          summary: 'Een iJW-bericht inlezen (JW323, JW301, JW315, JW317 …): controleren, opslaan, boeken en beantwoorden; alles of niets',
          params: RegionParams,
          response: {
            200: z.object({
              messageId: z.number(),
              type: z.string(),
              duplicate: z.boolean(),
              lines: z.number(),
              acceptedLines: z.number(),
              rejectedLines: z.number(),
              amountCents: z.number(),
              acceptedAmountCents: z.number(),
              answerMessageId: z.number().nullable(),
              findings: z.array(Finding),
              outcome: MessageRow.shape.outcome,
              outcomeText: z.string(),
            }),
          },
        },
      },
      async (req) => {
        const scope = scopeFor(req, req.params.regionId);
        const body = req.body as UploadedFile | undefined;
        if (!body?.file || body.bytes === 0) throw badRequest('Stuur het bericht als XML (Content-Type: application/xml of text/xml)', 'body');
        let result;
        try {
          result = await importMessage(db, body.file, { keys, municipalityCode: scope.municipalityCode });
        } catch (e) {
          if (e instanceof ImportRefused) {
            throw new AppError(
              422,
              'Bericht niet te verwerken',
              e.message.includes('niets opgeslagen') ? e.message : `${e.message}; niets opgeslagen`,
              e.errors[0]?.location,
              e.errors[0]?.code,
              e.errors.map((x) => ({ ...x, field: x.location, detail: x.message })),
            );
          }
          throw e;
        }
        if (changedAllocations(result)) await refreshTrajectories(db);
        await writeAudit(db, {
          account: req.account!,
          action: 'ijw_import',
          route: 'POST /api/regions/:regionId/ijw/messages',
          subject: 'ijw_message',
          detail: { messageId: result.messageId, type: result.type, duplicate: result.duplicate, lines: result.lines },
          ip: req.ip,
        });
        const { status: _s, ...reply } = result;
        return { ...reply, ...messageOutcome({ ...result, direction: 'in', status: result.status as StoredMessage['status'] }) };
      },
    );
  });

  app.post(
    '/api/regions/:regionId/ijw/exports',
    {
      config: { access: dropAccess },
      schema: {
        tags: ['ijw'],
        summary: 'Toewijzingen die nog niet verzonden zijn als JW301 schrijven (per aanbieder, één bericht per jeugdige)',
        params: RegionParams,
        body: z.object({ type: z.literal('JW301') }),
        response: {
          200: z.object({
            messages: z.array(z.object({ messageId: z.number(), providerId: z.number(), providerName: z.string(), allocations: z.number() })),
            heldBack: z
              .number()
              .describe('toewijzingen niet verstuurd: het BRP-adres van de jeugdige is niet bekend (een JW301 moet het bevatten: CD034, TR006)'),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const written = await exportAllocations(db, scope.municipalityCode!, { keys, today: todayIso() });
      await writeAudit(db, {
        account: req.account!,
        action: 'ijw_export',
        route: 'POST /api/regions/:regionId/ijw/exports',
        subject: 'ijw_message',
        detail: { type: 'JW301', messages: written.length },
        ip: req.ip,
      });
      return { messages: written.map(({ xml: _x, ...m }) => m), heldBack: await allocationsWithoutAddress(db, scope.municipalityCode!) };
    },
  );
}
