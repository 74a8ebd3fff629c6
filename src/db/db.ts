// One interface over both PostgreSQL drivers: PGlite (embedded, WASM) and a server through `pg`.
// Everything above this file writes plain SQL with $1-style parameters; both drivers see the same SQL.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { lockDataDir } from './lock.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import { ROWS_PER_STATEMENT } from '../core/work.ts';
// type parsing, the same on both drivers (shared with the PGlite worker thread)
import { DATE, INT8, identity, NUMERIC, parseInt8, parseTimestamp, TIMESTAMP, TIMESTAMPTZ } from './parsers.mjs';

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
   *  per `rowsPerStatement` lines (default ROWS_PER_STATEMENT); a bulk seed passes
   *  more: each statement in a long transaction costs more than the one before, so 500-line statements made a
   *  600,000-line load quadratic (issue 18). */
  copyRows(table: string, columns: string[], lines: Iterable<string>, rowsPerStatement?: number): Promise<number>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tar, gzipped by default (backup). */
  dumpDataDir?(compression?: 'gzip' | 'none'): Promise<Blob>;
}

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

/** The PGlite worker thread's module: beside this file in src/ (tsx, vitest) and in dist/ (the build copies .mjs files). */
const PGLITE_WORKER = new URL('./pglite-worker.mjs', import.meta.url);

interface Reply {
  id?: number;
  ready?: boolean;
  rows?: any;
  error?: Record<string, unknown>;
}

/** An error from the database thread as the callers know it: PostgreSQL's message, code, detail, constraint, … */
function databaseError(fields: Record<string, unknown>, sql?: string, params?: unknown[]): Error {
  const { message, name, ...rest } = fields;
  // made here, after the caller's await, so that its stack names the callers (V8's async stack traces)
  const e = new Error(String(message));
  if (typeof name === 'string') e.name = name;
  return Object.assign(e, rest, sql === undefined ? {} : { query: sql, params });
}

/**
 * PGlite on a worker thread (pglite-worker.mjs). PGlite runs a statement synchronously on the thread that owns it: on
 * the server's thread a statement of a second stopped every request for that second, the health check included
 * (issue 14 §2), and a chain of statements resolving as microtasks left timers no turn at all. Now a statement is a
 * message to that thread and its rows come back as an event of the event loop: the server's thread is free while any
 * statement runs, and gets a turn between statements without asking. The price is a round trip per statement
 * (BENCHMARKS.md, "Ninth session").
 */
async function startPgliteThread(dir: string | undefined, copyOf: string | undefined) {
  const worker = new Worker(PGLITE_WORKER, { workerData: { dir, copyOf } });
  const waiting = new Map<number, (r: Reply) => void>();
  let nextId = 1;
  let stopped: string | null = null;
  let started!: (r: Reply) => void;
  const start = new Promise<Reply>((resolve) => (started = resolve));
  const stop = (why: string) => {
    stopped ??= why;
    started({ error: { message: stopped } });
    for (const settle of waiting.values()) settle({ error: { message: stopped } });
    waiting.clear();
  };
  worker.on('message', (m: Reply) => {
    if (m.ready !== undefined) return started(m);
    const settle = waiting.get(m.id!);
    if (!settle) return;
    waiting.delete(m.id!);
    if (!waiting.size) worker.unref(); // an idle database keeps no process alive (as PGlite on this thread did not)
    settle(m);
  });
  worker.on('error', (e: Error) => stop(`De databasethread is gestopt: ${e.message}`));
  worker.on('exit', (code) => stop(`De databasethread is gestopt (code ${code})`));
  const first = await start;
  if (first.error) {
    await worker.terminate();
    throw databaseError(first.error);
  }
  worker.unref();
  /** Sends one message; its reply's rows, or its error thrown here. */
  const send = async (message: Record<string, unknown>, transfer?: ArrayBuffer[]): Promise<any> => {
    const reply = await new Promise<Reply>((resolve) => {
      if (stopped) return resolve({ error: { message: stopped } });
      const id = nextId++;
      waiting.set(id, resolve);
      worker.ref();
      worker.postMessage({ ...message, id }, transfer);
    });
    if (reply.error) throw databaseError(reply.error, message.sql as string | undefined, message.params as unknown[] | undefined);
    return reply.rows;
  };
  const close = async () => {
    await send({ op: 'close' });
    stopped = 'De database is gesloten';
    await worker.terminate();
  };
  return { send, close };
}

async function openPglite(dataDir: string, copyOf?: string): Promise<Db> {
  let dir: string | undefined = dataDir;
  let release = () => {};
  if (dataDir === 'memory://') dir = undefined;
  else {
    mkdirSync(path.resolve(dataDir), { recursive: true });
    release = lockDataDir(dataDir); // one process per data directory (lock.ts); throws DataDirLockedError
  }
  let pg: Awaited<ReturnType<typeof startPgliteThread>>;
  try {
    if (copyOf && dir) throw new Error('copyOf opens an in-memory copy: use it with memory://');
    pg = await startPgliteThread(dir ? path.resolve(dir) : undefined, copyOf);
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
  let outer: Db;
  const guard = (inTx: boolean) => {
    if (!inTx) refuseInsideTransaction(outer);
  };
  /** The statements of one transaction; after it ends, what the callback left running is refused (as PGlite's own tx did). */
  type Tx = { closed: boolean } | null;
  const open = (tx: Tx) => {
    if (tx?.closed) throw new Error('Transaction is closed');
  };
  const encoder = new TextEncoder();
  const wrap = (tx: Tx): Db => {
    const inTx = tx !== null;
    const db: Db = {
      kind: 'pglite',
      query: async (sql, params) => {
        guard(inTx);
        open(tx);
        const run = () => pg.send({ op: 'query', sql, params: params ?? [] });
        return inTx ? run() : serial(run);
      },
      exec: async (sql) => {
        guard(inTx);
        open(tx);
        const run = async () => {
          await pg.send({ op: 'exec', sql });
        };
        return inTx ? run() : serial(run);
      },
      transaction: (fn) => {
        guard(inTx);
        if (inTx) return fn(db); // already inside one
        return serial(async () => {
          const own = { closed: false };
          await pg.send({ op: 'exec', sql: 'BEGIN' });
          try {
            const result = await inTransaction(outer, () => fn(wrap(own)));
            own.closed = true;
            await pg.send({ op: 'exec', sql: 'COMMIT' }); // after any statement the callback started and did not wait for
            return result;
          } catch (err) {
            if (!own.closed) await pg.send({ op: 'exec', sql: 'ROLLBACK' }).catch(() => undefined);
            throw err;
          } finally {
            own.closed = true;
          }
        });
      },
      copyRows: async (table, columns, lines, rowsPerStatement = ROWS_PER_STATEMENT) => {
        guard(inTx);
        open(tx);
        const sql = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`;
        const run = async () => {
          let n = 0;
          let chunk: string[] = [];
          const flush = async () => {
            if (!chunk.length) return;
            // the text once as bytes, handed over to the database thread without a copy
            const bytes = encoder.encode(chunk.join('\n') + '\n');
            chunk = [];
            await pg.send({ op: 'copy', sql, bytes }, [bytes.buffer as ArrayBuffer]);
          };
          // one COPY statement per `rowsPerStatement` lines: a long transaction's statements each cost more than the
          // one before (issue 18), and building a chunk's text is work on this thread
          for (const line of lines) {
            chunk.push(line);
            n++;
            if (chunk.length >= rowsPerStatement) await flush();
          }
          await flush();
          return n;
        };
        return inTx ? run() : serial(run);
      },
      close: async () => {
        try {
          await serial(() => pg.close());
        } finally {
          release();
        }
      },
      dumpDataDir: (compression: 'gzip' | 'none' = 'gzip') => serial(async () => new Blob([(await pg.send({ op: 'dump', compression })) as ArrayBuffer])),
    };
    return db;
  };
  outer = wrap(null);
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
