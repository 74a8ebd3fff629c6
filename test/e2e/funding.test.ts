// Bekostiging in Chromium: the quarterly review of the Achterhoek provider outside its 3% band, its statement with
// the calculation step by step and as a PDF, closing the year; the municipality's view with its own share (axe on each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';

describe.skipIf(!haveBrowser)('bekostiging in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });

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
    const pdf = await page.evaluate(async (u) => {
      const r = await fetch(u);
      return { type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
    }, href);
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

  it('cost statements (reële nacalculatie): the region reads the Twente pilot, a bad CSV names its lines and stores nothing, a line entered and a CSV imported change the settlement', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'regio');
    await page.goto(`${e2e.base}/twente/bekostiging?weergave=kosten`);
    const card = page.getByTestId('kostenverantwoording');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    expect(await page.getByRole('combobox', { name: 'Jaar' }).inputValue()).toBe('2021');
    // demo: € 610.000 staff + € 95.000 housing eligible, € 10.000 representation not; advances 4 × € 180.000 → reclaim € 15.000
    expect(await card.getByTestId('kosten-subsidiabel').textContent()).toMatch(/705\.000/);
    expect(await card.getByTestId('kosten-saldo').textContent()).toMatch(/15\.000/);
    expect(await card.textContent()).toContain('Terug te vorderen');
    expect(await card.getByTestId('tabel-kostenregels').locator('tbody tr').count()).toBe(3);
    await e2e.expectAccessible(page, 'kostenverantwoording regio');
    const contract = await page.locator('#kost-contract').inputValue();

    // a CSV with bad lines: every line and field named, nothing stored
    const header = 'contract;jaar;categorie;bedrag (euro);subsidiabel';
    await page.locator('#kosten-csv-bestand').setInputFiles({
      name: 'kosten.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n${contract};2021;materieel;1.000,00;ja\n${contract};2021;;veel;misschien\n`),
    });
    const result = page.getByTestId('kosten-import');
    await result.waitFor();
    const errors = await result.locator('li').allTextContents();
    expect(errors).toEqual([
      expect.stringMatching(/^Regel 3, categorie/),
      expect.stringMatching(/^Regel 3, bedrag \(euro\)/),
      expect.stringMatching(/^Regel 3, subsidiabel/),
    ]);
    expect(await card.getByTestId('tabel-kostenregels').locator('tbody tr').count()).toBe(3);
    await e2e.expectAccessible(page, 'kostenverantwoording fouten');

    // a line entered by hand: € 5.000 materieel → eligible € 710.000, reclaim € 10.000
    await page.getByLabel('Kostencategorie').fill('materieel');
    await page.getByLabel('Bedrag (euro)').fill('5.000,00');
    await page.getByTestId('kostenregel-form').getByRole('button', { name: 'Opslaan' }).click();
    await page.getByTestId('kostenregel-melding').filter({ hasText: 'Kostenregel opgeslagen' }).waitFor();
    await card
      .getByTestId('kosten-subsidiabel')
      .filter({ hasText: /710\.000/ })
      .waitFor();
    expect(await card.getByTestId('kosten-saldo').textContent()).toMatch(/10\.000/);

    // a good CSV: € 2.500 housing eligible, € 300 not → eligible € 712.500, reclaim € 7.500
    await page.locator('#kosten-csv-bestand').setInputFiles({
      name: 'kosten.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n${contract};2021;huisvesting;2.500,00;\n${contract};2021;representatie;300,00;nee\n`),
    });
    await result.filter({ hasText: '2 kostenregels ingelezen' }).waitFor();
    await card
      .getByTestId('kosten-subsidiabel')
      .filter({ hasText: /712\.500/ })
      .waitFor();
    expect(await card.getByTestId('kosten-saldo').textContent()).toMatch(/7\.500/);
    expect(await card.getByTestId('tabel-kostenregels').locator('tbody tr').count()).toBe(6);
    await e2e.expectAccessible(page, 'kostenverantwoording ingelezen');

    // the demo provider (not the pilot's) has no contract on real costs: it sees none of the pilot's figures
    const provider = await e2e.newPage();
    await e2e.login(provider, 'aanbieder');
    await provider.goto(`${e2e.base}/twente/bekostiging?weergave=kosten`);
    await provider.getByTestId('kosten-geen').waitFor();
    expect(await provider.getByTestId('kostenverantwoording').count()).toBe(0);
    await e2e.expectAccessible(provider, 'kostenverantwoording aanbieder');
  });

  it('monitoring splits the costs by funding form, and each figure opens the contracts behind it', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'regio');
    await page.goto(`${e2e.base}/twente/monitoring?naar=bekostiging&jaar=2021`); // the published year: its contracts and payments
    const table = page.getByTestId('tabel-uitsplitsing');
    await table.waitFor();
    expect(await page.getByLabel('Uitsplitsen naar').inputValue()).toBe('bekostiging');
    const api = await (await page.request.get(`${e2e.base}/api/regions/twente/dashboard/costs?year=2021&by=bekostiging`)).json();
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(api.rows.length);
    const labels = await table.locator('tbody th').allTextContents();
    expect(labels).toEqual(
      expect.arrayContaining([
        'P × Q (inspanningsgericht)',
        'Beschikbaarheid (plus gebruik)',
        'Budget / lumpsum per aanbieder',
        'Voorschot met reële nacalculatie',
      ]),
    );
    await e2e.expectAccessible(page, 'kosten per bekostigingsvorm');
    // the availability figure opens its contracts (Twente's crisis beds)
    await table.getByRole('link', { name: /contracten van Beschikbaarheid \(plus gebruik\) 2021/ }).click();
    await page.waitForURL(/vorm=beschikbaarheid/);
    const behind = await (await page.request.get(`${e2e.base}/api/regions/twente/dashboard/costs/bekostiging?year=2021&form=beschikbaarheid`)).json();
    const rows = page.getByTestId('tabel-vorm-contracten').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(behind.contracts.length);
    expect(behind.contracts.length).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toContain(behind.contracts.sort((x: any, y: any) => y.amountCents - x.amountCents)[0].providerName);
    await e2e.expectAccessible(page, 'contracten achter een bekostigingsvorm');
  });
});
