// Two copies of the package in one process, as the ESM and the CommonJS build are when both get loaded (the
// dual-package hazard): each recognises the other's errors with instanceof, and reads the other's page metadata.
import { describe, expect, it, vi } from 'vitest';
import * as first from '../../src/index.js';
import { fakeFetch, jsonResponse, page } from './fake-fetch.js';

async function secondCopy(): Promise<typeof first> {
  vi.resetModules();
  return (await import('../../src/index.js')) as typeof first;
}

describe('two copies of the package in one process', () => {
  it('are two copies (else this test proves nothing)', async () => {
    expect((await secondCopy()).MeetingHttpError).not.toBe(first.MeetingHttpError);
  });

  it("recognise each other's errors with instanceof, each class for its own kind only", async () => {
    const second = await secondCopy();
    const fake = fakeFetch(() => jsonResponse({ error_code: 'MMC.1', error_msg: 'no' }, 403));
    const error = await second
      .createMeetingClient({ token: 'tok-1', fetch: fake.fetch })
      .listOngoingMeetings()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(second.MeetingHttpError);
    expect(error instanceof first.MeetingClientError).toBe(true);
    expect(error instanceof first.MeetingHttpError).toBe(true);
    expect(error instanceof first.MeetingInputError).toBe(false);
    expect(error instanceof Error).toBe(true);
    expect({ kind: 'http' } instanceof first.MeetingClientError).toBe(false);
    expect(Object.keys(error as object)).not.toContain('brandKind');
    expect(JSON.stringify(error)).not.toContain('huawei-meeting-online-client.error');
  });

  it("read each other's page metadata", async () => {
    const second = await secondCopy();
    const fake = fakeFetch(() => jsonResponse(page(), 200, { 'X-Request-Id': 'req-2' }));
    const result = await second.createMeetingClient({ token: 'tok-1', fetch: fake.fetch }).listOngoingMeetings();
    expect(first.metadataOf(result)).toMatchObject({ requestId: 'req-2', attempts: 1 });
  });
});
