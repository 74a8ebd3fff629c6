// The differential test's machinery: seeded mutations of the standard's example messages (all 14 types), judged
// by the official stylesheet (src/ijw/official.ts, one JVM for all) and by Regiekamer, and the list of every
// disagreement. Used by test/ijw/official.test.ts (fixed seed, 300+ messages) and scripts/fuzz-ijw.ts (longer runs).
//
// What is compared, per message:
// - the XSD verdict: the JDK's XSD validator against Regiekamer's (the checker generated from the XSDs, in the pass
//   that also runs the rules; valid or not). A message that either refuses is compared on that only: the stylesheet
//   does not judge XSD-invalid messages.
// - the generated XSD checker against libxml2, the reference: the same verdict and the same first finding (element
//   and text). test/ijw/xsd-check.test.ts compares every finding, on more broken messages.
// - for XSD-valid messages, the set of (rule code, location) over the rules the stylesheet checks: every Locatie
//   of every Fout against every location of our findings with that code. Positions [1] are dropped on both sides
//   (the stylesheet writes a position only where an element repeats; Regiekamer always does).
//   Where the stylesheet gives a Retourcode, ours must be the same. Regiekamer's other rules (external lists,
//   history, business rules) have their own codes and are not compared.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readMessage, readFullMessage } from '../../src/ijw/reader.ts';
import { checkMessage } from '../../src/ijw/rules/engine.ts';
import type { Finding } from '../../src/ijw/rules/types.ts';
import { ENUMERATIONS, MESSAGE_SPECS, MESSAGE_TYPES, type MessageType } from '../../src/ijw/schema.ts';
import { BASIS_TYPES } from '../../src/ijw/schema.generated.ts';
import { writeMessage } from '../../src/ijw/writer.ts';
import { validateXsd, type XsdFinding } from '../../src/ijw/xsd.ts';
import { IjwReadError } from '../../src/ijw/errors.ts';
import { officialVerdicts, STYLESHEET, type OfficialVerdict } from '../../src/ijw/official.ts';

const EXAMPLES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../standards/ijw-3.2/examples');
/** The day the mutants are judged (TR135 is not compared; the stylesheet has no clock). */
const TODAY = '2026-11-23';

/** The rule codes the stylesheet checks: its `mode="check"` template applies one mode per rule. */
export function stylesheetRules(): string[] {
  const xsl = readFileSync(STYLESHEET, 'utf8');
  const check = xsl.slice(xsl.lastIndexOf('<template match="*" mode="check"'));
  return [...new Set([...check.matchAll(/apply-templates mode="([A-Z]{2}\d{3})"/g)].map((m) => m[1]))].sort();
}

// --- seeded randomness -------------------------------------------------------------------------------------------
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

// --- the base messages ---------------------------------------------------------------------------------------------
/**
 * The 14 examples as message objects. Two examples break the XSD on purpose (JW315: 2027-06-31; JW318: a RetourCode
 * outside RetourCodes); as bases they are repaired so that most of their mutants stay XSD-valid.
 */
export async function bases(): Promise<{ type: MessageType; message: any }[]> {
  const out: { type: MessageType; message: any }[] = [];
  for (const type of MESSAGE_TYPES) {
    let xml = readFileSync(path.join(EXAMPLES, `${type}.xml`), 'utf8');
    if (type === 'JW315') xml = xml.replace('2027-06-31', '2027-06-30');
    if (type === 'JW318')
      xml = xml.replace(
        /(<jw318:RedenVerzoek>[^<]*<\/jw318:RedenVerzoek>\s*)<jw318:RetourCode>([^<]*)<\/jw318:RetourCode>/,
        '$1<jw318:RetourCodes><jw318:RetourCode>$2</jw318:RetourCode></jw318:RetourCodes>',
      );
    out.push({ type, message: (await readFullMessage({ xml })).message });
  }
  return out;
}

/** Element name → its basisschema type (for code lists), over all messages. */
const LDT = new Map<string, string>();
for (const els of Object.values(BASIS_TYPES)) for (const e of els) if (e.ldt) LDT.set(e.n, e.ldt);
for (const spec of Object.values(MESSAGE_SPECS) as any[])
  for (const els of Object.values(spec.types) as any[]) for (const e of els) if (e.ldt && !LDT.has(e.n)) LDT.set(e.n, e.ldt);

interface Slot {
  holder: any;
  key: string | number;
  name: string;
  parentName: string;
  value: any;
}

/** Every value in the message with where it sits (arrays are lists of elements with the array's name). */
function slots(msg: any): Slot[] {
  const out: Slot[] = [];
  const walk = (o: any, parentName: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (Array.isArray(v)) {
        v.forEach((item, i) => {
          out.push({ holder: v, key: i, name: k, parentName, value: item });
          if (item && typeof item === 'object') walk(item, k);
        });
      } else {
        out.push({ holder: o, key: k, name: k, parentName, value: v });
        if (v && typeof v === 'object') walk(v, k);
      }
    }
  };
  walk(msg, 'Bericht');
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const iso = (d: Date) => d.toISOString().slice(0, 10);
function shiftDate(s: string, r: Rng): string {
  const d = new Date(`${s}T00:00:00Z`);
  const how = r.int(9);
  if (how === 0) return `${s.slice(0, 8)}01`; // first of month
  if (how === 1) return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0))); // last of month
  if (how === 2) return iso(new Date(Date.UTC(d.getUTCFullYear() - r.pick([1, 5, 6, 121]), d.getUTCMonth(), d.getUTCDate())));
  if (how === 3) return iso(new Date(Date.UTC(d.getUTCFullYear() + r.pick([1, 2]), d.getUTCMonth(), d.getUTCDate())));
  if (how === 4) return r.pick(['2020-12-31', '2021-01-01', '2020-06-15', '1900-01-01', '2026-05-06', '2026-04-30', '2026-01-01']);
  if (how === 5) return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + r.pick([-1, 1, 2]), d.getUTCDate())));
  return iso(new Date(d.getTime() + r.pick([-40, -31, -30, -1, 1, 14, 30, 31, 45]) * 86_400_000));
}

/** Values per element name seen in all bases, to graft and to change codes with. */
function pool(all: any[]): Map<string, any[]> {
  const p = new Map<string, any[]>();
  for (const m of all)
    for (const s of slots(m)) {
      const k = `${s.parentName}/${s.name}`;
      if (!p.has(k)) p.set(k, []);
      p.get(k)!.push(s.value);
    }
  return p;
}

const clone = <T>(x: T): T => structuredClone(x);

/** One mutation of the message object in place; returns a short description. */
function mutateOnce(msg: any, r: Rng, donors: Map<string, any[]>): string {
  const all = slots(msg).filter((s) => !['Header', 'XsdVersie', 'XsdVersieRetour'].includes(s.parentName));
  if (!all.length) return '';
  const op = r.int(14);
  if (op >= 10) {
    // a scenario aimed at a rule's condition (budget beside volume, a referrer's code and name, …)
    const objs = all.filter((x) => x.value && typeof x.value === 'object' && !Array.isArray(x.value) && SCENARIOS[x.name]);
    if (!objs.length) return '';
    const names = [...new Set(objs.map((x) => x.name))].sort(); // every kind of element as likely, however often it occurs
    const name = r.pick(names);
    const x = r.pick(objs.filter((o) => o.name === name));
    SCENARIOS[x.name](x.value, r, msg);
    return `scenario ${x.name}`;
  }
  if (op <= 2) {
    // shift a date
    const ds = all.filter((s) => typeof s.value === 'string' && DATE.test(s.value));
    if (!ds.length) return '';
    const s = r.pick(ds);
    s.holder[s.key] = shiftDate(s.value, r);
    return `${s.parentName}/${s.name} ${s.value} → ${s.holder[s.key]}`;
  }
  if (op === 3) {
    // remove an element (the writer refuses required ones: then another mutation is tried)
    const s = r.pick(all);
    if (Array.isArray(s.holder)) {
      if (s.holder.length < 2) return '';
      s.holder.splice(s.key as number, 1);
    } else delete s.holder[s.key];
    return `weg: ${s.parentName}/${s.name}`;
  }
  if (op === 4) {
    // duplicate an element of a list, sometimes with a changed date
    const lists = all.filter((s) => Array.isArray(s.holder) && s.key === 0);
    if (!lists.length) return '';
    const s = r.pick(lists);
    const item = clone(r.pick(s.holder as any[]));
    if (r.int(2) && item && typeof item === 'object') {
      const ds = slots(item).filter((x) => typeof x.value === 'string' && DATE.test(x.value));
      if (ds.length) {
        const d = r.pick(ds);
        d.holder[d.key] = shiftDate(d.value, r);
      }
    }
    (s.holder as any[]).splice(r.int(s.holder.length + 1), 0, item);
    return `dubbel: ${s.name}`;
  }
  if (op === 5) {
    // change a code to another value of its list
    const cs = all.filter((s) => typeof s.value === 'string' && LDT.has(s.name) && ENUMERATIONS[LDT.get(s.name)!]);
    if (!cs.length) return '';
    const s = r.pick(cs);
    s.holder[s.key] = r.pick(ENUMERATIONS[LDT.get(s.name)!]);
    return `code ${s.name} ${s.value} → ${s.holder[s.key]}`;
  }
  if (op === 6) {
    // change a number (volume, amount, tariff, assignment number)
    const ns = all.filter((s) => typeof s.value === 'number');
    if (!ns.length) return '';
    const s = r.pick(ns);
    const v = s.value as number;
    s.holder[s.key] = r.pick([0, v + 1, Math.max(0, v - 1), v * 2, 1 + r.int(100000)]);
    return `getal ${s.name} ${v} → ${s.holder[s.key]}`;
  }
  if (op === 7) {
    // swap the two dates of a period
    const objs = all.filter((s) => s.value && typeof s.value === 'object' && !Array.isArray(s.value));
    const pairs: [any, string, string][] = [];
    for (const o of objs) {
      const v = o.value;
      for (const [a, b] of [
        ['Begindatum', 'Einddatum'],
        ['Ingangsdatum', 'Einddatum'],
        ['ToewijzingIngangsdatum', 'ToewijzingEinddatum'],
        ['GewensteIngangsdatum', 'Einddatum'],
      ]) {
        if (v[a] && v[b]) pairs.push([v, a, b]);
      }
    }
    if (!pairs.length) return '';
    const [v, a, b] = r.pick(pairs);
    [v[a], v[b]] = [v[b], v[a]];
    return `periode omgedraaid: ${a}/${b}`;
  }
  if (op === 8) {
    // graft: give an element a child it lacks, taken from another example (Budget beside Omvang, …)
    const objs = all.filter((s) => s.value && typeof s.value === 'object' && !Array.isArray(s.value));
    if (!objs.length) return '';
    const s = r.pick(objs);
    const names = [...donors.keys()]
      .filter((k) => k.startsWith(`${s.name}/`))
      .map((k) => k.slice(s.name.length + 1))
      .filter((n) => s.value[n] === undefined);
    if (!names.length) return '';
    const n = r.pick(names);
    const vals = donors.get(`${s.name}/${n}`)!;
    const many = MANY.has(n);
    s.value[n] = many ? [clone(r.pick(vals))] : clone(r.pick(vals));
    return `erbij: ${s.name}/${n}`;
  }
  // copy a value onto another element of the same name (duplicate keys and references: TR101, TR315, TR316, TR383)
  const byName = new Map<string, Slot[]>();
  for (const s of all)
    if (s.value === null || typeof s.value !== 'object') {
      if (!byName.has(s.name)) byName.set(s.name, []);
      byName.get(s.name)!.push(s);
    }
  const multi = [...byName.values()].filter((l) => l.length > 1);
  if (!multi.length) return '';
  const l = r.pick(multi);
  const from = r.pick(l),
    to = r.pick(l);
  to.holder[to.key] = from.value;
  return `kopie ${to.name} = ${from.value}`;
}
const refsIn = (msg: any): string[] =>
  slots(msg)
    .filter((s) => s.name === 'ReferentieNummer')
    .map((s) => s.value);
const PRODUCT = (endName: string) => (o: any, r: Rng) => {
  const k = r.int(4);
  if (k === 0) {
    o.Budget = r.pick([0, 150000]);
    if (r.int(2)) delete o.Omvang;
    if (!r.int(3)) delete o[endName];
  } else if (k === 1) {
    if (o.Product) {
      if (r.int(2)) delete o.Product.Code;
      else delete o.Product.Categorie;
    } else o.Product = { Categorie: '45' };
  } else if (k === 2) {
    o.Omvang = { Volume: 5, Eenheid: r.pick(['01', '04', '14', '16', '83', '84']), Frequentie: r.pick(['1', '2', '4', '6']) };
    if (!r.int(3)) delete o[endName];
  } else {
    delete o.Product;
    if (r.int(2)) delete o.Budget;
  }
};
/** Changes aimed at the stylesheet's conditions, per element name. */
const SCENARIOS: Record<string, (o: any, r: Rng, msg: any) => void> = {
  ToegewezenProduct: (o, r) => {
    if (r.int(2)) PRODUCT('Einddatum')(o, r);
    else {
      o.RedenWijziging = r.pick(['01', '13', '02']);
      if (r.int(2)) o.Einddatum = o.Ingangsdatum;
    }
  },
  AangevraagdProduct: (o, r) => {
    if (r.int(2)) PRODUCT('ToewijzingEinddatum')(o, r);
    // biome-ignore lint/suspicious/noDuplicateElseIf: each r.int(2) is a new random draw
    else if (r.int(2)) delete o.BeschikkingIngangsdatum;
    else delete o.BeschikkingNummer;
  },
  NieuwProduct: (o, r) => PRODUCT('Einddatum')(o, r),
  TeWijzigenProduct: (o, r) => {
    if (r.int(2)) PRODUCT('Einddatum')(o, r);
    else delete o.GewensteIngangsdatum;
  },
  Geboortedatum: (o, r) => {
    o.DatumGebruik = r.pick(['1', '2', '3']);
    if (!r.int(3)) o.Datum = r.pick(['1900-01-01', '2010-01-01', '2010-02-01', '1890-05-05']);
  },
  Communicatie: (o, r) => {
    o.Vorm = r.pick(['1', '2', '3']);
    if (r.int(2)) delete o.Taal;
    else o.Taal = 'Zweeds';
  },
  Verwijzer: (o, r) => {
    o.Type = r.pick(['01', '02', '03', '04', '05', '06', '08']);
    if (r.int(2)) o.ZorgverlenerCode = '12345678';
    else delete o.ZorgverlenerCode;
    if (r.int(2)) o.Naam = 'huisarts';
    else delete o.Naam;
  },
  Contact: (o, r) => {
    if (r.int(2)) o.Soort = r.pick(['01', '02', '03', '04']);
    const k = r.int(6);
    if (k === 0) delete o.Telefoon;
    else if (k === 1 && o.Adres) delete o.Adres.Postcode;
    else if (k === 2 && o.Adres) delete o.Adres.Huis;
    else if (k === 3) o.Periode = { Begindatum: '2026-01-01', ...(r.int(2) ? { Einddatum: r.pick(['2025-12-31', '2026-06-30']) } : {}) };
    else if (k === 4 && o.Adres) delete o.Adres.LandCode;
    else if (o.Adres) o.Adres.Postcode = r.pick(['1234ab', '0123AB', '1234AB']);
  },
  Contactgegevens: (o) => {
    for (const k of o.Contact ?? []) k.Soort = '04';
  },
  Naam: (o, r) => {
    if ('NaamGebruik' in o) o.NaamGebruik = r.pick(['1', '2', '3', '4', '5', '6']);
    if (r.int(2)) o.Partnernaam = { Achternaam: 'Vries' };
    else delete o.Partnernaam;
  },
  Prestatie: (o, r, msg) => {
    const k = r.int(4);
    if (k === 0) {
      o.IngediendBedrag.DebetCredit = 'C';
      o.ProductReferentie.VorigReferentieNummer = r.pick([...refsIn(msg), 'X1']);
    } else if (k === 1) {
      o.Eenheid = '83';
      delete o.ProductTarief;
      if (r.int(2)) o.GeleverdVolume = o.IngediendBedrag.Bedrag;
    } else if (k === 2) {
      o.IngediendBedrag = { Bedrag: 0, DebetCredit: r.pick(['C', 'D']) };
    } else {
      o.ProductReferentie.VorigReferentieNummer = r.pick(refsIn(msg));
    }
  },
  Antwoord: (o, r) => {
    o.VerzoekAntwoord = r.pick(['1', '2']);
    if (r.int(2)) delete o.RedenAfwijzingVerzoek;
    else o.RedenAfwijzingVerzoek = r.pick(['1', '8']);
    if (r.int(2)) delete o.Woonplaatsbeginsel;
    else o.Woonplaatsbeginsel = { Gemeente: '1916' };
  },
  DeclaratieAntwoord: (o, r) => {
    o.RetourCodes = { RetourCode: [r.pick(['0200', '8001', '0001', '9339'])] };
    if (r.int(2)) o.TotaalToegekendBedrag = { TotaalBedrag: 0, DebetCredit: 'D' };
  },
  Verzoek: (o, r) => {
    delete o[r.pick(['OngewijzigdeProducten', 'TeWijzigenProducten', 'NieuweProducten'])];
  },
  TotaalIngediendBedrag: (o, r) => {
    if (r.int(2)) o.DebetCredit = o.DebetCredit === 'C' ? 'D' : 'C';
    else o.TotaalBedrag = 0;
  },
};

/** Element names that repeat (arrays in the message objects). */
const MANY = new Set<string>();
for (const els of Object.values(BASIS_TYPES)) for (const e of els) if (e.many) MANY.add(e.n);
for (const spec of Object.values(MESSAGE_SPECS) as any[]) for (const els of Object.values(spec.types) as any[]) for (const e of els) if (e.many) MANY.add(e.n);

/** Text mutations that break the XSD (to compare the XSD verdicts on invalid input too). */
function breakXsd(xml: string, r: Rng): { xml: string; what: string } {
  const how = r.int(3);
  if (how === 0) {
    const dates = [...xml.matchAll(/>(\d{4}-\d{2})-\d{2}</g)];
    if (dates.length) {
      const m = r.pick(dates);
      return { xml: xml.slice(0, m.index) + `>${m[1].slice(0, 4)}-02-30<` + xml.slice(m.index! + m[0].length), what: 'datum 30 februari' };
    }
  }
  const simple = [...xml.matchAll(/<(\w+):(\w+)>[^<]*<\/\1:\2>/g)];
  const m = r.pick(simple);
  if (how === 1) return { xml: xml.slice(0, m.index) + xml.slice(m.index! + m[0].length), what: `weg (tekst): ${m[2]}` };
  return { xml: xml.slice(0, m.index) + m[0].replace(/>[^<]*</, '>X9<') + xml.slice(m.index! + m[0].length), what: `waarde X9 in ${m[2]}` };
}

export interface Mutant {
  name: string;
  type: MessageType;
  file: string;
  what: string[];
}

/** `count` mutants from `seed`, written to `dir`. Every message type in turn; about 1 in 10 breaks the XSD on purpose. */
export async function makeMutants(seed: number, count: number, dir: string): Promise<Mutant[]> {
  mkdirSync(dir, { recursive: true });
  const r = rng(seed);
  const bs = await bases();
  const donors = pool(bs.map((b) => b.message));
  const out: Mutant[] = [];
  for (let i = 0; i < count; i++) {
    const b = bs[i % bs.length];
    let xml = '';
    const what: string[] = [];
    for (let attempt = 0; attempt < 20 && !xml; attempt++) {
      const m = clone(b.message);
      what.length = 0;
      const n = i < bs.length ? 0 : 1 + r.int(3); // the first round: the bases themselves
      for (let k = 0; k < n; k++) {
        const w = mutateOnce(m, r, donors);
        if (w) what.push(w);
      }
      try {
        xml = writeMessage(b.type, m);
      } catch {
        xml = '';
      }
    }
    if (!xml) continue;
    if (i >= bs.length && r.int(10) === 0) {
      const x = breakXsd(xml, r);
      xml = x.xml;
      what.push(x.what);
    }
    const name = `${String(i).padStart(5, '0')}-${b.type}`;
    const file = path.join(dir, `${name}.xml`);
    writeFileSync(file, xml);
    out.push({ name, type: b.type, file, what });
  }
  return out;
}

// --- judging -----------------------------------------------------------------------------------------------------------
const norm = (loc: string) => loc.replace(/\[1\]/g, '');

export interface Disagreement {
  mutant: Mutant;
  kind: 'xsd' | 'regel' | 'fout';
  text: string;
}

export interface OursVerdict {
  xsd: boolean;
  xsdText?: string;
  findings: Finding[];
  error?: string;
  /** libxml2's verdict on the same file (the reference for the generated checker), with its first finding. */
  libxml2?: { valid: boolean; first?: XsdFinding };
  /** The generated checker's first finding. */
  first?: XsdFinding;
}

/** Regiekamer's verdict on one file: the generated XSD check and the rules (bericht and extern layers) in one pass; libxml2's beside it. */
export async function ourVerdict(file: string): Promise<OursVerdict> {
  try {
    const ref = await validateXsd(file);
    const xsd: XsdFinding[] = [];
    const r = await checkMessage(readMessage(file, { xsd: (f) => xsd.push(f) }), { today: TODAY });
    xsd.sort((a, b) => a.line - b.line);
    return { xsd: xsd.length === 0, xsdText: xsd[0]?.message, findings: r.findings, libxml2: { valid: ref.valid, first: ref.findings[0] }, first: xsd[0] };
  } catch (e) {
    if (e instanceof IjwReadError) return { xsd: false, findings: [], error: e.message };
    throw e;
  }
}

/** Compares the verdicts on one mutant; returns the disagreements (none when they agree). */
export function compare(m: Mutant, official: OfficialVerdict, ours: OursVerdict, rules: ReadonlySet<string>): Disagreement[] {
  const out: Disagreement[] = [];
  if (official.error) return [{ mutant: m, kind: 'fout', text: `officiële validator: ${official.error}` }];
  if (ours.libxml2) {
    const say = (f?: XsdFinding) => (f ? `${norm(f.location)}: ${f.message}` : 'geldig');
    if (ours.libxml2.valid !== ours.xsd || say(ours.libxml2.first) !== say(ours.first)) {
      out.push({ mutant: m, kind: 'xsd', text: `XSD-controle: libxml2 ${say(ours.libxml2.first)}, gegenereerd ${say(ours.first)}` });
    }
  }
  if (official.xsd !== ours.xsd) {
    return [
      ...out,
      {
        mutant: m,
        kind: 'xsd',
        text: `XSD: JDK ${official.xsd ? 'geldig' : `ongeldig (${official.xsdError})`}, Regiekamer ${ours.xsd ? 'geldig' : `ongeldig (${ours.error ?? ours.xsdText})`}`,
      },
    ];
  }
  if (!official.xsd) return out;
  const theirs = new Map<string, string | undefined>();
  for (const f of official.findings) for (const l of f.locations.length ? f.locations : ['']) theirs.set(`${f.code} ${norm(l)}`, f.retourcode);
  const mine = new Map<string, string>();
  for (const f of ours.findings) {
    if (!rules.has(f.code)) continue;
    for (const l of f.locations ?? [f.location]) mine.set(`${f.code} ${norm(l)}`, f.retourcode);
  }
  for (const [k, rc] of theirs) {
    if (!mine.has(k)) out.push({ mutant: m, kind: 'regel', text: `alleen de stylesheet: ${k}` });
    else if (rc && mine.get(k) !== rc) out.push({ mutant: m, kind: 'regel', text: `retourcode ${k}: stylesheet ${rc}, Regiekamer ${mine.get(k)}` });
  }
  for (const k of mine.keys()) if (!theirs.has(k)) out.push({ mutant: m, kind: 'regel', text: `alleen Regiekamer: ${k}` });
  return out;
}

export interface RunResult {
  mutants: Mutant[];
  disagreements: Disagreement[];
  /** Mutants both judged XSD-valid (compared rule for rule). */
  xsdValid: number;
  /** Stylesheet findings (Fout) over all mutants, per code. */
  codes: Map<string, number>;
  officialMs: number;
  oursMs: number;
}

/** Makes the mutants and judges them both ways. */
export async function run(seed: number, count: number, dir: string): Promise<RunResult> {
  const mutants = await makeMutants(seed, count, dir);
  const rules = new Set(stylesheetRules());
  let t = performance.now();
  const official = await officialVerdicts(mutants.map((m) => m.file));
  const officialMs = performance.now() - t;
  t = performance.now();
  const ours = new Map<string, OursVerdict>();
  for (const m of mutants) ours.set(m.file, await ourVerdict(m.file));
  const oursMs = performance.now() - t;
  const disagreements: Disagreement[] = [];
  const codes = new Map<string, number>();
  let xsdValid = 0;
  for (const m of mutants) {
    const o = official.get(m.file)!;
    if (o.xsd && ours.get(m.file)!.xsd) xsdValid++;
    for (const f of o.findings) codes.set(f.code, (codes.get(f.code) ?? 0) + 1);
    disagreements.push(...compare(m, o, ours.get(m.file)!, rules));
  }
  return { mutants, disagreements, xsdValid, codes, officialMs, oursMs };
}

/** The disagreements as lines for a person: file, what was mutated, what differs. */
export function describe(ds: readonly Disagreement[]): string {
  const by = new Map<string, Disagreement[]>();
  for (const d of ds) {
    if (!by.has(d.mutant.file)) by.set(d.mutant.file, []);
    by.get(d.mutant.file)!.push(d);
  }
  return [...by.values()]
    .map((l) => `${l[0].mutant.file} (${l[0].mutant.what.join('; ') || 'onveranderd'})\n${l.map((d) => `  ${d.text}`).join('\n')}`)
    .join('\n');
}
