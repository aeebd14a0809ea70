// Watches the ongoing list: polls it (a full walk each time), and tells what changed since the poll before, as
// Kubernetes' list-and-watch informers do for a list without a watch API. Per meeting the watch keeps its key and a
// 32-bit hash of each top-level field present (watch-state.ts), not the meeting (unless asked), so that its memory
// follows the list, whatever the server sends.
import { onAbort, sleep } from './abort.js';
import type { MeetingError } from './errors.js';
import { meetingKey } from './pagination.js';
import type { ConferenceInfo, OngoingMeetingsPage } from './types.js';
import { type Found, WatchState } from './watch-state.js';

/** Every event of a watch, by `type`. `at` is when the poll that found it ended (ms since the epoch). */
export type WatchEvent =
  | {
      /** The first event: every meeting in scope when the watch began. */
      type: 'snapshot';
      /** Every meeting in scope, in the service's order (start time). */
      meetings: ConferenceInfo[];
      /** When the poll ended, ms since the epoch. */
      at: number;
    }
  | {
      /** A meeting that was not in the previous poll. */
      type: 'started';
      /** The meeting's key: `confUUID`, else `conferenceID`. */
      key: string;
      /** The meeting as the service returned it. */
      meeting: ConferenceInfo;
      /** When the poll ended, ms since the epoch. */
      at: number;
    }
  | {
      /** A meeting whose top-level fields differ from the previous poll (less `ignoreFields`). */
      type: 'changed';
      /** The meeting's key: `confUUID`, else `conferenceID`. */
      key: string;
      /** The meeting as it is now. */
      meeting: ConferenceInfo;
      /** The top-level fields that differ. */
      changedFields: string[];
      /** The meeting as it was, with `keepPrevious: true` only. */
      previous?: ConferenceInfo;
      /** When the poll ended, ms since the epoch. */
      at: number;
    }
  | {
      /** A meeting gone since the previous poll; reported only after a walk that missed none. */
      type: 'ended';
      /** The meeting's key: `confUUID`, else `conferenceID`. */
      key: string;
      /** The meeting as last seen, with `keepPrevious: true` only. */
      meeting?: ConferenceInfo;
      /** When the poll ended, ms since the epoch. */
      at: number;
    }
  | {
      /** After each poll, once its other events are out. */
      type: 'synced';
      /** The poll's number, from 1 (the snapshot's). */
      poll: number;
      /** Meetings in scope after the poll. */
      count: number;
      /** When the poll ended, ms since the epoch. */
      at: number;
      /** The wait before the next poll. */
      nextPollInMs: number;
    }
  | {
      /** A poll failed with an error a later poll may heal; the watch goes on after `retryInMs`. */
      type: 'error';
      /** Why the poll failed. */
      error: MeetingError;
      /** Polls failed in a row, this one included. */
      failures: number;
      /** The wait before the next poll: `intervalMs × 2^failures`, at most `maxBackoffMs`. */
      retryInMs: number;
      /** When the poll ended, ms since the epoch. */
      at: number;
    };

/** Options of {@link MeetingClient.watchOngoingMeetings}: how often it polls, how each poll walks, what it keeps. */
export interface WatchOptions {
  /** Milliseconds from the end of one poll to the start of the next. Default 30 000; at least 1000 off loopback. */
  intervalMs?: number | undefined;
  /** Ends the watch at once, with no request left in flight; it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Meetings per request of each poll's walk. Default: the spec's maximum. */
  pageSize?: number | undefined;
  /** Requests in flight at once in each poll's walk. Default 1. */
  concurrency?: number | undefined;
  /** Meetings re-read at each page boundary (at least 1: it is how a poll knows it missed none). */
  overlap?: number | undefined;
  /** Keep each meeting as last seen, for `previous` on `changed` and `meeting` on `ended`. Default false. */
  keepPrevious?: boolean | undefined;
  /** Top-level fields whose changes are not reported (`onlineAttendeeAmount` changes all the time). */
  ignoreFields?: string[] | undefined;
  /**
   * Longest wait after failed polls: the interval doubles with each failure, and a `Retry-After` is waited in full,
   * up to this. Never less than `intervalMs`. Default 300 000.
   */
  maxBackoffMs?: number | undefined;
}

/** One poll: the pages of a walk, and whether the walk may have missed meetings. */
export type Poll = (signal: AbortSignal, observer: { gap(offset: number): void }) => AsyncIterable<OngoingMeetingsPage>;

/**
 * The key a watch reports: `u:` and the `confUUID`, else `c:` and the `conferenceID`, else (a meeting with neither)
 * `h:` and a hash of its content. The walk's identity rule, prefix kept: a `confUUID` that equals another meeting's
 * `conferenceID` names another meeting.
 */
export function watchKey(meeting: ConferenceInfo): string {
  return meetingKey(meeting);
}

/** Errors a later poll may not see again: the service or the network said "not now", or a page was inconsistent. */
function healable(error: MeetingError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'response') return true;
  if (error.kind === 'http') return error.status === 408 || error.status === 429 || error.status >= 500;
  return false;
}

const SNAPSHOT_TRIES = 3;
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

type WatchSettings = {
  [K in 'intervalMs' | 'keepPrevious' | 'ignoreFields' | 'maxBackoffMs']-?: NonNullable<WatchOptions[K]>;
} & {
  signal: AbortSignal | undefined;
};

/**
 * The wait after `failures` failed polls in a row: the interval doubled per failure, at least what the server asked
 * for with `Retry-After`, at most `maxBackoffMs`, and never less than the interval itself, so that the floor the
 * interval keeps (1 s off this machine) holds for a back-off too, whatever `maxBackoffMs` says.
 */
function retryDelay(error: MeetingError, failures: number, settings: WatchSettings): number {
  const { intervalMs, maxBackoffMs } = settings;
  const retryAfterMs = error.kind === 'http' ? error.retryAfterMs : undefined;
  const asked = Number.isFinite(retryAfterMs) ? retryAfterMs! : 0; // a wait that is not a number asks for none
  return Math.max(intervalMs, Math.min(maxBackoffMs, Math.max(intervalMs * 2 ** failures, asked)));
}

/** A running watch: `for await` it, or call `next()` and `return()` (which always ends it) yourself. */
export interface Watch extends AsyncIterableIterator<WatchEvent, undefined> {
  return(): Promise<IteratorReturnResult<undefined>>;
}

/**
 * The watch: an async iterator of its events. `return()` (what `break` calls) ends it at once even while a poll is
 * in flight: the poll's requests are aborted then and there, not after the poll ends, as an async generator would.
 */
export function watchMeetings(poll: Poll, settings: WatchSettings): Watch {
  const stop = new AbortController(); // aborts the requests of a poll in progress: on return() or the caller's abort
  const events = watchEvents(poll, settings, stop);
  const waiting = new Set<(result: IteratorResult<WatchEvent, undefined>) => void>(); // next() calls not yet answered
  let ended = false;
  const watch: Watch = {
    next: () =>
      new Promise((resolve, reject) => {
        if (ended) return resolve(DONE);
        waiting.add(resolve);
        events.next().then(
          (result) => {
            waiting.delete(resolve);
            resolve(ended ? DONE : result);
          },
          (error: unknown) => {
            waiting.delete(resolve);
            if (ended) resolve(DONE);
            else reject(error);
          },
        );
      }),
    return: () => {
      if (!ended) {
        ended = true;
        stop.abort(new Error('the watch ended'));
        for (const resolve of waiting) resolve(DONE);
        waiting.clear();
        // The generator's cleanup runs once the step in progress, aborted above, has settled.
        events.return(undefined).catch(() => undefined);
      }
      return Promise.resolve(DONE);
    },
    [Symbol.asyncIterator]: () => watch,
  };
  return watch;
}

/**
 * The watch's events: `poll` walks the list once. The first complete poll yields `snapshot`; each later one yields
 * `started`, `changed` and `ended` as they differ from the poll before, then `synced`. A meeting is reported ended
 * only after a poll that is known to have missed nothing (no gap between its pages), so that churn during a walk
 * cannot report a meeting that is still there as ended and, later, as started again. A failed poll changes nothing.
 * Every wait is a timer (monotonic); only `at` reads the wall clock.
 */
async function* watchEvents(
  poll: Poll,
  settings: WatchSettings,
  stop: AbortController,
): AsyncGenerator<WatchEvent, undefined, undefined> {
  const { intervalMs, keepPrevious, signal: callerSignal } = settings;
  const state = new WatchState(new Set(settings.ignoreFields));
  let walks = 0; // numbers each walk, so that a slot tells which walk saw it last
  let polls = 0;
  let failures = 0;
  const unsubscribe = callerSignal ? onAbort(callerSignal, () => stop.abort(callerSignal.reason)) : undefined;
  const walk = async () => walkOnce(poll, stop.signal, state, ++walks);
  try {
    if (callerSignal?.aborted) throw callerSignal.reason;
    for (;;) {
      let result: { found: Found[]; complete: boolean };
      try {
        result = await walk();
        // The first picture must miss nothing: a meeting it missed would later be reported as started.
        for (let tries = 1; polls === 0 && !result.complete && tries < SNAPSHOT_TRIES; tries++) result = await walk();
      } catch (error) {
        if (callerSignal?.aborted) throw callerSignal.reason;
        if (stop.signal.aborted) return undefined; // ended by return(): the iterator has already said done
        const failure = error as MeetingError;
        if (!healable(failure)) throw failure;
        failures++;
        const retryInMs = retryDelay(failure, failures, settings);
        yield { type: 'error', error: failure, failures, retryInMs, at: Date.now() };
        await pause(retryInMs, stop.signal, callerSignal);
        if (stop.signal.aborted) return undefined;
        continue;
      }
      failures = 0;
      const at = Date.now();
      const first = polls++ === 0;
      const { found, complete } = result;
      const kept = (meeting: ConferenceInfo) => (keepPrevious ? meeting : undefined);
      // The poll's news, committed to the state as it is reported.
      for (const item of found) {
        const previous = item.slot === undefined ? undefined : state.meeting(item.slot);
        state.write(item, walks, kept(item.meeting));
        if (item.slot === undefined) {
          if (!first) yield { type: 'started', key: item.key, meeting: item.meeting, at };
        } else {
          yield {
            type: 'changed',
            key: item.key,
            meeting: item.meeting,
            changedFields: item.changedFields!,
            ...(previous ? { previous } : {}),
            at,
          };
        }
      }
      if (first) yield { type: 'snapshot', meetings: found.map((item) => item.meeting), at };
      // Not seen by this walk: ended, when the walk missed nothing; else for a later poll to decide.
      if (complete) {
        const gone = [...state.slots].filter(([, slot]) => state.seenIn(slot) !== walks).map(([key]) => key);
        for (const key of gone) {
          const meeting = state.remove(key);
          yield { type: 'ended', key, ...(meeting ? { meeting } : {}), at };
        }
      }
      yield { type: 'synced', poll: polls, count: state.slots.size, at, nextPollInMs: intervalMs };
      await pause(intervalMs, stop.signal, callerSignal);
      if (stop.signal.aborted) return undefined;
    }
  } finally {
    unsubscribe?.();
    stop.abort(new Error('the watch ended'));
  }
}

/** Waits `ms`, or less when the watch is stopped: by return(), or by the caller's signal (then its reason). */
async function pause(ms: number, stop: AbortSignal, callerSignal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, stop).catch(() => {
    if (callerSignal?.aborted) throw callerSignal.reason;
  });
}

/**
 * One walk: marks every known meeting it sees as seen by walk `number`, and returns the meetings new or changed
 * (only those are held until the poll ends, all of them for the first picture) and whether the walk was gap-free.
 * Nothing of the state changes but the marks, so that a walk that fails halfway leaves the state as it was.
 */
async function walkOnce(
  poll: Poll,
  signal: AbortSignal,
  state: WatchState,
  number: number,
): Promise<{ found: Found[]; complete: boolean }> {
  const found: Found[] = [];
  const foundAt = new Map<string, number>(); // a meeting met twice in one walk (it moved between pages) counts once
  let complete = true;
  const observer = {
    gap: () => {
      complete = false;
    },
  };
  for await (const page of poll(signal, observer)) {
    for (const meeting of page.data) {
      const key = watchKey(meeting);
      const item = state.see(key, meeting, number);
      if (item === undefined) continue;
      const at = foundAt.get(key);
      if (at === undefined) foundAt.set(key, found.push(item) - 1);
      else found[at] = item;
    }
  }
  return { found, complete };
}
