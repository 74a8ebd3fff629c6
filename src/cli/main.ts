// npx regiekamer <command>: serve, migrate, seed, user add, backup, restore, ijw validate/import/export, funding statement, providers import.
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { ROLES, type Role } from '../access/roles.ts';
import { progressReporter } from './progress.ts';
// Heavy modules (database, server, generator) load inside the command that needs them: `--help` stays instant.
import { REGION_IDS } from '../catalog/presets.ts';

const program = new Command();
program.name('regiekamer').description('Regiekamer Jeugd: inkoop, bekostiging en sturing van jeugdhulp').version('0.1.0');

program
  .command('serve')
  .description('Start de webapp en API (standaard op poort 8080)')
  .option('--demo', "demomodus: laadt bij de eerste start de drie demoregio's en maakt demo-accounts (ook via REGIEKAMER_DEMO=1)")
  .option('-p, --port <port>', 'poort (standaard $PORT of 8080)')
  .option('--host <host>', 'adres (standaard $HOST of 0.0.0.0)')
  .action(async (o) => {
    const t0 = Date.now();
    const config = loadConfig({ demo: o.demo || undefined, port: o.port ? Number(o.port) : undefined, host: o.host });
    const { openApp } = await import('../app.ts');
    const { buildServer } = await import('../http/server.ts');
    const progress = progressReporter();
    const app = await openApp(config, { progress: progress.update, log: (s) => console.log(s) });
    progress.stop();
    const server = await buildServer(app, { log: { level: config.logLevel } }); // JSON lines to stdout (http/log.ts)
    let lastRequestAt = Date.now(); // (the warm-up below refreshes only while the server is in use)
    server.addHook('onRequest', async () => {
      lastRequestAt = Date.now();
    });
    await server.listen({ port: config.port, host: config.host });
    const url = `http://localhost:${config.port}`;
    console.log(
      `Regiekamer Jeugd draait op ${url} (database: ${app.db.kind === 'pglite' ? `ingebed, ${config.dataDir}` : 'PostgreSQL-server'}; klaar in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    console.log(`API-documentatie: ${url}/api/docs`);
    // the regions' first figures, computed in the background while the server already answers, and kept fresh while
    // it is in use (src/warm.ts)
    const warm = config.warm
      ? (await import('../warm.ts')).keepWarm(
          app.db,
          () => lastRequestAt,
          (s) => console.log(s),
        )
      : () => undefined;
    if (app.demoAccountsCreated) {
      console.log('\nDemo-accounts (alleen in demomodus; ook zichtbaar op de inlogpagina):');
      for (const a of app.demoAccountsCreated) console.log(`  ${a.username.padEnd(12)} ${a.password.padEnd(14)} ${a.description}`);
      console.log('');
    }
    const stop = async () => {
      warm();
      await server.close();
      await app.db.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program
  .command('migrate')
  .description('Voer de databasemigraties uit')
  .action(async () => {
    const config = loadConfig({ bsnKey: process.env.REGIEKAMER_BSN_KEY ?? 'ff'.repeat(32) }); // migrate needs no key
    const { openDb, migrate } = await import('../db/index.ts');
    const db = await openDb(config);
    const applied = await migrate(db);
    console.log(applied.length ? `Uitgevoerd: ${applied.join(', ')}` : 'De database is bij.');
    await db.close();
  });

program
  .command('seed')
  .description('Laad een demoregio (twente, achterhoek, midden-ijssel-oost-veluwe, all) of met --scale national een landelijke dataset voor benchmarks')
  .addOption(new Option('--region <region>', 'regio').default('all'))
  .addOption(new Option('--scale <scale>', 'omvang').choices(['region', 'national']).default('region'))
  .option('--seed <n>', 'zaadgetal voor de generator', '1')
  .action(async (o) => {
    const config = loadConfig();
    const { openDb, migrate } = await import('../db/index.ts');
    const { bsnKeys } = await import('../core/bsn.ts');
    const { loadDemo } = await import('../app.ts');
    const db = await openDb(config);
    await migrate(db);
    const keys = bsnKeys(config.bsnKey);
    const progress = progressReporter();
    const t0 = Date.now();
    if (o.scale === 'national') {
      const { generateNational } = await import('../demo/index.ts');
      const result = await generateNational(db, { keys, seed: Number(o.seed), onProgress: progress.update });
      progress.stop();
      console.log(`Landelijke dataset gemaakt in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, result);
    } else {
      const regions = o.region === 'all' ? REGION_IDS : [o.region];
      for (const r of regions)
        if (!(REGION_IDS as readonly string[]).includes(r)) program.error(`Onbekende regio '${r}'; kies uit ${REGION_IDS.join(', ')}, all`);
      await loadDemo(db, keys, progress.update, regions);
      progress.stop();
      console.log(`Geladen: ${regions.join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    await db.close();
  });

program
  .command('backup')
  .description('Bewaar de ingebedde database (REGIEKAMER_DATA) in één bestand; stop eerst de server die hem open heeft')
  .argument('<bestand>', 'het back-upbestand (gzip-tar)')
  .action(async (file: string) => {
    const config = loadConfig({ bsnKey: 'ff'.repeat(32) });
    if (config.databaseUrl) program.error('Een PostgreSQL-server (DATABASE_URL) bewaart u met pg_dump; backup is voor de ingebedde database.');
    const { backupDataDir } = await import('../db/index.ts');
    const r = await backupDataDir(config.dataDir, file);
    console.log(`Back-up geschreven: ${r.file} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.migrations} migraties)`);
  });

program
  .command('restore')
  .description('Zet een back-up terug in REGIEKAMER_DATA; een bestaande database wordt alleen met --force vervangen en blijft ernaast bewaard')
  .argument('<bestand>', 'het back-upbestand')
  .option('--force', 'vervang een bestaande database')
  .action(async (file: string, o) => {
    const config = loadConfig({ bsnKey: 'ff'.repeat(32) });
    if (config.databaseUrl) program.error('Een PostgreSQL-server (DATABASE_URL) zet u terug met pg_restore; restore is voor de ingebedde database.');
    const { restoreDataDir } = await import('../db/index.ts');
    const r = await restoreDataDir(config.dataDir, file, { force: o.force });
    console.log(`Hersteld in ${r.dataDir} (${r.migrations} migraties)${r.previous ? `; de vorige database staat in ${r.previous}` : ''}`);
  });

const user = program.command('user').description('Accounts beheren');
user
  .command('add')
  .description('Maak een account; het wachtwoord komt uit $REGIEKAMER_PASSWORD of van standaardinvoer')
  .requiredOption('--username <name>')
  .requiredOption('--display-name <name>')
  .addOption(new Option('--role <role>').choices([...ROLES]).makeOptionMandatory())
  .option('--region <id>', 'beperk tot één regio (regio/coördinator)')
  .option('--municipality <cbs>', 'CBS-code (rol gemeente)')
  .option('--provider-agb <agb>', 'AGB-code (rol aanbieder)')
  .action(async (o) => {
    const password = process.env.REGIEKAMER_PASSWORD ?? (await readStdin()).trim();
    if (!password) program.error('Geen wachtwoord: zet REGIEKAMER_PASSWORD of geef het via standaardinvoer');
    const config = loadConfig({ bsnKey: process.env.REGIEKAMER_BSN_KEY ?? 'ff'.repeat(32) });
    const { openDb, migrate } = await import('../db/index.ts');
    const { createAccount } = await import('../access/store.ts');
    const db = await openDb(config);
    await migrate(db);
    let providerId: number | undefined;
    if (o.providerAgb) {
      const rows = await db.query<{ id: number }>('SELECT id FROM provider WHERE agb_code = $1', [o.providerAgb]);
      if (!rows.length) program.error(`Geen aanbieder met AGB-code ${o.providerAgb}`);
      providerId = rows[0].id;
    }
    const id = await createAccount(db, {
      username: o.username,
      displayName: o.displayName,
      password,
      role: o.role as Role,
      regionId: o.region,
      municipalityCode: o.municipality,
      providerId,
    });
    console.log(`Account ${o.username} (${o.role}) gemaakt, id ${id}`);
    await db.close();
  });

const ijw = program.command('ijw').description('iJW 3.2-berichten (JW301 … JW325)');
ijw
  .command('validate')
  .description('Controleer berichten: XSD, condities en constraints, technische regels en de landelijke lijsten; exit 0 geldig, 1 bevindingen, 2 onleesbaar')
  .argument('<bestanden...>', 'XML-bestanden')
  .option('--json', 'één JSON-array met per bestand de bevindingen')
  .option('--with-history', 'ook de berichtoverstijgende regels tegen toewijzingen, declaraties en tarieven in de database')
  .action(async (files: string[], o) => {
    const { runValidate } = await import('../ijw/cli.ts');
    process.exitCode = await runValidate(files, { json: o.json, withHistory: o.withHistory });
  });
ijw
  .command('import')
  .description(
    'Lees berichten in (JW323 boeken en beantwoorden, JW301 toewijzingen, JW315/JW317 aanvragen), per bestand alles of niets; exit 0 alles verwerkt, 1 afgewezen regels of XSD-fouten, 2 onleesbaar',
  )
  .argument('<bestanden...>', 'XML-bestanden')
  .option('--answers <map>', 'schrijf de JW325-antwoorden naar deze map')
  .option('--json', 'het resultaat per bestand als JSON')
  .option('--server <url>', 'laat een draaiende server het inlezen doen (zijn database is dan op slot); inloggen met REGIEKAMER_USER en REGIEKAMER_PASSWORD')
  .option('--region <regio>', 'de regio van het bericht (nodig met --server)')
  .action(async (files: string[], o) => {
    const { runImport, runImportViaServer } = await import('../ijw/cli.ts');
    if (o.server) {
      if (!o.region) program.error('Met --server is --region nodig (bijvoorbeeld --region twente)');
      process.exitCode = await runImportViaServer(files, { server: o.server, region: o.region, answers: o.answers, json: o.json });
      return;
    }
    process.exitCode = await runImport(files, { answers: o.answers, json: o.json });
  });
ijw
  .command('export')
  .description('Schrijf berichten uit de opgeslagen gegevens: JW301 voor de toewijzingen van een gemeente die nog niet verzonden zijn')
  .requiredOption('--type <type>', 'berichttype (JW301)')
  .requiredOption('--municipality <code>', 'CBS-code van de gemeente')
  .requiredOption('--out <map>', 'map voor de berichten')
  .action(async (o) => {
    const { runExport } = await import('../ijw/cli.ts');
    process.exitCode = await runExport({ type: o.type, municipality: o.municipality, outDir: o.out });
  });

const providers = program.command('providers').description('Aanbiedersregister');
providers
  .command('import')
  .description(
    'Lees de aanbiederslijst van de regio in (CSV of XLSX): per regel nieuw, gewijzigd, ongewijzigd of geweigerd; exit 0 alles goed, 1 geweigerde regels, 2 kolommen niet herkend',
  )
  .argument('<bestand>', 'CSV (UTF-8) of XLSX')
  .requiredOption('--region <id>', 'regio (bv. twente)')
  .option('--dry-run', 'alleen het rapport, niets opslaan')
  .option('--mapping <velden>', 'kolommen als veld=kolomnaam, gescheiden door komma\'s (bv. "name=Naam zorgaanbieder,agbCode=AGB")')
  .option('--valid-from <datum>', 'in het register per (JJJJ-MM-DD, standaard vandaag)')
  .option('--json', 'het rapport als JSON')
  .action(async (file: string, o) => {
    const config = loadConfig({ bsnKey: process.env.REGIEKAMER_BSN_KEY ?? 'ff'.repeat(32) });
    const { openDb, migrate } = await import('../db/index.ts');
    const { runProviderImport } = await import('../providers/cli.ts');
    const db = await openDb(config);
    await migrate(db);
    try {
      const { code } = await runProviderImport(db, file, { region: o.region, dryRun: !!o.dryRun, mapping: o.mapping, validFrom: o.validFrom, json: o.json });
      process.exitCode = code;
    } catch (e) {
      console.error((e as Error).message);
      process.exitCode = 2;
    } finally {
      await db.close();
    }
  });

const tariff = program.command('tariff').description('Rekentool tarieven');
tariff
  .command('calc')
  .description('Bereken één tarief met de volledige kostprijsopbouw (JSON); invoer: een normenset en een product, zie examples/tariff-calc.json')
  .requiredOption('--input <file>', 'JSON-bestand met norms en product, productCode of gezinshuis')
  .action(async (o) => {
    const { calcFromFile } = await import('../tariffs/cli.ts');
    console.log(JSON.stringify(calcFromFile(o.input), null, 2));
  });

const funding = program.command('funding').description('Bekostiging en afrekening');
funding
  .command('statement')
  .description('Jaarafrekening van een aanbieder: de gesloten afrekening, anders de lopende berekening, stap voor stap')
  .requiredOption('--region <region>', 'regio-id, bijvoorbeeld achterhoek')
  .requiredOption('--provider <agb>', 'AGB-code van de aanbieder')
  .option('--year <year>', 'jaar (standaard het demojaar van de regio)')
  .option('--json', 'als JSON')
  .option('--pdf <file>', 'als pdf-brief naar dit bestand')
  .action(async (o) => {
    const config = loadConfig({ bsnKey: process.env.REGIEKAMER_BSN_KEY ?? 'ff'.repeat(32) }); // reads no personal data
    const { openDb, migrate } = await import('../db/index.ts');
    const { statementCommand } = await import('../funding/cli.ts');
    const db = await openDb(config);
    try {
      await migrate(db);
      console.log(await statementCommand(db, o));
    } finally {
      await db.close();
    }
  });

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  let s = '';
  for await (const chunk of process.stdin) s += chunk;
  return s;
}

program.parseAsync(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
