// Region presets: segments with their funding form, and the region's product book (national codes,
// the region's own product names and groups) with example tariffs. Sources: seeds 002 (Achterhoek),
// 003 §6 and §9 (Twente), 004 ch. 6 and Bijlage 2 (Midden-IJssel/Oost-Veluwe).
// The tariffs are DEMO tariffs (tariff_set 'demo-<year>'): plausible per unit, not published figures.
import type { Db } from '../db/index.ts';
import { nationalProducts } from './reference.ts';

export type FundingForm = 'pq' | 'profiel' | 'traject' | 'beschikbaarheid' | 'lumpsum' | 'nacalculatie';
/** WJ756 Eenheid: 01 minuut, 04 uur, 14 etmaal, 16 dagdeel, 82 stuks (output), 83 euro, 84 stuks (inspanning). */
export type Unit = '01' | '04' | '14' | '16' | '82' | '83' | '84';

export interface SegmentPreset {
  code: string;
  name: string;
  fundingForm: FundingForm;
  description: string;
  parent?: string;
  precedence?: number;
  procuredByRegion?: boolean;
}
export interface ProductPreset {
  code: string;
  segment: string;
  name: string;
  productGroup: string;
  unit: Unit;
  tariffCents: number;
}
export interface RegionPreset {
  id: string;
  name: string;
  jeugdzorgregio: string;
  procurement: string;
  demoYear: number;
  segments: SegmentPreset[];
  products: ProductPreset[];
}

const twenteSegments: SegmentPreset[] = [
  {
    code: 'WON',
    name: 'Wonen',
    fundingForm: 'pq',
    description: 'Pleegzorg, gezinshuis en specialistisch wonen; voorrang pleegzorg > gezinshuis > specialistisch wonen (003 §6)',
  },
  { code: 'WON-PLZ', name: 'Pleegzorg', parent: 'WON', precedence: 1, fundingForm: 'pq', description: 'Pleegzorg' },
  { code: 'WON-GZH', name: 'Gezinshuis', parent: 'WON', precedence: 2, fundingForm: 'pq', description: 'Gezinshuizen' },
  { code: 'WON-SPW', name: 'Specialistisch wonen', parent: 'WON', precedence: 3, fundingForm: 'pq', description: 'Kleinschalig specialistisch wonen' },
  {
    code: 'VBL',
    name: 'Verblijf',
    fundingForm: 'pq',
    description: '24-uursverblijf met behandeling: JeugdzorgPlus, 3-milieus, behandelgroepen, logeren (003 §6)',
  },
  {
    code: 'AMB',
    name: 'Ambulant',
    fundingForm: 'pq',
    description: 'Ambulante jeugdhulp incl. dyslexie, medicatiecontrole, consultatie en diagnostiek; inspanningsgericht (003 §9)',
  },
  {
    code: 'CRI',
    name: 'Crisis',
    fundingForm: 'pq',
    description: '24/7 crisishulp; nu lumpsum én P*Q, beschikbaarheid met P*Q naar verbruik wordt onderzocht (003 segment crisis)',
  },
  { code: 'LTA', name: 'LTA', fundingForm: 'pq', procuredByRegion: false, description: 'Landelijk transitiearrangement: landelijk ingekocht' },
  {
    code: 'JBJR',
    name: 'JB/JR',
    fundingForm: 'traject',
    procuredByRegion: false,
    description: 'Jeugdbescherming en jeugdreclassering: niet door de regio ingekocht',
  },
  {
    code: 'OVR',
    name: 'Overige',
    fundingForm: 'lumpsum',
    procuredByRegion: false,
    description: 'Overige jeugdhulp en sociale basisinfrastructuur: niet door de regio ingekocht',
  },
];

const twenteProducts: ProductPreset[] = [
  { code: '44B06', segment: 'WON-PLZ', name: 'Pleegzorg voltijd inclusief toeslagen', productGroup: 'Pleegzorg', unit: '14', tariffCents: 9200 },
  { code: '43A10', segment: 'WON-GZH', name: 'Gezinshuis', productGroup: 'Gezinshuis', unit: '14', tariffCents: 20500 },
  { code: '43A36', segment: 'WON-SPW', name: 'Specialistisch wonen (middel)', productGroup: 'Specialistisch wonen', unit: '14', tariffCents: 29000 },
  { code: '43A37', segment: 'VBL', name: 'Behandelgroep (middelzwaar)', productGroup: 'Verblijf met behandeling', unit: '14', tariffCents: 38500 },
  { code: '43A38', segment: 'VBL', name: 'Behandelgroep (zwaar)', productGroup: 'Verblijf met behandeling', unit: '14', tariffCents: 45500 },
  { code: '43A06', segment: 'VBL', name: 'JeugdzorgPlus', productGroup: 'JeugdzorgPlus', unit: '14', tariffCents: 64000 },
  { code: '43A11', segment: 'VBL', name: 'Logeren', productGroup: 'Logeren', unit: '14', tariffCents: 21500 },
  { code: '45A53', segment: 'AMB', name: 'Ambulant specialistisch individueel', productGroup: 'Ambulant specialistisch', unit: '04', tariffCents: 11800 },
  { code: '45A52', segment: 'AMB', name: 'Ambulant regulier op locatie', productGroup: 'Ambulant regulier', unit: '04', tariffCents: 8400 },
  { code: '45A51', segment: 'AMB', name: 'Ambulant gezin/systeem', productGroup: 'Ambulant regulier', unit: '04', tariffCents: 10800 },
  { code: '45A06', segment: 'AMB', name: 'Diagnostiek', productGroup: 'Consultatie en diagnostiek', unit: '04', tariffCents: 12600 },
  { code: '46A03', segment: 'CRI', name: 'Crisisverblijf', productGroup: 'Crisis', unit: '14', tariffCents: 52500 },
  { code: '46A01', segment: 'CRI', name: 'Ambulante crisishulp', productGroup: 'Crisis', unit: '04', tariffCents: 14200 },
  { code: '43A39', segment: 'LTA', name: 'LTA verblijf (extra zwaar)', productGroup: 'LTA', unit: '14', tariffCents: 69000 },
  { code: '48A05', segment: 'JBJR', name: 'Ondertoezichtstelling', productGroup: 'Jeugdbescherming', unit: '14', tariffCents: 4200 },
  { code: '48A06', segment: 'JBJR', name: 'Voogdij', productGroup: 'Jeugdbescherming', unit: '14', tariffCents: 3800 },
  { code: '41A24', segment: 'OVR', name: 'Dagbesteding (zwaar)', productGroup: 'Overige', unit: '16', tariffCents: 7200 },
];

// Achterhoek (002): four segments, a few providers per segment, lumpsum per provider with a 3% bandwidth.
// Only "gezins- en woonvormen" is named in 002; the other three segment names are our assumption.
const achterhoekSegments: SegmentPreset[] = [
  {
    code: 'GWV',
    name: 'Gezins- en woonvormen',
    fundingForm: 'lumpsum',
    description: 'Pleegzorg, gezinshuizen en nieuwe woonvormen: zo thuis mogelijk opgroeien (002)',
  },
  { code: 'AMB', name: 'Ambulante jeugdhulp', fundingForm: 'lumpsum', description: 'Ambulante begeleiding en behandeling (segmentnaam: aanname)' },
  { code: 'VBH', name: 'Verblijf en behandeling', fundingForm: 'lumpsum', description: 'Verblijf met behandeling (segmentnaam: aanname)' },
  { code: 'CRI', name: 'Crisis', fundingForm: 'beschikbaarheid', description: 'Crisishulp, 24/7 beschikbaar (segmentnaam: aanname)' },
];
const achterhoekProducts: ProductPreset[] = [
  { code: '44B06', segment: 'GWV', name: 'Pleegzorg voltijd', productGroup: 'Pleegzorg', unit: '14', tariffCents: 9500 },
  { code: '43A10', segment: 'GWV', name: 'Gezinshuis', productGroup: 'Gezinshuis', unit: '14', tariffCents: 21000 },
  { code: '43A36', segment: 'GWV', name: 'Kleinschalige woonvorm', productGroup: 'Woonvormen', unit: '14', tariffCents: 30000 },
  { code: '45A53', segment: 'AMB', name: 'Ambulante behandeling', productGroup: 'Behandeling', unit: '04', tariffCents: 12000 },
  { code: '45A52', segment: 'AMB', name: 'Ambulante begeleiding', productGroup: 'Begeleiding', unit: '04', tariffCents: 8600 },
  { code: '43A37', segment: 'VBH', name: 'Behandelgroep (middelzwaar)', productGroup: 'Verblijf', unit: '14', tariffCents: 39500 },
  { code: '43A38', segment: 'VBH', name: 'Behandelgroep (zwaar)', productGroup: 'Verblijf', unit: '14', tariffCents: 47000 },
  { code: '46A03', segment: 'CRI', name: 'Crisisverblijf', productGroup: 'Crisis', unit: '14', tariffCents: 54000 },
  { code: '46A01', segment: 'CRI', name: 'Ambulante crisishulp', productGroup: 'Crisis', unit: '04', tariffCents: 14500 },
];

// Midden-IJssel/Oost-Veluwe (004): Open House, uniform tariffs per product, P*Q. The product groups are
// exactly the twelve of 004 Bijlage 2 (figures.json); the grouping into four segments is ours.
const mijovSegments: SegmentPreset[] = [
  { code: 'AMB', name: 'Ambulant', fundingForm: 'pq', description: 'Begeleiding, behandeling, zorgcoördinatie en vervoer; Open House, P*Q (004)' },
  { code: 'VW', name: 'Verblijf en wonen', fundingForm: 'pq', description: 'Verblijf, wonen en verblijf met begeleiding (004)' },
  { code: 'CRI', name: 'Crisis', fundingForm: 'pq', description: 'Begeleiding crisis en crisisverblijf (004)' },
  { code: 'RSP', name: 'Respijtzorg', fundingForm: 'pq', description: 'Respijtopvang jeugd (004)' },
];
const mijovProducts: ProductPreset[] = [
  { code: '45A52', segment: 'AMB', name: 'Begeleiding individueel', productGroup: 'Begeleiding individueel', unit: '04', tariffCents: 7900 },
  { code: '41A23', segment: 'AMB', name: 'Begeleiding groep', productGroup: 'Begeleiding groep', unit: '16', tariffCents: 6400 },
  { code: '45A53', segment: 'AMB', name: 'Behandeling individueel', productGroup: 'Behandeling', unit: '04', tariffCents: 11900 },
  { code: '45A51', segment: 'AMB', name: 'Behandeling gezin/systeem', productGroup: 'Behandeling', unit: '04', tariffCents: 11200 },
  { code: '45A75', segment: 'AMB', name: 'Zorgcoördinatie', productGroup: 'Zorgcoördinatie', unit: '04', tariffCents: 9600 },
  { code: '42A03', segment: 'AMB', name: 'Vervoer plus', productGroup: 'Vervoer plus', unit: '84', tariffCents: 2600 },
  { code: '43A36', segment: 'VW', name: 'Verblijf met behandeling', productGroup: 'Verblijf/Wonen', unit: '14', tariffCents: 31500 },
  { code: '43A10', segment: 'VW', name: 'Gezinshuis', productGroup: 'Verblijf/Wonen', unit: '14', tariffCents: 21000 },
  {
    code: '44A06',
    segment: 'VW',
    name: 'Wonen en verblijf groep met begeleiding',
    productGroup: 'Wonen en verblijf Groep met begeleiding',
    unit: '14',
    tariffCents: 24500,
  },
  {
    code: '44A32',
    segment: 'VW',
    name: 'Wonen en verblijf individueel met begeleiding',
    productGroup: 'Wonen en verblijf Individueel met begeleiding',
    unit: '14',
    tariffCents: 17500,
  },
  { code: '45A60', segment: 'VW', name: 'Opslag kindplaats', productGroup: 'Opslag kindplaats', unit: '14', tariffCents: 1600 },
  { code: '46A01', segment: 'CRI', name: 'Begeleiding crisis', productGroup: 'Begeleiding crisis', unit: '04', tariffCents: 13800 },
  { code: '46A03', segment: 'CRI', name: 'Wonen en verblijf crisis', productGroup: 'Wonen en verblijf Crisis', unit: '14', tariffCents: 49500 },
  { code: '43A11', segment: 'RSP', name: 'Respijtopvang jeugd', productGroup: 'Respijtopvang jeugd', unit: '14', tariffCents: 18500 },
];

export const REGION_PRESETS: Record<string, RegionPreset> = {
  twente: {
    id: 'twente',
    name: 'Twente',
    jeugdzorgregio: 'Twente',
    demoYear: 2021,
    procurement: 'OZJT / Samen14: nieuwe segmenten, per segment een contract- en bekostigingsvorm; ca. € 200 mln per jaar (003)',
    segments: twenteSegments,
    products: twenteProducts,
  },
  achterhoek: {
    id: 'achterhoek',
    name: 'Achterhoek',
    jeugdzorgregio: 'Achterhoek',
    demoYear: 2023,
    procurement: 'Vier segmenten, weinig aanbieders per segment, lumpsum per aanbieder met 3% bandbreedte en kwartaalgesprekken (002)',
    segments: achterhoekSegments,
    products: achterhoekProducts,
  },
  'midden-ijssel-oost-veluwe': {
    id: 'midden-ijssel-oost-veluwe',
    name: 'Midden-IJssel/Oost-Veluwe',
    jeugdzorgregio: 'Midden IJssel-Oost Veluwe',
    demoYear: 2023,
    procurement: 'Open House: elke aanbieder die aan de eisen voldoet kan toetreden; uniforme tarieven per product, P*Q (004)',
    segments: mijovSegments,
    products: mijovProducts,
  },
};
export const REGION_IDS = ['twente', 'achterhoek', 'midden-ijssel-oost-veluwe'] as const;
export type RegionId = (typeof REGION_IDS)[number];

export const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The preset for any jeugdzorgregio: the three real ones, or Twente's segments and products as a generic set (national benchmark data). */
export function presetFor(jeugdzorgregio: string, demoYear = 2023): RegionPreset {
  const real = Object.values(REGION_PRESETS).find((p) => p.jeugdzorgregio === jeugdzorgregio);
  if (real) return real;
  return {
    id: slug(jeugdzorgregio),
    name: jeugdzorgregio,
    jeugdzorgregio,
    demoYear,
    procurement: 'Generieke indeling (benchmarkdata): segmenten en producten als in Twente',
    segments: twenteSegments,
    products: twenteProducts,
  };
}

/** Idempotent: region, its municipalities, segments, product book and demo tariffs. */
export async function loadRegionPreset(db: Db, regionIdOrPreset: string | RegionPreset): Promise<void> {
  const p = typeof regionIdOrPreset === 'string' ? REGION_PRESETS[regionIdOrPreset] : regionIdOrPreset;
  if (!p) throw new Error(`Onbekende regio '${regionIdOrPreset}'; kies uit ${REGION_IDS.join(', ')}`);
  const national = new Map(nationalProducts().map((n) => [n.code, n]));
  await db.transaction(async (tx) => {
    const exists = await tx.query(`SELECT 1 FROM region WHERE id = $1`, [p.id]);
    if (exists.length) return;
    await tx.query(`INSERT INTO region (id, name, jeugdzorgregio, procurement, demo_year) VALUES ($1,$2,$3,$4,$5)`, [
      p.id,
      p.name,
      p.jeugdzorgregio,
      p.procurement,
      p.demoYear,
    ]);
    const updated = await tx.query(`UPDATE municipality SET region_id = $1 WHERE jeugdzorgregio = $2 RETURNING code`, [p.id, p.jeugdzorgregio]);
    if (!updated.length) throw new Error(`Geen gemeenten voor jeugdzorgregio '${p.jeugdzorgregio}': laad eerst de referentiegegevens`);
    const segId = new Map<string, number>();
    for (const [i, s] of p.segments.entries()) {
      const [{ id }] = await tx.query(
        `INSERT INTO segment (region_id, code, name, parent_id, funding_form, procured_by_region, precedence, description, sort_order)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
        [p.id, s.code, s.name, s.parent ? segId.get(s.parent) : null, s.fundingForm, s.procuredByRegion ?? true, s.precedence ?? null, s.description, i],
      );
      segId.set(s.code, id);
    }
    const from = `${p.demoYear}-01-01`;
    for (const pr of p.products) {
      const n = national.get(pr.code);
      if (!n) throw new Error(`Productcode ${pr.code} staat niet in de landelijke productcodelijst`);
      const variant = n.executionVariant === 'outputgericht' || n.executionVariant === 'taakgericht' ? n.executionVariant : 'inspanningsgericht';
      const [{ id }] = await tx.query(
        `INSERT INTO product (region_id, segment_id, category_code, code, name, product_group, unit, execution_variant, valid_from)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
        [p.id, segId.get(pr.segment), pr.code.slice(0, 2), pr.code, pr.name, pr.productGroup, pr.unit, variant, from],
      );
      await tx.query(`INSERT INTO tariff (product_id, valid_from, amount_cents, tariff_set) VALUES ($1,$2,$3,$4)`, [
        id,
        from,
        pr.tariffCents,
        `demo-${p.demoYear}`,
      ]);
    }
  });
}
