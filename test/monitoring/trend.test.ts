// The multi-year view (issue 18 §1, GET /dashboard/trend): per year and per segment, municipality or provider, money,
// persons (distinct youths in the year, not a sum over months or cells) and average per person, checked against a
// direct computation over the declaration lines; every role sees its own scope; the CSV holds the table's figures;
// the dashboard opens on the latest year in the facts and carries the year before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, login, seededServer } from '../helpers/app.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookie: Record<string, string> = {};
const me: Record<string, { municipalityCode: string | null; providerId: number | null }> = {};
const get = async (role: string, url: string) => {
  const res = await ctx.server.inject({ method: 'GET', url, headers: { cookie: cookie[role] } });
  expect(res.statusCode, res.body).toBe(200);
  return res;
};
interface Cell {
  year: number;
  amountCents: number;
  persons: number;
  averageCentsPerPerson: number | null;
  changePct: number | null;
}
interface Series {
  key: string;
  label: string;
  years: Cell[];
}
interface Trend {
  years: number[];
  total: Series;
  rows: Series[];
}

/** The same figures straight from declaration_line: accepted, credits negative, the year of the period start. */
async function direct(dimension: 'segment' | 'gemeente' | 'aanbieder', scope: { municipalityCode: string | null; providerId: number | null }) {
  const key = { segment: 'COALESCE(ps.code, s.code)', gemeente: 'trim(d.municipality_code)', aanbieder: 'pr.agb_code' }[dimension];
  const rows = await ctx.db.query<{ year: number; key: string | null; amount: string; persons: number }>(
    `SELECT extract(year FROM d.period_start)::int AS year, ${key} AS key,
            sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::text AS amount, count(DISTINCT d.youth_id)::int AS persons
     FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
     JOIN product p ON p.id = d.product_id JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id
     JOIN provider pr ON pr.id = d.provider_id
     WHERE m.region_id = 'twente' AND d.status = 'geaccepteerd'
       AND ($1::text IS NULL OR d.municipality_code = $1::bpchar) AND ($2::int IS NULL OR d.provider_id = $2::int)
     GROUP BY GROUPING SETS ((1), (1, 2))`,
    [scope.municipalityCode, scope.providerId],
  );
  return new Map(rows.map((r) => [`${r.year}|${r.key ?? 'TOTAAL'}`, { amount: Number(r.amount), persons: r.persons }]));
}

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente', 'aanbieder', 'coordinator']) {
    cookie[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
    me[r] = (await get(r, '/api/auth/me')).json();
  }
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

describe('multi-year view', () => {
  for (const role of ['regio', 'gemeente', 'aanbieder', 'coordinator']) {
    for (const by of ['segment', 'gemeente', 'aanbieder'] as const) {
      it(`${role} by ${by}: every cell equals the lines of its scope, per year`, async () => {
        const t: Trend = (await get(role, `/api/regions/twente/dashboard/trend?by=${by}`)).json();
        const expected = await direct(by, me[role]);
        const years = [...new Set([...expected.keys()].map((k) => Number(k.split('|')[0])))].sort();
        expect(t.years[0]).toBe(years[0]);
        expect(t.years.at(-1)).toBe(years.at(-1));
        let cells = 0;
        for (const s of [t.total, ...t.rows]) {
          for (const c of s.years) {
            const e = expected.get(`${c.year}|${s.key}`) ?? { amount: 0, persons: 0 };
            expect({ key: s.key, year: c.year, amount: c.amountCents, persons: c.persons }).toEqual({
              key: s.key,
              year: c.year,
              amount: e.amount,
              persons: e.persons,
            });
            expect(c.averageCentsPerPerson).toBe(c.persons ? Math.round(c.amountCents / c.persons) : null);
            if (c.amountCents !== 0) cells++;
          }
        }
        // no key is missing: every key of the lines has its series
        expect(new Set(t.rows.map((s) => s.key))).toEqual(new Set([...expected.keys()].map((k) => k.split('|')[1]).filter((k) => k !== 'TOTAAL')));
        expect(cells).toBeGreaterThan(0);
        if (me[role].municipalityCode && by === 'gemeente') expect(t.rows.map((s) => s.key)).toEqual([me[role].municipalityCode!.trim()]);
        if (me[role].providerId && by === 'aanbieder') expect(t.rows).toHaveLength(1);
      });
    }
  }

  it('persons in a year are distinct youths: fewer than the sum over segments, and each year equals the dashboard of that year', async () => {
    const t: Trend = (await get('regio', '/api/regions/twente/dashboard/trend?by=segment')).json();
    const first = t.total.years[0];
    const sumOverSegments = t.rows.reduce((a, s) => a + s.years[0].persons, 0);
    expect(first.persons).toBeGreaterThan(0);
    expect(first.persons).toBeLessThan(sumOverSegments); // some youths have care in two segments
    for (const c of t.total.years) {
      const d = (await get('regio', `/api/regions/twente/dashboard?year=${c.year}`)).json();
      expect([d.totals.amountCents, d.totals.persons]).toEqual([c.amountCents, c.persons]);
    }
    // the change against the year before: one decimal, from the money
    for (let i = 1; i < t.total.years.length; i++) {
      const [a, b] = [t.total.years[i - 1].amountCents, t.total.years[i].amountCents];
      expect(t.total.years[i].changePct).toBe(a > 0 ? Math.round(((b - a) / a) * 1000) / 10 : null);
    }
    expect(t.total.years[0].changePct).toBeNull();
  });

  it('the CSV holds exactly the table: one measure per year, the total last, Dutch decimals', async () => {
    const t: Trend = (await get('gemeente', '/api/regions/twente/dashboard/trend?by=segment')).json();
    for (const maat of ['bedrag', 'personen', 'gemiddeld'] as const) {
      const csv = (await get('gemeente', `/api/regions/twente/dashboard/trend.csv?by=segment&maat=${maat}`)).body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(csv).toHaveLength(t.rows.length + 2);
      expect(csv[0].split(';').slice(2, 2 + t.years.length)).toEqual(
        t.years.map(
          (y) => `${{ bedrag: 'Bedrag', personen: 'Personen', gemiddeld: 'Gemiddeld per persoon' }[maat]} ${y}${maat === 'personen' ? '' : ' (EUR)'}`,
        ),
      );
      const total = csv.at(-1)!.split(';');
      expect(total[0]).toBe('Totaal');
      t.total.years.forEach((c, i) => {
        const v = maat === 'bedrag' ? c.amountCents : maat === 'personen' ? c.persons : c.averageCentsPerPerson;
        expect(total[2 + i]).toBe(v === null ? '' : maat === 'personen' ? String(v) : (v / 100).toFixed(2).replace('.', ','));
      });
    }
  });

  it('the region says its latest year in the facts; the dashboard compares with the year before where both hold declarations', async () => {
    const [{ last }] = await ctx.db.query<{ last: number }>(
      `SELECT max(extract(year FROM d.period_start))::int AS last FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
       WHERE m.region_id = 'twente' AND d.status = 'geaccepteerd'`,
    );
    const region = (await get('gemeente', '/api/regions/twente')).json();
    expect(region.latestYear).toBe(last);
    const d = (await get('regio', `/api/regions/twente/dashboard?year=${last}`)).json();
    const before = (await get('regio', `/api/regions/twente/dashboard?year=${last - 1}`)).json();
    expect(d.previous).toEqual(
      before.totals.amountCents
        ? { year: last - 1, amountCents: before.totals.amountCents, persons: before.totals.persons, providers: before.totals.providers }
        : null,
    );
    const [{ first }] = await ctx.db.query<{ first: number }>(
      `SELECT min(extract(year FROM d.period_start))::int AS first FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code WHERE m.region_id = 'twente'`,
    );
    expect((await get('regio', `/api/regions/twente/dashboard?year=${first}`)).json().previous).toBeNull();
  });
});
