import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMeetingClient, MeetingResponseError, type OngoingMeetingsPage } from '../../src/index.js';
import { arbitraryFor, schemaNamed, wrongTypeFor } from '../support/arbitraries.js';
import { fakeFetch, jsonResponse } from './fake-fetch.js';

const seed = Number(process.env.FC_SEED ?? 20261126);
const runs = Number(process.env.FC_RUNS ?? 150);
const pageArbitrary = arbitraryFor(schemaNamed('OngoingMeetingsPage')) as fc.Arbitrary<OngoingMeetingsPage>;
const clientServing = (body: unknown) =>
  createMeetingClient({
    token: 't',
    validateResponses: true,
    retries: 0,
    fetch: fakeFetch(() => jsonResponse(body)).fetch,
  });

describe('response fuzzing from the spec (validateResponses)', () => {
  it('accepts every page generated from the spec and returns it unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(pageArbitrary, async (page) => {
        expect(await clientServing(page).listOngoingMeetings()).toEqual(page);
      }),
      { numRuns: runs, seed },
    );
  });

  it('rejects, with kind response, every page in which one meeting field has the wrong type', async () => {
    const fields = Object.entries<Record<string, unknown>>(schemaNamed('ConferenceInfo').properties);
    const broken = fc
      .tuple(
        pageArbitrary.filter((p) => p.data.length > 0),
        fc.constantFrom(...fields),
        fc.nat(),
      )
      .map(([page, [field, schema], pick]) => {
        const data = page.data.map((m) => ({ ...m }));
        (data[pick % data.length] as Record<string, unknown>)[field] = wrongTypeFor(schema);
        return { page: { ...page, data }, field };
      });
    await fc.assert(
      fc.asyncProperty(broken, async ({ page, field }) => {
        const error = await clientServing(page)
          .listOngoingMeetings()
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MeetingResponseError);
        expect((error as Error).message).toContain(field);
      }),
      { numRuns: runs, seed },
    );
  });

  it('leaves pages alone when validation is off, as long as they have the page shape', async () => {
    await fc.assert(
      fc.asyncProperty(pageArbitrary, async (page) => {
        const broken = { ...page, data: page.data.map((m) => ({ ...m, isAutoMute: 'yes' })) };
        const client = createMeetingClient({ token: 't', fetch: fakeFetch(() => jsonResponse(broken)).fetch });
        expect(await client.listOngoingMeetings()).toEqual(broken);
      }),
      { numRuns: 30, seed },
    );
  });
});
