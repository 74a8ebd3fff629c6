// The providers' register over the API, as a contract manager, a provider and a municipality use it: create, edit
// and end providers, locations and groups (the coordination point sees a new group at once), scopes, and bad input
// that names the field and stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededServer, login, demoPassword } from '../helpers/app.ts';
import { clientStopFor } from '../../src/providers/index.ts';

let ctx: Awaited<ReturnType<typeof seededServer>>;
const cookies: Record<string, string> = {};
const R = '/api/regions/twente';
let ownProvider = 0;

const call = async (role: string, method: string, url: string, payload?: unknown) => {
  const res = await ctx.server.inject({ method: method as any, url, payload: payload as any, headers: { cookie: cookies[role] } });
  return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : null, body: res.body };
};
const count = async (sql: string, p: unknown[] = []) => (await ctx.db.query(sql, p))[0].n as number;

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente', 'aanbieder', 'coordinator']) cookies[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
  ownProvider = (await ctx.db.query(`SELECT provider_id FROM account WHERE username = 'aanbieder'`))[0].provider_id;
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

describe('providers', () => {
  it('refuses an AGB or KvK that is not 8 digits, naming the field; nothing stored', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM provider`);
    const res = await call('regio', 'POST', `${R}/providers`, { name: 'Nieuwe Zorg', agbCode: '1234567', kvkNumber: '12AB5678' });
    expect(res.status).toBe(400);
    expect(res.json.field).toBe('agbCode');
    expect(res.json.errors).toEqual([
      { field: 'agbCode', detail: "AGB-code '1234567' moet uit precies 8 cijfers bestaan" },
      { field: 'kvkNumber', detail: "KvK-nummer '12AB5678' moet uit precies 8 cijfers bestaan" },
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM provider`)).toBe(before);
  });

  it('creates, edits with history, catches duplicates by code and by name, and ends a provider keeping its history', async () => {
    const created = await call('regio', 'POST', `${R}/providers`, {
      name: 'Stichting Zonnebloem Jeugdhulp',
      agbCode: '12345678',
      kvkNumber: '87654321',
      tradeNames: ['Zonnebloem'],
      validFrom: '2025-01-01',
    });
    expect(created.status, created.body).toBe(201);
    const id = created.json.id;
    // same AGB: refused, naming the provider that has it
    const dupAgb = await call('regio', 'POST', `${R}/providers`, { name: 'Iets Anders', agbCode: '12345678' });
    expect(dupAgb.status).toBe(409);
    expect(dupAgb.json).toMatchObject({
      field: 'agbCode',
      detail: `AGB-code 12345678 is al geregistreerd bij Stichting Zonnebloem Jeugdhulp (aanbieder ${id})`,
    });
    // nearly the same name: "bedoelt u …?", unless the user insists
    const similar = await call('regio', 'POST', `${R}/providers`, { name: 'Zonnebloem Jeugdhulp B.V.' });
    expect(similar.status).toBe(409);
    expect(similar.json.detail).toMatch(/bedoelt u Stichting Zonnebloem Jeugdhulp \(100%\)\?/);
    expect((await call('regio', 'POST', `${R}/providers`, { name: 'Zonnebloem Jeugdhulp B.V.', force: true })).status).toBe(201);

    const edit = await call('regio', 'PATCH', `${R}/providers/${id}`, { providerType: 'groot', tradeNames: ['Zonnebloem', 'De Zonnebloem Twente'] });
    expect(edit.json).toEqual({ changed: true });
    const loc = await call('regio', 'POST', `${R}/providers/${id}/locations`, {
      name: 'Hoofdlocatie',
      street: 'Oldenzaalsestraat',
      houseNumber: '12',
      postcode: '7511 ab',
      city: 'Enschede',
      municipalityCode: '0153',
    });
    expect(loc.status, loc.body).toBe(201);
    const badLoc = await call('regio', 'POST', `${R}/providers/${id}/locations`, { name: 'België', postcode: 'B-2000', municipalityCode: '0153' });
    expect(badLoc.status).toBe(400);
    expect(badLoc.json.field).toBe('postcode');

    // a group with places: the coordination point's register shows it at once
    const group = await call('regio', 'POST', `${R}/provider-groups`, {
      locationId: loc.json.id,
      name: 'Groep Zon',
      groupType: 'gezinshuis',
      placesPhysical: 4,
      placesContracted: 3,
    });
    expect(group.status, group.body).toBe(201);
    const placement = await call('coordinator', 'GET', `${R}/placement/groups?q=zon`);
    expect(placement.json.groups.find((g: any) => g.groupId === group.json.id)).toMatchObject({
      name: 'Groep Zon',
      providerName: 'Stichting Zonnebloem Jeugdhulp',
      places: { physical: 4, contracted: 3 },
    });
    await call('regio', 'PATCH', `${R}/provider-groups/${group.json.id}`, { placesPhysical: 6 });
    expect((await call('coordinator', 'GET', `${R}/placement/groups?q=zon`)).json.groups.find((g: any) => g.groupId === group.json.id).places.physical).toBe(6);
    await call('regio', 'PATCH', `${R}/providers/${id}`, { name: 'Stichting Zonnebloem Jeugdhulp Twente' });
    expect((await call('coordinator', 'GET', `${R}/placement/groups?q=zon`)).json.groups.find((g: any) => g.groupId === group.json.id).providerName).toBe(
      'Stichting Zonnebloem Jeugdhulp Twente',
    );

    const detail = (await call('regio', 'GET', `${R}/providers/${id}`)).json;
    expect(detail).toMatchObject({
      providerType: 'groot',
      tradeNames: ['Zonnebloem', 'De Zonnebloem Twente'],
      validFrom: '2025-01-01',
      validTo: null,
      ended: false,
      locations: [{ postcode: '7511AB', municipality: { code: '0153', name: 'Enschede' }, groups: [{ name: 'Groep Zon', placesPhysical: 6 }] }],
    });
    expect(detail.history.map((h: any) => h.action)).toEqual(['gewijzigd', 'groep', 'groep', 'locatie', 'gewijzigd', 'aangemaakt']);
    expect(detail.history[4].changes.providerType).toEqual(['overig', 'groot']);

    const ended = await call('regio', 'POST', `${R}/providers/${id}/end`, { validTo: '2026-01-01', reason: 'Contract niet verlengd' });
    expect(ended.status, ended.body).toBe(200);
    const again = await call('regio', 'POST', `${R}/providers/${id}/end`, { validTo: '2026-02-01', reason: 'nog eens' });
    expect(again.status).toBe(409);
    const list = (await call('regio', 'GET', `${R}/providers`)).json;
    expect(list.find((p: any) => p.id === id)).toMatchObject({ validTo: '2026-01-01', locations: 1, groups: 1, places: 3 });
    expect((await call('regio', 'GET', `${R}/providers/${id}`)).json.history[0]).toMatchObject({
      action: 'beeindigd',
      changes: { reason: [null, 'Contract niet verlengd'] },
    });
  });

  it('ending a contracted provider ends its open contracts in the region, per that date', async () => {
    const [p] = await ctx.db.query(
      `SELECT provider_id AS id FROM contract WHERE region_id = 'twente' AND valid_to IS NULL AND provider_id <> $1 ORDER BY provider_id DESC LIMIT 1`,
      [ownProvider],
    );
    const open = await count(`SELECT count(*)::int AS n FROM contract WHERE provider_id = $1 AND region_id = 'twente' AND valid_to IS NULL`, [p.id]);
    expect(open).toBeGreaterThan(0);
    expect((await call('regio', 'POST', `${R}/providers/${p.id}/end`, { validTo: '2030-01-01', reason: 'Fusie' })).status).toBe(200);
    expect(await count(`SELECT count(*)::int AS n FROM contract WHERE provider_id = $1 AND region_id = 'twente' AND valid_to = '2030-01-01'`, [p.id])).toBe(
      open,
    );
    expect((await call('regio', 'GET', `${R}/providers/${p.id}`)).json.contracts.every((c: any) => c.validTo === '2030-01-01')).toBe(true);
  });
});

describe('scopes', () => {
  it('a provider sees and edits only its own; a municipality reads the providers serving its residents', async () => {
    const own = (await call('aanbieder', 'GET', `${R}/providers`)).json;
    expect(own.map((p: any) => p.id)).toEqual([ownProvider]);
    const other = (await call('regio', 'GET', `${R}/providers`)).json.find((p: any) => p.id !== ownProvider).id;
    expect((await call('aanbieder', 'GET', `${R}/providers/${other}`)).status).toBe(404);
    expect((await call('aanbieder', 'PATCH', `${R}/providers/${other}`, { tradeNames: ['x'] })).status).toBe(403);
    expect((await call('aanbieder', 'PATCH', `${R}/providers/${ownProvider}`, { agbCode: '11111111' })).status).toBe(403);
    expect((await call('aanbieder', 'PATCH', `${R}/providers/${ownProvider}`, { tradeNames: ['Eigen Handelsnaam'] })).json).toEqual({ changed: true });
    expect((await call('aanbieder', 'POST', `${R}/providers`, { name: 'x' })).status).toBe(403);
    const gem = (await call('gemeente', 'GET', `${R}/providers`)).json.map((p: any) => p.id);
    const serving = (await ctx.db.query(`SELECT DISTINCT provider_id FROM allocation WHERE municipality_code = '0153'`)).map((r: any) => r.provider_id);
    expect(new Set(gem)).toEqual(new Set(serving));
    expect(gem.length).toBeLessThan((await call('regio', 'GET', `${R}/providers`)).json.length);
    expect((await call('gemeente', 'PATCH', `${R}/providers/${ownProvider}`, { tradeNames: [] })).status).toBe(403);
  });
});

describe('admission in Open House', () => {
  it('applies inside a window only, not where the group is closed; reviews with who and when; admission creates the contract', async () => {
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    const seg = (await ctx.db.query(`SELECT code FROM segment WHERE region_id = 'twente' AND parent_id IS NULL ORDER BY sort_order LIMIT 1`))[0].code;
    const A = `${R}/admission`;
    // no window yet: refused, nothing stored
    const early = await call('aanbieder', 'POST', `${A}/applications`, { segmentCode: seg, municipalityCode: '0153' });
    expect(early.status).toBe(409);
    expect(early.json.detail).toMatch(/niet open voor toetreding/);
    expect((await call('aanbieder', 'POST', `${A}/windows`, { segmentCode: seg, opensOn: today, closesOn: today })).status).toBe(403);
    expect((await call('regio', 'POST', `${A}/windows`, { segmentCode: seg, opensOn: '2020-01-01', closesOn: '2099-12-31' })).status).toBe(201);
    // closed in Hengelo: refused there, open in Enschede
    expect((await call('regio', 'PUT', `${A}/closures`, { segmentCode: seg, municipalityCode: '0164', closed: true, reason: 'Aanbod volstaat' })).status).toBe(
      200,
    );
    const closed = await call('aanbieder', 'POST', `${A}/applications`, { segmentCode: seg, municipalityCode: '0164' });
    expect(closed.status).toBe(409);
    expect(closed.json.detail).toMatch(/gesloten voor nieuwe aanbieders sinds .*: Aanbod volstaat/);
    const made = await call('aanbieder', 'POST', `${A}/applications`, { segmentCode: seg, municipalityCode: '0153' });
    expect(made.status, made.body).toBe(201);
    const id = made.json.id;
    expect((await call('aanbieder', 'POST', `${A}/applications`, { segmentCode: seg, municipalityCode: '0153' })).status).toBe(409); // one open application

    // review: in behandeling; admission refused while evidence is missing or expired
    expect((await call('aanbieder', 'POST', `${A}/applications/${id}/status`, { status: 'toegelaten' })).status).toBe(409);
    expect((await call('regio', 'POST', `${A}/applications/${id}/status`, { status: 'in_behandeling' })).status).toBe(200);
    const incomplete = await call('regio', 'POST', `${A}/applications/${id}/status`, { status: 'toegelaten' });
    expect(incomplete.status).toBe(409);
    expect(incomplete.json.errors).toHaveLength(7);
    expect((await call('regio', 'POST', `${A}/applications/${id}/status`, { status: 'aanvullen' })).json.detail).toBe("geef een reden bij 'Aanvullen'");
    expect((await call('regio', 'POST', `${A}/applications/${id}/status`, { status: 'aanvullen', reason: 'Lever de checklist aan' })).status).toBe(200);
    const items: [string, string | null][] = [
      ['kwaliteitskader', '2027-12-31'],
      ['kit_barrieremodel', null],
      ['bibob', null],
      ['governancecode', null],
      ['wnt', null],
      ['certificaat', '2027-06-30'],
      ['verzekering', '2020-01-01'],
    ];
    for (const [requirement, validUntil] of items) {
      const r = await call('aanbieder', 'PUT', `${A}/applications/${id}/evidence`, { requirement, description: `Bewijs ${requirement}`, validUntil });
      expect(r.status, r.body).toBe(200);
    }
    expect((await call('aanbieder', 'PUT', `${A}/applications/${id}/evidence`, { requirement: 'certificaat', description: 'zonder datum' })).json.field).toBe(
      'validUntil',
    );
    expect((await call('aanbieder', 'POST', `${A}/applications/${id}/status`, { status: 'ingediend' })).status).toBe(200);
    await call('regio', 'POST', `${A}/applications/${id}/status`, { status: 'in_behandeling' });
    const expired = await call('regio', 'POST', `${A}/applications/${id}/status`, { status: 'toegelaten' });
    expect(expired.json.errors).toEqual([{ field: 'checklist.verzekering', detail: 'Aansprakelijkheidsverzekering: verlopen op 2020-01-01' }]);
    await call('aanbieder', 'PUT', `${A}/applications/${id}/evidence`, { requirement: 'verzekering', description: 'Polis 2026', validUntil: '2027-01-01' });
    const before = await count(`SELECT count(*)::int AS n FROM contract WHERE provider_id = $1`, [ownProvider]);
    expect((await call('regio', 'POST', `${A}/applications/${id}/status`, { status: 'toegelaten' })).status).toBe(200);
    const detail = (await call('aanbieder', 'GET', `${A}/applications/${id}`)).json;
    expect(detail).toMatchObject({ status: 'toegelaten', decidedOn: today, decidedBy: expect.any(String), missing: [] });
    expect(detail.events.map((e: any) => e.to)).toEqual(['ingediend', 'in_behandeling', 'aanvullen', 'ingediend', 'in_behandeling', 'toegelaten']);
    expect(detail.events[2].note).toBe('Lever de checklist aan');
    // the contract: new, or the provider's existing open contract for the group
    const contract = (await ctx.db.query(`SELECT id, status FROM contract WHERE id = $1`, [detail.contractId]))[0];
    expect(contract.status).toBe('actief');
    expect(await count(`SELECT count(*)::int AS n FROM contract WHERE provider_id = $1`, [ownProvider])).toBeGreaterThanOrEqual(before);
    expect((await call('regio', 'POST', `${A}/applications/${id}/status`, { status: 'afgewezen', reason: 'x' })).status).toBe(409); // decided
    // scopes: another municipality does not see it; Enschede does
    expect((await call('gemeente', 'GET', `${A}/applications`)).json.map((a: any) => a.id)).toContain(id);
  });
});

describe('dossier', () => {
  it('the enforcement ladder is climbed in order, with dates; the notice of default comes as a PDF letter', async () => {
    const [p] = await ctx.db.query(`SELECT provider_id AS id FROM contract WHERE region_id = 'twente' AND provider_id <> $1 ORDER BY provider_id LIMIT 1`, [
      ownProvider,
    ]);
    const E = `${R}/providers/${p.id}/enforcement`;
    const skip = await call('regio', 'POST', E, { step: 'ingebrekestelling', onDate: '2025-03-01', reason: 'Geen verantwoording', remedyDays: 14 });
    expect(skip.status).toBe(409);
    expect(skip.json.detail).toBe('de eerste stap is een waarschuwingsbrief, niet een ingebrekestelling');
    expect(
      (await call('aanbieder', 'POST', `${R}/providers/${ownProvider}/enforcement`, { step: 'waarschuwing', onDate: '2025-02-01', reason: 'x' })).status,
    ).toBe(403);
    expect((await call('regio', 'POST', E, { step: 'waarschuwing', onDate: '2025-02-01', reason: 'Verantwoording 2024 niet ontvangen' })).status).toBe(201);
    expect(
      (await call('regio', 'POST', E, { step: 'ingebrekestelling', onDate: '2025-01-15', reason: 'Nog steeds geen verantwoording', remedyDays: 14 })).json
        .detail,
    ).toBe('datum 2025-01-15 ligt voor de vorige stap (2025-02-01)');
    expect((await call('regio', 'POST', E, { step: 'ingebrekestelling', onDate: '2025-03-01', reason: 'Nog steeds geen verantwoording' })).json.field).toBe(
      'remedyDays',
    );
    const notice = await call('regio', 'POST', E, {
      step: 'ingebrekestelling',
      onDate: '2025-03-01',
      reason: 'Nog steeds geen verantwoording over 2024',
      remedyDays: 14,
    });
    expect(notice.status).toBe(201);
    expect((await call('regio', 'POST', E, { step: 'ontbinding', onDate: '2025-04-01', reason: 'x' })).json.detail).toBe(
      'na een ingebrekestelling (2025-03-01) is de volgende stap een cliëntenstop, niet een ontbinding',
    );
    const steps = (await call('regio', 'GET', E)).json;
    expect(steps.map((s: any) => [s.label, s.onDate])).toEqual([
      ['Waarschuwingsbrief', '2025-02-01'],
      ['Ingebrekestelling', '2025-03-01'],
    ]);
    const pdf = await ctx.server.inject({ method: 'GET', url: `${E}/${notice.json.id}/letter.pdf`, headers: { cookie: cookies.regio } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="ingebrekestelling-${p.id}-2025-03-01.pdf"`);
    // another provider does not see this ladder
    expect((await call('aanbieder', 'GET', E)).status).toBe(404);

    // the quarterly agenda: the figures of the monitoring report, and the ladder
    const agenda = (await call('regio', 'GET', `${R}/providers/${p.id}/agenda`)).json;
    const from = `${agenda.year}-${String(agenda.quarter * 3 - 2).padStart(2, '0')}-01`;
    const [{ cents }] = await ctx.db.query(
      `SELECT COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END), 0)::int8 AS cents
      FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
      WHERE m.region_id = 'twente' AND d.provider_id = $1 AND d.status = 'geaccepteerd' AND d.period_start >= $2::date AND d.period_start < ($2::date + interval '3 months')`,
      [p.id, from],
    );
    const euros = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(Number(cents) / 100);
    expect(agenda.items[0].topic).toBe('Volume, geld en cliënten');
    expect(agenda.items[0].facts[0].replace(/\s/g, ' ')).toContain(`K${agenda.quarter} ${agenda.year}: ${euros.replace(/\s/g, ' ')}`);
    expect(agenda.items.find((i: any) => i.topic === 'Handhaving').facts).toEqual([
      'Waarschuwingsbrief op 2025-02-01: Verantwoording 2024 niet ontvangen',
      'Ingebrekestelling op 2025-03-01: Nog steeds geen verantwoording over 2024',
    ]);
  });
});

describe('lifting a client stop', () => {
  it('the region lifts a client stop from a date (after its start, once); other steps cannot be lifted; the import asks the end', async () => {
    const [p] = await ctx.db.query(
      `SELECT provider_id AS id FROM contract WHERE region_id = 'twente' AND provider_id <> $1 ORDER BY provider_id DESC LIMIT 1`,
      [ownProvider],
    );
    const E = `${R}/providers/${p.id}/enforcement`;
    const warning = (await call('regio', 'POST', E, { step: 'waarschuwing', onDate: '2026-01-05', reason: 'Wachttijden niet gemeld' })).json.id;
    await call('regio', 'POST', E, { step: 'ingebrekestelling', onDate: '2026-02-01', reason: 'Nog steeds niet', remedyDays: 14 });
    const stop = (await call('regio', 'POST', E, { step: 'clientenstop', onDate: '2026-03-01', reason: 'Geen verbetering' })).json.id;
    expect((await call('regio', 'PUT', `${E}/${warning}/end`, { endsOn: '2026-06-01' })).status).toBe(409);
    expect((await call('aanbieder', 'PUT', `${R}/providers/${ownProvider}/enforcement/${stop}/end`, { endsOn: '2026-06-01' })).status).toBe(403);
    const early = await call('regio', 'PUT', `${E}/${stop}/end`, { endsOn: '2026-03-01' });
    expect([early.status, early.json.field]).toEqual([400, 'endsOn']);
    expect((await call('regio', 'PUT', `${E}/${stop}/end`, { endsOn: '2026-02-30' })).status).toBe(400); // not a calendar date
    expect((await call('regio', 'PUT', `${E}/${stop}/end`, { endsOn: '2026-06-01' })).status).toBe(204);
    expect((await call('regio', 'PUT', `${E}/${stop}/end`, { endsOn: '2026-07-01' })).status).toBe(409);
    expect((await call('regio', 'GET', E)).json.find((s: any) => s.id === stop).endsOn).toBe('2026-06-01');
    const [product] = await ctx.db.query(`SELECT p.id FROM product p WHERE p.region_id = 'twente' ORDER BY p.id LIMIT 1`);
    expect(await clientStopFor(ctx.db, p.id, product.id, '2026-05-31')).not.toBeNull();
    expect(await clientStopFor(ctx.db, p.id, product.id, '2026-06-01')).toBeNull();
  });
});

describe('exit rule', () => {
  it("flags contracted providers with fewer than the region's minimum of clients in a year", async () => {
    expect((await call('aanbieder', 'PUT', `${R}/admission/settings`, { exitMinClients: 5 })).status).toBe(403);
    expect((await call('regio', 'PUT', `${R}/admission/settings`, { exitMinClients: 25 })).json).toEqual({ exitMinClients: 25, documentMaxMb: 10 });
    const res = (await call('regio', 'GET', `${R}/admission/exit?year=2021`)).json;
    const expected = await ctx.db.query(`
      WITH c AS (SELECT DISTINCT provider_id FROM contract WHERE region_id = 'twente' AND valid_from < '2022-01-01' AND (valid_to IS NULL OR valid_to > '2021-01-01')),
           n AS (SELECT d.provider_id, count(DISTINCT d.youth_id)::int AS clients FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
                 WHERE m.region_id = 'twente' AND d.status = 'geaccepteerd' AND d.period_start >= '2021-01-01' AND d.period_start < '2022-01-01' GROUP BY 1)
      SELECT c.provider_id AS id, COALESCE(n.clients, 0) AS clients FROM c LEFT JOIN n ON n.provider_id = c.provider_id WHERE COALESCE(n.clients, 0) < 25`);
    expect(res.minClients).toBe(25);
    expect(res.providers.length).toBe(expected.length);
    expect(res.providers.length).toBeGreaterThan(0);
    expect(new Map(res.providers.map((p: any) => [p.id, p.clients]))).toEqual(new Map(expected.map((e: any) => [e.id, e.clients])));
    expect(res.providers.every((p: any, i: number) => i === 0 || res.providers[i - 1].clients <= p.clients)).toBe(true);
  });
});
