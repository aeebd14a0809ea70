/**
 * The client: {@link createMeetingClient} and its methods, the sign-ins ({@link appIdAuth}, {@link accountAuth}),
 * the error classes (one per `kind`), and the types generated from the spec.
 *
 * @example
 * ```ts
 * import { createMeetingClient } from 'huawei-meeting-online-client';
 *
 * const client = createMeetingClient({ token: async () => getAccessToken() }); // your token function
 * const page = await client.listOngoingMeetings({ queryAll: true });
 * console.log(page.count);
 * ```
 * @module huawei-meeting-online-client
 */
export { createMeetingClient } from './client.js';
export type { MeetingClient, MeetingClientOptions, RequestOptions } from './client.js';
export { ACCESS_TOKEN_HEADER } from './auth.js';
export { appIdAuth, appAuthSignatureData, signAppAuth } from './app-auth.js';
export type { AppIdAuthOptions, AppIdTokenSource } from './app-auth.js';
export { accountAuth } from './account-auth.js';
export type { AccountAuthOptions, AccountTokenSource } from './account-auth.js';
export type { RenewalErrorInfo, SignInOptions } from './sign-in.js';
export type { TokenRequest, TokenSource } from './auth.js';
export type { PaginationOptions } from './pagination.js';
export type { WatchEvent, WatchOptions } from './watch.js';
export type { RetryInfo, RetryOptions } from './retry.js';
export { ATTEMPT_CHANNEL, metadataOf } from './observe.js';
export type { AttemptRecord, CallMetadata, RetryReason } from './observe.js';
export {
  MeetingClientError,
  MeetingHttpError,
  MeetingInputError,
  MeetingNetworkError,
  MeetingResponseError,
  MeetingTimeoutError,
} from './errors.js';
export type { MeetingError, MeetingErrorKind } from './errors.js';
export type { ConferenceInfo, MeetingErrorBody, OngoingMeetingsPage, OngoingMeetingsQuery } from './types.js';
export type { components, operations, paths } from '../generated/schema.js';
