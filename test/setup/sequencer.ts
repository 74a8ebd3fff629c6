// The order in which the suite's files start (vitest `sequence.sequencer`, issue 13 §5). Files run two at a time
// (scripts/test.mjs); a worker that finishes takes the next file. Vitest starts the files it has timed before longest
// first, but a clean clone has no timings, and then it starts the largest files first: the 390 px walk (a short file
// that takes four minutes) started last and ran alone for its whole length. So the files known to be long start
// first, the others keep vitest's order after them, and the two workers end close together.
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds a file's tests took in a clean clone's CI run (`.tmp/vitest-*.json`, PGlite pass), rounded; long files only. */
const SECONDS: Record<string, number> = {
  'test/e2e/phone.test.ts': 241,
  'test/e2e/dashboard.test.ts': 133,
  'test/e2e/language.test.ts': 106,
  'test/e2e/providers.test.ts': 93,
  'test/e2e/placement.test.ts': 78,
  'test/e2e/funding.test.ts': 77,
  'test/e2e/tariffs.test.ts': 76,
  'test/e2e/risk.test.ts': 60,
  'test/e2e/messages.test.ts': 60,
  'test/e2e/drilldown.test.ts': 41,
  'test/db/lock.test.ts': 52,
  'test/access.test.ts': 38,
  'test/monitoring/month-facts.test.ts': 35,
  'test/demo.test.ts': 25,
  'test/providers/documents.test.ts': 14,
  'test/monitoring/trend.test.ts': 13,
  'test/monitoring/drilldown.test.ts': 10,
  'test/warm.test.ts': 8,
  'test/http/fuzz.test.ts': 8,
  'test/http/csv-upload.test.ts': 8,
  'test/ijw/official.test.ts': 8,
};

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const order = await super.sort(files);
    const seconds = (f: TestSpecification) => SECONDS[path.relative(f.project.config.root, f.moduleId).split(path.sep).join('/')] ?? 0;
    return order
      .map((file, i) => ({ file, i, s: seconds(file) }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .map((x) => x.file);
  }
}
