// An outside tester's findings against the mock, pinned on every engine: the Prism engine (the suite's mocks), an
// in-process twin, and the behaviour MSW's handlers run (behaviour.ts). A `Prefer` naming a prototype property is
// the same 400 as any unknown example; an empty query value is checked like any other; a limit or offset Prism
// would coerce (`1e2`, `0x10`, ` 5`) is refused by every engine in the same words, each problem said once.
import { describe, expect, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { INVALID_PARAMETER } from '../../src/mock/index.js';
import { everyEngine, sameOnEveryEngine } from '../support/mock-every-engine.js';

const { searchKey } = specFacts.operations.listOngoingMeetings.query;

describe.each([
  ['examples', false],
  ['stateful', true],
] as const)('the %s mock on every engine', (_mode, stateful) => {
  const engines = everyEngine(stateful);

  it.each([
    ['searchKey=', new RegExp(`^searchKey .*${searchKey.minLength}.*${searchKey.maxLength}`)],
    ['limit=', /^limit must be an integer/],
    ['offset=', /^offset must be an integer/],
    ['queryAll=', /^queryAll /],
  ])('refuses the empty value %s with a 400 saying what is allowed', async (query, says) => {
    for (const [engine, send] of engines) {
      const answer = await send(`?${query}`);
      expect({ engine, status: answer.status, code: answer.error_code }).toEqual({
        engine,
        status: 400,
        code: INVALID_PARAMETER,
      });
      expect(answer.error_msg, engine).toMatch(says);
    }
  });

  it.each([
    'limit=1e2',
    'limit=0x10',
    'limit=%2B5',
    'limit=%205',
    'limit=5%20',
    'offset=1e1',
    'offset=99999999999999999999',
    'limit=1&limit=2',
  ])('answers %s in the same words on every engine, each problem once', async (query) => {
    const answer = await sameOnEveryEngine(engines, `?${query}`);
    expect(answer.status, JSON.stringify(answer)).toBe(400);
    const problems = answer.error_msg!.split('; ');
    expect(new Set(problems).size, answer.error_msg).toBe(problems.length);
  });
});

describe('a Prefer naming a property every object has (examples mode, every engine)', () => {
  const engines = everyEngine(false);

  it.each([
    'example=constructor',
    'example=__proto__',
    'example=toString',
    'code=200, example=hasOwnProperty',
    'code=429, example=valueOf',
  ])('%s is the 400 of an unknown example, as example=nope is', async (prefer) => {
    for (const [engine, send] of engines) {
      const nope = await send('', { prefer: 'example=nope' });
      const answer = await send('', { prefer });
      expect({ engine, status: answer.status, code: answer.error_code }).toEqual({
        engine,
        status: 400,
        code: nope.error_code,
      });
      expect(answer.error_msg, engine).toBe(`Prefer: the spec documents no answer for ${JSON.stringify(prefer)}`);
    }
  });
});
