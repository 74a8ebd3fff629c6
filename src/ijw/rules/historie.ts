// Layer "historie": rules across messages (TR "berichtoverstijgend" and OP368). A declaration line is judged
// against the allocation it claims (toewijzing), what was declared on it before (cumulative, credits subtract)
// and the contract tariff. The data come from a `History` (history-types.ts), asked once per batch of clients.
import type { JW323Bericht, JW323Client } from '../schema.ts';
import { daysInclusive, isDate, lastOfMonth, monthsTouched } from './dates.ts';
import type { AllocationInfo, HistoryRequest, HistorySnapshot } from './history-types.ts';
import { defineRule, type RuleDef } from './types.ts';
import { divRoundHalfUp, each, eur, isInt, signed } from './walk.ts';

/** What to ask the history for a batch of JW323 clients. */
export function historyRequest(head: JW323Bericht, clients: readonly JW323Client[]): HistoryRequest {
  const allocations: { assignmentNumber: number; bsn: string }[] = [];
  const seen = new Map<number, string>(); // number → the BSN asked first (an allocation belongs to one youth)
  const tariffs = new Map<string, { productCode: string; date: string }>();
  for (const c of clients) {
    for (const p of c.Prestaties?.Prestatie ?? []) {
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
  return { municipalityCode: head.Header?.Ontvanger ?? '', providerAgb: head.Header?.Afzender ?? '', allocations, tariffs: [...tariffs.values()] };
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
  code: 'TR338', retourcode: '9338', layer: 'historie', messages: ['JW323'],
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
  code: 'TR304', retourcode: '8187', layer: 'historie', messages: ['JW323'],
  text: 'De prestatie hoort bij de cliënt van de toewijzing.',
  note: 'Retourcode 8187: de prestatie hoort niet bij deze cliënt.',
  start: (ctx) => ({
    client(c, at, h) {
      if (!h) return;
      each(c.Prestaties?.Prestatie, `${at.path}/Prestaties`, 'Prestatie', (p, path) => {
        if (!isInt(p.ToewijzingNummer)) return;
        const a = h.allocation(p.ToewijzingNummer, c.Bsn);
        if (a && a.sameProvider && !a.sameClient) ctx.report(`${path}/ToewijzingNummer`, `toewijzing ${p.ToewijzingNummer} is voor een andere cliënt`);
      });
    },
  }),
});

const tr339 = defineRule({
  code: 'TR339', retourcode: '9339', layer: 'historie', messages: ['JW323'],
  text: 'ProductCategorie in Prestatie moet gelijk zijn aan ProductCategorie in het ToegewezenProduct indien deze opgenomen is.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        if (a.productCategory && p.ProductCategorie !== a.productCategory) ctx.report(`${path}/ProductCategorie`, `categorie ${p.ProductCategorie}, toegewezen is ${a.productCategory}`);
      });
    },
  }),
});

const tr340 = defineRule({
  code: 'TR340', retourcode: '9340', layer: 'historie', messages: ['JW323'],
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
  code: 'TR341', retourcode: '9341', layer: 'historie', messages: ['JW323'],
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
  code: 'OP368', retourcode: '9307', layer: 'historie', messages: ['JW323'],
  text: 'Een productperiode valt altijd binnen de geldigheidsperiode van een toewijzing.',
  note: 'Technisch TR307 (begindatum vóór de ingangsdatum: retourcode 9307) en TR308 (einddatum na de einddatum: 9308); gemeld als OP368 met de retourcode van de kant die buiten de toewijzing valt.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        const b = p.ProductPeriode?.Begindatum, e = p.ProductPeriode?.Einddatum;
        if (isDate(b) && b < a.startDate) ctx.report(`${path}/ProductPeriode/Begindatum`, `productperiode begint ${b}, de toewijzing ${p.ToewijzingNummer} pas ${a.startDate}`, '9307');
        else if (isDate(e) && a.endDate && e > a.endDate) ctx.report(`${path}/ProductPeriode/Einddatum`, `productperiode eindigt ${e}, de toewijzing ${p.ToewijzingNummer} al ${a.endDate}`, '9308');
      });
    },
  }),
});

const tr387 = defineRule({
  code: 'TR387', retourcode: '9387', layer: 'historie', messages: ['JW323'],
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
  code: 'TR388', retourcode: '9388', layer: 'historie', messages: ['JW323'],
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
    case '1': return a.volume * days;
    case '2': return a.volume * Math.ceil(days / 7);
    case '4': return a.volume * monthsTouched(s, e);
    case '6': return a.volume;
    default: return undefined;
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
  code: 'TR321', retourcode: '9321', layer: 'historie', messages: ['JW323'],
  text: 'Indien in het ToegewezenProduct een Omvang is meegegeven, moet GeleverdVolume in de Prestatie passen binnen Volume in het ToegewezenProduct.',
  note: 'Volume × frequentie over de dagen van de productperiode binnen de toewijzing: per dag × dagen, per week × begonnen weken, per maand × maanden, totaal = volume. Minuten tellen als 1/60 uur.',
  start: (ctx) => ({
    client(c, at, h) {
      withAllocation(c, at.path, h, (p, a, path) => {
        if (p.IngediendBedrag?.DebetCredit === 'C' || !isInt(p.GeleverdVolume)) return;
        const f = unitFactor(p.Eenheid, a.unit);
        const b = p.ProductPeriode?.Begindatum, e = p.ProductPeriode?.Einddatum;
        if (f === undefined || !isDate(b) || !isDate(e)) return;
        const max = allowedVolume(a, b, e);
        if (max !== undefined && p.GeleverdVolume > max * f) ctx.report(`${path}/GeleverdVolume`, `geleverd ${p.GeleverdVolume}, toegewezen voor deze periode ten hoogste ${max * f}`);
      });
    },
  }),
});

/** Running totals per allocation within this message, starting from what the history already holds. */
function runningTotals() {
  const totals = new Map<number, { volume: number; amount: number }>();
  return (h: HistorySnapshot, n: number) => {
    let t = totals.get(n);
    if (!t) { const d = h.declared(n); t = { volume: d.volume, amount: d.amountCents }; totals.set(n, t); }
    return t;
  };
}

const tr322 = defineRule({
  code: 'TR322', retourcode: '9322', layer: 'historie', messages: ['JW323'],
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
  code: 'TR369', retourcode: '9369', layer: 'historie', messages: ['JW323'],
  text: 'Indien in het ToegewezenProduct een Budget is meegegeven, moet de som van GeleverdVolume in alle ingediende Prestaties die betrekking hebben op dat ToegewezenProduct passen binnen het toegewezen Budget.',
  note: 'Getoetst op bedragen: de som van IngediendBedrag (credit trekt af) van eerdere en deze regels tegen het budget in centen; bij eenheid euro\'s is dat gelijk aan de som van GeleverdVolume.',
  start: (ctx) => {
    const total = runningTotals();
    return {
      client(c, at, h) {
        withAllocation(c, at.path, h, (p, a, path) => {
          const amount = p.IngediendBedrag?.Bedrag;
          if (a.budgetCents === null || !isInt(amount)) return;
          const t = total(h!, a.assignmentNumber);
          t.amount += signed(amount, p.IngediendBedrag?.DebetCredit);
          if (p.IngediendBedrag?.DebetCredit !== 'C' && t.amount > a.budgetCents) ctx.report(`${path}/IngediendBedrag/Bedrag`, `samen met eerdere regels ${eur(t.amount)}, budget ${eur(a.budgetCents)}`);
        });
      },
    };
  },
});

const tr418 = defineRule({
  code: 'TR418', retourcode: '0611', layer: 'historie', messages: ['JW323'],
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
        if (expected !== undefined && p.ProductTarief !== expected) ctx.report(`${path}/ProductTarief`, `tarief ${eur(p.ProductTarief)}, contracttarief ${eur(expected)} op ${d}`);
      });
    },
  }),
});

export const HISTORIE_RULES: RuleDef<any>[] = [tr304, tr321, tr322, tr338, tr339, tr340, tr341, tr369, tr387, tr388, tr418, op368];
