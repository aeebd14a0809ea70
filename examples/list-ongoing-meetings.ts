// Lists the ongoing meetings of the enterprise, one line each.
// Run against the mock: `npm run mock` in one terminal, then in another
//   MEETING_BASE_URL=http://127.0.0.1:4010 MEETING_TOKEN=any npx tsx examples/list-ongoing-meetings.ts
// (the contract suite runs it against Prism on every `npm test`).
import { pathToFileURL } from 'node:url';
import { createMeetingClient, MeetingClientError } from 'huawei-meeting-online-client';

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
  const lines = await listOngoingMeetings(
    process.env.MEETING_BASE_URL ?? 'https://api.meeting.huaweicloud.com',
    process.env.MEETING_TOKEN ?? '',
  );
  console.log(lines.join('\n'));
}
