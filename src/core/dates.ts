// Care is counted in calendar days: dates are Temporal.PlainDate, stored as 'YYYY-MM-DD'.
// The Temporal polyfill is loaded on first use, not when this module is imported: evaluating it cost every command
// (`regiekamer --help`, `ijw validate`, which only need `today`) about 5% of its CPU time. require() of the ES module
// is synchronous (Node 20.19+, hence `engines` in package.json), so the functions below keep their synchronous
// signatures.
import { createRequire } from 'node:module';
import type { Temporal } from 'temporal-polyfill';

export type IsoDate = string; // 'YYYY-MM-DD'

let temporal: typeof Temporal | undefined;
/** The Temporal namespace, loaded on first call. */
export function loadTemporal(): typeof Temporal {
  return (temporal ??= (createRequire(import.meta.url)('temporal-polyfill') as { Temporal: typeof Temporal }).Temporal);
}

/** Temporal.PlainDate, loaded on first use (a stand-in that forwards to the class). */
export const PlainDate = new Proxy(function PlainDate() {} as unknown as typeof Temporal.PlainDate, {
  get: (_, key) => Reflect.get(loadTemporal().PlainDate, key),
  has: (_, key) => Reflect.has(loadTemporal().PlainDate, key),
  construct: (_, args) => Reflect.construct(loadTemporal().PlainDate, args),
  getPrototypeOf: () => Reflect.getPrototypeOf(loadTemporal().PlainDate),
});

export function parseDate(s: string, field = 'datum'): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new RangeError(`${field}: '${s}' is geen datum (JJJJ-MM-DD)`);
  return loadTemporal().PlainDate.from(s, { overflow: 'reject' });
}

export const monthStart = (year: number, month: number) => loadTemporal().PlainDate.from({ year, month, day: 1 });
export const monthEnd = (year: number, month: number) => monthStart(year, month).add({ months: 1 }).subtract({ days: 1 });
export const daysInMonth = (year: number, month: number) => monthStart(year, month).daysInMonth;
export const yearRange = (year: number) => ({ from: `${year}-01-01`, to: `${year + 1}-01-01` }); // to is exclusive

// --- now and today ---------------------------------------------------------------------------------------------
// One clock for the whole product, and one "today": the calendar date in the Netherlands. (It was computed three
// ways, once in UTC, so that between midnight and 01:00/02:00 Dutch time the JW325 date and the future-date rule
// took yesterday.) Tests set the clock with setClock.

export const TIME_ZONE = 'Europe/Amsterdam';

let clock: () => Date = () => new Date();

/** Replaces the clock (tests); returns a function that restores the previous one. */
export function setClock(next: () => Date): () => void {
  const previous = clock;
  clock = next;
  return () => {
    clock = previous;
  };
}

/** The current moment, from the clock. */
export const now = (): Date => clock();

// Dutch time is the EU's rule (since 1996): UTC+1, and UTC+2 from 01:00 UTC on the last Sunday of March to 01:00 UTC
// on the last Sunday of October. Computed here rather than with Intl.DateTimeFormat and the time zone database:
// creating that formatter took 20–30 ms of every command's start (`ijw validate` on a one-line file spent a tenth
// of its time on it). Outside 1996–2099, or should the rule change, Intl answers (a test compares the two).
let dutchDay: Intl.DateTimeFormat | undefined;
const lastSundayOneUtc = (year: number, month: number): number => {
  const last = new Date(Date.UTC(year, month + 1, 0)); // the month's last day
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
};

/** The calendar date in the Netherlands at `at` (default: now), as 'YYYY-MM-DD'. */
export const today = (at: Date = clock()): IsoDate => {
  const ms = at.getTime();
  const year = at.getUTCFullYear();
  if (year >= 1996 && year <= 2099) {
    const summer = ms >= lastSundayOneUtc(year, 2) && ms < lastSundayOneUtc(year, 9);
    return new Date(ms + (summer ? 2 : 1) * 3_600_000).toISOString().slice(0, 10);
  }
  return todayByIntl(at);
};

/** The same from the time zone database (Intl): the reference for `today`. */
export const todayByIntl = (at: Date): IsoDate =>
  (dutchDay ??= new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })).format(at);

/** The current year in the Netherlands. */
export const currentYear = (): number => Number(today().slice(0, 4));
