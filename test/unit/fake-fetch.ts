import { ACCESS_TOKEN_HEADER } from '../../src/index.js';

// A scripted fetch for unit tests: records each Request and answers with what the test says.
export interface FakeFetch {
  fetch: typeof globalThis.fetch;
  requests: Request[];
}

export function fakeFetch(answer: (request: Request) => Response | Promise<Response>): FakeFetch {
  const requests: Request[] = [];
  return {
    requests,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      requests.push(request);
      return answer(request);
    },
  };
}

export const jsonResponse = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json;charset=UTF-8', ...headers },
  });

export const page = (data: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  data,
  offset: 0,
  limit: 20,
  count: data.length,
  ...extra,
});

/** Never answers; rejects with the signal's reason once the request is aborted, as fetch does. */
export const hangingAnswer = (request: Request) =>
  new Promise<Response>((_, reject) => {
    request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
  });

/** Huawei's answer to an expired or unknown token. */
export const unauthorized = () => jsonResponse({ error_code: 'USG.000000004', error_msg: 'TOKEN_INVALID' }, 401);

/** The list endpoint accepting only the tokens in `valid` (an empty page), 401 for any other; `valid` may grow. */
export function tokenServer(valid: ReadonlySet<string>): FakeFetch {
  return fakeFetch((request) =>
    valid.has(request.headers.get(ACCESS_TOKEN_HEADER) ?? '') ? jsonResponse(page()) : unauthorized(),
  );
}
