// A file that cannot be read as an iJW message at all: the reason in Dutch, with the line where known.
// Distinct from findings: a finding says the message breaks a rule; an IjwReadError says there is no message to judge.

export type ReadErrorCode =
  | 'BESTAND' // cannot open or read the file
  | 'TE_GROOT' // larger than the configured limit
  | 'CODERING' // not UTF-8
  | 'XML' // not well-formed XML
  | 'DOCTYPE' // DOCTYPE / entity declarations: refused (XXE, entity expansion)
  | 'NAMESPACE' // no or an unknown namespace, undeclared prefix
  | 'BERICHTTYPE'; // not one of the iJW 3.2 messages

export class IjwReadError extends Error {
  readonly code: ReadErrorCode;
  readonly line?: number;
  readonly column?: number;
  constructor(code: ReadErrorCode, message: string, pos?: { line?: number; column?: number }) {
    super(pos?.line ? `${message} (regel ${pos.line}${pos.column ? `, kolom ${pos.column}` : ''})` : message);
    this.name = 'IjwReadError';
    this.code = code;
    this.line = pos?.line;
    this.column = pos?.column;
  }
}
