// The demo data is calibrated on the published figures (figures.json), checked here from the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import figures from '../src/demo/figures.json' with { type: 'json' };
import { seededDb, SEED_TODAY } from './helpers/seed-cache.ts';
import { REGION_IDS } from '../src/catalog/index.ts';
import { bsnKeys, isValidBsn } from '../src/core/bsn.ts';
import { decryptBsn } from '../src/ijw/bsn.ts';
import type { Db } from '../src/db/index.ts';
import { historyEnd } from '../src/demo/index.ts';

const keys = bsnKeys('ab'.repeat(32));
let db: Db;
// the history runs up to the month before "today": the seed is made on SEED_TODAY, 5 December 2026 (history to 30
// November; test/helpers/seed-cache.ts pins the clock while seeding)
beforeAll(async () => {
  db = await seededDb([...REGION_IDS], 'ab'.repeat(32));
}, 900_000);
afterAll(async () => {
  await db?.close();
});

const within = (actual: number, expected: number, tolerance = 0.02) =>
  expect(Math.abs(actual - expected) / expected, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);

/** Accepted money and persons per top-level segment and municipality, for a region and year. */
async function perSegmentMunicipality(region: string, year: number) {
  return db.query(
    `SELECT COALESCE(ps.name, s.name) AS segment, m.name AS municipality, sum(d.amount_cents)::int8 AS cents, count(DISTINCT d.youth_id)::int AS clients
     FROM declaration_line d JOIN product p ON p.id = d.product_id JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id
     JOIN municipality m ON m.code = d.municipality_code
     WHERE m.region_id = $1 AND d.status = 'geaccepteerd' AND d.period_start >= make_date($2, 1, 1) AND d.period_start < make_date($2 + 1, 1, 1)
     GROUP BY GROUPING SETS ((COALESCE(ps.name, s.name)), (COALESCE(ps.name, s.name), m.name))`,
    [region, year],
  );
}

describe('Twente 2021 matches the published figures (003, figures.json)', () => {
  const t = figures.twente;
  it('costs per segment within 2%', async () => {
    const rows = (await perSegmentMunicipality('twente', 2021)).filter((r) => r.municipality === null);
    const bySeg = new Map(rows.map((r) => [r.segment, r.cents]));
    const published: Record<string, number> = {
      Ambulant: t.costs_by_segment_million_eur.Ambulant,
      Verblijf: 55.4,
      Wonen: 29.8,
      Crisis: 4.7,
      'JB/JR': 15.9,
      LTA: 4.1,
      Overige: 5.0,
    };
    for (const [seg, mln] of Object.entries(published)) within(bySeg.get(seg) ?? 0, mln * 1e8);
    within(
      [...bySeg.values()].reduce((a, b) => a + b, 0),
      t.costs_by_segment_million_eur.total * 1e8,
    );
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
      `SELECT count(DISTINCT youth_id)::int AS persons, count(DISTINCT provider_id)::int AS providers FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
       WHERE m.region_id = 'twente' AND d.period_start >= '2021-01-01' AND d.period_start < '2022-01-01'`,
    );
    within(persons, t.persons_with_youth_care);
    within(providers, t.active_providers);
  });
  it('has the published concentration: 50% of the money with 2–3% of the providers', async () => {
    const [{ share }] = await db.query(
      `WITH p AS (SELECT provider_id, sum(amount_cents) AS a FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
                 WHERE m.region_id = 'twente' AND d.period_start >= '2021-01-01' AND d.period_start < '2022-01-01' GROUP BY provider_id),
            r AS (SELECT a, sum(a) OVER (ORDER BY a DESC, provider_id) AS cum, sum(a) OVER () AS total, count(*) OVER () AS n FROM p)
       SELECT (count(*) FILTER (WHERE cum - a < total / 2))::float8 / max(n) AS share FROM r`,
    );
    expect(share).toBeGreaterThanOrEqual(0.015);
    expect(share).toBeLessThanOrEqual(0.04);
  });
});

describe('Midden-IJssel/Oost-Veluwe 2023 matches spending per product group (004 Bijlage 2)', () => {
  it('every product group within 2%', async () => {
    const rows = await db.query(
      `SELECT p.product_group AS grp, sum(d.amount_cents)::int8 AS cents FROM declaration_line d JOIN product p ON p.id = d.product_id
       WHERE p.region_id = 'midden-ijssel-oost-veluwe' AND d.period_start >= '2023-01-01' AND d.period_start < '2024-01-01' GROUP BY 1`,
    );
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
       FROM declaration_line d JOIN allocation a ON a.id = d.allocation_id`,
    );
    expect(bad.n).toBeGreaterThan(100_000);
    expect({ ...bad, n: 0 }).toEqual({ amount: 0, month: 0, outside: 0, mismatch: 0, n: 0 });
    const [{ overstay }] = await db.query(
      `SELECT count(*)::int AS overstay FROM (SELECT d.allocation_id, date_trunc('month', d.period_start) AS mo, sum(d.volume) AS v, max(extract(day FROM d.period_end)) AS dim
         FROM declaration_line d WHERE d.unit = '14' GROUP BY 1, 2) x WHERE v > dim`,
    );
    expect(overstay).toBe(0); // never more etmalen than days in the month
  });
  it("the tariff of each line is the product's tariff valid on the period", async () => {
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM declaration_line d WHERE NOT EXISTS (
         SELECT 1 FROM tariff t WHERE t.product_id = d.product_id AND t.valid_from <= d.period_start AND (t.valid_to IS NULL OR t.valid_to > d.period_start) AND t.amount_cents = d.tariff_cents)`,
    );
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
    const fingerprint = async (d: Db) =>
      (
        await d.query(
          `SELECT md5(string_agg(municipality_code || ':' || p.code || ':' || pr.agb_code || ':' || s, ',' ORDER BY municipality_code, p.code, pr.agb_code)) AS f
       FROM (SELECT municipality_code, product_id, provider_id, sum(amount_cents) AS s FROM declaration_line GROUP BY 1, 2, 3) x
       JOIN product p ON p.id = x.product_id JOIN provider pr ON pr.id = x.provider_id WHERE p.region_id = 'achterhoek'`,
        )
      )[0].f;
    const other = await seededDb(['achterhoek'], 'cd'.repeat(32), { only: true }); // seeded on its own, with another BSN key
    try {
      expect(await fingerprint(other)).toBe(await fingerprint(db));
    } finally {
      await other.close();
    }
  });
});

// Issue 18: each region a continuous history from its published year up to the month before today. The checks
// are the CBS definitions of Jeugdmonitor/StatLine jeugdhulp: a trajectory is an allocation (start to end), the
// stock on 1 January the trajectories running on that day, inflow the trajectories starting in a month.
describe('a continuous history up to today, with flows and durations of the order CBS publishes', () => {
  const REGIONS = [
    ['twente', 2021],
    ['achterhoek', 2023],
    ['midden-ijssel-oost-veluwe', 2023],
  ] as const;
  const UNTIL = '2026-11-30';

  it('runs from the published year to the end of the month before today (the clock)', async () => {
    expect(SEED_TODAY).toBe('2026-12-05');
    expect(historyEnd('2026-12-05')).toBe(UNTIL);
    expect(historyEnd('2027-01-01')).toBe('2026-12-31');
    for (const [region, first] of REGIONS) {
      const rows = await db.query(
        `SELECT extract(year FROM d.period_start)::int AS year, sum(d.amount_cents)::int8 AS cents, count(DISTINCT d.youth_id)::int AS persons, max(d.period_end) AS last
         FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code WHERE m.region_id = $1 AND d.source = 'demo' GROUP BY 1 ORDER BY 1`,
        [region],
      );
      expect(
        rows.map((r) => r.year),
        region,
      ).toEqual(Array.from({ length: 2026 - first + 1 }, (_, i) => first + i));
      expect(rows.at(-1).last, region).toBe(UNTIL);
      // no year falls away or jumps: full later years within −10% … +35% of the published year (growth ~2% and indexation)
      for (const r of rows.slice(1, -1)) {
        expect(r.cents / rows[0].cents, `${region} ${r.year} money`).toBeGreaterThan(0.9);
        expect(r.cents / rows[0].cents, `${region} ${r.year} money`).toBeLessThan(1.35);
        expect(r.persons / rows[0].persons, `${region} ${r.year} persons`).toBeGreaterThan(0.85);
        expect(r.persons / rows[0].persons, `${region} ${r.year} persons`).toBeLessThan(1.3);
      }
    }
  });

  it('has a stock on 1 January of every year: youths already in care, a good part of those in care that year', async () => {
    for (const [region, first] of REGIONS) {
      for (let year = first; year <= 2026; year++) {
        const [r] = await db.query(
          `SELECT count(DISTINCT d.youth_id) FILTER (WHERE a.start_date < make_date($2, 1, 1))::int AS stock, count(DISTINCT d.youth_id)::int AS persons
           FROM declaration_line d JOIN allocation a ON a.id = d.allocation_id JOIN municipality m ON m.code = d.municipality_code
           WHERE m.region_id = $1 AND d.period_start >= make_date($2, 1, 1) AND d.period_start < make_date($2 + 1, 1, 1)`,
          [region, year],
        );
        expect(r.stock / r.persons, `${region} ${year}: stock ${r.stock} of ${r.persons}`).toBeGreaterThan(0.25);
        expect(r.stock / r.persons, `${region} ${year}: stock ${r.stock} of ${r.persons}`).toBeLessThan(0.8);
      }
    }
  });

  it('spreads the inflow over the months with the seasonality of registrations: no January spike, fewer in July, August and December', async () => {
    for (const [region, first] of REGIONS) {
      for (let year = first; year <= 2025; year++) {
        const rows = await db.query(
          `SELECT extract(month FROM a.start_date)::int AS month, count(*)::int AS n FROM allocation a JOIN municipality m ON m.code = a.municipality_code
           WHERE m.region_id = $1 AND a.start_date >= make_date($2, 1, 1) AND a.start_date < make_date($2 + 1, 1, 1) GROUP BY 1 ORDER BY 1`,
          [region, year],
        );
        expect(rows, `${region} ${year}`).toHaveLength(12);
        const n = rows.map((r) => r.n),
          mean = n.reduce((a, b) => a + b, 0) / 12;
        expect(Math.max(...n), `${region} ${year}: ${n.join(' ')}`).toBeLessThanOrEqual(2 * mean);
        expect(Math.min(...n), `${region} ${year}: ${n.join(' ')}`).toBeGreaterThan(0.4 * mean);
        expect(n[0], `${region} ${year} January`).toBeLessThan(1.3 * mean);
        for (const summer of [6, 7, 11]) expect(n[summer], `${region} ${year} month ${summer + 1}`).toBeLessThan(mean);
      }
    }
  });

  it('has durations per segment: ambulant care months (median), stays and foster care often longer than a year; most trajectories cross a year boundary', async () => {
    const [amb] = await db.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (a.end_date - a.start_date + 1) / 30.44) AS median_months, count(*)::int AS n
       FROM allocation a JOIN product p ON p.id = a.product_id WHERE trim(p.unit) = '04' AND p.code LIKE '45A5%' AND a.end_date <= $1::date AND a.start_date >= '2021-01-01'`,
      [UNTIL],
    );
    expect(amb.n).toBeGreaterThan(10_000);
    expect(amb.median_months).toBeGreaterThanOrEqual(4);
    expect(amb.median_months).toBeLessThanOrEqual(14);
    // foster care: half the stays longer than about nine months, a quarter longer than 15 months (Achterhoek's
    // published money per person keeps its stays shorter than Twente's)
    const [foster] = await db.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a.end_date - a.start_date + 1) AS median_days,
              percentile_cont(0.75) WITHIN GROUP (ORDER BY a.end_date - a.start_date + 1) AS p75_days
       FROM allocation a JOIN product p ON p.id = a.product_id WHERE p.code = '44B06'`,
    );
    expect(foster.median_days).toBeGreaterThan(270);
    expect(foster.p75_days).toBeGreaterThan(450);
    const [crisis] = await db.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a.end_date - a.start_date + 1) AS median_days FROM allocation a JOIN product p ON p.id = a.product_id WHERE p.code = '46A03'`,
    );
    expect(crisis.median_days).toBeLessThan(60);
    // of the trajectories that started in a year and have ended, the share that ended within their start year (was 97%)
    const [within] = await db.query(
      `SELECT avg(CASE WHEN extract(year FROM a.end_date) = extract(year FROM a.start_date) THEN 1.0 ELSE 0 END)::float8 AS share
       FROM allocation a WHERE a.start_date >= '2021-01-01' AND a.end_date <= $1::date`,
      [UNTIL],
    );
    expect(within.share).toBeLessThan(0.75);
  });

  it("declares each year at that year's tariffs: indexed every year and published in the product book", async () => {
    for (const [region, first] of REGIONS) {
      const rows = await db.query(
        `SELECT p.code, count(DISTINCT t.valid_from)::int AS n, min(t.valid_from) AS first, max(t.valid_from) AS last
         FROM tariff t JOIN product p ON p.id = t.product_id WHERE p.region_id = $1 GROUP BY 1`,
        [region],
      );
      for (const r of rows) {
        expect(r.first, `${region} ${r.code}`).toBe(`${first}-01-01`);
        expect(r.last, `${region} ${r.code}`).toBe('2026-01-01');
        // every year a new tariff (Twente's cost-price set of 2022 leaves out the products it has no norm for)
        expect(r.n, `${region} ${r.code}`).toBeGreaterThanOrEqual(2026 - first);
      }
      const [{ sets }] = await db.query(`SELECT count(*)::int AS sets FROM tariff_set WHERE region_id = $1 AND status = 'gepubliceerd'`, [region]);
      expect(sets).toBe(2026 - first);
    }
  });

  it('has a budget per municipality, segment and year', async () => {
    for (const [region, first] of REGIONS) {
      const rows = await db.query(
        `SELECT b.year, count(*)::int AS n FROM budget b JOIN municipality m ON m.code = b.municipality_code WHERE m.region_id = $1 GROUP BY 1 ORDER BY 1`,
        [region],
      );
      expect(
        rows.map((r) => r.year),
        region,
      ).toEqual(Array.from({ length: 2026 - first + 1 }, (_, i) => first + i));
    }
  });
});
