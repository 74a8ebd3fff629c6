// Request schemas shared by every route: one calendar date, one id, one amount. A value outside them is a 400 that
// names the field (problem.ts), never a 500 from the database.
import { z } from 'zod';

/** A calendar date 'YYYY-MM-DD' that exists (2026-02-30 and 2026-11-31 do not). */
export const IsoDate = z.iso.date('datum als JJJJ-MM-DD, een bestaande kalenderdag');

/** A database id: a positive 32-bit integer. */
export const Id = z.number().int('een geheel getal').min(1, 'een id is 1 of groter').max(2_147_483_647, 'een id is hoogstens 2147483647');
/** The same from a query string or path. */
export const IdParam = z.coerce.number().int('een geheel getal').min(1, 'een id is 1 of groter').max(2_147_483_647, 'een id is hoogstens 2147483647');

/** Euro cents: whole cents, within what the ledger holds (below 10^15 cents, ten trillion euros). */
export const Cents = z.number().int('bedrag in hele centen').min(-1e15).max(1e15);

// Control characters (NUL, BEL, ESC …) have no place in any text a user sends; PostgreSQL refuses NUL in text, so
// without this check they ended as a 500. Tabs and line breaks are allowed in bodies (notes), not in a URL.
const CONTROL_IN_URL = /[\u0000-\u001f\u007f]/;
export const CONTROL_IN_BODY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The first field of `value` (query, params or a JSON body) holding a control character, as a dotted path; else null. */
export function controlCharField(value: unknown, where: string, inUrl: boolean, depth = 0): string | null {
  const re = inUrl ? CONTROL_IN_URL : CONTROL_IN_BODY;
  if (typeof value === 'string') return re.test(value) ? where : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    if (re.test(k)) return `${where}.${k.replace(re, '?')}`;
    const hit = controlCharField(v, Array.isArray(value) ? `${where}[${k}]` : `${where}.${k}`, inUrl, depth + 1);
    if (hit) return hit;
  }
  return null;
}
