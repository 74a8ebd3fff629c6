// Demo funding: the contracts' terms, instalments paid and quarterly figures, after the demo ledger is generated.
// - Achterhoek (002): lumpsum per provider × segment with a 3% band agreed in advance, paid in twelve monthly
//   instalments; each quarter the provider's figures (clients in care, started, stopped, days or hours from its own
//   records, realisation valued as agreed) against the band. One gezins- en woonvormen provider is 5.5% above its
//   band (settled: outside the band is 'verrekenen' for that segment). Crisis: availability (beds × price per month).
// - Twente (001): crisis beds on availability plus P*Q per etmaal, as a sub-segment of Crisis (conclusion 32 of 003:
//   a deviating part becomes a sub-segment); ambulant crisis stays P*Q.
// Figures that are not published are assumptions, named as such.
import type { Db } from '../db/index.ts';
import { typed, unscoped, sql } from '../db/query.ts';
import { splitLargestRemainder } from './rules.ts';

const DEMO = sql.raw('/*unscoped*/'); // demo loader: writes the region's demo rows (system work)
const BED_PRICE_PER_MONTH_CENTS = 400_000; // assumption: € 4.000 per reserved crisis bed per month (availability fee)
const TARGET_OCCUPANCY = 0.85;             // assumption: beds reserved for 85% occupancy of last year's bed-days

/** Deterministic noise in [−1, 1) from a number (no shared random state). */
const wobble = (n: number) => { const x = Math.sin(n * 12.9898) * 43758.5453; return (x - Math.floor(x)) * 2 - 1; };

export async function loadFundingDemo(db: Db, regionId: string): Promise<void> {
  if (regionId === 'achterhoek') await achterhoek(db);
  if (regionId === 'twente') await twente(db);
}

async function ledgerByQuarter(db: Db, regionId: string, year: number) {
  // per provider × top segment × quarter: distinct youths, first/last quarter per youth, volume (days or hours)
  return typed(db).selectFrom(
    typed(db).selectFrom('declaration_line as d').innerJoin('product as p', 'p.id', 'd.product_id').innerJoin('segment as s', 's.id', 'p.segment_id')
      .select(['d.provider_id', 'd.youth_id', sql<number>`COALESCE(s.parent_id, s.id)`.as('segment_id'),
        sql<number>`min(extract(quarter FROM d.period_start))::int`.as('first_q'), sql<number>`max(extract(quarter FROM d.period_start))::int`.as('last_q'),
        sql<number>`sum(d.volume)::int8`.as('volume')])
      .where(unscoped('demo loader: derives the providers\' quarterly figures from the demo ledger'))
      .where('s.region_id', '=', regionId).where('d.status', '=', 'geaccepteerd').where('d.debit_credit', '=', 'D')
      .where('d.period_start', '>=', `${year}-01-01`).where('d.period_start', '<=', `${year}-12-31`)
      .groupBy(['d.provider_id', 'd.youth_id', sql`COALESCE(s.parent_id, s.id)`]).as('y'))
    .select(['y.provider_id', 'y.segment_id', 'y.first_q', 'y.last_q', 'y.volume']).execute();
}

async function achterhoek(db: Db) {
  const year = 2023;
  const q = typed(db);
  const contracts = await q.selectFrom('contract as c').innerJoin('segment as s', 's.id', 'c.segment_id')
    .select(['c.id', 'c.provider_id', 'c.segment_id', 's.code', 'c.funding_form', 'c.lumpsum_cents'])
    .where('c.region_id', '=', 'achterhoek').where('c.valid_from', '=', `${year}-01-01`).orderBy('c.id').execute();
  const perYouth = await ledgerByQuarter(db, 'achterhoek', year);
  const stats = new Map<string, { inCare: number[]; started: number[]; stopped: number[]; volume: number[] }>();
  for (const r of perYouth) {
    const k = `${r.provider_id}|${r.segment_id}`;
    if (!stats.has(k)) stats.set(k, { inCare: [0, 0, 0, 0], started: [0, 0, 0, 0], stopped: [0, 0, 0, 0], volume: [0, 0, 0, 0] });
    const s = stats.get(k)!;
    for (let qq = r.first_q; qq <= r.last_q; qq++) { s.inCare[qq - 1]++; s.volume[qq - 1] += Math.round(Number(r.volume) / (r.last_q - r.first_q + 1)); }
    if (r.first_q > 1) s.started[r.first_q - 1]++;
    if (r.last_q < 4) s.stopped[r.last_q - 1]++;
  }
  // the GWV provider outside its band: the one with the second-largest lumpsum
  const gwv = contracts.filter((c) => c.code === 'GWV' && c.lumpsum_cents).sort((a, b) => Number(b.lumpsum_cents) - Number(a.lumpsum_cents));
  const outsider = gwv[1]?.id;
  const payments: { contract_id: number; region_id: string; provider_id: number; paid_on: string; amount_cents: number; kind: string; description: string }[] = [];
  const figures: any[] = [];
  for (const c of contracts) {
    const amount = Number(c.lumpsum_cents ?? 0);
    if (c.funding_form === 'lumpsum') {
      const parts = splitLargestRemainder(amount, Array(12).fill(1));
      const instalments = parts.map((a, i) => ({ due: `${year}-${String(i + 1).padStart(2, '0')}-15`, amountCents: a }));
      await q.updateTable('contract').set({
        terms: JSON.stringify({ instalments }), outside_band: c.code === 'GWV' ? 'verrekenen' : 'gesprek', execution_variant: 'taakgericht',
        change_reason: `Jaarlijkse actualisatie ${year}: lumpsum op de realisatie van ${year - 1}, bijgesteld voor verhuizingen (woonplaatsbeginsel)`,
      }).where('id', '=', c.id).execute();
      for (const i of instalments) payments.push({ contract_id: c.id, region_id: 'achterhoek', provider_id: c.provider_id, paid_on: i.due, amount_cents: i.amountCents, kind: 'termijn', description: `termijn ${i.due.slice(5, 7)}` });
      // realisation per quarter: a quarter of the lumpsum, ±2% (deterministic); the outsider 5.5% above every quarter
      const s = stats.get(`${c.provider_id}|${c.segment_id}`) ?? { inCare: [0, 0, 0, 0], started: [0, 0, 0, 0], stopped: [0, 0, 0, 0], volume: [0, 0, 0, 0] };
      const quarterParts = splitLargestRemainder(amount, [1, 1, 1, 1]);
      for (let qq = 1; qq <= 4; qq++) {
        const dev = c.id === outsider ? 0.055 : 0.02 * wobble(c.id * 10 + qq);
        figures.push({ contract_id: c.id, region_id: 'achterhoek', provider_id: c.provider_id, year, quarter: qq,
          clients_in_care: s.inCare[qq - 1], started: s.started[qq - 1], stopped: s.stopped[qq - 1], hours: s.volume[qq - 1],
          realised_cents: Math.round(quarterParts[qq - 1] * (1 + dev)), source: 'demo' });
      }
    } else if (c.funding_form === 'beschikbaarheid') {
      // crisis on availability: beds for the year's bed-days at 85% occupancy, the lumpsum becomes beds × price × 12
      const s = stats.get(`${c.provider_id}|${c.segment_id}`);
      const bedDays = s ? s.volume.reduce((a, b) => a + b, 0) : 0;
      const beds = Math.max(1, Math.round(bedDays / 365 / TARGET_OCCUPANCY));
      const price = Math.max(1, Math.round(amount / 12 / beds));
      const instalments = Array.from({ length: 12 }, (_, i) => ({ due: `${year}-${String(i + 1).padStart(2, '0')}-15`, amountCents: beds * price }));
      await q.updateTable('contract').set({
        lumpsum_cents: beds * price * 12, execution_variant: 'taakgericht', cost_key: 'jeugdigen',
        terms: JSON.stringify({ reservedUnits: beds, unitLabel: 'crisisplekken', pricePerUnitPerPeriodCents: price, period: 'maand', useTariffCents: null, instalments }),
      }).where('id', '=', c.id).execute();
      for (const i of instalments) payments.push({ contract_id: c.id, region_id: 'achterhoek', provider_id: c.provider_id, paid_on: i.due, amount_cents: i.amountCents, kind: 'termijn', description: `beschikbaarheid ${i.due.slice(5, 7)}` });
    }
  }
  if (payments.length) await q.insertInto('funding_payment').values(payments).modifyEnd(DEMO).execute();
  if (figures.length) await q.insertInto('funding_figure').values(figures).modifyEnd(DEMO).execute();
}

async function twente(db: Db) {
  const year = 2021;
  const q = typed(db);
  // 'Overige' (sociale basisinfrastructuur) is a lumpsum per provider, not bought by the region: paid monthly, no band figures
  const ovr = await q.selectFrom('contract as c').select(['c.id', 'c.provider_id', 'c.lumpsum_cents'])
    .where('c.region_id', '=', 'twente').where('c.funding_form', '=', 'lumpsum').where('c.valid_from', '=', `${year}-01-01`).orderBy('c.id').execute();
  const ovrPayments: any[] = [];
  for (const c of ovr) {
    const instalments = splitLargestRemainder(Number(c.lumpsum_cents ?? 0), Array(12).fill(1)).map((a, i) => ({ due: `${year}-${String(i + 1).padStart(2, '0')}-15`, amountCents: a }));
    await q.updateTable('contract').set({ terms: JSON.stringify({ instalments }), outside_band: 'niets', execution_variant: 'taakgericht' }).where('id', '=', c.id).execute();
    for (const i of instalments) ovrPayments.push({ contract_id: c.id, region_id: 'twente', provider_id: c.provider_id, paid_on: i.due, amount_cents: i.amountCents, kind: 'termijn', description: `termijn ${i.due.slice(5, 7)}` });
  }
  if (ovrPayments.length) await q.insertInto('funding_payment').values(ovrPayments).modifyEnd(DEMO).execute();
  const cri = await q.selectFrom('segment').select(['id']).where('region_id', '=', 'twente').where('code', '=', 'CRI').executeTakeFirst();
  if (!cri) return;
  const bedSeg = await q.insertInto('segment').values({
    region_id: 'twente', code: 'CRI-BED', name: 'Crisisbedden', parent_id: cri.id, funding_form: 'beschikbaarheid', procured_by_region: true,
    description: 'Crisisbedden op beschikbaarheid plus P*Q per etmaal (001); ambulante crisishulp blijft P*Q', sort_order: 99,
  }).onConflict((oc) => oc.columns(['region_id', 'code']).doUpdateSet({ name: 'Crisisbedden' })).returning('id').executeTakeFirstOrThrow();
  const beds = await q.selectFrom('declaration_line as d').innerJoin('product as p', 'p.id', 'd.product_id')
    .select(['d.provider_id', sql<number>`sum(CASE d.debit_credit WHEN 'C' THEN -d.volume ELSE d.volume END)::int8`.as('days'), sql<number>`max(d.tariff_cents)::int8`.as('tariff')])
    .where(unscoped('demo loader: sizes the crisis beds from the demo ledger'))
    .where('p.region_id', '=', 'twente').where('p.code', '=', '46A03').where('d.status', '=', 'geaccepteerd')
    .where('d.period_start', '>=', `${year}-01-01`).where('d.period_start', '<=', `${year}-12-31`).groupBy('d.provider_id').orderBy('d.provider_id').execute();
  const payments: any[] = [];
  for (const b of beds) {
    const units = Math.max(1, Math.ceil(Number(b.days) / 365 / TARGET_OCCUPANCY));
    const instalments = Array.from({ length: 12 }, (_, i) => ({ due: `${year}-${String(i + 1).padStart(2, '0')}-15`, amountCents: units * BED_PRICE_PER_MONTH_CENTS }));
    const c = await q.insertInto('contract').values({
      region_id: 'twente', provider_id: b.provider_id, segment_id: bedSeg.id, funding_form: 'beschikbaarheid', execution_variant: 'taakgericht',
      valid_from: `${year}-01-01`, lumpsum_cents: units * BED_PRICE_PER_MONTH_CENTS * 12, status: 'actief', cost_key: 'jeugdigen',
      terms: JSON.stringify({ reservedUnits: units, unitLabel: 'crisisbedden', pricePerUnitPerPeriodCents: BED_PRICE_PER_MONTH_CENTS, period: 'maand', useTariffCents: Number(b.tariff), instalments, productCodes: ['46A03'] }),
    }).returning('id').executeTakeFirstOrThrow();
    for (const i of instalments) payments.push({ contract_id: c.id, region_id: 'twente', provider_id: b.provider_id, paid_on: i.due, amount_cents: i.amountCents, kind: 'termijn', description: `beschikbaarheid ${i.due.slice(5, 7)}` });
  }
  if (payments.length) await q.insertInto('funding_payment').values(payments).modifyEnd(DEMO).execute();
}

