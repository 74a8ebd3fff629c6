// Backup and restore of the embedded database (issue 14): an embedded database is only as safe as its last copy.
// A backup is PGlite's own dump of the data directory (a gzipped tar); restore loads it into a new directory beside
// the old one, checks that it opens and holds our schema, and only then swaps the two (the old one is kept as
// `<dir>.voor-herstel-<time>`). Both take the data directory's lock, so neither runs beside a server on it.
// A PostgreSQL server (DATABASE_URL) is backed up with its own tools: pg_dump / pg_restore.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { openDb } from './db.ts';
import { lockDataDir, LOCK_FILE } from './lock.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  migrations: number;
}

const KEY_FILE = 'demo-bsn.key'; // demo mode keeps its BSN key in the data directory (config.ts)

async function schemaVersion(dataDir: string): Promise<number> {
  const db = await openDb({ dataDir });
  try {
    return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migration`))[0].n;
  } finally {
    await db.close();
  }
}

/** Writes the whole embedded database of `dataDir` to `file` (gzipped tar). */
export async function backupDataDir(dataDir: string, file: string): Promise<BackupResult> {
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) throw new Error(`In ${dataDir} staat geen database om te bewaren`);
  const db = await openDb({ dataDir });
  try {
    const migrations = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migration`))[0].n;
    const blob = await db.dumpDataDir!();
    const bytes = Buffer.from(await blob.arrayBuffer());
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file); // a backup file is complete or absent, never half written
    const key = path.join(dataDir, KEY_FILE);
    if (existsSync(key)) copyFileSync(key, `${file}.key`);
    return { file, bytes: bytes.length, migrations };
  } finally {
    await db.close();
  }
}

export interface RestoreResult {
  dataDir: string;
  previous: string | null;
  migrations: number;
}

/** Restores `file` into `dataDir`. An existing database there is only replaced with `force` (and then kept aside). */
export async function restoreDataDir(dataDir: string, file: string, opts: { force?: boolean; now?: () => Date } = {}): Promise<RestoreResult> {
  if (!existsSync(file)) throw new Error(`Back-upbestand ${file} bestaat niet`);
  const dir = path.resolve(dataDir);
  const release = lockDataDir(dir); // nobody may have the database open while it is replaced
  const staging = `${dir}.herstel-${process.pid}`;
  try {
    const exists = existsSync(path.join(dir, 'PG_VERSION'));
    if (exists && !opts.force) throw new Error(`In ${dir} staat al een database; 'restore --force' vervangt hem (de huidige blijft bewaard naast de nieuwe)`);
    rmSync(staging, { recursive: true, force: true });
    const { PGlite } = await import('@electric-sql/pglite');
    let pg;
    try {
      pg = await PGlite.create(staging, { loadDataDir: new Blob([readFileSync(file)]) });
    } catch (e) {
      throw new Error(`${file} is geen leesbare back-up van Regiekamer: ${(e as Error).message}`);
    }
    let migrations: number;
    try {
      migrations = (await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migration`)).rows[0].n;
    } catch {
      throw new Error(`${file} bevat geen Regiekamer-database (geen schema_migration)`);
    } finally {
      await pg.close();
    }
    rmSync(path.join(staging, LOCK_FILE), { force: true }); // the backup's own lock came along in the dump
    if (existsSync(`${file}.key`)) copyFileSync(`${file}.key`, path.join(staging, KEY_FILE));
    let previous: string | null = null;
    if (existsSync(dir)) {
      previous = `${dir}.voor-herstel-${(opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
      renameSync(dir, previous);
      rmSync(path.join(previous, LOCK_FILE), { force: true });
    }
    renameSync(staging, dir);
    release();
    const reopened = await schemaVersion(dir); // the restored directory opens in its place
    if (reopened !== migrations) throw new Error(`Hersteld, maar de database in ${dir} geeft ${reopened} migraties in plaats van ${migrations}`);
    return { dataDir: dir, previous, migrations };
  } finally {
    release();
    rmSync(staging, { recursive: true, force: true });
  }
}
