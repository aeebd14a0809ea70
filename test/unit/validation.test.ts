import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMeetingClient, MeetingResponseError } from '../../src/index.js';
import { CLIENT_NAME, CLIENT_VERSION } from '../../src/version.js';
import { createSpecAjv } from '../support/ajv.js';
import { repoRoot } from '../support/paths.js';
import { fakeFetch, jsonResponse } from './fake-fetch.js';

const seed = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/seed-response.json'), 'utf8'));
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const withMeeting = (patch: Record<string, unknown>) => ({ ...seed, data: [{ ...seed.data[0], ...patch }] });

/** Pages that break the spec in one field each, and pages that only look odd but are valid. */
const invalidPages: [string, unknown][] = [
  ['integer isAutoMute as boolean', withMeeting({ isAutoMute: true })],
  ['boolean confConfigInfo.isAutoMute as integer', withMeeting({ confConfigInfo: { isAutoMute: 1 } })],
  ['an RFC 3339 startTime', withMeeting({ startTime: '2019-12-18T07:28:00Z' })],
  ['an unknown conferenceState', withMeeting({ conferenceState: 'Running' })],
  ['an impossible date', withMeeting({ cycleParams: { startDate: '2023-02-29' } })],
  ['an int32 overflow', withMeeting({ size: 2 ** 31 })],
  ['a subject over 128 characters', withMeeting({ subject: '😀'.repeat(129) })],
  ['a negative count', { ...seed, count: -1 }],
];
const validPages: [string, unknown][] = [
  ['the seed page', seed],
  ['unknown extra fields', withMeeting({ isSoftTerminalAutoMute: 0, somethingNew: { x: 1 } })],
  ['a string switchTime', withMeeting({ picDisplay: { switchTime: '10' } })],
  ['an open-enum role', withMeeting({ role: 'cohost' })],
  ['a leap day', withMeeting({ cycleParams: { startDate: '2024-02-29' } })],
  ['a subject of 128 emoji', withMeeting({ subject: '😀'.repeat(128) })],
];

describe('validateResponses', () => {
  it.each(invalidPages)('rejects a page with %s as kind response', async (_label, body) => {
    const fake = fakeFetch(() => jsonResponse(body));
    const error = await errorOf(
      createMeetingClient({ token: 't', fetch: fake.fetch, validateResponses: true }).listOngoingMeetings(),
    );
    expect(error).toBeInstanceOf(MeetingResponseError);
    expect((error as Error).message).toContain('the page does not match the spec');
  });

  it.each(validPages)('accepts a page with %s', async (_label, body) => {
    const fake = fakeFetch(() => jsonResponse(body));
    await expect(
      createMeetingClient({ token: 't', fetch: fake.fetch, validateResponses: true }).listOngoingMeetings(),
    ).resolves.toEqual(body);
  });

  it('is off by default: a page that breaks the schema but has the page shape passes', async () => {
    const fake = fakeFetch(() => jsonResponse(invalidPages[0]![1]));
    await expect(createMeetingClient({ token: 't', fetch: fake.fetch }).listOngoingMeetings()).resolves.toBeDefined();
  });

  it('gives the same verdict as Ajv on the full spec (the generated code is faithful)', async () => {
    const { validateOngoingMeetingsPage } = await import('../../generated/validate-page.js');
    const reference = createSpecAjv().compile({ $ref: '#/components/schemas/OngoingMeetingsPage' });
    for (const [label, body] of [...invalidPages, ...validPages]) {
      expect(validateOngoingMeetingsPage(body), label).toBe(reference(body));
    }
  });
});

describe('version', () => {
  it('names the package as package.json does', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect([CLIENT_NAME, CLIENT_VERSION]).toEqual([pkg.name, pkg.version]);
  });
});
