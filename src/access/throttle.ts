// Per-account back-off for failed logins (issue 14), beside the per-address rate limit: an attacker who rotates
// addresses still meets this one. After FREE_FAILURES wrong passwords for a username, each further attempt must wait
// 1, 2, 4 … seconds, at most MAX_WAIT_S, so the real user is never locked out for long; a success resets it, and
// failures older than FORGET_AFTER_MS are forgotten. The clock is injectable for tests.
export const FREE_FAILURES = 5;
export const MAX_WAIT_S = 60;
const FORGET_AFTER_MS = 15 * 60_000;
const MAX_TRACKED = 10_000; // random usernames cannot grow this without bound

interface Entry {
  failures: number;
  last: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly now: () => number = Date.now) {}

  private entry(username: string): Entry | undefined {
    const key = username.toLowerCase();
    const e = this.entries.get(key);
    if (e && this.now() - e.last > FORGET_AFTER_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Seconds this username must still wait before the next attempt; 0 when it may try now. */
  waitSeconds(username: string): number {
    const e = this.entry(username);
    if (!e || e.failures < FREE_FAILURES) return 0;
    const wait = Math.min(MAX_WAIT_S, 2 ** (e.failures - FREE_FAILURES)) * 1000;
    return Math.max(0, Math.ceil((e.last + wait - this.now()) / 1000));
  }

  failed(username: string): void {
    const key = username.toLowerCase();
    const e = this.entry(username) ?? { failures: 0, last: 0 };
    e.failures++;
    e.last = this.now();
    this.entries.delete(key); // re-insert: the map's order is the order of last failure
    this.entries.set(key, e);
    if (this.entries.size > MAX_TRACKED) this.entries.delete(this.entries.keys().next().value!);
  }

  succeeded(username: string): void {
    this.entries.delete(username.toLowerCase());
  }
}
