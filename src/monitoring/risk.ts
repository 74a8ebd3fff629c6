// Provider risk monitor (brief §6; seed 003 §7.6 and §11.4.4): annual-account figures per provider and year,
// the ratios computed from them in SQL, flags against thresholds that are data (migration 006), and a stress
// test: what a cut of the region's money does to a provider's return when its costs stay.
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type Scope } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';
import { formatEuro } from '../core/money.ts';
import { badRequest, invalidRows, LineErrors, notFound, type FieldError } from '../core/errors.ts';
import { pauses, textLines } from '../core/work.ts';
import { parseEuroCents } from '../core/money.ts';
import { csvFields } from '../core/csv.ts';

export const RATIOS = ['solvency', 'current_ratio', 'return', 'staff_cost_per_fte', 'dependency', 'stressed_return'] as const;
export type Ratio = (typeof RATIOS)[number];
/** 'gegevens': the figures cannot be right (the region paid more than the turnover); the ratios that use them are left out. */
export type RiskKind = 'continuiteit' | 'rechtmatigheid' | 'afhankelijkheid' | 'gegevens';
export const DEFAULT_CUT_PCT = 15;

export const RATIO_NAMES: Record<Ratio, string> = {
  solvency: 'solvabiliteit',
  current_ratio: 'current ratio',
  return: 'rendement',
  staff_cost_per_fte: 'personeelskosten per fte',
  dependency: 'afhankelijkheid van de regio',
  stressed_return: 'rendement na omzetdaling',
};

/** The stress test's assumption, stated wherever its figure is shown. */
export const stressAssumption = (cutPct: number, scopeLabel = 'de regio') =>
  `Stresstest: de omzet die de aanbieder van ${scopeLabel} ontvangt daalt met ${cutPct.toLocaleString('nl-NL')}%; ` +
  'de kosten blijven gelijk, dus het resultaat daalt met hetzelfde bedrag. ' +
  'Rendement na daling = (resultaat - daling) / (omzet - daling).';

/** Annual-account figures as entered (jaarrekening), money in cents. */
export interface AnnualAccount {
  revenueCents: number;
  youthActRevenueCents: number | null;
  resultCents: number;
  equityCents: number;
  totalAssetsCents: number;
  currentAssetsCents: number;
  currentLiabilitiesCents: number;
  staffCostsCents: number;
  fte: number;
}
export interface AnnualAccountRecord extends AnnualAccount {
  source: string;
  enteredBy: string;
  enteredOn: string;
}

export interface Threshold {
  ratio: Ratio;
  direction: 'below' | 'above';
  value: number;
  risk: RiskKind;
  label: string;
  source: string;
  regionOwn: boolean;
}
export interface RiskFlag {
  ratio: Ratio;
  direction: 'below' | 'above';
  threshold: number;
  risk: RiskKind;
  label: string;
  text: string;
}
export interface RiskRow {
  providerId: number;
  agbCode: string;
  name: string;
  year: number;
  figures: AnnualAccountRecord | null;
  /** money from the declarations within the caller's scope that year; null when the scope has no declarations that year */
  regionCents: number | null;
  /** the provider's share of all money in the scope that year */
  regionShare: number | null;
  solvency: number | null;
  currentRatio: number | null;
  returnRatio: number | null;
  staffCostPerFteCents: number | null;
  dependency: number | null;
  stress: { cutPct: number; cutCents: number; resultCents: number; returnRatio: number | null } | null;
  flags: RiskFlag[];
}

/**
 * One SQL statement for the list (one year, every provider) and for one provider (every year): year null is every
 * year, provider null every provider in the scope.
 * Ratios: solvency = equity / total assets; current ratio = current assets / current liabilities; return = result /
 * revenue; staff cost per fte = staff costs / fte; dependency = the scope's money to the provider that year / revenue.
 */
const riskSql = (scope: Scope, year: number | null, cutPct: number, providerId: number | null) => {
  const provider = providerId ?? scope.providerId;
  const ofYear = (col: string) => (year === null ? sql`` : sql`AND ${sql.ref(col)} = ${year}::int`);
  const ofProvider = (col: string) => (provider === null ? sql`` : sql`AND ${sql.ref(col)} = ${provider}::int`);
  return sql<any>`
WITH th AS (
  SELECT DISTINCT ON (ratio, direction) ratio, direction, value::float8 AS value, risk, label
  FROM provider_risk_threshold WHERE region_id = ${scope.regionId} OR region_id IS NULL
  ORDER BY ratio, direction, region_id NULLS LAST
),
money AS (
  SELECT f.provider_id, f.year, sum(f.amount_cents)::int8 AS region_cents
  FROM declaration_year_fact f JOIN municipality m ON m.code = f.municipality_code
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'f.municipality_code', provider: 'f.provider_id' })}
    ${ofYear('f.year')} ${ofProvider('f.provider_id')}
  GROUP BY f.provider_id, f.year
),
totals AS (  -- a year without any declarations in the scope: dependency is unknown, not zero
  -- (the total of the region's or the municipality's money, also for a provider: its share of the regional money)
  SELECT f.year, sum(f.amount_cents)::int8 AS total_cents
  FROM declaration_year_fact f JOIN municipality m ON m.code = f.municipality_code
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'f.municipality_code', wholeRegionForProviders: true })} ${ofYear('f.year')}
  GROUP BY f.year
),
subjects AS (  -- figures of a provider contracted by the region, or a provider the region paid that year
  SELECT a.provider_id, a.year FROM provider_annual_account a
  WHERE true ${ofYear('a.year')} ${ofProvider('a.provider_id')}
    AND (EXISTS (SELECT 1 FROM contract c WHERE c.provider_id = a.provider_id AND c.region_id = ${scope.regionId})
         OR EXISTS (SELECT 1 FROM money mo WHERE mo.provider_id = a.provider_id))
  UNION
  SELECT provider_id, year FROM money WHERE region_cents <> 0
),
r AS (
  SELECT s.provider_id, s.year, trim(p.agb_code) AS agb_code, p.name,
         a.revenue_cents, a.youth_act_revenue_cents, a.result_cents, a.equity_cents, a.total_assets_cents, a.current_assets_cents,
         a.current_liabilities_cents, a.staff_costs_cents, a.fte::float8 AS fte, a.source, a.entered_by, a.entered_on,
         CASE WHEN t.year IS NOT NULL THEN COALESCE(mo.region_cents, 0) END AS region_cents,
         COALESCE(mo.region_cents, 0)::float8 / NULLIF(t.total_cents, 0) AS region_share,
         a.equity_cents::float8 / a.total_assets_cents AS solvency,
         a.current_assets_cents::float8 / NULLIF(a.current_liabilities_cents, 0) AS current_ratio,
         a.result_cents::float8 / a.revenue_cents AS return_ratio,
         round(a.staff_costs_cents / NULLIF(a.fte, 0))::int8 AS staff_cost_per_fte,
         CASE WHEN t.year IS NOT NULL THEN COALESCE(mo.region_cents, 0)::float8 / a.revenue_cents END AS dependency,
         CASE WHEN t.year IS NOT NULL AND a.provider_id IS NOT NULL THEN round(COALESCE(mo.region_cents, 0) * ${cutPct}::numeric / 100)::int8 END AS cut_cents
  FROM subjects s
  JOIN provider p ON p.id = s.provider_id
  LEFT JOIN provider_annual_account a ON a.provider_id = s.provider_id AND a.year = s.year
  LEFT JOIN money mo ON mo.provider_id = s.provider_id AND mo.year = s.year
  LEFT JOIN totals t ON t.year = s.year
),
st AS (  -- stress test: revenue and result both fall by the cut, costs stay
  SELECT r.*, r.result_cents - r.cut_cents AS stressed_result_cents,
         (r.result_cents - r.cut_cents)::float8 / NULLIF(r.revenue_cents - r.cut_cents, 0) AS stressed_return
  FROM r
)
SELECT st.*, COALESCE(fl.flags, '[]'::jsonb) AS flags
FROM st
LEFT JOIN LATERAL (
  SELECT jsonb_agg(jsonb_build_object('ratio', th.ratio, 'direction', th.direction, 'threshold', th.value, 'risk', th.risk,
                                      'label', th.label, 'actual', x.v) ORDER BY th.risk, th.ratio) AS flags
  FROM th CROSS JOIN LATERAL (SELECT CASE th.ratio WHEN 'solvency' THEN st.solvency WHEN 'current_ratio' THEN st.current_ratio
      WHEN 'return' THEN st.return_ratio WHEN 'staff_cost_per_fte' THEN st.staff_cost_per_fte::float8
      WHEN 'dependency' THEN st.dependency WHEN 'stressed_return' THEN st.stressed_return END AS v) x
  WHERE (th.direction = 'below' AND x.v < th.value) OR (th.direction = 'above' AND x.v > th.value)
) fl ON true
ORDER BY st.year, st.region_cents DESC NULLS LAST, st.name, st.provider_id`;
};

const pctText = (x: number) => `${(x * 100).toLocaleString('nl-NL', { maximumFractionDigits: 1 })}%`;
/** A ratio in its own unit, for flag texts and the PDF. */
export function formatRatio(ratio: Ratio, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  if (ratio === 'staff_cost_per_fte') return formatEuro(Math.round(v));
  if (ratio === 'current_ratio') return v.toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return pctText(v);
}

function toRow(r: any, cutPct: number): RiskRow {
  const has = r.revenue_cents !== null;
  const row = rawRow(r, cutPct, has);
  // Figures entered before the declarations came in can turn out impossible: the scope paid more than the turnover
  // (or its Jeugdwet part). Then dependency and stress test mean nothing; say so instead of showing 2,721.7%.
  const f = row.figures;
  if (f && row.regionCents !== null && row.regionCents > 0) {
    const base = f.youthActRevenueCents !== null && f.youthActRevenueCents < f.revenueCents ? f.youthActRevenueCents : f.revenueCents;
    if (row.regionCents > base) {
      const what = base === f.revenueCents ? 'de omzet' : 'de Jeugdwet-omzet';
      row.dependency = null;
      row.stress = null;
      row.flags = [
        {
          ratio: 'dependency',
          direction: 'above',
          threshold: 1,
          risk: 'gegevens',
          label: `geld van de regio groter dan ${what}`,
          text: `Onmogelijke jaarcijfers: het geld van de regio (${formatEuro(row.regionCents)}) is groter dan ${what} (${formatEuro(base)}); controleer de jaarcijfers ${row.year}. Afhankelijkheid en stresstest zijn niet berekend.`,
        },
        ...row.flags.filter((x) => x.ratio !== 'dependency' && x.ratio !== 'stressed_return'),
      ];
    }
  }
  return row;
}

function rawRow(r: any, cutPct: number, has: boolean): RiskRow {
  return {
    providerId: r.provider_id,
    agbCode: r.agb_code,
    name: r.name,
    year: r.year,
    figures: has
      ? {
          revenueCents: r.revenue_cents,
          youthActRevenueCents: r.youth_act_revenue_cents,
          resultCents: r.result_cents,
          equityCents: r.equity_cents,
          totalAssetsCents: r.total_assets_cents,
          currentAssetsCents: r.current_assets_cents,
          currentLiabilitiesCents: r.current_liabilities_cents,
          staffCostsCents: r.staff_costs_cents,
          fte: r.fte,
          source: r.source,
          enteredBy: r.entered_by,
          enteredOn: r.entered_on,
        }
      : null,
    regionCents: r.region_cents,
    regionShare: r.region_cents === null ? null : r.region_share,
    solvency: r.solvency,
    currentRatio: r.current_ratio,
    returnRatio: r.return_ratio,
    staffCostPerFteCents: r.staff_cost_per_fte,
    dependency: r.dependency,
    stress: r.cut_cents === null ? null : { cutPct, cutCents: r.cut_cents, resultCents: r.stressed_result_cents, returnRatio: r.stressed_return },
    flags: (r.flags as any[]).map((f) => ({
      ratio: f.ratio,
      direction: f.direction,
      threshold: f.threshold,
      risk: f.risk,
      label: f.label,
      text: `${f.label}: ${formatRatio(f.ratio, f.actual)} (grens ${f.direction === 'below' ? 'onder' : 'boven'} ${formatRatio(f.ratio, f.threshold)})`,
    })),
  };
}

export async function thresholds(db: Db, regionId: string): Promise<Threshold[]> {
  const rows = await db.query(
    `SELECT DISTINCT ON (ratio, direction) ratio, direction, value::float8 AS value, risk, label, source, region_id IS NOT NULL AS region_own
     FROM provider_risk_threshold WHERE region_id = $1 OR region_id IS NULL ORDER BY ratio, direction, region_id NULLS LAST`,
    [regionId],
  );
  return rows
    .map((t) => ({ ratio: t.ratio, direction: t.direction, value: t.value, risk: t.risk, label: t.label, source: t.source, regionOwn: t.region_own }))
    .sort((a, b) => RATIOS.indexOf(a.ratio) - RATIOS.indexOf(b.ratio) || a.direction.localeCompare(b.direction));
}

/** Every provider of the region (within the scope) for one year: figures, ratios, stress test and flags. */
export async function riskList(db: Db, scope: DataScope, year: number, cutPct = DEFAULT_CUT_PCT) {
  const rows = await run(db, riskSql(scope, year, cutPct, null));
  const providers = rows.map((r) => toRow(r, cutPct));
  return {
    regionId: scope.regionId,
    year,
    cutPct,
    scopeLabel: scope.label,
    assumption: stressAssumption(cutPct, moneyScope(scope)),
    thresholds: await thresholds(db, scope.regionId),
    providers,
  };
}

/** Whose money the dependency and the stress test are about. */
const moneyScope = (scope: DataScope) => (scope.municipalityCode ? `gemeente ${scope.municipalityCode.trim()}` : 'de regio');

/** One provider, every year with figures or money. A provider sees only itself; others must be of the region. */
export async function providerRisk(db: Db, scope: DataScope, providerId: number, cutPct = DEFAULT_CUT_PCT) {
  const provider = await providerOfRegion(db, scope, providerId);
  const rows = await run(db, riskSql(scope, null, cutPct, providerId));
  return {
    regionId: scope.regionId,
    providerId,
    agbCode: provider.agbCode,
    name: provider.name,
    cutPct,
    assumption: stressAssumption(cutPct, moneyScope(scope)),
    thresholds: await thresholds(db, scope.regionId),
    years: rows.map((r) => toRow(r, cutPct)),
  };
}

/** The provider if it is contracted by or paid by the region and inside the caller's scope; otherwise 404. */
export async function providerOfRegion(db: Db, scope: DataScope, providerId: number): Promise<{ id: number; agbCode: string; name: string }> {
  if (scope.providerId !== null && scope.providerId !== providerId) throw notFound(`Aanbieder ${providerId}`);
  const [p] = await db.query(
    `SELECT p.id, trim(p.agb_code) AS agb_code, p.name FROM provider p
     WHERE p.id = $2 AND (EXISTS (SELECT 1 FROM contract c WHERE c.provider_id = p.id AND c.region_id = $1)
        OR EXISTS (SELECT 1 FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code WHERE d.provider_id = p.id AND m.region_id = $1))`,
    [scope.regionId, providerId],
  );
  if (!p) throw notFound(`Aanbieder ${providerId}`);
  return { id: p.id, agbCode: p.agb_code, name: p.name };
}

// --- writing figures -------------------------------------------------------------------------------------

/** Checks that need more than one field; the field names are the Dutch ones the form and the CSV use. */
export function checkFigures(f: AnnualAccount): FieldError[] {
  const e: FieldError[] = [];
  const cents = (v: number | null, field: string) => {
    if (v !== null && !Number.isSafeInteger(v)) e.push({ field, detail: 'geen geheel aantal centen' });
  };
  cents(f.revenueCents, 'Omzet');
  cents(f.youthActRevenueCents, 'Waarvan Jeugdwet');
  cents(f.resultCents, 'Resultaat');
  cents(f.equityCents, 'Eigen vermogen');
  cents(f.totalAssetsCents, 'Balanstotaal');
  cents(f.currentAssetsCents, 'Vlottende activa');
  cents(f.currentLiabilitiesCents, 'Kortlopende schulden');
  cents(f.staffCostsCents, 'Personeelskosten');
  if (!(f.revenueCents > 0)) e.push({ field: 'Omzet', detail: 'moet groter zijn dan 0' });
  if (f.youthActRevenueCents !== null && (f.youthActRevenueCents < 0 || f.youthActRevenueCents > f.revenueCents))
    e.push({ field: 'Waarvan Jeugdwet', detail: 'moet tussen 0 en de omzet liggen' });
  if (!(f.totalAssetsCents > 0)) e.push({ field: 'Balanstotaal', detail: 'moet groter zijn dan 0' });
  if (f.currentAssetsCents < 0) e.push({ field: 'Vlottende activa', detail: 'mag niet negatief zijn' });
  else if (f.currentAssetsCents > f.totalAssetsCents) e.push({ field: 'Vlottende activa', detail: 'kan niet groter zijn dan het balanstotaal' });
  if (f.totalAssetsCents > 0 && f.equityCents > f.totalAssetsCents) e.push({ field: 'Eigen vermogen', detail: 'kan niet groter zijn dan het balanstotaal' });
  if (f.currentLiabilitiesCents < 0) e.push({ field: 'Kortlopende schulden', detail: 'mag niet negatief zijn' });
  else if (f.totalAssetsCents > 0 && f.equityCents <= f.totalAssetsCents && f.currentLiabilitiesCents > f.totalAssetsCents - f.equityCents) {
    e.push({
      field: 'Kortlopende schulden',
      detail: `kunnen niet groter zijn dan het vreemd vermogen (balanstotaal − eigen vermogen = ${formatEuro(f.totalAssetsCents - f.equityCents)})`,
    });
  }
  if (f.revenueCents > 0 && f.resultCents > f.revenueCents) e.push({ field: 'Resultaat', detail: 'kan niet groter zijn dan de omzet' });
  if (f.staffCostsCents < 0) e.push({ field: 'Personeelskosten', detail: 'mag niet negatief zijn' });
  if (!Number.isFinite(f.fte) || f.fte < 0 || f.fte >= 1e7 || Math.abs(f.fte * 100 - Math.round(f.fte * 100)) > 1e-6)
    e.push({ field: 'Fte', detail: 'een aantal ≥ 0 met hooguit twee decimalen' });
  else if (f.fte === 0 && f.staffCostsCents > 0) e.push({ field: 'Fte', detail: 'is 0 terwijl er personeelskosten zijn' });
  return e;
}

/**
 * What the region itself paid the provider in a year (accepted declarations of every municipality of the region):
 * the provider's turnover, and its Jeugdwet part, cannot be less.
 */
export async function regionMoney(db: Db, regionId: string, keys: { providerId: number; year: number }[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!keys.length) return out;
  const regionScope: Scope = { regionId, municipalityCode: null, providerId: null }; // the whole region's money, whoever enters
  const rows = await run<{ provider_id: number; year: number; cents: string | number }>(
    db,
    sql`
    SELECT f.provider_id, f.year, sum(f.amount_cents)::int8 AS cents
    FROM declaration_year_fact f JOIN municipality m ON m.code = f.municipality_code
    WHERE ${scopeSql(regionScope, { region: 'm.region_id', municipality: 'f.municipality_code', provider: 'f.provider_id' })}
      AND f.provider_id = ANY(${[...new Set(keys.map((k) => k.providerId))]}::int[]) AND f.year = ANY(${[...new Set(keys.map((k) => k.year))]}::int[])
    GROUP BY f.provider_id, f.year`,
  );
  for (const r of rows) out.set(`${r.provider_id}|${r.year}`, Number(r.cents));
  return out;
}

/** Turnover (and its Jeugdwet part) against what the region paid that year. */
export function checkAgainstRegion(f: AnnualAccount, year: number, regionCents: number | undefined): FieldError[] {
  if (!regionCents || regionCents <= 0) return [];
  const e: FieldError[] = [];
  const paid = `de regio betaalde deze aanbieder in ${year} al ${formatEuro(regionCents)} aan geaccepteerde declaraties`;
  if (f.revenueCents < regionCents) e.push({ field: 'Omzet', detail: `${formatEuro(f.revenueCents)} kan niet: ${paid}` });
  if (f.youthActRevenueCents !== null && f.youthActRevenueCents < regionCents)
    e.push({ field: 'Waarvan Jeugdwet', detail: `${formatEuro(f.youthActRevenueCents)} kan niet: ${paid}` });
  return e;
}

const UPSERT = `INSERT INTO provider_annual_account (provider_id, year, revenue_cents, youth_act_revenue_cents, result_cents, equity_cents,
    total_assets_cents, current_assets_cents, current_liabilities_cents, staff_costs_cents, fte, source, entered_by, entered_on)
  VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
  ON CONFLICT (provider_id, year) DO UPDATE SET revenue_cents = EXCLUDED.revenue_cents, youth_act_revenue_cents = EXCLUDED.youth_act_revenue_cents,
    result_cents = EXCLUDED.result_cents, equity_cents = EXCLUDED.equity_cents, total_assets_cents = EXCLUDED.total_assets_cents,
    current_assets_cents = EXCLUDED.current_assets_cents, current_liabilities_cents = EXCLUDED.current_liabilities_cents,
    staff_costs_cents = EXCLUDED.staff_costs_cents, fte = EXCLUDED.fte, source = EXCLUDED.source, entered_by = EXCLUDED.entered_by, entered_on = EXCLUDED.entered_on`;
const upsertParams = (providerId: number, year: number, f: AnnualAccount, source: string, enteredBy: string, today: string) => [
  providerId,
  year,
  f.revenueCents,
  f.youthActRevenueCents,
  f.resultCents,
  f.equityCents,
  f.totalAssetsCents,
  f.currentAssetsCents,
  f.currentLiabilitiesCents,
  f.staffCostsCents,
  f.fte.toFixed(2),
  source,
  enteredBy,
  today,
];

/** One year's figures of one provider, entered in the web app; replaces what was there for that year. */
export async function saveAnnualAccount(
  db: Db,
  scope: DataScope,
  providerId: number,
  year: number,
  f: AnnualAccount,
  source: string,
  enteredBy: string,
  today: string,
) {
  await providerOfRegion(db, scope, providerId);
  const errors = checkFigures(f);
  if (!errors.length) errors.push(...checkAgainstRegion(f, year, (await regionMoney(db, scope.regionId, [{ providerId, year }])).get(`${providerId}|${year}`)));
  if (errors.length) throw badRequest(`${errors[0].field}: ${errors[0].detail}`, errors[0].field);
  await db.query(UPSERT, upsertParams(providerId, year, f, source, enteredBy, today));
}

export const CSV_HEADER = [
  'AGB-code',
  'Jaar',
  'Omzet',
  'Waarvan Jeugdwet',
  'Resultaat',
  'Eigen vermogen',
  'Balanstotaal',
  'Vlottende activa',
  'Kortlopende schulden',
  'Personeelskosten',
  'Fte',
  'Bron',
] as const;

export { parseEuroCents } from '../core/money.ts'; // the one parser (core/money.ts)

/**
 * Annual accounts from CSV (CSV_HEADER, semicolons, amounts in euros with decimal comma or point). Every line is
 * checked; one bad line refuses the whole file. A provider × year already present is replaced.
 */
export async function importAnnualAccounts(db: Db, scope: DataScope, csv: string, enteredBy: string, today: string): Promise<{ imported: number }> {
  const lines = textLines(csv);
  const first = lines.next();
  const headerLine = first.done ? '' : first.value[1];
  const header = csvFields(headerLine).map((h) =>
    h
      .trim()
      .replace(/\s*\(.*\)$/, '')
      .toLowerCase(),
  );
  if (CSV_HEADER.some((h, i) => header[i] !== h.toLowerCase())) {
    throw invalidRows('Jaarcijferbestand', [{ line: 1, field: 'kopregel', detail: `verwacht: ${CSV_HEADER.join(';')}` }]);
  }
  const providers = await db.query<{ id: number; agb: string }>(
    `SELECT DISTINCT p.id, trim(p.agb_code) AS agb FROM provider p
     WHERE EXISTS (SELECT 1 FROM contract c WHERE c.provider_id = p.id AND c.region_id = $1)
        OR EXISTS (SELECT 1 FROM declaration_year_fact f JOIN municipality m ON m.code = f.municipality_code WHERE f.provider_id = p.id AND m.region_id = $1)`,
    [scope.regionId],
  );
  const byAgb = new Map(providers.map((p) => [p.agb, p.id]));
  const errors = new LineErrors(); // counted all, the first 1,000 kept
  const rows: { line: number; providerId: number; year: number; f: AnnualAccount; source: string }[] = [];
  const seen = new Map<string, number>();
  const pause = pauses(); // a 5 MB file must not hold up other requests: a yield every 20 ms of work (every 2,000
  // lines took 60–100 ms at load 9, issue 14 fifth session)
  for (const [i, text] of lines) {
    await pause();
    if (!text.trim()) continue;
    const line = i + 1;
    const c = csvFields(text).map((x) => x.trim());
    const err = (field: string, detail: string) => errors.push({ line, field, detail });
    const before = errors.length;
    const agb = c[0] ?? '';
    const providerId = byAgb.get(agb);
    if (!/^\d{8}$/.test(agb)) err('AGB-code', `'${agb}' is geen AGB-code van 8 cijfers`);
    else if (!providerId) err('AGB-code', `aanbieder ${agb} heeft geen contract of declaraties in deze regio`);
    else if (scope.providerId !== null && scope.providerId !== providerId) err('AGB-code', 'u mag alleen cijfers van uw eigen organisatie inlezen');
    const year = Number(c[1]);
    if (!/^\d{4}$/.test(c[1] ?? '') || year < 2000 || year > 2100) err('Jaar', `'${c[1] ?? ''}' is geen boekjaar`);
    const money = (idx: number, optional = false): number | null => {
      const text = c[idx] ?? '';
      if (optional && text === '') return null;
      const v = parseEuroCents(text);
      if (v === null) err(CSV_HEADER[idx], `'${text}' is geen bedrag in euro's (bv. 1250000,00)`);
      return v;
    };
    const revenueCents = money(2),
      youthActRevenueCents = money(3, true),
      resultCents = money(4),
      equityCents = money(5),
      totalAssetsCents = money(6),
      currentAssetsCents = money(7),
      currentLiabilitiesCents = money(8),
      staffCostsCents = money(9);
    const fteText = (c[10] ?? '').replace(',', '.');
    const fte = /^\d+(\.\d{1,2})?$/.test(fteText) ? Number(fteText) : NaN;
    if (Number.isNaN(fte)) err('Fte', `'${c[10] ?? ''}' is geen aantal fte (bv. 12,5)`);
    const source = c[11] ?? '';
    if (!source) err('Bron', 'noem de bron, bv. jaarrekening 2023');
    const key = `${agb}|${year}`;
    if (seen.has(key)) err('AGB-code', `dubbel: dezelfde aanbieder en hetzelfde jaar staan ook op regel ${seen.get(key)}`);
    seen.set(key, line);
    if (errors.length === before) {
      const f = {
        revenueCents: revenueCents!,
        youthActRevenueCents,
        resultCents: resultCents!,
        equityCents: equityCents!,
        totalAssetsCents: totalAssetsCents!,
        currentAssetsCents: currentAssetsCents!,
        currentLiabilitiesCents: currentLiabilitiesCents!,
        staffCostsCents: staffCostsCents!,
        fte,
      };
      for (const e of checkFigures(f)) err(e.field, e.detail);
      if (errors.length === before) rows.push({ line, providerId: providerId!, year, f, source });
    }
  }
  if (!errors.length) {
    // every line is well formed: now against what the region paid
    const paid = await regionMoney(db, scope.regionId, rows);
    for (const r of rows)
      for (const e of checkAgainstRegion(r.f, r.year, paid.get(`${r.providerId}|${r.year}`))) errors.push({ line: r.line, field: e.field, detail: e.detail });
  }
  if (errors.length) throw invalidRows('Jaarcijferbestand', errors);
  if (!rows.length) throw invalidRows('Jaarcijferbestand', [{ line: 2, field: 'regels', detail: 'het bestand bevat geen jaarcijfers' }]);
  await db.transaction(async (tx) => {
    for (const r of rows) await tx.query(UPSERT, upsertParams(r.providerId, r.year, r.f, r.source, enteredBy, today));
  });
  return { imported: rows.length };
}

/** The region's own thresholds; a ratio and direction it does not set keeps the default. */
export async function saveThresholds(
  db: Db,
  regionId: string,
  changes: { ratio: Ratio; direction: 'below' | 'above'; value: number }[],
  by: string,
  today: string,
) {
  const current = await thresholds(db, regionId);
  const errors: FieldError[] = [];
  for (const [i, c] of changes.entries()) {
    if (!current.some((t) => t.ratio === c.ratio && t.direction === c.direction))
      errors.push({ field: `thresholds.${i}`, detail: `geen drempel '${c.ratio}' ${c.direction}` });
  }
  if (errors.length) throw invalidRows('Drempels', errors);
  await db.transaction(async (tx) => {
    for (const c of changes) {
      const t = current.find((x) => x.ratio === c.ratio && x.direction === c.direction)!;
      await tx.query(
        `INSERT INTO provider_risk_threshold (region_id, ratio, direction, value, risk, label, source) VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (COALESCE(region_id, ''), ratio, direction) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source`,
        [regionId, c.ratio, c.direction, String(c.value), t.risk, t.label, `Keuze van de regio, vastgesteld door ${by} op ${today}`],
      );
    }
  });
  return thresholds(db, regionId);
}

// --- demo figures ----------------------------------------------------------------------------------------

/** A deterministic fraction in [0, 1) from the provider's AGB code, the year and a key: same figures on PGlite and PostgreSQL. */
const u = (key: string, perYear = true) =>
  `(('x' || substr(md5(p.agb_code || ${perYear ? `':' || y.year` : `''`} || ':${key}'), 1, 8))::bit(32)::int8::numeric / 4294967296)`;

/**
 * Demo annual accounts for every provider the demo paid, for each year it was paid and the year before; labelled
 * 'demo' in source and entered_by. Derived in one SQL statement from the declaration facts of every region, so the
 * accounts agree with what the regions pay: revenue = that year's money from all demo regions / a drawn dependency
 * (at most 96%), so turnover is never below the regional money; a year without money takes the next year's money
 * with 2–12% less growth. Most providers get healthy figures drawn inside the default thresholds (migration 025);
 * about 1 in 22 providers, chosen by its AGB code, gets one kind of trouble for both years (heavy loss, very high
 * return, thin equity, short of cash, almost wholly dependent on the regions, implausibly cheap staff), which is
 * what a contract manager must see. Balance sheets add up: equity ≤ total assets, current liabilities ≤ debts.
 * Re-running inserts what is missing and corrects earlier demo rows (not figures someone entered); it returns the
 * number of rows written, 0 when everything was already in place.
 */
export async function loadRiskDemo(db: Db): Promise<number> {
  const n = await writeRiskDemo(db);
  await db.query(`INSERT INTO app_meta (key, value) VALUES ('risk_demo_generator', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [
    JSON.stringify(RISK_DEMO_GENERATOR),
  ]);
  return n;
}

/**
 * The version of the demo annual accounts' generator (`loadRiskDemo`): raise it when the generator changes, and a demo
 * database made by an older one gets its accounts corrected at its next start (`ensureRiskDemo`). Version 2 is the
 * generator of issue 18 §2.
 */
export const RISK_DEMO_GENERATOR = 2;

/**
 * At a demo start: the demo annual accounts corrected when an older generator made them (issue 18 §2), and nothing
 * read when they are the current generator's (recomputing them from every region's facts took about a second of CPU
 * at every start). Returns the rows written.
 */
export async function ensureRiskDemo(db: Db): Promise<number> {
  const [m] = await db.query<{ value: number }>(`SELECT value FROM app_meta WHERE key = 'risk_demo_generator'`);
  return m?.value === RISK_DEMO_GENERATOR ? 0 : loadRiskDemo(db);
}

async function writeRiskDemo(db: Db): Promise<number> {
  const rows = await db.query(`
    WITH m AS (
      SELECT provider_id, year, sum(amount_cents) AS cents FROM declaration_year_fact GROUP BY provider_id, year HAVING sum(amount_cents) > 0
    ),
    ys AS (SELECT provider_id, year FROM m UNION SELECT provider_id, year - 1 FROM m),
    base AS (
      SELECT y.provider_id, y.year, COALESCE(cur.cents, 0) AS year_cents,
             COALESCE(cur.cents, round(nxt.cents * (0.88 + 0.10 * ${u('growth')}))) AS cents,
             CASE WHEN ${u('trouble', false)} < 0.045 THEN floor(${u('kind', false)} * 6)::int ELSE -1 END AS kind,
             ${u('dependency', false)} AS ud, ${u('return')} AS ur, ${u('assets')} AS ua, ${u('solvency')} AS us, ${u('current')} AS uc,
             ${u('shortdebt')} AS ul, ${u('staff')} AS up, ${u('fte')} AS uf, ${u('youth')} AS uj
      FROM ys y JOIN provider p ON p.id = y.provider_id
      LEFT JOIN m cur ON cur.provider_id = y.provider_id AND cur.year = y.year
      LEFT JOIN m nxt ON nxt.provider_id = y.provider_id AND nxt.year = y.year + 1
    ),
    d AS (  -- kinds of trouble: 0 dependent, 1 heavy loss, 2 very high return, 3 thin equity, 4 short of cash, 5 cheap staff
      SELECT b.*,
             round(b.cents / CASE WHEN kind = 0 THEN 0.84 + 0.12 * ud ELSE 0.03 + 0.57 * ud * ud END)::int8 AS revenue,
             CASE kind WHEN 1 THEN -0.06 - 0.08 * ur WHEN 2 THEN 0.16 + 0.06 * ur ELSE -0.02 + 0.08 * ur END AS ret,
             CASE WHEN kind = 3 THEN -0.05 + 0.13 * us ELSE 0.15 + 0.40 * us END AS solv,
             CASE WHEN kind = 4 THEN 0.45 + 0.25 * uc ELSE 1.00 + 1.50 * uc END AS cr,
             CASE WHEN kind = 5 THEN 3000000 + 800000 * uf ELSE 4800000 + 3000000 * uf END AS per_fte
      FROM base b WHERE b.cents > 0
    ),
    f AS (
      SELECT d.*, round(d.revenue * (0.30 + 0.40 * ua))::int8 AS assets, round(d.revenue * (0.62 + 0.14 * up))::int8 AS staff FROM d
    ),
    g AS (
      SELECT f.*, round(f.assets * solv)::int8 AS equity FROM f
    ),
    h AS (  -- short-term debts are part of all debts; current assets follow from the drawn current ratio, at most 90% of the assets
      SELECT g.*, round((g.assets - g.equity) * (0.35 + 0.50 * ul))::int8 AS current_liabilities FROM g
    )
    INSERT INTO provider_annual_account AS a (provider_id, year, revenue_cents, youth_act_revenue_cents, result_cents, equity_cents, total_assets_cents,
      current_assets_cents, current_liabilities_cents, staff_costs_cents, fte, source, entered_by, entered_on)
    SELECT provider_id, year, revenue,
           LEAST(revenue, GREATEST(year_cents, round(revenue * (0.55 + 0.45 * uj))::int8)),
           round(revenue * ret)::int8,
           equity, assets,
           LEAST(round(current_liabilities * cr)::int8, round(assets * 0.9)::int8),
           current_liabilities,
           staff,
           GREATEST(0.01, round(staff / per_fte, 2)),
           'demo: gegenereerde cijfers, geen echte jaarrekening', 'demo', make_date(year + 1, 6, 30)
    FROM h WHERE revenue > 0 AND assets > 0
    ON CONFLICT (provider_id, year) DO UPDATE SET revenue_cents = EXCLUDED.revenue_cents, youth_act_revenue_cents = EXCLUDED.youth_act_revenue_cents,
      result_cents = EXCLUDED.result_cents, equity_cents = EXCLUDED.equity_cents, total_assets_cents = EXCLUDED.total_assets_cents,
      current_assets_cents = EXCLUDED.current_assets_cents, current_liabilities_cents = EXCLUDED.current_liabilities_cents,
      staff_costs_cents = EXCLUDED.staff_costs_cents, fte = EXCLUDED.fte, source = EXCLUDED.source, entered_on = EXCLUDED.entered_on
    WHERE a.entered_by = 'demo' AND (a.revenue_cents, a.youth_act_revenue_cents, a.result_cents, a.equity_cents, a.total_assets_cents, a.current_assets_cents,
      a.current_liabilities_cents, a.staff_costs_cents, a.fte) IS DISTINCT FROM (EXCLUDED.revenue_cents, EXCLUDED.youth_act_revenue_cents, EXCLUDED.result_cents,
      EXCLUDED.equity_cents, EXCLUDED.total_assets_cents, EXCLUDED.current_assets_cents, EXCLUDED.current_liabilities_cents, EXCLUDED.staff_costs_cents, EXCLUDED.fte)
    RETURNING provider_id`);
  return rows.length;
}
