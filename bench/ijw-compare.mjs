// Two versions of the iJW import side by side on the bench's 100,000-line JW323 (issue 17 §3): each import in a fresh
// copy of one prepared database, the versions alternately (the machine is shared: compare pair by pair), with Node's
// CPU time, the PostgreSQL server's CPU time (its processes, from /proc) and the load; and a fingerprint of every row
// the import stored (the message, its lines, the ledger without ids, both fact tables), which must be the same for both.
//
//   node bench/ijw-compare.mjs prepare --file F [--pg URL]            the prepared database: a template database on the
//                                                                     server, or a PGlite data directory (--dump DIR),
//                                                                     which each run opens as an in-memory copy (copyOf)
//   node bench/ijw-compare.mjs run --root DIR --file F [--pg URL]     one import with the code of checkout DIR; prints JSON
//   node bench/ijw-compare.mjs pair --roots A,B --file F [--pg URL] [--n 3]   A B A B …, a line per run
//
// F is written by `npm run bench:ijw -- --write F --lines 100000`. DIR is a checkout with node_modules (a `git
// worktree` or `git archive` of the commit to compare with a link to node_modules), with a trailing slash.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { prepareBenchDatabase } from './ijw-db.mjs';

register();
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const mode = process.argv[2];
const pgUrl = arg('pg');
const dump = arg('dump', '/tmp/rk-ijw-compare-template');
const file = arg('file');
const TEMPLATE = 'rk_ijw_compare_template';
const TODAY = '2026-11-23';
const here = new URL('..', import.meta.url).href;
const dbUrl = (name) => {
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return u.href;
};
async function admin(sql) {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

/** CPU seconds of the PostgreSQL server's processes (the postmaster's children), from /proc. */
function serverCpu(postmaster) {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === postmaster || Number(pid) === postmaster) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {}
  }
  return ticks / 100;
}

/**
 * A fingerprint of what an import stores: md5 per table over its rows as JSON, without ids, timestamps and generated
 * columns (migration 037's unallocated_* are computed from the row's other columns: comparable across that migration).
 */
export async function fingerprint(db) {
  const strip = (table) => `(SELECT jsonb_object_agg(k, v) FROM jsonb_each(to_jsonb(t)) e(k, v) WHERE k <> 'id' AND k NOT LIKE '%\\_at'
    AND k NOT IN (SELECT column_name FROM information_schema.columns WHERE table_name = '${table}' AND is_generated = 'ALWAYS'))::text`;
  const of = async (table, where = 'true') =>
    (
      await db.query(
        `SELECT md5(COALESCE(string_agg(r, E'\\n' ORDER BY r), '')) AS h, count(*)::int AS n FROM (SELECT ${strip(table)} AS r FROM ${table} t WHERE ${where}) x`,
      )
    )[0];
  const out = {};
  for (const t of ['ijw_message', 'ijw_message_part', 'ijw_declaration_line', 'declaration_line', 'declaration_year_fact', 'declaration_month_fact']) {
    const r = await of(t);
    out[t] = `${r.n}:${r.h.slice(0, 12)}`;
  }
  return out;
}

/** The facts after the import equal a full recomputation from the ledger (EXCEPT both ways: 0 rows each). */
async function factsMatchRefresh(db, root) {
  const { yearFactSelect, monthFactSelect } = await import(`${root}src/monitoring/facts.ts`);
  const cols = async (t) =>
    (await db.query(`SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) AS c FROM information_schema.columns WHERE table_name = $1`, [t]))[0].c;
  const out = {};
  for (const [t, sel] of [
    ['declaration_year_fact', yearFactSelect],
    ['declaration_month_fact', monthFactSelect],
  ]) {
    const c = await cols(t);
    const [r] = await db.query(
      `SELECT (SELECT count(*) FROM (SELECT ${c} FROM ${t} EXCEPT SELECT ${c} FROM (${sel('true')}) x) a)::int AS extra,
              (SELECT count(*) FROM (SELECT ${c} FROM (${sel('true')}) x EXCEPT SELECT ${c} FROM ${t}) b)::int AS missing`,
    );
    out[t] = r;
  }
  return out;
}

if (mode === 'prepare') {
  const lines = Number(arg('allocs', '100000'));
  if (pgUrl) {
    await admin(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
    await admin(`CREATE DATABASE ${TEMPLATE}`);
    const { openDb } = await import(`${here}src/db/index.ts`);
    const db = await openDb({ databaseUrl: dbUrl(TEMPLATE) });
    await prepareBenchDatabase(db, lines);
    await db.close();
    console.log(`template database ${TEMPLATE} ready`);
  } else {
    const { openDb } = await import(`${here}src/db/index.ts`);
    rmSync(dump, { recursive: true, force: true });
    const db = await openDb({ dataDir: dump });
    await prepareBenchDatabase(db, lines);
    await db.exec('CHECKPOINT');
    await db.close();
    console.log(`PGlite data directory ${dump} ready`);
  }
  process.exit(0);
}

if (mode === 'run') {
  const root = pathToFileURL(arg('root')).href.replace(/\/?$/, '/');
  const { openDb, migrate } = await import(`${root}src/db/index.ts`);
  const { bsnKeys } = await import(`${root}src/core/bsn.ts`);
  const { importMessage } = await import(`${root}src/ijw/import.ts`);
  (await import(`${root}src/wiring.ts`)).wireCapabilities();
  let db;
  const name = `rk_ijw_compare_${process.pid}`;
  if (pgUrl) {
    await admin(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    db = await openDb({ databaseUrl: dbUrl(name) });
  } else {
    db = await openDb({ dataDir: 'memory://', copyOf: dump }); // never written: every run starts from the same database
  }
  await migrate(db); // a version with a migration of its own gets it here, outside the measurement
  await db.exec('ANALYZE');
  let postmaster = 0;
  if (pgUrl) {
    const [{ pid }] = await db.query('SELECT pg_backend_pid() AS pid');
    const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
    postmaster = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
  }
  const keys = bsnKeys('ab'.repeat(32));
  const load0 = os.loadavg()[0];
  const s0 = pgUrl ? serverCpu(postmaster) : 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await importMessage(db, file, { keys, today: TODAY });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const server = pgUrl ? serverCpu(postmaster) - s0 : null;
  const load1 = os.loadavg()[0];
  const fp = process.argv.includes('--no-fingerprint') ? null : await fingerprint(db);
  const facts = process.argv.includes('--no-fingerprint') ? null : await factsMatchRefresh(db, root);
  await db.close();
  if (pgUrl && !process.argv.includes('--keep')) await admin(`DROP DATABASE ${name}`);
  console.log(
    JSON.stringify({
      root: arg('root'),
      lines: r.lines,
      accepted: r.acceptedLines,
      seconds: +seconds.toFixed(2),
      nodeCpu: +((c.user + c.system) / 1e6).toFixed(2),
      serverCpu: server === null ? null : +server.toFixed(2),
      load: `${load0.toFixed(1)}–${load1.toFixed(1)}`,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      fingerprint: fp,
      factsVsRefresh: facts,
    }),
  );
  process.exit(0);
}

if (mode === 'pair') {
  const roots = arg('roots').split(',');
  const n = Number(arg('n', '3'));
  for (let i = 0; i < n; i++)
    for (const root of roots) {
      const p = spawnSync(
        process.execPath,
        [
          new URL(import.meta.url).pathname,
          'run',
          '--root',
          root,
          '--file',
          file,
          ...(pgUrl ? ['--pg', pgUrl] : ['--dump', dump]),
          ...process.argv.slice(3).filter((a) => a === '--no-fingerprint'),
        ],
        { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, RK_IJW_TIMING: '1' } },
      );
      if (p.status !== 0) {
        console.error(p.stderr);
        process.exit(1);
      }
      const out = JSON.parse(p.stdout.trim().split('\n').pop());
      out.breakdown = p.stderr
        .split('\n')
        .filter((l) => l.startsWith('[import]'))
        .map((l) => l.replace('[import] ', ''))
        .join('; ');
      console.log(JSON.stringify(out));
    }
  process.exit(0);
}
console.error('usage: node bench/ijw-compare.mjs prepare|run|pair … (see the head of this file)');
process.exit(2);
