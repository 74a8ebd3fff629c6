// The quarterly review's referral count (funding, src/funding/store.ts referralCounts) on the iJW bench's database:
// the Twente demo plus the allocations of the 100,000-line declaration (bench/ijw-db.mjs), and with --starts a JW305
// for every other allocation and a JW307 for every fifth (as a region that receives starts and stops has them).
// Prints, per year that has lumpsum contracts, the statement's time before (the correlated look-up per allocation ×
// contract, test/funding/referrals-before.ts) and after (set-based), alternately, with the rows each read and a check
// that both give the same counts; and the EXPLAIN ANALYZE of both with --explain.
//
//   node bench/referrals.mjs [--dir DIR] [--starts] [--runs 3] [--explain]   PGlite in DIR (built there once, reused)
//   RK_BENCH_PG_URL=postgres://… node bench/referrals.mjs [--starts]          a fresh database on that server
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const { openDb } = await import('../src/db/index.ts');
const { prepareBenchDatabase, openBenchDatabase } = await import('./ijw-db.mjs');
const { referralCounts } = await import('../src/funding/store.ts');
const { referralCountsBefore } = await import('../test/funding/referrals-before.ts');

let db;
if (process.env.RK_BENCH_PG_URL) ({ db } = await openBenchDatabase(100_000));
else {
  const dir = arg('dir', '.tmp/bench-referrals-db');
  const fresh = !existsSync(dir);
  db = await openDb({ dataDir: dir });
  if (fresh) await prepareBenchDatabase(db, 100_000);
}
if (process.argv.includes('--starts') && (await db.query(`SELECT count(*)::int AS n FROM ijw_start_stop`))[0].n === 0) {
  // one JW305 message per provider × municipality holding a start for every other allocation, one JW307 holding a stop
  // for every fifth (care ending mid-year)
  await db.exec(`CREATE TEMP TABLE bench_pm AS SELECT DISTINCT a.provider_id, a.municipality_code FROM allocation a`);
  for (const kind of ['start', 'stop'])
    await db.query(
      `INSERT INTO ijw_message (message_type, direction, identification, sender_code, receiver_code, municipality_code, provider_id, provider_agb, content_hash, status, xml_gzip, size_bytes)
      SELECT $1, 'in', 'bench-' || $2 || pm.provider_id || '-' || pm.municipality_code, pr.agb_code, pm.municipality_code, pm.municipality_code, pm.provider_id, pr.agb_code,
        'bench-' || $2 || pm.provider_id || '-' || pm.municipality_code, 'verwerkt', '\\x00', 0
      FROM bench_pm pm JOIN provider pr ON pr.id = pm.provider_id`,
      [kind === 'start' ? 'JW305' : 'JW307', kind],
    );
  await db.query(`INSERT INTO ijw_start_stop (message_id, line_no, kind, bsn_hash, assignment_number, product_category, product_code, allocation_start, begin_date, end_date, reason, delivery_status)
    SELECT m.id, a.id, CASE WHEN a.id % 2 = 0 THEN 'start' ELSE 'stop' END, y.bsn_hash, a.assignment_number::bigint, left(p.code, 2), p.code, a.start_date,
      a.start_date + (a.id % 40)::int, CASE WHEN a.id % 2 = 0 THEN NULL ELSE a.start_date + 60 + (a.id % 200)::int END, CASE WHEN a.id % 2 = 0 THEN NULL ELSE '01' END, '1'
    FROM allocation a JOIN youth y ON y.id = a.youth_id JOIN product p ON p.id = a.product_id
    JOIN ijw_message m ON m.provider_id = a.provider_id AND m.municipality_code = a.municipality_code AND m.identification LIKE 'bench-%'
      AND m.message_type = CASE WHEN a.id % 2 = 0 THEN 'JW305' ELSE 'JW307' END
    WHERE (a.id % 2 = 0 OR a.id % 5 = 0) AND a.assignment_number ~ '^[0-9]{1,18}$'`);
  await db.exec('DROP TABLE bench_pm; ANALYZE');
}
const [{ allocations }] = await db.query(`SELECT count(*)::int AS allocations FROM allocation`);
const [{ starts }] = await db.query(`SELECT count(*)::int AS starts FROM ijw_start_stop`);
console.log(`${db.kind}: ${allocations.toLocaleString('en')} allocations, ${starts.toLocaleString('en')} JW305/JW307 lines`);
const scope = { regionId: 'twente', municipalityCode: null, providerId: null };
const runs = Number(arg('runs', '3'));
const years =
  await db.query(`SELECT DISTINCT y::int AS year FROM contract c, generate_series(extract(year FROM c.valid_from)::int, extract(year FROM COALESCE(c.valid_to, '2026-12-31'))::int) y
  WHERE c.region_id = 'twente' AND c.funding_form = 'lumpsum' ORDER BY 1 DESC LIMIT ${Number(arg('years', '2'))}`);
for (const { year } of years) {
  const lumpsums = (
    await db.query(
      `SELECT id, provider_id FROM contract WHERE region_id = 'twente' AND funding_form = 'lumpsum' AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $2)`,
      [`${year}-12-31`, `${year}-01-01`],
    )
  ).map((c) => ({ id: Number(c.id), providerId: Number(c.provider_id) }));
  const before = referralCountsBefore(db, scope, year, lumpsums).compile();
  const sortRows = (rows) => JSON.stringify(rows.map((r) => ({ ...r, contract_id: Number(r.contract_id) })).sort((a, b) => a.contract_id - b.contract_id));
  const times = { before: [], after: [] };
  let same = true;
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const a = await db.query(before.sql, before.parameters);
    times.before.push(performance.now() - t0);
    t0 = performance.now();
    const b = await referralCounts(db, scope, year, lumpsums);
    times.after.push(performance.now() - t0);
    same &&= sortRows(a) === sortRows(b);
  }
  const med = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)].toFixed(0);
  console.log(
    `  ${year}: ${lumpsums.length} lumpsum contracts; before ${med(times.before)} ms, after ${med(times.after)} ms (median of ${runs}, alternately); the same counts: ${same ? 'yes' : 'NO'}`,
  );
  if (!same) process.exitCode = 1;
  if (process.argv.includes('--explain')) {
    const { typed } = await import('../src/db/query.ts');
    const afterSql = (await import('../src/funding/store.ts')).referralCountsQuery?.(typed(db), scope, year, lumpsums)?.compile();
    for (const [name, q] of [['before', before], ...(afterSql ? [['after', afterSql]] : [])]) {
      const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS OFF) ${q.sql}`, q.parameters);
      console.log(`--- ${name}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
  }
}
await db.close();
