// A consumer's ESM program: the whole enterprise through the published package.
import { createMeetingClient } from 'huawei-meeting-online-client';

const client = createMeetingClient({ baseUrl: process.env.URL, token: process.env.TOKEN });
let n = 0;
for await (const _ of client.ongoingMeetings({ queryAll: true }, { pageSize: 50 })) n++;
console.log(n);
