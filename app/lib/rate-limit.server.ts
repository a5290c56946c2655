import { RateLimiterMemory } from 'rate-limiter-flexible';

// Failed sign-ins: 5 per account and 30 per IP address in 15 minutes. In memory: one process
// serves a site; a multi-process deployment would move these to the database.
const WINDOW_S = 15 * 60;
const byAccount = new RateLimiterMemory({ keyPrefix: 'login_acct', points: 5, duration: WINDOW_S });
const byIp = new RateLimiterMemory({ keyPrefix: 'login_ip', points: 30, duration: WINDOW_S });

export async function loginBlocked(email: string, ip: string): Promise<{ blocked: boolean; retryAfterS: number }> {
  const [a, i] = await Promise.all([byAccount.get(email), byIp.get(ip)]);
  const blockedA = !!a && a.consumedPoints >= 5;
  const blockedI = !!i && i.consumedPoints >= 30;
  const retry = Math.max(blockedA ? a!.msBeforeNext : 0, blockedI ? i!.msBeforeNext : 0);
  return { blocked: blockedA || blockedI, retryAfterS: Math.ceil(retry / 1000) };
}

export async function recordLoginFailure(email: string, ip: string): Promise<void> {
  await Promise.all([byAccount.penalty(email, 1), byIp.penalty(ip, 1)]);
}

export async function recordLoginSuccess(email: string): Promise<void> {
  await byAccount.delete(email);
}

/** For tests: forget every counter. */
export async function resetLoginLimits(email: string, ip: string): Promise<void> {
  await Promise.all([byAccount.delete(email), byIp.delete(ip)]);
}

// Contests (issue #14): starts and answer saves per account, so a script cannot hammer a round.
const contestStarts = new RateLimiterMemory({ keyPrefix: 'contest_start', points: 10, duration: 60 });
const contestSaves = new RateLimiterMemory({ keyPrefix: 'contest_save', points: 120, duration: 60 });

/** True when the account may start (or resume) a contest round now; consumes one point. */
export async function allowContestStart(userId: string): Promise<boolean> {
  return contestStarts.consume(userId).then(
    () => true,
    () => false,
  );
}

/** True when the account may save answers now (autosave every few seconds stays well under). */
export async function allowContestSave(userId: string): Promise<boolean> {
  return contestSaves.consume(userId).then(
    () => true,
    () => false,
  );
}
