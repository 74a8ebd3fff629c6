// The official stylesheet's small tests (standards/ijw-3.2/xslt/alle_regels_JW_3.2.xsl: testvalue, checkafter,
// adjustDate, …) in TypeScript, so that each rule in bericht.ts reads as its template and judges as it does.
// Values are what the reader yields: a string or number for a simple element, an object for a complex one,
// undefined when the element is absent.

/** normalize-space(text()) of an element: '' when absent, for complex elements and for empty ones. */
export function txt(v: unknown): string {
  if (v === undefined || v === null || typeof v === 'object') return '';
  if (typeof v === 'number') return String(v);
  const s = String(v);
  return HAS_SPACE.test(s) ? s.trim().replace(/\s+/g, ' ') : s; // nearly every value has no space at all: no copy
}
const HAS_SPACE = /\s/;

/** The element is present (the stylesheet's '#'). */
export const has = (v: unknown): boolean => v !== undefined && v !== null;

/** The stylesheet's value patterns: 1 = 1-9, 0 = 0-9, A = A-Z, a = a-z, Z/z = a letter, . = any, \x = x. */
function patternMatch(text: string, pattern: string): boolean {
  let i = 0,
    j = 0;
  for (; i < text.length && j < pattern.length; i++, j++) {
    const c = text[i],
      p = pattern[j];
    if (p === '.') continue;
    if (p === '\\' && j + 1 < pattern.length) {
      j++;
      if (c !== pattern[j]) return false;
      continue;
    }
    const set =
      p === '1'
        ? '123456789'
        : p === '0'
          ? '0123456789'
          : p === 'a'
            ? 'abcdefghijklmnopqrstuvwxyz'
            : p === 'A'
              ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
              : p === 'z' || p === 'Z'
                ? 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
                : null;
    if (set ? !set.includes(c) : c !== p) return false;
  }
  return i === text.length && j === pattern.length;
}

/**
 * The stylesheet's `testvalue`: '' = absent or empty; '*' = filled; '#' = present; '#PATTERN' = matches the
 * pattern; '!X' = not X; 'a,b,c' = one of these values.
 */
export function tv(v: unknown, spec: string): boolean {
  return test(v, parsedSpec(spec));
}

/** A `testvalue` spec read once: the rules call tv for every line with a handful of constant specs. */
type Spec =
  | { kind: 'empty' | 'filled' | 'present' }
  | { kind: 'pattern'; pattern: string }
  | { kind: 'not'; inner: Spec }
  | { kind: 'oneOf'; values: readonly string[] };
const specs = new Map<string, Spec>();
function parsedSpec(spec: string): Spec {
  let p = specs.get(spec);
  if (p) return p;
  const s = spec.trim();
  if (s === '') p = { kind: 'empty' };
  else if (s === '*') p = { kind: 'filled' };
  else if (s === '#') p = { kind: 'present' };
  else if (s.length > 1 && s[0] === '#') p = { kind: 'pattern', pattern: s.slice(1) };
  else if (s.length > 1 && s[0] === '!') p = { kind: 'not', inner: parsedSpec(s.slice(1)) };
  else p = { kind: 'oneOf', values: s.split(',').map((x) => x.trim()) };
  if (specs.size < 1000) specs.set(spec, p); // the specs are constants of the rules; the bound is only a guard
  return p;
}
function test(v: unknown, p: Spec): boolean {
  switch (p.kind) {
    case 'empty':
      return !has(v) || txt(v) === '';
    case 'filled':
      return txt(v) !== '';
    case 'present':
      return has(v);
    case 'pattern':
      return patternMatch(v === undefined || v === null || typeof v === 'object' ? '' : String(v), p.pattern);
    case 'not':
      return !test(v, p.inner);
    case 'oneOf': {
      const t = txt(v);
      const values = p.values;
      for (let i = 0; i < values.length; i++) if (values[i] === t) return true;
      return false;
    }
  }
}

/** A date as the stylesheet compares it: translate(., '-', '') as a number (NaN when absent or no date). */
export const dnum = (v: unknown): number => {
  if (typeof v !== 'string' || v === '') return NaN;
  // the usual 'YYYY-MM-DD…' by arithmetic (this runs for every date of every line); anything else as the stylesheet does
  if (v.length >= 10 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45) {
    let n = 0;
    for (let k = 0; k < DIGITS.length; k++) {
      const c = v.charCodeAt(DIGITS[k]) - 48;
      if (c < 0 || c > 9) return Number(v.slice(0, 10).replace(/-/g, ''));
      n = n * 10 + c;
    }
    return n;
  }
  return Number(v.slice(0, 10).replace(/-/g, ''));
};
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

/** `checkafter`: a finding when either date is absent or `other` is later than `self`. */
export const after = (self: unknown, other: unknown): boolean => !has(self) || !has(other) || dnum(other) > dnum(self);
/** `checkafterstrict`: a finding when either is absent or `other` is on or after `self`. */
export const afterStrict = (self: unknown, other: unknown): boolean => !has(self) || !has(other) || dnum(other) >= dnum(self);

/** `adjustDate` on a yyyymmdd number: days past the end of a month carry into the next (carry) or are cut (truncate). */
export function adjustDate(d: number, overflow: 'carry' | 'truncate' = 'carry'): number {
  if (!Number.isFinite(d)) return NaN;
  for (;;) {
    const day = d % 100,
      month = Math.floor(d / 100) % 100,
      year = Math.floor(d / 10000) % 10000;
    let v3 = d;
    const max = [4, 6, 9, 11].includes(month) ? 30 : [1, 3, 5, 7, 8, 10, 12].includes(month) ? 31 : month === 2 ? (year % 4 === 0 ? 29 : 28) : Infinity;
    if (day > max) v3 = overflow === 'carry' ? d - max + 100 : d - day + max;
    const v4 = Math.floor(v3 / 100) % 100 > 12 ? v3 - 1200 + 10000 : v3;
    if (v4 === d) return d;
    d = v4;
  }
}

/** `addDate`: days added to a date (yyyymmdd arithmetic, then adjusted). */
export const addDays = (date: string, days: number): number => adjustDate(dnum(date) + days);

/** `addMonths` on a date. */
export function addMonths(date: string | number, months: number, overflow: 'carry' | 'truncate' = 'carry'): number {
  let d = typeof date === 'number' ? date : dnum(date);
  while (months < 0) {
    d -= 10000;
    months += 12;
  }
  while (months > 12) {
    d += 10000;
    months -= 12;
  }
  return adjustDate(d + 100 * months, overflow);
}

/**
 * `isPeriodOverlay` of two (start, end) pairs: overlapping unless one ends before the other starts; an open end
 * overlaps everything from the other's start on.
 */
export function periodOverlap(s0: unknown, e0: unknown, s1: unknown, e1: unknown): boolean {
  const v0 = dnum(s0),
    v1 = dnum(e0),
    v2 = dnum(s1),
    v3 = dnum(e1);
  if (has(e0) && has(e1)) return !(v1 < v2 || v3 < v0);
  if (has(e0)) return v1 >= v2;
  if (has(e1)) return v3 >= v0;
  return true;
}

/** Element paths of those that are present (a stylesheet node-set union, as locations). */
export function present(...pairs: [unknown, string][]): string[] {
  const out: string[] = [];
  for (const [v, p] of pairs) if (has(v)) out.push(p);
  return out;
}

/** The product match of TR302/TR386/TR410: same code and category, or same category where a code is missing, or no product data. */
export function sameProduct(a: { Code?: unknown; Categorie?: unknown } | undefined, b: { Code?: unknown; Categorie?: unknown } | undefined): boolean {
  const ac = has(a?.Code),
    bc = has(b?.Code),
    ak = has(a?.Categorie),
    bk = has(b?.Categorie);
  const cat = ak && bk && txt(a!.Categorie) === txt(b!.Categorie);
  if (ac && bc && txt(a!.Code) === txt(b!.Code) && cat) return true;
  if ((!ac || !bc) && cat) return true;
  return (!ac && !ak) || (!bc && !bk);
}

/** Visits every element below `obj` (depth first) with its XPath; lists are elements with positions. */
export function visit(obj: any, base: string, fn: (name: string, value: any, path: string, parent: any) => void): void {
  for (const k in obj) {
    const v = obj[k];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const p = `${base}/${k}[${i + 1}]`;
        fn(k, v[i], p, obj);
        if (v[i] && typeof v[i] === 'object') visit(v[i], p, fn);
      }
    } else if (v !== undefined) {
      const p = `${base}/${k}`;
      fn(k, v, p, obj);
      if (v && typeof v === 'object') visit(v, p, fn);
    }
  }
}
