// The cost-price model of the tariff calculator (rekentool), after the AMvB reële prijzen Jeugdwet (art. 2.3
// Besluit Jeugdwet): staff costs (client-bound and not), other client-bound costs, overhead, and a risk mark-up;
// indexation is applied to a tariff set afterwards (the indexation section below). Plain functions over plain data, no I/O:
// the server, the CLI and the web app (which recalculates as you type) run this same file.
//
// Arithmetic is decimal (decimal.js) throughout; cents appear only at the rounding points of docs/tariffs.md:
//   R1 the direct costs per unit are rounded once to whole cents (half up); the direct steps shown are that total
//      apportioned by largest remainder, so they add up to it exactly;
//   R2 overhead = round(overhead% × rounded direct costs);
//   R3 risk = round(risk% × (rounded direct costs + overhead));
//   tariff = direct + overhead + risk (the steps add up to the tariff, to the cent);
//   R4 unit minuut only: the build-up is per hour, the tariff per minute is round(hour tariff / 60) (iJW IV081).
import { Decimal } from 'decimal.js';
// the shapes the calculator takes are its zod schemas (schema.ts), one source for the routes, the CLI, the store and
// the web app; type-only imports, so the web bundle carries no zod
import type { z } from 'zod';
import type * as S from './schema.ts';

/** decimal.js with enough precision for money and half-up rounding at the rounding points. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export type TariffUnit = 'minuut' | 'uur' | 'dagdeel' | 'etmaal';
export const TARIFF_UNITS = ['uur', 'minuut', 'dagdeel', 'etmaal'] as const satisfies readonly TariffUnit[];
/** WJ756 code of each unit. */
export const UNIT_CODE: Record<TariffUnit, string> = { minuut: '01', uur: '04', etmaal: '14', dagdeel: '16' };

/** Decimals travel as strings ("8.33"; a Dutch comma is accepted too); money as integer cents. */
export type DecimalString = string;

/** A CAO salary scale: gross monthly salary in cents per step (trede), steps numbered from 0. */
export interface SalaryScale {
  scale: string;
  steps: number[];
}

/** A function (functie) and what it costs: a CAO scale and step, or an hourly wage. */
export type FunctionNorm = z.output<typeof S.FunctionNorm>;

/** The norms for one product (or one band, or one gezinshuis): what one unit of care takes. */
export type ProductNorm = z.output<typeof S.ProductNorm>;

/** The gezinshuis building blocks of the national handreiking, per home. */
export type GezinshuisInput = z.output<typeof S.GezinshuisInput>;

/** A norm set (normenkader): the data the tariffs are built from. Versioned by the store. */
export type NormSetBody = z.output<typeof S.NormSetBody>;

// --- the build-up --------------------------------------------------------------------------------------------

export const STEP_KEYS = [
  'salaris',
  'toeslagen',
  'sociale_lasten',
  'productiviteit',
  'personeel_indirect',
  'overige_kosten',
  'huisvesting',
  'gezinshuisouders',
  'gedragswetenschapper',
  'ondersteuning',
  'zorgzwaarte',
  'respijt',
  'overhead',
  'risico',
] as const;
export type StepKey = (typeof STEP_KEYS)[number];
/** The categories of art. 2.3 Besluit Jeugdwet (a: staff, b: other client-bound costs, c: overhead) and the mark-up. */
export const CATEGORIES = ['a_personeel_clientgebonden', 'a_personeel_niet_clientgebonden', 'b_overige_clientgebonden', 'c_overhead', 'opslag'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_NAMES: Record<Category, string> = {
  a_personeel_clientgebonden: 'a. Personeelskosten cliëntgebonden',
  a_personeel_niet_clientgebonden: 'a. Personeelskosten niet-cliëntgebonden',
  b_overige_clientgebonden: 'b. Overige cliëntgebonden kosten',
  c_overhead: 'c. Overhead',
  opslag: 'Risico- en innovatieopslag',
};

export interface Step {
  key: StepKey;
  label: string;
  category: Category;
  /** The exact amount in cents (decimal, up to 6 places). */
  exactCents: string;
  /** The amount in whole cents; the steps add up to the tariff (before a minute conversion). */
  cents: number;
  explanation: string;
}

/** What one function costs, from monthly salary to cost per paid hour. Amounts in cents, exact. */
export interface FunctionCost {
  functionId: string;
  name: string;
  basis: string;
  monthlySalary: string;
  annualSalary: string;
  holidayPay: string;
  yearEndBonus: string;
  irregular: string;
  socialCharges: string;
  employerCostPerYear: string;
  perPaidHour: string;
}

export interface BuildUp {
  code: string;
  name: string;
  unit: TariffUnit;
  unitCode: string;
  /** The unit the steps are per: the product's unit, or uur for a minute product. */
  costUnit: TariffUnit;
  steps: Step[];
  functions: FunctionCost[];
  directCents: number;
  overheadCents: number;
  riskCents: number;
  /** Sum of the steps: the tariff per cost unit. */
  totalCents: number;
  /** The tariff per product unit (equals totalCents except for minuut). */
  tariffCents: number;
  /** The tariff per cost unit without any rounding, in cents. */
  exactCents: string;
  /** |totalCents − exactCents| never exceeds this (docs/tariffs.md). */
  boundCents: string;
  /** Parameters of the calculation, for the explanation. */
  overheadPct: string;
  riskPct: string;
}

/** A Dutch message naming the field that is wrong. */
export class TariffInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

// --- number helpers ------------------------------------------------------------------------------------------

export function dec(v: DecimalString | number, field = 'waarde'): Decimal {
  const s =
    typeof v === 'number'
      ? String(v)
      : String(v ?? '')
          .trim()
          .replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) throw new TariffInputError(field, `${field}: '${v}' is geen getal`);
  return new Dec(s);
}
const pct = (v: DecimalString, field: string, max = 1000) => {
  const d = dec(v, field);
  if (d.lt(0) || d.gt(max)) throw new TariffInputError(field, `${field}: ${v}% ligt niet tussen 0 en ${max}`);
  return d.div(100);
};
const positive = (v: DecimalString | number, field: string) => {
  const d = dec(v, field);
  if (d.lte(0)) throw new TariffInputError(field, `${field} moet groter dan 0 zijn`);
  return d;
};
const cents = (v: number | undefined, field: string) => {
  const n = v ?? 0;
  if (!Number.isSafeInteger(n) || n < 0) throw new TariffInputError(field, `${field}: ${v} is geen geheel, niet-negatief aantal centen`);
  return new Dec(n);
};
const roundCents = (d: Decimal) => d.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
const exact = (d: Decimal) => d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toString();

const nl = (d: Decimal | number, dp: number) => {
  const [i, f] = new Dec(d).toFixed(dp, Decimal.ROUND_HALF_UP).split('.');
  const neg = i.startsWith('-');
  const int = (neg ? i.slice(1) : i).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${neg ? '-' : ''}${int}${f ? ',' + f : ''}`;
};
/** Cents as "€ 1.234,56". */
export const euro = (c: Decimal | number) => `€ ${nl(new Dec(c).div(100), 2)}`;
/** A number in Dutch notation with at most `dp` decimals, trailing zeros dropped. */
export const num = (d: Decimal | number | string, dp = 2) => {
  const s = nl(new Dec(typeof d === 'string' ? d.replace(',', '.') : d), dp);
  return s.includes(',') ? s.replace(/,?0+$/, '') : s;
};
const pctText = (p: Decimal) => `${num(p.times(100), 4)}%`;

// --- functions: salary → allowances → social charges → cost per paid hour ------------------------------------

interface FnCost {
  fn: FunctionNorm;
  annual: Decimal;
  allowances: Decimal;
  social: Decimal;
  employer: Decimal;
  perPaidHour: Decimal;
  out: FunctionCost;
}

export function functionCost(norms: NormSetBody, functionId: string, field = 'functie'): FnCost {
  const fn = norms.functions.find((f) => f.id === functionId);
  if (!fn) throw new TariffInputError(field, `Functie '${functionId}' staat niet in de normenset`);
  const hoursPerFte = positive(norms.hoursPerFte, 'uren per fte');
  const at = `functie ${fn.name}`;
  let monthly: Decimal, basis: string;
  if (fn.hourlyWageCents !== undefined && fn.hourlyWageCents !== null) {
    const wage = cents(fn.hourlyWageCents, `${at}: uurloon`);
    monthly = wage.times(hoursPerFte).div(12);
    basis = `uurloon ${euro(wage)} × ${num(hoursPerFte)} uur / 12`;
  } else {
    const scale = norms.scales.find((s) => s.scale === fn.scale);
    if (!scale) throw new TariffInputError(`${at}: schaal`, `${at}: schaal '${fn.scale ?? ''}' staat niet in de salaristabel`);
    const step = fn.step ?? -1;
    if (!Number.isInteger(step) || step < 0 || step >= scale.steps.length) {
      throw new TariffInputError(`${at}: trede`, `${at}: schaal ${scale.scale} heeft treden 0 t/m ${scale.steps.length - 1}, niet ${fn.step}`);
    }
    monthly = cents(scale.steps[step], `${at}: salaris schaal ${scale.scale} trede ${step}`);
    basis = `schaal ${scale.scale} trede ${step}`;
  }
  const annual = monthly.times(12);
  const holiday = annual.times(pct(norms.holidayPayPct, 'vakantiegeld'));
  const yearEnd = annual.times(pct(norms.yearEndBonusPct, 'eindejaarsuitkering'));
  const irregular = annual.times(pct(fn.irregularPct, `${at}: ORT`));
  const allowances = holiday.plus(yearEnd).plus(irregular);
  const social = annual.plus(allowances).times(pct(norms.socialChargesPct, 'sociale lasten'));
  const employer = annual.plus(allowances).plus(social);
  const perPaidHour = employer.div(hoursPerFte);
  return {
    fn,
    annual,
    allowances,
    social,
    employer,
    perPaidHour,
    out: {
      functionId: fn.id,
      name: fn.name,
      basis,
      monthlySalary: exact(monthly),
      annualSalary: exact(annual),
      holidayPay: exact(holiday),
      yearEndBonus: exact(yearEnd),
      irregular: exact(irregular),
      socialCharges: exact(social),
      employerCostPerYear: exact(employer),
      perPaidHour: exact(perPaidHour),
    },
  };
}

// --- finishing: rounding points R1–R4 --------------------------------------------------------------------------

interface RawStep {
  key: StepKey;
  label: string;
  category: Category;
  exact: Decimal;
  explanation: string;
}

/** Largest remainder: whole cents for each step that add up to `total`, each within one cent of its exact value. */
function apportion(parts: Decimal[], total: number): number[] {
  const floors = parts.map((p) => p.floor().toNumber());
  let rest = total - floors.reduce((a, b) => a + b, 0);
  const order = parts.map((p, i) => [p.minus(p.floor()), i] as const).sort((a, b) => b[0].comparedTo(a[0]) || a[1] - b[1]);
  const out = [...floors];
  for (let k = 0; rest > 0 && order.length; k = (k + 1) % order.length, rest--) out[order[k][1]]++;
  return out;
}

/** The rounding bound of docs/tariffs.md: ½ × ((1+o)(1+r) + (1+r) + 1) cents. */
function roundingBound(o: Decimal, r: Decimal): Decimal {
  return new Dec(1).plus(o).times(new Dec(1).plus(r)).plus(new Dec(1).plus(r)).plus(1).div(2);
}

function finish(head: { code: string; name: string; unit: TariffUnit }, raw: RawStep[], functions: FunctionCost[], o: Decimal, r: Decimal): BuildUp {
  const steps = raw.filter((s) => !s.exact.isZero());
  const directExact = steps.reduce((a, s) => a.plus(s.exact), new Dec(0));
  const direct = roundCents(directExact); // R1
  const shares = apportion(
    steps.map((s) => s.exact),
    direct,
  );
  const overhead = roundCents(new Dec(direct).times(o)); // R2
  const risk = roundCents(new Dec(direct + overhead).times(r)); // R3
  const total = direct + overhead + risk;
  const exactTotal = directExact.times(new Dec(1).plus(o)).times(new Dec(1).plus(r));
  const costUnit: TariffUnit = head.unit === 'minuut' ? 'uur' : head.unit;
  const out: Step[] = steps.map((s, i) => ({
    key: s.key,
    label: s.label,
    category: s.category,
    exactCents: exact(s.exact),
    cents: shares[i],
    explanation: s.explanation,
  }));
  out.push({
    key: 'overhead',
    label: 'Overhead',
    category: 'c_overhead',
    exactCents: exact(new Dec(direct).times(o)),
    cents: overhead,
    explanation: `${pctText(o)} van de directe kosten ${euro(direct)}`,
  });
  out.push({
    key: 'risico',
    label: 'Risico- en innovatieopslag',
    category: 'opslag',
    exactCents: exact(new Dec(direct + overhead).times(r)),
    cents: risk,
    explanation: `${pctText(r)} van directe kosten plus overhead ${euro(direct + overhead)}`,
  });
  return {
    code: head.code,
    name: head.name,
    unit: head.unit,
    unitCode: UNIT_CODE[head.unit],
    costUnit,
    steps: out,
    functions,
    directCents: direct,
    overheadCents: overhead,
    riskCents: risk,
    totalCents: total,
    tariffCents: head.unit === 'minuut' ? roundCents(new Dec(total).div(60)) : total, // R4
    exactCents: exact(exactTotal),
    boundCents: roundingBound(o, r).toString(),
    overheadPct: o.times(100).toString(),
    riskPct: r.times(100).toString(),
  };
}

// --- a product (or band) tariff ---------------------------------------------------------------------------------

const UNIT_TEXT: Record<TariffUnit, string> = { minuut: 'minuut', uur: 'uur', dagdeel: 'dagdeel', etmaal: 'etmaal' };

/** The tariff of one product from the norms, with every step of the build-up. */
export function buildProductTariff(norms: NormSetBody, p: ProductNorm): BuildUp {
  const at = `product ${p.code}`;
  if (!TARIFF_UNITS.includes(p.unit)) throw new TariffInputError(`${at}: eenheid`, `${at}: eenheid '${p.unit}' is niet minuut, uur, dagdeel of etmaal`);
  const etmaal = p.unit === 'etmaal';
  const base = p.unit === 'uur' || p.unit === 'minuut' ? new Dec(1) : dec(p.hoursPerUnit ?? '', `${at}: uren per ${UNIT_TEXT[p.unit]}`);
  if (base.lt(0)) throw new TariffInputError(`${at}: uren`, `${at}: uren per eenheid mogen niet negatief zijn`);
  const productivity = positive(p.productivity, `${at}: productiviteit`);
  if (productivity.gt(1))
    throw new TariffInputError(`${at}: productiviteit`, `${at}: productiviteit is een deel van de betaalde uren (hoogstens 1), niet ${p.productivity}`);
  const occupancy = etmaal ? pct(p.occupancyPct ?? '100', `${at}: bezetting`, 100) : new Dec(1);
  if (occupancy.isZero()) throw new TariffInputError(`${at}: bezetting`, `${at}: een bezetting van 0% geeft geen tarief`);
  if (!p.mix.length && base.gt(0)) throw new TariffInputError(`${at}: functiemix`, `${at}: geef de functiemix van het cliëntgebonden personeel`);
  const shareSum = p.mix.reduce((a, m, i) => a.plus(dec(m.share, `${at}: aandeel functie ${i + 1}`)), new Dec(0));
  if (p.mix.length && !shareSum.eq(1))
    throw new TariffInputError(`${at}: functiemix`, `${at}: de aandelen in de functiemix tellen op tot ${num(shareSum.times(100), 4)}%, niet 100%`);

  const functions = new Map<string, FnCost>();
  const cost = (id: string, field: string) => {
    if (!functions.has(id)) functions.set(id, functionCost(norms, id, field));
    return functions.get(id)!;
  };
  // client-bound staff, split into salary, allowances, social charges and the non-client time (productivity)
  let salary = new Dec(0),
    allowances = new Dec(0),
    social = new Dec(0),
    nonClient = new Dec(0);
  const parts: string[] = [];
  const hoursPerFte = positive(norms.hoursPerFte, 'uren per fte');
  const occText = etmaal && !occupancy.eq(1) ? ` / ${num(occupancy.times(100), 2)}% bezetting` : '';
  for (const [i, m] of p.mix.entries()) {
    const f = cost(m.functionId, `${at}: functiemix ${i + 1}`);
    const hours = base.times(dec(m.share, `${at}: aandeel`)).div(occupancy); // paid-for client hours per unit
    const perHour = (x: Decimal) => x.div(hoursPerFte).times(hours);
    salary = salary.plus(perHour(f.annual));
    allowances = allowances.plus(perHour(f.allowances));
    social = social.plus(perHour(f.social));
    nonClient = nonClient.plus(perHour(f.employer).times(new Dec(1).div(productivity).minus(1)));
    parts.push(`${f.fn.name}: ${num(base.times(dec(m.share)), 4)} uur${occText} × ${euro(f.perPaidHour)} per betaald uur`);
  }
  const hoursText = p.unit === 'minuut' ? 'per uur (het minuuttarief is het uurtarief / 60)' : `per ${UNIT_TEXT[p.unit]}`;
  const raw: RawStep[] = [
    {
      key: 'salaris',
      label: 'Salaris',
      category: 'a_personeel_clientgebonden',
      exact: salary,
      explanation: `Jaarsalaris / ${num(hoursPerFte)} uur per fte × cliëntgebonden uren ${hoursText}. ${parts.join('; ')}`,
    },
    {
      key: 'toeslagen',
      label: 'Toeslagen',
      category: 'a_personeel_clientgebonden',
      exact: allowances,
      explanation: `Vakantiegeld ${num(norms.holidayPayPct)}%, eindejaarsuitkering ${num(norms.yearEndBonusPct)}% en onregelmatigheidstoeslag per functie, over het jaarsalaris`,
    },
    {
      key: 'sociale_lasten',
      label: 'Sociale lasten',
      category: 'a_personeel_clientgebonden',
      exact: social,
      explanation: `${num(norms.socialChargesPct)}% werkgeverslasten (premies, pensioen) over salaris en toeslagen`,
    },
    {
      key: 'productiviteit',
      label: 'Niet-cliëntgebonden tijd (productiviteit)',
      category: 'a_personeel_clientgebonden',
      exact: nonClient,
      explanation: `Productiviteit ${num(productivity.times(100), 2)}%: per cliëntgebonden uur worden 1 / ${num(productivity, 4)} = ${num(new Dec(1).div(productivity), 4)} uren betaald`,
    },
  ];
  if (etmaal) {
    const places = p.groupPlaces ?? 0;
    let indirect = new Dec(0);
    const ip: string[] = [];
    for (const [i, x] of (p.indirect ?? []).entries()) {
      if (!Number.isInteger(places) || places <= 0)
        throw new TariffInputError(`${at}: plaatsen`, `${at}: geef het aantal plaatsen per groep voor het personeel per groep`);
      const f = cost(x.functionId, `${at}: niet-cliëntgebonden personeel ${i + 1}`);
      const fte = dec(x.ftePerGroup, `${at}: fte ${f.fn.name}`);
      if (fte.lt(0)) throw new TariffInputError(`${at}: fte`, `${at}: fte mag niet negatief zijn`);
      indirect = indirect.plus(fte.times(f.employer).div(new Dec(places).times(365).times(occupancy)));
      ip.push(`${num(fte, 4)} fte ${f.fn.name} × ${euro(f.employer)} per jaar`);
    }
    raw.push({
      key: 'personeel_indirect',
      label: 'Personeel niet-cliëntgebonden',
      category: 'a_personeel_niet_clientgebonden',
      exact: indirect,
      explanation: `${ip.join(' + ')} / (${places} plaatsen × 365 etmalen${occText})`,
    });
  }
  const other = cents(p.otherCentsPerUnit, `${at}: overige cliëntgebonden kosten`);
  raw.push({
    key: 'overige_kosten',
    label: etmaal ? 'Overige cliëntgebonden kosten (verzorging)' : 'Overige cliëntgebonden kosten',
    category: 'b_overige_clientgebonden',
    exact: other,
    explanation: `${euro(other)} per ${UNIT_TEXT[p.unit === 'minuut' ? 'uur' : p.unit]} (materiële kosten, reiskosten${etmaal ? ', voeding, kleding, zakgeld' : ''})`,
  });
  if (etmaal) {
    const housing = cents(p.housingCentsPerPlacePerYear, `${at}: huisvesting`);
    raw.push({
      key: 'huisvesting',
      label: 'Huisvesting',
      category: 'b_overige_clientgebonden',
      exact: housing.div(new Dec(365).times(occupancy)),
      explanation: `${euro(housing)} per plaats per jaar / 365 etmalen${occText}`,
    });
  }
  const o = pct(p.overheadPct ?? norms.overheadPct, `${at}: overhead`, 100);
  const r = pct(p.riskPct ?? norms.riskPct, `${at}: risico-opslag`, 100);
  return finish(
    p,
    raw,
    [...functions.values()].map((f) => f.out),
    o,
    r,
  );
}

// --- gezinshuis per home --------------------------------------------------------------------------------------

export function buildGezinshuisTariff(norms: NormSetBody, g: GezinshuisInput, code = '43A10'): BuildUp {
  const at = `gezinshuis ${g.name}`;
  if (!Number.isInteger(g.places) || g.places <= 0 || g.places > 12)
    throw new TariffInputError(`${at}: plaatsen`, `${at}: het aantal plaatsen moet tussen 1 en 12 liggen`);
  const occupancy = pct(g.occupancyPct, `${at}: bezetting`, 100);
  if (occupancy.isZero()) throw new TariffInputError(`${at}: bezetting`, `${at}: een bezetting van 0% geeft geen tarief`);
  const days = new Dec(g.places).times(365).times(occupancy); // occupied child-days per year
  const functions: FunctionCost[] = [];
  const occText = `${g.places} plaatsen × 365 × ${num(occupancy.times(100), 2)}% bezetting`;
  let parents: Decimal, parentsText: string;
  if (g.parents.mode === 'loondienst') {
    const f = functionCost(norms, g.parents.functionId, `${at}: gezinshuisouders`);
    functions.push(f.out);
    const fte = dec(g.parents.fte, `${at}: fte gezinshuisouders`);
    parents = fte.times(f.employer).div(days);
    parentsText = `${num(fte, 4)} fte ${f.fn.name} × ${euro(f.employer)} werkgeverslasten per jaar / (${occText})`;
  } else {
    const fee = cents(g.parents.feeCentsPerYear, `${at}: vergoeding gezinshuisouders`);
    parents = fee.div(days);
    parentsText = `Vergoeding (zzp) ${euro(fee)} per jaar / (${occText})`;
  }
  const gw = functionCost(norms, g.behaviouralScientist.functionId, `${at}: gedragswetenschapper`);
  const sup = functionCost(norms, g.support.functionId, `${at}: ondersteuning`);
  for (const f of [gw, sup]) if (!functions.some((x) => x.functionId === f.out.functionId)) functions.push(f.out);
  const gwHours = dec(g.behaviouralScientist.hoursPerChildPerMonth, `${at}: uren gedragswetenschapper`).times(12).times(g.places);
  const supHours = dec(g.support.hoursPerMonth, `${at}: uren ondersteuning`).times(12);
  const gwCost = gwHours.times(gw.perPaidHour).div(days);
  const supCost = supHours.times(sup.perPaidHour).div(days);
  const intensity = pct(g.careIntensityPct, `${at}: zorgzwaarte`, 100);
  const respiteDays = dec(g.respite.daysPerYear, `${at}: respijtdagen`);
  const respite = respiteDays.times(cents(g.respite.centsPerDay, `${at}: respijt per dag`)).div(days);
  const care = cents(g.careCostsCentsPerChildPerDay, `${at}: verzorgingskosten`);
  const housing = cents(g.housingCentsPerYear, `${at}: huisvesting`).div(days);
  const raw: RawStep[] = [
    { key: 'gezinshuisouders', label: 'Gezinshuisouders', category: 'a_personeel_clientgebonden', exact: parents, explanation: parentsText },
    {
      key: 'gedragswetenschapper',
      label: 'Gedragswetenschapper',
      category: 'a_personeel_niet_clientgebonden',
      exact: gwCost,
      explanation: `${num(g.behaviouralScientist.hoursPerChildPerMonth)} uur per kind per maand × 12 × ${g.places} plaatsen × ${euro(gw.perPaidHour)} per uur / (${occText})`,
    },
    {
      key: 'ondersteuning',
      label: 'Ondersteuning en begeleiding',
      category: 'a_personeel_clientgebonden',
      exact: supCost,
      explanation: `${num(g.support.hoursPerMonth)} uur per maand × 12 × ${euro(sup.perPaidHour)} per uur / (${occText})`,
    },
    {
      key: 'zorgzwaarte',
      label: 'Zorgzwaarte-opslag',
      category: 'a_personeel_clientgebonden',
      exact: parents.plus(gwCost).plus(supCost).times(intensity),
      explanation: `${pctText(intensity)} over gezinshuisouders, gedragswetenschapper en ondersteuning`,
    },
    {
      key: 'respijt',
      label: 'Respijtzorg',
      category: 'b_overige_clientgebonden',
      exact: respite,
      explanation: `${num(respiteDays)} dagen per jaar × ${euro(g.respite.centsPerDay)} / (${occText})`,
    },
    {
      key: 'overige_kosten',
      label: 'Verzorgingskosten',
      category: 'b_overige_clientgebonden',
      exact: care,
      explanation: `${euro(care)} per kind per etmaal (voeding, kleding, zakgeld)`,
    },
    {
      key: 'huisvesting',
      label: 'Huisvesting',
      category: 'b_overige_clientgebonden',
      exact: housing,
      explanation: `${euro(g.housingCentsPerYear)} per jaar / (${occText})`,
    },
  ];
  const o = pct(g.overheadPct ?? norms.overheadPct, `${at}: overhead`, 100);
  const r = pct(g.marginPct ?? norms.riskPct, `${at}: marge`, 100);
  return finish({ code, name: g.name, unit: 'etmaal' }, raw, functions, o, r);
}

// --- verblijfsintensiteiten ------------------------------------------------------------------------------------

/** Hours per youth per etmaal: net group-staff roster hours per week / places / 7 (exact). */
export function intensity(hoursPerWeek: DecimalString | number, places: number): Decimal {
  if (!Number.isInteger(places) || places <= 0) throw new TariffInputError('plaatsen', 'Het aantal plaatsen moet een geheel getal groter dan 0 zijn');
  const h = dec(hoursPerWeek, 'roosteruren per week');
  if (h.lt(0)) throw new TariffInputError('roosteruren per week', 'Roosteruren per week mogen niet negatief zijn');
  return h.div(places).div(7);
}
/** The intensity as shown and classified: two decimals, half up (200 h, 6 places → 4.76). */
export const intensityRounded = (hoursPerWeek: DecimalString | number, places: number) =>
  intensity(hoursPerWeek, places).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** A band's norms: what one etmaal at this intensity takes. */
export type BandNorms = z.output<typeof S.BandNorms>;
export type Band = z.output<typeof S.Band>;
export type BandTableBody = z.output<typeof S.BandTableBody>;

export function bandProductNorm(b: Band): ProductNorm {
  return {
    code: b.productCode,
    name: `Verblijfsintensiteit ${b.name}`,
    unit: 'etmaal',
    hoursPerUnit: b.norms.normIntensity,
    mix: b.norms.mix,
    productivity: b.norms.productivity,
    otherCentsPerUnit: b.norms.careCostsCentsPerDay,
    groupPlaces: b.norms.groupPlaces,
    indirect: b.norms.indirect,
    housingCentsPerPlacePerYear: b.norms.housingCentsPerPlacePerYear,
    occupancyPct: b.norms.occupancyPct,
    overheadPct: b.norms.overheadPct,
    riskPct: b.norms.riskPct,
  };
}

/** Checks a band table: ascending limits from 0, each norm intensity inside its band, tariffs rising with the band. */
export function validateBandTable(norms: NormSetBody, t: BandTableBody): { tariffs: BuildUp[] } {
  if (!t.bands.length) throw new TariffInputError('klassen', 'Een klassentabel heeft minstens één klasse');
  const codes = new Set<string>();
  const limits: Decimal[] = [];
  const label = (i: number) => `klasse ${i + 1} (${t.bands[i].name || t.bands[i].code})`;
  for (const [i, b] of t.bands.entries()) {
    // first the structure: codes and ascending limits from 0
    const at = label(i);
    if (!b.code.trim() || !b.name.trim()) throw new TariffInputError(`klassen.${i}.naam`, `${at}: geef een code en een naam`);
    if (codes.has(b.code)) throw new TariffInputError(`klassen.${i}.code`, `${at}: code '${b.code}' komt twee keer voor`);
    codes.add(b.code);
    if (!/^\d{2}[A-Z0-9]\d{2}$/.test(b.productCode))
      throw new TariffInputError(`klassen.${i}.productcode`, `${at}: productcode '${b.productCode}' heeft niet de vorm 43A37`);
    const lower = dec(b.lowerLimit, `${at}: ondergrens`);
    if (i === 0 && !lower.isZero())
      throw new TariffInputError(`klassen.0.ondergrens`, `${at}: de eerste klasse begint bij 0 uur, zodat elke groep een klasse heeft`);
    if (i > 0 && !lower.gt(limits[i - 1]))
      throw new TariffInputError(
        `klassen.${i}.ondergrens`,
        `${at}: de ondergrens ${num(lower)} moet hoger zijn dan die van de klasse ervoor (${num(limits[i - 1])})`,
      );
    limits.push(lower);
  }
  const tariffs: BuildUp[] = [];
  for (const [i, b] of t.bands.entries()) {
    // then the norms: inside the band, tariffs rising
    const at = label(i);
    const next = limits[i + 1] ?? null;
    const norm = dec(b.norms.normIntensity, `${at}: normintensiteit`);
    if (norm.lt(limits[i]) || (next && norm.gte(next))) {
      throw new TariffInputError(
        `klassen.${i}.normintensiteit`,
        `${at}: de normintensiteit ${num(norm)} ligt niet in de klasse (${num(limits[i])} tot ${next ? num(next) : 'onbegrensd'})`,
      );
    }
    const tariff = buildProductTariff(norms, bandProductNorm(b));
    if (tariffs.length && tariff.tariffCents < tariffs[tariffs.length - 1].tariffCents) {
      throw new TariffInputError(
        `klassen.${i}.normen`,
        `${at}: het tarief ${euro(tariff.tariffCents)} is lager dan dat van de lichtere klasse (${euro(tariffs[tariffs.length - 1].tariffCents)}); een hogere intensiteit geeft een hoger tarief`,
      );
    }
    tariffs.push(tariff);
  }
  return { tariffs };
}

// --- which product a band stands for ----------------------------------------------------------------------------
// A band is only worth a tariff when its product code is one the region buys: in the region's product book, in a
// segment the region procures (not LTA, bought nationally), per etmaal. A group gets a band's product only when that
// product lies in the group's own top segment; a group whose own product lies in a segment no band maps to (a
// crisis group and its crisis bed product) keeps that product and is not classified (issue 18).

/** One product of the region's book as the band mapping needs it. */
export interface BookEntry {
  code: string;
  name: string;
  unit: string;
  segmentName: string | null;
  topSegmentCode: string | null;
  topSegmentName: string | null;
  /** false for a segment the region does not buy itself (LTA, JB/JR) */
  procuredByRegion: boolean;
}
export interface BandMapping {
  band: string;
  productCode: string;
  productName: string | null;
  segmentName: string | null;
  topSegmentCode: string | null;
  /** why this band has no product of the region, in Dutch; null when it has one */
  problem: string | null;
}

/** For each band: the region's product it stands for, or why there is none. */
export function mapBandProducts(bands: Band[], book: BookEntry[], regionName: string): BandMapping[] {
  const byCode = new Map(book.map((p) => [p.code, p]));
  return bands.map((b) => {
    const p = byCode.get(b.productCode);
    const base = {
      band: b.code,
      productCode: b.productCode,
      productName: p?.name ?? null,
      segmentName: p?.segmentName ?? null,
      topSegmentCode: p?.topSegmentCode ?? null,
    };
    if (!p)
      return {
        ...base,
        problem: `${b.productCode} staat niet in het productenboek van ${regionName}: klasse ${b.name} heeft geen product dat de regio inkoopt`,
      };
    if (!p.procuredByRegion)
      return {
        ...base,
        problem: `${b.productCode} (${p.name}) hoort bij ${p.topSegmentName ?? p.segmentName ?? 'een segment'}, dat de regio niet zelf inkoopt: klasse ${b.name} heeft geen product van de regio`,
      };
    if (p.unit !== '14')
      return { ...base, problem: `${b.productCode} (${p.name}) wordt niet per etmaal gedeclareerd: klasse ${b.name} heeft geen verblijfsproduct` };
    return { ...base, problem: null };
  });
}

/** The product a group in band `band` gets, given its own product: the band's, when the region buys it for that segment. */
export function groupBandProduct(
  ownProductCode: string | null,
  mapping: BandMapping,
  book: BookEntry[],
): { productCode: string | null; problem: string | null } {
  if (mapping.problem) return { productCode: null, problem: mapping.problem };
  const own = ownProductCode ? book.find((p) => p.code === ownProductCode) : undefined;
  if (own?.topSegmentCode && mapping.topSegmentCode !== own.topSegmentCode) {
    return {
      productCode: null,
      problem: `${mapping.productCode} (${mapping.productName}) hoort bij ${mapping.segmentName}, niet bij ${own.topSegmentName}: de regio koopt in ${own.topSegmentName} geen product voor deze klasse in`,
    };
  }
  return { productCode: mapping.productCode, problem: null };
}

/** Whether a group is classified into bands: not when its own product lies in a top segment no band maps to (crisis). */
export function usesBands(ownProductCode: string | null, mappings: BandMapping[], book: BookEntry[]): boolean {
  const own = ownProductCode ? book.find((p) => p.code === ownProductCode) : undefined;
  if (!own?.topSegmentCode) return true;
  return mappings.some((m) => m.problem === null && m.topSegmentCode === own.topSegmentCode);
}

/** The band an intensity (rounded to two decimals) falls in: the last band whose lower limit it reaches. */
export function classify(bands: Band[], value: Decimal): number {
  let found = -1;
  for (const [i, b] of bands.entries()) if (value.gte(dec(b.lowerLimit))) found = i;
  return found;
}

export interface GroupInput {
  id: number;
  hoursPerWeek: string | null;
  places: number;
}
export interface Classification {
  id: number;
  intensity: string | null;
  band: number;
}

export function classifyGroups(bands: Band[], groups: GroupInput[]): Classification[] {
  return groups.map((g) => {
    if (g.hoursPerWeek === null || g.places <= 0) return { id: g.id, intensity: null, band: -1 };
    const v = intensityRounded(g.hoursPerWeek, g.places);
    return { id: g.id, intensity: v.toFixed(2), band: classify(bands, v) };
  });
}

// --- indexation ------------------------------------------------------------------------------------------------

export type IndexComponent = z.output<typeof S.IndexComponent>;

/** The weighted index in % (e.g. OVA 90% + PCC 10%); the weights add up to 1. */
export function weightedIndex(components: IndexComponent[]): Decimal {
  if (!components.length) throw new TariffInputError('componenten', 'Geef minstens één indexcomponent (bv. OVA en PCC)');
  const w = components.reduce((a, c, i) => a.plus(dec(c.weight, `component ${i + 1}: gewicht`)), new Dec(0));
  if (!w.eq(1)) throw new TariffInputError('componenten', `De gewichten tellen op tot ${num(w.times(100), 4)}%, niet 100%`);
  return components.reduce((a, c, i) => a.plus(dec(c.weight).times(dec(c.pct, `component ${i + 1}: percentage`))), new Dec(0));
}

/**
 * The factor for next year's tariffs: the provisional index of that year, times the correction of the year
 * before (definitive / provisional) when both are known: (1 + p) × (1 + d_prev) / (1 + p_prev).
 */
export function indexFactor(provisionalPct: DecimalString, correction?: { provisionalPct: DecimalString; definitivePct: DecimalString }): Decimal {
  const f = new Dec(1).plus(dec(provisionalPct, 'voorlopige index').div(100));
  if (!correction) return f;
  return f
    .times(new Dec(1).plus(dec(correction.definitivePct, 'definitieve index vorig jaar').div(100)))
    .div(new Dec(1).plus(dec(correction.provisionalPct, 'voorlopige index vorig jaar').div(100)));
}

/** A tariff indexed: one rounding to whole cents (half up). A factor of exactly 1 changes nothing. */
export function indexCents(amountCents: number, factor: Decimal): number {
  if (factor.lte(0)) throw new TariffInputError('indexfactor', 'De indexfactor moet groter dan 0 zijn');
  return roundCents(new Dec(amountCents).times(factor));
}

/** A price on a declaration line: volume × tariff, or for minutes on an hourly tariff round(volume × H / 60) (IV081). */
export function linePrice(volume: number, lineUnit: string, productUnit: string, tariffCents: number): number | null {
  if (lineUnit === '83') return null;
  if (lineUnit === productUnit) return volume * tariffCents;
  if (lineUnit === '01' && productUnit === '04') return roundCents(new Dec(volume).times(tariffCents).div(60));
  return null;
}
