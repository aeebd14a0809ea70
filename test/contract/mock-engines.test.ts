// The two engines are the same mock: the same random requests (valid and invalid queries, headers, tokens, sign-in
// bodies signed right and wrong, unknown paths and methods, `Prefer`) sent to the Prism engine (the suite's mocks)
// and to an in-process twin started with the same options get the same status and `error_code`, with both answers
// valid against the spec; a refusal of the request in the same words (both run spec-checks.ts first).
import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { MOCK_ADMIN_TOKEN, MOCK_APP, MOCK_USER_TOKEN, type MockServer, startMockServer } from '../../src/mock/index.js';
import { SPEC_VIOLATION } from '../../src/mock/answers.js';
import { createBehaviour } from '../../src/mock/behaviour.js';
import { createSpecAjv } from '../support/ajv.js';
import { bundledSpec, deref } from '../support/spec.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
const appAuthPath = specFacts.operations.createAppIdToken.path;
const accountPath = specFacts.operations.createAccountToken.path;
const { compile } = createSpecAjv();
const errorSchema = compile({ $ref: '#/components/schemas/ErrorResponse' });

/** The spec's schema of the `status` answer of `method path`, or the error body's when the route is not the spec's. */
function schemaOf(method: string, path: string, status: number) {
  const operation = bundledSpec.paths[path]?.[method.toLowerCase()];
  const response = operation?.responses[String(status)];
  return response ? compile(deref(response).content['application/json'].schema) : errorSchema;
}

interface Wire {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | undefined;
}

interface Seen {
  status: number;
  errorCode: string | undefined;
  body: unknown;
  text: string;
}

async function send(baseUrl: string, request: Wire): Promise<Seen> {
  const response = await fetch(`${baseUrl}${request.path}${request.query}`, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const errorCode = (body as { error_code?: string } | undefined)?.error_code;
  return { status: response.status, errorCode, body, text };
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const hmac = (key: string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest('hex');

/** A sign-in body and Authorization, right or wrong in one of several ways; a fresh nonce each time. */
const appSignIn = fc
  .record({
    userId: fc.constantFrom('', 'user02', 'someone-new'),
    wrongKey: fc.boolean(),
    upper: fc.boolean(),
    access: fc.constantFrom('none', 'right', 'wrong'),
    expireIn: fc.constantFrom(600, -600, 0),
    dropField: fc.constantFrom(undefined, 'nonce', 'clientType', 'appId'),
    nonceLength: fc.constantFrom(32, 36, 8),
  })
  .map((s) => {
    const expireTime = s.expireIn === 0 ? 0 : Math.floor(Date.now() / 1000) + s.expireIn;
    const nonce = randomUUID().replaceAll('-', '').padEnd(s.nonceLength, 'x').slice(0, s.nonceLength);
    let signature = hmac(
      s.wrongKey ? 'wrong-key' : MOCK_APP.appKey,
      `${MOCK_APP.appId}:${s.userId}:${expireTime}:${nonce}`,
    );
    if (s.upper) signature = signature.toUpperCase();
    const access = s.access === 'none' ? '' : `,access=${base64(s.access === 'right' ? MOCK_APP.appId : 'other')}`;
    const body: Record<string, unknown> = {
      appId: MOCK_APP.appId,
      clientType: 72,
      expireTime,
      nonce,
      userId: s.userId,
    };
    if (s.dropField) delete body[s.dropField];
    return { authorization: `HMAC-SHA256 signature=${signature}${access}`, body: JSON.stringify(body) };
  });

const accountSignIn = fc
  .record({
    user: fc.constantFrom(0, 3, 99),
    wrongPassword: fc.boolean(),
    bodyAccount: fc.constantFrom('same', 'other', 'missing'),
    scheme: fc.constantFrom('Basic', 'basic', 'Bearer'),
  })
  .map((s) => {
    const account = `user${String(s.user).padStart(2, '0')}`;
    const password = s.wrongPassword ? 'nope' : `mock-password-${s.user}`;
    const body: Record<string, unknown> = { clientType: 72 };
    if (s.bodyAccount !== 'missing') body.account = s.bodyAccount === 'same' ? account : 'user05';
    return { authorization: `${s.scheme} ${base64(`${account}:${password}`)}`, body: JSON.stringify(body) };
  });

const query = fc
  .array(
    fc.oneof(
      fc.constantFrom('limit', 'offset', 'queryAll', 'searchKey', 'userUUID', 'other').chain((name) =>
        fc
          .constantFrom(
            '',
            '1',
            '5',
            '0',
            '500',
            '501',
            '-1',
            'abc',
            'true',
            'false',
            'TRUE',
            'design',
            'x'.repeat(129),
            // What Prism would coerce to a number, and a number too large for int32: refused alike.
            '1e2',
            '0x10',
            ' 5',
            '+5',
            '5 ',
            '99999999999999999999',
          )
          .map((value) => `${name}=${encodeURIComponent(value)}`),
      ),
    ),
    { maxLength: 4 },
  )
  .map((parts) => (parts.length ? `?${parts.join('&')}` : ''));

function requests(examples: boolean): fc.Arbitrary<Wire> {
  const list = fc
    .record({
      query,
      token: fc.constantFrom<string | undefined>(undefined, '', MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN, 'not-a-token'),
      // Prefer as every engine reads it (prefer.ts): names of any case, malformed and conflicting values, `dynamic`.
      prefer: examples
        ? fc.constantFrom(
            undefined,
            'code=200',
            'code=401',
            'code=429',
            'code=503',
            'code=418',
            'example=emptyPage',
            'CODE=429',
            'code=',
            'example=',
            'code=0429',
            'code=1e2',
            'code=constructor',
            'dynamic=true',
            'code=401, code=500',
            'code=429; code=429',
            'respond-async',
          )
        : fc.constantFrom(undefined, 'code=429', 'CODE=429', 'example=emptyPage', 'dynamic=true', 'respond-async'),
      deprecated: fc.boolean(),
    })
    .map(({ query, token, prefer, deprecated }): Wire => {
      const headers: Record<string, string> = {};
      if (token !== undefined) headers['x-access-token'] = token;
      if (prefer !== undefined) headers.prefer = prefer;
      if (deprecated) headers['x-site-id'] = 'site-1';
      return { method: 'GET', path: listPath, query, headers, body: undefined };
    });
  const signIn = fc
    .record({
      kind: fc.constantFrom('app', 'account'),
      app: appSignIn,
      account: accountSignIn,
      contentType: fc.constantFrom('application/json', 'application/json; charset=UTF-8', 'text/plain', undefined),
      tokenType: fc.constantFrom(undefined, 'LongTicket', 'Short'),
      mangle: fc.constantFrom(undefined, 'null', '{', '[]', ''),
      noAuthorization: fc.boolean(),
    })
    .map((s): Wire => {
      const chosen = s.kind === 'app' ? s.app : s.account;
      const headers: Record<string, string> = {};
      if (!s.noAuthorization) headers.authorization = chosen.authorization;
      if (s.contentType) headers['content-type'] = s.contentType;
      if (s.tokenType) headers['x-token-type'] = s.tokenType;
      const path = s.kind === 'app' ? appAuthPath : accountPath;
      return { method: 'POST', path, query: '', headers, body: s.mangle ?? chosen.body };
    });
  const elsewhere = fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.constantFrom(listPath, appAuthPath, accountPath, '/', `${listPath}/1`, '/v1/usg/acs/token'),
    })
    .filter(({ method, path }) => !(method === 'GET' && path === listPath) && !(method === 'POST' && path !== listPath))
    .map(
      ({ method, path }): Wire => ({ method, path, query: '', headers: { 'x-access-token': 'x' }, body: undefined }),
    );
  return fc.oneof(
    { weight: 4, arbitrary: list },
    { weight: 4, arbitrary: signIn },
    { weight: 1, arbitrary: elsewhere },
  );
}

/** What the two answers must share beyond status and code: the examples' bodies (token times aside), a page's shape. */
function comparable(body: unknown, examples: boolean): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const b = body as Record<string, unknown>;
  if ('error_code' in b) return undefined;
  if ('accessToken' in b) {
    if (!examples) return { validPeriod: b.validPeriod, clientType: b.clientType };
    const { createTime: _c, expireTime: _e, refreshCreateTime: _rc, refreshExpireTime: _re, ...rest } = b;
    return rest;
  }
  if (!examples) return { offset: b.offset, limit: b.limit, count: b.count, size: (b.data as unknown[]).length };
  return b;
}

const runs = Number(process.env.FC_RUNS ?? 150);
const seed = Number(process.env.FC_SEED ?? 20261202);

describe.each([
  ['examples', false],
  ['stateful', true],
] as const)('the in-process engine answers as the Prism engine (%s)', (mode, stateful) => {
  const prismUrl = stateful ? inject('statefulUrl') : inject('prismUrl');
  let twin: MockServer;
  beforeAll(async () => {
    // The suite's stateful Prism mock: 1234 meetings, tokens of 2 s, seed 1 (test/contract/prism.setup.ts).
    twin = await startMockServer({
      engine: 'in-process',
      stateful: stateful ? { meetings: inject('statefulMeetings'), tokenValidSeconds: 2 } : false,
    });
  });
  afterAll(() => twin?.close());

  it(`gets the same status and error_code for ${runs} random requests, both valid against the spec`, async () => {
    await fc.assert(
      fc.asyncProperty(requests(!stateful), async (request) => {
        const [prism, inProcess] = [await send(prismUrl, request), await send(twin.url, request)];
        const { method, path, query, headers, body } = request;
        const what = `${method} ${path}${query} ${JSON.stringify(headers)} ${body}`;
        expect(
          { status: inProcess.status, code: inProcess.errorCode },
          `${what}\nprism: ${prism.text}\nin-process: ${inProcess.text}`,
        ).toEqual({
          status: prism.status,
          code: prism.errorCode,
        });
        for (const seen of [prism, inProcess]) {
          const validate = schemaOf(request.method, request.path, seen.status);
          expect(validate(seen.body), `${mode} ${what}: ${seen.text}`).toBe(true);
        }
        expect(comparable(inProcess.body, !stateful)).toEqual(comparable(prism.body, !stateful));
        // A refusal of the request is the same check on both engines (spec-checks.ts): the same words too.
        if (inProcess.status === 400) expect(inProcess.body, what).toEqual(prism.body);
      }),
      { seed, numRuns: runs },
    );
  }, 120_000);
});

describe('the in-process engine checks every answer against the spec before it leaves', () => {
  it('answers a loud 500 naming what breaks the spec, never the broken answer', async () => {
    const behaviour = createBehaviour({ meetings: 3 });
    behaviour.stateful!.enterprise.meetings[0]!.isAutoMute = true as unknown as 0; // a boolean where an integer goes
    const answer = await behaviour.handle({
      method: 'GET',
      url: `${listPath}?queryAll=true`,
      headers: { 'x-access-token': MOCK_ADMIN_TOKEN },
      body: undefined,
    });
    expect(answer.status).toBe(500);
    const body = JSON.parse(String(answer.body)) as { error_code: string; error_msg: string };
    expect(body.error_code).toBe(SPEC_VIOLATION);
    expect(body.error_msg).toMatch(/isAutoMute must be integer/);
  });
});

describe('where the engines once differed in wording: the same check now, the same words', () => {
  let twin: MockServer;
  beforeAll(async () => {
    twin = await startMockServer({ engine: 'in-process' });
  });
  afterAll(() => twin?.close());

  const refusal = async (baseUrl: string, path: string, init: RequestInit) => {
    const response = await fetch(`${baseUrl}${path}`, init);
    return { status: response.status, ...((await response.json()) as { error_code: string; error_msg: string }) };
  };
  const repeated = { headers: { 'x-access-token': 'x' } };
  const tokenType = {
    method: 'POST',
    headers: { authorization: 'HMAC-SHA256 signature=x', 'content-type': 'application/json', 'x-token-type': 'Short' },
    body: JSON.stringify({ appId: 'a', clientType: 72, expireTime: 0, nonce: 'n'.repeat(32) }),
  };

  it.each([
    ['a repeated query parameter', `${listPath}?limit=1&limit=2`, repeated, /^limit must be given once, got 2 values$/],
    ['a header outside its enum', appAuthPath, tokenType, /^X-Token-Type header must be equal to one of/],
  ])('%s: the same status, code and words', async (_what, path, init, says) => {
    const prism = await refusal(inject('prismUrl'), path, init);
    const inProcess = await refusal(twin.url, path, init);
    expect(prism.status).toBe(400);
    expect(prism.error_msg).toMatch(says);
    expect(inProcess).toEqual(prism);
  });
});
