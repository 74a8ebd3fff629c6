// The provider-list import at the size of a large region's spreadsheet: 5,000 provider rows, each with a location
// (address, postcode, municipality), messy names, on embedded PGlite (in memory). Measures the dry run (read, map,
// match against the register and within the file, plan), the commit (one transaction), and a second dry run of
// the same file against the now-filled register (every row 'ongewijzigd'). Target: the commit of 5,000 rows < 10 s.
//   BENCH_ROWS=5000 npm run bench:providers
import { register } from 'tsx/esm/api';

register();
const { openDb, migrate } = await import('../src/db/index.ts');
const { loadReferenceData, loadRegionPreset, presetFor, municipalities } = await import('../src/catalog/index.ts');
const { importProviderList } = await import('../src/providers/import.ts');

const ROWS = Number(process.env.BENCH_ROWS ?? 5000);
const t0 = performance.now();
const db = await openDb({ dataDir: 'memory://' });
await migrate(db);
await loadReferenceData(db);
const preset = presetFor('Twente');
await loadRegionPreset(db, preset);
const ms = municipalities().filter((m) => m.jeugdzorgregio === 'Twente');
console.log(`Database klaar in ${((performance.now() - t0) / 1000).toFixed(1)} s (PGlite, in geheugen)`);

const WORDS = ['Jeugdhulp', 'Zorg', 'Gezinshuis', 'Praktijk', 'Kindertherapie', 'Ambulant', 'Opvoedpoli', 'Begeleiding', 'Wonen', 'Coaching'];
const NAMES = [
  'Zonnebloem',
  'De Brug',
  'Het Anker',
  'Kompas',
  'Horizon',
  'Lindeboom',
  'Eikenhof',
  'Vlinder',
  'Regenboog',
  'Sterrenhemel',
  'Kameleon',
  'Waterval',
];
const FORMS = [(n) => `Stichting ${n}`, (n) => `${n} B.V.`, (n) => `${n} BV`, (n) => n, (n) => `${n} V.O.F.`, (n) => `${n.toUpperCase()} HOLDING B.V.`];
const rows = ['Naam zorgaanbieder;AGB;KvK;Soort;Locatie;Straat;Huisnummer;Postcode;Plaats;Gemeente'];
for (let i = 0; i < ROWS; i++) {
  const m = ms[i % ms.length];
  const base = `${WORDS[i % WORDS.length]} ${NAMES[Math.floor(i / WORDS.length) % NAMES.length]} ${m.name} ${Math.floor(i / (WORDS.length * NAMES.length)) + 1}`;
  rows.push(
    [
      FORMS[i % FORMS.length](base),
      String(50000000 + i),
      String(60000000 + i),
      i % 50 === 0 ? 'groot' : 'overig',
      `Locatie ${i + 1}`,
      'Hoofdstraat',
      String((i % 300) + 1),
      `${7400 + (i % 500)} ${['AA', 'BB', 'CD', 'EF'][i % 4]}`,
      m.name,
      m.code,
    ].join(';'),
  );
}
const content = rows.join('\r\n');
console.log(`Bestand: ${ROWS} regels, ${(content.length / 1024).toFixed(0)} kB`);

const scope = { regionId: preset.id, municipalityCode: null, providerId: null, label: 'bench' };
const run = async (label, dryRun) => {
  const t = performance.now();
  const r = await importProviderList(db, scope, null, { fileName: 'bench.csv', format: 'csv', content, dryRun, validFrom: '2025-01-01' }, '2025-06-01');
  const s = (performance.now() - t) / 1000;
  console.log(
    `${label.padEnd(34)} ${s.toFixed(2)} s  (${r.counts.nieuw} nieuw, ${r.counts.gewijzigd} gewijzigd, ${r.counts.ongewijzigd} ongewijzigd, ${r.counts.geweigerd} geweigerd; ${r.counts.locationsNew} locaties nieuw)`,
  );
  return s;
};
await run('proefrun, leeg register', true);
const commit = await run('opslaan (proefrun + transactie)', false);
await run('proefrun, zelfde bestand opnieuw', true);
const [{ p, l }] = await db.query(`SELECT (SELECT count(*) FROM provider)::int AS p, (SELECT count(*) FROM location)::int AS l`);
console.log(`In de database: ${p} aanbieders, ${l} locaties`);
console.log(commit < 10 ? `OK: ${ROWS} regels opgeslagen in ${commit.toFixed(2)} s (doel < 10 s)` : `TE TRAAG: ${commit.toFixed(2)} s (doel < 10 s)`);
await db.close();
