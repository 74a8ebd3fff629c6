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
import { controlCharField } from './schemas.ts';
import { boundedJsonBodies } from './upload.ts';
import { loggerOptions } from './log.ts';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { AppError, badRequest } from '../core/errors.ts';
import { accessPlugin } from '../access/plugin.ts';
import { accessRoutes } from '../access/routes.ts';
import { catalogRoutes } from '../catalog/routes.ts';
import { monitoringRoutes } from '../monitoring/routes.ts';
import { riskRoutes } from '../monitoring/risk-routes.ts';
import { ijwRoutes } from '../ijw/routes.ts';
import { ijwMessageRoutes } from '../ijw/message-routes.ts';
import { fundingRoutes } from '../funding/routes.ts';
import { budgetRoutes } from '../funding/budget-routes.ts';
import { ledgerRoutes } from '../funding/ledger-routes.ts';
import { providerRoutes } from '../providers/routes.ts';
import { placementRoutes } from '../placement/index.ts';
import { tariffRoutes } from '../tariffs/index.ts';
import { wireCapabilities } from '../wiring.ts';

z.config(z.locales.nl()); // validation messages in Dutch

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** How long the readiness probe waits for the database before it answers 503. */
export const READY_TIMEOUT_MS = 2_000;

export interface RouteInfo {
  method: string;
  url: string;
  access: NonNullable<import('../access/roles.ts').RouteAccess>;
}

export async function buildServer(
  ctx: AppContext,
  opts: { log?: { level: string; stream?: Writable } } = {},
): Promise<FastifyInstance & { routeInfo: RouteInfo[] }> {
  const app = Fastify({
    ...(opts.log ? loggerOptions(opts.log.level, opts.log.stream) : { logger: false, genReqId: () => randomUUID() }),
    bodyLimit: 1024 * 1024,
    // X-Forwarded-* only from the proxies the operator names (REGIEKAMER_TRUST_PROXY); none by default
    trustProxy: ctx.config.trustProxy?.length ? ctx.config.trustProxy : false,
    // a malformed or overlong URL is refused by the router itself: as problem+json too
    frameworkErrors: (err, _req, reply) =>
      sendProblem(reply, {
        type: 'about:blank',
        title: 'Ongeldig verzoek',
        status: err.statusCode ?? 400,
        detail: `Het adres is ongeldig of te lang (${err.code})`,
        field: 'url',
      }),
  }) as unknown as FastifyInstance & { routeInfo: RouteInfo[] };
  wireCapabilities(); // how the capabilities hear of each other's events (src/wiring.ts)
  app.decorate('ctx', ctx);
  app.routeInfo = [];
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  // Cross-site requests change nothing (CSRF): a state-changing request from a browser must come from our own origin.
  // Browsers send Origin on every cross-site POST; a client without one (the CLI, curl) is not a browser.
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    const origin = req.headers.origin;
    const own = `${req.protocol}://${req.host}`;
    if ((origin && origin !== own) || (!origin && req.headers['sec-fetch-site'] === 'cross-site')) {
      throw new AppError(403, 'Geen toegang', `Verzoeken die iets veranderen moeten van ${own} komen, niet van ${origin ?? 'een andere site'}`, 'origin');
    }
  });
  // Only the body types a route declares: no text/plain, which a cross-site form may send without a preflight.
  app.removeContentTypeParser('text/plain');
  // JSON bodies over 64 kB are uploads: streamed to disk within the route's limit, parsed off the event loop (upload.ts)
  boundedJsonBodies(app);
  // Answers of the API are never kept by a browser or proxy cache (they hold personal data and money).
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  // No control characters in any text a request carries (schemas.ts): a 400 naming the field, before any schema runs.
  app.addHook('preValidation', async (req) => {
    let field = controlCharField(req.query, 'querystring', true) ?? controlCharField(req.params, 'params', true);
    if (!field && typeof req.body === 'string') {
      const at = req.body.indexOf('\u0000');
      if (at >= 0) field = `body, regel ${req.body.slice(0, at).split('\n').length}`;
    } else if (!field && req.bodyControlField !== undefined)
      field = req.bodyControlField; // checked in the JSON worker (upload.ts)
    else if (!field && req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) field = controlCharField(req.body, 'body', false);
    if (field) throw badRequest(`${field}: bevat een stuurteken (zoals NUL of ESC); verwijder het en probeer opnieuw`, field.replace(/, regel \d+$/, ''));
  });

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
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Regiekamer Jeugd API',
        version: '0.1.0',
        description: 'Inkoop, bekostiging en sturing van jeugdhulp. Bedragen in eurocenten; datums als JJJJ-MM-DD.',
      },
      components: { securitySchemes: { sessie: { type: 'apiKey', in: 'cookie', name: 'rk_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(accessPlugin);

  // Two probes (docs/security.md). Liveness: the process answers; it asks nothing of the database, so a long import
  // that holds the embedded database's one connection does not make a supervisor restart a server that is working.
  // Readiness: the database answers a query too, within READY_TIMEOUT_MS (else 503: send no traffic for now).
  app.get('/api/health', { config: { access: { roles: 'public' } }, schema: { hide: true } }, async () => ({
    status: 'ok',
    database: ctx.db.kind,
    demo: ctx.config.demo,
  }));
  app.get('/api/health/ready', { config: { access: { roles: 'public' } }, schema: { hide: true } }, async (_req, reply) => {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const answer = await Promise.race([
      ctx.db.query('SELECT 1').then(
        () => 'ok' as const,
        () => 'error' as const,
      ),
      new Promise<'slow'>((resolve) => {
        timer = setTimeout(() => resolve('slow'), READY_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    const ms = Math.round(performance.now() - t0);
    if (answer !== 'ok') {
      return sendProblem(reply, {
        type: 'about:blank',
        title: 'Database niet bereikbaar',
        status: 503,
        field: 'database',
        detail:
          answer === 'slow'
            ? `De database antwoordde niet binnen ${READY_TIMEOUT_MS} ms (bijvoorbeeld tijdens een grote import op de ingebouwde database); probeer het straks opnieuw`
            : 'De database gaf een fout op een eenvoudige vraag; zie het log van de server',
      });
    }
    return { status: 'ok', database: ctx.db.kind, ms };
  });
  app.get('/api/openapi.json', { config: { access: { roles: 'public' } }, schema: { hide: true } }, async () => app.swagger());

  await app.register(accessRoutes);
  await app.register(catalogRoutes);
  await app.register(monitoringRoutes);
  await app.register(budgetRoutes); // funding's, at the URLs monitoring had
  await app.register(riskRoutes);
  await app.register(ijwRoutes);
  await app.register(ijwMessageRoutes);
  await app.register(ledgerRoutes); // funding's, at the URL iJW had
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
    app.setNotFoundHandler((req, reply) =>
      sendProblem(reply, {
        type: 'about:blank',
        title: 'Niet gevonden',
        status: 404,
        detail: req.url.startsWith('/api/') ? `${req.method} ${req.url.split('?')[0]} bestaat niet` : 'De webapp is nog niet gebouwd: npm run build',
      }),
    );
  }
  return app;
}
