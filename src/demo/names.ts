// Synthetic, deterministic names for demo providers and locations. Any likeness to a real organisation is chance.
const FIRST = ['De', 'Het', 'Stichting', 'Zorggroep', 'Jeugdhulp', 'Praktijk', 'Centrum', 'Huize', 'Team', 'Expertisecentrum'];
const CORE = ['Linde', 'Eik', 'Horizon', 'Kompas', 'Brug', 'Haven', 'Veste', 'Ster', 'Boomgaard', 'Dijk', 'Esch', 'Vonder', 'Zonnehof', 'Kiem', 'Wilg',
  'Lichtpunt', 'Rietland', 'Markezijde', 'Heuvelrug', 'Beek', 'Molenhoek', 'Klimop', 'Vlinder', 'Anker', 'Noorderlicht', 'Regenboog', 'Oase', 'Spoor', 'Duin', 'Veld'];
const SUFFIX = ['', ' Jeugd', ' Jeugd & Gezin', ' Ambulant', ' Wonen', ' Zorg', ' Behandeling', ' Oost', ' & Partners', ' Kind en Jeugd'];
const SYSTEM = ['Jeugdzorg', 'Jeugd-GGZ', 'Kinder- en Jeugdpsychiatrie', 'Gezinsvormen', 'Jeugdbescherming en Zorg', 'Orthopedagogisch Centrum', 'Zorgcombinatie', 'Jeugdhulp Plus'];

export function providerName(n: number, system: boolean): string {
  const core = CORE[(n * 7) % CORE.length];
  if (system) return `${SYSTEM[n % SYSTEM.length]} ${core}${n >= SYSTEM.length ? ` ${Math.floor(n / SYSTEM.length) % 100}` : ''}`.trim();
  const name = `${FIRST[n % FIRST.length]} ${core}${SUFFIX[Math.floor(n / FIRST.length) % SUFFIX.length]}`;
  return n >= FIRST.length * SUFFIX.length ? `${name} ${Math.floor(n / (FIRST.length * SUFFIX.length))}` : name;
}
export const locationName = (id: number) => `Locatie ${CORE[id % CORE.length]} ${id}`;
