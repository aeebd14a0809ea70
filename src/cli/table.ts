// Renders meetings as a plain-text table that lines up in a terminal, CJK text included.
import type { ConferenceInfo } from '../types.js';
import { sanitise } from './sanitise.js';

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

/** Columns a terminal gives a character: 2 for East Asian wide and emoji, else 1. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1f300 && code <= 0x1faff) ||
      (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text + ' '.repeat(width - displayWidth(text));
  let out = '';
  for (const char of text) {
    if (displayWidth(out + char) > width - 1) break;
    out += char;
  }
  return `${out}…${' '.repeat(width - displayWidth(out) - 1)}`;
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
 * The meetings as a table. `decorate` may dress each meeting's line (a marker, colours) once it is laid out, so
 * that what it adds does not count in the widths.
 */
export function renderTable(
  meetings: ConferenceInfo[],
  decorate?: (line: string, meeting: ConferenceInfo) => string,
): string {
  const widths = COLUMNS.map((c) =>
    Math.min(c.max, Math.max(displayWidth(c.title), ...meetings.map((m) => displayWidth(c.cell(m))))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => fit(cell, widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    line(COLUMNS.map((c) => c.title)),
    line(widths.map((w) => '─'.repeat(w))),
    ...meetings.map((m) => {
      const laidOut = line(COLUMNS.map((c) => c.cell(m)));
      return decorate ? decorate(laidOut, m) : laidOut;
    }),
  ].join('\n');
}
