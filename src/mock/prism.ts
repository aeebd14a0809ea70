// Runs Prism (an optional peer dependency) as a child process of its own, in its own process group, and
// stops it for sure.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PrismProcess {
  pid: number;
  /** What Prism printed so far. */
  log(): string;
  stop(): Promise<void>;
}

/** The bundled spec: next to the built module in the package, or in generated/ in the repository. */
export function bundledSpecPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'openapi.yaml'), join(here, '../../generated/openapi.yaml')];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`the bundled spec was not found (looked in ${candidates.join(', ')})`);
  return found;
}

function prismEntry(): string {
  const require = createRequire(join(process.cwd(), 'package.json'));
  const candidates = [() => require.resolve('@stoplight/prism-cli/package.json'), () => createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')];
  for (const resolve of candidates) {
    try {
      return join(dirname(resolve()), 'dist/index.js');
    } catch {
      /* try the next place */
    }
  }
  throw new Error('the mock needs Prism: npm install --save-dev @stoplight/prism-cli@5.14.2 (5.15+ needs Node.js 24)');
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts `prism <args>` and resolves once `probeUrl` answers over HTTP (any status), or rejects with its log. */
export async function startPrism(args: string[], probeUrl: string, deadlineMs: number): Promise<PrismProcess> {
  const child = spawn(process.execPath, [prismEntry(), ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `Prism exited (code ${code}, signal ${signal})`));
  const pid = child.pid!;

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal); // the whole group, in case Prism forks
      } catch {
        child.kill(signal);
      }
    };
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  };

  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (exited) throw new Error(`${exited} before answering. Its log:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Prism did not answer on ${probeUrl} within ${deadlineMs} ms. Its log:\n${output}`);
    }
    try {
      await fetch(probeUrl, { signal: AbortSignal.timeout(1000) });
      return { pid, log: () => output, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}
