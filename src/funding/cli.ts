// `npx regiekamer funding statement --region R --provider AGB --year Y [--json|--pdf FILE]`: the year-end statement of
// one provider, as the region sees it (the latest closed statement when the year is closed, else the live calculation).
import { writeFileSync } from 'node:fs';
import type { Db } from '../db/index.ts';
import { typed } from '../db/query.ts';
import { formatEuro } from '../core/money.ts';
import { closedStatements, computeStatement, type Statement } from './store.ts';
import { statementPdf } from './statement-pdf.ts';
import { currentYear } from '../core/dates.ts';

export async function statementCommand(db: Db, o: { region: string; provider: string; year?: string; json?: boolean; pdf?: string }): Promise<string> {
  const p = await typed(db).selectFrom('provider').select(['id']).where('agb_code', '=', o.provider.padEnd(8)).executeTakeFirst();
  if (!p) throw new Error(`Aanbieder met AGB-code ${o.provider} bestaat niet`);
  const region = await typed(db).selectFrom('region').select(['demo_year']).where('id', '=', o.region).executeTakeFirst();
  if (!region) throw new Error(`Regio '${o.region}' bestaat niet`);
  const year = o.year ? Number(o.year) : (region.demo_year ?? currentYear());
  const scope = { regionId: o.region, municipalityCode: null, providerId: null };
  const closed = (await closedStatements(db, scope, p.id, year))[0];
  const st = closed?.body ?? (await computeStatement(db, scope, p.id, year));
  if (o.pdf) {
    writeFileSync(o.pdf, await statementPdf(st, closed ? { id: closed.id, closedAt: closed.closedAt } : null));
    return `Afrekening ${year} van ${st.providerName} geschreven naar ${o.pdf}`;
  }
  if (o.json)
    return JSON.stringify({ closed: closed ? { id: closed.id, closedAt: closed.closedAt, supersedesId: closed.supersedesId } : null, statement: st }, null, 2);
  return statementText(st, closed ? `gesloten op ${closed.closedAt.slice(0, 10)} (nr. ${closed.id})` : 'voorlopig: het jaar is nog niet afgesloten');
}

export function statementText(st: Statement, status: string): string {
  const out = [`Jaarafrekening ${st.year}: ${st.providerName} (AGB ${st.agb}), regio ${st.regionId}; ${status}`];
  for (const c of st.contracts) {
    out.push('', `${c.segmentName} (${c.segmentCode}) · ${c.fundingForm} · ${c.executionVariant}`);
    for (const s of c.settlement.steps)
      out.push(
        `  ${(s.label + (s.detail ? ` (${s.detail})` : '')).padEnd(70)} ${s.amountCents === 0 && s.detail ? '' : formatEuro(s.amountCents).padStart(18)}`,
      );
    for (const w of c.settlement.warnings) out.push(`  let op: ${w}`);
  }
  out.push(
    '',
    `Totaal uitkomst ${formatEuro(st.totals.outcomeCents)}, betaald ${formatEuro(st.totals.paidCents)}, ${st.totals.settlementCents >= 0 ? 'nog te betalen' : 'terug te vorderen'} ${formatEuro(Math.abs(st.totals.settlementCents))}`,
  );
  return out.join('\n');
}
