// Drill-down from the cost tables to the rows behind a figure, through the API and as every role: the
// rows add up to the figure clicked, each role sees only its scope (the region aggregates, a municipality
// and a provider their own lines), every read and every export is audited, paging walks all rows once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, login, seededServer } from '../helpers/app.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const ROLES = ['regio', 'gemeente', 'aanbieder', 'coordinator'] as const;
type Role = (typeof ROLES)[number];
const cookie = {} as Record<Role, string>;
const R = '/api/regions/twente/dashboard';
const get = (role: Role, url: string) => ctx.server.inject({ method: 'GET', url, headers: { cookie: cookie[role] } });
let ownProvider = 0,
  ownMunicipality = '';

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ROLES) cookie[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
  ownProvider = (await ctx.db.query(`SELECT provider_id FROM account WHERE username = 'aanbieder'`))[0].provider_id;
  ownMunicipality = (await ctx.db.query(`SELECT trim(municipality_code) AS m FROM account WHERE username = 'gemeente'`))[0].m;
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

/** The drill-down query for one row of a cost table (the same mapping the web app makes). */
function rowsQuery(by: string, key: string, segment?: string): string {
  const q = new URLSearchParams({ year: '2021' });
  if (segment) q.set('segment', segment);
  if (key !== 'TOTAAL') {
    if (by === 'maand') q.set('maand', String(Number(key)));
    else if (by === 'kwartaal') q.set('kwartaal', key);
    else q.set(by, key);
  }
  return q.toString();
}

const auditCount = async () => (await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read' AND route LIKE '%/dashboard/rows%'`))[0].n;

describe('drill-down to the rows behind a figure', () => {
  it('the rows add up to the figure, for every dimension and every role', async () => {
    let checked = 0;
    for (const role of ROLES) {
      const cases: [string, string | undefined][] = [
        ['segment', undefined],
        ['gemeente', undefined],
        ['aanbieder', undefined],
        ['productgroep', undefined],
        ['maand', 'WON'],
        ['kwartaal', undefined],
      ];
      for (const [by, segment] of cases) {
        const c = (await get(role, `${R}/costs?year=2021&by=${by}${segment ? `&segment=${segment}` : ''}`)).json();
        // the total, the largest row and the smallest row of each table
        const sorted = [...c.rows].sort((x: any, y: any) => y.amountCents - x.amountCents);
        for (const figure of [c.total, sorted[0], sorted.at(-1)].filter(Boolean)) {
          const res = await get(role, `${R}/rows?${rowsQuery(by, figure.key, segment)}&limit=5`);
          expect(res.statusCode, res.body).toBe(200);
          const page = res.json();
          const label = `${role} ${by} ${figure.key}`;
          expect(page.total.amountCents, label).toBe(figure.amountCents);
          if (role === 'gemeente' || role === 'aanbieder') {
            expect(page.kind).toBe('regels');
            expect(page.total.persons, label).toBe(figure.persons);
            expect(page.lines.length).toBe(Math.min(5, page.total.rows));
          } else {
            expect(page.kind).toBe('totalen');
            expect(page.total.persons).toBeNull();
            expect(page.lines).toEqual([]);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('costs by funding form (Twente 2021: P*Q, availability plus use, lumpsums): each figure drills down to its contracts and payments, for every role', async () => {
    for (const role of ROLES) {
      const c = (await get(role, `${R}/costs?year=2021&by=bekostiging`)).json();
      expect(
        c.rows.reduce((s: number, r: any) => s + r.amountCents, 0),
        role,
      ).toBe(c.total.amountCents);
      for (const figure of c.rows) {
        const res = await get(role, `${R}/costs/bekostiging?year=2021&form=${figure.key}`);
        expect(res.statusCode, res.body).toBe(200);
        const d = res.json();
        expect(d.totalCents, `${role} ${figure.key}`).toBe(figure.amountCents);
        for (const k of d.contracts) {
          if (role === 'aanbieder') expect(k.providerId).toBe(ownProvider);
          // a lumpsum or availability contract shows the instalments paid that year
          if (k.fundingForm === 'lumpsum' || k.fundingForm === 'beschikbaarheid') expect(k.payments.length, `${role} ${k.contractId}`).toBeGreaterThan(0);
        }
      }
      if (role === 'regio') {
        // the demo's forms: P*Q, the crisis beds on availability plus use, the coordination point, crisis GGZ, A&E lots and 'overige' as lumpsums
        expect(c.rows.map((r: any) => r.key)).toEqual(expect.arrayContaining(['pq', 'beschikbaarheid', 'lumpsum', 'nacalculatie']));
        // the pilot on real costs: € 610.000 + € 95.000 eligible (under the € 740.000 ceiling) = € 705.000; four advances
        // of € 180.000 and the cost statement's three lines behind it
        expect(c.rows.find((r: any) => r.key === 'nacalculatie').amountCents).toBe(70_500_000);
        const pilot = (await get(role, `${R}/costs/bekostiging?year=2021&form=nacalculatie`)).json().contracts;
        expect(pilot.map((k: any) => [k.segmentCode, k.outcomeCents, k.paidCents])).toEqual([['AMB-PIL', 70_500_000, 72_000_000]]);
        expect(pilot[0].payments.map((p: any) => [p.kind, p.amountCents])).toEqual(Array(4).fill(['voorschot', 18_000_000]));
        expect(pilot[0].costLines.map((l: any) => [l.category, l.amountCents, l.eligible])).toEqual([
          ['personeel', 61_000_000, true],
          ['huisvesting', 9_500_000, true],
          ['representatie', 1_000_000, false],
        ]);
        // the declarations of the other dimensions are all there: P*Q + the beds' use + what was declared under lumpsums
        const declared = (await get(role, `${R}/costs?year=2021&by=segment`)).json().total.amountCents;
        const all = (await get(role, `${R}/costs/bekostiging?year=2021`)).json();
        expect(all.contracts.reduce((s: number, k: any) => s + k.declaredCents, 0) + all.uncontractedCents).toBe(declared);
        // the A&E lots: € 300.000 × 4 + € 150.000 × 2 + € 200.000 × 3 = € 2.100.000 (their outcome: within the band or 'gesprek')
        expect(all.contracts.filter((k: any) => k.segmentCode.startsWith('AE-')).reduce((s: number, k: any) => s + k.amountCents, 0)).toBe(210_000_000);
      }
    }
  });

  it('a cell of the municipality × segment table drills down to its rows', async () => {
    const d = (await get('regio', `${R}?year=2021`)).json();
    const m = d.byMunicipality.find((x: any) => Object.keys(x.segments).length > 1);
    for (const [seg, fig] of Object.entries(m.segments) as [string, any][]) {
      const page = (await get('regio', `${R}/rows?year=2021&gemeente=${m.code}&segment=${seg}&limit=5`)).json();
      expect(page.total.amountCents, `${m.code} ${seg}`).toBe(fig.amountCents);
      // and the export of the same rows adds up to it too
      const csv = (await get('regio', `${R}/rows.csv?year=2021&gemeente=${m.code}&segment=${seg}`)).body.trim().split('\r\n');
      expect(csv).toHaveLength(page.total.rows + 1);
      expect(csv.slice(1).reduce((s, l) => s + Math.round(Number(l.split(';').at(-1)!.replace(',', '.')) * 100), 0)).toBe(fig.amountCents);
    }
  });

  it('scopes the rows: a municipality its own lines, a provider its own, the region no youths', async () => {
    const gem = (await get('gemeente', `${R}/rows?year=2021&limit=1000`)).json();
    expect(gem.lines.length).toBeGreaterThan(100);
    expect(gem.lines.every((l: any) => l.municipalityCode === ownMunicipality)).toBe(true);
    expect(gem.lines.every((l: any) => typeof l.pseudonym === 'string' && l.pseudonym.length > 0)).toBe(true);
    // asking for another municipality gives nothing, not someone else's lines
    const other = (await ctx.db.query(`SELECT trim(code) AS c FROM municipality WHERE region_id = 'twente' AND code <> $1 LIMIT 1`, [ownMunicipality]))[0].c;
    expect((await get('gemeente', `${R}/rows?year=2021&gemeente=${other}`)).json().total.rows).toBe(0);
    expect((await get('regio', `${R}/rows?year=2021&gemeente=${other}`)).json().total.rows).toBeGreaterThan(0);

    const own = (await get('aanbieder', `${R}/rows?year=2021&limit=1000`)).json();
    expect(own.lines.length).toBeGreaterThan(0);
    expect(own.lines.every((l: any) => l.providerId === ownProvider)).toBe(true);
    const [{ cents }] = await ctx.db.query(
      `SELECT sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END)::int8 AS cents FROM declaration_line
      WHERE provider_id = $1 AND status = 'geaccepteerd' AND period_start >= '2021-01-01' AND period_start < '2022-01-01'`,
      [ownProvider],
    );
    expect(own.total.amountCents).toBe(cents);

    for (const role of ['regio', 'coordinator'] as const) {
      const res = await get(role, `${R}/rows?year=2021&limit=50`);
      expect(res.body).not.toMatch(/pseudonym|youthId/);
      const page = res.json();
      expect(page.aggregates).toHaveLength(50);
      const a = page.aggregates[0];
      expect(a.month).toMatch(/^2021-\d\d$/);
      expect(a.lines).toBeGreaterThan(0);
    }
  });

  it('writes an audit row naming the youths exposed (and the lines read), for the page and for the export', async () => {
    const before = await auditCount();
    const page = (await get('gemeente', `${R}/rows?year=2021&maand=3&limit=20`)).json();
    expect(await auditCount()).toBe(before + 1);
    const [row] = await ctx.db.query(`SELECT l.subject, l.subject_ids, l.detail, a.username FROM audit_log l JOIN account a ON a.id = l.account_id
      WHERE l.action = 'read' AND l.route LIKE '%/dashboard/rows' ORDER BY l.id DESC LIMIT 1`);
    expect(row.username).toBe('gemeente');
    expect(row.subject).toBe('youth');
    expect(row.subject_ids.map(Number).sort()).toEqual([...new Set(page.lines.map((l: any) => l.youthId).filter((x: any) => x !== null))].sort());
    expect(row.subject_ids.length).toBeGreaterThan(0);
    expect(row.detail.lines).toEqual(page.lines.map((l: any) => l.lineId));

    const csv = await get('gemeente', `${R}/rows.csv?year=2021&maand=3`);
    expect(csv.statusCode).toBe(200);
    expect(await auditCount()).toBe(before + 2);
    const [exp] = await ctx.db.query(
      `SELECT cardinality(subject_ids) AS n, detail FROM audit_log WHERE action = 'read' AND route LIKE '%/dashboard/rows.csv' ORDER BY id DESC LIMIT 1`,
    );
    expect(exp.detail.lines).toBe(page.total.rows);
    expect(exp.n).toBeGreaterThan(0);
    expect(exp.n).toBeLessThanOrEqual(page.total.rows);
    expect(exp.detail.export).toBe(true);
    // the CSV holds every line, and its amounts add up to the figure
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(page.total.rows + 1);
    expect(lines[0]).toContain('Pseudoniem jeugdige');
    const cents = lines.slice(1).reduce((s, l) => s + Math.round(Number(l.split(';').at(-1)!.replace(',', '.')) * 100), 0);
    expect(cents).toBe(page.total.amountCents);

    // the region's aggregates are logged too (one rule per route), without line ids
    await get('regio', `${R}/rows?year=2021&limit=5`);
    const [agg] = await ctx.db.query(
      `SELECT cardinality(subject_ids) AS n, detail FROM audit_log WHERE action = 'read' AND route LIKE '%/dashboard/rows' ORDER BY id DESC LIMIT 1`,
    );
    expect(agg.n).toBe(0);
    expect(agg.detail.kind).toBe('totalen');
  });

  it('exports XLSX for every role', async () => {
    for (const role of ROLES) {
      const res = await get(role, `${R}/rows.xlsx?year=2021&kwartaal=K2&segment=WON`);
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    }
  });

  it('pages through all rows once, in a stable order', async () => {
    const q = `year=2021&segment=WON&maand=6`;
    const first = (await get('aanbieder', `${R}/rows?${q}&limit=1000`)).json();
    expect(first.total.rows).toBeGreaterThan(3);
    const seen: number[] = [];
    let sum = 0;
    for (let offset = 0; offset < first.total.rows; offset += 3) {
      const p = (await get('aanbieder', `${R}/rows?${q}&limit=3&offset=${offset}`)).json();
      expect(p.total).toEqual(first.total);
      seen.push(...p.lines.map((l: any) => l.lineId));
      sum += p.lines.reduce((s: number, l: any) => s + l.amountCents, 0);
    }
    expect(seen).toEqual(first.lines.map((l: any) => l.lineId));
    expect(new Set(seen).size).toBe(first.total.rows);
    expect(sum).toBe(first.total.amountCents);
    const beyond = (await get('aanbieder', `${R}/rows?${q}&offset=${first.total.rows + 10}`)).json();
    expect(beyond.lines).toEqual([]);
    expect(beyond.total).toEqual(first.total);
  });

  it('refuses bad filters with a Dutch problem naming the field', async () => {
    for (const [q, field] of [
      ['maand=13', 'maand'],
      ['kwartaal=K5', 'kwartaal'],
      ['segment=XYZ', 'segment'],
      ['maand=5&kwartaal=K1', 'maand'],
      ['gemeente=abc', 'gemeente'],
    ]) {
      const res = await get('regio', `${R}/rows?year=2021&${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('problem+json');
      expect(JSON.stringify(res.json()), q).toContain(field);
    }
  });
});
