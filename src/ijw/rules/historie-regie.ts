// Layer "historie" for the start and stop messages (JW305 start zorg, JW307 stop zorg): each StartProduct and
// StopProduct against the allocation it names and against the earlier accepted starts and stops of this provider
// for the client (message store: ijw_start_stop, migration 023). The earlier ones are replayed in order: a delivery
// with StatusAanlevering 1 adds, one with 3 removes the earlier one with the same key (TR101's logical key).
//
// StatusAanlevering 3 (verwijderen) is only checked by TR063 and TR071: the standard's note to TR063 says a deletion
// needs no further checks of its content. The rules judge against the earlier messages and the products before it in
// the same message (two deliveries with the same key in one message are TR101's).
import type { JW305Client, JW305StartProduct, JW307Client, JW307StopProduct } from '../schema.ts';
import type { HistorySnapshot, StartStopRecord } from './history-types.ts';
import { defineRule, type ClientAt, type RuleContext, type RuleDef } from './types.ts';
import { each, isInt } from './walk.ts';

/** TR101's logical keys of a StartProduct and a StopProduct (the Client's BSN is the same: the records are per client). */
const startKey = (p: { Begindatum?: string; Product?: { Categorie?: string; Code?: string }; ToewijzingNummer?: number }) =>
  [p.Begindatum ?? '', p.Product?.Categorie ?? '', p.Product?.Code ?? '', p.ToewijzingNummer ?? ''].join('|');
const stopKey = (p: {
  Begindatum?: string;
  Einddatum?: string;
  Product?: { Categorie?: string; Code?: string };
  RedenBeeindiging?: string;
  ToewijzingNummer?: number;
}) => [p.Begindatum ?? '', p.Einddatum ?? '', p.Product?.Categorie ?? '', p.Product?.Code ?? '', p.RedenBeeindiging ?? '', p.ToewijzingNummer ?? ''].join('|');
/** A start and its stops share ToewijzingNummer and Begindatum (TR326, TR413–TR415: Bsn, ToewijzingNummer, Begindatum). */
const deliveryKey = (n: number | null | undefined, begin: string | undefined) => `${n ?? ''}|${begin ?? ''}`;

const asMessage = (r: StartStopRecord) => ({
  Begindatum: r.begin,
  Einddatum: r.end ?? undefined,
  RedenBeeindiging: r.reason ?? undefined,
  ToewijzingNummer: r.assignmentNumber ?? undefined,
  Product: { Categorie: r.productCategory ?? undefined, Code: r.productCode ?? undefined },
});

/** The state the earlier starts and stops of one client leave. */
export interface StartStopState {
  /** Full keys of the current (not removed) starts and stops (TR063, TR074). */
  starts: Map<string, StartStopRecord>;
  stops: Map<string, StartStopRecord>;
  /** The current stops per delivery (ToewijzingNummer|Begindatum), in order. */
  stopsOf(n: number | undefined, begin: string): StartStopRecord[];
  /** A current start of allocation n that no stop ended (TR326). */
  runningStart(n: number): StartStopRecord | undefined;
}

export function replayStartsStops(records: readonly StartStopRecord[]): StartStopState {
  const starts = new Map<string, StartStopRecord>();
  const stops = new Map<string, StartStopRecord>();
  for (const r of records) {
    const key = r.kind === 'start' ? startKey(asMessage(r)) : stopKey(asMessage(r));
    const map = r.kind === 'start' ? starts : stops;
    if (r.status === '3') map.delete(key);
    else map.set(key, r);
  }
  const stopsOf = (n: number | undefined, begin: string) =>
    [...stops.values()].filter((s) => deliveryKey(s.assignmentNumber, s.begin) === deliveryKey(n, begin));
  return {
    starts,
    stops,
    stopsOf,
    runningStart: (n) => [...starts.values()].find((s) => s.assignmentNumber === n && stopsOf(n, s.begin).length === 0),
  };
}

type Item = JW305StartProduct | JW307StopProduct;

/** A StartProduct or StopProduct of this message as a record, to judge the ones after it in the same message. */
const asRecord = (kind: 'start' | 'stop', p: Item): StartStopRecord => ({
  kind,
  assignmentNumber: isInt(p.ToewijzingNummer) ? p.ToewijzingNummer : null,
  productCategory: p.Product?.Categorie ?? null,
  productCode: p.Product?.Code ?? null,
  allocationStart: p.ToewijzingIngangsdatum ?? null,
  begin: p.Begindatum,
  end: (p as JW307StopProduct).Einddatum ?? null,
  reason: (p as JW307StopProduct).RedenBeeindiging ?? null,
  status: p.StatusAanlevering,
});

/**
 * Visit every StartProduct (JW305) or StopProduct (JW307) of a client with its path and the state the client's earlier
 * deliveries leave: the stored ones, then those before it in this message (except one with the same key: a duplicate
 * within the message is TR101's).
 */
function eachDelivery(
  ctx: RuleContext<'JW305' | 'JW307'>,
  c: JW305Client | JW307Client,
  at: ClientAt,
  h: HistorySnapshot | undefined,
  fn: (p: Item, path: string, state: StartStopState) => void,
) {
  if (!h?.startsStops) return;
  const stored = h.startsStops(c.Bsn);
  const kind = ctx.type === 'JW305' ? 'start' : 'stop';
  const key = (p: Item | StartStopRecord) =>
    'kind' in p ? (p.kind === 'start' ? startKey(asMessage(p)) : stopKey(asMessage(p))) : kind === 'start' ? startKey(p) : stopKey(p as JW307StopProduct);
  const here: StartStopRecord[] = [];
  const list = ctx.type === 'JW305' ? (c as JW305Client).StartProducten?.StartProduct : (c as JW307Client).StopProducten?.StopProduct;
  const [wrap, name] = ctx.type === 'JW305' ? ['StartProducten', 'StartProduct'] : ['StopProducten', 'StopProduct'];
  each<Item>(list, `${at.path}/${wrap}`, name, (p, path) => {
    const k = key(p);
    fn(p, path, replayStartsStops(here.length ? [...stored, ...here.filter((r) => key(r) !== k)] : stored));
    here.push(asRecord(kind, p));
  });
}

const what = (type: string) => (type === 'JW305' ? 'start' : 'stop');

const tr019 = defineRule({
  code: 'TR019',
  retourcode: '9019',
  layer: 'historie',
  messages: ['JW305', 'JW307'],
  text: 'Bij een output- of inspanningsgerichte werkwijze moet de melding van de start of de stop van de ondersteuning gerelateerd zijn aan een toewijzing op basis van het ToewijzingNummer',
  note: 'Een toewijzing met dit nummer van de ontvangende gemeente aan de verzendende aanbieder, voor deze cliënt. Zonder ToewijzingNummer (taakgericht) en bij StatusAanlevering 3 (verwijderen) niet getoetst.',
  start: (ctx) => ({
    client(c, at, h) {
      if (!h) return;
      const list: Item[] | undefined = ctx.type === 'JW305' ? (c as JW305Client).StartProducten?.StartProduct : (c as JW307Client).StopProducten?.StopProduct;
      const [wrap, name] = ctx.type === 'JW305' ? ['StartProducten', 'StartProduct'] : ['StopProducten', 'StopProduct'];
      each(list, `${at.path}/${wrap}`, name, (p, path) => {
        if (!isInt(p.ToewijzingNummer) || p.StatusAanlevering === '3') return;
        const a = h.allocation(p.ToewijzingNummer, c.Bsn);
        const why = !a
          ? 'er is geen toewijzing met dit nummer van deze gemeente'
          : !a.sameProvider
            ? 'de toewijzing is aan een andere aanbieder gegeven'
            : !a.sameClient
              ? 'de toewijzing is voor een andere cliënt'
              : '';
        if (why) ctx.report(`${path}/ToewijzingNummer`, `${what(ctx.type)} bij toewijzing ${p.ToewijzingNummer}: ${why}`);
      });
    },
  }),
});

const tr063 = defineRule({
  code: 'TR063',
  retourcode: '9063',
  layer: 'historie',
  messages: ['JW305', 'JW307'],
  text: 'Indien StatusAanlevering de waarde 3 (aanlevering verwijderen) bevat, dan moet voor de betreffende Client een eerdere aanlevering met dezelfde logische sleutel verstuurd zijn.',
  note: 'Een eerdere, nog niet verwijderde aanlevering van deze aanbieder voor deze cliënt met dezelfde sleutel als TR101 (start: Begindatum, Product, ToewijzingNummer; stop: ook Einddatum en RedenBeeindiging).',
  start: (ctx) => ({
    client(c, at, h) {
      eachDelivery(ctx, c, at, h, (p, path, state) => {
        if (p.StatusAanlevering !== '3') return;
        const known = ctx.type === 'JW305' ? state.starts.has(startKey(p)) : state.stops.has(stopKey(p as JW307StopProduct));
        if (!known) ctx.report(`${path}/StatusAanlevering`, `geen eerdere ${what(ctx.type)} met dezelfde sleutel om te verwijderen`);
      });
    },
  }),
});

const tr071 = defineRule({
  code: 'TR071',
  retourcode: '9071',
  layer: 'historie',
  messages: ['JW305'],
  text: "StatusAanlevering mag niet de waarde '3' bevatten als er voor de betreffende melding start zorg al een stop zorg is verstuurd.",
  note: 'Een stop met hetzelfde ToewijzingNummer en dezelfde Begindatum voor deze cliënt die niet is verwijderd.',
  start: (ctx) => ({
    client(c, at, h) {
      eachDelivery(ctx, c, at, h, (p, path, state) => {
        if (p.StatusAanlevering !== '3') return;
        const stop = state.stopsOf(p.ToewijzingNummer, p.Begindatum)[0];
        if (stop) ctx.report(`${path}/StatusAanlevering`, `de start van ${p.Begindatum} is al gestopt per ${stop.end ?? '?'}: verwijder eerst de stop`);
      });
    },
  }),
});

const tr074 = defineRule({
  code: 'TR074',
  retourcode: '9074',
  layer: 'historie',
  messages: ['JW305', 'JW307'],
  text: "Indien StatusAanlevering de waarde '1' bevat, dan moet de sleutel van de betreffende aanlevering niet alleen uniek zijn binnen het bericht zelf, maar ook in combinatie met alle reeds ontvangen berichten.",
  note: 'Tegen de eerdere aanleveringen van deze aanbieder voor deze cliënt die niet met StatusAanlevering 3 zijn verwijderd (na verwijderen mag dezelfde sleutel opnieuw); binnen het bericht: TR101.',
  start: (ctx) => ({
    client(c, at, h) {
      eachDelivery(ctx, c, at, h, (p, path, state) => {
        if (p.StatusAanlevering !== '1') return;
        const known = ctx.type === 'JW305' ? state.starts.has(startKey(p)) : state.stops.has(stopKey(p as JW307StopProduct));
        if (known)
          ctx.report(
            `${path}/StatusAanlevering`,
            `deze ${what(ctx.type)} (toewijzing ${p.ToewijzingNummer ?? '-'}, begindatum ${p.Begindatum}) is al eerder ontvangen`,
          );
      });
    },
  }),
});

const tr326 = defineRule({
  code: 'TR326',
  retourcode: '9326',
  layer: 'historie',
  messages: ['JW305'],
  text: 'Een Startbericht mag pas verstuurd worden als er géén actueel Startbericht bij een ToegewezenProduct is.',
  note: 'Actueel: een eerdere start bij hetzelfde ToewijzingNummer voor deze cliënt zonder stop (met hetzelfde ToewijzingNummer en dezelfde Begindatum) en niet verwijderd (IV008).',
  start: (ctx) => ({
    client(c, at, h) {
      eachDelivery(ctx, c, at, h, (p, path, state) => {
        if (p.StatusAanlevering !== '1' || !isInt(p.ToewijzingNummer)) return;
        const running = state.runningStart(p.ToewijzingNummer);
        if (running) ctx.report(`${path}/ToewijzingNummer`, `bij toewijzing ${p.ToewijzingNummer} loopt nog de start van ${running.begin}: eerst stoppen`);
      });
    },
  }),
});

const tr382 = defineRule({
  code: 'TR382',
  retourcode: '9069',
  layer: 'historie',
  messages: ['JW307'],
  text: 'De sleutelelementen uit het startbericht moeten in het stopbericht, waarin wordt aangegeven dat de betreffende levering (tijdelijk) beeindigd wordt, ongewijzigd worden overgenomen.',
  note: 'Er is een actuele (niet verwijderde) start van deze aanbieder voor deze cliënt met dezelfde ToewijzingNummer, Begindatum en Product (retourcode 9069: geen actueel startbericht met dezelfde sleutel).',
  start: (ctx) => ({
    client(c, at, h) {
      eachDelivery(ctx, c, at, h, (p, path, state) => {
        if (p.StatusAanlevering !== '1') return;
        if (!state.starts.has(startKey(p)))
          ctx.report(
            [path, `${path}/Begindatum`],
            `geen actuele start met toewijzing ${p.ToewijzingNummer ?? '-'}, product ${p.Product?.Code ?? p.Product?.Categorie ?? '-'} en begindatum ${p.Begindatum}`,
          );
      });
    },
  }),
});

/** TR413–TR415: a stop (StatusAanlevering 1) against the current stops of the same delivery. */
function stopRule(
  code: string,
  retourcode: string,
  text: string,
  note: string,
  check: (p: JW307StopProduct, earlier: StartStopRecord[]) => string | undefined,
  at: string,
): RuleDef<'JW307'> {
  return defineRule({
    code,
    retourcode,
    layer: 'historie',
    messages: ['JW307'],
    text,
    note,
    start: (ctx) => ({
      client(c, cat, h) {
        eachDelivery(ctx, c, cat, h, (p, path, state) => {
          if (p.StatusAanlevering !== '1') return;
          const why = check(p as JW307StopProduct, state.stopsOf(p.ToewijzingNummer, p.Begindatum));
          if (why) ctx.report(`${path}/${at}`, why);
        });
      },
    }),
  });
}

const tr413 = stopRule(
  'TR413',
  '9413',
  'Als er al een StopProduct voor hetzelfde Bsn, ToewijzingNummer, Begindatum en met RedenBeeindiging waarde 20 is, dan moet RedenBeeindiging <> aan waarde 20 zijn, indien StatusAanlevering waarde 1 of 2 heeft.',
  'Na een tijdelijke beëindiging (20) volgt geen tweede tijdelijke beëindiging van dezelfde levering maar een definitieve stop.',
  (p, earlier) =>
    p.RedenBeeindiging === '20' && earlier.some((s) => s.reason === '20') ? `de levering van ${p.Begindatum} is al tijdelijk beëindigd (reden 20)` : undefined,
  'RedenBeeindiging',
);

const tr414 = stopRule(
  'TR414',
  '9414',
  'Als er al een StopProduct voor hetzelfde Bsn, ToewijzingNummer en Begindatum is, dan moet Einddatum >= zijn aan Einddatum uit actuele StopProduct.',
  'Actueel: de laatste niet verwijderde stop van dezelfde levering.',
  (p, earlier) => {
    const last = earlier.at(-1);
    return last?.end && p.Einddatum < last.end ? `einddatum ${p.Einddatum} ligt voor de einddatum ${last.end} van de eerdere stop` : undefined;
  },
  'Einddatum',
);

const tr415 = stopRule(
  'TR415',
  '9415',
  'Er mag geen StopProduct zijn met gelijk Bsn, ToewijzingNummer, Begindatum en RedenBeeindiging <> waarde 20, indien StatusAanlevering waarde 1 of 2 heeft',
  'Een definitief gestopte levering (een stop met een andere reden dan 20) krijgt geen nieuwe stop; eerst de oude verwijderen (StatusAanlevering 3).',
  (p, earlier) => {
    const final = earlier.find((s) => s.reason !== '20');
    return final ? `de levering van ${p.Begindatum} is al gestopt per ${final.end ?? '?'} met reden ${final.reason ?? '?'}` : undefined;
  },
  'StatusAanlevering',
);

export const REGIE_RULES: RuleDef<any>[] = [tr019, tr063, tr071, tr074, tr326, tr382, tr413, tr414, tr415];
