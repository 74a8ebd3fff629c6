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
// a plain `ijw validate` is run without commander and the CLI's other modules (src/cli/fast.ts, bundled in one file
// by the build when esbuild is there); anything else by main
const bundle = new URL('../dist/cli-fast/fast.js', import.meta.url);
const { runFast } = await import((existsSync(bundle) ? bundle : new URL('../dist/cli/fast.js', import.meta.url)).href);
const code = await runFast(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err); // as main.ts reports a command that fails
  process.exit(1);
});
if (code === null) await import(main.href);
else process.exitCode = code;
