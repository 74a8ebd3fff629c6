// `regiekamer providers import FILE [--dry-run]`: the same import as the web (src/providers/import.ts), from a file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/index.ts';
import { importProviderList, type ImportResult } from './import.ts';
import { today as todayNl } from '../core/dates.ts';

export async function runProviderImport(
  db: Db,
  file: string,
  o: { region: string; dryRun: boolean; mapping?: string; validFrom?: string; json?: boolean },
): Promise<{ code: number; result: ImportResult }> {
  const [region] = await db.query(`SELECT id FROM region WHERE id = $1`, [o.region]);
  if (!region) throw new Error(`Regio '${o.region}' is niet geladen (zie: regiekamer seed --region …)`);
  const ext = path.extname(file).toLowerCase();
  const format = ext === '.xlsx' ? 'xlsx' : 'csv';
  const buf = readFileSync(file);
  const content = format === 'xlsx' ? buf.toString('base64') : buf.toString('utf8');
  const mapping = Object.fromEntries(
    (o.mapping ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => {
        const i = kv.indexOf('=');
        return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
      }),
  );
  const scope = { regionId: o.region, municipalityCode: null, providerId: null, label: 'opdrachtregel' };
  const result = await importProviderList(
    db,
    scope,
    null,
    { fileName: path.basename(file), format, content, mapping, dryRun: o.dryRun, validFrom: o.validFrom },
    todayNl(),
  );
  if (o.json) console.log(JSON.stringify(result, null, 2));
  else printReport(result);
  return { code: result.stage === 'kolommen' ? 2 : result.counts.geweigerd ? 1 : 0, result };
}

function printReport(r: ImportResult) {
  if (r.stage === 'kolommen') {
    console.log(`Kolommen in het bestand: ${r.headers.join(' | ')}`);
    for (const e of r.mappingErrors) console.log(`  ${e.field}: ${e.detail}`);
    console.log(`Geef de kolommen op met --mapping, bv. --mapping "name=Naam zorgaanbieder,agbCode=AGB" (velden: ${r.fields.map((f) => f.key).join(', ')})`);
    return;
  }
  const c = r.counts;
  console.log(
    `${r.stage === 'proefrun' ? 'Proefrun (niets opgeslagen)' : 'Opgeslagen'}: ${c.rows} regels; ${c.nieuw} nieuw, ${c.gewijzigd} gewijzigd, ${c.ongewijzigd} ongewijzigd, ${c.geweigerd} geweigerd`,
  );
  console.log(`  aanbieders: ${c.providersNew} nieuw, ${c.providersChanged} gewijzigd; locaties: ${c.locationsNew} nieuw, ${c.locationsChanged} gewijzigd`);
  for (const row of r.rows.filter((x) => x.status === 'geweigerd')) {
    for (const e of row.errors) console.log(`  regel ${row.line}, ${e.field}: ${e.detail}`);
  }
  for (const row of r.rows.filter((x) => x.status !== 'geweigerd' && x.suggestion)) console.log(`  regel ${row.line} (${row.name}): ${row.suggestion}`);
}
