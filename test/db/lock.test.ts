// One process per embedded database (issue 14, critical): a second process on the same data directory used to corrupt
// it for good. Now the second one is refused with a Dutch message naming the holder; a lock left by a killed process is
// taken over; and the database survives a backup and restore.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb, migrate, backupDataDir, restoreDataDir, DataDirLockedError } from '../../src/db/index.ts';
import { LOCK_FILE } from '../../src/db/lock.ts';

const base = mkdtempSync(path.join(tmpdir(), 'rk-lock-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const CLI = path.resolve('bin/regiekamer.mjs');
// A new data directory runs PostgreSQL's initdb, about 5 s of CPU: made once, migrated, and copied per test
const TEMPLATE = path.join(base, 'template');
beforeAll(async () => {
  const db = await openDb({ dataDir: TEMPLATE });
  await migrate(db);
  await db.close();
}, 300_000);
const freshDir = (name: string) => {
  const dir = path.join(base, name);
  cpSync(TEMPLATE, dir, { recursive: true });
  return dir;
};
const cli = (dataDir: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, REGIEKAMER_DATA: dataDir, DATABASE_URL: '' }, timeout: 120_000 });

describe('één proces per ingebedde database', () => {
  it('een tweede proces op dezelfde map wordt geweigerd met wie hem heeft, en de database blijft heel', async () => {
    const dir = freshDir('a');
    const db = await openDb({ dataDir: dir });
    await migrate(db);
    await db.query(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('x', 'X', 'X')`);
    const second = cli(dir, 'migrate');
    expect(second.status).not.toBe(0);
    expect(second.stderr).toContain(`in gebruik door proces ${process.pid}`);
    expect(second.stderr).toMatch(/Stop dat proces eerst/);
    expect((await db.query(`SELECT id FROM region`)).map((r) => r.id)).toEqual(['x']);
    await db.close();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false); // closing frees it
    expect(cli(dir, 'migrate').status).toBe(0); // and the next process gets it
  });

  it('in hetzelfde proces ook: twee keer openen is een fout', async () => {
    const dir = freshDir('b');
    const db = await openDb({ dataDir: dir });
    await expect(openDb({ dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
    await db.close();
  });

  it('het slot van een proces dat met kill -9 stopte, wordt overgenomen', async () => {
    const dir = freshDir('c');
    // a process that takes the lock and is killed without a chance to clean up
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('${path.resolve('src/db/lock.ts').replace(/\\/g, '/')}').then((m) => { m.lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000); })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) =>
      child.stdout!.on('data', (d) => {
        if (String(d).includes('locked')) resolve();
      }),
    );
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(child.pid);
    await expect(openDb({ dataDir: dir })).rejects.toThrow(new RegExp(`in gebruik door proces ${child.pid}`));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(true); // left behind
    const db = await openDb({ dataDir: dir });
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await db.close();
  });

  it('een half geschreven slotbestand (crash tussen aanmaken en schrijven) geldt als verlaten', async () => {
    const dir = freshDir('d');
    const db0 = await openDb({ dataDir: dir });
    await db0.close();
    writeFileSync(path.join(dir, LOCK_FILE), '');
    const db = await openDb({ dataDir: dir });
    await db.close();
  });
});

describe('back-up en herstel', () => {
  it('backup schrijft de database weg, restore zet hem terug en bewaart de vorige', async () => {
    const dir = freshDir('e');
    const file = path.join(base, 'e.tar.gz');
    const db = await openDb({ dataDir: dir });
    await migrate(db);
    await db.query(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('twente', 'Twente', 'Twente')`);
    await expect(backupDataDir(dir, file)).rejects.toBeInstanceOf(DataDirLockedError); // not beside an open database
    await db.close();

    const r = await backupDataDir(dir, file);
    expect(r.bytes).toBeGreaterThan(100_000);
    expect(r.migrations).toBeGreaterThan(5);

    const after = await openDb({ dataDir: dir }); // a change after the backup
    await after.query(`DELETE FROM region`);
    await after.close();

    await expect(restoreDataDir(dir, file)).rejects.toThrow(/--force/); // no silent overwrite
    const restored = await restoreDataDir(dir, file, { force: true });
    expect(restored.migrations).toBe(r.migrations);
    expect(restored.previous && existsSync(restored.previous)).toBeTruthy();
    const back = await openDb({ dataDir: dir });
    expect((await back.query(`SELECT id FROM region`)).map((x) => x.id)).toEqual(['twente']);
    await back.close();
    const old = await openDb({ dataDir: restored.previous! }); // the replaced database is still whole
    expect(await old.query(`SELECT id FROM region`)).toEqual([]);
    await old.close();
  });

  it('een onleesbaar bestand verandert niets', async () => {
    const dir = freshDir('f');
    const db = await openDb({ dataDir: dir });
    await migrate(db);
    await db.query(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('x', 'X', 'X')`);
    await db.close();
    const junk = path.join(base, 'junk.tar.gz');
    writeFileSync(junk, 'dit is geen back-up');
    await expect(restoreDataDir(dir, junk, { force: true })).rejects.toThrow(/geen leesbare back-up|geen Regiekamer-database/);
    const same = await openDb({ dataDir: dir });
    expect((await same.query(`SELECT id FROM region`)).map((x) => x.id)).toEqual(['x']);
    await same.close();
    expect(readdirSync(base).filter((n) => n.startsWith('f.'))).toEqual([]); // no staging left behind
  });

  it('via de opdrachtregel: npx regiekamer backup en restore', () => {
    const dir = path.join(base, 'a'); // the database of the first test
    const file = path.join(base, 'cli.tar.gz');
    const b = cli(dir, 'backup', file);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/Back-up geschreven/);
    const target = path.join(base, 'g');
    const r = cli(target, 'restore', file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Hersteld in/);
  });
});
