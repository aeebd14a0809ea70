// A strict TypeScript consumer of the published types (checked with skipLibCheck off in the package test).
import {
  createMeetingClient,
  MeetingClientError,
  MeetingHttpError,
  type ConferenceInfo,
  type OngoingMeetingsPage,
  type OngoingMeetingsQuery,
  type paths,
} from 'huawei-meeting-online-client';

const query: OngoingMeetingsQuery = { queryAll: true, searchKey: 'sync', limit: 100 };
const client = createMeetingClient({ token: async () => 'token' });

export async function main(): Promise<string[]> {
  const page: OngoingMeetingsPage = await client.listOngoingMeetings(query);
  const first: ConferenceInfo | undefined = page.data[0];
  const count: number | undefined = first?.terminlCount;
  void count;
  try {
    await client.listOngoingMeetings();
  } catch (e) {
    if (e instanceof MeetingHttpError) {
      const status: number = e.status;
      void status;
    }
    // Narrowing on kind, with no cast.
    if (e instanceof MeetingClientError && e.kind === 'http') {
      const code: string | undefined = e.errorCode;
      void code;
    }
  }
  const raw = await client.raw.GET('/v1/mmc/management/conferences/online', { params: { query: { limit: 5 } } });
  const path: keyof paths = '/v1/mmc/management/conferences/online';
  void path;
  return raw.data?.data.map((m) => m.subject ?? '') ?? [];
}

// @ts-expect-error limit is a number in the spec, not a string
client.listOngoingMeetings({ limit: '5' });
