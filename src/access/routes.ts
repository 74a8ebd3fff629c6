import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam } from '../http/schemas.ts';
import { AppError, notFound, unauthorized } from '../core/errors.ts';
import { LoginThrottle } from './throttle.ts';
import { authenticate, createSession, endSession, readAudit, writeAudit, SESSION_HOURS } from './store.ts';
import { demoAccounts } from './demo.ts';
import { SESSION_COOKIE } from './plugin.ts';
import { ROLES, type Account } from './roles.ts';

const Me = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  municipalityCode: z.string().nullable(),
  providerId: z.number().nullable(),
  regionIds: z.array(z.string()),
});
const me = (a: Account) => ({
  id: a.id,
  username: a.username,
  displayName: a.displayName,
  role: a.role,
  municipalityCode: a.municipalityCode,
  providerId: a.providerId,
  regionIds: a.regionIds,
});

/** The session cookie's flags, the same when it is set and when it is cleared. */
const sessionCookieFlags = (secure: boolean) => ({ httpOnly: true, secure, sameSite: 'strict' as const, path: '/' });

export async function accessRoutes(app0: FastifyInstance, opts: { throttle?: LoginThrottle } = {}) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.ctx;
  const throttle = opts.throttle ?? new LoginThrottle();

  app.post(
    '/api/auth/login',
    {
      config: { access: { roles: 'public' }, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['toegang'],
        summary: 'Inloggen met gebruikersnaam en wachtwoord',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: Me },
      },
    },
    async (req, reply) => {
      const wait = throttle.waitSeconds(req.body.username);
      if (wait > 0) {
        await writeAudit(db, {
          account: null,
          action: 'login_throttled',
          route: 'POST /api/auth/login',
          subject: 'account',
          detail: { username: req.body.username },
          ip: req.ip,
        });
        reply.header('retry-after', String(wait));
        throw new AppError(
          429,
          'Te veel pogingen',
          `Te veel onjuiste wachtwoorden voor dit account; probeer het over ${wait} ${wait === 1 ? 'seconde' : 'seconden'} opnieuw`,
          'password',
        );
      }
      const account = await authenticate(db, req.body.username, req.body.password);
      if (!account) {
        throttle.failed(req.body.username);
        await writeAudit(db, {
          account: null,
          action: 'login_failed',
          route: 'POST /api/auth/login',
          subject: 'account',
          detail: { username: req.body.username },
          ip: req.ip,
        });
        throw Object.assign(unauthorized(), { message: 'Gebruikersnaam of wachtwoord klopt niet' });
      }
      throttle.succeeded(req.body.username);
      const { token } = await createSession(db, account.id);
      await writeAudit(db, { account, action: 'login', route: 'POST /api/auth/login', subject: 'account', subjectIds: [account.id], ip: req.ip });
      reply.setCookie(SESSION_COOKIE, token, { ...sessionCookieFlags(config.secureCookies), maxAge: SESSION_HOURS * 3600 });
      return me(account);
    },
  );

  app.post('/api/auth/logout', { config: { access: { roles: 'public' } }, schema: { tags: ['toegang'], summary: 'Uitloggen' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await endSession(db, token);
    reply.clearCookie(SESSION_COOKIE, sessionCookieFlags(config.secureCookies)); // the same flags as the login cookie
    return reply.code(204).send();
  });

  app.get(
    '/api/auth/me',
    {
      config: { access: { roles: ROLES } },
      schema: { tags: ['toegang'], summary: 'Het ingelogde account', response: { 200: Me } },
    },
    async (req) => me(req.account!),
  );

  app.get(
    '/api/auth/demo-accounts',
    {
      config: { access: { roles: 'public' } },
      schema: {
        tags: ['toegang'],
        summary: 'Demo-accounts (alleen in demomodus)',
        response: { 200: z.array(z.object({ username: z.string(), password: z.string(), role: z.string(), description: z.string() })) },
      },
    },
    async () => {
      const list = config.demo ? await demoAccounts(db) : null;
      if (!list) throw notFound('Demo-accounts (alleen in demomodus)');
      return list;
    },
  );

  app.get(
    '/api/audit',
    {
      config: { access: { roles: ['regio'] } },
      schema: {
        tags: ['toegang'],
        summary: 'Auditlog: wie las welke persoonsgegevens',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), accountId: IdParam.optional() }),
      },
    },
    async (req) => readAudit(db, req.query),
  );
}
