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
export const exampleNormSet = () => ({
  name: exampleNorms.name,
  validFrom: exampleNorms.validFrom,
  body: NormSetSchema.parse(exampleNorms.body) as NormSetBody,
});
export const exampleBandTable = () => ({
  name: exampleBands.name,
  validFrom: exampleBands.validFrom,
  body: BandTableSchema.parse(exampleBands.body) as BandTableBody,
});

/** Version 2 as a user would make it: salaries raised by a percentage, group productivity changed. */
export function exampleNormSetV2(v1: NormSetBody): NormSetBody {
  const v = exampleNorms.version2;
  const raise = new Dec(1).plus(new Dec(v.salaryPct).div(100));
  return {
    ...v1,
    label: v.label,
    priceYear: v.priceYear,
    scales: v1.scales.map((s) => ({ ...s, steps: s.steps.map((c) => new Dec(c).times(raise).toDecimalPlaces(0).toNumber()) })),
    products: v1.products.map((p) => (p.unit === 'etmaal' && p.productivity === '0.82' ? { ...p, productivity: v.groupProductivity } : p)),
  };
}

/** Demo index figures per year (OVA and PCC in %), provisional and definitive: examples, not the published figures. */
const INDICES: { year: number; kind: 'voorlopig' | 'definitief'; ova: string; pcc: string }[] = [
  { year: 2022, kind: 'voorlopig', ova: '2.90', pcc: '1.40' },
  { year: 2022, kind: 'definitief', ova: '3.40', pcc: '4.50' },
  { year: 2023, kind: 'voorlopig', ova: '5.60', pcc: '3.10' },
  { year: 2023, kind: 'definitief', ova: '6.10', pcc: '4.80' },
  { year: 2024, kind: 'voorlopig', ova: '4.30', pcc: '2.70' },
  { year: 2024, kind: 'definitief', ova: '4.70', pcc: '3.10' },
  { year: 2025, kind: 'voorlopig', ova: '3.70', pcc: '2.40' },
  { year: 2025, kind: 'definitief', ova: '3.90', pcc: '2.60' },
  { year: 2026, kind: 'voorlopig', ova: '3.20', pcc: '2.10' },
  { year: 2026, kind: 'definitief', ova: '3.30', pcc: '2.20' },
  { year: 2027, kind: 'voorlopig', ova: '2.90', pcc: '1.90' },
  { year: 2027, kind: 'definitief', ova: '3.00', pcc: '2.00' },
  { year: 2028, kind: 'voorlopig', ova: '2.80', pcc: '1.90' },
];
/** A demo index for a year the table does not have (a clock set far ahead): the last one's figures. */
const indexFor = (year: number, kind: 'voorlopig' | 'definitief') =>
  INDICES.find((i) => i.year === year && i.kind === kind) ?? { ...INDICES.filter((i) => i.kind === kind).at(-1)!, year };

/**
 * The tariffs of every year of a demo region's history, made the way a region makes them (issue 18): the demo
 * indices, and for each year after the published year an indexed set (the product book on 31 December × the
 * year's factor: the provisional index corrected for last year's definitive), adopted and published into the
 * product book. Twente's 2022 comes from the cost-price model (norms and band table), as before. Runs before
 * the demo ledger is generated, which declares each month at the tariff in force. Idempotent.
 */
export async function loadTariffHistory(db: Db, regionId: string, demoYear: number, lastYear: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM tariff_norm_set WHERE region_id = $1`, [regionId]);
    if (n > 0) return;
    const v1 = exampleNormSet();
    const { id: v1Id } = await store.insertNormSet(tx, regionId, { ...v1, isExample: true, note: exampleNorms.about }, null);
    for (let year = demoYear + 1; year <= lastYear + 1; year++) {
      for (const kind of ['voorlopig', 'definitief'] as const) {
        if (kind === 'definitief' && year >= lastYear) continue; // this year's definitive figure is not known yet
        const i = indexFor(year, kind);
        await addIndex(
          tx,
          regionId,
          {
            year,
            kind,
            source: 'Demo-indexcijfers (voorbeeld), niet de gepubliceerde cijfers; weging als het VNG-advies: OVA 90%, PCC 10%',
            components: [
              { name: 'OVA', weight: '0.9', pct: i.ova },
              { name: 'PCC', weight: '0.1', pct: i.pcc },
            ],
          },
          null,
        );
      }
    }
    let first = demoYear + 1;
    if (regionId === 'twente' && lastYear >= 2022) {
      const bands = exampleBandTable();
      const table = await store.insertBandTable(tx, regionId, { ...bands, status: 'vastgesteld', normSetId: v1Id, note: exampleBands.about }, null);
      // 2022: built from the norms and the band table, adopted and published into the product book
      const published = await createCostPriceSet(
        tx,
        regionId,
        { name: 'Tarieven 2022 (kostprijsmodel)', validFrom: '2022-01-01', normSetId: v1Id, bandTableId: table.id },
        null,
      );
      await store.approveSet(tx, regionId, published.id, null);
      await store.publishSet(tx, regionId, published.id, null);
      first = 2023;
    }
    for (let year = first; year <= lastYear; year++) {
      const set = await createIndexedSet(tx, regionId, { year, name: `Tarieven ${year} (indexatie)` }, null);
      await store.approveSet(tx, regionId, set.id, null);
      await store.publishSet(tx, regionId, set.id, null);
    }
  });
}

/** After the ledger: Twente's second norm version, two concept sets to compare and a tariff per gezinshuis. Idempotent. */
export async function loadTariffDemo(db: Db, regionIds: readonly string[]): Promise<void> {
  for (const regionId of regionIds) {
    await db.transaction(async (tx) => {
      const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM tariff_norm_set WHERE region_id = $1`, [regionId]);
      if (n !== 1) return; // no history loaded (loadTariffHistory), or this step ran already
      if (regionId === 'twente') await loadTwente(tx);
    });
  }
}

async function loadTwente(db: Db) {
  const regionId = 'twente';
  const [v1Row] = await db.query<{ id: number }>(`SELECT id FROM tariff_norm_set WHERE region_id = $1 ORDER BY id LIMIT 1`, [regionId]);
  const v1Id = v1Row.id,
    v1 = exampleNormSet().body;
  const v2 = await store.insertNormSet(
    db,
    regionId,
    { name: exampleNorms.name, validFrom: exampleNorms.version2.validFrom, body: exampleNormSetV2(v1), isExample: true, note: exampleNorms.version2.about },
    null,
  );
  const [tableRow] = await db.query<{ id: number }>(`SELECT id FROM tariff_band_table WHERE region_id = $1 ORDER BY id LIMIT 1`, [regionId]);
  const [pubRow] = await db.query<{ id: number }>(`SELECT id FROM tariff_set WHERE region_id = $1 AND name = 'Tarieven 2022 (kostprijsmodel)'`, [regionId]);
  if (!tableRow || !pubRow) return;
  const table = tableRow,
    published = pubRow;
  // 2023: two proposals to compare — indexation of 2022, or the cost-price model on the new norms
  await createIndexedSet(db, regionId, { year: 2023, baseSetId: published.id, name: 'Concept 2023: tarieven 2022 geïndexeerd' }, null);
  await createCostPriceSet(
    db,
    regionId,
    { name: 'Concept 2023: kostprijsmodel, normen versie 2', validFrom: '2023-01-01', normSetId: v2.id, bandTableId: table.id },
    null,
  );
  // a tariff per gezinshuis: the standard home, sized to each home, with the differences homes have
  const homes = await store.listGroups(db, regionId, null, ['gezinshuis']);
  const { code, ...standard } = v1.gezinshuis!;
  await store.insertHomeTariffs(
    db,
    homes.map((h, i) => {
      const home: GezinshuisInput = {
        ...standard,
        name: h.name,
        places: h.places,
        parents: i % 3 === 2 ? { mode: 'zzp', feeCentsPerYear: 9_000_000 } : standard.parents,
        careIntensityPct: ['0', '15', '30'][i % 3],
      };
      return { groupId: h.id, validFrom: '2022-01-01', normSetId: v1Id, input: home, buildUp: buildGezinshuisTariff(v1, home, code) };
    }),
  );
}
