// Runs Prism (an optional peer dependency) as a child that cannot outlive the process that started it: Prism
// runs under a small watchdog, in a process group of their own, and the watchdog ends the group as soon as its
// standard input closes, which the kernel does when this process dies, SIGKILL included.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PrismProcess {
  /** Where Prism listens (on a port of its choosing). */
  url: string;
  /** The watchdog's process id, which is also the process group of Prism and the watchdog. */
  pid: number;
  /** What Prism printed so far. */
  log(): string;
  stop(): Promise<void>;
}

/** The bundled spec: next to the built module in the package, or in generated/ in the repository. */
export function bundledSpecPath(extension: 'yaml' | 'json' = 'yaml'): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, `openapi.${extension}`), join(here, `../../generated/openapi.${extension}`)];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`the bundled spec was not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * The spec Prism serves: the bundled one less the `deprecated` marks on parameters. Prism's proxy counts a
 * deprecation warning as a failed request (422), while the service accepts deprecated parameters; nothing else
 * changes, so Prism validates exactly what the spec says. Returns the file and its removal.
 */
export function servedSpec(): { path: string; dir: string; remove: () => void } {
  const spec = JSON.parse(readFileSync(bundledSpecPath('json'), 'utf8')) as {
    components?: { parameters?: Record<string, { deprecated?: boolean }> };
  };
  for (const parameter of Object.values(spec.components?.parameters ?? {})) delete parameter.deprecated;
  const dir = mkdtempSync(join(tmpdir(), 'meetings-mock-'));
  const path = join(dir, 'openapi.json');
  writeFileSync(path, JSON.stringify(spec));
  return { path, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function prismEntry(): string {
  const require = createRequire(join(process.cwd(), 'package.json'));
  const candidates = [
    () => require.resolve('@stoplight/prism-cli/package.json'),
    () => createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json'),
  ];
  for (const resolve of candidates) {
    try {
      return join(dirname(resolve()), 'dist/index.js');
    } catch {
      /* try the next place */
    }
  }
  throw new Error(
    'the mock needs Prism: npm install --save-dev @stoplight/prism-cli@5.14.2 ' +
      '(on Node.js 24.18 or later and 26, the newest 5.x works too)',
  );
}

/**
 * The watchdog, run with `node -e`: starts Prism in its own process group and ends that group when its standard
 * input closes (its parent is gone or called stop) or when it is signalled. On its way out it removes the folder
 * named in MOCK_REMOVE_ON_EXIT (the served spec's), so that nothing is left in the temporary directory whatever
 * ended the process that started the mock, SIGKILL included.
 */
const WATCHDOG = `
const { spawn } = require('node:child_process');
const { rmSync } = require('node:fs');
const [entry, ...args] = process.argv.slice(1);
const folder = process.env.MOCK_REMOVE_ON_EXIT;
const tidy = () => { if (folder) try { rmSync(folder, { recursive: true, force: true }); } catch {} };
const prism = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
let ending = false;
const end = () => {
  if (ending) return;
  ending = true;
  prism.kill('SIGTERM');
  setTimeout(() => { tidy(); try { process.kill(-process.pid, 'SIGKILL'); } catch {} process.exit(1); }, 3000).unref();
};
process.stdin.on('end', end);
process.stdin.on('close', end);
process.stdin.on('error', end);
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, end);
process.stdout.on('error', () => undefined);
prism.on('exit', (code, signal) => { tidy(); process.exit(code ?? (signal ? 1 : 0)); });
`;

const LISTENING = /Prism is listening on (https?:\/\/\S+)/;

/**
 * What to end when this process exits, each running Prism's group: one 'exit' listener for them all, so that a
 * suite with many mocks at once gets no MaxListenersExceededWarning (one listener each did, past ten).
 */
const onProcessExit = new Set<() => void>();
let exitListened = false;
function endOnProcessExit(end: () => void): void {
  if (!exitListened) {
    exitListened = true;
    process.on('exit', () => {
      for (const each of onProcessExit) each();
    });
  }
  onProcessExit.add(end);
}

/** Starts `prism <args>` (with `--port 0`: Prism picks a free port) and resolves once it says where it listens. */
export async function startPrism(
  args: string[],
  options: { deadlineMs: number; signal?: AbortSignal | undefined; removeOnExit?: string },
): Promise<PrismProcess> {
  const entry = prismEntry();
  const child = spawn(process.execPath, ['-e', WATCHDOG, entry, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, MOCK_REMOVE_ON_EXIT: options.removeOnExit ?? '' },
  });
  const pid = child.pid!;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.on('error', () => undefined); // the watchdog may be gone already
  // A normal exit without stop() ends Prism at once too (the watchdog would, a moment later).
  const killGroup = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    // The watchdog, killed with its group, cannot remove the folder now.
    if (options.removeOnExit) rmSync(options.removeOnExit, { recursive: true, force: true });
  };
  endOnProcessExit(killGroup);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      onProcessExit.delete(killGroup);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end(); // the watchdog's cue
      const timer = setTimeout(killGroup, 3000);
      await exited;
      clearTimeout(timer);
    })());

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const settle = (finish: () => void) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        child.stdout.off('data', check);
        child.stderr.off('data', check);
        child.off('exit', onExit);
        finish();
      };
      const check = () => {
        const found = LISTENING.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
        if (found) settle(() => resolve(found[1]!));
      };
      const onExit = (code: number | null, signal: string | null) =>
        settle(() =>
          reject(new Error(`Prism exited (code ${code}, signal ${signal}) before listening. Its log:\n${output}`)),
        );
      const onAbort = () => settle(() => reject(options.signal!.reason));
      const timer = setTimeout(
        () =>
          settle(() => reject(new Error(`Prism did not start within ${options.deadlineMs} ms. Its log:\n${output}`))),
        options.deadlineMs,
      );
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.once('exit', onExit);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      check();
    });
    return { url, pid, log: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
