// The upstream of the stateful mock: serves the generated enterprise with Huawei's semantics (listing, App ID and
// account sign-in, expiring tokens) and the faults asked for. It sits behind Prism's proxy (with --errors), which
// validates every request and every response against the spec.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBodies } from '../../generated/error-bodies.js';
import { INVALID_PARAMETER } from './answers.js';
import { specFacts } from '../../generated/spec-facts.js';
import { ACCESS_TOKEN_HEADER } from '../auth.js';
import type { ConferenceInfo } from '../types.js';
import { type Enterprise, type EnterpriseOptions, liveEnterprise, type MockUser } from './enterprise.js';
import { FaultInjector, type FaultOptions } from './faults.js';
import { type ChurnOptions, type MockTimeline, Timeline } from './timeline.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
const appAuthPath = specFacts.operations.createAppIdToken.path;
const accountAuthPath = specFacts.operations.createAccountToken.path;

/** App credentials the stateful mock accepts for App ID authentication. */
export interface MockApp {
  appId: string;
  appKey: string;
}
export const MOCK_APP: MockApp = { appId: 'mock-app-id', appKey: 'mock-app-key' };

export interface StatefulOptions extends EnterpriseOptions, FaultOptions {
  /** Apps that may sign in. Default: one, {@link MOCK_APP}. */
  apps?: MockApp[];
  /** Lifetime of the tokens it issues, in seconds: short, so that renewal can be tested. Default 3600. */
  tokenValidSeconds?: number;
  /** Meetings that start, end and change over time (see timeline.ts). Default: none, the list stays as generated. */
  churn?: ChurnOptions;
}

/** A token issued by a sign-in, and whose it is until when. */
interface IssuedToken {
  user: MockUser;
  expiresAt: number;
}
const queryDefaults = specFacts.operations.listOngoingMeetings.query;

export interface StatefulUpstream {
  url: string;
  enterprise: Enterprise;
  timeline: MockTimeline;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Request-Id': randomBytes(16).toString('hex'),
    ...headers,
  });
  res.end(text);
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

const authFailed = (res: ServerResponse, why: string) =>
  send(res, 401, { error_code: errorBodies['Error-401-appauth'].error_code, error_msg: why });

/** A token for `user`, and Huawei's token answer. */
function issueToken(
  state: State,
  res: ServerResponse,
  user: MockUser,
  extra: { clientType: number; thirdAccount?: string; appId?: string },
): void {
  const accessToken = randomBytes(20).toString('hex');
  const createTime = Date.now();
  state.issued.set(accessToken, { user, expiresAt: createTime + state.tokenValidSeconds * 1000 });
  send(res, 200, {
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

const sha256Hex = (key: string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest('hex');
/** Equal, compared in constant time. */
const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Huawei's App ID authentication, as every SDK sends it: the hex in either case, with or without `,access=` (which,
 * when present, must be the app ID in base64), `userId`/`corpId`/`deptCode` absent, empty or null. A nonce is
 * accepted once; a signature whose `expireTime` has passed is refused.
 */
function authenticateApp(state: State, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
  const app = state.apps.find((a) => a.appId === body.appId);
  const header = /^HMAC-SHA256 signature=([0-9a-fA-F]{64})(?:,access=([A-Za-z0-9+/=]*))?$/.exec(
    String(req.headers.authorization ?? ''),
  );
  if (!app || !header) return authFailed(res, 'AUTH_FAILED');
  const [, signature, access] = header as unknown as [string, string, string | undefined];
  if (access !== undefined && Buffer.from(access, 'base64').toString('utf8') !== app.appId)
    return authFailed(res, 'ACCESS_MISMATCH');
  const expireTime = Number(body.expireTime);
  const nonce = String(body.nonce ?? '');
  const userId = typeof body.userId === 'string' ? body.userId : '';
  const corpId = typeof body.corpId === 'string' ? body.corpId : undefined;
  // A service provider's app signs the corpId; with none, the SDKs sign either four fields or five with an empty one.
  const signed = [
    ...(corpId ? [] : [[app.appId, userId, String(body.expireTime), nonce]]),
    [app.appId, corpId ?? '', userId, String(body.expireTime), nonce],
  ].map((parts) => sha256Hex(app.appKey, parts.join(':')));
  if (!signed.some((expected) => same(signature.toLowerCase(), expected))) return authFailed(res, 'AUTH_FAILED');
  const now = Date.now();
  if (expireTime !== 0 && expireTime * 1000 <= now) return authFailed(res, 'SIGNATURE_EXPIRED');
  for (const [seen, until] of state.nonces) if (until <= now) state.nonces.delete(seen);
  if (state.nonces.has(nonce)) return authFailed(res, 'NONCE_REPLAYED');
  state.nonces.set(nonce, expireTime === 0 ? Number.POSITIVE_INFINITY : expireTime * 1000);

  let user =
    userId === ''
      ? state.enterprise.users.find((u) => u.admin)!
      : state.enterprise.users.find((u) => u.name === userId);
  if (!user) {
    // Huawei registers a third-party user it has not seen; here: a user with no meetings and no password.
    user = {
      userUUID: randomBytes(16).toString('hex'),
      name: userId,
      account: userId,
      password: '',
      token: '',
      admin: false,
    };
    state.enterprise.users.push(user);
  }
  issueToken(state, res, user, { clientType: Number(body.clientType), thirdAccount: userId, appId: app.appId });
}

/**
 * Huawei's account authentication: `Basic base64(account:password)` of a generated user, and the same account in the
 * body.
 */
function authenticateAccount(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
): void {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  const decoded = basic === undefined ? '' : Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const account = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const user = colon > 0 ? state.enterprise.users.find((u) => u.account === account && u.password !== '') : undefined;
  if (!user || !same(password, user.password) || body.account !== account) {
    return authFailed(res, 'AUTH_FAILED');
  }
  issueToken(state, res, user, { clientType: Number(body.clientType) });
}

function list(state: State, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const { enterprise } = state;
  state.timeline.sync();
  const token = String(req.headers[ACCESS_TOKEN_HEADER.toLowerCase()] ?? '');
  const fault = state.faults.listRequest(token);
  const rateLimit =
    fault.kind !== 'failed' && fault.rateLimitHeader ? { 'X-APIG-Ratelimit-Api': fault.rateLimitHeader } : {};
  if (fault.kind === 'throttled') {
    return send(res, 429, errorBodies['Error-429'], { 'Retry-After': String(fault.retryAfterSeconds), ...rateLimit });
  }
  if (fault.kind === 'failed') {
    return fault.status === 503
      ? send(res, 503, errorBodies['Error-503'], { 'Retry-After': '1' })
      : send(res, 500, errorBodies['Error-500']);
  }
  const issued = state.issued.get(token);
  if (issued && issued.expiresAt <= Date.now()) state.issued.delete(token);
  const user =
    enterprise.users.find((u) => u.token !== '' && u.token === token) ??
    (issued && issued.expiresAt > Date.now() ? issued.user : undefined);
  if (!user) return send(res, 401, errorBodies['Error-401'], rateLimit);

  const offset = Number(url.searchParams.get('offset') ?? queryDefaults.offset.default);
  const limit = Number(url.searchParams.get('limit') ?? queryDefaults.limit.default);
  const queryAll = url.searchParams.get('queryAll') === 'true';
  const searchKey = url.searchParams.get('searchKey');
  let meetings = visibleMeetings(enterprise, user, queryAll);
  if (searchKey) meetings = meetings.filter((m) => matchesSearch(m, searchKey));
  send(res, 200, { data: meetings.slice(offset, offset + limit), offset, limit, count: meetings.length }, rateLimit);
}

function handle(state: State, req: IncomingMessage, res: ServerResponse, raw: string): void {
  const url = new URL(req.url ?? '/', 'http://upstream');
  if (req.method === 'GET' && url.pathname === listPath) return list(state, req, res, url);
  if (req.method === 'POST' && (url.pathname === appAuthPath || url.pathname === accountAuthPath)) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    // The gate (gate.ts) refuses these before Prism; here they must not crash the upstream either.
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return send(res, 400, { error_code: INVALID_PARAMETER, error_msg: 'body: must be a JSON object' });
    return url.pathname === appAuthPath
      ? authenticateApp(state, req, res, body as Record<string, unknown>)
      : authenticateAccount(state, req, res, body as Record<string, unknown>);
  }
  send(res, 404, errorBodies['Error-404']);
}

export async function startStatefulUpstream(options: StatefulOptions = {}): Promise<StatefulUpstream> {
  const { enterprise, now, makeMeeting } = liveEnterprise(options);
  const timeline = new Timeline(enterprise, makeMeeting, options.churn ?? {}, options.seed ?? 1, now);
  const state: State = {
    enterprise,
    apps: options.apps ?? [MOCK_APP],
    tokenValidSeconds: options.tokenValidSeconds ?? 3600,
    issued: new Map(),
    nonces: new Map(),
    faults: new FaultInjector(options, options.seed ?? 1),
    timeline,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const delay = state.faults.latency();
      const answer = () => handle(state, req, res, Buffer.concat(chunks).toString('utf8'));
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    enterprise,
    timeline,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
