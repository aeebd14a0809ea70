import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { specFacts } from '../generated/spec-facts.js';
import { accessTokenMiddleware, TokenSourceError, type TokenSource } from './auth.js';
import {
  MeetingHttpError,
  MeetingInputError,
  MeetingNetworkError,
  MeetingResponseError,
  MeetingTimeoutError,
} from './errors.js';
import { checkQuery } from './query.js';
import type { MeetingErrorBody, OngoingMeetingsPage, OngoingMeetingsQuery } from './types.js';

export interface MeetingClientOptions {
  /**
   * The access token (`accessToken` from Huawei's App ID authentication), or a function returning one,
   * called before every request. Omit it only when a proxy in front of Huawei adds `X-Access-Token`.
   */
  token?: TokenSource;
  /** Default: the spec's first server, `https://api.meeting.huaweicloud.com`. */
  baseUrl?: string;
  /** A `fetch` to use instead of the global one (for tests, proxies, instrumentation). */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds one request may take, headers and body, before it fails with kind `'timeout'`. Default 30000. */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** Cancels the request; the call then rejects with the signal's own reason. */
  signal?: AbortSignal;
}

export interface MeetingClient {
  /** One page of ongoing meetings. Throws a `MeetingClientError` (see errors.ts) on any failure. */
  listOngoingMeetings(query?: OngoingMeetingsQuery, options?: RequestOptions): Promise<OngoingMeetingsPage>;
  /** The underlying openapi-fetch client (token included) for callers who want `{ data, error }`. */
  readonly raw: Client<paths>;
}

const listOperation = specFacts.operations.listOngoingMeetings;
const DEFAULT_TIMEOUT_MS = 30_000;

export function createMeetingClient(options: MeetingClientOptions = {}): MeetingClient {
  const operation = 'listOngoingMeetings';
  const baseUrl = checkBaseUrl(options.baseUrl ?? specFacts.servers[0]);
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

  const raw = createClient<paths>({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  if (options.token !== undefined) raw.use(accessTokenMiddleware(options.token));

  async function listOngoingMeetings(query: OngoingMeetingsQuery = {}, request: RequestOptions = {}): Promise<OngoingMeetingsPage> {
    const problems = checkQuery(query as Record<string, unknown>, listOperation.query);
    if (problems.length > 0) {
      throw new MeetingInputError(`${operation}: ${problems.map((p) => p.problem).join('; ')}`, {
        operation,
        ...(problems.length === 1 ? { parameter: problems[0]!.parameter } : {}),
      });
    }

    // A plain timer rather than AbortSignal.timeout(): the latter's unref'd timer can be collected
    // together with the signal while fetch only holds it weakly, and then never fires.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
    const context = { operation, attempts: 1 };
    let result;
    try {
      result = await raw.GET(listOperation.path, { params: { query }, signal, parseAs: 'text' });
    } catch (cause) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (cause instanceof TokenSourceError) throw new MeetingInputError(`${operation}: ${cause.message}`, { operation });
      if (timeout.signal.aborted) throw new MeetingTimeoutError(timeoutMs, context);
      throw new MeetingNetworkError(`${operation}: the request to ${baseUrl} failed: ${describeCause(cause)}`, { ...context, cause });
    } finally {
      clearTimeout(timer);
    }

    const { status, headers } = result.response;
    if (!result.response.ok) {
      // openapi-fetch has already tried JSON.parse on error bodies; a string means it was not JSON.
      const payload: unknown = result.error;
      const parsed = typeof payload === 'string' ? parseJson(payload) : payload;
      const errorBody = isObject(parsed) ? (parsed as Partial<MeetingErrorBody>) : {};
      throw new MeetingHttpError(
        {
          status,
          errorCode: stringOrUndefined(errorBody.error_code),
          errorMsg: stringOrUndefined(errorBody.error_msg),
          requestId: headers.get('X-Request-Id') ?? stringOrUndefined(errorBody.request_id),
        },
        context,
      );
    }
    const body: string = typeof result.data === 'string' ? result.data : '';
    const json = parseJson(body);
    if (json === undefined) throw new MeetingResponseError(`${operation}: the response body is not JSON`, { status, body }, context);
    const shapeProblem = pageShapeProblem(json);
    if (shapeProblem) throw new MeetingResponseError(`${operation}: the response is not a page: ${shapeProblem}`, { status, body }, context);
    return json as OngoingMeetingsPage;
  }

  return { listOngoingMeetings, raw };
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL such as ${specFacts.servers[0]}, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`baseUrl must use https (or http), got ${JSON.stringify(url.protocol)}`);
  }
  return baseUrl.replace(/\/+$/, '');
}

/** The minimum the client relies on: without these, a page cannot be read or walked. */
function pageShapeProblem(json: unknown): string | undefined {
  if (!isObject(json)) return `expected an object, got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}`;
  if (!Array.isArray(json.data)) return '"data" is not an array';
  for (const field of ['offset', 'limit', 'count'] as const) {
    if (!Number.isInteger(json[field])) return `"${field}" is not an integer`;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}
