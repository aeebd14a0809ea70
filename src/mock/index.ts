/**
 * The mock of Huawei's ongoing meeting list for your tests and demos: {@link startMockServer} serves the
 * bundled spec and answers as Huawei does, either with the spec's examples or as a generated enterprise (sign-in,
 * faults on demand, meetings that come and go), on Prism (`@stoplight/prism-cli`, the default engine) or in-process
 * (`engine: 'in-process'`, no Prism needed). For MSW, see `huawei-meeting-online-client/msw`.
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
// The spec-driven mock as a product, on one of two engines that share one behaviour (the gate, the request checks
// made from the spec, the examples, the stateful enterprise, Huawei-shaped answers): Prism (the default; a child
// process validating every request and response, the design's promise) or in-process (node:http in the caller's
// process, validating with the spec's schemas; no Prism, ready in milliseconds). Either serves the spec's examples
// (`Prefer: code=…`) or a stateful enterprise, over http or https. Nothing it starts outlives the process that
// started it.
import { MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN, type MockUser } from './enterprise.js';
import type { Engine } from './engine.js';
import { startInProcessEngine } from './engine-in-process.js';
import { startPrismEngine } from './engine-prism.js';
import { mockOptionTable, statefulOptionTable } from './options.js';
import type { MockApp, StatefulOptions } from './stateful.js';
import { credentialsOf } from './behaviour.js';
import { selfSignedIdentity } from './tls.js';
import type { MockTimeline } from './timeline.js';
import { resolveOptions } from '../options.js';

export { MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN, generateEnterprise } from './enterprise.js';
export type { Enterprise, EnterpriseOptions, MockUser } from './enterprise.js';
export type { FaultOptions } from './faults.js';
export { INVALID_PARAMETER, TOKEN_INVALID } from './answers.js';
export { MOCK_APP } from './stateful.js';
export type { MockApp, StatefulOptions } from './stateful.js';
export type { ChurnOptions, MockTimeline, TimelineEvent } from './timeline.js';

/** Options of {@link startMockServer}; unknown or misspelt ones are refused, naming the closest valid one. */
export interface MockServerOptions {
  /** Port to listen on; 0 (the default) picks a free one, reported in `url` and `port`. */
  port?: number | undefined;
  /**
   * Address to listen on. Default 127.0.0.1. Bound to every address (`'0.0.0.0'`, `'0'` or `'::'`, in a container),
   * `url` names the loopback address of that family (`http://127.0.0.1:PORT`, `http://[::1]:PORT`), so that
   * `createMeetingClient({ baseUrl: mock.url })` works on this machine (the client allows plain http only on
   * loopback); other machines use this one's own address.
   */
  host?: string | undefined;
  /**
   * `true` (or options) for the stateful mode: a generated enterprise that honours offset, limit, searchKey,
   * queryAll, administrator versus ordinary tokens and start-time order, with sign-in and faults on demand.
   * Default false: the spec's examples.
   */
  stateful?: boolean | StatefulOptions | undefined;
  /**
   * `'prism'` (default): Prism in a child process validates every request and response; what the project's own
   * contract tests run on. `'in-process'`: a node:http server in this process, validating with the spec's schemas;
   * starts in milliseconds and needs no Prism install.
   */
  engine?: 'prism' | 'in-process' | undefined;
  /**
   * Serve https, with a certificate made at start for 127.0.0.1, ::1, localhost and `host`: trust `mock.ca`.
   * Default false.
   */
  tls?: boolean | undefined;
  /** Milliseconds to wait for Prism to start (the Prism engine). Default 30000. */
  startupTimeoutMs?: number | undefined;
  /** Aborting it during start-up stops what was started and rejects with its reason. */
  signal?: AbortSignal | undefined;
}

/** A running mock, as {@link startMockServer} resolves it: where it listens, its credentials, and how to stop it. */
export interface MockServer {
  /** Base URL for `createMeetingClient({ baseUrl })`; bound to every address (0.0.0.0, `0`, `::`), the loopback one. */
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
  /** The generated users (stateful mode), each with its token, `account` and `password`: a copy, to read. */
  users: MockUser[];
  /** App credentials for App ID authentication (stateful mode), for `appIdAuth`: a copy, to read. */
  apps: MockApp[];
  /**
   * Stateful mode: the mock's clock and the truth of its list (what started, ended and changed, and when);
   * `advance(ms)` moves time with `churn: { clock: 'manual' }`. Undefined in examples mode.
   */
  timeline: MockTimeline | undefined;
  /** The engine serving it. */
  engine: 'prism' | 'in-process';
  /** With `tls: true`: the certificate (PEM) to trust, e.g. as `ca` of an https Agent or `curl --cacert`. */
  ca: string | undefined;
  /** The process group of Prism and its watchdog; this process's id with the in-process engine. */
  pid: number;
  /** What Prism printed so far, for diagnosis ('' with the in-process engine). */
  log(): string;
  /** Stops everything it started. Safe to call twice. */
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
      : (resolveOptions(
          'startMockServer',
          statefulOptionTable,
          settings.stateful === true ? {} : settings.stateful,
        ) as StatefulOptions);
  const identity = settings.tls ? selfSignedIdentity(settings.host) : undefined;
  const engineSettings = {
    host: settings.host,
    port: settings.port,
    stateful,
    startupTimeoutMs: settings.startupTimeoutMs,
    signal: settings.signal,
    tls: identity,
  };
  const engine: Engine =
    settings.engine === 'in-process'
      ? await startInProcessEngine(engineSettings)
      : await startPrismEngine(engineSettings);
  let closing: Promise<void> | undefined;
  return {
    url: engine.url,
    port: engine.port,
    tokens: { admin: MOCK_ADMIN_TOKEN, user: MOCK_USER_TOKEN },
    ...credentialsOf(engine.stateful),
    timeline: engine.stateful?.timeline,
    engine: settings.engine,
    ca: identity?.ca,
    pid: engine.pid,
    log: engine.log,
    close: () => (closing ??= engine.close()),
  };
}
