// Every option of the mock, its default and what it allows: one table for startMockServer, one for its
// stateful mode, checked by the same resolver as the client's options (src/options.ts).
import { MAX_TIMER_MS } from '../abort.js';
import { boolean, integer, nonEmptyString, option, show, signal } from '../options.js';
import { HUAWEI_TOKEN_SECONDS } from './tokens.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const mockOptionTable = {
  port: option('port to listen on; 0 picks a free one', 0, integer(0, 65_535)),
  host: option('address to listen on', '127.0.0.1', nonEmptyString),
  stateful: option<boolean | Record<string, unknown>>(
    'true, or the stateful options: a generated enterprise',
    false,
    (value) =>
      typeof value === 'boolean' || isObject(value)
        ? undefined
        : `must be true, false or an object of stateful options, got ${show(value)}`,
  ),
  engine: option<'prism' | 'in-process'>(
    "'prism' (a child process validating through Prism) or 'in-process' (node:http in this process)",
    'prism',
    (value) =>
      value === 'prism' || value === 'in-process' ? undefined : `must be 'prism' or 'in-process', got ${show(value)}`,
  ),
  tls: option('serve https with a certificate made at start (mock.ca)', false, boolean),
  startupTimeoutMs: option('milliseconds to wait for Prism to start', 30_000, integer(1, MAX_TIMER_MS)),
  signal: option<AbortSignal | undefined>('aborts the start-up', undefined, signal),
};

/** `createMswHandlers`'s options: the origin it answers for, and the same mode as `startMockServer`. */
export const mswOptionTable = {
  baseUrl: option<string | undefined>(
    "the base URL to answer under (origin and any path prefix); default the spec's first server",
    undefined,
    (value) => {
      const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
        return `must be an http or https URL, got ${show(value)}`;
      // As the client refuses them: neither would be sent, so answering "under" them would mislead.
      if (url.username || url.password) return 'must not hold a user name or password';
      if (url.search || url.hash) return `must not have a query or fragment, got ${show(value)}`;
      return undefined;
    },
  ),
  stateful: mockOptionTable.stateful,
};

const latency = (value: unknown) => {
  const inRange = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 600_000;
  if (inRange(value)) return undefined;
  if (Array.isArray(value) && value.length === 2 && inRange(value[0]) && inRange(value[1]) && value[0] <= value[1])
    return undefined;
  const rule = 'must be a whole number of milliseconds from 0 to 600000, or a [min, max] pair of them';
  // A pair is shown as the pair, so that a min past its max reads as such ("got [300, 100]"), not as "an array".
  const shown =
    Array.isArray(value) && value.length <= 4 && value.every((n) => typeof n === 'number')
      ? `[${value.join(', ')}]`
      : show(value);
  const reversed = Array.isArray(value) && inRange(value[0]) && inRange(value[1]) && value[0] > value[1];
  return `${rule}${reversed ? ', min first' : ''}, got ${shown}`;
};
const rate = (value: unknown) =>
  typeof value === 'number' && value >= 0 && value <= 1
    ? undefined
    : `must be a number from 0 to 1, got ${show(value)}`;
/**
 * What is wrong with an options object, naming its first bad field (`got endsPerMinute: 1000000`) rather than
 * "got an object": `fields` says which are known and how each is checked.
 */
function objectProblem(value: unknown, fields: Record<string, (field: unknown) => boolean>): string | undefined {
  if (!isObject(value)) return `got ${show(value)}`;
  const unknown = Object.keys(value).find((key) => !Object.hasOwn(fields, key));
  if (unknown !== undefined) return `got an unknown field ${JSON.stringify(unknown)}`;
  const bad = Object.entries(fields).find(([key, fits]) => !fits(value[key]));
  return bad ? `got ${bad[0]}: ${show(value[bad[0]])}` : undefined;
}

const rateLimit = (value: unknown) => {
  const problem = objectProblem(value, {
    requests: (requests) => integer(1, 1_000_000)(requests) === undefined,
    windowMs: (windowMs) => windowMs === undefined || integer(1, 3_600_000)(windowMs) === undefined,
  });
  return problem && `must be { requests: 1 to 1000000, windowMs?: 1 to 3600000 }, ${problem}`;
};
const churn = (value: unknown) => {
  const fine = (rate: unknown) => rate === undefined || (typeof rate === 'number' && rate >= 0 && rate <= 100_000);
  const problem = objectProblem(value, {
    startsPerMinute: fine,
    endsPerMinute: fine,
    changesPerMinute: fine,
    clock: (clock) => clock === undefined || clock === 'real' || clock === 'manual',
  });
  const rule =
    "must be { startsPerMinute?, endsPerMinute?, changesPerMinute?: 0 to 100000, clock?: 'real' | 'manual' }";
  return problem && `${rule}, ${problem}`;
};
const apps = (value: unknown) => {
  const wellFormed =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (app) =>
        isObject(app) &&
        typeof app.appId === 'string' &&
        app.appId !== '' &&
        typeof app.appKey === 'string' &&
        app.appKey !== '',
    );
  if (!wellFormed) return `must be a non-empty array of { appId, appKey } with non-empty strings, got ${show(value)}`;
  // A sign-in finds its app by ID: a second app of the same ID could never sign in.
  const ids = (value as { appId: string }[]).map((app) => app.appId);
  const twice = ids.find((id, index) => ids.indexOf(id) !== index);
  return twice === undefined ? undefined : `must name each appId once, got ${JSON.stringify(twice)} twice`;
};

export const statefulOptionTable = {
  meetings: option('ongoing meetings in the generated enterprise', 1234, integer(0, 1_000_000)),
  users: option('users; the first is the administrator', 40, integer(2, 100_000)),
  seed: option('seed of the generator and of the faults', 1, integer(-(2 ** 31), 2 ** 31 - 1)),
  now: option<number | undefined>(
    '"now" of the generated meetings, ms since the epoch',
    undefined,
    integer(0, 8.64e15),
  ),
  apps: option<unknown>('apps that may sign in with an App ID', undefined, apps),
  tokenValidSeconds: option(
    'lifetime of the tokens it issues (Huawei: 12 to 24 hours)',
    HUAWEI_TOKEN_SECONDS,
    integer(1, 31_536_000, 'seconds'),
  ),
  latencyMs: option<unknown>('delay before every answer: ms, or [min, max]', undefined, latency),
  failureRate: option('share of list requests answered 500 or 503', 0, rate),
  rateLimit: option<unknown>('list requests per token per window; more get 429', undefined, rateLimit),
  churn: option<unknown>('meetings that start, end and change over time', undefined, churn),
};
