// The providers' register: the one door other capabilities use (issue 16; brief §7).
import type { Db } from '../db/index.ts';
import { typed } from '../db/query.ts';
export { providerRoutes } from './routes.ts';
export { ProviderMatcher, normaliseName, similarity, suggestion, eightDigits, type MatchProvider, type MatchResult, type Candidate } from './match.ts';
export { providerMatcher, matchableProviders } from './store.ts';

// --- the client stop, as other capabilities ask it (issue 16 scope 4) ---------------------------------------------

/** A client stop (cliëntenstop) in force. */
export interface ClientStop {
  id: number;
  onDate: string;
  endsOn: string | null;
  segmentCode: string | null;
  segmentName: string | null;
  reason: string;
}

/**
 * The client stop on the enforcement ladder that blocks a new allocation of `productId` to `providerId` starting on
 * `startDate`, or null: a stop of the product's region, for all segments or for the product's segment or its parent,
 * dated on or before the start, not lifted before it (`ends_on`, exclusive; migration 013).
 */
export async function clientStopFor(db: Db, providerId: number, productId: number, startDate: string): Promise<ClientStop | null> {
  const r = await typed(db)
    .selectFrom('enforcement_step as e')
    .innerJoin('product as p', (j) => j.on('p.id', '=', productId).onRef('p.region_id', '=', 'e.region_id'))
    .leftJoin('segment as ps', 'ps.id', 'p.segment_id')
    .leftJoin('segment as s', 's.id', 'e.segment_id')
    .select(['e.id', 'e.on_date', 'e.ends_on', 'e.reason', 's.code', 's.name'])
    .where('e.provider_id', '=', providerId)
    .where('e.step', '=', 'clientenstop')
    .where('e.on_date', '<=', startDate)
    .where((eb) => eb.or([eb('e.ends_on', 'is', null), eb('e.ends_on', '>', startDate)]))
    .where((eb) => eb.or([eb('e.segment_id', 'is', null), eb('e.segment_id', '=', eb.ref('ps.id')), eb('e.segment_id', '=', eb.ref('ps.parent_id'))]))
    .orderBy('e.on_date')
    .limit(1)
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    onDate: String(r.on_date).slice(0, 10),
    endsOn: r.ends_on === null ? null : String(r.ends_on).slice(0, 10),
    segmentCode: r.code,
    segmentName: r.name,
    reason: r.reason,
  };
}
