// The embedded database (PGlite: PostgreSQL compiled to WASM) on a thread of its own, behind db.ts's `Db`. PGlite runs
// a statement synchronously on the thread that owns it: on the server's main thread one statement of a second (a
// year's facts grouped for monitoring, the P*Q ledger's first page) answered no request for that second, not even
// the health check (issue 14 §2). Here it holds only this thread. db.ts keeps the data directory's lock, the queue and
// the transactions; this thread runs what it is sent, one message after the other, in the order sent.
// Plain JavaScript with no imports from src/ but its siblings in plain JavaScript, so it runs from src/ (tsx, vitest)
// and from dist/ alike (as json-worker.mjs in src/http).
//
// Messages in: { id, op: 'query', sql, params } | { id, op: 'exec', sql } | { id, op: 'copy', sql, bytes }
//            | { id, op: 'dump', compression } | { id, op: 'close' }
// Messages out: { ready: true } | { ready: false, error } once at the start; then { id, rows } | { id, error } per message.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PARSERS } from './parsers.mjs';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** What travels back of an error: its message and PostgreSQL's fields (code, detail, constraint, …), no stack. */
function errorOf(/** @type {any} */ e) {
  /** @type {Record<string, unknown>} */
  const out = { message: String(e?.message ?? e), name: e?.name ?? 'Error' };
  if (e && typeof e === 'object')
    for (const [k, v] of Object.entries(e)) {
      // the statement and its parameters are known on the other side; the COPY's blob cannot travel
      if (k === 'query' || k === 'params' || k === 'queryOptions' || k === 'stack') continue;
      if (v === undefined || typeof v === 'function') continue;
      out[k] = v;
    }
  return out;
}

/** @type {PGlite} */
let pg;
try {
  const { dir, copyOf } = workerData;
  pg = copyOf
    ? await PGlite.create({ parsers: PARSERS, fs: new (await import('./memory-copy.mjs')).MemoryCopyFS(copyOf) })
    : await PGlite.create(dir, { parsers: PARSERS });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ ready: false, error: errorOf(e) });
}

/** @param {any} m */
async function handle(m) {
  try {
    switch (m.op) {
      case 'query': {
        const rows = (await pg.query(m.sql, m.params)).rows;
        port.postMessage({ id: m.id, rows });
        return;
      }
      case 'exec':
        await pg.exec(m.sql);
        break;
      case 'copy':
        await pg.query(m.sql, [], { blob: new Blob([m.bytes]) });
        break;
      case 'dump': {
        const buffer = await (await pg.dumpDataDir(m.compression)).arrayBuffer();
        port.postMessage({ id: m.id, rows: buffer }, [buffer]);
        return;
      }
      case 'close':
        await pg.close();
        break;
      default:
        throw new Error(`onbekende opdracht ${m.op}`);
    }
    port.postMessage({ id: m.id, rows: null });
  } catch (e) {
    port.postMessage({ id: m.id, error: errorOf(e) });
  }
}

// one at a time, in the order sent: the statements of a transaction arrive as the one connection's statements
let chain = Promise.resolve();
port.on('message', (m) => {
  chain = chain.then(() => handle(m));
});
