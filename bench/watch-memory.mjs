// What a watch holds per meeting, in a fresh process so that the heap is its own: the built package watching a
// local server's 100,000 meetings; the heap (and array buffers) after the second poll, less before the watch,
// divided by the meetings in scope. `keep` measures keepPrevious: true (the whole meetings kept).
//   node --expose-gc bench/watch-memory.mjs <url> [keep]   → prints {"meetings", "bytesPerMeeting"}
import { createMeetingClient } from '../dist/index.js';

const [url, mode] = process.argv.slice(2);
const used = () => {
  globalThis.gc();
  globalThis.gc();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
};
const client = createMeetingClient({ baseUrl: url, token: 'bench-token' });
const before = used();
for await (const event of client.watchOngoingMeetings(
  {},
  { intervalMs: 0, concurrency: 4, keepPrevious: mode === 'keep' },
)) {
  // At the end of the second poll the watch holds its state and nothing else: the snapshot is gone.
  if (event.type === 'synced' && event.poll === 2) {
    const held = used() - before;
    console.log(JSON.stringify({ meetings: event.count, bytesPerMeeting: held / event.count }));
    break;
  }
}
