// Friendly names for the generated types; nothing here is written by hand but the names.
import type { components, operations } from '../generated/schema.js';

/** One meeting, as the spec's `ConferenceInfo`. */
export type ConferenceInfo = components['schemas']['ConferenceInfo'];
/** One page of `listOngoingMeetings`. */
export type OngoingMeetingsPage = components['schemas']['OngoingMeetingsPage'];
/** The query parameters of `listOngoingMeetings`, all optional. */
export type OngoingMeetingsQuery = NonNullable<operations['listOngoingMeetings']['parameters']['query']>;
/** Huawei's error body. */
export type MeetingErrorBody = components['schemas']['ErrorResponse'];
