// A new PDF document (pdfkit), loaded on first use: pdfkit takes about 0.35 s of CPU to import, and only the letters,
// statements and reports need it, so the server and every CLI command start without it (issue 13 §2).
import type PDFKit from 'pdfkit';

export type PdfDoc = InstanceType<typeof PDFKit>;
export type PdfOptions = ConstructorParameters<typeof PDFKit>[0];

export async function newPdf(options: PdfOptions): Promise<PdfDoc> {
  const { default: PDFDocument } = await import('pdfkit');
  return new PDFDocument(options);
}
