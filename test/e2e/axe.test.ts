// The accessibility check itself (test/helpers/walk.ts `axeFindings`), on pages written here: it finds what is wrong,
// also with only violations collected, and leaves out only the table rows after the tenth, which repeat the markup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { haveBrowser, launchBrowser } from '../helpers/e2e.ts';
import { axeFindings } from '../helpers/walk.ts';

const page = (body: string) => `<!doctype html><html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1>${body}</main></body></html>`;
const rows = (n: number, bad: number) =>
  `<table><caption>Regels</caption><thead><tr><th>Naam</th></tr></thead><tbody>${Array.from({ length: n }, (_, i) =>
    i + 1 === bad ? '<tr><td><button></button></td></tr>' : `<tr><td>regel ${i + 1}</td></tr>`,
  ).join('')}</tbody></table>`;

/** The rule ids in axeFindings' lines ("where: rule (impact) help: elements"). */
const rules = (found: string[]) => found.map((f) => /: ([a-z0-9-]+) \(/.exec(f)![1]).sort();

describe.skipIf(!haveBrowser)('axeFindings', () => {
  let browser: Browser;
  let p: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    p = await (await browser.newContext()).newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('finds nothing on a clean page, and names the rule and the element on a broken one', async () => {
    await p.setContent(page('<p>Alles in orde.</p>'));
    expect(await axeFindings(p, 'schoon')).toEqual([]);
    await p.setContent(page('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button><input type="text">'));
    const found = await axeFindings(p, 'kapot');
    expect(rules(found)).toEqual(['button-name', 'image-alt', 'label']);
    expect(found.every((f) => f.startsWith('kapot: '))).toBe(true);
  });

  it('checks the first ten rows of a table body when sampling, every row when not', async () => {
    await p.setContent(page(rows(30, 3)));
    expect(rules(await axeFindings(p, 'rij 3'))).toEqual(['button-name']);
    await p.setContent(page(rows(30, 25)));
    expect(await axeFindings(p, 'rij 25')).toEqual([]);
    expect(rules(await axeFindings(p, 'rij 25, alles', false))).toEqual(['button-name']);
  });
});
