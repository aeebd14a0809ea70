// What the client tells observers: one record per attempt, to the `onAttempt` option and on Node's
// diagnostics_channel, and the outcome of a successful call (request id, attempts, time waited) beside its value.
// Observers cannot change or hold a call: what a hook throws is dropped, what it returns is not awaited.
import type { MeetingErrorKind } from './errors.js';

/** The diagnostics_channel every attempt is published on, where the runtime has one (Node.js, Bun, Deno). */
export const ATTEMPT_CHANNEL = 'huawei-meeting-online-client:attempt';

/** Why the client sends again: a fresh token after a 401, the server's `Retry-After`, or its own back-off. */
export type RetryReason = 'unauthorized' | 'retry-after' | 'backoff';

/** One attempt of one operation, as it ended. Never holds a token, password, App key or signature. */
export interface AttemptRecord {
  /** The spec's operationId: `listOngoingMeetings`, `createAppIdToken`, `createAccountToken`. */
  readonly operation: string;
  /** The attempt's number within its call, from 1. */
  readonly attempt: number;
  /** `GET`, `POST`; undefined when nothing was sent (the token was not ready). */
  readonly method: string | undefined;
  /** The URL sent to (query included); undefined when nothing was sent. */
  readonly url: string | undefined;
  /** The HTTP status; undefined when no answer came. */
  readonly status: number | undefined;
  /** `X-Request-Id` of the answer (else an error body's `request_id`): quote it to Huawei support. */
  readonly requestId: string | undefined;
  /** From the attempt's start (token wait included) to its end, on the monotonic clock. */
  readonly durationMs: number;
  /** Bytes of the body read (decoded); for an error answer its `Content-Length`, when it declared one. */
  readonly bytes: number | undefined;
  /** The failure's `kind`, `'aborted'` for the caller's abort; undefined on success. */
  readonly errorKind: MeetingErrorKind | 'aborted' | undefined;
  /** The decision after a failure: sent again after `waitMs`, and why; undefined when not sent again. */
  readonly retry:
    | {
        /** Why it is sent again. */
        readonly reason: RetryReason;
        /** Milliseconds waited before the next attempt. */
        readonly waitMs: number;
      }
    | undefined;
}

/** How a successful call went: see {@link metadataOf}. */
export interface CallMetadata {
  /** `X-Request-Id` of the answer that served it. */
  readonly requestId: string | undefined;
  /** Attempts the call took, from 1. */
  readonly attempts: number;
  /** Milliseconds waited between attempts (back-off, `Retry-After`, the client's shared hold). */
  readonly waitedMs: number;
}

interface Channel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

type BuiltinLoader = { process?: { getBuiltinModule?: (id: string) => unknown } };

/**
 * The channel, looked up without importing `node:diagnostics_channel`, so that a browser bundle needs no shim:
 * `process.getBuiltinModule` exists in Node.js (20.16+), Bun and Deno, and nowhere else.
 */
function loadChannel(): Channel | undefined {
  try {
    const dc = (globalThis as BuiltinLoader).process?.getBuiltinModule?.('node:diagnostics_channel') as
      | { channel(name: string): Channel }
      | undefined;
    return dc?.channel(ATTEMPT_CHANNEL);
  } catch {
    return undefined;
  }
}

// Held for the life of the module: Node keeps a channel object only while someone holds it or subscribes.
const channel = /* @__PURE__ */ loadChannel();

/** Whether anyone listens: checked before a record is built, so that an unobserved attempt costs nothing. */
export function observed(onAttempt: ((record: AttemptRecord) => unknown) | undefined): boolean {
  return onAttempt !== undefined || channel?.hasSubscribers === true;
}

/** Delivers a record to the hook and the channel. A subscriber's throw is Node's to report, as for any channel. */
export function deliver(record: AttemptRecord, onAttempt: ((record: AttemptRecord) => unknown) | undefined): void {
  Object.freeze(record);
  if (record.retry) Object.freeze(record.retry);
  tell(onAttempt, record);
  if (channel?.hasSubscribers) channel.publish(record);
}

/** Calls an observing hook: what it throws, or a promise it returns that rejects, cannot reach the call. */
export function tell<A>(hook: ((info: A) => unknown) | undefined, info: A): void {
  if (!hook) return;
  try {
    const result = hook(info);
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // dropped by design: the hook observes, it does not decide
  }
}

/** How a call went, its request id read (and scrubbed) only when asked for: most callers never ask. */
interface Noted {
  readonly attempts: number;
  readonly waitedMs: number;
  readonly facts: { requestId(): string | undefined } | undefined;
}

/**
 * Where a value keeps how its call went: a non-enumerable property under a symbol, so that JSON, `Object.keys`,
 * spreads and deep equality see the server's page only (and cheaper than a WeakMap entry per call). A registered
 * symbol: the ESM and CommonJS copies of the package, loaded side by side, read each other's pages.
 */
const NOTED = Symbol.for('huawei-meeting-online-client.outcome');

/** Notes how the call that produced `value` went (for an object value; nothing else can carry it). */
export function remember(value: unknown, noted: Noted): void {
  if (typeof value === 'object' && value !== null && Object.isExtensible(value))
    Object.defineProperty(value, NOTED, { value: noted });
}

/** `to`, a copy of `from` (a walk's page of fresh meetings), says how `from`'s call went. */
export function carryMetadata<V extends object>(from: object, to: V): V {
  const noted = (from as { [NOTED]?: Noted })[NOTED];
  if (noted) remember(to, noted);
  return to;
}

/**
 * How the call that returned `page` went: the request id that served it, the attempts it took, the time waited.
 * Works for `listOngoingMeetings` and every page of a walk; undefined for an object the client did not return.
 * The page itself is untouched (its JSON is the server's).
 */
export function metadataOf(page: object): CallMetadata | undefined {
  const noted = (page as { [NOTED]?: Noted } | null)?.[NOTED];
  return noted && { requestId: noted.facts?.requestId(), attempts: noted.attempts, waitedMs: noted.waitedMs };
}
