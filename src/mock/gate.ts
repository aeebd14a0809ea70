// What every engine checks before anything else, as Huawei's API gateway and a service's body parser would: the
// route (method and path) is one of the spec's operations, the body is within the gateway's limit, and an
// operation that takes a body gets a JSON object. Each refusal is a Huawei-shaped answer saying what was wrong.
import { specFacts } from '../../generated/spec-facts.js';
import {
  corsHeaders,
  huawei,
  huaweiExample,
  INVALID_PARAMETER,
  type MockRequest,
  type MockResponse,
  requestId,
} from './answers.js';

export type OperationId = keyof typeof specFacts.operations;
export type Operation = (typeof specFacts.operations)[OperationId];

const operations = Object.entries(specFacts.operations) as [OperationId, Operation][];

/** The request passed the gate: its operation, and its body parsed (for an operation that takes one). */
export interface Admitted {
  operationId: OperationId;
  operation: Operation;
  url: URL;
  body: Record<string, unknown> | undefined;
}

const describeValue = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

/** The answer to a CORS preflight for a path of the spec, as Prism gives it. */
function preflight(request: MockRequest): MockResponse {
  return {
    status: 204,
    headers: {
      ...corsHeaders(request),
      'access-control-allow-methods': request.headers['access-control-request-method'] ?? '*',
      'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
      'x-request-id': requestId(),
    },
    body: '',
  };
}

/**
 * The request's operation and parsed body, or the answer that refuses it: 404 for a method or path outside the
 * spec (`APIG.0101`), 413 for a body over the gateway's limit (`APIG.0201`), 400 for a body that is not a JSON
 * object sent as `application/json`. A CORS preflight for a known path is answered 204.
 */
export function gate(request: MockRequest): Admitted | { answer: MockResponse } {
  const cors = corsHeaders(request);
  let url: URL;
  try {
    url = new URL(request.url, 'http://mock');
  } catch {
    return { answer: huaweiExample(404, 'Error-404', cors) };
  }
  const onPath = operations.filter(([, operation]) => operation.path === url.pathname);
  const method = request.method.toUpperCase();
  if (onPath.length > 0 && method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined)
    return { answer: preflight(request) };
  const found = onPath.find(([, operation]) => operation.method === method);
  if (!found) return { answer: huaweiExample(404, 'Error-404', cors) };
  const [operationId, operation] = found;
  if (request.bodyTooLarge) return { answer: huaweiExample(413, 'Error-413', cors) };
  if (!('body' in operation)) return { operationId, operation, url, body: undefined };

  const refuse = (why: string) => ({ answer: huawei(400, INVALID_PARAMETER, why, cors) });
  const type = request.headers['content-type'];
  const mediaType = type?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json')
    return refuse(
      `body: the Content-Type must be application/json, got ${type === undefined ? 'none' : JSON.stringify(type)}`,
    );
  const text = new TextDecoder().decode(request.body ?? new Uint8Array());
  if (text.trim() === '') return refuse('body: a JSON object is required, got an empty body');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return refuse(`body: not valid JSON (${(error as Error).message})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return refuse(`body: must be a JSON object, got ${describeValue(body)}`);
  return { operationId, operation, url, body: body as Record<string, unknown> };
}
