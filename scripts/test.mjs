// `npm test`: the whole suite. Type check and lint, then every test on embedded PGlite including the browser tests in
// Chromium, then every test but the browser tests again on a real PostgreSQL server (TEST_DATABASE_URL, or a
// throwaway server started here when the binaries exist). Ends with one line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTempPostgres } from './pg-temp.mjs';

const ci = process.env.CI === 'true';
const results = { passed: 0, failed: 0, skipped: 0 };
// what failed, repeated at the end: CI keeps only the tail of the output, and the count alone does not say which test
const failures = [];
let ok = true;

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${name}: ${r.status === 0 ? 'geslaagd' : 'MISLUKT'} in ${((Date.now() - t0) / 1000).toFixed(0)} s ===`);
  if (r.status !== 0) ok = false;
  return r.status === 0;
}

const firstLines = (m = '') =>
  String(m)
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 4)
    .join('\n      ')
    .slice(0, 600);

function vitest(name, env, extra = []) {
  mkdirSync('.tmp', { recursive: true });
  const out = `.tmp/vitest-${name.replace(/\W+/g, '-')}.json`;
  step(name, 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra], env);
  if (existsSync(out)) {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    results.passed += j.numPassedTests;
    results.failed += j.numFailedTests;
    results.skipped += j.numPendingTests + (j.numTodoTests ?? 0);
    for (const f of j.testResults) {
      const file = path.relative(process.cwd(), f.name);
      const failed = (f.assertionResults ?? []).filter((a) => a.status === 'failed');
      for (const a of failed) failures.push(`${name} · ${file} · ${a.fullName}\n      ${firstLines(a.failureMessages?.[0])}`);
      if (f.status === 'failed' && failed.length === 0) failures.push(`${name} · ${file}\n      ${firstLines(f.message)}`);
    }
    // the slowest files of the phase: where the suite's time goes (BENCHMARKS.md, "The suite")
    const slow = j.testResults
      .map((f) => [(f.endTime - f.startTime) / 1000, path.relative(process.cwd(), f.name)])
      .sort((a, b) => b[0] - a[0])
      .slice(0, 8);
    console.log(`langzaamste bestanden: ${slow.map(([s, f]) => `${f} ${s.toFixed(0)} s`).join(', ')}`);
  } else {
    results.failed += 1;
    failures.push(`${name}: geen rapport (vitest zelf faalde)`);
  }
}

step('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
step('lint (biome: regels en importgrenzen)', 'npm', ['run', 'lint', '--silent']);
step('web build', 'npm', ['run', 'build', '--silent']);
step('server build (dist/)', 'npm', ['run', 'build:server', '--silent']);

// Files run two at a time (one per core), each in its own process with its own database. The browser files, which
// bring a server and Chromium of their own, run two at a time in a phase of their own; the files that measure time
// (the health check during an upload, the hostile-XML time limits) run last, one at a time, so no other file's load
// falsifies what they measure.
const BROWSER = ['test/e2e/**'];
const TIMED = ['test/ijw/hostile.test.ts', 'test/http/*health*.test.ts', 'test/http/upload*.test.ts'];
const WORKERS = String(Math.max(1, Math.min(2, os.availableParallelism())));
const twoAtATime = ['--fileParallelism', `--maxWorkers=${WORKERS}`];
const parallel = [...twoAtATime, ...[...BROWSER, ...TIMED].flatMap((g) => ['--exclude', g])];
// the later phases get the files themselves (vitest's positional arguments are name filters, not globs)
const globRe = (g) =>
  new RegExp(
    `^${g
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*/g, '\u0000')
      .replace(/\*/g, '[^/]*')
      .replace(/\u0000/g, '.*')}$`,
  );
const testFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(`${dir}/${e.name}`) : e.name.endsWith('.test.ts') ? [`${dir}/${e.name}`] : [],
  );
// Files that never open a database (pure rules, the XSD, the CLI's file commands, the build): they run once, on the
// first pass; the PostgreSQL pass runs what can differ between the engines. A file in this list that starts to use a
// database is refused here, so it cannot silently miss the second engine.
const ENGINE_FREE = [
  'test/core.test.ts',
  'test/core-csv.test.ts',
  'test/boundaries.test.ts',
  'test/self-contained.test.ts',
  'test/build.test.ts',
  'test/providers/match.test.ts',
  'test/providers/files.test.ts',
  'test/placement/rules.test.ts',
  'test/funding/rules.test.ts',
  'test/tariffs/model.test.ts',
  'test/tariffs/cli.test.ts',
  'test/tariffs/band-products.test.ts',
  'test/ijw/rules.test.ts',
  'test/ijw/xsd.test.ts',
  'test/ijw/xsd-messages-nl.test.ts',
  'test/ijw/messages.test.ts',
  'test/ijw/examples.test.ts',
  'test/ijw/official.test.ts',
  'test/ijw/xsd-check.test.ts',
];
const USES_DB = /testDb|seeded(Db|Server)|openDb|TEST_DATABASE_URL|helpers\/(app|db|seed-cache)|src\/db\/|fixture\.ts|loadDemo/;
for (const f of ENGINE_FREE) {
  if (!existsSync(f)) {
    console.error(`ENGINE_FREE noemt ${f}, dat niet bestaat`);
    process.exit(1);
  }
  if (USES_DB.test(readFileSync(f, 'utf8'))) {
    console.error(`${f} gebruikt een database: haal het uit ENGINE_FREE (scripts/test.mjs)`);
    process.exit(1);
  }
}
// Files about the embedded database itself (the data-directory lock, backup and restore): they open PGlite data
// directories whatever TEST_DATABASE_URL says, so a PostgreSQL pass would only run them again. A listed file that
// starts to follow TEST_DATABASE_URL is refused here.
const EMBEDDED_ONLY = ['test/db/lock.test.ts', 'test/db/lock-cli.test.ts'];
for (const f of EMBEDDED_ONLY) {
  if (!existsSync(f)) {
    console.error(`EMBEDDED_ONLY noemt ${f}, dat niet bestaat`);
    process.exit(1);
  }
  if (/TEST_DATABASE_URL|testDb|seeded(Db|Server)|helpers\/(app|db|seed-cache|e2e)/.test(readFileSync(f, 'utf8'))) {
    console.error(`${f} volgt TEST_DATABASE_URL: haal het uit EMBEDDED_ONLY (scripts/test.mjs)`);
    process.exit(1);
  }
}
const filesOf = (globs) => ['--passWithNoTests', ...testFiles('test').filter((f) => globs.some((g) => globRe(g).test(f)))];

vitest('tests op PGlite (ingebed), twee tegelijk', { TEST_DATABASE_URL: '' }, parallel);
vitest('browsertests (Chromium, PGlite), twee tegelijk', { TEST_DATABASE_URL: '' }, [...twoAtATime, ...filesOf(BROWSER)]);
vitest('tests op PGlite (ingebed), na elkaar: tijdmetingen', { TEST_DATABASE_URL: '' }, filesOf(TIMED));

let temp = null;
let url = process.env.TEST_DATABASE_URL;
if (!url) {
  temp = await startTempPostgres();
  url = temp?.url;
}
if (url) {
  try {
    // the second engine runs what differs between the engines (the SQL), not every browser test again: the browser
    // tests drive the same server code over HTTP and run once, on the embedded database that `npm start` uses
    vitest('tests op PostgreSQL-server, twee tegelijk', { TEST_DATABASE_URL: url }, [
      ...parallel,
      ...[...ENGINE_FREE, ...EMBEDDED_ONLY].flatMap((f) => ['--exclude', f]),
    ]);
    vitest('tests op PostgreSQL-server, na elkaar: tijdmetingen', { TEST_DATABASE_URL: url }, filesOf(TIMED));
  } finally {
    temp?.stop();
  }
} else if (ci) {
  console.error('CI: geen PostgreSQL-server gevonden (apt-get install postgresql); de server-tests moeten draaien.');
  ok = false;
  results.failed += 1;
} else {
  console.log('\nPostgreSQL-server niet gevonden: de server-tests zijn overgeslagen (installeer postgresql of zet TEST_DATABASE_URL).');
}

if (failures.length) console.log(`\nmislukt:\n${failures.map((f) => `  ✗ ${f}`).join('\n')}`);
console.log(`\ntests: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(ok && results.failed === 0 ? 0 : 1);
