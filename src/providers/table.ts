// Reading a spreadsheet a region already has (CSV or XLSX) into a header and rows of text, with clear errors for a
// wrong encoding or separator. Plain functions; exceljs for XLSX.
import { AppError } from '../core/errors.ts';
import { csvRecords } from '../core/csv.ts';
import { pauses } from '../core/work.ts';

export interface Table {
  headers: string[];
  rows: { line: number; cells: string[] }[];
}

const fileError = (detail: string, field = 'content', line?: number) =>
  new AppError(422, 'Bestand niet leesbaar', detail, field, 'bestand', [{ field, detail, ...(line ? { line } : {}) }]);

/**
 * CSV text: UTF-8 (with or without BOM), separator ';', ',' or tab, quotes as RFC 4180. Record by record, yielding to
 * the event loop every 20 ms (issue 14: a 20,000-line list read in one piece held the server for about 100 ms).
 */
export async function readCsv(input: string): Promise<Table> {
  const text = input.replace(/^\uFEFF/, '');
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    const line = (text.slice(0, bad).match(/\n/g)?.length ?? 0) + 1;
    throw fileError(
      `Regel ${line}: het bestand is niet als UTF-8 opgeslagen (onleesbare tekens zoals in '${text.slice(Math.max(0, bad - 12), bad + 12).replace(/\s+/g, ' ')}'). Sla het in Excel op als 'CSV UTF-8 (door lijstscheidingstekens gescheiden)'.`,
      'content',
      line,
    );
  }
  if (/[\u00C3\u00C2][\u0080-\u00BF]/.test(text.slice(0, 20_000))) {
    throw fileError("Het bestand is twee keer als UTF-8 omgezet (tekens als 'Ã©' in plaats van 'é'): sla het opnieuw op als CSV UTF-8.");
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.trim()) throw fileError('Het bestand is leeg of de eerste regel (kopregel) is leeg', 'content', 1);
  const counts = { ';': firstLine.split(';').length - 1, ',': firstLine.split(',').length - 1, '\t': firstLine.split('\t').length - 1 };
  const delimiter = (Object.entries(counts).sort((a, b) => b[1] - a[1])[0][1] > 0 ? Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0] : ';') as string;
  const records = csvRecords(text, delimiter);
  const headers = ((records.next().value as string[] | undefined) ?? []).map((h) => h.trim());
  if (headers.length < 2) {
    const seen = /[|:]/.exec(firstLine)?.[0];
    throw fileError(
      `De kopregel heeft maar één kolom: het scheidingsteken is niet herkend${seen ? ` (gevonden: '${seen}')` : ''}. Gebruik puntkomma, komma of tab tussen de kolommen.`,
      'content',
      1,
    );
  }
  const rows: Table['rows'] = [];
  const pause = pauses();
  let i = 0;
  for (const cells of records) {
    i++;
    if ((i & 63) === 0) await pause();
    if (cells.every((c) => !c.trim())) continue;
    if (cells.length > headers.length && cells.slice(headers.length).some((c) => c.trim())) {
      throw fileError(
        `Regel ${i + 1} heeft ${cells.length} kolommen, de kopregel ${headers.length}: controleer het scheidingsteken ('${delimiter === '\t' ? 'tab' : delimiter}') en aanhalingstekens`,
        'content',
        i + 1,
      );
    }
    rows.push({ line: i + 1, cells: cells.map((c) => c.trim()) });
  }
  return { headers, rows };
}

/** The first worksheet of an XLSX file (base64), cells as shown text. */
export async function readXlsx(base64: string): Promise<Table> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  } catch {
    throw fileError('Het bestand is geen leesbaar Excel-bestand (.xlsx); een oud .xls-bestand: sla het op als .xlsx of CSV UTF-8');
  }
  const ws = wb.worksheets[0];
  if (!ws || ws.rowCount < 1) throw fileError('Het Excel-bestand heeft geen werkblad met gegevens');
  const text = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if (typeof v === 'object') {
      const o = v as { text?: string; result?: unknown; richText?: { text: string }[] };
      if (o.richText) return o.richText.map((r) => r.text).join('');
      if (o.text !== undefined) return String(o.text);
      if (o.result !== undefined) return text(o.result);
      return '';
    }
    return String(v);
  };
  const all: { line: number; cells: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(text(row.getCell(c).value).trim());
    all.push({ line: n, cells });
  });
  if (!all.length) throw fileError('Het Excel-bestand is leeg');
  const [head, ...rows] = all;
  const width = head.cells.reduce((w, c, i) => (c ? i + 1 : w), 0);
  return {
    headers: head.cells.slice(0, width),
    rows: rows.filter((r) => r.cells.some((c) => c)).map((r) => ({ line: r.line, cells: r.cells.slice(0, Math.max(width, 1)) })),
  };
}
