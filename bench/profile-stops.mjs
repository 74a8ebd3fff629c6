// What the server ran during its slowest health answers: reads a CPU profile written by `npm run bench:upload-health
// -- --profile DIR` and the run's samples (`--out FILE`), and for every answer in which the server's main thread spent
// more than --min ms of CPU (default 60) prints the profile's time in that answer by function: the innermost frame of
// our own code (dist/ or src/) beside the innermost frame of all (PGlite's WebAssembly, the garbage collector, …).
//
//   node bench/profile-stops.mjs --profile DIR/….cpuprofile --samples FILE [--min 60] [--top 6]
import { readFileSync } from 'node:fs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const profile = JSON.parse(readFileSync(arg('profile'), 'utf8'));
const run = JSON.parse(readFileSync(arg('samples'), 'utf8'));
const MIN = Number(arg('min', '60'));
const TOP = Number(arg('top', '6'));

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const ours = (f) => /\/(dist|src)\//.test(f.url) && !f.url.includes('node_modules');
const label = (f) => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(dist|src|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
const describe = new Map();
const frames = (id) => {
  let d = describe.get(id);
  if (d) return d;
  const leaf = nodes.get(id).callFrame;
  let own = null;
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const f = nodes.get(x).callFrame;
    if (ours(f)) {
      own = label(f);
      break;
    }
  }
  d = { leaf: leaf.url ? label(leaf) : leaf.functionName, own: own ?? '(none of ours)' };
  describe.set(id, d);
  return d;
};

// the profile's clock: startTime + the sum of timeDeltas (µs, the same monotonic clock as process.hrtime)
const times = [];
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  times.push(t);
}
const slow = run.samples.filter((s) => s[2] >= MIN).sort((a, b) => b[2] - a[2]);
console.log(`${slow.length} answers with ≥ ${MIN} ms of the main thread's CPU in them (of ${run.samples.length}; load ${JSON.stringify(run.loadAverage)})`);
for (const [at, latency, cpu, mono] of slow) {
  const from = mono,
    to = mono + latency * 1000;
  const own = new Map(),
    leaf = new Map();
  let lo = 0,
    hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < times.length && times[i] <= to; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const d = frames(profile.samples[i]);
    if (d.leaf === '(idle)') continue;
    own.set(d.own, (own.get(d.own) ?? 0) + ms);
    leaf.set(d.leaf, (leaf.get(d.leaf) ?? 0) + ms);
  }
  const top = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([k, v]) => `    ${v.toFixed(0).padStart(4)} ms  ${k}`)
      .join('\n');
  console.log(`\nat ${at} s: answer ${latency} ms, main thread CPU ${cpu} ms\n  by our innermost frame:\n${top(own)}\n  by innermost frame:\n${top(leaf)}`);
}
