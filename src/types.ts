// Friendly names for the generated types; nothing here is written by hand but the names.
import type { components, operations } from '../generated/schema.js';

/** One meeting, as the spec's `ConferenceInfo`. */
export type ConferenceInfo = components['schemas']['ConferenceInfo'];
/** One page of `listOngoingMeetings`. */
export type OngoingMeetingsPage = components['schemas']['OngoingMeetingsPage'];
/**
 * The query parameters of `listOngoingMeetings`, all optional. Each also takes an explicit `undefined` (left out of
 * the request), so that a value read from the environment goes straight in under `exactOptionalPropertyTypes`.
 */
export type OngoingMeetingsQuery = {
  [K in keyof SpecQuery]?: SpecQuery[K] | undefined;
};
/** The query as the spec (and so openapi-fetch) types it: no explicit `undefined`. Internal, not exported. */
export type SpecQuery = NonNullable<operations['listOngoingMeetings']['parameters']['query']>;
/** Huawei's error body. */
export type MeetingErrorBody = components['schemas']['ErrorResponse'];
