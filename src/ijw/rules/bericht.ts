// Layer "bericht": what one message shows on its own. Conditions (CD) and constraints (CS) from
// regels/condities-constraints, the technical rules the standard checks with XSLT (TR, "xslt") and the
// business rules (OP) that a single message can show. Rejecting any of these rejects the file: return code 0001.
import { isValidBsn } from '../../core/bsn.ts';
import type { MessageType } from '../schema.ts';
import { addYears, isDate, lastOfMonth, sameMonth } from './dates.ts';
import { defineRule, type RuleDef } from './types.ts';
import { each, filled, isInt, signed } from './walk.ts';

const T = '0001'; // Bericht is afgekeurd om technische redenen

// --- CS002 BSN ---------------------------------------------------------------------------------------------
const cs002 = defineRule({
  code: 'CS002', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW305', 'JW307', 'JW315', 'JW317', 'JW323', 'JW325'],
  text: 'De waarde moet voldoen aan de 11-proef.',
  start: (ctx) => ({
    client(c, at) {
      if (typeof c.Bsn === 'string' && /^\d{9}$/.test(c.Bsn) && !isValidBsn(c.Bsn)) ctx.report(`${at.path}/Bsn`, `BSN ${c.Bsn} voldoet niet aan de elfproef`);
    },
  }),
});

// --- CS003 end date not before start date ----------------------------------------------------------------
/** Pairs (start, end) a rule compares, per message, relative to the Client. */
function periodsOf(type: MessageType, c: any, base: string): { start: unknown; end: unknown; path: string; startName: string }[] {
  const out: { start: unknown; end: unknown; path: string; startName: string }[] = [];
  const contact = (list: any[] | undefined, b: string) => each(list, b, 'Contact', (k, p) => {
    if (k.Periode) out.push({ start: k.Periode.Begindatum, end: k.Periode.Einddatum, path: `${p}/Periode/Einddatum`, startName: 'Begindatum' });
  });
  if (type === 'JW301') {
    each(c.ToegewezenProducten?.ToegewezenProduct, `${base}/ToegewezenProducten`, 'ToegewezenProduct', (t: any, p) =>
      out.push({ start: t.Ingangsdatum, end: t.Einddatum, path: `${p}/Einddatum`, startName: 'Ingangsdatum' }));
    contact(c.Contactgegevens?.Contact, `${base}/Contactgegevens`);
    each(c.Relaties?.Relatie, `${base}/Relaties`, 'Relatie', (r: any, p) => { if (r.Contact?.Periode) out.push({ start: r.Contact.Periode.Begindatum, end: r.Contact.Periode.Einddatum, path: `${p}/Contact/Periode/Einddatum`, startName: 'Begindatum' }); });
  } else if (type === 'JW315') {
    each(c.AangevraagdeProducten?.AangevraagdProduct, `${base}/AangevraagdeProducten`, 'AangevraagdProduct', (a: any, p) =>
      out.push({ start: a.ToewijzingIngangsdatum, end: a.ToewijzingEinddatum, path: `${p}/ToewijzingEinddatum`, startName: 'ToewijzingIngangsdatum' }));
  } else if (type === 'JW323') {
    each(c.Prestaties?.Prestatie, `${base}/Prestaties`, 'Prestatie', (p: any, path) =>
      out.push({ start: p.ProductPeriode?.Begindatum, end: p.ProductPeriode?.Einddatum, path: `${path}/ProductPeriode/Einddatum`, startName: 'Begindatum' }));
  } else if (type === 'JW317') {
    const v = c.Verzoek ?? {};
    each(v.NieuweProducten?.NieuwProduct, `${base}/Verzoek/NieuweProducten`, 'NieuwProduct', (n: any, p) =>
      out.push({ start: n.GewensteIngangsdatum, end: n.Einddatum, path: `${p}/Einddatum`, startName: 'GewensteIngangsdatum' }));
    each(v.TeWijzigenProducten?.TeWijzigenProduct, `${base}/Verzoek/TeWijzigenProducten`, 'TeWijzigenProduct', (n: any, p) =>
      out.push({ start: n.GewensteIngangsdatum, end: n.Einddatum, path: `${p}/Einddatum`, startName: 'GewensteIngangsdatum' }));
  }
  return out;
}

const cs003 = defineRule({
  code: 'CS003', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW315', 'JW317', 'JW323'],
  text: 'Indien van toepassing vullen met een waarde die groter is dan, of gelijk is aan de Begindatum (of Ingangsdatum) van de aangeduide periode.',
  note: 'Ook toegepast op DeclaratiePeriode en ProductPeriode in een declaratie (JW323), waar de standaard het als TR018 kent.',
  start: (ctx) => ({
    head(m: any) {
      const per = m.Declaratie?.DeclaratiePeriode;
      if (ctx.type === 'JW323' && isDate(per?.Begindatum) && isDate(per?.Einddatum) && per.Einddatum < per.Begindatum) ctx.report('/Bericht/Declaratie/DeclaratiePeriode/Einddatum', `einddatum ${per.Einddatum} ligt voor begindatum ${per.Begindatum}`);
    },
    client(c, at) {
      for (const p of periodsOf(ctx.type, c, at.path)) {
        if (isDate(p.start) && isDate(p.end) && p.end < p.start) ctx.report(p.path, `einddatum ${p.end} ligt voor ${p.startName} ${p.start}`);
      }
    },
  }),
});

// --- JW323 declaration rules ---------------------------------------------------------------------------------
const cs100 = defineRule({
  code: 'CS100', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'Vullen met een datum die groter dan of gelijk is aan 01-01-2021.',
  start: (ctx) => ({
    head(m) {
      const b = m.Declaratie?.DeclaratiePeriode?.Begindatum;
      if (isDate(b) && b < '2021-01-01') ctx.report('/Bericht/Declaratie/DeclaratiePeriode/Begindatum', `declaratieperiode begint op ${b}`);
    },
    client(c, at) {
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        const b = p.ProductPeriode?.Begindatum;
        if (isDate(b) && b < '2021-01-01') ctx.report(`${path}/ProductPeriode/Begindatum`, `productperiode begint op ${b}`);
      });
    },
  }),
});

const cs325 = defineRule({
  code: 'CS325', retourcode: T, layer: 'bericht', messages: ['JW323', 'JW325'],
  text: 'Indien (Totaal)Bedrag de waarde 0 heeft, dan DebetCredit vullen met D (Debet).',
  start: (ctx) => {
    const check = (b: { TotaalBedrag?: number; Bedrag?: number; DebetCredit?: string } | undefined, path: string) => {
      const amount = b?.TotaalBedrag ?? b?.Bedrag;
      if (amount === 0 && b?.DebetCredit === 'C') ctx.report(`${path}/DebetCredit`, 'bedrag 0 met Credit');
    };
    return {
      end(m: any) {
        if (ctx.type === 'JW323') check(m.Declaratie?.TotaalIngediendBedrag, '/Bericht/Declaratie/TotaalIngediendBedrag');
        else {
          check(m.DeclaratieAntwoord?.TotaalIngediendBedrag, '/Bericht/DeclaratieAntwoord/TotaalIngediendBedrag');
          check(m.DeclaratieAntwoord?.TotaalToegekendBedrag, '/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag');
        }
      },
      client(c, at) {
        each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => check(p.IngediendBedrag, `${path}/IngediendBedrag`));
      },
    };
  },
});

const cs339 = defineRule({
  code: 'CS339', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'Indien Eenheid de waarde 83 (euro’s) heeft, moet IngediendBedrag gelijk zijn aan GeleverdVolume.',
  start: (ctx) => ({
    client(c, at) {
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        const bedrag = p.IngediendBedrag?.Bedrag;
        if (p.Eenheid === '83' && isInt(p.GeleverdVolume) && isInt(bedrag) && bedrag !== p.GeleverdVolume) {
          ctx.report(`${path}/IngediendBedrag/Bedrag`, `bedrag ${bedrag} ≠ geleverd volume ${p.GeleverdVolume} (eenheid euro's)`);
        }
      });
    },
  }),
});

const cs340 = defineRule({
  code: 'CS340', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'De periode is exact gelijk aan 1 hele kalendermaand.',
  start: (ctx) => ({
    head(m) {
      const per = m.Declaratie?.DeclaratiePeriode;
      const b = per?.Begindatum, e = per?.Einddatum;
      if (!isDate(b) || !isDate(e)) return;
      if (!b.endsWith('-01') || !sameMonth(b, e) || e !== lastOfMonth(b)) ctx.report('/Bericht/Declaratie/DeclaratiePeriode', `declaratieperiode ${b} t/m ${e} is geen hele kalendermaand`);
    },
  }),
});

const cd060 = defineRule({
  code: 'CD060', retourcode: T, layer: 'bericht', messages: ['JW323', 'JW325'],
  text: 'Verplicht vullen indien DebetCredit bij het ingediende bedrag de waarde C (credit) heeft, anders leeg laten.',
  note: 'Geldt voor VorigReferentieNummer in ProductReferentie.',
  start: (ctx) => ({
    client(c, at) {
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        const credit = p.IngediendBedrag?.DebetCredit === 'C';
        const vorig = filled(p.ProductReferentie?.VorigReferentieNummer);
        if (credit && !vorig) ctx.report(`${path}/ProductReferentie`, 'creditregel zonder VorigReferentieNummer');
        if (!credit && vorig) ctx.report(`${path}/ProductReferentie/VorigReferentieNummer`, 'VorigReferentieNummer bij een debetregel');
      });
    },
  }),
});

const cd087 = defineRule({
  code: 'CD087', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'Als eenheid ongelijk is aan 83 (euro’s) dan verplicht vullen, anders leeg laten.',
  note: 'Geldt voor ProductTarief.',
  start: (ctx) => ({
    client(c, at) {
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        if (!filled(p.Eenheid)) return;
        const euros = p.Eenheid === '83';
        if (!euros && p.ProductTarief === undefined) ctx.report(`${path}/ProductTarief`, `ProductTarief ontbreekt (eenheid ${p.Eenheid})`);
        if (euros && p.ProductTarief !== undefined) ctx.report(`${path}/ProductTarief`, 'ProductTarief bij eenheid euro\'s');
      });
    },
  }),
});

const op367 = defineRule({
  code: 'OP367', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'Een productperiode valt altijd binnen een kalendermaand.',
  note: 'Technisch afgedwongen door CS337 (Einddatum in dezelfde kalendermaand en hetzelfde jaar als Begindatum); gemeld als OP367, niet dubbel als CS337.',
  start: (ctx) => ({
    client(c, at) {
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        const b = p.ProductPeriode?.Begindatum, e = p.ProductPeriode?.Einddatum;
        if (isDate(b) && isDate(e) && !sameMonth(b, e)) ctx.report(`${path}/ProductPeriode`, `productperiode ${b} t/m ${e} loopt over meer dan één kalendermaand`);
      });
    },
  }),
});

// --- TR101 duplicates ----------------------------------------------------------------------------------------
type KeyDef = { path: string[]; key: (x: any) => string; label: string };
const prod = (p: any) => `${p?.Categorie ?? ''}/${p?.Code ?? ''}`;
/** Logical keys (sleutelelementen) per message class below Client, from regels/condities-constraints. */
const TR101_KEYS: Partial<Record<MessageType, KeyDef[]>> = {
  JW301: [
    { path: ['Relaties', 'Relatie'], key: (r) => String(r.Nummer), label: 'Nummer' },
    { path: ['Contactgegevens', 'Contact'], key: (k) => String(k.Soort), label: 'Soort' },
    { path: ['ToegewezenProducten', 'ToegewezenProduct'], key: (t) => String(t.ToewijzingNummer), label: 'ToewijzingNummer' },
  ],
  JW305: [{ path: ['StartProducten', 'StartProduct'], key: (s) => [s.ToewijzingNummer, prod(s.Product), s.Begindatum].join('|'), label: 'ToewijzingNummer, Product en Begindatum' }],
  JW307: [{ path: ['StopProducten', 'StopProduct'], key: (s) => [s.ToewijzingNummer, prod(s.Product), s.Begindatum, s.Einddatum, s.RedenBeeindiging].join('|'), label: 'ToewijzingNummer, Product, Begindatum, Einddatum en RedenBeeindiging' }],
  JW317: [
    { path: ['Verzoek', 'OngewijzigdeProducten', 'OngewijzigdProduct'], key: (o) => String(o.ToewijzingNummer), label: 'ToewijzingNummer' },
    { path: ['Verzoek', 'TeWijzigenProducten', 'TeWijzigenProduct'], key: (o) => String(o.ToewijzingNummer), label: 'ToewijzingNummer' },
    { path: ['Verzoek', 'NieuweProducten', 'NieuwProduct'], key: (n) => `${prod(n.Product)}|${n.GewensteIngangsdatum}`, label: 'Product en GewensteIngangsdatum' },
  ],
  JW323: [{ path: ['Prestaties', 'Prestatie'], key: (p) => String(p.ProductReferentie?.ReferentieNummer), label: 'ReferentieNummer' }],
  JW325: [{ path: ['Prestaties', 'Prestatie'], key: (p) => String(p.ProductReferentie?.ReferentieNummer), label: 'ReferentieNummer' }],
};

/** The items of a repeating element below `obj` along `path`, with their XPath. */
function listAt(obj: any, path: string[], base: string): { item: any; path: string }[] {
  let o = obj, b = base;
  for (const name of path.slice(0, -1)) { o = o?.[name]; b = `${b}/${name}`; }
  const last = path[path.length - 1];
  const out: { item: any; path: string }[] = [];
  each(o?.[last], b, last, (item, p) => out.push({ item, path: p }));
  return out;
}

const tr101 = defineRule({
  code: 'TR101', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW305', 'JW307', 'JW317', 'JW323', 'JW325'],
  text: 'Binnen een bericht zijn dubbele regels niet toegestaan.',
  note: 'De logische sleutel van iedere berichtklasse, samen met die van de bovenliggende klassen, moet uniek zijn. In JW315 is ReferentieAanbieder de sleutel van AangevraagdProduct: dat meldt TR383.',
  start: (ctx) => {
    const bsns = new Map<string, string>(); // Clients repeat only in declarations (JW323/JW325)
    return {
      client(c, at) {
        if ((ctx.type === 'JW323' || ctx.type === 'JW325') && typeof c.Bsn === 'string') {
          const first = bsns.get(c.Bsn);
          if (first) ctx.report(`${at.path}/Bsn`, `Client met BSN ${c.Bsn} staat al in ${first}`);
          else bsns.set(c.Bsn, at.path);
        }
        for (const k of TR101_KEYS[ctx.type] ?? []) {
          const seen = new Map<string, string>();
          for (const { item, path } of listAt(c, k.path, at.path)) {
            const key = k.key(item);
            const first = seen.get(key);
            if (first) ctx.report(path, `${k.path[k.path.length - 1]} met dezelfde ${k.label} (${key.replace(/\|/g, ', ')}) als ${first.slice(first.lastIndexOf('/') + 1)}`);
            else seen.set(key, path);
          }
        }
      },
    };
  },
});

// --- JW323 message-wide technical rules -------------------------------------------------------------------------
const tr358 = defineRule({
  code: 'TR358', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'De waarde van TotaalBedrag in TotaalIngediendBedrag moet gelijk zijn aan de SOM van de waarden van Bedrag in Ingediendbedrag in alle onderliggende Prestaties, rekening houdend met indicatie debet/credit.',
  start: (ctx) => {
    let sum = 0, complete = true;
    return {
      client(c) {
        for (const p of c.Prestaties?.Prestatie ?? []) {
          const b = p.IngediendBedrag?.Bedrag;
          if (isInt(b)) sum += signed(b, p.IngediendBedrag?.DebetCredit); else complete = false;
        }
      },
      end(m) {
        const t = m.Declaratie?.TotaalIngediendBedrag;
        if (!complete || !t || !isInt(t.TotaalBedrag)) return;
        const total = signed(t.TotaalBedrag, t.DebetCredit);
        if (total !== sum) ctx.report('/Bericht/Declaratie/TotaalIngediendBedrag', `totaal ${total} cent, som van de prestaties ${sum} cent`);
      },
    };
  },
});

const tr315 = defineRule({
  code: 'TR315', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'VorigReferentieNummer van de Prestatie moet uniek zijn in het bericht.',
  start: (ctx) => {
    const seen = new Set<string>();
    return {
      client(c, at) {
        each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
          const v = p.ProductReferentie?.VorigReferentieNummer;
          if (!filled(v)) return;
          if (seen.has(v!)) ctx.report(`${path}/ProductReferentie/VorigReferentieNummer`, `VorigReferentieNummer ${v} komt vaker voor`);
          seen.add(v!);
        });
      },
    };
  },
});

const tr316 = defineRule({
  code: 'TR316', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'Debetregels mogen niet in hetzelfde bericht gecrediteerd worden.',
  note: 'VorigReferentieNummer mag niet gelijk zijn aan het ReferentieNummer van een Prestatie in hetzelfde bericht; de referenties van het hele bericht worden daarvoor onthouden.',
  start: (ctx) => {
    const refs = new Set<string>();
    const credits: { vorig: string; path: string }[] = [];
    return {
      client(c, at) {
        each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
          const r = p.ProductReferentie;
          if (filled(r?.ReferentieNummer)) refs.add(r!.ReferentieNummer);
          if (filled(r?.VorigReferentieNummer)) credits.push({ vorig: r!.VorigReferentieNummer!, path: `${path}/ProductReferentie/VorigReferentieNummer` });
        });
      },
      end() {
        for (const c of credits) if (refs.has(c.vorig)) ctx.report(c.path, `prestatie ${c.vorig} wordt in hetzelfde bericht gecrediteerd`);
      },
    };
  },
});

const tr416 = defineRule({
  code: 'TR416', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'Prestatie met DebetCredit in IngediendBedrag waarde Debet mag alleen ingezonden worden voor dezelfde ProductPeriode, ProductCategorie en ProductCode met gelijk ToewijzingNummer als er niet al een Prestatie met waarde Debet is.',
  note: 'Binnen het bericht en per Client (een toewijzing hoort bij één cliënt; een toewijzingnummer onder een andere cliënt meldt TR304 bij de controle tegen de historie). Debetregels in eerdere berichten: zie docs/ijw-rules.md.',
  start: (ctx) => ({
    client(c, at) {
      const seen = new Map<string, string>();
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        if (p.IngediendBedrag?.DebetCredit !== 'D') return;
        const key = [p.ToewijzingNummer, p.ProductCategorie, p.ProductCode, p.ProductPeriode?.Begindatum, p.ProductPeriode?.Einddatum].join('|');
        const first = seen.get(key);
        if (first) ctx.report(path, `tweede debetregel voor toewijzing ${p.ToewijzingNummer}, product ${p.ProductCode}, periode ${p.ProductPeriode?.Begindatum} t/m ${p.ProductPeriode?.Einddatum} (eerste: ${first.slice(first.lastIndexOf('/') + 1)})`);
        else seen.set(key, path);
      });
    },
  }),
});

const tr319 = defineRule({
  code: 'TR319', retourcode: '9319', layer: 'bericht', messages: ['JW323'],
  text: 'Een declaratiebericht bevat alleen prestaties waarvan de ProductPeriode valt binnen de huidige, of een voorgaande declaratieperiode.',
  note: 'Berichtoverstijgend in de standaard, maar de declaratie zelf toont het: de ProductPeriode mag niet na de DeclaratiePeriode eindigen.',
  start: (ctx) => {
    let periodEnd: string | undefined;
    return {
      head(m) { const e = m.Declaratie?.DeclaratiePeriode?.Einddatum; periodEnd = isDate(e) ? e : undefined; },
      client(c, at) {
        if (!periodEnd) return;
        each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
          const e = p.ProductPeriode?.Einddatum;
          if (isDate(e) && e > periodEnd!) ctx.report(`${path}/ProductPeriode/Einddatum`, `productperiode eindigt ${e}, na de declaratieperiode (${periodEnd})`);
        });
      },
    };
  },
});

const tr335 = defineRule({
  code: 'TR335', retourcode: T, layer: 'bericht', messages: ['JW323'],
  text: 'Einddatum mag niet meer dan 5 jaar voor DeclaratieDagtekening liggen.',
  start: (ctx) => {
    let limit: string | undefined;
    return {
      head(m) { const d = m.Declaratie?.DeclaratieDagtekening; limit = isDate(d) ? addYears(d, -5) : undefined; },
      client(c, at) {
        if (!limit) return;
        each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
          const e = p.ProductPeriode?.Einddatum;
          if (isDate(e) && e < limit!) ctx.report(`${path}/ProductPeriode/Einddatum`, `productperiode eindigt ${e}, meer dan 5 jaar voor de declaratiedagtekening`);
        });
      },
    };
  },
});

const tr342 = defineRule({
  code: 'TR342', retourcode: T, layer: 'bericht', messages: ['JW325'],
  text: 'Alleen afgewezen Prestaties dienen meegestuurd te worden in het declaratie-antwoordbericht op een declaratie.',
  note: 'Gecontroleerd als: SOM(Prestatie.IngediendBedrag) = TotaalIngediendBedrag − TotaalToegekendBedrag (met debet/credit).',
  start: (ctx) => {
    let sum = 0, complete = true, lines = 0;
    return {
      client(c) {
        for (const p of c.Prestaties?.Prestatie ?? []) {
          lines++;
          const b = p.IngediendBedrag?.Bedrag;
          if (isInt(b)) sum += signed(b, p.IngediendBedrag?.DebetCredit); else complete = false;
        }
      },
      end(m) {
        const a = m.DeclaratieAntwoord;
        const i = a?.TotaalIngediendBedrag, t = a?.TotaalToegekendBedrag;
        if (!complete || !i || !t || !isInt(i.TotaalBedrag) || !isInt(t.TotaalBedrag)) return;
        if (lines === 0 && t.TotaalBedrag === 0) return; // whole declaration rejected: no lines, nothing granted
        const expected = signed(i.TotaalBedrag, i.DebetCredit) - signed(t.TotaalBedrag, t.DebetCredit);
        if (expected !== sum) ctx.report('/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag', `ingediend − toegekend = ${expected} cent, maar de meegestuurde (afgewezen) prestaties tellen op tot ${sum} cent`);
      },
    };
  },
});

// --- overlapping products in one allocation / request message ---------------------------------------------------
interface Span { cat?: string; code?: string; start: unknown; end: unknown; path: string; removed?: boolean }
function overlaps(spans: Span[], report: (path: string, detail: string) => void) {
  const same = (a: Span, b: Span) => (a.code && b.code ? a.code === b.code : a.cat && b.cat ? a.cat === b.cat : true);
  const live = spans.filter((s) => !s.removed && isDate(s.start) && (s.end === undefined || isDate(s.end)));
  for (let j = 1; j < live.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = live[i], b = live[j];
      if (!same(a, b)) continue;
      const aEnd = (a.end as string | undefined) ?? '9999-12-31', bEnd = (b.end as string | undefined) ?? '9999-12-31';
      if ((a.start as string) <= bEnd && (b.start as string) <= aEnd) {
        report(b.path, `${b.code ?? b.cat ?? 'product'} overlapt met ${a.path.slice(a.path.lastIndexOf('/') + 1)} (${a.start} t/m ${a.end ?? 'open'})`);
        break;
      }
    }
  }
}

const tr302 = defineRule({
  code: 'TR302', retourcode: T, layer: 'bericht', messages: ['JW301'],
  text: 'Een Product mag alleen vaker in een toewijzingsbericht voorkomen indien de zorgperiodes elkaar niet overlappen.',
  note: 'Zonder ProductCode op niveau van categorie; zonder categorie met elk product. Verwijderde toewijzingen (Einddatum = Ingangsdatum met RedenWijziging 13 of 01) tellen niet mee.',
  start: (ctx) => ({
    client(c, at) {
      const spans: Span[] = [];
      each(c.ToegewezenProducten?.ToegewezenProduct, `${at.path}/ToegewezenProducten`, 'ToegewezenProduct', (t, path) => spans.push({
        cat: t.Product?.Categorie, code: t.Product?.Code, start: t.Ingangsdatum, end: t.Einddatum, path,
        removed: t.Einddatum === t.Ingangsdatum && (t.RedenWijziging === '13' || t.RedenWijziging === '01'),
      }));
      overlaps(spans, ctx.report);
    },
  }),
});

const tr386 = defineRule({
  code: 'TR386', retourcode: T, layer: 'bericht', messages: ['JW315'],
  text: 'Een Product mag alleen vaker in een verzoek om toewijzing voorkomen indien de zorgperiodes elkaar niet overlappen.',
  start: (ctx) => ({
    client(c, at) {
      const spans: Span[] = [];
      each(c.AangevraagdeProducten?.AangevraagdProduct, `${at.path}/AangevraagdeProducten`, 'AangevraagdProduct', (a, path) =>
        spans.push({ cat: a.Product?.Categorie, code: a.Product?.Code, start: a.ToewijzingIngangsdatum, end: a.ToewijzingEinddatum, path }));
      overlaps(spans, ctx.report);
    },
  }),
});

const tr410 = defineRule({
  code: 'TR410', retourcode: T, layer: 'bericht', messages: ['JW317'],
  text: 'Een Product mag alleen vaker in de berichtklassen NieuwProduct voorkomen als de zorgperiodes elkaar niet overlappen.',
  start: (ctx) => ({
    client(c, at) {
      const spans: Span[] = [];
      each(c.Verzoek?.NieuweProducten?.NieuwProduct, `${at.path}/Verzoek/NieuweProducten`, 'NieuwProduct', (n, path) =>
        spans.push({ cat: n.Product?.Categorie, code: n.Product?.Code, start: n.GewensteIngangsdatum, end: n.Einddatum, path }));
      overlaps(spans, ctx.report);
    },
  }),
});

const tr383 = defineRule({
  code: 'TR383', retourcode: T, layer: 'bericht', messages: ['JW315'],
  text: 'ReferentieAanbieder is uniek voor elk AangevraagdProduct binnen het bericht.',
  start: (ctx) => ({
    client(c, at) {
      const seen = new Set<string>();
      each(c.AangevraagdeProducten?.AangevraagdProduct, `${at.path}/AangevraagdeProducten`, 'AangevraagdProduct', (a, path) => {
        if (!filled(a.ReferentieAanbieder)) return;
        if (seen.has(a.ReferentieAanbieder)) ctx.report(`${path}/ReferentieAanbieder`, `ReferentieAanbieder ${a.ReferentieAanbieder} komt vaker voor`);
        seen.add(a.ReferentieAanbieder);
      });
    },
  }),
});

const tr352 = defineRule({
  code: 'TR352', retourcode: T, layer: 'bericht', messages: ['JW317'],
  text: 'Bij een verzoek om wijziging komt minstens 1 OngewijzigdProduct of TeWijzigenProduct voor.',
  start: (ctx) => ({
    client(c, at) {
      const v = c.Verzoek;
      if (v && !v.OngewijzigdeProducten?.OngewijzigdProduct?.length && !v.TeWijzigenProducten?.TeWijzigenProduct?.length) ctx.report(`${at.path}/Verzoek`, 'geen OngewijzigdProduct en geen TeWijzigenProduct');
    },
  }),
});

const tr353 = defineRule({
  code: 'TR353', retourcode: T, layer: 'bericht', messages: ['JW317'],
  text: 'Bij een verzoek om wijziging komt minstens 1 TeWijzigenProduct of NieuwProduct voor.',
  start: (ctx) => ({
    client(c, at) {
      const v = c.Verzoek;
      if (v && !v.TeWijzigenProducten?.TeWijzigenProduct?.length && !v.NieuweProducten?.NieuwProduct?.length) ctx.report(`${at.path}/Verzoek`, 'geen TeWijzigenProduct en geen NieuwProduct');
    },
  }),
});

// --- JW319 answer to a request ------------------------------------------------------------------------------------
const tr377 = defineRule({
  code: 'TR377', retourcode: T, layer: 'bericht', messages: ['JW319'],
  text: 'Indien RedenAfwijzingVerzoek de waarde 8 (Woonplaatsbeginsel) heeft, dan berichtklasse Woonplaatsbeginsel opnemen.',
  start: (ctx) => ({
    end(m) { if (m.Antwoord?.RedenAfwijzingVerzoek === '8' && !m.Antwoord.Woonplaatsbeginsel) ctx.report('/Bericht/Antwoord', 'RedenAfwijzingVerzoek 8 zonder Woonplaatsbeginsel'); },
  }),
});

const tr409 = defineRule({
  code: 'TR409', retourcode: T, layer: 'bericht', messages: ['JW319'],
  text: 'Als RedenAfwijzingVerzoek ongelijk is aan 8 (Woonplaatsbeginsel), dan berichtklasse Woonplaatsbeginsel weglaten.',
  start: (ctx) => ({
    end(m) { if (m.Antwoord?.Woonplaatsbeginsel && m.Antwoord.RedenAfwijzingVerzoek !== '8') ctx.report('/Bericht/Antwoord/Woonplaatsbeginsel', 'Woonplaatsbeginsel zonder RedenAfwijzingVerzoek 8'); },
  }),
});

const cd085 = defineRule({
  code: 'CD085', retourcode: T, layer: 'bericht', messages: ['JW319'],
  text: 'Als VerzoekAntwoord de waarde 1 (Verzoek afgewezen) heeft, dan vullen.',
  note: 'Geldt voor RedenAfwijzingVerzoek.',
  start: (ctx) => ({ end(m) { if (m.Antwoord?.VerzoekAntwoord === '1' && !filled(m.Antwoord.RedenAfwijzingVerzoek)) ctx.report('/Bericht/Antwoord', 'verzoek afgewezen zonder RedenAfwijzingVerzoek'); } }),
});

const cd086 = defineRule({
  code: 'CD086', retourcode: T, layer: 'bericht', messages: ['JW319'],
  text: 'Als VerzoekAntwoord de waarde 2 (Aanvraag in onderzoek) heeft, dan leeg laten.',
  note: 'Geldt voor RedenAfwijzingVerzoek.',
  start: (ctx) => ({ end(m) { if (m.Antwoord?.VerzoekAntwoord === '2' && filled(m.Antwoord.RedenAfwijzingVerzoek)) ctx.report('/Bericht/Antwoord/RedenAfwijzingVerzoek', 'RedenAfwijzingVerzoek bij een aanvraag in onderzoek'); } }),
});

// --- allocations and requests: Omvang, Budget, Product -----------------------------------------------------------
/** The allocated/requested products of JW301, JW315 and JW317, with the names of their dates. */
function productsOf(type: MessageType, c: any, base: string): { p: any; path: string; end: unknown; endName: string; withProduct: boolean }[] {
  const out: { p: any; path: string; end: unknown; endName: string; withProduct: boolean }[] = [];
  if (type === 'JW301') each(c.ToegewezenProducten?.ToegewezenProduct, `${base}/ToegewezenProducten`, 'ToegewezenProduct', (p: any, path) => out.push({ p, path, end: p.Einddatum, endName: 'Einddatum', withProduct: true }));
  if (type === 'JW315') each(c.AangevraagdeProducten?.AangevraagdProduct, `${base}/AangevraagdeProducten`, 'AangevraagdProduct', (p: any, path) => out.push({ p, path, end: p.ToewijzingEinddatum, endName: 'ToewijzingEinddatum', withProduct: true }));
  if (type === 'JW317') {
    each(c.Verzoek?.NieuweProducten?.NieuwProduct, `${base}/Verzoek/NieuweProducten`, 'NieuwProduct', (p: any, path) => out.push({ p, path, end: p.Einddatum, endName: 'Einddatum', withProduct: true }));
    each(c.Verzoek?.TeWijzigenProducten?.TeWijzigenProduct, `${base}/Verzoek/TeWijzigenProducten`, 'TeWijzigenProduct', (p: any, path) => out.push({ p, path, end: p.Einddatum, endName: 'Einddatum', withProduct: false }));
  }
  return out;
}

const cd041 = defineRule({
  code: 'CD041', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW315', 'JW317'],
  text: 'Indien Code in Product gevuld is, verplicht vullen.',
  note: 'Geldt voor Omvang.',
  start: (ctx) => ({
    client(c, at) { for (const x of productsOf(ctx.type, c, at.path)) if (x.withProduct && filled(x.p.Product?.Code) && !x.p.Omvang) ctx.report(x.path, `Omvang ontbreekt bij productcode ${x.p.Product.Code}`); },
  }),
});

const cd075 = defineRule({
  code: 'CD075', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW315', 'JW317'],
  text: 'Verplicht vullen indien Budget gevuld is.',
  note: 'Geldt voor de einddatum van het product.',
  start: (ctx) => ({
    client(c, at) { for (const x of productsOf(ctx.type, c, at.path)) if (filled(x.p.Budget) && !filled(x.end)) ctx.report(x.path, `${x.endName} ontbreekt bij een budget`); },
  }),
});

const cd076 = defineRule({
  code: 'CD076', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW315', 'JW317'],
  text: 'Verplicht vullen indien Frequentie waarde 2 (per week).',
  note: 'Geldt voor de einddatum van het product.',
  start: (ctx) => ({
    client(c, at) { for (const x of productsOf(ctx.type, c, at.path)) if (x.p.Omvang?.Frequentie === '2' && !filled(x.end)) ctx.report(x.path, `${x.endName} ontbreekt bij frequentie per week`); },
  }),
});

const cd077 = defineRule({
  code: 'CD077', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW315', 'JW317'],
  text: 'Indien Budget gevuld is, dan leeg laten.',
  note: 'Geldt voor Omvang. CD078 (Budget leeg laten als Omvang gevuld is) is dezelfde situatie van de andere kant en wordt niet dubbel gemeld.',
  start: (ctx) => ({
    client(c, at) { for (const x of productsOf(ctx.type, c, at.path)) if (filled(x.p.Budget) && x.p.Omvang) ctx.report(`${x.path}/Omvang`, 'Omvang en Budget zijn allebei gevuld'); },
  }),
});

const cd079 = defineRule({
  code: 'CD079', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW315', 'JW317'],
  text: 'Indien Budget leeg is, dan verplicht vullen.',
  note: 'Geldt voor Product (niet in TeWijzigenProduct, dat geen Product heeft).',
  start: (ctx) => ({
    client(c, at) { for (const x of productsOf(ctx.type, c, at.path)) if (x.withProduct && !filled(x.p.Budget) && !x.p.Product) ctx.report(x.path, 'Product ontbreekt terwijl er geen budget is'); },
  }),
});

/** CD080 (JW301), CD095 (JW315) and CD096 (JW317): one condition, three codes in the standard. */
const omvangZonderCode = (code: string, type: 'JW301' | 'JW315' | 'JW317') => defineRule({
  code, retourcode: T, layer: 'bericht', messages: [type],
  text: type === 'JW315'
    ? 'Indien Code in AangevraagdProduct leeg is en ToewijzingEinddatum van het AangevraagdProduct groter dan 31-12-2020 of leeg is, dan leeg laten'
    : type === 'JW317' ? 'Indien Code in NieuwProduct leeg is en Einddatum groter dan 31-12-2020 of leeg is, dan leeg laten'
      : 'Indien Code in Product leeg is en Einddatum van het ToegewezenProduct groter dan 31-12-2020 of leeg is, dan leeg laten',
  note: 'Geldt voor Omvang.',
  start: (ctx) => ({
    client(c, at) {
      for (const x of productsOf(ctx.type, c, at.path)) {
        if (!x.withProduct || !x.p.Omvang || filled(x.p.Product?.Code)) continue;
        if (!filled(x.end) || (isDate(x.end) && x.end > '2020-12-31')) ctx.report(`${x.path}/Omvang`, 'Omvang bij een toewijzing zonder productcode');
      }
    },
  }),
});
const cd080 = omvangZonderCode('CD080', 'JW301');
const cd095 = omvangZonderCode('CD095', 'JW315');
const cd096 = omvangZonderCode('CD096', 'JW317');

/** CS338 (JW301, JW317) and CS343 (JW315, with ToewijzingEinddatum): one constraint, two codes in the standard. */
const frequentieBijEenheid = (code: string, messages: ('JW301' | 'JW315' | 'JW317')[]) => defineRule({
  code, retourcode: T, layer: 'bericht', messages,
  text: code === 'CS343'
    ? 'Indien eenheid de waarde 14, 16, 83 of 84 heeft en ToewijzingEinddatum is groter dan 31-12-2020 of leeg, dan Frequentie vullen met waarde 2, 4 of 6'
    : 'Indien eenheid de waarde 14, 16, 83 of 84 heeft en Einddatum groter dan 31-12-2020 of leeg is, dan Frequentie vullen met de waarde 2 , 4 of 6',
  start: (ctx) => ({
    client(c, at) {
      for (const x of productsOf(ctx.type, c, at.path)) {
        const o = x.p.Omvang;
        if (!o || !['14', '16', '83', '84'].includes(o.Eenheid)) continue;
        if (filled(x.end) && !(isDate(x.end) && x.end > '2020-12-31')) continue;
        if (!['2', '4', '6'].includes(o.Frequentie)) ctx.report(`${x.path}/Omvang/Frequentie`, `frequentie ${o.Frequentie} bij eenheid ${o.Eenheid}`);
      }
    },
  }),
});
const cs338 = frequentieBijEenheid('CS338', ['JW301', 'JW317']);
const cs343 = frequentieBijEenheid('CS343', ['JW315']);

const cs335 = defineRule({
  code: 'CS335', retourcode: T, layer: 'bericht', messages: ['JW301'],
  text: 'RedenWijziging 13 (verwijderd) mag alleen gebruikt worden indien de ingangsdatum gelijk is aan de einddatum.',
  start: (ctx) => ({
    client(c, at) {
      each(c.ToegewezenProducten?.ToegewezenProduct, `${at.path}/ToegewezenProducten`, 'ToegewezenProduct', (t, path) => {
        if (t.RedenWijziging === '13' && t.Einddatum !== t.Ingangsdatum) ctx.report(`${path}/RedenWijziging`, 'verwijderd (13) terwijl einddatum en ingangsdatum verschillen');
      });
    },
  }),
});

const cs336 = defineRule({
  code: 'CS336', retourcode: T, layer: 'bericht', messages: ['JW301'],
  text: '01 (Administratieve correctie (vervallen)) niet gebruiken.',
  start: (ctx) => ({
    client(c, at) {
      each(c.ToegewezenProducten?.ToegewezenProduct, `${at.path}/ToegewezenProducten`, 'ToegewezenProduct', (t, path) => {
        if (t.RedenWijziging === '01') ctx.report(`${path}/RedenWijziging`, 'RedenWijziging 01 is vervallen');
      });
    },
  }),
});

// --- persons and addresses (JW301) ----------------------------------------------------------------------------------
const cs050 = defineRule({
  code: 'CS050', retourcode: T, layer: 'bericht', messages: ['JW301'],
  text: 'Als Partnernaam gevuld is, dan NaamGebruik vullen met waarde 1, 2, 3 of 4. Anders waarde 1 of 6 vullen.',
  start: (ctx) => {
    const check = (n: any, path: string) => {
      if (!n || !filled(n.NaamGebruik)) return;
      const ok = n.Partnernaam ? ['1', '2', '3', '4'] : ['1', '6'];
      if (!ok.includes(n.NaamGebruik)) ctx.report(`${path}/NaamGebruik`, `NaamGebruik ${n.NaamGebruik} ${n.Partnernaam ? 'met' : 'zonder'} partnernaam`);
    };
    return {
      client(c, at) {
        check(c.Naam, `${at.path}/Naam`);
        each(c.Relaties?.Relatie, `${at.path}/Relaties`, 'Relatie', (r, path) => check(r.Naam, `${path}/Naam`));
      },
    };
  },
});

const cs318 = defineRule({
  code: 'CS318', retourcode: T, layer: 'bericht', messages: ['JW301'],
  text: 'NaamGebruik 6 (Niet-natuurlijk persoon) niet vullen.',
  note: 'Geldt voor de naam van de Client.',
  start: (ctx) => ({ client(c, at) { if (c.Naam?.NaamGebruik === '6') ctx.report(`${at.path}/Naam/NaamGebruik`, 'NaamGebruik 6 bij de cliënt'); } }),
});

const cd007 = defineRule({
  code: 'CD007', retourcode: T, layer: 'bericht', messages: ['JW301'],
  text: 'Als Communicatie / Vorm de waarde 1 (tolk taal) heeft, dan verplicht vullen, anders leeglaten.',
  note: 'Geldt voor Communicatie / Taal.',
  start: (ctx) => ({
    client(c, at) {
      const k = c.Communicatie;
      if (!k) return;
      if (k.Vorm === '1' && !filled(k.Taal)) ctx.report(`${at.path}/Communicatie`, 'tolk taal zonder Taal');
      if (k.Vorm !== '1' && filled(k.Taal)) ctx.report(`${at.path}/Communicatie/Taal`, 'Taal ingevuld zonder tolk taal');
    },
  }),
});

/** Every Contact in a JW301 Client (Contactgegevens and those of Relaties) with its XPath. */
function contactsOf(c: any, base: string): { k: any; path: string }[] {
  const out: { k: any; path: string }[] = [];
  each(c.Contactgegevens?.Contact, `${base}/Contactgegevens`, 'Contact', (k, path) => out.push({ k, path }));
  each(c.Relaties?.Relatie, `${base}/Relaties`, 'Relatie', (r: any, path) => { if (r.Contact) out.push({ k: r.Contact, path: `${path}/Contact` }); });
  return out;
}

const cd009 = defineRule({
  code: 'CD009', retourcode: T, layer: 'bericht', messages: ['JW301'],
  text: 'Alleen als Soort adres de waarde 04 (tijdelijk adres) heeft, is vullen toegestaan.',
  note: 'Geldt voor Contact / Periode.',
  start: (ctx) => ({ client(c, at) { for (const { k, path } of contactsOf(c, at.path)) if (k.Periode && k.Soort !== '04') ctx.report(`${path}/Periode`, `periode bij adressoort ${k.Soort}`); } }),
});

const cs089 = defineRule({
  code: 'CS089', retourcode: T, layer: 'bericht', messages: ['JW301'],
  text: 'Als LandCode de waarde NL (Nederland) heeft, dan moet het formaat overeenkomen met dat van een Nederlandse postcode.',
  start: (ctx) => ({
    client(c, at) {
      for (const { k, path } of contactsOf(c, at.path)) {
        const a = k.Adres;
        if (a?.LandCode === 'NL' && filled(a.Postcode) && !/^[1-9][0-9]{3}[A-Z]{2}$/.test(a.Postcode)) ctx.report(`${path}/Adres/Postcode`, `'${a.Postcode}' is geen Nederlandse postcode (1234AB)`);
      }
    },
  }),
});

const cs139 = defineRule({
  code: 'CS139', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW305', 'JW307', 'JW315'],
  text: 'Voor Geboortedatum geldt dat DatumGebruik en Datum met elkaar in overeenstemming moeten zijn.',
  note: 'Onbekende delen worden met 01 gevuld: DatumGebruik 1 → dag 01; 2 → 01-01; 3 → 1900-01-01 (COD170, TR002).',
  start: (ctx) => {
    const check = (g: any, path: string) => {
      if (!g || !filled(g.DatumGebruik) || !isDate(g.Datum)) return;
      const d: string = g.Datum;
      const ok = g.DatumGebruik === '1' ? d.endsWith('-01') : g.DatumGebruik === '2' ? d.endsWith('-01-01') : g.DatumGebruik === '3' ? d === '1900-01-01' : true;
      if (!ok) ctx.report(`${path}/Datum`, `datum ${d} past niet bij DatumGebruik ${g.DatumGebruik}`);
    };
    return {
      client(c: any, at) {
        check(c.Geboortedatum, `${at.path}/Geboortedatum`);
        each(c.Relaties?.Relatie, `${at.path}/Relaties`, 'Relatie', (r: any, path) => check(r.Geboortedatum, `${path}/Geboortedatum`));
      },
    };
  },
});

const tr002 = defineRule({
  code: 'TR002', retourcode: T, layer: 'bericht', messages: ['JW301', 'JW305', 'JW307', 'JW315'],
  text: 'Geboortedatum mag niet meer dan 120 jaar voor de Dagtekening liggen, tenzij Geboortedatum onbekend is.',
  start: (ctx) => {
    let limit: string | undefined;
    return {
      head(m) { const d = m.Header?.BerichtIdentificatie?.Dagtekening; limit = isDate(d) ? addYears(d, -120) : undefined; },
      client(c: any, at) {
        const g = c.Geboortedatum;
        if (!limit || !g || !isDate(g.Datum) || (g.DatumGebruik === '3' && g.Datum === '1900-01-01')) return;
        if (g.Datum < limit) ctx.report(`${at.path}/Geboortedatum/Datum`, `geboortedatum ${g.Datum} ligt meer dan 120 jaar voor de dagtekening`);
      },
    };
  },
});

// --- requests (JW315) -------------------------------------------------------------------------------------------
const cd043 = defineRule({
  code: 'CD043', retourcode: T, layer: 'bericht', messages: ['JW315'],
  text: 'Indien Beschikkingnummer gevuld is, verplicht vullen, anders leeg laten.',
  note: 'Geldt voor BeschikkingIngangsdatum.',
  start: (ctx) => ({
    client(c, at) {
      each(c.AangevraagdeProducten?.AangevraagdProduct, `${at.path}/AangevraagdeProducten`, 'AangevraagdProduct', (a, path) => {
        if (filled(a.BeschikkingNummer) && !filled(a.BeschikkingIngangsdatum)) ctx.report(path, 'BeschikkingIngangsdatum ontbreekt bij een beschikkingnummer');
        if (!filled(a.BeschikkingNummer) && filled(a.BeschikkingIngangsdatum)) ctx.report(`${path}/BeschikkingIngangsdatum`, 'BeschikkingIngangsdatum zonder beschikkingnummer');
      });
    },
  }),
});

const REFERRERS_WITH_CODE = ['02', '03', '04', '05'];
const verwijzers = (c: any, base: string) => {
  const out: { v: any; path: string }[] = [];
  each(c.AangevraagdeProducten?.AangevraagdProduct, `${base}/AangevraagdeProducten`, 'AangevraagdProduct', (a: any, path) => { if (a.Verwijzer) out.push({ v: a.Verwijzer, path: `${path}/Verwijzer` }); });
  return out;
};

const cd066 = defineRule({
  code: 'CD066', retourcode: T, layer: 'bericht', messages: ['JW315'],
  text: 'Als type verwijzer gelijk is aan 02, 03, 04 of 05 en ZorgverlenerCode is gevuld, dan is Naamverwijzer leeg.',
  start: (ctx) => ({ client(c, at) { for (const { v, path } of verwijzers(c, at.path)) if (REFERRERS_WITH_CODE.includes(v.Type) && filled(v.ZorgverlenerCode) && filled(v.Naam)) ctx.report(`${path}/Naam`, 'naam verwijzer naast een zorgverlenercode'); } }),
});

const cd067 = defineRule({
  code: 'CD067', retourcode: T, layer: 'bericht', messages: ['JW315'],
  text: 'Als type verwijzer gelijk is aan 02, 03, 04 of 05 en ZorgverlenerCode is leeg, dan is Naamverwijzer gevuld.',
  start: (ctx) => ({ client(c, at) { for (const { v, path } of verwijzers(c, at.path)) if (REFERRERS_WITH_CODE.includes(v.Type) && !filled(v.ZorgverlenerCode) && !filled(v.Naam)) ctx.report(path, 'naam verwijzer ontbreekt (geen zorgverlenercode)'); } }),
});

const cd068 = defineRule({
  code: 'CD068', retourcode: T, layer: 'bericht', messages: ['JW315'],
  text: 'Als type verwijzer ongelijk is aan 02, 03, 04 of 05, dan is ZorgverlenerCode leeg.',
  start: (ctx) => ({ client(c, at) { for (const { v, path } of verwijzers(c, at.path)) if (!REFERRERS_WITH_CODE.includes(v.Type) && filled(v.ZorgverlenerCode)) ctx.report(`${path}/ZorgverlenerCode`, `zorgverlenercode bij verwijzertype ${v.Type}`); } }),
});

// --- start and stop (JW305, JW307) -----------------------------------------------------------------------------------
const cs058 = defineRule({
  code: 'CS058', retourcode: T, layer: 'bericht', messages: ['JW305', 'JW307'],
  text: '1 (eerste aanlevering) of 3 (verwijderen aanlevering) vullen.',
  note: 'Geldt voor StatusAanlevering.',
  start: (ctx) => ({
    client(c: any, at) {
      const [wrap, item] = ctx.type === 'JW305' ? ['StartProducten', 'StartProduct'] : ['StopProducten', 'StopProduct'];
      each(c[wrap]?.[item], `${at.path}/${wrap}`, item, (s: any, path) => {
        if (filled(s.StatusAanlevering) && s.StatusAanlevering !== '1' && s.StatusAanlevering !== '3') ctx.report(`${path}/StatusAanlevering`, `StatusAanlevering ${s.StatusAanlevering}`);
      });
    },
  }),
});

export const BERICHT_RULES: RuleDef<any>[] = [
  cs002, cs003, cs050, cs058, cs089, cs100, cs139, cs318, cs325, cs335, cs336, cs338, cs339, cs340, cs343,
  cd007, cd009, cd041, cd043, cd060, cd066, cd067, cd068, cd075, cd076, cd077, cd079, cd080, cd085, cd086, cd087, cd095, cd096,
  tr002, tr101, tr302, tr315, tr316, tr319, tr335, tr342, tr352, tr353, tr358, tr377, tr383, tr386, tr409, tr410, tr416,
  op367,
];
