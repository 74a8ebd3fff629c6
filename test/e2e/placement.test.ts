// The coordination point in Chromium (harness: test/helpers/e2e.ts): a provider frees a place and the
// coordinator's open screen shows it without a reload; the screens and the public page pass axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';

describe.skipIf(!haveBrowser)('coördinatiepunt in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();

  it("a provider frees a place; the coordinator's open screen shows it without reloading", async () => {
    const coordinator = await e2e.newPage();
    await e2e.login(coordinator, 'coordinator');
    await coordinator.goto(`${e2e.base}/twente/coordinatiepunt?tab=plekken`);
    await coordinator.getByTestId('tabel-plekken').waitFor();
    await coordinator.getByText('Live bijgewerkt').waitFor();
    await e2e.expectAccessible(coordinator, 'coördinatiepunt plekken');
    expect(await coordinator.getByTestId('tabel-plekken').locator('tbody tr').count()).toBe(100); // of 500+; 'toon alle' shows the rest

    const provider = await e2e.newPage();
    await e2e.login(provider, 'aanbieder');
    await provider.goto(`${e2e.base}/twente/coordinatiepunt`);
    await provider.getByTestId('tabel-doorgeven').waitFor();
    await e2e.expectAccessible(provider, 'beschikbaarheid doorgeven');
    // one of its groups with an occupied place
    const own = (await (await provider.request.get(`${e2e.base}/api/regions/twente/placement/groups`)).json()).groups as any[];
    const g = own.find((x) => x.places.occupied > 0 && x.intakeOpen);
    expect(g, 'de demo-aanbieder heeft een groep met een bezette plek').toBeTruthy();
    // the coordinator narrows the register to this provider
    await coordinator.getByLabel('Zoeken op groep, locatie of aanbieder').fill(g.providerName);
    await coordinator.getByTestId(`vrij-${g.groupId}`).waitFor();
    const before = Number(await text(coordinator, `vrij-${g.groupId}`));
    expect(before).toBe(g.places.free);

    await provider.locator(`#g${g.groupId}-bezet`).fill(String(g.places.occupied - 1));
    await provider.getByRole('button', { name: /Wijzigingen opslaan/ }).click();
    await expect(provider.getByTestId('doorgeven-resultaat').textContent()).resolves.toContain('Opgeslagen: 1 groep');

    // the coordinator did nothing: the number changes on its own, and says who changed it just now
    await coordinator.waitForFunction(
      ([id, n]) => document.querySelector(`[data-testid="vrij-${id}"]`)?.textContent?.trim() === String(n),
      [g.groupId, before + 1] as const,
      { timeout: 10_000 },
    );
    expect(await text(coordinator, `bijgewerkt-${g.groupId}`)).toMatch(/^zojuist door .+\(live gewijzigd\)/);
    expect(await text(coordinator, 'live-status')).toMatch(/laatste wijziging/);
    await e2e.expectAccessible(coordinator, 'coördinatiepunt na live wijziging');

    // a stale report is refused in Dutch, and offers to load the newest figures
    const other = await e2e.newPage();
    await e2e.login(other, 'aanbieder');
    await other.goto(`${e2e.base}/twente/coordinatiepunt`);
    await other.getByTestId('tabel-doorgeven').waitFor();
    await other.locator(`#g${g.groupId}-bezet`).fill(String(g.places.occupied));
    await provider.locator(`#g${g.groupId}-toelichting`).fill('Plek vrij vanaf vandaag');
    await provider.getByRole('button', { name: /Wijzigingen opslaan/ }).click();
    await expect(provider.getByTestId('doorgeven-resultaat').textContent()).resolves.toContain('Opgeslagen');
    // `other` loaded before that save: its edit is based on an old version
    await other.getByRole('button', { name: /Wijzigingen opslaan/ }).click();
    await expect(other.getByRole('alert').first().textContent()).resolves.toMatch(/intussen gewijzigd .*Er is niets opgeslagen/);
    await other.getByRole('button', { name: 'Nieuwste cijfers laden' }).waitFor();
    await Promise.all([coordinator.close(), provider.close(), other.close()]);
  }, 240_000);

  it('the coordinator sees requests, proposals with reasons, waiting times and flows; every screen is accessible', async () => {
    const page = await e2e.newPage();
    await e2e.login(page, 'coordinator');
    await page.goto(`${e2e.base}/twente/coordinatiepunt?tab=aanvragen`);
    await page.getByTestId('tabel-aanvragen').waitFor();
    const first = page.getByTestId('tabel-aanvragen').locator('tbody tr').first().getByRole('button');
    await first.click();
    await page.getByTestId('aanvraag-detail').waitFor();
    await page.getByTestId('aanvraag-verloop').waitFor();
    await page.getByRole('heading', { name: /^Voorstellen/ }).waitFor();
    await e2e.expectAccessible(page, 'aanvragen');

    await page.getByRole('link', { name: 'Wachttijden en stromen' }).click();
    await page.getByTestId('tabel-wachttijden').waitFor();
    await page.getByTestId('tabel-stromen').waitFor();
    expect(await page.getByTestId('tabel-wachttijden').locator('tbody tr').count()).toBeGreaterThan(1);
    await e2e.expectAccessible(page, 'wachttijden en stromen');

    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.getByLabel('BSN of pseudoniem van de jeugdige').waitFor();
    await e2e.expectAccessible(page, 'aanmelden');

    await page.getByRole('link', { name: 'Wachttijden aanbieders' }).click();
    await page.getByTestId('tabel-gepubliceerd').waitFor();
    await e2e.expectAccessible(page, 'wachttijden aanbieders');
    await page.close();
  }, 240_000);

  it('the public page needs no login and shows no personal data', async () => {
    const page = await e2e.newPage();
    await page.goto(`${e2e.base}/openbaar`);
    await page.getByTestId('openbaar-twente').waitFor();
    expect(page.url()).toMatch(/\/openbaar$/);
    const body = await page.locator('main').textContent();
    expect(body).not.toMatch(/J-\d{7}/);
    expect(await page.getByTestId('openbaar-twente').locator('tbody tr').count()).toBeGreaterThan(3);
    await e2e.expectAccessible(page, 'openbaar');
    await page.close();
  });
});
