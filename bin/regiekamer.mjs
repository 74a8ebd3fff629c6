#!/usr/bin/env node
// Entry point for `npx regiekamer`: runs the compiled CLI in dist/ (plain JavaScript, no TypeScript at run time).
// When dist/ is missing or older than src/ (a fresh clone, or after an edit) it is built first, as `npm start` does
// for the web app. REGIEKAMER_NO_BUILD=1 skips the check (a packaged install that ships dist/ without src/).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const main = new URL('../dist/cli/main.js', import.meta.url);
if (process.env.REGIEKAMER_NO_BUILD !== '1' && existsSync(`${root}src`)) {
  const stamp = `${root}dist/.source-time`;
  const built = existsSync(stamp) ? Number(readFileSync(stamp, 'utf8')) : 0;
  const { newestSource, buildServer } = await import('../scripts/build-server.mjs');
  if (!existsSync(main) || newestSource() > built) buildServer();
}
// a plain `ijw validate` is run without commander and the CLI's other modules (src/cli/fast.ts): from the CommonJS
// bundle with its code cache (bin/cached-bundle.mjs) when the build made one, else from the bundle in ES modules, else
// from dist/cli/fast.js; runFast hands anything else to main (null)
const args = process.argv.slice(2);
const fail = (err) => {
  console.error(err instanceof Error ? err.message : err); // as main.ts reports a command that fails
  process.exit(1);
};
let code = null;
let handled = false;
if (args[0] === 'ijw' && args[1] === 'validate' && !args.includes('--with-history') && process.env.REGIEKAMER_V8_DEFAULTS !== '1') {
  const { loadCached, tuneForShortRun } = await import('./cached-bundle.mjs');
  tuneForShortRun();
  const cached = new URL('../dist/cli-fast/validate.cjs', import.meta.url);
  if (existsSync(cached)) {
    const bundle = loadCached(cached);
    code = await bundle.exports.runFast(args).catch(fail);
    if (code !== null) bundle.saveCache(); // only when there was none or V8 refused it (another Node, other flags)
    handled = true;
  }
}
if (!handled) {
  const bundle = new URL('../dist/cli-fast/fast.js', import.meta.url);
  const { runFast } = await import((existsSync(bundle) ? bundle : new URL('../dist/cli/fast.js', import.meta.url)).href);
  code = await runFast(args).catch(fail);
}
if (code === null) await import(main.href);
else process.exitCode = code;
