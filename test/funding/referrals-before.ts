// The quarterly review's referral count as it was defined before the eighth session (src/funding/store.ts until
// commit 0cdef03): allocation × contract with a correlated look-up of the last JW305/JW307 per row. Kept here, word
// for word, as the reference the set-based count (referralCounts) must equal, and as the "before" of
// bench/referrals.mjs.
import type { Db } from '../../src/db/index.ts';
import { inScope, sql, typed, type Scope } from '../../src/db/query.ts';

const lastStartStop = (kind: 'start' | 'stop') => sql<string | null>`CASE WHEN EXISTS (SELECT 1 FROM ijw_start_stop WHERE kind = ${kind}) THEN
  (SELECT CASE WHEN s.delivery_status = '3' THEN NULL ELSE ${kind === 'start' ? sql`s.begin_date` : sql`s.end_date`}::text END
  FROM ijw_start_stop s JOIN ijw_message m ON m.id = s.message_id
  WHERE s.kind = ${kind} AND s.assignment_number::text = a.assignment_number AND s.bsn_hash = (SELECT y.bsn_hash FROM youth y WHERE y.id = a.youth_id)
    AND m.status = 'verwerkt' AND m.provider_id = a.provider_id AND m.municipality_code = a.municipality_code
  ORDER BY m.id DESC, s.line_no DESC LIMIT 1) END`;
const trajectoryStart = () => sql<string>`COALESCE(${lastStartStop('start')}, a.start_date::text)`;
const trajectoryEnd = () => sql<string | null>`COALESCE(${lastStartStop('stop')}, a.end_date::text)`;
const quarterEnd = (year: number, k: number) => ['03-31', '06-30', '09-30', '12-31'].map((d) => `${year}-${d}`)[k - 1];

export function referralCountsBefore(db: Db, scope: Scope, year: number, lumpsums: { id: number; providerId: number }[]) {
  const from = `${year}-01-01`,
    to = `${year}-12-31`;
  return typed(db)
    .selectFrom('allocation as a')
    .innerJoin('municipality as mu', 'mu.code', 'a.municipality_code')
    .innerJoin('product as p', 'p.id', 'a.product_id')
    .innerJoin('segment as s', 's.id', 'p.segment_id')
    .innerJoin('contract as ct', (j) => j.onRef('ct.provider_id', '=', 'a.provider_id'))
    .innerJoin('segment as cs', 'cs.id', 'ct.segment_id')
    .innerJoinLateral(
      sql<{ start_date: string; end_date: string | null }>`(SELECT (${trajectoryStart()})::date AS start_date, (${trajectoryEnd()})::date AS end_date)`.as('t'),
      (j) => j.onTrue(),
    )
    .select([
      'ct.id as contract_id',
      ...[1, 2, 3, 4].map((k) =>
        sql<number>`count(*) FILTER (WHERE t.start_date >= greatest(${`${year}-${String(3 * k - 2).padStart(2, '0')}-01`}::date, ct.valid_from) AND t.start_date <= ${quarterEnd(year, k)}::date AND (ct.valid_to IS NULL OR t.start_date < ct.valid_to))::int`.as(
          `r${k}`,
        ),
      ),
      ...[1, 2, 3, 4].map((k) =>
        sql<number>`count(*) FILTER (WHERE t.start_date <= ${quarterEnd(year, k)}::date AND (t.end_date IS NULL OR t.end_date >= ${quarterEnd(year, k)}::date)
        AND ct.valid_from <= ${quarterEnd(year, k)}::date AND (ct.valid_to IS NULL OR ct.valid_to > ${quarterEnd(year, k)}::date))::int`.as(`a${k}`),
      ),
    ])
    .where(inScope(scope, { region: 'mu.region_id', municipality: 'a.municipality_code', provider: 'a.provider_id' }))
    .where(
      'ct.id',
      'in',
      lumpsums.map((c) => c.id),
    )
    .where(sql<boolean>`COALESCE(cs.parent_id, cs.id) = COALESCE(s.parent_id, s.id)`)
    .where('a.provider_id', 'in', [...new Set(lumpsums.map((c) => c.providerId))])
    .where('a.status', '<>', 'ingetrokken')
    .where('a.start_date', '<=', to)
    .where((eb) => eb.or([eb('a.end_date', 'is', null), eb('a.end_date', '>=', from)]))
    .groupBy('ct.id');
}
