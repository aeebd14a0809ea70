// A deterministic, generated enterprise for the stateful mock: users (one admin) and ongoing meetings
// shaped like the spec's example, so that paging, search and permissions can be exercised end to end.
import type { ConferenceInfo } from '../types.js';

/** A generated user of the stateful mock, with what it takes to sign in or call as them. */
export interface MockUser {
  /** The user's ID, as `userUUID` in Huawei's API. */
  userUUID: string;
  /** `user00`, `user01`, …; `user00` is the administrator. */
  name: string;
  /** Login account for account authentication (`POST /v1/usg/acs/auth/account`): the same as `name`. */
  account: string;
  /** Its password: `mock-password-<index>`. */
  password: string;
  /** A token the mock accepts for this user, with no sign-in. */
  token: string;
  /** Whether the user is the enterprise's administrator (only `users[0]`). */
  admin: boolean;
}

/** The shape of the generated enterprise; the same options and seed give the same enterprise. */
export interface EnterpriseOptions {
  /** How many ongoing meetings. Default 1234. */
  meetings?: number | undefined;
  /** How many users; the first is the administrator. Default 40. */
  users?: number | undefined;
  /** Seed of the generator: the same seed gives the same enterprise. Default 1. */
  seed?: number | undefined;
  /** "Now", in ms since the epoch; meetings started before it and end after it. Default: the current minute. */
  now?: number | undefined;
}

/** A generated enterprise: its users and its ongoing meetings, as the stateful mock serves them. */
export interface Enterprise {
  /** Every user; the first is the administrator. */
  users: MockUser[];
  /** Sorted by start time, earliest first, as Huawei sorts them. */
  meetings: ConferenceInfo[];
  /** Who was invited to each meeting (by userUUID), besides its scheduler. */
  invited: Map<string, Set<string>>;
}

/** Tokens of the first two users, stable whatever the options: the administrator and an ordinary user. */
export const MOCK_ADMIN_TOKEN = 'mock-admin-token';
/** The token of `users[1]`, an ordinary user, who sees only meetings they scheduled or are invited to. */
export const MOCK_USER_TOKEN = 'mock-user-token';

const TOPICS = [
  'Weekly sync',
  'Design review',
  'Sprint planning',
  'Customer call',
  'All hands',
  'Retrospective',
  'Interview',
  '周例会',
  'Budget',
  'Release go/no-go',
];
const DEPARTMENTS = ['Engineering', 'Sales', 'Support', 'Finance', '企业协同云服务项目群'];
const MEDIA = ['Voice,Data,Video', 'HDVideo,Data,Voice', 'Data,Voice,HDVideo', 'Voice'];

/** mulberry32: small, fast, good enough to make test data reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (next: () => number, length: number) =>
  Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join('');
const pad = (n: number) => String(n).padStart(2, '0');
/** Huawei's `YYYY-MM-DD HH:MM`, in UTC. */
export const meetingTime = (ms: number) => {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/**
 * Makes meetings for an enterprise, numbered from 1, with the generator's random numbers in a fixed order (so that
 * a seed always gives the same meetings). A meeting is made as ongoing at `now`: started up to 8 hours before it,
 * unless `startedAt` says when (a meeting that starts while the mock runs).
 */
export function meetingFactory(
  next: () => number,
  enterprise: Enterprise,
): (now: number, startedAt?: number) => ConferenceInfo {
  const { users, invited } = enterprise;
  const usedIds = new Set(enterprise.meetings.map((m) => m.conferenceID));
  let i = enterprise.meetings.length;
  return (now, startedAt) => {
    const scheduler = users[Math.floor(next() * users.length)]!;
    let conferenceID: string;
    do conferenceID = String(900_000_000 + Math.floor(next() * 99_999_999));
    while (usedIds.has(conferenceID));
    usedIds.add(conferenceID);
    const confUUID = hex(next, 32);
    const startedMinutesAgo = 1 + Math.floor(next() * 480);
    const start = startedAt ?? now - startedMinutesAgo * 60_000;
    const end = now + (15 + Math.floor(next() * 240)) * 60_000;
    const guests = users.filter((u) => u !== scheduler && next() < 4 / users.length);
    invited.set(confUUID, new Set(guests.map((g) => g.userUUID)));
    const cycle = next() < 0.1;
    return {
      conferenceID,
      mediaTypes: MEDIA[Math.floor(next() * MEDIA.length)]!,
      subject: `${TOPICS[Math.floor(next() * TOPICS.length)]} #${++i}`,
      size: guests.length + 1,
      timeZoneID: '56',
      startTime: meetingTime(start),
      endTime: meetingTime(end),
      conferenceState: 'Created',
      accessNumber: '+991117',
      language: next() < 0.5 ? 'zh-CN' : 'en-US',
      passwordEntry: [
        { conferenceRole: 'chair', password: '******' },
        { conferenceRole: 'general', password: '******' },
      ],
      userUUID: scheduler.userUUID,
      scheduserName: scheduler.name,
      multiStreamFlag: 1,
      conferenceType: cycle ? 2 : 0,
      confType: cycle ? 'CYCLE' : next() < 0.5 ? 'IMMEDIATELY' : 'FUTURE',
      isAutoMute: next() < 0.5 ? 1 : 0,
      isAutoRecord: 0,
      chairJoinUri: `https://c.meeting.huaweicloud.com/#/j/${conferenceID}/${hex(next, 48)}`,
      guestJoinUri: `https://c.meeting.huaweicloud.com/#/j/${conferenceID}/${hex(next, 48)}`,
      recordType: 0,
      recordAuxStream: 0,
      confConfigInfo: {
        prolongLength: 15,
        isGuestFreePwd: false,
        isSendNotify: true,
        isSendSms: true,
        isAutoMute: true,
        isSendCalendar: true,
        callInRestriction: 0,
        allowGuestStartConf: true,
        isHardTerminalAutoMute: true,
        enableWaitingRoom: next() < 0.5,
      },
      vmrFlag: 0,
      scheduleVmr: false,
      isHasRecordFile: false,
      partAttendeeInfo: guests.slice(0, 20).map((g) => ({
        phone: `+99111****${String(users.indexOf(g)).padStart(3, '0')}`,
        name: g.name,
        type: 'normal',
      })),
      terminlCount: Math.floor(next() * 3),
      normalCount: 1 + Math.floor(next() * 12),
      deptName: DEPARTMENTS[Math.floor(next() * DEPARTMENTS.length)]!,
      confUUID,
      onlineAttendeeAmount: 1 + Math.floor(next() * 12),
    };
  };
}

/**
 * Generates the stateful mock's enterprise: users (the first one the administrator) and ongoing meetings shaped like
 * the spec's example, deterministic for a given seed.
 *
 * @param options - How many meetings and users, the seed, and "now".
 * @returns The users, the meetings sorted by start time, and who was invited to each.
 */
export function generateEnterprise(options: EnterpriseOptions = {}): Enterprise {
  return liveEnterprise(options).enterprise;
}

/** The enterprise, its "now", and the factory that goes on making its meetings (for meetings that start later). */
export function liveEnterprise(options: EnterpriseOptions = {}): {
  enterprise: Enterprise;
  now: number;
  makeMeeting: (now: number, startedAt?: number) => ConferenceInfo;
} {
  const next = seededRandom(options.seed ?? 1);
  const userCount = Math.max(2, options.users ?? 40);
  const now = options.now ?? Math.floor(Date.now() / 60_000) * 60_000;
  const users: MockUser[] = Array.from({ length: userCount }, (_, i) => ({
    userUUID: hex(next, 32),
    name: `user${String(i).padStart(2, '0')}`,
    account: `user${String(i).padStart(2, '0')}`,
    password: `mock-password-${i}`,
    token: i === 0 ? MOCK_ADMIN_TOKEN : i === 1 ? MOCK_USER_TOKEN : `mock-token-${i}`,
    admin: i === 0,
  }));
  const enterprise: Enterprise = { users, meetings: [], invited: new Map() };
  const factory = meetingFactory(next, enterprise);
  for (let i = 0; i < (options.meetings ?? 1234); i++) enterprise.meetings.push(factory(now));
  enterprise.meetings.sort((a, b) => (a.startTime! < b.startTime! ? -1 : a.startTime! > b.startTime! ? 1 : 0));
  return { enterprise, now, makeMeeting: factory };
}
