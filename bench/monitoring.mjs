// Dashboard endpoints on the national data set (PostgreSQL): p50/p95 over repeated calls per endpoint,
// through HTTP against a real `regiekamer serve`. Needs DATABASE_URL pointing at a database that holds the
// national set (`npx regiekamer seed --scale national`); makes a 'bench' regio account if missing.
import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) { console.error('Zet DATABASE_URL op een database met de landelijke dataset (npx regiekamer seed --scale national)'); process.exit(2); }
const runs = Number(process.env.RUNS ?? 30);
const key = process.env.REGIEKAMER_BSN_KEY ?? 'ab'.repeat(32);
const env = { ...process.env, DATABASE_URL: url, REGIEKAMER_BSN_KEY: key };

const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows: [largest] } = await client.query(`
  SELECT m.region_id AS region, count(*)::int AS lines, min(extract(year FROM d.period_start))::int AS year
  FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
  GROUP BY m.region_id ORDER BY count(*) DESC LIMIT 1`);
const { rows: [{ total }] } = await client.query(`SELECT count(*)::int AS total FROM declaration_line`);
const { rowCount: haveBench } = await client.query(`SELECT 1 FROM account WHERE username = 'bench'`);
await client.end();
if (!haveBench) {
  const r = spawnSync(process.execPath, ['bin/regiekamer.mjs', 'user', 'add', '--username', 'bench', '--display-name', 'Benchmark', '--role', 'regio'],
    { env: { ...env, REGIEKAMER_PASSWORD: 'benchmark-wachtwoord' }, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

const port = 19000 + Math.floor(Math.random() * 1000);
const server = spawn(process.execPath, ['bin/regiekamer.mjs', 'serve', '--port', String(port)], { env: { ...env, HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
    if (i > 600) throw new Error('server niet gestart');
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'benchmark-wachtwoord' }) });
  if (!login.ok) throw new Error(`inloggen: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const r = `/api/regions/${largest.region}/dashboard`, y = largest.year;
  const endpoints = [
    `${r}?year=${y}`, `${r}/costs?year=${y}&by=segment`, `${r}/costs?year=${y}&by=productgroep`, `${r}/costs?year=${y}&by=gemeente`,
    `${r}/costs?year=${y}&by=aanbieder`, `${r}/costs?year=${y}&by=maand`, `${r}/concentration?year=${y}`, `${r}/providers?year=${y}`,
    `${r}/budget?year=${y}`, `${r}/segments.xlsx?year=${y}`, `${r}/municipalities.csv?year=${y}`,
  ];
  console.log(`landelijke dataset: ${total.toLocaleString('nl-NL')} declaratieregels; grootste regio ${largest.region} (${largest.lines.toLocaleString('nl-NL')} regels), jaar ${y}, ${runs} keer per endpoint`);
  console.log('| endpoint | p50 ms | p95 ms | max ms |\n|---|---|---|---|');
  for (const e of endpoints) {
    const times = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      const res = await fetch(base + e, { headers: { cookie } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${e}: ${res.status}`);
      if (i >= 2) times.push(performance.now() - t0); // two warm-up calls
    }
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
    console.log(`| ${e.replace(`/api/regions/${largest.region}`, '…')} | ${q(0.5).toFixed(0)} | ${q(0.95).toFixed(0)} | ${times.at(-1).toFixed(0)} |`);
  }
} finally {
  server.kill('SIGTERM');
}
