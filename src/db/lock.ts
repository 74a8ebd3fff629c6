// One process per embedded database. PGlite is PostgreSQL in one process without a postmaster: two processes on one
// data directory both write its files and corrupt the indexes for good (issue 14). Every process that opens a data
// directory first takes its lock: a file with the owner's pid, created atomically. A lock whose process is gone (after
// a crash or kill -9) is stale and taken over; a live one refuses with a Dutch message that says who holds it and what
// to do instead.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'regiekamer.lock';

export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `De database in ${dataDir} is in gebruik door proces ${owner.pid} (${owner.command || 'onbekend'}, sinds ${owner.startedAt}` +
        `${owner.host !== hostname() ? `, op ${owner.host}` : ''}). Een ingebedde database kan maar door één proces tegelijk geopend worden. ` +
        `Stop dat proces eerst, of doe het werk via de draaiende server (bijvoorbeeld berichten inlezen via de webapp of ` +
        `'npx regiekamer ijw import --server http://localhost:8080 …'). Is dat proces er niet meer, verwijder dan ${path.join(dataDir, LOCK_FILE)}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8'));
    return typeof o?.pid === 'number' ? o : null;
  } catch {
    return null; // half-written by a process that died between create and write: stale
  }
}

const held = new Map<string, string>(); // data dir -> lock file, held by this process

/** Takes the lock of `dataDir` for this process, or throws DataDirLockedError. Returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  if (held.has(dir)) throw new DataDirLockedError(dir, { pid: process.pid, host: hostname(), command: 'dit proces zelf', startedAt: new Date().toISOString() });
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    command: process.argv
      .slice(1)
      .map((a) => path.basename(a))
      .join(' ')
      .slice(0, 200),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      held.set(dir, file);
      return () => releaseDataDir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(file);
      // Same host and the process is alive: a real owner. Another host's pid cannot be checked from here: refuse.
      if (owner && (owner.host !== me.host || alive(owner.pid)) && owner.pid !== process.pid) throw new DataDirLockedError(dir, owner);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Kon het slot ${file} niet nemen`);
}

export function releaseDataDir(dataDir: string): void {
  const dir = path.resolve(dataDir);
  const file = held.get(dir);
  if (!file) return;
  held.delete(dir);
  const owner = readOwner(file);
  if (owner?.pid === process.pid) rmSync(file, { force: true });
}

// A process that ends without closing its database (an error, process.exit) still leaves the directory free.
process.on('exit', () => {
  for (const dir of [...held.keys()]) releaseDataDir(dir);
});
