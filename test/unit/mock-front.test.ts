// The Prism engine's front forwards to Prism over kept-alive connections. When Prism closes one just as the front
// reuses it, the request never reached Prism: the front sends it again on a new connection instead of answering 502.
// A stand-in for Prism plays that race: it resets the second request on a connection, once.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { startFront } from '../../src/mock/front.js';
import { MOCK_ADMIN_TOKEN } from '../../src/mock/index.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
const page = JSON.stringify({ offset: 0, limit: 1, count: 0, data: [] });

describe("the Prism engine's front", () => {
  let requestsSeen = 0;
  let reset = false;
  const prism = createServer((req, res) => {
    requestsSeen++;
    const socket = req.socket as typeof req.socket & { served?: number };
    socket.served = (socket.served ?? 0) + 1;
    if (socket.served === 2 && !reset) {
      reset = true;
      req.socket.destroy(); // closed as the front reuses it: nothing answered
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(page) });
    res.end(page);
  });
  let front: Awaited<ReturnType<typeof startFront>>;
  beforeAll(async () => {
    await new Promise<void>((resolve) => prism.listen(0, '127.0.0.1', resolve));
    front = await startFront('127.0.0.1', 0);
    front.forwardTo(`http://127.0.0.1:${(prism.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await front?.close();
    prism.closeAllConnections();
    await new Promise((resolve) => prism.close(resolve));
  });

  it('sends a request again on a new connection when Prism resets a reused one, instead of answering 502', async () => {
    const list = () => fetch(`${front.url}${listPath}?limit=1`, { headers: { 'X-Access-Token': MOCK_ADMIN_TOKEN } });
    const first = await list();
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const second = await list();
    expect(reset).toBe(true);
    expect(second.status, await second.clone().text()).toBe(200);
    expect(await second.json()).toEqual(JSON.parse(page));
    expect(requestsSeen).toBe(3);
  });
});
