import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { listOngoingMeetings } from '../../examples/list-ongoing-meetings.js';
import { countMyMeetings } from '../../examples/mock-in-your-tests.js';
import { participantsOnline } from '../../examples/walk-every-meeting.js';
import { listAsAppUser } from '../../examples/app-id-sign-in.js';
import { type Announcement, announce } from '../../examples/watch-meetings.js';
import { MOCK_ADMIN_TOKEN, MOCK_APP, startMockServer } from '../../src/mock/index.js';
import { repoRoot } from '../support/paths.js';
import { outcomeOf, timeLimit } from '../support/run.js';
import { seedExampleValue } from '../support/spec.js';

describe('examples/ run against the mocks', () => {
  it('list-ongoing-meetings prints one line per meeting of the spec example', async () => {
    const lines = await listOngoingMeetings(inject('prismUrl'), 'example-token');
    const { data } = seedExampleValue() as { data: { conferenceID: string; subject: string }[] };
    expect(lines).toHaveLength(data.length);
    expect(lines[0]).toContain(data[0]!.conferenceID);
    expect(lines[0]).toContain(data[0]!.subject);
  });

  it('list-ongoing-meetings refuses an empty token before sending anything', async () => {
    await expect(listOngoingMeetings(inject('prismUrl'), '')).rejects.toThrow(/token must not be empty/);
  });

  it('walk-every-meeting counts every meeting of the stateful enterprise', async () => {
    const result = await participantsOnline(inject('statefulUrl'), async () => MOCK_ADMIN_TOKEN);
    expect(result.meetings).toBe(inject('statefulMeetings'));
    expect(result.online).toBeGreaterThan(result.meetings);
  });

  it('app-id-sign-in signs in to the stateful mock as the administrator and as a user', async () => {
    expect(await listAsAppUser(inject('statefulUrl'), MOCK_APP.appId, MOCK_APP.appKey)).toBe(
      inject('statefulMeetings'),
    );
    const asUser = await listAsAppUser(inject('statefulUrl'), MOCK_APP.appId, MOCK_APP.appKey, 'user01');
    expect(asUser).toBeGreaterThan(0);
    expect(asUser).toBeLessThan(inject('statefulMeetings'));
  });

  it('mock-in-your-tests starts its own mock and sees the administrator see more than a user', async () => {
    const { asAdmin, asUser } = await countMyMeetings();
    expect(asAdmin).toBe(50);
    expect(asUser).toBeGreaterThan(0);
    expect(asUser).toBeLessThan(asAdmin);
  }, 60_000);

  it('watch-meetings announces the starts and ends of a mock whose meetings come and go', async () => {
    const mock = await startMockServer({
      stateful: {
        meetings: 20,
        churn: { startsPerMinute: 6, endsPerMinute: 6, changesPerMinute: 30, clock: 'manual' },
      },
    });
    try {
      const stop = new AbortController();
      const said: Announcement[] = [];
      let announcements = 0;
      await announce(
        mock.url,
        mock.tokens.admin,
        stop.signal,
        (a) => {
          said.push(a);
          // Each announcement moves the mock's clock a minute: meetings start, end and change meanwhile.
          if (++announcements < 12) mock.timeline!.advance(60_000);
          else stop.abort();
        },
        0,
      );
      expect(said[0]!.text).toBe('20 meetings in progress');
      const texts = said.map((a) => a.text);
      expect(texts.some((t) => t.startsWith('started: '))).toBe(true);
      expect(texts.some((t) => t.startsWith('ended: '))).toBe(true);
      expect(texts.some((t) => t.startsWith('changed: '))).toBe(false); // attendance is ignored
    } finally {
      await mock.close();
    }
  }, 60_000);
});

describe('examples/ as programs, run as the README says (npx tsx examples/<file>.ts)', () => {
  const programs = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.ts') && f !== 'target.ts');
  const LIMIT = timeLimit(30_000); // tsx, a Prism start, the work, the stop
  const runProgram = (file: string, env: NodeJS.ProcessEnv) =>
    outcomeOf(process.execPath, [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), `examples/${file}`], {
      cwd: repoRoot,
      env,
      timeoutMs: LIMIT,
    });
  const STACK = /^\s+at /m;

  it('finds the examples', () => expect(programs.length).toBeGreaterThanOrEqual(5));

  // One at a time: each starts a Prism of its own, which is what a loaded machine can least afford in parallel.
  it.for(programs)(
    'runs %s with an empty environment on the embedded mock, says so in one line, prints its result',
    { timeout: LIMIT + 10_000 },
    async (file) => {
      const outcome = await runProgram(file, {});
      expect(outcome, outcome.stderr).toMatchObject({ code: 0, timedOut: false });
      const told = outcome.stderr.trim().split('\n');
      expect(told[0]).toMatch(/embedded mock at http:\/\/127\.0\.0\.1:\d+, stopped at the end|a mock of its own/);
      expect(told).toHaveLength(1);
      expect(outcome.stdout.trim()).not.toBe('');
      expect(outcome.stdout + outcome.stderr).not.toMatch(STACK);
    },
  );

  it.for(programs.filter((f) => f !== 'mock-in-your-tests.ts'))(
    'exits 2 from %s with one line naming what to set when only MEETING_BASE_URL is set',
    { timeout: LIMIT + 10_000 },
    async (file) => {
      const outcome = await runProgram(file, { MEETING_BASE_URL: 'http://127.0.0.1:9' });
      expect(outcome.code, outcome.stderr).toBe(2);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Set MEETING_(TOKEN|APP_ID) \(/)]);
    },
  );
});
