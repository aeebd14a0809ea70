// The package as other repositories get it: built, linted (publint, attw), packed, installed into a project
// outside this repository (from the tarball, and from git as repos install unpublished packages), imported as ESM
// and CommonJS, type-checked under strict settings, and used on every runtime: Node.js 20, 22 and 24, Bun, Deno
// and a browser page. The mock runs on Node.js 20 with Prism 5.14.2 (the suite's) and on Node.js 24 with the
// newest 5.x. The consumer programs are in test/package/consumer/, as a consumer would write them.
import { execFile, execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MOCK_ADMIN_TOKEN, MOCK_APP } from '../../src/mock/index.js';
import { repoRoot } from '../support/paths.js';
import { ensureRuntimes, runtimes, runtimesDir } from '../support/runtimes.js';
import { typeErrors } from '../support/tsc.js';

const NAME = 'huawei-meeting-online-client';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const programs = join(repoRoot, 'test/package/consumer');
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
const sh = (file: string, args: string[], options: ExecFileSyncOptions = {}) =>
  execFileSync(file, args, { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe', ...options }) as string;
/** For steps that talk to the mock: its stateful upstream runs in this process, so the loop must stay free. */
const shAsync = async (file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) => {
  const run = promisify(execFile);
  return (await run(file, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024, ...options }))
    .stdout;
};
/** A project of its own outside the repository, with the consumer programs in it. */
function project(dir: string, name: string): void {
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }));
  for (const file of readdirSync(programs)) copyFileSync(join(programs, file), join(dir, file));
  for (const file of ['smoke.mjs', 'run-smoke.mjs']) copyFileSync(join(runtimesDir, file), join(dir, file));
}

describe.concurrent('the published package', () => {
  const work = mkdtempSync(join(tmpdir(), 'meeting-consumer-'));
  const consumer = join(work, 'consumer');
  const fromGit = join(work, 'from-git');
  // The contract suite's stateful mock (its enterprise has `statefulMeetings` meetings).
  const mock = { url: inject('statefulUrl'), tokens: { admin: MOCK_ADMIN_TOKEN } };
  const total = String(inject('statefulMeetings'));
  const env = { ...process.env, URL: mock.url, TOKEN: mock.tokens.admin };
  const smokeConfig = JSON.stringify({ url: mock.url, adminToken: mock.tokens.admin, app: MOCK_APP });
  const expectedSmoke = {
    page: { count: Number(total), length: 5 },
    walk: Number(total),
    http: { kind: 'http', status: 401, errorCode: 'USG.000000004' },
    input: { kind: 'input', parameter: 'limit' },
    appId: { count: expect.any(Number) },
  };
  let tarball: string;

  beforeAll(async () => {
    // Meanwhile: the other runtimes, and an install straight from this repository's git (the committed HEAD, with
    // its `prepare` build), as `npm install git+https://…` does it for a consumer.
    const runtimesReady = promisify(setImmediate)().then(ensureRuntimes);
    project(fromGit, 'consumer-from-git');
    const gitInstall = shAsync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', `git+file://${repoRoot}`],
      {
        cwd: fromGit,
      },
    );
    sh('npm', ['run', '--silent', 'build']);
    const packed = JSON.parse(sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work])) as {
      filename: string;
    }[];
    tarball = join(work, packed[0]!.filename);
    project(consumer, 'consumer');
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: consumer });
    await Promise.all([gitInstall, runtimesReady]);
  }, 300_000);

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
  });

  it('passes publint', async () => {
    expect(await shAsync(bin('publint'), ['--strict', tarball], { cwd: repoRoot })).toMatch(/All good/);
  });

  it('passes Are the Types Wrong for Node 16+ ESM and CommonJS and bundlers', async () => {
    // node10 resolution has no subpath exports; the YAML subpath is data, not a module.
    // attw exits non-zero on any problem, which makes sh throw; what it prints as ignored is node10 only.
    const args = [tarball, '--profile', 'node16', '--exclude-entrypoints', './openapi.yaml', '--format', 'ascii'];
    const output = await shAsync(bin('attw'), args, { cwd: repoRoot });
    const flagged = output.split('\n').filter((line) => /❌|💀|🐛|⚠️/u.test(line));
    expect(flagged.filter((line) => !line.includes('ignored'))).toEqual([]);
  });

  it('ships only the build, the bundled spec and the README, with openapi-fetch its one dependency', () => {
    const files = readdirSync(join(consumer, 'node_modules', NAME, 'dist'));
    const built = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'openapi.yaml', 'openapi.json', 'cli.js'];
    expect(files).toEqual(expect.arrayContaining(built));
    expect(files.some((f) => f === 'docs')).toBe(false);
    const manifest = JSON.parse(
      sh(process.execPath, ['-p', `JSON.stringify(require('${NAME}/package.json'))`], { cwd: consumer }),
    );
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    expect(manifest.peerDependenciesMeta['@stoplight/prism-cli']).toEqual({ optional: true });
    expect(existsSync(join(consumer, 'node_modules/@stoplight/prism-cli'))).toBe(false);
  });

  it('lists meetings from the mock when imported as ESM', async () => {
    expect((await shAsync(process.execPath, ['esm.mjs'], { cwd: consumer, env })).trim()).toBe(total);
  });

  it('lists meetings from the mock when required as CommonJS, validation chunk included', async () => {
    expect((await shAsync(process.execPath, ['cjs.cjs'], { cwd: consumer, env })).trim()).toBe(`5 ${total} function`);
  });

  it('type-checks a strict TypeScript consumer', async () => {
    const compilerOptions = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2022', 'dom'],
      noEmit: true,
      skipLibCheck: false,
      types: [],
    };
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['consumer.ts'] }));
    expect(await typeErrors(consumer)).toBe('');
  });

  it('runs the meetings-online bin from the consumer against the stateful mock', async () => {
    const out = await shAsync(
      join(consumer, 'node_modules/.bin/meetings-online'),
      ['--query-all', '--limit', '3', '--json'],
      {
        cwd: consumer,
        env: { ...process.env, MEETING_BASE_URL: mock.url, MEETING_TOKEN: mock.tokens.admin },
      },
    );
    expect(JSON.parse(out)).toMatchObject({ offset: 0, limit: 3, count: Number(total) });
  });

  it('exports the bundled spec as openapi.yaml and openapi.json', () => {
    const script = `console.log(require.resolve('${NAME}/openapi.yaml'));
console.log(require('${NAME}/openapi.json').openapi)`;
    expect(sh(process.execPath, ['-e', script], { cwd: consumer })).toMatch(/dist\/openapi\.yaml\n3\.1\.0\n$/);
  });

  it('says what to install when the mock is used without Prism', () => {
    const out = sh(process.execPath, ['mock-without-prism.mjs'], { cwd: consumer });
    expect(out).toContain('npm install --save-dev @stoplight/prism-cli@5.14.2');
  });

  it('installs from git (git+file) with a working build: ESM, CommonJS, types, both bins, the spec', async () => {
    const installed = join(fromGit, 'node_modules', NAME);
    const built = ['index.js', 'index.cjs', 'index.d.ts', 'mock.js', 'cli.js', 'mock-cli.js', 'openapi.yaml'];
    expect(readdirSync(join(installed, 'dist'))).toEqual(expect.arrayContaining(built));
    expect((await shAsync(process.execPath, ['esm.mjs'], { cwd: fromGit, env })).trim()).toBe(total);
    expect((await shAsync(process.execPath, ['cjs.cjs'], { cwd: fromGit, env })).trim()).toBe(`5 ${total} function`);
    const cli = join(fromGit, 'node_modules/.bin/meetings-online');
    const out = await shAsync(cli, ['--query-all', '--limit', '2', '--json'], {
      cwd: fromGit,
      env: { ...process.env, MEETING_BASE_URL: mock.url, MEETING_TOKEN: mock.tokens.admin },
    });
    expect(JSON.parse(out)).toMatchObject({ limit: 2, count: Number(total) });
    const mockCli = join(fromGit, 'node_modules/.bin/meetings-online-mock');
    expect(await shAsync(mockCli, ['--help'], { cwd: fromGit })).toContain('Usage: meetings-online-mock');
    const spec = `console.log(require('${NAME}/openapi.json').openapi)`;
    expect(sh(process.execPath, ['-e', spec], { cwd: fromGit }).trim()).toBe('3.1.0');
  });

  const runtimeNames = ['node 20', ...Object.keys(runtimes)];
  it.each(runtimeNames)(
    'runs on %s: a page, a concurrent walk, http and input errors, App ID sign-in',
    async (name) => {
      const runtime =
        name === 'node 20' ? { binary: process.execPath, args: [] } : runtimes[name as keyof typeof runtimes];
      const args = [...runtime.args, 'run-smoke.mjs', smokeConfig];
      const out = JSON.parse(await shAsync(runtime.binary, args, { cwd: consumer })) as { runtime: string };
      const version = name.startsWith('node') ? new RegExp(`^node ${name.split(' ')[1]}\\.`) : new RegExp(`^${name}$`);
      expect(out.runtime).toMatch(version);
      expect(out).toMatchObject(expectedSmoke);
    },
  );

  it.skipIf(!existsSync(CHROMIUM))('runs in a browser page (Chromium), bundled as a web app would', async () => {
    const page = join(work, 'page');
    await build({
      entryPoints: [join(consumer, 'page-entry.mjs')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: join(page, 'page.js'),
      logLevel: 'silent',
    });
    const html =
      '<!doctype html><meta charset="utf-8"><title>smoke</title><script type="module" src="page.js"></script>';
    writeFileSync(join(page, 'index.html'), html);
    const server = createServer((req, res) => {
      const file = req.url?.startsWith('/page.js') ? 'page.js' : 'index.html';
      res.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
      res.end(readFileSync(join(page, file)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const tab = await browser.newPage();
      const problems: string[] = [];
      tab.on('pageerror', (error) => problems.push(String(error)));
      const port = (server.address() as AddressInfo).port;
      await tab.goto(`http://127.0.0.1:${port}/#${encodeURIComponent(smokeConfig)}`);
      type Outcome = { __result?: unknown; __error?: unknown };
      await tab.waitForFunction(() => (window as Outcome).__result ?? (window as Outcome).__error, undefined, {
        timeout: 60_000,
      });
      const outcome = await tab.evaluate(() => ({
        result: (window as Outcome).__result,
        error: (window as Outcome).__error,
      }));
      expect(outcome.error, String(outcome.error)).toBeUndefined();
      expect(problems).toEqual([]);
      expect(outcome.result).toMatchObject(expectedSmoke);
    } finally {
      await browser.close();
      server.close();
    }
  });

  it('runs the mock on Node.js 24 with the newest Prism 5.x', async () => {
    // From test/runtimes, where Prism 5.16 is installed: the mock takes Prism from the working directory's project.
    const out = await shAsync(runtimes['node 24'].binary, [join(consumer, 'mock-smoke.mjs')], { cwd: runtimesDir });
    expect(JSON.parse(out)).toMatchObject({
      node: expect.stringMatching(/^24\./),
      prism: expect.stringMatching(/^5\.(1[5-9]|[2-9]\d)\./),
      count: 30,
      refused: { error_code: 'MOCK.INVALID_PARAMETER' },
    });
  });
});
