// End to end in Chromium: from a cost figure on the dashboard to the rows behind it (their total equals the
// figure), the link keeps the filters so it can be shared, an XLSX export of the rows downloads, and a
// municipality sees its own declaration lines with pseudonyms. axe on every page visited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';

/** The visible amount of a drill-down link (its accessible name also says which rows it opens). */
const amountOf = async (link: Locator) => (await link.textContent())!.trim();

describe.skipIf(!haveBrowser)('drill-down in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  it('the regio clicks a cost figure and gets the rows behind it, with the same total, paged, and an XLSX export', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'regio');
    await page.goto(`${e2e.base}/twente/monitoring?jaar=2021`); // the published year (the dashboard opens on the latest)
    await page.getByTestId('tabel-segmenten').waitFor();
    await e2e.expectAccessible(page, 'monitoring');

    // the costs table, split by quarter within one segment
    await page.getByLabel('Uitsplitsen naar').selectOption('kwartaal');
    await page.getByLabel('Alleen segment').selectOption({ label: 'Wonen' });
    const table = page.getByTestId('tabel-uitsplitsing');
    await table.locator('tbody tr').filter({ hasText: 'K1' }).waitFor();
    const link = table
      .locator('tbody tr')
      .filter({ hasText: 'K1' })
      .getByRole('link', { name: /regels van K1 2021/ });
    const figure = await amountOf(link);
    expect(figure).toMatch(/^€\s[\d.]+$/);
    await link.click();
    await page.waitForURL(/weergave=regels/);
    expect(page.url()).toMatch(/segment=WON/);
    expect(page.url()).toMatch(/kwartaal=K1/);
    await page.getByTestId('tabel-regels').waitFor();
    expect((await page.getByTestId('regels-totaal').textContent())!.trim()).toBe(figure);
    expect(await page.getByTestId('regels-filters').textContent()).toContain('kwartaal K1');
    // the region sees totals per provider × product × month, no youths
    expect(await page.getByTestId('tabel-regels').locator('thead').textContent()).not.toContain('Jeugdige');
    await e2e.expectAccessible(page, 'regels (regio)');

    // the link can be shared: a fresh page on the same URL shows the same rows
    const shared = await e2e.newPage();
    await e2e.login(shared, 'regio');
    await shared.goto(page.url());
    await shared.getByTestId('tabel-regels').waitFor();
    expect((await shared.getByTestId('regels-totaal').textContent())!.trim()).toBe(figure);
    await shared.close();

    // paging keeps the total
    const rows = Number((await page.getByTestId('regels-aantal').textContent())!.replace(/\./g, ''));
    expect(rows).toBeGreaterThan(100); // more than one page of 100
    expect(await page.getByTestId('tabel-regels').locator('tbody tr').count()).toBe(100);
    const pager = page.getByRole('navigation', { name: "Pagina's" });
    await pager.getByRole('button', { name: 'Volgende' }).click();
    await page.waitForURL(/pagina=2/);
    await page.getByText(/Pagina 2 van/).waitFor();
    expect((await page.getByTestId('regels-totaal').textContent())!.trim()).toBe(figure);
    await e2e.expectAccessible(page, 'regels pagina 2');

    // XLSX of the same rows
    const href = await page.getByRole('link', { name: /Download XLSX/ }).getAttribute('href');
    expect(href).toMatch(/\/dashboard\/rows\.xlsx\?year=2021&segment=WON&kwartaal=K1$/);
    const xlsx = await page.request.get(e2e.base + href!);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

    // back to the costs
    await page.getByRole('link', { name: 'Terug naar de kosten' }).click();
    await table.waitFor();
    await page.close();
  });

  it('a municipality drills down from its municipality × segment table to its declaration lines', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'gemeente');
    await page.goto(`${e2e.base}/twente/monitoring?jaar=2021`); // the published year (the dashboard opens on the latest)
    const table = page.getByTestId('tabel-gemeenten');
    await table.waitFor();
    const cell = table.locator('tbody tr').first().getByRole('link', { name: /Wonen/ });
    const figure = await amountOf(cell);
    await cell.click();
    await page.waitForURL(/weergave=regels/);
    const lines = page.getByTestId('tabel-regels');
    await lines.waitFor();
    expect((await page.getByTestId('regels-totaal').textContent())!.trim()).toBe(figure);
    expect(await lines.locator('thead').textContent()).toContain('Jeugdige (pseudoniem)');
    expect(await lines.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('regels-personen').textContent()).toMatch(/^[\d.]+$/);
    await e2e.expectAccessible(page, 'regels (gemeente)');
    await page.close();
  });
});
