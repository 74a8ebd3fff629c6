// A seeded fuzz pass over the API, generated from its OpenAPI document (issue 14): every route, every parameter and
// every top-level body field gets hostile values (wrong types, calendar-invalid dates, control characters, huge and
// negative numbers). No answer may be a 5xx, every 4xx is problem+json, and every 400 names the field. The seed is fixed; FUZZ_SEED varies it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { demoPassword, login, seededServer } from '../helpers/app.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookies: Record<string, string> = {};
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
/** hostile values per parameter and body field, drawn with the seed (FUZZ_PER_PARAM for a longer run) */
const PER_PARAM = Number(process.env.FUZZ_PER_PARAM ?? 2);

const HOSTILE = [
  'abc',
  '-99999999999',
  '99999999999999999999',
  '-1',
  '0',
  '1.5',
  '2026-02-30',
  '2026-11-31',
  '2026-13-01',
  'a\u0000b',
  '\u0007',
  "'; DROP TABLE region; --",
  '%',
  'x'.repeat(5000),
  '',
  'NaN',
  'Infinity',
  '1e400',
];
const ALWAYS = ['2026-02-30', 'a\u0000b', '-99999999999', '99999999999999999999'];
const HOSTILE_JSON: unknown[] = [...HOSTILE, -99999999999, 1e20, 1e308, -1, 0, 1.5, null, true, [], {}, { a: 'b\u0000' }];

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente', 'aanbieder', 'coordinator']) cookies[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
}, 600_000);
afterAll(async () => {
  await ctx?.close();
});

interface Case {
  method: string;
  url: string;
  role: string;
  body?: unknown;
  what: string;
}

function fill(path: string, override?: [string, string]): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (override && override[0] === name) return encodeURIComponent(override[1]);
    return name === 'regionId' ? 'twente' : name === 'code' || name.endsWith('Code') ? '0153' : '1';
  });
}

describe('API-fuzz uit het OpenAPI-document', () => {
  it('geen 5xx op vijandige waarden, elke 4xx als problem+json, elke 400 noemt het veld', async () => {
    const doc = ctx.server.swagger() as any;
    const cases: Case[] = [];
    const rng = fc.sample(fc.integer({ min: 0, max: HOSTILE_JSON.length - 1 }), { seed: SEED, numRuns: 10_000 });
    let r = 0;
    const pick = <T>(list: T[]) => list[rng[r++ % rng.length] % list.length];
    for (const [path, methods] of Object.entries<any>(doc.paths)) {
      if (/logout/.test(path)) continue; // a logout ends the session the rest of the pass uses
      for (const [method, op] of Object.entries<any>(methods)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        // a role that may call the route, so the values reach its validation and its queries
        const info = ctx.server.routeInfo.find((x) => x.method === method.toUpperCase() && x.url === path.replace(/\{(\w+)\}/g, ':$1'));
        const allowed = info?.access.roles === 'public' ? ['regio'] : ((info?.access.roles as string[] | undefined)?.filter((x) => x in cookies) ?? ['regio']);
        const role = allowed[cases.length % allowed.length] ?? 'regio';
        const params: any[] = op.parameters ?? [];
        for (const p of params) {
          // the values that broke the server once, always; then a seeded draw of the rest
          for (let i = 0; i < ALWAYS.length + PER_PARAM; i++) {
            const v = i < ALWAYS.length ? ALWAYS[i] : HOSTILE[rng[r++ % rng.length] % HOSTILE.length];
            if (p.in === 'path') cases.push({ method, url: fill(path, [p.name, v]), role, what: `${p.name}=${JSON.stringify(v)}` });
            if (p.in === 'query') cases.push({ method, url: `${fill(path)}?${p.name}=${encodeURIComponent(v)}`, role, what: `${p.name}=${JSON.stringify(v)}` });
          }
        }
        const props = op.requestBody?.content?.['application/json']?.schema?.properties ?? {};
        for (const name of Object.keys(props)) {
          for (let i = 0; i < PER_PARAM; i++) cases.push({ method, url: fill(path), role, body: { [name]: pick(HOSTILE_JSON) }, what: `body.${name}` });
        }
        if (method !== 'get' && op.requestBody?.content?.['application/json'])
          cases.push({ method, url: fill(path), role, body: 'a\u0000b', what: 'body als tekst' });
      }
    }
    expect(cases.length).toBeGreaterThan(500);
    const failures: string[] = [];
    for (const c of cases) {
      const res = await ctx.server.inject({
        method: c.method.toUpperCase() as any,
        url: c.url,
        headers: { cookie: cookies[c.role], ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        payload: c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
      });
      if (res.statusCode >= 500)
        failures.push(`${res.statusCode} ${c.method.toUpperCase()} ${c.url.slice(0, 120)} (${c.role}, ${c.what}): ${res.body.slice(0, 160)}`);
      else if (res.statusCode >= 400 && !String(res.headers['content-type']).includes('application/problem+json'))
        failures.push(`${res.statusCode} zonder problem+json: ${c.method} ${c.url}`);
      // a refused value is named: every 400 says which field (body, querystring.x, params.y …)
      else if (res.statusCode === 400 && !res.json().field)
        failures.push(`400 zonder veld: ${c.method.toUpperCase()} ${c.url.slice(0, 120)} (${c.what}): ${res.body.slice(0, 160)}`);
    }
    if (failures.length) console.log(failures.join('\n'));
    expect(failures).toEqual([]);
  });
});
