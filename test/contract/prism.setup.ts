import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startMockServer } from '../../src/mock/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
    statefulUrl: string;
    statefulMeetings: number;
  }
}

/** Both mocks, started once for the whole contract suite, in parallel, and always stopped. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const statefulMeetings = 1234;
  // Tokens from App ID authentication live 2 s, so that a test's walk outlives one (static tokens never expire).
  const statefulTokenSeconds = 2;
  const [stateless, stateful] = await Promise.allSettled([
    startMockServer(),
    startMockServer({ stateful: { meetings: statefulMeetings, tokenValidSeconds: statefulTokenSeconds } }),
  ]);
  const started = [stateless, stateful].flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = [stateless, stateful].find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((m) => m.close()));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [mock, statefulMock] = started as [(typeof started)[0], (typeof started)[0]];
  project.provide('prismUrl', mock!.url);
  project.provide('statefulUrl', statefulMock!.url);
  project.provide('statefulMeetings', statefulMeetings);
  return async () => {
    await Promise.all(started.map((m) => m.close()));
  };
}
