// `Prefer` means the same on every engine (the outside tester's second run found Prism reading it its own way): the
// Prism engine (the suite's mocks), an in-process twin, and the behaviour MSW's handlers run. Names are
// case-insensitive, a malformed or undocumented `code`, an empty value, conflicting codes and `dynamic` are the same
// 400 in the same words, and in stateful mode a `code` or `example` is refused alike.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { createBehaviour } from '../../src/mock/behaviour.js';
import { INVALID_PARAMETER, type MockServer, startMockServer } from '../../src/mock/index.js';

const listPath = specFacts.operations.listOngoingMeetings.path;

interface Seen {
  status: number;
  error_code?: string;
  error_msg?: string;
  requestId?: string | undefined;
}

/** `prefer` as one header line per value (what node:http sends for an array). */
type Send = (prefer: string[]) => Promise<Seen>;

const fields = (status: number, text: string, requestId?: string): Seen => {
  const body = JSON.parse(text) as { error_code?: string; error_msg?: string };
  return {
    status,
    ...(body.error_code === undefined ? {} : { error_code: body.error_code, error_msg: body.error_msg }),
    requestId,
  };
};

const overHttp =
  (baseUrl: () => string, token: string): Send =>
  (prefer) =>
    new Promise((resolve, reject) => {
      const headers = { 'x-access-token': token, ...(prefer.length ? { prefer } : {}) };
      const req = httpRequest(`${baseUrl()}${listPath}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve(
            fields(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), res.headers['x-request-id'] as string),
          ),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

const throughBehaviour = (stateful: boolean, token: string): Send => {
  const behaviour = createBehaviour(stateful ? { meetings: 30 } : undefined);
  return async (prefer) => {
    // Repeated headers reach the behaviour joined, as fetch and node:http join them.
    const answer = await behaviour.handle({
      method: 'GET',
      url: listPath,
      headers: { 'x-access-token': token, ...(prefer.length ? { prefer: prefer.join(', ') } : {}) },
      body: undefined,
    });
    const text = typeof answer.body === 'string' ? answer.body : new TextDecoder().decode(answer.body);
    return fields(answer.status, text, answer.headers['x-request-id']);
  };
};

/** Every engine's answer, with the request IDs checked (32 hex digits, fresh) and left out of the comparison. */
async function everyEngine(engines: [string, Send][], prefer: string[]) {
  const answers = [];
  for (const [engine, send] of engines) {
    const { requestId, ...answer } = await send(prefer);
    expect(requestId, engine).toMatch(/^[0-9a-f]{32}$/);
    answers.push({ engine, ...answer });
  }
  const [first, ...others] = answers;
  for (const other of others) expect({ ...other, engine: first!.engine }, JSON.stringify(answers)).toEqual(first);
  return first!;
}

describe.each([
  ['examples', false],
  ['stateful', true],
] as const)('Prefer in the %s mode, on every engine', (_mode, stateful) => {
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
    const answer = await everyEngine(engines, prefer);
    expect(answer.status, JSON.stringify(answer)).toBe(400);
    expect(answer.error_code).toBe(INVALID_PARAMETER);
    expect(answer.error_msg).toMatch(/^Prefer: /);
  });

  it.each([[['CODE=429']], [['Code=429, Example=throttled']], [['code=429', 'code=429']]])(
    'reads %j by its names whatever their case: 429 in examples mode, refused in stateful mode',
    async (prefer) => {
      const answer = await everyEngine(engines, prefer);
      expect(answer.status, JSON.stringify(answer)).toBe(stateful ? 400 : 429);
    },
  );

  it('ignores a preference it does not know (RFC 7240), as no Prefer at all', async () => {
    const answer = await everyEngine(engines, ['respond-async, wait=5']);
    expect(answer.status, JSON.stringify(answer)).toBe(200);
  });
});
