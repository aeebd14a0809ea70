// The answers every engine of the mock gives, in Huawei's shape: `{error_code, error_msg}` with the codes of the
// spec's named examples (generated/error-bodies.ts), a fresh X-Request-Id on every answer, and the CORS headers
// Prism sends, so that a browser page can read them. Web-standard only (no node: import), so that it runs wherever
// the mock's behaviour runs.
import { errorBodies } from '../../generated/error-bodies.js';

/** A request as the mock's behaviour sees it: header names in lower case. */
export interface MockRequest {
  method: string;
  /** Path and query, as sent: `/v1/…?limit=5`. */
  url: string;
  headers: Readonly<Record<string, string | undefined>>;
  /** The body as received; undefined when there was none. */
  body: Uint8Array | undefined;
  /** The body was longer than {@link MAX_BODY_BYTES}: `body` holds only its start. */
  bodyTooLarge?: boolean;
  /** Aborted once nobody waits for the answer (the connection closed, the caller aborted): waits end early. */
  signal?: AbortSignal | undefined;
}

/** An answer of the mock. */
export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON (text, or its UTF-8 bytes), or '' for no body. */
  body: string | Uint8Array;
  /** The value `body` was made from, when the mock made it: checked against the spec without parsing it again. */
  value?: unknown;
}

/**
 * The largest body the mock reads: the 12 MB that Huawei's API gateway accepts by default (its `APIG.0201` 413
 * past that); a sign-in body is a few hundred bytes.
 */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;

/** The mock's code for a request outside the spec: no Huawei source shows the code for a malformed parameter. */
export const INVALID_PARAMETER = errorBodies['Error-400-invalid-parameter'].error_code;
/** Huawei's code for a missing, invalid or expired access token. */
export const TOKEN_INVALID = errorBodies['Error-401'].error_code;
/** Huawei's code for a refused sign-in (App ID or account). */
export const SIGN_IN_FAILED = errorBodies['Error-401-appauth'].error_code;

/** The code of a mock answer that breaks the spec: a bug of the mock, never Huawei's. */
export const SPEC_VIOLATION = 'MOCK.SPEC_VIOLATION';

/** 32 hex digits, as Huawei's request IDs are (a random UUID's: Node and browsers make those fast). */
export function requestId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** Prism's CORS headers: any origin, with credentials, every header exposed. */
export function corsHeaders(request: Pick<MockRequest, 'headers'>): Record<string, string> {
  return {
    'access-control-allow-origin': request.headers.origin ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-allow-headers': '*',
    'access-control-expose-headers': '*',
  };
}

/** A JSON answer with a fresh X-Request-Id. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): MockResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', 'x-request-id': requestId(), ...headers },
    body: JSON.stringify(body),
    value: body,
  };
}

/** Huawei's error body. */
export function huawei(
  status: number,
  errorCode: string,
  errorMsg: string,
  headers: Record<string, string> = {},
): MockResponse {
  return json(status, { error_code: errorCode, error_msg: errorMsg }, headers);
}

/** The spec's named error example as the answer: `huaweiExample(404, 'Error-404')`. */
export function huaweiExample(
  status: number,
  example: keyof typeof errorBodies,
  headers: Record<string, string> = {},
): MockResponse {
  const { error_code, error_msg } = errorBodies[example];
  return huawei(status, error_code, error_msg, headers);
}

/** Whether `text` is a Huawei error body: an object with a string `error_code` and `error_msg`. */
export function isHuaweiBody(text: string): boolean {
  try {
    const body = JSON.parse(text) as { error_code?: unknown; error_msg?: unknown } | null;
    return typeof body?.error_code === 'string' && typeof body.error_msg === 'string';
  } catch {
    return false;
  }
}

/** The refusal of a `Prefer` header (examples mode) that names no documented answer. */
export function unknownPreference(prefer: string | undefined, headers: Record<string, string> = {}): MockResponse {
  return huawei(
    400,
    INVALID_PARAMETER,
    `Prefer: the spec documents no answer for ${JSON.stringify(prefer ?? '')}`,
    headers,
  );
}
