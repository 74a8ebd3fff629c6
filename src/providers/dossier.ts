// A provider's dossier: the agenda of the quarterly conversation, generated from figures Regiekamer already holds
// (money, clients, the same quarter a year before, published waiting times, risk flags from the annual accounts,
// evidence that expires, admissions, enforcement), and the enforcement ladder (seed 003: waarschuwingsbrief,
// ingebrekestelling, cliëntenstop, ontbinding, contractovername) as ordered, dated steps with their letter as PDF.
import { newPdf } from '../core/pdf.ts';
import type { Db } from '../db/index.ts';
import { typed } from '../db/query.ts';
import type { Account, DataScope } from '../access/roles.ts';
import { AppError, badRequest, forbidden, notFound } from '../core/errors.ts';
import { formatEuro } from '../core/money.ts';
import { latestQuarter, providerQuarterReport } from '../monitoring/index.ts';
import { createHash } from 'node:crypto';
import { insertDocument } from './documents.ts';
import { agreementFact, openAgreementsBefore } from './conversations.ts';

export const LADDER = [
  { step: 'waarschuwing', label: 'Waarschuwingsbrief' },
  { step: 'ingebrekestelling', label: 'Ingebrekestelling' },
  { step: 'clientenstop', label: 'Cliëntenstop' },
  { step: 'ontbinding', label: 'Ontbinding' },
  { step: 'overname', label: 'Contractovername' },
] as const;
export type LadderStep = (typeof LADDER)[number]['step'];
const rungOf = (s: string) => LADDER.findIndex((l) => l.step === s) + 1;
export const stepLabel = (s: string) => LADDER.find((l) => l.step === s)?.label ?? s;

/**
 * The next step must be the next rung of the ladder (the first a warning letter), dated on or after the last one.
 * Returns the reason it is refused, or null.
 */
export function checkLadderStep(previous: { step: string; onDate: string }[], step: string, onDate: string): string | null {
  const rung = rungOf(step);
  if (rung === 0) return `stap '${step}' bestaat niet (${LADDER.map((l) => l.step).join(', ')})`;
  const last = previous.reduce<{ step: string; onDate: string } | null>((a, p) => (!a || rungOf(p.step) > rungOf(a.step) ? p : a), null);
  const lastRung = last ? rungOf(last.step) : 0;
  if (rung !== lastRung + 1) {
    return last
      ? `na een ${stepLabel(last.step).toLowerCase()} (${last.onDate}) is de volgende stap een ${stepLabel(LADDER[lastRung]?.step ?? '').toLowerCase() || '— de ladder is doorlopen'}, niet een ${stepLabel(step).toLowerCase()}`
      : `de eerste stap is een waarschuwingsbrief, niet een ${stepLabel(step).toLowerCase()}`;
  }
  if (last && onDate < last.onDate) return `datum ${onDate} ligt voor de vorige stap (${last.onDate})`;
  return null;
}

function assertReadable(scope: DataScope, providerId: number) {
  if (scope.providerId !== null && scope.providerId !== providerId) throw notFound(`Aanbieder ${providerId}`);
}

export async function ladder(db: Db, scope: DataScope, providerId: number) {
  assertReadable(scope, providerId);
  const rows = await typed(db)
    .selectFrom('enforcement_step as e')
    .leftJoin('segment as s', 's.id', 'e.segment_id')
    .select([
      'e.id',
      'e.step',
      'e.on_date',
      'e.ends_on',
      'e.reason',
      'e.remedy_days',
      's.code as segment_code',
      's.name as segment_name',
      'e.decided_by',
      'e.document_id',
    ])
    .where('e.region_id', '=', scope.regionId)
    .where('e.provider_id', '=', providerId)
    .orderBy('e.rung')
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    step: r.step,
    label: stepLabel(r.step),
    onDate: String(r.on_date).slice(0, 10),
    reason: r.reason,
    remedyDays: r.remedy_days,
    segment: r.segment_code ? { code: r.segment_code, name: r.segment_name! } : null,
    decidedBy: r.decided_by,
    letter: r.step === 'waarschuwing' || r.step === 'ingebrekestelling',
    documentId: r.document_id === null ? null : Number(r.document_id),
    endsOn: r.ends_on === null ? null : String(r.ends_on).slice(0, 10),
  }));
}

/**
 * Lifts a client stop from a date on (exclusive end: from `endsOn` new allocations pass again; the iJW import asks
 * `clientStopFor`). Only a client stop can be lifted, once, after the day it began; the step itself stays on the ladder.
 */
export async function liftClientStop(db: Db, scope: DataScope, providerId: number, stepId: number, endsOn: string) {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('Alleen de regio heft een cliëntenstop op');
  const step = (await ladder(db, scope, providerId)).find((s) => s.id === stepId);
  if (!step) throw notFound(`Stap ${stepId}`);
  if (step.step !== 'clientenstop')
    throw new AppError(
      409,
      'Geen cliëntenstop',
      `alleen een cliëntenstop kan worden opgeheven, dit is een ${step.label.toLowerCase()}`,
      'stepId',
      'geen-clientenstop',
    );
  if (step.endsOn) throw new AppError(409, 'Al opgeheven', `deze cliëntenstop is al opgeheven per ${step.endsOn}`, 'endsOn', 'al-opgeheven');
  if (endsOn <= step.onDate) throw badRequest(`de opheffing moet na het begin van de cliëntenstop (${step.onDate}) liggen`, 'endsOn');
  await typed(db).updateTable('enforcement_step').set({ ends_on: endsOn }).where('id', '=', stepId).where('region_id', '=', scope.regionId).execute();
}

export async function addLadderStep(
  db: Db,
  scope: DataScope,
  account: Account,
  providerId: number,
  input: { step: string; onDate: string; reason: string; remedyDays?: number | null; segmentCode?: string | null },
) {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('Alleen de regio zet een stap op de handhavingsladder');
  const p = await typed(db).selectFrom('provider').select('id').where('id', '=', providerId).executeTakeFirst();
  if (!p) throw notFound(`Aanbieder ${providerId}`);
  if (!input.reason.trim()) throw badRequest('geef de reden (de tekortkoming)', 'reason');
  const previous = (await ladder(db, scope, providerId)).map((s) => ({ step: s.step, onDate: s.onDate }));
  const problem = checkLadderStep(previous, input.step, input.onDate);
  if (problem) throw new AppError(409, 'Niet in volgorde', problem, 'step', 'ladder-volgorde');
  if (input.step === 'ingebrekestelling' && !input.remedyDays) throw badRequest('geef de termijn (dagen) waarbinnen de aanbieder moet nakomen', 'remedyDays');
  let segmentId: number | null = null;
  if (input.segmentCode) {
    const s = await typed(db)
      .selectFrom('segment')
      .select('id')
      .where('region_id', '=', scope.regionId)
      .where('code', '=', input.segmentCode)
      .executeTakeFirst();
    if (!s) throw badRequest(`segment '${input.segmentCode}' bestaat niet`, 'segmentCode');
    segmentId = s.id;
  }
  // the step and, for a warning or notice of default, its letter as a stored document: one change
  return db.transaction(async (tx) => {
    const { id } = await typed(tx)
      .insertInto('enforcement_step')
      .values({
        region_id: scope.regionId,
        provider_id: providerId,
        step: input.step,
        rung: rungOf(input.step),
        on_date: input.onDate,
        reason: input.reason.trim(),
        remedy_days: input.remedyDays ?? null,
        segment_id: segmentId,
        decided_by: account.displayName,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.step === 'waarschuwing' || input.step === 'ingebrekestelling') {
      const { pdf, fileName } = await ladderLetter(tx, scope, providerId, id);
      const documentId = await insertDocument(
        tx,
        scope.regionId,
        providerId,
        'brief',
        { fileName, mediaType: 'application/pdf', bytes: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') },
        pdf,
        account,
      );
      await typed(tx).updateTable('enforcement_step').set({ document_id: documentId }).where('id', '=', id).execute();
    }
    return id;
  });
}

const dateNl = (d: string) =>
  new Date(`${d}T12:00:00Z`).toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The letter of a warning or notice of default as PDF (A4, standard fonts). */
export async function ladderLetter(db: Db, scope: DataScope, providerId: number, stepId: number): Promise<{ pdf: Buffer; fileName: string }> {
  const step = (await ladder(db, scope, providerId)).find((s) => s.id === stepId);
  if (!step) throw notFound(`Stap ${stepId}`);
  if (!step.letter) throw badRequest(`bij een ${step.label.toLowerCase()} hoort geen standaardbrief`, 'stepId');
  const q = typed(db);
  const provider = await q.selectFrom('provider').select(['name', 'agb_code', 'kvk_number']).where('id', '=', providerId).executeTakeFirstOrThrow();
  const address = await q
    .selectFrom('location')
    .select(['street', 'house_number', 'postcode', 'city'])
    .where('provider_id', '=', providerId)
    .where('street', '<>', '')
    .orderBy('id')
    .executeTakeFirst();
  const region = await q.selectFrom('region').select('name').where('id', '=', scope.regionId).executeTakeFirstOrThrow();
  const doc = await newPdf({
    size: 'A4',
    margins: { top: 60, bottom: 60, left: 70, right: 70 },
    lang: 'nl-NL',
    info: { Title: `${step.label} ${provider.name}`, Author: `Regiekamer Jeugd ${region.name}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(14).fillColor('#154273').text(`Jeugdzorgregio ${region.name}`);
  doc.font('Helvetica').fontSize(10).fillColor('black').text('Regionale inkoop en contractmanagement jeugdhulp').moveDown(2);
  doc.text(provider.name);
  if (address) {
    doc.text(`${address.street} ${address.house_number}`.trim());
    doc.text(`${address.postcode ? `${address.postcode.slice(0, 4)} ${address.postcode.slice(4)} ` : ''}${address.city}`);
  }
  doc.moveDown(1.5).text(`Datum: ${dateNl(step.onDate)}`);
  doc.text(`Kenmerk: ${scope.regionId}/handhaving/${providerId}/${step.id}`);
  doc.text(`Betreft: ${step.label.toLowerCase()}${step.step === 'ingebrekestelling' ? ' (artikel 6:82 Burgerlijk Wetboek)' : ''}`).moveDown(1.5);
  doc.text('Geachte directie,').moveDown();
  doc
    .text(
      `U heeft met de gemeenten van jeugdzorgregio ${region.name} een overeenkomst voor het leveren van jeugdhulp${provider.agb_code ? ` (AGB-code ${provider.agb_code.trim()})` : ''}. ` +
        'Wij stellen vast dat u de volgende verplichting uit die overeenkomst niet nakomt:',
      { align: 'left' },
    )
    .moveDown(0.5);
  doc.font('Helvetica-Oblique').text(step.reason, { indent: 20 }).font('Helvetica').moveDown();
  if (step.step === 'ingebrekestelling') {
    const deadline = addDays(step.onDate, step.remedyDays ?? 14);
    doc
      .text(
        `Hierbij stellen wij u in gebreke. Wij geven u tot en met ${dateNl(deadline)} (${step.remedyDays} dagen) de gelegenheid de tekortkoming te herstellen en ons dat schriftelijk aan te tonen. ` +
          'Komt u na die datum de verplichting niet na, dan bent u in verzuim en kunnen wij zonder nadere ingebrekestelling maatregelen nemen: een cliëntenstop, het (gedeeltelijk) ontbinden van de overeenkomst en het vorderen van schadevergoeding.',
      )
      .moveDown();
  } else {
    doc
      .text(
        'Met deze brief waarschuwen wij u. Wij verwachten dat u de tekortkoming binnen een redelijke termijn herstelt en ons laat weten welke maatregelen u neemt. ' +
          'Blijft herstel uit, dan is de volgende stap een ingebrekestelling.',
      )
      .moveDown();
  }
  doc.text('Wij bespreken dit graag met u in het eerstvolgende contractgesprek. Heeft u vragen, neem dan contact op met uw contractmanager.').moveDown(2);
  doc.text('Met vriendelijke groet,').moveDown(2);
  doc.text(step.decidedBy);
  doc.text(`namens de gemeenten van jeugdzorgregio ${region.name}`);
  doc.end();
  return { pdf: await done, fileName: `${step.step}-${providerId}-${step.onDate}.pdf` };
}

/**
 * The agenda of the quarterly conversation, from the figures Regiekamer holds: each item a heading and the facts
 * that put it on the agenda (with their figures), newest quarter with declarations unless one is given.
 */
export async function quarterAgenda(db: Db, scope: DataScope, providerId: number, today: string, when?: { year: number; quarter: number }) {
  assertReadable(scope, providerId);
  const { year, quarter } = when ?? (await latestQuarter(db, scope, providerId));
  const report = await providerQuarterReport(db, scope, providerId, year, quarter, today);
  const items: { topic: string; facts: string[] }[] = [];
  const c = report.current,
    p = report.previous;
  const change = (a: number, b: number) => (b ? `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1).replace('.', ',')}%` : 'nieuw');
  items.push({
    topic: 'Volume, geld en cliënten',
    facts: [
      `K${quarter} ${year}: ${formatEuro(c.amountCents)} voor ${c.clients} cliënten (K${quarter} ${year - 1}: ${formatEuro(p.amountCents)}, ${p.clients} cliënten; ${change(c.amountCents, p.amountCents)} in geld)`,
      ...(c.share !== null ? [`aandeel in het geld van ${report.scopeLabel}: ${(c.share * 100).toFixed(2).replace('.', ',')}%`] : []),
      ...report.products
        .filter((x) => x.month === null)
        .sort((a, b) => b.amountCents - a.amountCents)
        .slice(0, 3)
        .map((x) => `${x.productName} (${x.productCode}): ${formatEuro(x.amountCents)}, ${x.clients} cliënten`),
    ],
  });
  if (c.clients && p.clients && c.amountCents / c.clients > (p.amountCents / p.clients) * 1.1) {
    items.push({
      topic: 'Kosten per cliënt gestegen',
      facts: [`gemiddeld ${formatEuro(Math.round(c.amountCents / c.clients))} per cliënt, was ${formatEuro(Math.round(p.amountCents / p.clients))}`],
    });
  }
  if (report.waitingTimes.length) {
    items.push({
      topic: 'Wachttijden',
      facts: report.waitingTimes
        .slice(0, 5)
        .map(
          (w) =>
            `${w.offer}${w.location ? ` (${w.location})` : ''}: ${w.weeksToIntake ?? '–'} weken tot intake, ${w.weeksToTreatment ?? '–'} tot behandeling (peildatum ${w.reportedOn})`,
        ),
    });
  }
  const flags = (report.risk as unknown as { flags?: { text: string }[] } | null)?.flags ?? [];
  if (flags.length) items.push({ topic: `Financiële signalen (jaarrekening ${report.risk!.year})`, facts: flags.map((f) => f.text) });
  const q = typed(db);
  const expiring = await q
    .selectFrom('admission_evidence as e')
    .innerJoin('admission_application as a', 'a.id', 'e.application_id')
    .select(['e.requirement', 'e.valid_until'])
    .where('a.provider_id', '=', providerId)
    .where('a.region_id', '=', scope.regionId)
    .where('e.valid_until', 'is not', null)
    .where('e.valid_until', '<=', addDays(today, 90))
    .execute();
  if (expiring.length)
    items.push({ topic: 'Bewijs dat (bijna) verloopt', facts: expiring.map((e) => `${e.requirement}: geldig tot ${String(e.valid_until).slice(0, 10)}`) });
  const steps = await ladder(db, scope, providerId);
  if (steps.length) items.push({ topic: 'Handhaving', facts: steps.map((s) => `${s.label} op ${s.onDate}: ${s.reason}`) });
  const open = await openAgreementsBefore(db, scope, providerId, year, quarter, today);
  items.push({ topic: 'Afspraken van het vorige gesprek en rondvraag', facts: open.length ? open.map(agreementFact) : ['geen openstaande afspraken'] });
  return { providerId, providerName: report.provider.name, year, quarter, items };
}
