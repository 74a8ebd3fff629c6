// The warm-up after `serve` starts (src/warm.ts): each region's first figures are computed once in the background, so
// the first person to open the dashboard, Bekostiging, the budget or the P*Q ledger gets them from memory. What it
// warms must be exactly what those pages ask (the same functions and cache keys as the routes), and what is served
// from memory must equal what a fresh computation gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataScope } from '../src/access/roles.ts';
import type { Db } from '../src/db/index.ts';
import { contractPositions, FIRST_LEDGER_PAGE, ledgerPage } from '../src/funding/index.ts';
import { regionDetail } from '../src/catalog/index.ts';
import { commitments } from '../src/funding/store.ts';
import { raiseFactsVersionOf } from '../src/monitoring/index.ts';
import { monitoringFigures } from '../src/monitoring/figures.ts';
import { warmFigures } from '../src/warm.ts';
import { TEST_KEY } from './helpers/app.ts';
import { seededDb } from './helpers/seed-cache.ts';

let db: Db;
const region: DataScope = { regionId: 'twente', municipalityCode: null, providerId: null, label: 'Twente' };
beforeAll(async () => {
  db = await seededDb(['twente'], TEST_KEY);
}, 600_000);
afterAll(async () => {
  await db?.close();
});

/** The statements `work` sends to the database. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = db.query.bind(db);
  (db as { query: Db['query'] }).query = (async (text: string, params?: unknown[]) => {
    seen.push(text);
    return original(text, params);
  }) as Db['query'];
  try {
    await work();
  } finally {
    (db as { query: Db['query'] }).query = original;
  }
  return seen;
}
/** Statements that aggregate declarations, allocations or youths (what warming spares the first visitor). */
const heavy = (statements: string[]) => statements.filter((s) => /declaration_(line|month_fact|year_fact)|\ballocation\b|\byouth\b/.test(s));

describe('warming the figures after the server starts', () => {
  it("computes the region's first figures once; the pages' questions then read no declarations, and the answers equal a fresh computation", async () => {
    const log: string[] = [];
    await warmFigures(db, (s) => log.push(s));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^Cijfers voorbereid in \d+,?\.?\d* s$/);

    const detail = (await regionDetail(db, 'twente'))!;
    const latest: number = detail.latestYear;
    const contractsYear: number = detail.demoYear ?? latest;
    expect(latest).toBeGreaterThan(contractsYear); // the demo runs from its published year to today

    const figures = monitoringFigures(db);
    const ask = async () => ({
      dashboard: await figures.dashboard(region, latest),
      before: await figures.dashboard(region, latest - 1),
      costs: await figures.costs(region, latest, 'productgroep', null),
      positions: await contractPositions(db, region, contractsYear),
      budgetPositions: await contractPositions(db, region, latest),
      ledger: await ledgerPage(db, region, latest, undefined, FIRST_LEDGER_PAGE),
      commitments: await commitments(db, region, contractsYear, `${contractsYear}-06-30`),
      flows: await figures.flows(region, latest),
      trend: await figures.trend(region, 'segment'),
    });
    let warm!: Awaited<ReturnType<typeof ask>>;
    const statements = await statementsOf(async () => {
      warm = await ask();
    });
    expect(heavy(statements)).toEqual([]);
    expect(warm.positions.length).toBeGreaterThan(100);
    expect(warm.ledger.rows).toHaveLength(FIRST_LEDGER_PAGE.limit);
    expect(warm.commitments.rows.length).toBeGreaterThan(0);

    // an import raises the facts version: everything is computed again, and equals what was served from memory
    await raiseFactsVersionOf(db, ['0153']);
    let fresh!: Awaited<ReturnType<typeof ask>>;
    const again = await statementsOf(async () => {
      fresh = await ask();
    });
    expect(heavy(again).length).toBeGreaterThan(0);
    expect(fresh).toEqual(warm);
  }, 300_000);
  it('lets the server answer between its statements: no long chain of statements without a turn of the event loop', async () => {
    // On the embedded database an awaited statement resolves without a turn of the event loop, so statements that follow
    // each other without a yield hold the server (no request, no timer) for their whole length: after a large import
    // the whole warm-up was one block of 59.5 s (BENCHMARKS.md, eighth session). Counted here as the longest run of
    // statements with no turn of the loop in between (a setImmediate that re-arms itself counts the turns).
    await raiseFactsVersionOf(
      db,
      (await db.query(`SELECT code FROM municipality WHERE region_id = 'twente'`)).map((m: any) => m.code),
    );
    let turns = 0,
      on = true;
    const spin = () => {
      turns++;
      if (on) setImmediate(spin);
    };
    setImmediate(spin);
    let seen = -1,
      chain = 0,
      longest = 0;
    const statements = await statementsOf(async () => {
      const original = db.query.bind(db);
      (db as { query: Db['query'] }).query = (async (text: string, params?: unknown[]) => {
        chain = turns === seen ? chain + 1 : 1;
        seen = turns;
        longest = Math.max(longest, chain);
        return original(text, params);
      }) as Db['query'];
      try {
        await warmFigures(db);
      } finally {
        (db as { query: Db['query'] }).query = original;
      }
    });
    on = false;
    expect(heavy(statements).length).toBeGreaterThan(10); // it did compute again
    expect(longest).toBeLessThanOrEqual(8);
  }, 300_000);
});
