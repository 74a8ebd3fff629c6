// The calculator's workflows: the model's rules over the store's rows. Routes, the CLI and the demo call these.
import type { Db } from '../db/index.ts';
import { AppError, badRequest } from '../core/errors.ts';
import { productBook, regionDetail } from '../catalog/index.ts';
import {
  buildGezinshuisTariff,
  buildProductTariff,
  classifyGroups,
  euro,
  groupBandProduct,
  mapBandProducts,
  usesBands,
  type BandMapping,
  type BookEntry,
  indexCents,
  indexFactor,
  num,
  TariffInputError,
  UNIT_CODE,
  validateBandTable,
  weightedIndex,
  type BandTableBody,
  type BuildUp,
  type GezinshuisInput,
  type IndexComponent,
  type NormSetBody,
} from './model.ts';
import * as store from './store.ts';
import type { Scenario } from './impact.ts';

/** A model error becomes a 400 that names the field. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TariffInputError) throw badRequest(e.message, e.field);
    throw e;
  }
}

export const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

// --- tariff sets -------------------------------------------------------------------------------------------------

export interface Skipped {
  code: string;
  reason: string;
}

/** The region's product book on a date with what the band mapping needs (which segments the region buys itself). */
export async function bookForBands(
  db: Db,
  regionId: string,
  date: string,
): Promise<{ regionName: string; book: (BookEntry & { tariffCents: number | null })[] }> {
  const region = await regionDetail(db, regionId);
  const procured = new Map<string, boolean>((region?.segments ?? []).map((s: any) => [s.code, s.procuredByRegion !== false]));
  const book = (await productBook(db, regionId, date)).map((p: any) => ({
    code: p.code,
    name: p.name,
    unit: p.unit,
    segmentName: p.segmentName,
    topSegmentCode: p.topSegmentCode,
    topSegmentName: p.topSegmentName,
    // a sub-segment is bought by the region when it and its top segment are
    procuredByRegion: (procured.get(p.segmentCode) ?? true) && (procured.get(p.topSegmentCode) ?? true),
    tariffCents: p.tariffCents,
  }));
  return { regionName: region?.name ?? regionId, book };
}

/** A tariff set from the cost-price model: the norm set's products, the band table's bands and the standard gezinshuis. */
export async function createCostPriceSet(
  db: Db,
  regionId: string,
  input: { name: string; validFrom: string; normSetId?: number; bandTableId?: number | null; description?: string },
  accountId: number | null,
) {
  const norm = await store.getNormSet(db, regionId, input.normSetId);
  const bandTable = input.bandTableId ? await store.getBandTable(db, regionId, { id: input.bandTableId, date: input.validFrom, onlyAdopted: false }) : null;
  if (input.bandTableId && !bandTable) throw badRequest(`Klassentabel ${input.bandTableId} bestaat niet in deze regio`, 'bandTableId');
  const book = new Map((await productBook(db, regionId, input.validFrom)).map((p) => [p.code, p]));
  const forBands = bandTable ? await bookForBands(db, regionId, input.validFrom) : null;
  const lines = new Map<number, { productId: number; amountCents: number; basis: string; buildUp: BuildUp | null }>();
  const skipped: Skipped[] = [];
  const add = (code: string, unitCode: string, b: BuildUp, basis: string) => {
    const p = book.get(code);
    if (!p) {
      skipped.push({ code, reason: `staat op ${input.validFrom} niet in het productenboek` });
      return;
    }
    if (p.unit !== unitCode) {
      skipped.push({ code, reason: `eenheid in het productenboek is ${p.unitName}, de norm rekent per ${b.unit}` });
      return;
    }
    lines.set(p.id, { productId: p.id, amountCents: b.tariffCents, basis, buildUp: b });
  };
  guard(() => {
    for (const p of norm.body.products) add(p.code, UNIT_CODE[p.unit], buildProductTariff(norm.body, p), `kostprijs: normenset ${norm.name} v${norm.version}`);
    if (norm.body.gezinshuis)
      add(
        norm.body.gezinshuis.code,
        '14',
        buildGezinshuisTariff(norm.body, norm.body.gezinshuis, norm.body.gezinshuis.code),
        `gezinshuis: ${norm.body.gezinshuis.name}`,
      );
    if (bandTable) {
      const { tariffs } = validateBandTable(norm.body, bandTable.body);
      const mapping = mapBandProducts(bandTable.body.bands, forBands!.book, forBands!.regionName);
      bandTable.body.bands.forEach((b, i) => {
        // a band without a product the region buys (not in the book, or LTA bought nationally) gets no tariff line
        if (mapping[i].problem) skipped.push({ code: b.productCode, reason: mapping[i].problem! });
        else add(b.productCode, '14', tariffs[i], `klasse ${b.name} (vanaf ${num(b.lowerLimit)} uur), ${bandTable.name} v${bandTable.version}`);
      });
    }
  });
  const id = await store.insertSet(
    db,
    regionId,
    {
      name: input.name,
      validFrom: input.validFrom,
      origin: 'kostprijs',
      normSetId: norm.id,
      bandTableId: bandTable?.id ?? null,
      description: input.description ?? `Kostprijsmodel met ${norm.body.label}${bandTable ? ` en ${bandTable.name} versie ${bandTable.version}` : ''}`,
      lines: [...lines.values()],
    },
    accountId,
  );
  return { id, lines: lines.size, skipped };
}

/** The factor for `year` from the region's indices: provisional of that year, corrected for last year's definitive. */
export async function yearFactor(db: Db, regionId: string, year: number) {
  const indices = await store.listIndices(db, regionId);
  const find = (y: number, kind: string) => indices.find((i) => i.year === y && i.kind === kind);
  const prov = find(year, 'voorlopig');
  if (!prov) throw badRequest(`Er is geen voorlopige index voor ${year}: leg die eerst vast`, 'year');
  const prevProv = find(year - 1, 'voorlopig'),
    prevDef = find(year - 1, 'definitief');
  const correction = prevProv && prevDef ? { provisionalPct: prevProv.weightedPct, definitivePct: prevDef.weightedPct } : undefined;
  const factor = indexFactor(prov.weightedPct, correction);
  const text =
    `voorlopige index ${year} ${num(prov.weightedPct, 4)}%` +
    (correction
      ? `, met nacalculatie ${year - 1} (definitief ${num(correction.definitivePct, 4)}% i.p.v. voorlopig ${num(correction.provisionalPct, 4)}%)`
      : '');
  return { factor, text };
}

/** Next year's tariffs: a set (or the product book on 31 December) indexed with the year's factor. */
export async function createIndexedSet(db: Db, regionId: string, input: { year: number; baseSetId?: number | null; name?: string }, accountId: number | null) {
  const validFrom = `${input.year}-01-01`;
  const { factor, text } = await yearFactor(db, regionId, input.year);
  let base: { productId: number; amountCents: number }[], baseName: string;
  if (input.baseSetId) {
    const set = await store.getSet(db, regionId, input.baseSetId, true);
    if (set.validFrom >= validFrom) throw badRequest(`Tariefset ${set.id} geldt vanaf ${set.validFrom}: index een set van vóór ${input.year}`, 'baseSetId');
    base = await store.setLines(db, set.id, false);
    baseName = `tariefset ${set.id} (${set.name})`;
  } else {
    base = await store.catalogueTariffs(db, regionId, dayBefore(validFrom));
    baseName = `productenboek op ${dayBefore(validFrom)}`;
  }
  const lines = base.map((l) => ({
    productId: l.productId,
    amountCents: indexCents(l.amountCents, factor),
    basis: `${euro(l.amountCents)} × ${num(factor, 6)}`,
    buildUp: null,
  }));
  const id = await store.insertSet(
    db,
    regionId,
    {
      name: input.name ?? `Indexatie ${input.year}`,
      validFrom,
      origin: 'indexatie',
      baseSetId: input.baseSetId ?? null,
      indexFactor: factor.toDecimalPlaces(10).toString(),
      description: `${baseName} × ${num(factor, 6)}: ${text}`,
      lines,
    },
    accountId,
  );
  return { id, lines: lines.length, factor: factor.toString() };
}

export async function addIndex(
  db: Db,
  regionId: string,
  input: { year: number; kind: 'voorlopig' | 'definitief'; components: IndexComponent[]; source?: string },
  accountId: number | null,
) {
  const weighted = guard(() => weightedIndex(input.components));
  const id = await store.insertIndex(db, regionId, { ...input, weightedPct: weighted.toDecimalPlaces(4).toString(), source: input.source ?? '' }, accountId);
  return { id, weightedPct: weighted.toDecimalPlaces(4).toString() };
}

/** 'gedeclareerd' or a set id → the scenario the impact query prices with. */
export async function scenario(db: Db, regionId: string, spec: string, includeConcepts: boolean, field = 'querystring'): Promise<Scenario> {
  if (spec === 'gedeclareerd') return { kind: 'gedeclareerd' };
  const id = Number(spec);
  if (!Number.isInteger(id) || id <= 0) throw badRequest(`'${spec}' is geen tariefset; kies een nummer of 'gedeclareerd'`, field);
  const set = await store.getSet(db, regionId, id, includeConcepts);
  const lines = await store.setLines(db, id, false);
  return { kind: 'set', id, name: set.name, validFrom: set.validFrom, status: set.status, tariffs: new Map(lines.map((l) => [l.productId, l.amountCents])) };
}

/** The default comparison: the newest published set against the newest concept, else what was declared. */
export async function defaultScenarios(db: Db, regionId: string, includeConcepts: boolean) {
  const sets = await store.listSets(db, regionId, includeConcepts);
  const published = sets.find((s) => s.status === 'gepubliceerd');
  const proposed = sets.find((s) => s.status !== 'gepubliceerd' && s.id !== published?.id) ?? sets[0];
  return {
    baseline: published && proposed && published.id !== proposed.id ? String(published.id) : 'gedeclareerd',
    proposed: proposed ? String(proposed.id) : 'gedeclareerd',
  };
}

// --- bands and groups ----------------------------------------------------------------------------------------------

export interface ClassifiedGroup {
  id: number;
  name: string;
  groupType: string;
  providerId: number;
  providerName: string;
  locationName: string;
  places: number;
  hoursPerWeek: string | null;
  productCode: string | null;
  intensity: string | null;
  /** productCode: the region's product for this group in this band; null with the reason in `problem` when there is none */
  before: { band: string; name: string; productCode: string | null; tariffCents: number; problem: string | null } | null;
  after: { band: string; name: string; productCode: string | null; tariffCents: number; problem: string | null } | null;
  changed: boolean;
}
/** Groups of a covered type that keep their own product (e.g. a crisis group: the crisis bed product), not a band. */
export interface OwnProductGroup {
  id: number;
  name: string;
  groupType: string;
  providerName: string;
  locationName: string;
  places: number;
  productCode: string | null;
  productName: string | null;
  tariffCents: number | null;
}

/**
 * Classifies the groups a band table covers, with a before (another table, e.g. the one in force) and an after.
 * The tariffs per band come from the norms; groups outside the table's group types are left out.
 */
export function classifyWithTables(
  norms: NormSetBody,
  groups: store.GroupRow[],
  after: BandTableBody,
  before: { norms: NormSetBody; body: BandTableBody } | null,
  region: { regionName: string; book: (BookEntry & { tariffCents?: number | null })[] } = { regionName: '', book: [] },
): {
  bands: {
    code: string;
    name: string;
    lowerLimit: string;
    upperLimit: string | null;
    productCode: string;
    tariff: BuildUp;
    groups: number;
    mapping: BandMapping;
  }[];
  groups: ClassifiedGroup[];
  changed: number;
  ownProduct: OwnProductGroup[];
} {
  return guard(() => {
    const { tariffs } = validateBandTable(norms, after);
    const beforeTariffs = before ? validateBandTable(before.norms, before.body).tariffs : [];
    const { book } = region;
    const mapping = mapBandProducts(after.bands, book, region.regionName);
    const beforeMapping = before ? mapBandProducts(before.body.bands, book, region.regionName) : [];
    const ofType = groups.filter((g) => after.groupTypes.includes(g.groupType) || (before?.body.groupTypes.includes(g.groupType) ?? false));
    // with a product book, a group whose own product lies in a segment no band maps to keeps that product
    const banded = (g: store.GroupRow) => !book.length || usesBands(g.productCode, mapping, book);
    const covered = ofType.filter(banded);
    const ownProduct: OwnProductGroup[] = ofType
      .filter((g) => !banded(g))
      .map((g) => {
        const p = book.find((x) => x.code === g.productCode);
        return {
          id: g.id,
          name: g.name,
          groupType: g.groupType,
          providerName: g.providerName,
          locationName: g.locationName,
          places: g.places,
          productCode: g.productCode,
          productName: p?.name ?? null,
          tariffCents: p?.tariffCents ?? null,
        };
      });
    const productFor = (g: store.GroupRow, m: BandMapping | undefined) =>
      m && book.length ? groupBandProduct(g.productCode, m, book) : { productCode: m?.productCode ?? null, problem: null };
    const input = covered.map((g) => ({ id: g.id, hoursPerWeek: g.hoursPerWeek, places: g.places }));
    const a = classifyGroups(after.bands, input);
    const b = before ? classifyGroups(before.body.bands, input) : null;
    const out: ClassifiedGroup[] = covered.map((g, i) => {
      const ai = after.groupTypes.includes(g.groupType) ? a[i].band : -1;
      const bi = b && before!.body.groupTypes.includes(g.groupType) ? b[i].band : -1;
      const afterBand =
        ai >= 0 ? { band: after.bands[ai].code, name: after.bands[ai].name, ...productFor(g, mapping[ai]), tariffCents: tariffs[ai].tariffCents } : null;
      const beforeBand =
        b && bi >= 0
          ? {
              band: before!.body.bands[bi].code,
              name: before!.body.bands[bi].name,
              ...productFor(g, beforeMapping[bi]),
              tariffCents: beforeTariffs[bi].tariffCents,
            }
          : null;
      const changed = !!before && (beforeBand?.band !== afterBand?.band || beforeBand?.tariffCents !== afterBand?.tariffCents);
      return { ...g, intensity: a[i].intensity, before: beforeBand, after: afterBand, changed };
    });
    const bands = after.bands.map((band, i) => ({
      code: band.code,
      name: band.name,
      lowerLimit: band.lowerLimit,
      upperLimit: after.bands[i + 1]?.lowerLimit ?? null,
      productCode: band.productCode,
      tariff: tariffs[i],
      groups: out.filter((g) => g.after?.band === band.code).length,
      mapping: mapping[i],
    }));
    return { bands, groups: out, changed: out.filter((g) => g.changed).length, ownProduct };
  });
}

export async function bandView(db: Db, regionId: string, providerId: number | null, opts: { id?: number; date: string; onlyAdopted: boolean }) {
  const table = await store.getBandTable(db, regionId, opts);
  if (!table)
    throw new AppError(
      404,
      'Niet gevonden',
      opts.id ? `Klassentabel ${opts.id} bestaat niet of is voor u niet zichtbaar` : `Er is op ${opts.date} geen vastgestelde klassentabel`,
    );
  const norm = await store.getNormSet(db, regionId, table.normSetId);
  const groups = await store.listGroups(db, regionId, providerId, null);
  const region = await bookForBands(db, regionId, opts.date);
  const result = classifyWithTables(norm.body, groups, table.body, null, region);
  return {
    /** the region's products per etmaal: the screen maps an edited band table with the same rule (model.ts mapBandProducts) */
    regionName: region.regionName,
    book: region.book.filter((p) => p.unit === '14'),
    table: {
      id: table.id,
      name: table.name,
      version: table.version,
      validFrom: table.validFrom,
      status: table.status,
      note: table.note,
      normSetId: norm.id,
      normSetLabel: norm.body.label,
      body: table.body,
    },
    ...result,
    /** Groups of a covered type without a roster: they cannot be classified. */
    unclassified: result.groups.filter((g) => g.after === null).length,
  };
}

/** Before/after of a proposed band table against a table (default: the one in force on the proposal's date). */
/**
 * Before/after of a proposed band table against a table (default: the one in force on the proposal's date).
 * The proposal is priced with its norm set, by default the norm set of the table it is compared with.
 */
export async function bandPreview(
  db: Db,
  regionId: string,
  providerId: number | null,
  proposal: { normSetId?: number; validFrom: string; body: BandTableBody; compareTo?: number | null },
) {
  const current = await store.getBandTable(db, regionId, { id: proposal.compareTo ?? undefined, date: proposal.validFrom, onlyAdopted: !proposal.compareTo });
  if (proposal.compareTo && !current) throw badRequest(`Klassentabel ${proposal.compareTo} bestaat niet in deze regio`, 'compareTo');
  const currentNorm = current ? await store.getNormSet(db, regionId, current.normSetId) : null;
  const norm = proposal.normSetId || !currentNorm ? await store.getNormSet(db, regionId, proposal.normSetId) : currentNorm;
  const groups = await store.listGroups(db, regionId, providerId, null);
  const result = classifyWithTables(
    norm.body,
    groups,
    proposal.body,
    current && currentNorm ? { norms: currentNorm.body, body: current.body } : null,
    await bookForBands(db, regionId, proposal.validFrom),
  );
  return {
    normSetId: norm.id,
    compareTo: current ? { id: current.id, name: current.name, version: current.version, validFrom: current.validFrom } : null,
    ...result,
  };
}

// --- gezinshuizen ----------------------------------------------------------------------------------------------------

export async function saveHomeTariff(
  db: Db,
  regionId: string,
  input: { groupId: number; validFrom: string; normSetId?: number; home: GezinshuisInput },
  accountId: number | null,
) {
  const group = await store.groupOfRegion(db, regionId, input.groupId, 'gezinshuis');
  if (input.home.places !== group.places) throw badRequest(`Dit gezinshuis heeft ${group.places} plaatsen, niet ${input.home.places}`, 'home.places');
  const norm = await store.getNormSet(db, regionId, input.normSetId);
  const buildUp = guard(() => buildGezinshuisTariff(norm.body, input.home, norm.body.gezinshuis?.code ?? '43A10'));
  const id = await store.insertHomeTariff(db, { groupId: group.id, validFrom: input.validFrom, normSetId: norm.id, input: input.home, buildUp }, accountId);
  return { id, tariffCents: buildUp.tariffCents, buildUp };
}
