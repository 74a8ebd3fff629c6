// The shapes the calculator accepts and returns, as zod schemas: routes validate with them (and OpenAPI is
// generated from them), the CLI checks its input file with them, the store checks what it reads back. The input
// shapes are defined here only: model.ts takes its types from them (z.output). The answers (Step, FunctionCost,
// BuildUp) are built by model.ts; the compiler checks below that each schema says exactly what model.ts builds.
import { z } from 'zod';
import { CATEGORIES, STEP_KEYS, TARIFF_UNITS, type BuildUp as BuildUpModel, type FunctionCost as FunctionCostModel, type Step as StepModel } from './model.ts';

/** "8.33" or "8,33": decimals travel as strings so nothing is lost to floating point. */
export const DecimalStr = z
  .string()
  .trim()
  .regex(/^\d{1,9}([.,]\d{1,10})?$/, 'een getal zoals 8.33')
  .describe('decimaal getal als tekst, bv. "8.33"');
export const Cents = z.number().int().min(0).max(100_000_000_000).describe('eurocenten');
const Id = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9_-]+$/, 'kleine letters, cijfers, - en _');
const Name = z.string().trim().min(1).max(120);
const ProductCode = z
  .string()
  .trim()
  .regex(/^\d{2}[A-Z0-9]\d{2}$/, 'productcode zoals 45A53');
export const Unit = z.enum(TARIFF_UNITS).describe('minuut, uur, dagdeel of etmaal');
const Mix = z.array(z.object({ functionId: Id, share: DecimalStr.describe('aandeel 0–1') })).max(10);

export const FunctionNorm = z
  .object({
    id: Id,
    name: Name,
    scale: z.string().trim().max(10).optional(),
    step: z.number().int().min(0).max(40).optional(),
    /** Gross hourly wage in cents, instead of a scale and step. */
    hourlyWageCents: Cents.optional().describe('bruto uurloon in centen, in plaats van schaal en trede'),
    /** Irregular-hours allowance (ORT) as % of the annual salary. */
    irregularPct: DecimalStr.describe('onregelmatigheidstoeslag in % van het jaarsalaris'),
  })
  .refine((f) => f.hourlyWageCents !== undefined || (f.scale !== undefined && f.step !== undefined), {
    message: 'geef schaal en trede, of een uurloon',
    path: ['scale'],
  });

export const ProductNorm = z.object({
  code: ProductCode,
  name: Name,
  unit: Unit,
  /** dagdeel, etmaal: client-bound staff hours per unit (for etmaal: the verblijfsintensiteit). uur: 1, minuut: 1/60 (built per hour). */
  hoursPerUnit: DecimalStr.optional().describe('dagdeel/etmaal: cliëntgebonden uren per eenheid; etmaal: de verblijfsintensiteit'),
  /** Function mix of the client-bound staff (e.g. MBO 60% / HBO 40%); shares add up to 1. */
  mix: Mix,
  /** Productivity: client-bound (rostered) hours per paid hour, 0 < p ≤ 1. */
  productivity: DecimalStr.describe('cliëntgebonden uren per betaald uur (0–1)'),
  /** Other client-bound costs per unit in cents (etmaal: care costs, verzorgingskosten). */
  otherCentsPerUnit: Cents,
  /** etmaal: places in the group (for the staff per group below). */
  groupPlaces: z.number().int().min(1).max(50).optional(),
  /** etmaal: not client-bound staff per group in fte (behavioural scientist, team leader). */
  indirect: z
    .array(z.object({ functionId: Id, ftePerGroup: DecimalStr }))
    .max(10)
    .optional(),
  /** etmaal: housing per place per year, in cents. */
  housingCentsPerPlacePerYear: Cents.optional(),
  /** etmaal: occupancy norm in % (bezettingsnorm); capacity costs are spread over occupied days. Default 100. */
  occupancyPct: DecimalStr.optional(),
  /** Overrides of the norm set's overhead and risk mark-up. */
  overheadPct: DecimalStr.optional(),
  riskPct: DecimalStr.optional(),
});

export const GezinshuisInput = z.object({
  name: Name,
  places: z.number().int().min(1).max(12),
  /** Occupancy in % (100 − leegstand). */
  occupancyPct: DecimalStr,
  /** Parents' income: employed on a CAO function for some fte, or a self-employed fee per year. */
  parents: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('loondienst'), functionId: Id, fte: DecimalStr }),
    z.object({ mode: z.literal('zzp'), feeCentsPerYear: Cents }),
  ]),
  behaviouralScientist: z.object({ functionId: Id, hoursPerChildPerMonth: DecimalStr }),
  support: z.object({ functionId: Id, hoursPerMonth: DecimalStr }),
  respite: z.object({ daysPerYear: DecimalStr, centsPerDay: Cents }),
  careCostsCentsPerChildPerDay: Cents,
  housingCentsPerYear: Cents,
  /** Care intensity mark-up (zorgzwaarte) on parents, behavioural scientist and support, in %. */
  careIntensityPct: DecimalStr,
  overheadPct: DecimalStr.optional(),
  /** Margin (marge) in %; defaults to the norm set's risk mark-up. */
  marginPct: DecimalStr.optional(),
});

export const NormSetBody = z.object({
  /** Shown wherever the set is used, e.g. "Voorbeeldnormen (demo): indicatieve bedragen, geen vastgestelde normen". */
  label: z.string().trim().min(1).max(200),
  /** The price level: the CAO and costs these amounts belong to. */
  priceYear: z.number().int().min(2000).max(2100),
  /** Paid hours per fte per year. */
  hoursPerFte: DecimalStr,
  holidayPayPct: DecimalStr,
  yearEndBonusPct: DecimalStr,
  socialChargesPct: DecimalStr,
  overheadPct: DecimalStr,
  riskPct: DecimalStr,
  scales: z.array(z.object({ scale: z.string().trim().min(1).max(10), steps: z.array(Cents).min(1).max(40) })).max(40),
  functions: z.array(FunctionNorm).min(1).max(60),
  products: z.array(ProductNorm).max(200),
  /** The standard gezinshuis (for the product tariff); homes may differ. */
  gezinshuis: GezinshuisInput.extend({ code: ProductCode }).optional(),
});

export const BandNorms = z.object({
  /** The intensity the tariff is built on (hours per youth per etmaal), inside the band. */
  normIntensity: DecimalStr,
  mix: Mix,
  productivity: DecimalStr,
  groupPlaces: z.number().int().min(1).max(50),
  indirect: z.array(z.object({ functionId: Id, ftePerGroup: DecimalStr })).max(10),
  housingCentsPerPlacePerYear: Cents,
  careCostsCentsPerDay: Cents,
  occupancyPct: DecimalStr,
  overheadPct: DecimalStr.optional(),
  riskPct: DecimalStr.optional(),
});
export const Band = z.object({
  code: z.string().trim().min(1).max(10),
  name: z.string().trim().min(1).max(60),
  /** Lower limit, inclusive (hours per youth per etmaal); a band runs to the next band's lower limit. */
  lowerLimit: DecimalStr.describe('ondergrens (inclusief), uren per jeugdige per etmaal'),
  /** The administrative product code of this band (e.g. 43A35 … 43A39). */
  productCode: ProductCode,
  norms: BandNorms,
});
export const BandTableBody = z.object({ bands: z.array(Band).min(1).max(20), groupTypes: z.array(z.string().trim().min(1).max(40)).min(1).max(20) });

export const IndexComponent = z.object({ name: z.string().trim().min(1).max(40), weight: DecimalStr, pct: DecimalStr });

// --- answers -------------------------------------------------------------------------------------------------

export const Step = z.object({
  key: z.enum(STEP_KEYS),
  label: z.string(),
  category: z.enum(CATEGORIES),
  exactCents: z.string(),
  cents: z.number(),
  explanation: z.string(),
});
export const FunctionCost = z.object({
  functionId: z.string(),
  name: z.string(),
  basis: z.string(),
  monthlySalary: z.string(),
  annualSalary: z.string(),
  holidayPay: z.string(),
  yearEndBonus: z.string(),
  irregular: z.string(),
  socialCharges: z.string(),
  employerCostPerYear: z.string(),
  perPaidHour: z.string(),
});
export const BuildUp = z.object({
  code: z.string(),
  name: z.string(),
  unit: Unit,
  unitCode: z.string(),
  costUnit: Unit,
  steps: z.array(Step),
  functions: z.array(FunctionCost),
  directCents: z.number(),
  overheadCents: z.number(),
  riskCents: z.number(),
  totalCents: z.number(),
  tariffCents: z.number(),
  exactCents: z.string(),
  boundCents: z.string(),
  overheadPct: z.string(),
  riskPct: z.string(),
});

// what the GET routes answer (routes.ts), so the web app's types derive from the server (npm run web:types)
const Stamp = z.string().describe('tijdstip, ISO 8601');
const NormSetMeta = z.object({
  id: z.number(),
  name: z.string(),
  version: z.number(),
  validFrom: z.string(),
  isExample: z.boolean(),
  note: z.string(),
  createdAt: Stamp,
});
export const NormSetSummary = NormSetMeta.extend({ label: z.string().nullable() });
export const NormSetAnswer = NormSetMeta.extend({ body: NormSetBody });
const BandTableStatus = z.enum(['concept', 'vastgesteld']);
export const BandTableSummary = z.object({
  id: z.number(),
  name: z.string(),
  version: z.number(),
  validFrom: z.string(),
  status: BandTableStatus,
  normSetId: z.number(),
  note: z.string(),
  createdAt: Stamp,
  bands: z.number(),
});
export const IndexAnswer = z.object({
  id: z.number(),
  year: z.number(),
  kind: z.enum(['voorlopig', 'definitief']),
  components: z.array(z.object({ name: z.string(), weight: z.string(), pct: z.string() })),
  weightedPct: z.string(),
  source: z.string(),
});
export const SetAnswer = z.object({
  id: z.number(),
  name: z.string(),
  validFrom: z.string(),
  status: z.enum(['concept', 'vastgesteld', 'gepubliceerd']),
  origin: z.enum(['kostprijs', 'indexatie']),
  normSetId: z.number().nullable(),
  bandTableId: z.number().nullable(),
  baseSetId: z.number().nullable(),
  indexFactor: z.string().nullable(),
  description: z.string(),
  createdAt: Stamp,
  approvedAt: Stamp.nullable(),
  publishedAt: Stamp.nullable(),
  lines: z.number(),
});
export const Overview = z.object({
  normSets: z.array(NormSetSummary),
  bandTables: z.array(BandTableSummary),
  indices: z.array(IndexAnswer),
  sets: z.array(SetAnswer),
  canEdit: z.boolean(),
});
export const SetDetail = z.object({
  set: SetAnswer,
  previousDate: z.string(),
  lines: z.array(
    z.object({
      productId: z.number(),
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      segment: z.string().nullable(),
      amountCents: z.number(),
      basis: z.string(),
      buildUp: BuildUp.nullable(),
      previousCents: z.number().nullable(),
      diffPct: z.number().nullable(),
    }),
  ),
});
const BandRef = z.object({
  band: z.string(),
  name: z.string(),
  productCode: z.string().nullable().describe("het product van de regio voor deze groep in deze klasse; null met de reden in 'problem'"),
  tariffCents: z.number(),
  problem: z.string().nullable(),
});
export const ClassifiedGroup = z.object({
  id: z.number(),
  name: z.string(),
  groupType: z.string(),
  providerId: z.number(),
  providerName: z.string(),
  locationName: z.string(),
  places: z.number(),
  hoursPerWeek: z.string().nullable(),
  productCode: z.string().nullable(),
  intensity: z.string().nullable(),
  before: BandRef.nullable(),
  after: BandRef.nullable(),
  changed: z.boolean(),
});
const BookEntry = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string(),
  segmentName: z.string().nullable(),
  topSegmentCode: z.string().nullable(),
  topSegmentName: z.string().nullable(),
  procuredByRegion: z.boolean().describe('false voor een segment dat de regio niet zelf inkoopt (LTA, JB/JR)'),
});
const BandMapping = z.object({
  band: z.string(),
  productCode: z.string(),
  productName: z.string().nullable(),
  segmentName: z.string().nullable(),
  topSegmentCode: z.string().nullable(),
  problem: z.string().nullable().describe('waarom deze klasse geen product van de regio heeft; null als hij er een heeft'),
});
export const Classification = z.object({
  bands: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      lowerLimit: z.string(),
      upperLimit: z.string().nullable(),
      productCode: z.string(),
      tariff: BuildUp,
      groups: z.number(),
      mapping: BandMapping,
    }),
  ),
  groups: z.array(ClassifiedGroup),
  changed: z.number(),
  ownProduct: z
    .array(
      z.object({
        id: z.number(),
        name: z.string(),
        groupType: z.string(),
        providerName: z.string(),
        locationName: z.string(),
        places: z.number(),
        productCode: z.string().nullable(),
        productName: z.string().nullable(),
        tariffCents: z.number().nullable(),
      }),
    )
    .describe('groepen van een gedekt type die hun eigen product houden (een crisisgroep: het crisisbedproduct), geen klasse'),
});
export const BandView = Classification.extend({
  regionName: z.string(),
  book: z.array(BookEntry.extend({ tariffCents: z.number().nullable() })),
  table: z.object({
    id: z.number(),
    name: z.string(),
    version: z.number(),
    validFrom: z.string(),
    status: BandTableStatus,
    note: z.string(),
    normSetId: z.number(),
    normSetLabel: z.string(),
    body: BandTableBody,
  }),
  unclassified: z.number().describe('groepen van een gedekt type zonder rooster: niet in te delen'),
});
export const Home = z.object({
  id: z.number(),
  name: z.string(),
  providerId: z.number(),
  providerName: z.string(),
  places: z.number(),
  tariffCents: z.number().nullable(),
  validFrom: z.string().nullable(),
  normSetId: z.number().nullable(),
  input: GezinshuisInput.nullable(),
  buildUp: BuildUp.nullable(),
  previousCents: z.number().nullable(),
  history: z.number(),
});

// each answer schema says exactly what model.ts builds: a field added on one side and not the other fails to compile
// (a field missing from a response schema would silently be left out of the answer)
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree: [Same<z.output<typeof Step>, StepModel>, Same<z.output<typeof FunctionCost>, FunctionCostModel>, Same<z.output<typeof BuildUp>, BuildUpModel>] = [
  true,
  true,
  true,
];
void agree;

/** The CLI's input file: a norm set and the product (or gezinshuis) to build. */
export const CalcInput = z
  .object({
    norms: NormSetBody,
    product: ProductNorm.optional(),
    productCode: ProductCode.optional().describe('een product uit norms.products'),
    gezinshuis: GezinshuisInput.optional(),
  })
  .refine((c) => [c.product, c.productCode, c.gezinshuis].filter((x) => x !== undefined).length === 1, {
    message: 'geef precies één van product, productCode of gezinshuis',
    path: ['product'],
  });
