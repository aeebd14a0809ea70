import { describe, expect, it } from 'vitest';
import { renderTable, tableLines } from '../../src/cli/table.js';
import { cut, displayWidth } from '../../src/cli/width.js';

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

  it('clips every line to the columns asked for', () => {
    const lines = tableLines([{ subject: '会议'.repeat(30), conferenceID: '914673889', scheduserName: '金秘书' }], {
      columns: 40,
    });
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(lines[0]).toMatch(/^Subject/);
  });
});
