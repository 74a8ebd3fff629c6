// The one hook through which others learn what a JW323 booked (issue 13 §3: monitoring learns of booked lines through
// one hook, not by being written into). A listener hears the message, its line count and the municipality ×
// provider × year groups, inside the import's transaction: what it writes commits with the lines, and when it throws
// the import is refused with nothing stored. Monitoring's facts are such a listener (src/wiring.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import { importMessage, onDeclarationBooked, type BookedLine, type BookedLines } from '../../src/ijw/import.ts';
import { BSN2, MUNICIPALITY, TODAY, declaration, line, retotal } from './helpers.ts';
import { counts, declarationFile, importFixture, keys } from './fixture.ts';

let db: Db;
let providerId: number;
const opts = { keys, today: TODAY };
beforeAll(async () => {
  ({ db, providerId } = await importFixture());
}, 120_000);
afterAll(async () => {
  await db?.close();
});

describe('what a declaration booked reaches its listeners', () => {
  it("a listener hears the booked lines in the import's transaction, and monitoring's facts follow them", async () => {
    const heard: BookedLines[] = [];
    const stop = onDeclarationBooked(async (tx, booked) => {
      heard.push(booked);
      // inside the transaction: the lines it announces are there to read
      const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM declaration_line WHERE ijw_message_id = $1`, [booked.messageId]);
      expect(n).toBe(booked.lines);
    });
    try {
      const r = await importMessage(db, declarationFile(declaration()), opts);
      expect(r).toMatchObject({ status: 'verwerkt', lines: 2, acceptedLines: 2 });
      expect(heard.map(({ rows: _, ...b }) => b)).toEqual([
        { messageId: r.messageId, lines: 2, groups: [{ municipalityCode: MUNICIPALITY, providerId, year: 2026 }] },
      ]);
      // and the booked rows themselves, from what the import holds: the same as the ledger now has
      const ledger = await db.query(
        `SELECT municipality_code AS "municipalityCode", provider_id AS "providerId", product_id AS "productId", youth_id::int AS "youthId",
                period_start::text AS "periodStart", amount_cents::int AS "amountCents", debit_credit AS "debitCredit"
         FROM declaration_line WHERE ijw_message_id = $1 ORDER BY ijw_line_no`,
        [r.messageId],
      );
      const fields = Object.keys(ledger[0]) as (keyof BookedLine)[];
      expect([...heard[0].rows()].map((l) => Object.fromEntries(fields.map((k) => [k, l[k]])))).toEqual(ledger);
      // monitoring's listener (wired by testDb) added the two lines to the year's facts
      const [f] = await db.query(
        `SELECT sum(lines)::int AS lines, sum(amount_cents)::int8 AS cents FROM declaration_year_fact WHERE municipality_code = $1 AND provider_id = $2 AND year = 2026`,
        [MUNICIPALITY, providerId],
      );
      const [d] = await db.query(
        `SELECT count(*)::int AS lines, sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END)::int8 AS cents FROM declaration_line WHERE municipality_code = $1 AND provider_id = $2 AND extract(year FROM period_start) = 2026`,
        [MUNICIPALITY, providerId],
      );
      expect(f).toEqual(d);
    } finally {
      stop();
    }
  });

  it('a listener that fails refuses the import: nothing stored', async () => {
    const before = await counts(db);
    const stop = onDeclarationBooked(async () => {
      throw new Error('de cijfers konden niet worden bijgewerkt');
    });
    try {
      await expect(
        importMessage(db, declarationFile(retotal(declaration([{ bsn: BSN2, lines: [line('HOOK3', { ToewijzingNummer: 10074 })] }]))), opts),
      ).rejects.toThrow('de cijfers konden niet worden bijgewerkt');
    } finally {
      stop();
    }
    expect(await counts(db)).toEqual(before);
  });
});
