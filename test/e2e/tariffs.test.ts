// The rekentool in Chromium, as the region's procurement adviser uses it: change a norm and see the tariff and
// its build-up recalculate; the worked intensity example; move a band limit and see groups re-classified; compare
// two tariff sets with their budget impact and download it. axe on every view (harness: test/helpers/e2e.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';

/** '€ 1.234,56' → 123456 */
const cents = (text: string | null) => Math.round(Number(text!.replace(/[^\d,-]/g, '').replace(',', '.')) * 100);

describe.skipIf(!haveBrowser)('rekentool in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  async function open(page: Page, view?: string) {
    await e2e.login(page, 'regio');
    await page.getByRole('navigation', { name: 'Onderdelen' }).getByRole('link', { name: 'Rekentool tarieven' }).click();
    await page.waitForURL(/\/twente\/rekentool/);
    if (view) await page.getByRole('navigation', { name: 'Onderdelen van de rekentool' }).getByRole('link', { name: view }).click();
  }

  it('recalculates the tariff and every step of its build-up as a norm is typed', async () => {
    const page = await e2e.newPage();
    await open(page);
    const tariff = page.getByTestId('tarief');
    await tariff.waitFor();
    await expect(page.getByRole('combobox', { name: 'Product' }).inputValue()).resolves.toBe('45A53');
    const before = cents(await tariff.textContent());
    expect(before).toBeGreaterThan(5000);
    const stepSum = async () => (await page.getByTestId('tabel-opbouw').locator('tbody td:last-child').allTextContents()).reduce((a, t) => a + cents(t), 0);
    expect(await stepSum()).toBe(before);
    await expect(page.getByRole('note').textContent()).resolves.toContain('Voorbeeldnormen');
    await e2e.expectAccessible(page, 'rekentool kostprijs');

    // lower productivity: more paid hours per client hour, a higher tariff — no button pressed
    await page.getByLabel('Productiviteit (%)').fill('50');
    await expect.poll(async () => cents(await tariff.textContent())).toBeGreaterThan(before);
    const after = cents(await tariff.textContent());
    expect(await stepSum()).toBe(after);
    await expect(page.getByTestId('tabel-opbouw').locator('tr[data-step="productiviteit"] td').first().textContent()).resolves.toContain('50%');

    // a wrong value is named, and the tariff comes back when it is fixed
    await page.getByLabel('Sociale lasten (%)').fill('abc');
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/sociale lasten/);
    await page.getByLabel('Sociale lasten (%)').fill('26');
    await expect.poll(async () => cents(await tariff.textContent())).toBe(after);

    // another product in another unit
    await page.getByRole('combobox', { name: 'Product' }).selectOption('43A06');
    await expect.poll(() => page.getByTestId('tabel-opbouw').locator('tr[data-step="huisvesting"]').count()).toBe(1);
    await e2e.expectAccessible(page, 'rekentool kostprijs etmaal');
    await page.close();
  });

  it('computes the worked intensity example and re-classifies groups when a band limit moves', async () => {
    const page = await e2e.newPage();
    await open(page, 'Verblijfsintensiteiten');
    await expect(page.getByTestId('intensiteit').textContent()).resolves.toContain('= 4,76 uur per jeugdige per etmaal: klasse middelzwaar (43A37)');
    await page.getByTestId('tabel-groepen').waitFor();
    const status = page.getByTestId('herindeling');
    expect(await status.textContent()).toMatch(/^\d+ groepen ingedeeld/);
    const groups = await page.getByTestId('tabel-groepen').locator('tbody tr').count();
    expect(groups).toBeGreaterThan(50);
    // bands whose product Twente does not buy are named: L (43A35 not in the book) and EZ (43A39, LTA)
    const missing = await page.getByTestId('klassen-zonder-product').textContent();
    expect(missing).toContain('43A35 staat niet in het productenboek van Twente');
    expect(missing).toContain('43A39 (LTA verblijf (extra zwaar)) hoort bij LTA');
    expect(await page.getByTestId('tabel-eigen-product').textContent()).toContain('Crisisverblijf');
    await e2e.expectAccessible(page, 'rekentool intensiteiten');

    await page.getByLabel('Ondergrens klasse middelzwaar').fill('5');
    await expect.poll(async () => status.textContent()).toMatch(/^[1-9]\d* van \d+ groepen wisselen van klasse of tarief/);
    await page.getByLabel('Alleen groepen die wisselen').check();
    const moved = await page.getByTestId('tabel-groepen').locator('tbody tr').count();
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(groups);
    const first = await page.getByTestId('tabel-groepen').locator('tbody tr').first().locator('th, td').allTextContents();
    expect(first[6]).toContain('middelzwaar');
    // band M stands for 43A36 (Specialistisch wonen): a specialistisch-wonen group gets it, a behandelgroep has no product there
    expect(first[7]).toMatch(first[2] === 'specialistisch wonen' ? /^middel \(43A36\)/ : /^middel geen product/);
    expect(await page.getByRole('button', { name: 'Opslaan als nieuwe versie' }).isVisible()).toBe(true);
    await e2e.expectAccessible(page, 'rekentool intensiteiten gewijzigd');
    await page.close();
  });

  it('compares two tariff sets on the latest year per municipality, and exports the comparison', async () => {
    const page = await e2e.newPage();
    await open(page, 'Tariefsets en budgeteffect');
    await page.getByTestId('tabel-effect').waitFor();
    // the published 2022 set (cost-price model), an indexed set published for each of 2023–2026 (issue 18: tariffs
    // every year of the history) and the two 2023 concepts
    expect(await page.getByTestId('tabel-tariefsets').locator('tbody tr').count()).toBe(7);
    // the screen opens on the most recent year with declarations (issue 18 §1): a row per municipality declared in it
    const year = (await (await page.request.get(`${e2e.base}/api/regions/twente`)).json()).latestYear as number;
    const api = await (await page.request.get(`${e2e.base}/api/regions/twente/tariffs/impact?year=${year}`)).json();
    expect(await page.getByTestId('tabel-effect').locator('tbody tr').count()).toBe(api.rows.gemeente.length);
    const [oldC, newC, diff] = await Promise.all(
      ['effect-oud', 'effect-nieuw', 'effect-verschil'].map(async (id) => cents((await page.getByTestId(id).textContent())!.split(' (')[0])),
    );
    expect(Math.abs(newC - oldC - diff)).toBeLessThanOrEqual(100); // whole euros on screen
    expect(Math.round(api.total.newCents / 100) * 100).toBe(newC);
    expect(await page.getByTestId('tabel-tarieven-ab').locator('tbody tr').count()).toBeGreaterThan(10);
    await e2e.expectAccessible(page, 'rekentool tariefsets');

    await page.getByLabel('Uitsplitsen naar').selectOption('segment');
    await expect.poll(() => page.getByTestId('tabel-effect').locator('tbody tr').count()).toBe(api.rows.segment.length);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Download XLSX budgeteffect/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`budgeteffect-twente-${year}.xlsx`);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await file.path())!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Samenvatting', 'Gemeenten', 'Segmenten', 'Producten', 'Aanbieders']);
    await page.close();
  });

  it('the gezinshuis and indexation views are accessible and calculate', async () => {
    const page = await e2e.newPage();
    await open(page, 'Gezinshuizen');
    const t = page.getByTestId('tarief-gezinshuis');
    await t.waitFor();
    const before = cents(await t.textContent());
    await page.getByLabel('Zorgzwaarte-opslag (%)').fill('50');
    await expect.poll(async () => cents(await t.textContent())).toBeGreaterThan(before);
    await e2e.expectAccessible(page, 'rekentool gezinshuizen');
    await page.getByRole('navigation', { name: 'Onderdelen van de rekentool' }).getByRole('link', { name: 'Indexatie' }).click();
    await page.getByTestId('tabel-indices').waitFor();
    await page.getByLabel('OVA (%)').fill('4,10');
    await page.getByLabel('PCC (%)').fill('2,50');
    await expect(page.getByTestId('gewogen-index').textContent()).resolves.toBe('3,94%');
    await e2e.expectAccessible(page, 'rekentool indexatie');
    await page.close();
  });
});
