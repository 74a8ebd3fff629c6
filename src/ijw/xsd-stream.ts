// The XSD check by the generated checker alone (xsd-check.ts, run by the streaming reader), without the rules: the
// same result as validateXsd (libxml2, xsd.ts) from one pass, for the import's check before anything is stored and
// for the tests that compare the two. `ijw validate` and the import of a large declaration do not call this: they
// check the XSD in the pass that also judges the rules.
import { IjwReadError } from './errors.ts';
import { createParser, type MessageSource, type ReadOptions } from './reader.ts';
import type { MessageType } from './schema.ts';
import { textChunks } from './source.ts';
import type { XsdFinding, XsdResult } from './xsd.ts';

export type { XsdFinding, XsdResult } from './xsd.ts';

export interface CheckXsdOptions extends Omit<ReadOptions, 'xsd' | 'collectClients'> {
  /** Stop collecting after this many findings (the file stays invalid). Default 1000. */
  maxFindings?: number;
}

/**
 * A message against its XSD with the generated checker alone (no rules): the same result as validateXsd (libxml2),
 * from one streaming pass. Throws IjwReadError when the file is no (well-formed) iJW message at all.
 */
export async function checkXsd(source: MessageSource, opts: CheckXsdOptions = {}): Promise<XsdResult> {
  const max = opts.maxFindings ?? 1000;
  const findings: XsdFinding[] = [];
  let count = 0;
  let type: MessageType | null = null;
  const p = createParser(
    {
      ...opts,
      xsd: (f) => {
        count++;
        if (findings.length < max) findings.push(f);
      },
    },
    (e) => {
      type ??= e.type;
    },
  );
  for await (const chunk of textChunks(source, opts)) p.write(chunk);
  p.close();
  if (!type) throw new IjwReadError('XML', 'Het bestand bevat geen XML-element');
  findings.sort((a, b) => a.line - b.line);
  return { type, valid: count === 0, findings };
}
