// The cross-message rules against the database (allocation, declaration_line, product, tariff of 001_foundation):
// the same verdicts as with the in-memory history, read only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/index.ts';
import { bsnKeys, bsnLookupHash, encryptBsn } from '../../src/core/bsn.ts';
import { loadReferenceData } from '../../src/catalog/index.ts';
import { DbHistory } from '../../src/ijw/history-db.ts';
import { validateFile } from '../../src/ijw/validate.ts';
import { writeMessage } from '../../src/ijw/writer.ts';
import { testDb } from '../helpers/db.ts';
import { BSN, BSN2, MUNICIPALITY, PROVIDER, TODAY, declaration, exampleModel, findingsOf, line, retotal } from './helpers.ts';

const keys = bsnKeys('cd'.repeat(32));
let db: Db;
let history: DbHistory;

beforeAll(async () => {
  db = await testDb();
  await loadReferenceData(db);
  await db.query(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('test', 'Testregio', 'Amsterdam-Amstelland')`);
  await db.query(`UPDATE municipality SET region_id = 'test' WHERE code = $1`, [MUNICIPALITY]);
  const [{ id: seg }] = await db.query(`INSERT INTO segment (region_id, code, name) VALUES ('test', 'AMB', 'Ambulant') RETURNING id`);
  const product = async (code: string, unit: string, cents: number[]) => {
    const [{ id }] = await db.query(
      `INSERT INTO product (region_id, segment_id, category_code, code, name, unit, execution_variant, valid_from) VALUES ('test', $1, '45', $2, $2, $3, 'inspanningsgericht', '2020-01-01') RETURNING id`,
      [seg, code, unit],
    );
    await db.query(
      `INSERT INTO tariff (product_id, valid_from, valid_to, amount_cents) VALUES ($1, '2025-01-01', '2026-01-01', $2), ($1, '2026-01-01', NULL, $3)`,
      [id, cents[0], cents[1]],
    );
    return id as number;
  };
  const p45a03 = await product('45A03', '04', [1200, 1250]);
  const p45a04 = await product('45A04', '04', [1400, 1500]);
  const [{ id: prov }] = await db.query(`INSERT INTO provider (agb_code, name) VALUES ($1, 'Aanbieder') RETURNING id`, [PROVIDER]);
  const [{ id: other }] = await db.query(`INSERT INTO provider (agb_code, name) VALUES ('99999999', 'Ander') RETURNING id`);
  const youth = async (bsn: string, n: number) =>
    (
      await db.query(
        `INSERT INTO youth (bsn_encrypted, bsn_hash, pseudonym, birth_date, gender, municipality_code) VALUES ($1, $2, $3, '2012-05-01', '1', $4) RETURNING id`,
        [encryptBsn(keys, bsn), bsnLookupHash(keys, bsn), `J-${n}`, MUNICIPALITY],
      )
    )[0].id as number;
  const y1 = await youth(BSN, 1);
  await youth(BSN2, 2);
  const alloc = async (nr: string, providerId: number, productId: number, volume: number | null, freq: string | null, end = '2026-12-31') =>
    (
      await db.query(
        `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency)
     VALUES ($1, $2, $3, $4, $5, '2026-01-01', $6, $7, '04', $8) RETURNING id`,
        [nr, MUNICIPALITY, providerId, y1, productId, end, volume, freq],
      )
    )[0].id as number;
  await alloc('10072', prov, p45a03, 10, '4');
  const a73 = await alloc('000010073', prov, p45a04, 40, '6'); // leading zeros: the same number as 10073
  await alloc('20001', other, p45a03, 10, '4');
  // earlier accepted lines on 10073: 24 h debit, 4 h credit, 60 minutes debit = 21 h net; a rejected line does not count
  const dl = (vol: number, unit: string, dc: string, status = 'geaccepteerd') =>
    db.query(
      `INSERT INTO declaration_line (allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents, debit_credit, status, source)
     VALUES ($1, $2, $3, $4, $5, '2026-01-01', '2026-01-31', $6, $7, 1500, $8, $9, $10, 'jw323')`,
      [a73, MUNICIPALITY, prov, y1, p45a04, vol, unit, vol * 1500, dc, status],
    );
  await dl(24, '04', 'D');
  await dl(4, '04', 'C');
  await dl(60, '01', 'D');
  await dl(100, '04', 'D', 'afgewezen');
}, 180_000);
afterAll(async () => {
  await db?.close();
});

// per batch (tools judging several files) and read once per message (the import of a large file): the same verdicts
describe.each([
  { mode: 'per batch', options: {}, check: {} },
  { mode: 'read once per message', options: { preload: true }, check: {} },
  // as the import asks: one client per batch, the next client's look-up started before this one is judged
  { mode: 'read once, the next batch asked while one is judged', options: { preload: true }, check: { prefetchHistory: true, historyBatch: 1 } },
])('DbHistory, $mode', ({ options, check }) => {
  beforeAll(() => {
    history = new DbHistory(db, keys, options);
  });

  it('a clean declaration breaks nothing', async () => {
    expect((await findingsOf('JW323', declaration(), { history, ...check })).map((f) => f.code)).toEqual([]);
  });

  it("allocation: unknown number, another provider's, another youth's", async () => {
    const m = declaration([
      { bsn: BSN, lines: [line('A1', { ToewijzingNummer: 99999 }), line('A2', { ToewijzingNummer: 20001 })] },
      { bsn: BSN2, lines: [line('A3')] },
    ]);
    expect((await findingsOf('JW323', m, { history, ...check })).map((f) => [f.code, f.location])).toEqual([
      ['TR338', '/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/ToewijzingNummer'],
      ['TR338', '/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[2]/ToewijzingNummer'],
      ['TR304', '/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[1]/ToewijzingNummer'],
    ]);
  });

  it('product, unit and period against the allocation', async () => {
    const m = retotal(
      declaration([
        {
          bsn: BSN,
          lines: [
            line('B1', { ProductCode: '45A04', ProductTarief: 1500, IngediendBedrag: { Bedrag: 6000, DebetCredit: 'D' } }),
            line('B2', { Eenheid: '14', ProductPeriode: { Begindatum: '2026-03-01', Einddatum: '2026-03-31' } }),
            line('B3', {
              ProductPeriode: { Begindatum: '2025-12-01', Einddatum: '2025-12-31' },
              ProductTarief: 1200,
              IngediendBedrag: { Bedrag: 4800, DebetCredit: 'D' },
            }),
          ],
        },
      ]),
    );
    const codes = (await findingsOf('JW323', m, { history, ...check })).map((f) => `${f.code}:${f.retourcode}`);
    expect(codes).toEqual(expect.arrayContaining(['TR340:9340', 'TR341:9341', 'OP368:9307']));
    expect(codes).not.toContain('TR418:0611'); // 2025's tariff was 1200: right for December 2025
  });

  it('the contract tariff valid on the period (TR418), per minute on an hourly tariff', async () => {
    const wrong = retotal(declaration([{ bsn: BSN, lines: [line('C1', { ProductTarief: 1200, IngediendBedrag: { Bedrag: 4800, DebetCredit: 'D' } })] }]));
    expect((await findingsOf('JW323', wrong, { history, ...check })).map((f) => f.code)).toEqual(['TR418']);
    const minutes = retotal(
      declaration([
        { bsn: BSN, lines: [line('C2', { Eenheid: '01', GeleverdVolume: 90, ProductTarief: 21, IngediendBedrag: { Bedrag: 1875, DebetCredit: 'D' } })] },
      ]),
    );
    expect((await findingsOf('JW323', minutes, { history, ...check })).map((f) => f.code)).toEqual([]);
  });

  it('volume cumulatively within the allocation: earlier accepted lines net of credits, minutes as hours (TR322)', async () => {
    // 40 h allocated in total; 21 h accepted before → 19 h left
    const fits = retotal(
      declaration([
        {
          bsn: BSN,
          lines: [
            line('E1', {
              ToewijzingNummer: 10073,
              ProductCode: '45A04',
              GeleverdVolume: 19,
              ProductTarief: 1500,
              IngediendBedrag: { Bedrag: 28500, DebetCredit: 'D' },
            }),
          ],
        },
      ]),
    );
    expect((await findingsOf('JW323', fits, { history, ...check })).map((f) => f.code)).toEqual([]);
    const over = retotal(
      declaration([
        {
          bsn: BSN,
          lines: [
            line('E2', {
              ToewijzingNummer: 10073,
              ProductCode: '45A04',
              GeleverdVolume: 20,
              ProductTarief: 1500,
              IngediendBedrag: { Bedrag: 30000, DebetCredit: 'D' },
            }),
          ],
        },
      ]),
    );
    expect((await findingsOf('JW323', over, { history, ...check })).map((f) => f.code)).toEqual(['TR322']);
  });

  it("per period within the allocation's volume (TR321: 10 hours per month)", async () => {
    const m = retotal(declaration([{ bsn: BSN, lines: [line('F1', { GeleverdVolume: 11, IngediendBedrag: { Bedrag: 13750, DebetCredit: 'D' } })] }]));
    expect((await findingsOf('JW323', m, { history, ...check })).map((f) => f.code)).toEqual(['TR321']);
  });

  it('through validateFile, as `ijw validate --with-history` does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ijw-db-'));
    const f = path.join(dir, 'jw323.xml');
    const m = declaration();
    m.Declaratie.Clienten.Client[0].Prestaties.Prestatie[0].ToewijzingNummer = 99999;
    writeFileSync(f, writeMessage('JW323', m));
    const withHistory = await validateFile(f, { history, today: TODAY });
    expect(withHistory.findings.map((x) => x.code)).toEqual(['TR338']);
    const without = await validateFile(f, { today: TODAY });
    expect(without.valid).toBe(true);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM declaration_line`);
    expect(n).toBe(4); // validation books nothing
  });

  it('`ijw validate --with-history` judges the other message types against the store too (a stop without its start: TR382; on an unknown allocation: TR019)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ijw-db-'));
    const f = path.join(dir, 'jw307.xml');
    const m = await exampleModel('JW307');
    m.Header.Ontvanger = MUNICIPALITY;
    m.Client.StopProducten.StopProduct = [
      {
        ToewijzingNummer: 10072,
        Product: { Categorie: '45', Code: '45A03' },
        ToewijzingIngangsdatum: '2026-01-01',
        Begindatum: '2026-02-01',
        RedenBeeindiging: '31',
        Einddatum: '2026-02-20',
        StatusAanlevering: '1',
      },
      {
        ToewijzingNummer: 99999,
        Product: { Categorie: '45', Code: '45A03' },
        ToewijzingIngangsdatum: '2026-01-01',
        Begindatum: '2026-02-01',
        RedenBeeindiging: '31',
        Einddatum: '2026-02-20',
        StatusAanlevering: '1',
      },
    ];
    writeFileSync(f, writeMessage('JW307', m));
    const withHistory = await validateFile(f, { history, today: TODAY });
    expect(withHistory.findings.map((x) => `${x.code} ${x.location}`)).toEqual([
      'TR019 /Bericht/Client[1]/StopProducten/StopProduct[2]/ToewijzingNummer',
      'TR382 /Bericht/Client[1]/StopProducten/StopProduct[1]',
      'TR382 /Bericht/Client[1]/StopProducten/StopProduct[2]',
    ]);
    expect((await validateFile(f, { today: TODAY })).valid).toBe(true);
  });
});
