// The MSW handlers' tests, run once per MSW major (test/unit/mock-msw.test.ts: 2.x, mock-msw3.test.ts: 3.x): a
// client made without baseUrl answered by the examples mode, the stateful mode's sign-ins, paging, timeline and
// faults, Huawei-shaped refusals, and the same status and error_code as the in-process engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { accountAuth, createMeetingClient, MeetingHttpError } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/mock/index.js';
import { createMswHandlers } from '../../src/mock/msw.js';

interface Server {
  listen(options?: { onUnhandledRequest?: 'bypass' | 'error' }): void;
  close(): void;
}
type SetupServer = (...handlers: ReturnType<typeof createMswHandlers>['handlers']) => Server;

const listPath = specFacts.operations.listOngoingMeetings.path;
const huaweiHost = specFacts.servers[0];

export function mswCases(major: string, setupServer: SetupServer): void {
  it(`MSW ${major}: refuses a misspelt or bad option, naming it, as startMockServer does`, () => {
    expect(() => createMswHandlers({ baseURL: 'https://meetings.test' } as never)).toThrow(
      /createMswHandlers: unknown option "baseURL"; did you mean "baseUrl"\?/,
    );
    expect(() => createMswHandlers({ baseUrl: 'meetings.test' })).toThrow(/baseUrl must be an http or https URL/);
    expect(() => createMswHandlers({ stateful: { meeting: 5 } } as never)).toThrow(/did you mean "meetings"/);
    expect(() => createMswHandlers({ baseUrl: 'https://u:p@meetings.test' })).toThrow(
      /baseUrl must not hold a user name or password/,
    );
    expect(() => createMswHandlers({ baseUrl: 'https://meetings.test/?x=1' })).toThrow(/must not have a query/);
  });

  it(`MSW ${major}: answers under a path prefix of baseUrl, as a client with that baseUrl calls`, async () => {
    const mock = createMswHandlers({ baseUrl: 'https://gateway.test/meeting/', stateful: { meetings: 3 } });
    expect(mock.baseUrl).toBe('https://gateway.test/meeting');
    const server = setupServer(...mock.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const client = createMeetingClient({ baseUrl: mock.baseUrl, token: mock.tokens.admin });
      await expect(client.listOngoingMeetings({ queryAll: true })).resolves.toMatchObject({ count: 3 });
      const token = accountAuth({ account: 'user00', password: 'mock-password-0', baseUrl: mock.baseUrl });
      await expect(createMeetingClient({ baseUrl: mock.baseUrl, token }).listOngoingMeetings()).resolves.toBeDefined();
      // Outside the prefix is not the mock's: unhandled, so refused by onUnhandledRequest.
      await expect(fetch(`https://gateway.test${listPath}`)).rejects.toThrow();
    } finally {
      server.close();
    }
  });

  describe(`MSW ${major}: the examples mode`, () => {
    const mock = createMswHandlers();
    const server = setupServer(...mock.handlers);
    beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
    afterAll(() => server.close());

    it("answers a client made without baseUrl (Huawei's host) with the spec's example page", async () => {
      expect(mock.baseUrl).toBe(huaweiHost);
      const page = await createMeetingClient({ token: 'any' }).listOngoingMeetings();
      expect(page.data[0]).toMatchObject({ conferenceID: '914083136' });
    });

    it("answers an unknown path with the gateway's 404 and a missing token with 401, in Huawei's shape", async () => {
      const unknown = await fetch(`${huaweiHost}/v1/nowhere`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error_code: 'APIG.0101' });
      expect(unknown.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
      const missing = await fetch(`${huaweiHost}${listPath}`);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({ error_code: 'USG.000000004' });
    });

    it("checks an empty query value against the spec, and looks up only the spec's own example names", async () => {
      const headers = { 'x-access-token': 'any' };
      const empty = await fetch(`${huaweiHost}${listPath}?searchKey=`, { headers });
      expect(empty.status).toBe(400);
      expect(await empty.json()).toMatchObject({ error_msg: expect.stringMatching(/^searchKey .*1.*128/) });
      const limit = await fetch(`${huaweiHost}${listPath}?limit=`, { headers });
      expect(await limit.json()).toMatchObject({ error_msg: expect.stringMatching(/^limit must be an integer/) });
      const prototype = await fetch(`${huaweiHost}${listPath}`, {
        headers: { ...headers, prefer: 'example=constructor' },
      });
      expect(prototype.status).toBe(400);
      expect(await prototype.json()).toMatchObject({
        error_msg: expect.stringMatching(/the spec documents no answer/),
      });
    });
  });

  describe(`MSW ${major}: the stateful mode`, () => {
    const baseUrl = 'https://meetings.test';
    const mock = createMswHandlers({
      baseUrl,
      stateful: { meetings: 50, churn: { startsPerMinute: 60, clock: 'manual' }, rateLimit: { requests: 3 } },
    });
    const server = setupServer(...mock.handlers);
    beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
    afterAll(() => server.close());

    it('signs in by account and pages the whole enterprise; the timeline adds meetings', async () => {
      const token = accountAuth({ account: 'user00', password: 'mock-password-0', baseUrl });
      const client = createMeetingClient({ baseUrl, token });
      expect((await client.listOngoingMeetings({ queryAll: true, limit: 1 })).count).toBe(50);
      const started = mock.timeline!.advance(5 * 60_000).filter((e) => e.type === 'started');
      expect(started.length).toBeGreaterThan(0);
      const after = await client.listOngoingMeetings({ queryAll: true, limit: 1 });
      expect(after.count).toBe(50 + started.length);
    });

    it("throttles past the rate limit with the gateway's 429", async () => {
      const client = createMeetingClient({ baseUrl, token: mock.tokens.user, retries: 0 });
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => client.listOngoingMeetings()));
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]).toBeInstanceOf(MeetingHttpError);
      expect(refused[0]).toMatchObject({ status: 429, errorCode: 'APIG.0308' });
    });
  });

  describe(`MSW ${major}: the same answers as the in-process engine`, () => {
    let engine: MockServer;
    const mock = createMswHandlers({ stateful: { meetings: 20 } });
    const server = setupServer(...mock.handlers);
    beforeAll(async () => {
      engine = await startMockServer({ engine: 'in-process', stateful: { meetings: 20 } });
      server.listen({ onUnhandledRequest: 'bypass' });
    });
    afterAll(async () => {
      server.close();
      await engine?.close();
    });

    it.each([
      ['GET', `${listPath}?queryAll=true&limit=5`, { 'x-access-token': 'mock-admin-token' }, undefined],
      ['GET', `${listPath}?limit=501`, { 'x-access-token': 'mock-admin-token' }, undefined],
      ['GET', listPath, {}, undefined],
      ['DELETE', listPath, { 'x-access-token': 'x' }, undefined],
      ['POST', specFacts.operations.createAccountToken.path, { 'content-type': 'application/json' }, 'null'],
      ['POST', specFacts.operations.createAppIdToken.path, {}, '{"appId":"x"}'],
    ])('%s %s', async (method, path, headers, body) => {
      const [viaMsw, viaEngine] = await Promise.all(
        [huaweiHost, engine.url].map(async (base) => {
          const response = await fetch(`${base}${path}`, { method, headers, body: body ?? null });
          const json = (await response.json()) as { error_code?: string; limit?: number; count?: number };
          return { status: response.status, code: json.error_code, limit: json.limit, count: json.count };
        }),
      );
      expect(viaMsw).toEqual(viaEngine);
    });
  });
}
