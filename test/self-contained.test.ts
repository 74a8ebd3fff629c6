// The repository stands alone (issue 13): nothing in the product or its tests reads ../shared, the team's workspace
// beside the repository. At run time test/setup/inside-repo.ts refuses every read beside the repository; here we
// show it does, and scan the code for paths that climb out of it.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync, promises } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './setup/inside-repo.ts';

const beside = path.join(REPO_ROOT, '..', 'shared', 'domain', 'figures.json');

describe('de repository staat op zichzelf', () => {
  it('een test die naast de repository leest, faalt', async () => {
    expect(() => readFileSync(beside)).toThrow(/buiten de repository/);
    await expect(promises.readFile(beside)).rejects.toThrow(/buiten de repository/);
    expect(() => readFileSync(path.join(REPO_ROOT, 'package.json'))).not.toThrow();
  });

  it('geen code of test verwijst naar een pad buiten de repository', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name.startsWith('.') || name === 'dist' || name === 'data') continue;
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) {
          walk(p);
          continue;
        }
        if (!/\.(ts|tsx|mjs|js|json)$/.test(name) || /\.generated\.ts$/.test(name)) continue;
        readFileSync(p, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            const code = line.replace(/\/\/.*$/, '');
            if (/['"`](\.\.\/)+shared\//.test(code) || /new URL\(['"`](\.\.\/){3,}/.test(code)) offenders.push(`${path.relative(REPO_ROOT, p)}:${i + 1}`);
          });
      }
    };
    for (const dir of ['src', 'test', 'bench', 'scripts', 'bin', 'web']) walk(path.join(REPO_ROOT, dir));
    expect(offenders).toEqual([]);
  });
});
