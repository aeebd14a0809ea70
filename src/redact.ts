// Keeps secrets (access tokens, app keys, signatures, passwords) out of anything an error carries: messages,
// server text echoed back, causes.

export const REDACTED = '[REDACTED]';

/** Below this length a secret is redacted only where it stands alone, so that `<html>` survives a token `h`. */
const SHORT_SECRET = 8;
/** Characters a token is made of: a short secret next to one of these is part of another word. */
const TOKEN_CHAR = /[A-Za-z0-9_\-.~+/=]/;

function replaceAll(text: string, secret: string): string {
  if (secret.length >= SHORT_SECRET) return text.includes(secret) ? text.split(secret).join(REDACTED) : text;
  let out = '';
  let from = 0;
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + secret.length)) {
    const before = text[at - 1];
    const after = text[at + secret.length];
    if ((before !== undefined && TOKEN_CHAR.test(before)) || (after !== undefined && TOKEN_CHAR.test(after))) continue;
    out += text.slice(from, at) + REDACTED;
    from = at + secret.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Where a sign-in's token source keeps its secrets (credentials, signatures, tokens), so that a client given that
 * source scrubs them too: a list server could echo a password it was sent at sign-in.
 */
export const SECRETS: unique symbol = Symbol('huawei-meeting-online-client.secrets');

/**
 * The forms a secret can come back in from a server: as sent; inside JSON text (`"` and `\` escaped);
 * percent-encoded (in a URL or a header); base64 without its `=` padding (Basic credentials); a hex signature in
 * either case.
 */
function formsOf(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
  if (/^[A-Za-z0-9+/]+=+$/.test(secret)) forms.push(secret.replace(/=+$/, ''));
  if (/^[0-9A-Fa-f]+$/.test(secret)) forms.push(secret.toLowerCase(), secret.toUpperCase());
  return forms;
}

/** Remembers the last secrets used, so that text can be scrubbed of them. */
export class SecretSet {
  readonly #secrets: string[] = [];
  /** Other sets scrubbed with this one (a sign-in's), held whole: their credentials never age out of this one. */
  readonly #linked: SecretSet[] = [];
  constructor(private readonly capacity = 32) {}

  /** Scrubs `other`'s secrets too, now and as it learns more. */
  link(other: SecretSet): void {
    if (other !== this && !this.#linked.includes(other)) this.#linked.push(other);
  }

  #all(): string[] {
    return this.#linked.length === 0 ? this.#secrets : [...this.#secrets, ...this.#linked.flatMap((set) => set.#all())];
  }

  add(secret: string): void {
    if (secret.length === 0 || this.#secrets.includes(secret)) return;
    this.#secrets.push(secret);
    if (this.#secrets.length > this.capacity) this.#secrets.shift();
  }

  /**
   * `text` with every remembered secret, and each of `also` (the request's own token), replaced by [REDACTED], in
   * every form a server may echo it in (see formsOf).
   */
  scrub(text: string, also?: string): string {
    let result = text;
    const known = this.#all();
    const forms = new Set((also && !known.includes(also) ? [also, ...known] : known).flatMap(formsOf));
    // Longest first, so that a secret containing another is redacted whole.
    for (const form of [...forms].sort((a, b) => b.length - a.length)) result = replaceAll(result, form);
    return result;
  }

  /**
   * A token-free copy of a thrown value, safe to keep as `cause`: name, scrubbed message and stack, a string
   * `code`, and the scrubbed cause chain. Never the original, whose other properties (a custom fetch's request
   * and its headers, say) may hold a secret that no message shows.
   */
  scrubError(error: unknown, also?: string, depth = 0): Error | string | undefined {
    if (typeof error === 'string') return this.scrub(error, also);
    if (!(error instanceof Error) || depth > 5) return undefined;
    const cause = 'cause' in error ? this.scrubError(error.cause, also, depth + 1) : undefined;
    const copy = new Error(this.scrub(String(error.message), also), cause === undefined ? undefined : { cause });
    copy.name = String(error.name);
    if (error.stack !== undefined) copy.stack = this.scrub(error.stack, also);
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number')
      Object.assign(copy, { code: typeof code === 'string' ? this.scrub(code, also) : code });
    return copy;
  }
}
