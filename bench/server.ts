// The benchmark's HTTP server, run as its own process: keep-alive, pages of realistic meetings (made by the
// stateful mock's generator, so shaped like the spec's examples), optional latency per request.
//   node --import tsx bench/server.ts --total 100000 --latency 20     → prints {"url": …} once listening
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { generateEnterprise } from '../src/mock/enterprise.js';

const { values } = parseArgs({
  options: { total: { type: 'string', default: '500' }, latency: { type: 'string', default: '0' } },
});
const total = Number(values.total);
const latencyMs = Number(values.latency);
const TEMPLATES = 500;
// Each template is serialised once, as Buffers around its two IDs, so a page of 500 costs the server one
// Buffer.concat: the benchmark measures the client, not the server's string building.
const templates = generateEnterprise({ meetings: TEMPLATES, seed: 42, now: Date.UTC(2026, 10, 26, 9) }).meetings.map(
  (m) =>
    JSON.stringify({ ...m, conferenceID: '@ID@', confUUID: '@UUID@' })
      .split(/"@ID@"|"@UUID@"/)
      .map((part) => Buffer.from(part)),
);
const COMMA = Buffer.from(',');
function pageBody(offset: number, limit: number): Buffer {
  const parts: Buffer[] = [Buffer.from('{"data":[')];
  for (let i = offset; i < Math.min(total, offset + limit); i++) {
    const [a, b, c] = templates[i % TEMPLATES]!;
    if (i > offset) parts.push(COMMA);
    parts.push(a!, Buffer.from(`"${900_000_000 + i}"`), b!, Buffer.from(`"${i.toString(16).padStart(32, '0')}"`), c!);
  }
  parts.push(Buffer.from(`],"offset":${offset},"limit":${limit},"count":${total}}`));
  return Buffer.concat(parts);
}
const cache = new Map<string, Buffer>();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bench');
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const key = `${offset}:${limit}`;
  let body = cache.get(key);
  if (!body) {
    body = pageBody(offset, limit);
    if (cache.size < 64) cache.set(key, body);
  }
  const send = () => {
    res.writeHead(200, {
      'Content-Type': 'application/json;charset=UTF-8',
      'Content-Length': body.length,
      'X-Request-Id': 'be9dc6ff2eba30835ca2a5dfe2c4914d',
    });
    res.end(body);
  };
  void req.resume();
  if (latencyMs > 0) setTimeout(send, latencyMs);
  else send();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
