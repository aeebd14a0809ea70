// Faults on demand, as a tester rehearses them: slow answers, 500/503 at a seeded rate, and the gateway's 429
// per token, each validated by Prism like any answer, driving the client's retries and its shared back-off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { createMeetingClient, type RetryInfo } from '../../src/index.js';
import { MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN, startMockServer, type MockServer } from '../../src/mock/index.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
let flaky: MockServer;
let throttled: MockServer;

beforeAll(async () => {
  [flaky, throttled] = await Promise.all([
    startMockServer({ stateful: { meetings: 60, failureRate: 0.3, latencyMs: [30, 80], seed: 7 } }),
    startMockServer({ stateful: { meetings: 100, rateLimit: { requests: 5, windowMs: 1000 } } }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([flaky?.close(), throttled?.close()]);
});

const list = (mock: MockServer, token = MOCK_ADMIN_TOKEN) =>
  fetch(`${mock.url}${listPath}?limit=1`, { headers: { 'X-Access-Token': token } });

describe('a failure rate', () => {
  it("answers about that share of requests 500 or 503, in Huawei's body, 503 with Retry-After", async () => {
    const answers = await Promise.all(Array.from({ length: 120 }, () => list(flaky)));
    const failed = answers.filter((a) => a.status !== 200);
    expect(failed.length).toBeGreaterThan(15);
    expect(failed.length).toBeLessThan(60);
    for (const answer of failed) {
      expect([500, 503]).toContain(answer.status);
      expect(await answer.json()).toMatchObject({ error_code: expect.any(String), error_msg: expect.any(String) });
      if (answer.status === 503) expect(answer.headers.get('retry-after')).toBe('1');
    }
    expect(new Set(failed.map((a) => a.status))).toEqual(new Set([500, 503]));
  });

  it("is what the client's retries are for: every call gets through, and the retries show", async () => {
    const retried: RetryInfo[] = [];
    const client = createMeetingClient({
      baseUrl: flaky.url,
      token: MOCK_ADMIN_TOKEN,
      retries: 8,
      retryBaseDelayMs: 5,
      retryMaxDelayMs: 50,
      onRetry: (info) => void retried.push(info),
    });
    const pages = await Promise.all(Array.from({ length: 40 }, () => client.listOngoingMeetings({ limit: 2 })));
    expect(pages.every((p) => p.data.length === 2)).toBe(true);
    expect(retried.length).toBeGreaterThan(3);
    expect(retried.every((r) => r.error.kind === 'http' && [500, 503].includes(r.error.status))).toBe(true);
  });

  it('delays every answer by the latency asked for, so a shorter timeout fails', async () => {
    const started = Date.now();
    await list(flaky);
    expect(Date.now() - started).toBeGreaterThanOrEqual(28);
    const impatient = createMeetingClient({ baseUrl: flaky.url, token: MOCK_ADMIN_TOKEN, timeoutMs: 15, retries: 0 });
    await expect(impatient.listOngoingMeetings()).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('a rate limit per token', () => {
  it('answers 429 like the API gateway past the limit, per token', async () => {
    // Seven requests in one fresh 1 s window. On a loaded machine they may take longer than the window: such a burst
    // proves nothing and is tried again (a mock that does not limit fails every try).
    let answers: Response[] = [];
    for (let tries = 0; tries < 5; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // a fresh window
      const started = performance.now();
      answers = [];
      for (let i = 0; i < 7; i++) answers.push(await list(throttled));
      if (performance.now() - started < 900) break;
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = answers[5]!;
    expect(await refused.json()).toEqual({ error_code: 'APIG.0308', error_msg: 'The request is throttled.' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-apig-ratelimit-api')).toBe('remain:0,limit:5,time:1 second');
    expect(answers[0]!.headers.get('x-apig-ratelimit-api')).toBe('remain:4,limit:5,time:1 second');
    expect((await list(throttled, MOCK_USER_TOKEN)).status).toBe(200); // another token, its own window
  }, 60_000);

  it('is what the shared back-off is for: a concurrent walk gets every meeting, holding back after a 429', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const throttles: number[] = [];
    const client = createMeetingClient({
      baseUrl: throttled.url,
      token: MOCK_ADMIN_TOKEN,
      retries: 10,
      onRetry: ({ error }) => void (error.kind === 'http' && error.status === 429 && throttles.push(Date.now())),
    });
    const seen = new Set<string>();
    for await (const meeting of client.ongoingMeetings({ queryAll: true }, { pageSize: 10, concurrency: 4 }))
      seen.add(meeting.confUUID!);
    expect(seen.size).toBe(100);
    expect(throttles.length).toBeGreaterThan(0);
    // Held back together: after a 429 the next ones come only from requests already in flight, then a second later.
    expect(throttles.length).toBeLessThanOrEqual(4 * 3);
  }, 30_000);
});
