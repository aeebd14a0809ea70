// Runs a long step of a test (an install, a build, a browser, another runtime) with a time limit fit for a loaded
// machine, and fails saying what happened: which command, in which folder, after how long, killed or its exit code,
// and the end of its stderr. A bare "Command failed" or an empty timeout message tells a newcomer nothing.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv | undefined;
  /** Kill the command, and whatever it started, after this long. */
  timeoutMs: number;
}

/** How much of stdout a step may print (the JSON a consumer program prints is far smaller). */
const MAX_STDOUT = 16 * 1024 * 1024;
/** How much of the end of stderr a failure quotes. */
const STDERR_TAIL = 4000;

export class CommandError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface Outcome {
  /** Its exit code; null when it was killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** The command as a shell would show it, and where it ran, for messages. */
  command: string;
  ms: number;
}

/** Runs the command to its end or its time limit, whatever its exit code (for tests of exit codes). */
export function outcomeOf(file: string, args: readonly string[], options: RunOptions): Promise<Outcome> {
  const command = [file, ...args].map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(' ');
  const started = performance.now();
  // Its own process group, so that a timeout kills what it started too (npm's git clone, its nested install).
  const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe', detached: true });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  let overflow = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    if (stdout.length + chunk.length > MAX_STDOUT) overflow = true;
    else stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // the group is gone already: the command itself, if it is still there
    }
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CommandError(`\`${command}\` (in ${options.cwd}) could not start: ${error.message}`, '', ''));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (overflow) stderr += `\n(stdout cut at ${MAX_STDOUT} bytes)`;
      resolve({ code, signal, timedOut, stdout, stderr, command, ms: performance.now() - started });
    });
  });
}

/** The command's stdout; rejects with a CommandError that says what went wrong. */
export async function run(file: string, args: readonly string[], options: RunOptions): Promise<string> {
  const outcome = await outcomeOf(file, args, options);
  if (outcome.code === 0 && !outcome.timedOut) return outcome.stdout;
  const what = outcome.timedOut
    ? `was killed at its time limit of ${seconds(options.timeoutMs)}`
    : outcome.signal
      ? `was killed by ${outcome.signal}`
      : `exited with code ${outcome.code}`;
  const stderr = outcome.stderr.trim();
  const quoted = stderr ? `; its stderr ends:\n${stderr}` : '; it wrote nothing to stderr';
  const message = `\`${outcome.command}\` (in ${options.cwd}) ${what} after ${seconds(outcome.ms)}${quoted}`;
  throw new CommandError(message, outcome.stdout, outcome.stderr);
}

/**
 * A time limit for a step that takes `idleMs` on an idle 2-core machine: five times that, for a machine whose cores
 * other processes also want. TEST_TIME_SCALE multiplies it for a slower machine still.
 */
export function timeLimit(idleMs: number): number {
  const scale = Number(process.env.TEST_TIME_SCALE ?? 1) || 1;
  return Math.round(idleMs * 5 * scale);
}
