// Funding through the API over the demo regions: Achterhoek's lumpsums against their band, Twente's crisis beds on
// availability plus P*Q, scopes per role, bad input refused naming the field with nothing stored, quarterly figures
// entered and imported, and statements that do not change once closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededServer, login, demoPassword } from '../helpers/app.ts';
import { createAccount } from '../../src/access/store.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
let regio = '',
  gemeente = '',
  aanbieder = '',
  other = '';
let outsider: any; // the Achterhoek GWV contract outside its band
let doetinchem = '';
const A = '/api/regions/achterhoek/funding';

const call = async (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const csv = typeof payload === 'string';
  const res = await ctx.server.inject({ method, url, payload: payload as any, headers: { cookie, ...(csv ? { 'content-type': 'text/csv' } : {}) } });
  return {
    status: res.statusCode,
    json: res.headers['content-type']?.toString().includes('json') ? res.json() : null,
    body: res.rawPayload,
    headers: res.headers,
  };
};
const count = async (table: string) => (await ctx.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

beforeAll(async () => {
  ctx = await seededServer(['twente', 'achterhoek']);
  regio = await login(ctx.server, 'regio', demoPassword(ctx.accounts, 'regio'));
  const all = (await call(regio, 'GET', `${A}/contracts`)).json;
  outsider = all.contracts.find((c: any) => c.segmentCode === 'GWV' && c.band?.position === 'boven');
  doetinchem = (await ctx.db.query(`SELECT trim(code) AS code FROM municipality WHERE name = 'Doetinchem'`))[0].code;
  await createAccount(ctx.db, {
    username: 'gem-doetinchem',
    displayName: 'Doetinchem',
    password: 'een-lang-wachtwoord',
    role: 'gemeente',
    municipalityCode: doetinchem,
  });
  await createAccount(ctx.db, {
    username: 'aanb-buiten',
    displayName: outsider.providerName,
    password: 'een-lang-wachtwoord',
    role: 'aanbieder',
    providerId: outsider.providerId,
  });
  const second = all.contracts.find((c: any) => c.providerId !== outsider.providerId && c.fundingForm === 'lumpsum');
  await createAccount(ctx.db, {
    username: 'aanb-ander',
    displayName: second.providerName,
    password: 'een-lang-wachtwoord',
    role: 'aanbieder',
    providerId: second.providerId,
  });
  gemeente = await login(ctx.server, 'gem-doetinchem', 'een-lang-wachtwoord');
  aanbieder = await login(ctx.server, 'aanb-buiten', 'een-lang-wachtwoord');
  other = await login(ctx.server, 'aanb-ander', 'een-lang-wachtwoord');
}, 600_000);
afterAll(async () => {
  await ctx?.close();
});

describe('Achterhoek: lumpsum per provider with a 3% band (002)', () => {
  it('13 providers hold about 90% of the gezins- en woonvormen money; one of them is outside its band', async () => {
    const { json } = await call(regio, 'GET', `${A}/contracts?year=2023`);
    const gwv = json.contracts
      .filter((c: any) => c.segmentCode === 'GWV')
      .map((c: any) => c.agreedCents)
      .sort((a: number, b: number) => b - a);
    const share = gwv.slice(0, 13).reduce((a: number, b: number) => a + b, 0) / gwv.reduce((a: number, b: number) => a + b, 0);
    expect(share).toBeGreaterThan(0.88);
    expect(share).toBeLessThan(0.92);
    const outside = json.contracts.filter((c: any) => c.band && c.band.position !== 'binnen');
    expect(outside.map((c: any) => c.id)).toEqual([outsider.id]);
  });
  it('the outsider: agreed, paid in twelve instalments, realised 5,5% above, the part above the band settled step by step', async () => {
    const c = outsider;
    expect(c.fundingForm).toBe('lumpsum');
    expect(c.executionVariant).toBe('taakgericht');
    expect(c.bandwidthPct).toBe(3);
    expect(c.outsideBand).toBe('verrekenen');
    expect(c.terms.instalments).toHaveLength(12);
    expect(c.paidCents).toBe(c.lumpsumCents);
    expect(c.quarters).toHaveLength(4);
    expect(c.band.deviationPct).toBeCloseTo(5.5, 1);
    // settlement = realised − upper bound (lumpsum × 1,03, rounded to the cent)
    const upper = Math.round(c.lumpsumCents * 1.03);
    expect(c.band.upperCents).toBe(upper);
    expect(c.settlementCents).toBe(c.deliveredCents - upper);
    expect(c.paidCents + c.settlementCents).toBe(c.outcomeCents);
    expect(c.settlement.steps.map((s: any) => s.label)).toContain('Verrekening boven de band');
    expect(c.changeReason).toMatch(/woonplaatsbeginsel/);
    // the municipalities' side beside the provider's figures: referrals (allocations started) per quarter
    const refs = await ctx.db.query(
      `SELECT extract(quarter FROM a.start_date)::int AS q, count(*)::int AS n FROM allocation a
      JOIN product p ON p.id = a.product_id JOIN segment s ON s.id = p.segment_id
      WHERE a.provider_id = $1 AND COALESCE(s.parent_id, s.id) = $2 AND a.start_date BETWEEN '2023-01-01' AND '2023-12-31' AND a.status <> 'ingetrokken' GROUP BY 1`,
      [c.providerId, c.segmentId],
    );
    for (const q of c.quarters) expect(q.referrals).toBe(refs.find((r: any) => r.q === q.quarter)?.n ?? 0);
    expect(c.quarters.some((q: any) => q.activeAllocations > 0)).toBe(true);
  });
  it('a municipality sees every contract with only its own share; the shares of all municipalities add up to each cost', async () => {
    const region = (await call(regio, 'GET', `${A}/contracts`)).json;
    const own = (await call(gemeente, 'GET', `${A}/contracts`)).json;
    expect(own.contracts).toHaveLength(region.contracts.length);
    for (const c of region.contracts) expect(c.municipalityShares.reduce((a: number, s: any) => a + s.shareCents, 0)).toBe(c.outcomeCents);
    expect(own.contracts.every((c: any) => c.municipalityShares.every((s: any) => s.municipalityCode === doetinchem))).toBe(true);
    const mine = own.contracts.find((c: any) => c.id === outsider.id).municipalityShares[0].shareCents;
    expect(mine).toBe(
      region.contracts.find((c: any) => c.id === outsider.id).municipalityShares.find((s: any) => s.municipalityCode === doetinchem).shareCents,
    );
  });
  it('a provider sees only its own contracts and statement', async () => {
    const own = (await call(aanbieder, 'GET', `${A}/contracts`)).json;
    expect(own.contracts.length).toBeGreaterThan(0);
    expect(own.contracts.every((c: any) => c.providerId === outsider.providerId)).toBe(true);
    expect((await call(aanbieder, 'GET', `${A}/statements/${outsider.providerId}`)).status).toBe(200);
    expect((await call(other, 'GET', `${A}/statements/${outsider.providerId}`)).status).toBe(404);
  });
});

describe('quarterly figures: entered or imported by the provider, all or nothing', () => {
  it("the provider enters its figures for its own contract; another provider's contract is refused naming the row", async () => {
    const row = { contractId: outsider.id, year: 2024, quarter: 1, clientsInCare: 40, started: 3, stopped: 2, hours: 3600, realisedCents: 30_000_000 };
    expect((await call(aanbieder, 'POST', `${A}/figures`, { rows: [row] })).json).toEqual({ saved: 1 });
    const before = await count('funding_figure');
    const r = await call(other, 'POST', `${A}/figures`, { rows: [{ ...row, quarter: 2 }] });
    expect(r.status).toBe(400);
    expect(r.json.errors[0]).toMatchObject({ line: 1, field: 'contract' });
    expect(await count('funding_figure')).toBe(before);
  });
  it('a CSV with one bad row stores nothing and names line and field; a good one is stored', async () => {
    const before = await count('funding_figure');
    const bad = `contract;jaar;kwartaal;clienten in zorg;gestart;gestopt;uren;realisatie (euro)\n${outsider.id};2024;2;41;2;1;3500;300.000,00\n${outsider.id};2024;5;41;2;1;3500;-5\n`;
    const r = await call(aanbieder, 'POST', `${A}/figures/import`, bad);
    expect(r.status).toBe(400);
    expect(r.json.errors.map((e: any) => `${e.line}:${e.field}`)).toEqual(['3:kwartaal', '3:realisatie (euro)']);
    expect(await count('funding_figure')).toBe(before);
    const good = `\uFEFFcontract;jaar;kwartaal;clienten in zorg;gestart;gestopt;uren;realisatie (euro)\r\n${outsider.id};2024;2;41;2;1;3500;300.000,50\r\n`;
    expect((await call(aanbieder, 'POST', `${A}/figures/import`, good)).json).toEqual({ imported: 1 });
    const [{ realised_cents }] = await ctx.db.query(`SELECT realised_cents FROM funding_figure WHERE contract_id = $1 AND year = 2024 AND quarter = 2`, [
      outsider.id,
    ]);
    expect(Number(realised_cents)).toBe(30_000_050);
  });
});

describe('contract terms: bad input names the field and stores nothing', () => {
  const base = () => ({
    providerId: outsider.providerId,
    segmentId: outsider.segmentId,
    fundingForm: 'lumpsum',
    validFrom: '2030-01-01',
    validTo: '2031-01-01',
    lumpsumCents: 1_200_000,
    bandwidthPct: 3,
    outsideBand: 'gesprek',
    terms: {
      instalments: [
        { due: '2030-01-15', amountCents: 600_000 },
        { due: '2030-07-15', amountCents: 600_000 },
      ],
    },
  });
  it.each([
    ['a negative amount', { lumpsumCents: -1 }, 'body.lumpsumCents'],
    ['an overflowing amount', { lumpsumCents: 1e15 }, 'body.lumpsumCents'],
    ['a band above 100%', { bandwidthPct: 101 }, 'body.bandwidthPct'],
    ['a band below 0', { bandwidthPct: -0.5 }, 'body.bandwidthPct'],
    ['instalments that do not add up', { lumpsumCents: 1_300_000 }, 'terms.instalments'],
    ['an overlapping period for the same provider × segment', { validFrom: '2023-06-01', validTo: '2024-01-01' }, 'validFrom'],
    ["a form other than the segment's", { fundingForm: 'pq', terms: {} }, 'fundingForm'],
  ])('%s', async (_what, change, field) => {
    const before = await count('contract');
    const r = await call(regio, 'POST', `${A}/contracts`, { ...base(), ...change });
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(r.json.field).toBe(field);
    expect(await count('contract')).toBe(before);
  });
  it('a valid contract is stored with its terms; the provider may not set terms', async () => {
    expect((await call(aanbieder, 'POST', `${A}/contracts`, base())).status).toBe(403);
    // a provider of the region without a gezins- en woonvormen contract yet
    const [{ id: newcomer }] = await ctx.db.query(
      `SELECT c.provider_id AS id FROM contract c WHERE c.region_id = 'achterhoek'
      AND NOT EXISTS (SELECT 1 FROM contract g WHERE g.provider_id = c.provider_id AND g.segment_id = $1) ORDER BY c.provider_id LIMIT 1`,
      [outsider.segmentId],
    );
    const r = await call(regio, 'POST', `${A}/contracts`, { ...base(), providerId: newcomer });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const [row] = await ctx.db.query(`SELECT funding_form, execution_variant, lumpsum_cents, bandwidth_pct, terms FROM contract WHERE id = $1`, [
      r.json.contractId,
    ]);
    expect(row).toMatchObject({ funding_form: 'lumpsum', execution_variant: 'taakgericht' });
    expect(Number(row.lumpsum_cents)).toBe(1_200_000);
    expect(row.terms.instalments).toHaveLength(2);
  });
  it('a cost key whose percentages do not add up to 100 is refused', async () => {
    const ms = (await ctx.db.query(`SELECT trim(code) AS code FROM municipality WHERE region_id = 'achterhoek' ORDER BY code`)).map((m: any) => m.code);
    const weights = Object.fromEntries(ms.map((m: string) => [m, 12.5]));
    weights[ms[0]] = 12.4;
    const before = await count('funding_cost_key');
    const r = await call(regio, 'POST', `${A}/cost-keys`, { code: 'vast-2023', name: 'Vaste verdeling', method: 'vast', weights });
    expect(r.status).toBe(400);
    expect(r.json.field).toBe('weights');
    expect(r.json.detail).toMatch(/99,9%/);
    expect(await count('funding_cost_key')).toBe(before);
    weights[ms[0]] = 12.5;
    expect((await call(regio, 'POST', `${A}/cost-keys`, { code: 'vast-2023', name: 'Vaste verdeling', method: 'vast', weights })).status).toBe(200);
  });
});

describe('advance with settlement on real costs: a pilot near the € 750.000 line', () => {
  it('settles eligible costs capped by the ceiling against the advances; refuses a cost statement after the year is closed', async () => {
    const [seg] = await ctx.db.query(`INSERT INTO segment (region_id, code, name, parent_id, funding_form, description)
      SELECT 'achterhoek', 'GWV-PIL', 'Pilot nieuwe woonvorm', id, 'nacalculatie', 'pilot' FROM segment WHERE region_id = 'achterhoek' AND code = 'GWV' RETURNING id`);
    const created = await call(regio, 'POST', `${A}/contracts`, {
      providerId: outsider.providerId,
      segmentId: seg.id,
      fundingForm: 'nacalculatie',
      validFrom: '2023-01-01',
      validTo: '2024-01-01',
      terms: {
        advances: [
          { due: '2023-01-15', amountCents: 35_000_000 },
          { due: '2023-07-15', amountCents: 35_000_000 },
        ],
        ceilingCents: 74_000_000,
        pilot: true,
        pilotValueCents: 74_000_000,
      },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const id = created.json.contractId;
    for (const due of ['2023-01-15', '2023-07-15'])
      expect((await call(regio, 'POST', `${A}/payments`, { contractId: id, paidOn: due, amountCents: 35_000_000, kind: 'voorschot' })).status).toBe(200);
    expect(
      (
        await call(aanbieder, 'POST', `${A}/cost-lines`, {
          contractId: id,
          year: 2023,
          lines: [
            { category: 'personeel', amountCents: 61_000_000 },
            { category: 'huisvesting', amountCents: 11_000_000 },
            { category: 'representatie', amountCents: 900_000, eligible: false },
          ],
        })
      ).status,
    ).toBe(200);
    const c = (await call(regio, 'GET', `${A}/contracts?year=2023`)).json.contracts.find((x: any) => x.id === id);
    // eligible 72.000.000 ≤ ceiling 74.000.000; advances 70.000.000 → 2.000.000 to pay
    expect(c).toMatchObject({ outcomeCents: 72_000_000, paidCents: 70_000_000, settlementCents: 2_000_000 });
    expect(c.settlement.warnings).toEqual([]);
    const closed = await call(regio, 'POST', `${A}/statements`, { providerId: outsider.providerId, year: 2023 });
    expect(closed.status).toBe(200);
    const before = await count('funding_cost_line');
    const late = await call(aanbieder, 'POST', `${A}/cost-lines`, { contractId: id, year: 2023, lines: [{ category: 'personeel', amountCents: 1_000 }] });
    expect(late.status).toBe(409);
    expect(late.json.field).toBe('year');
    expect(await count('funding_cost_line')).toBe(before);
    // the CSV import over HTTP (text/csv): a line after the close is refused naming line and field, nothing stored
    const csv = await call(
      aanbieder,
      'POST',
      `${A}/cost-lines/import`,
      `contract;jaar;categorie;bedrag (euro);subsidiabel\n${id};2023;personeel;10,00;ja\n${id};2023;;x;misschien\n`,
    );
    expect(csv.status).toBe(400);
    expect(csv.json.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'categorie'],
      [3, 'bedrag (euro)'],
      [3, 'subsidiabel'],
    ]);
    const closedCsv = await call(
      aanbieder,
      'POST',
      `${A}/cost-lines/import`,
      `contract;jaar;categorie;bedrag (euro);subsidiabel\n${id};2023;personeel;10,00;ja\n`,
    );
    expect(closedCsv.status).toBe(400);
    expect(closedCsv.json.errors).toEqual([expect.objectContaining({ line: 2, field: 'jaar' })]);
    // a year the contract does not run in (it ends on 1 January 2024) is refused too
    const later = await call(
      aanbieder,
      'POST',
      `${A}/cost-lines/import`,
      `contract;jaar;categorie;bedrag (euro);subsidiabel\n${id};2024;personeel;1.250,50;\n`,
    );
    expect(later.status).toBe(400);
    expect(later.json.errors).toEqual([expect.objectContaining({ line: 2, field: 'jaar', detail: expect.stringContaining('niet in 2024') })]);
    expect(await count('funding_cost_line')).toBe(before);
    // the list of cost statements (the screen's data): the lines, where it settles, and that the year is closed
    const list = (await call(aanbieder, 'GET', `${A}/cost-lines?year=2023`)).json;
    const mine = list.contracts.find((x: any) => x.contractId === id);
    expect(mine).toMatchObject({
      segmentCode: 'GWV-PIL',
      ceilingCents: 74_000_000,
      advancesAgreedCents: 70_000_000,
      advancesPaidCents: 70_000_000,
      eligibleCents: 72_000_000,
      ineligibleCents: 900_000,
      outcomeCents: 72_000_000,
      settlementCents: 2_000_000,
      closedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(mine.lines.map((l: any) => [l.category, l.amountCents, l.eligible])).toEqual([
      ['personeel', 61_000_000, true],
      ['huisvesting', 11_000_000, true],
      ['representatie', 900_000, false],
    ]);
    // another provider does not see it; a municipality sees the regional contract
    expect((await call(other, 'GET', `${A}/cost-lines?year=2023`)).json.contracts.some((x: any) => x.contractId === id)).toBe(false);
    expect((await call(gemeente, 'GET', `${A}/cost-lines?year=2023`)).json.contracts.some((x: any) => x.contractId === id)).toBe(true);
  });
});

describe('statements: frozen once closed, a correction is a new dated statement', () => {
  it('a closed statement does not change when later figures arrive; closing again supersedes it', async () => {
    const p = outsider.providerId;
    const first = (await call(regio, 'GET', `${A}/statements/${p}?year=2023`)).json.closed[0];
    expect(first).toBeDefined();
    const frozen = JSON.stringify(first.body);
    await call(aanbieder, 'POST', `${A}/figures`, {
      rows: [{ contractId: outsider.id, year: 2023, quarter: 4, clientsInCare: 50, started: 1, stopped: 1, hours: 1, realisedCents: 1 }],
    });
    const after = (await call(regio, 'GET', `${A}/statements/${p}?year=2023`)).json;
    expect(JSON.stringify(after.closed[0].body)).toBe(frozen);
    expect(after.live.totals.settlementCents).not.toBe(first.settlementCents);
    const correction = (await call(regio, 'POST', `${A}/statements`, { providerId: p, year: 2023 })).json;
    expect(correction.supersedesId).toBe(first.id);
    const list = (await call(aanbieder, 'GET', `${A}/statements/${p}?year=2023`)).json.closed;
    expect(list.map((s: any) => s.id)).toEqual([correction.id, first.id]);
  });
  it('the statement as a PDF letter', async () => {
    const r = await call(aanbieder, 'GET', `${A}/statements/${outsider.providerId}/pdf?year=2023`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(Buffer.from(r.body).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('statement as XLSX', () => {
  it('holds every calculation step of every contract and the totals', async () => {
    const r = await call(regio, 'GET', `${A}/statements/${outsider.providerId}/xlsx?year=2023`);
    expect(r.status).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(r.body) as any);
    const ws = wb.worksheets[0];
    const closed = (await call(regio, 'GET', `${A}/statements/${outsider.providerId}?year=2023`)).json.closed[0].body;
    const steps = closed.contracts.reduce((a: number, c: any) => a + c.settlement.steps.length, 0);
    expect(ws.rowCount).toBe(1 + steps + 3);
    expect(ws.getRow(ws.rowCount).getCell(6).value).toBe(closed.totals.settlementCents / 100);
  });
});

describe('Twente: crisis beds on availability plus P*Q (001)', () => {
  it('beds are paid reserved × price per month, use at the etmaal tariff; ambulant crisis stays P*Q without the beds', async () => {
    const { json } = await call(regio, 'GET', '/api/regions/twente/funding/contracts?year=2021');
    const beds = json.contracts.filter((c: any) => c.segmentCode === 'CRI-BED');
    expect(beds.length).toBeGreaterThan(0);
    for (const b of beds) {
      expect(b.fundingForm).toBe('beschikbaarheid');
      const avail = b.settlement.steps.find((s: any) => s.label === 'Beschikbaarheid').amountCents;
      expect(avail).toBe(b.terms.reservedUnits * 400_000 * 12);
      expect(b.paidCents + b.settlementCents).toBe(b.outcomeCents);
    }
    // the CRI P*Q contracts plus the beds' use add up to the crisis ledger: nothing counted twice
    const [{ total }] = await ctx.db.query(`SELECT sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8 AS total
      FROM declaration_line d JOIN product p ON p.id = d.product_id JOIN segment s ON s.id = p.segment_id
      WHERE s.region_id = 'twente' AND s.code = 'CRI' AND d.status = 'geaccepteerd' AND d.period_start BETWEEN '2021-01-01' AND '2021-12-31'`);
    const pq = json.contracts.filter((c: any) => c.segmentCode === 'CRI').reduce((a: number, c: any) => a + c.deliveredCents, 0);
    const use = beds.reduce((a: number, b: any) => a + b.deliveredCents, 0);
    expect(pq + use).toBe(Number(total));
  });
});

describe('Twente: the coordination point, crisis GGZ and the A&E lots on lumpsum (001)', () => {
  it('crisis sub-segments and three A&E lots, paid per quarter, taakgericht, shared among the 14 municipalities to the cent', async () => {
    const { json } = await call(regio, 'GET', '/api/regions/twente/funding/contracts?year=2021');
    const by = (code: string) => json.contracts.filter((c: any) => c.segmentCode === code);
    expect(by('CRI-CP').map((c: any) => [c.fundingForm, c.executionVariant, c.agreedCents, c.outcomeCents])).toEqual([
      ['lumpsum', 'taakgericht', 60_000_000, 60_000_000],
    ]);
    expect(by('CRI-GGZ').map((c: any) => [c.fundingForm, c.agreedCents])).toEqual([['lumpsum', 120_000_000]]);
    expect(['AE-GGZ', 'AE-LVB', 'AE-SJZ'].map((code) => by(code).length)).toEqual([4, 2, 3]);
    for (const c of [...by('CRI-CP'), ...by('CRI-GGZ'), ...by('AE-GGZ'), ...by('AE-LVB'), ...by('AE-SJZ')]) {
      expect(c.terms.instalments).toHaveLength(4);
      expect(c.paidCents).toBe(c.lumpsumCents);
      expect(c.paidCents + c.settlementCents).toBe(c.outcomeCents);
      expect(c.municipalityShares).toHaveLength(14);
      expect(c.municipalityShares.reduce((a: number, x: any) => a + x.shareCents, 0)).toBe(c.outcomeCents);
    }
    // JB/JR (traject, not bought by the region, no price per trajectory in its terms) settles as declared
    for (const c of by('JBJR')) {
      expect(c.settlementCents).toBe(0);
      expect(c.outcomeCents).toBe(c.deliveredCents);
      expect(c.settlement.warnings).toContain('geen prijs per traject in de voorwaarden: afgerekend zoals gedeclareerd');
    }
    // the A&E lots report quarterly figures; within their 5% band the lumpsum stands
    for (const c of by('AE-GGZ')) {
      expect(c.quarters).toHaveLength(4);
      expect(c.band.position).toBe('binnen');
      expect(c.outcomeCents).toBe(30_000_000);
    }
  });
});

describe('commitments (verplichtingen) per municipality, segment and provider', () => {
  it('adds up per municipality, shows a municipality only its own and a provider only its own allocations', async () => {
    const T = '/api/regions/twente/funding/commitments?year=2021&asOf=2021-06-30';
    const region = (await call(regio, 'GET', T)).json;
    expect(region.asOf).toBe('2021-06-30');
    expect(region.rows.length).toBeGreaterThan(10);
    for (const m of region.byMunicipality) {
      expect(m.committedCents).toBe(
        region.rows.filter((r: any) => r.municipalityCode === m.municipalityCode).reduce((a: number, r: any) => a + r.committedCents, 0),
      );
      if (m.budgetCents !== null) expect(m.roomCents).toBe(m.budgetCents - m.realisedCents - m.committedCents);
    }
    // realisation through June, from the ledger itself
    const [{ amount }] =
      await ctx.db.query(`SELECT sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END)::int8 AS amount FROM declaration_line
      WHERE municipality_code = '0153' AND status = 'geaccepteerd' AND period_start BETWEEN '2021-01-01' AND '2021-06-30'`);
    expect(region.byMunicipality.find((m: any) => m.municipalityCode === '0153').realisedCents).toBe(Number(amount));
    const total = region.byMunicipality.reduce((a: number, m: any) => a + m.committedCents, 0);
    expect(total).toBeGreaterThan(0);
    const enschede = await login(ctx.server, 'gemeente', demoPassword(ctx.accounts, 'gemeente'));
    const own = (await call(enschede, 'GET', T)).json;
    expect(own.byMunicipality.map((m: any) => m.municipalityCode)).toEqual(['0153']);
    expect(own.byMunicipality[0].committedCents).toBe(region.byMunicipality.find((m: any) => m.municipalityCode === '0153').committedCents);
    const prov = await login(ctx.server, 'aanbieder', demoPassword(ctx.accounts, 'aanbieder'));
    const p = (await call(prov, 'GET', T)).json;
    const pid = (await ctx.db.query(`SELECT provider_id FROM account WHERE username = 'aanbieder'`))[0].provider_id;
    expect(p.rows.every((r: any) => r.providerId === pid)).toBe(true);
    expect(p.byMunicipality.every((m: any) => m.budgetCents === null)).toBe(true);
    expect((await call(regio, 'GET', '/api/regions/twente/funding/commitments?year=2021&asOf=2022-01-01')).json.field).toBe('querystring.asOf');
  });
});

describe('CLI: funding statement', () => {
  it('prints the statement step by step, as JSON, and writes the PDF', async () => {
    const { statementCommand } = await import('../../src/funding/cli.ts');
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const t = await statementCommand(ctx.db, { region: 'achterhoek', provider: outsider.agb, year: '2023' });
    expect(t).toMatch(/^Jaarafrekening 2023: /);
    // the year was closed (and corrected) above, after a low fourth quarter: the latest closed statement is shown
    expect(t).toMatch(/gesloten op \d{4}-\d{2}-\d{2}/);
    expect(t).toMatch(/Verrekening onder de band/);
    const j = JSON.parse(await statementCommand(ctx.db, { region: 'achterhoek', provider: outsider.agb, year: '2023', json: true }));
    expect(j.statement.providerId).toBe(outsider.providerId);
    const dir = mkdtempSync(path.join(tmpdir(), 'rk-funding-'));
    const file = path.join(dir, 'afrekening.pdf');
    expect(await statementCommand(ctx.db, { region: 'achterhoek', provider: outsider.agb, year: '2023', pdf: file })).toMatch(/geschreven naar/);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    rmSync(dir, { recursive: true, force: true });
    await expect(statementCommand(ctx.db, { region: 'achterhoek', provider: '00000000', year: '2023' })).rejects.toThrow(/AGB-code 00000000 bestaat niet/);
  });
});

describe('declaration lines of a month (typed query, scoped by inScope)', () => {
  it('a municipality sees only its own lines, a provider only its own; totals and audit follow the scope', async () => {
    const month = '2023-03';
    const mine = (await call(gemeente, 'GET', `/api/regions/achterhoek/declarations?month=${month}&limit=1000`)).json;
    expect(mine.lines.length).toBeGreaterThan(0);
    expect(mine.lines.every((l: any) => l.municipalityCode === doetinchem)).toBe(true);
    const [truth] = await ctx.db.query(
      `SELECT count(*)::int AS n, COALESCE(sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END) FILTER (WHERE status = 'geaccepteerd'), 0)::int8 AS cents
      FROM declaration_line WHERE municipality_code = $1 AND period_start BETWEEN '2023-03-01' AND '2023-03-31'`,
      [doetinchem],
    );
    expect([mine.total, mine.totalAmountCents]).toEqual([truth.n, truth.cents]);
    const own = (await call(aanbieder, 'GET', `/api/regions/achterhoek/declarations?month=${month}&limit=1000`)).json;
    expect(own.lines.every((l: any) => l.providerId === outsider.providerId)).toBe(true);
    const [audit] = await ctx.db.query(`SELECT subject, subject_ids FROM audit_log WHERE route LIKE '%/declarations' ORDER BY id DESC LIMIT 1`);
    expect(audit.subject).toBe('youth');
  });
});
