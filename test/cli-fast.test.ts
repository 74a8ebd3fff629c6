// `regiekamer ijw validate` goes the short way (src/cli/fast.ts, bundled in dist/cli-fast): without commander and
// the CLI's other modules. It must answer exactly as the commander path does (dist/cli/main.js): the same output,
// the same exit code; anything the short way does not know goes to commander.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastValidateArgs } from '../src/cli/fast.ts';
import { thousands } from '../src/ijw/cli.ts';
import { ROOT, example } from './ijw/helpers.ts';

describe('de korte weg voor ijw validate', () => {
  it('neemt alleen een gewone ijw validate; al het andere gaat naar commander', () => {
    expect(fastValidateArgs(['ijw', 'validate', 'a.xml', '--json', 'b.xml'])).toEqual({ files: ['a.xml', 'b.xml'], json: true, withHistory: false });
    expect(fastValidateArgs(['ijw', 'validate', '--with-history', 'a.xml'])).toEqual({ files: ['a.xml'], json: false, withHistory: true });
    expect(fastValidateArgs(['ijw', 'validate'])).toBeNull(); // commander says a file is missing
    expect(fastValidateArgs(['ijw', 'validate', '--help'])).toBeNull();
    expect(fastValidateArgs(['ijw', 'validate', 'a.xml', '--jsn'])).toBeNull(); // commander names the unknown option
    expect(fastValidateArgs(['ijw', 'validate', '--', '-a.xml'])).toBeNull();
    expect(fastValidateArgs(['ijw', 'import', 'a.xml'])).toBeNull();
    expect(fastValidateArgs(['--help'])).toBeNull();
  });

  it('geeft via bin/regiekamer.mjs dezelfde uitvoer en exitcode als commander (geldig, bevindingen, onleesbaar)', () => {
    const files = [example('JW301'), example('JW323'), example('JW315'), `${ROOT}geen-bestand.xml`];
    const bin = spawnSync(process.execPath, ['bin/regiekamer.mjs', 'ijw', 'validate', '--json', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(existsSync(`${ROOT}dist/cli-fast/fast.js`)).toBe(true); // the build made the bundle the short way runs
    const main = spawnSync(process.execPath, ['dist/cli/main.js', 'ijw', 'validate', '--json', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(bin.status).toBe(2); // one file cannot be read
    expect(main.status).toBe(2);
    expect(bin.stdout).toBe(main.stdout);
    const verdicts = JSON.parse(bin.stdout) as { valid: boolean; findings: { code: string }[]; error?: unknown }[];
    expect(verdicts.map((v) => (v.error ? 'error' : v.valid ? 'geldig' : [...new Set(v.findings.map((f) => f.code))].join(',')))).toEqual([
      'geldig',
      'TR101',
      'XSD',
      'error',
    ]);
    const help = spawnSync(process.execPath, ['bin/regiekamer.mjs', 'ijw', 'validate', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: regiekamer ijw validate');
  });

  it('leest de code-cache van de bundel; een cache die V8 weigert geeft hetzelfde oordeel en wordt opnieuw gemaakt', () => {
    const cache = `${ROOT}dist/cli-fast/validate.cjs.cache`;
    const files = [example('JW323'), example('JW315')];
    const run = () => spawnSync(process.execPath, ['bin/regiekamer.mjs', 'ijw', 'validate', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(existsSync(cache)).toBe(true); // made by the build
    const before = run();
    writeFileSync(cache, 'geen cache'); // as one made by another Node version: refused by V8
    const refused = run();
    expect(refused.status).toBe(before.status);
    expect(refused.stdout).toBe(before.stdout);
    expect(statSync(cache).size).toBeGreaterThan(1000); // made again after that run
    expect(readFileSync(cache, 'utf8')).not.toBe('geen cache');
  });

  it('de bundel met code-cache is in ASCII geschreven en oordeelt over letters buiten ASCII als commander (LDT_Voorletters)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rk-fast-'));
    try {
      const jw301 = readFileSync(example('JW301'), 'utf8');
      const files = ['ÉË', 'É1'].map((v, i) => {
        const f = path.join(dir, `v${i}.xml`);
        writeFileSync(f, jw301.replace(/<ijw:Voorletters>[^<]*<\/ijw:Voorletters>/, `<ijw:Voorletters>${v}</ijw:Voorletters>`));
        return f;
      });
      expect(/[^\x00-\x7f]/.test(readFileSync(`${ROOT}dist/cli-fast/validate.cjs`, 'latin1'))).toBe(false);
      const bin = spawnSync(process.execPath, ['bin/regiekamer.mjs', 'ijw', 'validate', '--json', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      const main = spawnSync(process.execPath, ['dist/cli/main.js', 'ijw', 'validate', '--json', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(bin.stdout).toBe(main.stdout);
      expect((JSON.parse(bin.stdout) as { valid: boolean }[]).map((v) => v.valid)).toEqual([true, false]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('schrijft het aantal prestaties zoals nl-NL het doet, zonder ICU', () => {
    for (const n of [0, 7, 999, 1000, 10_000, 123_456, 1_234_567, 100_000_000]) expect(thousands(n)).toBe(n.toLocaleString('nl-NL'));
  });
});
