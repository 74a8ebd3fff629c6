// What the demo data must add up to, per region: amounts and clients per segment (or product group)
// and municipality, and the provider structure. Calibrated regions take their figures from figures.json
// (a copy of the regions' published figures, the team's shared/domain/figures.json); everything else is an assumption and says so.
import figures from './figures.json' with { type: 'json' };
import { allocateCents } from '../core/money.ts';
import type { MunicipalityRef } from '../catalog/index.ts';

/**
 * How a target finds its youths in a municipality:
 * - primary: new youths, disjoint from the other primary targets (residential care, crisis);
 * - ambulant: `overlap` of its clients are youths of the primary targets, the rest are new;
 * - secondary: youths that already exist (no new persons), e.g. JB/JR next to other care.
 */
export type Pool = { kind: 'primary' } | { kind: 'ambulant'; overlap: number[] } | { kind: 'secondary' };

export interface Target {
  segment: string; // segment code the products belong to (top-level)
  products: { code: string; weight: number }[]; // client mix
  amountCents: number[]; // per municipality (index into region municipalities)
  clients: number[]; // per municipality
  pool: Pool;
  /** Youths who count in two municipalities (moved in the year, woonplaatsbeginsel): per municipality, the
   *  clients that are youths of another municipality of the same target. The published per-municipality
   *  counts add up to more than the region's de-duplicated total; these movers are the difference. */
  movers?: number[];
}

export interface ProviderPlan {
  segment: string;
  count: number;
  topCostsEur?: number[]; // published top providers by cost (figures.json), in rank order
  shared?: number; // take the first N providers of the region (systeemaanbieders)
  reuseFrom?: { segment: string; count: number }; // also take N providers of another segment's own providers
  tailAlpha?: number; // long tail: weight ∝ 1/(rank+1)^alpha
}

export interface RegionTargets {
  year: number;
  targets: Target[];
  providers: ProviderPlan[];
  providerCount: number;
}

const cents = (eur: number) => Math.round(eur * 100);

/** Split an integer over weights exactly. */
const split = (total: number, weights: number[]) => allocateCents(total, weights);

/** Match figures.json names to municipalities (the CSV says "Hengelo (O.)"). */
function indexByName(ms: MunicipalityRef[]) {
  return (name: string) => {
    const i = ms.findIndex((m) => m.name === name || m.name.replace(/ \(.*\)$/, '') === name);
    if (i < 0) throw new Error(`Gemeente '${name}' uit figures.json niet gevonden`);
    return i;
  };
}

// Approximate number of inhabitants (thousands), only as weights to spread regional totals over
// municipalities where no published split exists. Assumption, rounded.
const POPULATION_K: Record<string, number> = {
  Apeldoorn: 165,
  Brummen: 21,
  Epe: 33,
  Hattem: 12.5,
  Heerde: 19,
  Lochem: 34,
  Voorst: 25,
  Zutphen: 48,
  Aalten: 27,
  Berkelland: 44,
  Bronckhorst: 37,
  Doetinchem: 58,
  Montferland: 36,
  'Oost Gelre': 30,
  'Oude IJsselstreek': 40,
  Winterswijk: 29,
};

export function twenteTargets(ms: MunicipalityRef[]): RegionTargets {
  const t = figures.twente;
  const idx = indexByName(ms);
  const rows = (seg: 'Wonen' | 'Verblijf' | 'Crisis') => {
    const amount = new Array(ms.length).fill(0),
      clients = new Array(ms.length).fill(0);
    for (const [name, c, eur] of t.per_municipality[seg].rows as [string, number, number, number][]) {
      amount[idx(name)] = cents(eur);
      clients[idx(name)] = c;
    }
    return { amount, clients };
  };
  const won = rows('Wonen'),
    vbl = rows('Verblijf'),
    cri = rows('Crisis');
  const nonAmb = ms.map((_, i) => won.clients[i] + vbl.clients[i] + cri.clients[i]);
  // movers: sum of the municipal counts minus the region's de-duplicated total, spread over all but the first municipality
  const movers = (seg: 'Wonen' | 'Verblijf' | 'Crisis', clients: number[]) => {
    const extra = clients.reduce((a, b) => a + b, 0) - t.per_municipality[seg].total[0];
    return extra > 0
      ? split(
          extra,
          clients.map((c, i) => (i === 0 ? 0 : c)),
        )
      : undefined;
  };
  const dedupNonAmb = t.per_municipality.Wonen.total[0] + t.per_municipality.Verblijf.total[0] + t.per_municipality.Crisis.total[0];
  const seg = t.costs_by_segment_million_eur;
  // Ambulant has no published split per municipality: spread by the other segments' clients (assumption).
  const ambClients = split(t.per_municipality.Ambulant.clients_approx, nonAmb);
  const ambAmount = split(cents(seg.Ambulant * 1e6), nonAmb);
  // Persons are de-duplicated: 15,628 = residential/crisis clients + ambulant clients − youths in both.
  const overlapTotal = dedupNonAmb + t.per_municipality.Ambulant.clients_approx - t.persons_with_youth_care;
  const overlap = split(overlapTotal, nonAmb);
  // Segments not bought by the region: amounts published, clients not; they are youths already in care (assumption).
  const other = (eurM: number, clientsTotal: number) => ({ amount: split(cents(eurM * 1e6), nonAmb), clients: split(clientsTotal, nonAmb) });
  const lta = other(seg.LTA, 120),
    jbjr = other(seg['JB/JR'], 1100),
    ovr = other(seg.Overige, 700);
  return {
    year: t.year,
    providerCount: t.active_providers, // 354
    targets: [
      {
        segment: 'WON',
        products: [
          { code: '44B06', weight: 0.55 },
          { code: '43A10', weight: 0.25 },
          { code: '43A36', weight: 0.2 },
        ],
        amountCents: won.amount,
        clients: won.clients,
        pool: { kind: 'primary' },
        movers: movers('Wonen', won.clients),
      },
      {
        segment: 'VBL',
        products: [
          { code: '43A37', weight: 0.45 },
          { code: '43A38', weight: 0.25 },
          { code: '43A06', weight: 0.08 },
          { code: '43A11', weight: 0.22 },
        ],
        amountCents: vbl.amount,
        clients: vbl.clients,
        pool: { kind: 'primary' },
        movers: movers('Verblijf', vbl.clients),
      },
      {
        segment: 'CRI',
        products: [
          { code: '46A03', weight: 0.6 },
          { code: '46A01', weight: 0.4 },
        ],
        amountCents: cri.amount,
        clients: cri.clients,
        pool: { kind: 'primary' },
        movers: movers('Crisis', cri.clients),
      },
      {
        segment: 'AMB',
        products: [
          { code: '45A53', weight: 0.45 },
          { code: '45A52', weight: 0.3 },
          { code: '45A51', weight: 0.15 },
          { code: '45A06', weight: 0.1 },
        ],
        amountCents: ambAmount,
        clients: ambClients,
        pool: { kind: 'ambulant', overlap },
      },
      { segment: 'LTA', products: [{ code: '43A39', weight: 1 }], amountCents: lta.amount, clients: lta.clients, pool: { kind: 'secondary' } },
      {
        segment: 'JBJR',
        products: [
          { code: '48A05', weight: 0.7 },
          { code: '48A06', weight: 0.3 },
        ],
        amountCents: jbjr.amount,
        clients: jbjr.clients,
        pool: { kind: 'secondary' },
      },
      { segment: 'OVR', products: [{ code: '41A24', weight: 1 }], amountCents: ovr.amount, clients: ovr.clients, pool: { kind: 'secondary' } },
    ],
    // Provider counts per segment as published (003 §7): Ambulant 270, Verblijf 83, Wonen 46, Crisis 7;
    // 354 distinct in all. Systeemaanbieders (the first 14) work in several segments.
    providers: [
      { segment: 'AMB', count: 270, shared: 14, topCostsEur: t.per_municipality.Ambulant.top10_providers_by_cost_eur },
      { segment: 'VBL', count: 83, shared: 14, topCostsEur: t.per_municipality.Verblijf.top10_providers_by_cost_eur },
      { segment: 'WON', count: 46, shared: 14, reuseFrom: { segment: 'VBL', count: 20 }, topCostsEur: t.per_municipality.Wonen.top10_providers_by_cost_eur },
      { segment: 'CRI', count: 7, shared: 7, topCostsEur: [...t.per_municipality.Crisis.top_providers_by_cost_eur, 10_000] },
      { segment: 'LTA', count: 3, shared: 3 },
      { segment: 'JBJR', count: 3 },
      { segment: 'OVR', count: 20, reuseFrom: { segment: 'AMB', count: 20 } },
    ],
  };
}

export function mijovTargets(ms: MunicipalityRef[]): RegionTargets {
  const f = figures.midden_ijssel_oost_veluwe;
  const w = ms.map((m) => POPULATION_K[m.name] ?? 20);
  const g = f.spending_by_product_group_eur as unknown as Record<string, number>;
  // Average cost per client per product group: assumptions that give ~9,500 persons for € 98.7 mln.
  const target = (group: string, segment: string, products: string[], avgEur: number, pool: Pool['kind'], overlapShare = 0): Target => {
    const amountCents = split(cents(g[group]), w);
    const clients = split(Math.round(g[group] / avgEur), w).map((c) => Math.max(1, c)); // every municipality with money has a client
    const p: Pool = pool === 'ambulant' ? { kind: 'ambulant', overlap: clients.map((c) => Math.round(c * overlapShare)) } : ({ kind: pool } as Pool);
    return { segment, products: products.map((code) => ({ code, weight: 1 / products.length })), amountCents, clients, pool: p };
  };
  return {
    year: f.year,
    providerCount: f.contracted_providers_approx,
    targets: [
      target('Verblijf/Wonen', 'VW', ['43A36', '43A10'], 42_000, 'primary'),
      target('Wonen en verblijf Groep met begeleiding', 'VW', ['44A06'], 38_000, 'primary'),
      target('Wonen en verblijf Individueel met begeleiding', 'VW', ['44A32'], 13_000, 'primary'),
      target('Wonen en verblijf Crisis', 'CRI', ['46A03'], 7_500, 'primary'),
      target('Behandeling', 'AMB', ['45A53', '45A51'], 6_500, 'ambulant', 0.08),
      target('Begeleiding individueel', 'AMB', ['45A52'], 7_000, 'ambulant', 0.35),
      target('Begeleiding groep', 'AMB', ['41A23'], 5_500, 'secondary'),
      target('Begeleiding crisis', 'CRI', ['46A01'], 3_000, 'secondary'),
      target('Respijtopvang jeugd', 'RSP', ['43A11'], 6_000, 'secondary'),
      target('Opslag kindplaats', 'VW', ['45A60'], 1_500, 'secondary'),
      target('Vervoer plus', 'AMB', ['42A03'], 2_500, 'secondary'),
      target('Zorgcoördinatie', 'AMB', ['45A75'], 1_200, 'secondary'),
    ],
    // Open House: ~300 contracted providers; a long tail in ambulant care (assumption for the split).
    providers: [
      { segment: 'AMB', count: 240, shared: 10, tailAlpha: 1.15 },
      { segment: 'VW', count: 55, shared: 10, tailAlpha: 1.2 },
      { segment: 'CRI', count: 6, shared: 4, tailAlpha: 1.0 },
      { segment: 'RSP', count: 25, reuseFrom: { segment: 'VW', count: 20 }, tailAlpha: 1.0 },
    ],
  };
}

export function achterhoekTargets(ms: MunicipalityRef[]): RegionTargets {
  // Assumption (no published totals): ~€ 64 mln in 2023 for ~390,000 inhabitants, split over the four segments.
  const w = ms.map((m) => POPULATION_K[m.name] ?? 20);
  const t = (segment: string, eurM: number, clientsTotal: number, products: { code: string; weight: number }[], pool: Pool): Target => ({
    segment,
    products,
    amountCents: split(cents(eurM * 1e6), w),
    clients: split(clientsTotal, w),
    pool,
  });
  const amb = split(5600, w);
  return {
    year: 2023,
    providerCount: 60,
    targets: [
      t(
        'GWV',
        14.5,
        520,
        [
          { code: '44B06', weight: 0.55 },
          { code: '43A10', weight: 0.3 },
          { code: '43A36', weight: 0.15 },
        ],
        { kind: 'primary' },
      ),
      t(
        'VBH',
        17.0,
        400,
        [
          { code: '43A37', weight: 0.6 },
          { code: '43A38', weight: 0.4 },
        ],
        { kind: 'primary' },
      ),
      t(
        'CRI',
        3.5,
        420,
        [
          { code: '46A03', weight: 0.55 },
          { code: '46A01', weight: 0.45 },
        ],
        { kind: 'primary' },
      ),
      {
        segment: 'AMB',
        products: [
          { code: '45A53', weight: 0.55 },
          { code: '45A52', weight: 0.45 },
        ],
        amountCents: split(cents(29.0e6), w),
        clients: amb,
        pool: { kind: 'ambulant', overlap: amb.map((c) => Math.round(c * 0.07)) },
      },
    ],
    // 002: about 90% of gezins- en woonvormen comes from 13 providers.
    providers: [
      { segment: 'GWV', count: 16, shared: 4, tailAlpha: 0.35 },
      { segment: 'AMB', count: 40, shared: 4, tailAlpha: 1.0 },
      { segment: 'VBH', count: 8, shared: 4, tailAlpha: 0.8 },
      { segment: 'CRI', count: 3, shared: 3, tailAlpha: 0.5 },
    ],
  };
}

/** Generic targets for a region of the national benchmark set: Twente's shape, scaled to `youths` persons. */
export function genericTargets(ms: MunicipalityRef[], youths: number, rnd: () => number): RegionTargets {
  const w = ms.map(() => 0.3 + rnd() * 1.7);
  const persons = split(youths, w);
  const share = (f: number) => persons.map((p) => Math.max(1, Math.round(p * f)));
  const won = share(0.074),
    vbl = share(0.082),
    cri = share(0.042);
  const amb = persons.map((p, i) => Math.max(1, p - won[i] - vbl[i] - cri[i] + Math.round(p * 0.062)));
  const overlap = persons.map((p) => Math.round(p * 0.062));
  const money = (clients: number[], avgEur: number) => clients.map((c) => cents(c * avgEur));
  return {
    year: 2023,
    providerCount: Math.max(20, Math.round(youths / 45)),
    targets: [
      {
        segment: 'WON',
        products: [
          { code: '44B06', weight: 0.55 },
          { code: '43A10', weight: 0.25 },
          { code: '43A36', weight: 0.2 },
        ],
        amountCents: money(won, 25_700),
        clients: won,
        pool: { kind: 'primary' },
      },
      {
        segment: 'VBL',
        products: [
          { code: '43A37', weight: 0.45 },
          { code: '43A38', weight: 0.25 },
          { code: '43A06', weight: 0.08 },
          { code: '43A11', weight: 0.22 },
        ],
        amountCents: money(vbl, 43_300),
        clients: vbl,
        pool: { kind: 'primary' },
      },
      {
        segment: 'CRI',
        products: [
          { code: '46A03', weight: 0.6 },
          { code: '46A01', weight: 0.4 },
        ],
        amountCents: money(cri, 7_200),
        clients: cri,
        pool: { kind: 'primary' },
      },
      {
        segment: 'AMB',
        products: [
          { code: '45A53', weight: 0.45 },
          { code: '45A52', weight: 0.3 },
          { code: '45A51', weight: 0.15 },
          { code: '45A06', weight: 0.1 },
        ],
        amountCents: money(amb, 6_150),
        clients: amb,
        pool: { kind: 'ambulant', overlap },
      },
      { segment: 'AMB', products: [{ code: '45A52', weight: 1 }], amountCents: money(share(0.75), 2_500), clients: share(0.75), pool: { kind: 'secondary' } },
    ],
    providers: [
      { segment: 'AMB', count: Math.max(10, Math.round(youths / 58)), shared: 6 },
      { segment: 'VBL', count: Math.max(5, Math.round(youths / 190)), shared: 6 },
      { segment: 'WON', count: Math.max(4, Math.round(youths / 340)), shared: 6 },
      { segment: 'CRI', count: 4, shared: 4 },
    ],
  };
}
