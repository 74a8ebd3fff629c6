// Synthetic, deterministic names for demo providers and locations. Any likeness to a real organisation is chance.
const FIRST = ['De', 'Het', 'Stichting', 'Zorggroep', 'Jeugdhulp', 'Praktijk', 'Centrum', 'Huize', 'Team', 'Expertisecentrum'];
const CORE = [
  'Linde',
  'Eik',
  'Horizon',
  'Kompas',
  'Brug',
  'Haven',
  'Veste',
  'Ster',
  'Boomgaard',
  'Dijk',
  'Esch',
  'Vonder',
  'Zonnehof',
  'Kiem',
  'Wilg',
  'Lichtpunt',
  'Rietland',
  'Markezijde',
  'Heuvelrug',
  'Beek',
  'Molenhoek',
  'Klimop',
  'Vlinder',
  'Anker',
  'Noorderlicht',
  'Regenboog',
  'Oase',
  'Spoor',
  'Duin',
  'Veld',
];
const SUFFIX = ['', ' Jeugd', ' Jeugd & Gezin', ' Ambulant', ' Wonen', ' Zorg', ' Behandeling', ' Oost', ' & Partners', ' Kind en Jeugd'];
const SYSTEM = [
  'Jeugdzorg',
  'Jeugd-GGZ',
  'Kinder- en Jeugdpsychiatrie',
  'Gezinsvormen',
  'Jeugdbescherming en Zorg',
  'Orthopedagogisch Centrum',
  'Zorgcombinatie',
  'Jeugdhulp Plus',
];

export function providerName(n: number, system: boolean): string {
  const core = CORE[(n * 7) % CORE.length];
  if (system) return `${SYSTEM[n % SYSTEM.length]} ${core}${n >= SYSTEM.length ? ` ${Math.floor(n / SYSTEM.length) % 100}` : ''}`.trim();
  const name = `${FIRST[n % FIRST.length]} ${core}${SUFFIX[Math.floor(n / FIRST.length) % SUFFIX.length]}`;
  return n >= FIRST.length * SUFFIX.length ? `${name} ${Math.floor(n / (FIRST.length * SUFFIX.length))}` : name;
}
export const locationName = (id: number) => `Locatie ${CORE[id % CORE.length]} ${id}`;

const STREETS = [
  'Dorpsstraat',
  'Kerkstraat',
  'Schoolstraat',
  'Molenweg',
  'Stationsweg',
  'Beukenlaan',
  'Eikenlaan',
  'Julianastraat',
  'Wilhelminastraat',
  'Parallelweg',
];
// postcode letters as PostNL issues them (no SA, SD, SS)
const LETTERS = 'ABCEGHJKLMNPRTVWXZ';

/**
 * A fictional BRP address for a demo youth, from its id and municipality alone (no random draws: the demo's
 * calibrated figures depend on the order of the random numbers). In the iJW Adres shape that a JW301 carries.
 */
export function demoAddress(id: number, municipalityCode: string, municipalityName: string) {
  const digits = 1000 + ((Number(municipalityCode) * 37 + Math.floor(id / 97)) % 9000);
  const letters = LETTERS[id % LETTERS.length] + LETTERS[Math.floor(id / LETTERS.length) % LETTERS.length];
  return {
    Huis: { Huisnummer: (id % 199) + 1 },
    Postcode: `${digits}${letters}`,
    Straatnaam: STREETS[id % STREETS.length],
    Plaatsnaam: municipalityName.slice(0, 80),
    LandCode: 'NL',
  };
}
