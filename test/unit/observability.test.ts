import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  accountAuth,
  ATTEMPT_CHANNEL,
  type AttemptRecord,
  appIdAuth,
  createMeetingClient,
  type MeetingHttpError,
  metadataOf,
} from '../../src/index.js';
import { fakeFetch, jsonResponse, page, tokenServer } from './fake-fetch.js';

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const huaweiError = (status: number, headers: Record<string, string> = {}) =>
  jsonResponse({ error_code: `MMC.${status}`, error_msg: 'busy' }, status, {
    'X-Request-Id': `err-${status}`,
    ...headers,
  });
const pageAnswer = (id: string, body: unknown = page()) => jsonResponse(body, 200, { 'X-Request-Id': id });

/** Subscribes to the package's channel for the length of a test. */
function channelRecords(): { records: AttemptRecord[]; stop: () => void } {
  const records: AttemptRecord[] = [];
  const listener = (message: unknown) => void records.push(message as AttemptRecord);
  diagnosticsChannel.subscribe(ATTEMPT_CHANNEL, listener);
  return { records, stop: () => diagnosticsChannel.unsubscribe(ATTEMPT_CHANNEL, listener) };
}

const brief = (r: AttemptRecord) => [r.operation, r.attempt, r.status, r.requestId, r.errorKind, r.retry];

afterEach(() => vi.useRealTimers());

describe('one record per attempt', () => {
  it('tells onAttempt and the channel of each attempt in order, with the decision taken after it', async () => {
    const answers = [
      () => huaweiError(503, { 'Retry-After': '0' }),
      () => huaweiError(502),
      () => pageAnswer('req-ok', page([{ confUUID: 'u-1', subject: 'café' }])),
    ];
    const fake = fakeFetch(() => answers[fake.requests.length - 1]!());
    const hooked: AttemptRecord[] = [];
    const channel = channelRecords();
    try {
      const client = createMeetingClient({
        token: 'tok-1',
        fetch: fake.fetch,
        retryBaseDelayMs: 1,
        onAttempt: (record) => void hooked.push(record),
      });
      await client.listOngoingMeetings({ queryAll: true, limit: 5 });
    } finally {
      channel.stop();
    }
    expect(hooked.map(brief)).toEqual([
      ['listOngoingMeetings', 1, 503, 'err-503', 'http', { reason: 'retry-after', waitMs: 0 }],
      ['listOngoingMeetings', 2, 502, 'err-502', 'http', { reason: 'backoff', waitMs: expect.any(Number) }],
      ['listOngoingMeetings', 3, 200, 'req-ok', undefined, undefined],
    ]);
    expect(channel.records).toEqual(hooked);
    const last = hooked[2]!;
    expect(last.method).toBe('GET');
    expect(last.url).toBe(
      'https://api.meeting.huaweicloud.com/v1/mmc/management/conferences/online?queryAll=true&limit=5',
    );
    expect(last.bytes).toBe(
      new TextEncoder().encode(JSON.stringify(page([{ confUUID: 'u-1', subject: 'café' }]))).length,
    );
    expect(last.durationMs).toBeGreaterThanOrEqual(0);
    expect(Object.isFrozen(last)).toBe(true);
  });

  it("counts bytes as read: the declared length, the bytes streamed, an error answer's Content-Length", async () => {
    const text = JSON.stringify(page([{ confUUID: 'u-1', subject: 'Réunion 会议' }]));
    const length = String(Buffer.byteLength(text));
    const refusal = { error_code: 'MMC.400', error_msg: 'bad' };
    const answers = [
      () => new Response(text, { headers: { 'Content-Type': 'application/json', 'Content-Length': length } }),
      () => new Response(new Blob([text]).stream(), { headers: { 'Content-Type': 'application/json' } }),
      () => jsonResponse(refusal, 400, { 'Content-Length': String(JSON.stringify(refusal).length) }),
    ];
    const fake = fakeFetch(() => answers[fake.requests.length - 1]!());
    const records: AttemptRecord[] = [];
    const client = createMeetingClient({ token: 't', fetch: fake.fetch, onAttempt: (r) => void records.push(r) });
    await client.listOngoingMeetings();
    await client.listOngoingMeetings();
    await errorOf(client.listOngoingMeetings());
    const sizes = [Buffer.byteLength(text), Buffer.byteLength(text), JSON.stringify(refusal).length];
    expect(records.map((r) => r.bytes)).toEqual(sizes);
  });

  it('records the 401, the refresh and the App ID sign-ins, each with its own operation', async () => {
    let issued = 0;
    const auth = fakeFetch(() => jsonResponse({ accessToken: `app-token-${++issued}`, validPeriod: 3600 }, 200));
    const records: AttemptRecord[] = [];
    const onAttempt = (record: AttemptRecord) => void records.push(record);
    const token = appIdAuth({ appId: 'app', appKey: 'key-0123456789', fetch: auth.fetch, onAttempt });
    const api = tokenServer(new Set(['app-token-2']));
    await createMeetingClient({ token, fetch: api.fetch, onAttempt }).listOngoingMeetings();
    expect(records.map((r) => [r.operation, r.attempt, r.method, r.status, r.errorKind, r.retry?.reason])).toEqual([
      ['createAppIdToken', 1, 'POST', 200, undefined, undefined],
      ['listOngoingMeetings', 1, 'GET', 401, 'http', 'unauthorized'],
      ['createAppIdToken', 1, 'POST', 200, undefined, undefined],
      ['listOngoingMeetings', 2, 'GET', 200, undefined, undefined],
    ]);
    expect(records[0]!.url).toBe('https://api.meeting.huaweicloud.com/v2/usg/acs/auth/appauth');
  });

  it('records every page of a walk, and each page says which request served it', async () => {
    const list = Array.from({ length: 25 }, (_, i) => ({ confUUID: `u-${i}` }));
    const fake = fakeFetch((request) => {
      const url = new URL(request.url);
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      const body = { offset, limit, count: list.length, data: list.slice(offset, offset + limit) };
      return pageAnswer(`page-at-${offset}`, body);
    });
    const records: AttemptRecord[] = [];
    const client = createMeetingClient({ token: 't', fetch: fake.fetch, onAttempt: (r) => void records.push(r) });
    const served: (string | undefined)[] = [];
    for await (const walked of client.ongoingMeetingPages({}, { pageSize: 10, overlap: 1 }))
      served.push(metadataOf(walked)?.requestId);
    expect(served).toEqual(['page-at-0', 'page-at-9', 'page-at-18']);
    expect(records.map((r) => r.requestId)).toEqual(served);
  });

  it("records an attempt ended by the caller's abort as 'aborted'", async () => {
    const controller = new AbortController();
    const fake = fakeFetch(
      (request) =>
        new Promise<Response>((_, reject) => {
          request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
          controller.abort(new Error('enough'));
        }),
    );
    const records: AttemptRecord[] = [];
    const client = createMeetingClient({ token: 't', fetch: fake.fetch, onAttempt: (r) => void records.push(r) });
    await errorOf(client.listOngoingMeetings({}, { signal: controller.signal }));
    expect(records.map(brief)).toEqual([['listOngoingMeetings', 1, undefined, undefined, 'aborted', undefined]]);
  });

  it('records a failing token function as kind input, nothing sent', async () => {
    const records: AttemptRecord[] = [];
    const client = createMeetingClient({
      token: () => Promise.reject(new Error('vault down')),
      fetch: fakeFetch(() => pageAnswer('x')).fetch,
      onAttempt: (r) => void records.push(r),
    });
    await errorOf(client.listOngoingMeetings());
    expect(records.map((r) => [r.errorKind, r.method, r.url, r.status])).toEqual([
      ['input', undefined, undefined, undefined],
    ]);
  });
});

describe('never a secret in a record', () => {
  it("scrubs a sign-in's password, its Basic form and a signature when the list server echoes them", async () => {
    const PASSWORD = 'pa55-w0rd-9b1d4e';
    const basic = Buffer.from(`alice:${PASSWORD}`).toString('base64');
    let sent: string[] = []; // the credentials the current sign-in sent: the password's Basic form, a signature
    const auth = fakeFetch((request) => {
      sent.push(
        (request.headers.get('Authorization') ?? '').replace(/^Basic /, '').match(/signature=(\w+)/)?.[1] ?? '',
      );
      return jsonResponse({ accessToken: `issued-${auth.requests.length}-5c2a`, validPeriod: 3600 });
    });
    // One host for both: what the sign-in was sent, the list's answers echo, in X-Request-Id and the error body.
    const echo = () => [PASSWORD, basic, ...sent].join(' ');
    const api = fakeFetch(() =>
      jsonResponse({ error_code: 'MMC.503', error_msg: echo() }, 503, { 'X-Request-Id': echo(), 'Retry-After': '0' }),
    );
    for (const [token, secrets] of [
      [accountAuth({ account: 'alice', password: PASSWORD, fetch: auth.fetch }), () => [PASSWORD, basic]],
      [appIdAuth({ appId: 'app', appKey: 'app-key-1a2b3c4d', fetch: auth.fetch }), () => sent],
    ] as const) {
      sent = [];
      const records: AttemptRecord[] = [];
      const client = createMeetingClient({ token, fetch: api.fetch, retries: 1, onAttempt: (r) => records.push(r) });
      const error = await errorOf(client.listOngoingMeetings());
      expect(records).toHaveLength(2);
      const text = `${JSON.stringify(records)} ${String(error)} ${JSON.stringify(error)}`;
      expect(secrets().every((secret) => secret.length > 8)).toBe(true);
      for (const secret of secrets()) expect(text).not.toContain(secret);
      expect(text).toContain('[REDACTED]');
    }
  });

  it('scrubs secrets echoed in another form: a signature in upper case, Basic unpadded, percent-encoded', async () => {
    const PASSWORD = 'pa"ss\\w0rd-777';
    const basic = Buffer.from(`acct:${PASSWORD}`).toString('base64');
    expect(basic.endsWith('=')).toBe(true); // so that the unpadded form differs
    let signature = '';
    let token = '';
    const auth = fakeFetch((request) => {
      signature = (request.headers.get('Authorization') ?? '').match(/signature=(\w+)/)?.[1] ?? '';
      token = `issued"tok\\${auth.requests.length}-9e1f`;
      return jsonResponse({ accessToken: token, validPeriod: 3600 });
    });
    // What the list server echoes, for each way of signing in: the forms it could come back in.
    const ways = [
      {
        source: accountAuth({ account: 'acct', password: PASSWORD, fetch: auth.fetch }),
        forms: () => [basic.replace(/=+$/, ''), encodeURIComponent(basic), encodeURIComponent(PASSWORD)],
      },
      {
        source: appIdAuth({ appId: 'app', appKey: 'app-key-7c1d9e2f', fetch: auth.fetch }),
        forms: () => [signature.toUpperCase(), encodeURIComponent(token)],
      },
    ];
    for (const { source, forms } of ways) {
      const echo = () => forms().join(' ');
      const api = fakeFetch(() =>
        jsonResponse({ error_code: 'MMC.403', error_msg: echo() }, 403, { 'X-Request-Id': echo() }),
      );
      const records: AttemptRecord[] = [];
      const client = createMeetingClient({ token: source, fetch: api.fetch, onAttempt: (r) => records.push(r) });
      const error = await errorOf(client.listOngoingMeetings());
      expect(records).toHaveLength(1);
      const text = `${JSON.stringify(records)} ${String(error)} ${JSON.stringify(error)}`;
      for (const form of forms()) {
        expect(form.length).toBeGreaterThan(8);
        expect(text).not.toContain(form);
      }
      expect(text).toContain('[REDACTED]');
    }
  });

  it('scrubs tokens, the App key, the signature and the password, whatever the servers echo', async () => {
    const APP_KEY = 'app-key-4f0e2b7c9d';
    const PASSWORD = 'pa55-w0rd-3e8a1c';
    const records: AttemptRecord[] = [];
    const onAttempt = (r: AttemptRecord) => void records.push(r);
    const signatures: string[] = [];
    // The sign-ins echo the token they issue, and every credential they were given, in X-Request-Id.
    const auth = fakeFetch((request) => {
      const authorization = request.headers.get('Authorization') ?? '';
      signatures.push(authorization);
      const issued = `issued-token-${signatures.length}-7d3f`;
      const credential = request.url.endsWith('/appauth') ? APP_KEY : PASSWORD;
      return jsonResponse({ accessToken: issued, validPeriod: 3600 }, 200, {
        'X-Request-Id': `${issued} ${authorization} ${credential}`,
      });
    });
    const api = fakeFetch((request) => {
      const sent = request.headers.get('X-Access-Token') ?? '';
      return api.requests.length === 1
        ? jsonResponse({ error_code: 'USG.1', error_msg: sent }, 401, { 'X-Request-Id': `rejected ${sent}` })
        : jsonResponse(page(), 200, { 'X-Request-Id': `served ${sent}` });
    });
    const appToken = appIdAuth({ appId: 'app', appKey: APP_KEY, fetch: auth.fetch, onAttempt });
    await createMeetingClient({ token: appToken, fetch: api.fetch, onAttempt }).listOngoingMeetings();
    const accountToken = accountAuth({ account: 'alice', password: PASSWORD, fetch: auth.fetch, onAttempt });
    await createMeetingClient({ token: accountToken, fetch: api.fetch, onAttempt }).listOngoingMeetings();

    expect(records.length).toBeGreaterThanOrEqual(6);
    const text = JSON.stringify(records);
    for (const secret of [APP_KEY, PASSWORD, Buffer.from(`alice:${PASSWORD}`).toString('base64'), 'issued-token-'])
      expect(text).not.toContain(secret);
    for (const authorization of signatures) expect(text).not.toContain(authorization.split(' ').at(-1)!);
    expect(text).toContain('[REDACTED]');
  });
});

describe('observers cannot change a call', () => {
  it.each([
    [
      'throws',
      () => {
        throw new Error('hook bug');
      },
    ],
    ['rejects', () => Promise.reject(new Error('hook bug'))],
    ['never settles', () => new Promise<void>(() => undefined)],
  ])('an onAttempt that %s changes nothing', async (_, onAttempt) => {
    const fake = fakeFetch(() =>
      fake.requests.length === 1 ? huaweiError(503, { 'Retry-After': '0' }) : pageAnswer('ok'),
    );
    const client = createMeetingClient({ token: 't', fetch: fake.fetch, onAttempt: onAttempt as () => void });
    await expect(client.listOngoingMeetings()).resolves.toEqual(page());
    expect(fake.requests).toHaveLength(2);
  });

  it('refuses an onAttempt that is not a function, saying what is allowed', () => {
    expect(() => createMeetingClient({ onAttempt: 'log' as never })).toThrow(
      'createMeetingClient: onAttempt must be a function, got "log"',
    );
  });
});

describe('no cost when nobody listens', () => {
  it('builds no record (reads no clock) with neither onAttempt nor a subscriber', async () => {
    const fake = fakeFetch(() => pageAnswer('ok'));
    const client = createMeetingClient({ token: 't', fetch: fake.fetch });
    const clock = vi.spyOn(performance, 'now');
    try {
      await client.listOngoingMeetings();
      expect(clock).not.toHaveBeenCalled();
      const channel = channelRecords();
      try {
        await client.listOngoingMeetings();
      } finally {
        channel.stop();
      }
      expect(clock).toHaveBeenCalled(); // the same client pays once someone subscribes
      expect(channel.records).toHaveLength(1);
      clock.mockClear();
      await client.listOngoingMeetings();
      expect(clock).not.toHaveBeenCalled(); // and stops paying when they leave
    } finally {
      clock.mockRestore();
    }
  });
});

describe('outcome metadata', () => {
  it('tells which request served a page, after how many attempts and waits, leaving its JSON as is', async () => {
    vi.useFakeTimers();
    const fake = fakeFetch(() =>
      fake.requests.length === 1 ? huaweiError(429, { 'Retry-After': '2' }) : pageAnswer('req-2'),
    );
    const pending = createMeetingClient({ token: 't', fetch: fake.fetch }).listOngoingMeetings();
    await vi.advanceTimersByTimeAsync(2000);
    const served = await pending;
    expect(metadataOf(served)).toEqual({ requestId: 'req-2', attempts: 2, waitedMs: 2000 });
    expect(JSON.stringify(served)).toBe(JSON.stringify(page()));
    expect(Object.keys(served)).toEqual(Object.keys(page()));
  });

  it('puts the total time waited on errors', async () => {
    vi.useFakeTimers();
    const fake = fakeFetch(() => huaweiError(503, { 'Retry-After': '1' }));
    const pending = errorOf(createMeetingClient({ token: 't', fetch: fake.fetch, retries: 2 }).listOngoingMeetings());
    await vi.advanceTimersByTimeAsync(2000);
    const error = (await pending) as MeetingHttpError;
    expect(error).toMatchObject({ kind: 'http', status: 503, attempts: 3, waitedMs: 2000 });
  });
});
