// The budget routes (moved from src/monitoring/routes.ts with the budgets, issue 15 §8; same URLs): budgets per
// municipality × segment × year against realisation and forecast, their export, and the CSV import.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../access/store.ts';
import { RegionParams, scopeFor } from '../http/region.ts';
import { tableExports } from '../http/export.ts';
import { MAX_CSV_BYTES, streamCsvUploads, uploadedCsv } from '../http/upload.ts';
import { budgetReport, importBudgets } from './budgets.ts';

const YearQuery = z.object({ year: z.coerce.number().int().min(2015).max(2100).describe('kalenderjaar, bv. 2021') });

export async function budgetRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  // Budgets against realisation and forecast; import from CSV.
  const budgetAccess = { roles: ['regio', 'gemeente'] as ('regio' | 'gemeente')[] };
  const BudgetQuery = YearQuery.extend({
    through: z.coerce
      .number()
      .int()
      .min(1)
      .max(12)
      .optional()
      .describe('realisatie t/m deze maand (1–12); standaard: afgesloten jaar 12, lopend jaar de laatste hele maand'),
    threshold: z.coerce.number().min(0).max(100).default(5).describe('afwijking in % waarboven gemarkeerd wordt'),
  });
  const throughFor = (year: number, through?: number) => {
    if (through) return through;
    const now = new Date();
    return year < now.getFullYear() ? 12 : Math.max(1, now.getMonth()); // the running year: the last whole month
  };
  const BudgetLine = z.object({
    budgetCents: z.number().nullable(),
    realisedCents: z.number().describe('realisatie van alle bekostigingsvormen'),
    declaredCents: z.number().describe('waarvan: declaraties (zonder de correctie voor contracten)'),
    forecastCents: z.number(),
    deviationCents: z.number().nullable(),
    deviationPct: z.number().nullable(),
    flag: z.enum(['binnen', 'over', 'onder', 'geen budget']),
  });
  app.get(
    '/api/regions/:regionId/dashboard/budget',
    {
      config: { access: budgetAccess },
      schema: {
        tags: ['monitoring'],
        summary: 'Budget per gemeente × segment tegen realisatie en jaarprognose, afwijkingen gemarkeerd',
        params: RegionParams,
        querystring: BudgetQuery,
        response: {
          200: z.object({
            regionId: z.string(),
            year: z.number(),
            throughMonth: z.number(),
            thresholdPct: z.number(),
            method: z.string(),
            total: BudgetLine,
            byMunicipality: z.array(BudgetLine.extend({ code: z.string(), name: z.string() })),
            bySegment: z.array(BudgetLine.extend({ code: z.string(), name: z.string() })),
            cells: z.array(BudgetLine.extend({ municipalityCode: z.string(), municipalityName: z.string(), segmentCode: z.string(), segmentName: z.string() })),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      return budgetReport(db, scope, req.query.year, throughFor(req.query.year, req.query.through), req.query.threshold);
    },
  );
  tableExports(app, '/api/regions/:regionId/dashboard/budget', {
    summary: 'Budget tegen realisatie en prognose per gemeente en segment',
    access: budgetAccess,
    querystring: BudgetQuery,
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const b = await budgetReport(db, scope, req.query.year, throughFor(req.query.year, req.query.through), req.query.threshold);
      return {
        filename: `budget-${scope.regionId}-${b.year}-tm-${b.throughMonth}`,
        sheet: `Budget ${b.year}`,
        columns: [
          { header: 'CBS-code' },
          { header: 'Gemeente' },
          { header: 'Segment' },
          { header: 'Budget', kind: 'euro' },
          { header: `Gedeclareerd t/m maand ${b.throughMonth}`, kind: 'euro' },
          { header: `Realisatie t/m maand ${b.throughMonth}`, kind: 'euro' },
          { header: 'Prognose', kind: 'euro' },
          { header: 'Afwijking', kind: 'euro' },
          { header: 'Afwijking', kind: 'pct' },
          { header: 'Signaal' },
        ],
        rows: b.cells.map((c) => [
          c.municipalityCode,
          c.municipalityName,
          c.segmentName,
          c.budgetCents,
          c.declaredCents,
          c.realisedCents,
          c.forecastCents,
          c.deviationCents,
          c.deviationPct === null ? null : c.deviationPct / 100,
          c.flag,
        ]),
      };
    },
  });
  app.register(async (scoped) => {
    streamCsvUploads(scoped); // to a temporary file, at most 5 MB (http/upload.ts)
    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/api/regions/:regionId/budgets/import',
      {
        config: { access: budgetAccess },
        bodyLimit: MAX_CSV_BYTES,
        schema: {
          tags: ['monitoring'],
          summary: 'Budgetten inlezen uit CSV (Content-Type: text/csv; CBS-code;Segment;Jaar;Bedrag (EUR); hoogstens 5 MB); alles of niets',
          params: RegionParams,
          response: { 200: z.object({ imported: z.number() }) },
        },
      },
      async (req) => {
        const scope = scopeFor(req, req.params.regionId);
        const result = await importBudgets(db, scope, await uploadedCsv(req.body));
        await writeAudit(db, {
          account: req.account!,
          action: 'budget_import',
          route: 'POST /api/regions/:regionId/budgets/import',
          subject: 'budget',
          detail: { regionId: scope.regionId, rows: result.imported },
          ip: req.ip,
        });
        return result;
      },
    );
  });
}
