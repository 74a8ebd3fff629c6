// The year's costs per funding form, for monitoring (issue 15 §6): what every contract costs the caller (its outcome
// for the year, a municipality its share of it), and the rows behind each figure: the instalments, advances and
// settlements paid, the cost statement's lines, and for the forms paid per client the declarations (monitoring's own
// drill-down, by provider and segment). Declarations on products no contract covers count as P*Q.
import type { Db } from '../db/index.ts';
import { typed, inScope, sql, type Scope } from '../db/query.ts';
import type { FundingForm } from './rules.ts';
import { contractPositions, contractScope, type ContractPosition } from './store.ts';

export const FUNDING_FORMS: FundingForm[] = ['pq', 'profiel', 'traject', 'beschikbaarheid', 'lumpsum', 'nacalculatie'];
export const FUNDING_FORM_LABEL: Record<FundingForm, string> = {
  pq: 'P × Q (inspanningsgericht)',
  profiel: 'Vast tarief per profiel',
  traject: 'Vaste prijs per traject',
  beschikbaarheid: 'Beschikbaarheid (plus gebruik)',
  lumpsum: 'Budget / lumpsum per aanbieder',
  nacalculatie: 'Voorschot met reële nacalculatie',
};
/** Forms paid per client: the rows behind them are declaration lines. */
const PER_CLIENT = new Set<FundingForm>(['pq', 'profiel', 'traject']);

export interface FormCost {
  form: FundingForm;
  label: string;
  /** the year's cost to the caller: the contracts' outcomes (a municipality: its share), plus, for P*Q, declarations no contract covers */
  amountCents: number;
  contracts: number;
  /** declarations booked on the products of these contracts (information: under a lumpsum or availability contract they are not the cost) */
  declaredCents: number;
}

const cost = (p: ContractPosition) => (p.municipalityShares.length ? p.municipalityShares.reduce((a, s) => a + s.shareCents, 0) : p.outcomeCents);
const inSegment = (segmentId: number | null) => (p: ContractPosition) => segmentId === null || p.topSegmentId === segmentId;

/**
 * Per funding form, the year's cost within the caller's scope. `declaredTotalCents` is the year's accepted
 * declarations in the same scope and segment (monitoring's facts): what the contracts' own products do not account for
 * stands as P*Q without a contract. The rows add up: Σ amountCents is the year's cost of every form.
 */
export async function costsByFundingForm(
  db: Db,
  scope: Scope,
  year: number,
  declaredTotalCents: number,
  segmentId: number | null = null,
): Promise<{ rows: FormCost[]; uncontractedCents: number }> {
  const positions = (await contractPositions(db, scope, year)).filter(inSegment(segmentId));
  const rows = new Map<FundingForm, FormCost>(
    FUNDING_FORMS.map((f) => [f, { form: f, label: FUNDING_FORM_LABEL[f], amountCents: 0, contracts: 0, declaredCents: 0 }]),
  );
  let covered = 0;
  for (const p of positions) {
    const r = rows.get(p.fundingForm)!;
    r.amountCents += cost(p);
    r.contracts += 1;
    r.declaredCents += p.declaredCents;
    covered += p.declaredCents;
  }
  const uncontractedCents = declaredTotalCents - covered;
  const pq = rows.get('pq')!;
  pq.amountCents += uncontractedCents;
  pq.declaredCents += uncontractedCents;
  return { rows: [...rows.values()], uncontractedCents };
}

export interface FormContractRows {
  contractId: number;
  providerId: number;
  providerName: string;
  agb: string;
  segmentCode: string;
  segmentName: string;
  fundingForm: FundingForm;
  amountCents: number;
  outcomeCents: number;
  paidCents: number;
  declaredCents: number;
  shareKey: string;
  /** instalments, advances and settlements paid in the year (funding_payment), and the cost statement's lines (funding_cost_line) */
  payments: { paidOn: string; kind: string; description: string; amountCents: number }[];
  costLines: { category: string; amountCents: number; eligible: boolean }[];
  /** for the forms paid per client: the filter of monitoring's drill-down (/dashboard/rows) that lists the declarations */
  declarations: { segment: string; aanbieder: string } | null;
}

/** The contracts behind one funding form's figure (every form when `form` is null), each with its rows. */
export async function fundingFormRows(
  db: Db,
  scope: Scope,
  year: number,
  form: FundingForm | null,
  segmentId: number | null = null,
): Promise<FormContractRows[]> {
  const positions = (await contractPositions(db, scope, year)).filter((p) => (form === null || p.fundingForm === form) && inSegment(segmentId)(p));
  if (!positions.length) return [];
  const ids = positions.map((p) => p.id);
  const cs = contractScope(scope);
  const q = typed(db);
  const [payments, costLines, tops] = await Promise.all([
    q
      .selectFrom('funding_payment as f')
      .select(['f.contract_id', sql<string>`f.paid_on::text`.as('paid_on'), 'f.kind', 'f.description', 'f.amount_cents'])
      .where(inScope(cs, { region: 'f.region_id', provider: 'f.provider_id' }))
      .where('f.contract_id', 'in', ids)
      .where('f.paid_on', '>=', `${year}-01-01`)
      .where('f.paid_on', '<=', `${year}-12-31`)
      .orderBy('f.paid_on')
      .orderBy('f.id')
      .execute(),
    q
      .selectFrom('funding_cost_line as f')
      .select(['f.contract_id', 'f.category', 'f.amount_cents', 'f.eligible'])
      .where(inScope(cs, { region: 'f.region_id', provider: 'f.provider_id' }))
      .where('f.contract_id', 'in', ids)
      .where('f.year', '=', year)
      .orderBy('f.id')
      .execute(),
    q
      .selectFrom('segment')
      .select(['id', 'code'])
      .where('region_id', '=', scope.regionId)
      .where('id', 'in', [...new Set(positions.map((p) => p.topSegmentId))])
      .execute(),
  ]);
  const topCode = new Map(tops.map((t) => [t.id, t.code]));
  return positions.map((p) => ({
    contractId: p.id,
    providerId: p.providerId,
    providerName: p.providerName,
    agb: p.agb,
    segmentCode: p.segmentCode,
    segmentName: p.segmentName,
    fundingForm: p.fundingForm,
    amountCents: cost(p),
    outcomeCents: p.outcomeCents,
    paidCents: p.paidCents,
    declaredCents: p.declaredCents,
    shareKey: p.shareKey,
    payments: payments
      .filter((x) => x.contract_id === p.id)
      .map((x) => ({ paidOn: x.paid_on, kind: x.kind, description: x.description, amountCents: Number(x.amount_cents) })),
    costLines: costLines
      .filter((x) => x.contract_id === p.id)
      .map((x) => ({ category: x.category, amountCents: Number(x.amount_cents), eligible: x.eligible })),
    declarations:
      PER_CLIENT.has(p.fundingForm) || (p.fundingForm === 'beschikbaarheid' && p.terms.useTariffCents != null)
        ? { segment: topCode.get(p.topSegmentId) ?? p.segmentCode, aanbieder: p.agb }
        : null,
  }));
}
