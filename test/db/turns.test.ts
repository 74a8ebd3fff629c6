// A chain of statements leaves the event loop its turns (issue 14 §2): on PGlite every statement runs on the server's
// own thread and its promise resolves as a microtask, so a warm-up or a page's figures, statement after statement,
// answered no request and fired no timer until the chain ended. Now a timer ticks while the chain runs, inside a
// transaction too. On a PostgreSQL server the statements wait for the network, so the same holds there.
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
