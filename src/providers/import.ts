// Importing a region's provider list (CSV or XLSX): map the columns, plan every row (new, changed, unchanged or
// refused, with field and line), and on commit store the accepted rows in one transaction. One row is a provider,
// optionally with one location; several rows of the same provider (same AGB, KvK or name) add its locations.
// Duplicates are caught by AGB and KvK, and by name similarity ("bedoelt u …?"), against the register and within
// the file. The dry run reads the database and writes nothing.
import type { Db } from '../db/index.ts';
import { typed, sql } from '../db/query.ts';
import type { Account, DataScope } from '../access/roles.ts';
import { AppError, forbidden, type FieldError } from '../core/errors.ts';
import { checkLocation, checkProvider, PROVIDER_TYPES, type ProviderInput } from './rules.ts';
import { normaliseName, ProviderMatcher, suggestion, SURE, eightDigits } from './match.ts';
import { readCsv, readXlsx, type Table } from './table.ts';
import { registerChanged } from '../placement/index.ts';
import { MAX_REPORTED_ERRORS, pauses, ROWS_PER_STATEMENT, yieldToEventLoop } from '../core/work.ts';

type FieldKey =
  | 'name'
  | 'tradeNames'
  | 'agbCode'
  | 'kvkNumber'
  | 'providerType'
  | 'mainContractor'
  | 'homeMunicipality'
  | 'locationName'
  | 'street'
  | 'houseNumber'
  | 'postcode'
  | 'city'
  | 'municipality';

export const IMPORT_FIELDS: { key: FieldKey; label: string; names: string[]; required?: boolean }[] = [
  {
    key: 'name',
    label: 'naam',
    names: ['naam', 'naam aanbieder', 'aanbieder', 'zorgaanbieder', 'statutaire naam', 'organisatie', 'name', 'naam zorgaanbieder'],
    required: true,
  },
  { key: 'tradeNames', label: 'handelsnamen', names: ['handelsnaam', 'handelsnamen', 'ook bekend als', 'trade names'] },
  { key: 'agbCode', label: 'AGB-code', names: ['agb', 'agb code', 'agbcode', 'agb code onderneming', 'agb zorgaanbieder'] },
  { key: 'kvkNumber', label: 'KvK-nummer', names: ['kvk', 'kvk nummer', 'kvknummer', 'kamer van koophandel'] },
  { key: 'providerType', label: 'soort', names: ['soort', 'type', 'soort aanbieder', 'type aanbieder'] },
  { key: 'mainContractor', label: 'hoofdaannemer', names: ['hoofdaannemer', 'hoofdaannemer agb', 'hoofdaannemer naam'] },
  { key: 'homeMunicipality', label: 'vestigingsgemeente', names: ['vestigingsgemeente', 'gemeente hoofdvestiging', 'statutaire zetel'] },
  { key: 'locationName', label: 'locatie', names: ['locatie', 'locatienaam', 'vestiging', 'naam locatie'] },
  { key: 'street', label: 'straat', names: ['straat', 'adres', 'straatnaam'] },
  { key: 'houseNumber', label: 'huisnummer', names: ['huisnummer', 'nummer', 'huisnr', 'nr'] },
  { key: 'postcode', label: 'postcode', names: ['postcode', 'pc'] },
  { key: 'city', label: 'plaats', names: ['plaats', 'woonplaats', 'vestigingsplaats', 'stad'] },
  { key: 'municipality', label: 'gemeente', names: ['gemeente', 'gemeentecode', 'cbs code', 'gemeente locatie'] },
];
const headerKey = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[_\-./]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Which column each field reads: the given mapping first, then the known column names. */
export function mapColumns(headers: string[], given: Record<string, string> = {}): { mapping: Partial<Record<FieldKey, string>>; errors: FieldError[] } {
  const mapping: Partial<Record<FieldKey, string>> = {};
  const errors: FieldError[] = [];
  const keys = headers.map(headerKey);
  for (const f of IMPORT_FIELDS) {
    const g = given[f.key];
    if (g !== undefined && g !== '') {
      if (!headers.includes(g)) errors.push({ field: `mapping.${f.key}`, detail: `kolom '${g}' staat niet in de kopregel` });
      else mapping[f.key] = g;
      continue;
    }
    if (g === '') continue; // explicitly not read
    const i = keys.findIndex((k) => f.names.includes(k));
    if (i >= 0) mapping[f.key] = headers[i];
  }
  if (!mapping.name && !errors.some((e) => e.field === 'mapping.name'))
    errors.push({ field: 'mapping.name', detail: "geen kolom voor de naam van de aanbieder: kies welke kolom 'naam' is" });
  return { mapping, errors };
}

export type RowStatus = 'nieuw' | 'gewijzigd' | 'ongewijzigd' | 'geweigerd';
export interface RowReport {
  line: number;
  status: RowStatus;
  name: string;
  providerId: number | null;
  changes: string[];
  location: 'nieuw' | 'gewijzigd' | 'ongewijzigd' | null;
  errors: FieldError[];
  suggestion: string;
}
export interface ImportResult {
  stage: 'kolommen' | 'proefrun' | 'opgeslagen';
  fileName: string;
  headers: string[];
  mapping: Partial<Record<FieldKey, string>>;
  fields: typeof IMPORT_FIELDS;
  mappingErrors: FieldError[];
  counts: {
    rows: number;
    nieuw: number;
    gewijzigd: number;
    ongewijzigd: number;
    geweigerd: number;
    providersNew: number;
    providersChanged: number;
    locationsNew: number;
    locationsChanged: number;
  };
  rows: RowReport[];
}

interface Existing {
  id: number;
  name: string;
  agbCode: string | null;
  kvkNumber: string | null;
  tradeNames: string[];
  providerType: string;
  mainContractorId: number | null;
  homeMunicipalityCode: string | null;
  registered: boolean;
  locations: { id: number; name: string; street: string; houseNumber: string; postcode: string | null; city: string; municipalityCode: string }[];
}

interface Planned {
  key: string;
  firstLine: number;
  existing: Existing | null;
  value: Required<ProviderInput>;
  mainRef: string;
  changes: string[];
  locations: {
    line: number;
    existingId: number | null;
    name: string;
    street: string;
    houseNumber: string;
    postcode: string | null;
    city: string;
    municipalityCode: string;
    changed: boolean;
  }[];
  newId?: number;
}

const splitNames = (s: string) =>
  s
    .split(/[;|\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
const typeOf = (s: string): string | null => {
  const t = s.trim().toLowerCase();
  if (!t) return 'overig';
  if ((PROVIDER_TYPES as readonly string[]).includes(t)) return t;
  if (t.startsWith('systeem')) return 'systeemaanbieder';
  if (t.startsWith('groot') || t.startsWith('grote')) return 'groot';
  if (t.startsWith('overig') || t.startsWith('klein')) return 'overig';
  return null;
};

export async function importProviderList(
  db: Db,
  scope: DataScope,
  account: Account | null,
  body: { fileName: string; format: 'csv' | 'xlsx'; content: string; mapping?: Record<string, string>; dryRun: boolean; validFrom?: string },
  today: string,
): Promise<ImportResult> {
  if (scope.providerId !== null || scope.municipalityCode !== null) throw forbidden('Alleen de regio leest een aanbiederslijst in');
  const table: Table = body.format === 'xlsx' ? await readXlsx(body.content) : await readCsv(body.content);
  // a yield between the steps below: a PGlite statement resolves without a turn of the event loop, so reading the
  // file's last slice, the register, the matcher over it and the municipalities ran as one stop of 100 ms with a
  // garbage collection in it (issue 14, sixth session)
  await yieldToEventLoop();
  if (table.rows.length > 20_000) throw new AppError(413, 'Bestand te groot', `${table.rows.length} regels; het maximum is 20.000 per bestand`, 'content');
  const { mapping, errors: mappingErrors } = mapColumns(table.headers, body.mapping);
  const empty = {
    rows: table.rows.length,
    nieuw: 0,
    gewijzigd: 0,
    ongewijzigd: 0,
    geweigerd: 0,
    providersNew: 0,
    providersChanged: 0,
    locationsNew: 0,
    locationsChanged: 0,
  };
  const base = { fileName: body.fileName, headers: table.headers, mapping, fields: IMPORT_FIELDS, mappingErrors };
  if (mappingErrors.length) return { ...base, stage: 'kolommen', counts: empty, rows: [] };

  const plan = await planImport(db, scope, table, mapping);
  const counts = { ...empty };
  for (const r of plan.reports) counts[r.status]++;
  counts.providersNew = plan.providers.filter((p) => !p.existing).length;
  counts.providersChanged = plan.providers.filter(
    (p) => p.existing && (p.changes.length || p.locations.some((l) => l.existingId === null || l.changed)),
  ).length;
  for (const r of plan.reports) {
    if (r.location === 'nieuw') counts.locationsNew++;
    if (r.location === 'gewijzigd') counts.locationsChanged++;
  }
  if (body.dryRun) return { ...base, stage: 'proefrun', counts, rows: reported(plan.reports) };
  await commit(db, scope, account, plan.providers, body.validFrom ?? today, body.fileName);
  const byKey = new Map(plan.providers.map((p) => [p.key, p]));
  for (const r of plan.reports) if (r.providerId === null && r.status === 'nieuw') r.providerId = byKey.get(plan.keyOfLine.get(r.line)!)?.newId ?? null;
  return { ...base, stage: 'opgeslagen', counts, rows: reported(plan.reports) };
}

/**
 * The rows the answer reports: every refused row and every row with a suggestion first, then new and changed ones,
 * at most REPORTED_ROWS, in file order; `counts` holds the totals. A 20,000-line file answered with every row was an
 * 8 MB body (issue 14); a row with its changes is about 400 bytes, so 500 rows keep the answer near 200 kB.
 */
const REPORTED_ROWS = MAX_REPORTED_ERRORS / 2;
function reported(reports: RowReport[]): RowReport[] {
  if (reports.length <= REPORTED_ROWS) return reports;
  const rank = (r: RowReport) => (r.status === 'geweigerd' ? 0 : r.suggestion ? 1 : r.status === 'ongewijzigd' ? 3 : 2);
  return [...reports]
    .sort((a, b) => rank(a) - rank(b) || a.line - b.line)
    .slice(0, REPORTED_ROWS)
    .sort((a, b) => a.line - b.line);
}

async function loadExisting(db: Db, regionId: string): Promise<Map<number, Existing>> {
  const q = typed(db);
  const providers = await q
    .selectFrom('provider as p')
    .leftJoin('provider_registration as r', (j) => j.onRef('r.provider_id', '=', 'p.id').on('r.region_id', '=', regionId))
    .select([
      'p.id',
      'p.name',
      'p.agb_code',
      'p.kvk_number',
      'p.trade_names',
      'p.provider_type',
      'p.main_contractor_id',
      'p.home_municipality_code',
      'r.provider_id as reg',
    ])
    .where((eb) =>
      eb.or([
        eb('p.id', 'in', eb.selectFrom('provider_registration').select('provider_id').where('region_id', '=', regionId)),
        eb('p.id', 'in', eb.selectFrom('contract').select('provider_id').where('region_id', '=', regionId)),
      ]),
    )
    .execute();
  await yieldToEventLoop();
  const out = new Map<number, Existing>();
  for (const p of providers) {
    out.set(p.id, {
      id: p.id,
      name: p.name,
      agbCode: p.agb_code?.trim() ?? null,
      kvkNumber: p.kvk_number?.trim() ?? null,
      tradeNames: p.trade_names,
      providerType: p.provider_type,
      mainContractorId: p.main_contractor_id,
      homeMunicipalityCode: p.home_municipality_code?.trim() ?? null,
      registered: p.reg !== null,
      locations: [],
    });
  }
  if (out.size) {
    await yieldToEventLoop();
    const locs = await q
      .selectFrom('location')
      .select(['id', 'provider_id', 'name', 'street', 'house_number', 'postcode', 'city', 'municipality_code'])
      .where('provider_id', 'in', [...out.keys()])
      .execute();
    for (const l of locs)
      out.get(l.provider_id)?.locations.push({
        id: l.id,
        name: l.name,
        street: l.street,
        houseNumber: l.house_number,
        postcode: l.postcode?.trim() ?? null,
        city: l.city,
        municipalityCode: l.municipality_code.trim(),
      });
  }
  return out;
}

/**
 * The codes also held by providers outside this region's register (AGB and KvK are unique nationally). In statements of
 * ROWS_PER_STATEMENT codes with a yield between: one statement with 20,000 codes held the embedded database, and so the
 * event loop, for about half a second (issue 14).
 */
async function codesElsewhere(db: Db, agbs: string[], kvks: string[], inRegister: Set<number>) {
  const q = typed(db);
  const hits: { id: number; name: string; agb_code: string | null; kvk_number: string | null }[] = [];
  for (const [column, codes] of [
    ['agb_code', [...new Set(agbs)]],
    ['kvk_number', [...new Set(kvks)]],
  ] as const) {
    for (let i = 0; i < codes.length; i += ROWS_PER_STATEMENT) {
      hits.push(
        ...(await q
          .selectFrom('provider')
          .select(['id', 'name', 'agb_code', 'kvk_number'])
          .where(column, 'in', codes.slice(i, i + ROWS_PER_STATEMENT))
          .execute()),
      );
      await yieldToEventLoop();
    }
  }
  return hits.filter((h) => !inRegister.has(h.id));
}

async function planImport(db: Db, scope: DataScope, table: Table, mapping: Partial<Record<FieldKey, string>>) {
  const col = Object.fromEntries(Object.entries(mapping).map(([k, h]) => [k, table.headers.indexOf(h!)])) as Partial<Record<FieldKey, number>>;
  const get = (cells: string[], k: FieldKey) => (col[k] !== undefined && col[k]! >= 0 ? (cells[col[k]!] ?? '').trim() : '');
  const existing = await loadExisting(db, scope.regionId);
  await yieldToEventLoop();
  const matcher = new ProviderMatcher([...existing.values()]);
  const byAgb = new Map([...existing.values()].filter((e) => e.agbCode).map((e) => [e.agbCode!, e]));
  const byKvk = new Map([...existing.values()].filter((e) => e.kvkNumber).map((e) => [e.kvkNumber!, e]));
  await yieldToEventLoop();
  const municipalities = await typed(db).selectFrom('municipality').select(['code', 'name']).execute();
  await yieldToEventLoop();
  const muniByName = new Map<string, string>();
  for (const m of municipalities) {
    muniByName.set(normaliseName(m.name), m.code.trim());
    muniByName.set(m.code.trim(), m.code.trim());
  }
  const muni = (s: string) => (s ? (muniByName.get(/^\d{1,4}$/.test(s) ? s.padStart(4, '0') : normaliseName(s)) ?? null) : null);

  const pause = pauses(); // a name is matched against the register and the file so far: yield every 20 ms of it
  const allAgb: string[] = [],
    allKvk: string[] = [];
  for (const r of table.rows) {
    await pause();
    const agb = eightDigits(get(r.cells, 'agbCode')),
      kvk = eightDigits(get(r.cells, 'kvkNumber'));
    if (agb) allAgb.push(agb);
    if (kvk) allKvk.push(kvk);
  }
  const elsewhere = await codesElsewhere(db, allAgb, allKvk, new Set(existing.keys()));
  const agbElsewhere = new Map(elsewhere.filter((e) => e.agb_code).map((e) => [e.agb_code!.trim(), e]));
  const kvkElsewhere = new Map(elsewhere.filter((e) => e.kvk_number).map((e) => [e.kvk_number!.trim(), e]));

  const planned = new Map<string, Planned>();
  const fileMatcher = new ProviderMatcher([]); // names of new providers met earlier in the file
  const fileNames = new Map<number, Planned>();
  const keyOfLine = new Map<number, string>();
  const reports: RowReport[] = [];
  const agbSeen = new Map<string, { key: string; line: number }>(),
    kvkSeen = new Map<string, { key: string; line: number }>();

  for (const { line, cells } of table.rows) {
    await pause();
    const errors: FieldError[] = [];
    const at = (field: string, detail: string) => errors.push({ field, detail, line });
    const typeText = get(cells, 'providerType');
    const providerType = typeOf(typeText);
    if (providerType === null) at('soort', `soort '${typeText}' bestaat niet (${PROVIDER_TYPES.join(', ')})`);
    const homeText = get(cells, 'homeMunicipality');
    const home = homeText ? muni(homeText) : null;
    if (homeText && !home) at('vestigingsgemeente', `gemeente '${homeText}' is onbekend`);
    const { value, errors: pErrors } = checkProvider({
      name: get(cells, 'name'),
      agbCode: get(cells, 'agbCode'),
      kvkNumber: get(cells, 'kvkNumber'),
      tradeNames: splitNames(get(cells, 'tradeNames')),
      providerType: (providerType ?? 'overig') as ProviderInput['providerType'],
      homeMunicipalityCode: home,
    });
    const label: Record<string, string> = { name: 'naam', agbCode: 'AGB-code', kvkNumber: 'KvK-nummer', tradeNames: 'handelsnamen', providerType: 'soort' };
    for (const e of pErrors) at(label[e.field] ?? e.field, e.detail);

    // the location of this row, if it has one
    const locText = {
      name: get(cells, 'locationName'),
      street: get(cells, 'street'),
      houseNumber: get(cells, 'houseNumber'),
      postcode: get(cells, 'postcode'),
      city: get(cells, 'city'),
      municipality: get(cells, 'municipality'),
    };
    const hasLocation = Object.values(locText).some(Boolean);
    let loc: Planned['locations'][number] | null = null;
    if (hasLocation) {
      const code = muni(locText.municipality) ?? (locText.municipality ? null : muni(locText.city));
      if (!code)
        at(
          'gemeente',
          locText.municipality ? `gemeente '${locText.municipality}' is onbekend` : 'gemeente van de locatie ontbreekt (en de plaats is geen gemeente)',
        );
      const { value: lv, errors: lErrors } = checkLocation({
        name: locText.name || locText.city || value.name,
        street: locText.street,
        houseNumber: locText.houseNumber,
        postcode: locText.postcode,
        city: locText.city,
        municipalityCode: code ?? '0000',
      });
      for (const e of lErrors) if (e.field !== 'municipalityCode') at(e.field === 'postcode' ? 'postcode' : 'locatie', e.detail);
      loc = {
        line,
        existingId: null,
        name: lv.name,
        street: lv.street ?? '',
        houseNumber: lv.houseNumber ?? '',
        postcode: lv.postcode,
        city: lv.city ?? '',
        municipalityCode: code ?? '',
        changed: false,
      };
    }

    // who is this provider: the register (codes, then name), or a provider met earlier in the file
    let report: RowReport = { line, status: 'geweigerd', name: value.name, providerId: null, changes: [], location: null, errors, suggestion: '' };
    if (!errors.length) {
      const m = matcher.match({ name: value.name, agbCode: value.agbCode, kvkNumber: value.kvkNumber });
      let target: Existing | null = m.status === 'matched' && m.via !== 'gelijkend' ? existing.get(m.providerId)! : null;
      // a code that names another provider than the name does, or a code held outside the register
      if (target && value.agbCode && target.agbCode && target.agbCode !== value.agbCode) {
        at('AGB-code', `AGB-code ${value.agbCode} wijkt af van ${target.name} (${target.agbCode}), die deze ${m.via === 'kvk' ? 'KvK' : 'naam'} heeft`);
        target = null;
      }
      if (target && value.kvkNumber && target.kvkNumber && target.kvkNumber !== value.kvkNumber) {
        at(
          'KvK-nummer',
          `KvK-nummer ${value.kvkNumber} wijkt af van ${target.name} (${target.kvkNumber}), die deze ${m.via === 'agb' ? 'AGB-code' : 'naam'} heeft`,
        );
        target = null;
      }
      if (!target && value.agbCode && agbElsewhere.has(value.agbCode))
        at('AGB-code', `AGB-code ${value.agbCode} is al geregistreerd bij ${agbElsewhere.get(value.agbCode)!.name} (buiten dit register)`);
      if (!target && value.kvkNumber && kvkElsewhere.has(value.kvkNumber))
        at('KvK-nummer', `KvK-nummer ${value.kvkNumber} is al geregistreerd bij ${kvkElsewhere.get(value.kvkNumber)!.name} (buiten dit register)`);
      const agbOwner = value.agbCode ? byAgb.get(value.agbCode) : undefined,
        kvkOwner = value.kvkNumber ? byKvk.get(value.kvkNumber) : undefined;
      if (target && agbOwner && agbOwner.id !== target.id) at('AGB-code', `AGB-code ${value.agbCode} hoort bij ${agbOwner.name}`);
      if (target && kvkOwner && kvkOwner.id !== target.id) at('KvK-nummer', `KvK-nummer ${value.kvkNumber} hoort bij ${kvkOwner.name}`);
      const key = target ? `p${target.id}` : value.agbCode ? `a${value.agbCode}` : value.kvkNumber ? `k${value.kvkNumber}` : `n${normaliseName(value.name)}`;
      const earlier = planned.get(key);
      for (const [code, seen, what] of [
        [value.agbCode, agbSeen, 'AGB-code'],
        [value.kvkNumber, kvkSeen, 'KvK-nummer'],
      ] as const) {
        if (!code) continue;
        const other = seen.get(code);
        if (other && other.key !== key) at(what, `${what} ${code} staat ook in regel ${other.line} bij een andere aanbieder`);
      }
      if (!target && !errors.length && !earlier) {
        // a new provider: near-identical names without a code that tells them apart are duplicates
        const near = m.candidates.filter((c) => c.score >= SURE);
        if (m.status === 'ambiguous' || (near.length && !value.agbCode && !value.kvkNumber)) {
          at(
            'naam',
            `lijkt op ${m.candidates.length > 1 ? 'aanbieders' : 'aanbieder'} in het register: ${suggestion(m.candidates)} Vul de AGB-code of KvK-nummer in, of gebruik de naam uit het register`,
          );
          report.suggestion = suggestion(m.candidates);
        } else {
          const f = fileMatcher.match({ name: value.name });
          const fNear = f.candidates.filter((c) => c.score >= SURE);
          const same = fNear.map((c) => fileNames.get(c.id)!).filter((p) => p && p.key !== key);
          if (same.length && !value.agbCode && !value.kvkNumber) {
            at(
              'naam',
              `lijkt op '${same[0].value.name}' in regel ${same[0].firstLine} van dit bestand: bedoelt u ${same[0].value.name}? Gebruik dezelfde naam, of vul de AGB-code of KvK-nummer in`,
            );
            report.suggestion = `bedoelt u ${same[0].value.name}?`;
          } else if (near.length) report.suggestion = suggestion(near); // created, with a code that differs: worth a look
        }
      }
      if (!errors.length) {
        let p = planned.get(key);
        if (p) {
          // a further row of a provider already in the file: its provider fields must agree
          if (normaliseName(p.value.name) !== normaliseName(value.name) && !p.value.tradeNames.some((t) => normaliseName(t) === normaliseName(value.name))) {
            at('naam', `regel ${p.firstLine} noemt deze aanbieder '${p.value.name}'`);
          }
        } else {
          const changes = target ? changedFields(target, value) : [];
          p = {
            key,
            firstLine: line,
            existing: target,
            value: target ? mergeInto(target, value) : value,
            mainRef: get(cells, 'mainContractor'),
            changes,
            locations: [],
          };
          if (!errors.length) {
            planned.set(key, p);
            if (!target) {
              const fid = -planned.size;
              fileNames.set(fid, p);
              fileMatcher.add({ id: fid, name: value.name, tradeNames: value.tradeNames, agbCode: null, kvkNumber: null });
            }
          }
        }
        if (!errors.length) {
          keyOfLine.set(line, key);
          if (value.agbCode && !agbSeen.has(value.agbCode)) agbSeen.set(value.agbCode, { key, line });
          if (value.kvkNumber && !kvkSeen.has(value.kvkNumber)) kvkSeen.set(value.kvkNumber, { key, line });
          report = {
            ...report,
            status: p.existing ? (p.firstLine === line && p.changes.length ? 'gewijzigd' : 'ongewijzigd') : 'nieuw',
            providerId: p.existing?.id ?? null,
            changes: p.firstLine === line ? p.changes : [],
          };
          if (loc) {
            const nk = normaliseName(loc.name);
            const old = p.existing?.locations.find(
              (l) => (loc!.postcode && l.postcode === loc!.postcode && l.houseNumber === loc!.houseNumber) || normaliseName(l.name) === nk,
            );
            const dup = p.locations.find(
              (l) => normaliseName(l.name) === nk || (loc!.postcode && l.postcode === loc!.postcode && l.houseNumber === loc!.houseNumber),
            );
            if (dup) report.location = 'ongewijzigd';
            else if (old) {
              const changed =
                old.name !== loc.name ||
                old.street !== loc.street ||
                old.houseNumber !== loc.houseNumber ||
                (old.postcode ?? null) !== loc.postcode ||
                old.city !== loc.city ||
                old.municipalityCode !== loc.municipalityCode;
              p.locations.push({ ...loc, existingId: old.id, changed });
              report.location = changed ? 'gewijzigd' : 'ongewijzigd';
              if (changed && report.status === 'ongewijzigd') report.status = 'gewijzigd';
            } else {
              p.locations.push(loc);
              report.location = 'nieuw';
              if (report.status === 'ongewijzigd') report.status = 'gewijzigd';
            }
          }
        }
      }
    }
    if (errors.length) report = { ...report, status: 'geweigerd', providerId: null, changes: [], location: null, errors };
    reports.push(report);
  }

  // main contractors: by AGB, KvK or name, in the register or in the file
  for (const p of planned.values()) {
    await pause();
    if (!p.mainRef) continue;
    const m = matcher.match({ name: p.mainRef });
    const inFile = [...planned.values()].find(
      (o) =>
        o !== p &&
        (o.value.agbCode === eightDigits(p.mainRef) ||
          o.value.kvkNumber === eightDigits(p.mainRef) ||
          normaliseName(o.value.name) === normaliseName(p.mainRef)),
    );
    const report = reports.find((r) => r.line === p.firstLine)!;
    if (m.status === 'matched' && m.via !== 'gelijkend') p.value.mainContractorId = m.providerId;
    else if (inFile) (p as Planned & { mainKey?: string }).mainKey = inFile.key;
    else {
      report.status = 'geweigerd';
      report.errors.push({
        field: 'hoofdaannemer',
        detail: `hoofdaannemer '${p.mainRef}' is niet gevonden${m.candidates.length ? `: ${suggestion(m.candidates)}` : ''}`,
        line: p.firstLine,
      });
      planned.delete(p.key);
      continue;
    }
    if (p.existing && p.existing.mainContractorId !== p.value.mainContractorId && p.value.mainContractorId) {
      p.changes.push('hoofdaannemer');
      if (report.status === 'ongewijzigd') report.status = 'gewijzigd';
      report.changes = p.changes;
    }
  }
  // rows of a provider whose first row was refused late are refused too
  for (const r of reports)
    if (r.status !== 'geweigerd' && !planned.has(keyOfLine.get(r.line)!)) {
      r.status = 'geweigerd';
      r.errors.push({ field: 'aanbieder', detail: 'de eerste regel van deze aanbieder is geweigerd', line: r.line });
    }
  return { providers: [...planned.values()], reports, keyOfLine };
}

function changedFields(e: Existing, v: Required<ProviderInput>): string[] {
  const out: string[] = [];
  if (e.name !== v.name) out.push('naam');
  if (v.agbCode && e.agbCode !== v.agbCode) out.push('AGB-code');
  if (v.kvkNumber && e.kvkNumber !== v.kvkNumber) out.push('KvK-nummer');
  if (v.tradeNames.some((t) => !e.tradeNames.includes(t))) out.push('handelsnamen');
  if (e.providerType !== v.providerType) out.push('soort');
  if (v.homeMunicipalityCode && e.homeMunicipalityCode !== v.homeMunicipalityCode) out.push('vestigingsgemeente');
  return out;
}

/** What is stored for an existing provider: the file's values, keeping codes and trade names the file leaves out. */
function mergeInto(e: Existing, v: Required<ProviderInput>): Required<ProviderInput> {
  return {
    name: v.name,
    agbCode: v.agbCode ?? e.agbCode,
    kvkNumber: v.kvkNumber ?? e.kvkNumber,
    tradeNames: [...new Set([...e.tradeNames, ...v.tradeNames])].filter((t) => t !== v.name),
    providerType: v.providerType,
    mainContractorId: e.mainContractorId,
    homeMunicipalityCode: v.homeMunicipalityCode ?? e.homeMunicipalityCode,
  };
}

/**
 * Stores the plan in one transaction, with arrays (linear in the rows): per kind of change, statements of at most
 * ROWS_PER_STATEMENT rows with a yield between (issue 14: on the embedded database one statement of 20,000 rows holds
 * the event loop for its whole run).
 */
async function commit(db: Db, scope: DataScope, account: Account | null, plan: Planned[], validFrom: string, fileName: string) {
  const allFresh = plan.filter((p) => !p.existing);
  const allChanged = plan.filter((p) => p.existing && p.changes.length);
  await db.transaction(async (tx) => {
    for await (const fresh of slices(allFresh)) {
      const ids = await tx.query<{ id: number }>(
        `INSERT INTO provider (name, agb_code, kvk_number, trade_names, provider_type, home_municipality_code)
         SELECT n, a, k, COALESCE((SELECT array_agg(x) FROM jsonb_array_elements_text(t) x), '{}'), ty, h
         FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[]) WITH ORDINALITY AS u(n, a, k, t, ty, h, o) ORDER BY o
         RETURNING id`,
        [
          fresh.map((p) => p.value.name),
          fresh.map((p) => p.value.agbCode),
          fresh.map((p) => p.value.kvkNumber),
          fresh.map((p) => JSON.stringify(p.value.tradeNames)),
          fresh.map((p) => p.value.providerType),
          fresh.map((p) => p.value.homeMunicipalityCode),
        ],
      );
      ids.forEach((r, i) => {
        fresh[i].newId = r.id;
      });
    }
    const idOf = (p: Planned) => p.existing?.id ?? p.newId!;
    // main contractors met in the file
    const allWithMain = plan.filter(
      (p) => (p as Planned & { mainKey?: string }).mainKey || (p.value.mainContractorId && (!p.existing || p.changes.includes('hoofdaannemer'))),
    );
    const byKey = new Map(plan.map((p) => [p.key, p]));
    for await (const withMain of slices(allWithMain)) {
      await tx.query(`UPDATE provider p SET main_contractor_id = u.m FROM unnest($1::int[], $2::int[]) AS u(id, m) WHERE p.id = u.id`, [
        withMain.map(idOf),
        withMain.map((p) => {
          const k = (p as Planned & { mainKey?: string }).mainKey;
          return k ? idOf(byKey.get(k)!) : p.value.mainContractorId;
        }),
      ]);
    }
    for await (const changed of slices(allChanged)) {
      await tx.query(
        `UPDATE provider p SET name = u.n, agb_code = u.a, kvk_number = u.k, trade_names = COALESCE((SELECT array_agg(x) FROM jsonb_array_elements_text(u.t) x), '{}'),
                provider_type = u.ty, home_municipality_code = u.h, updated_at = now()
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[]) AS u(id, n, a, k, t, ty, h) WHERE p.id = u.id`,
        [
          changed.map(idOf),
          changed.map((p) => p.value.name),
          changed.map((p) => p.value.agbCode),
          changed.map((p) => p.value.kvkNumber),
          changed.map((p) => JSON.stringify(p.value.tradeNames)),
          changed.map((p) => p.value.providerType),
          changed.map((p) => p.value.homeMunicipalityCode),
        ],
      );
    }
    for await (const unregistered of slices(plan.filter((p) => !p.existing || !p.existing.registered))) {
      await tx.query(
        `INSERT INTO provider_registration (provider_id, region_id, valid_from) SELECT u.id, $2, $3 FROM unnest($1::int[]) AS u(id) ON CONFLICT DO NOTHING`,
        [unregistered.map(idOf), scope.regionId, validFrom],
      );
    }
    for await (const newLocs of slices(plan.flatMap((p) => p.locations.filter((l) => l.existingId === null).map((l) => ({ ...l, providerId: idOf(p) }))))) {
      await tx.query(
        `INSERT INTO location (provider_id, name, street, house_number, postcode, city, municipality_code, valid_from)
         SELECT u.p, u.n, u.s, u.h, u.pc, u.c, u.m, $8 FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(p, n, s, h, pc, c, m)`,
        [
          newLocs.map((l) => l.providerId),
          newLocs.map((l) => l.name),
          newLocs.map((l) => l.street),
          newLocs.map((l) => l.houseNumber),
          newLocs.map((l) => l.postcode),
          newLocs.map((l) => l.city),
          newLocs.map((l) => l.municipalityCode),
          validFrom,
        ],
      );
    }
    for await (const chLocs of slices(plan.flatMap((p) => p.locations.filter((l) => l.existingId !== null && l.changed)))) {
      await tx.query(
        `UPDATE location l SET name = u.n, street = u.s, house_number = u.h, postcode = u.pc, city = u.c, municipality_code = u.m
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, n, s, h, pc, c, m) WHERE l.id = u.id`,
        [
          chLocs.map((l) => l.existingId),
          chLocs.map((l) => l.name),
          chLocs.map((l) => l.street),
          chLocs.map((l) => l.houseNumber),
          chLocs.map((l) => l.postcode),
          chLocs.map((l) => l.city),
          chLocs.map((l) => l.municipalityCode),
        ],
      );
    }
    for await (const touched of slices(plan.filter((p) => !p.existing || p.changes.length || p.locations.some((l) => l.existingId === null || l.changed)))) {
      await tx.query(
        `INSERT INTO provider_event (provider_id, region_id, account_id, account_name, action, changes)
         SELECT u.id, $2, $3, $4, u.a, u.c FROM unnest($1::int[], $5::text[], $6::jsonb[]) AS u(id, a, c)`,
        [
          touched.map(idOf),
          scope.regionId,
          account?.id ?? null,
          account?.displayName ?? 'systeem',
          touched.map((p) => (p.existing ? 'gewijzigd' : 'aangemaakt')),
          touched.map((p) =>
            JSON.stringify({
              import: [null, fileName],
              regel: [null, p.firstLine],
              velden: [null, p.changes],
              locaties: [null, p.locations.filter((l) => l.existingId === null || l.changed).length],
            }),
          ),
        ],
      );
    }
  });
  void sql;
  await registerChanged(db, scope.regionId);
}

/** `rows` in slices of ROWS_PER_STATEMENT, yielding to the event loop before every slice after the first. */
async function* slices<T>(rows: T[]): AsyncGenerator<T[]> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    if (i) await yieldToEventLoop();
    yield rows.slice(i, i + ROWS_PER_STATEMENT);
  }
}
