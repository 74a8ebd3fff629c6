// Uploads go to a temporary file as they arrive, never into memory (issue 14: four parallel 1 GB uploads took the
// server from 423 MB to 1.45 GB): the size limit is counted while streaming, and an account has at most
// MAX_UPLOADS_PER_ACCOUNT uploads in flight. The route gets `{ file, bytes }` and the file is removed when the
// response has been sent, whatever happened.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Readable, Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../core/errors.ts';
import { CONTROL_IN_BODY } from './schemas.ts';

export const MAX_UPLOADS_PER_ACCOUNT = 2;

export interface UploadedFile {
  file: string;
  bytes: number;
}

const inFlight = new Map<number, number>();

declare module 'fastify' {
  interface FastifyRequest {
    uploadCleanup?: () => void;
    /** set when a large JSON body was checked for control characters while it was parsed (off the event loop) */
    bodyControlField?: string | null;
  }
}

/** Registers a streaming body parser for these content types in `app` (a plugin's scope) with a byte limit. */
export function streamUploadsToDisk(app: FastifyInstance, contentTypes: string[], maxBytes: number): void {
  for (const type of contentTypes) {
    app.addContentTypeParser(type, (req: FastifyRequest, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: UploadedFile) => void) => {
      receive(req, payload, maxBytes).then(
        (b) => done(null, b),
        (e) => done(e),
      );
    });
  }
  app.addHook('onResponse', async (req) => {
    req.uploadCleanup?.();
  });
  app.addHook('onRequestAbort', async (req) => {
    req.uploadCleanup?.();
  });
}

async function receive(req: FastifyRequest, payload: NodeJS.ReadableStream, maxBytes: number): Promise<UploadedFile> {
  const accountId = req.account?.id ?? 0;
  const running = inFlight.get(accountId) ?? 0;
  if (running >= MAX_UPLOADS_PER_ACCOUNT) {
    throw new AppError(
      429,
      'Te veel uploads tegelijk',
      `U heeft al ${running} uploads lopen; wacht tot die klaar zijn (hoogstens ${MAX_UPLOADS_PER_ACCOUNT} tegelijk)`,
      'body',
    );
  }
  inFlight.set(accountId, running + 1);
  const dir = mkdtempSync(path.join(tmpdir(), 'rk-upload-'));
  let released = false;
  req.uploadCleanup = () => {
    if (released) return;
    released = true;
    inFlight.set(accountId, (inFlight.get(accountId) ?? 1) - 1);
    if (!inFlight.get(accountId)) inFlight.delete(accountId);
    // a large file is removed off the event loop: unlinking 250 MB held it for 180 ms (issue 14 §2, the 256 MB iJW
    // upload); a small one at once, so it is gone by the time the answer is read
    if (bytes > 16 * 1024 * 1024) void rm(dir, { recursive: true, force: true }).catch(() => undefined);
    else rmSync(dir, { recursive: true, force: true });
  };
  const file = path.join(dir, 'upload');
  let bytes = 0;
  // Over the limit the upload is refused at once, but what the client is still sending is read and thrown away (at
  // most DRAIN_BYTES, for DRAIN_MS): a connection closed with unread data is reset by the kernel, and the client (a
  // browser, a test) may then lose the 413 that was sent to it and see a broken connection instead.
  let refuse!: (e: AppError) => void;
  const refused = new Promise<never>((_, reject) => {
    refuse = reject;
  });
  let tooLargeError: AppError | null = null;
  let dropped = 0;
  let drainTimer: NodeJS.Timeout | undefined;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, next) {
      bytes += chunk.length;
      if (tooLargeError) {
        dropped += chunk.length;
        next(dropped > DRAIN_BYTES ? tooLargeError : null);
      } else if (bytes > maxBytes) {
        tooLargeError = new AppError(413, 'Bestand te groot', `Het bestand is groter dan ${Math.round(maxBytes / 1024 / 1024)} MB`, 'body');
        refuse(tooLargeError);
        drainTimer = setTimeout(() => (payload as Readable).destroy(), DRAIN_MS).unref();
        next();
      } else next(null, chunk);
    },
  });
  const written = pipeline(payload, limit, createWriteStream(file));
  // after a refusal the drain may end in an error (nobody waits for it any more); once the body has ended, the timer
  // must not destroy the connection, which keep-alive may be using for the client's next request by then
  written.then(
    () => clearTimeout(drainTimer),
    () => clearTimeout(drainTimer),
  );
  try {
    await Promise.race([written, refused]);
  } catch (e) {
    req.uploadCleanup();
    throw e instanceof AppError ? e : new AppError(400, 'Upload afgebroken', 'Het bestand kwam niet volledig aan', 'body');
  }
  return { file, bytes };
}

/** After a refusal, how much of the rest of a body is read and thrown away, and for how long at most. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 10_000;

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
  const upload = body && typeof body === 'object' && 'file' in body ? (body as UploadedFile) : null;
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

/** JSON bodies up to this size are parsed in the request's own turn of the event loop (well under a millisecond). */
export const JSON_INLINE_BYTES = 64 * 1024;

/**
 * Every JSON body of the server (issue 14, points 2 and 10): a small one (with a Content-Length up to
 * JSON_INLINE_BYTES) is read into memory and parsed at once, as Fastify does; a larger one (a provider list of 12 MB,
 * 5,000 quarterly figures, waiting times as CSV in JSON) is an upload like any file: streamed to a temporary file
 * with the route's body limit counted while streaming, at most MAX_UPLOADS_PER_ACCOUNT at a time per account, and
 * parsed in a worker thread, which also finds a control character in any of its texts. Parsing 10 MB of JSON took
 * 60–100 ms of the event loop in one piece, and the walk for control characters 20 ms more.
 */
export function boundedJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (req: FastifyRequest, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: unknown) => void) => {
    const limit = req.routeOptions.bodyLimit ?? 1024 * 1024;
    const declared = Number(req.headers['content-length']);
    const small = Number.isFinite(declared) && declared <= JSON_INLINE_BYTES;
    (small ? jsonInline(payload, limit) : jsonInWorker(req, payload, limit)).then(
      (b) => done(null, b),
      (e) => done(e),
    );
  });
  app.addHook('onResponse', async (req) => {
    req.uploadCleanup?.();
  });
  app.addHook('onRequestAbort', async (req) => {
    req.uploadCleanup?.();
  });
}

const tooLarge = (maxBytes: number) =>
  new AppError(
    413,
    'Bestand te groot',
    `Het verzoek is groter dan ${maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MB` : `${Math.round(maxBytes / 1024)} kB`}`,
    'body',
  );
const invalidJson = () => badRequest('de inhoud is geen geldige JSON', 'body');

async function jsonInline(payload: NodeJS.ReadableStream, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of payload as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  if (bytes === 0) throw badRequest('een JSON-inhoud is verplicht bij Content-Type: application/json', 'body');
  try {
    return parseJson(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw invalidJson();
  }
}

/** As Fastify's parser: __proto__ and constructor.prototype keys refused. */
function parseJson(text: string): unknown {
  return JSON.parse(text, (key, value) => {
    if (key === '__proto__' || (key === 'constructor' && value && typeof value === 'object' && 'prototype' in value)) throw new Error('prototype');
    return value;
  });
}

const jsonWorker = new URL('./json-worker.mjs', import.meta.url);

async function jsonInWorker(req: FastifyRequest, payload: NodeJS.ReadableStream, maxBytes: number): Promise<unknown> {
  let upload: UploadedFile;
  try {
    upload = await receive(req, payload, maxBytes);
  } catch (e) {
    if (e instanceof AppError && e.status === 413) throw tooLarge(maxBytes);
    throw e;
  }
  if (upload.bytes === 0) throw badRequest('een JSON-inhoud is verplicht bij Content-Type: application/json', 'body');
  const answer = await new Promise<{ body?: unknown; controlField?: string | null; error?: string }>((resolve, reject) => {
    const worker = new Worker(jsonWorker, { workerData: { file: upload.file } });
    worker.once('message', (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`JSON-worker stopte met code ${code}`));
    });
  });
  rmSync(upload.file, { force: true }); // read; the per-account count holds until the answer is sent
  if (answer.error !== undefined) throw invalidJson();
  req.bodyControlField = answer.controlField ?? null;
  return answer.body;
}
