// What the browser walks share (test/e2e/language.test.ts at 1,366 px, test/e2e/phone.test.ts at 390 px): every page
// of the web app, the four roles, waiting until a page has its data, and axe.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const ROLES = ['regio', 'gemeente', 'aanbieder', 'coordinator'] as const;
export const PAGES = [
  '/twente/monitoring?weergave=kosten',
  '/twente/monitoring?weergave=meerjaren',
  '/twente/monitoring?weergave=stromen',
  '/twente/monitoring?weergave=budget',
  '/twente/monitoring?weergave=concentratie',
  '/twente/monitoring?weergave=risico',
  '/twente/productenboek',
  '/twente/rekentool?weergave=kostprijs',
  '/twente/rekentool?weergave=intensiteit',
  '/twente/rekentool?weergave=gezinshuis',
  '/twente/rekentool?weergave=indexatie',
  '/twente/rekentool?weergave=sets',
  '/twente/berichten?weergave=in',
  '/twente/berichten?weergave=uit',
  '/twente/berichten?weergave=grootboek',
  '/twente/berichten?weergave=jeugdigen',
  '/twente/coordinatiepunt?tab=plekken',
  '/twente/coordinatiepunt?tab=aanvragen',
  '/twente/coordinatiepunt?tab=wachttijden',
  '/twente/coordinatiepunt?tab=aanbieders',
];

/** Every page: the main pages plus funding and the provider register's tabs. */
export const ALL_PAGES = [
  ...PAGES,
  '/twente/bekostiging',
  '/twente/aanbieders?tab=register',
  '/twente/aanbieders?tab=toelating',
  '/twente/aanbieders?tab=nieuw',
  '/twente/aanbieders?tab=inlezen',
  '/twente/aanbieders?tab=onbekend',
];

/** Waits until the page has loaded its data: no request in flight and no "… laden" status. */
export async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
  await expect
    .poll(
      () =>
        page
          .locator('[role=status]')
          .filter({ hasText: /laden …|Laden …/ })
          .count(),
      { timeout: 60_000 },
    )
    .toBe(0);
}

/**
 * Opens a page and waits until it shows its content: no API request in flight (the coordination point's event stream
 * excepted), text in <main> and no "… laden" status, polled every 25 ms. Returns the milliseconds from the start of
 * the navigation: the page timing benchmark (language.test.ts). Unlike `settled`, it does not wait for half a second
 * of network silence after the content is there (about 50 s over a walk of 104 pages).
 */
export function opener(page: Page, base: string): (url: string) => Promise<number> {
  let inflight = 0;
  const counted = (r: { url(): string; resourceType(): string }) =>
    r.url().includes('/api/') && r.resourceType() !== 'eventsource' && !r.url().endsWith('/events');
  page.on('request', (r) => {
    if (counted(r)) inflight++;
  });
  const done = (r: { url(): string; resourceType(): string }) => {
    if (counted(r)) inflight = Math.max(0, inflight - 1);
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return async (url: string) => {
    inflight = 0;
    const t0 = performance.now();
    await page.goto(base + url, { waitUntil: 'commit' });
    for (;;) {
      const busy =
        inflight > 0 ||
        (await page
          .evaluate(() => {
            const main = document.querySelector('main');
            if (!main || !main.innerText.trim()) return true;
            return [...document.querySelectorAll('[role=status]')].some((s) => /laden …|Laden …/.test((s as HTMLElement).innerText));
          })
          .catch(() => true));
      if (!busy) break;
      if (performance.now() - t0 > 60_000) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    return Math.round(performance.now() - t0);
  };
}

/**
 * axe (WCAG 2.1 A/AA) on the page as it is. With `sample`, rows after the tenth of each table body are left out: the
 * rows repeat the same markup, and axe over the risk monitor's 354 rows takes half a minute per page.
 */
export async function axeFindings(page: Page, where: string, sample = true): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (sample) builder = builder.exclude('tbody > tr:nth-child(n+11)');
  const result = await builder.analyze();
  return result.violations.map(
    (v) =>
      `${where}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

/**
 * The page's markup without its data: every element's tag, classes, role, ARIA attribute names, type and whether it
 * holds text; a run of siblings with the same markup (table rows, list items, options) counts once, and a chart's
 * drawing counts as one element. Two roles that see the same page with other figures give the same signature; a role
 * that sees another button, form or message gives another.
 */
export async function layoutSignature(page: Page): Promise<string> {
  const skeleton = await page.evaluate(() => {
    const walk = (el: Element): string => {
      const attrs = [...el.attributes]
        .map((a) => a.name)
        .filter((n) => n.startsWith('aria-') || n === 'role' || n === 'type' || n === 'alt' || n === 'for' || n === 'id')
        .sort();
      const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim() !== '');
      const own = `${el.tagName}.${[...el.classList].sort().join('.')}[${attrs.join(',')}]${text ? 't' : ''}`;
      if (el.tagName.toLowerCase() === 'svg') return own;
      const children: string[] = [];
      for (const c of el.children) {
        const sub = walk(c);
        if (children[children.length - 1] !== sub) children.push(sub);
      }
      return children.length ? `${own}(${children.join(',')})` : own;
    };
    return walk(document.body);
  });
  return createHash('sha256').update(skeleton).digest('hex');
}
