// meetings-online --verbose: one line on stderr for each attempt the client makes (the list, every page of --all and
// --watch, the App ID and account sign-ins), made from the client's attempt records like any other subscriber's.
// Records never hold a secret; what a server put in them (the request id) is still shown as escapes, not acted on.
import type { AttemptRecord } from '../index.js';
import { sanitise } from './sanitise.js';

/** Huawei's request ids are 32 hex digits; a server's longer one is cut, so that a line stays a line. */
const MAX_REQUEST_ID = 128;

/** `text` safe for a terminal and at most `max` characters, `…` marking a cut. */
export function clipped(text: string, max: number): string {
  const safe = sanitise(text);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/** The query sent (which page), without the host and path every line would repeat. */
function querySent(url: string | undefined): string {
  if (url === undefined) return '';
  const at = url.indexOf('?');
  return at === -1 ? '' : ` ${url.slice(at)}`;
}

/**
 * One attempt as one line, e.g.
 * `attempt listOngoingMeetings #2 GET ?offset=0&limit=20: 503 http error in 41 ms, request id 9f…, retry in 500 ms
 * (backoff)`.
 */
export function attemptLine(record: AttemptRecord): string {
  const { errorKind, retry } = record;
  const sent = record.method === undefined ? ' (not sent)' : ` ${record.method}${querySent(record.url)}`;
  const failure = errorKind === undefined ? '' : errorKind === 'aborted' ? 'aborted' : `${errorKind} error`;
  const outcome = [record.status, failure].filter((part) => part !== undefined && part !== '').join(' ');
  const requestId = record.requestId === undefined ? 'no request id' : `request id ${record.requestId}`;
  const decision = retry
    ? `retry in ${Math.round(retry.waitMs)} ms (${retry.reason})`
    : errorKind === undefined
      ? 'done'
      : 'not retried';
  const line = `attempt ${record.operation} #${record.attempt}${sent}: ${outcome || 'no answer'} in ${Math.round(
    record.durationMs,
  )} ms, ${clipped(requestId, MAX_REQUEST_ID)}, ${decision}`;
  return sanitise(line);
}
