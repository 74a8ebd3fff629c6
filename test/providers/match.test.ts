// Matching names from outside lists to the register: codes first, then normalised names and trade names, and the
// closest candidates for what is ambiguous or unknown.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProviderMatcher, normaliseName, similarity, suggestion } from '../../src/providers/match.ts';
import { normalisePostcode, checkProvider } from '../../src/providers/rules.ts';

const register = new ProviderMatcher([
  { id: 1, name: 'Stichting Jarabee', tradeNames: ['Jarabee Gezinshuizen'], agbCode: '98010001', kvkNumber: '41001234' },
  { id: 2, name: 'Karakter B.V.', tradeNames: [], agbCode: '98010002', kvkNumber: null },
  { id: 3, name: 'Accare', tradeNames: ['Accare Kinder- en Jeugdpsychiatrie'], agbCode: null, kvkNumber: '41005678' },
  { id: 4, name: 'De Noorderbrug Noord', tradeNames: [], agbCode: null, kvkNumber: null },
  { id: 5, name: 'De Noorderbrug Zuid', tradeNames: [], agbCode: null, kvkNumber: null },
  { id: 6, name: 'Zorggroep Élan V.O.F.', tradeNames: [], agbCode: null, kvkNumber: null },
  { id: 7, name: 'Het Poortje Holding', tradeNames: [], agbCode: null, kvkNumber: null },
  { id: 8, name: 'Ambiq', tradeNames: [], agbCode: null, kvkNumber: null },
  { id: 9, name: 'Ambiq B.V.', tradeNames: [], agbCode: null, kvkNumber: null },
]);

describe('normalised names', () => {
  it('ignore case, accents, punctuation, legal forms and articles', () => {
    expect(normaliseName('Stichting Jarabee')).toBe('jarabee');
    expect(normaliseName('KARAKTER BV')).toBe('karakter');
    expect(normaliseName('Karakter B.V.')).toBe('karakter');
    expect(normaliseName('zorggroep elan vof')).toBe('zorggroep elan');
    expect(normaliseName('Zorggroep Élan V.O.F.')).toBe('zorggroep elan');
    expect(normaliseName("'t Poortje")).toBe('t poortje');
    expect(normaliseName('Het Poortje Holding B.V.')).toBe('poortje');
    expect(normaliseName('Kind & Gezin')).toBe('kind en gezin');
  });
  it('similarity is 1 for equal names, symmetric and within 0..1', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const x = normaliseName(a),
          y = normaliseName(b);
        const s = similarity(x, y);
        return s >= 0 && s <= 1 && Math.abs(s - similarity(y, x)) < 1e-9 && (x === '' || similarity(x, x) === 1);
      }),
    );
  });
});

describe('matching a row', () => {
  it('takes the AGB code or KvK number first, whatever the name says', () => {
    expect(register.match({ name: 'Iets heel anders', agbCode: '98010002' })).toMatchObject({ status: 'matched', providerId: 2, via: 'agb' });
    expect(register.match({ name: '', kvkNumber: '4100 5678' })).toMatchObject({ status: 'matched', providerId: 3, via: 'kvk' });
    expect(register.match({ name: '98010001' })).toMatchObject({ status: 'matched', providerId: 1, via: 'agb' }); // a code in the name column
  });
  it('then the normalised legal name or a trade name', () => {
    expect(register.match({ name: 'JARABEE' })).toMatchObject({ status: 'matched', providerId: 1, via: 'naam' });
    expect(register.match({ name: 'Jarabee gezinshuizen' })).toMatchObject({ status: 'matched', providerId: 1, via: 'handelsnaam' });
    expect(register.match({ name: 'karakter' })).toMatchObject({ status: 'matched', providerId: 2, via: 'naam' });
    expect(register.match({ name: 'Zorggroep Elan' })).toMatchObject({ status: 'matched', providerId: 6 });
    expect(register.match({ name: 'Poortje' })).toMatchObject({ status: 'matched', providerId: 7 });
  });
  it('a near-certain unique spelling variant is taken as "gelijkend"; a close pair is ambiguous with both as candidates', () => {
    const variant = register.match({ name: 'Accare Kinder en Jeugd psychiatrie' });
    expect(variant).toMatchObject({ status: 'matched', providerId: 3, via: 'gelijkend' });
    const pair = register.match({ name: 'Noorderbrug' });
    expect(pair.status).not.toBe('matched');
    expect(pair.candidates.map((c) => c.id).sort()).toEqual([4, 5]);
    // two providers in the register with the same normalised name: ambiguous, never a guess
    expect(register.match({ name: 'AMBIQ' })).toMatchObject({ status: 'ambiguous', candidates: [{ id: 8 }, { id: 9 }] });
  });
  it('reports an unknown name with the closest candidates and a "bedoelt u" suggestion', () => {
    const r = register.match({ name: 'Karacter' });
    expect(r.status).toBe('unknown');
    expect(r.candidates[0]).toMatchObject({ id: 2, name: 'Karakter B.V.' });
    expect(r.candidates[0].score).toBeGreaterThan(0.45);
    expect(suggestion(r.candidates)).toMatch(/^bedoelt u Karakter B\.V\. \(\d+%\)/);
    expect(register.match({ name: 'Volstrekt Onbekend' })).toMatchObject({ status: 'unknown', candidates: [] });
  });
});

describe('register rules', () => {
  it('AGB and KvK are exactly 8 digits; postcodes Dutch', () => {
    expect(checkProvider({ name: 'X', agbCode: '1234567', kvkNumber: '1234567a' }).errors).toEqual([
      { field: 'agbCode', detail: "AGB-code '1234567' moet uit precies 8 cijfers bestaan" },
      { field: 'kvkNumber', detail: "KvK-nummer '1234567a' moet uit precies 8 cijfers bestaan" },
    ]);
    expect(checkProvider({ name: ' X ', agbCode: '9801 0001' }).value).toMatchObject({ name: 'X', agbCode: '98010001', kvkNumber: null });
    expect(normalisePostcode('7511 ab')).toBe('7511AB');
    expect(normalisePostcode('0511AB')).toBeNull();
    expect(normalisePostcode('7511 SS')).toBeNull();
    expect(normalisePostcode('B-2000')).toBeNull();
  });
});

describe('a name with words left off', () => {
  it('is the one provider whose name holds every word; with two such providers it is ambiguous', () => {
    const m = new ProviderMatcher([
      { id: 1, name: 'Mediant Enschede  Jeugdzorg', tradeNames: [], agbCode: null, kvkNumber: null },
      { id: 2, name: 'Mediant Hengelo Jeugdzorg', tradeNames: [], agbCode: null, kvkNumber: null },
    ]);
    expect(m.match({ name: 'MEDIANT Enschede bv' })).toMatchObject({ status: 'matched', providerId: 1, via: 'gelijkend' });
    expect(m.match({ name: 'Mediant Jeugdzorg' })).toMatchObject({ status: 'ambiguous' });
  });
});
