// The watch's own rules, with scripted polls: what a gap in a walk holds back, what it keeps per meeting, what it
// reports as changed, which failures it lives through, how long it waits (fake timers), how it stops.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMeetingClient,
  MeetingHttpError,
  MeetingNetworkError,
  type ConferenceInfo,
  type WatchEvent,
} from '../../src/index.js';
import { type Poll, watchKey, watchMeetings } from '../../src/watch.js';
import { hashValue, WatchState } from '../../src/watch-state.js';
import { fakeFetch, jsonResponse } from './fake-fetch.js';

const meeting = (n: number, extra: Partial<ConferenceInfo> = {}): ConferenceInfo => ({
  confUUID: `uuid-${n}`,
  conferenceID: String(900000000 + n),
  subject: `m${n}`,
  onlineAttendeeAmount: 1,
  ...extra,
});

type Step = { list: ConferenceInfo[]; gap?: boolean } | { fail: Error };

/** A poll that answers each step in turn (the last one again and again). */
function scripted(steps: Step[]): Poll {
  let i = 0;
  return (_signal, observer) =>
    (async function* () {
      const step = steps[Math.min(i++, steps.length - 1)]!;
      if ('fail' in step) throw step.fail;
      if (step.gap) observer.gap(10);
      yield { offset: 0, limit: 500, count: step.list.length, data: step.list };
    })();
}

const settings = {
  intervalMs: 0,
  keepPrevious: false,
  ignoreFields: [] as string[],
  maxBackoffMs: 10,
  signal: undefined,
};

async function take(poll: Poll, polls: number, overrides: Partial<typeof settings> = {}): Promise<WatchEvent[][]> {
  const perPoll: WatchEvent[][] = [[]];
  for await (const event of watchMeetings(poll, { ...settings, ...overrides })) {
    perPoll.at(-1)!.push(event);
    if (event.type === 'synced') {
      if (perPoll.length === polls) break;
      perPoll.push([]);
    }
  }
  return perPoll;
}
const types = (events: WatchEvent[]) => events.map((e) => ('key' in e ? `${e.type} ${e.key}` : e.type));

describe('watchMeetings', () => {
  it('starts with a snapshot, then reports starts, changes (with fields) and ends, each poll then synced', async () => {
    const polls = await take(
      scripted([
        { list: [meeting(1), meeting(2)] },
        { list: [meeting(2, { onlineAttendeeAmount: 5, subject: 'renamed' }), meeting(3)] },
      ]),
      2,
    );
    expect(types(polls[0]!)).toEqual(['snapshot', 'synced']);
    expect(types(polls[1]!)).toEqual(['changed u:uuid-2', 'started u:uuid-3', 'ended u:uuid-1', 'synced']);
    const changed = polls[1]![0] as Extract<WatchEvent, { type: 'changed' }>;
    expect(changed.changedFields.sort()).toEqual(['onlineAttendeeAmount', 'subject']);
    expect(polls[1]!.at(-1)).toMatchObject({ type: 'synced', poll: 2, count: 2 });
  });

  it('holds back ended after a walk with a gap: the meeting is decided by the next complete poll', async () => {
    const polls = await take(
      scripted([
        { list: [meeting(1), meeting(2)] },
        { list: [meeting(2)], gap: true },
        { list: [meeting(1), meeting(2)] },
        { list: [meeting(2)] },
      ]),
      4,
    );
    expect(types(polls[1]!)).toEqual(['synced']); // meeting 1 unseen, but the walk may have skipped it
    expect(types(polls[2]!)).toEqual(['synced']); // there it is: no ended, no started
    expect(types(polls[3]!)).toEqual(['ended u:uuid-1', 'synced']);
  });

  it('takes the snapshot again when its walk had a gap', async () => {
    const polls = await take(scripted([{ list: [meeting(1)], gap: true }, { list: [meeting(1), meeting(2)] }]), 1);
    const snapshot = polls[0]![0] as Extract<WatchEvent, { type: 'snapshot' }>;
    expect(snapshot.meetings.map(watchKey)).toEqual(['u:uuid-1', 'u:uuid-2']);
  });

  it('keeps the meetings themselves only when asked, for previous and ended', async () => {
    const steps: Step[] = [{ list: [meeting(1), meeting(2)] }, { list: [meeting(2, { subject: 'new' })] }];
    const lean = await take(scripted(steps), 2);
    expect(lean[1]!.find((e) => e.type === 'ended')).not.toHaveProperty('meeting');
    expect(lean[1]!.find((e) => e.type === 'changed')).not.toHaveProperty('previous');
    const kept = await take(scripted(steps), 2, { keepPrevious: true });
    expect(kept[1]!.find((e) => e.type === 'ended')).toMatchObject({ meeting: { subject: 'm1' } });
    expect(kept[1]!.find((e) => e.type === 'changed')).toMatchObject({
      previous: { subject: 'm2' },
      meeting: { subject: 'new' },
    });
  });

  it('ignores changes of the fields it is told to', async () => {
    const polls = await take(
      scripted([{ list: [meeting(1)] }, { list: [meeting(1, { onlineAttendeeAmount: 9 })] }]),
      2,
      {
        ignoreFields: ['onlineAttendeeAmount'],
      },
    );
    expect(types(polls[1]!)).toEqual(['synced']);
  });

  it('tells a meeting with neither ID by its content', async () => {
    const anonymous = { subject: 'no id', startTime: '2026-11-27 09:00' };
    const polls = await take(scripted([{ list: [anonymous] }, { list: [anonymous] }]), 2);
    expect(types(polls[1]!)).toEqual(['synced']);
  });

  it('lives through a failed poll (error event, backing off), and ends on one that cannot heal', async () => {
    const busy = new MeetingHttpError({ status: 503 }, { operation: 'listOngoingMeetings', attempts: 3 });
    const down = new MeetingNetworkError('reset', { operation: 'listOngoingMeetings', attempts: 3 });
    const polls = await take(
      scripted([{ list: [meeting(1)] }, { fail: busy }, { fail: down }, { list: [meeting(1)] }]),
      2,
      {
        intervalMs: 1,
      },
    );
    expect(types(polls[1]!)).toEqual(['error', 'error', 'synced']);
    expect(polls[1]!.slice(0, 2)).toMatchObject([
      { failures: 1, retryInMs: 2 },
      { failures: 2, retryInMs: 4 },
    ]);
    const forbidden = new MeetingHttpError({ status: 403 }, { operation: 'listOngoingMeetings', attempts: 1 });
    await expect(take(scripted([{ list: [meeting(1)] }, { fail: forbidden }]), 3)).rejects.toBe(forbidden);
  });
});

/** The first event of the next poll after `it`, and the polls made meanwhile, driven by hand. */
function counting(steps: Step[]): { poll: Poll; calls: () => number } {
  let calls = 0;
  const inner = scripted(steps);
  return {
    poll: (signal, observer) => {
      calls++;
      return inner(signal, observer);
    },
    calls: () => calls,
  };
}

describe('watchMeetings compares values, not texts', () => {
  it('reports no change when a nested object comes back with its keys in another order', async () => {
    const config = { isSendNotify: true, isAutoMute: false, callInRestriction: 2 as const };
    const reordered = { callInRestriction: 2 as const, isAutoMute: false, isSendNotify: true };
    const polls = await take(
      scripted([
        { list: [meeting(1, { confConfigInfo: config })] },
        { list: [meeting(1, { confConfigInfo: reordered })] },
      ]),
      2,
    );
    expect(types(polls[1]!)).toEqual(['synced']);
  });

  it('reports a change of array order, and of a value deeper than JSON.stringify can go', async () => {
    const deep = (leaf: number) => {
      let value: unknown = leaf;
      for (let i = 0; i < 100_000; i++) value = { v: value };
      return value;
    };
    const polls = await take(
      scripted([
        { list: [meeting(1, { tags: [1, 2] } as Partial<ConferenceInfo>), meeting(2, { nest: deep(1) } as never)] },
        { list: [meeting(1, { tags: [2, 1] } as Partial<ConferenceInfo>), meeting(2, { nest: deep(2) } as never)] },
      ]),
      2,
    );
    expect(polls[1]!.filter((e) => e.type === 'changed')).toMatchObject([
      { key: 'u:uuid-1', changedFields: ['tags'] },
      { key: 'u:uuid-2', changedFields: ['nest'] },
    ]);
  });

  it('hashes a value, not its text: key order ignored, array order, types and boundaries kept', () => {
    expect(hashValue({ a: 1, b: [1, { c: 'x', d: null }] })).toBe(hashValue({ b: [1, { d: null, c: 'x' }], a: 1 }));
    const distinct = [1, '1', true, 'true', null, 'null', [1, 2], [2, 1], ['ab', 'c'], ['a', 'bc'], { a: 1 }, [1]];
    expect(new Set(distinct.map(hashValue)).size).toBe(distinct.length);
  });
});

describe('watchMeetings keys', () => {
  it("never merges a meeting whose confUUID is another meeting's conferenceID", async () => {
    const a: ConferenceInfo = { confUUID: '900000001', conferenceID: '900000002', subject: 'a' };
    const b: ConferenceInfo = { conferenceID: '900000001', subject: 'b' };
    const polls = await take(scripted([{ list: [a, b] }, { list: [a, b] }]), 2);
    const snapshot = polls[0]![0] as Extract<WatchEvent, { type: 'snapshot' }>;
    expect(snapshot.meetings.map(watchKey)).toEqual(['u:900000001', 'c:900000001']);
    expect(polls[0]!.at(-1)).toMatchObject({ type: 'synced', count: 2 });
    expect(types(polls[1]!)).toEqual(['synced']);
    expect(polls[1]!.at(-1)).toMatchObject({ type: 'synced', count: 2 });
  });
});

describe('watchMeetings memory', () => {
  it('holds per meeting its key and one hash per field present, whatever names the server invents', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const used = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    };
    // Each meeting carries a field name no other has: a slot as wide as every name ever seen costs meetings × names.
    const count = 3000;
    const list = Array.from({ length: count }, (_, n) => meeting(n, { [`custom_${n}`]: n } as never));
    const before = used();
    let held = 0;
    for await (const event of watchMeetings(scripted([{ list }]), settings)) {
      if (event.type === 'synced' && event.poll === 2) {
        held = used() - before;
        break;
      }
    }
    // Measured about 800 bytes a meeting (28 KB before the fix); the bound is generous for a shared worker.
    expect(held / count).toBeLessThan(4096);
  });

  it('allocates hashes for the fields present only, and drops the names of ended meetings', () => {
    const state = new WatchState(new Set());
    const write = (key: string, m: ConferenceInfo, walk: number) => {
      const found = state.see(key, m, walk);
      if (found) state.write(found, walk, undefined);
    };
    for (let n = 0; n < 1000; n++) write(`u:${n}`, meeting(n, { [`custom_${n}`]: n } as never), 1);
    for (let n = 1000; n < 2000; n++) write(`u:${n}`, meeting(n), 1);
    const present = 1000 * 5 + 1000 * 4;
    let held = state.held();
    expect(held.meetings).toBe(2000);
    expect(held.hashes).toBeGreaterThanOrEqual(present);
    expect(held.hashes).toBeLessThanOrEqual(present * 1.5);
    expect(held.names).toBe(1000 * 5 + 4); // a shape per invented name, and one for the 1000 alike
    for (let n = 0; n < 1000; n++) state.remove(`u:${n}`);
    held = state.held();
    expect(held).toMatchObject({ meetings: 1000, shapes: 1, names: 4 });
  });

  it('reports a field that appeared or went as changed', async () => {
    const polls = await take(
      scripted([
        { list: [meeting(1, { extra: 1 } as never)] },
        { list: [meeting(1, { other: 1 } as never)] },
        { list: [meeting(1, { other: 1 } as never)] },
      ]),
      3,
    );
    expect(polls[1]![0]).toMatchObject({ type: 'changed', key: 'u:uuid-1' });
    expect((polls[1]![0] as Extract<WatchEvent, { type: 'changed' }>).changedFields.sort()).toEqual(['extra', 'other']);
    expect(types(polls[2]!)).toEqual(['synced']);
  });
});

describe("watchMeetings keeps the server's pace (fake timers)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const op = { operation: 'listOngoingMeetings', attempts: 1 };

  it('waits at least what Retry-After asked for before the next poll, up to maxBackoffMs', async () => {
    vi.useFakeTimers();
    const busy = new MeetingHttpError({ status: 429, retryAfterMs: 2000 }, op);
    const { poll, calls } = counting([{ list: [meeting(1)] }, { fail: busy }, { list: [meeting(1)] }]);
    const watch = watchMeetings(poll, { ...settings, intervalMs: 10, maxBackoffMs: 60_000 });
    expect((await watch.next()).value).toMatchObject({ type: 'snapshot' });
    expect((await watch.next()).value).toMatchObject({ type: 'synced' });
    const error = watch.next();
    await vi.advanceTimersByTimeAsync(10);
    expect((await error).value).toMatchObject({ type: 'error', failures: 1, retryInMs: 2000 });
    const after = watch.next();
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls()).toBe(3);
    expect((await after).value).toMatchObject({ type: 'synced' });
    await watch.return();

    const capped = counting([
      { list: [meeting(1)] },
      { fail: new MeetingHttpError({ status: 503, retryAfterMs: 3.6e6 }, op) },
    ]);
    const cappedWatch = watchMeetings(capped.poll, { ...settings, intervalMs: 10, maxBackoffMs: 5000 });
    await cappedWatch.next();
    await cappedWatch.next();
    const cappedError = cappedWatch.next();
    await vi.advanceTimersByTimeAsync(10);
    expect((await cappedError).value).toMatchObject({ type: 'error', retryInMs: 5000 });
    await cappedWatch.return();
  });

  it('treats a Retry-After that is not a number as none: the back-off, not a wait of NaN (none at all)', async () => {
    const odd = new MeetingHttpError({ status: 429, retryAfterMs: Number.NaN }, op);
    const polls = await take(scripted([{ list: [meeting(1)] }, { fail: odd }, { list: [meeting(1)] }]), 2, {
      intervalMs: 1,
    });
    expect(polls[1]![0]).toMatchObject({ type: 'error', retryInMs: 2 });
  });

  it('never backs off for less than the interval: maxBackoffMs 0 against Huawei is no tight loop', async () => {
    vi.useFakeTimers();
    const fake = fakeFetch(() => jsonResponse({ error_code: 'MMC.111070005', error_msg: 'busy' }, 503));
    const client = createMeetingClient({ token: 't', fetch: fake.fetch, retries: 0 }); // Huawei's own host
    const watch = client.watchOngoingMeetings({}, { intervalMs: 1000, maxBackoffMs: 0 })[Symbol.asyncIterator]();
    expect((await watch.next()).value).toMatchObject({ type: 'error', failures: 1, retryInMs: 1000 });
    const second = watch.next();
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await second).value).toMatchObject({ type: 'error', failures: 2, retryInMs: 1000 });
    expect(fake.requests).toHaveLength(2);
    await watch.return?.(); // the client types it as an AsyncIterable
  });

  it('waits its interval on the monotonic clock: a wall clock stepped back an hour does not hold it', async () => {
    vi.useFakeTimers();
    const { poll, calls } = counting([{ list: [meeting(1)] }]);
    const watch = watchMeetings(poll, { ...settings, intervalMs: 5000 });
    await watch.next(); // snapshot
    const synced = (await watch.next()).value as Extract<WatchEvent, { type: 'synced' }>;
    expect(synced).toMatchObject({ nextPollInMs: 5000 });
    const next = watch.next();
    vi.setSystemTime(Date.now() - 3_600_000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls()).toBe(2);
    expect((await next).value).toMatchObject({ type: 'synced', poll: 2 });
    expect(((await next).value as { at: number }).at).toBeLessThan(synced.at); // `at` is wall time, as shown
    await watch.return();
  });
});

describe('watchMeetings stopped', () => {
  it('ends at once on return() while a poll is in flight, its requests aborted', async () => {
    let aborted = false;
    let polling!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      polling = resolve;
    });
    // A poll that never answers until its signal aborts, as a stalled server would.
    const stalled: Poll = (signal) =>
      (async function* () {
        polling();
        await new Promise<void>((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          }),
        );
        yield { offset: 0, limit: 500, count: 0, data: [] };
      })();
    const watch = watchMeetings(stalled, settings);
    const pending = watch.next();
    await inFlight;
    // Before the fix return() waited for the poll, here forever; the timer only turns a hang into a clear failure.
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      watch.return().then(() => (aborted ? 'ended, poll aborted' : 'ended, poll still in flight')),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('still waiting for the poll'), 5000);
      }),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe('ended, poll aborted');
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await watch.next()).toEqual({ done: true, value: undefined });
  });
});
