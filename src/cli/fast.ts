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

/** Runs a plain `ijw validate` and returns its exit code, or null when the arguments are for main.ts. */
export async function runFast(args: readonly string[]): Promise<number | null> {
  const v = fastValidateArgs(args);
  if (!v) return null;
  // V8 is tuned for this short run by bin/regiekamer.mjs before this code is loaded (tuneForShortRun in
  // bin/cached-bundle.mjs: the code cache must be read under the same flags it was made with)
  const { runValidate } = await import('../ijw/cli.ts');
  return runValidate(v.files, { json: v.json, withHistory: v.withHistory });
}
