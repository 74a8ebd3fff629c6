// What happened to a message, in words a municipality or provider reads at a glance (issue 18): a declaration is
// accepted, partly accepted or rejected (a file whose 40 lines were all rejected is not "Verwerkt"); a JW325 answer
// reports the lines it sends back (not "0 van 5 goedgekeurd"); a JW301 lists the allocations it carried. The
// summaries of rejections per rule and per provider come from the stored findings of the lines.
import type { DataScope } from '../access/roles.ts';
import type { Db } from '../db/index.ts';
import { inScope, sql, typed } from '../db/query.ts';
import { RETOURCODES } from './retourcodes.ts';
import type { MessageRow } from './store.ts';

export type Outcome = 'goedgekeurd' | 'deels' | 'afgewezen' | 'verwerkt' | 'verzonden';

/** The outcome of a message and its one-line description (pure: from the totals the store keeps). */
export function messageOutcome(m: Pick<MessageRow, 'type' | 'direction' | 'status' | 'lines' | 'acceptedLines' | 'rejectedLines'>): {
  outcome: Outcome;
  outcomeText: string;
} {
  const n = (x: number, one: string, many: string) => `${x.toLocaleString('nl-NL')} ${x === 1 ? one : many}`;
  if (m.direction === 'out') {
    if (m.type === 'JW325') {
      return {
        outcome: 'verzonden',
        outcomeText:
          m.lines === 0
            ? 'Verzonden: alle regels goedgekeurd, geen regels teruggemeld'
            : `Verzonden: ${n(m.lines, 'afgekeurde regel', 'afgekeurde regels')} teruggemeld aan de aanbieder`,
      };
    }
    if (m.type === 'JW301') return { outcome: 'verzonden', outcomeText: `Verzonden: ${n(m.lines, 'toewijzing', 'toewijzingen')}` };
    return { outcome: 'verzonden', outcomeText: 'Verzonden' };
  }
  if (m.type === 'JW323') {
    if (m.status === 'afgewezen')
      return { outcome: 'afgewezen', outcomeText: `Afgewezen: het hele bericht is afgekeurd, geen van de ${n(m.lines, 'regel', 'regels')} geboekt` };
    if (m.lines > 0 && m.acceptedLines === 0)
      return { outcome: 'afgewezen', outcomeText: `Afgewezen: alle ${n(m.lines, 'regel', 'regels')} afgekeurd, niets geboekt` };
    if (m.rejectedLines > 0)
      return {
        outcome: 'deels',
        outcomeText: `Deels goedgekeurd: ${m.acceptedLines.toLocaleString('nl-NL')} van ${n(m.lines, 'regel', 'regels')} geboekt, ${m.rejectedLines.toLocaleString('nl-NL')} afgekeurd`,
      };
    return { outcome: 'goedgekeurd', outcomeText: `Goedgekeurd: alle ${n(m.lines, 'regel', 'regels')} geboekt` };
  }
  if (m.status === 'afgewezen') return { outcome: 'afgewezen', outcomeText: 'Afgewezen: niets verwerkt' };
  const what =
    m.type === 'JW301'
      ? n(m.lines, 'toewijzing', 'toewijzingen')
      : m.type === 'JW315' || m.type === 'JW317'
        ? n(m.lines, 'aangevraagd product', 'aangevraagde producten')
        : n(m.lines, 'regel', 'regels');
  return { outcome: 'verwerkt', outcomeText: `Verwerkt: ${what}` };
}

export interface RuleSummary {
  code: string;
  retourcode: string;
  text: string;
  lines: number;
  amountCents: number;
}
export interface ProviderSummary {
  providerId: number | null;
  providerName: string;
  messages: number;
  lines: number;
  acceptedLines: number;
  rejectedLines: number;
  rejectedAmountCents: number;
}

const signed = sql<number>`CASE l.debit_credit WHEN 'C' THEN -l.amount_cents ELSE l.amount_cents END`;
const ruleText = (retourcode: string, text: string) => RETOURCODES[retourcode] ?? text;

/**
 * Rejected lines per rule, for one declaration (its id, or the id of the JW325 that answers it) or for every declaration in
 * the scope (of a year when given). A line with two findings counts under both rules.
 */
export async function rejectionsByRule(db: Db, scope: DataScope, q: { messageId?: number; year?: number }): Promise<RuleSummary[]> {
  const rows = await typed(db)
    .selectFrom('ijw_declaration_line as l')
    .innerJoin('ijw_message as m', 'm.id', 'l.message_id')
    .innerJoin('municipality as mu', 'mu.code', 'm.municipality_code')
    .innerJoin(sql<{ value: unknown }>`jsonb_array_elements(l.findings)`.as('f'), (j) => j.onTrue())
    .select([
      sql<string>`f.value->>'code'`.as('code'),
      sql<string>`f.value->>'retourcode'`.as('retourcode'),
      sql<string>`min(f.value->>'text')`.as('text'),
      sql<number>`count(*)::int`.as('lines'),
      sql<string>`COALESCE(sum(${signed}), 0)::int8`.as('amount'),
    ])
    .where(inScope(scope, { region: 'mu.region_id', municipality: 'm.municipality_code', provider: 'm.provider_id' }))
    .where('l.status', '=', 'afgewezen')
    .where('m.message_type', '=', 'JW323')
    // a JW325 answers a JW323: its rules are those of the lines it sends back
    .$if(q.messageId !== undefined, (b) =>
      b.where(
        sql<boolean>`l.message_id = COALESCE((SELECT a.answer_to_id FROM ijw_message a WHERE a.id = ${q.messageId!} AND a.message_type = 'JW325'), ${q.messageId!})`,
      ),
    )
    .$if(q.year !== undefined, (b) => b.where(sql<boolean>`l.period_start >= ${`${q.year}-01-01`}::date AND l.period_start < ${`${q.year! + 1}-01-01`}::date`))
    .groupBy([sql`1`, sql`2`])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(sql`1`)
    .execute();
  return rows.map((r) => ({ code: r.code, retourcode: r.retourcode, text: ruleText(r.retourcode, r.text), lines: r.lines, amountCents: Number(r.amount) }));
}

/** Received declarations per provider: lines accepted and rejected, and the money rejected (of a year when given). */
export async function rejectionsByProvider(db: Db, scope: DataScope, q: { year?: number }): Promise<ProviderSummary[]> {
  const rows = await typed(db)
    .selectFrom('ijw_message as m')
    .innerJoin('municipality as mu', 'mu.code', 'm.municipality_code')
    .leftJoin('provider as pr', 'pr.id', 'm.provider_id')
    .select([
      'm.provider_id as providerId',
      sql<string>`COALESCE(pr.name, 'onbekende aanbieder')`.as('providerName'),
      sql<number>`count(*)::int`.as('messages'),
      sql<number>`sum(m.lines)::int`.as('lines'),
      sql<number>`sum(m.accepted_lines)::int`.as('acceptedLines'),
      sql<number>`sum(m.rejected_lines)::int`.as('rejectedLines'),
      sql<string>`sum(m.amount_cents - m.accepted_amount_cents)::int8`.as('rejectedAmount'),
    ])
    .where(inScope(scope, { region: 'mu.region_id', municipality: 'm.municipality_code', provider: 'm.provider_id' }))
    .where('m.message_type', '=', 'JW323')
    .where('m.direction', '=', 'in')
    .$if(q.year !== undefined, (b) =>
      b.where(
        sql<boolean>`COALESCE(m.period_start, m.dagtekening) >= ${`${q.year}-01-01`}::date AND COALESCE(m.period_start, m.dagtekening) < ${`${q.year! + 1}-01-01`}::date`,
      ),
    )
    .groupBy(['m.provider_id', 'pr.name'])
    .orderBy(sql`sum(m.rejected_lines)`, 'desc')
    .orderBy(sql`COALESCE(pr.name, '')`)
    .execute();
  return rows.map((r) => ({ ...r, rejectedAmountCents: Number(r.rejectedAmount), rejectedAmount: undefined })).map(({ rejectedAmount: _r, ...r }) => r);
}

export interface AllocationSummary {
  assignmentNumber: string;
  youthId: number;
  youthPseudonym: string;
  productCode: string;
  productName: string;
  startDate: string;
  endDate: string | null;
  volume: number | null;
  unit: string;
  frequency: string | null;
  budgetCents: number | null;
  status: string;
}

/** The allocations a JW301 carried (received or written), in the caller's scope. */
export async function messageAllocations(db: Db, scope: DataScope, messageId: number): Promise<AllocationSummary[]> {
  const rows = await typed(db)
    .selectFrom('ijw_allocation_message as am')
    .innerJoin('allocation as a', 'a.id', 'am.allocation_id')
    .innerJoin('municipality as mu', 'mu.code', 'a.municipality_code')
    .innerJoin('youth as y', 'y.id', 'a.youth_id')
    .innerJoin('product as p', 'p.id', 'a.product_id')
    .select([
      'a.assignment_number as assignmentNumber',
      'y.id as youthId',
      'y.pseudonym as youthPseudonym',
      'p.code as productCode',
      'p.name as productName',
      sql<string>`to_char(a.start_date, 'YYYY-MM-DD')`.as('startDate'),
      sql<string | null>`to_char(a.end_date, 'YYYY-MM-DD')`.as('endDate'),
      'a.volume',
      sql<string>`trim(a.unit)`.as('unit'),
      sql<string | null>`trim(a.frequency)`.as('frequency'),
      'a.budget_cents as budget',
      'a.status',
    ])
    .where(inScope(scope, { region: 'mu.region_id', municipality: 'a.municipality_code', provider: 'a.provider_id' }))
    .where('am.message_id', '=', messageId)
    .orderBy('a.assignment_number')
    .execute();
  return rows.map(({ budget, ...r }) => ({ ...r, youthId: Number(r.youthId), budgetCents: budget === null ? null : Number(budget) }));
}
