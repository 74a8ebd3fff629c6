// Uploads stream to a temporary file with the size limit counted on the way, at most two per account at a time, and
// the file is gone once the answer is sent (issue 14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { request } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { streamUploadsToDisk, MAX_UPLOADS_PER_ACCOUNT, type UploadedFile } from '../../src/http/upload.ts';
import { errorHandler } from '../../src/http/problem.ts';

const app = Fastify();
let base = '';
const seen: string[] = [];
const waiting: (() => void)[] = [];
beforeAll(async () => {
  app.setErrorHandler(errorHandler);
  app.decorateRequest('account', null);
  app.addHook('onRequest', async (req) => {
    (req as any).account = { id: Number(req.headers['x-account'] ?? 1) };
  });
  streamUploadsToDisk(app, ['application/xml'], 10_000);
  app.post('/upload', async (req) => {
    const body = req.body as UploadedFile;
    seen.push(body.file);
    if (req.headers['x-wait'])
      await new Promise<void>((r) => {
        waiting.push(r);
      });
    return { bytes: body.bytes, content: readFileSync(body.file, 'utf8').slice(0, 10), exists: existsSync(body.file) };
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
});

/** A POST whose body is sent in parts; resolves with status and body when the server answers. */
function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/upload`, { method: 'POST', headers: { 'content-type': 'application/xml', ...headers } }, (res) => {
      let data = '';
      res.on('data', (d) => {
        data += d;
      });
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(data || '{}') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('uploads', () => {
  it('een upload komt als bestand binnen en is weg na het antwoord', async () => {
    const r = await post('<bericht>hallo</bericht>');
    expect(r).toMatchObject({ status: 200, json: { bytes: 24, content: '<bericht>h', exists: true } });
    expect(existsSync(seen.at(-1)!)).toBe(false);
  });

  it('te groot: 413 zodra de grens gepasseerd is, en geen bestand achtergelaten', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('rk-upload-')).length;
    const r = await post('x'.repeat(20_000));
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ field: 'body', title: 'Bestand te groot' });
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('rk-upload-')).length).toBe(before);
  });

  it(`hoogstens ${MAX_UPLOADS_PER_ACCOUNT} uploads tegelijk per account; een ander account gaat gewoon door`, async () => {
    const first = post('<a/>', { 'x-wait': '1', 'x-account': '7' });
    await new Promise((r) => setTimeout(r, 100));
    const second = post('<b/>', { 'x-account': '7', 'x-wait': '1' });
    await new Promise((r) => setTimeout(r, 100));
    const third = await post('<c/>', { 'x-account': '7' });
    expect(third.status).toBe(429);
    expect((await post('<d/>', { 'x-account': '8' })).status).toBe(200);
    expect(waiting).toHaveLength(2);
    for (const r of waiting.splice(0)) r();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await post('<e/>', { 'x-account': '7' })).status).toBe(200); // the slots are free again
  });
});
