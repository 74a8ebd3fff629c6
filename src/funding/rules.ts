// Settlement rules per funding form (bekostigingsvorm, seed 003 Bijlage G): plain functions, no database.
// Every amount is integer euro cents. Each rule returns the outcome the contract entitles the provider to, what has
// been paid, the settlement (outcome − paid: positive is still to pay, negative is to reclaim) and its calculation as
// steps, so that a statement can show how it was reached. Invariant of every rule: paid + settlement = outcome.
//
// Rounding (documented once, used everywhere):
// - a product of an amount and a fraction (a band bound, a percentage of a price) is rounded half away from zero to
//   whole cents (`mulDivRound`), computed in BigInt so no float is ever summed;
// - a split of one amount into parts (billing moments of a trajectory, shares of a cost among municipalities) uses
//   largest-remainder rounding (`splitLargestRemainder`), so the parts add up to the amount to the cent.

export type Cents = number;
export interface Step {
  label: string;
  amountCents: Cents;
  detail?: string;
}
export interface Settlement {
  form: FundingForm;
  outcomeCents: Cents; // what the contract entitles to for the year (agreed outcome)
  paidCents: Cents; // instalments, advances or declarations paid
  settlementCents: Cents; // outcome − paid
  steps: Step[];
  warnings: string[];
}
export type FundingForm = 'pq' | 'profiel' | 'traject' | 'beschikbaarheid' | 'lumpsum' | 'nacalculatie';
export const EXECUTION_VARIANT: Record<FundingForm, 'inspanningsgericht' | 'outputgericht' | 'taakgericht'> = {
  pq: 'inspanningsgericht',
  profiel: 'outputgericht',
  traject: 'outputgericht',
  beschikbaarheid: 'taakgericht',
  lumpsum: 'taakgericht',
  nacalculatie: 'inspanningsgericht',
};

/** A rule refused its input: the field is named, as in the API's problem+json. */
export class FundingRuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FundingRuleError';
  }
}

function cents(v: number, field: string): Cents {
  if (!Number.isSafeInteger(v)) throw new FundingRuleError(field, `${field}: geen geheel aantal centen (${v})`);
  return v;
}
function nonNegative(v: number, field: string): Cents {
  cents(v, field);
  if (v < 0) throw new FundingRuleError(field, `${field}: mag niet negatief zijn (${v})`);
  return v;
}

/** round(a × num / den) half away from zero, exact (BigInt). */
export function mulDivRound(a: number, num: number, den: number): Cents {
  if (den === 0) throw new RangeError('deler is nul');
  const A = BigInt(a) * BigInt(num),
    D = BigInt(den);
  const neg = A < 0n !== D < 0n;
  const absA = A < 0n ? -A : A,
    absD = D < 0n ? -D : D;
  const q = (absA * 2n + absD) / (absD * 2n);
  const r = Number(neg ? -q : q);
  if (!Number.isSafeInteger(r)) throw new RangeError('bedrag te groot');
  return r;
}

/**
 * Split `total` cents over non-negative integer `weights` so the parts add up to `total` exactly: each part is the
 * floor of its exact share; the cents left go one by one to the largest remainders (ties: the earlier weight).
 */
export function splitLargestRemainder(total: Cents, weights: number[]): Cents[] {
  cents(total, 'bedrag');
  if (weights.length === 0) throw new FundingRuleError('gewichten', 'gewichten: geen enkele gemeente in de verdeelsleutel');
  for (const w of weights) if (!Number.isSafeInteger(w) || w < 0) throw new FundingRuleError('gewichten', `gewichten: ${w} is geen geheel getal ≥ 0`);
  const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
  if (sum === 0n) throw new FundingRuleError('gewichten', 'gewichten: tellen op tot nul');
  const neg = total < 0;
  const T = BigInt(Math.abs(total));
  const parts = weights.map((w) => (T * BigInt(w)) / sum);
  const rems = weights.map((w, i) => ({ i, r: (T * BigInt(w)) % sum }));
  let rest = T - parts.reduce((a, b) => a + b, 0n);
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; rest > 0n; k++, rest--) parts[rems[k].i] += 1n;
  return parts.map((p) => (neg ? -Number(p) : Number(p)));
}

function settled(form: FundingForm, outcomeCents: Cents, paidCents: Cents, steps: Step[], warnings: string[] = []): Settlement {
  const settlementCents = outcomeCents - paidCents;
  return {
    form,
    outcomeCents,
    paidCents,
    settlementCents,
    warnings,
    steps: [
      ...steps,
      { label: 'Betaald', amountCents: -paidCents },
      { label: settlementCents >= 0 ? 'Nog te betalen' : 'Terug te vorderen', amountCents: settlementCents, detail: 'uitkomst − betaald' },
    ],
  };
}

// --- P*Q --------------------------------------------------------------------------------------------------------
export interface LedgerLine {
  volume: number;
  tariffCents: Cents;
  debitCredit: 'D' | 'C';
}
/** P*Q: the outcome is price × delivered volume per accepted line, credits subtracted; paid is what was paid on the declarations. */
export function settlePQ(input: { lines: LedgerLine[]; paidCents: Cents }): Settlement {
  let debit = 0,
    credit = 0;
  for (const [i, l] of input.lines.entries()) {
    nonNegative(l.volume, `regels[${i}].volume`);
    nonNegative(l.tariffCents, `regels[${i}].tarief`);
    const a = l.volume * l.tariffCents;
    if (l.debitCredit === 'C') credit += a;
    else debit += a;
  }
  cents(debit, 'declaraties');
  cents(input.paidCents, 'betaald');
  return settled('pq', debit - credit, input.paidCents, [
    { label: 'Gedeclareerd (P × Q)', amountCents: debit, detail: `${input.lines.filter((l) => l.debitCredit !== 'C').length} regels` },
    { label: 'Gecrediteerd', amountCents: -credit },
    { label: 'Uitkomst', amountCents: debit - credit },
  ]);
}

// --- fixed tariff per profile -------------------------------------------------------------------------------------
export interface ProfileTariff {
  profile: string;
  validFrom: string;
  validTo: string | null;
  tariffCents: Cents;
}
export interface ProfileDelivery {
  profile: string;
  periodStart: string;
  periods: number;
}
/** The tariff of `profile` valid on `day` (validTo exclusive), or an error naming the profile. */
export function profileTariff(tariffs: ProfileTariff[], profile: string, day: string): Cents {
  const t = tariffs.find((x) => x.profile === profile && x.validFrom <= day && (x.validTo === null || day < x.validTo));
  if (!t) throw new FundingRuleError('profiel', `profiel ${profile}: geen tarief geldig op ${day}`);
  return t.tariffCents;
}
/** Fixed tariff per profile (outputgericht): periods delivered per profile × the profile's tariff of that period. */
export function settleProfile(input: { tariffs: ProfileTariff[]; delivered: ProfileDelivery[]; paidCents: Cents }): Settlement {
  const byProfile = new Map<string, { periods: number; amount: number }>();
  for (const [i, d] of input.delivered.entries()) {
    nonNegative(d.periods, `geleverd[${i}].perioden`);
    const amount = d.periods * profileTariff(input.tariffs, d.profile, d.periodStart);
    const p = byProfile.get(d.profile) ?? { periods: 0, amount: 0 };
    p.periods += d.periods;
    p.amount = cents(p.amount + amount, 'bedrag');
    byProfile.set(d.profile, p);
  }
  const steps: Step[] = [...byProfile]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([profile, p]) => ({ label: `Profiel ${profile}`, amountCents: p.amount, detail: `${p.periods} perioden` }));
  const outcome = steps.reduce((a, s) => a + s.amountCents, 0);
  return settled('profiel', outcome, cents(input.paidCents, 'betaald'), [...steps, { label: 'Uitkomst', amountCents: outcome }]);
}

// --- fixed price per trajectory ----------------------------------------------------------------------------------
export interface BillingMoment {
  moment: 'start' | 'einde';
  pct: number;
}
export interface Trajectory {
  id: string;
  start: string;
  end: string | null;
}
export interface TrajectoryPayment {
  trajectoryId: string;
  amountCents: Cents;
  debitCredit: 'D' | 'C';
}

/** The amount due at each billing moment: the price split by the moments' percentages (largest remainder, adds up to the price). */
export function momentAmounts(priceCents: Cents, moments: BillingMoment[]): Cents[] {
  nonNegative(priceCents, 'prijs');
  const total = moments.reduce((a, m) => a + m.pct, 0);
  if (moments.length === 0 || total !== 100 || moments.some((m) => !Number.isInteger(m.pct) || m.pct < 0))
    throw new FundingRuleError('declaratiemomenten', `declaratiemomenten: percentages moeten hele getallen zijn die optellen tot 100 (nu ${total})`);
  return splitLargestRemainder(
    priceCents,
    moments.map((m) => m.pct),
  );
}

/**
 * Whether one more declaration (or credit) line of a trajectory may be booked: a credit never more than what was paid,
 * a debit never beyond the price. Returns the net paid after the line, or an error: so a trajectory can never be
 * paid twice or more than its price, whatever order of credits and re-declarations arrives.
 */
export function acceptTrajectoryLine(
  priceCents: Cents,
  netPaidCents: Cents,
  line: { amountCents: Cents; debitCredit: 'D' | 'C' },
): { ok: true; netPaidCents: Cents } | { ok: false; reason: string } {
  if (line.amountCents < 0) return { ok: false, reason: 'bedrag negatief' };
  if (line.debitCredit === 'C') {
    if (line.amountCents > netPaidCents) return { ok: false, reason: 'creditering groter dan wat betaald is' };
    return { ok: true, netPaidCents: netPaidCents - line.amountCents };
  }
  if (netPaidCents + line.amountCents > priceCents) return { ok: false, reason: 'het traject zou meer dan zijn prijs betaald krijgen' };
  return { ok: true, netPaidCents: netPaidCents + line.amountCents };
}

/**
 * Fixed price per trajectory (outputgericht): per trajectory the moments reached by the end of the year (start: it
 * started; einde: it ended) are due; the outcome per trajectory never exceeds its price. Paid is the net of the
 * trajectory's declaration lines; a trajectory paid beyond what is due is reclaimed in the settlement.
 */
export function settleTrajectory(input: {
  priceCents: Cents;
  moments: BillingMoment[];
  trajectories: Trajectory[];
  payments: TrajectoryPayment[];
  yearEnd: string;
}): Settlement {
  const amounts = momentAmounts(input.priceCents, input.moments);
  const paid = new Map<string, number>();
  for (const p of input.payments) {
    nonNegative(p.amountCents, 'betaling.bedrag');
    paid.set(p.trajectoryId, (paid.get(p.trajectoryId) ?? 0) + (p.debitCredit === 'C' ? -p.amountCents : p.amountCents));
  }
  const ids = new Set(input.trajectories.map((t) => t.id));
  for (const id of paid.keys()) if (!ids.has(id)) throw new FundingRuleError('betaling.traject', `betaling voor onbekend traject ${id}`);
  let outcome = 0,
    started = 0,
    ended = 0,
    over = 0;
  for (const t of input.trajectories) {
    let due = 0;
    input.moments.forEach((m, i) => {
      const reached = m.moment === 'start' ? t.start <= input.yearEnd : t.end !== null && t.end <= input.yearEnd;
      if (reached) due += amounts[i];
    });
    if (t.start <= input.yearEnd) started++;
    if (t.end !== null && t.end <= input.yearEnd) ended++;
    outcome += Math.min(due, input.priceCents);
    if ((paid.get(t.id) ?? 0) > due) over++;
  }
  const paidTotal = [...paid.values()].reduce((a, b) => a + b, 0);
  return settled(
    'traject',
    outcome,
    paidTotal,
    [
      {
        label: 'Prijs per traject',
        amountCents: input.priceCents,
        detail: input.moments.map((m, i) => `${m.pct}% bij ${m.moment} = ${amounts[i]} ct`).join(', '),
      },
      { label: 'Trajecten gestart', amountCents: 0, detail: String(started) },
      { label: 'Trajecten afgesloten', amountCents: 0, detail: String(ended) },
      { label: 'Uitkomst (bereikte momenten)', amountCents: outcome },
    ],
    over ? [`${over} traject(en) meer betaald dan verschuldigd: het verschil wordt teruggevorderd`] : [],
  );
}

// --- availability funding ----------------------------------------------------------------------------------------
/**
 * Availability funding (beschikbaarheidsfinanciering, taakgericht): reserved capacity × price per unit per period
 * for every period of the year, used or not, plus optionally a use tariff per unit used (P*Q on top).
 * Occupancy = used unit-days / (reserved units × days), shown, not settled.
 */
export function settleAvailability(input: {
  reservedUnits: number;
  pricePerUnitPerPeriodCents: Cents;
  periods: number;
  useTariffCents: Cents | null;
  usedUnits: number;
  unitDaysAvailable?: number;
  unitDaysUsed?: number;
  paidCents: Cents;
}): Settlement {
  nonNegative(input.reservedUnits, 'gereserveerde eenheden');
  nonNegative(input.pricePerUnitPerPeriodCents, 'prijs per eenheid per periode');
  nonNegative(input.periods, 'perioden');
  nonNegative(input.usedUnits, 'gebruik');
  if (input.useTariffCents !== null) nonNegative(input.useTariffCents, 'gebruikstarief');
  const availability = cents(input.reservedUnits * input.pricePerUnitPerPeriodCents * input.periods, 'beschikbaarheid');
  const use = input.useTariffCents === null ? 0 : cents(input.usedUnits * input.useTariffCents, 'gebruik');
  const steps: Step[] = [
    {
      label: 'Beschikbaarheid',
      amountCents: availability,
      detail: `${input.reservedUnits} eenheden × ${input.pricePerUnitPerPeriodCents} ct × ${input.periods} perioden`,
    },
  ];
  if (input.useTariffCents !== null) steps.push({ label: 'Gebruik (P × Q)', amountCents: use, detail: `${input.usedUnits} × ${input.useTariffCents} ct` });
  const warnings: string[] = [];
  if (input.unitDaysAvailable && input.unitDaysUsed !== undefined) {
    const occ = Math.round((1000 * input.unitDaysUsed) / input.unitDaysAvailable) / 10;
    steps.push({
      label: 'Bezetting',
      amountCents: 0,
      detail: `${occ.toLocaleString('nl-NL')}% (${input.unitDaysUsed} van ${input.unitDaysAvailable} eenheid-dagen)`,
    });
    if (occ < 60) warnings.push(`bezetting ${occ.toLocaleString('nl-NL')}%: onder 60% van de gereserveerde capaciteit`);
  }
  steps.push({ label: 'Uitkomst', amountCents: availability + use });
  return settled('beschikbaarheid', availability + use, cents(input.paidCents, 'betaald'), steps, warnings);
}

// --- budget / lumpsum per provider -------------------------------------------------------------------------------
export type OutsideBand = 'niets' | 'gesprek' | 'verrekenen' | 'plafond';
export const OUTSIDE_BAND_LABEL: Record<OutsideBand, string> = {
  niets: 'geen gevolg',
  gesprek: 'gesprek in het kwartaaloverleg',
  verrekenen: 'verrekening van het deel buiten de band',
  plafond: 'plafond: niet meer dan gerealiseerd, nooit boven de lumpsum',
};
export interface Band {
  lowerCents: Cents;
  upperCents: Cents;
  position: 'onder' | 'binnen' | 'boven';
  deviationPct: number;
}

/** The band around `amountCents` (bandwidth in basis points: 300 = 3%), bounds rounded half away from zero, and where `realisedCents` lies. */
export function bandPosition(amountCents: Cents, bandwidthBp: number, realisedCents: Cents): Band {
  const lowerCents = mulDivRound(amountCents, 10_000 - bandwidthBp, 10_000);
  const upperCents = mulDivRound(amountCents, 10_000 + bandwidthBp, 10_000);
  const position = realisedCents < lowerCents ? 'onder' : realisedCents > upperCents ? 'boven' : 'binnen';
  const deviationPct = amountCents === 0 ? 0 : Math.round((10_000 * (realisedCents - amountCents)) / amountCents) / 100;
  return { lowerCents, upperCents, position, deviationPct };
}

/**
 * Budget / lumpsum per provider (taakgericht, Achterhoek 002): the agreed yearly amount, paid in instalments; the
 * provider's realisation (its quarterly figures, valued as agreed) is set against a band agreed in advance. What
 * happens outside the band is the contract's term `outsideBand`:
 * - niets / gesprek: the outcome is the lumpsum (gesprek flags the deviation for the quarterly meeting);
 * - verrekenen: the part outside the band is settled both ways (above: lumpsum + (realised − upper); below:
 *   lumpsum − (lower − realised));
 * - plafond: below the band only the realisation is paid; above it never more than the lumpsum.
 * Pro rata: `shareOfYear` (quarters reported / 4) sets the band against the part of the year reported.
 */
export function settleLumpsum(input: {
  lumpsumCents: Cents;
  bandwidthBp: number;
  outsideBand: OutsideBand;
  realisedCents: Cents;
  paidCents: Cents;
  quartersReported?: number;
}): Settlement & { band: Band };
export function settleLumpsum(input: {
  lumpsumCents: Cents;
  bandwidthBp: number;
  outsideBand: OutsideBand;
  realisedCents: Cents | null;
  paidCents: Cents;
  quartersReported?: number;
}): Settlement & { band: Band | null };
export function settleLumpsum(input: {
  lumpsumCents: Cents;
  bandwidthBp: number;
  outsideBand: OutsideBand;
  realisedCents: Cents | null;
  paidCents: Cents;
  quartersReported?: number;
}): Settlement & { band: Band | null } {
  nonNegative(input.lumpsumCents, 'lumpsum');
  cents(input.paidCents, 'betaald');
  if (!Number.isInteger(input.bandwidthBp) || input.bandwidthBp < 0 || input.bandwidthBp > 10_000)
    throw new FundingRuleError('bandbreedte', 'bandbreedte: tussen 0 en 100%');
  if (input.realisedCents === null) {
    // no figures yet: the lumpsum stands, the band cannot be judged
    return {
      ...settled(
        'lumpsum',
        input.lumpsumCents,
        input.paidCents,
        [
          { label: 'Lumpsum (afgesproken jaarbedrag)', amountCents: input.lumpsumCents },
          { label: 'Realisatie', amountCents: 0, detail: 'nog geen kwartaalcijfers: positie in de band onbekend' },
          { label: 'Uitkomst', amountCents: input.lumpsumCents },
        ],
        ['nog geen kwartaalcijfers van de aanbieder'],
      ),
      band: null,
    };
  }
  nonNegative(input.realisedCents, 'realisatie');
  const realisedCents = input.realisedCents;
  const q = input.quartersReported ?? 4;
  const reference = q === 4 ? input.lumpsumCents : mulDivRound(input.lumpsumCents, q, 4);
  const band = bandPosition(reference, input.bandwidthBp, realisedCents);
  let outcome = input.lumpsumCents;
  const steps: Step[] = [
    { label: 'Lumpsum (afgesproken jaarbedrag)', amountCents: input.lumpsumCents },
    ...(q === 4 ? [] : [{ label: `Naar rato van ${q} kwartaal/kwartalen`, amountCents: reference }]),
    { label: `Bandbreedte ${input.bandwidthBp / 100}%: ondergrens`, amountCents: band.lowerCents },
    { label: `Bandbreedte ${input.bandwidthBp / 100}%: bovengrens`, amountCents: band.upperCents },
    {
      label: 'Realisatie (kwartaalcijfers aanbieder)',
      amountCents: realisedCents,
      detail: `${band.deviationPct.toLocaleString('nl-NL')}% t.o.v. afspraak: ${band.position} de band`,
    },
  ];
  const warnings: string[] = [];
  if (band.position !== 'binnen') {
    warnings.push(`realisatie ${band.position} de band (${band.deviationPct.toLocaleString('nl-NL')}%): ${OUTSIDE_BAND_LABEL[input.outsideBand]}`);
    // outcome on the whole year: the deviation of the reported part is carried over as it is
    if (input.outsideBand === 'verrekenen') {
      const delta = band.position === 'boven' ? realisedCents - band.upperCents : -(band.lowerCents - realisedCents);
      outcome = input.lumpsumCents + delta;
      steps.push({ label: band.position === 'boven' ? 'Verrekening boven de band' : 'Verrekening onder de band', amountCents: delta });
    } else if (input.outsideBand === 'plafond' && band.position === 'onder') {
      const delta = -(reference - realisedCents);
      outcome = input.lumpsumCents + delta;
      steps.push({ label: 'Plafond: alleen realisatie betaald', amountCents: delta });
    } else if (input.outsideBand === 'plafond') {
      steps.push({ label: 'Plafond: niet meer dan de lumpsum', amountCents: 0 });
    }
  }
  steps.push({ label: 'Uitkomst', amountCents: outcome });
  return { ...settled('lumpsum', outcome, input.paidCents, steps, warnings), band };
}

// --- advance with settlement on real costs -----------------------------------------------------------------------
export const EUROPEAN_THRESHOLD_CENTS = 75_000_000; // € 750.000 (seed 003 §8.3)
export interface CostLine {
  category: string;
  amountCents: Cents;
  eligible: boolean;
}
/**
 * Advance with settlement on real costs (reële nacalculatie): eligible costs of the cost statement, capped by the
 * agreed ceiling; settlement = capped costs − advances paid (to pay or to reclaim). Pilot rules of 003 §8.3 as
 * warnings: total value over the pilot's life above € 750.000, and a change above 10% of the contract value.
 */
export function settleRealCosts(input: {
  advancesPaidCents: Cents;
  ceilingCents: Cents;
  costLines: CostLine[];
  pilotValueCents?: Cents;
  originalValueCents?: Cents;
}): Settlement {
  nonNegative(input.ceilingCents, 'plafond');
  cents(input.advancesPaidCents, 'voorschotten');
  const byCat = new Map<string, { eligible: number; not: number }>();
  for (const [i, l] of input.costLines.entries()) {
    nonNegative(l.amountCents, `kosten[${i}].bedrag`);
    const c = byCat.get(l.category) ?? { eligible: 0, not: 0 };
    if (l.eligible) c.eligible += l.amountCents;
    else c.not += l.amountCents;
    byCat.set(l.category, c);
  }
  const steps: Step[] = [];
  let eligible = 0;
  for (const [cat, c] of [...byCat].sort(([a], [b]) => a.localeCompare(b))) {
    steps.push({ label: `Kosten ${cat}`, amountCents: c.eligible, detail: c.not ? `${c.not} ct niet subsidiabel` : undefined });
    eligible += c.eligible;
  }
  cents(eligible, 'kosten');
  const outcome = Math.min(eligible, input.ceilingCents);
  steps.push(
    { label: 'Subsidiabele kosten', amountCents: eligible },
    { label: 'Plafond', amountCents: input.ceilingCents },
    { label: 'Uitkomst (kosten, maximaal het plafond)', amountCents: outcome },
  );
  const warnings: string[] = [];
  if (input.pilotValueCents !== undefined && input.pilotValueCents > EUROPEAN_THRESHOLD_CENTS)
    warnings.push(`totale waarde van de pilot (${input.pilotValueCents} ct) boven de Europese drempel van € 750.000`);
  if (input.originalValueCents && Math.abs(outcome - input.originalValueCents) * 10 > input.originalValueCents)
    warnings.push('wijziging van meer dan 10% van de contractwaarde: wezenlijke wijziging');
  if (eligible > input.ceilingCents) warnings.push('kosten boven het plafond: het deel erboven wordt niet vergoed');
  return settled('nacalculatie', outcome, input.advancesPaidCents, steps, warnings);
}

// --- sharing regional costs among municipalities -----------------------------------------------------------------
export type KeyMethod = 'jeugdigen' | 'gebruik' | 'vast' | 'solidair';
export const KEY_LABEL: Record<KeyMethod, string> = {
  jeugdigen: 'naar aantal jeugdigen',
  gebruik: 'naar historisch gebruik',
  vast: 'vaste verdeling (percentages)',
  solidair: 'solidair (naar inwoners)',
};
/**
 * Share one regional cost among municipalities by a key: weights per municipality (youths, historic use in cents,
 * inhabitants) or, for 'vast', percentages with up to two decimals that must add up to 100. Largest remainder: the
 * shares add up to the cost to the cent.
 */
export function shareCost(
  totalCents: Cents,
  method: KeyMethod,
  weights: Record<string, number>,
): { municipalityCode: string; shareCents: Cents; weight: number }[] {
  const codes = Object.keys(weights).sort();
  if (codes.length === 0) throw new FundingRuleError('sleutel', 'sleutel: geen gemeenten');
  let ints: number[];
  if (method === 'vast') {
    ints = codes.map((c) => Math.round(weights[c] * 100));
    if (codes.some((c, i) => weights[c] < 0 || Math.abs(ints[i] - weights[c] * 100) > 1e-6))
      throw new FundingRuleError('sleutel.percentages', 'sleutel.percentages: ten hoogste twee decimalen, niet negatief');
    const sum = ints.reduce((a, b) => a + b, 0);
    if (sum !== 10_000)
      throw new FundingRuleError('sleutel.percentages', `sleutel.percentages: tellen op tot ${(sum / 100).toLocaleString('nl-NL')}% in plaats van 100%`);
  } else {
    ints = codes.map((c) => Math.round(weights[c]));
  }
  const parts = splitLargestRemainder(totalCents, ints);
  return codes.map((c, i) => ({ municipalityCode: c, shareCents: parts[i], weight: weights[c] }));
}

// --- commitments (verplichtingen) ----------------------------------------------------------------------------
const dayNumber = (iso: string) => Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000);
const isoOf = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
const monthsTouchedBetween = (a: string, b: string) => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7)) + 1;

export interface CommitmentInput {
  start: string;
  end: string | null;
  volume: number | null;
  frequency: string | null; // WMO757: 1 dag, 2 week, 4 maand, 6 totaal
  declaredVolume: number;
  tariffCents: number | null;
  asOf: string;
  yearEnd: string;
}
/**
 * The money an active allocation still commits for the rest of the year (after `asOf` up to `yearEnd`): the volume it
 * allows in that stretch × the tariff. Per day/week/month: volume × days / begun weeks / months touched; a total over
 * the allocation: what is left of it after the declared volume, pro rata to the days of the remaining allocation that
 * fall in the year (an open end counts to the year's end). No volume or no tariff: no commitment can be computed (null).
 */
export function commitmentCents(a: CommitmentInput): Cents | null {
  if (a.volume === null || !a.frequency || a.tariffCents === null) return null;
  const from = isoOf(Math.max(dayNumber(a.asOf) + 1, dayNumber(a.start)));
  const to = a.end && a.end < a.yearEnd ? a.end : a.yearEnd;
  if (to < from) return 0;
  const days = dayNumber(to) - dayNumber(from) + 1;
  let volume: number;
  switch (a.frequency) {
    case '1':
      volume = a.volume * days;
      break;
    case '2':
      volume = a.volume * Math.ceil(days / 7);
      break;
    case '4':
      volume = a.volume * monthsTouchedBetween(from, to);
      break;
    case '6': {
      const left = Math.max(0, a.volume - a.declaredVolume);
      const allocationDaysLeft = dayNumber(a.end ?? a.yearEnd) - dayNumber(from) + 1;
      volume = allocationDaysLeft <= 0 ? 0 : mulDivRound(left, days, allocationDaysLeft);
      break;
    }
    default:
      return null;
  }
  return cents(volume * a.tariffCents, 'verplichting');
}

// --- the execution variant in force (the iJW layer follows the contract) -----------------------------------------
export type ExecutionVariant = 'inspanningsgericht' | 'outputgericht' | 'taakgericht';
/** A contract as the variant rule needs it: its (sub)segment, the top segment whose products it covers, its period. */
export interface VariantContract {
  contractId: number;
  providerId: number;
  segmentId: number;
  topSegmentId: number;
  segmentCode: string;
  variant: ExecutionVariant;
  validFrom: string;
  validTo: string | null;
  productCodes: string[] | null;
  /** fixed tariff per profile: the product that stands for each profile (terms.profiles[].productCode) */
  profileByProduct?: Record<string, string> | null;
  /** fixed price per trajectory: the price (terms.priceCents) */
  priceCents?: number | null;
  /** fixed price per trajectory: the agreed billing moments (terms.billingMoments) and whether declared per month (terms.monthly) */
  billingMoments?: BillingMoment[] | null;
  monthly?: boolean;
  /** availability plus P*Q: the use tariff (terms.useTariffCents); the use is declared per client */
  useTariffCents?: number | null;
}
/**
 * The contract of `providerId` that covers `product` on `day` (validTo exclusive, as products and tariffs), or null:
 * first a contract whose terms name the product (a sub-segment such as crisis beds on availability); else a contract
 * without such a list on the product's own segment, else on its top segment — in both cases only if no contract of
 * the provider in that top segment names the product. A sub-segment contract without a product list (e.g. a
 * coordination point on a lumpsum) covers only products of its own sub-segment, never its parent's.
 */
export function contractInForce(
  contracts: VariantContract[],
  providerId: number,
  product: { code: string; segmentId?: number; topSegmentId: number },
  day: string,
): VariantContract | null {
  const mine = contracts.filter((c) => c.providerId === providerId && c.topSegmentId === product.topSegmentId);
  const live = mine.filter((c) => c.validFrom <= day && (c.validTo === null || day < c.validTo));
  const named = live.find((c) => c.productCodes?.includes(product.code));
  if (named) return named;
  if (mine.some((c) => c.productCodes?.includes(product.code))) return null; // named by a contract not in force that day
  const own = product.segmentId ?? product.topSegmentId;
  return (
    live.find((c) => c.productCodes === null && c.segmentId === own) ??
    live.find((c) => c.productCodes === null && c.segmentId === product.topSegmentId) ??
    null
  );
}

/** The output units of code list WJ756 an outputgericht contract declares in: 82 stuks (output), 83 euro's. */
export const OUTPUT_UNITS: Readonly<Record<string, string>> = { '82': 'stuks (output)', '83': "euro's" };

/**
 * Whether a declaration line (JW323 Prestatie) fits the variant of the contract in force for it, with the WJ001
 * return code when not. The standard's code list has no code that names the variant, so the closest ones are used
 * (docs/ijw-rules.md):
 * - taakgericht: no allocation and no declaration per client (OP086, IV096: under taakgericht there is no
 *   toewijzing) → 9338, except the use of an availability contract with a use tariff (P*Q on top), declared per client "Niet iedere prestatie … is gerelateerd aan een toegewezen product";
 * - outputgericht: the line must be in an output unit (82/83) → 9341 "Eenheid in de Prestatie past niet …".
 * No contract in force: not judged here (the other rules and the tariff check still apply).
 */
export function judgeLineVariant(
  contract: Pick<VariantContract, 'contractId' | 'segmentCode' | 'variant' | 'useTariffCents'> | null,
  unit: string,
): { code: 'BK001' | 'BK002'; retourcode: string; text: string } | null {
  if (!contract) return null;
  // availability plus P*Q (e.g. Twente's crisis beds): the reserved capacity is taakgericht, the use is declared per client
  if (contract.variant === 'taakgericht' && contract.useTariffCents == null) {
    return {
      code: 'BK001',
      retourcode: '9338',
      text: `het contract (${contract.contractId}, segment ${contract.segmentCode}) is taakgericht: geen toewijzing en geen declaratie per cliënt; de regel is niet geboekt`,
    };
  }
  if (contract.variant === 'outputgericht' && !(unit in OUTPUT_UNITS)) {
    return {
      code: 'BK002',
      retourcode: '9341',
      text: `het contract (${contract.contractId}, segment ${contract.segmentCode}) is outputgericht: declareer in eenheid 82 (stuks output) of 83 (euro's), niet in ${unit || '(leeg)'}`,
    };
  }
  return null;
}

/** The profile an allocation of `productCode` carries under a contract with a fixed tariff per profile, or null. */
export function profileOf(contract: Pick<VariantContract, 'profileByProduct'> | null, productCode: string): string | null {
  return contract?.profileByProduct?.[productCode] ?? null;
}

/**
 * The trajectory guard at the door: a line on a trajectory (one allocation on a fixed-price contract) is booked only
 * when acceptTrajectoryLine allows it against what the trajectory was paid so far: a debit beyond the price (paid
 * twice, or re-declared without a credit first) → 9369 (the closest WJ001 code: the declared sum does not fit what was
 * granted), a credit beyond what was paid → 8017 (no debit known for it).
 */
export function judgeTrajectoryLine(
  priceCents: Cents,
  netPaidCents: Cents,
  line: { amountCents: Cents; debitCredit: 'D' | 'C' },
): { ok: true; netPaidCents: Cents } | { ok: false; code: 'BK003'; retourcode: string; text: string } {
  const r = acceptTrajectoryLine(priceCents, netPaidCents, line);
  if (r.ok) return r;
  const eur = (c: number) => `€ ${(c / 100).toFixed(2).replace('.', ',')}`;
  return line.debitCredit === 'C'
    ? {
        ok: false,
        code: 'BK003',
        retourcode: '8017',
        text: `traject: creditering van ${eur(line.amountCents)} is meer dan er betaald is (${eur(netPaidCents)})`,
      }
    : {
        ok: false,
        code: 'BK003',
        retourcode: '9369',
        text: `traject: met ${eur(line.amountCents)} zou het meer dan zijn prijs van ${eur(priceCents)} betaald krijgen (al betaald ${eur(netPaidCents)})`,
      };
}

/**
 * The billing moments at the door: on a fixed-price contract a debit line of a trajectory must bill the next agreed
 * moment(s) (the price split by largest remainder, moments in order: start before einde), and only once each is reached
 * by the line's product period — the start moment on the trajectory's first day, the end moment on its end date (the
 * allocation's end date; none: not ended). With `monthly` (declared per month, for trajectories that reached the moment
 * that month) the moment must also fall within the line's product period. What was paid so far (`netPaidCents`,
 * credits subtracted) says which moment comes next; a line that brings the paid amount onto a moment's boundary bills
 * the moments up to it (e.g. 100% in one line for a trajectory that started and ended within its period). Credits are
 * not judged here (BK003 keeps them within what was paid; the standard ties a credit to its debit). Return codes, the
 * closest WJ001 has (docs/ijw-rules.md): a share that is no moment's → 0611 (the amount does not match the contract);
 * the start moment not reached, or (monthly) not in this period → 9307; the end moment not reached → 9326 (the
 * delivery has not been stopped); (monthly) reached in an earlier period → 9308.
 */
export function judgeBillingMoment(
  terms: { priceCents: Cents; billingMoments: BillingMoment[]; monthly?: boolean },
  netPaidCents: Cents,
  line: { amountCents: Cents; debitCredit: 'D' | 'C'; periodStart: string; periodEnd: string },
  trajectory: { start: string; end: string | null },
): { code: 'BK004'; retourcode: '0611' | '9307' | '9308' | '9326'; text: string } | null {
  if (line.debitCredit === 'C' || line.amountCents <= 0) return null;
  let amounts: Cents[];
  try {
    amounts = momentAmounts(terms.priceCents, terms.billingMoments);
  } catch {
    return null;
  } // terms are validated before they are stored
  const eur = (c: number) => `€ ${(c / 100).toFixed(2).replace('.', ',')}`;
  const name = (m: BillingMoment) => `${m.pct}% bij ${m.moment === 'start' ? 'de start' : 'het einde'}`;
  const order = terms.billingMoments
    .map((m, i) => ({ ...m, amount: amounts[i] }))
    .filter((m) => m.amount > 0)
    .sort((a, b) => (a.moment === b.moment ? 0 : a.moment === 'start' ? -1 : 1)); // stable: the terms' order within a moment
  const boundary: Cents[] = [];
  order.reduce((sum, m) => {
    boundary.push(sum + m.amount);
    return sum + m.amount;
  }, 0);
  const target = netPaidCents + line.amountCents;
  const first = boundary.findIndex((b) => b > netPaidCents);
  const last = boundary.indexOf(target);
  if (first < 0) return null; // everything was paid: BK003 refuses the debit
  if (last < 0) {
    return {
      code: 'BK004',
      retourcode: '0611',
      text: `traject: ${eur(line.amountCents)} is niet het bedrag van een afgesproken declaratiemoment (${order.map(name).join(', ')} van ${eur(terms.priceCents)}); nu te declareren: ${eur(boundary[first] - netPaidCents)} (${name(order[first])})`,
    };
  }
  const period = `${line.periodStart} t/m ${line.periodEnd}`;
  for (const m of order.slice(first, last + 1)) {
    const reached = m.moment === 'start' ? trajectory.start : trajectory.end;
    if (reached === null || reached > line.periodEnd) {
      return m.moment === 'start'
        ? {
            code: 'BK004',
            retourcode: '9307',
            text: `traject: het startmoment (${name(m)}) is in de productperiode ${period} nog niet bereikt: het traject begint op ${trajectory.start}`,
          }
        : {
            code: 'BK004',
            retourcode: '9326',
            text: `traject: het eindmoment (${name(m)}) is in de productperiode ${period} nog niet bereikt: het traject ${reached === null ? 'is nog niet beëindigd' : `eindigt op ${reached}`}`,
          };
    }
    if (terms.monthly && reached < line.periodStart) {
      return {
        code: 'BK004',
        retourcode: m.moment === 'start' ? '9307' : '9308',
        text: `traject: maandelijks declareren: het ${m.moment === 'start' ? 'startmoment' : 'eindmoment'} (${name(m)}) viel op ${reached}, niet in de productperiode ${period}; declareer het over die maand`,
      };
    }
  }
  return null;
}
