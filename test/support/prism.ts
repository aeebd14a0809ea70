// Starts the Prism mock from the bundled spec on 127.0.0.1 and a free port, and stops it for sure.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bundledSpecPath = join(repoRoot, 'generated/openapi.yaml');

export interface RunningPrism {
  url: string;
  pid: number;
  log: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Spawns Prism's own entry script with node (not npx), so the pid we hold is Prism's. */
export async function startPrism(options: { deadlineMs?: number; extraArgs?: string[] } = {}): Promise<RunningPrism> {
  const prismEntry = join(dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')), 'dist/index.js');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [prismEntry, 'mock', bundledSpecPath, '--host', '127.0.0.1', '--port', String(port), '--errors', ...(options.extraArgs ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `Prism exited (code ${code}, signal ${signal})`));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((done) => child.once('exit', () => done()));
    try {
      process.kill(-child.pid!, 'SIGTERM'); // the whole process group, in case Prism forks
    } catch {
      child.kill('SIGTERM');
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 3000);
    await gone;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.deadlineMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`${exited} before answering. Its log:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Prism did not answer on ${url} within ${options.deadlineMs ?? 30_000} ms. Its log:\n${output}`);
    }
    try {
      // Any HTTP answer (401 without a token) means the server is up.
      await fetch(`${url}/v1/mmc/management/conferences/online`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return { url, pid: child.pid!, log: () => output, stop };
}
