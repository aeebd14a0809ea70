// meetings-online --watch on a real terminal (tmux): the live table redrawn in place on the alternate screen, new and
// ended meetings marked, the status line; Ctrl-C gives the terminal back and exits 130.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_ADMIN_TOKEN, type MockServer, startMockServer } from '../../src/mock/index.js';
import { repoRoot } from '../support/paths.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('live-table test skipped: no tmux (apt-get install tmux); .ci/run installs it');

describe.skipIf(!hasTmux)('meetings-online --watch in a terminal', () => {
  const session = `watch-${process.pid}`;
  const work = mkdtempSync(join(tmpdir(), 'cli-watch-'));
  const exitFile = join(work, 'exit');
  let mock: MockServer;
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  const until = async (check: (text: string) => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const text = screen();
      if (check(text) || Date.now() > deadline) return text;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  beforeAll(async () => {
    // Fast churn on the wall clock, so that every poll finds something.
    mock = await startMockServer({
      stateful: { meetings: 30, churn: { startsPerMinute: 240, endsPerMinute: 240, changesPerMinute: 240 } },
    });
    const script = join(work, 'run.sh');
    writeFileSync(
      script,
      `echo before the watch\n"${process.execPath}" --import tsx "${join(repoRoot, 'src/cli/main.ts')}" ` +
        '--watch --interval 0.5 --query-all\n' +
        `echo "EXIT=$?" > "${exitFile}"\nsleep 60\n`,
    );
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '160',
      '-y',
      '40',
      '-e',
      `MEETING_BASE_URL=${mock.url}`,
      '-e',
      `MEETING_TOKEN=${MOCK_ADMIN_TOKEN}`,
      `cd "${repoRoot}" && bash "${script}"`,
    );
  }, 60_000);

  afterAll(async () => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    await mock?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('draws the live table with its status line, marking new and ended meetings', async () => {
    const first = await until((text) => text.includes('last poll'), 30_000);
    expect(first).toMatch(/^Ongoing meetings of the enterprise at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(first).toMatch(/Subject\s+Meeting ID\s+Scheduler/);
    expect(first).toMatch(/last poll \d\d:\d\d:\d\d \(#\d+\) · \d+ ongoing · this poll \+\d+ ~\d+ −\d+ · since start/);
    expect(first).not.toContain('before the watch'); // drawn on the alternate screen
    const marked = await until((text) => /^\+ /m.test(text) && /^− /m.test(text), 20_000);
    expect(marked).toMatch(/^\+ \S/m);
    expect(marked).toMatch(/^− \S/m);
    // Redrawn in place: one table, one status line.
    expect(marked.match(/last poll/g)).toHaveLength(1);
  }, 60_000);

  it('gives the terminal back and exits 130 on Ctrl-C', async () => {
    tmux('send-keys', '-t', session, 'C-c');
    const deadline = Date.now() + 10_000;
    let exit = '';
    while (Date.now() < deadline && !exit) {
      try {
        exit = readFileSync(exitFile, 'utf8').trim();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(exit).toBe('EXIT=130');
    const after = screen();
    expect(after).toContain('before the watch'); // the normal screen is back
    expect(after).not.toContain('last poll');
  }, 30_000);
});
