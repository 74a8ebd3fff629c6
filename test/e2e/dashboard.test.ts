// End to end, as a user, in Chromium: login, the calibrated dashboard, navigation, scopes (harness: test/helpers/e2e.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import figures from '../../src/demo/figures.json' with { type: 'json' };
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';

/** '€ 29.812.345' → 2981234500 cents */
const euroCents = (text: string) => Math.round(Number(text.replace(/[^\d,-]/g, '').replace(',', '.')) * 100);
const within = (actual: number, expected: number, pct = 0.02) => expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(pct);

describe.skipIf(!haveBrowser)('web app in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });
  const newPage = () => e2e.newPage();
  const login = (page: Page, username: string) => e2e.login(page, username);
  const expectAccessible = (page: Page, where: string) => e2e.expectAccessible(page, where);

  /** The cells of the table row whose first cell is `name`. */
  async function row(page: Page, table: string, name: string) {
    const r = page
      .getByTestId(table)
      .locator('tbody tr')
      .filter({ has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) });
    expect(await r.count()).toBe(1);
    return r.locator('th, td').allTextContents();
  }

  it('the regio logs in and sees the calibrated Twente 2021 dashboard, accessible, with a CSV of the same figures', async () => {
    const page = await newPage();
    await page.goto(e2e.base);
    await page.waitForURL(/\/inloggen$/);
    await expectAccessible(page, 'inloggen');

    // A wrong password is refused with a Dutch message.
    await page.getByLabel('Gebruikersnaam').fill('regio');
    await page.getByLabel('Wachtwoord').fill('fout-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('klopt niet');

    await login(page, 'regio');
    await page.getByTestId('tabel-segmenten').waitFor();
    const t = figures.twente;
    // the dashboard opens on the most recent year with declarations and compares it with the year before (issue 18 §1)
    const latest = (await (await page.request.get(`${e2e.base}/api/regions/twente`)).json()).latestYear as number;
    expect(await page.getByRole('combobox', { name: 'Jaar' }).inputValue()).toBe(String(latest));
    const shown = await (await page.request.get(`${e2e.base}/api/regions/twente/dashboard?year=${latest}`)).json();
    if (shown.previous) expect(await page.getByTestId('kpi-kosten-verschil').textContent()).toContain(`t.o.v. ${latest - 1}`);
    // the published year as published
    await page.getByRole('combobox', { name: 'Jaar' }).selectOption('2021');
    await page.locator('.rk-kpi dt', { hasText: 'Kosten 2021' }).waitFor();
    await page.getByTestId('tabel-segmenten').waitFor();
    const kpi = (await page.getByTestId('kpi-kosten').textContent())!; // '€ 198,1 mln'
    expect(kpi).toMatch(/^€\s[\d.]+,\d mln$/);
    within(Number(kpi.replace(/[^\d,]/g, '').replace(',', '.')) * 1e8, t.costs_by_segment_million_eur.total * 1e8);
    expect(await page.getByTestId('kpi-personen').textContent()).toBe(t.persons_with_youth_care.toLocaleString('nl-NL'));
    expect(await page.getByTestId('kpi-gemeenten').textContent()).toBe('14');
    for (const [segment, million] of Object.entries({
      Wonen: t.costs_by_segment_million_eur.Wonen,
      Verblijf: t.costs_by_segment_million_eur.Verblijf,
      Crisis: t.costs_by_segment_million_eur.Crisis,
      Ambulant: t.costs_by_segment_million_eur.Ambulant,
    })) {
      const cells = await row(page, 'tabel-segmenten', segment);
      within(euroCents(cells[1]), million * 1e8);
    }
    // Per municipality, Wonen: Enschede as published.
    const wonen = t.per_municipality.Wonen.rows.find((r) => r[0] === 'Enschede')!;
    const header = await page.getByTestId('tabel-gemeenten').locator('thead th').allTextContents();
    const enschede = await row(page, 'tabel-gemeenten', 'Enschede');
    within(euroCents(enschede[header.findIndex((h) => h.startsWith('Wonen'))]), Number(wonen[2]) * 100);
    await page.getByTestId('grafiek-segmenten').locator('canvas').waitFor(); // (ECharts comes in a chunk of its own, after the page)
    expect(await page.getByTestId('grafiek-segmenten').locator('canvas').count()).toBe(1);
    await expectAccessible(page, 'monitoring');

    // The CSV link exports the same figures.
    const href = await page.getByRole('link', { name: /Download CSV.*segment/ }).getAttribute('href');
    const csv = await page.request.get(e2e.base + href!);
    expect(csv.status()).toBe(200);
    const text = (await csv.text()).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toBe('Segment;Jaar;Bedrag (EUR);Personen;Aanbieders');
    const wonenLine = text.split('\r\n').find((l) => l.startsWith('Wonen;'))!;
    within(Math.round(Number(wonenLine.split(';')[2].replace(',', '.')) * 100), t.costs_by_segment_million_eur.Wonen * 1e8);

    // The year switch re-queries; another region through the switcher.
    await page.getByRole('combobox', { name: 'Regio' }).selectOption('midden-ijssel-oost-veluwe');
    await page.waitForURL(/\/midden-ijssel-oost-veluwe\/monitoring/);
    await page.getByTestId('tabel-segmenten').waitFor();
    const mijov = (await (await page.request.get(`${e2e.base}/api/regions/midden-ijssel-oost-veluwe`)).json()).latestYear as number;
    expect(await page.getByRole('combobox', { name: 'Jaar' }).inputValue()).toBe(String(mijov));
    expect(await page.getByTestId('kpi-gemeenten').textContent()).toBe('8');
    await page.close();
  });

  it('every section is reachable from the navigation; the product book, providers and funding are tables', async () => {
    const page = await newPage();
    await login(page, 'regio');
    const nav = page.getByRole('navigation', { name: 'Onderdelen' });
    expect(await nav.getByRole('link').count()).toBe(7);

    await nav.getByRole('link', { name: 'Productenboek' }).click();
    await page.getByTestId('tabel-producten').waitFor();
    const book = await (await page.request.get(`${e2e.base}/api/regions/twente/products`)).json();
    expect(book.length).toBeGreaterThan(10);
    expect(await page.getByTestId('tabel-producten').locator('tbody tr').count()).toBe(book.length);
    await expectAccessible(page, 'productenboek');

    await nav.getByRole('link', { name: 'Aanbieders en contracten' }).click();
    await page.getByTestId('tabel-aanbieders').waitFor();
    expect(await page.getByTestId('tabel-aanbieders').locator('tbody tr').count()).toBe(figures.twente.active_providers);
    await page.getByLabel(/Zoeken/).fill('zzz-bestaat-niet');
    expect(await page.getByTestId('tabel-aanbieders').locator('tbody tr').count()).toBe(0);
    await expectAccessible(page, 'aanbieders');

    await nav.getByRole('link', { name: /Bekostiging/ }).click();
    await page.getByTestId('tabel-bekostiging').waitFor(); // every section has its page now (funding: issue 15)
    expect(await page.getByText('Nog niet beschikbaar').count()).toBe(0);
    await expectAccessible(page, 'bekostiging');
    await page.close();
  });

  it('the market analysis shows the concentration, per segment, with the providers for supplier management', async () => {
    const page = await newPage();
    await login(page, 'regio');
    await page.goto(`${e2e.base}/twente/monitoring?jaar=2021`); // the published year
    await page.getByRole('navigation', { name: 'Weergave' }).getByRole('link', { name: 'Concentratie' }).click();
    await page.getByTestId('tabel-rangschikking').waitFor();
    expect(page.url()).toContain('weergave=concentratie');
    expect(await page.getByTestId('conc-aanbieders').textContent()).toBe(String(figures.twente.active_providers));
    const share50 = Number((await page.getByTestId('conc-50').textContent())!.replace('%', '').replace(',', '.'));
    expect(share50).toBeGreaterThanOrEqual(1.5);
    expect(share50).toBeLessThanOrEqual(3.5);
    await page.getByTestId('grafiek-pareto').locator('canvas').waitFor(); // (ECharts comes in a chunk of its own, after the page)
    expect(await page.getByTestId('grafiek-pareto').locator('canvas').count()).toBe(1);
    expect(await page.getByTestId('tabel-rangschikking').locator('tbody tr').count()).toBe(figures.twente.active_providers);
    await expectAccessible(page, 'concentratie');
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: 'Wonen' });
    await page.waitForURL(/segment=WON/);
    await page
      .getByTestId('tabel-rangschikking')
      .getByText(/^\d+ aanbieders; de eerste/)
      .waitFor();
    const wonen = await (await page.request.get(`${e2e.base}/api/regions/twente/dashboard/providers?year=2021&segment=WON`)).json();
    await expect.poll(() => page.getByTestId('tabel-rangschikking').locator('tbody tr').count(), { timeout: 30_000 }).toBe(wonen.length);
    await page.close();
  });

  it('splits costs along a dimension kept in the URL, and downloads the table as XLSX', async () => {
    const page = await newPage();
    await login(page, 'regio');
    await page.goto(`${e2e.base}/twente/monitoring?jaar=2021`); // the published year
    await page.getByTestId('tabel-uitsplitsing').waitFor();
    await page.getByLabel('Uitsplitsen naar').selectOption('maand');
    await page.waitForURL(/naar=maand/);
    await expect.poll(() => page.getByTestId('tabel-uitsplitsing').locator('tbody tr').count(), { timeout: 30_000 }).toBe(12);
    expect(await page.getByTestId('tabel-uitsplitsing').locator('tbody th').first().textContent()).toBe('januari');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Download XLSX kosten per maand/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('kosten-per-maand-twente-2021.xlsx');
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await file.path())!);
    expect(wb.worksheets[0].rowCount).toBe(1 + 12 + 1); // header, months, total
    await page.reload();
    await page.getByTestId('tabel-uitsplitsing').waitFor();
    expect(await page.getByLabel('Uitsplitsen naar').inputValue()).toBe('maand');
    await expectAccessible(page, 'kosten uitgesplitst');
    await page.close();
  });

  it('budget against realisation: the method is stated, a bad CSV is refused line by line, a good one updates the figures', async () => {
    const page = await newPage();
    await login(page, 'regio');
    await page.goto(`${e2e.base}/twente/monitoring?jaar=2021`); // the published year
    await page.getByRole('navigation', { name: 'Weergave' }).getByRole('link', { name: 'Budget' }).click();
    await page.getByTestId('tabel-budget-gemeenten').waitFor();
    expect(await page.getByTestId('budget-methode').textContent()).toContain('afgesloten');
    expect(await page.getByTestId('tabel-budget-gemeenten').locator('tbody tr').count()).toBe(14);
    await expectAccessible(page, 'budget');
    const before = await page.getByTestId('budget-totaal').textContent();
    await page.getByLabel('CSV-bestand').setInputFiles({
      name: 'budget.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('CBS-code;Segment;Jaar;Bedrag (EUR)\n0153;WON;2021;100\n0153;NOPE;2021;100\n'),
    });
    await page.getByRole('alert').locator('li', { hasText: 'Regel 3, Segment' }).waitFor();
    expect(await page.getByTestId('budget-totaal').textContent()).toBe(before);
    await page
      .getByLabel('CSV-bestand')
      .setInputFiles({ name: 'budget.csv', mimeType: 'text/csv', buffer: Buffer.from('CBS-code;Segment;Jaar;Bedrag (EUR)\n0153;WON;2021;100\n') });
    await page.getByText('1 budgetregels ingelezen.').waitFor();
    await expect.poll(() => page.getByTestId('budget-totaal').textContent(), { timeout: 30_000 }).not.toBe(before);
    await expectAccessible(page, 'budget na inlezen');
    await page.close();
  });

  it('flows: in- and outflow per month and the moves between segments as a Sankey diagram', async () => {
    const page = await newPage();
    await login(page, 'regio');
    await page.goto(`${e2e.base}/twente/monitoring?jaar=2021`); // the published year
    await page.getByRole('navigation', { name: 'Weergave' }).getByRole('link', { name: 'Stromen' }).click();
    await page.getByTestId('tabel-stromen').waitFor();
    expect(await page.getByTestId('tabel-stromen').locator('tbody tr').count()).toBe(12);
    await page.getByTestId('grafiek-overgangen').locator('canvas').waitFor(); // (ECharts comes in a chunk of its own, after the page)
    expect(await page.getByTestId('grafiek-overgangen').locator('canvas').count()).toBe(1);
    await expectAccessible(page, 'stromen');
    await page.close();
  });

  it("Meerjarenbeeld: per year and segment, municipality or provider; the table's CSV holds its figures; a municipality its own", async () => {
    const page = await newPage();
    await login(page, 'regio');
    await page.getByRole('navigation', { name: 'Weergave' }).getByRole('link', { name: 'Meerjarenbeeld' }).click();
    await page.getByTestId('tabel-meerjaren').waitFor();
    const api = await (await page.request.get(`${e2e.base}/api/regions/twente/dashboard/trend?by=segment`)).json();
    expect(await page.getByTestId('tabel-meerjaren').locator('tbody tr').count()).toBe(api.rows.length);
    await page.getByTestId('grafiek-meerjaren').locator('canvas').waitFor(); // (ECharts comes in a chunk of its own, after the page)
    expect(await page.getByTestId('grafiek-meerjaren').locator('canvas').count()).toBe(1);
    // the table in Dutch figures: '€ 1.234.567'; the header per year
    const header = await page.getByTestId('tabel-meerjaren').locator('thead th').allTextContents();
    for (const y of api.years) expect(header.some((h) => h.startsWith(`Kosten ${y}`))).toBe(true);
    const first = api.rows[0];
    const cells = await row(page, 'tabel-meerjaren', first.label);
    expect(euroCents(cells[1])).toBe(Math.round(first.years[0].amountCents / 100) * 100);
    expect(cells[1]).toMatch(/^€\s[\d.]+$/);
    // the CSV: the same rows and years
    const csv = (
      await (await page.request.get(e2e.base + (await page.getByRole('link', { name: /Download CSV.*meerjarenbeeld/ }).getAttribute('href'))!)).text()
    ).replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(api.rows.length + 2);
    expect(lines.find((l) => l.startsWith(`${first.label};`))!.split(';')[2]).toBe((first.years[0].amountCents / 100).toFixed(2).replace('.', ','));
    await expectAccessible(page, 'meerjarenbeeld');
    // by municipality, persons: 14 rows, whole numbers
    await page.getByLabel('Uitsplitsen naar').selectOption('gemeente');
    await page.getByLabel('Maat').selectOption('personen');
    await page.waitForURL(/maat=personen/);
    await expect.poll(() => page.getByTestId('tabel-meerjaren').locator('tbody tr').count(), { timeout: 30_000 }).toBe(14);
    await page.close();

    const gem = await newPage();
    await login(gem, 'gemeente');
    await gem.goto(`${e2e.base}/twente/monitoring?weergave=meerjaren&naar=gemeente`);
    await gem.getByTestId('tabel-meerjaren').waitFor();
    expect(await gem.getByTestId('tabel-meerjaren').locator('tbody th').allTextContents()).toEqual(['Enschede']);
    await gem.close();
  });

  it("a municipality sees only its own residents' figures", async () => {
    const page = await newPage();
    await login(page, 'gemeente');
    await page.getByTestId('tabel-gemeenten').waitFor();
    expect(await page.getByTestId('scope').textContent()).toContain('Enschede');
    const names = await page.getByTestId('tabel-gemeenten').locator('tbody th').allTextContents();
    expect(names).toEqual(['Enschede']);
    expect(await page.getByTestId('kpi-gemeenten').textContent()).toBe('1');
    await expectAccessible(page, 'monitoring gemeente');
    await page.close();
  });
});
