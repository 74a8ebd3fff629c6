// The XSD check in parts gives the same verdict as on the whole file: same findings and locations, exact lines.
import { describe, expect, it } from 'vitest';
import { validateXsd } from '../../src/ijw/xsd.ts';
import { writeMessage } from '../../src/ijw/writer.ts';
import type { JW323Client, JW325Bericht } from '../../src/ijw/schema.ts';
import { BSN, declaration, exampleModel, line } from './helpers.ts';

function bigDeclaration(n: number): string {
  const clients: JW323Client[] = Array.from({ length: n }, (_, i) => ({ Bsn: BSN, Prestaties: { Prestatie: [line(`R${i}a`), line(`R${i}b`)] } }));
  const m = declaration([]);
  m.Declaratie.Clienten.Client = clients;
  return writeMessage('JW323', m);
}

/** Replace the n-th occurrence of `find`. */
function nth(s: string, find: string, n: number, by: string): string {
  let at = -1;
  for (let i = 0; i <= n; i++) at = s.indexOf(find, at + 1);
  return s.slice(0, at) + by + s.slice(at + find.length);
}

describe('XSD check in parts', () => {
  it('a valid large declaration is valid in parts', async () => {
    const r = await validateXsd({ xml: bigDeclaration(2000) }, { partChars: 16 * 1024 });
    expect(r).toEqual({ type: 'JW323', valid: true, findings: [] });
  });

  it('finds the same errors and locations as the whole file, with the exact lines', async () => {
    let xml = bigDeclaration(2000);
    xml = xml.replace('<jw323:Ontvanger>0384</jw323:Ontvanger>', '<jw323:Ontvanger>38A</jw323:Ontvanger>'); // header
    xml = nth(xml, '<ijw:Einddatum>2026-04-30</ijw:Einddatum>', 11, '<ijw:Einddatum>2026-04-31</ijw:Einddatum>'); // client 6 (the 0th is the declaration period)
    xml = nth(xml, '<jw323:Eenheid>04</jw323:Eenheid>', 2999, '<jw323:Eenheid>04</jw323:Eenheid><jw323:Extra>1</jw323:Extra>'); // client 1500
    xml = nth(xml, '</jw323:Client>', 1899, '</jw323:Client><jw323:Vreemd/>'); // between clients
    xml = xml.replace('</jw323:Clienten>', '</jw323:Clienten><jw323:Na/>'); // after the clients
    const whole = await validateXsd({ xml }, { partChars: 1 << 30 });
    const parts = await validateXsd({ xml }, { partChars: 16 * 1024 });
    expect(whole.findings.length).toBe(5);
    // libxml2 counts lines past 65,535 one short in one big document; the parts are small, so their lines are exact
    expect(parts.findings.map((f) => [f.location, f.message])).toEqual(whole.findings.map((f) => [f.location, f.message]));
    const lineOf = (s: string) => xml.slice(0, xml.indexOf(s)).split('\n').length;
    expect(parts.findings.map((f) => [f.line, f.location])).toEqual([
      [lineOf('38A'), '/Bericht/Header/Ontvanger'],
      [lineOf('2026-04-31'), '/Bericht/Declaratie/Clienten/Client[6]/Prestaties/Prestatie[1]/ProductPeriode/Einddatum'],
      [lineOf('<jw323:Extra>'), '/Bericht/Declaratie/Clienten/Client[1500]/Prestaties/Prestatie[2]/Extra'],
      [lineOf('<jw323:Vreemd/>'), '/Bericht/Declaratie/Clienten/Vreemd'],
      [lineOf('<jw323:Na/>'), '/Bericht/Declaratie/Na'],
    ]);
    expect(parts.findings[1].message).toBe("Einddatum: '2026-04-31' is geen geldige waarde voor LDT_Datum");
  });

  it('a one-line file (no line breaks) in parts', async () => {
    const m = declaration([]);
    m.Declaratie.Clienten.Client = Array.from({ length: 500 }, (_, i) => ({ Bsn: i === 321 ? 'ABC' : BSN, Prestaties: { Prestatie: [line(`R${i}`)] } }));
    const xml = writeMessage('JW323', m, { indent: false }).replace(/\n/g, '');
    const parts = await validateXsd({ xml }, { partChars: 4096 });
    expect(parts.findings.map((f) => [f.line, f.location])).toEqual([[1, '/Bericht/Declaratie/Clienten/Client[322]/Bsn']]);
  });

  it('what follows the clients is judged once, from the real end of the file (JW325 without RetourCodes)', async () => {
    const m: JW325Bericht = await exampleModel('JW325');
    const c = m.DeclaratieAntwoord!.Clienten!.Client[0];
    m.DeclaratieAntwoord!.Clienten!.Client = Array.from({ length: 300 }, () => structuredClone(c));
    const xml = writeMessage('JW325', m);
    expect((await validateXsd({ xml }, { partChars: 8192 })).valid).toBe(true);
    const broken = xml.replace(
      /<\/jw325:Clienten>\s*<jw325:RetourCodes>\s*<jw325:RetourCode>0200<\/jw325:RetourCode>\s*<\/jw325:RetourCodes>/,
      '</jw325:Clienten>',
    );
    const r = await validateXsd({ xml: broken }, { partChars: 8192 });
    expect(r.findings).toEqual([
      expect.objectContaining({ location: '/Bericht/DeclaratieAntwoord', message: expect.stringContaining('verplicht element ontbreekt: RetourCodes') }),
    ]);
  });

  it('stops collecting at maxFindings', async () => {
    const m = declaration([]);
    m.Declaratie.Clienten.Client = Array.from({ length: 200 }, (_, i) => ({ Bsn: 'X', Prestaties: { Prestatie: [line(`R${i}`)] } }));
    const r = await validateXsd({ xml: writeMessage('JW323', m) }, { maxFindings: 25 });
    expect(r.valid).toBe(false);
    expect(r.findings).toHaveLength(25);
  });
});
