import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import {
  ACCESS_TOKEN_HEADER,
  createMeetingClient,
  MeetingClientError,
  MeetingHttpError,
  MeetingInputError,
  MeetingNetworkError,
  MeetingResponseError,
  MeetingTimeoutError,
  type MeetingClientOptions,
} from '../../src/index.js';
import { fakeFetch, hangingAnswer, jsonResponse, page } from './fake-fetch.js';

const SECRET = 'sEcReT-token-7f3c9d';
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

/** The token must not appear anywhere a developer could print the error. */
function expectTokenFree(error: unknown) {
  const renderings = [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    (error as Error).stack ?? '',
  ];
  for (const text of renderings) expect(text).not.toContain(SECRET);
}

describe('createMeetingClient', () => {
  it('leaves a query parameter given as undefined out of the URL, for the single call and a walk alike', async () => {
    const fake = fakeFetch(() => jsonResponse(page()));
    const client = createMeetingClient({ token: SECRET, fetch: fake.fetch });
    const query = { queryAll: true, limit: undefined, searchKey: undefined, offset: undefined };
    await client.listOngoingMeetings(query);
    for await (const _ of client.ongoingMeetings(query)) void _;
    expect(fake.requests.map((r) => new URL(r.url).searchParams.has('searchKey'))).toEqual([false, false]);
    expect(new URL(fake.requests[0]!.url).search).toBe('?queryAll=true');
  });

  it("sends GET to the spec's path on the spec's first server by default", async () => {
    const fake = fakeFetch(() => jsonResponse(page()));
    await createMeetingClient({ token: SECRET, fetch: fake.fetch }).listOngoingMeetings();
    const url = new URL(fake.requests[0]!.url);
    expect(fake.requests[0]!.method).toBe(specFacts.operations.listOngoingMeetings.method);
    expect(`${url.origin}${url.pathname}`).toBe(
      `${specFacts.servers[0]}${specFacts.operations.listOngoingMeetings.path}`,
    );
    expect(fake.requests[0]!.headers.get(ACCESS_TOKEN_HEADER)).toBe(SECRET);
  });

  it('serialises the query as Huawei expects and strips a trailing slash of baseUrl', async () => {
    const fake = fakeFetch(() => jsonResponse(page()));
    const client = createMeetingClient({
      token: SECRET,
      fetch: fake.fetch,
      baseUrl: 'https://api-intl.meeting.huaweicloud.com/',
    });
    await client.listOngoingMeetings({ offset: 40, limit: 20, queryAll: false, searchKey: 'a&b=c #d%e+f 😀' });
    const url = new URL(fake.requests[0]!.url);
    expect(url.origin + url.pathname).toBe(
      'https://api-intl.meeting.huaweicloud.com/v1/mmc/management/conferences/online',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      offset: '40',
      limit: '20',
      queryAll: 'false',
      searchKey: 'a&b=c #d%e+f 😀',
    });
  });

  it('calls a token function for every request', async () => {
    let n = 0;
    const token = vi.fn(async () => `${SECRET}-${++n}`);
    const fake = fakeFetch(() => jsonResponse(page()));
    const client = createMeetingClient({ token, fetch: fake.fetch });
    await client.listOngoingMeetings();
    await client.listOngoingMeetings();
    expect(token).toHaveBeenCalledTimes(2);
    expect(fake.requests.map((r) => r.headers.get(ACCESS_TOKEN_HEADER))).toEqual([`${SECRET}-1`, `${SECRET}-2`]);
  });

  it('refuses a token function that returns no token, without sending and without echoing it', async () => {
    const fake = fakeFetch(() => jsonResponse(page()));
    const client = createMeetingClient({ token: () => '', fetch: fake.fetch });
    const error = await errorOf(client.listOngoingMeetings());
    expect(error).toBeInstanceOf(MeetingInputError);
    expect((error as Error).message).toContain('the token function returned a token that must not be empty');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses bad options with a message that says what is allowed', () => {
    expect(() => createMeetingClient({ baseUrl: 'api.meeting.huaweicloud.com' })).toThrow(
      /baseUrl must be an absolute https URL/,
    );
    expect(() => createMeetingClient({ baseUrl: 'ftp://x.example' })).toThrow(/baseUrl must use https/);
    expect(() => createMeetingClient({ baseUrl: 'http://api.meeting.huaweicloud.com' })).toThrow(
      /plain http would send the access token in clear text \(allowed only on loopback: localhost, 127\.0\.0\.0\/8, /,
    );
    expect(() => createMeetingClient({ baseUrl: 'http://127.0.0.1:4010' })).not.toThrow();
    expect(() => createMeetingClient({ baseUrl: 'http://127.0.0.2:4010' })).not.toThrow(); // as the message says
    expect(() => createMeetingClient({ baseUrl: 'http://[::1]:4010' })).not.toThrow();
    expect(() => createMeetingClient({ retries: -1 })).toThrow(/retries must be a whole number from 0 to 100, got -1/);
    expect(() => createMeetingClient({ timeoutMs: 0 })).toThrow(
      /timeoutMs must be a whole number from 1 to 2147483647/,
    );
    expect(() => createMeetingClient({ token: 42 as never })).toThrow(/token must be a string or a function/);
    expect(() => createMeetingClient({ token: '' })).toThrow(/token must not be empty/);
    // One error type for every bad option: kind 'input', naming the option.
    for (const bad of [
      { baseUrl: 'ftp://x.example' },
      { retries: -1 },
      { timeoutMs: 0 },
      { token: '' },
      { timeOutMs: 5 },
    ] as MeetingClientOptions[]) {
      const error = (() => {
        try {
          createMeetingClient(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(MeetingInputError);
      expect(error).toMatchObject({ kind: 'input', operation: 'createMeetingClient', parameter: Object.keys(bad)[0] });
    }
  });

  it('exposes the openapi-fetch client as raw, with the token applied', async () => {
    const fake = fakeFetch(() => jsonResponse(page(), 200));
    const client = createMeetingClient({ token: SECRET, fetch: fake.fetch });
    const { data, error } = await client.raw.GET('/v1/mmc/management/conferences/online', {
      params: { query: { limit: 5 } },
    });
    expect(error).toBeUndefined();
    expect(data).toEqual(page());
    expect(fake.requests[0]!.headers.get(ACCESS_TOKEN_HEADER)).toBe(SECRET);
  });
});

describe('errors of listOngoingMeetings', () => {
  it("turns a non-2xx answer into an http error with Huawei's fields and X-Request-Id", async () => {
    const fake = fakeFetch(() =>
      jsonResponse({ error_code: 'USG.000000004', error_msg: 'TOKEN_INVALID' }, 401, { 'X-Request-Id': 'abc123' }),
    );
    const error = await errorOf(createMeetingClient({ token: SECRET, fetch: fake.fetch }).listOngoingMeetings());
    expect(error).toBeInstanceOf(MeetingHttpError);
    expect(error).toBeInstanceOf(MeetingClientError);
    expect(error).toMatchObject({
      kind: 'http',
      status: 401,
      errorCode: 'USG.000000004',
      errorMsg: 'TOKEN_INVALID',
      requestId: 'abc123',
      operation: 'listOngoingMeetings',
      attempts: 1,
    });
    expect((error as Error).message).toBe('listOngoingMeetings failed with HTTP 401: USG.000000004 TOKEN_INVALID');
    expectTokenFree(error);
  });

  it('takes request_id from the body when the header is missing, and survives a non-JSON error page', async () => {
    const withBodyId = fakeFetch(() =>
      jsonResponse({ error_code: 'MMC.1', error_msg: 'X', request_id: 'body-id' }, 403),
    );
    expect(
      await errorOf(createMeetingClient({ token: SECRET, fetch: withBodyId.fetch }).listOngoingMeetings()),
    ).toMatchObject({
      requestId: 'body-id',
    });
    const html = fakeFetch(
      () => new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }),
    );
    const error = await errorOf(
      createMeetingClient({ token: SECRET, fetch: html.fetch, retries: 0 }).listOngoingMeetings(),
    );
    expect(error).toMatchObject({ kind: 'http', status: 502, errorCode: undefined, errorMsg: undefined });
  });

  it('turns a 2xx that is not JSON into a response error with the first bytes of the body', async () => {
    const fake = fakeFetch(() => new Response('<html>maintenance</html>', { status: 200 }));
    const error = await errorOf(createMeetingClient({ token: SECRET, fetch: fake.fetch }).listOngoingMeetings());
    expect(error).toBeInstanceOf(MeetingResponseError);
    expect(error).toMatchObject({ kind: 'response', status: 200, bodySnippet: '<html>maintenance</html>' });
    expect((error as Error).message).toContain('not JSON');
  });

  it.each([
    ['an array', [], 'expected an object, got an array'],
    ['no data', { offset: 0, limit: 20, count: 0 }, '"data" is not an array'],
    ['a string count', { data: [], offset: 0, limit: 20, count: '1' }, '"count" is not an integer'],
    ['truncated JSON', '{"data": [', 'not JSON'],
  ])('turns a 2xx with %s into a response error', async (_label, body, message) => {
    const fake = fakeFetch(() => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200 }));
    const error = await errorOf(createMeetingClient({ token: SECRET, fetch: fake.fetch }).listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'response' });
    expect((error as Error).message).toContain(message);
  });

  it('turns a failed connection into a network error', async () => {
    const fake = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    });
    const error = await errorOf(
      createMeetingClient({ token: SECRET, fetch: fake.fetch, retries: 0 }).listOngoingMeetings(),
    );
    expect(error).toBeInstanceOf(MeetingNetworkError);
    expect(error).toMatchObject({ kind: 'network', attempts: 1 });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expectTokenFree(error);
  });

  it('turns a request that outlives timeoutMs into a timeout error', async () => {
    const fake = fakeFetch(hangingAnswer);
    const error = await errorOf(
      createMeetingClient({ token: SECRET, fetch: fake.fetch, timeoutMs: 30 }).listOngoingMeetings(),
    );
    expect(error).toBeInstanceOf(MeetingTimeoutError);
    expect(error).toMatchObject({ kind: 'timeout', timeoutMs: 30 });
    expectTokenFree(error);
  });

  it("rejects with the caller's own reason when the caller aborts", async () => {
    const fake = fakeFetch(hangingAnswer);
    const controller = new AbortController();
    const reason = new Error('user navigated away');
    const pending = errorOf(
      createMeetingClient({ token: SECRET, fetch: fake.fetch }).listOngoingMeetings({}, { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(reason), 5);
    expect(await pending).toBe(reason);
  });

  it("leaves nothing unhandled when the caller's abort comes from inside fetch, before it returns", async () => {
    const controller = new AbortController();
    const reason = new Error('enough');
    const fake = fakeFetch(
      (request) =>
        new Promise<Response>((_, reject) => {
          request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
          controller.abort(reason); // synchronously, while the attempt is still starting its exchange
        }),
    );
    const client = createMeetingClient({ token: SECRET, fetch: fake.fetch });
    expect(await errorOf(client.listOngoingMeetings({}, { signal: controller.signal }))).toBe(reason);
    await new Promise((resolve) => setImmediate(resolve)); // an unhandled rejection would be reported by now
  });

  it('serialises errors without the cause and with their fields', async () => {
    const fake = fakeFetch(() => jsonResponse({ error_code: 'MMC.1', error_msg: 'X' }, 500, { 'X-Request-Id': 'r1' }));
    const error = await errorOf(
      createMeetingClient({ token: SECRET, fetch: fake.fetch, retries: 0 }).listOngoingMeetings(),
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'MeetingHttpError',
      message: 'listOngoingMeetings failed with HTTP 500: MMC.1 X',
      kind: 'http',
      operation: 'listOngoingMeetings',
      attempts: 1,
      waitedMs: 0,
      status: 500,
      errorCode: 'MMC.1',
      errorMsg: 'X',
      requestId: 'r1',
    });
    expect(fake.requests).toHaveLength(1);
  });
});
