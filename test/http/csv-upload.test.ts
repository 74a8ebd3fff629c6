// CSV imports stream to a temporary file (issue 14, point 10): the 5 MB limit is counted while the body arrives (413,
// nothing stored), at most two uploads per account run at a time (the third gets 429 while the first two are still
// arriving), the temporary file is gone after every answer, and a control character in the file is a 400 naming the
// line. On the budget import of a real server; the annual accounts and quarterly figures use the same door
// (http/upload.ts: streamCsvUploads, uploadedCsv).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type ClientRequest } from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoPassword, login, seededServer } from '../helpers/app.ts';
import { JSON_INLINE_BYTES, MAX_CSV_BYTES, MAX_UPLOADS_PER_ACCOUNT } from '../../src/http/upload.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
let base = '';
let cookie = '';
let good = '';
const REGION = 'midden-ijssel-oost-veluwe';
const url = `/api/regions/${REGION}/budgets/import`;
// This file's own temporary folder (the server's uploads go to os.tmpdir(), which follows TMPDIR): the test file that
// runs beside it may upload too, and its folders in the machine's /tmp are not this file's to count.
const TMP = mkdtempSync(path.join(tmpdir(), 'rk-csv-upload-test-'));
process.env.TMPDIR = TMP;
const tempDirs = () =>
  readdirSync(TMP)
    .filter((n) => n.startsWith('rk-upload-'))
    .sort();
/**
 * The upload folders once the server has finished its answer: it removes an upload's folder when the response is done
 * (its onResponse hook), which can come just after the client has read the answer. Waits up to 2 s for `expected`.
 */
async function tempDirsAfterAnswer(expected: string[]): Promise<string[]> {
  for (let i = 0; i < 100 && tempDirs().join() !== expected.join(); i++) await new Promise((r) => setTimeout(r, 20));
  return tempDirs();
}
const budgets = async () => (await ctx.db.query(`SELECT count(*)::int AS n, COALESCE(sum(amount_cents), 0)::int8 AS s FROM budget`))[0];

beforeAll(async () => {
  ctx = await seededServer([REGION]);
  cookie = await login(ctx.server, 'regio', demoPassword(ctx.accounts, 'regio'));
  base = await ctx.server.listen({ port: 0, host: '127.0.0.1' });
  const [m] = await ctx.db.query(`SELECT trim(code) AS code FROM municipality WHERE region_id = $1 ORDER BY code LIMIT 1`, [REGION]);
  const [s] = await ctx.db.query(`SELECT code FROM segment WHERE region_id = $1 AND parent_id IS NULL ORDER BY code LIMIT 1`, [REGION]);
  good = `CBS-code;Segment;Jaar;Bedrag (EUR)\n${m.code};${s.code};2031;1234,56\n`;
}, 600_000);
afterAll(async () => {
  await ctx?.close();
  rmSync(TMP, { recursive: true, force: true });
});

/** A POST whose body the test writes itself; `answer` resolves when the server answers. */
function open(headers: Record<string, string | number> = {}, to = url): { req: ClientRequest; answer: Promise<{ status: number; json: any }> } {
  let req!: ClientRequest;
  const answer = new Promise<{ status: number; json: any }>((resolve, reject) => {
    req = request(`${base}${to}`, { method: 'POST', headers: { cookie, origin: base, 'content-type': 'text/csv', ...headers } }, (res) => {
      let data = '';
      res.on('data', (d) => {
        data += d;
      });
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(data || '{}') }));
    });
    // a broken pipe while sending is how a refusal can look from this side: the answer may still come, but not forever
    req.on('error', (e) => {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE' || code === 'ECONNRESET') setTimeout(() => reject(new Error(`verbinding verbroken (${code}) zonder antwoord`)), 5_000).unref();
      else reject(e);
    });
  });
  return { req, answer };
}
const post = (body: string | Buffer, headers: Record<string, string> = {}) => {
  const o = open(headers);
  o.req.end(body);
  return o.answer;
};

describe('CSV-import als stroom naar een tijdelijk bestand', () => {
  it('een goed bestand wordt ingelezen en het tijdelijke bestand is daarna weg', async () => {
    const dirs = tempDirs();
    const r = await post(good);
    expect(r).toMatchObject({ status: 200, json: { imported: 1 } });
    expect(await tempDirsAfterAnswer(dirs)).toEqual(dirs);
  });

  it('groter dan 5 MB: 413 terwijl het binnenkomt (zonder Content-Length), niets opgeslagen, geen bestand achtergelaten', async () => {
    const before = await budgets();
    const dirs = tempDirs();
    // chunked, so the server cannot refuse it up front by its length: the limit is counted on the way
    const o = open({ 'transfer-encoding': 'chunked' });
    const line = good.split('\n')[1] + '\n';
    const chunk = Buffer.from(line.repeat(Math.ceil((64 * 1024) / line.length)));
    let sent = 0;
    let answered = false;
    void o.answer.then(() => {
      answered = true;
    });
    o.req.write(good);
    while (!answered && sent < MAX_CSV_BYTES * 3) {
      if (!o.req.write(chunk))
        await new Promise((r) => {
          o.req.once('drain', r);
          setTimeout(r, 50);
        });
      sent += chunk.length;
    }
    o.req.end();
    const r = await o.answer;
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ field: 'body', title: 'Bestand te groot' });
    expect(sent).toBeLessThan(MAX_CSV_BYTES * 3); // refused before the whole body arrived
    expect(await budgets()).toEqual(before);
    expect(await tempDirsAfterAnswer(dirs)).toEqual(dirs);
  });

  it(`hoogstens ${MAX_UPLOADS_PER_ACCOUNT} uploads tegelijk per account, ook terwijl ze nog binnenkomen`, async () => {
    const dirs = tempDirs();
    const slow = Array.from({ length: MAX_UPLOADS_PER_ACCOUNT }, () => {
      const o = open({ 'transfer-encoding': 'chunked' });
      o.req.write(good);
      return o;
    });
    for (let i = 0; i < 50 && tempDirs().length < dirs.length + MAX_UPLOADS_PER_ACCOUNT; i++) await new Promise((r) => setTimeout(r, 20));
    expect(tempDirs().length).toBe(dirs.length + MAX_UPLOADS_PER_ACCOUNT); // both are being written to disk
    const third = await post(good);
    expect(third.status).toBe(429);
    expect(third.json.field).toBe('body');
    for (const o of slow) o.req.end();
    for (const o of slow) expect((await o.answer).status).toBe(200);
    expect((await post(good)).status).toBe(200); // the slots are free again
    expect(await tempDirsAfterAnswer(dirs)).toEqual(dirs);
  });

  it('een stuurteken in het bestand: 400 met de regel, niets opgeslagen; een ander type dan text/csv: geweigerd', async () => {
    const before = await budgets();
    const r = await post(good + good.split('\n')[1].replace('2031', '20\u000032') + '\n');
    expect(r.status).toBe(400);
    expect(r.json.detail).toContain('regel 3');
    expect(r.json.field).toBe('body');
    expect(await budgets()).toEqual(before);
    const json = await post(JSON.stringify({ csv: good }), { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(json.json.field).toBe('body');
    const empty = await post('');
    expect(empty.status).toBe(400);
  });
});

// JSON bodies over JSON_INLINE_BYTES are uploads too (issue 14, point 2): the provider list (CSV in JSON, up to 12 MB)
// streams to a temporary file with the route's limit counted on the way, counts against the per-account limit, and is
// parsed in a worker thread that also finds a control character in any of its texts.
describe('grote JSON-inhoud als upload', () => {
  const providers = `/api/regions/${REGION}/providers/import`;
  const list = (rows: number, extra = '') =>
    JSON.stringify({
      fileName: 'lijst.csv',
      format: 'csv',
      dryRun: true,
      content: `naam;AGB-code\n${Array.from({ length: rows }, (_, i) => `Jeugdhulp Stroom ${i}${extra};${String(71000000 + i)}`).join('\n')}\n`,
    });
  const postJson = (body: string, to = providers) => {
    const o = open({ 'content-type': 'application/json' }, to);
    o.req.end(body);
    return o.answer;
  };

  it('een lijst van 200 kB: ingelezen (proefrun) via het tijdelijke bestand, dat daarna weg is', async () => {
    const body = list(8000);
    expect(body.length).toBeGreaterThan(JSON_INLINE_BYTES);
    const dirs = tempDirs();
    const r = await postJson(body);
    expect(r.status, JSON.stringify(r.json).slice(0, 300)).toBe(200);
    expect(r.json).toMatchObject({ stage: 'proefrun', counts: { rows: 8000, nieuw: 8000 } });
    expect(await tempDirsAfterAnswer(dirs)).toEqual(dirs);
  });

  it('groter dan de grens van de route (12 MB): 413 terwijl het binnenkomt, geen bestand achtergelaten', async () => {
    const dirs = tempDirs();
    const o = open({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, providers);
    const chunk = Buffer.from('x'.repeat(64 * 1024));
    let sent = 0,
      answered = false;
    o.req.once('response', () => {
      answered = true; // stop sending as soon as the server has answered
    });
    o.req.write('{"fileName":"lijst.csv","format":"csv","content":"');
    while (!answered && sent < 36 * 1024 * 1024) {
      if (!o.req.write(chunk))
        await new Promise((r) => {
          o.req.once('drain', r);
          setTimeout(r, 50);
        });
      sent += chunk.length;
    }
    o.req.end();
    const r = await o.answer;
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ field: 'body', title: 'Bestand te groot' });
    expect(sent).toBeLessThan(36 * 1024 * 1024);
    expect(await tempDirsAfterAnswer(dirs)).toEqual(dirs);
  });

  it(`telt mee voor de ${MAX_UPLOADS_PER_ACCOUNT} uploads tegelijk per account`, async () => {
    const dirs = tempDirs();
    const slow = Array.from({ length: MAX_UPLOADS_PER_ACCOUNT }, () => {
      const o = open({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, providers);
      o.req.write('{"fileName":"a.csv",');
      return o;
    });
    for (let i = 0; i < 50 && tempDirs().length < dirs.length + MAX_UPLOADS_PER_ACCOUNT; i++) await new Promise((r) => setTimeout(r, 20));
    expect(tempDirs().length).toBe(dirs.length + MAX_UPLOADS_PER_ACCOUNT);
    const third = await postJson(list(8000));
    expect(third.status).toBe(429);
    for (const o of slow) o.req.end('"format":"csv","content":"naam;AGB-code\\nA;12345678\\n"}');
    for (const o of slow) expect((await o.answer).status).toBe(200);
    expect(await tempDirsAfterAnswer(dirs)).toEqual(dirs);
  });

  it('een stuurteken, ongeldige JSON of __proto__: 400 met het veld, groot en klein', async () => {
    const nul = await postJson(list(8000, '\u0000'));
    expect(nul.status).toBe(400);
    expect(nul.json.field).toBe('body.content');
    for (const body of [list(8000).slice(0, -2), `{"__proto__":{"x":1},"pad":"${'y'.repeat(JSON_INLINE_BYTES)}"}`, '{"fileName": ', '{"__proto__":{"x":1}}']) {
      const r = await postJson(body);
      expect(r.status, body.slice(0, 40)).toBe(400);
      expect(r.json.field).toBe('body');
    }
  });
});

describe('twee probes: leven en gereed', () => {
  it('/api/health vraagt niets van de database; /api/health/ready wel, en zegt 503 als die niet binnen 2 s antwoordt', async () => {
    const ready = await ctx.server.inject({ method: 'GET', url: '/api/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', database: ctx.db.kind });
    // a transaction that keeps the connection (on PGlite the only one) for 3 s, as a large import does
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const tx = ctx.db.transaction(async (t) => {
      await t.query('SELECT 1');
      await held;
    });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    const live = await ctx.server.inject({ method: 'GET', url: '/api/health' });
    expect(live.statusCode).toBe(200);
    expect(performance.now() - t0).toBeLessThan(500);
    const during = await ctx.server.inject({ method: 'GET', url: '/api/health/ready' });
    if (ctx.db.kind === 'pglite') {
      expect(during.statusCode).toBe(503);
      expect(during.json()).toMatchObject({ field: 'database', title: 'Database niet bereikbaar' });
    } else {
      expect(during.statusCode).toBe(200); // a server has other connections
    }
    release();
    await tx;
    expect((await ctx.server.inject({ method: 'GET', url: '/api/health/ready' })).statusCode).toBe(200);
  });
});
