// The register's rules as plain functions: what a valid provider, location and group is, and the messages that
// name the field when it is not. No database, no HTTP.
import type { FieldError } from '../core/errors.ts';

export const PROVIDER_TYPES = ['systeemaanbieder', 'groot', 'overig'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];
export const PROVIDER_TYPE_LABELS: Record<ProviderType, string> = {
  systeemaanbieder: 'Systeemaanbieder',
  groot: 'Grote aanbieder',
  overig: 'Overige aanbieder',
};

export interface ProviderInput {
  name: string;
  agbCode?: string | null;
  kvkNumber?: string | null;
  tradeNames?: string[];
  providerType?: ProviderType;
  mainContractorId?: number | null; // hoofdaannemer: set when this provider is a subcontractor (onderaannemer)
  homeMunicipalityCode?: string | null;
}

export interface LocationInput {
  name: string;
  street?: string;
  houseNumber?: string;
  postcode?: string | null;
  city?: string;
  municipalityCode: string;
  validFrom?: string | null;
}

export interface GroupInput {
  locationId: number;
  name: string;
  groupType: string;
  placesPhysical: number;
  placesContracted: number;
  ageMin?: number | null;
  ageMax?: number | null;
  gender?: string;
}

/** '7511 ab' → '7511AB'; null when it is not a Dutch postcode (four digits, not starting with 0, two letters). */
export function normalisePostcode(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.replace(/\s+/g, '').toUpperCase();
  return /^[1-9][0-9]{3}[A-Z]{2}$/.test(t) && !/^\d{4}(SA|SD|SS)$/.test(t) ? t : null;
}

/** An 8-digit code (AGB code or KvK number): '' / null is "none", anything else must be exactly 8 digits. */
export function checkCode(value: string | null | undefined, field: string, label: string): { value: string | null; error?: FieldError } {
  const t = (value ?? '').replace(/[\s.]/g, '');
  if (!t) return { value: null };
  if (!/^\d{8}$/.test(t)) return { value: null, error: { field, detail: `${label} '${value}' moet uit precies 8 cijfers bestaan` } };
  return { value: t };
}

/** A provider as it will be stored, or every field that is wrong. */
export function checkProvider(input: ProviderInput, prefix = ''): { value: Required<ProviderInput>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) errors.push({ field: `${prefix}name`, detail: 'naam is leeg' });
  else if (name.length > 200) errors.push({ field: `${prefix}name`, detail: 'naam is langer dan 200 tekens' });
  const agb = checkCode(input.agbCode, `${prefix}agbCode`, 'AGB-code');
  const kvk = checkCode(input.kvkNumber, `${prefix}kvkNumber`, 'KvK-nummer');
  if (agb.error) errors.push(agb.error);
  if (kvk.error) errors.push(kvk.error);
  const tradeNames = [...new Set((input.tradeNames ?? []).map((t) => t.trim().replace(/\s+/g, ' ')).filter((t) => t && t !== name))];
  if (tradeNames.some((t) => t.length > 200)) errors.push({ field: `${prefix}tradeNames`, detail: 'een handelsnaam is langer dan 200 tekens' });
  if (tradeNames.length > 20) errors.push({ field: `${prefix}tradeNames`, detail: 'meer dan 20 handelsnamen' });
  const providerType = input.providerType ?? 'overig';
  if (!PROVIDER_TYPES.includes(providerType))
    errors.push({ field: `${prefix}providerType`, detail: `soort '${providerType}' bestaat niet (${PROVIDER_TYPES.join(', ')})` });
  return {
    value: {
      name,
      agbCode: agb.value,
      kvkNumber: kvk.value,
      tradeNames,
      providerType,
      mainContractorId: input.mainContractorId ?? null,
      homeMunicipalityCode: input.homeMunicipalityCode ?? null,
    },
    errors,
  };
}

export function checkLocation(input: LocationInput, prefix = ''): { value: LocationInput & { postcode: string | null }; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = (input.name ?? '').trim();
  if (!name) errors.push({ field: `${prefix}name`, detail: 'naam van de locatie is leeg' });
  let postcode: string | null = null;
  if (input.postcode && input.postcode.trim()) {
    postcode = normalisePostcode(input.postcode);
    if (!postcode) errors.push({ field: `${prefix}postcode`, detail: `'${input.postcode}' is geen Nederlandse postcode (1234 AB)` });
  }
  if (!/^\d{4}$/.test(input.municipalityCode ?? ''))
    errors.push({ field: `${prefix}municipalityCode`, detail: `gemeentecode '${input.municipalityCode ?? ''}' moet 4 cijfers zijn (CBS-code)` });
  return {
    value: { ...input, name, postcode, street: (input.street ?? '').trim(), houseNumber: (input.houseNumber ?? '').trim(), city: (input.city ?? '').trim() },
    errors,
  };
}

export function checkGroup(input: GroupInput, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.name?.trim()) errors.push({ field: `${prefix}name`, detail: 'naam van de groep is leeg' });
  if (!input.groupType?.trim()) errors.push({ field: `${prefix}groupType`, detail: 'soort groep is leeg' });
  if (!Number.isInteger(input.placesPhysical) || input.placesPhysical < 0)
    errors.push({ field: `${prefix}placesPhysical`, detail: 'fysieke plaatsen: een geheel getal vanaf 0' });
  if (!Number.isInteger(input.placesContracted) || input.placesContracted < 0)
    errors.push({ field: `${prefix}placesContracted`, detail: 'gecontracteerde plaatsen: een geheel getal vanaf 0' });
  if (input.ageMin != null && input.ageMax != null && input.ageMin > input.ageMax)
    errors.push({ field: `${prefix}ageMax`, detail: 'maximumleeftijd ligt onder de minimumleeftijd' });
  return errors;
}

/** Field → [old, new] for the fields that differ (the history of an edit). */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(after)) {
    if (v === undefined) continue;
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null)) out[k] = [before[k] ?? null, v ?? null];
  }
  return out;
}
