// Signs in with an App ID and lists meetings; the token is renewed by itself before it expires.
//   npm run mock -- --stateful   (prints the app credentials), then
//   MEETING_BASE_URL=http://127.0.0.1:4010 APP_ID=mock-app-id APP_KEY=mock-app-key npx tsx examples/app-id-sign-in.ts
import { pathToFileURL } from 'node:url';
import { appIdAuth, createMeetingClient } from 'huawei-meeting-online-client';

export async function listAsAppUser(baseUrl: string, appId: string, appKey: string, userId?: string): Promise<number> {
  const token = appIdAuth({ appId, appKey, baseUrl, ...(userId !== undefined ? { userId } : {}) });
  const client = createMeetingClient({ baseUrl, token });
  const page = await client.listOngoingMeetings({ queryAll: userId === undefined, limit: 10 });
  return page.count;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = await listAsAppUser(
    process.env.MEETING_BASE_URL ?? 'https://api.meeting.huaweicloud.com',
    process.env.APP_ID ?? '',
    process.env.APP_KEY ?? '',
    process.env.APP_USER_ID,
  );
  console.log(`${count} ongoing meetings`);
}
