// Reading a CSV of waiting times as providers publish them (aanbieder, AGB, aanbod, type, locatie, doelgroep,
import { csvRecords, detectDelimiter } from '../core/csv.ts';
import { pauses } from '../core/work.ts';
// expertise, financiering, weken tot intake, weken tot behandeling, datum, bron, opmerking). Plain function: text
// in, rows and a report of every row that could not be read out. Semicolon or comma, quotes, decimal comma, BOM.
// As lists are published: a row may carry only a treatment wait, weeks with decimals ("39,105"), a month for a
// date ("maart 2025", "03-2025": stored as the first of the month, precision 'maand'), a source and remarks.

export interface WaitingRow {
  line: number;
  provider: string;
  agbCode: string;
  kvkNumber: string;
  offer: string;
  careType: string;
  location: string;
  targetGroup: string;
  expertise: string;
  funding: string;
  weeksToIntake: number | null;
  weeksToTreatment: number | null;
  reportedOn: string;
  reportedPrecision: 'dag' | 'maand';
  source: string;
  remarks: string;
}
export interface RowError {
  line: number;
  field: string;
  detail: string;
}

type Field =
  | 'provider'
  | 'agbCode'
  | 'kvkNumber'
  | 'offer'
  | 'careType'
  | 'location'
  | 'targetGroup'
  | 'expertise'
  | 'funding'
  | 'weeksToIntake'
  | 'weeksToTreatment'
  | 'reportedOn'
  | 'source'
  | 'remarks';

/** Accepted column names (compared without case, accents, underscores or "(weken)"). */
const COLUMNS: Record<Field, { names: string[]; label: string; required: boolean }> = {
  provider: { names: ['aanbieder', 'zorgaanbieder', 'provider', 'naam aanbieder', 'naam zorgaanbieder', 'organisatie'], label: 'aanbieder', required: false },
  agbCode: { names: ['agb', 'agb code', 'agbcode'], label: 'AGB-code', required: false },
  kvkNumber: { names: ['kvk', 'kvk nummer', 'kvknummer'], label: 'KvK-nummer', required: false },
  offer: { names: ['aanbod', 'product', 'offer'], label: 'aanbod', required: true },
  careType: { names: ['type', 'zorgvorm', 'soort'], label: 'type', required: false },
  location: { names: ['locatie', 'vestiging', 'location'], label: 'locatie', required: false },
  targetGroup: { names: ['doelgroep', 'target group'], label: 'doelgroep', required: false },
  expertise: { names: ['expertise'], label: 'expertise', required: false },
  funding: { names: ['financiering', 'bekostiging', 'funding'], label: 'financiering', required: false },
  weeksToIntake: {
    names: ['weken tot intake', 'wachttijd intake', 'aanmeldwachttijd', 'weeks to intake', 'aanmeldingswachttijd'],
    label: 'weken tot intake',
    required: false,
  },
  weeksToTreatment: {
    names: ['weken tot behandeling', 'wachttijd behandeling', 'behandelwachttijd', 'weeks to treatment', 'behandelingswachttijd'],
    label: 'weken tot behandeling',
    required: false,
  },
  reportedOn: { names: ['datum', 'peildatum', 'date', 'peilmaand', 'maand'], label: 'datum', required: true },
  source: { names: ['bron', 'source'], label: 'bron', required: false },
  remarks: { names: ['opmerking', 'opmerkingen', 'toelichting', 'remarks'], label: 'opmerking', required: false },
};
export const CSV_HEADER = 'aanbieder;agb;aanbod;type;locatie;doelgroep;expertise;financiering;weken tot intake;weken tot behandeling;datum;bron;opmerking';

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\(weken\)/g, '')
    .replace(/[_\-.]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function parseWeeks(s: string): number | null {
  const t = s.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,3})?$/.test(t)) return null;
  return Number(t);
}

const MONTHS = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
const monthOf = (w: string) => {
  const t = w.toLowerCase().replace(/\.$/, '');
  const i = MONTHS.findIndex((m) => t.startsWith(m) || (m === 'mrt' && t.startsWith('maa')));
  return i < 0 ||
    (t.length > 3 &&
      !['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december', 'sept'].includes(t))
    ? 0
    : i + 1;
};

/** A month written alone ('2025-03', '03-2025', '3/2025', 'maart 2025', 'mrt. 2025') as its first day, or null. */
export function parseMonth(s: string): string | null {
  const t = s.trim();
  let y = 0,
    m = 0,
    r: RegExpExecArray | null;
  if ((r = /^(\d{4})-(\d{1,2})$/.exec(t))) [y, m] = [Number(r[1]), Number(r[2])];
  else if ((r = /^(\d{1,2})[-/](\d{4})$/.exec(t))) [m, y] = [Number(r[1]), Number(r[2])];
  else if ((r = /^([a-z]+\.?)\s+(\d{4})$/i.exec(t))) [m, y] = [monthOf(r[1]), Number(r[2])];
  if (!y || m < 1 || m > 12) return null;
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

function parseDay(s: string): string | null {
  const t = s.trim();
  let y: number, m: number, d: number;
  let r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (r) [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else if ((r = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(t))) [d, m, y] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else if ((r = /^(\d{1,2})\s+([a-z]+\.?)\s+(\d{4})$/i.exec(t)) && monthOf(r[2])) [d, m, y] = [Number(r[1]), monthOf(r[2]), Number(r[3])];
  else return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Rows and per-row errors. A missing required column is one error on line 1 and no rows. */
export async function parseWaitingCsv(input: string, today: string): Promise<{ rows: WaitingRow[]; errors: RowError[] }> {
  const text = input.replace(/^\uFEFF/, '');
  if (text.includes('\uFFFD'))
    return {
      rows: [],
      errors: [
        {
          line: 1 + (text.slice(0, text.indexOf('\uFFFD')).match(/\n/g)?.length ?? 0),
          field: 'codering',
          detail: 'het bestand is niet in UTF-8 gelezen (tekens als \uFFFD): sla het op als CSV UTF-8',
        },
      ],
    };
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = detectDelimiter(firstLine);
  // a record at a time with a yield every 20 ms (issue 14: 900,000 characters split and read in one turn held the
  // server, with the matching and a garbage collection, over 100 ms)
  const records = csvRecords(text, delimiter);
  const first = records.next();
  if (first.done || first.value.every((f) => !f.trim())) return { rows: [], errors: [{ line: 1, field: 'kopregel', detail: 'het bestand is leeg' }] };
  const header = first.value.map(norm);
  const index = {} as Record<Field, number>;
  const errors: RowError[] = [];
  for (const [field, col] of Object.entries(COLUMNS) as [Field, (typeof COLUMNS)[Field]][]) {
    index[field] = header.findIndex((h) => col.names.includes(h));
    if (index[field] < 0 && col.required) errors.push({ line: 1, field: col.label, detail: `kolom '${col.label}' ontbreekt in de kopregel` });
  }
  if (index.provider < 0 && index.agbCode < 0)
    errors.push({ line: 1, field: 'aanbieder', detail: "kolom 'aanbieder' (naam) of 'agb' ontbreekt in de kopregel" });
  if (index.weeksToIntake < 0 && index.weeksToTreatment < 0)
    errors.push({ line: 1, field: 'weken tot intake', detail: "kolom 'weken tot intake' of 'weken tot behandeling' ontbreekt in de kopregel" });
  if (errors.length) return { rows: [], errors };

  const rows: WaitingRow[] = [];
  const pause = pauses();
  let i = 0;
  for (const rec of records) {
    i++;
    await pause();
    const line = i + 1;
    if (rec.every((f) => !f.trim())) continue; // blank line
    const get = (f: Field) => (index[f] >= 0 ? (rec[index[f]] ?? '').trim() : '');
    const rowErrors: RowError[] = [];
    const need = (f: Field) => {
      const v = get(f);
      if (!v) rowErrors.push({ line, field: COLUMNS[f].label, detail: 'is leeg' });
      return v;
    };
    const tooLong = (f: Field, max: number) => {
      if (get(f).length > max) rowErrors.push({ line, field: COLUMNS[f].label, detail: `langer dan ${max} tekens` });
    };
    const provider = get('provider') || get('agbCode');
    if (!provider) rowErrors.push({ line, field: 'aanbieder', detail: 'is leeg' });
    const offer = need('offer');
    (['provider', 'offer', 'careType', 'location', 'targetGroup', 'expertise', 'funding', 'source'] as Field[]).forEach((f) => {
      tooLong(f, 200);
    });
    tooLong('remarks', 1000);
    const weeks = (f: 'weeksToIntake' | 'weeksToTreatment') => {
      const v = get(f);
      const n = v ? parseWeeks(v) : null;
      if (v && n === null) rowErrors.push({ line, field: COLUMNS[f].label, detail: `'${v}' is geen aantal weken (bv. 6 of 39,105)` });
      return n;
    };
    const weeksToIntake = weeks('weeksToIntake'),
      weeksToTreatment = weeks('weeksToTreatment');
    if (!get('weeksToIntake') && !get('weeksToTreatment'))
      rowErrors.push({ line, field: COLUMNS.weeksToIntake.label, detail: 'geen wachttijd: vul weken tot intake of weken tot behandeling in' });
    const ds = get('reportedOn');
    const day = parseDay(ds);
    const month = day ? null : parseMonth(ds);
    const reportedOn = day ?? month;
    if (!reportedOn)
      rowErrors.push({
        line,
        field: COLUMNS.reportedOn.label,
        detail: ds ? `'${ds}' is geen datum (JJJJ-MM-DD, DD-MM-JJJJ of een maand als 'maart 2025')` : 'is leeg',
      });
    else if (reportedOn > today) rowErrors.push({ line, field: COLUMNS.reportedOn.label, detail: `${reportedOn} ligt in de toekomst` });
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({
      line,
      provider,
      agbCode: get('agbCode'),
      kvkNumber: get('kvkNumber'),
      offer,
      careType: get('careType'),
      location: get('location'),
      targetGroup: get('targetGroup'),
      expertise: get('expertise'),
      funding: get('funding'),
      weeksToIntake,
      weeksToTreatment,
      reportedOn: reportedOn!,
      reportedPrecision: day ? 'dag' : 'maand',
      source: get('source'),
      remarks: get('remarks'),
    });
  }
  if (!rows.length && !errors.length) errors.push({ line: 2, field: 'regels', detail: 'het bestand bevat geen regels onder de kopregel' });
  return { rows, errors };
}
