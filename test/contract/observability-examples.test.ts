// examples/json-log.ts and examples/otel-spans.ts against the suite's stateful mock: the records they turn into log
// lines and spans, one per attempt, with the mock's fresh request ids, and never the token.
import { SpanKind, type Span, type SpanOptions, type SpanStatus, type Tracer } from '@opentelemetry/api';
import { describe, expect, inject, it } from 'vitest';
import { walkWithLog } from '../../examples/json-log.js';
import { recordAttemptSpans } from '../../examples/otel-spans.js';
import { createMeetingClient } from '../../src/index.js';
import { MOCK_ADMIN_TOKEN } from '../../src/mock/index.js';

interface RecordedSpan {
  name: string;
  options: SpanOptions;
  status?: SpanStatus;
  endTime?: unknown;
}

/** A Tracer that keeps what it is asked to record: the example needs only the API, not an SDK. */
function recordingTracer(): { tracer: Tracer; spans: RecordedSpan[] } {
  const spans: RecordedSpan[] = [];
  const tracer = {
    startSpan(name: string, options: SpanOptions = {}) {
      const recorded: RecordedSpan = { name, options };
      spans.push(recorded);
      const span = {
        setStatus(status: SpanStatus) {
          recorded.status = status;
          return span;
        },
        end(endTime?: unknown) {
          recorded.endTime = endTime;
        },
      };
      return span as unknown as Span;
    },
  } as unknown as Tracer;
  return { tracer, spans };
}

describe('observability examples against the stateful mock', () => {
  it('json-log writes a JSON line per attempt, naming the request that served each page, never the token', async () => {
    const lines: string[] = [];
    const result = await walkWithLog(inject('statefulUrl'), MOCK_ADMIN_TOKEN, (line) => lines.push(line));
    expect(result.meetings).toBe(inject('statefulMeetings'));
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(1);
    expect(records.map((r) => [r.level, r.operation, r.status, r.errorKind, r.retry])).toEqual(
      records.map(() => ['info', 'listOngoingMeetings', 200, undefined, undefined]),
    );
    // Every page came from one attempt, whose request id the page's metadata also gives.
    expect(records.map((r) => r.requestId)).toEqual(result.requestIds);
    expect(result.requestIds.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(result.requestIds).size).toBe(result.requestIds.length);
    expect(lines.join('\n')).not.toContain(MOCK_ADMIN_TOKEN);
  });

  it('otel-spans makes one client span per attempt, a refused one marked as an error', async () => {
    const { tracer, spans } = recordingTracer();
    const stop = recordAttemptSpans(tracer);
    const before = Date.now();
    try {
      await createMeetingClient({ baseUrl: inject('statefulUrl'), token: MOCK_ADMIN_TOKEN }).listOngoingMeetings({
        queryAll: true,
        limit: 5,
      });
      const refused = createMeetingClient({ baseUrl: inject('statefulUrl'), token: 'not-a-mock-token-8c1f' });
      await expect(refused.listOngoingMeetings()).rejects.toMatchObject({ kind: 'http', status: 401 });
    } finally {
      stop();
    }
    await createMeetingClient({ baseUrl: inject('statefulUrl'), token: MOCK_ADMIN_TOKEN }).listOngoingMeetings();
    expect(spans).toHaveLength(2); // none after stop()
    const [ok, refused] = spans;
    expect(ok!.name).toBe('listOngoingMeetings');
    expect(ok!.options.kind).toBe(SpanKind.CLIENT);
    expect(ok!.options.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'http.request.resend_count': 0,
      'huawei_meeting.request_id': expect.stringMatching(/.+/),
    });
    expect(String(ok!.options.attributes!['url.full'])).toMatch(/\/v1\/mmc\/management\/conferences\/online\?/);
    expect(ok!.status).toBeUndefined();
    // Wall-clock span times: the start is the end less the attempt's monotonic duration (ms, so a little slack).
    expect(ok!.options.startTime as number).toBeGreaterThan(before - 1000);
    expect(ok!.endTime as number).toBeGreaterThanOrEqual(ok!.options.startTime as number);
    expect(refused!.options.attributes).toMatchObject({ 'http.response.status_code': 401, 'error.type': 'http' });
    expect(refused!.status).toMatchObject({ code: 2, message: 'http' }); // SpanStatusCode.ERROR
    expect(JSON.stringify(spans)).not.toContain(MOCK_ADMIN_TOKEN);
    expect(JSON.stringify(spans)).not.toContain('not-a-mock-token-8c1f');
  });
});
