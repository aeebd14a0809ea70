// The single attempt that every request goes through (the list call and each sign-in): the deadline (token
// included), the caller's abort at any stage, the redirect guard, the body cap, status → error, JSON, and
// causes rebuilt token-free. Failures come back as an Outcome for the retry loop to judge; only the caller's
// own abort is thrown, with the caller's reason.
import { abortable, onAbort } from './abort.js';
import { TokenSourceError, type TokenProvider } from './auth.js';
import { BodyTooLargeError, readText, truncateBody } from './body.js';
import { MeetingHttpError, MeetingInputError, MeetingNetworkError, MeetingResponseError, MeetingTimeoutError, type MeetingError } from './errors.js';
import { parseJson } from './json.js';
import type { SecretSet } from './redact.js';
import { parseRetryAfter, type Outcome, type TokenStep } from './retry.js';
import { redirectSafeFetch, RedirectRefusedError } from './transport.js';

/** What an error answer is read for: Huawei's short `{error_code, error_msg}`; more is not worth reading. */
const ERROR_BODY_BYTES = 64 * 1024;

/** The settings one client (or token source) sends every attempt with. */
export interface RequestPath {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Every secret this path has seen, scrubbed from all it reports. */
  secrets: SecretSet;
}

/** openapi-fetch's answer with `parseAs: 'stream'`: the body untouched for a 2xx, the error body read. */
export interface SentRequest {
  response: Response;
  data?: unknown;
  error?: unknown;
}

export interface Call<T> {
  /** The spec's operationId, in every error. */
  operation: string;
  /** Sends the request through openapi-fetch with this attempt's signal, fetch and token. */
  send(attempt: { signal: AbortSignal; fetch: typeof globalThis.fetch; token: string | undefined }): Promise<SentRequest>;
  /** The value of a 2xx body, or what is wrong with it. */
  read(json: unknown): { value: T } | { problem: string } | Promise<{ value: T } | { problem: string }>;
  /** Where the token comes from; none for a sign-in, which carries its own credentials. */
  tokens?: TokenProvider | undefined;
  /** The caller's signal: its abort ends the call at once, at any stage, with its reason. */
  signal?: AbortSignal | undefined;
}

type Stage = 'waiting for the token' | 'waiting for the answer' | 'reading the body';

export async function attempt<T>(path: RequestPath, call: Call<T>, attempts: number, step: TokenStep): Promise<Outcome<T>> {
  const { operation, signal: callerSignal } = call;
  if (callerSignal?.aborted) throw callerSignal.reason;
  const context = { operation, attempts };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`timed out after ${path.timeoutMs} ms`, 'TimeoutError'));
  }, path.timeoutMs);
  const unsubscribe = callerSignal ? onAbort(callerSignal, () => controller.abort(callerSignal.reason)) : undefined;
  const { signal } = controller;
  let token: string | undefined;
  let stage: Stage = 'waiting for the token';
  let status = 0;
  const scrub = (text: string) => path.secrets.scrub(text, token);
  /** A failure at `stage`: the caller's abort is thrown; everything else becomes an outcome. */
  const failed = (cause: unknown): Outcome<T> => {
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (timedOut) return { error: new MeetingTimeoutError(path.timeoutMs, context, stage), sentToken: token };
    if (cause instanceof BodyTooLargeError) {
      controller.abort(cause);
      const message = `${operation}: ${cause.message}; raise maxResponseBytes (up to 1 GiB) if the answer is legitimately this large`;
      return { error: new MeetingResponseError(message, { status, body: '' }, context) };
    }
    if (cause instanceof RedirectRefusedError) {
      return { error: new MeetingResponseError(`${operation}: ${cause.message}`, { status: cause.status, body: '' }, context), sentToken: token };
    }
    const detail = scrub(describeCause(cause));
    const message = `${operation}: ${stage === 'reading the body' ? 'the answer was cut off' : `the request to ${path.baseUrl} failed`}: ${detail}`;
    return { error: new MeetingNetworkError(message, { ...context, cause: path.secrets.scrubError(cause, token) }), sentToken: token };
  };

  try {
    if (call.tokens) {
      try {
        const pending = step.reason === 'request' ? call.tokens.current(signal) : call.tokens.refresh(step.rejected, signal);
        token = await abortable(pending, signal);
      } catch (cause) {
        if (callerSignal?.aborted || timedOut) return failed(cause);
        throw tokenFailure(cause, operation, path.secrets);
      }
    }
    stage = 'waiting for the answer';
    let sent: SentRequest;
    try {
      const guarded = redirectSafeFetch(path.fetch, signal);
      const wire: typeof globalThis.fetch = async (input, init) => {
        const response = await guarded(input, init);
        return response.ok ? response : truncateBody(response, ERROR_BODY_BYTES);
      };
      sent = await abortable(call.send({ signal, fetch: wire, token }), signal);
    } catch (cause) {
      return failed(cause);
    }
    const { response } = sent;
    status = response.status;
    if (!response.ok) return { error: httpErrorFrom(response, sent.error, context, scrub), sentToken: token };

    stage = 'reading the body';
    let text: string;
    try {
      text = await abortable(readText(sent.data as ReadableStream<Uint8Array> | undefined, path.maxResponseBytes, response.headers.get('content-length')), signal);
    } catch (cause) {
      return failed(cause);
    }
    const fail = (message: string): Outcome<T> => ({
      error: new MeetingResponseError(`${operation}: ${message}`, { status: response.status, body: scrub(text.slice(0, 1000)) }, context),
    });
    const json = parseJson(text);
    if (json === undefined) return fail('the response body is not JSON');
    const read = await call.read(json);
    return 'problem' in read ? fail(read.problem) : read;
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
  }
}

/** A token function's failure: kind 'input' (nothing was sent), or this package's own error (a sign-in's) as is. */
function tokenFailure(cause: unknown, operation: string, secrets: SecretSet): MeetingError {
  if (cause instanceof TokenSourceError) return new MeetingInputError(`${operation}: ${cause.message}`, { operation, parameter: 'token' });
  if (isMeetingError(cause)) return cause;
  return new MeetingInputError(`${operation}: the token function failed: ${secrets.scrub(describeCause(cause))}`, {
    operation,
    parameter: 'token',
    cause: secrets.scrubError(cause),
  });
}

function isMeetingError(value: unknown): value is MeetingError {
  return (
    value instanceof MeetingInputError ||
    value instanceof MeetingHttpError ||
    value instanceof MeetingNetworkError ||
    value instanceof MeetingTimeoutError ||
    value instanceof MeetingResponseError
  );
}

/**
 * The MeetingHttpError for a non-2xx answer: Huawei's `error_code` and `error_msg` (openapi-fetch has parsed the
 * body when it was JSON), `X-Request-Id` (else the body's `request_id`) and `Retry-After`, every text scrubbed
 * so that no secret the server echoes ends up in the error.
 */
export function httpErrorFrom(response: Response, payload: unknown, context: { operation: string; attempts: number }, scrub: (text: string) => string): MeetingHttpError {
  const parsed = typeof payload === 'string' ? parseJson(payload) : payload;
  const body = (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? scrub(value.slice(0, 1000)) : undefined);
  return new MeetingHttpError(
    {
      status: response.status,
      errorCode: text(body.error_code),
      errorMsg: text(body.error_msg),
      requestId: text(response.headers.get('X-Request-Id') ?? body.request_id),
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')),
    },
    context,
  );
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return typeof cause === 'string' ? cause : typeof cause;
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}
