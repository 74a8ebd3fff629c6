// Providers update availability on the go (issue 18 §4): at 390 px every page as every role fits its width (tables
// scroll inside themselves), axe finds nothing, and the navigation folds behind a menu button. At 1,366 px the risk
// page fits the screen. Its own file, so it runs beside the language walk (each file has its own server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';
import { ALL_PAGES, axeFindings, layoutSignature, opener, ROLES, settled } from '../helpers/walk.ts';

describe.skipIf(!haveBrowser)('every page on a phone', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  async function newPage(width: number) {
    const page = await e2e.newPage();
    await page.setViewportSize({ width, height: 900 });
    return page;
  }

  it('at 390 px (a phone) every page fits its width and axe finds nothing, for every role; the navigation folds behind a menu button', async () => {
    const wide: string[] = [];
    const axe: string[] = [];
    const checked = new Set<string>();
    let skipped = 0;
    let axeMs = 0;
    for (const role of ROLES) {
      const page = await newPage(390);
      await e2e.login(page, role);
      // the navigation is folded away behind an accessible menu button, opened and closed with the keyboard
      const button = page.getByTestId('menu-knop');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator('#rk-nav').isVisible()).toBe(false);
      await button.focus();
      await page.keyboard.press('Enter');
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      await page.getByRole('navigation', { name: 'Onderdelen' }).getByRole('link', { name: 'Productenboek' }).waitFor();
      await page.keyboard.press('Escape');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('menu-knop');
      await page.keyboard.press('Space');
      await page.getByRole('navigation', { name: 'Onderdelen' }).getByRole('link', { name: 'Productenboek' }).click();
      await page.waitForURL(/\/productenboek/);
      expect(await button.getAttribute('aria-expanded')).toBe('false'); // choosing a page folds the menu again
      const open = opener(page, e2e.base);
      for (const url of ALL_PAGES) {
        await open(url);
        const { width, culprits } = await page.evaluate(() => {
          // the element that sticks out of its parent (a scrolling parent is fine: the table scrolls inside it)
          const out: string[] = [];
          for (const el of document.querySelectorAll('body *')) {
            const parent = el.parentElement;
            if (!parent || el.getBoundingClientRect().right <= 391) continue;
            if (parent.getBoundingClientRect().right > 391) continue;
            const o = getComputedStyle(parent).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') continue;
            out.push(
              `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}${el.getAttribute('data-testid') ? `#${el.getAttribute('data-testid')}` : ''}[${Math.round(el.getBoundingClientRect().right)}]`,
            );
          }
          return { width: document.documentElement.scrollWidth, culprits: out.slice(0, 4) };
        });
        if (width > 390) wide.push(`${role} ${url}: ${width} px (${culprits.join(', ')})`);
        // axe once per layout: a role that sees the same markup as one checked before (other figures only) is not
        // checked again; a role that sees other controls or messages is
        const layout = await layoutSignature(page);
        if (checked.has(layout)) {
          skipped++;
          continue;
        }
        checked.add(layout);
        const t0 = performance.now();
        axe.push(...(await axeFindings(page, `${role} ${url} (390 px)`)));
        axeMs += performance.now() - t0;
      }
      await page.close();
    }
    const page = await newPage(390);
    await page.goto(`${e2e.base}/openbaar/twente`);
    await settled(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) wide.push(`openbaar twente: ${width} px`);
    axe.push(...(await axeFindings(page, 'openbaar twente (390 px)')));
    await page.close();
    console.log(
      `axe op 390 px: ${checked.size} opmaken gecontroleerd, ${skipped} pagina's met een al gecontroleerde opmaak overgeslagen; axe ${Math.round(axeMs / 1000)} s`,
    );
    expect(wide).toEqual([]);
    expect(axe).toEqual([]);
  }, 1_800_000);

  it('at 1,366 px the risk page fits the screen and axe finds nothing on Verblijfsintensiteiten (landmark-unique)', async () => {
    const page = await newPage(1366);
    await e2e.login(page, 'regio');
    await page.goto(`${e2e.base}/twente/monitoring?weergave=risico&jaar=2021`); // the published year: all 354 providers
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await page.goto(`${e2e.base}/twente/rekentool?weergave=intensiteit`);
    await settled(page);
    expect(await axeFindings(page, 'verblijfsintensiteiten', false)).toEqual([]);
    await page.close();
  }, 300_000);
});
