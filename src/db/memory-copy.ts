// An in-memory PGlite database that starts as a copy of a data directory on disk, which it never writes: the files are
// read once into PGlite's memory file system before the database starts, without a tarball in between (issue 13 §5:
// the tests' seed, copied per test file). Loading a 0.5 GB seed this way takes about a quarter of the CPU time of
// PGlite's `loadDataDir`, whose untar reads its tarball in small pieces (BENCHMARKS.md, "The suite"); the database then
// runs in PGlite's plain memory file system, as `memory://` does.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MemoryFS } from '@electric-sql/pglite';

/** Where PGlite keeps its data directory inside its file system (PGDATA of @electric-sql/pglite 0.5). */
const PGDATA = '/pglite/data';

interface EmscriptenFs {
  mkdirTree(p: string): void;
  mkdir(p: string, mode: number): void;
  writeFile(p: string, data: Uint8Array, opts: { canOwn: boolean }): void;
}

/** PGlite's memory file system, filled from `dir` when PGlite starts; what the database writes stays in memory. */
export class MemoryCopyFS extends MemoryFS {
  constructor(private readonly source: string) {
    super();
  }

  override async initialSyncFs(): Promise<void> {
    const fs = (this.pg as unknown as { Module: { FS: EmscriptenFs } }).Module.FS;
    fs.mkdirTree(PGDATA);
    const copy = (rel: string) => {
      for (const e of readdirSync(path.join(this.source, rel), { withFileTypes: true })) {
        const p = `${rel}/${e.name}`;
        if (e.isDirectory()) {
          fs.mkdir(PGDATA + p, 0o700);
          copy(p);
        } else if (e.isFile()) fs.writeFile(PGDATA + p, readFileSync(path.join(this.source, p)), { canOwn: true });
      }
    };
    copy('');
  }
}
