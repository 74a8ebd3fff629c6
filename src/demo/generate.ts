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
import type { MunicipalityRef } from '../catalog/index.ts';
import type { ProviderPlan, RegionTargets, Target } from './targets.ts';
import { demoAddress, providerName, locationName } from './names.ts';

export interface GenerateOptions {
  seed?: number;
  keys: BsnKeys;
  onProgress?: (done: number, total: number, label: string) => void;
}
export interface GenerateResult { youths: number; allocations: number; declarationLines: number; providers: number }

interface ProductRow { id: number; code: string; unit: string; tariffCents: number; segmentId: number; topSegment: string; groupType: string }

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

interface Ids { youth: number; allocation: number; line: number; provider: number; location: number; group: number; contract: number }

async function nextIds(db: Db): Promise<Ids> {
  const q = async (t: string) => (await db.query(`SELECT COALESCE(max(id), 0)::int8 AS m FROM ${t}`))[0].m as number;
  return {
    youth: await q('youth'), allocation: await q('allocation'), line: await q('declaration_line'), provider: await q('provider'),
    location: await q('location'), group: await q('care_group'), contract: await q('contract'),
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
    while (list.length < p.count) { fresh.push(next); list.push(next++); }
    own.set(p.segment, fresh);
    const total = segmentTotalsCents.get(p.segment) ?? 0;
    const top = (p.topCostsEur ?? []).slice(0, list.length).map((e) => e * 100);
    const topSum = top.reduce((a, b) => a + b, 0);
    const rest = Math.max(0, total - topSum);
    const alpha = p.tailAlpha ?? 1.1;
    const tail = list.slice(top.length).map((_, r) => 1 / Math.pow(r + 1 + top.length, alpha));
    const tailSum = tail.reduce((a, b) => a + b, 0) || 1;
    const weights = top.length
      ? [...top, ...tail.map((t) => (rest * t) / tailSum)]
      : tail;
    bySegment.set(p.segment, { providers: list, weights });
  }
  return { count: next, bySegment };
}

interface Client { youth: number; municipality: number; product: ProductRow; provider: number; amount: number; units: number }

export async function generateFromTargets(
  db: Db, regionId: string, regionIndex: number, municipalities: MunicipalityRef[], targets: RegionTargets, opts: GenerateOptions,
): Promise<GenerateResult> {
  const rng = new Rng((opts.seed ?? 1) * 7919 + regionIndex);
  const year = targets.year;
  const yearStart = dayOf(year, 1, 1), yearEnd = dayOf(year, 12, 31);
  const daysInYear = yearEnd - yearStart + 1;
  const progress = (d: number, t: number, l: string) => opts.onProgress?.(d, t, l);

  const products: ProductRow[] = (await db.query(
    `SELECT p.id, p.code, trim(p.unit) AS unit, t.amount_cents AS "tariffCents", p.segment_id AS "segmentId",
            COALESCE(ps.code, s.code) AS "topSegment", s.code AS seg
     FROM product p JOIN segment s ON s.id = p.segment_id LEFT JOIN segment ps ON ps.id = s.parent_id
     JOIN tariff t ON t.product_id = p.id AND t.valid_from <= $2 AND (t.valid_to IS NULL OR t.valid_to > $2)
     WHERE p.region_id = $1`, [regionId, `${year}-07-01`])).map((r) => ({ ...r, groupType: groupTypeOf(r.code) }));
  const productByCode = new Map(products.map((p) => [p.code, p]));
  const segments = await db.query<{ id: number; code: string; funding_form: string }>(`SELECT id, code, funding_form FROM segment WHERE region_id = $1 AND parent_id IS NULL`, [regionId]);
  const segmentId = new Map(segments.map((s) => [s.code, s.id]));

  const ids = await nextIds(db);
  const segTotals = new Map<string, number>();
  for (const t of targets.targets) segTotals.set(t.segment, (segTotals.get(t.segment) ?? 0) + t.amountCents.reduce((a, b) => a + b, 0));
  const assignment = providerAssignment(targets.providers, segTotals);

  // --- youths: per municipality a pool; primary targets take fresh youths, ambulant overlaps, secondary reuse
  const youthMunicipality: number[] = [];     // local youth index → municipality index
  const pools: number[][] = municipalities.map(() => []);
  const primaryCount = new Array(municipalities.length).fill(0);
  const newYouth = (m: number) => { youthMunicipality.push(m); pools[m].push(youthMunicipality.length - 1); return youthMunicipality.length - 1; };

  const clients: Client[] = [];
  progress(0, targets.targets.length, 'cliënten en volumes');
  for (const [ti, target] of targets.targets.entries()) {
    const seg = assignment.bySegment.get(target.segment);
    if (!seg) throw new Error(`Geen aanbieders gepland voor segment ${target.segment}`);
    const targetYouths: number[] = [];
    let carry = 0;
    for (let m = 0; m < municipalities.length; m++) {
      const n = target.clients[m];
      if (!n && target.amountCents[m] > 0) throw new Error(`Doel ${target.segment} in ${municipalities[m].name}: een bedrag zonder cliënten`);
      if (!n) continue;
      const youths = pickYouths(target, m, n, targetYouths);
      targetYouths.push(...youths);
      const chosen = youths.map((y) => {
        const pc = target.products[rng.weighted(target.products.map((p) => p.weight))].code;
        const product = productByCode.get(pc);
        if (!product) throw new Error(`Product ${pc} ontbreekt in het productenboek van ${regionId}`);
        return { youth: y, municipality: m, product, provider: seg.providers[rng.weighted(seg.weights)], amount: 0, units: 0 };
      });
      carry = fillAmounts(chosen, target.amountCents[m] + carry, daysInYear); // what is left (< one tariff) moves to the next municipality
      clients.push(...chosen);
    }
    progress(ti + 1, targets.targets.length, 'cliënten en volumes');
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

  function fillAmounts(cs: Client[], target: number, days: number): number {
    const maxUnits = (c: Client) => (c.product.unit === '14' ? days : MAX_UNITS[c.product.unit] ?? 500);
    const weights = cs.map((c) => c.product.tariffCents * (TYPICAL_UNITS[c.product.unit] ?? 50) * (0.25 + 1.5 * rng.next()));
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
        c.units += add; rest -= add * c.product.tariffCents; progressMade = true;
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
    for (const c of segClients) { if (!count.has(c.provider)) count.set(c.provider, []); count.get(c.provider)!.push(c); }
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
  for (const [segCode, s] of assignment.bySegment) for (const p of s.providers) {
    if (!providerSegments.has(p)) providerSegments.set(p, new Set());
    providerSegments.get(p)!.add(segCode);
  }
  const sharedMax = Math.max(0, ...targets.providers.map((p) => p.shared ?? 0));
  for (let i = 0; i < assignment.count; i++) {
    const type = i < sharedMax ? 'systeemaanbieder' : i < sharedMax + Math.round(assignment.count * 0.055) ? 'groot' : 'overig';
    const agb = `98${regionPrefix}${String(i + 1).padStart(4, '0')}`;
    const kvk = String(60_000_000 + regionIndex * 10_000 + i).slice(0, 8);
    providerRows.push(copyLine([providerDbId(i), agb, kvk, providerName(regionIndex * 1000 + i, i < sharedMax), type, municipalities[i % municipalities.length].code]));
  }
  await db.copyRows('provider', ['id', 'agb_code', 'kvk_number', 'name', 'provider_type', 'home_municipality_code'], providerRows);

  const contractRows: string[] = [];
  const lumpsum = new Map<string, number>(); // provider|segment → registered amount (lumpsum regions)
  for (const c of clients) {
    const k = `${c.provider}|${c.product.topSegment}`;
    lumpsum.set(k, (lumpsum.get(k) ?? 0) + c.amount);
  }
  let contractId = ids.contract;
  for (const [p, segs] of providerSegments) for (const seg of segs) {
    const s = segments.find((x) => x.code === seg)!;
    const isLumpsum = s.funding_form === 'lumpsum' || s.funding_form === 'beschikbaarheid';
    const registered = lumpsum.get(`${p}|${seg}`) ?? 0;
    // lumpsum regions: set for the year at the registered value rounded to € 1,000, with a 3% bandwidth (002)
    contractRows.push(copyLine([++contractId, regionId, providerDbId(p), s.id, s.funding_form, `${year}-01-01`,
      isLumpsum ? Math.round(registered / 100_000) * 100_000 : null, isLumpsum ? '3.00' : null, 'actief']));
  }
  await db.copyRows('contract', ['id', 'region_id', 'provider_id', 'segment_id', 'funding_form', 'valid_from', 'lumpsum_cents', 'bandwidth_pct', 'status'], contractRows);

  // residential providers get locations and groups sized to their clients (coordination point register)
  const residentialClients = new Map<string, number>(); // provider|productId → clients
  for (const c of clients) if (c.product.unit === '14') {
    const k = `${c.provider}|${c.product.id}`;
    residentialClients.set(k, (residentialClients.get(k) ?? 0) + 1);
  }
  const locRows: string[] = [], groupRows: string[] = [];
  let locId = ids.location, groupId = ids.group;
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
      groupRows.push(copyLine([++groupId, providerLocation.get(p), `${groupTypeLabel(product.groupType)} ${g + 1}`, product.groupType, product.id,
        places, places, intensity === null ? null : (intensity * places * 7).toFixed(2), product.groupType === 'crisis' ? 0 : 4, 17, 'gemengd']));
    }
  }
  await db.copyRows('location', ['id', 'provider_id', 'name', 'municipality_code'], locRows);
  await db.copyRows('care_group', ['id', 'location_id', 'name', 'group_type', 'product_id', 'places_physical', 'places_contracted', 'roster_hours_week', 'age_min', 'age_max', 'gender'], groupRows);

  // --- youths
  progress(0, youthMunicipality.length, 'jeugdigen');
  function* youthRows(): Generator<string> {
    for (let i = 0; i < youthMunicipality.length; i++) {
      const id = ids.youth + 1 + i;
      const bsn = syntheticBsn(id);
      const age = rng.int(0, 17);
      const birth = isoDate(year - age, rng.int(1, 12), rng.int(1, 28));
      const m = municipalities[youthMunicipality[i]];
      const address = encryptPersonal(opts.keys, JSON.stringify(demoAddress(id, m.code, m.name)));
      yield copyLine([id, '\\x' + encryptBsn(opts.keys, bsn).toString('hex'), bsnLookupHash(opts.keys, bsn), `J-${String(id).padStart(7, '0')}`,
        birth, rng.next() < 0.52 ? '1' : '2', m.code, '\\x' + address.toString('hex')]);
      if (i % 5000 === 4999) progress(i + 1, youthMunicipality.length, 'jeugdigen');
    }
  }
  await db.copyRows('youth', ['id', 'bsn_encrypted', 'bsn_hash', 'pseudonym', 'birth_date', 'gender', 'municipality_code', 'address_encrypted'], youthRows());
  progress(youthMunicipality.length, youthMunicipality.length, 'jeugdigen');

  // --- allocations and monthly lines. One pass draws the allocations and the lines' periods (days as
  // integers, see days.ts) in the order of the random numbers; the lines are kept as four integers each
  // (client, from, to, volume) and streamed into COPY after the allocations.
  const allocRows: string[] = [];
  let periods = new Int32Array(4 * Math.max(1024, clients.length * 8)), lines = 0;
  const addPeriod = (ci: number, from: number, to: number, volume: number) => {
    if (4 * lines + 4 > periods.length) { const grown = new Int32Array(periods.length * 2); grown.set(periods); periods = grown; }
    const o = 4 * lines++;
    periods[o] = ci; periods[o + 1] = from; periods[o + 2] = to; periods[o + 3] = volume;
  };
  // month (1–12) of each day of the year, and each month's first and last day
  const monthOfDay = new Uint8Array(daysInYear);
  const monthFirst: number[] = [], monthLast: number[] = [];
  for (let mo = 1; mo <= 12; mo++) {
    monthFirst[mo] = dayOf(year, mo, 1); monthLast[mo] = lastDayOfMonth(year, mo);
    monthOfDay.fill(mo, monthFirst[mo] - yearStart, monthLast[mo] - yearStart + 1);
  }
  const allocationId = (ci: number) => ids.allocation + 1 + ci;
  progress(0, clients.length, 'toewijzingen');
  for (let ci = 0; ci < clients.length; ci++) {
    const c = clients[ci];
    const youthId = ids.youth + 1 + c.youth;
    const m = municipalities[c.municipality].code; // the paying municipality (woonplaatsbeginsel)
    const provider = providerDbId(c.provider);
    const referrer = c.product.topSegment === 'JBJR' ? '04' : REFERRERS[rng.weighted(REFERRER_WEIGHTS)];
    const id = allocationId(ci);
    let start: number, end: number;
    if (c.product.unit === '14') {
      // one continuous stay of `units` days, cut into calendar months
      const offset = rng.int(0, daysInYear - c.units);
      start = yearStart + offset;
      end = start + c.units - 1;
      for (let d = start, mo = monthOfDay[offset]; d <= end; mo++) {
        const to = monthLast[mo] < end ? monthLast[mo] : end;
        addPeriod(ci, d, to, to - d + 1);
        d = to + 1;
      }
    } else {
      const k = Math.min(12, Math.max(1, Math.min(c.units, rng.int(3, 12))));
      const first = rng.int(1, 13 - k);
      start = monthFirst[first];
      end = monthLast[first + k - 1];
      const weights: number[] = new Array(k);
      for (let i = 0; i < k; i++) weights[i] = 0.6 + rng.next();
      const vols = allocateCents(c.units, weights);
      for (let i = 0; i < k; i++) if (vols[i]) addPeriod(ci, monthFirst[first + i], monthLast[first + i], vols[i]);
    }
    // allocations often began before the year or run past it: the allocation covers the care, not the other way round
    // (a start on 1 January moves back whole months; an end on 31 December moves on to the end of a month)
    const allocStart = start === yearStart && rng.next() < 0.6 ? dayOf(year, 1 - rng.int(1, 18), 1) : start;
    const allocEnd = end === yearEnd && rng.next() < 0.6 ? lastDayOfMonth(year, 12 + rng.int(1, 12)) : end;
    allocRows.push(copyLine([id, `${regionPrefix}${String(id).padStart(9, '0')}`, m, provider, youthId, c.product.id, referrer,
      isoDay(allocStart), isoDay(allocEnd), c.units, c.product.unit, '6', 'actief']));
    if (ci % 5000 === 0) progress(ci, clients.length, 'toewijzingen');
  }
  await db.copyRows('allocation', ['id', 'assignment_number', 'municipality_code', 'provider_id', 'youth_id', 'product_id', 'referrer_type', 'start_date', 'end_date', 'volume', 'unit', 'frequency', 'status'], allocRows);
  progress(clients.length, clients.length, 'toewijzingen');

  // every line: amount = volume × tariff; the text is built here (all values are numbers, codes and dates)
  function* lineRows(): Generator<string> {
    let lineId = ids.line, ci = -1, head = '', tail = '', tariff = 0;
    for (let i = 0, o = 0; i < lines; i++, o += 4) {
      if (periods[o] !== ci) {
        ci = periods[o];
        const c = clients[ci];
        head = `\t${allocationId(ci)}\t${copyValue(municipalities[c.municipality].code)}\t${providerDbId(c.provider)}\t${ids.youth + 1 + c.youth}\t${c.product.id}\t`;
        tail = `\t${copyValue(c.product.unit)}\t${c.product.tariffCents}\t`;
        tariff = c.product.tariffCents;
      }
      const volume = periods[o + 3];
      yield `${++lineId}${head}${isoDay(periods[o + 1])}\t${isoDay(periods[o + 2])}\t${volume}${tail}${volume * tariff}\tD\tgeaccepteerd\tdemo`;
      if (i % 20_000 === 19_999) progress(i + 1, lines, 'declaratieregels');
    }
  }
  progress(0, lines, 'declaratieregels');
  await db.copyRows('declaration_line', ['id', 'allocation_id', 'municipality_code', 'provider_id', 'youth_id', 'product_id', 'period_start', 'period_end', 'volume', 'unit', 'tariff_cents', 'amount_cents', 'debit_credit', 'status', 'source'], lineRows());
  progress(lines, lines, 'declaratieregels');
  periods = new Int32Array(0);

  // --- budgets per municipality × segment: realisation −4% … +6% (deterministic), rounded to € 1,000
  const realised = new Map<string, number>();
  for (const c of clients) {
    const k = `${municipalities[c.municipality].code}|${c.product.topSegment}`;
    realised.set(k, (realised.get(k) ?? 0) + c.amount);
  }
  const budgetRows = [...realised].map(([k, amount]) => {
    const [m, seg] = k.split('|');
    return copyLine([m, segmentId.get(seg), year, Math.round((amount * (0.96 + 0.1 * rng.next())) / 100_000) * 100_000]);
  });
  await db.copyRows('budget', ['municipality_code', 'segment_id', 'year', 'amount_cents'], budgetRows);
  await syncSequences(db);
  return { youths: youthMunicipality.length, allocations: allocRows.length, declarationLines: lines, providers: assignment.count };
}

function groupTypeOf(code: string): string {
  if (code === '44B06' || code.startsWith('43A2')) return 'pleeggezin';
  if (code === '43A10') return 'gezinshuis';
  if (code.startsWith('46')) return 'crisis';
  if (code === '43A11') return 'logeren';
  if (code === '43A36' || code.startsWith('44A')) return 'specialistisch_wonen';
  return 'behandelgroep';
}
const groupTypeLabel = (t: string) => ({ pleeggezin: 'Pleeggezin', gezinshuis: 'Gezinshuis', crisis: 'Crisisgroep', logeren: 'Logeerhuis', specialistisch_wonen: 'Woongroep', behandelgroep: 'Behandelgroep' } as Record<string, string>)[t] ?? 'Groep';
