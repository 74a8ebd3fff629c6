// Dashboard endpoints on the national data set (PostgreSQL): p50/p95 over repeated calls per endpoint,
// through HTTP against a real `regiekamer serve`. Needs DATABASE_URL pointing at a database that holds the
// national set (`npx regiekamer seed --scale national`); makes a 'bench' regio account and a 'bench-gemeente'
// account (the region's largest municipality, for the drill-down to its lines) if missing.
import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Zet DATABASE_URL op een database met de landelijke dataset (npx regiekamer seed --scale national)');
  process.exit(2);
}
const runs = Number(process.env.RUNS ?? 30);
const key = process.env.REGIEKAMER_BSN_KEY ?? 'ab'.repeat(32);
const env = { ...process.env, DATABASE_URL: url, REGIEKAMER_BSN_KEY: key };

const client = new pg.Client({ connectionString: url });
await client.connect();
const {
  rows: [largest],
} = await client.query(`
  SELECT m.region_id AS region, count(*)::int AS lines, min(extract(year FROM d.period_start))::int AS year
  FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
  GROUP BY m.region_id ORDER BY count(*) DESC LIMIT 1`);
const {
  rows: [{ total }],
} = await client.query(`SELECT count(*)::int AS total FROM declaration_line`);
// the drill-down is timed for the largest municipality of that region (its lines, as the municipality sees them)
const {
  rows: [big],
} = await client.query(
  `
  SELECT trim(d.municipality_code) AS code FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
  WHERE m.region_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
  [largest.region],
);
const {
  rows: [seg],
} = await client.query(`SELECT code FROM segment WHERE region_id = $1 AND parent_id IS NULL ORDER BY sort_order LIMIT 1`, [largest.region]);
const accounts = [
  ['bench', 'regio', []],
  ['bench-gemeente', 'gemeente', ['--municipality', big.code]],
];
for (const [username, role, extra] of accounts) {
  const { rowCount } = await client.query(`SELECT 1 FROM account WHERE username = $1`, [username]);
  if (rowCount) continue;
  const r = spawnSync(
    process.execPath,
    ['bin/regiekamer.mjs', 'user', 'add', '--username', username, '--display-name', 'Benchmark', '--role', role, ...extra],
    { env: { ...env, REGIEKAMER_PASSWORD: 'benchmark-wachtwoord' }, stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(1);
}
await client.end();

const port = 19000 + Math.floor(Math.random() * 1000);
const server = spawn(process.execPath, ['bin/regiekamer.mjs', 'serve', '--port', String(port)], {
  env: { ...env, HOST: '127.0.0.1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    if (
      await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 600) throw new Error('server niet gestart');
    await new Promise((r) => setTimeout(r, 100));
  }
  const loginAs = async (username) => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'benchmark-wachtwoord' }),
    });
    if (!login.ok) throw new Error(`inloggen ${username}: ${login.status} ${await login.text()}`);
    return login.headers.get('set-cookie').split(';')[0];
  };
  const cookies = { regio: await loginAs('bench'), gemeente: await loginAs('bench-gemeente') };
  const r = `/api/regions/${largest.region}/dashboard`,
    y = largest.year;
  const endpoints = [
    `${r}?year=${y}`,
    `${r}/costs?year=${y}&by=segment`,
    `${r}/costs?year=${y}&by=productgroep`,
    `${r}/costs?year=${y}&by=gemeente`,
    `${r}/costs?year=${y}&by=aanbieder`,
    `${r}/costs?year=${y}&by=maand`,
    `${r}/costs?year=${y}&by=kwartaal`,
    `${r}/costs?year=${y}&by=maand&segment=${seg.code}`,
    `${r}/concentration?year=${y}`,
    `${r}/providers?year=${y}`,
    `${r}/budget?year=${y}`,
    `${r}/flows?year=${y}`,
    `/api/regions/${largest.region}/risk?year=${y}`,
    `${r}/segments.xlsx?year=${y}`,
    `${r}/municipalities.csv?year=${y}`,
    // drill-down: the region's aggregates for the whole year and for one month of one segment
    `${r}/rows?year=${y}`,
    `${r}/rows?year=${y}&segment=${seg.code}&maand=3`,
    // and a municipality's own lines (personal, audited), the first page, one month of one segment, and a month as CSV
    ['gemeente', `${r}/rows?year=${y}`],
    ['gemeente', `${r}/rows?year=${y}&segment=${seg.code}&maand=3`],
    ['gemeente', `${r}/rows.csv?year=${y}&maand=3`],
  ];
  console.log(
    `landelijke dataset: ${total.toLocaleString('nl-NL')} declaratieregels; grootste regio ${largest.region} (${largest.lines.toLocaleString('nl-NL')} regels), jaar ${y}, ${runs} keer per endpoint`,
  );
  console.log('| endpoint | p50 ms | p95 ms | max ms |\n|---|---|---|---|');
  for (const entry of endpoints) {
    const [role, e] = Array.isArray(entry) ? entry : ['regio', entry];
    const cookie = cookies[role];
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
    console.log(
      `| ${e.replace(`/api/regions/${largest.region}`, '…')}${role === 'regio' ? '' : ` (${role})`} | ${q(0.5).toFixed(0)} | ${q(0.95).toFixed(0)} | ${times.at(-1).toFixed(0)} |`,
    );
  }
} finally {
  server.kill('SIGTERM');
}
