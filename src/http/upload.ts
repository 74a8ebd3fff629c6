// Uploads go to a temporary file as they arrive, never into memory (issue 14: four parallel 1 GB uploads took the
// server from 423 MB to 1.45 GB): the size limit is counted while streaming, and an account has at most
// MAX_UPLOADS_PER_ACCOUNT uploads in flight. The route gets `{ file, bytes }` and the file is removed when the
// response has been sent, whatever happened.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../core/errors.ts';
import { CONTROL_IN_BODY } from './schemas.ts';

export const MAX_UPLOADS_PER_ACCOUNT = 2;

export interface UploadedFile { file: string; bytes: number }

const inFlight = new Map<number, number>();

declare module 'fastify' {
  interface FastifyRequest { uploadCleanup?: () => void }
}

/** Registers a streaming body parser for these content types in `app` (a plugin's scope) with a byte limit. */
export function streamUploadsToDisk(app: FastifyInstance, contentTypes: string[], maxBytes: number): void {
  for (const type of contentTypes) {
    app.addContentTypeParser(type, (req: FastifyRequest, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: UploadedFile) => void) => {
      receive(req, payload, maxBytes).then((b) => done(null, b), (e) => done(e));
    });
  }
  app.addHook('onResponse', async (req) => { req.uploadCleanup?.(); });
  app.addHook('onRequestAbort', async (req) => { req.uploadCleanup?.(); });
}

async function receive(req: FastifyRequest, payload: NodeJS.ReadableStream, maxBytes: number): Promise<UploadedFile> {
  const accountId = req.account?.id ?? 0;
  const running = inFlight.get(accountId) ?? 0;
  if (running >= MAX_UPLOADS_PER_ACCOUNT) {
    throw new AppError(429, 'Te veel uploads tegelijk', `U heeft al ${running} uploads lopen; wacht tot die klaar zijn (hoogstens ${MAX_UPLOADS_PER_ACCOUNT} tegelijk)`, 'body');
  }
  inFlight.set(accountId, running + 1);
  const dir = mkdtempSync(path.join(tmpdir(), 'rk-upload-'));
  let released = false;
  req.uploadCleanup = () => {
    if (released) return;
    released = true;
    inFlight.set(accountId, (inFlight.get(accountId) ?? 1) - 1);
    if (!inFlight.get(accountId)) inFlight.delete(accountId);
    rmSync(dir, { recursive: true, force: true });
  };
  const file = path.join(dir, 'upload');
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, next) {
      bytes += chunk.length;
      if (bytes > maxBytes) next(new AppError(413, 'Bestand te groot', `Het bestand is groter dan ${Math.round(maxBytes / 1024 / 1024)} MB`, 'body'));
      else next(null, chunk);
    },
  });
  try {
    await pipeline(payload, limit, createWriteStream(file));
  } catch (e) {
    req.uploadCleanup();
    throw e instanceof AppError ? e : new AppError(400, 'Upload afgebroken', 'Het bestand kwam niet volledig aan', 'body');
  }
  return { file, bytes };
}

/** The largest CSV file an import accepts (budgets, annual accounts). */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

/**
 * CSV imports (`Content-Type: text/csv`) stream to a temporary file like every other upload: the limit is counted on
 * the way, the per-account limit on concurrent uploads holds, the file is removed after the answer. The route reads
 * it with `uploadedCsv`.
 */
export function streamCsvUploads(app: FastifyInstance, maxBytes = MAX_CSV_BYTES): void {
  streamUploadsToDisk(app, ['text/csv'], maxBytes);
}

/**
 * The text of a CSV upload (UTF-8; a BOM is left for the parser). An empty or missing body, or one sent as another
 * type, is a 400 naming the body; a NUL or other control character (not tab, CR or LF) a 400 naming its line.
 */
export async function uploadedCsv(body: unknown): Promise<string> {
  const upload = body && typeof body === 'object' && 'file' in body ? body as UploadedFile : null;
  if (!upload || upload.bytes === 0) throw badRequest('stuur een CSV-bestand (Content-Type: text/csv)', 'body');
  const text = await readFile(upload.file, 'utf8');
  const at = text.search(CONTROL_IN_BODY); // as in any JSON body (schemas.ts): tab, CR and LF allowed
  if (at >= 0) {
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
    throw badRequest(`body, regel ${line}: bevat een stuurteken (zoals NUL of ESC); verwijder het en probeer opnieuw`, 'body');
  }
  return text;
}
