// Walks every API route as every role and proves the scopes: a provider never sees another provider's
// youths or money, a municipality never sees another's residents, and every personal read is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededServer, login, demoPassword } from './helpers/app.ts';
import { createAccount } from '../src/access/store.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookies: Record<string, string | null> = { publiek: null };
const ROLES = ['publiek', 'regio', 'gemeente', 'aanbieder', 'coordinator'] as const;
type RoleName = (typeof ROLES)[number];
const enschede = '0153';
let ownProvider = 0;
let residentOfEnschede = 0,
  residentElsewhere = 0,
  youthOfProvider = 0,
  youthNotOfProvider = 0;
let otherProviderCookie = '';
let ijwMessage = 0; // a JW323 of the demo provider to Enschede: visible to both demo accounts
let ownLocation = 0,
  ownGroup = 0; // a location and group of the demo provider (providers' register)
let ownApplication = 0; // an admission application of the demo provider for Enschede
let ownStep = 0; // a warning letter on the demo provider's enforcement ladder
let ownDocument = 0,
  ownConversation = 0,
  ownAgreement = 0; // a document, minutes and an agreement in the demo provider's dossier

beforeAll(async () => {
  ctx = await seededServer(['twente', 'achterhoek']);
  for (const r of ROLES.slice(1)) cookies[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
  const db = ctx.db;
  ownProvider = (await db.query(`SELECT provider_id FROM account WHERE username = 'aanbieder'`))[0].provider_id;
  residentOfEnschede = (
    await db.query(
      `SELECT y.id FROM youth y WHERE y.municipality_code = $1 AND EXISTS (SELECT 1 FROM allocation a WHERE a.youth_id = y.id) ORDER BY y.id LIMIT 1`,
      [enschede],
    )
  )[0].id;
  residentElsewhere = (
    await db.query(
      `SELECT y.id FROM youth y JOIN municipality m ON m.code = y.municipality_code WHERE m.region_id = 'twente' AND y.municipality_code <> $1 AND EXISTS (SELECT 1 FROM allocation a WHERE a.youth_id = y.id) ORDER BY y.id LIMIT 1`,
      [enschede],
    )
  )[0].id;
  youthOfProvider = (await db.query(`SELECT youth_id AS id FROM allocation WHERE provider_id = $1 ORDER BY id LIMIT 1`, [ownProvider]))[0].id;
  youthNotOfProvider = (
    await db.query(
      `SELECT a.youth_id AS id FROM allocation a JOIN youth y ON y.id = a.youth_id JOIN municipality m ON m.code = y.municipality_code
    WHERE m.region_id = 'twente' AND NOT EXISTS (SELECT 1 FROM allocation b WHERE b.youth_id = a.youth_id AND b.provider_id = $1) ORDER BY a.id LIMIT 1`,
      [ownProvider],
    )
  )[0].id;
  // a second provider account, to check that two providers see disjoint figures
  const other = (
    await db.query(`SELECT p.id FROM provider p JOIN contract c ON c.provider_id = p.id WHERE c.region_id = 'twente' AND p.id <> $1 ORDER BY p.id LIMIT 1`, [
      ownProvider,
    ])
  )[0].id;
  await createAccount(db, { username: 'aanbieder2', displayName: 'Andere aanbieder', password: 'een-lang-wachtwoord', role: 'aanbieder', providerId: other });
  otherProviderCookie = await login(ctx.server, 'aanbieder2', 'een-lang-wachtwoord');
  ownLocation = (await db.query(`SELECT id FROM location WHERE provider_id = $1 ORDER BY id LIMIT 1`, [ownProvider]))[0]?.id ?? 1;
  ownGroup =
    (await db.query(`SELECT g.id FROM care_group g JOIN location l ON l.id = g.location_id WHERE l.provider_id = $1 ORDER BY g.id LIMIT 1`, [ownProvider]))[0]
      ?.id ?? 1;
  const [seg] = await db.query(`SELECT id FROM segment WHERE region_id = 'twente' AND parent_id IS NULL ORDER BY sort_order LIMIT 1`);
  const [win] = await db.query(
    `INSERT INTO admission_window (region_id, segment_id, opens_on, closes_on) VALUES ('twente', $1, '2020-01-01', '2099-12-31') RETURNING id`,
    [seg.id],
  );
  ownApplication = (
    await db.query(
      `INSERT INTO admission_application (region_id, provider_id, segment_id, municipality_code, window_id, submitted_on) VALUES ('twente', $1, $2, $3, $4, '2025-01-01') RETURNING id`,
      [ownProvider, seg.id, enschede, win.id],
    )
  )[0].id;
  ownStep = (
    await db.query(
      `INSERT INTO enforcement_step (region_id, provider_id, step, rung, on_date, reason, decided_by) VALUES ('twente', $1, 'waarschuwing', 1, '2025-01-01', 'Te late declaraties', 'Regio') RETURNING id`,
      [ownProvider],
    )
  )[0].id;
  ownDocument = (
    await db.query(
      `INSERT INTO provider_document (region_id, provider_id, kind, file_name, media_type, bytes, sha256, content, uploaded_by)
    VALUES ('twente', $1, 'bewijs', 'polis.pdf', 'application/pdf', 8, encode(sha256('%PDF-1.4'::bytea), 'hex'), '%PDF-1.4'::bytea, 'Aanbieder') RETURNING id`,
      [ownProvider],
    )
  )[0].id;
  ownConversation = (
    await db.query(
      `INSERT INTO provider_conversation (region_id, provider_id, year, quarter, held_on, participants, minutes, recorded_by)
    VALUES ('twente', $1, 2025, 1, '2025-04-10', '{Regio}', 'Verslag', 'Regio') RETURNING id`,
      [ownProvider],
    )
  )[0].id;
  ownAgreement = (
    await db.query(
      `INSERT INTO provider_agreement (conversation_id, region_id, provider_id, description, owner, due_on, created_by)
    VALUES ($1, 'twente', $2, 'Afspraak', 'Aanbieder', '2025-05-01', 'Regio') RETURNING id`,
      [ownConversation, ownProvider],
    )
  )[0].id;
  ijwMessage = (
    await db.query(`SELECT id FROM ijw_message WHERE message_type = 'JW323' AND municipality_code = $1 AND provider_id = $2 ORDER BY id LIMIT 1`, [
      enschede,
      ownProvider,
    ])
  )[0].id;
}, 600_000);
afterAll(async () => {
  await ctx?.close();
});

/** Fill a route's path parameters and required query for one role. */
function urlFor(url: string, role: RoleName): string {
  const youth = role === 'aanbieder' ? youthOfProvider : residentOfEnschede;
  let u = url
    .replace(':regionId', 'twente')
    .replace(':youthId', String(youth))
    .replace(':providerId', String(ownProvider))
    .replace(':messageId', String(ijwMessage))
    .replace(':locationId', String(ownLocation))
    .replace(':groupId', String(ownGroup))
    .replace(':applicationId', String(ownApplication))
    .replace(':stepId', String(ownStep))
    .replace(':documentId', String(ownDocument))
    .replace(':conversationId', String(ownConversation))
    .replace(':agreementId', String(ownAgreement))
    .replace(':requirement', 'bibob');
  if (/:\w+/.test(u)) throw new Error(`geen testwaarde voor een parameter in ${url}: voeg die toe aan urlFor`);
  if (u.includes('/dashboard')) u += '?year=2021';
  if (u.endsWith('/declarations')) u += '?month=2021-03';
  return u;
}

/** Every value under these keys in a JSON answer must lie inside the caller's scope. */
function scanScope(value: unknown, role: RoleName, found: { providerIds: Set<number>; municipalityCodes: Set<string>; youthIds: Set<number> }) {
  if (Array.isArray(value)) {
    for (const v of value) scanScope(v, role, found);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'providerId' && typeof v === 'number') found.providerIds.add(v);
      if (k === 'municipalityCode' && typeof v === 'string') found.municipalityCodes.add(v);
      if (k === 'youthId' && typeof v === 'number') found.youthIds.add(v);
      scanScope(v, role, found);
    }
  }
}

describe('every route, every role', () => {
  it("answers each role as the route declares, and never outside the role's scope", async () => {
    const routes = ctx.server.routeInfo;
    expect(routes.length).toBeGreaterThan(10);
    const walked: string[] = [];
    for (const route of routes) {
      for (const role of ROLES) {
        // logging out must not end the sessions the walk still needs: log out a fresh session instead
        const cookie = route.url === '/api/auth/logout' && role !== 'publiek' ? await login(ctx.server, role, demoPassword(ctx.accounts, role)) : cookies[role];
        const url = urlFor(route.url, role);
        const payload = route.url === '/api/auth/login' ? { username: 'niemand', password: 'fout' } : undefined;
        const auditBefore = (await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read'`))[0].n;
        const res = await ctx.server.inject({ method: route.method as any, url, payload, headers: cookie ? { cookie } : {} });
        const label = `${role} ${route.method} ${url} → ${res.statusCode}`;
        walked.push(`${route.method} ${route.url}`);
        if (route.access.roles === 'public') {
          expect(res.statusCode, label).toBeLessThan(500);
          expect([401, 403], label).not.toContain(route.url === '/api/auth/login' ? 0 : res.statusCode);
          continue;
        }
        if (role === 'publiek') {
          expect(res.statusCode, label).toBe(401);
          continue;
        }
        if (route.url === '/api/auth/logout') continue;
        if (!route.access.roles.includes(role as any)) {
          expect(res.statusCode, label).toBe(403);
          continue;
        }
        if (route.method !== 'GET') {
          // a write without a body is refused as bad input, never as a scope error; writes are tested with real bodies in their own files
          expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
          expect([401, 403], label).not.toContain(res.statusCode);
          continue;
        }
        expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBe(200);
        if (route.access.personal) {
          const after = (await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read'`))[0].n;
          expect(after, `${label} schrijft een auditregel`).toBe(auditBefore + 1);
        }
        if (res.headers['content-type']?.toString().includes('json')) {
          const found = { providerIds: new Set<number>(), municipalityCodes: new Set<string>(), youthIds: new Set<number>() };
          scanScope(res.json(), role, found);
          if (role === 'aanbieder') {
            expect(
              [...found.providerIds].every((p) => p === ownProvider),
              `${label}: andere aanbieder zichtbaar`,
            ).toBe(true);
            for (const y of found.youthIds) {
              const [{ n }] = await ctx.db.query(`SELECT count(*)::int AS n FROM allocation WHERE youth_id = $1 AND provider_id = $2`, [y, ownProvider]);
              expect(n, `${label}: jeugdige ${y} is geen cliënt van deze aanbieder`).toBeGreaterThan(0);
            }
          }
          if (role === 'gemeente') {
            expect(
              [...found.municipalityCodes].every((m) => m === enschede),
              `${label}: andere gemeente zichtbaar`,
            ).toBe(true);
            for (const y of found.youthIds) {
              const [{ related }] = await ctx.db.query(
                `SELECT (y.municipality_code = $2 OR EXISTS (SELECT 1 FROM allocation a WHERE a.youth_id = y.id AND a.municipality_code = $2)) AS related FROM youth y WHERE y.id = $1`,
                [y, enschede],
              );
              expect(related, `${label}: jeugdige ${y} woont niet in Enschede en Enschede wees geen zorg toe`).toBe(true);
            }
          }
        }
        if (role === 'gemeente' && url.includes('municipalities.csv')) {
          const dataLines = res.body.trim().split('\r\n').slice(1);
          expect(dataLines.length).toBe(1);
          expect(dataLines[0].startsWith(enschede)).toBe(true);
        }
      }
    }
    expect(new Set(walked)).toEqual(new Set(routes.map((r) => `${r.method} ${r.url}`)));
  }, 600_000); // every route × every role: a thousand requests and more, minutes on a busy 2-core machine

  it('refuses a youth outside the scope as not found, and a region outside the scope', async () => {
    const get = (url: string, cookie: string) => ctx.server.inject({ method: 'GET', url, headers: { cookie } });
    expect((await get(`/api/regions/twente/youths/${residentElsewhere}/allocations`, cookies.gemeente!)).statusCode).toBe(404);
    expect((await get(`/api/regions/twente/youths/${residentOfEnschede}/allocations`, cookies.gemeente!)).statusCode).toBe(200);
    expect((await get(`/api/regions/twente/youths/${youthNotOfProvider}/allocations`, cookies.aanbieder!)).statusCode).toBe(404);
    expect((await get(`/api/regions/achterhoek/dashboard?year=2023`, cookies.gemeente!)).statusCode).toBe(404);
    expect((await get(`/api/regions/achterhoek/dashboard?year=2023`, cookies.regio!)).statusCode).toBe(200);
  });

  it('scopes are not vacuous: the region sees everything, a provider and a municipality exactly their share', async () => {
    const dash = async (cookie: string) =>
      (await ctx.server.inject({ method: 'GET', url: '/api/regions/twente/dashboard?year=2021', headers: { cookie } })).json();
    const region = await dash(cookies.regio!),
      gem = await dash(cookies.gemeente!),
      own = await dash(cookies.aanbieder!),
      other = await dash(otherProviderCookie);
    const sql = async (where: string, p: unknown[]) =>
      (
        await ctx.db.query(
          `SELECT COALESCE(sum(d.amount_cents),0)::int8 AS amount, count(DISTINCT d.youth_id)::int AS persons FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
       WHERE m.region_id = 'twente' AND d.period_start >= '2021-01-01' AND d.period_start < '2022-01-01' AND d.status = 'geaccepteerd' ${where}`,
          p,
        )
      )[0];
    expect(region.byMunicipality).toHaveLength(14);
    expect(region.totals.amountCents).toBe((await sql('', [])).amount);
    expect(gem.byMunicipality.map((m: any) => m.code)).toEqual([enschede]);
    expect(gem.totals.amountCents).toBe((await sql('AND d.municipality_code = $1', [enschede])).amount);
    expect(gem.totals.persons).toBe((await sql('AND d.municipality_code = $1', [enschede])).persons);
    expect(own.totals.amountCents).toBe((await sql('AND d.provider_id = $1', [ownProvider])).amount);
    expect(own.totals.providers).toBe(1);
    expect(own.totals.amountCents).toBeLessThan(region.totals.amountCents);
    expect(other.totals.amountCents).not.toBe(own.totals.amountCents);
  });

  it('the multi-year view keeps each role to its own: a municipality its own rows, a provider its own, two providers apart', async () => {
    const trend = async (cookie: string, by: string) =>
      (await ctx.server.inject({ method: 'GET', url: `/api/regions/twente/dashboard/trend?by=${by}`, headers: { cookie } })).json();
    const [{ agb }] = await ctx.db.query<{ agb: string }>(`SELECT agb_code AS agb FROM provider WHERE id = $1`, [ownProvider]);
    expect((await trend(cookies.regio!, 'gemeente')).rows).toHaveLength(14);
    expect((await trend(cookies.gemeente!, 'gemeente')).rows.map((r: any) => r.key)).toEqual([enschede]);
    expect((await trend(cookies.aanbieder!, 'aanbieder')).rows.map((r: any) => r.key)).toEqual([agb]);
    const own = await trend(cookies.aanbieder!, 'segment'),
      other = await trend(otherProviderCookie, 'segment'),
      region = await trend(cookies.regio!, 'segment');
    expect(own.total.years[0].amountCents).toBeLessThan(region.total.years[0].amountCents);
    expect(other.total.years[0].amountCents).not.toBe(own.total.years[0].amountCents);
  });
});

describe('login and sessions', () => {
  it('rejects a wrong password with problem+json and logs the attempt', async () => {
    const res = await ctx.server.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'regio', password: 'fout' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toMatch(/wachtwoord/);
    const [{ n }] = await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'login_failed'`);
    expect(n).toBeGreaterThan(0);
  });
  it('sets a secure, httpOnly, strict session cookie; stores only a hash of the token; logout ends it', async () => {
    const res = await ctx.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'regio', password: demoPassword(ctx.accounts, 'regio') },
    });
    const c = res.cookies.find((x) => x.name === 'rk_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.secure).toBe(true);
    expect(c.sameSite).toBe('Strict');
    const stored = await ctx.db.query(`SELECT token_hash FROM session`);
    expect(stored.some((s: any) => s.token_hash === c.value)).toBe(false);
    const cookie = `rk_session=${c.value}`;
    expect((await ctx.server.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    await ctx.server.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect((await ctx.server.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });
  it('stores passwords as argon2id hashes', async () => {
    const rows = await ctx.db.query(`SELECT password_hash FROM account`);
    expect(rows.every((r: any) => r.password_hash.startsWith('$argon2id$'))).toBe(true);
  });
});

describe('errors', () => {
  it('names the failing field as problem+json', async () => {
    const res = await ctx.server.inject({ method: 'GET', url: '/api/regions/twente/dashboard?year=tweeduizend', headers: { cookie: cookies.regio! } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().field).toBe('querystring.year');
  });
  it('serves OpenAPI 3.1 describing the routes, and health', async () => {
    const spec = (await ctx.server.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/api/regions/{regionId}/dashboard');
    expect((await ctx.server.inject({ method: 'GET', url: '/api/health' })).json().status).toBe('ok');
    expect((await ctx.server.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });
});
