// The examples mode's behaviour, as Prism's `mock` serves the spec: the first example of the 200 answer, or of the
// status asked for with `Prefer: code=…`, or the example named with `Prefer: example=…`, with the example values of
// the answer's documented headers. A sign-in's token answer gets times of now (the spec's example is from 2021).
import { huawei, INVALID_PARAMETER, json, type MockRequest, type MockResponse, unknownPreference } from './answers.js';
import { type Preference, readPrefer } from './prefer.js';
import { type OperationChecks, resolve } from './spec-checks.js';
import { freshTokenTimes } from './tokens.js';

/**
 * The answer `Prefer` picks: its status and the name of its example, or undefined when the spec documents none.
 * Names are looked up among the spec's own (`example=constructor` names nothing, as `example=nope` does).
 */
function preferred(
  checks: OperationChecks,
  prefer: Preference,
): { status: number; name: string; examples: Record<string, { value: unknown }> } | undefined {
  const responses = checks.operation.responses as Record<string, Record<string, unknown>>;
  const status = prefer.code ?? 200;
  if (!Object.hasOwn(responses, status)) return undefined;
  const response = resolve(responses[status]!);
  const examples = (response.content?.['application/json']?.examples ?? {}) as Record<string, { value: unknown }>;
  if (prefer.example !== undefined && !Object.hasOwn(examples, prefer.example)) return undefined;
  return { status, name: prefer.example ?? Object.keys(examples)[0]!, examples };
}

/**
 * The refusal of a `Prefer` every engine refuses alike, or undefined: a malformed one (prefer.ts), in examples mode
 * one that names no documented answer, and in stateful mode any `code` or `example` (that mode answers from its
 * enterprise, never from the spec's examples).
 */
export function preferenceRefusal(
  checks: OperationChecks,
  request: MockRequest,
  stateful: boolean,
  cors: Record<string, string> = {},
): MockResponse | undefined {
  const read = readPrefer(request.headers.prefer);
  if ('problem' in read) return huawei(400, INVALID_PARAMETER, read.problem, cors);
  const { preference } = read;
  if (stateful)
    return preference.code === undefined && preference.example === undefined
      ? undefined
      : huawei(
          400,
          INVALID_PARAMETER,
          "Prefer: code and example pick the spec's examples, which the stateful mode does not serve " +
            '(it answers from its enterprise): drop the header (its faults, failureRate and rateLimit, give 500, 503 ' +
            'and 429), or start the mock without stateful',
          cors,
        );
  return preferred(checks, preference) ? undefined : unknownPreference(request.headers.prefer, cors);
}

export function examplesAnswer(checks: OperationChecks, request: MockRequest): MockResponse {
  const read = readPrefer(request.headers.prefer);
  const picked = 'preference' in read ? preferred(checks, read.preference) : undefined;
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
