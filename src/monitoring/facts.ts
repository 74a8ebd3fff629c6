// The facts monitoring reads: yearly and monthly declaration facts (tables, migration 009) and the region's
// allocation trajectories (a materialized view, migration 008). Every monitoring figure equals the same query over
// the base tables (tested in test/monitoring).
//
// Who keeps them up to date:
//   - a JW323 import updates the declaration facts of what it booked, in its own transaction (updateDeclarationFacts);
//   - a JW301 import changes allocations: refreshTrajectories afterwards;
//   - a demo or bulk load: refreshFacts rebuilds everything.
import type { Db } from '../db/index.ts';
import { raiseAllFactsVersions, raiseFactsVersionOf } from './cache.ts';
import { rowsPerStatement, yieldToEventLoop } from '../core/work.ts';

/** The grain of both declaration facts: one row per municipality × provider × product × youth × year. */
const FACT_GRAIN = `d.municipality_code, d.provider_id, d.product_id, d.youth_id, extract(year FROM d.period_start)::int AS year`;
const NET = `CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END`;
const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const mm = (m: number) => String(m).padStart(2, '0');

/** The yearly facts of the accepted lines that `where` selects (an SQL condition on `d`). Accepted lines only, credits negative. */
export const yearFactSelect = (where: string) => `
  SELECT ${FACT_GRAIN}, sum(${NET})::int8 AS amount_cents, count(*)::int AS lines
  FROM declaration_line d WHERE d.status = 'geaccepteerd' AND (${where}) GROUP BY 1, 2, 3, 4, 5`;

/**
 * The monthly facts: the yearly grain with the months folded into columns (`months` a bitmask of the months with an
 * accepted line, bit 0 = January; m01..m12 the net amount and l01..l12 the number of lines per month).
 */
export const monthFactSelect = (where: string) => `
  SELECT ${FACT_GRAIN}, bit_or(1 << (extract(month FROM d.period_start)::int - 1))::int AS months,
    ${MONTHS.map((m) => `COALESCE(sum(${NET}) FILTER (WHERE extract(month FROM d.period_start) = ${m}), 0)::int8 AS m${mm(m)}`).join(',\n    ')},
    ${MONTHS.map((m) => `(count(*) FILTER (WHERE extract(month FROM d.period_start) = ${m}))::int AS l${mm(m)}`).join(',\n    ')}
  FROM declaration_line d WHERE d.status = 'geaccepteerd' AND (${where}) GROUP BY 1, 2, 3, 4, 5`;

/** The declaration fact tables and the query that computes each. */
export const DECLARATION_FACTS = [
  ['declaration_year_fact', yearFactSelect],
  ['declaration_month_fact', monthFactSelect],
] as const;

/** Rebuilds every fact from the base tables (after a demo or bulk load). */
export async function refreshFacts(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [table, select] of DECLARATION_FACTS) {
      // filled without its indexes, which are then built in one go (as a materialized view's refresh does): the
      // index definitions are the migrations', read back from the catalog
      const indexes = await tx.query<{ name: string; def: string }>(
        `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`,
        [table],
      );
      await tx.exec(`TRUNCATE ${table}`);
      for (const i of indexes) await tx.exec(`DROP INDEX ${i.name}`);
      await tx.exec(`INSERT INTO ${table} ${select('true')}`);
      for (const i of indexes) await tx.exec(i.def);
    }
  });
  // VACUUM as well: marks the new rows all-visible, as a refreshed materialized view's were (index-only scans)
  for (const [table] of DECLARATION_FACTS) await db.exec(`VACUUM (ANALYZE) ${table}`);
  await refreshTrajectories(db);
}

/** The region's allocation trajectories, after allocations were created or changed. */
export async function refreshTrajectories(db: Db): Promise<void> {
  await db.exec(`REFRESH MATERIALIZED VIEW allocation_trajectory`);
  await db.exec(`ANALYZE allocation_trajectory`);
  await raiseAllFactsVersions(db);
}

/** The groups (municipality × provider × year) whose declaration lines changed. */
export interface FactGroup {
  municipalityCode: string;
  providerId: number;
  year: number;
}

/** A booked line as the facts count it (funding's LineToBook has these fields): accepted, credits negative. */
export interface BookedFactLine {
  municipalityCode: string;
  providerId: number;
  productId: number;
  youthId: number;
  periodStart: string;
  amountCents: number | null;
  debitCredit: string | null;
}

const KEY = '(municipality_code, year, provider_id, product_id, youth_id)';
const addTo = (cols: string[]) => cols.map((c) => `${c} = f.${c} + excluded.${c}`).join(', ');
const MONTH_COLS = [...MONTHS.map((m) => `m${mm(m)}`), ...MONTHS.map((m) => `l${mm(m)}`)];
/**
 * The sums of a part of the booked lines added to the fact rows they fall in: one array per column (unnest), each
 * passed as one array literal (the driver's own conversion of 25,000-element arrays cost seconds).
 */
const KEY_ARRAYS = `$1::text[], $2::int[], $3::int[], $4::int8[], $5::int[]`;
const UPSERT_YEAR = `INSERT INTO declaration_year_fact AS f (municipality_code, provider_id, product_id, youth_id, year, amount_cents, lines)
  SELECT * FROM unnest(${KEY_ARRAYS}, $6::int8[], $7::int[])
  ON CONFLICT ${KEY} DO UPDATE SET ${addTo(['amount_cents', 'lines'])}`;
const UPSERT_MONTH = `INSERT INTO declaration_month_fact AS f (municipality_code, provider_id, product_id, youth_id, year, months, ${MONTH_COLS.join(', ')})
  SELECT * FROM unnest(${KEY_ARRAYS}, $6::int[], ${MONTHS.map((m) => `$${6 + m}::int8[]`).join(', ')}, ${MONTHS.map((m) => `$${18 + m}::int[]`).join(', ')})
  ON CONFLICT ${KEY} DO UPDATE SET months = f.months | excluded.months, ${addTo(MONTH_COLS)}`;

/** One fact key's sums over a part of the booked lines. */
interface Sums {
  c: string;
  p: number;
  q: number;
  u: number;
  y: number;
  /** Net amount and lines over the year, the months with a line (bit 0 = January), net amount and lines per month. */
  a: number;
  n: number;
  b: number;
  m: number[];
  l: number[];
}

/**
 * Recomputes the declaration facts of these groups from declaration_line, inside the caller's transaction: the
 * facts then change together with the lines they sum. Costs what the groups hold, not what the database holds.
 *
 * With `booked` (an iJW import: it only adds lines, and hands over the rows it booked), the sums of those rows are
 * added to the fact rows they fall in (an upsert on the fact's key, migration 031): the rows are summed per key here,
 * in parts of at most rowsPerStatement keys, each part one statement per table with a yield between. Nothing is read
 * back from declaration_line (until migration 035 the import's lines were, by message and line number). On the
 * embedded database one statement holds the event loop until it ends, and recomputing the whole group of the largest
 * file took minutes (issue 14). A booked line always has a youth (from its allocation), so every key is whole and the
 * upsert finds its row.
 */
export async function updateDeclarationFacts(tx: Db, groups: FactGroup[], booked?: { rows: () => Iterable<BookedFactLine> }): Promise<void> {
  // one group at a time: a range on declaration_line's (provider_id, period_start) index
  const inGroup = `d.municipality_code = $1::bpchar AND d.provider_id = $2 AND d.period_start >= make_date($3, 1, 1) AND d.period_start < make_date($3 + 1, 1, 1)`;
  for (const g of groups) {
    const params = [g.municipalityCode, g.providerId, g.year];
    // two imports for the same group (PostgreSQL server): the second waits for the first to commit, so that its
    // DELETE sees the first's rows and its INSERT the first's lines (and its upsert adds to the first's sums)
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`declaration facts ${g.municipalityCode} ${g.providerId} ${g.year}`]);
    if (booked) continue;
    for (const [table, select] of DECLARATION_FACTS) {
      await tx.query(`DELETE FROM ${table} WHERE municipality_code = $1::bpchar AND provider_id = $2 AND year = $3`, params);
      await tx.query(`INSERT INTO ${table} ${select(inGroup)}`, params);
    }
  }
  if (booked) {
    const perStatement = rowsPerStatement(tx);
    let part = new Map<string, Sums>();
    const flush = async () => {
      if (!part.size) return;
      const sums = [...part.values()];
      part = new Map();
      // each array as one PostgreSQL array literal: numbers, and municipality codes (four digits) quoted
      const ints = (f: (x: Sums) => number) => `{${sums.map(f).join(',')}}`;
      const keys = [`{${sums.map((x) => `"${x.c}"`).join(',')}}`, ints((x) => x.p), ints((x) => x.q), ints((x) => x.u), ints((x) => x.y)];
      await tx.query(UPSERT_YEAR, [...keys, ints((x) => x.a), ints((x) => x.n)]);
      await yieldToEventLoop();
      await tx.query(UPSERT_MONTH, [...keys, ints((x) => x.b), ...MONTHS.map((_, i) => ints((x) => x.m[i])), ...MONTHS.map((_, i) => ints((x) => x.l[i]))]);
      await yieldToEventLoop();
    };
    for (const l of booked.rows()) {
      const y = Number(l.periodStart.slice(0, 4)),
        m = Number(l.periodStart.slice(5, 7)) - 1;
      const key = `${l.municipalityCode}|${y}|${l.providerId}|${l.productId}|${l.youthId}`;
      let s = part.get(key);
      if (!s) {
        if (part.size >= perStatement) await flush();
        s = { c: l.municipalityCode, p: l.providerId, q: l.productId, u: l.youthId, y, a: 0, n: 0, b: 0, m: new Array(12).fill(0), l: new Array(12).fill(0) };
        part.set(key, s);
      }
      const net = l.amountCents === null ? 0 : l.debitCredit === 'C' ? -l.amountCents : l.amountCents;
      s.a += net;
      s.n++;
      s.b |= 1 << m;
      s.m[m] += net;
      s.l[m]++;
    }
    await flush();
  }
  // last, so that two imports of one region wait on this row only for the rest of the first one's transaction
  await raiseFactsVersionOf(tx, [...new Set(groups.map((g) => g.municipalityCode))]);
}

/** A database that has lines but no facts (new, or upgraded to migration 009) gets them once, at start-up. */
export async function ensureFacts(db: Db): Promise<void> {
  const [r] = await db.query<{ missing: boolean; trajectories: boolean }>(
    `SELECT (EXISTS (SELECT 1 FROM declaration_line WHERE status = 'geaccepteerd') AND NOT EXISTS (SELECT 1 FROM declaration_year_fact)) AS missing,
            (SELECT ispopulated FROM pg_matviews WHERE matviewname = 'allocation_trajectory') AS trajectories`,
  );
  if (r.missing) await refreshFacts(db);
  else if (!r.trajectories) await refreshTrajectories(db);
}
