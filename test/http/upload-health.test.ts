// No upload can freeze the server (issue 14, point 2): for every route that takes a file or a batch, the largest body
// it accepts is sent from another process while this one polls the liveness probe `/api/health`; the upload must be
// answered (never a 5xx), the answer to a refused file stays small, and the server's event loop may not stand still
// for long (the target is 100 ms; see the bounds below for where that stands).
//
// Two bounds, because the machine this runs on (2 cores shared with four other sessions' suites and browsers, load
// average up to 12) delays a process that is ready to run by well over 100 ms now and then:
// - STOP_BOUND_MS = 100 ms (UPLOAD_HEALTH_STOP_BOUND_MS) on what the server itself causes: the longest stretch in which
//   the event loop did not turn, counted as the CPU time the event loop's thread spent in it (at most its length;
//   /proc/thread-self/schedstat). A stretch in which the thread waited for a core is not a block by the upload; one in
//   which it worked is. The target is 100 ms: in the sixth session (database on disk, see beforeAll; the iJW
//   history preload's statements bounded) all 11 cases held it in two full runs at load 4–7 (the longest 97 ms, the
//   provider list), but a third run at load 6.8 had three cases at 101–121 ms (waiting times 121, cost lines JSON 105,
//   iJW 101), so 100 ms has no margin on this machine yet; 150 ms guards it with one (it was 250 ms in the fifth session,
//   when the iJW case stopped 150–234 ms). Seventh session, run with a bound of 100 ms at load 9–10: nine cases held it
//   (15–85 ms), the 10 MB document (121 ms) and the iJW file (106 ms) did not, so the bound stays 150 ms. Ninth session:
//   PGlite runs on a worker thread (src/db/db.ts), so no statement stops this thread any more, and the iJW answer
//   (JW325) is turned into bytes and hashed piece by piece instead of as one 8.5 MB string (69–100 ms); the
//   longest stops were 11–76 ms in four full runs at load 8–10 (the iJW case 36–50 ms once its answer was no longer one
//   string; 102–106 ms while its pieces went through a gzip stream instead, so they are gzipped in one go), so the bound
//   is the 100 ms.
// - LATENCY_BOUND_MS = 500 ms (UPLOAD_HEALTH_BOUND_MS) on the raw wall time of every health answer, looser only for
//   that scheduling noise: at load 7–10 single answers of 110–313 ms came while the event loop's thread had spent
//   43–60 ms of CPU in the longest stop (BENCHMARKS.md, fifth session).
// It holds against the freezes this test exists for: 647 s for one budget file of duplicate lines once (a per-line
// search through all earlier errors), 13.7 s and later 0.3–0.5 s for a provider list (a CSV pass in one piece, then one
// statement with 20,000 AGB codes), minutes for the monitoring facts of a large iJW message, about a second for a 10 MB
// document in one statement (now stored in parts of 256 kB, migration 034). On PGlite (the default) and on PostgreSQL
// (TEST_DATABASE_URL). The iJW message is the one exception to "largest": the route takes 256 MB (about 310,000 lines),
// which takes minutes here; the test sends 10,000 lines (≈ 8.5 MB, 309 kB gzipped: stored in two parts), enough to
// have every statement of the import on the embedded database run long, and `npm run bench:upload-health` measures
// the health check during the 256 MB file against `regiekamer serve` (BENCHMARKS.md). UPLOAD_HEALTH_PROFILE=dir writes a CPU
// profile per case and prints when the longest stop ended (in the profile's clock), to find what blocked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoPassword, login, seededServer } from '../helpers/app.ts';
import { MAX_CSV_BYTES } from '../../src/http/upload.ts';
import { CSV_HEADER as RISK_HEADER } from '../../src/monitoring/risk.ts';
import { CSV_HEADER as WAIT_HEADER } from '../../src/placement/csv.ts';
import { FIGURES_CSV_HEADER } from '../../src/funding/csv.ts';
import { IMPORT_FIELDS } from '../../src/providers/import.ts';
import { REGION_PRESETS } from '../../src/catalog/index.ts';
import { syntheticBsn } from '../../src/demo/index.ts';
import { writeMessageStream } from '../../src/ijw/writer.ts';
import { messageXml } from '../../src/ijw/store.ts';
import { FILE_PART_BYTES } from '../../src/db/index.ts';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
let base = '';
let dir = '';
const cookies: Record<string, string> = {};
const R = '/api/regions/twente';
const MB = 1024 * 1024;
// On a PostgreSQL server the iJW case stopped 124 ms once in a clean-clone run (ninth session; the pg driver's COPY
// does not yield while the socket takes its lines): 150 ms there until that is found, 100 ms on PGlite
const STOP_BOUND_MS = Number(process.env.UPLOAD_HEALTH_STOP_BOUND_MS ?? (process.env.TEST_DATABASE_URL ? 150 : 100));
const LATENCY_BOUND_MS = Number(process.env.UPLOAD_HEALTH_BOUND_MS ?? 500);
let application = 0;
let providerAgb = '';
let contractId = 0;
let nacContract = 0;
let ijwSha = '';
let groups: { id: number; version: number }[] = [];
let segment = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rk-upload-health-'));
  // on PGlite the database is in a data directory on disk, as `regiekamer serve` keeps it: PGlite's in-memory file
  // system (the other tests' default) copies a whole file each time it grows by an eighth, a stop of 130–230 ms of
  // the event loop's thread on the Twente seed's large tables that a server on disk does not have
  // (UPLOAD_HEALTH_IN_MEMORY=1 measures in memory instead)
  ctx = await seededServer(['twente'], { dataDir: process.env.UPLOAD_HEALTH_IN_MEMORY ? undefined : path.join(dir, 'data') });
  for (const r of ['regio', 'gemeente', 'aanbieder', 'coordinator']) cookies[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
  base = await ctx.server.listen({ port: 0, host: '127.0.0.1' });
  const own = (
    await ctx.db.query(
      `SELECT a.provider_id AS id, trim(p.agb_code) AS agb FROM account a JOIN provider p ON p.id = a.provider_id WHERE a.username = 'aanbieder'`,
    )
  )[0];
  providerAgb = own.agb;
  contractId = (await ctx.db.query(`SELECT id FROM contract WHERE provider_id = $1 AND region_id = 'twente' ORDER BY id LIMIT 1`, [own.id]))[0].id;
  // a contract of the region on real costs (nacalculatie) running in 2026, for the cost statement
  nacContract = (
    await ctx.db.query(
      `SELECT id FROM contract WHERE region_id = 'twente' AND provider_id = $1 AND valid_from <= '2026-12-31' AND (valid_to IS NULL OR valid_to > '2026-01-01') ORDER BY id LIMIT 1`,
      [own.id],
    )
  )[0].id;
  await ctx.db.query(`UPDATE contract SET funding_form = 'nacalculatie' WHERE id = $1`, [nacContract]);
  groups = await ctx.db.query(
    `SELECT g.id, g.availability_version AS version FROM care_group g JOIN location l ON l.id = g.location_id WHERE l.provider_id = $1 ORDER BY g.id`,
    [own.id],
  );
  const seg = (await ctx.db.query(`SELECT code FROM segment WHERE region_id = 'twente' AND parent_id IS NULL ORDER BY sort_order LIMIT 1`))[0].code;
  segment = seg;
  const post = (role: string, url: string, payload: unknown) =>
    ctx.server.inject({ method: 'POST', url, payload: payload as any, headers: { cookie: cookies[role] } });
  expect((await post('regio', `${R}/admission/windows`, { segmentCode: seg, opensOn: '2020-01-01', closesOn: '2099-12-31' })).statusCode).toBe(201);
  application = (await post('aanbieder', `${R}/admission/applications`, { segmentCode: seg, municipalityCode: '0153' })).json().id;
  await (await fetch(`${base}/api/health`)).text();
}, 900_000);
afterAll(async () => {
  await ctx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * CPU time (ms) of the thread the server's event loop runs on (this one), from Linux's /proc/thread-self/schedstat
 * (nanoseconds on the CPU): the XSD and JSON worker threads and V8's concurrent GC threads do not hold the event loop
 * and are not counted. Elsewhere the whole process's CPU time, which is stricter.
 */
const threadCpuMs = (() => {
  try {
    readFileSync('/proc/thread-self/schedstat', 'utf8');
    return () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return () => {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    };
  }
})();

/** Sends `file` from a child process (as a browser would: this process only polls) and polls the health check meanwhile. */
async function uploadWhilePolling(role: string, method: string, url: string, contentType: string, file: string) {
  const uploader = `const r = await fetch(process.argv[1], { method: process.argv[5], headers: { cookie: process.argv[2], 'content-type': process.argv[6], origin: process.argv[3] },
    body: (await import('node:fs')).readFileSync(process.argv[4]) }); process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() }));`;
  // the child first: spawning it takes this process's event loop for a moment, which is not the server's latency
  const t0 = performance.now();
  let done = false;
  const upload = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', uploader, `${base}${url}`, cookies[role], base, file, method, contentType]);
    let out = '',
      err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`uploader: ${err}`));
      }
    });
  }).finally(() => {
    done = true;
  });
  await (await fetch(`${base}/api/health`)).text(); // reopen a kept-alive connection untimed
  const latencies: number[] = [];
  // The server runs in this process. Every stretch in which its event loop did not turn is measured as the CPU time
  // the event loop's thread spent in it (at most its length): on a machine shared with other work, a stretch in which
  // the thread was simply not scheduled is not a block by the upload, while one in which it worked is. (Until the
  // fifth session this counted the whole process's CPU, so the XSD and JSON workers and V8's concurrent GC threads,
  // running while the main thread waited for a core, made a stop look like a block.)
  const blocks: number[] = [];
  const ends: number[] = []; // when each stop ended, in µs of the monotonic clock (a CPU profile's timestamps)
  // the same measured with the whole process's CPU (the worker threads and GC threads too), as before the fifth session:
  // printed beside it, so that figures stay comparable with the earlier ones in BENCHMARKS.md
  const processBlocks: number[] = [];
  const processCpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  let lastT = performance.now(),
    lastC = threadCpuMs(),
    lastP = processCpuMs();
  const monitor = setInterval(() => {
    const t = performance.now(),
      c = threadCpuMs(),
      p = processCpuMs();
    const gap = t - lastT,
      cpu = c - lastC;
    if (gap > 20) {
      blocks.push(Math.min(gap, cpu));
      processBlocks.push(Math.min(gap, p - lastP));
      ends.push(Number(process.hrtime.bigint() / 1000n));
    }
    lastT = t;
    lastC = c;
    lastP = p;
  }, 5);
  const poll = (async () => {
    while (!done) {
      const t = performance.now();
      await (await fetch(`${base}/api/health`)).text();
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const res = await upload;
  await poll;
  clearInterval(monitor);
  return { ...res, seconds: (performance.now() - t0) / 1000, latencies, blocks, processBlocks, ends };
}

/** Lines repeated up to (not over) `bytes`, after a header. */
function fill(header: string, line: (i: number) => string, bytes: number): string {
  const parts = [header];
  let size = Buffer.byteLength(header);
  for (let i = 0; ; i++) {
    const l = line(i);
    const n = Buffer.byteLength(l);
    if (size + n > bytes) break;
    parts.push(l);
    size += n;
  }
  return parts.join('');
}

async function jw323(file: string, lines: number) {
  const products = REGION_PRESETS.twente.products;
  const clients = [];
  let total = 0;
  for (let n = 0, c = 0; n < lines; c++) {
    const prestaties = [];
    for (let j = 0; j < 2 && n < lines; j++, n++) {
      const p = products[n % products.length];
      const volume = 4,
        amount = volume * p.tariffCents;
      total += amount;
      prestaties.push({
        ProductReferentie: { ReferentieNummer: `H${n}` },
        ToewijzingNummer: 900000 + n,
        ProductCategorie: p.code.slice(0, 2),
        ProductCode: p.code,
        ProductPeriode: { Begindatum: '2026-0' + (j + 2) + '-01', Einddatum: j ? '2026-03-31' : '2026-02-28' },
        GeleverdVolume: volume,
        Eenheid: p.unit,
        ProductTarief: p.tariffCents,
        IngediendBedrag: { Bedrag: amount, DebetCredit: 'D' },
      });
    }
    clients.push({ Bsn: syntheticBsn(500000 + c), Prestaties: { Prestatie: prestaties } });
  }
  const envelope = {
    Header: {
      BerichtCode: '490',
      BerichtVersie: 3,
      BerichtSubversie: 2,
      Afzender: providerAgb,
      Ontvanger: '0153',
      BerichtIdentificatie: { Identificatie: 'HEALTH0001', Dagtekening: '2026-05-06' },
      XsdVersie: { BasisschemaXsdVersie: '1.0.0', BerichtXsdVersie: '1.0.0' },
    },
    Declaratie: {
      DeclaratieNummer: 'HEALTH2026',
      DeclaratiePeriode: { Begindatum: '2026-04-01', Einddatum: '2026-04-30' },
      DeclaratieDagtekening: '2026-05-06',
      TotaalIngediendBedrag: { TotaalBedrag: total, DebetCredit: 'D' },
      Clienten: { Client: [] },
    },
  };
  const out = createWriteStream(file);
  await writeMessageStream('JW323', envelope as any, clients as any, (s: string) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r))));
  await new Promise((r) => out.end(r));
}

interface Case {
  name: string;
  role: string;
  method?: string;
  url: () => string;
  type: string;
  body: (file: string) => Promise<void> | void;
  accepted: number[];
  /** what else the answer must be, beyond its status, size and the health check */
  check?: (res: { status: number; body: string; seconds: number }) => Promise<void> | void;
}
let budgetLines = 0;
let budgetsBefore: unknown;
let costLinesBefore = 0;
const costLines = async () =>
  (await ctx.db.query(`SELECT count(*)::int AS n FROM funding_cost_line WHERE contract_id = $1 AND year = 2026`, [nacContract]))[0].n as number;
const budgetRows = () => ctx.db.query(`SELECT count(*)::int AS n, COALESCE(sum(amount_cents), 0)::int8 AS s FROM budget`);
const cases: Case[] = [
  // every line after the first a duplicate of it: the file that once took 647 s of one core (a per-line search through
  // all earlier errors); refused fast with the first 1,000 errors and a count, nothing stored
  {
    name: 'budgetten (CSV, 5 MB, elke regel dubbel)',
    role: 'regio',
    url: () => `${R}/budgets/import`,
    type: 'text/csv',
    accepted: [400],
    body: async (f) => {
      budgetsBefore = await budgetRows();
      const text = fill('CBS-code;Segment;Jaar;Bedrag (EUR)\n', () => `0153;${segment};2026;1000,00\n`, MAX_CSV_BYTES);
      budgetLines = text.split('\n').length - 2;
      writeFileSync(f, text);
    },
    check: async (res) => {
      const problem = JSON.parse(res.body);
      expect(problem.errors).toHaveLength(1000);
      expect(problem.errorCount).toBe(budgetLines - 1); // every line but the first is a duplicate of it
      expect(problem.errors[0]).toMatchObject({ line: 3, field: 'CBS-code' });
      expect(res.body.length).toBeLessThan(300_000);
      expect(res.seconds).toBeLessThan(20);
      expect(await budgetRows()).toEqual(budgetsBefore); // nothing stored
    },
  },
  {
    name: 'jaarcijfers risicomonitor (CSV, 5 MB)',
    role: 'regio',
    url: () => `${R}/risk/import`,
    type: 'text/csv',
    accepted: [400],
    body: (f) =>
      writeFileSync(
        f,
        fill(
          RISK_HEADER.join(';') + '\n',
          () => `${providerAgb};2024;1000000;900000;10000;200000;500000;300000;150000;600000;12,5;jaarrekening\n`,
          MAX_CSV_BYTES,
        ),
      ),
  },
  {
    name: 'wachttijden van aanbieders (CSV in JSON, 900.000 tekens)',
    role: 'coordinator',
    url: () => `${R}/placement/provider-waiting-times`,
    type: 'application/json',
    accepted: [200, 400],
    body: (f) => {
      const csv = fill(
        WAIT_HEADER + '\n',
        (i) => `Onbekende Zorg ${i % 4000};;Behandelgroep;behandelgroep;Enschede;12-18;;;${i % 20};${(i % 20) + 2};2026-11-01;website;\n`,
        899_000,
      );
      writeFileSync(f, JSON.stringify({ fileName: 'wachttijden.csv', csv }));
    },
  },
  {
    name: 'kwartaalcijfers (CSV, 1 MB)',
    role: 'regio',
    url: () => `${R}/funding/figures/import`,
    type: 'text/csv',
    accepted: [200, 400],
    body: (f) =>
      writeFileSync(
        f,
        fill(FIGURES_CSV_HEADER + '\n', (i) => `${contractId};${2015 + (i % 80)};${1 + (i % 4)};10;1;1;100;1000,00\n`, 1 * MB - 1024),
      ),
  },
  {
    name: 'kwartaalcijfers (JSON, 5.000 regels)',
    role: 'regio',
    url: () => `${R}/funding/figures`,
    type: 'application/json',
    accepted: [200, 400],
    body: (f) =>
      writeFileSync(
        f,
        JSON.stringify({
          rows: Array.from({ length: 5000 }, (_, i) => ({
            contractId,
            year: 2015 + (i % 80),
            quarter: 1 + (i % 4),
            clientsInCare: 10,
            started: 1,
            stopped: 1,
            hours: 100,
            realisedCents: 100000,
          })),
        }),
      ),
  },
  {
    name: 'kostenverantwoording (JSON, 1 MB)',
    role: 'regio',
    url: () => `${R}/funding/cost-lines`,
    type: 'application/json',
    accepted: [200, 400, 409, 422],
    body: (f) => {
      const lines = [];
      for (let i = 0, size = 0; size < 1 * MB - 200; i++) {
        const l = { category: `kosten ${i}`, amountCents: 1000 + i, eligible: true };
        lines.push(l);
        size += JSON.stringify(l).length + 1;
      }
      lines.pop();
      writeFileSync(f, JSON.stringify({ contractId, year: 2026, lines }));
    },
  },
  // parsed whole once (splitCsv); now a record at a time with a yield every 20 ms, and written 500 lines per statement
  // (one statement for the file's 40,000 lines carried 280,000 parameters): a contract on real costs, so it is stored
  {
    name: 'kostenverantwoording (CSV, 1 MB)',
    role: 'regio',
    url: () => `${R}/funding/cost-lines/import`,
    type: 'text/csv',
    accepted: [200],
    body: async (f) => {
      costLinesBefore = await costLines();
      writeFileSync(
        f,
        fill(
          'contract;jaar;categorie;bedrag (euro);subsidiabel\n',
          (i) => `${nacContract};2026;kosten ${i % 500};${1000 + (i % 90)},00;${i % 7 ? 'ja' : 'nee'}\n`,
          1 * MB - 1024,
        ),
      );
    },
    check: async (res) => {
      const { imported } = JSON.parse(res.body);
      expect(imported).toBeGreaterThan(20_000);
      expect(await costLines()).toBe(costLinesBefore + imported);
    },
  },
  // a 10 MB provider list held the event loop 330–460 ms in one step: the look-up of its 20,000 AGB codes in one
  // statement (now 500 per statement), besides parsing 10 MB of JSON (now in a worker) and its CSV (now record by record)
  {
    name: 'aanbiederslijst (CSV in JSON, 20.000 regels, proefrun)',
    role: 'regio',
    url: () => `${R}/providers/import`,
    type: 'application/json',
    accepted: [200, 400],
    body: (f) => {
      const header = IMPORT_FIELDS.map((x) => x.label).join(';') + '\n';
      // the route takes 20,000 lines at most (and 11 MB): long lines up to that
      const pad = 'x'.repeat(200);
      const content = Array.from(
        { length: 20_000 },
        (_, i) => `Jeugdhulp Proef ${i} ${pad};;${String(70000000 + i)};;;;;Locatie ${i} ${pad};Hoofdstraat;${1 + (i % 200)};7511AA;Enschede;0153\n`,
      ).join('');
      writeFileSync(f, JSON.stringify({ fileName: 'aanbieders.csv', format: 'csv', content: header + content, dryRun: true }));
    },
  },
  {
    name: 'document bij een toelatingsaanvraag (PDF, 10 MB)',
    role: 'aanbieder',
    url: () => `${R}/admission/applications/${application}/evidence/verzekering/document?fileName=polis.pdf&validUntil=2027-01-01`,
    type: 'application/pdf',
    accepted: [201],
    body: (f) => {
      const head = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n`;
      const tail = '\ntrailer<</Root 1 0 R>>\n%%EOF\n';
      writeFileSync(f, Buffer.concat([Buffer.from(head), Buffer.alloc(10 * MB - head.length - tail.length - 16, '% opvulling\n'), Buffer.from(tail)]));
    },
  },
  {
    name: 'beschikbaarheid (JSON, 500 wijzigingen)',
    role: 'aanbieder',
    method: 'PUT',
    url: () => `${R}/placement/availability`,
    type: 'application/json',
    accepted: [200, 400, 409],
    body: (f) =>
      writeFileSync(
        f,
        JSON.stringify({
          updates: Array.from({ length: 500 }, (_, i) => ({
            groupId: groups[i % groups.length].id,
            version: groups[i % groups.length].version,
            staffed: 8,
            occupied: 4,
          })),
        }),
      ),
  },
  {
    name: 'iJW-declaratie JW323 (10.000 regels)',
    role: 'gemeente',
    url: () => `${R}/ijw/messages`,
    type: 'application/xml',
    accepted: [200],
    body: async (f) => {
      await jw323(f, 10_000);
      ijwSha = createHash('sha256').update(readFileSync(f)).digest('hex');
    },
    // the gzipped file is stored in parts of at most 256 kB (migration 034) and reads back as the exact bytes sent
    check: async (res) => {
      const { messageId } = JSON.parse(res.body);
      const [stored] = await ctx.db.query(
        `SELECT octet_length(m.xml_gzip) AS first, (SELECT count(*)::int FROM ijw_message_part p WHERE p.message_id = m.id) AS parts,
        (SELECT COALESCE(sum(octet_length(p.bytes)), 0)::int FROM ijw_message_part p WHERE p.message_id = m.id) AS rest FROM ijw_message m WHERE m.id = $1`,
        [messageId],
      );
      expect(stored.first).toBeLessThanOrEqual(FILE_PART_BYTES);
      expect(stored.parts).toBe(Math.ceil((stored.first + stored.rest) / FILE_PART_BYTES) - 1);
      if (process.env.UPLOAD_HEALTH_LOG) process.stdout.write(`iJW file: ${stored.first + stored.rest} bytes gzipped, ${stored.parts} parts after the first\n`);
      expect(
        createHash('sha256')
          .update((await messageXml(ctx.db, messageId)).xml)
          .digest('hex'),
      ).toBe(ijwSha);
    },
  },
];

describe('de server blijft antwoorden tijdens de grootste upload van elke import', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const file = path.join(dir, c.name.replace(/[^a-z0-9]+/gi, '-'));
      await c.body(file);
      const bytes = statSync(file).size;
      // UPLOAD_HEALTH_PROFILE=dir writes a CPU profile of this process (the server) per case, for finding a block
      const profiler = process.env.UPLOAD_HEALTH_PROFILE ? new Session() : null;
      if (profiler) {
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
        await profiler.post('Profiler.start');
      }
      const res = await uploadWhilePolling(c.role, c.method ?? 'POST', c.url(), c.type, file);
      if (profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(path.join(process.env.UPLOAD_HEALTH_PROFILE!, `${c.name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`), JSON.stringify(profile));
        profiler.disconnect();
      }
      rmSync(file, { force: true });
      const longest = Math.max(0, ...res.blocks);
      if (profiler && longest > 0)
        process.stdout.write(`${c.name}: longest stop ${longest.toFixed(0)} ms ended at ${res.ends[res.blocks.indexOf(longest)]} µs\n`);
      const label =
        `${c.name}: ${bytes} bytes, ${res.status} in ${res.seconds.toFixed(1)} s; longest event-loop stop with the event loop thread's CPU ${longest.toFixed(0)} ms ` +
        `(with the process's CPU ${Math.max(0, ...res.processBlocks).toFixed(0)} ms); ` +
        `health latencies (ms): ${res.latencies.map((x) => x.toFixed(0)).join(' ')}; ${res.body.slice(0, 300)}`;
      if (process.env.UPLOAD_HEALTH_LOG) process.stdout.write(`${label.slice(0, 1500)}\n`);
      expect(c.accepted, label).toContain(res.status);
      expect(res.body.length, label).toBeLessThan(400_000); // at most 1,000 errors and a count, never megabytes
      expect(res.latencies.length, label).toBeGreaterThan(0); // the health check answered throughout
      expect(longest, label).toBeLessThan(STOP_BOUND_MS); // what the server caused: the event loop's thread busy
      expect(Math.max(...res.latencies), label).toBeLessThan(LATENCY_BOUND_MS); // wall time, scheduling noise included
      await c.check?.(res);
    });
  }
});
