// One checked-out PostgreSQL client runs one statement at a time (issue 14: under load `pg` warned "Calling
// client.query() when the client is already executing a query is deprecated"). Code inside a transaction may start
// two queries at once (a Promise.all over `tx`); db.ts chains them per client. Here two slow statements are started
// together inside a transaction: on PostgreSQL without the chain, pg emits the deprecation (which
// test/setup/inside-repo.ts and this test turn into a failure). Both results arrive, in order, and the transaction
// still commits or rolls back as a whole. Runs on PGlite too (one connection, its own queue).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../helpers/db.ts';
import type { Db } from '../../src/db/index.ts';

let db: Db;
const warnings: string[] = [];
const onWarning = (w: Error) => {
  warnings.push(w.message);
};
beforeAll(async () => {
  db = await testDb();
  await db.exec(`CREATE TABLE concurrency_probe (n int PRIMARY KEY)`);
  process.on('warning', onWarning);
});
afterAll(async () => {
  process.off('warning', onWarning);
  await db?.close();
});

describe('één client, één opdracht tegelijk', () => {
  it('twee queries tegelijk in een transactie: geen pg-waarschuwing, beide antwoorden, en de transactie is één geheel', async () => {
    const [a, b, c] = await db.transaction(async (tx) =>
      Promise.all([
        tx.query(`SELECT pg_sleep(0.05), 1 AS n`),
        tx.query(`INSERT INTO concurrency_probe VALUES (1), (2) RETURNING n`),
        tx.query(`SELECT count(*)::int AS n FROM concurrency_probe`),
      ]),
    );
    expect(a[0].n).toBe(1);
    expect(b.map((r) => r.n)).toEqual([1, 2]);
    expect(c[0].n).toBe(2); // started after the insert, so it sees it
    // a failure in one of them rolls back the whole transaction, the other statements included
    await expect(
      db.transaction(async (tx) =>
        Promise.all([
          tx.query(`INSERT INTO concurrency_probe VALUES (3)`),
          tx.query(`INSERT INTO concurrency_probe VALUES (1)`), // duplicate key
          tx.query(`SELECT pg_sleep(0.02)`),
        ]),
      ),
    ).rejects.toThrow();
    expect((await db.query(`SELECT n FROM concurrency_probe ORDER BY n`)).map((r) => r.n)).toEqual([1, 2]);
    // a COPY started beside a query does not interleave with it
    await db.transaction(async (tx) => {
      await Promise.all([
        tx.copyRows('concurrency_probe', ['n'], ['10', '11', '12']),
        tx.query(`SELECT pg_sleep(0.02)`),
        tx.query(`INSERT INTO concurrency_probe VALUES (13)`),
      ]);
    });
    expect((await db.query(`SELECT count(*)::int AS n FROM concurrency_probe`))[0].n).toBe(6);
    await new Promise((r) => setImmediate(r)); // process warnings are emitted on the next tick
    expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
  });
});
