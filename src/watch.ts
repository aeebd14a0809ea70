// Watches the ongoing list: polls it (a full walk each time), and tells what changed since the poll before, as
// Kubernetes' list-and-watch informers do for a list without a watch API. Per meeting the watch keeps its key and a
// 32-bit hash of each top-level field, packed in one shared array, not the meeting (unless asked), so its memory
// stays small whatever the list.
import { onAbort, sleep } from './abort.js';
import type { MeetingError } from './errors.js';
import { meetingKey } from './pagination.js';
import type { ConferenceInfo, OngoingMeetingsPage } from './types.js';

/** Every event of a watch, by `type`. `at` is when the poll that found it ended (ms since the epoch). */
export type WatchEvent =
  | { type: 'snapshot'; meetings: ConferenceInfo[]; at: number }
  | { type: 'started'; key: string; meeting: ConferenceInfo; at: number }
  | {
      type: 'changed';
      key: string;
      meeting: ConferenceInfo;
      changedFields: string[];
      previous?: ConferenceInfo;
      at: number;
    }
  | { type: 'ended'; key: string; meeting?: ConferenceInfo; at: number }
  | { type: 'synced'; poll: number; count: number; at: number; nextPollInMs: number }
  | { type: 'error'; error: MeetingError; failures: number; retryInMs: number; at: number };

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
  /** Longest wait after failed polls (the interval doubles with each failure up to this). Default 300 000. */
  maxBackoffMs?: number | undefined;
}

/** One poll: the pages of a walk, and whether the walk may have missed meetings. */
export type Poll = (signal: AbortSignal, observer: { gap(offset: number): void }) => AsyncIterable<OngoingMeetingsPage>;

/** The key a watch reports: `confUUID`, else `conferenceID`, else (a meeting with neither) a hash of its content. */
export function watchKey(meeting: ConferenceInfo): string {
  const key = meetingKey(meeting); // the walk's identity rule, with its kind as a prefix: u:, c: or h:
  return key.startsWith('h:') ? key : key.slice(2);
}

/** FNV-1a, 32 bits, never 0 (0 means "no such field"). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}

function hashValue(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return hash32(`s${value}`);
    case 'number':
    case 'boolean':
      return hash32(`${(typeof value)[0]}${value}`);
    default:
      try {
        return hash32(`o${JSON.stringify(value)}`);
      } catch {
        return hash32('o<too deep>');
      }
  }
}

/**
 * What the watch knows: per meeting a slot in one shared array of field hashes (`stride` hashes a slot, one per
 * top-level field name met so far) and the number of the last poll that saw it. A Map from key to slot number, so
 * that a meeting costs its key, a map entry and its hashes, with no object of its own.
 */
class WatchState {
  readonly fieldNames: string[] = [];
  readonly #fieldIndex = new Map<string, number>();
  readonly slots = new Map<string, number>();
  readonly meetings: (ConferenceInfo | undefined)[] = [];
  #stride = 1;
  #hashes = new Uint32Array(0);
  #seenIn = new Uint32Array(0);
  #free: number[] = [];
  #used = 0;

  constructor(readonly ignored: ReadonlySet<string>) {}

  /** The field hashes of a meeting, in field-number order (a new field name widens every slot). */
  hashesOf(meeting: ConferenceInfo): Uint32Array {
    const entries = Object.entries(meeting).filter(([name, value]) => value !== undefined && !this.ignored.has(name));
    for (const [name] of entries) {
      if (this.#fieldIndex.has(name)) continue;
      this.#fieldIndex.set(name, this.fieldNames.length);
      this.fieldNames.push(name);
    }
    if (this.fieldNames.length > this.#stride) this.#restride(Math.max(this.fieldNames.length, this.#stride * 2));
    const hashes = new Uint32Array(this.#stride);
    for (const [name, value] of entries) hashes[this.#fieldIndex.get(name)!] = hashValue(value);
    return hashes;
  }

  #restride(stride: number): void {
    const wider = new Uint32Array(this.#seenIn.length * stride);
    for (let slot = 0; slot < this.#used; slot++) {
      wider.set(this.#hashes.subarray(slot * this.#stride, (slot + 1) * this.#stride), slot * stride);
    }
    this.#hashes = wider;
    this.#stride = stride;
  }

  /** The fields whose hashes differ between the meeting in `slot` and `hashes`. */
  changedFields(slot: number, hashes: Uint32Array): string[] {
    const changed: string[] = [];
    const base = slot * this.#stride;
    for (let i = 0; i < this.#stride; i++) {
      if (this.#hashes[base + i] !== (hashes[i] ?? 0)) changed.push(this.fieldNames[i]!);
    }
    return changed;
  }

  markSeen(slot: number, poll: number): void {
    this.#seenIn[slot] = poll;
  }

  seenIn(slot: number): number {
    return this.#seenIn[slot]!;
  }

  add(key: string, hashes: Uint32Array, poll: number, meeting: ConferenceInfo | undefined): void {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#used++;
      if (slot >= this.#seenIn.length) this.#grow(Math.max(64, this.#seenIn.length * 2));
    }
    this.slots.set(key, slot);
    this.write(slot, hashes, poll, meeting);
  }

  write(slot: number, hashes: Uint32Array, poll: number, meeting: ConferenceInfo | undefined): void {
    const base = slot * this.#stride;
    // A hash array made before the slots widened is shorter: the fields it lacks are absent.
    this.#hashes.fill(0, base, base + this.#stride);
    this.#hashes.set(hashes.subarray(0, this.#stride), base);
    this.#seenIn[slot] = poll;
    if (meeting !== undefined || this.meetings[slot] !== undefined) this.meetings[slot] = meeting;
  }

  remove(key: string): ConferenceInfo | undefined {
    const slot = this.slots.get(key)!;
    const meeting = this.meetings[slot];
    this.slots.delete(key);
    if (meeting !== undefined) this.meetings[slot] = undefined;
    this.#free.push(slot);
    return meeting;
  }

  #grow(capacity: number): void {
    const hashes = new Uint32Array(capacity * this.#stride);
    hashes.set(this.#hashes);
    this.#hashes = hashes;
    const seenIn = new Uint32Array(capacity);
    seenIn.set(this.#seenIn);
    this.#seenIn = seenIn;
  }
}

/** Errors a later poll may not see again: the service or the network said "not now", or a page was inconsistent. */
function healable(error: MeetingError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'response') return true;
  if (error.kind === 'http') return error.status === 408 || error.status === 429 || error.status >= 500;
  return false;
}

const SNAPSHOT_TRIES = 3;

/** A meeting a poll found new or changed: held until the poll ends, then reported and written into the state. */
interface Found {
  key: string;
  meeting: ConferenceInfo;
  hashes: Uint32Array;
  slot?: number;
  changedFields?: string[];
}

/**
 * The watch itself: `poll` walks the list once. The first complete poll yields `snapshot`; each later one yields
 * `started`, `changed` and `ended` as they differ from the poll before, then `synced`. A meeting is reported ended
 * only after a poll that is known to have missed nothing (no gap between its pages), so that churn during a walk
 * cannot report a meeting that is still there as ended and, later, as started again. A failed poll changes nothing.
 */
export async function* watchMeetings(
  poll: Poll,
  settings: {
    [K in 'intervalMs' | 'keepPrevious' | 'ignoreFields' | 'maxBackoffMs']-?: NonNullable<WatchOptions[K]>;
  } & {
    signal: AbortSignal | undefined;
  },
): AsyncGenerator<WatchEvent, void, undefined> {
  const { intervalMs, keepPrevious, maxBackoffMs, signal: callerSignal } = settings;
  const state = new WatchState(new Set(settings.ignoreFields));
  let walks = 0; // numbers each walk, so that a slot tells which walk saw it last
  let polls = 0;
  let failures = 0;
  // Requests of a poll in progress: aborted when the caller breaks out or aborts.
  const stop = new AbortController();
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
        const failure = error as MeetingError;
        if (!healable(failure)) throw failure;
        failures++;
        const retryInMs = Math.min(maxBackoffMs, intervalMs * 2 ** failures);
        yield { type: 'error', error: failure, failures, retryInMs, at: Date.now() };
        await sleep(retryInMs, stop.signal);
        continue;
      }
      failures = 0;
      const at = Date.now();
      const first = polls++ === 0;
      const { found, complete } = result;
      const kept = (meeting: ConferenceInfo) => (keepPrevious ? meeting : undefined);
      // The poll's news, committed to the state as it is reported.
      for (const item of found) {
        if (item.slot === undefined) {
          state.add(item.key, item.hashes, walks, kept(item.meeting));
          if (!first) yield { type: 'started', key: item.key, meeting: item.meeting, at };
        } else {
          const previous = state.meetings[item.slot];
          state.write(item.slot, item.hashes, walks, kept(item.meeting));
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
      await sleep(intervalMs, stop.signal);
    }
  } finally {
    unsubscribe?.();
    stop.abort(new Error('the watch ended'));
  }
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
  let complete = true;
  const observer = {
    gap: () => {
      complete = false;
    },
  };
  for await (const page of poll(signal, observer)) {
    for (const meeting of page.data) {
      const key = watchKey(meeting);
      const hashes = state.hashesOf(meeting);
      const slot = state.slots.get(key);
      if (slot === undefined) {
        found.push({ key, meeting, hashes });
        continue;
      }
      state.markSeen(slot, number);
      const changedFields = state.changedFields(slot, hashes);
      if (changedFields.length > 0) found.push({ key, meeting, hashes, slot, changedFields });
    }
  }
  return { found, complete };
}
