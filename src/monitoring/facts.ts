// The facts monitoring reads: yearly and monthly declaration facts (tables, migration 009) and the region's
// allocation trajectories (a materialized view, migration 008). Every monitoring figure equals the same query over
// the base tables (tested in test/monitoring).
//
// Who keeps them up to date:
//   - a JW323 import updates the declaration facts of what it booked, in its own transaction (updateDeclarationFacts);
//   - a JW301 import changes allocations: refreshTrajectories afterwards;
//   - a demo or bulk load: refreshFacts rebuilds everything.
import { copyLine, type Db } from '../db/index.ts';
import { raiseAllFactsVersions, raiseFactsVersionOf } from './cache.ts';
import { rowsPerStatement, yieldToEventLoop } from '../core/work.ts';

/** The grain of both declaration facts: one row per municipality × provider × product × youth × year. */
const FACT_GRAIN = `d.municipality_code, d.provider_id, d.product_id, d.youth_id, extract(year FROM d.period_start)::int AS year`;
const NET = `CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END`;
const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const mm = (m: number) => String(m).padStart(2, '0');

/** The yearly facts of the accepted lines that `where` selects (an SQL condition on `d`). Accepted lines only, credits negative. */
export const yearFactSelect = (where: string, from = 'declaration_line') => `
  SELECT ${FACT_GRAIN}, sum(${NET})::int8 AS amount_cents, count(*)::int AS lines
  FROM ${from} d WHERE d.status = 'geaccepteerd' AND (${where}) GROUP BY 1, 2, 3, 4, 5`;

/**
 * The monthly facts: the yearly grain with the months folded into columns (`months` a bitmask of the months with an
 * accepted line, bit 0 = January; m01..m12 the net amount and l01..l12 the number of lines per month).
 */
export const monthFactSelect = (where: string, from = 'declaration_line') => `
  SELECT ${FACT_GRAIN}, bit_or(1 << (extract(month FROM d.period_start)::int - 1))::int AS months,
    ${MONTHS.map((m) => `COALESCE(sum(${NET}) FILTER (WHERE extract(month FROM d.period_start) = ${m}), 0)::int8 AS m${mm(m)}`).join(',\n    ')},
    ${MONTHS.map((m) => `(count(*) FILTER (WHERE extract(month FROM d.period_start) = ${m}))::int AS l${mm(m)}`).join(',\n    ')}
  FROM ${from} d WHERE d.status = 'geaccepteerd' AND (${where}) GROUP BY 1, 2, 3, 4, 5`;

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
 * The facts of a part of the booked rows, summed per key here (as yearFactSelect and monthFactSelect sum over
 * declaration_line), copied into a temporary table (COPY: the cheapest way in) and added from there to the fact rows
 * they fall in. Created once per connection; emptied at every part and at commit.
 */
const BOOKED_TABLE = 'pg_temp.booked_fact';
const YEAR_COLS = ['municipality_code', 'provider_id', 'product_id', 'youth_id', 'year'];
const BOOKED_COLUMNS = [...YEAR_COLS, 'amount_cents', 'lines', 'months', ...MONTH_COLS];
const CREATE_BOOKED = `CREATE TEMP TABLE IF NOT EXISTS booked_fact (municipality_code char(4), provider_id int, product_id int, youth_id int8, year int,
  amount_cents int8, lines int, months int, ${MONTHS.map((m) => `m${mm(m)} int8`).join(', ')}, ${MONTHS.map((m) => `l${mm(m)} int`).join(', ')}) ON COMMIT DELETE ROWS`;
const UPSERT_YEAR = `INSERT INTO declaration_year_fact AS f (${YEAR_COLS.join(', ')}, amount_cents, lines)
  SELECT ${YEAR_COLS.join(', ')}, amount_cents, lines FROM ${BOOKED_TABLE} ON CONFLICT ${KEY} DO UPDATE SET ${addTo(['amount_cents', 'lines'])}`;
const UPSERT_MONTH = `INSERT INTO declaration_month_fact AS f (${YEAR_COLS.join(', ')}, months, ${MONTH_COLS.join(', ')})
  SELECT ${YEAR_COLS.join(', ')}, months, ${MONTH_COLS.join(', ')} FROM ${BOOKED_TABLE}
  ON CONFLICT ${KEY} DO UPDATE SET months = f.months | excluded.months, ${addTo(MONTH_COLS)}`;

/** The sums of one fact key over booked rows: the year's net amount and lines, and per month (index 0 = January). */
interface KeySums {
  row: BookedFactLine;
  year: number;
  /** null while no row had an amount (as sum() over NULLs) */
  amount: number | null;
  lines: number;
  months: number;
  m: number[];
  l: number[];
}

/**
 * Sums booked rows per fact key, in parts of at most `maxKeys` keys: each part is what one upsert adds. A key whose
 * rows fall in two parts is added twice, which sums the same. The sums are those of yearFactSelect and
 * monthFactSelect over the same rows: a credit negative, a row without amount counted as a line but not summed.
 */
export function* factParts(rows: Iterable<BookedFactLine>, maxKeys: number): Generator<KeySums[]> {
  let part = new Map<string, KeySums>();
  for (const r of rows) {
    const year = Number(r.periodStart.slice(0, 4));
    const month = Number(r.periodStart.slice(5, 7)) - 1;
    const key = `${r.municipalityCode}|${r.providerId}|${r.productId}|${r.youthId}|${year}`;
    let k = part.get(key);
    if (!k) {
      if (part.size >= maxKeys) {
        yield [...part.values()];
        part = new Map();
      }
      k = { row: r, year, amount: null, lines: 0, months: 0, m: new Array(12).fill(0), l: new Array(12).fill(0) };
      part.set(key, k);
    }
    const net = r.amountCents === null ? null : r.debitCredit === 'C' ? -r.amountCents : r.amountCents;
    k.lines++;
    k.months |= 1 << month;
    k.l[month]++;
    if (net !== null) {
      k.amount = (k.amount ?? 0) + net;
      k.m[month] += net;
    }
  }
  if (part.size) yield [...part.values()];
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
    await tx.exec(CREATE_BOOKED);
    // a statement per rowsPerStatement keys (not lines: a client's lines of a year fall in one key)
    for (const part of factParts(booked.rows(), rowsPerStatement(tx))) {
      const lines = part.map((k) =>
        copyLine([k.row.municipalityCode, k.row.providerId, k.row.productId, k.row.youthId, k.year, k.amount, k.lines, k.months, ...k.m, ...k.l]),
      );
      await tx.copyRows(BOOKED_TABLE, BOOKED_COLUMNS, lines, lines.length);
      for (const upsert of [UPSERT_YEAR, UPSERT_MONTH]) {
        await tx.query(upsert);
        await yieldToEventLoop();
      }
      await tx.exec(`TRUNCATE ${BOOKED_TABLE}`);
    }
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
