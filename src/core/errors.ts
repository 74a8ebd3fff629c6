// Errors that cross the HTTP boundary as RFC 9457 problem+json. The message is Dutch and names what failed.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly field?: string,
    readonly code?: string,
    /** one entry per failing field or line, for imports that are refused as a whole */
    readonly errors?: FieldError[],
  ) {
    super(message);
  }
}
export interface FieldError { field: string; detail: string; line?: number }
export const notFound = (what: string) => new AppError(404, 'Niet gevonden', `${what} bestaat niet of is voor u niet zichtbaar`);
export const forbidden = (why = 'U heeft geen toegang tot deze gegevens') => new AppError(403, 'Geen toegang', why);
export const unauthorized = () => new AppError(401, 'Niet ingelogd', 'Log in om deze gegevens te zien');
export const badRequest = (message: string, field?: string, code?: string) => new AppError(400, 'Ongeldige invoer', message, field, code);
/** An import refused as a whole: every failing line is named, nothing is stored. */
export const invalidRows = (what: string, errors: FieldError[]) =>
  new AppError(400, 'Ongeldige invoer', `${what}: ${errors.length} ${errors.length === 1 ? 'fout' : 'fouten'}, niets opgeslagen. ${errors.slice(0, 3).map((e) => (e.line ? `regel ${e.line}, ` : '') + `${e.field}: ${e.detail}`).join('; ')}`,
    errors[0]?.field, undefined, errors);
