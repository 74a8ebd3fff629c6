// Two contracts of one provider in one segment whose periods both touch the year (P*Q until the summer, a lumpsum
// after) each take only the declarations whose period lies in their own: a line belongs to the contract in force on
// its period start (contractInForce, end exclusive), also when a contract begins mid-month. Statements, costs by
// funding form and the quarterly review read the ledger split this way; nothing is counted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../src/db/index.ts';
import { costs } from '../../src/monitoring/costs.ts';
import { raiseFactsVersionOf, refreshFacts } from '../../src/monitoring/index.ts';
import { computeStatement, contractPositions, saveContractFunding, saveQuarterFigures } from '../../src/funding/index.ts';
import { MUNICIPALITY, PROVIDER } from '../ijw/helpers.ts';
import { importFixture } from '../ijw/fixture.ts';

let db: Db;
let a: number, b: number, amb: number, p45a03: number, p45a04: number;
const region = { regionId: 'test', municipalityCode: null, providerId: null, label: 'regio' };
const base = { outsideBand: 'gesprek', changeReason: '', costKey: 'gebruik', lumpsumCents: null, bandwidthPct: null } as const;

const declare = (provider: number, productId: number, day: string, volume: number, tariff: number, debitCredit: 'D' | 'C' = 'D') =>
  db.query(
    `INSERT INTO declaration_line (municipality_code, provider_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents, debit_credit, source)
   VALUES ($1, $2, $3, $4, $4, $5, '04', $6, $7, $8, 'demo')`,
    [MUNICIPALITY, provider, productId, day, volume, tariff, volume * tariff, debitCredit],
  );
const lumpsum = (providerId: number, validFrom: string, validTo: string | null, cents: number) =>
  saveContractFunding(db, 'test', {
    ...base,
    providerId,
    segmentId: amb,
    fundingForm: 'lumpsum',
    validFrom,
    validTo,
    lumpsumCents: cents,
    bandwidthPct: 3,
    terms: { instalments: [{ due: validFrom, amountCents: cents }] },
  } as any);
const pq = (providerId: number, validFrom: string, validTo: string | null) =>
  saveContractFunding(db, 'test', { ...base, providerId, segmentId: amb, fundingForm: 'pq', validFrom, validTo, terms: {} } as any);

beforeAll(async () => {
  ({ db, providerId: a, otherProviderId: b } = await importFixture());
  [{ id: amb }] = await db.query(`SELECT id FROM segment WHERE code = 'AMB'`);
  [{ id: p45a03 }] = await db.query(`SELECT id FROM product WHERE code = '45A03'`);
  [{ id: p45a04 }] = await db.query(`SELECT id FROM product WHERE code = '45A04'`);
  // A: P*Q from 1 January until 1 July (exclusive), then a lumpsum of € 6.000 for the second half year
  await declare(a, p45a03, '2026-03-01', 10, 1250); // € 125,00 under P*Q
  await declare(a, p45a03, '2026-06-01', 2, 1250); // €  25,00 under P*Q (June: the last month of P*Q)
  await declare(a, p45a03, '2026-07-01', 4, 1250); // €  50,00 under the lumpsum (not its cost)
  await declare(a, p45a03, '2026-09-01', 1, 1250, 'C'); // − € 12,50 a credit under the lumpsum
  // B: P*Q until 15 April, a lumpsum of € 1.000 from 15 April: April splits on the lines' period start
  await declare(b, p45a04, '2026-04-01', 4, 1500); // € 60,00 under P*Q
  await declare(b, p45a04, '2026-04-15', 2, 1500); // € 30,00 under the lumpsum
  await declare(b, p45a04, '2026-04-20', 1, 1500); // € 15,00 under the lumpsum
  await declare(b, p45a04, '2026-05-01', 1, 1500); // € 15,00 under the lumpsum
  await refreshFacts(db);
  await pq(a, '2026-01-01', '2026-07-01');
  await lumpsum(a, '2026-07-01', null, 600_000);
  await pq(b, '2026-01-01', '2026-04-15');
  await lumpsum(b, '2026-04-15', null, 100_000);
}, 180_000);
afterAll(async () => {
  await db?.close();
});

describe('the ledger split per contract by its period', () => {
  it('worked example: P*Q until July takes € 150, the lumpsum after takes € 37,50 declared; the statement counts each line once', async () => {
    const positions = await contractPositions(db, region, 2026, a);
    expect(positions.map((p) => [p.fundingForm, p.validFrom, p.declaredCents, p.outcomeCents])).toEqual([
      ['pq', '2026-01-01', 15_000, 15_000],
      ['lumpsum', '2026-07-01', 3_750, 600_000],
    ]);
    const st = await computeStatement(db, region, a, 2026);
    // € 150 P*Q as declared + € 6.000 lumpsum (no quarterly figures: the lumpsum stands); before the split the P*Q
    // contract took the whole year's € 187,50
    expect(st.totals.outcomeCents).toBe(615_000);
    expect(st.contracts[0].municipalityShares).toEqual([{ municipalityCode: MUNICIPALITY, shareCents: 15_000 }]);
  });

  it('a contract beginning mid-month takes the lines whose period starts on or after its first day', async () => {
    const positions = await contractPositions(db, region, 2026, b);
    expect(positions.map((p) => [p.fundingForm, p.declaredCents])).toEqual([
      ['pq', 6_000],
      ['lumpsum', 6_000],
    ]);
  });

  it('costs by funding form: P*Q is what the P*Q contracts took, nothing counted twice and nothing left as uncontracted', async () => {
    const t = await costs(db, region, 2026, 'bekostiging', null);
    const byForm = Object.fromEntries(t.rows.map((r) => [r.key, r.amountCents]));
    // P*Q € 150 (A) + € 60 (B); lumpsums € 6.000 + € 1.000; declared total € 187,50 + € 120 = € 307,50
    expect(byForm).toEqual({ pq: 21_000, lumpsum: 700_000 });
    expect((await costs(db, region, 2026, 'segment', null)).total.amountCents).toBe(30_750);
  });

  it("the quarterly review counts the municipalities' referrals within the lumpsum's period, by the JW305 start and JW307 stop when present", async () => {
    const lump = (await contractPositions(db, region, 2026, a)).find((p) => p.fundingForm === 'lumpsum')!;
    await saveQuarterFigures(db, region, [
      { contractId: lump.id, year: 2026, quarter: 3, clientsInCare: 1, started: 1, stopped: 0, hours: 10, realisedCents: 150_000 },
    ]);
    const q3 = async () => (await contractPositions(db, region, 2026, a)).find((p) => p.fundingForm === 'lumpsum')!.quarters.find((q) => q.quarter === 3)!;
    const [{ youth_id: youth }] = await db.query(`SELECT youth_id FROM allocation WHERE assignment_number = '10072'`);
    const [{ bsn_hash: hash }] = await db.query(`SELECT bsn_hash FROM youth WHERE id = $1`, [youth]);
    // an allocation of 10 June (before the lumpsum began on 1 July), open-ended
    await db.query(
      `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency)
      VALUES ('80001', $1, $2, $3, $4, '2026-06-10', NULL, 10, '04', '2')`,
      [MUNICIPALITY, a, youth, p45a03],
    );
    // (written here as a JW301 import would; the import also raises the region's facts version, which this count is kept by)
    await raiseFactsVersionOf(db, [MUNICIPALITY]);
    const base = await q3();
    let n = 0;
    const startStop = async (kind: 'start' | 'stop', begin: string, end: string | null) => {
      const [{ id }] = await db.query(
        `INSERT INTO ijw_message (message_type, direction, identification, sender_code, receiver_code, municipality_code, provider_id, provider_agb, content_hash, status, xml_gzip, size_bytes)
        VALUES ($1, 'in', $2, $3, $4, $5, $6, $7, $8, 'verwerkt', '\\x00', 0) RETURNING id`,
        [kind === 'start' ? 'JW305' : 'JW307', `LS${++n}`, PROVIDER, MUNICIPALITY, MUNICIPALITY, a, PROVIDER, `LS${n}`],
      );
      await db.query(
        `INSERT INTO ijw_start_stop (message_id, line_no, kind, bsn_hash, assignment_number, product_category, product_code, allocation_start, begin_date, end_date, reason, delivery_status)
        VALUES ($1, 1, $2, $3, 80001, '45', '45A03', '2026-06-10', $4, $5, $6, '1')`,
        [id, kind, hash, begin, end, kind === 'stop' ? '01' : null],
      );
      await raiseFactsVersionOf(db, [MUNICIPALITY]); // as the JW305/JW307 import does (src/wiring.ts)
    };
    // the JW305: care began on 20 July, under the lumpsum: a referral of the third quarter
    await startStop('start', '2026-07-20', null);
    const started = await q3();
    expect(started.referrals).toBe(base.referrals + 1);
    expect(started.activeAllocations).toBe(base.activeAllocations);
    // the JW307: care stopped on 15 August: no longer running at the end of September
    await startStop('stop', '2026-07-20', '2026-08-15');
    expect((await q3()).activeAllocations).toBe(base.activeAllocations - 1);
  });

  it("property: over any sequence of contract periods the contracts' declared amounts and the uncovered lines add up to the year's ledger", async () => {
    const day = fc.integer({ min: 0, max: 364 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
    const line = fc.record({ day, volume: fc.integer({ min: 1, max: 20 }), product: fc.constantFrom('a3', 'a4'), credit: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(day, { minLength: 1, maxLength: 4 }), // boundaries: contracts run from one to the next (the first may start later than January)
        fc.array(fc.constantFrom('pq', 'lumpsum'), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        async (lines, bounds, forms, openEnd) => {
          await db.query(`DELETE FROM contract WHERE provider_id = $1`, [b]);
          await db.query(`DELETE FROM declaration_line WHERE provider_id = $1`, [b]);
          for (const l of lines) await declare(b, l.product === 'a3' ? p45a03 : p45a04, l.day, l.volume, 1000, l.credit ? 'C' : 'D');
          await refreshFacts(db);
          const days = [...bounds].sort();
          const periods = days
            .map((from, i) => [from, days[i + 1] ?? (openEnd ? null : '2026-12-31')] as const)
            .filter(([from, to]) => to === null || to > from);
          for (const [i, [from, to]] of periods.entries()) await (forms[i] === 'pq' ? pq(b, from, to) : lumpsum(b, from, to, 10_000));
          const positions = await contractPositions(db, region, 2026, b);
          const net = (ls: typeof lines) => ls.reduce((s, l) => s + (l.credit ? -1 : 1) * l.volume * 1000, 0);
          // each contract: exactly its period's lines
          for (const p of positions) expect(p.declaredCents).toBe(net(lines.filter((l) => l.day >= p.validFrom && (p.validTo === null || l.day < p.validTo))));
          // Σ contracts + the lines no contract is in force for = the year's ledger
          const uncovered = lines.filter((l) => !periods.some(([from, to]) => l.day >= from && (to === null || l.day < to)));
          expect(positions.reduce((s, p) => s + p.declaredCents, 0) + net(uncovered)).toBe(net(lines));
        },
      ),
      { numRuns: 15 },
    );
  }, 300_000);
});
