// The monitoring facts after an iJW import (issue 14, point 3): the import adds the sums of the lines it booked to the
// fact rows they fall in (municipality × provider × product × youth × year), summed per key from the rows it booked (it
// hands them over; since migration 035 nothing is read back from the ledger), at most rowsPerStatement keys per
// statement, instead of recomputing the whole municipality × provider × year group in one statement (minutes on the
// embedded database for the largest file). The facts must come out exactly as a recomputation of the whole group gives them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededDb } from '../helpers/seed-cache.ts';
import { TEST_KEY } from '../helpers/app.ts';
import { updateDeclarationFacts, type BookedFactLine, type FactGroup } from '../../src/monitoring/index.ts';
import { DECLARATION_FACTS } from '../../src/monitoring/facts.ts';
import type { Db } from '../../src/db/index.ts';

let db: Db;
const MESSAGE = 987_654_321;
let group: FactGroup;
const inGroup = `d.municipality_code = $1::bpchar AND d.provider_id = $2 AND d.period_start >= make_date($3, 1, 1) AND d.period_start < make_date($3 + 1, 1, 1)`;

beforeAll(async () => {
  db = await seededDb(['twente'], TEST_KEY);
}, 600_000);
afterAll(async () => {
  await db?.close();
});

const factsOf = async (table: string, g: FactGroup) =>
  db.query(`SELECT * FROM ${table} WHERE municipality_code = $1::bpchar AND provider_id = $2 AND year = $3 ORDER BY product_id, youth_id`, [
    g.municipalityCode,
    g.providerId,
    g.year,
  ]);
const recomputed = async (select: (w: string) => string, g: FactGroup) =>
  db.query(`SELECT * FROM (${select(inGroup)}) x ORDER BY product_id, youth_id`, [g.municipalityCode, g.providerId, g.year]);

describe('monitoringfeiten na een iJW-import: de geboekte regels erbij opgeteld, in begrensde stappen', () => {
  it('1.200 geboekte regels (drie stappen van 500): dezelfde feiten als de hele groep opnieuw berekend, de rest ongemoeid', async () => {
    // the largest 2021 group of Twente, and 1,200 new lines on its youths (a credit among them), as an import books them
    const [g] = await db.query<{ m: string; p: number; n: number }>(
      `SELECT d.municipality_code AS m, d.provider_id AS p, count(*)::int AS n FROM declaration_line d JOIN municipality mu ON mu.code = d.municipality_code
       WHERE mu.region_id = 'twente' AND d.status = 'geaccepteerd' AND d.period_start >= '2021-01-01' AND d.period_start < '2022-01-01' AND d.youth_id IS NOT NULL
       GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1`,
    );
    group = { municipalityCode: g.m, providerId: g.p, year: 2021 };
    expect(g.n).toBeGreaterThan(600);
    await db.query(
      `INSERT INTO declaration_line (allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents,
                                     amount_cents, debit_credit, status, source, ijw_message_id, ijw_line_no)
       SELECT allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, 1, unit, 1000 + n, 1000 + n,
              CASE WHEN n % 97 = 0 THEN 'C' ELSE 'D' END, 'geaccepteerd', 'jw323', $4, n
       FROM (SELECT d.*, row_number() OVER (ORDER BY d.youth_id, d.id)::int AS n FROM declaration_line d WHERE ${inGroup} AND d.status = 'geaccepteerd' AND d.youth_id IS NOT NULL) x
       WHERE n <= 1200`,
      [g.m, g.p, 2021, MESSAGE],
    );
    const lines = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM declaration_line WHERE ijw_message_id = $1`, [MESSAGE]))[0].n;
    expect(lines).toBe(Math.min(1200, g.n));
    const othersBefore = await db.query(
      `SELECT count(*)::int AS n, sum(amount_cents)::int8 AS s FROM declaration_year_fact WHERE NOT (municipality_code = $1::bpchar AND provider_id = $2 AND year = $3)`,
      [g.m, g.p, 2021],
    );
    const before = await factsOf('declaration_year_fact', group);

    // the rows as the import hands them over (it holds them; nothing is read back from the ledger)
    const booked = await db.query<BookedFactLine>(
      `SELECT municipality_code AS "municipalityCode", provider_id AS "providerId", product_id AS "productId", youth_id::int AS "youthId",
              period_start::text AS "periodStart", amount_cents::int AS "amountCents", debit_credit AS "debitCredit"
       FROM declaration_line WHERE ijw_message_id = $1 ORDER BY ijw_line_no`,
      [MESSAGE],
    );
    await db.transaction((tx) => updateDeclarationFacts(tx, [group], { rows: () => booked }));

    for (const [table, select] of DECLARATION_FACTS) expect(await factsOf(table, group)).toEqual(await recomputed(select, group));
    const after = await factsOf('declaration_year_fact', group);
    const sum = (rows: any[]) => rows.reduce((s, r) => s + Number(r.amount_cents), 0);
    // the new lines' net amount: 1000 + n cents each, the credits (every 97th) negative
    let expected = 0;
    for (let n = 1; n <= lines; n++) expected += (n % 97 === 0 ? -1 : 1) * (1000 + n);
    expect(sum(after) - sum(before)).toBe(expected);
    expect(
      await db.query(
        `SELECT count(*)::int AS n, sum(amount_cents)::int8 AS s FROM declaration_year_fact WHERE NOT (municipality_code = $1::bpchar AND provider_id = $2 AND year = $3)`,
        [g.m, g.p, 2021],
      ),
    ).toEqual(othersBefore);
  });
});
