import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { allocateCents, formatEuro, euroToCents } from '../src/core/money.ts';
import { bsnKeys, encryptBsn, bsnLookupHash, isValidBsn } from '../src/core/bsn.ts';
import { decryptBsn } from '../src/ijw/bsn.ts';
import { monthEnd, parseDate } from '../src/core/dates.ts';

describe('money in integer cents', () => {
  it('formats Dutch euro notation', () => {
    expect(formatEuro(2983605400)).toBe('€ 29.836.054,00');
    expect(formatEuro(-1)).toBe('-€ 0,01');
    expect(euroToCents(5670572)).toBe(567057200);
  });
  it('allocateCents always adds up to the total exactly, and never gives a negative part', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 50 }),
        (total, weights) => {
          const parts = allocateCents(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(parts.every((p) => Number.isInteger(p) && p >= 0)).toBe(true);
        },
      ),
    );
  });
});

describe('calendar dates', () => {
  it('knows month ends, leap years included', () => {
    expect(monthEnd(2024, 2).toString()).toBe('2024-02-29');
    expect(monthEnd(2021, 2).toString()).toBe('2021-02-28');
  });
  it('rejects impossible dates with the field named', () => {
    expect(() => parseDate('2021-02-30', 'Begindatum')).toThrow();
    expect(() => parseDate('1-2-2021', 'Begindatum')).toThrow(/Begindatum/);
  });
});

describe('BSN protection', () => {
  const keys = bsnKeys('ab'.repeat(32));
  it('checks the elfproef', () => {
    expect(isValidBsn('111222333')).toBe(true);
    expect(isValidBsn('123456789')).toBe(false);
    expect(isValidBsn('12345678')).toBe(false);
  });
  it('encrypts with a fresh IV, decrypts in the message layer, and hashes deterministically per key', () => {
    const a = encryptBsn(keys, '111222333'),
      b = encryptBsn(keys, '111222333');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('111222333'))).toBe(false);
    expect(decryptBsn(keys, a)).toBe('111222333');
    expect(bsnLookupHash(keys, '111222333')).toBe(bsnLookupHash(keys, '111222333'));
    expect(bsnLookupHash(bsnKeys('cd'.repeat(32)), '111222333')).not.toBe(bsnLookupHash(keys, '111222333'));
    expect(() => decryptBsn(bsnKeys('cd'.repeat(32)), a)).toThrow();
  });
  it('refuses short keys and invalid BSNs', () => {
    expect(() => bsnKeys('abcd')).toThrow(/32 bytes/);
    expect(() => encryptBsn(keys, '123456789')).toThrow(/elfproef/);
  });
  it('only the message layer (src/ijw) decrypts a BSN', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = path.join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(f) && !p.startsWith(path.join('src', 'ijw')) && /decryptBsn|createDecipheriv/.test(readFileSync(p, 'utf8')))
          offenders.push(p);
      }
    };
    walk('src');
    expect(offenders).toEqual([]);
  });
});

describe('textLines (core/work.ts)', async () => {
  const { textLines } = await import('../src/core/work.ts');
  const all = (s: string) => [...textLines(s)].map(([, l]) => l);
  it('gives the same lines as a split on \\r?\\n, without a BOM and without the empty line after a final newline', () => {
    for (const s of ['a;b\r\nc;d\r\n', '\uFEFFkop\nx\n\ny', 'één regel', '', 'a\n\n', 'a\r\nb']) {
      const expected = s.replace(/^\uFEFF/, '').split(/\r?\n/);
      if (expected.length > 1 && expected[expected.length - 1] === '') expected.pop();
      expect(all(s)).toEqual(expected);
    }
    expect([...textLines('a\nb')].map(([i]) => i)).toEqual([0, 1]);
  });
});

describe('één klok, één vandaag (core/dates.ts)', async () => {
  const { today, setClock, currentYear } = await import('../src/core/dates.ts');
  const { todayIso } = await import('../src/ijw/rules/dates.ts');
  const { todayNl } = await import('../src/placement/requests.ts');
  it('vandaag is de Nederlandse kalenderdag, ook tussen middernacht en 01:00/02:00 (was UTC in de iJW-regels)', () => {
    expect(today(new Date('2026-12-05T23:30:00Z'))).toBe('2026-12-06'); // 00:30 in winter time
    expect(today(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02'); // 00:30 in summer time
    expect(today(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    const restore = setClock(() => new Date('2026-12-31T23:15:00Z'));
    try {
      expect([today(), todayIso(), todayNl()]).toEqual(['2027-01-01', '2027-01-01', '2027-01-01']);
      expect(currentYear()).toBe(2027);
    } finally {
      restore();
    }
  });

  it('vandaag zonder Intl (de EU-zomertijdregel) is de dag die de tijdzonedatabase geeft, ook rond de omschakelingen', async () => {
    const { todayByIntl } = await import('../src/core/dates.ts');
    // the switches of 2026: 29 March and 25 October, at 01:00 UTC
    for (const at of [
      '2026-03-29T00:59:59Z',
      '2026-03-29T01:00:00Z',
      '2026-03-28T22:59:59Z',
      '2026-03-28T23:00:00Z',
      '2026-10-24T21:59:59Z',
      '2026-10-24T22:00:00Z',
      '2026-10-25T00:59:59Z',
      '2026-10-25T01:00:00Z',
      '2026-10-25T22:59:59Z',
      '2026-10-25T23:00:00Z',
    ]) {
      expect(today(new Date(at)), at).toBe(todayByIntl(new Date(at)));
    }
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2110-12-31T23:59:59Z'), noInvalidDate: true }), (at) => {
        expect(today(at)).toBe(todayByIntl(at));
      }),
      { numRuns: 5000, seed: 20261205 },
    );
  });

  it('de Temporal-polyfill wordt pas geladen als een datumfunctie hem nodig heeft; PlainDate blijft bruikbaar', async () => {
    const { PlainDate, loadTemporal } = await import('../src/core/dates.ts');
    expect(PlainDate.from('2026-02-28').add({ days: 1 }).toString()).toBe('2026-03-01');
    expect(loadTemporal().PlainDate.compare(PlainDate.from('2026-01-01'), PlainDate.from('2026-01-02'))).toBe(-1);
    const { readFileSync: read } = await import('node:fs');
    // nothing in the module imports the polyfill at the top (only its types)
    expect(read(new URL('../src/core/dates.ts', import.meta.url), 'utf8')).not.toMatch(/^import \{[^}]*\} from 'temporal-polyfill'/m);
  });
});

describe('parseEuroCents (core/money.ts): de ene parser voor bedragen', async () => {
  const { parseEuroCents, centsToPlainEuro } = await import('../src/core/money.ts');
  it('leest bedragen zoals mensen ze typen, en weigert wat geen bedrag is', () => {
    const cases: [string, number | null][] = [
      ['1.234.567,89', 123456789],
      ['1234,5', 123450],
      ['1234.56', 123456],
      ['-12500', -1250000],
      ['€ 1 234,50', 123450],
      ['1.234', 123400],
      ['0,01', 1],
      ['12,345', null],
      ['abc', null],
      ['', null],
      ['99999999999999999999', null],
    ];
    for (const [text, cents] of cases) expect(parseEuroCents(text), text).toBe(cents);
  });
  it('schrijft centen terug zoals hij ze leest', () => {
    fc.assert(fc.property(fc.integer({ min: -1e13, max: 1e13 }), (c) => parseEuroCents(centsToPlainEuro(c)) === c));
  });
});

describe('de ene CSV-lezer (core/csv.ts)', async () => {
  const { csvFields, detectDelimiter } = await import('../src/core/csv.ts');
  it('houdt een puntkomma tussen aanhalingstekens in één veld (split(";") deed dat niet)', () => {
    expect(csvFields('0153;"Jeugd; ambulant";2026;"1.000,00"')).toEqual(['0153', 'Jeugd; ambulant', '2026', '1.000,00']);
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a\tb')).toBe('\t');
    expect(detectDelimiter('kop')).toBe(';');
  });
});
