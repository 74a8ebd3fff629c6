// Roles and what each may see. The scope rules live here, in one place.
import { forbidden, notFound } from '../core/errors.ts';

export const ROLES = ['regio', 'gemeente', 'aanbieder', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_NAMES: Record<Role | 'publiek', string> = {
  regio: 'Regionale inkoop en contractmanagement',
  gemeente: 'Gemeente (toegang en control)',
  aanbieder: 'Zorgaanbieder',
  coordinator: 'Coördinatiepunt',
  publiek: 'Publiek (niet ingelogd)',
};

export interface Account {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  regionId: string | null; // NULL = every loaded region (regio / coordinator)
  municipalityCode: string | null; // gemeente only
  providerId: number | null; // aanbieder only
  regionIds: string[]; // the regions this account may open, resolved at login
}

/** What a route needs. Every route declares one; the server refuses to register a route without it. */
export interface RouteAccess {
  roles: readonly Role[] | 'public';
  /** The route returns personal data of youths: every read is written to the audit log. */
  personal?: boolean;
}

/**
 * The data filter for one account within one region: NULL means "no restriction on this column".
 * gemeente: money and allocations of its municipality (the paying one, woonplaatsbeginsel), and its residents;
 * aanbieder: its own allocations, declarations and the youths it holds an allocation for;
 * regio, coordinator: the region's aggregates (no youth-level routes).
 */
export interface DataScope {
  regionId: string;
  municipalityCode: string | null;
  providerId: number | null;
  label: string;
}

export function dataScope(account: Account, regionId: string): DataScope {
  if (!account.regionIds.includes(regionId)) throw notFound(`Regio '${regionId}'`);
  switch (account.role) {
    case 'gemeente':
      return { regionId, municipalityCode: account.municipalityCode, providerId: null, label: `gemeente ${account.displayName}` };
    case 'aanbieder':
      return { regionId, municipalityCode: null, providerId: account.providerId, label: `aanbieder ${account.displayName}` };
    case 'regio':
    case 'coordinator':
      return { regionId, municipalityCode: null, providerId: null, label: 'de hele regio' };
  }
}

export function requireRole(account: Account | null, roles: readonly Role[]): Account {
  if (!account || !roles.includes(account.role)) throw forbidden();
  return account;
}
