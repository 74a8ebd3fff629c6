// Provider concentration on the calibrated Twente 2021 demo, through the API, checked against the
// published shape (seed 003: 50% of the money with 2–3% of the providers) and recomputed from the ranking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import figures from '../../src/demo/figures.json' with { type: 'json' };
import { demoPassword, login, seededServer } from '../helpers/app.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookie: Record<string, string> = {};
const get = async (role: string, url: string) => ctx.server.inject({ method: 'GET', url, headers: { cookie: cookie[role] } });

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente', 'aanbieder']) cookie[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
}, 300_000);
afterAll(async () => { await ctx?.close(); });

describe('provider concentration, Twente 2021', () => {
  it('has the published shape: 50% of the money with 2–3% of the providers, 75% with 8–10%', async () => {
    const res = await get('regio', '/api/regions/twente/dashboard/concentration?year=2021');
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.overall.providers).toBe(figures.twente.active_providers);
    expect(c.overall.amountCents).toBe((await get('regio', '/api/regions/twente/dashboard?year=2021')).json().totals.amountCents);
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
      let cum = 0, for50 = 0, for75 = 0;
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

  it('a municipality sees the concentration of its own residents\' care; a provider may not compare providers', async () => {
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
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Rang;AGB-code;Aanbieder;Bedrag (EUR);Aandeel (%);Cumulatief (%);Cliënten;Gemeenten;Leveranciersmanagement');
    const c = (await get('regio', '/api/regions/twente/dashboard/concentration?year=2021')).json();
    expect(lines.length - 1).toBe(c.bySegment.find((s: any) => s.code === 'WON').providers);
    const bad = await get('regio', '/api/regions/twente/dashboard/providers?year=2021&segment=XYZ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('segment');
  });
});
