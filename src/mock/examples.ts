// The examples mode's behaviour, as Prism's `mock` serves the spec: the first example of the 200 answer, or of the
// status asked for with `Prefer: code=…`, or the example named with `Prefer: example=…`, with the example values of
// the answer's documented headers. A sign-in's token answer gets times of now (the spec's example is from 2021).
import { json, type MockRequest, type MockResponse, unknownPreference } from './answers.js';
import { type OperationChecks, resolve } from './spec-checks.js';
import { freshTokenTimes } from './tokens.js';

/** `Prefer: code=429, example=emptyPage` as `{ code: 429, example: 'emptyPage' }`. */
function preferences(header: string | undefined): { code?: number; example?: string } {
  const found: { code?: number; example?: string } = {};
  for (const part of (header ?? '').split(/[,;]/)) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (key === 'code' && value && /^\d{3}$/.test(value)) found.code = Number(value);
    if (key === 'example' && value) found.example = value;
  }
  return found;
}

export function examplesAnswer(checks: OperationChecks, request: MockRequest): MockResponse {
  const prefer = preferences(request.headers.prefer);
  const responses = checks.operation.responses as Record<string, Record<string, unknown>>;
  const status = prefer.code ?? 200;
  if (!responses[status]) return unknownPreference(request.headers.prefer);
  const response = resolve(responses[status]);
  const examples = (response.content?.['application/json']?.examples ?? {}) as Record<string, { value: unknown }>;
  if (prefer.example !== undefined && !examples[prefer.example]) return unknownPreference(request.headers.prefer);
  const name = prefer.example ?? Object.keys(examples)[0]!;
  let value = resolve(examples[name]!).value;
  if (status === 200 && checks.operation.requestBody) value = freshTokenTimes(value as Record<string, unknown>);
  const headers: Record<string, string> = {};
  for (const [header, definition] of Object.entries(checks.responses.get(status)?.headers ?? {}))
    if (definition.example !== undefined && header.toLowerCase() !== 'x-request-id')
      headers[header.toLowerCase()] = String(definition.example);
  return json(status, value, headers);
}
