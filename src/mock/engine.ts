// What an engine of the mock is, whichever runs it (engine-prism.ts, engine-in-process.ts): where it listens, its
// stateful enterprise, and how to stop it; and what it is started with.
import type { TlsIdentity } from './node-http.js';
import type { StatefulMock, StatefulOptions } from './stateful.js';

export interface Engine {
  url: string;
  port: number;
  /** Stateful mode: its enterprise, timeline and apps. */
  stateful: StatefulMock | undefined;
  /** The process id of what runs apart (Prism's watchdog), or this process's. */
  pid: number;
  log(): string;
  close(): Promise<void>;
}

export interface EngineSettings {
  host: string;
  port: number;
  stateful: StatefulOptions | undefined;
  startupTimeoutMs: number;
  signal: AbortSignal | undefined;
  tls: TlsIdentity | undefined;
}
