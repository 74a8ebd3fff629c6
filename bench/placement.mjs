// The coordination point under load: a national-size register (10,000 groups over all 42 jeugdzorgregio's), a real
// `regiekamer serve` on loopback, and 100 concurrent clients for 30 seconds mixing searches for places (as the
// coordinator, random region and filters) with availability reports (each client as one provider, read-modify-write
// with the version it holds). Prints p50/p95/p99 and throughput per kind, and every error. Target: search p95 < 50 ms,
// no errors. National size belongs on a PostgreSQL server (docs/architecture.md): a fresh database on DATABASE_URL's
// server, else a throwaway server started here (as bench:national does); BENCH_DB=pglite measures the embedded database.
//   BENCH_GROUPS=10000 BENCH_CLIENTS=100 BENCH_SECONDS=30 BENCH_UPDATE_SHARE=0.1 npm run bench:placement
// Clients send their next request as soon as the last answer is in (closed loop: the latency is mostly queueing
// at full load); BENCH_THINK_MS=1000 makes each client wait 0–2 × that between requests, like people at a screen.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { register } from 'tsx/esm/api';
import { startTempPostgres } from '../scripts/pg-temp.mjs';

register();
const { openDb, migrate, copyLine } = await import('../src/db/index.ts');
const { loadReferenceData, loadRegionPreset, municipalities, presetFor } = await import('../src/catalog/index.ts');
const { createAccount, createSession } = await import('../src/access/store.ts');
const { Rng } = await import('../src/core/random.ts');

const GROUPS = Number(process.env.BENCH_GROUPS ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const UPDATE_SHARE = Number(process.env.BENCH_UPDATE_SHARE ?? 0.1);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 0);
const KEY = 'cd'.repeat(32);
const rng = new Rng(5);

// --- a fresh database ----------------------------------------------------------------------------------
let dataDir = null,
  databaseUrl = process.env.DATABASE_URL || undefined,
  temp = null;
if (!databaseUrl && process.env.BENCH_DB !== 'pglite') {
  temp = await startTempPostgres();
  databaseUrl = temp?.url;
  if (!databaseUrl) console.log('Geen PostgreSQL-server gevonden: de benchmark draait op PGlite (ingebed).');
}
if (databaseUrl) {
  const name = `rk_bench_placement_${Date.now()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(databaseUrl);
  u.pathname = `/${name}`;
  databaseUrl = u.toString();
} else {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rk-bench-placement-'));
}
const t0 = performance.now();
const db = await openDb({ databaseUrl, dataDir: dataDir ?? undefined });
await migrate(db);
await loadReferenceData(db);
const all = municipalities();
const regionNames = [...new Set(all.map((m) => m.jeugdzorgregio))].sort();
const GROUP_TYPES = {
  '44B06': 'pleeggezin',
  '43A10': 'gezinshuis',
  '43A36': 'specialistisch_wonen',
  '43A37': 'behandelgroep',
  '46A03': 'crisis',
  '43A11': 'logeren',
};
const TYPE_WEIGHTS = { pleeggezin: 30, gezinshuis: 15, specialistisch_wonen: 15, behandelgroep: 25, crisis: 8, logeren: 7 };
const EXPERTISE = ['hechting', 'trauma', 'lvb', 'autisme', 'agressie', 'psychiatrie'];
const providerRows = [],
  contractRows = [],
  locationRows = [],
  groupRows = [];
let providerId = 0,
  locationId = 0,
  groupId = 0,
  contractId = 0;
const regions = [];
for (const name of regionNames) {
  const preset = presetFor(name);
  await loadRegionPreset(db, preset);
  const ms = all.filter((m) => m.jeugdzorgregio === name);
  const products = await db.query(`SELECT id, code FROM product WHERE region_id = $1 AND code = ANY($2)`, [preset.id, Object.keys(GROUP_TYPES)]);
  const [segment] = await db.query(`SELECT id FROM segment WHERE region_id = $1 AND parent_id IS NULL ORDER BY sort_order LIMIT 1`, [preset.id]);
  const groups = Math.round((GROUPS * ms.length) / all.length);
  const nProviders = Math.max(3, Math.round(groups / 18));
  const locs = [];
  regions.push({ id: preset.id, groups });
  for (let p = 0; p < nProviders; p++) {
    const id = ++providerId;
    providerRows.push(copyLine([id, `77${String(id).padStart(6, '0')}`, `Benchaanbieder ${id}`, ms[p % ms.length].code]));
    contractRows.push(copyLine([++contractId, preset.id, id, segment.id, 'pq', '2025-01-01']));
    for (let l = 0; l < 1 + (p % 3); l++) {
      locationRows.push(copyLine([++locationId, id, `Locatie ${locationId}`, ms[rng.int(0, ms.length - 1)].code]));
      locs.push(locationId);
    }
  }
  const typed = products.map((p) => ({ id: p.id, type: GROUP_TYPES[p.code] }));
  for (let g = 0; g < groups; g++) {
    const product = typed[rng.weighted(typed.map((t) => TYPE_WEIGHTS[t.type]))];
    const physical = product.type === 'pleeggezin' ? rng.int(1, 3) : rng.int(4, 10);
    const staffed = physical - (rng.next() < 0.2 ? 1 : 0);
    const occupied = Math.max(0, staffed - rng.weighted([50, 25, 15, 10]));
    const expertise = EXPERTISE.filter(() => rng.next() < 0.25);
    groupRows.push(
      copyLine([
        ++groupId,
        locs[g % locs.length],
        `Groep ${groupId}`,
        product.type,
        product.id,
        physical,
        physical,
        product.type === 'pleeggezin' ? null : physical * 25,
        product.type === 'crisis' ? 0 : rng.pick([0, 4, 12]),
        rng.pick([12, 17, 17]),
        'gemengd',
        `{${expertise.join(',')}}`,
        '{}',
        staffed,
        occupied,
        1,
        new Date(Date.now() - rng.int(0, 72) * 3600_000).toISOString(),
      ]),
    );
  }
}
await db.copyRows('provider', ['id', 'agb_code', 'name', 'home_municipality_code'], providerRows);
await db.copyRows('contract', ['id', 'region_id', 'provider_id', 'segment_id', 'funding_form', 'valid_from'], contractRows);
await db.copyRows('location', ['id', 'provider_id', 'name', 'municipality_code'], locationRows);
await db.copyRows(
  'care_group',
  [
    'id',
    'location_id',
    'name',
    'group_type',
    'product_id',
    'places_physical',
    'places_contracted',
    'roster_hours_week',
    'age_min',
    'age_max',
    'gender',
    'expertise',
    'target_groups',
    'places_staffed',
    'places_occupied',
    'availability_version',
    'availability_updated_at',
  ],
  groupRows,
);
for (const t of ['provider', 'contract', 'location', 'care_group'])
  await db.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
await db.query('ANALYZE');
const [{ n: groupCount }] = await db.query(`SELECT count(*)::int AS n FROM care_group`);

// accounts: the coordinator searches; each client reports for one provider (the providers with most groups)
const coordinatorId = await createAccount(db, {
  username: 'bench-coordinator',
  displayName: 'Coördinatiepunt (bench)',
  password: 'bench-wachtwoord-lang',
  role: 'coordinator',
});
const coordinatorCookie = `rk_session=${(await createSession(db, coordinatorId)).token}`;
const busiest = await db.query(
  `SELECT l.provider_id AS id, m.region_id FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code
   GROUP BY l.provider_id, m.region_id ORDER BY count(*) DESC, l.provider_id LIMIT $1`,
  [CLIENTS],
);
const providers = [];
for (const p of busiest) {
  const id = await createAccount(db, {
    username: `bench-aanbieder-${p.id}`,
    displayName: `Planner ${p.id}`,
    password: 'bench-wachtwoord-lang',
    role: 'aanbieder',
    providerId: p.id,
  });
  providers.push({ regionId: p.region_id, cookie: `rk_session=${(await createSession(db, id)).token}` });
}
await db.close();
const prepared = (performance.now() - t0) / 1000;

// --- the server --------------------------------------------------------------------------------------
const port = 20000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
// BENCH_PROFILE=<dir>: a CPU profile of the server, written when it stops
const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
const server = spawn(process.execPath, [...profile, 'bin/regiekamer.mjs', 'serve', '--port', String(port), '--host', '127.0.0.1'], {
  env: { ...process.env, DATABASE_URL: databaseUrl ?? '', REGIEKAMER_DATA: dataDir ?? '', REGIEKAMER_BSN_KEY: KEY, REGIEKAMER_DEMO: '' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stop = async () => {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  temp?.stop();
};
try {
  for (let i = 0; ; i++) {
    if (
      await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 1200) throw new Error('server niet gestart');
    await new Promise((r) => setTimeout(r, 100));
  }
  const get = (url, cookie) => fetch(base + url, { headers: { cookie } });
  // warm up: every region once (the register loads a region on first use), every provider's groups once
  for (const r of regions) await (await get(`/api/regions/${r.id}/placement/groups?limit=1`, coordinatorCookie)).arrayBuffer();

  const stats = { search: [], update: [], errors: [], conflicts: 0 };
  const types = Object.keys(TYPE_WEIGHTS);
  const searchUrl = () => {
    const r = regions[rng.int(0, regions.length - 1)].id;
    const q = new URLSearchParams({
      limit: '50',
      type: rng.pick(types),
      ...(rng.next() < 0.7 && { age: String(rng.int(3, 17)) }),
      ...(rng.next() < 0.5 && { free: 'true' }),
      ...(rng.next() < 0.3 && { expertise: rng.pick(EXPERTISE) }),
    });
    return `/api/regions/${r}/placement/groups?${q}`;
  };
  const deadline = Date.now() + SECONDS * 1000;
  const client = async (i) => {
    const me = providers[i % providers.length];
    let own = (await (await get(`/api/regions/${me.regionId}/placement/groups`, me.cookie)).json()).groups;
    while (Date.now() < deadline) {
      if (THINK_MS) await new Promise((r) => setTimeout(r, rng.next() * 2 * THINK_MS));
      const t = performance.now();
      if (rng.next() < UPDATE_SHARE && own.length) {
        const g = own[rng.int(0, own.length - 1)];
        const occupied = Math.max(0, Math.min(g.places.staffed - g.places.reserved, g.places.occupied + (rng.next() < 0.5 ? -1 : 1)));
        const res = await fetch(`${base}/api/regions/${me.regionId}/placement/availability`, {
          method: 'PUT',
          headers: { cookie: me.cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ updates: [{ groupId: g.groupId, version: g.version, staffed: g.places.staffed, occupied, intakeOpen: true }] }),
        });
        const body = await res.json();
        stats.update.push(performance.now() - t);
        if (res.status === 200) {
          const u = body.updated[0];
          own = own.map((x) => (x.groupId === u.groupId ? u : x));
        } else {
          stats.errors.push(`PUT ${res.status} ${body.detail ?? ''}`);
          if (res.status === 409) stats.conflicts++;
        }
      } else {
        const url = searchUrl();
        const res = await get(url, coordinatorCookie);
        await res.arrayBuffer();
        stats.search.push(performance.now() - t);
        if (!res.ok) stats.errors.push(`GET ${res.status} ${url}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i).catch((e) => stats.errors.push(String(e)))));
  const elapsed = (performance.now() - started) / 1000;

  const q = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : NaN;
  };
  const row = (name, xs) =>
    `| ${name} | ${xs.length.toLocaleString('nl-NL')} | ${(xs.length / elapsed).toFixed(0)} | ${q(xs, 0.5).toFixed(1)} | ${q(xs, 0.95).toFixed(1)} | ${q(xs, 0.99).toFixed(1)} | ${Math.max(...xs).toFixed(0)} |`;
  const cpu = os.cpus();
  console.log(
    `\nbench:placement — ${groupCount.toLocaleString('nl-NL')} groepen in ${regions.length} regio's, ${CLIENTS} gelijktijdige clients, ${elapsed.toFixed(1)} s, ${Math.round(UPDATE_SHARE * 100)}% beschikbaarheidsmeldingen, ${THINK_MS ? `denktijd gemiddeld ${THINK_MS} ms` : 'zonder denktijd (gesloten lus)'}`,
  );
  console.log(
    `database: ${databaseUrl ? 'PostgreSQL-server' : 'PGlite (ingebed)'}; machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, Node ${process.version}, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}; voorbereiding ${prepared.toFixed(0)} s`,
  );
  console.log('| soort | verzoeken | per seconde | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|');
  console.log(row('zoeken (plekken)', stats.search));
  console.log(row('beschikbaarheid melden', stats.update));
  console.log(row('samen', [...stats.search, ...stats.update]));
  console.log(
    `fouten: ${stats.errors.length}${stats.conflicts ? ` (waarvan ${stats.conflicts} versieconflicten)` : ''}${stats.errors.length ? '\n  ' + [...new Set(stats.errors)].slice(0, 5).join('\n  ') : ''}`,
  );
  const p95 = q(stats.search, 0.95);
  console.log(`doel zoeken p95 < 50 ms en geen fouten: ${p95 < 50 && !stats.errors.length ? 'gehaald' : 'NIET gehaald'} (p95 ${p95.toFixed(1)} ms)`);
  if (stats.errors.length) process.exitCode = 1;
} finally {
  await stop();
}
