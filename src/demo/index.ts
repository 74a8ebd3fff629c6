// The demo data generator's public door.
import type { Db } from '../db/index.ts';
import { refreshFacts } from '../monitoring/index.ts';
import { loadReferenceData, loadRegionPreset, municipalities, presetFor, REGION_PRESETS, type RegionId } from '../catalog/index.ts';
import { Rng } from '../core/random.ts';
import { generateFromTargets, type GenerateOptions, type GenerateResult } from './generate.ts';
import { BULK_INDEXED, BULK_TABLES, withoutForeignKeyChecks, withoutIndexes } from './bulk.ts';
import { loadFundingDemo } from '../funding/index.ts';
import { loadTariffHistory } from '../tariffs/index.ts';
import { historyEnd } from './generate.ts';
import { achterhoekTargets, genericTargets, mijovTargets, twenteTargets } from './targets.ts';

export type { GenerateOptions, GenerateResult } from './generate.ts';
export { syntheticBsn, historyEnd, MONTH_SEASON } from './generate.ts';

const TARGETS = { twente: twenteTargets, achterhoek: achterhoekTargets, 'midden-ijssel-oost-veluwe': mijovTargets } as const;
const REGION_INDEX: Record<string, number> = { twente: 1, achterhoek: 2, 'midden-ijssel-oost-veluwe': 3 };

/** Demo data for one of the three calibrated regions (the preset must be loaded). All or nothing. */
export async function generateRegionDemo(db: Db, regionId: RegionId, opts: GenerateOptions): Promise<GenerateResult> {
  return (await generateRegionDemos(db, [regionId], opts))[0];
}

/**
 * Demo data for several of the calibrated regions (their presets loaded), their ledgers in one transaction: the
 * foreign keys and secondary indexes of the bulk tables are dropped once and rebuilt once over all regions. Per
 * region they were rebuilt over every row already loaded, which made the second and third region pay for the
 * first (issue 18: Achterhoek's 140,000 lines took longer than Twente's 600,000). All or nothing.
 */
export async function generateRegionDemos(db: Db, regionIds: readonly RegionId[], opts: GenerateOptions): Promise<GenerateResult[]> {
  const until = opts.until ?? historyEnd();
  const plans = regionIds.map((regionId) => {
    const preset = REGION_PRESETS[regionId];
    const ms = municipalities()
      .filter((m) => m.jeugdzorgregio === preset.jeugdzorgregio)
      .sort((a, b) => a.code.localeCompare(b.code));
    return { regionId, ms, targets: TARGETS[regionId](ms) };
  });
  // the tariffs of every year up to the end of the history, published before the ledger that declares at them
  for (const p of plans) await loadTariffHistory(db, p.regionId, p.targets.year, Math.max(p.targets.year, Number(until.slice(0, 4))));
  const results = await db.transaction((tx) =>
    withoutForeignKeyChecks(tx, BULK_TABLES, () =>
      withoutIndexes(tx, BULK_INDEXED, async () => {
        const out: GenerateResult[] = [];
        for (const p of plans) {
          out.push(
            await generateFromTargets(tx, p.regionId, REGION_INDEX[p.regionId], p.ms, p.targets, {
              ...opts,
              until,
              onProgress: opts.onProgress ? (d, t, l) => opts.onProgress!(d, t, `${p.regionId}: ${l}`) : undefined,
            }),
          );
        }
        return out;
      }),
    ),
  );
  // statistics for the planner before anything reads the new rows (the funding demo's ledger per quarter took 5 s
  // on Twente's history without them)
  await db.exec(`ANALYZE ${BULK_TABLES.join(', ')}`);
  for (const p of plans) await loadFundingDemo(db, p.regionId); // contract terms, instalments and quarterly figures (src/funding/demo.ts)
  return results;
}

/**
 * The national-size data set for benchmarks: every jeugdzorgregio with all 342 municipalities; the three
 * calibrated regions as in the demo, the others generic, ~450,000 youths and ~6 million declaration lines.
 * Refuses a database that already holds regions (load it into an empty database).
 */
export async function generateNational(
  db: Db,
  opts: GenerateOptions & { youths?: number },
): Promise<GenerateResult & { regions: number; municipalities: number }> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM region`);
  if (n > 0) throw new Error("De landelijke dataset wordt in een lege database geladen; deze database bevat al regio's");
  await loadReferenceData(db);
  const all = municipalities();
  const regions = [...new Set(all.map((m) => m.jeugdzorgregio))].sort();
  const totalYouths = opts.youths ?? 450_000;
  const calibrated = 15_628 + 9_500 + 7_200; // the three presets, roughly
  const genericMunicipalities = all.filter((m) => !Object.values(REGION_PRESETS).some((p) => p.jeugdzorgregio === m.jeugdzorgregio)).length;
  const perMunicipality = (totalYouths - calibrated) / genericMunicipalities;
  const rng = new Rng(opts.seed ?? 1);
  const sum: GenerateResult = { youths: 0, allocations: 0, declarationLines: 0, providers: 0 };
  // one transaction, all or nothing; the foreign keys are checked once at the end, not per region
  await db.transaction((tx) =>
    withoutForeignKeyChecks(tx, BULK_TABLES, () =>
      withoutIndexes(tx, BULK_INDEXED, async () => {
        for (const [i, name] of regions.entries()) {
          const preset = presetFor(name);
          const ms = all.filter((m) => m.jeugdzorgregio === name).sort((a, b) => a.code.localeCompare(b.code));
          await loadRegionPreset(tx, preset);
          // the published year alone unless `until` asks for a history: the national set stays at its benchmarked size
          // (~6 million lines; a history to today would be 3.6 times that)
          const until = opts.until ?? `${preset.demoYear}-12-31`;
          await loadTariffHistory(tx, preset.id, preset.demoYear, Math.max(preset.demoYear, Number(until.slice(0, 4))));
          const known = (TARGETS as Record<string, ((ms: typeof all) => ReturnType<typeof twenteTargets>) | undefined>)[preset.id];
          const targets = known ? known(ms) : genericTargets(ms, Math.round(perMunicipality * ms.length), () => rng.next());
          const r = await generateFromTargets(tx, preset.id, known ? REGION_INDEX[preset.id] : 10 + i, ms, targets, { ...opts, until, onProgress: undefined });
          sum.youths += r.youths;
          sum.allocations += r.allocations;
          sum.declarationLines += r.declarationLines;
          sum.providers += r.providers;
          opts.onProgress?.(i + 1, regions.length, `regio's (${sum.declarationLines.toLocaleString('nl-NL')} declaratieregels)`);
        }
        opts.onProgress?.(regions.length, regions.length, 'verwijzingen controleren');
      }),
    ),
  );
  for (const id of ['twente', 'achterhoek']) await loadFundingDemo(db, id);
  await refreshFacts(db);
  return { ...sum, regions: regions.length, municipalities: all.length };
}

export { loadReferenceData };
