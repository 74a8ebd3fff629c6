// `npx regiekamer ijw validate FILE... [--json] [--with-history]`: the contract other tools rely on.
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
  today?: string;
}

export async function runValidate(files: string[], opts: ValidateCliOptions = {}): Promise<0 | 1 | 2> {
  const out = opts.out ?? ((s: string) => { process.stdout.write(s); });
  let history = opts.history;
  let close: (() => Promise<void>) | undefined;
  if (opts.withHistory && !history) {
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
      verdicts.push(await validateFile(file, { history, today: opts.today, onProgress }));
    }
  } finally {
    reporter?.stop();
    await close?.();
  }
  if (opts.json) out(JSON.stringify(verdicts.map(verdictJson), null, 2) + '\n');
  else out(verdicts.map(human).join(''));
  return exitCode(verdicts);
}

function human(v: Verdict): string {
  if (v.error) return `✗ ${v.file}: niet te lezen — ${v.error.text}\n`;
  const what = `${v.message}${v.lines ? `, ${v.lines.toLocaleString('nl-NL')} prestaties` : ''}`;
  if (v.valid) return `✓ ${v.file} (${what}): geldig\n`;
  const lines = v.findings.map((f) => `  ${f.code.padEnd(5)} ${f.retourcode}  ${f.location}${f.line ? ` (regel ${f.line})` : ''}\n        ${f.text}\n`);
  const more = v.findingCount > v.findings.length ? `  … en nog ${v.findingCount - v.findings.length} bevindingen\n` : '';
  return `✗ ${v.file} (${what}): ${v.findingCount} ${v.findingCount === 1 ? 'bevinding' : 'bevindingen'}\n${lines.join('')}${more}`;
}
