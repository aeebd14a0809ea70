// A request node:http's parser refuses never reaches the mock's handler: on both engines (the Prism engine's front is
// node:http too) it still gets Huawei's `{error_code, error_msg}` and a fresh X-Request-Id, not node's empty 400.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { INVALID_PARAMETER, type MockServer, startMockServer } from '../../src/mock/index.js';

const listPath = specFacts.operations.listOngoingMeetings.path;

/** Sends `raw` bytes and reads the whole answer: the server closes the connection after a refusal. */
function sendRaw(baseUrl: string, raw: Buffer): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body });
    });
  });
}

describe('a request node:http cannot parse, on both engines', () => {
  let twin: MockServer;
  beforeAll(async () => {
    twin = await startMockServer({ engine: 'in-process' });
  });
  afterAll(() => twin?.close());
  const engines: [string, () => string][] = [
    ['prism', () => inject('prismUrl')],
    ['in-process', () => twin.url],
  ];

  it.each([
    ['a raw non-ASCII byte in the query', `GET ${listPath}?limit=\u0665 HTTP/1.1\r\nHost: mock\r\n\r\n`, 400, /URL/],
    [
      'a header over node:http limit',
      `GET ${listPath} HTTP/1.1\r\nHost: mock\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      /not valid HTTP/,
    ],
  ])('%s gets a Huawei-shaped answer with a fresh X-Request-Id', async (_what, raw, status, says) => {
    const ids = new Set<string>();
    for (const [engine, url] of engines)
      for (let i = 0; i < 2; i++) {
        const answer = await sendRaw(url(), Buffer.from(raw, 'utf8'));
        expect(answer.status, engine).toBe(status);
        const body = JSON.parse(answer.body) as { error_code: string; error_msg: string };
        expect(body.error_code, engine).toBe(INVALID_PARAMETER);
        expect(body.error_msg, engine).toMatch(says);
        const id = /x-request-id: ([0-9a-f]{32})\r\n/.exec(answer.headers)?.[1];
        expect(id, engine).toBeDefined();
        ids.add(id!);
      }
    expect(ids.size).toBe(4);
  });
});
