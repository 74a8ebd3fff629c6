// Talks to /api. Errors arrive as problem+json; ApiError carries the Dutch message and the failing fields.
export class ApiError extends Error {
  constructor(public status: number, message: string, public fields: { field: string; detail: string; line?: number }[] = []) {
    super(message);
  }
}

export async function api<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...rest.headers },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  if (res.status === 204) return undefined as T;
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const p = typeof body === 'object' && body ? body : {};
    throw new ApiError(res.status, p.detail ?? p.title ?? `Fout ${res.status}`, p.errors ?? []);
  }
  return body as T;
}

export type Role = 'regio' | 'gemeente' | 'aanbieder' | 'coordinator';
export interface Me { id: number; username: string; displayName: string; role: Role; municipalityCode: string | null; providerId: number | null; regionIds: string[] }
export interface RegionSummary { id: string; name: string; municipalityCount: number; demoYear: number | null }
export interface Segment { id: number; code: string; name: string; parentId: number | null; fundingForm: string | null; fundingFormName: string | null; procuredByRegion: boolean }
export interface RegionDetail {
  id: string; name: string; procurement: string; demoYear: number | null; years: number[];
  municipalities: { code: string; name: string }[]; segments: Segment[]; providerCount: number;
}
export interface Figures { amountCents: number; persons: number }
export interface Dashboard {
  regionId: string; year: number; scope: { role: string; label: string };
  totals: { amountCents: number; persons: number; providers: number; municipalities: number };
  bySegment: { segmentId: number; code: string; name: string; amountCents: number; persons: number; providers: number }[];
  byMunicipality: { code: string; name: string; amountCents: number; persons: number; segments: Record<string, Figures> }[];
}
export interface Product {
  id: number; code: string; categoryCode: string; name: string; unit: string; unitName: string; segmentCode: string | null;
  segmentName: string | null; productGroup: string; executionVariant: string; tariffCents: number | null; tariffValidFrom: string | null;
}
export interface Provider { id: number; agbCode: string; name: string; providerType: string; segments: string[] }
export interface DemoAccount { username: string; password: string; role: string; description: string }
export interface SegmentConcentration {
  segmentId: number | null; code: string; name: string; providers: number; amountCents: number;
  top1Share: number; top3Share: number; top10Share: number; providersFor50: number; providersFor75: number; hhi: number;
  clientBands: { '1-10': number; '11-100': number; '>100': number }; inOneMunicipality: number; inAllMunicipalities: number; pareto: number[];
}
export interface Concentration { regionId: string; year: number; municipalities: number; overall: SegmentConcentration; bySegment: SegmentConcentration[] }
export interface RankedProvider {
  rank: number; providerId: number; agbCode: string; name: string; amountCents: number; clients: number;
  municipalities: number; share: number; cumulativeShare: number; supplierManagement: boolean;
}
export interface CostRow {
  key: string; label: string; amountCents: number; persons: number; averageCentsPerPerson: number | null;
  previousAmountCents: number; previousPersons: number; changePct: number | null;
}
export interface Costs { regionId: string; year: number; dimension: string; segment: string | null; total: CostRow; rows: CostRow[] }
export interface BudgetLine {
  budgetCents: number | null; realisedCents: number; forecastCents: number; deviationCents: number | null; deviationPct: number | null;
  flag: 'binnen' | 'over' | 'onder' | 'geen budget';
}
export interface BudgetReport {
  regionId: string; year: number; throughMonth: number; thresholdPct: number; method: string; total: BudgetLine;
  byMunicipality: (BudgetLine & { code: string; name: string })[]; bySegment: (BudgetLine & { code: string; name: string })[];
  cells: (BudgetLine & { municipalityCode: string; municipalityName: string; segmentCode: string; segmentName: string })[];
}
