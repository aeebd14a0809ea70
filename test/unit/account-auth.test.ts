import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { accountAuth, createMeetingClient } from '../../src/index.js';
import { fakeFetch, jsonResponse, page, tokenServer } from './fake-fetch.js';

const PASSWORD = 'pa55-w0rd-7c1e9b';
const basic = (account: string, password: string) =>
  `Basic ${Buffer.from(`${account}:${password}`).toString('base64')}`;

/** Huawei's account sign-in as the SDKs call it: Basic credentials and the account in the body. */
function accountServer(options: { echo?: boolean; validPeriod?: number } = {}) {
  let issued = 0;
  const fake = fakeFetch(async (request) => {
    const body = (await request.json()) as { account: string; clientType: number };
    const authorization = request.headers.get('Authorization');
    if (options.echo)
      return jsonResponse(
        { error_code: 'USG.000000001', error_msg: `bad credentials ${authorization} for ${PASSWORD}` },
        401,
      );
    if (authorization !== basic('alice', PASSWORD) || body.account !== 'alice' || body.clientType !== 72) {
      return jsonResponse({ error_code: 'USG.000000001', error_msg: 'AUTH_FAILED' }, 401);
    }
    issued++;
    return jsonResponse({ accessToken: `account-token-${issued}`, validPeriod: options.validPeriod ?? 3600 });
  });
  return { ...fake, issued: () => issued };
}

describe('accountAuth', () => {
  it('signs in with Basic credentials at /v1/usg/acs/auth/account and caches the token', async () => {
    const server = accountServer();
    const token = accountAuth({ account: 'alice', password: PASSWORD, fetch: server.fetch });
    expect(await token()).toBe('account-token-1');
    expect(await token()).toBe('account-token-1');
    expect(server.issued()).toBe(1);
    expect(server.requests[0]!.url).toBe('https://api.meeting.huaweicloud.com/v1/usg/acs/auth/account');
    expect(server.requests[0]!.method).toBe('POST');
  });

  it('shares one sign-in among concurrent callers and signs in again after a 401', async () => {
    const auth = accountServer();
    const token = accountAuth({ account: 'alice', password: PASSWORD, fetch: auth.fetch });
    expect(new Set(await Promise.all(Array.from({ length: 8 }, () => token())))).toEqual(new Set(['account-token-1']));
    const api = tokenServer(new Set(['account-token-2']));
    await expect(createMeetingClient({ token, fetch: api.fetch }).listOngoingMeetings()).resolves.toEqual(page());
    expect(auth.issued()).toBe(2);
  });

  it('never shows the password, plain or inside the echoed Basic header', async () => {
    const error = await accountAuth({
      account: 'alice',
      password: PASSWORD,
      fetch: accountServer({ echo: true }).fetch,
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'http', status: 401, operation: 'createAccountToken' });
    const encoded = Buffer.from(`alice:${PASSWORD}`).toString('base64');
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(encoded);
    }
  });

  it('refuses missing credentials, an account with a colon and unknown options, saying why', () => {
    expect(() => accountAuth({ account: 'alice' } as never)).toThrow(/password is required/);
    expect(() => accountAuth({ account: 'a:b', password: 'p' })).toThrow(/account must not contain ":"/);
    expect(() => accountAuth({ account: 'a', password: 'p', pasword: 'p' } as never)).toThrow(
      /unknown option "pasword"; did you mean "password"\?/,
    );
    expect(() => accountAuth({ account: 'a'.repeat(256), password: 'p' })).toThrow(
      'accountAuth: account must be a string of 1 to 255 characters, got 256 characters',
    );
  });
});
