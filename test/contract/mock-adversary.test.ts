// An outside tester's findings against the mock, pinned on every engine: the Prism engine (the suite's mocks), an
// in-process twin, and the behaviour MSW's handlers run (behaviour.ts). A `Prefer` naming a prototype property is
// the same 400 as any unknown example; an empty query value is checked like any other; a limit or offset Prism
// would coerce (`1e2`, `0x10`, ` 5`) is refused by every engine in the same words, each problem said once.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { createBehaviour } from '../../src/mock/behaviour.js';
import { INVALID_PARAMETER, type MockServer, startMockServer } from '../../src/mock/index.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
const { searchKey } = specFacts.operations.listOngoingMeetings.query;

interface Seen {
  status: number;
  error_code?: string;
  error_msg?: string;
}

/** Status and error fields only: a page of meetings in a failure message would hide the point. */
const seen = (status: number, body: { error_code?: string; error_msg?: string }): Seen => ({
  status,
  ...(body.error_code === undefined ? {} : { error_code: body.error_code, error_msg: body.error_msg }),
});

type Send = (query: string, headers?: Record<string, string>) => Promise<Seen>;

const overHttp =
  (baseUrl: () => string, token: string): Send =>
  async (query, headers = {}) => {
    const response = await fetch(`${baseUrl()}${listPath}${query}`, {
      headers: { 'x-access-token': token, ...headers },
    });
    return seen(response.status, await response.json());
  };

const throughBehaviour = (stateful: boolean, token: string): Send => {
  const behaviour = createBehaviour(stateful ? { meetings: 30 } : undefined);
  return async (query, headers = {}) => {
    const answer = await behaviour.handle({
      method: 'GET',
      url: `${listPath}${query}`,
      headers: { 'x-access-token': token, ...headers },
      body: undefined,
    });
    const text = typeof answer.body === 'string' ? answer.body : new TextDecoder().decode(answer.body);
    return seen(answer.status, JSON.parse(text));
  };
};

describe.each([
  ['examples', false],
  ['stateful', true],
] as const)('the %s mock on every engine', (_mode, stateful) => {
  let twin: MockServer;
  beforeAll(async () => {
    twin = await startMockServer({ engine: 'in-process', stateful: stateful ? { meetings: 30 } : false });
  });
  afterAll(() => twin?.close());
  const token = stateful ? 'mock-admin-token' : 'any';
  const engines: [string, Send][] = [
    ['prism', overHttp(() => (stateful ? inject('statefulUrl') : inject('prismUrl')), token)],
    ['in-process', overHttp(() => twin.url, token)],
    ['msw (behaviour)', throughBehaviour(stateful, token)],
  ];

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
    const answers = [];
    for (const [engine, send] of engines) answers.push({ engine, ...(await send(`?${query}`)) });
    const [prism, ...others] = answers;
    expect(prism!.status, JSON.stringify(prism)).toBe(400);
    for (const other of others) expect({ ...other, engine: prism!.engine }, JSON.stringify(answers)).toEqual(prism);
    const problems = prism!.error_msg!.split('; ');
    expect(new Set(problems).size, prism!.error_msg).toBe(problems.length);
  });
});

describe('a Prefer naming a property every object has (examples mode, every engine)', () => {
  let twin: MockServer;
  beforeAll(async () => {
    twin = await startMockServer({ engine: 'in-process' });
  });
  afterAll(() => twin?.close());
  const engines: [string, Send][] = [
    ['prism', overHttp(() => inject('prismUrl'), 'any')],
    ['in-process', overHttp(() => twin.url, 'any')],
    ['msw (behaviour)', throughBehaviour(false, 'any')],
  ];

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
