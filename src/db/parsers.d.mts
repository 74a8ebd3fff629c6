// Types of parsers.mjs (plain JavaScript, shared with the PGlite worker thread).
export declare const INT8: 20;
export declare const NUMERIC: 1700;
export declare const DATE: 1082;
export declare const TIMESTAMPTZ: 1184;
export declare const TIMESTAMP: 1114;
export declare const parseInt8: (v: string) => number;
export declare const identity: (v: string) => string;
export declare const parseTimestamp: (v: string) => string;
export declare const PARSERS: Record<number, (v: string) => unknown>;
