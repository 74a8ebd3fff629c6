// The health check during the largest upload the server accepts (issue 14, point 2): a JW323 of about 256 MB
// (310,000 declaration lines, just under the route's 256 MiB limit) sent to `regiekamer serve` on the embedded
// database (PGlite, a data directory on disk as `serve` keeps it) with the Twente demo loaded and the allocations the
// file declares on, while this process polls `GET /api/health` every ~20 ms. Prints and writes (JSON) the health
// latencies (max, p99, p50, how many over 100 ms), the server's longest stop (the longest health answer counted as the
// CPU time the server's event-loop thread spent during it, from /proc/PID/task/PID/schedstat: a wait for a core on a
// shared machine is not a block by the upload), the server's memory (RSS before, peak, after; from /proc/PID/status),
// its CPU time (user and system, /proc/PID/stat), the load average, and the time of the upload and import end to end.
//
//   npm run bench:upload-health [-- --lines 310000] [--dir DIR] [--interval 20] [--out FILE] [--prepare-only] [--after S]
//
// The figures are of the answers that ended before the uploader had its answer (the upload and its import); --after S
// polls on for S seconds after it and reports those apart ("afterTheAnswer": what the server does once the import has
// committed, such as the warm-up recomputing the figures the import made stale, src/warm.ts). `node
// bench/profile-stops.mjs --profile DIR/….cpuprofile --samples FILE` lists, for a run with --profile DIR and --out FILE,
// what the server ran during each answer in which its main thread spent more than 60 ms of CPU.
//
// --dir keeps the generated file and the prepared data directory between runs (they take minutes to make); the
// upload is imported into a copy of the prepared data directory, so every run starts from the same database.
// Linux only (/proc). The upload is sent by a child process, as a browser would, so this process only polls.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDeclaration } from './declaration-data.mjs';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const LINES = Number(arg('lines', '310000'));
const INTERVAL = Number(arg('interval', '20'));
// --after S: go on polling for S seconds after the upload's answer (what the server does once the import committed,
// e.g. the warm-up computing the figures the import made stale, src/warm.ts); reported apart from the upload itself
const AFTER_S = Number(arg('after', '0'));
const MUNICIPALITY = '0153'; // Enschede: the demo account 'gemeente'
const AGB = '98110001'; // the first Twente demo provider

/** The declaration as data (bench/declaration-data.mjs, as bench:ijw but to Enschede): every line valid, each on an allocation of its own. */
const makeData = (lines) => makeDeclaration(lines, { municipality: MUNICIPALITY, agb: AGB, identification: 'HEALTHBENCH1', number: 'HEALTH202604' });

// --- child steps (with tsx): write the file; prepare the data directory
if (arg('step') === 'write') {
  const { register } = await import('tsx/esm/api');
  register();
  const { writeMessageStream } = await import('../src/ijw/writer.ts');
  const { envelope, clients } = await makeData(LINES);
  const out = createWriteStream(arg('file'));
  await writeMessageStream('JW323', envelope, clients, (s) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r))));
  await new Promise((r) => out.end(r));
  process.exit(0);
}
if (arg('step') === 'prepare') {
  const { register } = await import('tsx/esm/api');
  register();
  const dataDir = arg('data');
  const { loadConfig } = await import('../src/config.ts');
  const { openDb, migrate, copyLine } = await import('../src/db/index.ts');
  const { bsnKeys, bsnLookupHash } = await import('../src/core/bsn.ts');
  const { loadDemo } = await import('../src/app.ts');
  const { ensureDemoAccounts } = await import('../src/access/demo.ts');
  const config = loadConfig({ demo: true, dataDir }); // the demo's BSN key, kept in the data directory, as serve uses it
  const keys = bsnKeys(config.bsnKey);
  const db = await openDb({ dataDir });
  await migrate(db);
  await loadDemo(db, keys, undefined, ['twente']);
  const { accounts } = await ensureDemoAccounts(db);
  const { allocations, products } = await makeData(LINES);
  await db.exec(`CREATE TEMP TABLE bench_alloc (nr text, bsn_hash text, product_code text, unit char(2))`);
  await db.copyRows(
    'bench_alloc',
    ['nr', 'bsn_hash', 'product_code', 'unit'],
    allocations.map((a) => copyLine([a.assignmentNumber, bsnLookupHash(keys, a.bsn), a.productCode, a.unit])),
    50_000,
  );
  await db.query(`INSERT INTO youth (bsn_encrypted, bsn_hash, pseudonym, birth_date, gender, municipality_code)
    SELECT DISTINCT ON (b.bsn_hash) '\\x00'::bytea, b.bsn_hash, 'B-' || substr(b.bsn_hash, 1, 12), '2012-01-01', '1', '${MUNICIPALITY}'
    FROM bench_alloc b WHERE NOT EXISTS (SELECT 1 FROM youth y WHERE y.bsn_hash = b.bsn_hash)`);
  await db.query(`INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency)
    SELECT b.nr, '${MUNICIPALITY}', pr.id, y.id, p.id, '2026-01-01', '2026-12-31', 400, b.unit, '6'
    FROM bench_alloc b JOIN provider pr ON pr.agb_code = '${AGB}' JOIN youth y ON y.bsn_hash = b.bsn_hash
    JOIN LATERAL (SELECT p.id FROM product p WHERE p.region_id = 'twente' AND p.code = b.product_code ORDER BY p.valid_from DESC LIMIT 1) p ON true`);
  await db.query(
    `INSERT INTO tariff (product_id, valid_from, amount_cents, tariff_set)
    SELECT p.id, '2026-01-01', t.cents, 'bench' FROM product p JOIN (SELECT unnest($1::text[]) AS code, unnest($2::int8[]) AS cents) t ON t.code = p.code
    WHERE p.region_id = 'twente' ON CONFLICT DO NOTHING`,
    [products.map((p) => p.code), products.map((p) => p.tariffCents)],
  );
  // the demo's own tariffs: those from before 2026 end with 2025, those of 2026 get the amounts the file declares
  await db.query(
    `UPDATE tariff t SET valid_to = '2026-01-01' FROM product p WHERE p.id = t.product_id AND p.region_id = 'twente' AND t.tariff_set <> 'bench'
     AND t.valid_from < '2026-01-01' AND (t.valid_to IS NULL OR t.valid_to > '2026-01-01')`,
  );
  await db.query(
    `UPDATE tariff t SET amount_cents = x.cents FROM product p JOIN (SELECT unnest($1::text[]) AS code, unnest($2::int8[]) AS cents) x ON x.code = p.code
     WHERE p.id = t.product_id AND p.region_id = 'twente' AND t.valid_from >= '2026-01-01' AND t.valid_from <= '2026-04-30'`,
    [products.map((p) => p.code), products.map((p) => p.tariffCents)],
  );
  await db.exec('ANALYZE');
  await db.close();
  writeFileSync(path.join(dataDir, 'bench-accounts.json'), JSON.stringify(accounts));
  process.exit(0);
}
if (arg('step') === 'upload') {
  // the uploader: the whole file from disk as one body, as a browser sends it
  const body = readFileSync(arg('file'));
  const t = performance.now();
  const r = await fetch(arg('url'), { method: 'POST', headers: { cookie: arg('cookie'), 'content-type': 'application/xml', origin: arg('origin') }, body });
  const text = await r.text();
  process.stdout.write(JSON.stringify({ status: r.status, seconds: (performance.now() - t) / 1000, body: text.slice(0, 2000) }));
  process.exit(0);
}

// --- the measurement
const work = arg('dir') ?? mkdtempSync(path.join(os.tmpdir(), 'rk-upload-health-'));
mkdirSync(work, { recursive: true });
const file = path.join(work, `jw323-${LINES}.xml`);
const prepared = path.join(work, `data-${LINES}`);
const run = (args) => {
  const r = spawnSync(process.execPath, [here, ...args, '--lines', String(LINES)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) throw new Error(`${args[1]} failed`);
};
if (!existsSync(file)) {
  const t = performance.now();
  run(['--step', 'write', '--file', file]);
  console.log(`file written: ${(statSync(file).size / 1048576).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}
if (!existsSync(path.join(prepared, 'bench-accounts.json'))) {
  const t = performance.now();
  rmSync(prepared, { recursive: true, force: true });
  run(['--step', 'prepare', '--data', prepared]);
  console.log(`data directory prepared (Twente demo + ${LINES} allocations) in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}
if (process.argv.includes('--prepare-only')) process.exit(0);
const dataDir = path.join(work, 'run-data');
rmSync(dataDir, { recursive: true, force: true });
cpSync(prepared, dataDir, { recursive: true });
const accounts = JSON.parse(readFileSync(path.join(prepared, 'bench-accounts.json'), 'utf8'));
const password = accounts.find((a) => a.username === 'gemeente').password;

const port = 20000 + (process.pid % 20000);
const base = `http://127.0.0.1:${port}`;
// --profile DIR: the server writes a CPU profile (node --cpu-prof) into DIR when it stops; every health sample carries
// the monotonic clock (µs, the profile's clock) at which it started, to find what ran during a slow answer
const profileDir = arg('profile');
const server = spawn(
  process.execPath,
  [
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    path.join(root, 'bin/regiekamer.mjs'),
    'serve',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
  ],
  {
    cwd: root,
    env: { ...process.env, REGIEKAMER_DATA: dataDir, REGIEKAMER_DEMO: '1', REGIEKAMER_LOG_LEVEL: process.env.REGIEKAMER_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const stopServer = () => {
  try {
    server.kill('SIGTERM');
  } catch {}
};
process.on('exit', stopServer);
const pid = server.pid;

const schedstatMs = () => Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6; // the main thread's CPU
const tick = os.constants?.CLK_TCK ?? 100;
const cpuTimes = () => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(f[11]) / 100, system: Number(f[12]) / 100 }; // clock ticks (USER_HZ = 100 on Linux)
};
void tick;
const memory = () => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
};

const t0 = performance.now();
for (;;) {
  try {
    if ((await fetch(`${base}/api/health`)).ok) break;
  } catch {}
  if (server.exitCode !== null) throw new Error('serve stopped');
  await new Promise((r) => setTimeout(r, 200));
}
console.log(`serve answered its health check after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const login = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: base },
  body: JSON.stringify({ username: 'gemeente', password }),
});
if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
const cookie = (login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie')]).map((c) => c.split(';')[0]).find((c) => c.startsWith('rk_session='));
// a few warm-up answers, untimed
for (let i = 0; i < 20; i++) await (await fetch(`${base}/api/health`)).text();

const load0 = os.loadavg();
const cpu0 = cpuTimes();
const mem0 = memory();
let done = false;
let answeredAt = Number.POSITIVE_INFINITY; // when the uploader got its answer (performance.now())
let peakRss = mem0.rssMb;
const upload = new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [
    here,
    '--step',
    'upload',
    '--file',
    file,
    '--url',
    `${base}/api/regions/twente/ijw/messages`,
    '--cookie',
    cookie,
    '--origin',
    base,
  ]);
  let out = '',
    err = '';
  child.stdout.on('data', (d) => {
    if (answeredAt === Number.POSITIVE_INFINITY) answeredAt = performance.now();
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  child.on('exit', () => {
    try {
      resolve(JSON.parse(out));
    } catch {
      reject(new Error(`uploader: ${err}`));
    }
  });
}).finally(async () => {
  if (AFTER_S > 0) await new Promise((r) => setTimeout(r, AFTER_S * 1000));
  done = true;
});
const samples = []; // [start s, latency ms, main-thread CPU ms during it]
const loads = [];
let lastLoad = 0;
while (!done) {
  const c = schedstatMs();
  const t = performance.now();
  const mono = Number(process.hrtime.bigint() / 1000n);
  await (await fetch(`${base}/api/health`)).text();
  const latency = performance.now() - t;
  samples.push([(t - t0) / 1000, latency, Math.min(latency, schedstatMs() - c), mono]);
  peakRss = Math.max(peakRss, memory().rssMb);
  if (t - lastLoad > 10_000) {
    loads.push(os.loadavg()[0]);
    lastLoad = t;
  }
  await new Promise((r) => setTimeout(r, INTERVAL));
}
const result = await upload;
const cpu1 = cpuTimes();
const mem1 = memory();
const load1 = os.loadavg();
stopServer();
if (profileDir) await new Promise((r) => server.once('exit', r)); // the profile is written as it exits

// the upload itself: the answers that ended before the uploader had its answer; the rest (--after) apart
const answeredS = (answeredAt - t0) / 1000;
const during = samples.filter((s) => s[0] + s[1] / 1000 <= answeredS);
const lat = during.map((s) => s[1]).sort((a, b) => a - b);
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
const worst = during.reduce((a, s) => (s[2] > a[2] ? s : a), [0, 0, 0]);
const slowest = during.reduce((a, s) => (s[1] > a[1] ? s : a), [0, 0, 0]);
const afterAnswer = samples.filter((s) => s[0] + s[1] / 1000 > answeredS);
const afterWorst = afterAnswer.reduce((a, s) => (s[2] > a[2] ? s : a), [0, 0, 0]);
let body;
try {
  body = JSON.parse(result.body);
} catch {
  body = result.body;
}
const report = {
  lines: LINES,
  fileMb: +(statSync(file).size / 1048576).toFixed(1),
  status: result.status,
  import: typeof body === 'object' ? { lines: body.lines, acceptedLines: body.acceptedLines, rejectedLines: body.rejectedLines, outcome: body.outcome } : body,
  uploadAndImportSeconds: +result.seconds.toFixed(1),
  health: {
    answers: lat.length,
    maxMs: +lat[lat.length - 1].toFixed(1),
    p99Ms: +q(0.99).toFixed(1),
    p50Ms: +q(0.5).toFixed(1),
    over100: lat.filter((x) => x > 100).length,
    slowestAt: `${slowest[0].toFixed(1)} s (main thread CPU in it ${slowest[2].toFixed(0)} ms)`,
  },
  longestStopMs: +worst[2].toFixed(1),
  longestStopAt: `${worst[0].toFixed(1)} s (its answer took ${worst[1].toFixed(0)} ms)`,
  uploadAnsweredAtS: +answeredS.toFixed(1),
  // the answers that ended after the upload's answer (the import committed; with --after S, S seconds of them)
  afterTheAnswer: {
    answers: afterAnswer.length,
    maxMs: +Math.max(0, ...afterAnswer.map((s) => s[1])).toFixed(1),
    over100: afterAnswer.filter((s) => s[1] > 100).length,
    longestStopMs: +afterWorst[2].toFixed(1),
    longestStopAt: `${afterWorst[0].toFixed(1)} s (its answer took ${afterWorst[1].toFixed(0)} ms)`,
  },
  serverCpu: { userS: +(cpu1.user - cpu0.user).toFixed(1), systemS: +(cpu1.system - cpu0.system).toFixed(1) },
  serverMemoryMb: { before: mem0.rssMb, peakSampled: peakRss, peakVmHWM: mem1.peakMb, after: mem1.rssMb },
  loadAverage: { before: load0.map((x) => +x.toFixed(2)), during: loads.map((x) => +x.toFixed(2)), after: load1.map((x) => +x.toFixed(2)) },
  cores: os.cpus().length,
  at: new Date().toISOString(),
};
console.log(JSON.stringify(report, null, 2));
const out = arg('out');
if (out) writeFileSync(out, JSON.stringify({ ...report, samples: samples.map((s) => s.map((x, i) => (i === 3 ? x : +x.toFixed(1)))) }));
rmSync(dataDir, { recursive: true, force: true });
if (!arg('dir')) rmSync(work, { recursive: true, force: true });
process.exit(result.status === 200 ? 0 : 1);
