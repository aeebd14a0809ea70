#!/usr/bin/env node
// meetings-online-mock: runs the spec-driven mock until Ctrl-C. `npm run mock` in this repository.
import { writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { specFacts } from '../../generated/spec-facts.js';
import { sanitise, sanitiseOwnMessage } from '../cli/sanitise.js';
import { MeetingInputError } from '../errors.js';
import { startMockServer, type MockServer, type StatefulOptions } from './index.js';
import { mockOptionTable, statefulOptionTable } from './options.js';

const USAGE = `Usage: meetings-online-mock [--port 4010] [--host 127.0.0.1] [--engine prism|in-process] [--tls]
                            [--stateful [options]]

Serves the bundled OpenAPI spec, validating every request and response; answers like Huawei.
  --port N                 port (default 4010; 0 picks a free one)
  --host ADDRESS           address (default ${mockOptionTable.host.default}; on 0.0.0.0 the URL says 127.0.0.1)
  --engine prism           Prism in a child process validates (default; needs @stoplight/prism-cli)
  --engine in-process      this process validates with the spec's schemas: no Prism, starts in milliseconds
  --tls                    https, with a certificate for 127.0.0.1, localhost and --host made at start
  --ca-file FILE           with --tls: write the certificate to trust there (curl --cacert FILE)
  (default mode)           the spec's examples; any X-Access-Token; Prefer: code=401|403|429|… picks one
  --stateful               a generated enterprise (paging, searchKey, queryAll, administrator vs user tokens,
                           App ID and account sign-in), every response validated by Prism's proxy
With --stateful:
  --meetings N             ongoing meetings (default ${statefulOptionTable.meetings.default})
  --users N                users; the first is the administrator (default ${statefulOptionTable.users.default})
  --seed N                 seed of the enterprise and of the faults (default ${statefulOptionTable.seed.default})
  --token-valid-seconds N  lifetime of signed-in tokens (default ${statefulOptionTable.tokenValidSeconds.default})
  --latency MS|MIN-MAX     delay before every answer
  --failure-rate R         share of list requests answered 500/503, 0 to 1 (seeded)
  --rate-limit N[/MS]      list requests per token per window (default window 1000 ms); more get 429
  --churn S[/E[/C]]        meetings that start (S), end (E) and change attendance (C) per minute
  -h, --help               this text
Runs until Ctrl-C, SIGTERM or SIGHUP, then exits 130, 143 or 129 (128 + the signal's number, as a shell shows it),
during start-up too; 2 for a bad option, 1 when the mock cannot start.`;

class UsageError extends Error {}
const HELP_HINT = 'Run meetings-online-mock --help for the options.';

function whole(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} takes a whole number, got ${JSON.stringify(value)}`);
  // Digits no number holds exactly would be checked, and echoed, as the number they round to.
  if (!Number.isSafeInteger(Number(value)))
    throw new UsageError(
      `--${flag} takes a whole number up to ${Number.MAX_SAFE_INTEGER}, got ${JSON.stringify(value)}`,
    );
  return Number(value);
}

/** The flags of the command line; throws on an unknown flag or a missing value. */
function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      stateful: { type: 'boolean' },
      meetings: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      'token-valid-seconds': { type: 'string' },
      latency: { type: 'string' },
      'failure-rate': { type: 'string' },
      'rate-limit': { type: 'string' },
      churn: { type: 'string' },
      engine: { type: 'string' },
      tls: { type: 'boolean' },
      'ca-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
}

/** The command line as startMockServer options; a UsageError says what is wrong. */
export function parseMockArgs(argv: string[]):
  | { help: true }
  | {
      help: false;
      port: number;
      host: string;
      stateful: false | StatefulOptions;
      engine: 'prism' | 'in-process';
      tls: boolean;
      caFile: string | undefined;
    } {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true };
  const statefulOnly = [
    'meetings',
    'users',
    'seed',
    'token-valid-seconds',
    'latency',
    'failure-rate',
    'rate-limit',
  ] as const;
  const given = statefulOnly.filter((flag) => values[flag] !== undefined);
  if (!values.stateful && given.length > 0)
    throw new UsageError(
      `${given.map((f) => `--${f}`).join(', ')} go${given.length === 1 ? 'es' : ''} with --stateful`,
    );

  const stateful: StatefulOptions = {};
  const number = (flag: (typeof statefulOnly)[number], key: 'meetings' | 'users' | 'seed' | 'tokenValidSeconds') => {
    const value = whole(flag, values[flag]);
    if (value !== undefined) stateful[key] = value;
  };
  number('meetings', 'meetings');
  number('users', 'users');
  number('seed', 'seed');
  number('token-valid-seconds', 'tokenValidSeconds');
  if (values.latency !== undefined) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(values.latency);
    if (!range)
      throw new UsageError(
        `--latency takes milliseconds (200) or a range (100-300), got ${JSON.stringify(values.latency)}`,
      );
    stateful.latencyMs = range[2] === undefined ? Number(range[1]) : [Number(range[1]), Number(range[2])];
  }
  if (values['failure-rate'] !== undefined) {
    const rate = Number(values['failure-rate']);
    if (!/^\d*\.?\d+$/.test(values['failure-rate']) || rate > 1)
      throw new UsageError(`--failure-rate takes a number from 0 to 1, got ${JSON.stringify(values['failure-rate'])}`);
    stateful.failureRate = rate;
  }
  if (values['rate-limit'] !== undefined) {
    const limit = /^(\d+)(?:\/(\d+))?$/.exec(values['rate-limit']);
    if (!limit)
      throw new UsageError(
        `--rate-limit takes N or N/MS (10/1000: ten requests a second), got ${JSON.stringify(values['rate-limit'])}`,
      );
    stateful.rateLimit = {
      requests: Number(limit[1]),
      ...(limit[2] !== undefined ? { windowMs: Number(limit[2]) } : {}),
    };
  }
  if (values.churn !== undefined) {
    const rates = /^(\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?(?:\/(\d+(?:\.\d+)?))?$/.exec(values.churn);
    if (!rates)
      throw new UsageError(
        `--churn takes starts[/ends[/changes]] per minute (6/6/30), got ${JSON.stringify(values.churn)}`,
      );
    const [, starts, ends, changes] = rates;
    stateful.churn = {
      startsPerMinute: Number(starts),
      endsPerMinute: Number(ends ?? starts),
      ...(changes !== undefined ? { changesPerMinute: Number(changes) } : {}),
    };
  }
  const engine = values.engine ?? mockOptionTable.engine.default;
  if (engine !== 'prism' && engine !== 'in-process')
    throw new UsageError(`--engine takes prism or in-process, got ${JSON.stringify(engine)}`);
  if (values['ca-file'] !== undefined && !values.tls) throw new UsageError('--ca-file goes with --tls');
  return {
    help: false,
    port: whole('port', values.port) ?? 4010,
    host: values.host ?? mockOptionTable.host.default,
    stateful: values.stateful ? stateful : false,
    engine,
    tls: values.tls ?? false,
    caFile: values['ca-file'],
  };
}

export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseMockArgs>;
  try {
    args = parseMockArgs(argv);
  } catch (error) {
    const message = sanitiseOwnMessage((error as Error).message); // parseArgs' own line breaks kept
    console.error(`meetings-online-mock: ${message}\n${USAGE.split('\n')[0]}\n${HELP_HINT}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  // SIGINT, SIGTERM or SIGHUP during start-up stops what was started; afterwards, it stops the mock; a second one
  // ends the process at once (the watchdog still ends Prism). A wrapper that dies without passing the signal on
  // (npx under a supervisor's SIGTERM) leaves this process to another parent: that stops it too.
  // The exit code says which signal ended it, 128 + its number, as the client's CLI does (130 Ctrl-C, 143 SIGTERM,
  // 129 SIGHUP); the end of the parent process counts as a hang-up.
  const interrupted = new AbortController();
  let mock: MockServer | undefined;
  let stopping = false;
  let stoppedWith = 0;
  const stop = (why: string, code: number) => {
    if (stopping) process.exit(code);
    stopping = true;
    stoppedWith = code;
    if (mock) void mock.close().then(() => process.exit(code));
    else interrupted.abort(new Error(`stopped by ${why} during start-up`));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => stop(signal, 128 + constants.signals[signal]));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('the end of its parent process', 128 + constants.signals.SIGHUP);
  }, 500).unref();
  try {
    mock = await startMockServer({
      port: args.port,
      host: args.host,
      stateful: args.stateful,
      engine: args.engine,
      tls: args.tls,
      signal: interrupted.signal,
    });
    if (args.caFile !== undefined) writeFileSync(args.caFile, mock.ca!);
  } catch (error) {
    if (interrupted.signal.aborted) {
      await mock?.close();
      return stoppedWith;
    }
    const usage = error instanceof MeetingInputError;
    console.error(`meetings-online-mock: ${sanitise((error as Error).message)}${usage ? `\n${HELP_HINT}` : ''}`);
    await mock?.close();
    return usage ? 2 : 1;
  }
  if (stopping) {
    // A signal came as it finished starting.
    await mock.close();
    return stoppedWith;
  }
  const path = specFacts.operations.listOngoingMeetings.path;
  const mode = `${args.stateful ? 'stateful' : 'examples'}, ${args.engine} engine`;
  console.log(`Mock of ${path} (${mode}) listening on ${mock.url}`);
  if (args.tls)
    console.log(
      args.caFile !== undefined
        ? `Certificate to trust: ${args.caFile} (curl --cacert ${args.caFile})`
        : `Certificate to trust (save it, then curl --cacert FILE):\n${mock.ca}`,
    );
  const curl = args.tls ? `curl --cacert ${args.caFile ?? 'FILE'}` : 'curl';
  console.log(`Try:\n  ${curl} -H 'X-Access-Token: ${mock.tokens.admin}' '${mock.url}${path}?queryAll=true&limit=5'`);
  if (args.stateful) {
    const admin = mock.users[0]!;
    const app = mock.apps[0]!;
    console.log(`Tokens: administrator ${mock.tokens.admin}, ordinary user ${mock.tokens.user}`);
    console.log(
      `Account sign-in: account ${admin.account}, password ${admin.password} ` +
        '(the administrator; user N: userNN / mock-password-N)',
    );
    console.log(`App ID sign-in: appId ${app.appId}, appKey ${app.appKey}`);
  } else {
    console.log(`  ${curl} -H 'X-Access-Token: any' -H 'Prefer: code=429' '${mock.url}${path}'`);
  }
  return -1; // keeps running until a signal
}

const invokedDirectly =
  process.argv[1] !== undefined &&
  /(meetings-online-mock|mock[\\/]serve\.[cm]?[jt]s|mock-cli\.[cm]?js)$/.test(process.argv[1]);
if (invokedDirectly) {
  void main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exit(code);
  });
}
