// /api/regions/:regionId/tariffs/…: the calculator over HTTP. The region (regio) builds, adopts and publishes;
// municipalities read everything and see the budget impact for their own residents; providers see the norms,
// the band table (their own groups), published and adopted sets and their own gezinshuizen; the coordination
// point reads norms, bands and sets.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDate } from '../http/schemas.ts';
import { ROLES } from '../access/roles.ts';
import { listRegions } from '../catalog/index.ts';
import { RegionParams, scopeFor, toCsv, centsToCsvEuro } from '../http/region.ts';
import { badRequest, notFound } from '../core/errors.ts';
import { buildGezinshuisTariff, buildProductTariff, TariffInputError, type NormSetBody } from './model.ts';
import * as S from './schema.ts';
import * as store from './store.ts';
import { budgetImpact, IMPACT_DIMENSIONS, type Impact, type ImpactDimension } from './impact.ts';
import {
  addIndex,
  bandPreview,
  bandView,
  createCostPriceSet,
  createIndexedSet,
  dayBefore,
  defaultScenarios,
  guard,
  saveHomeTariff,
  scenario,
} from './service.ts';
import { currentYear, today } from '../core/dates.ts';

const READ = { roles: ROLES };
const REGIO = { roles: ['regio'] as const };
const IMPACT = { roles: ['regio', 'gemeente'] as const };
const tags = ['rekentool'];
const OptId = z.coerce.number().int().positive().optional();
const concepts = (req: FastifyRequest) => req.account!.role !== 'aanbieder';
const providerOf = (req: FastifyRequest, regionId: string) => scopeFor(req, regionId).providerId;

const DIM_NAMES: Record<ImpactDimension, string> = { gemeente: 'Gemeente', segment: 'Segment', product: 'Product', aanbieder: 'Aanbieder' };
const ImpactRow = z.object({
  key: z.string(),
  label: z.string(),
  lines: z.number(),
  oldCents: z.number(),
  newCents: z.number(),
  diffCents: z.number(),
  diffPct: z.number().nullable(),
});
const ScenarioInfo = z.object({
  kind: z.enum(['gedeclareerd', 'set']),
  id: z.number().nullable(),
  name: z.string(),
  validFrom: z.string().nullable(),
  status: z.string().nullable(),
});
const ImpactQuery = z.object({
  year: z.coerce.number().int().min(2015).max(2100).optional().describe('jaar van de volumes; standaard het demojaar van de regio'),
  baseline: z
    .string()
    .regex(/^(gedeclareerd|\d{1,9})$/)
    .optional()
    .describe("'gedeclareerd' of het nummer van een tariefset"),
  proposed: z
    .string()
    .regex(/^(gedeclareerd|\d{1,9})$/)
    .optional()
    .describe('het nummer van de voorgestelde tariefset'),
});

/** Validates a norm set by building everything in it; a set that cannot produce its tariffs is not saved. */
function checkNormSet(body: NormSetBody) {
  guard(() => {
    const ids = new Set<string>();
    for (const f of body.functions) {
      if (ids.has(f.id)) throw new TariffInputError('functions', `Functie '${f.id}' komt twee keer voor`);
      ids.add(f.id);
    }
    for (const p of body.products) buildProductTariff(body, p);
    if (body.gezinshuis) buildGezinshuisTariff(body, body.gezinshuis, body.gezinshuis.code);
  });
}

export async function tariffRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const base = '/api/regions/:regionId/tariffs';

  async function impactFor(req: FastifyRequest, regionId: string, q: z.infer<typeof ImpactQuery>): Promise<Impact> {
    const scope = scopeFor(req, regionId);
    const [region] = await listRegions(db, [regionId]);
    if (!region) throw notFound(`Regio '${regionId}'`);
    const defaults = await defaultScenarios(db, regionId, true);
    const year = q.year ?? region.demoYear ?? currentYear() - 1;
    return budgetImpact(
      db,
      scope,
      year,
      await scenario(db, regionId, q.baseline ?? defaults.baseline, true, 'querystring.baseline'),
      await scenario(db, regionId, q.proposed ?? defaults.proposed, true, 'querystring.proposed'),
    );
  }

  app.get(
    base,
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'Overzicht: normensets, klassentabellen, indexcijfers en tariefsets van de regio',
        params: RegionParams,
        response: { 200: S.Overview },
      },
    },
    async (req) => {
      const { regionId } = req.params;
      scopeFor(req, regionId);
      const [normSets, bandTables, indices, sets] = await Promise.all([
        store.listNormSets(db, regionId),
        store.listBandTables(db, regionId, !concepts(req)),
        store.listIndices(db, regionId),
        store.listSets(db, regionId, concepts(req)),
      ]);
      return { normSets, bandTables, indices, sets, canEdit: req.account!.role === 'regio' };
    },
  );

  // --- norm sets and the calculator ---------------------------------------------------------------------------
  app.get(
    `${base}/norm-set`,
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'Eén normenset (standaard de nieuwste)',
        params: RegionParams,
        querystring: z.object({ id: OptId }),
        response: { 200: S.NormSetAnswer },
      },
    },
    async (req) => {
      scopeFor(req, req.params.regionId);
      return store.getNormSet(db, req.params.regionId, req.query.id);
    },
  );

  app.post(
    `${base}/norm-sets`,
    {
      config: { access: REGIO },
      schema: {
        tags,
        summary: 'Een normenset opslaan als nieuwe versie (niets wordt overschreven)',
        params: RegionParams,
        body: z.object({ name: z.string().trim().min(1).max(120), validFrom: IsoDate, body: S.NormSetBody, note: z.string().max(2000).optional() }),
      },
    },
    async (req, reply) => {
      scopeFor(req, req.params.regionId);
      checkNormSet(req.body.body as NormSetBody);
      const row = await store.insertNormSet(db, req.params.regionId, { ...req.body, body: req.body.body as NormSetBody }, req.account!.id);
      return reply.code(201).send(row);
    },
  );

  app.post(
    `${base}/calc`,
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'Bereken een tarief met de volledige kostprijsopbouw (rekent alleen, slaat niets op)',
        params: RegionParams,
        body: z.object({
          normSetId: z.number().int().positive().optional(),
          norms: S.NormSetBody.optional(),
          product: S.ProductNorm.optional(),
          productCode: z.string().optional(),
        }),
        response: { 200: S.BuildUp },
      },
    },
    async (req) => {
      scopeFor(req, req.params.regionId);
      const norms = (req.body.norms ?? (await store.getNormSet(db, req.params.regionId, req.body.normSetId)).body) as NormSetBody;
      const product = req.body.product ?? norms.products.find((p) => p.code === req.body.productCode);
      if (!product)
        throw badRequest(
          req.body.productCode ? `Product ${req.body.productCode} staat niet in de normenset` : 'Geef een product of productCode',
          'productCode',
        );
      return guard(() => buildProductTariff(norms, product as any));
    },
  );

  app.post(
    `${base}/gezinshuis/calc`,
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'Bereken het tarief van één gezinshuis uit de landelijke bouwstenen',
        params: RegionParams,
        body: z.object({ normSetId: z.number().int().positive().optional(), norms: S.NormSetBody.optional(), home: S.GezinshuisInput }),
        response: { 200: S.BuildUp },
      },
    },
    async (req) => {
      scopeFor(req, req.params.regionId);
      const norms = (req.body.norms ?? (await store.getNormSet(db, req.params.regionId, req.body.normSetId)).body) as NormSetBody;
      return guard(() => buildGezinshuisTariff(norms, req.body.home as any, norms.gezinshuis?.code ?? '43A10'));
    },
  );

  // --- verblijfsintensiteiten ---------------------------------------------------------------------------------
  app.get(
    `${base}/bands`,
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'Klassentabel van verblijfsintensiteit met tarief per klasse en de ingedeelde groepen (aanbieder: eigen groepen)',
        params: RegionParams,
        querystring: z.object({ id: OptId, date: IsoDate.optional().describe('peildatum; standaard vandaag') }),
        response: { 200: S.BandView },
      },
    },
    async (req) => {
      const providerId = providerOf(req, req.params.regionId);
      return bandView(db, req.params.regionId, providerId, { id: req.query.id, date: req.query.date ?? today(), onlyAdopted: !concepts(req) });
    },
  );

  const BandProposal = z.object({
    normSetId: z.number().int().positive().optional(),
    validFrom: IsoDate,
    body: S.BandTableBody,
    compareTo: z.number().int().positive().nullable().optional().describe('vergelijk met deze tabel; standaard de tabel die op validFrom geldt'),
  });
  app.post(
    `${base}/bands/preview`,
    {
      config: { access: READ },
      schema: { tags, summary: 'Voor en na: hoe een voorgestelde klassentabel de groepen indeelt (slaat niets op)', params: RegionParams, body: BandProposal },
    },
    async (req) => bandPreview(db, req.params.regionId, providerOf(req, req.params.regionId), req.body as any),
  );

  app.post(
    `${base}/bands`,
    {
      config: { access: REGIO },
      schema: {
        tags,
        summary: 'Een klassentabel opslaan als nieuwe versie, met de herindeling van de groepen ertegenover',
        params: RegionParams,
        body: BandProposal.extend({
          name: z.string().trim().min(1).max(120),
          status: z.enum(['concept', 'vastgesteld']),
          note: z.string().max(2000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const { regionId } = req.params;
      scopeFor(req, regionId);
      const preview = await bandPreview(db, regionId, null, req.body as any); // validates the table against the norms
      const row = await store.insertBandTable(
        db,
        regionId,
        {
          name: req.body.name,
          validFrom: req.body.validFrom,
          status: req.body.status,
          normSetId: preview.normSetId,
          body: req.body.body as any,
          note: req.body.note,
        },
        req.account!.id,
      );
      return reply.code(201).send({ ...row, ...preview });
    },
  );

  // --- gezinshuizen ------------------------------------------------------------------------------------------------
  app.get(
    `${base}/homes`,
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'Gezinshuizen met hun tarief per huis op een peildatum (aanbieder: eigen huizen)',
        params: RegionParams,
        querystring: z.object({ date: IsoDate.optional() }),
        response: { 200: z.array(S.Home) },
      },
    },
    async (req) => store.listHomes(db, req.params.regionId, providerOf(req, req.params.regionId), req.query.date ?? today()),
  );

  app.post(
    `${base}/homes`,
    {
      config: { access: REGIO },
      schema: {
        tags,
        summary: 'Het tarief van één gezinshuis vastleggen vanaf een datum (eerdere tarieven blijven)',
        params: RegionParams,
        body: z.object({
          groupId: z.number().int().positive(),
          validFrom: IsoDate,
          normSetId: z.number().int().positive().optional(),
          home: S.GezinshuisInput,
        }),
      },
    },
    async (req, reply) => {
      scopeFor(req, req.params.regionId);
      return reply.code(201).send(await saveHomeTariff(db, req.params.regionId, req.body as any, req.account!.id));
    },
  );

  // --- indexation --------------------------------------------------------------------------------------------------
  app.get(
    `${base}/indices`,
    {
      config: { access: READ },
      schema: { tags, summary: 'Indexcijfers per jaar, voorlopig en definitief', params: RegionParams, response: { 200: z.array(S.IndexAnswer) } },
    },
    async (req) => {
      scopeFor(req, req.params.regionId);
      return store.listIndices(db, req.params.regionId);
    },
  );

  app.post(
    `${base}/indices`,
    {
      config: { access: REGIO },
      schema: {
        tags,
        summary: 'Een gewogen index vastleggen (bv. OVA 90% + PCC 10%)',
        params: RegionParams,
        body: z.object({
          year: z.number().int().min(2000).max(2100),
          kind: z.enum(['voorlopig', 'definitief']),
          components: z.array(S.IndexComponent).min(1).max(6),
          source: z.string().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      scopeFor(req, req.params.regionId);
      return reply.code(201).send(await addIndex(db, req.params.regionId, req.body, req.account!.id));
    },
  );

  // --- tariff sets -------------------------------------------------------------------------------------------------
  app.get(
    `${base}/set`,
    {
      config: { access: READ },
      schema: {
        tags,
        summary: 'Een tariefset met zijn regels naast het tarief in het productenboek (standaard de nieuwste)',
        params: RegionParams,
        querystring: z.object({ id: OptId }),
        response: { 200: S.SetDetail },
      },
    },
    async (req) => {
      const { regionId } = req.params;
      scopeFor(req, regionId);
      const id = req.query.id ?? (await store.listSets(db, regionId, concepts(req)))[0]?.id;
      if (!id) throw notFound('Een tariefset voor deze regio');
      const set = await store.getSet(db, regionId, id, concepts(req));
      const previousDate = dayBefore(set.validFrom);
      const [lines, before] = await Promise.all([store.setLines(db, id, true), store.catalogueTariffs(db, regionId, previousDate)]);
      const prev = new Map(before.map((b) => [b.productId, b.amountCents]));
      return {
        set,
        previousDate,
        lines: lines.map((l) => {
          const p = prev.get(l.productId) ?? null;
          return { ...l, previousCents: p, diffPct: p ? Math.round(((l.amountCents - p) / p) * 10000) / 100 : null };
        }),
      };
    },
  );

  app.post(
    `${base}/sets`,
    {
      config: { access: REGIO },
      schema: {
        tags,
        summary: 'Een tariefset maken: uit het kostprijsmodel (normen en klassen) of door indexatie van een set',
        params: RegionParams,
        body: z.discriminatedUnion('origin', [
          z.object({
            origin: z.literal('kostprijs'),
            name: z.string().trim().min(1).max(120),
            validFrom: IsoDate,
            normSetId: z.number().int().positive().optional(),
            bandTableId: z.number().int().positive().nullable().optional(),
            description: z.string().max(2000).optional(),
          }),
          z.object({
            origin: z.literal('indexatie'),
            year: z.number().int().min(2000).max(2100),
            baseSetId: z.number().int().positive().nullable().optional(),
            name: z.string().trim().min(1).max(120).optional(),
          }),
        ]),
      },
    },
    async (req, reply) => {
      const { regionId } = req.params;
      scopeFor(req, regionId);
      const b = req.body;
      const result =
        b.origin === 'kostprijs' ? await createCostPriceSet(db, regionId, b, req.account!.id) : await createIndexedSet(db, regionId, b, req.account!.id);
      return reply.code(201).send(result);
    },
  );

  const SetId = z.object({ id: z.number().int().positive() });
  app.post(
    `${base}/sets/approve`,
    {
      config: { access: REGIO },
      schema: { tags, summary: 'Een concept-tariefset vaststellen; daarna verandert hij niet meer', params: RegionParams, body: SetId },
    },
    async (req) => {
      scopeFor(req, req.params.regionId);
      await store.approveSet(db, req.params.regionId, req.body.id, req.account!.id);
      return store.getSet(db, req.params.regionId, req.body.id, true);
    },
  );

  app.post(
    `${base}/sets/publish`,
    {
      config: { access: REGIO },
      schema: {
        tags,
        summary: 'Een vastgestelde tariefset publiceren: de tarieven van het productenboek vanaf de ingangsdatum; eerdere tarieven blijven',
        params: RegionParams,
        body: SetId,
      },
    },
    async (req) => {
      scopeFor(req, req.params.regionId);
      return store.publishSet(db, req.params.regionId, req.body.id, req.account!.id);
    },
  );

  // --- budget impact ------------------------------------------------------------------------------------------------
  app.get(
    `${base}/impact`,
    {
      config: { access: IMPACT },
      schema: {
        tags,
        summary: 'Budgeteffect: tarieven toegepast op de geleverde volumes van een jaar, oud tegen nieuw, per gemeente, segment, product en aanbieder',
        params: RegionParams,
        querystring: ImpactQuery,
        response: {
          200: z.object({
            regionId: z.string(),
            year: z.number(),
            scope: z.string(),
            baseline: ScenarioInfo,
            proposed: ScenarioInfo,
            total: ImpactRow,
            rows: z.object({ gemeente: z.array(ImpactRow), segment: z.array(ImpactRow), product: z.array(ImpactRow), aanbieder: z.array(ImpactRow) }),
            unpriced: z.object({ lines: z.number(), oldCents: z.number() }),
          }),
        },
      },
    },
    async (req) => impactFor(req, req.params.regionId, req.query),
  );

  app.get(
    `${base}/impact.csv`,
    {
      config: { access: IMPACT },
      schema: {
        tags,
        summary: 'Budgeteffect langs één dimensie als CSV',
        params: RegionParams,
        querystring: ImpactQuery.extend({ by: z.enum(IMPACT_DIMENSIONS).default('gemeente') }),
      },
    },
    async (req, reply) => {
      const i = await impactFor(req, req.params.regionId, req.query);
      const by = req.query.by;
      const csv = toCsv(
        [DIM_NAMES[by], 'Code', 'Regels', `Oud (EUR): ${i.baseline.name}`, `Nieuw (EUR): ${i.proposed.name}`, 'Verschil (EUR)', 'Verschil (%)'],
        [...i.rows[by], i.total].map((r) => [
          r.label,
          r.key,
          r.lines,
          centsToCsvEuro(r.oldCents),
          centsToCsvEuro(r.newCents),
          centsToCsvEuro(r.diffCents),
          r.diffPct === null ? null : r.diffPct.toFixed(2).replace('.', ','),
        ]),
      );
      reply.header('content-disposition', `attachment; filename="budgeteffect-${by}-${i.regionId}-${i.year}.csv"`);
      return reply.type('text/csv; charset=utf-8').send(csv);
    },
  );

  app.get(
    `${base}/impact.xlsx`,
    {
      config: { access: IMPACT },
      schema: {
        tags,
        summary: 'Budgeteffect als XLSX: samenvatting en een blad per gemeente, segment, product en aanbieder',
        params: RegionParams,
        querystring: ImpactQuery,
      },
    },
    async (req, reply) => {
      const i = await impactFor(req, req.params.regionId, req.query);
      reply.header('content-disposition', `attachment; filename="budgeteffect-${i.regionId}-${i.year}.xlsx"`);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await impactWorkbook(i));
    },
  );
}

async function impactWorkbook(i: Impact): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Regiekamer Jeugd';
  const summary = wb.addWorksheet('Samenvatting');
  summary.columns = [{ width: 36 }, { width: 60 }];
  summary.addRows([
    ['Budgeteffect (rond rekenen)', ''],
    ['Regio', i.regionId],
    ['Volumes', `Geaccepteerde declaratieregels met een periode in ${i.year}`],
    ['Bereik', i.scope],
    ['Oud', i.baseline.name + (i.baseline.validFrom ? ` (vanaf ${i.baseline.validFrom}, ${i.baseline.status})` : '')],
    ['Nieuw', i.proposed.name + (i.proposed.validFrom ? ` (vanaf ${i.proposed.validFrom}, ${i.proposed.status})` : '')],
    ['Totaal oud', i.total.oldCents / 100],
    ['Totaal nieuw', i.total.newCents / 100],
    ['Verschil', i.total.diffCents / 100],
    ['Verschil (%)', i.total.diffPct === null ? null : i.total.diffPct / 100],
    ['Regels zonder tarief in de nieuwe set (oud bedrag aangehouden)', i.unpriced.lines],
  ]);
  summary.getRow(1).font = { bold: true, size: 14 };
  for (const r of [7, 8, 9]) summary.getCell(r, 2).numFmt = '€ #,##0.00';
  summary.getCell(10, 2).numFmt = '0.00%';
  for (const dim of IMPACT_DIMENSIONS) {
    const ws = wb.addWorksheet(DIM_NAMES[dim] === 'Gemeente' ? 'Gemeenten' : DIM_NAMES[dim] === 'Aanbieder' ? 'Aanbieders' : `${DIM_NAMES[dim]}en`);
    ws.columns = [
      { header: DIM_NAMES[dim], width: 40 },
      { header: 'Code', width: 12 },
      { header: 'Regels', width: 10, style: { numFmt: '#,##0' } },
      { header: 'Oud', width: 18, style: { numFmt: '€ #,##0.00' } },
      { header: 'Nieuw', width: 18, style: { numFmt: '€ #,##0.00' } },
      { header: 'Verschil', width: 18, style: { numFmt: '€ #,##0.00' } },
      { header: 'Verschil (%)', width: 12, style: { numFmt: '0.00%' } },
    ];
    for (const r of [...i.rows[dim], i.total])
      ws.addRow([r.label, r.key, r.lines, r.oldCents / 100, r.newCents / 100, r.diffCents / 100, r.diffPct === null ? null : r.diffPct / 100]);
    ws.getRow(1).font = { bold: true };
    ws.getRow(ws.rowCount).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
