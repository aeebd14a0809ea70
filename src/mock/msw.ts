/**
 * The mock as MSW handlers, for suites that already run [MSW](https://mswjs.io/) (2.x or 3.x, an optional peer
 * dependency): {@link createMswHandlers} answers as `startMockServer` does (the spec's examples or the stateful
 * enterprise, sign-ins, faults, the timeline, every answer checked against the spec), inside the test runner
 * (`setupServer` from `msw/node`) or the page (`setupWorker` from `msw/browser`), with no server and no port.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createMeetingClient } from 'huawei-meeting-online-client';
 * import { createMswHandlers } from 'huawei-meeting-online-client/msw';
 *
 * const mock = createMswHandlers({ stateful: { meetings: 50 } });
 * const server = setupServer(...mock.handlers);
 * server.listen();
 * try {
 *   const client = createMeetingClient({ token: mock.tokens.admin }); // Huawei's host, answered by the handlers
 *   console.log((await client.listOngoingMeetings({ queryAll: true })).count); // 50
 * } finally {
 *   server.close();
 * }
 * ```
 * @module huawei-meeting-online-client/msw
 */
// The mock as MSW handlers (`huawei-meeting-online-client/msw`): the same behaviour as both engines (behaviour.ts:
// the gate, the spec's checks, the examples or the stateful enterprise, sign-ins, faults, the timeline, answers
// checked against the spec), answered inside the test runner's or the page's own process through MSW's
// interception: `setupServer` under Node.js, `setupWorker` in a browser. `msw` (2.x or 3.x) is an optional peer
// dependency; the client entry does not import this file.
import { http } from 'msw';
import { specFacts } from '../../generated/spec-facts.js';
import { resolveOptions } from '../options.js';
import { MAX_BODY_BYTES } from './answers.js';
import { createBehaviour, credentialsOf } from './behaviour.js';
import { MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN, type MockUser } from './enterprise.js';
import { mswOptionTable, statefulOptionTable } from './options.js';
import type { MockServer } from './index.js';
import type { MockApp, StatefulOptions } from './stateful.js';
import type { MockTimeline } from './timeline.js';

export type { MockApp, MockUser, MockTimeline, StatefulOptions };

/** Options of {@link createMswHandlers}; unknown or misspelt options are refused, as `startMockServer`'s. */
export interface MswMockOptions {
  /**
   * The base URL to answer under, as the client's `baseUrl`: an origin and any path prefix
   * (`https://gateway.test/meeting`). Default: the spec's first server, `https://api.meeting.huaweicloud.com`, the
   * client's default, so that a client made without `baseUrl` is answered by the mock.
   */
  baseUrl?: string | undefined;
  /** `true` (or its options) for the stateful mode; default false: the spec's examples. As `startMockServer`. */
  stateful?: boolean | StatefulOptions | undefined;
}

/**
 * What {@link createMswHandlers} returns: the handlers, and the credentials and clock of the mock they serve (as a
 * {@link MockServer} has them).
 */
export interface MswMock extends Pick<MockServer, 'tokens' | 'users' | 'apps' | 'timeline'> {
  /** Give them to `setupServer(...handlers)` or `setupWorker(...handlers)`. */
  handlers: ReturnType<typeof http.all>[];
  /** The base URL answered under, without a trailing slash: give it to `createMeetingClient({ baseUrl })`. */
  baseUrl: string;
}

/** MSW handlers answering as the mock under `baseUrl`: every path under it, the spec's or not. */
export function createMswHandlers(options: MswMockOptions = {}): MswMock {
  const settings = resolveOptions('createMswHandlers', mswOptionTable, options);
  const base = new URL(settings.baseUrl ?? specFacts.servers[0]);
  const prefix = base.pathname.replace(/\/+$/, '');
  const root = `${base.origin}${prefix}`;
  const stateful =
    settings.stateful === false
      ? undefined
      : (resolveOptions(
          'createMswHandlers',
          statefulOptionTable,
          settings.stateful === true ? {} : settings.stateful,
        ) as StatefulOptions);
  const behaviour = createBehaviour(stateful);
  const handler = http.all(`${root}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const bytes = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    const answer = await behaviour.handle({
      method: request.method,
      url: `${url.pathname.slice(prefix.length)}${url.search}`,
      headers: Object.fromEntries(request.headers),
      body: bytes?.length ? bytes.subarray(0, MAX_BODY_BYTES) : undefined,
      bodyTooLarge: (bytes?.length ?? 0) > MAX_BODY_BYTES,
      signal: request.signal,
    });
    const empty = answer.body.length === 0 || answer.status === 204 || request.method === 'HEAD';
    const body = empty ? null : (answer.body as BodyInit); // a string or UTF-8 bytes
    return new Response(body, { status: answer.status, headers: answer.headers });
  });
  return {
    handlers: [handler],
    baseUrl: root,
    tokens: { admin: MOCK_ADMIN_TOKEN, user: MOCK_USER_TOKEN },
    ...credentialsOf(behaviour.stateful),
    timeline: behaviour.stateful?.timeline,
  };
}
