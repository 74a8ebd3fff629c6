// The differential test: Regiekamer agrees with the official iJW 3.2 validation stylesheet, rule for rule.
// 300+ seeded mutations of the 14 example messages (dates shifted, elements removed, duplicated and grafted, codes,
// volumes and amounts changed, periods swapped, scenarios aimed at each rule's condition, and about 1 in 10 broken
// for the XSD) are judged by the stylesheet (the JDK's XSLT processor, one JVM for all, after the JDK's XSD check)
// and by Regiekamer (libxml2 XSD + rules). Compared: the XSD verdict, and for XSD-valid messages the set of
// (rule code, location) over the stylesheet's rules. Every disagreement is printed; one fails the test.
// A longer run: `npm run fuzz:ijw -- --count N --seed S`. Needs a JDK (.ci/run installs default-jdk-headless).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jdkAvailable } from '../../src/ijw/official.ts';
import { bases, compare, describe as describeDisagreements, run, stylesheetRules, type RunResult } from './differential.ts';

const SEED = 20261205;
const COUNT = 320;
const dir = mkdtempSync(path.join(tmpdir(), 'rk-ijw-official-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(jdkAvailable() || process.env.CI)('Regiekamer and the official stylesheet agree (differential test)', () => {
  let result: RunResult;

  it(`${COUNT} seeded mutations of the 14 examples: no disagreement on the XSD verdict or on any (rule, location)`, async () => {
    result = await run(SEED, COUNT, dir);
    const report = describeDisagreements(result.disagreements);
    if (report) console.log(report);
    console.log(
      `${result.mutants.length} berichten, ${result.xsdValid} XSD-geldig; officieel ${(result.officialMs / 1000).toFixed(1)} s, Regiekamer ${(result.oursMs / 1000).toFixed(1)} s`,
    );
    expect(result.mutants.length).toBeGreaterThanOrEqual(300);
    expect(result.disagreements.map((d) => `${path.basename(d.mutant.file)}: ${d.text}`)).toEqual([]);
  }, 120_000);

  it("the mutants cover every message type, XSD-valid and XSD-invalid ones, and most of the stylesheet's rules", () => {
    expect(new Set(result.mutants.map((m) => m.type)).size).toBe(14);
    expect(result.xsdValid).toBeGreaterThan(result.mutants.length * 0.7);
    expect(result.xsdValid).toBeLessThan(result.mutants.length);
    // the stylesheet found something under many different rules: the comparison is not only about clean messages
    expect(result.codes.size).toBeGreaterThanOrEqual(30);
  });

  it('the stylesheet checks the 61 rules Regiekamer implements under the same codes', async () => {
    const { RULES } = await import('../../src/ijw/rules/registry.ts');
    const ours = new Set(RULES.map((r) => r.code));
    const theirs = stylesheetRules();
    expect(theirs).toHaveLength(61);
    expect(theirs.filter((c) => !ours.has(c))).toEqual([]);
  });

  it("a disagreement is reported: a finding under another code than the stylesheet's", async () => {
    const m = result.mutants[0];
    const official = {
      file: m.file,
      xsd: true,
      findings: [{ code: 'TR137', locations: ['/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/ProductPeriode/Einddatum'] }],
    };
    const ours = {
      xsd: true,
      findings: [
        {
          code: 'CS003',
          retourcode: '0001',
          location: '/Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie/ProductPeriode/Einddatum',
          text: '',
          layer: 'bericht' as const,
        },
      ],
    };
    const ds = compare(m, official, ours, new Set(['TR137', 'CS003']));
    expect(ds.map((d) => d.text)).toEqual([
      'alleen de stylesheet: TR137 /Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie/ProductPeriode/Einddatum',
      'alleen Regiekamer: CS003 /Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie/ProductPeriode/Einddatum',
    ]);
    // a rule the stylesheet does not check (external lists, history) is not compared
    expect(compare(m, { ...official, findings: [] }, { xsd: true, findings: [{ ...ours.findings[0], code: 'TR378' }] }, new Set(['TR137', 'CS003']))).toEqual(
      [],
    );
    expect((await bases()).length).toBe(14);
  });
});
