// The year-end statement as a PDF letter a provider can sign off: per contract the calculation step by step, the
// totals, and a signature block. A4, Helvetica (no fonts to embed).
import { newPdf } from '../core/pdf.ts';
import { formatEuro } from '../core/money.ts';
import type { Statement } from './store.ts';

const LEFT = 50,
  WIDTH = 495;
const FORM: Record<string, string> = {
  pq: 'P × Q',
  profiel: 'Vast tarief per profiel',
  traject: 'Vaste prijs per traject',
  beschikbaarheid: 'Beschikbaarheidsfinanciering',
  lumpsum: 'Budget / lumpsum',
  nacalculatie: 'Voorschot met reële nacalculatie',
};

export async function statementPdf(st: Statement, closed: { id: number; closedAt: string } | null, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = await newPdf({
    size: 'A4',
    margins: { top: 50, bottom: 50, left: LEFT, right: 50 },
    compress: opts.compress ?? true,
    lang: 'nl-NL',
    info: { Title: `Jaarafrekening ${st.year} ${st.providerName}`, Author: 'Regiekamer Jeugd' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#154273').text(`Jaarafrekening ${st.year}`, LEFT, 50, { width: WIDTH });
  doc.moveDown(0.3).font('Helvetica-Bold').fontSize(11).fillColor('black').text(`${st.providerName} (AGB ${st.agb}) · regio ${st.regionId}`, { width: WIDTH });
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#555')
    .text(
      closed
        ? `Gesloten afrekening nr. ${closed.id}, vastgesteld op ${closed.closedAt.slice(0, 10)}. Deze afrekening verandert niet meer; een correctie is een nieuwe, gedateerde afrekening.`
        : `Voorlopige berekening van ${st.computedAt.slice(0, 10)}: het jaar is nog niet afgesloten.`,
      { width: WIDTH },
    );
  doc.fillColor('black');
  for (const c of st.contracts) {
    doc
      .moveDown(0.8)
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(`${c.segmentName} (${c.segmentCode}) · ${FORM[c.fundingForm] ?? c.fundingForm} · ${c.executionVariant}`, LEFT, undefined, { width: WIDTH });
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(`Contract ${c.id}, ${c.validFrom} – ${c.validTo ?? 'doorlopend'}${c.bandwidthPct !== null ? `, bandbreedte ${c.bandwidthPct}%` : ''}`, {
        width: WIDTH,
      });
    for (const s of c.settlement.steps) {
      const y = doc.y;
      doc
        .font(s.label === 'Uitkomst' || s.label.startsWith('Nog te') || s.label.startsWith('Terug') ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(9)
        .text(s.label + (s.detail ? ` (${s.detail})` : ''), LEFT + 10, y, { width: 340 });
      const y2 = doc.y;
      if (s.amountCents !== 0 || !s.detail) doc.text(formatEuro(s.amountCents), LEFT + 355, y, { width: 140, align: 'right' });
      doc.y = Math.max(y2, doc.y);
      doc.x = LEFT;
    }
    for (const w of c.settlement.warnings)
      doc
        .font('Helvetica-Oblique')
        .fontSize(9)
        .fillColor('#a00')
        .text(`Let op: ${w}`, LEFT + 10, undefined, { width: WIDTH - 10 })
        .fillColor('black');
  }
  doc.moveDown(1).font('Helvetica-Bold').fontSize(11).text('Totaal', LEFT, undefined, { width: WIDTH });
  const t = st.totals;
  for (const [label, v] of [
    ['Uitkomst', t.outcomeCents],
    ['Betaald', t.paidCents],
    [t.settlementCents >= 0 ? 'Nog te betalen aan de aanbieder' : 'Terug te vorderen van de aanbieder', t.settlementCents],
  ] as const) {
    const y = doc.y;
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(label, LEFT + 10, y, { width: 340 });
    doc.text(formatEuro(v), LEFT + 355, y, { width: 140, align: 'right' });
    doc.x = LEFT;
  }
  doc.moveDown(2).font('Helvetica').fontSize(10).text('Voor akkoord, namens de aanbieder:', LEFT, undefined, { width: WIDTH });
  doc.moveDown(2).text('Naam: ______________________   Datum: ____________   Handtekening: ______________________', { width: WIDTH });
  doc.end();
  return done;
}
