// Renders meetings as a plain-text table that lines up in a terminal, CJK text included.
import type { ConferenceInfo } from '../types.js';

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
  return out + '…' + ' '.repeat(width - displayWidth(out) - 1);
}

const COLUMNS: { title: string; max: number; cell: (m: ConferenceInfo) => string }[] = [
  { title: 'Subject', max: 36, cell: (m) => m.subject ?? '' },
  { title: 'Meeting ID', max: 12, cell: (m) => m.conferenceID ?? '' },
  { title: 'Scheduler', max: 16, cell: (m) => m.scheduserName ?? '' },
  { title: 'Start – End', max: 35, cell: (m) => `${m.startTime ?? '?'} – ${(m.endTime ?? '?').slice(m.startTime?.slice(0, 10) === m.endTime?.slice(0, 10) ? 11 : 0)}` },
  { title: 'Online', max: 6, cell: (m) => (m.onlineAttendeeAmount === undefined ? '' : String(m.onlineAttendeeAmount)) },
  { title: 'Soft', max: 4, cell: (m) => (m.normalCount === undefined ? '' : String(m.normalCount)) },
  { title: 'HW', max: 3, cell: (m) => (m.terminlCount === undefined ? '' : String(m.terminlCount)) },
];

export function renderTable(meetings: ConferenceInfo[]): string {
  const widths = COLUMNS.map((c) => Math.min(c.max, Math.max(displayWidth(c.title), ...meetings.map((m) => displayWidth(c.cell(m))))));
  const line = (cells: string[]) => cells.map((cell, i) => fit(cell, widths[i]!)).join('  ').trimEnd();
  return [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '─'.repeat(w))), ...meetings.map((m) => line(COLUMNS.map((c) => c.cell(m))))].join('\n');
}
