// The mock's public face: a small HTTP server in front of Prism that makes Prism's own answers look like
// Huawei's. Prism still validates every request and response; where it refuses a request itself (its 422 or
// 401 problem+json, or a documented 400/401 chosen because of a violation), the front answers as Huawei does:
// 400 or 401 with `{error_code, error_msg}` saying what was wrong. Every answer gets a fresh X-Request-Id.
// A response that breaks the spec (Prism's 500 with --errors) passes through untouched: it must fail loudly.
import { randomBytes } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBodies } from '../../generated/error-bodies.js';
import { specFacts } from '../../generated/spec-facts.js';
import { checkWireValue, type ParameterSchema } from '../query.js';

/** The mock's code for a request outside the spec: no Huawei source shows the code for a malformed parameter. */
export const INVALID_PARAMETER = errorBodies['Error-400-invalid-parameter'].error_code;
/** Huawei's code for a missing, invalid or expired access token. */
export const TOKEN_INVALID = errorBodies['Error-401'].error_code;
/** Huawei's code for a refused sign-in (App ID or account). */
export const SIGN_IN_FAILED = errorBodies['Error-401-appauth'].error_code;

interface Violation {
  location: string[];
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

function sendHuawei(
  res: ServerResponse,
  status: number,
  requestId: string,
  errorCode: string,
  errorMsg: string,
  from: IncomingHttpHeaders = {},
): void {
  const text = JSON.stringify({ error_code: errorCode, error_msg: errorMsg });
  // Prism's CORS headers stay, so that a browser page can read the answer.
  const cors = Object.fromEntries(Object.entries(from).filter(([name]) => name.startsWith('access-control-')));
  res.writeHead(status, {
    ...cors,
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Request-Id': requestId,
  });
  res.end(text);
}

/** One violation in the client's terms: `limit must be an integer from 1 to 500, got 501`. */
function explain(violation: Violation, url: URL): string {
  const [where, name] = violation.location[0] === 'request' ? violation.location.slice(1) : violation.location;
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

/** The request violations behind Prism's refusal of a request, or undefined when Prism did not refuse it. */
function refusal(
  status: number,
  headers: IncomingHttpHeaders,
  body: string,
): { unauthorized: boolean; violations: Violation[] } | undefined {
  if (status === 401 || status === 422) {
    try {
      const problem = JSON.parse(body) as { type?: string; validation?: Violation[] };
      if (problem.type?.endsWith('#UNAUTHORIZED')) return { unauthorized: true, violations: [] };
      if (problem.type?.endsWith('#UNPROCESSABLE_ENTITY'))
        return { unauthorized: false, violations: problem.validation ?? [] };
    } catch {
      /* not Prism's own body */
    }
  }
  // The examples mode answers a documented 400/401 and lists why in `sl-violations`.
  const header = headers['sl-violations'];
  if ((status === 400 || status === 401) && typeof header === 'string' && header.startsWith('[')) {
    const violations = (JSON.parse(header) as Violation[]).filter(
      (v) => v.location[0] === 'request' && v.severity === 'Error',
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

async function handle(prismUrl: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomBytes(16).toString('hex');
  const url = new URL(req.url ?? '/', 'http://mock');
  const upstream = httpRequest(`${prismUrl}${req.url ?? '/'}`, {
    method: req.method,
    headers: { ...req.headers, host: new URL(prismUrl).host },
  });
  req.pipe(upstream);
  const answer = await new Promise<IncomingMessage>((resolve, reject) => {
    upstream.once('response', resolve);
    upstream.once('error', reject);
  });
  const status = answer.statusCode ?? 502;
  const mayBeRefusal = status === 400 || status === 401 || status === 422;
  if (!mayBeRefusal) {
    res.writeHead(status, { ...answer.headers, 'x-request-id': requestId });
    answer.pipe(res);
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const refused = refusal(status, answer.headers, body);
  if (!refused) {
    res.writeHead(status, { ...answer.headers, 'x-request-id': requestId });
    res.end(body);
    return;
  }
  if (refused.unauthorized) {
    const header = credentialHeader(url.pathname);
    const code = header === 'Authorization' ? SIGN_IN_FAILED : TOKEN_INVALID;
    return sendHuawei(res, 401, requestId, code, `The ${header} header is missing or not valid`, answer.headers);
  }
  const problems = refused.violations.map((v) => explain(v, url));
  sendHuawei(
    res,
    400,
    requestId,
    INVALID_PARAMETER,
    problems.join('; ') || 'The request does not match the API',
    answer.headers,
  );
}

/**
 * Listens on `host:port` (0: a free port) before anything else starts, so that a port taken by another program
 * fails at once, naming the port. Forwards to Prism once told where it is.
 */
export async function startFront(host: string, port: number): Promise<Front> {
  let prismUrl: string | undefined;
  const server = createServer((req, res) => {
    if (prismUrl === undefined)
      return sendHuawei(res, 503, randomBytes(16).toString('hex'), 'MOCK.STARTING', 'The mock is still starting');
    handle(prismUrl, req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendHuawei(
        res,
        502,
        randomBytes(16).toString('hex'),
        'MOCK.PRISM_UNREACHABLE',
        `The mock's Prism did not answer: ${(error as Error).message}`,
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on ${host} is already in use (another program is listening there); ` +
                'choose another port, or 0 for a free one',
            )
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    forwardTo: (url) => {
      prismUrl = url;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
