// Reading a CSV of waiting times as providers publish them (aanbieder, aanbod, type, locatie, doelgroep,
// expertise, financiering, weken tot intake, weken tot behandeling, datum). Plain function: text in, rows
// and a report of every row that could not be read out. Semicolon or comma, quotes, decimal comma, BOM.

export interface WaitingRow {
  line: number; provider: string; offer: string; careType: string; location: string; targetGroup: string;
  expertise: string; funding: string; weeksToIntake: number; weeksToTreatment: number | null; reportedOn: string;
}
export interface RowError { line: number; field: string; detail: string }

type Field = 'provider' | 'offer' | 'careType' | 'location' | 'targetGroup' | 'expertise' | 'funding' | 'weeksToIntake' | 'weeksToTreatment' | 'reportedOn';

/** Accepted column names (compared without case, accents, underscores or "(weken)"). */
const COLUMNS: Record<Field, { names: string[]; label: string; required: boolean }> = {
  provider: { names: ['aanbieder', 'zorgaanbieder', 'agb', 'agb code', 'provider'], label: 'aanbieder', required: true },
  offer: { names: ['aanbod', 'product', 'offer'], label: 'aanbod', required: true },
  careType: { names: ['type', 'zorgvorm', 'soort'], label: 'type', required: true },
  location: { names: ['locatie', 'vestiging', 'location'], label: 'locatie', required: false },
  targetGroup: { names: ['doelgroep', 'target group'], label: 'doelgroep', required: false },
  expertise: { names: ['expertise'], label: 'expertise', required: false },
  funding: { names: ['financiering', 'bekostiging', 'funding'], label: 'financiering', required: false },
  weeksToIntake: { names: ['weken tot intake', 'wachttijd intake', 'aanmeldwachttijd', 'weeks to intake'], label: 'weken tot intake', required: true },
  weeksToTreatment: { names: ['weken tot behandeling', 'wachttijd behandeling', 'behandelwachttijd', 'weeks to treatment'], label: 'weken tot behandeling', required: false },
  reportedOn: { names: ['datum', 'peildatum', 'date'], label: 'datum', required: true },
};
export const CSV_HEADER = 'aanbieder;aanbod;type;locatie;doelgroep;expertise;financiering;weken tot intake;weken tot behandeling;datum';

const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  .replace(/\(weken\)/g, '').replace(/[_\-.]/g, ' ').replace(/\s+/g, ' ').trim();

/** Splits CSV text into records of fields (RFC 4180 quoting; the delimiter is given). */
export function splitCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let field = '', record: string[] = [], quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false; } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) { record.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field); records.push(record); record = []; field = '';
    } else field += c;
  }
  if (field !== '' || record.length) { record.push(field); records.push(record); }
  return records;
}

function parseWeeks(s: string): number | null {
  const t = s.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d)?$/.test(t)) return null;
  return Number(t);
}

function parseDay(s: string): string | null {
  const t = s.trim();
  let y: number, m: number, d: number;
  let r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (r) [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else if ((r = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(t))) [d, m, y] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Rows and per-row errors. A missing required column is one error on line 1 and no rows. */
export function parseWaitingCsv(input: string, today: string): { rows: WaitingRow[]; errors: RowError[] } {
  const text = input.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records = splitCsv(text, delimiter);
  if (!records.length || records[0].every((f) => !f.trim())) return { rows: [], errors: [{ line: 1, field: 'kopregel', detail: 'het bestand is leeg' }] };
  const header = records[0].map(norm);
  const index = {} as Record<Field, number>;
  const errors: RowError[] = [];
  for (const [field, col] of Object.entries(COLUMNS) as [Field, (typeof COLUMNS)[Field]][]) {
    index[field] = header.findIndex((h) => col.names.includes(h));
    if (index[field] < 0 && col.required) errors.push({ line: 1, field: col.label, detail: `kolom '${col.label}' ontbreekt in de kopregel` });
  }
  if (errors.length) return { rows: [], errors };

  const rows: WaitingRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const rec = records[i];
    const line = i + 1;
    if (rec.every((f) => !f.trim())) continue; // blank line
    const get = (f: Field) => (index[f] >= 0 ? (rec[index[f]] ?? '').trim() : '');
    const rowErrors: RowError[] = [];
    const need = (f: Field) => { const v = get(f); if (!v) rowErrors.push({ line, field: COLUMNS[f].label, detail: 'is leeg' }); return v; };
    const tooLong = (f: Field, max: number) => { if (get(f).length > max) rowErrors.push({ line, field: COLUMNS[f].label, detail: `langer dan ${max} tekens` }); };
    const provider = need('provider'), offer = need('offer'), careType = need('careType');
    (['offer', 'careType', 'location', 'targetGroup', 'expertise', 'funding'] as Field[]).forEach((f) => tooLong(f, 200));
    const wi = get('weeksToIntake');
    const weeksToIntake = parseWeeks(wi);
    if (weeksToIntake === null) rowErrors.push({ line, field: COLUMNS.weeksToIntake.label, detail: wi ? `'${wi}' is geen aantal weken (bv. 6 of 6,5)` : 'is leeg' });
    const wt = get('weeksToTreatment');
    const weeksToTreatment = wt ? parseWeeks(wt) : null;
    if (wt && weeksToTreatment === null) rowErrors.push({ line, field: COLUMNS.weeksToTreatment.label, detail: `'${wt}' is geen aantal weken (bv. 6 of 6,5)` });
    const ds = get('reportedOn');
    const reportedOn = parseDay(ds);
    if (!reportedOn) rowErrors.push({ line, field: COLUMNS.reportedOn.label, detail: ds ? `'${ds}' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)` : 'is leeg' });
    else if (reportedOn > today) rowErrors.push({ line, field: COLUMNS.reportedOn.label, detail: `${reportedOn} ligt in de toekomst` });
    if (rowErrors.length) { errors.push(...rowErrors); continue; }
    rows.push({
      line, provider, offer, careType, location: get('location'), targetGroup: get('targetGroup'), expertise: get('expertise'),
      funding: get('funding'), weeksToIntake: weeksToIntake!, weeksToTreatment, reportedOn: reportedOn!,
    });
  }
  if (!rows.length && !errors.length) errors.push({ line: 2, field: 'regels', detail: 'het bestand bevat geen regels onder de kopregel' });
  return { rows, errors };
}
