// The settlement rules per funding form: worked examples with their numbers, a case that breaks each rule, and
// properties (fast-check): shares add up to the cost to the cent; paid + settlement = the agreed outcome; a
// trajectory is never paid more than its price across credit lines and re-declarations.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  settlePQ,
  settleProfile,
  settleTrajectory,
  settleAvailability,
  settleLumpsum,
  settleRealCosts,
  shareCost,
  splitLargestRemainder,
  mulDivRound,
  momentAmounts,
  acceptTrajectoryLine,
  judgeBillingMoment,
  bandPosition,
  FundingRuleError,
  commitmentCents,
} from '../../src/funding/rules.ts';

const last = (s: { steps: { label: string; amountCents: number }[] }) => s.steps[s.steps.length - 1];

describe('P*Q', () => {
  it('worked example: 10 hours × € 95,00 plus 3 days × € 210,50, one hour credited', () => {
    const s = settlePQ({
      lines: [
        { volume: 10, tariffCents: 9500, debitCredit: 'D' },
        { volume: 3, tariffCents: 21050, debitCredit: 'D' },
        { volume: 1, tariffCents: 9500, debitCredit: 'C' },
      ],
      paidCents: 150_000,
    });
    // 95.000 + 63.150 − 9.500 = 148.650; paid 150.000 → reclaim 1.350
    expect(s.outcomeCents).toBe(148_650);
    expect(s.settlementCents).toBe(-1_350);
    expect(last(s).label).toBe('Terug te vorderen');
  });
  it('breaks on a negative volume, naming the line', () => {
    expect(() => settlePQ({ lines: [{ volume: -1, tariffCents: 100, debitCredit: 'D' }], paidCents: 0 })).toThrow(/regels\[0\]\.volume/);
  });
});

describe('fixed tariff per profile', () => {
  const tariffs = [
    { profile: 'A', validFrom: '2024-01-01', validTo: '2024-07-01', tariffCents: 150_000 },
    { profile: 'A', validFrom: '2024-07-01', validTo: null, tariffCents: 156_000 },
    { profile: 'B', validFrom: '2024-01-01', validTo: null, tariffCents: 280_000 },
  ];
  it('worked example: profile A 6 months at € 1.500 and 6 at € 1.560 (indexed in July), profile B 4 months at € 2.800', () => {
    const s = settleProfile({
      tariffs,
      paidCents: 2_000_000,
      delivered: [
        { profile: 'A', periodStart: '2024-03-01', periods: 6 },
        { profile: 'A', periodStart: '2024-09-01', periods: 6 },
        { profile: 'B', periodStart: '2024-02-01', periods: 4 },
      ],
    });
    // A: 6 × 150.000 + 6 × 156.000 = 1.836.000; B: 4 × 280.000 = 1.120.000; total 2.956.000
    expect(s.steps.find((x) => x.label === 'Profiel A')!.amountCents).toBe(1_836_000);
    expect(s.outcomeCents).toBe(2_956_000);
    expect(s.settlementCents).toBe(956_000);
  });
  it('breaks on a profile without a tariff for the period', () => {
    expect(() => settleProfile({ tariffs, paidCents: 0, delivered: [{ profile: 'C', periodStart: '2024-03-01', periods: 1 }] })).toThrow(
      /profiel C: geen tarief/,
    );
    expect(() => settleProfile({ tariffs, paidCents: 0, delivered: [{ profile: 'A', periodStart: '2023-12-01', periods: 1 }] })).toThrow(
      /geldig op 2023-12-01/,
    );
  });
});

describe('fixed price per trajectory', () => {
  it('worked example: € 4.999,99 per trajectory, 50% at start and 50% at the end; three trajectories', () => {
    // 499.999 × 50% = 249.999,5 twice: equal remainders, the odd cent goes to the earlier moment: 250.000 + 249.999
    expect(
      momentAmounts(499_999, [
        { moment: 'start', pct: 50 },
        { moment: 'einde', pct: 50 },
      ]),
    ).toEqual([250_000, 249_999]);
    const s = settleTrajectory({
      priceCents: 499_999,
      moments: [
        { moment: 'start', pct: 50 },
        { moment: 'einde', pct: 50 },
      ],
      yearEnd: '2024-12-31',
      trajectories: [
        { id: 't1', start: '2024-02-01', end: '2024-09-30' },
        { id: 't2', start: '2024-06-01', end: null },
        { id: 't3', start: '2024-11-01', end: '2025-02-28' },
      ],
      payments: [
        { trajectoryId: 't1', amountCents: 250_000, debitCredit: 'D' },
        { trajectoryId: 't2', amountCents: 250_000, debitCredit: 'D' },
      ],
    });
    // due: t1 full price 499.999, t2 start 250.000, t3 start 250.000 → 999.999; paid 500.000 → 499.999 to pay
    expect(s.outcomeCents).toBe(999_999);
    expect(s.paidCents).toBe(500_000);
    expect(s.settlementCents).toBe(499_999);
  });
  it('reclaims a trajectory paid twice', () => {
    const s = settleTrajectory({
      priceCents: 100_000,
      moments: [{ moment: 'einde', pct: 100 }],
      yearEnd: '2024-12-31',
      trajectories: [{ id: 't', start: '2024-01-01', end: '2024-03-31' }],
      payments: [
        { trajectoryId: 't', amountCents: 100_000, debitCredit: 'D' },
        { trajectoryId: 't', amountCents: 100_000, debitCredit: 'D' },
      ],
    });
    expect(s.outcomeCents).toBe(100_000);
    expect(s.settlementCents).toBe(-100_000);
    expect(s.warnings[0]).toMatch(/meer betaald/);
  });
  it('breaks on billing moments that do not add up to 100%, and refuses a second full declaration', () => {
    expect(() =>
      momentAmounts(1000, [
        { moment: 'start', pct: 50 },
        { moment: 'einde', pct: 40 },
      ]),
    ).toThrow(FundingRuleError);
    expect(acceptTrajectoryLine(100_000, 100_000, { amountCents: 100_000, debitCredit: 'D' })).toEqual({
      ok: false,
      reason: 'het traject zou meer dan zijn prijs betaald krijgen',
    });
    expect(acceptTrajectoryLine(100_000, 0, { amountCents: 1, debitCredit: 'C' }).ok).toBe(false);
  });
  it('property: across any order of declarations, credits and re-declarations, a trajectory is never paid more than its price', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.record({ amountCents: fc.integer({ min: 0, max: 12_000_000 }), debitCredit: fc.constantFrom<'D' | 'C'>('D', 'C') }), { maxLength: 40 }),
        (price, lines) => {
          let net = 0;
          for (const l of lines) {
            const r = acceptTrajectoryLine(price, net, l);
            if (r.ok) net = r.netPaidCents;
            expect(net).toBeGreaterThanOrEqual(0);
            expect(net).toBeLessThanOrEqual(price);
          }
        },
      ),
    );
  });
});

describe('billing moments at the door (fixed price per trajectory)', () => {
  // € 4.999,99 at 50% end / 50% start, as the terms list them: split in that order by largest remainder, € 2.500,00 for
  // the end and € 2.499,99 for the start; billed start first
  const terms = {
    priceCents: 499_999,
    billingMoments: [
      { moment: 'einde' as const, pct: 50 },
      { moment: 'start' as const, pct: 50 },
    ],
  };
  const april = { periodStart: '2024-04-01', periodEnd: '2024-04-30' };
  const D = (amountCents: number, period = april) => ({ amountCents, debitCredit: 'D' as const, ...period });
  const trajectory = { start: '2024-04-10', end: '2024-09-20' };
  it('worked example: the start share once it started, the end share once it ended, or both in one line', () => {
    expect(momentAmounts(terms.priceCents, terms.billingMoments)).toEqual([250_000, 249_999]);
    expect(judgeBillingMoment(terms, 0, D(249_999), trajectory)).toBeNull();
    expect(judgeBillingMoment(terms, 249_999, D(250_000, { periodStart: '2024-09-01', periodEnd: '2024-09-30' }), trajectory)).toBeNull();
    // started and ended within the period: the whole price in one line
    expect(judgeBillingMoment(terms, 0, D(499_999), { start: '2024-04-02', end: '2024-04-28' })).toBeNull();
    // a credit is not judged here (BK003 keeps it within what was paid); after crediting the start share it is billed again
    expect(judgeBillingMoment(terms, 249_999, { ...D(249_999), debitCredit: 'C' }, trajectory)).toBeNull();
    // paid off a boundary (a credit of the start share after both were paid): a line that brings it back onto the price
    expect(judgeBillingMoment(terms, 250_000, D(249_999, { periodStart: '2024-09-01', periodEnd: '2024-09-30' }), trajectory)).toBeNull();
  });
  it("breaks: a share that is no moment's (0611), the end share before the end (9326), the start share before the start (9307)", () => {
    expect(judgeBillingMoment(terms, 0, D(250_000), trajectory)).toMatchObject({
      code: 'BK004',
      retourcode: '0611',
      text: 'traject: € 2500,00 is niet het bedrag van een afgesproken declaratiemoment (50% bij de start, 50% bij het einde van € 4999,99); nu te declareren: € 2499,99 (50% bij de start)',
    });
    expect(judgeBillingMoment(terms, 0, D(100_000), trajectory)?.retourcode).toBe('0611');
    expect(judgeBillingMoment(terms, 249_999, D(250_000), trajectory)).toMatchObject({
      code: 'BK004',
      retourcode: '9326',
      text: 'traject: het eindmoment (50% bij het einde) is in de productperiode 2024-04-01 t/m 2024-04-30 nog niet bereikt: het traject eindigt op 2024-09-20',
    });
    expect(judgeBillingMoment(terms, 249_999, D(250_000), { start: '2024-04-10', end: null })?.text).toMatch(/is nog niet beëindigd$/);
    expect(judgeBillingMoment(terms, 0, D(499_999), trajectory)?.retourcode).toBe('9326'); // both at once before the end
    expect(judgeBillingMoment(terms, 0, D(249_999, { periodStart: '2024-03-01', periodEnd: '2024-03-31' }), trajectory)).toMatchObject({
      code: 'BK004',
      retourcode: '9307',
    });
  });
  it('monthly: a moment is declared over the period in which it was reached, not later', () => {
    const monthly = { priceCents: 120_000, billingMoments: [{ moment: 'einde' as const, pct: 100 }], monthly: true };
    const t = { start: '2024-01-15', end: '2024-03-20' };
    expect(judgeBillingMoment(monthly, 0, D(120_000, { periodStart: '2024-03-01', periodEnd: '2024-03-20' }), t)).toBeNull();
    expect(judgeBillingMoment(monthly, 0, D(120_000, { periodStart: '2024-04-01', periodEnd: '2024-04-30' }), t)).toMatchObject({
      retourcode: '9308',
      text: 'traject: maandelijks declareren: het eindmoment (100% bij het einde) viel op 2024-03-20, niet in de productperiode 2024-04-01 t/m 2024-04-30; declareer het over die maand',
    });
    expect(judgeBillingMoment(monthly, 0, D(120_000, { periodStart: '2024-02-01', periodEnd: '2024-02-29' }), t)?.retourcode).toBe('9326');
    // the start moment too: a trajectory that started in January has its start share declared over January
    const halves = {
      priceCents: 120_000,
      billingMoments: [
        { moment: 'start' as const, pct: 50 },
        { moment: 'einde' as const, pct: 50 },
      ],
      monthly: true,
    };
    expect(judgeBillingMoment(halves, 0, D(60_000, { periodStart: '2024-01-15', periodEnd: '2024-01-31' }), t)).toBeNull();
    expect(judgeBillingMoment(halves, 0, D(60_000, { periodStart: '2024-02-01', periodEnd: '2024-02-29' }), t)).toMatchObject({
      code: 'BK004',
      retourcode: '9307',
    });
    // without `monthly` the same late line passes (the standard's OP368 keeps it within the allocation)
    expect(judgeBillingMoment({ ...monthly, monthly: false }, 0, D(120_000, { periodStart: '2024-04-01', periodEnd: '2024-04-30' }), t)).toBeNull();
  });
  it('property: the accepted debits of a trajectory always end on a moment boundary and never pass the price', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(
          fc.record({ pick: fc.integer({ min: 0, max: 3 }), odd: fc.integer({ min: 1, max: 10_000_000 }), dc: fc.constantFrom<'D' | 'C'>('D', 'D', 'C') }),
          { maxLength: 30 },
        ),
        (price, startPct, ops) => {
          const moments = [
            { moment: 'start' as const, pct: startPct },
            { moment: 'einde' as const, pct: 100 - startPct },
          ];
          const shares = momentAmounts(price, moments);
          const bounds = new Set([0, shares[0], shares[0] + shares[1]]);
          let net = 0;
          for (const o of ops) {
            const amount = [shares[0], shares[1], price, o.odd][o.pick];
            const line = { amountCents: amount, debitCredit: o.dc, periodStart: '2024-06-01', periodEnd: '2024-06-30' };
            const t = acceptTrajectoryLine(price, net, line);
            if (!t.ok || judgeBillingMoment({ priceCents: price, billingMoments: moments }, net, line, { start: '2024-01-01', end: '2024-06-15' })) continue;
            net = t.netPaidCents;
            if (o.dc === 'D' && amount > 0) expect(bounds.has(net)).toBe(true); // (a zero line moves nothing)
            expect(net).toBeGreaterThanOrEqual(0);
            expect(net).toBeLessThanOrEqual(price);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('availability funding', () => {
  it('worked example (Twente crisis beds): 4 beds × € 4.000 a month × 12, plus 1.168 etmalen × € 525', () => {
    const s = settleAvailability({
      reservedUnits: 4,
      pricePerUnitPerPeriodCents: 400_000,
      periods: 12,
      useTariffCents: 52_500,
      usedUnits: 1_168,
      unitDaysAvailable: 4 * 365,
      unitDaysUsed: 1_168,
      paidCents: 19_200_000 + 61_000_000,
    });
    // availability 19.200.000; use 61.320.000; outcome 80.520.000; paid 80.200.000 → 320.000 to pay; occupancy 80%
    expect(s.outcomeCents).toBe(80_520_000);
    expect(s.settlementCents).toBe(320_000);
    expect(s.steps.find((x) => x.label === 'Bezetting')!.detail).toMatch(/^80%/);
  });
  it('pays the reserved capacity when nothing is used, and warns about low occupancy', () => {
    const s = settleAvailability({
      reservedUnits: 2,
      pricePerUnitPerPeriodCents: 100_000,
      periods: 12,
      useTariffCents: null,
      usedUnits: 0,
      unitDaysAvailable: 730,
      unitDaysUsed: 0,
      paidCents: 0,
    });
    expect(s.outcomeCents).toBe(2_400_000);
    expect(s.warnings[0]).toMatch(/bezetting 0%/);
  });
  it('breaks on negative reserved capacity', () => {
    expect(() =>
      settleAvailability({ reservedUnits: -1, pricePerUnitPerPeriodCents: 1, periods: 12, useTariffCents: null, usedUnits: 0, paidCents: 0 }),
    ).toThrow(/gereserveerde eenheden/);
  });
});

describe('budget / lumpsum per provider with a bandwidth', () => {
  it('worked example (Achterhoek): € 1.250.000 with 3%; realised € 1.310.000; settled outside the band', () => {
    const s = settleLumpsum({ lumpsumCents: 125_000_000, bandwidthBp: 300, outsideBand: 'verrekenen', realisedCents: 131_000_000, paidCents: 125_000_000 });
    // band 121.250.000 – 128.750.000; realised 131.000.000 is 4,8% above; 2.250.000 above the upper bound is settled
    expect(s.band).toEqual({ lowerCents: 121_250_000, upperCents: 128_750_000, position: 'boven', deviationPct: 4.8 });
    expect(s.outcomeCents).toBe(127_250_000);
    expect(s.settlementCents).toBe(2_250_000);
  });
  it('the same deviation under each outside-band term: nothing, a conversation, settlement, a cap', () => {
    const base = { lumpsumCents: 100_000_000, bandwidthBp: 300, paidCents: 100_000_000 };
    const below = 90_000_000; // 10% under; lower bound 97.000.000
    expect(settleLumpsum({ ...base, outsideBand: 'niets', realisedCents: below }).outcomeCents).toBe(100_000_000);
    const talk = settleLumpsum({ ...base, outsideBand: 'gesprek', realisedCents: below });
    expect(talk.outcomeCents).toBe(100_000_000);
    expect(talk.warnings[0]).toMatch(/onder de band.*gesprek/);
    expect(settleLumpsum({ ...base, outsideBand: 'verrekenen', realisedCents: below }).settlementCents).toBe(-7_000_000);
    expect(settleLumpsum({ ...base, outsideBand: 'plafond', realisedCents: below }).outcomeCents).toBe(90_000_000);
    expect(settleLumpsum({ ...base, outsideBand: 'plafond', realisedCents: 120_000_000 }).outcomeCents).toBe(100_000_000);
  });
  it('within the band the lumpsum stands; band bounds round half away from zero', () => {
    expect(
      settleLumpsum({ lumpsumCents: 100_000_000, bandwidthBp: 300, outsideBand: 'verrekenen', realisedCents: 102_999_999, paidCents: 0 }).outcomeCents,
    ).toBe(100_000_000);
    expect(bandPosition(50, 300, 50)).toMatchObject({ lowerCents: 49, upperCents: 52 }); // 48,5 → 49; 51,5 → 52
    expect(mulDivRound(-3, 1, 2)).toBe(-2);
  });
  it('pro rata after two quarters: the band is set against half the lumpsum', () => {
    const s = settleLumpsum({
      lumpsumCents: 100_000_000,
      bandwidthBp: 300,
      outsideBand: 'gesprek',
      realisedCents: 53_000_000,
      paidCents: 50_000_000,
      quartersReported: 2,
    });
    expect(s.band).toMatchObject({ lowerCents: 48_500_000, upperCents: 51_500_000, position: 'boven', deviationPct: 6 });
  });
  it('breaks on a band above 100%', () => {
    expect(() => settleLumpsum({ lumpsumCents: 1, bandwidthBp: 10_001, outsideBand: 'niets', realisedCents: 1, paidCents: 0 })).toThrow(/bandbreedte/);
  });
});

describe('advance with settlement on real costs', () => {
  it('worked example: advances € 600.000, costs € 640.000 of which € 15.000 not eligible, ceiling € 700.000', () => {
    const s = settleRealCosts({
      advancesPaidCents: 60_000_000,
      ceilingCents: 70_000_000,
      costLines: [
        { category: 'personeel', amountCents: 52_000_000, eligible: true },
        { category: 'huisvesting', amountCents: 10_500_000, eligible: true },
        { category: 'representatie', amountCents: 1_500_000, eligible: false },
      ],
    });
    // eligible 62.500.000 ≤ ceiling → outcome 62.500.000; settlement 2.500.000 to pay
    expect(s.outcomeCents).toBe(62_500_000);
    expect(s.settlementCents).toBe(2_500_000);
  });
  it('caps at the ceiling and reclaims advances above the costs; warns above € 750.000 and for a change above 10%', () => {
    const capped = settleRealCosts({
      advancesPaidCents: 60_000_000,
      ceilingCents: 70_000_000,
      costLines: [{ category: 'personeel', amountCents: 80_000_000, eligible: true }],
      pilotValueCents: 76_000_000,
      originalValueCents: 60_000_000,
    });
    expect(capped.outcomeCents).toBe(70_000_000);
    expect(capped.warnings.join(' ')).toMatch(/Europese drempel.*wezenlijke wijziging.*boven het plafond/);
    const reclaim = settleRealCosts({
      advancesPaidCents: 60_000_000,
      ceilingCents: 70_000_000,
      costLines: [{ category: 'personeel', amountCents: 55_000_000, eligible: true }],
    });
    expect(reclaim.settlementCents).toBe(-5_000_000);
  });
  it('breaks on a negative cost line', () => {
    expect(() => settleRealCosts({ advancesPaidCents: 0, ceilingCents: 1, costLines: [{ category: 'x', amountCents: -5, eligible: true }] })).toThrow(
      /kosten\[0\]/,
    );
  });
});

describe('sharing a regional cost among municipalities', () => {
  it('worked example: € 1.000.000,01 by a fixed table of 33,33 / 33,33 / 33,34%', () => {
    const s = shareCost(100_000_001, 'vast', { '0150': 33.33, '0153': 33.33, '0158': 33.34 });
    // exact: 33.330.000,3333 / 33.330.000,3333 / 33.340.000,3334 cents → floors, and the one cent left goes to the
    // largest remainder (0,3334: the third)
    expect(s.map((x) => x.shareCents)).toEqual([33_330_000, 33_330_000, 33_340_001]);
    expect(s.reduce((a, x) => a + x.shareCents, 0)).toBe(100_000_001);
  });
  it('by youths, by historic use, solidarity', () => {
    expect(shareCost(1_000, 'jeugdigen', { a: 1, b: 2 }).map((x) => x.shareCents)).toEqual([333, 667]);
    expect(shareCost(10_000, 'gebruik', { a: 750_000, b: 250_000 }).map((x) => x.shareCents)).toEqual([7_500, 2_500]);
    expect(shareCost(100, 'solidair', { a: 1, b: 1, c: 1 }).map((x) => x.shareCents)).toEqual([34, 33, 33]);
  });
  it('breaks on a fixed table that does not add up to 100%', () => {
    expect(() => shareCost(100, 'vast', { a: 50, b: 49.99 })).toThrow(/99,99% in plaats van 100%/);
    expect(() => shareCost(100, 'vast', {})).toThrow(/geen gemeenten/);
  });
  it('property: the shares of one cost add up to it to the cent, none off by more than one cent from its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 30 }).filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = splitLargestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            expect(Math.abs(p - (total * weights[i]) / sum)).toBeLessThan(1.0001);
          });
        },
      ),
    );
  });
});

describe('property: paid + settlement = the agreed outcome, for every form', () => {
  const paid = fc.integer({ min: -1e10, max: 1e10 });
  it('holds for lumpsum under every outside-band term', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e11 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom('niets', 'gesprek', 'verrekenen', 'plafond' as const),
        fc.integer({ min: 0, max: 2e11 }),
        paid,
        fc.integer({ min: 1, max: 4 }),
        (lumpsum, bp, term, realised, p, q) => {
          const s = settleLumpsum({
            lumpsumCents: lumpsum,
            bandwidthBp: bp,
            outsideBand: term as any,
            realisedCents: realised,
            paidCents: p,
            quartersReported: q,
          });
          expect(s.paidCents + s.settlementCents).toBe(s.outcomeCents);
          expect(last(s).amountCents).toBe(s.settlementCents);
          if (term === 'plafond') expect(s.outcomeCents).toBeLessThanOrEqual(lumpsum);
        },
      ),
    );
  });
  it('holds for availability, real costs and P*Q', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 100_000 }),
        paid,
        (units, price, periods, used, p) => {
          const s = settleAvailability({
            reservedUnits: units,
            pricePerUnitPerPeriodCents: price,
            periods,
            useTariffCents: 52_500,
            usedUnits: used,
            paidCents: p,
          });
          expect(s.paidCents + s.settlementCents).toBe(s.outcomeCents);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ category: fc.constantFrom('personeel', 'huisvesting'), amountCents: fc.integer({ min: 0, max: 1e10 }), eligible: fc.boolean() })),
        fc.integer({ min: 0, max: 1e11 }),
        paid,
        (lines, ceiling, p) => {
          const s = settleRealCosts({ advancesPaidCents: p, ceilingCents: ceiling, costLines: lines });
          expect(s.paidCents + s.settlementCents).toBe(s.outcomeCents);
          expect(s.outcomeCents).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            volume: fc.integer({ min: 0, max: 1000 }),
            tariffCents: fc.integer({ min: 0, max: 100_000 }),
            debitCredit: fc.constantFrom<'D' | 'C'>('D', 'C'),
          }),
        ),
        paid,
        (lines, p) => {
          const s = settlePQ({ lines, paidCents: p });
          expect(s.paidCents + s.settlementCents).toBe(s.outcomeCents);
        },
      ),
    );
  });
});

describe('commitments (verplichtingen) of an active allocation', () => {
  const base = { start: '2024-01-01', end: '2024-12-31', declaredVolume: 0, tariffCents: 10_000, asOf: '2024-06-30', yearEnd: '2024-12-31' };
  it('worked examples: per week, per month, per day, and a total with part already declared', () => {
    // 3 hours a week from 1 July to 31 December: 184 days = 27 begun weeks → 81 hours × € 100 = € 8.100
    expect(commitmentCents({ ...base, volume: 3, frequency: '2' })).toBe(810_000);
    // 10 hours a month: July … December = 6 months → 60 × € 100
    expect(commitmentCents({ ...base, volume: 10, frequency: '4' })).toBe(600_000);
    // 1 etmaal a day until 15 September: 77 days
    expect(commitmentCents({ ...base, volume: 1, frequency: '1', end: '2024-09-15' })).toBe(770_000);
    // a total of 120 hours over 2024-01-01 … 2025-06-30, 50 declared: 70 left over 365 remaining days, 184 of them in 2024 → 35,29 → 35 hours
    expect(commitmentCents({ ...base, end: '2025-06-30', volume: 120, frequency: '6', declaredVolume: 50 })).toBe(350_000);
  });
  it('nothing after the allocation ended; no volume or tariff: not computable', () => {
    expect(commitmentCents({ ...base, end: '2024-05-31', volume: 3, frequency: '2' })).toBe(0);
    expect(commitmentCents({ ...base, volume: null, frequency: null })).toBeNull();
    expect(commitmentCents({ ...base, volume: 3, frequency: '2', tariffCents: null })).toBeNull();
  });
});
