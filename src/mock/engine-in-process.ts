// The in-process engine: the mock's behaviour (behaviour.ts) on a node:http (or https) server in the caller's
// process. No Prism, no child process, nothing in the temporary directory: ready in milliseconds.
import { createBehaviour } from './behaviour.js';
import type { Engine, EngineSettings } from './engine.js';
import { listen, readRequest, writeAnswer } from './node-http.js';

export async function startInProcessEngine(settings: EngineSettings): Promise<Engine> {
  settings.signal?.throwIfAborted();
  const behaviour = createBehaviour(settings.stateful);
  // Making the enterprise is synchronous (seconds for 100,000s of meetings): a timer that aborts during it (an
  // AbortSignal.timeout) fires only now, before this one, so check once more before listening.
  await new Promise((resolve) => setTimeout(resolve, 0));
  settings.signal?.throwIfAborted();
  const server = await listen(
    settings.host,
    settings.port,
    async (req, res) => {
      const request = await readRequest(req, res);
      writeAnswer(res, await behaviour.handle(request), request.bodyTooLarge);
    },
    settings.tls,
  );
  return {
    url: server.url,
    port: server.port,
    stateful: behaviour.stateful,
    pid: process.pid,
    log: () => '',
    close: server.close,
  };
}
