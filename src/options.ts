// Every option of the package, its default and what it allows, in one table per function; one resolver that
// checks them all the same way (own properties only, unknown names refused with the closest valid one).
import { specFacts } from '../generated/spec-facts.js';
import { MAX_TIMER_MS } from './abort.js';
import { tokenProblem } from './auth.js';
import { MeetingInputError } from './errors.js';
import { closestName } from './closest-name.js';
import type { RetryOptions } from './retry.js';
import type { SignInOptions } from './sign-in.js';
import { checkValue, type ParameterSchema } from './query.js';
import { checkBaseUrl } from './transport.js';

export interface OptionSpec<T> {
  /** One line for errors, the CLI's help and the README. */
  readonly doc: string;
  readonly default: T;
  /** What is wrong with `value` ("must be …, got …"), or undefined when it is allowed. */
  readonly check: (value: unknown) => string | undefined;
  /** The value to use once `check` has passed (for example a base URL without its trailing slash). */
  readonly normalise?: (value: never) => T;
  /** Must be given: there is no sensible default. */
  readonly required?: boolean;
}

type Table = Record<string, OptionSpec<unknown>>;
/** `true` when an options interface (which documents) and its table (which checks) name the same options. */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : never;
export type Resolved<T extends Table> = { -readonly [K in keyof T]: T[K] extends OptionSpec<infer V> ? V : never };

/** A given value as an error message quotes it: short, and never the contents of an object. */
export const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value == null)
    return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
};

/** A whole number in [min, max]; `unit` for the message. */
export function integer(min: number, max: number, unit = ''): (value: unknown) => string | undefined {
  return (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `must be a whole number from ${min} to ${max}${unit ? ` (${unit})` : ''}, got ${show(value)}`;
}
export const boolean = (value: unknown) =>
  typeof value === 'boolean' ? undefined : `must be true or false, got ${show(value)}`;
export const func = (value: unknown) =>
  typeof value === 'function' ? undefined : `must be a function, got ${show(value)}`;
export const nonEmptyString = (value: unknown) =>
  typeof value === 'string' && value.length > 0
    ? undefined
    : `must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : show(value)}`;
/** An AbortSignal, this realm's or another's (a test environment's, a polyfill's): what it does is what counts. */
export const signal = (value: unknown) => {
  const candidate = value as Partial<AbortSignal> | null;
  const usable =
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function';
  return usable ? undefined : `must be an AbortSignal, got ${show(value)}`;
};

/** A value the spec bounds (a sign-in's body field): the spec's schema says what is allowed. */
const fitting = (schema: ParameterSchema) => (value: unknown) => checkValue(value, schema);
/** A text option that is sent as the spec's `schema`: given at all, it is not empty. */
const text = (schema: ParameterSchema) => (value: unknown) => nonEmptyString(value) ?? checkValue(value, schema);

export function option<T>(
  doc: string,
  defaultValue: T,
  check: (value: unknown) => string | undefined,
  normalise?: (value: never) => T,
): OptionSpec<T> {
  return normalise ? { doc, default: defaultValue, check, normalise } : { doc, default: defaultValue, check };
}

function required<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return { ...spec, required: true };
}

const TIMER = `milliseconds; ${MAX_TIMER_MS} is the longest timer JavaScript runtimes support`;
const baseUrl = option<string>(
  `API server; plain http only on loopback (default ${specFacts.servers[0]})`,
  specFacts.servers[0],
  (value) => {
    if (typeof value !== 'string') return `must be a URL string such as ${specFacts.servers[0]}, got ${show(value)}`;
    try {
      checkBaseUrl(value);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  },
  (value: string) => checkBaseUrl(value),
);
const fetchOption = option<typeof globalThis.fetch | undefined>(
  'a fetch to use instead of the global one',
  undefined,
  func,
);
const timeoutMs = option(
  'milliseconds one attempt may take, token, headers and body',
  30_000,
  integer(1, MAX_TIMER_MS, TIMER),
);

/** Options of the request path that list calls and sign-ins share. */
const requestPath = {
  baseUrl,
  fetch: fetchOption,
  timeoutMs,
  maxResponseBytes: option(
    'largest response body read, in bytes, once decoded',
    16 * 1024 * 1024,
    integer(1024, 1024 ** 3, 'bytes, 1 KiB to 1 GiB'),
  ),
  retries: option('further attempts after a network error or 408/429/5xx', 2, integer(0, 100)),
  retryBaseDelayMs: option('first backoff step', 500, integer(0, MAX_TIMER_MS, TIMER)),
  retryMaxDelayMs: option(
    'longest wait between attempts, backoff or Retry-After',
    30_000,
    integer(0, MAX_TIMER_MS, TIMER),
  ),
  retryOnTimeout: option('also retry an attempt that timed out', false, boolean),
  onRetry: option<RetryOptions['onRetry']>('called before each retry; return false to give up', undefined, func),
  onAttempt: option<RetryOptions['onAttempt']>('told of every attempt (observe only)', undefined, func),
};

export const clientOptionTable = {
  token: option<unknown>('access token, or a function returning one', undefined, (value) =>
    typeof value === 'function'
      ? undefined
      : typeof value === 'string'
        ? tokenProblem(value)
        : `must be a string or a function returning one, got ${show(value)}`,
  ),
  ...requestPath,
  validateResponses: option('check every page against the spec', false, boolean),
};

export const requestOptionTable = {
  signal: option<AbortSignal | undefined>('cancels the call', undefined, signal),
};

const limit = specFacts.operations.listOngoingMeetings.query.limit;
export const MAX_CONCURRENCY = 16;
export const paginationOptionTable = {
  ...requestOptionTable,
  pageSize: option(
    `meetings per request (the spec's limit, ${limit.minimum} to ${limit.maximum})`,
    limit.maximum as number,
    integer(limit.minimum, limit.maximum),
  ),
  concurrency: option('requests in flight at once', 1, integer(1, MAX_CONCURRENCY)),
  maxItems: option('stop after this many meetings', Number.POSITIVE_INFINITY, integer(1, Number.MAX_SAFE_INTEGER)),
  maxPages: option('most requests one walk may send', 10_000, integer(1, 1_000_000)),
  overlap: option<number | undefined>(
    'meetings re-read before each page boundary (default 5% of pageSize)',
    undefined,
    integer(0, limit.maximum - 1),
  ),
};

/** A watch polls Huawei no more often than this (tests and mocks on this machine may go faster). */
export const WATCH_INTERVAL_FLOOR_MS = 1000;
export const watchOptionTable = {
  ...requestOptionTable,
  intervalMs: option('milliseconds from the end of one poll to the next', 30_000, integer(0, MAX_TIMER_MS, TIMER)),
  pageSize: paginationOptionTable.pageSize,
  concurrency: paginationOptionTable.concurrency,
  overlap: option<number | undefined>(
    'meetings re-read at each page boundary, at least 1: how a poll knows it missed none',
    undefined,
    integer(1, limit.maximum - 1),
  ),
  keepPrevious: option('keep each meeting as last seen, for `previous` and ended meetings', false, boolean),
  ignoreFields: option<string[]>('top-level fields whose changes are not reported', [], (value) =>
    Array.isArray(value) && value.every((v) => typeof v === 'string')
      ? undefined
      : `must be an array of field names, got ${typeof value}`,
  ),
  maxBackoffMs: option('longest wait after failed polls', 300_000, integer(0, MAX_TIMER_MS, TIMER)),
};

/** Options every sign-in token source shares: its own request path, and when to renew. */
const signIn = {
  ...requestPath,
  refreshMarginMs: option(
    'renew this long before expiry (at most a quarter of the lifetime)',
    5 * 60_000,
    integer(0, MAX_TIMER_MS, TIMER),
  ),
  onRenewalError: option<SignInOptions['onRenewalError']>(
    'told when a renewal failed and the still-valid cached token is used',
    undefined,
    func,
  ),
  now: option<() => number>(
    'monotonic clock in ms for token lifetimes, for tests (default performance.now)',
    () => performance.now(),
    func,
  ),
};

// The sign-in tables are built in pure functions, so that a bundle without the sign-ins leaves them out.
const appAuthBody = specFacts.operations.createAppIdToken.body;
const accountBody = specFacts.operations.createAccountToken.body;
const CLIENT_TYPE = 'client type; 72 is an API caller';

// The sign-in tables are built in pure functions, so that a bundle without the sign-ins leaves them out.
export const appIdAuthOptionTable = /* @__PURE__ */ (() => ({
  appId: required(option('App ID from the Huawei Cloud Meeting console', '', text(appAuthBody.appId))),
  appKey: required(option('App key from the console; signs, never sent', '', nonEmptyString)),
  userId: option<string | undefined>('third-party user to act as', undefined, text(appAuthBody.userId)),
  corpId: option<string | undefined>('enterprise ID, for service providers', undefined, text(appAuthBody.corpId)),
  userName: option<string | undefined>('user name to register', undefined, text(appAuthBody.userName)),
  userEmail: option<string | undefined>('user e-mail to register', undefined, text(appAuthBody.userEmail)),
  userPhone: option<string | undefined>('user phone to register', undefined, text(appAuthBody.userPhone)),
  deptCode: option<string | undefined>('department code to register', undefined, text(appAuthBody.deptCode)),
  clientType: option(CLIENT_TYPE, 72, fitting(appAuthBody.clientType)),
  signatureTtlSeconds: option('how long a signature stays valid', 300, integer(1, 86_400, 'seconds')),
  ...signIn,
}))();

export const accountAuthOptionTable = /* @__PURE__ */ (() => ({
  account: required(
    option(
      'the Huawei Cloud Meeting login account',
      '',
      (value) =>
        text(accountBody.account)(value) ??
        ((value as string).includes(':')
          ? 'must not contain ":" (Basic authentication cannot carry it in an account)'
          : undefined),
    ),
  ),
  password: required(
    option("the account's password; sent only in Authorization, never in an error", '', nonEmptyString),
  ),
  clientType: option(CLIENT_TYPE, 72, fitting(accountBody.clientType)),
  ...signIn,
}))();

/**
 * The options of `where` with their defaults filled in, or a MeetingInputError naming the option, what was
 * given and what is allowed. Only own properties count, so nothing comes in through a prototype.
 */
export function resolveOptions<T extends Table>(where: string, table: T, given: unknown): Resolved<T> {
  const fail = (parameter: string | undefined, message: string) =>
    new MeetingInputError(`${where}: ${message}`, { operation: where, ...(parameter ? { parameter } : {}) });
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw fail(undefined, `options must be an object, got ${show(given)}`);
  }
  const source = (given ?? {}) as Record<string, unknown>;
  const names = Object.keys(table);
  for (const name of Object.keys(source)) {
    if (Object.hasOwn(table, name)) continue;
    const near = closestName(name, names);
    throw fail(
      name,
      `unknown option ${JSON.stringify(name)}${near ? `; did you mean ${JSON.stringify(near)}?` : ''} ` +
        `(options: ${names.join(', ')})`,
    );
  }
  const resolved: Record<string, unknown> = {};
  for (const name of names) {
    const spec = table[name]!;
    const value = Object.hasOwn(source, name) ? source[name] : undefined;
    if (value === undefined) {
      if (spec.required) throw fail(name, `${name} is required: ${spec.doc}`);
      resolved[name] = spec.default;
      continue;
    }
    const problem = spec.check(value);
    if (problem) throw fail(name, `${name} ${problem}`);
    resolved[name] = spec.normalise ? spec.normalise(value as never) : value;
  }
  return resolved as Resolved<T>;
}
