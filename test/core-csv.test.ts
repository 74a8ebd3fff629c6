// The CSV reader's fast path (issue 14): a text without quotes is split with native splits (a 10 MB provider list took
// seconds character by character and held the event loop); it must give exactly the records the character loop gives.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitCsv } from '../src/core/csv.ts';

/** The character loop the reader keeps for quoted text, as the reference for text without quotes. */
function byCharacter(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let field = '',
    record: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

describe('CSV zonder aanhalingstekens', () => {
  it('dezelfde regels en velden als teken voor teken: lege regels, \\r\\n, \\r, een slotregel zonder of met regeleinde', () => {
    expect(splitCsv('a;b\r\n\nc;\rd\n', ';')).toEqual([['a', 'b'], [''], ['c', ''], ['d']]);
    expect(splitCsv('', ';')).toEqual([]);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', ' ', ';', ',', '\n', '\r', '\t'), { maxLength: 30 }).map((a) => a.join('')),
        fc.constantFrom(';', ',', '\t'),
        (text, d) => {
          expect(splitCsv(text, d)).toEqual(byCharacter(text, d));
        },
      ),
      { numRuns: 2000, seed: 20261205 },
    );
  });

  it('10 MB in een fractie van een seconde', () => {
    const big = ('Jeugdhulp Proef ' + 'x'.repeat(400) + ';;12345678;;;;;Locatie;Hoofdstraat;1;7511AA;Enschede;0153\n').repeat(20_000);
    const t0 = performance.now();
    const rows = splitCsv(big, ';');
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999][12]).toBe('0153');
    expect(performance.now() - t0).toBeLessThan(1_000); // the character loop took about 5 s here
  });
});

/** The reader as it was, a character at a time over the whole text: the reference for quoted text. */
function wholeText(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let field = '',
    record: string[] = [],
    quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

describe('CSV record voor record (issue 14: de lezer kan tussen records de server laten antwoorden)', () => {
  it('met aanhalingstekens dezelfde records als teken voor teken over de hele tekst', () => {
    expect(splitCsv('a;"b;c";"d ""e"""\n"f\ng";h\r\n"x"', ';')).toEqual([['a', 'b;c', 'd "e"'], ['f\ng', 'h'], ['x']]);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', '"', ' ', ';', ',', '\n', '\r', '\t'), { maxLength: 40 }).map((a) => a.join('')),
        fc.constantFrom(';', ',', '\t'),
        (text, d) => {
          expect(splitCsv(text, d)).toEqual(wholeText(text, d));
        },
      ),
      { numRuns: 3000, seed: 20261205 },
    );
  });

  it('10 MB met aanhalingstekens in lineaire tijd', () => {
    const big = ('"Jeugdhulp; Proef" ' + 'x'.repeat(400) + ';;12345678;;;;;Locatie;Hoofdstraat;1;7511AA;Enschede;0153\n').repeat(20_000);
    const t0 = performance.now();
    const rows = splitCsv(big, ';');
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999][0]).toBe('Jeugdhulp; Proef ' + 'x'.repeat(400));
    expect(performance.now() - t0).toBeLessThan(3_000);
  });
});
