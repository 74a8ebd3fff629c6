// Hardening of the HTTP edge (issue 14): the login limit cannot be dodged with X-Forwarded-For, a username is slowed
// down after wrong passwords without locking its owner out for long, cross-site requests change nothing, control
// characters are a 400 naming the field, and API answers are never cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { seededServer } from '../helpers/app.ts';
import { createAccount, readAudit } from '../../src/access/store.ts';
import { LoginThrottle, FREE_FAILURES, MAX_WAIT_S } from '../../src/access/throttle.ts';
import { buildServer } from '../../src/http/server.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const PASSWORD = 'een-lang-wachtwoord';
// the first test spends 127.0.0.1's login allowance on purpose; the others come from their own address
let address = '127.0.0.1';
const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  ctx.server.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username, password }, remoteAddress: address });

beforeAll(async () => {
  ctx = await seededServer([], { demo: false });
  for (const u of ['jan', 'piet', 'kees']) await createAccount(ctx.db, { username: u, displayName: u, password: PASSWORD, role: 'coordinator' });
}, 600_000);
afterAll(async () => {
  await ctx?.close();
});

describe('inloggen', () => {
  it('X-Forwarded-For wordt niet geloofd zonder ingestelde proxy: de limiet per adres houdt, het auditlog krijgt het echte adres', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await login(`onbekend${i}`, 'fout', { 'x-forwarded-for': `10.0.0.${i}` })).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const ips = await ctx.db.query(`SELECT DISTINCT ip FROM audit_log WHERE action = 'login_failed'`);
    expect(ips.map((r) => r.ip)).toEqual(['127.0.0.1']);
    address = '127.0.0.2';
  });

  it('met een ingestelde proxy telt het doorgegeven adres', async () => {
    const behindProxy = await buildServer({ db: ctx.db, keys: ctx.keys, config: { ...ctx.server.ctx.config, trustProxy: ['127.0.0.1'] } });
    const res = await behindProxy.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-for': '203.0.113.7' },
      payload: { username: 'kees', password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect((await ctx.db.query(`SELECT ip FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1`))[0].ip).toBe('203.0.113.7');
    // what GET /api/audit answers carries the address too
    expect((await readAudit(ctx.db, { limit: 1 }))[0]).toMatchObject({ action: 'login', ip: '203.0.113.7' });
    await behindProxy.close();
  });

  it('na vijf foute wachtwoorden wacht een account even, ook vanaf andere adressen; daarna lukt het met het goede', async () => {
    const fresh = await buildServer({ db: ctx.db, keys: ctx.keys, config: { ...ctx.server.ctx.config, trustProxy: ['127.0.0.1'] } });
    const attempt = (password: string, ip: string) =>
      fresh.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': ip }, payload: { username: 'jan', password } });
    for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt('fout', `198.51.100.${i}`)).statusCode).toBe(401);
    const blocked = await attempt(PASSWORD, '198.51.100.99');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('1');
    expect(blocked.json()).toMatchObject({ field: 'password', detail: expect.stringContaining('probeer het over 1 seconde') });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await attempt(PASSWORD, '198.51.100.99')).statusCode).toBe(200);
    await fresh.close();
  });

  it('de wachttijd groeit per fout wachtwoord tot hoogstens een minuut en een goede poging wist hem', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect(t.waitSeconds('Jan')).toBe(0);
      t.failed('jan');
    }
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      waits.push(t.waitSeconds('JAN'));
      t.failed('jan');
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
    expect(Math.max(...waits)).toBe(MAX_WAIT_S);
    now += 61_000;
    expect(t.waitSeconds('jan')).toBe(0);
    t.succeeded('jan');
    t.failed('jan');
    expect(t.waitSeconds('jan')).toBe(0);
  });

  it('uitloggen wist het cookie met dezelfde vlaggen als inloggen; API-antwoorden worden niet bewaard', async () => {
    const ok = await login('piet', PASSWORD);
    expect(ok.headers['set-cookie']).toMatch(/HttpOnly; Secure; SameSite=Strict/);
    const out = await ctx.server.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `rk_session=${ok.cookies[0].value}` } });
    expect(out.headers['set-cookie']).toMatch(/rk_session=;.*HttpOnly; Secure; SameSite=Strict/);
    expect(ok.headers['cache-control']).toBe('no-store');
  });
});

describe('cross-site verzoeken en stuurtekens', () => {
  it('een verzoek dat iets verandert vanaf een andere site wordt geweigerd; text/plain wordt niet gelezen', async () => {
    const evil = await login('piet', PASSWORD, { origin: 'https://evil.example' });
    expect(evil.statusCode).toBe(403);
    expect(evil.json()).toMatchObject({ field: 'origin' });
    const sameSite = await login('piet', PASSWORD, { origin: 'http://localhost:80' });
    expect(sameSite.statusCode).toBe(200);
    const fetchMeta = await login('piet', PASSWORD, { 'sec-fetch-site': 'cross-site' });
    expect(fetchMeta.statusCode).toBe(403);
    const plain = await ctx.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: address,
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ username: 'piet', password: PASSWORD }),
    });
    expect(plain.statusCode).toBe(415);
    expect(plain.headers['content-type']).toContain('application/problem+json');
  });

  it('een NUL-teken in een veld, een querystring of een CSV-bestand is een 400 die het veld noemt', async () => {
    const body = await login('pi\u0000et', PASSWORD);
    expect(body.statusCode).toBe(400);
    expect(body.json()).toMatchObject({ field: 'body.username' });
    const cookie = `rk_session=${(await login('kees', PASSWORD)).cookies[0].value}`;
    const query = await ctx.server.inject({ method: 'GET', url: '/api/auth/me?x=a%00b', headers: { cookie }, remoteAddress: address });
    expect(query.statusCode).toBe(400);
    expect(query.json()).toMatchObject({ field: 'querystring.x' });
  });
});

describe('sessies', () => {
  it('een sessie eindigt na een half uur zonder verzoek, ook binnen haar acht uur', async () => {
    const ok = await ctx.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'kees', password: PASSWORD },
      remoteAddress: '127.0.0.3',
    });
    const cookie = `rk_session=${ok.cookies[0].value}`;
    const hash = createHash('sha256').update(ok.cookies[0].value).digest('hex');
    const me = () => ctx.server.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect((await me()).statusCode).toBe(200);
    await ctx.db.query(`UPDATE session SET last_seen_at = now() - interval '29 minutes' WHERE token_hash = $1`, [hash]);
    expect((await me()).statusCode).toBe(200); // still alive, and this request renews it
    expect((await ctx.db.query(`SELECT last_seen_at > now() - interval '1 minute' AS fresh FROM session WHERE token_hash = $1`, [hash]))[0].fresh).toBe(true);
    await ctx.db.query(`UPDATE session SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = $1`, [hash]);
    expect((await me()).statusCode).toBe(401);
  });
});
