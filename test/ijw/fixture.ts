// A small region in a fresh database for the import tests: one municipality (0384), two products with tariffs,
// the provider of the helpers' declarations and another one, two youths and their allocations.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/index.ts';
import { bsnKeys, bsnLookupHash, encryptBsn, encryptPersonal } from '../../src/core/bsn.ts';
import { loadReferenceData } from '../../src/catalog/index.ts';
import { writeMessage } from '../../src/ijw/writer.ts';
import type { JW323Bericht } from '../../src/ijw/schema.ts';
import { testDb } from '../helpers/db.ts';
import { BSN, BSN2, MUNICIPALITY, PROVIDER } from './helpers.ts';

export const keys = bsnKeys('cd'.repeat(32));

export async function importFixture(): Promise<{ db: Db; providerId: number; otherProviderId: number }> {
  const db = await testDb();
  await loadReferenceData(db);
  await db.query(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('test', 'Testregio', 'Amsterdam-Amstelland')`);
  await db.query(`UPDATE municipality SET region_id = 'test' WHERE code = $1`, [MUNICIPALITY]);
  const [{ id: seg }] = await db.query(`INSERT INTO segment (region_id, code, name) VALUES ('test', 'AMB', 'Ambulant') RETURNING id`);
  const product = async (code: string, unit: string, cents: number) => {
    const [{ id }] = await db.query(
      `INSERT INTO product (region_id, segment_id, category_code, code, name, unit, execution_variant, valid_from) VALUES ('test', $1, '45', $2, $3, $4, 'inspanningsgericht', '2020-01-01') RETURNING id`,
      [seg, code, `Product ${code}`, unit],
    );
    await db.query(`INSERT INTO tariff (product_id, valid_from, amount_cents) VALUES ($1, '2025-01-01', $2)`, [id, cents]);
    return id as number;
  };
  const p45a03 = await product('45A03', '04', 1250);
  const p45a04 = await product('45A04', '04', 1500);
  const [{ id: providerId }] = await db.query(`INSERT INTO provider (agb_code, name) VALUES ($1, 'Aanbieder Een') RETURNING id`, [PROVIDER]);
  const [{ id: otherProviderId }] = await db.query(`INSERT INTO provider (agb_code, name) VALUES ('99999999', 'Aanbieder Twee') RETURNING id`);
  // with the BRP address a JW301 carries (CD034, TR006)
  const address = { Huis: { Huisnummer: 12 }, Postcode: '7511AB', Straatnaam: 'Dorpsstraat', Plaatsnaam: 'Enschede', LandCode: 'NL' };
  const youth = async (bsn: string, n: number) =>
    (
      await db.query(
        `INSERT INTO youth (bsn_encrypted, bsn_hash, pseudonym, birth_date, gender, municipality_code, address_encrypted) VALUES ($1, $2, $3, '2012-05-01', '1', $4, $5) RETURNING id`,
        [
          encryptBsn(keys, bsn),
          bsnLookupHash(keys, bsn),
          `J-${n}`,
          MUNICIPALITY,
          encryptPersonal(keys, JSON.stringify({ ...address, Huis: { Huisnummer: 10 + n } })),
        ],
      )
    )[0].id as number;
  const y1 = await youth(BSN, 1);
  const y2 = await youth(BSN2, 2);
  const alloc = (nr: string, providerId: number, youthId: number, productId: number) =>
    db.query(
      `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency)
     VALUES ($1, $2, $3, $4, $5, '2026-01-01', '2026-12-31', 100000, '04', '6')`,
      [nr, MUNICIPALITY, providerId, youthId, productId],
    );
  await alloc('10072', providerId, y1, p45a03);
  await alloc('10073', providerId, y1, p45a04);
  await alloc('10074', providerId, y2, p45a03);
  await alloc('20001', otherProviderId, y2, p45a03);
  return { db, providerId, otherProviderId };
}

const dir = mkdtempSync(path.join(tmpdir(), 'rk-ijw-import-'));
let n = 0;
let month = 0;
/**
 * The declaration written to a file, as a provider sends them: its own identification and DeclaratieNummer, and
 * each declaration for the month after the previous one (TR318), from April 2026 on. `keep` leaves the number and
 * period as they are in `m`.
 */
export function declarationFile(m: JW323Bericht, id = `T${++n}`, keep = false): string {
  m.Header.BerichtIdentificatie.Identificatie = id;
  if (!keep) {
    m.Declaratie.DeclaratieNummer = `DN${id}`;
    const d = new Date(Date.UTC(2026, 3 + month++, 1));
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
    m.Declaratie.DeclaratiePeriode = { Begindatum: d.toISOString().slice(0, 10), Einddatum: last.toISOString().slice(0, 10) };
  }
  // dated after the period, as a provider sends it (the official stylesheet: TR134, TR137)
  const sent = new Date(Date.parse(m.Declaratie.DeclaratiePeriode.Einddatum) + 5 * 86_400_000).toISOString().slice(0, 10);
  if (m.Header.BerichtIdentificatie.Dagtekening < sent) m.Header.BerichtIdentificatie.Dagtekening = m.Declaratie.DeclaratieDagtekening = sent;
  const file = path.join(dir, `${id}.xml`);
  writeFileSync(file, writeMessage('JW323', m));
  return file;
}
export const tmpFile = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

/** Row counts of every table an import writes. */
export async function counts(db: Db) {
  const [r] = await db.query(`SELECT (SELECT count(*) FROM ijw_message)::int AS messages, (SELECT count(*) FROM ijw_declaration_line)::int AS ijw_lines,
    (SELECT count(*) FROM declaration_line)::int AS lines, (SELECT count(*) FROM allocation)::int AS allocations, (SELECT count(*) FROM youth)::int AS youths,
    (SELECT count(*) FROM ijw_request)::int AS requests, (SELECT count(*) FROM ijw_allocation_message)::int AS links`);
  return r;
}
