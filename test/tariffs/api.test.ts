// The calculator on the Twente demo, through the API as each role uses it: the demo's band table, classified
// groups and published set; publishing into the product book with history kept; budget impact equal to pricing
// every declaration line by hand; the XLSX export; indexation; gezinshuis per home. PGlite or TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, login, seededServer } from '../helpers/app.ts';
import { linePrice } from '../../src/tariffs/model.ts';
import { loadTariffDemo } from '../../src/tariffs/index.ts';
import { productBook } from '../../src/catalog/index.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookie: Record<string, string> = {};
const base = '/api/regions/twente/tariffs';

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente', 'aanbieder', 'coordinator']) cookie[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
}, 600_000);
afterAll(async () => {
  await ctx?.close();
});

const get = (url: string, role = 'regio') => ctx.server.inject({ method: 'GET', url, headers: { cookie: cookie[role] } });
const post = (url: string, payload: unknown, role = 'regio') =>
  ctx.server.inject({ method: 'POST', url, payload: payload as any, headers: { cookie: cookie[role] } });
const tariffsOf = async (id: number) => new Map<number, number>((await get(`${base}/set?id=${id}`)).json().lines.map((l: any) => [l.productId, l.amountCents]));

describe('the Twente demo', () => {
  it('has an adopted band table and every residential group of the types it covers classified, with a tariff per band', async () => {
    const res = await get(`${base}/bands`);
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.table.status).toBe('vastgesteld');
    expect(b.bands.map((x: any) => x.productCode)).toEqual(['43A35', '43A36', '43A37', '43A38', '43A39']);
    const [{ n }] = await ctx.db.query(
      `SELECT count(*)::int AS n FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code
       WHERE m.region_id = 'twente' AND g.group_type = ANY($1)`,
      [b.table.body.groupTypes],
    );
    expect(n).toBeGreaterThan(50);
    // crisis groups keep the crisis bed product of the book; every other group of a covered type is classified
    expect(b.groups.length + b.ownProduct.length).toBe(n);
    expect(b.ownProduct.length).toBeGreaterThan(0);
    const crisis = b.ownProduct.filter((g: any) => g.groupType === 'crisis');
    expect(crisis.length).toBeGreaterThan(0);
    expect(crisis.filter((g: any) => !(g.productCode === '46A03' && g.productName === 'Crisisverblijf' && g.tariffCents > 0))).toEqual([]);
    // the others are demo groups whose product lies outside Wonen and Verblijf (LTA, JB/JR, …): they keep it as well
    const book = await productBook(ctx.db, 'twente', new Date().toISOString().slice(0, 10));
    expect(b.ownProduct.filter((g: any) => ['WON', 'VBL'].includes(book.find((p) => p.code === g.productCode)?.topSegmentCode ?? ''))).toEqual([]);
    expect(b.groups.some((g: any) => g.groupType === 'crisis')).toBe(false);
    // only products Twente buys for the group's segment: never 43A35 (not in the book) or 43A39 (LTA, bought nationally)
    expect(b.bands.filter((x: any) => x.mapping.problem).map((x: any) => x.code)).toEqual(['L', 'EZ']);
    for (const g of b.groups) expect(['43A35', '43A39']).not.toContain(g.after.productCode);
    expect(b.unclassified).toBe(0);
    for (const g of b.groups) {
      const band = b.bands.find((x: any) => x.code === g.after.band);
      expect(Number(g.intensity)).toBeGreaterThanOrEqual(Number(band.lowerLimit));
      if (band.upperLimit) expect(Number(g.intensity)).toBeLessThan(Number(band.upperLimit));
      expect(Math.abs(Number(g.intensity) - Number(g.hoursPerWeek) / g.places / 7)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    expect(b.bands.reduce((a: number, x: any) => a + x.groups, 0)).toBe(b.groups.length);
    // pleeggezinnen have no roster and gezinshuizen get a tariff per home: neither is in the band table
    expect(b.groups.some((g: any) => g.groupType === 'gezinshuis' || g.groupType === 'pleeggezin')).toBe(false);
  });

  it('has a published set whose tariffs the product book (and so the declaration checks) uses from 2022, two concept sets for 2023, and a tariff per gezinshuis', async () => {
    const o = (await get(base)).json();
    const published = o.sets.filter((s: any) => s.status === 'gepubliceerd');
    // 2022 from the cost-price model, then an indexed set for every year up to today's (issue 18: the demo's years line up with today)
    expect(published.map((s: any) => s.validFrom).sort()).toEqual(['2022-01-01', '2023-01-01', '2024-01-01', '2025-01-01', '2026-01-01']);
    expect(o.sets.filter((s: any) => s.status === 'concept' && s.validFrom === '2023-01-01')).toHaveLength(2);
    const set = (await get(`${base}/set?id=${published.find((s: any) => s.name === 'Tarieven 2022 (kostprijsmodel)').id}`)).json();
    const book2022 = await productBook(ctx.db, 'twente', '2022-03-01');
    const book2021 = await productBook(ctx.db, 'twente', '2021-03-01');
    // the band EZ's 43A39 is LTA, bought nationally: the region's set carries no band tariff for it
    const lta = book2022.find((p) => p.code === '43A39')!;
    expect(set.lines.some((l: any) => l.productId === lta.id)).toBe(false);
    for (const l of set.lines) {
      expect(book2022.find((p) => p.id === l.productId)!.tariffCents).toBe(l.amountCents);
      expect(book2021.find((p) => p.id === l.productId)!.tariffCents).toBe(l.previousCents);
      expect(l.buildUp.steps.reduce((a: number, s: any) => a + s.cents, 0)).toBe(l.amountCents);
    }
    const homes = (await get(`${base}/homes?date=2022-06-01`)).json();
    expect(homes.length).toBeGreaterThan(10);
    expect(homes.every((h: any) => h.tariffCents > 0 && h.buildUp.tariffCents === h.tariffCents)).toBe(true);
    // the demo load is idempotent
    await loadTariffDemo(ctx.db, ['twente']);
    expect((await get(base)).json().sets).toHaveLength(o.sets.length);
  });
});

describe('publishing', () => {
  it("an adopted set becomes the product book's tariffs from its date; earlier tariffs stay; nothing is published twice or over later tariffs", async () => {
    const before = await ctx.db.query(`SELECT id, product_id, valid_from, valid_to, amount_cents FROM tariff ORDER BY id`);
    const created = await post(`${base}/sets`, { origin: 'kostprijs', name: 'Tarieven 2027', validFrom: '2027-01-01' });
    expect(created.statusCode, created.body).toBe(201);
    const { id, lines } = created.json();
    expect(lines).toBeGreaterThan(5);
    expect((await post(`${base}/sets/publish`, { id })).statusCode).toBe(409); // a concept is not published
    expect((await post(`${base}/sets/approve`, { id }, 'gemeente')).statusCode).toBe(403);
    expect((await post(`${base}/sets/approve`, { id })).json().status).toBe('vastgesteld');
    const pub = await post(`${base}/sets/publish`, { id });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().published).toBe(lines);

    const after = await ctx.db.query(`SELECT id, product_id, valid_from, valid_to, amount_cents, tariff_set FROM tariff ORDER BY id`);
    expect(after).toHaveLength(before.length + lines);
    const setLines = (await get(`${base}/set?id=${id}`)).json().lines;
    for (const l of setLines) {
      const rows = after.filter((t) => t.product_id === l.productId);
      expect(rows[0].valid_from).toBe('2021-01-01');
      expect(rows.slice(-2).map((t) => [t.valid_from, t.valid_to])).toEqual([
        ['2026-01-01', '2027-01-01'],
        ['2027-01-01', null],
      ]);
      expect(rows.at(-1).amount_cents).toBe(l.amountCents);
      expect(rows.at(-1).tariff_set).toBe(`tariefset-${id}`);
      // history: the earlier amounts are untouched
      for (const old of rows.slice(0, -1)) expect(old.amount_cents).toBe(before.find((b) => b.id === old.id).amount_cents);
    }
    const book = async (date: string) => (await get(`/api/regions/twente/products?date=${date}`)).json();
    const p = setLines[0];
    expect((await book('2026-12-31')).find((x: any) => x.id === p.productId).tariffCents).toBe(p.previousCents);
    expect((await book('2027-01-01')).find((x: any) => x.id === p.productId).tariffCents).toBe(p.amountCents);

    expect((await post(`${base}/sets/publish`, { id })).statusCode).toBe(409);
    // a set from a date before tariffs that exist would rewrite history: refused, nothing changes
    const early = (await post(`${base}/sets`, { origin: 'kostprijs', name: 'Te vroeg', validFrom: '2026-07-01' })).json();
    await post(`${base}/sets/approve`, { id: early.id });
    const refused = await post(`${base}/sets/publish`, { id: early.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/al een tarief vanaf 2027-01-01/);
    expect(await ctx.db.query(`SELECT id, product_id, valid_from, valid_to, amount_cents, tariff_set FROM tariff ORDER BY id`)).toEqual(after);
  });
});

describe('budget impact', () => {
  /** Every accepted line of 2021, priced one by one in JavaScript with linePrice (the model's rule). */
  async function byHand(baseline: Map<number, number> | null, proposed: Map<number, number>, municipality: string | null) {
    const lines = await ctx.db.query(
      `SELECT trim(d.municipality_code) AS m, d.product_id, d.provider_id, d.volume, d.amount_cents, trim(d.unit) AS unit, trim(p.unit) AS punit, d.debit_credit
       FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code JOIN product p ON p.id = d.product_id
       WHERE m.region_id = 'twente' AND d.status = 'geaccepteerd' AND d.period_start >= '2021-01-01' AND d.period_start < '2022-01-01'
         AND ($1::text IS NULL OR d.municipality_code = $1)`,
      [municipality],
    );
    const price = (l: any, t: Map<number, number> | null) => {
      const c = t?.get(l.product_id);
      const v = c === undefined ? null : linePrice(l.volume, l.unit, l.punit, c);
      return (l.debit_credit === 'C' ? -1 : 1) * (v ?? l.amount_cents);
    };
    let oldCents = 0,
      newCents = 0;
    const perMunicipality = new Map<string, number>();
    for (const l of lines) {
      oldCents += price(l, baseline);
      newCents += price(l, proposed);
      perMunicipality.set(l.m, (perMunicipality.get(l.m) ?? 0) + price(l, proposed));
    }
    return { lines: lines.length, oldCents, newCents, perMunicipality };
  }

  it('compares two sets on the demo year: totals equal the sum of every line priced by hand, and every breakdown adds up to the total', async () => {
    const sets = (await get(base)).json().sets;
    const [a, b] = [
      sets.find((s: any) => s.name === 'Tarieven 2022 (kostprijsmodel)'),
      sets.find((s: any) => s.name.startsWith('Concept 2023: kostprijsmodel')),
    ];
    const res = await get(`${base}/impact?year=2021&baseline=${a.id}&proposed=${b.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const i = res.json();
    const hand = await byHand(await tariffsOf(a.id), await tariffsOf(b.id), null);
    expect(i.total.lines).toBe(hand.lines);
    expect(i.total.oldCents).toBe(hand.oldCents);
    expect(i.total.newCents).toBe(hand.newCents);
    expect(i.total.diffCents).toBe(hand.newCents - hand.oldCents);
    expect(i.total.diffPct).toBeCloseTo((100 * (hand.newCents - hand.oldCents)) / hand.oldCents, 2);
    for (const dim of ['gemeente', 'segment', 'product', 'aanbieder']) {
      expect(
        i.rows[dim].reduce((s: number, r: any) => s + r.oldCents, 0),
        dim,
      ).toBe(i.total.oldCents);
      expect(
        i.rows[dim].reduce((s: number, r: any) => s + r.newCents, 0),
        dim,
      ).toBe(i.total.newCents);
    }
    expect(i.rows.gemeente).toHaveLength(14);
    for (const r of i.rows.gemeente) expect(r.newCents).toBe(hand.perMunicipality.get(r.key));
    // JB/JR is not in the sets: priced at what was declared, and reported
    expect(i.unpriced.lines).toBeGreaterThan(0);
    expect(i.rows.segment.find((r: any) => r.key === 'JBJR').diffCents).toBe(0);
  });

  it('against what was declared, and for a municipality only its own residents', async () => {
    const sets = (await get(base)).json().sets;
    const b = sets.find((s: any) => s.name.startsWith('Concept 2023: tarieven 2022'));
    const i = (await get(`${base}/impact?year=2021&baseline=gedeclareerd&proposed=${b.id}`, 'gemeente')).json();
    const hand = await byHand(null, await tariffsOf(b.id), '0153');
    expect(i.rows.gemeente.map((r: any) => r.key)).toEqual(['0153']);
    expect([i.total.oldCents, i.total.newCents]).toEqual([hand.oldCents, hand.newCents]);
    const [{ declared }] = await ctx.db.query(
      `SELECT sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END)::int8 AS declared FROM declaration_line
       WHERE municipality_code = '0153' AND status = 'geaccepteerd' AND period_start >= '2021-01-01' AND period_start < '2022-01-01'`,
    );
    expect(i.total.oldCents).toBe(declared);
    expect((await get(`${base}/impact`, 'aanbieder')).statusCode).toBe(403);
  });

  it('exports the comparison as XLSX (a sheet per dimension) and CSV', async () => {
    const res = await get(`${base}/impact.xlsx?year=2021`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('budgeteffect-twente-2021.xlsx');
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Samenvatting', 'Gemeenten', 'Segmenten', 'Producten', 'Aanbieders']);
    const i = (await get(`${base}/impact?year=2021`)).json();
    const sheet = wb.getWorksheet('Gemeenten')!;
    expect(sheet.rowCount).toBe(1 + 14 + 1);
    expect(Math.round(Number(sheet.getRow(sheet.rowCount).getCell(5).value) * 100)).toBe(i.total.newCents);
    const csv = (await get(`${base}/impact.csv?year=2021&by=segment`)).body.replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0]).toMatch(/^Segment;Code;Regels;Oud \(EUR\)/);
    expect(csv.filter(Boolean)).toHaveLength(1 + i.rows.segment.length + 1);
  });
});

describe('the calculator over HTTP', () => {
  it('calculates a build-up for any role, and names the field when the input is wrong', async () => {
    const res = await post(`${base}/calc`, { productCode: '45A53' }, 'aanbieder');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().steps.reduce((a: number, s: any) => a + s.cents, 0)).toBe(res.json().tariffCents);
    const norms = (await get(`${base}/norm-set`)).json().body;
    const bad = await post(`${base}/calc`, { norms, product: { ...norms.products[0], productivity: '1.5' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toContain('productiviteit');
    const schema = await post(`${base}/calc`, { norms, product: { ...norms.products[0], unit: 'week' } });
    expect(schema.statusCode).toBe(400);
    expect(schema.json().field).toBe('body.product.unit');
  });

  it('saves an edited norm set as a new version, keeping the old one', async () => {
    const current = (await get(`${base}/norm-set`)).json();
    const body = { ...current.body, socialChargesPct: '27' };
    const res = await post(`${base}/norm-sets`, { name: current.name, validFrom: '2024-01-01', body });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().version).toBe(current.version + 1);
    expect((await get(`${base}/norm-set?id=${current.id}`)).json().body.socialChargesPct).toBe(current.body.socialChargesPct);
    expect((await post(`${base}/norm-sets`, { name: 'x', validFrom: '2024-01-01', body }, 'gemeente')).statusCode).toBe(403);
    const broken = await post(`${base}/norm-sets`, {
      name: 'x',
      validFrom: '2024-01-01',
      body: { ...body, functions: [...body.functions, body.functions[0]] },
    });
    expect(broken.statusCode).toBe(400);
  });

  it('moving a limit re-classifies exactly the groups it crosses, shown before and after', async () => {
    const now = (await get(`${base}/bands`)).json();
    const proposal = structuredClone(now.table.body);
    proposal.bands[2].lowerLimit = '5'; // middelzwaar from 5.0 instead of 4.5
    const res = await post(`${base}/bands/preview`, { validFrom: '2026-01-01', body: proposal });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    const crossing = now.groups.filter((g: any) => Number(g.intensity) >= 4.5 && Number(g.intensity) < 5);
    expect(crossing.length).toBeGreaterThan(0);
    expect(p.changed).toBe(crossing.length);
    for (const g of p.groups.filter((x: any) => x.changed)) {
      expect([g.before.band, g.after.band]).toEqual(['MZ', 'M']);
      expect(g.after.tariffCents).toBeLessThan(g.before.tariffCents);
    }
    // adding a band above: the heaviest groups move up, the rest stay
    const added = structuredClone(now.table.body);
    added.bands.push({
      ...added.bands[4],
      code: 'EZ+',
      name: 'extra zwaar plus',
      lowerLimit: '10',
      productCode: '43A39',
      norms: { ...added.bands[4].norms, normIntensity: '11' },
    });
    const saved = await post(`${base}/bands`, { name: now.table.name, status: 'concept', validFrom: '2026-01-01', body: added });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json().version).toBe(now.table.version + 1);
    expect(saved.json().changed).toBe(now.groups.filter((g: any) => Number(g.intensity) >= 10).length);
    // a concept does not change what is in force
    expect((await get(`${base}/bands`)).json().table.id).toBe(now.table.id);
    expect((await get(`${base}/bands?id=${saved.json().id}`, 'aanbieder')).statusCode).toBe(404);
  });

  it('indexes a set: 0% gives the same tariffs, a weighted index the factor, rounded per tariff', async () => {
    expect(
      (
        await post(`${base}/indices`, {
          year: 2030,
          kind: 'voorlopig',
          components: [
            { name: 'OVA', weight: '0.9', pct: '0' },
            { name: 'PCC', weight: '0.1', pct: '0' },
          ],
        })
      ).statusCode,
    ).toBe(201);
    const sets = (await get(base)).json().sets;
    const published = sets.find((s: any) => s.name === 'Tarieven 2022 (kostprijsmodel)');
    const res = await post(`${base}/sets`, { origin: 'indexatie', year: 2030, baseSetId: published.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(Number(res.json().factor)).toBe(1);
    const [a, b] = [await tariffsOf(published.id), await tariffsOf(res.json().id)];
    expect([...b.entries()]).toEqual([...a.entries()]);
    const dup = await post(`${base}/indices`, { year: 2030, kind: 'voorlopig', components: [{ name: 'OVA', weight: '1', pct: '2' }] });
    expect(dup.statusCode).toBe(409);
    expect((await post(`${base}/sets`, { origin: 'indexatie', year: 2031 })).json().detail).toMatch(/geen voorlopige index voor 2031/);
  });

  it('keeps a gezinshuis tariff per home by date; a provider sees only its own homes', async () => {
    const homes = (await get(`${base}/homes?date=2022-06-01`)).json();
    const h = homes[0];
    const res = await post(`${base}/homes`, { groupId: h.id, validFrom: '2024-01-01', home: { ...h.input, careIntensityPct: '40' } });
    expect(res.statusCode, res.body).toBe(201);
    const later = (await get(`${base}/homes?date=2024-02-01`)).json().find((x: any) => x.id === h.id);
    expect([later.tariffCents, later.previousCents, later.history]).toEqual([res.json().tariffCents, h.tariffCents, 2]);
    expect(later.tariffCents).toBeGreaterThan(h.tariffCents);
    expect((await post(`${base}/homes`, { groupId: h.id, validFrom: '2024-01-01', home: h.input })).statusCode).toBe(409);
    const own = (await get(`${base}/homes`, 'aanbieder')).json();
    const [{ provider_id }] = await ctx.db.query(`SELECT provider_id FROM account WHERE username = 'aanbieder'`);
    expect(own.every((x: any) => x.providerId === provider_id)).toBe(true);
    const groups = (await get(`${base}/bands`, 'aanbieder')).json().groups;
    expect(groups.every((x: any) => x.providerId === provider_id)).toBe(true);
  });
});
