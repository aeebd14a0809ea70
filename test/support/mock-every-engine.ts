// The same list request to every engine of the mock: the Prism engine (the suite's mocks, from globalSetup), an
// in-process twin started for the suite, and the behaviour MSW's handlers run (behaviour.ts). For the tests that pin
// the engines to one answer.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { createBehaviour } from '../../src/mock/behaviour.js';
import { type MockServer, startMockServer } from '../../src/mock/index.js';

const listPath = specFacts.operations.listOngoingMeetings.path;

/** Status and error fields only (a page of meetings in a failure message would hide the point), and the request id. */
export interface Seen {
  status: number;
  error_code?: string;
  error_msg?: string;
  requestId?: string | undefined;
}

/** A list request: its query (`?limit=5`, or ''), and headers; an array is one header line per value. */
export type Send = (query: string, headers?: Record<string, string | string[]>) => Promise<Seen>;

const fields = (status: number, text: string, requestId: string | undefined): Seen => {
  const body = JSON.parse(text) as { error_code?: string; error_msg?: string };
  return {
    status,
    ...(body.error_code === undefined ? {} : { error_code: body.error_code, error_msg: body.error_msg }),
    requestId,
  };
};

const overHttp =
  (baseUrl: () => string, token: string): Send =>
  (query, headers = {}) =>
    new Promise((resolve, reject) => {
      const sent = { 'x-access-token': token, ...headers };
      const req = httpRequest(`${baseUrl()}${listPath}${query}`, { headers: sent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve(fields(res.statusCode ?? 0, text, res.headers['x-request-id'] as string | undefined));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

const throughBehaviour = (stateful: boolean, token: string): Send => {
  const behaviour = createBehaviour(stateful ? { meetings: 30 } : undefined);
  return async (query, headers = {}) => {
    // Repeated headers reach the behaviour joined, as fetch and node:http join them.
    const joined = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
    );
    const answer = await behaviour.handle({
      method: 'GET',
      url: `${listPath}${query}`,
      headers: { 'x-access-token': token, ...joined },
      body: undefined,
    });
    const text = typeof answer.body === 'string' ? answer.body : new TextDecoder().decode(answer.body);
    return fields(answer.status, text, answer.headers['x-request-id']);
  };
};

/**
 * The engines of the examples or the stateful mode, named: call it in a describe block (it starts the in-process
 * twin before the block's tests and stops it after).
 */
export function everyEngine(stateful: boolean): [string, Send][] {
  let twin: MockServer | undefined;
  beforeAll(async () => {
    twin = await startMockServer({ engine: 'in-process', stateful: stateful ? { meetings: 30 } : false });
  });
  afterAll(() => twin?.close());
  const token = stateful ? 'mock-admin-token' : 'any';
  return [
    ['prism', overHttp(() => (stateful ? inject('statefulUrl') : inject('prismUrl')), token)],
    ['in-process', overHttp(() => twin!.url, token)],
    ['msw (behaviour)', throughBehaviour(stateful, token)],
  ];
}

/** Every engine's answer to one request, the request ids checked (32 hex digits) and left out; all must be equal. */
export async function sameOnEveryEngine(
  engines: [string, Send][],
  query: string,
  headers?: Record<string, string | string[]>,
): Promise<Omit<Seen, 'requestId'>> {
  const answers = [];
  for (const [engine, send] of engines) {
    const { requestId, ...answer } = await send(query, headers);
    expect(requestId, engine).toMatch(/^[0-9a-f]{32}$/);
    answers.push({ engine, ...answer });
  }
  const [first, ...others] = answers;
  for (const other of others) expect({ ...other, engine: first!.engine }, JSON.stringify(answers)).toEqual(first);
  const { engine: _engine, ...answer } = first!;
  return answer;
}
