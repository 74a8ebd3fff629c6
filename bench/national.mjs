// Time to generate the national-size data set (342 municipalities) on a PostgreSQL server:
// DATABASE_URL if set, else a throwaway server started here. Prints the figure for BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { startTempPostgres } from '../scripts/pg-temp.mjs';

let temp = null;
let url = process.env.DATABASE_URL;
if (!url) {
  temp = await startTempPostgres();
  url = temp?.url;
}
if (!url) {
  console.error('Geen PostgreSQL-server: zet DATABASE_URL of installeer postgresql');
  process.exit(2);
}
try {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/regiekamer.mjs', 'seed', '--scale', 'national'], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: url, REGIEKAMER_BSN_KEY: process.env.REGIEKAMER_BSN_KEY ?? 'ab'.repeat(32) },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`national data set: ${((performance.now() - t0) / 1000).toFixed(0)} s end to end (including migrations)`);
} finally {
  temp?.stop();
}
