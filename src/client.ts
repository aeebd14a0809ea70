import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { specFacts } from '../generated/spec-facts.js';
import { attempt, fetchOrGlobal, requestPath, type Call } from './attempt.js';
import {
  accessTokenMiddleware,
  ACCESS_TOKEN_HEADER,
  tokenProvider,
  type TokenProvider,
  type TokenSource,
} from './auth.js';
import { limitBody } from './body.js';
import { MeetingInputError } from './errors.js';
import {
  clientOptionTable,
  paginationOptionTable,
  requestOptionTable,
  resolveOptions,
  type SameKeys,
  WATCH_INTERVAL_FLOOR_MS,
  watchOptionTable,
} from './options.js';
import { walkMeetings, walkPages, walkSettings, type PaginationOptions } from './pagination.js';
import { checkQuery } from './query.js';
import { SECRETS, SecretSet } from './redact.js';
import { BackoffGate, retrying, type RetryOptions } from './retry.js';
import { isLoopback, LiteRequest, redirectSafeFetch, userAgentHeader } from './transport.js';
import type { ConferenceInfo, OngoingMeetingsPage, OngoingMeetingsQuery, SpecQuery } from './types.js';
import { checkPageShape, loadPageValidator, type PageValidator } from './validation.js';
import { type Poll, type WatchEvent, type WatchOptions, watchMeetings } from './watch.js';

/**
 * Options of {@link createMeetingClient}: where to send requests, the token, and the limits of each call. Each is
 * checked, and an unknown or misspelt one refused, naming the closest valid one. Retries: {@link RetryOptions}.
 */
export interface MeetingClientOptions extends RetryOptions {
  /**
   * The access token (`accessToken` from Huawei's App ID or account authentication), or a function returning
   * one, called before every request and once more after a 401. Omit it only when a proxy in front of Huawei
   * adds `X-Access-Token`. Surrounding whitespace is removed; control characters and non-Latin-1 text are refused.
   */
  token?: TokenSource | undefined;
  /** Default: the spec's first server, `https://api.meeting.huaweicloud.com`. Plain http only for loopback. */
  baseUrl?: string | undefined;
  /** A `fetch` to use instead of the global one (for tests, proxies, instrumentation). */
  fetch?: typeof globalThis.fetch | undefined;
  /**
   * Milliseconds one attempt may take (getting the token, headers and body) before it fails with kind `'timeout'`.
   * Default 30000.
   */
  timeoutMs?: number | undefined;
  /** Largest response body read, once decoded; past it the call fails with kind `'response'`. Default 16 MiB. */
  maxResponseBytes?: number | undefined;
  /** Validate every page against the spec's schemas (kind `'response'` when one does not match). Default false. */
  validateResponses?: boolean | undefined;
}

/** Options of one call of {@link MeetingClient.listOngoingMeetings}. */
export interface RequestOptions {
  /**
   * Cancels the call at whatever stage it is, including a wait between retries; it then rejects with the signal's own
   * reason.
   */
  signal?: AbortSignal | undefined;
}

/**
 * What {@link createMeetingClient} returns: one method per way of reading the ongoing list. Every method checks its
 * query against the spec before sending, and throws (or ends the iteration with) a {@link MeetingError}.
 */
export interface MeetingClient {
  /** One page of ongoing meetings. Throws a `MeetingError` (see errors.ts) on any failure. */
  listOngoingMeetings(query?: OngoingMeetingsQuery, options?: RequestOptions): Promise<OngoingMeetingsPage>;
  /** Every ongoing meeting, page after page, each once. Set the page size with `pageSize`, not `query.limit`. */
  ongoingMeetings(
    query?: Omit<OngoingMeetingsQuery, 'limit'>,
    options?: PaginationOptions,
  ): AsyncIterable<ConferenceInfo>;
  /** Every page, each holding only meetings not seen on an earlier page. */
  ongoingMeetingPages(
    query?: Omit<OngoingMeetingsQuery, 'limit'>,
    options?: PaginationOptions,
  ): AsyncIterable<OngoingMeetingsPage>;
  /**
   * Watches the ongoing list: a `snapshot` of every meeting in scope, then `started`, `changed` and `ended` as
   * successive polls find them, `synced` after each poll, `error` when a poll failed and the watch goes on.
   * Ends (rejects) on an error no later poll can heal (401 after a refresh, 403, bad input), or on abort.
   */
  watchOngoingMeetings(
    query?: Omit<OngoingMeetingsQuery, 'limit' | 'offset'>,
    options?: WatchOptions,
  ): AsyncIterable<WatchEvent>;
  /**
   * The underlying openapi-fetch client for `{ data, error }`, with the token, User-Agent, redirect guard and body
   * cap; no input checks, deadline or retries.
   */
  readonly raw: Client<paths>;
}

// The interface documents each option; the table in options.ts checks and defaults it. They name the same options.
const sameOptions: SameKeys<Required<MeetingClientOptions>, typeof clientOptionTable> = true;
void sameOptions;

const list = specFacts.operations.listOngoingMeetings;
/** The default of a call's options: nothing to check. */
const NO_OPTIONS: RequestOptions = Object.freeze({});
const LIST = 'listOngoingMeetings';

/**
 * Creates a client of the ongoing meeting list. Nothing is sent until a method is called.
 *
 * @param options - The token, the server and the limits; every option has a default.
 * @returns The client; its `raw` property is the underlying openapi-fetch client.
 * @throws {@link MeetingInputError} when an option is unknown or out of bounds (its `parameter` names it).
 * @example
 * ```ts
 * const client = createMeetingClient({ token: async () => getAccessToken() });
 * for await (const meeting of client.ongoingMeetings({ queryAll: true }, { concurrency: 4 })) {
 *   console.log(meeting.conferenceID, meeting.subject);
 * }
 * ```
 */
export function createMeetingClient(options: MeetingClientOptions = {}): MeetingClient {
  const settings = resolveOptions('createMeetingClient', clientOptionTable, options);
  const secrets = new SecretSet();
  const tokens: TokenProvider | undefined =
    settings.token === undefined ? undefined : tokenProvider(settings.token as TokenSource, secrets);
  if (typeof settings.token === 'string') secrets.add(settings.token.trim());
  const signInSecrets = (settings.token as { [SECRETS]?: SecretSet } | undefined)?.[SECRETS];
  if (signInSecrets instanceof SecretSet) secrets.link(signInSecrets); // a password a list server echoes is scrubbed
  const path = requestPath(settings, secrets);
  const gate = new BackoffGate();
  const headers = userAgentHeader();
  const core = createClient<paths>({ baseUrl: settings.baseUrl, headers });
  let validator: Promise<PageValidator> | undefined;

  // `raw` is for callers: it adds the token itself, and caps bodies as the methods do.
  const capped = redirectSafeFetch(fetchOrGlobal(settings.fetch), (response) =>
    limitBody(response, settings.maxResponseBytes, 'fail'),
  );
  const raw = createClient<paths>({ baseUrl: settings.baseUrl, headers, fetch: (input: Request) => capped(input) });
  if (tokens) raw.use(accessTokenMiddleware(tokens));

  const readPage = (json: unknown) => {
    const shapeProblem = checkPageShape(json);
    if (shapeProblem) return { problem: `the response is not a page: ${shapeProblem}` };
    if (!settings.validateResponses) return { value: json as OngoingMeetingsPage };
    validator ??= loadPageValidator();
    return validator.then((validate) => {
      const schemaProblem = validate(json);
      return schemaProblem
        ? { problem: `the page does not match the spec: ${schemaProblem}` }
        : { value: json as OngoingMeetingsPage };
    });
  };

  /** A checked query, through the one retry loop and the one attempt. */
  function fetchPage(query: OngoingMeetingsQuery, signal: AbortSignal | undefined): Promise<OngoingMeetingsPage> {
    const call: Call<OngoingMeetingsPage> = {
      operation: LIST,
      tokens,
      signal,
      read: readPage,
      send: ({ signal: attemptSignal, fetch, token }) =>
        core.GET(list.path, {
          params: { query: query as SpecQuery }, // openapi-fetch leaves an undefined value out of the URL
          ...(token === undefined ? {} : { headers: { [ACCESS_TOKEN_HEADER]: token } }),
          signal: attemptSignal,
          parseAs: 'stream',
          Request: LiteRequest as unknown as typeof Request,
          fetch,
        }),
    };
    return retrying(settings, gate, { signal, refreshable: tokens?.refreshable ?? false, secrets }, (n, step, waited) =>
      attempt(path, call, n, step, waited),
    );
  }

  function listOngoingMeetings(
    query: OngoingMeetingsQuery = {},
    request: RequestOptions = NO_OPTIONS,
  ): Promise<OngoingMeetingsPage> {
    let checked: OngoingMeetingsQuery;
    let signal: AbortSignal | undefined;
    try {
      if (request !== NO_OPTIONS) ({ signal } = resolveOptions(LIST, requestOptionTable, request));
      checked = assertQuery(query);
    } catch (error) {
      return Promise.reject(error); // always a rejection, never a throw, as an async function would
    }
    return fetchPage(checked, signal);
  }

  /** A walk's pages; `method`, the one the caller called, names the walk in an input error. */
  function walkOf(
    method: 'ongoingMeetingPages' | 'ongoingMeetings',
    query: Omit<OngoingMeetingsQuery, 'limit'> = {},
    pagination: PaginationOptions = {},
  ): AsyncIterable<OngoingMeetingsPage> {
    const walk = walkSettings(resolveOptions(method, paginationOptionTable, pagination), method);
    const checked = assertQuery(query, method); // before the first request, so that a bad walk sends nothing
    if (checked.limit !== undefined) {
      throw new MeetingInputError(`${method}: set the page size with the pageSize option, not query.limit`, {
        operation: method,
        parameter: 'limit',
      });
    }
    return walkPages(fetchPage, checked, walk, LIST);
  }

  function watchOngoingMeetings(
    query: Omit<OngoingMeetingsQuery, 'limit' | 'offset'> = {},
    options: WatchOptions = {},
  ): AsyncIterable<WatchEvent> {
    const method = 'watchOngoingMeetings';
    const watch = resolveOptions(method, watchOptionTable, options);
    if (watch.intervalMs < WATCH_INTERVAL_FLOOR_MS && !isLoopback(new URL(settings.baseUrl))) {
      throw new MeetingInputError(
        `${method}: intervalMs must be at least ${WATCH_INTERVAL_FLOOR_MS} ms, ` +
          'so that a watch does not poll Huawei in a ' +
          `tight loop (only a server on this machine may be polled faster), got ${watch.intervalMs}`,
        { operation: method, parameter: 'intervalMs' },
      );
    }
    const checked = assertQuery(query, method);
    for (const parameter of ['limit', 'offset'] as const) {
      if (checked[parameter] !== undefined) {
        throw new MeetingInputError(`${method}: a watch covers the whole list: leave out query.${parameter}`, {
          operation: method,
          parameter,
        });
      }
    }
    const walk = walkSettings(
      resolveOptions(method, paginationOptionTable, {
        pageSize: watch.pageSize,
        concurrency: watch.concurrency,
        ...(watch.overlap !== undefined ? { overlap: watch.overlap } : {}),
      }),
      method,
      1,
    );
    const poll: Poll = (signal, observer) => walkPages(fetchPage, checked, { ...walk, signal }, LIST, observer);
    return watchMeetings(poll, watch);
  }

  return {
    listOngoingMeetings,
    ongoingMeetingPages: (query, pagination) => walkOf('ongoingMeetingPages', query, pagination),
    watchOngoingMeetings,
    ongoingMeetings: (query, pagination) => walkMeetings(walkOf('ongoingMeetings', query, pagination)),
    raw,
  };
}

/**
 * The query to send (only what was checked), or kind 'input' naming every problem and what is allowed; `where` is
 * the method the caller called.
 */
function assertQuery(query: unknown, where: string = LIST): OngoingMeetingsQuery {
  const { problems, checked } = checkQuery(query, list.query);
  if (problems.length === 0) return checked as OngoingMeetingsQuery;
  throw new MeetingInputError(`${where}: ${problems.map((p) => p.problem).join('; ')}`, {
    operation: where,
    ...(problems.length === 1 ? { parameter: problems[0]!.parameter } : {}),
  });
}
