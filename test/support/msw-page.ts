// The page of test/unit/mock-msw-browser.test.ts: the MSW handlers under setupWorker in Chromium, and this client,
// made without baseUrl, signing in and listing through them. The outcome goes to window.__result / __error.
import { setupWorker } from 'msw/browser';
import { accountAuth, createMeetingClient } from '../../src/index.js';
import { createMswHandlers } from '../../src/mock/msw.js';

type Outcome = { __result?: unknown; __error?: unknown };
const outcome = window as unknown as Outcome;
try {
  const mock = createMswHandlers({ stateful: { meetings: 25 } });
  await setupWorker(...mock.handlers).start({
    serviceWorker: { url: '/mockServiceWorker.js' },
    quiet: true,
    onUnhandledRequest: 'bypass',
  });
  const client = createMeetingClient({ token: accountAuth({ account: 'user00', password: 'mock-password-0' }) });
  const page = await client.listOngoingMeetings({ queryAll: true, limit: 5 });
  const unknown = await fetch('https://api.meeting.huaweicloud.com/v1/nowhere');
  outcome.__result = {
    count: page.count,
    size: page.data.length,
    unknown: { status: unknown.status, ...((await unknown.json()) as object) },
    requestId: unknown.headers.get('x-request-id'),
  };
} catch (error) {
  outcome.__error = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
}
