// Which files a dossier takes, read from their bytes: the name and the declared type are claims that must agree with
// the content, never the proof. Pure: no database.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { checkDocument, checkFileName, sniff } from '../../src/providers/files.ts';
import { AppError } from '../../src/core/errors.ts';
import { docx, odt, pdf, png, zip } from './zip.ts';

const MB = 1024 * 1024;
const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return { status: e.status, field: e.field, message: e.message };
    throw e;
  }
  throw new Error('not refused');
};

describe('the type comes from the content', () => {
  it('recognises PDF, PNG, JPEG, docx, xlsx, odt and ods', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Blad1').addRow(['Polis', 2026]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(sniff(pdf())).toEqual({ mediaType: 'application/pdf' });
    expect(sniff(png())).toEqual({ mediaType: 'image/png' });
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toEqual({ mediaType: 'image/jpeg' });
    expect(sniff(docx())).toEqual({ mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(sniff(xlsx)).toEqual({ mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(sniff(odt())).toEqual({ mediaType: 'application/vnd.oasis.opendocument.text' });
    expect(sniff(odt('application/vnd.oasis.opendocument.spreadsheet'))).toEqual({ mediaType: 'application/vnd.oasis.opendocument.spreadsheet' });
  });

  it('refuses programs, archives, old Office files, macros and plain text', () => {
    expect(sniff(Buffer.from('MZ\x90\x00rest of an exe', 'latin1'))).toEqual({ refused: 'een programma' });
    expect(sniff(zip([['foto.jpg', 'x']]))).toEqual({ refused: 'een ZIP-archief' });
    expect(sniff(Buffer.from('d0cf11e0a1b11ae10000', 'hex'))).toEqual({ refused: 'een oud Office-bestand (doc/xls)' });
    expect(sniff(docx([['word/vbaProject.bin', 'macro']]))).toEqual({ refused: "een Office-document met macro's" });
    expect(
      sniff(
        zip([
          ['mimetype', 'application/vnd.oasis.opendocument.text'],
          ['Basic/Standard/Module1.xml', 'x'],
        ]),
      ),
    ).toEqual({ refused: "een OpenDocument met macro's" });
    expect(sniff(Buffer.from('gewoon tekst'))).toEqual({ refused: 'geen PDF, afbeelding of office-document' });
    expect(sniff(Buffer.from('PK\x03\x04 kapot', 'latin1'))).toEqual({ refused: 'een beschadigd ZIP-bestand' });
  });
});

describe('checkDocument', () => {
  it('gives the type, size and SHA-256 of an accepted file', () => {
    const content = pdf('polis');
    const d = checkDocument('Polis 2026.PDF', 'application/pdf', content, 10 * MB);
    expect(d).toMatchObject({ fileName: 'Polis 2026.PDF', mediaType: 'application/pdf', bytes: content.length });
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    // a known checksum: `printf '%PDF-abc' | sha256sum`
    expect(checkDocument('a.pdf', null, Buffer.from('%PDF-abc'), MB).sha256).toBe('1e8a7587529cc956d46dea481f38c623395a879a1179c277f476a9cdb88a540d');
  });

  it('refuses, naming the field: empty, too large, forbidden type, name and content or declared type that disagree, paths', () => {
    expect(refused(() => checkDocument('leeg.pdf', null, Buffer.alloc(0), MB))).toMatchObject({
      status: 400,
      field: 'body',
      message: "bestand 'leeg.pdf' is leeg",
    });
    expect(refused(() => checkDocument('groot.pdf', null, Buffer.concat([pdf(), Buffer.alloc(MB)]), MB))).toMatchObject({ status: 413, field: 'body' });
    expect(refused(() => checkDocument('groot.pdf', null, Buffer.concat([pdf(), Buffer.alloc(MB)]), MB)).message).toMatch(/is 1,0 MB; de grens is 1 MB/);
    expect(refused(() => checkDocument('virus.pdf', 'application/pdf', Buffer.from('MZ...'), MB))).toMatchObject({
      status: 415,
      field: 'body',
      message: "bestand 'virus.pdf' is een programma; alleen PDF, PNG, JPEG, docx, xlsx, odt of ods zijn toegestaan",
    });
    expect(refused(() => checkDocument('notitie.txt', 'text/plain', Buffer.from('x'), MB))).toMatchObject({ status: 415, field: 'fileName' });
    expect(refused(() => checkDocument('foto.png', 'image/png', pdf(), MB))).toMatchObject({
      status: 415,
      field: 'fileName',
      message: "bestand 'foto.png': de naam eindigt op .png, maar de inhoud is een PDF",
    });
    expect(refused(() => checkDocument('polis.pdf', 'image/png', pdf(), MB))).toMatchObject({
      status: 415,
      field: 'content-type',
      message: "bestand 'polis.pdf' is opgegeven als PNG-afbeelding, maar de inhoud is een PDF",
    });
    expect(refused(() => checkDocument('polis.pdf', 'text/html', pdf(), MB))).toMatchObject({ status: 415, field: 'content-type' });
    expect(refused(() => checkDocument('../../etc/polis.pdf', null, pdf(), MB))).toMatchObject({ status: 400, field: 'fileName' });
    expect(refused(() => checkDocument('C:\\stukken\\polis.pdf', null, pdf(), MB))).toMatchObject({ status: 400, field: 'fileName' });
    expect(refused(() => checkFileName('.pdf'))).toMatchObject({ field: 'fileName' });
    expect(refused(() => checkFileName('  '))).toMatchObject({ field: 'fileName', message: 'geef de bestandsnaam' });
    expect(checkDocument('polis.pdf', 'application/octet-stream', pdf(), MB).mediaType).toBe('application/pdf'); // no claim
  });
});
