// The repository stands alone: a test that reads a file beside the repository (the team's ../shared workspace,
// which a user of the project does not have) fails here, with the path, instead of passing only on our machines.
// Loaded by vitest.config.ts for every test file; test/self-contained.test.ts shows it bites.
import fs from 'node:fs';
import { afterEach } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PARENT = path.dirname(path.resolve(REPO_ROOT)) + path.sep;
const ROOT = path.resolve(REPO_ROOT) + path.sep;

/** True when `p` lies beside the repository (under its parent folder, outside the repository itself). */
export function outsideRepo(p: unknown): boolean {
  if (p instanceof URL) p = fileURLToPath(p);
  if (typeof p !== 'string') return false;
  const abs = path.resolve(p);
  return abs.startsWith(PARENT) && !(abs + path.sep).startsWith(ROOT);
}

const refusal = (name: string, p: unknown) =>
  new Error(`${name}: ${String(p)} ligt buiten de repository; kopieer wat de test nodig heeft naar de repository (standards/SOURCE.md)`);
const guard = <F extends (...a: any[]) => any>(name: string, fn: F, async = false): F =>
  function (this: unknown, p: unknown, ...rest: unknown[]) {
    if (outsideRepo(p)) {
      if (async) return Promise.reject(refusal(name, p));
      throw refusal(name, p);
    }
    return fn.call(this, p, ...rest);
  } as F;

for (const name of ['readFileSync', 'openSync', 'createReadStream', 'readdirSync', 'readFile', 'open', 'readdir'] as const) {
  (fs as any)[name] = guard(name, (fs as any)[name]);
}
for (const name of ['readFile', 'open', 'readdir'] as const) {
  (fs.promises as any)[name] = guard(`promises.${name}`, (fs.promises as any)[name], true);
}

// Two statements at once on one checked-out `pg` client (inside a transaction) are deprecated in pg 8 and an error in
// pg 9; pg warns only once per process. Any test during which it happens fails here, on the PostgreSQL pass (issue 14;
// db.ts chains the statements of a client).
const concurrentClientUse: string[] = [];
process.on('warning', (w) => {
  if (/client is already executing a query/.test(w.message)) concurrentClientUse.push(w.message);
});
afterEach(async () => {
  await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
  if (concurrentClientUse.length) throw new Error(`Twee queries tegelijk op één pg-client: ${concurrentClientUse.splice(0).join('; ')}`);
});
