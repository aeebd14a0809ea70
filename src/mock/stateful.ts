// The stateful mock's behaviour: the generated enterprise with Huawei's semantics (listing, App ID and account
// sign-in, expiring tokens) and the faults asked for, as one function from a request to an answer. Every engine
// runs it: behind Prism's proxy (with --errors, validating every request and response) through the small node:http
// upstream below, or in-process behind the same checks made from the spec (engine.ts). Web-standard only (WebCrypto,
// no node: import but in the upstream), so that it could run in a browser too.
import { errorBodies } from '../../generated/error-bodies.js';
import { specFacts } from '../../generated/spec-facts.js';
import { ACCESS_TOKEN_HEADER } from '../auth.js';
import type { ConferenceInfo } from '../types.js';
import {
  huawei,
  huaweiExample,
  INVALID_PARAMETER,
  json,
  type MockRequest,
  type MockResponse,
  requestId,
} from './answers.js';
import { type Enterprise, type EnterpriseOptions, liveEnterprise, type MockUser } from './enterprise.js';
import { FaultInjector, type FaultOptions } from './faults.js';
import { type ChurnOptions, type MockTimeline, Timeline } from './timeline.js';
import { HUAWEI_TOKEN_SECONDS } from './tokens.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
const appAuthPath = specFacts.operations.createAppIdToken.path;
const accountAuthPath = specFacts.operations.createAccountToken.path;

/** App credentials the stateful mock accepts for App ID authentication. */
export interface MockApp {
  /** The App ID to give `appIdAuth`. */
  appId: string;
  /** Its app key. */
  appKey: string;
}
/** The app the stateful mock accepts unless `stateful.apps` says otherwise: `mock-app-id` / `mock-app-key`. */
export const MOCK_APP: MockApp = { appId: 'mock-app-id', appKey: 'mock-app-key' };

/** Options of the stateful mode: the enterprise, its apps and tokens, faults on demand and churn. */
export interface StatefulOptions extends EnterpriseOptions, FaultOptions {
  /** Apps that may sign in. Default: one, {@link MOCK_APP}. */
  apps?: MockApp[] | undefined;
  /**
   * Lifetime of the tokens it issues, in seconds. Default 43200 (12 hours), Huawei's shortest; shorter only to test
   * renewal.
   */
  tokenValidSeconds?: number | undefined;
  /** Meetings that start, end and change over time (see timeline.ts). Default: none, the list stays as generated. */
  churn?: ChurnOptions | undefined;
}

/** A token issued by a sign-in, whose it is and until when (monotonic ms: a clock step does not end it). */
interface IssuedToken {
  user: MockUser;
  expiresAt: number;
}
const queryDefaults = specFacts.operations.listOngoingMeetings.query;

/** The stateful mock: its enterprise, its timeline, the apps that may sign in, and its behaviour. */
export interface StatefulMock {
  enterprise: Enterprise;
  timeline: MockTimeline;
  apps: MockApp[];
  /** The answer to `request`, after the latency asked for. */
  handle(request: MockRequest): Promise<MockResponse>;
}

/**
 * What `user` may see: everything for an administrator asking with queryAll, else what they scheduled or were invited
 * to.
 */
export function visibleMeetings(enterprise: Enterprise, user: MockUser, queryAll: boolean): ConferenceInfo[] {
  if (user.admin && queryAll) return enterprise.meetings;
  return enterprise.meetings.filter(
    (m) => m.userUUID === user.userUUID || enterprise.invited.get(m.confUUID!)?.has(user.userUUID),
  );
}

/** Huawei matches the topic, the scheduler and the meeting ID. */
export function matchesSearch(meeting: ConferenceInfo, searchKey: string): boolean {
  const needle = searchKey.toLowerCase();
  return [meeting.subject, meeting.scheduserName, meeting.conferenceID].some((field) =>
    field?.toLowerCase().includes(needle),
  );
}

interface State {
  enterprise: Enterprise;
  apps: MockApp[];
  tokenValidSeconds: number;
  issued: Map<string, IssuedToken>;
  /** Nonces of App ID sign-ins, until their signature expires: a replay is refused. */
  nonces: Map<string, number>;
  faults: FaultInjector;
  timeline: Timeline;
}

const authFailed = (why: string) => huawei(401, errorBodies['Error-401-appauth'].error_code, why);

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
/** A fresh token: 40 hex digits, as Huawei's look. */
const newToken = () => hex(crypto.getRandomValues(new Uint8Array(20)));
const utf8 = new TextEncoder();

async function hmacSha256Hex(key: string, data: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey('raw', utf8.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return hex(new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, utf8.encode(data))));
}

/** Equal, compared in time that depends only on the length. */
function same(a: string, b: string): boolean {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  if (x.length !== y.length) return false;
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= x[i]! ^ y[i]!;
  return difference === 0;
}

/** Base64 text as UTF-8, or undefined when it is not base64. */
function fromBase64(text: string): string | undefined {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** A token for `user`, and Huawei's token answer. */
function issueToken(
  state: State,
  user: MockUser,
  extra: { clientType: number; thirdAccount?: string; appId?: string },
): MockResponse {
  const accessToken = newToken();
  const createTime = Date.now();
  state.issued.set(accessToken, { user, expiresAt: performance.now() + state.tokenValidSeconds * 1000 });
  return json(200, {
    accessToken,
    tokenIp: '127.0.0.1',
    validPeriod: state.tokenValidSeconds,
    expireTime: Math.floor(createTime / 1000) + state.tokenValidSeconds,
    createTime,
    user: {
      userId: user.userUUID,
      name: user.name,
      thirdAccount: extra.thirdAccount ?? user.account,
      adminType: user.admin ? 0 : 2,
      userType: 2,
      status: 0,
      ...(extra.appId !== undefined ? { appId: extra.appId } : {}),
    },
    clientType: extra.clientType,
    firstLogin: false,
    pwdExpired: false,
    tokenType: 0,
  });
}

/**
 * Huawei's App ID authentication, as every SDK that has it sends it: the hex in either case, with or without
 * `,access=` (which, when present, must be the app ID in base64), `userId`/`corpId`/`deptCode` absent, empty or null.
 * A nonce is accepted once; a signature whose `expireTime` has passed is refused.
 */
async function authenticateApp(
  state: State,
  request: MockRequest,
  body: Record<string, unknown>,
): Promise<MockResponse> {
  const app = state.apps.find((a) => a.appId === body.appId);
  const header = /^HMAC-SHA256 signature=([0-9a-fA-F]{64})(?:,access=([A-Za-z0-9+/=]*))?$/.exec(
    request.headers.authorization ?? '',
  );
  if (!app || !header) return authFailed('AUTH_FAILED');
  const [, signature, access] = header as unknown as [string, string, string | undefined];
  if (access !== undefined && fromBase64(access) !== app.appId) return authFailed('ACCESS_MISMATCH');
  const expireTime = Number(body.expireTime);
  const nonce = String(body.nonce ?? '');
  const userId = typeof body.userId === 'string' ? body.userId : '';
  const corpId = typeof body.corpId === 'string' ? body.corpId : undefined;
  // A service provider's app signs the corpId; with none, the SDKs sign either four fields or five with an empty one.
  const signed = await Promise.all(
    [
      ...(corpId ? [] : [[app.appId, userId, String(body.expireTime), nonce]]),
      [app.appId, corpId ?? '', userId, String(body.expireTime), nonce],
    ].map((parts) => hmacSha256Hex(app.appKey, parts.join(':'))),
  );
  if (!signed.some((expected) => same(signature.toLowerCase(), expected))) return authFailed('AUTH_FAILED');
  const now = Date.now();
  if (expireTime !== 0 && expireTime * 1000 <= now) return authFailed('SIGNATURE_EXPIRED');
  for (const [seen, until] of state.nonces) if (until <= now) state.nonces.delete(seen);
  if (state.nonces.has(nonce)) return authFailed('NONCE_REPLAYED');
  state.nonces.set(nonce, expireTime === 0 ? Number.POSITIVE_INFINITY : expireTime * 1000);

  let user =
    userId === ''
      ? state.enterprise.users.find((u) => u.admin)!
      : state.enterprise.users.find((u) => u.name === userId);
  if (!user) {
    // Huawei registers a third-party user it has not seen; here: a user with no meetings and no password.
    user = { userUUID: requestId(), name: userId, account: userId, password: '', token: '', admin: false };
    state.enterprise.users.push(user);
  }
  return issueToken(state, user, { clientType: Number(body.clientType), thirdAccount: userId, appId: app.appId });
}

/**
 * Huawei's account authentication: `Basic base64(account:password)` of a generated user, and the same account in the
 * body.
 */
function authenticateAccount(state: State, request: MockRequest, body: Record<string, unknown>): MockResponse {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '')?.[1];
  const decoded = (basic === undefined ? undefined : fromBase64(basic)) ?? '';
  const colon = decoded.indexOf(':');
  const account = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const user = colon > 0 ? state.enterprise.users.find((u) => u.account === account && u.password !== '') : undefined;
  if (!user || !same(password, user.password) || body.account !== account) return authFailed('AUTH_FAILED');
  return issueToken(state, user, { clientType: Number(body.clientType) });
}

function list(state: State, request: MockRequest, url: URL): MockResponse {
  const { enterprise } = state;
  state.timeline.sync();
  const token = request.headers[ACCESS_TOKEN_HEADER.toLowerCase()] ?? '';
  const fault = state.faults.listRequest(token);
  const rateLimit: Record<string, string> =
    fault.kind !== 'failed' && fault.rateLimitHeader ? { 'x-apig-ratelimit-api': fault.rateLimitHeader } : {};
  if (fault.kind === 'throttled')
    return huaweiExample(429, 'Error-429', { 'retry-after': String(fault.retryAfterSeconds), ...rateLimit });
  if (fault.kind === 'failed')
    return fault.status === 503
      ? huaweiExample(503, 'Error-503', { 'retry-after': '1' })
      : huaweiExample(500, 'Error-500');
  const issued = state.issued.get(token);
  const now = performance.now();
  if (issued && issued.expiresAt <= now) state.issued.delete(token);
  const user =
    enterprise.users.find((u) => u.token !== '' && u.token === token) ??
    (issued && issued.expiresAt > now ? issued.user : undefined);
  if (!user) return huaweiExample(401, 'Error-401', rateLimit);

  const offset = Number(url.searchParams.get('offset') ?? queryDefaults.offset.default);
  const limit = Number(url.searchParams.get('limit') ?? queryDefaults.limit.default);
  const queryAll = url.searchParams.get('queryAll') === 'true';
  const searchKey = url.searchParams.get('searchKey');
  let meetings = visibleMeetings(enterprise, user, queryAll);
  if (searchKey) meetings = meetings.filter((m) => matchesSearch(m, searchKey));
  const data = meetings.slice(offset, offset + limit);
  const value = { data, offset, limit, count: meetings.length };
  const parts: Uint8Array[] = [utf8.encode('{"data":[')];
  for (const [i, meeting] of data.entries()) {
    if (i > 0) parts.push(COMMA);
    parts.push(meetingJson(meeting));
  }
  parts.push(utf8.encode(`],"offset":${offset},"limit":${limit},"count":${value.count}}`));
  return { ...json(200, null, rateLimit), body: concat(parts), value };
}

const COMMA = utf8.encode(',');
const concat = (parts: Uint8Array[]) => {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
};

const serialised = new WeakMap<ConferenceInfo, Uint8Array>();
/**
 * A meeting's JSON (UTF-8), made once: a page is joined, not serialised again (JSON.stringify of a page is most of
 * an answer's cost). The timeline replaces a meeting that changes, never edits it, so a meeting's JSON stays its own.
 */
function meetingJson(meeting: ConferenceInfo): Uint8Array {
  let bytes = serialised.get(meeting);
  if (bytes === undefined) {
    bytes = utf8.encode(JSON.stringify(meeting));
    serialised.set(meeting, bytes);
  }
  return bytes;
}

/** The body of a sign-in, or undefined when it is not a JSON object (the gate refuses those before this runs). */
function objectBody(request: MockRequest): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(new TextDecoder().decode(request.body ?? new Uint8Array()));
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function answer(state: State, request: MockRequest): Promise<MockResponse> {
  const url = new URL(request.url, 'http://mock');
  const method = request.method.toUpperCase();
  if (method === 'GET' && url.pathname === listPath) return list(state, request, url);
  if (method === 'POST' && (url.pathname === appAuthPath || url.pathname === accountAuthPath)) {
    const body = objectBody(request);
    if (!body) return huawei(400, INVALID_PARAMETER, 'body: must be a JSON object');
    return url.pathname === appAuthPath
      ? authenticateApp(state, request, body)
      : authenticateAccount(state, request, body);
  }
  return huaweiExample(404, 'Error-404');
}

export function createStatefulMock(options: StatefulOptions = {}): StatefulMock {
  const { enterprise, now, makeMeeting } = liveEnterprise(options);
  const timeline = new Timeline(enterprise, makeMeeting, options.churn ?? {}, options.seed ?? 1, now);
  const state: State = {
    enterprise,
    apps: options.apps ?? [MOCK_APP],
    tokenValidSeconds: options.tokenValidSeconds ?? HUAWEI_TOKEN_SECONDS,
    issued: new Map(),
    nonces: new Map(),
    faults: new FaultInjector(options, options.seed ?? 1),
    timeline,
  };
  return {
    enterprise,
    timeline,
    apps: state.apps,
    handle: async (request) => {
      const delay = state.faults.latency();
      if (delay > 0) await pause(delay, request.signal);
      return answer(state, request);
    },
  };
}

/** Waits `ms`, or less once `signal` aborts: a wait nobody awaits any more must not hold the process. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
