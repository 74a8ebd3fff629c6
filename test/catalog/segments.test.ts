// One segment tree everywhere (issue 18): choosing "Wonen" in the product book showed "0 van 17 producten" because
// its products carry the sub-segments Pleegzorg, Gezinshuis and Specialistisch wonen. The tree puts a parent before
// its sub-segments and a filter on a parent includes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../helpers/db.ts';
import type { Db } from '../../src/db/index.ts';
import { codesUnder, loadReferenceData, loadRegionPreset, productBook, regionDetail, segmentTree } from '../../src/catalog/index.ts';

describe('segmentTree', () => {
  const rows = [
    { id: 1, code: 'WON', name: 'Wonen', parentId: null },
    { id: 2, code: 'VBL', name: 'Verblijf', parentId: null },
    { id: 3, code: 'WON-PLZ', name: 'Pleegzorg', parentId: 1 },
    { id: 4, code: 'WON-GZH', name: 'Gezinshuis', parentId: 1 },
    { id: 5, code: 'WON-GZH-K', name: 'Kleinschalig', parentId: 4 },
  ];
  it('orders a parent before its sub-segments, with depth, top segment and the codes below', () => {
    expect(segmentTree(rows).map((s) => [s.code, s.depth, s.topCode, s.codes])).toEqual([
      ['WON', 0, 'WON', ['WON', 'WON-PLZ', 'WON-GZH', 'WON-GZH-K']],
      ['WON-PLZ', 1, 'WON', ['WON-PLZ']],
      ['WON-GZH', 1, 'WON', ['WON-GZH', 'WON-GZH-K']],
      ['WON-GZH-K', 2, 'WON', ['WON-GZH-K']],
      ['VBL', 0, 'VBL', ['VBL']],
    ]);
  });
  it('a filter on a parent selects the sub-segments; an unknown code selects nothing; a cycle does not hang', () => {
    expect([...codesUnder(rows, 'WON')].sort()).toEqual(['WON', 'WON-GZH', 'WON-GZH-K', 'WON-PLZ']);
    expect(codesUnder(rows, 'XXX').size).toBe(0);
    expect(
      segmentTree([
        { id: 1, code: 'A', name: 'A', parentId: 2 },
        { id: 2, code: 'B', name: 'B', parentId: 1 },
      ]),
    ).toEqual([]);
  });
});

describe('the Twente product book by segment', () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    await loadReferenceData(db);
    await loadRegionPreset(db, 'twente');
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('Wonen holds the products of Pleegzorg, Gezinshuis and Specialistisch wonen; each sub-segment its own', async () => {
    const date = '2024-06-01';
    const all = await productBook(db, 'twente', date);
    const wonen = await productBook(db, 'twente', date, 'WON');
    const subs = ['WON-PLZ', 'WON-GZH', 'WON-SPW'];
    expect(wonen.length).toBeGreaterThan(0);
    expect(wonen.length).toBe(all.filter((p) => p.segmentCode === 'WON' || subs.includes(p.segmentCode)).length);
    expect(new Set(wonen.map((p) => p.segmentCode))).toEqual(new Set(all.filter((p) => p.topSegmentCode === 'WON').map((p) => p.segmentCode)));
    expect(wonen.every((p) => p.topSegmentCode === 'WON' && p.topSegmentName === 'Wonen')).toBe(true);
    const gezinshuis = await productBook(db, 'twente', date, 'WON-GZH');
    expect(gezinshuis.map((p) => p.code)).toEqual(all.filter((p) => p.segmentCode === 'WON-GZH').map((p) => p.code));
    expect(gezinshuis.length).toBeLessThan(wonen.length);
    const detail = await regionDetail(db, 'twente');
    const codes = detail!.segments.map((s: any) => s.code);
    expect(codes.indexOf('WON')).toBe(codes.indexOf('WON-PLZ') - 1); // the parent right before its sub-segments
    expect(detail!.segments.find((s: any) => s.code === 'WON')!.codes).toEqual(['WON', 'WON-PLZ', 'WON-GZH', 'WON-SPW']);
  });
});
