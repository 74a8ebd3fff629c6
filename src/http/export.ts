// Every table a user sees can be taken away as CSV (Dutch spreadsheet settings) and XLSX, from the same
// query as the screen. `tableExports` registers both routes for one table.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { RouteAccess } from '../access/roles.ts';
import { RegionParams, toCsv } from './region.ts';

export type ColumnKind = 'text' | 'euro' | 'count' | 'pct';
export interface ExportColumn {
  header: string;
  kind?: ColumnKind;
}
/** Cells as they come from the query: euro in cents, pct as a fraction 0–1. */
export type Cell = string | number | null;
export interface ExportTable {
  filename: string;
  sheet: string;
  columns: ExportColumn[];
  rows: Cell[][];
}

const csvCell = (v: Cell, kind: ColumnKind = 'text'): Cell => {
  if (v === null || typeof v === 'string') return v;
  if (kind === 'euro') return (v / 100).toFixed(2).replace('.', ',');
  if (kind === 'pct') return (v * 100).toFixed(2).replace('.', ',');
  return v;
};

export function tableToCsv(t: ExportTable): string {
  return toCsv(
    t.columns.map((c) => (c.kind === 'euro' ? `${c.header} (EUR)` : c.kind === 'pct' ? `${c.header} (%)` : c.header)),
    t.rows.map((r) => r.map((v, i) => csvCell(v, t.columns[i].kind))),
  );
}

export async function tableToXlsx(t: ExportTable): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Regiekamer Jeugd';
  const ws = wb.addWorksheet(t.sheet.slice(0, 31).replace(/[\\/?*[\]:]/g, '-'));
  ws.columns = t.columns.map((c) => ({
    header: c.header,
    width: Math.max(12, Math.min(40, c.header.length + 4)),
    style: c.kind === 'euro' ? { numFmt: '€ #,##0.00' } : c.kind === 'pct' ? { numFmt: '0.0%' } : c.kind === 'count' ? { numFmt: '#,##0' } : {},
  }));
  for (const r of t.rows) ws.addRow(r.map((v, i) => (t.columns[i].kind === 'euro' && typeof v === 'number' ? v / 100 : v)));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Registers GET `${path}.csv` and `${path}.xlsx`, both built by `build` (which also applies the data scope). */
export function tableExports<Q extends z.ZodTypeAny>(
  app0: FastifyInstance,
  path: string,
  opts: {
    summary: string;
    access: NonNullable<RouteAccess>;
    querystring: Q;
    tags?: string[];
    build: (req: FastifyRequest<{ Params: z.infer<typeof RegionParams>; Querystring: z.infer<Q> }>) => Promise<ExportTable>;
  },
) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `${path}.${format}`,
      {
        config: { access: opts.access },
        schema: {
          tags: opts.tags ?? ['monitoring'],
          summary: `${opts.summary} (${format.toUpperCase()})`,
          params: RegionParams,
          querystring: opts.querystring,
        },
      },
      async (req, reply) => {
        const t = await opts.build(req as any);
        reply.header('content-disposition', `attachment; filename="${t.filename}.${format}"`);
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(tableToCsv(t));
        return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await tableToXlsx(t));
      },
    );
  }
}
