import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../access/roles.ts';
import { RegionParams, centsToCsvEuro, scopeFor, toCsv } from '../http/region.ts';
import { dashboard } from './dashboard.ts';
import { concentration, providerRanking } from './concentration.ts';
import { badRequest } from '../core/errors.ts';
import type { Db } from '../db/index.ts';

const YearQuery = z.object({ year: z.coerce.number().int().min(2015).max(2100).describe('kalenderjaar, bv. 2021') });
const SegmentQuery = YearQuery.extend({ segment: z.string().regex(/^[A-Z0-9/-]{1,16}$/).optional().describe('segmentcode, bv. WON; leeg = alle segmenten') });
const Share = z.number().describe('aandeel 0–1');
const SegmentConcentration = z.object({
  segmentId: z.number().nullable(), code: z.string(), name: z.string(), providers: z.number(), amountCents: z.number(),
  top1Share: Share, top3Share: Share, top10Share: Share, providersFor50: z.number(), providersFor75: z.number(),
  hhi: z.number().describe('Herfindahl-Hirschman-index 0–10.000'),
  clientBands: z.object({ '1-10': z.number(), '11-100': z.number(), '>100': z.number() }),
  inOneMunicipality: z.number(), inAllMunicipalities: z.number(), pareto: z.array(z.number()),
});
const RankedProvider = z.object({
  rank: z.number(), providerId: z.number(), agbCode: z.string(), name: z.string(), amountCents: z.number(), clients: z.number(),
  municipalities: z.number(), share: Share, cumulativeShare: Share, supplierManagement: z.boolean(),
});
/** Only the region and municipalities compare providers; a provider sees its own figures on the dashboard. */
const marketAccess = { roles: ['regio', 'gemeente'] as ('regio' | 'gemeente')[] };

async function segmentIdFor(db: Db, regionId: string, code: string | undefined): Promise<number | null> {
  if (!code || code === 'ALLE') return null;
  const [s] = await db.query<{ id: number }>(`SELECT id FROM segment WHERE region_id = $1 AND code = $2 AND parent_id IS NULL`, [regionId, code]);
  if (!s) throw badRequest(`Segment '${code}' bestaat niet in deze regio`, 'segment');
  return s.id;
}

const Figures = z.object({ amountCents: z.number(), persons: z.number() });

const Dashboard = z.object({
  regionId: z.string(), year: z.number(), scope: z.object({ role: z.string(), label: z.string() }),
  totals: z.object({ amountCents: z.number(), persons: z.number(), providers: z.number(), municipalities: z.number() }),
  bySegment: z.array(z.object({ segmentId: z.number(), code: z.string(), name: z.string(), amountCents: z.number(), persons: z.number(), providers: z.number() })),
  byMunicipality: z.array(z.object({ code: z.string(), name: z.string(), amountCents: z.number(), persons: z.number(), segments: z.record(z.string(), Figures) })),
});

export async function monitoringRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const access = { roles: ROLES }; // every logged-in role; the data scope narrows gemeente and aanbieder

  app.get('/api/regions/:regionId/dashboard', {
    config: { access },
    schema: { tags: ['monitoring'], summary: 'Kosten, personen en aanbieders per segment en gemeente voor één jaar', params: RegionParams, querystring: YearQuery, response: { 200: Dashboard } },
  }, async (req) => {
    const scope = scopeFor(req, req.params.regionId);
    return { ...(await dashboard(db, scope, req.query.year)), scope: { role: req.account!.role, label: scope.label } };
  });

  app.get('/api/regions/:regionId/dashboard/segments.csv', {
    config: { access },
    schema: { tags: ['monitoring'], summary: 'Kosten per segment als CSV', params: RegionParams, querystring: YearQuery },
  }, async (req, reply) => {
    const scope = scopeFor(req, req.params.regionId);
    const d = await dashboard(db, scope, req.query.year);
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="kosten-per-segment-${scope.regionId}-${d.year}.csv"`);
    return toCsv(['Segment', 'Jaar', 'Bedrag (EUR)', 'Personen', 'Aanbieders'],
      d.bySegment.map((s) => [s.name, d.year, centsToCsvEuro(s.amountCents), s.persons, s.providers]));
  });

  app.get('/api/regions/:regionId/dashboard/municipalities.csv', {
    config: { access },
    schema: { tags: ['monitoring'], summary: 'Kosten per gemeente (en per segment) als CSV', params: RegionParams, querystring: YearQuery },
  }, async (req, reply) => {
    const scope = scopeFor(req, req.params.regionId);
    const d = await dashboard(db, scope, req.query.year);
    const segs = d.bySegment.map((s) => s.code);
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="kosten-per-gemeente-${scope.regionId}-${d.year}.csv"`);
    return toCsv(
      ['CBS-code', 'Gemeente', 'Jaar', 'Bedrag (EUR)', 'Personen', ...segs.flatMap((c) => [`${c} bedrag (EUR)`, `${c} personen`])],
      d.byMunicipality.map((m) => [m.code, m.name, d.year, centsToCsvEuro(m.amountCents), m.persons,
        ...segs.flatMap((c) => [centsToCsvEuro(m.segments[c]?.amountCents ?? 0), m.segments[c]?.persons ?? 0])]));
  });

  app.get('/api/regions/:regionId/dashboard/concentration', {
    config: { access: marketAccess },
    schema: {
      tags: ['monitoring'], summary: 'Concentratie van aanbieders per segment: top-aandelen, 50%/75%-grens, HHI, cliëntklassen, Paretocurve',
      params: RegionParams, querystring: YearQuery,
      response: { 200: z.object({ regionId: z.string(), year: z.number(), municipalities: z.number(), overall: SegmentConcentration, bySegment: z.array(SegmentConcentration) }) },
    },
  }, async (req) => concentration(db, scopeFor(req, req.params.regionId), req.query.year));

  app.get('/api/regions/:regionId/dashboard/providers', {
    config: { access: marketAccess },
    schema: {
      tags: ['monitoring'], summary: 'Aanbieders gerangschikt naar bedrag, met cumulatief aandeel; tot 75% = leveranciersmanagement',
      params: RegionParams, querystring: SegmentQuery, response: { 200: z.array(RankedProvider) },
    },
  }, async (req) => {
    const scope = scopeFor(req, req.params.regionId);
    return providerRanking(db, scope, req.query.year, await segmentIdFor(db, scope.regionId, req.query.segment));
  });

  app.get('/api/regions/:regionId/dashboard/providers.csv', {
    config: { access: marketAccess },
    schema: { tags: ['monitoring'], summary: 'Aanbieders gerangschikt naar bedrag als CSV', params: RegionParams, querystring: SegmentQuery },
  }, async (req, reply) => {
    const scope = scopeFor(req, req.params.regionId);
    const rows = await providerRanking(db, scope, req.query.year, await segmentIdFor(db, scope.regionId, req.query.segment));
    const pct = (x: number) => (x * 100).toFixed(2).replace('.', ',');
    reply.type('text/csv; charset=utf-8').header('content-disposition',
      `attachment; filename="aanbieders-${scope.regionId}-${req.query.segment ?? 'alle'}-${req.query.year}.csv"`);
    return toCsv(['Rang', 'AGB-code', 'Aanbieder', 'Bedrag (EUR)', 'Aandeel (%)', 'Cumulatief (%)', 'Cliënten', 'Gemeenten', 'Leveranciersmanagement'],
      rows.map((r) => [r.rank, r.agbCode, r.name, centsToCsvEuro(r.amountCents), pct(r.share), pct(r.cumulativeShare), r.clients, r.municipalities, r.supplierManagement ? 'ja' : 'nee']));
  });
}
