// Small helpers to visit repeating parts of a message with their XPath, so each rule reads as the standard does.

// The XPaths of the last list visited: every rule walks the same Prestaties of a Client in turn, so the paths
// are built once per list instead of once per rule (a measurable share of the time on 100,000 lines).
let lastList: readonly unknown[] | undefined;
let lastBase = '';
let lastName = '';
let lastPaths: string[] = [];

/** The XPaths of the items of `list`: base/name[1], base/name[2], … (shared: do not change the array). */
function pathsOf(list: readonly unknown[], base: string, name: string): readonly string[] {
  if (list !== lastList || base !== lastBase || name !== lastName || lastPaths.length !== list.length) {
    lastPaths = new Array(list.length);
    for (let i = 0; i < list.length; i++) lastPaths[i] = `${base}/${name}[${i + 1}]`;
    lastList = list;
    lastBase = base;
    lastName = name;
  }
  return lastPaths;
}

/** Visit `list` (a repeating element) with the XPath of every item: base/name[1], base/name[2], … */
export function each<T>(list: readonly T[] | undefined, base: string, name: string, fn: (item: T, path: string, index: number) => void): void {
  if (!list) return;
  const paths = pathsOf(list, base, name);
  for (let i = 0; i < list.length; i++) fn(list[i], paths[i], i);
}

// The `…/Prestaties` path of the last Client: a dozen rules walk the lines of every Client, and each made this path
// anew (a string, and a second, flat one when `each` compared it with the last), 120,000 strings on 10,000 lines.
let lastAt: { path: string } | undefined;
let lastAtPath = '';
let lastLinesBase = '';

/**
 * `each` over a Client's lines (Prestaties/Prestatie), with the same XPaths: `${at.path}/Prestaties/Prestatie[n]`.
 * The rules hand it a function made once per rule (in `start`), not an arrow function per Client: one closure per rule
 * per Client was a fifth of what a validate allocated (BENCHMARKS.md, ninth session).
 */
export function eachLine<T>(c: { Prestaties?: { Prestatie?: readonly T[] } }, at: { path: string }, fn: (item: T, path: string, index: number) => void): void {
  const list = c.Prestaties?.Prestatie;
  if (!list) return;
  const paths = linePaths(list, at);
  for (let i = 0; i < list.length; i++) fn(list[i], paths[i], i);
}

/** The XPaths of a Client's lines `list` (as eachLine gives them), for a loop of its own. */
export function linePaths(list: readonly unknown[], at: { path: string }): readonly string[] {
  if (at !== lastAt || at.path !== lastAtPath) {
    lastAt = at;
    lastAtPath = at.path;
    lastLinesBase = `${at.path}/Prestaties`;
  }
  return pathsOf(list, lastLinesBase, 'Prestatie');
}

/** A value is present: filled in the message (not absent, not empty text). */
export const filled = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** An integer value the reader could read (NaN when the text was no integer: that is the XSD's finding). */
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Amount with its sign: debit +, credit −. */
export const signed = (amount: number, dc: string | undefined) => (dc === 'C' ? -amount : amount);

/** Rounding half up on whole cents: (numerator / denominator) rounded, for positive integers. */
export const divRoundHalfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den));

// made on first use: creating the formatter (ICU) took 20 ms of every `ijw validate`, also of valid files
let euro: Intl.NumberFormat | undefined;
/** Cents as euros for messages: 123456 → "€ 1.234,56". */
export const eur = (cents: number) => (euro ??= new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' })).format(cents / 100);
