// The database an iJW import bench imports into: the Twente demo plus the allocations and tariffs the generated
// declaration (bench/declaration-data.mjs) declares on. Shared by bench/ijw.mjs and bench/ijw-compare.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDeclaration } from './declaration-data.mjs';

/**
 * Opens the bench's database, migrated, the demo and the file's allocations loaded: PGlite in memory (disk: in a data
 * directory, as `regiekamer serve` keeps it), or with RK_BENCH_PG_URL a fresh database on that PostgreSQL server.
 * `root` is the checkout whose code is used (bench/ijw-compare.mjs runs two checkouts side by side).
 */
export async function openBenchDatabase(allocs, { disk = false, root = new URL('..', import.meta.url).href } = {}) {
  const { openDb } = await import(`${root}src/db/index.ts`);
  let db;
  if (process.env.RK_BENCH_PG_URL) {
    // --pg: a fresh database on the temporary PostgreSQL server for every measured step
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: process.env.RK_BENCH_PG_URL });
    await admin.connect();
    const name = `rk_bench_${process.pid}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.RK_BENCH_PG_URL);
    url.pathname = `/${name}`;
    db = await openDb({ databaseUrl: url.href });
  } else {
    const dataDir = disk ? mkdtempSync(path.join(os.tmpdir(), 'rk-ijw-bench-db-')) : 'memory://';
    if (dataDir !== 'memory://') process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
    db = await openDb({ dataDir });
  }
  const keys = await prepareBenchDatabase(db, allocs, root);
  return { db, keys };
}

/** Migrates `db` and loads the Twente demo and the allocations (numbers 100001 …) and tariffs of a file of `allocs` lines. */
export async function prepareBenchDatabase(db, allocs, root = new URL('..', import.meta.url).href) {
  const { migrate, copyLine } = await import(`${root}src/db/index.ts`);
  const { bsnKeys, bsnLookupHash } = await import(`${root}src/core/bsn.ts`);
  const { loadDemo } = await import(`${root}src/app.ts`);
  const keys = bsnKeys('ab'.repeat(32));
  await migrate(db);
  await loadDemo(db, keys, undefined, ['twente']);
  // the allocations of the generated declaration (numbers 100001 …), for demo youths where the BSN is theirs
  // the allocations of the full-size file also for the quarter-size one: the same database, so that the two peaks
  // differ only by what the file costs
  const { allocations, tariffs } = await makeDeclaration(allocs);
  await db.exec(`CREATE TEMP TABLE bench_alloc (nr text, municipality_code char(4), agb text, bsn_hash text, product_code text, volume int, unit char(2))`);
  await db.copyRows(
    'bench_alloc',
    ['nr', 'municipality_code', 'agb', 'bsn_hash', 'product_code', 'volume', 'unit'],
    allocations.map((a) => copyLine([a.assignmentNumber, a.municipalityCode, a.providerAgb, bsnLookupHash(keys, a.bsn), a.productCode, a.volume, a.unit])),
  );
  await db.query(`INSERT INTO youth (bsn_encrypted, bsn_hash, pseudonym, birth_date, gender, municipality_code)
    SELECT DISTINCT ON (b.bsn_hash) '\\x00'::bytea, b.bsn_hash, 'B-' || substr(b.bsn_hash, 1, 12), '2012-01-01', '1', b.municipality_code
    FROM bench_alloc b WHERE NOT EXISTS (SELECT 1 FROM youth y WHERE y.bsn_hash = b.bsn_hash)`);
  await db.query(`INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency)
    SELECT b.nr, b.municipality_code, pr.id, y.id, p.id, '2026-01-01', '2026-12-31', b.volume, b.unit, '6'
    FROM bench_alloc b JOIN provider pr ON pr.agb_code = b.agb JOIN youth y ON y.bsn_hash = b.bsn_hash
    JOIN LATERAL (SELECT p.id FROM product p WHERE p.region_id = 'twente' AND p.code = b.product_code ORDER BY p.valid_from DESC LIMIT 1) p ON true`);
  await db.exec('DROP TABLE bench_alloc');
  // the contract tariffs the lines were written with, from 2026 on (in place of the demo's own tariffs from then on:
  // the demo's history runs up to today)
  await db.query(`DELETE FROM tariff t USING product p WHERE p.id = t.product_id AND p.region_id = 'twente' AND t.valid_from >= '2026-01-01'`);
  await db.query(
    `INSERT INTO tariff (product_id, valid_from, amount_cents, tariff_set)
    SELECT p.id, '2026-01-01', t.cents, 'bench' FROM product p JOIN (SELECT unnest($1::text[]) AS code, unnest($2::int8[]) AS cents) t ON t.code = p.code
    WHERE p.region_id = 'twente' ON CONFLICT DO NOTHING`,
    [tariffs.map((t) => t.productCode), tariffs.map((t) => t.amountCents)],
  );
  await db.query(
    `UPDATE tariff t SET valid_to = '2026-01-01' FROM product p WHERE p.id = t.product_id AND p.region_id = 'twente' AND t.tariff_set <> 'bench' AND (t.valid_to IS NULL OR t.valid_to > '2026-01-01')`,
  );
  await db.exec('ANALYZE');
  return keys;
}
