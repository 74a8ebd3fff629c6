import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../access/roles.ts';
import { RegionParams, scopeFor } from '../http/region.ts';

/** Contracted providers of a region (public procurement information: no money, no clients). */
export async function providerRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  app.get('/api/regions/:regionId/providers', {
    config: { access: { roles: ROLES } },
    schema: {
      tags: ['aanbieders'], summary: 'Gecontracteerde aanbieders van de regio, met hun segmenten', params: RegionParams,
      response: { 200: z.array(z.object({ id: z.number(), agbCode: z.string(), name: z.string(), providerType: z.string(), segments: z.array(z.string()) })) },
    },
  }, async (req) => {
    scopeFor(req, req.params.regionId);
    return db.query(
      `SELECT p.id, p.agb_code AS "agbCode", p.name, p.provider_type AS "providerType",
              array_agg(DISTINCT COALESCE(ps.code, s.code) ORDER BY COALESCE(ps.code, s.code)) AS segments
       FROM contract c JOIN provider p ON p.id = c.provider_id JOIN segment s ON s.id = c.segment_id
       LEFT JOIN segment ps ON ps.id = s.parent_id
       WHERE c.region_id = $1 GROUP BY p.id ORDER BY p.name`, [req.params.regionId]);
  });
}
