// The provider risk monitor through the API on the Achterhoek demo (2023): ratios and flags on fixed figures,
// the stress-test arithmetic, thresholds as data, the CSV import (all or nothing, per-line errors), the role scopes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, seededServer } from '../helpers/app.ts';
import { createAccount } from '../../src/access/store.ts';
import { loadRiskDemo } from '../../src/monitoring/risk.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookie: Record<string, string> = {};
const R = 'achterhoek';
let P = 0,
  other = 0,
  agbP = '',
  agbOther = '',
  gemeenteCode = '';
let regionCentsP = 0; // the region's money to P in 2023, straight from the declaration lines
const req = (role: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  ctx.server.inject({ method: method as any, url, payload: payload as any, headers: { cookie: cookie[role], ...headers } });
const get = (role: string, url: string) => req(role, 'GET', url);

const lineMoney = async (providerId: number, municipality: string | null = null) =>
  (
    await ctx.db.query(
      `SELECT COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END), 0)::int8 AS cents
   FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
   WHERE m.region_id = $1 AND d.provider_id = $2 AND d.status = 'geaccepteerd' AND d.period_start >= '2023-01-01' AND d.period_start < '2024-01-01'
     AND ($3::text IS NULL OR d.municipality_code = $3)`,
      [R, providerId, municipality],
    )
  )[0].cents as number;

/**
 * Fixed figures for P, past four of the default thresholds (migration 025): revenue revenue = 1.1 ×
 * the region's money (dependency 90.9%, above 80%), return 3%, solvency 30%, current ratio 0.70 (below 0.75),
 * € 35,000 per fte (below € 40,000); a 15% cut of the region's money turns the return into -12.3% (below -10%).
 */
const fixed = () => {
  const revenue = Math.round(regionCentsP * 1.1);
  return {
    year: 2023,
    source: 'jaarrekening 2023 (test)',
    revenueCents: revenue,
    youthActRevenueCents: regionCentsP,
    resultCents: Math.round((revenue * 3) / 100),
    equityCents: 150_000_000,
    totalAssetsCents: 500_000_000,
    currentAssetsCents: 175_000_000,
    currentLiabilitiesCents: 250_000_000,
    staffCostsCents: 525_000_000,
    fte: 150,
  };
};

beforeAll(async () => {
  ctx = await seededServer([R]);
  const ranked = await ctx.db.query(
    `SELECT p.id, trim(p.agb_code) AS agb FROM provider p JOIN declaration_year_fact f ON f.provider_id = p.id JOIN municipality m ON m.code = f.municipality_code
     WHERE m.region_id = $1 AND f.year = 2023 GROUP BY p.id ORDER BY sum(f.amount_cents) DESC, p.id LIMIT 2`,
    [R],
  );
  [P, other] = ranked.map((r) => r.id);
  [agbP, agbOther] = ranked.map((r) => r.agb);
  regionCentsP = await lineMoney(P);
  gemeenteCode = (
    await ctx.db.query(
      `SELECT trim(f.municipality_code) AS code FROM declaration_year_fact f WHERE f.provider_id = $1 AND f.year = 2023 GROUP BY 1 ORDER BY sum(f.amount_cents) DESC LIMIT 1`,
      [P],
    )
  )[0].code;
  await createAccount(ctx.db, { username: 'regio-t', displayName: 'Regio', password: 'een-lang-wachtwoord', role: 'regio' });
  await createAccount(ctx.db, {
    username: 'gemeente-t',
    displayName: 'Gemeente',
    password: 'een-lang-wachtwoord',
    role: 'gemeente',
    municipalityCode: gemeenteCode,
  });
  await createAccount(ctx.db, { username: 'aanbieder-t', displayName: 'Aanbieder', password: 'een-lang-wachtwoord', role: 'aanbieder', providerId: P });
  await createAccount(ctx.db, { username: 'coordinator-t', displayName: 'Coördinatiepunt', password: 'een-lang-wachtwoord', role: 'coordinator' });
  for (const r of ['regio', 'gemeente', 'aanbieder', 'coordinator']) cookie[r] = await login(ctx.server, `${r}-t`, 'een-lang-wachtwoord');
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

describe('demo figures', () => {
  it('every provider the demo paid has labelled demo figures for the demo year and the year before; loading again adds nothing', async () => {
    const [{ missing }] = await ctx.db.query(
      `SELECT count(*)::int AS missing FROM (SELECT DISTINCT provider_id FROM declaration_year_fact WHERE year = 2023 GROUP BY provider_id HAVING sum(amount_cents) > 0) f
       WHERE NOT EXISTS (SELECT 1 FROM provider_annual_account a WHERE a.provider_id = f.provider_id AND a.year IN (2022, 2023) AND a.entered_by = 'demo' AND a.source LIKE 'demo%'
                         GROUP BY a.provider_id HAVING count(*) = 2)`,
    );
    expect(missing).toBe(0);
    expect(await loadRiskDemo(ctx.db)).toBe(0);
    const list = (await get('regio', `/api/regions/${R}/risk?year=2023`)).json();
    expect(list.providers.length).toBeGreaterThan(10);
    // the generated ratios are spread: some providers are flagged, some are not
    const flagged = list.providers.filter((p: any) => p.flags.length).length;
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(list.providers.length);
  });
});

describe('ratios, flags and the stress test on fixed figures', () => {
  it('computes each ratio as defined and flags exactly the thresholds crossed', async () => {
    const f = fixed();
    expect((await req('regio', 'PUT', `/api/regions/${R}/risk/providers/${P}`, f)).statusCode).toBe(200);
    const res = await get('regio', `/api/regions/${R}/risk?year=2023&cut=15`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const row = body.providers.find((p: any) => p.providerId === P);
    expect(row.figures).toMatchObject({
      revenueCents: f.revenueCents,
      resultCents: f.resultCents,
      fte: 150,
      source: 'jaarrekening 2023 (test)',
      enteredBy: 'regio-t',
    });
    expect(row.solvency).toBeCloseTo(0.3, 10);
    expect(row.currentRatio).toBeCloseTo(0.7, 10);
    expect(row.returnRatio).toBeCloseTo(f.resultCents / f.revenueCents, 10);
    expect(row.staffCostPerFteCents).toBe(3_500_000); // € 5,250,000 / 150 fte
    expect(row.regionCents).toBe(regionCentsP);
    expect(row.dependency).toBeCloseTo(regionCentsP / f.revenueCents, 10);
    expect(row.dependency).toBeCloseTo(1 / 1.1, 6);
    // stress: the region's money falls 15%, costs stay
    const cut = Math.round(regionCentsP * 0.15);
    expect(row.stress.cutCents).toBe(cut);
    expect(row.stress.resultCents).toBe(f.resultCents - cut);
    expect(row.stress.returnRatio).toBeCloseTo((f.resultCents - cut) / (f.revenueCents - cut), 10);
    expect(row.stress.returnRatio).toBeCloseTo((0.033 - 0.15) / (1.1 - 0.15), 6); // -12.3%
    expect(row.flags.map((x: any) => x.ratio).sort()).toEqual(['current_ratio', 'dependency', 'staff_cost_per_fte', 'stressed_return']);
    expect(row.flags.find((x: any) => x.ratio === 'current_ratio').text).toBe('lage liquiditeit: 0,70 (grens onder 0,75)');
    expect(row.flags.find((x: any) => x.ratio === 'stressed_return').text).toBe('fors verlies bij omzetdaling (stresstest): -12,3% (grens onder -10%)');
    expect(body.assumption).toContain('kosten blijven gelijk');
    // the thresholds carry their source
    expect(body.thresholds.find((t: any) => t.ratio === 'solvency').source).toMatch(/Keuze van de regio.*seed 003/);
    // the region's share: P's money / all money in 2023
    const [{ total }] = await ctx.db.query(
      `SELECT sum(amount_cents)::int8 AS total FROM declaration_year_fact f JOIN municipality m ON m.code = f.municipality_code WHERE m.region_id = $1 AND f.year = 2023`,
      [R],
    );
    expect(row.regionShare).toBeCloseTo(regionCentsP / total, 10);
  });

  it('the cut is a parameter: 0% leaves the return, 40% turns it further negative', async () => {
    const f = fixed();
    const at = async (cut: number) => (await get('regio', `/api/regions/${R}/risk?year=2023&cut=${cut}`)).json().providers.find((p: any) => p.providerId === P);
    const none = await at(0);
    expect(none.stress.cutCents).toBe(0);
    expect(none.stress.returnRatio).toBeCloseTo(none.returnRatio, 12);
    expect(none.flags.map((x: any) => x.ratio)).not.toContain('stressed_return');
    const deep = await at(40);
    expect(deep.stress.returnRatio).toBeCloseTo((f.resultCents - Math.round(regionCentsP * 0.4)) / (f.revenueCents - Math.round(regionCentsP * 0.4)), 10);
    expect(deep.stress.returnRatio).toBeLessThan((await at(15)).stress.returnRatio);
  });

  it('flags strictly below a threshold; a year without declarations has no dependency or stress test instead of zero', async () => {
    const f = { ...fixed(), year: 2022, equityCents: 50_000_000, totalAssetsCents: 500_000_000 }; // solvency exactly 10%
    expect((await req('regio', 'PUT', `/api/regions/${R}/risk/providers/${P}`, f)).statusCode).toBe(200);
    let y = (await get('regio', `/api/regions/${R}/risk/providers/${P}`)).json().years.find((r: any) => r.year === 2022);
    expect(y.solvency).toBeCloseTo(0.1, 12);
    expect(y.flags.map((x: any) => x.ratio)).not.toContain('solvency');
    expect(y.regionCents).toBeNull();
    expect(y.dependency).toBeNull();
    expect(y.stress).toBeNull();
    await req('regio', 'PUT', `/api/regions/${R}/risk/providers/${P}`, { ...f, equityCents: 49_999_999 });
    y = (await get('regio', `/api/regions/${R}/risk/providers/${P}`)).json().years.find((r: any) => r.year === 2022);
    expect(y.flags.map((x: any) => x.ratio)).toContain('solvency');
  });

  it('thresholds are data: the region lowers the current-ratio floor and the flag goes', async () => {
    const bad = await req('regio', 'PUT', `/api/regions/${R}/risk/thresholds`, { thresholds: [{ ratio: 'solvency', direction: 'above', value: 1 }] });
    expect(bad.statusCode).toBe(400);
    const res = await req('regio', 'PUT', `/api/regions/${R}/risk/thresholds`, { thresholds: [{ ratio: 'current_ratio', direction: 'below', value: 0.5 }] });
    expect(res.statusCode).toBe(200);
    const t = res.json().find((x: any) => x.ratio === 'current_ratio');
    expect(t).toMatchObject({ value: 0.5, regionOwn: true });
    expect(t.source).toContain('regio-t');
    const row = (await get('regio', `/api/regions/${R}/risk?year=2023`)).json().providers.find((p: any) => p.providerId === P);
    expect(row.flags.map((x: any) => x.ratio)).not.toContain('current_ratio');
    // another region keeps the default
    const [{ n }] = await ctx.db.query(
      `SELECT count(*)::int AS n FROM provider_risk_threshold WHERE region_id IS NULL AND ratio = 'current_ratio' AND value = 0.75`,
    );
    expect(n).toBe(1);
    await req('regio', 'PUT', `/api/regions/${R}/risk/thresholds`, { thresholds: [{ ratio: 'current_ratio', direction: 'below', value: 0.75 }] });
  });

  it('refuses figures that cannot be, naming the field, and stores nothing', async () => {
    const before = await ctx.db.query(`SELECT * FROM provider_annual_account WHERE provider_id = $1 AND year = 2023`, [P]);
    const res = await req('regio', 'PUT', `/api/regions/${R}/risk/providers/${P}`, { ...fixed(), currentAssetsCents: 600_000_000 });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('problem+json');
    expect(res.json().detail).toContain('Vlottende activa');
    expect(await ctx.db.query(`SELECT * FROM provider_annual_account WHERE provider_id = $1 AND year = 2023`, [P])).toEqual(before);
    expect((await req('regio', 'PUT', `/api/regions/${R}/risk/providers/999999`, fixed())).statusCode).toBe(404);
  });

  it('refuses a balance sheet that does not add up and a turnover below what the region paid, naming the field', async () => {
    const before = await ctx.db.query(`SELECT * FROM provider_annual_account WHERE provider_id = $1 ORDER BY year`, [P]);
    const refused = async (changes: Record<string, unknown>, field: string, detail: RegExp) => {
      const res = await req('regio', 'PUT', `/api/regions/${R}/risk/providers/${P}`, { ...fixed(), ...changes });
      expect(res.statusCode, JSON.stringify(changes)).toBe(400);
      expect(res.json().field).toBe(field);
      expect(res.json().detail).toMatch(detail);
    };
    await refused({ equityCents: 600_000_000 }, 'Eigen vermogen', /^Eigen vermogen: kan niet groter zijn dan het balanstotaal$/);
    await refused({ currentLiabilitiesCents: 400_000_000 }, 'Kortlopende schulden', /vreemd vermogen \(balanstotaal − eigen vermogen = € 3\.500\.000,00\)/);
    await refused({ resultCents: fixed().revenueCents + 1 }, 'Resultaat', /kan niet groter zijn dan de omzet/);
    await refused({ fte: 0 }, 'Fte', /is 0 terwijl er personeelskosten zijn/);
    // the case: € 13.8 mln from the region on a turnover of € 0.5 mln cannot be; the region's own money is the floor
    const euro = (c: number) => `€ ${(c / 100).toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    await refused(
      { revenueCents: 50_000_000, youthActRevenueCents: null, resultCents: 1_000_000 },
      'Omzet',
      new RegExp(
        `^Omzet: € 500\\.000,00 kan niet: de regio betaalde deze aanbieder in 2023 al ${euro(regionCentsP).replace(/\./g, '\\.')} aan geaccepteerde declaraties$`,
      ),
    );
    await refused({ youthActRevenueCents: regionCentsP - 1 }, 'Waarvan Jeugdwet', /kan niet: de regio betaalde/);
    // exactly the region's money is possible (a provider that works for this region only)
    // (in the demo year itself: since issue 18 every later year has declarations and demo figures of its own)
    expect(
      (
        await req('regio', 'PUT', `/api/regions/${R}/risk/providers/${P}`, {
          ...fixed(),
          youthActRevenueCents: regionCentsP,
          revenueCents: regionCentsP,
          resultCents: 0,
        })
      ).statusCode,
    ).toBe(200);
    expect((await req('regio', 'PUT', `/api/regions/${R}/risk/providers/${P}`, fixed())).statusCode).toBe(200); // back as before
    expect(await ctx.db.query(`SELECT * FROM provider_annual_account WHERE provider_id = $1 ORDER BY year`, [P])).toEqual(before);
  });
});

describe('CSV import', () => {
  const header = 'AGB-code;Jaar;Omzet;Waarvan Jeugdwet;Resultaat;Eigen vermogen;Balanstotaal;Vlottende activa;Kortlopende schulden;Personeelskosten;Fte;Bron';
  const post = (role: string, csv: string) => req(role, 'POST', `/api/regions/${R}/risk/import`, csv, { 'content-type': 'text/csv' });
  const snapshot = () => ctx.db.query(`SELECT * FROM provider_annual_account ORDER BY provider_id, year`);

  it('refuses the whole file when one line is wrong, naming every failing line and field', async () => {
    const before = await snapshot();
    const csv = [
      header,
      `${agbOther};2021;1.250.000,00;1.000.000,00;-25.000,00;300.000;900.000;400.000;350.000;900.000,00;14,5;jaarrekening 2021`, // good
      `12345678;2021;1000;;10;10;100;50;50;500;1;jaarrekening`, // unknown provider
      `${agbOther};2021;1000;;10;10;100;50;50;500;1;jaarrekening`, // duplicate of line 2
      `${agbP};20x1;1000;;10;10;100;50;50;500;1;jaarrekening`, // bad year
      `${agbP};2020;1000;;tien;10;100;150;50;500;1,5;`, // bad amount, no source
      `${agbP};2019;1000;2000;10;10;100;150;50;500;1;jaarrekening`, // youth > revenue, current > total
    ].join('\r\n');
    const res = await post('regio', csv);
    expect(res.statusCode).toBe(400);
    const errs = res.json().errors as { line: number; field: string; detail: string }[];
    const at = (line: number) =>
      errs
        .filter((e) => e.line === line)
        .map((e) => e.field)
        .sort();
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual(['AGB-code']);
    expect(at(4)).toEqual(['AGB-code']);
    expect(errs.find((e) => e.line === 4)!.detail).toContain('regel 2');
    expect(at(5)).toEqual(['Jaar']);
    expect(at(6)).toEqual(['Bron', 'Resultaat']);
    expect(at(7)).toEqual(['Vlottende activa', 'Waarvan Jeugdwet']);
    expect(res.json().detail).toMatch(/niets opgeslagen/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file whose turnover is below what the region paid or whose balance sheet does not add up, naming line and field', async () => {
    const before = await snapshot();
    const omzet = ((regionCentsP - 100) / 100).toFixed(2).replace('.', ',');
    const csv = [
      header,
      `${agbOther};2021;1.250.000,00;1.000.000,00;-25.000,00;300.000;900.000;400.000;350.000;900.000,00;14,5;jaarrekening 2021`, // good
      `${agbP};2023;${omzet};;10;10;100;50;50;500;1;jaarrekening 2023`, // below the region's money
      `${agbOther};2020;1000;;10;200;100;50;50;500;1;jaarrekening 2020`, // equity above total assets
    ].join('\n');
    const res = await post('regio', csv);
    expect(res.statusCode).toBe(400);
    const errs = res.json().errors as { line: number; field: string; detail: string }[];
    expect(errs.map((e) => [e.line, e.field])).toEqual([[4, 'Eigen vermogen']]); // the form errors first: the region's money is checked on a well-formed file
    const fixedFile = [header, csv.split('\n')[1], csv.split('\n')[2]].join('\n');
    const res2 = await post('regio', fixedFile);
    expect(res2.statusCode).toBe(400);
    const errs2 = res2.json().errors as { line: number; field: string; detail: string }[];
    expect(errs2.map((e) => [e.line, e.field])).toEqual([[3, 'Omzet']]);
    expect(errs2[0].detail).toMatch(/kan niet: de regio betaalde deze aanbieder in 2023 al € [\d.]+,\d\d aan geaccepteerde declaraties/);
    expect(res2.json().detail).toMatch(/niets opgeslagen/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a wrong header, and stores a correct file in one go (Dutch amounts, negative results)', async () => {
    expect((await post('regio', 'Aanbieder;Jaar\n1;2')).statusCode).toBe(400);
    const csv = [
      header,
      `${agbOther};2021;1.250.000,00;1.000.000,00;-25.000,00;300.000;900.000;400.000;350.000;900.000,00;14,5;jaarrekening 2021`,
      `${agbP};2021;2000000.50;;100000;-50000;800000;300000;200000;1500000;20;jaarrekening 2021 KvK`,
    ].join('\n');
    const res = await post('regio', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2 });
    const [o] = await ctx.db.query(`SELECT * FROM provider_annual_account WHERE provider_id = $1 AND year = 2021`, [other]);
    expect(o).toMatchObject({
      revenue_cents: 125_000_000,
      youth_act_revenue_cents: 100_000_000,
      result_cents: -2_500_000,
      fte: '14.50',
      entered_by: 'regio-t',
    });
    const [p] = await ctx.db.query(`SELECT * FROM provider_annual_account WHERE provider_id = $1 AND year = 2021`, [P]);
    expect(p).toMatchObject({ revenue_cents: 200_000_050, youth_act_revenue_cents: null, equity_cents: -5_000_000 });
    const y = (await get('regio', `/api/regions/${R}/risk/providers/${P}`)).json().years.find((r: any) => r.year === 2021);
    expect(y.solvency).toBeCloseTo(-5_000_000 / 80_000_000, 10);
    expect(y.flags.map((x: any) => x.ratio)).toContain('solvency');
  });
});

describe('role scopes', () => {
  it('a provider reads only its own figures and may not write', async () => {
    const list = (await get('aanbieder', `/api/regions/${R}/risk?year=2023`)).json();
    expect(list.providers.map((p: any) => p.providerId)).toEqual([P]);
    expect((await get('aanbieder', `/api/regions/${R}/risk/providers/${P}`)).statusCode).toBe(200);
    expect((await get('aanbieder', `/api/regions/${R}/risk/providers/${other}`)).statusCode).toBe(404);
    expect((await req('aanbieder', 'PUT', `/api/regions/${R}/risk/providers/${P}`, fixed())).statusCode).toBe(403);
    expect((await req('aanbieder', 'POST', `/api/regions/${R}/risk/import`, 'x', { 'content-type': 'text/csv' })).statusCode).toBe(403);
    const csv = (await get('aanbieder', `/api/regions/${R}/risk.csv?year=2023`)).body.trim().split('\r\n');
    expect(csv).toHaveLength(2);
    expect(csv[1].startsWith(agbP)).toBe(true);
  });

  it('a municipality reads every provider, with dependency and stress test on its own money; it may not write', async () => {
    const list = (await get('gemeente', `/api/regions/${R}/risk?year=2023`)).json();
    const row = list.providers.find((p: any) => p.providerId === P);
    const own = await lineMoney(P, gemeenteCode);
    expect(own).toBeGreaterThan(0);
    expect(own).toBeLessThan(regionCentsP);
    expect(row.regionCents).toBe(own);
    expect(row.dependency).toBeCloseTo(own / row.figures.revenueCents, 10);
    expect(list.assumption).toContain(`gemeente ${gemeenteCode}`);
    expect(list.providers.length).toBeGreaterThan(1);
    expect((await req('gemeente', 'PUT', `/api/regions/${R}/risk/providers/${P}`, fixed())).statusCode).toBe(403);
    expect((await req('gemeente', 'PUT', `/api/regions/${R}/risk/thresholds`, { thresholds: [] })).statusCode).toBe(403);
  });

  it('the coordination point has no access; the exports carry the same figures as the list', async () => {
    expect((await get('coordinator', `/api/regions/${R}/risk?year=2023`)).statusCode).toBe(403);
    const csv = await get('regio', `/api/regions/${R}/risk.csv?year=2023`);
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const list = (await get('regio', `/api/regions/${R}/risk?year=2023`)).json();
    expect(lines).toHaveLength(list.providers.length + 1);
    const mine = lines.find((l) => l.startsWith(agbP))!.split(';');
    expect(mine[3]).toBe((fixed().revenueCents / 100).toFixed(2).replace('.', ','));
    const xlsx = await get('regio', `/api/regions/${R}/risk.xlsx?year=2023`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
