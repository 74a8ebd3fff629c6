// The coordination point through its HTTP API, as each role: scopes, availability with optimistic versioning
// (parallel writers lose nothing), one active request per youth, the dated state machine with reservations,
// matching, privacy (a provider sees a request only once offered; every read audited), the CSV import, the
// public page and live updates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { world, type User, type World } from './fixture.ts';
import { registerFor } from '../../src/placement/register.ts';
import { todayNl } from '../../src/placement/requests.ts';

let w: World;
const R = '/api/regions/twente/placement';
const today = todayNl();
const addDays = (d: string, k: number) => new Date(Date.parse(`${d}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  w = await world();
}, 120_000);
afterAll(async () => {
  await w?.close();
});

const group = async (user: User, id: number) => (await w.call(user, 'GET', `${R}/groups`)).json.groups.find((g: any) => g.groupId === id);
const audits = async () =>
  (await w.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read' AND subject = 'placement_request'`))[0].n as number;

describe('who may do what', () => {
  it('answers every placement route per role as declared', async () => {
    const ster = w.groups.ster;
    const cases: [string, string, unknown, Partial<Record<User | 'publiek', number>>][] = [
      ['GET', `${R}/groups`, undefined, { publiek: 401, regio: 200, coordinator: 200, gemeente: 200, aanbieder: 200 }],
      ['GET', `${R}/capacity`, undefined, { publiek: 401, regio: 200, coordinator: 200, gemeente: 200, aanbieder: 200 }],
      ['GET', `${R}/settings`, undefined, { publiek: 401, regio: 200, aanbieder: 200 }],
      ['PUT', `${R}/settings`, { staleAfterHours: 48, reservationHours: 48 }, { publiek: 401, regio: 200, coordinator: 403, gemeente: 403, aanbieder: 403 }],
      [
        'PUT',
        `${R}/availability`,
        { updates: [{ groupId: ster, version: 1, staffed: 6, occupied: 4 }] },
        { publiek: 401, regio: 403, coordinator: 403, gemeente: 403, aanbieder2: 404, aanbieder: 200 },
      ],
      ['GET', `${R}/availability-log`, undefined, { publiek: 401, regio: 200, aanbieder: 200 }],
      ['GET', `${R}/events`, undefined, { publiek: 401, regio: 200, coordinator: 200, gemeente: 200, aanbieder: 200 }],
      ['GET', `${R}/requests`, undefined, { publiek: 401, regio: 403, coordinator: 200, gemeente: 200, aanbieder: 200 }],
      ['GET', `${R}/youths/${w.youths.y1}/requests`, undefined, { publiek: 401, regio: 403, coordinator: 200, gemeente: 200, aanbieder: 200 }],
      ['GET', `${R}/youths/${w.youths.y1}/proposals`, undefined, { publiek: 401, regio: 403, gemeente: 403, aanbieder: 403, coordinator: 200 }],
      [
        'POST',
        `${R}/requests`,
        { pseudonym: 'J-T000004', careTypes: ['gezinshuis'], urgency: 'normaal' },
        { publiek: 401, regio: 403, aanbieder: 403, gemeente: 201 },
      ],
      [
        'POST',
        `${R}/requests/transitions`,
        { requestId: 999999, action: 'oppakken' },
        { publiek: 401, regio: 403, coordinator: 404, gemeente: 404, aanbieder: 404 },
      ],
      ['GET', `${R}/waiting-times`, undefined, { publiek: 401, regio: 200, coordinator: 200, gemeente: 200, aanbieder: 403 }],
      ['GET', `${R}/waiting-times.csv`, undefined, { regio: 200, aanbieder: 403 }],
      ['GET', `${R}/flows`, undefined, { publiek: 401, regio: 200, coordinator: 200, gemeente: 200, aanbieder: 403 }],
      ['GET', `${R}/provider-waiting-times`, undefined, { publiek: 401, regio: 200, aanbieder: 200 }],
      [
        'POST',
        `${R}/provider-waiting-times`,
        { csv: 'aanbieder;aanbod;type;weken tot intake;datum\n11110001;Gezinshuis;gezinshuis;4;2025-01-01' },
        { publiek: 401, gemeente: 403, aanbieder: 403, regio: 200 },
      ],
      ['GET', '/api/public/placement', undefined, { publiek: 200, regio: 200 }],
      ['GET', '/api/public/placement/vocabulary', undefined, { publiek: 200 }],
      ['GET', '/api/regions/achterhoek/placement/groups', undefined, { regio: 404, gemeente: 404 }], // not loaded / not theirs
    ];
    for (const [method, url, payload, expected] of cases) {
      for (const [user, status] of Object.entries(expected)) {
        const res = await w.call(user === 'publiek' ? null : (user as User), method, url, payload);
        expect(res.status, `${user} ${method} ${url}: ${res.body.slice(0, 200)}`).toBe(status);
        if (status >= 400) expect(res.headers['content-type'], url).toContain('application/problem+json');
      }
    }
    // the walk registered a request for y4 (gemeente Enschede): clean up for the tests below
    await w.db.query(`DELETE FROM placement_request_event`);
    await w.db.query(`DELETE FROM placement_request`);
  });

  it('a provider sees only its own groups; the others see the whole region', async () => {
    const all = (await w.call('coordinator', 'GET', `${R}/groups`)).json.groups;
    const own = (await w.call('aanbieder', 'GET', `${R}/groups`)).json.groups;
    expect(all).toHaveLength(7);
    expect(own.map((g: any) => g.providerId)).toEqual(own.map(() => w.providers.A));
    expect(own).toHaveLength(4);
    expect((await w.call('gemeente', 'GET', `${R}/groups`)).json.groups).toHaveLength(7);
  });

  it('filters the register: kind, age, expertise, free places, municipality, text, stale', async () => {
    const q = async (query: string) => (await w.call('coordinator', 'GET', `${R}/groups?${query}`)).json.groups.map((g: any) => g.name).sort();
    expect(await q('type=gezinshuis')).toEqual(['Gezinshuis Maan', 'Gezinshuis Zon']);
    expect(await q('type=gezinshuis,specialistisch_wonen&age=13&expertise=trauma')).toEqual(['Gezinshuis Zon', 'Meidengroep Almelo', 'Woongroep Ster']);
    expect(await q('free=true&type=behandelgroep')).toEqual([]);
    expect(await q('municipality=0164')).toEqual(['Crisisgroep Hengelo', 'Woongroep Ster']);
    expect(await q('q=beta')).toEqual(['Gezinshuis Zon', 'Meidengroep Almelo', 'Pleeggezin De Boer']);
    expect(await q('stale=true')).toEqual(['Meidengroep Almelo']);
    expect(await q('expertise=broers_zussen')).toEqual(['Pleeggezin De Boer']);
    const bad = await w.call('coordinator', 'GET', `${R}/groups?type=kasteel`);
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('querystring.type.0');
  });
});

describe('availability', () => {
  it('a provider reports several groups in one action; every figure says who and when; the place states add up', async () => {
    const maan = await group('aanbieder', w.groups.maan),
      ster = await group('aanbieder', w.groups.ster);
    const res = await w.call('aanbieder', 'PUT', `${R}/availability`, {
      updates: [
        { groupId: maan.groupId, version: maan.version, staffed: 4, occupied: 2 },
        { groupId: ster.groupId, version: ster.version, staffed: 5, occupied: 5, intakeOpen: true, note: 'Twee vacatures' },
      ],
    });
    expect(res.status, res.body).toBe(200);
    const [m, s] = res.json.updated.sort((a: any, b: any) => a.groupId - b.groupId);
    expect(m).toMatchObject({
      version: maan.version + 1,
      updatedBy: 'Planner Alfa',
      stale: false,
      light: 'open',
      places: { physical: 4, staffed: 4, occupied: 2, reserved: 0, free: 2 },
    });
    expect(s).toMatchObject({ version: ster.version + 1, note: 'Twee vacatures', light: 'closed', places: { physical: 8, staffed: 5, occupied: 5, free: 0 } });
    expect(Date.now() - Date.parse(m.updatedAt)).toBeLessThan(60_000);
    // the coordinator sees it at once, and the log says who reported what
    expect((await group('coordinator', w.groups.maan)).places.free).toBe(2);
    const log = (await w.call('coordinator', 'GET', `${R}/availability-log?groupId=${w.groups.maan}`)).json;
    expect(log[0]).toMatchObject({ groupId: w.groups.maan, version: maan.version + 1, staffed: 4, occupied: 2, by: 'Planner Alfa' });
  });

  it('all or nothing: a foreign group or an impossible figure in the batch changes nothing', async () => {
    const maan = await group('aanbieder', w.groups.maan);
    const foreign = await w.call('aanbieder', 'PUT', `${R}/availability`, {
      updates: [
        { groupId: maan.groupId, version: maan.version, staffed: 4, occupied: 0 },
        { groupId: w.groups.zon, version: 1, staffed: 4, occupied: 0 },
      ],
    });
    expect(foreign.status).toBe(404);
    expect(foreign.json.field).toBe('updates.1.groupId');
    const impossible = await w.call('aanbieder', 'PUT', `${R}/availability`, {
      updates: [
        { groupId: maan.groupId, version: maan.version, staffed: 4, occupied: 0 },
        { groupId: w.groups.ster, version: (await group('aanbieder', w.groups.ster)).version, staffed: 9, occupied: 0 },
      ],
    });
    expect(impossible.status).toBe(400);
    expect(impossible.json.detail).toMatch(/Woongroep Ster: bemenst \(9\) kan niet meer zijn dan het aantal fysieke plekken \(8\)/);
    expect(await group('aanbieder', w.groups.maan)).toMatchObject({ version: maan.version, places: { occupied: 2 } });
  });

  it('a report made on old figures is refused (409) with who changed them and when, in Dutch', async () => {
    const maan = await group('aanbieder', w.groups.maan);
    const stale = await w.call('aanbieder', 'PUT', `${R}/availability`, {
      updates: [{ groupId: maan.groupId, version: maan.version - 1, staffed: 4, occupied: 4 }],
    });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ title: 'Intussen gewijzigd', code: 'versie-verouderd', field: 'updates.0.version' });
    expect(stale.json.detail).toMatch(
      /^Gezinshuis Maan is intussen gewijzigd \(door Planner Alfa, .+\); u zag versie \d+, nu is het versie \d+\. Er is niets opgeslagen/,
    );
    expect((await group('aanbieder', w.groups.maan)).places.occupied).toBe(2);
  });

  it('parallel writers on the same version: exactly one wins, the others get 409 and nothing is half-saved', async () => {
    const ster = await group('aanbieder', w.groups.ster);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        w.call('aanbieder', 'PUT', `${R}/availability`, { updates: [{ groupId: ster.groupId, version: ster.version, staffed: 8, occupied: i }] }),
      ),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    const now = await group('aanbieder', w.groups.ster);
    expect(now.version).toBe(ster.version + 1);
    expect(now.places.occupied).toBe(won[0].json.updated[0].places.occupied);
    const [{ n }] = await w.db.query(`SELECT count(*)::int AS n FROM availability_update WHERE group_id = $1 AND version = $2`, [
      ster.groupId,
      ster.version + 1,
    ]);
    expect(n).toBe(1);
  });

  it('no lost update: parallel writers that each add one occupied place, retrying on 409, end at the sum', async () => {
    const start = await group('aanbieder', w.groups.ster);
    await w.call('aanbieder', 'PUT', `${R}/availability`, { updates: [{ groupId: start.groupId, version: start.version, staffed: 8, occupied: 0 }] });
    const writer = async () => {
      for (let attempt = 1; ; attempt++) {
        const g = await group('aanbieder', w.groups.ster);
        const r = await w.call('aanbieder', 'PUT', `${R}/availability`, {
          updates: [{ groupId: g.groupId, version: g.version, staffed: 8, occupied: g.places.occupied + 1 }],
        });
        if (r.status === 200) return attempt;
        expect(r.status).toBe(409);
      }
    };
    const attempts = await Promise.all(Array.from({ length: 8 }, writer));
    const end = await group('aanbieder', w.groups.ster);
    expect(end.places.occupied).toBe(8);
    expect(end.version).toBe(start.version + 1 + 8);
    expect(attempts.some((a) => a > 1)).toBe(true); // they really collided
    const history = await w.db.query(`SELECT places_occupied FROM availability_update WHERE group_id = $1 AND version > $2 ORDER BY version`, [
      start.groupId,
      start.version + 1,
    ]);
    expect(history.map((h) => h.places_occupied)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await w.call('aanbieder', 'PUT', `${R}/availability`, { updates: [{ groupId: end.groupId, version: end.version, staffed: 6, occupied: 4 }] });
  });
});

describe('registration: one active request per youth', () => {
  let first: any;
  it('a municipality registers its resident; a second registration is refused with a pointer to the first', async () => {
    const res = await w.call('gemeente', 'POST', `${R}/requests`, {
      bsn: w.bsn.y1,
      careTypes: ['gezinshuis', 'specialistisch_wonen'],
      expertise: ['hechting'],
      urgency: 'hoog',
      note: 'School in Enschede',
      registeredOn: addDays(today, -30),
    });
    expect(res.status, res.body).toBe(201);
    first = res.json;
    expect(first).toMatchObject({ youthId: w.youths.y1, pseudonym: 'J-T000001', municipalityCode: '0153', status: 'aangemeld', waitingDays: 30, ageYears: 12 });
    expect(JSON.stringify(first)).not.toContain(w.bsn.y1);
    const again = await w.call('coordinator', 'POST', `${R}/requests`, { pseudonym: 'J-T000001', careTypes: ['pleeggezin'], urgency: 'normaal' });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: 'aanvraag-bestaat', existingRequestId: first.requestId, field: 'youthId' });
    expect(again.json.detail).toContain(`nr. ${first.requestId}`);
  });

  it('the database itself refuses a second active request (partial unique index), also for parallel registrations', async () => {
    await expect(
      w.db.query(
        `INSERT INTO placement_request (region_id, youth_id, municipality_code, care_types, urgency, registered_on) VALUES ('twente', $1, '0153', '{crisis}', 'spoed', $2)`,
        [w.youths.y1, today],
      ),
    ).rejects.toThrow(/placement_request_one_active/);
    const both = await Promise.all(
      [1, 2].map(() => w.call('coordinator', 'POST', `${R}/requests`, { pseudonym: 'J-T000002', careTypes: ['pleeggezin'], urgency: 'normaal' })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = both.find((r) => r.status === 409)!;
    expect(loser.json.existingRequestId).toBe(both.find((r) => r.status === 201)!.json.requestId);
  });

  it("a municipality cannot register someone else's resident; a wrong BSN is named", async () => {
    expect((await w.call('gemeente', 'POST', `${R}/requests`, { pseudonym: 'J-T000003', careTypes: ['gezinshuis'], urgency: 'normaal' })).status).toBe(404);
    const bad = await w.call('gemeente', 'POST', `${R}/requests`, { bsn: '123456789', careTypes: ['gezinshuis'], urgency: 'normaal' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ field: 'bsn', detail: 'Dit is geen geldig BSN (elfproef)' });
    // a valid BSN of another municipality's resident and a valid BSN nobody has: the same answer, no internal id,
    // and both look-ups audited (issue 14)
    const notMine = await w.call('gemeente', 'POST', `${R}/requests`, { bsn: w.bsn.y3, careTypes: ['gezinshuis'], urgency: 'normaal' });
    expect(notMine.status).toBe(404);
    const unknownValid = await w.call('gemeente', 'POST', `${R}/requests`, { bsn: '100000010', careTypes: ['gezinshuis'], urgency: 'normaal' });
    expect(unknownValid.status).toBe(404);
    expect(notMine.json.detail).toBe(unknownValid.json.detail);
    expect(notMine.json.detail).not.toMatch(/\d{3,}/);
    const lookups = await w.db.query(`SELECT subject_ids, detail FROM audit_log WHERE action = 'bsn_lookup' ORDER BY id DESC LIMIT 2`);
    expect(lookups.map((l: any) => l.detail.found)).toEqual([false, false]);
    const byId = await w.call('gemeente', 'POST', `${R}/requests`, { pseudonym: 'J-T000003', careTypes: ['gezinshuis'], urgency: 'normaal' });
    expect(byId.json.detail).not.toContain('J-T000003');
    const future = await w.call('gemeente2', 'POST', `${R}/requests`, {
      pseudonym: 'J-T000003',
      careTypes: ['gezinshuis'],
      urgency: 'normaal',
      registeredOn: addDays(today, 3),
    });
    expect(future.status).toBe(400);
    expect(future.json.field).toBe('registeredOn');
  });
});

describe('from registration to placement, with dates', () => {
  let request: number;
  const act = (user: User, body: object) => w.call(user, 'POST', `${R}/requests/transitions`, body);

  it('matching ranks the fitting places with a reason each; the coordinator decides', async () => {
    request = (await w.call('coordinator', 'GET', `${R}/youths/${w.youths.y1}/requests`)).json[0].requestId;
    const before = await audits();
    const res = await w.call('coordinator', 'GET', `${R}/youths/${w.youths.y1}/proposals`);
    expect(res.status).toBe(200);
    expect(await audits()).toBe(before + 1);
    const { proposals, excluded, considered } = res.json;
    expect(considered).toBe(7);
    // y1: 12, boy, Enschede, hechting; gezinshuis or specialistisch wonen. Maan (Enschede, 2 free) before Zon (Almelo);
    // Ster (Hengelo) is specialistisch wonen; the girls' group and the other kinds are left out.
    expect(proposals.map((p: any) => p.name)).toEqual(['Gezinshuis Maan', 'Gezinshuis Zon', 'Woongroep Ster']);
    expect(proposals[1].rankReason).toMatch(/verder van huis \(2\d km tegen 0 km\)/);
    expect(proposals[2].rankReason).toBe('Even passend als #2, maar gezinshuis gaat voor specialistisch wonen');
    expect(excluded).toMatchObject({ type: 3, gender: 1 });
  });

  it('a provider sees nothing until a place is offered to it; the offer reserves the place', async () => {
    expect((await w.call('aanbieder', 'GET', `${R}/requests`)).json).toEqual([]);
    expect((await w.call('aanbieder', 'GET', `${R}/youths/${w.youths.y1}/requests`)).json).toEqual([]);
    expect((await act('coordinator', { requestId: request, action: 'oppakken', onDate: addDays(today, -29) })).status).toBe(200);
    const freeBefore = (await group('coordinator', w.groups.maan)).places.free;
    const offer = await act('coordinator', { requestId: request, action: 'aanbieden', groupId: w.groups.maan, onDate: addDays(today, -5) });
    expect(offer.status, offer.body).toBe(200);
    expect(offer.json).toMatchObject({ status: 'aangeboden', reservation: { groupId: w.groups.maan, groupName: 'Gezinshuis Maan', places: 1 } });
    expect(Date.parse(offer.json.reservation.expiresAt) - Date.now()).toBeGreaterThan(47 * 3600_000);
    expect((await group('coordinator', w.groups.maan)).places).toMatchObject({ free: freeBefore - 1, reserved: 1 });
    const seen = (await w.call('aanbieder', 'GET', `${R}/requests`)).json;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ requestId: request, youthId: null, pseudonym: 'J-T000001', expertise: ['hechting'] });
    expect((await w.call('aanbieder2', 'GET', `${R}/requests`)).json).toEqual([]);
    // the provider may not report fewer staffed places than occupied + reserved
    const maan = await group('aanbieder', w.groups.maan);
    const tooFew = await w.call('aanbieder', 'PUT', `${R}/availability`, {
      updates: [{ groupId: maan.groupId, version: maan.version, staffed: 2, occupied: 2 }],
    });
    expect(tooFew.status).toBe(400);
    expect(tooFew.json.detail).toMatch(/1 plek gereserveerd/);
  });

  it('refuses what the state machine does not allow, and what is not yours', async () => {
    expect((await act('gemeente', { requestId: request, action: 'aanbieden', groupId: w.groups.zon })).status).toBe(403);
    expect((await act('aanbieder2', { requestId: request, action: 'plaatsen' })).status).toBe(404);
    const wrong = await act('coordinator', { requestId: request, action: 'beeindigen' });
    expect(wrong.status).toBe(409);
    expect(wrong.json.detail).toMatch(/kan niet vanuit de status 'Aangeboden/);
    const early = await act('aanbieder', { requestId: request, action: 'plaatsen', onDate: addDays(today, -6) });
    expect(early.status).toBe(400);
    expect(early.json).toMatchObject({ field: 'onDate', detail: expect.stringMatching(/vóór de vorige stap/) });
    const full = await act('coordinator', { requestId: request, action: 'aanbieden', groupId: w.groups.noord });
    expect(full.status).toBe(409);
  });

  it('the provider declines: the place is free again and the request is gone from its view; offered elsewhere and placed', async () => {
    const decline = await act('aanbieder', { requestId: request, action: 'afwijzen', onDate: addDays(today, -4), note: 'Groep past niet bij leeftijd' });
    expect(decline.json).toMatchObject({ status: 'in_behandeling', reservation: null });
    expect((await group('coordinator', w.groups.maan)).places.reserved).toBe(0);
    expect((await w.call('aanbieder', 'GET', `${R}/requests`)).json).toEqual([]);
    await act('coordinator', { requestId: request, action: 'aanbieden', groupId: w.groups.zon, onDate: addDays(today, -3) });
    const zon = await group('coordinator', w.groups.zon);
    const placed = await act('aanbieder2', { requestId: request, action: 'plaatsen', onDate: addDays(today, -2) });
    expect(placed.status, placed.body).toBe(200);
    expect(placed.json).toMatchObject({
      status: 'geplaatst',
      placedOn: addDays(today, -2),
      waitingDays: 28,
      placedGroup: { groupId: w.groups.zon },
      reservation: null,
    });
    const after = await group('coordinator', w.groups.zon);
    expect(after.places).toMatchObject({ occupied: zon.places.occupied + 1, reserved: 0, free: zon.places.free });
    expect(after.version).toBeGreaterThan(zon.version);
    // placed: no longer active, so a new registration would be allowed; the youth's history has every dated step
    const history = (await w.call('coordinator', 'GET', `${R}/youths/${w.youths.y1}/requests`)).json[0];
    expect(history.events.map((e: any) => [e.onDate, e.toStatus])).toEqual([
      [addDays(today, -30), 'aangemeld'],
      [addDays(today, -29), 'in_behandeling'],
      [addDays(today, -5), 'aangeboden'],
      [addDays(today, -4), 'in_behandeling'],
      [addDays(today, -3), 'aangeboden'],
      [addDays(today, -2), 'geplaatst'],
    ]);
    expect(history.events[3]).toMatchObject({ by: 'Planner Alfa', note: 'Groep past niet bij leeftijd', groupName: 'Gezinshuis Maan' });
    // the provider of the place now sees it; the other does not
    expect((await w.call('aanbieder2', 'GET', `${R}/requests`)).json.map((r: any) => r.requestId)).toEqual([request]);
    expect((await w.call('aanbieder', 'GET', `${R}/requests`)).json).toEqual([]);
    const ended = await act('aanbieder2', { requestId: request, action: 'beeindigen', onDate: today });
    expect(ended.json).toMatchObject({ status: 'beeindigd', endedOn: today, stayDays: 2 });
    expect((await group('coordinator', w.groups.zon)).places.occupied).toBe(zon.places.occupied);
  });

  it("a municipality withdraws its resident's request; an offer's reservation is released", async () => {
    const y2 = (await w.call('coordinator', 'GET', `${R}/youths/${w.youths.y2}/requests`)).json[0];
    await act('coordinator', { requestId: y2.requestId, action: 'aanbieden', groupId: w.groups.pleeggezin });
    expect((await group('coordinator', w.groups.pleeggezin)).places.reserved).toBe(1);
    const out = await act('gemeente', { requestId: y2.requestId, action: 'intrekken', note: 'Terug naar huis met ambulante hulp' });
    expect(out.json).toMatchObject({ status: 'ingetrokken', withdrawnOn: today, waitingDays: null });
    expect((await group('coordinator', w.groups.pleeggezin)).places.reserved).toBe(0);
    expect((await act('gemeente2', { requestId: y2.requestId, action: 'intrekken' })).status).toBe(404); // not Hengelo's
  });
});

describe('reservations expire', () => {
  it('a reservation past its time holds nothing, before and after the sweep returns the request to the coordinator', async () => {
    const created = await w.call('gemeente2', 'POST', `${R}/requests`, { pseudonym: 'J-T000003', careTypes: ['crisis'], urgency: 'spoed' });
    expect(created.status, created.body).toBe(201);
    const id = created.json.requestId;
    await w.call('coordinator', 'POST', `${R}/requests/transitions`, { requestId: id, action: 'aanbieden', groupId: w.groups.crisis });
    const held = await group('coordinator', w.groups.crisis);
    expect(held.places.reserved).toBe(1);
    // the reservation runs out in 1.5 seconds
    await w.db.query(`UPDATE placement_reservation SET expires_at = now() + interval '1500 milliseconds' WHERE request_id = $1 AND status = 'actief'`, [id]);
    await registerFor(w.db).refresh([w.groups.crisis]);
    expect((await group('coordinator', w.groups.crisis)).places.reserved).toBe(1);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await group('coordinator', w.groups.crisis)).places).toMatchObject({ reserved: 0, free: held.places.free + 1 }); // no sweep has run
    const [{ n }] = await w.db.query(`SELECT count(*)::int AS n FROM placement_reserved WHERE group_id = $1`, [w.groups.crisis]);
    expect(n).toBe(0);
    const [{ light }] = await w.db.query(`SELECT placement_light(places_staffed, places_occupied, 0, intake_open) AS light FROM care_group WHERE id = $1`, [
      w.groups.crisis,
    ]);
    expect(light).toBe((await group('coordinator', w.groups.crisis)).light);
    // the sweep (every 30 s on the server; also before every step) puts the request back
    const r = await w.call('coordinator', 'POST', `${R}/requests/transitions`, { requestId: id, action: 'oppakken' });
    expect(r.status).toBe(409); // the sweep ran first: the request is 'in behandeling' again, not 'aangemeld'
    const [req] = (await w.call('coordinator', 'GET', `${R}/youths/${w.youths.y3}/requests`)).json;
    expect(req).toMatchObject({ status: 'in_behandeling', reservation: null });
    expect(req.events.at(-1)).toMatchObject({ toStatus: 'in_behandeling', note: 'Reservering verlopen' });
  });
});

describe('privacy', () => {
  it('every read of requests is audited with the ids read; a municipality sees only its residents', async () => {
    const before = await audits();
    const gem = (await w.call('gemeente', 'GET', `${R}/requests`)).json;
    expect(gem.length).toBeGreaterThan(0);
    expect(gem.every((r: any) => r.municipalityCode === '0153')).toBe(true);
    const hen = (await w.call('gemeente2', 'GET', `${R}/requests`)).json;
    expect(hen.map((r: any) => r.municipalityCode)).toEqual(['0164']);
    expect(await audits()).toBe(before + 2);
    const [last] = await w.db.query(
      `SELECT l.subject_ids, a.username FROM audit_log l JOIN account a ON a.id = l.account_id WHERE l.subject = 'placement_request' ORDER BY l.id DESC LIMIT 1`,
    );
    expect(last.username).toBe('gemeente2');
    expect(last.subject_ids.map(Number)).toEqual(hen.map((r: any) => r.requestId));
    const [write] = await w.db.query(`SELECT action FROM audit_log WHERE subject = 'placement_request' AND action <> 'read' ORDER BY id DESC LIMIT 1`);
    expect(write.action).toBe('update');
  });

  it('the public page needs no login and holds no personal data', async () => {
    const res = await w.call(null, 'GET', '/api/public/placement');
    expect(res.status).toBe(200);
    const twente = res.json.regions.find((r: any) => r.regionId === 'twente');
    expect(twente.capacity.find((c: any) => c.groupType === 'gezinshuis')).toMatchObject({ groups: 2, physical: 8 });
    for (const secret of ['J-T00000', w.bsn.y1, 'youthId', 'pseudonym', 'Enschede', 'Planner']) expect(res.body).not.toContain(secret);
    // fewer than 5 placements: no typical wait shown
    expect(twente.waits.every((x: any) => x.placed === null || x.placed >= 5)).toBe(true);
  });
});

describe('waiting times published by providers', () => {
  it('stores the rows it can place, keeps unknown names aside with candidates, and refuses unreadable rows per line', async () => {
    const csv = [
      'aanbieder;aanbod;type;locatie;doelgroep;expertise;financiering;weken tot intake;weken tot behandeling;datum',
      '11110001;Gezinshuis;gezinshuis;Enschede;;hechting;Jeugdwet;6;8;2025-03-01',
      'Onbekend BV;Pleegzorg;pleeggezin;;;;Jeugdwet;4;;2025-03-01',
      'Beta Gezinshuizen;Pleegzorg;pleeggezin;;;;Jeugdwet;vier;;2025-03-01',
    ].join('\n');
    const res = await w.call('coordinator', 'POST', `${R}/provider-waiting-times`, { fileName: 'wachttijden.csv', csv });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ imported: 1, matchedBy: { agb: 1 } });
    expect(res.json.pending).toEqual([{ line: 3, provider: 'Onbekend BV', status: 'unknown', candidates: [], suggestion: '' }]);
    expect(res.json.errors).toEqual([{ line: 4, field: 'weken tot intake', detail: "'vier' is geen aantal weken (bv. 6 of 39,105)" }]);
    const none = await w.call('coordinator', 'POST', `${R}/provider-waiting-times`, { csv: 'aanbieder;aanbod;datum\nA;B;2025-01-01' });
    expect(none.status).toBe(422);
    expect(none.json.detail).toMatch(/er is niets opgeslagen/);
  });

  it('stores a good file whole; the latest report per offer counts; a provider sees its own', async () => {
    const csv = [
      'aanbieder;aanbod;type;locatie;doelgroep;expertise;financiering;weken tot intake;weken tot behandeling;datum',
      '11110001;Gezinshuis;gezinshuis;Enschede;;hechting;Jeugdwet;5;7;2025-04-01',
      'beta gezinshuizen;Pleegzorg;pleeggezin;;;;Jeugdwet;3,5;;01-04-2025',
    ].join('\n');
    const res = await w.call('coordinator', 'POST', `${R}/provider-waiting-times`, { fileName: 'april.csv', csv });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ imported: 2, errors: [] });
    const all = (await w.call('regio', 'GET', `${R}/provider-waiting-times`)).json;
    expect(all.find((x: any) => x.providerName === 'Alfa Jeugdzorg' && x.offer === 'Gezinshuis' && x.location === 'Enschede')).toMatchObject({
      weeksToIntake: 5,
      weeksToTreatment: 7,
      reportedOn: '2025-04-01',
    });
    expect(all.find((x: any) => x.providerName === 'Beta Gezinshuizen')).toMatchObject({ weeksToIntake: 3.5, weeksToTreatment: null });
    const own = (await w.call('aanbieder', 'GET', `${R}/provider-waiting-times`)).json;
    expect(own.every((x: any) => x.providerId === w.providers.A)).toBe(true);
  });
});

describe('settings', () => {
  it('the region sets when figures are stale; every screen marks them', async () => {
    expect((await group('coordinator', w.groups.maan)).stale).toBe(false);
    await w.db.query(`UPDATE care_group SET availability_updated_at = now() - interval '5 hours' WHERE id = $1`, [w.groups.maan]);
    registerFor(w.db).invalidate('twente');
    expect((await w.call('regio', 'PUT', `${R}/settings`, { staleAfterHours: 4, reservationHours: 24 })).json).toEqual({
      staleAfterHours: 4,
      reservationHours: 24,
    });
    expect((await group('coordinator', w.groups.maan)).stale).toBe(true);
    expect((await w.call('coordinator', 'GET', `${R}/capacity`)).json.byType.find((t: any) => t.groupType === 'gezinshuis').stale).toBeGreaterThanOrEqual(1);
    const bad = await w.call('regio', 'PUT', `${R}/settings`, { staleAfterHours: 0, reservationHours: 24 });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('body.staleAfterHours');
    await w.call('regio', 'PUT', `${R}/settings`, { staleAfterHours: 48, reservationHours: 48 });
  });
});

describe('live', () => {
  it("streams a provider's change to the coordinator as a server-sent event; a provider hears only its own groups", async () => {
    await w.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = w.server.server.address() as { port: number };
    const open = async (user: User) => {
      const ctrl = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}${R}/events`, { headers: { cookie: w.cookie[user], accept: 'text/event-stream' }, signal: ctrl.signal });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      let text = '';
      const next = async (pred: (e: any) => boolean, ms = 5000) => {
        const deadline = Date.now() + ms;
        for (;;) {
          const events = text
            .split('\n\n')
            .filter((b) => b.includes('data: '))
            .map((b) => JSON.parse(b.split('data: ')[1]));
          const hit = events.find(pred);
          if (hit) return hit;
          if (Date.now() > deadline) return null;
          const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
          if (chunk && 'value' in chunk && chunk.value) text += new TextDecoder().decode(chunk.value);
        }
      };
      return { next, close: () => ctrl.abort() };
    };
    const coordinator = await open('coordinator'),
      other = await open('aanbieder2');
    const maan = await group('aanbieder', w.groups.maan);
    const put = await w.call('aanbieder', 'PUT', `${R}/availability`, { updates: [{ groupId: maan.groupId, version: maan.version, staffed: 4, occupied: 1 }] });
    expect(put.status).toBe(200);
    const event = await coordinator.next((e) => e.kind === 'availability' && e.groupId === w.groups.maan);
    expect(event).toMatchObject({ regionId: 'twente', providerId: w.providers.A, free: 3, occupied: 1, version: maan.version + 1, light: 'open' });
    expect(await other.next((e) => e.groupId === w.groups.maan, 800)).toBeNull();
    // without an event stream: the changes after a sequence number, as JSON
    const poll = await w.call('coordinator', 'GET', `${R}/events?after=${event.seq - 1}`);
    expect(poll.json.events.map((e: any) => e.seq)).toContain(event.seq);
    coordinator.close();
    other.close();
  });
});
