// Matching providers named in outside data (waiting-time lists, annual accounts, quarterly figures, a region's own
// spreadsheet) to the register. Pure: plain data in, a verdict per name out.
//
// Order of evidence: an AGB code or KvK number (8 digits) decides when it is in the register; otherwise the
// normalised legal name or a trade name (case, accents, punctuation, legal forms such as B.V./Stichting/V.O.F./
// Holding and the articles 'de'/'het' do not count); otherwise the most similar names (trigram Dice coefficient over
// the normalised name) are offered as candidates, and only a near-certain, unique one is taken ('gelijkend'): a
// similarity of at least SURE well ahead of the next, or the only provider whose name holds every word of a name of
// two words or more.
// A name that fits two providers equally is 'ambiguous'; nothing close is 'unknown'. Both keep their candidates.

export interface MatchProvider {
  id: number;
  name: string;
  tradeNames: string[];
  agbCode: string | null;
  kvkNumber: string | null;
}
export interface Candidate {
  id: number;
  name: string;
  score: number;
}
export type MatchVia = 'agb' | 'kvk' | 'naam' | 'handelsnaam' | 'gelijkend';
export type MatchResult =
  | { status: 'matched'; providerId: number; via: MatchVia; score: number; candidates: Candidate[] }
  | { status: 'ambiguous' | 'unknown'; providerId: null; via: null; score: number; candidates: Candidate[] };

/** Legal forms and articles that do not tell providers apart. */
const NOISE = new Set([
  'bv',
  'nv',
  'vof',
  'cv',
  'ua',
  'wa',
  'ba',
  'stichting',
  'stg',
  'st',
  'holding',
  'vereniging',
  'cooperatie',
  'coop',
  'maatschap',
  'eenmanszaak',
  'de',
  'het',
  'the',
  'v',
  'b',
  'n',
  'o',
  'f',
  'i',
  'o',
  'beheer',
]);

/** A name as compared: lower case, no accents, no punctuation, no legal form or article. */
export function normaliseName(name: string): string {
  const s = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' en ')
    .replace(/['’`´]/g, '')
    .replace(/\b([a-z])\.(?=[a-z]\.)/g, '$1') // B.V. → BV., V.O.F. → VOF.
    .replace(/\b([a-z])\.(?=[a-z]\b)/g, '$1')
    .replace(/[^a-z0-9]+/g, ' ');
  const tokens = s.split(' ').filter((t) => t && !NOISE.has(t));
  return tokens.join(' ');
}

/** An AGB code or KvK number as 8 digits, or null (spaces and dots as people type them are removed). */
export function eightDigits(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.replace(/[\s.]/g, '');
  return /^\d{8}$/.test(t) ? t : null;
}

function trigrams(key: string): string[] {
  const s = ` ${key} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return [...out];
}

/** Similarity of two normalised names, 0..1 (Dice over character trigrams). */
export function similarity(a: string, b: string): number {
  if (a === b) return a ? 1 : 0;
  const ta = trigrams(a),
    tb = new Set(trigrams(b));
  if (!ta.length || !tb.size) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return (2 * shared) / (ta.length + tb.size);
}

/** Taken without asking when unique: this similar, and this far ahead of the next provider. */
export const SURE = 0.9;
export const MARGIN = 0.08;
/** Offered as a candidate from this similarity. */
export const CANDIDATE = 0.45;
/** Names scored exactly per look-up. */
export const SHORTLIST = 40;

export class ProviderMatcher {
  private readonly byAgb = new Map<string, number>();
  private readonly byKvk = new Map<string, number>();
  private readonly byKey = new Map<string, { id: number; via: 'naam' | 'handelsnaam' }[]>();
  private readonly keys: { id: number; key: string; size: number }[] = [];
  private readonly index = new Map<string, number[]>(); // trigram → positions in keys
  private readonly names = new Map<number, string>();
  private readonly keysById = new Map<number, string[]>();

  constructor(providers: Iterable<MatchProvider>) {
    for (const p of providers) this.add(p);
  }

  add(p: MatchProvider) {
    this.names.set(p.id, p.name);
    if (p.agbCode) this.byAgb.set(p.agbCode.trim(), p.id);
    if (p.kvkNumber) this.byKvk.set(p.kvkNumber.trim(), p.id);
    const seen = new Set<string>();
    for (const [n, via] of [[p.name, 'naam'] as const, ...p.tradeNames.map((t) => [t, 'handelsnaam'] as const)]) {
      const key = normaliseName(n);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const list = this.byKey.get(key) ?? [];
      if (!list.some((x) => x.id === p.id)) list.push({ id: p.id, via });
      this.byKey.set(key, list);
      const grams = trigrams(key);
      const pos = this.keys.push({ id: p.id, key, size: grams.length }) - 1;
      this.keysById.set(p.id, [...(this.keysById.get(p.id) ?? []), key]);
      for (const g of grams) {
        let l = this.index.get(g);
        if (!l) this.index.set(g, (l = []));
        l.push(pos);
      }
    }
  }

  get size() {
    return this.names.size;
  }

  private keysOf(id: number): string[] {
    return this.keysById.get(id) ?? [];
  }

  /**
   * The closest providers to a name, best first (one entry per provider). Linear in the name, not in the register:
   * the trigrams that few names share pick at most SHORTLIST names, and only those are scored exactly.
   */
  candidates(name: string, limit = 3): Candidate[] {
    const key = normaliseName(name);
    if (!key) return [];
    const grams = trigrams(key);
    const rare = Math.max(40, this.keys.length * 0.02); // a trigram in more names than this says little about which
    const lists = grams
      .map((g) => this.index.get(g))
      .filter((l): l is number[] => !!l)
      .sort((a, b) => a.length - b.length);
    const shared = new Map<number, number>();
    lists.forEach((l, i) => {
      if (l.length > rare && i >= 3) return; // the three rarest always count, so a name of common words still finds its like
      for (const pos of l) shared.set(pos, (shared.get(pos) ?? 0) + 1);
    });
    const shortlist = [...shared].sort((a, b) => b[1] - a[1]).slice(0, SHORTLIST);
    const best = new Map<number, number>();
    for (const [pos] of shortlist) {
      const k = this.keys[pos];
      const score = k.key === key ? 1 : similarity(key, k.key);
      if (score >= CANDIDATE && score > (best.get(k.id) ?? 0)) best.set(k.id, score);
    }
    return [...best]
      .map(([id, score]) => ({ id, name: this.names.get(id)!, score: Math.round(score * 1000) / 1000 }))
      .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'nl'))
      .slice(0, limit);
  }

  /** The verdict for one row: a code first, then the name. */
  match(q: { name?: string | null; agbCode?: string | null; kvkNumber?: string | null }): MatchResult {
    const agb = eightDigits(q.agbCode),
      kvk = eightDigits(q.kvkNumber);
    // a name column that holds a code (lists often put the AGB where the name goes)
    const nameCode = eightDigits(q.name);
    for (const [code, map, via] of [
      [agb, this.byAgb, 'agb'],
      [kvk, this.byKvk, 'kvk'],
      [nameCode, this.byAgb, 'agb'],
      [nameCode, this.byKvk, 'kvk'],
    ] as const) {
      const id = code ? map.get(code) : undefined;
      if (id !== undefined) return { status: 'matched', providerId: id, via, score: 1, candidates: [{ id, name: this.names.get(id)!, score: 1 }] };
    }
    const name = (q.name ?? '').trim();
    if (!name || nameCode) return { status: 'unknown', providerId: null, via: null, score: 0, candidates: [] };
    const exact = this.byKey.get(normaliseName(name));
    const candidates = this.candidates(name);
    if (exact?.length === 1) return { status: 'matched', providerId: exact[0].id, via: exact[0].via, score: 1, candidates };
    if (exact && exact.length > 1) {
      return {
        status: 'ambiguous',
        providerId: null,
        via: null,
        score: 1,
        candidates: exact.map((e) => ({ id: e.id, name: this.names.get(e.id)!, score: 1 })),
      };
    }
    const [first, second] = candidates;
    // a short name that is part of several providers' names ('Noorderbrug' of '… Noord' and '… Zuid') is theirs to tell apart
    const tokens = normaliseName(name).split(' ');
    const containing = candidates.filter((c) => {
      const t = new Set(this.keysOf(c.id).flatMap((k) => k.split(' ')));
      return tokens.every((x) => t.has(x));
    });
    if (containing.length > 1) return { status: 'ambiguous', providerId: null, via: null, score: first.score, candidates };
    // the register's name with words left off ('Mediant Enschede' for 'Mediant Enschede Jeugdzorg'), and no other provider has those words
    if (containing.length === 1 && tokens.length >= 2 && containing[0].id === first.id) {
      return { status: 'matched', providerId: first.id, via: 'gelijkend', score: first.score, candidates };
    }
    if (first && first.score >= SURE && (!second || first.score - second.score >= MARGIN)) {
      return { status: 'matched', providerId: first.id, via: 'gelijkend', score: first.score, candidates };
    }
    if (first && second && first.score >= SURE) return { status: 'ambiguous', providerId: null, via: null, score: first.score, candidates };
    return { status: 'unknown', providerId: null, via: null, score: first?.score ?? 0, candidates };
  }
}

/** "bedoelt u …?": the suggestion text for a report row. */
export function suggestion(candidates: Candidate[]): string {
  if (!candidates.length) return '';
  return `bedoelt u ${candidates
    .slice(0, 3)
    .map((c) => `${c.name} (${Math.round(c.score * 100)}%)`)
    .join(' of ')}?`;
}
