// Calendar days as plain integers (days since 1970-01-01) for the generator's hot loop: the same
// proleptic Gregorian calendar as Temporal.PlainDate, without an object per date. Years 1000–9999 only
// (Date.UTC maps years 0–99 to 1900–1999; demo years are around 2020).
const DAY_MS = 86_400_000;

/** The day number of year-month-day; month and day may overflow or underflow (month 13 → January of
 *  the next year, day 0 → the last day of the previous month), as with Date.UTC. */
export const dayOf = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / DAY_MS;

/** The last day of a month (overflowing months allowed, see dayOf). */
export const lastDayOfMonth = (year: number, month: number): number => dayOf(year, month + 1, 0);

const isoCache = new Map<number, string>();
/** 'YYYY-MM-DD' of a day number (cached: the generator uses a few thousand distinct days). */
export function isoDay(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}

/** 'YYYY-MM-DD' from the parts of a valid date. */
export const isoDate = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
