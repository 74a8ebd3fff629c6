// XSD findings in plain Dutch that name the element and the limit (issue 18). The raw texts are libxml2's wording
// (xmlschemas.c); the last test runs the real validator on the JW323 example with broken values.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { xsdMessageNl } from '../../src/ijw/xsd-messages-nl.ts';
import { validateXsd } from '../../src/ijw/xsd.ts';
import { example } from './helpers.ts';

const NS = '{http://www.istandaarden.nl/ijw/3_2/jw323/schema}';
const ENGLISH = /\b(?:facet|The value|is not|exceeds|allowed|Expected|Missing|not expected|attribute)\b/;

describe('xsdMessageNl', () => {
  const cases: [string, string][] = [
    [
      `Element '${NS}ReferentieNummer': [facet 'maxLength'] The value 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' has a length of '26'; this exceeds the allowed maximum length of '20'.`,
      'ReferentieNummer: de waarde is 26 tekens lang; maximaal 20 tekens toegestaan',
    ],
    [
      `Element '${NS}Commentaar': [facet 'minLength'] The value '' has a length of '0'; this underruns the allowed minimum length of '1'.`,
      'Commentaar: de waarde is 0 tekens lang; minimaal 1 tekens vereist',
    ],
    [
      `Element '${NS}Eenheid': [facet 'enumeration'] The value '99' is not an element of the set {'01', '04', '14', '16', '82', '83', '84'}.`,
      "Eenheid: '99' komt niet voor in de codelijst; toegestaan: 01, 04, 14, 16, 82, 83, 84",
    ],
    [
      `Element '${NS}Bsn': [facet 'pattern'] The value '12' is not accepted by the pattern '[0-9]{9}'.`,
      "Bsn: '12' heeft niet de vereiste vorm: precies 9 cijfers",
    ],
    [
      `Element '${NS}Postcode': [facet 'pattern'] The value 'x' is not accepted by the pattern '[1-9][0-9]{3}[A-Z]{2}'.`,
      "Postcode: 'x' heeft niet de vereiste vorm: het patroon [1-9][0-9]{3}[A-Z]{2}",
    ],
    [
      `Element '${NS}GeleverdVolume': [facet 'maxInclusive'] The value '99999999999' is greater than the maximum value allowed ('99999999').`,
      'GeleverdVolume: 99999999999 is groter dan het maximum 99999999',
    ],
    [
      `Element '${NS}Bedrag': [facet 'totalDigits'] The value '1234567890123' has more digits than are allowed ('10').`,
      'Bedrag: 1234567890123 heeft te veel cijfers; maximaal 10 cijfers',
    ],
    [
      `Element '${NS}Einddatum': '2026-04-31' is not a valid value of the atomic type '{http://www.istandaarden.nl/ijw/3_2/basisschema/schema}LDT_Datum'.`,
      "Einddatum: '2026-04-31' is geen geldige waarde voor LDT_Datum",
    ],
    [`Element '${NS}Prestatie': Missing child element(s). Expected is ( ${NS}Eenheid ).`, 'Prestatie: verplicht element ontbreekt: Eenheid'],
    [
      `Element '${NS}Foo': This element is not expected. Expected is one of ( ${NS}Eenheid, ${NS}ProductTarief ).`,
      'Foo: dit element wordt hier niet verwacht; verwacht: Eenheid, ProductTarief',
    ],
    // the words libxml2-wasm really uses for lengths (without the value), a local type and an element inside a value
    [
      `Element '${NS}Bsn': [facet 'maxLength'] The value has a length of '10'; this exceeds the allowed maximum length of '9'.`,
      'Bsn: de waarde is 10 tekens lang; maximaal 9 tekens toegestaan',
    ],
    [
      `Element '${NS}Bsn': [facet 'minLength'] The value has a length of '0'; this underruns the allowed minimum length of '1'.`,
      'Bsn: de waarde is 0 tekens lang; minimaal 1 tekens vereist',
    ],
    [`Element '${NS}BerichtVersie': 'X' is not a valid value of the local atomic type.`, "BerichtVersie: 'X' is geen geldige waarde voor dit element"],
    [
      `Element '${NS}Bsn': Element content is not allowed, because the type definition is simple.`,
      'Bsn: hier mogen geen elementen in staan, alleen een waarde',
    ],
    [`Element '${NS}Bar': something libxml2 says that we do not know.`, 'Bar: voldoet niet aan het XML-schema van iJW 3.2'],
  ];
  for (const [raw, nl] of cases) {
    it(nl, () => {
      expect(xsdMessageNl(raw)).toBe(nl);
      expect(xsdMessageNl(raw)).not.toMatch(ENGLISH);
    });
  }
});

describe('the validator speaks Dutch', () => {
  it('a code outside the code list and a BSN of the wrong form, found in the JW323 example', async () => {
    const xml = readFileSync(example('JW323'), 'utf8')
      .replace(/<jw323:Eenheid>[^<]*</, '<jw323:Eenheid>99<')
      .replace(/<jw323:Bsn>[^<]*</, '<jw323:Bsn>12<');
    const { findings } = await validateXsd({ xml }, { type: 'JW323' });
    const messages = findings.map((f) => f.message);
    expect(messages).toContain("Bsn: '12' heeft niet de vereiste vorm: precies 9 cijfers");
    expect(messages).toContain("Eenheid: '99' komt niet voor in de codelijst; toegestaan: 01, 04, 14, 16, 82, 83, 84");
    for (const m of messages) expect(m).not.toMatch(ENGLISH);
  });
});
