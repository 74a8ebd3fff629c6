// Type parsing, the same on both drivers: int8 and numeric as JS numbers/strings we control, dates as 'YYYY-MM-DD'
// calendar strings (never a Date at midnight in some time zone). Plain JavaScript: the PGlite worker thread
// (pglite-worker.mjs) imports it as well as db.ts, and runs from src/ and dist/ alike (see json-worker.mjs).
export const INT8 = 20;
export const NUMERIC = 1700;
export const DATE = 1082;
export const TIMESTAMPTZ = 1184;
export const TIMESTAMP = 1114;

/** @param {string} v */
export const parseInt8 = (v) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 ${v} exceeds the safe integer range`);
  return n;
};
/** @param {string} v */
export const identity = (v) => v;
/** @param {string} v */
export const parseTimestamp = (v) => new Date(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();

/** The parser of each type we parse ourselves, by OID (PGlite's `parsers` option; `pg` asks per OID). */
export const PARSERS = { [INT8]: parseInt8, [NUMERIC]: identity, [DATE]: identity, [TIMESTAMPTZ]: parseTimestamp, [TIMESTAMP]: parseTimestamp };
