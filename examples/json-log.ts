// Logs every attempt the client makes as one JSON line (operation, status, X-Request-Id, milliseconds, retry
// decision), through the `onAttempt` option. A record never holds a token, password, App key or signature, so the
// lines are safe to ship to any log store.
//   npx tsx examples/json-log.ts   (no environment: against the embedded stateful mock), or
//   MEETING_BASE_URL=https://api.meeting.huaweicloud.com MEETING_TOKEN=… npx tsx examples/json-log.ts
import { pathToFileURL } from 'node:url';
import { type AttemptRecord, createMeetingClient, MeetingClientError, metadataOf } from 'huawei-meeting-online-client';
import { runExample } from './target.js';

/** An `onAttempt` hook writing each record as a JSON line, with a time and a level. */
export function jsonLines(write: (line: string) => void): (record: AttemptRecord) => void {
  return (record) =>
    write(
      JSON.stringify({
        time: new Date().toISOString(),
        level: record.errorKind === undefined ? 'info' : 'warn',
        msg: `${record.operation} attempt ${record.attempt}`,
        ...record,
      }),
    );
}

/** Walks every ongoing meeting, logging each attempt; returns how many meetings and which request served each page. */
export async function walkWithLog(
  baseUrl: string,
  token: string,
  write: (line: string) => void,
): Promise<{ meetings: number; requestIds: (string | undefined)[] }> {
  const client = createMeetingClient({ baseUrl, token, onAttempt: jsonLines(write) });
  let meetings = 0;
  const requestIds: (string | undefined)[] = [];
  try {
    for await (const page of client.ongoingMeetingPages({ queryAll: true }, { pageSize: 20 })) {
      meetings += page.data.length;
      requestIds.push(metadataOf(page)?.requestId); // the request id that served the page, for support tickets
    }
  } catch (error) {
    // Errors say how long the call waited between its attempts, besides how many it made.
    if (error instanceof MeetingClientError)
      write(JSON.stringify({ level: 'error', kind: error.kind, attempts: error.attempts, waitedMs: error.waitedMs }));
    throw error;
  }
  return { meetings, requestIds };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The log lines are this program's output: one JSON object a line on stdout, ready for any log shipper.
  await runExample(['MEETING_TOKEN'], async ({ baseUrl, values }) => {
    const result = await walkWithLog(baseUrl, values.MEETING_TOKEN, (line) => console.log(line));
    console.log(JSON.stringify({ level: 'info', msg: `${result.meetings} ongoing meetings` }));
  });
}
