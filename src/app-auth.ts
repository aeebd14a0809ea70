// A token source that signs in with an App ID (POST /v2/usg/acs/auth/appauth), caches the access token,
// renews it ahead of its expiry, shares one sign-in among concurrent callers and signs in again after a 401.
// Web Crypto only, so it runs in Node.js and browsers alike, with no dependency.
import createClient from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { specFacts } from '../generated/spec-facts.js';
import type { TokenRequest } from './auth.js';
import { httpErrorFrom, MeetingNetworkError, MeetingResponseError, MeetingTimeoutError } from './errors.js';
import { parseJson } from './json.js';
import { SecretSet } from './redact.js';
import { checkBaseUrl } from './transport.js';

const OPERATION = 'createAppIdToken';
const PATH = specFacts.operations.createAppIdToken.path;

export interface AppIdAuthOptions {
  /** App ID from the Huawei Cloud Meeting console. */
  appId: string;
  /** App key from the console: signs the request, never sent, never in an error. */
  appKey: string;
  /** Third-party user to act as; omit to act as the enterprise's default administrator. */
  userId?: string;
  /** Enterprise ID, for service providers' apps only (it changes what is signed). */
  corpId?: string;
  userName?: string;
  userEmail?: string;
  userPhone?: string;
  deptCode?: string;
  /** Default 72, an API caller. */
  clientType?: number;
  /** Default: the spec's first server. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** Renew this long before the token expires (at most a quarter of its lifetime). Default 5 minutes. */
  refreshMarginMs?: number;
  /** How long the signature stays valid. Default 300 seconds. */
  signatureTtlSeconds?: number;
  /** Milliseconds the sign-in may take. Default 30000. */
  timeoutMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** The token function to give `createMeetingClient({ token })`, with a way to drop the cached token. */
export interface AppIdTokenSource {
  (request?: TokenRequest): Promise<string>;
  /** Forget the cached token: the next call signs in again. */
  invalidate(): void;
}

const encoder = new TextEncoder();

/** What Huawei signs: `appId:userId:expireTime:nonce`, or with `corpId` after the app ID. Empty fields keep their colons. */
export function appAuthSignatureData(fields: { appId: string; corpId?: string | undefined; userId?: string | undefined; expireTime: number; nonce: string }): string {
  const parts = fields.corpId === undefined ? [fields.appId, fields.userId ?? ''] : [fields.appId, fields.corpId, fields.userId ?? ''];
  return [...parts, String(fields.expireTime), fields.nonce].join(':');
}

/** Hex HMAC-SHA256 of `data` keyed with `appKey`, by Web Crypto. */
export async function signAppAuth(appKey: string, data: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('raw', encoder.encode(appKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(data)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** 48 random hexadecimal characters: inside Huawei's 32 to 64. */
function nonce(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function appIdAuth(options: AppIdAuthOptions): AppIdTokenSource {
  for (const name of ['appId', 'appKey'] as const) {
    if (typeof options[name] !== 'string' || options[name].length === 0) {
      throw new TypeError(`appIdAuth: ${name} must be a non-empty string (from the Huawei Cloud Meeting console)`);
    }
  }
  const baseUrl = checkBaseUrl(options.baseUrl ?? specFacts.servers[0], specFacts.servers[0]);
  const now = options.now ?? Date.now;
  const marginMs = options.refreshMarginMs ?? 5 * 60_000;
  const ttlSeconds = options.signatureTtlSeconds ?? 300;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const secrets = new SecretSet();
  secrets.add(options.appKey);
  const api = createClient<paths>({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });

  let cached: { token: string; renewAt: number } | undefined;
  let signingIn: Promise<string> | undefined;

  async function signIn(): Promise<string> {
    const expireTime = Math.floor(now() / 1000) + ttlSeconds;
    const body = {
      appId: options.appId,
      clientType: options.clientType ?? 72,
      expireTime,
      nonce: nonce(),
      ...(options.corpId !== undefined ? { corpId: options.corpId } : {}),
      ...(options.userId !== undefined ? { userId: options.userId } : {}),
      ...(options.userName !== undefined ? { userName: options.userName } : {}),
      ...(options.userEmail !== undefined ? { userEmail: options.userEmail } : {}),
      ...(options.userPhone !== undefined ? { userPhone: options.userPhone } : {}),
      ...(options.deptCode !== undefined ? { deptCode: options.deptCode } : {}),
    };
    const signature = await signAppAuth(options.appKey, appAuthSignatureData({ ...body, corpId: options.corpId, userId: options.userId }));
    secrets.add(signature); // replayable until expireTime: as secret as a token
    const context = { operation: OPERATION, attempts: 1 };
    const started = now();
    let result;
    try {
      result = await api.POST(PATH, {
        body,
        params: { header: { 'X-Token-Type': 'LongTicket' } },
        headers: { Authorization: `HMAC-SHA256 signature=${signature}` },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
        parseAs: 'text',
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'TimeoutError') throw new MeetingTimeoutError(timeoutMs, context);
      throw new MeetingNetworkError(`${OPERATION}: the request to ${baseUrl} failed: ${secrets.scrub(String((cause as Error)?.message ?? cause))}`, { ...context, cause: secrets.scrubError(cause) });
    }
    const { status } = result.response;
    if (!result.response.ok) throw httpErrorFrom(result.response, result.error, context, (t) => secrets.scrub(t));
    const raw = typeof result.data === 'string' ? result.data : '';
    const json = parseJson(raw) as { accessToken?: unknown; validPeriod?: unknown; expireTime?: unknown } | undefined;
    if (!json || typeof json.accessToken !== 'string' || json.accessToken.length === 0) {
      throw new MeetingResponseError(`${OPERATION}: the answer has no accessToken`, { status, body: secrets.scrub(raw.slice(0, 1000)) }, context);
    }
    secrets.add(json.accessToken);
    // The token's lifetime as the server states it, counted on our own clock from when we asked.
    const lifetimeMs =
      typeof json.validPeriod === 'number' ? json.validPeriod * 1000 : typeof json.expireTime === 'number' ? json.expireTime * 1000 - started : 12 * 3_600_000;
    cached = { token: json.accessToken, renewAt: started + lifetimeMs - Math.min(marginMs, lifetimeMs / 4) };
    return json.accessToken;
  }

  const source = (async (request?: TokenRequest) => {
    if (request?.reason === 'unauthorized') cached = undefined;
    if (cached && now() < cached.renewAt) return cached.token;
    signingIn ??= signIn().finally(() => {
      signingIn = undefined;
    });
    return signingIn;
  }) as AppIdTokenSource;
  source.invalidate = () => {
    cached = undefined;
  };
  return source;
}
