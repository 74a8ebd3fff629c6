// The quarterly contract-management report per provider (brief §6, seed 003 §11): volumes and money per product
// and month, clients counted once, the share of the region's money, waiting times, risk flags, and the same
// quarter a year before; as data (tested against the dashboard's API) and as a PDF (pdfkit, standard fonts).
import { newPdf, type PdfDoc } from '../core/pdf.ts';
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type Scope } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';
import { formatEuro } from '../core/money.ts';
import { UNIT_NAMES } from '../catalog/index.ts';
// The coordination point's door does not export the published waiting times yet; read them where they live.
import { providerWaitingTimes } from '../placement/index.ts';
import { costs } from './costs.ts';
import { formatRatio, providerOfRegion, providerRisk, RATIO_NAMES, type Ratio, type RiskRow } from './risk.ts';
import { today } from '../core/dates.ts';

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

export const quarterRange = (year: number, quarter: number) => ({
  from: `${year}-${String(quarter * 3 - 2).padStart(2, '0')}-01`,
  to: quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01`,
});

/**
 * Volume, money and distinct clients of one provider per product × month, per product and in all, for the
 * quarter and the same quarter a year before, within the role's scope. Accepted lines; credits negative.
 */
const productMonthSql = (scope: Scope, providerId: number, q: { from: string; to: string }, pq: { from: string; to: string }) => sql<any>`
WITH l AS (
  SELECT extract(year FROM d.period_start)::int AS year, extract(month FROM d.period_start)::int AS month, p.code AS product_code, p.name AS product_name,
         d.unit, d.youth_id,
         CASE d.debit_credit WHEN 'C' THEN -d.volume ELSE d.volume END AS volume,
         CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END AS amount_cents
  FROM declaration_line d
  JOIN municipality m ON m.code = d.municipality_code
  JOIN product p ON p.id = d.product_id
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'd.municipality_code', provider: 'd.provider_id' })}
    AND d.provider_id = ${providerId}::int AND d.status = 'geaccepteerd'
    AND ((d.period_start >= ${q.from}::date AND d.period_start < ${q.to}::date) OR (d.period_start >= ${pq.from}::date AND d.period_start < ${pq.to}::date))
)
SELECT year, month, product_code, min(product_name) AS product_name, min(unit) AS unit,
       sum(volume)::int8 AS volume, sum(amount_cents)::int8 AS amount_cents, count(DISTINCT youth_id)::int AS clients
FROM l GROUP BY GROUPING SETS ((year, product_code, month), (year, product_code), (year))
ORDER BY year, product_code NULLS LAST, month NULLS LAST`;

export interface QuarterFigures {
  amountCents: number;
  clients: number;
  regionAmountCents: number;
  share: number | null;
}
export interface ProductLine {
  productCode: string;
  productName: string;
  unit: string;
  month: number | null;
  volume: number;
  amountCents: number;
  clients: number;
}

export interface ProviderQuarterReport {
  regionId: string;
  regionName: string;
  scopeLabel: string;
  provider: { id: number; agbCode: string; name: string };
  year: number;
  quarter: number;
  madeOn: string;
  current: QuarterFigures;
  previous: QuarterFigures;
  months: { month: number; amountCents: number; clients: number }[];
  /** per product × month (month set) and per product for the quarter (month null) */
  products: ProductLine[];
  previousProducts: ProductLine[];
  waitingTimes: { offer: string; careType: string; location: string; weeksToIntake: number | null; weeksToTreatment: number | null; reportedOn: string }[];
  risk: RiskRow | null;
  riskAssumption: string;
}

/** The newest quarter (of `year`, if given) in which the provider declared within the scope; the report's default. */
export async function latestQuarter(db: Db, scope: DataScope, providerId: number, year: number | null = null): Promise<{ year: number; quarter: number }> {
  const [r] = await run<{ last: string | null }>(
    db,
    sql`SELECT max(d.period_start) AS last FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
     WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'd.municipality_code', provider: 'd.provider_id' })}
       AND d.provider_id = ${providerId}::int AND d.status = 'geaccepteerd'
       ${year === null ? sql`` : sql`AND d.period_start >= make_date(${year}::int, 1, 1) AND d.period_start < make_date(${year}::int + 1, 1, 1)`}`,
  );
  const last: string = r?.last ?? (year ? `${year}-12-31` : today());
  return { year: Number(last.slice(0, 4)), quarter: Math.ceil(Number(last.slice(5, 7)) / 3) };
}

/** The report's figures. Money, clients and shares come from costs() — the dashboard's own query — for the provider and for the whole scope. */
export async function providerQuarterReport(
  db: Db,
  scope: DataScope,
  providerId: number,
  year: number,
  quarter: number,
  madeOn: string,
): Promise<ProviderQuarterReport> {
  const provider = await providerOfRegion(db, scope, providerId);
  const own: DataScope = { ...scope, providerId };
  const all: DataScope = { ...scope, providerId: null };
  const q = quarterRange(year, quarter),
    pq = quarterRange(year - 1, quarter);
  const [[region], ownQuarters, allQuarters, ownMonths, lines, waits, risk] = await Promise.all([
    db.query<{ name: string }>(`SELECT name FROM region WHERE id = $1`, [scope.regionId]),
    costs(db, own, year, 'kwartaal', null),
    costs(db, all, year, 'kwartaal', null),
    costs(db, own, year, 'maand', null),
    run(db, productMonthSql(scope, providerId, q, pq)),
    providerWaitingTimes(db, own),
    providerRisk(db, scope, providerId),
  ]);
  const key = `K${quarter}`;
  const o = ownQuarters.rows.find((r) => r.key === key),
    a = allQuarters.rows.find((r) => r.key === key);
  const figures = (amount: number, clients: number, regionAmount: number): QuarterFigures => ({
    amountCents: amount,
    clients,
    regionAmountCents: regionAmount,
    share: regionAmount ? amount / regionAmount : null,
  });
  const monthNumbers = [quarter * 3 - 2, quarter * 3 - 1, quarter * 3];
  const toLine = (r: any): ProductLine => ({
    productCode: r.product_code,
    productName: r.product_name,
    unit: UNIT_NAMES[r.unit] ?? r.unit,
    month: r.month,
    volume: r.volume,
    amountCents: r.amount_cents,
    clients: r.clients,
  });
  // a year's report uses the annual accounts of that year, or else the newest before it
  const riskYear = risk.years.filter((y) => y.year <= year && y.figures).at(-1) ?? null;
  return {
    regionId: scope.regionId,
    regionName: region?.name ?? scope.regionId,
    scopeLabel: scope.label,
    provider,
    year,
    quarter,
    madeOn,
    current: figures(o?.amountCents ?? 0, o?.persons ?? 0, a?.amountCents ?? 0),
    previous: figures(o?.previousAmountCents ?? 0, o?.previousPersons ?? 0, a?.previousAmountCents ?? 0),
    months: monthNumbers.map((m) => {
      const r = ownMonths.rows.find((x) => Number(x.key) === m);
      return { month: m, amountCents: r?.amountCents ?? 0, clients: r?.persons ?? 0 };
    }),
    products: lines.filter((r) => r.year === year && r.product_code !== null).map(toLine),
    previousProducts: lines.filter((r) => r.year === year - 1 && r.product_code !== null).map(toLine),
    waitingTimes: waits.map((w) => ({
      offer: w.offer,
      careType: w.careType,
      location: w.location,
      weeksToIntake: w.weeksToIntake,
      weeksToTreatment: w.weeksToTreatment,
      reportedOn: w.reportedOn,
    })),
    risk: riskYear,
    riskAssumption: risk.assumption,
  };
}

// --- PDF --------------------------------------------------------------------------------------------------

const count = (n: number) => n.toLocaleString('nl-NL');
const pct = (x: number | null, digits = 1) =>
  x === null ? '–' : `${(x * 100).toLocaleString('nl-NL', { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`;
const change = (now: number, before: number) =>
  before > 0 ? `${now >= before ? '+' : ''}${(((now - before) / before) * 100).toLocaleString('nl-NL', { maximumFractionDigits: 1 })}%` : '–';
const dateNl = (iso: string) => `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

interface Col {
  header: string;
  width: number;
  align?: 'left' | 'right';
}
type Doc = PdfDoc;

const LEFT = 50,
  WIDTH = 495,
  BOTTOM = 60;

function heading(doc: Doc, text: string) {
  if (doc.y > doc.page.height - BOTTOM - 80) doc.addPage();
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).fillColor('#154273').text(text, LEFT, doc.y, { width: WIDTH }).fillColor('black').moveDown(0.3);
}

function paragraph(doc: Doc, text: string, opts: { muted?: boolean; size?: number } = {}) {
  doc
    .font('Helvetica')
    .fontSize(opts.size ?? 9)
    .fillColor(opts.muted ? '#555555' : 'black')
    .text(text, LEFT, doc.y, { width: WIDTH })
    .fillColor('black');
}

/** A table with a bold header row, repeated after a page break; rows marked bold are subtotals. */
function table(doc: Doc, cols: Col[], rows: { cells: string[]; bold?: boolean }[]) {
  const pad = 3;
  const drawRow = (cells: string[], bold: boolean, header = false) => {
    doc.font(bold || header ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: cols[i].width - 2 * pad }))) + 2 * pad;
    if (doc.y + h > doc.page.height - BOTTOM) {
      doc.addPage();
      if (!header)
        drawRow(
          cols.map((c) => c.header),
          false,
          true,
        );
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    }
    const y = doc.y;
    if (header) doc.rect(LEFT, y, WIDTH, h).fill('#e8eef5').fillColor('black');
    let x = LEFT;
    cells.forEach((c, i) => {
      doc.text(c, x + pad, y + pad, { width: cols[i].width - 2 * pad, align: cols[i].align ?? 'left' });
      x += cols[i].width;
    });
    doc
      .moveTo(LEFT, y + h)
      .lineTo(LEFT + WIDTH, y + h)
      .lineWidth(header ? 0.8 : 0.3)
      .strokeColor(header ? '#154273' : '#bbbbbb')
      .stroke();
    doc.x = LEFT;
    doc.y = y + h;
  };
  drawRow(
    cols.map((c) => c.header),
    false,
    true,
  );
  for (const r of rows) drawRow(r.cells, r.bold ?? false);
  doc.moveDown(0.3);
}

/** The report as a PDF (A4, Helvetica: the standard fonts every PDF reader has, so nothing needs embedding from outside). */
export async function renderReportPdf(r: ProviderQuarterReport, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = await newPdf({
    size: 'A4',
    margins: { top: 50, bottom: 50, left: LEFT, right: 50 },
    bufferPages: true,
    compress: opts.compress ?? true,
    lang: 'nl-NL',
    info: { Title: `Kwartaalrapportage K${r.quarter} ${r.year} ${r.provider.name}`, Author: 'Regiekamer Jeugd', Subject: `Contractmanagement ${r.regionName}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const qLabel = `K${r.quarter} ${r.year}`,
    pLabel = `K${r.quarter} ${r.year - 1}`;

  doc.font('Helvetica-Bold').fontSize(18).fillColor('#154273').text('Kwartaalrapportage contractmanagement', LEFT, 50, { width: WIDTH });
  doc
    .moveDown(0.3)
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor('black')
    .text(`${r.regionName} · ${r.provider.name} (AGB ${r.provider.agbCode}) · ${qLabel} · gemaakt op ${dateNl(r.madeOn)}`, { width: WIDTH });
  doc.moveDown(0.3);
  paragraph(
    doc,
    `Periode ${dateNl(quarterRange(r.year, r.quarter).from)} tot ${dateNl(quarterRange(r.year, r.quarter).to)}; cijfers voor ${r.scopeLabel}. ` +
      'Bedragen uit geaccepteerde declaratieregels (creditregels negatief), naar de maand waarin de zorgperiode begint. ' +
      'Cliënten zijn unieke jeugdigen, eenmaal geteld per regel van een tabel.',
    { muted: true },
  );

  heading(doc, `Kerncijfers ${qLabel}, vergeleken met ${pLabel}`);
  const c = r.current,
    p = r.previous;
  table(
    doc,
    [
      { header: 'Kerncijfer', width: 195 },
      { header: qLabel, width: 110, align: 'right' },
      { header: pLabel, width: 110, align: 'right' },
      { header: 'Verschil', width: 80, align: 'right' },
    ],
    [
      { cells: ['Bedrag', formatEuro(c.amountCents), formatEuro(p.amountCents), change(c.amountCents, p.amountCents)] },
      { cells: ['Cliënten (eenmaal geteld)', count(c.clients), count(p.clients), change(c.clients, p.clients)] },
      {
        cells: [
          'Gemiddeld per cliënt',
          c.clients ? formatEuro(Math.round(c.amountCents / c.clients)) : '–',
          p.clients ? formatEuro(Math.round(p.amountCents / p.clients)) : '–',
          '',
        ],
      },
      { cells: [`Aandeel in het geld van ${r.scopeLabel}`, pct(c.share, 2), pct(p.share, 2), ''] },
      { cells: [`Totaal ${r.scopeLabel}`, formatEuro(c.regionAmountCents), formatEuro(p.regionAmountCents), change(c.regionAmountCents, p.regionAmountCents)] },
    ],
  );

  heading(doc, `Per maand, ${qLabel}`);
  table(
    doc,
    [
      { header: 'Maand', width: 215 },
      { header: 'Bedrag', width: 160, align: 'right' },
      { header: 'Cliënten', width: 120, align: 'right' },
    ],
    [
      ...r.months.map((m) => ({ cells: [`${MONTHS[m.month - 1]} ${r.year}`, formatEuro(m.amountCents), count(m.clients)] })),
      { cells: [`Kwartaal (cliënten eenmaal geteld)`, formatEuro(c.amountCents), count(c.clients)], bold: true },
    ],
  );

  heading(doc, `Volume en bedrag per product en maand, ${qLabel}`);
  if (!r.products.length) paragraph(doc, 'Geen declaraties in dit kwartaal.');
  else {
    const rows: { cells: string[]; bold?: boolean }[] = [];
    for (const total of r.products.filter((x) => x.month === null)) {
      for (const m of r.products.filter((x) => x.productCode === total.productCode && x.month !== null)) {
        rows.push({ cells: [`${m.productCode} ${m.productName}`, MONTHS[m.month! - 1], count(m.volume), m.unit, formatEuro(m.amountCents), count(m.clients)] });
      }
      rows.push({
        cells: [`${total.productCode} totaal`, 'kwartaal', count(total.volume), total.unit, formatEuro(total.amountCents), count(total.clients)],
        bold: true,
      });
    }
    table(
      doc,
      [
        { header: 'Product', width: 170 },
        { header: 'Maand', width: 60 },
        { header: 'Volume', width: 60, align: 'right' },
        { header: 'Eenheid', width: 60 },
        { header: 'Bedrag', width: 90, align: 'right' },
        { header: 'Cliënten', width: 55, align: 'right' },
      ],
      rows,
    );
  }

  heading(doc, `Vergelijking per product met ${pLabel}`);
  const codes = [...new Set([...r.products, ...r.previousProducts].filter((x) => x.month === null).map((x) => x.productCode))].sort();
  if (!codes.length) paragraph(doc, 'Geen declaraties in beide kwartalen.');
  else {
    table(
      doc,
      [
        { header: 'Product', width: 165 },
        { header: `Bedrag ${qLabel}`, width: 90, align: 'right' },
        { header: `Bedrag ${pLabel}`, width: 90, align: 'right' },
        { header: 'Verschil', width: 50, align: 'right' },
        { header: `Cliënten ${r.year}`, width: 50, align: 'right' },
        { header: `Cliënten ${r.year - 1}`, width: 50, align: 'right' },
      ],
      codes.map((code) => {
        const now = r.products.find((x) => x.productCode === code && x.month === null),
          before = r.previousProducts.find((x) => x.productCode === code && x.month === null);
        return {
          cells: [
            `${code} ${(now ?? before)!.productName}`,
            formatEuro(now?.amountCents ?? 0),
            formatEuro(before?.amountCents ?? 0),
            change(now?.amountCents ?? 0, before?.amountCents ?? 0),
            count(now?.clients ?? 0),
            count(before?.clients ?? 0),
          ],
        };
      }),
    );
  }

  heading(doc, 'Wachttijden (zoals de aanbieder ze publiceert)');
  if (!r.waitingTimes.length) paragraph(doc, 'Geen wachttijden bekend voor deze aanbieder.');
  else {
    table(
      doc,
      [
        { header: 'Aanbod', width: 140 },
        { header: 'Type', width: 85 },
        { header: 'Locatie', width: 80 },
        { header: 'Intake (wk)', width: 60, align: 'right' },
        { header: 'Behandeling (wk)', width: 70, align: 'right' },
        { header: 'Gemeld', width: 60 },
      ],
      r.waitingTimes.map((w) => ({
        cells: [
          w.offer,
          w.careType,
          w.location || '–',
          w.weeksToIntake === null ? '–' : w.weeksToIntake.toLocaleString('nl-NL'),
          w.weeksToTreatment === null ? '–' : w.weeksToTreatment.toLocaleString('nl-NL'),
          w.reportedOn,
        ],
      })),
    );
  }

  const risk = r.risk;
  heading(doc, `Financiële signalen${risk ? ` (jaarcijfers ${risk.year})` : ''}`);
  if (!risk || !risk.figures) paragraph(doc, `Geen jaarcijfers bekend tot en met ${r.year}.`);
  else {
    const flagOf = (ratio: Ratio) =>
      risk.flags
        .filter((f) => f.ratio === ratio)
        .map((f) => `SIGNAAL: ${f.label}`)
        .join('; ') || 'geen signaal';
    const ratioRow = (ratio: Ratio, v: number | null) => ({ cells: [RATIO_NAMES[ratio], formatRatio(ratio, v), flagOf(ratio)] });
    table(
      doc,
      [
        { header: 'Kengetal', width: 175 },
        { header: 'Waarde', width: 100, align: 'right' },
        { header: 'Signaal', width: 220 },
      ],
      [
        ratioRow('solvency', risk.solvency),
        ratioRow('current_ratio', risk.currentRatio),
        ratioRow('return', risk.returnRatio),
        ratioRow('staff_cost_per_fte', risk.staffCostPerFteCents),
        ratioRow('dependency', risk.dependency),
        ...(risk.stress ? [ratioRow('stressed_return', risk.stress.returnRatio)] : []),
      ],
    );
    paragraph(
      doc,
      `${r.riskAssumption} Bron van de jaarcijfers: ${risk.figures.source} (ingevoerd door ${risk.figures.enteredBy} op ${risk.figures.enteredOn}).`,
      { muted: true, size: 8 },
    );
  }

  doc.moveDown(1);
  paragraph(
    doc,
    'Bron: de database van Regiekamer Jeugd. Kerncijfers en maanden komen uit dezelfde query als het dashboard (kosten per kwartaal en per maand); ' +
      'de tabellen per product tellen op tot dezelfde bedragen.',
    { muted: true, size: 8 },
  );

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not start a new page
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor('#555555')
      .text(`${r.provider.name} · ${qLabel} · pagina ${i + 1} van ${range.count}`, LEFT, doc.page.height - 35, {
        width: WIDTH,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
