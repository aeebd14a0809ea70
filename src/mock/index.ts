// The spec-driven mock as a product: Prism serving the bundled spec, either stateless (the spec's examples,
// `Prefer: code=…`) or stateful (a generated enterprise behind Prism's validating proxy).
import { specFacts } from '../../generated/spec-facts.js';
import { MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN, type MockUser } from './enterprise.js';
import { bundledSpecPath, freePort, startPrism } from './prism.js';
import { MOCK_APP, startStatefulUpstream, type MockApp, type StatefulOptions } from './stateful.js';

export { MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN, generateEnterprise } from './enterprise.js';
export type { Enterprise, EnterpriseOptions, MockUser } from './enterprise.js';
export { MOCK_APP } from './stateful.js';
export type { MockApp, StatefulOptions } from './stateful.js';

export interface MockServerOptions {
  /** Port to listen on. Default: a free port (recommended in test suites). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * `true` (or options) for the stateful mode: a generated enterprise that honours offset, limit, searchKey,
   * queryAll, administrator versus ordinary tokens and start-time order. Default false: the spec's examples.
   */
  stateful?: boolean | StatefulOptions;
  /** Milliseconds to wait for Prism to answer. Default 30000. */
  startupTimeoutMs?: number;
}

export interface MockServer {
  /** Base URL to give `createMeetingClient({ baseUrl })`. */
  url: string;
  /** Tokens the mock accepts: in stateful mode only these (`admin`, `user`, and one per generated user); otherwise any. */
  tokens: { admin: string; user: string };
  /** The generated users (stateful mode), each with its token. */
  users: MockUser[];
  /** App credentials for App ID authentication (stateful mode): give them to `appIdAuth`. */
  apps: MockApp[];
  /** Prism's process id. */
  pid: number;
  /** What Prism printed so far, for diagnosis. */
  log(): string;
  /** Stops Prism (and the stateful upstream). Safe to call twice. */
  close(): Promise<void>;
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const spec = bundledSpecPath();
  const common = ['--host', host, '--port', String(port), '--errors'];
  const deadline = options.startupTimeoutMs ?? 30_000;
  const probe = `${url}${specFacts.operations.listOngoingMeetings.path}`;

  if (!options.stateful) {
    const prism = await startPrism(['mock', spec, ...common], probe, deadline);
    return { url, tokens: { admin: MOCK_ADMIN_TOKEN, user: MOCK_USER_TOKEN }, users: [], apps: [], pid: prism.pid, log: prism.log, close: prism.stop };
  }
  const statefulOptions: StatefulOptions = options.stateful === true ? {} : options.stateful;
  const upstream = await startStatefulUpstream(statefulOptions);
  let prism;
  try {
    prism = await startPrism(['proxy', spec, upstream.url, ...common], probe, deadline);
  } catch (error) {
    await upstream.close();
    throw error;
  }
  const running = prism;
  return {
    url,
    tokens: { admin: MOCK_ADMIN_TOKEN, user: MOCK_USER_TOKEN },
    users: upstream.enterprise.users,
    apps: statefulOptions.apps ?? [MOCK_APP],
    pid: running.pid,
    log: running.log,
    close: async () => {
      await running.stop();
      await upstream.close();
    },
  };
}
