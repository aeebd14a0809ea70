// The package as other repositories get it: built, linted (publint, attw), packed once, installed into a project
// outside this repository (from that tarball, and from git as repos install unpublished packages), imported as ESM
// and CommonJS, type-checked under three TypeScript configurations, and used on every runtime: Node.js 20, 22, 24
// and 26, Bun, Deno and a browser page. The mock runs with the suite's Prism 5.14.2 on Node.js 20 and with the
// newest 5.x on Node.js 24 and 26. The consumer programs are in test/package/consumer/, as a consumer would write
// them. Every step has a time limit fit for a loaded 2-core machine and fails saying which command, after how long,
// and its stderr (test/support/run.ts).
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
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MOCK_ADMIN_TOKEN, MOCK_APP } from '../../src/mock/index.js';
import { repoRoot } from '../support/paths.js';
import { run, timeLimit } from '../support/run.js';
import { ensureRuntimes, type RuntimeName, runtimes, runtimesDir, runtimesUnavailable } from '../support/runtimes.js';
import { TSC_LIMIT_MS, typeErrors } from '../support/tsc.js';

const NAME = 'huawei-meeting-online-client';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const programs = join(repoRoot, 'test/package/consumer');
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
/** Each step's time on an idle 2-core machine, from which its limit on a loaded one is made. */
const LIMIT = {
  build: timeLimit(40_000),
  pack: timeLimit(15_000),
  install: timeLimit(30_000),
  gitInstall: timeLimit(120_000), // a clone, all dev dependencies (from npm's cache), the build
  program: timeLimit(15_000),
};
/** A step of a test: the repository folder unless told, its stdout. */
const sh = (
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
) => run(file, args, { cwd: options.cwd ?? repoRoot, env: options.env, timeoutMs: options.timeoutMs ?? LIMIT.program });
const npmInstall = ['install', '--no-audit', '--no-fund', '--prefer-offline'];
/** A project of its own outside the repository, with the consumer programs in it. */
function project(dir: string, name: string): void {
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type: 'module' }));
  for (const file of readdirSync(programs)) copyFileSync(join(programs, file), join(dir, file));
  for (const file of ['smoke.mjs', 'run-smoke.mjs']) copyFileSync(join(runtimesDir, file), join(dir, file));
}

/** The TypeScript configurations a consumer may have; each written next to consumer.ts as tsconfig.<name>.json. */
function writeTsConfigurations(dir: string, initConfig: string): string[] {
  const own = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.json'), 'utf8')).compilerOptions;
  const { paths: _paths, types: _types, ...projectStrict } = own;
  const presets = {
    // Exactly what `tsc --init` wrote in the consumer project (exactOptionalPropertyTypes on, skipLibCheck on).
    init: { extends: initConfig },
    // The project's own settings, with our declarations checked too (skipLibCheck off).
    strict: { compilerOptions: { ...projectStrict, skipLibCheck: false } },
    strictest: { extends: join(repoRoot, 'node_modules/@tsconfig/strictest/tsconfig.json') },
  };
  const resolutions = {
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
    bundler: { module: 'preserve', moduleResolution: 'bundler' },
  };
  const files: string[] = [];
  for (const [preset, config] of Object.entries(presets))
    for (const [resolution, options] of Object.entries(resolutions)) {
      const base = 'compilerOptions' in config ? config.compilerOptions : {};
      const compilerOptions = { ...base, ...options, target: 'es2022', noEmit: true, types: [] };
      const file = join(dir, `tsconfig.${preset}.${resolution}.json`);
      const extended = 'extends' in config ? { extends: config.extends } : {};
      writeFileSync(file, JSON.stringify({ ...extended, compilerOptions, files: ['consumer.ts'] }, null, 2));
      files.push(file);
    }
  return files;
}

describe.concurrent('the published package', { timeout: LIMIT.program * 2 }, () => {
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
  let tsConfigurations: string[] = [];

  beforeAll(async () => {
    // Meanwhile: the other runtimes, and an install straight from this repository's git (the committed HEAD, with
    // its `prepare` build, its dev dependencies from npm's cache), as `npm install git+https://…` does it.
    const runtimesReady = ensureRuntimes();
    project(fromGit, 'consumer-from-git');
    const gitInstall = sh('npm', [...npmInstall, `git+file://${repoRoot}`], {
      cwd: fromGit,
      timeoutMs: LIMIT.gitInstall,
    });
    const fromTarball = async () => {
      // One build, one tarball: every consumer project below installs this same file.
      await sh('npm', ['run', '--silent', 'build'], { timeoutMs: LIMIT.build });
      const packArgs = ['pack', '--json', '--ignore-scripts', '--pack-destination', work];
      const packed = JSON.parse(await sh('npm', packArgs, { timeoutMs: LIMIT.pack })) as { filename: string }[];
      tarball = join(work, packed[0]!.filename);
      project(consumer, 'consumer');
      await sh('npm', [...npmInstall, tarball], { cwd: consumer, timeoutMs: LIMIT.install });
      // `tsc --init` as a consumer starting a project runs it, then the other configurations beside it.
      await sh(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '--init'], { cwd: consumer });
      tsConfigurations = writeTsConfigurations(consumer, './tsconfig.json');
    };
    // All settled before failing, so that no install is left running when the folder is removed.
    const failed = (await Promise.allSettled([fromTarball(), gitInstall, runtimesReady])).find(
      (outcome) => outcome.status === 'rejected',
    );
    if (failed) throw failed.reason;
  }, LIMIT.gitInstall + 60_000);

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
  });

  it('passes publint', async () => {
    expect(await sh(bin('publint'), ['--strict', tarball])).toMatch(/All good/);
  });

  it('passes Are the Types Wrong for Node 16+ ESM and CommonJS and bundlers', async () => {
    // node10 resolution has no subpath exports; the YAML subpath is data, not a module.
    // attw exits non-zero on any problem, which makes sh throw; what it prints as ignored is node10 only.
    const args = [tarball, '--profile', 'node16', '--exclude-entrypoints', './openapi.yaml', '--format', 'ascii'];
    const output = await sh(bin('attw'), args);
    const flagged = output.split('\n').filter((line) => /❌|💀|🐛|⚠️/u.test(line));
    expect(flagged.filter((line) => !line.includes('ignored'))).toEqual([]);
  });

  it('ships what the README links to: its guides, CONTRIBUTING, LICENSE and CHANGELOG resolve in node_modules', () => {
    const installed = join(consumer, 'node_modules', NAME);
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!);
    expect(targets.filter((target) => target.startsWith('docs/guides/')).length).toBeGreaterThan(5);
    expect(targets.filter((target) => !existsSync(join(installed, target)))).toEqual([]);
  });

  it('ships what its entries and bins use, the spec and the README; openapi-fetch its one dependency', async () => {
    const files = readdirSync(join(consumer, 'node_modules', NAME, 'dist'));
    const built = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'openapi.yaml', 'openapi.json', 'cli.js'];
    expect(files).toEqual(expect.arrayContaining(built));
    expect(files.filter((f) => f === 'docs' || f === 'cli.cjs' || f === 'mock-cli.cjs')).toEqual([]);
    const manifest = JSON.parse(
      await sh(process.execPath, ['-p', `JSON.stringify(require('${NAME}/package.json'))`], { cwd: consumer }),
    );
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    expect(manifest.peerDependenciesMeta['@stoplight/prism-cli']).toEqual({ optional: true });
    expect(existsSync(join(consumer, 'node_modules/@stoplight/prism-cli'))).toBe(false);
  });

  it('lists meetings from the mock when imported as ESM', async () => {
    expect((await sh(process.execPath, ['esm.mjs'], { cwd: consumer, env })).trim()).toBe(total);
  });

  it('lists meetings from the mock when required as CommonJS, validation chunk included', async () => {
    expect((await sh(process.execPath, ['cjs.cjs'], { cwd: consumer, env })).trim()).toBe(`5 ${total} function`);
  });

  it.each([
    'init.nodenext',
    'init.bundler',
    'strict.nodenext',
    'strict.bundler',
    'strictest.nodenext',
    'strictest.bundler',
  ])('type-checks a TypeScript consumer under tsconfig.%s.json', { timeout: TSC_LIMIT_MS + 10_000 }, async (name) => {
    const config = tsConfigurations.find((file) => file.endsWith(`tsconfig.${name}.json`));
    expect(config, 'written in beforeAll').toBeDefined();
    expect(await typeErrors(config!)).toBe('');
  });

  it('runs the meetings-online bin from the consumer against the stateful mock', async () => {
    const out = await sh(
      join(consumer, 'node_modules/.bin/meetings-online'),
      ['--query-all', '--limit', '3', '--json'],
      {
        cwd: consumer,
        env: { ...process.env, MEETING_BASE_URL: mock.url, MEETING_TOKEN: mock.tokens.admin },
      },
    );
    expect(JSON.parse(out)).toMatchObject({ offset: 0, limit: 3, count: Number(total) });
  });

  it('exports the bundled spec as openapi.yaml and openapi.json', async () => {
    const script = `console.log(require.resolve('${NAME}/openapi.yaml'));
console.log(require('${NAME}/openapi.json').openapi)`;
    expect(await sh(process.execPath, ['-e', script], { cwd: consumer })).toMatch(/dist\/openapi\.yaml\n3\.1\.0\n$/);
  });

  it('says what to install when the mock is used without Prism', async () => {
    const out = await sh(process.execPath, ['mock-without-prism.mjs'], { cwd: consumer });
    expect(out).toContain('npm install --save-dev @stoplight/prism-cli@5.14.2');
  });

  it('installs from git (git+file) with a working build: ESM, CommonJS, types, both bins, the spec', async () => {
    const installed = join(fromGit, 'node_modules', NAME);
    const built = ['index.js', 'index.cjs', 'index.d.ts', 'mock.js', 'cli.js', 'mock-cli.js', 'openapi.yaml'];
    expect(readdirSync(join(installed, 'dist'))).toEqual(expect.arrayContaining(built));
    expect((await sh(process.execPath, ['esm.mjs'], { cwd: fromGit, env })).trim()).toBe(total);
    expect((await sh(process.execPath, ['cjs.cjs'], { cwd: fromGit, env })).trim()).toBe(`5 ${total} function`);
    const cli = join(fromGit, 'node_modules/.bin/meetings-online');
    const out = await sh(cli, ['--query-all', '--limit', '2', '--json'], {
      cwd: fromGit,
      env: { ...process.env, MEETING_BASE_URL: mock.url, MEETING_TOKEN: mock.tokens.admin },
    });
    expect(JSON.parse(out)).toMatchObject({ limit: 2, count: Number(total) });
    const mockCli = join(fromGit, 'node_modules/.bin/meetings-online-mock');
    expect(await sh(mockCli, ['--help'], { cwd: fromGit })).toContain('Usage: meetings-online-mock');
    const spec = `console.log(require('${NAME}/openapi.json').openapi)`;
    expect((await sh(process.execPath, ['-e', spec], { cwd: fromGit })).trim()).toBe('3.1.0');
  });

  it.for(Object.keys(runtimes) as RuntimeName[])(
    'runs on %s: a page, a concurrent walk, http and input errors, App ID sign-in',
    async (name, { skip }) => {
      if (runtimesUnavailable) skip(runtimesUnavailable);
      const runtime = runtimes[name];
      const args = [...runtime.args, 'run-smoke.mjs', smokeConfig];
      const out = JSON.parse(await sh(runtime.binary, args, { cwd: consumer })) as { runtime: string };
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
      timeout: LIMIT.program,
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
        timeout: LIMIT.program,
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

  it.for([
    ['20', "the suite's Prism 5.14.2", repoRoot, /^5\.14\.2$/],
    ['24', 'the newest Prism 5.x', runtimesDir, /^5\.(1[6-9]|[2-9]\d)\./],
    ['26', 'the newest Prism 5.x', runtimesDir, /^5\.(1[6-9]|[2-9]\d)\./],
  ] as const)('runs the mock on Node.js %s with %s', async ([major, , cwd, prism], { skip }) => {
    if (runtimesUnavailable) skip(runtimesUnavailable);
    // The mock takes Prism from the working directory's project: 5.14.2 in this repository, 5.16 in test/runtimes.
    const node = runtimes[`node ${major}` as RuntimeName].binary;
    const out = await sh(node, [join(consumer, 'mock-smoke.mjs')], { cwd });
    expect(JSON.parse(out)).toMatchObject({
      node: expect.stringMatching(new RegExp(`^${major}\\.`)),
      prism: expect.stringMatching(prism),
      count: 30,
      refused: { error_code: 'MOCK.INVALID_PARAMETER' },
    });
  });
});
