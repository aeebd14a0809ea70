// A TypeScript consumer of the published types, type-checked in the package test under `tsc --init`'s defaults, the
// project's strict settings and @tsconfig/strictest, each with moduleResolution nodenext and bundler.
import {
  accountAuth,
  appIdAuth,
  createMeetingClient,
  MeetingClientError,
  MeetingHttpError,
  type ConferenceInfo,
  type MeetingClientOptions,
  type OngoingMeetingsPage,
  type OngoingMeetingsQuery,
  type PaginationOptions,
  type paths,
  type WatchOptions,
} from 'huawei-meeting-online-client';
import type { MockServerOptions } from 'huawei-meeting-online-client/mock';

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

/** What a program reads from process.env (typed here: `tsc --init` leaves out Node.js's types). */
interface Environment {
  MEETING_ACCOUNT?: string | undefined;
  MEETING_APP_ID?: string | undefined;
  MEETING_APP_KEY?: string | undefined;
  MEETING_BASE_URL?: string | undefined;
  MEETING_CORP_ID?: string | undefined;
  MEETING_PASSWORD?: string | undefined;
  MEETING_SEARCH_KEY?: string | undefined;
  MEETING_TOKEN?: string | undefined;
  MEETING_USER_ID?: string | undefined;
  MOCK_HOST?: string | undefined;
}

/**
 * Settings read from the environment are `string | undefined`, and go straight into the options: every optional
 * option takes an explicit undefined (exactOptionalPropertyTypes, on in `tsc --init`'s defaults) and uses its default.
 */
export function fromEnvironment(env: Environment): MeetingClientOptions {
  const maybe = <T>(value: T | undefined): T | undefined => value;
  const n = maybe<number>(undefined);
  const options: MeetingClientOptions = {
    token: env.MEETING_TOKEN,
    baseUrl: env.MEETING_BASE_URL,
    fetch: undefined,
    timeoutMs: n,
    maxResponseBytes: n,
    validateResponses: undefined,
    retries: n,
    retryBaseDelayMs: n,
    retryMaxDelayMs: n,
    retryOnTimeout: undefined,
    onRetry: undefined,
    onAttempt: undefined,
  };
  const walk: PaginationOptions = {
    pageSize: n,
    concurrency: n,
    maxItems: n,
    maxPages: n,
    overlap: n,
    signal: undefined,
  };
  const watch: WatchOptions = {
    intervalMs: n,
    signal: undefined,
    pageSize: n,
    concurrency: n,
    overlap: n,
    keepPrevious: undefined,
    ignoreFields: undefined,
    maxBackoffMs: n,
  };
  const signIn = {
    baseUrl: env.MEETING_BASE_URL,
    fetch: undefined,
    refreshMarginMs: n,
    timeoutMs: n,
    now: undefined,
  };
  const byApp = appIdAuth({
    ...signIn,
    appId: env.MEETING_APP_ID ?? '',
    appKey: env.MEETING_APP_KEY ?? '',
    userId: env.MEETING_USER_ID,
    corpId: env.MEETING_CORP_ID,
    userName: undefined,
    userEmail: undefined,
    userPhone: undefined,
    deptCode: undefined,
    clientType: n,
    signatureTtlSeconds: n,
    maxResponseBytes: n,
  });
  const byAccount = accountAuth({
    ...signIn,
    account: env.MEETING_ACCOUNT ?? '',
    password: env.MEETING_PASSWORD ?? '',
    clientType: n,
  });
  const mock: MockServerOptions = {
    port: n,
    host: env.MOCK_HOST,
    startupTimeoutMs: n,
    signal: undefined,
    stateful: {
      meetings: n,
      users: n,
      seed: n,
      now: n,
      latencyMs: undefined,
      failureRate: n,
      rateLimit: { requests: 5, windowMs: n },
      apps: undefined,
      tokenValidSeconds: n,
      churn: { startsPerMinute: n, endsPerMinute: n, changesPerMinute: n, clock: undefined },
    },
  };
  const queryFromEnvironment: OngoingMeetingsQuery = {
    offset: n,
    limit: n,
    queryAll: undefined,
    searchKey: env.MEETING_SEARCH_KEY,
    userUUID: undefined,
  };
  void [walk, watch, byApp, byAccount, mock, queryFromEnvironment];
  return options;
}
