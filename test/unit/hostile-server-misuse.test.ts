// The client against servers that misbehave on purpose: endless and inflating bodies, echoes of the token,
// odd Retry-After values, throttling under concurrency, pages that break the walk, slow and failing sign-ins.
// Each case ends in the right kind, within its deadline, with bounded memory and no secret in the error.
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { appIdAuth, createMeetingClient, type ConferenceInfo, type MeetingClientOptions } from '../../src/index.js';
import { sendJson, useScriptedServer, type ScriptedServer } from '../support/scripted-server.js';

const TOKEN = 'misuse-token-0b7d41e9c2';
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const emptyPage = { data: [], offset: 0, limit: 20, count: 0 };

const scripted = useScriptedServer();
const server = () => scripted.current;

const client = (options: MeetingClientOptions = {}) =>
  createMeetingClient({ baseUrl: server().url, token: TOKEN, timeoutMs: 10_000, retryBaseDelayMs: 1, ...options });

/** Every way a developer might print an error. */
const renderings = (error: unknown) => [
  String(error),
  JSON.stringify(error),
  inspect(error, { depth: 10, showHidden: true }),
  (error as Error)?.stack ?? '',
];

/** Memory that a body held in JavaScript would show up in. */
const heldBytes = () => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

describe('an unbounded body', () => {
  it('stops a 200 that streams forever at maxResponseBytes, as kind response, without retrying', async () => {
    let sent = 0;
    server().handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (res.writable && sent < 4 * 1024 ** 3) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.write('{"data": [');
      pump();
    };
    const before = heldBytes();
    const started = Date.now();
    const error = await errorOf(client({ maxResponseBytes: 4 * 1024 * 1024 }).listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'response', attempts: 1, status: 200 });
    expect((error as Error).message).toMatch(/larger than maxResponseBytes \(4194304 bytes\); raise maxResponseBytes/);
    expect(server().requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sent).toBeLessThan(64 * 1024 ** 2); // the connection was cut, not drained
    expect(heldBytes() - before).toBeLessThan(100 * 1024 ** 2);
  });

  it('stops a small gzip body that inflates to 512 MB at the default cap of 16 MiB', async () => {
    let compressed = 0;
    server().handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      const zeros = Buffer.alloc(1024 * 1024, 0x30);
      const source = Readable.from(
        (function* () {
          yield Buffer.from('{"data": [], "pad": "');
          for (let i = 0; i < 512; i++) yield zeros;
        })(),
      );
      const gzip = createGzip();
      gzip.on('data', (chunk: Buffer) => (compressed += chunk.length));
      source.pipe(gzip).pipe(res);
      res.on('close', () => source.destroy());
    };
    const before = heldBytes();
    const error = await errorOf(client().listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'response', attempts: 1 });
    expect((error as Error).message).toContain(`maxResponseBytes (${16 * 1024 * 1024} bytes)`);
    expect(server().requests).toHaveLength(1);
    expect(compressed).toBeLessThan(2 * 1024 * 1024);
    expect(heldBytes() - before).toBeLessThan(100 * 1024 ** 2);
  });

  it('refuses a body whose Content-Length is over the cap, and reads only the start of a huge error body', async () => {
    server().handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(2 * 1024 ** 3) });
      res.write('{');
    };
    expect(await errorOf(client({ maxResponseBytes: 1024 * 1024 }).listOngoingMeetings())).toMatchObject({
      kind: 'response',
    });

    server().handle = (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (res.writable) if (!res.write(chunk)) return void res.once('drain', pump);
      };
      res.write('{"error_code": "MMC.500", "error_msg": "');
      pump();
    };
    const error = await errorOf(client({ retries: 1 }).listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'http', status: 500, attempts: 2, errorCode: undefined });
  });
});

describe('a server that echoes the token', () => {
  const echo: ScriptedServer['handle'] = (req, res) =>
    sendJson(
      res,
      401,
      { error_code: 'USG.000000004', error_msg: `token ${String(req.headers['x-access-token'])} invalid` },
      { 'X-Request-Id': `rid-${String(req.headers['x-access-token'])}` },
    );

  it('scrubs a token sent with surrounding whitespace (what fetch actually sent)', async () => {
    server().handle = echo;
    const error = await errorOf(client({ token: `${TOKEN}\n` }).listOngoingMeetings());
    expect(server().requests[0]!.headers['x-access-token']).toBe(TOKEN);
    expect(error).toMatchObject({
      kind: 'http',
      status: 401,
      errorMsg: 'token [REDACTED] invalid',
      requestId: 'rid-[REDACTED]',
    });
    for (const text of renderings(error)) expect(text).not.toContain(TOKEN);
    const fromFunction = await errorOf(client({ token: async () => `  ${TOKEN}-fn\r\n` }).listOngoingMeetings());
    for (const text of renderings(fromFunction)) expect(text).not.toContain(`${TOKEN}-fn`);
  });

  it('scrubs a token holding a quote or a backslash where a body echoes it inside JSON text (escaped)', async () => {
    const token = `${TOKEN}"q\\b<>&`;
    // A 200 that is not a page, echoing the token as a JSON string: the error quotes the body's first bytes.
    server().handle = (req, res) => sendJson(res, 200, { offset: 'bad', echo: req.headers['x-access-token'] });
    const error = await errorOf(client({ token }).listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'response' });
    const escaped = JSON.stringify(token).slice(1, -1);
    for (const text of renderings(error)) {
      expect(text).not.toContain(escaped);
      expect(text).not.toContain(TOKEN);
    }
    expect((error as { bodySnippet?: string }).bodySnippet).toContain('[REDACTED]');
  });

  it('scrubs its own token from each of many concurrent errors, whatever the number of tokens in use', async () => {
    // 403: no refresh, so every error carries the token its own request sent.
    server().handle = (req, res) =>
      sendJson(res, 403, {
        error_code: 'MMC.403',
        error_msg: `token ${String(req.headers['x-access-token'])} may not list`,
      });
    let n = 0;
    const c = client({ token: () => `${TOKEN}-${String(++n).padStart(3, '0')}` });
    const errors = await Promise.all(Array.from({ length: 60 }, () => errorOf(c.listOngoingMeetings())));
    expect(server().requests).toHaveLength(60);
    for (const error of errors) {
      expect(error).toMatchObject({ kind: 'http', status: 403, errorMsg: 'token [REDACTED] may not list' });
      for (const text of renderings(error)) expect(text).not.toMatch(/misuse-token-0b7d41e9c2-\d{3}/);
    }
  });

  it('scrubs a short token only where it stands alone, so that the text around it stays readable', async () => {
    server().handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>h is not a page</body></html>');
    };
    const error = await errorOf(client({ token: 'h' }).listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'response' });
    expect((error as { bodySnippet: string }).bodySnippet).toBe('<html><body>[REDACTED] is not a page</body></html>');
  });
});

describe('Retry-After that does not say a wait', () => {
  it.each(['-5', '1.5'])('uses the backoff for Retry-After: %s, not a zero wait', async (value) => {
    server().handle = (_req, res) =>
      sendJson(res, 503, { error_code: 'X', error_msg: 'busy' }, { 'Retry-After': value });
    const delays: number[] = [];
    const error = await errorOf(
      client({
        retries: 1,
        retryBaseDelayMs: 200,
        onRetry: ({ delayMs }) => void delays.push(delayMs),
      }).listOngoingMeetings(),
    );
    expect(error).toMatchObject({ kind: 'http', status: 503, retryAfterMs: undefined });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeLessThan(200); // full jitter under the first step, not Retry-After
  });

  it('waits a Retry-After beyond the timer range (capped), instead of a timer that fires at once', async () => {
    // A wait past 2^31 - 1 ms makes setTimeout fire at once: such a cap is refused, so a wait never exceeds the range.
    expect(() => client({ retryMaxDelayMs: 3e9 })).toThrow(
      /retryMaxDelayMs must be a whole number from 0 to 2147483647/,
    );
    server().handle = (_req, res) =>
      sendJson(res, 429, { error_code: 'APIG.0308', error_msg: 'throttled' }, { 'Retry-After': '99999999' });
    const delays: number[] = [];
    const controller = new AbortController();
    const c = client({
      retries: 1,
      retryMaxDelayMs: 2_147_483_647,
      onRetry: ({ delayMs }) => void delays.push(delayMs),
    });
    const call = errorOf(c.listOngoingMeetings({}, { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server().requests).toHaveLength(1); // still waiting: a 3e9 ms timer would have fired after 1 ms
    controller.abort(new Error('enough'));
    expect(await call).toMatchObject({ message: 'enough' });
    expect(delays).toEqual([2_147_483_647]);
  });
});

describe('throttling under concurrency', () => {
  /**
   * Answers after 20 ms; the `throttled`-th request gets 429 with Retry-After: 1. Timed on the client's side, on one
   * clock: when each request is handed to fetch, and when the client decides to hold (the 429's record is delivered
   * in the same synchronous step as the hold begins). No new request may start within the held second; a loaded
   * machine can only make requests later, never earlier, so the check has no slack to tune.
   */
  function throttlingServer(throttled: number, list: ConferenceInfo[] = []) {
    let arrivals = 0;
    server().handle = (_req, res, url) => {
      if (++arrivals === throttled)
        return sendJson(res, 429, { error_code: 'APIG.0308', error_msg: 'throttled' }, { 'Retry-After': '1' });
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      setTimeout(
        () => sendJson(res, 200, { offset, limit, count: list.length, data: list.slice(offset, offset + limit) }),
        20,
      );
    };
    const sent: number[] = [];
    let heldAt = Number.NaN;
    const options: MeetingClientOptions = {
      fetch: (input, init) => {
        sent.push(performance.now());
        return globalThis.fetch(input, init);
      },
      onAttempt: (record) => {
        if (record.status === 429) heldAt = performance.now();
      },
    };
    return {
      options,
      startedDuringHold: () => {
        expect(heldAt).not.toBeNaN();
        return sent.filter((t) => t > heldAt && t < heldAt + 950);
      },
    };
  }

  it("holds the client's other calls while a 429's Retry-After runs, not each hammering on its own", async () => {
    const throttling = throttlingServer(3);
    const c = client(throttling.options);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 5; i++) await c.listOngoingMeetings();
      }),
    );
    expect(server().requests).toHaveLength(21);
    expect(throttling.startedDuringHold()).toEqual([]);
  });

  it('holds the other pages of a concurrent walk too', async () => {
    const list: ConferenceInfo[] = Array.from({ length: 400 }, (_, i) => ({ confUUID: `u${i}`, subject: `m${i}` }));
    const throttling = throttlingServer(4, list);
    let n = 0;
    for await (const _ of client(throttling.options).ongoingMeetings({}, { pageSize: 20, concurrency: 4 })) n++;
    expect(n).toBe(400);
    expect(throttling.startedDuringHold()).toEqual([]);
  });
});

describe('pages that break the walk', () => {
  const keyless = (n: number): ConferenceInfo => ({ subject: `no id ${n}`, startTime: '2026-11-27 09:00' });
  const pageOf = (list: ConferenceInfo[], url: URL) => {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 20);
    return { offset, limit, count: list.length, data: list.slice(offset, offset + limit) };
  };

  it('yields meetings with neither confUUID nor conferenceID exactly once despite the overlap', async () => {
    const list = Array.from({ length: 100 }, (_, i) => keyless(i));
    server().handle = (_req, res, url) => sendJson(res, 200, pageOf(list, url));
    const seen: string[] = [];
    for await (const m of client().ongoingMeetings({}, { pageSize: 10, overlap: 3 })) seen.push(m.subject!);
    expect(seen).toEqual(list.map((m) => m.subject));
  });

  it('stops a walk of keyless meetings when the server ignores offset', async () => {
    const list = Array.from({ length: 1110 }, (_, i) => keyless(i));
    server().handle = (_req, res) =>
      sendJson(res, 200, { offset: 0, limit: 10, count: list.length, data: list.slice(0, 10) });
    let yielded = 0;
    const walk = async () => {
      for await (const _ of client().ongoingMeetings({}, { pageSize: 10 })) yielded++;
    };
    await expect(walk()).rejects.toMatchObject({
      kind: 'response',
      message: expect.stringContaining('does not advance the offset'),
    });
    expect(yielded).toBe(10);
    expect(server().requests.length).toBeLessThanOrEqual(4);
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['an array', []],
  ])('reports a page holding %s instead of a meeting as kind response', async (_name, item) => {
    server().handle = (_req, res) =>
      sendJson(res, 200, { offset: 0, limit: 20, count: 2, data: [{ confUUID: 'a' }, item] });
    expect(await errorOf(client().listOngoingMeetings())).toMatchObject({
      kind: 'response',
      message: expect.stringContaining('data[1] is'),
    });
    const walk = async () => {
      for await (const _ of client().ongoingMeetings()) void _;
    };
    await expect(walk()).rejects.toMatchObject({ kind: 'response' });
  });
});

describe('App ID sign-in under the same rules', () => {
  const signInAnswer = (validPeriod: number, n: number) => ({
    accessToken: `signed-in-token-${n}`,
    validPeriod,
    expireTime: 0,
  });
  const appAuth = (options: Partial<Parameters<typeof appIdAuth>[0]> = {}) =>
    appIdAuth({ appId: 'app', appKey: 'app-key-9f1e3c', baseUrl: server().url, retryBaseDelayMs: 1, ...options });

  /** A sign-in that answers after 4 s: `answered` tells, by order not by a clock, whether a call waited for it. */
  const slowSignIn = () => {
    const signIn = { answered: false };
    server().handle = (_req, res, url) =>
      url.pathname.endsWith('/appauth')
        ? void setTimeout(() => {
            signIn.answered = true;
            sendJson(res, 200, signInAnswer(3600, 1));
          }, 4000).unref()
        : sendJson(res, 200, emptyPage);
    return signIn;
  };

  it("ends a call aborted during a slow sign-in at once, with the caller's reason", async () => {
    const signIn = slowSignIn();
    const reason = new Error('caller gave up');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 100);
    const error = await errorOf(client({ token: appAuth() }).listOngoingMeetings({}, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(signIn.answered).toBe(false); // it did not wait for the sign-in
  });

  it("bounds a slow sign-in by the client's timeout, as kind timeout", async () => {
    const signIn = slowSignIn();
    const error = await errorOf(client({ token: appAuth(), timeoutMs: 200 }).listOngoingMeetings());
    expect(error).toMatchObject({
      kind: 'timeout',
      operation: 'listOngoingMeetings',
      message: expect.stringContaining('waiting for the token'),
    });
    expect(signIn.answered).toBe(false);
  });

  it('retries a sign-in answered 503, with a fresh nonce', async () => {
    let signIns = 0;
    const nonces: string[] = [];
    server().handle = async (req, res, url) => {
      if (!url.pathname.endsWith('/appauth')) return sendJson(res, 200, emptyPage);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      nonces.push((JSON.parse(Buffer.concat(chunks).toString()) as { nonce: string }).nonce);
      if (++signIns === 1) return sendJson(res, 503, { error_code: 'X', error_msg: 'busy' });
      sendJson(res, 200, signInAnswer(3600, signIns));
    };
    await expect(client({ token: appAuth() }).listOngoingMeetings()).resolves.toEqual(emptyPage);
    expect(signIns).toBe(2);
    expect(new Set(nonces).size).toBe(2);
  });

  it.each([0, -5])('signs in once, not on every call, when validPeriod is %i', async (validPeriod) => {
    let signIns = 0;
    server().handle = (_req, res, url) =>
      url.pathname.endsWith('/appauth')
        ? sendJson(res, 200, signInAnswer(validPeriod, ++signIns))
        : sendJson(res, 200, emptyPage);
    const c = client({ token: appAuth() });
    for (let i = 0; i < 5; i++) await c.listOngoingMeetings();
    expect(signIns).toBe(1);
  });
});
