// Waiting lists and flows as SQL: waiting time per care function and municipality (median, 90th percentile),
// in-, through- and outflow per month, length of stay, crisis stays over 28 days as bridging places; the
// public figures; and the waiting times providers publish (imported from CSV, matched per row).
import type { Db } from '../db/index.ts';
import { rows as run, scopeSql, sql } from '../db/query.ts';
import type { Account, DataScope } from '../access/roles.ts';
import { AppError } from '../core/errors.ts';
import { groupTypeLabel } from './rules.ts';
import { parseWaitingCsv, type RowError, type WaitingRow as ReadWait } from './csv.ts';
import { normaliseName, providerMatcher, suggestion } from '../providers/index.ts';
import { CRISIS_DAYS } from './requests.ts';
import { capacityByType, type TypeCapacity } from './store.ts';
import { pauses, ROWS_PER_STATEMENT, yieldToEventLoop } from '../core/work.ts';

/** Days between two steps that still count as moving straight on (doorstroom) rather than leaving and returning. */
export const THROUGH_DAYS = 7;
/** Cells with fewer persons are not shown publicly (they could point to one child). */
export const PUBLIC_MIN_COUNT = 5;

const round1 = (x: number | null) => (x === null ? null : Math.round(Number(x) * 10) / 10);

export interface WaitingRow {
  careFunction: string | null;
  careFunctionLabel: string;
  municipalityCode: string | null;
  municipalityName: string | null;
  placed: number;
  medianDays: number | null;
  p90Days: number | null;
  waitingNow: number;
  medianWaitingNowDays: number | null;
  longestWaitingNowDays: number | null;
}

/**
 * Waiting time = registration → placement, in calendar days, of requests placed in [from, asOf]; and of the requests
 * still waiting on asOf, how long so far. Care function = the kind of group placed in, or the form asked for first.
 * One row per care function × municipality, then per care function, then the total (GROUPING SETS).
 */
export async function waitingTimes(db: Db, scope: DataScope, from: string, asOf: string): Promise<WaitingRow[]> {
  const rows = await run<any>(
    db,
    sql`WITH w AS (
       SELECT trim(r.municipality_code) AS municipality_code, mu.name AS municipality_name,
              COALESCE(g.group_type, r.care_types[1]) AS care_function,
              CASE WHEN r.placed_on BETWEEN ${from}::date AND ${asOf}::date THEN r.placed_on - r.registered_on END AS waited,
              CASE WHEN r.registered_on <= ${asOf}::date AND (r.placed_on IS NULL OR r.placed_on > ${asOf}::date)
                    AND (r.withdrawn_on IS NULL OR r.withdrawn_on > ${asOf}::date) THEN ${asOf}::date - r.registered_on END AS waiting
       FROM placement_request r JOIN municipality mu ON mu.code = r.municipality_code
       LEFT JOIN care_group g ON g.id = r.placed_group_id
       -- a provider's scope holds no waiting list; the routes do not offer it to providers either
       WHERE ${scopeSql(scope, { region: 'r.region_id', municipality: 'r.municipality_code', noneForProviders: true })})
     SELECT care_function, municipality_code, municipality_name, grouping(care_function, municipality_code) AS level,
            count(waited)::int AS placed,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY waited) AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY waited) AS p90,
            count(waiting)::int AS waiting_now,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY waiting) AS median_now,
            max(waiting) AS longest_now
     FROM w WHERE waited IS NOT NULL OR waiting IS NOT NULL
     GROUP BY GROUPING SETS ((care_function, municipality_code, municipality_name), (care_function), ())
     ORDER BY grouping(care_function, municipality_code), care_function, municipality_name`,
  );
  return rows.map((r) => ({
    careFunction: r.care_function,
    careFunctionLabel: r.care_function ? groupTypeLabel(r.care_function) : 'Alle zorgvormen',
    municipalityCode: r.municipality_code,
    municipalityName: r.municipality_name,
    placed: r.placed,
    medianDays: round1(r.median),
    p90Days: round1(r.p90),
    waitingNow: r.waiting_now,
    medianWaitingNowDays: round1(r.median_now),
    longestWaitingNowDays: r.longest_now,
  }));
}

export interface FlowMonth {
  month: string;
  inflow: number;
  throughflow: number;
  outflow: number;
  inCare: number;
  crisis: number;
  bridging: number;
}
export interface StayLength {
  groupType: string;
  typeLabel: string;
  ended: number;
  medianEndedDays: number | null;
  ongoing: number;
  medianOngoingDays: number | null;
  bridgingNow: number;
}

/**
 * Stays are placements through the coordination point (placed_on … ended_on). Per month:
 * inflow = stays starting without a stay of the same youth ending in the THROUGH_DAYS before;
 * throughflow (doorstroom) = stays starting within THROUGH_DAYS of the youth's previous stay ending;
 * outflow = stays ending without a next stay within THROUGH_DAYS; inCare = stays running at the month's end (or asOf);
 * of those, crisis stays up to 28 days are crisis, longer ones bridging places (overbruggingsplek).
 */
export async function flows(db: Db, scope: DataScope, from: string, asOf: string): Promise<{ months: FlowMonth[]; stays: StayLength[] }> {
  const stays = sql`
    stays AS (
      SELECT r.youth_id, r.placed_on, r.ended_on, g.group_type,
             lag(r.ended_on) OVER (PARTITION BY r.youth_id ORDER BY r.placed_on, r.id) AS prev_end,
             lead(r.placed_on) OVER (PARTITION BY r.youth_id ORDER BY r.placed_on, r.id) AS next_start
      FROM placement_request r JOIN care_group g ON g.id = r.placed_group_id
      WHERE ${scopeSql(scope, { region: 'r.region_id', municipality: 'r.municipality_code', noneForProviders: true })}
        AND r.placed_on IS NOT NULL AND r.placed_on <= ${asOf}::date)`;
  const months = await run<any>(
    db,
    sql`WITH ${stays},
     months AS (
       SELECT m::date AS month_start, LEAST((m + interval '1 month' - interval '1 day')::date, ${asOf}::date) AS month_end
       FROM generate_series(date_trunc('month', ${from}::date), date_trunc('month', ${asOf}::date), interval '1 month') AS m)
     SELECT to_char(mo.month_start, 'YYYY-MM') AS month,
            count(*) FILTER (WHERE s.placed_on BETWEEN mo.month_start AND mo.month_end AND (s.prev_end IS NULL OR s.prev_end < s.placed_on - ${THROUGH_DAYS}::int))::int AS inflow,
            count(*) FILTER (WHERE s.placed_on BETWEEN mo.month_start AND mo.month_end AND s.prev_end >= s.placed_on - ${THROUGH_DAYS}::int)::int AS throughflow,
            count(*) FILTER (WHERE s.ended_on BETWEEN mo.month_start AND mo.month_end AND (s.next_start IS NULL OR s.next_start > s.ended_on + ${THROUGH_DAYS}::int))::int AS outflow,
            count(*) FILTER (WHERE s.placed_on <= mo.month_end AND (s.ended_on IS NULL OR s.ended_on > mo.month_end))::int AS in_care,
            count(*) FILTER (WHERE s.group_type = 'crisis' AND s.placed_on <= mo.month_end AND (s.ended_on IS NULL OR s.ended_on > mo.month_end)
                             AND mo.month_end - s.placed_on <= ${CRISIS_DAYS}::int)::int AS crisis,
            count(*) FILTER (WHERE s.group_type = 'crisis' AND s.placed_on <= mo.month_end AND (s.ended_on IS NULL OR s.ended_on > mo.month_end)
                             AND mo.month_end - s.placed_on > ${CRISIS_DAYS}::int)::int AS bridging
     FROM months mo LEFT JOIN stays s ON s.placed_on <= mo.month_end AND (s.ended_on IS NULL OR s.ended_on >= mo.month_start)
     GROUP BY mo.month_start ORDER BY mo.month_start`,
  );
  const lengths = await run<any>(
    db,
    sql`WITH ${stays}
     SELECT group_type,
            count(*) FILTER (WHERE ended_on IS NOT NULL AND ended_on <= ${asOf}::date)::int AS ended,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN ended_on <= ${asOf}::date THEN ended_on - placed_on END) AS median_ended,
            count(*) FILTER (WHERE ended_on IS NULL OR ended_on > ${asOf}::date)::int AS ongoing,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN ended_on IS NULL OR ended_on > ${asOf}::date THEN ${asOf}::date - placed_on END) AS median_ongoing,
            count(*) FILTER (WHERE group_type = 'crisis' AND (ended_on IS NULL OR ended_on > ${asOf}::date) AND ${asOf}::date - placed_on > ${CRISIS_DAYS}::int)::int AS bridging_now
     FROM stays GROUP BY group_type ORDER BY group_type`,
  );
  return {
    months: months.map((m) => ({
      month: m.month,
      inflow: m.inflow,
      throughflow: m.throughflow,
      outflow: m.outflow,
      inCare: m.in_care,
      crisis: m.crisis,
      bridging: m.bridging,
    })),
    stays: lengths.map((l) => ({
      groupType: l.group_type,
      typeLabel: groupTypeLabel(l.group_type),
      ended: l.ended,
      medianEndedDays: round1(l.median_ended),
      ongoing: l.ongoing,
      medianOngoingDays: round1(l.median_ongoing),
      bridgingNow: l.bridging_now,
    })),
  };
}

// --- provider-published waiting times --------------------------------------------------------------

export interface PendingRow {
  line: number;
  provider: string;
  status: 'ambiguous' | 'unknown';
  candidates: { id: number; name: string; score: number }[];
  suggestion: string;
}
export interface ImportReport {
  imported: number;
  pending: PendingRow[];
  errors: RowError[];
  importId: number | null;
  matchedBy: Record<string, number>; // agb, kvk, naam, handelsnaam, gelijkend → rows
}

const WAIT_COLUMNS = `import_id, region_id, provider_id, offer, care_type, location, target_group, expertise, funding,
  weeks_to_intake, weeks_to_treatment, reported_on, reported_precision, provider_name, source, remarks`;

/** Stores read rows whose provider is known (one INSERT over arrays). */
async function insertWaits(db: Db, importId: number, regionId: string, all: (ReadWait & { providerId: number })[]) {
  for (let i = 0; i < all.length; i += ROWS_PER_STATEMENT) {
    if (i) await yieldToEventLoop();
    const rows = all.slice(i, i + ROWS_PER_STATEMENT);
    const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
    await db.query(
      `INSERT INTO provider_waiting_time (${WAIT_COLUMNS})
     SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::numeric[], $11::numeric[], $12::date[],
                                  $13::text[], $14::text[], $15::text[], $16::text[])`,
      [
        importId,
        regionId,
        col('providerId'),
        col('offer'),
        col('careType'),
        col('location'),
        col('targetGroup'),
        col('expertise'),
        col('funding'),
        col('weeksToIntake'),
        col('weeksToTreatment'),
        col('reportedOn'),
        col('reportedPrecision'),
        col('provider'),
        col('source'),
        col('remarks'),
      ],
    );
  }
}

/**
 * Reads the CSV and matches every row's provider in the region's register (src/providers: AGB or KvK first, then
 * normalised names and trade names). Per row: stored when its provider is known; kept aside as pending with the
 * closest candidates when the name is unknown or ambiguous (resolved later by creating or choosing the provider);
 * refused with field and line when it cannot be read. A file with no readable row at all stores nothing.
 */
export async function importProviderWaitingTimes(
  db: Db,
  regionId: string,
  account: Account | null,
  fileName: string,
  csv: string,
  today: string,
): Promise<ImportReport> {
  const { rows, errors } = await parseWaitingCsv(csv, today);
  await yieldToEventLoop();
  const matcher = await providerMatcher(db, regionId);
  await yieldToEventLoop();
  const matched: (ReadWait & { providerId: number })[] = [];
  const pending: (PendingRow & { row: ReadWait; key: string })[] = [];
  const matchedBy: Record<string, number> = {};
  const pause = pauses(); // matching names against the register: yield every 20 ms of it
  for (const r of rows) {
    await pause();
    const m = matcher.match({ name: r.provider, agbCode: r.agbCode, kvkNumber: r.kvkNumber });
    if (m.status === 'matched') {
      matched.push({ ...r, providerId: m.providerId });
      matchedBy[m.via] = (matchedBy[m.via] ?? 0) + 1;
    } else
      pending.push({
        line: r.line,
        provider: r.provider,
        status: m.status,
        candidates: m.candidates,
        suggestion: suggestion(m.candidates),
        row: r,
        key: normaliseName(r.provider) || r.provider,
      });
  }
  if (!matched.length && !pending.length) return { imported: 0, pending: [], errors, importId: null, matchedBy };
  await yieldToEventLoop(); // the last slice of matching and the first statement not on one turn
  const importId = await db.transaction(async (tx) => {
    const [imp] = await tx.query(
      `INSERT INTO provider_waiting_import (region_id, file_name, rows, pending, refused, account_id) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
      [regionId, fileName, matched.length, pending.length, new Set(errors.map((e) => e.line)).size, account?.id ?? null],
    );
    await insertWaits(tx, imp.id, regionId, matched);
    // ROWS_PER_STATEMENT rows per statement, with a yield between (on PGlite one statement holds the event loop)
    for (let i = 0; i < pending.length; i += ROWS_PER_STATEMENT) {
      const part = pending.slice(i, i + ROWS_PER_STATEMENT);
      await tx.query(
        `INSERT INTO provider_waiting_pending (import_id, region_id, line, provider_name, name_key, row)
         SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::jsonb[])`,
        [imp.id, regionId, part.map((p) => p.line), part.map((p) => p.provider), part.map((p) => p.key), part.map((p) => JSON.stringify(p.row))],
      );
      await yieldToEventLoop();
    }
    return imp.id as number;
  });
  return { imported: matched.length, pending: pending.map(({ row: _r, key: _k, ...p }) => p), errors, importId, matchedBy };
}

/** Rows still waiting for their provider in a region, grouped by the name as written. */
export async function pendingWaits(db: Db, regionId: string) {
  const rows = await db.query(
    `SELECT name_key, min(provider_name) AS provider_name, count(*)::int AS rows, array_agg(line ORDER BY import_id, line) AS lines, max(import_id)::int AS import_id
     FROM provider_waiting_pending WHERE region_id = $1 GROUP BY name_key ORDER BY min(provider_name)`,
    [regionId],
  );
  return rows.map((r) => ({
    nameKey: r.name_key as string,
    providerName: r.provider_name as string,
    rows: r.rows as number,
    lines: r.lines as number[],
    importId: r.import_id as number,
  }));
}

/**
 * The pending rows written with this name (normalised) now belong to this provider: they move to the published
 * waiting times. Returns how many moved. Run inside the caller's transaction.
 */
export async function resolvePendingWaits(db: Db, regionId: string, providerName: string, providerId: number): Promise<number> {
  const key = normaliseName(providerName) || providerName;
  const rows = await db.query(`DELETE FROM provider_waiting_pending WHERE region_id = $1 AND name_key = $2 RETURNING import_id, row`, [regionId, key]);
  const byImport = new Map<number, (ReadWait & { providerId: number })[]>();
  for (const r of rows) {
    const row = (typeof r.row === 'string' ? JSON.parse(r.row) : r.row) as ReadWait;
    const list = byImport.get(Number(r.import_id)) ?? [];
    list.push({ ...row, providerId });
    byImport.set(Number(r.import_id), list);
  }
  for (const [importId, list] of byImport) {
    await insertWaits(db, importId, regionId, list);
    await db.query(`UPDATE provider_waiting_import SET rows = rows + $2, pending = pending - $2 WHERE id = $1`, [importId, list.length]);
  }
  return rows.length;
}

/** The latest published waiting time per provider × offer × type × location. A provider sees its own. */
export async function providerWaitingTimes(db: Db, scope: DataScope) {
  const rows = await run<any>(
    db,
    sql`SELECT DISTINCT ON (w.provider_id, w.offer, w.care_type, w.location)
            w.provider_id, p.name AS provider_name, p.agb_code, w.offer, w.care_type, w.location, w.target_group, w.expertise, w.funding,
            w.weeks_to_intake, w.weeks_to_treatment, w.reported_on, w.reported_precision, w.source, w.remarks
     FROM provider_waiting_time w JOIN provider p ON p.id = w.provider_id
     WHERE ${scopeSql(scope, { region: 'w.region_id', provider: 'w.provider_id', regionWideForMunicipalities: true })}
     ORDER BY w.provider_id, w.offer, w.care_type, w.location, w.reported_on DESC, w.id DESC`,
  );
  return rows.map((r) => ({
    providerId: r.provider_id,
    providerName: r.provider_name,
    agbCode: r.agb_code,
    offer: r.offer,
    careType: r.care_type,
    location: r.location,
    targetGroup: r.target_group,
    expertise: r.expertise,
    funding: r.funding,
    weeksToIntake: r.weeks_to_intake === null ? null : Number(r.weeks_to_intake),
    weeksToTreatment: r.weeks_to_treatment === null ? null : Number(r.weeks_to_treatment),
    reportedOn: r.reported_on,
    reportedPrecision: r.reported_precision as 'dag' | 'maand',
    source: r.source as string,
    remarks: r.remarks as string,
  }));
}

// --- public ------------------------------------------------------------------------------------------

export interface PublicRegion {
  regionId: string;
  name: string;
  capacity: TypeCapacity[];
  waits: { groupType: string; typeLabel: string; placed: number | null; medianWeeks: number | null; p90Weeks: number | null; waitingNow: number | null }[];
  published: { careType: string; providers: number; medianWeeksToIntake: number | null; medianWeeksToTreatment: number | null }[];
}

/**
 * What anyone may see, without logging in: places by kind and their state, typical waits in weeks over the last 12 months,
 * and the waits providers publish. No persons: counts under PUBLIC_MIN_COUNT are left out (null).
 */
export async function publicOverview(db: Db, from: string, asOf: string): Promise<PublicRegion[]> {
  const regions = await db.query<{ id: string; name: string }>(`SELECT id, name FROM region ORDER BY name`);
  const waits = await db.query(
    `SELECT r.region_id, COALESCE(g.group_type, r.care_types[1]) AS group_type,
            count(*) FILTER (WHERE r.placed_on BETWEEN $1::date AND $2::date)::int AS placed,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN r.placed_on BETWEEN $1::date AND $2::date THEN r.placed_on - r.registered_on END) AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY CASE WHEN r.placed_on BETWEEN $1::date AND $2::date THEN r.placed_on - r.registered_on END) AS p90,
            count(*) FILTER (WHERE r.status = ANY('{aangemeld,in_behandeling,aangeboden}'))::int AS waiting_now
     FROM placement_request r LEFT JOIN care_group g ON g.id = r.placed_group_id
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [from, asOf],
  );
  const published = await db.query(
    `WITH latest AS (
       SELECT DISTINCT ON (w.provider_id, w.offer, w.care_type, w.location) w.region_id, w.provider_id, w.care_type, w.weeks_to_intake, w.weeks_to_treatment
       FROM provider_waiting_time w ORDER BY w.provider_id, w.offer, w.care_type, w.location, w.reported_on DESC, w.id DESC)
     SELECT region_id, care_type, count(DISTINCT provider_id)::int AS providers,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY weeks_to_intake) AS intake,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY weeks_to_treatment) AS treatment
     FROM latest GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const out: PublicRegion[] = [];
  for (const reg of regions) {
    const { byType } = await capacityByType(db, { regionId: reg.id, providerId: null });
    if (!byType.length) continue;
    const shown = (n: number) => n >= PUBLIC_MIN_COUNT;
    out.push({
      regionId: reg.id,
      name: reg.name,
      capacity: byType,
      waits: waits
        .filter((w) => w.region_id === reg.id)
        .map((w) => ({
          groupType: w.group_type,
          typeLabel: groupTypeLabel(w.group_type),
          placed: shown(w.placed) ? w.placed : null,
          medianWeeks: shown(w.placed) ? round1(w.median / 7) : null,
          p90Weeks: shown(w.placed) ? round1(w.p90 / 7) : null,
          waitingNow: shown(w.waiting_now) ? w.waiting_now : null,
        })),
      published: published
        .filter((p) => p.region_id === reg.id)
        .map((p) => ({
          careType: p.care_type,
          providers: p.providers,
          medianWeeksToIntake: round1(p.intake),
          medianWeeksToTreatment: round1(p.treatment),
        })),
    });
  }
  return out;
}

export function importFailed(report: ImportReport): AppError & { report: ImportReport } {
  const first = report.errors
    .slice(0, 3)
    .map((e) => `regel ${e.line}, ${e.field}: ${e.detail}`)
    .join('; ');
  return Object.assign(
    new AppError(
      422,
      'Bestand niet ingelezen',
      `${report.errors.length} ${report.errors.length === 1 ? 'fout' : 'fouten'}; er is niets opgeslagen. ${first}${report.errors.length > 3 ? ' …' : ''}`,
      'csv',
      'csv-fouten',
    ),
    { report },
  );
}
