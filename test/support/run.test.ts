// The runner of long test steps: a failure says which command, after how long, and what it wrote to stderr, and a
// timeout kills what the command started too.
import { describe, expect, it } from 'vitest';
import { run } from './run.js';

const gone = async (pid: number) => {
  // Reaping takes a moment on a busy machine: ask for up to 10 s.
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
};

describe('run', () => {
  it("returns the command's stdout", async () => {
    expect(await run('sh', ['-c', 'echo hello'], { cwd: '/', timeoutMs: 60_000 })).toBe('hello\n');
  });

  it('says which command failed, how, after how long, and the end of its stderr', async () => {
    const failing = run('sh', ['-c', 'echo "no such package" >&2; exit 3'], { cwd: '/tmp', timeoutMs: 60_000 });
    const command = /^`sh -c "echo \\"no such package\\" >&2; exit 3"` \(in \/tmp\) /;
    await expect(failing).rejects.toThrow(command);
    await expect(failing).rejects.toThrow(/ exited with code 3 after \d+\.\d s; its stderr ends:\nno such package$/);
  });

  it('kills a command at its time limit, with what it started, and says so', async () => {
    const error = await run('sh', ['-c', 'sleep 300 & echo "started $!" >&2; wait'], {
      cwd: '/tmp',
      timeoutMs: 2000,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/`sh -c .*` \(in \/tmp\) was killed at its time limit of 2\.0 s after \d+\.\d s; /);
    const pid = Number(/started (\d+)/.exec(error?.message ?? '')?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  }, 30_000);
});
