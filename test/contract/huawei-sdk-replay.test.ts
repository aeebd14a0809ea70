// The requests Huawei's own SDKs send, replayed with plain fetch against both mock modes: account sign-in as the
// Node.js and Go SDKs build it, App ID sign-in as the Python, Java and .NET SDKs build it, the deprecated userUUID.
// And the answers a test suite reads: Huawei's error body in both modes, a fresh X-Request-Id on each.
import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { accountAuth, appIdAuth, createMeetingClient } from '../../src/index.js';
import { INVALID_PARAMETER, MOCK_APP, MOCK_ADMIN_TOKEN, TOKEN_INVALID } from '../../src/mock/index.js';

const modes = { examples: inject('prismUrl'), stateful: inject('statefulUrl') };
const listPath = specFacts.operations.listOngoingMeetings.path;
const appAuthPath = specFacts.operations.createAppIdToken.path;
const accountPath = specFacts.operations.createAccountToken.path;
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const hmac = (key: string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest('hex');
const inTenMinutes = () => Math.floor(Date.now() / 1000) + 600;

/** The account sign-in of the Node.js and Go SDKs' MeetingCredentials. */
const goNodeAccountSignIn = (baseUrl: string, account = 'user00', password = 'mock-password-0') =>
  fetch(`${baseUrl}${accountPath}`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${base64(`${account}:${password}`)}`,
      'Content-Type': 'application/json; charset=UTF-8',
    },
    body: JSON.stringify({ account, clientType: 72 }),
  });

/**
 * App ID sign-in of Huawei's Python SDK (3.1.167+, single tenant, no user): upper-case hex, `,access=`, nulls, no
 * X-Token-Type.
 */
function pythonAppIdSignIn(baseUrl: string, overrides: { nonce?: string; expireTime?: number } = {}) {
  const expireTime = overrides.expireTime ?? inTenMinutes();
  const nonce = overrides.nonce ?? randomUUID();
  const signature = hmac(MOCK_APP.appKey, `${MOCK_APP.appId}::${expireTime}:${nonce}`).toUpperCase();
  return fetch(`${baseUrl}${appAuthPath}`, {
    method: 'POST',
    headers: {
      Authorization: `HMAC-SHA256 signature=${signature},access=${base64(MOCK_APP.appId)}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      appId: MOCK_APP.appId,
      userId: '',
      corpId: null,
      expireTime,
      nonce,
      clientType: 72,
      deptCode: null,
    }),
  });
}

/**
 * App ID sign-in of Huawei's .NET SDK, as a named user: upper-case hex, signature alone, `corpId` and `deptCode` null.
 */
function dotnetAppIdSignIn(baseUrl: string, userId: string | null) {
  const expireTime = inTenMinutes();
  const nonce = randomUUID();
  const signature = hmac(MOCK_APP.appKey, `${MOCK_APP.appId}:${userId ?? ''}:${expireTime}:${nonce}`).toUpperCase();
  return fetch(`${baseUrl}${appAuthPath}`, {
    method: 'POST',
    headers: { Authorization: `HMAC-SHA256 signature=${signature}`, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({
      appId: MOCK_APP.appId,
      userId,
      corpId: null,
      expireTime,
      nonce,
      clientType: 72,
      deptCode: null,
    }),
  });
}

/** App ID sign-in of Huawei's Java SDK (3.1.166+): lower-case hex with `,access=`, only the fields it has. */
function javaAppIdSignIn(baseUrl: string, userId: string) {
  const expireTime = inTenMinutes();
  const nonce = randomUUID().replaceAll('-', '');
  const signature = hmac(MOCK_APP.appKey, `${MOCK_APP.appId}:${userId}:${expireTime}:${nonce}`);
  return fetch(`${baseUrl}${appAuthPath}`, {
    method: 'POST',
    headers: {
      Authorization: `HMAC-SHA256 signature=${signature},access=${base64(MOCK_APP.appId)}`,
      'Content-Type': 'application/json;charset=UTF-8',
    },
    body: JSON.stringify({ appId: MOCK_APP.appId, userId, expireTime, nonce, clientType: 72 }),
  });
}

const tokenOf = async (response: Response) => {
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
};
const listWith = (baseUrl: string, token: string, query = 'limit=5') =>
  fetch(`${baseUrl}${listPath}?${query}`, { headers: { 'X-Access-Token': token } });

describe.each(Object.entries(modes))("Huawei's SDK requests against the %s mock", (mode, baseUrl) => {
  it('accepts account sign-in as the Node.js and Go SDKs send it, and the token lists meetings', async () => {
    const token = await tokenOf(await goNodeAccountSignIn(baseUrl));
    expect((await listWith(baseUrl, token)).status).toBe(200);
  });

  it('accepts App ID sign-in as the Python SDK sends it', async () => {
    const token = await tokenOf(await pythonAppIdSignIn(baseUrl));
    expect((await listWith(baseUrl, token)).status).toBe(200);
  });

  it('accepts App ID sign-in as the .NET SDK sends it, with and without a user', async () => {
    expect((await listWith(baseUrl, await tokenOf(await dotnetAppIdSignIn(baseUrl, null)))).status).toBe(200);
    expect((await listWith(baseUrl, await tokenOf(await dotnetAppIdSignIn(baseUrl, 'user05')))).status).toBe(200);
  });

  it('accepts App ID sign-in as the Java SDK sends it', async () => {
    expect((await listWith(baseUrl, await tokenOf(await javaAppIdSignIn(baseUrl, 'user07')))).status).toBe(200);
  });

  it('accepts the deprecated userUUID and X-Site-Id, as the service does', async () => {
    const response = await fetch(`${baseUrl}${listPath}?userUUID=ff80808167ef1edf0167f339533d05a6&limit=1`, {
      headers: { 'X-Access-Token': MOCK_ADMIN_TOKEN, 'X-Site-Id': 'site-1', 'X-Authorization-Type': 'EnterpriseAdmin' },
    });
    expect(response.status).toBe(200);
  });

  it("answers a request outside the spec with Huawei's 400 body naming the parameter and what is allowed", async () => {
    const response = await listWith(baseUrl, MOCK_ADMIN_TOKEN, 'limit=501&offset=-2&queryAll=maybe');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { error_code: string; error_msg: string };
    expect(body.error_code).toBe(INVALID_PARAMETER);
    for (const part of [
      'limit must be an integer from 1 to 500, got 501',
      'offset must be an integer from 0 to 2147483647, got -2',
      'queryAll must be true or false, got "maybe"',
    ]) {
      expect(body.error_msg).toContain(part);
    }
  });

  it("answers a missing token with Huawei's 401 body", async () => {
    const response = await fetch(`${baseUrl}${listPath}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error_code: TOKEN_INVALID,
      error_msg: expect.stringContaining('X-Access-Token'),
    });
  });

  it('gives every answer a fresh X-Request-Id', async () => {
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => listWith(baseUrl, MOCK_ADMIN_TOKEN)),
      fetch(`${baseUrl}${listPath}`),
      listWith(baseUrl, MOCK_ADMIN_TOKEN, 'limit=0'),
    ]);
    const ids = answers.map((a) => a.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('signs in with accountAuth and appIdAuth (with ,access=) through the client', async () => {
    const byAccount = createMeetingClient({
      baseUrl,
      token: accountAuth({ account: 'user03', password: 'mock-password-3', baseUrl }),
    });
    const byApp = createMeetingClient({ baseUrl, token: appIdAuth({ ...MOCK_APP, baseUrl }) });
    // The examples mode answers its example page whatever the limit; the stateful one honours it.
    const expected = mode === 'stateful' ? { limit: 1 } : { data: expect.any(Array) };
    await expect(byAccount.listOngoingMeetings({ limit: 1 })).resolves.toMatchObject(expected);
    await expect(byApp.listOngoingMeetings({ limit: 1 })).resolves.toMatchObject(expected);
  });
});

describe('sign-in rules of the stateful mock', () => {
  const baseUrl = modes.stateful;

  it('refuses a replayed nonce', async () => {
    const nonce = randomUUID();
    expect((await pythonAppIdSignIn(baseUrl, { nonce })).status).toBe(200);
    const replay = await pythonAppIdSignIn(baseUrl, { nonce });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error_msg: 'NONCE_REPLAYED' });
  });

  it('refuses a signature whose expireTime has passed', async () => {
    const stale = await pythonAppIdSignIn(baseUrl, { expireTime: Math.floor(Date.now() / 1000) - 5 });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ error_msg: 'SIGNATURE_EXPIRED' });
  });

  it('refuses a wrong password, and a body whose account differs from Authorization', async () => {
    expect((await goNodeAccountSignIn(baseUrl, 'user00', 'wrong')).status).toBe(401);
    const mismatched = await fetch(`${baseUrl}${accountPath}`, {
      method: 'POST',
      headers: { Authorization: `Basic ${base64('user00:mock-password-0')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ account: 'user01', clientType: 72 }),
    });
    expect(mismatched.status).toBe(401);
  });

  it("lists as the signed-in account: a user's token sees fewer meetings than the administrator's", async () => {
    const admin = await tokenOf(await goNodeAccountSignIn(baseUrl, 'user00', 'mock-password-0'));
    const user = await tokenOf(await goNodeAccountSignIn(baseUrl, 'user01', 'mock-password-1'));
    const count = async (token: string) =>
      ((await (await listWith(baseUrl, token, 'queryAll=true&limit=1')).json()) as { count: number }).count;
    expect(await count(user)).toBeLessThan(await count(admin));
  });

  it('refuses an unknown token and an App ID token once it has expired', async () => {
    expect((await listWith(baseUrl, 'not-a-token')).status).toBe(401);
    const token = await tokenOf(await pythonAppIdSignIn(baseUrl));
    // The suite's stateful mock issues tokens that live 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await listWith(baseUrl, token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error_code: TOKEN_INVALID });
  });
});
