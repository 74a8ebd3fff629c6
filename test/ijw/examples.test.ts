// Every example of the standard gets the verdict standards/SOURCE.md promises, through the CLI function and
// through the command line itself (the exit-code contract other tools rely on).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runValidate } from '../../src/ijw/cli.ts';
import { MESSAGE_TYPES } from '../../src/ijw/schema.ts';
import { EXPECTED, ROOT, TODAY, example } from './helpers.ts';

const run = promisify(execFile);

async function cli(files: string[], args: string[] = ['--json'], env: NodeJS.ProcessEnv = process.env) {
  try {
    const { stdout } = await run(process.execPath, ['bin/regiekamer.mjs', 'ijw', 'validate', ...args, ...files], { cwd: ROOT, maxBuffer: 16 << 20, env });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

describe('the examples of iJW 3.2', () => {
  for (const type of MESSAGE_TYPES) {
    const expected = EXPECTED[type];
    it(`${type}: ${expected.length ? `breaks ${expected.join(', ')}` : 'valid'}`, async () => {
      let out = '';
      const code = await runValidate([example(type)], {
        json: true,
        out: (s) => {
          out += s;
        },
        progress: null,
        today: TODAY,
      });
      const [v] = JSON.parse(out);
      expect(v.file).toBe(example(type));
      expect(v.message).toBe(type);
      expect(v.valid).toBe(expected.length === 0);
      expect([...new Set(v.findings.map((f: { code: string }) => f.code))].sort()).toEqual(expected);
      expect(code).toBe(expected.length ? 1 : 0);
      for (const f of v.findings) {
        expect(f.location).toMatch(/^\/Bericht\//);
        expect(f.retourcode).toMatch(/^[0-9S]\d{3}$/);
        expect(f.text.length).toBeGreaterThan(5);
      }
    });
  }

  it('locates the findings: JW323 the duplicate line, JW317 the end date, JW315 both dates with their lines', async () => {
    let out = '';
    await runValidate([example('JW323'), example('JW317'), example('JW315')], {
      json: true,
      out: (s) => {
        out += s;
      },
      progress: null,
      today: TODAY,
    });
    const [jw323, jw317, jw315] = JSON.parse(out);
    expect(jw323.findings).toEqual([
      expect.objectContaining({ code: 'TR101', retourcode: '0001', location: '/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[3]' }),
    ]);
    expect(jw317.findings).toEqual([
      expect.objectContaining({ code: 'CS003', retourcode: '0001', location: '/Bericht/Client[1]/Verzoek/NieuweProducten/NieuwProduct[1]/Einddatum' }),
    ]);
    expect(jw315.findings.map((f: { location: string; line: number }) => [f.location, f.line])).toEqual([
      ['/Bericht/Client[1]/AangevraagdeProducten/AangevraagdProduct[1]/ToewijzingEinddatum', 44],
      ['/Bericht/Client[1]/AangevraagdeProducten/AangevraagdProduct[2]/ToewijzingEinddatum', 66],
    ]);
  });
});

describe('npx regiekamer ijw validate (spawned)', () => {
  const valid = MESSAGE_TYPES.filter((t) => EXPECTED[t].length === 0).map(example);

  it('exit 0 and one JSON array when every file is valid', async () => {
    const { code, stdout } = await cli(valid);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toHaveLength(valid.length);
    expect(out.every((v: { valid: boolean; findings: unknown[] }) => v.valid && v.findings.length === 0)).toBe(true);
  });

  it('exit 1 when any file has findings, with the verdict per file', async () => {
    const { code, stdout } = await cli(MESSAGE_TYPES.map(example));
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as { message: string; valid: boolean; findings: { code: string; retourcode: string; location: string }[] }[];
    expect(out.map((v) => v.message)).toEqual([...MESSAGE_TYPES]);
    for (const v of out) expect([...new Set(v.findings.map((f) => f.code))].sort()).toEqual(EXPECTED[v.message as keyof typeof EXPECTED]);
    const jw323 = out.find((v) => v.message === 'JW323')!;
    expect(jw323.findings[0]).toMatchObject({ code: 'TR101', retourcode: '0001', location: '/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[3]' });
  });

  it('exit 2 when a file cannot be read at all, the others still judged', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ijw-cli-'));
    const broken = path.join(dir, 'kapot.xml');
    writeFileSync(broken, '<jw323:Bericht xmlns:jw323="http://www.istandaarden.nl/ijw/3_2/jw323/schema"><jw323:Header>');
    const { code, stdout } = await cli([example('JW301'), broken, path.join(dir, 'bestaat-niet.xml')]);
    expect(code).toBe(2);
    const [ok, bad, missing] = JSON.parse(stdout);
    expect(ok).toMatchObject({ message: 'JW301', valid: true });
    expect(bad).toMatchObject({ message: null, valid: false, findings: [], error: { code: 'XML' } });
    expect(missing.error).toMatchObject({ code: 'BESTAND', text: expect.stringContaining('niet gevonden') });
  });

  it('--with-history without a usable database (no BSN key): exit 2, nothing judged', async () => {
    const { REGIEKAMER_BSN_KEY: _k, REGIEKAMER_DEMO: _d, ...env } = process.env;
    const { code, stdout } = await cli([example('JW323')], ['--json', '--with-history'], env);
    expect(code).toBe(2);
    expect(stdout).toBe('');
  });

  it('without --json: a readable report in Dutch', async () => {
    const { code, stdout } = await cli([example('JW323')], []);
    expect(code).toBe(1);
    expect(stdout).toContain('TR101');
    expect(stdout).toContain('1 bevinding');
  });
});
