// The upstream of the stateful mock: serves the generated enterprise with Huawei's semantics. It sits
// behind Prism's proxy (with --errors), which validates every request and every response against the spec.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { specFacts } from '../../generated/spec-facts.js';
import { ACCESS_TOKEN_HEADER } from '../auth.js';
import type { ConferenceInfo } from '../types.js';
import { generateEnterprise, type Enterprise, type EnterpriseOptions, type MockUser } from './enterprise.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
const authPath = specFacts.operations.createAppIdToken.path;

/** App credentials the stateful mock accepts for App ID authentication. */
export interface MockApp {
  appId: string;
  appKey: string;
}
export const MOCK_APP: MockApp = { appId: 'mock-app-id', appKey: 'mock-app-key' };

export interface StatefulOptions extends EnterpriseOptions {
  /** Apps that may sign in. Default: one, {@link MOCK_APP}. */
  apps?: MockApp[];
  /** Lifetime of the tokens it issues, in seconds: short, so that renewal can be tested. Default 3600. */
  tokenValidSeconds?: number;
}

/** A token issued by App ID authentication, and whose it is until when. */
interface IssuedToken {
  user: MockUser;
  expiresAt: number;
}
const queryDefaults = specFacts.operations.listOngoingMeetings.query;

export interface StatefulUpstream {
  url: string;
  enterprise: Enterprise;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Request-Id': randomBytes(16).toString('hex'),
  });
  res.end(text);
}

/** What `user` may see: everything for an administrator asking with queryAll, else what they scheduled or were invited to. */
export function visibleMeetings(enterprise: Enterprise, user: MockUser, queryAll: boolean): ConferenceInfo[] {
  if (user.admin && queryAll) return enterprise.meetings;
  return enterprise.meetings.filter((m) => m.userUUID === user.userUUID || enterprise.invited.get(m.confUUID!)?.has(user.userUUID));
}

/** Huawei matches the topic, the scheduler and the meeting ID. */
export function matchesSearch(meeting: ConferenceInfo, searchKey: string): boolean {
  const needle = searchKey.toLowerCase();
  return [meeting.subject, meeting.scheduserName, meeting.conferenceID].some((field) => field?.toLowerCase().includes(needle));
}

interface State {
  enterprise: Enterprise;
  apps: MockApp[];
  tokenValidSeconds: number;
  issued: Map<string, IssuedToken>;
}

/** Huawei's App ID authentication: checks the HMAC signature against the app's key, then issues a token. */
function authenticate(state: State, req: IncomingMessage, res: ServerResponse, raw: string): void {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return send(res, 400, { error_code: 'USG.000000002', error_msg: 'INVALID_BODY' });
  }
  const app = state.apps.find((a) => a.appId === body.appId);
  const signature = /^HMAC-SHA256 signature=([0-9a-fA-F]{64})(,access=.*)?$/.exec(String(req.headers.authorization ?? ''))?.[1];
  const expireTime = Number(body.expireTime);
  const nonce = String(body.nonce ?? '');
  const parts = [String(body.appId), ...(body.corpId !== undefined ? [String(body.corpId)] : []), String(body.userId ?? ''), String(body.expireTime), nonce];
  const expected = app ? createHmac('sha256', app.appKey).update(parts.join(':')).digest('hex') : '';
  const valid =
    app !== undefined &&
    signature !== undefined &&
    timingSafeEqual(Buffer.from(signature.toLowerCase()), Buffer.from(expected)) &&
    nonce.length >= 32 &&
    nonce.length <= 64 &&
    (expireTime === 0 || expireTime * 1000 > Date.now());
  if (!valid) return send(res, 401, { error_code: 'USG.000000001', error_msg: 'AUTH_FAILED' });

  const userId = typeof body.userId === 'string' ? body.userId : '';
  let user = userId === '' ? state.enterprise.users.find((u) => u.admin)! : state.enterprise.users.find((u) => u.name === userId);
  if (!user) {
    // Huawei registers a third-party user it has not seen; here: a user with no meetings.
    user = { userUUID: randomBytes(16).toString('hex'), name: userId, token: '', admin: false };
    state.enterprise.users.push(user);
  }
  const accessToken = randomBytes(20).toString('hex');
  const createTime = Date.now();
  state.issued.set(accessToken, { user, expiresAt: createTime + state.tokenValidSeconds * 1000 });
  send(res, 200, {
    accessToken,
    tokenIp: '127.0.0.1',
    validPeriod: state.tokenValidSeconds,
    expireTime: Math.floor(createTime / 1000) + state.tokenValidSeconds,
    createTime,
    user: { userId: user.userUUID, name: user.name, thirdAccount: userId, adminType: user.admin ? 0 : 2, userType: 2, status: 0, appId: String(body.appId) },
    clientType: Number(body.clientType),
    firstLogin: false,
    pwdExpired: false,
    tokenType: 0,
  });
}

function handle(state: State, req: IncomingMessage, res: ServerResponse, raw: string): void {
  const { enterprise } = state;
  const url = new URL(req.url ?? '/', 'http://upstream');
  if (req.method === 'POST' && url.pathname === authPath) return authenticate(state, req, res, raw);
  if (req.method !== 'GET' || url.pathname !== listPath) {
    return send(res, 404, { error_code: 'MMC.111070404', error_msg: 'NOT_FOUND' });
  }
  const token = String(req.headers[ACCESS_TOKEN_HEADER.toLowerCase()] ?? '');
  const issued = state.issued.get(token);
  if (issued && issued.expiresAt <= Date.now()) state.issued.delete(token);
  const user = enterprise.users.find((u) => u.token !== '' && u.token === token) ?? (issued && issued.expiresAt > Date.now() ? issued.user : undefined);
  if (!user) return send(res, 401, { error_code: 'USG.000000004', error_msg: 'TOKEN_INVALID' });

  const offset = Number(url.searchParams.get('offset') ?? queryDefaults.offset.default);
  const limit = Number(url.searchParams.get('limit') ?? queryDefaults.limit.default);
  const queryAll = url.searchParams.get('queryAll') === 'true';
  const searchKey = url.searchParams.get('searchKey');
  let meetings = visibleMeetings(enterprise, user, queryAll);
  if (searchKey) meetings = meetings.filter((m) => matchesSearch(m, searchKey));
  send(res, 200, { data: meetings.slice(offset, offset + limit), offset, limit, count: meetings.length });
}

export async function startStatefulUpstream(options: StatefulOptions = {}): Promise<StatefulUpstream> {
  const enterprise = generateEnterprise(options);
  const state: State = { enterprise, apps: options.apps ?? [MOCK_APP], tokenValidSeconds: options.tokenValidSeconds ?? 3600, issued: new Map() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(state, req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    enterprise,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
