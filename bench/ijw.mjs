// iJW benchmark: a generated JW323 of 100,000 declaration lines (Prestaties) on the Twente demo product book
// (national product codes, the demo tariffs, the 14 Twente municipalities, valid BSNs; sent by the first Twente demo
// provider, AGB 98110001), then:
//   - side by side on a 10,000-line JW323: the official validator (Zorginstituut's stylesheet after the JDK's XSD check,
//     scripts/ijw-official/Official.java: what a provider runs) and `regiekamer ijw validate` from the command line
//     (compiled JavaScript, a process of its own, end to end), with both verdicts (they must be the same) and the
//     ratio. Needs a JDK; without one (or with --no-official) this part is left out
//   - XSD check alone: the checker generated from the XSDs (what validate and the import run) and libxml2-wasm (the
//     reference, in parts of 1 MB)
//   - read + rules within the message and against the national lists (the default of `ijw validate`)
//   - read + all rules incl. the history layer against an in-memory history holding every allocation
//   - `ijw validate` end to end (XSD and rules in one pass)
//   - the import end to end on PGlite against the Twente demo data: hash, XSD, read, all rules incl. the history
//     from the database, COPY of the lines, booking in declaration_line and the JW325 answer, in one transaction
//     (the allocations the file declares on are added to the demo first, outside the measurement; the quarter-size
//     file is imported against the same allocations as the full one). The XSD is checked in the same pass as the
//     rules and the COPY (the import's default for declarations from 4 MB)
//   - the database's share alone (nothing parsed or judged): COPY of the lines and the booking statement; and the
//     ledger by COPY with and without its secondary indexes, the least any import on PGlite must spend
// Each measurement runs in its own process, so peak RSS belongs to that step. Memory flat in file size is
// shown by running read + rules on a quarter of the file too. Prints the figures for BENCHMARKS.md.
//
//   npm run bench:ijw [-- --lines 100000] [--disk]   (--disk: the databases in a data directory, as `serve` keeps them;
//                                                     default in memory)
//   npm run bench:ijw -- --write FILE [--lines N] [--compact]   only write the generated declaration to FILE
//   npm run bench:ijw -- --side-by-side                         only the 10,000-line comparison with the official validator
//   npm run bench:ijw -- --pg                                   the imports on a temporary PostgreSQL server too
//   npm run bench:ijw -- --import-only [--pg]                   only the 100,000-line import (and its quarter)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { makeDeclaration } from './declaration-data.mjs';
import { openBenchDatabase } from './ijw-db.mjs';

register();
const here = fileURLToPath(import.meta.url);
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};

const TODAY = '2026-11-23';

/** The declaration as data (bench/declaration-data.mjs): deterministic, every line valid against the rules and the XSD. */
const makeData = (lines) => makeDeclaration(lines);

async function writeFile(file, lines, indent) {
  const { writeMessageStream } = await import('../src/ijw/writer.ts');
  const { envelope, clients } = await makeData(lines);
  const out = createWriteStream(file);
  await writeMessageStream('JW323', envelope, clients, (s) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r))), { indent });
  await new Promise((r) => out.end(r));
  return clients.length;
}

/**
 * The import's database: PGlite in memory (with --disk: in a data directory on disk, as `regiekamer serve` keeps it),
 * or a fresh database on the temporary PostgreSQL server (RK_BENCH_PG_URL), prepared by bench/ijw-db.mjs.
 */
const benchDatabase = (lines) => openBenchDatabase(Number(arg('allocs', String(lines))), { disk: process.argv.includes('--disk') });

// --- one measured step, in a child process
async function phase(name, file, lines) {
  const t0 = performance.now();
  let result = {};
  if (name === 'xsd') {
    const { validateXsd } = await import('../src/ijw/xsd.ts');
    const r = await validateXsd(file);
    result = { valid: r.valid, findings: r.findings.length };
  } else if (name === 'xsdgen') {
    const { checkXsd } = await import('../src/ijw/xsd-stream.ts');
    const r = await checkXsd(file);
    result = { valid: r.valid, findings: r.findings.length };
  } else if (name === 'official') {
    // the official validator as a provider runs it: a JVM, the stylesheet compiled, the JDK's XSD check, the stylesheet
    const { officialVerdicts } = await import('../src/ijw/official.ts');
    const v = (await officialVerdicts([file])).get(file);
    const codes = [...new Set(v.findings.map((f) => f.code))].sort();
    return {
      valid: v.xsd && !v.error && v.findings.length === 0,
      xsd: v.xsd,
      codes,
      error: v.error,
      seconds: (performance.now() - t0) / 1000,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } else if (name === 'saxes') {
    // the floor: saxes alone with empty handlers, on the same chunks
    const { SaxesParser } = await import('saxes');
    const { textChunks } = await import('../src/ijw/source.ts');
    const p = new SaxesParser({});
    p.on('opentag', () => {});
    p.on('closetag', () => {});
    p.on('text', () => {});
    for await (const c of textChunks(file)) p.write(c);
    p.close();
    result = { lines };
  } else if (name === 'read') {
    const { readMessage } = await import('../src/ijw/reader.ts');
    let n = 0;
    for await (const e of readMessage(file)) if (e.kind === 'client') n += e.client.Prestaties.Prestatie.length;
    result = { lines: n };
  } else if (name === 'rules' || name === 'history') {
    const { readMessage } = await import('../src/ijw/reader.ts');
    const { checkMessage } = await import('../src/ijw/rules/engine.ts');
    let history;
    if (name === 'history') {
      const { MemoryHistory } = await import('../src/ijw/history-memory.ts');
      const { allocations, tariffs } = await makeData(lines);
      history = new MemoryHistory({ allocations, tariffs });
    }
    const t1 = performance.now(); // exclude building the history data
    const r = await checkMessage(readMessage(file), { today: TODAY, history });
    result = { lines: r.lines, findings: r.findingCount, codes: [...new Set(r.findings.map((f) => f.code))] };
    return { ...result, seconds: (performance.now() - t1) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  } else if (name === 'import') {
    const { importMessage } = await import('../src/ijw/import.ts');
    (await import('../src/wiring.ts')).wireCapabilities();
    const { db, keys } = await benchDatabase(lines);
    const rssBefore = process.resourceUsage().maxRSS / 1024;
    const mem0 = process.memoryUsage(); // external: PGlite's WebAssembly memory (with memory:// it holds the database too)
    const cpu0 = process.cpuUsage();
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const loop = monitorEventLoopDelay({ resolution: 5 }); // the longest the event loop was held by one piece of work
    const t1 = performance.now();
    loop.enable();
    const r = await importMessage(db, file, { keys, today: TODAY });
    loop.disable();
    const seconds = (performance.now() - t1) / 1000;
    const eventLoop = { maxMs: Math.round(loop.max / 1e6), p99Ms: Math.round(loop.percentile(99) / 1e6) };
    const cpu = process.cpuUsage(cpu0); // both threads: the main one and the XSD worker
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const mem1 = process.memoryUsage();
    const memory = {
      heapMb: Math.round(mem1.heapUsed / 1048576),
      externalBeforeMb: Math.round(mem0.external / 1048576),
      externalAfterMb: Math.round(mem1.external / 1048576),
    };
    const rejectCodes = Object.fromEntries(
      (
        await db.query(
          `SELECT f->>'code' AS code, count(*)::int AS n FROM ijw_declaration_line, jsonb_array_elements(findings) f WHERE message_id = $1 GROUP BY 1`,
          [r.messageId],
        )
      ).map((x) => [x.code, x.n]),
    );
    await db.close();
    return {
      lines: r.lines,
      eventLoop,
      rejectCodes,
      messageFindings: r.findings.slice(0, 3),
      accepted: r.acceptedLines,
      rejected: r.rejectedLines,
      status: r.status,
      seconds,
      cpuSeconds,
      memory,
      rssBeforeMb: rssBefore,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } else if (name === 'dbfloor' || name === 'ledger' || name === 'ledger-pkey-only') {
    // The database's own share of an import, with nothing parsed or judged: the same rows as the import writes.
    //   dbfloor: COPY of the lines into ijw_declaration_line + the import's booking (bookLines: COPY of the rows it holds)
    //   ledger: the booked rows straight into declaration_line by COPY (the cheapest way to write the ledger)
    //   ledger-pkey-only: the same without the ledger's secondary indexes (what the ledger costs bare)
    const { copyLine } = await import('../src/db/index.ts');
    const { bsnLookupHash } = await import('../src/core/bsn.ts');
    const { LINE_COLUMNS } = await import('../src/ijw/import.ts');
    const { bookLines } = await import('../src/funding/index.ts');
    const { db, keys } = await benchDatabase(lines);
    const { envelope, clients } = await makeData(lines);
    const [{ id: providerId }] = await db.query(`SELECT id FROM provider WHERE agb_code = '98110001'`);
    const municipality = envelope.Header.Ontvanger;
    const timings = {};
    await db
      .transaction(async (tx) => {
        await tx.query(`SET LOCAL session_replication_role = replica`); // the floor: without the foreign-key checks the import runs
        const [{ id: messageId }] = await tx.query(
          `INSERT INTO ijw_message (message_type, direction, identification, sender_code, receiver_code, municipality_code, provider_id, content_hash, status, xml_gzip, size_bytes)
        VALUES ('JW323', 'in', 'FLOOR', '98110001', $1, $3, $2, 'floor', 'verwerkt', '\\x00', 1) RETURNING id`,
          [municipality, providerId, municipality],
        );
        if (name === 'dbfloor') {
          const rows = [];
          let n = 0;
          clients.forEach((c, k) => {
            const hash = bsnLookupHash(keys, c.Bsn);
            for (const p of c.Prestaties.Prestatie) {
              rows.push(
                copyLine([
                  messageId,
                  ++n,
                  k + 1,
                  hash,
                  providerId,
                  p.ProductReferentie.ReferentieNummer,
                  null,
                  envelope.Declaratie.DeclaratieNummer,
                  p.ToewijzingNummer,
                  p.ProductCategorie,
                  p.ProductCode,
                  p.ProductPeriode.Begindatum,
                  p.ProductPeriode.Einddatum,
                  p.GeleverdVolume,
                  p.Eenheid,
                  p.ProductTarief,
                  p.IngediendBedrag.Bedrag,
                  'D',
                ]),
              );
            }
          });
          let t = performance.now();
          await tx.copyRows('ijw_declaration_line', LINE_COLUMNS, rows);
          timings.copy = (performance.now() - t) / 1000;
          // the booking as the import does it: by COPY of the rows it holds, each line on its allocation (read first, outside the timing)
          const allocs = await tx.query(
            `SELECT a.id, a.provider_id, a.youth_id, a.product_id FROM allocation a
          WHERE a.municipality_code = $1 AND a.assignment_number::int8 > 100000 ORDER BY a.assignment_number::int8`,
            [municipality],
          );
          const prestaties = clients.flatMap((c) => c.Prestaties.Prestatie);
          const toBook = prestaties.map((p, i) => {
            const a = allocs[p.ToewijzingNummer - 100001];
            return {
              messageId,
              lineNo: i + 1,
              allocationId: a.id,
              municipalityCode: municipality,
              providerId: a.provider_id,
              youthId: a.youth_id,
              productId: a.product_id,
              periodStart: p.ProductPeriode.Begindatum,
              periodEnd: p.ProductPeriode.Einddatum,
              volume: p.GeleverdVolume,
              unit: p.Eenheid,
              tariffCents: p.ProductTarief,
              amountCents: p.IngediendBedrag.Bedrag,
              debitCredit: 'D',
            };
          });
          t = performance.now();
          timings.booked = (await bookLines(tx, () => toBook)).booked;
          timings.book = (performance.now() - t) / 1000;
        } else {
          // the booked rows as the booking makes them, read first (outside the timing)
          const booked = await tx.query(
            `SELECT a.id, a.municipality_code, a.provider_id, a.youth_id, a.product_id FROM allocation a
          WHERE a.municipality_code = $1 AND a.assignment_number::int8 > 100000 ORDER BY a.assignment_number::int8`,
            [municipality],
          );
          const prestaties = clients.flatMap((c) => c.Prestaties.Prestatie);
          const rows = prestaties.map((p, i) => {
            const a = booked[p.ToewijzingNummer - 100001];
            return copyLine([
              a.id,
              a.municipality_code,
              a.provider_id,
              a.youth_id,
              a.product_id,
              p.ProductPeriode.Begindatum,
              p.ProductPeriode.Einddatum,
              p.GeleverdVolume,
              p.Eenheid,
              p.ProductTarief,
              p.IngediendBedrag.Bedrag,
              'D',
              'geaccepteerd',
              'jw323',
              messageId,
              i + 1,
            ]);
          });
          if (name === 'ledger-pkey-only') {
            // every secondary index the migrations left on the ledger (the primary key stays)
            const secondary = await tx.query(
              `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'declaration_line' AND indexname <> 'declaration_line_pkey'`,
            );
            for (const i of secondary) await tx.query(`DROP INDEX ${i.name}`);
          }
          const t = performance.now();
          const { LEDGER_COLUMNS } = await import('../src/funding/ledger.ts'); // the columns bookLines copies
          await tx.copyRows('declaration_line', LEDGER_COLUMNS, rows);
          timings.ledger = (performance.now() - t) / 1000;
        }
        throw new Error('rollback'); // measured only: nothing stays
      })
      .catch((e) => {
        if (e.message !== 'rollback') throw e;
      });
    await db.close();
    const seconds = (timings.copy ?? 0) + (timings.book ?? 0) + (timings.ledger ?? 0);
    return { lines, ...timings, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  } else if (name === 'validate') {
    const { validateFile } = await import('../src/ijw/validate.ts');
    const v = await validateFile(file, { today: TODAY });
    result = { valid: v.valid, lines: v.lines, findings: v.findingCount };
  }
  return { ...result, seconds: (performance.now() - t0) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

if (arg('write')) {
  // only generate: npm run bench:ijw -- --write /tmp/jw323.xml --lines 100000
  const n = await writeFile(arg('write'), Number(arg('lines', '100000')), process.argv.includes('--compact') ? false : undefined);
  console.log(`${arg('write')}: ${n} clients`);
  process.exit(0);
}

if (arg('phase')) {
  const r = await phase(arg('phase'), arg('file'), Number(arg('lines')));
  process.stdout.write(JSON.stringify(r) + '\n');
  process.exit(0);
}

/**
 * CPU seconds (user + system) of the child processes this process has waited for, from /proc/self/stat (cutime and
 * cstime: a child's own waited-for children included, so the JVM under the official phase counts). Wall time on a
 * shared machine says more about the other work on it than about the program; CPU time much less so.
 */
function childCpu() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / 100; // clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** `regiekamer ijw validate FILE --json` as a user runs it: its own process, compiled JavaScript; wall and CPU time. */
function cli(file) {
  const bin = fileURLToPath(new URL('../bin/regiekamer.mjs', import.meta.url));
  const c0 = childCpu();
  const t0 = performance.now();
  const p = spawnSync(process.execPath, [bin, 'ijw', 'validate', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = childCpu() - c0;
  if (p.status !== 0 && p.status !== 1) throw new Error(`ijw validate: ${p.stderr}`);
  const [v] = JSON.parse(p.stdout);
  return { seconds, cpu, valid: v.valid, codes: [...new Set(v.findings.map((f) => f.code))].sort() };
}

const run = (name, file, lines, allocs = lines) => {
  // the import prints where its time goes (RK_IJW_TIMING: hash+gzip, XSD, rules with COPY and history look-ups, booking)
  const p = spawnSync(
    process.execPath,
    [here, '--phase', name, '--file', file, '--lines', String(lines), '--allocs', String(allocs), ...(process.argv.includes('--disk') ? ['--disk'] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, RK_IJW_TIMING: name === 'import' ? '1' : '' } },
  );
  if (p.status !== 0) throw new Error(`${name}: ${p.stderr}`);
  const r = JSON.parse(p.stdout.trim().split('\n').pop());
  if (name === 'import')
    r.breakdown = p.stderr
      .split('\n')
      .filter((l) => l.startsWith('[import]'))
      .slice(-8)
      .map((l) => l.replace('[import] ', ''))
      .join('; ');
  return r;
};

const lines = Number(arg('lines', '100000'));
const dir = mkdtempSync(path.join(os.tmpdir(), 'rk-ijw-bench-'));
try {
  const file = path.join(dir, 'jw323.xml');
  const quarter = path.join(dir, 'jw323-kwart.xml');
  const compact = path.join(dir, 'jw323-compact.xml');
  const { jdkAvailable } = await import('../src/ijw/official.ts');
  if (!process.argv.includes('--no-official') && jdkAvailable()) {
    // side by side on 10,000 lines: the official validator and `regiekamer ijw validate`, end to end each
    const small = path.join(dir, 'jw323-10k.xml');
    await writeFile(small, 10_000);
    const { buildServer, newestSource } = await import('../scripts/build-server.mjs');
    const { existsSync } = await import('node:fs');
    const stamp = fileURLToPath(new URL('../dist/.source-time', import.meta.url));
    if (!existsSync(stamp) || newestSource() > Number(readFileSync(stamp, 'utf8'))) buildServer({ quiet: true });
    cli(small); // once to warm the file cache and the build check
    // five runs: the median of the wall times and, separately, of the CPU times (on a shared machine the two need
    // not come from the same run)
    const runs = Array.from({ length: 5 }, () => cli(small));
    const median = (xs) => xs.sort((a, b) => a - b)[2];
    const ours = { ...runs[0], seconds: median(runs.map((r) => r.seconds)), cpu: median(runs.map((r) => r.cpu)) };
    if (runs.some((r) => r.valid !== ours.valid || r.codes.join() !== ours.codes.join())) throw new Error('ijw validate gave different verdicts');
    const c0 = childCpu();
    const official = run('official', small, 10_000);
    official.cpu = childCpu() - c0; // the phase's Node process and the JVM it waited for
    // the same verdict: valid both, or the same codes over the rules the stylesheet checks (its mode="check" template)
    const { STYLESHEET } = await import('../src/ijw/official.ts');
    const xsl = readFileSync(STYLESHEET, 'utf8');
    const checked = new Set(
      [...xsl.slice(xsl.lastIndexOf('<template match="*" mode="check"')).matchAll(/apply-templates mode="([A-Z]{2}\d{3})"/g)].map((m) => m[1]),
    );
    const same = official.valid === ours.valid && JSON.stringify(official.codes) === JSON.stringify(ours.codes.filter((c) => checked.has(c) || c === 'XSD'));
    console.log(`10,000-line JW323 (${(statSync(small).size / 1048576).toFixed(1)} MB), side by side, end to end (process start included):`);
    console.log(
      `${'  official validator (JDK: XSD + stylesheet alle_regels_JW_3.2)'.padEnd(66)}${official.seconds.toFixed(2).padStart(7)} s wall, ${official.cpu.toFixed(2).padStart(6)} s CPU  verdict: ${official.valid ? 'geldig' : `ongeldig ${official.codes.join(' ')}`}`,
    );
    console.log(
      `${'  regiekamer ijw validate (XSD + rules, one pass; median of 5)'.padEnd(66)}${ours.seconds.toFixed(2).padStart(7)} s wall, ${ours.cpu.toFixed(2).padStart(6)} s CPU  verdict: ${ours.valid ? 'geldig' : `ongeldig ${ours.codes.join(' ')}`}`,
    );
    console.log(
      `  ratio ${(official.seconds / ours.seconds).toFixed(0)}× in wall time, ${(official.cpu / ours.cpu).toFixed(0)}× in CPU time (target 100×); the same verdict: ${same ? 'yes' : 'NO'}; load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    console.log(`  ijw validate's five runs: ${runs.map((r) => `${r.seconds.toFixed(2)} s wall / ${r.cpu.toFixed(2)} s CPU`).join(', ')}`);
    if (!same) process.exitCode = 1;
  }
  if (process.argv.includes('--side-by-side')) process.exit(process.exitCode ?? 0); // only the comparison (the temporary folder is left to the OS)
  const t0 = performance.now();
  const clients = await writeFile(file, lines);
  await writeFile(quarter, Math.round(lines / 4));
  await writeFile(compact, lines, false);
  const mb = (f) => statSync(f).size / 1024 / 1024;
  console.log(
    `JW323: ${lines.toLocaleString('en')} lines, ${clients.toLocaleString('en')} clients, ${mb(file).toFixed(1)} MB indented like the standard's examples (written in ${((performance.now() - t0) / 3000).toFixed(1)} s); also a quarter-size copy (${mb(quarter).toFixed(1)} MB) and the same without indentation (${mb(compact).toFixed(1)} MB)`,
  );
  console.log(
    `load average: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}  (${os.cpus().length} cores; other work on this machine slows every figure)`,
  );
  const fmt = (r) => `${r.seconds.toFixed(2).padStart(6)} s, peak RSS ${String(Math.round(r.maxRssMb)).padStart(3)} MB`;
  const rate = (r) =>
    `${Math.round(r.lines / r.seconds)
      .toLocaleString('en')
      .padStart(7)} lines/s`;
  const step = (label, name, f, n = lines) => {
    const r = run(name, f, n);
    console.log(`${label.padEnd(58)}${fmt(r)}${r.lines ? `  ${rate(r)}` : ''}${r.valid === false || r.findings ? `  NOT VALID: ${JSON.stringify(r)}` : ''}`);
    return r;
  };
  if (!process.argv.includes('--import-only')) {
    step('XSD check, generated from the XSDs (one streaming pass)', 'xsdgen', file);
    step('  same on the quarter-size file', 'xsdgen', quarter, Math.round(lines / 4));
    step('XSD check by libxml2-wasm, parts of 1 MB (the reference)', 'xsd', file);
    step('saxes alone, empty handlers (the floor)', 'saxes', file);
    step('read (saxes → typed objects, one Client at a time)', 'read', file);
    step('read + rules bericht + extern (ijw validate default)', 'rules', file);
    step('  same on the quarter-size file', 'rules', quarter, Math.round(lines / 4));
    step('  same without indentation', 'rules', compact);
    step('read + all rules incl. historie (in-memory history)', 'history', file);
    step('ijw validate end to end (XSD and rules in one pass)', 'validate', file);
  }
  const imp = (label, f, n) => {
    const r = run('import', f, n, lines);
    console.log(
      `${label.padEnd(58)}${fmt(r)}  ${rate(r)}  (${r.accepted.toLocaleString('en')} booked, ${r.rejected} rejected; CPU ${r.cpuSeconds.toFixed(2)} s on both threads; peak RSS before the import ${Math.round(r.rssBeforeMb)} MB; JS heap after it ${r.memory.heapMb} MB, PGlite's memory ${r.memory.externalBeforeMb} → ${r.memory.externalAfterMb} MB; the monitoring facts of the booked lines are updated within the import)`,
    );
    console.log(`    where the time goes: ${r.breakdown}`);
    if (r.status !== 'verwerkt' || r.rejected) console.log(`  NOT ALL BOOKED: ${JSON.stringify(r)}`);
  };
  if (process.argv.includes('--pg')) {
    const { startTempPostgres } = await import('../scripts/pg-temp.mjs');
    const pg = await startTempPostgres();
    if (!pg) throw new Error('--pg: geen PostgreSQL-binaries gevonden');
    try {
      process.env.RK_BENCH_PG_URL = pg.url;
      imp('import end to end on PostgreSQL 15 (a temporary server)', file, lines);
      imp('  same on the quarter-size file', quarter, Math.round(lines / 4));
    } finally {
      delete process.env.RK_BENCH_PG_URL;
      await pg.stop();
    }
  }
  if (!process.argv.includes('--no-import')) {
    imp('import end to end on PGlite (XSD, rules incl. historie, COPY, booking, JW325)', file, lines);
    imp('  same on the quarter-size file', quarter, Math.round(lines / 4));
    // the database's share alone: what no faster reading or judging can take away (each in a fresh database)
    const f = run('dbfloor', file, lines);
    console.log(
      `${'database alone: COPY of the lines + the booking statement'.padEnd(58)}${fmt(f)}  ${rate(f)}  (COPY ${f.copy.toFixed(2)} s, booking ${f.book.toFixed(2)} s, ${f.booked.toLocaleString('en')} booked)`,
    );
    const l = run('ledger', file, lines);
    console.log(`${'  the ledger alone, by COPY, with its indexes'.padEnd(58)}${fmt(l)}  ${rate(l)}`);
    const b = run('ledger-pkey-only', file, lines);
    console.log(`${'  the ledger alone, by COPY, primary key only'.padEnd(58)}${fmt(b)}  ${rate(b)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
