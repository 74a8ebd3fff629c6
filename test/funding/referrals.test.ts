// The quarterly review's referral count per lumpsum contract (referralCounts) is set-based: each allocation's last
// JW305/JW307 is joined once, not looked up per allocation × contract (which froze the server for 14–54 s on PGlite
// after a large import; BENCHMARKS.md, eighth session). It must give exactly the counts of the old definition
// (test/funding/referrals-before.ts) on any data: starts and stops (withdrawn, later ones, other messages, other
// providers or municipalities, rejected messages), allocations (withdrawn, open-ended, outside the year), contracts with
// periods on a segment or its sub-segment, and every kind of scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../src/db/index.ts';
import { typed } from '../../src/db/query.ts';
import { referralCounts, referralCountsQuery } from '../../src/funding/store.ts';
import { importFixture } from '../ijw/fixture.ts';
import { MUNICIPALITY } from '../ijw/helpers.ts';
import { referralCountsBefore } from './referrals-before.ts';

let db: Db;
let providers: number[];
let segments: number[]; // AMB and its sub-segment
let products: number[]; // one in each
let youths: { id: number; hash: string }[];
const OTHER = '0363'; // a second municipality of the test region

beforeAll(async () => {
  let a: number, b: number;
  ({ db, providerId: a, otherProviderId: b } = await importFixture());
  providers = [a, b];
  await db.query(`UPDATE municipality SET region_id = 'test' WHERE code = $1`, [OTHER]);
  const [{ id: amb }] = await db.query(`SELECT id FROM segment WHERE code = 'AMB'`);
  const [{ id: sub }] = await db.query(`INSERT INTO segment (region_id, code, name, parent_id) VALUES ('test', 'AMB-K', 'Ambulant kort', $1) RETURNING id`, [
    amb,
  ]);
  segments = [amb, sub];
  const [{ id: p1 }] = await db.query(`SELECT id FROM product WHERE code = '45A03'`);
  const [{ id: p2 }] = await db.query(
    `INSERT INTO product (region_id, segment_id, category_code, code, name, unit, execution_variant, valid_from) VALUES ('test', $1, '45', '45A05', 'Kort', '04', 'inspanningsgericht', '2020-01-01') RETURNING id`,
    [sub],
  );
  products = [p1, p2];
  youths = (await db.query(`SELECT id, bsn_hash AS hash FROM youth ORDER BY id`)).map((y: any) => ({ id: Number(y.id), hash: y.hash }));
}, 180_000);
afterAll(async () => {
  await db?.close();
});

const day = (from: number, to: number) => fc.integer({ min: from, max: to }).map((n) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10));
// 2025-01-01 … 2027-06-30, around the counted years; often a quarter's first or last day, so that two dates that
// differ fall in different quarters
const edges = [
  '2025-03-31',
  '2025-04-01',
  '2025-09-30',
  '2026-01-01',
  '2026-03-31',
  '2026-04-01',
  '2026-06-30',
  '2026-07-01',
  '2026-09-30',
  '2026-12-31',
  '2027-01-01',
];
const anyDay = fc.oneof(day(0, 910), fc.constantFrom(...edges));
const allocation = fc.record({
  nr: fc.integer({ min: 1, max: 20 }),
  zero: fc.boolean(), // a ToewijzingNummer kept with a leading zero matches no start (the old text comparison)
  municipality: fc.constantFrom(MUNICIPALITY, OTHER),
  provider: fc.integer({ min: 0, max: 1 }),
  youth: fc.integer({ min: 0, max: 1 }),
  product: fc.integer({ min: 0, max: 1 }),
  start: anyDay,
  days: fc.option(fc.integer({ min: 0, max: 500 })),
  status: fc.constantFrom('actief', 'actief', 'beeindigd', 'ingetrokken'),
});
// a JW305/JW307 line: mostly of one of the allocations (its number, client, provider, municipality), sometimes off by one
// of them; in one of a few messages per provider × municipality (the later message, then the later line, counts),
// processed or rejected
const startStop = fc.record({
  allocation: fc.nat(),
  off: fc.constantFrom(null, null, null, null, 'nr', 'youth', 'provider', 'municipality'),
  batch: fc.integer({ min: 0, max: 2 }),
  processed: fc.constantFrom(true, true, true, false),
  kind: fc.constantFrom('start', 'stop'),
  begin: anyDay,
  end: fc.option(anyDay),
  withdrawn: fc.constantFrom(false, false, true),
  again: fc.option(anyDay), // a second line for the same allocation in the same message (the later line counts)
});
const contract = fc.record({
  provider: fc.integer({ min: 0, max: 1 }),
  segment: fc.integer({ min: 0, max: 1 }),
  from: fc.oneof(day(180, 700), fc.constantFrom(...edges)),
  days: fc.option(fc.integer({ min: 1, max: 500 })),
});
const scope = fc.constantFrom('region', 'municipality', 'provider');

async function load(d: { allocations: any[]; lines: any[]; contracts: any[] }) {
  await db.exec(
    `DELETE FROM ijw_start_stop; DELETE FROM ijw_message WHERE identification LIKE 'P%'; DELETE FROM allocation WHERE assignment_number LIKE 'P%' OR assignment_number ~ '^0?[0-9]{1,2}$'; DELETE FROM contract`,
  );
  const seen = new Set<string>();
  for (const a of d.allocations) {
    const nr = `${a.zero ? '0' : ''}${a.nr}`;
    if (seen.has(`${a.municipality}|${nr}`)) continue; // (municipality, number) is unique
    seen.add(`${a.municipality}|${nr}`);
    const end = a.days === null ? null : new Date(Date.parse(a.start) + a.days * 86_400_000).toISOString().slice(0, 10);
    await db.query(
      `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 1, '04', '2', $8)`,
      [nr, a.municipality, providers[a.provider], youths[a.youth].id, products[a.product], a.start, end, a.status],
    );
  }
  const messages = new Map<string, number>();
  for (const [i, l] of d.lines.entries()) {
    if (!d.allocations.length) break;
    const a = d.allocations[l.allocation % d.allocations.length];
    const provider = providers[l.off === 'provider' ? 1 - a.provider : a.provider];
    const municipality = l.off === 'municipality' ? (a.municipality === OTHER ? MUNICIPALITY : OTHER) : a.municipality;
    const key = `${provider}|${municipality}|${l.batch}|${l.processed}`;
    if (!messages.has(key)) {
      const [{ id }] = await db.query(
        `INSERT INTO ijw_message (message_type, direction, identification, sender_code, receiver_code, municipality_code, provider_id, provider_agb, content_hash, status, xml_gzip, size_bytes)
        VALUES ('JW305', 'in', $1, 'x', $2, $5, $3, 'x', $1, $4, '\\x00', 0) RETURNING id`,
        [`P${messages.size}-${Math.random()}`, municipality, provider, l.processed ? 'verwerkt' : 'afgewezen', municipality],
      );
      messages.set(key, Number(id));
    }
    for (const [k, begin, end] of [[0, l.begin, l.end], ...(l.again ? [[1, l.again, l.again]] : [])])
      await db.query(
        `INSERT INTO ijw_start_stop (message_id, line_no, kind, bsn_hash, assignment_number, product_category, product_code, allocation_start, begin_date, end_date, reason, delivery_status)
        VALUES ($1, $2, $3, $4, $5, '45', '45A03', $6, $6, $7, NULL, $8)`,
        [
          messages.get(key),
          2 * i + 1 + Number(k),
          l.kind,
          youths[l.off === 'youth' ? 1 - a.youth : a.youth].hash,
          l.off === 'nr' ? a.nr + 1 : a.nr,
          begin,
          l.kind === 'stop' ? end : null,
          l.withdrawn && k === 0 ? '3' : '1',
        ],
      );
  }
  const lumpsums: { id: number; providerId: number }[] = [];
  const taken = new Set<string>();
  for (const c of d.contracts) {
    if (taken.has(`${c.provider}|${c.segment}|${c.from}`)) continue;
    taken.add(`${c.provider}|${c.segment}|${c.from}`);
    const to = c.days === null ? null : new Date(Date.parse(c.from) + c.days * 86_400_000).toISOString().slice(0, 10);
    const [{ id }] = await db.query(
      `INSERT INTO contract (region_id, provider_id, segment_id, funding_form, valid_from, valid_to, lumpsum_cents, bandwidth_pct) VALUES ('test', $1, $2, 'lumpsum', $3, $4, 100000, 3) RETURNING id`,
      [providers[c.provider], segments[c.segment], c.from, to],
    );
    lumpsums.push({ id: Number(id), providerId: providers[c.provider] });
  }
  return lumpsums;
}
const scopeOf = (kind: string) => ({
  regionId: 'test',
  municipalityCode: kind === 'municipality' ? MUNICIPALITY : null,
  providerId: kind === 'provider' ? providers[0] : null,
});
const byContract = (rows: any[]) => rows.map((r) => ({ ...r, contract_id: Number(r.contract_id) })).sort((x, y) => x.contract_id - y.contract_id);

describe("the quarterly review's referral count", () => {
  it('property: the set-based count equals the old per-row definition on any starts, stops, allocations, contracts and scope', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(allocation, { minLength: 1, maxLength: 10 }),
        fc.array(startStop, { maxLength: 20 }),
        fc.array(contract, { minLength: 1, maxLength: 4 }),
        scope,
        fc.constantFrom(2025, 2026),
        async (allocations, lines, contracts, kind, year) => {
          const lumpsums = await load({ allocations, lines, contracts });
          const s = scopeOf(kind);
          expect(byContract(await referralCounts(db, s, year, lumpsums))).toEqual(byContract(await referralCountsBefore(db, s, year, lumpsums).execute()));
        },
      ),
      { numRuns: 150 },
    );
  }, 300_000);

  it('reads the starts and stops once per statement, not once per allocation × contract', async () => {
    // 300 allocations of one provider, a start for each and a stop for every third, two lumpsum contracts
    await db.exec(
      `DELETE FROM ijw_start_stop; DELETE FROM ijw_message WHERE identification LIKE 'P%'; DELETE FROM allocation WHERE assignment_number ~ '^0?[0-9]+$' OR assignment_number LIKE 'P%'; DELETE FROM contract`,
    );
    await db.query(
      `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency)
      SELECT (1000 + g)::text, $1, $2, $3, $4, '2026-01-01', NULL, 1, '04', '2' FROM generate_series(1, 300) g`,
      [MUNICIPALITY, providers[0], youths[0].id, products[0]],
    );
    const [{ id: m }] = await db.query(
      `INSERT INTO ijw_message (message_type, direction, identification, sender_code, receiver_code, municipality_code, provider_id, provider_agb, content_hash, status, xml_gzip, size_bytes)
      VALUES ('JW305', 'in', 'P-plan', 'x', $1, $3, $2, 'x', 'P-plan', 'verwerkt', '\\x00', 0) RETURNING id`,
      [MUNICIPALITY, providers[0], MUNICIPALITY],
    );
    await db.query(
      `INSERT INTO ijw_start_stop (message_id, line_no, kind, bsn_hash, assignment_number, product_category, product_code, allocation_start, begin_date, end_date, reason, delivery_status)
      SELECT $1::bigint, g, 'start', $2::text, 1000 + g, '45', '45A03', '2026-01-01'::date, '2026-02-01'::date, NULL::date, NULL::text, '1' FROM generate_series(1, 300) g
      UNION ALL SELECT $1, 1000 + g, 'stop', $2, 1000 + g, '45', '45A03', '2026-01-01', '2026-02-01', '2026-05-01', '01', '1' FROM generate_series(3, 300, 3) g`,
      [m, youths[0].hash],
    );
    const lumpsums: { id: number; providerId: number }[] = [];
    for (const [from, to] of [
      ['2026-01-01', '2026-07-01'],
      ['2026-07-01', null],
    ]) {
      const [{ id }] = await db.query(
        `INSERT INTO contract (region_id, provider_id, segment_id, funding_form, valid_from, valid_to, lumpsum_cents) VALUES ('test', $1, $2, 'lumpsum', $3, $4, 1) RETURNING id`,
        [providers[0], segments[0], from, to],
      );
      lumpsums.push({ id: Number(id), providerId: providers[0] });
    }
    await db.exec('ANALYZE');
    const region = scopeOf('region');
    // the rows each plan reads from ijw_start_stop: summed over every scan of it, times the times it ran
    const startStopRowsRead = async (q: { sql: string; parameters: readonly unknown[] }) => {
      const [row] = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.sql}`, q.parameters as unknown[]);
      const plan = row['QUERY PLAN'];
      let read = 0,
        subPlans = 0;
      const walk = (n: any) => {
        if (n['Parent Relationship'] === 'SubPlan') subPlans++;
        if (n['Relation Name'] === 'ijw_start_stop') read += (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) * n['Actual Loops'];
        for (const c of n.Plans ?? []) walk(c);
      };
      walk((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan);
      return { read, subPlans };
    };
    const after = await startStopRowsRead(referralCountsQuery(typed(db), region, 2026, lumpsums).compile());
    expect(after).toEqual({ read: 400, subPlans: 0 }); // each of the 400 start and stop lines once
    // (the old definition read them per allocation × contract, through a correlated look-up per row)
    const before = await startStopRowsRead(referralCountsBefore(db, region, 2026, lumpsums).compile());
    expect(before.subPlans).toBeGreaterThan(0);
    expect(before.read).toBeGreaterThan(400);
    const [counts] = await referralCounts(db, region, 2026, lumpsums);
    expect(counts).toMatchObject({ r1: 300, a1: 300, a2: 200 }); // the first contract: 300 started in February, 100 stopped on 1 May
  }, 120_000);
});
