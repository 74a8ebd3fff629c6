// End to end in Chromium: allocations and declarations (iJW 3.2). A municipality opens its inbox, reads a declaration
// with a rejected line and the reason in Dutch, drops a JW323 file (and a broken one), sends its allocations (JW301),
// reads the ledger and a youth's allocations; a provider sees only its own messages; the region no lines.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';

const EXAMPLE = readFileSync(new URL('../../standards/ijw-3.2/examples/JW323.xml', import.meta.url), 'utf8');

describe.skipIf(!haveBrowser)('iJW messages in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  const open = async (page: Page, query: string) => {
    await page.goto(`${e2e.base}/twente/berichten${query}`);
    await page.getByRole('heading', { name: 'Toewijzingen en declaraties', level: 1 }).waitFor();
  };
  const listRows = (page: Page, direction: 'in' | 'out') => page.getByTestId(`berichten-${direction}`).locator('tbody tr');

  it('the municipality reads a declaration with a rejected line and the reason in Dutch', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'gemeente');
    await page.getByRole('link', { name: 'Toewijzingen en declaraties' }).click();
    await page.waitForURL(/\/twente\/berichten/);
    await listRows(page, 'in').first().waitFor();
    await e2e.expectAccessible(page, 'berichten ontvangen');
    // every message in the inbox is the municipality's own
    const municipalities = await page.getByTestId('berichten-in').locator('tbody tr td:nth-child(3)').allTextContents();
    expect(new Set(municipalities)).toEqual(new Set(['Enschede']));

    // a JW323 with rejected lines (the demo holds some)
    await page.getByLabel('Soort bericht').selectOption('JW323');
    await page.waitForURL(/type=JW323/);
    const rejected = listRows(page, 'in')
      .filter({ has: page.locator('td:nth-child(8)', { hasNotText: /^0$/ }) })
      .first();
    await rejected.getByRole('link').first().click();
    await page.waitForURL(/bericht=\d+/);
    await page.getByTestId('berichtregels').waitFor();
    await page.getByLabel('Alleen afgekeurde regels').check();
    const reasons = await page.getByTestId('berichtregels').locator('tbody tr td:last-child').allTextContents();
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(r).toMatch(/^[A-Z]{2}\d{3} \(retourcode [0-9A-Z]{4}\): \S.{10,}/);
    await e2e.expectAccessible(page, 'declaratie');

    // its answer, the JW325, is one click away and downloadable as XML that names the return codes
    await page.getByRole('link', { name: 'Naar het retourbericht' }).click();
    await expect.poll(async () => page.getByTestId('bericht-kop').textContent()).toMatch(/^JW325 /);
    const href = await page.getByRole('link', { name: 'Download het bericht (XML)' }).getAttribute('href');
    const xml = await page.request.get(`${e2e.base}${href}`);
    expect(xml.status()).toBe(200);
    expect(await xml.text()).toContain('http://www.istandaarden.nl/ijw/3_2/jw325/schema');
  });

  it('the municipality drops a JW323 file and sees its verdict; a broken file changes nothing', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'gemeente');
    await open(page, '?weergave=in');
    await listRows(page, 'in').first().waitFor();
    const totalBefore = await page.getByTestId('berichten-in').locator('caption').textContent();

    // a broken file: a clear error, nothing stored
    await page
      .getByLabel('XML-bestand')
      .setInputFiles({ name: 'kapot.xml', mimeType: 'application/xml', buffer: Buffer.from('<jw323:Bericht xmlns:jw323="x"><niet-af') });
    await expect.poll(async () => page.getByTestId('inlees-fout').textContent()).toContain('kapot.xml');
    expect(await page.getByTestId('berichten-in').locator('caption').textContent()).toBe(totalBefore);

    // the standard's example, addressed to Enschede by a Twente provider: read, judged line by line (it breaks TR101)
    const providers = (await (await page.request.get(`${e2e.base}/api/regions/twente/providers`)).json()) as { agbCode: string }[];
    const xml = EXAMPLE.replace('<jw323:Ontvanger>0384<', '<jw323:Ontvanger>0153<')
      .replace('<jw323:Afzender>65656055<', `<jw323:Afzender>${providers[0].agbCode}<`)
      .replace('<ijw:Identificatie>765432198<', '<ijw:Identificatie>E2E000001<');
    await page.getByLabel('XML-bestand').setInputFiles({ name: 'jw323.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    const result = page.getByTestId('inlees-resultaat');
    await expect.poll(async () => result.textContent(), { timeout: 30_000 }).toMatch(/JW323 met 5 regels: \d goedgekeurd/);
    expect(await result.textContent()).not.toMatch(/: 5 goedgekeurd/); // the duplicate line is rejected
    await expect.poll(async () => page.getByTestId('berichten-in').locator('caption').textContent()).not.toBe(totalBefore);
    await expect.poll(async () => page.getByTestId('berichten-in').textContent()).toContain('E2E000001');
    await e2e.expectAccessible(page, 'na inlezen');

    // the same file again is stored once
    await page.getByLabel('XML-bestand').setInputFiles({ name: 'jw323.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    await expect.poll(async () => result.textContent()).toContain('al ingelezen');
  });

  it("the municipality sends its allocations, reads the ledger and a youth's allocations", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'gemeente');
    await open(page, '?weergave=uit');
    await page.getByRole('button', { name: 'Toewijzingen versturen (JW301)' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /JW301|geen toewijzingen/ })
      .waitFor();
    await page.getByLabel('Soort bericht').selectOption('JW301');
    await listRows(page, 'out').first().waitFor();
    await e2e.expectAccessible(page, 'berichten verzonden');

    await page.getByRole('link', { name: 'Grootboek P*Q' }).click();
    await page.getByTestId('grootboek').waitFor();
    const ledger = (await (await page.request.get(`${e2e.base}/api/regions/twente/ijw/ledger?year=2021`)).json()) as {
      totalCents: number;
      rows: { amountCents: number; municipalityCode: string }[];
    };
    expect(ledger.rows.reduce((s, r) => s + r.amountCents, 0)).toBe(ledger.totalCents);
    expect(new Set(ledger.rows.map((r) => r.municipalityCode))).toEqual(new Set(['0153']));
    const csv = await page.request.get(`${e2e.base}${await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    await e2e.expectAccessible(page, 'grootboek');

    await page.getByRole('link', { name: 'Jeugdigen' }).click();
    await page.getByTestId('jeugdigen').locator('tbody tr').first().waitFor();
    await page.getByTestId('jeugdigen').locator('tbody tr').first().getByRole('link').click();
    await page.waitForURL(/jeugdige=\d+/);
    const allocations = page.getByTestId('toewijzingen');
    await allocations.locator('tbody tr').first().waitFor();
    expect(await allocations.locator('.rk-timeline__bar').count()).toBe(await allocations.locator('tbody tr').count());
    await e2e.expectAccessible(page, 'toewijzingen jeugdige');
  });

  it('a provider sees only its own messages; the region sees lists without lines; the coordination point is told why not', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'aanbieder');
    const me = (await (await page.request.get(`${e2e.base}/api/auth/me`)).json()) as { providerId: number; displayName: string };
    await open(page, '?weergave=in');
    await listRows(page, 'in').first().waitFor();
    const names = await page.getByTestId('berichten-in').locator('tbody tr td:nth-child(4)').allTextContents();
    expect(new Set(names)).toEqual(new Set([me.displayName]));
    await e2e.expectAccessible(page, 'aanbieder berichten');

    const regio = await e2e.newPage();
    await e2e.login(regio, 'regio');
    await open(regio, '?weergave=in');
    await listRows(regio, 'in').first().waitFor();
    expect(await regio.getByTestId('berichten-in').locator('tbody a').count()).toBe(0);
    await open(regio, '?bericht=1');
    await regio.getByText('De regels van een bericht gaan over jeugdigen').waitFor();
    expect((await regio.request.get(`${e2e.base}/api/regions/twente/ijw/messages/1`)).status()).toBe(403);

    const coordinator = await e2e.newPage();
    await e2e.login(coordinator, 'coordinator');
    await open(coordinator, '');
    await coordinator.getByTestId('geen-toegang').waitFor();
    await e2e.expectAccessible(coordinator, 'coördinatiepunt berichten');
  });
});
