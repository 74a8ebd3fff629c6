// Judging a message file: the XSD and the rules in their layers. The verdict is what `ijw validate` prints and
// what an importer starts from. A file that is no readable iJW message gets an error instead of findings.
// One streaming pass: the reader checks the XSD (the checker generated from the official XSDs, xsd-check.ts) while
// it hands the clients to the rules. libxml2 (xsd.ts) is the reference the tests compare that checker with; it can
// still be chosen here (xsd: 'libxml2'), e.g. to compare a file by hand.
import { stat } from 'node:fs/promises';
import { IjwReadError } from './errors.ts';
import { readMessageBatches } from './reader.ts';
import { checkMessage, type CheckOptions } from './rules/engine.ts';
import type { Finding } from './rules/types.ts';
import type { MessageType } from './schema.ts';
import type { XsdFinding } from './xsd.ts';

export interface Verdict {
  file: string;
  /** The message type, or null when the file could not be read as an iJW message. */
  message: MessageType | null;
  valid: boolean;
  findings: Finding[];
  /** All findings, also beyond the collected ones (see CheckOptions.maxFindings). */
  findingCount: number;
  /** Why the file could not be read at all (then `valid` is false and there are no findings). */
  error?: { code: IjwReadError['code']; text: string; line?: number };
  clients: number;
  /** Declaration lines (Prestaties) in a JW323/JW325. */
  lines: number;
}

export interface ValidateOptions extends Omit<CheckOptions, 'onProgress'> {
  /** Skip the XSD check (the rules only). */
  skipXsd?: boolean;
  /** Which XSD check: the generated one in the same pass as the rules (default), or libxml2 in a second pass. */
  xsd?: 'generated' | 'libxml2';
  maxBytes?: number;
  /** Progress: done and total bytes with a label (fits src/cli/progress.ts). */
  onProgress?: (done: number, total: number, label: string) => void;
}

/** Validates one message file. Never throws for a bad file: the verdict says what is wrong. */
export async function validateFile(file: string, opts: ValidateOptions = {}): Promise<Verdict> {
  const verdict: Verdict = { file, message: null, valid: false, findings: [], findingCount: 0, clients: 0, lines: 0 };
  let size = 0;
  try {
    size = (await stat(file)).size;
  } catch {
    /* the reader reports it */
  }
  const progress = (label: string) => (bytes: number) => opts.onProgress?.(bytes, size, label);
  try {
    // the reader gives the clearest message when the file is no message at all; the XSD is checked in the same pass
    const generated = !opts.skipXsd && opts.xsd !== 'libxml2';
    const xsd: XsdFinding[] = [];
    let xsdCount = 0;
    const onXsd = generated
      ? (f: XsdFinding) => {
          xsdCount++;
          if (xsd.length < 1000) xsd.push(f);
        }
      : undefined;
    const result = await checkMessage(
      readMessageBatches(file, { maxBytes: opts.maxBytes, onBytes: size > 8 << 20 ? progress(generated ? 'XSD en regels' : 'regels') : undefined, xsd: onXsd }),
      { ...opts, onProgress: undefined },
    );
    verdict.message = result.type;
    if (opts.xsd === 'libxml2' && !opts.skipXsd) {
      const { validateXsd } = await import('./xsd.ts'); // libxml2 in WebAssembly: loaded only when asked for
      xsd.push(...(await validateXsd(file, { type: result.type, maxBytes: opts.maxBytes, onBytes: size > 8 << 20 ? progress('XSD') : undefined })).findings);
      xsdCount = xsd.length;
    }
    xsd.sort((a, b) => a.line - b.line);
    verdict.clients = result.clients;
    verdict.lines = result.lines;
    const xsdFindings: Finding[] = xsd.map((f) => ({ code: 'XSD', retourcode: '0001', location: f.location, text: f.message, layer: 'xsd', line: f.line }));
    verdict.findings = [...xsdFindings, ...result.findings];
    verdict.findingCount = xsdCount + result.findingCount;
    verdict.valid = verdict.findingCount === 0;
  } catch (e) {
    if (!(e instanceof IjwReadError)) throw e;
    verdict.error = { code: e.code, text: e.message, ...(e.line ? { line: e.line } : {}) };
  }
  return verdict;
}

/** The JSON shape of `ijw validate --json`: one object per file. */
export function verdictJson(v: Verdict) {
  return {
    file: v.file,
    message: v.message,
    valid: v.valid,
    findings: v.findings.map((f) => ({ code: f.code, retourcode: f.retourcode, location: f.location, text: f.text, ...(f.line ? { line: f.line } : {}) })),
    ...(v.findingCount > v.findings.length ? { findingCount: v.findingCount } : {}),
    ...(v.error ? { error: v.error } : {}),
  };
}

/** Exit code of `ijw validate`: 0 all valid, 1 findings, 2 a file could not be read at all. */
export function exitCode(verdicts: readonly Verdict[]): 0 | 1 | 2 {
  if (verdicts.some((v) => v.error)) return 2;
  return verdicts.every((v) => v.valid) ? 0 : 1;
}
