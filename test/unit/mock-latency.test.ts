// A request waiting out the mock's latency (`latencyMs`) ends its wait when its client is gone. Otherwise the
// wait's timer outlives close(): a process that started the mock, sent a request and closed the mock (a test file,
// a script) is held up to latencyMs before it can exit. Each case runs in a process of its own, whose exit is the
// verdict: well before the 10-minute latency, or killed at the time limit.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { outcomeOf, timeLimit } from '../support/run.js';

const program = (body: string) => `
import { specFacts } from ${JSON.stringify(join(repoRoot, 'generated/spec-facts.ts'))};
import { MOCK_ADMIN_TOKEN, startMockServer } from ${JSON.stringify(join(repoRoot, 'src/mock/index.ts'))};
import { createMswHandlers } from ${JSON.stringify(join(repoRoot, 'src/mock/msw.ts'))};
const listPath = specFacts.operations.listOngoingMeetings.path;
const headers = { 'X-Access-Token': MOCK_ADMIN_TOKEN };
const stateful = { latencyMs: 600_000 };
${body}
console.log('closed');
`;

describe("the mock's latency", () => {
  it.each([
    [
      'in-process, once the mock is closed',
      `const mock = await startMockServer({ engine: 'in-process', stateful });
       const request = fetch(mock.url + listPath, { headers }).catch(() => 'gone');
       await new Promise((resolve) => setTimeout(resolve, 500)); // the request is waiting
       await mock.close();
       await request;`,
    ],
    [
      'MSW handlers, once its caller aborts',
      `const { setupServer } = await import('msw/node');
       const msw = createMswHandlers({ stateful });
       const server = setupServer(...msw.handlers);
       server.listen();
       const controller = new AbortController();
       const request = fetch(msw.baseUrl + listPath, { headers, signal: controller.signal }).catch(() => 'gone');
       await new Promise((resolve) => setTimeout(resolve, 500));
       controller.abort();
       await request;
       server.close();`,
    ],
  ])(
    '%s: the process exits at once, not after the latency',
    async (_case, body) => {
      const outcome = await outcomeOf(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', program(body)],
        {
          cwd: repoRoot,
          timeoutMs: timeLimit(10_000),
        },
      );
      expect(outcome.timedOut, outcome.stderr).toBe(false);
      expect(outcome.stdout.trim()).toBe('closed');
      expect(outcome.code).toBe(0);
    },
    timeLimit(20_000),
  );
});
