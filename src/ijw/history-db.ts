// The History from the database (read only): allocations, accepted declaration lines and the region's tariffs in
// the tables of 001_foundation.sql.
//
// Mapping:
// - allocation (toewijzing) by municipality_code + assignment_number (ToewijzingNummer; text in the database,
//   compared as a number so 000123 = 123), its product (category_code, code), provider (agb_code) and youth
//   (bsn_hash: the line's BSN is hashed with the same key, never decrypted);
// - declared: accepted declaration_line rows on that allocation, debit − credit; minutes on an hourly
//   allocation count as 1/60 hour;
// - contract tariff: the tariff of the product with that code in the municipality's region, valid on the date
//   (tariff.valid_from ≤ date < valid_to, and the product valid then too).
//
// Two ways to ask:
// - per batch (default): one round trip per table per batch of clients, for tools that judge several messages
//   with one instance (`ijw validate --with-history`);
// - `preload: true`, for ONE message (the import): at the first batch, everything this provider × municipality has
//   (its allocations with what was declared on them, the region's tariffs, its earlier declarations) is read once,
//   bounded by the allocations, not by the file. A batch then only asks for the numbers that are not the provider's
//   own (another provider's allocation or none: TR338) and for its reference numbers (TR314/TR323).
// Results come back as one JSON text per query: PGlite decodes every field of every row separately, which for
// 100,000 allocation rows costs more than the query itself.
import { bsnLookupHash, type BsnKeys } from '../core/bsn.ts';
import type { Db } from '../db/index.ts';
import { rows as run, sql, unscoped } from '../db/query.ts';
import type {
  AllocationInfo,
  AnsweredLine,
  ContractTariff,
  DeclaredTotals,
  EarlierDebit,
  EarlierDeclarations,
  EarlierLine,
  History,
  HistoryRequest,
  HistorySnapshot,
  RequestInfo,
  StartStopRecord,
} from './rules/history-types.ts';
import { ROWS_PER_STATEMENT, rowsPerStatement, yieldToEventLoop } from '../core/work.ts';
import { ShardedMap } from './rules/compact.ts';

/** Allocations per FETCH of the preload's cursor on PGlite (with their products, providers, youths and declared sums). */
const PRELOAD_FETCH = 250;

export interface DbHistoryOptions {
  /** Read this provider × municipality's allocations, tariffs and earlier declarations once (one instance per message). */
  preload?: boolean;
  /** The keyed BSN hash, when the caller already computes it per client (saves computing it twice). */
  hashBsn?: (bsn: string) => string;
}

/**
 * An allocation row as the rules need it: [id, start, end, volume, unit, frequency, budget, category, code, agb,
 * bsn_hash, removed, category_only], then what the import books a line on with it: [provider_id, youth_id, product_id].
 */
type AllocRow = [
  number,
  string,
  string | null,
  number | null,
  string | null,
  string | null,
  number | null,
  string | null,
  string | null,
  string,
  string,
  boolean,
  boolean,
  number,
  number,
  number,
];
interface TariffRow {
  unit: string;
  amountCents: number;
  from: string;
  to: string | null;
  pFrom: string;
  pTo: string | null;
}

const ALLOC_COLUMNS = `a.id, a.start_date, a.end_date, a.volume, trim(a.unit), trim(a.frequency), a.budget_cents, trim(p.category_code), p.code, pr.agb_code, y.bsn_hash,
  (COALESCE(a.change_reason = '13', false) OR a.status = 'ingetrokken'), a.category_only, a.provider_id, a.youth_id, a.product_id`;
const DECLARED = `sum((CASE WHEN d.debit_credit = 'C' THEN -d.volume ELSE d.volume END)
                      * (CASE WHEN trim(d.unit) = '01' AND trim(a.unit) = '04' THEN 1.0 / 60 ELSE 1 END))::float8,
                  sum(CASE WHEN d.debit_credit = 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8`;

/** What this provider × municipality has, read once (preload). */
interface Preloaded {
  key: string;
  providerId: number | null;
  // in many small Maps (rules/compact.ts): one Map of a provider's 310,000 allocations made its growth a single stop
  allocations: ShardedMap<string, AllocRow>;
  declared: ShardedMap<number, DeclaredTotals>; // by allocation id
  tariffs: Map<string, TariffRow[]>;
  declarations: EarlierDeclarations;
}

export class DbHistory implements History {
  /** The message being imported: its own lines (already in the store, same transaction) are not "earlier". */
  private excludeMessageId = 0;
  private pre: Preloaded | null = null;
  constructor(
    private readonly db: Db,
    private readonly keys: BsnKeys,
    private readonly opts: DbHistoryOptions = {},
  ) {}

  exclude(messageId: number) {
    this.excludeMessageId = messageId;
  }

  /**
   * What a line on allocation number `nr` (without leading zeros) of the preloaded provider is booked on: [allocation
   * id, provider id, youth id, product id]; undefined when it is not one of the preloaded allocations.
   */
  preloadedAllocation(nr: string): [number, number, number, number] | undefined {
    const r = this.pre?.allocations.get(nr);
    return r && [Number(r[0]), r[13], Number(r[14]), r[15]];
  }

  /** One JSON text (an array) from a query that aggregates with json_agg. */
  private async json<T>(sql: string, params: unknown[]): Promise<T[]> {
    const [r] = await this.db.query(`SELECT COALESCE(json_agg(x), '[]')::text AS j FROM (${sql}) x(x)`, params);
    return JSON.parse(r.j) as T[];
  }

  private allocationsByNumber(where: string, params: unknown[]) {
    return this.json<[string, ...AllocRow]>(
      `SELECT json_build_array(ltrim(a.assignment_number, '0'), ${ALLOC_COLUMNS})
       FROM allocation a JOIN product p ON p.id = a.product_id JOIN provider pr ON pr.id = a.provider_id JOIN youth y ON y.id = a.youth_id
       WHERE ${where}`,
      params,
    );
  }

  private declaredOf(where: string, params: unknown[]) {
    return this.json<[number, number, number]>(
      `SELECT json_build_array(d.allocation_id, ${DECLARED})
       FROM declaration_line d JOIN allocation a ON a.id = d.allocation_id
       WHERE ${where} AND d.status = 'geaccepteerd'
       GROUP BY d.allocation_id`,
      params,
    );
  }

  private async tariffsOf(municipalityCode: string, codes: string[] | null): Promise<Map<string, TariffRow[]>> {
    const rows = await this.json<[string, string, number, string, string | null, string, string | null]>(
      `SELECT json_build_array(p.code, trim(p.unit), t.amount_cents, t.valid_from, t.valid_to, p.valid_from, p.valid_to)
       FROM municipality m JOIN product p ON p.region_id = m.region_id JOIN tariff t ON t.product_id = p.id
       WHERE m.code = $1 ${codes ? 'AND p.code = ANY($2::text[])' : ''}`,
      codes ? [municipalityCode, codes] : [municipalityCode],
    );
    const byCode = new Map<string, TariffRow[]>();
    for (const [code, unit, amountCents, from, to, pFrom, pTo] of rows) {
      let list = byCode.get(code);
      if (!list) byCode.set(code, (list = []));
      list.push({ unit, amountCents: Number(amountCents), from, to, pFrom, pTo });
    }
    return byCode;
  }

  private async earlierDeclarations(req: HistoryRequest): Promise<EarlierDeclarations> {
    const [decl] = await this.db.query(
      `SELECT bool_or(m.declaration_number = $3) AS used, max(m.period_start) AS last
       FROM ijw_message m WHERE m.message_type = 'JW323' AND m.direction = 'in' AND m.status = 'verwerkt' AND m.provider_agb = $1 AND m.municipality_code = $2 AND m.id <> $4`,
      [req.providerAgb, req.municipalityCode, req.declarationNumber ?? '', this.excludeMessageId],
    );
    // TR056: any earlier JW323 from this sender, whatever became of it
    const [ident] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM ijw_message m WHERE m.message_type = 'JW323' AND m.direction = 'in' AND m.sender_code = $1 AND m.identification = $2 AND m.id <> $3) AS used`,
      [req.providerAgb, req.identification ?? '', this.excludeMessageId],
    );
    return { numberUsed: !!decl?.used, lastPeriodStart: decl?.last ?? null, identificationUsed: !!ident?.used };
  }

  /** The preload of one key, started once: a prefetched look-up can ask for it while the first is still reading it. */
  private preloading: { key: string; done: Promise<Preloaded> } | null = null;

  private preload(req: HistoryRequest): Promise<Preloaded> {
    const key = `${req.municipalityCode}|${req.providerAgb}|${req.declarationNumber ?? ''}`;
    if (this.preloading?.key !== key) this.preloading = { key, done: this.readPreload(req, key) };
    return this.preloading.done;
  }

  private async readPreload(req: HistoryRequest, key: string): Promise<Preloaded> {
    const [prov] = await this.db.query(`SELECT id FROM provider WHERE agb_code = $1`, [req.providerAgb]);
    const providerId: number | null = prov?.id ?? null;
    const allocations = new ShardedMap<string, AllocRow>();
    const declared = new ShardedMap<number, DeclaredTotals>();
    if (providerId !== null) {
      // One cursor over the provider × municipality's allocations in id order, each row with what was declared on it
      // (a scalar subquery by declaration_line's allocation index), fetched PRELOAD_FETCH rows at a time (a server:
      // rowsPerStatement) with a yield between: the query is planned once and its scan resumes where it stopped. (It
      // was a statement per page of 100 allocations plus one per 25–100 of them for the declared sums: on PGlite
      // 2,000 statements for 100,000 allocations, planned and started each time, 7–11 s against 1.5–3 s now at load 6;
      // on a server each page's scan from `id > after` passed the other providers' rows again.) A FETCH on PGlite holds
      // the event loop like any statement: 250 rows took 33–102 ms at load 6–7 (the multi-year demo's allocations with
      // dozens of lines each cost more per row than a large file's new ones).
      const fetch = rowsPerStatement(this.db) > ROWS_PER_STATEMENT ? rowsPerStatement(this.db) : PRELOAD_FETCH;
      await this.db.transaction(async (tx) => {
        const why = unscoped('the import judges a message against the earlier declarations of its sender')();
        await run(
          tx,
          sql`DECLARE rk_history_preload NO SCROLL CURSOR FOR
           SELECT json_build_array(ltrim(a.assignment_number, '0'), ${sql.raw(ALLOC_COLUMNS)},
             (SELECT json_build_array(${sql.raw(DECLARED)}) FROM declaration_line d WHERE d.allocation_id = a.id AND d.status = 'geaccepteerd'))::text AS j
           FROM allocation a JOIN product p ON p.id = a.product_id JOIN provider pr ON pr.id = a.provider_id JOIN youth y ON y.id = a.youth_id
           WHERE ${why} AND a.municipality_code = ${req.municipalityCode} AND a.provider_id = ${providerId} ORDER BY a.id`,
        );
        for (;;) {
          await yieldToEventLoop();
          const rows = await tx.query<{ j: string }>(`FETCH ${fetch} FROM rk_history_preload`);
          for (const { j } of rows) {
            const [nr, ...row] = JSON.parse(j) as [string, ...AllocRow, [number | null, number | null]];
            const sums = row.pop() as [number | null, number | null];
            allocations.set(nr, row as unknown as AllocRow);
            // an allocation without accepted lines has no sums (as the grouped query gave none): the default applies
            if (sums[0] !== null || sums[1] !== null) declared.set(row[0] as number, { volume: Number(sums[0]), amountCents: Number(sums[1]) });
          }
          if (rows.length < fetch) break;
        }
        // (after an error the transaction is rolled back, and the cursor with it)
        await tx.exec(`CLOSE rk_history_preload`);
      });
    }
    const tariffs = await this.tariffsOf(req.municipalityCode, null);
    await yieldToEventLoop();
    this.pre = { key, providerId, allocations, declared, tariffs, declarations: await this.earlierDeclarations(req) };
    return this.pre;
  }

  async lookup(req: HistoryRequest): Promise<HistorySnapshot> {
    if ((req.messageType ?? 'JW323') !== 'JW323') return this.lookupOther(req);
    const pre = this.opts.preload ? await this.preload(req) : null;
    // allocations by number (as text without leading zeros, as the index on allocation has it): the preloaded ones,
    // then the rest from the database (another provider's, or none)
    const byNumber = new Map<string, AllocRow>();
    const declared = new Map<number, DeclaredTotals>();
    const missing: string[] = [];
    const asked = new Set<string>();
    for (const a of req.allocations) {
      const nr = String(a.assignmentNumber);
      if (asked.has(nr)) continue;
      asked.add(nr);
      const row = pre?.allocations.get(nr);
      if (row) {
        byNumber.set(nr, row);
        const d = pre!.declared.get(row[0]);
        if (d) declared.set(row[0], d);
      } else missing.push(nr);
    }
    if (missing.length) {
      const rows = await this.allocationsByNumber(`a.municipality_code = $1 AND ltrim(a.assignment_number, '0') = ANY($2::text[])`, [
        req.municipalityCode,
        missing,
      ]);
      for (const [nr, ...row] of rows) byNumber.set(nr, row);
      if (rows.length) {
        for (const [id, volume, amount] of await this.declaredOf(`d.allocation_id = ANY($1::int8[])`, [rows.map((r) => r[1])])) {
          declared.set(id, { volume: Number(volume), amountCents: Number(amount) });
        }
      }
    }
    const tariffs = pre ? pre.tariffs : await this.tariffsOf(req.municipalityCode, [...new Set(req.tariffs.map((t) => t.productCode))]);

    // earlier accepted lines of this provider by ReferentieNummer (TR314, TR323), and its earlier declarations (TR333, TR318)
    const refs = req.references ?? [];
    const refRows = refs.length
      ? await this.json<[string, 'D' | 'C', boolean]>(
          `SELECT json_build_array(l.reference_number, l.debit_credit,
              EXISTS (SELECT 1 FROM ijw_declaration_line c WHERE c.provider_id = l.provider_id AND c.previous_reference_number = l.reference_number
                        AND c.debit_credit = 'C' AND c.status = 'geaccepteerd' AND c.message_id <> $3))
       FROM ijw_declaration_line l
       WHERE ${pre ? 'l.provider_id = $1' : 'l.provider_id = (SELECT id FROM provider WHERE agb_code = $1)'}
         AND l.reference_number = ANY($2::text[]) AND l.status = 'geaccepteerd' AND l.message_id <> $3`,
          [pre ? pre.providerId : req.providerAgb, refs, this.excludeMessageId],
        )
      : [];
    const earlier = new Map<string, EarlierLine>(refRows.map(([ref, dc, credited]) => [ref, { debitCredit: dc, credited: !!credited }]));
    // earlier accepted debit lines of this provider on the allocations of the batch that no accepted credit reverses (TR389)
    const numbers = [...new Set(req.allocations.map((a) => a.assignmentNumber))];
    const debitRows = numbers.length
      ? await this.json<[number, string | null, string | null, string, string, string]>(
          `SELECT json_build_array(l.assignment_number, l.product_category, l.product_code, l.period_start, l.period_end, l.reference_number)
       FROM ijw_declaration_line l
       WHERE ${pre ? 'l.provider_id = $1' : 'l.provider_id = (SELECT id FROM provider WHERE agb_code = $1)'}
         AND l.assignment_number = ANY($2::int8[]) AND l.debit_credit = 'D' AND l.status = 'geaccepteerd' AND l.message_id <> $3
         AND NOT EXISTS (SELECT 1 FROM ijw_declaration_line c WHERE c.provider_id = l.provider_id AND c.previous_reference_number = l.reference_number
                           AND c.debit_credit = 'C' AND c.status = 'geaccepteerd' AND c.message_id <> $3)`,
          [pre ? pre.providerId : req.providerAgb, numbers, this.excludeMessageId],
        )
      : [];
    const debitKey = (n: number, category: string | null, code: string | null, start: string, end: string) =>
      `${n}|${category ?? ''}|${code ?? ''}|${start}|${end}`;
    const debits = new Map<string, EarlierDebit>(
      debitRows.map(([n, cat, code, start, end, ref]) => [debitKey(Number(n), cat, code, start, end), { referenceNumber: ref }]),
    );
    const declarations = pre ? pre.declarations : await this.earlierDeclarations(req);

    const hash = this.opts.hashBsn ?? memoHash(this.keys);
    return {
      allocation(n: number, bsn: string): AllocationInfo | undefined {
        const r = byNumber.get(String(n));
        if (!r) return undefined;
        return allocationInfo(n, r, req.providerAgb, hash(bsn));
      },
      declared: (n) => {
        const r = byNumber.get(String(n));
        return (r && declared.get(r[0])) ?? { volume: 0, amountCents: 0 };
      },
      earlierLine: (ref) => earlier.get(ref),
      uncreditedDebit: (n, category, code, start, end) => debits.get(debitKey(n, category, code, start, end)),
      earlierDeclarations: () => declarations,
      contractTariff(code: string, date: string): ContractTariff | undefined {
        const t = tariffs.get(code)?.find((r) => r.from <= date && (r.to === null || date < r.to) && r.pFrom <= date && (r.pTo === null || date < r.pTo));
        return t ? { amountCents: t.amountCents, unit: t.unit } : undefined;
      },
    };
  }

  /**
   * The history of a message other than a declaration (JW301, JW305/JW307, JW315/JW317/JW319, JW325): its allocations,
   * the client's allocations, starts and stops, requests and answers by ReferentieAanbieder, the declaration a JW325
   * answers. Only accepted ('verwerkt') messages count, and never the message being imported.
   */
  private async lookupOther(req: HistoryRequest): Promise<HistorySnapshot> {
    const db = this.db;
    const type = req.messageType!;
    const hash = this.opts.hashBsn ?? memoHash(this.keys);
    const hashes = [...new Set((req.bsns ?? []).map(hash))];
    const exclude = this.excludeMessageId;
    const why = unscoped('the iJW rules read the earlier messages of the sender of the message being judged')();
    const [{ used }] = await run<{ used: boolean }>(
      db,
      sql`SELECT EXISTS (SELECT 1 FROM ijw_message m WHERE ${why} AND m.message_type = ${type}
      AND m.sender_code = ${req.senderCode ?? req.providerAgb} AND m.identification = ${req.identification ?? ''} AND m.id <> ${exclude}) AS used`,
    );
    // allocations by number, and every allocation of the clients with this provider (TR349)
    const numbers = [...new Set(req.allocations.map((a) => String(a.assignmentNumber)))];
    const byNumber = new Map<string, AllocRow>();
    if (numbers.length)
      for (const [nr, ...row] of await this.allocationsByNumber(`a.municipality_code = $1 AND ltrim(a.assignment_number, '0') = ANY($2::text[])`, [
        req.municipalityCode,
        numbers,
      ]))
        byNumber.set(nr, row);
    const ofClient = new Map<string, [string, AllocRow][]>();
    if (type === 'JW317' && hashes.length) {
      for (const [nr, ...row] of await this.allocationsByNumber(`a.municipality_code = $1 AND pr.agb_code = $2 AND y.bsn_hash = ANY($3::text[])`, [
        req.municipalityCode,
        req.providerAgb,
        hashes,
      ])) {
        const list = ofClient.get(row[10]) ?? [];
        list.push([nr, row]);
        ofClient.set(row[10], list);
      }
    }
    const declared = new Map<number, DeclaredTotals>();
    if (type === 'JW301' && byNumber.size) {
      for (const [id, volume, amount] of await this.declaredOf(`d.allocation_id = ANY($1::int8[])`, [[...byNumber.values()].map((r) => r[0])]))
        declared.set(id, { volume: Number(volume), amountCents: Number(amount) });
    }
    const ours = sql`m.status = 'verwerkt' AND m.provider_agb = ${req.providerAgb} AND trim(m.municipality_code) = ${req.municipalityCode} AND m.id <> ${exclude}`;
    // starts and stops of the clients (JW305, JW307)
    const startsStops = new Map<string, StartStopRecord[]>();
    if ((type === 'JW305' || type === 'JW307') && hashes.length) {
      const list = await run<StartStopRecord & { bsnHash: string }>(
        db,
        sql`SELECT s.kind, s.bsn_hash AS "bsnHash", s.assignment_number::int8::float8 AS "assignmentNumber",
          s.product_category AS "productCategory", s.product_code AS "productCode", s.allocation_start::text AS "allocationStart", s.begin_date::text AS begin,
          s.end_date::text AS "end", s.reason, s.delivery_status AS status
        FROM ijw_start_stop s JOIN ijw_message m ON m.id = s.message_id
        WHERE ${why} AND ${ours} AND s.bsn_hash IN (${sql.join(hashes)}) ORDER BY m.id, s.line_no`,
      );
      for (const { bsnHash, ...r } of list) {
        const l = startsStops.get(bsnHash) ?? [];
        l.push({ ...r, assignmentNumber: r.assignmentNumber === null ? null : Number(r.assignmentNumber) });
        startsStops.set(bsnHash, l);
      }
    }
    // requests, answers and honoured references by ReferentieAanbieder, and the clients' open requests (TR374)
    const refs = req.requestReferences ?? [];
    const requested = new Map<string, Set<string>>();
    const answers = new Map<string, string[]>();
    const allocated = new Set<string>();
    let open = new Map<string, string>();
    if (refs.length) {
      for (const r of await run<{ reference: string; bsnHash: string }>(
        db,
        sql`SELECT DISTINCT r.reference, r.bsn_hash AS "bsnHash" FROM ijw_request r JOIN ijw_message m ON m.id = r.message_id
          WHERE ${why} AND ${ours} AND r.reference IN (${sql.join(refs)})`,
      )) {
        requested.set(r.reference, (requested.get(r.reference) ?? new Set()).add(r.bsnHash));
      }
      for (const a of await run<{ reference: string; answer: string }>(
        db,
        sql`SELECT a.reference, a.answer FROM ijw_answer a JOIN ijw_message m ON m.id = a.message_id
          WHERE ${why} AND ${ours} AND a.reference IN (${sql.join(refs)}) ORDER BY m.id`,
      ))
        answers.set(a.reference, [...(answers.get(a.reference) ?? []), a.answer]);
      for (const a of await run<{ reference: string }>(
        db,
        sql`SELECT DISTINCT am.reference FROM ijw_allocation_message am JOIN ijw_message m ON m.id = am.message_id
          WHERE ${why} AND ${ours} AND am.reference IN (${sql.join(refs)})`,
      ))
        allocated.add(a.reference);
    }
    if ((type === 'JW315' || type === 'JW317') && hashes.length) {
      const rows = await run<{ bsnHash: string; reference: string }>(
        db,
        sql`SELECT r.bsn_hash AS "bsnHash", min(r.reference) AS reference
        FROM ijw_request r JOIN ijw_message m ON m.id = r.message_id
        WHERE ${why} AND ${ours} AND r.bsn_hash IN (${sql.join(hashes)}) AND r.reference IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ijw_answer a JOIN ijw_message am ON am.id = a.message_id WHERE a.reference = r.reference AND a.answer = '1'
                            AND am.status = 'verwerkt' AND am.provider_agb = m.provider_agb AND am.municipality_code = m.municipality_code)
          AND NOT EXISTS (SELECT 1 FROM ijw_allocation_message x JOIN ijw_message xm ON xm.id = x.message_id WHERE x.reference = r.reference
                            AND xm.status = 'verwerkt' AND xm.provider_agb = m.provider_agb AND xm.municipality_code = m.municipality_code)
        GROUP BY r.bsn_hash`,
      );
      open = new Map(rows.map((r) => [r.bsnHash, r.reference]));
    }
    // JW325: the declaration it answers, and its lines by ReferentieNummer
    let answered: { id: number; dagtekening: string | null; declarationNumber: string | null; xsdVersion: string | null } | undefined;
    const answeredLines = new Map<string, AnsweredLine & { bsnHash: string }>();
    if (type === 'JW325') {
      [answered] = await run<{ id: number; dagtekening: string | null; declarationNumber: string | null; xsdVersion: string | null }>(
        db,
        sql`SELECT m.id, m.dagtekening::text AS dagtekening,
          m.declaration_number AS "declarationNumber", m.xsd_version AS "xsdVersion"
        FROM ijw_message m WHERE ${why} AND m.message_type = 'JW323' AND m.direction = 'in' AND m.provider_agb = ${req.providerAgb}
          AND trim(m.municipality_code) = ${req.municipalityCode} AND m.identification = ${req.answeredIdentification ?? ''} ORDER BY m.id DESC LIMIT 1`,
      );
      const lineRefs = req.references ?? [];
      if (answered && lineRefs.length) {
        const lines = await run<AnsweredLine & { bsnHash: string; referenceNumber: string }>(
          db,
          sql`SELECT l.reference_number AS "referenceNumber", l.bsn_hash AS "bsnHash",
            l.previous_reference_number AS "previousReference", l.assignment_number::float8 AS "assignmentNumber", l.product_category AS "productCategory",
            l.product_code AS "productCode", l.period_start::text AS "periodStart", l.period_end::text AS "periodEnd", l.volume::float8 AS volume, l.unit,
            l.tariff_cents::float8 AS "tariffCents", l.amount_cents::float8 AS "amountCents", l.debit_credit AS "debitCredit"
          FROM ijw_declaration_line l WHERE ${why} AND l.message_id = ${answered.id} AND l.reference_number IN (${sql.join(lineRefs)})`,
        );
        for (const { referenceNumber, ...l } of lines) answeredLines.set(referenceNumber, { ...l, sameClient: false });
      }
    }
    const number = (v: number | null) => (v === null ? null : Number(v));
    return {
      allocation: (n, bsn) => {
        const r = byNumber.get(String(n));
        return r ? allocationInfo(n, r, req.providerAgb, hash(bsn)) : undefined;
      },
      declared: (n) => {
        const r = byNumber.get(String(n));
        return (r && declared.get(r[0])) ?? { volume: 0, amountCents: 0 };
      },
      contractTariff: () => undefined,
      identificationUsed: () => !!used,
      startsStops: (bsn) => startsStops.get(hash(bsn)) ?? [],
      clientAllocations: (bsn) => (ofClient.get(hash(bsn)) ?? []).map(([nr, r]) => allocationInfo(Number(nr), r, req.providerAgb, hash(bsn))),
      request: (reference, bsn): RequestInfo => {
        const who = requested.get(reference);
        return {
          requested: !!who,
          sameClient: bsn === undefined || !!who?.has(hash(bsn)),
          answers: answers.get(reference) ?? [],
          allocated: allocated.has(reference),
        };
      },
      openRequest: (bsn) => open.get(hash(bsn)),
      answeredDeclaration: () =>
        answered ? { dagtekening: answered.dagtekening, declarationNumber: answered.declarationNumber, xsdVersion: answered.xsdVersion } : undefined,
      answeredLine: (ref, bsn) => {
        const l = answeredLines.get(ref);
        if (!l) return undefined;
        const { bsnHash, ...rest } = l;
        return {
          ...rest,
          sameClient: bsnHash === hash(bsn),
          assignmentNumber: number(rest.assignmentNumber),
          volume: number(rest.volume),
          tariffCents: number(rest.tariffCents),
          amountCents: number(rest.amountCents),
        };
      },
    };
  }
}

/** An allocation row as the rules see it, for the provider that sends (or receives) the message and a client's BSN hash. */
function allocationInfo(n: number, r: AllocRow, providerAgb: string, bsnHash: string): AllocationInfo {
  const [, startDate, endDate, volume, unit, frequency, budgetCents, category, code, agb, rowHash, removed, categoryOnly] = r;
  return {
    assignmentNumber: n,
    sameProvider: agb === providerAgb,
    sameClient: rowHash === bsnHash,
    productCategory: category ?? null,
    productCode: categoryOnly ? null : (code ?? null),
    startDate,
    endDate: endDate ?? null,
    volume: volume ?? null,
    unit: unit ?? null,
    frequency: volume === null ? null : (frequency ?? null),
    budgetCents: budgetCents === null ? null : Number(budgetCents),
    removed: !!removed,
  };
}

/** The keyed BSN hash, remembered for the BSNs of one batch. */
function memoHash(keys: BsnKeys) {
  const hashes = new Map<string, string>();
  return (bsn: string) => {
    let h = hashes.get(bsn);
    if (!h) {
      h = bsnLookupHash(keys, bsn);
      hashes.set(bsn, h);
    }
    return h;
  };
}
