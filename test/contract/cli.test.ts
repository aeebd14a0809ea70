import { describe, expect, inject, it } from 'vitest';
import { EXIT, run, type CliIO } from '../../src/cli/main.js';
import { MOCK_ADMIN_TOKEN, MOCK_APP, MOCK_USER_TOKEN } from '../../src/mock/index.js';
import { seedExampleValue } from '../support/spec.js';

const stateless = inject('prismUrl');
const stateful = inject('statefulUrl');
const total = inject('statefulMeetings');

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), env };
  const code = await run(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('meetings-online against the stateless mock', () => {
  it('prints the spec example as a table with subject, ID, scheduler, times and counts', async () => {
    const { code, out } = await cli(['--base-url', stateless, '--token', 'any']);
    expect(code).toBe(EXIT.ok);
    const [meeting] = (seedExampleValue() as { data: Record<string, string | number>[] }).data;
    expect(out).toMatch(/^Subject\s+Meeting ID\s+Scheduler\s+Start – End\s+Online\s+Soft\s+HW$/m);
    for (const value of [meeting!.subject, meeting!.conferenceID, meeting!.scheduserName, meeting!.startTime])
      expect(out).toContain(String(value));
    expect(out).toContain('1 of 1 ongoing meeting(s) from offset 0');
  });

  it('prints the page as JSON with --json, taking the token from MEETING_TOKEN', async () => {
    const { code, out } = await cli(['--json'], { MEETING_BASE_URL: stateless, MEETING_TOKEN: 'from-env' });
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out)).toEqual(seedExampleValue());
  });
});

describe('meetings-online against the stateful mock', () => {
  const asAdmin = ['--base-url', stateful, '--token', MOCK_ADMIN_TOKEN];

  it('signs in with an App ID or a login account from the environment, never from flags', async () => {
    const byApp = await cli(['--json', '--limit', '1'], {
      MEETING_BASE_URL: stateful,
      MEETING_APP_ID: MOCK_APP.appId,
      MEETING_APP_KEY: MOCK_APP.appKey,
    });
    expect(byApp.code, byApp.err).toBe(EXIT.ok);
    const byAccount = await cli(['--json', '--query-all', '--limit', '1'], {
      MEETING_BASE_URL: stateful,
      MEETING_ACCOUNT: 'user00',
      MEETING_PASSWORD: 'mock-password-0',
    });
    expect(byAccount.code, byAccount.err).toBe(EXIT.ok);
    expect(JSON.parse(byAccount.out)).toMatchObject({ count: total });
    const wrong = await cli([], {
      MEETING_BASE_URL: stateful,
      MEETING_ACCOUNT: 'user00',
      MEETING_PASSWORD: 'wrong-password',
    });
    expect(wrong.code).toBe(EXIT.auth);
    expect(wrong.err).toContain('createAccountToken failed with HTTP 401');
    expect(wrong.err).not.toContain('wrong-password');
  });
  it('takes an empty variable as unset: MEETING_TOKEN="" does not hide the App ID', async () => {
    const signIn = { MEETING_APP_ID: MOCK_APP.appId, MEETING_APP_KEY: MOCK_APP.appKey, MEETING_USER_ID: '' };
    const { code, err } = await cli(['--json', '--limit', '1'], {
      MEETING_BASE_URL: stateful,
      MEETING_TOKEN: '',
      ...signIn,
    });
    expect(code, err).toBe(EXIT.ok);
    const blank = await cli(['--limit', '1'], { MEETING_BASE_URL: stateful, MEETING_TOKEN: '', MEETING_APP_ID: '' });
    expect(blank.code).toBe(EXIT.usage);
    expect(blank.err).toContain('no credentials');
  });

  it('pages through everything with --all as NDJSON, one meeting per line', async () => {
    const { code, out } = await cli([...asAdmin, '--query-all', '--all', '--ndjson', '--concurrency', '4']);
    expect(code).toBe(EXIT.ok);
    const lines = out.split('\n').map((l) => JSON.parse(l) as { confUUID: string });
    expect(lines).toHaveLength(total);
    expect(new Set(lines.map((m) => m.confUUID)).size).toBe(total);
  });

  it('passes every query flag through', async () => {
    const { code, out } = await cli([
      ...asAdmin,
      '--query-all',
      '--search-key',
      'Design review',
      '--offset',
      '1',
      '--limit',
      '3',
      '--json',
    ]);
    expect(code).toBe(EXIT.ok);
    const page = JSON.parse(out) as { offset: number; limit: number; data: { subject: string }[] };
    expect(page).toMatchObject({ offset: 1, limit: 3 });
    expect(page.data.every((m) => m.subject.startsWith('Design review'))).toBe(true);
  });

  it('exits 3 for a token the mock does not know, and never prints the token', async () => {
    const { code, err, out } = await cli(['--base-url', stateful, '--token', 'secret-unknown-token']);
    expect(code).toBe(EXIT.auth);
    expect(err).toContain('HTTP 401');
    expect(err + out).not.toContain('secret-unknown-token');
  });

  it("lists only the ordinary user's meetings for the user token", async () => {
    const { out } = await cli(['--base-url', stateful, '--token', MOCK_USER_TOKEN, '--all', '--json']);
    const meetings = JSON.parse(out) as unknown[];
    expect(meetings.length).toBeGreaterThan(0);
    expect(meetings.length).toBeLessThan(total);
  });
});

describe('meetings-online usage', () => {
  it.each([
    [['--limit', 'ten'], /--limit must be an integer from 1 to 500, got "ten"/],
    [['--limit', '501'], /limit must be an integer from 1 to 500, got 501/],
    [['--search-key', ''], /searchKey must be a string of 1 to 128 characters/],
    [['--bogus'], /Unknown option '--bogus'\n/],
    [['--limt', '5'], /Unknown option '--limt': did you mean --limit\?/],
    [['--page-sise=5'], /Unknown option '--page-sise': did you mean --page-size\?/],
    [['--JSON'], /Unknown option '--JSON': did you mean --json\?/],
    [['--json', '--ndjson'], /choose one of --json and --ndjson/],
    [['--concurrency', '2'], /go with --all/],
  ])('exits 2 for %j', async (args, message) => {
    const { code, err } = await cli([...args, '--base-url', stateless, '--token', 'any']);
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(message);
  });

  it('exits 5 when nothing answers', async () => {
    const { code, err } = await cli(['--base-url', 'http://127.0.0.1:9', '--token', 'any', '--retries', '0']);
    expect(code).toBe(EXIT.network);
    expect(err).toContain('failed');
  });

  it('prints help and version', async () => {
    expect((await cli(['--help'])).out).toContain('Usage: meetings-online');
    expect((await cli(['--version'])).out).toMatch(/^huawei-meeting-online-client \d+\.\d+\.\d+$/);
  });
});
