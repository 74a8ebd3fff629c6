// No statement holds the server's thread (issue 14 §2). PGlite used to run on the server's own thread: one statement
// of a second (monitoring's figures over a year of facts, the P*Q ledger's first page) answered no request and fired
// no timer for that second, and a chain of statements resolving as microtasks none until the chain ended. PGlite now
// runs on a worker thread (src/db/pglite-worker.mjs): a timer ticks while one long statement runs and while a chain
// runs, inside a transaction too. On a PostgreSQL server the statements wait for the network, so the same holds there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../helpers/db.ts';
import type { Db } from '../../src/db/index.ts';

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(async () => {
  await db?.close();
});

/** Runs `step` until `ms` have passed, while a 5 ms timer counts its ticks; returns the ticks and the time taken. */
async function ticksDuring(ms: number, step: () => Promise<unknown>): Promise<{ ticks: number; elapsed: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const t0 = performance.now();
  try {
    while (performance.now() - t0 < ms) await step();
  } finally {
    clearInterval(timer);
  }
  return { ticks, elapsed: performance.now() - t0 };
}

// a statement of about a millisecond: a chain of them is what a warm-up or a page's figures are
const statement = `SELECT count(*) FROM generate_series(1, 20000)`;

// a statement of about a second (on this machine, PGlite): 0 ticks while it ran on the server's thread
const long = `SELECT sum(g) FROM generate_series(1, 1000000) g`;

describe('one long statement', () => {
  it('lets a timer tick while it runs', async () => {
    const { ticks, elapsed } = await ticksDuring(1, () => db.query(long));
    expect(elapsed).toBeGreaterThan(200); // long enough to have stopped the timer
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 50));
  });

  it('lets a timer tick while it runs inside a transaction, and while a COPY of many lines runs', async () => {
    await db.exec('CREATE TABLE turn_copy (n int, t text)');
    const lines = Array.from({ length: 200_000 }, (_, i) => `${i}\tregel ${i}`);
    const r = await db.transaction((tx) => ticksDuring(1, () => tx.copyRows('turn_copy', ['n', 't'], lines, 200_000)));
    // (PGlite only: on a server the `pg` driver streams the lines itself and yields only when the socket is full, so
    // this COPY's JavaScript held the thread for a few hundred ms there; the driver for a server is not changed here)
    if (db.kind === 'pglite') expect(r.ticks).toBeGreaterThanOrEqual(Math.floor(r.elapsed / 50));
    const q = await db.transaction((tx) => ticksDuring(1, () => tx.query(long)));
    expect(q.ticks).toBeGreaterThanOrEqual(Math.floor(q.elapsed / 50));
  });
});

describe('a chain of statements', () => {
  it('lets a timer tick while it runs, outside a transaction', async () => {
    const { ticks, elapsed } = await ticksDuring(400, () => db.query(statement));
    // at least one tick per 50 ms: without turns the count was 0 on PGlite
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 50));
  });

  it('lets a timer tick while it runs, inside one transaction', async () => {
    const r = await db.transaction((tx) => ticksDuring(400, () => tx.query(statement)));
    expect(r.ticks).toBeGreaterThanOrEqual(Math.floor(r.elapsed / 50));
  });
});
