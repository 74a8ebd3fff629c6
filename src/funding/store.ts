// Funding's tables: contract terms (contract, extended by migration 010), payments, quarterly figures, cost
// statements, cost keys and year-end statements; and the yearly position of every contract computed from them and
// from the declaration ledger. Every query is scoped (inScope) or says why not (unscoped).
import type { Db } from '../db/index.ts';
import { ROWS_PER_STATEMENT, yieldToEventLoop } from '../core/work.ts';
import { typed, inScope, unscoped, registerScopedTables, sql, type Scope } from '../db/query.ts';
import type { SelectQueryBuilder } from 'kysely';
import { cachedFigures } from '../monitoring/index.ts';
import { AppError, badRequest, invalidRows, notFound, type FieldError } from '../core/errors.ts';
import {
  settlePQ,
  settleLumpsum,
  settleAvailability,
  settleRealCosts,
  shareCost,
  commitmentCents,
  contractInForce,
  judgeLineVariant,
  judgeTrajectoryLine,
  judgeBillingMoment,
  profileOf,
  settleProfile,
  settleTrajectory,
  FundingRuleError,
  EXECUTION_VARIANT,
  KEY_LABEL,
  type Settlement,
  type FundingForm,
  type OutsideBand,
  type KeyMethod,
  type Band,
  type VariantContract,
  type ExecutionVariant,
  type BillingMoment,
} from './rules.ts';
import { validateContractFunding, type ContractFundingInput, type QuarterFigureInput } from './terms.ts';

registerScopedTables('funding_payment', 'funding_figure', 'funding_cost_line', 'funding_statement');

/**
 * Contracts are the region's: every municipality of the region co-funds them, so a municipality reads the region's
 * contract rows (its own money is its share). A provider reads only its own. This is the scope for contract-level
 * tables; the ledger by municipality keeps the caller's full scope.
 */
/**
 * An insert into a scoped table cannot carry a WHERE: these inserts write rows of a contract that was first read
 * through inScope (contractInScope / the figures' contract check), which this mark records for the query guard.
 */
const CONTRACT_CHECKED = sql.raw('/*scope*/');

export function contractScope(scope: Scope): Scope {
  return { regionId: scope.regionId, municipalityCode: null, providerId: scope.providerId };
}

// --- contracts -----------------------------------------------------------------------------------------------
export async function saveContractFunding(db: Db, regionId: string, input: ContractFundingInput, contractId?: number): Promise<number> {
  const c = validateContractFunding(input);
  return db.transaction(async (tx) => {
    const q = typed(tx);
    const seg = await q.selectFrom('segment').select(['id', 'funding_form']).where('id', '=', c.segmentId).where('region_id', '=', regionId).executeTakeFirst();
    if (!seg) throw badRequest(`segmentId: segment ${c.segmentId} hoort niet bij regio ${regionId}`, 'segmentId');
    const prov = await q.selectFrom('provider').select('id').where('id', '=', c.providerId).executeTakeFirst();
    if (!prov) throw badRequest(`providerId: aanbieder ${c.providerId} bestaat niet`, 'providerId');
    // conclusion 32 (003): one form per segment; a deviating part becomes a sub-segment
    if (seg.funding_form && seg.funding_form !== c.fundingForm)
      throw badRequest(`fundingForm: segment heeft bekostigingsvorm ${seg.funding_form}; een afwijkend deel wordt een subsegment`, 'fundingForm');
    const overlap = await q
      .selectFrom('contract')
      .select(['id', 'valid_from', 'valid_to'])
      .where('provider_id', '=', c.providerId)
      .where('segment_id', '=', c.segmentId)
      .where('id', '<>', contractId ?? 0)
      .where((eb) => eb.and([eb(sql`COALESCE(valid_to, '9999-12-31'::date)`, '>', c.validFrom), eb('valid_from', '<', c.validTo ?? '9999-12-31')]))
      .executeTakeFirst();
    if (overlap)
      throw badRequest(
        `validFrom: overlapt met contract ${overlap.id} (${overlap.valid_from} – ${overlap.valid_to ?? 'open'}) voor dezelfde aanbieder en hetzelfde segment`,
        'validFrom',
      );
    const row = {
      region_id: regionId,
      provider_id: c.providerId,
      segment_id: c.segmentId,
      funding_form: c.fundingForm,
      execution_variant: c.executionVariant,
      valid_from: c.validFrom,
      valid_to: c.validTo,
      lumpsum_cents: c.lumpsumCents,
      bandwidth_pct: c.bandwidthPct === null ? null : c.bandwidthPct.toFixed(2),
      outside_band: c.outsideBand,
      terms: JSON.stringify(c.terms),
      change_reason: c.changeReason,
      cost_key: c.costKey,
    };
    if (contractId) {
      const r = await q.updateTable('contract').set(row).where('id', '=', contractId).where('region_id', '=', regionId).returning('id').executeTakeFirst();
      if (!r) throw notFound(`Contract ${contractId}`);
      return r.id;
    }
    const r = await q
      .insertInto('contract')
      .values({ ...row, status: 'actief' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  });
}

export interface ContractRow {
  id: number;
  providerId: number;
  providerName: string;
  agb: string;
  segmentId: number;
  segmentCode: string;
  segmentName: string;
  fundingForm: FundingForm;
  executionVariant: string;
  validFrom: string;
  validTo: string | null;
  lumpsumCents: number | null;
  bandwidthPct: number | null;
  outsideBand: OutsideBand;
  terms: Record<string, any>;
  changeReason: string;
  costKey: string;
  topSegmentId: number; // the segment whose products the contract covers (a sub-segment's parent)
}

async function contractsOf(db: Db, scope: Scope, year: number, providerId?: number): Promise<ContractRow[]> {
  let query = typed(db)
    .selectFrom('contract as c')
    .innerJoin('provider as p', 'p.id', 'c.provider_id')
    .innerJoin('segment as s', 's.id', 'c.segment_id')
    .select([
      'c.id',
      'c.provider_id',
      'p.name',
      'p.agb_code',
      'c.segment_id',
      's.code',
      's.name as segment_name',
      'c.funding_form',
      'c.execution_variant',
      'c.valid_from',
      'c.valid_to',
      'c.lumpsum_cents',
      'c.bandwidth_pct',
      'c.outside_band',
      'c.terms',
      'c.change_reason',
      'c.cost_key',
      's.parent_id',
    ])
    .where(inScope(contractScope(scope), { region: 'c.region_id', provider: 'c.provider_id' }))
    .where('c.valid_from', '<=', `${year}-12-31`)
    .where((eb) => eb.or([eb('c.valid_to', 'is', null), eb('c.valid_to', '>', `${year}-01-01`)]));
  if (providerId !== undefined) query = query.where('c.provider_id', '=', providerId);
  const rows = await query.orderBy('p.name').orderBy('s.code').execute();
  return rows.map((r) => ({
    id: r.id,
    providerId: r.provider_id,
    providerName: r.name,
    agb: r.agb_code?.trim() ?? '',
    segmentId: r.segment_id,
    segmentCode: r.code,
    segmentName: r.segment_name,
    fundingForm: r.funding_form as FundingForm,
    executionVariant: r.execution_variant ?? EXECUTION_VARIANT[r.funding_form as FundingForm],
    validFrom: String(r.valid_from),
    validTo: r.valid_to === null ? null : String(r.valid_to),
    lumpsumCents: r.lumpsum_cents === null ? null : Number(r.lumpsum_cents),
    bandwidthPct: r.bandwidth_pct === null ? null : Number(r.bandwidth_pct),
    outsideBand: r.outside_band as OutsideBand,
    terms: (typeof r.terms === 'string' ? JSON.parse(r.terms) : r.terms) as Record<string, any>,
    changeReason: r.change_reason,
    costKey: r.cost_key,
    topSegmentId: r.parent_id ?? r.segment_id,
  }));
}

// --- the variant in force, for the iJW layer ----------------------------------------------------------------------
/**
 * A declaration line as the judge needs it: the allocation (the trajectory) with its provider and product, the
 * period's first day, the unit and the amount; `rejected` when another rule already rejected it (it is judged, but
 * it is not booked, so it does not count against the trajectory's price).
 */
export interface LineForVariant {
  providerId: number;
  productId: number;
  allocationId?: number;
  day: string;
  periodEnd?: string;
  unit: string;
  amountCents?: number;
  debitCredit?: 'D' | 'C';
  rejected?: boolean;
}
export type LineJudgement = { code: string; retourcode: string; text: string } | null;
export type LineVariantJudge = (line: LineForVariant) => LineJudgement;

/** The contracts of these providers with the variant each is executed in (contractInForce picks per product and day). */
export async function variantContracts(db: Db, providerIds: number[]): Promise<VariantContract[]> {
  if (!providerIds.length) return [];
  const rows = await typed(db)
    .selectFrom('contract as c')
    .innerJoin('segment as s', 's.id', 'c.segment_id')
    .select([
      'c.id',
      'c.provider_id',
      'c.segment_id',
      's.parent_id',
      's.code',
      'c.funding_form',
      'c.execution_variant',
      'c.valid_from',
      'c.valid_to',
      'c.terms',
    ])
    .where('c.provider_id', 'in', providerIds)
    .where('c.status', '<>', 'aangemeld')
    .execute();
  return rows.map((r) => {
    const terms = (typeof r.terms === 'string' ? JSON.parse(r.terms) : r.terms) as Record<string, any>;
    const profiles = Array.isArray(terms.profiles) ? (terms.profiles as { profile: string; productCode?: string }[]).filter((p) => p.productCode) : [];
    return {
      contractId: r.id,
      providerId: r.provider_id,
      segmentId: r.segment_id,
      topSegmentId: r.parent_id ?? r.segment_id,
      segmentCode: r.code,
      variant: (r.execution_variant ?? EXECUTION_VARIANT[r.funding_form as FundingForm]) as ExecutionVariant,
      validFrom: String(r.valid_from).slice(0, 10),
      validTo: r.valid_to === null ? null : String(r.valid_to).slice(0, 10),
      productCodes: Array.isArray(terms.productCodes) ? (terms.productCodes as string[]) : null,
      profileByProduct: profiles.length ? Object.fromEntries(profiles.map((p) => [p.productCode!, p.profile])) : null,
      priceCents: r.funding_form === 'traject' && typeof terms.priceCents === 'number' ? terms.priceCents : null,
      billingMoments: r.funding_form === 'traject' && Array.isArray(terms.billingMoments) ? (terms.billingMoments as BillingMoment[]) : null,
      monthly: terms.monthly === true,
      useTariffCents: r.funding_form === 'beschikbaarheid' && typeof terms.useTariffCents === 'number' ? terms.useTariffCents : null,
    };
  });
}

/**
 * A trajectory's start and end (its billing moments, BK004, and the statement's settlement per trajectory): the
 * Begindatum of the provider's last JW305 and the Einddatum of its last JW307 for the allocation (same
 * ToewijzingNummer, client, municipality and provider; the message processed; ijw_start_stop, migration 023), when one
 * is present and not withdrawn (StatusAanlevering 3); otherwise the allocation's own dates.
 *
 * Set-based: `lastStartStops` reads the providers' starts and stops once, the last of each kind per allocation key
 * (ToewijzingNummer, client, provider, municipality), and a query over `allocation as a` joins it by that key
 * (`joinTrajectory`), then takes `trajectoryStart()`/`trajectoryEnd()` from it. (A correlated look-up per allocation —
 * and per allocation × contract in the quarterly review's referral count — took 14 s on PGlite over 310,000
 * allocations after a large import and blocked the server that long; BENCHMARKS.md, eighth session.)
 */
// The last row of each kind by (message, line): array_agg ordered newest first, its first element (NULL when that row
// withdraws, StatusAanlevering 3, or a JW307 carries no Einddatum: then the allocation's own date stands, as before).
// Keyed on the ToewijzingNummer as text, as the allocation keeps it (a number with leading zeros does not match).
export const lastStartStops = (providerIds: number[]) => sql<{
  assignment_number: string;
  bsn_hash: string;
  provider_id: number;
  municipality_code: string;
  start_date: string | null;
  end_date: string | null;
}>`(SELECT s.assignment_number::text AS assignment_number, s.bsn_hash, m.provider_id, m.municipality_code,
    (array_agg(CASE WHEN s.delivery_status = '3' THEN NULL ELSE s.begin_date END ORDER BY m.id DESC, s.line_no DESC) FILTER (WHERE s.kind = 'start'))[1] AS start_date,
    (array_agg(CASE WHEN s.delivery_status = '3' THEN NULL ELSE s.end_date END ORDER BY m.id DESC, s.line_no DESC) FILTER (WHERE s.kind = 'stop'))[1] AS end_date
  FROM ijw_start_stop s JOIN ijw_message m ON m.id = s.message_id
  WHERE m.status = 'verwerkt' AND s.assignment_number IS NOT NULL AND m.provider_id IN (${sql.join(providerIds.length ? providerIds : [-1])})
  GROUP BY s.assignment_number, s.bsn_hash, m.provider_id, m.municipality_code)`;
/**
 * Joins each allocation `a` (of `providerIds`) to its client (`y`) and its last start and stop (`t`), for
 * trajectoryStart()/trajectoryEnd(). (The client is the allocation's own: youth_id is NOT NULL and a foreign key.)
 */
export function joinTrajectory<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, providerIds: number[]): QB {
  return (qb as SelectQueryBuilder<any, any, any>)
    .innerJoin('youth as ty', 'ty.id', 'a.youth_id')
    .leftJoin(lastStartStops(providerIds).as('t'), (j) =>
      j
        .onRef('t.assignment_number', '=', 'a.assignment_number')
        .onRef('t.bsn_hash', '=', 'ty.bsn_hash')
        .onRef('t.provider_id', '=', 'a.provider_id')
        .onRef('t.municipality_code', '=', 'a.municipality_code'),
    ) as QB;
}
/** The trajectory's start and end as dates (to compare and group by); trajectoryStart()/trajectoryEnd() as text. */
const trajectoryStartDate = () => sql<string>`COALESCE(t.start_date, a.start_date)`;
const trajectoryEndDate = () => sql<string | null>`COALESCE(t.end_date, a.end_date)`;
const trajectoryStart = () => sql<string>`${trajectoryStartDate()}::text`;
const trajectoryEnd = () => sql<string | null>`${trajectoryEndDate()}::text`;

async function productsOfSegments(db: Db, tops: number[]) {
  if (!tops.length) return new Map<number, { code: string; segmentId: number; topSegmentId: number }>();
  const products = await typed(db)
    .selectFrom('product as p')
    .innerJoin('segment as s', 's.id', 'p.segment_id')
    .select(['p.id', 'p.code', 'p.segment_id', sql<number>`COALESCE(s.parent_id, s.id)`.as('top')])
    .where(sql<boolean>`COALESCE(s.parent_id, s.id) IN (${sql.join(tops)})`)
    .execute();
  return new Map(products.map((p) => [p.id, { code: p.code, segmentId: Number(p.segment_id), topSegmentId: Number(p.top) }]));
}

/**
 * The judge the iJW import asks for every declaration line, in file order, before booking it: does the line fit the
 * execution variant of the provider's contract in force on its period (taakgericht: no declaration per client;
 * outputgericht: output units 82/83), and on a fixed-price contract, does it keep its trajectory (the allocation)
 * within its price (judgeTrajectoryLine, against what was booked before and the lines accepted before it in this
 * message) and bill the agreed moment that is next, once it is reached (judgeBillingMoment)? Null when none of these providers has a contract other than inspanningsgericht: the common case costs one
 * small query.
 */
export async function lineVariantJudge(db: Db, providerIds: number[]): Promise<LineVariantJudge | null> {
  const contracts = await variantContracts(db, providerIds);
  if (!contracts.some((c) => c.variant !== 'inspanningsgericht')) return null;
  const byId = await productsOfSegments(db, [...new Set(contracts.map((c) => c.topSegmentId))]);
  // what each trajectory of a fixed-price contract was paid so far (accepted lines, credits negative)
  const trajectoryProducts = [...byId].filter(([, p]) => contracts.some((c) => c.priceCents != null && c.topSegmentId === p.topSegmentId)).map(([id]) => id);
  const paid = new Map<number, number>();
  if (trajectoryProducts.length) {
    const rows = await typed(db)
      .selectFrom('declaration_line as d')
      .select(['d.allocation_id', sql<number>`sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8`.as('net')])
      .where(unscoped("the iJW import guards the price of the provider's own trajectories; sums only"))
      .where('d.provider_id', 'in', providerIds)
      .where('d.product_id', 'in', trajectoryProducts)
      .where('d.status', '=', 'geaccepteerd')
      .where('d.allocation_id', 'is not', null)
      .groupBy('d.allocation_id')
      .execute();
    for (const r of rows) paid.set(Number(r.allocation_id), Number(r.net));
  }
  // when each trajectory reaches its billing moments: its start and end (the last JW305/JW307, else the allocation's dates)
  const reach = new Map<number, { start: string; end: string | null }>();
  if (trajectoryProducts.length && contracts.some((c) => c.billingMoments)) {
    const rows = await typed(db)
      .selectFrom('allocation as a')
      .$call((qb) => joinTrajectory(qb, providerIds))
      .select(['a.id', trajectoryStart().as('start'), trajectoryEnd().as('end')])
      .where(unscoped("the iJW import checks the billing moments of the provider's own trajectories; dates only"))
      .where('a.provider_id', 'in', providerIds)
      .where('a.product_id', 'in', trajectoryProducts)
      .execute();
    for (const r of rows) reach.set(Number(r.id), { start: r.start, end: r.end });
  }
  return (l) => {
    const product = byId.get(l.productId);
    if (!product) return null;
    const contract = contractInForce(contracts, l.providerId, product, l.day);
    const v = judgeLineVariant(contract, l.unit);
    if (v || l.rejected || !contract || contract.priceCents == null || l.allocationId === undefined || l.amountCents === undefined) return v;
    const before = paid.get(l.allocationId) ?? 0,
      debitCredit = l.debitCredit ?? 'D';
    const t = judgeTrajectoryLine(contract.priceCents, before, { amountCents: l.amountCents, debitCredit });
    if (!t.ok) return { code: t.code, retourcode: t.retourcode, text: t.text };
    const trajectory = reach.get(l.allocationId);
    if (contract.billingMoments && trajectory) {
      const m = judgeBillingMoment(
        { priceCents: contract.priceCents, billingMoments: contract.billingMoments, monthly: contract.monthly },
        before,
        { amountCents: l.amountCents, debitCredit, periodStart: l.day, periodEnd: l.periodEnd ?? l.day },
        trajectory,
      );
      if (m) return m;
    }
    paid.set(l.allocationId, t.netPaidCents);
    return null;
  };
}

/** The profile a new or changed allocation carries (JW301): from the terms of the contract in force on its start. */
export async function allocationProfile(db: Db, providerId: number, productId: number, startDate: string): Promise<string | null> {
  const contracts = await variantContracts(db, [providerId]);
  if (!contracts.some((c) => c.profileByProduct)) return null;
  const product = (await productsOfSegments(db, [...new Set(contracts.map((c) => c.topSegmentId))])).get(productId);
  return product ? profileOf(contractInForce(contracts, providerId, product, startDate), product.code) : null;
}

// --- payments, figures, cost lines ----------------------------------------------------------------------------
async function contractInScope(db: Db, scope: Scope, contractId: number) {
  const c = await typed(db)
    .selectFrom('contract as c')
    .select([
      'c.id',
      'c.region_id',
      'c.provider_id',
      'c.funding_form',
      sql<string>`c.valid_from::text`.as('valid_from'),
      sql<string | null>`c.valid_to::text`.as('valid_to'),
    ])
    .where(inScope(contractScope(scope), { region: 'c.region_id', provider: 'c.provider_id' }))
    .where('c.id', '=', contractId)
    .executeTakeFirst();
  if (!c) throw notFound(`Contract ${contractId}`);
  return c;
}

export async function recordPayment(
  db: Db,
  scope: Scope,
  p: { contractId: number; paidOn: string; amountCents: number; kind: 'termijn' | 'voorschot' | 'afrekening'; description?: string },
) {
  const c = await contractInScope(db, scope, p.contractId);
  await typed(db)
    .insertInto('funding_payment')
    .values({
      contract_id: c.id,
      region_id: c.region_id,
      provider_id: c.provider_id,
      paid_on: p.paidOn,
      amount_cents: p.amountCents,
      kind: p.kind,
      description: p.description ?? '',
    })
    .modifyEnd(CONTRACT_CHECKED)
    .execute();
}

async function closedStatement(db: Db, scope: Scope, providerId: number, year: number) {
  return typed(db)
    .selectFrom('funding_statement as s')
    .select(['s.id', 's.closed_at'])
    .where(inScope(contractScope(scope), { region: 's.region_id', provider: 's.provider_id' }))
    .where('s.provider_id', '=', providerId)
    .where('s.year', '=', year)
    .orderBy('s.id', 'desc')
    .executeTakeFirst();
}

/** Quarterly figures of many contracts, all or nothing: every failing row is named, nothing stored. */
export async function saveQuarterFigures(
  db: Db,
  scope: Scope,
  rows: (QuarterFigureInput & { line?: number })[],
  source: 'invoer' | 'csv' | 'demo' = 'invoer',
): Promise<number> {
  return db.transaction(async (tx) => {
    const q = typed(tx);
    const ids = [...new Set(rows.map((r) => r.contractId))];
    const contracts = ids.length
      ? await q
          .selectFrom('contract as c')
          .select(['c.id', 'c.region_id', 'c.provider_id', 'c.funding_form'])
          .where(inScope(contractScope(scope), { region: 'c.region_id', provider: 'c.provider_id' }))
          .where('c.id', 'in', ids)
          .execute()
      : [];
    const byId = new Map(contracts.map((c) => [c.id, c]));
    const errors: FieldError[] = [];
    for (const [i, r] of rows.entries()) {
      const line = r.line ?? i + 1;
      const c = byId.get(r.contractId);
      if (!c) errors.push({ line, field: 'contract', detail: `contract ${r.contractId} bestaat niet of is niet van u` });
      else if (c.funding_form !== 'lumpsum' && c.funding_form !== 'beschikbaarheid')
        errors.push({ line, field: 'contract', detail: `contract ${r.contractId} is ${c.funding_form}: kwartaalcijfers horen bij lumpsum of beschikbaarheid` });
      if (r.stopped > r.clientsInCare + r.started) errors.push({ line, field: 'gestopt', detail: 'meer gestopt dan in zorg en gestart samen' });
    }
    if (errors.length) throw invalidRows('Kwartaalcijfers', errors);
    for (const r of rows) {
      const c = byId.get(r.contractId)!;
      await q
        .insertInto('funding_figure')
        .values({
          contract_id: c.id,
          region_id: c.region_id,
          provider_id: c.provider_id,
          year: r.year,
          quarter: r.quarter,
          clients_in_care: r.clientsInCare,
          started: r.started,
          stopped: r.stopped,
          hours: r.hours,
          realised_cents: r.realisedCents,
          source,
        })
        .onConflict((oc) =>
          oc.columns(['contract_id', 'year', 'quarter']).doUpdateSet((eb) => ({
            clients_in_care: eb.ref('excluded.clients_in_care'),
            started: eb.ref('excluded.started'),
            stopped: eb.ref('excluded.stopped'),
            hours: eb.ref('excluded.hours'),
            realised_cents: eb.ref('excluded.realised_cents'),
            source: eb.ref('excluded.source'),
            entered_at: sql`now()`,
          })),
        )
        .modifyEnd(CONTRACT_CHECKED)
        .execute();
    }
    return rows.length;
  });
}

/** A cost statement (reële nacalculatie): refused once the year's statement is closed. */
export async function saveCostLines(
  db: Db,
  scope: Scope,
  input: { contractId: number; year: number; lines: { category: string; amountCents: number; eligible: boolean }[] },
) {
  return db.transaction((tx) => insertCostLines(tx, scope, input));
}

/**
 * A cost statement from CSV, all or nothing: every contract × year group is written in one transaction; a group whose
 * contract is not the caller's, not on real costs, or whose year is closed is named by its first line and field, the
 * others are still checked, and then nothing is stored.
 */
export async function importCostLines(
  db: Db,
  scope: Scope,
  groups: { contractId: number; year: number; lines: { line: number; category: string; amountCents: number; eligible: boolean }[] }[],
) {
  return db.transaction(async (tx) => {
    const errors: FieldError[] = [];
    let saved = 0;
    for (const g of groups) {
      try {
        saved += await insertCostLines(tx, scope, g);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        errors.push({ line: g.lines[0].line, field: e.field === 'year' ? 'jaar' : 'contract', detail: e.message.replace(/^(contractId|year): /, '') });
      }
    }
    if (errors.length) throw invalidRows('Kostenverantwoording', errors);
    return saved;
  });
}

async function insertCostLines(
  tx: Db,
  scope: Scope,
  input: { contractId: number; year: number; lines: { category: string; amountCents: number; eligible: boolean }[] },
) {
  const c = await contractInScope(tx, scope, input.contractId);
  if (c.funding_form !== 'nacalculatie') throw badRequest(`contractId: contract ${c.id} is ${c.funding_form}, geen reële nacalculatie`, 'contractId');
  // the year must be one the contract runs in (valid_to exclusive)
  if (c.valid_from > `${input.year}-12-31` || (c.valid_to !== null && c.valid_to <= `${input.year}-01-01`))
    throw badRequest(`year: contract ${c.id} loopt van ${c.valid_from}${c.valid_to ? ` tot ${c.valid_to}` : ''}, niet in ${input.year}`, 'year');
  const closed = await closedStatement(tx, scope, c.provider_id, input.year);
  if (closed)
    throw new AppError(
      409,
      'Jaar afgesloten',
      `year: de afrekening ${input.year} is gesloten op ${String(closed.closed_at).slice(0, 10)}; een correctie is een nieuwe afrekening`,
      'year',
    );
  // ROWS_PER_STATEMENT lines per statement with a yield between (a 1 MB file is some 25,000 lines: one statement
  // would carry 175,000 parameters, over PostgreSQL's 65,535, and hold PGlite's thread)
  for (let from = 0; from < input.lines.length; from += ROWS_PER_STATEMENT) {
    if (from) await yieldToEventLoop();
    await typed(tx)
      .insertInto('funding_cost_line')
      .values(
        input.lines.slice(from, from + ROWS_PER_STATEMENT).map((l) => ({
          contract_id: c.id,
          region_id: c.region_id,
          provider_id: c.provider_id,
          year: input.year,
          category: l.category,
          amount_cents: l.amountCents,
          eligible: l.eligible,
        })),
      )
      .modifyEnd(CONTRACT_CHECKED)
      .execute();
  }
  return input.lines.length;
}

export async function saveCostKey(db: Db, regionId: string, k: { code: string; name: string; method: KeyMethod; weights: Record<string, number> }) {
  if (k.method === 'vast' || Object.keys(k.weights).length) {
    const codes = (await typed(db).selectFrom('municipality').select('code').where('region_id', '=', regionId).execute()).map((m) => m.code.trim());
    const unknown = Object.keys(k.weights).filter((c) => !codes.includes(c));
    if (unknown.length) throw badRequest(`weights: ${unknown.join(', ')} is geen gemeente van de regio`, 'weights');
    try {
      shareCost(100, k.method, k.weights);
    } catch (e: any) {
      throw badRequest(String(e.message).replace(/^sleutel(\.percentages)?: /, 'weights: '), 'weights');
    }
  }
  await typed(db)
    .insertInto('funding_cost_key')
    .values({ region_id: regionId, code: k.code, name: k.name, method: k.method, weights: JSON.stringify(k.weights) })
    .onConflict((oc) => oc.columns(['region_id', 'code']).doUpdateSet({ name: k.name, method: k.method, weights: JSON.stringify(k.weights) }))
    .execute();
}

// --- the yearly position of every contract ---------------------------------------------------------------------
export interface Quarter {
  quarter: number;
  clientsInCare: number;
  started: number;
  stopped: number;
  hours: number;
  realisedCents: number;
  cumulativeCents: number;
  band: Band | null;
  /** the municipalities' side (within the caller's scope): allocations (referrals) started in the quarter and active at its end */
  referrals: number;
  activeAllocations: number;
}
export interface ContractPosition extends ContractRow {
  agreedCents: number;
  paidCents: number;
  deliveredCents: number;
  outcomeCents: number;
  settlementCents: number;
  /** the declarations booked on the contract's products this year, within the caller's scope (a municipality: its own) */
  declaredCents: number;
  /** the same per municipality (within the caller's scope), beside municipalityShares: what the contract costs each beyond what was declared */
  declaredByMunicipality: { municipalityCode: string; declaredCents: number }[];
  band: Band | null;
  quarters: Quarter[];
  settlement: Settlement;
  shareKey: string;
  municipalityShares: { municipalityCode: string; shareCents: number }[];
}

const MONTH_COLUMNS = ['m01', 'm02', 'm03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09', 'm10', 'm11', 'm12'] as const;

/** Whether a day lies in a contract's period (valid_to exclusive, as contractInForce). */
const inPeriodOf = (c: { validFrom: string; validTo: string | null }) => (day: string) => day >= c.validFrom && (c.validTo === null || day < c.validTo);

const quarterEnd = (year: number, k: number) => ['03-31', '06-30', '09-30', '12-31'].map((d) => `${year}-${d}`)[k - 1];

const monthsInYear = (c: ContractRow, year: number) => {
  const from = c.validFrom > `${year}-01-01` ? Number(c.validFrom.slice(5, 7)) : 1;
  const to = c.validTo && c.validTo <= `${year}-12-31` ? Number(c.validTo.slice(5, 7)) - (c.validTo.slice(8) === '01' ? 1 : 0) : 12;
  return Math.max(0, to - from + 1);
};

/** The region as a whole, for the cache key of reads that are region-wide whoever asks (only the caller's share leaves). */
const regionWide = (regionId: string): Scope => ({ regionId, municipalityCode: null, providerId: null });

/**
 * The municipalities' side of the quarterly review, per lumpsum contract of `lumpsums` (its provider × top segment,
 * within the contract's period), within the caller's scope: `r1`–`r4` the referrals of each quarter (allocations whose
 * care started in it, by the JW305 when present) and `a1`–`a4` the allocations active at the quarter's end (ended by
 * the JW307 when present); allocations of `year` (by their own dates), not withdrawn.
 *
 * Each allocation's start and end are taken once (joinTrajectory), the allocations are then counted per provider × top
 * segment × start × end, and only those groups meet the contracts: the work follows the allocations, not allocations ×
 * contracts × a look-up each (14 s on PGlite over 310,000 allocations before; BENCHMARKS.md, eighth session).
 */
export async function referralCounts(
  db: Db,
  scope: Scope,
  year: number,
  lumpsums: { id: number; providerId: number }[],
): Promise<{ contract_id: number; r1: number; r2: number; r3: number; r4: number; a1: number; a2: number; a3: number; a4: number }[]> {
  if (!lumpsums.length) return [];
  const rows = await referralCountsQuery(typed(db), scope, year, lumpsums).execute();
  return rows.map((r) => ({ ...r, contract_id: Number(r.contract_id) })) as Awaited<ReturnType<typeof referralCounts>>;
}

/** The statement of referralCounts (also for its plan in the tests and bench/referrals.mjs). */
export function referralCountsQuery(q: ReturnType<typeof typed>, scope: Scope, year: number, lumpsums: { id: number; providerId: number }[]) {
  const from = `${year}-01-01`,
    to = `${year}-12-31`;
  const providers = [...new Set(lumpsums.map((c) => c.providerId))].sort((x, y) => x - y);
  const allocations = q
    .selectFrom('allocation as a')
    .innerJoin('municipality as mu', 'mu.code', 'a.municipality_code')
    .innerJoin('product as p', 'p.id', 'a.product_id')
    .innerJoin('segment as s', 's.id', 'p.segment_id')
    .$call((qb) => joinTrajectory(qb, providers))
    .select([
      'a.provider_id',
      sql<number>`COALESCE(s.parent_id, s.id)`.as('segment_id'),
      trajectoryStartDate().as('start_date'),
      trajectoryEndDate().as('end_date'),
      sql<number>`count(*)`.as('n'),
    ])
    .where(inScope(scope, { region: 'mu.region_id', municipality: 'a.municipality_code', provider: 'a.provider_id' }))
    .where('a.provider_id', 'in', providers)
    .where('a.status', '<>', 'ingetrokken')
    .where('a.start_date', '<=', to)
    .where((eb) => eb.or([eb('a.end_date', 'is', null), eb('a.end_date', '>=', from)]))
    .groupBy(['a.provider_id', sql`COALESCE(s.parent_id, s.id)`, trajectoryStartDate(), trajectoryEndDate()]);
  const quarterStart = (k: number) => `${year}-${String(3 * k - 2).padStart(2, '0')}-01`;
  return q
    .selectFrom(allocations.as('g'))
    .innerJoin('contract as ct', 'ct.provider_id', 'g.provider_id')
    .innerJoin('segment as cs', 'cs.id', 'ct.segment_id')
    .select([
      'ct.id as contract_id',
      ...[1, 2, 3, 4].map((k) =>
        sql<number>`COALESCE(sum(g.n) FILTER (WHERE g.start_date >= greatest(${quarterStart(k)}::date, ct.valid_from) AND g.start_date <= ${quarterEnd(year, k)}::date AND (ct.valid_to IS NULL OR g.start_date < ct.valid_to)), 0)::int`.as(
          `r${k}`,
        ),
      ),
      ...[1, 2, 3, 4].map((k) =>
        sql<number>`COALESCE(sum(g.n) FILTER (WHERE g.start_date <= ${quarterEnd(year, k)}::date AND (g.end_date IS NULL OR g.end_date >= ${quarterEnd(year, k)}::date)
        AND ct.valid_from <= ${quarterEnd(year, k)}::date AND (ct.valid_to IS NULL OR ct.valid_to > ${quarterEnd(year, k)}::date)), 0)::int`.as(`a${k}`),
      ),
    ])
    .where(
      'ct.id',
      'in',
      lumpsums.map((c) => c.id),
    )
    .where(sql<boolean>`COALESCE(cs.parent_id, cs.id) = g.segment_id`)
    .groupBy('ct.id');
}

/**
 * Per contract in scope: agreed, paid, delivered, band and settlement for `year`, and each municipality's share.
 * A handful of grouped queries for the whole region, then the pure rules per contract.
 */
export async function contractPositions(db: Db, scope: Scope, year: number, providerId?: number): Promise<ContractPosition[]> {
  const contracts = await contractsOf(db, scope, year, providerId);
  if (!contracts.length) return [];
  const ids = contracts.map((c) => c.id);
  const cs = contractScope(scope);
  const q = typed(db);
  const from = `${year}-01-01`,
    to = `${year}-12-31`;
  const [payments, figures, costs, ledger, keys] = await Promise.all([
    q
      .selectFrom('funding_payment as f')
      .select(['f.contract_id', 'f.kind', sql<number>`sum(f.amount_cents)::int8`.as('amount')])
      .where(inScope(cs, { region: 'f.region_id', provider: 'f.provider_id' }))
      .where('f.contract_id', 'in', ids)
      .where('f.paid_on', '>=', from)
      .where('f.paid_on', '<=', to)
      .where('f.kind', '<>', 'afrekening')
      .groupBy(['f.contract_id', 'f.kind'])
      .execute(),
    q
      .selectFrom('funding_figure as f')
      .selectAll('f')
      .where(inScope(cs, { region: 'f.region_id', provider: 'f.provider_id' }))
      .where('f.contract_id', 'in', ids)
      .where('f.year', '=', year)
      .orderBy('f.quarter')
      .execute(),
    q
      .selectFrom('funding_cost_line as f')
      .select(['f.contract_id', 'f.category', 'f.amount_cents', 'f.eligible'])
      .where(inScope(cs, { region: 'f.region_id', provider: 'f.provider_id' }))
      .where('f.contract_id', 'in', ids)
      .where('f.year', '=', year)
      .execute(),
    // the ledger per provider × top segment × municipality (net, accepted), per month from the monthly facts (a line
    // belongs to the contract in force on its period); shares of a regional cost need every municipality's use, so the
    // region's facts are read here and only the caller's share leaves
    // (the region's whole ledger for the year, read once while the region's facts stand: monitoring's cache, keyed on
    // facts_version, which every import that books lines raises in its own transaction; 0.4–0.7 s on Twente 2021)
    cachedFigures(db, regionWide(scope.regionId), `funding-ledger|${year}`, () =>
      q
        .selectFrom('declaration_month_fact as d')
        .innerJoin('product as p', 'p.id', 'd.product_id')
        .innerJoin('segment as s', 's.id', 'p.segment_id')
        .select([
          sql<string>`trim(d.municipality_code)`.as('municipality'),
          'd.provider_id',
          sql<number>`COALESCE(s.parent_id, s.id)`.as('segment_id'),
          'p.code',
          'p.segment_id as product_segment_id',
          ...MONTH_COLUMNS.map((m) => sql<number>`sum(${sql.ref(`d.${m}`)})::int8`.as(m)),
        ])
        .where(unscoped("a municipality's share of a regional cost needs every municipality's use; only the caller's share is returned"))
        .where('s.region_id', '=', scope.regionId)
        .where('d.year', '=', year)
        .groupBy([sql`trim(d.municipality_code)`, 'd.provider_id', sql`COALESCE(s.parent_id, s.id)`, 'p.code', 'p.segment_id'])
        .execute(),
    ),
    q.selectFrom('funding_cost_key').selectAll().where('region_id', '=', scope.regionId).execute(),
  ]);
  await yieldToEventLoop(); // (between the steps: on the embedded database the server answers in between)
  const munis = (await q.selectFrom('municipality').select('code').where('region_id', '=', scope.regionId).execute()).map((m) => m.code.trim());
  // (youths are added only by JW301 imports and demo loads, which raise the region's facts version: kept while it stands)
  const youths = contracts.some((c) => c.costKey === 'jeugdigen')
    ? await cachedFigures(db, regionWide(scope.regionId), 'funding-youths', () =>
        q
          .selectFrom('youth as y')
          .innerJoin('municipality as m', 'm.code', 'y.municipality_code')
          .select([sql<string>`trim(y.municipality_code)`.as('municipality'), sql<number>`count(*)::int`.as('n')])
          .where(unscoped('youth counts per municipality as a sharing key: counts only'))
          .where('m.region_id', '=', scope.regionId)
          .groupBy(sql`trim(y.municipality_code)`)
          .execute(),
      )
    : [];
  await yieldToEventLoop();
  const availabilityProviders = [...new Set(contracts.filter((c) => c.fundingForm === 'beschikbaarheid').map((c) => c.providerId))].sort((a, b) => a - b);
  // (accepted lines change only with the facts: kept while the region's facts version stands, per set of providers)
  const availabilityUse = availabilityProviders.length
    ? await cachedFigures(db, regionWide(scope.regionId), `funding-availability|${year}|${availabilityProviders.join(',')}`, () =>
        q
          .selectFrom('declaration_line as d')
          .innerJoin('product as p', 'p.id', 'd.product_id')
          .innerJoin('segment as s', 's.id', 'p.segment_id')
          .select([
            'd.provider_id',
            sql<number>`COALESCE(s.parent_id, s.id)`.as('segment_id'),
            'p.code',
            'p.segment_id as product_segment_id',
            sql<string>`d.period_start::text`.as('day'),
            sql<number>`sum(CASE d.debit_credit WHEN 'C' THEN -d.volume ELSE d.volume END)::int8`.as('volume'),
          ])
          .where(unscoped('use of availability contracts: volumes per provider × segment, no youth leaves'))
          .where('s.region_id', '=', scope.regionId)
          .where('d.status', '=', 'geaccepteerd')
          .where('d.period_start', '>=', from)
          .where('d.period_start', '<=', to)
          .where('d.provider_id', 'in', availabilityProviders)
          .groupBy(['d.provider_id', sql`COALESCE(s.parent_id, s.id)`, 'p.code', 'p.segment_id', 'd.period_start'])
          .execute(),
      )
    : [];

  // profile and trajectory contracts settle from booked data: the accepted lines with the allocation's profile, and per
  // trajectory (allocation) its dates and everything it was paid (all years, up to the year's end)
  // (only contracts whose terms carry what the rule needs: a trajectory contract without a price settles as declared)
  const bookedProviders = (form: FundingForm) => [
    ...new Set(contracts.filter((c) => c.fundingForm === form && (form !== 'traject' || typeof c.terms.priceCents === 'number')).map((c) => c.providerId)),
  ];
  const profileProviders = bookedProviders('profiel'),
    trajectoryProviders = bookedProviders('traject');
  await yieldToEventLoop();
  const [profileLines, trajectories] = await Promise.all([
    profileProviders.length
      ? q
          .selectFrom('declaration_line as d')
          .innerJoin('allocation as a', 'a.id', 'd.allocation_id')
          .innerJoin('product as p', 'p.id', 'd.product_id')
          .innerJoin('segment as s', 's.id', 'p.segment_id')
          .select([
            'd.provider_id',
            sql<number>`COALESCE(s.parent_id, s.id)`.as('segment_id'),
            'p.code',
            'a.profile',
            sql<string>`d.period_start::text`.as('day'),
            sql<string>`trim(d.municipality_code)`.as('municipality'),
            sql<number>`sum(CASE d.debit_credit WHEN 'C' THEN -1 ELSE 1 END)::int`.as('periods'),
            sql<number>`sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8`.as('amount'),
          ])
          .where(unscoped("profile contracts settle from every municipality's lines; only the caller's share is returned"))
          .where('s.region_id', '=', scope.regionId)
          .where('d.status', '=', 'geaccepteerd')
          .where('d.provider_id', 'in', profileProviders)
          .where('d.period_start', '>=', from)
          .where('d.period_start', '<=', to)
          .groupBy(['d.provider_id', sql`COALESCE(s.parent_id, s.id)`, 'p.code', 'a.profile', 'd.period_start', sql`trim(d.municipality_code)`])
          .execute()
      : [],
    trajectoryProviders.length
      ? q
          .selectFrom('allocation as a')
          .innerJoin('product as p', 'p.id', 'a.product_id')
          .innerJoin('segment as s', 's.id', 'p.segment_id')
          .$call((qb) => joinTrajectory(qb, trajectoryProviders))
          .select([
            'a.id',
            'a.provider_id',
            sql<number>`COALESCE(s.parent_id, s.id)`.as('segment_id'),
            'p.code',
            trajectoryStart().as('start'),
            trajectoryEnd().as('end'),
            sql<string>`trim(a.municipality_code)`.as('municipality'),
            sql<number>`(SELECT COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END), 0) FROM declaration_line d
                      WHERE d.allocation_id = a.id AND d.status = 'geaccepteerd' AND d.period_start <= ${to}::date)::int8`.as('paid'),
          ])
          .where(unscoped("trajectory contracts settle per trajectory of every municipality; only the caller's share is returned"))
          .where('s.region_id', '=', scope.regionId)
          .where('a.provider_id', 'in', trajectoryProviders)
          .where('a.status', '<>', 'ingetrokken')
          .where('a.start_date', '<=', to)
          .orderBy('a.id')
          .execute()
      : [],
  ]);
  const groupBy = <T extends { provider_id: number; segment_id: number }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const k = `${r.provider_id}|${r.segment_id}`;
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(r);
    }
    return m;
  };
  const profileBy = groupBy(profileLines),
    trajectoryBy = groupBy(trajectories);

  const paidBy = new Map<string, number>();
  for (const p of payments) paidBy.set(`${p.contract_id}|${p.kind}`, Number(p.amount));
  const figuresBy = new Map<number, typeof figures>();
  for (const f of figures) {
    if (!figuresBy.has(f.contract_id)) figuresBy.set(f.contract_id, []);
    figuresBy.get(f.contract_id)!.push(f);
  }
  // the ledger per provider × top segment × product code × municipality; a contract covers its segment's products, or
  // only the products its terms name (terms.productCodes: e.g. crisis beds on availability), and a contract without
  // such a list leaves out the products a sibling contract of the same provider names
  // Each row carries its amounts by the first day of their period: per month from the facts, and per period start for
  // the months in which a contract of the provider begins or ends on another day than the 1st (read from the lines, few
  // providers and months), so that a contract takes exactly the lines whose period lies in its own (contractInForce).
  const boundary = new Set<string>(); // provider|month
  for (const c of contracts)
    for (const d of [c.validFrom, c.validTo])
      if (d && d.slice(0, 4) === String(year) && d.slice(8, 10) !== '01') boundary.add(`${c.providerId}|${Number(d.slice(5, 7))}`);
  const boundaryLines = boundary.size
    ? await q
        .selectFrom('declaration_line as d')
        .innerJoin('product as p', 'p.id', 'd.product_id')
        .innerJoin('segment as s', 's.id', 'p.segment_id')
        .select([
          sql<string>`trim(d.municipality_code)`.as('municipality'),
          'd.provider_id',
          sql<number>`COALESCE(s.parent_id, s.id)`.as('segment_id'),
          'p.code',
          'p.segment_id as product_segment_id',
          sql<string>`d.period_start::text`.as('day'),
          sql<number>`sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8`.as('amount'),
        ])
        .where(unscoped("the months in which a contract begins or ends mid-month, split by period start; only the caller's share is returned"))
        .where('s.region_id', '=', scope.regionId)
        .where('d.status', '=', 'geaccepteerd')
        .where('d.provider_id', 'in', [...new Set([...boundary].map((b) => Number(b.split('|')[0])))])
        .where('d.period_start', '>=', from)
        .where('d.period_start', '<=', to)
        .where(sql<boolean>`extract(month FROM d.period_start)::int IN (${sql.join([...new Set([...boundary].map((b) => Number(b.split('|')[1])))])})`)
        .groupBy([sql`trim(d.municipality_code)`, 'd.provider_id', sql`COALESCE(s.parent_id, s.id)`, 'p.code', 'p.segment_id', 'd.period_start'])
        .execute()
    : [];
  type LedgerRow = { code: string; segmentId: number; municipality: string; pieces: { day: string; amount: number }[] };
  const ledgerBy = new Map<string, LedgerRow[]>(); // provider|topSegment → rows
  const segmentUse = new Map<number, Record<string, number>>(); // top segment → municipality → cents (historic use key)
  const pushLedger = (providerId: number, segmentId: number, row: LedgerRow) => {
    const k = `${providerId}|${segmentId}`;
    if (!ledgerBy.has(k)) ledgerBy.set(k, []);
    ledgerBy.get(k)!.push(row);
  };
  for (const l of ledger) {
    const pieces: { day: string; amount: number }[] = [];
    let amount = 0;
    MONTH_COLUMNS.forEach((m, i) => {
      const v = Number(l[m]);
      amount += v;
      if (v !== 0 && !boundary.has(`${l.provider_id}|${i + 1}`)) pieces.push({ day: `${year}-${m.slice(1)}-01`, amount: v });
    });
    pushLedger(l.provider_id, Number(l.segment_id), { code: l.code, segmentId: Number(l.product_segment_id), municipality: l.municipality, pieces });
    const u = segmentUse.get(Number(l.segment_id)) ?? {};
    u[l.municipality] = (u[l.municipality] ?? 0) + Math.max(0, amount);
    segmentUse.set(Number(l.segment_id), u);
  }
  for (const l of boundaryLines)
    if (boundary.has(`${l.provider_id}|${Number(l.day.slice(5, 7))}`))
      pushLedger(l.provider_id, Number(l.segment_id), {
        code: l.code,
        segmentId: Number(l.product_segment_id),
        municipality: l.municipality,
        pieces: [{ day: l.day, amount: Number(l.amount) }],
      });
  const claimed = new Map<string, Set<string>>(); // provider|topSegment → product codes named by some contract
  for (const c of contracts)
    if (Array.isArray(c.terms.productCodes)) {
      const k = `${c.providerId}|${c.topSegmentId}`;
      if (!claimed.has(k)) claimed.set(k, new Set());
      for (const code of c.terms.productCodes) claimed.get(k)!.add(code);
    }
  // a sub-segment contract without a product list covers the products of its own sub-segment only, and its parent's
  // contract leaves those out (as contractInForce at the door); rows that carry no segment are judged by code alone
  const subSegments = new Set(
    contracts.filter((c) => !Array.isArray(c.terms.productCodes) && c.segmentId !== c.topSegmentId).map((c) => `${c.providerId}|${c.segmentId}`),
  );
  const covers = (c: ContractRow) => {
    const own = Array.isArray(c.terms.productCodes) ? new Set<string>(c.terms.productCodes) : null;
    const others = claimed.get(`${c.providerId}|${c.topSegmentId}`);
    const sub = c.segmentId !== c.topSegmentId;
    return (code: string, segmentId?: number) => {
      if (own) return own.has(code);
      if (others?.has(code)) return false;
      if (segmentId === undefined) return true;
      return sub ? segmentId === c.segmentId : !subSegments.has(`${c.providerId}|${segmentId}`);
    };
  };
  // the municipalities' side of the quarterly review: referrals (allocations whose care started, by the JW305 when
  // present) and allocations active at the quarter's end (ended by the JW307 when present), per lumpsum contract (its provider × top segment, within the contract's period), within the caller's
  // scope (a municipality: its own referrals)
  const lumpsums = contracts.filter((c) => c.fundingForm === 'lumpsum');
  // (allocations, starts and stops raise the region's facts version in the import that stores them: the count is kept
  // while it stands, per scope and per set of contracts with the periods and segments it is counted by)
  const lumpsumKey = lumpsums.map((c) => `${c.id}:${c.providerId}:${c.segmentId}:${c.validFrom}:${c.validTo ?? ''}`).join(',');
  await yieldToEventLoop();
  const referralRows = lumpsums.length
    ? await cachedFigures(db, scope, `funding-referrals|${year}|${lumpsumKey}`, () => referralCounts(db, scope, year, lumpsums))
    : [];
  const referralsBy = new Map(referralRows.map((r: any) => [Number(r.contract_id), r]));
  const useBy = new Map<string, { code: string; segmentId: number; day: string; volume: number }[]>();
  for (const u of availabilityUse) {
    const k = `${u.provider_id}|${u.segment_id}`;
    if (!useBy.has(k)) useBy.set(k, []);
    useBy.get(k)!.push({ code: u.code, segmentId: Number(u.product_segment_id), day: u.day, volume: Number(u.volume) });
  }
  const keyBy = new Map(keys.map((k) => [k.code, k]));
  const youthWeights = Object.fromEntries(youths.map((y) => [y.municipality, Number(y.n)]));

  return contracts.map((c) => {
    const inContract = covers(c);
    const inPeriod = inPeriodOf(c);
    // the ledger of the contract: its products' lines whose period starts within the contract's period
    const ledgerMap = new Map<string, number>();
    for (const l of ledgerBy.get(`${c.providerId}|${c.topSegmentId}`) ?? [])
      if (inContract(l.code, l.segmentId)) {
        const amount = l.pieces.reduce((a, p) => a + (inPeriod(p.day) ? p.amount : 0), 0);
        if (amount !== 0 || l.pieces.some((p) => inPeriod(p.day))) ledgerMap.set(l.municipality, (ledgerMap.get(l.municipality) ?? 0) + amount);
      }
    const ledgerTotal = [...ledgerMap.values()].reduce((a, b) => a + b, 0);
    const instalmentsPaid = paidBy.get(`${c.id}|termijn`) ?? 0,
      advancesPaid = paidBy.get(`${c.id}|voorschot`) ?? 0;
    let settlement: Settlement,
      band: Band | null = null,
      agreed = 0,
      delivered = ledgerTotal;
    let outcomeByMunicipality: Map<string, number> | null = null;
    /** The ledger as both delivery and payment (P*Q; a trajectory contract without a price). */
    const asDeclared = (): Settlement => {
      const s = settlePQ({ lines: [{ volume: 1, tariffCents: Math.max(0, ledgerTotal), debitCredit: 'D' }], paidCents: ledgerTotal });
      s.form = c.fundingForm;
      s.steps[0] = {
        label:
          c.fundingForm === 'pq'
            ? 'Gedeclareerd (P × Q, netto)'
            : c.fundingForm === 'profiel'
              ? 'Gedeclareerd tegen profieltarieven (netto)'
              : 'Gedeclareerd per traject (netto)',
        amountCents: ledgerTotal,
      };
      s.steps.splice(1, 2, { label: 'Uitkomst', amountCents: ledgerTotal });
      s.outcomeCents = ledgerTotal;
      s.settlementCents = 0;
      return s;
    };
    const quarters: Quarter[] = [];
    const figs = figuresBy.get(c.id) ?? [];
    let cumulative = 0;
    for (const f of figs) {
      cumulative += Number(f.realised_cents);
      const ref = referralsBy.get(c.id) as any;
      quarters.push({
        quarter: f.quarter,
        clientsInCare: f.clients_in_care,
        started: f.started,
        stopped: f.stopped,
        hours: f.hours,
        realisedCents: Number(f.realised_cents),
        cumulativeCents: cumulative,
        referrals: ref ? Number(ref[`r${f.quarter}`]) : 0,
        activeAllocations: ref ? Number(ref[`a${f.quarter}`]) : 0,
        band:
          c.lumpsumCents !== null && c.bandwidthPct !== null
            ? settleLumpsum({
                lumpsumCents: c.lumpsumCents,
                bandwidthBp: Math.round(c.bandwidthPct * 100),
                outsideBand: c.outsideBand,
                realisedCents: cumulative,
                paidCents: 0,
                quartersReported: f.quarter,
              }).band
            : null,
      });
    }
    switch (c.fundingForm) {
      case 'lumpsum': {
        agreed = c.lumpsumCents ?? 0;
        delivered = cumulative;
        const s = settleLumpsum({
          lumpsumCents: agreed,
          bandwidthBp: Math.round((c.bandwidthPct ?? 0) * 100),
          outsideBand: c.outsideBand,
          realisedCents: figs.length ? cumulative : null,
          paidCents: instalmentsPaid,
          quartersReported: figs.length ? Math.max(...figs.map((f) => f.quarter)) : 4,
        });
        settlement = s;
        band = s.band;
        break;
      }
      case 'beschikbaarheid': {
        const t = c.terms;
        const months = monthsInYear(c, year);
        const periods = t.period === 'jaar' ? (months === 12 ? 1 : 0) : t.period === 'kwartaal' ? Math.floor(months / 3) : months;
        const used = (useBy.get(`${c.providerId}|${c.topSegmentId}`) ?? [])
          .filter((u) => inContract(u.code, u.segmentId) && inPeriod(u.day))
          .reduce((a, u) => a + u.volume, 0);
        const days = t.period === 'maand' || t.period === 'kwartaal' ? Math.round((months * 365) / 12) : 365;
        settlement = settleAvailability({
          reservedUnits: t.reservedUnits ?? 0,
          pricePerUnitPerPeriodCents: t.pricePerUnitPerPeriodCents ?? 0,
          periods,
          useTariffCents: t.useTariffCents ?? null,
          usedUnits: Math.max(0, used),
          unitDaysAvailable: (t.reservedUnits ?? 0) * days,
          unitDaysUsed: Math.max(0, used),
          paidCents: instalmentsPaid + (t.useTariffCents != null ? ledgerTotal : 0),
        });
        agreed = (t.reservedUnits ?? 0) * (t.pricePerUnitPerPeriodCents ?? 0) * periods;
        break;
      }
      case 'nacalculatie': {
        const lines = costs
          .filter((l) => l.contract_id === c.id)
          .map((l) => ({ category: l.category, amountCents: Number(l.amount_cents), eligible: l.eligible }));
        const advances = (c.terms.advances ?? []) as { amountCents: number }[];
        agreed = advances.reduce((a, x) => a + x.amountCents, 0);
        delivered = lines.filter((l) => l.eligible).reduce((a, l) => a + l.amountCents, 0);
        settlement = settleRealCosts({
          advancesPaidCents: advancesPaid,
          ceilingCents: c.terms.ceilingCents ?? 0,
          costLines: lines,
          pilotValueCents: c.terms.pilot ? (c.terms.pilotValueCents ?? c.terms.ceilingCents) : undefined,
          originalValueCents: c.terms.ceilingCents,
        });
        if (!lines.length) settlement.warnings.push('nog geen kostenverantwoording van de aanbieder');
        break;
      }
      case 'profiel': {
        // periods delivered per profile × the profile's tariff of that period; each accepted line is one period of its
        // allocation's profile (a credit takes one back); paid is what the lines were paid
        const rows = (profileBy.get(`${c.providerId}|${c.topSegmentId}`) ?? []).filter((r) => inContract(r.code) && inPeriod(r.day));
        const tariffs = ((c.terms.profiles ?? []) as { profile: string; validFrom: string; validTo?: string | null; tariffCents: number }[]).map((t) => ({
          profile: t.profile,
          validFrom: t.validFrom,
          validTo: t.validTo ?? null,
          tariffCents: t.tariffCents,
        }));
        const settleRows = (rs: typeof rows): Settlement => {
          const paid = rs.reduce((a, r) => a + Number(r.amount), 0);
          const unprofiled = rs.filter((r) => !r.profile).reduce((a, r) => a + Number(r.amount), 0);
          let st: Settlement;
          try {
            st = settleProfile({
              tariffs,
              delivered: rs.filter((r) => r.profile).map((r) => ({ profile: r.profile!, periodStart: r.day, periods: Math.max(0, Number(r.periods)) })),
              paidCents: paid,
            });
          } catch (e) {
            if (!(e instanceof FundingRuleError)) throw e;
            // a profile without a tariff for a period: the lines stand at what they were paid, and the statement says why
            return {
              form: 'profiel',
              outcomeCents: paid,
              paidCents: paid,
              settlementCents: 0,
              steps: [
                { label: 'Gedeclareerd (netto)', amountCents: paid },
                { label: 'Uitkomst', amountCents: paid },
              ],
              warnings: [`${e.message}: afgerekend zoals gedeclareerd`],
            };
          }
          if (unprofiled) {
            st.steps.splice(st.steps.length - 1, 0, { label: 'Regels zonder profiel (zoals gedeclareerd)', amountCents: unprofiled });
            st.outcomeCents += unprofiled;
            st.steps[st.steps.length - 1].amountCents = st.outcomeCents;
            st.settlementCents = st.outcomeCents - st.paidCents;
            st.warnings.push('toewijzingen zonder profiel: hun regels gelden zoals gedeclareerd');
          }
          return st;
        };
        settlement = settleRows(rows);
        agreed = settlement.outcomeCents;
        delivered = settlement.outcomeCents;
        // each municipality's share is the outcome of its own lines (the outcome adds up per line)
        const asDeclared = settlement.outcomeCents === settlement.paidCents && settlement.steps[0]?.label === 'Gedeclareerd (netto)';
        outcomeByMunicipality = new Map(
          [...new Set(rows.map((r) => r.municipality))].map((m) => {
            const own = rows.filter((r) => r.municipality === m);
            return [m, asDeclared ? own.reduce((a, r) => a + Number(r.amount), 0) : settleRows(own).outcomeCents];
          }),
        );
        break;
      }
      case 'traject': {
        if (typeof c.terms.priceCents !== 'number') {
          // no price per trajectory agreed in the terms (e.g. JB/JR, not bought by the region): settled as declared
          settlement = asDeclared();
          agreed = ledgerTotal;
          settlement.warnings.push('geen prijs per traject in de voorwaarden: afgerekend zoals gedeclareerd');
          break;
        }
        // per trajectory (allocation) the billing moments reached by the year's end, never more than the price; paid is
        // everything its lines were paid up to then: cumulative over the trajectory's life, so nothing counts twice
        const price = Number(c.terms.priceCents ?? 0);
        const ts = (trajectoryBy.get(`${c.providerId}|${c.topSegmentId}`) ?? []).filter(
          (t) => inContract(t.code) && t.start >= c.validFrom && (c.validTo === null || t.start < c.validTo),
        );
        const settleTs = (xs: typeof ts) =>
          settleTrajectory({
            priceCents: price,
            moments: c.terms.billingMoments ?? [{ moment: 'start', pct: 100 }],
            yearEnd: to,
            trajectories: xs.map((t) => ({ id: String(t.id), start: t.start, end: t.end })),
            payments: xs
              .filter((t) => Number(t.paid) !== 0)
              .map((t) => ({
                trajectoryId: String(t.id),
                amountCents: Math.abs(Number(t.paid)),
                debitCredit: Number(t.paid) < 0 ? ('C' as const) : ('D' as const),
              })),
          });
        settlement = settleTs(ts);
        agreed = price * ts.length;
        delivered = settlement.outcomeCents;
        outcomeByMunicipality = new Map(
          [...new Set(ts.map((t) => t.municipality))].map((m) => [m, settleTs(ts.filter((t) => t.municipality === m)).outcomeCents]),
        );
        break;
      }
      default: {
        // P*Q contracts are paid on their declarations: the ledger is both delivery and payment
        settlement = asDeclared();
        agreed = ledgerTotal;
      }
    }
    // shares: per-client forms by the municipalities' own declarations; regional costs by the contract's key
    let shareKey: string, shares: { municipalityCode: string; shareCents: number }[];
    const total = settlement.outcomeCents;
    if (outcomeByMunicipality) {
      // profile and trajectory: each municipality's own lines and trajectories, settled on their own (adds up to the outcome)
      shareKey = 'eigen declaraties';
      shares = [...outcomeByMunicipality]
        .map(([m, v]) => ({ municipalityCode: m, shareCents: v }))
        .sort((a, b) => a.municipalityCode.localeCompare(b.municipalityCode));
    } else if (c.fundingForm === 'pq' || c.fundingForm === 'profiel' || c.fundingForm === 'traject') {
      shareKey = 'eigen declaraties';
      shares = [...ledgerMap].map(([m, v]) => ({ municipalityCode: m, shareCents: v })).sort((a, b) => a.municipalityCode.localeCompare(b.municipalityCode));
    } else {
      const key = keyBy.get(c.costKey);
      const method = (key?.method ?? (c.costKey in KEY_LABEL ? c.costKey : 'gebruik')) as KeyMethod;
      shareKey = key ? `${key.name} (${KEY_LABEL[method]})` : KEY_LABEL[method];
      let weights: Record<string, number> =
        key && Object.keys(key.weights as object).length
          ? (key.weights as Record<string, number>)
          : method === 'jeugdigen'
            ? youthWeights
            : method === 'gebruik'
              ? (segmentUse.get(c.topSegmentId) ?? {})
              : Object.fromEntries(munis.map((m) => [m, 1]));
      if (!Object.values(weights).some((w) => w > 0)) weights = Object.fromEntries(munis.map((m) => [m, 1]));
      shares = shareCost(total, method === 'vast' && !key ? 'solidair' : method, weights).map(({ municipalityCode, shareCents }) => ({
        municipalityCode,
        shareCents,
      }));
    }
    if (scope.municipalityCode) shares = shares.filter((s) => s.municipalityCode === scope.municipalityCode);
    return {
      ...c,
      agreedCents: agreed,
      paidCents: settlement.paidCents,
      deliveredCents: delivered,
      outcomeCents: settlement.outcomeCents,
      declaredCents: scope.municipalityCode ? (ledgerMap.get(scope.municipalityCode.trim()) ?? 0) : ledgerTotal,
      declaredByMunicipality: [...ledgerMap]
        .filter(([m]) => !scope.municipalityCode || m === scope.municipalityCode.trim())
        .map(([m, v]) => ({ municipalityCode: m, declaredCents: v }))
        .sort((x, y) => x.municipalityCode.localeCompare(y.municipalityCode)),
      settlementCents: settlement.settlementCents,
      band,
      quarters,
      settlement,
      shareKey,
      municipalityShares: shares,
    };
  });
}

// --- statements ---------------------------------------------------------------------------------------------------
export interface Statement {
  regionId: string;
  providerId: number;
  providerName: string;
  agb: string;
  year: number;
  computedAt: string;
  contracts: ContractPosition[];
  totals: { agreedCents: number; paidCents: number; deliveredCents: number; outcomeCents: number; settlementCents: number };
}

export async function computeStatement(db: Db, scope: Scope, providerId: number, year: number, now = new Date()): Promise<Statement> {
  const contracts = await contractPositions(db, scope, year, providerId);
  if (!contracts.length) throw notFound(`Contracten van aanbieder ${providerId} in ${year}`);
  const sum = (k: 'agreedCents' | 'paidCents' | 'deliveredCents' | 'outcomeCents' | 'settlementCents') => contracts.reduce((a, c) => a + c[k], 0);
  return {
    regionId: scope.regionId,
    providerId,
    providerName: contracts[0].providerName,
    agb: contracts[0].agb,
    year,
    computedAt: now.toISOString(),
    contracts,
    totals: {
      agreedCents: sum('agreedCents'),
      paidCents: sum('paidCents'),
      deliveredCents: sum('deliveredCents'),
      outcomeCents: sum('outcomeCents'),
      settlementCents: sum('settlementCents'),
    },
  };
}

/** All statements of a region for a year (the bench's hot path): one pass over the region's contracts. */
export async function regionStatements(db: Db, scope: Scope, year: number): Promise<Statement[]> {
  const all = await contractPositions(db, scope, year);
  const byProvider = new Map<number, ContractPosition[]>();
  for (const c of all) {
    if (!byProvider.has(c.providerId)) byProvider.set(c.providerId, []);
    byProvider.get(c.providerId)!.push(c);
  }
  const computedAt = new Date().toISOString();
  return [...byProvider].map(([providerId, contracts]) => {
    const sum = (k: 'agreedCents' | 'paidCents' | 'deliveredCents' | 'outcomeCents' | 'settlementCents') => contracts.reduce((a, c) => a + c[k], 0);
    return {
      regionId: scope.regionId,
      providerId,
      providerName: contracts[0].providerName,
      agb: contracts[0].agb,
      year,
      computedAt,
      contracts,
      totals: {
        agreedCents: sum('agreedCents'),
        paidCents: sum('paidCents'),
        deliveredCents: sum('deliveredCents'),
        outcomeCents: sum('outcomeCents'),
        settlementCents: sum('settlementCents'),
      },
    };
  });
}

export interface ClosedStatement {
  id: number;
  closedAt: string;
  supersedesId: number | null;
  settlementCents: number;
  body: Statement;
}

/** Close the year: the statement as computed now is stored and never changes; closing again makes a new, dated correction. */
export async function closeStatement(db: Db, scope: Scope, providerId: number, year: number, accountId: number | null): Promise<ClosedStatement> {
  return db.transaction(async (tx) => {
    const body = await computeStatement(tx, scope, providerId, year);
    const previous = await closedStatement(tx, scope, providerId, year);
    const r = await typed(tx)
      .insertInto('funding_statement')
      .values({
        region_id: scope.regionId,
        provider_id: providerId,
        year,
        closed_by: accountId,
        supersedes_id: previous?.id ?? null,
        settlement_cents: body.totals.settlementCents,
        body: JSON.stringify(body),
      })
      .returning(['id', 'closed_at'])
      .modifyEnd(CONTRACT_CHECKED)
      .executeTakeFirstOrThrow();
    return {
      id: r.id,
      closedAt: new Date(r.closed_at as any).toISOString(),
      supersedesId: previous?.id ?? null,
      settlementCents: body.totals.settlementCents,
      body,
    };
  });
}

export async function closedStatements(db: Db, scope: Scope, providerId: number, year: number): Promise<ClosedStatement[]> {
  const rows = await typed(db)
    .selectFrom('funding_statement as s')
    .select(['s.id', 's.closed_at', 's.supersedes_id', 's.settlement_cents', 's.body'])
    .where(inScope(contractScope(scope), { region: 's.region_id', provider: 's.provider_id' }))
    .where('s.provider_id', '=', providerId)
    .where('s.year', '=', year)
    .orderBy('s.id', 'desc')
    .execute();
  return rows.map((r) => {
    const body = (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as Statement;
    if (scope.municipalityCode)
      for (const c of body.contracts) c.municipalityShares = c.municipalityShares.filter((s) => s.municipalityCode === scope.municipalityCode);
    return { id: r.id, closedAt: new Date(r.closed_at as any).toISOString(), supersedesId: r.supersedes_id, settlementCents: Number(r.settlement_cents), body };
  });
}

// --- commitments (verplichtingen) -------------------------------------------------------------------------------
export interface CommitmentRow {
  municipalityCode: string;
  municipalityName: string;
  segmentCode: string;
  segmentName: string;
  providerId: number;
  providerName: string;
  allocations: number;
  withoutVolume: number;
  committedCents: number;
}
export interface CommitmentReport {
  year: number;
  asOf: string;
  rows: CommitmentRow[];
  byMunicipality: {
    municipalityCode: string;
    municipalityName: string;
    budgetCents: number | null;
    realisedCents: number;
    committedCents: number;
    roomCents: number | null;
  }[];
}

/**
 * Per municipality × segment × provider: what active allocations still commit for the rest of the year (allowed volume
 * after `asOf` × the tariff valid on `asOf`; a total allocation: what is left after the volume declared for periods up
 * to `asOf`), beside the budget and the realisation booked through the month of `asOf`. Allocations without
 * a volume are counted, not valued.
 */
export async function commitments(db: Db, scope: Scope, year: number, asOf: string): Promise<CommitmentReport> {
  const q = typed(db);
  const yearEnd = `${year}-12-31`;
  // the allocations with what was declared on them change only by imports, which raise the region's facts version: kept
  // while it stands (the tariffs, which a tariff set can change, are read fresh below)
  const rows = await cachedFigures(db, scope, `funding-commitments|${year}|${asOf}`, () =>
    q
      .selectFrom('allocation as a')
      .innerJoin('municipality as mu', 'mu.code', 'a.municipality_code')
      .innerJoin('product as p', 'p.id', 'a.product_id')
      .innerJoin('segment as s', 's.id', 'p.segment_id')
      .innerJoin('provider as pr', 'pr.id', 'a.provider_id')
      .leftJoin('segment as top', (j) => j.on(sql<boolean>`top.id = COALESCE(s.parent_id, s.id)`))
      .select([
        sql<string>`trim(a.municipality_code)`.as('municipality'),
        'mu.name as municipality_name',
        'top.code as segment_code',
        'top.name as segment_name',
        'a.provider_id',
        'pr.name as provider_name',
        'a.start_date',
        'a.end_date',
        'a.volume',
        sql<string | null>`trim(a.frequency)`.as('frequency'),
        'a.product_id',
        sql<number>`(SELECT COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.volume ELSE d.volume END), 0) FROM declaration_line d WHERE d.allocation_id = a.id AND d.status = 'geaccepteerd' AND d.period_start <= ${asOf}::date)::int8`.as(
          'declared',
        ),
      ])
      .where(inScope(scope, { region: 'mu.region_id', municipality: 'a.municipality_code', provider: 'a.provider_id' }))
      .where('a.status', '<>', 'ingetrokken')
      .where('a.start_date', '<=', yearEnd)
      .where((eb) => eb.or([eb('a.end_date', 'is', null), eb('a.end_date', '>', asOf)]))
      .execute(),
  );
  // per product the tariff in force on asOf (the latest that began by then)
  const tariffBy = new Map<number, number>();
  for (const t of await q
    .selectFrom('tariff as t')
    .innerJoin('product as p', 'p.id', 't.product_id')
    .select(['t.product_id', 't.amount_cents'])
    .where('p.region_id', '=', scope.regionId)
    .where('t.valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('t.valid_to', 'is', null), eb('t.valid_to', '>', asOf)]))
    .orderBy('t.product_id')
    .orderBy('t.valid_from', 'desc')
    .execute())
    if (!tariffBy.has(t.product_id)) tariffBy.set(t.product_id, Number(t.amount_cents));
  const groups = new Map<string, CommitmentRow>();
  for (const r of rows) {
    const k = `${r.municipality}|${r.segment_code}|${r.provider_id}`;
    let g = groups.get(k);
    if (!g)
      groups.set(
        k,
        (g = {
          municipalityCode: r.municipality,
          municipalityName: r.municipality_name,
          segmentCode: r.segment_code ?? '',
          segmentName: r.segment_name ?? '',
          providerId: r.provider_id,
          providerName: r.provider_name,
          allocations: 0,
          withoutVolume: 0,
          committedCents: 0,
        }),
      );
    g.allocations++;
    const c = commitmentCents({
      start: String(r.start_date),
      end: r.end_date === null ? null : String(r.end_date),
      volume: r.volume,
      frequency: r.frequency,
      declaredVolume: Number(r.declared),
      tariffCents: tariffBy.get(r.product_id) ?? null,
      asOf,
      yearEnd,
    });
    if (c === null) g.withoutVolume++;
    else g.committedCents += c;
  }
  const [budgets, realised] = await Promise.all([
    q
      .selectFrom('budget as b')
      .innerJoin('municipality as mu', 'mu.code', 'b.municipality_code')
      .select([sql<string>`trim(b.municipality_code)`.as('municipality'), sql<number>`sum(b.amount_cents)::int8`.as('amount')])
      .where(inScope(scope, { region: 'mu.region_id', municipality: 'b.municipality_code', wholeRegionForProviders: true }))
      .where('b.year', '=', year)
      .groupBy(sql`trim(b.municipality_code)`)
      .execute(),
    // realisation booked for the months up to and including the month of asOf (the monthly facts, net of credits; kept
    // while they stand)
    cachedFigures(db, scope, `funding-realised|${year}|${asOf.slice(5, 7)}`, () =>
      q
        .selectFrom('declaration_month_fact as d')
        .innerJoin('municipality as mu', 'mu.code', 'd.municipality_code')
        .select([
          sql<string>`trim(d.municipality_code)`.as('municipality'),
          sql<number>`sum(${sql.raw(Array.from({ length: Number(asOf.slice(5, 7)) }, (_, i) => `d.m${String(i + 1).padStart(2, '0')}`).join(' + '))})::int8`.as(
            'amount',
          ),
        ])
        .where(inScope(scope, { region: 'mu.region_id', municipality: 'd.municipality_code', provider: 'd.provider_id' }))
        .where('d.year', '=', year)
        .groupBy(sql`trim(d.municipality_code)`)
        .execute(),
    ),
  ]);
  const munis = await q
    .selectFrom('municipality')
    .select([sql<string>`trim(code)`.as('code'), 'name'])
    .where('region_id', '=', scope.regionId)
    .$if(scope.municipalityCode !== null, (qb) => qb.where(sql`code`, '=', sql`${scope.municipalityCode}::bpchar`))
    .orderBy('name')
    .execute();
  const budgetBy = new Map(budgets.map((b) => [b.municipality, Number(b.amount)]));
  const realisedBy = new Map(realised.map((b) => [b.municipality, Number(b.amount)]));
  const list = [...groups.values()].sort(
    (a, b) => a.municipalityName.localeCompare(b.municipalityName) || a.segmentCode.localeCompare(b.segmentCode) || b.committedCents - a.committedCents,
  );
  const byMunicipality = munis.map((m) => {
    const committed = list.filter((r) => r.municipalityCode === m.code).reduce((a, r) => a + r.committedCents, 0);
    // a provider does not see the municipalities' budgets
    const budget = scope.providerId === null ? (budgetBy.get(m.code) ?? null) : null;
    const realisedCents = realisedBy.get(m.code) ?? 0;
    return {
      municipalityCode: m.code,
      municipalityName: m.name,
      budgetCents: budget,
      realisedCents,
      committedCents: committed,
      roomCents: budget === null ? null : budget - realisedCents - committed,
    };
  });
  return { year, asOf, rows: list, byMunicipality };
}

// --- cost statements (reële nacalculatie) ------------------------------------------------------------------------
export interface CostStatement {
  contractId: number;
  providerId: number;
  providerName: string;
  agb: string;
  segmentCode: string;
  segmentName: string;
  ceilingCents: number;
  advancesAgreedCents: number;
  advancesPaidCents: number;
  eligibleCents: number;
  ineligibleCents: number;
  outcomeCents: number;
  settlementCents: number;
  warnings: string[];
  /** the date the provider's statement of the year was closed (then no line can be added), or null */
  closedOn: string | null;
  lines: { id: number; category: string; amountCents: number; eligible: boolean; enteredAt: string }[];
}

/** The cost statements of the year: every contract on real costs in scope, with its lines and where it settles. */
export async function costStatements(db: Db, scope: Scope, year: number): Promise<CostStatement[]> {
  const positions = (await contractPositions(db, scope, year)).filter((p) => p.fundingForm === 'nacalculatie');
  if (!positions.length) return [];
  const cs = contractScope(scope);
  const q = typed(db);
  const [lines, closed] = await Promise.all([
    q
      .selectFrom('funding_cost_line as f')
      .select(['f.id', 'f.contract_id', 'f.category', 'f.amount_cents', 'f.eligible', 'f.entered_at'])
      .where(inScope(cs, { region: 'f.region_id', provider: 'f.provider_id' }))
      .where(
        'f.contract_id',
        'in',
        positions.map((p) => p.id),
      )
      .where('f.year', '=', year)
      .orderBy('f.id')
      .execute(),
    q
      .selectFrom('funding_statement as s')
      .select(['s.provider_id', sql<string>`max(s.closed_at)::date::text`.as('closed_on')])
      .where(inScope(cs, { region: 's.region_id', provider: 's.provider_id' }))
      .where('s.year', '=', year)
      .where('s.provider_id', 'in', [...new Set(positions.map((p) => p.providerId))])
      .groupBy('s.provider_id')
      .execute(),
  ]);
  const closedBy = new Map(closed.map((c) => [c.provider_id, c.closed_on]));
  return positions.map((p) => {
    const own = lines
      .filter((l) => l.contract_id === p.id)
      .map((l) => ({
        id: Number(l.id),
        category: l.category,
        amountCents: Number(l.amount_cents),
        eligible: l.eligible,
        enteredAt: new Date(l.entered_at as any).toISOString(),
      }));
    return {
      contractId: p.id,
      providerId: p.providerId,
      providerName: p.providerName,
      agb: p.agb,
      segmentCode: p.segmentCode,
      segmentName: p.segmentName,
      ceilingCents: Number(p.terms.ceilingCents ?? 0),
      advancesAgreedCents: p.agreedCents,
      advancesPaidCents: p.paidCents,
      eligibleCents: own.filter((l) => l.eligible).reduce((a, l) => a + l.amountCents, 0),
      ineligibleCents: own.filter((l) => !l.eligible).reduce((a, l) => a + l.amountCents, 0),
      outcomeCents: p.outcomeCents,
      settlementCents: p.settlementCents,
      warnings: p.settlement.warnings,
      closedOn: closedBy.get(p.providerId) ?? null,
      lines: own,
    };
  });
}
