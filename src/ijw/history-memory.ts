// A History held in memory: for tests, tools and dry runs. Same answers as the database-backed one.
import type { AllocationInfo, ContractTariff, DeclaredTotals, History, HistoryRequest, HistorySnapshot } from './rules/history-types.ts';

export interface MemoryAllocation extends Omit<AllocationInfo, 'sameProvider' | 'sameClient'> {
  municipalityCode: string;
  providerAgb: string;
  bsn: string;
}

export interface MemoryDeclaredLine {
  municipalityCode: string;
  assignmentNumber: number;
  /** In the allocation's unit (minutes on an hourly allocation: divide by 60). */
  volume: number;
  amountCents: number;
  debitCredit?: 'D' | 'C';
}

export interface MemoryTariff extends ContractTariff {
  municipalityCode: string;
  productCode: string;
  validFrom: string;
  /** Exclusive; null = open ended. */
  validTo: string | null;
}

/** An earlier accepted line by its ReferentieNummer (TR314, TR323). */
export interface MemoryEarlierLine {
  providerAgb: string; referenceNumber: string; debitCredit: 'D' | 'C'; credited?: boolean;
  /** The line's keys for TR389 (a debit on the same allocation, product and period); without them TR389 ignores the line. */
  assignmentNumber?: number; productCategory?: string | null; productCode?: string | null; periodStart?: string; periodEnd?: string;
}
/** An earlier processed declaration (TR333, TR318). */
export interface MemoryDeclaration { providerAgb: string; municipalityCode: string; declarationNumber: string; periodStart: string; /** Its BerichtIdentificatie/Identificatie (TR056). */ identification?: string }

export interface MemoryHistoryData {
  allocations?: MemoryAllocation[];
  declared?: MemoryDeclaredLine[];
  tariffs?: MemoryTariff[];
  /** Without these, TR314/TR323 and TR333/TR318 stay silent. */
  lines?: MemoryEarlierLine[];
  declarations?: MemoryDeclaration[];
}

export class MemoryHistory implements History {
  readonly data: Required<MemoryHistoryData>;
  private readonly allocationIndex = new Map<string, MemoryAllocation>();
  private readonly declaredIndex = new Map<string, DeclaredTotals>();

  constructor(data: MemoryHistoryData = {}) {
    this.data = { allocations: data.allocations ?? [], declared: data.declared ?? [], tariffs: data.tariffs ?? [], lines: data.lines ?? [], declarations: data.declarations ?? [] };
    for (const a of this.data.allocations) this.allocationIndex.set(`${a.municipalityCode}|${a.assignmentNumber}`, a);
    for (const d of this.data.declared) {
      const key = `${d.municipalityCode}|${d.assignmentNumber}`;
      const t = this.declaredIndex.get(key) ?? { volume: 0, amountCents: 0 };
      const s = d.debitCredit === 'C' ? -1 : 1;
      this.declaredIndex.set(key, { volume: t.volume + s * d.volume, amountCents: t.amountCents + s * d.amountCents });
    }
  }

  async lookup(req: HistoryRequest): Promise<HistorySnapshot> {
    const { tariffs } = this.data;
    const { allocationIndex, declaredIndex } = this;
    const mine = (x: { municipalityCode: string }) => x.municipalityCode === req.municipalityCode;
    return {
      allocation(n: number, bsn: string): AllocationInfo | undefined {
        const a = allocationIndex.get(`${req.municipalityCode}|${n}`);
        if (!a) return undefined;
        return {
          assignmentNumber: a.assignmentNumber, sameProvider: a.providerAgb === req.providerAgb, sameClient: a.bsn === bsn,
          productCategory: a.productCategory, productCode: a.productCode, startDate: a.startDate, endDate: a.endDate,
          volume: a.volume, unit: a.unit, frequency: a.frequency, budgetCents: a.budgetCents,
        };
      },
      ...(this.data.lines.length ? {
        earlierLine: (ref: string) => {
          const l = this.data.lines.find((x) => x.providerAgb === req.providerAgb && x.referenceNumber === ref);
          return l ? { debitCredit: l.debitCredit, credited: !!l.credited } : undefined;
        },
        uncreditedDebit: (n: number, category: string | null, code: string | null, start: string, end: string) => {
          const l = this.data.lines.find((x) => x.providerAgb === req.providerAgb && x.debitCredit === 'D' && !x.credited && x.assignmentNumber === n
            && (x.productCategory ?? null) === category && (x.productCode ?? null) === code && x.periodStart === start && x.periodEnd === end);
          return l ? { referenceNumber: l.referenceNumber } : undefined;
        },
      } : {}),
      ...(this.data.declarations.length ? {
        earlierDeclarations: () => {
          const mine = this.data.declarations.filter((d) => d.providerAgb === req.providerAgb && d.municipalityCode === req.municipalityCode);
          return {
            numberUsed: mine.some((d) => d.declarationNumber === req.declarationNumber), lastPeriodStart: mine.map((d) => d.periodStart).sort().at(-1) ?? null,
            identificationUsed: this.data.declarations!.some((d) => d.providerAgb === req.providerAgb && d.identification !== undefined && d.identification === req.identification),
          };
        },
      } : {}),
      declared(n: number): DeclaredTotals {
        return declaredIndex.get(`${req.municipalityCode}|${n}`) ?? { volume: 0, amountCents: 0 };
      },
      contractTariff(code: string, date: string): ContractTariff | undefined {
        const t = tariffs.find((x) => mine(x) && x.productCode === code && x.validFrom <= date && (x.validTo === null || date < x.validTo));
        return t ? { amountCents: t.amountCents, unit: t.unit } : undefined;
      },
    };
  }
}
