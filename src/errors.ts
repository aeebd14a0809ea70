import { parseJson } from './json.js';
import { parseRetryAfter } from './retry.js';

/** What went wrong, in one word: the `kind` of every {@link MeetingClientError}. */
export type MeetingErrorKind = 'input' | 'http' | 'network' | 'timeout' | 'response';

export interface MeetingClientErrorOptions {
  /** The operation that failed, as the spec's operationId (for example `listOngoingMeetings`). */
  operation: string;
  /** How many requests were sent; 0 when the input was refused before sending. */
  attempts: number;
  cause?: unknown;
}

/**
 * Base class of every error the client throws. Catch it and switch on `kind`.
 * Its message, fields and `cause` never hold the access token.
 */
export class MeetingClientError extends Error {
  readonly kind: MeetingErrorKind;
  readonly operation: string;
  readonly attempts: number;

  constructor(kind: MeetingErrorKind, message: string, options: MeetingClientErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.operation = options.operation;
    this.attempts = options.attempts;
  }

  toJSON(): Record<string, unknown> {
    const { cause: _cause, stack: _stack, ...fields } = this;
    return { ...fields, name: this.name, message: this.message };
  }
}

/** A query value outside what the spec allows. Nothing was sent. */
export class MeetingInputError extends MeetingClientError {
  /** The offending parameter, when one parameter is to blame. */
  readonly parameter: string | undefined;
  constructor(message: string, options: Omit<MeetingClientErrorOptions, 'attempts'> & { parameter?: string }) {
    super('input', message, { ...options, attempts: 0 });
    this.parameter = options.parameter;
  }
}

/** Huawei answered with a non-2xx status. */
export class MeetingHttpError extends MeetingClientError {
  readonly status: number;
  /** Huawei's `error_code`, for example `USG.000000004`; undefined when the body had none. */
  readonly errorCode: string | undefined;
  /** Huawei's `error_msg`; undefined when the body had none. */
  readonly errorMsg: string | undefined;
  /** From the `X-Request-Id` response header (else the body's `request_id`): quote it to Huawei support. */
  readonly requestId: string | undefined;
  /** The wait the server asked for with `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    fields: {
      status: number;
      errorCode?: string | undefined;
      errorMsg?: string | undefined;
      requestId?: string | undefined;
      retryAfterMs?: number | undefined;
    },
    options: MeetingClientErrorOptions,
  ) {
    const detail = [fields.errorCode, fields.errorMsg].filter(Boolean).join(' ');
    const tries = options.attempts > 1 ? ` after ${options.attempts} attempts` : '';
    super('http', `${options.operation} failed with HTTP ${fields.status}${tries}${detail ? `: ${detail}` : ''}`, options);
    this.status = fields.status;
    this.errorCode = fields.errorCode;
    this.errorMsg = fields.errorMsg;
    this.requestId = fields.requestId;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** The request did not get an answer: DNS, connection refused or reset, TLS. */
export class MeetingNetworkError extends MeetingClientError {
  constructor(message: string, options: MeetingClientErrorOptions) {
    super('network', message, options);
  }
}

/** No complete answer within `timeoutMs`. */
export class MeetingTimeoutError extends MeetingClientError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options: MeetingClientErrorOptions) {
    super('timeout', `${options.operation} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

/** A 2xx answer that is not what the spec promises (not JSON, or not a page). */
export class MeetingResponseError extends MeetingClientError {
  readonly status: number;
  /** The first bytes of the body, for diagnosis. */
  readonly bodySnippet: string;
  constructor(message: string, fields: { status: number; body: string }, options: MeetingClientErrorOptions) {
    const bodySnippet = fields.body.slice(0, 200);
    super('response', `${message} (HTTP ${fields.status}; body starts: ${JSON.stringify(bodySnippet)})`, options);
    this.status = fields.status;
    this.bodySnippet = bodySnippet;
  }
}

/**
 * The MeetingHttpError for a non-2xx answer: Huawei's `error_code` and `error_msg` (openapi-fetch has already
 * parsed the body when it was JSON), `X-Request-Id` (else the body's `request_id`) and `Retry-After`, every text
 * passed through `scrub` so that no secret the server echoes ends up in the error.
 */
export function httpErrorFrom(response: Response, payload: unknown, options: MeetingClientErrorOptions, scrub: (text: string) => string): MeetingHttpError {
  const parsed = typeof payload === 'string' ? parseJson(payload) : payload;
  const body = (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? scrub(value) : undefined);
  return new MeetingHttpError(
    {
      status: response.status,
      errorCode: text(body.error_code),
      errorMsg: text(body.error_msg),
      requestId: text(response.headers.get('X-Request-Id') ?? body.request_id),
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')),
    },
    options,
  );
}
