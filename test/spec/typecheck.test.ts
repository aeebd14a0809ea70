import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { TSC_LIMIT_MS, typeErrors } from '../support/tsc.js';

// `tsc` over src/, generated/, test/ and examples/ (strict), run inside the suite so that it overlaps the
// other test files instead of adding its time before them. `npm run typecheck` runs the same alone.
describe('TypeScript', () => {
  it(
    'type-checks the whole project under strict settings',
    async () => {
      expect(await typeErrors(repoRoot)).toBe('');
    },
    TSC_LIMIT_MS + 10_000,
  );
});
