// Care is counted in calendar days: dates are Temporal.PlainDate, stored as 'YYYY-MM-DD'.
import { Temporal } from 'temporal-polyfill';

export type IsoDate = string; // 'YYYY-MM-DD'
export const PlainDate = Temporal.PlainDate;

export function parseDate(s: string, field = 'datum'): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new RangeError(`${field}: '${s}' is geen datum (JJJJ-MM-DD)`);
  return Temporal.PlainDate.from(s, { overflow: 'reject' });
}

export const monthStart = (year: number, month: number) => Temporal.PlainDate.from({ year, month, day: 1 });
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
  return () => { clock = previous; };
}

/** The current moment, from the clock. */
export const now = (): Date => clock();

const dutchDay = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in the Netherlands at `at` (default: now), as 'YYYY-MM-DD'. */
export const today = (at: Date = clock()): IsoDate => dutchDay.format(at);

/** The current year in the Netherlands. */
export const currentYear = (): number => Number(today().slice(0, 4));
