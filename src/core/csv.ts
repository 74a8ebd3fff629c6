// The one CSV reader (issue 13 found three: one RFC 4180, two `split(';')` that broke on a quoted semicolon).
// Records of fields with RFC 4180 quoting ("a;b" stays one field, "" is a quote, a quoted field may span lines);
// the delimiter is given or detected from the header line. Writing CSV: http/region.ts (toCsv).

/** Splits CSV text into records of fields. */
export function splitCsv(text: string, delimiter: string): string[][] {
  // without a quote anywhere, the same records by native splits: the loop below builds every field a character at a
  // time, which held the event loop for seconds on a 10 MB provider list (issue 14)
  if (!text.includes('"')) {
    const lines = text.split(/\r\n|\n|\r/);
    if (lines[lines.length - 1] === '') lines.pop(); // a final line break ends the last record, it adds none
    return lines.map((l) => l.split(delimiter));
  }
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

/** The fields of one line of CSV (a line read on its own by an import that walks a large file line by line). */
export const csvFields = (line: string, delimiter = ';'): string[] => splitCsv(line, delimiter)[0] ?? [];

/** The separator a header line uses: the most frequent of ';', ',' and tab (';' when none occurs). */
export function detectDelimiter(headerLine: string): string {
  let best = ';', most = 0;
  for (const d of [';', ',', '\t']) {
    const n = headerLine.split(d).length - 1;
    if (n > most) { best = d; most = n; }
  }
  return best;
}
