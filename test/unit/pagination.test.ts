import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import {
  createMeetingClient,
  MeetingInputError,
  MeetingResponseError,
  type ConferenceInfo,
  type OngoingMeetingsPage,
} from '../../src/index.js';
import { paginationOptionTable, resolveOptions } from '../../src/options.js';
import { meetingKey, walkPages, walkSettings, type PageFetcher, type PaginationOptions } from '../../src/pagination.js';
import { fakeFetch, jsonResponse } from './fake-fetch.js';

const limitSchema = specFacts.operations.listOngoingMeetings.query.limit;
const OPERATION = 'listOngoingMeetings';
/** The walk's settings as the client resolves them from its options. */
const settingsOf = (options: PaginationOptions) =>
  walkSettings(resolveOptions(OPERATION, paginationOptionTable, options), OPERATION);
const meeting = (n: number): ConferenceInfo => ({
  confUUID: `uuid-${n}`,
  conferenceID: String(900000000 + n),
  subject: `m${n}`,
});

/** An in-memory list server: `before` runs before each request (churn), then the page is cut from the list. */
function listServer(list: ConferenceInfo[], before: (list: ConferenceInfo[], call: number) => void = () => undefined) {
  let calls = 0;
  const offsets: number[] = [];
  const fetchPage: PageFetcher = async (query) => {
    before(list, calls++);
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 20;
    offsets.push(offset);
    await Promise.resolve();
    return { offset, limit, count: list.length, data: list.slice(offset, offset + limit) };
  };
  return { fetchPage, offsets, calls: () => calls };
}

async function collect(fetchPage: PageFetcher, options: PaginationOptions = {}, query = {}): Promise<ConferenceInfo[]> {
  const out: ConferenceInfo[] = [];
  for await (const page of walkPages(fetchPage, query, settingsOf(options), OPERATION)) out.push(...page.data);
  return out;
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('walkPages', () => {
  it("asks for the spec's maximum page size by default and stops at the total", async () => {
    const server = listServer(Array.from({ length: 1200 }, (_, i) => meeting(i)));
    const all = await collect(server.fetchPage);
    expect(all.map((m) => m.confUUID)).toEqual(Array.from({ length: 1200 }, (_, i) => `uuid-${i}`));
    const overlap = Math.ceil(limitSchema.maximum / 20);
    expect(server.offsets).toEqual([0, limitSchema.maximum - overlap, 2 * (limitSchema.maximum - overlap)]);
  });

  it('stops on an empty first page and on maxItems, without asking for more', async () => {
    expect(await collect(listServer([]).fetchPage)).toEqual([]);
    const server = listServer(Array.from({ length: 100 }, (_, i) => meeting(i)));
    const some = await collect(server.fetchPage, { pageSize: 10, maxItems: 15 });
    expect(some).toHaveLength(15);
    expect(server.calls()).toBe(2);
  });

  it('starts at query.offset and refuses query.limit in favour of pageSize', async () => {
    const server = listServer(Array.from({ length: 30 }, (_, i) => meeting(i)));
    const rest = await collect(server.fetchPage, { pageSize: 10 }, { offset: 25 });
    expect(rest.map((m) => m.subject)).toEqual(['m25', 'm26', 'm27', 'm28', 'm29']);
    const client = createMeetingClient({ token: 't', fetch: fakeFetch(() => jsonResponse({})).fetch });
    expect(() => client.ongoingMeetings({ limit: 5 } as never)).toThrow(/pageSize option, not query.limit/);
  });

  it.each([
    [{ pageSize: 0 }, /pageSize must be a whole number from 1 to 500, got 0/],
    [{ pageSize: 501 }, /pageSize must be a whole number from 1 to 500, got 501/],
    [{ concurrency: 0 }, /concurrency must be a whole number from 1 to 16/],
    [{ maxItems: 0 }, /maxItems must be a whole number from 1 to/],
    [{ pageSize: 10, overlap: 10 }, /overlap must be a whole number from 0 to pageSize − 1 \(9\)/],
    [{ pageSise: 10 } as PaginationOptions, /unknown option "pageSise"; did you mean "pageSize"\?/],
  ])('refuses options %o', (options, message) => {
    expect(() => settingsOf(options)).toThrow(MeetingInputError);
    expect(() => settingsOf(options)).toThrow(message);
  });

  it('fails with kind response when a short page contradicts its own count (a lying count)', async () => {
    const lying: PageFetcher = async ({ offset = 0, limit = 20 }) => ({
      offset,
      limit,
      count: 1000,
      data: offset === 0 ? [meeting(1)] : [],
    });
    const error = await errorOf(collect(lying));
    expect(error).toBeInstanceOf(MeetingResponseError);
    expect((error as Error).message).toMatch(
      /ended after 1 meetings, yet its count says 1000 in all: the count is wrong/,
    );
  });

  it('ends at an empty page past a count that fell (meetings ended faster than a page), a gap', async () => {
    // 30 meetings, pages of 10 re-reading 1: the second page is asked at offset 9, after 25 meetings ended.
    const list = Array.from({ length: 30 }, (_, i) => meeting(i));
    const server = listServer(list, (current, call) => {
      if (call === 1) current.splice(0, 25);
    });
    const gaps: number[] = [];
    const pages: OngoingMeetingsPage[] = [];
    for await (const page of walkPages(server.fetchPage, {}, settingsOf({ pageSize: 10 }), OPERATION, {
      gap: (offset) => gaps.push(offset),
    }))
      pages.push(page);
    expect(pages.map((p) => [p.offset, p.count, p.data.length])).toEqual([
      [0, 30, 10],
      [9, 5, 0],
    ]);
    expect(server.offsets).toEqual([0, 9]);
    // Meetings 25 to 29 moved to offsets 0 to 4, before this page: a watch must not call them ended.
    expect(gaps).toEqual([9]);
  });

  it('ends at the first empty page past the new count, with more pages in flight', async () => {
    const list = Array.from({ length: 100 }, (_, i) => meeting(i));
    const offsets: number[] = [];
    const fetchPage: PageFetcher = async ({ offset = 0, limit = 20 }) => {
      offsets.push(offset);
      if (offsets.length === 2) list.splice(0, 92); // 8 left: every page after the first is past the end
      return { offset, limit, count: list.length, data: list.slice(offset, offset + limit) };
    };
    const all = await collect(fetchPage, { pageSize: 10, concurrency: 3 });
    expect(all.map((m) => m.subject)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(offsets).toEqual([0, 9, 18, 27]); // 27 was asked while the page at 9 was awaited
  });

  it('fails with kind response when a page holds more than its count', async () => {
    const lying: PageFetcher = async ({ offset = 0, limit = 20 }) => ({
      offset,
      limit,
      count: 3,
      data: Array.from({ length: limit }, (_, i) => meeting(offset + i)),
    });
    await expect(collect(lying, { pageSize: 10 })).rejects.toThrow(/count says 3 in all: the count is wrong/);
  });

  it('fails with kind response when the offset does not advance', async () => {
    const stalled: PageFetcher = async ({ limit = 20 }) => ({
      offset: 0,
      limit,
      count: 10_000,
      data: Array.from({ length: limit }, (_, i) => meeting(i)),
    });
    const error = await errorOf(collect(stalled, { pageSize: 10 }));
    expect(error).toMatchObject({ kind: 'response' });
    expect((error as Error).message).toMatch(/held only meetings already seen: the server does not advance the offset/);
  });

  it('ends at maxPages with kind response when the total keeps growing', async () => {
    let n = 0;
    const endless: PageFetcher = async ({ offset = 0, limit = 20 }) => ({
      offset,
      limit,
      count: offset + 2 * limit,
      data: Array.from({ length: limit }, () => meeting(n++)),
    });
    await expect(collect(endless, { pageSize: 5, maxPages: 7 })).rejects.toThrow(
      /stopped after maxPages \(7\) requests/,
    );
  });

  it('keeps at most `concurrency` requests in flight and yields pages in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const list = Array.from({ length: 200 }, (_, i) => meeting(i));
    const slow: PageFetcher = async ({ offset = 0, limit = 20 }) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1 + ((offset * 7) % 5)));
      inFlight--;
      return { offset, limit, count: list.length, data: list.slice(offset, offset + limit) };
    };
    const all = await collect(slow, { pageSize: 10, concurrency: 4 });
    expect(all.map((m) => m.confUUID)).toEqual(list.map((m) => m.confUUID));
    expect(peak).toBe(4);
  });

  it('cancels the requests in flight when the caller breaks out', async () => {
    const signals: AbortSignal[] = [];
    const list = Array.from({ length: 100 }, (_, i) => meeting(i));
    const fetchPage: PageFetcher = async ({ offset = 0, limit = 20 }, signal) => {
      signals.push(signal);
      return { offset, limit, count: list.length, data: list.slice(offset, offset + limit) };
    };
    for await (const page of walkPages(fetchPage, {}, settingsOf({ pageSize: 10, concurrency: 3 }), OPERATION)) {
      expect(page.data.length).toBeGreaterThan(0);
      break;
    }
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it("rejects with the caller's reason on abort", async () => {
    const controller = new AbortController();
    const reason = new Error('enough');
    const list = Array.from({ length: 100 }, (_, i) => meeting(i));
    const fetchPage: PageFetcher = async ({ offset = 0, limit = 20 }) => {
      if (offset > 0) controller.abort(reason);
      return { offset, limit, count: list.length, data: list.slice(offset, offset + limit) };
    };
    expect(await errorOf(collect(fetchPage, { pageSize: 10, signal: controller.signal }))).toBe(reason);
  });
});

describe('meetings with no ID', () => {
  /** A meeting with neither confUUID nor conferenceID, its nested keys in the order given. */
  const anonymous = (n: number, reversed: boolean) =>
    ({
      ...(reversed ? { scheduserName: `s${n}`, subject: `m${n}` } : { subject: `m${n}`, scheduserName: `s${n}` }),
      partInfo: reversed
        ? { roles: [1, 2], host: { id: n, name: 'h' } }
        : { host: { name: 'h', id: n }, roles: [1, 2] },
    }) as ConferenceInfo;

  it('are one meeting whatever order their keys come in, at any depth; another value or array order is another', () => {
    expect(meetingKey(anonymous(1, true))).toBe(meetingKey(anonymous(1, false)));
    expect(meetingKey(anonymous(1, true))).toMatch(/^h:/);
    expect(meetingKey(anonymous(1, true))).not.toBe(meetingKey(anonymous(2, true)));
    const swapped = {
      ...anonymous(1, true),
      partInfo: { roles: [2, 1], host: { id: 1, name: 'h' } },
    } as ConferenceInfo;
    expect(meetingKey(swapped)).not.toBe(meetingKey(anonymous(1, true)));
  });

  it('are yielded once when the server re-reads one at a page boundary with its keys in another order', async () => {
    const list = Array.from({ length: 30 }, (_, n) => anonymous(n, false));
    // Each answer orders the keys the other way, as a server that builds its JSON from a hash map may.
    const server = listServer(list, (current, call) => {
      for (let n = 0; n < current.length; n++) current[n] = anonymous(n, call % 2 === 1);
    });
    const all = await collect(server.fetchPage, { pageSize: 10, concurrency: 1 });
    expect(all.map((m) => m.subject)).toEqual(Array.from({ length: 30 }, (_, n) => `m${n}`));
  });
});

describe('a long walk', () => {
  it('yields 100,000 meetings once each, in order, keeping no more than a few pages in memory', async () => {
    const total = 100_000;
    const fetchPage: PageFetcher = async ({ offset = 0, limit = 20 }) => ({
      offset,
      limit,
      count: total,
      data: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => meeting(offset + i)),
    });
    let expected = 0;
    let maxPageHeld = 0;
    for await (const page of walkPages(fetchPage, {}, settingsOf({ concurrency: 4 }), OPERATION)) {
      maxPageHeld = Math.max(maxPageHeld, page.data.length);
      for (const m of page.data) expect(m.confUUID).toBe(`uuid-${expected++}`);
    }
    expect(expected).toBe(total);
    expect(maxPageHeld).toBeLessThanOrEqual(limitSchema.maximum);
  });
});

describe('walkPages under churn (property)', () => {
  it('yields every meeting present for the whole walk exactly once, never one twice, and terminates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { maxLength: 40 }),
        async (total, pageSize, concurrency, churn) => {
          let nextId = total;
          const list = Array.from({ length: total }, (_, i) => meeting(i));
          const removed = new Set<string>();
          const added = new Set<string>();
          const overlap = settingsOf({ pageSize }).overlap;
          // Between two requests: up to `overlap` meetings end (anywhere), and fewer start (anywhere) than half of
          // what a page advances: offset paging cannot outrun meetings inserted ahead of it faster than it moves.
          const maxAdds = Math.floor((pageSize - overlap) / 2);
          const server = listServer(list, (current, call) => {
            const [removeSeed, removeCount, addSeed, addCount] = churn[call % Math.max(1, churn.length)] ?? [
              0, 0, 0, 0,
            ];
            if (churn.length === 0) return;
            for (let i = 0; i < removeCount % (overlap + 1) && current.length > 0; i++) {
              const [gone] = current.splice((removeSeed + i * 7) % current.length, 1);
              removed.add(gone!.confUUID!);
            }
            for (let i = 0; i < addCount % (maxAdds + 1); i++) {
              const fresh = meeting(nextId++);
              added.add(fresh.confUUID!);
              current.splice((addSeed + i * 13) % (current.length + 1), 0, fresh);
            }
          });
          const yielded = (await collect(server.fetchPage, { pageSize, concurrency })).map((m) => m.confUUID!);
          const seen = new Set(yielded);
          expect(seen.size).toBe(yielded.length);
          for (let i = 0; i < total; i++) {
            const key = `uuid-${i}`;
            if (!removed.has(key)) expect(seen.has(key), `${key} missing`).toBe(true);
          }
          for (const key of seen) expect(key.startsWith('uuid-')).toBe(true);
          expect(server.calls()).toBeLessThan(total + 50);
        },
      ),
      { numRuns: 200, seed: Number(process.env.FC_SEED ?? 20261126) },
    );
  });
});

describe('the client iterators', () => {
  const pageOf = (list: ConferenceInfo[], url: URL): OngoingMeetingsPage => {
    const offset = Number(url.searchParams.get('offset'));
    const limit = Number(url.searchParams.get('limit'));
    return { offset, limit, count: list.length, data: list.slice(offset, offset + limit) };
  };

  it('ongoingMeetings yields each meeting once, through listOngoingMeetings', async () => {
    const list = Array.from({ length: 45 }, (_, i) => meeting(i));
    const fake = fakeFetch((request) => jsonResponse(pageOf(list, new URL(request.url))));
    const client = createMeetingClient({ token: 't', fetch: fake.fetch });
    const out: string[] = [];
    for await (const m of client.ongoingMeetings({ queryAll: true }, { pageSize: 20 })) out.push(m.subject!);
    expect(out).toEqual(list.map((m) => m.subject));
    expect(fake.requests.every((r) => new URL(r.url).searchParams.get('queryAll') === 'true')).toBe(true);
  });

  it('ongoingMeetingPages checks the query before the first request', () => {
    const fake = fakeFetch(() => jsonResponse({}));
    const client = createMeetingClient({ token: 't', fetch: fake.fetch });
    expect(() => client.ongoingMeetingPages({ searchKey: '' })).toThrow(
      /searchKey must be a string of 1 to 128 characters/,
    );
    expect(fake.requests).toHaveLength(0);
  });
});
