// The monitoring cache (src/monitoring/cache.ts): a figure is served from memory only while the region's facts stand,
// and an import that changes them (updateDeclarationFacts, in its own transaction) shows at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, login, seededServer } from '../helpers/app.ts';
import { updateDeclarationFacts } from '../../src/monitoring/index.ts';
import { factsVersion } from '../../src/monitoring/cache.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookie: Record<string, string> = {};
const get = async (role: string, url: string) => {
  const res = await ctx.server.inject({ method: 'GET', url, headers: { cookie: cookie[role] } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const total = async (role: string) => (await get(role, '/api/regions/twente/dashboard?year=2021')).totals.amountCents as number;

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente']) cookie[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

describe('monitoring cache', () => {
  it('keeps an answer until the facts change, then shows the change at once', async () => {
    const before = await total('regio');
    // a line written past the import (no facts update): the kept answer stands, as it would without the cache for the facts
    const [line] = await ctx.db.query<{ id: number; municipality_code: string; provider_id: number }>(
      `SELECT d.id, d.municipality_code, d.provider_id FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
       WHERE m.region_id = 'twente' AND d.status = 'geaccepteerd' AND d.period_start >= '2021-03-01' AND d.period_start < '2021-04-01' LIMIT 1`,
    );
    await ctx.db.query(
      `INSERT INTO declaration_line (allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents, debit_credit, status, source)
       SELECT allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, 1, unit, 12345, 12345, 'D', 'geaccepteerd', 'test'
       FROM declaration_line WHERE id = $1`,
      [line.id],
    );
    expect(await total('regio')).toBe(before);
    // the import's own step: the facts of the group and the region's version change in one transaction
    const version = await factsVersion(ctx.db, 'twente');
    const otherRegion = await factsVersion(ctx.db, 'achterhoek');
    await ctx.db.transaction((tx) => updateDeclarationFacts(tx, [{ municipalityCode: line.municipality_code, providerId: line.provider_id, year: 2021 }]));
    expect(BigInt(await factsVersion(ctx.db, 'twente'))).toBe(BigInt(version) + 1n);
    expect(await factsVersion(ctx.db, 'achterhoek')).toBe(otherRegion); // another region's answers stay kept
    expect(await total('regio')).toBe(before + 12345);
    // the cost table and the drill-down agree with the dashboard after the change
    const costs = await get('regio', '/api/regions/twente/dashboard/costs?year=2021&by=maand');
    expect(costs.total.amountCents).toBe(before + 12345);
  });

  it('many identical requests at once get one and the same answer; every scope its own', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => total('regio')));
    expect(new Set(answers).size).toBe(1);
    const own = await total('gemeente');
    expect(own).toBeGreaterThan(0);
    expect(own).toBeLessThan(answers[0]);
    const d = await get('gemeente', '/api/regions/twente/dashboard?year=2021');
    expect(d.byMunicipality).toHaveLength(1);
  });
});
