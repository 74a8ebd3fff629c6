// All implemented rules in one list, by layer. A rule code appears once; the docs (docs/ijw-rules.md) and the
// tests are checked against this list.
import { BERICHT_RULES } from './bericht.ts';
import { EXTERN_RULES } from './extern.ts';
import { HISTORIE_RULES } from './historie.ts';
import { REGIE_RULES } from './historie-regie.ts';
import { TOEWIJZING_RULES } from './historie-toewijzing.ts';
import { ANTWOORD_RULES } from './historie-antwoord.ts';
import type { RuleDef } from './types.ts';

export const RULES: readonly RuleDef<any>[] = [...BERICHT_RULES, ...EXTERN_RULES, ...HISTORIE_RULES, ...REGIE_RULES, ...TOEWIJZING_RULES, ...ANTWOORD_RULES]
  // by code; codes are capitals and digits, so plain comparison (localeCompare loads ICU's collator: 10+ ms at start)
  .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

const byCode = new Map<string, RuleDef<any>>();
for (const r of RULES) {
  if (byCode.has(r.code)) throw new Error(`Regel ${r.code} is twee keer gedefinieerd`);
  byCode.set(r.code, r);
}

export const ruleByCode = (code: string): RuleDef<any> | undefined => byCode.get(code);
