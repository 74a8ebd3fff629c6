// Monitoring's costs include every funding form (issue 15 §6): the costs table has funding form as a dimension (P*Q
// from the ledger, lumpsums, availability plus use, real-cost settlements at the year's outcome), and the drill-down
// reaches the rows behind each figure (the contracts with their instalments, advances and cost lines; for the forms
// paid per client the declaration drill-down's filter). Worked example with its numbers below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import { costs } from '../../src/monitoring/costs.ts';
import { refreshFacts } from '../../src/monitoring/index.ts';
import { budgetReport, fundingFormRows, recordPayment, saveContractFunding, saveCostLines } from '../../src/funding/index.ts';
import { parseCostLinesCsv } from '../../src/funding/csv.ts';
import { importCostLines } from '../../src/funding/store.ts';
import { MUNICIPALITY } from '../ijw/helpers.ts';
import { importFixture } from '../ijw/fixture.ts';

let db: Db;
let a: number, b: number; // provider A (Aanbieder Een) and B (Aanbieder Twee, AGB 99999999)
let lumpId: number, nacId: number;
const region = { regionId: 'test', municipalityCode: null, providerId: null, label: 'regio' };
const base = {
  validFrom: '2026-01-01',
  validTo: null,
  outsideBand: 'gesprek',
  changeReason: '',
  costKey: 'gebruik',
  lumpsumCents: null,
  bandwidthPct: null,
} as const;

beforeAll(async () => {
  ({ db, providerId: a, otherProviderId: b } = await importFixture());
  const [{ id: amb }] = await db.query(`SELECT id FROM segment WHERE code = 'AMB'`);
  const sub = async (code: string) =>
    (await db.query(`INSERT INTO segment (region_id, code, name, parent_id) VALUES ('test', $1, $1, $2) RETURNING id`, [code, amb]))[0].id as number;
  const product = async (segmentId: number, code: string) =>
    (
      await db.query(
        `INSERT INTO product (region_id, segment_id, category_code, code, name, unit, execution_variant, valid_from) VALUES ('test', $1, '45', $2, $2, '04', 'inspanningsgericht', '2020-01-01') RETURNING id`,
        [segmentId, code],
      )
    )[0].id as number;
  const lump = await sub('LUMP'),
    bes = await sub('BES'),
    nac = await sub('NAC');
  const pLump = await product(lump, '45L01'),
    pBes = await product(bes, '45B01');
  const [{ id: p45a03 }] = await db.query(`SELECT id FROM product WHERE code = '45A03'`);
  const [{ id: p45a04 }] = await db.query(`SELECT id FROM product WHERE code = '45A04'`);
  const declare = (provider: number, productId: number, volume: number, tariff: number) =>
    db.query(
      `INSERT INTO declaration_line (municipality_code, provider_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents, source)
     VALUES ($1, $2, $3, '2026-03-01', '2026-03-31', $4, '04', $5, $6, 'demo')`,
      [MUNICIPALITY, provider, productId, volume, tariff, volume * tariff],
    );
  await declare(a, p45a03, 10, 1250); // A, no contract: P*Q € 125,00
  await declare(b, p45a04, 4, 1500); // B, P*Q contract: € 60,00
  await declare(a, pLump, 20, 1500); // A under its lumpsum: € 300,00 declared, not the cost
  await declare(a, pBes, 3, 10000); // A's use of its availability contract: 3 × € 100,00
  await refreshFacts(db);
  await saveContractFunding(db, 'test', { ...base, providerId: b, segmentId: amb, fundingForm: 'pq', terms: {} } as any);
  lumpId = await saveContractFunding(db, 'test', {
    ...base,
    providerId: a,
    segmentId: lump,
    fundingForm: 'lumpsum',
    lumpsumCents: 1_200_000,
    bandwidthPct: 3,
    terms: {
      instalments: [
        { due: '2026-01-15', amountCents: 600_000 },
        { due: '2026-07-15', amountCents: 600_000 },
      ],
    },
  } as any);
  await saveContractFunding(db, 'test', {
    ...base,
    providerId: a,
    segmentId: bes,
    fundingForm: 'beschikbaarheid',
    terms: { reservedUnits: 2, unitLabel: 'plekken', pricePerUnitPerPeriodCents: 50_000, period: 'maand', useTariffCents: 10_000 },
  } as any);
  nacId = await saveContractFunding(db, 'test', {
    ...base,
    providerId: a,
    segmentId: nac,
    fundingForm: 'nacalculatie',
    terms: { advances: [{ due: '2026-03-01', amountCents: 400_000 }], ceilingCents: 1_000_000 },
  } as any);
  for (const due of ['2026-01-15', '2026-07-15'])
    await recordPayment(db, region, { contractId: lumpId, paidOn: due, amountCents: 600_000, kind: 'termijn', description: `termijn ${due.slice(5, 7)}` });
  await recordPayment(db, region, { contractId: nacId, paidOn: '2026-03-01', amountCents: 400_000, kind: 'voorschot' });
  await saveCostLines(
    db,
    { ...region, providerId: a },
    {
      contractId: nacId,
      year: 2026,
      lines: [
        { category: 'personeel', amountCents: 450_000, eligible: true },
        { category: 'representatie', amountCents: 20_000, eligible: false },
      ],
    },
  );
}, 180_000);
afterAll(async () => {
  await db?.close();
});

const amounts = (t: Awaited<ReturnType<typeof costs>>) => Object.fromEntries(t.rows.map((r) => [r.key, r.amountCents]));

describe('costs by funding form', () => {
  it("worked example: every form at its year's cost; declarations under a lumpsum are not its cost; declarations without a contract are P*Q", async () => {
    const t = await costs(db, region, 2026, 'bekostiging', null);
    // P*Q: B's contract € 60,00 + A's 45A03 without a contract € 125,00 = € 185,00
    // availability: 2 places × € 500 × 12 months = € 12.000 + use 3 × € 100 = € 12.300
    // lumpsum: € 12.000 (the € 300 declared under it is information, not cost)
    // real costs: € 4.500 eligible of € 4.700, under the ceiling of € 10.000 → € 4.500
    expect(amounts(t)).toEqual({ pq: 18_500, beschikbaarheid: 1_230_000, lumpsum: 1_200_000, nacalculatie: 450_000 });
    expect(t.total).toMatchObject({ key: 'TOTAAL', amountCents: 2_898_500, previousAmountCents: 0 });
    expect(t.rows.map((r) => r.label)).toEqual([
      'P × Q (inspanningsgericht)',
      'Beschikbaarheid (plus gebruik)',
      'Budget / lumpsum per aanbieder',
      'Voorschot met reële nacalculatie',
    ]);
    // the declared total of the other dimensions stays what was declared: € 125 + € 60 + € 300 + € 300 = € 785
    expect((await costs(db, region, 2026, 'segment', null)).total.amountCents).toBe(78_500);
  });

  it('a provider sees its own contracts only; declarations of its own without a contract stay P*Q', async () => {
    const t = await costs(db, { ...region, providerId: a }, 2026, 'bekostiging', null);
    expect(amounts(t)).toEqual({ pq: 12_500, beschikbaarheid: 1_230_000, lumpsum: 1_200_000, nacalculatie: 450_000 });
    const tb = await costs(db, { ...region, providerId: b }, 2026, 'bekostiging', null);
    expect(amounts(tb)).toEqual({ pq: 6_000 });
  });

  it("the drill-down reaches the rows behind each figure: instalments, advances, cost lines, and the declarations' filter", async () => {
    const lump = await fundingFormRows(db, region, 2026, 'lumpsum');
    expect(lump).toHaveLength(1);
    expect(lump[0]).toMatchObject({ segmentCode: 'LUMP', amountCents: 1_200_000, paidCents: 1_200_000, declaredCents: 30_000, declarations: null });
    expect(lump[0].payments.map((p) => [p.paidOn, p.kind, p.amountCents])).toEqual([
      ['2026-01-15', 'termijn', 600_000],
      ['2026-07-15', 'termijn', 600_000],
    ]);
    const nac = (await fundingFormRows(db, region, 2026, 'nacalculatie'))[0];
    expect(nac.payments.map((p) => [p.kind, p.amountCents])).toEqual([['voorschot', 400_000]]);
    expect(nac.costLines).toEqual([
      { category: 'personeel', amountCents: 450_000, eligible: true },
      { category: 'representatie', amountCents: 20_000, eligible: false },
    ]);
    expect(nac).toMatchObject({ amountCents: 450_000, outcomeCents: 450_000, paidCents: 400_000 });
    // the forms paid per client lead to monitoring's declaration drill-down (segment and provider)
    const pq = await fundingFormRows(db, region, 2026, 'pq');
    expect(pq.map((c) => [c.agb, c.amountCents, c.declarations])).toEqual([['99999999', 6_000, { segment: 'AMB', aanbieder: '99999999' }]]);
    const bes = (await fundingFormRows(db, region, 2026, 'beschikbaarheid'))[0];
    expect(bes).toMatchObject({ amountCents: 1_230_000, declaredCents: 30_000, declarations: { segment: 'AMB', aanbieder: expect.any(String) } });
    // every form's contracts: their amounts add up to the total less the declarations without a contract (€ 125,00)
    const all = await fundingFormRows(db, region, 2026, null);
    expect(all.reduce((s, c) => s + c.amountCents, 0)).toBe(2_898_500 - 12_500);
  });

  it("the budget report compares the budget with every form's realisation, not only the declarations", async () => {
    const [{ id: amb }] = await db.query(`SELECT id FROM segment WHERE code = 'AMB'`);
    await db.query(`INSERT INTO budget (municipality_code, segment_id, year, amount_cents) VALUES ($1, $2, 2026, $3)`, [MUNICIPALITY, amb, 3_000_000]);
    // a closed year: declared € 785; realised € 28.985 (the costs by funding form above); budget € 30.000 → −3,4%, within 5%
    const full = await budgetReport(db, region as any, 2026, 12, 5);
    const cell = full.cells.find((c) => c.segmentCode === 'AMB')!;
    expect(cell).toMatchObject({
      budgetCents: 3_000_000,
      declaredCents: 78_500,
      realisedCents: 2_898_500,
      forecastCents: 2_898_500,
      deviationCents: -101_500,
      deviationPct: -3.4,
      flag: 'binnen',
    });
    // through June: the declarations to date (all in March) + the contracts' year figures pro rata 6/12:
    // € 785 + (€ 28.985 − € 785) / 2 = € 14.885, forecast × 2 = € 29.770
    const half = (await budgetReport(db, region as any, 2026, 6, 5)).cells.find((c) => c.segmentCode === 'AMB')!;
    expect(half).toMatchObject({ declaredCents: 78_500, realisedCents: 1_488_500, forecastCents: 2_977_000 });
    // before: the declarations alone gave a forecast of € 785 against € 30.000 (−97%, 'onder')
  });

  it('a cost statement from CSV: per-row errors and nothing stored, or every line stored and the figure follows', async () => {
    const mine = { ...region, providerId: a };
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM funding_cost_line`))[0].n;
    const before = await count();
    // bad: an amount below zero, a contract on a lumpsum, a contract that is not the caller's, a word for subsidiabel
    const bad = await parseCostLinesCsv(
      `contract;jaar;categorie;bedrag (euro);subsidiabel\n${nacId};2026;huisvesting;-5,00;ja\n${nacId};2026;materieel;100;misschien\n`,
    );
    expect(bad.errors).toEqual([
      { line: 2, field: 'bedrag (euro)', detail: "'-5,00' is geen bedrag in euro's ≥ 0 (bv. 610000,00)" },
      { line: 3, field: 'subsidiabel', detail: "'misschien': ja of nee" },
    ]);
    const parsed = await parseCostLinesCsv(
      `contract;jaar;categorie;bedrag (euro);subsidiabel\n${nacId};2026;huisvesting;1.000,00;ja\n${lumpId};2026;personeel;10;\n`,
    );
    expect(parsed.errors).toEqual([]);
    await expect(importCostLines(db, mine, parsed.groups)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining(`regel 3, contract: contract ${lumpId} is lumpsum, geen reële nacalculatie`),
    });
    await expect(
      importCostLines(
        db,
        { ...region, providerId: b },
        (await parseCostLinesCsv(`contract;jaar;categorie;bedrag (euro)\n${nacId};2026;huisvesting;10\n`)).groups,
      ),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('regel 2, contract:') });
    expect(await count()).toBe(before);
    // good: € 1.000 housing eligible, € 50 drinks not → real costs € 4.500 + € 1.000 = € 5.500
    const good = await parseCostLinesCsv(
      `contract;jaar;categorie;bedrag (euro);subsidiabel\n${nacId};2026;huisvesting;1.000,00;ja\n${nacId};2026;borrel;50;nee\n`,
    );
    expect(await importCostLines(db, mine, good.groups)).toBe(2);
    expect(amounts(await costs(db, region, 2026, 'bekostiging', null)).nacalculatie).toBe(550_000);
  });
});
