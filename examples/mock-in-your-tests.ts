// How another repository tests its code against this API without Huawei: start the stateful mock once,
// point the client at it, stop it at the end. (Needs @stoplight/prism-cli as a dev dependency.)
import { createMeetingClient } from 'huawei-meeting-online-client';
import { startMockServer } from 'huawei-meeting-online-client/mock';

export async function countMyMeetings(): Promise<{ asAdmin: number; asUser: number }> {
  const mock = await startMockServer({ stateful: { meetings: 50, seed: 7 } });
  try {
    const admin = createMeetingClient({ baseUrl: mock.url, token: mock.tokens.admin });
    const user = createMeetingClient({ baseUrl: mock.url, token: mock.tokens.user });
    const [all, mine] = await Promise.all([admin.listOngoingMeetings({ queryAll: true }), user.listOngoingMeetings()]);
    return { asAdmin: all.count, asUser: mine.count };
  } finally {
    await mock.close();
  }
}
