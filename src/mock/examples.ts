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

/**
 * The answer `Prefer` picks: its status and the name of its example, or undefined when the spec documents none.
 * Names are looked up among the spec's own (`example=constructor` names nothing, as `example=nope` does).
 */
function preferred(
  checks: OperationChecks,
  header: string | undefined,
): { status: number; name: string; examples: Record<string, { value: unknown }> } | undefined {
  const prefer = preferences(header);
  const responses = checks.operation.responses as Record<string, Record<string, unknown>>;
  const status = prefer.code ?? 200;
  if (!Object.hasOwn(responses, status)) return undefined;
  const response = resolve(responses[status]!);
  const examples = (response.content?.['application/json']?.examples ?? {}) as Record<string, { value: unknown }>;
  if (prefer.example !== undefined && !Object.hasOwn(examples, prefer.example)) return undefined;
  return { status, name: prefer.example ?? Object.keys(examples)[0]!, examples };
}

/** The refusal of a `Prefer` that names no documented answer, or undefined: what the Prism engine's front checks. */
export function preferenceRefusal(
  checks: OperationChecks,
  request: MockRequest,
  cors: Record<string, string> = {},
): MockResponse | undefined {
  return preferred(checks, request.headers.prefer) ? undefined : unknownPreference(request.headers.prefer, cors);
}

export function examplesAnswer(checks: OperationChecks, request: MockRequest): MockResponse {
  const picked = preferred(checks, request.headers.prefer);
  if (!picked) return unknownPreference(request.headers.prefer);
  const { status, name, examples } = picked;
  let value = resolve(examples[name]!).value;
  if (status === 200 && checks.operation.requestBody) value = freshTokenTimes(value as Record<string, unknown>);
  const headers: Record<string, string> = {};
  for (const [header, definition] of Object.entries(checks.responses.get(status)?.headers ?? {}))
    if (definition.example !== undefined && header.toLowerCase() !== 'x-request-id')
      headers[header.toLowerCase()] = String(definition.example);
  return json(status, value, headers);
}
