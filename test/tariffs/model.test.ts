// The cost-price model as plain functions: the worked example of seed 001, the build-up adding up to the tariff,
// and properties over random norms (fast-check): monotone in intensity, 0% indexation changes nothing, rounding
// stays within the bounds of docs/tariffs.md.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import figures from '../../src/demo/figures.json' with { type: 'json' };
import {
  bandProductNorm,
  buildGezinshuisTariff,
  buildProductTariff,
  classify,
  classifyGroups,
  Dec,
  indexCents,
  indexFactor,
  intensity,
  intensityRounded,
  linePrice,
  TariffInputError,
  validateBandTable,
  weightedIndex,
  type NormSetBody,
  type ProductNorm,
} from '../../src/tariffs/model.ts';
import { CalcInput } from '../../src/tariffs/schema.ts';
import { exampleBandTable, exampleNormSet, exampleNormSetV2 } from '../../src/tariffs/demo.ts';
import { readFileSync } from 'node:fs';

const norms = exampleNormSet().body;
const bands = exampleBandTable().body;
const product = (code: string) => norms.products.find((p) => p.code === code)!;
const sumSteps = (b: { steps: { cents: number }[] }) => b.steps.reduce((a, s) => a + s.cents, 0);

describe('verblijfsintensiteit (001 §1)', () => {
  it('200 roster hours a week for 6 places is 4.76 hours per youth per etmaal, not the "3,6" printed in seed 001', () => {
    const ex = figures.verblijfsintensiteit_example.example_as_written;
    expect(intensityRounded(ex.hours_per_week, ex.places).toFixed(2)).toBe('4.76');
    expect(intensity(200, 6).toFixed(6)).toBe('4.761905');
    expect(intensityRounded(ex.hours_per_week, ex.places).toNumber()).not.toBe(ex.result_as_written);
    // the slip: 150 hours or 8 places would give the 3.57 the document meant
    expect(intensityRounded(150, 6).toFixed(2)).toBe('3.57');
    expect(intensityRounded(200, 8).toFixed(2)).toBe('3.57');
  });

  it('classifies on the intensity as shown (two decimals): 4.76 falls in middelzwaar (from 4.5), 4.499 rounds to 4.50', () => {
    const i = classify(bands.bands, intensityRounded(200, 6));
    expect(bands.bands[i].name).toBe('middelzwaar');
    expect(bands.bands[i].productCode).toBe('43A37');
    // 188.958 h / 6 / 7 = 4.4990 → 4.50 → middelzwaar; 188.9 h → 4.4976 → 4.50 as well; 188.7 h → 4.49 → middel
    expect(bands.bands[classify(bands.bands, intensityRounded('188.958', 6))].name).toBe('middelzwaar');
    expect(bands.bands[classify(bands.bands, intensityRounded('188.7', 6))].name).toBe('middel');
    expect(classifyGroups(bands.bands, [{ id: 1, hoursPerWeek: null, places: 6 }])[0].band).toBe(-1);
    expect(() => intensity(200, 0)).toThrow(TariffInputError);
  });

  it('a band table must start at 0, rise, hold its norm intensity inside each band, and give a higher tariff to a heavier band', () => {
    const { tariffs } = validateBandTable(norms, bands);
    expect(tariffs.map((t) => t.code)).toEqual(['43A35', '43A36', '43A37', '43A38', '43A39']);
    for (let i = 1; i < tariffs.length; i++) expect(tariffs[i].tariffCents).toBeGreaterThan(tariffs[i - 1].tariffCents);
    const moved = structuredClone(bands);
    moved.bands[2].lowerLimit = '2.5';
    expect(() => validateBandTable(norms, moved)).toThrow(/hoger zijn dan die van de klasse ervoor/);
    const outside = structuredClone(bands);
    outside.bands[1].norms.normIntensity = '5';
    expect(() => validateBandTable(norms, outside)).toThrow(/ligt niet in de klasse/);
    const cheaper = structuredClone(bands);
    cheaper.bands[4].norms = {
      ...cheaper.bands[0].norms,
      normIntensity: '9.5',
      housingCentsPerPlacePerYear: 0,
      mix: [{ functionId: 'mbo-groep', share: '1' }],
      productivity: '1',
    };
    cheaper.bands[4].norms.normIntensity = '8';
    expect(() => validateBandTable(norms, cheaper)).toThrow(/hogere intensiteit geeft een hoger tarief/);
  });
});

describe('cost-price build-up', () => {
  it('goes salary → allowances → social charges → productivity → overhead → risk, and the steps add up to the tariff to the cent', () => {
    for (const p of norms.products) {
      const b = buildProductTariff(norms, p);
      expect(sumSteps(b), p.code).toBe(b.totalCents);
      expect(b.directCents + b.overheadCents + b.riskCents).toBe(b.totalCents);
      expect(b.steps.map((s) => s.key).slice(0, 4)).toEqual(['salaris', 'toeslagen', 'sociale_lasten', 'productiviteit']);
      expect(b.steps.slice(-2).map((s) => s.key)).toEqual(['overhead', 'risico']);
      expect(b.unit === 'minuut' ? b.tariffCents : b.totalCents).toBe(b.tariffCents);
    }
  });

  it('explains an hour of 45A53 from the salary tables: employer cost per paid hour, divided by productivity', () => {
    const b = buildProductTariff(norms, product('45A53'));
    const gz = b.functions.find((f) => f.functionId === 'gz-psycholoog')!;
    // schaal 12 trede 6 = € 4.744,00 a month; × 12; + 8% + 8,33% (no ORT); + 26% social charges; / 1878 h
    expect(gz.monthlySalary).toBe('474400');
    expect(gz.annualSalary).toBe('5692800');
    const employer = new Dec(5692800).times(1.1633).times(1.26);
    expect(new Dec(gz.employerCostPerYear).minus(employer).abs().lt(0.000001)).toBe(true);
    expect(new Dec(gz.perPaidHour).toFixed(2)).toBe(employer.div(1878).toFixed(2));
    const staff = b.steps.filter((s) => s.category === 'a_personeel_clientgebonden').reduce((a, s) => a.plus(s.exactCents), new Dec(0));
    const gw = b.functions.find((f) => f.functionId === 'gedragswetenschapper')!;
    const expected = new Dec(gz.perPaidHour).times('0.5').plus(new Dec(gw.perPaidHour).times('0.5')).div('0.55');
    expect(staff.minus(expected).abs().lt(0.0001)).toBe(true);
    expect(b.steps.find((s) => s.key === 'productiviteit')!.explanation).toContain('55%');
    expect(b.overheadPct).toBe('28');
  });

  it('a minute tariff is the hour tariff / 60 rounded to cents (iJW IV081), and prices a declaration line the same way', () => {
    const hour = buildProductTariff(norms, product('45A53'));
    const minute = buildProductTariff(norms, { ...product('45A53'), unit: 'minuut' });
    expect(minute.totalCents).toBe(hour.totalCents);
    expect(minute.costUnit).toBe('uur');
    expect(minute.tariffCents).toBe(new Dec(hour.totalCents).div(60).toDecimalPlaces(0).toNumber());
    expect(minute.unitCode).toBe('01');
    expect(linePrice(45, '01', '04', hour.tariffCents)).toBe(new Dec(45).times(hour.tariffCents).div(60).toDecimalPlaces(0).toNumber());
    expect(linePrice(3, '04', '04', 1000)).toBe(3000);
    expect(linePrice(1, '83', '83', 1000)).toBeNull();
  });

  it('builds an etmaal from the band norms: intensity × mix, staff per group, housing over occupied days, care costs', () => {
    const band = bands.bands[2];
    const b = buildProductTariff(norms, bandProductNorm(band));
    expect(b.unit).toBe('etmaal');
    expect(b.steps.map((s) => s.key)).toContain('personeel_indirect');
    const housing = b.steps.find((s) => s.key === 'huisvesting')!;
    expect(new Dec(housing.exactCents).toFixed(4)).toBe(new Dec(band.norms.housingCentsPerPlacePerYear).div(365).div('0.9').toFixed(4));
    expect(b.steps.find((s) => s.key === 'overige_kosten')!.cents).toBe(band.norms.careCostsCentsPerDay);
    expect(sumSteps(b)).toBe(b.tariffCents);
  });

  it('builds a gezinshuis per home from the national building blocks; a home with more children spreads the parents over more days', () => {
    const { code, ...standard } = norms.gezinshuis!;
    const four = buildGezinshuisTariff(norms, standard, code);
    const six = buildGezinshuisTariff(norms, { ...standard, places: 6 }, code);
    expect(sumSteps(four)).toBe(four.tariffCents);
    expect(four.steps.map((s) => s.key)).toEqual([
      'gezinshuisouders',
      'gedragswetenschapper',
      'ondersteuning',
      'zorgzwaarte',
      'respijt',
      'overige_kosten',
      'huisvesting',
      'overhead',
      'risico',
    ]);
    expect(six.tariffCents).toBeLessThan(four.tariffCents);
    const zzp = buildGezinshuisTariff(norms, { ...standard, parents: { mode: 'zzp', feeCentsPerYear: 9_000_000 } }, code);
    expect(zzp.steps[0].explanation).toContain('zzp');
    expect(() => buildGezinshuisTariff(norms, { ...standard, occupancyPct: '0' }, code)).toThrow(/bezetting van 0%/);
  });

  it('names the field when input is wrong', () => {
    expect(() => buildProductTariff(norms, { ...product('45A52'), productivity: '1.2' })).toThrow(/productiviteit/);
    expect(() => buildProductTariff(norms, { ...product('45A52'), mix: [{ functionId: 'hbo-ambulant', share: '0.7' }] })).toThrow(/tellen op tot 70%/);
    expect(() => buildProductTariff(norms, { ...product('45A52'), mix: [{ functionId: 'onbekend', share: '1' }] })).toThrow(/Functie 'onbekend'/);
    const bad = { ...norms, functions: norms.functions.map((f) => (f.id === 'hbo-ambulant' ? { ...f, step: 99 } : f)) };
    expect(() => buildProductTariff(bad, product('45A52'))).toThrow(/treden 0 t\/m 10/);
    try {
      buildProductTariff(norms, { ...product('45A52'), otherCentsPerUnit: -1 });
    } catch (e) {
      expect((e as TariffInputError).field).toContain('overige');
    }
  });

  it("the example input file of the CLI is valid and gives the norm set's tariff", () => {
    const input = CalcInput.parse(JSON.parse(readFileSync('examples/tariff-calc.json', 'utf8')));
    const p = input.product ?? input.norms.products.find((x) => x.code === input.productCode)!;
    expect(buildProductTariff(input.norms as NormSetBody, p as ProductNorm).tariffCents).toBeGreaterThan(0);
  });
});

// --- properties ------------------------------------------------------------------------------------------------

const pctArb = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((n) => (n / 100).toFixed(2));
const normsArb = fc
  .record({
    salaries: fc.array(fc.integer({ min: 150_000, max: 900_000 }), { minLength: 2, maxLength: 2 }),
    holiday: pctArb(10),
    yearEnd: pctArb(10),
    social: pctArb(40),
    overhead: pctArb(40),
    risk: pctArb(10),
    ort: pctArb(20),
    hoursPerFte: fc.integer({ min: 1000, max: 2100 }),
  })
  .map(
    (r): NormSetBody => ({
      ...norms,
      hoursPerFte: String(r.hoursPerFte),
      holidayPayPct: r.holiday,
      yearEndBonusPct: r.yearEnd,
      socialChargesPct: r.social,
      overheadPct: r.overhead,
      riskPct: r.risk,
      scales: [
        { scale: 'A', steps: [r.salaries[0]] },
        { scale: 'B', steps: [r.salaries[1]] },
      ],
      functions: [
        { id: 'a', name: 'A', scale: 'A', step: 0, irregularPct: r.ort },
        { id: 'b', name: 'B', scale: 'B', step: 0, irregularPct: '0' },
      ],
    }),
  );
const etmaalArb = fc
  .record({
    share: fc.integer({ min: 0, max: 100 }),
    productivity: fc.integer({ min: 30, max: 100 }),
    places: fc.integer({ min: 1, max: 12 }),
    fte: fc.integer({ min: 0, max: 200 }),
    housing: fc.integer({ min: 0, max: 3_000_000 }),
    care: fc.integer({ min: 0, max: 5000 }),
    occupancy: fc.integer({ min: 50, max: 100 }),
  })
  .map(
    (r): Omit<ProductNorm, 'hoursPerUnit'> => ({
      code: '43A37',
      name: 'x',
      unit: 'etmaal',
      productivity: (r.productivity / 100).toFixed(2),
      otherCentsPerUnit: r.care,
      groupPlaces: r.places,
      mix: [
        { functionId: 'a', share: (r.share / 100).toFixed(2) },
        { functionId: 'b', share: ((100 - r.share) / 100).toFixed(2) },
      ],
      indirect: [{ functionId: 'b', ftePerGroup: (r.fte / 100).toFixed(2) }],
      housingCentsPerPlacePerYear: r.housing,
      occupancyPct: String(r.occupancy),
    }),
  );
const hoursArb = fc.integer({ min: 0, max: 2400 }).map((n) => (n / 100).toFixed(2)); // 0–24 h per etmaal

describe('properties', () => {
  it('a higher intensity never gives a lower tariff', () => {
    fc.assert(
      fc.property(normsArb, etmaalArb, hoursArb, hoursArb, (n, p, h1, h2) => {
        const [lo, hi] = new Dec(h1).lte(h2) ? [h1, h2] : [h2, h1];
        expect(buildProductTariff(n, { ...p, hoursPerUnit: lo }).tariffCents).toBeLessThanOrEqual(
          buildProductTariff(n, { ...p, hoursPerUnit: hi }).tariffCents,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('classifying by the band table never puts a higher intensity in a cheaper band', () => {
    const { tariffs } = validateBandTable(norms, bands);
    const roster = fc.tuple(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 1, max: 12 }));
    fc.assert(
      fc.property(roster, roster, ([h1, p1], [h2, p2]) => {
        const [a, b] = [intensityRounded(new Dec(h1).div(100).toString(), p1), intensityRounded(new Dec(h2).div(100).toString(), p2)];
        const [lo, hi] = a.lte(b) ? [a, b] : [b, a];
        expect(tariffs[classify(bands.bands, lo)].tariffCents).toBeLessThanOrEqual(tariffs[classify(bands.bands, hi)].tariffCents);
      }),
      { numRuns: 500 },
    );
  });

  it('the steps always add up to the tariff, and the tariff stays within the documented bound of the exact value', () => {
    fc.assert(
      fc.property(normsArb, etmaalArb, hoursArb, (n, p, h) => {
        const b = buildProductTariff(n, { ...p, hoursPerUnit: h });
        expect(sumSteps(b)).toBe(b.tariffCents);
        // bound = ½ × ((1+o)(1+r) + (1+r) + 1) cents
        const o = new Dec(n.overheadPct).div(100),
          r = new Dec(n.riskPct).div(100);
        const bound = o.plus(1).times(r.plus(1)).plus(r.plus(1)).plus(1).div(2);
        expect(new Dec(b.boundCents).eq(bound)).toBe(true);
        expect(new Dec(b.totalCents).minus(b.exactCents).abs().lte(bound.plus('0.000001'))).toBe(true);
        for (const s of b.steps.filter((x) => x.key !== 'overhead' && x.key !== 'risico')) expect(new Dec(s.cents).minus(s.exactCents).abs().lt(1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('indexation of 0% changes nothing, also with a correction that cancels out', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 40 }), pctArb(15), (set, p) => {
        expect(set.map((c) => indexCents(c, indexFactor('0')))).toEqual(set);
        expect(set.map((c) => indexCents(c, indexFactor('0', { provisionalPct: p, definitivePct: p })))).toEqual(set);
      }),
    );
  });

  it("an indexed set's total drifts from the exact indexed total by at most half a cent per tariff, and a year's cost by half a cent per unit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 500 })), { minLength: 1, maxLength: 40 }),
        pctArb(15),
        pctArb(15),
        pctArb(15),
        (lines, p, pp, pd) => {
          const f = indexFactor(p, { provisionalPct: pp, definitivePct: pd });
          const indexed = lines.map(([c]) => indexCents(c, f));
          const exactSum = lines.reduce((a, [c]) => a.plus(new Dec(c).times(f)), new Dec(0));
          expect(new Dec(indexed.reduce((a, b) => a + b, 0)).minus(exactSum).abs().lte(new Dec(lines.length).div(2))).toBe(true);
          const volume = lines.reduce((a, [, v]) => a + v, 0);
          const cost = lines.reduce((a, [, v], i) => a + v * indexed[i], 0);
          const exactCost = lines.reduce((a, [c, v]) => a.plus(new Dec(c).times(f).times(v)), new Dec(0));
          expect(new Dec(cost).minus(exactCost).abs().lte(new Dec(volume).div(2))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('indexation', () => {
  it("weighs OVA 90% and PCC 10%; next year is corrected by last year's definitive index", () => {
    expect(
      weightedIndex([
        { name: 'OVA', weight: '0.9', pct: '4.10' },
        { name: 'PCC', weight: '0.1', pct: '2.50' },
      ]).toString(),
    ).toBe('3.94');
    expect(() => weightedIndex([{ name: 'OVA', weight: '0.9', pct: '4' }])).toThrow(/tellen op tot 90%/);
    const f = indexFactor('5', { provisionalPct: '2', definitivePct: '3' });
    expect(f.toFixed(10)).toBe(new Dec('1.05').times('1.03').div('1.02').toFixed(10));
    // two years with the correction end where the definitive indices would have taken the tariff
    const t0 = 100_000;
    const y1 = new Dec(t0).times('1.02'),
      y2 = y1.times(f);
    expect(y2.toFixed(6)).toBe(new Dec(t0).times('1.03').times('1.05').toFixed(6));
  });

  it('version 2 of the example norms raises every salary step by the stated percentage', () => {
    const v2 = exampleNormSetV2(norms);
    expect(v2.scales[1].steps[0]).toBe(new Dec(norms.scales[1].steps[0]).times('1.075').toDecimalPlaces(0).toNumber());
    expect(buildProductTariff(v2, product('45A53')).tariffCents).toBeGreaterThan(buildProductTariff(norms, product('45A53')).tariffCents);
  });
});
