// Token lifetimes as Huawei issues them: 12 to 24 hours (12 by default here, shorter only when a test asks), and
// a sign-in answer whose times agree with each other and with now, in both modes.

/** Huawei's shortest token lifetime, the mock's default: SDKs that cache a token 10 to 12 hours never see a 401. */
export const HUAWEI_TOKEN_SECONDS = 12 * 60 * 60;

/**
 * A token answer with its times made now: `createTime` (ms) now, `expireTime` (s) `validPeriod` later, and the
 * refresh token's the same way; everything else as given. The spec's example is from 2021: a client that trusts
 * `expireTime` would take it as expired.
 */
export function freshTokenTimes(answer: Record<string, unknown>, now = Date.now()): Record<string, unknown> {
  const seconds = Math.floor(now / 1000);
  const fresh: Record<string, unknown> = { ...answer, createTime: now };
  if (typeof answer.validPeriod === 'number') fresh.expireTime = seconds + answer.validPeriod;
  if ('refreshCreateTime' in answer) fresh.refreshCreateTime = now;
  if (typeof answer.refreshValidPeriod === 'number') fresh.refreshExpireTime = seconds + answer.refreshValidPeriod;
  return fresh;
}
