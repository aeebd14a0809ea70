import { describe, expect, inject, it } from 'vitest';
import { listOngoingMeetings } from '../../examples/list-ongoing-meetings.js';
import { seedExampleValue } from '../support/spec.js';

describe('examples/ run against the mock', () => {
  it('list-ongoing-meetings prints one line per meeting of the spec example', async () => {
    const lines = await listOngoingMeetings(inject('prismUrl'), 'example-token');
    const { data } = seedExampleValue() as { data: { conferenceID: string; subject: string }[] };
    expect(lines).toHaveLength(data.length);
    expect(lines[0]).toContain(data[0]!.conferenceID);
    expect(lines[0]).toContain(data[0]!.subject);
  });

  it('list-ongoing-meetings refuses an empty token before sending anything', async () => {
    await expect(listOngoingMeetings(inject('prismUrl'), '')).rejects.toThrow(/token must not be empty/);
  });
});
