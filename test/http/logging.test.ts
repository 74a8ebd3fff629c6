// 500s leave a trace (issue 14): JSON log lines with the request id that the problem+json answer carries, and no
// personal data in them: neither a BSN nor a name from the error's message, nor a query string.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { testDb } from '../helpers/db.ts';
import { TEST_KEY } from '../helpers/app.ts';
import { loadConfig } from '../../src/config.ts';
import { bsnKeys } from '../../src/core/bsn.ts';
import { buildServer } from '../../src/http/server.ts';
import type { Db } from '../../src/db/index.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
let db: Db;
let server: Awaited<ReturnType<typeof buildServer>>;

beforeAll(async () => {
  db = await testDb();
  const config = loadConfig({ dataDir: 'memory://', demo: false, bsnKey: TEST_KEY });
  server = await buildServer({ db, config, keys: bsnKeys(TEST_KEY) }, { log: { level: 'info', stream: sink } });
  server.get('/api/test/fout', { config: { access: { roles: 'public' } } }, async () => {
    throw new Error('Jeugdige Jan Jansen (BSN 999900006) niet gevonden');
  });
  await server.ready();
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe('logboek', () => {
  it('een 500 wordt gelogd als JSON met het request-id uit het antwoord, zonder BSN, naam of querystring', async () => {
    const res = await server.inject({ method: 'GET', url: '/api/test/fout?bsn=999900006&naam=Jansen' });
    expect(res.statusCode).toBe(500);
    const { requestId } = res.json();
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const entries = lines.map((l) => JSON.parse(l));
    const error = entries.find((e) => e.level === 50 && e.reqId === requestId);
    expect(error).toMatchObject({ msg: 'interne fout', err: { type: 'Error' } });
    expect(error.err.frames.length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.reqId === requestId).some((e) => e.req?.path === '/api/test/fout')).toBe(true);
    const all = lines.join('\n');
    for (const secret of ['999900006', 'Jan Jansen', 'Jansen', 'bsn=']) expect(all).not.toContain(secret);
  });

  it('ook een 4xx draagt het request-id', async () => {
    const res = await server.inject({ method: 'GET', url: '/api/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
