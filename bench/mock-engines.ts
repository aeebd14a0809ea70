// The mock's two engines and its MSW handlers side by side, in one run: start-up (until it answers) and sequential
// list requests per second (one at a time, keep-alive, the administrator's first page of 20 with queryAll), all in
// the stateful mode with the default enterprise, beside a bare node:http server sending the same bytes; requests are
// sent with fetch (what the client uses) and again with node:http's own client (less client-side cost, so the
// servers' own speed shows; MSW is left out of that second comparison). Medians of ROUNDS. Run alone with
// `node --import tsx bench/mock-engines.ts`; `npm run bench` runs it too.
import { Agent, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { specFacts } from '../generated/spec-facts.js';
import { setupServer } from 'msw/node';
import { MOCK_ADMIN_TOKEN, type MockServerOptions, startMockServer } from '../src/mock/index.js';
import { createMswHandlers } from '../src/mock/msw.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUEST_MS = Number(process.env.BENCH_MOCK_MS ?? 3000);
const path = `${specFacts.operations.listOngoingMeetings.path}?queryAll=true&limit=20`;
const headers = { 'X-Access-Token': MOCK_ADMIN_TOKEN };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Requests per second to `url`, one after another, for `ms`. */
async function sequentialRate(url: string, ms: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    const response = await fetch(`${url}${path}`, { headers });
    if (response.status !== 200) throw new Error(`the mock answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

/**
 * Requests per second to `url` with node:http's own client (a keep-alive agent, one socket), for `ms`: far less
 * client-side work per request than fetch, so what it measures is mostly the server.
 */
async function sequentialRawRate(url: string, ms: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      get(`${url}${path}`, { agent, headers }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`the mock answered ${response.statusCode}`));
        response.on('end', resolve).on('error', reject).resume();
      }).on('error', reject);
    });
  let count = 0;
  const start = performance.now();
  try {
    while (performance.now() - start < ms) {
      await once();
      count++;
    }
  } finally {
    agent.destroy();
  }
  return count / ((performance.now() - start) / 1000);
}

/** Median milliseconds until `start` resolves, over ROUNDS starts (each stopped at once). */
async function readyMs(start: () => Promise<() => unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const begin = performance.now();
    const stop = await start();
    times.push(performance.now() - begin);
    await stop();
  }
  return median(times);
}

/** A node:http server that sends `body` to every request, as the mock's answer would be sent. */
async function bareServer(body: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/json;charset=UTF-8',
      'Content-Length': body.length,
      'X-Request-Id': 'be9dc6ff2eba30835ca2a5dfe2c4914d',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function mockEnginesBench(): Promise<Record<string, number>> {
  const start = (options: MockServerOptions) => async () => {
    const mock = await startMockServer(options);
    return () => mock.close();
  };
  const startMsw = async () => {
    const server = setupServer(...createMswHandlers({ stateful: true }).handlers);
    server.listen({ onUnhandledRequest: 'bypass' });
    return () => server.close();
  };
  const ready = {
    prism: await readyMs(start({ engine: 'prism', stateful: true })),
    inProcess: await readyMs(start({ engine: 'in-process', stateful: true })),
    msw: await readyMs(startMsw),
    prismExamples: await readyMs(start({ engine: 'prism' })),
    inProcessExamples: await readyMs(start({ engine: 'in-process' })),
  };

  // All four serve at once; each round measures them back to back, so that the load of a shared machine falls on
  // all of them alike; medians over the rounds.
  const prism = await startMockServer({ engine: 'prism', stateful: true });
  const inProcess = await startMockServer({ engine: 'in-process', stateful: true });
  const msw = createMswHandlers({ stateful: true });
  const mswServer = setupServer(...msw.handlers);
  mswServer.listen({ onUnhandledRequest: 'bypass' });
  const body = Buffer.from(await (await fetch(`${inProcess.url}${path}`, { headers })).arrayBuffer());
  const bare = await bareServer(body);
  const targets = { prism: prism.url, inProcess: inProcess.url, msw: msw.baseUrl, bare: bare.url };
  const rates: Record<keyof typeof targets, number[]> = { prism: [], inProcess: [], msw: [], bare: [] };
  const rawTargets = { prism: prism.url, inProcess: inProcess.url, bare: bare.url };
  const rawRates: Record<keyof typeof rawTargets, number[]> = { prism: [], inProcess: [], bare: [] };
  try {
    for (const url of Object.values(targets)) await sequentialRate(url, 300); // warm-up
    for (const url of Object.values(rawTargets)) await sequentialRawRate(url, 300);
    for (let round = 0; round < ROUNDS * 2; round++) {
      for (const [name, url] of Object.entries(targets))
        rates[name as keyof typeof targets].push(await sequentialRate(url, REQUEST_MS / 2));
      for (const [name, url] of Object.entries(rawTargets))
        rawRates[name as keyof typeof rawTargets].push(await sequentialRawRate(url, REQUEST_MS / 2));
    }
  } finally {
    mswServer.close();
    await Promise.all([prism.close(), inProcess.close(), bare.close()]);
  }
  const rate = Object.fromEntries(Object.entries(rates).map(([name, r]) => [name, median(r)])) as Record<
    keyof typeof targets,
    number
  >;
  const raw = Object.fromEntries(Object.entries(rawRates).map(([name, r]) => [name, median(r)])) as Record<
    keyof typeof rawTargets,
    number
  >;
  return {
    'stateful, ready ms, Prism engine': round(ready.prism),
    'stateful, ready ms, in-process engine': round(ready.inProcess),
    'stateful, ready ms, MSW handlers (setupServer)': round(ready.msw),
    'examples, ready ms, Prism engine': round(ready.prismExamples),
    'examples, ready ms, in-process engine': round(ready.inProcessExamples, 1),
    'sequential list requests/s, Prism engine': round(rate.prism),
    'sequential list requests/s, in-process engine': round(rate.inProcess),
    'sequential list requests/s, MSW handlers (setupServer, msw 2.x)': round(rate.msw),
    'sequential requests/s, bare node:http, same bytes': round(rate.bare),
    'in-process / Prism (requests/s)': round(rate.inProcess / rate.prism, 1),
    'in-process / bare node:http (requests/s)': round(rate.inProcess / rate.bare, 2),
    'MSW handlers / in-process (requests/s)': round(rate.msw / rate.inProcess, 2),
    'node:http client, sequential list requests/s, Prism engine': round(raw.prism),
    'node:http client, sequential list requests/s, in-process engine': round(raw.inProcess),
    'node:http client, sequential requests/s, bare node:http, same bytes': round(raw.bare),
    'node:http client, in-process / Prism (requests/s)': round(raw.inProcess / raw.prism, 1),
    'node:http client, in-process / bare node:http (requests/s)': round(raw.inProcess / raw.bare, 2),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await mockEnginesBench();
  console.log(
    `${ROUNDS} rounds (starts), ${ROUNDS * 2} interleaved rounds of ${REQUEST_MS / 2} ms (requests); medians.`,
  );
  console.log('| the mock, stateful (default enterprise) | value |\n| --- | --- |');
  for (const [k, v] of Object.entries(results)) console.log(`| ${k} | ${v} |`);
}
