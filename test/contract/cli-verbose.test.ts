// meetings-online --verbose: one stderr line per attempt (the list, each page of --all and --watch, the sign-ins),
// from the client's attempt records; and the live table's status line showing the last request id.
import type { ServerResponse } from 'node:http';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXIT, run, type CliIO } from '../../src/cli/main.js';
import type { Screen } from '../../src/cli/watch.js';
import { sendJson, useScriptedServer } from '../support/scripted-server.js';

const TOKEN = 'verbose-token-5d1f0c';
const scripted = useScriptedServer();
const server = () => scripted.current;

const meeting = (n: number) => ({ confUUID: `uuid-${n}`, conferenceID: `90000000${n}`, subject: `m${n}` });
/** The list of `count` meetings as the server pages it, each answer with its own request id. */
function listing(count: number, res: ServerResponse, url: URL, requestId: string) {
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const data = Array.from({ length: count }, (_, n) => meeting(n)).slice(offset, offset + limit);
  sendJson(res, 200, { offset, limit, count, data }, { 'X-Request-Id': requestId });
}

async function cli(args: string[], env: Record<string, string> = {}, extra: Partial<CliIO> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MEETING_BASE_URL: server().url, ...env },
    ...extra,
  };
  const code = await run(args, io);
  return { code, out, err };
}
const attempts = (err: string[]) => err.filter((line) => line.startsWith('attempt '));

describe('meetings-online --verbose', () => {
  it('prints each attempt of a list call: a 503 and its retry decision, then the 200 that served it', async () => {
    let n = 0;
    server().handle = (_req, res, url) => {
      if (n++ === 0)
        sendJson(
          res,
          503,
          { error_code: 'MMC.503', error_msg: 'busy' },
          { 'X-Request-Id': 'rid-1', 'Retry-After': '0' },
        );
      else listing(2, res, url, 'rid-2');
    };
    const { code, err, out } = await cli(['--verbose', '--limit', '5', '--json'], { MEETING_TOKEN: TOKEN });
    expect(code, err.join('\n')).toBe(EXIT.ok);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ count: 2 }); // stdout is the page alone
    const lines = attempts(err);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^attempt listOngoingMeetings #1 GET \?limit=5: 503 http error in \d+ ms, request id rid-1, /,
    );
    expect(lines[0]).toMatch(/, retry in 0 ms \(retry-after\)$/);
    expect(lines[1]).toMatch(/^attempt listOngoingMeetings #2 GET \?limit=5: 200 in \d+ ms, request id rid-2, done$/);
  });

  it('says when a failed attempt is not sent again, and prints nothing without --verbose', async () => {
    server().handle = (_req, res) => sendJson(res, 404, { error_code: 'MMC.404', error_msg: 'no' });
    const failed = await cli(['--verbose'], { MEETING_TOKEN: TOKEN });
    expect(failed.code).toBe(EXIT.http);
    expect(attempts(failed.err)).toEqual([
      expect.stringMatching(
        /^attempt listOngoingMeetings #1 GET: 404 http error in \d+ ms, no request id, not retried$/,
      ),
    ]);
    server().handle = (_req, res, url) => listing(2, res, url, 'rid-quiet');
    const quiet = await cli([], { MEETING_TOKEN: TOKEN });
    expect(quiet.code).toBe(EXIT.ok);
    expect(quiet.err).toEqual([]);
  });

  it('prints every page of --all, in the order asked', async () => {
    let page = 0;
    server().handle = (_req, res, url) => listing(25, res, url, `page-${++page}`);
    const { code, err, out } = await cli(
      ['--verbose', '--all', '--page-size', '10', '--concurrency', '1', '--ndjson'],
      {
        MEETING_TOKEN: TOKEN,
      },
    );
    expect(code, err.join('\n')).toBe(EXIT.ok);
    expect(out).toHaveLength(25);
    const lines = attempts(err);
    expect(lines.length).toBe(server().requests.length);
    lines.forEach((line, i) => {
      const offset = server().requests[i]!.url.searchParams.get('offset');
      expect(line).toMatch(
        new RegExp(`^attempt listOngoingMeetings #1 GET \\?offset=${offset}&limit=10: 200 in \\d+ ms, `),
      );
      expect(line).toMatch(new RegExp(`request id page-${i + 1}, done$`));
    });
  });

  it('prints the App ID and the account sign-ins, before the list they let through', async () => {
    server().handle = (req, res, url) => {
      if (req.method === 'POST') {
        const answer = { accessToken: TOKEN, validPeriod: 3600, expireTime: Math.floor(Date.now() / 1000) + 3600 };
        sendJson(res, 200, answer, { 'X-Request-Id': `signin-${url.pathname.split('/').at(-1)}` });
      } else listing(1, res, url, 'rid-list');
    };
    for (const [env, operation, sign] of [
      [{ MEETING_APP_ID: 'app-1', MEETING_APP_KEY: 'app-key-secret' }, 'createAppIdToken', 'signin-appauth'],
      [{ MEETING_ACCOUNT: 'user00', MEETING_PASSWORD: 'pass-secret' }, 'createAccountToken', 'signin-account'],
    ] as const) {
      const { code, err } = await cli(['--verbose'], env);
      expect(code, err.join('\n')).toBe(EXIT.ok);
      expect(attempts(err)).toEqual([
        expect.stringMatching(new RegExp(`^attempt ${operation} #1 POST: 200 in \\d+ ms, request id ${sign}, done$`)),
        expect.stringMatching(/^attempt listOngoingMeetings #1 GET: 200 in \d+ ms, request id rid-list, done$/),
      ]);
    }
  });

  it('prints every page of every poll of --watch --ndjson', async () => {
    let answer = 0;
    server().handle = (_req, res, url) => listing(3, res, url, `watch-${++answer}`);
    const stop = new AbortController();
    let polls = 0;
    const out = (line: string) => {
      if (line.includes('"type":"synced"') && ++polls === 2) stop.abort(new Error('enough'));
    };
    const err: string[] = [];
    const io: CliIO = { out, err: (t) => err.push(t), env: { MEETING_BASE_URL: server().url, MEETING_TOKEN: TOKEN } };
    const code = await run(['--watch', '--ndjson', '--verbose', '--interval', '0.1', '--page-size', '2'], {
      ...io,
      signal: stop.signal,
    });
    expect(code).toBe(EXIT.ok);
    const lines = attempts(err);
    expect(lines.length).toBeGreaterThanOrEqual(4); // 3 meetings in pages of 2, pages overlapping: two a poll at least
    expect(lines.length).toBe(server().requests.length);
    for (const [i, line] of lines.entries()) expect(line).toMatch(new RegExp(`, request id watch-${i + 1}, done$`));
  });
});

describe('meetings-online --watch on a terminal', () => {
  /** A screen that keeps what was last drawn; the run is stopped once `until` holds for it. */
  function screenUntil(until: (text: string) => boolean, columns = 200) {
    const stop = new AbortController();
    let drawn = '';
    const screen: Screen = {
      write: (text) => {
        if (!text.startsWith('\u001b[H')) return; // a picture, not entering or leaving the alternate screen
        drawn = text;
        if (until(text)) stop.abort(new Error('seen'));
      },
      columns,
      rows: 30,
    };
    return { screen, signal: stop.signal, drawn: () => drawn };
  }

  it('shows the last request id in the status line, clipped to the width with the rest', async () => {
    let answer = 0;
    server().handle = (_req, res, url) => listing(3, res, url, `live-${++answer}`);
    const wide = screenUntil((text) => text.includes('last poll'));
    const env = { MEETING_TOKEN: TOKEN };
    const { code } = await cli(['--watch', '--interval', '0.1'], env, wide);
    expect(code).toBe(EXIT.ok);
    expect(wide.drawn().split('\n').at(-1)).toMatch(new RegExp(` · request id live-${server().requests.length} · `));

    // A server's hostile id (CSI, allowed in a header): escapes shown, not acted on, and cut; the line never wider
    // than the terminal.
    server().handle = (_req, res, url) => listing(3, res, url, `\u009b2J${'x'.repeat(500)}`);
    const narrow = screenUntil((text) => text.includes('last poll'), 60);
    await cli(['--watch', '--interval', '0.1'], env, narrow);
    const lines = narrow.drawn().split('\n');
    expect(lines.at(-1)).toMatch(/^last poll /);
    expect(lines.every((line) => stripVTControlCharacters(line).length <= 60)).toBe(true);
    const full = screenUntil((text) => text.includes('last poll'), 400);
    await cli(['--watch', '--interval', '0.1'], env, full);
    const status = full.drawn().split('\n').at(-1)!;
    expect(status).toMatch(/ · request id \S{0,2}\\x9B2Jx{30,34}… · next poll/); // 40 characters at most
    expect(status).not.toContain('\u009b');
  });

  it('refuses --verbose on the live table when stderr is the same terminal, saying what to do', async () => {
    const live = screenUntil(() => false);
    const { code, err } = await cli(
      ['--watch', '--verbose'],
      { MEETING_TOKEN: TOKEN },
      { ...live, errIsTerminal: true },
    );
    expect(code).toBe(EXIT.usage);
    expect(err.join('\n')).toContain(
      '--verbose would write over the live table: send stderr elsewhere (2>attempts.log)',
    );
    expect(server().requests).toHaveLength(0);
  });
});
