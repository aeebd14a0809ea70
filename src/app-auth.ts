// A token source that signs in with an App ID (POST /v2/usg/acs/auth/appauth). Web Crypto only, so it runs
// in Node.js, Deno, Bun and browsers alike, with no dependency. Caching, renewal and retries: sign-in.ts.
import { specFacts } from '../generated/spec-facts.js';
import { appIdAuthOptionTable, resolveOptions, type SameKeys } from './options.js';
import { SecretSet } from './redact.js';
import { base64, type SignInOptions, signInTokenSource, type SignInTokenSource } from './sign-in.js';

const OPERATION = 'createAppIdToken';

/** Options of {@link appIdAuth}: the app's credentials, who to act as, and the sign-in's own limits. */
export interface AppIdAuthOptions extends SignInOptions {
  /** App ID from the Huawei Cloud Meeting console. */
  appId: string;
  /** App key from the console: signs the request, never sent, never in an error. */
  appKey: string;
  /** Third-party user to act as; omit to act as the enterprise's default administrator. */
  userId?: string | undefined;
  /** Enterprise ID, for service providers' apps only (it changes what is signed). */
  corpId?: string | undefined;
  /** The user's display name, sent with the sign-in (`userName` of the request body). */
  userName?: string | undefined;
  /** The user's e-mail address, sent with the sign-in. */
  userEmail?: string | undefined;
  /** The user's phone number, sent with the sign-in. */
  userPhone?: string | undefined;
  /** The user's department code, sent with the sign-in. */
  deptCode?: string | undefined;
  /** Default 72, an API caller. */
  clientType?: number | undefined;
  /** How long the signature stays valid. Default 300 seconds. */
  signatureTtlSeconds?: number | undefined;
}

// The interface documents each option; the table in options.ts checks and defaults it.
const sameOptions: SameKeys<Required<AppIdAuthOptions>, typeof appIdAuthOptionTable> = true;
void sameOptions;

/** The token function to give `createMeetingClient({ token })`, with a way to drop the cached token. */
export type AppIdTokenSource = SignInTokenSource;

const encoder = new TextEncoder();

/**
 * What Huawei signs: `appId:userId:expireTime:nonce`, or with `corpId` after the app ID. Empty fields keep their
 * colons.
 */
export function appAuthSignatureData(fields: {
  appId: string;
  corpId?: string | null | undefined;
  userId?: string | null | undefined;
  expireTime: number;
  nonce: string;
}): string {
  const parts =
    fields.corpId == null ? [fields.appId, fields.userId ?? ''] : [fields.appId, fields.corpId, fields.userId ?? ''];
  return [...parts, String(fields.expireTime), fields.nonce].join(':');
}

/** Hex HMAC-SHA256 of `data` keyed with `appKey`, by Web Crypto. */
export async function signAppAuth(appKey: string, data: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(appKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(data)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Random hexadecimal characters, as many as the spec's nonce may hold. */
function nonce(): string {
  const bytes = new Uint8Array(specFacts.operations.createAppIdToken.body.nonce.maxLength / 2);
  return Array.from(globalThis.crypto.getRandomValues(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Huawei's App ID authentication as a token function: signs in on first use (HMAC-SHA256 by Web Crypto), caches the
 * token, renews it before it expires and after a 401, with one sign-in shared by concurrent callers. Sign in on a
 * server: in a browser the app key would be visible to every user.
 *
 * @param options - The app's ID and key, and who to act as (`userId`; omit it for the administrator).
 * @returns A token function for `createMeetingClient({ token })`.
 * @throws {@link MeetingInputError} at once when an option is unknown or out of the spec's bounds.
 * @example
 * ```ts
 * const client = createMeetingClient({
 *   token: appIdAuth({ appId: process.env['APP_ID']!, appKey: process.env['APP_KEY']!, userId: 'alice' }),
 * });
 * ```
 */
export function appIdAuth(options: AppIdAuthOptions): AppIdTokenSource {
  const settings = resolveOptions('appIdAuth', appIdAuthOptionTable, options);
  const secrets = new SecretSet();
  secrets.add(settings.appKey);
  const optional = ['corpId', 'userId', 'userName', 'userEmail', 'userPhone', 'deptCode'] as const;

  return signInTokenSource(OPERATION, settings, secrets, async (api, { signal, fetch, Request }) => {
    // A fresh expiry, nonce and signature for every attempt: a retried sign-in must not look like a replay.
    const body = {
      appId: settings.appId,
      clientType: settings.clientType,
      // Wall time: Huawei compares the signature's expiry with its own clock.
      expireTime: Math.floor(Date.now() / 1000) + settings.signatureTtlSeconds,
      nonce: nonce(),
      ...Object.fromEntries(
        optional.filter((name) => settings[name] !== undefined).map((name) => [name, settings[name]]),
      ),
    };
    const signature = await signAppAuth(
      settings.appKey,
      appAuthSignatureData({ ...body, corpId: settings.corpId, userId: settings.userId }),
    );
    secrets.add(signature); // replayable until expireTime: as secret as a token
    return api.POST(specFacts.operations.createAppIdToken.path, {
      body: body as never,
      params: { header: { 'X-Token-Type': 'LongTicket' } },
      headers: { Authorization: `HMAC-SHA256 signature=${signature},access=${base64(settings.appId)}` },
      signal,
      parseAs: 'stream',
      Request,
      fetch,
    });
  });
}
