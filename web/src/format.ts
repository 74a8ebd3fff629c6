// Dutch number formats. Amounts arrive in integer cents; they are only turned into euros for display.
const euro = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR', minimumFractionDigits: 0, maximumFractionDigits: 0 });
const euroCents = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' });
const count = new Intl.NumberFormat('nl-NL');
const millions = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatEuro = (cents: number) => euro.format(Math.round(cents / 100));
export const formatEuroCents = (cents: number) => euroCents.format(cents / 100);
export const formatCount = (n: number) => count.format(n);
export const formatMillions = (cents: number) => `€ ${millions.format(cents / 100 / 1_000_000)} mln`;
export const formatDate = (iso: string) => new Date(`${iso}T00:00:00`).toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric' });

// iJW code lists shown by name (WJ756 Eenheid, WJ757 Frequentie, WJ 1: geslacht): a screen never shows the raw code.
const UNIT_NAMES: Record<string, [string, string]> = {
  '01': ['minuut', 'minuten'],
  '04': ['uur', 'uur'],
  '14': ['etmaal', 'etmalen'],
  '16': ['dagdeel', 'dagdelen'],
  '82': ['stuk', 'stuks'],
  '83': ['euro', 'euro'],
  '84': ['stuk', 'stuks'],
};
/** The name of an iJW unit (Eenheid) for a volume: "28 etmalen", "1 etmaal"; an unknown code is kept. */
export const unitName = (code: string | null | undefined, volume = 2) => {
  const u = UNIT_NAMES[String(code ?? '').trim()];
  return u ? u[volume === 1 ? 0 : 1] : String(code ?? '');
};
/** A volume with its unit in words: "28 etmalen". */
export const formatVolume = (volume: number | null | undefined, unit: string | null | undefined) =>
  volume === null || volume === undefined ? '—' : `${count.format(volume)} ${unitName(unit, volume)}`;
const FREQUENCY: Record<string, string> = {
  '1': 'per dag',
  '2': 'per week',
  '4': 'per maand',
  '5': 'per jaar',
  '6': 'totaal binnen geldigheidsduur toewijzing',
  '7': 'eenmalig',
};
export const frequencyName = (code: string | null | undefined) => FREQUENCY[String(code ?? '').trim()] ?? String(code ?? '');
const GENDER: Record<string, string> = {
  '0': 'onbekend',
  '1': 'man',
  '2': 'vrouw',
  '9': 'niet gespecificeerd',
  M: 'man',
  V: 'vrouw',
  X: 'anders',
  O: 'onbekend',
};
export const genderName = (code: string | null | undefined) => GENDER[String(code ?? '').trim()] ?? String(code ?? '');
/** One date format everywhere: "5 december 2026"; with the time "5 december 2026 14:05". */
export const formatDateTime = (iso: string) => {
  const d = new Date(iso);
  return `${d.toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' })} ${d.toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' })}`;
};
/** A decimal number with a comma and the given digits: 1,061292. */
export const formatDecimal = (n: number, digits?: number) =>
  new Intl.NumberFormat('nl-NL', digits === undefined ? { maximumFractionDigits: 6 } : { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    n,
  );
/** A month 'YYYY-MM' (or a date in it) as "maart 2026". */
export const formatMonth = (iso: string) => new Date(`${iso.slice(0, 7)}-01T00:00:00`).toLocaleDateString('nl-NL', { month: 'long', year: 'numeric' });
