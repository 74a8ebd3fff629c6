// Demo funding: the contracts' terms, instalments paid and quarterly figures, after the demo ledger is generated.
// - Achterhoek (002): lumpsum per provider × segment with a 3% band agreed in advance, paid in twelve monthly
//   instalments; each quarter the provider's figures (clients in care, started, stopped, days or hours from its own
//   records, realisation valued as agreed) against the band. One gezins- en woonvormen provider is 5.5% above its
//   band (settled: outside the band is 'verrekenen' for that segment). Crisis: availability (beds × price per month).
// - Twente (001): crisis beds on availability plus P*Q per etmaal, as a sub-segment of Crisis (conclusion 32 of 003:
//   a deviating part becomes a sub-segment); ambulant crisis stays P*Q. The coordination point spoedhulp stays a
//   lumpsum and the crisis service GGZ-jeugd moves to one (sub-segments CRI-CP and CRI-GGZ); Advies & Expertise is a
//   taakgericht lumpsum in three lots (percelen GGZ, LVB, specialistische jeugdzorg), more contracts for GGZ. One
//   pilot on real costs (reële nacalculatie) near the € 750.000 European threshold.
// Figures that are not published are assumptions, named as such.
import type { Db } from '../db/index.ts';
import { typed, unscoped, sql } from '../db/query.ts';
import { splitLargestRemainder } from './rules.ts';
import { validateContractFunding } from './terms.ts';

const DEMO = sql.raw('/*unscoped*/'); // demo loader: writes the region's demo rows (system work)
const BED_PRICE_PER_MONTH_CENTS = 400_000; // assumption: € 4.000 per reserved crisis bed per month (availability fee)
const TARGET_OCCUPANCY = 0.85; // assumption: beds reserved for 85% occupancy of last year's bed-days
// Twente's crisis and A&E lumpsums (001 names the form, not the amounts): yearly amounts are assumptions
const COORDINATION_POINT_CENTS = 60_000_000; // assumption: € 600.000 a year for the coordination point spoedhulp
const CRISIS_GGZ_CENTS = 120_000_000; // assumption: € 1.200.000 a year for the crisis service GGZ-jeugd
/** A&E lots (001 §4): contracts per lot (GGZ more than LVB, as the consultation explains) and lumpsum per contract (assumptions). */
const AE_LOTS = [
  { code: 'AE-GGZ', name: 'Advies & Expertise: perceel GGZ', contracts: 4, cents: 30_000_000 },
  { code: 'AE-LVB', name: 'Advies & Expertise: perceel LVB', contracts: 2, cents: 15_000_000 },
  { code: 'AE-SJZ', name: 'Advies & Expertise: perceel specialistische jeugdzorg (opvoedhulp)', contracts: 3, cents: 20_000_000 },
];
const AE_BAND_PCT = 5; // assumption: a 5% band, deviations discussed in the quarterly conversation
/**
 * Twente's pilot on real costs (assumptions: 003 §8.3 names the rules, not a pilot): advances of € 180.000 a quarter,
 * a ceiling of € 740.000 a year, € 760.000 over the pilot's life (just above the € 750.000 European threshold: a
 * warning); the cost statement € 610.000 staff + € 95.000 housing eligible, € 10.000 representation not → outcome
 * € 705.000, advances € 720.000 → € 15.000 to reclaim.
 */
const PILOT = {
  advanceCents: 18_000_000,
  ceilingCents: 74_000_000,
  pilotValueCents: 76_000_000,
  costs: [
    { category: 'personeel', cents: 61_000_000, eligible: true },
    { category: 'huisvesting', cents: 9_500_000, eligible: true },
    { category: 'representatie', cents: 1_000_000, eligible: false },
  ],
};

/** Deterministic noise in [−1, 1) from a number (no shared random state). */
const wobble = (n: number) => {
  const x = Math.sin(n * 12.9898) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
};

export async function loadFundingDemo(db: Db, regionId: string): Promise<void> {
  if (regionId === 'achterhoek') await achterhoek(db);
  if (regionId === 'twente') await twente(db);
}

async function ledgerByQuarter(db: Db, regionId: string, year: number) {
  // per provider × top segment × quarter: distinct youths, first/last quarter per youth, volume (days or hours)
  return typed(db)
    .selectFrom(
      typed(db)
        .selectFrom('declaration_line as d')
        .innerJoin('product as p', 'p.id', 'd.product_id')
        .innerJoin('segment as s', 's.id', 'p.segment_id')
        .select([
          'd.provider_id',
          'd.youth_id',
          sql<number>`COALESCE(s.parent_id, s.id)`.as('segment_id'),
          sql<number>`min(extract(quarter FROM d.period_start))::int`.as('first_q'),
          sql<number>`max(extract(quarter FROM d.period_start))::int`.as('last_q'),
          sql<number>`sum(d.volume)::int8`.as('volume'),
        ])
        .where(unscoped("demo loader: derives the providers' quarterly figures from the demo ledger"))
        .where('s.region_id', '=', regionId)
        .where('d.status', '=', 'geaccepteerd')
        .where('d.debit_credit', '=', 'D')
        .where('d.period_start', '>=', `${year}-01-01`)
        .where('d.period_start', '<=', `${year}-12-31`)
        .groupBy(['d.provider_id', 'd.youth_id', sql`COALESCE(s.parent_id, s.id)`])
        .as('y'),
    )
    .select(['y.provider_id', 'y.segment_id', 'y.first_q', 'y.last_q', 'y.volume'])
    .execute();
}

async function achterhoek(db: Db) {
  const year = 2023;
  const q = typed(db);
  const contracts = await q
    .selectFrom('contract as c')
    .innerJoin('segment as s', 's.id', 'c.segment_id')
    .select(['c.id', 'c.provider_id', 'c.segment_id', 's.code', 'c.funding_form', 'c.lumpsum_cents'])
    .where('c.region_id', '=', 'achterhoek')
    .where('c.valid_from', '=', `${year}-01-01`)
    .orderBy('c.id')
    .execute();
  const perYouth = await ledgerByQuarter(db, 'achterhoek', year);
  const stats = new Map<string, { inCare: number[]; started: number[]; stopped: number[]; volume: number[] }>();
  for (const r of perYouth) {
    const k = `${r.provider_id}|${r.segment_id}`;
    if (!stats.has(k)) stats.set(k, { inCare: [0, 0, 0, 0], started: [0, 0, 0, 0], stopped: [0, 0, 0, 0], volume: [0, 0, 0, 0] });
    const s = stats.get(k)!;
    for (let qq = r.first_q; qq <= r.last_q; qq++) {
      s.inCare[qq - 1]++;
      s.volume[qq - 1] += Math.round(Number(r.volume) / (r.last_q - r.first_q + 1));
    }
    if (r.first_q > 1) s.started[r.first_q - 1]++;
    if (r.last_q < 4) s.stopped[r.last_q - 1]++;
  }
  // the GWV provider outside its band: the one with the second-largest lumpsum
  const gwv = contracts.filter((c) => c.code === 'GWV' && c.lumpsum_cents).sort((a, b) => Number(b.lumpsum_cents) - Number(a.lumpsum_cents));
  const outsider = gwv[1]?.id;
  const payments: { contract_id: number; region_id: string; provider_id: number; paid_on: string; amount_cents: number; kind: string; description: string }[] =
    [];
  const figures: any[] = [];
  for (const c of contracts) {
    const amount = Number(c.lumpsum_cents ?? 0);
    if (c.funding_form === 'lumpsum') {
      const parts = splitLargestRemainder(amount, Array(12).fill(1));
      const instalments = parts.map((a, i) => ({ due: `${year}-${String(i + 1).padStart(2, '0')}-15`, amountCents: a }));
      await q
        .updateTable('contract')
        .set({
          terms: JSON.stringify({ instalments }),
          outside_band: c.code === 'GWV' ? 'verrekenen' : 'gesprek',
          execution_variant: 'taakgericht',
          change_reason: `Jaarlijkse actualisatie ${year}: lumpsum op de realisatie van ${year - 1}, bijgesteld voor verhuizingen (woonplaatsbeginsel)`,
        })
        .where('id', '=', c.id)
        .execute();
      for (const i of instalments)
        payments.push({
          contract_id: c.id,
          region_id: 'achterhoek',
          provider_id: c.provider_id,
          paid_on: i.due,
          amount_cents: i.amountCents,
          kind: 'termijn',
          description: `termijn ${i.due.slice(5, 7)}`,
        });
      // realisation per quarter: a quarter of the lumpsum, ±2% (deterministic); the outsider 5.5% above every quarter
      const s = stats.get(`${c.provider_id}|${c.segment_id}`) ?? { inCare: [0, 0, 0, 0], started: [0, 0, 0, 0], stopped: [0, 0, 0, 0], volume: [0, 0, 0, 0] };
      const quarterParts = splitLargestRemainder(amount, [1, 1, 1, 1]);
      for (let qq = 1; qq <= 4; qq++) {
        const dev = c.id === outsider ? 0.055 : 0.02 * wobble(c.id * 10 + qq);
        figures.push({
          contract_id: c.id,
          region_id: 'achterhoek',
          provider_id: c.provider_id,
          year,
          quarter: qq,
          clients_in_care: s.inCare[qq - 1],
          started: s.started[qq - 1],
          stopped: s.stopped[qq - 1],
          hours: s.volume[qq - 1],
          realised_cents: Math.round(quarterParts[qq - 1] * (1 + dev)),
          source: 'demo',
        });
      }
    } else if (c.funding_form === 'beschikbaarheid') {
      // crisis on availability: beds for the year's bed-days at 85% occupancy, the lumpsum becomes beds × price × 12
      const s = stats.get(`${c.provider_id}|${c.segment_id}`);
      const bedDays = s ? s.volume.reduce((a, b) => a + b, 0) : 0;
      const beds = Math.max(1, Math.round(bedDays / 365 / TARGET_OCCUPANCY));
      const price = Math.max(1, Math.round(amount / 12 / beds));
      const instalments = Array.from({ length: 12 }, (_, i) => ({ due: `${year}-${String(i + 1).padStart(2, '0')}-15`, amountCents: beds * price }));
      await q
        .updateTable('contract')
        .set({
          lumpsum_cents: beds * price * 12,
          execution_variant: 'taakgericht',
          cost_key: 'jeugdigen',
          terms: JSON.stringify({
            reservedUnits: beds,
            unitLabel: 'crisisplekken',
            pricePerUnitPerPeriodCents: price,
            period: 'maand',
            useTariffCents: null,
            instalments,
          }),
        })
        .where('id', '=', c.id)
        .execute();
      for (const i of instalments)
        payments.push({
          contract_id: c.id,
          region_id: 'achterhoek',
          provider_id: c.provider_id,
          paid_on: i.due,
          amount_cents: i.amountCents,
          kind: 'termijn',
          description: `beschikbaarheid ${i.due.slice(5, 7)}`,
        });
    }
  }
  if (payments.length) await q.insertInto('funding_payment').values(payments).modifyEnd(DEMO).execute();
  if (figures.length) await q.insertInto('funding_figure').values(figures).modifyEnd(DEMO).execute();
}

async function twente(db: Db) {
  const year = 2021;
  const q = typed(db);
  // 'Overige' (sociale basisinfrastructuur) is a lumpsum per provider, not bought by the region: paid monthly, no band figures
  const ovr = await q
    .selectFrom('contract as c')
    .select(['c.id', 'c.provider_id', 'c.lumpsum_cents'])
    .where('c.region_id', '=', 'twente')
    .where('c.funding_form', '=', 'lumpsum')
    .where('c.valid_from', '=', `${year}-01-01`)
    .orderBy('c.id')
    .execute();
  const ovrPayments: any[] = [];
  for (const c of ovr) {
    const instalments = splitLargestRemainder(Number(c.lumpsum_cents ?? 0), Array(12).fill(1)).map((a, i) => ({
      due: `${year}-${String(i + 1).padStart(2, '0')}-15`,
      amountCents: a,
    }));
    await q
      .updateTable('contract')
      .set({ terms: JSON.stringify({ instalments }), outside_band: 'niets', execution_variant: 'taakgericht' })
      .where('id', '=', c.id)
      .execute();
    for (const i of instalments)
      ovrPayments.push({
        contract_id: c.id,
        region_id: 'twente',
        provider_id: c.provider_id,
        paid_on: i.due,
        amount_cents: i.amountCents,
        kind: 'termijn',
        description: `termijn ${i.due.slice(5, 7)}`,
      });
  }
  if (ovrPayments.length) await q.insertInto('funding_payment').values(ovrPayments).modifyEnd(DEMO).execute();
  const cri = await q.selectFrom('segment').select(['id']).where('region_id', '=', 'twente').where('code', '=', 'CRI').executeTakeFirst();
  if (!cri) return;
  const bedSeg = await q
    .insertInto('segment')
    .values({
      region_id: 'twente',
      code: 'CRI-BED',
      name: 'Crisisbedden',
      parent_id: cri.id,
      funding_form: 'beschikbaarheid',
      procured_by_region: true,
      description: 'Crisisbedden op beschikbaarheid plus P*Q per etmaal (001); ambulante crisishulp blijft P*Q',
      sort_order: 99,
    })
    .onConflict((oc) => oc.columns(['region_id', 'code']).doUpdateSet({ name: 'Crisisbedden' }))
    .returning('id')
    .executeTakeFirstOrThrow();
  const beds = await q
    .selectFrom('declaration_line as d')
    .innerJoin('product as p', 'p.id', 'd.product_id')
    .select([
      'd.provider_id',
      sql<number>`sum(CASE d.debit_credit WHEN 'C' THEN -d.volume ELSE d.volume END)::int8`.as('days'),
      sql<number>`max(d.tariff_cents)::int8`.as('tariff'),
    ])
    .where(unscoped('demo loader: sizes the crisis beds from the demo ledger'))
    .where('p.region_id', '=', 'twente')
    .where('p.code', '=', '46A03')
    .where('d.status', '=', 'geaccepteerd')
    .where('d.period_start', '>=', `${year}-01-01`)
    .where('d.period_start', '<=', `${year}-12-31`)
    .groupBy('d.provider_id')
    .orderBy('d.provider_id')
    .execute();
  const payments: any[] = [];
  for (const b of beds) {
    const units = Math.max(1, Math.ceil(Number(b.days) / 365 / TARGET_OCCUPANCY));
    const instalments = Array.from({ length: 12 }, (_, i) => ({
      due: `${year}-${String(i + 1).padStart(2, '0')}-15`,
      amountCents: units * BED_PRICE_PER_MONTH_CENTS,
    }));
    const c = await q
      .insertInto('contract')
      .values({
        region_id: 'twente',
        provider_id: b.provider_id,
        segment_id: bedSeg.id,
        funding_form: 'beschikbaarheid',
        execution_variant: 'taakgericht',
        valid_from: `${year}-01-01`,
        lumpsum_cents: units * BED_PRICE_PER_MONTH_CENTS * 12,
        status: 'actief',
        cost_key: 'jeugdigen',
        terms: JSON.stringify({
          reservedUnits: units,
          unitLabel: 'crisisbedden',
          pricePerUnitPerPeriodCents: BED_PRICE_PER_MONTH_CENTS,
          period: 'maand',
          useTariffCents: Number(b.tariff),
          instalments,
          productCodes: ['46A03'],
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const i of instalments)
      payments.push({
        contract_id: c.id,
        region_id: 'twente',
        provider_id: b.provider_id,
        paid_on: i.due,
        amount_cents: i.amountCents,
        kind: 'termijn',
        description: `beschikbaarheid ${i.due.slice(5, 7)}`,
      });
  }
  if (payments.length) await q.insertInto('funding_payment').values(payments).modifyEnd(DEMO).execute();
  await twenteLumpsums(db, year, cri.id);
}

/** Twente's coordination point and crisis GGZ (sub-segments of Crisis) and the A&E lots: lumpsums paid per quarter. */
async function twenteLumpsums(db: Db, year: number, crisisId: number) {
  const q = typed(db);
  const segment = (code: string, name: string, parentId: number | null, description: string, sort: number) =>
    q
      .insertInto('segment')
      .values({
        region_id: 'twente',
        code,
        name,
        parent_id: parentId,
        funding_form: 'lumpsum',
        procured_by_region: true,
        description,
        sort_order: sort,
      })
      .onConflict((oc) => oc.columns(['region_id', 'code']).doUpdateSet({ name }))
      .returning('id')
      .executeTakeFirstOrThrow();
  // providers by what they declared in a top segment that year (the largest first)
  const ranked = async (code: string) =>
    (
      await q
        .selectFrom('declaration_line as d')
        .innerJoin('product as p', 'p.id', 'd.product_id')
        .innerJoin('segment as s', 's.id', 'p.segment_id')
        .innerJoin('segment as top', (j) => j.on(sql<boolean>`top.id = COALESCE(s.parent_id, s.id)`))
        .select(['d.provider_id', sql<number>`sum(d.amount_cents)::int8`.as('amount')])
        .where(unscoped('demo loader: picks the providers of the demo lumpsums from the demo ledger'))
        .where('top.region_id', '=', 'twente')
        .where('top.code', '=', code)
        .where('d.status', '=', 'geaccepteerd')
        .where('d.period_start', '>=', `${year}-01-01`)
        .where('d.period_start', '<=', `${year}-12-31`)
        .groupBy('d.provider_id')
        .orderBy(sql`sum(d.amount_cents)`, 'desc')
        .orderBy('d.provider_id')
        .execute()
    ).map((r) => r.provider_id);
  const quarters = (cents: number) =>
    splitLargestRemainder(cents, [1, 1, 1, 1]).map((a, i) => ({ due: `${year}-${String(3 * i + 1).padStart(2, '0')}-15`, amountCents: a }));
  const payments: any[] = [],
    figures: any[] = [];
  const contract = async (
    providerId: number,
    segmentId: number,
    cents: number,
    bandwidthPct: number,
    outsideBand: 'niets' | 'gesprek',
    figuresFrom: number | null,
  ) => {
    const c = validateContractFunding({
      providerId,
      segmentId,
      fundingForm: 'lumpsum',
      validFrom: `${year}-01-01`,
      validTo: null,
      lumpsumCents: cents,
      bandwidthPct,
      outsideBand,
      terms: { instalments: quarters(cents) },
      changeReason: '',
      costKey: 'jeugdigen',
    });
    const { id } = await q
      .insertInto('contract')
      .values({
        region_id: 'twente',
        provider_id: providerId,
        segment_id: segmentId,
        funding_form: 'lumpsum',
        execution_variant: c.executionVariant,
        valid_from: c.validFrom,
        lumpsum_cents: cents,
        bandwidth_pct: bandwidthPct.toFixed(2),
        outside_band: outsideBand,
        terms: JSON.stringify(c.terms),
        cost_key: 'jeugdigen',
        status: 'actief',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const i of c.terms.instalments as { due: string; amountCents: number }[])
      payments.push({
        contract_id: id,
        region_id: 'twente',
        provider_id: providerId,
        paid_on: i.due,
        amount_cents: i.amountCents,
        kind: 'termijn',
        description: `termijn ${i.due.slice(5, 7)}`,
      });
    // the provider's quarterly figures (A&E: requests answered, at most 15 hours each; realisation a quarter of the lumpsum ± 4%)
    if (figuresFrom !== null)
      splitLargestRemainder(cents, [1, 1, 1, 1]).forEach((part, k) => {
        const requests = 20 + Math.round(10 * (1 + wobble(figuresFrom + k)));
        figures.push({
          contract_id: id,
          region_id: 'twente',
          provider_id: providerId,
          year,
          quarter: k + 1,
          clients_in_care: requests,
          started: requests,
          stopped: requests - 2,
          hours: requests * 11,
          realised_cents: Math.round(part * (1 + 0.04 * wobble(figuresFrom * 7 + k))),
          source: 'demo',
        });
      });
  };
  const crisis = await ranked('CRI');
  if (crisis.length) {
    const cp = await segment('CRI-CP', 'Coördinatiepunt spoedhulp', crisisId, 'Lumpsum, taakgericht (001: de huidige lumpsum blijft)', 97);
    await contract(crisis[0], cp.id, COORDINATION_POINT_CENTS, 0, 'niets', null);
    const ggz = await segment(
      'CRI-GGZ',
      'Crisisdienst GGZ-jeugd',
      crisisId,
      'Lumpsum, taakgericht (001: was een beschikbaarheidsbijdrage per uitruk plus minuten)',
      98,
    );
    await contract(crisis[1] ?? crisis[0], ggz.id, CRISIS_GGZ_CENTS, 0, 'niets', null);
  }
  const ambulant = await ranked('AMB');
  // the lots hang under Ambulant (A&E takes the short diagnostics of the access's question, 001 §4): a top segment of
  // their own would stand in monitoring's segment list without any declared costs (a lumpsum has no declarations)
  const amb = await q.selectFrom('segment').select('id').where('region_id', '=', 'twente').where('code', '=', 'AMB').executeTakeFirst();
  let n = 0;
  for (const lot of AE_LOTS) {
    if (!amb) break;
    const seg = await segment(lot.code, lot.name, amb.id, 'Perceel van Advies & Expertise: lumpsum per aanbieder, taakgericht (001 §4)', 51 + n);
    for (let i = 0; i < lot.contracts && n < ambulant.length; i++, n++) await contract(ambulant[n], seg.id, lot.cents, AE_BAND_PCT, 'gesprek', 1000 + n);
  }
  // a pilot on real costs near the European threshold (003 §8.3): an ambulant provider that holds no lot, a sub-segment
  // of its own (a deviating part becomes a sub-segment), quarterly advances and the year's cost statement
  const pilotProvider = amb ? ambulant[n] : undefined;
  if (amb && pilotProvider !== undefined) {
    const seg = await q
      .insertInto('segment')
      .values({
        region_id: 'twente',
        code: 'AMB-PIL',
        name: 'Pilot ambulante gezinsbegeleiding (reële nacalculatie)',
        parent_id: amb.id,
        funding_form: 'nacalculatie',
        procured_by_region: true,
        description: 'Pilot: voorschot met nacalculatie op werkelijke kosten, plafond per jaar (003 §8.3)',
        sort_order: 60,
      })
      .onConflict((oc) => oc.columns(['region_id', 'code']).doUpdateSet({ funding_form: 'nacalculatie' }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = validateContractFunding({
      providerId: pilotProvider,
      segmentId: seg.id,
      fundingForm: 'nacalculatie',
      validFrom: `${year}-01-01`,
      validTo: null,
      lumpsumCents: null,
      bandwidthPct: null,
      outsideBand: 'niets',
      terms: { advances: quarters(PILOT.advanceCents * 4), ceilingCents: PILOT.ceilingCents, pilot: true, pilotValueCents: PILOT.pilotValueCents },
      changeReason: '',
      costKey: 'jeugdigen',
    });
    const { id } = await q
      .insertInto('contract')
      .values({
        region_id: 'twente',
        provider_id: pilotProvider,
        segment_id: seg.id,
        funding_form: 'nacalculatie',
        execution_variant: c.executionVariant,
        valid_from: c.validFrom,
        outside_band: 'niets',
        terms: JSON.stringify(c.terms),
        cost_key: 'jeugdigen',
        status: 'actief',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    payments.push(
      ...(c.terms.advances as { due: string; amountCents: number }[]).map((a) => ({
        contract_id: id,
        region_id: 'twente',
        provider_id: pilotProvider,
        paid_on: a.due,
        amount_cents: a.amountCents,
        kind: 'voorschot',
        description: `voorschot ${a.due.slice(5, 7)}`,
      })),
    );
    await q
      .insertInto('funding_cost_line')
      .values(
        PILOT.costs.map((x) => ({
          contract_id: id,
          region_id: 'twente',
          provider_id: pilotProvider,
          year,
          category: x.category,
          amount_cents: x.cents,
          eligible: x.eligible,
        })),
      )
      .modifyEnd(DEMO)
      .execute();
  }
  if (payments.length) await q.insertInto('funding_payment').values(payments).modifyEnd(DEMO).execute();
  if (figures.length) await q.insertInto('funding_figure').values(figures).modifyEnd(DEMO).execute();
}
