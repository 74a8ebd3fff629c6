// Errors that cross the HTTP boundary as RFC 9457 problem+json. The message is Dutch and names what failed.
import { MAX_REPORTED_ERRORS } from './work.ts';
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly field?: string,
    readonly code?: string,
    /** one entry per failing field or line, for imports that are refused as a whole */
    readonly errors?: FieldError[],
    /** how many there were in all, when `errors` holds only the first of them */
    readonly errorCount?: number,
  ) {
    super(message);
  }
}
export interface FieldError {
  field: string;
  detail: string;
  line?: number;
}
export const notFound = (what: string) => new AppError(404, 'Niet gevonden', `${what} bestaat niet of is voor u niet zichtbaar`);
export const forbidden = (why = 'U heeft geen toegang tot deze gegevens') => new AppError(403, 'Geen toegang', why);
export const unauthorized = () => new AppError(401, 'Niet ingelogd', 'Log in om deze gegevens te zien');
export const badRequest = (message: string, field?: string, code?: string) => new AppError(400, 'Ongeldige invoer', message, field, code);
/**
 * The errors of an import, line by line: every one is counted, only the first MAX_REPORTED_ERRORS are kept (a file of
 * 230,000 bad lines made as many error objects, and their garbage paused the server).
 */
export class LineErrors {
  readonly list: FieldError[] = [];
  private count = 0;
  push(e: FieldError): number {
    this.count++;
    if (this.list.length < MAX_REPORTED_ERRORS) this.list.push(e);
    return this.count;
  }
  get length(): number {
    return this.count;
  }
}

/** An import refused as a whole: every failing line is named (the first MAX_REPORTED_ERRORS) and counted, nothing is stored. */
export const invalidRows = (what: string, errors: FieldError[] | LineErrors) => {
  const list = errors instanceof LineErrors ? errors.list : errors;
  const total = errors.length;
  return new AppError(
    400,
    'Ongeldige invoer',
    `${what}: ${total} ${total === 1 ? 'fout' : 'fouten'}, niets opgeslagen. ${list
      .slice(0, 3)
      .map((e) => (e.line ? `regel ${e.line}, ` : '') + `${e.field}: ${e.detail}`)
      .join('; ')}`,
    list[0]?.field,
    undefined,
    list,
    total,
  );
};
