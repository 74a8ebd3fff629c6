import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../access/roles.ts';
import { notFound } from '../core/errors.ts';
import { RegionParams, scopeFor } from '../http/region.ts';
import { listRegions, productBook, regionDetail } from './read.ts';
import { today } from '../core/dates.ts';

export async function catalogRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/regions',
    {
      config: { access: { roles: ROLES } },
      schema: {
        tags: ['catalogus'],
        summary: "De regio's die dit account mag zien",
        response: { 200: z.array(z.object({ id: z.string(), name: z.string(), municipalityCount: z.number(), demoYear: z.number().nullable() })) },
      },
    },
    async (req) => listRegions(db, req.account!.regionIds),
  );

  app.get(
    '/api/regions/:regionId',
    {
      config: { access: { roles: ROLES } },
      schema: {
        tags: ['catalogus'],
        summary: 'Een regio: gemeenten, segmenten, jaren met gegevens',
        params: RegionParams,
        response: {
          200: z.object({
            id: z.string(),
            name: z.string(),
            procurement: z.string(),
            demoYear: z.number().nullable(),
            years: z.array(z.number()),
            latestYear: z.number().nullable().describe('het laatste jaar met gedeclareerde kosten: het jaar waarop de schermen openen'),
            municipalities: z.array(z.object({ code: z.string(), name: z.string() })),
            segments: z
              .array(
                z.object({
                  id: z.number(),
                  code: z.string(),
                  name: z.string(),
                  parentId: z.number().nullable(),
                  fundingForm: z.string().nullable(),
                  fundingFormName: z.string().nullable(),
                  procuredByRegion: z.boolean(),
                  depth: z.number().describe('0 voor een hoofdsegment, 1 voor een deelsegment'),
                  topCode: z.string(),
                  topName: z.string(),
                  codes: z.array(z.string()).describe('dit segment en alle deelsegmenten eronder'),
                }),
              )
              .describe('de segmentboom, ouder voor zijn deelsegmenten'),
            providerCount: z.number(),
          }),
        },
      },
    },
    async (req) => {
      scopeFor(req, req.params.regionId);
      const detail = await regionDetail(db, req.params.regionId);
      if (!detail) throw notFound(`Regio '${req.params.regionId}'`);
      return detail;
    },
  );

  app.get(
    '/api/regions/:regionId/products',
    {
      config: { access: { roles: ROLES } },
      schema: {
        tags: ['catalogus'],
        summary: 'Het productenboek met het tarief dat op de peildatum geldt',
        params: RegionParams,
        querystring: z.object({
          date: z.iso.date().optional().describe('peildatum JJJJ-MM-DD; standaard vandaag'),
          segment: z.string().max(40).optional().describe('segmentcode: dit segment met al zijn deelsegmenten'),
        }),
        response: {
          200: z.array(
            z.object({
              id: z.number(),
              code: z.string(),
              categoryCode: z.string(),
              name: z.string(),
              unit: z.string(),
              unitName: z.string(),
              segmentCode: z.string().nullable(),
              segmentName: z.string().nullable(),
              topSegmentCode: z.string().nullable(),
              topSegmentName: z.string().nullable(),
              productGroup: z.string(),
              executionVariant: z.string(),
              tariffCents: z.number().nullable(),
              tariffValidFrom: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (req) => {
      scopeFor(req, req.params.regionId);
      return productBook(db, req.params.regionId, req.query.date ?? today(), req.query.segment);
    },
  );
}
