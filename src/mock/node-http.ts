// The mock's behaviour on node:http: a request read into a MockRequest (its body up to the gateway's limit and no
// further), an answer written from a MockResponse, and a server (http, or https with a certificate made at start)
// that listens on host:port before anything else starts, so that a port another program holds fails at once.
import {
  createServer as createHttpServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, isIP, isIPv6 } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  corsHeaders,
  huawei,
  INVALID_PARAMETER,
  MAX_BODY_BYTES,
  type MockRequest,
  type MockResponse,
} from './answers.js';

/** Writes `answer`; after a body too large to read, closes the connection rather than read the rest. */
export function writeAnswer(res: ServerResponse, answer: MockResponse, closeAfter = false): void {
  const headers: Record<string, string | number> = { ...answer.headers };
  if (answer.body.length > 0) headers['content-length'] = Buffer.byteLength(answer.body);
  if (closeAfter) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(answer.body);
  if (closeAfter) res.once('finish', () => res.req.destroy());
}

/** The request's headers as one string each (repeated ones joined, as fetch does). */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/** The request as the mock's behaviour sees it, its body read up to {@link MAX_BODY_BYTES} and no further. */
export function readRequest(req: IncomingMessage, res?: ServerResponse): Promise<MockRequest> {
  // 'close' comes when the answer is sent, or when the connection closes first (the client gone, close()).
  const gone = new AbortController();
  res?.once('close', () => gone.abort());
  const request = {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: flatHeaders(req.headers),
    signal: gone.signal,
  };
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    // No body (a GET, as good as always): nothing to wait for.
    req.resume();
    return Promise.resolve({ ...request, body: undefined, bodyTooLarge: false });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (bodyTooLarge: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
      resolve({ ...request, body: length === 0 && !bodyTooLarge ? undefined : Buffer.concat(chunks), bodyTooLarge });
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        req.pause();
        return done(true);
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(false);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}

/**
 * Answers a request node:http's parser refused (a raw non-ASCII byte in the URL, a header too large), which never
 * reaches the handler: Huawei's `{error_code, error_msg}` with a fresh X-Request-Id, written on the socket as
 * HTTP/1.1, instead of node's empty 400. The connection is closed after it, as node does.
 */
export function answerClientError(error: NodeJS.ErrnoException & { reason?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const why = error.reason ?? error.message;
  const hint = error.code === 'HPE_INVALID_URL' ? ': percent-encode every character outside ASCII in the URL' : '';
  const answer = huawei(status, INVALID_PARAMETER, `The request is not valid HTTP/1.1 (${why})${hint}`, {
    ...corsHeaders({ headers: {} }),
    connection: 'close',
  });
  const head = Object.entries({ ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${answer.body}`);
}

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A certificate and its key, PEM. */
export interface TlsIdentity {
  cert: string;
  key: string;
}

/** An IPv4-mapped IPv6 address (`::ffff:127.0.0.2`) as its IPv4 address; any other address as it is. */
export function unmappedIPv4(address: string): string {
  return /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1] ?? address;
}

/**
 * The host of the URL a client on this machine uses for a server asked to listen on `host` and bound to `bound` (what
 * `server.address()` says). Bound to every address (0.0.0.0, `::`, also when asked as `0`), it names the loopback
 * address of that family (127.0.0.1, [::1]), which the client accepts over plain http; `http://0.0.0.0:…` is no
 * address to send to, and the client refuses it. An IPv4-mapped address (`::ffff:127.0.0.1`) is named as IPv4. A
 * name (`localhost`) stays as asked, since the https certificate names it.
 */
export function reachableHost(host: string, bound: string): string {
  const ipv4 = unmappedIPv4(bound);
  if (ipv4 !== bound) return reachableHost(ipv4, ipv4);
  if (bound === '0.0.0.0') return '127.0.0.1';
  if (bound === '::') return '[::1]';
  if (isIP(host) === 0) return host;
  return isIPv6(bound) ? `[${bound}]` : bound;
}

/**
 * How long the mock keeps an idle connection, past what clients keep one (undici: 4 s, or the server's hint less
 * 2 s; Node's agent: 5 s), so that the client closes it first. With Node's default (5 s) a client that reuses the
 * connection as the mock closes it fails with "other side closed", which a busy machine makes likely.
 */
export const KEEP_ALIVE_MS = 65_000;

/** Gives `server` the mock's keep-alive ({@link KEEP_ALIVE_MS}). */
export function keepConnections<S extends { keepAliveTimeout: number }>(server: S): S {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  return server;
}

/**
 * Serves `handle` on `host:port` (0: a free port), over https when given a certificate. A handler that throws is
 * a Huawei-shaped 500 naming the mock's bug, never a dropped connection.
 */
export async function listen(
  host: string,
  port: number,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void,
  tls?: TlsIdentity,
): Promise<Listening> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error: unknown) => {
        if (res.headersSent) return void res.destroy();
        writeAnswer(res, huawei(500, 'MOCK.INTERNAL', `The mock failed: ${(error as Error).message}`));
      });
  };
  const server = keepConnections(tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest));
  server.on('clientError', answerClientError);
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
  const shownHost = reachableHost(host, address.address);
  return {
    url: `${tls ? 'https' : 'http'}://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
