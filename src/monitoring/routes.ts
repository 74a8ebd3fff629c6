import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../access/roles.ts';
import { RegionParams, centsToCsvEuro, scopeFor, toCsv } from '../http/region.ts';
import { dashboard } from './dashboard.ts';

const YearQuery = z.object({ year: z.coerce.number().int().min(2015).max(2100).describe('kalenderjaar, bv. 2021') });
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
}
