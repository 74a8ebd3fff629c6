// Monitoring's figures as the routes serve them: each computed from the facts and kept while the region's facts stand
// (cache.ts; the key names every input). The routes and the warm-up after the server starts (src/warm.ts) ask through
// these same functions, so what is warmed is exactly what a page asks for.
import type { DataScope } from '../access/roles.ts';
import type { Db } from '../db/index.ts';
import { yieldToEventLoop } from '../core/work.ts';
import { cachedFigures } from './cache.ts';
import { concentration, providerRanking } from './concentration.ts';
import { costs, type CostDimension } from './costs.ts';
import { dashboard } from './dashboard.ts';
import { flows } from './flows.ts';
import { drillDown, type RowsFilter } from './rows.ts';
import { trend, type TrendDimension } from './trend.ts';

export function monitoringFigures(db: Db) {
  return {
    dashboard: (scope: DataScope, year: number) => cachedFigures(db, scope, `dashboard|${year}`, () => dashboard(db, scope, year)),
    concentration: (scope: DataScope, year: number) => cachedFigures(db, scope, `concentration|${year}`, () => concentration(db, scope, year)),
    providerRanking: (scope: DataScope, year: number, segmentId: number | null) =>
      cachedFigures(db, scope, `ranking|${year}|${segmentId}`, () => providerRanking(db, scope, year, segmentId)),
    // (by funding form: payments, terms and cost statements change outside the facts version, so computed each time)
    costs: (scope: DataScope, year: number, by: CostDimension, segment: string | null) =>
      by === 'bekostiging'
        ? costs(db, scope, year, by, segment)
        : cachedFigures(db, scope, `costs|${year}|${by}|${segment}`, () => costs(db, scope, year, by, segment)),
    trend: (scope: DataScope, by: TrendDimension) => cachedFigures(db, scope, `trend|${by}`, () => trend(db, scope, by)),
    flows: (scope: DataScope, year: number) => cachedFigures(db, scope, `flows|${year}`, () => flows(db, scope, year)),
    rowsPage: (scope: DataScope, f: RowsFilter, limit: number, offset: number) =>
      cachedFigures(db, scope, `rows|${JSON.stringify(f)}|${limit}|${offset}`, () => drillDown(db, scope, f, limit, offset)),
  };
}

/**
 * The monitoring pages' first questions for one scope and year, asked once so that their answers are in memory before
 * a user opens them: the dashboard (and the year before it, which it compares with), the costs per product group (the
 * cost page's first view) and per segment (the budget and funding-form views read it), the concentration, the flows and
 * the multi-year view per segment.
 */
export async function warmMonitoring(db: Db, scope: DataScope, year: number): Promise<void> {
  const f = monitoringFigures(db);
  // a yield between the figures: on the embedded database statements that follow each other without one never let the
  // server answer in between (src/warm.ts)
  for (const figure of [
    () => f.dashboard(scope, year),
    () => f.dashboard(scope, year - 1),
    () => f.costs(scope, year, 'productgroep', null),
    () => f.costs(scope, year, 'segment', null),
    () => f.concentration(scope, year),
    () => f.flows(scope, year),
    () => f.trend(scope, 'segment'),
  ]) {
    await yieldToEventLoop();
    await figure();
  }
}
