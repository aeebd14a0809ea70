import type { Middleware } from 'openapi-fetch';
import { specFacts } from '../generated/spec-facts.js';
import type { SecretSet } from './redact.js';

/** Why the token function is being called. */
export interface TokenRequest {
  /** `'request'` before a request; `'unauthorized'` after Huawei answered 401 to the previous token. */
  reason: 'request' | 'unauthorized';
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

export interface TokenProvider {
  /** The token for the next request. */
  current(): Promise<string>;
  /** A fresh token after `rejected` got a 401: one call of the token function for all concurrent requests. */
  refresh(rejected: string): Promise<string>;
  /** Whether a refresh can give anything new (only a function can). */
  readonly refreshable: boolean;
}

export function tokenProvider(source: TokenSource, secrets: SecretSet): TokenProvider {
  const call = async (reason: TokenRequest['reason']): Promise<string> => {
    const value = typeof source === 'function' ? await source({ reason }) : source;
    if (typeof value !== 'string' || value.length === 0) {
      // Say what came back without echoing it: it might be a secret after all.
      throw new TokenSourceError(`the token function must return a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`);
    }
    secrets.add(value);
    return value;
  };
  let refreshing: Promise<string> | undefined;
  let refreshed: { rejected: string; token: Promise<string> } | undefined;
  return {
    refreshable: typeof source === 'function',
    current: () => call('request'),
    refresh(rejected) {
      // A request that was rejected with a token already replaced gets the replacement, not another call.
      if (refreshed && refreshed.rejected === rejected) return refreshed.token;
      if (!refreshing) {
        const token = call('unauthorized');
        refreshing = token;
        refreshed = { rejected, token };
        const settle = () => {
          refreshing = undefined;
        };
        // A failed refresh is not remembered: the next 401 tries again.
        token.then(settle, () => {
          settle();
          if (refreshed?.token === token) refreshed = undefined;
        });
      }
      return refreshing;
    },
  };
}

/** openapi-fetch middleware for `client.raw`: adds the current token unless the request already has one. */
export function accessTokenMiddleware(tokens: TokenProvider): Middleware {
  return {
    async onRequest({ request }) {
      if (!request.headers.has(ACCESS_TOKEN_HEADER)) request.headers.set(ACCESS_TOKEN_HEADER, await tokens.current());
      return request;
    },
  };
}
