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
