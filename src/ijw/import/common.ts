// What the steps of the iJW import share: its options and result, the refusal, the context a step gets, and the
// small readers of a message's field values. The workflow itself is ../import.ts.
import type { BsnKeys } from '../../core/bsn.ts';
import { RETOURCODES } from '../retourcodes.ts';
import type { Finding } from '../rules/types.ts';
import type { MessageType } from '../schema.ts';
import type { XsdFinding, XsdResult } from '../xsd.ts';

/** A file or the bytes of an upload. */
export type ImportSource = string | Uint8Array;

export interface ImportOptions {
  keys: BsnKeys;
  /** Today's date for the rules and the answer's Dagtekening (default: the system date). */
  today?: string;
  maxBytes?: number;
  /** Progress: done and total bytes with what is being done (fits src/cli/progress.ts). */
  onProgress?: (done: number, total: number, label: string) => void;
  /** Refuse a message whose municipality side is another one (a municipality drops files for itself only). */
  municipalityCode?: string | null;
  /**
   * From this size on (bytes) a file is imported as a large one: a declaration's XSD check in the same pass as the
   * rules and the COPY, and the history read once for the message instead of per batch. Default 4 MiB (about 5,000
   * lines).
   */
  largeFileBytes?: number;
}

/** A finding as the API and the message store show it. */
export interface StoredFinding {
  code: string;
  retourcode: string;
  text: string;
  location: string;
}

export interface ImportResult {
  messageId: number;
  type: MessageType;
  duplicate: boolean;
  status: 'verwerkt' | 'afgewezen';
  lines: number;
  acceptedLines: number;
  rejectedLines: number;
  amountCents: number;
  acceptedAmountCents: number;
  answerMessageId: number | null;
  /** Findings about the message as a whole (not about one line). */
  findings: StoredFinding[];
}

/**
 * Whether this import created or changed allocations (a new JW301 with accepted lines): the caller then refreshes the
 * trajectories monitoring reads (refreshTrajectories), once after a batch. A JW323 updates its facts itself.
 */
export const changedAllocations = (r: ImportResult): boolean => r.type === 'JW301' && !r.duplicate && r.acceptedLines > 0;

/** The file is no readable iJW message or breaks the XSD: nothing was stored. */
export class ImportRefused extends Error {
  /** Refused for the XSD's findings. */
  xsd = false;
  constructor(
    message: string,
    readonly errors: { line?: number; location: string; code: string; message: string }[],
  ) {
    super(message);
    this.name = 'ImportRefused';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const date = (v: unknown) => (typeof v === 'string' && DATE.test(v) ? v : null);
export const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
export const str = (v: unknown) => (typeof v === 'string' ? v : null);
/** The plain-Dutch reason: the WJ001 text of the return code and what the rule found. */
export const reasonText = (f: Pick<Finding, 'retourcode' | 'text'>) => {
  const rc = RETOURCODES[f.retourcode];
  return rc && rc !== f.text ? `${rc} ${f.text}` : f.text;
};
export const stored = (f: Finding): StoredFinding => ({ code: f.code, retourcode: f.retourcode, text: f.text, location: f.location });

/** The received file after step 1: its SHA-256, its gzipped bytes and its size. */
export interface Hashed {
  hash: string;
  gz: Buffer;
  size: number;
}

export const otherMunicipality = (code: string, own: string) =>
  new ImportRefused(`Het bericht is voor gemeente ${code}, niet voor ${own}; niets opgeslagen`, [
    { location: '/Bericht/Header', code: 'GEMEENTE', message: `Het bericht is voor gemeente ${code}` },
  ]);

export interface Ctx extends ImportOptions {
  today: string;
  maxBytes: number;
  large?: boolean;
  xsd?: XsdSink;
  onBytes?: (b: number) => void;
}

/** The XSD findings of a declaration checked in the pass that judges and stores it. */
export interface XsdSink {
  findings: XsdFinding[];
  count: number;
}

export function xsdRefusal(xsd: XsdResult): ImportRefused {
  const n = xsd.findings.length;
  const e = new ImportRefused(
    `Het bericht voldoet niet aan het XSD van ${xsd.type}: ${n} ${n === 1 ? 'fout' : 'fouten'}, niets opgeslagen`,
    xsd.findings.map((f) => ({ line: f.line, location: f.location, code: 'XSD', message: f.message })),
  );
  e.xsd = true;
  return e;
}

// RK_IJW_TIMING=1 prints where an import's time goes on stderr (bench:ijw shows it)
export const TIMING = !!process.env.RK_IJW_TIMING;
let tLast = 0;
export const lap = (what: string) => {
  if (!TIMING) return;
  const now = performance.now();
  if (what !== 'start') process.stderr.write(`[import] ${what}: ${((now - tLast) / 1000).toFixed(2)} s\n`);
  tLast = now;
};
