// The yearly facts monitoring reads (migration 005). Call refreshFacts after writing declaration lines;
// every monitoring figure then equals a sum over declaration_line (tested in test/monitoring).
import type { Db } from '../db/index.ts';

export async function refreshFacts(db: Db): Promise<void> {
  await db.exec('REFRESH MATERIALIZED VIEW declaration_year_fact');
  await db.exec('ANALYZE declaration_year_fact');
}

/** A database migrated before it had data (or before migration 005) has an unpopulated view: fill it once. */
export async function ensureFacts(db: Db): Promise<void> {
  const [row] = await db.query<{ ispopulated: boolean }>(`SELECT ispopulated FROM pg_matviews WHERE matviewname = 'declaration_year_fact'`);
  if (row && !row.ispopulated) await refreshFacts(db);
}
