import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMeetingClient, type ConferenceInfo, type MeetingClientOptions } from '../../src/index.js';
import { CLIENT_NAME, CLIENT_VERSION } from '../../src/version.js';
import { sendJson, startScriptedServer, type ScriptedServer } from '../support/scripted-server.js';

const TOKEN = 'hostile-test-token-5d8e1f';
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const meeting = (n: number): ConferenceInfo => ({
  confUUID: `uuid-${n}`,
  conferenceID: String(900000000 + n),
  subject: `m${n}`,
});
const pageFrom = (list: ConferenceInfo[], url: URL) => {
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  return { offset, limit, count: list.length, data: list.slice(offset, offset + limit) };
};

let server: ScriptedServer;
let elsewhere: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
  elsewhere = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
});
beforeEach(() => {
  server.requests.length = 0;
  elsewhere.requests.length = 0;
});

const client = (options: MeetingClientOptions = {}) =>
  createMeetingClient({ baseUrl: server.url, token: TOKEN, timeoutMs: 5000, retryBaseDelayMs: 1, ...options });
/** For the cases that must time out: short, since the server below never answers in time. */
const impatient = (options: MeetingClientOptions = {}) => client({ timeoutMs: 300, ...options });

function expectNoToken(error: unknown) {
  for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })])
    expect(text).not.toContain(TOKEN);
}

describe('against a hostile server', () => {
  it('times out on slow headers', async () => {
    server.handle = (_req, res) =>
      void setTimeout(() => sendJson(res, 200, { data: [], offset: 0, limit: 20, count: 0 }), 10_000).unref();
    const error = await errorOf(impatient().listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'timeout', timeoutMs: 300, attempts: 1 });
    expectNoToken(error);
  });

  it('times out on a body that stalls half-way', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 1000 });
      res.write('{"data": [');
    };
    expect(await errorOf(impatient().listOngoingMeetings())).toMatchObject({ kind: 'timeout' });
  });

  it('times out on a server that never answers, and retries it only when asked to', async () => {
    server.handle = () => undefined;
    expect(await errorOf(impatient().listOngoingMeetings())).toMatchObject({ kind: 'timeout', attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(await errorOf(impatient({ retryOnTimeout: true, retries: 1 }).listOngoingMeetings())).toMatchObject({
      kind: 'timeout',
      attempts: 2,
    });
  });

  it('reports a reset connection as a network error after its retries', async () => {
    server.handle = (req) => void req.socket.destroy();
    const error = await errorOf(client({ retries: 2 }).listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'network', attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expectNoToken(error);
  });

  it('reports a connection cut in the middle of the body as a network error', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 1000 });
      res.write('{"data": [', () => res.destroy());
    };
    expect(await errorOf(client({ retries: 0 }).listOngoingMeetings())).toMatchObject({ kind: 'network' });
  });

  it('honours 503 with Retry-After and then succeeds', async () => {
    server.handle = (_req, res, url) =>
      server.requests.length === 1
        ? sendJson(res, 503, { error_code: 'MMC.503', error_msg: 'BUSY' }, { 'Retry-After': '1' })
        : sendJson(res, 200, pageFrom([meeting(1)], url));
    const delays: number[] = [];
    const page = await client({ onRetry: ({ delayMs }) => void delays.push(delayMs) }).listOngoingMeetings();
    expect(page.data).toHaveLength(1);
    expect(delays).toEqual([1000]);
  });

  it('turns an HTML 502 page into an http error without Huawei fields', async () => {
    server.handle = (_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    };
    const error = await errorOf(client({ retries: 1 }).listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'http', status: 502, errorCode: undefined, errorMsg: undefined, attempts: 2 });
  });

  it('turns truncated JSON in a complete 200 into a response error with the first bytes', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"data": [{"conferenceID": "9140');
    };
    const error = await errorOf(client().listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'response', status: 200, bodySnippet: '{"data": [{"conferenceID": "9140' });
  });

  it('never lets the token reach another origin through a redirect', async () => {
    server.handle = (_req, res) => {
      res.writeHead(302, { Location: `${elsewhere.url}/v1/mmc/management/conferences/online` });
      res.end();
    };
    elsewhere.handle = (_req, res) => sendJson(res, 200, { data: [], offset: 0, limit: 20, count: 0 });
    const error = await errorOf(client().listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'response', status: 302 });
    expect((error as Error).message).toContain('redirected to another origin');
    expect(elsewhere.requests.map((r) => r.headers['x-access-token'])).toEqual([]);
    const raw = await errorOf(client().raw.GET('/v1/mmc/management/conferences/online'));
    expect(raw).toBeInstanceOf(Error);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('follows a same-origin redirect with the token', async () => {
    server.handle = (_req, res, url) => {
      if (url.pathname === '/moved') return sendJson(res, 200, { data: [], offset: 0, limit: 20, count: 0 });
      res.writeHead(307, { Location: '/moved' });
      res.end();
    };
    await client().listOngoingMeetings();
    expect(server.requests.map((r) => [r.url.pathname, r.headers['x-access-token']])).toEqual([
      ['/v1/mmc/management/conferences/online', TOKEN],
      ['/moved', TOKEN],
    ]);
  });

  it('names itself in User-Agent', async () => {
    server.handle = (_req, res) => sendJson(res, 200, { data: [], offset: 0, limit: 20, count: 0 });
    await client().listOngoingMeetings();
    await client().raw.GET('/v1/mmc/management/conferences/online');
    for (const request of server.requests)
      expect(request.headers['user-agent']).toMatch(new RegExp(`^${CLIENT_NAME}/${CLIENT_VERSION} node/`));
  });

  it('ends a walk with a lying count in a response error', async () => {
    server.handle = (_req, res, url) => sendJson(res, 200, { ...pageFrom([meeting(1), meeting(2)], url), count: 50 });
    const walk = async () => {
      for await (const _ of client().ongoingMeetings({}, { pageSize: 10 })) void _;
    };
    await expect(walk()).rejects.toMatchObject({
      kind: 'response',
      message: expect.stringContaining('the count is wrong'),
    });
  });

  it('ends a walk with a stalled offset in a response error', async () => {
    const list = Array.from({ length: 100 }, (_, i) => meeting(i));
    server.handle = (_req, res) =>
      sendJson(res, 200, { offset: 0, limit: 10, count: list.length, data: list.slice(0, 10) });
    const walk = async () => {
      for await (const _ of client().ongoingMeetings({}, { pageSize: 10 })) void _;
    };
    await expect(walk()).rejects.toMatchObject({
      kind: 'response',
      message: expect.stringContaining('does not advance the offset'),
    });
    expect(server.requests.length).toBeLessThanOrEqual(4);
  });

  it('yields each meeting once while meetings start and end between pages', async () => {
    const list = Array.from({ length: 60 }, (_, i) => meeting(i));
    let next = 1000;
    server.handle = (_req, res, url) => {
      // Before each page: the earliest meeting ends and a new one starts (at the end, by start time).
      list.shift();
      list.push(meeting(next++));
      sendJson(res, 200, pageFrom(list, url));
    };
    const keys: string[] = [];
    for await (const m of client().ongoingMeetings({}, { pageSize: 10 })) keys.push(m.confUUID!);
    expect(new Set(keys).size).toBe(keys.length);
    for (let i = 1; i < 60; i++) if (i > server.requests.length) expect(keys).toContain(`uuid-${i}`);
  });
});
