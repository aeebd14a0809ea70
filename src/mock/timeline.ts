// Meetings that come and go in the stateful mock: starts, ends and attendance changes at given rates, each a
// Poisson process drawn from the seed, so that the same seed gives the same timeline. Time is the mock's own: it
// follows the wall clock (`clock: 'real'`), or moves only when a test says so (`clock: 'manual'`, `advance(ms)`),
// so that a test can make meetings start and end between any two requests without sleeping.
import type { ConferenceInfo } from '../types.js';
import { type Enterprise, seededRandom } from './enterprise.js';

/** How the stateful mock's meetings come and go: Poisson processes at these rates, seeded by the mock's `seed`. */
export interface ChurnOptions {
  /** Meetings that start per minute of the mock's time. Default 0. */
  startsPerMinute?: number | undefined;
  /** Meetings that end per minute, each one chosen at random among the ongoing ones. Default 0. */
  endsPerMinute?: number | undefined;
  /** Attendance changes per minute (`onlineAttendeeAmount` of a random ongoing meeting). Default 0. */
  changesPerMinute?: number | undefined;
  /** `'real'` (default): the mock's time follows the wall clock. `'manual'`: it moves only by `advance(ms)`. */
  clock?: 'real' | 'manual' | undefined;
}

/** One change of the ongoing list, at the mock's time `at` (ms since the epoch). */
export interface TimelineEvent {
  /** What happened to the meeting. */
  type: 'started' | 'ended' | 'changed';
  /** When, in the mock's time (ms since the epoch). */
  at: number;
  /** The meeting's `confUUID`. */
  confUUID: string;
  /** The meeting's `conferenceID`. */
  conferenceID: string;
  /** The meeting's subject. */
  subject: string;
  /** For `changed`: the fields that changed. */
  fields?: string[];
}

/** The truth of the stateful mock's list, for tests that check what a client saw against what happened. */
export interface MockTimeline {
  /** The mock's time, ms since the epoch. */
  now(): number;
  /** Moves the mock's time forward (either clock), and returns what happened meanwhile. */
  advance(ms: number): TimelineEvent[];
  /** Everything that happened since the mock started, in order. */
  events(): TimelineEvent[];
  /** The meetings ongoing now (copies), in the list's order. */
  ongoing(): ConferenceInfo[];
}

const perMinute = (rate: number | undefined) => (rate && rate > 0 ? rate / 60_000 : 0);

export class Timeline implements MockTimeline {
  readonly #random: () => number;
  readonly #log: TimelineEvent[] = [];
  readonly #rates: { start: number; end: number; change: number };
  readonly #manual: boolean;
  readonly #wallStart = Date.now();
  #offset = 0;
  #next: { start: number; end: number; change: number };

  constructor(
    readonly enterprise: Enterprise,
    readonly makeMeeting: (now: number, startedAt?: number) => ConferenceInfo,
    options: ChurnOptions,
    seed: number,
    readonly startAt: number,
  ) {
    this.#random = seededRandom(seed ^ 0x7e11e);
    this.#manual = options.clock === 'manual';
    this.#rates = {
      start: perMinute(options.startsPerMinute),
      end: perMinute(options.endsPerMinute),
      change: perMinute(options.changesPerMinute),
    };
    this.#next = {
      start: this.#after(startAt, this.#rates.start),
      end: this.#after(startAt, this.#rates.end),
      change: this.#after(startAt, this.#rates.change),
    };
  }

  /** The next arrival of a Poisson process of `rate` per ms after `t`. */
  #after(t: number, rate: number): number {
    return rate === 0 ? Number.POSITIVE_INFINITY : t + -Math.log(1 - this.#random()) / rate;
  }

  now(): number {
    return this.startAt + this.#offset + (this.#manual ? 0 : Date.now() - this.#wallStart);
  }

  advance(ms: number): TimelineEvent[] {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      const shown = typeof ms === 'number' ? String(ms) : (JSON.stringify(ms) ?? typeof ms);
      throw new RangeError(`advance takes a number of milliseconds of 0 or more, got ${shown}`);
    }
    const before = this.#log.length;
    this.#offset += ms;
    this.sync();
    return this.#log.slice(before);
  }

  events(): TimelineEvent[] {
    this.sync();
    return [...this.#log];
  }

  ongoing(): ConferenceInfo[] {
    this.sync();
    return this.enterprise.meetings.map((m) => structuredClone(m));
  }

  /** Applies every event due by now, in time order. Called before each answer of the mock. */
  sync(): void {
    const now = this.now();
    for (;;) {
      const { start, end, change } = this.#next;
      const at = Math.min(start, end, change);
      if (at > now) break;
      if (at === start) {
        this.#start(at);
        this.#next.start = this.#after(at, this.#rates.start);
      } else if (at === end) {
        this.#end(at);
        this.#next.end = this.#after(at, this.#rates.end);
      } else {
        this.#change(at);
        this.#next.change = this.#after(at, this.#rates.change);
      }
    }
  }

  #record(type: TimelineEvent['type'], at: number, meeting: ConferenceInfo, fields?: string[]): void {
    const { confUUID = '', conferenceID = '', subject = '' } = meeting;
    this.#log.push({ type, at, confUUID, conferenceID, subject, ...(fields ? { fields } : {}) });
  }

  #start(at: number): void {
    // Started last: in start-time order, the list's order, it goes at the end.
    const meeting = this.makeMeeting(at, at);
    this.enterprise.meetings.push(meeting);
    this.#record('started', at, meeting);
  }

  #end(at: number): void {
    const { meetings } = this.enterprise;
    if (meetings.length === 0) return;
    const [meeting] = meetings.splice(Math.floor(this.#random() * meetings.length), 1);
    this.enterprise.invited.delete(meeting!.confUUID!);
    this.#record('ended', at, meeting!);
  }

  #change(at: number): void {
    const { meetings } = this.enterprise;
    if (meetings.length === 0) return;
    const index = Math.floor(this.#random() * meetings.length);
    const meeting = meetings[index]!;
    // 1 to 13 people, never the count it had: a change the list shows. A new object, not an edit: the mock keeps
    // each meeting's JSON (stateful.ts).
    const before = meeting.onlineAttendeeAmount ?? 0;
    const changed = { ...meeting, onlineAttendeeAmount: ((before + 1 + Math.floor(this.#random() * 11)) % 13) + 1 };
    meetings[index] = changed;
    this.#record('changed', at, changed, ['onlineAttendeeAmount']);
  }
}
