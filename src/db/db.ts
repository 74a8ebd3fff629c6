// One interface over both PostgreSQL drivers: PGlite (embedded, WASM) and a server through `pg`.
// Everything above this file writes plain SQL with $1-style parameters; both drivers see the same SQL.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { lockDataDir } from './lock.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROWS_PER_STATEMENT, yieldToEventLoop } from '../core/work.ts';

// A transaction's callback gets its own `tx`; using the outer `db` inside it is a mistake that used to hang forever
// on PGlite (the query waits for the transaction that waits for it) and to run silently outside the transaction on a
// server. Now it throws, on both engines: the running transaction is known per async context.
const running = new AsyncLocalStorage<{ db: object; active: boolean }>();
function refuseInsideTransaction(db: object) {
  const t = running.getStore();
  if (t?.active && t.db === db) {
    throw new Error(
      'db wordt gebruikt binnen db.transaction(): gebruik de tx die de transactie meegeeft (op PGlite wacht dit anders eeuwig, op een server loopt het buiten de transactie)',
    );
  }
}
async function inTransaction<T>(db: object, fn: () => Promise<T>): Promise<T> {
  const marker = { db, active: true };
  try {
    return await running.run(marker, fn);
  } finally {
    marker.active = false; // work the callback left running may use db again once the transaction is over
  }
}

export type Row = Record<string, any>;

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements separated by semicolons, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** All or nothing: `fn` runs in one transaction on one connection. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Bulk load rows as PostgreSQL text-format COPY lines (tab-separated, \N for NULL). PGlite: one COPY statement
   *  per `rowsPerStatement` lines (default ROWS_PER_STATEMENT, the event loop free between them); a bulk seed passes
   *  more: each statement in a long transaction costs more than the one before, so 500-line statements made a
   *  600,000-line load quadratic (issue 18). */
  copyRows(table: string, columns: string[], lines: Iterable<string>, rowsPerStatement?: number): Promise<number>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tar, gzipped by default (backup). */
  dumpDataDir?(compression?: 'gzip' | 'none'): Promise<Blob>;
}

// Type parsing is the same on both drivers: int8 and numeric as JS numbers/strings we control,
// dates as 'YYYY-MM-DD' calendar strings (never a Date at midnight in some time zone).
const INT8 = 20,
  NUMERIC = 1700,
  DATE = 1082,
  TIMESTAMPTZ = 1184,
  TIMESTAMP = 1114;
const parseInt8 = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 ${v} exceeds the safe integer range`);
  return n;
};
const identity = (v: string) => v;
const parseTimestamp = (v: string) => new Date(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();

export interface DbConfig {
  databaseUrl?: string;
  dataDir?: string; // PGlite directory; 'memory://' for an in-memory database
  /** PGlite only, with 'memory://': start as a copy of this data directory, which is never written (tests seed once and copy) */
  copyOf?: string;
}

export async function openDb(config: DbConfig): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openPglite(config.dataDir ?? './data', config.copyOf);
}

/** On PGlite, the longest the event loop waits for its turn while statements follow each other (plus one statement). */
export const TURN_MS = 10;

async function openPglite(dataDir: string, copyOf?: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  let dir: string | undefined = dataDir;
  let release = () => {};
  if (dataDir === 'memory://') dir = undefined;
  else {
    mkdirSync(path.resolve(dataDir), { recursive: true });
    release = lockDataDir(dataDir); // one process per data directory (lock.ts); throws DataDirLockedError
  }
  const parsers = { [INT8]: parseInt8, [NUMERIC]: identity, [DATE]: identity, [TIMESTAMPTZ]: parseTimestamp, [TIMESTAMP]: parseTimestamp };
  let pg: import('@electric-sql/pglite').PGlite;
  try {
    if (copyOf && dir) throw new Error('copyOf opens an in-memory copy: use it with memory://');
    pg = copyOf
      ? await PGlite.create({ parsers, fs: new (await import('./memory-copy.ts')).MemoryCopyFS(copyOf) })
      : await PGlite.create(dir ? path.resolve(dir) : undefined, { parsers });
  } catch (e) {
    release();
    throw e;
  }
  // PGlite is one connection: transactions are serialised through this queue so that
  // a query from another request never lands inside somebody else's transaction.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  // PGlite runs each statement on this thread, and a statement's promise resolves as a microtask: a chain of awaited
  // statements (a warm-up, a page's figures, a transaction of many steps) never gave a timer or an incoming request a
  // turn, so the server answered nothing until the chain ended (issue 14 §2: 59.5 s after a large import). Before a
  // statement, once TURN_MS has passed since the last turn, the event loop gets one; a chain of short statements pays
  // nothing, and no stop is longer than TURN_MS plus one statement.
  let lastTurn = performance.now();
  const turn = async () => {
    if (performance.now() - lastTurn < TURN_MS) return;
    await yieldToEventLoop();
    lastTurn = performance.now();
  };
  let outer: Db;
  const guard = (inTx: boolean) => {
    if (!inTx) refuseInsideTransaction(outer);
  };
  const wrap = (q: { query: (s: string, p?: unknown[], o?: any) => Promise<{ rows: any[] }>; exec: (s: string) => Promise<unknown> }, inTx: boolean): Db => ({
    kind: 'pglite',
    query: async (sql, params) => {
      guard(inTx);
      const run = async () => {
        await turn();
        return (await q.query(sql, params as any[])).rows;
      };
      return inTx ? run() : serial(run);
    },
    exec: async (sql) => {
      guard(inTx);
      const run = async () => {
        await turn();
        await q.exec(sql);
      };
      return inTx ? run() : serial(run);
    },
    transaction: (fn) => {
      guard(inTx);
      return inTx ? fn(wrap(q, true)) : serial(() => pg.transaction((tx) => inTransaction(outer, () => fn(wrap(tx as any, true)))));
    },
    copyRows: async (table, columns, lines, rowsPerStatement = ROWS_PER_STATEMENT) => {
      guard(inTx);
      const run = async () => {
        let n = 0;
        let chunk: string[] = [];
        const flush = async () => {
          if (!chunk.length) return;
          const blob = new Blob([chunk.join('\n') + '\n']);
          await q.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob });
          chunk = [];
        };
        // one COPY statement per ROWS_PER_STATEMENT lines, the event loop free between them (PGlite runs on this
        // thread: a 50,000-line COPY held it for a second and more)
        for (const line of lines) {
          chunk.push(line);
          n++;
          if (chunk.length >= rowsPerStatement) {
            await flush();
            await yieldToEventLoop();
          }
        }
        await flush();
        return n;
      };
      return inTx ? run() : serial(run);
    },
    close: async () => {
      await serial(() => pg.close());
      release();
    },
    dumpDataDir: (compression: 'gzip' | 'none' = 'gzip') => serial(async () => pg.dumpDataDir(compression)),
  });
  outer = wrap(pg as any, false);
  return outer;
}

async function openPostgres(url: string): Promise<Db> {
  const pgmod = await import('pg');
  const pg = (pgmod as any).default ?? pgmod;
  const { from: copyFrom } = await import('pg-copy-streams');
  const types = {
    getTypeParser: (oid: number, format?: string) => {
      if (oid === INT8) return parseInt8;
      if (oid === NUMERIC || oid === DATE) return identity;
      if (oid === TIMESTAMPTZ || oid === TIMESTAMP) return parseTimestamp;
      return pg.types.getTypeParser(oid, format);
    },
  };
  // random_page_cost 1.1: the working set lives in memory or on SSD, so an index walk over a region's municipalities
  // beats a scan of the whole national fact table (the default 4 assumes spinning disks; measured in BENCHMARKS.md).
  // jit off: our queries run for tens of milliseconds, and compiling them took 60-70 ms of that (EXPLAIN ANALYZE).
  // work_mem 32MB: a region's year of monthly facts (~50k wide rows) is grouped in memory instead of spilling to disk.
  const pool = new pg.Pool({ connectionString: url, max: 10, types, options: '-c random_page_cost=1.1 -c jit=off -c work_mem=32MB' });
  // A checked-out client (a transaction) runs one statement at a time. Code inside a transaction may well start two
  // queries at once (a Promise.all over `tx`, often through a helper that does so for speed outside transactions);
  // `pg` would queue the second itself, but that is deprecated ("client.query() when the client is already executing a
  // query", seen under load) and goes in pg@9. So the statements of one client are chained here, in the order they
  // were started: the same result, and a COPY is never interleaved with a query.
  const wrapClient = (client: any, chain = { tail: Promise.resolve() as Promise<unknown> }): Db => {
    const one = <T>(fn: () => Promise<T>): Promise<T> => {
      const next = chain.tail.then(fn, fn);
      chain.tail = next.catch(() => undefined);
      return next;
    };
    return {
      kind: 'postgres',
      query: async (sql, params) => one(async () => (await client.query(sql, params)).rows),
      exec: async (sql) =>
        one(async () => {
          await client.query(sql);
        }),
      transaction: async (fn) => fn(wrapClient(client, chain)), // already inside one
      copyRows: async (table, columns, lines) => one(() => copyInto(client, copyFrom, table, columns, lines)),
      close: async () => undefined,
    };
  };
  const db: Db = {
    kind: 'postgres',
    query: async (sql, params) => {
      refuseInsideTransaction(db);
      return (await pool.query(sql, params)).rows;
    },
    exec: async (sql) => {
      refuseInsideTransaction(db);
      await pool.query(sql);
    },
    transaction: async (fn) => {
      refuseInsideTransaction(db);
      const client = await pool.connect();
      const tx = wrapClient(client);
      try {
        await tx.exec('BEGIN');
        const result = await inTransaction(db, () => fn(tx));
        await tx.exec('COMMIT'); // after any statement the callback started and did not wait for
        return result;
      } catch (err) {
        await tx.exec('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    copyRows: async (table, columns, lines) => {
      refuseInsideTransaction(db);
      const client = await pool.connect();
      try {
        return await copyInto(client, copyFrom, table, columns, lines);
      } finally {
        client.release();
      }
    },
    close: async () => {
      await pool.end();
    },
  };
  return db;
}

async function copyInto(client: any, copyFrom: any, table: string, columns: string[], lines: Iterable<string>): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  let n = 0;
  let buf: string[] = [];
  const write = (s: string) =>
    new Promise<void>((resolve, reject) => {
      if (stream.write(s)) return resolve();
      const onError = (e: Error) => {
        stream.off('drain', onDrain);
        reject(e);
      };
      const onDrain = () => {
        stream.off('error', onError);
        resolve();
      };
      stream.once('drain', onDrain);
      stream.once('error', onError);
    });
  for (const line of lines) {
    buf.push(line);
    n++;
    if (buf.length >= 5000) {
      await write(buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) await write(buf.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end();
  });
  return n;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
/** Escape one value for a COPY text line. Numbers and the usual text need no replacing (one test instead of four replaces). */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  const s = typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
export const copyLine = (values: unknown[]) => values.map(copyValue).join('\t');
