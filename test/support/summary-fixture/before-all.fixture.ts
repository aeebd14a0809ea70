import { beforeAll, describe, expect, it } from 'vitest';

describe('a suite whose set-up fails', () => {
  beforeAll(() => {
    throw new Error('set-up failed on purpose');
  });
  it('never runs', () => expect(true).toBe(true));
  it('never runs either', () => expect(true).toBe(true));
});
