// Bands map only to products the region buys for that segment (issue 18): in Twente's book band L's 43A35 does not
// exist, band EZ's 43A39 is LTA (bought nationally), and a crisis group keeps the crisis bed product (46A03)
// instead of a residential band tariff (43A37–43A39).
import { describe, expect, it } from 'vitest';
import { REGION_PRESETS, segmentTree } from '../../src/catalog/index.ts';
import { groupBandProduct, mapBandProducts, usesBands, type BookEntry } from '../../src/tariffs/model.ts';
import { exampleBandTable } from '../../src/tariffs/demo.ts';

/** Twente's product book from its preset, as the server builds it (bookForBands). */
function twenteBook(): BookEntry[] {
  const preset = REGION_PRESETS.twente;
  const tree = segmentTree(
    preset.segments.map((s, i) => ({
      id: i + 1,
      code: s.code,
      name: s.name,
      parentId: s.parent ? preset.segments.findIndex((x) => x.code === s.parent) + 1 : null,
    })),
  );
  const seg = new Map(tree.map((s) => [s.code, s]));
  const procured = new Map(preset.segments.map((s) => [s.code, s.procuredByRegion !== false]));
  return preset.products.map((p) => ({
    code: p.code,
    name: p.name,
    unit: p.unit,
    segmentName: seg.get(p.segment)!.name,
    topSegmentCode: seg.get(p.segment)!.topCode,
    topSegmentName: seg.get(p.segment)!.topName,
    procuredByRegion: procured.get(p.segment)! && procured.get(seg.get(p.segment)!.topCode)!,
  }));
}

describe('the band table of Twente against its product book', () => {
  const book = twenteBook();
  const { bands } = exampleBandTable().body;
  const mapping = mapBandProducts(bands, book, 'Twente');

  it("L (43A35) is not in the book and EZ (43A39) is LTA: no product; M, MZ and Z map to the region's products", () => {
    expect(mapping.map((m) => [m.band, m.productCode, m.problem === null])).toEqual([
      ['L', '43A35', false],
      ['M', '43A36', true],
      ['MZ', '43A37', true],
      ['Z', '43A38', true],
      ['EZ', '43A39', false],
    ]);
    expect(mapping[0].problem).toBe('43A35 staat niet in het productenboek van Twente: klasse licht heeft geen product dat de regio inkoopt');
    expect(mapping[4].problem).toBe(
      '43A39 (LTA verblijf (extra zwaar)) hoort bij LTA, dat de regio niet zelf inkoopt: klasse extra zwaar heeft geen product van de regio',
    );
    expect(mapping[1]).toMatchObject({ productName: 'Specialistisch wonen (middel)', segmentName: 'Specialistisch wonen', topSegmentCode: 'WON' });
    expect(mapping[2]).toMatchObject({ productName: 'Behandelgroep (middelzwaar)', topSegmentCode: 'VBL' });
  });

  it('a crisis group keeps the crisis bed product; residential groups use the bands', () => {
    expect(usesBands('46A03', mapping, book)).toBe(false); // Crisisverblijf, segment Crisis: no band maps there
    expect(usesBands('43A37', mapping, book)).toBe(true);
    expect(usesBands('43A36', mapping, book)).toBe(true);
    expect(usesBands(null, mapping, book)).toBe(true);
  });

  it("a group gets a band's product only within its own segment", () => {
    expect(groupBandProduct('43A37', mapping[3], book)).toEqual({ productCode: '43A38', problem: null }); // behandelgroep, band Z
    expect(groupBandProduct('43A37', mapping[4], book).productCode).toBeNull(); // band EZ: LTA
    const wonen = groupBandProduct('43A36', mapping[3], book); // a specialistisch-wonen group at Z intensity: 43A38 is Verblijf
    expect(wonen.productCode).toBeNull();
    expect(wonen.problem).toContain('niet bij Wonen');
    expect(groupBandProduct('43A36', mapping[1], book)).toEqual({ productCode: '43A36', problem: null });
  });
});
