// The quarterly contract-management report: a valid PDF whose figures are the dashboard's. The text is read
// back from the PDF itself (content streams inflated, WinAnsi strings decoded) and compared with the costs API.
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, seededServer } from '../helpers/app.ts';
import { createAccount } from '../../src/access/store.ts';
import { formatEuro } from '../../src/core/money.ts';
import { providerQuarterReport } from '../../src/monitoring/report.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookie: Record<string, string> = {};
const R = 'achterhoek';
let P = 0,
  other = 0,
  gemeenteCode = '',
  gemeenteName = '',
  providerName = '';
const get = (role: string, url: string) => ctx.server.inject({ method: 'GET', url, headers: { cookie: cookie[role] } });

/** The text drawn on the pages: every TJ/Tj string of every content stream, one per line. */
function pdfText(pdf: Buffer): string {
  const s = pdf.toString('latin1');
  const lines: string[] = [];
  const decode = (hex: string) => [...Buffer.from(hex, 'hex')].map((b) => (b === 0x80 ? '€' : String.fromCharCode(b))).join('');
  for (const m of s.matchAll(/(?<!end)stream\r?\n/g)) {
    const head = s.slice(s.lastIndexOf(' obj', m.index), m.index);
    const length = Number(/\/Length (\d+)/.exec(head)?.[1]);
    let data = pdf.subarray(m.index + m[0].length, m.index + m[0].length + length);
    if (head.includes('/FlateDecode')) data = inflateSync(data);
    for (const op of data.toString('latin1').matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      lines.push(op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decode(h[1])).join('') : decode(op[2]));
    }
  }
  return lines.join('\n');
}

beforeAll(async () => {
  ctx = await seededServer([R]);
  const ranked = await ctx.db.query(
    `SELECT p.id, p.name FROM provider p JOIN declaration_year_fact f ON f.provider_id = p.id JOIN municipality m ON m.code = f.municipality_code
     WHERE m.region_id = $1 AND f.year = 2023 GROUP BY p.id ORDER BY sum(f.amount_cents) DESC, p.id LIMIT 2`,
    [R],
  );
  [P, other] = ranked.map((r) => r.id);
  providerName = ranked[0].name;
  [{ code: gemeenteCode, name: gemeenteName }] = await ctx.db.query(
    `SELECT trim(f.municipality_code) AS code, min(m.name) AS name FROM declaration_year_fact f JOIN municipality m ON m.code = f.municipality_code
     WHERE f.provider_id = $1 AND f.year = 2023 GROUP BY 1 ORDER BY sum(f.amount_cents) DESC LIMIT 1`,
    [P],
  );
  await createAccount(ctx.db, { username: 'regio-t', displayName: 'Regio', password: 'een-lang-wachtwoord', role: 'regio' });
  await createAccount(ctx.db, {
    username: 'gemeente-t',
    displayName: gemeenteName,
    password: 'een-lang-wachtwoord',
    role: 'gemeente',
    municipalityCode: gemeenteCode,
  });
  await createAccount(ctx.db, { username: 'aanbieder-t', displayName: providerName, password: 'een-lang-wachtwoord', role: 'aanbieder', providerId: P });
  await createAccount(ctx.db, { username: 'coordinator-t', displayName: 'Coördinatiepunt', password: 'een-lang-wachtwoord', role: 'coordinator' });
  for (const r of ['regio', 'gemeente', 'aanbieder', 'coordinator']) cookie[r] = await login(ctx.server, `${r}-t`, 'een-lang-wachtwoord');
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

describe('quarterly report per provider (PDF)', () => {
  it('is a valid PDF with the title line, and its figures equal the dashboard API for the same provider and quarter', async () => {
    const res = await get('regio', `/api/regions/${R}/reports/provider/${P}.pdf?year=2023&quarter=2`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="kwartaalrapportage-\d{8}-2023-K2\.pdf"/);
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF/);
    const text = pdfText(pdf);
    expect(text).toContain('Kwartaalrapportage contractmanagement');
    expect(text.replace(/\s+/g, ' ')).toMatch(new RegExp(`Achterhoek · ${providerName} \\(AGB \\d{8}\\) · K2 2023 · gemaakt op \\d{1,2} \\w+ 20\\d\\d`));

    // the provider's own view of the dashboard gives the same quarter and months
    const q = (await get('aanbieder', `/api/regions/${R}/dashboard/costs?year=2023&by=kwartaal`)).json();
    const k2 = q.rows.find((r: any) => r.key === 'K2');
    expect(k2.amountCents).toBeGreaterThan(0);
    const kern = text.slice(text.indexOf('Kerncijfers'), text.indexOf('Per maand'));
    expect(kern).toContain(formatEuro(k2.amountCents));
    expect(kern).toContain(k2.persons.toLocaleString('nl-NL'));
    const region = (await get('regio', `/api/regions/${R}/dashboard/costs?year=2023&by=kwartaal`)).json().rows.find((r: any) => r.key === 'K2');
    expect(kern).toContain(formatEuro(region.amountCents));
    const share = ((k2.amountCents / region.amountCents) * 100).toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(kern).toContain(`${share}%`);
    const months = (await get('aanbieder', `/api/regions/${R}/dashboard/costs?year=2023&by=maand`))
      .json()
      .rows.filter((r: any) => ['04', '05', '06'].includes(r.key));
    expect(months).toHaveLength(3);
    for (const m of months) expect(text).toContain(`${m.label} 2023\n${formatEuro(m.amountCents)}\n${m.persons.toLocaleString('nl-NL')}`);
    expect(text).toContain('Wachttijden');
    expect(text).toContain('Financiële signalen (jaarcijfers 2023)');
  });

  it("its product table adds up to the quarter, and the figures behind the PDF are the API's", async () => {
    const scope = { regionId: R, municipalityCode: null, providerId: null, label: 'de hele regio' };
    const r = await providerQuarterReport(ctx.db, scope, P, 2023, 2, '2025-01-15');
    const perProduct = r.products.filter((x) => x.month === null);
    expect(perProduct.length).toBeGreaterThan(0);
    expect(perProduct.reduce((a, x) => a + x.amountCents, 0)).toBe(r.current.amountCents);
    expect(r.products.filter((x) => x.month !== null).reduce((a, x) => a + x.amountCents, 0)).toBe(r.current.amountCents);
    expect(r.months.reduce((a, m) => a + m.amountCents, 0)).toBe(r.current.amountCents);
    // clients are counted once: the quarter never exceeds the sum of the months, and is at least the busiest month
    expect(r.current.clients).toBeLessThanOrEqual(r.months.reduce((a, m) => a + m.clients, 0));
    expect(r.current.clients).toBeGreaterThanOrEqual(Math.max(...r.months.map((m) => m.clients)));
    // the demo has one year: the same quarter a year before is empty, and says so rather than inventing figures
    expect(r.previous).toEqual({ amountCents: 0, clients: 0, regionAmountCents: 0, share: null });
    const risk = (await get('regio', `/api/regions/${R}/risk/providers/${P}`)).json().years.find((y: any) => y.year === 2023);
    expect(r.risk!.flags.map((f) => f.ratio)).toEqual(risk.flags.map((f: any) => f.ratio));
    const pdf = pdfText((await get('regio', `/api/regions/${R}/reports/provider/${P}.pdf?year=2023&quarter=2`)).rawPayload);
    for (const x of perProduct)
      expect(pdf).toContain(`${x.productCode} totaal\nkwartaal\n${x.volume.toLocaleString('nl-NL')}\n${x.unit}\n${formatEuro(x.amountCents)}`);
  });

  it('a municipality gets the report for its own residents; without year and quarter it is the newest quarter', async () => {
    const res = await get('gemeente', `/api/regions/${R}/reports/provider/${P}.pdf`);
    expect(res.statusCode).toBe(200);
    // the newest quarter with data: the demo history runs to the month before today (issue 18)
    const [{ last }] = await ctx.db.query(
      `SELECT max(period_start) AS last FROM declaration_line WHERE provider_id = $1 AND municipality_code = $2 AND status = 'geaccepteerd'`,
      [P, gemeenteCode],
    );
    const year = Number(String(last).slice(0, 4)),
      quarter = Math.ceil(Number(String(last).slice(5, 7)) / 3);
    expect(year).toBe(2026); // history up to 30 November 2026 (SEED_TODAY)
    expect(res.headers['content-disposition']).toContain(`-${year}-K${quarter}.pdf`);
    const text = pdfText(res.rawPayload);
    const mine = (await get('gemeente', `/api/regions/${R}/dashboard/costs?year=${year}&by=kwartaal`)).json().rows.find((r: any) => r.key === `K${quarter}`);
    expect(text).toContain(`Totaal gemeente ${gemeenteName}\n${formatEuro(mine.amountCents)}`);
  });

  it('a provider gets only its own report; the coordination point none', async () => {
    expect((await get('aanbieder', `/api/regions/${R}/reports/provider/${P}.pdf?year=2023&quarter=1`)).statusCode).toBe(200);
    const otherRes = await get('aanbieder', `/api/regions/${R}/reports/provider/${other}.pdf?year=2023&quarter=1`);
    expect(otherRes.statusCode).toBe(404);
    expect(otherRes.headers['content-type']).toContain('problem+json');
    expect((await get('coordinator', `/api/regions/${R}/reports/provider/${P}.pdf?year=2023&quarter=1`)).statusCode).toBe(403);
    expect((await get('regio', `/api/regions/${R}/reports/provider/${P}.pdf?year=2023&quarter=5`)).statusCode).toBe(400);
  });
});
