// Shared route pieces: the :regionId parameter and the data scope it resolves to.
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { dataScope, type DataScope } from '../access/roles.ts';
import { unauthorized } from '../core/errors.ts';

export const RegionParams = z.object({ regionId: z.string().regex(/^[a-z0-9-]{2,64}$/, 'regio-id: kleine letters, cijfers en streepjes') });

export function scopeFor(req: FastifyRequest, regionId: string): DataScope {
  if (!req.account) throw unauthorized();
  return dataScope(req.account, regionId);
}

/** CSV for spreadsheets set to Dutch: semicolons, decimal comma, UTF-8 with BOM. */
export function toCsv(headers: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    const s = String(v);
    return /[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [headers, ...rows].map((r) => r.map(cell).join(';')).join('\r\n') + '\r\n';
}
export { centsToPlainEuro as centsToCsvEuro } from '../core/money.ts';
