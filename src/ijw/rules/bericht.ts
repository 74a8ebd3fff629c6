// Layer "bericht": what one message shows on its own. Every rule of the official validation stylesheet
// (standards/ijw-3.2/xslt/alle_regels_JW_3.2.xsl: 61 CD, CS and TR rules) with the stylesheet's code and the
// elements it names (one location per element it names, the stylesheet's `Locatie`s). Each rule follows its
// template: the helpers in xslt.ts are the stylesheet's own tests (testvalue, checkafter, adjustDate …), so an odd
// case (a missing date, a complex element where a value is expected) is judged as the stylesheet judges it. The
// differential test (test/ijw/official.test.ts) holds Regiekamer to the stylesheet's verdict, rule for rule.
// Rejecting any of these rejects the file: return code 0001.
import type { MessageType } from '../schema.ts';
import { defineRule, type RuleContext, type RuleDef } from './types.ts';
import { Lines, Occurrences } from './compact.ts';
import { each, eachLine } from './walk.ts';
import { addDays, addMonths, after, afterStrict, dnum, has, periodOverlap, present, sameProduct, tv, txt, visit } from './xslt.ts';

const T = '0001'; // Bericht is afgekeurd om technische redenen

const HEADER_DAGTEKENING = '/Bericht/Header/BerichtIdentificatie/Dagtekening';
const ALL: MessageType[] = ['JW301', 'JW302', 'JW305', 'JW306', 'JW307', 'JW308', 'JW315', 'JW316', 'JW317', 'JW318', 'JW319', 'JW320', 'JW323', 'JW325'];
/** Messages small enough (one Client) to visit every element of: the rules that match an element anywhere. */
const SMALL: MessageType[] = ALL.filter((t) => t !== 'JW323' && t !== 'JW325');

/** Calls `fn` for every element named `name` in the head (at the end) and in every Client of a small message. */
function anywhere(_ctx: RuleContext, names: readonly string[], fn: (name: string, value: any, path: string, parent: any) => void) {
  const f = (n: string, v: any, p: string, parent: any) => {
    if (names.includes(n)) fn(n, v, p, parent);
  };
  return {
    client(c: any, at: { path: string }) {
      if (names.includes('Client')) f('Client', c, at.path, null);
      visit(c, at.path, f);
    },
    end(m: any) {
      // everything outside the Clients (the Clients were visited one by one)
      const rest: any = {};
      for (const k in m) if (k !== 'Client') rest[k] = m[k];
      visit(rest, '/Bericht', f);
    },
  };
}

// --- the allocated and requested products (JW301, JW315, JW317) ------------------------------------------------------
interface Prod {
  p: any;
  path: string;
  kind: 'ToegewezenProduct' | 'AangevraagdProduct' | 'TeWijzigenProduct' | 'NieuwProduct';
  end: unknown;
  endName: string;
}
function productsOf(type: MessageType, c: any, base: string): Prod[] {
  const out: Prod[] = [];
  if (type === 'JW301')
    each(c.ToegewezenProducten?.ToegewezenProduct, `${base}/ToegewezenProducten`, 'ToegewezenProduct', (p: any, path) =>
      out.push({ p, path, kind: 'ToegewezenProduct', end: p.Einddatum, endName: 'Einddatum' }),
    );
  if (type === 'JW315')
    each(c.AangevraagdeProducten?.AangevraagdProduct, `${base}/AangevraagdeProducten`, 'AangevraagdProduct', (p: any, path) =>
      out.push({ p, path, kind: 'AangevraagdProduct', end: p.ToewijzingEinddatum, endName: 'ToewijzingEinddatum' }),
    );
  if (type === 'JW317') {
    each(c.Verzoek?.TeWijzigenProducten?.TeWijzigenProduct, `${base}/Verzoek/TeWijzigenProducten`, 'TeWijzigenProduct', (p: any, path) =>
      out.push({ p, path, kind: 'TeWijzigenProduct', end: p.Einddatum, endName: 'Einddatum' }),
    );
    each(c.Verzoek?.NieuweProducten?.NieuwProduct, `${base}/Verzoek/NieuweProducten`, 'NieuwProduct', (p: any, path) =>
      out.push({ p, path, kind: 'NieuwProduct', end: p.Einddatum, endName: 'Einddatum' }),
    );
  }
  return out;
}
const PRODUCT_MESSAGES = ['JW301', 'JW315', 'JW317'] as const;
/** The product is open or ends after 2020 (the condition of CD080, CD095, CD096, CS338, CS343). */
const after2020 = (x: Prod) => !has(x.end) || dnum(x.end) > 20201231;

// --- CD: conditions ---------------------------------------------------------------------------------------------------
const cd005 = defineRule({
  code: 'CD005',
  retourcode: T,
  layer: 'bericht',
  messages: SMALL,
  text: 'Als Postcode gevuld is, dan verplicht vullen, anders leeg laten.',
  note: 'Geldt voor LandCode in een Adres: Postcode en LandCode zijn samen gevuld of samen leeg.',
  start: (ctx) =>
    anywhere(ctx, ['Adres'], (_n, a, path) => {
      if (!a || typeof a !== 'object') return;
      if (!tv(a.Postcode, '') && tv(a.LandCode, '')) ctx.report([`${path}/Postcode`, ...present([a.LandCode, `${path}/LandCode`])], 'Postcode zonder LandCode');
      if (!tv(a.LandCode, '') && tv(a.Postcode, '')) ctx.report([`${path}/LandCode`, ...present([a.Postcode, `${path}/Postcode`])], 'LandCode zonder Postcode');
    }),
});

const cd007 = defineRule({
  code: 'CD007',
  retourcode: T,
  layer: 'bericht',
  messages: SMALL,
  text: 'Als Communicatie / Vorm de waarde 1 (tolk taal) heeft, dan verplicht vullen, anders leeglaten.',
  note: 'Geldt voor Communicatie / Taal.',
  start: (ctx) =>
    anywhere(ctx, ['Communicatie'], (_n, k, path) => {
      if (!k || typeof k !== 'object') return;
      if (tv(k.Taal, '*') !== tv(k.Vorm, '1'))
        ctx.report(present([k.Taal, `${path}/Taal`], [k.Vorm, `${path}/Vorm`]), tv(k.Vorm, '1') ? 'tolk taal zonder Taal' : 'Taal ingevuld zonder tolk taal');
    }),
});

const cd009 = defineRule({
  code: 'CD009',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301'],
  text: 'Alleen als Soort adres de waarde 04 (tijdelijk adres) heeft, is vullen toegestaan.',
  note: 'Geldt voor Contact / Periode.',
  start: (ctx) =>
    anywhere(ctx, ['Contact'], (_n, k, path) => {
      if (k?.Periode !== undefined && !tv(k.Soort, '04'))
        ctx.report([`${path}/Periode`, ...present([k.Soort, `${path}/Soort`])], `periode bij adressoort ${txt(k.Soort)}`);
    }),
});

const cd025 = defineRule({
  code: 'CD025',
  retourcode: T,
  layer: 'bericht',
  messages: SMALL,
  text: 'Als Adres / LandCode de waarde NL (Nederland) heeft, dan verplicht vullen.',
  note: 'Geldt voor Huis / Huisnummer.',
  start: (ctx) =>
    anywhere(ctx, ['Adres'], (_n, a, path) => {
      if (a && typeof a === 'object' && has(a.LandCode) && tv(a.LandCode, 'NL') && !tv(a.Huis?.Huisnummer, '*'))
        ctx.report([`${path}/LandCode`, ...present([a.Huis?.Huisnummer, `${path}/Huis/Huisnummer`])], 'Nederlands adres zonder huisnummer');
    }),
});

const cd034 = defineRule({
  code: 'CD034',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301'],
  text: 'Als Soort adres de waarde 1 (BRP-adres) of 3 (verblijfadres) heeft, dan verplicht vullen.',
  note: 'Geldt voor de Postcode van het Adres van een Contact.',
  start: (ctx) =>
    anywhere(ctx, ['Contact'], (_n, k, path) => {
      if (k && typeof k === 'object' && tv(k.Soort, '01,03') && !tv(k.Adres?.Postcode, '*'))
        ctx.report(present([k.Soort, `${path}/Soort`], [k.Adres?.Postcode, `${path}/Adres/Postcode`]), `adressoort ${txt(k.Soort)} zonder postcode`);
    }),
});

const cd041 = defineRule({
  code: 'CD041',
  retourcode: T,
  layer: 'bericht',
  messages: [...PRODUCT_MESSAGES],
  text: 'Indien Code in Product gevuld is, verplicht vullen.',
  note: 'Geldt voor Omvang.',
  start: (ctx) => ({
    client(c, at) {
      for (const x of productsOf(ctx.type, c, at.path)) {
        if (x.kind === 'TeWijzigenProduct') continue;
        if (tv(x.p.Product?.Code, '*') && !has(x.p.Omvang)) ctx.report([`${x.path}/Product/Code`], `Omvang ontbreekt bij productcode ${txt(x.p.Product.Code)}`);
      }
    },
  }),
});

const cd043 = defineRule({
  code: 'CD043',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW315'],
  text: 'Indien Beschikkingnummer gevuld is, verplicht vullen, anders leeg laten.',
  note: 'Geldt voor BeschikkingIngangsdatum.',
  start: (ctx) => ({
    client(c, at) {
      for (const x of productsOf(ctx.type, c, at.path)) {
        const a = x.p;
        if (tv(a.BeschikkingNummer, '*') !== tv(a.BeschikkingIngangsdatum, '*'))
          ctx.report(
            present([a.BeschikkingNummer, `${x.path}/BeschikkingNummer`], [a.BeschikkingIngangsdatum, `${x.path}/BeschikkingIngangsdatum`]),
            tv(a.BeschikkingNummer, '*') ? 'BeschikkingIngangsdatum ontbreekt bij een beschikkingnummer' : 'BeschikkingIngangsdatum zonder beschikkingnummer',
          );
      }
    },
  }),
});

const cd060 = defineRule({
  code: 'CD060',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323', 'JW325'],
  text: 'Verplicht vullen indien DebetCredit bij het ingediende bedrag de waarde C (credit) heeft, anders leeg laten.',
  note: 'Geldt voor VorigReferentieNummer in ProductReferentie.',
  start: (ctx) => {
    const line = (p: any, path: string) => {
      const dc = p.IngediendBedrag?.DebetCredit,
        vorig = p.ProductReferentie?.VorigReferentieNummer;
      if (tv(dc, 'C') !== tv(vorig, '*'))
        ctx.report(
          present([dc, `${path}/IngediendBedrag/DebetCredit`], [vorig, `${path}/ProductReferentie/VorigReferentieNummer`]),
          tv(dc, 'C') ? 'creditregel zonder VorigReferentieNummer' : 'VorigReferentieNummer bij een debetregel',
        );
    };
    return {
      client(c: any, at) {
        eachLine(c, at, line);
      },
    };
  },
});

const verwijzers = (c: any, base: string) => {
  const out: { v: any; path: string }[] = [];
  each(c.AangevraagdeProducten?.AangevraagdProduct, `${base}/AangevraagdeProducten`, 'AangevraagdProduct', (a: any, path) => {
    if (a.Verwijzer) out.push({ v: a.Verwijzer, path: `${path}/Verwijzer` });
  });
  return out;
};
const WITH_CODE = '02,03,04,05';
const verwijzerLocs = (v: any, path: string) => present([v.ZorgverlenerCode, `${path}/ZorgverlenerCode`], [v.Naam, `${path}/Naam`], [v.Type, `${path}/Type`]);

const cd066 = defineRule({
  code: 'CD066',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW315'],
  text: 'Als type verwijzer gelijk is aan 02, 03, 04 of 05 en ZorgverlenerCode is gevuld, dan is Naamverwijzer leeg.',
  start: (ctx) => ({
    client(c, at) {
      for (const { v, path } of verwijzers(c, at.path))
        if (tv(v.Type, WITH_CODE) && tv(v.ZorgverlenerCode, '*') && !tv(v.Naam, ''))
          ctx.report(verwijzerLocs(v, path), 'naam verwijzer naast een zorgverlenercode');
    },
  }),
});

const cd067 = defineRule({
  code: 'CD067',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW315'],
  text: 'Als type verwijzer gelijk is aan 02, 03, 04 of 05 en ZorgverlenerCode is leeg, dan is Naamverwijzer gevuld.',
  start: (ctx) => ({
    client(c, at) {
      for (const { v, path } of verwijzers(c, at.path))
        if (tv(v.Type, WITH_CODE) && tv(v.ZorgverlenerCode, '') && !tv(v.Naam, '*'))
          ctx.report(verwijzerLocs(v, path), 'naam verwijzer ontbreekt (geen zorgverlenercode)');
    },
  }),
});

const cd068 = defineRule({
  code: 'CD068',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW315'],
  text: 'Als type verwijzer ongelijk is aan 02, 03, 04 of 05, dan is ZorgverlenerCode leeg.',
  start: (ctx) => ({
    client(c, at) {
      for (const { v, path } of verwijzers(c, at.path))
        if (tv(v.Type, `!${WITH_CODE}`) && !tv(v.ZorgverlenerCode, ''))
          ctx.report(present([v.Type, `${path}/Type`], [v.ZorgverlenerCode, `${path}/ZorgverlenerCode`]), `zorgverlenercode bij verwijzertype ${txt(v.Type)}`);
    },
  }),
});

const cd075 = defineRule({
  code: 'CD075',
  retourcode: T,
  layer: 'bericht',
  messages: [...PRODUCT_MESSAGES],
  text: 'Verplicht vullen indien Budget gevuld is.',
  note: 'Geldt voor de einddatum van het product.',
  start: (ctx) => ({
    client(c, at) {
      for (const x of productsOf(ctx.type, c, at.path))
        if (tv(x.p.Budget, '*') && !tv(x.end, '*'))
          ctx.report([`${x.path}/Budget`, ...present([x.end, `${x.path}/${x.endName}`])], `${x.endName} ontbreekt bij een budget`);
    },
  }),
});

const cd076 = defineRule({
  code: 'CD076',
  retourcode: T,
  layer: 'bericht',
  messages: [...PRODUCT_MESSAGES],
  text: 'Verplicht vullen indien Frequentie waarde 2 (per week).',
  note: 'Geldt voor de einddatum van het product.',
  start: (ctx) => ({
    client(c, at) {
      for (const x of productsOf(ctx.type, c, at.path))
        if (has(x.p.Omvang?.Frequentie) && tv(x.p.Omvang.Frequentie, '2') && !tv(x.end, '*'))
          ctx.report([`${x.path}/Omvang/Frequentie`, ...present([x.end, `${x.path}/${x.endName}`])], `${x.endName} ontbreekt bij frequentie per week`);
    },
  }),
});

const cd077 = defineRule({
  code: 'CD077',
  retourcode: T,
  layer: 'bericht',
  messages: [...PRODUCT_MESSAGES],
  text: 'Indien Budget gevuld is, dan leeg laten.',
  note: 'Geldt voor Omvang.',
  start: (ctx) => ({
    client(c, at) {
      for (const x of productsOf(ctx.type, c, at.path))
        if (has(x.p.Budget) && tv(x.p.Budget, '*') && has(x.p.Omvang))
          ctx.report([`${x.path}/Budget`, `${x.path}/Omvang`], 'Omvang en Budget zijn allebei gevuld');
    },
  }),
});

const cd078 = defineRule({
  code: 'CD078',
  retourcode: T,
  layer: 'bericht',
  messages: [...PRODUCT_MESSAGES],
  text: 'Indien Omvang gevuld is, dan leeg laten.',
  note: 'Geldt voor Budget. Dezelfde situatie als CD077 van de andere kant; de stylesheet meldt ze allebei.',
  start: (ctx) => ({
    client(c, at) {
      for (const x of productsOf(ctx.type, c, at.path))
        if (has(x.p.Omvang) && has(x.p.Budget)) ctx.report([`${x.path}/Omvang`, `${x.path}/Budget`], 'Budget en Omvang zijn allebei gevuld');
    },
  }),
});

const cd079 = defineRule({
  code: 'CD079',
  retourcode: T,
  layer: 'bericht',
  messages: [...PRODUCT_MESSAGES],
  text: 'Indien Budget leeg is, dan verplicht vullen.',
  note: 'Geldt voor Product (niet in TeWijzigenProduct, dat geen Product heeft).',
  start: (ctx) => ({
    client(c, at) {
      for (const x of productsOf(ctx.type, c, at.path)) {
        if (x.kind === 'TeWijzigenProduct') continue;
        if (tv(x.p.Budget, '') && !has(x.p.Product))
          ctx.report([...present([x.p.Budget, `${x.path}/Budget`]), x.path], 'Product ontbreekt terwijl er geen budget is');
      }
    },
  }),
});

/** CD080 (JW301), CD095 (JW315) and CD096 (JW317): one condition, three codes in the standard. */
const omvangZonderCode = (code: string, type: 'JW301' | 'JW315' | 'JW317') =>
  defineRule({
    code,
    retourcode: T,
    layer: 'bericht',
    messages: [type],
    text:
      type === 'JW315'
        ? 'Indien Code in AangevraagdProduct leeg is en ToewijzingEinddatum van het AangevraagdProduct groter dan 31-12-2020 of leeg is, dan leeg laten'
        : type === 'JW317'
          ? 'Indien Code in NieuwProduct leeg is en Einddatum groter dan 31-12-2020 of leeg is, dan leeg laten'
          : 'Indien Code in Product leeg is en Einddatum van het ToegewezenProduct groter dan 31-12-2020 of leeg is, dan leeg laten',
    note: 'Geldt voor Omvang.',
    start: (ctx) => ({
      client(c, at) {
        for (const x of productsOf(ctx.type, c, at.path)) {
          if (x.kind === 'TeWijzigenProduct' || !has(x.p.Omvang) || !after2020(x) || tv(x.p.Product?.Code, '*')) continue;
          ctx.report(
            [`${x.path}/Omvang`, ...present([x.p.Product?.Code, `${x.path}/Product/Code`], [x.end, `${x.path}/${x.endName}`])],
            'Omvang bij een toewijzing zonder productcode',
          );
        }
      },
    }),
  });
const cd080 = omvangZonderCode('CD080', 'JW301');
const cd095 = omvangZonderCode('CD095', 'JW315');
const cd096 = omvangZonderCode('CD096', 'JW317');

const antwoordOf = (m: any) => m.Antwoord;
const cd085 = defineRule({
  code: 'CD085',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW319'],
  text: 'Als VerzoekAntwoord de waarde 1 (Verzoek afgewezen) heeft, dan vullen.',
  note: 'Geldt voor RedenAfwijzingVerzoek.',
  start: (ctx) => ({
    end(m) {
      const a = antwoordOf(m);
      if (has(a?.VerzoekAntwoord) && tv(a.VerzoekAntwoord, '1') && !tv(a.RedenAfwijzingVerzoek, '*'))
        ctx.report(
          ['/Bericht/Antwoord/VerzoekAntwoord', ...present([a.RedenAfwijzingVerzoek, '/Bericht/Antwoord/RedenAfwijzingVerzoek'])],
          'verzoek afgewezen zonder RedenAfwijzingVerzoek',
        );
    },
  }),
});

const cd086 = defineRule({
  code: 'CD086',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW319'],
  text: 'Als VerzoekAntwoord de waarde 2 (Aanvraag in onderzoek) heeft, dan leeg laten.',
  note: 'Geldt voor RedenAfwijzingVerzoek.',
  start: (ctx) => ({
    end(m) {
      const a = antwoordOf(m);
      if (has(a?.VerzoekAntwoord) && tv(a.VerzoekAntwoord, '2') && !tv(a.RedenAfwijzingVerzoek, ''))
        ctx.report(['/Bericht/Antwoord/VerzoekAntwoord', '/Bericht/Antwoord/RedenAfwijzingVerzoek'], 'RedenAfwijzingVerzoek bij een aanvraag in onderzoek');
    },
  }),
});

const cd087 = defineRule({
  code: 'CD087',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'Als eenheid ongelijk is aan 83 (euro’s) dan verplicht vullen, anders leeg laten.',
  note: 'Geldt voor ProductTarief.',
  start: (ctx) => {
    const line = (p: any, path: string) => {
      if (!has(p.Eenheid)) return;
      if (tv(p.Eenheid, '!83') !== tv(p.ProductTarief, '*'))
        ctx.report(
          [`${path}/Eenheid`, ...present([p.ProductTarief, `${path}/ProductTarief`])],
          tv(p.Eenheid, '!83') ? `ProductTarief ontbreekt (eenheid ${txt(p.Eenheid)})` : "ProductTarief bij eenheid euro's",
        );
    };
    return {
      client(c, at) {
        eachLine(c, at, line);
      },
    };
  },
});

// --- CS: constraints ------------------------------------------------------------------------------------------------
/** The stylesheet's check11proef on number(text()): 9·d8 + 8·d7 + … + 2·d1 − d0 divisible by 11. */
function elfproef(v: unknown): boolean {
  const n = txt(v) === '' ? NaN : Number(txt(v));
  if (Number.isNaN(n)) return false; // NaN digits: the sum is NaN and NaN mod 11 != 0 is true → a finding
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const d = Math.floor(n / 10 ** i) % 10;
    sum += i === 0 ? -d : (i + 1) * d;
  }
  return sum % 11 === 0;
}

const cs002 = defineRule({
  code: 'CS002',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301', 'JW302', 'JW305', 'JW306', 'JW307', 'JW308', 'JW315', 'JW316', 'JW317', 'JW318', 'JW319', 'JW320', 'JW323', 'JW325'],
  text: 'De waarde moet voldoen aan de 11-proef.',
  note: 'Geldt voor ieder element Bsn.',
  start: (ctx) => {
    const check = (v: unknown, path: string) => {
      if (has(v) && !elfproef(v)) ctx.report(path, `BSN ${txt(v)} voldoet niet aan de elfproef`);
    };
    if (ctx.type === 'JW323' || ctx.type === 'JW325')
      return {
        client(c: any, at) {
          check(c.Bsn, `${at.path}/Bsn`);
        },
      };
    return anywhere(ctx, ['Bsn'], (_n, v, path) => check(v, path));
  },
});

/** CS003: an end date not before its start date, where the stylesheet checks it (JW301, JW315, JW317). */
const cs003 = defineRule({
  code: 'CS003',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301', 'JW315', 'JW317'],
  text: 'Indien van toepassing vullen met een waarde die groter is dan, of gelijk is aan de Begindatum (of Ingangsdatum) van de aangeduide periode.',
  note: 'In een declaratie (JW323, JW325) is dat TR137, in een stopbericht (JW307) TR018.',
  start: (ctx) => {
    const check = (end: unknown, start: unknown, base: string, endName: string, startName: string) => {
      if (!has(end) || !after(end, start)) return;
      ctx.report(
        [`${base}/${endName}`, ...present([start, `${base}/${startName}`])],
        has(start) ? `${endName} ${txt(end)} ligt voor ${startName} ${txt(start)}` : `${endName} zonder ${startName}`,
      );
    };
    return {
      client(c: any, at) {
        if (ctx.type === 'JW301') {
          anywhere(ctx, ['Contact'], (_n, k, path) => {
            if (k?.Periode) check(k.Periode.Einddatum, k.Periode.Begindatum, `${path}/Periode`, 'Einddatum', 'Begindatum');
          }).client(c, at);
          anywhere(ctx, ['Beschikking'], (_n, b, path) => {
            if (b && typeof b === 'object') check(b.Einddatum, b.Ingangsdatum, path, 'Einddatum', 'Ingangsdatum');
          }).client(c, at);
        }
        for (const x of productsOf(ctx.type, c, at.path)) {
          if (x.kind === 'ToegewezenProduct') check(x.p.Einddatum, x.p.Ingangsdatum, x.path, 'Einddatum', 'Ingangsdatum');
          else if (x.kind === 'AangevraagdProduct')
            check(x.p.ToewijzingEinddatum, x.p.ToewijzingIngangsdatum, x.path, 'ToewijzingEinddatum', 'ToewijzingIngangsdatum');
          else check(x.p.Einddatum, x.p.GewensteIngangsdatum, x.path, 'Einddatum', 'GewensteIngangsdatum');
        }
      },
    };
  },
});

const cs050 = defineRule({
  code: 'CS050',
  retourcode: T,
  layer: 'bericht',
  messages: SMALL,
  text: 'Als Partnernaam gevuld is, dan NaamGebruik vullen met waarde 1, 2, 3 of 4. Anders waarde 1 of 6 vullen.',
  start: (ctx) =>
    anywhere(ctx, ['NaamGebruik'], (_n, v, path, parent) => {
      const base = path.slice(0, path.lastIndexOf('/'));
      if (has(parent.Partnernaam) && !tv(v, '1,2,3,4')) ctx.report([`${base}/Partnernaam`, path], `NaamGebruik ${txt(v)} met partnernaam`);
      if (!has(parent.Partnernaam) && !tv(v, '1,6')) ctx.report([path], `NaamGebruik ${txt(v)} zonder partnernaam`);
    }),
});

const cs058 = defineRule({
  code: 'CS058',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW305', 'JW307'],
  text: '1 (eerste aanlevering) of 3 (verwijderen aanlevering) vullen.',
  note: 'Geldt voor StatusAanlevering.',
  start: (ctx) => ({
    client(c: any, at) {
      const [wrap, item] = ctx.type === 'JW305' ? ['StartProducten', 'StartProduct'] : ['StopProducten', 'StopProduct'];
      each(c[wrap]?.[item], `${at.path}/${wrap}`, item, (s: any, path) => {
        if (has(s.StatusAanlevering) && !tv(s.StatusAanlevering, '1,3'))
          ctx.report(`${path}/StatusAanlevering`, `StatusAanlevering ${txt(s.StatusAanlevering)}`);
      });
    },
  }),
});

const cs089 = defineRule({
  code: 'CS089',
  retourcode: T,
  layer: 'bericht',
  messages: SMALL,
  text: 'Als LandCode de waarde NL (Nederland) heeft, dan moet het formaat overeenkomen met dat van een Nederlandse postcode.',
  start: (ctx) =>
    anywhere(ctx, ['Adres'], (_n, a, path) => {
      if (a && typeof a === 'object' && has(a.LandCode) && tv(a.LandCode, 'NL') && !tv(a.Postcode, '#1000ZZ'))
        ctx.report(
          [`${path}/LandCode`, ...present([a.Postcode, `${path}/Postcode`])],
          has(a.Postcode) ? `'${txt(a.Postcode)}' is geen Nederlandse postcode (1234AB)` : 'Nederlands adres zonder postcode',
        );
    }),
});

const cs100 = defineRule({
  code: 'CS100',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'Vullen met een datum die groter dan of gelijk is aan 01-01-2021.',
  start: (ctx) => {
    const line = (p: any, path: string) => {
      const b = p.ProductPeriode?.Begindatum;
      if (has(b) && dnum(b) < 20210101) ctx.report(`${path}/ProductPeriode/Begindatum`, `productperiode begint op ${txt(b)}`);
    };
    return {
      head(m: any) {
        const b = m.Declaratie?.DeclaratiePeriode?.Begindatum;
        if (has(b) && dnum(b) < 20210101) ctx.report('/Bericht/Declaratie/DeclaratiePeriode/Begindatum', `declaratieperiode begint op ${txt(b)}`);
      },
      client(c, at) {
        eachLine(c, at, line);
      },
    };
  },
});

const cs139 = defineRule({
  code: 'CS139',
  retourcode: T,
  layer: 'bericht',
  messages: SMALL,
  text: 'Voor Geboortedatum geldt dat DatumGebruik en Datum met elkaar in overeenstemming moeten zijn.',
  note: 'Onbekende delen worden met 01 gevuld: DatumGebruik 1 → dag 01; 2 → 01-01; 3 → 1900-01-01 (COD170, TR002).',
  start: (ctx) =>
    anywhere(ctx, ['Geboortedatum'], (_n, g, path) => {
      if (!g || typeof g !== 'object' || !has(g.Datum) || !has(g.DatumGebruik)) return;
      const d = txt(g.Datum),
        u = txt(g.DatumGebruik);
      const after1 = d.includes('-') ? d.slice(d.indexOf('-') + 1) : '';
      const after2 = after1.includes('-') ? after1.slice(after1.indexOf('-') + 1) : '';
      const bad = u === '3' ? d !== '1900-01-01' : u === '2' ? after1 !== '01-01' : u === '1' ? after2 !== '01' : false;
      if (bad) ctx.report([`${path}/Datum`, `${path}/DatumGebruik`], `datum ${d} past niet bij DatumGebruik ${u}`);
    }),
});

const cs318 = defineRule({
  code: 'CS318',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301'],
  text: 'NaamGebruik 6 (Niet-natuurlijk persoon) niet vullen.',
  note: 'Geldt voor de naam van de Client.',
  start: (ctx) => ({
    client(c: any, at) {
      if (has(c.Naam?.NaamGebruik) && tv(c.Naam.NaamGebruik, '6')) ctx.report(`${at.path}/Naam/NaamGebruik`, 'NaamGebruik 6 bij de cliënt');
    },
  }),
});

const cs325 = defineRule({
  code: 'CS325',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323', 'JW325'],
  text: 'Indien (Totaal)Bedrag de waarde 0 heeft, dan DebetCredit vullen met D (Debet).',
  start: (ctx) => {
    // the element's path is `${base}${suffix}`: made only for a finding (for a line: its path and '/IngediendBedrag')
    const check = (b: any, base: string, suffix: string, amountName: 'TotaalBedrag' | 'Bedrag') => {
      if (!b || typeof b !== 'object') return;
      const amount = b[amountName];
      if (has(amount) && Number(txt(amount)) === 0 && txt(amount) !== '' && (txt(b.DebetCredit) === 'C' || txt(b.DebetCredit) === 'c'))
        ctx.report([`${base}${suffix}/${amountName}`, `${base}${suffix}/DebetCredit`], 'bedrag 0 met Credit');
    };
    const line = (p: any, path: string) => check(p.IngediendBedrag, path, '/IngediendBedrag', 'Bedrag');
    return {
      end(m: any) {
        if (ctx.type === 'JW323') check(m.Declaratie?.TotaalIngediendBedrag, '/Bericht/Declaratie/TotaalIngediendBedrag', '', 'TotaalBedrag');
        else {
          check(m.DeclaratieAntwoord?.TotaalIngediendBedrag, '/Bericht/DeclaratieAntwoord/TotaalIngediendBedrag', '', 'TotaalBedrag');
          check(m.DeclaratieAntwoord?.TotaalToegekendBedrag, '/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag', '', 'TotaalBedrag');
        }
      },
      client(c: any, at) {
        eachLine(c, at, line);
      },
    };
  },
});

const cs335 = defineRule({
  code: 'CS335',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301'],
  text: 'RedenWijziging 13 (verwijderd) mag alleen gebruikt worden indien de ingangsdatum gelijk is aan de einddatum.',
  start: (ctx) => ({
    client(c, at) {
      each(c.ToegewezenProducten?.ToegewezenProduct, `${at.path}/ToegewezenProducten`, 'ToegewezenProduct', (t: any, path) => {
        if (String(t.RedenWijziging ?? '') === '13' && has(t.Ingangsdatum) && has(t.Einddatum) && String(t.Ingangsdatum) !== String(t.Einddatum))
          ctx.report([`${path}/Ingangsdatum`, `${path}/Einddatum`], 'verwijderd (13) terwijl einddatum en ingangsdatum verschillen');
      });
    },
  }),
});

const cs336 = defineRule({
  code: 'CS336',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301'],
  text: '01 (Administratieve correctie (vervallen)) niet gebruiken.',
  start: (ctx) => ({
    client(c, at) {
      each(c.ToegewezenProducten?.ToegewezenProduct, `${at.path}/ToegewezenProducten`, 'ToegewezenProduct', (t: any, path) => {
        if (has(t.RedenWijziging) && tv(t.RedenWijziging, '01')) ctx.report(`${path}/RedenWijziging`, 'RedenWijziging 01 is vervallen');
      });
    },
  }),
});

/** Four characters, '-', two characters (none of them '-'): the six digits are at YEAR_MONTH. */
const yearMonthFirst = (t: string) => t.length >= 7 && t.indexOf('-') === 4 && t.charCodeAt(5) !== 45 && t.charCodeAt(6) !== 45;
const YEAR_MONTH = [0, 1, 2, 3, 5, 6];
/** CS337's test: the first six digits of the two dates (translate(., '-', '')) are the same. */
export function sameMonth(b: string, e: string): boolean {
  // the usual YYYY-MM-… by characters, without new strings (this runs for every line)
  if (yearMonthFirst(b) && yearMonthFirst(e)) {
    for (let k = 0; k < YEAR_MONTH.length; k++) if (b.charCodeAt(YEAR_MONTH[k]) !== e.charCodeAt(YEAR_MONTH[k])) return false;
    return true;
  }
  const yb = b.replace(/-/g, ''),
    ye = e.replace(/-/g, '');
  return yb.slice(0, 4) === ye.slice(0, 4) && yb.slice(4, 6) === ye.slice(4, 6);
}

const cs337 = defineRule({
  code: 'CS337',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'Einddatum in de ProductPeriode vullen met een datum die valt in dezelfde kalendermaand en jaar als de Begindatum van de ProductPeriode',
  note: 'Dit is de technische regel onder bedrijfsregel OP367 (een productperiode valt altijd binnen een kalendermaand).',
  start: (ctx) => {
    const line = (p: any, path: string) => {
      const b = p.ProductPeriode?.Begindatum,
        e = p.ProductPeriode?.Einddatum;
      if (!has(b) || !has(e) || !sameMonth(txt(b), txt(e))) {
        ctx.report(
          present([b, `${path}/ProductPeriode/Begindatum`], [e, `${path}/ProductPeriode/Einddatum`]),
          `productperiode ${txt(b)} t/m ${txt(e)} loopt over meer dan één kalendermaand`,
        );
      }
    };
    return {
      client(c, at) {
        eachLine(c, at, line);
      },
    };
  },
});

/** CS338 (JW301, JW317) and CS343 (JW315, with ToewijzingEinddatum): one constraint, two codes in the standard. */
const frequentieBijEenheid = (code: string, messages: ('JW301' | 'JW315' | 'JW317')[]) =>
  defineRule({
    code,
    retourcode: T,
    layer: 'bericht',
    messages,
    text:
      code === 'CS343'
        ? 'Indien eenheid de waarde 14, 16, 83 of 84 heeft en ToewijzingEinddatum is groter dan 31-12-2020 of leeg, dan Frequentie vullen met waarde 2, 4 of 6'
        : 'Indien eenheid de waarde 14, 16, 83 of 84 heeft en Einddatum groter dan 31-12-2020 of leeg is, dan Frequentie vullen met de waarde 2 , 4 of 6',
    start: (ctx) => ({
      client(c, at) {
        for (const x of productsOf(ctx.type, c, at.path)) {
          const o = x.p.Omvang;
          if (!o || typeof o !== 'object' || !has(o.Eenheid) || !after2020(x)) continue;
          if (tv(o.Eenheid, '14,16,83,84') && !tv(o.Frequentie, '2,4,6'))
            ctx.report(
              [`${x.path}/Omvang/Eenheid`, ...present([o.Frequentie, `${x.path}/Omvang/Frequentie`], [x.end, `${x.path}/${x.endName}`])],
              `frequentie ${txt(o.Frequentie)} bij eenheid ${txt(o.Eenheid)}`,
            );
        }
      },
    }),
  });
const cs338 = frequentieBijEenheid('CS338', ['JW301', 'JW317']);
const cs343 = frequentieBijEenheid('CS343', ['JW315']);

const cs339 = defineRule({
  code: 'CS339',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'Indien Eenheid de waarde 83 (euro’s) heeft, moet IngediendBedrag gelijk zijn aan GeleverdVolume.',
  start: (ctx) => {
    const line = (p: any, path: string) => {
      const bedrag = p.IngediendBedrag?.Bedrag;
      if (String(p.Eenheid ?? '') !== '83' || !has(p.GeleverdVolume) || !has(bedrag)) return;
      const a = Number(txt(p.GeleverdVolume)),
        b = Number(txt(bedrag));
      if (a < b || b < a)
        ctx.report(
          [`${path}/GeleverdVolume`, `${path}/IngediendBedrag/Bedrag`],
          `bedrag ${txt(bedrag)} ≠ geleverd volume ${txt(p.GeleverdVolume)} (eenheid euro's)`,
        );
    };
    return {
      client(c, at) {
        eachLine(c, at, line);
      },
    };
  },
});

const cs340 = defineRule({
  code: 'CS340',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'De periode is exact gelijk aan 1 hele kalendermaand.',
  note: 'Geldt voor DeclaratiePeriode: Begindatum is de eerste van een maand en Einddatum + 1 dag is Begindatum + 1 maand.',
  start: (ctx) => ({
    head(m: any) {
      const per = m.Declaratie?.DeclaratiePeriode;
      if (!per || typeof per !== 'object') return;
      const b = txt(per.Begindatum),
        e = txt(per.Einddatum);
      const day = b.includes('-') && b.slice(b.indexOf('-') + 1).includes('-') ? b.slice(b.indexOf('-', b.indexOf('-') + 1) + 1) : '';
      const base = '/Bericht/Declaratie/DeclaratiePeriode';
      if (day !== '01') ctx.report(present([per.Begindatum, `${base}/Begindatum`]), `declaratieperiode begint op ${b}, niet op de eerste van de maand`);
      const v1 = e === '' ? '' : String(addDays(e, 1)),
        v2 = String(addMonths(b, 1));
      if (v1 !== v2)
        ctx.report(
          present([per.Begindatum, `${base}/Begindatum`], [per.Einddatum, `${base}/Einddatum`]),
          `declaratieperiode ${b} t/m ${e} is geen hele kalendermaand`,
        );
    },
  }),
});

// --- TR: technical rules ---------------------------------------------------------------------------------------------
const tr002 = defineRule({
  code: 'TR002',
  retourcode: T,
  layer: 'bericht',
  messages: SMALL,
  text: 'Geboortedatum mag niet meer dan 120 jaar voor de Dagtekening liggen, tenzij Geboortedatum onbekend is.',
  start: (ctx) => {
    let dag: unknown;
    const inner = anywhere(ctx, ['Geboortedatum'], (_n, g, path) => {
      if (!g || typeof g !== 'object' || !has(g.Datum)) return;
      if (txt(g.DatumGebruik) === '3' && txt(g.Datum) === '1900-01-01') return;
      if (dnum(g.Datum) + 120 * 10000 < dnum(dag))
        ctx.report([`${path}/Datum`, ...present([dag, HEADER_DAGTEKENING])], `geboortedatum ${txt(g.Datum)} ligt meer dan 120 jaar voor de dagtekening`);
    });
    return {
      head(m: any) {
        dag = m.Header?.BerichtIdentificatie?.Dagtekening;
      },
      client: inner.client,
      end: inner.end,
    };
  },
});

const tr006 = defineRule({
  code: 'TR006',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301'],
  text: 'De berichtklasse Contact moet een berichtelement Telefoon, en/of de combinatie Huis en Postcode bevatten.',
  start: (ctx) =>
    anywhere(ctx, ['Contact'], (_n, k, path) => {
      if (!k || typeof k !== 'object' || has(k.Telefoon)) return;
      if (!has(k.Adres?.Huis) || !has(k.Adres?.Postcode)) ctx.report([path], 'Contact zonder Telefoon en zonder Huis en Postcode');
    }),
});

const tr018 = defineRule({
  code: 'TR018',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW307'],
  text: 'Einddatum moet groter dan of gelijk zijn aan Begindatum.',
  note: 'Geldt voor StopProduct.',
  start: (ctx) => ({
    client(c: any, at) {
      each(c.StopProducten?.StopProduct, `${at.path}/StopProducten`, 'StopProduct', (s: any, path) => {
        if (has(s.Einddatum) && after(s.Einddatum, s.Begindatum))
          ctx.report(
            [`${path}/Einddatum`, ...present([s.Begindatum, `${path}/Begindatum`])],
            `einddatum ${txt(s.Einddatum)} ligt voor begindatum ${txt(s.Begindatum)}`,
          );
      });
    },
  }),
});

const tr061 = defineRule({
  code: 'TR061',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301'],
  text: "Bij een Client moet minimaal één Adres voorkomen waarvan Soort de waarde '01' (BRP-adres), '02' (Correspondentie-adres) of '03' (Verblijfadres) heeft.",
  start: (ctx) => ({
    client(c: any, at) {
      const g = c.Contactgegevens;
      if (!g || typeof g !== 'object') return;
      const list: any[] = g.Contact ?? [];
      if (list.some((k) => ['01', '02', '03'].includes(String(k?.Soort ?? '')))) return;
      const paths: string[] = [];
      each(list, `${at.path}/Contactgegevens`, 'Contact', (_k, p) => paths.push(p));
      ctx.report(paths, 'geen BRP-, correspondentie- of verblijfadres');
    },
  }),
});

// TR101: the logical key of every message class; a class that occurs more than once with the same key is reported
// once, naming every occurrence. An absent key element is a value of its own (two lines without it are equal).
type Key = (x: any) => unknown[];
const KEYS: Partial<Record<MessageType, { path: string[]; key: Key }[]>> = {
  JW301: [
    { path: ['Contactgegevens', 'Contact'], key: (k) => [k.Soort] },
    { path: ['Relaties', 'Relatie'], key: (r) => [r.Nummer] },
    { path: ['ToegewezenProducten', 'ToegewezenProduct'], key: (t) => [t.ToewijzingNummer] },
  ],
  JW305: [{ path: ['StartProducten', 'StartProduct'], key: (s) => [s.Begindatum, s.Product?.Categorie, s.Product?.Code, s.ToewijzingNummer] }],
  JW307: [
    {
      path: ['StopProducten', 'StopProduct'],
      key: (s) => [s.Begindatum, s.Einddatum, s.Product?.Categorie, s.Product?.Code, s.RedenBeeindiging, s.ToewijzingNummer],
    },
  ],
  JW315: [{ path: ['AangevraagdeProducten', 'AangevraagdProduct'], key: (a) => [a.ReferentieAanbieder] }],
  JW317: [
    { path: ['Verzoek', 'NieuweProducten', 'NieuwProduct'], key: (n) => [n.GewensteIngangsdatum, n.Product?.Categorie, n.Product?.Code] },
    { path: ['Verzoek', 'OngewijzigdeProducten', 'OngewijzigdProduct'], key: (o) => [o.ToewijzingNummer] },
    { path: ['Verzoek', 'TeWijzigenProducten', 'TeWijzigenProduct'], key: (o) => [o.ToewijzingNummer] },
  ],
  JW323: [{ path: ['Prestaties', 'Prestatie'], key: (p) => [p.ProductReferentie?.ReferentieNummer, p.ProductReferentie?.VorigReferentieNummer] }],
  JW325: [{ path: ['Prestaties', 'Prestatie'], key: (p) => [p.ProductReferentie?.ReferentieNummer, p.ProductReferentie?.VorigReferentieNummer] }],
};
/** A key as text; an absent or empty element (no text node) is its own value. */
const keyText = (vals: unknown[]) => {
  let s = '';
  for (let i = 0; i < vals.length; i++) s += (i ? '|' : '') + keyPart(vals[i]);
  return s;
};
const keyPart = (v: unknown) => (has(v) && typeof v !== 'object' && String(v) !== '' ? `=${String(v)}` : '∅');
/** Whether two of `keys` are the same (a list of a few lines: compared pair by pair, without a map). */
function anySame(keys: readonly string[]): boolean {
  if (keys.length > 64) return new Set(keys).size < keys.length;
  for (let j = 1; j < keys.length; j++) for (let i = 0; i < j; i++) if (keys[i] === keys[j]) return true;
  return false;
}

function groups(items: { key: string; path: string }[]): string[][] {
  const by = new Map<string, string[]>();
  for (const i of items) {
    const l = by.get(i.key);
    if (l) l.push(i.path);
    else by.set(i.key, [i.path]);
  }
  return [...by.values()].filter((l) => l.length > 1);
}

/** The stylesheet reports a duplicate at its last occurrence: that one first (the finding's location), then the others. */
const lastFirst = (g: string[]) => [g[g.length - 1], ...g.slice(0, -1)];

const tr101 = defineRule({
  code: 'TR101',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301', 'JW305', 'JW307', 'JW315', 'JW317', 'JW319', 'JW323', 'JW325'],
  text: 'Binnen een bericht zijn dubbele regels niet toegestaan.',
  note: 'De logische sleutel van iedere berichtklasse moet uniek zijn onder dezelfde ouder; een dubbele wordt één keer gemeld, met al zijn voorkomens.',
  start: (ctx) => {
    // Clients repeat only in declarations (JW323, JW325): each BSN's first client as a number, a list only for a BSN
    // that comes again (compact.ts), so the end of a 310,000-line message has only the duplicates to report
    const clients = new Occurrences<string>();
    const clientPaths: string[] = [];
    const keys = KEYS[ctx.type] ?? [];
    const keyed: string[] = [];
    return {
      client(c: any, at) {
        if (ctx.type === 'JW323' || ctx.type === 'JW325') {
          clients.add(keyPart(c.Bsn), clientPaths.length);
          clientPaths.push(at.path);
        }
        for (let n = 0; n < keys.length; n++) {
          const k = keys[n];
          let o = c;
          for (let d = 0; d < k.path.length - 1; d++) o = o?.[k.path[d]];
          const last = k.path[k.path.length - 1];
          const list = o?.[last];
          // one line cannot be a duplicate, and a few lines without a repeated key give no finding: the paths and
          // groups are made only when two keys are the same
          if (!Array.isArray(list) || list.length < 2) continue;
          keyed.length = 0;
          for (const item of list) keyed.push(keyText(k.key(item ?? {})));
          if (!anySame(keyed)) continue;
          let b = at.path;
          for (let d = 0; d < k.path.length - 1; d++) b = `${b}/${k.path[d]}`;
          const items: { key: string; path: string }[] = [];
          each(list, b, last, (_item: any, p, i) => items.push({ key: keyed[i], path: p }));
          for (const g of groups(items)) ctx.report(lastFirst(g), `${last} komt ${g.length} keer voor met dezelfde sleutel`);
        }
      },
      end(m: any) {
        for (const g of clients.repeated()) ctx.report(lastFirst(g.map((i) => clientPaths[i])), `Client komt ${g.length} keer voor met hetzelfde BSN`);
        if (ctx.type === 'JW319') {
          const a = m.Antwoord;
          // Antwoord and Woonplaatsbeginsel occur once in a valid JW319; a list is judged like the others
          for (const [name, list, key] of [
            ['Antwoord', a, (x: any) => [x.ReferentieAanbieder, x.VerzoekAntwoord]],
            ['Woonplaatsbeginsel', a?.Woonplaatsbeginsel, (x: any) => [x.Gemeente]],
          ] as const) {
            if (!Array.isArray(list)) continue;
            const base = name === 'Antwoord' ? '/Bericht' : '/Bericht/Antwoord';
            const items: { key: string; path: string }[] = [];
            list.forEach((x: any, i: number) => {
              items.push({ key: keyText(key(x)), path: `${base}/${name}[${i + 1}]` });
            });
            for (const g of groups(items)) ctx.report(lastFirst(g), `${name} komt ${g.length} keer voor met dezelfde sleutel`);
          }
        }
      },
    };
  },
});

const TR134_DATES: Partial<Record<MessageType, string[][]>> = {
  JW301: [
    ['Geboortedatum', 'Datum'],
    ['Relaties', 'Relatie', 'Geboortedatum', 'Datum'],
    ['ToegewezenProducten', 'ToegewezenProduct', 'Toewijzingsdatum'],
    ['Beschikking', 'Afgiftedatum'],
  ],
  JW305: [
    ['Geboortedatum', 'Datum'],
    ['StartProducten', 'StartProduct', 'Begindatum'],
  ],
  JW307: [
    ['Geboortedatum', 'Datum'],
    ['StopProducten', 'StopProduct', 'Einddatum'],
  ],
  JW315: [['Geboortedatum', 'Datum']],
  JW323: [['Prestaties', 'Prestatie', 'ProductPeriode', 'Begindatum']],
  JW325: [['Prestaties', 'Prestatie', 'ProductPeriode', 'Begindatum']],
};
/**
 * Every value along `path` below `obj` (lists fan out) that `hit` accepts, with its XPath. The XPath is made only for
 * those: this runs for every line of a declaration, and nearly every value passes.
 */
function along(obj: any, path: readonly string[], base: string, hit: (v: any) => boolean, fn: (v: any, p: string) => void): void {
  alongFrom(obj, path, 0, base, hit, fn, new Array<number>(path.length));
}
/** `along` from path[depth] on; idx[d] is the position of path[d] when it is a list (1-based), else 0. */
function alongFrom(obj: any, path: readonly string[], depth: number, base: string, hit: (v: any) => boolean, fn: (v: any, p: string) => void, idx: number[]) {
  if (obj === undefined || obj === null) return;
  if (depth === path.length) {
    if (!hit(obj)) return;
    let p = base;
    for (let d = 0; d < path.length; d++) p += idx[d] > 0 ? `/${path[d]}[${idx[d]}]` : `/${path[d]}`;
    fn(obj, p);
    return;
  }
  const v = obj[path[depth]];
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      idx[depth] = i + 1;
      alongFrom(v[i], path, depth + 1, base, hit, fn, idx);
    }
  } else if (v !== undefined) {
    idx[depth] = 0;
    alongFrom(v, path, depth + 1, base, hit, fn, idx);
  }
}

const tr134 = defineRule({
  code: 'TR134',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW301', 'JW305', 'JW307', 'JW315', 'JW323', 'JW325'],
  text: 'Vullen met een bestaande datum die niet groter is dan de Dagtekening van het bericht.',
  note: 'Geldt voor geboortedata, toewijzingsdatum, begindatum van een start, einddatum van een stop en de begindata van declaratie- en productperiode.',
  start: (ctx) => {
    let dag: unknown;
    const dates = TR134_DATES[ctx.type] ?? [];
    const late = (v: unknown) => after(dag, v);
    const report = (v: unknown, p: string) =>
      ctx.report([p, ...present([dag, HEADER_DAGTEKENING])], `${txt(v)} ligt na de dagtekening van het bericht (${txt(dag)})`);
    const check = (v: unknown, p: string) => {
      if (late(v)) report(v, p);
    };
    return {
      head(m: any) {
        dag = m.Header?.BerichtIdentificatie?.Dagtekening;
        if (ctx.type === 'JW323') {
          const b = m.Declaratie?.DeclaratiePeriode?.Begindatum;
          if (has(b)) check(b, '/Bericht/Declaratie/DeclaratiePeriode/Begindatum');
        }
      },
      client(c: any, at) {
        for (let k = 0; k < dates.length; k++) along(c, dates[k], at.path, late, report);
      },
    };
  },
});

const tr137 = defineRule({
  code: 'TR137',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323', 'JW325'],
  text: 'Vullen met een waarde die groter is dan, of gelijk is aan de Begindatum van de aangeduide periode én die niet groter is dan de Dagtekening van het bericht.',
  note: 'Geldt voor de Einddatum van DeclaratiePeriode en ProductPeriode. Een productperiode die eindigt voor hij begint is dus TR137 (niet CS003).',
  start: (ctx) => {
    let dag: unknown;
    // the period's path is `${at}${suffix}`: made only for a finding
    const check = (per: any, at: string, suffix: string) => {
      if (!per || typeof per !== 'object') return;
      if (after(per.Einddatum, per.Begindatum)) {
        const base = at + suffix;
        ctx.report(
          present([per.Begindatum, `${base}/Begindatum`], [per.Einddatum, `${base}/Einddatum`]),
          `einddatum ${txt(per.Einddatum)} ligt voor begindatum ${txt(per.Begindatum)}`,
        );
      }
      if (after(dag, per.Einddatum)) {
        const base = at + suffix;
        ctx.report(
          present([per.Einddatum, `${base}/Einddatum`], [dag, HEADER_DAGTEKENING]),
          `einddatum ${txt(per.Einddatum)} ligt na de dagtekening van het bericht (${txt(dag)})`,
        );
      }
    };
    const line = (p: any, path: string) => check(p.ProductPeriode, path, '/ProductPeriode');
    return {
      head(m: any) {
        dag = m.Header?.BerichtIdentificatie?.Dagtekening;
        if (ctx.type === 'JW323') check(m.Declaratie?.DeclaratiePeriode, '/Bericht/Declaratie/DeclaratiePeriode', '');
      },
      client(c: any, at) {
        eachLine(c, at, line);
      },
    };
  },
});

/** TR302, TR386 and TR410: one product more than once only with periods that do not overlap; every overlapping pair. */
function overlapRule(code: string, type: 'JW301' | 'JW315' | 'JW317', text: string, note?: string) {
  return defineRule({
    code,
    retourcode: T,
    layer: 'bericht',
    messages: [type],
    text,
    note,
    start: (ctx) => ({
      client(c, at) {
        const list = productsOf(type, c, at.path).filter((x) => x.kind !== 'TeWijzigenProduct');
        const start = (x: Prod) => (type === 'JW301' ? x.p.Ingangsdatum : type === 'JW315' ? x.p.ToewijzingIngangsdatum : x.p.GewensteIngangsdatum);
        // TR302: removed allocations (RedenWijziging 01/13, Einddatum = Ingangsdatum) do not count
        const ignored = (x: Prod) =>
          type === 'JW301' &&
          ['01', '13'].includes(String(x.p.RedenWijziging ?? '')) &&
          tv(x.p.Einddatum, '*') &&
          String(x.p.Ingangsdatum ?? '').replace(/-/g, '') === String(x.p.Einddatum ?? '').replace(/-/g, '');
        for (let j = 0; j < list.length; j++) {
          const b = list[j];
          if (ignored(b)) continue;
          for (let i = 0; i < j; i++) {
            const a = list[i];
            if (ignored(a) || !sameProduct(b.p.Product, a.p.Product)) continue;
            if (periodOverlap(start(b), b.end, start(a), a.end))
              ctx.report(
                [a.path, b.path],
                `${txt(b.p.Product?.Code) || txt(b.p.Product?.Categorie) || 'product'} overlapt met ${a.path.slice(a.path.lastIndexOf('/') + 1)}`,
              );
          }
        }
      },
    }),
  });
}
const tr302 = overlapRule(
  'TR302',
  'JW301',
  'Een Product mag alleen vaker in een toewijzingsbericht voorkomen indien de zorgperiodes elkaar niet overlappen.',
  'Zonder ProductCode op niveau van categorie; zonder categorie met elk product. Verwijderde toewijzingen (Einddatum = Ingangsdatum met RedenWijziging 13 of 01) tellen niet mee.',
);
const tr386 = overlapRule(
  'TR386',
  'JW315',
  'Een Product mag alleen vaker in een verzoek om toewijzing voorkomen indien de zorgperiodes elkaar niet overlappen.',
);
const tr410 = overlapRule(
  'TR410',
  'JW317',
  'Een Product mag alleen vaker in de berichtklassen NieuwProduct voorkomen als de zorgperiodes elkaar niet overlappen.',
);

/** Value → XPaths, within one client (TR383, TR416). */
type Refs = Map<string, string[]>;
const addRef = (m: Refs, v: string, p: string) => {
  const l = m.get(v);
  if (l) l.push(p);
  else m.set(v, [p]);
};
const refText = (v: unknown) => (has(v) && typeof v !== 'object' ? String(v) : '');
const VORIG = '/ProductReferentie/VorigReferentieNummer',
  REF = '/ProductReferentie/ReferentieNummer';

/** The reference elements of a line (TR315, TR316 keep the line as a number and make these only for a finding). */
const refPath = (line: string) => `${line}${REF}`;
const vorigPath = (line: string) => `${line}${VORIG}`;

const tr315 = defineRule({
  code: 'TR315',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'VorigReferentieNummer van de Prestatie moet uniek zijn in het bericht.',
  note: 'Ieder paar prestaties met hetzelfde VorigReferentieNummer wordt gemeld.',
  start: (ctx) => {
    // the earlier lines' references: value → lines (as numbers, compact.ts; one Map of every reference with an array
    // of XPaths each was a stop of over 100 ms as it grew, in the 256 MB file)
    const lines = new Lines();
    const seen = new Occurrences<string>();
    let clientPath = ''; // the Client's, for the lines' numbers
    const line = (p: any, path: string, i: number) => {
      const v = refText(p.ProductReferentie?.VorigReferentieNummer);
      if (!v) return;
      // the element's paths are made only for a finding
      const earlier = seen.get(v.trim());
      for (let n = 0; n < earlier.length; n++) ctx.report([`${lines.path(earlier[n])}${VORIG}`, vorigPath(path)], `VorigReferentieNummer ${v} komt vaker voor`);
      seen.add(v, lines.add(clientPath, i));
    };
    return {
      client(c, at) {
        clientPath = at.path;
        eachLine(c, at, line);
      },
    };
  },
});

const tr316 = defineRule({
  code: 'TR316',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'Debetregels mogen niet in hetzelfde bericht gecrediteerd worden.',
  note: 'VorigReferentieNummer mag niet gelijk zijn aan het ReferentieNummer van een Prestatie in hetzelfde bericht (ervoor of erna, of van zichzelf).',
  start: (ctx) => {
    const lines = new Lines();
    const refs = new Occurrences<string>(),
      vorigs = new Occurrences<string>();
    let clientPath = ''; // the Client's, for the lines' numbers
    const line = (p: any, path: string, i: number) => {
      const r = p.ProductReferentie;
      if (!r || typeof r !== 'object') return;
      const ref = refText(r.ReferentieNummer),
        vorig = refText(r.VorigReferentieNummer);
      // the element's paths are made only for a finding (indexed loops: a for-of over an empty list makes an
      // iterator for every line)
      if (vorig) {
        const credited = refs.get(vorig.trim());
        for (let n = 0; n < credited.length; n++)
          ctx.report([`${lines.path(credited[n])}${REF}`, vorigPath(path)], `prestatie ${vorig} wordt in hetzelfde bericht gecrediteerd`);
      }
      if (ref) {
        const crediting = vorigs.get(ref.trim());
        for (let n = 0; n < crediting.length; n++)
          ctx.report([`${lines.path(crediting[n])}${VORIG}`, refPath(path)], `prestatie ${ref} wordt in hetzelfde bericht gecrediteerd`);
      }
      if (ref.trim() === vorig.trim())
        ctx.report(present([r.ReferentieNummer, refPath(path)], [r.VorigReferentieNummer, vorigPath(path)]), 'een prestatie crediteert zichzelf');
      if (ref || vorig) {
        const nr = lines.add(clientPath, i);
        if (ref) refs.add(ref, nr);
        if (vorig) vorigs.add(vorig, nr);
      }
    };
    return {
      client(c, at) {
        clientPath = at.path;
        eachLine(c, at, line);
      },
    };
  },
});

const PERIOD_SIDES = ['Begindatum', 'Einddatum'] as const;
const tr319 = defineRule({
  code: 'TR319',
  retourcode: '9319',
  layer: 'bericht',
  messages: ['JW323'],
  text: 'Een declaratiebericht bevat alleen prestaties waarvan de ProductPeriode valt binnen de huidige, of een voorgaande declaratieperiode.',
  note: 'Berichtoverstijgend in de standaard, maar de declaratie zelf toont het: de ProductPeriode mag niet na de DeclaratiePeriode beginnen of eindigen.',
  start: (ctx) => {
    let end: unknown;
    const E = '/Bericht/Declaratie/DeclaratiePeriode/Einddatum';
    const line = (p: any, path: string) => {
      for (let k = 0; k < PERIOD_SIDES.length; k++) {
        const side = PERIOD_SIDES[k];
        const v = p.ProductPeriode?.[side];
        // the line's date first: the importer rejects the line (9319) by the first location, not the file
        if (after(end, v))
          ctx.report(
            [...present([v, `${path}/ProductPeriode/${side}`], [end, E])],
            `productperiode ${side.toLowerCase()} ${txt(v)} ligt na de declaratieperiode (${txt(end)})`,
          );
      }
    };
    return {
      head(m: any) {
        end = m.Declaratie?.DeclaratiePeriode?.Einddatum;
      },
      client(c, at) {
        eachLine(c, at, line);
      },
    };
  },
});

const tr335 = defineRule({
  code: 'TR335',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'Einddatum mag niet meer dan 5 jaar voor DeclaratieDagtekening liggen.',
  start: (ctx) => {
    let limit = NaN; // the day five years before DeclaratieDagtekening (yyyymmdd), once per message
    const line = (p: any, path: string) => {
      const e = p.ProductPeriode?.Einddatum;
      if (!has(e)) return;
      if (dnum(e) < limit)
        ctx.report(
          [`${path}/ProductPeriode/Einddatum`, '/Bericht/Declaratie/DeclaratieDagtekening'],
          `productperiode eindigt ${txt(e)}, meer dan 5 jaar voor de declaratiedagtekening`,
        );
    };
    return {
      head(m: any) {
        const dag = m.Declaratie?.DeclaratieDagtekening;
        limit = has(dag) ? addMonths(txt(dag), -60, 'truncate') : NaN;
      },
      client(c, at) {
        eachLine(c, at, line);
      },
    };
  },
});

const tr342 = defineRule({
  code: 'TR342',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW325'],
  text: 'Alleen afgewezen Prestaties dienen meegestuurd te worden in het declaratie-antwoordbericht op een declaratie.',
  note: 'Gecontroleerd als: SOM(Prestatie.IngediendBedrag) = TotaalIngediendBedrag − TotaalToegekendBedrag (met debet/credit); bij een afgewezen declaratie (een retourcode anders dan 0200 of 8001) is het toegekende totaal 0.',
  start: (ctx) => {
    let debit = 0,
      credit = 0;
    return {
      client(c: any) {
        for (const p of c.Prestaties?.Prestatie ?? []) {
          const dc = txt(p.IngediendBedrag?.DebetCredit),
            b = Number(txt(p.IngediendBedrag?.Bedrag));
          if (dc === 'D') debit += b;
          else if (dc === 'C') credit += b;
        }
      },
      end(m: any) {
        const a = m.DeclaratieAntwoord;
        if (!a) return;
        const signedTotal = (t: any) => (txt(t?.DebetCredit) === 'C' ? -1 : 1) * Number(txt(t?.TotaalBedrag) || NaN);
        const toegekend = signedTotal(a.TotaalToegekendBedrag),
          ingediend = signedTotal(a.TotaalIngediendBedrag);
        const rejected = (a.RetourCodes?.RetourCode ?? []).some((r: unknown) => txt(r) !== '0200' && txt(r) !== '8001');
        const B = '/Bericht/DeclaratieAntwoord';
        if (!rejected) {
          if (String(debit - credit) !== String(ingediend - toegekend))
            ctx.report(
              present([a.TotaalIngediendBedrag, `${B}/TotaalIngediendBedrag`], [a.TotaalToegekendBedrag, `${B}/TotaalToegekendBedrag`]),
              `ingediend − toegekend = ${ingediend - toegekend} cent, maar de meegestuurde (afgewezen) prestaties tellen op tot ${debit - credit} cent`,
            );
        } else if (toegekend !== 0) {
          ctx.report(present([a.TotaalToegekendBedrag, `${B}/TotaalToegekendBedrag`]), 'een afgewezen declaratie kent geen bedrag toe');
        }
      },
    };
  },
});

const tr352 = defineRule({
  code: 'TR352',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW317'],
  text: 'Bij een verzoek om wijziging komt minstens 1 OngewijzigdProduct of TeWijzigenProduct voor.',
  start: (ctx) => ({
    client(c: any, at) {
      const v = c.Verzoek;
      if (v && !v.OngewijzigdeProducten?.OngewijzigdProduct?.length && !v.TeWijzigenProducten?.TeWijzigenProduct?.length)
        ctx.report(`${at.path}/Verzoek`, 'geen OngewijzigdProduct en geen TeWijzigenProduct');
    },
  }),
});

const tr353 = defineRule({
  code: 'TR353',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW317'],
  text: 'Bij een verzoek om wijziging komt minstens 1 TeWijzigenProduct of NieuwProduct voor.',
  start: (ctx) => ({
    client(c: any, at) {
      const v = c.Verzoek;
      if (v && !v.TeWijzigenProducten?.TeWijzigenProduct?.length && !v.NieuweProducten?.NieuwProduct?.length)
        ctx.report(`${at.path}/Verzoek`, 'geen TeWijzigenProduct en geen NieuwProduct');
    },
  }),
});

const tr358 = defineRule({
  code: 'TR358',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'De waarde van TotaalBedrag in TotaalIngediendBedrag moet gelijk zijn aan de SOM van de waarden van Bedrag in Ingediendbedrag in alle onderliggende Prestaties, rekening houdend met indicatie debet/credit.',
  note: 'Gemeld met het totaal en ieder IngediendBedrag van het bericht, zoals de stylesheet.',
  start: (ctx) => {
    let sum = 0;
    // per Client its path and number of lines: the locations are made only when needed
    const clientPaths: string[] = [],
      lineCounts: number[] = [];
    return {
      client(c: any, at) {
        const list = c.Prestaties?.Prestatie ?? [];
        clientPaths.push(at.path);
        lineCounts.push(list.length);
        for (let i = 0; i < list.length; i++) {
          const p = list[i];
          const b = p.IngediendBedrag;
          if (!b || typeof b !== 'object') continue;
          const dc = txt(b.DebetCredit),
            v = Number(txt(b.Bedrag));
          if (dc === 'D') sum += v;
          else if (dc === 'C') sum -= v;
        }
      },
      end(m: any) {
        const t = m.Declaratie?.TotaalIngediendBedrag;
        if (!t || typeof t !== 'object') return;
        const expected = txt(t.DebetCredit) === 'D' ? sum : txt(t.DebetCredit) === 'C' ? -sum : undefined;
        if (expected === undefined || (Number.isFinite(expected) && txt(t.TotaalBedrag) === String(expected === 0 ? 0 : expected))) return;
        const B = '/Bericht/Declaratie/TotaalIngediendBedrag';
        const locs = present([t.DebetCredit, `${B}/DebetCredit`], [t.TotaalBedrag, `${B}/TotaalBedrag`]);
        for (let k = 0; k < clientPaths.length; k++)
          for (let i = 0; i < lineCounts[k]; i++) locs.push(`${clientPaths[k]}/Prestaties/Prestatie[${i + 1}]/IngediendBedrag`);
        ctx.report(locs, `totaal ${txt(t.TotaalBedrag)} cent (${txt(t.DebetCredit)}), som van de prestaties ${sum} cent`);
      },
    };
  },
});

const tr377 = defineRule({
  code: 'TR377',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW319'],
  text: 'Indien RedenAfwijzingVerzoek de waarde 8 (Woonplaatsbeginsel) heeft, dan berichtklasse Woonplaatsbeginsel opnemen.',
  start: (ctx) => ({
    end(m) {
      const a = antwoordOf(m);
      if (has(a?.RedenAfwijzingVerzoek) && tv(a.RedenAfwijzingVerzoek, '8') && !has(a.Woonplaatsbeginsel))
        ctx.report(['/Bericht/Antwoord/RedenAfwijzingVerzoek'], 'RedenAfwijzingVerzoek 8 zonder Woonplaatsbeginsel');
    },
  }),
});

const tr380 = defineRule({
  code: 'TR380',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW317'],
  text: 'Vullen met een datum die groter is dan de dagtekening van het bericht.',
  note: 'Geldt voor GewensteIngangsdatum van een NieuwProduct.',
  start: (ctx) => {
    let dag: unknown;
    return {
      head(m: any) {
        dag = m.Header?.BerichtIdentificatie?.Dagtekening;
      },
      client(c: any, at) {
        each(c.Verzoek?.NieuweProducten?.NieuwProduct, `${at.path}/Verzoek/NieuweProducten`, 'NieuwProduct', (n: any, path) => {
          if (has(n.GewensteIngangsdatum) && afterStrict(n.GewensteIngangsdatum, dag))
            ctx.report(
              [`${path}/GewensteIngangsdatum`, ...present([dag, HEADER_DAGTEKENING])],
              `gewenste ingangsdatum ${txt(n.GewensteIngangsdatum)} ligt niet na de dagtekening (${txt(dag)})`,
            );
        });
      },
    };
  },
});

const tr383 = defineRule({
  code: 'TR383',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW315'],
  text: 'ReferentieAanbieder is uniek voor elk AangevraagdProduct binnen het bericht.',
  note: 'Gemeld bij de eerdere ReferentieAanbieder (en het VorigReferentieNummer van het latere product, als dat er is), zoals de stylesheet.',
  start: (ctx) => ({
    client(c: any, at) {
      const seen: Refs = new Map();
      each(c.AangevraagdeProducten?.AangevraagdProduct, `${at.path}/AangevraagdeProducten`, 'AangevraagdProduct', (a: any, path) => {
        const v = refText(a.ReferentieAanbieder);
        if (!v) return;
        for (const e of seen.get(v.trim()) ?? [])
          ctx.report([e, ...present([a.VorigReferentieNummer, `${path}/VorigReferentieNummer`])], `ReferentieAanbieder ${v} komt vaker voor`);
        addRef(seen, v, `${path}/ReferentieAanbieder`);
      });
    },
  }),
});

const tr409 = defineRule({
  code: 'TR409',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW319'],
  text: 'Als RedenAfwijzingVerzoek ongelijk is aan 8 (Woonplaatsbeginsel), dan berichtklasse Woonplaatsbeginsel weglaten.',
  start: (ctx) => ({
    end(m) {
      const a = antwoordOf(m);
      if (has(a?.RedenAfwijzingVerzoek) && !tv(a.RedenAfwijzingVerzoek, '8') && has(a.Woonplaatsbeginsel))
        ctx.report(['/Bericht/Antwoord/RedenAfwijzingVerzoek', '/Bericht/Antwoord/Woonplaatsbeginsel'], 'Woonplaatsbeginsel zonder RedenAfwijzingVerzoek 8');
    },
  }),
});

/** TR416's key of a line, part by part (the rule joins them with '|'). */
const TR416_PARTS: ((p: any) => unknown)[] = [
  (p) => p.ProductPeriode?.Begindatum,
  (p) => p.ProductPeriode?.Einddatum,
  (p) => p.ProductCategorie,
  (p) => p.ToewijzingNummer,
  (p) => p.ProductCode,
];
function tr416Line(p: any): boolean {
  if (txt(p.IngediendBedrag?.DebetCredit) !== 'D') return false;
  for (let k = 0; k < TR416_PARTS.length; k++) if (!has(TR416_PARTS[k](p))) return false;
  return true;
}
function sameParts(a: any, b: any): boolean {
  for (let k = 0; k < TR416_PARTS.length; k++) if (txt(TR416_PARTS[k](a)) !== txt(TR416_PARTS[k](b))) return false;
  return true;
}
/**
 * Whether TR416 could find a pair among these lines: false only when no two debit lines with every key part have
 * the same parts (compared one by one; a part holding '|', where two different keys could join to the same text,
 * says "maybe"). Lists of more than 32 lines say "maybe" too: the rule's own map is quicker then.
 */
function maybeSameDebit(list: readonly any[]): boolean {
  if (list.length > 32) return true;
  let found = 0;
  for (let j = 0; j < list.length; j++) {
    const b = list[j];
    if (!tr416Line(b)) continue;
    for (let k = 0; k < TR416_PARTS.length; k++) if (txt(TR416_PARTS[k](b)).includes('|')) return true;
    found++;
    for (let i = 0; i < j && found > 1; i++) {
      const a = list[i];
      if (tr416Line(a) && sameParts(a, b)) return true;
    }
  }
  return false;
}

const tr416 = defineRule({
  code: 'TR416',
  retourcode: T,
  layer: 'bericht',
  messages: ['JW323'],
  text: 'Prestatie met DebetCredit in IngediendBedrag waarde Debet mag alleen ingezonden worden voor dezelfde ProductPeriode, ProductCategorie en ProductCode met gelijk ToewijzingNummer als er niet al een Prestatie met waarde Debet is.',
  note: 'Binnen het bericht en per Client (een toewijzing hoort bij één cliënt; een toewijzingnummer onder een andere cliënt meldt TR304 bij de controle tegen de historie). Ieder paar debetregels wordt gemeld.',
  start: (ctx) => ({
    client(c, at) {
      const list = c.Prestaties?.Prestatie;
      // a pair needs two debit lines with the same key: the usual client (a few lines, no such pair) is passed
      // without making a key
      if (!list || list.length < 2 || !maybeSameDebit(list)) return;
      const seen = new Map<string, string[]>();
      each(list, `${at.path}/Prestaties`, 'Prestatie', (p: any, path) => {
        if (txt(p.IngediendBedrag?.DebetCredit) !== 'D') return;
        const parts = [p.ProductPeriode?.Begindatum, p.ProductPeriode?.Einddatum, p.ProductCategorie, p.ToewijzingNummer, p.ProductCode];
        if (parts.some((x) => !has(x))) return;
        const key = parts.map((x) => txt(x)).join('|');
        for (const e of seen.get(key) ?? [])
          ctx.report(
            [e, path],
            `tweede debetregel voor toewijzing ${txt(p.ToewijzingNummer)}, product ${txt(p.ProductCode)}, periode ${txt(p.ProductPeriode?.Begindatum)} t/m ${txt(p.ProductPeriode?.Einddatum)}`,
          );
        addRef(seen, key, path);
      });
    },
  }),
});

export const BERICHT_RULES: RuleDef<any>[] = [
  cd005,
  cd007,
  cd009,
  cd025,
  cd034,
  cd041,
  cd043,
  cd060,
  cd066,
  cd067,
  cd068,
  cd075,
  cd076,
  cd077,
  cd078,
  cd079,
  cd080,
  cd085,
  cd086,
  cd087,
  cd095,
  cd096,
  cs002,
  cs003,
  cs050,
  cs058,
  cs089,
  cs100,
  cs139,
  cs318,
  cs325,
  cs335,
  cs336,
  cs337,
  cs338,
  cs339,
  cs340,
  cs343,
  tr002,
  tr006,
  tr018,
  tr061,
  tr101,
  tr134,
  tr137,
  tr302,
  tr315,
  tr316,
  tr319,
  tr335,
  tr342,
  tr352,
  tr353,
  tr358,
  tr377,
  tr380,
  tr383,
  tr386,
  tr409,
  tr410,
  tr416,
];
