// The Fastify server: security plugins, access control on every route, OpenAPI, the web app.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from './types.ts';
import { errorHandler, sendProblem } from './problem.ts';
import { accessPlugin } from '../access/plugin.ts';
import { accessRoutes } from '../access/routes.ts';
import { catalogRoutes } from '../catalog/routes.ts';
import { monitoringRoutes } from '../monitoring/routes.ts';
import { riskRoutes } from '../monitoring/risk-routes.ts';
import { ijwRoutes } from '../ijw/routes.ts';
import { ijwMessageRoutes } from '../ijw/message-routes.ts';
import { fundingRoutes } from '../funding/routes.ts';
import { providerRoutes } from '../providers/routes.ts';
import { placementRoutes } from '../placement/index.ts';
import { tariffRoutes } from '../tariffs/index.ts';

z.config(z.locales.nl()); // validation messages in Dutch

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface RouteInfo { method: string; url: string; access: NonNullable<import('../access/roles.ts').RouteAccess> }

export async function buildServer(ctx: AppContext, opts: { logger?: boolean } = {}): Promise<FastifyInstance & { routeInfo: RouteInfo[] }> {
  const app = Fastify({ logger: opts.logger ?? false, trustProxy: true, bodyLimit: 1024 * 1024 }) as unknown as FastifyInstance & { routeInfo: RouteInfo[] };
  app.decorate('ctx', ctx);
  app.routeInfo = [];
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  // Every /api route declares who may call it; a route without a declaration is a programming error.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${route.method} ${route.url} declareert geen toegang (config.access)`);
    for (const m of [route.method].flat()) if (m !== 'HEAD') app.routeInfo.push({ method: m, url: route.url, access });
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Regiekamer Jeugd API', version: '0.1.0', description: 'Inkoop, bekostiging en sturing van jeugdhulp. Bedragen in eurocenten; datums als JJJJ-MM-DD.' },
      components: { securitySchemes: { sessie: { type: 'apiKey', in: 'cookie', name: 'rk_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(accessPlugin);

  app.get('/api/health', { config: { access: { roles: 'public' } }, schema: { hide: true } }, async () => {
    await ctx.db.query('SELECT 1');
    return { status: 'ok', database: ctx.db.kind, demo: ctx.config.demo };
  });
  app.get('/api/openapi.json', { config: { access: { roles: 'public' } }, schema: { hide: true } }, async () => app.swagger());

  await app.register(accessRoutes);
  await app.register(catalogRoutes);
  await app.register(monitoringRoutes);
  await app.register(riskRoutes);
  await app.register(ijwRoutes);
  await app.register(ijwMessageRoutes);
  await app.register(fundingRoutes);
  await app.register(providerRoutes);
  await app.register(placementRoutes);
  await app.register(tariffRoutes);

  if (existsSync(webDist)) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: 'index.html' });
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/') || req.method !== 'GET') {
        return sendProblem(reply, { type: 'about:blank', title: 'Niet gevonden', status: 404, detail: `${req.method} ${req.url.split('?')[0]} bestaat niet` });
      }
      return reply.sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler((req, reply) => sendProblem(reply, {
      type: 'about:blank', title: 'Niet gevonden', status: 404,
      detail: req.url.startsWith('/api/') ? `${req.method} ${req.url.split('?')[0]} bestaat niet` : 'De webapp is nog niet gebouwd: npm run build',
    }));
  }
  return app;
}
