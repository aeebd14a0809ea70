// The upstream of the stateful mock: serves the generated enterprise with Huawei's semantics. It sits
// behind Prism's proxy (with --errors), which validates every request and every response against the spec.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { specFacts } from '../../generated/spec-facts.js';
import type { ConferenceInfo } from '../types.js';
import { generateEnterprise, type Enterprise, type EnterpriseOptions, type MockUser } from './enterprise.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
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

function handle(enterprise: Enterprise, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://upstream');
  if (req.method !== 'GET' || url.pathname !== listPath) {
    return send(res, 404, { error_code: 'MMC.111070404', error_msg: 'NOT_FOUND' });
  }
  const token = req.headers['x-access-token'];
  const user = enterprise.users.find((u) => u.token === token);
  if (!user) return send(res, 401, { error_code: 'USG.000000004', error_msg: 'TOKEN_INVALID' });

  const offset = Number(url.searchParams.get('offset') ?? queryDefaults.offset.default);
  const limit = Number(url.searchParams.get('limit') ?? queryDefaults.limit.default);
  const queryAll = url.searchParams.get('queryAll') === 'true';
  const searchKey = url.searchParams.get('searchKey');
  let meetings = visibleMeetings(enterprise, user, queryAll);
  if (searchKey) meetings = meetings.filter((m) => matchesSearch(m, searchKey));
  send(res, 200, { data: meetings.slice(offset, offset + limit), offset, limit, count: meetings.length });
}

export async function startStatefulUpstream(options: EnterpriseOptions = {}): Promise<StatefulUpstream> {
  const enterprise = generateEnterprise(options);
  const server = createServer((req, res) => handle(enterprise, req, res));
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
