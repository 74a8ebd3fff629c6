// The XSD checker generated from the official XSDs (xsd-check.ts, run by the streaming reader) against the reference,
// libxml2 (xsd.ts): the same verdict and the same findings (line, element, Dutch text) on valid and invalid messages:
// targeted breaks of the JW323 example, and seeded mutations of all 14 example messages (the mutations of the
// differential test, and text mutations that break order, occurrence, namespaces and values). Every difference is
// listed; one fails the test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { EQUIVALENT_PATTERNS } from '../../src/ijw/codegen.ts';
import { validateFile } from '../../src/ijw/validate.ts';
import { isXsdDate } from '../../src/ijw/xsd-check.ts';
import { checkXsd } from '../../src/ijw/xsd-stream.ts';
import { validateXsd, type XsdResult } from '../../src/ijw/xsd.ts';
import { makeMutants, rng } from './differential.ts';

const EXAMPLES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../standards/ijw-3.2/examples');
const JW323 = readFileSync(path.join(EXAMPLES, 'JW323.xml'), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'rk-xsd-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The findings as comparable lines. A position [1] is dropped: libxml2 numbers an element that does not repeat in the
 * XSD when a sibling of the same name follows it, which a streaming check cannot know yet.
 */
const lines = (r: XsdResult) => r.findings.map((f) => `${f.line} ${f.location.replace(/\[1\]/g, '')} ${f.message}`);

async function both(xml: string) {
  const run = async (f: () => Promise<XsdResult>) => {
    try {
      return await f();
    } catch (e) {
      return { type: 'JW323', valid: false, findings: [{ line: 0, location: 'onleesbaar', message: (e as Error).message }] } as XsdResult;
    }
  };
  return { libxml2: await run(() => validateXsd({ xml })), ours: await run(() => checkXsd({ xml })) };
}

describe('the generated XSD checker agrees with libxml2', () => {
  // [what, find (regular expression), replace]: the JW323 example broken in one place
  const CASES: [string, string, string][] = [
    ['BSN of letters', '999900006', 'ABC'],
    ['empty BSN', '<jw323:Bsn>999900006</jw323:Bsn>', '<jw323:Bsn></jw323:Bsn>'],
    ['BSN too long', '999900006', '9999000061'],
    ['BSN with a space', '999900006', ' 999900006'],
    ['BSN with a no-break space', '999900006', '99990000\u00a0'],
    ['volume not a number', '<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume>X9<'],
    ['volume too large', '<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume>100000000<'],
    ['negative volume', '<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume>-1<'],
    ['volume with sign and spaces', '<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume> +4 <'],
    ['volume with leading zeros', '<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume>0000000000000000000004<'],
    ['volume 4.0', '<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume>4.0<'],
    ['empty volume', '<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume><'],
    ['volume in CDATA', '<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume><![CDATA[4]]><'],
    ['volume around a comment', '<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume>4<!-- x -->2<'],
    ['unit outside the code list', '<jw323:Eenheid>04<', '<jw323:Eenheid>X9<'],
    ['unit too long', '<jw323:Eenheid>04<', '<jw323:Eenheid>044<'],
    ['30 February', '<ijw:Begindatum>2026-04-01<', '<ijw:Begindatum>2026-02-30<'],
    ['date with Z', '<ijw:Begindatum>2026-04-01<', '<ijw:Begindatum>2026-04-01Z<'],
    ['date with a zone', '<ijw:Begindatum>2026-04-01<', '<ijw:Begindatum>2026-04-01+01:00<'],
    ['date with spaces', '<ijw:Begindatum>2026-04-01<', '<ijw:Begindatum> 2026-04-01 <'],
    ['29 February 2024', '<ijw:Begindatum>2026-04-01<', '<ijw:Begindatum>2024-02-29<'],
    ['29 February 2100', '<ijw:Begindatum>2026-04-01<', '<ijw:Begindatum>2100-02-29<'],
    ['year 0000', '<ijw:Begindatum>2026-04-01<', '<ijw:Begindatum>0000-02-01<'],
    ['year 12026', '<ijw:Begindatum>2026-04-01<', '<ijw:Begindatum>12026-02-01<'],
    ['BerichtVersie 4', '<jw323:BerichtVersie>3<', '<jw323:BerichtVersie>4<'],
    ['BerichtVersie X', '<jw323:BerichtVersie>3<', '<jw323:BerichtVersie>X<'],
    ['BerichtVersie 100', '<jw323:BerichtVersie>3<', '<jw323:BerichtVersie>100<'],
    ['BerichtCode 49', '<jw323:BerichtCode>490<', '<jw323:BerichtCode>49<'],
    ['BerichtCode 4900', '<jw323:BerichtCode>490<', '<jw323:BerichtCode>4900<'],
    ['product code a space', '<jw323:ProductCode>45A03<', '<jw323:ProductCode> <'],
    ['product code too long', '<jw323:ProductCode>45A03<', '<jw323:ProductCode>45A031<'],
    ['product code with a line break', '<jw323:ProductCode>45A03<', '<jw323:ProductCode>45\n03<'],
    ['product code with an entity', '<jw323:ProductCode>45A03<', '<jw323:ProductCode>45&amp;03<'],
    ['declaration number with a hyphen', '<jw323:DeclaratieNummer>', '<jw323:DeclaratieNummer>a-b'],
    ['BSN missing', '<jw323:Bsn>999900006</jw323:Bsn>', ''],
    ['an unknown element', '<jw323:Bsn>999900006</jw323:Bsn>', '<jw323:Bsn>999900006</jw323:Bsn><jw323:Extra/>'],
    ['BSN twice', '<jw323:Bsn>999900006</jw323:Bsn>', '<jw323:Bsn>999900006</jw323:Bsn><jw323:Bsn>999900006</jw323:Bsn>'],
    ['two unknown elements', '<jw323:Bsn>999900006</jw323:Bsn>', '<jw323:X/><jw323:Y/>'],
    ['text in a Client', '<jw323:Bsn>999900006</jw323:Bsn>', 'tekst<jw323:Bsn>999900006</jw323:Bsn>'],
    ['an attribute', '<jw323:Bsn>999900006</jw323:Bsn>', '<jw323:Bsn a="1">999900006</jw323:Bsn>'],
    ['an attribute in another namespace', '<jw323:Header>', '<jw323:Header xmlns:x="urn:x" x:foo="x">'],
    ['xsi:schemaLocation', '<jw323:Client>', '<jw323:Client xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="a b">'],
    ['an element in a value', '<jw323:Bsn>999900006</jw323:Bsn>', '<jw323:Bsn><jw323:X/>999900006</jw323:Bsn>'],
    ['volume missing', '<jw323:GeleverdVolume>4</jw323:GeleverdVolume>', ''],
    ['BSN in the wrong namespace', '<jw323:Bsn>999900006</jw323:Bsn>', '<ijw:Bsn>999900006</ijw:Bsn>'],
    ['period without end', '<ijw:Einddatum>2026-04-30</ijw:Einddatum>', ''],
    ['an empty Client', '<jw323:Client>[\\s\\S]*</jw323:Client>', '<jw323:Client/>'],
    ['an empty Prestaties', '<jw323:Prestaties>[\\s\\S]*?</jw323:Prestaties>', '<jw323:Prestaties></jw323:Prestaties>'],
    ['the product reference missing', '<jw323:ProductReferentie>[\\s\\S]*?</jw323:ProductReferentie>', ''],
    ['an unknown element where a required one is missing', '<ijw:Einddatum>2026-04-30</ijw:Einddatum>', '<ijw:Foo>x</ijw:Foo>'],
    ['a processing instruction', '<jw323:Bsn>999900006</jw323:Bsn>', '<?x y?><jw323:Bsn>999900006</jw323:Bsn>'],
  ];

  it(`${CASES.length} targeted breaks of the JW323 example: the same findings, line for line`, async () => {
    const diffs: string[] = [];
    for (const [what, find, repl] of CASES) {
      const xml = JW323.replace(new RegExp(find), repl);
      expect(xml, what).not.toBe(JW323);
      const { libxml2, ours } = await both(xml);
      if (JSON.stringify(lines(libxml2)) !== JSON.stringify(lines(ours)) || libxml2.valid !== ours.valid)
        diffs.push(`${what}\n  libxml2: ${lines(libxml2).join(' | ')}\n  generated: ${lines(ours).join(' | ')}`);
    }
    expect(diffs).toEqual([]);
  });

  it('worked example: a unit outside the code list, in Dutch with the code list', async () => {
    const { ours } = await both(JW323.replace('<jw323:Eenheid>04<', '<jw323:Eenheid>X9<'));
    expect(ours.findings).toEqual([
      {
        line: 45,
        location: '/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/Eenheid',
        message: "Eenheid: 'X9' komt niet voor in de codelijst; toegestaan: 01, 04, 14, 16, 82, 83, 84",
      },
    ]);
    const { ours: long } = await both(JW323.replace('999900006', '9999000061'));
    expect(long.findings.map((f) => f.message)).toEqual([
      'Bsn: de waarde is 10 tekens lang; maximaal 9 tekens toegestaan',
      "Bsn: '9999000061' heeft niet de vereiste vorm: precies 9 cijfers",
    ]);
  });

  it('xsi:nil and xsi:type are refused by both (in other words: libxml2 has its own sentence for them)', async () => {
    for (const a of ['xsi:nil="true"', 'xsi:type="x"']) {
      const { libxml2, ours } = await both(JW323.replace('<jw323:Client>', `<jw323:Client xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ${a}>`));
      expect([libxml2.valid, ours.valid]).toEqual([false, false]);
      expect(ours.findings.map((f) => f.location)).toEqual(libxml2.findings.map((f) => f.location));
    }
  });

  /** Text mutations that break the XSD: an element removed, doubled, moved, renamed, or given an odd value. */
  function breakText(xml: string, r: ReturnType<typeof rng>): string {
    const simple = [...xml.matchAll(/<(\w+):(\w+)>([^<]*)<\/\1:\2>/g)];
    const any = [...xml.matchAll(/<(\w+):(\w+)>[\s\S]*?<\/\1:\2>/g)];
    const pool = r.int(2) && simple.length ? simple : any;
    if (!pool.length) return xml;
    const m = r.pick(pool);
    const at = m.index!,
      end = at + m[0].length;
    switch (r.int(7)) {
      case 0:
        return xml.slice(0, at) + xml.slice(end); // removed
      case 1:
        return xml.slice(0, end) + m[0] + xml.slice(end); // doubled
      case 2: {
        // swapped with the element after it
        const next = /^\s*(<(\w+):(\w+)>[\s\S]*?<\/\2:\3>)/.exec(xml.slice(end));
        return next ? xml.slice(0, at) + next[1] + m[0] + xml.slice(end + next[0].length) : xml;
      }
      case 3:
        return xml.slice(0, at) + m[0].replace(/^<(\w+):(\w+)>/, '<$1:$2Extra>').replace(/<\/(\w+):(\w+)>$/, '</$1:$2Extra>') + xml.slice(end); // renamed
      case 4: {
        // the other namespace
        const other = m[1] === 'ijw' ? /<(jw\d{3}):/.exec(xml)![1] : 'ijw';
        const inner = m[0].slice(m[1].length + m[2].length + 3, m[0].length - (m[1].length + m[2].length + 4));
        return `${xml.slice(0, at)}<${other}:${m[2]}>${inner}</${other}:${m[2]}>${xml.slice(end)}`;
      }
      case 5: {
        // an odd value
        if (!simple.length) return xml;
        const s = r.pick(simple);
        const v = r.pick([
          '',
          ' ',
          'X9',
          '-1',
          '0',
          '100000000000000',
          '2026-02-30',
          '2026-04-01Z',
          'a'.repeat(300),
          '12:00:00',
          '24:00:00',
          '1.0',
          '\t4\n',
          '01',
          'Ü',
        ]);
        return xml.slice(0, s.index!) + `<${s[1]}:${s[2]}>${v}</${s[1]}:${s[2]}>` + xml.slice(s.index! + s[0].length);
      }
      default:
        return xml.slice(0, end) + r.pick(['<x:Vreemd xmlns:x="urn:x"/>', 'tekst', '<!-- c -->', `<${m[1]}:Onbekend/>`]) + xml.slice(end); // something after it
    }
  }

  it('400 seeded mutants of the 14 examples, about half of them broken in the text: the same verdict and findings', async () => {
    const mutants = await makeMutants(20261205, 400, dir);
    const r = rng(77);
    let invalid = 0;
    const diffs: string[] = [];
    for (const [i, m] of mutants.entries()) {
      let xml = readFileSync(m.file, 'utf8');
      if (i % 2) for (let k = 1 + r.int(2); k > 0; k--) xml = breakText(xml, r);
      const { libxml2, ours } = await both(xml);
      if (!libxml2.valid) invalid++;
      if (libxml2.valid !== ours.valid || JSON.stringify(lines(libxml2)) !== JSON.stringify(lines(ours))) {
        diffs.push(`${path.basename(m.file)} (${m.what.join('; ')})\n  libxml2: ${lines(libxml2).join(' | ')}\n  generated: ${lines(ours).join(' | ')}`);
      }
    }
    expect(mutants.length).toBe(400);
    expect(invalid).toBeGreaterThan(150); // the comparison is not only about valid messages
    expect(diffs).toEqual([]);
  }, 120_000);

  it('a pattern replaced by an equivalent expression accepts exactly what the literal one accepts', () => {
    const literal = /^(?:([. \t\n\r]*[^ \t\n\r]+[. \t\n\r]*)+)$/u; // ([.\s]*\S+[.\s]*)+ translated as written
    const [xsd, js] = Object.entries(EQUIVALENT_PATTERNS)[0];
    expect(xsd).toBe('([.\\s]*\\S+[.\\s]*)+');
    const equivalent = new RegExp(`^(?:${js})$`, 'u');
    fc.assert(
      fc.property(fc.stringMatching(/^[ a.\t\n\r]{0,12}$/), (s) => equivalent.test(s) === literal.test(s)),
      { numRuns: 2000 },
    );
    // and it does not backtrack for long on a long value of spaces
    const t0 = performance.now();
    expect(equivalent.test(' '.repeat(60_000))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('dates: the Gregorian calendar, no year 0000, zones up to 14:00', () => {
    expect(['2024-02-29', '2000-02-29', '2026-12-31', '-0044-03-15', '12026-01-01', '2026-01-01+14:00'].map(isXsdDate)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['2100-02-29', '2026-04-31', '0000-01-01', '2026-13-01', '2026-1-01', '2026-01-01+14:01', '26-01-01'].map(isXsdDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("ijw validate reports the generated checker's findings; libxml2 can still be asked for and agrees", async () => {
    const file = path.join(dir, 'kapot.xml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JW323.replace('<jw323:Eenheid>04<', '<jw323:Eenheid>X9<'));
    const gen = await validateFile(file, { today: '2026-11-23' });
    const ref = await validateFile(file, { today: '2026-11-23', xsd: 'libxml2' });
    const xsd = (v: typeof gen) => v.findings.filter((f) => f.layer === 'xsd').map((f) => [f.line, f.location, f.text]);
    expect(xsd(gen)).toEqual([
      [
        45,
        '/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/Eenheid',
        "Eenheid: 'X9' komt niet voor in de codelijst; toegestaan: 01, 04, 14, 16, 82, 83, 84",
      ],
    ]);
    expect(xsd(ref)).toEqual(xsd(gen));
    expect(gen.valid).toBe(false);
  });
});
