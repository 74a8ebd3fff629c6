// Year-end statements of every provider of every region, on PostgreSQL: `npm run bench:funding`.
// Uses DATABASE_URL when it holds data (e.g. the national set of `npx regiekamer seed --scale national`); otherwise
// starts a throwaway PostgreSQL server and loads the national set into it (BENCH_SCALE=demo: the three demo regions,
// faster; BENCH_DB=pglite: the embedded database). Prints per region the time to compute all its statements (one
// grouped pass over its contracts, payments, figures and declaration facts, then the rules per contract), and the
// slowest region against the target: all statements of a region in under 5 s.
import os from 'node:os';
import pg from 'pg';
import { register } from 'tsx/esm/api';
import { startTempPostgres } from '../scripts/pg-temp.mjs';

register();
const { openDb, migrate } = await import('../src/db/index.ts');
const { regionStatements } = await import('../src/funding/index.ts');
const { bsnKeys } = await import('../src/core/bsn.ts');

const SCALE = process.env.BENCH_SCALE ?? 'national';
const RUNS = Number(process.env.RUNS ?? 3);
let databaseUrl = process.env.DATABASE_URL || undefined,
  temp = null;
if (!databaseUrl && process.env.BENCH_DB !== 'pglite') {
  temp = await startTempPostgres();
  databaseUrl = temp?.url;
  if (!databaseUrl) console.log('Geen PostgreSQL-server gevonden: de benchmark draait op PGlite (ingebed).');
}
if (databaseUrl && temp) {
  const name = `rk_bench_funding_${Date.now()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(databaseUrl);
  u.pathname = `/${name}`;
  databaseUrl = u.toString();
}
const db = await openDb(databaseUrl ? { databaseUrl } : { dataDir: 'memory://' });
try {
  await migrate(db);
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM region`);
  if (n === 0) {
    const t0 = performance.now();
    const keys = bsnKeys('cd'.repeat(32));
    if (SCALE === 'national') {
      const { generateNational } = await import('../src/demo/index.ts');
      const r = await generateNational(db, { keys, seed: 1 });
      console.log(
        `landelijke dataset geladen in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${r.declarationLines.toLocaleString('nl-NL')} declaratieregels, ${r.providers} aanbieders`,
      );
    } else {
      const { loadDemo } = await import('../src/app.ts');
      await loadDemo(db, keys);
      console.log(`demoregio's geladen in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
  const regions = await db.query(`SELECT r.id, COALESCE(r.demo_year, 2023) AS year, count(c.id)::int AS contracts
    FROM region r JOIN contract c ON c.region_id = r.id GROUP BY r.id ORDER BY count(c.id) DESC`);
  const [{ lines }] = await db.query(`SELECT count(*)::int AS lines FROM declaration_line`);
  console.log(
    `${regions.length} regio's, ${regions.reduce((a, r) => a + r.contracts, 0).toLocaleString('nl-NL')} contracten, ${lines.toLocaleString('nl-NL')} declaratieregels; ${os.cpus().length} cores, ${db.kind}`,
  );
  let worst = { id: '', ms: 0 },
    total = 0,
    statements = 0;
  for (const r of regions) {
    const times = [];
    let count = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const st = await regionStatements(db, { regionId: r.id, municipalityCode: null, providerId: null }, r.year);
      times.push(performance.now() - t);
      count = st.length;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    total += median;
    statements += count;
    if (median > worst.ms) worst = { id: r.id, ms: median };
    console.log(
      `${r.id.padEnd(34)} ${String(r.year)}  ${String(count).padStart(4)} afrekeningen (${String(r.contracts).padStart(4)} contracten)  mediaan ${median.toFixed(0).padStart(5)} ms  (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)})`,
    );
  }
  console.log(
    `alle ${statements.toLocaleString('nl-NL')} afrekeningen van alle regio's: ${(total / 1000).toFixed(1)} s; traagste regio ${worst.id}: ${(worst.ms / 1000).toFixed(2)} s (doel < 5 s: ${worst.ms < 5000 ? 'gehaald' : 'NIET gehaald'})`,
  );
} finally {
  await db.close();
  await temp?.stop?.();
}
