// meetings-online --watch: the watch's events as NDJSON (a pipe, or --ndjson), or on a terminal a live table
// redrawn in place on the alternate screen, like top: new meetings highlighted, changed ones marked, ended ones shown
// until the next poll, and a status line. The terminal is given back as it was however the watch ends.
import type { ConferenceInfo, MeetingClient, OngoingMeetingsQuery, WatchEvent, WatchOptions } from '../index.js';
import { watchKey } from '../watch.js';
import { sanitise } from './sanitise.js';
import { tableLines } from './table.js';
import { clipped } from './verbose.js';
import { cut } from './width.js';

/** A terminal to draw on. */
export interface Screen {
  write(text: string): void;
  columns: number;
  rows: number;
  /** Calls `listener` when the terminal's size changes (SIGWINCH); returns how to stop. */
  onResize?(listener: () => void): () => void;
}

const ESC = '\u001b';
const ALTERNATE_SCREEN = `${ESC}[?1049h${ESC}[?25l`;
const NORMAL_SCREEN = `${ESC}[?25h${ESC}[?1049l`;
const HOME_AND_CLEAR = `${ESC}[H${ESC}[2J`;
const STYLE = {
  started: `${ESC}[1;32m`,
  changed: `${ESC}[33m`,
  ended: `${ESC}[2;31m`,
  reset: `${ESC}[0m`,
  bold: `${ESC}[1m`,
};
const MARK = { started: '+', changed: '~', ended: '−' } as const;

type Mark = keyof typeof MARK;
interface Row {
  meeting: ConferenceInfo;
  mark?: Mark | undefined;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** The live table: the meetings as of the last poll, what that poll changed, and how the watch is doing. */
export class LiveView {
  readonly #rows = new Map<string, Row>();
  #lastPoll: { poll: number; at: number; nextAt: number } | undefined;
  #errors = 0;
  #lastError: string | undefined;
  /** The marks shown are a finished poll's: the next change clears them. */
  #marked = false;
  #changedThisPoll = false;
  readonly #totals = { started: 0, changed: 0, ended: 0 };

  constructor(
    readonly screen: Screen,
    readonly title: string,
    readonly now: () => number = Date.now,
    /** The request id of the client's last attempt, for the status line (quoted to Huawei support). */
    readonly requestId: () => string | undefined = () => undefined,
  ) {}

  /** Takes one event; returns whether to draw the picture now (at the end of a poll, or on an error). */
  apply(event: WatchEvent): boolean {
    switch (event.type) {
      case 'snapshot':
        for (const meeting of event.meetings) this.#rows.set(watchKey(meeting), { meeting });
        return false;
      case 'started':
        this.#clearMarks();
        this.#rows.set(event.key, { meeting: event.meeting, mark: 'started' });
        break;
      case 'changed':
        this.#clearMarks();
        this.#rows.set(event.key, { meeting: event.meeting, mark: 'changed' });
        break;
      case 'ended': {
        this.#clearMarks();
        const row = this.#rows.get(event.key);
        if (row) row.mark = 'ended';
        break;
      }
      case 'synced':
        if (!this.#changedThisPoll) this.#clearMarks(); // a quiet poll: the last poll's marks are old news
        this.#changedThisPoll = false;
        this.#marked = true;
        this.#lastPoll = { poll: event.poll, at: event.at, nextAt: event.at + event.nextPollInMs };
        return true;
      case 'error':
        this.#errors++;
        this.#lastError = event.error.message;
        if (this.#lastPoll) this.#lastPoll.nextAt = event.at + event.retryInMs;
        return true;
    }
    this.#changedThisPoll = true;
    this.#totals[event.type]++;
    return false;
  }

  /** The marks of the poll shown stay until the next poll's first change: ended rows go, the others lose theirs. */
  #clearMarks(): void {
    if (!this.#marked) return;
    for (const [key, row] of this.#rows) {
      if (row.mark === 'ended') this.#rows.delete(key);
      else row.mark = undefined;
    }
    this.#marked = false;
  }

  render(): void {
    // What the last poll changed first (so that it shows in a long list), then the rest in the list's order.
    const all = [...this.#rows.values()];
    const rows = [...all.filter((r) => r.mark), ...all.filter((r) => !r.mark)];
    const counts = { started: 0, changed: 0, ended: 0 };
    for (const row of rows) if (row.mark) counts[row.mark]++;
    const ongoing = rows.length - counts.ended;
    const room = Math.max(1, this.screen.rows - 6); // title, table head (2), "and more", blank, status
    const shown = rows.slice(0, room);
    const columns = Math.max(1, this.screen.columns || 80);
    const marks = new Map(shown.map((r) => [r.meeting, r.mark]));
    const table = tableLines(
      shown.map((r) => r.meeting),
      {
        columns: Math.max(1, columns - 2), // the mark and its space
        decorate: (line, meeting) => {
          const mark = marks.get(meeting);
          return mark ? `${STYLE[mark]}${MARK[mark]} ${line}${STYLE.reset}` : `  ${line}`;
        },
      },
    ).map((line, i) => (i < 2 ? `  ${line}` : line));
    const fit = (line: string) => cut(line, columns).text;
    const more = rows.length > shown.length ? [fit(`  … and ${rows.length - shown.length} more`)] : [];
    const poll = this.#lastPoll;
    const requestId = this.requestId();
    const next = poll ? Math.max(0, Math.ceil((poll.nextAt - this.now()) / 1000)) : undefined;
    const status = [
      poll ? `last poll ${clock(poll.at)} (#${poll.poll})` : 'first poll…',
      `${ongoing} ongoing`,
      `this poll +${counts.started} ~${counts.changed} −${counts.ended}`,
      `since start +${this.#totals.started} ~${this.#totals.changed} −${this.#totals.ended}`,
      `errors ${this.#errors}${this.#lastError ? ` (last: ${sanitise(this.#lastError).slice(0, 80)})` : ''}`,
      requestId === undefined ? '' : `request id ${clipped(requestId, 40)}`,
      next === undefined ? '' : `next poll in ${next}s`,
      'Ctrl-C to quit',
    ]
      .filter(Boolean)
      .join(' · ');
    const title = `${STYLE.bold}${fit(sanitise(this.title))}${STYLE.reset}`;
    const lines = [title, ...table, ...more, '', fit(status)];
    this.screen.write(HOME_AND_CLEAR + lines.join('\n'));
  }
}

/** Runs a watch to the end (an error it cannot heal, or the signal), as NDJSON lines or on a live screen. */
export async function runWatch(
  client: MeetingClient,
  query: Omit<OngoingMeetingsQuery, 'limit' | 'offset'>,
  options: WatchOptions,
  output:
    | { ndjson: (event: WatchEvent) => void }
    | { screen: Screen; title: string; requestId?: (() => string | undefined) | undefined },
): Promise<void> {
  if ('ndjson' in output) {
    for await (const event of client.watchOngoingMeetings(query, options)) output.ndjson(event);
    return;
  }
  const view = new LiveView(output.screen, output.title, Date.now, output.requestId);
  const screen = output.screen;
  let alternate = false;
  const enter = () => {
    if (alternate) return;
    alternate = true;
    screen.write(ALTERNATE_SCREEN);
  };
  const leave = () => {
    if (!alternate) return;
    alternate = false;
    screen.write(NORMAL_SCREEN);
  };
  // Ctrl-Z gives the shell its screen back, as top does; fg draws the table again.
  const suspend = () => {
    leave();
    process.kill(process.pid, 'SIGSTOP');
  };
  const resume = () => {
    enter();
    view.render();
  };
  const jobControl = process.platform !== 'win32';
  // Given back however the watch ends: here when it returns or throws, on 'exit' when the process is ended under it
  // (process.exit after a second signal, or a crash).
  process.once('exit', leave);
  if (jobControl) process.on('SIGTSTP', suspend).on('SIGCONT', resume);
  enter();
  const stopResizing = screen.onResize?.(() => alternate && view.render());
  const ticker = setInterval(() => alternate && view.render(), 1000); // the countdown to the next poll
  try {
    view.render();
    for await (const event of client.watchOngoingMeetings(query, { ...options, keepPrevious: true })) {
      if (view.apply(event) && alternate) view.render();
    }
  } finally {
    clearInterval(ticker);
    stopResizing?.();
    if (jobControl) process.off('SIGTSTP', suspend).off('SIGCONT', resume);
    process.off('exit', leave);
    leave();
  }
}
