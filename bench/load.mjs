// Sustained load (issue 14): `regiekamer serve --demo` on a PostgreSQL server (the three demo regions), and an open
// loop of RATE requests per second for SECONDS of the real mix: the dashboard and its rows, searching places,
// availability reports (read-modify-write with the version held), and uploads (a budget file and a declaration
// already received). Prints p50/p95/p99 per kind, every error (any other 4xx or a 5xx, or a failed connection; a 409 on a
// stale version and a 429 for a third upload at once are the protocol working and are counted apart), and the server's memory every 30 s, for BENCHMARKS.md.
//   BENCH_RATE=200 BENCH_SECONDS=600 npm run bench:load        (DATABASE_URL: a server to use; else a throwaway one)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startTempPostgres } from '../scripts/pg-temp.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const R = 'twente';

let url = process.env.DATABASE_URL || undefined,
  temp = null;
if (!url) {
  temp = await startTempPostgres();
  url = temp?.url;
}
if (!url) {
  console.error('Geen PostgreSQL-server: zet DATABASE_URL of installeer postgresql');
  process.exit(2);
}
const name = `rk_bench_load_${Date.now()}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const dbUrl = Object.assign(new URL(url), { pathname: `/${name}` }).toString();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rk-bench-load-'));
const port = 21000 + Math.floor(Math.random() * 900);
const base = `http://127.0.0.1:${port}`;
// BENCH_SERVER_NODE_ARGS: extra Node options for the server, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' for a profile
const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const server = spawn(process.execPath, [...nodeArgs, 'bin/regiekamer.mjs', 'serve', '--demo', '--port', String(port), '--host', '127.0.0.1'], {
  env: { ...process.env, DATABASE_URL: dbUrl, REGIEKAMER_DATA: dataDir, REGIEKAMER_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stop = async () => {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
  temp?.stop();
};
const t0 = performance.now();
while (
  !(await fetch(`${base}/api/health`).then(
    (r) => r.ok,
    () => false,
  ))
) {
  if (server.exitCode !== null || performance.now() - t0 > 900_000) {
    await stop();
    throw new Error('server niet gestart');
  }
  await new Promise((r) => setTimeout(r, 500));
}
console.log(`server klaar in ${((performance.now() - t0) / 1000).toFixed(0)} s (demo geladen in PostgreSQL)`);

const accounts = await (await fetch(`${base}/api/auth/demo-accounts`)).json();
const cookies = {};
for (const a of accounts) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username: a.username, password: a.password }),
  });
  cookies[a.username] = (res.headers.getSetCookie().find((c) => c.startsWith('rk_session=')) ?? '').split(';')[0];
}
const get = (p, who) => fetch(`${base}${p}`, { headers: { cookie: cookies[who] } });
const detail = await (await get(`/api/regions/${R}`, 'regio')).json();
const year = detail.demoYear ?? Math.max(...detail.years.map((y) => (typeof y === 'number' ? y : y.year)));
let own = (await (await get(`/api/regions/${R}/placement/groups?limit=200`, 'aanbieder')).json()).groups;
const decl = (await (await get(`/api/regions/${R}/ijw/messages?type=JW323`, 'gemeente')).json()).messages[0];
const declXml = decl ? await (await get(`/api/regions/${R}/ijw/messages/${decl.messageId}/xml`, 'gemeente')).arrayBuffer() : null;
const segment = detail.segments.find((x) => !x.parentId && !x.parent_id)?.code ?? detail.segments[0].code;
const budgetCsv = `CBS-code;Segment;Jaar;Bedrag (EUR)\n0153;${segment};${year};1250000,00\n`;

const MIX = [
  [0.3, 'dashboard', () => get(`/api/regions/${R}/dashboard?year=${year}`, 'regio')],
  [0.1, 'regels', () => get(`/api/regions/${R}/dashboard/rows?year=${year}&limit=50`, 'gemeente')],
  [0.35, 'zoeken', () => get(`/api/regions/${R}/placement/groups?limit=50&free=true`, 'coordinator')],
  [
    0.17,
    'beschikbaarheid',
    async () => {
      if (!own.length) return get('/api/health', 'regio');
      const g = own[Math.floor(Math.random() * own.length)];
      const occupied = Math.max(0, Math.min(g.places.staffed - g.places.reserved, g.places.occupied + (Math.random() < 0.5 ? -1 : 1)));
      const res = await fetch(`${base}/api/regions/${R}/placement/availability`, {
        method: 'PUT',
        headers: { cookie: cookies.aanbieder, 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ updates: [{ groupId: g.groupId, version: g.version, staffed: g.places.staffed, occupied, intakeOpen: true }] }),
      });
      if (res.status === 200) {
        const body = await res.clone().json();
        const u = body.updated[0];
        own = own.map((x) => (x.groupId === u.groupId ? u : x));
      }
      return res;
    },
  ],
  [
    0.05,
    'budget-upload',
    () =>
      fetch(`${base}/api/regions/${R}/budgets/import`, {
        method: 'POST',
        headers: { cookie: cookies.regio, 'content-type': 'text/csv', origin: base },
        body: budgetCsv,
      }),
  ],
  [
    0.03,
    'bericht-upload',
    () =>
      declXml
        ? fetch(`${base}/api/regions/${R}/ijw/messages`, {
            method: 'POST',
            headers: { cookie: cookies.gemeente, 'content-type': 'application/xml', origin: base },
            body: new Uint8Array(declXml),
          })
        : get('/api/health', 'regio'),
  ],
];
const pick = () => {
  let x = Math.random();
  for (const m of MIX) {
    if ((x -= m[0]) <= 0) return m;
  }
  return MIX[0];
};

const lat = Object.fromEntries(MIX.map((m) => [m[1], []]));
const errors = [];
let conflicts = 0,
  limited = 0,
  sent = 0,
  inFlight = 0,
  maxInFlight = 0;
const memory = [];
const rss = () => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
};
const memTimer = setInterval(() => memory.push(rss()), 30_000);
memory.push(rss());
const started = performance.now();
const pending = new Set();
await new Promise((done) => {
  const tick = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * RATE) - sent;
    for (let i = 0; i < due; i++) {
      sent++;
      const [, kind, run] = pick();
      const t = performance.now();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const p = Promise.resolve()
        .then(run)
        .then(
          async (res) => {
            await res.arrayBuffer();
            lat[kind].push(performance.now() - t);
            if (res.status === 409) conflicts++;
            else if (res.status === 429)
              limited++; // at most two uploads per account at a time: shedding, by design
            else if (res.status >= 400) errors.push(`${kind} ${res.status}`); // a refusal in this mix is a defect of the mix or the server
          },
          (e) => errors.push(`${kind} ${e.message}`),
        )
        .finally(() => {
          inFlight--;
          pending.delete(p);
        });
      pending.add(p);
    }
    if (performance.now() - started >= SECONDS * 1000) {
      clearInterval(tick);
      done();
    }
  }, 5);
});
await Promise.all(pending);
clearInterval(memTimer);
memory.push(rss());
const q = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const row = (k, a) => `| ${k} | ${a.length} | ${q(a, 0.5).toFixed(0)} | ${q(a, 0.95).toFixed(0)} | ${q(a, 0.99).toFixed(0)} |`;
const all = Object.values(lat).flat();
console.log(
  `\n${sent} verzoeken in ${SECONDS} s (${(sent / SECONDS).toFixed(0)}/s), hoogstens ${maxInFlight} tegelijk onderweg; fouten: ${errors.length}; versieconflicten (409): ${conflicts}; uploads boven de limiet per account (429): ${limited}`,
);
console.log('| soort | aantal | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|');
for (const [k, a] of Object.entries(lat)) console.log(row(k, a));
console.log(row('alle', all));
console.log(`geheugen van de server (RSS, MB, elke 30 s): ${memory.map((m) => m.toFixed(0)).join(' ')}`);
if (errors.length) console.log('fouten (eerste 20 soorten):', [...new Set(errors)].slice(0, 20));
await stop();
process.exit(errors.length ? 1 : 0);
