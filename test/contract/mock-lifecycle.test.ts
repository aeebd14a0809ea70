// The mock's lifecycle as another repository's test run lives it: a port another program holds, a port of 0,
// and the process that started the mock dying without close() (SIGKILL, an uncaught throw, a signal during
// start-up), the command stopped by any signal, directly or through npm's wrapper. Nothing it started may survive:
// every process it spawned carries a marker in its environment, and none with the marker may be left; each run has
// a temporary directory of its own, and nothing may be left in it.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../../src/mock/index.js';
import { repoRoot } from '../support/paths.js';

/** Process ids whose environment holds MOCK_LIFECYCLE_MARKER=marker. */
function processesMarked(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`MOCK_LIFECYCLE_MARKER=${marker}`))
        found.push(Number(entry));
    } catch {
      /* gone, or not ours */
    }
  }
  return found;
}

async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

interface Spawned {
  child: ChildProcess;
  marker: string;
  /** The run's own temporary directory (TMPDIR). */
  tmp: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What the mock left in a run's temporary directory. */
const leftIn = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith('meetings-mock-'));

function spawnMarked(args: string[], env: Record<string, string> = {}, command = process.execPath): Spawned {
  const marker = randomUUID();
  const tmp = mkdtempSync(join(tmpdir(), 'mock-lifecycle-'));
  const child = spawn(command, command === process.execPath ? ['--import', 'tsx', ...args] : args, {
    cwd: repoRoot,
    env: { ...process.env, ...env, MOCK_LIFECYCLE_MARKER: marker, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, marker, tmp, stdout: () => out, stderr: () => err, exit };
}

const parentScript = join(repoRoot, 'test/support/mock-parent.ts');
const serveScript = join(repoRoot, 'src/mock/serve.ts');
const started: Spawned[] = [];
afterAll(() => {
  // In case a test failed.
  for (const s of started) for (const pid of processesMarked(s.marker)) process.kill(pid, 'SIGKILL');
  for (const s of started) rmSync(s.tmp, { recursive: true, force: true });
});

async function startedParent(
  then: 'stay' | 'throw' | 'exit',
  options: Record<string, unknown> = { stateful: { meetings: 5 } },
) {
  const spawned = spawnMarked([parentScript], { MOCK_THEN: then, MOCK_OPTIONS: JSON.stringify(options) });
  started.push(spawned);
  const ready = await eventually(() => spawned.stdout().includes('"url"'), 30_000);
  expect(ready, spawned.stderr()).toBe(true);
  return {
    ...spawned,
    mock: JSON.parse(spawned.stdout().split('\n')[0]!) as { url: string; port: number; pid: number },
  };
}

describe('a port that another program holds', () => {
  let squatter: Server;
  let port: number;
  beforeAll(async () => {
    squatter = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    port = (squatter.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

  it('makes startMockServer reject, naming the port, at once', async () => {
    const startedAt = Date.now();
    await expect(startMockServer({ port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    expect(Date.now() - startedAt).toBeLessThan(2000); // before Prism is even started
  });

  it('makes the command exit non-zero, naming the port, leaving nothing behind', async () => {
    const cli = spawnMarked([serveScript, '--port', String(port)]);
    started.push(cli);
    const { code } = await cli.exit;
    expect(code).toBe(1);
    expect(cli.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(cli.stdout()).not.toContain('listening');
    expect(await eventually(() => processesMarked(cli.marker).length === 0, 5000)).toBe(true);
  });
});

describe('port 0', () => {
  it('listens on a free port and reports it', async () => {
    const mock = await startMockServer({ port: 0 });
    try {
      expect(mock.port).toBeGreaterThan(0);
      expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
      expect(
        (await fetch(`${mock.url}/v1/mmc/management/conferences/online`, { headers: { 'X-Access-Token': 'x' } }))
          .status,
      ).toBe(200);
    } finally {
      await mock.close();
    }
  });
});

describe('the process that started the mock dies without close()', () => {
  it.each(['SIGKILL', 'SIGTERM', 'SIGINT'] as const)(
    'leaves no Prism and frees the port when it gets %s',
    async (signal) => {
      const parent = await startedParent('stay');
      expect(processesMarked(parent.marker).length).toBeGreaterThanOrEqual(3); // the parent, the watchdog, Prism
      parent.child.kill(signal);
      await parent.exit;
      expect(
        await eventually(() => processesMarked(parent.marker).length === 0, 5000),
        `left: ${processesMarked(parent.marker).join(', ')}`,
      ).toBe(true);
      expect(await portFree(parent.mock.port)).toBe(true);
      expect(await eventually(() => leftIn(parent.tmp).length === 0, 5000), leftIn(parent.tmp).join()).toBe(true);
    },
  );

  it.each(['throw', 'exit'] as const)('leaves no Prism when it ends by an uncaught %s', async (then) => {
    const parent = await startedParent(then, {});
    await parent.exit;
    expect(await eventually(() => processesMarked(parent.marker).length === 0, 5000)).toBe(true);
    expect(leftIn(parent.tmp)).toEqual([]);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('leaves nothing when the command gets %s during start-up, and exits %i', async (signal, exitCode) => {
    const cli = spawnMarked([serveScript, '--port', '0', '--stateful', '--meetings', '5']);
    started.push(cli);
    // Prism is being started: the watchdog (`node -e …`) is there, Prism not listening yet. (Counting processes
    // is not enough: tsx's esbuild service is one, there before the command handles any signal.)
    const isWatchdog = (pid: number) => {
      try {
        return /\0-e\0/.test(readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
      } catch {
        return false; // it ended between the listing and the read
      }
    };
    const watchdog = () => processesMarked(cli.marker).some(isWatchdog);
    expect(await eventually(watchdog, 10_000)).toBe(true);
    expect(cli.stdout()).not.toMatch(/listening on/);
    cli.child.kill(signal);
    // 128 + the signal's number, as the client's CLI exits; whether it came before or as Prism listened.
    expect(await cli.exit).toEqual({ code: exitCode, signal: null });
    expect(exitCode).toBe(128 + constants.signals[signal]);
    expect(
      await eventually(() => processesMarked(cli.marker).length === 0, 5000),
      `left: ${processesMarked(cli.marker).join(', ')}`,
    ).toBe(true);
    expect(await eventually(() => leftIn(cli.tmp).length === 0, 5000)).toBe(true);
  });
});

describe('the command, once it listens, stopped by a signal', () => {
  const listening = (spawned: Spawned) => eventually(() => spawned.stdout().includes('listening on'), 30_000);

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('leaves nothing when it gets %s, and exits %i', async (signal, exitCode) => {
    const cli = spawnMarked([serveScript, '--port', '0', '--stateful', '--meetings', '5']);
    started.push(cli);
    expect(await listening(cli), cli.stderr()).toBe(true);
    expect(processesMarked(cli.marker).length).toBeGreaterThanOrEqual(3); // the command, the watchdog, Prism
    cli.child.kill(signal);
    const { code, signal: by } = await cli.exit;
    expect({ code, by }).toEqual({ code: exitCode, by: null }); // it stopped itself, saying which signal
    expect(await eventually(() => processesMarked(cli.marker).length === 0, 5000)).toBe(true);
    expect(leftIn(cli.tmp)).toEqual([]);
  });

  it("leaves nothing when npm's wrapper (npx, npm exec) gets SIGTERM and does not pass it on", async () => {
    // npm exec runs the command through sh; on SIGTERM npm exits and the command is left to another parent.
    const npm = 'npm';
    const command = `"${process.execPath}" --import tsx "${serveScript}" --port 0`;
    const wrapper = spawnMarked(['exec', '--offline', '-c', command], {}, npm);
    started.push(wrapper);
    expect(await listening(wrapper), wrapper.stderr()).toBe(true);
    expect(processesMarked(wrapper.marker).length).toBeGreaterThanOrEqual(4); // npm, sh, the command, …, Prism
    wrapper.child.kill('SIGTERM');
    await wrapper.exit;
    expect(
      await eventually(() => processesMarked(wrapper.marker).length === 0, 10_000),
      `left: ${processesMarked(wrapper.marker).join(', ')}`,
    ).toBe(true);
    expect(leftIn(wrapper.tmp)).toEqual([]);
  }, 40_000);

  it('stops the in-process engine the same way, and it never used the temporary directory', async () => {
    const cli = spawnMarked([serveScript, '--port', '0', '--engine', 'in-process', '--stateful']);
    started.push(cli);
    expect(await listening(cli), cli.stderr()).toBe(true);
    const commands = processesMarked(cli.marker).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
    expect(commands.filter((command) => /prism|\0-e\0/.test(command))).toEqual([]); // no Prism, no watchdog
    expect(leftIn(cli.tmp)).toEqual([]); // no served spec: nothing to leave behind
    cli.child.kill('SIGHUP');
    expect(await cli.exit).toEqual({ code: 129, signal: null });
  });
});

describe("the mock's command line", () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--port', 'abc'], '--port takes a whole number, got "abc"'],
    [['--meetings', '5'], '--meetings goes with --stateful'],
    [['--stateful', '--failure-rate', '2'], '--failure-rate takes a number from 0 to 1'],
    [['--stateful', '--latency', 'slow'], '--latency takes milliseconds'],
    [['--port', '70000'], 'port must be a whole number from 0 to 65535'],
    [['--engine', 'fast'], '--engine takes prism or in-process, got "fast"'],
    [['--ca-file', 'ca.pem'], '--ca-file goes with --tls'],
  ])('answers %j with a usage line and exit 2, no stack trace', async (args, message) => {
    const cli = spawnMarked([serveScript, ...args]);
    started.push(cli);
    const { code } = await cli.exit;
    expect(code).toBe(2);
    expect(cli.stderr()).toContain(message);
    expect(cli.stderr()).toMatch(/Usage: meetings-online-mock|--help/);
    expect(cli.stderr()).not.toMatch(/\n\s+at /);
  });
});

describe("the mock's --help", () => {
  it('names the exit code of each signal that stops it', async () => {
    const cli = spawnMarked([serveScript, '--help']);
    started.push(cli);
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    expect(cli.stdout()).toMatch(/Ctrl-C, SIGTERM or SIGHUP, then exits 130, 143 or 129/);
  });
});
