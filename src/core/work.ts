// Bounded work per request (issue 14): an import walks its lines in slices and lets the event loop serve other
// requests (the health check first of all) between them, so no upload can hold the server for longer than a slice.
import { setImmediate } from 'node:timers/promises';

export const yieldToEventLoop = (): Promise<void> => setImmediate();

/** At most this many per-line errors travel back in one response; the rest are counted (problem.ts). */
export const MAX_REPORTED_ERRORS = 1_000;

/**
 * The lines of a text one by one (\n or \r\n), without splitting the whole text first: splitting 5 MB of short lines
 * at once holds the event loop for over 100 ms. Yields [index, line], index 0 being the first line.
 */
export function* textLines(text: string): Generator<[number, string]> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = 0; start <= text.length; i++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (end === text.length && line === '' && i > 0) return; // a final newline ends the text, it adds no line
    yield [i, line];
    start = end + 1;
  }
}

/**
 * Rows per statement when an import writes or updates many rows. Chosen when PGlite ran PostgreSQL on the server's
 * thread, where one statement held the event loop until it ended: 500 rows took 40–220 ms of wall time per statement
 * on the shared machine at load 9 (the rejections of an iJW file, funding's cost lines: issue 14, fifth session), over
 * the 100 ms the health check is allowed, and 250 halved that. PGlite now runs on a thread of its own (db.ts), so a
 * statement's length no longer stops the server; what the size still bounds is the JavaScript that builds one
 * statement's rows on the server's thread, and in a long transaction each statement costs more than the one before
 * (issue 18).
 */
export const ROWS_PER_STATEMENT = 250;

/**
 * Rows per statement on this database. The bound is for the embedded database only: a PostgreSQL server runs a
 * statement in its own process, so the event loop stays free however long it runs, while every statement costs a
 * round trip (at load 8–9 on this machine, 400 statements of 250 lines cost seconds of waiting). There, a large file's
 * lines go in a few statements of STATEMENT_ROWS_ON_SERVER.
 */
export const STATEMENT_ROWS_ON_SERVER = 25_000;
export const rowsPerStatement = (db: { kind: string }): number => (db.kind === 'postgres' ? STATEMENT_ROWS_ON_SERVER : ROWS_PER_STATEMENT);

/** Line numbers 1 … total in ranges of `size` (default ROWS_PER_STATEMENT), [from, to] inclusive: one statement per range. */
export function* lineRanges(total: number, size = ROWS_PER_STATEMENT): Generator<[number, number]> {
  for (let from = 1; from <= total; from += size) yield [from, Math.min(total, from + size - 1)];
}

/**
 * For loops whose steps vary in cost (matching a name against a register): `await pause()` in every step yields once
 * `everyMs` milliseconds of work have passed since the last yield, so no stretch of it holds the event loop longer.
 */
export function pauses(everyMs = 20): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < everyMs) return;
    await yieldToEventLoop();
    last = performance.now();
  };
}
