// The demo data engine: from a region's targets to providers, locations, groups, youths, allocations
// and monthly declaration lines, deterministic from a seed, bulk-loaded with COPY.
//
// How a target is met: per municipality, the target's clients get a product (by the product mix) and a
// provider (by the provider's share of the segment's money). The target amount is split over the clients
// in proportion to tariff × a typical volume × noise; each client's amount becomes whole units
// (volume = amount / tariff, capped at what fits in the year) and the remainder is handed out in whole
// units to clients with room left, so a municipality's total lands within one tariff of its target.
// Etmaal products are one continuous stay cut into calendar months; hours and dagdelen are spread over
// consecutive months. Every line: amount = volume × tariff, product period inside one month and inside
// the allocation.
import type { Db } from '../db/index.ts';
import { copyLine, copyValue } from '../db/index.ts';
import { Rng } from '../core/random.ts';
import { allocateCents } from '../core/money.ts';
import { encryptBsn, encryptPersonal, bsnLookupHash, type BsnKeys } from '../core/bsn.ts';
import { dayOf, isoDate, isoDay, lastDayOfMonth } from './days.ts';
import { randomBytes } from 'node:crypto';
import { today } from '../core/dates.ts';
import type { MunicipalityRef } from '../catalog/index.ts';
import type { ProviderPlan, RegionTargets, Target } from './targets.ts';
import { demoAddress, providerName, locationName } from './names.ts';

export interface GenerateOptions {
  seed?: number;
  keys: BsnKeys;
  onProgress?: (done: number, total: number, label: string) => void;
  /** The last day of the history ('YYYY-MM-DD'); default the last day of the month before today (clock of
   *  src/core/dates.ts). Never before the end of the published year, which is always complete. */
  until?: string;
}
export interface GenerateResult {
  youths: number;
  allocations: number;
  declarationLines: number;
  providers: number /** years of history, the published year first */;
  years?: number;
}

interface ProductRow {
  id: number;
  code: string;
  unit: string;
  tariffCents: number;
  segmentId: number;
  topSegment: string;
  groupType: string;
}

const dayOfIso = (iso: string) => dayOf(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));

/** The last day of the demo history: the end of the month before today (the clock of core/dates.ts). */
export function historyEnd(at: string = today()): string {
  const [y, m] = at.split('-').map(Number);
  return isoDay(lastDayOfMonth(y, m - 1));
}

/**
 * Durations per product (issue 18): a median in days for etmaal products (foster care and gezinshuizen run for
 * years, treatment groups months, crisis weeks) and in months for the rest (ambulant care months), lognormal
 * around it. For the published year the etmaal medians are scaled per target so that the days in that year
 * carry the published money (see calibrateDurations); these are the shapes. Assumptions, in the order of CBS
 * figures (Jeugdhulp: median duration of trajectories with and without stay).
 */
const MEDIAN_DAYS: Record<string, number> = {
  '44B06': 900,
  '43A10': 600,
  '43A36': 420,
  '44A06': 420,
  '44A32': 300,
  '43A37': 260,
  '43A38': 260,
  '43A06': 150,
  '43A11': 60,
  '46A03': 21,
  '43A39': 700,
  '48A05': 540,
  '48A06': 1500,
  '45A60': 365,
};
const MEDIAN_MONTHS: Record<string, number> = { '46A01': 2, '45A06': 3, '41A24': 12, '41A23': 10, '42A03': 10, '45A75': 9 };
const DEFAULT_MEDIAN_DAYS = 300,
  DEFAULT_MEDIAN_MONTHS = 8;
const SIGMA_DAYS = 0.8,
  SIGMA_MONTHS = 0.7;
/** Registrations per month (relative): fewer in the summer holidays and in December (seasonality of inflow). */
export const MONTH_SEASON = [1.1, 1.05, 1.1, 1.0, 1.05, 1.0, 0.65, 0.7, 1.2, 1.15, 1.05, 0.75];
const SEASON_CUM = MONTH_SEASON.reduce<number[]>((a, w) => [...a, (a.at(-1) ?? 0) + w], []).map((c, _, all) => c / all[11]);
/** Yearly growth of the inflow after the published year (assumption: about 2% more youths a year). */
const GROWTH = 1.02;

/** A fraction of the year [0, 1) → month (0–11) and the fraction within that month, by the seasonal weights. */
function seasonal(f: number): [number, number] {
  let mo = 0;
  while (mo < 11 && f >= SEASON_CUM[mo]) mo++;
  const lo = mo ? SEASON_CUM[mo - 1] : 0;
  return [mo, Math.min(0.999, (f - lo) / (SEASON_CUM[mo] - lo))];
}

/** A standard normal draw (Box–Muller). */
const gauss = (r: Rng) => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());

/** Rows per COPY statement of the bulk load (PGlite; see Db.copyRows): a seed, not a request to keep responsive. */
const BULK_ROWS = 50_000;

/** What fits in one year, per unit: an etmaal stay is at most the year; hours and dagdelen a busy year. */
const MAX_UNITS: Record<string, number> = { '14': 365, '04': 700, '16': 450, '84': 400, '01': 20000, '82': 12, '83': 1 };
/** A typical yearly volume, to weigh clients of different products fairly. */
const TYPICAL_UNITS: Record<string, number> = { '14': 150, '04': 50, '16': 90, '84': 60, '01': 2000, '82': 4, '83': 1 };

const REFERRERS = ['01', '02', '03', '04', '05', '06'];
const REFERRER_WEIGHTS = [45, 30, 5, 10, 7, 3];

/** A valid BSN (elfproef) for a sequence number: deterministic and unique per number. */
export function syntheticBsn(n: number): string {
  for (let k = n * 10; ; k++) {
    const body = String(10_000_000 + (k % 89_999_990)); // 8 digits, distinct for distinct k
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(body[i]) * (9 - i);
    const check = sum % 11;
    if (check <= 9) return body + check;
  }
}

interface Ids {
  youth: number;
  allocation: number;
  line: number;
  provider: number;
  location: number;
  group: number;
  contract: number;
}

async function nextIds(db: Db): Promise<Ids> {
  const q = async (t: string) => (await db.query(`SELECT COALESCE(max(id), 0)::int8 AS m FROM ${t}`))[0].m as number;
  return {
    youth: await q('youth'),
    allocation: await q('allocation'),
    line: await q('declaration_line'),
    provider: await q('provider'),
    location: await q('location'),
    group: await q('care_group'),
    contract: await q('contract'),
  };
}

async function syncSequences(db: Db) {
  for (const t of ['youth', 'allocation', 'declaration_line', 'provider', 'location', 'care_group', 'contract']) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT COALESCE(max(id), 0) FROM ${t}), 1))`);
  }
}

/** Provider indices per segment (see ProviderPlan) and each provider's weight in the segment. */
export function providerAssignment(plans: ProviderPlan[], segmentTotalsCents: Map<string, number>) {
  const sharedMax = Math.max(0, ...plans.map((p) => p.shared ?? 0));
  let next = sharedMax;
  const own = new Map<string, number[]>();
  const bySegment = new Map<string, { providers: number[]; weights: number[] }>();
  for (const p of plans) {
    const list: number[] = [];
    for (let i = 0; i < (p.shared ?? 0); i++) list.push(i);
    if (p.reuseFrom) list.push(...(own.get(p.reuseFrom.segment) ?? []).slice(0, p.reuseFrom.count));
    const fresh: number[] = [];
    while (list.length < p.count) {
      fresh.push(next);
      list.push(next++);
    }
    own.set(p.segment, fresh);
    const total = segmentTotalsCents.get(p.segment) ?? 0;
    const top = (p.topCostsEur ?? []).slice(0, list.length).map((e) => e * 100);
    const topSum = top.reduce((a, b) => a + b, 0);
    const rest = Math.max(0, total - topSum);
    const alpha = p.tailAlpha ?? 1.1;
    const tail = list.slice(top.length).map((_, r) => 1 / Math.pow(r + 1 + top.length, alpha));
    const tailSum = tail.reduce((a, b) => a + b, 0) || 1;
    const weights = top.length ? [...top, ...tail.map((t) => (rest * t) / tailSum)] : tail;
    bySegment.set(p.segment, { providers: list, weights });
  }
  return { count: next, bySegment };
}

interface Client {
  youth: number;
  municipality: number;
  product: ProductRow;
  provider: number;
  amount: number;
  units: number;
  /** trajectory draws: z (normal) for the duration, u (uniform) for its position around the published year */
  z: number;
  u: number;
  /** the drawn trajectory relative to the published year: start and duration, in days (etmaal) or months */
  start: number;
  dur: number;
}

export async function generateFromTargets(
  db: Db,
  regionId: string,
  regionIndex: number,
  municipalities: MunicipalityRef[],
  targets: RegionTargets,
  opts: GenerateOptions,
): Promise<GenerateResult> {
  const rng = new Rng((opts.seed ?? 1) * 7919 + regionIndex);
  const year = targets.year;
  const yearStart = dayOf(year, 1, 1),
    yearEnd = dayOf(year, 12, 31);
  const daysInYear = yearEnd - yearStart + 1;
  const progress = (d: number, t: number, l: string) => opts.onProgress?.(d, t, l);

  const products: ProductRow[] = (
    await db.query(
      `SELECT p.id, p.code, trim(p.unit) AS unit, t.amount_cents AS "tariffCents", p.segment_id AS "segmentId",
            COALESCE(ps.code, s.code) AS "topSegment", s.code AS seg
     FROM product p JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id
     JOIN tariff t ON t.product_id = p.id AND t.valid_from <= $2 AND (t.valid_to IS NULL OR t.valid_to > $2)
     WHERE p.region_id = $1`,
      [regionId, `${year}-07-01`],
    )
  ).map((r) => ({ ...r, groupType: groupTypeOf(r.code) }));
  const productByCode = new Map(products.map((p) => [p.code, p]));
  const segments = await db.query<{ id: number; code: string; funding_form: string }>(
    `SELECT id, code, funding_form FROM segment WHERE region_id = $1 AND parent_id IS NULL`,
    [regionId],
  );
  const segmentId = new Map(segments.map((s) => [s.code, s.id]));

  const ids = await nextIds(db);
  const segTotals = new Map<string, number>();
  for (const t of targets.targets) segTotals.set(t.segment, (segTotals.get(t.segment) ?? 0) + t.amountCents.reduce((a, b) => a + b, 0));
  const assignment = providerAssignment(targets.providers, segTotals);

  // --- youths: per municipality a pool; primary targets take fresh youths, ambulant overlaps, secondary reuse
  const youthMunicipality: number[] = []; // local youth index → municipality index
  const pools: number[][] = municipalities.map(() => []);
  const primaryCount = new Array(municipalities.length).fill(0);
  const newYouth = (m: number) => {
    youthMunicipality.push(m);
    pools[m].push(youthMunicipality.length - 1);
    return youthMunicipality.length - 1;
  };

  // each month's first and last day in the published year (1–12)
  const monthFirst: number[] = [],
    monthLast: number[] = [];
  for (let mo = 1; mo <= 12; mo++) {
    monthFirst[mo] = dayOf(year, mo, 1);
    monthLast[mo] = lastDayOfMonth(year, mo);
  }
  const clients: Client[] = [];
  // trajectory draws have their own stream: the published year's clients, products and providers are drawn as before
  const trng = new Rng((opts.seed ?? 1) * 104_729 + regionIndex);
  const isStay = (c: Client) => c.product.unit === '14';
  /** Places a client's trajectory around the published year for a duration scale `mult`; returns the overlap. */
  const place = (c: Client, mult: number): number => {
    const stay = isStay(c),
      L = stay ? daysInYear : 12;
    const median = stay ? (MEDIAN_DAYS[c.product.code] ?? DEFAULT_MEDIAN_DAYS) * mult : (MEDIAN_MONTHS[c.product.code] ?? DEFAULT_MEDIAN_MONTHS);
    const d = Math.max(1, Math.min(stay ? 8 * 365 : 60, Math.round(median * Math.exp((stay ? SIGMA_DAYS : SIGMA_MONTHS) * c.z))));
    const x = -(d - 1) + c.u * (d - 1 + L); // any start for which the trajectory overlaps the year, equally likely
    let start = Math.floor(x);
    if (x >= 0) {
      // started in the year: by the seasonal pattern of registrations
      const [mo, fr] = seasonal(x / L);
      start = stay ? monthFirst[mo + 1] - yearStart + Math.floor(fr * (monthLast[mo + 1] - monthFirst[mo + 1] + 1)) : mo;
    }
    c.start = start;
    c.dur = d;
    return Math.min(start + d, L) - Math.max(start, 0);
  };
  progress(0, targets.targets.length, 'cliënten en volumes');
  for (const [ti, target] of targets.targets.entries()) {
    const seg = assignment.bySegment.get(target.segment);
    if (!seg) throw new Error(`Geen aanbieders gepland voor segment ${target.segment}`);
    const targetYouths: number[] = [];
    const perMunicipality: Client[][] = [];
    for (let m = 0; m < municipalities.length; m++) {
      const n = target.clients[m];
      if (!n && target.amountCents[m] > 0) throw new Error(`Doel ${target.segment} in ${municipalities[m].name}: een bedrag zonder cliënten`);
      if (!n) {
        perMunicipality.push([]);
        continue;
      }
      const youths = pickYouths(target, m, n, targetYouths);
      targetYouths.push(...youths);
      perMunicipality.push(
        youths.map((y) => {
          const pc = target.products[rng.weighted(target.products.map((p) => p.weight))].code;
          const product = productByCode.get(pc);
          if (!product) throw new Error(`Product ${pc} ontbreekt in het productenboek van ${regionId}`);
          return {
            youth: y,
            municipality: m,
            product,
            provider: seg.providers[rng.weighted(seg.weights)],
            amount: 0,
            units: 0,
            z: gauss(trng),
            u: trng.next(),
            start: 0,
            dur: 0,
          };
        }),
      );
    }
    const all = perMunicipality.flat();
    const weight = calibrateDurations(
      all,
      target.amountCents.reduce((a, b) => a + b, 0),
    );
    let carry = 0;
    for (const chosen of perMunicipality) {
      if (!chosen.length) continue;
      const m = chosen[0].municipality;
      carry = fillAmounts(chosen, weight, target.amountCents[m] + carry, daysInYear); // what is left (< one tariff) moves to the next municipality
      clients.push(...chosen);
    }
    progress(ti + 1, targets.targets.length, 'cliënten en volumes');
  }

  /**
   * The durations of a target's stays scaled so that their days in the published year carry the stays' share of
   * the target's money (the share they had when weighed by a typical volume); the weight of each client for the
   * split of the money: tariff × its days (or months × a typical monthly volume) in the year, with some noise.
   */
  function calibrateDurations(cs: Client[], total: number): Map<Client, number> {
    const typical = (c: Client) => c.product.tariffCents * (TYPICAL_UNITS[c.product.unit] ?? 50);
    const stays = cs.filter(isStay),
      others = cs.filter((c) => !isStay(c));
    const stayShare = stays.reduce((a, c) => a + typical(c), 0) / (cs.reduce((a, c) => a + typical(c), 0) || 1);
    const money = (mult: number) => stays.reduce((a, c) => a + c.product.tariffCents * place(c, mult), 0);
    let lo = Math.log(0.02),
      hi = Math.log(50);
    const goal = total * stayShare;
    if (stays.length) {
      for (let i = 0; i < 30; i++) {
        const mid = (lo + hi) / 2;
        if (money(Math.exp(mid)) < goal) lo = mid;
        else hi = mid;
      }
      money(Math.exp((lo + hi) / 2)); // place the stays with the scale found
    }
    const w = new Map<Client, number>();
    for (const c of stays) w.set(c, c.product.tariffCents * (Math.min(c.start + c.dur, daysInYear) - Math.max(c.start, 0)) * (0.85 + 0.3 * trng.next()));
    let sumOthers = 0;
    for (const c of others) {
      const ov = place(c, 1);
      const x = c.product.tariffCents * ov * ((TYPICAL_UNITS[c.product.unit] ?? 50) / 12) * (0.4 + 1.2 * trng.next());
      w.set(c, x);
      sumOthers += x;
    }
    const scale = sumOthers ? (total * (1 - stayShare)) / sumOthers : 1;
    for (const c of others) w.set(c, w.get(c)! * scale);
    return w;
  }

  function pickYouths(target: Target, m: number, n: number, earlier: number[]): number[] {
    const pool = target.pool;
    if (pool.kind === 'primary') {
      const movers = Math.min(target.movers?.[m] ?? 0, n, earlier.length);
      const out = Array.from({ length: n - movers }, () => newYouth(m));
      primaryCount[m] += n - movers;
      const others = earlier.filter((y) => youthMunicipality[y] !== m);
      return [...out, ...rng.shuffle([...others]).slice(0, movers)];
    }
    if (pool.kind === 'ambulant') {
      const existing = pools[m].slice(0, primaryCount[m]);
      const k = Math.min(pool.overlap[m] ?? 0, existing.length, n);
      const reused = rng.shuffle([...existing]).slice(0, k);
      return [...reused, ...Array.from({ length: n - k }, () => newYouth(m))];
    }
    const existing = pools[m];
    if (!existing.length) return Array.from({ length: n }, () => newYouth(m));
    const picked = rng.shuffle([...existing]).slice(0, n);
    while (picked.length < n) picked.push(newYouth(m));
    return picked;
  }

  function fillAmounts(cs: Client[], weight: Map<Client, number>, target: number, days: number): number {
    const maxUnits = (c: Client) => (c.product.unit === '14' ? days : (MAX_UNITS[c.product.unit] ?? 500));
    const weights = cs.map((c) => Math.max(1e-9, weight.get(c)!));
    const amounts = allocateCents(target, weights);
    let rest = target;
    cs.forEach((c, i) => {
      c.units = Math.max(1, Math.min(maxUnits(c), Math.floor(amounts[i] / c.product.tariffCents)));
      rest -= c.units * c.product.tariffCents;
    });
    // hand out the remainder in whole units to clients with room left (cheapest tariff last)
    let guard = 0;
    while (rest > 0 && guard++ < 100) {
      let progressMade = false;
      for (const c of cs) {
        const room = maxUnits(c) - c.units;
        if (room <= 0 || c.product.tariffCents > rest) continue;
        const add = Math.min(room, Math.max(1, Math.floor(rest / c.product.tariffCents / cs.length)));
        c.units += add;
        rest -= add * c.product.tariffCents;
        progressMade = true;
        if (rest <= 0) break;
      }
      if (!progressMade) break;
    }
    for (const c of cs) c.amount = c.units * c.product.tariffCents;
    return rest;
  }

  for (const [segCode, seg] of assignment.bySegment) {
    const segClients = clients.filter((c) => c.product.topSegment === segCode);
    const count = new Map<number, Client[]>();
    for (const c of segClients) {
      if (!count.has(c.provider)) count.set(c.provider, []);
      count.get(c.provider)!.push(c);
    }
    for (const p of seg.providers) {
      if (count.has(p)) continue;
      const busiest = [...count.values()].sort((a, b) => b.length - a.length)[0];
      if (!busiest || busiest.length < 2) break;
      const moved = busiest.pop()!;
      moved.provider = p;
      count.set(p, [moved]);
    }
  }

  // --- providers, contracts, locations, groups
  const regionPrefix = String(10 + (regionIndex % 89)).padStart(2, '0');
  const providerDbId = (i: number) => ids.provider + 1 + i;
  const providerRows: string[] = [];
  const providerSegments = new Map<number, Set<string>>();
  for (const [segCode, s] of assignment.bySegment)
    for (const p of s.providers) {
      if (!providerSegments.has(p)) providerSegments.set(p, new Set());
      providerSegments.get(p)!.add(segCode);
    }
  const sharedMax = Math.max(0, ...targets.providers.map((p) => p.shared ?? 0));
  for (let i = 0; i < assignment.count; i++) {
    const type = i < sharedMax ? 'systeemaanbieder' : i < sharedMax + Math.round(assignment.count * 0.055) ? 'groot' : 'overig';
    const agb = `98${regionPrefix}${String(i + 1).padStart(4, '0')}`;
    const kvk = String(60_000_000 + regionIndex * 10_000 + i).slice(0, 8);
    providerRows.push(
      copyLine([providerDbId(i), agb, kvk, providerName(regionIndex * 1000 + i, i < sharedMax), type, municipalities[i % municipalities.length].code]),
    );
  }
  await db.copyRows('provider', ['id', 'agb_code', 'kvk_number', 'name', 'provider_type', 'home_municipality_code'], providerRows);

  const contractRows: string[] = [];
  const lumpsum = new Map<string, number>(); // provider|segment → registered amount (lumpsum regions)
  for (const c of clients) {
    const k = `${c.provider}|${c.product.topSegment}`;
    lumpsum.set(k, (lumpsum.get(k) ?? 0) + c.amount);
  }
  let contractId = ids.contract;
  for (const [p, segs] of providerSegments)
    for (const seg of segs) {
      const s = segments.find((x) => x.code === seg)!;
      const isLumpsum = s.funding_form === 'lumpsum' || s.funding_form === 'beschikbaarheid';
      const registered = lumpsum.get(`${p}|${seg}`) ?? 0;
      // lumpsum regions: set for the year at the registered value rounded to € 1,000, with a 3% bandwidth (002)
      contractRows.push(
        copyLine([
          ++contractId,
          regionId,
          providerDbId(p),
          s.id,
          s.funding_form,
          `${year}-01-01`,
          isLumpsum ? Math.round(registered / 100_000) * 100_000 : null,
          isLumpsum ? '3.00' : null,
          'actief',
        ]),
      );
    }
  await db.copyRows(
    'contract',
    ['id', 'region_id', 'provider_id', 'segment_id', 'funding_form', 'valid_from', 'lumpsum_cents', 'bandwidth_pct', 'status'],
    contractRows,
  );

  // residential providers get locations and groups sized to their clients (coordination point register)
  const residentialClients = new Map<string, number>(); // provider|productId → clients
  for (const c of clients)
    if (c.product.unit === '14') {
      const k = `${c.provider}|${c.product.id}`;
      residentialClients.set(k, (residentialClients.get(k) ?? 0) + 1);
    }
  const locRows: string[] = [],
    groupRows: string[] = [];
  let locId = ids.location,
    groupId = ids.group;
  const providerLocation = new Map<number, number>();
  for (const [k, n] of residentialClients) {
    const [p, productId] = k.split('|').map(Number);
    const product = products.find((x) => x.id === productId)!;
    if (!providerLocation.has(p)) {
      const m = municipalities[rng.int(0, municipalities.length - 1)];
      providerLocation.set(p, ++locId);
      locRows.push(copyLine([locId, providerDbId(p), locationName(locId), m.code]));
    }
    const perGroup = product.groupType === 'pleeggezin' ? 2 : product.groupType === 'gezinshuis' ? 4 : 8;
    const groups = Math.max(1, Math.round(n / perGroup / 3)); // ~3 stays per place per year
    for (let g = 0; g < groups; g++) {
      const places = Math.max(1, perGroup + rng.int(-1, 2));
      const intensity = product.groupType === 'pleeggezin' ? null : (product.tariffCents / 100 / 75) * (0.8 + 0.4 * rng.next());
      groupRows.push(
        copyLine([
          ++groupId,
          providerLocation.get(p),
          `${groupTypeLabel(product.groupType)} ${g + 1}`,
          product.groupType,
          product.id,
          places,
          places,
          intensity === null ? null : (intensity * places * 7).toFixed(2),
          product.groupType === 'crisis' ? 0 : 4,
          17,
          'gemengd',
        ]),
      );
    }
  }
  await db.copyRows('location', ['id', 'provider_id', 'name', 'municipality_code'], locRows);
  await db.copyRows(
    'care_group',
    ['id', 'location_id', 'name', 'group_type', 'product_id', 'places_physical', 'places_contracted', 'roster_hours_week', 'age_min', 'age_max', 'gender'],
    groupRows,
  );

  // --- trajectories: the published year's clients, each one continuous stay or series of months around that year
  // (started before it: the stock on 1 January; running on after it), and for every later year up to `until`
  // the year's inflow again: the clients who started in the published year, as new youths, on the same day of
  // the year (seasonality), with a fresh duration and ~2% growth a year. Lines up to `until`, each month at the
  // tariff in force (the tariff history is published before, see tariffs/demo.ts loadTariffHistory).
  const untilDay = Math.max(yearEnd, opts.until ? dayOfIso(opts.until) : dayOfIso(historyEnd()));
  const lastYear = Number(isoDay(untilDay).slice(0, 4));
  const years = lastYear - year + 1;
  // tariff per product and month of the history (tariffs change on the first of a month)
  const tariffRows = await db.query<{ product_id: number; valid_from: string; valid_to: string | null; amount_cents: number }>(
    `SELECT t.product_id, t.valid_from, t.valid_to, t.amount_cents FROM tariff t JOIN product p ON p.id = t.product_id WHERE p.region_id = $1`,
    [regionId],
  );
  const monthCount = years * 12;
  const tariffTable = new Map<number, Int32Array>();
  for (const p of products) {
    const tbl = new Int32Array(monthCount);
    for (let k = 0; k < monthCount; k++) {
      const on = isoDate(year + Math.floor(k / 12), (k % 12) + 1, 1);
      const t = tariffRows.find((r) => r.product_id === p.id && r.valid_from <= on && (r.valid_to === null || r.valid_to > on));
      if (!t) throw new Error(`Geen tarief voor product ${p.code} op ${on}`);
      tbl[k] = t.amount_cents;
    }
    tariffTable.set(p.id, tbl);
  }
  const monthIndexOf = (day: number) => {
    const iso = isoDay(day);
    return (Number(iso.slice(0, 4)) - year) * 12 + Number(iso.slice(5, 7)) - 1;
  };

  const youthYear: number[] = youthMunicipality.map(() => year); // the year a youth's age is drawn for
  interface Traj {
    c: Client;
    youth: number;
    from: number;
    to: number;
  }
  const trajs: Traj[] = [];
  const allocRows: string[] = [];
  let periods = new Int32Array(5 * Math.max(1024, clients.length * 8 * years)),
    lines = 0;
  const addPeriod = (ti: number, from: number, to: number, volume: number, tariff: number) => {
    if (5 * lines + 5 > periods.length) {
      const grown = new Int32Array(periods.length * 2);
      grown.set(periods);
      periods = grown;
    }
    const o = 5 * lines++;
    periods[o] = ti;
    periods[o + 1] = from;
    periods[o + 2] = to;
    periods[o + 3] = volume;
    periods[o + 4] = tariff;
  };
  // realised money per segment × municipality × year (budgets)
  const segIndex = new Map([...assignment.bySegment.keys()].map((k, i) => [k, i]));
  for (const c of clients) if (!segIndex.has(c.product.topSegment)) segIndex.set(c.product.topSegment, segIndex.size);
  const realisedCents = new Float64Array(segIndex.size * municipalities.length * years);
  const realise = (c: Client, day: number, cents: number) => {
    realisedCents[(segIndex.get(c.product.topSegment)! * municipalities.length + c.municipality) * years + Number(isoDay(day).slice(0, 4)) - year] += cents;
  };

  /** One trajectory: an allocation and its monthly lines from `from` to `to` (lines only inside [yearStart, untilDay]). */
  const emit = (c: Client, youth: number, from: number, to: number, monthly: ((k: number) => number) | null) => {
    const ti = trajs.length;
    trajs.push({ c, youth, from, to });
    let total = 0;
    const first = Math.max(from, yearStart),
      last = Math.min(to, untilDay);
    for (let d = first, k = monthIndexOf(first); d <= last; k++) {
      const y = year + Math.floor(k / 12),
        mo = (k % 12) + 1;
      const monthEnd = lastDayOfMonth(y, mo);
      const end = monthEnd < last ? monthEnd : last;
      const volume = monthly ? monthly(k) : end - d + 1; // etmaal: the days in care that month
      const tariff = tariffTable.get(c.product.id)![k];
      if (volume > 0) {
        addPeriod(ti, d, end, volume, tariff);
        realise(c, d, volume * tariff);
        total += volume;
      }
      d = end + 1;
    }
    return total;
  };
  const referrerOf = (c: Client) => (c.product.topSegment === 'JBJR' ? '04' : REFERRERS[rng.weighted(REFERRER_WEIGHTS)]);
  const allocationRow = (ti: number, units: number) => {
    const t = trajs[ti],
      id = ids.allocation + 1 + ti;
    allocRows.push(
      copyLine([
        id,
        `${regionPrefix}${String(id).padStart(9, '0')}`,
        municipalities[t.c.municipality].code,
        providerDbId(t.c.provider),
        ids.youth + 1 + t.youth,
        t.c.product.id,
        referrerOf(t.c),
        isoDay(t.from),
        isoDay(t.to),
        Math.max(1, units),
        t.c.product.unit,
        '6',
        'actief',
      ]),
    );
  };
  const L = 12;
  progress(0, clients.length, 'toewijzingen');
  for (let ci = 0; ci < clients.length; ci++) {
    const c = clients[ci];
    if (isStay(c)) {
      // one continuous stay with exactly `units` days in the published year
      const u = c.units,
        s = c.start,
        d = c.dur;
      let from: number, to: number;
      if (s < 0) {
        from = yearStart + s;
        to = u >= daysInYear ? Math.max(yearEnd, from + d - 1) : yearStart + u - 1;
      } else if (s + d > daysInYear) {
        from = yearEnd - u + 1;
        to = from + Math.max(d, u) - 1;
      } else {
        from = yearStart + Math.min(s, daysInYear - u);
        to = from + u - 1;
      }
      emit(c, c.youth, from, to, null);
      allocationRow(trajs.length - 1, to - from + 1);
    } else {
      // months in care: `units` spread over the months in the published year, about as many a month after it
      const s = c.start,
        d = c.dur;
      const inYear = Math.min(s + d, L) - Math.max(s, 0);
      const k = Math.max(1, Math.min(inYear, c.units));
      let m0: number, m1: number; // first and last month of the trajectory, relative to January of the published year
      if (s < 0) {
        m0 = s;
        m1 = k === inYear ? s + d - 1 : k - 1;
      } else if (s + d > L) {
        m0 = L - k;
        m1 = Math.max(L - 1, L - k + d - 1);
      } else {
        m0 = Math.min(s, L - k);
        m1 = m0 + k - 1;
      }
      const y0 = Math.max(0, m0);
      const weights: number[] = new Array(k);
      for (let i = 0; i < k; i++) weights[i] = 0.6 + rng.next();
      const vols = allocateCents(c.units, weights);
      const perMonth = c.units / k;
      const startDay = m0 >= 0 && m0 < L ? rng.int(1, 20) : 1; // started in the year: on a day in its first month
      const from = dayOf(year, m0 + 1, m0 >= 0 ? startDay : rng.int(1, 28));
      const to = lastDayOfMonth(year, m1 + 1);
      const total = emit(c, c.youth, from, to, (mk) =>
        mk < L ? (mk >= y0 && mk - y0 < k ? vols[mk - y0] : 0) : Math.max(1, Math.round(perMonth * (0.6 + rng.next()))),
      );
      allocationRow(trajs.length - 1, Math.max(c.units, Math.round(perMonth * (m1 - m0 + 1)), total));
    }
    if (ci % 5000 === 0) progress(ci, clients.length, 'toewijzingen');
  }
  // later years: the published year's inflow again, as new youths (one new youth per youth and year)
  const reRng = new Rng((opts.seed ?? 1) * 15_485_863 + regionIndex);
  for (let y = year + 1; y <= lastYear; y++) {
    const clone = new Map<number, number>();
    const youthOf = (orig: number) => {
      let n = clone.get(orig);
      if (n === undefined) {
        n = youthMunicipality.length;
        youthMunicipality.push(youthMunicipality[orig]);
        youthYear.push(y);
        clone.set(orig, n);
      }
      return n;
    };
    const growth = Math.pow(GROWTH, y - year);
    for (let ci = 0; ci < clients.length; ci++) {
      const c = clients[ci];
      if (c.start < 0) continue; // the stock on 1 January of the published year started before it: not inflow
      const copies = Math.floor(growth) + (reRng.next() < growth - Math.floor(growth) ? 1 : 0);
      for (let n = 0; n < copies; n++) {
        const z = gauss(reRng);
        if (isStay(c)) {
          const firstDay = (c.start + c.dur > daysInYear ? yearEnd - c.units + 1 : yearStart + Math.min(c.start, daysInYear - c.units)) - yearStart;
          const from = dayOf(y, 1, 1) + Math.min(firstDay, lastDayOfMonth(y, 12) - dayOf(y, 1, 1));
          if (from > untilDay) continue;
          // the duration of a youth who started in the published year (its inflow's durations, not the stock's,
          // which over-represents long stays), a little varied: a steady state, no drift
          const d = Math.max(1, Math.round(c.dur * Math.exp(0.15 * z)));
          emit(c, youthOf(c.youth), from, from + d - 1, null);
          allocationRow(trajs.length - 1, d);
        } else {
          const inYear = Math.min(c.start + c.dur, L) - c.start;
          const k = Math.max(1, Math.min(inYear, c.units));
          const perMonth = Math.max(1, c.units / k);
          const mStart = c.start + c.dur > L ? L - k : Math.min(c.start, L - k);
          const from = dayOf(y, mStart + 1, reRng.int(1, 20));
          if (from > untilDay) continue;
          const d = Math.max(1, Math.round(c.dur * Math.exp(0.15 * z)));
          const to = lastDayOfMonth(y, mStart + d);
          const total = emit(c, youthOf(c.youth), from, to, () => Math.max(1, Math.round(perMonth * (0.6 + reRng.next()))));
          allocationRow(trajs.length - 1, Math.max(total, Math.round(perMonth * d)));
        }
      }
    }
  }
  await db.copyRows(
    'allocation',
    [
      'id',
      'assignment_number',
      'municipality_code',
      'provider_id',
      'youth_id',
      'product_id',
      'referrer_type',
      'start_date',
      'end_date',
      'volume',
      'unit',
      'frequency',
      'status',
    ],
    allocRows,
    BULK_ROWS,
  );
  progress(clients.length, clients.length, 'toewijzingen');

  // --- youths (of the published year and the later years' inflow)
  progress(0, youthMunicipality.length, 'jeugdigen');
  // the ivs of both encryptions per youth from one random draw per 4,096 youths (see encryptPersonal)
  let ivs = Buffer.alloc(0);
  const ivAt = (i: number, k: number) => {
    if (i % 4096 === 0 && k === 0) ivs = randomBytes(24 * 4096);
    const o = 24 * (i % 4096) + 12 * k;
    return ivs.subarray(o, o + 12);
  };
  function* youthRows(): Generator<string> {
    for (let i = 0; i < youthMunicipality.length; i++) {
      const id = ids.youth + 1 + i;
      const bsn = syntheticBsn(id);
      const age = rng.int(0, 17);
      const birth = isoDate(youthYear[i] - age, rng.int(1, 12), rng.int(1, 28));
      const m = municipalities[youthMunicipality[i]];
      const ivBsn = ivAt(i, 0),
        ivAddress = ivAt(i, 1);
      const address = encryptPersonal(opts.keys, JSON.stringify(demoAddress(id, m.code, m.name)), ivAddress);
      yield copyLine([
        id,
        '\\x' + encryptBsn(opts.keys, bsn, ivBsn).toString('hex'),
        bsnLookupHash(opts.keys, bsn),
        `J-${String(id).padStart(7, '0')}`,
        birth,
        rng.next() < 0.52 ? '1' : '2',
        m.code,
        '\\x' + address.toString('hex'),
      ]);
      if (i % 5000 === 4999) progress(i + 1, youthMunicipality.length, 'jeugdigen');
    }
  }
  await db.copyRows(
    'youth',
    ['id', 'bsn_encrypted', 'bsn_hash', 'pseudonym', 'birth_date', 'gender', 'municipality_code', 'address_encrypted'],
    youthRows(),
    BULK_ROWS,
  );
  progress(youthMunicipality.length, youthMunicipality.length, 'jeugdigen');

  // every line: amount = volume × tariff; the text is built here (all values are numbers, codes and dates)
  function* lineRows(fromLine: number, toLine: number): Generator<string> {
    let lineId = ids.line + fromLine,
      ti = -1,
      head = '',
      tail = '';
    for (let i = fromLine, o = 5 * fromLine; i < toLine; i++, o += 5) {
      if (periods[o] !== ti) {
        ti = periods[o];
        const t = trajs[ti];
        head = `\t${ids.allocation + 1 + ti}\t${copyValue(municipalities[t.c.municipality].code)}\t${providerDbId(t.c.provider)}\t${ids.youth + 1 + t.youth}\t${t.c.product.id}\t`;
        tail = `\t${copyValue(t.c.product.unit)}\t`;
      }
      const volume = periods[o + 3],
        tariff = periods[o + 4];
      yield `${++lineId}${head}${isoDay(periods[o + 1])}\t${isoDay(periods[o + 2])}\t${volume}${tail}${tariff}\t${volume * tariff}\tD\tgeaccepteerd\tdemo`;
      if (i % 20_000 === 19_999) progress(i + 1, lines, 'declaratieregels');
    }
  }
  progress(0, lines, 'declaratieregels');
  await db.copyRows(
    'declaration_line',
    [
      'id',
      'allocation_id',
      'municipality_code',
      'provider_id',
      'youth_id',
      'product_id',
      'period_start',
      'period_end',
      'volume',
      'unit',
      'tariff_cents',
      'amount_cents',
      'debit_credit',
      'status',
      'source',
    ],
    lineRows(0, lines),
    BULK_ROWS,
  );
  progress(lines, lines, 'declaratieregels');
  periods = new Int32Array(0);

  // --- budgets per municipality × segment × year: realisation −4% … +6% (deterministic), rounded to € 1,000; the
  // current year's realisation so far extrapolated to twelve months
  const monthsInLastYear = Number(isoDay(untilDay).slice(5, 7));
  const budgetRows: string[] = [];
  for (const [seg, si] of segIndex) {
    if (!segmentId.has(seg)) continue;
    for (let m = 0; m < municipalities.length; m++) {
      for (let y = 0; y < years; y++) {
        const cents = realisedCents[(si * municipalities.length + m) * years + y];
        if (!cents) continue;
        const yearly = y === years - 1 ? (cents * 12) / monthsInLastYear : cents;
        budgetRows.push(copyLine([municipalities[m].code, segmentId.get(seg), year + y, Math.round((yearly * (0.96 + 0.1 * rng.next())) / 100_000) * 100_000]));
      }
    }
  }
  await db.copyRows('budget', ['municipality_code', 'segment_id', 'year', 'amount_cents'], budgetRows);
  await syncSequences(db);
  return { youths: youthMunicipality.length, allocations: allocRows.length, declarationLines: lines, providers: assignment.count, years };
}

function groupTypeOf(code: string): string {
  if (code === '44B06' || code.startsWith('43A2')) return 'pleeggezin';
  if (code === '43A10') return 'gezinshuis';
  if (code.startsWith('46')) return 'crisis';
  if (code === '43A11') return 'logeren';
  if (code === '43A36' || code.startsWith('44A')) return 'specialistisch_wonen';
  return 'behandelgroep';
}
const groupTypeLabel = (t: string) =>
  (
    ({
      pleeggezin: 'Pleeggezin',
      gezinshuis: 'Gezinshuis',
      crisis: 'Crisisgroep',
      logeren: 'Logeerhuis',
      specialistisch_wonen: 'Woongroep',
      behandelgroep: 'Behandelgroep',
    }) as Record<string, string>
  )[t] ?? 'Groep';
