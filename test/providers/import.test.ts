// Importing a region's provider list (≥ 300 rows with messy real-world names) with a dry run and a commit, then a
// published waiting-time list matched to it by name; the reports' counts are asserted. Also the mapping step,
// XLSX, and files with a wrong encoding or separator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProviderImport } from '../../src/providers/cli.ts';
import { seededServer, login, demoPassword } from '../helpers/app.ts';
import { providerListCsv, waitingListCsv } from './fixture.ts';

let ctx: Awaited<ReturnType<typeof seededServer>>;
let cookie = '';
const R = '/api/regions/twente';
const call = async (method: string, url: string, payload?: unknown) => {
  const res = await ctx.server.inject({ method: method as any, url, payload: payload as any, headers: { cookie } });
  return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : null, body: res.body };
};
const count = async (sql: string, p: unknown[] = []) => (await ctx.db.query(sql, p))[0].n as number;
let existing: { agb: string; name: string; id: number }[] = [];

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  cookie = await login(ctx.server, 'regio', demoPassword(ctx.accounts, 'regio'));
  existing = await ctx.db.query(
    `SELECT DISTINCT p.id, trim(p.agb_code) AS agb, p.name FROM provider p JOIN contract c ON c.provider_id = p.id WHERE c.region_id = 'twente' ORDER BY p.id LIMIT 3`,
  );
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

describe('provider list import', () => {
  it('asks for the column mapping when the name column is not recognised, and uses the mapping given', async () => {
    const csv = 'Wie;AGB;Plaats\nJeugdhulp Test;77777777;Enschede\n';
    const first = await call('POST', `${R}/providers/import`, { format: 'csv', content: csv, dryRun: true });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      stage: 'kolommen',
      headers: ['Wie', 'AGB', 'Plaats'],
      mapping: { agbCode: 'AGB', city: 'Plaats' },
      mappingErrors: [{ field: 'mapping.name' }],
    });
    const mapped = await call('POST', `${R}/providers/import`, { format: 'csv', content: csv, dryRun: true, mapping: { name: 'Wie', city: '' } });
    expect(mapped.json).toMatchObject({ stage: 'proefrun', counts: { rows: 1, nieuw: 1 }, rows: [{ line: 2, status: 'nieuw', name: 'Jeugdhulp Test' }] });
    const wrong = await call('POST', `${R}/providers/import`, { format: 'csv', content: csv, dryRun: true, mapping: { name: 'Naam' } });
    expect(wrong.json.mappingErrors).toEqual([{ field: 'mapping.name', detail: "kolom 'Naam' staat niet in de kopregel" }]);
  });

  it('names a wrong encoding or separator and stores nothing', async () => {
    const latin1 = Buffer.from('naam;agb\nZorg Caf\xe9;12345678\n', 'latin1').toString('utf8');
    const enc = await call('POST', `${R}/providers/import`, { format: 'csv', content: latin1, dryRun: false });
    expect(enc.status).toBe(422);
    expect(enc.json.detail).toMatch(/^Regel 2: het bestand is niet als UTF-8 opgeslagen/);
    const sep = await call('POST', `${R}/providers/import`, { format: 'csv', content: 'naam|agb\nZorg|12345678\n', dryRun: false });
    expect(sep.status).toBe(422);
    expect(sep.json.detail).toMatch(/scheidingsteken is niet herkend \(gevonden: '\|'\)/);
    expect(await count(`SELECT count(*)::int AS n FROM provider WHERE name IN ('Zorg Café', 'Zorg Caf\uFFFD', 'Zorg')`)).toBe(0);
  });

  it('dry run of 321 messy rows reports per row and changes nothing; the commit stores exactly the accepted rows', async () => {
    const { csv, expect: want } = providerListCsv(existing);
    const providersBefore = await count(`SELECT count(*)::int AS n FROM provider`);
    const locationsBefore = await count(`SELECT count(*)::int AS n FROM location`);
    const dry = await call('POST', `${R}/providers/import`, { fileName: 'aanbieders.csv', format: 'csv', content: csv, dryRun: true });
    expect(dry.status, dry.body.slice(0, 500)).toBe(200);
    expect(dry.json.stage).toBe('proefrun');
    expect(dry.json.counts).toMatchObject({ ...want, ongewijzigd: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM provider`)).toBe(providersBefore);
    const refused = dry.json.rows.filter((r: any) => r.status === 'geweigerd');
    expect(refused.map((r: any) => [r.line, r.errors[0].field])).toEqual([
      [315, 'AGB-code'],
      [316, 'KvK-nummer'],
      [317, 'postcode'],
      [318, 'gemeente'],
      [319, 'naam'],
      [320, 'soort'],
      [321, 'naam'],
      [322, 'naam'],
    ]);
    expect(refused[6].errors[0].detail).toMatch(/^lijkt op 'Karakter Énschede B\.V\.' in regel 3 van dit bestand: bedoelt u Karakter Énschede B\.V\.\?/);
    expect(refused[0].errors[0]).toEqual({ field: 'AGB-code', detail: "AGB-code '1234567' moet uit precies 8 cijfers bestaan", line: 315 });
    expect(dry.json.rows.find((r: any) => r.line === 312)).toMatchObject({ status: 'gewijzigd', providerId: existing[0].id, location: 'nieuw' });

    const done = await call('POST', `${R}/providers/import`, {
      fileName: 'aanbieders.csv',
      format: 'csv',
      content: csv,
      dryRun: false,
      validFrom: '2025-01-01',
    });
    expect(done.json.stage).toBe('opgeslagen');
    expect(done.json.counts).toEqual(dry.json.counts);
    expect(await count(`SELECT count(*)::int AS n FROM provider`)).toBe(providersBefore + 300);
    expect(await count(`SELECT count(*)::int AS n FROM location`)).toBe(locationsBefore + want.locationsNew);
    const jarabee = (await ctx.db.query(`SELECT id, name, trade_names, provider_type FROM provider WHERE agb_code = '71000000'`))[0];
    expect(jarabee).toMatchObject({ name: 'Stichting Jarabee Énschede', trade_names: ['Jarabee Jeugd Enschede'], provider_type: 'groot' });
    expect(await count(`SELECT count(*)::int AS n FROM location WHERE provider_id = $1`, [jarabee.id])).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM location WHERE postcode = '7500AB' AND street = 'Hoofdstraat'`)).toBe(1);

    // the same file again: nothing new, nothing changed; the two rows without codes now name a provider of the register
    const again = await call('POST', `${R}/providers/import`, { format: 'csv', content: csv, dryRun: true });
    expect(again.json.counts).toMatchObject({ nieuw: 0, gewijzigd: 0, ongewijzigd: 315, geweigerd: 6, providersNew: 0 });

    // the published waiting-time list, names only, matched to the register
    const w = waitingListCsv();
    const res = await call('POST', `${R}/placement/provider-waiting-times`, { fileName: 'wachttijden-twente.csv', csv: w.csv });
    expect(res.status, res.body.slice(0, 400)).toBe(200);
    expect(res.json.imported).toBe(w.expect.imported);
    expect(res.json.pending).toHaveLength(w.expect.pending);
    expect(new Set(res.json.errors.map((e: any) => e.line)).size).toBe(w.expect.refused);
    expect(res.json.matchedBy).toEqual({ naam: 104, gelijkend: 16, handelsnaam: 20 }); // 16 rows leave off the 'Jeugdzorg' of the legal name (FORMS[7])
    expect([...new Set(res.json.pending.map((p: any) => p.provider))].sort()).toEqual(w.expect.unknownNames);
    expect(res.json.errors).toEqual([
      { line: 150, field: 'weken tot intake', detail: "'vier' is geen aantal weken (bv. 6 of 39,105)" },
      { line: 151, field: 'weken tot intake', detail: 'geen wachttijd: vul weken tot intake of weken tot behandeling in' },
    ]);
    const stored =
      await ctx.db.query(`SELECT weeks_to_intake::text AS wi, weeks_to_treatment::text AS wt, reported_on::text AS d, reported_precision AS pr, source, remarks
      FROM provider_waiting_time WHERE provider_name = 'Accare Hengelo' OR provider_name = 'Jarabee Enschede' ORDER BY id`);
    expect(stored[0]).toMatchObject({
      wi: null,
      wt: '2.000',
      d: '2025-03-01',
      pr: 'maand',
      source: 'website aanbieder',
      remarks: 'Wachttijd "bij benadering"',
    });

    // unknown names: one becomes a new provider in one step, another is attached to an existing one as trade name
    const pend = (await call('GET', `${R}/providers/pending-names`)).json;
    expect(pend.map((p: any) => [p.providerName, p.rows])).toEqual([
      ['De Vrolijke Vogel Jeugdhulp', 3],
      ['Kindertherapie Het Kompas Noord', 2],
      ['Praktijk Zonnestraal', 3],
    ]);
    const made = await call('POST', `${R}/providers/pending-names`, { providerName: 'Praktijk Zonnestraal', agbCode: '90000001' });
    expect(made.json).toMatchObject({ created: true, moved: 3 });
    const attach = await call('POST', `${R}/providers/pending-names`, { providerName: 'Kindertherapie Het Kompas Noord', providerId: jarabee.id });
    expect(attach.json).toEqual({ providerId: jarabee.id, created: false, moved: 2 });
    expect((await ctx.db.query(`SELECT trade_names FROM provider WHERE id = $1`, [jarabee.id]))[0].trade_names).toContain('Kindertherapie Het Kompas Noord');
    expect((await call('GET', `${R}/providers/pending-names`)).json.map((p: any) => p.providerName)).toEqual(['De Vrolijke Vogel Jeugdhulp']);
    const published = (await call('GET', `${R}/placement/provider-waiting-times`)).json;
    expect(published.filter((p: any) => p.providerId === made.json.providerId)).toHaveLength(1); // three rows, one offer: the latest per offer
    expect(await count(`SELECT count(*)::int AS n FROM provider_waiting_time WHERE provider_id = $1`, [made.json.providerId])).toBe(3);
  });

  it('reads XLSX the same way', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Aanbieders');
    ws.addRow(['Naam', 'AGB-code', 'KvK', 'Postcode', 'Plaats', 'Gemeente']);
    ws.addRow(['Excel Zorg B.V.', '66000001', '56000001', '7511AB', 'Enschede', 'Enschede']);
    ws.addRow(['Excel Zorg Twee', 66000002, '', '1234', 'Enschede', '0153']);
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const res = await call('POST', `${R}/providers/import`, { fileName: 'lijst.xlsx', format: 'xlsx', content, dryRun: true });
    expect(res.json.counts).toMatchObject({ rows: 2, nieuw: 1, geweigerd: 1 });
    expect(res.json.rows[1].errors).toEqual([{ field: 'postcode', detail: "'1234' is geen Nederlandse postcode (1234 AB)", line: 3 }]);
  });

  it('the command line reads a file with --dry-run, and exits 1 when rows are refused, 2 when the columns are not recognised', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rk-providers-'));
    const file = path.join(dir, 'lijst.csv');
    writeFileSync(file, 'Naam;AGB\nCLI Zorg B.V.;55000001\nCLI Fout;55\n');
    const log = console.log;
    const lines: string[] = [];
    console.log = (s: string) => {
      lines.push(s);
    };
    try {
      const dry = await runProviderImport(ctx.db, file, { region: 'twente', dryRun: true });
      expect(dry.code).toBe(1);
      expect(lines[0]).toBe('Proefrun (niets opgeslagen): 2 regels; 1 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 geweigerd');
      expect(lines).toContain("  regel 3, AGB-code: AGB-code '55' moet uit precies 8 cijfers bestaan");
      expect(await count(`SELECT count(*)::int AS n FROM provider WHERE agb_code = '55000001'`)).toBe(0);
      writeFileSync(file, 'Wie;AGB\nCLI Zorg;55000001\n');
      expect((await runProviderImport(ctx.db, file, { region: 'twente', dryRun: true })).code).toBe(2);
      expect((await runProviderImport(ctx.db, file, { region: 'twente', dryRun: false, mapping: 'name=Wie' })).code).toBe(0);
      expect(await count(`SELECT count(*)::int AS n FROM provider WHERE agb_code = '55000001'`)).toBe(1);
    } finally {
      console.log = log;
    }
  });
});
