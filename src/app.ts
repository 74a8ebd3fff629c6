// Opening the application: database, migrations, and in demo mode the three demo regions and accounts.
import { openDb, migrate, type Db } from './db/index.ts';
import { bsnKeys, type BsnKeys } from './core/bsn.ts';
import type { Config } from './config.ts';
import { loadReferenceData, loadRegionPreset, REGION_IDS, type RegionId } from './catalog/index.ts';
import { generateRegionDemos } from './demo/index.ts';
import { ensureDemoAccounts, type DemoAccount } from './access/demo.ts';
import { ensureFacts, refreshFacts } from './monitoring/facts.ts';
import { loadPlacementDemo } from './placement/index.ts';
import { loadTariffDemo } from './tariffs/index.ts';
import { ensureRiskDemo, loadRiskDemo } from './monitoring/risk.ts';
import { loadIjwDemo } from './ijw/demo.ts';
import { wireCapabilities } from './wiring.ts';

export interface App {
  db: Db;
  config: Config;
  keys: BsnKeys;
  demoAccountsCreated?: DemoAccount[];
}
export type Progress = (done: number, total: number, label: string) => void;

export async function openApp(config: Config, opts: { progress?: Progress; log?: (s: string) => void } = {}): Promise<App> {
  const log = opts.log ?? (() => undefined);
  wireCapabilities();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(db);
  await ensureFacts(db);
  if (applied.length) log(`Migraties uitgevoerd: ${applied.join(', ')}`);
  const keys = bsnKeys(config.bsnKey);
  const app: App = { db, config, keys };
  if (config.demo) {
    // (whether any line exists, not how many: counting a region's six years of lines took a second at every start)
    const [{ loaded }] = await db.query<{ loaded: boolean }>(`SELECT EXISTS (SELECT 1 FROM declaration_line) AS loaded`);
    if (!loaded) {
      log("Eerste start in demomodus: de drie demoregio's worden geladen …");
      await loadDemo(db, keys, opts.progress);
    } else {
      await ensureRiskDemo(db); // corrects demo annual accounts made by an older generator (issue 18 §2)
    }
    const { created, accounts } = await ensureDemoAccounts(db);
    if (created) app.demoAccountsCreated = accounts;
  }
  return app;
}

export async function loadDemo(db: Db, keys: BsnKeys, progress?: Progress, regions: readonly string[] = REGION_IDS) {
  wireCapabilities();
  await loadReferenceData(db);
  for (const id of regions) await loadRegionPreset(db, id as any);
  // every region's ledger in one bulk load (keys and indexes rebuilt once, src/demo/index.ts)
  await generateRegionDemos(db, regions as RegionId[], { keys, onProgress: progress });
  // the tariff demo publishes the tariffs of the year after the demo year, which the iJW demo declares against
  await loadTariffDemo(db, regions);
  await loadIjwDemo(db, keys, regions); // books declaration lines: before the one refresh of the facts
  await refreshFacts(db);
  await loadPlacementDemo(db, regions);
  await loadRiskDemo(db); // demo annual accounts, derived from the facts refreshed above
}
