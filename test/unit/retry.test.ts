import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMeetingClient, MeetingClientError, MeetingHttpError } from '../../src/index.js';
import { sleep } from '../../src/abort.js';
import { backoffDelay, parseRetryAfter, RETRYABLE_STATUSES } from '../../src/retry.js';
import { fakeFetch, hangingAnswer, jsonResponse, page } from './fake-fetch.js';

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const huaweiError = (status: number, headers: Record<string, string> = {}) =>
  jsonResponse({ error_code: `MMC.${status}`, error_msg: 'X' }, status, headers);

/** Answers with the given statuses in turn (a number) or a page (the string 'page'). */
function scripted(...answers: (number | 'page' | 'reset')[]) {
  let i = 0;
  return fakeFetch(() => {
    const answer = answers[Math.min(i++, answers.length - 1)];
    if (answer === 'page') return jsonResponse(page());
    if (answer === 'reset') throw new TypeError('fetch failed', { cause: new Error('read ECONNRESET') });
    return huaweiError(answer!);
  });
}

afterEach(() => vi.useRealTimers());

describe('retry policy', () => {
  it('spreads backoff with full jitter under an exponential ceiling capped by retryMaxDelayMs', () => {
    const policy = { retryBaseDelayMs: 100, retryMaxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    // Not delta-seconds, not a date: unreadable, so the backoff applies (these used to parse as old dates, 0 ms).
    for (const odd of ['-5', '1.5', '+3', '1e3', '0x10', '12 s'])
      expect(parseRetryAfter(odd, now), odd).toBeUndefined();
  });

  it('reads delta-seconds too long for a number as the longest wait, not as unreadable (RFC 9111 §1.2.2)', () => {
    for (const huge of ['9007199254740993', '99999999999999999999999']) {
      const ms = parseRetryAfter(huge);
      expect(ms, huge).toBeGreaterThanOrEqual(2 ** 31 * 1000);
      expect(Number.isFinite(ms), huge).toBe(true);
    }
  });

  it('stops a wait at once when the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const waiting = sleep(60_000, controller.signal).catch((e: unknown) => e);
    controller.abort(reason);
    expect(await waiting).toBe(reason);
  });
});

describe('retries of listOngoingMeetings', () => {
  it.each([...RETRYABLE_STATUSES])('retries %i and then succeeds', async (status) => {
    const fake = scripted(status, 'page');
    const client = createMeetingClient({ token: 't', fetch: fake.fetch, retryBaseDelayMs: 1 });
    await expect(client.listOngoingMeetings()).resolves.toEqual(page());
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a reset connection', async () => {
    const fake = scripted('reset', 'page');
    await createMeetingClient({ token: 't', fetch: fake.fetch, retryBaseDelayMs: 1 }).listOngoingMeetings();
    expect(fake.requests).toHaveLength(2);
  });

  it.each([400, 401, 403, 404])('never retries %i', async (status) => {
    const fake = scripted(status, 'page');
    const error = await errorOf(
      createMeetingClient({ token: 't', fetch: fake.fetch, retryBaseDelayMs: 1 }).listOngoingMeetings(),
    );
    expect(error).toMatchObject({ kind: 'http', status, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up after `retries` further attempts and says how many were made', async () => {
    const fake = scripted(503);
    const error = await errorOf(
      createMeetingClient({ token: 't', fetch: fake.fetch, retries: 3, retryBaseDelayMs: 1 }).listOngoingMeetings(),
    );
    expect(error).toBeInstanceOf(MeetingHttpError);
    expect(error).toMatchObject({ status: 503, attempts: 4 });
    expect((error as Error).message).toContain('after 4 attempts');
    expect(fake.requests).toHaveLength(4);
  });

  it('waits what Retry-After asks, up to retryMaxDelayMs', async () => {
    vi.useFakeTimers();
    const fake = fakeFetch(() =>
      fake.requests.length === 1 ? huaweiError(503, { 'Retry-After': '2' }) : jsonResponse(page()),
    );
    const delays: number[] = [];
    const client = createMeetingClient({
      token: 't',
      fetch: fake.fetch,
      onRetry: ({ delayMs }) => void delays.push(delayMs),
    });
    const done = client.listOngoingMeetings();
    await vi.advanceTimersByTimeAsync(1999);
    expect(fake.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(fake.requests).toHaveLength(2);
    expect(delays).toEqual([2000]);

    const capped = fakeFetch(() =>
      capped.requests.length === 1 ? huaweiError(429, { 'Retry-After': '3600' }) : jsonResponse(page()),
    );
    const cappedDelays: number[] = [];
    const cappedClient = createMeetingClient({
      token: 't',
      fetch: capped.fetch,
      retryMaxDelayMs: 5000,
      onRetry: ({ delayMs }) => void cappedDelays.push(delayMs),
    });
    const cappedDone = cappedClient.listOngoingMeetings();
    await vi.advanceTimersByTimeAsync(5000);
    await cappedDone;
    expect(cappedDelays).toEqual([5000]);
  });

  it('holds on the monotonic clock: a wall clock stepped back an hour during a 1 s hold changes nothing', async () => {
    vi.useFakeTimers(); // fakes Date and performance alike; setSystemTime then moves only the wall clock
    const fake = fakeFetch(() =>
      fake.requests.length === 1 ? huaweiError(429, { 'Retry-After': '1' }) : jsonResponse(page()),
    );
    const client = createMeetingClient({ token: 't', fetch: fake.fetch });
    const settled: string[] = [];
    const first = client.listOngoingMeetings().then(() => void settled.push('first'));
    await vi.advanceTimersByTimeAsync(10); // the 429 is in: every call of the client is held for 1 s
    expect(fake.requests).toHaveLength(1);
    vi.setSystemTime(Date.now() - 3_600_000);
    const second = client.listOngoingMeetings().then(() => void settled.push('second'));
    await vi.advanceTimersByTimeAsync(980);
    expect(fake.requests).toHaveLength(1); // still held: the hold itself is kept
    await vi.advanceTimersByTimeAsync(30);
    expect(settled.sort()).toEqual(['first', 'second']); // not held for the hour the wall clock went back
    expect(fake.requests).toHaveLength(3);
    await Promise.all([first, second]);
  });

  it('lets onRetry observe each retry and veto one', async () => {
    const fake = scripted(502, 503, 'page');
    const seen: [number, number][] = [];
    const client = createMeetingClient({
      token: 't',
      fetch: fake.fetch,
      retryBaseDelayMs: 1,
      onRetry: ({ attempt, error }) => {
        seen.push([attempt, (error as MeetingHttpError).status]);
        return attempt < 2;
      },
    });
    const error = await errorOf(client.listOngoingMeetings());
    expect(seen).toEqual([
      [1, 502],
      [2, 503],
    ]);
    expect(error).toMatchObject({ status: 503, attempts: 2 });
  });

  it("ends the call at the caller's abort while an onRetry promise never settles", async () => {
    const fake = scripted(503, 'page');
    const controller = new AbortController();
    const reason = new Error('cancelled by caller');
    let asked!: () => void;
    const hookCalled = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const client = createMeetingClient({
      token: 't',
      fetch: fake.fetch,
      retryBaseDelayMs: 1,
      onRetry: () => {
        asked();
        return new Promise<boolean>(() => undefined); // never settles
      },
    });
    let outcome: unknown = 'pending';
    const call = client.listOngoingMeetings({}, { signal: controller.signal }).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    void call.then((value) => {
      outcome = value;
    });
    await hookCalled;
    controller.abort(reason);
    await new Promise((resolve) => setImmediate(resolve)); // event order, not time: one turn after the abort
    expect(outcome).toBe(reason);
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('hook bug');
      },
    ],
    ['rejects', async () => Promise.reject(new Error('hook bug'))],
  ])('fails the call with kind input, naming onRetry, when onRetry %s', async (_, onRetry) => {
    const fake = scripted(503, 'page');
    const client = createMeetingClient({ token: 'tok-5e1d9a', fetch: fake.fetch, retryBaseDelayMs: 1, onRetry });
    const error = await errorOf(client.listOngoingMeetings());
    expect(error).toBeInstanceOf(MeetingClientError);
    expect(error).toMatchObject({ kind: 'input', parameter: 'onRetry', operation: 'listOngoingMeetings', attempts: 1 });
    expect((error as Error).message).toBe('listOngoingMeetings: onRetry failed: hook bug');
    expect(((error as Error).cause as Error).message).toBe('hook bug');
    expect(fake.requests).toHaveLength(1);
  });

  it("rejects with the caller's reason during a backoff wait, without another request", async () => {
    const fake = scripted(503);
    const controller = new AbortController();
    const reason = new Error('cancelled by caller');
    const client = createMeetingClient({
      token: 't',
      fetch: fake.fetch,
      retryBaseDelayMs: 60_000,
      onRetry: () => void setTimeout(() => controller.abort(reason), 1),
    });
    const started = Date.now();
    expect(await errorOf(client.listOngoingMeetings({}, { signal: controller.signal }))).toBe(reason);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a timeout unless retryOnTimeout is set, and makes a fresh deadline per attempt', async () => {
    const hanging = fakeFetch(hangingAnswer);
    const error = await errorOf(
      createMeetingClient({ token: 't', fetch: hanging.fetch, timeoutMs: 20 }).listOngoingMeetings(),
    );
    expect(error).toMatchObject({ kind: 'timeout', attempts: 1 });
    expect(hanging.requests).toHaveLength(1);

    const again = fakeFetch(hangingAnswer);
    const retried = await errorOf(
      createMeetingClient({
        token: 't',
        fetch: again.fetch,
        timeoutMs: 20,
        retryOnTimeout: true,
        retries: 2,
        retryBaseDelayMs: 1,
      }).listOngoingMeetings(),
    );
    expect(retried).toMatchObject({ kind: 'timeout', attempts: 3 });
    expect(again.requests.map((r) => r.signal.aborted)).toEqual([true, true, true]);
  });
});
