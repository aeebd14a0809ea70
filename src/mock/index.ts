/**
 * The mock of Huawei's ongoing meeting list for your tests and demos: {@link startMockServer} runs Prism on the
 * bundled spec behind a front that answers as Huawei does, either with the spec's examples or as a generated
 * enterprise (sign-in, faults on demand, meetings that come and go). It needs `@stoplight/prism-cli`.
 *
 * @example
 * ```ts
 * import { createMeetingClient } from 'huawei-meeting-online-client';
 * import { startMockServer } from 'huawei-meeting-online-client/mock';
 *
 * const mock = await startMockServer({ stateful: { meetings: 50 } });
 * try {
 *   const client = createMeetingClient({ baseUrl: mock.url, token: mock.tokens.admin });
 *   console.log((await client.listOngoingMeetings({ queryAll: true })).count); // 50
 * } finally {
 *   await mock.close();
 * }
 * ```
 * @module huawei-meeting-online-client/mock
 */
// The spec-driven mock as a product: Prism serving the bundled spec, either stateless (the spec's examples,
// `Prefer: code=…`) or stateful (a generated enterprise behind Prism's validating proxy), behind a small front
// that answers like Huawei (see front.ts). Nothing it starts outlives the process that started it.
import { MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN, type MockUser } from './enterprise.js';
import type { MockTimeline } from './timeline.js';
import { startFront } from './front.js';
import { mockOptionTable, statefulOptionTable } from './options.js';
import { servedSpec, startPrism } from './prism.js';
import { MOCK_APP, startStatefulUpstream, type MockApp, type StatefulOptions } from './stateful.js';
import { resolveOptions } from '../options.js';

export { MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN, generateEnterprise } from './enterprise.js';
export type { Enterprise, EnterpriseOptions, MockUser } from './enterprise.js';
export type { FaultOptions } from './faults.js';
export { INVALID_PARAMETER, TOKEN_INVALID } from './front.js';
export { MOCK_APP } from './stateful.js';
export type { MockApp, StatefulOptions } from './stateful.js';
export type { ChurnOptions, MockTimeline, TimelineEvent } from './timeline.js';

/** Options of {@link startMockServer}; unknown or misspelt ones are refused, naming the closest valid one. */
export interface MockServerOptions {
  /** Port to listen on; 0 (the default) picks a free one, reported in `url` and `port`. */
  port?: number | undefined;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /**
   * `true` (or options) for the stateful mode: a generated enterprise that honours offset, limit, searchKey,
   * queryAll, administrator versus ordinary tokens and start-time order, with sign-in and faults on demand.
   * Default false: the spec's examples.
   */
  stateful?: boolean | StatefulOptions | undefined;
  /** Milliseconds to wait for Prism to start. Default 30000. */
  startupTimeoutMs?: number | undefined;
  /** Aborting it during start-up stops what was started and rejects with its reason. */
  signal?: AbortSignal | undefined;
}

/** A running mock, as {@link startMockServer} resolves it: where it listens, its credentials, and how to stop it. */
export interface MockServer {
  /** Base URL to give `createMeetingClient({ baseUrl })`. */
  url: string;
  /** The port it listens on (the one picked, when asked for 0). */
  port: number;
  /**
   * Tokens the mock accepts: in stateful mode only these (`admin`, `user`, and one per generated user); otherwise any.
   */
  tokens: {
    /** The administrator's token (`mock-admin-token`): `queryAll` sees every meeting. */
    admin: string;
    /** An ordinary user's token (`mock-user-token`): sees the meetings they scheduled or are invited to. */
    user: string;
  };
  /** The generated users (stateful mode), each with its token, `account` and `password`. */
  users: MockUser[];
  /** App credentials for App ID authentication (stateful mode): give them to `appIdAuth`. */
  apps: MockApp[];
  /**
   * Stateful mode: the mock's clock and the truth of its list (what started, ended and changed, and when);
   * `advance(ms)` moves time with `churn: { clock: 'manual' }`. Undefined in examples mode.
   */
  timeline: MockTimeline | undefined;
  /** The process group of Prism and its watchdog. */
  pid: number;
  /** What Prism printed so far, for diagnosis. */
  log(): string;
  /** Stops the front, Prism and the stateful upstream. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the mock on 127.0.0.1 (a free port unless `port` is given) and resolves once Prism listens. Nothing it starts
 * outlives your process: Prism runs under a watchdog that ends it with its parent, whatever way the parent ends.
 *
 * @param options - Examples mode by default; `stateful: true` (or its options) for a generated enterprise.
 * @returns The running mock; call `close()` when done.
 * @throws When Prism does not start (the error holds Prism's log), the port is taken (naming it), an option is bad,
 * or `signal` aborts.
 * @example
 * ```ts
 * const mock = await startMockServer({ stateful: { failureRate: 0.2, seed: 7 } });
 * try {
 *   const client = createMeetingClient({ baseUrl: mock.url, token: mock.tokens.admin, retries: 5 });
 *   console.log((await client.listOngoingMeetings({ queryAll: true })).count);
 * } finally {
 *   await mock.close();
 * }
 * ```
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const settings = resolveOptions('startMockServer', mockOptionTable, options);
  const stateful =
    settings.stateful === false
      ? undefined
      : resolveOptions('startMockServer', statefulOptionTable, settings.stateful === true ? {} : settings.stateful);
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    // The port first: a port another program holds fails at once, before Prism is even started.
    const front = await startFront(settings.host, settings.port);
    cleanups.push(front.close);
    const spec = servedSpec();
    cleanups.push(spec.remove);
    const upstream = stateful ? await startStatefulUpstream(stateful as StatefulOptions) : undefined;
    if (upstream) cleanups.push(upstream.close);
    settings.signal?.throwIfAborted();
    const prismArgs = upstream ? ['proxy', spec.path, upstream.url] : ['mock', spec.path];
    const prism = await startPrism([...prismArgs, '--host', '127.0.0.1', '--port', '0', '--errors'], {
      deadlineMs: settings.startupTimeoutMs,
      signal: settings.signal,
    });
    cleanups.push(prism.stop);
    settings.signal?.throwIfAborted();
    front.forwardTo(prism.url);
    let closing: Promise<void> | undefined;
    return {
      url: front.url,
      port: Number(new URL(front.url).port),
      tokens: { admin: MOCK_ADMIN_TOKEN, user: MOCK_USER_TOKEN },
      users: upstream?.enterprise.users ?? [],
      apps: upstream ? ((stateful as StatefulOptions).apps ?? [MOCK_APP]) : [],
      timeline: upstream?.timeline,
      pid: prism.pid,
      log: prism.log,
      close: () => (closing ??= close()),
    };
  } catch (error) {
    await close();
    throw error;
  }
}
