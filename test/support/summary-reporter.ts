// Ends the run with one plain line, "N passed, N failed, N skipped", that any CI can read. "failed" counts every
// reason the run fails, not only failed tests: a beforeAll/afterAll that threw, a file that did not load, an error
// nothing handled. So "0 failed" appears only when vitest exits 0 (test/support/summary-reporter.test.ts).
import type { SerializedError } from 'vitest';
import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    const counts = { passed: 0, skipped: 0 };
    const failed = { tests: 0, hooks: 0, files: 0, unhandled: unhandledErrors.length, other: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') failed.tests++;
        else counts.skipped++;
      }
      // A module's own errors: it did not load (nothing collected), or a file-level hook threw.
      if (module.errors().length > 0) {
        if (module.children.size === 0) failed.files++;
        else failed.hooks += module.errors().length;
      } else if (module.state() === 'failed' && module.children.size === 0) failed.files++;
      for (const suite of module.children.allSuites()) failed.hooks += suite.errors().length;
    }
    const total = () => Object.values(failed).reduce((sum, n) => sum + n, 0);
    // Whatever else makes the run fail (an error in global set-up, say) still may not read as "0 failed".
    if (reason !== 'passed' && total() === 0) failed.other = 1;
    const nouns = {
      tests: 'test',
      hooks: 'hook',
      files: 'unloaded file',
      unhandled: 'unhandled error',
      other: 'run error',
    };
    const parts = Object.entries(failed).map(
      ([kind, n]) => `${n} ${nouns[kind as keyof typeof failed]}${n === 1 ? '' : 's'}`,
    );
    const detail =
      total() > failed.tests ? ` (${parts.filter((part, i) => i === 0 || !part.startsWith('0 ')).join(', ')})` : '';
    process.stdout.write(`\n${counts.passed} passed, ${total()} failed${detail}, ${counts.skipped} skipped\n`);
  }
}
