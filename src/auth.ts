// The access token: where it goes, what a usable one looks like, and how the token function is called.
import type { Middleware } from 'openapi-fetch';
import { specFacts } from '../generated/spec-facts.js';
import { abortable, singleFlight } from './abort.js';
import type { SecretSet } from './redact.js';

/** Why, and under which deadline, the token function is being called. */
export interface TokenRequest {
  /** `'request'` before a request; `'unauthorized'` after Huawei answered 401 to the previous token. */
  reason: 'request' | 'unauthorized';
  /**
   * Aborts when the caller gives up or the attempt's deadline passes: stop waiting then. The client stops
   * waiting for the function at that moment either way.
   */
  signal?: AbortSignal;
}

/**
 * An access token, or a function returning one. The function is called before every request, and once
 * more after a 401 (with `reason: 'unauthorized'`, the moment to fetch a new token rather than reuse a cached one).
 */
export type TokenSource = string | ((request: TokenRequest) => string | Promise<string>);

/** The header Huawei reads the access token from: the spec's `AccessToken` security scheme. */
export const ACCESS_TOKEN_HEADER = specFacts.securitySchemes.AccessToken.name;

/** A token function that yielded no usable token; the client turns it into kind `'input'`. */
export class TokenSourceError extends Error {}

const HTTP_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/** What is wrong with a token as a header value (never quoting it), or undefined when it can be sent. */
export function tokenProblem(raw: string): string | undefined {
  const token = raw.replace(HTTP_WHITESPACE, '');
  if (token.length === 0) return 'must not be empty: pass the accessToken from App ID or account authentication';
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    const at = `position ${i + 1} of ${token.length}`;
    if (code < 0x20 || code === 0x7f)
      return `must not contain a control character (CR, LF, NUL, …): found one at ${at}`;
    if (code > 0xff) return `must be Latin-1 text, as HTTP header values are: found a character outside it at ${at}`;
  }
  return undefined;
}

/**
 * The token as it goes on the wire: surrounding whitespace removed (a token read from a file keeps its
 * newline; fetch would strip it anyway, and the secret to redact is what was sent), else a TokenSourceError.
 */
export function normaliseToken(value: unknown): string {
  if (typeof value !== 'string')
    throw new TokenSourceError(
      `the token function must return a non-empty string, got ${value === null ? 'null' : typeof value}`,
    );
  const problem = tokenProblem(value);
  if (problem) throw new TokenSourceError(`the token function returned a token that ${problem}`);
  return value.replace(HTTP_WHITESPACE, '');
}

export interface TokenProvider {
  /** The token for the next request; `signal` ends the wait. */
  current(signal: AbortSignal): Promise<string>;
  /** A fresh token after `rejected` got a 401: one call of the token function for all concurrent requests. */
  refresh(rejected: string, signal: AbortSignal): Promise<string>;
  /** Whether a refresh can give anything new (only a function can). */
  readonly refreshable: boolean;
  /** The token, when it is a fixed string: no call, no wait. */
  readonly fixed: string | undefined;
}

export function tokenProvider(source: TokenSource, secrets: SecretSet): TokenProvider {
  const call = async (reason: TokenRequest['reason'], signal: AbortSignal): Promise<string> => {
    let value: unknown;
    if (typeof source === 'function') {
      // A synchronous throw becomes a rejection; one that never settles is left behind by the attempt's deadline.
      value = await Promise.resolve().then(() => source({ reason, signal }));
    } else {
      value = source;
    }
    if (typeof value === 'string') secrets.add(value); // before any check, so that no message can show it
    const token = normaliseToken(value);
    secrets.add(token);
    return token;
  };
  const refreshOnce = singleFlight((signal) => call('unauthorized', signal));
  // The last successful refresh: a request rejected with a token already replaced gets the replacement.
  let replaced: { rejected: string; token: string } | undefined;
  const fixed = typeof source === 'string' ? normaliseToken(source) : undefined;
  if (fixed !== undefined) secrets.add(fixed);
  return {
    refreshable: typeof source === 'function',
    fixed,
    current: (signal) => call('request', signal),
    async refresh(rejected, signal) {
      if (replaced?.rejected === rejected) return replaced.token;
      const token = await refreshOnce(signal); // concurrent refreshes share one call; a failed one is not kept
      replaced = { rejected, token };
      return token;
    },
  };
}

/** openapi-fetch middleware for `client.raw`: adds the current token unless the request already has one. */
export function accessTokenMiddleware(tokens: TokenProvider): Middleware {
  return {
    async onRequest({ request }) {
      if (!request.headers.has(ACCESS_TOKEN_HEADER))
        request.headers.set(
          ACCESS_TOKEN_HEADER,
          tokens.fixed ?? (await abortable(tokens.current(request.signal), request.signal)),
        );
      return request;
    },
  };
}
