// Money is integer euro cents everywhere. Never a float summed.
export type Cents = number;

export function assertCents(v: number, what = 'bedrag'): Cents {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} is geen geheel aantal centen: ${v}`);
  return v;
}

/** 1234567 → "€ 12.345,67" (Dutch notation). */
export function formatEuro(cents: Cents): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const rest = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}€ ${euros},${rest}`;
}

/**
 * A euro amount as people type it into a form or a spreadsheet → cents: "1.234.567,89", "1234,5", "1234.56",
 * "-12500", "€ 1 234,50". Null when it is no amount, has more than two decimals, or is beyond exact integers.
 * The one parser for every import and form (server and web).
 */
export function parseEuroCents(text: string): Cents | null {
  const t = text.replace(/\s|€/g, '');
  const neg = t.startsWith('-');
  const n = (neg ? t.slice(1) : t).replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(n)) return null;
  const [euros, cents = ''] = n.split('.');
  const v = Number(euros) * 100 + Number(cents.padEnd(2, '0'));
  if (!Number.isSafeInteger(v)) return null;
  return neg ? -v : v;
}

/** 123456 → "1234,56": for CSV cells and form fields (no currency sign, no thousands separator, decimal comma). */
export const centsToPlainEuro = (cents: Cents): string =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/** Whole euros (as published) to cents. */
export const euroToCents = (euro: number): Cents => assertCents(Math.round(euro * 100));

/** Split `total` cents over `weights` so the parts add up exactly (largest remainder). */
export function allocateCents(total: Cents, weights: number[]): Cents[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new RangeError('gewichten tellen op tot nul');
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k][1]]++;
  return parts;
}
