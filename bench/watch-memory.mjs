// What a watch holds per meeting, in a fresh process so that the heap is its own: the built package watching a
// local server's 100,000 meetings; the heap (and array buffers) after the second poll, less before the watch,
// divided by the meetings in scope. `keep` measures keepPrevious: true (the whole meetings kept). `names` is the
// adversary: each meeting carries a top-level field whose name no other meeting has (`x_<conferenceID>`), added to
// the server's pages on the way in, and the list is cut to `[meetings]` (default all of them).
//   node --expose-gc bench/watch-memory.mjs <url> [lean|keep|names] [meetings]
//     → prints {"meetings", "bytesPerMeeting"}
import { createMeetingClient } from '../dist/index.js';

const [url, mode = 'lean', limit] = process.argv.slice(2);
const used = () => {
  globalThis.gc();
  globalThis.gc();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
};

/** The server's pages, each meeting given a field name of its own, the list cut to `total` meetings. */
function inventedNames(total) {
  return async (input, init) => {
    const response = await fetch(input, init);
    const page = await response.json();
    page.data = page.data.slice(0, Math.max(0, total - page.offset));
    for (const meeting of page.data) meeting[`x_${meeting.conferenceID}`] = 1;
    page.count = Math.min(page.count, total);
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(page), { status: response.status, headers });
  };
}

const client = createMeetingClient({
  baseUrl: url,
  token: 'bench-token',
  ...(mode === 'names' ? { fetch: inventedNames(Number(limit ?? Number.POSITIVE_INFINITY)) } : {}),
});
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
