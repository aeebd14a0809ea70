import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { specFacts } from '../generated/spec-facts.js';
import { accessTokenMiddleware, ACCESS_TOKEN_HEADER, tokenProvider, TokenSourceError, type TokenProvider, type TokenSource } from './auth.js';
import {
  httpErrorFrom,
  MeetingClientError,
  MeetingHttpError,
  MeetingInputError,
  MeetingNetworkError,
  MeetingResponseError,
  MeetingTimeoutError,
} from './errors.js';
import { walkMeetings, walkPages, walkSettings, type PaginationOptions } from './pagination.js';
import { parseJson } from './json.js';
import { checkQuery } from './query.js';
import { SecretSet } from './redact.js';
import { backoffDelay, isRetryable, retryPolicy, sleep, type RetryOptions } from './retry.js';
import { checkBaseUrl, LiteRequest, redirectSafeFetch, RedirectRefusedError, userAgentHeader } from './transport.js';
import type { ConferenceInfo, OngoingMeetingsPage, OngoingMeetingsQuery } from './types.js';
import { checkPageShape, loadPageValidator, type PageValidator } from './validation.js';

export interface MeetingClientOptions extends RetryOptions {
  /**
   * The access token (`accessToken` from Huawei's App ID authentication), or a function returning one,
   * called before every request and once more after a 401. Omit it only when a proxy in front of Huawei
   * adds `X-Access-Token`.
   */
  token?: TokenSource;
  /** Default: the spec's first server, `https://api.meeting.huaweicloud.com`. Plain http only for loopback. */
  baseUrl?: string;
  /** A `fetch` to use instead of the global one (for tests, proxies, instrumentation). */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds one attempt may take, headers and body, before it fails with kind `'timeout'`. Default 30000. */
  timeoutMs?: number;
  /** Validate every page against the spec's schemas (kind `'response'` when one does not match). Default false. */
  validateResponses?: boolean;
}

export interface RequestOptions {
  /** Cancels the call, including a wait between retries; it then rejects with the signal's own reason. */
  signal?: AbortSignal;
}

export interface MeetingClient {
  /** One page of ongoing meetings. Throws a `MeetingClientError` (see errors.ts) on any failure. */
  listOngoingMeetings(query?: OngoingMeetingsQuery, options?: RequestOptions): Promise<OngoingMeetingsPage>;
  /** Every ongoing meeting, page after page, each once. `query.limit` is replaced by `pageSize`. */
  ongoingMeetings(query?: Omit<OngoingMeetingsQuery, 'limit'>, options?: PaginationOptions): AsyncIterable<ConferenceInfo>;
  /** Every page, each holding only meetings not seen on an earlier page. */
  ongoingMeetingPages(query?: Omit<OngoingMeetingsQuery, 'limit'>, options?: PaginationOptions): AsyncIterable<OngoingMeetingsPage>;
  /** The underlying openapi-fetch client (token, User-Agent and redirect guard included) for `{ data, error }`. */
  readonly raw: Client<paths>;
}

const OPERATION = 'listOngoingMeetings';
const listOperation = specFacts.operations.listOngoingMeetings;
const DEFAULT_TIMEOUT_MS = 30_000;

type AttemptOutcome = { page: OngoingMeetingsPage } | { error: MeetingClientError; sentToken: string | undefined };

export function createMeetingClient(options: MeetingClientOptions = {}): MeetingClient {
  const baseUrl = checkBaseUrl(options.baseUrl ?? specFacts.servers[0], specFacts.servers[0]);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`timeoutMs must be a positive integer number of milliseconds, got ${String(timeoutMs)}`);
  }
  if (options.token !== undefined && typeof options.token !== 'string' && typeof options.token !== 'function') {
    throw new TypeError(`token must be a string or a function returning one, got ${typeof options.token}`);
  }
  if (options.token === '') {
    throw new TypeError('token must not be empty: pass the accessToken from App ID authentication, or omit token when a proxy adds it');
  }
  const retry = retryPolicy(options);
  const secrets = new SecretSet();
  const tokens: TokenProvider | undefined = options.token === undefined ? undefined : tokenProvider(options.token, secrets);
  let validator: Promise<PageValidator> | undefined;

  const baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const clientOptions = { baseUrl, fetch: redirectSafeFetch(baseFetch), headers: userAgentHeader() };
  // `raw` is for callers: it adds the token itself. The methods use their own client without middleware,
  // since they set the token per attempt (and refresh it after a 401).
  const raw = createClient<paths>(clientOptions);
  if (tokens) raw.use(accessTokenMiddleware(tokens));
  const core = createClient<paths>(clientOptions);

  /** One request; every failure comes back as a MeetingClientError, never thrown, so the loop can decide. */
  async function attempt(query: OngoingMeetingsQuery, token: string | undefined, attempts: number, callerSignal?: AbortSignal): Promise<AttemptOutcome> {
    const context = { operation: OPERATION, attempts };
    // A fresh deadline per attempt; a plain timer, cleared as soon as the attempt ends.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
    const headers = token === undefined ? {} : { [ACCESS_TOKEN_HEADER]: token };
    let result;
    try {
      // The signal also goes straight to the guard: see redirectSafeFetch for why.
      result = await core.GET(listOperation.path, {
        params: { query },
        headers,
        signal,
        parseAs: 'text',
        Request: LiteRequest as unknown as typeof Request,
        fetch: redirectSafeFetch(baseFetch, signal),
      });
    } catch (cause) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timeout.signal.aborted) return { error: new MeetingTimeoutError(timeoutMs, context), sentToken: token };
      if (cause instanceof RedirectRefusedError) {
        return { error: new MeetingResponseError(`${OPERATION}: ${cause.message}`, { status: cause.status, body: '' }, context), sentToken: token };
      }
      const detail = secrets.scrub(describeCause(cause));
      const error = new MeetingNetworkError(`${OPERATION}: the request to ${baseUrl} failed: ${detail}`, { ...context, cause: secrets.scrubError(cause) });
      return { error, sentToken: token };
    } finally {
      clearTimeout(timer);
    }

    const { status } = result.response;
    if (!result.response.ok) return { error: httpErrorFrom(result.response, result.error, context, (t) => secrets.scrub(t)), sentToken: token };
    const body = typeof result.data === 'string' ? result.data : '';
    const json = parseJson(body);
    const fail = (message: string) => ({
      error: new MeetingResponseError(`${OPERATION}: ${message}`, { status, body: secrets.scrub(body.slice(0, 1000)) }, context),
      sentToken: token,
    });
    if (json === undefined) return fail('the response body is not JSON');
    const shapeProblem = checkPageShape(json);
    if (shapeProblem) return fail(`the response is not a page: ${shapeProblem}`);
    if (options.validateResponses) {
      validator ??= loadPageValidator();
      const schemaProblem = (await validator)(json);
      if (schemaProblem) return fail(`the page does not match the spec: ${schemaProblem}`);
    }
    return { page: json as OngoingMeetingsPage };
  }

  async function listOngoingMeetings(query: OngoingMeetingsQuery = {}, request: RequestOptions = {}): Promise<OngoingMeetingsPage> {
    assertQuery(query);
    let attempts = 0;
    let retriesLeft = retry.retries;
    let refreshedAfter401 = false;
    let token = tokens && (await obtainToken(() => tokens.current(), secrets));
    for (;;) {
      attempts++;
      const outcome = await attempt(query, token, attempts, request.signal);
      if ('page' in outcome) return outcome.page;
      const { error } = outcome;

      // A 401 with a token function: one fresh token (shared by concurrent calls), one more try.
      if (error instanceof MeetingHttpError && error.status === 401 && tokens?.refreshable && !refreshedAfter401 && outcome.sentToken) {
        refreshedAfter401 = true;
        const rejected = outcome.sentToken;
        token = await obtainToken(() => tokens.refresh(rejected), secrets);
        continue;
      }
      if (retriesLeft === 0 || !isRetryable(error, retry)) throw error;
      const retryAfter = error instanceof MeetingHttpError ? error.retryAfterMs : undefined;
      const delayMs = Math.min(retry.maxDelayMs, retryAfter ?? backoffDelay(attempts, retry));
      if ((await retry.onRetry?.({ attempt: attempts, error, delayMs })) === false) throw error;
      retriesLeft--;
      await sleep(delayMs, request.signal);
      if (tokens) token = await obtainToken(() => tokens.current(), secrets);
    }
  }

  function ongoingMeetingPages(query: Omit<OngoingMeetingsQuery, 'limit'> = {}, pagination: PaginationOptions = {}): AsyncIterable<OngoingMeetingsPage> {
    const settings = walkSettings(pagination, listOperation.query.limit);
    assertQuery(query); // before the first request, so that a bad walk sends nothing
    return walkPages((pageQuery, signal) => listOngoingMeetings(pageQuery, { signal }), query, settings, pagination.signal);
  }

  return {
    listOngoingMeetings,
    ongoingMeetingPages,
    ongoingMeetings: (query, pagination) => walkMeetings(ongoingMeetingPages(query, pagination)),
    raw,
  };
}

/** Throws kind 'input', naming every problem and what is allowed, when the query breaks the spec. */
function assertQuery(query: OngoingMeetingsQuery): void {
  const problems = checkQuery(query as Record<string, unknown>, listOperation.query);
  if (problems.length === 0) return;
  throw new MeetingInputError(`${OPERATION}: ${problems.map((p) => p.problem).join('; ')}`, {
    operation: OPERATION,
    ...(problems.length === 1 ? { parameter: problems[0]!.parameter } : {}),
  });
}

/** Runs the token function; a failure of a plain function becomes kind 'input' (nothing was sent). */
async function obtainToken(get: () => Promise<string>, secrets: SecretSet): Promise<string> {
  try {
    return await get();
  } catch (cause) {
    if (cause instanceof TokenSourceError) throw new MeetingInputError(`${OPERATION}: ${cause.message}`, { operation: OPERATION });
    // A token source of this package (appIdAuth) already says what failed, with the right kind.
    if (cause instanceof MeetingClientError) throw cause;
    const detail = secrets.scrub(describeCause(cause));
    throw new MeetingInputError(`${OPERATION}: the token function failed: ${detail}`, { operation: OPERATION, cause: secrets.scrubError(cause) });
  }
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}
