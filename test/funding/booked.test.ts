// Profile and trajectory contracts settle from booked data (issue 15 scope 2): an allocation carries its profile (set
// from the contract's terms when its JW301 is stored), a declaration line its trajectory (the allocation), and the
// year's statement runs the per-profile and per-trajectory rules over the accepted lines. At the door a trajectory is
// never paid twice nor more than its price, whatever order of credits and re-declarations arrives (worked example
// through the import; property test over the judge and the booked lines).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../src/db/index.ts';
import { importMessage } from '../../src/ijw/import.ts';
import { writeMessage } from '../../src/ijw/writer.ts';
import type { JW301Bericht } from '../../src/ijw/schema.ts';
import { computeStatement, lineVariantJudge, saveContractFunding } from '../../src/funding/index.ts';
import { BSN, BSN2, MUNICIPALITY, PROVIDER, TODAY, declaration, exampleModel, line, retotal } from '../ijw/helpers.ts';
import { declarationFile, importFixture, keys } from '../ijw/fixture.ts';

let db: Db;
let providerId: number;
let trajectory: (nr: string, youthId: number, start: string, end: string | null, productId?: number, unit?: string) => Promise<void>;
let youths: number[];
let sub0: (code: string) => Promise<number>;
let product0: (code: string, cents: number) => Promise<number>;
const opts = { keys, today: TODAY };
const region = { regionId: 'test', municipalityCode: null, providerId: null };
const alloc: Record<string, number> = {};

async function jw301(nr: number, code: string, start: string, bsn = BSN) {
  const m = structuredClone(await exampleModel('JW301')) as JW301Bericht;
  Object.assign(m.Header, { Ontvanger: PROVIDER, Afzender: MUNICIPALITY });
  m.Header.BerichtIdentificatie.Identificatie = `PROF${nr}`;
  m.Client.Bsn = bsn;
  const p = m.Client.ToegewezenProducten.ToegewezenProduct[0];
  m.Client.ToegewezenProducten.ToegewezenProduct = [
    {
      ...p,
      ReferentieAanbieder: undefined /* honours no request (TR379) */,
      ToewijzingNummer: nr,
      Product: { Categorie: '45', Code: code },
      Ingangsdatum: start,
      Einddatum: '2026-12-31',
      Omvang: { Volume: 100, Eenheid: '82', Frequentie: '6' },
    },
  ];
  return importMessage(db, Buffer.from(writeMessage('JW301', m)), opts);
}

beforeAll(async () => {
  ({ db, providerId } = await importFixture());
  const [{ id: amb }] = await db.query(`SELECT id FROM segment WHERE code = 'AMB'`);
  const sub = async (code: string) =>
    (await db.query(`INSERT INTO segment (region_id, code, name, parent_id) VALUES ('test', $1, $1, $2) RETURNING id`, [code, amb]))[0].id as number;
  const product = async (code: string, cents: number) => {
    const [{ id }] = await db.query(
      `INSERT INTO product (region_id, segment_id, category_code, code, name, unit, execution_variant, valid_from) VALUES ('test', $1, '45', $2, $2, '82', 'outputgericht', '2020-01-01') RETURNING id`,
      [amb, code],
    );
    await db.query(`INSERT INTO tariff (product_id, valid_from, amount_cents) VALUES ($1, '2025-01-01', $2)`, [id, cents]);
    return id as number;
  };
  await product('45A05', 2800);
  const traject = await product('45A06', 50000);
  // fixed tariff per profile: A (45A04) € 15,00 a month, indexed to € 15,60 from 1 May; B (45A05) € 28,00
  await saveContractFunding(db, 'test', {
    providerId,
    segmentId: await sub('PROF'),
    fundingForm: 'profiel',
    validFrom: '2026-01-01',
    validTo: null,
    lumpsumCents: null,
    bandwidthPct: null,
    outsideBand: 'gesprek',
    changeReason: '',
    costKey: 'gebruik',
    terms: {
      productCodes: ['45A04', '45A05'],
      profiles: [
        { profile: 'A', productCode: '45A04', validFrom: '2026-01-01', validTo: '2026-05-01', tariffCents: 1500 },
        { profile: 'A', productCode: '45A04', validFrom: '2026-05-01', validTo: null, tariffCents: 1560 },
        { profile: 'B', productCode: '45A05', validFrom: '2026-01-01', validTo: null, tariffCents: 2800 },
      ],
    },
  } as any);
  // fixed price per trajectory: € 1.000, 50% at start and 50% at the end
  await saveContractFunding(db, 'test', {
    providerId,
    segmentId: await sub('TRAJ'),
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
  const youth = async (bsn: string) =>
    (await db.query(`SELECT y.id FROM youth y JOIN allocation a ON a.youth_id = y.id AND a.assignment_number = $1`, [bsn === BSN ? '10072' : '10074']))[0].id;
  const y1 = await youth(BSN),
    y2 = await youth(BSN2);
  trajectory = async (nr: string, youthId: number, start: string, end: string | null, productId = traject, unit = '82') => {
    alloc[nr] = (
      await db.query(
        `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 1000000, $8, '6') RETURNING id`,
        [nr, MUNICIPALITY, providerId, youthId, productId, start, end, unit],
      )
    )[0].id;
  };
  youths = [y1, y2];
  sub0 = sub;
  product0 = product;
  await trajectory('70001', y1, '2026-01-01', '2026-05-31'); // T1: started and ended this year (in May: its end share is billed over May)
  await trajectory('70002', y2, '2026-03-01', null); // T2: started
  await trajectory('70003', y2, '2026-03-01', '2027-03-31'); // T3: started, not declared
  await trajectory('70009', y1, '2026-01-01', null); // started, not declared (the property test makes its own)
}, 180_000);
afterAll(async () => {
  await db?.close();
});

const stuk = (ref: string, nr: number, cents: number, over: Record<string, unknown> = {}) =>
  line(ref, {
    ToewijzingNummer: nr,
    ProductCode: nr >= 70000 ? '45A06' : nr === 60001 ? '45A04' : '45A05',
    Eenheid: '82',
    GeleverdVolume: 1,
    ProductTarief: cents,
    IngediendBedrag: { Bedrag: cents, DebetCredit: 'D' },
    ...over,
  } as any);

describe('profiles and trajectories from booked data', () => {
  it('a JW301 on a profile contract gives the allocation its profile', async () => {
    expect((await jw301(60001, '45A04', '2026-04-01')).status).toBe('verwerkt');
    expect((await jw301(60002, '45A05', '2026-04-01')).status).toBe('verwerkt');
    const rows = await db.query(`SELECT assignment_number, profile FROM allocation WHERE assignment_number IN ('60001', '60002', '10073') ORDER BY 1`);
    expect(rows).toEqual([
      { assignment_number: '10073', profile: null },
      { assignment_number: '60001', profile: 'A' },
      { assignment_number: '60002', profile: 'B' },
    ]);
  });

  // (within one message TR416 already refuses a second debit for the same allocation and period; the guard holds across messages)
  const may = { ProductPeriode: { Begindatum: '2026-05-01', Einddatum: '2026-05-31' } };
  const june = { ProductPeriode: { Begindatum: '2026-06-01', Einddatum: '2026-06-30' } };
  it('April and May: the start and end moments of a trajectory and the profile lines are booked', async () => {
    const april = retotal(
      declaration([
        { bsn: BSN, lines: [stuk('TA1', 70001, 50000), stuk('PA1', 60001, 1500), stuk('PB1', 60002, 2800)] },
        { bsn: BSN2, lines: [stuk('TB1', 70002, 50000)] },
      ]),
    );
    expect(await importMessage(db, declarationFile(april), opts)).toMatchObject({ status: 'verwerkt', findings: [], lines: 4, acceptedLines: 4 });
    const m = retotal(declaration([{ bsn: BSN, lines: [stuk('TA2', 70001, 50000, may), stuk('PA2', 60001, 1500, may)] }]));
    expect(await importMessage(db, declarationFile(m), opts)).toMatchObject({ status: 'verwerkt', findings: [], lines: 2, acceptedLines: 2 });
  });

  it('June: a trajectory declared beyond its price is refused (9369); a credit then a re-declaration is booked; a credit beyond what was paid is refused (8017)', async () => {
    const m = retotal(
      declaration([
        {
          bsn: BSN,
          lines: [
            stuk('TA2C', 70001, 50000, {
              ...may,
              ProductReferentie: { ReferentieNummer: 'TA2C', VorigReferentieNummer: 'TA2' },
              IngediendBedrag: { Bedrag: 50000, DebetCredit: 'C' },
            }),
            stuk('TA4', 70001, 50000, may),
          ],
        }, // re-declared after the credit
        {
          bsn: BSN2,
          lines: [
            stuk('TB1C', 70002, 50000, {
              ProductReferentie: { ReferentieNummer: 'TB1C', VorigReferentieNummer: 'TB1' },
              GeleverdVolume: 2,
              IngediendBedrag: { Bedrag: 100000, DebetCredit: 'C' },
            }),
            stuk('TB2', 70002, 50000, { ...june, GeleverdVolume: 2, IngediendBedrag: { Bedrag: 100000, DebetCredit: 'D' } }),
          ],
        }, // T2 was paid € 500 of its € 1.000
      ]),
    );
    const r = await importMessage(db, declarationFile(m), opts);
    expect(r.findings).toEqual([]);
    const rows = await db.query(`SELECT reference_number, status, findings FROM ijw_declaration_line WHERE message_id = $1 ORDER BY line_no`, [r.messageId]);
    expect(rows.map((x) => [x.reference_number, x.status])).toEqual([
      ['TA2C', 'geaccepteerd'],
      ['TA4', 'geaccepteerd'],
      ['TB1C', 'afgewezen'],
      ['TB2', 'afgewezen'],
    ]);
    expect(rows[2].findings.map((f: any) => [f.code, f.retourcode])).toEqual([['BK003', '8017']]);
    expect(rows[3].findings.map((f: any) => [f.code, f.retourcode])).toEqual([['BK003', '9369']]);
    expect(rows[3].findings[0].text).toBe('traject: met € 1000,00 zou het meer dan zijn prijs van € 1000,00 betaald krijgen (al betaald € 500,00)');
    const net = await db.query(`SELECT a.assignment_number AS nr, sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int AS paid
      FROM declaration_line d JOIN allocation a ON a.id = d.allocation_id WHERE a.assignment_number LIKE '7000%' GROUP BY 1 ORDER BY 1`);
    expect(net).toEqual([
      { nr: '70001', paid: 100000 },
      { nr: '70002', paid: 50000 },
    ]);
  });

  it('the statement settles per profile and per trajectory from the booked lines (worked example)', async () => {
    const s = await computeStatement(db, region, providerId, 2026);
    const prof = s.contracts.find((c) => c.fundingForm === 'profiel')!;
    // A: April 1 × € 15,00 + May 1 × € 15,60 = € 30,60; B: April 1 × € 28,00; outcome € 58,60; paid € 58,00 → € 0,60 to pay
    expect(prof.settlement.steps.map((x) => [x.label, x.amountCents])).toEqual([
      ['Profiel A', 3060],
      ['Profiel B', 2800],
      ['Uitkomst', 5860],
      ['Betaald', -5800],
      ['Nog te betalen', 60],
    ]);
    expect(prof).toMatchObject({
      outcomeCents: 5860,
      paidCents: 5800,
      settlementCents: 60,
      municipalityShares: [{ municipalityCode: MUNICIPALITY, shareCents: 5860 }],
    });
    const traj = s.contracts.find((c) => c.fundingForm === 'traject')!;
    // T1 ended: € 1.000 due, paid € 1.000; T2 started: € 500 due, paid € 500; T3 started: € 500 due, paid 0;
    // the property test's trajectory (started, not declared yet): € 500 due → outcome € 2.500, paid € 1.500 → € 1.000 to pay
    expect(traj).toMatchObject({ agreedCents: 400000, outcomeCents: 250000, paidCents: 150000, settlementCents: 100000 });
    expect(traj.settlement.steps.find((x) => x.label === 'Trajecten afgesloten')?.detail).toBe('1');
  });

  it('property: whatever order of debits, credits and re-declarations arrives, in whatever messages, a trajectory is paid between 0 and its price, at its billing moments', async () => {
    await trajectory('70010', youths[0], '2026-01-01', '2026-03-31'); // started and ended: both moments reached by April
    const T = alloc['70010'];
    const [{ product_id, youth_id }] = await db.query(`SELECT product_id, youth_id FROM allocation WHERE id = $1`, [T]);
    const op = fc.record({ dc: fc.constantFrom('D', 'C'), amount: fc.constantFrom(25000, 50000, 75000, 100000, 150000) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), async (messages) => {
        await db.query(`DELETE FROM declaration_line WHERE allocation_id = $1`, [T]);
        let net = 0;
        for (const lines of messages) {
          const judge = (await lineVariantJudge(db, [providerId]))!; // a new message: what was booked before is read again
          for (const l of lines) {
            const verdict = judge({
              providerId,
              productId: product_id,
              allocationId: T,
              day: '2026-04-01',
              unit: '82',
              amountCents: l.amount,
              debitCredit: l.dc as 'D' | 'C',
            });
            const next = net + (l.dc === 'C' ? -l.amount : l.amount);
            // a credit: never below 0; a debit: never beyond the price, and onto a billing moment (€ 500 start, € 1.000 end)
            expect(verdict === null).toBe(l.dc === 'C' ? next >= 0 : next === 50000 || next === 100000);
            if (verdict) continue;
            net = next;
            await db.query(
              `INSERT INTO declaration_line (allocation_id, municipality_code, provider_id, youth_id, product_id, period_start, period_end, volume, unit, tariff_cents, amount_cents, debit_credit, source)
            VALUES ($1, $2, $3, $4, $5, '2026-04-01', '2026-04-30', 1, '82', $6, $6, $7, 'jw323')`,
              [T, MUNICIPALITY, providerId, youth_id, product_id, l.amount, l.dc],
            );
          }
        }
        const [{ paid }] = await db.query(
          `SELECT COALESCE(sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END), 0)::int AS paid FROM declaration_line WHERE allocation_id = $1`,
          [T],
        );
        expect(paid).toBe(net);
        expect(paid).toBeGreaterThanOrEqual(0);
        expect(paid).toBeLessThanOrEqual(100000);
      }),
      { numRuns: 30 },
    );
    await db.query(`DELETE FROM declaration_line WHERE allocation_id = $1`, [T]);
    await db.query(`DELETE FROM allocation WHERE id = $1`, [T]);
  }, 120_000);

  // Billing moments at the door (BK004): the agreed moments of the fixed-price contract, judged per line against the
  // trajectory's start and end (the allocation's dates) and what it was paid before. Run after the statement above.
  it('billing moments: the start share once started, the end share only once ended, a share no moment has is refused', async () => {
    const [y1, y2] = youths;
    await trajectory('70021', y1, '2026-01-15', '2026-12-31'); // started; ends at the end of the year
    await trajectory('70022', y2, '2026-02-01', null); // started; not ended
    await trajectory('70023', y2, '2026-01-10', '2026-07-14', undefined, '83'); // declared in euro's
    const july = { ProductPeriode: { Begindatum: '2026-07-01', Einddatum: '2026-07-31' } };
    const julyTo14 = { ProductPeriode: { Begindatum: '2026-07-01', Einddatum: '2026-07-14' } };
    const euros = (ref: string, nr: number, cents: number, over: Record<string, unknown> = {}) =>
      stuk(ref, nr, cents, { Eenheid: '83', GeleverdVolume: cents, ProductTarief: undefined, ...over });
    const m = retotal(
      declaration([
        { bsn: BSN, lines: [stuk('M1', 70021, 50000, july)] },
        {
          bsn: BSN2,
          lines: [
            stuk('M3', 70022, 50000, { ...july, GeleverdVolume: 2, IngediendBedrag: { Bedrag: 100000, DebetCredit: 'D' } }),
            euros('M4', 70023, 30000, julyTo14),
            euros('M5', 70023, 100000, {
              ProductReferentie: { ReferentieNummer: 'M5' },
              ProductPeriode: { Begindatum: '2026-06-01', Einddatum: '2026-06-30' },
            }),
          ],
        },
      ]),
    );
    const r = await importMessage(db, declarationFile(m), opts);
    const rows = await db.query(`SELECT reference_number AS ref, status, findings FROM ijw_declaration_line WHERE message_id = $1 ORDER BY line_no`, [
      r.messageId,
    ]);
    const by = Object.fromEntries(rows.map((x) => [x.ref, x]));
    // M1: 70021 started 15 January: the start share (€ 500) is booked
    expect(by.M1.status).toBe('geaccepteerd');
    // M3: 70022 € 1.000 in one line: start and end, but it has not ended → 9326
    expect(by.M3.findings.map((f: any) => [f.code, f.retourcode])).toEqual([['BK004', '9326']]);
    expect(by.M3.findings[0].text).toBe(
      'traject: het eindmoment (50% bij het einde) is in de productperiode 2026-07-01 t/m 2026-07-31 nog niet bereikt: het traject is nog niet beëindigd',
    );
    // M4: € 300 is no moment's share → 0611; M5: June, before 70023 ended (14 July), € 1.000 → 9326
    expect(by.M4.findings.map((f: any) => [f.code, f.retourcode])).toEqual([['BK004', '0611']]);
    expect(by.M4.findings[0].text).toBe(
      'traject: € 300,00 is niet het bedrag van een afgesproken declaratiemoment (50% bij de start, 50% bij het einde van € 1000,00); nu te declareren: € 500,00 (50% bij de start)',
    );
    expect(by.M5.findings.map((f: any) => [f.code, f.retourcode])).toEqual([['BK004', '9326']]);
    // next message: 70023's whole price in its last period (it ended 14 July) is booked; 70021's end share before its end is not
    const m2 = retotal(
      declaration([
        { bsn: BSN, lines: [stuk('N1', 70021, 50000, { ProductPeriode: { Begindatum: '2026-08-01', Einddatum: '2026-08-31' } })] },
        { bsn: BSN2, lines: [euros('N2', 70023, 100000, julyTo14)] },
      ]),
    );
    const r2 = await importMessage(db, declarationFile(m2), opts);
    const rows2 = await db.query(`SELECT reference_number AS ref, status, findings FROM ijw_declaration_line WHERE message_id = $1 ORDER BY line_no`, [
      r2.messageId,
    ]);
    expect(rows2.map((x) => [x.ref, x.status, (x.findings ?? []).map((f: any) => f.retourcode)])).toEqual([
      ['N1', 'afgewezen', ['9326']],
      ['N2', 'geaccepteerd', []],
    ]);
    const net = await db.query(`SELECT a.assignment_number AS nr, sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int AS paid
      FROM declaration_line d JOIN allocation a ON a.id = d.allocation_id WHERE a.assignment_number IN ('70021', '70022', '70023') GROUP BY 1 ORDER BY 1`);
    expect(net).toEqual([
      { nr: '70021', paid: 50000 },
      { nr: '70023', paid: 100000 },
    ]);
  });

  it('billing moments, monthly: a trajectory completed in a month is billed over that month, not a later one (9308) nor before (9326)', async () => {
    const [y1] = youths;
    const p = await product0('45A07', 120000);
    // € 1.200 per trajectory, 100% at the end, declared monthly for the trajectories completed that month
    await saveContractFunding(db, 'test', {
      providerId,
      segmentId: await sub0('TRAJM'),
      fundingForm: 'traject',
      validFrom: '2026-01-01',
      validTo: null,
      lumpsumCents: null,
      bandwidthPct: null,
      outsideBand: 'gesprek',
      changeReason: '',
      costKey: 'gebruik',
      terms: { productCodes: ['45A07'], priceCents: 120000, monthly: true, billingMoments: [{ moment: 'einde', pct: 100 }] },
    } as any);
    await trajectory('70031', y1, '2026-02-01', '2026-08-12', p); // completed 12 August
    await trajectory('70032', y1, '2026-02-01', '2026-09-30', p); // completed 30 September
    const line7 = (ref: string, nr: number, from: string, to: string) =>
      stuk(ref, nr, 120000, { ProductCode: '45A07', ProductPeriode: { Begindatum: from, Einddatum: to } });
    const m = retotal(declaration([{ bsn: BSN, lines: [line7('Q1', 70031, '2026-08-01', '2026-08-12'), line7('Q2', 70032, '2026-08-01', '2026-08-31')] }]));
    const r = await importMessage(db, declarationFile(m), opts);
    const rows = await db.query(`SELECT reference_number AS ref, status, findings FROM ijw_declaration_line WHERE message_id = $1 ORDER BY line_no`, [
      r.messageId,
    ]);
    expect(rows.map((x) => [x.ref, x.status, (x.findings ?? []).map((f: any) => [f.code, f.retourcode])])).toEqual([
      ['Q1', 'geaccepteerd', []],
      ['Q2', 'afgewezen', [['BK004', '9326']]],
    ]);
    // September: 70032 completed that month → booked; a 70031 line over September (completed in August) is refused
    // by the standard first (OP368: its period ends after the allocation, 9308), the code BK004 gives a late moment
    const m2 = retotal(declaration([{ bsn: BSN, lines: [line7('Q3', 70032, '2026-09-01', '2026-09-30'), line7('Q4', 70031, '2026-09-01', '2026-09-30')] }]));
    const r2 = await importMessage(db, declarationFile(m2), opts);
    const rows2 = await db.query(`SELECT reference_number AS ref, status, findings FROM ijw_declaration_line WHERE message_id = $1 ORDER BY line_no`, [
      r2.messageId,
    ]);
    expect(rows2.map((x) => [x.ref, x.status])).toEqual([
      ['Q3', 'geaccepteerd'],
      ['Q4', 'afgewezen'],
    ]);
    expect(rows2[1].findings.map((f: any) => f.retourcode)).toContain('9308');
  });

  it("billing moments follow the JW305 start and JW307 stop when present, the allocation's dates otherwise (worked case)", async () => {
    const [y1] = youths;
    const [{ bsn_hash: hash }] = await db.query(`SELECT bsn_hash FROM youth WHERE id = $1`, [y1]);
    let n = 0;
    const startStop = async (kind: 'start' | 'stop', nr: number, begin: string, end: string | null, status = '1') => {
      const [{ id }] = await db.query(
        `INSERT INTO ijw_message (message_type, direction, identification, sender_code, receiver_code, municipality_code, provider_id, provider_agb, content_hash, status, xml_gzip, size_bytes)
        VALUES ($1, 'in', $2, $3, $4, $5, $6, $7, $8, 'verwerkt', '\\x00', 0) RETURNING id`,
        [kind === 'start' ? 'JW305' : 'JW307', `SS${++n}`, PROVIDER, MUNICIPALITY, MUNICIPALITY, providerId, PROVIDER, `SS${n}`],
      );
      await db.query(
        `INSERT INTO ijw_start_stop (message_id, line_no, kind, bsn_hash, assignment_number, product_category, product_code, allocation_start, begin_date, end_date, reason, delivery_status)
        VALUES ($1, 1, $2, $3, $4, '45', '45A06', '2026-01-01', $5, $6, $7, $8)`,
        [id, kind, hash, nr, begin, end, kind === 'stop' ? '01' : null, status],
      );
    };
    // three € 1.000 trajectories (50% at start, 50% at the end), allocated from 1 January without an end date
    await trajectory('70041', y1, '2026-01-01', null); // JW307: stopped 20 March
    await trajectory('70042', y1, '2026-01-01', null); // JW307 stopped 20 March, then withdrawn (StatusAanlevering 3): not ended
    await trajectory('70043', y1, '2026-01-01', null); // JW305: care began 10 April
    await startStop('start', 70041, '2026-01-01', null);
    await startStop('stop', 70041, '2026-01-01', '2026-03-20');
    await startStop('stop', 70042, '2026-01-01', '2026-03-20');
    await startStop('stop', 70042, '2026-01-01', '2026-03-20', '3');
    await startStop('start', 70043, '2026-04-10', null);
    const over = (from: string, to: string) => ({ ProductPeriode: { Begindatum: from, Einddatum: to } });
    const m = retotal(
      declaration([
        {
          bsn: BSN,
          lines: [
            stuk('S1', 70041, 50000, over('2026-01-01', '2026-01-31')), // start share: booked
            stuk('S2', 70041, 50000, over('2026-03-01', '2026-03-31')), // end share in the period of the JW307's Einddatum: booked (the allocation has no end)
            stuk('S3', 70042, 50000, over('2026-01-01', '2026-01-31')),
            stuk('S4', 70042, 50000, over('2026-03-01', '2026-03-31')), // the stop was withdrawn: not ended → 9326
            stuk('S5', 70043, 50000, over('2026-03-01', '2026-03-31')), // before the JW305's Begindatum (10 April): not started → 9307
            stuk('S6', 70043, 50000, over('2026-04-01', '2026-04-30')), // April: started → booked
          ],
        },
      ]),
    );
    // the fixture's declaration periods follow each other: by now this one is November, sent in December
    const r = await importMessage(db, declarationFile(m), { ...opts, today: '2026-12-31' });
    expect(r.findings).toEqual([]);
    const rows = await db.query(`SELECT reference_number AS ref, status, findings FROM ijw_declaration_line WHERE message_id = $1 ORDER BY line_no`, [
      r.messageId,
    ]);
    expect(rows.map((x) => [x.ref, x.status, (x.findings ?? []).map((f: any) => f.retourcode)])).toEqual([
      ['S1', 'geaccepteerd', []],
      ['S2', 'geaccepteerd', []],
      ['S3', 'geaccepteerd', []],
      ['S4', 'afgewezen', ['9326']],
      ['S5', 'afgewezen', ['9307']],
      ['S6', 'geaccepteerd', []],
    ]);
    // the statement settles 70041 as ended on 20 March (both moments: € 1.000) and 70043 as started on 10 April
    const st = await computeStatement(db, region as any, providerId, 2026);
    const traj = st.contracts.find((c) => c.segmentCode === 'TRAJ')!;
    const before = traj.settlement.outcomeCents;
    await db.query(`DELETE FROM ijw_start_stop WHERE assignment_number = 70041 AND kind = 'stop'`);
    // without the JW307, 70041 has not ended by the year's end (its allocation is open): only its start share is its due
    const after = (await computeStatement(db, region as any, providerId, 2026)).contracts.find((c) => c.segmentCode === 'TRAJ')!;
    expect(before - after.settlement.outcomeCents).toBe(50000);
  });
});
