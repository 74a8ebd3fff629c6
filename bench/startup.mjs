// Time from `regiekamer serve --demo` to the first served page: cold (fresh data dir: migrations and
// demo data for three regions) and warm (restart on the same data). Prints the figures for BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const port = 18000 + Math.floor(Math.random() * 1000);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rk-bench-'));

async function timeToFirstPage() {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/regiekamer.mjs', 'serve', '--demo'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REGIEKAMER_DATA: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        const body = await res.text();
        if (res.ok && body.includes('<html')) return (performance.now() - t0) / 1000;
      } catch {
        /* not yet listening */
      }
      await new Promise((r) => setTimeout(r, 100));
      if (performance.now() - t0 > 300_000) throw new Error('no page after 300 s');
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
}

const cold = await timeToFirstPage();
const warm = await timeToFirstPage();
rmSync(dataDir, { recursive: true, force: true });
console.log(`startup: cold (fresh ./data, demo data for 3 regions) ${cold.toFixed(1)} s; warm (restart) ${warm.toFixed(1)} s`);
