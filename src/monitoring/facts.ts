// The facts monitoring reads: yearly (migration 005) and monthly (migration 007) declaration facts, and the
// region's allocation trajectories (migration 008). Call refreshFacts after writing declaration lines or
// allocations; every monitoring figure then equals the same query over the base tables (tested in test/monitoring).
import type { Db } from '../db/index.ts';

const FACT_VIEWS = ['declaration_year_fact', 'declaration_month_fact', 'allocation_trajectory'] as const;

export async function refreshFacts(db: Db): Promise<void> {
  for (const view of FACT_VIEWS) {
    await db.exec(`REFRESH MATERIALIZED VIEW ${view}`);
    await db.exec(`ANALYZE ${view}`);
  }
}

/** A database migrated before it had data (or before migration 005/007) has unpopulated views: fill them once. */
export async function ensureFacts(db: Db): Promise<void> {
  const rows = await db.query<{ ispopulated: boolean }>(`SELECT ispopulated FROM pg_matviews WHERE matviewname = ANY($1::text[])`, [[...FACT_VIEWS]]);
  if (rows.some((r) => !r.ispopulated)) await refreshFacts(db);
}
