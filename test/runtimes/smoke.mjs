// What every runtime must do with the published package (Node.js 20/22/24, Bun, Deno, a browser page): one page,
// a concurrent walk, an HTTP error with its kind, an input error, App ID sign-in through Web Crypto. Plain
// JavaScript that imports the package by its name, so that each runtime resolves the build as a consumer would.
import { appIdAuth, createMeetingClient } from 'huawei-meeting-online-client';

/** @param {{ url: string, adminToken: string, app: { appId: string, appKey: string } }} config */
export async function smoke(config) {
  const { url, adminToken, app } = config;
  const client = createMeetingClient({ baseUrl: url, token: adminToken });
  const page = await client.listOngoingMeetings({ queryAll: true, limit: 5 });

  const seen = new Set();
  for await (const meeting of client.ongoingMeetings({ queryAll: true }, { pageSize: 50, concurrency: 4 }))
    seen.add(meeting.confUUID);

  const http = await createMeetingClient({ baseUrl: url, token: 'not-a-mock-token', retries: 0 })
    .listOngoingMeetings()
    .then(
      () => undefined,
      (error) => ({ kind: error.kind, status: error.status, errorCode: error.errorCode }),
    );
  const input = await client.listOngoingMeetings({ limit: 0 }).then(
    () => undefined,
    (error) => ({ kind: error.kind, parameter: error.parameter }),
  );

  const signedIn = createMeetingClient({ baseUrl: url, token: appIdAuth({ ...app, baseUrl: url }) });
  const viaAppId = await signedIn.listOngoingMeetings({ limit: 1 });

  return {
    page: { count: page.count, length: page.data.length },
    walk: seen.size,
    http,
    input,
    appId: { count: viaAppId.count },
  };
}
