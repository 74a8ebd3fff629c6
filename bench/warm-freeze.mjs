// The longest stop of the server (event loop blocked) while the warm-up computes a region's figures again after a
// large import on the embedded database (src/warm.ts warmFigures: monitoring's and funding's first questions), on the
// database of bench/referrals.mjs (the Twente demo, the 100,000-line declaration's allocations, with --starts a JW305
// or JW307 for most of them) after importing that declaration (once, the first time on a data directory). Prints the
// warm-up's time, the longest event-loop block and the slowest statements (each blocks the loop on PGlite: the
// database runs in the server's thread).
//
//   node bench/referrals.mjs --dir DIR --starts --runs 1   (builds DIR once)
//   node bench/warm-freeze.mjs --dir DIR [--rounds 2]
import { existsSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dir = arg('dir', '.tmp/bench-referrals-db');
if (!existsSync(dir)) throw new Error(`${dir} bestaat niet: eerst node bench/referrals.mjs --dir ${dir} --starts`);
const { openDb } = await import('../src/db/index.ts');
(await import('../src/wiring.ts')).wireCapabilities();
const db = await openDb({ dataDir: dir });
const marker = path.join(dir, 'bench-imported');
if (!existsSync(marker)) {
  const { makeDeclaration } = await import('./declaration-data.mjs');
  const { writeMessageStream } = await import('../src/ijw/writer.ts');
  const { importMessage } = await import('../src/ijw/import.ts');
  const { bsnKeys } = await import('../src/core/bsn.ts');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rk-warm-freeze-'));
  const file = path.join(tmp, 'jw323.xml');
  const { envelope, clients } = await makeDeclaration(100_000);
  const out = createWriteStream(file);
  await writeMessageStream('JW323', envelope, clients, (s) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r))), {});
  await new Promise((r) => out.end(r));
  const t0 = performance.now();
  const r = await importMessage(db, file, { keys: bsnKeys('ab'.repeat(32)), today: '2026-11-23' });
  console.log(`import: ${r.status ?? ''} ${JSON.stringify(r).slice(0, 160)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(marker, '1');
}
// every statement's time, by its first words
const statements = [];
for (const m of ['query', 'exec']) {
  const orig = db[m].bind(db);
  db[m] = async (text, ...rest) => {
    const t0 = performance.now();
    try {
      return await orig(text, ...rest);
    } finally {
      statements.push({ ms: performance.now() - t0, text: String(text).replace(/\s+/g, ' ').slice(0, 160) });
    }
  };
}
const { warmFigures } = await import('../src/warm.ts');
const { raiseFactsVersionOf } = await import('../src/monitoring/index.ts');
const [{ allocations }] = await db.query(`SELECT count(*)::int AS allocations FROM allocation`);
const [{ lines }] = await db.query(`SELECT count(*)::int AS lines FROM declaration_line`);
console.log(`${allocations.toLocaleString('en')} allocations, ${lines.toLocaleString('en')} declaration lines`);
for (let round = 1; round <= Number(arg('rounds', '2')); round++) {
  // as after an import: the region's facts version raised, every kept answer stale
  const munis = (await db.query(`SELECT code FROM municipality WHERE region_id = 'twente'`)).map((m) => m.code);
  await raiseFactsVersionOf(db, munis);
  statements.length = 0;
  // the longest gap between two ticks of a 5 ms timer: how long the server could not answer
  let last = performance.now(),
    longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  await warmFigures(db);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(tick);
  longest = Math.max(longest, performance.now() - last);
  statements.sort((a, b) => b.ms - a.ms);
  console.log(
    `round ${round}: warm-up ${seconds.toFixed(1)} s, longest event-loop block ${longest.toFixed(0)} ms (load average ${os.loadavg()[0].toFixed(1)}); slowest statements:`,
  );
  for (const s of statements.slice(0, Number(arg('top', '6')))) console.log(`  ${s.ms.toFixed(0).padStart(7)} ms  ${s.text}`);
}
await db.close();
