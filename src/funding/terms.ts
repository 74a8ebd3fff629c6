// The terms a contract's funding form needs, as zod schemas: the API validates a contract's funding against them and
// the store writes nothing unless they hold. Amounts are integer cents; bandwidth is a percentage with two decimals.
import { z } from 'zod';
import { badRequest, invalidRows, type FieldError } from '../core/errors.ts';
import { EXECUTION_VARIANT, type FundingForm } from './rules.ts';

const MAX_CENTS = 1_000_000_000_000; // € 10 mld: anything above is an overflow, not a contract
const amount = (what: string) =>
  z
    .number({ error: `${what}: een bedrag in centen` })
    .int(`${what}: hele centen`)
    .min(0, `${what}: mag niet negatief zijn`)
    .max(MAX_CENTS, `${what}: te groot`);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'datum als JJJJ-MM-DD');
const instalment = z.object({ due: day, amountCents: amount('termijn') });

export const PERIODS = ['maand', 'kwartaal', 'jaar'] as const;
export const TermsSchemas = {
  pq: z.object({}).strict(),
  profiel: z
    .object({
      profiles: z
        .array(
          z.object({
            profile: z.string().min(1).max(20),
            validFrom: day,
            validTo: day.nullable().default(null),
            tariffCents: amount('tarief'),
            period: z.enum(PERIODS).default('maand'),
            productCode: z.string().min(1).max(10).optional() /* the product that stands for this profile: its allocations carry the profile */,
          }),
        )
        .min(1, 'ten minste één profiel met tarief'),
      productCodes: z.array(z.string().min(1).max(10)).min(1).optional(), // a sub-segment's contract: the products it covers
    })
    .strict(),
  traject: z
    .object({
      priceCents: amount('prijs per traject'),
      billingMoments: z.array(z.object({ moment: z.enum(['start', 'einde']), pct: z.number().int().min(0).max(100) })).min(1),
      monthly: z.boolean().default(false), // gedeclareerd per maand, voor trajecten die die maand bereikten
      productCodes: z.array(z.string().min(1).max(10)).min(1).optional(), // a sub-segment's contract: the products it covers
    })
    .strict(),
  beschikbaarheid: z
    .object({
      reservedUnits: z.number().int().min(0, 'gereserveerde capaciteit: niet negatief').max(100_000),
      unitLabel: z.string().min(1).max(40).default('bedden'),
      pricePerUnitPerPeriodCents: amount('prijs per eenheid per periode'),
      period: z.enum(PERIODS).default('maand'),
      useTariffCents: amount('gebruikstarief').nullable().default(null),
      instalments: z.array(instalment).default([]),
    })
    .strict(),
  lumpsum: z.object({ instalments: z.array(instalment).min(1, 'termijnen: ten minste één') }).strict(),
  nacalculatie: z
    .object({
      advances: z.array(instalment).min(1, 'voorschotten: ten minste één'),
      ceilingCents: amount('plafond'),
      pilot: z.boolean().default(false),
      pilotValueCents: amount('totale waarde pilot').nullable().default(null),
    })
    .strict(),
} as const;

export const ContractFundingInput = z.object({
  providerId: z.number().int().positive(),
  segmentId: z.number().int().positive(),
  fundingForm: z.enum(['pq', 'profiel', 'traject', 'beschikbaarheid', 'lumpsum', 'nacalculatie']),
  validFrom: day,
  validTo: day.nullable().default(null),
  lumpsumCents: amount('lumpsum').nullable().default(null),
  bandwidthPct: z.number().min(0, 'bandbreedte: niet onder 0%').max(100, 'bandbreedte: niet boven 100%').nullable().default(null),
  outsideBand: z.enum(['niets', 'gesprek', 'verrekenen', 'plafond']).default('gesprek'),
  terms: z.record(z.string(), z.unknown()).default({}),
  changeReason: z.string().max(500).default(''),
  costKey: z.string().min(1).max(40).default('gebruik'),
});
export type ContractFundingInput = z.infer<typeof ContractFundingInput>;

export interface ValidatedContract extends Omit<ContractFundingInput, 'terms'> {
  executionVariant: string;
  terms: Record<string, unknown>;
  bandwidthBp: number | null;
}

/** All checks that need no database: the form's terms, amounts, band, instalments adding up. Throws a 400 naming the field. */
export function validateContractFunding(input: ContractFundingInput): ValidatedContract {
  const form = input.fundingForm as FundingForm;
  const parsed = TermsSchemas[form].safeParse(input.terms);
  if (!parsed.success) {
    const errors: FieldError[] = parsed.error.issues.map((i) => ({ field: ['terms', ...i.path].join('.'), detail: i.message }));
    throw invalidRows('Bekostigingsvoorwaarden', errors);
  }
  const terms = parsed.data as Record<string, any>;
  if (input.validTo !== null && input.validTo <= input.validFrom) throw badRequest('validTo: de einddatum ligt niet na de begindatum', 'validTo');
  if (input.bandwidthPct !== null && Math.round(input.bandwidthPct * 100) !== input.bandwidthPct * 100)
    throw badRequest('bandwidthPct: ten hoogste twee decimalen', 'bandwidthPct');
  if (form === 'lumpsum') {
    if (input.lumpsumCents === null) throw badRequest('lumpsumCents: een lumpsumcontract noemt zijn jaarbedrag', 'lumpsumCents');
    if (input.bandwidthPct === null) throw badRequest('bandwidthPct: een lumpsumcontract noemt zijn bandbreedte', 'bandwidthPct');
    const sum = terms.instalments.reduce((a: number, t: any) => a + t.amountCents, 0);
    if (sum !== input.lumpsumCents)
      throw badRequest(`terms.instalments: de termijnen tellen op tot ${sum} ct, de lumpsum is ${input.lumpsumCents} ct`, 'terms.instalments');
  }
  if (form === 'beschikbaarheid' && terms.instalments.length) {
    const sum = terms.instalments.reduce((a: number, t: any) => a + t.amountCents, 0);
    const perYear = terms.reservedUnits * terms.pricePerUnitPerPeriodCents * ({ maand: 12, kwartaal: 4, jaar: 1 } as const)[terms.period as 'maand'];
    if (sum !== perYear)
      throw badRequest(`terms.instalments: de termijnen tellen op tot ${sum} ct, de beschikbaarheid per jaar is ${perYear} ct`, 'terms.instalments');
  }
  if (form === 'traject') {
    const pct = terms.billingMoments.reduce((a: number, m: any) => a + m.pct, 0);
    if (pct !== 100) throw badRequest(`terms.billingMoments: de percentages tellen op tot ${pct}, niet 100`, 'terms.billingMoments');
  }
  if (form === 'nacalculatie') {
    const sum = terms.advances.reduce((a: number, t: any) => a + t.amountCents, 0);
    if (sum > terms.ceilingCents)
      throw badRequest(`terms.advances: de voorschotten (${sum} ct) liggen boven het plafond (${terms.ceilingCents} ct)`, 'terms.advances');
  }
  if (form === 'profiel') {
    const ps = terms.profiles as { profile: string; validFrom: string; validTo: string | null }[];
    for (const [i, a] of ps.entries())
      for (const b of ps.slice(i + 1)) {
        if (a.profile === b.profile && a.validFrom < (b.validTo ?? '9999-12-31') && b.validFrom < (a.validTo ?? '9999-12-31'))
          throw badRequest(`terms.profiles: profiel ${a.profile} heeft twee tarieven voor dezelfde periode`, 'terms.profiles');
      }
    const byCode = new Map<string, string>();
    for (const p of ps as { profile: string; productCode?: string }[])
      if (p.productCode) {
        if (byCode.has(p.productCode) && byCode.get(p.productCode) !== p.profile)
          throw badRequest(
            `terms.profiles: product ${p.productCode} staat voor twee profielen (${byCode.get(p.productCode)} en ${p.profile})`,
            'terms.profiles',
          );
        byCode.set(p.productCode, p.profile);
      }
  }
  return {
    ...input,
    terms,
    executionVariant: EXECUTION_VARIANT[form],
    bandwidthBp: input.bandwidthPct === null ? null : Math.round(input.bandwidthPct * 100),
  };
}

export const QuarterFigureInput = z.object({
  contractId: z.number().int().positive(),
  year: z.number().int().min(2015).max(2100),
  quarter: z.number().int().min(1).max(4),
  clientsInCare: z.number().int().min(0, 'cliënten in zorg: niet negatief'),
  started: z.number().int().min(0, 'gestart: niet negatief'),
  stopped: z.number().int().min(0, 'gestopt: niet negatief'),
  hours: z.number().int().min(0, 'uren: niet negatief').default(0),
  realisedCents: amount('realisatie'),
});
export type QuarterFigureInput = z.infer<typeof QuarterFigureInput>;

export const CostLineInput = z.object({
  contractId: z.number().int().positive(),
  year: z.number().int().min(2015).max(2100),
  lines: z.array(z.object({ category: z.string().min(1).max(60), amountCents: amount('kosten'), eligible: z.boolean().default(true) })).min(1),
});

export const CostKeyInput = z.object({
  code: z.string().regex(/^[a-z0-9-]{2,40}$/, 'code: kleine letters, cijfers en streepjes'),
  name: z.string().min(1).max(100),
  method: z.enum(['jeugdigen', 'gebruik', 'vast', 'solidair']),
  weights: z.record(z.string().regex(/^\d{4}$/, 'gemeentecode: vier cijfers'), z.number().min(0, 'gewicht: niet negatief')).default({}),
});
