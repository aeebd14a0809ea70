// One iterator walk in a fresh process, so that its peak RSS is its own: the built package (dist/), run by plain
// Node.js, as a consumer runs it (tsx alone would add about 35 MB).
//   node bench/walk.mjs --url … --concurrency 4   → prints {"ms", "count", "maxRssMb"}
import { parseArgs } from 'node:util';
import { createMeetingClient } from '../dist/index.js';

const { values } = parseArgs({ options: { url: { type: 'string' }, concurrency: { type: 'string', default: '1' } } });
const client = createMeetingClient({ baseUrl: values.url, token: 'bench-token' });
const started = performance.now();
let count = 0;
for await (const meeting of client.ongoingMeetings({}, { concurrency: Number(values.concurrency) })) {
  if (meeting.conferenceID) count++;
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, count, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
