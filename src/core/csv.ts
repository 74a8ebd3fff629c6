// The one CSV reader (issue 13 found three: one RFC 4180, two `split(';')` that broke on a quoted semicolon).
// Records of fields with RFC 4180 quoting ("a;b" stays one field, "" is a quote, a quoted field may span lines);
// the delimiter is given or detected from the header line. Writing CSV: http/region.ts (toCsv).

/** Splits CSV text into records of fields. */
export function splitCsv(text: string, delimiter: string): string[][] {
  return [...csvRecords(text, delimiter)];
}

/**
 * The records of CSV text one at a time, in linear time, so that a caller can yield between them (a 10 MB provider
 * list split in one go held the event loop for about 100 ms, issue 14). A line without a quote is split natively; from
 * a line with a quote the record is read a character at a time (RFC 4180: "" is a quote, a quoted field may span lines).
 * Line breaks are \r\n, \n or \r; a final line break ends the last record, it adds none.
 */
export function* csvRecords(text: string, delimiter: string): Generator<string[]> {
  const n = text.length;
  let pos = 0,
    lf = -2,
    cr = -2;
  while (pos < n) {
    if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
    if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
    const end = lf === -1 ? (cr === -1 ? n : cr) : cr === -1 ? lf : Math.min(lf, cr);
    const line = text.slice(pos, end);
    if (!line.includes('"')) {
      yield line.split(delimiter);
      pos = end + (end < n && text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
      continue;
    }
    // a record with quotes: a character at a time until a line break outside quotes
    let field = '',
      quoted = false,
      i = pos,
      broken = false;
    const record: string[] = [];
    for (; i < n; i++) {
      const c = text[i];
      if (quoted) {
        // to the next quote at once: a doubled one is a quote, a single one ends the quoted part
        const q = text.indexOf('"', i);
        if (q === -1) {
          field += text.slice(i);
          i = n;
          break;
        }
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 1;
        } else {
          quoted = false;
          i = q;
        }
      } else if (c === '"' && field === '') quoted = true;
      else if (c === delimiter) {
        record.push(field);
        field = '';
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        broken = true;
        break;
      } else {
        // the rest of an unquoted field at once
        let j = i + 1;
        while (j < n) {
          const d = text[j];
          if (d === delimiter || d === '\n' || d === '\r') break;
          j++;
        }
        field += text.slice(i, j);
        i = j - 1;
      }
    }
    if (broken || field !== '' || record.length) {
      record.push(field);
      yield record;
    }
    pos = i + 1;
  }
}

/** The fields of one line of CSV (a line read on its own by an import that walks a large file line by line). */
export const csvFields = (line: string, delimiter = ';'): string[] => splitCsv(line, delimiter)[0] ?? [];

/** The separator a header line uses: the most frequent of ';', ',' and tab (';' when none occurs). */
export function detectDelimiter(headerLine: string): string {
  let best = ';',
    most = 0;
  for (const d of [';', ',', '\t']) {
    const n = headerLine.split(d).length - 1;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}
