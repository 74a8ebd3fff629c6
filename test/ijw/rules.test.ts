// Every implemented rule has a case that passes and a case that breaks it. The base messages are the standard's
// examples (made clean where the example itself breaks a rule) and a clean declaration (helpers.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/ijw/rules/registry.ts';
import { MemoryHistory, type MemoryAllocation, type MemoryStartStop } from '../../src/ijw/history-memory.ts';
import type { History } from '../../src/ijw/rules/history-types.ts';
import { amountFitsMinuteTariff } from '../../src/ijw/rules/extern.ts';
import type {
  JW301Bericht,
  JW305Bericht,
  JW307Bericht,
  JW315Bericht,
  JW317Bericht,
  JW319Bericht,
  JW323Bericht,
  JW325Bericht,
  MessageMap,
  MessageType,
} from '../../src/ijw/schema.ts';
import { BSN, BSN2, MUNICIPALITY, PROVIDER, ROOT, codesOf, declaration, exampleModel, findingsOf, line, retotal } from './helpers.ts';

type Mutate<T extends MessageType> = (m: MessageMap[T]) => void;
/** history: true = the declaration history below; 'bericht' = the history of that message type (MESSAGE_HISTORY). */
interface Case<T extends MessageType = MessageType> {
  code: string;
  type: T;
  pass?: Mutate<T>;
  fail: Mutate<T>;
  history?: boolean | 'bericht';
}
const c = <T extends MessageType>(code: string, type: T, fail: Mutate<T>, pass?: Mutate<T>, history: boolean | 'bericht' = false): Case<T> => ({
  code,
  type,
  fail,
  pass,
  history,
});
const h = <T extends MessageType>(code: string, type: T, fail: Mutate<T>, pass?: Mutate<T>): Case<T> => c(code, type, fail, pass, 'bericht');

// clean bases: the examples that break a rule on purpose are repaired first
async function base<T extends MessageType>(type: T): Promise<MessageMap[T]> {
  if (type === 'JW323') return declaration() as MessageMap[T];
  const m = await exampleModel(type);
  if (type === 'JW315') for (const a of (m as JW315Bericht).Client.AangevraagdeProducten.AangevraagdProduct) a.ToewijzingEinddatum = '2027-06-30';
  if (type === 'JW317') (m as JW317Bericht).Client.Verzoek.NieuweProducten!.NieuwProduct[0].Einddatum = '2027-02-28';
  return m;
}

const tp = (m: JW301Bericht, i = 0) => m.Client.ToegewezenProducten.ToegewezenProduct[i];
const ap = (m: JW315Bericht, i = 0) => m.Client.AangevraagdeProducten.AangevraagdProduct[i];
const np = (m: JW317Bericht, i = 0) => m.Client.Verzoek.NieuweProducten!.NieuwProduct[i];
const p323 = (m: JW323Bericht, i = 0, client = 0) => m.Declaratie.Clienten.Client[client].Prestaties.Prestatie[i];

/** JW317: the OngewijzigdProduct 10071 becomes a TeWijzigenProduct (from February, 4 hours a month), with changes. */
const change = (m: JW317Bericht, over: Partial<JW317Bericht['Client']['Verzoek']['TeWijzigenProducten'] extends infer X ? any : never>) => {
  delete m.Client.Verzoek.OngewijzigdeProducten;
  const p = { ToewijzingNummer: 10071, GewensteIngangsdatum: '2026-02-01', Omvang: { Volume: 4, Eenheid: '04', Frequentie: '4' }, ...over };
  for (const k of Object.keys(p)) if ((p as any)[k] === undefined) delete (p as any)[k];
  m.Client.Verzoek.TeWijzigenProducten = { TeWijzigenProduct: [p as any] };
};
const a325 = (m: JW325Bericht, i = 0, client = 0) => m.DeclaratieAntwoord!.Clienten!.Client[client].Prestaties.Prestatie[i];
const sp = (m: JW305Bericht, i = 0) => m.Client.StartProducten.StartProduct[i];
const st = (m: JW307Bericht, i = 0) => m.Client.StopProducten.StopProduct[i];
const stop = (n: number, code: string, begin: string, end: string, reason: string, status = '1') => ({
  ToewijzingNummer: n,
  Product: { Categorie: '55', Code: code },
  ToewijzingIngangsdatum: '2026-01-01',
  Begindatum: begin,
  RedenBeeindiging: reason,
  Einddatum: end,
  StatusAanlevering: status,
});

const CASES: Case<any>[] = [
  // --- historie: start and stop (JW305/JW307) against the earlier ones (MESSAGE_HISTORY below)
  h('TR019', 'JW305', (m: JW305Bericht) => {
    sp(m).ToewijzingNummer = 999999;
  }),
  h('TR019', 'JW307', (m: JW307Bericht) => {
    st(m).ToewijzingNummer = 300210; /* another client's */
  }),
  h(
    'TR063',
    'JW305',
    (m: JW305Bericht) => {
      sp(m).StatusAanlevering = '3';
    },
    (m: JW305Bericht) => {
      Object.assign(sp(m), { ToewijzingNummer: 300203, Product: { Categorie: '55', Code: '55A13' }, Begindatum: '2026-03-01', StatusAanlevering: '3' });
    },
  ),
  h(
    'TR063',
    'JW307',
    (m: JW307Bericht) => {
      st(m).StatusAanlevering = '3';
    },
    (m: JW307Bericht) => {
      Object.assign(st(m), stop(300203, '55A13', '2026-03-01', '2026-03-10', '20', '3'));
    },
  ),
  h(
    'TR071',
    'JW305',
    (m: JW305Bericht) => {
      Object.assign(sp(m), { Begindatum: '2026-03-01', StatusAanlevering: '3' });
    },
    (m: JW305Bericht) => {
      Object.assign(sp(m), { ToewijzingNummer: 300203, Product: { Categorie: '55', Code: '55A13' }, Begindatum: '2026-03-01', StatusAanlevering: '3' });
    },
  ),
  h('TR074', 'JW305', (m: JW305Bericht) => {
    sp(m).Begindatum = '2026-03-01';
  }),
  h('TR074', 'JW307', (m: JW307Bericht) => {
    Object.assign(st(m), stop(300204, '55A14', '2026-03-01', '2026-03-20', '31'));
  }),
  h('TR326', 'JW305', (m: JW305Bericht) => {
    Object.assign(sp(m), { ToewijzingNummer: 300203, Product: { Categorie: '55', Code: '55A13' } });
  }),
  h('TR326', 'JW305', (m: JW305Bericht) => {
    Object.assign(sp(m, 1), {
      ToewijzingNummer: 300201,
      Product: { Categorie: '55', Code: '55A11' },
      Begindatum: '2026-04-20',
    }); /* the first start, in the same message, runs */
  }),
  h(
    'TR415',
    'JW307',
    (m: JW307Bericht) => {
      Object.assign(st(m, 1), { ...st(m, 0), Einddatum: '2026-07-18' }); /* stopped for good by the first, in the same message */
    },
    (m: JW307Bericht) => {
      Object.assign(st(m, 0), { RedenBeeindiging: '20', Einddatum: '2026-07-10' });
      Object.assign(st(m, 1), { ...st(m, 0), RedenBeeindiging: '31', Einddatum: '2026-07-18' });
    },
  ),
  h('TR382', 'JW307', (m: JW307Bericht) => {
    st(m).Begindatum = '2026-04-04';
  }),
  h(
    'TR413',
    'JW307',
    (m: JW307Bericht) => {
      Object.assign(st(m), stop(300203, '55A13', '2026-03-01', '2026-03-15', '20'));
    },
    (m: JW307Bericht) => {
      Object.assign(st(m), stop(300203, '55A13', '2026-03-01', '2026-03-15', '31'));
    },
  ),
  h(
    'TR414',
    'JW307',
    (m: JW307Bericht) => {
      Object.assign(st(m), stop(300203, '55A13', '2026-03-01', '2026-03-05', '31'));
    },
    (m: JW307Bericht) => {
      Object.assign(st(m), stop(300203, '55A13', '2026-03-01', '2026-03-15', '31'));
    },
  ),
  h('TR056', 'JW305', (m: JW305Bericht) => {
    m.Header.BerichtIdentificatie.Identificatie = 'GEBRUIKT';
  }),
  // --- historie: JW301 against earlier allocations and requests
  h(
    'TR332',
    'JW301',
    (m: JW301Bericht) => {
      tp(m).ToewijzingNummer = 300250; /* another client's */
    },
    (m: JW301Bericht) => {
      tp(m).ToewijzingNummer = 300251; /* the same allocation, changed */
    },
  ),
  h('TR379', 'JW301', (m: JW301Bericht) => {
    tp(m).ReferentieAanbieder = 'ONBEKEND';
  }),
  h('TR379', 'JW301', (m: JW301Bericht) => {
    tp(m).ReferentieAanbieder = 'ANDER'; /* a request for another client */
  }),
  h(
    'TR385',
    'JW301',
    (m: JW301Bericht) => {
      Object.assign(tp(m), { ToewijzingNummer: 300251, RedenWijziging: '13', Einddatum: '2026-04-01' });
    },
    (m: JW301Bericht) => {
      Object.assign(tp(m), { ToewijzingNummer: 300252, RedenWijziging: '13', Einddatum: '2026-04-01' });
    },
  ),
  // --- historie: requests (JW315/JW317) and answers (JW319)
  h('TR347', 'JW315', (m: JW315Bericht) => {
    ap(m).ReferentieAanbieder = 'OUD1';
  }),
  h('TR347', 'JW317', (m: JW317Bericht) => {
    m.Client.Verzoek.ReferentieAanbieder = 'OUD9';
  }),
  h('TR374', 'JW315', (m: JW315Bericht) => {
    m.Client.Bsn = BSN2; /* has an open request */
  }),
  h('TR374', 'JW317', (m: JW317Bericht) => {
    m.Client.Bsn = BSN2;
  }),
  h('TR304', 'JW317', (m: JW317Bericht) => {
    m.Client.Verzoek.OngewijzigdeProducten!.OngewijzigdProduct[0].ToewijzingNummer = 10062;
  }),
  h('TR349', 'JW317', (m: JW317Bericht) => {
    m.Client.Verzoek.OngewijzigdeProducten!.OngewijzigdProduct[0].ToewijzingNummer = 10060; /* 10071 left out */
  }),
  h('TR350', 'JW317', (m: JW317Bericht) => {
    m.Client.Verzoek.OngewijzigdeProducten!.OngewijzigdProduct[0].ToewijzingNummer = 10060; /* ended 2025 */
  }),
  h(
    'TR351',
    'JW317',
    (m: JW317Bericht) => {
      change(m, { ToewijzingNummer: 10060 });
    },
    (m: JW317Bericht) => {
      change(m, {});
    },
  ),
  h(
    'TR357',
    'JW317',
    (m: JW317Bericht) => {
      change(m, { GewensteIngangsdatum: '2026-01-02' });
    },
    (m: JW317Bericht) => {
      change(m, { GewensteIngangsdatum: '2026-01-01' });
    },
  ),
  h(
    'TR373',
    'JW317',
    (m: JW317Bericht) => {
      change(m, { Omvang: { Volume: 40, Eenheid: '04', Frequentie: '6' } });
    },
    (m: JW317Bericht) => {
      change(m, { GewensteIngangsdatum: '2026-01-01', Omvang: { Volume: 40, Eenheid: '04', Frequentie: '6' } });
    },
  ),
  h(
    'TR411',
    'JW317',
    (m: JW317Bericht) => {
      change(m, { Omvang: undefined, Einddatum: '2026-10-31' });
    },
    (m: JW317Bericht) => {
      change(m, { Einddatum: '2026-10-31' });
    },
  ),
  h(
    'TR412',
    'JW317',
    (m: JW317Bericht) => {
      change(m, { ToewijzingNummer: 10063 });
    },
    (m: JW317Bericht) => {
      change(m, { ToewijzingNummer: 10063, Omvang: undefined });
    },
  ),
  h(
    'TR375',
    'JW317',
    (m: JW317Bericht) => {
      change(m, { ToewijzingNummer: 10065 });
    },
    (m: JW317Bericht) => {
      change(m, { ToewijzingNummer: 10065, Omvang: undefined });
    },
  ),
  h('TR361', 'JW317', (m: JW317Bericht) => {
    np(m).Product = { Categorie: '45', Code: '45A04' }; /* 10071's product, overlapping */
  }),
  h('TR355', 'JW319', (m: JW319Bericht) => {
    m.Antwoord.ReferentieAanbieder = 'ONBEKEND';
  }),
  h('TR359', 'JW319', (m: JW319Bericht) => {
    m.Antwoord.ReferentieAanbieder = '9006'; /* honoured by a JW301 */
  }),
  h(
    'TR360',
    'JW319',
    (m: JW319Bericht) => {
      m.Antwoord = { ReferentieAanbieder: '9004', VerzoekAntwoord: '2' };
    },
    (m: JW319Bericht) => {
      m.Antwoord.ReferentieAanbieder = '9004';
    },
  ),
  h(
    'TR365',
    'JW319',
    (m: JW319Bericht) => {
      m.Antwoord.ReferentieAanbieder = '9005'; /* rejected before */
    },
    (m: JW319Bericht) => {
      m.Antwoord.ReferentieAanbieder = '9004'; /* in onderzoek before */
    },
  ),
  // --- historie: JW325 against the JW323 it answers
  h('TR337', 'JW325', (m: JW325Bericht) => {
    m.Header.DeclaratieIdentificatie.Identificatie = 'ONBEKEND';
  }),
  h('TR337', 'JW325', (m: JW325Bericht) => {
    m.Header.DeclaratieIdentificatie.Dagtekening = '2023-05-06';
  }),
  h('TR371', 'JW325', (m: JW325Bericht) => {
    m.Header.XsdVersieDeclaratie.BerichtXsdVersie = '1.0.1';
  }),
  h('TR376', 'JW325', (m: JW325Bericht) => {
    m.DeclaratieAntwoord!.DeclaratieNummer = 'DN002';
  }),
  h('TR366', 'JW325', (m: JW325Bericht) => {
    a325(m).ProductReferentie.ReferentieNummer = 'RN999';
  }),
  h('TR367', 'JW325', (m: JW325Bericht) => {
    a325(m).GeleverdVolume = 5;
  }),
  h('TR367', 'JW325', (m: JW325Bericht) => {
    a325(m).ProductReferentie.VorigReferentieNummer = 'RT009';
  }),
  h('TR304', 'JW325', (m: JW325Bericht) => {
    m.DeclaratieAntwoord!.Clienten!.Client[1].Bsn = BSN;
    m.DeclaratieAntwoord!.Clienten!.Client[0].Bsn = BSN2;
  }),
  h(
    'TR415',
    'JW307',
    (m: JW307Bericht) => {
      Object.assign(st(m), stop(300204, '55A14', '2026-03-01', '2026-03-25', '31'));
    },
    (m: JW307Bericht) => {
      Object.assign(st(m), stop(300203, '55A13', '2026-03-01', '2026-03-15', '31'));
    },
  ),

  // --- bericht: JW301
  c('CS002', 'JW301', (m: JW301Bericht) => {
    m.Client.Bsn = '123456789';
  }),
  c('CS003', 'JW301', (m: JW301Bericht) => {
    tp(m).Einddatum = '2026-03-01';
  }),
  c('TR101', 'JW301', (m: JW301Bericht) => {
    tp(m, 1).ToewijzingNummer = tp(m, 0).ToewijzingNummer;
  }),
  c(
    'TR302',
    'JW301',
    (m: JW301Bericht) => {
      tp(m, 1).Product = { Categorie: '55', Code: '55A11' };
    },
    (m: JW301Bericht) => {
      tp(m, 1).Product = { Categorie: '55', Code: '55A11' };
      tp(m, 1).Ingangsdatum = '2026-07-15';
      tp(m, 1).Einddatum = '2026-09-30';
    },
  ),
  c('CD041', 'JW301', (m: JW301Bericht) => {
    delete tp(m).Omvang;
  }),
  c(
    'CD075',
    'JW301',
    (m: JW301Bericht) => {
      delete tp(m).Omvang;
      delete tp(m).Einddatum;
      tp(m).Budget = 100000;
    },
    (m: JW301Bericht) => {
      delete tp(m).Omvang;
      tp(m).Budget = 100000;
    },
  ),
  c(
    'CD076',
    'JW301',
    (m: JW301Bericht) => {
      delete tp(m).Einddatum;
    },
    (m: JW301Bericht) => {
      delete tp(m).Einddatum;
      tp(m).Omvang!.Frequentie = '4';
    },
  ),
  c('CD077', 'JW301', (m: JW301Bericht) => {
    tp(m).Budget = 100000;
  }),
  c(
    'CD079',
    'JW301',
    (m: JW301Bericht) => {
      delete tp(m).Product;
    },
    (m: JW301Bericht) => {
      delete tp(m).Product;
      delete tp(m).Omvang;
      tp(m).Budget = 5000;
    },
  ),
  c(
    'CD080',
    'JW301',
    (m: JW301Bericht) => {
      tp(m).Product = { Categorie: '55' };
    },
    (m: JW301Bericht) => {
      tp(m).Product = { Categorie: '55' };
      delete tp(m).Omvang;
    },
  ),
  c(
    'CS338',
    'JW301',
    (m: JW301Bericht) => {
      tp(m).Omvang = { Volume: 5, Eenheid: '14', Frequentie: '1' };
    },
    (m: JW301Bericht) => {
      tp(m).Omvang = { Volume: 5, Eenheid: '14', Frequentie: '2' };
    },
  ),
  c(
    'CS335',
    'JW301',
    (m: JW301Bericht) => {
      tp(m).RedenWijziging = '13';
    },
    (m: JW301Bericht) => {
      tp(m).RedenWijziging = '13';
      tp(m).Einddatum = tp(m).Ingangsdatum;
    },
  ),
  c(
    'CS336',
    'JW301',
    (m: JW301Bericht) => {
      tp(m).RedenWijziging = '01';
    },
    (m: JW301Bericht) => {
      tp(m).RedenWijziging = '02';
    },
  ),
  c(
    'CS050',
    'JW301',
    (m: JW301Bericht) => {
      m.Client.Naam.NaamGebruik = '2';
    },
    (m: JW301Bericht) => {
      m.Client.Naam.Partnernaam = { Achternaam: 'Jansen' };
      m.Client.Naam.NaamGebruik = '2';
    },
  ),
  c('CS318', 'JW301', (m: JW301Bericht) => {
    m.Client.Naam.NaamGebruik = '6';
  }),
  c(
    'CD007',
    'JW301',
    (m: JW301Bericht) => {
      m.Client.Communicatie!.Vorm = '2';
    },
    (m: JW301Bericht) => {
      m.Client.Communicatie = { Vorm: '2' };
    },
  ),
  c('CD009', 'JW301', (m: JW301Bericht) => {
    m.Client.Contactgegevens.Contact[0].Periode = { Begindatum: '2026-01-01' };
  }),
  c('CS089', 'JW301', (m: JW301Bericht) => {
    m.Client.Contactgegevens.Contact[0].Adres!.Postcode = '999XX';
  }),
  c(
    'CS139',
    'JW301',
    (m: JW301Bericht) => {
      m.Client.Geboortedatum = { Datum: '2010-02-14', DatumGebruik: '1' };
    },
    (m: JW301Bericht) => {
      m.Client.Geboortedatum = { Datum: '2010-02-01', DatumGebruik: '1' };
    },
  ),
  // rules the official stylesheet checks that Regiekamer lacked before (issue 17)
  c(
    'CD005',
    'JW301',
    (m: JW301Bericht) => {
      delete m.Client.Contactgegevens.Contact[0].Adres!.LandCode;
    },
    (m: JW301Bericht) => {
      delete m.Client.Contactgegevens.Contact[0].Adres!.LandCode;
      delete m.Client.Contactgegevens.Contact[0].Adres!.Postcode;
    },
  ),
  c(
    'CD025',
    'JW301',
    (m: JW301Bericht) => {
      delete m.Client.Contactgegevens.Contact[0].Adres!.Huis;
    },
    (m: JW301Bericht) => {
      delete m.Client.Contactgegevens.Contact[0].Adres!.Huis;
      m.Client.Contactgegevens.Contact[0].Adres!.LandCode = 'BE';
    },
  ),
  c(
    'CD034',
    'JW301',
    (m: JW301Bericht) => {
      delete m.Client.Contactgegevens.Contact[0].Adres!.Postcode;
    },
    (m: JW301Bericht) => {
      delete m.Client.Contactgegevens.Contact[0].Adres!.Postcode;
      m.Client.Contactgegevens.Contact[0].Soort = '02';
    },
  ),
  c(
    'CD078',
    'JW301',
    (m: JW301Bericht) => {
      tp(m).Budget = 100000;
    },
    (m: JW301Bericht) => {
      delete tp(m).Omvang;
      tp(m).Budget = 100000;
    },
  ),
  c(
    'TR006',
    'JW301',
    (m: JW301Bericht) => {
      delete m.Client.Contactgegevens.Contact[0].Telefoon;
      delete m.Client.Contactgegevens.Contact[0].Adres!.Huis;
    },
    (m: JW301Bericht) => {
      delete m.Client.Contactgegevens.Contact[0].Telefoon;
    },
  ),
  c(
    'TR061',
    'JW301',
    (m: JW301Bericht) => {
      for (const k of m.Client.Contactgegevens.Contact) k.Soort = '04';
    },
    (m: JW301Bericht) => {
      for (const k of m.Client.Contactgegevens.Contact) k.Soort = '02';
    },
  ),
  c(
    'TR134',
    'JW301',
    (m: JW301Bericht) => {
      m.Client.Geboortedatum.Datum = '2099-01-01';
    },
    (m: JW301Bericht) => {
      m.Client.Geboortedatum.Datum = m.Header.BerichtIdentificatie.Dagtekening;
    },
  ),
  c(
    'TR018',
    'JW307',
    (m: JW307Bericht) => {
      m.Client.StopProducten.StopProduct[0].Einddatum = '2026-04-02';
    },
    (m: JW307Bericht) => {
      m.Client.StopProducten.StopProduct[0].Einddatum = '2026-04-03';
    },
  ),
  c(
    'TR380',
    'JW317',
    (m: JW317Bericht) => {
      np(m).GewensteIngangsdatum = m.Header.BerichtIdentificatie.Dagtekening;
    },
    (m: JW317Bericht) => {
      np(m).GewensteIngangsdatum = '2026-01-03';
    },
  ),
  c(
    'TR002',
    'JW301',
    (m: JW301Bericht) => {
      m.Client.Geboortedatum.Datum = '1890-01-01';
    },
    (m: JW301Bericht) => {
      m.Client.Geboortedatum = { Datum: '1900-01-01', DatumGebruik: '3' };
    },
  ),
  // --- bericht: JW305, JW315, JW317, JW319, JW325
  c('CS058', 'JW305', (m: JW305Bericht) => {
    m.Client.StartProducten.StartProduct[0].StatusAanlevering = '2';
  }),
  c('TR383', 'JW315', (m: JW315Bericht) => {
    ap(m, 1).ReferentieAanbieder = ap(m, 0).ReferentieAanbieder;
  }),
  c(
    'TR386',
    'JW315',
    (m: JW315Bericht) => {
      ap(m, 1).Product = { Categorie: '55', Code: '55A11' };
    },
    (m: JW315Bericht) => {
      ap(m, 1).Product = { Categorie: '55', Code: '55A11' };
      ap(m, 0).ToewijzingEinddatum = '2026-04-30';
      ap(m, 1).ToewijzingIngangsdatum = '2026-05-01';
    },
  ),
  c('CS343', 'JW315', (m: JW315Bericht) => {
    ap(m).Omvang!.Frequentie = '1';
  }),
  c(
    'CD043',
    'JW315',
    (m: JW315Bericht) => {
      delete ap(m).BeschikkingIngangsdatum;
    },
    (m: JW315Bericht) => {
      delete ap(m).BeschikkingIngangsdatum;
      delete ap(m).BeschikkingNummer;
    },
  ),
  c('CD066', 'JW315', (m: JW315Bericht) => {
    ap(m, 1).Verwijzer.Naam = 'Dr. Jansen';
  }),
  c(
    'CD067',
    'JW315',
    (m: JW315Bericht) => {
      delete ap(m, 1).Verwijzer.ZorgverlenerCode;
    },
    (m: JW315Bericht) => {
      delete ap(m, 1).Verwijzer.ZorgverlenerCode;
      ap(m, 1).Verwijzer.Naam = 'Dr. Jansen';
    },
  ),
  c('CD068', 'JW315', (m: JW315Bericht) => {
    ap(m, 0).Verwijzer.ZorgverlenerCode = '12345678';
  }),
  c(
    'CD095',
    'JW315',
    (m: JW315Bericht) => {
      ap(m).Product = { Categorie: '55' };
    },
    (m: JW315Bericht) => {
      ap(m).Product = { Categorie: '55' };
      delete ap(m).Omvang;
    },
  ),
  c('TR352', 'JW317', (m: JW317Bericht) => {
    delete m.Client.Verzoek.OngewijzigdeProducten;
  }),
  c('TR353', 'JW317', (m: JW317Bericht) => {
    delete m.Client.Verzoek.NieuweProducten;
  }),
  c(
    'TR410',
    'JW317',
    (m: JW317Bericht) => {
      m.Client.Verzoek.NieuweProducten!.NieuwProduct.push({ ...structuredClone(np(m)), GewensteIngangsdatum: '2027-01-01' });
    },
    (m: JW317Bericht) => {
      m.Client.Verzoek.NieuweProducten!.NieuwProduct.push({ ...structuredClone(np(m)), GewensteIngangsdatum: '2027-03-01', Einddatum: '2027-06-30' });
    },
  ),
  c(
    'CD096',
    'JW317',
    (m: JW317Bericht) => {
      np(m).Product = { Categorie: '45' };
    },
    (m: JW317Bericht) => {
      np(m).Product = { Categorie: '45' };
      delete np(m).Omvang;
    },
  ),
  c('TR377', 'JW319', (m: JW319Bericht) => {
    delete m.Antwoord.Woonplaatsbeginsel;
  }),
  c('TR409', 'JW319', (m: JW319Bericht) => {
    m.Antwoord.RedenAfwijzingVerzoek = '1';
  }),
  c('CD085', 'JW319', (m: JW319Bericht) => {
    delete m.Antwoord.RedenAfwijzingVerzoek;
    delete m.Antwoord.Woonplaatsbeginsel;
  }),
  c(
    'CD086',
    'JW319',
    (m: JW319Bericht) => {
      m.Antwoord.VerzoekAntwoord = '2';
      delete m.Antwoord.Woonplaatsbeginsel;
    },
    (m: JW319Bericht) => {
      m.Antwoord.VerzoekAntwoord = '2';
      delete m.Antwoord.Woonplaatsbeginsel;
      delete m.Antwoord.RedenAfwijzingVerzoek;
    },
  ),
  c('TR342', 'JW325', (m: JW325Bericht) => {
    m.DeclaratieAntwoord!.TotaalToegekendBedrag.TotaalBedrag = 30000;
  }),
  // --- bericht: JW323
  c('CS100', 'JW323', (m: JW323Bericht) => {
    p323(m).ProductPeriode = { Begindatum: '2020-12-01', Einddatum: '2020-12-31' };
  }),
  c(
    'CS325',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductReferentie.VorigReferentieNummer = 'RN000';
      p323(m).GeleverdVolume = 0;
      p323(m).IngediendBedrag = { Bedrag: 0, DebetCredit: 'C' };
      retotal(m);
    },
    (m: JW323Bericht) => {
      p323(m).GeleverdVolume = 0;
      p323(m).IngediendBedrag = { Bedrag: 0, DebetCredit: 'D' };
      retotal(m);
    },
  ),
  c(
    'CS339',
    'JW323',
    (m: JW323Bericht) => {
      Object.assign(p323(m), { Eenheid: '83', GeleverdVolume: 4000, IngediendBedrag: { Bedrag: 5000, DebetCredit: 'D' } });
      delete p323(m).ProductTarief;
    },
    (m: JW323Bericht) => {
      Object.assign(p323(m), { Eenheid: '83', GeleverdVolume: 5000 });
      delete p323(m).ProductTarief;
    },
  ),
  c('CS340', 'JW323', (m: JW323Bericht) => {
    m.Declaratie.DeclaratiePeriode.Begindatum = '2026-04-02';
  }),
  c(
    'TR137',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductPeriode = { Begindatum: '2026-04-20', Einddatum: '2026-04-10' };
    },
    (m: JW323Bericht) => {
      p323(m).ProductPeriode = { Begindatum: '2026-04-10', Einddatum: '2026-04-10' };
    },
  ),
  c('TR137', 'JW323', (m: JW323Bericht) => {
    m.Header.BerichtIdentificatie.Dagtekening = '2026-04-29';
    m.Declaratie.DeclaratieDagtekening = '2026-04-29';
  }),
  c('TR134', 'JW323', (m: JW323Bericht) => {
    m.Header.BerichtIdentificatie.Dagtekening = '2026-03-31';
    m.Declaratie.DeclaratieDagtekening = '2026-03-31';
  }),
  c(
    'CD060',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).IngediendBedrag.DebetCredit = 'C';
      retotal(m);
    },
    (m: JW323Bericht) => {
      p323(m).IngediendBedrag.DebetCredit = 'C';
      p323(m).ProductReferentie.VorigReferentieNummer = 'RN000';
      retotal(m);
    },
  ),
  c('CD087', 'JW323', (m: JW323Bericht) => {
    delete p323(m).ProductTarief;
  }),
  c(
    'CS337',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductPeriode = { Begindatum: '2026-03-15', Einddatum: '2026-04-15' };
    },
    (m: JW323Bericht) => {
      p323(m).ProductPeriode = { Begindatum: '2026-03-15', Einddatum: '2026-03-31' };
    },
  ),
  c('TR101', 'JW323', (m: JW323Bericht) => {
    p323(m, 1).ProductReferentie.ReferentieNummer = 'RN001';
  }),
  c('TR358', 'JW323', (m: JW323Bericht) => {
    m.Declaratie.TotaalIngediendBedrag.TotaalBedrag += 1;
  }),
  c(
    'TR315',
    'JW323',
    (m: JW323Bericht) => {
      for (const p of [p323(m, 0), p323(m, 1)]) {
        p.IngediendBedrag.DebetCredit = 'C';
        p.ProductReferentie.VorigReferentieNummer = 'RN000';
      }
      retotal(m);
    },
    (m: JW323Bericht) => {
      [p323(m, 0), p323(m, 1)].forEach((p, i) => {
        p.IngediendBedrag.DebetCredit = 'C';
        p.ProductReferentie.VorigReferentieNummer = `RN00${i + 5}`;
      });
      retotal(m);
    },
  ),
  c('TR316', 'JW323', (m: JW323Bericht) => {
    p323(m, 1).IngediendBedrag.DebetCredit = 'C';
    p323(m, 1).ProductReferentie.VorigReferentieNummer = 'RN001';
    retotal(m);
  }),
  c(
    'TR416',
    'JW323',
    (m: JW323Bericht) => {
      m.Declaratie.Clienten.Client[0].Prestaties.Prestatie.push(line('RN003'));
      retotal(m);
    },
    (m: JW323Bericht) => {
      m.Declaratie.Clienten.Client[0].Prestaties.Prestatie.push(line('RN003', { ProductPeriode: { Begindatum: '2026-03-01', Einddatum: '2026-03-31' } }));
      retotal(m);
    },
  ),
  c(
    'TR319',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductPeriode = { Begindatum: '2026-05-01', Einddatum: '2026-05-31' };
    },
    (m: JW323Bericht) => {
      p323(m).ProductPeriode = { Begindatum: '2026-03-01', Einddatum: '2026-03-31' };
    },
  ),
  c(
    'TR335',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductPeriode = { Begindatum: '2021-01-01', Einddatum: '2021-01-31' };
    },
    (m: JW323Bericht) => {
      p323(m).ProductPeriode = { Begindatum: '2021-06-01', Einddatum: '2021-06-30' };
    },
  ),
  // --- extern
  c(
    'TR346',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).IngediendBedrag.Bedrag = 5001;
      retotal(m);
    },
    (m: JW323Bericht) => {
      Object.assign(p323(m), { Eenheid: '01', GeleverdVolume: 45, ProductTarief: 197, IngediendBedrag: { Bedrag: 8850, DebetCredit: 'D' } });
      retotal(m);
    },
  ),
  c('TR378', 'JW323', (m: JW323Bericht) => {
    m.Header.Ontvanger = '9999';
  }),
  c('TR378', 'JW319', (m: JW319Bericht) => {
    m.Antwoord.Woonplaatsbeginsel!.Gemeente = '0001';
  }),
  c('TR381', 'JW323', (m: JW323Bericht) => {
    p323(m).ProductCode = '43A10';
  }),
  c('TR381', 'JW323', (m: JW323Bericht) => {
    p323(m).ProductCode = '45Z99';
  }),
  c(
    'TR381',
    'JW301',
    (m: JW301Bericht) => {
      tp(m).Product = { Categorie: '45', Code: '43A10' };
    },
    (m: JW301Bericht) => {
      tp(m).Product = { Categorie: '45', Code: '45A03' };
    },
  ),
  c('TR135', 'JW301', (m: JW301Bericht) => {
    m.Header.BerichtIdentificatie.Dagtekening = '2099-01-01';
  }),
  // --- historie (MemoryHistory below: allocations 10072 and 10073 for BSN, 45A03/45A04 per uur)
  c(
    'TR338',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ToewijzingNummer = 99999;
    },
    undefined,
    true,
  ),
  c(
    'TR338',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ToewijzingNummer = 20001; /* another provider's */
    },
    undefined,
    true,
  ),
  c(
    'TR304',
    'JW323',
    (m: JW323Bericht) => {
      m.Declaratie.Clienten.Client[0].Bsn = BSN2;
    },
    undefined,
    true,
  ),
  c(
    'TR339',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ToewijzingNummer = 10080; /* allocated in category 43 */
    },
    undefined,
    true,
  ),
  c(
    'TR340',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductCode = '45A04';
    },
    undefined,
    true,
  ),
  c(
    'TR341',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).Eenheid = '14';
      p323(m).IngediendBedrag.Bedrag = 5000;
    },
    (m: JW323Bericht) => {
      Object.assign(p323(m), { Eenheid: '01', GeleverdVolume: 240, ProductTarief: 21, IngediendBedrag: { Bedrag: 5000, DebetCredit: 'D' } });
    },
    true,
  ),
  c(
    'OP368',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ToewijzingNummer = 10081; /* from 2026-04-10 */
    },
    undefined,
    true,
  ),
  c(
    'TR387',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductPeriode.Begindatum = '2026-04-02';
    },
    (m: JW323Bericht) => {
      p323(m).ToewijzingNummer = 10081;
      p323(m).ProductPeriode.Begindatum = '2026-04-10';
    },
    true,
  ),
  c(
    'TR388',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductPeriode.Einddatum = '2026-04-29';
    },
    (m: JW323Bericht) => {
      p323(m).ToewijzingNummer = 10082;
      p323(m).ProductPeriode.Einddatum = '2026-04-20';
    },
    true,
  ),
  c(
    'TR321',
    'JW323',
    (m: JW323Bericht) => {
      Object.assign(p323(m), { GeleverdVolume: 11, IngediendBedrag: { Bedrag: 13750, DebetCredit: 'D' } });
      retotal(m);
    },
    (m: JW323Bericht) => {
      Object.assign(p323(m), { GeleverdVolume: 10, IngediendBedrag: { Bedrag: 12500, DebetCredit: 'D' } });
      retotal(m);
    },
    true,
  ),
  c(
    'TR322',
    'JW323',
    (m: JW323Bericht) => {
      Object.assign(p323(m, 1), { GeleverdVolume: 21, IngediendBedrag: { Bedrag: 31500, DebetCredit: 'D' } });
      retotal(m);
    },
    undefined,
    true,
  ),
  c(
    'TR369',
    'JW323',
    (m: JW323Bericht) => {
      Object.assign(p323(m), {
        ToewijzingNummer: 10090,
        ProductCode: '45A06',
        GeleverdVolume: 20,
        ProductTarief: 1250,
        IngediendBedrag: { Bedrag: 25000, DebetCredit: 'D' },
      });
      retotal(m);
    },
    (m: JW323Bericht) => {
      Object.assign(p323(m), {
        ToewijzingNummer: 10090,
        ProductCode: '45A06',
        GeleverdVolume: 16,
        ProductTarief: 1250,
        IngediendBedrag: { Bedrag: 20000, DebetCredit: 'D' },
      });
      retotal(m);
    },
    true,
  ),
  c(
    'TR418',
    'JW323',
    (m: JW323Bericht) => {
      Object.assign(p323(m), { ProductTarief: 1300, IngediendBedrag: { Bedrag: 5200, DebetCredit: 'D' } });
      retotal(m);
    },
    (m: JW323Bericht) => {
      Object.assign(p323(m), { Eenheid: '01', GeleverdVolume: 240, ProductTarief: 21, IngediendBedrag: { Bedrag: 5000, DebetCredit: 'D' } });
    },
    true,
  ),
  // --- historie: against the message store (earlier lines and declarations of this provider)
  c(
    'TR314',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductReferentie.ReferentieNummer = 'OLD1';
    },
    undefined,
    true,
  ),
  c(
    'TR390',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductReferentie.VorigReferentieNummer = 'OLD2';
      p323(m).IngediendBedrag.DebetCredit = 'C';
      retotal(m);
    },
    (m: JW323Bericht) => {
      p323(m).ProductReferentie.VorigReferentieNummer = 'OLD1';
      p323(m).IngediendBedrag.DebetCredit = 'C';
      retotal(m);
    },
    true,
  ),
  c(
    'TR323',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductReferentie.VorigReferentieNummer = 'ONBEKEND';
      p323(m).IngediendBedrag.DebetCredit = 'C';
      retotal(m);
    },
    (m: JW323Bericht) => {
      p323(m).ProductReferentie.VorigReferentieNummer = 'OLD1';
      p323(m).IngediendBedrag.DebetCredit = 'C';
      retotal(m);
    },
    true,
  ),
  c(
    'TR389',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ProductPeriode = { Begindatum: '2026-03-01', Einddatum: '2026-03-31' };
    },
    (m: JW323Bericht) => {
      // the same March line again, with a credit of the first one in the same message
      p323(m).ProductPeriode = { Begindatum: '2026-03-01', Einddatum: '2026-03-31' };
      m.Declaratie.Clienten.Client[0].Prestaties.Prestatie.push({
        ...structuredClone(p323(m)),
        ProductReferentie: { ReferentieNummer: 'RN009', VorigReferentieNummer: 'OLD3' },
        IngediendBedrag: { ...p323(m).IngediendBedrag, DebetCredit: 'C' },
      });
      retotal(m);
    },
    true,
  ),
  c(
    'TR333',
    'JW323',
    (m: JW323Bericht) => {
      m.Declaratie.DeclaratieNummer = 'DNOLD';
    },
    undefined,
    true,
  ),
  c(
    'TR056',
    'JW323',
    (m: JW323Bericht) => {
      m.Header.BerichtIdentificatie.Identificatie = 'ID-MAART';
    },
    (m: JW323Bericht) => {
      m.Header.BerichtIdentificatie.Identificatie = 'ID-APRIL';
    },
    true,
  ),
  c(
    'TR384',
    'JW323',
    (m: JW323Bericht) => {
      p323(m).ToewijzingNummer = 10095; /* removed with RedenWijziging 13 */
    },
    undefined,
    true,
  ),
  c(
    'TR318',
    'JW323',
    (m: JW323Bericht) => {
      m.Declaratie.DeclaratiePeriode = { Begindatum: '2026-03-01', Einddatum: '2026-03-31' };
    },
    undefined,
    true,
  ),
];

const alloc = (n: number, over: Partial<MemoryAllocation> = {}): MemoryAllocation => ({
  municipalityCode: MUNICIPALITY,
  providerAgb: PROVIDER,
  bsn: BSN,
  assignmentNumber: n,
  productCategory: '45',
  productCode: '45A03',
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  volume: 10,
  unit: '04',
  frequency: '4',
  budgetCents: null,
  ...over,
});
const history = new MemoryHistory({
  allocations: [
    alloc(10072),
    alloc(10073, { productCode: '45A04', volume: 40, frequency: '6' }), // 40 hours in total, 20 declared before
    alloc(20001, { providerAgb: '99999999' }),
    alloc(10080, { productCategory: '43', productCode: null }),
    alloc(10081, { startDate: '2026-04-10' }),
    alloc(10082, { endDate: '2026-04-20' }),
    alloc(10095, { removed: true }),
    alloc(10090, { productCode: '45A06', volume: null, unit: null, frequency: null, budgetCents: 30000 }),
  ],
  declared: [
    { municipalityCode: MUNICIPALITY, assignmentNumber: 10073, volume: 24, amountCents: 36000 },
    { municipalityCode: MUNICIPALITY, assignmentNumber: 10073, volume: 4, amountCents: 6000, debitCredit: 'C' }, // credit: 20 net
    { municipalityCode: MUNICIPALITY, assignmentNumber: 10090, volume: 8, amountCents: 10000 },
  ],
  tariffs: [
    { municipalityCode: MUNICIPALITY, productCode: '45A03', validFrom: '2026-01-01', validTo: null, amountCents: 1250, unit: '04' },
    { municipalityCode: MUNICIPALITY, productCode: '45A04', validFrom: '2025-01-01', validTo: '2026-01-01', amountCents: 1400, unit: '04' },
    { municipalityCode: MUNICIPALITY, productCode: '45A04', validFrom: '2026-01-01', validTo: null, amountCents: 1500, unit: '04' },
  ],
  // earlier accepted lines and the March declaration of this provider (TR314, TR323, TR333, TR318)
  lines: [
    { providerAgb: PROVIDER, referenceNumber: 'OLD1', debitCredit: 'D' },
    { providerAgb: PROVIDER, referenceNumber: 'OLD2', debitCredit: 'D', credited: true },
    // March's line on allocation 10072, not credited (TR389)
    {
      providerAgb: PROVIDER,
      referenceNumber: 'OLD3',
      debitCredit: 'D',
      assignmentNumber: 10072,
      productCategory: '45',
      productCode: '45A03',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
    },
  ],
  declarations: [{ providerAgb: PROVIDER, municipalityCode: MUNICIPALITY, declarationNumber: 'DNOLD', periodStart: '2026-03-01', identification: 'ID-MAART' }],
});

// The earlier messages the rules of the other message types are judged against, one history per message type (the
// examples name different municipalities and providers: JW305/JW307 0363 × 65656055).
const regie = (n: number, code: string, over: Partial<MemoryAllocation> = {}) =>
  alloc(n, { municipalityCode: '0363', productCategory: '55', productCode: code, startDate: '2026-01-01', ...over });
const rec = (kind: 'start' | 'stop', n: number, code: string, begin: string, over: Partial<MemoryStartStop> = {}): MemoryStartStop => ({
  providerAgb: PROVIDER,
  municipalityCode: '0363',
  bsn: BSN,
  kind,
  assignmentNumber: n,
  productCategory: '55',
  productCode: code,
  allocationStart: '2026-01-01',
  begin,
  end: null,
  reason: null,
  status: '1',
  ...over,
});
const REGIE_ALLOCATIONS = [
  regie(300201, '55A11'),
  regie(300202, '55A12'),
  regie(300203, '55A13'),
  regie(300204, '55A14'),
  regie(300210, '55A11', { bsn: BSN2 }),
];
const gm = (n: number, over: Partial<MemoryAllocation> = {}) =>
  alloc(n, { providerAgb: '42420001', productCategory: '55', productCode: '55A11', startDate: '2026-04-01', endDate: '2026-07-14', ...over });
const vow = (n: number, over: Partial<MemoryAllocation> = {}) => alloc(n, { productCode: '45A05', startDate: '2025-01-01', endDate: '2025-12-31', ...over });
const MESSAGE_HISTORY: Partial<Record<MessageType, History>> = {
  // the example's allocations are new and honour the requests 40A12341234/5 of 42420001
  JW301: new MemoryHistory({
    allocations: [gm(300250, { bsn: BSN2 }), gm(300251), gm(300252)],
    declared: [{ municipalityCode: MUNICIPALITY, assignmentNumber: 300251, volume: 4, amountCents: 5000 }],
    requests: [
      { providerAgb: '42420001', municipalityCode: MUNICIPALITY, reference: '40A12341234', bsn: BSN },
      { providerAgb: '42420001', municipalityCode: MUNICIPALITY, reference: '40A12341235', bsn: BSN },
      { providerAgb: '42420001', municipalityCode: MUNICIPALITY, reference: 'ANDER', bsn: BSN2 },
    ],
  }),
  // OUD1 was answered with a rejection; BSN2 has an open request
  JW315: new MemoryHistory({
    requests: [
      { providerAgb: '42420001', municipalityCode: MUNICIPALITY, reference: 'OUD1', bsn: BSN },
      { providerAgb: '42420001', municipalityCode: MUNICIPALITY, reference: 'OUD2', bsn: BSN2 },
    ],
    answers: [{ providerAgb: '42420001', municipalityCode: MUNICIPALITY, reference: 'OUD1', answer: '1' }],
  }),
  // 10071 is the client's one current allocation (dagtekening 2026-01-02); the others ended in 2025 or are another client's
  JW317: new MemoryHistory({
    allocations: [
      alloc(10071, { productCode: '45A04', volume: 4, frequency: '4' }),
      vow(10060),
      vow(10063, { productCode: null }),
      vow(10065, { productCategory: null, productCode: null }),
      alloc(10062, { bsn: BSN2 }),
    ],
    requests: [
      { providerAgb: PROVIDER, municipalityCode: MUNICIPALITY, reference: 'OUD9', bsn: BSN },
      { providerAgb: PROVIDER, municipalityCode: MUNICIPALITY, reference: 'OUD8', bsn: BSN2 },
    ],
    answers: [{ providerAgb: PROVIDER, municipalityCode: MUNICIPALITY, reference: 'OUD9', answer: '1' }],
  }),
  // the declaration the example answers, with its three lines
  JW325: new MemoryHistory({
    answeredDeclarations: [
      {
        providerAgb: PROVIDER,
        municipalityCode: MUNICIPALITY,
        identification: '765432198',
        dagtekening: '2023-05-07',
        declarationNumber: 'DN001',
        xsdVersion: '1.0.0/1.0.0',
        lines: [
          {
            referenceNumber: 'RN001',
            bsn: BSN,
            previousReference: 'RT001',
            assignmentNumber: 10072,
            productCategory: '45',
            productCode: '45A03',
            periodStart: '2023-04-01',
            periodEnd: '2023-04-30',
            volume: 4,
            unit: '04',
            tariffCents: 1250,
            amountCents: 5000,
            debitCredit: 'C',
          },
          {
            referenceNumber: 'RN002',
            bsn: BSN,
            previousReference: 'RT002',
            assignmentNumber: 10073,
            productCategory: '45',
            productCode: '45A04',
            periodStart: '2023-04-01',
            periodEnd: '2023-04-30',
            volume: 16,
            unit: '04',
            tariffCents: 1500,
            amountCents: 14000,
            debitCredit: 'C',
          },
          {
            referenceNumber: 'RN003',
            bsn: BSN2,
            previousReference: 'RT003',
            assignmentNumber: 10074,
            productCategory: '45',
            productCode: '45A03',
            periodStart: '2023-04-01',
            periodEnd: '2023-04-30',
            volume: 4,
            unit: '04',
            tariffCents: 1250,
            amountCents: 5000,
            debitCredit: 'C',
          },
        ],
      },
    ],
  }),
  // 9003 requested; 9004 in onderzoek; 9005 rejected; 9006 honoured by a JW301
  JW319: new MemoryHistory({
    requests: ['9003', '9004', '9005', '9006'].map((reference) => ({ providerAgb: PROVIDER, municipalityCode: MUNICIPALITY, reference, bsn: BSN })),
    answers: [
      { providerAgb: PROVIDER, municipalityCode: MUNICIPALITY, reference: '9004', answer: '2' },
      { providerAgb: PROVIDER, municipalityCode: MUNICIPALITY, reference: '9005', answer: '1' },
    ],
    allocationReferences: [{ providerAgb: PROVIDER, municipalityCode: MUNICIPALITY, reference: '9006' }],
  }),
  // 300201 started in March and stopped; 300203 started in March and running
  JW305: new MemoryHistory({
    allocations: REGIE_ALLOCATIONS,
    messages: [
      { type: 'JW305', senderCode: PROVIDER, identification: 'GEBRUIKT' },
      { type: 'JW307', senderCode: PROVIDER, identification: '123456789012' },
    ],
    startsStops: [
      rec('start', 300201, '55A11', '2026-03-01'),
      rec('stop', 300201, '55A11', '2026-03-01', { end: '2026-03-20', reason: '31' }),
      rec('start', 300203, '55A13', '2026-03-01'),
    ],
  }),
  // the starts the example stops; 300203 temporarily stopped (20), 300204 stopped for good (31)
  JW307: new MemoryHistory({
    allocations: REGIE_ALLOCATIONS,
    messages: [],
    startsStops: [
      rec('start', 300201, '55A11', '2026-04-03'),
      rec('start', 300202, '55A12', '2026-04-15'),
      rec('start', 300203, '55A13', '2026-03-01'),
      rec('stop', 300203, '55A13', '2026-03-01', { end: '2026-03-10', reason: '20' }),
      rec('start', 300204, '55A14', '2026-03-01'),
      rec('stop', 300204, '55A14', '2026-03-01', { end: '2026-03-20', reason: '31' }),
    ],
  }),
};

describe('every implemented rule: a case that passes and one that breaks it', () => {
  it('the clean bases break no rule, also with the history', async () => {
    for (const type of ['JW301', 'JW305', 'JW307', 'JW315', 'JW317', 'JW319', 'JW325'] as const) {
      expect(await codesOf(type, await base(type)), type).toEqual([]);
      if (MESSAGE_HISTORY[type]) expect(await codesOf(type, await base(type), { history: MESSAGE_HISTORY[type] }), `${type} with its history`).toEqual([]);
    }
    expect(await codesOf('JW323', declaration(), { history })).toEqual([]);
  });

  for (const k of CASES) {
    it(`${k.code} (${k.type})`, async () => {
      const opts = k.history === 'bericht' ? { history: MESSAGE_HISTORY[k.type as MessageType]! } : k.history ? { history } : {};
      const broken = await base(k.type);
      k.fail(broken);
      const found = await findingsOf(k.type, broken, opts);
      expect(
        found.map((f) => f.code),
        'breaking case',
      ).toContain(k.code);
      const f = found.find((x) => x.code === k.code)!;
      const rule = RULES.find((r) => r.code === k.code)!;
      expect(f.location).toMatch(/^\/Bericht\//);
      expect(f.layer).toBe(rule.layer);
      if (k.code !== 'OP368') expect(f.retourcode).toBe(rule.retourcode);
      const ok = await base(k.type);
      k.pass?.(ok);
      expect(await codesOf(k.type, ok, opts), 'passing case').not.toContain(k.code);
    });
  }

  it('docs/ijw-rules.md lists every implemented rule in its table', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/ijw-rules.md'), 'utf8');
    for (const r of RULES) expect(doc, r.code).toMatch(new RegExp(`^\\| ${r.code} \\| `, 'm'));
  });

  it('covers every rule in the registry', () => {
    const covered = new Set(CASES.map((k) => k.code));
    expect(RULES.map((r) => r.code).filter((code) => !covered.has(code))).toEqual([]);
  });
});

describe('details that matter', () => {
  it('TR101 also finds a Client twice in a declaration, once, at the second and naming both (as the stylesheet)', async () => {
    const m = declaration([
      { bsn: BSN, lines: [line('A1')] },
      { bsn: BSN2, lines: [line('A2')] },
      { bsn: BSN, lines: [line('A3')] },
    ]);
    const f = (await findingsOf('JW323', m)).filter((x) => x.code === 'TR101');
    expect(f).toEqual([
      expect.objectContaining({
        location: '/Bericht/Declaratie/Clienten/Client[3]',
        locations: ['/Bericht/Declaratie/Clienten/Client[3]', '/Bericht/Declaratie/Clienten/Client[1]'],
      }),
    ]);
  });

  it('TR101 names every occurrence of a BSN that comes three times, and reports the BSNs in the order they first came', async () => {
    const m = declaration([
      { bsn: BSN2, lines: [line('A1')] },
      { bsn: BSN, lines: [line('A2')] },
      { bsn: BSN, lines: [line('A3')] },
      { bsn: BSN2, lines: [line('A4')] },
      { bsn: BSN, lines: [line('A5')] },
    ]);
    const C = '/Bericht/Declaratie/Clienten/Client';
    const f = (await findingsOf('JW323', m)).filter((x) => x.code === 'TR101');
    expect(f.map((x) => x.locations)).toEqual([
      [`${C}[4]`, `${C}[1]`],
      [`${C}[5]`, `${C}[2]`, `${C}[3]`],
    ]);
    expect(f.map((x) => x.text)).toEqual(['Client komt 2 keer voor met hetzelfde BSN', 'Client komt 3 keer voor met hetzelfde BSN']);
  });

  it('TR315 and TR316 name the earlier line exactly, across clients (the line kept as a number, its XPath built for the finding)', async () => {
    const credit = (ref: string, vorig: string) =>
      line(ref, { ProductReferentie: { ReferentieNummer: ref, VorigReferentieNummer: vorig }, IngediendBedrag: { Bedrag: 5000, DebetCredit: 'C' } });
    const m = declaration([
      { bsn: BSN, lines: [line('A1'), credit('A2', 'OLD1')] },
      { bsn: BSN2, lines: [line('B1', { ToewijzingNummer: 10073 }), credit('B2', 'OLD1'), credit('B3', 'A1')] },
    ]);
    retotal(m);
    const C = '/Bericht/Declaratie/Clienten/Client';
    const f = await findingsOf('JW323', m);
    expect(f.filter((x) => x.code === 'TR315').map((x) => x.locations)).toEqual([
      [`${C}[1]/Prestaties/Prestatie[2]/ProductReferentie/VorigReferentieNummer`, `${C}[2]/Prestaties/Prestatie[2]/ProductReferentie/VorigReferentieNummer`],
    ]);
    expect(f.filter((x) => x.code === 'TR316').map((x) => x.locations)).toEqual([
      [`${C}[1]/Prestaties/Prestatie[1]/ProductReferentie/ReferentieNummer`, `${C}[2]/Prestaties/Prestatie[3]/ProductReferentie/VorigReferentieNummer`],
    ]);
  });

  it('a product period that ends before it starts is TR137 in a declaration (not CS003), naming both dates', async () => {
    const m = declaration();
    p323(m).ProductPeriode = { Begindatum: '2026-04-20', Einddatum: '2026-04-10' };
    const f = await findingsOf('JW323', m);
    const P = '/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/ProductPeriode';
    expect(f.map((x) => x.code)).toEqual(['TR137']);
    expect(f[0].locations).toEqual([`${P}/Begindatum`, `${P}/Einddatum`]);
  });

  it('a product period over two months is CS337 (the technical rule under OP367), naming both dates', async () => {
    const m = declaration();
    p323(m).ProductPeriode = { Begindatum: '2026-03-15', Einddatum: '2026-04-15' };
    const f = await findingsOf('JW323', m);
    expect(f).toEqual([
      expect.objectContaining({
        code: 'CS337',
        retourcode: '0001',
        locations: expect.arrayContaining([expect.stringMatching(/ProductPeriode\/Begindatum$/), expect.stringMatching(/ProductPeriode\/Einddatum$/)]),
      }),
    ]);
  });

  it('TR358 names the total and every IngediendBedrag, as the stylesheet does', async () => {
    const m = declaration();
    m.Declaratie.TotaalIngediendBedrag.TotaalBedrag += 1;
    const f = (await findingsOf('JW323', m)).find((x) => x.code === 'TR358')!;
    expect(f.locations).toEqual([
      '/Bericht/Declaratie/TotaalIngediendBedrag/DebetCredit',
      '/Bericht/Declaratie/TotaalIngediendBedrag/TotaalBedrag',
      '/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/IngediendBedrag',
      '/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[2]/IngediendBedrag',
    ]);
  });

  it('OP368 answers 9307 when the period starts before the allocation and 9308 when it ends after it', async () => {
    const before = declaration([{ bsn: BSN, lines: [line('A1', { ToewijzingNummer: 10081 })] }]);
    expect((await findingsOf('JW323', before, { history })).filter((f) => f.code === 'OP368')).toEqual([
      expect.objectContaining({ retourcode: '9307', location: '/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/ProductPeriode/Begindatum' }),
    ]);
    const after = declaration([{ bsn: BSN, lines: [line('A1', { ToewijzingNummer: 10082 })] }]);
    expect((await findingsOf('JW323', after, { history })).filter((f) => f.code === 'OP368')).toEqual([expect.objectContaining({ retourcode: '9308' })]);
  });

  it('TR322 is cumulative within the message: the line that crosses the allocation is the one reported', async () => {
    // 40 hours in total, 20 declared before: 3 × 8 hours in April, May is the third month → the third line crosses
    const lines = ['A', 'B', 'C'].map((r, i) =>
      line(r, {
        ToewijzingNummer: 10073,
        ProductCode: '45A04',
        GeleverdVolume: 8,
        ProductTarief: 1500,
        IngediendBedrag: { Bedrag: 12000, DebetCredit: 'D' },
        ProductPeriode: { Begindatum: `2026-0${i + 1}-01`, Einddatum: `2026-0${i + 1}-${['31', '28', '31'][i]}` },
      }),
    );
    const f = (await findingsOf('JW323', declaration([{ bsn: BSN, lines }]), { history })).filter((x) => x.code === 'TR322');
    expect(f.map((x) => x.location)).toEqual(['/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[3]/GeleverdVolume']);
  });

  it('a credit line makes room again (TR322)', async () => {
    const credit = line('K1', {
      ToewijzingNummer: 10073,
      ProductCode: '45A04',
      GeleverdVolume: 10,
      ProductTarief: 1500,
      IngediendBedrag: { Bedrag: 15000, DebetCredit: 'C' },
      ProductReferentie: { ReferentieNummer: 'K1', VorigReferentieNummer: 'OUD1' },
      ProductPeriode: { Begindatum: '2026-02-01', Einddatum: '2026-02-28' },
    });
    const debit = line('D1', {
      ToewijzingNummer: 10073,
      ProductCode: '45A04',
      GeleverdVolume: 25,
      ProductTarief: 1500,
      IngediendBedrag: { Bedrag: 37500, DebetCredit: 'D' },
    });
    expect(await codesOf('JW323', retotal(declaration([{ bsn: BSN, lines: [credit, debit] }])), { history })).not.toContain('TR322');
    expect(await codesOf('JW323', retotal(declaration([{ bsn: BSN, lines: [debit] }])), { history })).toContain('TR322');
  });

  it('history rules stay silent without a history, and run only with one', async () => {
    const m = declaration();
    p323(m).ToewijzingNummer = 99999;
    expect(await codesOf('JW323', m)).toEqual([]);
    expect(await codesOf('JW323', m, { history })).toEqual(['TR338']);
  });

  it('history look-ups are batched: one per batch of clients', async () => {
    let lookups = 0;
    const counting = {
      lookup: (req: Parameters<typeof history.lookup>[0]) => {
        lookups++;
        return history.lookup(req);
      },
    };
    const clients = Array.from({ length: 25 }, (_, i) => ({
      bsn: BSN,
      lines: [line(`R${i}`, { ProductPeriode: { Begindatum: '2026-04-01', Einddatum: '2026-04-30' } })],
    }));
    await findingsOf('JW323', declaration(clients), { history: counting, historyBatch: 10 });
    expect(lookups).toBe(3);
  });

  it('TR346 for minutes on an hourly tariff (IV081): amounts from some hourly tariff that rounds to ProductTarief', () => {
    // € 118,00 per hour = 196,67 ct per minute → 197; 45 minutes = 8850 ct
    expect(amountFitsMinuteTariff(45, 197, 8850)).toBe(true);
    expect(amountFitsMinuteTariff(45, 197, 45 * 197)).toBe(true);
    expect(amountFitsMinuteTariff(45, 197, 9000)).toBe(false);
    expect(amountFitsMinuteTariff(0, 197, 0)).toBe(true);
  });

  it("every finding names its rule text or a specific detail in Dutch, and the registry text is the standard's", () => {
    for (const r of RULES) {
      expect(r.text.length, r.code).toBeGreaterThan(10);
      expect(r.retourcode, r.code).toMatch(/^[0-9S]\d{3}$/);
      expect(r.messages.length, r.code).toBeGreaterThan(0);
    }
  });
});
