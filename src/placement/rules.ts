// The coordination point's rules as plain functions over plain data: place arithmetic, the traffic light,
// staleness, the request state machine and matching. No database, no HTTP (tested with fixed cases).

/** Kinds of residential care a group offers. Precedence (003 Bijlage B): pleegzorg > gezinshuis > specialistisch wonen. */
export const GROUP_TYPES = {
  pleeggezin: { label: 'Pleeggezin', precedence: 1 },
  gezinshuis: { label: 'Gezinshuis', precedence: 2 },
  specialistisch_wonen: { label: 'Specialistisch wonen', precedence: 3 },
  behandelgroep: { label: 'Behandelgroep', precedence: null },
  crisis: { label: 'Crisisbed', precedence: null },
  logeren: { label: 'Logeren', precedence: null },
  jeugdzorgplus: { label: 'JeugdzorgPlus (gesloten)', precedence: null },
  zelfstandigheid: { label: 'Zelfstandigheidstraining', precedence: null },
  moeder_kind: { label: 'Moeder-kindhuis', precedence: null },
} as const satisfies Record<string, { label: string; precedence: number | null }>;
export type GroupType = keyof typeof GROUP_TYPES;
export const GROUP_TYPE_CODES = Object.keys(GROUP_TYPES) as [GroupType, ...GroupType[]];
export const groupTypeLabel = (t: string) => (GROUP_TYPES as Record<string, { label: string }>)[t]?.label ?? t;

/** Expertise a group has and a youth may need (matching is on these codes, so the list is fixed). */
export const EXPERTISE = {
  hechting: 'Hechtingsproblematiek',
  trauma: 'Trauma',
  lvb: 'Licht verstandelijke beperking',
  autisme: 'Autisme',
  agressie: 'Gedragsproblemen en agressie',
  verslaving: 'Verslaving',
  psychiatrie: 'Psychiatrische problematiek',
  eetstoornis: 'Eetstoornis',
} as const;
export type Expertise = keyof typeof EXPERTISE;
export const EXPERTISE_CODES = Object.keys(EXPERTISE) as [Expertise, ...Expertise[]];

/** Target groups (doelgroepen). */
export const TARGET_GROUPS = {
  broers_zussen: 'Broers en zussen samen',
  tienermoeders: 'Tienermoeders',
  zelfstandigheid: 'Op weg naar zelfstandigheid (16+)',
  amv: 'Alleenstaande minderjarige vreemdelingen',
  jonge_kinderen: 'Jonge kinderen (0–6)',
} as const;
export type TargetGroup = keyof typeof TARGET_GROUPS;
export const TARGET_GROUP_CODES = Object.keys(TARGET_GROUPS) as [TargetGroup, ...TargetGroup[]];
export const needLabel = (c: string) => (EXPERTISE as Record<string, string>)[c] ?? (TARGET_GROUPS as Record<string, string>)[c] ?? c;

export const GENDERS = ['gemengd', 'jongens', 'meisjes'] as const;
export type GroupGender = (typeof GENDERS)[number];

// --- places -----------------------------------------------------------------------------------

export interface Places {
  physical: number;
  staffed: number;
  occupied: number;
  reserved: number;
}

/** "An empty bed is not an available bed": free = staffed − occupied − reserved, never below zero. */
export const freePlaces = (p: Places) => Math.max(0, p.staffed - p.occupied - p.reserved);

export type Light = 'open' | 'limited' | 'closed';
export const LIGHT_LABELS: Record<Light, string> = { open: 'Open', limited: 'Beperkt', closed: 'Dicht' };

/**
 * The traffic light of a group: closed when intake is stopped or nothing is free; limited when one place is
 * free or less than a quarter of the staffed places; open otherwise.
 */
export function trafficLight(p: Places, intakeOpen: boolean): Light {
  const free = freePlaces(p);
  if (!intakeOpen || free === 0) return 'closed';
  if (free === 1 || free * 4 < p.staffed) return 'limited';
  return 'open';
}

/** A figure is stale when it was never reported or is older than the region's limit. */
export function isStale(updatedAt: string | null, now: Date, staleAfterHours: number): boolean {
  if (!updatedAt) return true;
  return now.getTime() - new Date(updatedAt).getTime() > staleAfterHours * 3600_000;
}

/**
 * Verblijfsintensiteit (001 §2): net roster hours per youth per day = roster hours per week / places / 7,
 * in five bands. The band limits are ours (the seeds describe the method, not the limits).
 */
export const INTENSITY_BANDS = [
  { band: 'I', upTo: 2.5 },
  { band: 'II', upTo: 3.5 },
  { band: 'III', upTo: 4.5 },
  { band: 'IV', upTo: 6 },
  { band: 'V', upTo: Infinity },
] as const;
export function intensity(rosterHoursWeek: number | null, places: number): { hoursPerDay: number; band: string } | null {
  if (rosterHoursWeek === null || !places) return null;
  const hoursPerDay = Math.round((rosterHoursWeek / places / 7) * 100) / 100;
  return { hoursPerDay, band: INTENSITY_BANDS.find((b) => hoursPerDay < b.upTo)!.band };
}

/** Checks a provider's report for one group; returns the Dutch problem or null. */
export function availabilityProblem(r: { staffed: number; occupied: number }, physical: number, reserved: number): string | null {
  if (r.staffed > physical) return `bemenst (${r.staffed}) kan niet meer zijn dan het aantal fysieke plekken (${physical})`;
  if (r.occupied > r.staffed) return `bezet (${r.occupied}) kan niet meer zijn dan bemenst (${r.staffed}): een bezette plek is bemenst`;
  if (r.occupied + reserved > r.staffed) {
    return `er ${reserved === 1 ? 'is 1 plek' : `zijn ${reserved} plekken`} gereserveerd; bemenst (${r.staffed}) moet minstens bezet + gereserveerd (${r.occupied + reserved}) zijn`;
  }
  return null;
}

// --- the request state machine -------------------------------------------------------------------

export const REQUEST_STATUSES = ['aangemeld', 'in_behandeling', 'aangeboden', 'geplaatst', 'beeindigd', 'ingetrokken'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** Waiting: these count as the one active request of a youth. */
export const ACTIVE_STATUSES: readonly RequestStatus[] = ['aangemeld', 'in_behandeling', 'aangeboden'];
export const STATUS_LABELS: Record<RequestStatus, string> = {
  aangemeld: 'Aangemeld',
  in_behandeling: 'In behandeling',
  aangeboden: 'Aangeboden (plek gereserveerd)',
  geplaatst: 'Geplaatst',
  beeindigd: 'Verblijf beëindigd',
  ingetrokken: 'Ingetrokken',
};

export type ActorRole = 'coordinator' | 'gemeente' | 'aanbieder' | 'regio';
export const ACTIONS = {
  oppakken: { from: ['aangemeld'], to: 'in_behandeling', roles: ['coordinator'], label: 'In behandeling nemen' },
  aanbieden: { from: ['aangemeld', 'in_behandeling'], to: 'aangeboden', roles: ['coordinator'], label: 'Plek aanbieden en reserveren' },
  afwijzen: { from: ['aangeboden'], to: 'in_behandeling', roles: ['coordinator', 'aanbieder'], label: 'Aanbod afwijzen' },
  plaatsen: { from: ['aangeboden'], to: 'geplaatst', roles: ['coordinator', 'aanbieder'], label: 'Plaatsen' },
  beeindigen: { from: ['geplaatst'], to: 'beeindigd', roles: ['coordinator', 'aanbieder'], label: 'Verblijf beëindigen' },
  intrekken: { from: ['aangemeld', 'in_behandeling', 'aangeboden'], to: 'ingetrokken', roles: ['coordinator', 'gemeente'], label: 'Intrekken' },
} as const satisfies Record<string, { from: readonly RequestStatus[]; to: RequestStatus; roles: readonly ActorRole[]; label: string }>;
export type Action = keyof typeof ACTIONS;
export const ACTION_CODES = Object.keys(ACTIONS) as [Action, ...Action[]];

/** Why this action cannot happen now (by this role, from this status, on this date), or null. Dates compare as 'YYYY-MM-DD' strings. */
export function transitionProblem(
  action: Action,
  status: RequestStatus,
  role: ActorRole,
  onDate: string,
  lastDate: string,
  today: string,
): { kind: 'role' | 'status' | 'date'; message: string } | null {
  const a = ACTIONS[action];
  if (!(a.roles as readonly string[]).includes(role)) return { kind: 'role', message: `'${a.label}' is niet toegestaan voor de rol '${role}'` };
  if (!(a.from as readonly string[]).includes(status)) {
    return {
      kind: 'status',
      message: `'${a.label}' kan niet vanuit de status '${STATUS_LABELS[status]}' (wel vanuit: ${a.from.map((s) => STATUS_LABELS[s]).join(', ')})`,
    };
  }
  if (onDate < lastDate) return { kind: 'date', message: `de datum ${onDate} ligt vóór de vorige stap (${lastDate})` };
  if (onDate > today) return { kind: 'date', message: `de datum ${onDate} ligt in de toekomst` };
  return null;
}

// --- matching ----------------------------------------------------------------------------------

export interface MatchRequest {
  ageYears: number;
  gender: string; // COD046: 1 man, 2 vrouw, 0/9 onbekend
  careTypes: string[]; // acceptable forms
  needs: string[]; // expertise and target groups the youth needs
  placesNeeded: number;
  maxDistanceKm: number | null;
  keepSchool: boolean;
}
export interface MatchGroup {
  groupId: number;
  name: string;
  groupType: string;
  providerName: string;
  locationName: string;
  municipalityName: string;
  ageMin: number | null;
  ageMax: number | null;
  gender: string;
  offers: string[]; // expertise ∪ target groups
  free: number;
  intakeOpen: boolean;
  stale: boolean;
  distanceKm: number;
  distanceApproximate: boolean;
}
export interface Proposal {
  rank: number;
  groupId: number;
  name: string;
  groupType: string;
  providerName: string;
  locationName: string;
  municipalityName: string;
  free: number;
  stale: boolean;
  distanceKm: number;
  distanceApproximate: boolean;
  covered: string[];
  missing: string[];
  precedence: number | null;
  reasons: string[]; // what speaks for this place
  rankReason: string; // why it stands where it stands (against the one above it)
}
export type Exclusion = 'type' | 'age' | 'gender' | 'intake' | 'full' | 'distance';
export const EXCLUSION_LABELS: Record<Exclusion, string> = {
  type: 'andere zorgvorm',
  age: 'leeftijd past niet',
  gender: 'jongens- of meisjesgroep',
  intake: 'opnamestop',
  full: 'geen vrije bemenste plek',
  distance: 'te ver weg',
};

/** Keeping the school (keep_school) without an explicit limit: within this many km. */
export const SCHOOL_DISTANCE_KM = 25;

function exclusion(r: MatchRequest, g: MatchGroup): Exclusion | null {
  if (!r.careTypes.includes(g.groupType)) return 'type';
  if ((g.ageMin !== null && r.ageYears < g.ageMin) || (g.ageMax !== null && r.ageYears > g.ageMax)) return 'age';
  if (g.gender === 'jongens' && r.gender !== '1') return 'gender';
  if (g.gender === 'meisjes' && r.gender !== '2') return 'gender';
  if (!g.intakeOpen) return 'intake';
  if (g.free < r.placesNeeded) return 'full';
  const limit = r.maxDistanceKm ?? (r.keepSchool ? SCHOOL_DISTANCE_KM : null);
  if (limit !== null && g.distanceKm > limit) return 'distance';
  return null;
}

const km = (d: number, approx: boolean) => `${approx ? 'ca. ' : ''}${Math.round(d)} km`;

/**
 * Ranked proposals for one request. Places that cannot take the youth are left out and counted by reason.
 * Order, most important first: (1) fit of profile and expertise: fewer missing needs first; (2) precedence
 * pleegzorg > gezinshuis > specialistisch wonen (other forms after); (3) reliable figures before stale ones;
 * (4) distance to the home municipality; (5) more free staffed places; (6) group id, for a stable order.
 * The coordinator decides; the reasons say why the list is as it is.
 */
export function rankProposals(
  r: MatchRequest,
  groups: MatchGroup[],
  homeName: string,
  limit = 25,
): { proposals: Proposal[]; excluded: Record<Exclusion, number>; considered: number } {
  const excluded: Record<Exclusion, number> = { type: 0, age: 0, gender: 0, intake: 0, full: 0, distance: 0 };
  const candidates: (Proposal & { key: number[] })[] = [];
  for (const g of groups) {
    const why = exclusion(r, g);
    if (why) {
      excluded[why]++;
      continue;
    }
    const covered = r.needs.filter((n) => g.offers.includes(n));
    const missing = r.needs.filter((n) => !g.offers.includes(n));
    const precedence = (GROUP_TYPES as Record<string, { precedence: number | null }>)[g.groupType]?.precedence ?? null;
    const reasons: string[] = [];
    reasons.push(
      r.needs.length === 0
        ? 'Geen bijzondere zorgbehoefte opgegeven'
        : missing.length === 0
          ? `Past volledig: ${covered.map(needLabel).join(', ')}`
          : `Mist: ${missing.map(needLabel).join(', ')}${covered.length ? `; wel: ${covered.map(needLabel).join(', ')}` : ''}`,
    );
    if (precedence !== null) reasons.push(`${groupTypeLabel(g.groupType)} (voorrang ${precedence}: pleegzorg > gezinshuis > specialistisch wonen)`);
    reasons.push(`${g.free} vrije bemenste ${g.free === 1 ? 'plek' : 'plekken'}`);
    reasons.push(`${km(g.distanceKm, g.distanceApproximate)} van ${homeName}`);
    if (g.stale) reasons.push('Beschikbaarheid verouderd: eerst navragen');
    candidates.push({
      rank: 0,
      groupId: g.groupId,
      name: g.name,
      groupType: g.groupType,
      providerName: g.providerName,
      locationName: g.locationName,
      municipalityName: g.municipalityName,
      free: g.free,
      stale: g.stale,
      distanceKm: Math.round(g.distanceKm * 10) / 10,
      distanceApproximate: g.distanceApproximate,
      covered,
      missing,
      precedence,
      reasons,
      rankReason: '',
      key: [missing.length, precedence ?? 9, g.stale ? 1 : 0, Math.round(g.distanceKm), -g.free, g.groupId],
    });
  }
  candidates.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
    return 0;
  });
  const top = candidates.slice(0, limit);
  top.forEach((c, i) => {
    c.rank = i + 1;
    c.rankReason = i === 0 ? firstReason(c, r) : belowReason(c, top[i - 1]);
  });
  return { proposals: top.map(({ key: _key, ...p }) => p), excluded, considered: groups.length };
}

function firstReason(c: Proposal, r: MatchRequest): string {
  const parts = [
    r.needs.length
      ? c.missing.length
        ? `beste beschikbare match op zorgbehoefte (mist ${c.missing.length})`
        : 'past volledig op zorgbehoefte'
      : 'past op zorgvorm, leeftijd en geslacht',
  ];
  if (c.precedence !== null) parts.push(`${groupTypeLabel(c.groupType).toLowerCase()} gaat voor`);
  parts.push(`${km(c.distanceKm, c.distanceApproximate)} van huis`);
  return `Eerste keus: ${parts.join(', ')}`;
}

/** The first criterion in which this proposal is worse than the one above it. */
function belowReason(c: Proposal, above: Proposal): string {
  if (c.missing.length !== above.missing.length)
    return `Minder passend op zorgbehoefte dan #${above.rank} (mist ${c.missing.length} tegen ${above.missing.length})`;
  if ((c.precedence ?? 9) !== (above.precedence ?? 9))
    return `Even passend als #${above.rank}, maar ${groupTypeLabel(above.groupType).toLowerCase()} gaat voor ${groupTypeLabel(c.groupType).toLowerCase()}`;
  if (c.stale !== above.stale) return `Even passend als #${above.rank}, maar de beschikbaarheid is verouderd`;
  if (Math.round(c.distanceKm) !== Math.round(above.distanceKm))
    return `Even passend als #${above.rank}, maar verder van huis (${km(c.distanceKm, c.distanceApproximate)} tegen ${km(above.distanceKm, above.distanceApproximate)})`;
  if (c.free !== above.free) return `Gelijk aan #${above.rank} op passendheid, voorrang en afstand; minder vrije plekken (${c.free} tegen ${above.free})`;
  return `Gelijk aan #${above.rank} op alle criteria`;
}

/** Whole years between a birth date and a day ('YYYY-MM-DD'). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
