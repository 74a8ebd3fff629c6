// The monthly facts (migration 007) give exactly what the declaration lines give: costs by month and by
// quarter (and every other dimension) compared with the same query over declaration_line, for the whole
// region, a municipality, a provider and a segment filter. Credits, rejected lines, lines without a youth
// and a previous year are added to the demo so each rule of the facts is exercised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededDb } from '../helpers/seed-cache.ts';
import { TEST_KEY } from '../helpers/app.ts';
import { costs, COST_DIMENSIONS } from '../../src/monitoring/costs.ts';
import { DECLARATION_FACTS, ensureFacts } from '../../src/monitoring/facts.ts';
import { drillDown } from '../../src/monitoring/rows.ts';
import type { Db } from '../../src/db/index.ts';
import type { DataScope } from '../../src/access/roles.ts';

let db: Db;
const R = 'twente';
let scopes: DataScope[] = [];
let segmentCodes: string[] = [];

beforeAll(async () => {
  db = await seededDb([R], TEST_KEY); // the cached seed (history up to 30 November 2026)
  const cols = `allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents, debit_credit, status, source`;
  // a previous year: a tenth of the lines one year earlier
  await db.exec(`INSERT INTO declaration_line (${cols})
    SELECT allocation_id, municipality_code, provider_id, youth_id, product_id, (period_start - interval '1 year')::date, (period_end - interval '1 year')::date,
           volume, unit, tariff_cents, amount_cents, debit_credit, status, source FROM declaration_line WHERE id % 10 = 0`);
  // credits (negative), rejected lines (left out) and lines without a youth (money, no person)
  await db.exec(`INSERT INTO declaration_line (${cols})
    SELECT allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents / 2, 'C', status, 'test'
    FROM declaration_line WHERE id % 37 = 0 AND period_start >= '2021-01-01'`);
  await db.exec(`INSERT INTO declaration_line (${cols})
    SELECT allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents, 'D', 'afgewezen', 'test'
    FROM declaration_line WHERE id % 41 = 0 AND period_start >= '2021-01-01'`);
  await db.exec(`INSERT INTO declaration_line (${cols})
    SELECT NULL, municipality_code, provider_id, NULL, product_id, period_start, period_end, 1, unit, 12345, 12345, 'D', 'geaccepteerd', 'lumpsum'
    FROM declaration_line WHERE id % 53 = 0 AND period_start >= '2021-01-01'`);
  // the facts of these lines, as after the upgrade to migration 009: lines but no facts, which start-up rebuilds (the
  // last test compares them with their definition)
  await db.exec(`TRUNCATE declaration_year_fact, declaration_month_fact`);
  await ensureFacts(db);
  const mun = (await db.query(`SELECT code FROM municipality WHERE region_id = $1 ORDER BY code LIMIT 1`, [R]))[0].code;
  const prov = (
    await db.query(
      `SELECT d.provider_id AS id FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
    WHERE m.region_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      [R],
    )
  )[0].id;
  scopes = [
    { regionId: R, municipalityCode: null, providerId: null, label: 'regio' },
    { regionId: R, municipalityCode: mun, providerId: null, label: 'gemeente' },
    { regionId: R, municipalityCode: null, providerId: prov, label: 'aanbieder' },
  ];
  segmentCodes = (await db.query(`SELECT code FROM segment WHERE region_id = $1 AND parent_id IS NULL ORDER BY sort_order`, [R])).map((r) => r.code);
}, 300_000);
afterAll(async () => {
  await db?.close();
});

describe('monthly facts', () => {
  it('the test data exercises credits, rejected lines, lines without a youth and the previous year', async () => {
    const [r] =
      await db.query(`SELECT count(*) FILTER (WHERE debit_credit = 'C')::int AS credits, count(*) FILTER (WHERE status = 'afgewezen')::int AS rejected,
      count(*) FILTER (WHERE youth_id IS NULL)::int AS anonymous, count(*) FILTER (WHERE period_start < '2021-01-01')::int AS previous FROM declaration_line`);
    for (const n of Object.values(r)) expect(n).toBeGreaterThan(50);
    const [f] = await db.query(`SELECT count(*)::int AS facts FROM declaration_month_fact`);
    const [l] = await db.query(`SELECT count(*)::int AS lines FROM declaration_line`);
    expect(f.facts).toBeLessThan(l.lines / 3); // the point of the grain: a fraction of the lines
  });

  it('costs by month and quarter equal the query over declaration_line, in every scope and for a segment filter', async () => {
    let compared = 0;
    for (const dimension of ['maand', 'kwartaal'] as const) {
      for (const scope of scopes) {
        for (const segment of [null, ...segmentCodes]) {
          const [facts, lines] = await Promise.all([costs(db, scope, 2021, dimension, segment), costs(db, scope, 2021, dimension, segment, 'lines')]);
          expect(facts, `${dimension} ${scope.label} ${segment ?? 'alle'}`).toEqual(lines);
          compared += facts.rows.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    const region = await costs(db, scopes[0], 2021, 'maand', null);
    expect(region.rows.map((r) => r.key)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']);
    expect(region.total.previousAmountCents).toBeGreaterThan(0);
    // a person in care all year counts once in the year, once per month: the months add up to more than the year
    expect(region.rows.reduce((s, r) => s + r.persons, 0)).toBeGreaterThan(region.total.persons);
    expect(region.rows.reduce((s, r) => s + r.amountCents, 0)).toBe(region.total.amountCents);
  });

  it('every other dimension agrees with the lines too (the yearly facts)', async () => {
    for (const dimension of COST_DIMENSIONS.filter((d) => d !== 'maand' && d !== 'kwartaal')) {
      for (const scope of scopes) {
        const segment = segmentCodes[0];
        expect(await costs(db, scope, 2021, dimension, null), `${dimension} ${scope.label}`).toEqual(await costs(db, scope, 2021, dimension, null, 'lines'));
        expect(await costs(db, scope, 2021, dimension, segment), `${dimension} ${scope.label} ${segment}`).toEqual(
          await costs(db, scope, 2021, dimension, segment, 'lines'),
        );
      }
    }
  });

  it("the region's drill-down aggregates (from the monthly facts) equal a grouping of the lines", async () => {
    const seg = segmentCodes[0];
    for (const [filter, where] of [
      [{ month: null, quarter: null, segment: null }, ``],
      [{ month: null, quarter: 1, segment: null }, `AND extract(quarter FROM d.period_start) = 1`],
      [{ month: 3, quarter: null, segment: null }, `AND extract(month FROM d.period_start) = 3`], // one month: grouped from the lines
      [{ month: null, quarter: 2, segment: seg }, `AND extract(quarter FROM d.period_start) = 2 AND COALESCE(ps.code, s.code) = '${seg}'`],
    ] as const) {
      const page = await drillDown(db, scopes[0], { year: 2021, municipalityCode: null, agbCode: null, productGroup: null, ...filter }, null);
      const lines = await db.query(
        `SELECT to_char(d.period_start, 'YYYY-MM') AS month, d.provider_id AS "providerId", p.code AS "productCode",
          count(*)::int AS lines, sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8 AS "amountCents"
        FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code JOIN product p ON p.id = d.product_id
        JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id
        WHERE m.region_id = $1 AND d.status = 'geaccepteerd' AND d.period_start >= '2021-01-01' AND d.period_start < '2022-01-01' ${where}
        GROUP BY 1, 2, 3`,
        [R],
      );
      const key = (r: any) => `${r.month}|${r.providerId}|${r.productCode}`;
      const pick = (r: any) => ({ key: key(r), lines: r.lines, amountCents: r.amountCents });
      expect(
        page.aggregates.map(pick).sort((a, b) => a.key.localeCompare(b.key)),
        JSON.stringify(filter),
      ).toEqual(lines.map(pick).sort((a, b) => a.key.localeCompare(b.key)));
      expect(page.total.rows).toBe(lines.length);
    }
  });

  it('a database with lines but no facts (as after the upgrade to migration 009) gets them back at start-up', async () => {
    // beforeAll emptied the facts and ran ensureFacts, as start-up does: what it built equals the facts' definition
    // over every line (one full rebuild in this file, not two: each is every fact of three regions' six years)
    for (const [table, select] of DECLARATION_FACTS) {
      // compared in the database (rows in one and not the other, duplicates counted): a few hundred thousand wide rows
      // compared in JavaScript took longer than the rebuild itself
      const [d] = await db.query(
        `WITH fresh AS MATERIALIZED (${select('true')})
         SELECT (SELECT count(*) FROM ${table})::int AS stored,
                (SELECT count(*) FROM (TABLE ${table} EXCEPT ALL TABLE fresh) x)::int AS extra,
                (SELECT count(*) FROM (TABLE fresh EXCEPT ALL TABLE ${table}) x)::int AS missing`,
      );
      expect(d.stored, table).toBeGreaterThan(1000);
      expect({ extra: d.extra, missing: d.missing }, table).toEqual({ extra: 0, missing: 0 });
    }
  }, 300_000);

  it('a year without declarations gives zeros, not an error', async () => {
    const c = await costs(db, scopes[0], 2030, 'kwartaal', null);
    expect(c.rows).toEqual([]);
    expect(c.total.amountCents).toBe(0);
  });
});
