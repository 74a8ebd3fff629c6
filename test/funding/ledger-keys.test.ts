// The ledger's referential integrity (migration 036): a row booked on an allocation is checked by one key against
// the allocation as a whole, so it cannot name another municipality, provider, youth or product than its allocation's;
// a row without an allocation (lumpsum, availability) is still checked against each table it names; and an
// allocation's identity cannot change under the lines booked on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import { importFixture } from '../ijw/fixture.ts';
import { MUNICIPALITY } from '../ijw/helpers.ts';

let db: Db;
let alloc: { id: number; provider_id: number; youth_id: number; product_id: number };
let other: { provider: number; youth: number; product: number };

const insert = (v: { allocation: number | null; municipality?: string; provider: number; youth: number | null; product: number }) =>
  db.query(
    `INSERT INTO declaration_line (allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents, source)
     VALUES ($1, $2, $3, $4, $5, '2026-03-01', '2026-03-31', 1, '04', 1250, 1250, 'test')`,
    [v.allocation, v.municipality ?? MUNICIPALITY, v.provider, v.youth, v.product],
  );

beforeAll(async () => {
  ({ db } = await importFixture());
  [alloc] = await db.query(`SELECT id::int, provider_id, youth_id::int, product_id FROM allocation WHERE assignment_number = '10072'`);
  // an allocation of the other provider, for the other youth and (on 10073) the other product: each exists
  const [x] = await db.query(`SELECT provider_id, youth_id::int FROM allocation WHERE assignment_number = '20001'`);
  const [p] = await db.query(`SELECT product_id FROM allocation WHERE assignment_number = '10073'`);
  other = { provider: x.provider_id, youth: x.youth_id, product: p.product_id };
}, 180_000);
afterAll(async () => {
  await db?.close();
});

describe('the ledger is checked against the allocation it is booked on', () => {
  it('accepts a row that names its allocation’s municipality, provider, youth and product', async () => {
    await insert({ allocation: alloc.id, provider: alloc.provider_id, youth: alloc.youth_id, product: alloc.product_id });
  });

  it('refuses a row that names another youth, provider, product or municipality than its allocation’s', async () => {
    const good = { allocation: alloc.id, provider: alloc.provider_id, youth: alloc.youth_id, product: alloc.product_id };
    await expect(insert({ ...good, youth: other.youth })).rejects.toThrow(/declaration_line_allocation/);
    await expect(insert({ ...good, provider: other.provider })).rejects.toThrow(/declaration_line_allocation/);
    await expect(insert({ ...good, product: other.product })).rejects.toThrow(/declaration_line_allocation/);
    const [{ code }] = await db.query(`SELECT code FROM municipality WHERE code <> $1 ORDER BY code LIMIT 1`, [MUNICIPALITY]);
    await expect(insert({ ...good, municipality: code })).rejects.toThrow(/declaration_line_allocation/);
    await expect(insert({ ...good, allocation: 999_999 })).rejects.toThrow(/declaration_line_allocation/);
  });

  it('refuses a row on an allocation without a youth (the allocation’s key would not be checked)', async () => {
    await expect(insert({ allocation: alloc.id, provider: alloc.provider_id, youth: null, product: alloc.product_id })).rejects.toThrow(
      /declaration_line_allocated_youth/,
    );
  });

  it('still checks a row without an allocation against each table it names', async () => {
    const lumpsum = { allocation: null, provider: alloc.provider_id, youth: null, product: alloc.product_id };
    await insert(lumpsum); // a lumpsum line: no allocation, no youth
    await insert({ ...lumpsum, youth: other.youth }); // without allocation, any existing youth
    await expect(insert({ ...lumpsum, provider: 999_999 })).rejects.toThrow(/declaration_line_unallocated_provider/);
    await expect(insert({ ...lumpsum, product: 999_999 })).rejects.toThrow(/declaration_line_unallocated_product/);
    await expect(insert({ ...lumpsum, youth: 999_999 })).rejects.toThrow(/declaration_line_unallocated_youth/);
    await expect(insert({ ...lumpsum, municipality: '9999' })).rejects.toThrow(/declaration_line_unallocated_municipality/);
  });

  it('refuses to change the identity of an allocation with booked lines, or to remove it', async () => {
    await expect(db.query(`UPDATE allocation SET youth_id = $2 WHERE id = $1`, [alloc.id, other.youth])).rejects.toThrow(/declaration_line_allocation/);
    await expect(db.query(`DELETE FROM allocation WHERE id = $1`, [alloc.id])).rejects.toThrow(/declaration_line_allocation/);
    await expect(db.query(`DELETE FROM product WHERE id = $1`, [alloc.product_id])).rejects.toThrow(/foreign key/);
  });
});
