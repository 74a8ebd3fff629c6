// `npm start` builds the web app only when web/dist is missing or older than the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const dist = 'web/dist/index.html';
const stale = !existsSync(dist) || newest('web/src') > statSync(dist).mtimeMs || statSync('web/index.html').mtimeMs > statSync(dist).mtimeMs;
if (stale) {
  console.log('De webapp wordt gebouwd …');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
