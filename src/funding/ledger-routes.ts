// The settlement ledger's routes (moved from src/ijw/message-routes.ts with the ledger, issue 15 §8; same URLs):
// accepted lines per municipality × provider × product × month, and its export.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tableExports } from '../http/export.ts';
import { RegionParams, scopeFor } from '../http/region.ts';
import { latestYear, ledger, LEDGER_SORTS, ledgerPage } from './ledger.ts';

const listAccess = { roles: ['regio', 'gemeente', 'aanbieder'] as const };
const LedgerQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('standaard het laatste jaar met geboekte regels'),
  month: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(12).optional()),
});
const LedgerPageQuery = LedgerQuery.extend({
  limit: z.coerce.number().int().min(1).max(5000).optional().describe('één pagina van zoveel rijen; zonder: alle rijen'),
  offset: z.coerce.number().int().min(0).default(0).describe('rijen overslaan (paginering)'),
  sort: z.enum(LEDGER_SORTS).optional().describe('sorteren op kolom'),
  desc: z
    .preprocess((v) => v === 'true' || v === '1' || v === true, z.boolean())
    .default(false)
    .describe('aflopend sorteren'),
});

export async function ledgerRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  app.get(
    '/api/regions/:regionId/ijw/ledger',
    {
      config: { access: listAccess },
      schema: {
        tags: ['ijw'],
        summary: 'Afrekening (P*Q): geaccepteerde regels per gemeente × aanbieder × product × maand',
        params: RegionParams,
        querystring: LedgerPageQuery,
        response: {
          200: z.object({
            year: z.number(),
            totalCents: z.number(),
            totalRows: z.number(),
            totalLines: z.number(),
            offset: z.number(),
            rows: z.array(
              z.object({
                municipalityCode: z.string(),
                municipalityName: z.string(),
                providerId: z.number(),
                providerName: z.string(),
                productCode: z.string(),
                productName: z.string(),
                month: z.string(),
                lines: z.number(),
                volume: z.number(),
                amountCents: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const q = req.query;
      const year = q.year ?? (await latestYear(db, scope.regionId));
      if (q.limit === undefined) return ledger(db, scope, year, q.month);
      return ledgerPage(db, scope, year, q.month, { limit: q.limit, offset: q.offset, sort: q.sort, desc: q.desc });
    },
  );

  tableExports(app0, '/api/regions/:regionId/ijw/ledger', {
    summary: 'Afrekening (P*Q)',
    access: listAccess,
    querystring: LedgerQuery,
    tags: ['ijw'],
    build: async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const l = await ledger(db, scope, req.query.year ?? (await latestYear(db, scope.regionId)), req.query.month);
      return {
        filename: `afrekening-${scope.regionId}-${l.year}${req.query.month ? `-${String(req.query.month).padStart(2, '0')}` : ''}`,
        sheet: `Afrekening ${l.year}`,
        columns: [
          { header: 'CBS-code' },
          { header: 'Gemeente' },
          { header: 'Aanbieder' },
          { header: 'Productcode' },
          { header: 'Product' },
          { header: 'Maand' },
          { header: 'Regels', kind: 'count' },
          { header: 'Volume', kind: 'count' },
          { header: 'Bedrag', kind: 'euro' },
        ],
        rows: l.rows.map((r: any) => [
          r.municipalityCode,
          r.municipalityName,
          r.providerName,
          r.productCode,
          r.productName,
          r.month,
          r.lines,
          r.volume,
          r.amountCents,
        ]),
      };
    },
  });
}
