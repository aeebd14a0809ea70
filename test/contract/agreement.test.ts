// The client's input checks, the spec and the mock agree: for random queries, valid and invalid, the client
// refuses exactly what Prism (validating against the same spec) refuses; and what the client accepts reaches
// a server exactly as asked.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { createMeetingClient, MeetingInputError, type OngoingMeetingsQuery } from '../../src/index.js';
import type { SpecQuery } from '../../src/types.js';
import { sendJson, startScriptedServer, type ScriptedServer } from '../support/scripted-server.js';

const schemas = specFacts.operations.listOngoingMeetings.query as Record<
  string,
  { type: string; minimum?: number; maximum?: number; minLength?: number; maxLength?: number }
>;
const seed = Number(process.env.FC_SEED ?? 20261126);
const runs = Number(process.env.FC_RUNS ?? 1000);

/** Characters that URLs reserve or mangle, and text beyond ASCII. */
const tricky = fc.constantFrom(
  '&',
  '=',
  '#',
  '%',
  '+',
  ' ',
  '?',
  '/',
  '😀',
  '会',
  'é',
  '%20',
  '\u200d',
  '"',
  "'",
  '<',
  '[',
  '\\',
);
const textOf = (length: number) =>
  fc
    .array(fc.oneof(tricky, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })), {
      minLength: length,
      maxLength: length,
    })
    .map((parts) => parts.join(''))
    .filter((s) => [...s].length === length);

/**
 * Values for one parameter, derived from its schema: inside, on and just outside each bound, and of other
 * types where the wire shows the difference (`abc` for an integer, `yes` for a boolean). A number given for
 * a string parameter is refused by the client's type check but is a valid string on the wire, so it is not
 * generated here: that strictness is the client's own (see test/unit/query.test.ts).
 */
function valuesFor(schema: (typeof schemas)[string]): fc.Arbitrary<unknown> {
  if (schema.type === 'integer') {
    const min = schema.minimum ?? -(2 ** 31);
    const max = schema.maximum ?? 2 ** 31 - 1;
    return fc.oneof(
      fc.integer({ min, max }),
      fc.constantFrom(min, max, min - 1, max + 1, 2 ** 53, -(2 ** 53)),
      fc.double({ noNaN: false, noDefaultInfinity: false }).filter((n) => !Number.isInteger(n)),
      fc.constantFrom('abc', 'ten'),
    );
  }
  if (schema.type === 'boolean') return fc.oneof(fc.boolean(), fc.constantFrom('yes', 'maybe'));
  const lengths = [0, 1, schema.minLength ?? 1, schema.maxLength ?? 128, (schema.maxLength ?? 128) + 1, 7].filter(
    (n) => n >= 0,
  );
  return fc.constantFrom(...lengths).chain(textOf);
}

/** Values the schema accepts: for the round trip. */
function validValuesFor(schema: (typeof schemas)[string]): fc.Arbitrary<unknown> {
  if (schema.type === 'integer')
    return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 - 1 });
  if (schema.type === 'boolean') return fc.boolean();
  return fc.integer({ min: Math.max(1, schema.minLength ?? 1), max: schema.maxLength ?? 128 }).chain(textOf);
}

const queryArbitrary = fc.record(
  Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, valuesFor(schema)])) as Record<
    string,
    fc.Arbitrary<unknown>
  >,
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, unknown>>;

describe('client ⇔ spec ⇔ mock', () => {
  const client = createMeetingClient({ baseUrl: inject('prismUrl'), token: 'agreement-token', retries: 0 });
  // The client's verdict is its own, made before sending: a client whose fetch answers locally asks no server.
  const offline = createMeetingClient({
    baseUrl: inject('prismUrl'),
    token: 'agreement-token',
    fetch: async () => new Response(JSON.stringify({ data: [], offset: 0, limit: 20, count: 0 }), { status: 200 }),
  });
  const clientVerdict = async (query: Record<string, unknown>) => {
    const error = await offline.listOngoingMeetings(query as OngoingMeetingsQuery).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (error && !(error instanceof MeetingInputError)) throw error;
    return error === undefined ? 'accept' : 'refuse';
  };
  const prismVerdict = async (query: Record<string, unknown>) => {
    const { response } = await client.raw.GET('/v1/mmc/management/conferences/online', {
      params: { query: query as SpecQuery },
    });
    if (![200, 400].includes(response.status)) throw new Error(`Prism answered ${response.status}`);
    return response.status === 200 ? 'accept' : 'refuse';
  };

  it(`refuses exactly what Prism refuses, over ${runs} random queries`, async () => {
    // Sampled with the seed, then checked 16 at a time: Prism answers in parallel, the property stays the same.
    const queries = fc.sample(queryArbitrary, { numRuns: runs, seed });
    const disagreements: string[] = [];
    let refused = 0;
    for (let i = 0; i < queries.length; i += 16) {
      await Promise.all(
        queries.slice(i, i + 16).map(async (query) => {
          const [ours, prisms] = await Promise.all([clientVerdict(query), prismVerdict(query)]);
          if (ours === 'refuse') refused++;
          if (ours !== prisms) disagreements.push(`${JSON.stringify(query)}: client ${ours}s, Prism ${prisms}s`);
        }),
      );
    }
    expect(disagreements).toEqual([]);
    // Both verdicts must actually occur, or the property proves little.
    expect(refused).toBeGreaterThan(runs / 10);
    expect(refused).toBeLessThan(runs);
  }, 120_000);

  it('agrees with the mock on an empty searchKey (the spec says 1 to 128 characters): both refuse', async () => {
    expect(await clientVerdict({ searchKey: '' })).toBe('refuse');
    expect(await prismVerdict({ searchKey: '' })).toBe('refuse');
  });
});

describe('what the client accepts reaches the server exactly as asked', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
    server.handle = (_req, res) => sendJson(res, 200, { data: [], offset: 0, limit: 20, count: 0 });
  });
  afterAll(() => server.close());

  it('round-trips every accepted query, reserved characters and emoji included', async () => {
    const client = createMeetingClient({ baseUrl: server.url, token: 't', retries: 0 });
    const accepted = fc.record(
      Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, validValuesFor(schema)])) as Record<
        string,
        fc.Arbitrary<unknown>
      >,
      { requiredKeys: [] },
    );
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(accepted, async (query) => {
        server.requests.length = 0;
        const ok = await client.listOngoingMeetings(query as OngoingMeetingsQuery).then(
          () => true,
          (e: unknown) => (e instanceof MeetingInputError ? false : Promise.reject(e)),
        );
        if (!ok) return;
        checked++;
        const received = Object.fromEntries(server.requests[0]!.url.searchParams);
        const asked = Object.fromEntries(
          Object.entries(query)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, String(v)]),
        );
        expect(received).toEqual(asked);
      }),
      { numRuns: runs, seed },
    );
    expect(checked).toBe(runs);
  }, 120_000);

  it('sends a searchKey of &, =, #, %, +, spaces and emoji intact', async () => {
    const client = createMeetingClient({ baseUrl: server.url, token: 't' });
    const searchKey = 'a&b=c #d %e+f 😀 会议 %20+';
    server.requests.length = 0;
    await client.listOngoingMeetings({ searchKey });
    expect(server.requests[0]!.url.searchParams.get('searchKey')).toBe(searchKey);
  });
});
