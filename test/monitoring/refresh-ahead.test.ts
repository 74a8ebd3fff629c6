// Refresh-ahead in monitoring's cache (src/monitoring/cache.ts; cache.test.ts has the rest): the warm-up (src/warm.ts)
// computes answers again before they expire, while the kept one serves until the new one is there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import { cachedFigures, raiseFactsVersionOf, refreshAhead } from '../../src/monitoring/cache.ts';
import { testDb } from '../helpers/db.ts';

let db: Db;
beforeAll(async () => {
  db = await testDb();
  await db.query(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('cache', 'Cacheregio', 'Twente')`);
  await db.query(
    `INSERT INTO municipality (code, name, province, jeugdzorgregio, region_id) VALUES ('9901', 'Cachegemeente', 'Overijssel', 'Twente', 'cache')`,
  );
}, 120_000);
afterAll(async () => {
  await db?.close();
});

describe('refreshing kept answers ahead of their expiry', () => {
  it('computes once, again after the facts version is raised, and ahead of expiry only inside refreshAhead', async () => {
    const scope = { regionId: 'cache', municipalityCode: null, providerId: null };
    let computed = 0;
    const ask = () => cachedFigures(db, scope, 'k', async () => ++computed);
    expect(await ask()).toBe(1);
    expect(await ask()).toBe(1); // kept
    await raiseFactsVersionOf(db, ['9901']);
    expect(await ask()).toBe(2); // the facts changed
    expect(await refreshAhead(60_000, ask)).toBe(2); // younger than a minute: kept
    expect(await refreshAhead(0, ask)).toBe(3); // refreshed ahead of its expiry
    expect(await ask()).toBe(3); // and kept from then on
    // a refresh that fails leaves the kept answer
    const failing = () =>
      cachedFigures(db, scope, 'k', async () => {
        throw new Error('mislukt');
      });
    await expect(refreshAhead(0, failing)).rejects.toThrow('mislukt');
    expect(await ask()).toBe(3);
  });
});
