// End-to-end harness: the real server (`serve --demo`, as `npm start` runs it) on a fresh database,
// Debian's Chromium driven by Playwright, axe for accessibility. On PGlite, and on PostgreSQL when
// E2E_DATABASE_URL names a server. One server per test file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freshDatabaseUrl } from './db.ts';
import { copySeededDataDir } from './seed-cache.ts';
import { axeFindings } from './walk.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** False when Chromium or the built web app is missing (then the e2e files skip; in CI that is an error). */
export const haveBrowser = existsSync(chromiumPath) && existsSync('web/dist/index.html');
if (!haveBrowser && process.env.CI === 'true') throw new Error(`Chromium (${chromiumPath}) of web/dist ontbreekt: de e2e-test kan niet draaien`);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      })
      .on('error', reject);
  });

/** Debian's Chromium, headless, without the background work a test does not need. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface E2E {
  base: string;
  browser: Browser;
  newPage(): Promise<Page>;
  /** Logs in through the login page with the demo password shown there; ends on the Twente dashboard. */
  login(page: Page, username: string): Promise<void>;
  /** axe (WCAG 2.1 A/AA) finds no violations on the page as it is now (the first ten rows of each table body: `axeFindings`). */
  expectAccessible(page: Page, where: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `opts.warm`: the server computes the regions' first figures after it starts, as `npm start` does (src/warm.ts). Off
 * by default: a file that opens a few pages would otherwise pay for every region's figures on a shared machine; the
 * walk that records page timings (language.test.ts) turns it on.
 */
export async function startE2E(opts: { warm?: boolean } = {}): Promise<E2E> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rk-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    REGIEKAMER_DATA: dataDir,
    REGIEKAMER_INSECURE_COOKIES: '1',
    REGIEKAMER_WARM: opts.warm ? '1' : '0',
  };
  delete env.DATABASE_URL;
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = await freshDatabaseUrl(process.env.E2E_DATABASE_URL);
  else await copySeededDataDir(dataDir); // the demo seeded once per version of the code; the server adds its accounts
  const server: ChildProcess = spawn(process.execPath, ['bin/regiekamer.mjs', 'serve', '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout!.on('data', (b) => {
    log += b;
  });
  server.stderr!.on('data', (b) => {
    log += b;
  });
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server stopte (code ${server.exitCode}):\n${log}`);
    if (Date.now() > deadline) throw new Error(`server niet klaar binnen 240 s:\n${log}`);
    if (
      await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const browser = await launchBrowser();
  return {
    base,
    browser,
    async newPage() {
      const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1400, height: 1000 } });
      return context.newPage();
    },
    async login(page, username) {
      await page.goto(base);
      await page.waitForURL(/\/inloggen$/);
      const password = await page.getByTestId(`wachtwoord-${username}`).textContent();
      await page.getByLabel('Gebruikersnaam').fill(username);
      await page.getByLabel('Wachtwoord').fill(password!);
      await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
      await page.waitForURL(/\/twente\/monitoring/);
    },
    async expectAccessible(page, where) {
      expect(await axeFindings(page, where)).toEqual([]); // rows after a table's tenth left out: they repeat its markup
    },
    async stop() {
      await browser.close();
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
