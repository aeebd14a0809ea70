// How another repository tests its code against this API without Huawei: start the stateful mock once,
// point the client at it, stop it at the end. (Needs @stoplight/prism-cli as a dev dependency.)
//   npx tsx examples/mock-in-your-tests.ts   (needs no environment: it is all about the mock)
import { pathToFileURL } from 'node:url';
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.error('Starting a mock of its own (stopped at the end), as a test suite would.');
  try {
    const { asAdmin, asUser } = await countMyMeetings();
    console.log(`The administrator sees ${asAdmin} ongoing meetings, an ordinary user ${asUser}.`);
  } catch (error) {
    console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
