// `npx regiekamer tariff calc --input FILE.json` prints the build-up as JSON; bad input names the field and exits 1.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/regiekamer.mjs', 'tariff', 'calc', ...args], { encoding: 'utf8' });

describe('regiekamer tariff calc', () => {
  it('prints the build-up of the example file: a minute tariff built per hour, the steps adding up to the hour tariff', () => {
    const r = run('--input', 'examples/tariff-calc.json');
    expect(r.status, r.stderr).toBe(0);
    const b = JSON.parse(r.stdout);
    expect([b.code, b.unit, b.costUnit]).toEqual(['45A53', 'minuut', 'uur']);
    expect(b.steps.map((s: any) => s.key)).toEqual(['salaris', 'toeslagen', 'sociale_lasten', 'productiviteit', 'overige_kosten', 'overhead', 'risico']);
    expect(b.steps.reduce((a: number, s: any) => a + s.cents, 0)).toBe(b.totalCents);
    expect(b.tariffCents).toBe(Math.round(b.totalCents / 60));
    const g = JSON.parse(run('--input', 'examples/tariff-calc-gezinshuis.json').stdout);
    expect(g.steps[0].key).toBe('gezinshuisouders');
    expect(g.steps.reduce((a: number, s: any) => a + s.cents, 0)).toBe(g.tariffCents);
  }, 60_000);

  it('names the field that is wrong, in Dutch, and exits 1', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rk-calc-')), 'fout.json');
    const input = JSON.parse(readFileSync('examples/tariff-calc.json', 'utf8'));
    input.product.productivity = 'hoog';
    writeFileSync(file, JSON.stringify(input));
    const r = run('--input', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('product.productivity');
    expect(run('--input', 'bestaat-niet.json').stderr).toContain('bestand bestaat niet');
  }, 60_000);
});
