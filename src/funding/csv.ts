// Reading providers' quarterly figures from CSV (as a spreadsheet saves it: semicolons or commas, quotes, decimal
// comma for euros, BOM). Plain function: text in, rows and every row that could not be read, named by line and field.
import type { FieldError } from '../core/errors.ts';
import type { QuarterFigureInput } from './terms.ts';
import { parseEuroCents } from '../core/money.ts';
import { csvRecords, detectDelimiter } from '../core/csv.ts'; // the one CSV reader
import { pauses } from '../core/work.ts';

export const FIGURES_CSV_HEADER = 'contract;jaar;kwartaal;clienten in zorg;gestart;gestopt;uren;realisatie (euro)';
const COLUMNS = {
  contractId: ['contract', 'contractnummer', 'contract id'],
  year: ['jaar', 'year'],
  quarter: ['kwartaal', 'quarter'],
  clientsInCare: ['clienten in zorg', 'clienten', 'in zorg'],
  started: ['gestart', 'instroom'],
  stopped: ['gestopt', 'uitstroom'],
  hours: ['uren', 'dagen', 'uren of dagen'],
  realisedCents: ['realisatie (euro)', 'realisatie', 'productie (euro)', 'productie'],
} as const;
type Field = keyof typeof COLUMNS;
const LABEL: Record<Field, string> = {
  contractId: 'contract',
  year: 'jaar',
  quarter: 'kwartaal',
  clientsInCare: 'clienten in zorg',
  started: 'gestart',
  stopped: 'gestopt',
  hours: 'uren',
  realisedCents: 'realisatie (euro)',
};

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[_\-.]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export { parseEuroCents } from '../core/money.ts'; // the one parser (core/money.ts)

/**
 * Reads the file a record at a time and yields to the event loop every 20 ms, so a 1 MB upload does not hold the
 * server (issue 14: the health check during the largest upload).
 */
export async function parseFiguresCsv(input: string): Promise<{ rows: (QuarterFigureInput & { line: number })[]; errors: FieldError[] }> {
  const text = input.replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = detectDelimiter(first);
  const records = csvRecords(text, delimiter);
  const errors: FieldError[] = [];
  let head: string[] | undefined;
  let line = 0;
  // the header: the first record that is not blank (read by hand: breaking a for-of would close the generator)
  for (let n = records.next(); !n.done; n = records.next()) {
    line++;
    if (n.value.some((c) => c.trim() !== '')) {
      head = n.value;
      break;
    }
  }
  if (!head) return { rows: [], errors: [{ line: 1, field: 'bestand', detail: 'leeg bestand' }] };
  const header = head.map(norm);
  const index = {} as Record<Field, number>;
  for (const f of Object.keys(COLUMNS) as Field[]) {
    index[f] = header.findIndex((h) => (COLUMNS[f] as readonly string[]).includes(h));
    if (index[f] < 0 && f !== 'hours') errors.push({ line: 1, field: LABEL[f], detail: `kolom ontbreekt (verwacht: ${FIGURES_CSV_HEADER})` });
  }
  if (errors.length) return { rows: [], errors };
  const rows: (QuarterFigureInput & { line: number })[] = [];
  const pause = pauses();
  for (const r of records) {
    line++;
    await pause();
    if (!r.some((c) => c.trim() !== '')) continue;
    const get = (f: Field) => (index[f] >= 0 ? (r[index[f]] ?? '').trim() : '');
    const int = (f: Field, min: number, max: number, optional = false): number | null => {
      const s = get(f);
      if (s === '' && optional) return 0;
      if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
        errors.push({ line, field: LABEL[f], detail: `'${s}' is geen geheel getal van ${min} tot ${max}` });
        return null;
      }
      return Number(s);
    };
    const contractId = int('contractId', 1, 2_147_483_647),
      year = int('year', 2015, 2100),
      quarter = int('quarter', 1, 4);
    const clientsInCare = int('clientsInCare', 0, 1_000_000),
      started = int('started', 0, 1_000_000),
      stopped = int('stopped', 0, 1_000_000),
      hours = int('hours', 0, 100_000_000, true);
    const realisedCents = parseEuroCents(get('realisedCents'));
    if (realisedCents === null || realisedCents < 0 || realisedCents > 1e12)
      errors.push({ line, field: LABEL.realisedCents, detail: `'${get('realisedCents')}' is geen bedrag in euro's ≥ 0` });
    if ([contractId, year, quarter, clientsInCare, started, stopped, hours].some((v) => v === null) || realisedCents === null || realisedCents < 0) continue;
    rows.push({
      line,
      contractId: contractId!,
      year: year!,
      quarter: quarter!,
      clientsInCare: clientsInCare!,
      started: started!,
      stopped: stopped!,
      hours: hours!,
      realisedCents,
    });
  }
  const seen = new Set<string>();
  for (const r of rows) {
    const k = `${r.contractId}|${r.year}|${r.quarter}`;
    if (seen.has(k)) errors.push({ line: r.line, field: 'kwartaal', detail: 'dit kwartaal van dit contract staat al eerder in het bestand' });
    seen.add(k);
  }
  return { rows, errors };
}

// --- the cost statement of a contract on real costs (kostenverantwoording bij reële nacalculatie) -----------------
export const COST_LINES_CSV_HEADER = 'contract;jaar;categorie;bedrag (euro);subsidiabel';
const COST_COLUMNS = {
  contractId: ['contract', 'contractnummer', 'contract id'],
  year: ['jaar', 'year'],
  category: ['categorie', 'kostencategorie', 'kostensoort'],
  amountCents: ['bedrag (euro)', 'bedrag', 'kosten (euro)', 'kosten'],
  eligible: ['subsidiabel', 'subsidiabel (ja/nee)', 'vergoedbaar'],
} as const;
type CostField = keyof typeof COST_COLUMNS;
const COST_LABEL: Record<CostField, string> = {
  contractId: 'contract',
  year: 'jaar',
  category: 'categorie',
  amountCents: 'bedrag (euro)',
  eligible: 'subsidiabel',
};

/**
 * Cost lines from CSV (header first; `subsidiabel` ja/nee, empty = ja): the lines grouped per contract × year in
 * file order, or every line and field that could not be read. The store then refuses the whole file if any contract
 * is not the caller's, not on real costs, or its year's statement is closed. Read a record at a time with a yield to
 * the event loop every 20 ms, like the quarterly figures (issue 14: a 1 MB file split whole held the server).
 * Line numbers count records from the header's (1), blank records included.
 */
export async function parseCostLinesCsv(input: string): Promise<{
  groups: { contractId: number; year: number; lines: { line: number; category: string; amountCents: number; eligible: boolean }[] }[];
  errors: FieldError[];
}> {
  const text = input.replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = detectDelimiter(first);
  const records = csvRecords(text, delimiter);
  const errors: FieldError[] = [];
  let head: string[] | undefined;
  let line = 0;
  // the header: the first record that is not blank (read by hand: breaking a for-of would close the generator)
  for (let n = records.next(); !n.done; n = records.next()) {
    line++;
    if (n.value.some((c) => c.trim() !== '')) {
      head = n.value;
      break;
    }
  }
  if (!head) return { groups: [], errors: [{ line: 1, field: 'bestand', detail: 'leeg bestand' }] };
  const header = head.map(norm);
  const index = {} as Record<CostField, number>;
  for (const f of Object.keys(COST_COLUMNS) as CostField[]) {
    index[f] = header.findIndex((h) => (COST_COLUMNS[f] as readonly string[]).includes(h));
    if (index[f] < 0 && f !== 'eligible') errors.push({ line: 1, field: COST_LABEL[f], detail: `kolom ontbreekt (verwacht: ${COST_LINES_CSV_HEADER})` });
  }
  if (errors.length) return { groups: [], errors };
  const groups = new Map<string, { contractId: number; year: number; lines: { line: number; category: string; amountCents: number; eligible: boolean }[] }>();
  const pause = pauses();
  let read = 0;
  for (const r of records) {
    line++;
    await pause();
    if (!r.some((c) => c.trim() !== '')) continue;
    read++;
    const get = (f: CostField) => (index[f] >= 0 ? (r[index[f]] ?? '').trim() : '');
    const before = errors.length;
    const contract = get('contractId'),
      year = get('year'),
      category = get('category'),
      eligible = norm(get('eligible'));
    if (!/^\d{1,9}$/.test(contract) || Number(contract) < 1)
      errors.push({ line, field: COST_LABEL.contractId, detail: `'${contract}' is geen contractnummer` });
    if (!/^\d{4}$/.test(year) || Number(year) < 2015 || Number(year) > 2100) errors.push({ line, field: COST_LABEL.year, detail: `'${year}' is geen jaar` });
    if (!category || category.length > 60)
      errors.push({ line, field: COST_LABEL.category, detail: category ? 'ten hoogste 60 tekens' : 'leeg: noem de kostencategorie (bv. personeel)' });
    const amountCents = parseEuroCents(get('amountCents'));
    if (amountCents === null || amountCents < 0 || amountCents > 1e12)
      errors.push({ line, field: COST_LABEL.amountCents, detail: `'${get('amountCents')}' is geen bedrag in euro's ≥ 0 (bv. 610000,00)` });
    if (!['', 'ja', 'j', 'nee', 'n'].includes(eligible)) errors.push({ line, field: COST_LABEL.eligible, detail: `'${get('eligible')}': ja of nee` });
    if (errors.length > before) continue;
    const k = `${contract}|${year}`;
    if (!groups.has(k)) groups.set(k, { contractId: Number(contract), year: Number(year), lines: [] });
    groups.get(k)!.lines.push({ line, category, amountCents: amountCents!, eligible: !eligible.startsWith('n') });
  }
  if (!read) return { groups: [], errors: [{ line: line + 1, field: 'bestand', detail: 'het bestand bevat geen kostenregels' }] };
  return { groups: [...groups.values()], errors };
}
