import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES, type DataScope } from '../access/roles.ts';
import { writeAudit } from '../access/store.ts';
import { RegionParams, scopeFor } from '../http/region.ts';
import { MAX_CSV_BYTES, streamCsvUploads, uploadedCsv } from '../http/upload.ts';
import { tableExports, type ExportColumn } from '../http/export.ts';
import { COST_DIMENSIONS } from './costs.ts';
import { monitoringFigures } from './figures.ts';
import { TREND_DIMENSIONS, type TrendDimension } from './trend.ts';
import { drillDown, isPersonalScope, MAX_EXPORT_ROWS, type RowsFilter } from './rows.ts';
import { badRequest } from '../core/errors.ts';
import { costsByFundingForm, fundingFormRows, FUNDING_FORMS } from '../funding/index.ts';
import type { Db } from '../db/index.ts';

const YearQuery = z.object({ year: z.coerce.number().int().min(2015).max(2100).describe('kalenderjaar, bv. 2021') });
const SegmentQuery = YearQuery.extend({
  segment: z
    .string()
    .regex(/^[A-Z0-9/-]{1,16}$/)
    .optional()
    .describe('segmentcode, bv. WON; leeg = alle segmenten'),
});
const Share = z.number().describe('aandeel 0–1');
const SegmentConcentration = z.object({
  segmentId: z.number().nullable(),
  code: z.string(),
  name: z.string(),
  providers: z.number(),
  amountCents: z.number(),
  top1Share: Share,
  top3Share: Share,
  top10Share: Share,
  providersFor50: z.number(),
  providersFor75: z.number(),
  hhi: z.number().describe('Herfindahl-Hirschman-index 0–10.000'),
  clientBands: z.object({ '1-10': z.number(), '11-100': z.number(), '>100': z.number() }),
  inOneMunicipality: z.number(),
  inAllMunicipalities: z.number(),
  pareto: z.array(z.number()),
});
const RankedProvider = z.object({
  rank: z.number(),
  providerId: z.number(),
  agbCode: z.string(),
  name: z.string(),
  amountCents: z.number(),
  clients: z.number(),
  municipalities: z.number(),
  share: Share,
  cumulativeShare: Share,
  supplierManagement: z.boolean(),
});
/** Only the region and municipalities compare providers; a provider sees its own figures on the dashboard. */
const marketAccess = { roles: ['regio', 'gemeente'] as ('regio' | 'gemeente')[] };

const CostsQuery = SegmentQuery.extend({ by: z.enum(COST_DIMENSIONS).default('segment').describe('dimensie') });
const CostRow = z.object({
  key: z.string(),
  label: z.string(),
  amountCents: z.number(),
  persons: z.number(),
  averageCentsPerPerson: z.number().nullable(),
  previousAmountCents: z.number(),
  previousPersons: z.number(),
  changePct: z.number().nullable(),
});
const Costs = z.object({
  regionId: z.string(),
  year: z.number(),
  dimension: z.enum(COST_DIMENSIONS),
  segment: z.string().nullable(),
  total: CostRow,
  rows: z.array(CostRow),
});

async function segmentCodeFor(db: Db, regionId: string, code: string | undefined): Promise<string | null> {
  const id = await segmentIdFor(db, regionId, code);
  return id === null ? null : code!;
}

async function segmentIdFor(db: Db, regionId: string, code: string | undefined): Promise<number | null> {
  if (!code || code === 'ALLE') return null;
  const [s] = await db.query<{ id: number }>(`SELECT id FROM segment WHERE region_id = $1 AND code = $2 AND parent_id IS NULL`, [regionId, code]);
  if (!s) throw badRequest(`Segment '${code}' bestaat niet in deze regio`, 'segment');
  return s.id;
}

const Figures = z.object({ amountCents: z.number(), persons: z.number() });

const Dashboard = z.object({
  regionId: z.string(),
  year: z.number(),
  scope: z.object({ role: z.string(), label: z.string() }),
  totals: z.object({ amountCents: z.number(), persons: z.number(), providers: z.number(), municipalities: z.number() }),
  previous: z
    .object({ year: z.number(), amountCents: z.number(), persons: z.number(), providers: z.number() })
    .nullable()
    .describe('de totalen van het jaar ervoor, binnen dezelfde scope; leeg als dat jaar geen declaraties heeft'),
  bySegment: z.array(
    z.object({ segmentId: z.number(), code: z.string(), name: z.string(), amountCents: z.number(), persons: z.number(), providers: z.number() }),
  ),
  byMunicipality: z.array(
    z.object({ code: z.string(), name: z.string(), amountCents: z.number(), persons: z.number(), segments: z.record(z.string(), Figures) }),
  ),
});

export async function monitoringRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const access = { roles: ROLES }; // every logged-in role; the data scope narrows gemeente and aanbieder
  // the figures computed from the facts, kept while the region's facts stand (figures.ts)
  const cached = monitoringFigures(db);

  app.get(
    '/api/regions/:regionId/dashboard',
    {
      config: { access },
      schema: {
        tags: ['monitoring'],
        summary: 'Kosten, personen en aanbieders per segment en gemeente voor één jaar',
        params: RegionParams,
        querystring: YearQuery,
        response: { 200: Dashboard },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const [d, before] = await Promise.all([cached.dashboard(scope, req.query.year), cached.dashboard(scope, req.query.year - 1)]);
      const previous =
        before.totals.amountCents !== 0 || before.totals.persons !== 0
          ? { year: before.year, amountCents: before.totals.amountCents, persons: before.totals.persons, providers: before.totals.providers }
          : null;
      return { ...d, previous, scope: { role: req.account!.role, label: scope.label } };
    },
  );

  app.get(
    '/api/regions/:regionId/dashboard/concentration',
    {
      config: { access: marketAccess },
      schema: {
        tags: ['monitoring'],
        summary: 'Concentratie van aanbieders per segment: top-aandelen, 50%/75%-grens, HHI, cliëntklassen, Paretocurve',
        params: RegionParams,
        querystring: YearQuery,
        response: {
          200: z.object({
            regionId: z.string(),
            year: z.number(),
            municipalities: z.number(),
            overall: SegmentConcentration,
            bySegment: z.array(SegmentConcentration),
          }),
        },
      },
    },
    async (req) => cached.concentration(scopeFor(req, req.params.regionId), req.query.year),
  );

  app.get(
    '/api/regions/:regionId/dashboard/providers',
    {
      config: { access: marketAccess },
      schema: {
        tags: ['monitoring'],
        summary: 'Aanbieders gerangschikt naar bedrag, met cumulatief aandeel; tot 75% = leveranciersmanagement',
        params: RegionParams,
        querystring: SegmentQuery,
        response: { 200: z.array(RankedProvider) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      return cached.providerRanking(scope, req.query.year, await segmentIdFor(db, scope.regionId, req.query.segment));
    },
  );

  // Costs along one dimension, with the previous year beside it.
  app.get(
    '/api/regions/:regionId/dashboard/costs',
    {
      config: { access },
      schema: {
        tags: ['monitoring'],
        summary: 'Kosten per segment, productgroep, gemeente, aanbieder, maand of kwartaal, met het jaar ervoor',
        params: RegionParams,
        querystring: CostsQuery,
        response: { 200: Costs },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      return cached.costs(scope, req.query.year, req.query.by, await segmentCodeFor(db, scope.regionId, req.query.segment));
    },
  );

  // Every table of the dashboard as CSV and XLSX, from the same queries as the screen.
  tableExports(app, '/api/regions/:regionId/dashboard/segments', {
    summary: 'Kosten per segment',
    access,
    querystring: YearQuery,
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const d = await cached.dashboard(scope, req.query.year);
      return {
        filename: `kosten-per-segment-${scope.regionId}-${d.year}`,
        sheet: `Kosten per segment ${d.year}`,
        columns: [
          { header: 'Segment' },
          { header: 'Jaar' },
          { header: 'Bedrag', kind: 'euro' },
          { header: 'Personen', kind: 'count' },
          { header: 'Aanbieders', kind: 'count' },
        ],
        rows: d.bySegment.map((s) => [s.name, d.year, s.amountCents, s.persons, s.providers]),
      };
    },
  });
  tableExports(app, '/api/regions/:regionId/dashboard/municipalities', {
    summary: 'Kosten per gemeente en segment',
    access,
    querystring: YearQuery,
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const d = await cached.dashboard(scope, req.query.year);
      const segs = d.bySegment.map((s) => s.code);
      return {
        filename: `kosten-per-gemeente-${scope.regionId}-${d.year}`,
        sheet: `Kosten per gemeente ${d.year}`,
        columns: [
          { header: 'CBS-code' },
          { header: 'Gemeente' },
          { header: 'Jaar' },
          { header: 'Bedrag', kind: 'euro' },
          { header: 'Personen', kind: 'count' },
          ...segs.flatMap((c): ExportColumn[] => [
            { header: `${c} bedrag`, kind: 'euro' },
            { header: `${c} personen`, kind: 'count' },
          ]),
        ],
        rows: d.byMunicipality.map((m) => [
          m.code,
          m.name,
          d.year,
          m.amountCents,
          m.persons,
          ...segs.flatMap((c) => [m.segments[c]?.amountCents ?? 0, m.segments[c]?.persons ?? 0]),
        ]),
      };
    },
  });
  tableExports(app, '/api/regions/:regionId/dashboard/providers', {
    summary: 'Aanbieders gerangschikt naar bedrag',
    access: marketAccess,
    querystring: SegmentQuery,
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const rows = await cached.providerRanking(scope, req.query.year, await segmentIdFor(db, scope.regionId, req.query.segment));
      return {
        filename: `aanbieders-${scope.regionId}-${req.query.segment ?? 'alle'}-${req.query.year}`,
        sheet: `Aanbieders ${req.query.year}`,
        columns: [
          { header: 'Rang' },
          { header: 'AGB-code' },
          { header: 'Aanbieder' },
          { header: 'Bedrag', kind: 'euro' },
          { header: 'Aandeel', kind: 'pct' },
          { header: 'Cumulatief', kind: 'pct' },
          { header: 'Cliënten', kind: 'count' },
          { header: 'Gemeenten', kind: 'count' },
          { header: 'Leveranciersmanagement' },
        ],
        rows: rows.map((r) => [
          r.rank,
          r.agbCode,
          r.name,
          r.amountCents,
          r.share,
          r.cumulativeShare,
          r.clients,
          r.municipalities,
          r.supplierManagement ? 'ja' : 'nee',
        ]),
      };
    },
  });
  tableExports(app, '/api/regions/:regionId/dashboard/costs', {
    summary: 'Kosten langs één dimensie met het jaar ervoor',
    access,
    querystring: CostsQuery,
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const c = await cached.costs(scope, req.query.year, req.query.by, await segmentCodeFor(db, scope.regionId, req.query.segment));
      return {
        filename: `kosten-per-${c.dimension}-${scope.regionId}-${c.year}`,
        sheet: `Kosten per ${c.dimension} ${c.year}`,
        columns: [
          { header: c.dimension[0].toUpperCase() + c.dimension.slice(1) },
          { header: 'Code' },
          { header: `Bedrag ${c.year}`, kind: 'euro' },
          { header: `Personen ${c.year}`, kind: 'count' },
          { header: 'Gemiddeld per persoon', kind: 'euro' },
          { header: `Bedrag ${c.year - 1}`, kind: 'euro' },
          { header: `Personen ${c.year - 1}`, kind: 'count' },
          { header: 'Verschil', kind: 'pct' },
        ],
        rows: [...c.rows, c.total].map((r) => [
          r.label,
          r.key,
          r.amountCents,
          r.persons,
          r.averageCentsPerPerson,
          r.previousAmountCents,
          r.previousPersons,
          r.changePct === null ? null : r.changePct / 100,
        ]),
      };
    },
  });

  // The rows behind a figure of the costs by funding form: per contract its cost to the caller, the payments
  // (instalments, advances, settlements) and the cost statement's lines; for the forms paid per client the filter of
  // the declaration drill-down below. No persons: amounts per contract only.
  const Payment = z.object({ paidOn: z.string(), kind: z.string(), description: z.string(), amountCents: z.number() });
  app.get(
    '/api/regions/:regionId/dashboard/costs/bekostiging',
    {
      config: { access },
      schema: {
        tags: ['monitoring'],
        summary: 'De contracten, betalingen (termijnen, voorschotten), kostenverantwoordingen en declaratiefilters achter de kosten per bekostigingsvorm',
        params: RegionParams,
        querystring: SegmentQuery.extend({
          form: z
            .enum(FUNDING_FORMS as [string, ...string[]])
            .optional()
            .describe('bekostigingsvorm; leeg = alle'),
        }),
        response: {
          200: z.object({
            regionId: z.string(),
            year: z.number(),
            form: z.string().nullable(),
            totalCents: z.number(),
            contracts: z.array(
              z.object({
                contractId: z.number(),
                providerId: z.number(),
                providerName: z.string(),
                agb: z.string(),
                segmentCode: z.string(),
                segmentName: z.string(),
                fundingForm: z.string(),
                amountCents: z.number(),
                outcomeCents: z.number(),
                paidCents: z.number(),
                declaredCents: z.number(),
                shareKey: z.string(),
                payments: z.array(Payment),
                costLines: z.array(z.object({ category: z.string(), amountCents: z.number(), eligible: z.boolean() })),
                declarations: z.object({ segment: z.string(), aanbieder: z.string() }).nullable(),
              }),
            ),
            uncontractedCents: z.number().describe('P*Q: declaraties op producten zonder contract (de regels: /dashboard/rows)'),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const code = await segmentCodeFor(db, scope.regionId, req.query.segment);
      const seg =
        code === null
          ? null
          : ((await db.query<{ id: number }>(`SELECT id FROM segment WHERE region_id = $1 AND code = $2 AND parent_id IS NULL`, [scope.regionId, code]))[0]
              ?.id ?? null);
      const form = (req.query.form ?? null) as (typeof FUNDING_FORMS)[number] | null;
      const contracts = await fundingFormRows(db, scope, req.query.year, form, seg);
      // P*Q includes the declarations no contract covers: their amount here, their lines in the declaration drill-down
      const uncontractedCents =
        form === null || form === 'pq'
          ? (await costsByFundingForm(db, scope, req.query.year, (await cached.costs(scope, req.query.year, 'segment', code)).total.amountCents, seg))
              .uncontractedCents
          : 0;
      return {
        regionId: scope.regionId,
        year: req.query.year,
        form,
        totalCents: contracts.reduce((a, c) => a + c.amountCents, 0) + uncontractedCents,
        contracts,
        uncontractedCents,
      };
    },
  );

  // Drill-down: the rows behind a figure of the cost tables. Personal for a municipality or a provider
  // (their declaration lines with the youth's pseudonym); the region-wide roles get aggregates, and that
  // read is logged too, because one route has one access rule.
  const rowsAccess = { roles: ROLES, personal: true };
  const RowsFilterQuery = SegmentQuery.extend({
    gemeente: z
      .string()
      .regex(/^\d{4}$/, 'gemeente: CBS-code van vier cijfers')
      .optional()
      .describe('CBS-gemeentecode'),
    aanbieder: z
      .string()
      .regex(/^[0-9A-Za-z]{1,8}$/, 'aanbieder: AGB-code')
      .optional()
      .describe('AGB-code van de aanbieder'),
    productgroep: z.string().min(1).max(100).optional().describe('productgroep zoals in de kostentabel'),
    maand: z.coerce.number().int().min(1, 'maand: 1–12').max(12, 'maand: 1–12').optional().describe('maand 1–12'),
    kwartaal: z
      .string()
      .regex(/^K?[1-4]$/, 'kwartaal: K1–K4')
      .optional()
      .describe('kwartaal K1–K4'),
  });
  const RowsQuery = RowsFilterQuery.extend({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  });
  const rowsFilter = async (regionId: string, q: z.infer<typeof RowsFilterQuery>): Promise<RowsFilter> => ({
    year: q.year,
    segment: await segmentCodeFor(db, regionId, q.segment),
    municipalityCode: q.gemeente ?? null,
    agbCode: q.aanbieder ?? null,
    productGroup: q.productgroep ?? null,
    month: q.maand ?? null,
    quarter: q.kwartaal ? Number(q.kwartaal.replace('K', '')) : null,
  });
  const DeclarationRow = z.object({
    lineId: z.number(),
    periodStart: z.string(),
    periodEnd: z.string(),
    municipalityCode: z.string(),
    municipalityName: z.string(),
    providerId: z.number(),
    agbCode: z.string(),
    providerName: z.string(),
    productCode: z.string(),
    productName: z.string(),
    productGroup: z.string(),
    youthId: z.number().nullable(),
    pseudonym: z.string().nullable(),
    volume: z.number(),
    unit: z.string(),
    tariffCents: z.number(),
    debitCredit: z.string(),
    amountCents: z.number().describe('credit negatief'),
  });
  const AggregateRow = z.object({
    month: z.string().describe('JJJJ-MM'),
    providerId: z.number(),
    agbCode: z.string(),
    providerName: z.string(),
    productCode: z.string(),
    productName: z.string(),
    productGroup: z.string(),
    lines: z.number(),
    amountCents: z.number(),
  });
  /** The youths a page of declaration lines exposes: what the audit log records (issue 14), not only the line ids. */
  const youthsOf = (lines: { youthId: number | null }[]) => [...new Set(lines.map((l) => l.youthId).filter((x): x is number => x !== null))];
  app.get(
    '/api/regions/:regionId/dashboard/rows',
    {
      config: { access: rowsAccess },
      schema: {
        tags: ['monitoring'],
        summary: 'De regels achter een cijfer van de kostentabellen: declaratieregels (gemeente, aanbieder) of totalen per aanbieder × product × maand (regio)',
        params: RegionParams,
        querystring: RowsQuery,
        response: {
          200: z.object({
            regionId: z.string(),
            year: z.number(),
            kind: z.enum(['regels', 'totalen']),
            total: z.object({ rows: z.number(), amountCents: z.number(), persons: z.number().nullable() }),
            limit: z.number().nullable(),
            offset: z.number(),
            lines: z.array(DeclarationRow),
            aggregates: z.array(AggregateRow),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const page = await cached.rowsPage(scope, await rowsFilter(scope.regionId, req.query), req.query.limit, req.query.offset);
      await req.auditRead('youth', youthsOf(page.lines), {
        lines: page.lines.map((l) => l.lineId),
        kind: page.kind,
        rows: page.lines.length + page.aggregates.length,
      });
      return page;
    },
  );
  tableExports(app, '/api/regions/:regionId/dashboard/rows', {
    summary: 'De regels achter een cijfer van de kostentabellen',
    access: rowsAccess,
    querystring: RowsFilterQuery,
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const f = await rowsFilter(scope.regionId, req.query);
      const all = await drillDown(db, scope, f, MAX_EXPORT_ROWS + 1);
      if (all.total.rows > MAX_EXPORT_ROWS) {
        throw badRequest(
          `Deze selectie heeft ${all.total.rows} regels, meer dan ${MAX_EXPORT_ROWS} voor één export; kies een gemeente, aanbieder, segment of maand`,
          'year',
        );
      }
      await req.auditRead('youth', youthsOf(all.lines), { lines: all.lines.length, kind: all.kind, rows: all.total.rows, export: true });
      const name = `regels-${scope.regionId}-${f.year}${[
        f.segment,
        f.municipalityCode,
        f.agbCode,
        f.productGroup,
        f.month && `m${f.month}`,
        f.quarter && `k${f.quarter}`,
      ]
        .filter(Boolean)
        .map((x) => `-${String(x).replace(/[^A-Za-z0-9]+/g, '_')}`)
        .join('')}`;
      if (isPersonalScope(scope)) {
        return {
          filename: name,
          sheet: `Declaratieregels ${f.year}`,
          columns: [
            { header: 'Regel' },
            { header: 'Periode van' },
            { header: 'Periode tot en met' },
            { header: 'CBS-code' },
            { header: 'Gemeente' },
            { header: 'AGB-code' },
            { header: 'Aanbieder' },
            { header: 'Productcode' },
            { header: 'Product' },
            { header: 'Productgroep' },
            { header: 'Pseudoniem jeugdige' },
            { header: 'Volume', kind: 'count' },
            { header: 'Eenheid' },
            { header: 'Tarief', kind: 'euro' },
            { header: 'Debet/credit' },
            { header: 'Bedrag', kind: 'euro' },
          ],
          rows: all.lines.map((l) => [
            l.lineId,
            l.periodStart,
            l.periodEnd,
            l.municipalityCode,
            l.municipalityName,
            l.agbCode,
            l.providerName,
            l.productCode,
            l.productName,
            l.productGroup,
            l.pseudonym,
            l.volume,
            l.unit,
            l.tariffCents,
            l.debitCredit,
            l.amountCents,
          ]),
        };
      }
      return {
        filename: name,
        sheet: `Totalen ${f.year}`,
        columns: [
          { header: 'Maand' },
          { header: 'AGB-code' },
          { header: 'Aanbieder' },
          { header: 'Productcode' },
          { header: 'Product' },
          { header: 'Productgroep' },
          { header: 'Regels', kind: 'count' },
          { header: 'Bedrag', kind: 'euro' },
        ],
        rows: all.aggregates.map((a) => [a.month, a.agbCode, a.providerName, a.productCode, a.productName, a.productGroup, a.lines, a.amountCents]),
      };
    },
  });

  // The multi-year view: per year along one dimension, money, persons (distinct youths per year) and average per person.
  const TrendQuery = z.object({ by: z.enum(TREND_DIMENSIONS).default('segment').describe('dimensie: segment, gemeente of aanbieder') });
  const TrendFigures = z.object({
    year: z.number(),
    amountCents: z.number(),
    persons: z.number().describe('verschillende jeugdigen in dat jaar'),
    averageCentsPerPerson: z.number().nullable(),
    changePct: z.number().nullable().describe('verschil bedrag t.o.v. het jaar ervoor, %'),
  });
  const TrendSeries = z.object({ key: z.string(), label: z.string(), years: z.array(TrendFigures) });
  app.get(
    '/api/regions/:regionId/dashboard/trend',
    {
      config: { access },
      schema: {
        tags: ['monitoring'],
        summary: 'Meerjarenbeeld: per jaar bedrag, personen en gemiddelde per persoon, per segment, gemeente of aanbieder',
        params: RegionParams,
        querystring: TrendQuery,
        response: {
          200: z.object({
            regionId: z.string(),
            dimension: z.enum(TREND_DIMENSIONS),
            years: z.array(z.number()),
            total: TrendSeries,
            rows: z.array(TrendSeries),
          }),
        },
      },
    },
    async (req) => cached.trend(scopeFor(req, req.params.regionId), req.query.by),
  );
  const TREND_METRICS = { bedrag: 'Bedrag', personen: 'Personen', gemiddeld: 'Gemiddeld per persoon' } as const;
  const TREND_HEADER: Record<TrendDimension, string> = { segment: 'Segment', gemeente: 'Gemeente', aanbieder: 'Aanbieder' };
  tableExports(app, '/api/regions/:regionId/dashboard/trend', {
    summary: 'Meerjarenbeeld: één maat per jaar, zoals de tabel op het scherm',
    access,
    querystring: TrendQuery.extend({
      maat: z.enum(['bedrag', 'personen', 'gemiddeld']).default('bedrag').describe('bedrag, personen of gemiddeld per persoon'),
    }),
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const t = await cached.trend(scope, req.query.by);
      const metric = req.query.maat;
      const kind: ExportColumn['kind'] = metric === 'personen' ? 'count' : 'euro';
      const value = (f: { amountCents: number; persons: number; averageCentsPerPerson: number | null }) =>
        metric === 'bedrag' ? f.amountCents : metric === 'personen' ? f.persons : f.averageCentsPerPerson;
      const last = t.years.at(-1);
      return {
        filename: `meerjarenbeeld-${metric}-per-${t.dimension}-${scope.regionId}`,
        sheet: `${TREND_METRICS[metric]} per jaar`,
        columns: [
          { header: TREND_HEADER[t.dimension] },
          { header: 'Code' },
          ...t.years.map((y): ExportColumn => ({ header: `${TREND_METRICS[metric]} ${y}`, kind })),
          ...(last !== undefined && t.years.length > 1 ? [{ header: `Verschil bedrag ${last} t.o.v. ${last - 1}`, kind: 'pct' } as ExportColumn] : []),
        ],
        rows: [...t.rows, t.total].map((r) => [
          r.label,
          r.key,
          ...r.years.map(value),
          ...(t.years.length > 1 ? [r.years.at(-1)!.changePct === null ? null : r.years.at(-1)!.changePct! / 100] : []),
        ]),
      };
    },
  });

  // Flows after the CBS definitions: in-, out- and running trajectories per month, duration, stays, moves between segments.
  app.get(
    '/api/regions/:regionId/dashboard/flows',
    {
      config: { access },
      schema: {
        tags: ['monitoring'],
        summary:
          'Instroom, uitstroom en lopende trajecten per maand (CBS-definities), zorgduur, verblijf, crisis > 28 dagen, verwijzers, overgangen tussen segmenten',
        params: RegionParams,
        querystring: YearQuery,
        response: {
          200: z.object({
            regionId: z.string(),
            year: z.number(),
            summary: z.object({
              persons: z.number(),
              residentialPersons: z.number(),
              residentialShare: z.number(),
              endedTrajectories: z.number(),
              medianDurationDays: z.number().nullable(),
              medianStayDays: z.number().nullable(),
              crisisOver28Days: z.number(),
            }),
            monthly: z.array(z.object({ month: z.string(), inflow: z.number(), outflow: z.number(), running: z.number(), persons: z.number() })),
            transitions: z.array(z.object({ from: z.string(), to: z.string(), youths: z.number() })),
            referrers: z.array(z.object({ referrer: z.string(), allocations: z.number() })),
          }),
        },
      },
    },
    async (req) => cached.flows(scopeFor(req, req.params.regionId), req.query.year),
  );
  tableExports(app, '/api/regions/:regionId/dashboard/flows', {
    summary: 'In-, uit- en lopende trajecten per maand',
    access,
    querystring: YearQuery,
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const f = await cached.flows(scope, req.query.year);
      return {
        filename: `stromen-${scope.regionId}-${f.year}`,
        sheet: `Stromen ${f.year}`,
        columns: [
          { header: 'Maand' },
          { header: 'Instroom', kind: 'count' },
          { header: 'Uitstroom', kind: 'count' },
          { header: 'Lopend einde maand', kind: 'count' },
          { header: 'Personen in zorg', kind: 'count' },
        ],
        rows: f.monthly.map((m) => [m.month, m.inflow, m.outflow, m.running, m.persons]),
      };
    },
  });
}
