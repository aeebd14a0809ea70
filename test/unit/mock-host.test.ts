// A mock bound to every address (0.0.0.0 or ::, as in a container) reports a URL a client on this machine can use:
// the loopback address of that family, which the client accepts over plain http. These tests bind to every address
// on purpose (that is the case under test), on port 0, and close the mock in every case.
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createMeetingClient } from '../../src/index.js';
import { MOCK_ADMIN_TOKEN, startMockServer } from '../../src/mock/index.js';
import { reachableHost } from '../../src/mock/node-http.js';

const hasIPv6Loopback = Object.values(networkInterfaces())
  .flat()
  .some((address) => address?.internal && address.family === 'IPv6');

describe('a mock bound to every address', () => {
  // [host asked for, address the socket is bound to (what server.address() says), host in the url]
  it.each([
    ['0.0.0.0', '0.0.0.0', '127.0.0.1'],
    ['0', '0.0.0.0', '127.0.0.1'],
    ['::', '::', '[::1]'],
    ['0:0:0:0:0:0:0:0', '::', '[::1]'],
    ['127.0.0.1', '127.0.0.1', '127.0.0.1'],
    ['127.0.0.2', '127.0.0.2', '127.0.0.2'],
    ['::1', '::1', '[::1]'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:0.0.0.0', '::ffff:0.0.0.0', '127.0.0.1'],
    ['localhost', '127.0.0.1', 'localhost'],
  ])('asked for %s, bound to %s, names %s in its url', (host, bound, shown) => {
    expect(reachableHost(host, bound)).toBe(shown);
  });

  const hostsAndUrls = [
    ['0.0.0.0', 'http://127.0.0.1:'],
    // '0' is how some tools write "every address": Node binds it to 0.0.0.0.
    ['0', 'http://127.0.0.1:'],
    ...(hasIPv6Loopback
      ? [
          ['::', 'http://[::1]:'],
          ['::ffff:127.0.0.1', 'http://127.0.0.1:'],
          ['::ffff:0.0.0.0', 'http://127.0.0.1:'],
        ]
      : []),
  ];
  it.each(hostsAndUrls)(
    'on %s reports %sPORT, and createMeetingClient({ baseUrl: mock.url }) lists its meetings',
    async (host, url) => {
      const mock = await startMockServer({ engine: 'in-process', host, stateful: { meetings: 3 } });
      try {
        expect(mock.url).toBe(`${url}${mock.port}`);
        const client = createMeetingClient({ baseUrl: mock.url, token: MOCK_ADMIN_TOKEN, retries: 0 });
        expect((await client.listOngoingMeetings({ queryAll: true })).count).toBe(3);
      } finally {
        await mock.close();
      }
    },
  );
});

describe('the in-process engine starting', () => {
  it('is stopped by a signal that aborts while it makes the enterprise, and leaves nothing listening', async () => {
    const signal = AbortSignal.timeout(1); // due while the (synchronous) enterprise is made
    const started = startMockServer({ engine: 'in-process', stateful: { meetings: 3000 }, signal });
    await expect(started).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
