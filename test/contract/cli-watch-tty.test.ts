// meetings-online --watch on a real terminal (tmux): the live table redrawn in place on the alternate screen, new and
// ended meetings marked, the status line (with the last request id), every line clipped to the terminal's width
// (80 columns, then a resize);
// Ctrl-C, SIGTERM and SIGHUP each give the terminal back (normal screen, cursor shown) with their own exit code;
// Ctrl-Z gives it back until fg.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/width.js';
import { MOCK_ADMIN_TOKEN, type MockServer, startMockServer } from '../../src/mock/index.js';
import { repoRoot } from '../support/paths.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('live-table test skipped: no tmux (apt-get install tmux); .ci/run installs it');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!hasTmux)('meetings-online --watch in a terminal', () => {
  const work = mkdtempSync(join(tmpdir(), 'cli-watch-'));
  const sessions: string[] = [];
  let mock: MockServer;
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

  /** A tmux session of `columns` × `rows` running the watch; its screen, its pid, how it ended. */
  function startWatch(name: string, columns: number, rows: number) {
    const session = `watch-${name}-${process.pid}`;
    const exitFile = join(work, `${name}.exit`);
    const pidFile = join(work, `${name}.pid`);
    const script = join(work, `${name}.sh`);
    // The CLI writes its own pid (exec keeps it), so that the test signals the process it started and no other.
    writeFileSync(
      script,
      `echo before the watch\nbash -c 'echo $$ > "$0"; exec "$@"' "${pidFile}" "${process.execPath}" --import tsx ` +
        `"${join(repoRoot, 'src/cli/main.ts')}" --watch --interval 0.5 --query-all\n` +
        `echo "EXIT=$?" > "${exitFile}"\nsleep 60\n`,
    );
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      String(columns),
      '-y',
      String(rows),
      '-e',
      `MEETING_BASE_URL=${mock.url}`,
      '-e',
      `MEETING_TOKEN=${MOCK_ADMIN_TOKEN}`,
      `cd "${repoRoot}" && bash "${script}"`,
    );
    sessions.push(session);
    /** The screen as lines, a line wrapped by the terminal joined back (-J), so that wrapping shows as width. */
    const screen = () => tmux('capture-pane', '-p', '-J', '-t', session);
    const flag = (name: 'alternate_on' | 'cursor_flag') =>
      tmux('display-message', '-p', '-t', session, `#{${name}}`).trim();
    const until = async (check: (text: string) => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const text = screen();
        if (check(text) || Date.now() > deadline) return text;
        await pause(200);
      }
    };
    const read = async (file: string, ms: number) => {
      const deadline = Date.now() + ms;
      for (;;) {
        try {
          const text = readFileSync(file, 'utf8').trim();
          if (text) return text;
        } catch {}
        if (Date.now() > deadline) return '';
        await pause(100);
      }
    };
    return {
      session,
      screen,
      flag,
      until,
      pid: async () => Number(await read(pidFile, 30_000)),
      exit: () => read(exitFile, 15_000),
      resize: (x: number, y: number) => tmux('resize-window', '-t', session, '-x', String(x), '-y', String(y)),
    };
  }

  /** The terminal as it was before the watch: normal screen, cursor shown, the shell's output back. */
  const expectGivenBack = (watch: ReturnType<typeof startWatch>) => {
    expect(watch.flag('alternate_on')).toBe('0');
    expect(watch.flag('cursor_flag')).toBe('1');
    const after = watch.screen();
    expect(after).toContain('before the watch');
    expect(after).not.toContain('last poll');
  };

  beforeAll(async () => {
    // Fast churn on the wall clock, so that every poll finds something.
    mock = await startMockServer({
      stateful: { meetings: 30, churn: { startsPerMinute: 240, endsPerMinute: 240, changesPerMinute: 240 } },
    });
  }, 60_000);

  afterAll(async () => {
    for (const session of sessions) spawnSync('tmux', ['kill-session', '-t', session]);
    await mock?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('draws the live table with its status line, marking new and ended ones; Ctrl-C gives it back, 130', async () => {
    const watch = startWatch('ctrl-c', 160, 40);
    const first = await watch.until((text) => text.includes('last poll'), 30_000);
    expect(first).toMatch(/^Ongoing meetings of the enterprise at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(first).toMatch(/Subject\s+Meeting ID\s+Scheduler/);
    expect(first).toMatch(/last poll \d\d:\d\d:\d\d \(#\d+\) · \d+ ongoing · this poll \+\d+ ~\d+ −\d+ · since start/);
    expect(first).toMatch(/ · errors \d+ · request id [0-9a-f]{32} · next poll in \d+s/); // the last attempt's
    expect(first).not.toContain('before the watch'); // drawn on the alternate screen
    expect(watch.flag('alternate_on')).toBe('1');
    expect(watch.flag('cursor_flag')).toBe('0');
    const marked = await watch.until((text) => /^\+ /m.test(text) && /^− /m.test(text), 20_000);
    expect(marked).toMatch(/^\+ \S/m);
    expect(marked).toMatch(/^− \S/m);
    // Redrawn in place: one table, one status line.
    expect(marked.match(/last poll/g)).toHaveLength(1);

    tmux('send-keys', '-t', watch.session, 'C-c');
    expect(await watch.exit()).toBe('EXIT=130');
    expectGivenBack(watch);
  }, 90_000);

  it('clips every line to 80 columns, keeps title and status in view, redraws at once on a resize', async () => {
    const watch = startWatch('narrow', 80, 24);
    const lines = (text: string) => text.split('\n').filter(Boolean);
    const fits = (text: string, columns: number) => lines(text).every((line) => displayWidth(line) <= columns);
    const first = await watch.until((text) => text.includes('last poll'), 30_000);
    expect(lines(first).filter((line) => displayWidth(line) > 80)).toEqual([]);
    expect(lines(first)[0]).toMatch(/^Ongoing meetings of the enterprise at/); // the head did not scroll away
    expect(lines(first).at(-1)).toMatch(/^last poll \d\d:\d\d:\d\d/); // the status line, on one line

    watch.resize(50, 24);
    const narrower = await watch.until((text) => fits(text, 50) && text.includes('last poll'), 10_000);
    expect(lines(narrower).filter((line) => displayWidth(line) > 50)).toEqual([]);
    expect(lines(narrower)[0]).toMatch(/^Ongoing meetings/);
    process.kill(await watch.pid(), 'SIGINT');
    expect(await watch.exit()).toBe('EXIT=130');
  }, 90_000);

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    'gives the terminal back on %s and exits %d',
    async (signal, code) => {
      const watch = startWatch(signal.toLowerCase(), 100, 30);
      await watch.until((text) => text.includes('last poll'), 30_000);
      expect(watch.flag('alternate_on')).toBe('1');
      process.kill(await watch.pid(), signal);
      expect(await watch.exit()).toBe(`EXIT=${code}`);
      expectGivenBack(watch);
    },
    90_000,
  );

  it('gives the shell its screen back on Ctrl-Z (SIGTSTP) and draws the table again on fg (SIGCONT)', async () => {
    const watch = startWatch('suspend', 100, 30);
    await watch.until((text) => text.includes('last poll'), 30_000);
    const pid = await watch.pid();
    process.kill(pid, 'SIGTSTP');
    await watch.until((text) => text.includes('before the watch'), 10_000);
    expectGivenBack(watch);
    process.kill(pid, 'SIGCONT');
    const again = await watch.until((text) => text.includes('last poll'), 10_000);
    expect(again).not.toContain('before the watch');
    expect(watch.flag('alternate_on')).toBe('1');
    process.kill(pid, 'SIGINT');
    expect(await watch.exit()).toBe('EXIT=130');
    expectGivenBack(watch);
  }, 90_000);

  it('gives the terminal back when a second SIGTERM ends the process at once', async () => {
    const watch = startWatch('twice', 100, 30);
    await watch.until((text) => text.includes('last poll'), 30_000);
    const pid = await watch.pid();
    process.kill(pid, 'SIGTERM');
    try {
      process.kill(pid, 'SIGTERM');
    } catch {} // already gone: the first one was enough
    expect(await watch.exit()).toBe('EXIT=143');
    expectGivenBack(watch);
  }, 90_000);
});
