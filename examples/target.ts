// Where an example sends its requests when run as a program (`npx tsx examples/<file>.ts`): the server and the
// credentials in the environment; or, with none of them set, the embedded mock (Prism, a dev dependency of this
// repository), started for the run and stopped after it. Half a set-up exits 2 with one line naming what to set.
import { type MockServerOptions, type MockServer, startMockServer } from 'huawei-meeting-online-client/mock';

/** The variables the examples read, and what each one is. */
export const VARIABLES = {
  MEETING_BASE_URL: 'the API server, such as https://api.meeting.huaweicloud.com',
  MEETING_TOKEN: 'an access token (X-Access-Token)',
  MEETING_APP_ID: 'the App ID to sign in with',
  MEETING_APP_KEY: 'the App key of that App ID',
} as const;
export type Variable = keyof typeof VARIABLES;

export interface Target {
  baseUrl: string;
  /** The variables asked for, from the environment or the mock's matching credentials. */
  values: Record<Variable, string>;
  /** The embedded mock, when no environment was set. */
  mock: MockServer | undefined;
}

const HUAWEI = 'https://api.meeting.huaweicloud.com';

/** Exits 2 with one line, no stack trace. */
function refuse(line: string): never {
  console.error(line);
  process.exit(2);
}

/** The target: the environment's when any of `needs` (or MEETING_BASE_URL) is set, else a mock just started. */
export async function target(needs: readonly Variable[], mockOptions: MockServerOptions = {}): Promise<Target> {
  const env = process.env;
  const given = (['MEETING_BASE_URL', ...needs] as const).filter((name) => env[name]);
  if (given.length > 0) {
    const missing = needs.filter((name) => !env[name]);
    if (missing.length > 0) {
      const what = missing.map((name) => `${name} (${VARIABLES[name]})`).join(' and ');
      refuse(`Set ${what}, or unset ${given.join(' and ')} to run against the embedded mock.`);
    }
    const values = Object.fromEntries(needs.map((name) => [name, env[name] ?? ''])) as Record<Variable, string>;
    return { baseUrl: env.MEETING_BASE_URL || HUAWEI, values, mock: undefined };
  }
  const mock = await startMockServer({ stateful: true, ...mockOptions });
  const unset = ['MEETING_BASE_URL', ...needs].join(', ');
  console.error(`Running against the embedded mock at ${mock.url}, stopped at the end (${unset} not set).`);
  const app = mock.apps[0];
  const values = {
    MEETING_BASE_URL: mock.url,
    MEETING_TOKEN: mock.tokens.admin,
    MEETING_APP_ID: app?.appId ?? '',
    MEETING_APP_KEY: app?.appKey ?? '',
  };
  return { baseUrl: mock.url, values, mock };
}

/**
 * Runs an example's program: its target, its work, the mock stopped at the end whatever happened, and a failure
 * told in one line with exit code 1 instead of a stack trace.
 */
export async function runExample(
  needs: readonly Variable[],
  work: (target: Target) => Promise<void>,
  mockOptions: MockServerOptions = {},
): Promise<void> {
  let current: Target | undefined;
  try {
    current = await target(needs, mockOptions);
    await work(current);
  } catch (error) {
    console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await current?.mock?.close();
  }
}
