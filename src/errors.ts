// The errors the client throws: one class per `kind`, so that `error.kind === 'http'` narrows to MeetingHttpError.

/** What went wrong, in one word: the `kind` of every {@link MeetingError}. */
export type MeetingErrorKind = MeetingError['kind'];

export interface MeetingErrorOptions {
  /** The operation that failed: the spec's operationId (`listOngoingMeetings`), or the function given bad options. */
  operation: string;
  /** How many requests were sent; 0 when the input was refused before sending. */
  attempts: number;
  /** Milliseconds waited between the attempts (back-off, `Retry-After`, the client's shared hold). Default 0. */
  waitedMs?: number | undefined;
  cause?: unknown;
}

/**
 * The mark every error of this package carries, under a symbol shared by every copy of the package in a process: the
 * ESM and the CommonJS build loaded side by side (the dual-package hazard), or two versions, recognise each other's
 * errors with `instanceof`.
 */
const BRAND = Symbol.for('huawei-meeting-online-client.error');

/** What every error of the client has. Its message, fields and `cause` never hold the access token. */
abstract class MeetingErrorBase extends Error {
  abstract readonly kind: 'input' | 'http' | 'network' | 'timeout' | 'response';
  /** The `kind` this class stands for; undefined for the base, which stands for every kind. */
  static readonly brandKind: MeetingErrorKind | undefined = undefined;

  /** `instanceof` by the shared mark, so that another copy of this package's errors count too. */
  // biome-ignore-start lint/complexity/noThisInStatic: `this` is the class instanceof asks about, a subclass included
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const kind = typeof value === 'object' && value !== null ? (value as { [BRAND]?: unknown })[BRAND] : undefined;
    return typeof kind === 'string' && (this.brandKind === undefined || this.brandKind === kind);
  }
  // biome-ignore-end lint/complexity/noThisInStatic: see above
  /** The operation that failed: the spec's operationId (`listOngoingMeetings`), or the function given bad options. */
  readonly operation: string;
  /** How many requests were sent; 0 when the input was refused before sending. */
  readonly attempts: number;
  /** Milliseconds the call waited between its attempts (back-off, `Retry-After`, the client's shared hold). */
  readonly waitedMs: number;

  constructor(message: string, options: MeetingErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.operation = options.operation;
    this.attempts = options.attempts;
    this.waitedMs = options.waitedMs ?? 0;
    // Non-enumerable: JSON, spreads and deep equality see the fields only.
    Object.defineProperty(this, BRAND, { value: (new.target as typeof MeetingErrorBase).brandKind });
  }

  /** The error's fields, name, kind and message for `JSON.stringify` (never its `cause` or stack). */
  toJSON(): Record<string, unknown> {
    const { cause: _cause, stack: _stack, ...fields } = this;
    return { ...fields, name: this.name, kind: this.kind, message: this.message };
  }
}

/** Bad input (a query value, an option, a token) refused before anything was sent. */
export class MeetingInputError extends MeetingErrorBase {
  /** Always `'input'`: nothing was sent. */
  readonly kind = 'input' as const;
  static override readonly brandKind = 'input' as const;
  /** The query parameter or option to blame, when one is. */
  readonly parameter: string | undefined;
  constructor(
    message: string,
    options: Omit<MeetingErrorOptions, 'attempts'> & { parameter?: string | undefined; attempts?: number },
  ) {
    super(message, { ...options, attempts: options.attempts ?? 0 });
    this.parameter = options.parameter;
  }
}

/** Huawei answered with a non-2xx status. */
export class MeetingHttpError extends MeetingErrorBase {
  /** Always `'http'`. */
  readonly kind = 'http' as const;
  static override readonly brandKind = 'http' as const;
  /** The HTTP status of Huawei's answer (400, 401, 403, 429, 500, …). */
  readonly status: number;
  /** Huawei's `error_code`, for example `USG.000000004`; undefined when the body had none. */
  readonly errorCode: string | undefined;
  /** Huawei's `error_msg`; undefined when the body had none. */
  readonly errorMsg: string | undefined;
  /** From the `X-Request-Id` response header (else the body's `request_id`): quote it to Huawei support. */
  readonly requestId: string | undefined;
  /** The wait the server asked for with `Retry-After`, in milliseconds, when it sent a readable one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    fields: {
      status: number;
      errorCode?: string | undefined;
      errorMsg?: string | undefined;
      requestId?: string | undefined;
      retryAfterMs?: number | undefined;
    },
    options: MeetingErrorOptions,
  ) {
    const detail = [fields.errorCode, fields.errorMsg].filter(Boolean).join(' ');
    const tries = options.attempts > 1 ? ` after ${options.attempts} attempts` : '';
    super(`${options.operation} failed with HTTP ${fields.status}${tries}${detail ? `: ${detail}` : ''}`, options);
    this.status = fields.status;
    this.errorCode = fields.errorCode;
    this.errorMsg = fields.errorMsg;
    this.requestId = fields.requestId;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** The request did not get an answer: DNS, connection refused or reset, TLS, a body cut short. */
export class MeetingNetworkError extends MeetingErrorBase {
  /** Always `'network'`; `cause` holds the underlying error, without the token. */
  readonly kind = 'network' as const;
  static override readonly brandKind = 'network' as const;
}

/** No complete answer (token included) within `timeoutMs`. */
export class MeetingTimeoutError extends MeetingErrorBase {
  /** Always `'timeout'`. */
  readonly kind = 'timeout' as const;
  static override readonly brandKind = 'timeout' as const;
  /** The deadline of the attempt that ran out (the client's `timeoutMs`), in milliseconds. */
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options: MeetingErrorOptions, stage = '') {
    super(`${options.operation} timed out after ${timeoutMs} ms${stage ? ` ${stage}` : ''}`, options);
    this.timeoutMs = timeoutMs;
  }
}

/** An answer that is not what the spec promises: not JSON, not a page, too large, a refused redirect, broken paging. */
export class MeetingResponseError extends MeetingErrorBase {
  /** Always `'response'`; not retried. */
  readonly kind = 'response' as const;
  static override readonly brandKind = 'response' as const;
  /** The HTTP status of the answer that was refused. */
  readonly status: number;
  /** The first bytes of the body, for diagnosis. */
  readonly bodySnippet: string;
  constructor(message: string, fields: { status: number; body: string }, options: MeetingErrorOptions) {
    const bodySnippet = fields.body.slice(0, 200);
    super(
      `${message} (HTTP ${fields.status}${bodySnippet ? `; body starts: ${JSON.stringify(bodySnippet)}` : ''})`,
      options,
    );
    this.status = fields.status;
    this.bodySnippet = bodySnippet;
  }
}

/** Every error the client throws, as a union on `kind`: `switch (error.kind)` narrows to the class. */
export type MeetingError =
  | MeetingInputError
  | MeetingHttpError
  | MeetingNetworkError
  | MeetingTimeoutError
  | MeetingResponseError;

/**
 * The common base of every error the client throws: `error instanceof MeetingClientError` narrows to the
 * {@link MeetingError} union, so that `error.kind === 'http'` then narrows to MeetingHttpError.
 */
export const MeetingClientError = MeetingErrorBase as unknown as abstract new (...args: never[]) => MeetingError;
export type MeetingClientError = MeetingError;
/** Former name of {@link MeetingErrorOptions}. */
export type MeetingClientErrorOptions = MeetingErrorOptions;

/** A thrown value in one line, for a message (scrub it before use: it may quote anything). */
export function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return typeof cause === 'string' ? cause : typeof cause;
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}
