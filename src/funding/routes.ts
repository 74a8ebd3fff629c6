// Declaration lines of one month: money per youth, so personal data, scoped and audited.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RegionParams, scopeFor } from '../http/region.ts';
import { streamCsvUploads, uploadedCsv } from '../http/upload.ts';
import { currentYear, monthEnd } from '../core/dates.ts';
import { inScope, sql, typed } from '../db/query.ts';
import { badRequest, invalidRows } from '../core/errors.ts';
import { ContractFundingInput, QuarterFigureInput, CostLineInput, CostKeyInput } from './terms.ts';
import { parseFiguresCsv, FIGURES_CSV_HEADER, parseCostLinesCsv, COST_LINES_CSV_HEADER } from './csv.ts';
import {
  contractPositions,
  saveContractFunding,
  saveQuarterFigures,
  saveCostLines,
  importCostLines,
  saveCostKey,
  recordPayment,
  computeStatement,
  closeStatement,
  closedStatements,
  commitments,
  costStatements,
} from './store.ts';
import { statementPdf } from './statement-pdf.ts';
import { tableToXlsx } from '../http/export.ts';
import type { Statement } from './store.ts';

/** The statement as one table: a row per calculation step of every contract, then the totals. */
function statementTable(st: Statement) {
  const rows: (string | number | null)[][] = [];
  for (const c of st.contracts) for (const s of c.settlement.steps) rows.push([c.id, c.segmentName, c.fundingForm, s.label, s.detail ?? '', s.amountCents]);
  rows.push(
    [null, 'Totaal', '', 'Uitkomst', '', st.totals.outcomeCents],
    [null, 'Totaal', '', 'Betaald', '', st.totals.paidCents],
    [null, 'Totaal', '', st.totals.settlementCents >= 0 ? 'Nog te betalen' : 'Terug te vorderen', '', st.totals.settlementCents],
  );
  return {
    filename: `afrekening-${st.agb}-${st.year}`,
    sheet: `Afrekening ${st.year}`,
    columns: [
      { header: 'Contract' },
      { header: 'Segment' },
      { header: 'Bekostiging' },
      { header: 'Stap' },
      { header: 'Toelichting' },
      { header: 'Bedrag', kind: 'euro' as const },
    ],
    rows,
  };
}

const Year = z.object({ year: z.coerce.number().int().min(2015).max(2100).optional().describe('jaar; standaard het demojaar van de regio') });
const Money = z.number();
const StepS = z.object({ label: z.string(), amountCents: Money, detail: z.string().optional() });
const BandS = z.object({ lowerCents: Money, upperCents: Money, position: z.enum(['onder', 'binnen', 'boven']), deviationPct: z.number() });
const PositionS = z.object({
  id: z.number(),
  providerId: z.number(),
  providerName: z.string(),
  agb: z.string(),
  segmentId: z.number(),
  segmentCode: z.string(),
  segmentName: z.string(),
  fundingForm: z.string(),
  executionVariant: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  lumpsumCents: Money.nullable(),
  bandwidthPct: z.number().nullable(),
  outsideBand: z.string(),
  terms: z.record(z.string(), z.unknown()),
  changeReason: z.string(),
  costKey: z.string(),
  agreedCents: Money,
  paidCents: Money,
  deliveredCents: Money,
  outcomeCents: Money,
  settlementCents: Money,
  band: BandS.nullable(),
  quarters: z.array(
    z.object({
      quarter: z.number(),
      clientsInCare: z.number(),
      started: z.number(),
      stopped: z.number(),
      hours: z.number(),
      realisedCents: Money,
      cumulativeCents: Money,
      band: BandS.nullable(),
      referrals: z.number(),
      activeAllocations: z.number(),
    }),
  ),
  settlement: z.object({
    form: z.string(),
    outcomeCents: Money,
    paidCents: Money,
    settlementCents: Money,
    steps: z.array(StepS),
    warnings: z.array(z.string()),
  }),
  shareKey: z.string(),
  municipalityShares: z.array(z.object({ municipalityCode: z.string(), shareCents: Money })),
});
const TotalsS = z.object({ agreedCents: Money, paidCents: Money, deliveredCents: Money, outcomeCents: Money, settlementCents: Money });
const StatementS = z.object({
  regionId: z.string(),
  providerId: z.number(),
  providerName: z.string(),
  agb: z.string(),
  year: z.number(),
  computedAt: z.string(),
  contracts: z.array(PositionS),
  totals: TotalsS,
});
const ClosedS = z.object({ id: z.number(), closedAt: z.string(), supersedesId: z.number().nullable(), settlementCents: Money, body: StatementS });

/** The largest quarterly-figures CSV (a provider's contracts × quarters: far below this). */
const FIGURES_CSV_MAX_BYTES = 1024 * 1024;

export async function fundingRoutes(app0: FastifyInstance) {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const base = '/api/regions/:regionId/funding';
  // CSV uploads stream to a temporary file, at most 1 MB (http/upload.ts; this plugin's own parser: encapsulated)
  streamCsvUploads(app0, FIGURES_CSV_MAX_BYTES);
  const yearOf = async (regionId: string, year?: number) =>
    year ?? (await typed(db).selectFrom('region').select('demo_year').where('id', '=', regionId).executeTakeFirst())?.demo_year ?? currentYear();

  app.get(
    `${base}/contracts`,
    {
      config: { access: { roles: ['regio', 'gemeente', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Per contract: bekostigingsvorm, afspraak, betaald, geleverd, positie in de band en afrekening (gemeente: met haar aandeel)',
        params: RegionParams,
        querystring: Year,
        response: { 200: z.object({ year: z.number(), contracts: z.array(PositionS), totals: TotalsS }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const year = await yearOf(scope.regionId, req.query.year);
      const contracts = await contractPositions(db, scope, year);
      const sum = (k: 'agreedCents' | 'paidCents' | 'deliveredCents' | 'outcomeCents' | 'settlementCents') => contracts.reduce((a, c) => a + c[k], 0);
      return {
        year,
        contracts,
        totals: {
          agreedCents: sum('agreedCents'),
          paidCents: sum('paidCents'),
          deliveredCents: sum('deliveredCents'),
          outcomeCents: sum('outcomeCents'),
          settlementCents: sum('settlementCents'),
        },
      };
    },
  );

  app.get(
    `${base}/commitments`,
    {
      config: { access: { roles: ['regio', 'gemeente', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Verplichtingen: wat actieve toewijzingen (volume × tarief) de rest van het jaar nog vastleggen, naast budget en realisatie',
        params: RegionParams,
        querystring: Year.extend({
          asOf: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, 'peildatum als JJJJ-MM-DD')
            .optional()
            .describe('peildatum; standaard 30 juni van het jaar'),
        }),
        response: {
          200: z.object({
            year: z.number(),
            asOf: z.string(),
            rows: z.array(
              z.object({
                municipalityCode: z.string(),
                municipalityName: z.string(),
                segmentCode: z.string(),
                segmentName: z.string(),
                providerId: z.number(),
                providerName: z.string(),
                allocations: z.number(),
                withoutVolume: z.number(),
                committedCents: Money,
              }),
            ),
            byMunicipality: z.array(
              z.object({
                municipalityCode: z.string(),
                municipalityName: z.string(),
                budgetCents: Money.nullable(),
                realisedCents: Money,
                committedCents: Money,
                roomCents: Money.nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const year = await yearOf(scope.regionId, req.query.year);
      const asOf = req.query.asOf ?? `${year}-06-30`;
      if (asOf.slice(0, 4) !== String(year)) throw badRequest('asOf: de peildatum ligt niet in het gekozen jaar', 'querystring.asOf');
      return commitments(db, scope, year, asOf);
    },
  );

  app.post(
    `${base}/contracts`,
    {
      config: { access: { roles: ['regio'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Een contract met zijn bekostigingsvorm en voorwaarden vastleggen (contractId: bestaand contract wijzigen)',
        params: RegionParams,
        body: ContractFundingInput.extend({ contractId: z.number().int().positive().optional() }),
        response: { 200: z.object({ contractId: z.number() }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const { contractId, ...input } = req.body;
      return { contractId: await saveContractFunding(db, scope.regionId, input, contractId) };
    },
  );

  app.post(
    `${base}/figures`,
    {
      config: { access: { roles: ['regio', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Kwartaalcijfers van de aanbieder invoeren (alles of niets)',
        params: RegionParams,
        body: z.object({ rows: z.array(QuarterFigureInput).min(1).max(5000) }),
        response: { 200: z.object({ saved: z.number() }) },
      },
    },
    async (req) => ({ saved: await saveQuarterFigures(db, scopeFor(req, req.params.regionId), req.body.rows) }),
  );

  app.post(
    `${base}/figures/import`,
    {
      config: { access: { roles: ['regio', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: `Kwartaalcijfers als CSV (Content-Type: text/csv; ${FIGURES_CSV_HEADER}; hoogstens 1 MB); fouten per regel, niets opgeslagen bij een fout`,
        params: RegionParams,
        response: { 200: z.object({ imported: z.number() }) },
      },
      bodyLimit: FIGURES_CSV_MAX_BYTES,
    },
    async (req) => {
      const { rows, errors } = await parseFiguresCsv(await uploadedCsv(req.body));
      if (errors.length) throw invalidRows('Kwartaalcijfers', errors);
      return { imported: await saveQuarterFigures(db, scopeFor(req, req.params.regionId), rows, 'csv') };
    },
  );

  app.get(
    `${base}/cost-lines`,
    {
      config: { access: { roles: ['regio', 'gemeente', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Kostenverantwoordingen bij reële nacalculatie van het jaar: per contract de regels, plafond, voorschotten en uitkomst',
        params: RegionParams,
        querystring: Year,
        response: {
          200: z.object({
            year: z.number(),
            contracts: z.array(
              z.object({
                contractId: z.number(),
                providerId: z.number(),
                providerName: z.string(),
                agb: z.string(),
                segmentCode: z.string(),
                segmentName: z.string(),
                ceilingCents: Money,
                advancesAgreedCents: Money,
                advancesPaidCents: Money,
                eligibleCents: Money,
                ineligibleCents: Money,
                outcomeCents: Money,
                settlementCents: Money,
                warnings: z.array(z.string()),
                closedOn: z.string().nullable(),
                lines: z.array(z.object({ id: z.number(), category: z.string(), amountCents: Money, eligible: z.boolean(), enteredAt: z.string() })),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const year = await yearOf(scope.regionId, req.query.year);
      return { year, contracts: await costStatements(db, scope, year) };
    },
  );

  app.post(
    `${base}/cost-lines`,
    {
      config: { access: { roles: ['regio', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Kostenverantwoording bij reële nacalculatie (geweigerd als het jaar is afgesloten)',
        params: RegionParams,
        body: CostLineInput,
        response: { 200: z.object({ saved: z.number() }) },
      },
    },
    async (req) => ({ saved: await saveCostLines(db, scopeFor(req, req.params.regionId), req.body) }),
  );

  app.post(
    `${base}/cost-lines/import`,
    {
      config: { access: { roles: ['regio', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: `Kostenverantwoording als CSV (${COST_LINES_CSV_HEADER}); fouten per regel, niets opgeslagen bij een fout`,
        params: RegionParams,
        response: { 200: z.object({ imported: z.number() }) },
      },
      bodyLimit: FIGURES_CSV_MAX_BYTES,
    },
    async (req) => {
      // the upload streams to a temporary file like the figures' (a string schema here refused every real upload)
      const { groups, errors } = await parseCostLinesCsv(await uploadedCsv(req.body));
      if (errors.length) throw invalidRows('Kostenverantwoording', errors);
      return { imported: await importCostLines(db, scopeFor(req, req.params.regionId), groups) };
    },
  );

  app.post(
    `${base}/payments`,
    {
      config: { access: { roles: ['regio'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Een betaalde termijn of voorschot vastleggen',
        params: RegionParams,
        body: z.object({
          contractId: z.number().int().positive(),
          paidOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'datum als JJJJ-MM-DD'),
          amountCents: z.number().int().min(-1e12).max(1e12),
          kind: z.enum(['termijn', 'voorschot', 'afrekening']),
          description: z.string().max(200).default(''),
        }),
        response: { 200: z.object({ saved: z.number() }) },
      },
    },
    async (req) => {
      await recordPayment(db, scopeFor(req, req.params.regionId), req.body);
      return { saved: 1 };
    },
  );

  app.get(
    `${base}/cost-keys`,
    {
      config: { access: { roles: ['regio', 'gemeente'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Verdeelsleutels voor regionale kosten',
        params: RegionParams,
        response: {
          200: z.object({ keys: z.array(z.object({ code: z.string(), name: z.string(), method: z.string(), weights: z.record(z.string(), z.number()) })) }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const rows = await typed(db).selectFrom('funding_cost_key').selectAll().where('region_id', '=', scope.regionId).orderBy('code').execute();
      return {
        keys: rows.map((r) => {
          const w = r.weights as Record<string, number>;
          // a municipality sees the key's method and its own weight
          return {
            code: r.code,
            name: r.name,
            method: r.method,
            weights: scope.municipalityCode ? Object.fromEntries(Object.entries(w).filter(([m]) => m === scope.municipalityCode)) : w,
          };
        }),
      };
    },
  );

  app.post(
    `${base}/cost-keys`,
    {
      config: { access: { roles: ['regio'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Een verdeelsleutel vastleggen (vast: percentages die optellen tot 100)',
        params: RegionParams,
        body: CostKeyInput,
        response: { 200: z.object({ saved: z.number() }) },
      },
    },
    async (req) => {
      await saveCostKey(db, scopeFor(req, req.params.regionId).regionId, req.body);
      return { saved: 1 };
    },
  );

  app.get(
    `${base}/statements/:providerId`,
    {
      config: { access: { roles: ['regio', 'gemeente', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Jaarafrekening van een aanbieder: de lopende berekening en de gesloten (bevroren) afrekeningen',
        params: RegionParams.extend({ providerId: z.coerce.number().int().positive() }),
        querystring: Year,
        response: { 200: z.object({ live: StatementS, closed: z.array(ClosedS) }) },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const year = await yearOf(scope.regionId, req.query.year);
      return { live: await computeStatement(db, scope, req.params.providerId, year), closed: await closedStatements(db, scope, req.params.providerId, year) };
    },
  );

  /** The statement a document (PDF, XLSX) shows: the latest closed one, else the running calculation. */
  const documentedStatement = async (req: { params: { regionId: string; providerId: number }; query: { year?: number } } & Parameters<typeof scopeFor>[0]) => {
    const scope = scopeFor(req, req.params.regionId);
    const year = await yearOf(scope.regionId, req.query.year);
    const closed = (await closedStatements(db, scope, req.params.providerId, year))[0];
    return { st: closed?.body ?? (await computeStatement(db, scope, req.params.providerId, year)), closed, year };
  };

  app.get(
    `${base}/statements/:providerId/pdf`,
    {
      config: { access: { roles: ['regio', 'gemeente', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Jaarafrekening als PDF (de laatst gesloten, anders de lopende berekening)',
        params: RegionParams.extend({ providerId: z.coerce.number().int().positive() }),
        querystring: Year,
      },
    },
    async (req, reply) => {
      const { st, closed, year } = await documentedStatement(req);
      const pdf = await statementPdf(st, closed ? { id: closed.id, closedAt: closed.closedAt } : null);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="afrekening-${st.agb}-${year}.pdf"`).send(pdf);
    },
  );

  app.get(
    `${base}/statements/:providerId/xlsx`,
    {
      config: { access: { roles: ['regio', 'gemeente', 'aanbieder'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Jaarafrekening als XLSX: elke rekenstap van elk contract (de laatst gesloten, anders de lopende berekening)',
        params: RegionParams.extend({ providerId: z.coerce.number().int().positive() }),
        querystring: Year,
      },
    },
    async (req, reply) => {
      const { st } = await documentedStatement(req);
      const t = statementTable(st);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${t.filename}.xlsx"`)
        .send(await tableToXlsx(t));
    },
  );

  app.post(
    `${base}/statements`,
    {
      config: { access: { roles: ['regio'] } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Het jaar van een aanbieder afsluiten: de afrekening wordt bevroren; opnieuw afsluiten maakt een gedateerde correctie',
        params: RegionParams,
        body: z.object({ providerId: z.number().int().positive(), year: z.number().int().min(2015).max(2100) }),
        response: { 200: ClosedS },
      },
    },
    async (req) => closeStatement(db, scopeFor(req, req.params.regionId), req.body.providerId, req.body.year, req.account?.id ?? null),
  );

  app.get(
    '/api/regions/:regionId/declarations',
    {
      config: { access: { roles: ['gemeente', 'aanbieder'], personal: true } },
      schema: {
        tags: ['bekostiging'],
        summary: 'Geaccepteerde en afgewezen declaratieregels van één maand',
        params: RegionParams,
        querystring: z.object({
          month: z
            .string()
            .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'maand als JJJJ-MM')
            .describe('JJJJ-MM'),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({
            total: z.number(),
            totalAmountCents: z.number(),
            lines: z.array(
              z.object({
                lineId: z.number(),
                youthId: z.number().nullable(),
                municipalityCode: z.string(),
                providerId: z.number(),
                productCode: z.string(),
                periodStart: z.string(),
                periodEnd: z.string(),
                volume: z.number(),
                unit: z.string(),
                tariffCents: z.number(),
                amountCents: z.number(),
                debitCredit: z.string(),
                status: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeFor(req, req.params.regionId);
      const [y, m] = req.query.month.split('-').map(Number);
      const from = `${req.query.month}-01`,
        to = monthEnd(y, m).toString();
      // typed, and scoped by the one helper: the region through the municipality, then the role's municipality or provider
      const rows = await typed(db)
        .selectFrom('declaration_line as d')
        .innerJoin('municipality as mu', 'mu.code', 'd.municipality_code')
        .innerJoin('product as p', 'p.id', 'd.product_id')
        .select([
          'd.id as lineId',
          'd.youth_id as youthId',
          sql<string>`trim(d.municipality_code)`.as('municipalityCode'),
          'd.provider_id as providerId',
          'p.code as productCode',
          'd.period_start as periodStart',
          'd.period_end as periodEnd',
          'd.volume',
          sql<string>`trim(d.unit)`.as('unit'),
          'd.tariff_cents as tariffCents',
          'd.amount_cents as amountCents',
          'd.debit_credit as debitCredit',
          'd.status',
          sql<number>`count(*) OVER ()::int`.as('total'),
          sql<number>`sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE d.status = 'geaccepteerd') OVER ()::int8`.as(
            'totalAmount',
          ),
        ])
        .where(inScope(scope, { region: 'mu.region_id', municipality: 'd.municipality_code', provider: 'd.provider_id' }))
        .where('d.period_start', '>=', from)
        .where('d.period_start', '<=', to)
        .orderBy('d.id')
        .limit(req.query.limit)
        .offset(req.query.offset)
        .execute();
      await req.auditRead(
        'youth',
        rows.map((r) => r.youthId).filter((x): x is number => x !== null),
        { month: req.query.month, lines: rows.length },
      );
      return {
        total: rows[0]?.total ?? 0,
        totalAmountCents: rows[0]?.totalAmount ?? 0,
        lines: rows.map(({ total: _t, totalAmount: _a, ...r }) => r),
      };
    },
  );
}
