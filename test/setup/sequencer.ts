// The order in which the suite's files start (vitest `sequence.sequencer`, issue 13 §5). Files run two at a time
// (scripts/test.mjs); a worker that finishes takes the next file. Vitest starts the files it has timed before longest
// first, but a clean clone has no timings, and then it starts the largest files first: the 390 px walk (a short file
// that takes four minutes) started last and ran alone for its whole length. So the files known to be long start
// first, the others keep vitest's order after them, and the two workers end close together.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds a file's tests took in a clean clone's CI run (`.tmp/vitest-*.json`, PGlite and browser phases, eighth session), rounded; long files only. */
const SECONDS: Record<string, number> = {
  'test/e2e/phone.test.ts': 313,
  'test/e2e/language.test.ts': 111,
  'test/e2e/dashboard.test.ts': 100,
  'test/e2e/providers.test.ts': 67,
  'test/e2e/funding.test.ts': 67,
  'test/e2e/placement.test.ts': 51,
  'test/e2e/tariffs.test.ts': 50,
  'test/e2e/messages.test.ts': 48,
  'test/e2e/risk.test.ts': 32,
  'test/e2e/drilldown.test.ts': 22,
  'test/monitoring/month-facts.test.ts': 75,
  'test/db/lock.test.ts': 47,
  'test/access.test.ts': 44,
  'test/demo.test.ts': 24,
  'test/warm.test.ts': 21,
  'test/monitoring/trend.test.ts': 18,
  'test/providers/documents.test.ts': 15,
  'test/ijw/routes.test.ts': 12,
  'test/monitoring/drilldown.test.ts': 11,
  'test/http/fuzz.test.ts': 10,
  'test/http/csv-upload.test.ts': 8,
  'test/ijw/official.test.ts': 8,
};

/**
 * Whether a file needs the demo seed (test/helpers/seed-cache.ts): a seeded database, a seeded server with regions, or
 * a browser server (which copies the seed's data directory).
 */
const NEEDS_SEED = /seededDb\(|seededServer\(\s*\[\s*[^\s\]]|copySeededDataDir|startE2E\(/;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const order = await super.sort(files);
    const seconds = (f: TestSpecification) => SECONDS[path.relative(f.project.config.root, f.moduleId).split(path.sep).join('/')] ?? 0;
    const byLength = order
      .map((file, i) => ({ file, i, s: seconds(file), seeded: NEEDS_SEED.test(readFileSync(file.moduleId, 'utf8')) }))
      .sort((a, b) => b.s - a.s || a.i - b.i);
    // The first seeded file builds the seed when it is not cached (one to two and a half minutes), and every other
    // seeded file waits for it. So that file starts first, the files that need no seed follow, to keep the other
    // worker busy meanwhile, and the remaining seeded files come after them, longest first. With the seed cached
    // (the browser phase, a second run) the seeded files start a little later than they need to; the long ones still
    // start first among them.
    const builder = byLength.findIndex((x) => x.seeded);
    if (builder < 0) return byLength.map((x) => x.file);
    const rest = byLength.filter((_, k) => k !== builder);
    return [byLength[builder], ...rest.filter((x) => !x.seeded), ...rest.filter((x) => x.seeded)].map((x) => x.file);
  }
}
