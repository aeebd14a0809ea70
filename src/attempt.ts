// The single attempt that every request goes through (the list call and each sign-in): the deadline (token
// included), the caller's abort at any stage, the redirect guard, the body cap, status → error, JSON, and
// causes rebuilt token-free. Failures come back as an Outcome for the retry loop to judge; only the caller's
// own abort is thrown, with the caller's reason.
import { onAbort } from './abort.js';
import { TokenSourceError, type TokenProvider } from './auth.js';
import { BodyTooLargeError, limitBody, readText } from './body.js';
import {
  describeCause,
  MeetingClientError,
  MeetingHttpError,
  MeetingInputError,
  MeetingNetworkError,
  MeetingResponseError,
  MeetingTimeoutError,
  type MeetingError,
} from './errors.js';
import { parseJson } from './json.js';
import { type AttemptRecord, deliver, observed } from './observe.js';
import type { SecretSet } from './redact.js';
import { parseRetryAfter, type Outcome, type RetryOptions, type TokenStep } from './retry.js';
import { redirectSafeFetch, RedirectRefusedError } from './transport.js';

/** What an error answer is read for: Huawei's short `{error_code, error_msg}`; more is not worth reading. */
const ERROR_BODY_BYTES = 64 * 1024;
/** The answer header Huawei support asks for. */
const REQUEST_ID_HEADER = 'X-Request-Id';

/** The settings one client (or token source) sends every attempt with. */
export interface RequestPath {
  baseUrl: string;
  /** The fetch to send with: the redirect guard around the caller's fetch, error bodies cut short. */
  wire: typeof globalThis.fetch;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Every secret this path has seen, scrubbed from all it reports. */
  secrets: SecretSet;
  /** Told of every attempt, besides the diagnostics channel. */
  onAttempt: RetryOptions['onAttempt'];
}

/** What the retry loop learns of an attempt besides its outcome, for records and call metadata. */
export interface AttemptFacts {
  /** Whether anyone listened when the attempt began: only then is a record built. */
  readonly observed: boolean;
  /** The answer's request id, scrubbed when asked (after the body: a token it brought is a secret by then). */
  requestId(): string | undefined;
  /** Publishes the attempt's record with the loop's decision; only when observed. */
  report(error: MeetingError | undefined, retry: AttemptRecord['retry']): void;
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
  send(attempt: {
    signal: AbortSignal;
    fetch: typeof globalThis.fetch;
    token: string | undefined;
  }): Promise<SentRequest>;
  /** The value of a 2xx body, or what is wrong with it. */
  read(json: unknown): Read<T> | Promise<Read<T>>;
  /** Where the token comes from; none for a sign-in, which carries its own credentials. */
  tokens?: TokenProvider | undefined;
  /** The caller's signal: its abort ends the call at once, at any stage, with its reason. */
  signal?: AbortSignal | undefined;
}

/** A 2xx body's value, or what is wrong with it (and whether the body must not be quoted: it holds a secret). */
export type Read<T> = { value: T } | { problem: string; withholdBody?: boolean };

type Stage = 'waiting for the token' | 'waiting for the answer' | 'reading the body';

/** The caller's fetch, else the global one looked up at each call (a polyfill or test double set later counts). */
export function fetchOrGlobal(custom: typeof globalThis.fetch | undefined): typeof globalThis.fetch {
  return custom ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
}

/**
 * The path every attempt of a client or token source sends through: its fetch behind the redirect guard, with
 * error bodies cut short. Made once per client or token source.
 */
export function requestPath(
  settings: {
    baseUrl: string;
    fetch: typeof globalThis.fetch | undefined;
    timeoutMs: number;
    maxResponseBytes: number;
    onAttempt: RetryOptions['onAttempt'];
  },
  secrets: SecretSet,
): RequestPath {
  return {
    baseUrl: settings.baseUrl,
    wire: redirectSafeFetch(fetchOrGlobal(settings.fetch), (response) =>
      response.ok ? response : limitBody(response, ERROR_BODY_BYTES, 'truncate'),
    ),
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    secrets,
    onAttempt: settings.onAttempt,
  };
}

/**
 * One attempt's state: its deadline, its stage, the token it sent. A class rather than closures, since this
 * runs for every request.
 */
class Attempt<T> implements AttemptFacts {
  readonly controller = new AbortController();
  /** Rejects the wait in progress (see {@link until}); the reason, once stopped. */
  #interrupt: ((reason: unknown) => void) | undefined;
  #stopped: { reason: unknown } | undefined;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly unsubscribe: (() => void) | undefined;
  timedOut = false;
  stage: Stage = 'waiting for the token';
  status = 0;
  token: string | undefined;
  rawRequestId: string | null = null;
  // Read only when observed, so that an unobserved attempt pays for none of it.
  readonly observed: boolean;
  started = 0;
  ended = 0;
  method: string | undefined;
  url: string | undefined;
  bytes: number | undefined;

  constructor(
    readonly path: RequestPath,
    readonly call: Call<T>,
    readonly attempts: number,
    readonly waitedMs: number,
  ) {
    this.observed = observed(path.onAttempt);
    if (this.observed) this.started = performance.now();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.stop(new DOMException(`timed out after ${path.timeoutMs} ms`, 'TimeoutError'));
    }, path.timeoutMs);
    const callerSignal = call.signal;
    this.unsubscribe = callerSignal ? onAbort(callerSignal, () => this.stop(callerSignal.reason)) : undefined;
  }

  stop(reason: unknown): void {
    this.#stopped ??= { reason };
    this.#interrupt?.(reason);
    this.controller.abort(reason);
  }

  /**
   * `work`, or a rejection as soon as this attempt stops (deadline, caller's abort): so a token function, a fetch
   * or a body that ignores the signal cannot hold the call. No listener on any signal: `stop` calls it directly.
   */
  until<V>(work: Promise<V>): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      work.then(resolve, reject); // first: a stop during `work`'s first synchronous step must not leave it unhandled
      if (this.#stopped) return reject(this.#stopped.reason);
      this.#interrupt = reject;
    });
  }

  get context() {
    return { operation: this.call.operation, attempts: this.attempts, waitedMs: this.waitedMs };
  }

  requestId(): string | undefined {
    return this.rawRequestId === null ? undefined : this.scrub(this.rawRequestId.slice(0, 200));
  }

  report(error: MeetingError | undefined, retry: AttemptRecord['retry'], aborted = false): void {
    if (!this.observed) return;
    const { url } = this;
    deliver(
      {
        operation: this.call.operation,
        attempt: this.attempts,
        method: this.method,
        url: url === undefined ? undefined : this.scrub(url),
        status: this.status === 0 ? undefined : this.status,
        requestId: error?.kind === 'http' ? error.requestId : this.requestId(),
        durationMs: (this.ended || performance.now()) - this.started,
        bytes: this.bytes,
        errorKind: aborted ? 'aborted' : error?.kind,
        retry,
      },
      this.path.onAttempt,
    );
  }

  /** The path's fetch, noting what is sent: for an observed attempt only. */
  sending(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input as { url?: string; method?: string };
    this.url = typeof input === 'string' ? input : input instanceof URL ? input.href : request.url;
    this.method = request.method ?? init?.method ?? 'GET';
    return this.path.wire(input, init);
  }

  scrub(text: string): string {
    return this.path.secrets.scrub(text, this.token);
  }

  /** A failure at the current stage: the caller's abort is thrown; everything else becomes an outcome. */
  failed(cause: unknown): Outcome<T> {
    const { call, path, token, stage } = this;
    if (call.signal?.aborted) {
      this.ended = performance.now();
      this.report(undefined, undefined, true);
      throw call.signal.reason;
    }
    if (this.timedOut) return { error: new MeetingTimeoutError(path.timeoutMs, this.context, stage), sentToken: token };
    if (cause instanceof BodyTooLargeError) {
      this.stop(cause);
      const message =
        `${call.operation}: ${cause.message}; ` +
        'raise maxResponseBytes (up to 1 GiB) if the answer is legitimately this large';
      return { error: new MeetingResponseError(message, { status: this.status, body: '' }, this.context) };
    }
    if (cause instanceof RedirectRefusedError) {
      return {
        error: new MeetingResponseError(
          `${call.operation}: ${cause.message}`,
          { status: cause.status, body: '' },
          this.context,
        ),
        sentToken: token,
      };
    }
    const detail = this.scrub(describeCause(cause));
    const what = stage === 'reading the body' ? 'the answer was cut off' : `the request to ${path.baseUrl} failed`;
    const message = `${call.operation}: ${what}: ${detail}`;
    return {
      error: new MeetingNetworkError(message, { ...this.context, cause: path.secrets.scrubError(cause, token) }),
      sentToken: token,
    };
  }

  /** A 2xx whose body is not what the operation expects. */
  unreadable(message: string, text: string): Outcome<T> {
    return {
      error: new MeetingResponseError(
        `${this.call.operation}: ${message}`,
        { status: this.status, body: this.scrub(text.slice(0, 1000)) },
        this.context,
      ),
    };
  }

  /** The attempt's outcome, carrying its facts (see {@link AttemptFacts}). */
  done(outcome: Outcome<T>): Outcome<T> {
    if (this.observed) this.ended = performance.now();
    outcome.facts = this;
    return outcome;
  }

  async run(step: TokenStep): Promise<Outcome<T>> {
    const { call, path, controller } = this;
    const { tokens } = call;
    try {
      if (tokens) {
        try {
          if (step.reason === 'request' && tokens.fixed !== undefined) this.token = tokens.fixed;
          else
            this.token = await this.until(
              step.reason === 'request'
                ? tokens.current(controller.signal)
                : tokens.refresh(step.rejected, controller.signal),
            );
        } catch (cause) {
          if (call.signal?.aborted || this.timedOut) return this.done(this.failed(cause));
          const failure = tokenFailure(cause, call.operation, path.secrets);
          this.report(failure, undefined);
          throw failure;
        }
      }
      try {
        return this.done(await this.until(this.exchange()));
      } catch (cause) {
        return this.done(this.failed(cause));
      }
    } finally {
      clearTimeout(this.timer);
      this.unsubscribe?.();
    }
  }

  /** Sends, and reads the answer; what it throws is judged by {@link failed} at the stage it reached. */
  async exchange(): Promise<Outcome<T>> {
    const { call, path, controller } = this;
    this.stage = 'waiting for the answer';
    const fetch = this.observed
      ? (input: RequestInfo | URL, init?: RequestInit) => this.sending(input, init)
      : path.wire;
    const sent = await call.send({ signal: controller.signal, fetch, token: this.token });
    const { response } = sent;
    this.status = response.status;
    this.rawRequestId = response.headers.get(REQUEST_ID_HEADER);
    if (!response.ok) {
      if (this.observed) this.bytes = declaredLength(response);
      return {
        error: httpErrorFrom(response, sent.error, this.context, (text) => this.scrub(text)),
        sentToken: this.token,
      };
    }
    this.stage = 'reading the body';
    const body = sent.data as ReadableStream<Uint8Array> | undefined;
    const text = await readText(response, body, path.maxResponseBytes, this.observed ? this : undefined);
    const json = parseJson(text);
    if (json === undefined) return this.unreadable('the response body is not JSON', text);
    const pending = call.read(json);
    const read = pending instanceof Promise ? await pending : pending;
    return 'problem' in read ? this.unreadable(read.problem, read.withholdBody ? '' : text) : read;
  }
}

/** Attempt number `attempts` of `call`, after `waitedMs` of waiting between the attempts before it. */
export function attempt<T>(
  path: RequestPath,
  call: Call<T>,
  attempts: number,
  step: TokenStep,
  waitedMs: number,
): Promise<Outcome<T>> {
  if (call.signal?.aborted) return Promise.reject(call.signal.reason);
  return new Attempt(path, call, attempts, waitedMs).run(step);
}

/** An answer's declared length, when it states a usable one. */
function declaredLength(response: Response): number | undefined {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  return Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
}

/** A token function's failure: kind 'input' (nothing was sent), or this package's own error (a sign-in's) as is. */
function tokenFailure(cause: unknown, operation: string, secrets: SecretSet): MeetingError {
  if (cause instanceof TokenSourceError)
    return new MeetingInputError(`${operation}: ${cause.message}`, { operation, parameter: 'token' });
  if (cause instanceof MeetingClientError) return cause;
  return new MeetingInputError(`${operation}: the token function failed: ${secrets.scrub(describeCause(cause))}`, {
    operation,
    parameter: 'token',
    cause: secrets.scrubError(cause),
  });
}

/**
 * The MeetingHttpError for a non-2xx answer: Huawei's `error_code` and `error_msg` (openapi-fetch has parsed the
 * body when it was JSON), `X-Request-Id` (else the body's `request_id`) and `Retry-After`, every text scrubbed
 * so that no secret the server echoes ends up in the error.
 */
export function httpErrorFrom(
  response: Response,
  payload: unknown,
  context: { operation: string; attempts: number; waitedMs?: number },
  scrub: (text: string) => string,
): MeetingHttpError {
  const parsed = typeof payload === 'string' ? parseJson(payload) : payload;
  const body = (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {}) as Record<
    string,
    unknown
  >;
  const text = (value: unknown) => (typeof value === 'string' ? scrub(value.slice(0, 1000)) : undefined);
  return new MeetingHttpError(
    {
      status: response.status,
      errorCode: text(body.error_code),
      errorMsg: text(body.error_msg),
      requestId: text(response.headers.get(REQUEST_ID_HEADER) ?? body.request_id),
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')),
    },
    context,
  );
}
