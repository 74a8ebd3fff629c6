// Names for the codes that reach the screen (issue 18: "no raw codes where a name exists"). Group and care types
// follow src/placement/rules.ts GROUP_TYPES; a value that is already text (a provider's own published care type) is
// shown as it is, with underscores read as spaces.
const CARE_TYPES: Record<string, string> = {
  pleeggezin: 'Pleeggezin',
  gezinshuis: 'Gezinshuis',
  specialistisch_wonen: 'Specialistisch wonen',
  behandelgroep: 'Behandelgroep',
  crisis: 'Crisisbed',
  logeren: 'Logeren',
  jeugdzorgplus: 'JeugdzorgPlus (gesloten)',
  zelfstandigheid: 'Zelfstandigheidstraining',
  moeder_kind: 'Moeder-kindhuis',
  ambulant: 'Ambulant',
};
/** "specialistisch_wonen" → "Specialistisch wonen"; unknown codes lose their underscores. */
export const careTypeName = (code: string | null | undefined) => {
  const c = String(code ?? '');
  return CARE_TYPES[c] ?? (/^[a-z]+(_[a-z]+)+$/.test(c) ? (c[0].toUpperCase() + c.slice(1)).replace(/_/g, ' ') : c);
};
/** The same in running text: "specialistisch wonen". */
export const careTypeWord = (code: string | null | undefined) => {
  const n = careTypeName(code);
  return /^[A-Z][a-z]/.test(n) && !/^JeugdzorgPlus/.test(n) ? n[0].toLowerCase() + n.slice(1) : n;
};
