import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './test/support/long-first-sequencer.js';
import SummaryReporter from './test/support/summary-reporter.js';

export default defineConfig({
  // examples/ import the package by its name, as users do; here that name is the source.
  resolve: {
    alias: [
      {
        find: /^huawei-meeting-online-client\/mock$/,
        replacement: fileURLToPath(new URL('./src/mock/index.ts', import.meta.url)),
      },
      {
        find: /^huawei-meeting-online-client$/,
        replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    reporters: ['default', new SummaryReporter()],
    // Many files mostly wait on child processes (tsc, npm, Prism, Chromium), so more workers than the 2 cores pay off.
    maxWorkers: 4,
    sequence: { sequencer: LongFirstSequencer },
    projects: [
      {
        extends: true,
        // test/support's own tests: the summary line, checked on real vitest runs.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/support/*.test.ts'], testTimeout: 60_000 },
      },
      { extends: true, test: { name: 'spec', include: ['test/spec/**/*.test.ts'], testTimeout: 60_000 } },
      {
        extends: true,
        test: { name: 'docs', include: ['test/docs/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 300_000 },
      },
      {
        extends: true,
        test: {
          name: 'contract',
          // test/package uses the same mocks (one Prism start fewer), so it runs in this project.
          include: ['test/contract/**/*.test.ts', 'test/package/**/*.test.ts'],
          globalSetup: ['test/contract/prism.setup.ts'],
          // Child processes (tsx, Prism, npm) start slowly on a machine whose 2 cores other processes also want.
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
