// Signs in with an App ID and lists meetings; the token is renewed by itself before it expires.
//   npx tsx examples/app-id-sign-in.ts   (no environment: against the embedded mock), or
//   MEETING_BASE_URL=… MEETING_APP_ID=… MEETING_APP_KEY=… [MEETING_USER_ID=…] npx tsx examples/app-id-sign-in.ts
import { pathToFileURL } from 'node:url';
import { appIdAuth, createMeetingClient } from 'huawei-meeting-online-client';
import { runExample } from './target.js';

export async function listAsAppUser(baseUrl: string, appId: string, appKey: string, userId?: string): Promise<number> {
  const token = appIdAuth({ appId, appKey, baseUrl, ...(userId !== undefined ? { userId } : {}) });
  const client = createMeetingClient({ baseUrl, token });
  const page = await client.listOngoingMeetings({ queryAll: userId === undefined, limit: 10 });
  return page.count;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runExample(['MEETING_APP_ID', 'MEETING_APP_KEY'], async ({ baseUrl, values }) => {
    const userId = process.env.MEETING_USER_ID || undefined;
    const count = await listAsAppUser(baseUrl, values.MEETING_APP_ID, values.MEETING_APP_KEY, userId);
    console.log(`${count} ongoing meetings${userId ? ` for ${userId}` : ' in the enterprise'}`);
  });
}
