// Walks every page of the ongoing-meeting list. Offsets shift while meetings start and end, so the walk
// re-reads a few meetings before each page boundary (`overlap`) and drops those it has already yielded;
// it remembers only the keys of the last few pages, so memory stays bounded by concurrency × pageSize.
import { MeetingInputError, MeetingResponseError } from './errors.js';
import type { ConferenceInfo, OngoingMeetingsPage, OngoingMeetingsQuery } from './types.js';

export interface PaginationOptions {
  /** Meetings per request. Default: the spec's maximum `limit`. */
  pageSize?: number;
  /** Requests in flight at once once the first page has told the total. Default 1. */
  concurrency?: number;
  /** Stop after yielding this many meetings. */
  maxItems?: number;
  /** Hard cap on requests for one walk; past it the walk fails with kind `'response'`. Default 10 000. */
  maxPages?: number;
  /**
   * Meetings re-read before each page boundary, so that meetings ending during the walk do not make the
   * next page skip one. Default: 5% of pageSize (at least 1, at most pageSize − 1).
   */
  overlap?: number;
  /** Cancels the walk; it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export type PageFetcher = (query: OngoingMeetingsQuery, signal: AbortSignal) => Promise<OngoingMeetingsPage>;

interface WalkSettings {
  pageSize: number;
  concurrency: number;
  maxItems: number;
  maxPages: number;
  overlap: number;
}

const OPERATION = 'listOngoingMeetings';
const MAX_CONCURRENCY = 16;
const NO_PROGRESS_LIMIT = 2;

/** A meeting's identity across pages: its UUID, else its meeting ID; undefined when it has neither. */
export function meetingKey(meeting: ConferenceInfo): string | undefined {
  return meeting.confUUID ?? meeting.conferenceID;
}

export function walkSettings(options: PaginationOptions, limitSchema: { minimum: number; maximum: number }): WalkSettings {
  const input = (parameter: string, message: string) => new MeetingInputError(`${OPERATION}: ${message}`, { operation: OPERATION, parameter });
  const pageSize = options.pageSize ?? limitSchema.maximum;
  if (!Number.isInteger(pageSize) || pageSize < limitSchema.minimum || pageSize > limitSchema.maximum) {
    throw input('pageSize', `pageSize must be an integer from ${limitSchema.minimum} to ${limitSchema.maximum} (the spec's limit), got ${String(pageSize)}`);
  }
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw input('concurrency', `concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${String(concurrency)}`);
  }
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  if (options.maxItems !== undefined && (!Number.isInteger(maxItems) || maxItems < 1)) {
    throw input('maxItems', `maxItems must be a positive integer, got ${String(options.maxItems)}`);
  }
  const maxPages = options.maxPages ?? 10_000;
  if (!Number.isInteger(maxPages) || maxPages < 1) throw input('maxPages', `maxPages must be a positive integer, got ${String(maxPages)}`);
  const overlap = options.overlap ?? Math.min(pageSize - 1, Math.max(1, Math.ceil(pageSize / 20)));
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= pageSize) {
    throw input('overlap', `overlap must be an integer from 0 to pageSize − 1 (${pageSize - 1}), got ${String(overlap)}`);
  }
  return { pageSize, concurrency, maxItems, maxPages, overlap };
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

/**
 * Yields every page in order, each holding only meetings not yielded before. Ends at the total
 * (`count`), on a short or empty page, or at `maxItems`; fails on a page that contradicts its own `count`,
 * on pages that bring nothing new (an offset that does not advance), and past `maxPages`.
 */
export async function* walkPages(
  fetchPage: PageFetcher,
  query: OngoingMeetingsQuery,
  settings: WalkSettings,
  callerSignal?: AbortSignal,
): AsyncGenerator<OngoingMeetingsPage, void, undefined> {
  if ('limit' in query && query.limit !== undefined) {
    throw new MeetingInputError(`${OPERATION}: set the page size with the pageSize option, not query.limit`, {
      operation: OPERATION,
      parameter: 'limit',
    });
  }
  const { pageSize, concurrency, maxItems, maxPages, overlap } = settings;
  const start = query.offset ?? 0;
  const step = pageSize - overlap;
  const stop = new AbortController();
  const signal = callerSignal ? AbortSignal.any([callerSignal, stop.signal]) : stop.signal;
  const recent = new RecentKeys(pageSize * (concurrency + 1));
  const inFlight: { offset: number; page: Promise<OngoingMeetingsPage> }[] = [];
  let nextIndex = 0;
  let knownCount = Number.POSITIVE_INFINITY;
  let yielded = 0;
  let pagesRequested = 0;
  let pagesWithoutProgress = 0;

  const fail = (message: string, page: OngoingMeetingsPage) =>
    new MeetingResponseError(`${OPERATION}: ${message}`, { status: 200, body: JSON.stringify({ offset: page.offset, limit: page.limit, count: page.count }) }, {
      operation: OPERATION,
      attempts: pagesRequested,
    });

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
            `${OPERATION}: stopped after maxPages (${maxPages}) requests without reaching the end; the server's count keeps growing or the walk is longer than allowed (raise maxPages)`,
            { status: 200, body: '' },
            { operation: OPERATION, attempts: pagesRequested },
          );
        }
        return;
      }
      const page = await next.page;
      const received = page.data.length;
      if (received < pageSize && next.offset + received < page.count) {
        throw fail(`the page at offset ${next.offset} ended after ${received} meetings, yet its count says ${page.count} in all: the count is wrong`, page);
      }
      if (received > pageSize) {
        throw fail(`the page at offset ${next.offset} has ${received} meetings, more than the limit of ${pageSize} that was asked for`, page);
      }
      if (next.offset + received > page.count) {
        throw fail(`the page at offset ${next.offset} holds meetings up to #${next.offset + received}, yet its count says ${page.count} in all: the count is wrong`, page);
      }
      knownCount = page.count;

      const fresh: ConferenceInfo[] = [];
      for (const meeting of page.data) {
        if (yielded + fresh.length >= maxItems) break;
        const key = meetingKey(meeting);
        if (key !== undefined) {
          if (recent.has(key)) continue;
          recent.add(key);
        }
        fresh.push(meeting);
      }
      const full = received === pageSize;
      pagesWithoutProgress = full && fresh.length === 0 ? pagesWithoutProgress + 1 : 0;
      if (pagesWithoutProgress >= NO_PROGRESS_LIMIT) {
        throw fail(
          `${NO_PROGRESS_LIMIT} full pages in a row (up to offset ${next.offset}, server says offset ${page.offset}) held only meetings already seen: the server does not advance the offset`,
          page,
        );
      }
      yielded += fresh.length;
      yield { ...page, data: fresh };
      if (!full || yielded >= maxItems || next.offset + received >= page.count) return;
    }
  } finally {
    stop.abort(new Error('pagination finished'));
  }
}

/** Every meeting, in order, once each. */
export async function* walkMeetings(pages: AsyncIterable<OngoingMeetingsPage>): AsyncGenerator<ConferenceInfo, void, undefined> {
  for await (const page of pages) yield* page.data;
}
