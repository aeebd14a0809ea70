import { describe, expect, inject, it } from 'vitest';
import { appIdAuth, createMeetingClient, type ConferenceInfo } from '../../src/index.js';
import { MOCK_APP } from '../../src/mock/index.js';
import { bundledSpec, deref } from '../support/spec.js';

const authOperation = bundledSpec.paths['/v2/usg/acs/auth/appauth']!.post;
const exampleToken = deref(authOperation.responses['200'].content['application/json'].examples.token).value as {
  accessToken: string;
};

describe('createAppIdToken against the Prism mock of the spec', () => {
  const baseUrl = inject('prismUrl');
  const signIn = (fetchFn?: typeof fetch) =>
    appIdAuth({ appId: 'any-app', appKey: 'any-key', baseUrl, ...(fetchFn ? { fetch: fetchFn } : {}) })();

  it("returns the spec's example token to a signed request", async () => {
    expect(await signIn()).toBe(exampleToken.accessToken);
  });

  for (const status of Object.keys(authOperation.responses).filter((s) => Number(s) >= 400)) {
    it(`surfaces the documented ${status} with its error body`, async () => {
      const prefer: typeof fetch = (input, init) => {
        const request = new Request(input, init);
        request.headers.set('Prefer', `code=${status}`);
        return fetch(request);
      };
      const error = await signIn(prefer).catch((e: unknown) => e);
      const example = deref(
        Object.values(deref(authOperation.responses[status]).content['application/json'].examples)[0],
      ).value;
      expect(error).toMatchObject({
        kind: 'http',
        status: Number(status),
        operation: 'createAppIdToken',
        errorCode: example.error_code,
      });
    });
  }

  it('is refused by Prism without the Authorization signature', async () => {
    const client = createMeetingClient({ baseUrl });
    const { response } = await client.raw.POST('/v2/usg/acs/auth/appauth', {
      params: { header: { 'X-Token-Type': 'LongTicket' } },
      body: { appId: 'a', clientType: 72, expireTime: 0, nonce: 'n'.repeat(32) },
    });
    expect(response.status).toBe(401);
  });

  it('is refused by Prism with a nonce shorter than 32 characters', async () => {
    const client = createMeetingClient({ baseUrl });
    const { response } = await client.raw.POST('/v2/usg/acs/auth/appauth', {
      params: { header: { 'X-Token-Type': 'LongTicket' } },
      headers: { Authorization: `HMAC-SHA256 signature=${'0'.repeat(64)}` },
      body: { appId: 'a', clientType: 72, expireTime: 0, nonce: 'short' },
    });
    expect(response.status).toBe(400);
  });
});

/** A fetch that counts sign-ins and 401 answers. */
function countingFetch() {
  const counts = { signIns: 0, unauthorized: 0 };
  const fetchFn: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (String(input instanceof Request ? input.url : input).includes('/appauth')) counts.signIns++;
    if (response.status === 401) counts.unauthorized++;
    return response;
  };
  return { counts, fetch: fetchFn };
}

describe('App ID authentication against the stateful mock', () => {
  // The suite's stateful mock issues tokens that live 2 s (test/contract/prism.setup.ts): a walk of a few
  // seconds outlives the first one.
  const mock = { url: inject('statefulUrl') };
  const total = inject('statefulMeetings');

  it('refuses a signature made with the wrong key, and says so without the key', async () => {
    const error = await appIdAuth({ appId: MOCK_APP.appId, appKey: 'not-the-key-7d1e', baseUrl: mock.url })().catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'http', status: 401, errorCode: 'USG.000000001' });
    expect(JSON.stringify(error) + String(error)).not.toContain('not-the-key-7d1e');
  });

  it('walks across a token expiry: the client signs in again and every meeting arrives once', async () => {
    const { counts, fetch: countingFetchFn } = countingFetch();
    // A client clock that runs at half speed believes the token fresh after the mock has expired it, so the
    // token is used until the mock refuses it: the 401 path is what is tested.
    const t0 = Date.now();
    const token = appIdAuth({
      ...MOCK_APP,
      baseUrl: mock.url,
      fetch: countingFetchFn,
      refreshMarginMs: 0,
      now: () => t0 + (Date.now() - t0) / 2,
    });
    const client = createMeetingClient({ baseUrl: mock.url, token, fetch: countingFetchFn });
    const seen: ConferenceInfo[] = [];
    for await (const page of client.ongoingMeetingPages({ queryAll: true }, { pageSize: 100 })) {
      seen.push(...page.data);
      await new Promise((resolve) => setTimeout(resolve, 400)); // a slow consumer: 13 pages take ~5 s
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((m) => m.confUUID)).size).toBe(total);
    expect(counts.unauthorized).toBeGreaterThanOrEqual(1);
    expect(counts.signIns).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('renews ahead of expiry with a margin, so that no request is refused', async () => {
    const { counts, fetch: countingFetchFn } = countingFetch();
    const token = appIdAuth({ ...MOCK_APP, userId: 'user01', baseUrl: mock.url, fetch: countingFetchFn });
    const client = createMeetingClient({ baseUrl: mock.url, token, fetch: countingFetchFn });
    let pages = 0;
    for await (const _ of client.ongoingMeetingPages({}, { pageSize: 3 })) {
      pages++;
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (pages >= 12) break;
    }
    expect(pages).toBe(12);
    expect(counts.signIns).toBeGreaterThanOrEqual(2);
    expect(counts.unauthorized).toBe(0);
  }, 60_000);
});
