// mock.users and mock.apps are for reading: a test that edits them (a password deleted before logging, a list
// emptied) must not change who can sign in, on the in-process engine or the MSW handlers.
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { accountAuth, appIdAuth } from '../../src/index.js';
import { startMockServer } from '../../src/mock/index.js';
import { createMswHandlers } from '../../src/mock/msw.js';

type Credentials = Pick<Awaited<ReturnType<typeof startMockServer>>, 'users' | 'apps'>;

/** Edits what the caller was given, and checks that the mock still signs in the users and apps it made. */
async function editThenSignIn(mock: Credentials, baseUrl: string) {
  const { account, password } = mock.users[0]!;
  const { appId, appKey } = mock.apps[0]!;
  mock.users[0]!.password = 'changed';
  mock.users.length = 0;
  mock.apps[0]!.appKey = 'changed';
  mock.apps.length = 0;
  await expect(accountAuth({ account, password, baseUrl, retries: 0 })()).resolves.toBeTypeOf('string');
  await expect(appIdAuth({ appId, appKey, baseUrl, retries: 0 })()).resolves.toBeTypeOf('string');
  await expect(accountAuth({ account, password: 'changed', baseUrl, retries: 0 })()).rejects.toMatchObject({
    kind: 'http',
    status: 401,
  });
}

describe("the mock's users and apps, edited by a test", () => {
  it('in-process: change nothing the mock checks', async () => {
    const mock = await startMockServer({ engine: 'in-process', stateful: { meetings: 2 } });
    try {
      await editThenSignIn(mock, mock.url);
      expect(mock.users).toEqual([]); // the caller's own copy, edited as asked
    } finally {
      await mock.close();
    }
  });

  it('MSW handlers: change nothing the handlers check', async () => {
    const msw = createMswHandlers({ stateful: { meetings: 2 } });
    const server = setupServer(...msw.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    try {
      await editThenSignIn(msw, msw.baseUrl);
    } finally {
      server.close();
    }
  });

  it('each mock gives out its own copies (the default app is not one object shared by every mock)', async () => {
    const a = createMswHandlers({ stateful: { meetings: 2 } });
    a.apps[0]!.appKey = 'changed';
    expect(createMswHandlers({ stateful: { meetings: 2 } }).apps[0]!.appKey).not.toBe('changed');
  });
});
