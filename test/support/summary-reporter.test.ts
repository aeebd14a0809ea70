// The summary line against real vitest runs of test/support/summary-fixture/: each way a run can fail must make the
// "failed" count above 0, and "0 failed" must come only with exit code 0.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './paths.js';

const fixture = join(repoRoot, 'test/support/summary-fixture');

/** `vitest run` on one fixture file: its exit code and the last line it printed. */
function runFixture(file: string): Promise<{ code: number | null; last: string }> {
  const vitest = join(repoRoot, 'node_modules/vitest/vitest.mjs');
  const child = spawn(process.execPath, [vitest, 'run', '--config', join(fixture, 'vitest.config.ts'), file], {
    cwd: fixture,
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.resume();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, last: out.trimEnd().split('\n').at(-1) ?? '' }));
  });
}

describe.concurrent('the summary line', { timeout: 120_000 }, () => {
  it('says 0 failed, with the skipped test, when the run passes (exit 0)', async () => {
    expect(await runFixture('passes.fixture.ts')).toEqual({ code: 0, last: '1 passed, 0 failed, 1 skipped' });
  });

  it.each([
    ['a beforeAll that throws', 'before-all.fixture.ts', '0 passed, 1 failed (0 tests, 1 hook), 2 skipped'],
    ['an afterAll that throws', 'after-all.fixture.ts', '1 passed, 1 failed (0 tests, 1 hook), 0 skipped'],
    ['a file that fails to load', 'no-load.fixture.ts', '0 passed, 1 failed (0 tests, 1 unloaded file), 0 skipped'],
    ['an unhandled rejection', 'unhandled.fixture.ts', '1 passed, 1 failed (0 tests, 1 unhandled error), 0 skipped'],
  ])('counts %s as failed (exit 1)', async (_, file, line) => {
    expect(await runFixture(file)).toEqual({ code: 1, last: line });
  });
});
