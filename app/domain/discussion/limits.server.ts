/**
 * Rate limits on posting and flagging, per account and per IP address (in memory, like the
 * sign-in limits in ~/lib/rate-limit.server: one process serves a site). A refused attempt
 * writes nothing: the limit is taken before the post's transaction.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export const POST_LIMITS = { perAccountPerMinute: 10, perIpPerMinute: 30 } as const;
export const FLAG_LIMITS = { perAccountPer10Min: 10, perIpPer10Min: 30 } as const;

const postsByAccount = new RateLimiterMemory({ keyPrefix: 'disc_post_acct', points: POST_LIMITS.perAccountPerMinute, duration: 60 });
const postsByIp = new RateLimiterMemory({ keyPrefix: 'disc_post_ip', points: POST_LIMITS.perIpPerMinute, duration: 60 });
const flagsByAccount = new RateLimiterMemory({ keyPrefix: 'disc_flag_acct', points: FLAG_LIMITS.perAccountPer10Min, duration: 600 });
const flagsByIp = new RateLimiterMemory({ keyPrefix: 'disc_flag_ip', points: FLAG_LIMITS.perIpPer10Min, duration: 600 });

async function take(limiter: RateLimiterMemory, key: string): Promise<number> {
  try {
    await limiter.consume(key, 1);
    return 0;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}

/** 0 when allowed, else the seconds to wait. */
export async function takePostAllowance(userId: string, ip: string | null): Promise<number> {
  const a = await take(postsByAccount, userId);
  if (a) return a;
  return ip ? take(postsByIp, ip) : 0;
}

export async function takeFlagAllowance(userId: string, ip: string | null): Promise<number> {
  const a = await take(flagsByAccount, userId);
  if (a) return a;
  return ip ? take(flagsByIp, ip) : 0;
}
