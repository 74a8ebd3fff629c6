// Waiting-time arithmetic and flows in SQL with fixed cases, and the two place rules that exist in SQL and in
// TypeScript agreeing on every input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { world, type World } from './fixture.ts';
import { freePlaces, trafficLight } from '../../src/placement/rules.ts';
import { flows, waitingTimes } from '../../src/placement/stats.ts';
import { capacityByType, searchGroups } from '../../src/placement/store.ts';
import { encryptBsn, bsnLookupHash, bsnKeys } from '../../src/core/bsn.ts';
import { syntheticBsn } from '../../src/demo/index.ts';
import { TEST_KEY } from '../helpers/app.ts';

let w: World;
const scope = { regionId: 'twente', municipalityCode: null, providerId: null, label: '' };
let n = 0;
async function youth(municipality: string) {
  const keys = bsnKeys(TEST_KEY);
  const bsn = syntheticBsn(900_000 + ++n);
  return (
    await w.db.query(
      `INSERT INTO youth (bsn_encrypted, bsn_hash, pseudonym, birth_date, gender, municipality_code) VALUES ($1,$2,$3,'2012-01-01','1',$4) RETURNING id`,
      [encryptBsn(keys, bsn), bsnLookupHash(keys, bsn), `J-S${n}`, municipality],
    )
  )[0].id as number;
}
/** A request with its outcome, straight into the table (the API's steps are tested elsewhere). */
async function request(
  youthId: number,
  municipality: string,
  careType: string,
  registered: string,
  outcome: { placed?: string; group?: number; ended?: string; withdrawn?: string } = {},
) {
  const status = outcome.withdrawn ? 'ingetrokken' : outcome.ended ? 'beeindigd' : outcome.placed ? 'geplaatst' : 'in_behandeling';
  await w.db.query(
    `INSERT INTO placement_request (region_id, youth_id, municipality_code, care_types, urgency, status, registered_on, placed_on, placed_group_id, ended_on, withdrawn_on)
     VALUES ('twente', $1, $2, $3, 'normaal', $4, $5, $6, $7, $8, $9)`,
    [
      youthId,
      municipality,
      [careType],
      status,
      registered,
      outcome.placed ?? null,
      outcome.placed ? outcome.group : null,
      outcome.ended ?? null,
      outcome.withdrawn ?? null,
    ],
  );
}
const addDays = (d: string, k: number) => new Date(Date.parse(`${d}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  w = await world();
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe('the place rules in SQL and TypeScript', () => {
  it('agree on free places and the traffic light for every combination up to 10 places', async () => {
    const rows = await w.db.query(
      `SELECT s, o, r, i, placement_free(s, o, r) AS free, placement_light(s, o, r, i) AS light
       FROM generate_series(0, 10) s, generate_series(0, 10) o, generate_series(0, 4) r, (VALUES (true), (false)) AS v(i) WHERE o <= s`,
    );
    expect(rows.length).toBe(66 * 5 * 2);
    for (const x of rows) {
      const p = { physical: 10, staffed: x.s, occupied: x.o, reserved: x.r };
      expect([x.free, x.light], JSON.stringify(x)).toEqual([freePlaces(p), trafficLight(p, x.i)]);
    }
  });
  it("the register's read model and the SQL aggregate count the same places", async () => {
    const { groups } = await searchGroups(w.db, scope, {});
    const { byType } = await capacityByType(w.db, scope);
    for (const t of byType) {
      const mine = groups.filter((g) => g.groupType === t.groupType);
      expect(t.groups).toBe(mine.length);
      expect(t.free).toBe(mine.reduce((a, g) => a + g.places.free, 0));
      expect(t.staffed).toBe(mine.reduce((a, g) => a + g.places.staffed, 0));
      expect(t.open + t.limited + t.closed).toBe(mine.length);
      expect(t.closed).toBe(mine.filter((g) => g.light === 'closed').length);
      expect(t.stale).toBe(mine.filter((g) => g.stale).length);
    }
    expect(byType.find((t) => t.groupType === 'specialistisch_wonen')!.stale).toBe(1); // the girls' group reported 10 days ago
  });
});

describe('waiting time per care function and municipality', () => {
  const asOf = '2025-06-30',
    from = '2025-01-01';
  beforeAll(async () => {
    const g = w.groups;
    // Enschede, gezinshuis: waited 10, 20, 30 and 40 days
    for (const [reg, days] of [
      ['2025-02-01', 10],
      ['2025-02-01', 20],
      ['2025-03-01', 30],
      ['2025-03-01', 40],
    ] as [string, number][]) {
      await request(await youth('0153'), '0153', 'gezinshuis', reg, { placed: addDays(reg, days), group: g.maan });
    }
    await request(await youth('0153'), '0153', 'pleeggezin', '2025-04-01', { placed: '2025-04-06', group: g.pleeggezin }); // 5 days
    await request(await youth('0164'), '0164', 'gezinshuis', '2025-01-10', { placed: '2025-04-20', group: g.zon }); // Hengelo: 100 days
    await request(await youth('0153'), '0153', 'gezinshuis', '2024-06-01', { placed: '2024-12-20', group: g.maan }); // placed before the period
    await request(await youth('0153'), '0153', 'gezinshuis', '2025-06-10'); // still waiting: 20 days on asOf
    await request(await youth('0153'), '0153', 'gezinshuis', '2025-05-31', { placed: '2025-07-15', group: g.zon }); // placed after asOf: waiting 30 days then
    await request(await youth('0153'), '0153', 'gezinshuis', '2025-05-01', { withdrawn: '2025-05-20' }); // withdrawn: not waiting
  });

  it('gives the median and the 90th percentile (interpolated, in days) per care function × municipality, per care function and overall', async () => {
    const rows = await waitingTimes(w.db, scope, from, asOf);
    const find = (cf: string | null, m: string | null) => rows.find((r) => r.careFunction === cf && r.municipalityCode === m)!;
    expect(find('gezinshuis', '0153')).toMatchObject({
      placed: 4,
      medianDays: 25,
      p90Days: 37,
      waitingNow: 2,
      medianWaitingNowDays: 25,
      longestWaitingNowDays: 30,
      municipalityName: 'Enschede',
    });
    expect(find('pleeggezin', '0153')).toMatchObject({ placed: 1, medianDays: 5, p90Days: 5, waitingNow: 0, medianWaitingNowDays: null });
    expect(find('gezinshuis', '0164')).toMatchObject({ placed: 1, medianDays: 100, p90Days: 100 });
    expect(find('gezinshuis', null)).toMatchObject({ placed: 5, medianDays: 30, p90Days: 76, waitingNow: 2 }); // 10,20,30,40,100
    expect(find(null, null)).toMatchObject({ placed: 6, medianDays: 25, p90Days: 70, careFunctionLabel: 'Alle zorgvormen' }); // 5,10,20,30,40,100
  });

  it("a municipality sees only its own residents' waits", async () => {
    const rows = await waitingTimes(w.db, { ...scope, municipalityCode: '0164' }, from, asOf);
    expect(rows.filter((r) => r.municipalityCode).map((r) => r.municipalityCode)).toEqual(['0164']);
    expect(rows.find((r) => r.careFunction === null)).toMatchObject({ placed: 1, medianDays: 100 });
  });

  it('moves with the period: a later asOf counts the late placement and ends its wait', async () => {
    const rows = await waitingTimes(w.db, scope, from, '2025-07-31');
    expect(rows.find((r) => r.careFunction === 'gezinshuis' && r.municipalityCode === '0153')).toMatchObject({
      placed: 5,
      medianDays: 30,
      waitingNow: 1,
      longestWaitingNowDays: 51,
    });
  });
});

describe('in-, through- and outflow, length of stay, bridging places', () => {
  it("counts per month with the youth's previous and next stay, and labels crisis over 28 days as bridging", async () => {
    await w.db.query(`DELETE FROM placement_request`);
    const g = w.groups;
    const x = await youth('0153'),
      y = await youth('0153'),
      z = await youth('0164'),
      v = await youth('0153');
    await request(x, '0153', 'crisis', '2025-02-01', { placed: '2025-02-01', group: g.crisis, ended: '2025-03-15' }); // 42 days of crisis …
    await request(x, '0153', 'gezinshuis', '2025-02-10', { placed: '2025-03-17', group: g.maan }); // … then straight on: doorstroom
    await request(y, '0153', 'pleeggezin', '2025-03-01', { placed: '2025-04-10', group: g.pleeggezin, ended: '2025-05-20' }); // 40 days, then home
    await request(z, '0164', 'crisis', '2025-06-20', { placed: '2025-06-20', group: g.crisis }); // 10 days on asOf: crisis
    await request(v, '0153', 'crisis', '2025-05-01', { placed: '2025-05-01', group: g.crisis }); // 60 days on asOf: bridging place
    const f = await flows(w.db, scope, '2025-01-01', '2025-06-30');
    expect(f.months).toEqual([
      { month: '2025-01', inflow: 0, throughflow: 0, outflow: 0, inCare: 0, crisis: 0, bridging: 0 },
      { month: '2025-02', inflow: 1, throughflow: 0, outflow: 0, inCare: 1, crisis: 1, bridging: 0 }, // 27 days on 28 Feb
      { month: '2025-03', inflow: 0, throughflow: 1, outflow: 0, inCare: 1, crisis: 0, bridging: 0 },
      { month: '2025-04', inflow: 1, throughflow: 0, outflow: 0, inCare: 2, crisis: 0, bridging: 0 },
      { month: '2025-05', inflow: 1, throughflow: 0, outflow: 1, inCare: 2, crisis: 0, bridging: 1 }, // 30 days on 31 May
      { month: '2025-06', inflow: 1, throughflow: 0, outflow: 0, inCare: 3, crisis: 1, bridging: 1 },
    ]);
    expect(f.stays).toEqual([
      { groupType: 'crisis', typeLabel: 'Crisisbed', ended: 1, medianEndedDays: 42, ongoing: 2, medianOngoingDays: 35, bridgingNow: 1 },
      { groupType: 'gezinshuis', typeLabel: 'Gezinshuis', ended: 0, medianEndedDays: null, ongoing: 1, medianOngoingDays: 105, bridgingNow: 0 },
      { groupType: 'pleeggezin', typeLabel: 'Pleeggezin', ended: 1, medianEndedDays: 40, ongoing: 0, medianOngoingDays: null, bridgingNow: 0 },
    ]);
    const hengelo = await flows(w.db, { ...scope, municipalityCode: '0164' }, '2025-06-01', '2025-06-30');
    expect(hengelo.months).toEqual([{ month: '2025-06', inflow: 1, throughflow: 0, outflow: 0, inCare: 1, crisis: 1, bridging: 0 }]);
  });
});
