// A token source that signs in with a login account and its password (POST /v1/usg/acs/auth/account), as
// Huawei's Go, Node.js and Python SDKs do by default. Caching, renewal and retries: sign-in.ts.
import { specFacts } from '../generated/spec-facts.js';
import { accountAuthOptionTable, resolveOptions, type SameKeys } from './options.js';
import { SecretSet } from './redact.js';
import { base64, type SignInOptions, signInTokenSource, type SignInTokenSource } from './sign-in.js';

const OPERATION = 'createAccountToken';

/** Options of {@link accountAuth}: the login account, its password, and the sign-in's own limits. */
export interface AccountAuthOptions extends SignInOptions {
  /** The Huawei Cloud Meeting login account. */
  account: string;
  /** Its password: sent only in `Authorization`, never in an error. */
  password: string;
  /** Default 72, an API caller. */
  clientType?: number | undefined;
}

// The interface documents each option; the table in options.ts checks and defaults it.
const sameOptions: SameKeys<Required<AccountAuthOptions>, typeof accountAuthOptionTable> = true;
void sameOptions;

/** The token function to give `createMeetingClient({ token })`, with a way to drop the cached token. */
export type AccountTokenSource = SignInTokenSource;

/**
 * Huawei's account authentication (`POST /v1/usg/acs/auth/account`, HTTP Basic) as a token function, as Huawei's
 * SDKs sign in by default: caching, renewal, one sign-in shared by concurrent callers, a new sign-in after a 401.
 *
 * @param options - The login account and password; the password never appears in an error.
 * @returns A token function for `createMeetingClient({ token })`.
 * @throws {@link MeetingInputError} at once when an option is unknown or out of the spec's bounds.
 * @example
 * ```ts
 * const token = accountAuth({ account: process.env['MEETING_ACCOUNT']!, password: process.env['MEETING_PASSWORD']! });
 * const client = createMeetingClient({ token });
 * ```
 */
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
