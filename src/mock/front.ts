// The mock's public face: a small HTTP server in front of Prism that makes every answer look like Huawei's. It
// first applies the gate and the request checks every engine applies (gate.ts, spec-checks.ts; in examples mode, a
// `Prefer` naming a documented answer), so that Prism never sees what it would answer in its own shapes or read more
// leniently than the spec; Prism then validates every request that passed, and every response. Where Prism refuses
// a request itself (its 422 or 401 problem+json, or a documented 400/401 chosen because of a violation), the front
// answers as Huawei does: 400 or 401 with `{error_code, error_msg}` saying what was wrong; any other answer of
// Prism's own is reshaped too. Every answer gets a fresh X-Request-Id. A response that breaks the spec (Prism's 500
// with --errors) stays a 500 naming the violations: it must fail loudly.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { specFacts } from '../../generated/spec-facts.js';
import { checkWireValue, type ParameterSchema } from '../query.js';
import {
  corsHeaders,
  huawei,
  huaweiExample,
  INVALID_PARAMETER,
  isHuaweiBody,
  type MockResponse,
  requestId,
  SIGN_IN_FAILED,
  SPEC_VIOLATION,
  TOKEN_INVALID,
  unknownPreference,
} from './answers.js';
import { preferenceRefusal } from './examples.js';
import { gate } from './gate.js';
import { preferHeader, readPrefer } from './prefer.js';
import { flatHeaders, listen, readRequest, type TlsIdentity, writeAnswer } from './node-http.js';
import { checkRequest, compileSpecChecks, type OperationChecks } from './spec-checks.js';
import { freshTokenTimes } from './tokens.js';

interface Violation {
  location?: string[];
  severity?: string;
  code?: string | number;
  message: string;
}

export interface Front {
  url: string;
  /** Where to forward from now on: Prism's URL, once it listens. Until then the front answers 503. */
  forwardTo(prismUrl: string): void;
  close(): Promise<void>;
}

const operationsByPath = new Map(
  Object.values(specFacts.operations).map((operation) => [operation.path as string, operation]),
);

/** Prism's CORS headers of `from`, so that a browser page can read the answer. */
const corsOf = (from: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(from).filter(([name]) => name.startsWith('access-control-')) as [string, string][]);

/** One violation in the client's terms: `limit must be an integer from 1 to 500, got 501`. */
function explain(violation: Violation, url: URL): string {
  const location = violation.location ?? [];
  const [where, name] = location[0] === 'request' ? location.slice(1) : location;
  if (where === 'query' && name !== undefined) {
    // Prism names a query parameter in lower case (`queryall`): find the spec's own spelling.
    const schemas = (operationsByPath.get(url.pathname)?.query ?? {}) as Record<string, ParameterSchema>;
    const spelt = Object.keys(schemas).find((known) => known.toLowerCase() === name.toLowerCase()) ?? name;
    const raw = url.searchParams.get(spelt);
    const ours = schemas[spelt] && raw !== null ? checkWireValue(spelt, raw, schemas[spelt]) : undefined;
    return ours ?? violation.message.replace(/^Request query parameter /, '');
  }
  if (where === 'body')
    return violation.message.replace(/^Request body property /, 'body: ').replace(/^Request body /, 'body ');
  return violation.message.replace(/^Request /, '');
}

const parsed = <T>(text: string): T | undefined => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
};

/** The request violations behind Prism's refusal of a request, or undefined when Prism did not refuse it. */
function refusal(
  status: number,
  headers: IncomingHttpHeaders,
  body: string,
): { unauthorized: boolean; violations: Violation[] } | undefined {
  if (status === 401 || status === 422) {
    const problem = parsed<{ type?: string; validation?: Violation[] }>(body);
    if (problem?.type?.endsWith('#UNAUTHORIZED')) return { unauthorized: true, violations: [] };
    if (problem?.type?.endsWith('#UNPROCESSABLE_ENTITY'))
      return { unauthorized: false, violations: problem.validation ?? [] };
  }
  // The examples mode answers a documented 400/401 and lists why in `sl-violations`.
  const header = headers['sl-violations'];
  if ((status === 400 || status === 401) && typeof header === 'string') {
    const violations = (parsed<Violation[]>(header) ?? []).filter(
      (v) => v.location?.[0] === 'request' && v.severity === 'Error',
    );
    if (violations.length > 0)
      return {
        unauthorized: violations.some((v) => v.code === 401),
        violations: violations.filter((v) => v.code !== 401),
      };
  }
  return undefined;
}

/** The header a missing credential of `path` would have been in. */
function credentialHeader(path: string): string {
  return path === specFacts.operations.listOngoingMeetings.path
    ? specFacts.securitySchemes.AccessToken.name
    : 'Authorization';
}

/** What an answer in Prism's own shape (problem+json, or its server's `{"error":…}`) says. */
function prismDetail(body: string): string {
  const problem = parsed<{ title?: string; detail?: string; error?: { message?: string } }>(body);
  return problem?.detail ?? problem?.title ?? problem?.error?.message ?? body.slice(0, 500);
}

/** Prism's answer in Huawei's terms: passed on when it already is, reshaped when it is Prism's own. */
function huaweiAnswer(
  status: number,
  headers: IncomingHttpHeaders,
  body: string,
  url: URL,
  prefer: string | undefined,
): MockResponse {
  const cors = corsOf(headers);
  const refused = refusal(status, headers, body);
  if (refused?.unauthorized) {
    const header = credentialHeader(url.pathname);
    const code = header === 'Authorization' ? SIGN_IN_FAILED : TOKEN_INVALID;
    return huawei(401, code, `The ${header} header is missing or not valid`, cors);
  }
  if (refused) {
    // Prism may list one problem twice (a too-large offset): each is said once.
    const problems = [...new Set(refused.violations.map((v) => explain(v, url)))];
    return huawei(400, INVALID_PARAMETER, problems.join('; ') || 'The request does not match the API', cors);
  }
  if (isHuaweiBody(body)) {
    const { 'content-length': _length, ...kept } = flatHeaders(headers);
    return { status, headers: { ...(kept as Record<string, string>), 'x-request-id': requestId() }, body };
  }
  if (status >= 500) {
    // Prism's --errors: the answer breaks the spec. Loud, with the violations, and never mistaken for Huawei's.
    const violations = headers['sl-violations'];
    return huawei(500, SPEC_VIOLATION, `The mock's answer breaks the spec: ${prismDetail(body)}`, {
      ...cors,
      ...(typeof violations === 'string' ? { 'sl-violations': violations } : {}),
    });
  }
  // Past the gate, the route is the spec's: Prism's 404 means no documented answer for the `Prefer` asked.
  if (status === 404) return unknownPreference(prefer, cors);
  if (status === 405) return huaweiExample(404, 'Error-404', cors);
  if (status === 413) return huaweiExample(413, 'Error-413', cors);
  return huawei(400, INVALID_PARAMETER, prismDetail(body), cors);
}

async function handle(
  prismUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
  checks: Record<string, OperationChecks>,
  examples: boolean,
): Promise<void> {
  const request = await readRequest(req, res);
  const gated = gate(request);
  if ('answer' in gated) return writeAnswer(res, gated.answer, request.bodyTooLarge);
  // The request checked first as every engine checks it (spec-checks.ts): Prism reads some values more leniently
  // than the spec (an empty value as absent; `limit=1e2`, `0x10`, ` 5` as numbers) and a `Prefer` naming a
  // property every object has (`example=constructor`) as an example; Prism then validates what passes.
  const operation = checks[gated.operationId]!;
  const cors = corsHeaders(request);
  const refused =
    checkRequest(operation, request, gated.url, gated.body, cors) ??
    preferenceRefusal(operation, request, !examples, cors);
  if (refused) return writeAnswer(res, refused);
  const headers: IncomingHttpHeaders = { ...req.headers, host: new URL(prismUrl).host };
  // Prism is handed the `Prefer` read above, and nothing else it could read its own way (`dynamic`, `CODE`, …).
  const read = readPrefer(request.headers.prefer);
  const prefer = examples && 'preference' in read ? preferHeader(read.preference) : undefined;
  if (prefer === undefined) delete headers.prefer;
  else headers.prefer = prefer;
  // Huawei answers JSON whatever Accept says; Prism would answer 406 to `Accept: text/html`.
  headers.accept = 'application/json';
  delete headers['transfer-encoding'];
  if (request.body) headers['content-length'] = String(request.body.length);
  const answer = await askPrism(`${prismUrl}${request.url}`, request.method, headers, request.body);
  // Prism's `Connection` and `Keep-Alive` are about its connection to the front, not the front's to the client.
  delete answer.headers.connection;
  delete answer.headers['keep-alive'];
  const status = answer.statusCode ?? 502;
  if (examples && status === 200 && 'body' in gated.operation) {
    // A sign-in's token answer: the spec's example, with times of now.
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    const token = freshTokenTimes(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
    const { 'content-length': _length, ...headers } = flatHeaders(answer.headers);
    const kept = headers as Record<string, string>;
    return writeAnswer(res, { status, headers: { ...kept, 'x-request-id': requestId() }, body: JSON.stringify(token) });
  }
  if (status < 400) {
    res.writeHead(status, { ...answer.headers, 'x-request-id': requestId() });
    answer.pipe(res);
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  writeAnswer(res, huaweiAnswer(status, answer.headers, text, gated.url, request.headers.prefer));
}

/**
 * Sends the request on to Prism. A kept-alive connection that Prism closed just as it was reused is reset: that
 * request never reached Prism, so it is sent once more, on a new connection (what Node's docs advise).
 */
function askPrism(
  url: string,
  method: string,
  headers: IncomingHttpHeaders,
  body: Uint8Array | undefined,
  retried = false,
): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const upstream = httpRequest(url, { method, headers });
    upstream.once('response', resolve);
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (upstream.reusedSocket && error.code === 'ECONNRESET' && !retried)
        resolve(askPrism(url, method, headers, body, true));
      else reject(error);
    });
    upstream.end(body);
  });
}

export interface FrontOptions {
  /** Serve https with this certificate. */
  tls?: TlsIdentity | undefined;
  /**
   * Examples mode: `Prefer` must name a documented answer, and a sign-in's token answer gets times of now (Prism
   * serves the spec's 2021 example).
   */
  examples?: boolean;
}

/**
 * Listens on `host:port` (0: a free port) before anything else starts, so that a port taken by another program
 * fails at once, naming the port. Forwards to Prism once told where it is.
 */
export async function startFront(host: string, port: number, options: FrontOptions = {}): Promise<Front> {
  let prismUrl: string | undefined;
  const checks = compileSpecChecks();
  const server = await listen(
    host,
    port,
    async (req, res) => {
      if (prismUrl === undefined) return writeAnswer(res, huawei(503, 'MOCK.STARTING', 'The mock is still starting'));
      try {
        await handle(prismUrl, req, res, checks, options.examples ?? false);
      } catch (error) {
        if (res.headersSent) return void res.destroy();
        const why = `The mock's Prism did not answer: ${(error as Error).message}`;
        writeAnswer(res, huawei(502, 'MOCK.PRISM_UNREACHABLE', why));
      }
    },
    options.tls,
  );
  return {
    url: server.url,
    forwardTo: (url) => {
      prismUrl = url;
    },
    close: server.close,
  };
}
