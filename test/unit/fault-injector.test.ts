import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/mock/faults.js';
import { createMswHandlers } from '../../src/mock/msw.js';

const sequence = (injector: FaultInjector, n: number) =>
  Array.from({ length: n }, () => injector.listRequest('t').kind);

describe("the mock's fault injector", () => {
  it('fails the same requests for the same seed, and others for another', () => {
    const a = sequence(new FaultInjector({ failureRate: 0.3 }, 7), 200);
    expect(sequence(new FaultInjector({ failureRate: 0.3 }, 7), 200)).toEqual(a);
    expect(sequence(new FaultInjector({ failureRate: 0.3 }, 8), 200)).not.toEqual(a);
    const failures = a.filter((kind) => kind === 'failed').length;
    expect(failures).toBeGreaterThan(35);
    expect(failures).toBeLessThan(85);
  });

  it('draws latency within the range asked for, or exactly a fixed one', () => {
    const ranged = new FaultInjector({ latencyMs: [100, 120] }, 1);
    const drawn = Array.from({ length: 500 }, () => ranged.latency());
    expect(Math.min(...drawn)).toBe(100);
    expect(Math.max(...drawn)).toBe(120);
    expect(new FaultInjector({ latencyMs: 42 }, 1).latency()).toBe(42);
    expect(new FaultInjector({}, 1).latency()).toBe(0);
  });

  it('refuses a latency range whose min is past its max, showing the pair as given', () => {
    const rule = 'latencyMs must be a whole number of milliseconds from 0 to 600000, or a [min, max] pair of them';
    const start = (latencyMs: unknown) => () => createMswHandlers({ stateful: { latencyMs } as never });
    expect(start([300, 100])).toThrow(`${rule}, min first, got [300, 100]`);
    expect(start([1, 2, 3])).toThrow(`${rule}, got [1, 2, 3]`);
    expect(start(-1)).toThrow(`${rule}, got -1`);
    expect(start([100, 300])).not.toThrow();
  });

  it.each([
    [{ churn: { endsPerMinute: 1e6 } }, 'churn must be {', 'got endsPerMinute: 1000000'],
    [{ churn: { clock: 'fast' } }, 'churn must be {', 'got clock: "fast"'],
    [{ churn: { ends: 5 } }, 'churn must be {', 'got an unknown field "ends"'],
    [{ churn: 5 }, 'churn must be {', 'got 5'],
    [{ rateLimit: { requests: 0 } }, 'rateLimit must be {', 'got requests: 0'],
    [{ rateLimit: { requests: 5, windowMs: 'x' } }, 'rateLimit must be {', 'got windowMs: "x"'],
  ])('names the bad field of %j', (stateful, rule, got) => {
    expect(() => createMswHandlers({ stateful: stateful as never })).toThrow(rule);
    expect(() => createMswHandlers({ stateful: stateful as never })).toThrow(got);
  });

  it.each([
    ['1000', 'got "1000"'],
    [-1, 'got -1'],
    [Number.NaN, 'got NaN'],
    [null, 'got null'],
    [undefined, 'got undefined'],
  ])("refuses the manual clock's advance(%j), showing what it got", (ms, got) => {
    const { timeline } = createMswHandlers({ stateful: { meetings: 1, churn: { clock: 'manual' } } });
    expect(() => timeline!.advance(ms as number)).toThrow(
      `advance takes a number of milliseconds of 0 or more, ${got}`,
    );
  });

  it('refuses two apps of the same appId, the second of which could never sign in', () => {
    const apps = [
      { appId: 'a', appKey: 'k1' },
      { appId: 'a', appKey: 'k2' },
    ];
    expect(() => createMswHandlers({ stateful: { apps } })).toThrow('apps must name each appId once, got "a" twice');
  });

  it('counts requests per token in fixed windows, and says how long to wait', () => {
    let now = 10_000;
    const injector = new FaultInjector({ rateLimit: { requests: 2, windowMs: 5000 } }, 1, () => now);
    expect(sequence(injector, 3)).toEqual(['none', 'none', 'throttled']);
    expect(injector.listRequest('other').kind).toBe('none');
    now += 1200;
    expect(injector.listRequest('t')).toEqual({
      kind: 'throttled',
      retryAfterSeconds: 4,
      rateLimitHeader: 'remain:0,limit:2,time:5 second',
    });
    now += 3800;
    expect(injector.listRequest('t')).toEqual({ kind: 'none', rateLimitHeader: 'remain:1,limit:2,time:5 second' });
  });
});
