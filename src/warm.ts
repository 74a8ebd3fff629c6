// The figures a region's users open first, computed once in the background after the server starts, so the first
// person to open the dashboard, Bekostiging, the budget or the P*Q ledger does not wait for the region's aggregations
// (1–3 s each on the embedded database, mostly reading its pages from disk for the first time). Each capability warms
// through the functions its own routes ask (monitoring/figures.ts, funding/warm.ts), for the region as a whole (the
// region role's scope); the pages of other roles find the database's pages warm. The answers are kept while the
// region's facts stand (monitoring/cache.ts), at most MAX_AGE_MS: while the server is in use, keepWarm computes them
// again before they expire (refreshAhead) and after an import, so neither leaves the next visitor waiting.
import type { DataScope } from './access/roles.ts';
import { regionDetail } from './catalog/index.ts';
import type { Db } from './db/index.ts';
import { yieldToEventLoop } from './core/work.ts';
import { sql, typed } from './db/query.ts';
import { warmFunding } from './funding/index.ts';
import { MAX_AGE_MS, refreshAhead, warmMonitoring } from './monitoring/index.ts';

/**
 * Warms every region in turn, the one with the most municipalities first (where a first open costs most); resolves when
 * done and never rejects: a failed warm-up only means a slower first page.
 */
export async function warmFigures(db: Db, log: (line: string) => void = () => undefined): Promise<void> {
  const t0 = performance.now();
  try {
    const regions = await typed(db)
      .selectFrom('region as r')
      .leftJoin('municipality as m', 'm.region_id', 'r.id')
      .select('r.id')
      .groupBy('r.id')
      .orderBy(sql`count(m.code)`, 'desc')
      .orderBy('r.id')
      .execute();
    for (const r of regions) {
      const detail = await regionDetail(db, r.id);
      if (!detail) continue;
      const scope: DataScope = { regionId: r.id, municipalityCode: null, providerId: null, label: 'de hele regio' }; // as the region role's (access/roles.ts)
      const latestYear: number | null = detail.latestYear ?? null;
      // (on the embedded database a chain of statements without a yield holds the server for its whole length: each
      // capability yields between its figures, and between the regions here)
      await yieldToEventLoop();
      if (latestYear !== null) await warmMonitoring(db, scope, latestYear);
      await warmFunding(db, scope, { contractsYear: detail.demoYear ?? latestYear, latestYear });
    }
    log(`Cijfers voorbereid in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    log(`Cijfers voorbereiden mislukt (de eerste pagina's zijn dan trager): ${(e as Error).message}`);
  }
}

/**
 * Warms now, and then computes again each answer that is about to expire (refreshAhead, monitoring/cache.ts), and
 * those an import made stale, as long as someone used the server in the last `idleAfterMs` (a server nobody uses does
 * no work); one round at a time. Returns the function that stops it.
 */
export function keepWarm(db: Db, lastRequestAt: () => number, log: (line: string) => void = () => undefined, idleAfterMs = 30 * 60_000): () => void {
  let running: Promise<void> | null = warmFigures(db, log).finally(() => {
    running = null;
  });
  // every minute: the answers older than MAX_AGE_MS less two minutes are computed again before they expire
  const timer = setInterval(() => {
    if (running || Date.now() - lastRequestAt() > idleAfterMs) return;
    running = refreshAhead(MAX_AGE_MS - 2 * 60_000, () => warmFigures(db)).finally(() => {
      running = null;
    });
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
