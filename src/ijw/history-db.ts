// The History from the database (read only): allocations, accepted declaration lines and the region's tariffs in
// the tables of 001_foundation.sql. One round trip per table per batch of clients.
//
// Mapping:
// - allocation (toewijzing) by municipality_code + assignment_number (ToewijzingNummer; text in the database,
//   compared as a number so 000123 = 123), its product (category_code, code), provider (agb_code) and youth
//   (bsn_hash: the line's BSN is hashed with the same key, never decrypted);
// - declared: accepted declaration_line rows on that allocation, debit − credit; minutes on an hourly
//   allocation count as 1/60 hour;
// - contract tariff: the tariff of the product with that code in the municipality's region, valid on the date
//   (tariff.valid_from ≤ date < valid_to, and the product valid then too).
import { bsnLookupHash, type BsnKeys } from '../core/bsn.ts';
import type { Db } from '../db/index.ts';
import type { AllocationInfo, ContractTariff, DeclaredTotals, History, HistoryRequest, HistorySnapshot } from './rules/history-types.ts';

export class DbHistory implements History {
  /** The message being imported: its own lines (already in the store, same transaction) are not "earlier". */
  private excludeMessageId = 0;
  constructor(private readonly db: Db, private readonly keys: BsnKeys) {}

  exclude(messageId: number) { this.excludeMessageId = messageId; }

  async lookup(req: HistoryRequest): Promise<HistorySnapshot> {
    const numbers = [...new Set(req.allocations.map((a) => a.assignmentNumber))];
    const codes = [...new Set(req.tariffs.map((t) => t.productCode))];
    const allocRows = numbers.length ? await this.db.query(
      `SELECT a.id, ltrim(a.assignment_number, '0') AS nr, a.start_date, a.end_date, a.volume, trim(a.unit) AS unit, trim(a.frequency) AS frequency,
              a.budget_cents, trim(p.category_code) AS category_code, p.code AS product_code, pr.agb_code, y.bsn_hash
       FROM allocation a JOIN product p ON p.id = a.product_id JOIN provider pr ON pr.id = a.provider_id JOIN youth y ON y.id = a.youth_id
       WHERE a.municipality_code = $1 AND ltrim(a.assignment_number, '0') = ANY($2::text[])`,
      [req.municipalityCode, numbers.map(String)]) : [];
    const declaredRows = allocRows.length ? await this.db.query(
      `SELECT d.allocation_id,
              sum((CASE WHEN d.debit_credit = 'C' THEN -d.volume ELSE d.volume END)
                  * (CASE WHEN trim(d.unit) = '01' AND trim(a.unit) = '04' THEN 1.0 / 60 ELSE 1 END))::float8 AS volume,
              sum(CASE WHEN d.debit_credit = 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8 AS amount
       FROM declaration_line d JOIN allocation a ON a.id = d.allocation_id
       WHERE d.allocation_id = ANY($1::int8[]) AND d.status = 'geaccepteerd'
       GROUP BY d.allocation_id`,
      [allocRows.map((r) => r.id)]) : [];
    const tariffRows = codes.length ? await this.db.query(
      `SELECT p.code, trim(p.unit) AS unit, t.amount_cents, t.valid_from, t.valid_to, p.valid_from AS p_from, p.valid_to AS p_to
       FROM municipality m JOIN product p ON p.region_id = m.region_id JOIN tariff t ON t.product_id = p.id
       WHERE m.code = $1 AND p.code = ANY($2::text[])`,
      [req.municipalityCode, codes]) : [];

    // earlier accepted lines of this provider by ReferentieNummer (TR314, TR323), and its earlier declarations (TR333, TR318)
    const refs = req.references ?? [];
    const refRows = refs.length ? await this.db.query(
      `SELECT l.reference_number, l.debit_credit,
              EXISTS (SELECT 1 FROM ijw_declaration_line c WHERE c.provider_id = l.provider_id AND c.previous_reference_number = l.reference_number
                        AND c.debit_credit = 'C' AND c.status = 'geaccepteerd' AND c.message_id <> $3) AS credited
       FROM ijw_declaration_line l JOIN provider pr ON pr.id = l.provider_id
       WHERE pr.agb_code = $1 AND l.reference_number = ANY($2::text[]) AND l.status = 'geaccepteerd' AND l.message_id <> $3`,
      [req.providerAgb, refs, this.excludeMessageId]) : [];
    const earlier = new Map(refRows.map((r) => [r.reference_number as string, { debitCredit: r.debit_credit as 'D' | 'C', credited: !!r.credited }]));
    const [decl] = await this.db.query(
      `SELECT bool_or(m.declaration_number = $3) AS used, max(m.period_start) AS last
       FROM ijw_message m WHERE m.message_type = 'JW323' AND m.direction = 'in' AND m.status = 'verwerkt' AND m.provider_agb = $1 AND m.municipality_code = $2 AND m.id <> $4`,
      [req.providerAgb, req.municipalityCode, req.declarationNumber ?? '', this.excludeMessageId]);
    const declarations = { numberUsed: !!decl?.used, lastPeriodStart: decl?.last ?? null };

    const byNumber = new Map<number, (typeof allocRows)[number]>();
    for (const r of allocRows) byNumber.set(Number(r.nr || '0'), r);
    const declared = new Map<number, DeclaredTotals>();
    const idToNumber = new Map(allocRows.map((r) => [r.id, Number(r.nr || '0')]));
    for (const r of declaredRows) declared.set(idToNumber.get(r.allocation_id)!, { volume: Number(r.volume), amountCents: Number(r.amount) });
    const hashes = new Map<string, string>();
    const hash = (bsn: string) => { let h = hashes.get(bsn); if (!h) { h = bsnLookupHash(this.keys, bsn); hashes.set(bsn, h); } return h; };

    return {
      allocation(n: number, bsn: string): AllocationInfo | undefined {
        const r = byNumber.get(n);
        if (!r) return undefined;
        return {
          assignmentNumber: n, sameProvider: r.agb_code === req.providerAgb, sameClient: r.bsn_hash === hash(bsn),
          productCategory: r.category_code ?? null, productCode: r.product_code ?? null, startDate: r.start_date, endDate: r.end_date ?? null,
          volume: r.volume ?? null, unit: r.unit ?? null, frequency: r.volume === null ? null : r.frequency ?? null, budgetCents: r.budget_cents ?? null,
        };
      },
      declared: (n) => declared.get(n) ?? { volume: 0, amountCents: 0 },
      earlierLine: (ref) => earlier.get(ref),
      earlierDeclarations: () => declarations,
      contractTariff(code: string, date: string): ContractTariff | undefined {
        const t = tariffRows.find((r) => r.code === code && r.valid_from <= date && (r.valid_to === null || date < r.valid_to) && r.p_from <= date && (r.p_to === null || date < r.p_to));
        return t ? { amountCents: Number(t.amount_cents), unit: t.unit } : undefined;
      },
    };
  }
}
