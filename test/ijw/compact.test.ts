// The compact structures the rules keep over a whole message (src/ijw/rules/compact.ts, issue 14 §2): the same answers
// as one Map with a list per value, without one large Map growing (a stop of over 100 ms in a 310,000-line file).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lines, Occurrences, ShardedMap } from '../../src/ijw/rules/compact.ts';

describe('ShardedMap', () => {
  it('answers as a Map for strings and numbers (also negative, fractional and large ones)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.constant(2 ** 40 + 3)), fc.nat())), (pairs) => {
        const m = new Map<string | number, number>();
        const s = new ShardedMap<string | number, number>();
        for (const [k, v] of pairs) {
          m.set(k, v);
          s.set(k, v);
        }
        expect(s.size).toBe(m.size);
        for (const [k] of pairs) {
          expect(s.has(k)).toBe(true);
          expect(s.get(k)).toBe(m.get(k));
        }
        expect(s.get('not there \u0000')).toBeUndefined();
      }),
    );
  });
});

describe('Occurrences', () => {
  it('gives every item of a value in order, and the repeated values in the order of their first item', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('RN1', 'RN2', 'RN3', '=999900006', '', 'x'), { maxLength: 60 }), (values) => {
        const o = new Occurrences<string>();
        const naive = new Map<string, number[]>();
        values.forEach((v, i) => {
          expect(o.get(v)).toEqual(naive.get(v) ?? []); // what came before
          o.add(v, i);
          naive.set(v, [...(naive.get(v) ?? []), i]);
        });
        expect(o.repeated()).toEqual([...naive.values()].filter((l) => l.length > 1));
      }),
    );
  });

  it('a worked example: three clients, the first and third with the same BSN', () => {
    const o = new Occurrences<string>();
    o.add('=999900006', 0);
    o.add('=999900018', 1);
    o.add('=999900006', 2);
    expect(o.get('=999900006')).toEqual([0, 2]);
    expect(o.get('=999900018')).toEqual([1]);
    expect(o.repeated()).toEqual([[0, 2]]);
  });
});

describe('Lines', () => {
  it('builds the XPath of a line as the rules walk them (walk.ts each)', () => {
    const l = new Lines();
    const a = l.add('/Bericht/Declaratie/Clienten/Client[1]', 0);
    const b = l.add('/Bericht/Declaratie/Clienten/Client[1]', 2); // a line skipped by the rule in between
    const c = l.add('/Bericht/Declaratie/Clienten/Client[2]', 1);
    expect([a, b, c]).toEqual([0, 1, 2]);
    expect(l.path(a)).toBe('/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]');
    expect(l.path(b)).toBe('/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[3]');
    expect(l.path(c)).toBe('/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[2]');
  });
});
