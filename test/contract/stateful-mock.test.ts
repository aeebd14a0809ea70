import { describe, expect, inject, it } from 'vitest';
import { createMeetingClient, MeetingHttpError, type ConferenceInfo } from '../../src/index.js';
import { MOCK_ADMIN_TOKEN, MOCK_USER_TOKEN } from '../../src/mock/index.js';
import { startFront } from '../../src/mock/front.js';
import { servedSpec, startPrism } from '../../src/mock/prism.js';
import { startStatefulUpstream } from '../../src/mock/engine-prism.js';

const baseUrl = inject('statefulUrl');
const total = inject('statefulMeetings');

async function all(
  token: string,
  query: { queryAll?: boolean; searchKey?: string } = {},
  concurrency = 1,
): Promise<ConferenceInfo[]> {
  const client = createMeetingClient({ baseUrl, token, validateResponses: true });
  const out: ConferenceInfo[] = [];
  for await (const meeting of client.ongoingMeetings(query, { concurrency, pageSize: 100 })) out.push(meeting);
  return out;
}

const ascending = (meetings: ConferenceInfo[]) =>
  meetings.every((m, i) => i === 0 || meetings[i - 1]!.startTime! <= m.startTime!);

describe('the stateful mock, through the client and behind Prism validation', () => {
  it('lets the administrator page the whole enterprise with queryAll, each meeting once, by start time', async () => {
    const meetings = await all(MOCK_ADMIN_TOKEN, { queryAll: true }, 4);
    expect(meetings).toHaveLength(total);
    expect(new Set(meetings.map((m) => m.confUUID)).size).toBe(total);
    expect(ascending(meetings)).toBe(true);
  });

  it('shows an ordinary user only what they scheduled or are invited to, whatever queryAll says', async () => {
    const mine = await all(MOCK_USER_TOKEN);
    const withQueryAll = await all(MOCK_USER_TOKEN, { queryAll: true });
    expect(withQueryAll).toEqual(mine);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(total);
    const self = 'user01';
    for (const m of mine)
      expect(m.scheduserName === self || m.partAttendeeInfo?.some((p) => p.name === self), m.conferenceID).toBe(true);
  });

  it("shows the administrator without queryAll only the administrator's own meetings", async () => {
    const own = await all(MOCK_ADMIN_TOKEN);
    expect(own.length).toBeLessThan(total);
    for (const m of own)
      expect(m.scheduserName === 'user00' || m.partAttendeeInfo?.some((p) => p.name === 'user00')).toBe(true);
  });

  it('filters by searchKey on topic, scheduler and meeting ID', async () => {
    const everything = await all(MOCK_ADMIN_TOKEN, { queryAll: true });
    const byTopic = await all(MOCK_ADMIN_TOKEN, { queryAll: true, searchKey: 'design review' });
    expect(byTopic.length).toBeGreaterThan(0);
    expect(byTopic).toEqual(everything.filter((m) => m.subject!.toLowerCase().includes('design review')));
    const target = everything[17]!;
    const byId = await all(MOCK_ADMIN_TOKEN, { queryAll: true, searchKey: target.conferenceID! });
    expect(byId.map((m) => m.conferenceID)).toContain(target.conferenceID);
    const byScheduler = await all(MOCK_ADMIN_TOKEN, { queryAll: true, searchKey: 'user07' });
    expect(byScheduler.every((m) => m.scheduserName === 'user07' || m.subject!.includes('user07'))).toBe(true);
  });

  it('honours offset and limit on a single page', async () => {
    const client = createMeetingClient({ baseUrl, token: MOCK_ADMIN_TOKEN });
    const first = await client.listOngoingMeetings({ queryAll: true, offset: 0, limit: 10 });
    const second = await client.listOngoingMeetings({ queryAll: true, offset: 5, limit: 10 });
    expect(first).toMatchObject({ offset: 0, limit: 10, count: total });
    expect(second.data.slice(0, 5)).toEqual(first.data.slice(5));
  });

  it("answers 401 with Huawei's body to an unknown token", async () => {
    const error = await createMeetingClient({ baseUrl, token: 'not-a-mock-token' })
      .listOngoingMeetings()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingHttpError);
    expect(error).toMatchObject({ status: 401, errorCode: 'USG.000000004' });
  });

  it('is validated by Prism: a response that breaks the spec does not get through, front included', async () => {
    const upstream = await startStatefulUpstream({ meetings: 3 });
    upstream.mock.enterprise.meetings[0]!.isAutoMute = true as unknown as 0; // a boolean where the spec says integer
    const spec = servedSpec();
    const prism = await startPrism(
      ['proxy', spec.path, upstream.url, '--host', '127.0.0.1', '--port', '0', '--errors'],
      { deadlineMs: 30_000 },
    );
    const front = await startFront('127.0.0.1', 0);
    front.forwardTo(prism.url);
    try {
      const response = await fetch(`${front.url}/v1/mmc/management/conferences/online?queryAll=true`, {
        headers: { 'X-Access-Token': MOCK_ADMIN_TOKEN },
      });
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.headers.get('sl-violations') ?? (await response.text())).toContain('isAutoMute');
    } finally {
      await front.close();
      await prism.stop();
      await upstream.close();
      spec.remove();
    }
  });
});
