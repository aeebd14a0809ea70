// The live table of meetings-online --watch on a fake terminal: clipped to its width, redrawn at once on a resize,
// and the terminal given back however the watch ends (it returns, it throws, or the process exits under it).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runWatch, type Screen } from '../../src/cli/watch.js';
import { displayWidth } from '../../src/cli/width.js';
import type { MeetingClient, WatchEvent } from '../../src/index.js';

const ESC = '\u001b';
const NORMAL_SCREEN = `${ESC}[?25h${ESC}[?1049l`;

/** A terminal that records what is written to it, and lets a test resize it. */
function fakeScreen(columns: number, rows: number) {
  const writes: string[] = [];
  let resized: (() => void) | undefined;
  const screen: Screen = {
    write: (text) => void writes.push(text),
    columns,
    rows,
    onResize: (listener) => {
      resized = listener;
      return () => {
        resized = undefined;
      };
    },
  };
  return {
    screen,
    writes,
    resize(to: number) {
      screen.columns = to;
      resized?.();
    },
    listening: () => resized !== undefined,
    /** The last frame drawn, its escape sequences (colours, clearing) taken out. */
    lastFrame: () => (writes.at(-1) ?? '').replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g'), ''),
  };
}

const meetings = Array.from({ length: 5 }, (_, i) => ({
  confUUID: `u${i}`,
  conferenceID: String(900_000_000 + i),
  subject: `会议 ✅ 👩‍💻 e\u0301 ${'long subject '.repeat(5)}`,
  scheduserName: 'Scheduler',
  startTime: '2026-12-02 01:00',
  endTime: '2026-12-02 02:00',
}));

/** A client whose watch yields `events`, then waits for the caller to stop it, or throws `error` if given. */
function fakeClient(events: WatchEvent[], error?: Error): { client: MeetingClient; stop: () => void } {
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const client = {
    async *watchOngoingMeetings() {
      yield* events;
      if (error) throw error;
      await stopped;
    },
  } as unknown as MeetingClient;
  return { client, stop };
}

const events: WatchEvent[] = [
  { type: 'snapshot', meetings, at: 0 },
  { type: 'synced', poll: 1, count: meetings.length, at: 0, nextPollInMs: 30_000 },
];

afterEach(() => vi.useRealTimers());

describe('the live table', () => {
  it('clips every line, status included, to the terminal width, and redraws at once when it changes', async () => {
    vi.useFakeTimers(); // no ticker redraws: only the resize may draw
    const terminal = fakeScreen(80, 24);
    const { client, stop } = fakeClient(events);
    const watching = runWatch(client, {}, {}, { screen: terminal.screen, title: `Ongoing meetings ${'x'.repeat(90)}` });
    await vi.waitFor(() => expect(terminal.lastFrame()).toContain('last poll'));
    const wide = terminal.lastFrame().split('\n');
    expect(wide.filter((line) => displayWidth(line) > 80)).toEqual([]);
    expect(wide.at(-1)).toMatch(/^last poll /);

    const drawn = terminal.writes.length;
    terminal.resize(40);
    expect(terminal.writes.length).toBe(drawn + 1); // drawn in the same tick, not on the next second
    expect(
      terminal
        .lastFrame()
        .split('\n')
        .filter((line) => displayWidth(line) > 40),
    ).toEqual([]);
    stop();
    await watching;
    expect(terminal.writes.at(-1)).toBe(NORMAL_SCREEN);
    expect(terminal.listening()).toBe(false);
  });

  it('gives the terminal back when the watch fails', async () => {
    const terminal = fakeScreen(80, 24);
    const { client } = fakeClient(events, new Error('fatal'));
    await expect(runWatch(client, {}, {}, { screen: terminal.screen, title: 't' })).rejects.toThrow('fatal');
    expect(terminal.writes.at(-1)).toBe(NORMAL_SCREEN);
  });

  it('gives the terminal back when the process exits under a running watch (process.exit)', async () => {
    const terminal = fakeScreen(80, 24);
    const { client, stop } = fakeClient(events);
    const before = new Set(process.listeners('exit'));
    const watching = runWatch(client, {}, {}, { screen: terminal.screen, title: 't' });
    await vi.waitFor(() => expect(terminal.lastFrame()).toContain('last poll'));
    const added = process.listeners('exit').filter((listener) => !before.has(listener));
    expect(added).toHaveLength(1);
    added[0]!.call(process, 1);
    expect(terminal.writes.at(-1)).toBe(NORMAL_SCREEN);
    stop();
    await watching;
    expect(terminal.writes.filter((text) => text === NORMAL_SCREEN)).toHaveLength(1); // given back once
    expect(process.listeners('exit')).toHaveLength(before.size);
  });
});
