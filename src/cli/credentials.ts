// Where the CLI gets its access token: a token (flag or MEETING_TOKEN), else a sign-in with the credentials in the
// environment (an App ID, or a login account), never from flags, which other users of the machine can read.
import { accountAuth } from '../account-auth.js';
import { appIdAuth } from '../app-auth.js';
import type { TokenSource } from '../auth.js';
import type { SignInOptions } from '../sign-in.js';

/** What the command line sets for every request, the sign-ins' as well as the list's (--retries, --timeout, …). */
export type Connection = Pick<SignInOptions, 'baseUrl' | 'timeoutMs' | 'retries' | 'onAttempt'>;

export const CREDENTIALS_HELP = `Credentials (the first found wins)
  --token TOKEN        an access token; prefer env MEETING_TOKEN: other users can read flags with ps
  env MEETING_APP_ID, MEETING_APP_KEY [, MEETING_USER_ID]   sign in with an App ID
  env MEETING_ACCOUNT, MEETING_PASSWORD                     sign in with a login account`;

export function tokenFrom(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  connection: Connection,
): TokenSource | undefined {
  const token = flag ?? env.MEETING_TOKEN;
  if (token !== undefined) return token;
  if (env.MEETING_APP_ID && env.MEETING_APP_KEY) {
    const userId = env.MEETING_USER_ID || undefined;
    return appIdAuth({ appId: env.MEETING_APP_ID, appKey: env.MEETING_APP_KEY, userId, ...connection });
  }
  if (env.MEETING_ACCOUNT && env.MEETING_PASSWORD) {
    return accountAuth({ account: env.MEETING_ACCOUNT, password: env.MEETING_PASSWORD, ...connection });
  }
  return undefined;
}
