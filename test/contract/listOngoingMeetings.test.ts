import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, inject, it } from 'vitest';
import {
  createMeetingClient,
  MeetingHttpError,
  type ConferenceInfo,
  type OngoingMeetingsPage,
} from '../../src/index.js';
import { repoRoot } from '../support/paths.js';
import { documentedErrors, seedExampleValue } from '../support/spec.js';

const baseUrl = inject('prismUrl');
const token = 'contract-test-token-3f9a';
const seed = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/seed-response.json'), 'utf8'));

/** A fetch that asks Prism for a given status with its `Prefer` header and records the URLs sent. */
function recordingFetch(prefer?: string) {
  const urls: URL[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    urls.push(new URL(request.url));
    if (prefer) request.headers.set('Prefer', prefer);
    return fetch(request);
  };
  return { urls, fetchFn };
}

describe('listOngoingMeetings against the Prism mock of the spec', () => {
  it('returns the typed page that equals the spec example, which is the seed page', async () => {
    const client = createMeetingClient({ baseUrl, token });
    const page = await client.listOngoingMeetings();
    expectTypeOf(page).toEqualTypeOf<OngoingMeetingsPage>();
    expectTypeOf(page.data).toEqualTypeOf<ConferenceInfo[]>();
    expect(page).toEqual(seedExampleValue());
    expect(page).toEqual(seed);
    expect(page.data[0]?.terminlCount).toBe(0);
  });

  it('sends every query parameter and Prism accepts them', async () => {
    const { urls, fetchFn } = recordingFetch();
    const client = createMeetingClient({ baseUrl, token, fetch: fetchFn });
    const query = {
      offset: 3,
      limit: 500,
      queryAll: true,
      searchKey: 'weekly & sync #1',
      userUUID: 'ff808081699b56cb0169be103500012b',
    };
    const page = await client.listOngoingMeetings(query);
    expect(page.count).toBe(seed.count);
    const sent = Object.fromEntries(urls[0]!.searchParams);
    expect(sent).toEqual({
      offset: '3',
      limit: '500',
      queryAll: 'true',
      searchKey: 'weekly & sync #1',
      userUUID: query.userUUID,
    });
  });

  it('accepts the deprecated headers through client.raw', async () => {
    const client = createMeetingClient({ baseUrl, token });
    const { data, error, response } = await client.raw.GET('/v1/mmc/management/conferences/online', {
      params: { header: { 'X-Authorization-Type': 'thirdparty', 'X-Site-Id': 'site-01' } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.count).toBe(seed.count);
  });

  it("surfaces a missing token as an http error with status 401 and Huawei's error body", async () => {
    const client = createMeetingClient({ baseUrl });
    const error = await client.listOngoingMeetings().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingHttpError);
    const http = error as MeetingHttpError;
    expect(http.kind).toBe('http');
    expect(http.status).toBe(401);
    const documented401 = documentedErrors().find((e) => e.status === 401)!;
    expect(http.errorCode).toBe(documented401.example.error_code);
    expect(http.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  for (const { status, example } of documentedErrors()) {
    it(`surfaces the documented ${status} with its error body`, async () => {
      const { fetchFn } = recordingFetch(`code=${status}`);
      const client = createMeetingClient({ baseUrl, token, fetch: fetchFn });
      const error = (await client.listOngoingMeetings().catch((e: unknown) => e)) as MeetingHttpError;
      expect(error).toBeInstanceOf(MeetingHttpError);
      expect({ kind: error.kind, status: error.status, errorCode: error.errorCode, errorMsg: error.errorMsg }).toEqual({
        kind: 'http',
        status,
        errorCode: example.error_code,
        errorMsg: example.error_msg,
      });
      expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(error.message).not.toContain(token);
    });
  }

  it("gets Huawei's 400 naming the parameter for limit=501 sent raw, past the client's own check", async () => {
    const client = createMeetingClient({ baseUrl, token });
    const { error, response } = await client.raw.GET('/v1/mmc/management/conferences/online', {
      params: { query: { limit: 501 } },
    });
    expect(response.status).toBe(400);
    expect(error).toEqual({
      error_code: 'MOCK.INVALID_PARAMETER',
      error_msg: 'limit must be an integer from 1 to 500, got 501',
    });
  });
});
