// Renders meetings as a plain-text table that lines up in a terminal, CJK text included.
import type { ConferenceInfo } from '../types.js';
import { sanitise } from './sanitise.js';
import { cut } from './width.js';

/**
 * A cell's text: strings sanitised for the terminal, numbers as they are, anything else (a malformed field) as JSON.
 */
const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return sanitise(value);
  if (typeof value === 'number') return String(value);
  try {
    return sanitise(JSON.stringify(value) ?? '');
  } catch {
    return '…'; // nested too deeply to show
  }
};

/** `text` laid out in exactly `width` columns: padded, or cut with an ellipsis. */
function fit(text: string, width: number): string {
  const all = cut(text, width);
  if (all.whole) return all.text + ' '.repeat(width - all.width);
  const start = cut(text, width - 1);
  return `${start.text}…${' '.repeat(width - 1 - start.width)}`;
}

/** `start – end`, the end without its date when both are on the same day. */
const span = (start: string, end: string) =>
  `${start} – ${end.slice(start.slice(0, 10) === end.slice(0, 10) ? 11 : 0)}`;

const COLUMNS: { title: string; max: number; cell: (m: ConferenceInfo) => string }[] = [
  { title: 'Subject', max: 36, cell: (m) => text(m.subject) },
  { title: 'Meeting ID', max: 12, cell: (m) => text(m.conferenceID) },
  { title: 'Scheduler', max: 16, cell: (m) => text(m.scheduserName) },
  { title: 'Start – End', max: 35, cell: (m) => span(text(m.startTime) || '?', text(m.endTime) || '?') },
  { title: 'Online', max: 6, cell: (m) => text(m.onlineAttendeeAmount) },
  { title: 'Soft', max: 4, cell: (m) => text(m.normalCount) },
  { title: 'HW', max: 3, cell: (m) => text(m.terminlCount) },
];

/**
 * The meetings as a table, one line each after the head, made as they are read (a long list is never held twice).
 * `decorate` may dress each meeting's line (a marker, colours) once it is laid out, so that what it adds does not
 * count in the widths. No line is wider than `columns`. Any number of meetings: nothing here passes the list as
 * arguments (a spread of 130,000 overflows the stack).
 */
export function* eachTableLine(
  meetings: readonly ConferenceInfo[],
  options: { decorate?: (line: string, meeting: ConferenceInfo) => string; columns?: number } = {},
): Generator<string, void, undefined> {
  const widths = COLUMNS.map((c) => cut(c.title, c.max).width);
  for (const meeting of meetings) {
    COLUMNS.forEach((c, i) => {
      if (widths[i]! < c.max) {
        const cell = cut(c.cell(meeting), c.max);
        widths[i] = Math.max(widths[i]!, cell.whole ? cell.width : c.max);
      }
    });
  }
  const line = (cells: string[]) => {
    const laidOut = cells
      .map((cell, i) => fit(cell, widths[i]!))
      .join('  ')
      .trimEnd();
    return options.columns === undefined ? laidOut : cut(laidOut, options.columns).text;
  };
  yield line(COLUMNS.map((c) => c.title));
  yield line(widths.map((w) => '─'.repeat(w)));
  for (const meeting of meetings) {
    const laidOut = line(COLUMNS.map((c) => c.cell(meeting)));
    yield options.decorate ? options.decorate(laidOut, meeting) : laidOut;
  }
}

/** The lines of the table (see eachTableLine). */
export function tableLines(...args: Parameters<typeof eachTableLine>): string[] {
  return Array.from(eachTableLine(...args));
}

/** The meetings as a table, as one text. */
export function renderTable(meetings: readonly ConferenceInfo[]): string {
  return tableLines(meetings).join('\n');
}
