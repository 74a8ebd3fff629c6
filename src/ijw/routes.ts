// Youths and their allocations (toewijzingen): personal data, so scoped to the caller and audited.
// A municipality sees its residents and the youths it holds allocations for (a youth who moved stays with the
// municipality that pays, woonplaatsbeginsel), and of a youth only the allocations it issued; a provider sees
// the youths it holds an allocation for, and only its own allocations.
// Regional procurement and the coordination point work with aggregates and see no youths here.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../core/errors.ts';
import { rows as run, scopeSql, sql } from '../db/query.ts';
import { RegionParams, scopeFor } from '../http/region.ts';

const personal = { roles: ['gemeente', 'aanbieder'] as const, personal: true };

const Youth = z.object({
  youthId: z.number(),
  pseudonym: z.string(),
  birthYear: z.number(),
  gender: z.string(),
  residenceCode: z.string().describe('CBS-code van de woongemeente'),
  allocations: z.number(),
});
const Allocation = z.object({
  allocationId: z.number(),
  assignmentNumber: z.string(),
  youthId: z.number(),
  municipalityCode: z.string(),
  providerId: z.number(),
  providerName: z.string(),
  productCode: z.string(),
  productName: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  volume: z.number().nullable(),
  unit: z.string(),
  status: z.string(),
});

export async function ijwRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/regions/:regionId/youths',
    {
      config: { access: personal },
      schema: {
        tags: ['toewijzingen'],
        summary: 'Jeugdigen binnen uw bereik (gepseudonimiseerd; geen BSN)',
        params: RegionParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) }),
        response: { 200: z.object({ total: z.number(), youths: z.array(Youth) }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      // the allocations the role may see: a municipality's issued ones, a provider's own
      const ownAllocation = scopeSql(scope, { municipality: 'a.municipality_code', provider: 'a.provider_id' });
      const rows = await run<any>(
        db,
        sql`WITH visible AS (
         SELECT y.id, y.pseudonym, y.birth_date, y.gender, trim(y.municipality_code) AS municipality_code,
                (SELECT count(*) FROM allocation a WHERE a.youth_id = y.id AND ${ownAllocation})::int AS allocations
         FROM youth y JOIN municipality m ON m.code = y.municipality_code
         WHERE m.region_id = ${scope.regionId}
           -- a municipality's residents, and every youth with an allocation the role may see
           AND (${scopeSql(scope, { region: 'm.region_id', municipality: 'y.municipality_code', noneForProviders: true })}
                OR EXISTS (SELECT 1 FROM allocation a WHERE a.youth_id = y.id AND ${ownAllocation})))
       SELECT *, count(*) OVER ()::int AS total FROM visible ORDER BY id LIMIT ${req.query.limit} OFFSET ${req.query.offset}`,
      );
      await req.auditRead(
        'youth',
        rows.map((r) => r.id),
      );
      return {
        total: rows[0]?.total ?? 0,
        youths: rows.map((r) => ({
          youthId: r.id,
          pseudonym: r.pseudonym,
          birthYear: Number(r.birth_date.slice(0, 4)),
          gender: r.gender,
          residenceCode: r.municipality_code,
          allocations: r.allocations,
        })),
      };
    },
  );

  app.get(
    '/api/regions/:regionId/youths/:youthId/allocations',
    {
      config: { access: personal },
      schema: {
        tags: ['toewijzingen'],
        summary: 'De toewijzingen van één jeugdige door de tijd',
        params: RegionParams.extend({ youthId: z.coerce.number().int().positive() }),
        response: { 200: z.array(Allocation) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const rows = await run<any>(
        db,
        sql`SELECT a.id AS "allocationId", a.assignment_number AS "assignmentNumber", a.youth_id AS "youthId", trim(a.municipality_code) AS "municipalityCode",
              a.provider_id AS "providerId", pr.name AS "providerName", p.code AS "productCode", p.name AS "productName",
              a.start_date AS "startDate", a.end_date AS "endDate", a.volume, trim(a.unit) AS unit, a.status
       FROM allocation a JOIN youth y ON y.id = a.youth_id JOIN municipality m ON m.code = y.municipality_code
       JOIN product p ON p.id = a.product_id JOIN provider pr ON pr.id = a.provider_id
       WHERE a.youth_id = ${req.params.youthId}
         AND ${scopeSql(scope, { region: 'm.region_id', municipality: 'a.municipality_code', provider: 'a.provider_id' })}
       ORDER BY a.start_date, a.id`,
      );
      if (!rows.length) throw notFound(`Jeugdige ${req.params.youthId}`);
      await req.auditRead('allocation', [req.params.youthId], { allocations: rows.length });
      return rows;
    },
  );
}
