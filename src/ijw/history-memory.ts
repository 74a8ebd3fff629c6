// A History held in memory: for tests, tools and dry runs. Same answers as the database-backed one.
import type {
  AllocationInfo,
  AnsweredLine,
  ContractTariff,
  DeclaredTotals,
  History,
  HistoryRequest,
  HistorySnapshot,
  RequestInfo,
  StartStopRecord,
} from './rules/history-types.ts';
import type { MessageType } from './schema.ts';

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
  providerAgb: string;
  referenceNumber: string;
  debitCredit: 'D' | 'C';
  credited?: boolean;
  /** The line's keys for TR389 (a debit on the same allocation, product and period); without them TR389 ignores the line. */
  assignmentNumber?: number;
  productCategory?: string | null;
  productCode?: string | null;
  periodStart?: string;
  periodEnd?: string;
}
/** An earlier processed declaration (TR333, TR318). */
export interface MemoryDeclaration {
  providerAgb: string;
  municipalityCode: string;
  declarationNumber: string;
  periodStart: string /** Its BerichtIdentificatie/Identificatie (TR056). */;
  identification?: string;
}

/** An earlier message by its sender and Identificatie (TR056 for every message type). */
export interface MemoryMessage {
  type: MessageType;
  senderCode: string;
  identification: string;
}
/** An earlier accepted StartProduct or StopProduct (JW305/JW307) of a provider to a municipality for a client. */
export interface MemoryStartStop extends StartStopRecord {
  providerAgb: string;
  municipalityCode: string;
  bsn: string;
}
/** An earlier accepted request (JW315 AangevraagdProduct or JW317 Verzoek) by its ReferentieAanbieder. */
export interface MemoryRequest {
  providerAgb: string;
  municipalityCode: string;
  reference: string;
  bsn: string;
}
/** An earlier accepted answer (JW319). */
export interface MemoryAnswer {
  providerAgb: string;
  municipalityCode: string;
  reference: string;
  answer: string;
}
/** A ReferentieAanbieder an earlier JW301 carried. */
export interface MemoryAllocationReference {
  providerAgb: string;
  municipalityCode: string;
  reference: string;
}
/** A received declaration (JW323) a JW325 may answer, with its lines by ReferentieNummer. */
export interface MemoryAnsweredDeclaration {
  providerAgb: string;
  municipalityCode: string;
  identification: string;
  dagtekening: string;
  declarationNumber: string;
  xsdVersion: string | null;
  lines: (Omit<AnsweredLine, 'sameClient'> & { referenceNumber: string; bsn: string })[];
}

export interface MemoryHistoryData {
  messages?: MemoryMessage[];
  startsStops?: MemoryStartStop[];
  requests?: MemoryRequest[];
  answers?: MemoryAnswer[];
  allocationReferences?: MemoryAllocationReference[];
  answeredDeclarations?: MemoryAnsweredDeclaration[];
  allocations?: MemoryAllocation[];
  declared?: MemoryDeclaredLine[];
  tariffs?: MemoryTariff[];
  /** Without these, TR314/TR323 and TR333/TR318 stay silent. */
  lines?: MemoryEarlierLine[];
  declarations?: MemoryDeclaration[];
}

export class MemoryHistory implements History {
  readonly data: Required<Pick<MemoryHistoryData, 'allocations' | 'declared' | 'tariffs' | 'lines' | 'declarations'>>;
  private readonly more: MemoryHistoryData;
  private readonly allocationIndex = new Map<string, MemoryAllocation>();
  private readonly declaredIndex = new Map<string, DeclaredTotals>();

  constructor(data: MemoryHistoryData = {}) {
    this.more = data;
    this.data = {
      allocations: data.allocations ?? [],
      declared: data.declared ?? [],
      tariffs: data.tariffs ?? [],
      lines: data.lines ?? [],
      declarations: data.declarations ?? [],
    };
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
    const { allocationIndex, declaredIndex, more } = this;
    const mine = (x: { municipalityCode: string }) => x.municipalityCode === req.municipalityCode;
    const ours = (x: { municipalityCode: string; providerAgb: string }) => x.municipalityCode === req.municipalityCode && x.providerAgb === req.providerAgb;
    const info = (a: MemoryAllocation, bsn: string): AllocationInfo => ({
      assignmentNumber: a.assignmentNumber,
      sameProvider: a.providerAgb === req.providerAgb,
      sameClient: a.bsn === bsn,
      productCategory: a.productCategory,
      productCode: a.productCode,
      startDate: a.startDate,
      endDate: a.endDate,
      volume: a.volume,
      unit: a.unit,
      frequency: a.frequency,
      budgetCents: a.budgetCents,
      removed: !!a.removed,
    });
    const type = req.messageType ?? 'JW323';
    const requestInfo = (reference: string, bsn?: string): RequestInfo => {
      const requests = (more.requests ?? []).filter((r) => ours(r) && r.reference === reference);
      return {
        requested: requests.length > 0,
        sameClient: bsn === undefined || requests.some((r) => r.bsn === bsn),
        answers: (more.answers ?? []).filter((a) => ours(a) && a.reference === reference).map((a) => a.answer),
        allocated: (more.allocationReferences ?? []).some((a) => ours(a) && a.reference === reference),
      };
    };
    const answered = (more.answeredDeclarations ?? []).filter((d) => ours(d) && d.identification === req.answeredIdentification).at(-1);
    return {
      allocation(n: number, bsn: string): AllocationInfo | undefined {
        const a = allocationIndex.get(`${req.municipalityCode}|${n}`);
        return a ? info(a, bsn) : undefined;
      },
      ...(more.messages
        ? {
            identificationUsed: () =>
              more.messages!.some((m) => m.type === type && m.senderCode === (req.senderCode ?? req.providerAgb) && m.identification === req.identification),
          }
        : {}),
      ...(more.startsStops ? { startsStops: (bsn: string) => more.startsStops!.filter((r) => ours(r) && r.bsn === bsn) } : {}),
      clientAllocations: (bsn: string) => this.data.allocations.filter((a) => ours(a) && a.bsn === bsn).map((a) => info(a, bsn)),
      ...(more.requests || more.answers || more.allocationReferences
        ? {
            request: requestInfo,
            openRequest: (bsn: string) =>
              (more.requests ?? []).find(
                (r) => ours(r) && r.bsn === bsn && !requestInfo(r.reference).answers.includes('1') && !requestInfo(r.reference).allocated,
              )?.reference,
          }
        : {}),
      ...(more.answeredDeclarations
        ? {
            answeredDeclaration: () =>
              answered ? { dagtekening: answered.dagtekening, declarationNumber: answered.declarationNumber, xsdVersion: answered.xsdVersion } : undefined,
            answeredLine: (ref: string, bsn: string) => {
              const l = answered?.lines.find((x) => x.referenceNumber === ref);
              if (!l) return undefined;
              const { referenceNumber: _r, bsn: lineBsn, ...rest } = l;
              return { ...rest, sameClient: lineBsn === bsn };
            },
          }
        : {}),
      ...(this.data.lines.length
        ? {
            earlierLine: (ref: string) => {
              const l = this.data.lines.find((x) => x.providerAgb === req.providerAgb && x.referenceNumber === ref);
              return l ? { debitCredit: l.debitCredit, credited: !!l.credited } : undefined;
            },
            uncreditedDebit: (n: number, category: string | null, code: string | null, start: string, end: string) => {
              const l = this.data.lines.find(
                (x) =>
                  x.providerAgb === req.providerAgb &&
                  x.debitCredit === 'D' &&
                  !x.credited &&
                  x.assignmentNumber === n &&
                  (x.productCategory ?? null) === category &&
                  (x.productCode ?? null) === code &&
                  x.periodStart === start &&
                  x.periodEnd === end,
              );
              return l ? { referenceNumber: l.referenceNumber } : undefined;
            },
          }
        : {}),
      ...(this.data.declarations.length
        ? {
            earlierDeclarations: () => {
              const mine = this.data.declarations.filter((d) => d.providerAgb === req.providerAgb && d.municipalityCode === req.municipalityCode);
              return {
                numberUsed: mine.some((d) => d.declarationNumber === req.declarationNumber),
                lastPeriodStart:
                  mine
                    .map((d) => d.periodStart)
                    .sort()
                    .at(-1) ?? null,
                identificationUsed: this.data.declarations!.some(
                  (d) => d.providerAgb === req.providerAgb && d.identification !== undefined && d.identification === req.identification,
                ),
              };
            },
          }
        : {}),
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
