// The generated XSD checker: the constraints of the official iJW 3.2 XSDs (element order and occurrence, namespaces,
// simple-type facets: patterns, enumerations, lengths, ranges, dates and times) checked while the streaming reader
// reads the message, in the same pass as the rules. What is checked comes from the XSDs through the code generator
// (src/ijw/codegen.ts → schema.generated.ts: the content models in MESSAGE_SPECS, the facets in SIMPLE_TYPES); this
// module is the small runtime that applies them. libxml2 (xsd.ts) stays the reference: test/ijw/xsd-check.test.ts
// compares the two on valid and invalid messages, finding for finding.
//
// The findings are worded as libxml2 words them and translated by xsd-messages-nl.ts, so a finding reads the same
// whichever of the two made it: Dutch, naming the element and the limit. libxml2's habits are kept where they decide
// what is reported: after an element that is not expected, the rest of its parent is not judged (libxml2 stops
// there too); every failing facet of a value is reported (lengths and ranges, then the code list, then the pattern);
// a value that is not even a number or a date gets one finding.
import { SIMPLE_TYPES, type SimpleTypeSpec } from './schema.generated.ts';
import type { ElementSpec } from './schema.generated.ts';
import { xsdMessageNl } from './xsd-messages-nl.ts';
import type { XsdFinding } from './xsd.ts';

/** XML Schema's whitespace: space, tab, line feed, carriage return. */
const isXsdSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Whether a text has anything but XML Schema whitespace (text between elements is indentation only). */
export function hasContent(t: string): boolean {
  for (let i = 0; i < t.length; i++) if (!isXsdSpace(t.charCodeAt(i))) return true;
  return false;
}

/** whiteSpace="collapse" (integers, dates, times): runs of whitespace to one space, none at the ends. */
function collapse(t: string): string {
  let plain = true;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || (c === 32 && (i === 0 || i === t.length - 1 || t.charCodeAt(i + 1) === 32))) {
      plain = false;
      break;
    }
  }
  return plain ? t : t.replace(/[ \t\n\r]+/g, ' ').replace(/^ | $/g, '');
}

const INTEGER = /^[+-]?[0-9]+$/;
const DATE = /^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-]([0-9]{2}):([0-9]{2}))?$/;
const TIME = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-]([0-9]{2}):([0-9]{2}))?$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const zoneOk = (m: RegExpExecArray, h: number) => !m[h] || (Number(m[h]) < 14 && Number(m[h + 1]) < 60) || (m[h] === '14' && m[h + 1] === '00');

/** xs:date's lexical space (XML Schema 1.0 as libxml2 reads it: year 0000 does not exist, 30 February neither). */
export function isXsdDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const y = Number(m[1]),
    mo = Number(m[2]),
    d = Number(m[3]);
  if (y === 0 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && leap ? 29 : DAYS[mo - 1])) return false;
  return zoneOk(m, 5);
}

/** xs:time's lexical space (24:00:00 is midnight). */
export function isXsdTime(v: string): boolean {
  const m = TIME.exec(v);
  if (!m) return false;
  const h = Number(m[1]),
    mi = Number(m[2]),
    s = Number(m[3]);
  if (h === 24) return mi === 0 && s === 0 && !/[1-9]/.test(m[4] ?? '') && zoneOk(m, 6);
  return h < 24 && mi < 60 && s < 60 && zoneOk(m, 6);
}

/** Length in characters as XML Schema counts them (code points, not UTF-16 units). */
function length(v: string): number {
  let n = v.length;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** A simple type with its derivation chain resolved: the base's lexical check, then the facets of every level. */
export interface CompiledType {
  name: string | null;
  base: SimpleTypeSpec['base'];
  levels: SimpleTypeSpec[];
  lengths: boolean;
  ranges: boolean;
  codes: ReadonlySet<string> | undefined;
  patterns: boolean;
  /** Values found valid lately: a declaration repeats its dates, codes and units on every line (bounded). */
  ok: Set<string>;
  /** Values found in `ok` since it was last emptied. */
  hits: number;
  /**
   * Whether to remember valid values: no longer once a full set was hit less often than it held values (BSNs,
   * reference numbers: nearly every value new, so remembering only filled and emptied the set).
   */
  remember: boolean;
}
const compiled = new Map<string, CompiledType>();
/** The simple type by key (SIMPLE_TYPES), resolved once. */
export function compile(key: string): CompiledType {
  let c = compiled.get(key);
  if (c) return c;
  const levels: SimpleTypeSpec[] = [];
  for (let k: string | undefined = key; k; k = SIMPLE_TYPES[k]?.parent) {
    const s = SIMPLE_TYPES[k];
    if (!s) throw new Error(`XSD-controle: onbekend type ${k}`);
    levels.unshift(s);
  }
  c = {
    name: SIMPLE_TYPES[key].name,
    base: SIMPLE_TYPES[key].base,
    levels,
    lengths: levels.some((s) => s.minLength !== undefined || s.maxLength !== undefined),
    ranges: levels.some((s) => s.minInclusive !== undefined || s.maxInclusive !== undefined),
    codes: [...levels].reverse().find((s) => s.values)?.values, // the nearest code list decides
    patterns: levels.some((s) => s.patterns),
    ok: new Set(),
    hits: 0,
    remember: true,
  };
  compiled.set(key, c);
  return c;
}

/** The simple type the checker applies to an element. */
export function simpleTypeKey(el: ElementSpec): string {
  return el.st ?? el.ldt ?? `xs:${el.kind}`;
}

/**
 * The value of a simple element against its type: the problems in libxml2's words (without the element), none when
 * the value is valid.
 */
export function checkValue(type: string | CompiledType, raw: string): string[] | null {
  const t = typeof type === 'string' ? compile(type) : type;
  if (t.ok.has(raw)) {
    t.hits++;
    return null;
  }
  const v = t.base === 'string' ? raw : collapse(raw);
  if ((t.base === 'integer' && !INTEGER.test(v)) || (t.base === 'date' && !isXsdDate(v)) || (t.base === 'time' && !isXsdTime(v))) {
    return [`'${v}' is not a valid value of the ${t.name ? `atomic type '${t.name}'` : 'local atomic type'}.`];
  }
  // the usual case first: a valid value, found without building anything
  if (!t.lengths && !t.ranges && !t.patterns && (!t.codes || t.codes.has(v))) return null;
  if (quickValid(t, v)) {
    if (!t.remember) return null;
    if (t.ok.size >= 512) {
      t.ok.clear();
      t.remember = t.hits >= 512;
      t.hits = 0;
    }
    if (t.remember) t.ok.add(raw);
    return null;
  }
  return problems(t, v);
}

/**
 * The problems of a value that is not valid, every failing facet in libxml2's order. A function of its own: its
 * closures would make checkValue allocate their context at every call, also for the valid values.
 */
function problems(t: CompiledType, v: string): string[] | null {
  let out: string[] | null = null;
  const fail = (m: string) => {
    (out ??= []).push(m);
  };
  // lengths and ranges of every level first, then the code list, then the patterns (libxml2's order)
  for (const s of t.levels) {
    if (s.minLength !== undefined || s.maxLength !== undefined) {
      const n = length(v);
      if (s.minLength !== undefined && n < s.minLength)
        fail(`[facet 'minLength'] The value has a length of '${n}'; this underruns the allowed minimum length of '${s.minLength}'.`);
      if (s.maxLength !== undefined && n > s.maxLength)
        fail(`[facet 'maxLength'] The value has a length of '${n}'; this exceeds the allowed maximum length of '${s.maxLength}'.`);
    }
    if (s.minInclusive !== undefined || s.maxInclusive !== undefined) {
      const n = Number(v);
      if (s.minInclusive !== undefined && n < s.minInclusive)
        fail(`[facet 'minInclusive'] The value '${v}' is less than the minimum value allowed ('${s.minInclusive}').`);
      if (s.maxInclusive !== undefined && n > s.maxInclusive)
        fail(`[facet 'maxInclusive'] The value '${v}' is greater than the maximum value allowed ('${s.maxInclusive}').`);
    }
  }
  for (let i = t.levels.length - 1; i >= 0; i--) {
    const s = t.levels[i];
    if (!s.values) continue;
    if (!s.values.has(v)) fail(`[facet 'enumeration'] The value '${v}' is not an element of the set {${[...s.values].map((x) => `'${x}'`).join(', ')}}.`);
    break; // the nearest code list decides
  }
  for (const s of t.levels) {
    if (!s.patterns) continue;
    // a value matching any of one level's patterns passes that level
    if (!s.patterns.some((p) => p.re.test(v)))
      fail(`[facet 'pattern'] The value '${v}' is not accepted by the pattern '${s.patterns.map((p) => p.xsd).join('|')}'.`);
  }
  return out;
}

/** Whether a value passes every facet (no words made). */
function quickValid(t: CompiledType, v: string): boolean {
  if (t.codes && !t.codes.has(v)) return false;
  // indexed loops, no closures: this runs for nearly every value, and before V8 has optimised it a for-of loop or a
  // callback makes objects at every step
  const levels = t.levels;
  for (let l = 0; l < levels.length; l++) {
    const s = levels[l];
    if (s.minLength !== undefined || s.maxLength !== undefined) {
      const n = length(v);
      if ((s.minLength !== undefined && n < s.minLength) || (s.maxLength !== undefined && n > s.maxLength)) return false;
    }
    if (s.minInclusive !== undefined || s.maxInclusive !== undefined) {
      const n = Number(v);
      if ((s.minInclusive !== undefined && n < s.minInclusive) || (s.maxInclusive !== undefined && n > s.maxInclusive)) return false;
    }
    if (s.patterns && !anyPattern(s.patterns, v)) return false;
  }
  return true;
}

function anyPattern(patterns: readonly { re: RegExp }[], v: string): boolean {
  for (let i = 0; i < patterns.length; i++) if (patterns[i].re.test(v)) return true;
  return false;
}

/** Where a complex element is in its sequence: the index of the child last matched, -1 before the first. */
export interface SequenceState {
  pos: number;
}

/**
 * The next child of a complex element against its xs:sequence (children in order; opt = minOccurs 0, many = maxOccurs
 * unbounded). `index` is the child's place in the sequence, -1 for an element the type does not have. Returns null
 * when it may come here, else libxml2's words for why not.
 */
export function advance(children: readonly ElementSpec[], state: SequenceState, index: number): string | null {
  const p = state.pos;
  if (index >= 0) {
    if (index === p && children[index].many) return null;
    if (index > p) {
      let k = p + 1;
      while (k < index && children[k].opt) k++;
      if (k === index) {
        state.pos = index;
        return null;
      }
    }
  }
  const exp = expected(children, p);
  return exp.length === 0
    ? 'This element is not expected.'
    : `This element is not expected. Expected is ${exp.length > 1 ? 'one of ' : ''}( ${exp.join(', ')} ).`;
}

/** At the end of a complex element: libxml2's words for the required children still missing, or null. */
export function missing(children: readonly ElementSpec[], state: SequenceState): string | null {
  let required = false;
  for (let k = state.pos + 1; k < children.length; k++)
    if (!children[k].opt) {
      required = true;
      break;
    }
  if (!required) return null;
  const exp = expected(children, state.pos);
  return `Missing child element(s). Expected is ${exp.length > 1 ? 'one of ' : ''}( ${exp.join(', ')} ).`;
}

/** The children that may come after position p: p itself when it repeats, then up to the first required one. */
function expected(children: readonly ElementSpec[], p: number): string[] {
  const out: string[] = [];
  if (p >= 0 && children[p].many) out.push(children[p].n);
  for (let k = p + 1; k < children.length; k++) {
    out.push(children[k].n);
    if (!children[k].opt) break;
  }
  return out;
}

/** A finding in Dutch from libxml2-style words about an element (and an attribute). */
export function finding(line: number, location: string, element: string, words: string, attribute?: string): XsdFinding {
  return { line, location, message: xsdMessageNl(`Element '${element}'${attribute ? `, attribute '${attribute}'` : ''}: ${words}`) };
}
