// The package as other repositories get it: built, linted (publint, attw), packed, installed into a project
// outside this repository (from the tarball, and from git as repos install unpublished packages), imported as ESM
// and CommonJS, type-checked under strict settings, and used on every runtime: Node.js 20, 22 and 24, Bun, Deno and
// a browser page. The mock runs on Node.js 20 with Prism 5.14.2 (the suite's) and on Node.js 24 with the newest 5.x.
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
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MOCK_ADMIN_TOKEN, MOCK_APP } from '../../src/mock/index.js';
import { repoRoot } from '../support/paths.js';
import { ensureRuntimes, runtimes, runtimesDir } from '../support/runtimes.js';

const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
const sh = (file: string, args: string[], options: ExecFileSyncOptions = {}) =>
  execFileSync(file, args, { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe', ...options }) as string;
/** For steps that talk to the mock: its stateful upstream runs in this process, so the loop must stay free. */
const shAsync = async (file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) =>
  (
    await promisify(execFile)(file, args, {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
      ...options,
    })
  ).stdout;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe.concurrent('the published package', () => {
  const work = mkdtempSync(join(tmpdir(), 'meeting-consumer-'));
  const consumer = join(work, 'consumer');
  const fromGit = join(work, 'from-git');
  // The contract suite's stateful mock (its enterprise has `statefulMeetings` meetings).
  const mock = { url: inject('statefulUrl'), tokens: { admin: MOCK_ADMIN_TOKEN } };
  const total = String(inject('statefulMeetings'));
  let packageName: string;
  let tarball: string;

  const smokeConfig = JSON.stringify({ url: mock.url, adminToken: mock.tokens.admin, app: MOCK_APP });

  beforeAll(async () => {
    // Meanwhile: the other runtimes, and an install straight from this repository's git (committed HEAD, with its
    // `prepare` build), as `npm install git+https://…` does it for a consumer.
    const runtimesReady = promisify(setImmediate)().then(ensureRuntimes);
    mkdirSync(fromGit);
    writeFileSync(
      join(fromGit, 'package.json'),
      JSON.stringify({ name: 'consumer-from-git', version: '1.0.0', private: true }),
    );
    const gitInstall = shAsync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', `git+file://${repoRoot}`],
      { cwd: fromGit },
    );
    sh('npm', ['run', '--silent', 'build']);
    const packed = JSON.parse(sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work])) as {
      filename: string;
      name: string;
    }[];
    packageName = packed[0]!.name;
    tarball = join(work, packed[0]!.filename);
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: consumer });
    for (const file of ['smoke.mjs', 'run-smoke.mjs']) copyFileSync(join(runtimesDir, file), join(consumer, file));
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
    const output = await shAsync(
      bin('attw'),
      [tarball, '--profile', 'node16', '--exclude-entrypoints', './openapi.yaml', '--format', 'ascii'],
      { cwd: repoRoot },
    );
    const flagged = output.split('\n').filter((line) => /❌|💀|🐛|⚠️/u.test(line));
    expect(flagged.filter((line) => !line.includes('ignored'))).toEqual([]);
  });

  it('ships only the build, the bundled spec and the README, with openapi-fetch its one dependency', () => {
    const files = readdirSync(join(consumer, 'node_modules', packageName, 'dist'));
    expect(files).toEqual(
      expect.arrayContaining([
        'index.js',
        'index.cjs',
        'index.d.ts',
        'index.d.cts',
        'openapi.yaml',
        'openapi.json',
        'cli.js',
      ]),
    );
    const manifest = JSON.parse(
      sh(process.execPath, ['-p', `JSON.stringify(require('${packageName}/package.json'))`], { cwd: consumer }),
    );
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    expect(manifest.peerDependenciesMeta['@stoplight/prism-cli']).toEqual({ optional: true });
    expect(existsSync(join(consumer, 'node_modules/@stoplight/prism-cli'))).toBe(false);
  });

  it('lists meetings from the mock when imported as ESM', async () => {
    const script = `import { createMeetingClient } from '${packageName}';
const client = createMeetingClient({ baseUrl: process.env.URL, token: process.env.TOKEN });
let n = 0;
for await (const m of client.ongoingMeetings({ queryAll: true }, { pageSize: 50 })) n++;
console.log(n);`;
    writeFileSync(join(consumer, 'esm.mjs'), script);
    expect(
      (
        await shAsync(process.execPath, ['esm.mjs'], {
          cwd: consumer,
          env: { ...process.env, URL: mock.url, TOKEN: mock.tokens.admin },
        })
      ).trim(),
    ).toBe(total);
  });

  it('lists meetings from the mock when required as CommonJS, validation chunk included', async () => {
    const script = `const { createMeetingClient, MeetingClientError } = require('${packageName}');
const client = createMeetingClient({ baseUrl: process.env.URL, token: process.env.TOKEN, validateResponses: true });
client.listOngoingMeetings({ queryAll: true, limit: 5 }).then((page) => console.log(page.data.length, page.count, typeof MeetingClientError));`;
    writeFileSync(join(consumer, 'cjs.cjs'), script);
    expect(
      (
        await shAsync(process.execPath, ['cjs.cjs'], {
          cwd: consumer,
          env: { ...process.env, URL: mock.url, TOKEN: mock.tokens.admin },
        })
      ).trim(),
    ).toBe(`5 ${total} function`);
  });

  it('type-checks a strict TypeScript consumer', async () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
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
        },
        include: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import { createMeetingClient, MeetingHttpError, type ConferenceInfo, type OngoingMeetingsPage, type OngoingMeetingsQuery, type paths } from '${packageName}';
const query: OngoingMeetingsQuery = { queryAll: true, searchKey: 'sync', limit: 100 };
const client = createMeetingClient({ token: async () => 'token' });
export async function main(): Promise<string[]> {
  const page: OngoingMeetingsPage = await client.listOngoingMeetings(query);
  const first: ConferenceInfo | undefined = page.data[0];
  const count: number | undefined = first?.terminlCount;
  void count;
  try { await client.listOngoingMeetings(); } catch (e) { if (e instanceof MeetingHttpError) { const s: number = e.status; void s; } }
  const raw = await client.raw.GET('/v1/mmc/management/conferences/online', { params: { query: { limit: 5 } } });
  const path: keyof paths = '/v1/mmc/management/conferences/online';
  void path;
  return raw.data?.data.map((m) => m.subject ?? '') ?? [];
}
// @ts-expect-error limit is a number in the spec, not a string
client.listOngoingMeetings({ limit: '5' });
`,
    );
    await expect(
      shAsync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', consumer], { cwd: consumer }),
    ).resolves.toBe('');
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
    const resolved = sh(
      process.execPath,
      [
        '-e',
        `console.log(require.resolve('${packageName}/openapi.yaml')); console.log(require('${packageName}/openapi.json').openapi)`,
      ],
      { cwd: consumer },
    );
    expect(resolved).toMatch(/dist\/openapi\.yaml\n3\.1\.0\n$/);
  });

  it('says what to install when the mock is used without Prism', () => {
    const script = `import { startMockServer } from '${packageName}/mock';
startMockServer().then(() => console.log('started'), (e) => console.log(e.message));`;
    writeFileSync(join(consumer, 'mock.mjs'), script);
    const out = sh(process.execPath, ['mock.mjs'], { cwd: consumer });
    expect(out).toContain('npm install --save-dev @stoplight/prism-cli@5.14.2');
  });

  it('installs from git (git+file) with a working build: ESM, CommonJS, types, both bins, the spec', async () => {
    const installed = join(fromGit, 'node_modules', packageName);
    expect(readdirSync(join(installed, 'dist'))).toEqual(
      expect.arrayContaining([
        'index.js',
        'index.cjs',
        'index.d.ts',
        'mock.js',
        'cli.js',
        'mock-cli.js',
        'openapi.yaml',
      ]),
    );
    const env = { ...process.env, URL: mock.url, TOKEN: mock.tokens.admin };
    writeFileSync(
      join(fromGit, 'esm.mjs'),
      `import { createMeetingClient } from '${packageName}';\nconst page = await createMeetingClient({ baseUrl: process.env.URL, token: process.env.TOKEN }).listOngoingMeetings({ queryAll: true, limit: 3 });\nconsole.log(page.count);`,
    );
    expect((await shAsync(process.execPath, ['esm.mjs'], { cwd: fromGit, env })).trim()).toBe(total);
    const required = await shAsync(
      process.execPath,
      [
        '-e',
        `console.log(typeof require('${packageName}').createMeetingClient, require('${packageName}/openapi.json').openapi)`,
      ],
      { cwd: fromGit },
    );
    expect(required.trim()).toBe('function 3.1.0');
    const bin = await shAsync(
      join(fromGit, 'node_modules/.bin/meetings-online'),
      ['--query-all', '--limit', '2', '--json'],
      { cwd: fromGit, env: { ...env, MEETING_BASE_URL: mock.url, MEETING_TOKEN: mock.tokens.admin } },
    );
    expect(JSON.parse(bin)).toMatchObject({ limit: 2, count: Number(total) });
    expect(
      await shAsync(join(fromGit, 'node_modules/.bin/meetings-online-mock'), ['--help'], { cwd: fromGit }),
    ).toContain('Usage: meetings-online-mock');
  });

  it.each([['node 20'], ...Object.keys(runtimes).map((name) => [name])])(
    'runs the built package on %s: a page, a concurrent walk, http and input errors, App ID sign-in',
    async (name) => {
      const runtime =
        name === 'node 20' ? { binary: process.execPath, args: [] } : runtimes[name as keyof typeof runtimes];
      const out = JSON.parse(
        await shAsync(runtime.binary, [...runtime.args, 'run-smoke.mjs', smokeConfig], { cwd: consumer }),
      ) as Record<string, unknown>;
      expect(String(out.runtime)).toMatch(
        name === 'bun' ? /^bun$/ : name === 'deno' ? /^deno$/ : new RegExp(`^node ${name.split(' ')[1]}\\.`),
      );
      expect(out).toMatchObject({
        page: { count: Number(total), length: 5 },
        walk: Number(total),
        http: { kind: 'http', status: 401, errorCode: 'USG.000000004' },
        input: { kind: 'input', parameter: 'limit' },
        appId: { count: expect.any(Number) },
      });
    },
  );

  it.skipIf(!existsSync(CHROMIUM))('runs the built package in a browser page (Chromium)', async () => {
    // The page bundles the same smoke test with the published ESM build, as a web app's bundler would.
    const page = join(work, 'page');
    await build({
      stdin: {
        contents: `import { smoke } from './smoke.mjs';\nsmoke(JSON.parse(decodeURIComponent(location.hash.slice(1)))).then((r) => { window.__result = r; }, (e) => { window.__error = String(e && e.stack || e); });`,
        resolveDir: consumer,
        sourcefile: 'page.mjs',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: join(page, 'page.js'),
      logLevel: 'silent',
    });
    writeFileSync(
      join(page, 'index.html'),
      '<!doctype html><meta charset="utf-8"><title>smoke</title><script type="module" src="page.js"></script>',
    );
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
      await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/#${encodeURIComponent(smokeConfig)}`);
      await tab.waitForFunction(
        () =>
          (window as { __result?: unknown; __error?: unknown }).__result ?? (window as { __error?: unknown }).__error,
        undefined,
        { timeout: 60_000 },
      );
      const { result, error } = await tab.evaluate(() => ({
        result: (window as { __result?: unknown }).__result,
        error: (window as { __error?: unknown }).__error,
      }));
      expect(error, String(error)).toBeUndefined();
      expect(problems).toEqual([]);
      expect(result).toMatchObject({
        page: { count: Number(total), length: 5 },
        walk: Number(total),
        http: { kind: 'http', status: 401, errorCode: 'USG.000000004' },
        input: { kind: 'input', parameter: 'limit' },
        appId: { count: expect.any(Number) },
      });
    } finally {
      await browser.close();
      server.close();
    }
  });

  it('runs the mock on Node.js 24 with the newest Prism 5.x', async () => {
    writeFileSync(
      join(consumer, 'mock-smoke.mjs'),
      `import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createMeetingClient } from '${packageName}';
import { startMockServer } from '${packageName}/mock';
const prism = createRequire(join(process.cwd(), 'package.json'))('@stoplight/prism-cli/package.json').version;
const mock = await startMockServer({ stateful: { meetings: 30 } });
try {
  const page = await createMeetingClient({ baseUrl: mock.url, token: mock.tokens.admin }).listOngoingMeetings({ queryAll: true });
  const refused = await (await fetch(mock.url + '/v1/mmc/management/conferences/online?limit=501', { headers: { 'X-Access-Token': mock.tokens.admin } })).json();
  console.log(JSON.stringify({ node: process.versions.node, prism, count: page.count, refused }));
} finally {
  await mock.close();
}
`,
    );
    // Run from test/runtimes, where Prism 5.16 is installed: the mock takes Prism from the working directory's project.
    const out = JSON.parse(
      await shAsync(runtimes['node 24'].binary, [join(consumer, 'mock-smoke.mjs')], { cwd: runtimesDir }),
    ) as Record<string, unknown>;
    expect(out).toMatchObject({
      node: expect.stringMatching(/^24\./),
      prism: expect.stringMatching(/^5\.(1[5-9]|[2-9]\d)\./),
      count: 30,
      refused: { error_code: 'MOCK.INVALID_PARAMETER' },
    });
  });
});
