// The short way in for `regiekamer ijw validate FILE... [--json] [--with-history]`: a validator on the command line
// should answer before a person notices, and loading commander and the CLI's other modules (config, roles, region
// presets) took a fifth of validating a one-line message. bin/regiekamer.mjs asks this module first; anything
// else (another command, --help, an option it does not know, a file name starting with '-') goes to main.ts,
// which parses it with commander as before. Both run the same runValidate, so the verdict and exit code are the same.

export interface FastValidate {
  files: string[];
  json: boolean;
  withHistory: boolean;
}

/** The arguments of a plain `ijw validate` (after `node bin/regiekamer.mjs`), or null when commander must parse them. */
export function fastValidateArgs(args: readonly string[]): FastValidate | null {
  if (args[0] !== 'ijw' || args[1] !== 'validate') return null;
  const files: string[] = [];
  let json = false;
  let withHistory = false;
  for (const a of args.slice(2)) {
    if (a === '--json') json = true;
    else if (a === '--with-history') withHistory = true;
    else if (a.startsWith('-') || a === '')
      return null; // --help, `--`, unknown options and their errors: commander's
    else files.push(a);
  }
  return files.length ? { files, json, withHistory } : null;
}

/**
 * V8 tuned for a command that is over in about a second, set before the validator's code is loaded. Measured on the
 * 10,000-line JW323 (BENCHMARKS.md, issue 17 §3), whole command, alternately with and without:
 * - `--no-turbo-inlining`: most of such a run is V8 optimising the hot code while it runs, a third of the CPU time on
 *   its compiler threads; without inlining each function is compiled alone, small and once, instead of again inside
 *   every caller. About 15% less CPU time. (A server or an import runs long enough for inlining to pay back: this is
 *   set only here, in the process of this one command.)
 * - `--semi-space-growth-factor=1`: the young generation keeps its first size (1 MB per semi-space) instead of growing
 *   to 16 MB, which touched fresh memory (page faults: system time) for objects that die young anyway. About 10% less
 *   CPU time, and a peak of 60 MB instead of 70 MB. (`--max-semi-space-size=1` does the same but only as a flag of `node`
 *   at start; the growth factor is read when the space would grow, so it can be set here.)
 * Both are flags V8 reads when it uses them (not only at start), which is why setting them now takes effect.
 */
export async function tuneForShortRun(): Promise<void> {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--no-turbo-inlining');
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Runs a plain `ijw validate` and returns its exit code, or null when the arguments are for main.ts. */
export async function runFast(args: readonly string[]): Promise<number | null> {
  const v = fastValidateArgs(args);
  if (!v) return null;
  // not with --with-history: that opens the database (PGlite, migrations), a different kind of work
  if (!v.withHistory && process.env.REGIEKAMER_V8_DEFAULTS !== '1') await tuneForShortRun();
  const { runValidate } = await import('../ijw/cli.ts');
  return runValidate(v.files, { json: v.json, withHistory: v.withHistory });
}
