// Waiting that an AbortSignal can always end: for fetches, token functions and timers that might never settle.

const MAX_TIMER_MS = 2_147_483_647; // setTimeout's largest delay; beyond it runtimes fire at once

/**
 * One 'abort' listener per signal, whatever the number of waiters: many concurrent requests sharing the
 * caller's signal would otherwise add one listener each and trigger Node's MaxListenersExceededWarning.
 */
const waiters = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `callback` once when `signal` aborts (at once when it already has); returns the unsubscribe. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  let set = waiters.get(signal);
  if (!set) {
    const callbacks = new Set<() => void>();
    set = callbacks;
    waiters.set(signal, callbacks);
    signal.addEventListener(
      'abort',
      () => {
        waiters.delete(signal);
        for (const call of callbacks) call();
      },
      { once: true },
    );
  }
  set.add(callback);
  const callbacks = set;
  return () => {
    callbacks.delete(callback);
  };
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts, whichever comes first. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = onAbort(signal, () => {
      promise.catch(() => undefined); // abandoned: its own failure no longer matters
      reject(signal.reason);
    });
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}

/** Resolves after `ms` (capped at the largest timer), or rejects with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let unsubscribe = () => undefined as void;
    const timer = setTimeout(
      () => {
        unsubscribe();
        resolve();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    if (signal) {
      unsubscribe = onAbort(signal, () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    }
  });
}

export { MAX_TIMER_MS };

/**
 * One run of `start` shared by every caller that joins while it runs. Each caller can leave with its own
 * signal; the run's own signal aborts only once every caller has left, so one impatient caller does not
 * fail the others.
 */
export function singleFlight<T>(start: (signal: AbortSignal) => Promise<T>): (signal?: AbortSignal) => Promise<T> {
  let current: { promise: Promise<T>; controller: AbortController; waiting: number } | undefined;
  return (signal) => {
    if (!current) {
      const controller = new AbortController();
      const run = { promise: start(controller.signal), controller, waiting: 0 };
      current = run;
      const settle = () => {
        if (current === run) current = undefined;
      };
      run.promise.then(settle, settle);
    }
    const run = current;
    if (!signal) {
      run.waiting = Number.POSITIVE_INFINITY; // a caller that cannot leave keeps the run alive
      return run.promise;
    }
    run.waiting++;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      if (--run.waiting > 0) return;
      if (current === run) current = undefined; // a caller arriving now starts afresh
      run.controller.abort(signal.reason);
    };
    return abortable(run.promise, signal).then(
      (value) => {
        left = true;
        return value;
      },
      (error: unknown) => {
        if (signal.aborted) leave();
        throw error;
      },
    );
  };
}
