// Every answer of the mock, in both modes, is Huawei's: `{error_code, error_msg}` with a fresh X-Request-Id, never
// Prism's problem+json or its server's `{"error":…}`, and no request crashes it into a 5xx Huawei would not send.
// The requests are an adversary's: sign-ins without Content-Type or with a `null` body, malformed JSON, a body over
// the gateway's limit, unknown paths and methods, and random mixes of them.
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { errorBodies } from '../../generated/error-bodies.js';
import { specFacts } from '../../generated/spec-facts.js';
import { INVALID_PARAMETER, MOCK_ADMIN_TOKEN } from '../../src/mock/index.js';

const modes = { examples: inject('prismUrl'), stateful: inject('statefulUrl') };
const listPath = specFacts.operations.listOngoingMeetings.path;
const appAuthPath = specFacts.operations.createAppIdToken.path;
const accountPath = specFacts.operations.createAccountToken.path;
const signature = `HMAC-SHA256 signature=${'a'.repeat(64)}`;
const basic = `Basic ${Buffer.from('user00:mock-password-0').toString('base64')}`;
const NOT_FOUND = errorBodies['Error-404'];
const TOO_LARGE = errorBodies['Error-413'];

interface Answer {
  status: number;
  contentType: string | null;
  requestId: string | null;
  text: string;
}

async function send(baseUrl: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, init);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    requestId: response.headers.get('x-request-id'),
    text: await response.text(),
  };
}

/** An error answer in Huawei's shape: JSON `{error_code, error_msg}` (strings), a 32-hex X-Request-Id. */
function expectHuaweiError(answer: Answer, method = 'GET'): { error_code: string; error_msg: string } {
  expect(answer.requestId, answer.text).toMatch(/^[0-9a-f]{32}$/);
  expect(answer.contentType, answer.text).toMatch(/^application\/json/);
  if (method === 'HEAD') return { error_code: '', error_msg: '' };
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  expect(typeof body.error_code, answer.text).toBe('string');
  expect(typeof body.error_msg, answer.text).toBe('string');
  expect(Object.keys(body).filter((key) => key !== 'request_id')).toEqual(['error_code', 'error_msg']);
  return body as { error_code: string; error_msg: string };
}

describe.each(Object.entries(modes))('every answer of the %s mock is Huawei-shaped', (_mode, baseUrl) => {
  describe.each([
    ['App ID', appAuthPath, signature],
    ['account', accountPath, basic],
  ])('a sign-in (%s)', (_kind, path, authorization) => {
    const signIn = (body: string | undefined, headers: Record<string, string>) =>
      send(baseUrl, path, { method: 'POST', headers: { authorization, ...headers }, body: body ?? null });

    it('without a Content-Type is a 400 saying the body must be JSON', async () => {
      // A Blob without a type: fetch then sends no Content-Type at all.
      const answer = await signIn(new Blob(['{"account":"user00","clientType":72}']) as unknown as string, {});
      expect(answer.status).toBe(400);
      expect(expectHuaweiError(answer)).toEqual({
        error_code: INVALID_PARAMETER,
        error_msg: 'body: the Content-Type must be application/json, got none',
      });
    });

    it('as text/plain is a 400 naming the type sent', async () => {
      const answer = await signIn('{}', { 'content-type': 'text/plain' });
      expect(answer.status).toBe(400);
      expect(expectHuaweiError(answer).error_msg).toContain('"text/plain"');
    });

    it.each([
      ['null', 'got null'],
      ['[1, 2]', 'got an array'],
      ['42', 'got a number'],
      ['"text"', 'got a string'],
    ])('with the body %s is a 400 saying a JSON object is required', async (body, what) => {
      const answer = await signIn(body, { 'content-type': 'application/json' });
      expect(answer.status).toBe(400);
      expect(expectHuaweiError(answer)).toEqual({
        error_code: INVALID_PARAMETER,
        error_msg: `body: must be a JSON object, ${what}`,
      });
    });

    it('with no body is a 400', async () => {
      const answer = await signIn(undefined, { 'content-type': 'application/json' });
      expect(answer.status).toBe(400);
      expect(expectHuaweiError(answer).error_msg).toBe('body: a JSON object is required, got an empty body');
    });

    it('with malformed JSON is a 400 saying so', async () => {
      const answer = await signIn('{"appId": "x",', { 'content-type': 'application/json' });
      expect(answer.status).toBe(400);
      const body = expectHuaweiError(answer);
      expect(body.error_code).toBe(INVALID_PARAMETER);
      expect(body.error_msg).toMatch(/^body: not valid JSON \(/);
    });

    it("over the gateway's 12 MiB is the gateway's 413", async () => {
      const huge = JSON.stringify({ account: 'x'.repeat(12 * 1024 * 1024), clientType: 72 });
      const answer = await signIn(huge, { 'content-type': 'application/json' });
      expect(answer.status).toBe(413);
      expect(expectHuaweiError(answer)).toEqual(TOO_LARGE);
    });
  });

  it.each([
    ['GET', '/'],
    ['GET', '/v1/mmc/management/conferences'],
    ['GET', `${listPath}/`],
    ['GET', `${listPath}x?limit=1`],
    ['POST', '/v3/usg/acs/auth/appauth'],
    ['DELETE', listPath],
    ['PUT', listPath],
    ['PATCH', appAuthPath],
    ['GET', appAuthPath],
    ['GET', accountPath],
    ['OPTIONS', listPath],
    ['HEAD', listPath],
  ])("%s %s is the API gateway's 404", async (method, path) => {
    const answer = await send(baseUrl, path, {
      method,
      headers: { 'x-access-token': MOCK_ADMIN_TOKEN, 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(404);
    const body = expectHuaweiError(answer, method);
    if (method !== 'HEAD') expect(body).toEqual(NOT_FOUND);
  });

  it('answers JSON whatever Accept asks for', async () => {
    const answer = await send(baseUrl, `${listPath}?limit=1`, {
      headers: { 'x-access-token': MOCK_ADMIN_TOKEN, accept: 'text/html' },
    });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
  });

  it("still answers a browser's CORS preflight", async () => {
    const response = await fetch(`${baseUrl}${listPath}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://page.test',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-access-token',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://page.test');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-access-token');
  });

  it('keeps Huawei-shaped answers readable by a browser page (CORS headers on refusals)', async () => {
    const response = await fetch(`${baseUrl}/nowhere`, { headers: { origin: 'http://page.test' } });
    await response.text();
    expect(response.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/page\.test)$/);
  });

  it('answers random methods, paths, headers and bodies with 2xx JSON or a Huawei error, never a 5xx', async () => {
    const seen = new Set<string>();
    const json = fc.oneof(
      fc.constant('null'),
      fc.constant(''),
      fc.constant('{'),
      fc.constant('[]'),
      fc.constant('"x"'),
      fc.constant('{"account":"user00","clientType":72}'),
      fc.constant('{"appId":"mock-app-id","clientType":72,"expireTime":0,"nonce":"n"}'),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
      fc.string({ maxLength: 40 }),
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
      path: fc.oneof(
        fc.constantFrom(listPath, appAuthPath, accountPath, '/', '/favicon.ico', `${listPath}/x`),
        fc.webPath(),
      ),
      query: fc.constantFrom('', '?limit=1', '?limit=abc', '?offset=-1', '?queryAll=maybe', '?searchKey=', '?%zz'),
      contentType: fc.constantFrom(undefined, 'application/json', 'application/json; charset=UTF-8', 'text/plain'),
      authorization: fc.constantFrom(undefined, signature, basic, 'Basic', 'HMAC-SHA256 signature=zz', ''),
      token: fc.constantFrom(undefined, MOCK_ADMIN_TOKEN, 'nope', ''),
      body: fc.option(json, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.authorization !== undefined) headers.authorization = r.authorization;
        if (r.token !== undefined) headers['x-access-token'] = r.token;
        const withBody = r.body !== undefined && r.method !== 'GET';
        const answer = await send(baseUrl, `${r.path}${r.query}`, {
          method: r.method,
          headers,
          body: withBody ? (r.contentType ? r.body! : new Blob([r.body!])) : null,
        });
        expect(answer.status, answer.text).toBeLessThan(500);
        expect(answer.requestId).toMatch(/^[0-9a-f]{32}$/);
        expect(seen.has(answer.requestId!), 'a fresh X-Request-Id').toBe(false);
        seen.add(answer.requestId!);
        if (answer.status >= 400) expectHuaweiError(answer);
        else expect(answer.contentType).toMatch(/^application\/json/);
      }),
      { seed: Number(process.env.FC_SEED ?? 20261202), numRuns: Number(process.env.FC_RUNS ?? 120) },
    );
  }, 60_000);
});
