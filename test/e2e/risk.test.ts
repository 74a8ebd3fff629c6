// End to end in Chromium: the risk tab of the dashboard (ratios, flags with text, stress test, CSV import with line
// errors), the quarterly PDF from the risk view and from the concentration ranking, and a provider's own view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';

describe.skipIf(!haveBrowser)('risk monitor and quarterly report in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  it('the regio sees the risk tab with flags as text, moves the stress test, gets a PDF and line errors on a bad import', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'regio');
    await page.goto(`${e2e.base}/twente/monitoring?jaar=2021`); // the published year (the dashboard opens on the latest)
    await page.getByRole('link', { name: 'Risico' }).click();
    await page.waitForURL(/weergave=risico/);
    const table = page.getByTestId('tabel-risico');
    await table.waitFor();
    expect(await page.getByTestId('risico-aanname').textContent()).toContain('de kosten blijven gelijk');
    expect(Number((await page.getByTestId('risico-aanbieders').textContent())!.replace(/\./g, ''))).toBeGreaterThan(100);
    // every row says in words whether it is flagged
    const flagTexts = await table.locator('tbody .rk-flag').allTextContents();
    expect(flagTexts.some((t) => /^continuïteit: /.test(t))).toBe(true);
    expect(flagTexts.every((t) => /^(continuïteit|rechtmatigheid|afhankelijkheid): |^geen signaal$|^geen jaarcijfers$/.test(t))).toBe(true);
    await e2e.expectAccessible(page, 'risicomonitor');

    // a deeper cut: more providers end with a loss
    const before = Number(await page.getByTestId('risico-stress').textContent());
    await page.getByTestId('risico-korting-getal').fill('40');
    await page.getByTestId('risico-korting-getal').press('Enter');
    await page.waitForURL(/korting=40/);
    await page.getByRole('button', { name: 'Rendement na 40% daling' }).waitFor();
    await expect.poll(async () => Number(await page.getByTestId('risico-stress').textContent())).toBeGreaterThan(before);

    // the quarterly report of the first provider
    const href = await table
      .locator('tbody tr')
      .first()
      .getByRole('link', { name: /PDF K4 2021/ })
      .getAttribute('href');
    expect(href).toMatch(/\/api\/regions\/twente\/reports\/provider\/\d+\.pdf\?year=2021&quarter=4$/);
    const pdf = await page.request.get(`${e2e.base}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // entering a year's figures: choosing a provider fills in what is known; saving replaces that year
    const select = page.locator('#jc-aanbieder');
    await select.selectOption({ index: 1 });
    const providerId = Number(await select.inputValue());
    expect(await page.getByLabel('Omzet', { exact: true }).inputValue()).toMatch(/^\d+,\d\d$/);
    await page.getByLabel('Bron').fill('jaarrekening 2021 (e2e)');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText('Jaarcijfers 2021 opgeslagen.').waitFor();
    const saved = await (await page.request.get(`${e2e.base}/api/regions/twente/risk/providers/${providerId}`)).json();
    expect(saved.years.find((y: any) => y.year === 2021).figures).toMatchObject({ source: 'jaarrekening 2021 (e2e)', enteredBy: 'regio' });

    // a bad CSV: nothing stored, every failing line named
    await page.getByLabel('CSV-bestand').setInputFiles({
      name: 'jaarcijfers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'AGB-code;Jaar;Omzet;Waarvan Jeugdwet;Resultaat;Eigen vermogen;Balanstotaal;Vlottende activa;Kortlopende schulden;Personeelskosten;Fte;Bron\n' +
          '12345678;2021;1000;;10;10;100;50;50;500;1;jaarrekening\nabc;2021;veel;;10;10;100;50;50;500;1;jaarrekening\n',
      ),
    });
    const alert = page.getByTestId('jaarcijfers-melding');
    await alert.waitFor();
    const text = (await alert.textContent())!;
    expect(text).toContain('niets opgeslagen');
    expect(text).toContain('Regel 2, AGB-code');
    expect(text).toContain('Regel 3, Omzet');
    // the whole page was checked above; axe over 350 table rows takes half a minute, so check the import section with its message
    const axe = await new AxeBuilder({ page })
      .include('[aria-labelledby="kop-jaarcijfers-import"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it("the concentration ranking links each provider's quarterly report", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'regio');
    await page.goto(`${e2e.base}/twente/monitoring?weergave=concentratie&jaar=2021`);
    const ranking = page.getByTestId('tabel-rangschikking');
    await ranking.waitFor();
    const href = await ranking
      .locator('tbody tr')
      .first()
      .getByRole('link', { name: /PDF 2021/ })
      .getAttribute('href');
    const pdf = await page.request.get(`${e2e.base}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(pdf.headers()['content-disposition']).toMatch(/-2021-K4\.pdf"$/);
  });

  it('a provider sees only its own row, no entry form, and its own report', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'aanbieder');
    await page.goto(`${e2e.base}/twente/monitoring?weergave=risico&jaar=2021`);
    const table = page.getByTestId('tabel-risico');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('form-jaarcijfers').count()).toBe(0);
    const href = await table.getByRole('link', { name: /PDF/ }).getAttribute('href');
    expect((await page.request.get(`${e2e.base}${href}`)).status()).toBe(200);
    await e2e.expectAccessible(page, 'risicomonitor aanbieder');
  });
});
