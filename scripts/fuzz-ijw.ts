// `npm run fuzz:ijw -- --count N --seed S [--keep DIR]`: the differential test (test/ijw/official.test.ts) on more
// messages: N seeded mutations of the 14 example messages, judged by the official stylesheet (one JVM) and by
// Regiekamer (the generated XSD checker compared with libxml2 as well). Prints every disagreement and the times;
// exit code 1 when there is any.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, run } from '../test/ijw/differential.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const count = Number(arg('count', '1000'));
const seed = Number(arg('seed', String(Date.now() % 1_000_000)));
const keep = arg('keep', '');
const dir = keep || mkdtempSync(path.join(tmpdir(), 'rk-fuzz-ijw-'));
const r = await run(seed, count, dir);
if (r.disagreements.length) console.log(describe(r.disagreements));
const files = new Set(r.disagreements.map((d) => d.mutant.file)).size;
console.log(`seed ${seed}: ${r.mutants.length} berichten (${r.xsdValid} XSD-geldig), ${r.disagreements.length} verschillen in ${files} berichten`);
console.log(
  `stylesheet-meldingen per regel: ${[...r.codes]
    .sort()
    .map(([c, n]) => `${c} ${n}`)
    .join(', ')}`,
);
console.log(
  `tijd: officieel (JVM, XSD + stylesheet) ${(r.officialMs / 1000).toFixed(1)} s, Regiekamer (gegenereerde XSD-controle + regels, met libxml2 als referentie ernaast) ${(r.oursMs / 1000).toFixed(1)} s`,
);
if (!keep) rmSync(dir, { recursive: true, force: true });
process.exit(r.disagreements.length ? 1 : 0);
