// When and how long to wait before sending a request again, and the one loop that does it for every operation.
// Failures that say "try later" (network errors, 408, 429, 5xx gateways) are retried; answers about the
// request itself are not. A 401 gets one fresh token and one more try.
import { abortable, sleep } from './abort.js';
import { describeCause, type MeetingError, MeetingInputError } from './errors.js';
import type { AttemptFacts } from './attempt.js';
import { type AttemptRecord, remember, type RetryReason } from './observe.js';
import type { SecretSet } from './redact.js';

/** Statuses worth another attempt: the server or a gateway said "not now", not "never". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
/** Statuses that mean "the service is overloaded": every request of the client holds back, not just this one. */
const THROTTLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** What `onRetry` is told about each retry. */
export interface RetryInfo {
  /** The attempt that just failed, from 1. */
  attempt: number;
  /** Why it failed. */
  error: MeetingError;
  /** How long the client will wait before the next attempt. */
  delayMs: number;
}

/**
 * When and how often a failed request is tried again: network errors, 408, 429 and 5xx, with exponential backoff and
 * full jitter, honouring `Retry-After`. Timeouts only with `retryOnTimeout`.
 */
export interface RetryOptions {
  /** Further attempts after the first. Default 2. 0 turns retries off. */
  retries?: number | undefined;
  /** First backoff step; attempt n waits a random time in [0, min(maxDelay, base × 2^(n-1))]. Default 500 ms. */
  retryBaseDelayMs?: number | undefined;
  /** Upper bound of any wait, backoff or `Retry-After`. Default 30 000 ms. */
  retryMaxDelayMs?: number | undefined;
  /** Also retry an attempt that hit `timeoutMs` (off by default: a slow server would triple the wait). */
  retryOnTimeout?: boolean | undefined;
  /**
   * Called before each retry: observe it, or return `false` to give up and throw the error instead. What it throws
   * (or a promise it returns rejects with) fails the call with kind `'input'`; the caller's signal ends the call
   * even while a promise it returned is pending.
   */
  onRetry?: ((info: RetryInfo) => boolean | void | Promise<boolean | void>) | undefined;
  /**
   * Told of every attempt once it has ended and the client has decided what next: one record each (see
   * AttemptRecord), never a secret. Observe only: what it throws is dropped and what it returns is not awaited.
   */
  onAttempt?: ((record: AttemptRecord) => void) | undefined;
}

export interface RetryPolicy {
  retries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  retryOnTimeout: boolean;
  onRetry: RetryOptions['onRetry'] | undefined;
}

export function isRetryable(error: MeetingError, policy: Pick<RetryPolicy, 'retryOnTimeout'>): boolean {
  if (error.kind === 'network') return true;
  if (error.kind === 'timeout') return policy.retryOnTimeout;
  if (error.kind === 'http') return RETRYABLE_STATUSES.has(error.status);
  return false;
}

/** Full jitter (AWS architecture blog): spreads retries of many clients evenly instead of in waves. */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'retryBaseDelayMs' | 'retryMaxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.retryMaxDelayMs, policy.retryBaseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable
 * (`-5`, `1.5`), so that the backoff applies instead of reading a number as an old date.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  // Delta-seconds of any length: one too large for a number is as long as can be (RFC 9111 §1.2.2), and the caller's
  // cap (retryMaxDelayMs) applies, instead of falling back to a short back-off.
  if (/^\d+$/.test(trimmed)) return trimmed.length > 12 ? Number.MAX_SAFE_INTEGER : Number(trimmed) * 1000;
  if (!/^[A-Za-z]{3},? /.test(trimmed)) return undefined; // an HTTP date starts with the day's name
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The client's shared back-off: a 429 or 503 on one request holds every request of the client until the
 * wait it asked for is over, as Octokit's throttling does, instead of each hammering the service on its own.
 * On the monotonic clock: a wall clock stepped back must not turn a 1 s hold into an hour.
 */
export class BackoffGate {
  #until = 0;
  hold(ms: number): void {
    this.#until = Math.max(this.#until, performance.now() + ms);
  }
  /** Undefined when open, so that the common case costs no promise. */
  wait(signal?: AbortSignal): Promise<void> | undefined {
    if (this.#until === 0) return undefined; // never held: no clock read
    const ms = this.#until - performance.now();
    return ms > 0 ? sleep(ms, signal) : undefined;
  }
}

/** What one attempt may be asked for: the usual token, or a fresh one because `rejected` got a 401. */
export type TokenStep = { reason: 'request' } | { reason: 'unauthorized'; rejected: string };
export type Outcome<T> = ({ value: T } | { error: MeetingError; sentToken?: string | undefined }) & {
  /** Set by the attempt: its request id, and its record to publish. */
  facts?: AttemptFacts;
};

const FIRST: TokenStep = { reason: 'request' };

/**
 * The retry loop of every request: runs `attempt` until it gives a value, and decides after each failure:
 * one token refresh after a 401 (when `refreshable`), a retry with backoff or `Retry-After` when the error is
 * retryable and retries are left and `onRetry` agrees, else the error is thrown. The caller's abort ends it.
 * Each attempt's record goes out with the decision taken after it; a value is remembered with how the call went.
 */
export async function retrying<T>(
  policy: RetryPolicy,
  gate: BackoffGate,
  options: { signal?: AbortSignal | undefined; refreshable: boolean; secrets: SecretSet },
  attempt: (attempts: number, token: TokenStep, waitedMs: number) => Promise<Outcome<T>>,
): Promise<T> {
  let attempts = 0;
  let retriesLeft = policy.retries;
  let refreshed = false;
  let step = FIRST;
  let waitedMs = 0; // on the monotonic clock, only when there was a wait
  for (;;) {
    const held = gate.wait(options.signal);
    if (held) waitedMs += await timed(held);
    attempts++;
    const outcome = await attempt(attempts, step, waitedMs);
    const { facts } = outcome;
    if ('value' in outcome) {
      facts?.report(undefined, undefined);
      remember(outcome.value, { facts, attempts, waitedMs });
      return outcome.value;
    }
    const { error } = outcome;
    step = FIRST;

    if (
      error.kind === 'http' &&
      error.status === 401 &&
      options.refreshable &&
      !refreshed &&
      outcome.sentToken !== undefined
    ) {
      refreshed = true;
      step = { reason: 'unauthorized', rejected: outcome.sentToken };
      facts?.report(error, { reason: 'unauthorized', waitMs: 0 });
      continue;
    }
    let retry: { reason: RetryReason; waitMs: number } | undefined;
    try {
      retry = await decide(policy, retriesLeft, error, attempts, options);
    } finally {
      facts?.report(error, retry); // also when onRetry failed, or the caller aborted while it ran
    }
    if (!retry) throw error;
    retriesLeft--;
    if (error.kind === 'http' && THROTTLE_STATUSES.has(error.status)) gate.hold(retry.waitMs);
    waitedMs += await timed(sleep(retry.waitMs, options.signal));
  }
}

/** Whether and after what wait to send again: undefined to give up (not retryable, none left, onRetry said no). */
async function decide(
  policy: RetryPolicy,
  retriesLeft: number,
  error: MeetingError,
  attempts: number,
  options: { signal?: AbortSignal | undefined; secrets: SecretSet },
): Promise<{ reason: RetryReason; waitMs: number } | undefined> {
  if (retriesLeft === 0 || !isRetryable(error, policy)) return undefined;
  const retryAfter = error.kind === 'http' ? error.retryAfterMs : undefined;
  const delayMs = Math.min(policy.retryMaxDelayMs, retryAfter ?? backoffDelay(attempts, policy));
  if (policy.onRetry && (await askOnRetry(policy.onRetry, { attempt: attempts, error, delayMs }, options)) === false)
    return undefined;
  return { reason: retryAfter === undefined ? 'backoff' : 'retry-after', waitMs: delayMs };
}

/** How long `wait` took, on the monotonic clock. */
async function timed(wait: Promise<void>): Promise<number> {
  const started = performance.now();
  await wait;
  return performance.now() - started;
}

/**
 * The caller's `onRetry` verdict. Its failure is the caller's code failing, as a token function's is: kind 'input'
 * (token-free). A promise it returns is raced against the caller's signal: a hook that never settles cannot hold a
 * call its caller gave up.
 */
async function askOnRetry(
  onRetry: NonNullable<RetryOptions['onRetry']>,
  info: RetryInfo,
  options: { signal?: AbortSignal | undefined; secrets: SecretSet },
): Promise<boolean | void> {
  const { signal, secrets } = options;
  try {
    const verdict = onRetry(info);
    if (verdict === undefined || typeof verdict === 'boolean') return verdict;
    return await (signal ? abortable(Promise.resolve(verdict), signal) : verdict);
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    const { operation, attempts, waitedMs } = info.error;
    throw new MeetingInputError(`${operation}: onRetry failed: ${secrets.scrub(describeCause(cause))}`, {
      operation,
      parameter: 'onRetry',
      attempts,
      waitedMs,
      cause: secrets.scrubError(cause),
    });
  }
}
