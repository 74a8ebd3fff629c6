// A fresh, migrated database for one test file: a new database on TEST_DATABASE_URL's server when set,
// else an in-memory PGlite. Real PostgreSQL either way; no mocks.
import { openDb, migrate, type Db } from '../../src/db/index.ts';
import { wireCapabilities } from '../../src/wiring.ts';
import pg from 'pg';

/** Creates an empty database on the server of `serverUrl` and returns its URL. */
export async function freshDatabaseUrl(serverUrl: string): Promise<string> {
  const name = `rk_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops the test database of `url` (on its server) when `db` is closed: a suite run leaves no databases behind. */
export function dropOnClose(db: Db, url: string): Db {
  const close = db.close.bind(db);
  db.close = async () => {
    await close();
    const name = new URL(url).pathname.slice(1);
    const server = new URL(url);
    server.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
  return db;
}

export async function testDb(): Promise<Db> {
  wireCapabilities(); // an import's booked lines reach monitoring's facts, as in the application
  const url = process.env.TEST_DATABASE_URL;
  let db: Db;
  if (url) {
    const fresh = await freshDatabaseUrl(url);
    db = dropOnClose(await openDb({ databaseUrl: fresh }), fresh);
  } else {
    // a copy of an empty database migrated once per version of the code: a new PGlite database runs initdb first,
    // about 5 s of CPU per test file (issue 13 §5)
    const { migratedEmptyDir } = await import('./seed-cache.ts');
    db = await openDb({ dataDir: 'memory://', copyOf: await migratedEmptyDir() });
  }
  await migrate(db);
  return db;
}

/** A materialized view's rows and the rows its own definition gives now, both in `order`: equal when it is up to date. */
export async function viewAndDefinition(db: Db, view: string, order: string): Promise<{ stored: unknown[]; fresh: unknown[] }> {
  const [{ definition }] = await db.query<{ definition: string }>(`SELECT definition FROM pg_matviews WHERE matviewname = $1`, [view]);
  return {
    stored: await db.query(`SELECT * FROM ${view} ORDER BY ${order}`),
    fresh: await db.query(`SELECT * FROM (${definition.replace(/;\s*$/, '')}) t ORDER BY ${order}`),
  };
}
