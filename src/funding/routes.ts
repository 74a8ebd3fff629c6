// Declaration lines of one month: money per youth, so personal data, scoped and audited.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RegionParams, scopeFor } from '../http/region.ts';
import { monthEnd } from '../core/dates.ts';

export async function fundingRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;

  app.get('/api/regions/:regionId/declarations', {
    config: { access: { roles: ['gemeente', 'aanbieder'], personal: true } },
    schema: {
      tags: ['bekostiging'], summary: 'Geaccepteerde en afgewezen declaratieregels van één maand', params: RegionParams,
      querystring: z.object({
        month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'maand als JJJJ-MM').describe('JJJJ-MM'),
        limit: z.coerce.number().int().min(1).max(1000).default(200), offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.object({ total: z.number(), totalAmountCents: z.number(), lines: z.array(z.object({
        lineId: z.number(), youthId: z.number().nullable(), municipalityCode: z.string(), providerId: z.number(), productCode: z.string(),
        periodStart: z.string(), periodEnd: z.string(), volume: z.number(), unit: z.string(), tariffCents: z.number(), amountCents: z.number(),
        debitCredit: z.string(), status: z.string(),
      })) }) },
    },
  }, async (req) => {
    const scope = scopeFor(req, req.params.regionId);
    const [y, m] = req.query.month.split('-').map(Number);
    const from = `${req.query.month}-01`, to = monthEnd(y, m).toString();
    const rows = await db.query(
      `SELECT d.id AS "lineId", d.youth_id AS "youthId", trim(d.municipality_code) AS "municipalityCode", d.provider_id AS "providerId", p.code AS "productCode",
              d.period_start AS "periodStart", d.period_end AS "periodEnd", d.volume, trim(d.unit) AS unit, d.tariff_cents AS "tariffCents",
              d.amount_cents AS "amountCents", d.debit_credit AS "debitCredit", d.status,
              count(*) OVER ()::int AS total,
              sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE d.status = 'geaccepteerd') OVER ()::int8 AS total_amount
       FROM declaration_line d JOIN municipality mu ON mu.code = d.municipality_code JOIN product p ON p.id = d.product_id
       WHERE mu.region_id = $1 AND d.period_start BETWEEN $2::date AND $3::date
         AND ($4::text IS NULL OR d.municipality_code = $4::bpchar) AND ($5::int IS NULL OR d.provider_id = $5::int)
       ORDER BY d.id LIMIT $6 OFFSET $7`,
      [scope.regionId, from, to, scope.municipalityCode, scope.providerId, req.query.limit, req.query.offset]);
    await req.auditRead('declaration_line', rows.map((r) => r.youthId).filter((x): x is number => x !== null), { month: req.query.month });
    return {
      total: rows[0]?.total ?? 0, totalAmountCents: rows[0]?.total_amount ?? 0,
      lines: rows.map(({ total, total_amount, ...r }) => r) as any,
    };
  });
}
