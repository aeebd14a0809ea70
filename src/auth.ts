import type { Middleware } from 'openapi-fetch';

/** An access token, or a function called before each request that returns one (for rotation or refresh). */
export type TokenSource = string | (() => string | Promise<string>);

/** The header Huawei reads the access token from (the spec's `AccessToken` security scheme). */
export const ACCESS_TOKEN_HEADER = 'X-Access-Token';

/** Thrown by the middleware when a token function yields no usable token; the client turns it into kind `'input'`. */
export class TokenSourceError extends Error {}

/** openapi-fetch middleware that puts the current token into `X-Access-Token`. */
export function accessTokenMiddleware(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      const value = typeof token === 'function' ? await token() : token;
      if (typeof value !== 'string' || value.length === 0) {
        // Say what was returned without echoing it: it might be a secret.
        throw new TokenSourceError(`the token function must return a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`);
      }
      request.headers.set(ACCESS_TOKEN_HEADER, value);
      return request;
    },
  };
}
