// The package as other repositories get it: built, linted (publint, attw), packed, installed into a project
// outside this repository, imported as ESM and CommonJS, type-checked under strict settings, and used.
import { execFile, execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MOCK_ADMIN_TOKEN } from '../../src/mock/index.js';
import { repoRoot } from '../support/paths.js';

const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
const sh = (file: string, args: string[], options: ExecFileSyncOptions = {}) =>
  execFileSync(file, args, { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe', ...options }) as string;
/** For steps that talk to the mock: its stateful upstream runs in this process, so the loop must stay free. */
const shAsync = async (file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) =>
  (await promisify(execFile)(file, args, { encoding: 'utf8', timeout: 60_000, ...options })).stdout;

describe.concurrent('the published package', () => {
  const work = mkdtempSync(join(tmpdir(), 'meeting-consumer-'));
  const consumer = join(work, 'consumer');
  // The contract suite's stateful mock (its enterprise has `statefulMeetings` meetings).
  const mock = { url: inject('statefulUrl'), tokens: { admin: MOCK_ADMIN_TOKEN } };
  const total = String(inject('statefulMeetings'));
  let packageName: string;
  let tarball: string;

  beforeAll(async () => {
    sh('npm', ['run', '--silent', 'build']);
    const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', work])) as { filename: string; name: string }[];
    packageName = packed[0]!.name;
    tarball = join(work, packed[0]!.filename);
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: consumer });
  }, 180_000);

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
  });

  it('passes publint', async () => {
    expect(await shAsync(bin('publint'), ['--strict', tarball], { cwd: repoRoot })).toMatch(/All good/);
  });

  it('passes Are the Types Wrong for Node 16+ ESM and CommonJS and bundlers', async () => {
    // node10 resolution has no subpath exports; the YAML subpath is data, not a module.
    // attw exits non-zero on any problem, which makes sh throw; what it prints as ignored is node10 only.
    const output = await shAsync(bin('attw'), [tarball, '--profile', 'node16', '--exclude-entrypoints', './openapi.yaml', '--format', 'ascii'], { cwd: repoRoot });
    const flagged = output.split('\n').filter((line) => /❌|💀|🐛|⚠️/u.test(line));
    expect(flagged.filter((line) => !line.includes('ignored'))).toEqual([]);
  });

  it('ships only the build, the bundled spec and the README, with openapi-fetch its one dependency', () => {
    const files = readdirSync(join(consumer, 'node_modules', packageName, 'dist'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'openapi.yaml', 'openapi.json', 'cli.js']));
    const manifest = JSON.parse(sh(process.execPath, ['-p', `JSON.stringify(require('${packageName}/package.json'))`], { cwd: consumer }));
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
    expect((await shAsync(process.execPath, ['esm.mjs'], { cwd: consumer, env: { ...process.env, URL: mock.url, TOKEN: mock.tokens.admin } })).trim()).toBe(total);
  });

  it('lists meetings from the mock when required as CommonJS, validation chunk included', async () => {
    const script = `const { createMeetingClient, MeetingClientError } = require('${packageName}');
const client = createMeetingClient({ baseUrl: process.env.URL, token: process.env.TOKEN, validateResponses: true });
client.listOngoingMeetings({ queryAll: true, limit: 5 }).then((page) => console.log(page.data.length, page.count, typeof MeetingClientError));`;
    writeFileSync(join(consumer, 'cjs.cjs'), script);
    expect((await shAsync(process.execPath, ['cjs.cjs'], { cwd: consumer, env: { ...process.env, URL: mock.url, TOKEN: mock.tokens.admin } })).trim()).toBe(`5 ${total} function`);
  });

  it('type-checks a strict TypeScript consumer', async () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], noEmit: true, skipLibCheck: false, types: [] }, include: ['consumer.ts'] }),
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
    await expect(shAsync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', consumer], { cwd: consumer })).resolves.toBe('');
  });

  it('runs the meetings-online bin from the consumer against the stateful mock', async () => {
    const out = await shAsync(join(consumer, 'node_modules/.bin/meetings-online'), ['--query-all', '--limit', '3', '--json'], {
      cwd: consumer,
      env: { ...process.env, MEETING_BASE_URL: mock.url, MEETING_TOKEN: mock.tokens.admin },
    });
    expect(JSON.parse(out)).toMatchObject({ offset: 0, limit: 3, count: Number(total) });
  });

  it('exports the bundled spec as openapi.yaml and openapi.json', () => {
    const resolved = sh(process.execPath, ['-e', `console.log(require.resolve('${packageName}/openapi.yaml')); console.log(require('${packageName}/openapi.json').openapi)`], { cwd: consumer });
    expect(resolved).toMatch(/dist\/openapi\.yaml\n3\.1\.0\n$/);
  });

  it('says what to install when the mock is used without Prism', () => {
    const script = `import { startMockServer } from '${packageName}/mock';
startMockServer().then(() => console.log('started'), (e) => console.log(e.message));`;
    writeFileSync(join(consumer, 'mock.mjs'), script);
    const out = sh(process.execPath, ['mock.mjs'], { cwd: consumer });
    expect(out).toContain('npm install --save-dev @stoplight/prism-cli@5.14.2');
  });
});
