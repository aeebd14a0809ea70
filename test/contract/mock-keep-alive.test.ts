// A connection a client keeps alive stays usable for longer than clients keep idle connections (undici: 4 s, or the
// server's hint less 2 s; Node's agent: 5 s), so that the client, not the mock, is the one to close it. A mock that
// closes first races every client that reuses the connection at that moment: on a busy machine a test then fails
// with "other side closed" (seen in this suite beside three CPU hogs, Node's default of 5 s).
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { MOCK_ADMIN_TOKEN, type MockServer, startMockServer } from '../../src/mock/index.js';
import { KEEP_ALIVE_MS } from '../../src/mock/node-http.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
const IDLE_MS = 6_000; // past Node's default keepAliveTimeout (5 s)

/** One answer read off `socket`: its head, and a body of the length the head says. */
function nextAnswer(socket: Socket): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? Number.NaN);
      if (!(buffered.length >= end + 4 + length)) return;
      done();
      resolve({ status: Number(head.split(' ')[1]), head: head.toLowerCase() });
    };
    const onClose = () => {
      done();
      reject(new Error('the mock closed the connection'));
    };
    const done = () => {
      socket.off('data', onData).off('close', onClose).off('error', reject);
    };
    socket.on('data', onData).once('close', onClose).once('error', reject);
  });
}

describe('a kept-alive connection to the mock', () => {
  let twin: MockServer;
  beforeAll(async () => {
    twin = await startMockServer({ engine: 'in-process' });
  });
  afterAll(() => twin?.close());

  it.concurrent.each([
    ['prism', () => inject('prismUrl')],
    ['in-process', () => twin.url],
  ])(
    'on the %s engine, answers again on the same connection after 6 s idle, with no shorter timeout advertised',
    async (_engine, url) => {
      const { hostname, port } = new URL(url());
      const socket = connect(Number(port), hostname);
      const request = `GET ${listPath}?limit=1 HTTP/1.1\r\nHost: x\r\nX-Access-Token: ${MOCK_ADMIN_TOKEN}\r\n\r\n`;
      try {
        socket.write(request);
        const first = await nextAnswer(socket);
        expect(first.status).toBe(200);
        // A `Keep-Alive: timeout=N` hint makes undici keep the connection N - 2 s: N must be well past the idle here.
        const hinted = Number(/\r\nkeep-alive: *timeout=(\d+)/.exec(first.head)?.[1] ?? Number.POSITIVE_INFINITY);
        expect(hinted * 1000 - 2000).toBeGreaterThan(IDLE_MS);
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
        socket.write(request);
        expect((await nextAnswer(socket)).status).toBe(200);
      } finally {
        socket.destroy();
      }
    },
    30_000,
  );

  it.each([
    ['prism', () => inject('prismUrl')],
    ['in-process', () => twin.url],
  ])('on the %s engine, advertises its own keep-alive on every kind of answer', async (_engine, url) => {
    const { hostname, port } = new URL(url());
    const socket = connect(Number(port), hostname);
    try {
      for (const [what, headers] of [
        ['a page', `X-Access-Token: ${MOCK_ADMIN_TOKEN}\r\n`],
        ['a 401', ''],
        ['a 429 asked for', `X-Access-Token: ${MOCK_ADMIN_TOKEN}\r\nPrefer: code=429\r\n`],
      ]) {
        socket.write(`GET ${listPath}?limit=1 HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
        const { head } = await nextAnswer(socket);
        expect(head, what).toContain(`\r\nkeep-alive: timeout=${KEEP_ALIVE_MS / 1000}`);
        expect(head.match(/\r\nkeep-alive:/g), what).toHaveLength(1);
      }
    } finally {
      socket.destroy();
    }
  });
});
