// Layer "historie": rules across messages (TR "berichtoverstijgend" and OP368). A declaration line is judged
// against the allocation it claims (toewijzing), what was declared on it before (cumulative, credits subtract)
// and the contract tariff. The data come from a `History` (history-types.ts), asked once per batch of clients.
import type {
  JW301Bericht,
  JW305Client,
  JW307Client,
  JW315Client,
  JW317Client,
  JW319Bericht,
  JW323Bericht,
  JW323Client,
  JW325Bericht,
  JW325Client,
  MessageType,
} from '../schema.ts';
import { daysInclusive, isDate, lastOfMonth, monthsTouched } from './dates.ts';
import type { AllocationInfo, HistoryRequest, HistorySnapshot } from './history-types.ts';
import { ShardedMap } from './compact.ts';
import { defineRule, type RuleDef } from './types.ts';
import { divRoundHalfUp, each, eur, isInt, signed } from './walk.ts';

/**
 * What to ask the history for a batch of clients of a message (`head`: the message up to its first client; for a
 * message without clients, JW319, the whole message). The municipality and provider sides follow who sends what:
 * a municipality sends JW301, JW319 and JW325, a provider the others.
 */
export function historyRequest(type: MessageType, head: any, clients: readonly unknown[]): HistoryRequest {
  if (type === 'JW323') return declarationRequest(head as JW323Bericht, clients as JW323Client[]);
  const h = head?.Header ?? {};
  const fromMunicipality = type === 'JW301' || type === 'JW319' || type === 'JW325';
  const req: HistoryRequest = {
    messageType: type,
    municipalityCode: (fromMunicipality ? h.Afzender : h.Ontvanger) ?? '',
    providerAgb: (fromMunicipality ? h.Ontvanger : h.Afzender) ?? '',
    senderCode: h.Afzender ?? '',
    identification: h.BerichtIdentificatie?.Identificatie,
    allocations: [],
    tariffs: [],
    bsns: [],
    requestReferences: [],
  };
  const allocation = (n: unknown, bsn: string) => {
    if (isInt(n) && !req.allocations.some((a) => a.assignmentNumber === n && a.bsn === bsn)) req.allocations.push({ assignmentNumber: n, bsn });
  };
  const reference = (r: unknown) => {
    if (typeof r === 'string' && !req.requestReferences!.includes(r)) req.requestReferences!.push(r);
  };
  if (type === 'JW319') reference((head as JW319Bericht).Antwoord?.ReferentieAanbieder);
  if (type === 'JW325') {
    req.answeredIdentification = (head as JW325Bericht).Header?.DeclaratieIdentificatie?.Identificatie;
    req.references = [];
  }
  for (const client of clients) {
    const c = client as { Bsn?: string };
    if (typeof c.Bsn !== 'string') continue;
    req.bsns!.push(c.Bsn);
    if (type === 'JW301')
      for (const p of (c as JW301Bericht['Client']).ToegewezenProducten?.ToegewezenProduct ?? []) {
        allocation(p.ToewijzingNummer, c.Bsn);
        reference(p.ReferentieAanbieder);
      }
    else if (type === 'JW305') for (const p of (c as JW305Client).StartProducten?.StartProduct ?? []) allocation(p.ToewijzingNummer, c.Bsn);
    else if (type === 'JW307') for (const p of (c as JW307Client).StopProducten?.StopProduct ?? []) allocation(p.ToewijzingNummer, c.Bsn);
    else if (type === 'JW315') for (const p of (c as JW315Client).AangevraagdeProducten?.AangevraagdProduct ?? []) reference(p.ReferentieAanbieder);
    else if (type === 'JW317') {
      const v = (c as JW317Client).Verzoek;
      reference(v?.ReferentieAanbieder);
      for (const p of v?.OngewijzigdeProducten?.OngewijzigdProduct ?? []) allocation(p.ToewijzingNummer, c.Bsn);
      for (const p of v?.TeWijzigenProducten?.TeWijzigenProduct ?? []) allocation(p.ToewijzingNummer, c.Bsn);
    } else if (type === 'JW325') {
      for (const p of (c as JW325Client).Prestaties?.Prestatie ?? [])
        if (typeof p.ProductReferentie?.ReferentieNummer === 'string') req.references!.push(p.ProductReferentie.ReferentieNummer);
    }
  }
  return req;
}

/** What to ask the history for a batch of JW323 clients. */
function declarationRequest(head: JW323Bericht, clients: readonly JW323Client[]): HistoryRequest {
  const allocations: { assignmentNumber: number; bsn: string }[] = [];
  const seen = new Map<number, string>(); // number → the BSN asked first (an allocation belongs to one youth)
  const tariffs = new Map<string, { productCode: string; date: string }>();
  const references = new Set<string>();
  for (const c of clients) {
    for (const p of c.Prestaties?.Prestatie ?? []) {
      const ref = p.ProductReferentie;
      if (typeof ref?.ReferentieNummer === 'string') references.add(ref.ReferentieNummer);
      if (typeof ref?.VorigReferentieNummer === 'string') references.add(ref.VorigReferentieNummer);
      const n = p.ToewijzingNummer;
      if (isInt(n) && seen.get(n) !== c.Bsn) {
        if (!seen.has(n)) seen.set(n, c.Bsn);
        allocations.push({ assignmentNumber: n, bsn: c.Bsn });
      }
      const d = p.ProductPeriode?.Begindatum;
      if (typeof p.ProductCode === 'string' && isDate(d)) {
        const key = p.ProductCode + d;
        if (!tariffs.has(key)) tariffs.set(key, { productCode: p.ProductCode, date: d });
      }
    }
  }
  return {
    municipalityCode: head.Header?.Ontvanger ?? '',
    providerAgb: head.Header?.Afzender ?? '',
    allocations,
    tariffs: [...tariffs.values()],
    references: [...references],
    declarationNumber: head.Declaratie?.DeclaratieNummer,
    declarationPeriodStart: head.Declaratie?.DeclaratiePeriode?.Begindatum,
    identification: head.Header?.BerichtIdentificatie?.Identificatie,
  };
}

type Line = JW323Client['Prestaties']['Prestatie'][number];

/** Visit each line with the allocation it claims (only lines whose allocation is known and belongs to this provider and client). */
function withAllocation(c: JW323Client, base: string, h: HistorySnapshot | undefined, fn: (p: Line, a: AllocationInfo, path: string) => void) {
  if (!h) return;
  each(c.Prestaties?.Prestatie, `${base}/Prestaties`, 'Prestatie', (p, path) => {
    if (!isInt(p.ToewijzingNummer)) return;
    const a = h.allocation(p.ToewijzingNummer, c.Bsn);
    if (a && a.sameProvider && a.sameClient) fn(p, a, path);
  });
}

const tr338 = defineRule({
  code: 'TR338',
  retourcode: '9338',
  layer: 'historie',
  messages: ['JW323'],
  text: 'De Prestatie is gerelateerd aan een ToegewezenProduct op basis van het Toewijzingnummer.',
  note: 'Een toewijzing met dit nummer van de ontvangende gemeente aan de verzendende aanbieder.',
  start: (ctx) => ({
    client(c, at, h) {
      if (!h) return;
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        if (!isInt(p.ToewijzingNummer)) return;
        const a = h.allocation(p.ToewijzingNummer, c.Bsn);
        if (!a) ctx.report(`${path}/ToewijzingNummer`, `geen toewijzing ${p.ToewijzingNummer} van deze gemeente`);
        else if (!a.sameProvider) ctx.report(`${path}/ToewijzingNummer`, `toewijzing ${p.ToewijzingNummer} is aan een andere aanbieder gegeven`);
      });
    },
  }),
});

const tr304 = defineRule({
  code: 'TR304',
  retourcode: '8187',
  layer: 'historie',
  messages: ['JW317', 'JW323', 'JW325'],
  text: 'De prestatie hoort bij de cliënt van de toewijzing.',
  note: 'Retourcode 8187: de prestatie hoort niet bij deze cliënt. In een JW317: de toewijzing van een OngewijzigdProduct of TeWijzigenProduct is voor deze cliënt. In een JW325: de Prestatie staat onder dezelfde cliënt als in de declaratie die het beantwoordt.',
  start: (ctx) => ({
    client(c: any, at, h) {
      if (!h) return;
      if (ctx.type === 'JW317') {
        const v = (c as JW317Client).Verzoek;
        const check = (p: { ToewijzingNummer: number }, path: string) => {
          if (!isInt(p.ToewijzingNummer)) return;
          const a = h.allocation(p.ToewijzingNummer, c.Bsn);
          if (a && a.sameProvider && !a.sameClient) ctx.report(`${path}/ToewijzingNummer`, `toewijzing ${p.ToewijzingNummer} is voor een andere cliënt`);
        };
        each(v?.OngewijzigdeProducten?.OngewijzigdProduct, `${at.path}/Verzoek/OngewijzigdeProducten`, 'OngewijzigdProduct', check);
        each(v?.TeWijzigenProducten?.TeWijzigenProduct, `${at.path}/Verzoek/TeWijzigenProducten`, 'TeWijzigenProduct', check);
        return;
      }
      if (ctx.type === 'JW325') {
        if (!h.answeredLine) return;
        each((c as JW325Client).Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
          const ref = p.ProductReferentie?.ReferentieNummer;
          const l = typeof ref === 'string' ? h.answeredLine!(ref, c.Bsn) : undefined;
          if (l && !l.sameClient)
            ctx.report(`${path}/ProductReferentie/ReferentieNummer`, `de prestatie ${ref} staat in de declaratie onder een andere cliënt`);
        });
        return;
      }
      each((c as JW323Client).Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        if (!isInt(p.ToewijzingNummer)) return;
        const a = h.allocation(p.ToewijzingNummer, c.Bsn);
        if (a && a.sameProvider && !a.sameClient) ctx.report(`${path}/ToewijzingNummer`, `toewijzing ${p.ToewijzingNummer} is voor een andere cliënt`);
      });
    },
  }),
});

const tr339 = defineRule({
  code: 'TR339',
  retourcode: '9339',
  layer: 'historie',
  messages: ['JW323'],
  text: 'ProductCategorie in Prestatie moet gelijk zijn aan ProductCategorie in het ToegewezenProduct indien deze opgenomen is.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        if (a.productCategory && p.ProductCategorie !== a.productCategory)
          ctx.report(`${path}/ProductCategorie`, `categorie ${p.ProductCategorie}, toegewezen is ${a.productCategory}`);
      });
    },
  }),
});

const tr340 = defineRule({
  code: 'TR340',
  retourcode: '9340',
  layer: 'historie',
  messages: ['JW323'],
  text: 'ProductCode in Prestatie moet gelijk zijn aan ProductCode in het ToegewezenProduct, indien deze opgenomen is.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        if (a.productCode && p.ProductCode !== a.productCode) ctx.report(`${path}/ProductCode`, `productcode ${p.ProductCode}, toegewezen is ${a.productCode}`);
      });
    },
  }),
});

/** Lines in `lineUnit` count against an allocation in `allocUnit` times this factor; undefined when they do not fit (TR341). */
export function unitFactor(lineUnit: string, allocUnit: string | null): number | undefined {
  if (!allocUnit || lineUnit === allocUnit) return 1;
  if (allocUnit === '04' && lineUnit === '01') return 60; // toegewezen in uren, gedeclareerd in minuten
  return undefined;
}

const tr341 = defineRule({
  code: 'TR341',
  retourcode: '9341',
  layer: 'historie',
  messages: ['JW323'],
  text: 'Eenheid in Prestatie moet passen bij Eenheid in het ToegewezenProduct.',
  note: 'Gelijk, of minuten bij een toewijzing in uren. Zonder Omvang in de toewijzing (aspecifiek, budget) is de eenheid van het contracttarief de maat, als die bekend is.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        let unit = a.unit;
        if (!unit && a.productCode && isDate(p.ProductPeriode?.Begindatum)) unit = h!.contractTariff(a.productCode, p.ProductPeriode.Begindatum)?.unit ?? null;
        if (unit && unitFactor(p.Eenheid, unit) === undefined) ctx.report(`${path}/Eenheid`, `eenheid ${p.Eenheid}, toegewezen in ${unit}`);
      });
    },
  }),
});

const op368 = defineRule({
  code: 'OP368',
  retourcode: '9307',
  layer: 'historie',
  messages: ['JW323'],
  text: 'Een productperiode valt altijd binnen de geldigheidsperiode van een toewijzing.',
  note: 'Technisch TR307 (begindatum vóór de ingangsdatum: retourcode 9307) en TR308 (einddatum na de einddatum: 9308); gemeld als OP368 met de retourcode van de kant die buiten de toewijzing valt.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        const b = p.ProductPeriode?.Begindatum,
          e = p.ProductPeriode?.Einddatum;
        if (isDate(b) && b < a.startDate)
          ctx.report(`${path}/ProductPeriode/Begindatum`, `productperiode begint ${b}, de toewijzing ${p.ToewijzingNummer} pas ${a.startDate}`, '9307');
        else if (isDate(e) && a.endDate && e > a.endDate)
          ctx.report(`${path}/ProductPeriode/Einddatum`, `productperiode eindigt ${e}, de toewijzing ${p.ToewijzingNummer} al ${a.endDate}`, '9308');
      });
    },
  }),
});

const tr387 = defineRule({
  code: 'TR387',
  retourcode: '9387',
  layer: 'historie',
  messages: ['JW323'],
  text: 'De Begindatum van een ProductPeriode is altijd de eerste dag van de kalendermaand waarop de ProductPeriode betrekking heeft tenzij de Ingangsdatum van de toewijzing later in de betreffende maand ligt.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        const b = p.ProductPeriode?.Begindatum;
        if (!isDate(b)) return;
        const first = `${b.slice(0, 7)}-01`;
        const expected = a.startDate > first && a.startDate.slice(0, 7) === b.slice(0, 7) ? a.startDate : first;
        if (b !== expected) ctx.report(`${path}/ProductPeriode/Begindatum`, `begindatum ${b}, verwacht ${expected}`);
      });
    },
  }),
});

const tr388 = defineRule({
  code: 'TR388',
  retourcode: '9388',
  layer: 'historie',
  messages: ['JW323'],
  text: 'De Einddatum van een ProductPeriode is altijd de laatste dag van de kalendermaand waarop de ProductPeriode betrekking heeft tenzij de Einddatum van de toewijzing eerder in de betreffende maand ligt.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        const e = p.ProductPeriode?.Einddatum;
        if (!isDate(e)) return;
        const last = lastOfMonth(e);
        const expected = a.endDate && a.endDate < last && a.endDate.slice(0, 7) === e.slice(0, 7) ? a.endDate : last;
        if (e !== expected) ctx.report(`${path}/ProductPeriode/Einddatum`, `einddatum ${e}, verwacht ${expected}`);
      });
    },
  }),
});

/** The most that may be declared for `from`…`to` under the allocation's Omvang, in the allocation's unit. */
export function allowedVolume(a: AllocationInfo, from: string, to: string): number | undefined {
  if (a.volume === null || !a.frequency) return undefined;
  const s = from > a.startDate ? from : a.startDate;
  const e = a.endDate && a.endDate < to ? a.endDate : to;
  if (e < s) return undefined;
  const days = daysInclusive(s, e);
  switch (a.frequency) {
    case '1':
      return a.volume * days;
    case '2':
      return a.volume * Math.ceil(days / 7);
    case '4':
      return a.volume * monthsTouched(s, e);
    case '6':
      return a.volume;
    default:
      return undefined;
  }
}

/** The most that may be declared over the whole allocation; undefined when it has no end (and is not a total). */
export function allowedTotal(a: AllocationInfo): number | undefined {
  if (a.volume === null || !a.frequency) return undefined;
  if (a.frequency === '6') return a.volume;
  if (!a.endDate) return undefined;
  return allowedVolume(a, a.startDate, a.endDate);
}

const tr321 = defineRule({
  code: 'TR321',
  retourcode: '9321',
  layer: 'historie',
  messages: ['JW323'],
  text: 'Indien in het ToegewezenProduct een Omvang is meegegeven, moet GeleverdVolume in de Prestatie passen binnen Volume in het ToegewezenProduct.',
  note: 'Volume × frequentie over de dagen van de productperiode binnen de toewijzing: per dag × dagen, per week × begonnen weken, per maand × maanden, totaal = volume. Minuten tellen als 1/60 uur.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        if (p.IngediendBedrag?.DebetCredit === 'C' || !isInt(p.GeleverdVolume)) return;
        const f = unitFactor(p.Eenheid, a.unit);
        const b = p.ProductPeriode?.Begindatum,
          e = p.ProductPeriode?.Einddatum;
        if (f === undefined || !isDate(b) || !isDate(e)) return;
        const max = allowedVolume(a, b, e);
        if (max !== undefined && p.GeleverdVolume > max * f)
          ctx.report(`${path}/GeleverdVolume`, `geleverd ${p.GeleverdVolume}, toegewezen voor deze periode ten hoogste ${max * f}`);
      });
    },
  }),
});

/**
 * Running totals per allocation within this message, starting from what the history already holds. In many small
 * Maps (compact.ts): one Map of the 310,000 allocations of the largest file made its growth a single stop of over
 * 100 ms (issue 14 §2).
 */
function runningTotals() {
  const totals = new ShardedMap<number, { volume: number; amount: number }>();
  return (h: HistorySnapshot, n: number) => {
    let t = totals.get(n);
    if (!t) {
      const d = h.declared(n);
      t = { volume: d.volume, amount: d.amountCents };
      totals.set(n, t);
    }
    return t;
  };
}

const tr322 = defineRule({
  code: 'TR322',
  retourcode: '9322',
  layer: 'historie',
  messages: ['JW323'],
  text: 'Indien in het ToegewezenProduct een Omvang is meegegeven, moet de som van GeleverdVolume in alle ingediende Prestaties die betrekking hebben op dat ToegewezenProduct passen binnen de toegewezen Omvang.',
  note: 'Cumulatief: eerder geaccepteerde regels (credit trekt af) plus de regels in dit bericht, tegen het maximum over de looptijd van de toewijzing. Zonder einddatum (en niet "totaal") is er geen maximum over de looptijd.',
  start: (ctx) => {
    const total = runningTotals();
    return {
      client(c, at, h) {
        withAllocation(c, at.path, h, (p, a, path) => {
          const f = unitFactor(p.Eenheid, a.unit);
          if (f === undefined || !isInt(p.GeleverdVolume)) return;
          const t = total(h!, a.assignmentNumber);
          t.volume += signed(p.GeleverdVolume, p.IngediendBedrag?.DebetCredit) / f;
          const max = allowedTotal(a);
          if (max !== undefined && p.IngediendBedrag?.DebetCredit !== 'C' && t.volume > max + 1e-9) {
            ctx.report(`${path}/GeleverdVolume`, `samen met eerdere regels ${+(t.volume * f).toFixed(2)} gedeclareerd, toegewezen ten hoogste ${max * f}`);
          }
        });
      },
    };
  },
});

const tr369 = defineRule({
  code: 'TR369',
  retourcode: '9369',
  layer: 'historie',
  messages: ['JW323'],
  text: 'Indien in het ToegewezenProduct een Budget is meegegeven, moet de som van GeleverdVolume in alle ingediende Prestaties die betrekking hebben op dat ToegewezenProduct passen binnen het toegewezen Budget.',
  note: "Getoetst op bedragen: de som van IngediendBedrag (credit trekt af) van eerdere en deze regels tegen het budget in centen; bij eenheid euro's is dat gelijk aan de som van GeleverdVolume.",
  start: (ctx) => {
    const total = runningTotals();
    return {
      client(c, at, h) {
        withAllocation(c, at.path, h, (p, a, path) => {
          const amount = p.IngediendBedrag?.Bedrag;
          if (a.budgetCents === null || !isInt(amount)) return;
          const t = total(h!, a.assignmentNumber);
          t.amount += signed(amount, p.IngediendBedrag?.DebetCredit);
          if (p.IngediendBedrag?.DebetCredit !== 'C' && t.amount > a.budgetCents)
            ctx.report(`${path}/IngediendBedrag/Bedrag`, `samen met eerdere regels ${eur(t.amount)}, budget ${eur(a.budgetCents)}`);
        });
      },
    };
  },
});

const tr418 = defineRule({
  code: 'TR418',
  retourcode: '0611',
  layer: 'historie',
  messages: ['JW323'],
  text: 'ProductTarief in Prestatie dient overeen te komen met het contractuele tarief van ProductCode.',
  note: 'Het contracttarief dat geldt op de begindatum van de productperiode. Per minuut bij een uurtarief: uurtarief / 60, half naar boven afgerond op centen (IV081). Zonder bekend contracttarief zwijgt de regel.',
  start: (ctx) => ({
    client(c, at, h) {
      if (!h) return;
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        const d = p.ProductPeriode?.Begindatum;
        if (!isInt(p.ProductTarief) || typeof p.ProductCode !== 'string' || !isDate(d)) return;
        const t = h.contractTariff(p.ProductCode, d);
        if (!t) return;
        const expected = t.unit === p.Eenheid ? t.amountCents : t.unit === '04' && p.Eenheid === '01' ? divRoundHalfUp(t.amountCents, 60) : undefined;
        if (expected !== undefined && p.ProductTarief !== expected)
          ctx.report(`${path}/ProductTarief`, `tarief ${eur(p.ProductTarief)}, contracttarief ${eur(expected)} op ${d}`);
      });
    },
  }),
});

const tr314 = defineRule({
  code: 'TR314',
  retourcode: '8021',
  layer: 'historie',
  messages: ['JW323'],
  text: 'ReferentieNummer van de Prestatie moet uniek zijn voor de aanbieder binnen het wettelijk domein waarop de Prestatie betrekking heeft, zowel binnen één bericht als berichtoverstijgend.',
  note: 'Berichtoverstijgend: geen eerder geaccepteerde regel van deze aanbieder met dit ReferentieNummer (een afgewezen regel mag opnieuw worden ingediend). Binnen één bericht: TR101.',
  start: (ctx) => ({
    client(c, at, h) {
      if (!h?.earlierLine) return;
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        const ref = p.ProductReferentie?.ReferentieNummer;
        if (typeof ref === 'string' && h.earlierLine!(ref))
          ctx.report(`${path}/ProductReferentie/ReferentieNummer`, `referentienummer ${ref} is al eerder aangeleverd en geaccepteerd`);
      });
    },
  }),
});

const tr323 = defineRule({
  code: 'TR323',
  retourcode: '8017',
  layer: 'historie',
  messages: ['JW323'],
  text: 'Een credit Prestatie moet gerelateerd zijn aan een eerder verzonden (goedgekeurde) debet Prestatie op basis van sleutelvelden.',
  note: 'VorigReferentieNummer van de creditregel is het ReferentieNummer van een eerder geaccepteerde debetregel van deze aanbieder. Een tweede credit van dezelfde regel is TR390; binnen één bericht bewaakt TR315 dat.',
  start: (ctx) => ({
    client(c, at, h) {
      if (!h?.earlierLine) return;
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        if (p.IngediendBedrag?.DebetCredit !== 'C') return;
        const prev = p.ProductReferentie?.VorigReferentieNummer;
        const where = `${path}/ProductReferentie/VorigReferentieNummer`;
        if (typeof prev !== 'string') {
          ctx.report(`${path}/ProductReferentie`, 'creditregel zonder VorigReferentieNummer');
          return;
        }
        const earlier = h.earlierLine!(prev);
        if (!earlier || earlier.debitCredit !== 'D') ctx.report(where, `geen eerder geaccepteerde debetregel met referentienummer ${prev}`);
      });
    },
  }),
});

const tr390 = defineRule({
  code: 'TR390',
  retourcode: '9390',
  layer: 'historie',
  messages: ['JW323'],
  text: 'DebetCredit mag alleen waarde Credit hebben indien voor Prestatie met gelijk ProductReferentie niet een Prestatie met Credit bestaat',
  note: 'Eén credit per debetregel over de berichten heen: de debetregel waar VorigReferentieNummer naar wijst is nog niet door een eerder geaccepteerde creditregel gecrediteerd (binnen één bericht: TR315).',
  start: (ctx) => ({
    client(c, at, h) {
      if (!h?.earlierLine) return;
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        const prev = p.ProductReferentie?.VorigReferentieNummer;
        if (p.IngediendBedrag?.DebetCredit !== 'C' || typeof prev !== 'string') return;
        const earlier = h.earlierLine!(prev);
        if (earlier?.debitCredit === 'D' && earlier.credited)
          ctx.report(`${path}/ProductReferentie/VorigReferentieNummer`, `de debetregel ${prev} is al gecrediteerd`);
      });
    },
  }),
});

const tr389 = defineRule({
  code: 'TR389',
  retourcode: '9389',
  layer: 'historie',
  messages: ['JW323'],
  text: 'Prestatie met DebetCredit in IngediendBedrag waarde Debet mag alleen ingezonden worden voor dezelfde ProductPeriode, ProductCategorie en ProductCode met gelijk ToewijzingNummer als er niet al eerder een debetprestatie is verzonden.',
  note: 'Tegen de eerder geaccepteerde debetregels van deze aanbieder: een tweede debet voor dezelfde toewijzing, hetzelfde product en dezelfde productperiode mag alleen als de eerste gecrediteerd is, eerder of met een creditregel voor de eerste in dit bericht (dezelfde cliënt).',
  start: (ctx) => ({
    client(c, at, h) {
      if (!h?.uncreditedDebit) return;
      // credits in this message reverse earlier debits too (credit and new debit travel together)
      const creditedHere = new Set<string>();
      for (const p of c.Prestaties?.Prestatie ?? []) {
        const prev = p.ProductReferentie?.VorigReferentieNummer;
        if (p.IngediendBedrag?.DebetCredit === 'C' && typeof prev === 'string') creditedHere.add(prev);
      }
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        const start = p.ProductPeriode?.Begindatum,
          end = p.ProductPeriode?.Einddatum;
        if (p.IngediendBedrag?.DebetCredit !== 'D' || !isInt(p.ToewijzingNummer) || !isDate(start) || !isDate(end)) return;
        const earlier = h.uncreditedDebit!(p.ToewijzingNummer, p.ProductCategorie ?? null, p.ProductCode ?? null, start, end);
        if (earlier && !creditedHere.has(earlier.referenceNumber)) {
          ctx.report(
            `${path}/IngediendBedrag/DebetCredit`,
            `voor toewijzing ${p.ToewijzingNummer}, product ${p.ProductCode ?? p.ProductCategorie ?? ''} en periode ${start} – ${end} is al een debetregel geaccepteerd (referentie ${earlier.referenceNumber}) die niet is gecrediteerd`,
          );
        }
      });
    },
  }),
});

/** Message-level history rules look once, at the first client (the history is asked per batch of clients). */
function onFirstClient(fn: (h: HistorySnapshot) => void) {
  let done = false;
  return (h: HistorySnapshot | undefined) => {
    if (!done && h?.earlierDeclarations) {
      done = true;
      fn(h);
    }
  };
}

const tr333 = defineRule({
  code: 'TR333',
  retourcode: '9333',
  layer: 'historie',
  messages: ['JW323'],
  text: 'DeclaratieNummer van de Declaratie moet uniek zijn voor de aanbieder binnen het wettelijk domein waarop de Declaratie betrekking heeft.',
  note: 'Tegen de eerder verwerkte declaraties van deze aanbieder; een geheel afgewezen declaratie mag met hetzelfde nummer opnieuw komen.',
  start: (ctx) => {
    let nr = '';
    const once = onFirstClient((h) => {
      if (h.earlierDeclarations!().numberUsed) ctx.report('/Bericht/Declaratie/DeclaratieNummer', `declaratienummer ${nr} is al eerder gebruikt`);
    });
    return {
      head(m) {
        nr = m.Declaratie?.DeclaratieNummer ?? '';
      },
      client(_c, _at, h) {
        once(h);
      },
    };
  },
});

const tr056 = defineRule({
  code: 'TR056',
  retourcode: '9056',
  layer: 'historie',
  messages: ['JW301', 'JW305', 'JW307', 'JW315', 'JW317', 'JW319', 'JW323', 'JW325'],
  text: 'Identificatie moet per berichtsoort uniek zijn voor de verzendende partij.',
  note: 'Tegen alle eerder opgeslagen berichten van dezelfde soort van dezelfde afzender, ook afgewezen: iedere zending krijgt een nieuwe identificatie. Hetzelfde bestand nog eens wordt al eerder herkend aan zijn inhoud (hash) en niet opnieuw verwerkt.',
  start: (ctx) => {
    let id = '';
    let done = false;
    const judge = (h: HistorySnapshot | undefined) => {
      if (done || !h) return;
      const used = h.identificationUsed ? h.identificationUsed() : h.earlierDeclarations?.().identificationUsed;
      if (used === undefined) return;
      done = true;
      if (used)
        ctx.report(
          '/Bericht/Header/BerichtIdentificatie/Identificatie',
          `identificatie ${id} is al gebruikt in een eerder ${ctx.type}-bericht van deze afzender`,
        );
    };
    return {
      head(m) {
        id = m.Header?.BerichtIdentificatie?.Identificatie ?? '';
      },
      client(_c, _at, h) {
        judge(h);
      },
      end(_m, h) {
        judge(h);
      },
    };
  },
});

const tr384 = defineRule({
  code: 'TR384',
  retourcode: '9384',
  layer: 'historie',
  messages: ['JW323'],
  text: 'Het is niet toegestaan te declareren op een toewijzing met RedenWijziging waarde "13" (Verwijderd).',
  note: 'De RedenWijziging van de laatste JW301 voor de toewijzing (allocation.change_reason, migratie 023), of een toewijzing die al als ingetrokken stond (status ingetrokken: RedenWijziging 13).',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        if (a.removed) ctx.report(`${path}/ToewijzingNummer`, `toewijzing ${p.ToewijzingNummer} is verwijderd (RedenWijziging 13)`);
      });
    },
  }),
});

const tr318 = defineRule({
  code: 'TR318',
  retourcode: '8214',
  layer: 'historie',
  messages: ['JW323'],
  text: 'Indien iedere DeclaratiePeriode zorg is geleverd, moet DeclaratiePeriode de kalendermaand volgend op voorgaande DeclaratiePeriode zijn.',
  note: 'Of er in tussenliggende maanden zorg was, toont geen bericht; een gat is toegestaan (toelichting). Getoetst wordt wat wél vaststaat: de periode ligt na de laatste periode die deze aanbieder bij deze gemeente declareerde.',
  start: (ctx) => {
    let begin = '';
    const once = onFirstClient((h) => {
      const last = h.earlierDeclarations!().lastPeriodStart;
      if (last && begin && begin <= last)
        ctx.report('/Bericht/Declaratie/DeclaratiePeriode/Begindatum', `declaratieperiode ${begin.slice(0, 7)} volgt niet op de vorige (${last.slice(0, 7)})`);
    });
    return {
      head(m) {
        begin = m.Declaratie?.DeclaratiePeriode?.Begindatum ?? '';
      },
      client(_c, _at, h) {
        once(h);
      },
    };
  },
});

export const HISTORIE_RULES: RuleDef<any>[] = [
  tr056,
  tr384,
  tr304,
  tr314,
  tr318,
  tr321,
  tr322,
  tr323,
  tr333,
  tr389,
  tr390,
  tr338,
  tr339,
  tr340,
  tr341,
  tr369,
  tr387,
  tr388,
  tr418,
  op368,
];
