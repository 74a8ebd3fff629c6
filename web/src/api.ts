// Talks to /api. Errors arrive as problem+json; ApiError carries the Dutch message and the failing fields.
// The types of what the routes answer are derived from the server's own schemas (api.generated.ts, `npm run
// web:types`): a field renamed on the server breaks the page that reads it at compile time.
import type { ApiBodies, ApiResponses } from './api.generated.ts';
/** The paths the server answers GET on; a misspelled path is a compile error, not `never`. */
type GetPath = keyof ApiResponses extends infer K ? (K extends `GET ${infer P}` ? P : never) : never;
/** What `GET path` answers. */
type Get<P extends GetPath> = ApiResponses[`GET ${P}`];
export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public fields: { field: string; detail: string; line?: number }[] = [],
  ) {
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
export type Me = Get<'/api/auth/me'>;
export type RegionSummary = Get<'/api/regions'>[number];
export type Segment = RegionDetail['segments'][number];
export type RegionDetail = Get<'/api/regions/{regionId}'>;
export type Figures = Dashboard['byMunicipality'][number]['segments'][string];
export type Dashboard = Get<'/api/regions/{regionId}/dashboard'>;
export type Trend = Get<'/api/regions/{regionId}/dashboard/trend'>;
/** The year the screens open on: the most recent year with declared data (issue 18 §1), else the published year. */
export const defaultYear = (r: RegionDetail | undefined): number => r?.latestYear ?? r?.demoYear ?? r?.years.at(-1) ?? new Date().getFullYear() - 1;
export type Product = Get<'/api/regions/{regionId}/products'>[number];
export type Provider = Get<'/api/regions/{regionId}/providers'>[number];
export type ProviderGroup = ProviderLocation['groups'][number];
export type ProviderLocation = ProviderDetail['locations'][number];
export type ProviderDetail = Get<'/api/regions/{regionId}/providers/{providerId}'>;
export type ProviderImport = ApiResponses['POST /api/regions/{regionId}/providers/import'];
export type ProviderImportRow = ProviderImport['rows'][number];
export type PendingName = Get<'/api/regions/{regionId}/providers/pending-names'>[number];
export type DemoAccount = Get<'/api/auth/demo-accounts'>[number];
export type SegmentConcentration = Concentration['overall'];
export type Concentration = Get<'/api/regions/{regionId}/dashboard/concentration'>;
export type RankedProvider = Get<'/api/regions/{regionId}/dashboard/providers'>[number];
export type CostRow = Costs['total'];
export type Costs = Get<'/api/regions/{regionId}/dashboard/costs'>;
export type BudgetLine = BudgetReport['total'];
export type BudgetReport = Get<'/api/regions/{regionId}/dashboard/budget'>;
export type Flows = Get<'/api/regions/{regionId}/dashboard/flows'>;

// --- coördinatiepunt (issue 5) ---
export type Light = PlacementGroup['light'];
export type PlacementSettings = Get<'/api/regions/{regionId}/placement/settings'>;
export type PlacementGroup = PlacementGroups['groups'][number];
export type PlacementGroups = Get<'/api/regions/{regionId}/placement/groups'>;
export type PlacementCapacity = Get<'/api/regions/{regionId}/placement/capacity'>['byType'][number];
export type RequestStatus = PlacementRequest['status'];
/** A request with its history of events (the youth's requests). */
export type PlacementRequestHistory = Get<'/api/regions/{regionId}/placement/youths/{youthId}/requests'>[number];
export type PlacementRequest = Get<'/api/regions/{regionId}/placement/requests'>[number];
export type PlacementProposal = PlacementProposals['proposals'][number];
export type PlacementProposals = Get<'/api/regions/{regionId}/placement/youths/{youthId}/proposals'>;
export type PlacementVocabulary = Get<'/api/public/placement/vocabulary'>;
export type WaitingTimeRow = Get<'/api/regions/{regionId}/placement/waiting-times'>['rows'][number];
export type PlacementFlows = Get<'/api/regions/{regionId}/placement/flows'>;
export type PublishedWait = Get<'/api/regions/{regionId}/placement/provider-waiting-times'>[number];
export type PublicPlacement = Get<'/api/public/placement'>;

// --- rekentool tarieven (src/tariffs) ---
export type {
  BuildUp,
  NormSetBody,
  ProductNorm,
  BandTableBody,
  Band,
  GezinshuisInput,
  FunctionNorm,
  Step,
  FunctionCost,
  BookEntry,
  BandMapping,
} from '../../src/tariffs/model.ts';
export type TariffOverview = Get<'/api/regions/{regionId}/tariffs'>;
export type TariffNormSetSummary = TariffOverview['normSets'][number];
export type TariffNormSet = Get<'/api/regions/{regionId}/tariffs/norm-set'>;
export type TariffBandTableSummary = TariffOverview['bandTables'][number];
export type TariffIndex = Get<'/api/regions/{regionId}/tariffs/indices'>[number];
export type TariffSet = TariffOverview['sets'][number];
export type TariffSetStatus = TariffSet['status'];
export type TariffSetDetail = Get<'/api/regions/{regionId}/tariffs/set'>;
export type TariffBandView = Get<'/api/regions/{regionId}/tariffs/bands'>;
export type TariffClassifiedGroup = TariffBandView['groups'][number];
/** productCode null: the region buys no product for this band in the group's segment (`problem` says why) */
export type TariffBandRef = NonNullable<TariffClassifiedGroup['after']>;
export type TariffHome = Get<'/api/regions/{regionId}/tariffs/homes'>[number];
export type TariffImpactRow = TariffImpact['total'];
export type TariffScenarioInfo = TariffImpact['baseline'];
export type TariffImpact = Get<'/api/regions/{regionId}/tariffs/impact'>;

// --- risicomonitor en kwartaalrapportage (issue 6) ---
export type RiskRatio = RiskFlag['ratio'];
/** The annual-account figures a region enters for a provider (the body of the PUT, without year and source). */
export type AnnualAccount = Omit<ApiBodies['PUT /api/regions/{regionId}/risk/providers/{providerId}'], 'year' | 'source'>;
export type RiskFlag = RiskRow['flags'][number];
export type RiskThreshold = RiskList['thresholds'][number];
export type RiskRow = RiskList['providers'][number];
export type RiskList = Get<'/api/regions/{regionId}/risk'>;
/** The quarterly contract-management report of one provider (PDF); without a quarter, the newest one of the year with declarations. */
export const providerReportUrl = (regionId: string, providerId: number, year: number, quarter?: number) =>
  `/api/regions/${regionId}/reports/provider/${providerId}.pdf?year=${year}${quarter ? `&quarter=${quarter}` : ''}`;

// --- iJW-berichten en P*Q-afrekening (issue 3; routes in src/ijw/message-routes.ts) ---
export type MessageStatus = IjwMessage['status'];
export type IjwMessage = IjwMessageList['messages'][number];
export type MessageOutcome = IjwMessage['outcome'];
export type IjwRuleSummary = IjwRejections['byRule'][number];
export type IjwProviderSummary = IjwRejections['byProvider'][number];
export type IjwRejections = Get<'/api/regions/{regionId}/ijw/rejections'>;
export type IjwAllocation = IjwMessageDetail['allocations'][number];
export type IjwMessageList = Get<'/api/regions/{regionId}/ijw/messages'>;
export type IjwFinding = IjwLine['findings'][number];
export type IjwLine = IjwMessageDetail['lines'][number];
export type IjwMessageDetail = Get<'/api/regions/{regionId}/ijw/messages/{messageId}'>;
export type IjwImportResult = ApiResponses['POST /api/regions/{regionId}/ijw/messages'];
export type IjwLedgerRow = IjwLedger['rows'][number];
export type IjwLedger = Get<'/api/regions/{regionId}/ijw/ledger'>;
export type IjwExportResult = ApiResponses['POST /api/regions/{regionId}/ijw/exports'];
export type YouthSummary = Get<'/api/regions/{regionId}/youths'>['youths'][number];
export type YouthAllocation = Get<'/api/regions/{regionId}/youths/{youthId}/allocations'>[number];

// --- Drill-down: the rows behind a figure of the cost tables (issue 6; src/monitoring/rows.ts) ---
export type DeclarationRow = RowsPage['lines'][number];
export type AggregateRow = RowsPage['aggregates'][number];
export type RowsPage = Get<'/api/regions/{regionId}/dashboard/rows'>;

// --- bekostiging (funding) ---
export type FundingStep = FundingContract['settlement']['steps'][number];
export type FundingBand = NonNullable<FundingContract['band']>;
export type FundingQuarter = FundingContract['quarters'][number];
export type FundingContract = FundingOverview['contracts'][number];
export type FundingTotals = FundingOverview['totals'];
export type FundingOverview = Get<'/api/regions/{regionId}/funding/contracts'>;
export type FundingStatement = FundingStatements['live'];
export type FundingStatements = Get<'/api/regions/{regionId}/funding/statements/{providerId}'>;
export type FundingCommitments = Get<'/api/regions/{regionId}/funding/commitments'>;
export type FundingFormContracts = Get<'/api/regions/{regionId}/dashboard/costs/bekostiging'>;
export type FundingCostStatements = Get<'/api/regions/{regionId}/funding/cost-lines'>;
export type FundingCostStatement = FundingCostStatements['contracts'][number];
