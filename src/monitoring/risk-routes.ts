// The provider risk monitor and the quarterly report over HTTP. The region and municipalities read every
// provider of the region, a provider only itself; only the region writes figures and thresholds.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../access/roles.ts';
import { writeAudit } from '../access/store.ts';
import { RegionParams, scopeFor } from '../http/region.ts';
import { MAX_CSV_BYTES, streamCsvUploads, uploadedCsv } from '../http/upload.ts';
import { tableExports } from '../http/export.ts';
import type { Db } from '../db/index.ts';
import type { DataScope } from '../access/roles.ts';
import { CSV_HEADER, DEFAULT_CUT_PCT, importAnnualAccounts, providerRisk, RATIOS, riskList, saveAnnualAccount, saveThresholds } from './risk.ts';
import { latestQuarter, providerQuarterReport, renderReportPdf } from './report.ts';
import { currentYear, today as todayNl } from '../core/dates.ts';

const readAccess = { roles: ['regio', 'gemeente', 'aanbieder'] as Role[] };
const writeAccess = { roles: ['regio'] as Role[] };

const Year = z.coerce.number().int().min(2000).max(2100);
const RiskQuery = z.object({
  year: Year.optional().describe('boekjaar; standaard het demojaar van de regio of het laatste jaar met declaraties'),
  cut: z.coerce.number().min(0).max(100).default(DEFAULT_CUT_PCT).describe('stresstest: daling van de omzet uit de regio in %'),
});
const CutQuery = RiskQuery.pick({ cut: true });
const ProviderParams = RegionParams.extend({ providerId: z.coerce.number().int().positive() });

const Figures = z.object({
  revenueCents: z.number().int().describe('omzet in centen'),
  youthActRevenueCents: z.number().int().nullable().describe('waarvan Jeugdwet'),
  resultCents: z.number().int().describe('resultaat; negatief = verlies'),
  equityCents: z.number().int().describe('eigen vermogen'),
  totalAssetsCents: z.number().int().describe('balanstotaal'),
  currentAssetsCents: z.number().int().describe('vlottende activa'),
  currentLiabilitiesCents: z.number().int().describe('kortlopende schulden'),
  staffCostsCents: z.number().int().describe('personeelskosten'),
  fte: z.number().min(0).describe('aantal fte'),
});
const Flag = z.object({
  ratio: z.enum(RATIOS),
  direction: z.enum(['below', 'above']),
  threshold: z.number(),
  risk: z.string(),
  label: z.string(),
  text: z.string(),
});
const Row = z.object({
  providerId: z.number(),
  agbCode: z.string().nullable(),
  name: z.string(),
  year: z.number(),
  figures: Figures.extend({ source: z.string(), enteredBy: z.string(), enteredOn: z.string() }).nullable(),
  regionCents: z.number().nullable(),
  regionShare: z.number().nullable(),
  solvency: z.number().nullable(),
  currentRatio: z.number().nullable(),
  returnRatio: z.number().nullable(),
  staffCostPerFteCents: z.number().nullable(),
  dependency: z.number().nullable(),
  stress: z.object({ cutPct: z.number(), cutCents: z.number(), resultCents: z.number(), returnRatio: z.number().nullable() }).nullable(),
  flags: z.array(Flag),
});
const Threshold = z.object({
  ratio: z.enum(RATIOS),
  direction: z.enum(['below', 'above']),
  value: z.number(),
  risk: z.string(),
  label: z.string(),
  source: z.string(),
  regionOwn: z.boolean(),
});

async function defaultYear(db: Db, scope: DataScope): Promise<number> {
  const [r] = await db.query<{ y: number | null }>(
    // the most recent year in the facts (issue 18 §1: the screens open on it), else the published year
    `SELECT COALESCE((SELECT max(f.year) FROM declaration_year_fact f JOIN municipality m ON m.code = f.municipality_code WHERE m.region_id = $1),
                     (SELECT demo_year FROM region WHERE id = $1)) AS y`,
    [scope.regionId],
  );
  return r?.y ?? currentYear() - 1;
}

export async function riskRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const base = '/api/regions/:regionId/risk';

  app.get(
    base,
    {
      config: { access: readAccess },
      schema: {
        tags: ['monitoring'],
        summary: 'Risicomonitor: jaarcijfers, kengetallen, signalen en stresstest per aanbieder voor één jaar',
        params: RegionParams,
        querystring: RiskQuery,
        response: {
          200: z.object({
            regionId: z.string(),
            year: z.number(),
            cutPct: z.number(),
            scopeLabel: z.string(),
            assumption: z.string(),
            thresholds: z.array(Threshold),
            providers: z.array(Row),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      return riskList(db, scope, req.query.year ?? (await defaultYear(db, scope)), req.query.cut);
    },
  );

  tableExports(app, base, {
    summary: 'Risicomonitor per aanbieder',
    access: readAccess,
    querystring: RiskQuery,
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const r = await riskList(db, scope, req.query.year ?? (await defaultYear(db, scope)), req.query.cut);
      return {
        filename: `risicomonitor-${scope.regionId}-${r.year}`,
        sheet: `Risicomonitor ${r.year}`,
        columns: [
          { header: 'AGB-code' },
          { header: 'Aanbieder' },
          { header: 'Jaar' },
          { header: 'Omzet', kind: 'euro' },
          { header: 'Waarvan Jeugdwet', kind: 'euro' },
          { header: 'Resultaat', kind: 'euro' },
          { header: 'Eigen vermogen', kind: 'euro' },
          { header: 'Balanstotaal', kind: 'euro' },
          { header: 'Vlottende activa', kind: 'euro' },
          { header: 'Kortlopende schulden', kind: 'euro' },
          { header: 'Personeelskosten', kind: 'euro' },
          { header: 'Fte' },
          { header: 'Solvabiliteit', kind: 'pct' },
          { header: 'Current ratio' },
          { header: 'Rendement', kind: 'pct' },
          { header: 'Personeelskosten per fte', kind: 'euro' },
          { header: 'Geld van de regio', kind: 'euro' },
          { header: 'Afhankelijkheid', kind: 'pct' },
          { header: `Rendement na ${r.cutPct}% daling`, kind: 'pct' },
          { header: 'Signalen' },
          { header: 'Bron' },
        ],
        rows: r.providers.map((p) => {
          const f = p.figures;
          const round = (x: number | null, d = 4) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
          return [
            p.agbCode,
            p.name,
            p.year,
            f?.revenueCents ?? null,
            f?.youthActRevenueCents ?? null,
            f?.resultCents ?? null,
            f?.equityCents ?? null,
            f?.totalAssetsCents ?? null,
            f?.currentAssetsCents ?? null,
            f?.currentLiabilitiesCents ?? null,
            f?.staffCostsCents ?? null,
            f ? String(f.fte).replace('.', ',') : null,
            round(p.solvency),
            p.currentRatio === null ? null : String(round(p.currentRatio, 2)).replace('.', ','),
            round(p.returnRatio),
            p.staffCostPerFteCents,
            p.regionCents,
            round(p.dependency),
            round(p.stress?.returnRatio ?? null),
            f ? p.flags.map((x) => x.label).join(', ') || 'geen' : 'geen jaarcijfers',
            f?.source ?? null,
          ];
        }),
      };
    },
  });

  app.get(
    `${base}/providers/:providerId`,
    {
      config: { access: readAccess },
      schema: {
        tags: ['monitoring'],
        summary: 'Eén aanbieder: jaarcijfers, kengetallen en signalen over alle jaren',
        params: ProviderParams,
        querystring: CutQuery,
        response: {
          200: z.object({
            regionId: z.string(),
            providerId: z.number(),
            agbCode: z.string().nullable(),
            name: z.string(),
            cutPct: z.number(),
            assumption: z.string(),
            thresholds: z.array(Threshold),
            years: z.array(Row),
          }),
        },
      },
    },
    async (req) => providerRisk(db, scopeFor(req, req.params.regionId), req.params.providerId, req.query.cut),
  );

  app.put(
    `${base}/providers/:providerId`,
    {
      config: { access: writeAccess },
      schema: {
        tags: ['monitoring'],
        summary: 'De jaarcijfers van één aanbieder voor één jaar invoeren of vervangen',
        params: ProviderParams,
        body: Figures.extend({ year: Year.describe('boekjaar'), source: z.string().trim().min(1, 'noem de bron, bv. jaarrekening 2023').max(200) }),
        response: { 200: z.object({ providerId: z.number(), year: z.number() }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const { year, source, ...figures } = req.body;
      await db.transaction(async (tx) => {
        await saveAnnualAccount(tx, scope, req.params.providerId, year, figures, source, req.account!.username, todayNl());
        await writeAudit(tx, {
          account: req.account!,
          action: 'annual_account_save',
          route: `PUT ${base}/providers/:providerId`,
          subject: 'provider_annual_account',
          subjectIds: [req.params.providerId],
          detail: { regionId: scope.regionId, year },
          ip: req.ip,
        });
      });
      return { providerId: req.params.providerId, year };
    },
  );

  app.put(
    `${base}/thresholds`,
    {
      config: { access: writeAccess },
      schema: {
        tags: ['monitoring'],
        summary: 'Drempels van de risicosignalen voor deze regio aanpassen',
        params: RegionParams,
        body: z.object({ thresholds: z.array(z.object({ ratio: z.enum(RATIOS), direction: z.enum(['below', 'above']), value: z.number().finite() })).min(1) }),
        response: { 200: z.array(Threshold) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const result = await saveThresholds(db, scope.regionId, req.body.thresholds, req.account!.username, todayNl());
      await writeAudit(db, {
        account: req.account!,
        action: 'risk_thresholds_save',
        route: `PUT ${base}/thresholds`,
        subject: 'provider_risk_threshold',
        detail: { regionId: scope.regionId, changes: req.body.thresholds },
        ip: req.ip,
      });
      return result;
    },
  );

  app.register(async (scoped) => {
    streamCsvUploads(scoped); // to a temporary file, at most 5 MB (http/upload.ts)
    scoped.withTypeProvider<ZodTypeProvider>().post(
      `${base}/import`,
      {
        config: { access: writeAccess },
        bodyLimit: MAX_CSV_BYTES,
        schema: {
          tags: ['monitoring'],
          summary: `Jaarcijfers inlezen uit CSV (Content-Type: text/csv; ${CSV_HEADER.join(';')}; hoogstens 5 MB); alles of niets`,
          params: RegionParams,
          response: { 200: z.object({ imported: z.number() }) },
        },
      },
      async (req) => {
        const scope = scopeFor(req, req.params.regionId);
        const result = await importAnnualAccounts(db, scope, await uploadedCsv(req.body), req.account!.username, todayNl());
        await writeAudit(db, {
          account: req.account!,
          action: 'annual_account_import',
          route: `POST ${base}/import`,
          subject: 'provider_annual_account',
          detail: { regionId: scope.regionId, rows: result.imported },
          ip: req.ip,
        });
        return result;
      },
    );
  });

  // The quarterly contract-management report as PDF. Without a quarter: the newest quarter the provider declared in (within the year, if given).
  app.get(
    '/api/regions/:regionId/reports/provider/:providerId.pdf',
    {
      config: { access: readAccess },
      schema: {
        tags: ['monitoring'],
        summary: 'Kwartaalrapportage contractmanagement van één aanbieder (PDF)',
        params: ProviderParams,
        querystring: z.object({ year: Year.optional().describe('jaar'), quarter: z.coerce.number().int().min(1).max(4).optional().describe('kwartaal 1–4') }),
      },
    },
    async (req, reply) => {
      const scope = scopeFor(req, req.params.regionId);
      const latest = req.query.year && req.query.quarter ? null : await latestQuarter(db, scope, req.params.providerId, req.query.year ?? null);
      const year = req.query.year ?? latest!.year,
        quarter = req.query.quarter ?? latest!.quarter;
      const report = await providerQuarterReport(db, scope, req.params.providerId, year, quarter, todayNl());
      const pdf = await renderReportPdf(report);
      reply.header('content-disposition', `attachment; filename="kwartaalrapportage-${report.provider.agbCode}-${year}-K${quarter}.pdf"`);
      return reply.type('application/pdf').send(pdf);
    },
  );
}
