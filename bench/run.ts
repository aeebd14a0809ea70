// npm run bench: every figure is a ratio against a baseline measured in the same run, over several rounds,
// median reported. Writes a table to stdout and the figures to bench/results.local.json (untracked), or, with
// --update, to bench/results.json (the figures the README quotes). BENCH_ONLY=perCall|walk|size|mock reruns one part.
// BENCH_BASELINE=<git revision> adds that revision's client to the per-call variants, side by side in the same run
// (its src/ and generated/ are taken from git into the work folder); BENCH_OBSERVED=1 adds this client with an
// onAttempt hook, to show what listening costs (not a channel subscriber: that would make every client listened to).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { specFacts } from '../generated/spec-facts.js';
import { createMeetingClient } from '../src/index.js';
import { mockEnginesBench } from './mock-engines.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const path = specFacts.operations.listOngoingMeetings.path;
const TOKEN = 'bench-token';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

function runNode(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
}

async function startServer(args: string[]): Promise<{ url: string; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/server.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolveUrl((JSON.parse(chunk.toString()) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

type Variant = { name: string; call: () => Promise<number> };

/**
 * Per variant: the median of its per-round ratio to the first variant (the baseline) and its median
 * microseconds per call. Rounds interleave the variants, and each ratio compares calls made moments apart,
 * so drift of the machine cancels out of the ratio.
 */
async function perCall(
  variants: Variant[],
  callsPerRound: number,
): Promise<Map<string, { ratio: number; spread: [number, number]; us: number; cpuUs: number }>> {
  // Warm-up: JIT, sockets.
  for (const v of variants) for (let i = 0; i < Math.max(20, callsPerRound); i++) await v.call();
  const samples = new Map(variants.map((v) => [v.name, [] as number[]]));
  // CPU time of this process per call as well: on a loaded machine it moves far less than the wall clock.
  const cpuSamples = new Map(variants.map((v) => [v.name, [] as number[]]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) {
      // Each batch starts with a clean heap, so no variant pays for the garbage of the one before it.
      (globalThis as { gc?: () => void }).gc?.();
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      let items = 0;
      for (let i = 0; i < callsPerRound; i++) items += await v.call();
      if (items === 0) throw new Error(`${v.name} returned no meetings`);
      samples.get(v.name)!.push(((performance.now() - started) * 1000) / callsPerRound);
      const cpu = process.cpuUsage(cpuStarted);
      cpuSamples.get(v.name)!.push((cpu.user + cpu.system) / callsPerRound);
    }
  }
  const baseline = samples.get(variants[0]!.name)!;
  return new Map(
    [...samples].map(([name, values]) => {
      const ratios = values.map((us, i) => us / baseline[i]!).sort((a, b) => a - b);
      return [
        name,
        {
          ratio: median(ratios),
          spread: [ratios[0]!, ratios[ratios.length - 1]!] as [number, number],
          us: median(values),
          cpuUs: median(cpuSamples.get(name)!),
        },
      ];
    }),
  );
}

async function generatedRedoclyClient(work: string) {
  const file = join(work, 'redocly-client.ts');
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/@redocly/cli/bin/cli.js'),
      'generate-client',
      join(root, 'generated/openapi.yaml'),
      '--output',
      file,
    ],
    {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  return (await import(pathToFileURL(file).href)) as {
    configure: (config: Record<string, unknown>) => void;
    listOngoingMeetings: (variables: { query: { limit: number } }) => Promise<{ data: unknown[] }>;
  };
}

/** The client as it was at `revision`, from git, for a side-by-side run. */
async function clientAt(work: string, revision: string): Promise<typeof createMeetingClient> {
  const dir = join(work, 'baseline');
  execFileSync('mkdir', ['-p', dir]);
  const archive = execFileSync('git', ['archive', '--format=tar', revision, 'src', 'generated'], { cwd: root });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  const module = (await import(pathToFileURL(join(dir, 'src/index.ts')).href)) as {
    createMeetingClient: typeof createMeetingClient;
  };
  return module.createMeetingClient;
}

async function perCallBench(work: string) {
  const server = await startServer(['--total', '500']);
  const redocly = await generatedRedoclyClient(work);
  redocly.configure({ serverUrl: server.url, auth: { apiKey: { AccessToken: TOKEN } }, clientHeader: false });
  const ours = createMeetingClient({ baseUrl: server.url, token: TOKEN });
  const baseline = process.env.BENCH_BASELINE;
  const theirs = baseline ? (await clientAt(work, baseline))({ baseUrl: server.url, token: TOKEN }) : undefined;
  let heard = 0;
  const observedClient = process.env.BENCH_OBSERVED
    ? createMeetingClient({ baseUrl: server.url, token: TOKEN, onAttempt: () => void heard++ })
    : undefined;
  const bare = createClient<paths>({ baseUrl: server.url });
  const results: Record<string, Record<string, number | string>> = {};
  try {
    for (const limit of [500, 1]) {
      const url = `${server.url}${path}?limit=${limit}`;
      const variants: Variant[] = [
        {
          name: 'raw fetch + res.json()',
          call: async () =>
            ((await (await fetch(url, { headers: { 'X-Access-Token': TOKEN } })).json()) as { data: unknown[] }).data
              .length,
        },
        {
          name: 'bare openapi-fetch',
          call: async () =>
            (await bare.GET(path, { params: { query: { limit } }, headers: { 'X-Access-Token': TOKEN } })).data!.data
              .length,
        },
        {
          name: 'redocly generate-client',
          call: async () => (await redocly.listOngoingMeetings({ query: { limit } })).data.length,
        },
        { name: 'this client', call: async () => (await ours.listOngoingMeetings({ limit })).data.length },
      ];
      if (theirs)
        variants.push({
          name: `this client at ${baseline}`,
          call: async () => (await theirs.listOngoingMeetings({ limit })).data.length,
        });
      if (observedClient)
        variants.push({
          name: 'this client, with onAttempt',
          call: async () => (await observedClient.listOngoingMeetings({ limit })).data.length,
        });
      const measured = await perCall(variants, limit === 500 ? 40 : 400);
      results[`${limit}-item page`] = Object.fromEntries([...measured].map(([name, m]) => [name, round(m.ratio, 3)]));
      results[`${limit}-item page (spread of round ratios)`] = Object.fromEntries(
        [...measured].map(([name, m]) => [name, `${round(m.spread[0], 2)}–${round(m.spread[1], 2)}`]),
      );
      results[`${limit}-item page (µs per call)`] = Object.fromEntries(
        [...measured].map(([name, m]) => [name, round(m.us, 1)]),
      );
      results[`${limit}-item page (CPU µs per call, this process)`] = Object.fromEntries(
        [...measured].map(([name, m]) => [name, round(m.cpuUs, 1)]),
      );
    }
  } finally {
    server.stop();
  }
  if (observedClient && heard === 0) throw new Error('the observed client told nobody of its attempts');
  return results;
}

async function walkOnce(url: string, concurrency: number) {
  const out = JSON.parse(
    runNode([join(root, 'bench/walk.mjs'), '--url', url, '--concurrency', String(concurrency)]),
  ) as { ms: number; count: number; maxRssMb: number };
  if (out.count !== 100_000) throw new Error(`concurrency ${concurrency} yielded ${out.count} meetings, not 100000`);
  return out;
}

async function walkBench() {
  const slow = await startServer(['--total', '100000', '--latency', '20']);
  const fast = await startServer(['--total', '100000', '--latency', '0']);
  const runs = {
    sequential: [] as { ms: number; maxRssMb: number }[],
    parallel: [] as { ms: number; maxRssMb: number }[],
    floor: [] as { ms: number; maxRssMb: number }[],
  };
  try {
    for (let r = 0; r < Math.max(3, Math.ceil(ROUNDS / 3)); r++) {
      runs.sequential.push(await walkOnce(slow.url, 1));
      runs.parallel.push(await walkOnce(slow.url, 4));
      // The same walk with no latency at all: what the pages cost in CPU (client and server share the 2 cores),
      // to show how much of the sequential time is waiting that concurrency can hide.
      runs.floor.push(await walkOnce(fast.url, 1));
    }
  } finally {
    slow.stop();
    fast.stop();
  }
  const ms = (list: { ms: number }[]) => median(list.map((x) => x.ms));
  const rss = (list: { maxRssMb: number }[]) => median(list.map((x) => x.maxRssMb));
  return {
    'sequential ms': round(ms(runs.sequential), 0),
    'concurrency 4 ms': round(ms(runs.parallel), 0),
    'speed-up (sequential / concurrency 4)': round(ms(runs.sequential) / ms(runs.parallel), 2),
    "sequential with no latency at all, ms (the pages' CPU cost, client and server on 2 cores)": round(
      ms(runs.floor),
      0,
    ),
    'peak RSS MB, sequential': round(rss(runs.sequential), 1),
    'peak RSS MB, concurrency 4': round(rss(runs.parallel), 1),
  };
}

/**
 * Bytes a watch holds per meeting with 100,000 meetings in scope: lean (keys and hashes), keeping meetings, and
 * lean with meetings that each carry a field name of their own (its memory must not grow as meetings × names).
 */
async function watchBench() {
  const server = await startServer(['--total', '100000', '--latency', '0']);
  try {
    const measure = (mode: string) =>
      JSON.parse(runNode(['--expose-gc', join(root, 'bench/watch-memory.mjs'), server.url, mode])) as {
        meetings: number;
        bytesPerMeeting: number;
      };
    const lean = Array.from({ length: 3 }, () => measure('lean'));
    const kept = Array.from({ length: 3 }, () => measure('keep'));
    const names = Array.from({ length: 3 }, () => measure('names')); // the adversary: a field name per meeting
    if (lean[0]!.meetings !== 100_000) throw new Error(`the watch saw ${lean[0]!.meetings} meetings, not 100000`);
    const bytes = (runs: { bytesPerMeeting: number }[]) => round(median(runs.map((r) => r.bytesPerMeeting)), 0);
    return {
      'meetings in scope': lean[0]!.meetings,
      'bytes held per watched meeting (key and field hashes)': bytes(lean),
      'bytes held per watched meeting with keepPrevious (whole meetings)': bytes(kept),
      'bytes held per watched meeting, each with a field name no other has': bytes(names),
      'MB held for 100,000 meetings (key and field hashes)': round((bytes(lean) * 100_000) / 2 ** 20, 1),
    };
  } finally {
    server.stop();
  }
}

async function sizeBench(work: string) {
  const bundle = async (name: string, contents: string) => {
    const outdir = join(work, `bundle-${name}`);
    const result = await build({
      stdin: { contents, resolveDir: root, sourcefile: `${name}.ts`, loader: 'ts' },
      bundle: true,
      minify: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      outdir,
      write: true,
      metafile: true,
      logLevel: 'silent',
    });
    const files = Object.keys(result.metafile.outputs).map((f) => ({
      file: join(root, f),
      text: readFileSync(join(root, f)),
    }));
    const entry = files.find((f) => result.metafile.outputs[f.file.slice(root.length + 1)]?.entryPoint)!;
    const gz = (buf: Buffer) => gzipSync(buf, { level: 9 }).length;
    return {
      entry,
      all: files,
      entryGzip: gz(entry.text),
      allGzip: files.reduce((sum, f) => sum + gz(f.text), 0),
      entryMin: entry.text.length,
    };
  };
  const bare = await bundle('bare', `export { default as createClient } from 'openapi-fetch';`);
  const client = await bundle('client', `export { createMeetingClient } from './src/index.ts';`);
  const importMs = (file: string) =>
    median(
      Array.from({ length: Math.max(5, ROUNDS) }, () =>
        Number(
          runNode([
            '--input-type=module',
            '-e',
            `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
              'console.log(performance.now() - t);',
          ]),
        ),
      ),
    );
  const bareImport = importMs(bare.entry.file);
  const clientImport = importMs(client.entry.file);
  return {
    'bare openapi-fetch, min+gzip bytes': bare.entryGzip,
    'this client without validation (entry chunk), min+gzip bytes': client.entryGzip,
    'this client with validation (entry + validator chunk), min+gzip bytes': client.allGzip,
    'client / bare openapi-fetch (without validation)': round(client.entryGzip / bare.entryGzip, 2),
    'cold import ms, bare openapi-fetch': round(bareImport, 1),
    'cold import ms, this client': round(clientImport, 1),
    'cold import ratio': round(clientImport / bareImport, 2),
  };
}

const work = mkdtempSync(join(root, 'bench/.work-'));
try {
  // The walks measure the built package, as consumers run it.
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore' });
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: round(totalmem() / 2 ** 30, 0),
    node: process.version,
    date: new Date().toISOString(),
    rounds: ROUNDS,
  };
  console.error('per-call cost …');
  const perCallResults = process.env.BENCH_ONLY && process.env.BENCH_ONLY !== 'perCall' ? {} : await perCallBench(work);
  const only = process.env.BENCH_ONLY; // 'perCall', 'walk' or 'size', to rerun one part while working on it
  console.error('walking 100,000 meetings …');
  const walk = only && only !== 'walk' ? {} : await walkBench();
  console.error('watch memory …');
  const watch = only && only !== 'watch' ? {} : await watchBench();
  console.error('bundle size and import time …');
  const size = only && only !== 'size' ? {} : await sizeBench(work);
  console.error('the mock, Prism and in-process engines …');
  const mock = only && only !== 'mock' ? {} : await mockEnginesBench();
  const results = { machine, perCall: perCallResults, walk100k: walk, watch100k: watch, size, mock };
  const update = process.argv.includes('--update') && !only;
  const resultsFile = join(root, update ? 'bench/results.json' : 'bench/results.local.json');
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  const hint = update ? '' : ' (npm run bench -- --update for bench/results.json)';
  console.error(`figures written to ${resultsFile.slice(root.length + 1)}${hint}`);

  const lines = [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}; ` +
      `${ROUNDS} rounds, medians.`,
    '',
  ];
  lines.push('| per call, ratio to raw fetch + res.json() | 500-item page | 1-item page |', '| --- | --- | --- |');
  for (const name of Object.keys(perCallResults['500-item page'] ?? {})) {
    const us = (k: string) =>
      `${perCallResults[k]![name]} (rounds ${perCallResults[`${k} (spread of round ratios)`]![name]}; ` +
      `${perCallResults[`${k} (µs per call)`]![name]} µs; ` +
      `CPU ${perCallResults[`${k} (CPU µs per call, this process)`]![name]} µs)`;
    lines.push(`| ${name} | ${us('500-item page')} | ${us('1-item page')} |`);
  }
  lines.push('', '| 100,000 meetings, 20 ms latency per request | value |', '| --- | --- |');
  for (const [k, v] of Object.entries(walk)) lines.push(`| ${k} | ${v} |`);
  lines.push('', '| watching 100,000 meetings | value |', '| --- | --- |');
  for (const [k, v] of Object.entries(watch)) lines.push(`| ${k} | ${v} |`);
  lines.push('', '| size and start-up | value |', '| --- | --- |');
  for (const [k, v] of Object.entries(size)) lines.push(`| ${k} | ${v} |`);
  lines.push('', '| the mock, stateful, default enterprise | value |', '| --- | --- |');
  for (const [k, v] of Object.entries(mock)) lines.push(`| ${k} | ${v} |`);
  console.log(lines.join('\n'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
