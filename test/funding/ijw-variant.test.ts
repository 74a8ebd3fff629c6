// The iJW layer follows the contract's execution variant (issue 15 scope 1): a JW323 line on a product whose contract
// in force on the line's period is taakgericht is rejected with 9338 (no declaration per client), on an outputgericht
// contract only the output units of WJ756 (82 stuks, 83 euro's) are booked (else 9341); the rejected lines come back
// in the JW325 and nothing is booked for them. The rule itself: src/funding/rules.ts contractInForce/judgeLineVariant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import type { Db } from '../../src/db/index.ts';
import { importMessage } from '../../src/ijw/import.ts';
import { runValidate } from '../../src/ijw/cli.ts';
import { readFullMessage } from '../../src/ijw/reader.ts';
import type { JW325Bericht } from '../../src/ijw/schema.ts';
import { contractInForce, judgeLineVariant, saveContractFunding, type VariantContract } from '../../src/funding/index.ts';
import { BSN, MUNICIPALITY, TODAY, declaration, line, retotal } from '../ijw/helpers.ts';
import { declarationFile, importFixture, keys } from '../ijw/fixture.ts';

const opts = { keys, today: TODAY };

describe('the variant in force (pure rule)', () => {
  const c = (
    id: number,
    segmentId: number,
    variant: VariantContract['variant'],
    from: string,
    to: string | null,
    productCodes: string[] | null = null,
  ): VariantContract => ({
    contractId: id,
    providerId: 1,
    segmentId,
    topSegmentId: 10,
    segmentCode: `S${segmentId}`,
    variant,
    validFrom: from,
    validTo: to,
    productCodes,
  });
  // segment 10 with sub-segments 11 (names its product), 12 (a coordination point: no products of its own)
  const contracts = [
    c(1, 10, 'inspanningsgericht', '2026-01-01', '2026-06-01'),
    c(2, 10, 'taakgericht', '2026-06-01', null),
    c(3, 11, 'outputgericht', '2026-01-01', null, ['45A04']),
    c(4, 12, 'taakgericht', '2026-01-01', null),
  ];

  it("picks the contract by period (end exclusive), by the products a sub-segment names, and by the product's own segment", () => {
    expect(contractInForce(contracts, 1, { code: '45A03', segmentId: 10, topSegmentId: 10 }, '2026-05-31')?.contractId).toBe(1);
    expect(contractInForce(contracts, 1, { code: '45A03', topSegmentId: 10 }, '2026-06-01')?.contractId).toBe(2);
    expect(contractInForce(contracts, 1, { code: '45A04', topSegmentId: 10 }, '2026-06-01')?.contractId).toBe(3);
    expect(contractInForce(contracts, 1, { code: '45A04', topSegmentId: 10 }, '2025-06-01')).toBeNull(); // named, but not in force: not its parent's
    expect(contractInForce(contracts, 1, { code: '45A09', segmentId: 12, topSegmentId: 10 }, '2026-03-01')?.contractId).toBe(4); // a product of the sub-segment
    expect(contractInForce(contracts, 1, { code: '45A08', segmentId: 13, topSegmentId: 10 }, '2026-03-01')?.contractId).toBe(1); // a sub-segment without a contract: its parent's
    expect(contractInForce(contracts, 1, { code: '45A03', topSegmentId: 11 }, '2026-06-01')).toBeNull(); // another segment
    expect(contractInForce(contracts, 2, { code: '45A03', topSegmentId: 10 }, '2026-06-01')).toBeNull(); // another provider
    expect(contractInForce(contracts, 1, { code: '45A03', topSegmentId: 10 }, '2025-12-31')).toBeNull(); // before any contract
  });

  it('judges: taakgericht 9338, outputgericht outside 82/83 9341, otherwise nothing', () => {
    expect(judgeLineVariant(contracts[1], '04')?.retourcode).toBe('9338');
    expect(judgeLineVariant(contracts[1], '82')?.retourcode).toBe('9338');
    expect(judgeLineVariant(contracts[2], '04')).toMatchObject({ retourcode: '9341', text: expect.stringContaining('outputgericht') });
    expect(judgeLineVariant(contracts[2], '82')).toBeNull();
    expect(judgeLineVariant(contracts[2], '83')).toBeNull();
    expect(judgeLineVariant(contracts[0], '04')).toBeNull();
    expect(judgeLineVariant(null, '04')).toBeNull();
    // availability plus P*Q (Twente's crisis beds): the use is declared per client at the use tariff
    expect(judgeLineVariant({ ...contracts[1], useTariffCents: 52500 }, '14')).toBeNull();
  });
});

describe('import of a JW323 against the contract variants', () => {
  let db: Db;
  beforeAll(async () => {
    let providerId: number;
    ({ db, providerId } = await importFixture());
    const [{ id: amb }] = await db.query(`SELECT id FROM segment WHERE code = 'AMB'`);
    const [{ id: out }] = await db.query(
      `INSERT INTO segment (region_id, code, name, parent_id) VALUES ('test', 'AMB-OUT', 'Ambulant outputgericht', $1) RETURNING id`,
      [amb],
    );
    // P*Q until June, then a lumpsum (taakgericht); 45A04 is a sub-segment on a fixed tariff per profile (outputgericht)
    await db.query(
      `INSERT INTO contract (region_id, provider_id, segment_id, funding_form, execution_variant, valid_from, valid_to) VALUES
      ('test', $1, $2, 'pq', 'inspanningsgericht', '2026-01-01', '2026-06-01'),
      ('test', $1, $2, 'lumpsum', 'taakgericht', '2026-06-01', NULL)`,
      [providerId, amb],
    );
    await db.query(
      `INSERT INTO contract (region_id, provider_id, segment_id, funding_form, execution_variant, valid_from, terms) VALUES
      ('test', $1, $2, 'profiel', 'outputgericht', '2026-01-01', '{"productCodes":["45A04"]}')`,
      [providerId, out],
    );
    // an allocation of 45A04 in output units (82 stuks)
    const [{ youth_id, product_id }] = await db.query(`SELECT youth_id, product_id FROM allocation WHERE assignment_number = '10073'`);
    await db.query(
      `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency)
      VALUES ('10075', $1, $2, $3, $4, '2026-01-01', '2026-12-31', 100, '82', '6')`,
      [MUNICIPALITY, providerId, youth_id, product_id],
    );
    // a sub-segment on a fixed price per trajectory (€ 1.000, 50% at the start, 50% at the end) and one trajectory,
    // started in March and not ended (for `ijw validate --with-history` below)
    const [{ id: traj }] = await db.query(
      `INSERT INTO segment (region_id, code, name, parent_id) VALUES ('test', 'AMB-TRJ', 'Ambulant trajecten', $1) RETURNING id`,
      [amb],
    );
    const [{ id: p45a06 }] = await db.query(
      `INSERT INTO product (region_id, segment_id, category_code, code, name, unit, execution_variant, valid_from) VALUES ('test', $1, '45', '45A06', 'Traject', '82', 'outputgericht', '2020-01-01') RETURNING id`,
      [amb],
    );
    await db.query(`INSERT INTO tariff (product_id, valid_from, amount_cents) VALUES ($1, '2025-01-01', 50000)`, [p45a06]);
    await saveContractFunding(db, 'test', {
      providerId,
      segmentId: traj,
      fundingForm: 'traject',
      validFrom: '2026-01-01',
      validTo: null,
      lumpsumCents: null,
      bandwidthPct: null,
      outsideBand: 'gesprek',
      changeReason: '',
      costKey: 'gebruik',
      terms: {
        productCodes: ['45A06'],
        priceCents: 100000,
        billingMoments: [
          { moment: 'start', pct: 50 },
          { moment: 'einde', pct: 50 },
        ],
      },
    } as any);
    await db.query(
      `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency)
      VALUES ('70001', $1, $2, $3, $4, '2026-03-01', NULL, 10, '82', '6')`,
      [MUNICIPALITY, providerId, youth_id, p45a06],
    );
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });

  async function answerCodes(answerId: number) {
    const [a] = await db.query(`SELECT xml_gzip FROM ijw_message WHERE id = $1`, [answerId]);
    const m = (await readFullMessage({ xml: gunzipSync(a.xml_gzip).toString('utf8') })).message as JW325Bericht;
    return (
      m.DeclaratieAntwoord!.Clienten?.Client.flatMap((c) =>
        c.Prestaties.Prestatie.map((p) => [p.ProductReferentie.ReferentieNummer, p.RetourCodes.RetourCode]),
      ) ?? []
    );
  }
  const booked = async (messageId: number) =>
    (await db.query(`SELECT ijw_line_no FROM declaration_line WHERE ijw_message_id = $1 ORDER BY 1`, [messageId])).map((r) => r.ijw_line_no);

  it('April, P*Q and outputgericht: an hour line on the outputgericht product is rejected (9341), a line in stuks is booked', async () => {
    const m = retotal(
      declaration([
        {
          bsn: BSN,
          lines: [
            line('V1'), // 45A03 on the P*Q contract: booked
            line('V2', { ToewijzingNummer: 10073, ProductCode: '45A04', ProductTarief: 1500, IngediendBedrag: { Bedrag: 6000, DebetCredit: 'D' } }), // hours on outputgericht
            line('V3', {
              ToewijzingNummer: 10075,
              ProductCode: '45A04',
              Eenheid: '82',
              GeleverdVolume: 1,
              ProductTarief: 1500,
              IngediendBedrag: { Bedrag: 1500, DebetCredit: 'D' },
            }),
          ],
        },
      ]),
    );
    const r = await importMessage(db, declarationFile(m), opts);
    expect(r).toMatchObject({ status: 'verwerkt', lines: 3, acceptedLines: 2, rejectedLines: 1, acceptedAmountCents: 6500 });
    const [rej] = await db.query(`SELECT line_no, findings FROM ijw_declaration_line WHERE message_id = $1 AND status = 'afgewezen'`, [r.messageId]);
    expect(rej.line_no).toBe(2);
    expect(rej.findings).toEqual([
      expect.objectContaining({ code: 'BK002', retourcode: '9341', location: '/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[2]' }),
    ]);
    expect(await booked(r.messageId)).toEqual([1, 3]);
    expect(await answerCodes(r.answerMessageId!)).toEqual([['V2', ['9341']]]);
  });

  it('May is still P*Q: booked as before', async () => {
    const may = { ProductPeriode: { Begindatum: '2026-05-01', Einddatum: '2026-05-31' } };
    const r = await importMessage(db, declarationFile(declaration([{ bsn: BSN, lines: [line('M1', may)] }])), opts);
    expect(r).toMatchObject({ acceptedLines: 1, rejectedLines: 0 });
  });

  it('June, the segment is taakgericht: the line is rejected with 9338, not booked, and named in the JW325; the outputgericht line is still booked', async () => {
    const june = { ProductPeriode: { Begindatum: '2026-06-01', Einddatum: '2026-06-30' } };
    const before = (await db.query(`SELECT count(*)::int AS n FROM declaration_line`))[0].n;
    const m = retotal(
      declaration([
        {
          bsn: BSN,
          lines: [
            line('J1', june),
            line('J2', {
              ...june,
              ToewijzingNummer: 10075,
              ProductCode: '45A04',
              Eenheid: '82',
              GeleverdVolume: 2,
              ProductTarief: 1500,
              IngediendBedrag: { Bedrag: 3000, DebetCredit: 'D' },
            }),
          ],
        },
      ]),
    );
    const r = await importMessage(db, declarationFile(m), { ...opts, largeFileBytes: 0 }); // the large-file path judges the same
    expect(r).toMatchObject({ status: 'verwerkt', lines: 2, acceptedLines: 1, rejectedLines: 1, acceptedAmountCents: 3000 });
    const [rej] = await db.query(`SELECT findings FROM ijw_declaration_line WHERE message_id = $1 AND status = 'afgewezen'`, [r.messageId]);
    expect(rej.findings.map((f: any) => [f.code, f.retourcode])).toEqual([['BK001', '9338']]);
    expect(rej.findings[0].text).toMatch(/taakgericht/);
    expect(await booked(r.messageId)).toEqual([2]);
    expect((await db.query(`SELECT count(*)::int AS n FROM declaration_line`))[0].n).toBe(before + 1);
    expect(await answerCodes(r.answerMessageId!)).toEqual([['J1', ['9338']]]);
  });

  it('`ijw validate --with-history` judges a JW323 against the contracts as the import does (taakgericht, output units, billing moments), storing nothing', async () => {
    const july = { ProductPeriode: { Begindatum: '2026-07-01', Einddatum: '2026-07-31' } };
    const file = declarationFile(
      retotal(
        declaration([
          {
            bsn: BSN,
            lines: [
              line('W1', july), // 45A03: the segment is taakgericht since June → BK001 9338
              line('W2', { ...july, ToewijzingNummer: 10073, ProductCode: '45A04', ProductTarief: 1500, IngediendBedrag: { Bedrag: 6000, DebetCredit: 'D' } }), // hours on outputgericht → BK002 9341
              line('W3', {
                ...july,
                ToewijzingNummer: 70001,
                ProductCode: '45A06',
                Eenheid: '82',
                GeleverdVolume: 2,
                ProductTarief: 50000,
                IngediendBedrag: { Bedrag: 100000, DebetCredit: 'D' },
              }), // start and end, not ended → BK004 9326
              line('W4', {
                ...july,
                ToewijzingNummer: 10075,
                ProductCode: '45A04',
                Eenheid: '82',
                GeleverdVolume: 1,
                ProductTarief: 1500,
                IngediendBedrag: { Bedrag: 1500, DebetCredit: 'D' },
              }), // fine
            ],
          },
        ]),
      ),
    );
    const messages = async () => (await db.query(`SELECT count(*)::int AS n FROM ijw_message`))[0].n;
    const before = await messages();
    const validate = async (withHistory: boolean) => {
      let out = '';
      const code = await runValidate([file], {
        json: true,
        withHistory,
        db,
        keys,
        out: (x) => {
          out += x;
        },
        progress: null,
        today: TODAY,
      });
      return { code, findings: JSON.parse(out)[0].findings as { code: string; retourcode: string; location: string; text: string }[] };
    };
    const v = await validate(true);
    expect(v.code).toBe(1);
    const at = (n: number) => `/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[${n}]`;
    expect(v.findings.map((f) => [f.code, f.retourcode, f.location])).toEqual([
      ['BK001', '9338', at(1)],
      ['BK002', '9341', at(2)],
      ['BK004', '9326', at(3)],
    ]);
    expect(v.findings[2].text).toBe(
      'traject: het eindmoment (50% bij het einde) is in de productperiode 2026-07-01 t/m 2026-07-31 nog niet bereikt: het traject is nog niet beëindigd',
    );
    expect(await messages()).toBe(before); // validate stores nothing
    // without the database the contracts are not known: the file breaks no rule of the standard
    expect(await validate(false)).toEqual({ code: 0, findings: [] });
    // the import of the same file rejects the same lines with the same codes
    const r = await importMessage(db, file, opts);
    const rows = await db.query(`SELECT line_no, findings FROM ijw_declaration_line WHERE message_id = $1 AND status = 'afgewezen' ORDER BY line_no`, [
      r.messageId,
    ]);
    expect(rows.map((x) => [x.findings[0].code, x.findings[0].retourcode, at(x.line_no)])).toEqual(v.findings.map((f) => [f.code, f.retourcode, f.location]));
  });
});
