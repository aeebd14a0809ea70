// Tokens as Huawei issues them: 12 hours by default (shorter only when a test asks), and a sign-in answer whose
// `expireTime` is in the future and agrees with `validPeriod` and `createTime`, in the examples mode too (the spec's
// example dates from 2021). A Python or Go SDK caches a token 10 to 12 hours and never signs in again after a 401.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { accountAuth, createMeetingClient } from '../../src/index.js';
import { MOCK_APP, type MockServer, startMockServer } from '../../src/mock/index.js';

const accountPath = specFacts.operations.createAccountToken.path;
const appAuthPath = specFacts.operations.createAppIdToken.path;
const TWELVE_HOURS = 12 * 60 * 60;

interface TokenAnswer {
  accessToken: string;
  validPeriod: number;
  expireTime: number;
  createTime: number;
}

/** A sign-in as the administrator: by account, or by App ID signed with `app` (any signature in examples mode). */
async function signIn(baseUrl: string, path: string, app = { appId: 'any', appKey: 'any' }): Promise<TokenAnswer> {
  const appId = path === appAuthPath;
  const nonce = randomUUID().replaceAll('-', '');
  const signature = createHmac('sha256', app.appKey).update(`${app.appId}::0:${nonce}`).digest('hex');
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: appId
        ? `HMAC-SHA256 signature=${signature}`
        : `Basic ${Buffer.from('user00:mock-password-0').toString('base64')}`,
    },
    body: JSON.stringify(
      appId ? { appId: app.appId, clientType: 72, expireTime: 0, nonce } : { account: 'user00', clientType: 72 },
    ),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as TokenAnswer;
}

/** The answer's times agree with each other and with the clock around the request. */
function expectTimesOfNow(token: TokenAnswer, before: number, after: number) {
  expect(token.createTime).toBeGreaterThanOrEqual(before);
  expect(token.createTime).toBeLessThanOrEqual(after);
  expect(token.expireTime).toBe(Math.floor(token.createTime / 1000) + token.validPeriod);
  expect(token.expireTime * 1000).toBeGreaterThan(after);
}

describe.each([
  ['Prism', () => Promise.resolve({ url: inject('prismUrl'), close: async () => undefined })],
  ['in-process', () => startMockServer({ engine: 'in-process' })],
] as const)('the examples mode (%s engine) signs in with times of now', (_engine, start) => {
  let mock: Pick<MockServer, 'url' | 'close'>;
  beforeAll(async () => {
    mock = await start();
  });
  afterAll(() => mock.close());

  it.each([appAuthPath, accountPath])('%s: expireTime is validPeriod after createTime, in the future', async (path) => {
    const before = Date.now();
    const token = await signIn(mock.url, path);
    expectTimesOfNow(token, before, Date.now());
    expect(token.validPeriod).toBeGreaterThanOrEqual(TWELVE_HOURS); // the spec's example: 56326 s
  });
});

describe('the stateful mode', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ engine: 'in-process', stateful: { meetings: 10 } });
  });
  afterAll(() => mock.close());

  it("issues tokens of Huawei's 12 hours by default, to account and App ID sign-ins", async () => {
    const before = Date.now();
    const byAccount = await signIn(mock.url, accountPath);
    const byApp = await signIn(mock.url, appAuthPath, MOCK_APP);
    for (const token of [byAccount, byApp]) {
      expect(token.validPeriod).toBe(TWELVE_HOURS);
      expectTimesOfNow(token, before, Date.now());
    }
  });

  it('gives a client a token it keeps using: one sign-in for many calls', async () => {
    let signIns = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith(accountPath)) signIns++;
      return fetch(input, init);
    };
    const token = accountAuth({ account: 'user00', password: 'mock-password-0', baseUrl: mock.url, fetch: counting });
    const client = createMeetingClient({ baseUrl: mock.url, token });
    for (let i = 0; i < 5; i++) await client.listOngoingMeetings({ limit: 1 });
    expect(signIns).toBe(1);
  });
});
