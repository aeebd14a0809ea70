// Every Prism engine ends its Prism when this process exits, through one 'exit' listener shared by all: with one
// listener each, a suite with more than ten mocks at once printed MaxListenersExceededWarning.
import { expect, it } from 'vitest';
import { startMockServer } from '../../src/mock/index.js';

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
