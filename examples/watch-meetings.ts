// A bot that tells when meetings start and end: follows the ongoing list and reacts to each event, as a chat
// notifier or a dashboard would. Ends on an error no later poll can heal (a token refused), or when aborted.
//   npx tsx examples/watch-meetings.ts   (no environment: 5 s of an embedded mock whose meetings come and go), or
//   MEETING_BASE_URL=https://api.meeting.huaweicloud.com MEETING_TOKEN=… npx tsx examples/watch-meetings.ts (Ctrl-C)
import { pathToFileURL } from 'node:url';
import { createMeetingClient, type WatchEvent } from 'huawei-meeting-online-client';
import { runExample } from './target.js';

export interface Announcement {
  when: string;
  text: string;
}

/** Announces every start and end (not attendance, which changes all the time) until `signal` aborts. */
export async function announce(
  baseUrl: string,
  token: string,
  signal: AbortSignal,
  say: (announcement: Announcement) => void,
  intervalMs = 30_000,
): Promise<void> {
  const client = createMeetingClient({ baseUrl, token });
  const events: AsyncIterable<WatchEvent> = client.watchOngoingMeetings(
    { queryAll: true },
    { intervalMs, signal, keepPrevious: true, ignoreFields: ['onlineAttendeeAmount'] },
  );
  try {
    for await (const event of events) {
      const when = new Date(event.at).toISOString();
      switch (event.type) {
        case 'snapshot':
          say({ when, text: `${event.meetings.length} meetings in progress` });
          break;
        case 'started':
          say({ when, text: `started: ${event.meeting.subject ?? event.key} (${event.meeting.scheduserName ?? '?'})` });
          break;
        case 'ended':
          say({ when, text: `ended: ${event.meeting?.subject ?? event.key}` });
          break;
        case 'changed':
          say({ when, text: `changed: ${event.meeting.subject ?? event.key} (${event.changedFields.join(', ')})` });
          break;
        case 'error':
          say({
            when,
            text: `the list could not be read (${event.error.kind}); trying again in ${event.retryInMs} ms`,
          });
          break;
        case 'synced':
          break;
      }
    }
  } catch (error) {
    if (signal.aborted) return; // stopped on purpose
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const churn = { startsPerMinute: 120, endsPerMinute: 120, changesPerMinute: 0 };
  await runExample(
    ['MEETING_TOKEN'],
    async ({ baseUrl, values, mock }) => {
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      // The mock's meetings come and go every second or so: 5 s of them show the idea.
      const demo = mock ? setTimeout(() => stop.abort(), 5000) : undefined;
      const say = ({ when, text }: Announcement) => console.log(`${when}  ${text}`);
      const intervalMs = mock ? 1000 : Number(process.env.INTERVAL_MS ?? 30_000);
      await announce(baseUrl, values.MEETING_TOKEN, stop.signal, say, intervalMs);
      clearTimeout(demo);
    },
    { stateful: { meetings: 20, churn } },
  );
}
