// A token source that signs in with a login account and its password (POST /v1/usg/acs/auth/account), as
// Huawei's Go, Node.js and Python SDKs do by default. Caching, renewal and retries: sign-in.ts.
import { specFacts } from '../generated/spec-facts.js';
import { accountAuthOptionTable, resolveOptions } from './options.js';
import { SecretSet } from './redact.js';
import type { RetryOptions } from './retry.js';
import { base64, signInTokenSource, type SignInTokenSource } from './sign-in.js';

const OPERATION = 'createAccountToken';

export interface AccountAuthOptions extends RetryOptions {
  /** The Huawei Cloud Meeting login account. */
  account: string;
  /** Its password: sent only in `Authorization`, never in an error. */
  password: string;
  /** Default 72, an API caller. */
  clientType?: number;
  /** Default: the spec's first server. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** Renew this long before the token expires (at most a quarter of its lifetime). Default 5 minutes. */
  refreshMarginMs?: number;
  /** Milliseconds one sign-in attempt may take. Default 30000. */
  timeoutMs?: number;
  /** Largest answer read, in bytes. Default 16 MiB. */
  maxResponseBytes?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** The token function to give `createMeetingClient({ token })`, with a way to drop the cached token. */
export type AccountTokenSource = SignInTokenSource;

export function accountAuth(options: AccountAuthOptions): AccountTokenSource {
  const settings = resolveOptions('accountAuth', accountAuthOptionTable, options);
  const credentials = base64(`${settings.account}:${settings.password}`);
  const secrets = new SecretSet();
  secrets.add(settings.password);
  secrets.add(credentials); // a server that echoes the header would otherwise show the password, encoded
  return signInTokenSource(OPERATION, settings, secrets, (api, { signal, fetch, Request }) =>
    api.POST(specFacts.operations.createAccountToken.path, {
      body: { account: settings.account, clientType: settings.clientType },
      headers: { Authorization: `Basic ${credentials}` },
      signal,
      parseAs: 'stream',
      Request,
      fetch,
    }),
  );
}
