// The cross-message rules that need the message store (TR056, TR314, TR318, TR323, TR333, TR390, the start/stop rules, the
// JW301, request and answer rules), each passing and breaking,
// through the real import against the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import { importMessage } from '../../src/ijw/import.ts';
import { factsVersion } from '../../src/monitoring/cache.ts';
import { gunzipSync } from 'node:zlib';
import { readFullMessage } from '../../src/ijw/reader.ts';
import type { JW325Bericht } from '../../src/ijw/schema.ts';
import { writeMessage } from '../../src/ijw/writer.ts';
import { BSN, BSN2, MUNICIPALITY, PROVIDER, declaration, exampleModel, line, retotal } from './helpers.ts';
import { declarationFile, importFixture, keys, tmpFile } from './fixture.ts';

let db: Db;
// a later today: the 2030 declaration below is dated after its period (TR134/TR137) and so must not be in the future (TR135)
const opts = { keys, today: '2031-01-01' };
const imp = (m: Parameters<typeof declarationFile>[0], id?: string, keep = false) => importMessage(db, declarationFile(m, id, keep), opts);
const codesOf = async (messageId: number) =>
  (await db.query(`SELECT line_no, status, findings FROM ijw_declaration_line WHERE message_id = $1 ORDER BY line_no`, [messageId])).map((r) => [
    r.status,
    (r.findings ?? []).map((f: any) => `${f.code}/${f.retourcode}`),
  ]);

beforeAll(async () => {
  ({ db } = await importFixture());
}, 180_000);
afterAll(async () => {
  await db?.close();
});

describe('TR314: ReferentieNummer unique per provider across messages', () => {
  it('a new reference passes; one accepted before is rejected with 8021; one only rejected before may come again', async () => {
    const first = await imp(declaration([{ bsn: BSN, lines: [line('U1'), line('U2', { ToewijzingNummer: 99999 })] }]));
    expect(await codesOf(first.messageId)).toEqual([
      ['geaccepteerd', []],
      ['afgewezen', ['TR338/9338']],
    ]);
    const second = await imp(
      declaration([{ bsn: BSN, lines: [line('U1'), line('U2', { ProductPeriode: { Begindatum: '2026-03-01', Einddatum: '2026-03-31' } })] }]),
    );
    expect(await codesOf(second.messageId)).toEqual([
      ['afgewezen', ['TR314/8021', 'TR389/9389']],
      ['geaccepteerd', []],
    ]);
  });
});

describe('TR323 and TR390: a credit needs an earlier accepted debit, and one credit per line', () => {
  it('passes for a credit of an accepted debit; rejects an unknown one (TR323, 8017) and a second credit of the same debit (TR390, 9390)', async () => {
    await imp(declaration([{ bsn: BSN, lines: [line('V1', { ProductPeriode: { Begindatum: '2026-02-01', Einddatum: '2026-02-28' } })] }]));
    const credit = (ref: string, prev: string) =>
      line(ref, {
        ProductPeriode: { Begindatum: '2026-02-01', Einddatum: '2026-02-28' },
        ProductReferentie: { ReferentieNummer: ref, VorigReferentieNummer: prev },
        IngediendBedrag: { Bedrag: 5000, DebetCredit: 'C' },
      });
    const ok = await imp(retotal(declaration([{ bsn: BSN, lines: [credit('V2', 'V1')] }])));
    expect(await codesOf(ok.messageId)).toEqual([['geaccepteerd', []]]);
    const twice = await imp(retotal(declaration([{ bsn: BSN, lines: [credit('V3', 'V1')] }])));
    expect(await codesOf(twice.messageId)).toEqual([['afgewezen', ['TR390/9390']]]);
    const unknown = await imp(retotal(declaration([{ bsn: BSN, lines: [credit('V4', 'BESTAATNIET')] }])));
    expect(await codesOf(unknown.messageId)).toEqual([['afgewezen', ['TR323/8017']]]);
    const [{ text }] = await db.query(`SELECT findings->0->>'text' AS text FROM ijw_declaration_line WHERE message_id = $1`, [twice.messageId]);
    expect(text).toContain('al gecrediteerd');
  });
});

describe('TR056: Identificatie unique per sender across declarations', () => {
  it('a new identification passes; one used before by this provider rejects the declaration as a whole (9056)', async () => {
    const first = await imp(declaration([{ bsn: BSN, lines: [line('Z1')] }]), 'ZELFDE');
    expect(first.findings.map((f) => f.code)).not.toContain('TR056');
    const second = await imp(declaration([{ bsn: BSN, lines: [line('Z2')] }]), 'ZELFDE');
    expect(second.status).toBe('afgewezen');
    expect(second.findings.map((f) => `${f.code}/${f.retourcode}`)).toContain('TR056/9056');
    expect(second.acceptedLines).toBe(0);
  });
});

describe('TR333: DeclaratieNummer unique per provider; TR318: the period follows the previous one', () => {
  it('a new number and a later month pass; a used number (9333) or an earlier month (8214) reject the declaration as a whole', async () => {
    const a = declaration([{ bsn: BSN, lines: [line('W1')] }]);
    const ok = await imp(a, 'W1');
    expect(ok.status).toBe('verwerkt');
    const again = declaration([{ bsn: BSN, lines: [line('W2')] }]);
    again.Declaratie.DeclaratieNummer = a.Declaratie.DeclaratieNummer;
    again.Declaratie.DeclaratiePeriode = { Begindatum: '2030-01-01', Einddatum: '2030-01-31' };
    const used = await imp(again, 'W2', true);
    expect(used.status).toBe('afgewezen');
    expect(used.findings.map((f) => `${f.code}/${f.retourcode}`)).toEqual(['TR333/9333']);
    const earlier = declaration([{ bsn: BSN, lines: [line('W3')] }]);
    earlier.Declaratie.DeclaratieNummer = 'DNW3';
    earlier.Declaratie.DeclaratiePeriode = a.Declaratie.DeclaratiePeriode; // the same month as the last processed one
    const back = await imp(earlier, 'W3', true);
    expect(back.status).toBe('afgewezen');
    expect(back.findings.map((f) => `${f.code}/${f.retourcode}`)).toEqual(['TR318/8214']);
    expect(back.acceptedLines).toBe(0);
  });
});

describe('TR389: one debit per allocation, product and period across declarations, unless credited', () => {
  it('a second debit for the same May line is rejected (9389); after its credit, or with the credit in the same message, it passes', async () => {
    // another allocation than the tests above use: 10073 in May
    const may = {
      ToewijzingNummer: 10073,
      ProductCode: '45A04',
      ProductTarief: 1500,
      GeleverdVolume: 2,
      IngediendBedrag: { Bedrag: 3000, DebetCredit: 'D' as const },
      ProductPeriode: { Begindatum: '2026-05-01', Einddatum: '2026-05-31' },
    };
    const first = await imp(declaration([{ bsn: BSN, lines: [line('W1', may)] }]));
    expect(await codesOf(first.messageId)).toEqual([['geaccepteerd', []]]);
    const again = await imp(declaration([{ bsn: BSN, lines: [line('W2', may)] }]));
    expect(await codesOf(again.messageId)).toEqual([['afgewezen', ['TR389/9389']]]);
    // the credit of W1 and the corrected debit in one message
    const credit = line('W3', {
      ...may,
      ProductReferentie: { ReferentieNummer: 'W3', VorigReferentieNummer: 'W1' },
      IngediendBedrag: { Bedrag: 3000, DebetCredit: 'C' },
    });
    const corrected = await imp(
      retotal(declaration([{ bsn: BSN, lines: [credit, line('W4', { ...may, GeleverdVolume: 1, IngediendBedrag: { Bedrag: 1500, DebetCredit: 'D' } })] }])),
    );
    expect(await codesOf(corrected.messageId)).toEqual([
      ['geaccepteerd', []],
      ['geaccepteerd', []],
    ]);
    // W4 now stands uncredited: a further debit is refused again
    const third = await imp(declaration([{ bsn: BSN, lines: [line('W5', may)] }]));
    expect(await codesOf(third.messageId)).toEqual([['afgewezen', ['TR389/9389']]]);
  });
});

// --- start and stop (JW305/JW307) against the earlier ones in the store (migration 023: ijw_start_stop)
const startStop = async <T extends 'JW305' | 'JW307'>(type: T, products: object[]) => {
  const m = structuredClone(await exampleModel(type)) as any;
  m.Header.Ontvanger = MUNICIPALITY;
  m.Header.BerichtIdentificatie = { Identificatie: `SS${++sent}`, Dagtekening: '2026-06-30' };
  if (type === 'JW305') m.Client.StartProducten.StartProduct = products;
  else m.Client.StopProducten.StopProduct = products;
  return importMessage(db, tmpFile(`ss${sent}.xml`, writeMessage(type, m)), opts);
};
let sent = 0;
const product = { Categorie: '45', Code: '45A03' };
const start = (n: number, begin: string, status = '1') => ({
  ToewijzingNummer: n,
  Product: product,
  ToewijzingIngangsdatum: '2026-01-01',
  Begindatum: begin,
  StatusAanlevering: status,
});
const stopOf = (n: number, begin: string, end: string, reason: string, status = '1') => ({
  ...start(n, begin, status),
  RedenBeeindiging: reason,
  Einddatum: end,
});
const verdict = (r: Awaited<ReturnType<typeof importMessage>>) =>
  r.status === 'verwerkt' ? 'verwerkt' : r.findings.map((f) => `${f.code}/${f.retourcode}`).join(' ');

describe('start and stop messages against the earlier ones (TR019, TR063, TR071, TR074, TR326, TR382, TR413–TR415)', () => {
  it('a start, its stops and their deletion follow the standard; each breach rejects the message with its code', async () => {
    expect(verdict(await startStop('JW305', [start(99999, '2026-02-01')]))).toBe('TR019/9019');
    expect(verdict(await startStop('JW305', [start(10072, '2026-02-01')]))).toBe('verwerkt');
    expect(verdict(await startStop('JW305', [start(10072, '2026-02-01')]))).toBe('TR074/9074 TR326/9326');
    expect(verdict(await startStop('JW305', [start(10072, '2026-02-05')]))).toBe('TR326/9326');
    expect(verdict(await startStop('JW305', [start(10072, '2026-02-09', '3')]))).toBe('TR063/9063');
    expect(verdict(await startStop('JW307', [stopOf(10072, '2026-02-02', '2026-02-20', '20')]))).toBe('TR382/9069');
    expect(verdict(await startStop('JW307', [stopOf(10072, '2026-02-01', '2026-02-20', '20')]))).toBe('verwerkt');
    expect(verdict(await startStop('JW305', [start(10072, '2026-02-01', '3')]))).toBe('TR071/9071');
    expect(verdict(await startStop('JW307', [stopOf(10072, '2026-02-01', '2026-02-22', '20')]))).toBe('TR413/9413');
    expect(verdict(await startStop('JW307', [stopOf(10072, '2026-02-01', '2026-02-10', '31')]))).toBe('TR414/9414');
    expect(verdict(await startStop('JW307', [stopOf(10072, '2026-02-01', '2026-02-25', '31')]))).toBe('verwerkt');
    expect(verdict(await startStop('JW307', [stopOf(10072, '2026-02-01', '2026-02-28', '31')]))).toBe('TR415/9415');
    // the final stop deleted (StatusAanlevering 3), then a corrected one is accepted
    expect(verdict(await startStop('JW307', [stopOf(10072, '2026-02-01', '2026-02-25', '31', '3')]))).toBe('verwerkt');
    expect(verdict(await startStop('JW307', [stopOf(10072, '2026-02-01', '2026-02-27', '31')]))).toBe('verwerkt');
    // the delivery is stopped: a new start on the allocation is allowed
    expect(verdict(await startStop('JW305', [start(10072, '2026-03-01')]))).toBe('verwerkt');
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ijw_start_stop`);
    expect(n).toBe(6); // only accepted messages leave their starts and stops
  });

  it("an accepted start or stop raises the region's facts version (figures kept in memory that count by these dates are computed again); a rejected one does not", async () => {
    const version = () => factsVersion(db, 'test');
    const before = await version();
    expect(verdict(await startStop('JW305', [start(99999, '2026-04-01')]))).toBe('TR019/9019');
    expect(await version()).toBe(before);
    expect(verdict(await startStop('JW307', [stopOf(10072, '2026-03-01', '2026-03-20', '20')]))).toBe('verwerkt');
    expect(Number(await version())).toBe(Number(before) + 1);
  });
});

// --- requests (JW315/JW317), answers (JW319) and allocations (JW301) against the earlier ones, and TR384
const send = async (type: 'JW301' | 'JW315' | 'JW317' | 'JW319', change: (m: any) => void) => {
  const m = structuredClone(await exampleModel(type)) as any;
  const fromMunicipality = type === 'JW301' || type === 'JW319';
  m.Header.Afzender = fromMunicipality ? MUNICIPALITY : PROVIDER;
  m.Header.Ontvanger = fromMunicipality ? PROVIDER : MUNICIPALITY;
  m.Header.BerichtIdentificatie = { Identificatie: `RQ${++sent}`, Dagtekening: '2026-06-30' };
  change(m);
  return importMessage(db, tmpFile(`rq${sent}.xml`, writeMessage(type, m)), opts);
};
const vot =
  (ref: string, bsn = BSN) =>
  (m: any) => {
    m.Client.Bsn = bsn;
    m.Client.AangevraagdeProducten.AangevraagdProduct = [
      { ...m.Client.AangevraagdeProducten.AangevraagdProduct[0], ReferentieAanbieder: ref, ToewijzingEinddatum: '2027-06-30' },
    ];
  };
const answer = (ref: string, a: '1' | '2') => (m: any) => {
  m.Antwoord = a === '1' ? { ReferentieAanbieder: ref, VerzoekAntwoord: '1', RedenAfwijzingVerzoek: '1' } : { ReferentieAanbieder: ref, VerzoekAntwoord: '2' };
};
const allocate =
  (n: number, over: object = {}) =>
  (m: any) => {
    m.Client.ToegewezenProducten.ToegewezenProduct = [
      {
        ToewijzingNummer: n,
        Product: { Categorie: '45', Code: '45A03' },
        Toewijzingsdatum: '2026-04-01',
        Toewijzingstijd: '12:00:00',
        Ingangsdatum: '2026-04-01',
        Einddatum: '2026-07-14',
        Omvang: { Volume: 2, Eenheid: '04', Frequentie: '2' },
        ...over,
      },
    ];
  };
const vow =
  (ref: string, unchanged: number[], changed: object[] = []) =>
  (m: any) => {
    m.Client.Verzoek = {
      ReferentieAanbieder: ref,
      RedenVerzoek: '1',
      ...(unchanged.length ? { OngewijzigdeProducten: { OngewijzigdProduct: unchanged.map((n) => ({ ToewijzingNummer: n })) } } : {}),
      ...(changed.length ? { TeWijzigenProducten: { TeWijzigenProduct: changed } } : {}),
      NieuweProducten: {
        NieuwProduct: [
          {
            Product: { Categorie: '45', Code: '45A03' },
            GewensteIngangsdatum: '2027-01-01',
            Einddatum: '2027-03-31',
            Omvang: { Volume: 4, Eenheid: '04', Frequentie: '4' },
          },
        ],
      },
    };
  };

describe('requests, answers and allocations against the earlier ones (TR347, TR374, TR355, TR359, TR360, TR379, TR332, TR385, TR384, TR349, TR357)', () => {
  it('a request is answered, honoured and changed in turn; each breach rejects the message with its code', async () => {
    expect(verdict(await send('JW315', vot('VOT1')))).toBe('verwerkt');
    expect(verdict(await send('JW315', vot('VOT2')))).toBe('TR374/9374'); // VOT1 is still open
    expect(verdict(await send('JW315', vot('VOT1', BSN2)))).toBe('TR347/9347');
    expect(verdict(await send('JW319', answer('ONBEKEND', '1')))).toBe('TR355/9355');
    expect(verdict(await send('JW319', answer('VOT1', '2')))).toBe('verwerkt');
    expect(verdict(await send('JW319', answer('VOT1', '2')))).toBe('TR360/9360');
    expect(verdict(await send('JW301', allocate(30002, { ReferentieAanbieder: 'NIEMAND' })))).toBe('TR379/9379');
    expect(verdict(await send('JW301', allocate(30001, { ReferentieAanbieder: 'VOT1' })))).toBe('verwerkt');
    expect(verdict(await send('JW319', answer('VOT1', '1')))).toBe('TR359/9359');
    expect(verdict(await send('JW301', allocate(10074)))).toBe('TR332/9332'); // another youth's allocation number
    // 10072 has accepted lines (the declarations above): it cannot be removed; 30001 has none
    expect(verdict(await send('JW301', allocate(10072, { Ingangsdatum: '2026-01-01', Einddatum: '2026-01-01', RedenWijziging: '13' })))).toBe('TR385/9385');
    expect(verdict(await send('JW301', allocate(30001, { Einddatum: '2026-04-01', RedenWijziging: '13' })))).toBe('verwerkt');
    const onRemoved = await imp(declaration([{ bsn: BSN, lines: [line('X1', { ToewijzingNummer: 30001 })] }]));
    expect((await codesOf(onRemoved.messageId))[0][1]).toContain('TR384/9384');
    // a change request must name every current allocation of the client (10072 and 10073; 30001 was removed)
    expect(verdict(await send('JW317', vow('VOW1', [10072])))).toBe('TR349/9349');
    expect(verdict(await send('JW317', vow('VOW1', [10072, 10073])))).toBe('verwerkt');
    const early = { ToewijzingNummer: 10073, GewensteIngangsdatum: '2026-06-01', Omvang: { Volume: 4, Eenheid: '04', Frequentie: '4' } };
    expect(verdict(await send('JW317', vow('VOW2', [10072], [early])))).toBe('TR357/9357 TR374/9374'); // and VOW1 is still open
  });
});

// --- the declaration answer (JW325) against the declaration it answers
describe('a JW325 against the JW323 it answers (TR337, TR366, TR367, TR371, TR376, TR304)', () => {
  it('the answer Regiekamer wrote passes; a changed volume, number, identification or client is rejected with its code', async () => {
    const decl = await imp(declaration([{ bsn: BSN, lines: [line('A1'), line('A2', { ToewijzingNummer: 99999 })] }]));
    const [{ xml_gzip: gz }] = await db.query(`SELECT xml_gzip FROM ijw_message WHERE answer_to_id = $1`, [decl.messageId]);
    const written = (await readFullMessage({ xml: gunzipSync(gz).toString('utf8') })).message as JW325Bericht;
    expect(written.DeclaratieAntwoord!.Clienten!.Client[0].Prestaties.Prestatie.map((x) => x.ProductReferentie.ReferentieNummer)).toContain('A2');
    const answer = async (change: (m: JW325Bericht) => void) => {
      const m = structuredClone(written);
      m.Header.BerichtIdentificatie.Identificatie = `AW${++sent}`;
      change(m);
      return [...new Set(verdict(await importMessage(db, tmpFile(`aw${sent}.xml`, writeMessage('JW325', m)), opts)).split(' '))].join(' ');
    };
    const p = (m: JW325Bericht) => m.DeclaratieAntwoord!.Clienten!.Client[0].Prestaties.Prestatie[0];
    expect(await answer(() => {})).toBe('verwerkt');
    expect(
      await answer((m) => {
        p(m).GeleverdVolume = 5;
      }),
    ).toBe('TR367/9367');
    expect(
      await answer((m) => {
        p(m).ProductReferentie.ReferentieNummer = 'A9';
      }),
    ).toBe('TR366/9366');
    expect(
      await answer((m) => {
        m.Header.DeclaratieIdentificatie.Identificatie = 'ONBEKEND';
      }),
    ).toBe('TR337/0001');
    expect(
      await answer((m) => {
        m.DeclaratieAntwoord!.DeclaratieNummer = 'DN-ANDERS';
      }),
    ).toBe('TR376/0001');
    expect(
      await answer((m) => {
        m.Header.XsdVersieDeclaratie.BerichtXsdVersie = '1.0.1';
      }),
    ).toBe('TR371/0001');
    expect(
      await answer((m) => {
        m.DeclaratieAntwoord!.Clienten!.Client[0].Bsn = BSN2;
      }),
    ).toBe('TR304/8187');
  });
});
