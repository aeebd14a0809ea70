import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable } from '../../src/cli/table.js';

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
});
