import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/setup/sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    setupFiles: ['test/setup/inside-repo.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000, // a file that waits for the shared seed (test/helpers/seed-cache.ts) on a loaded machine
    pool: 'forks',
    fileParallelism: false,
    sequence: { sequencer: LongestFirst }, // the long files first (test/setup/sequencer.ts)
  },
});
