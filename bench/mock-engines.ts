// The mock's two engines and its MSW handlers side by side, in one run: start-up (until it answers) and sequential
// list requests per second (one at a time, keep-alive, the administrator's first page of 20 with queryAll), all in
// the stateful mode with the default enterprise, beside a bare node:http server sending the same bytes. Medians of
// ROUNDS. Run alone with `node --import tsx bench/mock-engines.ts`; `npm run bench` runs it too.
import { createServer } from 'node:http';
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

/** Requests per second, one after another, for REQUEST_MS (after a short warm-up). */
async function sequentialRate(url: string): Promise<number> {
  const once = async () => {
    const response = await fetch(`${url}${path}`, { headers });
    if (response.status !== 200) throw new Error(`the mock answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  for (let i = 0; i < 20; i++) await once();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < REQUEST_MS) {
    await once();
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

async function engine(options: MockServerOptions): Promise<{ readyMs: number; perSecond: number; body: Buffer }> {
  const ready: number[] = [];
  const rates: number[] = [];
  let body = Buffer.alloc(0);
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const mock = await startMockServer(options);
    ready.push(performance.now() - start);
    try {
      rates.push(await sequentialRate(mock.url));
      body = Buffer.from(await (await fetch(`${mock.url}${path}`, { headers })).arrayBuffer());
    } finally {
      await mock.close();
    }
  }
  return { readyMs: median(ready), perSecond: median(rates), body };
}

/** The MSW handlers under `setupServer` (msw 2.x), intercepting the client's fetch to Huawei's host. */
async function msw(): Promise<{ readyMs: number; perSecond: number }> {
  const ready: number[] = [];
  const rates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const mock = createMswHandlers({ stateful: true });
    const server = setupServer(...mock.handlers);
    server.listen({ onUnhandledRequest: 'bypass' });
    ready.push(performance.now() - start);
    try {
      rates.push(await sequentialRate(mock.baseUrl));
    } finally {
      server.close();
    }
  }
  return { readyMs: median(ready), perSecond: median(rates) };
}

/** A node:http server that sends `body` to every request, as the mock's answer would be sent. */
async function bare(body: Buffer): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/json;charset=UTF-8',
      'Content-Length': body.length,
      'X-Request-Id': 'be9dc6ff2eba30835ca2a5dfe2c4914d',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const rates: number[] = [];
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (let i = 0; i < ROUNDS; i++) rates.push(await sequentialRate(url));
    return median(rates);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function mockEnginesBench(): Promise<Record<string, number>> {
  const prism = await engine({ engine: 'prism', stateful: true });
  const inProcess = await engine({ engine: 'in-process', stateful: true });
  const bareRate = await bare(inProcess.body);
  const viaMsw = await msw();
  const examplesReady = async (which: 'prism' | 'in-process') => {
    const ready: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const start = performance.now();
      const mock = await startMockServer({ engine: which });
      ready.push(performance.now() - start);
      await mock.close();
    }
    return median(ready);
  };
  return {
    'stateful, ready ms, Prism engine': round(prism.readyMs),
    'stateful, ready ms, in-process engine': round(inProcess.readyMs),
    'examples, ready ms, Prism engine': round(await examplesReady('prism')),
    'examples, ready ms, in-process engine': round(await examplesReady('in-process')),
    'sequential list requests/s, Prism engine': round(prism.perSecond),
    'sequential list requests/s, in-process engine': round(inProcess.perSecond),
    'stateful, ready ms, MSW handlers (setupServer)': round(viaMsw.readyMs),
    'sequential list requests/s, MSW handlers (setupServer, msw 2.x)': round(viaMsw.perSecond),
    'sequential requests/s, bare node:http, same bytes': round(bareRate),
    'in-process / Prism (requests/s)': round(inProcess.perSecond / prism.perSecond, 1),
    'in-process / bare node:http (requests/s)': round(inProcess.perSecond / bareRate, 2),
    'in-process / MSW handlers (requests/s)': round(inProcess.perSecond / viaMsw.perSecond, 2),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await mockEnginesBench();
  console.log(`Machine: 2 cores shared; ${ROUNDS} rounds, medians; ${REQUEST_MS} ms of requests per round.`);
  console.log('| the mock, stateful (default enterprise) | value |\n| --- | --- |');
  for (const [k, v] of Object.entries(results)) console.log(`| ${k} | ${v} |`);
}
