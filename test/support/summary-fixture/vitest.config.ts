// A tiny suite for test/support/summary-reporter.test.ts: each *.fixture.ts fails in one way (or passes), and the
// summary line must tell. Not part of the project's own run (its files do not end in .test.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SummaryReporter from '../summary-reporter.js';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: { include: ['*.fixture.ts'], reporters: ['default', new SummaryReporter()], testTimeout: 60_000 },
});
