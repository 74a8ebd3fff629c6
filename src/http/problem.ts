// Errors leave as RFC 9457 problem+json, in Dutch, naming the field that failed.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../core/errors.ts';
import { MAX_REPORTED_ERRORS } from '../core/work.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  code?: string;
  errors?: { field: string; detail: string; line?: number }[];
  /** how many errors there were in all, when more than `errors` carries (the first MAX_REPORTED_ERRORS) */
  errorCount?: number;
  /** the request's id, as in the server's log */
  requestId?: string;
}

export function sendProblem(reply: FastifyReply, p: Problem) {
  // never a multi-megabyte error body: the first errors and a count
  if (p.errors && p.errors.length > MAX_REPORTED_ERRORS) p = { ...p, errors: p.errors.slice(0, MAX_REPORTED_ERRORS), errorCount: p.errors.length };
  p = { ...p, requestId: reply.request.id };
  return reply.code(p.status).type('application/problem+json; charset=utf-8').send(p);
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    return sendProblem(reply, {
      type: 'about:blank',
      title: err.title,
      status: err.status,
      detail: err.message,
      field: err.field,
      code: err.code,
      errors: err.errors,
      ...(err.errorCount !== undefined && err.errors && err.errorCount > err.errors.length ? { errorCount: err.errorCount } : {}),
    });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as any).validationContext ?? 'body';
    const errors = err.validation.map((v: any) => {
      const p = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      const field = p ? `${where}.${p}` : where;
      return { field, detail: v.message ?? 'ongeldige waarde' };
    });
    return sendProblem(reply, {
      type: 'about:blank',
      title: 'Ongeldige invoer',
      status: 400,
      detail: errors.map((e) => `${e.field}: ${e.detail}`).join('; '),
      field: errors[0]?.field,
      errors,
    });
  }
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 500) req.log.error({ err }, 'interne fout'); // type, code and frames only (log.ts)
  return sendProblem(reply, {
    type: 'about:blank',
    title: status === 500 ? 'Interne fout' : 'Verzoek niet verwerkt',
    status,
    detail: status === 500 ? 'Er ging iets mis op de server; de fout is gelogd.' : err.message,
  });
}
