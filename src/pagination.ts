// Walks every page of the ongoing-meeting list. Offsets shift while meetings start and end, so the walk
// re-reads a few meetings before each page boundary (`overlap`) and drops those it has already yielded;
// it remembers only the keys of the last few pages, so memory stays bounded by concurrency × pageSize.
import { onAbort } from './abort.js';
import { MeetingInputError, MeetingResponseError } from './errors.js';
import { carryMetadata } from './observe.js';
import type { paginationOptionTable, Resolved } from './options.js';
import type { ConferenceInfo, OngoingMeetingsPage, OngoingMeetingsQuery } from './types.js';
import { hashValue } from './value-hash.js';

/**
 * Options of {@link MeetingClient.ongoingMeetings} and {@link MeetingClient.ongoingMeetingPages}: how the walk
 * pages, how far it goes, and when it stops.
 */
export interface PaginationOptions {
  /** Meetings per request. Default: the spec's maximum `limit`. */
  pageSize?: number | undefined;
  /** Requests in flight at once once the first page has told the total. Default 1, at most 16. */
  concurrency?: number | undefined;
  /** Stop after yielding this many meetings. */
  maxItems?: number | undefined;
  /** Hard cap on requests for one walk; past it the walk fails with kind `'response'`. Default 10 000. */
  maxPages?: number | undefined;
  /**
   * Meetings re-read before each page boundary, so that meetings ending during the walk do not make the
   * next page skip one. Default: 5% of pageSize (at least 1, at most pageSize − 1).
   */
  overlap?: number | undefined;
  /** Cancels the walk; it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

export type PageFetcher = (query: OngoingMeetingsQuery, signal: AbortSignal) => Promise<OngoingMeetingsPage>;

export interface WalkSettings {
  pageSize: number;
  concurrency: number;
  maxItems: number;
  maxPages: number;
  overlap: number;
  signal: AbortSignal | undefined;
}

const NO_PROGRESS_LIMIT = 2;

/** A second seed (the golden ratio's bits): two 32-bit hashes of one value, so that keys collide as 64-bit ones. */
const SECOND_SEED = 0x9e3779b9;

/**
 * A meeting's identity across pages: its UUID, else its meeting ID, else (a meeting with neither) a hash of
 * its content as a value (keys in any order, at any depth), so that a re-read one is still recognised; such a
 * meeting is new again once any field changes.
 */
export function meetingKey(meeting: ConferenceInfo): string {
  if (typeof meeting.confUUID === 'string' && meeting.confUUID !== '') return `u:${meeting.confUUID}`;
  if (typeof meeting.conferenceID === 'string' && meeting.conferenceID !== '') return `c:${meeting.conferenceID}`;
  return `h:${hashValue(meeting).toString(36)}.${hashValue(meeting, SECOND_SEED).toString(36)}`;
}

/**
 * The walk's settings from resolved options: `overlap` depends on `pageSize`. A watch needs at least one meeting
 * re-read at each boundary (`minOverlap` 1: how a poll knows it missed none), so its pages hold at least two.
 */
export function walkSettings(
  options: Resolved<typeof paginationOptionTable>,
  operation: string,
  minOverlap: 0 | 1 = 0,
): WalkSettings {
  const { pageSize } = options;
  if (pageSize <= minOverlap) {
    throw new MeetingInputError(
      `${operation}: pageSize must be at least ${minOverlap + 1} for a watch (a page re-reads ${minOverlap} ` +
        `meeting of the one before, to know that none was missed), got ${pageSize}`,
      { operation, parameter: 'pageSize' },
    );
  }
  const overlap = options.overlap ?? Math.min(pageSize - 1, Math.max(1, Math.ceil(pageSize / 20)));
  if (overlap >= pageSize) {
    throw new MeetingInputError(
      `${operation}: overlap must be a whole number from ${minOverlap} to pageSize − 1 (${pageSize - 1}), ` +
        `got ${overlap}`,
      { operation, parameter: 'overlap' },
    );
  }
  return {
    pageSize,
    concurrency: options.concurrency,
    maxItems: options.maxItems,
    maxPages: options.maxPages,
    overlap,
    signal: options.signal,
  };
}

/** The keys of the last `capacity` meetings yielded: enough to recognise what an overlap or a shift repeats. */
class RecentKeys {
  readonly #set = new Set<string>();
  readonly #order: string[] = [];
  #head = 0;
  constructor(readonly capacity: number) {}
  has(key: string): boolean {
    return this.#set.has(key);
  }
  add(key: string): void {
    this.#set.add(key);
    this.#order.push(key);
    if (this.#order.length - this.#head > this.capacity) {
      this.#set.delete(this.#order[this.#head]!);
      this.#head++;
      if (this.#head > this.capacity) {
        this.#order.splice(0, this.#head);
        this.#head = 0;
      }
    }
  }
}

/** Told when two pages in a row share no meeting: the walk may have missed some (more ended than the overlap). */
export interface WalkObserver {
  gap(offset: number): void;
}

/**
 * Yields every page in order, each holding only meetings not yielded before. Ends at the total
 * (`count`), on a short page, on an empty page at or past the count (meetings ended faster than the walk
 * moved), or at `maxItems`; fails on a page that contradicts its own `count`,
 * on pages that bring nothing new (an offset that does not advance), and past `maxPages`.
 */
export async function* walkPages(
  fetchPage: PageFetcher,
  query: OngoingMeetingsQuery,
  settings: WalkSettings,
  operation: string,
  observer?: WalkObserver,
): AsyncGenerator<OngoingMeetingsPage, void, undefined> {
  const { pageSize, concurrency, maxItems, maxPages, overlap, signal: callerSignal } = settings;
  const start = query.offset ?? 0;
  const step = pageSize - overlap;
  // One controller for the walk's requests: it follows the caller's signal, and stops them when the walk ends.
  const stop = new AbortController();
  const unsubscribe = callerSignal ? onAbort(callerSignal, () => stop.abort(callerSignal.reason)) : undefined;
  const { signal } = stop;
  const recent = new RecentKeys(pageSize * (concurrency + 1));
  const inFlight: { offset: number; page: Promise<OngoingMeetingsPage> }[] = [];
  let nextIndex = 0;
  let knownCount = Number.POSITIVE_INFINITY;
  let yielded = 0;
  let pagesRequested = 0;
  let pagesWithoutProgress = 0;
  let previousTail = new Set<string>();

  const fail = (message: string, page: OngoingMeetingsPage) =>
    new MeetingResponseError(
      `${operation}: ${message}`,
      { status: 200, body: JSON.stringify({ offset: page.offset, limit: page.limit, count: page.count }) },
      {
        operation,
        attempts: pagesRequested,
      },
    );

  const schedule = () => {
    while (inFlight.length < (nextIndex === 0 ? 1 : concurrency)) {
      const offset = start + nextIndex * step;
      // A page is worth asking for only while the one before it ends short of the total.
      if (nextIndex > 0 && offset - step + pageSize >= knownCount) return;
      if (pagesRequested >= maxPages) return;
      pagesRequested++;
      nextIndex++;
      const page = fetchPage({ ...query, offset, limit: pageSize }, signal);
      page.catch(() => undefined); // it may be abandoned; its error is raised when it is awaited
      inFlight.push({ offset, page });
    }
  };

  try {
    for (;;) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      schedule();
      const next = inFlight.shift();
      if (!next) {
        if (pagesRequested >= maxPages) {
          throw new MeetingResponseError(
            `${operation}: stopped after maxPages (${maxPages}) requests without reaching the end; ` +
              "the server's count keeps growing or the walk is longer than allowed (raise maxPages)",
            { status: 200, body: '' },
            { operation, attempts: pagesRequested },
          );
        }
        return;
      }
      const page = await next.page;
      const received = page.data.length;
      if (received < pageSize && next.offset + received < page.count) {
        throw fail(
          `the page at offset ${next.offset} ended after ${received} meetings, ` +
            `yet its count says ${page.count} in all: the count is wrong`,
          page,
        );
      }
      if (received > pageSize) {
        throw fail(
          `the page at offset ${next.offset} has ${received} meetings, ` +
            `more than the limit of ${pageSize} that was asked for`,
          page,
        );
      }
      // An empty page at or past the count is the end: meetings ended faster than the walk moved (fast churn).
      if (received > 0 && next.offset + received > page.count) {
        throw fail(
          `the page at offset ${next.offset} holds meetings up to #${next.offset + received}, ` +
            `yet its count says ${page.count} in all: the count is wrong`,
          page,
        );
      }
      knownCount = page.count;

      const keys = page.data.map(meetingKey);
      // The overlap re-reads the end of the page before: when none of it is here, more meetings ended in between
      // than the overlap covers, and some may have been skipped.
      // An empty page after a full one: the count fell below this offset, so the overlap cannot be checked.
      if (previousTail.size > 0 && !keys.some((key) => previousTail.has(key))) observer?.gap(next.offset);
      const full = received === pageSize;
      previousTail = new Set(full && overlap > 0 ? keys.slice(-overlap) : []);

      const fresh: ConferenceInfo[] = [];
      for (const [i, meeting] of page.data.entries()) {
        if (yielded + fresh.length >= maxItems) break;
        const key = keys[i]!;
        if (recent.has(key)) continue;
        recent.add(key);
        fresh.push(meeting);
      }
      pagesWithoutProgress = full && fresh.length === 0 ? pagesWithoutProgress + 1 : 0;
      if (pagesWithoutProgress >= NO_PROGRESS_LIMIT) {
        throw fail(
          `${NO_PROGRESS_LIMIT} full pages in a row (up to offset ${next.offset}, server says offset ${page.offset}) ` +
            'held only meetings already seen: the server does not advance the offset',
          page,
        );
      }
      yielded += fresh.length;
      yield carryMetadata(page, { ...page, data: fresh });
      if (!full || yielded >= maxItems || next.offset + received >= page.count) return;
    }
  } finally {
    unsubscribe?.();
    stop.abort(new Error('pagination finished'));
  }
}

/** Every meeting, in order, once each. */
export async function* walkMeetings(
  pages: AsyncIterable<OngoingMeetingsPage>,
): AsyncGenerator<ConferenceInfo, void, undefined> {
  for await (const page of pages) yield* page.data;
}
