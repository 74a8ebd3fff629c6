// Seed once, copy per test file (issue 13: a suite that runs in minutes). Generating a demo region takes tens of
// seconds and about ten files need one; each now gets a copy of a database seeded once per version of the code:
// on PGlite a dump of the data directory loaded into a new in-memory database, on PostgreSQL `CREATE DATABASE …
// TEMPLATE`. The cache key is a hash of everything under src/ (code, migrations, data), so a change to the demo or
// the schema seeds anew; the cache lives in .tmp/ (PGlite) or as rk_tpl_* databases (server) and can be deleted.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDb, migrate, type Db } from '../../src/db/index.ts';
import { loadDemo } from '../../src/app.ts';
import { bsnKeys } from '../../src/core/bsn.ts';
import { setClock } from '../../src/core/dates.ts';
import { historyEnd } from '../../src/demo/index.ts';
import { dropOnClose, freshDatabaseUrl } from './db.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = path.join(ROOT, '.tmp', 'seed-cache');

let hash: string | null = null;
/** A hash of every file under src/: what the seeded data was made by (on a fixed day, SEED_TODAY). */
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
    if (regions.length) await loadDemo(db, bsnKeys(bsnKey), undefined, regions);
  } finally {
    restore();
  }
}

/** A migrated database with these demo regions loaded (with `bsnKey`), fresh for the caller: a copy of a cached seed. */
/**
 * The seeded database of these regions, a copy per caller: in memory by default; with `opts.dataDir` (PGlite only) in that
 * directory on disk, as `regiekamer serve` keeps it (the caller removes it after closing). PGlite's in-memory file system
 * copies a whole file each time it grows by an eighth, which on a large table is a stop of 100 ms and more that a
 * server on disk does not have (test/http/upload-health.test.ts).
 */
export async function seededDb(regions: string[], bsnKey: string, opts: { dataDir?: string } = {}): Promise<Db> {
  const key = keyOf(regions, bsnKey);
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) return seededOnServer(serverUrl, key, regions, bsnKey);
  const file = path.join(CACHE, `${key}.tar`);
  if (!existsSync(file)) {
    await onceAcrossWorkers(
      `${file}.lock`,
      () => existsSync(file),
      async () => {
        // seeded in a directory on disk, not in memory: PGlite's in-memory file system makes every bulk COPY into a
        // table slower the larger the table already is (50,000 lines into declaration_line: 0.4 s at first, 5.6 s at
        // 550,000 lines; on disk 0.3 s throughout; issue 18, BENCHMARKS.md)
        const dir = mkdtempSync(path.join(os.tmpdir(), 'rk-seed-'));
        let dump: Buffer;
        try {
          const db = await openDb({ dataDir: dir });
          try {
            await seed(db, regions, bsnKey);
            dump = Buffer.from(await (await db.dumpDataDir!('none')).arrayBuffer());
          } finally {
            await db.close();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        const tmp = `${file}.${process.pid}`;
        writeFileSync(tmp, dump);
        renameSync(tmp, file); // complete or absent
        pruneOtherVersions();
      },
    );
  }
  return openDb({ dataDir: opts.dataDir ?? 'memory://', loadDataDir: new Blob([readFileSync(file)]) });
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
 * A data directory with the three demo regions as `serve --demo` loads them (with its demo BSN key), seeded once by
 * `regiekamer seed` and copied into `target` for each browser test's server, which then only adds the demo accounts.
 */
export async function copySeededDataDir(target: string): Promise<void> {
  // seeded by a separate process on today's clock: its history runs to the month before today, hence the month in the name
  const dir = path.join(CACHE, `${sourceHash()}-${historyEnd()}-datadir-alle-regios`);
  // browser files run two at a time (scripts/test.mjs): one seeds while the other waits for it
  await onceAcrossWorkers(
    `${dir}.lock`,
    () => existsSync(dir),
    async () => {
      const building = `${dir}.${process.pid}`;
      rmSync(building, { recursive: true, force: true });
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/regiekamer.mjs'), 'seed', '--region', 'all'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, REGIEKAMER_DATA: building, REGIEKAMER_DEMO: '1', DATABASE_URL: '' },
      });
      if (r.status !== 0) throw new Error(`regiekamer seed mislukte:\n${r.stdout}\n${r.stderr}`);
      renameSync(building, dir); // complete or absent
      pruneOtherVersions();
    },
  );
  cpSync(dir, target, { recursive: true });
}
