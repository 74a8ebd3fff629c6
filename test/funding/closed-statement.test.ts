// A closed statement never changes (issue 15 scope 5): whatever arrives after the year was closed (payments,
// quarterly figures, declaration lines and their credits, a changed contract amount), every closed statement keeps
// its figures to the cent and its date; a cost statement after the close is refused (409) and stores nothing; closing
// again makes a new, dated statement that names the one it corrects and holds the figures as they are then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../src/db/index.ts';
import {
  closeStatement,
  closedStatements,
  computeStatement,
  recordPayment,
  saveContractFunding,
  saveCostLines,
  saveQuarterFigures,
} from '../../src/funding/index.ts';
import { updateDeclarationFacts } from '../../src/monitoring/index.ts';
import { MUNICIPALITY } from '../ijw/helpers.ts';
import { importFixture } from '../ijw/fixture.ts';

let db: Db;
let providerId: number;
const scope = { regionId: 'test', municipalityCode: null, providerId: null };
const ids: Record<string, number> = {};
const lumpsum = (cents: number) => ({
  fundingForm: 'lumpsum',
  lumpsumCents: cents,
  bandwidthPct: 3,
  outsideBand: 'verrekenen',
  terms: {
    instalments: Array.from({ length: 12 }, (_, i) => ({
      due: `2026-${String(i + 1).padStart(2, '0')}-01`,
      amountCents: Math.floor(cents / 12) + (i < cents % 12 ? 1 : 0),
    })),
  },
});

beforeAll(async () => {
  ({ db, providerId } = await importFixture());
  const seg = async (code: string) =>
    (await db.query(`INSERT INTO segment (region_id, code, name) VALUES ('test', $1, $1) RETURNING id`, [code]))[0].id as number;
  const base = {
    providerId,
    validFrom: '2026-01-01',
    validTo: null,
    changeReason: '',
    costKey: 'gebruik',
    outsideBand: 'gesprek',
    lumpsumCents: null,
    bandwidthPct: null,
  };
  const [{ id: amb }] = await db.query(`SELECT id FROM segment WHERE code = 'AMB'`);
  ids.pq = await saveContractFunding(db, 'test', { ...base, segmentId: amb, fundingForm: 'pq', terms: {} } as any);
  ids.lump = await saveContractFunding(db, 'test', { ...base, segmentId: (ids.lumpSeg = await seg('LUMP')), ...lumpsum(1_200_000) } as any);
  ids.nac = await saveContractFunding(db, 'test', {
    ...base,
    segmentId: await seg('NAC'),
    fundingForm: 'nacalculatie',
    terms: {
      advances: [
        { due: '2026-01-01', amountCents: 300_000 },
        { due: '2026-07-01', amountCents: 300_000 },
      ],
      ceilingCents: 700_000,
    },
  } as any);
  await recordPayment(db, scope, { contractId: ids.lump, paidOn: '2026-01-01', amountCents: 100_000, kind: 'termijn' });
  await recordPayment(db, scope, { contractId: ids.nac, paidOn: '2026-01-01', amountCents: 300_000, kind: 'voorschot' });
  await saveQuarterFigures(db, scope, [
    { contractId: ids.lump, year: 2026, quarter: 1, clientsInCare: 10, started: 2, stopped: 1, hours: 100, realisedCents: 310_000 },
  ]);
  await saveCostLines(db, scope, { contractId: ids.nac, year: 2026, lines: [{ category: 'personeel', amountCents: 250_000, eligible: true }] });
}, 180_000);
afterAll(async () => {
  await db?.close();
});

const event = fc.oneof(
  fc.record({
    kind: fc.constant('payment' as const),
    contract: fc.constantFrom('lump', 'nac'),
    amount: fc.integer({ min: -500_000, max: 2_000_000 }),
    month: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({ kind: fc.constant('figure' as const), quarter: fc.integer({ min: 1, max: 4 }), realised: fc.integer({ min: 0, max: 5_000_000 }) }),
  fc.record({
    kind: fc.constant('line' as const),
    amount: fc.integer({ min: 1, max: 1_000_000 }),
    credit: fc.boolean(),
    month: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({ kind: fc.constant('lumpsum' as const), cents: fc.integer({ min: 12, max: 50_000_000 }) }),
  fc.record({ kind: fc.constant('cost' as const), amount: fc.integer({ min: 0, max: 900_000 }) }),
);

async function apply(e: any) {
  switch (e.kind) {
    case 'payment':
      return recordPayment(db, scope, {
        contractId: ids[e.contract],
        paidOn: `2026-${String(e.month).padStart(2, '0')}-15`,
        amountCents: e.amount,
        kind: e.contract === 'lump' ? 'termijn' : 'voorschot',
      });
    case 'figure':
      return saveQuarterFigures(db, scope, [
        { contractId: ids.lump, year: 2026, quarter: e.quarter, clientsInCare: 10, started: 1, stopped: 1, hours: 10, realisedCents: e.realised },
      ]);
    case 'line': {
      const m = String(e.month).padStart(2, '0');
      const [a] = await db.query(`SELECT id, youth_id, product_id FROM allocation WHERE assignment_number = '10072'`);
      await db.query(
        `INSERT INTO declaration_line (allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents, debit_credit, source)
        VALUES ($1, $2, $3, $4, $5, $6, $6::date + 27, 1, '04', $7, $7, $8, 'jw323')`,
        [a.id, MUNICIPALITY, providerId, a.youth_id, a.product_id, `2026-${m}-01`, e.amount, e.credit ? 'C' : 'D'],
      );
      return updateDeclarationFacts(db, [{ municipalityCode: MUNICIPALITY, providerId, year: 2026 }]);
    }
    case 'lumpsum':
      return saveContractFunding(
        db,
        'test',
        {
          providerId,
          segmentId: ids.lumpSeg,
          validFrom: '2026-01-01',
          validTo: null,
          changeReason: 'herijking',
          costKey: 'gebruik',
          ...lumpsum(e.cents),
        } as any,
        ids.lump,
      );
    case 'cost': {
      const before = (await db.query(`SELECT count(*)::int AS n FROM funding_cost_line`))[0].n;
      await expect(
        saveCostLines(db, scope, { contractId: ids.nac, year: 2026, lines: [{ category: 'huisvesting', amountCents: e.amount, eligible: true }] }),
      ).rejects.toMatchObject({ status: 409, field: 'year' });
      expect((await db.query(`SELECT count(*)::int AS n FROM funding_cost_line`))[0].n).toBe(before);
    }
  }
}

describe('a closed statement never changes', () => {
  it('property: later data changes only the live calculation; every closed statement keeps its figures and date; a correction is a new, dated statement', async () => {
    const first = await closeStatement(db, scope, providerId, 2026, null);
    expect(first.supersedesId).toBeNull();
    // the closed statement as stored, and what it said when it was closed
    const snapshots = new Map<number, string>([[first.id, JSON.stringify((await closedStatements(db, scope, providerId, 2026))[0])]]);
    expect(JSON.parse(snapshots.get(first.id)!).body).toEqual(JSON.parse(JSON.stringify(first.body)));
    let latest = first;
    let moved = 0; // corrections whose figures differ from the first statement's: the later data did change the live calculation
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 6 }), async (events) => {
        for (const e of events) await apply(e);
        const closed = await closedStatements(db, scope, providerId, 2026);
        expect(closed.map((c) => c.id).sort((a, b) => a - b)).toEqual([...snapshots.keys()].sort((a, b) => a - b));
        for (const c of closed) expect(JSON.stringify(c)).toBe(snapshots.get(c.id));
        // closing again: a new statement naming the one it corrects, with the figures as they are now
        const live = await computeStatement(db, scope, providerId, 2026);
        const correction = await closeStatement(db, scope, providerId, 2026, null);
        expect(correction.supersedesId).toBe(latest.id);
        expect(correction.id).toBeGreaterThan(latest.id);
        expect(correction.closedAt >= latest.closedAt).toBe(true);
        expect(correction.body.totals).toEqual(live.totals);
        expect(correction.settlementCents).toBe(live.totals.settlementCents);
        if (JSON.stringify(correction.body.totals) !== JSON.stringify(first.body.totals)) moved++;
        snapshots.set(correction.id, JSON.stringify((await closedStatements(db, scope, providerId, 2026)).find((c) => c.id === correction.id)));
        latest = correction;
      }),
      { numRuns: 12 },
    );
    expect(moved).toBeGreaterThan(0);
    // and the first one still says what it said, with every contract's figures
    const again = (await closedStatements(db, scope, providerId, 2026)).find((c) => c.id === first.id)!;
    expect(again.body.totals).toEqual(first.body.totals);
    expect(again.body.contracts.map((c) => [c.id, c.outcomeCents, c.paidCents, c.settlementCents])).toEqual(
      first.body.contracts.map((c) => [c.id, c.outcomeCents, c.paidCents, c.settlementCents]),
    );
  }, 300_000);
});
