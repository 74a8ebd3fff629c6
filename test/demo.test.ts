// The demo data is calibrated on the published figures (figures.json), checked here from the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import figures from '../src/demo/figures.json' with { type: 'json' };
import { testDb } from './helpers/db.ts';
import { loadDemo } from '../src/app.ts';
import { bsnKeys, isValidBsn } from '../src/core/bsn.ts';
import { decryptBsn } from '../src/ijw/bsn.ts';
import type { Db } from '../src/db/index.ts';

const keys = bsnKeys('ab'.repeat(32));
let db: Db;
beforeAll(async () => {
  db = await testDb();
  await loadDemo(db, keys);
}, 600_000);
afterAll(async () => { await db?.close(); });

const within = (actual: number, expected: number, tolerance = 0.02) =>
  expect(Math.abs(actual - expected) / expected, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);

/** Accepted money and persons per top-level segment and municipality, for a region and year. */
async function perSegmentMunicipality(region: string, year: number) {
  return db.query(
    `SELECT COALESCE(ps.name, s.name) AS segment, m.name AS municipality, sum(d.amount_cents)::int8 AS cents, count(DISTINCT d.youth_id)::int AS clients
     FROM declaration_line d JOIN product p ON p.id = d.product_id JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id
     JOIN municipality m ON m.code = d.municipality_code
     WHERE m.region_id = $1 AND d.status = 'geaccepteerd' AND d.period_start >= make_date($2, 1, 1) AND d.period_start < make_date($2 + 1, 1, 1)
     GROUP BY GROUPING SETS ((COALESCE(ps.name, s.name)), (COALESCE(ps.name, s.name), m.name))`, [region, year]);
}

describe('Twente 2021 matches the published figures (003, figures.json)', () => {
  const t = figures.twente;
  it('costs per segment within 2%', async () => {
    const rows = (await perSegmentMunicipality('twente', 2021)).filter((r) => r.municipality === null);
    const bySeg = new Map(rows.map((r) => [r.segment, r.cents]));
    const published: Record<string, number> = { Ambulant: t.costs_by_segment_million_eur.Ambulant, Verblijf: 55.4, Wonen: 29.8, Crisis: 4.7, 'JB/JR': 15.9, LTA: 4.1, Overige: 5.0 };
    for (const [seg, mln] of Object.entries(published)) within(bySeg.get(seg) ?? 0, mln * 1e8);
    within([...bySeg.values()].reduce((a, b) => a + b, 0), t.costs_by_segment_million_eur.total * 1e8);
  });
  it('per municipality: money and clients for Wonen, Verblijf and Crisis within 2%, region persons de-duplicated', async () => {
    const rows = await perSegmentMunicipality('twente', 2021);
    for (const seg of ['Wonen', 'Verblijf', 'Crisis'] as const) {
      const table = t.per_municipality[seg];
      for (const [name, clients, eur] of table.rows as [string, number, number, number][]) {
        const r = rows.find((x) => x.segment === seg && (x.municipality === name || x.municipality?.replace(/ \(.*\)$/, '') === name));
        expect(r, `${seg} ${name}`).toBeTruthy();
        within(r.cents, eur * 100);
        within(r.clients, clients);
      }
      const total = rows.find((x) => x.segment === seg && x.municipality === null);
      within(total.clients, table.total[0]); // de-duplicated: less than the sum of the municipalities
      within(total.cents, table.total[1] * 100);
    }
    const [{ persons, providers }] = await db.query(
      `SELECT count(DISTINCT youth_id)::int AS persons, count(DISTINCT provider_id)::int AS providers FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code WHERE m.region_id = 'twente'`);
    within(persons, t.persons_with_youth_care);
    within(providers, t.active_providers);
  });
  it('has the published concentration: 50% of the money with 2–3% of the providers', async () => {
    const [{ share }] = await db.query(
      `WITH p AS (SELECT provider_id, sum(amount_cents) AS a FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code WHERE m.region_id = 'twente' GROUP BY provider_id),
            r AS (SELECT a, sum(a) OVER (ORDER BY a DESC, provider_id) AS cum, sum(a) OVER () AS total, count(*) OVER () AS n FROM p)
       SELECT (count(*) FILTER (WHERE cum - a < total / 2))::float8 / max(n) AS share FROM r`);
    expect(share).toBeGreaterThanOrEqual(0.015);
    expect(share).toBeLessThanOrEqual(0.04);
  });
});

describe('Midden-IJssel/Oost-Veluwe 2023 matches spending per product group (004 Bijlage 2)', () => {
  it('every product group within 2%', async () => {
    const rows = await db.query(
      `SELECT p.product_group AS grp, sum(d.amount_cents)::int8 AS cents FROM declaration_line d JOIN product p ON p.id = d.product_id
       WHERE p.region_id = 'midden-ijssel-oost-veluwe' AND d.period_start >= '2023-01-01' AND d.period_start < '2024-01-01' GROUP BY 1`);
    const groups = Object.entries(figures.midden_ijssel_oost_veluwe.spending_by_product_group_eur).filter(([k]) => k !== 'note') as [string, number][];
    expect(rows).toHaveLength(groups.length);
    for (const [grp, eur] of groups) within(rows.find((r) => r.grp === grp)?.cents ?? 0, eur * 100);
  });
});

describe('every declaration line is sound', () => {
  it('amount = volume × tariff, the period lies in one calendar month and inside its allocation', async () => {
    const [bad] = await db.query(
      `SELECT count(*) FILTER (WHERE d.amount_cents <> d.volume * d.tariff_cents)::int AS amount,
              count(*) FILTER (WHERE date_trunc('month', d.period_start) <> date_trunc('month', d.period_end))::int AS month,
              count(*) FILTER (WHERE d.period_start < a.start_date OR d.period_end > a.end_date)::int AS outside,
              count(*) FILTER (WHERE d.product_id <> a.product_id OR d.provider_id <> a.provider_id OR d.youth_id <> a.youth_id)::int AS mismatch,
              count(*)::int AS n
       FROM declaration_line d JOIN allocation a ON a.id = d.allocation_id`);
    expect(bad.n).toBeGreaterThan(100_000);
    expect({ ...bad, n: 0 }).toEqual({ amount: 0, month: 0, outside: 0, mismatch: 0, n: 0 });
    const [{ overstay }] = await db.query(
      `SELECT count(*)::int AS overstay FROM (SELECT d.allocation_id, date_trunc('month', d.period_start) AS mo, sum(d.volume) AS v, max(extract(day FROM d.period_end)) AS dim
         FROM declaration_line d WHERE d.unit = '14' GROUP BY 1, 2) x WHERE v > dim`);
    expect(overstay).toBe(0); // never more etmalen than days in the month
  });
  it('the tariff of each line is the product\'s tariff valid on the period', async () => {
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM declaration_line d WHERE NOT EXISTS (
         SELECT 1 FROM tariff t WHERE t.product_id = d.product_id AND t.valid_from <= d.period_start AND (t.valid_to IS NULL OR t.valid_to > d.period_start) AND t.amount_cents = d.tariff_cents)`);
    expect(n).toBe(0);
  });
  it('stores BSNs encrypted; the message layer decrypts valid, unique BSNs', async () => {
    const rows = await db.query(`SELECT bsn_encrypted, bsn_hash FROM youth ORDER BY id LIMIT 500`);
    const bsns = rows.map((r) => decryptBsn(keys, r.bsn_encrypted));
    expect(bsns.every(isValidBsn)).toBe(true);
    expect(new Set(bsns).size).toBe(bsns.length);
    expect(rows.every((r) => !Buffer.from(r.bsn_encrypted).toString('latin1').match(/\d{9}/))).toBe(true);
  });
});

describe('deterministic from the seed', () => {
  it('the same seed gives the same amounts per municipality, product and provider', async () => {
    const fingerprint = async (d: Db) => (await d.query(
      `SELECT md5(string_agg(municipality_code || ':' || p.code || ':' || pr.agb_code || ':' || s, ',' ORDER BY municipality_code, p.code, pr.agb_code)) AS f
       FROM (SELECT municipality_code, product_id, provider_id, sum(amount_cents) AS s FROM declaration_line GROUP BY 1, 2, 3) x
       JOIN product p ON p.id = x.product_id JOIN provider pr ON pr.id = x.provider_id WHERE p.region_id = 'achterhoek'`))[0].f;
    const other = await testDb();
    try {
      await loadDemo(other, bsnKeys('cd'.repeat(32)), undefined, ['achterhoek']);
      expect(await fingerprint(other)).toBe(await fingerprint(db));
    } finally { await other.close(); }
  });
});
