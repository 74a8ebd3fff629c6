// Every CLI command that writes, while a server runs on the same embedded data directory (issue 14, point 1): it either
// goes through the server (`ijw import --server`, test/ijw/routes.test.ts) or refuses at once with a Dutch message that
// names the running server (its pid and command) and what to do instead, and nothing in the database changes. Before the
// data-directory lock, `ijw import` beside `serve` corrupted the database for good.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCK_FILE } from '../../src/db/lock.ts';

const base = mkdtempSync(path.join(tmpdir(), 'rk-lock-cli-'));
const dataDir = path.join(base, 'data');
const CLI = path.resolve('bin/regiekamer.mjs');
const env = {
  ...process.env,
  REGIEKAMER_DATA: dataDir,
  DATABASE_URL: '',
  REGIEKAMER_BSN_KEY: 'ab'.repeat(32),
  REGIEKAMER_DEMO: '',
  REGIEKAMER_PASSWORD: 'een-lang-wachtwoord-2026',
};
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 180_000 });
let server: ChildProcess;
let serverPid = 0;

beforeAll(async () => {
  expect(cli('migrate').status).toBe(0); // builds dist/ when needed, and an empty database
  expect(cli('backup', path.join(base, 'backup.tar.gz')).status).toBe(0); // for restore below
  server = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('draait op')) resolve();
    });
    server.stderr!.on('data', (d) => {
      out += d;
    });
    server.on('exit', (code) => reject(new Error(`serve stopte (${code}): ${out}`)));
  });
  serverPid = JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid;
}, 300_000);
afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(base, { recursive: true, force: true });
});

describe('schrijvende opdrachten naast een draaiende server', () => {
  it('elke opdracht die de database opent, weigert met de naam van de server en wat u kunt doen; er verandert niets', () => {
    const xml = path.join(base, 'bericht.xml');
    writeFileSync(xml, '<?xml version="1.0"?><Bericht/>');
    const csv = path.join(base, 'aanbieders.csv');
    writeFileSync(csv, 'naam;AGB-code\nJeugdhulp Test;12345678\n');
    const commands: string[][] = [
      ['migrate'],
      ['seed', '--region', 'twente'],
      ['user', 'add', '--username', 'nieuw', '--display-name', 'Nieuw', '--role', 'regio', '--region', 'twente'],
      ['ijw', 'import', xml],
      ['ijw', 'export', '--type', 'JW301', '--municipality', '0153', '--out', path.join(base, 'uit')],
      ['providers', 'import', csv, '--region', 'twente'],
      ['funding', 'statement', '--region', 'twente', '--provider', '12345678'],
      ['backup', path.join(base, 'nog-een-backup.tar.gz')],
      ['restore', path.join(base, 'backup.tar.gz'), '--force'],
    ];
    for (const args of commands) {
      const r = cli(...args);
      const label = `${args.join(' ')}: ${r.status} ${r.stdout} ${r.stderr}`;
      expect(r.status, label).not.toBe(0);
      expect(r.stderr, label).toContain(`in gebruik door proces ${serverPid}`);
      expect(r.stderr, label).toMatch(/serve/); // the holder's command: the running server
      expect(r.stderr, label).toMatch(/Stop dat proces eerst, of doe het werk via de draaiende server/);
    }
    // the server is still running and owns the lock
    expect(server.exitCode).toBeNull();
    expect(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(serverPid);
  }, 900_000);
});
