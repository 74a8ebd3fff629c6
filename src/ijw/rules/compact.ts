// Small structures for what a rule keeps over a whole message (issue 14 §2: no request may hold the server's event loop
// for long). A rule that remembers every line of a 256 MB declaration (310,000 references) in one Map, with an array
// of XPath strings per entry, made the Map's growth (a rehash copies every entry) and the garbage collection of those
// strings single stops of 100–180 ms. Here: many small Maps instead of one (each grows on its own, a few thousand
// entries at a time), a line kept as a small number and its XPath built only when a finding needs it.

const SHARDS = 64;

/** A string's shard: a hash of its last (up to) 8 characters, the part in which references and BSNs differ most. */
function shardOf(k: string | number): number {
  if (typeof k === 'number') return Number.isInteger(k) ? ((k % SHARDS) + SHARDS) % SHARDS : 0;
  let h = 0;
  for (let i = Math.max(0, k.length - 8); i < k.length; i++) h = (h * 31 + k.charCodeAt(i)) | 0;
  return (h >>> 0) % SHARDS;
}

/** A Map in 64 parts: the same answers as one Map (but no insertion order), without one large rehash as it grows. */
export class ShardedMap<K extends string | number, V> {
  private readonly shards: Map<K, V>[] = Array.from({ length: SHARDS }, () => new Map<K, V>());
  get(k: K): V | undefined {
    return this.shards[shardOf(k)].get(k);
  }
  /** The part that holds `k`: for a look-up followed by a `set` of the same key, with the key hashed once. */
  part(k: K): Map<K, V> {
    return this.shards[shardOf(k)];
  }
  has(k: K): boolean {
    return this.shards[shardOf(k)].has(k);
  }
  set(k: K, v: V): this {
    this.shards[shardOf(k)].set(k, v);
    return this;
  }
  get size(): number {
    let n = 0;
    for (const s of this.shards) n += s.size;
    return n;
  }
}

/**
 * The lines (Prestaties) of a declaration as numbers 0, 1, 2 … in the order the rule saw them, with the XPath of each
 * built on demand: `${client path}/Prestaties/Prestatie[n]` as `each` (walk.ts) gives it.
 */
export class Lines {
  private readonly clientPaths: string[] = [];
  private readonly clientOf: number[] = [];
  private readonly nth: number[] = [];
  private client = -1;
  private lastPath = '';
  /** The number of the next line, which is the i-th (from 0) of the client at `clientPath`. */
  add(clientPath: string, i: number): number {
    if (this.client < 0 || clientPath !== this.lastPath || i === 0) {
      this.clientPaths.push(clientPath);
      this.client = this.clientPaths.length - 1;
      this.lastPath = clientPath;
    }
    this.clientOf.push(this.client);
    this.nth.push(i);
    return this.nth.length - 1;
  }
  path(line: number): string {
    return `${this.clientPaths[this.clientOf[line]]}/Prestaties/Prestatie[${this.nth[line] + 1}]`;
  }
}

/**
 * Value → the items (small numbers) that had it, in the order they came. The first item of a value is kept as a
 * number in a ShardedMap; only a value that comes again (rare: a duplicate) gets a list.
 */
export class Occurrences<K extends string | number> {
  private readonly first = new ShardedMap<K, number>();
  private readonly more = new Map<K, number[]>();
  /** The items that had `k` so far (empty: none). */
  get(k: K): readonly number[] {
    const f = this.first.get(k);
    if (f === undefined) return NONE;
    return this.more.get(k) ?? [f];
  }
  add(k: K, item: number): void {
    const part = this.first.part(k); // a line of a declaration passes here for several rules: its shard found once
    const f = part.get(k);
    if (f === undefined) {
      part.set(k, item);
      return;
    }
    const l = this.more.get(k);
    if (l) l.push(item);
    else this.more.set(k, [f, item]);
  }
  /** The values that came more than once, with their items, in the order of their first item. */
  repeated(): number[][] {
    return [...this.more.values()].sort((a, b) => a[0] - b[0]);
  }
}
const NONE: readonly number[] = Object.freeze([]);
