// Lists the ongoing meetings of the enterprise, one line each.
//   npx tsx examples/list-ongoing-meetings.ts   (no environment: against the embedded mock), or
//   MEETING_BASE_URL=https://api.meeting.huaweicloud.com MEETING_TOKEN=… npx tsx examples/list-ongoing-meetings.ts
// (the contract suite runs it against Prism on every `npm test`).
import { pathToFileURL } from 'node:url';
import { createMeetingClient, MeetingClientError } from 'huawei-meeting-online-client';
import { runExample } from './target.js';

export async function listOngoingMeetings(baseUrl: string, token: string): Promise<string[]> {
  const client = createMeetingClient({ baseUrl, token, timeoutMs: 10_000 });
  try {
    const page = await client.listOngoingMeetings({ queryAll: true, limit: 100 });
    return page.data.map(
      (m) => `${m.conferenceID} ${m.subject} (${m.startTime} – ${m.endTime}), by ${m.scheduserName}`,
    );
  } catch (error) {
    if (error instanceof MeetingClientError && error.kind === 'http') {
      throw new Error(`Huawei refused: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runExample(['MEETING_TOKEN'], async ({ baseUrl, values }) => {
    const lines = await listOngoingMeetings(baseUrl, values.MEETING_TOKEN);
    console.log(lines.length > 0 ? lines.join('\n') : 'No meeting is in progress.');
  });
}
