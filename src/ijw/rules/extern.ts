// Layer "extern" (the standard's "externe bron"): rules against the national lists the product ships and the
// system date, without a database: TR378 municipality codes, TR381 product code per category, TR346 amount =
// volume × tariff, TR135 dates not in the future.
import { messageSchema, type ClientMap, type ComplexType, type MessageSchema, type MessageType } from '../schema.ts';
import { isDate } from './dates.ts';
import { defineRule, type ClientAt, type RuleDef } from './types.ts';
import { each, eachLine, eur, filled, isInt, linePaths } from './walk.ts';

/** A declaration line (Prestatie) of a JW323. */
type JW323Line = NonNullable<NonNullable<ClientMap['JW323']['Prestaties']>['Prestatie']>[number];

/** Visit every simple value of basisschema type `ldt` below `obj`, with its XPath (uses the message description). */
function valuesOfType(schema: MessageSchema, ct: ComplexType, obj: any, base: string, ldt: string, fn: (v: unknown, path: string) => void) {
  if (!obj || typeof obj !== 'object') return;
  for (const el of ct.children) {
    const v = obj[el.n];
    if (v === undefined) continue;
    const list = el.many ? (v as unknown[]) : [v];
    list.forEach((item, i) => {
      const path = `${base}/${el.n}${el.many ? `[${i + 1}]` : ''}`;
      if (el.type) {
        if (containsType(schema, el.type, ldt)) valuesOfType(schema, schema.complex(el.type), item, path, ldt, fn);
      } else if (el.ldt === ldt) fn(item, path);
    });
  }
}

const containsCache = new Map<string, boolean>();
function containsType(schema: MessageSchema, typeRef: string, ldt: string, seen = new Set<string>()): boolean {
  const key = `${schema.type} ${typeRef} ${ldt}`;
  const hit = containsCache.get(key);
  if (hit !== undefined) return hit;
  seen.add(typeRef);
  let found = false;
  for (const el of schema.complex(typeRef).children) {
    if (el.ldt === ldt || (el.type && !seen.has(el.type) && containsType(schema, el.type, ldt, seen))) {
      found = true;
      break;
    }
  }
  containsCache.set(key, found);
  return found;
}

const tr378 = defineRule({
  code: 'TR378',
  retourcode: 'S300',
  layer: 'extern',
  messages: ['JW301', 'JW305', 'JW307', 'JW315', 'JW317', 'JW319', 'JW323', 'JW325'],
  text: 'Vullen met een bestaande gemeentecode uit het overzicht van CBS dat actueel is op Ingangsdatum of ToewijzingIngangsdatum.',
  note: 'Getoetst tegen de CBS-lijst die het product meelevert (gemeenten-2026.csv). Oudere codes van heringedeelde gemeenten kent die lijst niet: zie docs/ijw-rules.md.',
  start: (ctx) => {
    const schema = messageSchema(ctx.type);
    const check = (v: unknown, path: string) => {
      if (typeof v === 'string' && /^\d{4}$/.test(v) && !ctx.lists.municipalities.has(v)) ctx.report(path, `gemeentecode ${v} bestaat niet in de CBS-lijst`);
    };
    const clientType = schema.clientPath ? clientTypeRef(schema) : null;
    const clientHasCodes = clientType ? containsType(schema, clientType, 'LDT_Gemeente') : false;
    return {
      end(m) {
        valuesOfType(schema, schema.root, m, '/Bericht', 'LDT_Gemeente', check);
      },
      client: clientHasCodes ? (c, at) => valuesOfType(schema, schema.complex(clientType!), c, at.path, 'LDT_Gemeente', check) : undefined,
    };
  },
});

function clientTypeRef(schema: MessageSchema): string {
  let ct = schema.root;
  let ref = '';
  for (const name of schema.clientPath!) {
    ref = ct.children.find((c) => c.n === name)!.type!;
    ct = schema.complex(ref);
  }
  return ref;
}

/**
 * The products (category + code) a message names, relative to the Client, handed to `fn`. The code's path is
 * `${path}${suffix}` (made only for a finding: this runs for every line of a declaration; no object per line).
 */
function eachProduct(type: MessageType, c: any, at: ClientAt, fn: (cat: unknown, code: unknown, path: string, suffix: string) => void): void {
  if (type === 'JW323') {
    // a loop of its own: no closure per Client
    const list = c.Prestaties?.Prestatie;
    if (!list) return;
    const paths = linePaths(list, at);
    for (let i = 0; i < list.length; i++) fn(list[i].ProductCategorie, list[i].ProductCode, paths[i], '/ProductCode');
    return;
  }
  const product = (list: any[] | undefined, b: string, name: string) =>
    each(list, b, name, (x: any, path) => {
      if (x.Product) fn(x.Product.Categorie, x.Product.Code, path, '/Product/Code');
    });
  const base = at.path;
  if (type === 'JW301') product(c.ToegewezenProducten?.ToegewezenProduct, `${base}/ToegewezenProducten`, 'ToegewezenProduct');
  else if (type === 'JW305') product(c.StartProducten?.StartProduct, `${base}/StartProducten`, 'StartProduct');
  else if (type === 'JW307') product(c.StopProducten?.StopProduct, `${base}/StopProducten`, 'StopProduct');
  else if (type === 'JW315') product(c.AangevraagdeProducten?.AangevraagdProduct, `${base}/AangevraagdeProducten`, 'AangevraagdProduct');
  else if (type === 'JW317') product(c.Verzoek?.NieuweProducten?.NieuwProduct, `${base}/Verzoek/NieuweProducten`, 'NieuwProduct');
}

const tr381 = defineRule({
  code: 'TR381',
  retourcode: 'S329',
  layer: 'extern',
  messages: ['JW301', 'JW305', 'JW307', 'JW315', 'JW317', 'JW323'],
  text: 'ProductCode vullen met een code die, volgens de gehanteerde productcodelijst, past bij de ProductCategorie.',
  note: 'De gehanteerde lijst is de landelijke productcodelijst JZ21 die het product meelevert. Een code uit die lijst moet bij de opgegeven categorie horen; in een categorie waarvoor de lijst codes kent moet de code in de lijst staan. Categorieën zonder landelijke codes (bijv. 54, 55 en de 3x-categorieën van 2015) gebruiken eigen lijsten van gemeenten en worden hier niet beoordeeld.',
  start: (ctx) => {
    const judge = (pcat: unknown, code: unknown, path: string, suffix: string) => {
      if (typeof code !== 'string' || !filled(code) || typeof pcat !== 'string') return;
      const cat = ctx.lists.productCategory.get(code);
      if (cat !== undefined && cat !== pcat) ctx.report(path + suffix, `productcode ${code} hoort bij categorie ${cat}, niet bij ${pcat}`);
      else if (cat === undefined && ctx.lists.categoriesWithCodes.has(pcat))
        ctx.report(path + suffix, `productcode ${code} staat niet in de productcodelijst voor categorie ${pcat}`);
    };
    return {
      client(c, at) {
        eachProduct(ctx.type, c, at, judge);
      },
    };
  },
});

/**
 * TR346 with IV081: per minute declared on an hourly tariff H, ProductTarief is H/60 rounded to cents and
 * IngediendBedrag is H × minutes / 60 rounded. H is not in the message, so the amount is accepted when some
 * hourly tariff H that rounds to ProductTarief gives exactly this amount.
 */
export function amountFitsMinuteTariff(minutes: number, perMinute: number, amount: number): boolean {
  if (minutes === 0) return amount === 0;
  // H/60 rounds (half up) to perMinute  ⇔  60·perMinute − 30 ≤ H < 60·perMinute + 30
  // H·minutes/60 rounds to amount       ⇔  60·amount − 30 ≤ H·minutes < 60·amount + 30
  const lo = Math.max(60 * perMinute - 30, Math.ceil((60 * amount - 30) / minutes));
  const hi = Math.min(60 * perMinute + 29, Math.ceil((60 * amount + 30) / minutes) - 1);
  return lo <= hi;
}

const tr346 = defineRule({
  code: 'TR346',
  retourcode: '9346',
  layer: 'extern',
  messages: ['JW323'],
  text: 'Indien Eenheid ongelijk is aan waarde 83 (Euro’s), moet IngediendBedrag gelijk zijn aan GeleverdVolume vermenigvuldigd met ProductTarief.',
  note: 'Bij eenheid minuut wordt ook een bedrag geaccepteerd dat volgens IV081 uit een uurtarief is berekend ((uurtarief × minuten) / 60, afgerond), als dat uurtarief afgerond ProductTarief per minuut geeft.',
  start: (ctx) => {
    const line = (p: JW323Line, path: string) => {
      const amount = p.IngediendBedrag?.Bedrag;
      if (p.Eenheid === '83' || !filled(p.Eenheid) || !isInt(p.GeleverdVolume) || !isInt(p.ProductTarief) || !isInt(amount)) return;
      const expected = p.GeleverdVolume * p.ProductTarief;
      if (amount === expected) return;
      if (p.Eenheid === '01' && amountFitsMinuteTariff(p.GeleverdVolume, p.ProductTarief, amount)) return;
      ctx.report(`${path}/IngediendBedrag/Bedrag`, `${p.GeleverdVolume} × ${eur(p.ProductTarief)} = ${eur(expected)}, ingediend ${eur(amount)}`);
    };
    return {
      client(c, at) {
        eachLine(c, at, line);
      },
    };
  },
});

const tr135 = defineRule({
  code: 'TR135',
  retourcode: '8848',
  layer: 'extern',
  messages: ['JW301', 'JW305', 'JW307', 'JW315', 'JW317', 'JW319', 'JW323', 'JW325'],
  text: 'Vullen met een bestaande datum die niet in de toekomst ligt.',
  note: 'Geldt voor de Dagtekening van het bericht (retourcode 8848: dagtekening moet gelijk zijn aan of voor de systeemdatum liggen).',
  start: (ctx) => ({
    head(m: any) {
      const d = m.Header?.BerichtIdentificatie?.Dagtekening;
      if (isDate(d) && d > ctx.today) ctx.report('/Bericht/Header/BerichtIdentificatie/Dagtekening', `dagtekening ${d} ligt na vandaag (${ctx.today})`);
    },
  }),
});

export const EXTERN_RULES: RuleDef<any>[] = [tr135, tr346, tr378, tr381];
