// Monitoring answers kept in memory while the facts they come from stand. The region's dashboard, cost tables,
// concentration, flows and drill-down pages are computed from the declaration facts and the allocation trajectories,
// which change only when an import commits (or a demo or bulk load rebuilds them); each such change raises the
// region's row in facts_version in the same transaction (facts.ts). An answer is served from memory only while that
// version stands, which costs one primary-key read per request instead of the query. Identical requests that arrive
// while the first is still being computed wait for that one computation (the dashboard under load: one query, not
// hundreds). The scope is part of every key, so a role only ever gets an answer computed for its own scope.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from '../db/index.ts';
import type { Scope } from '../db/query.ts';

/** Entries per database: the least recently used go first. */
const MAX_ENTRIES = 500;
/** An answer is recomputed at least this often, whatever the version says (labels such as segment names can change). */
export const MAX_AGE_MS = 5 * 60_000;

interface Entry {
  version: string;
  at: number;
  value: Promise<unknown>;
}
const caches = new WeakMap<Db, Map<string, Entry>>();

/** The region's facts version (0 before anything was recorded). */
export async function factsVersion(db: Db, regionId: string): Promise<string> {
  const [r] = await db.query<{ version: string }>(`SELECT version::text AS version FROM facts_version WHERE region_id = $1`, [regionId]);
  return r?.version ?? '0';
}

/** Raises the facts version of the regions of these municipalities (inside the transaction that changes their facts). */
export async function raiseFactsVersionOf(tx: Db, municipalityCodes: string[]): Promise<void> {
  if (!municipalityCodes.length) return;
  await tx.query(
    `INSERT INTO facts_version (region_id) SELECT DISTINCT region_id FROM municipality WHERE code = ANY($1::bpchar[]) AND region_id IS NOT NULL
     ON CONFLICT (region_id) DO UPDATE SET version = facts_version.version + 1`,
    [municipalityCodes],
  );
}

/** Raises every region's facts version (after a rebuild of all facts or of the trajectories). */
export async function raiseAllFactsVersions(db: Db): Promise<void> {
  await db.query(`INSERT INTO facts_version (region_id) SELECT id FROM region ON CONFLICT (region_id) DO UPDATE SET version = facts_version.version + 1`);
}

/** Inside refreshAhead: the age from which a kept answer is computed again (before MAX_AGE_MS makes it expire). */
const refreshing = new AsyncLocalStorage<number>();

/**
 * Runs `work` (the warm-up, src/warm.ts) so that every answer it asks for that is older than `olderThanMs` is computed
 * again, while the kept one still serves everyone else until the new one is there: refreshed before it expires.
 */
export function refreshAhead<T>(olderThanMs: number, work: () => Promise<T>): Promise<T> {
  return refreshing.run(olderThanMs, work);
}

/**
 * The answer for `key` within `scope`, from memory while the region's facts version stands, else computed (once,
 * however many ask at the same time). A failed computation is not kept.
 */
export async function cachedFigures<T>(db: Db, scope: Scope, key: string, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const version = await factsVersion(db, scope.regionId);
  const fullKey = `${scope.regionId}|${scope.municipalityCode ?? ''}|${scope.providerId ?? ''}|${key}`;
  const hit = cache.get(fullKey);
  const now = Date.now();
  if (hit && hit.version === version && now - hit.at < MAX_AGE_MS) {
    const refreshFrom = refreshing.getStore();
    if (refreshFrom !== undefined && now - hit.at >= refreshFrom) {
      // refreshed ahead: the kept answer serves until the new one is there (and stays if the new one fails)
      const value = compute();
      await value;
      if (cache.get(fullKey) === hit) cache.set(fullKey, { version, at: now, value });
      return value;
    }
    cache.delete(fullKey); // most recently used last
    cache.set(fullKey, hit);
    return hit.value as Promise<T>;
  }
  const value = compute();
  const entry: Entry = { version, at: now, value };
  cache.set(fullKey, entry);
  value.catch(() => {
    if (cache.get(fullKey) === entry) cache.delete(fullKey);
  });
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return value;
}
