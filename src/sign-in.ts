// What every sign-in token source shares (App ID and account authentication): one request path with its
// retries, a cached token renewed ahead of its expiry, one sign-in shared by concurrent callers, a new sign-in
// after a 401, and every credential scrubbed from what they report.
import createClient from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { singleFlight } from './abort.js';
import { attempt, requestPath, type Call, type SentRequest } from './attempt.js';
import { type TokenRequest, normaliseToken, tokenProblem } from './auth.js';
import { MeetingClientError, type MeetingError } from './errors.js';
import { tell } from './observe.js';
import type { accountAuthOptionTable, Resolved } from './options.js';
import { type SecretSet, SECRETS } from './redact.js';
import { BackoffGate, type RetryOptions, retrying } from './retry.js';
import { LiteRequest, userAgentHeader } from './transport.js';

/** The options every sign-in shares: its own request path and retries, and when to renew. */
export interface SignInOptions extends RetryOptions {
  /** Default: the spec's first server. */
  baseUrl?: string | undefined;
  /** A `fetch` to use for the sign-in instead of the global one. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Renew this long before the token expires (at most a quarter of its lifetime). Default 5 minutes. */
  refreshMarginMs?: number | undefined;
  /**
   * Told when a renewal failed while the cached token is still valid: the cached token is used meanwhile (as the
   * AWS SDK and Octokit do), and renewal is tried again later. Observe only: what it throws or returns is ignored.
   */
  onRenewalError?: ((info: RenewalErrorInfo) => void) | undefined;
  /** Milliseconds one sign-in attempt may take. Default 30000. */
  timeoutMs?: number | undefined;
  /** Largest answer read, in bytes. Default 16 MiB. */
  maxResponseBytes?: number | undefined;
  /**
   * The monotonic clock token lifetimes are counted on, in milliseconds (only differences count), for tests.
   * Default `performance.now()`: a wall clock stepped back or forward does not change when a token is renewed.
   */
  now?: (() => number) | undefined;
}

/** What `onRenewalError` is told: the renewal's error, and how long the cached token still serves. */
export interface RenewalErrorInfo {
  /** Why the renewal failed. */
  error: MeetingError;
  /** How much longer the cached token, used meanwhile, is valid. */
  validForMs: number;
}

/** The token function to give `createMeetingClient({ token })`, with a way to drop the cached token. */
export interface SignInTokenSource {
  (request?: TokenRequest): Promise<string>;
  /** Forget the cached token: the next call signs in again. */
  invalidate(): void;
}

/** The fields of Huawei's token answer that the cache reads. */
interface TokenAnswer {
  accessToken: string;
  validPeriod?: unknown;
  expireTime?: unknown;
}

/** When the answer states no usable lifetime: Huawei's tokens live 12 to 24 hours; a 401 renews earlier. */
const UNSTATED_LIFETIME_MS = 12 * 3_600_000;
/** After a failed renewal, the next try comes no sooner than this (or halfway to the expiry, if sooner). */
const RENEWAL_RETRY_MS = 30_000;

type PathSettings = Pick<
  Resolved<typeof accountAuthOptionTable>,
  | 'baseUrl'
  | 'fetch'
  | 'timeoutMs'
  | 'maxResponseBytes'
  | 'retries'
  | 'retryBaseDelayMs'
  | 'retryMaxDelayMs'
  | 'retryOnTimeout'
  | 'onRetry'
  | 'onAttempt'
  | 'refreshMarginMs'
  | 'onRenewalError'
  | 'now'
>;

export type SignInRequest = (
  api: ReturnType<typeof createClient<paths>>,
  attempt: { signal: AbortSignal; fetch: typeof globalThis.fetch; Request: typeof Request },
) => Promise<SentRequest>;

/**
 * A cached, renewing token source around `send`, one sign-in request (called afresh for each attempt, so that a
 * retry carries a fresh nonce). `secrets` already holds the credentials; the tokens are added as they come.
 */
export function signInTokenSource(
  operation: string,
  settings: PathSettings,
  secrets: SecretSet,
  send: SignInRequest,
): SignInTokenSource {
  const path = requestPath(settings, secrets);
  const api = createClient<paths>({ baseUrl: settings.baseUrl, headers: userAgentHeader() });
  const gate = new BackoffGate();
  const call = (signal: AbortSignal): Call<TokenAnswer> => ({
    operation,
    signal,
    read: (json) => {
      const answer = json as Partial<TokenAnswer> | null;
      if (
        typeof answer !== 'object' ||
        answer === null ||
        typeof answer.accessToken !== 'string' ||
        answer.accessToken.trim() === ''
      ) {
        return { problem: 'the answer has no accessToken' };
      }
      secrets.add(answer.accessToken);
      // The server's fault, not the caller's: kind 'response', never cached. The body is withheld, since a token
      // escaped in JSON (\r, \u0000) is not the text that scrubbing looks for.
      const problem = tokenProblem(answer.accessToken);
      if (problem) return { problem: `the accessToken cannot be sent as a header: it ${problem}`, withholdBody: true };
      const token = normaliseToken(answer.accessToken);
      secrets.add(token);
      return { value: { ...(answer as TokenAnswer), accessToken: token } };
    },
    send: ({ signal: attemptSignal, fetch }) =>
      send(api, { signal: attemptSignal, fetch, Request: LiteRequest as unknown as typeof Request }),
  });

  // Instants on the monotonic clock `settings.now`.
  let cached: { token: string; renewAt: number; expiresAt: number } | undefined;
  const signIn = singleFlight(async (signal) => {
    const started = settings.now();
    let answer: TokenAnswer;
    try {
      answer = await retrying(settings, gate, { signal, refreshable: false, secrets }, (n, step, waited) =>
        attempt(path, call(signal), n, step, waited),
      );
    } catch (error) {
      // A renewal ahead of expiry failed: the cached token still works (read now, as a 401 may have dropped it).
      const stale = cached;
      const now = settings.now();
      if (!stale || signal.aborted || now >= stale.expiresAt || !(error instanceof MeetingClientError)) throw error;
      const validForMs = stale.expiresAt - now;
      stale.renewAt = now + Math.min(RENEWAL_RETRY_MS, validForMs / 2);
      tell(settings.onRenewalError, { error, validForMs });
      return stale.token;
    }
    const lifetimeMs = lifetimeOf(answer);
    cached = {
      token: answer.accessToken,
      renewAt: started + lifetimeMs - Math.min(settings.refreshMarginMs, lifetimeMs / 4),
      expiresAt: started + lifetimeMs,
    };
    return answer.accessToken;
  });

  const source = (async (request?: TokenRequest) => {
    if (request?.reason === 'unauthorized') cached = undefined;
    if (cached && settings.now() < cached.renewAt) return cached.token;
    return signIn(request?.signal);
  }) as SignInTokenSource;
  source.invalidate = () => {
    cached = undefined;
  };
  Object.defineProperty(source, SECRETS, { value: secrets }); // for the client given this source: see SECRETS
  return source;
}

/**
 * The token's lifetime as the server states it: seconds valid, else an expiry in Unix seconds (the one wall-clock
 * reading here, turned into a duration at once), counted from when we asked.
 */
function lifetimeOf(answer: TokenAnswer): number {
  const { validPeriod, expireTime } = answer;
  if (typeof validPeriod === 'number' && Number.isFinite(validPeriod) && validPeriod > 0) return validPeriod * 1000;
  const wallNow = Date.now();
  if (typeof expireTime === 'number' && Number.isFinite(expireTime) && expireTime * 1000 > wallNow)
    return expireTime * 1000 - wallNow;
  return UNSTATED_LIFETIME_MS;
}

/** Base64 of UTF-8 text, in every runtime (btoa alone takes Latin-1 only). */
export function base64(text: string): string {
  return btoa(Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join(''));
}
