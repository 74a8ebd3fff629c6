// The shapes the calculator accepts and returns, as zod schemas: routes validate with them (and OpenAPI is
// generated from them), the CLI checks its input file with them, the store checks what it reads back.
import { z } from 'zod';
import { TARIFF_UNITS } from './model.ts';

/** "8.33" or "8,33": decimals travel as strings so nothing is lost to floating point. */
export const DecimalStr = z.string().trim().regex(/^\d{1,9}([.,]\d{1,10})?$/, 'een getal zoals 8.33').describe('decimaal getal als tekst, bv. "8.33"');
export const Cents = z.number().int().min(0).max(100_000_000_000).describe('eurocenten');
const Id = z.string().trim().min(1).max(40).regex(/^[a-z0-9_-]+$/, 'kleine letters, cijfers, - en _');
const Name = z.string().trim().min(1).max(120);
const ProductCode = z.string().trim().regex(/^\d{2}[A-Z0-9]\d{2}$/, 'productcode zoals 45A53');
export const Unit = z.enum(TARIFF_UNITS as [string, ...string[]]).describe('minuut, uur, dagdeel of etmaal');
const Mix = z.array(z.object({ functionId: Id, share: DecimalStr.describe('aandeel 0–1') })).max(10);

export const FunctionNorm = z.object({
  id: Id, name: Name,
  scale: z.string().trim().max(10).optional(), step: z.number().int().min(0).max(40).optional(),
  hourlyWageCents: Cents.optional().describe('bruto uurloon in centen, in plaats van schaal en trede'),
  irregularPct: DecimalStr.describe('onregelmatigheidstoeslag in % van het jaarsalaris'),
}).refine((f) => f.hourlyWageCents !== undefined || (f.scale !== undefined && f.step !== undefined), { message: 'geef schaal en trede, of een uurloon', path: ['scale'] });

export const ProductNorm = z.object({
  code: ProductCode, name: Name, unit: Unit,
  hoursPerUnit: DecimalStr.optional().describe('dagdeel/etmaal: cliëntgebonden uren per eenheid; etmaal: de verblijfsintensiteit'),
  mix: Mix, productivity: DecimalStr.describe('cliëntgebonden uren per betaald uur (0–1)'),
  otherCentsPerUnit: Cents,
  groupPlaces: z.number().int().min(1).max(50).optional(),
  indirect: z.array(z.object({ functionId: Id, ftePerGroup: DecimalStr })).max(10).optional(),
  housingCentsPerPlacePerYear: Cents.optional(),
  occupancyPct: DecimalStr.optional(),
  overheadPct: DecimalStr.optional(), riskPct: DecimalStr.optional(),
});

export const GezinshuisInput = z.object({
  name: Name, places: z.number().int().min(1).max(12), occupancyPct: DecimalStr,
  parents: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('loondienst'), functionId: Id, fte: DecimalStr }),
    z.object({ mode: z.literal('zzp'), feeCentsPerYear: Cents }),
  ]),
  behaviouralScientist: z.object({ functionId: Id, hoursPerChildPerMonth: DecimalStr }),
  support: z.object({ functionId: Id, hoursPerMonth: DecimalStr }),
  respite: z.object({ daysPerYear: DecimalStr, centsPerDay: Cents }),
  careCostsCentsPerChildPerDay: Cents, housingCentsPerYear: Cents, careIntensityPct: DecimalStr,
  overheadPct: DecimalStr.optional(), marginPct: DecimalStr.optional(),
});

export const NormSetBody = z.object({
  label: z.string().trim().min(1).max(200),
  priceYear: z.number().int().min(2000).max(2100),
  hoursPerFte: DecimalStr, holidayPayPct: DecimalStr, yearEndBonusPct: DecimalStr, socialChargesPct: DecimalStr,
  overheadPct: DecimalStr, riskPct: DecimalStr,
  scales: z.array(z.object({ scale: z.string().trim().min(1).max(10), steps: z.array(Cents).min(1).max(40) })).max(40),
  functions: z.array(FunctionNorm).min(1).max(60),
  products: z.array(ProductNorm).max(200),
  gezinshuis: GezinshuisInput.extend({ code: ProductCode }).optional(),
});

export const BandNorms = z.object({
  normIntensity: DecimalStr, mix: Mix, productivity: DecimalStr, groupPlaces: z.number().int().min(1).max(50),
  indirect: z.array(z.object({ functionId: Id, ftePerGroup: DecimalStr })).max(10),
  housingCentsPerPlacePerYear: Cents, careCostsCentsPerDay: Cents, occupancyPct: DecimalStr,
  overheadPct: DecimalStr.optional(), riskPct: DecimalStr.optional(),
});
export const Band = z.object({
  code: z.string().trim().min(1).max(10), name: z.string().trim().min(1).max(60),
  lowerLimit: DecimalStr.describe('ondergrens (inclusief), uren per jeugdige per etmaal'), productCode: ProductCode, norms: BandNorms,
});
export const BandTableBody = z.object({ bands: z.array(Band).min(1).max(20), groupTypes: z.array(z.string().trim().min(1).max(40)).min(1).max(20) });

export const IndexComponent = z.object({ name: z.string().trim().min(1).max(40), weight: DecimalStr, pct: DecimalStr });

// --- answers -------------------------------------------------------------------------------------------------

export const Step = z.object({
  key: z.string(), label: z.string(), category: z.string(), exactCents: z.string(), cents: z.number(), explanation: z.string(),
});
export const FunctionCost = z.object({
  functionId: z.string(), name: z.string(), basis: z.string(), monthlySalary: z.string(), annualSalary: z.string(), holidayPay: z.string(),
  yearEndBonus: z.string(), irregular: z.string(), socialCharges: z.string(), employerCostPerYear: z.string(), perPaidHour: z.string(),
});
export const BuildUp = z.object({
  code: z.string(), name: z.string(), unit: z.string(), unitCode: z.string(), costUnit: z.string(),
  steps: z.array(Step), functions: z.array(FunctionCost),
  directCents: z.number(), overheadCents: z.number(), riskCents: z.number(), totalCents: z.number(), tariffCents: z.number(),
  exactCents: z.string(), boundCents: z.string(), overheadPct: z.string(), riskPct: z.string(),
});

/** The CLI's input file: a norm set and the product (or gezinshuis) to build. */
export const CalcInput = z.object({
  norms: NormSetBody,
  product: ProductNorm.optional(),
  productCode: ProductCode.optional().describe('een product uit norms.products'),
  gezinshuis: GezinshuisInput.optional(),
}).refine((c) => [c.product, c.productCode, c.gezinshuis].filter((x) => x !== undefined).length === 1,
  { message: 'geef precies één van product, productCode of gezinshuis', path: ['product'] });
