// Which files a dossier accepts (pure: no DB, no HTTP). Only PDF, PNG/JPEG images and office documents (docx, xlsx,
// odt, ods); the type is read from the content's first bytes (and, for the office formats, from the ZIP's directory),
// never taken from the name or the declared MIME type alone. A file whose name, declared type and content disagree is
// refused, and so is an office document with macros. Every refusal is a Dutch sentence naming the field.
import { createHash } from 'node:crypto';
import { AppError, badRequest } from '../core/errors.ts';

export const DOCUMENT_TYPES = [
  { mediaType: 'application/pdf', label: 'PDF', extensions: ['pdf'] },
  { mediaType: 'image/png', label: 'PNG-afbeelding', extensions: ['png'] },
  { mediaType: 'image/jpeg', label: 'JPEG-afbeelding', extensions: ['jpg', 'jpeg'] },
  { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word-document (docx)', extensions: ['docx'] },
  { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel-werkmap (xlsx)', extensions: ['xlsx'] },
  { mediaType: 'application/vnd.oasis.opendocument.text', label: 'OpenDocument-tekst (odt)', extensions: ['odt'] },
  { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', label: 'OpenDocument-rekenblad (ods)', extensions: ['ods'] },
] as const;
export type DocumentMediaType = (typeof DOCUMENT_TYPES)[number]['mediaType'];
export const ALLOWED_EXTENSIONS = DOCUMENT_TYPES.flatMap((t) => t.extensions as readonly string[]);
const ALLOWED_TEXT = 'PDF, PNG, JPEG, docx, xlsx, odt of ods';
export const DEFAULT_DOCUMENT_MAX_MB = 10;
/** The hard ceiling of the region's setting: the streaming upload stops here whatever the setting says. */
export const DOCUMENT_CEILING_MB = 50;

const typeOf = (m: string) => DOCUMENT_TYPES.find((t) => t.mediaType === m)!;

/** The file name as stored: trimmed; refused when empty, too long, with a path or control characters, or a type we do not take. */
export function checkFileName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (!name) throw badRequest('geef de bestandsnaam', 'fileName');
  if (/[/\\]/.test(name)) throw badRequest(`bestandsnaam '${name}' bevat een map (/ of \\): geef alleen de naam van het bestand`, 'fileName');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badRequest('de bestandsnaam bevat stuurtekens', 'fileName');
  if (name === '.' || name === '..' || name.startsWith('.')) throw badRequest(`bestandsnaam '${name}' begint met een punt`, 'fileName');
  if (name.length > 200) throw badRequest('de bestandsnaam is langer dan 200 tekens', 'fileName');
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  if (!ext || !ALLOWED_EXTENSIONS.includes(ext)) {
    throw new AppError(415, 'Bestandstype niet toegestaan', `bestand '${name}': alleen ${ALLOWED_TEXT} zijn toegestaan`, 'fileName', 'type');
  }
  return name;
}

/** The names in a ZIP's central directory (null when it is not a readable ZIP). */
export function zipEntries(buf: Buffer): string[] | null {
  const min = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10),
    size = buf.readUInt32LE(eocd + 12),
    offset = buf.readUInt32LE(eocd + 16);
  if (offset + size > eocd) return null;
  const names: string[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const n = buf.readUInt16LE(p + 28),
      e = buf.readUInt16LE(p + 30),
      c = buf.readUInt16LE(p + 32);
    names.push(buf.subarray(p + 46, p + 46 + n).toString('utf8'));
    p += 46 + n + e + c;
  }
  return names;
}

/** An OpenDocument's own statement of its type: the first entry 'mimetype', stored uncompressed. */
function odfMimetype(buf: Buffer): string | null {
  if (buf.length < 30 || buf.readUInt32LE(0) !== 0x04034b50) return null;
  const method = buf.readUInt16LE(8),
    size = buf.readUInt32LE(18),
    n = buf.readUInt16LE(26),
    e = buf.readUInt16LE(28);
  if (buf.subarray(30, 30 + n).toString('latin1') !== 'mimetype' || method !== 0 || size > 100) return null;
  return buf.subarray(30 + n + e, 30 + n + e + size).toString('latin1');
}

/** What the content is, from its bytes: an allowed media type, or the reason it is not one. */
export function sniff(buf: Buffer): { mediaType: DocumentMediaType } | { refused: string } {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return { mediaType: 'application/pdf' };
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { mediaType: 'image/png' };
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return { mediaType: 'image/jpeg' };
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) {
    const names = zipEntries(buf);
    if (!names) return { refused: 'een beschadigd ZIP-bestand' };
    const odf = odfMimetype(buf);
    if (odf === 'application/vnd.oasis.opendocument.text' || odf === 'application/vnd.oasis.opendocument.spreadsheet') {
      if (names.some((n) => n.startsWith('Basic/') || n.startsWith('Scripts/'))) return { refused: "een OpenDocument met macro's" };
      return { mediaType: odf };
    }
    if (names.includes('[Content_Types].xml')) {
      if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return { refused: "een Office-document met macro's" };
      if (names.includes('word/document.xml')) return { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
      if (names.includes('xl/workbook.xml')) return { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
      return { refused: 'een ander Office-document (geen docx of xlsx)' };
    }
    return { refused: 'een ZIP-archief' };
  }
  if (buf.subarray(0, 2).toString('latin1') === 'MZ' || buf.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return { refused: 'een programma' };
  if (buf.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return { refused: 'een oud Office-bestand (doc/xls)' };
  return { refused: 'geen PDF, afbeelding of office-document' };
}

export interface CheckedDocument {
  fileName: string;
  mediaType: DocumentMediaType;
  bytes: number;
  sha256: string;
}

/**
 * Checks an uploaded file: not empty, within the limit, content of an allowed type that agrees with the name's
 * extension and with the declared MIME type (application/octet-stream or none: no claim). Throws a Dutch AppError.
 */
export function checkDocument(fileNameRaw: string, declaredType: string | null, content: Buffer, maxBytes: number): CheckedDocument {
  const fileName = checkFileName(fileNameRaw);
  if (content.length === 0) throw badRequest(`bestand '${fileName}' is leeg`, 'body', 'leeg');
  if (content.length > maxBytes) {
    throw new AppError(
      413,
      'Bestand te groot',
      `bestand '${fileName}' is ${(content.length / 1024 / 1024).toFixed(1).replace('.', ',')} MB; de grens is ${Math.round(maxBytes / 1024 / 1024)} MB`,
      'body',
      'te-groot',
    );
  }
  const found = sniff(content);
  if ('refused' in found)
    throw new AppError(
      415,
      'Bestandstype niet toegestaan',
      `bestand '${fileName}' is ${found.refused}; alleen ${ALLOWED_TEXT} zijn toegestaan`,
      'body',
      'type',
    );
  const t = typeOf(found.mediaType);
  const ext = fileName.split('.').pop()!.toLowerCase();
  if (!(t.extensions as readonly string[]).includes(ext)) {
    throw new AppError(
      415,
      'Naam en inhoud verschillen',
      `bestand '${fileName}': de naam eindigt op .${ext}, maar de inhoud is een ${t.label}`,
      'fileName',
      'type',
    );
  }
  const declared = declaredType?.split(';')[0].trim().toLowerCase() || null;
  if (declared && declared !== 'application/octet-stream' && declared !== found.mediaType && !(declared === 'image/jpg' && found.mediaType === 'image/jpeg')) {
    const known = DOCUMENT_TYPES.find((x) => x.mediaType === declared);
    throw new AppError(
      415,
      'Bestandstype niet toegestaan',
      known
        ? `bestand '${fileName}' is opgegeven als ${known.label}, maar de inhoud is een ${t.label}`
        : `bestand '${fileName}' is opgegeven als '${declared}'; alleen ${ALLOWED_TEXT} zijn toegestaan`,
      'content-type',
      'type',
    );
  }
  return { fileName, mediaType: found.mediaType, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
}
