// The register's read model: what this process writes shows at once; what is written elsewhere (another process,
// a script) shows once the region's fingerprint is checked; reservations stop holding places when their time is up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { world, type World } from './fixture.ts';
import { Register, toView, DEFAULT_SETTINGS } from '../../src/placement/register.ts';

let w: World;
beforeAll(async () => {
  w = await world();
}, 120_000);
afterAll(async () => {
  await w?.close();
});

const row = async (r: Register, id: number) => (await r.region('twente')).groups.find((g) => g.id === id)!;

describe('the register read model', () => {
  it('sees a change made elsewhere after the fingerprint check, not before', async () => {
    const r = new Register(w.db, 50, 60_000);
    expect((await row(r, w.groups.zon)).occupied).toBe(2);
    await w.db.query(`UPDATE care_group SET places_occupied = 3, availability_version = availability_version + 1 WHERE id = $1`, [w.groups.zon]);
    expect((await row(r, w.groups.zon)).occupied).toBe(2); // the snapshot answers until the check
    await new Promise((res) => setTimeout(res, 80));
    await r.region('twente'); // starts the check in the background
    for (let i = 0; i < 50 && (await row(r, w.groups.zon)).occupied !== 3; i++) await new Promise((res) => setTimeout(res, 20));
    expect((await row(r, w.groups.zon)).occupied).toBe(3);
  });

  it('shows a write through the module at once (write-through), and never goes back to older figures', async () => {
    const r = new Register(w.db, 60_000, 60_000);
    await r.region('twente');
    await w.db.query(`UPDATE care_group SET places_occupied = 1, availability_version = availability_version + 1 WHERE id = $1`, [w.groups.zon]);
    const [fresh] = await r.refresh([w.groups.zon]);
    expect(fresh.occupied).toBe(1);
    expect((await row(r, w.groups.zon)).occupied).toBe(1);
    // a reload that read the row before that write (the older version) does not put the older figures back
    await w.db.query(`UPDATE care_group SET places_occupied = 2, availability_version = $2 WHERE id = $1`, [w.groups.zon, fresh.version - 1]);
    await (r as any).load('twente');
    expect(await row(r, w.groups.zon)).toMatchObject({ occupied: 1, version: fresh.version });
    await w.db.query(`UPDATE care_group SET places_occupied = 1, availability_version = $2 WHERE id = $1`, [w.groups.zon, fresh.version]);
  });

  it('a reservation holds its places until it expires, computed at read time', () => {
    const now = Date.parse('2025-05-01T12:00:00Z');
    const base = {
      id: 1,
      name: 'G',
      groupType: 'gezinshuis',
      productCode: null,
      productName: null,
      segmentCode: null,
      segmentName: null,
      rosterHoursWeek: 84,
      ageMin: 4,
      ageMax: 17,
      gender: 'gemengd',
      targetGroups: [],
      expertise: [],
      physical: 4,
      contracted: 4,
      staffed: 4,
      occupied: 2,
      intakeOpen: true,
      note: '',
      version: 3,
      updatedAt: '2025-05-01T10:00:00.000Z',
      updatedBy: 'x',
      providerId: 1,
      providerName: 'P',
      locationId: 1,
      locationName: 'L',
      municipalityCode: '0153',
      municipalityName: 'Enschede',
      province: 'Overijssel',
      regionId: 'twente',
      search: 'g',
      holds: [
        { places: 1, expiresAt: now + 60_000 },
        { places: 1, expiresAt: now - 1 },
      ],
    };
    const v = toView(base, DEFAULT_SETTINGS, new Date(now));
    expect(v.places).toEqual({ physical: 4, contracted: 4, staffed: 4, occupied: 2, reserved: 1, free: 1 });
    expect(v.light).toBe('limited');
    expect(v.intensity).toEqual({ hoursPerDay: 3, band: 'II' });
    expect(toView(base, DEFAULT_SETTINGS, new Date(now + 61_000)).places).toMatchObject({ reserved: 0, free: 2 });
    expect(toView(base, { ...DEFAULT_SETTINGS, staleAfterHours: 1 }, new Date(now)).stale).toBe(true);
  });
});
