// The server and the CLI run as compiled JavaScript (issue 13): `npx regiekamer` builds dist/ when it is missing or
// older than src/, then runs it; nothing in dist/ needs a TypeScript loader.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { newestSource } from '../scripts/build-server.mjs';

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });

describe('gecompileerde server en CLI', () => {
  it('npx regiekamer --help draait uit dist/, dat bij is met src/', () => {
    const r = spawnSync(process.execPath, ['bin/regiekamer.mjs', '--help'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: regiekamer');
    expect(Number(readFileSync('dist/.source-time', 'utf8'))).toBeGreaterThanOrEqual(newestSource());
    expect(existsSync('dist/db/migrations/001_foundation.sql')).toBe(true); // what the code reads beside itself came along
    expect(existsSync('dist/ijw/xsd/jw323.xsd')).toBe(true);
  });

  it('niets in dist/ laadt TypeScript: geen .ts-imports en geen tsx', () => {
    const offenders = walk('dist')
      .filter((f) => /\.(js|mjs)$/.test(f))
      .filter((f) => {
        const code = readFileSync(f, 'utf8');
        return /from ['"][^'"]+\.ts['"]|import\(['"][^'"]+\.ts['"]\)|['"]tsx(\/[^'"]*)?['"]/.test(code);
      });
    expect(offenders).toEqual([]);
  });
});
