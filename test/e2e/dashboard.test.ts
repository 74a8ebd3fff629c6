// End to end, as a user: the real server (`serve --demo`, as `npm start` runs it) on a fresh database,
// Debian's Chromium driven by Playwright, axe for accessibility. On PGlite, and on PostgreSQL when
// E2E_DATABASE_URL names a server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import figures from '../../src/demo/figures.json' with { type: 'json' };
import { freshDatabaseUrl } from '../helpers/db.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(chromiumPath) && existsSync('web/dist/index.html');
if (!haveBrowser && process.env.CI === 'true') throw new Error(`Chromium (${chromiumPath}) of web/dist ontbreekt: de e2e-test kan niet draaien`);

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); }).on('error', reject);
});

/** '€ 29.812.345' → 2981234500 cents */
const euroCents = (text: string) => Math.round(Number(text.replace(/[^\d,-]/g, '').replace(',', '.')) * 100);
const within = (actual: number, expected: number, pct = 0.02) => expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(pct);

describe.skipIf(!haveBrowser)('web app in Chromium', () => {
  let server: ChildProcess;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  let log = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rk-e2e-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', REGIEKAMER_DATA: dataDir, REGIEKAMER_INSECURE_COOKIES: '1' };
    delete env.DATABASE_URL;
    if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = await freshDatabaseUrl(process.env.E2E_DATABASE_URL);
    server = spawn(process.execPath, ['bin/regiekamer.mjs', 'serve', '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (b) => { log += b; });
    server.stderr!.on('data', (b) => { log += b; });
    const deadline = Date.now() + 240_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server stopte (code ${server.exitCode}):\n${log}`);
      if (Date.now() > deadline) throw new Error(`server niet klaar binnen 240 s:\n${log}`);
      const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function newPage() {
    const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1400, height: 1000 } });
    return context.newPage();
  }

  async function login(page: Page, username: string) {
    await page.goto(base);
    await page.waitForURL(/\/inloggen$/);
    const password = await page.getByTestId(`wachtwoord-${username}`).textContent();
    await page.getByLabel('Gebruikersnaam').fill(username);
    await page.getByLabel('Wachtwoord').fill(password!);
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await page.waitForURL(/\/twente\/monitoring/);
  }

  async function expectAccessible(page: Page, where: string) {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const found = result.violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    expect(found).toEqual([]);
  }

  /** The cells of the table row whose first cell is `name`. */
  async function row(page: Page, table: string, name: string) {
    const r = page.getByTestId(table).locator('tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) });
    expect(await r.count()).toBe(1);
    return r.locator('th, td').allTextContents();
  }

  it('the regio logs in and sees the calibrated Twente 2021 dashboard, accessible, with a CSV of the same figures', async () => {
    const page = await newPage();
    await page.goto(base);
    await page.waitForURL(/\/inloggen$/);
    await expectAccessible(page, 'inloggen');

    // A wrong password is refused with a Dutch message.
    await page.getByLabel('Gebruikersnaam').fill('regio');
    await page.getByLabel('Wachtwoord').fill('fout-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('klopt niet');

    await login(page, 'regio');
    await page.getByTestId('tabel-segmenten').waitFor();
    const t = figures.twente;
    expect(await page.getByRole('combobox', { name: 'Jaar' }).inputValue()).toBe('2021');
    const kpi = (await page.getByTestId('kpi-kosten').textContent())!; // '€ 198,1 mln'
    expect(kpi).toMatch(/^€\s[\d.]+,\d mln$/);
    within(Number(kpi.replace(/[^\d,]/g, '').replace(',', '.')) * 1e8, t.costs_by_segment_million_eur.total * 1e8);
    expect(await page.getByTestId('kpi-personen').textContent()).toBe(t.persons_with_youth_care.toLocaleString('nl-NL'));
    expect(await page.getByTestId('kpi-gemeenten').textContent()).toBe('14');
    for (const [segment, million] of Object.entries({ Wonen: t.costs_by_segment_million_eur.Wonen, Verblijf: t.costs_by_segment_million_eur.Verblijf, Crisis: t.costs_by_segment_million_eur.Crisis, Ambulant: t.costs_by_segment_million_eur.Ambulant })) {
      const cells = await row(page, 'tabel-segmenten', segment);
      within(euroCents(cells[1]), million * 1e8);
    }
    // Per municipality, Wonen: Enschede as published.
    const wonen = t.per_municipality.Wonen.rows.find((r) => r[0] === 'Enschede')!;
    const header = await page.getByTestId('tabel-gemeenten').locator('thead th').allTextContents();
    const enschede = await row(page, 'tabel-gemeenten', 'Enschede');
    within(euroCents(enschede[header.findIndex((h) => h.startsWith('Wonen'))]), Number(wonen[2]) * 100);
    expect(await page.getByTestId('grafiek-segmenten').locator('canvas').count()).toBe(1);
    await expectAccessible(page, 'monitoring');

    // The CSV link exports the same figures.
    const href = await page.getByRole('link', { name: /Download CSV.*segment/ }).getAttribute('href');
    const csv = await page.request.get(base + href!);
    expect(csv.status()).toBe(200);
    const text = (await csv.text()).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toBe('Segment;Jaar;Bedrag (EUR);Personen;Aanbieders');
    const wonenLine = text.split('\r\n').find((l) => l.startsWith('Wonen;'))!;
    within(Math.round(Number(wonenLine.split(';')[2].replace(',', '.')) * 100), t.costs_by_segment_million_eur.Wonen * 1e8);

    // The year switch re-queries; another region through the switcher.
    await page.getByRole('combobox', { name: 'Regio' }).selectOption('midden-ijssel-oost-veluwe');
    await page.waitForURL(/\/midden-ijssel-oost-veluwe\/monitoring/);
    await page.getByTestId('tabel-segmenten').waitFor();
    expect(await page.getByRole('combobox', { name: 'Jaar' }).inputValue()).toBe('2023');
    expect(await page.getByTestId('kpi-gemeenten').textContent()).toBe('8');
    await page.close();
  });

  it('every section is reachable from the navigation; the product book and providers are tables; the rest says "nog niet beschikbaar"', async () => {
    const page = await newPage();
    await login(page, 'regio');
    const nav = page.getByRole('navigation', { name: 'Onderdelen' });
    expect(await nav.getByRole('link').count()).toBe(7);

    await nav.getByRole('link', { name: 'Productenboek' }).click();
    await page.getByTestId('tabel-producten').waitFor();
    const book = await (await page.request.get(`${base}/api/regions/twente/products`)).json();
    expect(book.length).toBeGreaterThan(10);
    expect(await page.getByTestId('tabel-producten').locator('tbody tr').count()).toBe(book.length);
    await expectAccessible(page, 'productenboek');

    await nav.getByRole('link', { name: 'Aanbieders en contracten' }).click();
    await page.getByTestId('tabel-aanbieders').waitFor();
    expect(await page.getByTestId('tabel-aanbieders').locator('tbody tr').count()).toBe(figures.twente.active_providers);
    await page.getByLabel(/Zoeken/).fill('zzz-bestaat-niet');
    expect(await page.getByTestId('tabel-aanbieders').locator('tbody tr').count()).toBe(0);
    await expectAccessible(page, 'aanbieders');

    await nav.getByRole('link', { name: /Coördinatiepunt/ }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Nog niet beschikbaar');
    await expectAccessible(page, 'coördinatiepunt');
    await page.close();
  });

  it('a municipality sees only its own residents\' figures', async () => {
    const page = await newPage();
    await login(page, 'gemeente');
    await page.getByTestId('tabel-gemeenten').waitFor();
    expect(await page.getByTestId('scope').textContent()).toContain('Enschede');
    const names = await page.getByTestId('tabel-gemeenten').locator('tbody th').allTextContents();
    expect(names).toEqual(['Enschede']);
    expect(await page.getByTestId('kpi-gemeenten').textContent()).toBe('1');
    await expectAccessible(page, 'monitoring gemeente');
    await page.close();
  });
});
