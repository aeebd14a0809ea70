#!/usr/bin/env node
// meetings-online: lists Huawei Cloud Meeting's ongoing meetings from a terminal.
import { parseArgs } from 'node:util';
import { specFacts } from '../../generated/spec-facts.js';
import { createMeetingClient, MeetingClientError, type ConferenceInfo, type OngoingMeetingsQuery } from '../index.js';
import { CLIENT_NAME, CLIENT_VERSION } from '../version.js';
import { renderTable } from './table.js';

export const EXIT = { ok: 0, failure: 1, usage: 2, auth: 3, http: 4, network: 5, response: 6 } as const;

const USAGE = `Usage: meetings-online [options]

Lists the ongoing meetings of Huawei Cloud Meeting (GET ${specFacts.operations.listOngoingMeetings.path}).

Connection
  --base-url URL       API server (env MEETING_BASE_URL; default ${specFacts.servers[0]})
  --token TOKEN        access token (env MEETING_TOKEN; prefer the variable: flags show up in ps)
  --timeout MS         per-attempt timeout (default 30000)
  --retries N          retries of 408/429/5xx and network errors (default 2)
Query
  --offset N           first meeting (${rangeOf('offset')})
  --limit N            meetings per page (${rangeOf('limit')})
  --query-all          every meeting of the enterprise (administrators)
  --search-key TEXT    topic, scheduler or meeting ID (${rangeOf('searchKey')})
  --user-uuid UUID     deprecated by Huawei
Paging
  --all                page through every meeting
  --page-size N        with --all (default ${specFacts.operations.listOngoingMeetings.query.limit.maximum})
  --concurrency N      with --all: pages in flight (default 1)
  --max-items N        with --all: stop after N meetings
Output
  --json               JSON: the page, or with --all an array of meetings
  --ndjson             one meeting per line as JSON
  -h, --help           this text
  -v, --version        the version

With neither --base-url nor a token, it starts the stateful mock (needs @stoplight/prism-cli) and lists
from it as the mock's administrator: a demo that needs no account.

Exit codes: 0 ok, 2 bad usage or input, 3 authentication or permission (401/403), 4 other HTTP error,
5 network error or timeout, 6 unexpected response, 1 anything else.`;

function rangeOf(name: 'offset' | 'limit' | 'searchKey'): string {
  const schema = specFacts.operations.listOngoingMeetings.query[name] as { minimum?: number; maximum?: number; minLength?: number; maxLength?: number };
  if (schema.minLength !== undefined) return `${schema.minLength}–${schema.maxLength} characters`;
  return `${schema.minimum}–${schema.maximum}`;
}

class UsageError extends Error {}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${flag} takes a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'base-url': { type: 'string' },
        token: { type: 'string' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        offset: { type: 'string' },
        limit: { type: 'string' },
        'query-all': { type: 'boolean' },
        'search-key': { type: 'string' },
        'user-uuid': { type: 'string' },
        all: { type: 'boolean' },
        'page-size': { type: 'string' },
        concurrency: { type: 'string' },
        'max-items': { type: 'string' },
        json: { type: 'boolean' },
        ndjson: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }).values;
  } catch (error) {
    io.err(`meetings-online: ${(error as Error).message}\nRun meetings-online --help for the options.`);
    return EXIT.usage;
  }
  if (args.help) return io.out(USAGE), EXIT.ok;
  if (args.version) return io.out(`${CLIENT_NAME} ${CLIENT_VERSION}`), EXIT.ok;

  let stopMock: (() => Promise<void>) | undefined;
  try {
    if (args.json && args.ndjson) throw new UsageError('choose one of --json and --ndjson');
    if (!args.all && (args['page-size'] || args.concurrency || args['max-items'])) {
      throw new UsageError('--page-size, --concurrency and --max-items go with --all');
    }
    if (args.all && (args.limit || args.offset)) {
      throw new UsageError('--all pages by itself: use --page-size instead of --limit, and leave out --offset');
    }
    let baseUrl = args['base-url'] ?? io.env.MEETING_BASE_URL;
    let token = args.token ?? io.env.MEETING_TOKEN;
    if (baseUrl === undefined && token === undefined) {
      const { startMockServer } = await import('../mock/index.js');
      const mock = await startMockServer({ stateful: true });
      stopMock = mock.close;
      baseUrl = mock.url;
      token = mock.tokens.admin;
      io.err(`No --base-url or token given: started the stateful mock at ${mock.url}, listing as its administrator.`);
    }
    if (!token) throw new UsageError('no access token: set MEETING_TOKEN (or pass --token)');

    const query: OngoingMeetingsQuery = {};
    const offset = integer('offset', args.offset);
    const limit = integer('limit', args.limit);
    if (offset !== undefined) query.offset = offset;
    if (limit !== undefined) query.limit = limit;
    if (args['query-all']) query.queryAll = true;
    if (args['search-key'] !== undefined) query.searchKey = args['search-key'];
    if (args['user-uuid'] !== undefined) query.userUUID = args['user-uuid'];
    const timeoutMs = integer('timeout', args.timeout);
    const retries = integer('retries', args.retries);
    const client = createMeetingClient({
      token,
      ...(baseUrl !== undefined ? { baseUrl } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(retries !== undefined ? { retries } : {}),
    });

    const print = (meetings: ConferenceInfo[]) => {
      if (args.ndjson) meetings.forEach((m) => io.out(JSON.stringify(m)));
    };
    if (args.all) {
      const pageSize = integer('page-size', args['page-size']);
      const concurrency = integer('concurrency', args.concurrency);
      const maxItems = integer('max-items', args['max-items']);
      const collected: ConferenceInfo[] = [];
      for await (const page of client.ongoingMeetingPages(query, {
        ...(pageSize !== undefined ? { pageSize } : {}),
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(maxItems !== undefined ? { maxItems } : {}),
      })) {
        print(page.data); // NDJSON streams page by page; the other formats need the whole list
        if (!args.ndjson) collected.push(...page.data);
      }
      if (args.json) io.out(JSON.stringify(collected, null, 2));
      else if (!args.ndjson) io.out(`${renderTable(collected)}\n\n${collected.length} ongoing meeting(s)`);
    } else {
      const page = await client.listOngoingMeetings(query);
      print(page.data);
      if (args.json) io.out(JSON.stringify(page, null, 2));
      else if (!args.ndjson) io.out(`${renderTable(page.data)}\n\n${page.data.length} of ${page.count} ongoing meeting(s) from offset ${page.offset}`);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`meetings-online: ${error.message}\nRun meetings-online --help for the options.`);
      return EXIT.usage;
    }
    if (error instanceof MeetingClientError) {
      io.err(`meetings-online: ${error.message}${'requestId' in error && error.requestId ? ` (request ID ${String(error.requestId)})` : ''}`);
      if (error.kind === 'input') return EXIT.usage;
      if (error.kind === 'http') return [401, 403].includes((error as MeetingClientError & { status: number }).status) ? EXIT.auth : EXIT.http;
      if (error.kind === 'network' || error.kind === 'timeout') return EXIT.network;
      return EXIT.response;
    }
    if (error instanceof TypeError) {
      io.err(`meetings-online: ${error.message}`);
      return EXIT.usage;
    }
    io.err(`meetings-online: ${(error as Error)?.message ?? String(error)}`);
    return EXIT.failure;
  } finally {
    await stopMock?.();
  }
}

const invokedDirectly = process.argv[1] !== undefined && /(meetings-online|cli[\\/]main\.[cm]?[jt]s|cli\.[cm]?js)$/.test(process.argv[1]);
if (invokedDirectly) {
  run(process.argv.slice(2), { out: (t) => console.log(t), err: (t) => console.error(t), env: process.env }).then((code) => {
    process.exitCode = code;
  });
}
