// The client in the hands of a careless or hostile caller: untyped JS, prototype keys, tokens that cannot be
// headers or never come, numbers past the timer range, misspelt options, a shared signal. Each ends in kind
// 'input' with nothing sent, or in the right kind within its deadline, with no secret shown.
import { inspect } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { appIdAuth, createMeetingClient, MeetingInputError, type MeetingClientOptions } from '../../src/index.js';
import { sendJson, useScriptedServer } from '../support/scripted-server.js';

const TOKEN = 'caller-token-6a0f93c1';
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const thrownBy = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};
const emptyPage = { data: [], offset: 0, limit: 20, count: 0 };
const never = () => new Promise<string>(() => undefined);

const scripted = useScriptedServer();
const server = () => scripted.current;
beforeEach(() => {
  server().handle = (_req, res) => sendJson(res, 200, emptyPage);
});

const client = (options: MeetingClientOptions = {}) =>
  createMeetingClient({ baseUrl: server().url, token: TOKEN, retryBaseDelayMs: 1, ...options });

describe('a token function that never settles', () => {
  it('fails with kind timeout at the deadline, which covers getting the token', async () => {
    const started = Date.now();
    const error = await errorOf(client({ token: never, timeoutMs: 200 }).listOngoingMeetings());
    expect(error).toMatchObject({
      kind: 'timeout',
      timeoutMs: 200,
      message: 'listOngoingMeetings timed out after 200 ms waiting for the token',
    });
    expect(Date.now() - started).toBeLessThan(10_000); // not the 30 s default timeout: a loaded machine's margin
    expect(server().requests).toHaveLength(0);
  });

  it("ends at once with the caller's reason when the caller aborts", async () => {
    const controller = new AbortController();
    const reason = new Error('stop now');
    setTimeout(() => controller.abort(reason), 50);
    const started = Date.now();
    expect(await errorOf(client({ token: never }).listOngoingMeetings({}, { signal: controller.signal }))).toBe(reason);
    expect(Date.now() - started).toBeLessThan(10_000); // not the 30 s default timeout: a loaded machine's margin
  });

  it("ends an aborted walk at once with the caller's reason", async () => {
    const controller = new AbortController();
    const reason = new Error('walk aborted');
    setTimeout(() => controller.abort(reason), 50);
    const walk = async () => {
      for await (const _ of client({ token: never }).ongoingMeetings({}, { signal: controller.signal, concurrency: 4 }))
        void _;
    };
    expect(await errorOf(walk())).toBe(reason);
  });

  it('hands the token function a signal that aborts at the deadline', async () => {
    let seen: AbortSignal | undefined;
    const token = ({ signal }: { signal?: AbortSignal }) => {
      seen = signal;
      return never();
    };
    await errorOf(client({ token, timeoutMs: 100 }).listOngoingMeetings());
    expect(seen?.aborted).toBe(true);
  });

  it('turns a token function that throws synchronously into kind input, without sending', async () => {
    const error = await errorOf(
      client({
        token: () => {
          throw new Error('vault refused');
        },
      }).listOngoingMeetings(),
    );
    expect(error).toMatchObject({
      kind: 'input',
      parameter: 'token',
      message: 'listOngoingMeetings: the token function failed: vault refused',
    });
    expect(server().requests).toHaveLength(0);
  });
});

describe('a custom fetch whose error carries the request', () => {
  it('keeps the token out of util.inspect(error): causes are rebuilt, not attached', async () => {
    const leakyFetch: typeof fetch = async (input, init) => {
      const error = new TypeError('fetch failed') as TypeError & { request?: unknown; code?: string };
      error.request = { url: String(input), headers: Object.fromEntries(new Headers(init?.headers)) };
      error.code = 'ECONNRESET';
      throw error;
    };
    const error = await errorOf(client({ fetch: leakyFetch, retries: 0 }).listOngoingMeetings());
    expect(error).toMatchObject({ kind: 'network', cause: { code: 'ECONNRESET', message: 'fetch failed' } });
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 20, showHidden: true })])
      expect(text).not.toContain(TOKEN);
  });
});

describe('prototype keys and inherited values', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'])(
    'refuses the query parameter %s, sending nothing',
    async (name) => {
      const error = await errorOf(client().listOngoingMeetings({ [name]: 'x' } as never));
      expect(error).toMatchObject({
        kind: 'input',
        parameter: name,
        message: expect.stringContaining(`unknown query parameter "${name}"`),
      });
      expect(server().requests).toHaveLength(0);
    },
  );

  it('sends only own, checked parameters: an inherited limit of 9999 is not sent', async () => {
    await client().listOngoingMeetings(Object.create({ limit: 9999 }) as never);
    expect(server().requests[0]!.url.searchParams.has('limit')).toBe(false);
    await client().listOngoingMeetings(Object.assign(Object.create({ limit: 9999 }), { offset: 3 }) as never);
    expect(Object.fromEntries(server().requests[1]!.url.searchParams)).toEqual({ offset: '3' });
  });

  it('ignores inherited options (a polluted prototype cannot set the timeout or the server)', async () => {
    const options = Object.assign(Object.create({ timeoutMs: 1, baseUrl: 'https://attacker.example' }), {
      baseUrl: server().url,
      token: TOKEN,
    });
    await expect(createMeetingClient(options).listOngoingMeetings()).resolves.toEqual(emptyPage);
  });

  it('refuses a query that is not an object', async () => {
    for (const query of [null, 'limit=5', [1, 2], 42]) {
      expect(await errorOf(client().listOngoingMeetings(query as never))).toMatchObject({ kind: 'input' });
    }
    expect(server().requests).toHaveLength(0);
  });

  it('refuses a lone surrogate in searchKey (it cannot be percent-encoded) as kind input', async () => {
    expect(await errorOf(client().listOngoingMeetings({ searchKey: 'a\uD800b' }))).toMatchObject({
      kind: 'input',
      parameter: 'searchKey',
    });
    expect(server().requests).toHaveLength(0);
  });
});

describe('tokens that cannot be a header', () => {
  const bad = [
    ['CR LF inside', 'tok\r\nX-Injected: 1'],
    ['a NUL', 'tok\u0000en'],
    ['a non-Latin-1 character', 'tök€n'],
    ['only whitespace', ' \n '],
  ] as const;

  it.each(bad)('refuses a token string with %s at construction, as kind input, without echoing it', (_name, token) => {
    const error = thrownBy(() => client({ token }));
    expect(error).toBeInstanceOf(MeetingInputError);
    expect(error).toMatchObject({ kind: 'input', parameter: 'token', operation: 'createMeetingClient' });
    if (token.trim()) expect((error as Error).message).not.toContain(token);
  });

  it.each(bad)(
    'refuses a token function result with %s as kind input, sending nothing and retrying nothing',
    async (_name, token) => {
      const error = await errorOf(client({ token: async () => token }).listOngoingMeetings());
      expect(error).toMatchObject({ kind: 'input', parameter: 'token', attempts: 0 });
      if (token.trim())
        for (const text of [String(error), inspect(error, { depth: 10 })]) expect(text).not.toContain(token);
      expect(server().requests).toHaveLength(0);
    },
  );

  it('trims a token read from a file with its trailing newline, and sends it', async () => {
    await client({ token: `${TOKEN}\n` }).listOngoingMeetings();
    expect(server().requests[0]!.headers['x-access-token']).toBe(TOKEN);
  });
});

describe('numbers past what timers can hold', () => {
  it.each([
    ['timeoutMs', 3e9],
    ['timeoutMs', Number.NaN],
    ['timeoutMs', Number.POSITIVE_INFINITY],
    ['timeoutMs', '1000'],
    ['retryMaxDelayMs', 2 ** 31],
    ['retryBaseDelayMs', 1.5],
    ['retries', 1e9],
    ['maxResponseBytes', 0],
  ] as const)('refuses %s: %s with what is allowed', (name, value) => {
    const error = thrownBy(() => client({ [name]: value } as MeetingClientOptions));
    expect(error).toMatchObject({
      kind: 'input',
      parameter: name,
      message: expect.stringMatching(
        new RegExp(`^createMeetingClient: ${name} must be a whole number from \\d+ to \\d+`),
      ),
    });
  });

  it('accepts the largest timer there is', () => {
    expect(() => client({ timeoutMs: 2_147_483_647, retryMaxDelayMs: 2_147_483_647 })).not.toThrow();
  });
});

describe('misspelt and unknown options', () => {
  it.each([
    ['timeOutMs', 'timeoutMs'],
    ['baseURL', 'baseUrl'],
    ['retires', 'retries'],
    ['validateResponse', 'validateResponses'],
    ['maxResponseSize', 'maxResponseBytes'],
    ['proxy', undefined],
  ])('refuses %s, naming the closest valid option', (name, closest) => {
    const error = thrownBy(() => createMeetingClient({ token: TOKEN, [name]: 1 } as MeetingClientOptions));
    expect(error).toBeInstanceOf(MeetingInputError);
    expect(error).toMatchObject({ parameter: name });
    expect((error as Error).message).toContain(
      closest
        ? `unknown option "${name}"; did you mean "${closest}"?`
        : `unknown option "${name}" (options: token, baseUrl`,
    );
  });

  it('sends nothing to the production host when baseURL is misspelt', async () => {
    let calls = 0;
    const spy: typeof fetch = async () => {
      calls++;
      return new Response('{}');
    };
    expect(
      thrownBy(() => createMeetingClient({ token: TOKEN, baseURL: server().url, fetch: spy } as MeetingClientOptions)),
    ).toBeInstanceOf(MeetingInputError);
    expect(calls).toBe(0);
  });

  it('refuses bad options of every function with the same error type', async () => {
    const c = client();
    const cases: [string, () => unknown][] = [
      // A walk or a watch is named by the method called, not by the operation its requests send.
      ['ongoingMeetings', () => c.ongoingMeetings({}, { pagesize: 5 } as never)],
      ['ongoingMeetingPages', () => c.ongoingMeetingPages({ limit: 5 } as never)],
      ['watchOngoingMeetings', () => c.watchOngoingMeetings({}, { intervalMS: 1000 } as never)],
      ['watchOngoingMeetings', () => c.watchOngoingMeetings({ searchKey: '' })],
      ['listOngoingMeetings', () => c.listOngoingMeetings({}, { signal: 'stop' } as never)],
      ['listOngoingMeetings', () => c.listOngoingMeetings({}, { sginal: new AbortController().signal } as never)],
      ['appIdAuth', () => appIdAuth({ appId: 'a', appKey: 'k', timeoutMs: -1 })],
      ['createMeetingClient', () => createMeetingClient(null as never)],
      ['createMeetingClient', () => createMeetingClient({ onRetry: 'yes' } as never)],
    ];
    for (const [operation, call] of cases) {
      // A synchronous throw, or a rejection of the promise returned: called once either way.
      let returned: unknown;
      let error = thrownBy(() => (returned = call()));
      if (error === undefined && returned instanceof Promise) error = await errorOf(returned);
      expect(error, operation).toBeInstanceOf(MeetingInputError);
      expect(error).toMatchObject({ kind: 'input', operation });
    }
    expect(server().requests).toHaveLength(0);
  });
});

describe('a base URL with credentials', () => {
  it('refuses user:password@ at construction without printing the password', () => {
    const error = thrownBy(() =>
      createMeetingClient({ baseUrl: 'https://alice:s3cr3t-pw@api.meeting.huaweicloud.com' }),
    );
    expect(error).toMatchObject({
      kind: 'input',
      parameter: 'baseUrl',
      message: expect.stringContaining('must not hold a user name or password'),
    });
    for (const text of [String(error), JSON.stringify(error), inspect(error)]) expect(text).not.toContain('s3cr3t-pw');
    expect(() => appIdAuth({ appId: 'a', appKey: 'k', baseUrl: 'https://bob:pw@x.example' })).toThrow(
      /must not hold a user name or password/,
    );
  });
});

describe('many requests sharing one signal', () => {
  it('prints no MaxListenersExceededWarning, for calls and for walks', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const c = client({ retryBaseDelayMs: 100 });
      // Each call's first answer is a 503, so that all of them wait out a backoff at the same time. The 503s are
      // held until all 30 first attempts have arrived: answered as they came, a slow machine could let one call's
      // retries come before another's first attempt, and that call would use up its attempts on 503s.
      const held: (() => void)[] = [];
      server().handle = (_req, res) => {
        if (held.length === 30) return sendJson(res, 200, emptyPage);
        held.push(() => sendJson(res, 503, { error_code: 'X', error_msg: 'busy' }));
        if (held.length === 30) for (const answer of held) answer();
      };
      await Promise.all(Array.from({ length: 30 }, () => c.listOngoingMeetings({}, { signal: controller.signal })));
      server().handle = (_req, res) => sendJson(res, 200, emptyPage);
      await Promise.all(
        Array.from({ length: 15 }, async () => {
          for await (const _ of c.ongoingMeetings({}, { signal: controller.signal })) void _;
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 20)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  });
});
