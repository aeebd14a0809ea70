import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTable, tableLines } from '../../src/cli/table.js';
import { cut, displayWidth } from '../../src/cli/width.js';
import { repoRoot } from '../support/paths.js';
import { sendJson, useScriptedServer } from '../support/scripted-server.js';

describe('renderTable', () => {
  it('lines columns up when subjects mix Latin, CJK and emoji', () => {
    const table = renderTable([
      {
        subject: '例行会议',
        conferenceID: '914673889',
        scheduserName: '金秘书',
        startTime: '2022-08-30 12:00',
        endTime: '2022-08-30 13:00',
        normalCount: 1,
      },
      {
        subject: 'Weekly sync 😀',
        conferenceID: '914083136',
        scheduserName: 'user8002',
        startTime: '2019-12-18 07:28',
        endTime: '2019-12-19 09:28',
        terminlCount: 2,
      },
    ]);
    const lines = table.split('\n');
    const idColumn = lines.map((line) => {
      const index =
        line.indexOf('9146') >= 0
          ? line.indexOf('9146')
          : line.indexOf('9140') >= 0
            ? line.indexOf('9140')
            : line.indexOf('Meeting ID');
      return displayWidth(line.slice(0, index));
    });
    expect(new Set([idColumn[0], idColumn[2], idColumn[3]]).size).toBe(1);
    expect(lines[2]).toContain('2022-08-30 12:00 – 13:00');
    expect(lines[3]).toContain('2019-12-18 07:28 – 2019-12-19 09:28');
  });

  it('cuts a long subject with an ellipsis', () => {
    const table = renderTable([{ subject: 'x'.repeat(100), conferenceID: '1' }]);
    expect(table.split('\n')[2]).toMatch(/^x{35}… /);
  });

  it('counts wide characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('会议')).toBe(4);
    expect(displayWidth('😀')).toBe(2);
  });

  it('measures width per grapheme cluster: accents, emoji presentation, ZWJ sequences, CJK', () => {
    expect(displayWidth('e\u0301')).toBe(1); // e + combining acute
    expect(displayWidth('✅')).toBe(2);
    expect(displayWidth('👩‍💻')).toBe(2);
    expect(displayWidth('会议')).toBe(4);
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('🇨🇳')).toBe(2);
  });

  it('lines columns up after subjects holding accents, ✅ and ZWJ sequences', () => {
    const subjects = ['Cafe\u0301 review', 'Done ✅ ok', 'Dev 👩‍💻 sync', '周会 weekly', 'plain'];
    const lines = renderTable(subjects.map((subject, i) => ({ subject, conferenceID: `90000000${i}` }))).split('\n');
    const idColumn = lines.slice(2).map((line) => displayWidth(line.slice(0, line.indexOf('90000000'))));
    expect(new Set(idColumn).size).toBe(1);
    expect(idColumn[0]).toBe(displayWidth('Cafe\u0301 review') + 2);
  });

  it('measures the characters of its fast path as string-width does', () => {
    const ranges = [
      [0x20, 0x7e],
      [0x2013, 0x2013],
      [0x3000, 0x3029],
      [0x3030, 0x303e],
      [0x4e00, 0x9fff],
    ];
    ranges.push([0xac00, 0xd7a3], [0xff01, 0xff60]);
    for (const [from, to] of ranges)
      for (let code = from!; code <= to!; code++) {
        const char = String.fromCharCode(code);
        if (cut(char, 2).width !== displayWidth(char)) expect.fail(`U+${code.toString(16)}: ${cut(char, 2).width}`);
      }
  });

  it('cuts between grapheme clusters, never inside one', () => {
    expect(cut('ab👩‍💻cd', 3)).toEqual({ text: 'ab', width: 2, whole: false });
    expect(cut('ab👩‍💻cd', 4)).toEqual({ text: 'ab👩‍💻', width: 4, whole: false });
    expect(cut('e\u0301e\u0301', 2)).toEqual({ text: 'e\u0301e\u0301', width: 2, whole: true });
    const cell = renderTable([{ subject: `${'会'.repeat(40)}`, conferenceID: '1' }]).split('\n')[2]!;
    expect(cell.startsWith(`${'会'.repeat(17)}… `)).toBe(true); // 17 × 2 + 1 = 35 columns, a space to 36
  });

  it('shows a pile of combining marks (one cluster, a million code units) as one replacement character', () => {
    const zalgo = `a${'\u0301'.repeat(1_000_000)}b`;
    const [, , row] = tableLines([{ subject: zalgo, conferenceID: '1' }]);
    expect(row).toMatch(/^\ufffdb\s+1\s+\? –$/);
  });

  it('lays out 150,000 meetings: no list is ever passed as arguments (a spread overflows the stack)', () => {
    const meetings = Array.from({ length: 150_000 }, (_, i) => ({ conferenceID: String(i), subject: 'x' }));
    const lines = tableLines(meetings);
    expect(lines).toHaveLength(150_002);
    expect(lines.at(-1)).toMatch(/^x\s+149999\s+\? –$/);
  });

  it('shows separators and invisible format characters as escapes, so that every column lines up', () => {
    // Each is drawn differently by terminals and by string-width (U+2028: 0 columns in tmux, 1 by string-width;
    // U+00AD the other way round): raw, they move the columns after them.
    const hostile = ['\u2028', '\u2029', '\u200b', '\ufeff', '\u00ad', '\u2060', '\u202e', '\u2066', '\u{e0001}'];
    const meetings = [
      { subject: 'a\u2028b\u2029c', conferenceID: '900000001', scheduserName: 'x\u200by\ufeffz' },
      ...hostile.map((char, i) => ({ subject: `s${char}t`, conferenceID: `90000001${i}`, scheduserName: char })),
      { subject: 'plain', conferenceID: '900000099', scheduserName: 'plain' },
    ];
    const lines = tableLines(meetings);
    for (const line of lines) expect(line).not.toMatch(/[\u2028\u2029\u200b\ufeff\u00ad\u2060\u202e\u2066\u{e0001}]/u);
    expect(lines[2]).toMatch(/^a\\u2028b\\u2029c +900000001 +x\\u200By\\uFEFFz /);
    // Every row is ASCII now, so a character's index is its column.
    const idColumn = lines[0]!.indexOf('Meeting ID');
    const schedulerColumn = lines[0]!.indexOf('Scheduler');
    for (const line of lines.slice(2)) {
      expect(line.slice(idColumn - 2, idColumn + 9)).toMatch(/^ {2}9000000\d\d$/);
      expect(line.slice(schedulerColumn - 2, schedulerColumn + 1)).toMatch(/^ {2}\S$/);
    }
  });

  it('shows lone surrogates, Hangul fillers, private-use and unassigned code points as escapes', () => {
    // tmux draws a lone surrogate as U+FFFD (1 column) where string-width counts 0; the fillers 0 where it counts 1
    // or 2; a private-use or unassigned code point 1 or 0 as the font has it: raw, they move the columns after them.
    const hostile = ['\ud800', '\udfff', '\u115f', '\u1160', '\u3164', '\uffa0', '\ue000', '\u{fffff}', '\u0378'];
    const escaped = [
      '\\uD800',
      '\\uDFFF',
      '\\u115F',
      '\\u1160',
      '\\u3164',
      '\\uFFA0',
      '\\uE000',
      '\\u{FFFFF}',
      '\\u0378',
    ];
    const meetings = [
      ...hostile.map((char, i) => ({ subject: `lone${char}x`, conferenceID: `90000001${i}`, scheduserName: char })),
      { subject: 'plain', conferenceID: '900000099', scheduserName: 'plain' },
    ];
    const lines = tableLines(meetings);
    for (const [i, shown] of escaped.entries())
      expect(lines[2 + i]!.startsWith(`lone${shown}x `), lines[2 + i]).toBe(true);
    // Every row is ASCII now, so a character's index is its column.
    for (const line of lines) expect(line).toMatch(/^[\x20-\x7e–─…]*$/);
    const idColumn = lines[0]!.indexOf('Meeting ID');
    const schedulerColumn = lines[0]!.indexOf('Scheduler');
    for (const line of lines.slice(2)) {
      expect(line.slice(idColumn - 2, idColumn + 9)).toMatch(/^ {2}9000000\d\d$/);
      expect(line.slice(schedulerColumn - 2, schedulerColumn + 1)).toMatch(/^ {2}\S$/);
    }
  });

  it('keeps the zero-width joiner and tag characters that join emoji (no terminal gives them a column)', () => {
    const [, , row] = tableLines([
      { subject: 'Dev 👩‍💻 🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}', conferenceID: '1' },
    ]);
    expect(row).toContain('👩‍💻');
    expect(row).toContain('🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}');
  });

  it('clips every line to the columns asked for', () => {
    const lines = tableLines([{ subject: '会议'.repeat(30), conferenceID: '914673889', scheduserName: '金秘书' }], {
      columns: 40,
    });
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(lines[0]).toMatch(/^Subject/);
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('table-in-a-terminal test skipped: no tmux (apt-get install tmux); .ci/run installs it');

describe.skipIf(!hasTmux)("meetings-online's table in a terminal (tmux, 80 × 16)", () => {
  const scripted = useScriptedServer();
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

  it('keeps the Meeting ID column in place after separators, format, filler and unassigned characters', async () => {
    const subjects = ['a\u2028b\u2029c', 'x\u200by\ufeffz', 'soft\u00adhyphen', 'join\u2060er', 'plain'];
    subjects.push('lone\ud800x', 'fill\u115f\u3164er', 'pua\u{fffff}', 'unassigned\u0378');
    const data = subjects.map((subject, i) => ({ confUUID: `u${i}`, conferenceID: `90000000${i}`, subject }));
    scripted.current.handle = (_req, res) => sendJson(res, 200, { offset: 0, limit: 20, count: data.length, data });
    const session = `table-${process.pid}`;
    const cli = `"${process.execPath}" --import tsx "${join(repoRoot, 'src/cli/main.ts')}"`;
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '80',
      '-y',
      '16',
      '-e',
      `MEETING_TOKEN=cli-token-1`,
      `cd "${repoRoot}" && ${cli} --base-url ${scripted.current.url} --retries 0; sleep 60`,
    );
    try {
      let screen = '';
      for (const deadline = Date.now() + 30_000; !/ongoing meeting\(s\)/.test(screen) && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        screen = tmux('capture-pane', '-p', '-t', session);
      }
      const lines = screen.split('\n');
      const head = lines.findIndex((line) => line.startsWith('Subject'));
      expect(head, screen).toBeGreaterThanOrEqual(0);
      const idColumn = lines[head]!.indexOf('Meeting ID');
      const rows = lines.slice(head + 2, head + 2 + subjects.length);
      // What tmux drew, cell by cell: a row that lines up has its ID where the head has "Meeting ID".
      for (const row of rows) expect(row.slice(idColumn - 2, idColumn + 9), screen).toMatch(/^ {2}9000000\d\d$/);
    } finally {
      tmux('kill-session', '-t', session);
    }
  }, 40_000);
});
