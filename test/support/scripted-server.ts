// A real HTTP server on 127.0.0.1 and a free port whose behaviour each test scripts; it records what arrives.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { KEEP_ALIVE_MS } from '../../src/mock/node-http.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface ScriptedServer {
  url: string;
  /** Every request that arrived, in order. */
  requests: { url: URL; headers: IncomingMessage['headers'] }[];
  handle: Handler;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const state: ScriptedServer = {
    url: '',
    requests: [],
    handle: (_req, res) => {
      res.writeHead(500).end('no handler');
    },
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', state.url);
    state.requests.push({ url, headers: req.headers });
    Promise.resolve(state.handle(req, res, url)).catch(() => res.destroy());
  });
  // As the mock does (src/mock/node-http.ts): idle connections outlive the client's, so the client closes them
  // first and never reuses one the server is closing (a child process's client, on a busy machine).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
};

/**
 * One scripted server for a test file: started before its tests, its record of requests cleared before each,
 * always closed after. Read `.current` inside tests.
 */
export function useScriptedServer(): { current: ScriptedServer } {
  const holder = {} as { current: ScriptedServer };
  beforeAll(async () => {
    holder.current = await startScriptedServer();
  });
  afterAll(async () => {
    await holder.current.close();
  });
  beforeEach(() => {
    holder.current.requests.length = 0;
  });
  return holder;
}
