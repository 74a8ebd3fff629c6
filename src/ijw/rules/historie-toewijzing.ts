// Layer "historie" for allocations and requests: a JW301 against the allocations and requests before it (TR332,
// TR379, TR385); a JW315/JW317 (verzoek om toewijzing / om wijziging) against the provider's earlier requests and the
// client's allocations (TR347, TR349–TR351, TR357, TR361, TR373–TR375, TR411, TR412); a JW319 (antwoord) against the
// request it answers and the answers and allocations before it (TR355, TR359, TR360, TR365). The data come from the
// message store: allocations (with RedenWijziging and an open ProductCode, migration 023), ijw_request (JW315/JW317),
// ijw_answer (JW319) and the ReferentieAanbieder of every JW301 (ijw_allocation_message.reference).
import type { JW301Client, JW315Client, JW317Client, JW317TeWijzigenProduct, JW319Bericht } from '../schema.ts';
import type { AllocationInfo, HistorySnapshot } from './history-types.ts';
import { defineRule, type RuleDef } from './types.ts';
import { each, isInt } from './walk.ts';
import { periodOverlap, sameProduct } from './xslt.ts';

// ---------------------------------------------------------------- JW301

const tr332 = defineRule({
  code: 'TR332',
  retourcode: '9332',
  layer: 'historie',
  messages: ['JW301'],
  text: 'Ieder ToegewezenProduct binnen één gemeente heeft een uniek nummer per wettelijk domein.',
  note: 'Een ToewijzingNummer dat de gemeente al gebruikt mag alleen terugkomen voor dezelfde toewijzing (een wijziging): dezelfde aanbieder, cliënt, productcategorie en productcode. De ingangsdatum wordt niet vergeleken: de import houdt de opgeslagen ingangsdatum aan.',
  start: (ctx) => ({
    client(c: JW301Client, at, h) {
      if (!h) return;
      each(c.ToegewezenProducten?.ToegewezenProduct, `${at.path}/ToegewezenProducten`, 'ToegewezenProduct', (p, path) => {
        if (!isInt(p.ToewijzingNummer)) return;
        const a = h.allocation(p.ToewijzingNummer, c.Bsn);
        if (!a) return;
        const why = !a.sameProvider
          ? 'een andere aanbieder'
          : !a.sameClient
            ? 'een andere cliënt'
            : a.productCategory !== null && (p.Product?.Categorie ?? null) !== a.productCategory
              ? `productcategorie ${a.productCategory}`
              : (p.Product?.Code ?? null) !== a.productCode
                ? `productcode ${a.productCode ?? '(leeg)'}`
                : '';
        if (why) ctx.report(`${path}/ToewijzingNummer`, `toewijzingnummer ${p.ToewijzingNummer} is al gebruikt voor een andere toewijzing (${why})`);
      });
    },
  }),
});

const tr379 = defineRule({
  code: 'TR379',
  retourcode: '9379',
  layer: 'historie',
  messages: ['JW301'],
  text: 'Indien ToegewezenProduct wordt verstuurd ter honorering van een VOT of VOW, dient ReferentieAanbieder te worden gevuld met ReferentieAanbieder uit die VOT of VOW, anders leeglaten.',
  note: 'Getoetst bij de eerste keer dat een toewijzing wordt verstuurd (een nieuw ToewijzingNummer): een gevulde ReferentieAanbieder komt uit een eerder verzoek (JW315/JW317) van deze aanbieder voor deze cliënt. Of een toewijzing zonder ReferentieAanbieder een verzoek honoreert, toont geen bericht.',
  start: (ctx) => ({
    client(c: JW301Client, at, h) {
      if (!h?.request) return;
      each(c.ToegewezenProducten?.ToegewezenProduct, `${at.path}/ToegewezenProducten`, 'ToegewezenProduct', (p, path) => {
        const ref = p.ReferentieAanbieder;
        if (typeof ref !== 'string' || !isInt(p.ToewijzingNummer) || h.allocation(p.ToewijzingNummer, c.Bsn)) return;
        const r = h.request!(ref, c.Bsn);
        if (!r.requested) ctx.report(`${path}/ReferentieAanbieder`, `geen verzoek van de aanbieder met referentie ${ref}`);
        else if (!r.sameClient) ctx.report(`${path}/ReferentieAanbieder`, `het verzoek met referentie ${ref} is voor een andere cliënt`);
      });
    },
  }),
});

const tr385 = defineRule({
  code: 'TR385',
  retourcode: '9385',
  layer: 'historie',
  messages: ['JW301'],
  text: 'Indien de toewijzing goedgekeurde (niet gecrediteerde) prestatiesregels met gelijk ToewijzingNummer heeft, is het niet toegestaan deze toewijzing te verwijderen met RedenWijziging waarde 13 (verwijderd).',
  note: 'Goedgekeurd en niet gecrediteerd: de geaccepteerde regels op de toewijzing tellen netto (credit trekt af) niet op tot nul, in volume of bedrag.',
  start: (ctx) => ({
    client(c: JW301Client, at, h) {
      if (!h) return;
      each(c.ToegewezenProducten?.ToegewezenProduct, `${at.path}/ToegewezenProducten`, 'ToegewezenProduct', (p, path) => {
        if (p.RedenWijziging !== '13' || !isInt(p.ToewijzingNummer)) return;
        const a = h.allocation(p.ToewijzingNummer, c.Bsn);
        if (!a || !a.sameProvider) return;
        const d = h.declared(p.ToewijzingNummer);
        if (Math.abs(d.volume) > 1e-9 || d.amountCents !== 0)
          ctx.report(`${path}/RedenWijziging`, `op toewijzing ${p.ToewijzingNummer} zijn declaratieregels goedgekeurd en niet gecrediteerd: eerst crediteren`);
      });
    },
  }),
});

// ---------------------------------------------------------------- JW315 and JW317

/** The ReferentieAanbieder values of a request with their paths: each AangevraagdProduct (JW315), the Verzoek (JW317). */
function references(type: 'JW315' | 'JW317', c: JW315Client | JW317Client, base: string): [string, string][] {
  if (type === 'JW317') {
    const ref = (c as JW317Client).Verzoek?.ReferentieAanbieder;
    return typeof ref === 'string' ? [[ref, `${base}/Verzoek/ReferentieAanbieder`]] : [];
  }
  const out: [string, string][] = [];
  each((c as JW315Client).AangevraagdeProducten?.AangevraagdProduct, `${base}/AangevraagdeProducten`, 'AangevraagdProduct', (p, path) => {
    if (typeof p.ReferentieAanbieder === 'string') out.push([p.ReferentieAanbieder, `${path}/ReferentieAanbieder`]);
  });
  return out;
}

const tr347 = defineRule({
  code: 'TR347',
  retourcode: '9347',
  layer: 'historie',
  messages: ['JW315', 'JW317'],
  text: 'ReferentieAanbieder is uniek voor de aanbieder binnen het wettelijk domein.',
  note: 'Tegen de eerder geaccepteerde verzoeken (JW315, JW317) van deze aanbieder aan deze gemeente; binnen het bericht: TR383 en TR101.',
  start: (ctx) => ({
    client(c: JW315Client | JW317Client, at, h) {
      if (!h?.request) return;
      for (const [ref, path] of references(ctx.type, c, at.path))
        if (h.request(ref).requested) ctx.report(path, `referentie ${ref} is al gebruikt in een eerder verzoek van deze aanbieder`);
    },
  }),
});

const tr374 = defineRule({
  code: 'TR374',
  retourcode: '9374',
  layer: 'historie',
  messages: ['JW315', 'JW317'],
  text: 'Een verzoek mag alleen worden verstuurd als er geen onderhanden verzoek is voor de betreffende client van dezelfde aanbieder.',
  note: 'Onderhanden: een eerder verzoek van deze aanbieder voor deze cliënt waarop nog geen antwoordbericht met VerzoekAntwoord 1 (afgewezen) en geen toewijzingsbericht met dezelfde ReferentieAanbieder is gekomen.',
  start: (ctx) => ({
    client(c: JW315Client | JW317Client, at, h) {
      const open = h?.openRequest?.(c.Bsn);
      if (open) ctx.report(`${at.path}/Bsn`, `voor deze cliënt is het verzoek met referentie ${open} nog in behandeling`);
    },
  }),
});

/** Current (actueel) allocation: of this provider and client, valid on or after the date, and not removed (start = end with RedenWijziging 13). */
const current = (a: AllocationInfo | undefined, day: string): a is AllocationInfo =>
  !!a && a.sameProvider && a.sameClient && !(a.removed && a.endDate === a.startDate) && (a.endDate === null || a.endDate >= day);

/** JW317 rules read the Dagtekening of the message (the day the request was made: "huidige datum"). */
function jw317Rule(
  code: string,
  retourcode: string,
  text: string,
  note: string,
  check: (c: JW317Client, base: string, h: HistorySnapshot, day: string, report: (where: string | string[], detail: string) => void) => void,
): RuleDef<'JW317'> {
  return defineRule({
    code,
    retourcode,
    layer: 'historie',
    messages: ['JW317'],
    text,
    note,
    start: (ctx) => {
      let day = '';
      return {
        head(m) {
          day = m.Header?.BerichtIdentificatie?.Dagtekening ?? '';
        },
        client(c, at, h) {
          if (h) check(c, at.path, h, day, (where, detail) => ctx.report(where, detail));
        },
      };
    },
  });
}

const V = (base: string) => `${base}/Verzoek`;
const eachChanged = (c: JW317Client, base: string, fn: (p: JW317TeWijzigenProduct, path: string) => void) =>
  each(c.Verzoek?.TeWijzigenProducten?.TeWijzigenProduct, `${V(base)}/TeWijzigenProducten`, 'TeWijzigenProduct', fn);

const tr349 = jw317Rule(
  'TR349',
  '9349',
  'Het verzoek om wijziging bericht bevat alle actuele ToegewezenProducten van de client.',
  'Actueel: een toewijzing van de gemeente aan deze aanbieder voor deze cliënt, geldig op of na de dagtekening van het verzoek, niet verwijderd (einddatum = ingangsdatum met RedenWijziging 13). Ieder staat in OngewijzigdProduct of TeWijzigenProduct.',
  (c, base, h, day, report) => {
    if (!h.clientAllocations) return;
    const named = new Set<number>(
      [...(c.Verzoek?.OngewijzigdeProducten?.OngewijzigdProduct ?? []), ...(c.Verzoek?.TeWijzigenProducten?.TeWijzigenProduct ?? [])].map(
        (p) => p.ToewijzingNummer,
      ),
    );
    const missing = h
      .clientAllocations(c.Bsn)
      .filter((a) => current(a, day) && !named.has(a.assignmentNumber))
      .map((a) => a.assignmentNumber);
    if (missing.length) report(V(base), `actuele toewijzing${missing.length > 1 ? 'en' : ''} ${missing.join(', ')} ontbreekt in het verzoek`);
  },
);

const tr350 = jw317Rule(
  'TR350',
  '9350',
  'Ieder OngewijzigdProduct in een verzoek om wijziging bericht is gerelateerd aan een actueel toegewezen product op basis van het ToewijzingNummer.',
  'Een actuele toewijzing (zie TR349) met dit nummer.',
  (c, base, h, day, report) =>
    each(c.Verzoek?.OngewijzigdeProducten?.OngewijzigdProduct, `${V(base)}/OngewijzigdeProducten`, 'OngewijzigdProduct', (p, path) => {
      if (isInt(p.ToewijzingNummer) && !current(h.allocation(p.ToewijzingNummer, c.Bsn), day))
        report(`${path}/ToewijzingNummer`, `geen actuele toewijzing ${p.ToewijzingNummer} van deze aanbieder voor deze cliënt`);
    }),
);

const tr351 = jw317Rule(
  'TR351',
  '9351',
  'Ieder TeWijzigenProduct in een verzoek om wijziging is gerelateerd aan een actueel ToegewezenProduct op basis van ToewijzingNummer.',
  'Een actuele toewijzing (zie TR349) met dit nummer.',
  (c, base, h, day, report) =>
    eachChanged(c, base, (p, path) => {
      if (isInt(p.ToewijzingNummer) && !current(h.allocation(p.ToewijzingNummer, c.Bsn), day))
        report(`${path}/ToewijzingNummer`, `geen actuele toewijzing ${p.ToewijzingNummer} van deze aanbieder voor deze cliënt`);
    }),
);

/** The allocation a TeWijzigenProduct changes, when it is this provider's for this client. */
const changed = (h: HistorySnapshot, c: JW317Client, p: JW317TeWijzigenProduct) => {
  const a = isInt(p.ToewijzingNummer) ? h.allocation(p.ToewijzingNummer, c.Bsn) : undefined;
  return a && a.sameProvider && a.sameClient ? a : undefined;
};

const tr357 = jw317Rule(
  'TR357',
  '9357',
  'Als GewensteIngangsdatum kleiner dan of gelijk is aan de dagtekening, dan is GewensteIngangsdatum gelijk aan ingangsdatum van het originele ToegewezenProduct.',
  'Een wijziging die niet in de toekomst ingaat, geldt voor de hele looptijd.',
  (c, base, h, day, report) =>
    eachChanged(c, base, (p, path) => {
      const a = changed(h, c, p);
      if (a && p.GewensteIngangsdatum <= day && p.GewensteIngangsdatum !== a.startDate)
        report(
          `${path}/GewensteIngangsdatum`,
          `gewenste ingangsdatum ${p.GewensteIngangsdatum} ligt niet na de dagtekening ${day} en is niet de ingangsdatum ${a.startDate} van toewijzing ${p.ToewijzingNummer}`,
        );
    }),
);

const tr373 = jw317Rule(
  'TR373',
  '9373',
  'Indien in een TeWijzigenProduct het Budget of het totaal over toewijzingsperiode wordt gewijzigd, dient GewensteIngangsdatum gelijk te zijn aan de actuele toewijzing.',
  'Gewijzigd: een Budget anders dan dat van de toewijzing, of een Omvang met Frequentie 6 (totaal binnen de geldigheidsduur) met een ander volume of een andere frequentie.',
  (c, base, h, _day, report) =>
    eachChanged(c, base, (p, path) => {
      const a = changed(h, c, p);
      if (!a) return;
      const budget = isInt(p.Budget) && p.Budget !== a.budgetCents;
      const total = p.Omvang?.Frequentie === '6' && (p.Omvang.Volume !== a.volume || a.frequency !== '6');
      if ((budget || total) && p.GewensteIngangsdatum !== a.startDate)
        report(
          `${path}/GewensteIngangsdatum`,
          `${budget ? 'budget' : 'totale omvang'} gewijzigd: de gewenste ingangsdatum moet de ingangsdatum ${a.startDate} van toewijzing ${p.ToewijzingNummer} zijn`,
        );
    }),
);

/** Einddatum groter dan 31-12-2020 of leeg (TR375, TR412). */
const after2020 = (end: string | undefined) => end === undefined || end > '2020-12-31';

const tr375 = jw317Rule(
  'TR375',
  '9375',
  'Indien Product in de toewijzing met ToewijzingNummer leeg is en Einddatum groter dan 31-12-2020 of leeg is, dan leeg laten.',
  "Geldt voor Omvang in TeWijzigenProduct, bij een toewijzing zonder Product (geen categorie en geen code). De database bewaart een toewijzing altijd met een categorie, dus dit geldt alleen voor een historie die zo'n toewijzing kent.",
  (c, base, h, _day, report) =>
    eachChanged(c, base, (p, path) => {
      const a = changed(h, c, p);
      if (a && a.productCategory === null && a.productCode === null && after2020(p.Einddatum) && p.Omvang)
        report(`${path}/Omvang`, `toewijzing ${p.ToewijzingNummer} heeft geen product: omvang leeg laten`);
    }),
);

const tr411 = jw317Rule(
  'TR411',
  '9411',
  'Indien Code in Product bij de toewijzing met ToewijzingNummer gevuld is, dan Omvang verplicht vullen',
  'Geldt voor TeWijzigenProduct.',
  (c, base, h, _day, report) =>
    eachChanged(c, base, (p, path) => {
      const a = changed(h, c, p);
      if (a && a.productCode !== null && !p.Omvang) report(path, `toewijzing ${p.ToewijzingNummer} heeft productcode ${a.productCode}: omvang vullen`);
    }),
);

const tr412 = jw317Rule(
  'TR412',
  '9412',
  'Indien Code in Product bij de toewijzing met ToewijzingNummer leeg is en einddatum groter dan 31-12-2020 of leeg is, dan leeg laten',
  'Geldt voor Omvang in TeWijzigenProduct (Einddatum: die van het TeWijzigenProduct).',
  (c, base, h, _day, report) =>
    eachChanged(c, base, (p, path) => {
      const a = changed(h, c, p);
      if (a && a.productCode === null && after2020(p.Einddatum) && p.Omvang)
        report(`${path}/Omvang`, `toewijzing ${p.ToewijzingNummer} heeft geen productcode: omvang leeg laten`);
    }),
);

const tr361 = jw317Rule(
  'TR361',
  '9361',
  'Een Product mag alleen vaker in verzoek om wijziging voorkomen als de zorgperiodes elkaar niet overlappen.',
  'Voor OngewijzigdProduct en TeWijzigenProduct gelden het product en de periode van de toewijzing (een TeWijzigenProduct met zijn nieuwe Einddatum), naast ieder ander product van het verzoek; zonder code op niveau van categorie, zonder categorie met elk product. Twee NieuweProducten onderling: TR410.',
  (c, base, h, _day, report) => {
    interface P {
      product: { Categorie?: string; Code?: string };
      from: string;
      to: string | undefined;
      path: string;
      allocated: boolean;
    }
    const items: P[] = [];
    const prod = (a: AllocationInfo) => ({ Categorie: a.productCategory ?? undefined, Code: a.productCode ?? undefined });
    each(c.Verzoek?.OngewijzigdeProducten?.OngewijzigdProduct, `${V(base)}/OngewijzigdeProducten`, 'OngewijzigdProduct', (p, path) => {
      const a = isInt(p.ToewijzingNummer) ? h.allocation(p.ToewijzingNummer, c.Bsn) : undefined;
      if (a && a.sameProvider && a.sameClient) items.push({ product: prod(a), from: a.startDate, to: a.endDate ?? undefined, path, allocated: true });
    });
    eachChanged(c, base, (p, path) => {
      const a = changed(h, c, p);
      if (a) items.push({ product: prod(a), from: a.startDate, to: p.Einddatum ?? a.endDate ?? undefined, path, allocated: true });
    });
    each(c.Verzoek?.NieuweProducten?.NieuwProduct, `${V(base)}/NieuweProducten`, 'NieuwProduct', (p, path) => {
      items.push({ product: p.Product ?? {}, from: p.GewensteIngangsdatum, to: p.Einddatum, path, allocated: false });
    });
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i],
          b = items[j];
        if (!a.allocated && !b.allocated) continue;
        if (sameProduct(a.product, b.product) && periodOverlap(a.from, a.to, b.from, b.to)) {
          report([b.path, a.path], `${b.product.Code ?? b.product.Categorie ?? 'product'} overlapt met ${a.path.slice(a.path.lastIndexOf('/') + 1)}`);
        }
      }
    }
  },
);

// ---------------------------------------------------------------- JW319

/** JW319 rules: the Antwoord against what the history knows about its ReferentieAanbieder (a JW319 has no Client). */
function jw319Rule(
  code: string,
  retourcode: string,
  text: string,
  note: string,
  check: (a: JW319Bericht['Antwoord'], h: HistorySnapshot) => [string, string] | undefined,
): RuleDef<'JW319'> {
  return defineRule({
    code,
    retourcode,
    layer: 'historie',
    messages: ['JW319'],
    text,
    note,
    start: (ctx) => ({
      end(m, h) {
        if (!h?.request || typeof m.Antwoord?.ReferentieAanbieder !== 'string') return;
        const found = check(m.Antwoord, h);
        if (found) ctx.report(`/Bericht/Antwoord/${found[0]}`, found[1]);
      },
    }),
  });
}

const tr355 = jw319Rule(
  'TR355',
  '9355',
  'ReferentieAanbieder in het antwoordbericht komt voor in een eerder verzoek om toewijzing of verzoek om wijziging.',
  'Een eerder geaccepteerd verzoek (JW315, JW317) van de aanbieder aan wie het antwoord gaat, aan deze gemeente.',
  (a, h) =>
    h.request!(a.ReferentieAanbieder).requested ? undefined : ['ReferentieAanbieder', `geen verzoek van de aanbieder met referentie ${a.ReferentieAanbieder}`],
);

const tr359 = jw319Rule(
  'TR359',
  '9359',
  'Als een antwoordbericht wordt verstuurd, mag er niet al eerder een toewijzingsbericht gestuurd zijn met dezelfde ReferentieAanbieder.',
  'Een eerdere JW301 van deze gemeente aan deze aanbieder met deze ReferentieAanbieder.',
  (a, h) =>
    h.request!(a.ReferentieAanbieder).allocated ? ['ReferentieAanbieder', `op het verzoek ${a.ReferentieAanbieder} is al een toewijzing gestuurd`] : undefined,
);

const tr360 = jw319Rule(
  'TR360',
  '9360',
  'Een antwoordbericht met in VerzoekAntwoord de waarde 2 (Aanvraag in onderzoek), mag alleen gestuurd worden indien er nog geen antwoordbericht is met deze ReferentieAanbieder.',
  'Tegen de eerder geaccepteerde antwoordberichten (JW319) van deze gemeente aan deze aanbieder.',
  (a, h) =>
    a.VerzoekAntwoord === '2' && h.request!(a.ReferentieAanbieder).answers.length
      ? ['VerzoekAntwoord', `op het verzoek ${a.ReferentieAanbieder} is al geantwoord`]
      : undefined,
);

const tr365 = jw319Rule(
  'TR365',
  '9365',
  'Als er al een antwoordbericht is met dezelfde ReferentieAanbieder dan moet VerzoekAntwoord daar de waarde 2 (Aanvraag in onderzoek) hebben.',
  'Na een afwijzing (VerzoekAntwoord 1) komt er geen antwoord meer op hetzelfde verzoek.',
  (a, h) =>
    h.request!(a.ReferentieAanbieder).answers.some((x) => x !== '2')
      ? ['ReferentieAanbieder', `het verzoek ${a.ReferentieAanbieder} is al afgewezen`]
      : undefined,
);

export const TOEWIJZING_RULES: RuleDef<any>[] = [
  tr332,
  tr379,
  tr385,
  tr347,
  tr374,
  tr349,
  tr350,
  tr351,
  tr357,
  tr361,
  tr373,
  tr375,
  tr411,
  tr412,
  tr355,
  tr359,
  tr360,
  tr365,
];
