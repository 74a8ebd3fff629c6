// Structured logs (issue 14): JSON lines (pino, Fastify's own logger) to stdout, level by REGIEKAMER_LOG_LEVEL, every
// line of a request carrying its id, which the problem+json answer carries too (`requestId`), so a user's report of a
// failure leads to its trace. No personal data in logs: a request is logged by method and path without the query
// string, headers are not logged, and an error by its type, code and stack frames, never its message (a message can
// name a youth or carry a BSN).
import { randomUUID } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import type { Writable } from 'node:stream';

export function errorForLog(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; code?: string; statusCode?: number; stack?: string } | null;
  const frames = (e?.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 12)
    .map((l) => l.trim());
  return { type: e?.name ?? typeof err, code: e?.code, statusCode: e?.statusCode, frames };
}

export function loggerOptions(level: string, stream?: Writable): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'disableRequestLogging'> {
  return {
    genReqId: () => randomUUID(),
    logger: {
      level,
      ...(stream ? { stream } : {}),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: errorForLog,
      },
    } as unknown as FastifyServerOptions['logger'],
  };
}
