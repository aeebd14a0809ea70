import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  appAuthSignatureData,
  appIdAuth,
  createMeetingClient,
  MeetingHttpError,
  signAppAuth,
} from '../../src/index.js';
import { fakeFetch, jsonResponse, page, tokenServer } from './fake-fetch.js';

const APP_KEY = 'appKey-5f1c0e7d9a2b4c6e8f0a1b3c5d7e9f0a';
const nodeHmac = (key: string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest('hex');

describe('the App ID signature', () => {
  it('signs appId:userId:expireTime:nonce, keeping the colons of an empty userId', () => {
    expect(appAuthSignatureData({ appId: 'app', userId: 'u1', expireTime: 1700000000, nonce: 'n'.repeat(32) })).toBe(
      `app:u1:1700000000:${'n'.repeat(32)}`,
    );
    expect(appAuthSignatureData({ appId: 'app', expireTime: 0, nonce: 'x' })).toBe('app::0:x');
    expect(appAuthSignatureData({ appId: 'app', corpId: 'c9', userId: 'u1', expireTime: 5, nonce: 'x' })).toBe(
      'app:c9:u1:5:x',
    );
    expect(appAuthSignatureData({ appId: 'app', corpId: '', expireTime: 5, nonce: 'x' })).toBe('app:::5:x');
  });

  it('equals node:crypto HMAC-SHA256 on fixed vectors', async () => {
    const vectors = [
      [
        'fdb8e4699586458bbd10c834872dcc62',
        'fdb8e4699586458bbd10c834872dcc62:testuser@mycorp.com:1627768613:EycLQsHwxhzK9OW8UEKWNfH2I3CGR2nINuU1EBpv',
      ],
      ['k', 'a::0:00000000000000000000000000000000'],
      ['密钥🔑', 'app:企业:用户:1:nonce-with-ünïcode'],
    ] as const;
    for (const [key, data] of vectors) expect(await signAppAuth(key, data)).toBe(nodeHmac(key, data));
  });

  it('equals node:crypto HMAC-SHA256 for any key and data (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string({ unit: 'grapheme' }),
        async (key, data) => {
          expect(await signAppAuth(key, data)).toBe(nodeHmac(key, data));
        },
      ),
      { numRuns: 200, seed: Number(process.env.FC_SEED ?? 20261126) },
    );
  });
});

/** A sign-in endpoint that checks what arrives like Huawei does, and counts sign-ins. */
function authServer(options: { validPeriod?: number; fail?: () => Response | undefined } = {}) {
  let issued = 0;
  const bodies: Record<string, unknown>[] = [];
  const fake = fakeFetch(async (request) => {
    const failure = options.fail?.();
    if (failure) return failure;
    const body = (await request.json()) as {
      appId: string;
      userId?: string;
      expireTime: number;
      nonce: string;
      corpId?: string;
    };
    bodies.push(body);
    // Huawei's page: `HMAC-SHA256 signature=<hex>,access=<base64 appId>`.
    const [, signature, access] =
      /^HMAC-SHA256 signature=([0-9a-f]{64}),access=([A-Za-z0-9+/=]+)$/.exec(
        request.headers.get('Authorization') ?? '',
      ) ?? [];
    if (access !== undefined && Buffer.from(access, 'base64').toString('utf8') !== body.appId)
      return jsonResponse({ error_code: 'USG.000000001', error_msg: 'ACCESS_MISMATCH' }, 401);
    const expected = nodeHmac(APP_KEY, appAuthSignatureData(body));
    if (
      signature !== expected ||
      request.headers.get('X-Token-Type') !== 'LongTicket' ||
      body.nonce.length < 32 ||
      body.nonce.length > 64
    ) {
      return jsonResponse({ error_code: 'USG.000000001', error_msg: 'AUTH_FAILED' }, 401);
    }
    issued++;
    return jsonResponse({
      accessToken: `access-token-${issued}`,
      validPeriod: options.validPeriod ?? 3600,
      expireTime: Math.floor(Date.now() / 1000) + 3600,
    });
  });
  return { ...fake, bodies, issued: () => issued };
}

describe('appIdAuth', () => {
  it('signs in once and reuses the token until shortly before it expires', async () => {
    let clock = 1_000_000;
    const server = authServer({ validPeriod: 1000 });
    const token = appIdAuth({
      appId: 'app',
      appKey: APP_KEY,
      userId: 'user01',
      fetch: server.fetch,
      now: () => clock,
      refreshMarginMs: 600_000,
    });
    expect(await token()).toBe('access-token-1');
    clock += 749_000; // 1000 s lifetime, renewed at 750 s (the 600 s margin capped at a quarter)
    expect(await token()).toBe('access-token-1');
    clock += 2_000;
    expect(await token()).toBe('access-token-2');
    expect(server.issued()).toBe(2);
    expect(server.bodies[0]).toMatchObject({ appId: 'app', userId: 'user01', clientType: 72 });
    expect(server.requests[0]!.url).toBe('https://api.meeting.huaweicloud.com/v2/usg/acs/auth/appauth');
  });

  it('counts token lifetimes on the monotonic clock: wall-clock steps change nothing', async () => {
    vi.useFakeTimers(); // fakes Date and performance alike; setSystemTime then moves only the wall clock
    try {
      const server = authServer({ validPeriod: 1000 });
      const token = appIdAuth({ appId: 'app', appKey: APP_KEY, fetch: server.fetch, refreshMarginMs: 0 });
      expect(await token()).toBe('access-token-1');
      vi.setSystemTime(Date.now() + 86_400_000); // a day forward: the token has lived no longer for it
      expect(await token()).toBe('access-token-1');
      vi.setSystemTime(Date.now() - 90_000_000); // back a day and an hour
      await vi.advanceTimersByTimeAsync(999_000);
      expect(await token()).toBe('access-token-1');
      await vi.advanceTimersByTimeAsync(1_001); // 1000 s have passed: renewed, however the wall clock moved
      expect(await token()).toBe('access-token-2');
      expect(server.issued()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shares one sign-in among concurrent callers', async () => {
    const server = authServer();
    const token = appIdAuth({ appId: 'app', appKey: APP_KEY, fetch: server.fetch });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => token()));
    expect(new Set(tokens)).toEqual(new Set(['access-token-1']));
    expect(server.issued()).toBe(1);
  });

  it('signs in again after a 401, through the client', async () => {
    const auth = authServer();
    const token = appIdAuth({ appId: 'app', appKey: APP_KEY, fetch: auth.fetch });
    const api = tokenServer(new Set(['access-token-2']));
    await expect(createMeetingClient({ token, fetch: api.fetch }).listOngoingMeetings()).resolves.toEqual(page());
    expect(auth.issued()).toBe(2);
    expect(api.requests.map((r) => r.headers.get('X-Access-Token'))).toEqual(['access-token-1', 'access-token-2']);
  });

  it('reports a refused sign-in as an http error of createAppIdToken, without the app key or signature', async () => {
    const server = authServer();
    const token = appIdAuth({ appId: 'app', appKey: 'the-wrong-key-3c9e', fetch: server.fetch });
    const client = createMeetingClient({ token, fetch: fakeFetch(() => jsonResponse(page())).fetch });
    const error = await client.listOngoingMeetings().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingHttpError);
    expect(error).toMatchObject({
      kind: 'http',
      status: 401,
      operation: 'createAppIdToken',
      errorCode: 'USG.000000001',
    });
    const signature = /signature=([0-9a-f]{64})/.exec(server.requests[0]!.headers.get('Authorization')!)![1]!;
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain('the-wrong-key-3c9e');
      expect(text).not.toContain(signature);
    }
  });

  it('scrubs the app key and tokens even when the server echoes them', async () => {
    const server = authServer({
      fail: () => jsonResponse({ error_code: 'USG.9', error_msg: `bad key ${APP_KEY}` }, 403),
    });
    const error = await appIdAuth({ appId: 'app', appKey: APP_KEY, fetch: server.fetch })().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, errorMsg: 'bad key [REDACTED]' });
    expect(inspect(error, { depth: 10 })).not.toContain(APP_KEY);
  });

  it.each([
    ['CR LF', 'tok-7f3a\r\nX-Injected: 1'],
    ['NUL', 'tok-7f3a\u0000b9'],
    ['non-Latin-1', 'tok-7f3a-\u4ee4\u724c'],
  ])('refuses an accessToken with %s as kind response, never cached nor shown', async (_, bad) => {
    let answers = 0;
    const server = fakeFetch(() =>
      jsonResponse({ accessToken: answers++ === 0 ? bad : 'good-token', validPeriod: 3600 }),
    );
    const token = appIdAuth({ appId: 'app', appKey: APP_KEY, fetch: server.fetch });
    const api = tokenServer(new Set(['good-token']));
    const client = createMeetingClient({ token, fetch: api.fetch });
    const error = await client.listOngoingMeetings().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'response', operation: 'createAppIdToken', status: 200 });
    expect((error as Error).message).toMatch(/the accessToken cannot be sent as a header: it must/);
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })])
      expect(text).not.toContain('tok-7f3a');
    expect(api.requests).toHaveLength(0); // nothing was sent with it
    // Not cached: the next call signs in again and gets a usable token.
    await expect(client.listOngoingMeetings()).resolves.toEqual(page());
    expect(server.requests).toHaveLength(2);
  });

  it('falls back to the still-valid cached token when a renewal ahead of expiry fails, and says so', async () => {
    let clock = 0;
    let down = false;
    const server = authServer({
      validPeriod: 1000,
      fail: () => (down ? jsonResponse({ error_code: 'MMC.503', error_msg: 'busy' }, 503) : undefined),
    });
    const told: { kind: string; validForMs: number }[] = [];
    const token = appIdAuth({
      appId: 'app',
      appKey: APP_KEY,
      fetch: server.fetch,
      now: () => clock,
      retries: 0,
      refreshMarginMs: 600_000, // renewal from 750 s (a quarter of the lifetime), expiry at 1000 s
      onRenewalError: ({ error, validForMs }) => {
        told.push({ kind: error.kind, validForMs });
        throw new Error('a throwing hook changes nothing');
      },
    });
    expect(await token()).toBe('access-token-1');
    down = true;
    clock = 760_000;
    expect(await token()).toBe('access-token-1');
    expect(told).toEqual([{ kind: 'http', validForMs: 240_000 }]);
    const tries = server.requests.length;
    clock = 780_000; // the next renewal waits 30 s: no sign-in storm while the server is down
    expect(await token()).toBe('access-token-1');
    expect(server.requests).toHaveLength(tries);
    clock = 791_000;
    down = false;
    expect(await token()).toBe('access-token-2');
    // Past the expiry, a failed renewal fails the call: there is nothing valid to fall back to.
    down = true;
    clock = 791_000 + 1_000_000;
    await expect(token()).rejects.toMatchObject({ kind: 'http', status: 503 });
    expect(told).toHaveLength(1);
  });

  it('does not fall back after a 401: the cached token was refused', async () => {
    let down = false;
    const server = authServer({
      fail: () => (down ? jsonResponse({ error_code: 'MMC.503', error_msg: 'busy' }, 503) : undefined),
    });
    const onRenewalError = vi.fn();
    const token = appIdAuth({ appId: 'app', appKey: APP_KEY, fetch: server.fetch, retries: 0, onRenewalError });
    expect(await token()).toBe('access-token-1');
    down = true;
    await expect(token({ reason: 'unauthorized' })).rejects.toMatchObject({ kind: 'http', status: 503 });
    expect(onRenewalError).not.toHaveBeenCalled();
  });

  it('refuses missing credentials and a plain-http server with a clear message', () => {
    expect(() => appIdAuth({ appId: '', appKey: APP_KEY })).toThrow(/appId must be a non-empty string/);
    expect(() => appIdAuth({ appId: 'a', appKey: '' })).toThrow(/appKey must be a non-empty string/);
    expect(() => appIdAuth({ appKey: 'k' } as never)).toThrow(/appId is required/);
    expect(() => appIdAuth({ appId: 'a', appKey: 'k', appkey: 'k' } as never)).toThrow(
      /unknown option "appkey"; did you mean "appKey"\?/,
    );
    expect(() => appIdAuth({ appId: 'a', appKey: 'k', baseUrl: 'http://api.meeting.huaweicloud.com' })).toThrow(
      /must use https/,
    );
  });

  it("refuses fields longer than the spec's sign-in body allows, before signing anything", () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    expect(() => appIdAuth({ appId: 'a'.repeat(65), appKey: 'k', fetch })).toThrow(
      'appIdAuth: appId must be a string of 1 to 64 characters, got 65 characters',
    );
    expect(() => appIdAuth({ appId: 'a', appKey: 'k', userId: 'u'.repeat(65), fetch })).toThrow(
      /userId must be a string of at most 64 characters, got 65 characters/,
    );
    expect(() => appIdAuth({ appId: 'a', appKey: 'k', clientType: 2 ** 31, fetch })).toThrow(
      /clientType must be an integer from -2147483648 to 2147483647, got 2147483648/,
    );
    expect(fetch).not.toHaveBeenCalled();
  });
});
