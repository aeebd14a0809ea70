// The Prism engine: the front (front.ts) on the caller's port, Prism (a child process under a watchdog) validating
// every request and response against the spec, and in stateful mode the stateful behaviour on a small node:http
// upstream that Prism's proxy forwards to. The examples mode is Prism's own `mock` of the spec's examples.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFront } from './front.js';
import type { Engine, EngineSettings } from './engine.js';
import { keepConnections, readRequest, writeAnswer } from './node-http.js';
import { servedSpec, startPrism } from './prism.js';
import { createStatefulMock, type StatefulMock, type StatefulOptions } from './stateful.js';

export interface StatefulUpstream {
  url: string;
  mock: StatefulMock;
  close(): Promise<void>;
}

/** The stateful behaviour on a node:http server of its own, for Prism's proxy to forward to. */
export async function startStatefulUpstream(
  options: StatefulOptions = {},
  mock = createStatefulMock(options),
): Promise<StatefulUpstream> {
  const server = keepConnections(
    createServer((req: IncomingMessage, res) => {
      readRequest(req, res)
        .then((request) => mock.handle(request))
        .then(
          (answer) => writeAnswer(res, answer),
          () => res.destroy(),
        );
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mock,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startPrismEngine(settings: EngineSettings): Promise<Engine> {
  const cleanups: (() => Promise<void> | void)[] = [];
  // The front first, so that a request in flight ends as on the in-process engine (its connection closed), not
  // with a 502 from a Prism stopped under it; then the rest, the last started first.
  const close = async () => {
    const [front, ...rest] = cleanups.splice(0);
    await front?.();
    for (const cleanup of rest.reverse()) await cleanup();
  };
  try {
    // The port first: a port another program holds fails at once, before Prism is even started.
    const front = await startFront(settings.host, settings.port, {
      tls: settings.tls,
      examples: settings.stateful === undefined,
    });
    cleanups.push(front.close);
    const spec = servedSpec();
    cleanups.push(spec.remove);
    const upstream = settings.stateful ? await startStatefulUpstream(settings.stateful) : undefined;
    if (upstream) cleanups.push(upstream.close);
    settings.signal?.throwIfAborted();
    const prismArgs = upstream ? ['proxy', spec.path, upstream.url] : ['mock', spec.path];
    const prism = await startPrism([...prismArgs, '--host', '127.0.0.1', '--port', '0', '--errors'], {
      deadlineMs: settings.startupTimeoutMs,
      signal: settings.signal,
      removeOnExit: spec.dir,
    });
    cleanups.push(prism.stop);
    settings.signal?.throwIfAborted();
    front.forwardTo(prism.url);
    return {
      url: front.url,
      port: Number(new URL(front.url).port),
      stateful: upstream?.mock,
      pid: prism.pid,
      log: prism.log,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
