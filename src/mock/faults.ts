// Failure on demand for the stateful mock, so that code under test can rehearse what Huawei's gateway does to
// it: slow answers, 500/503 at a given rate (seeded: the same seed fails the same requests), and a rate limit
// per token answering 429 as the API gateway does (`APIG.0308`, `Retry-After`, `X-APIG-Ratelimit-Api`).
import { seededRandom } from './enterprise.js';

/** Faults the stateful mock injects on demand, each answer still validated by Prism against the spec. */
export interface FaultOptions {
  /** Delay before every answer, in ms: a fixed value or a `[min, max]` range drawn per request. Default 0. */
  latencyMs?: number | readonly [number, number] | undefined;
  /** Share of list requests answered 500 or 503 instead, from 0 to 1. Default 0. */
  failureRate?: number | undefined;
  /** At most `requests` list requests per token in each `windowMs` (default 1000); more get 429. */
  rateLimit?:
    | {
        /** List requests allowed per token in each window. */
        requests: number;
        /** The window, in milliseconds. Default 1000. */
        windowMs?: number | undefined;
      }
    | undefined;
}

/** What the mock does to one request, decided in the order requests arrive. */
export type Fault =
  | { kind: 'none'; rateLimitHeader?: string | undefined }
  | { kind: 'throttled'; retryAfterSeconds: number; rateLimitHeader: string }
  | { kind: 'failed'; status: 500 | 503 };

const windowText = (ms: number) =>
  ms % 60_000 === 0 ? `${ms / 60_000} minute` : ms % 1000 === 0 ? `${ms / 1000} second` : `${ms} millisecond`;

export class FaultInjector {
  readonly #random: () => number;
  readonly #windows = new Map<string, { start: number; count: number }>();
  constructor(
    readonly options: FaultOptions,
    seed: number,
    readonly now: () => number = Date.now,
  ) {
    this.#random = seededRandom(seed ^ 0x5eed);
  }

  /** Milliseconds to wait before answering this request. */
  latency(): number {
    const { latencyMs = 0 } = this.options;
    if (typeof latencyMs === 'number') return latencyMs;
    const [min, max] = latencyMs;
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  /** What happens to a list request made with `token`. */
  listRequest(token: string): Fault {
    const { rateLimit, failureRate = 0 } = this.options;
    let rateLimitHeader: string | undefined;
    if (rateLimit) {
      const windowMs = rateLimit.windowMs ?? 1000;
      const now = this.now();
      let window = this.#windows.get(token);
      if (!window || now - window.start >= windowMs) {
        window = { start: now, count: 0 };
        this.#windows.set(token, window);
      }
      window.count++;
      const remain = Math.max(0, rateLimit.requests - window.count);
      rateLimitHeader = `remain:${remain},limit:${rateLimit.requests},time:${windowText(windowMs)}`;
      if (window.count > rateLimit.requests) {
        return {
          kind: 'throttled',
          retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)),
          rateLimitHeader,
        };
      }
    }
    if (failureRate > 0 && this.#random() < failureRate)
      return { kind: 'failed', status: this.#random() < 0.5 ? 500 : 503 };
    return { kind: 'none', rateLimitHeader };
  }
}
