// The sums an import adds to the monitoring facts are made in Node (factParts, src/monitoring/facts.ts) from the rows
// it booked, as yearFactSelect and monthFactSelect make them in SQL: a credit negative, a line without amount counted
// but not summed (the year's sum stays NULL while no line had one, as sum() over NULLs), months as a bitmask; and in
// parts of at most so many keys, a key whose rows fall in two parts summed in both (the upsert adds them).
import { describe, expect, it } from 'vitest';
import { factParts, type BookedFactLine } from '../../src/monitoring/facts.ts';

const row = (youthId: number, periodStart: string, amountCents: number | null, debitCredit = 'D'): BookedFactLine => ({
  municipalityCode: '0153',
  providerId: 7,
  productId: 3,
  youthId,
  periodStart,
  amountCents,
  debitCredit,
});

describe('the facts of booked lines, summed per key in bounded parts', () => {
  it('sums per key and month as the SQL aggregation does', () => {
    const parts = [...factParts([row(1, '2026-01-05', 1000), row(1, '2026-03-01', 300, 'C'), row(1, '2025-12-01', 50), row(2, '2026-03-02', null)], 10)];
    expect(parts).toHaveLength(1);
    const [y1, y1prev, y2] = parts[0];
    expect([y1.row.youthId, y1.year, y1.amount, y1.lines, y1.months]).toEqual([1, 2026, 700, 2, 0b101]);
    expect(y1.m.slice(0, 3)).toEqual([1000, 0, -300]);
    expect(y1.l.slice(0, 3)).toEqual([1, 0, 1]);
    expect([y1prev.year, y1prev.amount, y1prev.months, y1prev.m[11], y1prev.l[11]]).toEqual([2025, 50, 1 << 11, 50, 1]);
    // no amount: a line, no sum (NULL for the year, 0 for the month)
    expect([y2.amount, y2.lines, y2.months, y2.m[2], y2.l[2]]).toEqual([null, 1, 0b100, 0, 1]);
  });

  it('starts a new part at the key past the bound, and a key seen again later is summed in its own part', () => {
    const parts = [
      ...factParts([row(1, '2026-01-01', 1), row(2, '2026-01-01', 2), row(2, '2026-02-01', 3), row(3, '2026-01-01', 4), row(1, '2026-05-01', 5)], 2),
    ];
    expect(parts.map((p) => p.map((k) => [k.row.youthId, k.amount, k.lines]))).toEqual([
      [
        [1, 1, 1],
        [2, 5, 2],
      ],
      [
        [3, 4, 1],
        [1, 5, 1],
      ],
    ]);
  });
});
