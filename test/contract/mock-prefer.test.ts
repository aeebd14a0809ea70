// `Prefer` means the same on every engine (the outside tester's second run found Prism reading it its own way): the
// Prism engine (the suite's mocks), an in-process twin, and the behaviour MSW's handlers run. Names are
// case-insensitive, a malformed or undocumented `code`, an empty value, conflicting codes and `dynamic` are the same
// 400 in the same words, and in stateful mode a `code` or `example` is refused alike.
import { describe, expect, it } from 'vitest';
import { INVALID_PARAMETER } from '../../src/mock/index.js';
import { everyEngine, sameOnEveryEngine, type Send } from '../support/mock-every-engine.js';

/** Every engine's answer to `prefer`, one header line per value (what node:http sends for an array). */
const preferring = (engines: [string, Send][], prefer: string[]) =>
  sameOnEveryEngine(engines, '', prefer.length ? { prefer } : {});

describe.each([
  ['examples', false],
  ['stateful', true],
] as const)('Prefer in the %s mode, on every engine', (_mode, stateful) => {
  const engines = everyEngine(stateful);

  it.each([
    [['code=constructor']],
    [['code=__proto__']],
    [['code=']],
    [['example=']],
    [['code=1e2']],
    [['code=0x1f5']],
    [['code=0429']],
    [['code=418']],
    [['dynamic=true']],
    [['code=200, dynamic=true']],
    [['code=401, code=500']],
    [['code=429; code=500']],
    [['code=429', 'code=500']],
  ])('refuses %j with the same 400 in the same words', async (prefer) => {
    const answer = await preferring(engines, prefer);
    expect(answer.status, JSON.stringify(answer)).toBe(400);
    expect(answer.error_code).toBe(INVALID_PARAMETER);
    expect(answer.error_msg).toMatch(/^Prefer: /);
  });

  it.each([[['CODE=429']], [['Code=429, Example=throttled']], [['code=429', 'code=429']]])(
    'reads %j by its names whatever their case: 429 in examples mode, refused in stateful mode',
    async (prefer) => {
      const answer = await preferring(engines, prefer);
      expect(answer.status, JSON.stringify(answer)).toBe(stateful ? 400 : 429);
    },
  );

  it('ignores a preference it does not know (RFC 7240), as no Prefer at all', async () => {
    const answer = await preferring(engines, ['respond-async, wait=5']);
    expect(answer.status, JSON.stringify(answer)).toBe(200);
  });
});
