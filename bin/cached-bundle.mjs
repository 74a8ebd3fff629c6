// Runs dist/cli-fast/validate.cjs (a plain `ijw validate` in one CommonJS bundle) from V8's code cache: the bytecode
// of every function a validation runs, made once by the build (a run over the standard's example messages) and read
// back at every start instead of parsing and compiling the code again. Node 22 has module.enableCompileCache for
// this; Node 20 has only vm.Script's cachedData, which needs a script rather than an ES module, hence the bundle.
// V8 refuses a cache made by another Node version or with other V8 flags (then the code is compiled as usual and
// the cache is made anew after the run); the verdict never depends on it. Used by bin/regiekamer.mjs and by the build
// (scripts/build-server.mjs), which must compile the bundle the same way for the cache to fit.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';

/**
 * V8 tuned for a command that is over in about a second (a plain `ijw validate`, not with `--with-history`, which opens
 * the database; `REGIEKAMER_V8_DEFAULTS=1` leaves V8 as it is), set by bin/regiekamer.mjs before the validator's code
 * is compiled: V8 takes a code cache only under the flags it was made with. Measured on the 10,000-line JW323
 * (BENCHMARKS.md, issue 17 §3), whole command, alternately with and without:
 * - `--no-turbo-inlining`: most of such a run is V8 optimising the hot code while it runs, a third of the CPU time on
 *   its compiler threads; without inlining each function is compiled alone, small and once, instead of again inside
 *   every caller. About 15% less CPU time. (A server or an import runs long enough for inlining to pay back: this is
 *   set only here, in the process of this one command.)
 * - `--semi-space-growth-factor=1`: the young generation keeps its first size (1 MB per semi-space) instead of growing
 *   to 16 MB, which touched fresh memory (page faults: system time) for objects that die young anyway. About 10% less
 *   CPU time, and a peak of 60 MB instead of 70 MB. (`--max-semi-space-size=1` does the same but only as a flag of `node`
 *   at start; the growth factor is read when the space would grow, so it can be set here.)
 * Both are flags V8 reads when it uses them (not only at start), which is why setting them now takes effect.
 * Measured and not kept (BENCHMARKS.md, ninth session): TurboFan's phase flags (mid-tier register allocation, no loop
 * peeling, escape analysis, load or store elimination…), a larger interrupt budget; `--no-concurrent-recompilation`
 * saves CPU time but only as a flag of `node` at start (set here it does not take effect).
 */
export function tuneForShortRun() {
  setFlagsFromString('--no-turbo-inlining');
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Compiles and runs the bundle at `url` (a file: URL) with its cache beside it (`.cache`); returns its exports and
 * `saveCache()`, which writes the cache when there was none or V8 refused it (call it after the work: the cache then
 * holds the functions the work compiled), or always with `{ force: true }`.
 */
export function loadCached(url) {
  const file = new URL(url);
  const cacheFile = new URL(`${file.href}.cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = readFileSync(file, 'latin1'); // the build writes it in ASCII only (scripts/build-server.mjs)
  // the CommonJS wrapper, and what the bundle needs of its place: import.meta.url of the modules in it (rewritten by the
  // build to URLs relative to __rk_url) and import() of packages (rewritten to __rk_import: a vm.Script has no
  // module loader of its own)
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __rk_url, __rk_import) {${source}\n})`, {
    filename: fileURLToPath(file),
    cachedData,
  });
  const module = { exports: {} };
  const dir = new URL('.', file);
  script.runInThisContext()(module.exports, createRequire(file), module, fileURLToPath(file), fileURLToPath(dir), file.href, (s) => import(s));
  const stale = !cachedData || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    saveCache({ force = false } = {}) {
      if (!stale && !force) return;
      try {
        const tmp = new URL(`${cacheFile.href}.${process.pid}`);
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile); // whole or not at all: another run may be reading it
      } catch {
        /* a read-only install: the next run compiles the code again, as without a cache */
      }
    },
  };
}
