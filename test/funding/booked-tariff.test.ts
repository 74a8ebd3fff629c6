// The tariff a JW323 line is booked with (funding's bookedTariff, used by bookLines when the import books by COPY of
// the rows it holds, issue 17 §3): the line's own, or without one the amount per unit rounded as PostgreSQL's
// round(numeric) did when the booking was an INSERT … SELECT; 0 without a volume.
import { describe, expect, it } from 'vitest';
import { bookedTariff } from '../../src/funding/index.ts';

describe('het geboekte tarief van een declaratieregel', () => {
  it('dat van de regel, anders bedrag per eenheid (half van nul af afgerond), zonder volume 0', () => {
    expect(bookedTariff({ tariffCents: 1250, volume: 3, amountCents: 4000 })).toBe(1250);
    expect(bookedTariff({ tariffCents: null, volume: 2, amountCents: 5 })).toBe(3); // 2.5 → 3
    expect(bookedTariff({ tariffCents: null, volume: 2, amountCents: 7 })).toBe(4); // 3.5 → 4
    expect(bookedTariff({ tariffCents: null, volume: 3, amountCents: 4000 })).toBe(1333);
    expect(bookedTariff({ tariffCents: null, volume: 0, amountCents: 4000 })).toBe(0);
    expect(bookedTariff({ tariffCents: null, volume: null, amountCents: 4000 })).toBe(0);
  });
});
