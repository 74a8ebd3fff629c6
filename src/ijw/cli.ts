// `npx regiekamer ijw validate FILE... [--json] [--with-history]`: the contract other tools rely on. With
// --with-history a JW323 is also judged against the provider's contracts, as the import does (contract-check.ts).
// --json prints one JSON array [{file, message, valid, findings: [{code, retourcode, location, text, line?}], error?}].
// Exit 0 when every file is valid, 1 when any has findings, 2 when a file cannot be read at all (or, with
// --with-history, the database cannot be used).
// Progress goes to stderr, the verdicts to stdout.
import type { History } from './rules/history-types.ts';
import { exitCode, validateFile, verdictJson, type Verdict } from './validate.ts';

export interface ValidateCliOptions {
  json?: boolean;
  withHistory?: boolean;
  /** Where verdicts go (default stdout). */
  out?: (s: string) => void;
  /** Progress (default: a bar on stderr for long runs; pass null for none). */
  progress?: ((done: number, total: number, label: string) => void) | null;
  /** A history to use instead of the database (tests). */
  history?: History;
  /** An open database and keys instead of the configured ones (tests): the history and the contract checks. */
  db?: import('../db/index.ts').Db;
  keys?: import('../core/bsn.ts').BsnKeys;
  today?: string;
}

export async function runValidate(files: string[], opts: ValidateCliOptions = {}): Promise<0 | 1 | 2> {
  const out =
    opts.out ??
    ((s: string) => {
      process.stdout.write(s);
    });
  let history = opts.history;
  let close: (() => Promise<void>) | undefined;
  // with the database, a declaration is also judged against the provider's contracts as the import does (BK001–BK004)
  let contractDb: import('../db/index.ts').Db | undefined;
  if (opts.withHistory && !history && opts.db && opts.keys) {
    const { DbHistory } = await import('./history-db.ts');
    history = new DbHistory(opts.db, opts.keys);
    contractDb = opts.db;
  } else if (opts.withHistory && !history) {
    const { loadConfig } = await import('../config.ts');
    const { openDb, migrate } = await import('../db/index.ts');
    const { bsnKeys } = await import('../core/bsn.ts');
    const { DbHistory } = await import('./history-db.ts');
    try {
      const config = loadConfig(); // needs REGIEKAMER_BSN_KEY: BSNs are matched by their keyed hash
      const db = await openDb(config);
      close = () => db.close();
      await migrate(db);
      history = new DbHistory(db, bsnKeys(config.bsnKey));
      contractDb = db;
    } catch (e) {
      // nothing can be judged: not "findings" (1) but "could not be read" (2)
      process.stderr.write(`--with-history: de database is niet te gebruiken: ${(e as Error).message}\n`);
      await close?.();
      return 2;
    }
  }
  let reporter: { update(d: number, t: number, l: string): void; stop(): void } | undefined;
  if (opts.progress === undefined) {
    const { progressReporter } = await import('../cli/progress.ts');
    reporter = progressReporter();
  }
  const verdicts: Verdict[] = [];
  try {
    for (const [i, file] of files.entries()) {
      const label = files.length > 1 ? `${i + 1}/${files.length} ${file}` : file;
      const onProgress = opts.progress ?? (reporter ? (d: number, t: number, l: string) => reporter!.update(d, t, `${label}: ${l}`) : undefined);
      if (!contractDb) {
        verdicts.push(await validateFile(file, { history, today: opts.today, onProgress }));
        continue;
      }
      const { Rejections, contractFindings } = await import('./contract-check.ts');
      const rejected = new Rejections();
      const v = await validateFile(file, { history, today: opts.today, onProgress, onFinding: (f) => rejected.add(f) });
      if (v.message === 'JW323' && !v.error) {
        for (const f of v.findings) if (f.layer === 'xsd') rejected.add(f); // the XSD findings (0001) do not pass through onFinding
        const extra = await contractFindings(contractDb, file, rejected);
        if (extra.length) {
          v.findings.push(...extra);
          v.findingCount += extra.length;
          v.valid = false;
        }
      }
      verdicts.push(v);
    }
  } finally {
    reporter?.stop();
    await close?.();
  }
  if (opts.json) out(JSON.stringify(verdicts.map(verdictJson), null, 2) + '\n');
  else out(verdicts.map(human).join(''));
  return exitCode(verdicts);
}

/**
 * A count as nl-NL writes it (12.345): what `toLocaleString('nl-NL')` gives for a whole number, without loading ICU's
 * Dutch number formats, which took 20–40 ms of a one-line `ijw validate` (BENCHMARKS.md, issue 17 §3, eighth session).
 */
export const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, '.');

function human(v: Verdict): string {
  if (v.error) return `✗ ${v.file}: niet te lezen — ${v.error.text}\n`;
  const what = `${v.message}${v.lines ? `, ${thousands(v.lines)} prestaties` : ''}`;
  if (v.valid) return `✓ ${v.file} (${what}): geldig\n`;
  const lines = v.findings.map((f) => `  ${f.code.padEnd(5)} ${f.retourcode}  ${f.location}${f.line ? ` (regel ${f.line})` : ''}\n        ${f.text}\n`);
  const more = v.findingCount > v.findings.length ? `  … en nog ${v.findingCount - v.findings.length} bevindingen\n` : '';
  return `✗ ${v.file} (${what}): ${v.findingCount} ${v.findingCount === 1 ? 'bevinding' : 'bevindingen'}\n${lines.join('')}${more}`;
}

// --- `ijw import FILE... [--answers DIR] [--json]` and `ijw export --type JW301 --municipality CODE --out DIR`

interface DbCliOptions {
  out?: (s: string) => void;
  progress?: ((done: number, total: number, label: string) => void) | null;
  /** An open database and keys instead of the configured ones (tests). */
  db?: import('../db/index.ts').Db;
  keys?: import('../core/bsn.ts').BsnKeys;
  today?: string;
}

async function openForCli(opts: DbCliOptions) {
  if (opts.db && opts.keys) return { db: opts.db, keys: opts.keys, close: async () => undefined };
  const { loadConfig } = await import('../config.ts');
  const { openDb, migrate } = await import('../db/index.ts');
  const { bsnKeys } = await import('../core/bsn.ts');
  const config = loadConfig();
  const db = await openDb(config);
  await migrate(db);
  return { db, keys: bsnKeys(config.bsnKey), close: () => db.close() };
}

async function reporterFor(opts: DbCliOptions) {
  if (opts.progress !== undefined) return { update: opts.progress ?? (() => undefined), stop: () => undefined };
  const { progressReporter } = await import('../cli/progress.ts');
  const r = progressReporter();
  return { update: (d: number, t: number, l: string) => r.update(d, t, l), stop: () => r.stop() };
}

/**
 * Imports message files, each all or nothing; with `answers` the JW325 answers are written to that folder.
 * Exit 0 when every file was imported without rejected lines, 1 when a file broke the XSD or had rejected lines
 * or findings, 2 when a file could not be read at all (or the database could not be used).
 */
export async function runImport(files: string[], opts: DbCliOptions & { answers?: string; json?: boolean } = {}): Promise<0 | 1 | 2> {
  const out =
    opts.out ??
    ((s: string) => {
      process.stdout.write(s);
    });
  const { importMessage, ImportRefused, changedAllocations } = await import('./import.ts');
  (await import('../wiring.ts')).wireCapabilities(); // a program of its own: the booked lines reach monitoring's facts
  const { messageXml } = await import('./store.ts');
  let conn;
  try {
    conn = await openForCli(opts);
  } catch (e) {
    process.stderr.write(`De database is niet te gebruiken: ${(e as Error).message}\n`);
    return 2;
  }
  const reporter = await reporterFor(opts);
  const results: Record<string, unknown>[] = [];
  let allocationsChanged = false;
  let code: 0 | 1 | 2 = 0;
  const worse = (c: 1 | 2) => {
    if (c > code) code = c;
  };
  try {
    if (opts.answers) (await import('node:fs')).mkdirSync(opts.answers, { recursive: true });
    for (const [i, file] of files.entries()) {
      const label = files.length > 1 ? `${i + 1}/${files.length} ${file}` : file;
      try {
        const r = await importMessage(conn.db, file, { keys: conn.keys, today: opts.today, onProgress: (d, t, l) => reporter.update(d, t, `${label}: ${l}`) });
        let answerFile: string | undefined;
        if (opts.answers && r.answerMessageId) {
          const { xml, filename } = await messageXml(conn.db, r.answerMessageId);
          answerFile = (await import('node:path')).join(opts.answers, filename);
          (await import('node:fs')).writeFileSync(answerFile, xml);
        }
        await auditCli(conn.db, 'ijw_import', 'ijw import', [r.messageId, ...(r.answerMessageId ? [r.answerMessageId] : [])], {
          file,
          type: r.type,
          duplicate: r.duplicate,
        });
        if (r.status === 'afgewezen' || r.rejectedLines > 0) worse(1);
        if (changedAllocations(r)) allocationsChanged = true;
        results.push({ file, ...r, ...(answerFile ? { answerFile } : {}) });
      } catch (e) {
        if (!(e instanceof ImportRefused)) throw e;
        worse(e.errors.some((x) => x.code === 'XSD') ? 1 : 2);
        results.push({ file, refused: e.message, errors: e.errors });
      }
    }
  } finally {
    reporter.stop();
    // once for the whole batch
    if (allocationsChanged) {
      const { refreshTrajectories } = await import('../monitoring/index.ts');
      await refreshTrajectories(conn.db);
    }
    await conn.close();
  }
  if (opts.json) out(JSON.stringify(results, null, 2) + '\n');
  else out(results.map(humanImport).join(''));
  return code;
}

function humanImport(r: Record<string, any>): string {
  if (r.refused)
    return `✗ ${r.file}: niet ingelezen — ${r.refused}\n${(r.errors as any[])
      .slice(0, 20)
      .map((e) => `  ${e.code.padEnd(5)} ${e.location}${e.line ? ` (regel ${e.line})` : ''}\n        ${e.message}\n`)
      .join('')}`;
  const eur = (c: number) => new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(c / 100);
  const head = `${r.status === 'afgewezen' ? '✗' : '✓'} ${r.file}: ${r.type} bericht ${r.messageId}${r.duplicate ? ' (al eerder ingelezen)' : ''}`;
  const lines =
    r.type === 'JW323'
      ? `, ${r.acceptedLines} van ${r.lines} regels geaccepteerd (${eur(r.acceptedAmountCents)} van ${eur(r.amountCents)})`
      : r.lines
        ? `, ${r.lines} regels`
        : '';
  const findings = (r.findings as any[]).map((f) => `  ${f.code.padEnd(5)} ${f.retourcode}  ${f.location}\n        ${f.text}\n`).join('');
  return `${head}${lines}${r.answerFile ? `; antwoord: ${r.answerFile}` : ''}\n${findings}`;
}

/** Writes JW301 messages for a municipality's allocations not yet sent, into `outDir`; exit 0, or 2 when the database cannot be used. */
export async function runExport(o: DbCliOptions & { type: string; municipality: string; outDir: string }): Promise<0 | 1 | 2> {
  const out =
    o.out ??
    ((s: string) => {
      process.stdout.write(s);
    });
  if (o.type !== 'JW301') {
    process.stderr.write(`Alleen --type JW301 wordt geschreven (niet ${o.type})\n`);
    return 2;
  }
  const { allocationsWithoutAddress, exportAllocations } = await import('./export.ts');
  const { todayIso } = await import('./rules/dates.ts');
  const fs = await import('node:fs');
  const path = await import('node:path');
  let conn;
  try {
    conn = await openForCli(o);
  } catch (e) {
    process.stderr.write(`De database is niet te gebruiken: ${(e as Error).message}\n`);
    return 2;
  }
  const reporter = await reporterFor(o);
  try {
    const written = await exportAllocations(conn.db, o.municipality, { keys: conn.keys, today: o.today ?? todayIso() });
    fs.mkdirSync(o.outDir, { recursive: true });
    for (const [i, m] of written.entries()) {
      fs.writeFileSync(path.join(o.outDir, `JW301-RK${m.messageId}.xml`), m.xml);
      if (written.length > 200) reporter.update(i + 1, written.length, 'JW301 schrijven');
    }
    await auditCli(
      conn.db,
      'ijw_export',
      'ijw export',
      written.map((m) => m.messageId),
      { municipality: o.municipality, outDir: o.outDir, messages: written.length },
    );
    out(`${written.length} JW301-berichten geschreven naar ${o.outDir} (${written.reduce((s, m) => s + m.allocations, 0)} toewijzingen)\n`);
    const withoutAddress = await allocationsWithoutAddress(conn.db, o.municipality);
    if (withoutAddress)
      out(`${withoutAddress} toewijzingen niet verstuurd: het BRP-adres van de jeugdige is niet bekend (een JW301 moet het bevatten: CD034, TR006)\n`);
    return 0;
  } finally {
    reporter.stop();
    await conn.close();
  }
}

/**
 * `ijw import --server URL --region R`: the same import, done by a running server instead of opening its database
 * (which its lock forbids while it runs). Logs in with REGIEKAMER_USER / REGIEKAMER_PASSWORD (an account of the
 * sending municipality or provider), uploads each file, and writes the JW325 answers like the local import.
 * Exit codes as runImport: 0 all imported, 1 rejected lines or XSD errors, 2 unreadable or the server refused.
 */
export async function runImportViaServer(
  files: string[],
  o: { server: string; region: string; username?: string; password?: string; answers?: string; json?: boolean; out?: (s: string) => void },
): Promise<0 | 1 | 2> {
  const out =
    o.out ??
    ((s: string) => {
      process.stdout.write(s);
    });
  const fs = await import('node:fs');
  const path = await import('node:path');
  const base = o.server.replace(/\/+$/, '');
  const username = o.username ?? process.env.REGIEKAMER_USER;
  const password = o.password ?? process.env.REGIEKAMER_PASSWORD;
  if (!username || !password) {
    process.stderr.write('Zet REGIEKAMER_USER en REGIEKAMER_PASSWORD (een account van de verzendende gemeente of aanbieder)\n');
    return 2;
  }
  let cookie: string;
  try {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) {
      process.stderr.write(`Inloggen bij ${base} mislukt: ${res.status} ${((await res.json().catch(() => ({}))) as { detail?: string }).detail ?? ''}\n`);
      return 2;
    }
    cookie = (res.headers.getSetCookie().find((c) => c.startsWith('rk_session=')) ?? '').split(';')[0];
  } catch (e) {
    process.stderr.write(`De server ${base} is niet bereikbaar: ${(e as Error).message}\n`);
    return 2;
  }
  const results: Record<string, unknown>[] = [];
  let code: 0 | 1 | 2 = 0;
  const worse = (c: 1 | 2) => {
    if (c > code) code = c;
  };
  if (o.answers) fs.mkdirSync(o.answers, { recursive: true });
  const api = `${base}/api/regions/${encodeURIComponent(o.region)}/ijw/messages`;
  for (const file of files) {
    let body: Buffer;
    try {
      body = fs.readFileSync(file);
    } catch (e) {
      worse(2);
      results.push({ file, refused: (e as Error).message, errors: [] });
      continue;
    }
    const res = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/xml', cookie, origin: base }, body: new Uint8Array(body) });
    const json = (await res.json().catch(() => ({}))) as Record<string, any>;
    if (res.status !== 200) {
      const errors = (json.errors ?? []).map((e: any) => ({
        code: e.code ?? '',
        location: e.field ?? e.location ?? '',
        message: e.detail ?? e.message ?? '',
        line: e.line,
      }));
      worse(errors.some((x: any) => x.code === 'XSD') ? 1 : 2);
      results.push({ file, refused: json.detail ?? `${res.status}`, errors });
      continue;
    }
    let answerFile: string | undefined;
    if (o.answers && json.answerMessageId) {
      const a = await fetch(`${api}/${json.answerMessageId}/xml`, { headers: { cookie } });
      const name = /filename="?([^";]+)"?/.exec(a.headers.get('content-disposition') ?? '')?.[1] ?? `JW325-${json.answerMessageId}.xml`;
      answerFile = path.join(o.answers, path.basename(name));
      fs.writeFileSync(answerFile, Buffer.from(await a.arrayBuffer()));
    }
    if (json.rejectedLines > 0) worse(1);
    results.push({
      file,
      ...json,
      status: json.rejectedLines > 0 && json.acceptedLines === 0 ? 'afgewezen' : 'verwerkt',
      ...(answerFile ? { answerFile } : {}),
    });
  }
  if (o.json) out(JSON.stringify(results, null, 2) + '\n');
  else out(results.map(humanImport).join(''));
  return code;
}

/** The CLI reads and writes personal data too: it is audited like the web, as actor 'opdrachtregel' with the OS user. */
async function auditCli(db: import('../db/index.ts').Db, action: string, command: string, messageIds: number[], detail: Record<string, unknown>) {
  const { writeAudit } = await import('../access/store.ts');
  const { messageYouthIds } = await import('./store.ts');
  const { userInfo } = await import('node:os');
  const youths = new Set<number>();
  for (const id of messageIds) for (const y of await messageYouthIds(db, id)) youths.add(y);
  let osUser = 'onbekend';
  try {
    osUser = userInfo().username;
  } catch {
    /* no passwd entry */
  }
  await writeAudit(db, {
    account: null,
    actor: 'opdrachtregel',
    action,
    route: `npx regiekamer ${command}`,
    subject: 'youth',
    subjectIds: [...youths].sort((a, b) => a - b),
    detail: { ...detail, messageIds, osUser },
  });
}
