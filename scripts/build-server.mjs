// Builds the server, CLI and workers to dist/ (tsc, one .js per .ts, so lazy imports stay lazy and `--help` loads
// almost nothing), and copies what the code reads beside itself (migrations, XSDs, code lists, the XSD worker).
// `bin/regiekamer.mjs` calls this when dist/ is missing or older than src/; `npm run build:server` forces it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');

/** The newest modification time under src/ (what dist/ was built from). */
export function newestSource(dir = src) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    // joined by hand: path.join normalises every path again, a third of this check's time at every start of the CLI
    const p = `${dir}${path.sep}${e.name}`;
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function buildServer({ quiet = false } = {}) {
  const t0 = Date.now();
  const sourceTime = newestSource();
  // build into a fresh folder beside dist/ and swap it in, so a running process never sees half a build
  const out = path.join(root, `dist.build-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc))
    throw new Error('dist/ ontbreekt of is verouderd en TypeScript is niet geïnstalleerd: voer npm ci uit (met devDependencies) en start opnieuw');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });
  if (r.status !== 0) {
    rmSync(out, { recursive: true, force: true });
    throw new Error('De server kon niet gebouwd worden (tsc, zie hierboven)');
  }
  cpSync(src, out, { recursive: true, filter: (p) => statSync(p).isDirectory() || !/\.(ts|tsx)$/.test(p) });
  bundleFastPath(out);
  writeFileSync(path.join(out, '.source-time'), String(sourceTime));
  const dist = path.join(root, 'dist');
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(out, dist);
  trainFastPath(dist);
  rmSync(old, { recursive: true, force: true });
  if (!quiet) console.error(`Server gebouwd naar dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * `ijw validate` as one bundle (dist/cli-fast/fast.js, what bin/regiekamer.mjs runs for it): resolving and compiling
 * the thirty modules it needs one by one took about 40 ms of every run. The modules it loads only on demand (the
 * database for --with-history) become chunks beside it, loaded as lazily as before. A module that finds files
 * beside itself (import.meta.url: the XSDs, code lists, migrations) keeps finding them in dist/: its import.meta.url
 * is rewritten to the URL of its own compiled file. esbuild (it comes with vite) runs in a child process: its plugins
 * need the asynchronous API. Without esbuild, or when it fails, there is no bundle and the fast path runs
 * dist/cli/fast.js.
 */
function bundleFastPath(out) {
  try {
    createRequire(import.meta.url).resolve('esbuild');
  } catch {
    return;
  }
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--bundle-fast', out], { stdio: 'inherit' });
  // not fatal: without the bundle bin/regiekamer.mjs runs dist/cli/fast.js, the same code in separate modules
  if (r.status === 0) return;
  rmSync(path.join(out, 'cli-fast'), { recursive: true, force: true });
  console.error('Let op: de bundel voor ijw validate kon niet gebouwd worden (esbuild, zie hierboven); ijw validate draait zonder');
}

/**
 * The code cache of the CommonJS bundle (bin/cached-bundle.mjs), made once dist/ is in place (the cache keeps the name
 * of the file it was made from, which stack traces show) by validating the standard's example messages in a child
 * process that compiles the bundle as bin/regiekamer.mjs does (the same V8 flags). Not fatal: without a cache the
 * bundle is compiled at the start, and bin/regiekamer.mjs makes the cache after that run.
 */
function trainFastPath(dist) {
  const cjs = path.join(dist, 'cli-fast', 'validate.cjs');
  if (!existsSync(cjs)) return;
  const t = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--train-fast', cjs], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (t.status === 0) return;
  rmSync(`${cjs}.cache`, { force: true });
  console.error('Let op: de code-cache voor ijw validate kon niet gemaakt worden (zie hierboven)');
}

/** A plain `ijw validate` (src/cli/fast.ts) as one CommonJS script for bin/cached-bundle.mjs, or nothing. */
async function bundleCached(esbuild, out, outdir) {
  const outfile = path.join(outdir, 'validate.cjs');
  await esbuild.build({
    entryPoints: [path.join(out, 'cli', 'fast.js')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
    plugins: [ownImportMetaUrl(outdir, '__rk_url')],
  });
  // Two rewrites. import() of a package or a built-in (the modules of the project are inlined): a vm.Script has no
  // loader of its own, so the call goes to the one bin/cached-bundle.mjs passes in. And only ASCII (esbuild leaves a
  // few characters in comments and a regular expression): bin/cached-bundle.mjs reads it as Latin-1 into a one-byte
  // string, 8–10 ms less than decoding UTF-8 into a two-byte one; \uXXXX is the same character in a string, a regular
  // expression, a template and an identifier (not after a backslash). Anything else left: no cached bundle.
  const code = readFileSync(outfile, 'utf8')
    .replace(/\bimport\((?=")/g, '__rk_import(')
    .replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (/\bimport\s*\(/.test(code) || /\\[^\x00-\x7f]/.test(readFileSync(outfile, 'utf8'))) {
    rmSync(outfile, { force: true });
    console.error('Let op: de bundel voor ijw validate met code-cache is niet gemaakt (een import() of teken dat niet te herschrijven is)');
    return;
  }
  writeFileSync(outfile, code);
}

/** Runs the cached bundle once over the standard's example messages (output thrown away) and writes its code cache. */
async function trainCached(cjs) {
  const { tuneForShortRun, loadCached } = await import('../bin/cached-bundle.mjs');
  tuneForShortRun();
  const examples = path.join(root, 'standards', 'ijw-3.2', 'examples');
  const files = readdirSync(examples)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => path.join(examples, f));
  const bundle = loadCached(pathToFileURL(cjs));
  // both outputs: the JSON of the bench and tools, the Dutch report of a person
  for (const json of [true, false]) await bundle.exports.runFast(['ijw', 'validate', ...files, ...(json ? ['--json'] : [])]);
  bundle.saveCache({ force: true });
  process.exitCode = 0; // the examples have findings: runFast's exit code is theirs, not the build's
}

/** A module's import.meta.url as the URL of its own compiled file, relative to the bundle (`base`: the bundle's URL). */
function ownImportMetaUrl(outdir, base) {
  return {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, (args) => {
        const code = readFileSync(args.path, 'utf8');
        if (!code.includes('import.meta.url')) return undefined;
        const rel = path.relative(outdir, args.path).split(path.sep).join('/');
        return { contents: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, ${base}).href`), loader: 'js' };
      });
    },
  };
}

async function bundleFast(out) {
  const esbuild = createRequire(import.meta.url)('esbuild');
  const outdir = path.join(out, 'cli-fast');
  await esbuild.build({
    entryPoints: [path.join(out, 'cli', 'fast.js')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir,
    logLevel: 'warning',
    plugins: [ownImportMetaUrl(outdir, 'import.meta.url')],
  });
  await bundleCached(esbuild, out, outdir);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--bundle-fast') await bundleFast(process.argv[3]);
  else if (process.argv[2] === '--train-fast') await trainCached(process.argv[3]);
  else {
    mkdirSync(root, { recursive: true });
    buildServer();
  }
}
