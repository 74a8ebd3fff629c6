// Import boundaries (issue 13): a capability reaches another only through that one's index.ts, its public door; the
// shared layers (core, db, http, access) are open to all; the edges (cli, app.ts, http/server.ts) wire everything.
// The web app imports from the server's sources only what is meant to be shared: the pure tariff model and core.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './setup/inside-repo.ts';

const CAPABILITIES = ['catalog', 'tariffs', 'ijw', 'funding', 'placement', 'monitoring', 'providers', 'demo'];
const SHARED = ['core', 'db', 'http', 'access'];

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx|mjs)$/.test(n) ? [p] : [];
  });
/** Every module a file imports: static, re-exported and dynamic. */
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(\s*)'([^']+)'/g)].map((m) => m[1]);

describe('importgrenzen', () => {
  it('een capability gebruikt een andere alleen via haar index.ts', () => {
    const offenders: string[] = [];
    for (const cap of CAPABILITIES) {
      for (const file of files(path.join(REPO_ROOT, 'src', cap))) {
        for (const spec of importsOf(file)) {
          if (!spec.startsWith('.')) continue;
          const target = path.relative(path.join(REPO_ROOT, 'src'), path.resolve(path.dirname(file), spec)).split(path.sep);
          const [folder] = target;
          if (folder === cap || SHARED.includes(folder) || !CAPABILITIES.includes(folder)) continue;
          if (target.length === 2 && target[1] === 'index.ts') continue;
          offenders.push(`${path.relative(REPO_ROOT, file)} → src/${target.join('/')}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('de webapp importeert uit src/ alleen het gedeelde tariefmodel en core', () => {
    const offenders: string[] = [];
    for (const file of files(path.join(REPO_ROOT, 'web', 'src'))) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const abs = path.resolve(path.dirname(file), spec);
        const rel = path.relative(REPO_ROOT, abs).split(path.sep).join('/');
        if (rel.startsWith('web/')) continue;
        if (rel === 'src/tariffs/model.ts' || rel.startsWith('src/core/')) continue;
        offenders.push(`${path.relative(REPO_ROOT, file)} → ${rel}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
