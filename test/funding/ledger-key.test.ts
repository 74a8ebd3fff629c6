// A ledger row refers to its allocation by one composite foreign key (migration 035, issue 17 §3): the allocation,
// municipality, provider, youth and product of a row in declaration_line are its allocation's, and the database holds
// that, not only the code that books (funding's bookLines). It replaced five single keys, one check per row instead of
// five; what they held still holds (the allocation refers to the municipality, provider, youth and product itself),
// and more: a row cannot name another youth, product or provider than its allocation's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import { importMessage } from '../../src/ijw/import.ts';
import { bookedTariff } from '../../src/funding/index.ts';
import { TODAY, declaration } from '../ijw/helpers.ts';
import { declarationFile, importFixture, keys } from '../ijw/fixture.ts';

let db: Db;
let messageId: number;
beforeAll(async () => {
  ({ db } = await importFixture());
  const r = await importMessage(db, declarationFile(declaration()), { keys, today: TODAY });
  expect(r).toMatchObject({ status: 'verwerkt', lines: 2, acceptedLines: 2 });
  messageId = r.messageId;
}, 120_000);
afterAll(async () => {
  await db?.close();
});

/** A copy of the first booked line of the message with some columns replaced (SQL expressions), inserted in a transaction that is rolled back. */
async function copyWith(changes: Record<string, string>): Promise<string> {
  const col = (c: string) => changes[c] ?? c;
  try {
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO declaration_line (allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents,
                                       amount_cents, debit_credit, status, source, ijw_message_id, ijw_line_no)
         SELECT ${col('allocation_id')}, ${col('municipality_code')}, ${col('provider_id')}, ${col('youth_id')}, ${col('product_id')}, period_start, period_end,
                volume, unit, tariff_cents, amount_cents, debit_credit, status, source, ijw_message_id, 99
         FROM declaration_line WHERE ijw_message_id = $1 AND ijw_line_no = 1`,
        [messageId],
      );
      throw new Error('stored');
    });
  } catch (e) {
    return (e as Error).message;
  }
  return 'not rolled back';
}

describe('een grootboekregel hoort bij zijn toewijzing (één samengestelde sleutel, migratie 035)', () => {
  it('een kopie van een geboekte regel past', async () => {
    expect(await copyWith({})).toBe('stored');
  });

  it('een andere jeugdige, een ander product of een andere aanbieder dan die van de toewijzing: geweigerd', async () => {
    const other = async (table: string, col: string) =>
      (
        await db.query(
          `SELECT min(id)::int AS id FROM ${table} WHERE id <> (SELECT ${col} FROM declaration_line WHERE ijw_message_id = $1 AND ijw_line_no = 1)`,
          [messageId],
        )
      )[0].id;
    expect(await copyWith({ youth_id: String(await other('youth', 'youth_id')) })).toMatch(/declaration_line_allocation/);
    expect(await copyWith({ product_id: String(await other('product', 'product_id')) })).toMatch(/declaration_line_allocation/);
    expect(await copyWith({ provider_id: String(await other('provider', 'provider_id')) })).toMatch(/declaration_line_allocation/);
    expect(await copyWith({ municipality_code: `'0363'` })).toMatch(/declaration_line_allocation/);
    expect(await copyWith({ allocation_id: '999999' })).toMatch(/declaration_line_allocation/);
  });

  it('zonder toewijzing of zonder jeugdige: geweigerd (de sleutel wordt dan altijd gecontroleerd)', async () => {
    expect(await copyWith({ allocation_id: 'NULL' })).toMatch(/allocation_id/);
    expect(await copyWith({ youth_id: 'NULL' })).toMatch(/youth_id/);
  });

  it('het geboekte tarief: dat van de regel, anders bedrag per eenheid (half van nul af afgerond), zonder volume 0', () => {
    expect(bookedTariff({ tariffCents: 1250, volume: 3, amountCents: 4000 })).toBe(1250);
    expect(bookedTariff({ tariffCents: null, volume: 2, amountCents: 5 })).toBe(3); // 2.5 → 3
    expect(bookedTariff({ tariffCents: null, volume: 3, amountCents: 4000 })).toBe(1333);
    expect(bookedTariff({ tariffCents: null, volume: 0, amountCents: 4000 })).toBe(0);
    expect(bookedTariff({ tariffCents: null, volume: null, amountCents: 4000 })).toBe(0);
  });
});
