// Demo data for the calculator, from the labelled example files in ./data (not constants hidden in code):
// every demo region gets the example norm set; Twente also gets a second version of it, an adopted band table,
// indices, a published tariff set (the catalogue's tariffs from 2022), two concept sets for 2023 to compare, and
// a tariff for each of its gezinshuizen. Idempotent: a region that already has a norm set is left alone.
import type { Db } from '../db/index.ts';
import { buildGezinshuisTariff, Dec, type BandTableBody, type GezinshuisInput, type NormSetBody } from './model.ts';
import { BandTableBody as BandTableSchema, NormSetBody as NormSetSchema } from './schema.ts';
import exampleNorms from './data/example-norms.json' with { type: 'json' };
import exampleBands from './data/example-bands.json' with { type: 'json' };
import * as store from './store.ts';
import { addIndex, createCostPriceSet, createIndexedSet } from './service.ts';

/** The example norm set as shipped (validated, so a broken data file fails loudly). */
export const exampleNormSet = () => ({ name: exampleNorms.name, validFrom: exampleNorms.validFrom, body: NormSetSchema.parse(exampleNorms.body) as NormSetBody });
export const exampleBandTable = () => ({ name: exampleBands.name, validFrom: exampleBands.validFrom, body: BandTableSchema.parse(exampleBands.body) as BandTableBody });

/** Version 2 as a user would make it: salaries raised by a percentage, group productivity changed. */
export function exampleNormSetV2(v1: NormSetBody): NormSetBody {
  const v = exampleNorms.version2;
  const raise = new Dec(1).plus(new Dec(v.salaryPct).div(100));
  return {
    ...v1, label: v.label, priceYear: v.priceYear,
    scales: v1.scales.map((s) => ({ ...s, steps: s.steps.map((c) => new Dec(c).times(raise).toDecimalPlaces(0).toNumber()) })),
    products: v1.products.map((p) => (p.unit === 'etmaal' && p.productivity === '0.82' ? { ...p, productivity: v.groupProductivity } : p)),
  };
}

const INDICES = [
  { year: 2022, kind: 'voorlopig' as const, ova: '2.90', pcc: '1.40' },
  { year: 2022, kind: 'definitief' as const, ova: '3.40', pcc: '4.50' },
  { year: 2023, kind: 'voorlopig' as const, ova: '5.60', pcc: '3.10' },
];

export async function loadTariffDemo(db: Db, regionIds: readonly string[]): Promise<void> {
  for (const regionId of regionIds) {
    await db.transaction(async (tx) => {
      const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM tariff_norm_set WHERE region_id = $1`, [regionId]);
      if (n > 0) return;
      const v1 = exampleNormSet();
      const { id: v1Id } = await store.insertNormSet(tx, regionId, { ...v1, isExample: true, note: exampleNorms.about }, null);
      if (regionId === 'twente') await loadTwente(tx, v1Id, v1.body);
    });
  }
}

async function loadTwente(db: Db, v1Id: number, v1: NormSetBody) {
  const regionId = 'twente';
  const v2 = await store.insertNormSet(db, regionId, { name: exampleNorms.name, validFrom: exampleNorms.version2.validFrom, body: exampleNormSetV2(v1), isExample: true, note: exampleNorms.version2.about }, null);
  const bands = exampleBandTable();
  const table = await store.insertBandTable(db, regionId, { ...bands, status: 'vastgesteld', normSetId: v1Id, note: exampleBands.about }, null);
  for (const i of INDICES) {
    await addIndex(db, regionId, {
      year: i.year, kind: i.kind, source: 'Demo-indexcijfers (voorbeeld), niet de gepubliceerde cijfers; weging als het VNG-advies: OVA 90%, PCC 10%',
      components: [{ name: 'OVA', weight: '0.9', pct: i.ova }, { name: 'PCC', weight: '0.1', pct: i.pcc }],
    }, null);
  }
  // 2022: built from the norms and the band table, adopted and published into the product book
  const published = await createCostPriceSet(db, regionId, { name: 'Tarieven 2022 (kostprijsmodel)', validFrom: '2022-01-01', normSetId: v1Id, bandTableId: table.id }, null);
  await store.approveSet(db, regionId, published.id, null);
  await store.publishSet(db, regionId, published.id, null);
  // 2023: two proposals to compare — indexation of 2022, or the cost-price model on the new norms
  await createIndexedSet(db, regionId, { year: 2023, baseSetId: published.id, name: 'Concept 2023: tarieven 2022 geïndexeerd' }, null);
  await createCostPriceSet(db, regionId, { name: 'Concept 2023: kostprijsmodel, normen versie 2', validFrom: '2023-01-01', normSetId: v2.id, bandTableId: table.id }, null);
  // a tariff per gezinshuis: the standard home, sized to each home, with the differences homes have
  const homes = await store.listGroups(db, regionId, null, ['gezinshuis']);
  const { code, ...standard } = v1.gezinshuis!;
  await store.insertHomeTariffs(db, homes.map((h, i) => {
    const home: GezinshuisInput = {
      ...standard, name: h.name, places: h.places,
      parents: i % 3 === 2 ? { mode: 'zzp', feeCentsPerYear: 9_000_000 } : standard.parents,
      careIntensityPct: ['0', '15', '30'][i % 3],
    };
    return { groupId: h.id, validFrom: '2022-01-01', normSetId: v1Id, input: home, buildUp: buildGezinshuisTariff(v1, home, code) };
  }));
}
