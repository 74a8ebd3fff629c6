// An in-memory PGlite database that starts as a copy of a data directory on disk, which it never writes: the files are
// read once into PGlite's memory file system before the database starts, without a tarball in between (issue 13 §5:
// the tests' seed, copied per test file). Loading a 0.5 GB seed this way takes about a quarter of the CPU time of
// PGlite's `loadDataDir`, whose untar reads its tarball in small pieces (BENCHMARKS.md, "The suite"); the database then
// runs in PGlite's plain memory file system, as `memory://` does. Plain JavaScript: it runs in the PGlite worker thread
// (pglite-worker.mjs), from src/ and dist/ alike.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MemoryFS } from '@electric-sql/pglite';

/** Where PGlite keeps its data directory inside its file system (PGDATA of @electric-sql/pglite 0.5). */
const PGDATA = '/pglite/data';

/** PGlite's memory file system, filled from `source` when PGlite starts; what the database writes stays in memory. */
export class MemoryCopyFS extends MemoryFS {
  /** @param {string} source */
  constructor(source) {
    super();
    this.source = source;
  }

  async initialSyncFs() {
    // Emscripten's FS: mkdirTree, mkdir, writeFile
    const fs = /** @type {any} */ (this.pg).Module.FS;
    fs.mkdirTree(PGDATA);
    /** @param {string} rel */
    const copy = (rel) => {
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
