// Bekostiging in Chromium: the quarterly review of the Achterhoek provider outside its 3% band, its statement with
// the calculation step by step and as a PDF, closing the year; the municipality's view with its own share (axe on each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';

describe.skipIf(!haveBrowser)('bekostiging in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => { e2e = await startE2E(); }, 300_000);
  afterAll(async () => { await e2e?.stop(); });

  it('the region finds the Achterhoek provider outside its band, reads its quarterly review and statement, and closes the year', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'regio');
    await page.goto(`${e2e.base}/achterhoek/bekostiging?segment=GWV`);
    await page.getByTestId('tabel-bekostiging').waitFor();
    expect(await page.getByRole('combobox', { name: 'Jaar' }).inputValue()).toBe('2023');
    expect(await page.getByTestId('bek-buiten').textContent()).toBe('1');
    await e2e.expectAccessible(page, 'bekostiging regio');

    // the one row above its band
    const outside = page.getByTestId('tabel-bekostiging').locator('tbody tr').filter({ hasText: 'boven de band' });
    expect(await outside.count()).toBe(1);
    const provider = (await outside.locator('a').textContent())!;
    await outside.locator('a').click();
    const review = page.getByTestId('kwartaaloverzicht');
    await review.waitFor();
    expect(await review.getByRole('heading', { level: 2 }).textContent()).toContain(provider);
    // four quarters of provider figures beside the band, the band as a gauge, the deviation flagged for the meeting
    expect(await page.getByTestId('tabel-kwartalen').locator('tbody tr').count()).toBe(4);
    const gauge = review.getByRole('img', { name: /realisatie 5,5% t\.o\.v\. de afspraak, boven de band/ }).first();
    expect(await gauge.count()).toBe(1);
    expect(await page.getByTestId('kwartaal-signaal').textContent()).toMatch(/boven de band \(5,5%\): verrekening van het deel buiten de band/);
    const steps = await review.getByTestId('berekening').locator('tbody tr td:first-child').allTextContents();
    expect(steps.some((s) => s.startsWith('Verrekening boven de band'))).toBe(true);
    await e2e.expectAccessible(page, 'kwartaaloverzicht');

    // the statement: provisional, then closed and frozen
    await review.getByRole('button', { name: 'Jaarafrekening van deze aanbieder' }).click();
    const statement = page.getByTestId('afrekening');
    await statement.waitFor();
    await statement.getByRole('button', { name: 'Jaar afsluiten' }).waitFor();
    expect(await page.getByTestId('afrekening-status').textContent()).toMatch(/^Voorlopig/);
    await statement.getByRole('button', { name: 'Jaar afsluiten' }).click();
    await statement.getByRole('button', { name: 'Correctie vaststellen' }).waitFor();
    expect(await page.getByTestId('afrekening-status').textContent()).toMatch(/^Gesloten op \d{4}-\d{2}-\d{2}/);
    expect(await statement.textContent()).toMatch(/Totaal: nog te betalen aan de aanbieder/);
    await e2e.expectAccessible(page, 'jaarafrekening');

    // the PDF letter, through the browser's own session
    const href = (await statement.getByRole('link', { name: 'Afrekening als pdf' }).getAttribute('href'))!;
    const pdf = await page.evaluate(async (u) => { const r = await fetch(u); return { type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) }; }, href);
    expect(pdf).toEqual({ type: 'application/pdf', head: '%PDF-' });
  });

  it('a municipality sees the Twente contracts with its own share, the crisis beds on availability', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'gemeente');
    await page.goto(`${e2e.base}/twente/bekostiging?segment=CRI-BED`);
    await page.getByTestId('tabel-bekostiging').waitFor();
    const rows = page.getByTestId('tabel-bekostiging').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toContain('Beschikbaarheid');
    expect(await page.getByRole('columnheader', { name: /Uw aandeel/ }).count()).toBe(1);
    expect(await page.getByTestId('bek-aandeel').textContent()).toMatch(/^€\s?[\d.]+$/);
    // commitments: only Enschede, beside its budget and realisation
    await page.getByTestId('tabel-verplichtingen').waitFor();
    const mun = await page.getByTestId('tabel-verplichtingen').locator('tbody tr').allTextContents();
    expect(mun).toHaveLength(1);
    expect(mun[0]).toContain('Enschede');
    await e2e.expectAccessible(page, 'bekostiging gemeente');
  });
});
