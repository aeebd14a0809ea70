// What the client does on the wire besides the API itself: which base URLs it accepts, how it identifies
// itself, and how it follows redirects without handing the token to another origin.
import { ACCESS_TOKEN_HEADER } from './auth.js';
import { specFacts } from '../generated/spec-facts.js';
import { CLIENT_NAME, CLIENT_VERSION } from './version.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The base URL to send to, without its trailing slash, or an Error whose message says what is wrong (and is
 * safe to show: a password in the URL is never repeated). https anywhere; plain http only on this machine
 * (mocks, tests), where nothing can listen in.
 */
export function checkBaseUrl(baseUrl: string): string {
  const example = specFacts.servers[0];
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`must be an absolute https URL such as ${example}, got ${JSON.stringify(baseUrl.slice(0, 100))}`);
  }
  if (url.username || url.password) {
    throw new Error(
      'must not hold a user name or password (it would be sent and shown in errors); ' +
        `got one for ${url.host}. The API authenticates with the token`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`must use https, got ${JSON.stringify(url.protocol)}`);
  if (url.protocol === 'http:' && !isLoopback(url)) {
    throw new Error(
      'must use https: plain http would send the access token in clear text ' +
        `(allowed only on loopback: localhost, 127.0.0.0/8, ::1), got ${url.origin}`,
    );
  }
  if (url.search || url.hash)
    throw new Error(
      `must not have a query or fragment, got ${JSON.stringify(url.origin + url.pathname + url.search + url.hash)}`,
    );
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** Whether `url` is on this machine (localhost, 127.0.0.0/8, ::1): mocks and tests, where nothing listens in. */
export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}

/** `User-Agent` for Node.js; browsers set their own and forbid changing it. */
export function userAgentHeader(): Record<string, string> {
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  return node ? { 'User-Agent': `${CLIENT_NAME}/${CLIENT_VERSION} node/${node}` } : {};
}

/** A redirect the client will not follow; the client reports it as kind `'response'`. */
export class RedirectRefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * The part of Request that openapi-fetch and this client's middleware use. In Node.js each real Request
 * costs tens of microseconds to build, and fetch(request) builds another; listOngoingMeetings passes this
 * class to openapi-fetch instead, and the fetch below sends `(url, init)` like a plain fetch call would.
 */
export class LiteRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect;
  /** The serialised body (openapi-fetch passes a string), sent as is and again on a 307/308. */
  readonly body: BodyInit | null;
  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = init.method ?? 'GET';
    this.headers = new Headers(init.headers);
    this.signal = init.signal ?? undefined;
    this.redirect = init.redirect ?? 'follow';
    this.body = init.body ?? null;
  }
  /** A real Request, for middleware that needs one. */
  clone(): Request {
    return new Request(this.url, {
      method: this.method,
      headers: this.headers,
      redirect: this.redirect,
      body: this.body,
      ...(this.signal ? { signal: this.signal } : {}),
    });
  }
}

/**
 * Wraps fetch so that redirects are followed by hand: same-origin ones with the token, up to 5 hops;
 * one to another origin is refused, because fetch would otherwise carry X-Access-Token along
 * (fetch strips only Authorization and Cookie on a cross-origin redirect).
 *
 * The request's own signal is set on every hop sent, as a strong reference: a Request copied from a Request
 * follows its parent's signal only through a weak reference, so once an intermediate copy is garbage-collected
 * an abort (the client's timeout) would no longer reach the request on the wire. `onAnswer` sees the final answer.
 */
export function redirectSafeFetch(
  fetchImpl: typeof fetch,
  onAnswer: (response: Response) => Response = (response) => response,
): typeof fetch {
  return async (input, init) => {
    const first = input instanceof LiteRequest || input instanceof Request ? input : new Request(input, init);
    const abortSignal = first.signal ?? undefined;
    let { url, method } = first;
    const headers = first.headers;
    let body = first instanceof LiteRequest ? first.body : first.body ? await first.arrayBuffer() : null;
    for (let hop = 0; ; hop++) {
      const response = await fetchImpl(url, {
        method,
        headers,
        redirect: 'manual',
        ...(body !== null ? { body } : {}),
        ...(abortSignal ? { signal: abortSignal } : {}),
      });
      if (response.type === 'opaqueredirect') {
        throw new RedirectRefusedError(
          'the server redirected and this runtime hides the target, so the redirect was not followed',
          0,
        );
      }
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return onAnswer(response);
      await response.body?.cancel().catch(() => undefined);
      const from = new URL(url);
      const target = new URL(location, from);
      if (target.origin !== from.origin) {
        throw new RedirectRefusedError(
          `the server redirected to another origin (${target.origin}); not followed, so that the credentials ` +
            `(${ACCESS_TOKEN_HEADER}, Authorization) stay with ${from.origin}. Point baseUrl at the right host instead`,
          response.status,
        );
      }
      if (hop + 1 > MAX_REDIRECTS)
        throw new RedirectRefusedError(`more than ${MAX_REDIRECTS} redirects`, response.status);
      // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do; 307/308 keep both.
      if (response.status === 303 || (method === 'POST' && (response.status === 301 || response.status === 302))) {
        method = 'GET';
        body = null;
        headers.delete('content-type');
      }
      url = target.href;
    }
  };
}
