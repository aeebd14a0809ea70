// meetings-online against a hostile server and a hostile environment: escape sequences in what the server
// says, malformed and absurdly nested answers, an echoed token, and a reader that closes the pipe early.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { tokenFrom } from '../../src/cli/credentials.js';
import { EXIT, run, type CliIO } from '../../src/cli/main.js';
import { main as mockMain } from '../../src/mock/serve.js';
import { MAX_TIMER_MS } from '../../src/abort.js';
import { clientOptionTable, MAX_CONCURRENCY } from '../../src/options.js';
import { repoRoot } from '../support/paths.js';
import { sendJson, useScriptedServer } from '../support/scripted-server.js';

const TOKEN = 'cli-token-77e1c0a4b9';
const ESC = '\u001b';
const MAX_LIMIT = specFacts.operations.listOngoingMeetings.query.limit.maximum;
const MAX_OFFSET = specFacts.operations.listOngoingMeetings.query.offset.maximum;
const INTERVAL_RULE = `takes seconds from 0 to ${MAX_TIMER_MS / 1000} (5, 0.5)`;

const scripted = useScriptedServer();
const server = () => scripted.current;

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MEETING_BASE_URL: server().url, MEETING_TOKEN: TOKEN, ...env },
  };
  const code = await run([...args, '--retries', '0'], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const page = (data: unknown[]) => ({ offset: 0, limit: 20, count: data.length, data });

describe('meetings-online against a hostile server', () => {
  it('shows escape sequences and bidi overrides in subjects as visible escapes, never raw', async () => {
    server().handle = (_req, res) =>
      sendJson(
        res,
        200,
        page([
          {
            confUUID: 'a',
            conferenceID: '900000001',
            subject: `${ESC}[2J${ESC}]0;pwned\u0007 Evil\u202Eexe.txt`,
            scheduserName: `x${ESC}[31m`,
          },
        ]),
      );
    const { code, out } = await cli([]);
    expect(code).toBe(EXIT.ok);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(out).toContain('\\x1B[2J\\x1B]0;pwned\\x07 Evil');
    expect(out).toContain('\\u202E');
    const json = await cli(['--json']);
    expect(json.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    // The same data, escaped.
    expect((JSON.parse(json.out) as { data: { subject: string }[] }).data[0]!.subject).toContain(`${ESC}[2J`);
  });

  it('sanitises the error message the server sends, and keeps an echoed token out of it', async () => {
    server().handle = (req, res) =>
      sendJson(
        res,
        403,
        { error_code: 'MMC.403', error_msg: `${ESC}[2Jno access for ${String(req.headers['x-access-token'])}` },
        { 'X-Request-Id': `rid-${String(req.headers['x-access-token'])}` },
      );
    const { code, err } = await cli([], { MEETING_TOKEN: `${TOKEN}\n` });
    expect(code).toBe(EXIT.auth);
    expect(err).not.toContain(ESC);
    expect(err).not.toContain(TOKEN);
    expect(err).toContain('\\x1B[2Jno access for [REDACTED]');
  });

  it('--verbose never shows a token, App key, password or signature, whatever the server echoes', async () => {
    const APP_KEY = 'app-key-0f3e9d8c7b6a';
    const PASSWORD = 'password-4b3a2918';
    const seen: string[] = []; // what the server was sent and echoed: the line must show none of it
    server().handle = (req, res) => {
      const sent = String(req.headers.authorization ?? req.headers['x-access-token']);
      seen.push(sent);
      // Every answer echoes the credentials: the sign-in's, and the list's too (one host serves both, and a client
      // given a sign-in's token source scrubs that sign-in's secrets as well as its tokens).
      const echo = `rid ${sent} ${APP_KEY} ${PASSWORD}`;
      if (req.method === 'POST')
        sendJson(res, 200, { accessToken: TOKEN, validPeriod: 3600 }, { 'X-Request-Id': echo });
      else sendJson(res, 401, { error_code: 'MMC.401', error_msg: `bad ${echo}` }, { 'X-Request-Id': echo });
    };
    // Each way in, with the secrets it gives the client (a key the client was never given is not its secret).
    const ways: [Record<string, string>, string[], RegExp][] = [
      [{}, [TOKEN], /^attempt listOngoingMeetings #1/],
      [
        { MEETING_TOKEN: '', MEETING_APP_ID: 'app-id-1', MEETING_APP_KEY: APP_KEY },
        [TOKEN, APP_KEY],
        /^attempt createAppIdToken #1 POST: 200 in \d+ ms, request id rid HMAC-SHA256 signature=\[REDACTED\]/,
      ],
      [
        { MEETING_TOKEN: '', MEETING_ACCOUNT: 'user00', MEETING_PASSWORD: PASSWORD },
        [TOKEN, PASSWORD],
        /^attempt createAccountToken #1 POST: 200 in \d+ ms, request id rid Basic \[REDACTED\]/,
      ],
    ];
    for (const [env, given, first] of ways) {
      seen.length = 0;
      const { code, err } = await cli(['--verbose'], env);
      expect(code).toBe(EXIT.auth);
      const lines = err.split('\n').filter((line) => line.startsWith('attempt '));
      expect(lines[0]).toMatch(first);
      expect(lines.at(-1)).toMatch(
        /^attempt listOngoingMeetings #\d GET: 401 http error in \d+ ms, request id rid \[REDACTED\]/,
      );
      // The token, key or password, and every part of what was sent for them (signature, Basic credentials).
      const secrets = [...given, ...seen.flatMap((sent) => sent.split(/[ ,=]/))];
      for (const secret of secrets.filter((part) => part.length >= 16)) expect(err).not.toContain(secret);
    }
  });

  it('exits 6, not 2, on a malformed meeting (a number as subject)', async () => {
    server().handle = (_req, res) => sendJson(res, 200, page([{ confUUID: 'a', subject: 12345 }]));
    const { code, err } = await cli([]);
    expect(code).toBe(EXIT.response);
    expect(err).toMatch(/does not match the spec: \/data\/0\/subject must be string/);
    const lenient = await cli(['--no-validate']);
    expect(lenient.code).toBe(EXIT.ok);
    expect(lenient.out).toContain('12345');
  });

  it('exits 6 with a message on JSON nested too deeply to print', async () => {
    const depth = 200_000;
    server().handle = (_req, res) => {
      const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const body = `{"offset":0,"limit":20,"count":1,"data":[{"confUUID":"a","extra":${nested}}]}`;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const { code, err } = await cli(['--json']);
    expect(code).toBe(EXIT.response);
    expect(err).toContain('nested too deeply to print as JSON');
  });
});

describe("the tools' own usage errors", () => {
  it('meetings-online shows its own line breaks as line breaks, and a typed escape as an escape', async () => {
    const { code, err } = await cli(['--watch', '--interval', '-1']);
    expect(code).toBe(EXIT.usage);
    expect(err).not.toContain('\\x0A');
    expect(err).toMatch(/argument is ambiguous\.\nDid you forget/);
    const typed = await cli([`--x${ESC}[2J`]); // a flag holding an escape sequence is still shown, not acted on
    expect(typed.code).toBe(EXIT.usage);
    expect(typed.err).not.toContain(ESC);
    expect(typed.err).toContain('\\x1B[2J');
  });

  it('meetings-online shows a line break typed in an unknown option as \\n, on one line', async () => {
    const typed = await cli(['--lim\nit']);
    expect(typed.code).toBe(EXIT.usage);
    expect(typed.err.split('\n')[0]).toBe("meetings-online: Unknown option '--lim\\nit': did you mean --limit?");
    const other = await cli(['--x\r\ty']);
    expect(other.err.split('\n')[0]).toBe("meetings-online: Unknown option '--x\\r\\ty'");
  });

  it.each([
    [['--limit=5', '--limit=6'], '--limit given twice ("5" and "6"): give it once'],
    [['--limit', '5', '--all', '--limit', '5'], '--limit given twice ("5" and "5"): give it once'],
    [['--json', '--json'], '--json given twice: give it once'],
    [['-h', '--help'], '--help given twice: give it once'],
  ])('meetings-online refuses a flag given twice: %j', async (args, message) => {
    const { code, out, err } = await cli(args);
    expect(code).toBe(EXIT.usage);
    expect(out).toBe('');
    expect(err.split('\n')[0]).toBe(`meetings-online: ${message}`);
  });

  it.each([
    [['--concurrency', 'x'], `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got "x"`],
    [['--concurrency', '99'], `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got 99`],
    [['--page-size', 'x'], `--page-size must be a whole number from 1 to ${MAX_LIMIT}, got "x"`],
    [['--page-size', '0', '--all'], `--page-size must be a whole number from 1 to ${MAX_LIMIT}, got 0`],
    [['--max-items', '1.5'], `--max-items must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got "1.5"`],
    // Digits past 2^53 are echoed as typed, not as the number they round to (…992).
    [
      ['--max-items', '9007199254740993'],
      `--max-items must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got "9007199254740993"`,
    ],
    [['--offset', '9007199254740993'], `--offset must be an integer from 0 to ${MAX_OFFSET}, got "9007199254740993"`],
    [['--offset=-1'], `--offset must be an integer from 0 to ${MAX_OFFSET}, got -1`],
    [['--limit', 'ten'], `--limit must be an integer from 1 to ${MAX_LIMIT}, got "ten"`],
    [['--timeout', '0'], `--timeout ${clientOptionTable.timeoutMs.check(0)}`],
    [['--timeout', '1e3'], `--timeout ${clientOptionTable.timeoutMs.check('1e3')}`],
    // Seconds past the timer's range: named in the flag's own unit, as typed, not as the option's milliseconds.
    [['--watch', '--interval', '9007199254740993'], `--interval ${INTERVAL_RULE}, got "9007199254740993"`],
    [['--watch', '--interval', '2147484'], `--interval ${INTERVAL_RULE}, got "2147484"`],
    [['--watch', '--interval', 'soon'], `--interval ${INTERVAL_RULE}, got "soon"`],
  ])(
    'meetings-online names a bad number and what is allowed before which flags go together: %j',
    async (args, message) => {
      const { code, err } = await cli(args);
      expect(code).toBe(EXIT.usage);
      expect(err.split('\n')[0]).toBe(`meetings-online: ${message}`);
    },
  );

  it('meetings-online-mock echoes digits past 2^53 as typed', async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((text: string) => void printed.push(text));
    try {
      expect(await mockMain(['--port', '9007199254740993'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(printed.join('\n')).toContain(
      `--port takes a whole number up to ${Number.MAX_SAFE_INTEGER}, got "9007199254740993"`,
    );
  });

  it.each([['--port'], ['--seed'], ['--churn'], ['--latency']])(
    'meetings-online-mock %s -1 shows its own line breaks as line breaks',
    async (flag) => {
      const printed: string[] = [];
      const spy = vi.spyOn(console, 'error').mockImplementation((text: string) => void printed.push(text));
      try {
        expect(await mockMain([flag, '-1'])).toBe(2);
      } finally {
        spy.mockRestore();
      }
      const err = printed.join('\n');
      expect(err).not.toContain('\\x0A');
      expect(err).toMatch(/argument is ambiguous\.\nDid you forget/);
    },
  );
});

describe('meetings-online signing in', () => {
  const SIGN_INS: [string, Record<string, string>][] = [
    ['createAppIdToken', { MEETING_APP_ID: 'app-id-1', MEETING_APP_KEY: 'app-key-0f3e9d8c7b6a' }],
    ['createAccountToken', { MEETING_ACCOUNT: 'alice', MEETING_PASSWORD: 'pw12345678' }],
  ];

  it('--help says --timeout and --retries cover the sign-ins', async () => {
    const { out } = await cli(['--help']);
    expect(out).toMatch(/--timeout MS .*sign-ins included/);
    expect(out).toMatch(/--retries N .*sign-ins included/);
  });

  it.each(SIGN_INS)('--retries applies to the sign-in (%s) as to the list', async (operation, env) => {
    server().handle = (_req, res) => sendJson(res, 500, { error_code: 'MMC.500', error_msg: 'down' });
    const { code, err } = await cli(['--verbose'], { MEETING_TOKEN: '', ...env }); // cli() adds --retries 0
    expect(code).toBe(EXIT.http);
    expect(server().requests).toHaveLength(1);
    expect(err).toMatch(new RegExp(`^attempt ${operation} #1 POST: 500`, 'm'));
    expect(err).not.toMatch(/#2/);
  });

  // Through the CLI the list's own deadline (the same --timeout) also bounds its wait for the token, so which of the
  // two ends first is a race: the sign-in is asked directly here, with what the CLI gives it for every sign-in.
  it.each(SIGN_INS)(
    '--timeout applies to the sign-in (%s) as to the list',
    async (operation, env) => {
      server().handle = () => undefined; // never answers; the default 30 s per attempt would outlast this test
      const source = tokenFrom(undefined, env, { baseUrl: server().url, timeoutMs: 300, retries: 0 });
      if (typeof source !== 'function') throw new Error('expected a sign-in');
      await expect(source({ reason: 'request' })).rejects.toThrow(`${operation} timed out after 300 ms`);
      expect(server().requests).toHaveLength(1);
    },
    20_000,
  );
});

describe('meetings-online at scale', () => {
  it('prints --all as a table for 130,000 meetings (no list spread into arguments)', async () => {
    const total = 130_000;
    server().handle = (_req, res, url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const data = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({
        confUUID: `u${offset + i}`,
        conferenceID: String(900_000_000 + offset + i),
      }));
      // No connection kept: rendering blocks the loop for seconds, past the keep-alive (a reset, exit 5).
      sendJson(res, 200, { offset, limit, count: total, data }, { Connection: 'close' });
    };
    const { code, out, err } = await cli(['--all', '--page-size', '500', '--concurrency', '4']);
    expect(err).toBe('');
    expect(code).toBe(EXIT.ok);
    const lines = out.split('\n');
    expect(lines).toHaveLength(2 + total + 2);
    expect(lines.at(-3)).toMatch(/^\s+900129999 /);
    expect(lines.at(-1)).toBe(`${total} ongoing meeting(s)`);
  }, 120_000);

  it('prints one page of 1,000,000 tiny meetings as a table and as JSON', async () => {
    const body = `{"offset":0,"limit":500,"count":1000000,"data":[${Array(1_000_000).fill('{}').join(',')}]}`;
    server().handle = (_req, res) => {
      // As above: a connection of its own each time.
      const headers = {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        Connection: 'close',
      };
      res.writeHead(200, headers);
      res.end(body);
    };
    const table = await cli([]);
    expect(table.err).toBe('');
    expect(table.code).toBe(EXIT.ok);
    expect(table.out).toMatch(/\n\n1000000 of 1000000 ongoing meeting\(s\) from offset 0$/);
    const json = await cli(['--json']);
    expect(json.code, json.err).toBe(EXIT.ok);
    expect((JSON.parse(json.out) as { data: unknown[] }).data).toHaveLength(1_000_000);
  }, 120_000);

  it('streams --all --json as JSON.stringify(list, null, 2) would print it', async () => {
    const list = Array.from({ length: 5 }, (_, i) => ({ confUUID: `u${i}`, conferenceID: String(i), subject: 's' }));
    server().handle = (_req, res, url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      sendJson(res, 200, { offset, limit, count: list.length, data: list.slice(offset, offset + limit) });
    };
    expect((await cli(['--all', '--json', '--page-size', '2'])).out).toBe(JSON.stringify(list, null, 2));
    list.length = 0;
    expect((await cli(['--all', '--json'])).out).toBe('[]');
  });
});

describe('meetings-online --all --json failing part-way', () => {
  const meeting = (i: number) => ({ confUUID: `u${i}`, conferenceID: String(900_000_000 + i) });
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  /** Page 1 holds two good meetings; page 2 is `second`. */
  const twoPages = (second: (res: import('node:http').ServerResponse) => void) => {
    server().handle = (_req, res, url) => {
      if (Number(url.searchParams.get('offset') ?? 0) === 0)
        sendJson(res, 200, { offset: 0, limit: 2, count: 3, data: [meeting(0), meeting(1)] });
      else second(res);
    };
  };

  it('streams a document past what it holds back (4 Mi characters) as JSON.stringify prints it', async () => {
    const total = 100_000; // about 6.5 million characters of JSON
    const out: string[] = [];
    let writtenBeforeLastPage = false;
    server().handle = (_req, res, url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      if (offset + 500 >= total) writtenBeforeLastPage = out.length > 0;
      const data = Array.from({ length: Math.max(0, Math.min(500, total - offset)) }, (_, i) => meeting(offset + i));
      sendJson(res, 200, { offset, limit: 500, count: total, data });
    };
    const io: CliIO = { out: (t) => out.push(t), err: () => undefined, env: { MEETING_TOKEN: TOKEN } };
    const code = await run(['--all', '--json', '--page-size', '500', '--base-url', server().url, '--retries', '0'], io);
    expect(code).toBe(EXIT.ok);
    expect(writtenBeforeLastPage).toBe(true);
    expect(out.join('\n')).toBe(
      JSON.stringify(
        Array.from({ length: total }, (_, i) => meeting(i)),
        null,
        2,
      ),
    );
  }, 60_000);

  it('writes no partial document when the first meeting cannot be printed', async () => {
    server().handle = (_req, res) => {
      const body = `{"offset":0,"limit":20,"count":1,"data":[{"confUUID":"a","extra":${nested(200_000)}}]}`;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const { code, out, err } = await cli(['--all', '--json']);
    expect(code).toBe(EXIT.response);
    expect(err).toContain('nested too deeply to print as JSON');
    expect(out).toBe('');
  });

  it('writes no partial document when a later page cannot be printed or fetched', async () => {
    twoPages((res) => {
      const body = `{"offset":2,"limit":2,"count":3,"data":[{"confUUID":"a","extra":${nested(200_000)}}]}`;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    const printing = await cli(['--all', '--json', '--page-size', '2']);
    expect(printing.code).toBe(EXIT.response);
    expect(printing.out).toBe('');
    twoPages((res) => sendJson(res, 500, { error_code: 'MMC.500', error_msg: 'down' }));
    const fetching = await cli(['--all', '--json', '--page-size', '2']);
    expect(fetching.code).toBe(EXIT.http);
    expect(fetching.out).toBe('');
  });
});

describe('meetings-online in a pipeline', () => {
  it('ends quietly with exit 0 when the reader closes the pipe (| head -1)', async () => {
    const list = Array.from({ length: 3000 }, (_, i) => ({
      confUUID: `u${i}`,
      conferenceID: String(900_000_000 + i),
      subject: `meeting ${i} ${'x'.repeat(80)}`,
    }));
    server().handle = (_req, res, url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      sendJson(res, 200, { offset, limit, count: list.length, data: list.slice(offset, offset + limit) });
    };
    const cliEntry = join(repoRoot, 'src/cli/main.ts');
    const cli = `"${process.execPath}" --import tsx "${cliEntry}" --all --ndjson --page-size 100`;
    const script = `set -o pipefail; ${cli} | head -1`;
    const child = spawn('bash', ['-c', script], {
      cwd: repoRoot,
      env: { ...process.env, MEETING_BASE_URL: server().url, MEETING_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ confUUID: 'u0' });
  }, 30_000);
});

/** The CLI as a process with its stdout on `fd`; its exit code and what it said on stderr. */
async function cliProcess(args: string[], stdout: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, MEETING_BASE_URL: server().url, MEETING_TOKEN: TOKEN },
    stdio: ['ignore', stdout, 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr };
}

// /dev/full (every write fails with ENOSPC) is Linux's; elsewhere there is no full disk to write to on demand.
describe.skipIf(!existsSync('/dev/full'))('meetings-online writing to a full disk (> /dev/full)', () => {
  const list = Array.from({ length: 3 }, (_, i) => ({ confUUID: `u${i}`, conferenceID: String(900_000_000 + i) }));
  it.each([[['--json']], [[]], [['--all', '--ndjson']], [['--watch', '--interval', '1']]])(
    'says it cannot write and exits 1 for %j',
    async (args) => {
      server().handle = (_req, res) => sendJson(res, 200, { offset: 0, limit: 20, count: list.length, data: list });
      const full = openSync('/dev/full', 'w');
      try {
        const { code, stderr } = await cliProcess([...args, '--retries', '0'], full);
        expect(stderr).toMatch(/^meetings-online: cannot write the output: ENOSPC: no space left on device/);
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(code).toBe(EXIT.failure);
      } finally {
        closeSync(full);
      }
    },
    30_000,
  );
});
