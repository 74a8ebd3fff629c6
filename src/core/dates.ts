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
