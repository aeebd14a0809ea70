import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN_HEADER, createMeetingClient, type TokenRequest } from '../../src/index.js';
import { fakeFetch, jsonResponse, page, tokenServer } from './fake-fetch.js';

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('token refresh after 401', () => {
  it('calls the token function once more with reason "unauthorized" and retries once', async () => {
    const valid = new Set(['fresh-token-2']);
    const fake = tokenServer(valid);
    const reasons: TokenRequest['reason'][] = [];
    let cached = 'expired-token-1';
    const token = vi.fn(async ({ reason }: TokenRequest) => {
      reasons.push(reason);
      if (reason === 'unauthorized') cached = 'fresh-token-2';
      return cached;
    });
    const client = createMeetingClient({ token, fetch: fake.fetch });
    await expect(client.listOngoingMeetings()).resolves.toEqual(page());
    expect(reasons).toEqual(['request', 'unauthorized']);
    expect(fake.requests.map((r) => r.headers.get(ACCESS_TOKEN_HEADER))).toEqual(['expired-token-1', 'fresh-token-2']);
  });

  it('gives up after one refresh when the new token is refused too', async () => {
    const fake = tokenServer(new Set());
    const token = vi.fn(async () => 'never-valid');
    const error = await errorOf(createMeetingClient({ token, fetch: fake.fetch }).listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'http', status: 401, attempts: 2 });
    expect(token).toHaveBeenCalledTimes(2);
  });

  it('does not refresh a fixed string token', async () => {
    const fake = tokenServer(new Set());
    const error = await errorOf(createMeetingClient({ token: 'fixed', fetch: fake.fetch }).listOngoingMeetings());
    expect(error).toMatchObject({ status: 401, attempts: 1 });
  });

  it('shares one refresh among concurrent requests that got 401 with the same token', async () => {
    const valid = new Set<string>();
    const fake = tokenServer(valid);
    let refreshes = 0;
    const token = async ({ reason }: TokenRequest) => {
      if (reason === 'request') return 'stale';
      refreshes++;
      await new Promise((r) => setTimeout(r, 10));
      valid.add(`fresh-${refreshes}`);
      return `fresh-${refreshes}`;
    };
    const client = createMeetingClient({ token, fetch: fake.fetch });
    const pages = await Promise.all(Array.from({ length: 5 }, () => client.listOngoingMeetings()));
    expect(pages).toHaveLength(5);
    expect(refreshes).toBe(1);
  });

  it('tries a new refresh after a failed one, and reports the failure without the token', async () => {
    let calls = 0;
    const token = async ({ reason }: TokenRequest) => {
      calls++;
      if (reason === 'unauthorized' && calls === 2) throw new Error('auth service down');
      return reason === 'request' ? 'secret-stale-token' : 'secret-fresh-token';
    };
    const valid = new Set(['secret-fresh-token']);
    const client = createMeetingClient({ token, fetch: tokenServer(valid).fetch });
    const error = await errorOf(client.listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'input' });
    expect((error as Error).message).toContain('the token function failed: auth service down');
    expect(inspect(error, { depth: 5 })).not.toContain('secret-');
    await expect(client.listOngoingMeetings()).resolves.toEqual(page());
  });
});

describe('redaction of the token', () => {
  const SECRET = 'tok-9c2e7a51d3';

  it('scrubs a token that the server echoes into its error body, message and fields', async () => {
    const fake = fakeFetch(() =>
      jsonResponse({ error_code: 'USG.1', error_msg: `token ${SECRET} is invalid`, request_id: SECRET }, 401, {}),
    );
    const error = await errorOf(createMeetingClient({ token: SECRET, fetch: fake.fetch }).listOngoingMeetings());
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain(SECRET);
    }
    expect(error).toMatchObject({ errorMsg: 'token [REDACTED] is invalid' });
  });

  it('scrubs a token that a 2xx body echoes', async () => {
    const fake = fakeFetch(() => new Response(`<html>hello ${SECRET}</html>`, { status: 200 }));
    const error = await errorOf(createMeetingClient({ token: SECRET, fetch: fake.fetch }).listOngoingMeetings());
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect((error as { bodySnippet: string }).bodySnippet).toBe('<html>hello [REDACTED]</html>');
  });

  it('scrubs a token from the cause chain of a network error', async () => {
    const fake = fakeFetch((request) => {
      throw new TypeError('fetch failed', {
        cause: new Error(`proxy refused header ${request.headers.get(ACCESS_TOKEN_HEADER)}`),
      });
    });
    const error = await errorOf(
      createMeetingClient({ token: SECRET, fetch: fake.fetch, retries: 0 }).listOngoingMeetings(),
    );
    expect(error).toMatchObject({ kind: 'network' });
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(SECRET);
    expect(String((error as Error).message)).toContain('[REDACTED]');
  });
});
