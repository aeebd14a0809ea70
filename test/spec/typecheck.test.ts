import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';

// `tsc` over src/, generated/, test/ and examples/ (strict), run inside the suite so that it overlaps the
// other test files instead of adding its time before them. `npm run typecheck` runs the same alone.
describe('TypeScript', () => {
  it('type-checks the whole project under strict settings', async () => {
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', repoRoot, '--pretty', 'false'], {
      cwd: repoRoot,
    }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  }, 120_000);
});
