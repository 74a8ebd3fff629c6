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
export interface Segment {
  id: number; code: string; name: string; parentId: number | null; fundingForm: string | null; fundingFormName: string | null; procuredByRegion: boolean;
  /** the segment tree (src/catalog/segments.ts): depth 0 a top segment; codes = itself and every segment below it */
  depth: number; topCode: string; topName: string; codes: string[];
}
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
  segmentName: string | null; topSegmentCode: string | null; topSegmentName: string | null; productGroup: string; executionVariant: string; tariffCents: number | null; tariffValidFrom: string | null;
}
export interface Provider {
  id: number; agbCode: string | null; kvkNumber: string | null; name: string; tradeNames: string[]; providerType: string;
  mainContractor: { id: number; name: string } | null; homeMunicipality: string | null; validFrom: string | null; validTo: string | null; ended: boolean;
  segments: string[]; locations: number; groups: number; places: number;
}
export interface ProviderGroup { id: number; name: string; groupType: string; placesPhysical: number; placesContracted: number; ageMin: number | null; ageMax: number | null; gender: string }
export interface ProviderLocation {
  id: number; name: string; street: string; houseNumber: string; postcode: string | null; city: string; municipality: { code: string; name: string };
  validFrom: string | null; validTo: string | null; groups: ProviderGroup[];
}
export interface ProviderDetail extends Omit<Provider, 'locations' | 'groups'> {
  locations: ProviderLocation[];
  contracts: { id: number; segment: { code: string; name: string }; fundingForm: string; validFrom: string; validTo: string | null; status: string }[];
  subcontractors: { id: number; name: string }[];
  history: { at: string; by: string; action: string; changes: Record<string, [unknown, unknown]> }[];
}
export interface ProviderImportRow {
  line: number; status: 'nieuw' | 'gewijzigd' | 'ongewijzigd' | 'geweigerd'; name: string; providerId: number | null; changes: string[];
  location: 'nieuw' | 'gewijzigd' | 'ongewijzigd' | null; errors: { field: string; detail: string; line?: number }[]; suggestion: string;
}
export interface ProviderImport {
  stage: 'kolommen' | 'proefrun' | 'opgeslagen'; fileName: string; headers: string[]; mapping: Record<string, string>;
  fields: { key: string; label: string; required?: boolean }[]; mappingErrors: { field: string; detail: string }[];
  counts: { rows: number; nieuw: number; gewijzigd: number; ongewijzigd: number; geweigerd: number; providersNew: number; providersChanged: number; locationsNew: number; locationsChanged: number };
  rows: ProviderImportRow[];
}
export interface PendingName { nameKey: string; providerName: string; rows: number; lines: number[]; importId: number; candidates: { id: number; name: string; score: number }[] }
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
export interface Flows {
  regionId: string; year: number;
  summary: { persons: number; residentialPersons: number; residentialShare: number; endedTrajectories: number; medianDurationDays: number | null; medianStayDays: number | null; crisisOver28Days: number };
  monthly: { month: string; inflow: number; outflow: number; running: number; persons: number }[];
  transitions: { from: string; to: string; youths: number }[];
  referrers: { referrer: string; allocations: number }[];
}

// --- coördinatiepunt (issue 5) ---
export type Light = 'open' | 'limited' | 'closed';
export interface PlacementSettings { staleAfterHours: number; reservationHours: number }
export interface PlacementGroup {
  groupId: number; name: string; groupType: string; typeLabel: string;
  product: { code: string; name: string } | null; segment: { code: string; name: string } | null;
  intensity: { hoursPerDay: number; band: string } | null;
  ageMin: number | null; ageMax: number | null; gender: string; targetGroups: string[]; expertise: string[];
  places: { physical: number; contracted: number; staffed: number; occupied: number; reserved: number; free: number };
  intakeOpen: boolean; light: Light; note: string; version: number; updatedAt: string | null; updatedBy: string | null; stale: boolean;
  providerId: number; providerName: string; location: { id: number; name: string; municipality: { code: string; name: string } };
}
export interface PlacementGroups { regionId: string; settings: PlacementSettings; total: number; truncated: boolean; groups: PlacementGroup[] }
export interface PlacementCapacity {
  groupType: string; typeLabel: string; groups: number; physical: number; contracted: number; staffed: number; occupied: number; reserved: number;
  free: number; open: number; limited: number; closed: number; stale: number; waitingNow?: number;
}
export type RequestStatus = 'aangemeld' | 'in_behandeling' | 'aangeboden' | 'geplaatst' | 'beeindigd' | 'ingetrokken';
export interface PlacementRequest {
  requestId: number; youthId: number | null; pseudonym: string; ageYears: number; gender: string; municipalityCode: string; municipalityName: string;
  careTypes: string[]; targetGroups: string[]; expertise: string[]; urgency: string; placesNeeded: number; maxDistanceKm: number | null; keepSchool: boolean;
  note: string; status: RequestStatus; registeredOn: string; placedOn: string | null; endedOn: string | null; withdrawnOn: string | null;
  waitingDays: number | null; stayDays: number | null; bridging: boolean;
  placedGroup: { groupId: number; name: string; groupType: string; providerId: number; providerName: string } | null;
  reservation: { reservationId: number; groupId: number; groupName: string; providerId: number; providerName: string; places: number; expiresAt: string } | null;
  events?: { onDate: string; at: string; fromStatus: string | null; toStatus: string; groupName: string | null; by: string | null; note: string }[];
}
export interface PlacementProposal {
  rank: number; groupId: number; name: string; groupType: string; providerName: string; locationName: string; municipalityName: string;
  free: number; stale: boolean; distanceKm: number; distanceApproximate: boolean; covered: string[]; missing: string[]; precedence: number | null;
  reasons: string[]; rankReason: string;
}
export interface PlacementProposals { requestId: number | null; considered: number; excluded: Record<string, number> | null; proposals: PlacementProposal[] }
export interface PlacementVocabulary {
  groupTypes: { code: string; label: string; precedence: number | null }[]; expertise: { code: string; label: string }[];
  targetGroups: { code: string; label: string }[]; lights: Record<Light, string>; statuses: Record<RequestStatus, string>;
  actions: { code: string; label: string; from: RequestStatus[]; to: RequestStatus; roles: Role[] }[]; exclusions: Record<string, string>; csvHeader: string;
}
export interface WaitingTimeRow {
  careFunction: string | null; careFunctionLabel: string; municipalityCode: string | null; municipalityName: string | null; placed: number;
  medianDays: number | null; p90Days: number | null; waitingNow: number; medianWaitingNowDays: number | null; longestWaitingNowDays: number | null;
}
export interface PlacementFlows {
  from: string; asOf: string;
  months: { month: string; inflow: number; throughflow: number; outflow: number; inCare: number; crisis: number; bridging: number }[];
  stays: { groupType: string; typeLabel: string; ended: number; medianEndedDays: number | null; ongoing: number; medianOngoingDays: number | null; bridgingNow: number }[];
}
export interface PublishedWait {
  providerId: number; providerName: string; agbCode: string | null; offer: string; careType: string; location: string; targetGroup: string; expertise: string;
  funding: string; weeksToIntake: number | null; weeksToTreatment: number | null; reportedOn: string; reportedPrecision: 'dag' | 'maand'; source: string; remarks: string;
}
export interface PublicPlacement {
  asOf: string; minimumCount: number;
  regions: { regionId: string; name: string; capacity: PlacementCapacity[];
    waits: { groupType: string; typeLabel: string; placed: number | null; medianWeeks: number | null; p90Weeks: number | null; waitingNow: number | null }[];
    published: { careType: string; providers: number; medianWeeksToIntake: number | null; medianWeeksToTreatment: number | null }[] }[];
}

// --- rekentool tarieven (src/tariffs) ---
export type { BuildUp, NormSetBody, ProductNorm, BandTableBody, Band, GezinshuisInput, FunctionNorm, Step, FunctionCost, BookEntry, BandMapping } from '../../src/tariffs/model.ts';
import type { BookEntry as TariffBookEntry, BandMapping as TariffBandMapping, BuildUp as TariffBuildUp, NormSetBody as TariffNormSetBody, BandTableBody as TariffBandTableBody, GezinshuisInput as TariffHomeInput } from '../../src/tariffs/model.ts';
export interface TariffNormSetSummary { id: number; name: string; version: number; validFrom: string; isExample: boolean; note: string; createdAt: string; label: string }
export interface TariffNormSet extends Omit<TariffNormSetSummary, 'label'> { body: TariffNormSetBody }
export interface TariffBandTableSummary { id: number; name: string; version: number; validFrom: string; status: 'concept' | 'vastgesteld'; normSetId: number; note: string; bands: number }
export interface TariffIndex { id: number; year: number; kind: 'voorlopig' | 'definitief'; components: { name: string; weight: string; pct: string }[]; weightedPct: string; source: string }
export type TariffSetStatus = 'concept' | 'vastgesteld' | 'gepubliceerd';
export interface TariffSet {
  id: number; name: string; validFrom: string; status: TariffSetStatus; origin: 'kostprijs' | 'indexatie'; normSetId: number | null; bandTableId: number | null;
  baseSetId: number | null; indexFactor: string | null; description: string; createdAt: string; approvedAt: string | null; publishedAt: string | null; lines: number;
}
export interface TariffOverview { normSets: TariffNormSetSummary[]; bandTables: TariffBandTableSummary[]; indices: TariffIndex[]; sets: TariffSet[]; canEdit: boolean }
export interface TariffSetDetail {
  set: TariffSet; previousDate: string;
  lines: { productId: number; code: string; name: string; unit: string; segment: string | null; amountCents: number; basis: string; buildUp: TariffBuildUp | null; previousCents: number | null; diffPct: number | null }[];
}
/** productCode null: the region buys no product for this band in the group's segment (`problem` says why) */
export interface TariffBandRef { band: string; name: string; productCode: string | null; tariffCents: number; problem?: string | null }
export interface TariffClassifiedGroup {
  id: number; name: string; groupType: string; providerId: number; providerName: string; locationName: string; places: number;
  hoursPerWeek: string | null; productCode: string | null; intensity: string | null; before: TariffBandRef | null; after: TariffBandRef | null; changed: boolean;
}
export interface TariffBandView {
  table: { id: number; name: string; version: number; validFrom: string; status: string; note: string; normSetId: number; normSetLabel: string; body: TariffBandTableBody };
  bands: { code: string; name: string; lowerLimit: string; upperLimit: string | null; productCode: string; tariff: TariffBuildUp; groups: number; mapping: TariffBandMapping }[];
  groups: TariffClassifiedGroup[]; changed: number; unclassified: number;
  /** groups of a covered type that keep their own product (a crisis group: the crisis bed product) */
  ownProduct: { id: number; name: string; groupType: string; providerName: string; locationName: string; places: number; productCode: string | null; productName: string | null; tariffCents: number | null }[];
  regionName: string; book: (TariffBookEntry & { tariffCents: number | null })[];
}
export interface TariffHome {
  id: number; name: string; providerId: number; providerName: string; places: number; tariffCents: number | null; validFrom: string | null;
  normSetId: number | null; input: TariffHomeInput | null; buildUp: TariffBuildUp | null; previousCents: number | null; history: number;
}
export interface TariffImpactRow { key: string; label: string; lines: number; oldCents: number; newCents: number; diffCents: number; diffPct: number | null }
export interface TariffScenarioInfo { kind: 'gedeclareerd' | 'set'; id: number | null; name: string; validFrom: string | null; status: string | null }
export interface TariffImpact {
  regionId: string; year: number; scope: string; baseline: TariffScenarioInfo; proposed: TariffScenarioInfo; total: TariffImpactRow;
  rows: { gemeente: TariffImpactRow[]; segment: TariffImpactRow[]; product: TariffImpactRow[]; aanbieder: TariffImpactRow[] };
  unpriced: { lines: number; oldCents: number };
}

// --- risicomonitor en kwartaalrapportage (issue 6) ---
export type RiskRatio = 'solvency' | 'current_ratio' | 'return' | 'staff_cost_per_fte' | 'dependency' | 'stressed_return';
export interface AnnualAccount {
  revenueCents: number; youthActRevenueCents: number | null; resultCents: number; equityCents: number; totalAssetsCents: number;
  currentAssetsCents: number; currentLiabilitiesCents: number; staffCostsCents: number; fte: number;
}
export interface RiskFlag { ratio: RiskRatio; direction: 'below' | 'above'; threshold: number; risk: 'continuiteit' | 'rechtmatigheid' | 'afhankelijkheid' | 'gegevens'; label: string; text: string }
export interface RiskThreshold { ratio: RiskRatio; direction: 'below' | 'above'; value: number; risk: string; label: string; source: string; regionOwn: boolean }
export interface RiskRow {
  providerId: number; agbCode: string; name: string; year: number;
  figures: (AnnualAccount & { source: string; enteredBy: string; enteredOn: string }) | null;
  regionCents: number | null; regionShare: number | null;
  solvency: number | null; currentRatio: number | null; returnRatio: number | null; staffCostPerFteCents: number | null; dependency: number | null;
  stress: { cutPct: number; cutCents: number; resultCents: number; returnRatio: number | null } | null;
  flags: RiskFlag[];
}
export interface RiskList { regionId: string; year: number; cutPct: number; scopeLabel: string; assumption: string; thresholds: RiskThreshold[]; providers: RiskRow[] }
/** The quarterly contract-management report of one provider (PDF); without a quarter, the newest one of the year with declarations. */
export const providerReportUrl = (regionId: string, providerId: number, year: number, quarter?: number) =>
  `/api/regions/${regionId}/reports/provider/${providerId}.pdf?year=${year}${quarter ? `&quarter=${quarter}` : ''}`;

// --- iJW-berichten en P*Q-afrekening (issue 3; routes in src/ijw/message-routes.ts) ---
export type MessageStatus = 'verwerkt' | 'afgewezen' | 'verzonden';
export interface IjwMessage {
  messageId: number; type: string; direction: 'in' | 'out'; identification: string; municipalityCode: string | null; municipalityName: string | null;
  providerId: number | null; providerName: string | null; createdAt: string; status: MessageStatus; lines: number; acceptedLines: number; rejectedLines: number;
  amountCents: number; acceptedAmountCents: number; answerMessageId: number | null;
  /** what happened: a declaration goedgekeurd/deels/afgewezen, another received message verwerkt/afgewezen, a written one verzonden */
  outcome: MessageOutcome; outcomeText: string;
}
export type MessageOutcome = 'goedgekeurd' | 'deels' | 'afgewezen' | 'verwerkt' | 'verzonden';
export interface IjwRuleSummary { code: string; retourcode: string; text: string; lines: number; amountCents: number }
export interface IjwProviderSummary { providerId: number | null; providerName: string; messages: number; lines: number; acceptedLines: number; rejectedLines: number; rejectedAmountCents: number }
export interface IjwRejections { byRule: IjwRuleSummary[]; byProvider: IjwProviderSummary[] }
export interface IjwAllocation {
  assignmentNumber: string; youthId: number; youthPseudonym: string; productCode: string; productName: string; startDate: string; endDate: string | null;
  volume: number | null; unit: string; frequency: string | null; budgetCents: number | null; status: string;
}
export interface IjwMessageList { total: number; messages: IjwMessage[] }
export interface IjwFinding { code: string; retourcode: string; text?: string; location: string; message?: string }
export interface IjwLine {
  lineNo: number; clientPseudonym: string; youthId: number | null; assignmentNumber: string | null; productCategory: string | null; productCode: string | null;
  productName: string | null; periodStart: string; periodEnd: string; volume: number; unit: string; tariffCents: number; amountCents: number;
  debitCredit: 'D' | 'C'; status: 'geaccepteerd' | 'afgewezen'; findings: IjwFinding[];
}
export interface IjwMessageDetail { message: IjwMessage; lines: IjwLine[]; rules: IjwRuleSummary[]; allocations: IjwAllocation[] }
export interface IjwImportResult {
  messageId: number; type: string; duplicate: boolean; lines: number; acceptedLines: number; rejectedLines: number; amountCents: number;
  acceptedAmountCents: number; answerMessageId: number | null; findings: IjwFinding[]; outcome: MessageOutcome; outcomeText: string;
}
export interface IjwLedgerRow {
  municipalityCode: string; municipalityName: string; providerId: number; providerName: string; productCode: string; productName: string;
  month: string; lines: number; volume: number; amountCents: number;
}
export interface IjwLedger { year: number; totalCents: number; totalRows: number; totalLines: number; offset: number; rows: IjwLedgerRow[] }
export interface IjwExportResult { messages: { messageId: number; providerId: number; providerName: string; allocations: number }[]; heldBack: number }
export interface YouthSummary { youthId: number; pseudonym: string; birthYear: number; gender: string; residenceCode: string; allocations: number }
export interface YouthAllocation {
  allocationId: number; assignmentNumber: string; youthId: number; municipalityCode: string; providerId: number; providerName: string; productCode: string;
  productName: string; startDate: string; endDate: string | null; volume: number | null; unit: string; status: string;
}

// --- Drill-down: the rows behind a figure of the cost tables (issue 6; src/monitoring/rows.ts) ---
export interface DeclarationRow {
  lineId: number; periodStart: string; periodEnd: string; municipalityCode: string; municipalityName: string; providerId: number; agbCode: string;
  providerName: string; productCode: string; productName: string; productGroup: string; youthId: number | null; pseudonym: string | null;
  volume: number; unit: string; tariffCents: number; debitCredit: string; amountCents: number;
}
export interface AggregateRow {
  month: string; providerId: number; agbCode: string; providerName: string; productCode: string; productName: string; productGroup: string;
  lines: number; amountCents: number;
}
export interface RowsPage {
  regionId: string; year: number; kind: 'regels' | 'totalen'; total: { rows: number; amountCents: number; persons: number | null };
  limit: number | null; offset: number; lines: DeclarationRow[]; aggregates: AggregateRow[];
}

// --- bekostiging (funding) ---
export interface FundingStep { label: string; amountCents: number; detail?: string }
export interface FundingBand { lowerCents: number; upperCents: number; position: 'onder' | 'binnen' | 'boven'; deviationPct: number }
export interface FundingQuarter { quarter: number; clientsInCare: number; started: number; stopped: number; hours: number; realisedCents: number; cumulativeCents: number; band: FundingBand | null; referrals: number; activeAllocations: number }
export interface FundingContract {
  id: number; providerId: number; providerName: string; agb: string; segmentId: number; segmentCode: string; segmentName: string;
  fundingForm: string; executionVariant: string; validFrom: string; validTo: string | null; lumpsumCents: number | null; bandwidthPct: number | null;
  outsideBand: string; terms: Record<string, unknown>; changeReason: string; costKey: string;
  agreedCents: number; paidCents: number; deliveredCents: number; outcomeCents: number; settlementCents: number; band: FundingBand | null;
  quarters: FundingQuarter[]; settlement: { form: string; outcomeCents: number; paidCents: number; settlementCents: number; steps: FundingStep[]; warnings: string[] };
  shareKey: string; municipalityShares: { municipalityCode: string; shareCents: number }[];
}
export interface FundingTotals { agreedCents: number; paidCents: number; deliveredCents: number; outcomeCents: number; settlementCents: number }
export interface FundingOverview { year: number; contracts: FundingContract[]; totals: FundingTotals }
export interface FundingStatement { regionId: string; providerId: number; providerName: string; agb: string; year: number; computedAt: string; contracts: FundingContract[]; totals: FundingTotals }
export interface FundingStatements { live: FundingStatement; closed: { id: number; closedAt: string; supersedesId: number | null; settlementCents: number; body: FundingStatement }[] }
export interface FundingCommitments {
  year: number; asOf: string;
  rows: { municipalityCode: string; municipalityName: string; segmentCode: string; segmentName: string; providerId: number; providerName: string; allocations: number; withoutVolume: number; committedCents: number }[];
  byMunicipality: { municipalityCode: string; municipalityName: string; budgetCents: number | null; realisedCents: number; committedCents: number; roomCents: number | null }[];
}
