// Resolves the session cookie to an account, enforces each route's declared roles, and makes sure
// that every route that returns personal data writes to the audit log before it answers.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../core/errors.ts';
import { sessionAccount, writeAudit } from './store.ts';
import { ROLE_NAMES } from './roles.ts';

export const SESSION_COOKIE = 'rk_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** Record that this request read personal data of these subjects (written to audit_log). */
    auditRead(subject: string, ids: number[], detail?: Record<string, unknown>): Promise<void>;
    audited: boolean;
  }
}

export const accessPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('account', null);
  app.decorateRequest('audited', false);
  app.decorateRequest('auditRead', async function (this: FastifyRequest, subject: string, ids: number[], detail?: Record<string, unknown>) {
    await writeAudit(app.ctx.db, {
      account: this.account,
      action: 'read',
      route: `${this.method} ${this.routeOptions.url}`,
      subject,
      subjectIds: ids,
      detail: { ...detail, query: this.query, params: this.params },
      ip: this.ip,
    });
    this.audited = true;
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access) return; // static files, docs
    const token = req.cookies?.[SESSION_COOKIE];
    req.account = token ? await sessionAccount(app.ctx.db, token) : null;
    if (access.roles === 'public') return;
    if (!req.account) throw unauthorized();
    if (!access.roles.includes(req.account.role)) throw forbidden(`Deze gegevens zijn niet beschikbaar voor uw rol (${ROLE_NAMES[req.account.role]})`);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const access = req.routeOptions.config?.access;
    if (access?.personal && reply.statusCode < 300 && !req.audited) {
      req.log.error(`personal route ${req.routeOptions.url} answered without an audit entry`);
      reply.code(500).type('application/problem+json; charset=utf-8');
      return JSON.stringify({
        type: 'about:blank',
        title: 'Interne fout',
        status: 500,
        detail: 'Inzage in persoonsgegevens kon niet worden gelogd; het antwoord is tegengehouden.',
      });
    }
    return payload;
  });
});
