// How the Prism engine ends. Every Prism engine ends its Prism when this process exits, through one 'exit' listener
// shared by all: with one listener each, a suite with more than ten mocks at once printed
// MaxListenersExceededWarning. And close() during a request ends it as the in-process engine does, its connection
// closed, never with a 502 from a Prism stopped under it.
import { expect, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { startMockServer } from '../../src/mock/index.js';

const listPath = specFacts.operations.listOngoingMeetings.path;

it("adds at most one 'exit' listener to the process, however many Prism engines run", async () => {
  const before = process.listenerCount('exit');
  const mocks = await Promise.all([startMockServer(), startMockServer(), startMockServer()]);
  try {
    expect(process.listenerCount('exit') - before).toBeLessThanOrEqual(1);
  } finally {
    await Promise.all(mocks.map((mock) => mock.close()));
  }
  expect(process.listenerCount('exit') - before).toBeLessThanOrEqual(1);
}, 120_000);

it.each(['prism', 'in-process'] as const)(
  'on the %s engine, close() during a request closes its connection, never a 5xx answer',
  async (engine) => {
    const mock = await startMockServer({ engine, stateful: { meetings: 2, latencyMs: 60_000 } });
    // Settled either way at once, so that a rejection during close() is never unhandled.
    const request = fetch(`${mock.url}${listPath}`, { headers: { 'X-Access-Token': mock.tokens.admin } }).then(
      (response) => response,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // the request is waiting out the latency
    await mock.close();
    const outcome = await request;
    expect(outcome instanceof Response ? `answered ${outcome.status}` : String(outcome)).toMatch(/fetch failed/);
  },
  120_000,
);
