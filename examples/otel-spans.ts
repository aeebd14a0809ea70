// Turns every attempt of every client in the process into an OpenTelemetry client span, by subscribing to the
// package's diagnostics_channel: the code that makes the calls is not touched, and a process without a subscriber
// pays nothing. Spans start in the caller's active context, so they nest under its own spans.
//   npx tsx examples/otel-spans.ts   (no environment: against the embedded stateful mock), or
//   MEETING_BASE_URL=https://api.meeting.huaweicloud.com MEETING_TOKEN=… npx tsx examples/otel-spans.ts
// (register an OpenTelemetry SDK in the process to export the spans; without one they are no-ops)
import diagnosticsChannel from 'node:diagnostics_channel';
import { pathToFileURL } from 'node:url';
import { type Attributes, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { ATTEMPT_CHANNEL, type AttemptRecord, createMeetingClient } from 'huawei-meeting-online-client';
import { runExample } from './target.js';

/** Attributes of one attempt, after OpenTelemetry's HTTP client conventions where there is one. */
function attributesOf(record: AttemptRecord): Attributes {
  const attributes: Attributes = {
    'huawei_meeting.operation': record.operation,
    'http.request.resend_count': record.attempt - 1,
  };
  if (record.method !== undefined) attributes['http.request.method'] = record.method;
  if (record.url !== undefined) attributes['url.full'] = record.url;
  if (record.status !== undefined) attributes['http.response.status_code'] = record.status;
  if (record.bytes !== undefined) attributes['http.response.body.size'] = record.bytes;
  if (record.requestId !== undefined) attributes['huawei_meeting.request_id'] = record.requestId;
  if (record.errorKind !== undefined) attributes['error.type'] = record.errorKind;
  if (record.retry) {
    attributes['huawei_meeting.retry.reason'] = record.retry.reason;
    attributes['huawei_meeting.retry.wait_ms'] = record.retry.waitMs;
  }
  return attributes;
}

/** Records a span for every attempt from now on; returns the function that stops it. */
export function recordAttemptSpans(tracer: Tracer = trace.getTracer('huawei-meeting-online-client')): () => void {
  const onRecord = (message: unknown) => {
    const record = message as AttemptRecord;
    const endTime = Date.now(); // the record is published as the attempt ends
    const span = tracer.startSpan(record.operation, {
      kind: SpanKind.CLIENT,
      startTime: endTime - record.durationMs,
      attributes: attributesOf(record),
    });
    if (record.errorKind !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorKind });
    span.end(endTime);
  };
  diagnosticsChannel.subscribe(ATTEMPT_CHANNEL, onRecord);
  return () => diagnosticsChannel.unsubscribe(ATTEMPT_CHANNEL, onRecord);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runExample(['MEETING_TOKEN'], async ({ baseUrl, values }) => {
    let attempts = 0;
    const count = () => void attempts++;
    diagnosticsChannel.subscribe(ATTEMPT_CHANNEL, count);
    const stop = recordAttemptSpans(); // a no-op tracer unless an OpenTelemetry SDK is registered
    try {
      const client = createMeetingClient({ baseUrl, token: values.MEETING_TOKEN });
      const page = await client.listOngoingMeetings({ queryAll: true });
      console.log(`${page.count} ongoing meetings; ${attempts} attempt(s) recorded as spans`);
    } finally {
      stop();
      diagnosticsChannel.unsubscribe(ATTEMPT_CHANNEL, count);
    }
  });
}
