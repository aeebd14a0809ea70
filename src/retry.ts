// When and how long to wait before sending a GET again. GET is idempotent, so failures that say
// "try later" (network errors, 408, 429, 5xx gateways) are retried; answers about the request itself are not.
import type { MeetingClientError } from './errors.js';

/** Statuses worth another attempt: the server or a gateway said "not now", not "never". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export interface RetryInfo {
  /** The attempt that just failed, from 1. */
  attempt: number;
  /** Why it failed. */
  error: MeetingClientError;
  /** How long the client will wait before the next attempt. */
  delayMs: number;
}

export interface RetryOptions {
  /** Further attempts after the first. Default 2. 0 turns retries off. */
  retries?: number;
  /** First backoff step; attempt n waits a random time in [0, min(maxDelay, base × 2^(n-1))]. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Upper bound of any wait, backoff or `Retry-After`. Default 30 000 ms. */
  retryMaxDelayMs?: number;
  /** Also retry an attempt that hit `timeoutMs` (off by default: a slow server would triple the wait). */
  retryOnTimeout?: boolean;
  /** Called before each retry: observe it, or return `false` to give up and throw the error instead. */
  onRetry?: (info: RetryInfo) => boolean | void | Promise<boolean | void>;
}

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  retryOnTimeout: boolean;
  onRetry: RetryOptions['onRetry'];
}

export function retryPolicy(options: RetryOptions): RetryPolicy {
  const policy = {
    retries: options.retries ?? 2,
    baseDelayMs: options.retryBaseDelayMs ?? 500,
    maxDelayMs: options.retryMaxDelayMs ?? 30_000,
    retryOnTimeout: options.retryOnTimeout ?? false,
    onRetry: options.onRetry,
  };
  for (const [name, value] of [['retries', policy.retries], ['retryBaseDelayMs', policy.baseDelayMs], ['retryMaxDelayMs', policy.maxDelayMs]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be a whole number of 0 or more, got ${String(value)}`);
  }
  if (options.onRetry !== undefined && typeof options.onRetry !== 'function') {
    throw new TypeError(`onRetry must be a function, got ${typeof options.onRetry}`);
  }
  return policy;
}

export function isRetryable(error: MeetingClientError, policy: RetryPolicy): boolean {
  if (error.kind === 'network') return true;
  if (error.kind === 'timeout') return policy.retryOnTimeout;
  if (error.kind === 'http') return RETRYABLE_STATUSES.has((error as MeetingClientError & { status: number }).status);
  return false;
}

/** Full jitter (AWS architecture blog): spreads retries of many clients evenly instead of in waves. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects at once with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
