// `ijw import` and `ijw export` against a real database: exit codes, JW325 answers in a folder, JW301s that
// validate against the XSD, and a JW301 read back in creating and changing allocations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/index.ts';
import { runExport, runImport } from '../../src/ijw/cli.ts';
import { importMessage } from '../../src/ijw/import.ts';
import { validateXsd } from '../../src/ijw/xsd.ts';
import { jdkAvailable, officialVerdicts } from '../../src/ijw/official.ts';
import { decryptAddress } from '../../src/ijw/bsn.ts';
import { bsnLookupHash, encryptBsn } from '../../src/core/bsn.ts';
import { BSN, MUNICIPALITY, PROVIDER, TODAY, declaration, line, retotal } from './helpers.ts';
import { counts, declarationFile, importFixture, keys, tmpFile } from './fixture.ts';
import { viewAndDefinition } from '../helpers/db.ts';

let db: Db;
const quiet = { progress: null, today: TODAY };

beforeAll(async () => {
  ({ db } = await importFixture());
  // allocated before the day the JW301s are dated (the official stylesheet: TR134, Toewijzingsdatum not after the Dagtekening)
  await db.query(`UPDATE allocation SET created_at = $1::date`, [TODAY]);
}, 180_000);

afterAll(async () => {
  await db?.close();
});

describe('ijw import', () => {
  it('exit 0 for a clean file, 1 with rejected lines, 2 for an unreadable one; answers land in the folder and validate', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rk-answers-'));
    let out = '';
    const clean = declarationFile(declaration());
    expect(
      await runImport([clean], {
        db,
        keys,
        ...quiet,
        answers: dir,
        out: (s) => {
          out += s;
        },
      }),
    ).toBe(0);
    expect(out).toContain('2 van 2 regels geaccepteerd');
    const rejected = declarationFile(retotal(declaration([{ bsn: BSN, lines: [line('Q1', { ToewijzingNummer: 55555 })] }])));
    out = '';
    expect(
      await runImport([rejected], {
        db,
        keys,
        ...quiet,
        answers: dir,
        json: true,
        out: (s) => {
          out += s;
        },
      }),
    ).toBe(1);
    const [r] = JSON.parse(out);
    expect(r).toMatchObject({ type: 'JW323', rejectedLines: 1 });
    expect(await runImport([tmpFile('geen.xml', 'dit is geen xml')], { db, keys, ...quiet, out: () => undefined })).toBe(2);
    const answers = readdirSync(dir);
    expect(answers).toHaveLength(2);
    for (const f of answers) expect((await validateXsd(path.join(dir, f))).findings).toEqual([]);
    expect(readFileSync(r.answerFile, 'utf8')).toContain('<jw325:RetourCode>9338</jw325:RetourCode>');
    // the CLI is audited like the web: who (the OS user), which messages, and the youths they carry
    const [audit] = await db.query(`SELECT role, route, subject, subject_ids, detail FROM audit_log WHERE action = 'ijw_import' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ role: 'opdrachtregel', route: 'npx regiekamer ijw import', subject: 'youth' });
    expect(audit.subject_ids.length).toBeGreaterThan(0);
    expect(audit.detail.messageIds).toContain(r.messageId);
    expect(audit.detail.osUser).toBeTruthy();
  });
});

describe('ijw export and a JW301 read back', () => {
  it('writes one valid JW301 per provider and youth for the allocations not yet sent, and not twice', async () => {
    // a youth whose BRP address is not known: its allocation cannot travel (a JW301 must carry the address)
    const [{ id: y3 }] = await db.query(
      `INSERT INTO youth (bsn_encrypted, bsn_hash, pseudonym, birth_date, gender, municipality_code)
      VALUES ($1, $2, 'J-3', '2013-02-01', '2', $3) RETURNING id`,
      [encryptBsn(keys, '111222333'), bsnLookupHash(keys, '111222333'), MUNICIPALITY],
    );
    await db.query(
      `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency, created_at)
      SELECT '10075', municipality_code, provider_id, $1, product_id, start_date, end_date, volume, unit, frequency, created_at FROM allocation WHERE assignment_number = '10072'`,
      [y3],
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'rk-jw301-'));
    let out = '';
    expect(
      await runExport({
        db,
        keys,
        ...quiet,
        type: 'JW301',
        municipality: MUNICIPALITY,
        outDir: dir,
        out: (s) => {
          out += s;
        },
      }),
    ).toBe(0);
    const files = readdirSync(dir);
    expect(files).toHaveLength(3); // provider 1: two youths; provider 2: one youth
    for (const f of files) expect((await validateXsd(path.join(dir, f))).findings, f).toEqual([]);
    expect(out).toContain('4 toewijzingen');
    expect(out).toContain('1 toewijzingen niet verstuurd: het BRP-adres van de jeugdige is niet bekend');
    for (const f of files)
      expect(readFileSync(path.join(dir, f), 'utf8')).toMatch(
        /<jw301:Adres>\s*<ijw:Huis>\s*<ijw:Huisnummer>1[12]<\/ijw:Huisnummer>\s*<\/ijw:Huis>\s*<ijw:Postcode>7511AB</,
      );
    // and the official stylesheet finds nothing wrong with what Regiekamer sends (where a JDK is installed; CI has one)
    if (jdkAvailable() || process.env.CI) {
      const verdicts = await officialVerdicts(files.map((f) => path.join(dir, f)));
      for (const [f, v] of verdicts)
        expect({ f, xsd: v.xsd, findings: v.findings.map((x) => x.code), error: v.error }).toEqual({ f, xsd: true, findings: [], error: undefined });
    }
    const [audit] = await db.query(`SELECT role, subject, subject_ids, detail FROM audit_log WHERE action = 'ijw_export' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ role: 'opdrachtregel', subject: 'youth' });
    expect(audit.subject_ids.length).toBe(2); // the fixture's two youths (one of them at both providers)
    expect(audit.detail.messages).toBe(3);
    const again = mkdtempSync(path.join(tmpdir(), 'rk-jw301-'));
    expect(await runExport({ db, keys, ...quiet, type: 'JW301', municipality: MUNICIPALITY, outDir: again, out: () => undefined })).toBe(0);
    expect(readdirSync(again)).toEqual([]);

    // read back: a changed end date changes the allocation; a new number creates one; the same file again changes nothing
    const mine = files
      .map((f) => readFileSync(path.join(dir, f), 'utf8'))
      .find((x) => x.includes(`<jw301:Ontvanger>${PROVIDER}<`) && x.includes('<jw301:ToewijzingNummer>10074<'))!;
    const changed = mine
      .replace('<jw301:Einddatum>2026-12-31<', '<jw301:Einddatum>2026-10-31<')
      .replace('<jw301:ToewijzingNummer>10074<', '<jw301:ToewijzingNummer>10099<')
      .replace(/<ijw:Identificatie>[^<]+</, '<ijw:Identificatie>TERUG1<');
    const before = await counts(db);
    const r = await importMessage(db, Buffer.from(changed), { keys, today: TODAY });
    expect(r).toMatchObject({ type: 'JW301', status: 'verwerkt', lines: 1 });
    const [a] = await db.query(`SELECT end_date, status, provider_id FROM allocation WHERE assignment_number = '10099'`);
    expect(a).toMatchObject({ end_date: '2026-10-31', status: 'actief' });
    expect((await counts(db)).allocations).toBe(before.allocations + 1);
    const dup = await importMessage(db, Buffer.from(changed), { keys, today: TODAY });
    expect(dup).toMatchObject({ messageId: r.messageId, duplicate: true });
    const later = changed.replace('<jw301:Einddatum>2026-10-31<', '<jw301:Einddatum>2026-11-30<').replace('TERUG1', 'TERUG2');
    // from the command line, which then refreshes the trajectories monitoring reads: the view equals its own query
    const laterFile = path.join(dir, 'later.xml');
    writeFileSync(laterFile, later);
    expect(await runImport([laterFile], { db, keys, ...quiet, out: () => undefined })).toBe(0);
    expect((await db.query(`SELECT end_date, status FROM allocation WHERE assignment_number = '10099'`))[0]).toEqual({
      end_date: '2026-11-30',
      status: 'gewijzigd',
    });
    const { stored, fresh } = await viewAndDefinition(db, 'allocation_trajectory', 'region_id, youth_id, segment_id');
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).toEqual(fresh);
  });

  it('a JW301 that comes in with the BRP address gives the youth its address, and its allocations can be sent again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rk-jw301-'));
    await db.query(`DELETE FROM ijw_allocation_message WHERE allocation_id = (SELECT id FROM allocation WHERE assignment_number = '10073')`);
    await runExport({ db, keys, ...quiet, type: 'JW301', municipality: MUNICIPALITY, outDir: dir, out: () => undefined });
    const sent = readFileSync(path.join(dir, readdirSync(dir)[0]), 'utf8');
    // the municipality's own system sends youth J-3 (no address known so far) with a new address
    const incoming = sent
      .replace(/<jw301:Bsn>\d+</, '<jw301:Bsn>111222333<')
      .replace(/<jw301:ToewijzingNummer>1007(\d)</g, '<jw301:ToewijzingNummer>1017$1<') // new allocations (TR332: the numbers are J-1's)
      .replace(/<ijw:Postcode>[^<]+</, '<ijw:Postcode>7521BC<')
      .replace(/<ijw:Identificatie>[^<]+</, '<ijw:Identificatie>ADRES1<');
    const r = await importMessage(db, Buffer.from(incoming), { keys, today: TODAY });
    expect(r.findings).toEqual([]);
    expect(r).toMatchObject({ type: 'JW301', status: 'verwerkt' });
    const [y] = await db.query(`SELECT address_encrypted FROM youth WHERE pseudonym = 'J-3'`);
    expect(decryptAddress(keys, y.address_encrypted).Postcode).toBe('7521BC');
    let out = '';
    await runExport({
      db,
      keys,
      ...quiet,
      type: 'JW301',
      municipality: MUNICIPALITY,
      outDir: mkdtempSync(path.join(tmpdir(), 'rk-jw301-')),
      out: (x) => {
        out += x;
      },
    });
    expect(out).not.toContain('niet verstuurd');
  });

  it('a JW301 for an unknown provider is stored as rejected and changes no allocation', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rk-jw301-'));
    await db.query(`DELETE FROM ijw_allocation_message WHERE allocation_id = (SELECT id FROM allocation WHERE assignment_number = '10072')`);
    await runExport({ db, keys, ...quiet, type: 'JW301', municipality: MUNICIPALITY, outDir: dir, out: () => undefined });
    // a new allocation number: an existing one of another provider is TR332
    const xml = readFileSync(path.join(dir, readdirSync(dir)[0]), 'utf8')
      .replace(`<jw301:Ontvanger>${PROVIDER}<`, '<jw301:Ontvanger>12345678<')
      .replace(/<ijw:Identificatie>[^<]+</, '<ijw:Identificatie>ONBEKEND<')
      .replace(/<jw301:ToewijzingNummer>1007(\d)</g, '<jw301:ToewijzingNummer>1027$1<');
    const before = await counts(db);
    const r = await importMessage(db, Buffer.from(xml), { keys, today: TODAY });
    expect(r.status).toBe('afgewezen');
    expect(r.findings.map((f) => f.code)).toContain('TR338');
    const after = await counts(db);
    expect({ ...after, messages: before.messages }).toEqual(before);
  });
});
