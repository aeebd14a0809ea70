#!/usr/bin/env node
// meetings-online: lists Huawei Cloud Meeting's ongoing meetings from a terminal.
import { parseArgs } from 'node:util';
import { specFacts } from '../../generated/spec-facts.js';
import {
  createMeetingClient,
  MeetingClientError,
  type ConferenceInfo,
  type AttemptRecord,
  type MeetingError,
  type OngoingMeetingsQuery,
} from '../index.js';
import {
  clientOptionTable,
  MAX_CONCURRENCY,
  type OptionSpec,
  paginationOptionTable,
  watchOptionTable,
} from '../options.js';
import { MAX_TIMER_MS } from '../abort.js';
import { closestName } from '../closest-name.js';
import { checkValue } from '../query.js';
import { CLIENT_NAME, CLIENT_VERSION } from '../version.js';
import { sanitise, sanitiseOwnMessage, sanitiseTyped, terminalSafeJson } from './sanitise.js';
import { CREDENTIALS_HELP, tokenFrom } from './credentials.js';
import { eachTableLine } from './table.js';
import { attemptLine } from './verbose.js';
import { runWatch, type Screen } from './watch.js';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  http: 4,
  network: 5,
  response: 6,
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;

const query = specFacts.operations.listOngoingMeetings.query;
const defaults = { concurrency: paginationOptionTable.concurrency.default };
const watchIntervalSeconds = watchOptionTable.intervalMs.default / 1000;
/** The demo (no server given) changes fast, so that a watch shows something. */
const DEMO = { churn: { startsPerMinute: 30, endsPerMinute: 30, changesPerMinute: 60 }, intervalMs: 2000 };
const rangeOf = (name: 'searchKey') => `${query[name].minLength}–${query[name].maxLength}`;
const USAGE = `Usage: meetings-online [options]

Lists the ongoing meetings of Huawei Cloud Meeting (GET ${specFacts.operations.listOngoingMeetings.path}).

Connection
  --base-url URL       API server (env MEETING_BASE_URL; default ${clientOptionTable.baseUrl.default})
  --timeout MS         per-attempt timeout, sign-ins included (default ${clientOptionTable.timeoutMs.default})
  --retries N          retries of 408/429/5xx and network errors, sign-ins included
                       (default ${clientOptionTable.retries.default})
  --no-validate        skip checking every page against the spec
${CREDENTIALS_HELP}
Query
  --offset N           first meeting (${query.offset.minimum}–${query.offset.maximum})
  --limit N            meetings per page (${query.limit.minimum}–${query.limit.maximum})
  --query-all          every meeting of the enterprise (administrators)
  --search-key TEXT    topic, scheduler or meeting ID (${rangeOf('searchKey')} characters)
  --user-uuid UUID     deprecated by Huawei
Paging
  --all                page through every meeting in scope (yours; with --query-all, the enterprise's)
  --page-size N        with --all (default ${paginationOptionTable.pageSize.default})
  --concurrency N      with --all: pages in flight (default ${defaults.concurrency}, at most ${MAX_CONCURRENCY})
  --max-items N        with --all: stop after N meetings
Watching
  --watch              follow the list: on a terminal a live table (Ctrl-C quits), else one JSON event per line
  --interval SECONDS   with --watch: between polls (default ${watchIntervalSeconds}; at least 1 off this machine)
Output
  --json               JSON: the page, or with --all an array of meetings
  --ndjson             one meeting per line as JSON
  --verbose            each attempt (sign-ins, pages, retries) on stderr, one line: operation, query, status,
                       ms, request id (quote it to Huawei support), and whether it was sent again
  -h, --help           this text
  -v, --version        the version

With neither --base-url nor credentials, it starts the stateful mock (needs @stoplight/prism-cli) and lists
from it as the mock's administrator: a demo that needs no account.

Exit codes: 0 ok, 2 bad usage or input, 3 authentication or permission (401/403), 4 other HTTP error,
5 network error or timeout, 6 unexpected response or one it cannot print, 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP,
1 anything else (a failed write included).`;

class UsageError extends Error {}

/**
 * A number flag, checked as the option or query parameter it sets is (`must be an integer from 1 to 500, got 501`).
 * Digits beyond what a number holds exactly are checked as the text typed, so the message echoes it unrounded.
 */
function integer(
  flag: string,
  value: string | undefined,
  rule: Pick<OptionSpec<unknown>, 'check'>,
): number | undefined {
  if (value === undefined) return undefined;
  const number = /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
  const problem = rule.check(number ?? value);
  if (problem !== undefined) throw new UsageError(`--${flag} ${problem}`);
  if (number === undefined) throw new UsageError(`--${flag} takes a whole number, got ${JSON.stringify(value)}`);
  return number;
}

/** The spec's rule for a query parameter of the list, as the client checks it. */
const queryRule = (name: 'offset' | 'limit') => ({
  check: (value: unknown) => checkValue(value, specFacts.operations.listOngoingMeetings.query[name]),
});

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Aborted when the output is gone (a closed pipe) or the user interrupts: the run then ends quietly. */
  signal?: AbortSignal | undefined;
  /** The terminal, when the output is one: --watch draws a live table on it. */
  screen?: Screen | undefined;
  /** Whether `err` writes to a terminal (--verbose lines there would be drawn over a live table). */
  errIsTerminal?: boolean | undefined;
}

/** The exit code of a client error: one per kind, 401/403 apart. */
function exitCodeOf(error: MeetingError): number {
  switch (error.kind) {
    case 'input':
      return EXIT.usage;
    case 'http':
      return error.status === 401 || error.status === 403 ? EXIT.auth : EXIT.http;
    case 'network':
    case 'timeout':
      return EXIT.network;
    case 'response':
      return EXIT.response;
  }
}

/** JSON for the terminal; a structure too deep or too large to print (a hostile answer) is an unexpected response. */
function json(value: unknown, indent?: number): string {
  try {
    return terminalSafeJson(JSON.stringify(value, null, indent));
  } catch (error) {
    if (error instanceof RangeError) {
      const why = /string length/i.test(error.message) ? 'too large' : 'nested too deeply';
      throw new OutputError(`the answer is ${why} to print as JSON`);
    }
    throw error;
  }
}
class OutputError extends Error {}

/**
 * --all --json held back up to this many characters: a walk that fails before then (a page it cannot fetch or
 * print) leaves no partial document on stdout; a longer one streams, and a failure past it leaves a partial one.
 */
const JSON_HELD_CHARS = 4 * 1024 * 1024;

/** Lines passed to `out` only once they pass `bound` characters or are flushed; dropped if never. */
function boundedHold(out: (text: string) => void, bound: number) {
  let lines: string[] | undefined = [];
  let size = 0;
  const flush = () => {
    if (lines !== undefined && lines.length > 0) out(lines.join('\n'));
    lines = undefined;
  };
  const write = (line: string) => {
    if (lines === undefined) return out(line);
    lines.push(line);
    size += line.length;
    if (size > bound) flush();
  };
  return { write, flush };
}

/** A table and the line under it, written a line at a time: a list of any length is never one string. */
function printTable(io: CliIO, meetings: readonly ConferenceInfo[], summary: string): void {
  try {
    for (const line of eachTableLine(meetings)) io.out(line);
  } catch (error) {
    // Past what this process can hold as text: a page the CLI cannot render, not a crash.
    if (error instanceof RangeError) throw new OutputError('the answer is too large to print as a table: try --ndjson');
    throw error;
  }
  io.out(`\n${summary}`);
}

const FLAGS = {
  'base-url': { type: 'string' },
  token: { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  'no-validate': { type: 'boolean' },
  offset: { type: 'string' },
  limit: { type: 'string' },
  'query-all': { type: 'boolean' },
  'search-key': { type: 'string' },
  'user-uuid': { type: 'string' },
  all: { type: 'boolean' },
  'page-size': { type: 'string' },
  concurrency: { type: 'string' },
  'max-items': { type: 'string' },
  watch: { type: 'boolean' },
  interval: { type: 'string' },
  json: { type: 'boolean' },
  ndjson: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const parseFlags = (argv: string[]) =>
  parseArgs({ args: argv, strict: true, allowPositionals: false, options: FLAGS, tokens: true });

/**
 * The flags of the command line; throws on an unknown flag (with the flag probably meant), a missing value, or a
 * flag given twice (no flag is a list: `--limit=5 --limit=6` would silently drop one).
 */
function parseCommandLine(argv: string[]) {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    // The option as typed, which may hold a line break: shown escaped, on the message's one line.
    const unknown = /^Unknown option '(.*)'$/s.exec((error as Error).message)?.[1];
    if (unknown === undefined) throw error;
    const meant = unknown.startsWith('--') ? closestName(unknown.slice(2), Object.keys(FLAGS)) : undefined;
    throw new Error(
      `Unknown option '${sanitiseTyped(unknown)}'${meant === undefined ? '' : `: did you mean --${meant}?`}`,
    );
  }
  const given = new Map<string, string | undefined>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (given.has(token.name)) {
      const both =
        token.value === undefined
          ? ''
          : ` (${JSON.stringify(given.get(token.name))} and ${JSON.stringify(token.value)})`;
      throw new Error(`--${token.name} given twice${both}: give it once`);
    }
    given.set(token.name, token.value);
  }
  return parsed.values;
}

/** The environment without its empty variables: `MEETING_TOKEN=""` (a CI template's blank) is not a token. */
function setVariables(env: Record<string, string | undefined>): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value) set[name] = value;
  return set;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    io.err(
      `meetings-online: ${sanitiseOwnMessage((error as Error).message)}\nRun meetings-online --help for the options.`,
    );
    return EXIT.usage;
  }
  if (args.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (args.version) {
    io.out(`${CLIENT_NAME} ${CLIENT_VERSION}`);
    return EXIT.ok;
  }

  let stopMock: (() => Promise<void>) | undefined;
  try {
    // Values first: a bad one is named with what is allowed, before any rule on which flags go together.
    const walkNumbers = {
      pageSize: integer('page-size', args['page-size'], paginationOptionTable.pageSize),
      concurrency: integer('concurrency', args.concurrency, paginationOptionTable.concurrency),
    };
    const maxItems = integer('max-items', args['max-items'], paginationOptionTable.maxItems);
    if (args.json && args.ndjson) throw new UsageError('choose one of --json and --ndjson');
    if (!args.all && args['max-items']) throw new UsageError('--max-items goes with --all');
    if (args.watch && (args.all || args.limit || args.offset || args.json || args['max-items'])) {
      throw new UsageError(
        '--watch follows the whole list: leave out --all, --limit, --offset, --max-items and --json',
      );
    }
    if (args.interval !== undefined && !args.watch) throw new UsageError('--interval goes with --watch');
    if (!args.all && !args.watch && (args['page-size'] || args.concurrency)) {
      throw new UsageError('--page-size and --concurrency go with --all or --watch');
    }
    if (args.all && (args.limit || args.offset)) {
      throw new UsageError('--all pages by itself: use --page-size instead of --limit, and leave out --offset');
    }
    const liveTable = args.watch && io.screen !== undefined && !args.ndjson;
    if (args.verbose && liveTable && io.errIsTerminal) {
      throw new UsageError(
        '--verbose would write over the live table: send stderr elsewhere (2>attempts.log), or add --ndjson',
      );
    }
    // One subscriber for the client and the sign-ins; none at all (no cost) unless something shows what it keeps.
    let lastRequestId: string | undefined;
    const onAttempt =
      args.verbose || liveTable
        ? (record: AttemptRecord) => {
            lastRequestId = record.requestId;
            if (args.verbose) io.err(attemptLine(record));
          }
        : undefined;
    const env = setVariables(io.env);
    let baseUrl = args['base-url'] ?? env.MEETING_BASE_URL;
    // One connection for the list and the sign-ins: --retries 0 means one attempt at signing in too.
    const connection = {
      timeoutMs: integer('timeout', args.timeout, clientOptionTable.timeoutMs),
      retries: integer('retries', args.retries, clientOptionTable.retries),
      onAttempt,
    };
    let token = tokenFrom(args.token, env, { ...connection, baseUrl });
    if (baseUrl === undefined && token === undefined) {
      const { startMockServer } = await import('../mock/index.js');
      const mock = await startMockServer({ stateful: args.watch ? { churn: DEMO.churn } : true });
      stopMock = mock.close;
      baseUrl = mock.url;
      token = mock.tokens.admin;
      io.err(
        `No --base-url or credentials given: started the stateful mock at ${mock.url}, listing as its administrator.`,
      );
    }
    if (!token)
      throw new UsageError('no credentials: set MEETING_TOKEN, or the App ID or account variables (see --help)');

    const listQuery: OngoingMeetingsQuery = {
      offset: integer('offset', args.offset, queryRule('offset')),
      limit: integer('limit', args.limit, queryRule('limit')),
      queryAll: args['query-all'] || undefined,
      searchKey: args['search-key'],
      userUUID: args['user-uuid'],
    };
    const client = createMeetingClient({
      token,
      // What a terminal shows must be what the spec promises: a malformed answer is exit 6, not a broken table.
      validateResponses: !args['no-validate'],
      baseUrl,
      ...connection,
    });
    const signal = io.signal;
    const walk = { ...walkNumbers, signal };

    if (args.watch) {
      const seconds = args.interval === undefined ? undefined : Number(args.interval);
      const wellFormed = /^\d*\.?\d+$/.test(args.interval ?? '');
      // Checked as the watch checks intervalMs, in the seconds the flag takes, echoing what was typed.
      if (seconds !== undefined && (!wellFormed || watchOptionTable.intervalMs.check(Math.round(seconds * 1000)))) {
        const most = MAX_TIMER_MS / 1000;
        throw new UsageError(
          `--interval takes seconds from 0 to ${most} (5, 0.5), got ${JSON.stringify(args.interval)}`,
        );
      }
      const intervalMs = seconds === undefined ? (stopMock ? DEMO.intervalMs : undefined) : Math.round(seconds * 1000);
      const options = { ...walk, intervalMs };
      const scope = listQuery.queryAll ? ' of the enterprise' : '';
      const title = `Ongoing meetings${scope} at ${baseUrl ?? clientOptionTable.baseUrl.default}`;
      await runWatch(
        client,
        listQuery,
        options,
        liveTable && io.screen
          ? { screen: io.screen, title, requestId: () => lastRequestId }
          : { ndjson: (event) => io.out(json(event)) },
      );
      return EXIT.ok;
    }
    if (args.all) {
      // NDJSON and JSON stream page by page; a table needs the whole list for its column widths.
      const collected: ConferenceInfo[] = [];
      // JSON as JSON.stringify(all, null, 2) writes it, one meeting held back for the comma after it.
      let held: string | undefined;
      const document = boundedHold(io.out, JSON_HELD_CHARS);
      for await (const page of client.ongoingMeetingPages(listQuery, { ...walk, maxItems })) {
        for (const meeting of page.data) {
          if (args.ndjson) io.out(json(meeting));
          else if (args.json) {
            const next = json(meeting, 2).replace(/^/gm, '  ');
            document.write(held === undefined ? '[' : `${held},`);
            held = next;
          } else collected.push(meeting); // one at a time: push(...page.data) overflows the stack on a huge page
        }
      }
      if (args.json) {
        document.write(held === undefined ? '[]' : `${held}\n]`);
        document.flush();
      } else if (!args.ndjson) printTable(io, collected, `${collected.length} ongoing meeting(s)`);
    } else {
      const page = await client.listOngoingMeetings(listQuery, { signal });
      if (args.ndjson) for (const meeting of page.data) io.out(json(meeting));
      else if (args.json) io.out(json(page, 2));
      else
        printTable(io, page.data, `${page.data.length} of ${page.count} ongoing meeting(s) from offset ${page.offset}`);
    }
    return EXIT.ok;
  } catch (error) {
    if (io.signal?.aborted && error === io.signal.reason) return EXIT.ok; // the output closed or the user interrupted
    if (error instanceof UsageError) {
      io.err(`meetings-online: ${sanitiseOwnMessage(error.message)}\nRun meetings-online --help for the options.`);
      return EXIT.usage;
    }
    if (error instanceof OutputError) {
      io.err(`meetings-online: ${error.message}`);
      return EXIT.response;
    }
    if (error instanceof MeetingClientError) {
      const requestId = error.kind === 'http' && error.requestId ? ` (request ID ${error.requestId})` : '';
      io.err(`meetings-online: ${sanitise(error.message + requestId)}`);
      return exitCodeOf(error);
    }
    io.err(`meetings-online: ${sanitise(error instanceof Error ? error.message : String(error))}`);
    return EXIT.failure;
  } finally {
    await stopMock?.();
  }
}

/** The signals that end the CLI, each with the exit code a shell shows for it (128 + its number). */
const STOP_SIGNALS = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated, SIGHUP: EXIT.hangup } as const;

/**
 * Runs the CLI as a process: ends quietly when the reader of stdout goes (`| head -1`); a failed write (a full disk)
 * is a message and exit 1; Ctrl-C, SIGTERM and SIGHUP end the run (a second one ends the process at once), and the
 * terminal is given back however it ends (the watch's own 'exit' handler).
 */
export function main(): void {
  const stop = new AbortController();
  let outputGone = false;
  /** Ends the run with `code` unless it is already ending; says whether this call ended it. */
  const end = (code: number, reason: string) => {
    if (stop.signal.aborted) return false;
    process.exitCode = code;
    stop.abort(new Error(reason));
    return true;
  };
  const err = (text: string) => console.error(text);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    outputGone = true;
    if (error.code === 'EPIPE') end(EXIT.ok, 'stdout closed');
    else if (end(EXIT.failure, 'cannot write the output'))
      err(`meetings-online: cannot write the output: ${sanitise(error.message)}`);
  });
  for (const [signal, code] of Object.entries(STOP_SIGNALS)) {
    process.on(signal, () => {
      if (!end(code, `stopped by ${signal}`)) process.exit(code); // asked twice: the run is taking too long to end
    });
  }
  // Not expected; but a crash must still give the terminal back, which process.exit does through 'exit'.
  process.on('uncaughtException', (error) => {
    err(`meetings-online: ${sanitise(error instanceof Error ? error.message : String(error))}`);
    process.exit(EXIT.failure);
  });
  const out = (text: string) => {
    if (!stop.signal.aborted) process.stdout.write(`${text}\n`);
  };
  // The screen is written to after an interrupt too: it must give the terminal back.
  const screen: Screen | undefined = process.stdout.isTTY
    ? {
        write: (text) => void (outputGone || process.stdout.write(text)),
        get columns() {
          return process.stdout.columns;
        },
        get rows() {
          return process.stdout.rows;
        },
        onResize: (listener) => {
          process.stdout.on('resize', listener);
          return () => void process.stdout.off('resize', listener);
        },
      }
    : undefined;
  const io: CliIO = { out, err, env: process.env, signal: stop.signal, screen, errIsTerminal: process.stderr.isTTY };
  run(process.argv.slice(2), io).then((code) => {
    if (!stop.signal.aborted) process.exitCode = code;
  });
}

const invokedDirectly =
  process.argv[1] !== undefined && /(meetings-online|cli[\\/]main\.[cm]?[jt]s|cli\.[cm]?js)$/.test(process.argv[1]);
if (invokedDirectly) main();
