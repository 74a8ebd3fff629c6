// Budgets per municipality × segment × year against realisation to date, with a year-end forecast that
// states its method, and deviations flagged. Import of budgets from CSV, all or nothing.
// (Funding's since issue 15 §8: moved from src/monitoring/budget.ts.)
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql, type Scope } from '../db/query.ts';
import type { DataScope } from '../access/roles.ts';
import { invalidRows, LineErrors } from '../core/errors.ts';
import { pauses, textLines } from '../core/work.ts';
import { parseEuroCents } from '../core/money.ts';
import { csvFields } from '../core/csv.ts';
import { contractPositions } from './store.ts';

/** A municipality's budget for one segment and year is below ten billion euros: more is a typing error. */
const MAX_BUDGET_CENTS = 1e12;

/**
 * Budget and realisation per municipality × segment, within the role's scope (no provider sees a budget): the accepted
 * lines of January up to and including `throughMonth`, read from the monthly facts (m01 … m12 hold each month's net
 * amount by period start, migration 009: the same as the lines from the year's start up to the cutoff); a closed year
 * reads the yearly facts.
 */
export const budgetSql = (scope: Scope, year: number, throughMonth: number) => sql<{
  municipality_code: string;
  municipality_name: string;
  segment_id: number;
  segment_code: string;
  segment_name: string;
  budget_cents: number | null;
  realised_cents: number;
}>`
WITH realised AS (
  SELECT d.municipality_code, COALESCE(s.parent_id, s.id) AS segment_id, sum(d.amount_cents) AS amount_cents
  FROM (${
    throughMonth >= 12
      ? sql`SELECT f.municipality_code, f.product_id, f.amount_cents FROM declaration_year_fact f WHERE f.year = ${year}::int`
      : sql`SELECT f.municipality_code, f.product_id, (${sql.raw(monthSum(throughMonth))}) AS amount_cents FROM declaration_month_fact f WHERE f.year = ${year}::int`
  }) d
  JOIN municipality m ON m.code = d.municipality_code
  JOIN product p ON p.id = d.product_id
  JOIN segment s ON s.id = p.segment_id
  WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'd.municipality_code', noneForProviders: true })}
  GROUP BY 1, 2
)
SELECT trim(m.code) AS municipality_code, m.name AS municipality_name, s.id AS segment_id, s.code AS segment_code, s.name AS segment_name,
       b.amount_cents AS budget_cents, COALESCE(r.amount_cents, 0)::int8 AS realised_cents
FROM municipality m
CROSS JOIN segment s
LEFT JOIN budget b ON b.municipality_code = m.code AND b.segment_id = s.id AND b.year = ${year}::int
LEFT JOIN realised r ON r.municipality_code = m.code AND r.segment_id = s.id
WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'm.code', noneForProviders: true })}
  AND s.region_id = ${scope.regionId} AND s.parent_id IS NULL
ORDER BY m.name, s.sort_order, s.id`;

/** `f.m01 + … + f.mNN`: the monthly facts' net amounts of January up to and including month `through` (1–11). */
const monthSum = (through: number) => {
  if (!Number.isInteger(through) || through < 1 || through > 12) throw new Error(`maand ${through} bestaat niet`);
  return Array.from({ length: through }, (_, i) => `f.m${String(i + 1).padStart(2, '0')}`).join(' + ');
};

export interface BudgetLine {
  /**
   * realisedCents: every funding form's realisation (issue 15 §3): the declarations, with each contract's cost in place
   * of what was declared under it (a lumpsum, availability or real-cost contract at its year's outcome, shared by its
   * key; a profile or trajectory contract at what its lines settle to); declaredCents: the declarations alone.
   */
  budgetCents: number | null;
  realisedCents: number;
  declaredCents: number;
  forecastCents: number;
  deviationCents: number | null;
  deviationPct: number | null;
  flag: 'binnen' | 'over' | 'onder' | 'geen budget';
}
export interface BudgetCell extends BudgetLine {
  municipalityCode: string;
  municipalityName: string;
  segmentCode: string;
  segmentName: string;
}

/**
 * Forecast method: linear extrapolation of the months realised. With `throughMonth` months of
 * declarations (January up to and including that month), forecast = realised × 12 / throughMonth,
 * rounded to whole cents. A closed year (throughMonth 12) forecasts what was realised.
 */
export function forecast(realisedCents: number, throughMonth: number): number {
  return Math.round((realisedCents * 12) / throughMonth);
}

export function judge(
  budgetCents: number | null,
  realisedCents: number,
  throughMonth: number,
  thresholdPct: number,
  declaredCents = realisedCents,
): BudgetLine {
  const f = forecast(realisedCents, throughMonth);
  if (budgetCents === null)
    return { budgetCents, realisedCents, declaredCents, forecastCents: f, deviationCents: null, deviationPct: null, flag: 'geen budget' };
  const dev = f - budgetCents;
  const pct = budgetCents !== 0 ? Math.round((dev / budgetCents) * 1000) / 10 : null;
  const flag = pct === null ? (dev > 0 ? 'over' : 'binnen') : pct > thresholdPct ? 'over' : pct < -thresholdPct ? 'onder' : 'binnen';
  return { budgetCents, realisedCents, declaredCents, forecastCents: f, deviationCents: dev, deviationPct: pct, flag };
}

/**
 * Per municipality × top segment, what the contracts add to the declarations: each contract's cost to the municipality
 * (its share) less what was declared under it for that municipality (costs.ts and the statement read the same
 * positions, so a full year's realisation adds up to the costs by funding form). Before the year is over the
 * contracts' year figures count pro rata (throughMonth / 12, rounded to the cent): the forecast then extrapolates them.
 */
async function contractAdjustments(db: Db, scope: DataScope, year: number, throughMonth: number): Promise<Map<string, number>> {
  const adjust = new Map<string, number>(); // municipality|topSegmentId → cents
  if (scope.providerId !== null) return adjust; // a provider sees no budgets
  for (const p of await contractPositions(db, scope, year)) {
    const declared = new Map(p.declaredByMunicipality.map((d) => [d.municipalityCode, d.declaredCents]));
    const shares = new Map(p.municipalityShares.map((s) => [s.municipalityCode, s.shareCents]));
    for (const m of new Set([...declared.keys(), ...shares.keys()])) {
      const delta = (shares.get(m) ?? 0) - (declared.get(m) ?? 0);
      if (delta === 0) continue;
      const k = `${m}|${p.topSegmentId}`;
      adjust.set(k, (adjust.get(k) ?? 0) + delta);
    }
  }
  if (throughMonth < 12) for (const [k, v] of adjust) adjust.set(k, Math.round((v * throughMonth) / 12));
  return adjust;
}

export async function budgetReport(db: Db, scope: DataScope, year: number, throughMonth: number, thresholdPct: number) {
  const [rows, adjust] = await Promise.all([run(db, budgetSql(scope, year, throughMonth)), contractAdjustments(db, scope, year, throughMonth)]);
  const cells: BudgetCell[] = rows.map((r) => ({
    municipalityCode: r.municipality_code,
    municipalityName: r.municipality_name,
    segmentCode: r.segment_code,
    segmentName: r.segment_name,
    ...judge(
      r.budget_cents,
      Number(r.realised_cents) + (adjust.get(`${r.municipality_code}|${r.segment_id}`) ?? 0),
      throughMonth,
      thresholdPct,
      Number(r.realised_cents),
    ),
  }));
  const sum = (xs: BudgetCell[]) => {
    const budgets = xs.filter((x) => x.budgetCents !== null);
    return judge(
      budgets.length ? budgets.reduce((a, x) => a + x.budgetCents!, 0) : null,
      xs.reduce((a, x) => a + x.realisedCents, 0),
      throughMonth,
      thresholdPct,
      xs.reduce((a, x) => a + x.declaredCents, 0),
    );
  };
  const group = (key: (c: BudgetCell) => string) => [...new Set(cells.map(key))].map((k) => ({ key: k, cells: cells.filter((c) => key(c) === k) }));
  return {
    regionId: scope.regionId,
    year,
    throughMonth,
    thresholdPct,
    method:
      (throughMonth === 12
        ? `Jaar ${year} is afgesloten: de prognose is de realisatie.`
        : `Lineaire prognose: gerealiseerd januari t/m maand ${throughMonth} × 12 / ${throughMonth}. Declaraties komen vaak later binnen; de laatste maanden kunnen nog groeien.`) +
      ` De realisatie telt elke bekostigingsvorm: declaraties, en voor contracten op lumpsum, beschikbaarheid, reële nacalculatie, profiel of traject de uitkomst van het contract (het aandeel van de gemeente) in plaats van wat eronder is gedeclareerd${throughMonth === 12 ? '' : `, naar rato ${throughMonth}/12`}.`,
    total: sum(cells),
    byMunicipality: group((c) => c.municipalityCode).map((g) => ({ code: g.key, name: g.cells[0].municipalityName, ...sum(g.cells) })),
    bySegment: group((c) => c.segmentCode).map((g) => ({ code: g.key, name: g.cells[0].segmentName, ...sum(g.cells) })),
    cells,
  };
}

/**
 * Budgets from CSV (`CBS-code;Segment;Jaar;Bedrag (EUR)`, decimal comma or point, header line first).
 * Every line is checked; one bad line refuses the whole file. Existing budgets for the same cell are replaced.
 */
export async function importBudgets(db: Db, scope: DataScope, csv: string): Promise<{ imported: number }> {
  const lines = textLines(csv);
  const first = lines.next();
  const headerLine = first.done ? '' : first.value[1];
  const [municipalities, segments] = await Promise.all([
    db.query<{ code: string }>(`SELECT trim(code) AS code FROM municipality WHERE region_id = $1`, [scope.regionId]),
    db.query<{ id: number; code: string }>(`SELECT id, code FROM segment WHERE region_id = $1 AND parent_id IS NULL`, [scope.regionId]),
  ]);
  const known = new Set(municipalities.map((m) => m.code));
  const segmentId = new Map(segments.map((s) => [s.code, s.id]));
  const errors = new LineErrors(); // counted all, the first 1,000 kept
  const rows: [string, number, number, number][] = [];
  const seen = new Map<string, number>();
  const header = csvFields(headerLine).map((h) => h.trim().toLowerCase());
  if (header[0] !== 'cbs-code' || header[1] !== 'segment' || header[2] !== 'jaar' || !header[3]?.startsWith('bedrag')) {
    throw invalidRows('Budgetbestand', [{ line: 1, field: 'kopregel', detail: 'verwacht: CBS-code;Segment;Jaar;Bedrag (EUR)' }]);
  }
  const pause = pauses(); // a 5 MB file must not hold up other requests: a yield every 20 ms of work (every 2,000
  // lines took 60–100 ms at load 9, issue 14 fifth session)
  for (const [i, text] of lines) {
    await pause();
    if (!text.trim()) continue;
    const line = i + 1;
    const before = errors.length;
    const [code = '', seg = '', yearText = '', amountText = ''] = csvFields(text).map((c) => c.trim());
    const cbs = code.padStart(4, '0');
    if (!/^\d{1,4}$/.test(code)) errors.push({ line, field: 'CBS-code', detail: `'${code}' is geen CBS-gemeentecode` });
    else if (!known.has(cbs)) errors.push({ line, field: 'CBS-code', detail: `gemeente ${cbs} hoort niet bij deze regio` });
    else if (scope.municipalityCode && scope.municipalityCode.trim() !== cbs)
      errors.push({ line, field: 'CBS-code', detail: `u mag alleen budgetten van gemeente ${scope.municipalityCode.trim()} invoeren` });
    if (!segmentId.has(seg)) errors.push({ line, field: 'Segment', detail: `segment '${seg}' bestaat niet; kies uit ${[...segmentId.keys()].join(', ')}` });
    const year = Number(yearText);
    if (!Number.isInteger(year) || year < 2015 || year > 2100) errors.push({ line, field: 'Jaar', detail: `'${yearText}' is geen jaar` });
    const amountCents = parseEuroCents(amountText);
    if (amountCents === null || amountCents < 0 || amountCents > MAX_BUDGET_CENTS)
      errors.push({ line, field: 'Bedrag', detail: `'${amountText}' is geen bedrag in euro's tussen 0 en 10 miljard (bv. 1250000,00)` });
    const key = `${cbs}|${seg}|${year}`;
    if (seen.has(key)) errors.push({ line, field: 'CBS-code', detail: `dubbel: dezelfde gemeente, segment en jaar staan ook op regel ${seen.get(key)}` });
    seen.set(key, line);
    if (errors.length === before) {
      // linear: only this line's errors are counted, never a search through all earlier ones
      rows.push([cbs, segmentId.get(seg)!, year, amountCents!]);
    }
  }
  if (errors.length) throw invalidRows('Budgetbestand', errors);
  if (!rows.length) throw invalidRows('Budgetbestand', [{ line: 2, field: 'regels', detail: 'het bestand bevat geen budgetregels' }]);
  // one statement for all rows (at most municipalities × segments × years, duplicates refused above)
  await db.query(
    `INSERT INTO budget (municipality_code, segment_id, year, amount_cents)
                  SELECT * FROM unnest($1::bpchar[], $2::int[], $3::int[], $4::int8[])
                  ON CONFLICT (municipality_code, segment_id, year) DO UPDATE SET amount_cents = EXCLUDED.amount_cents`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
  return { imported: rows.length };
}
