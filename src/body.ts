// Reading a response body without trusting its size: a body that streams forever, or a small gzip that
// inflates to gigabytes, is stopped at a cap while it streams, before it can fill memory.

/** The body passed `maxBytes` (decoded); the request has been cancelled. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the response body is larger than maxResponseBytes (${maxBytes} bytes)`);
  }
}

const decoder = new TextDecoder();

/**
 * The body as text, or a BodyTooLargeError once it passes `maxBytes`, checked chunk by chunk. `sized`, when given,
 * is told how many bytes were read (decoded), for an attempt's record.
 */
export function readText(
  response: Response,
  body: ReadableStream<Uint8Array> | null | undefined,
  maxBytes: number,
  sized?: { bytes: number | undefined },
): Promise<string> {
  if (!body) {
    if (sized) sized.bytes = 0;
    return Promise.resolve('');
  }
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    return body.cancel().then(
      () => Promise.reject(new BodyTooLargeError(maxBytes)),
      () => Promise.reject(new BodyTooLargeError(maxBytes)),
    );
  }
  // Uncompressed with a declared length within the cap: fetch itself refuses more bytes than declared, so the
  // runtime's own reader is safe here (and faster). Compressed bodies are counted as they inflate.
  if (declared !== null && body === response.body && !response.headers.has('content-encoding')) {
    if (sized) sized.bytes = Number(declared); // exactly what fetch lets through
    return response.text();
  }
  return readChunks(body, maxBytes, sized);
}

async function readChunks(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  sized: { bytes: number | undefined } | undefined,
): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  if (sized) sized.bytes = size;
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return decoder.decode(all);
}

/**
 * A response whose body stops at `maxBytes`: cut there (`'truncate'`: an error answer, of which openapi-fetch reads
 * the whole body although only Huawei's short `{error_code, error_msg}` is of use) or failing with a
 * BodyTooLargeError (`'fail'`: for `client.raw`, which openapi-fetch parses itself).
 */
export function limitBody(response: Response, maxBytes: number, past: 'truncate' | 'fail'): Response {
  if (!response.body || response.status === 204 || response.status === 205 || response.status === 304) return response;
  const source = response.body.getReader();
  let size = 0;
  const limited = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await source.read();
      if (done) return controller.close();
      const room = maxBytes - size;
      size += value.byteLength;
      if (value.byteLength <= room) return controller.enqueue(value);
      await source.cancel().catch(() => undefined);
      if (past === 'fail') return controller.error(new BodyTooLargeError(maxBytes));
      controller.enqueue(value.subarray(0, room));
      controller.close();
    },
    cancel: (reason) => source.cancel(reason),
  });
  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}
