import type { MessageType } from '../schema.ts';
// What the cross-message rules (TR "berichtoverstijgend", OP368) need to know from earlier messages:
// the allocations (toewijzingen), what was already declared on them, and the contract tariffs.
// `History` is asked once per batch of clients (one round trip to the database for a few hundred lines);
// the answer is a synchronous `HistorySnapshot` the rules read.
//
// Implementations: history-memory.ts (tests, tools) and history-db.ts (tables allocation, declaration_line,
// product, tariff of 001_foundation.sql).

/** An allocation (ToegewezenProduct) as the rules see it. */
export interface AllocationInfo {
  /** ToewijzingNummer. */
  assignmentNumber: number;
  /** Issued to the provider that sends the declaration (Afzender). */
  sameProvider: boolean;
  /** For the youth (BSN) of the Client the line is declared under. */
  sameClient: boolean;
  /** ProductCategorie and ProductCode in the allocation; null when the allocation leaves them open. */
  productCategory: string | null;
  productCode: string | null;
  /** Ingangsdatum and Einddatum (null = open ended). */
  startDate: string;
  endDate: string | null;
  /** Omvang: Volume per Frequentie in Eenheid; all null when the allocation has no Omvang. */
  volume: number | null;
  unit: string | null;
  /** WMO757: 1 per dag, 2 per week, 4 per maand, 6 totaal binnen geldigheidsduur toewijzing. */
  frequency: string | null;
  /** Budget in cents; null when none. */
  budgetCents: number | null;
  /** The last JW301 for it had RedenWijziging 13 (verwijderd) (TR384); absent: not known. */
  removed?: boolean;
}

/** Accepted earlier declaration lines on one allocation, net (debit − credit). */
export interface DeclaredTotals {
  volume: number;
  amountCents: number;
}

export interface ContractTariff {
  /** Tariff per unit in cents. */
  amountCents: number;
  /** The unit the tariff is per (WJ756). */
  unit: string;
}

export interface HistoryRequest {
  /** The type of the message being judged (default JW323): TR056 and the rules of the other messages ask by it. */
  messageType?: MessageType;
  /** The municipality the declaration is for (Ontvanger of a JW323) and the provider sending it (Afzender, AGB). */
  municipalityCode: string;
  providerAgb: string;
  /** The allocations the lines refer to, with the BSN of the Client each is declared under. */
  allocations: { assignmentNumber: number; bsn: string }[];
  /** Contract tariffs needed: product code on a date (the start of the product period). */
  tariffs: { productCode: string; date: string }[];
  /** ReferentieNummer and VorigReferentieNummer of the lines (TR314, TR323). */
  references?: string[];
  /** DeclaratieNummer and DeclaratiePeriode begin of the message (TR333, TR318). */
  declarationNumber?: string;
  declarationPeriodStart?: string;
  /** BerichtIdentificatie/Identificatie of the message (TR056). */
  identification?: string;
  /** The BerichtIdentificatie/Afzender of the message (TR056; default providerAgb). */
  senderCode?: string;
  /** The BSNs of the clients of the batch (start/stop, requests: per client). */
  bsns?: string[];
  /** ReferentieAanbieder values the message names (JW301, JW315, JW317, JW319). */
  requestReferences?: string[];
  /** JW325: DeclaratieIdentificatie/Identificatie, the JW323 it answers (TR337). */
  answeredIdentification?: string;
}

/** A StartProduct (JW305) or StopProduct (JW307) of an earlier accepted message of this provider to this municipality. */
export interface StartStopRecord {
  kind: 'start' | 'stop';
  assignmentNumber: number | null;
  productCategory: string | null;
  productCode: string | null;
  allocationStart: string | null;
  /** Begindatum. */
  begin: string;
  /** Einddatum (stop). */
  end: string | null;
  /** RedenBeeindiging (stop). */
  reason: string | null;
  /** StatusAanlevering: '1' eerste aanlevering, '3' verwijderen. */
  status: string;
}

/** What earlier messages say about a ReferentieAanbieder of this provider (requests JW315/JW317, answers JW319, JW301). */
export interface RequestInfo {
  /** An earlier accepted JW315/JW317 of this provider carries it. */
  requested: boolean;
  /** That request was for the BSN asked about (false when it was for another client; true when no BSN was asked). */
  sameClient: boolean;
  /** VerzoekAntwoord of the earlier JW319s with it, in order (WJ760: 1 afgewezen, 2 in onderzoek). */
  answers: string[];
  /** An earlier JW301 to this provider carried it (the request was honoured). */
  allocated: boolean;
}

/** JW325: the declaration (JW323) it answers, found by DeclaratieIdentificatie. */
export interface AnsweredDeclaration {
  /** Its BerichtIdentificatie/Dagtekening. */
  dagtekening: string | null;
  declarationNumber: string | null;
  /** 'BasisschemaXsdVersie/BerichtXsdVersie' of the JW323; null when not stored. */
  xsdVersion: string | null;
}

/** JW325: a line of the answered declaration, found by its ProductReferentie. */
export interface AnsweredLine {
  sameClient: boolean;
  previousReference: string | null;
  assignmentNumber: number | null;
  productCategory: string | null;
  productCode: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  volume: number | null;
  unit: string | null;
  tariffCents: number | null;
  amountCents: number | null;
  debitCredit: string | null;
}

/** An earlier accepted declaration line of the same provider, found by its ReferentieNummer. */
export interface EarlierLine {
  debitCredit: 'D' | 'C';
  /** An accepted credit line already names this line as its VorigReferentieNummer. */
  credited: boolean;
}

/** An earlier accepted debit line of the same provider on an allocation that no accepted credit line reverses (TR389). */
export interface EarlierDebit {
  referenceNumber: string;
}

/** Earlier declarations (JW323) of the same provider to the same municipality. */
export interface EarlierDeclarations {
  /** An earlier processed declaration of this provider has this DeclaratieNummer. */
  numberUsed: boolean;
  /** The latest DeclaratiePeriode begin of an earlier processed declaration, or null. */
  lastPeriodStart: string | null;
  /** An earlier declaration (JW323) received from this sender has this Identificatie (TR056); absent: not known. */
  identificationUsed?: boolean;
}

export interface HistorySnapshot {
  /** undefined: no allocation with this number for this municipality. */
  allocation(assignmentNumber: number, bsn: string): AllocationInfo | undefined;
  /** Zero totals when nothing was declared before. */
  declared(assignmentNumber: number): DeclaredTotals;
  /** undefined: no contract tariff known for this product on this date (TR418 cannot judge, so it stays silent). */
  contractTariff(productCode: string, date: string): ContractTariff | undefined;
  /**
   * The earlier accepted line of this provider with this ReferentieNummer (undefined: none). Optional: a history
   * without stored lines (MemoryHistory) leaves TR314 and TR323 silent.
   */
  earlierLine?(referenceNumber: string): EarlierLine | undefined;
  /** Optional, like earlierLine: TR333 and TR318 stay silent without it. */
  earlierDeclarations?(): EarlierDeclarations;
  /**
   * The earlier accepted, uncredited debit line of this provider for the same ToewijzingNummer, ProductCategorie,
   * ProductCode and ProductPeriode (undefined: none). Optional: TR389 stays silent without it.
   */
  uncreditedDebit?(
    assignmentNumber: number,
    productCategory: string | null,
    productCode: string | null,
    periodStart: string,
    periodEnd: string,
  ): EarlierDebit | undefined;
}

/** (continued) What the rules of the other messages (JW301, JW305/JW307, JW315/JW317/JW319, JW325) read; all optional. */
export interface HistorySnapshot {
  /** An earlier message of this type from this sender has this Identificatie (TR056); optional. */
  identificationUsed?(): boolean;
  /** The earlier accepted StartProducts and StopProducts for this client of this provider × municipality, in order. */
  startsStops?(bsn: string): StartStopRecord[];
  /** Every allocation of this municipality to this provider for this client (TR349). */
  clientAllocations?(bsn: string): AllocationInfo[];
  /** What earlier messages say about this ReferentieAanbieder of this provider; `bsn` for the client check (TR379). */
  request?(reference: string, bsn?: string): RequestInfo;
  /** The ReferentieAanbieder of a request of this provider for this client still open (no rejection, no JW301), or undefined (TR374). */
  openRequest?(bsn: string): string | undefined;
  /** JW325: the declaration it answers (undefined: none found). */
  answeredDeclaration?(): AnsweredDeclaration | undefined;
  /** JW325: the line of the answered declaration with this ReferentieNummer (undefined: none). */
  answeredLine?(reference: string, bsn: string): AnsweredLine | undefined;
}

export interface History {
  lookup(req: HistoryRequest): Promise<HistorySnapshot>;
}
