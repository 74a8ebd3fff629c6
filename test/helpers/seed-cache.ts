// Seed once, copy per test file (issue 13: a suite that runs in minutes). Generating a demo region takes tens of
// seconds and about ten files need one; each now gets a copy of a database seeded once per version of the code:
// on PGlite a copy of a seeded data directory on disk, on PostgreSQL `CREATE DATABASE … TEMPLATE`. One seed (the
// three regions) serves every file and the browser tests' servers. The cache key is a hash of everything under src/ (code, migrations, data), so a change to the demo or
// the schema seeds anew; the cache lives in .tmp/ (PGlite) or as rk_tpl_* databases (server) and can be deleted.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDb, migrate, type Db } from '../../src/db/index.ts';
import { loadDemo } from '../../src/app.ts';
import { ensureDemoAccounts } from '../../src/access/demo.ts';
import { bsnKeys } from '../../src/core/bsn.ts';
import { setClock } from '../../src/core/dates.ts';
import { REGION_IDS } from '../../src/catalog/index.ts';
import { dropOnClose, freshDatabaseUrl } from './db.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = path.join(ROOT, '.tmp', 'seed-cache');

let hash: string | null = null;
/** A hash of every file under src/ and of this file: what the seeded data was made by (on a fixed day, SEED_TODAY). */
export function sourceHash(): string {
  if (hash) return hash;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(path.relative(ROOT, p)).update(readFileSync(p));
    }
  };
  walk(path.join(ROOT, 'src'));
  h.update(readFileSync(fileURLToPath(import.meta.url))); // how this file seeds (the demo accounts, the WAL left out)
  hash = h.digest('hex').slice(0, 16);
  return hash;
}

const keyOf = (regions: string[], bsnKey: string) =>
  `${sourceHash()}-${createHash('sha256').update(bsnKey).digest('hex').slice(0, 6)}-${regions.length ? [...regions].sort().join('+') : 'leeg'}`;

/**
 * The day the cached seeds are made on: the demo history runs up to the month before "today" (issue 18), so the
 * tests' data (and the years they name) do not move with the calendar: history up to 30 November 2026.
 */
export const SEED_TODAY = '2026-12-05';

async function seed(db: Db, regions: string[], bsnKey: string) {
  await migrate(db);
  const restore = setClock(() => new Date(`${SEED_TODAY}T12:00:00Z`));
  try {
    if (regions.length) {
      await loadDemo(db, bsnKeys(bsnKey), undefined, regions);
      // made once here, as `serve --demo` does at its first start, instead of in every file's server: the aanbieder
      // account's query over all Twente's lines and four argon2 hashes took 3 s of each seeded file
      await ensureDemoAccounts(db);
    }
  } finally {
    restore();
  }
}

/** The BSN key of the shared seed (and of `seededServer`'s server). */
export const TEST_KEY = 'ab'.repeat(32);

/**
 * A migrated database with the demo regions loaded, fresh for the caller: a copy of a seed made once per version of the
 * code. One seed serves every file (issue 13 §5): a caller that asks for any region gets all three, seeded with
 * `TEST_KEY`, so the suite seeds once instead of once per combination of regions. `opts.only` seeds exactly the regions
 * asked (with `bsnKey`), for a test about a region on its own (demo.test.ts).
 *
 * On PGlite the copy is an in-memory database filled from the seed's data directory (`openDb({ copyOf })`): about a
 * third of the CPU time of loading a tarball (`loadDataDir`) and half its memory. With `opts.dataDir` the copy is that
 * directory on disk instead, as `regiekamer serve` keeps it (the caller removes it): PGlite's in-memory file system
 * copies a whole file each time it grows by an eighth, a stop a server on disk does not have
 * (test/http/upload-health.test.ts). Heavy queries ran several times slower on disk in a trial, so the default stays in memory.
 */
export async function seededDb(regions: string[], bsnKey: string, opts: { dataDir?: string; only?: boolean } = {}): Promise<Db> {
  const seedRegions = opts.only || !regions.length ? [...regions] : [...REGION_IDS];
  const key = keyOf(seedRegions, bsnKey);
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) return seededOnServer(serverUrl, key, seedRegions, bsnKey);
  const seeded = await seedDir(key, seedRegions, bsnKey);
  if (!opts.dataDir) return openDb({ dataDir: 'memory://', copyOf: seeded });
  cpSync(seeded, opts.dataDir, { recursive: true });
  return openDb({ dataDir: opts.dataDir });
}

/** The data directory of an empty, migrated database (no regions), made once per version of the code. */
export async function migratedEmptyDir(): Promise<string> {
  return seedDir(keyOf([], TEST_KEY), [], TEST_KEY);
}

/**
 * The seed's data directory in the cache, made when missing: seeded on disk (PGlite's in-memory file system makes every
 * bulk COPY slower the larger its table already is), checkpointed, with the demo BSN key beside it as `serve --demo`
 * keeps it, and renamed into place complete, so a killed run leaves none half made.
 */
async function seedDir(key: string, regions: string[], bsnKey: string): Promise<string> {
  const dir = path.join(CACHE, key);
  await onceAcrossWorkers(
    `${dir}.lock`,
    () => existsSync(dir),
    async () => {
      const building = `${dir}.${process.pid}`;
      rmSync(building, { recursive: true, force: true });
      const db = await openDb({ dataDir: building });
      try {
        await seed(db, regions, bsnKey);
        await db.query('CHECKPOINT');
      } finally {
        await db.close();
      }
      pruneWal(building);
      writeFileSync(path.join(building, 'demo-bsn.key'), `${bsnKey}\n`, { mode: 0o600 });
      renameSync(building, dir); // complete or absent
      pruneOtherVersions();
    },
  );
  return dir;
}

/**
 * After a clean shutdown PostgreSQL needs one WAL segment, the one holding its last checkpoint; the others in pg_wal are
 * segments it made ready for WAL still to come (after the seed's bulk load: 24 of 25, 384 MB of a 782 MB seed). Every
 * test file copies the seed (into memory, or to disk for a browser test's server), so those are removed here; the
 * database makes new ones when it needs them. The checkpoint's place is read from global/pg_control
 * (ControlFileData: state at byte 16, checkPoint at byte 32, its timeline at byte 48); a directory that was not shut
 * down cleanly is left as it is.
 */
export function pruneWal(dataDir: string): number {
  const control = readFileSync(path.join(dataDir, 'global', 'pg_control'));
  const DB_SHUTDOWNED = 1;
  if (control.readInt32LE(16) !== DB_SHUTDOWNED) return 0;
  const checkpoint = control.readBigUInt64LE(32);
  const timeline = control.readUInt32LE(48);
  const walDir = path.join(dataDir, 'pg_wal');
  const segments = readdirSync(walDir).filter((n) => /^[0-9A-F]{24}$/.test(n));
  if (!segments.length) return 0;
  const segmentSize = BigInt(statSync(path.join(walDir, segments[0])).size);
  const perId = 0x1_0000_0000n / segmentSize;
  const segno = checkpoint / segmentSize;
  const hex = (n: bigint | number) => n.toString(16).toUpperCase().padStart(8, '0');
  const keep = `${hex(timeline)}${hex(segno / perId)}${hex(segno % perId)}`;
  if (!segments.includes(keep)) throw new Error(`pruneWal: ${keep} (checkpoint ${checkpoint.toString(16)}) staat niet in ${walDir}`);
  let removed = 0;
  for (const n of segments) {
    if (n === keep) continue;
    rmSync(path.join(walDir, n));
    removed++;
  }
  return removed;
}

/** Seeds made by an earlier version of the code are never used again: removed when a new one is made (GBs otherwise). */
function pruneOtherVersions(): void {
  for (const name of readdirSync(CACHE)) {
    if (name.startsWith(`${sourceHash()}-`) || name.endsWith('.lock')) continue;
    rmSync(path.join(CACHE, name), { recursive: true, force: true });
  }
}

/**
 * Test files run in parallel workers (scripts/test.mjs): the first to need a seed makes it while the others wait for
 * it, instead of each seeding the same region at once. A lock directory; one left by a killed run is taken over
 * after 15 minutes.
 */
async function onceAcrossWorkers(lock: string, done: () => boolean, make: () => Promise<void>): Promise<void> {
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    if (done()) return;
    try {
      mkdirSync(lock);
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (!done()) await make();
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

async function seededOnServer(serverUrl: string, key: string, regions: string[], bsnKey: string): Promise<Db> {
  const template = `rk_tpl_${key.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`.slice(0, 63);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // one worker seeds a template while the others wait (a session lock, released with the connection)
    await admin.query(`SELECT pg_advisory_lock(hashtext($1))`, [template]);
    const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [template])).rowCount;
    if (!exists) {
      const url = await freshDatabaseUrl(serverUrl);
      const db = await openDb({ databaseUrl: url });
      await seed(db, regions, bsnKey);
      await db.close();
      await admin.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} RENAME TO ${template}`);
    }
    const name = `rk_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    return dropOnClose(await openDb({ databaseUrl: u.toString() }), u.toString());
  } finally {
    await admin.end();
  }
}

/**
 * A data directory with the three demo regions for a browser test's server (`serve --demo`, which then only adds the
 * demo accounts): a copy of the same seed the other files use, with its BSN key in the directory as demo mode keeps it.
 */
export async function copySeededDataDir(target: string): Promise<void> {
  const regions = [...REGION_IDS];
  cpSync(await seedDir(keyOf(regions, TEST_KEY), regions, TEST_KEY), target, { recursive: true });
}
