// Errors that cross the HTTP boundary as RFC 9457 problem+json. The message is Dutch and names what failed.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly field?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
export const notFound = (what: string) => new AppError(404, 'Niet gevonden', `${what} bestaat niet of is voor u niet zichtbaar`);
export const forbidden = (why = 'U heeft geen toegang tot deze gegevens') => new AppError(403, 'Geen toegang', why);
export const unauthorized = () => new AppError(401, 'Niet ingelogd', 'Log in om deze gegevens te zien');
export const badRequest = (message: string, field?: string, code?: string) => new AppError(400, 'Ongeldige invoer', message, field, code);
