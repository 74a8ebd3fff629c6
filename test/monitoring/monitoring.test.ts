// Provider concentration on the calibrated Twente 2021 demo, through the API, checked against the
// published shape (seed 003: 50% of the money with 2–3% of the providers) and recomputed from the ranking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import figures from '../../src/demo/figures.json' with { type: 'json' };
import { demoPassword, login, seededServer } from '../helpers/app.ts';
import { flows } from '../../src/monitoring/flows.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookie: Record<string, string> = {};
const get = async (role: string, url: string) => ctx.server.inject({ method: 'GET', url, headers: { cookie: cookie[role] } });

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente', 'aanbieder']) cookie[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

describe('provider concentration, Twente 2021', () => {
  it('has the published shape: 50% of the money with 2–3% of the providers, 75% with at most a tenth', async () => {
    const res = await get('regio', '/api/regions/twente/dashboard/concentration?year=2021');
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.overall.providers).toBe(figures.twente.active_providers);
    const dashTotals = (await get('regio', '/api/regions/twente/dashboard?year=2021')).json().totals;
    expect(c.overall.amountCents).toBe(dashTotals.amountCents);
    // the yearly facts (migration 005) give exactly what the declaration lines give
    const [lines] = await ctx.db.query(`SELECT sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8 AS cents,
        count(DISTINCT d.youth_id)::int AS persons FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
      WHERE m.region_id = 'twente' AND d.status = 'geaccepteerd' AND d.period_start >= '2021-01-01' AND d.period_start < '2022-01-01'`);
    expect(dashTotals.amountCents).toBe(lines.cents);
    expect(dashTotals.persons).toBe(lines.persons);
    const share50 = c.overall.providersFor50 / c.overall.providers;
    const share75 = c.overall.providersFor75 / c.overall.providers;
    expect(share50).toBeGreaterThanOrEqual(0.015);
    expect(share50).toBeLessThanOrEqual(0.035);
    expect(share75).toBeGreaterThan(share50);
    expect(share75).toBeLessThanOrEqual(0.12);
    // segments add up to the whole
    expect(c.bySegment.reduce((s: number, x: any) => s + x.amountCents, 0)).toBe(c.overall.amountCents);
    for (const s of [c.overall, ...c.bySegment]) {
      if (!s.providers) continue;
      expect(s.top1Share).toBeLessThanOrEqual(s.top3Share);
      expect(s.top3Share).toBeLessThanOrEqual(s.top10Share);
      expect(s.pareto).toHaveLength(s.providers);
      expect(s.pareto.at(-1)).toBeCloseTo(1, 4);
      expect(s.pareto.every((v: number, i: number) => i === 0 || v >= s.pareto[i - 1])).toBe(true);
      expect(s.clientBands['1-10'] + s.clientBands['11-100'] + s.clientBands['>100']).toBe(s.providers);
      expect(s.hhi).toBeGreaterThan(0);
      expect(s.hhi).toBeLessThanOrEqual(10_000);
    }
  });

  it('agrees with a recomputation from the ranked provider list, per segment and overall', async () => {
    const c = (await get('regio', '/api/regions/twente/dashboard/concentration?year=2021')).json();
    for (const s of [c.overall, ...c.bySegment.filter((x: any) => x.providers > 0)]) {
      const res = await get('regio', `/api/regions/twente/dashboard/providers?year=2021&segment=${s.code}`);
      expect(res.statusCode).toBe(200);
      const ranked = res.json() as { amountCents: number; share: number; cumulativeShare: number; supplierManagement: boolean; rank: number }[];
      const total = ranked.reduce((a, r) => a + r.amountCents, 0);
      expect(total).toBe(s.amountCents);
      expect(ranked.map((r) => r.rank)).toEqual(ranked.map((_, i) => i + 1));
      expect(ranked.every((r, i) => i === 0 || r.amountCents <= ranked[i - 1].amountCents)).toBe(true);
      // the smallest set holding 50% / 75%
      let cum = 0,
        for50 = 0,
        for75 = 0;
      for (const [i, r] of ranked.entries()) {
        if (!for50 && (cum + r.amountCents) * 2 >= total) for50 = i + 1;
        if (!for75 && (cum + r.amountCents) * 4 >= total * 3) for75 = i + 1;
        cum += r.amountCents;
      }
      expect(s.providersFor50).toBe(for50);
      expect(s.providersFor75).toBe(for75);
      expect(ranked.filter((r) => r.supplierManagement)).toHaveLength(for75);
      const hhi = ranked.reduce((a, r) => a + (r.amountCents / total) ** 2, 0) * 10_000;
      expect(s.hhi).toBeCloseTo(hhi, 0);
      expect(s.top3Share).toBeCloseTo(ranked.slice(0, 3).reduce((a, r) => a + r.amountCents, 0) / total, 6);
    }
  });

  it("a municipality sees the concentration of its own residents' care; a provider may not compare providers", async () => {
    const mine = (await get('gemeente', '/api/regions/twente/dashboard/concentration?year=2021')).json();
    const dash = (await get('gemeente', '/api/regions/twente/dashboard?year=2021')).json();
    expect(mine.municipalities).toBe(1);
    expect(mine.overall.amountCents).toBe(dash.totals.amountCents);
    expect(mine.overall.providers).toBe(dash.totals.providers);
    expect((await get('aanbieder', '/api/regions/twente/dashboard/concentration?year=2021')).statusCode).toBe(403);
    expect((await get('aanbieder', '/api/regions/twente/dashboard/providers?year=2021')).statusCode).toBe(403);
  });

  it('exports the ranking as CSV and names an unknown segment', async () => {
    const csv = await get('regio', '/api/regions/twente/dashboard/providers.csv?year=2021&segment=WON');
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Rang;AGB-code;Aanbieder;Bedrag (EUR);Aandeel (%);Cumulatief (%);Cliënten;Gemeenten;Leveranciersmanagement');
    const c = (await get('regio', '/api/regions/twente/dashboard/concentration?year=2021')).json();
    expect(lines.length - 1).toBe(c.bySegment.find((s: any) => s.code === 'WON').providers);
    const bad = await get('regio', '/api/regions/twente/dashboard/providers?year=2021&segment=XYZ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('segment');
  });
});

describe('costs along one dimension, Twente 2021', () => {
  const costs = async (role: string, query: string) => {
    const res = await get(role, `/api/regions/twente/dashboard/costs?year=2021&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('per segment and per municipality equals the dashboard; per month and product group add up to the total', async () => {
    const dash = (await get('regio', '/api/regions/twente/dashboard?year=2021')).json();
    const seg = await costs('regio', 'by=segment');
    expect(seg.total.amountCents).toBe(dash.totals.amountCents);
    expect(seg.total.persons).toBe(dash.totals.persons);
    for (const s of dash.bySegment) {
      const r = seg.rows.find((x: any) => x.key === s.code);
      expect(r.amountCents).toBe(s.amountCents);
      expect(r.persons).toBe(s.persons);
      expect(r.averageCentsPerPerson).toBe(Math.round(s.amountCents / s.persons));
    }
    const mun = await costs('regio', 'by=gemeente');
    for (const m of dash.byMunicipality) expect(mun.rows.find((x: any) => x.key === m.code).amountCents).toBe(m.amountCents);
    const month = await costs('regio', 'by=maand');
    expect(month.rows.map((r: any) => r.label)).toEqual([
      'januari',
      'februari',
      'maart',
      'april',
      'mei',
      'juni',
      'juli',
      'augustus',
      'september',
      'oktober',
      'november',
      'december',
    ]);
    for (const dim of ['maand', 'kwartaal', 'productgroep', 'aanbieder']) {
      const c = dim === 'maand' ? month : await costs('regio', `by=${dim}`);
      expect(
        c.rows.reduce((a: number, r: any) => a + r.amountCents, 0),
        dim,
      ).toBe(dash.totals.amountCents);
      // persons are counted once per row: the rows' persons add up to at least the total
      expect(
        c.rows.reduce((a: number, r: any) => a + r.persons, 0),
        dim,
      ).toBeGreaterThanOrEqual(c.total.persons);
    }
  });

  it('puts the previous year beside it, with the change in %', async () => {
    const y2021 = await costs('regio', 'by=segment');
    const y2022 = (await get('regio', '/api/regions/twente/dashboard/costs?year=2022&by=segment')).json();
    expect(y2021.total.previousAmountCents).toBe(0);
    expect(y2021.total.changePct).toBeNull();
    expect(y2022.total.previousAmountCents).toBe(y2021.total.amountCents);
    expect(y2022.total.previousPersons).toBe(y2021.total.persons);
    expect(y2022.total.changePct).toBe(Math.round(((y2022.total.amountCents - y2021.total.amountCents) / y2021.total.amountCents) * 1000) / 10);
  });

  it('filters on a segment, and scopes a provider to its own figures', async () => {
    const won = await costs('regio', 'by=gemeente&segment=WON');
    const enschede = figures.twente.per_municipality.Wonen.rows.find((r) => r[0] === 'Enschede')!;
    const r = won.rows.find((x: any) => x.label === 'Enschede');
    expect(Math.abs(r.amountCents - Number(enschede[2]) * 100) / (Number(enschede[2]) * 100)).toBeLessThanOrEqual(0.02);
    const own = await costs('aanbieder', 'by=aanbieder');
    expect(own.rows).toHaveLength(1);
    const ownDash = (await get('aanbieder', '/api/regions/twente/dashboard?year=2021')).json();
    expect(own.total.amountCents).toBe(ownDash.totals.amountCents);
    expect((await get('regio', '/api/regions/twente/dashboard/costs?year=2021&by=kleur')).statusCode).toBe(400);
  });

  it('exports the same figures as XLSX and CSV', async () => {
    const c = await costs('regio', 'by=segment');
    const res = await get('regio', '/api/regions/twente/dashboard/costs.xlsx?year=2021&by=segment');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(3).value).toBe('Bedrag 2021');
    const wonen = c.rows.find((x: any) => x.key === 'WON');
    const row = [...Array(ws.rowCount).keys()].map((i) => ws.getRow(i + 1)).find((r) => r.getCell(2).value === 'WON')!;
    expect(row.getCell(3).value).toBe(wonen.amountCents / 100);
    expect(row.getCell(4).value).toBe(wonen.persons);
    const csv = await get('regio', '/api/regions/twente/dashboard/costs.csv?year=2021&by=segment');
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'Segment;Code;Bedrag 2021 (EUR);Personen 2021;Gemiddeld per persoon (EUR);Bedrag 2020 (EUR);Personen 2020;Verschil (%)',
    );
    const seg = await get('gemeente', '/api/regions/twente/dashboard/segments.xlsx?year=2021');
    expect(seg.statusCode).toBe(200);
  });
});

describe('budgets against realisation and forecast', () => {
  it('judges a cell: linear forecast, deviation and flag at the threshold', async () => {
    const { judge, forecast } = await import('../../src/funding/budgets.ts');
    expect(forecast(600_00, 6)).toBe(1200_00);
    expect(forecast(100, 7)).toBe(171); // 171.43 → 171 cents
    expect(judge(1000_00, 525_00, 6, 5)).toMatchObject({ forecastCents: 1050_00, deviationCents: 50_00, deviationPct: 5, flag: 'binnen' });
    expect(judge(1000_00, 526_00, 6, 5)).toMatchObject({ deviationPct: 5.2, flag: 'over' });
    expect(judge(1000_00, 470_00, 6, 5)).toMatchObject({ deviationPct: -6, flag: 'onder' });
    expect(judge(null, 10_00, 12, 5)).toMatchObject({ forecastCents: 10_00, flag: 'geen budget', deviationCents: null });
  });

  it('Twente 2021: budgets from the database, realisation equals the dashboard, a half year forecasts twice its realisation', async () => {
    const full = (await get('regio', '/api/regions/twente/dashboard/budget?year=2021')).json();
    expect(full.throughMonth).toBe(12);
    const dash = (await get('regio', '/api/regions/twente/dashboard?year=2021')).json();
    // the declarations equal the dashboard; the realisation counts every funding form (issue 15 §3): it is the total of
    // the costs by funding form (lumpsums, availability and real costs at their outcome, not what was declared under them)
    expect(full.total.declaredCents).toBe(dash.totals.amountCents);
    const byForm = (await get('regio', '/api/regions/twente/dashboard/costs?year=2021&by=bekostiging')).json();
    expect(full.total.realisedCents).toBe(byForm.total.amountCents);
    expect(full.total.realisedCents).not.toBe(full.total.declaredCents);
    const [{ b }] = await ctx.db.query(
      `SELECT sum(amount_cents)::int8 AS b FROM budget b JOIN municipality m ON m.code = b.municipality_code WHERE m.region_id = 'twente' AND b.year = 2021`,
    );
    expect(full.total.budgetCents).toBe(b);
    expect(full.cells).toHaveLength(14 * full.bySegment.length);
    expect(full.byMunicipality.reduce((a: number, m: any) => a + m.realisedCents, 0)).toBe(full.total.realisedCents);

    const half = (await get('regio', '/api/regions/twente/dashboard/budget?year=2021&through=6')).json();
    const months = (await get('regio', '/api/regions/twente/dashboard/costs?year=2021&by=maand')).json();
    const firstHalf = months.rows.filter((r: any) => Number(r.key) <= 6).reduce((a: number, r: any) => a + r.amountCents, 0);
    expect(half.total.declaredCents).toBe(firstHalf);
    // (read from the monthly facts: the same as the accepted lines of January–June by period start)
    const [{ lines }] = await ctx.db.query(
      `SELECT sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8 AS lines FROM declaration_line d
       JOIN municipality m ON m.code = d.municipality_code
       WHERE m.region_id = 'twente' AND d.status = 'geaccepteerd' AND d.period_start >= '2021-01-01' AND d.period_start < '2021-07-01'`,
    );
    expect(half.total.declaredCents).toBe(Number(lines));
    expect(half.total.forecastCents).toBe(Math.round(half.total.realisedCents * 2));
    // the contracts' year figures count pro rata before the year is over (6/12, rounded per cell)
    expect(Math.abs(half.total.realisedCents - firstHalf - Math.round((full.total.realisedCents - full.total.declaredCents) / 2))).toBeLessThanOrEqual(
      half.cells.length,
    );
    expect(half.method).toContain('× 12 / 6');

    const mine = (await get('gemeente', '/api/regions/twente/dashboard/budget?year=2021')).json();
    expect(mine.byMunicipality.map((m: any) => m.name)).toEqual(['Enschede']);
    expect((await get('aanbieder', '/api/regions/twente/dashboard/budget?year=2021')).statusCode).toBe(403);
  });

  it('imports budgets from CSV all or nothing, naming each bad line', async () => {
    const post = (role: string, body: string) =>
      ctx.server.inject({
        method: 'POST',
        url: '/api/regions/twente/budgets/import',
        payload: body,
        headers: { cookie: cookie[role], 'content-type': 'text/csv' },
      });
    const budgetOf = async (code: string, seg: string) =>
      (
        await ctx.db.query(
          `SELECT b.amount_cents AS c FROM budget b JOIN segment s ON s.id = b.segment_id WHERE b.municipality_code = $1 AND s.code = $2 AND b.year = 2030 AND s.region_id = 'twente'`,
          [code, seg],
        )
      )[0]?.c ?? null;
    const bad = await post('regio', 'CBS-code;Segment;Jaar;Bedrag (EUR)\n0153;WON;2030;1.250.000,00\n9999;WON;2030;10\n0141;XYZ;2030;abc\n');
    expect(bad.statusCode).toBe(400);
    const problem = bad.json();
    expect(problem.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'CBS-code'],
      [4, 'Segment'],
      [4, 'Bedrag'],
    ]);
    expect(await budgetOf('0153', 'WON')).toBeNull(); // nothing stored, not even the good line

    const ok = await post('regio', '\uFEFFCBS-code;Segment;Jaar;Bedrag (EUR)\r\n0153;WON;2030;1.250.000,00\r\n141;VBL;2030;99,5\r\n');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ imported: 2 });
    expect(await budgetOf('0153', 'WON')).toBe(125_000_000);
    expect(await budgetOf('0141', 'VBL')).toBe(9_950);

    const other = await post('gemeente', 'CBS-code;Segment;Jaar;Bedrag (EUR)\n0141;WON;2030;10\n');
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].detail).toContain('alleen budgetten van gemeente 0153');
    expect((await post('aanbieder', 'CBS-code;Segment;Jaar;Bedrag (EUR)\n0153;WON;2030;10\n')).statusCode).toBe(403);
  });
});

describe('flows (CBS definitions), Twente 2021', () => {
  it('running trajectories follow from in- and outflow month by month; the summary agrees with the database', async () => {
    const res = await get('regio', '/api/regions/twente/dashboard/flows?year=2021');
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.monthly.map((m: any) => m.month)).toEqual([...Array(12).keys()].map((i) => `2021-${String(i + 1).padStart(2, '0')}`));
    for (let i = 1; i < 12; i++) expect(f.monthly[i].running).toBe(f.monthly[i - 1].running + f.monthly[i].inflow - f.monthly[i].outflow);
    expect(f.monthly.reduce((a: number, m: any) => a + m.inflow, 0)).toBeGreaterThan(0);
    const [{ n }] = await ctx.db.query(`SELECT count(DISTINCT a.youth_id)::int AS n FROM allocation a JOIN municipality m ON m.code = a.municipality_code
      WHERE m.region_id = 'twente' AND a.status <> 'ingetrokken' AND a.start_date < '2022-01-01' AND (a.end_date IS NULL OR a.end_date >= '2021-01-01')`);
    expect(f.summary.persons).toBe(n);
    expect(f.summary.residentialShare).toBeGreaterThan(0);
    expect(f.summary.residentialShare).toBeLessThan(0.5);
    const [{ started }] = await ctx.db.query(`SELECT count(*)::int AS started FROM allocation a JOIN municipality m ON m.code = a.municipality_code
      WHERE m.region_id = 'twente' AND a.status <> 'ingetrokken' AND a.start_date >= '2021-01-01' AND a.start_date < '2022-01-01'`);
    expect(f.referrers.reduce((a: number, r: any) => a + r.allocations, 0)).toBe(started);
    expect(f.transitions.every((t: any) => t.from !== t.to && t.youths > 0)).toBe(true);
    const mine = (await get('gemeente', '/api/regions/twente/dashboard/flows?year=2021')).json();
    expect(mine.summary.persons).toBeLessThan(f.summary.persons);
  });
  it("the region's refreshed trajectories give the same flows as grouping the allocations, every year", async () => {
    const scope = { regionId: 'twente', municipalityCode: null, providerId: null, label: 'regio' };
    for (const year of [2020, 2021, 2022]) {
      const fromFacts = await flows(ctx.db, scope, year, 'facts');
      expect(fromFacts.summary.persons).toBeGreaterThan(0);
      expect(fromFacts).toEqual(await flows(ctx.db, scope, year, 'allocations'));
    }
  });
});
