// The user's language on every page, as every role, at 1,366 px (issue 18 §3): no raw codes where a name exists,
// no English validator text, no error before input; the messages say what happened, the product book's segment tree
// includes sub-segments, and the public page hides small numbers and shows one region when asked.
// The patterns it looks for are listed in RAW_PATTERNS and CELL_PATTERNS; a hit names the page, the role and the text.
// The same visit of every page times it (the page timing benchmark). The phone (390 px) walk is test/e2e/phone.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';
import { ALL_PAGES, axeFindings, opener, ROLES, settled } from '../helpers/walk.ts';

/** Text anywhere on the page that must not appear. */
const RAW_PATTERNS: [string, RegExp][] = [
  ['code in snake_case (zorgsoort, groepstype)', /\b[a-z]+_[a-z]+(?:_[a-z]+)*\b/],
  ['jeugdige met een intern nummer', /\bjeugdige \d+\b/i],
  ['Engelse XSD-melding', /\[facet '|is not a valid value|Expected is|This element is not expected|Missing child element|XSD-fout/],
  ['technische waarde', /\bNaN\b|\bundefined\b|Invalid Date|\[object Object\]/],
];
/** Table cells that must not be a raw code. */
const CELL_PATTERNS: [string, RegExp][] = [
  ['volume met eenheidscode (28 14)', /^\d[\d.]*\s(?:01|04|14|16|82|83|84)(?:\s|$)/],
  ['CBS-gemeentecode zonder naam', /^0\d{3}$/],
  ['datum als JJJJ-MM-DD (één datumnotatie: 5 december 2026)', /^\d{4}-\d{2}-\d{2}$/],
];
/** Columns (by header) whose cells must be a name, not a code. */
const COLUMN_PATTERNS: [string, RegExp, RegExp][] = [
  ['geslachtscode', /^Geslacht$/, /^[0129]$/],
  ['zorgsoort als code', /^(Soort|Type|Soort plek|Soort hulp)$/, /_/],
];

describe.skipIf(!haveBrowser)("the user's language on every page", () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ warm: true }); // the page timings are those of a started server, as `npm start` runs it
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  async function newPage(width = 1366) {
    const page = await e2e.newPage();
    await page.setViewportSize({ width, height: 900 });
    return page;
  }

  /** Every raw-code or English finding on the page as it is now. */
  async function findings(page: Page, where: string): Promise<string[]> {
    const { text, cells, alerts, columns } = await page.evaluate(() => ({
      columns: [...document.querySelectorAll('main table')].flatMap((t) => {
        const heads = [...t.querySelectorAll('thead th')].map((h) => (h as HTMLElement).innerText.trim());
        return [...t.querySelectorAll('tbody tr')].flatMap((r) =>
          [...r.children].map((c, i) => ({ header: heads[i] ?? '', text: (c as HTMLElement).innerText.trim() })),
        );
      }),
      text: (document.querySelector('main') ?? document.body).innerText,
      cells: [...document.querySelectorAll('main td, main th[scope=row]')].map((c) => (c as HTMLElement).innerText.trim()),
      alerts: [...document.querySelectorAll('main [role=alert]')].map((a) => (a as HTMLElement).innerText.trim()).filter(Boolean),
    }));
    const out: string[] = [];
    for (const [name, re] of RAW_PATTERNS) {
      const m = re.exec(text);
      if (m) out.push(`${where}: ${name}: '${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40).replace(/\s+/g, ' ')}'`);
    }
    for (const [name, re] of CELL_PATTERNS) {
      const c = cells.find((x) => re.test(x));
      if (c !== undefined) out.push(`${where}: ${name}: cel '${c}'`);
    }
    for (const [name, header, re] of COLUMN_PATTERNS) {
      const c = columns.find((x) => header.test(x.header) && re.test(x.text));
      if (c) out.push(`${where}: ${name}: kolom '${c.header}', cel '${c.text}'`);
    }
    for (const a of alerts) out.push(`${where}: foutmelding zonder invoer: '${a.slice(0, 120)}'`);
    return out;
  }

  /** Time to content of every first open in the role walk (issue 18 §4), written out after the walk. */
  const timings: { role: string; url: string; ms: number }[] = [];

  // One visit per page and role does it all: the language checks, the width at 1,366 px and the page's time to
  // content (it used to be three walks over the same pages).
  for (const role of ROLES) {
    it(`${role}: every page without raw codes, English validator text or an error before input, fits 1,366 px, timed`, async () => {
      const page = await newPage();
      await e2e.login(page, role);
      const open = opener(page, e2e.base);
      const found: string[] = [];
      for (const url of ALL_PAGES) {
        timings.push({ role, url, ms: await open(url) });
        found.push(...(await findings(page, `${role} ${url}`)));
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 1366) found.push(`${role} ${url}: de pagina is ${width} px breed op een scherm van 1366 px`);
      }
      if (role === 'gemeente' || role === 'aanbieder') {
        // one message of each kind opened: a declaration, its answer and an allocation message
        for (const [view, type] of [
          ['in', 'JW323'],
          ['uit', 'JW325'],
          ['uit', 'JW301'],
        ] as const) {
          await page.goto(`${e2e.base}/twente/berichten?weergave=${view}&type=${type}`);
          await settled(page);
          const link = page
            .getByTestId(`berichten-${view === 'in' ? 'in' : 'out'}`)
            .locator('tbody tr a')
            .first();
          if ((await link.count()) === 0) continue;
          await link.click();
          await page.getByTestId('bericht-kop').waitFor();
          await settled(page);
          found.push(...(await findings(page, `${role} bericht ${type}`)));
        }
      }
      expect(found).toEqual([]);
      await page.close();
    }, 600_000);
  }

  it('page timings: every page as every role, slowest first (benchmark, recorded in BENCHMARKS.md)', () => {
    const results = [...timings].sort((a, b) => b.ms - a.ms);
    const table = results.map((r) => `| ${r.url} | ${r.role} | ${r.ms} |`).join('\n');
    console.log(`| page | role | time to content (ms) |\n|---|---|---|\n${table}`);
    mkdirSync('.tmp', { recursive: true });
    writeFileSync('.tmp/page-timings.json', JSON.stringify(results, null, 1));
    expect(results.length).toBe(ROLES.length * ALL_PAGES.length);
  });

  it('messages say what happened: a declaration with rejected lines is "Deels goedgekeurd", its JW325 reports lines sent back, a JW301 lists its allocations', async () => {
    const page = await newPage();
    await e2e.login(page, 'gemeente');
    await page.goto(`${e2e.base}/twente/berichten?weergave=in&type=JW323`);
    await settled(page);
    const first = page.getByTestId('berichten-in').locator('tbody tr').first();
    expect(await first.locator('[data-outcome]').getAttribute('data-outcome')).toBe('deels');
    expect(await first.textContent()).toContain('Deels goedgekeurd');
    expect(await first.textContent()).not.toContain('Verwerkt');
    // the summary of rejections per rule and per provider under the inbox
    await page.goto(`${e2e.base}/twente/berichten?weergave=in`);
    await settled(page);
    expect(await page.getByTestId('afkeur-per-regel').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('afkeur-per-aanbieder').locator('tbody tr').count()).toBeGreaterThan(0);

    await page.goto(`${e2e.base}/twente/berichten?weergave=uit&type=JW325`);
    await settled(page);
    await page.getByTestId('berichten-out').locator('tbody tr a').first().click();
    await page.getByTestId('bericht-kop').waitFor();
    await settled(page);
    const result = await page.getByTestId('bericht-resultaat').textContent();
    expect(result).toMatch(/^Verzonden: \d+ afgekeurde regels? teruggemeld aan de aanbieder\.$/);
    expect(await page.getByTestId('teruggemeld').textContent()).toMatch(/^[1-9]/);
    expect(await page.locator('main').textContent()).not.toContain('Goedgekeurd bedrag');
    expect(await page.getByTestId('afkeur-per-regel').locator('tbody tr').count()).toBeGreaterThan(0);

    await page.goto(`${e2e.base}/twente/berichten?weergave=uit&type=JW301`);
    await settled(page);
    await page.getByTestId('berichten-out').locator('tbody tr a').first().click();
    await page.getByTestId('bericht-kop').waitFor();
    await settled(page);
    expect(await page.getByTestId('bericht-toewijzingen').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).not.toContain('geen declaratieregels');
    await e2e.expectAccessible(page, 'JW301 met toewijzingen');
    await page.close();
  }, 300_000);

  it('the product book: segment Wonen includes its sub-segments Pleegzorg, Gezinshuis and Specialistisch wonen', async () => {
    const page = await newPage();
    await e2e.login(page, 'regio');
    await page.goto(`${e2e.base}/twente/productenboek`);
    await settled(page);
    const caption = page.getByTestId('tabel-producten').locator('caption');
    const all = Number((await caption.textContent())!.match(/van (\d+)/)![1]);
    await page.getByLabel('Segment').selectOption('WON');
    const wonen = Number((await caption.textContent())!.match(/^(\d+)/)![1]);
    expect(wonen).toBeGreaterThan(0);
    expect(wonen).toBeLessThan(all);
    const segments = await page.getByTestId('tabel-producten').locator('tbody tr td:nth-child(3)').allTextContents();
    expect(segments.every((s) => s.startsWith('Wonen'))).toBe(true);
    await page.getByLabel('Segment').selectOption('WON-GZH');
    expect(Number((await caption.textContent())!.match(/^(\d+)/)![1])).toBeLessThan(wonen);
    await e2e.expectAccessible(page, 'productenboek Wonen');
    await page.close();
  }, 300_000);

  it('the public page hides counts of 1 to 4 and /openbaar/twente shows Twente only', async () => {
    const page = await newPage();
    await page.goto(`${e2e.base}/openbaar`);
    await settled(page);
    const regions = await page.locator('main h2').count();
    await page.goto(`${e2e.base}/openbaar/twente`);
    await settled(page);
    expect(await page.locator('main h2').allTextContents()).toEqual(['Twente']);
    expect(regions).toBeGreaterThanOrEqual(1);
    const cells = await page.getByTestId('openbaar-twente').locator('tbody td').allTextContents();
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells) for (const n of c.split('·').map((x) => x.trim())) expect(n, `cel '${c}'`).not.toMatch(/^[1-4]$/);
    expect(await findings(page, 'openbaar twente')).toEqual([]);
    await page.close();
  }, 300_000);

  it('Rekentool → Indexatie: no error before input; a factor with a decimal comma', async () => {
    const page = await newPage();
    await e2e.login(page, 'regio');
    await page.goto(`${e2e.base}/twente/rekentool?weergave=indexatie`);
    await settled(page);
    expect(await page.locator('main [role=alert]').count()).toBe(0);
    const text = (await page.locator('main').textContent())!;
    expect(text).not.toMatch(/geen getal/);
    const factor = /Factor (\d+(?:[.,]\d+)?)/.exec(text);
    if (factor) expect(factor[1]).toMatch(/^\d+,\d+$/);
    await page.close();
  }, 300_000);
});
