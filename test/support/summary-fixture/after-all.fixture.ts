import { afterAll, expect, it } from 'vitest';

afterAll(() => {
  throw new Error('clean-up failed on purpose');
});
it('passes before the clean-up fails', () => expect(true).toBe(true));
