// Walks every ongoing meeting of the enterprise with parallel pages, a token function, retries and a
// deadline for the whole walk, and sums the participants online.
//   npx tsx examples/walk-every-meeting.ts   (no environment: against the embedded stateful mock), or
//   MEETING_BASE_URL=https://api.meeting.huaweicloud.com MEETING_TOKEN=… npx tsx examples/walk-every-meeting.ts
import { pathToFileURL } from 'node:url';
import { createMeetingClient, MeetingClientError } from 'huawei-meeting-online-client';
import { runExample } from './target.js';

export async function participantsOnline(
  baseUrl: string,
  getToken: () => Promise<string>,
  deadlineMs = 60_000,
): Promise<{ meetings: number; online: number }> {
  const client = createMeetingClient({
    baseUrl,
    token: getToken, // called before every request, and once more after a 401
    retries: 3,
    onRetry: ({ attempt, error, delayMs }) => console.error(`retry ${attempt} in ${delayMs} ms: ${error.message}`),
  });
  let meetings = 0;
  let online = 0;
  try {
    for await (const meeting of client.ongoingMeetings(
      { queryAll: true },
      { concurrency: 4, signal: AbortSignal.timeout(deadlineMs) },
    )) {
      meetings++;
      online += meeting.onlineAttendeeAmount ?? 0;
    }
  } catch (error) {
    if (error instanceof MeetingClientError)
      console.error(`${error.kind} error after ${error.attempts} attempt(s): ${error.message}`);
    throw error;
  }
  return { meetings, online };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runExample(
    ['MEETING_TOKEN'],
    async ({ baseUrl, values }) => {
      const result = await participantsOnline(baseUrl, async () => values.MEETING_TOKEN);
      console.log(`${result.meetings} ongoing meetings, ${result.online} participants online`);
    },
    { stateful: { meetings: 250 } },
  );
}
