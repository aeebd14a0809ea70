// Keeps secrets (access tokens) out of anything an error carries: messages, server text echoed back, causes.

export const REDACTED = '[REDACTED]';

/** Remembers the last few secrets used, so that text can be scrubbed of them. */
export class SecretSet {
  readonly #secrets: string[] = [];
  constructor(private readonly capacity = 8) {}

  add(secret: string): void {
    if (secret.length === 0 || this.#secrets.includes(secret)) return;
    this.#secrets.push(secret);
    if (this.#secrets.length > this.capacity) this.#secrets.shift();
  }

  /** `text` with every remembered secret replaced by [REDACTED]. */
  scrub(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.split(secret).join(REDACTED);
    return result;
  }

  /**
   * An error safe to keep as `cause`: the same object when it mentions no secret, otherwise a plain copy
   * (name, scrubbed message and stack, scrubbed cause chain), since the original cannot be changed safely.
   */
  scrubError(error: unknown, depth = 0): unknown {
    if (!(error instanceof Error) || depth > 5) return typeof error === 'string' ? this.scrub(error) : error;
    const message = this.scrub(error.message);
    const stack = error.stack === undefined ? undefined : this.scrub(error.stack);
    const cause = 'cause' in error ? this.scrubError(error.cause, depth + 1) : undefined;
    if (message === error.message && stack === error.stack && cause === error.cause) return error;
    const copy = new Error(message, cause === undefined ? undefined : { cause });
    copy.name = error.name;
    if (stack !== undefined) copy.stack = stack;
    return copy;
  }
}
