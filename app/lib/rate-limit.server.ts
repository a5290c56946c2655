/**
 * Rate limits, stored in the database so that every server process (cluster workers, several
 * machines) shares the same counters, on SQLite and PostgreSQL alike. rate-limiter-flexible
 * does the arithmetic (`consume` rejects once the points are spent); `RateLimiterKysely` is
 * its store: one atomic upsert per consume, so parallel requests cannot all slip under a limit.
 *
 * Sign-in follows OWASP's authentication guidance: the attempt is consumed *before* the slow
 * password check, per (account, IP) and per IP, plus a slower per-account limit across all
 * addresses instead of a lock-out (5 wrong guesses by a stranger must not lock out the owner).
 */
import type { Kysely } from 'kysely';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
// The package's index does not re-export its store base class (its .d.ts declares it): the
// documented way to write a custom store is to extend it from lib/.
import StoreAbstract from 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js';

import { toNumber } from '~/db/dialect';
import type { Database } from '~/db/schema';

import type { DB } from './db.server';
import { getDb } from './db.server';

type Row = { points: number; expire: number | null };

const Base = StoreAbstract as unknown as typeof RateLimiterStoreAbstract;

class RateLimiterKysely extends Base {
  private readonly db: () => Kysely<Database>;
  constructor(opts: { keyPrefix: string; points: number; duration: number; db: () => Kysely<Database> }) {
    super({ keyPrefix: opts.keyPrefix, points: opts.points, duration: opts.duration, storeClient: {} });
    this.db = opts.db;
  }

  // rate-limiter-flexible's store protocol (RateLimiterStoreAbstract): _upsert, _get, _delete
  // and _getRateLimiterRes. The methods are untyped in its .d.ts, hence the plain signatures.
  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<Row> {
    const now = Date.now();
    const expire = msDuration > 0 ? now + msDuration : null;
    const db = this.db();
    const row = forceExpire
      ? await db
          .insertInto('rate_limits')
          .values({ key: rlKey, points, expire })
          .onConflict((oc) => oc.column('key').doUpdateSet({ points, expire }))
          .returning(['points', 'expire'])
          .executeTakeFirstOrThrow()
      : await db
          .insertInto('rate_limits')
          .values({ key: rlKey, points, expire })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({
              // A live window adds to the count; an expired one starts again from these points.
              points: eb
                .case()
                .when(eb.or([eb('rate_limits.expire', 'is', null), eb('rate_limits.expire', '>', now)]))
                .then(eb('rate_limits.points', '+', eb.ref('excluded.points')))
                .else(eb.ref('excluded.points'))
                .end(),
              expire: eb
                .case()
                .when(eb.or([eb('rate_limits.expire', 'is', null), eb('rate_limits.expire', '>', now)]))
                .then(eb.ref('rate_limits.expire'))
                .else(eb.ref('excluded.expire'))
                .end(),
            })),
          )
          .returning(['points', 'expire'])
          .executeTakeFirstOrThrow();
    return { points: toNumber(row.points), expire: row.expire === null ? null : toNumber(row.expire) };
  }

  async _get(rlKey: string): Promise<Row | null> {
    const row = await this.db()
      .selectFrom('rate_limits')
      .select(['points', 'expire'])
      .where('key', '=', rlKey)
      .where((eb) => eb.or([eb('expire', 'is', null), eb('expire', '>', Date.now())]))
      .executeTakeFirst();
    return row ? { points: toNumber(row.points), expire: row.expire === null ? null : toNumber(row.expire) } : null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    const r = await this.db().deleteFrom('rate_limits').where('key', '=', rlKey).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, result: Row): RateLimiterRes {
    const consumed = result.points;
    return new RateLimiterRes(
      Math.max(this.points - consumed, 0),
      result.expire ? Math.max(result.expire - Date.now(), 0) : -1,
      consumed,
      consumed === changedPoints,
    );
  }
}

export interface Limit {
  keyPrefix: string;
  points: number;
  /** Window in seconds. */
  duration: number;
}

/** A limiter on the application database (or on `db` in tests). */
export function dbLimiter(limit: Limit, db?: DB): RateLimiterStoreAbstract {
  return new RateLimiterKysely({ ...limit, db: () => db ?? getDb() });
}

export type Consumed = { ok: true } | { ok: false; retryAfterS: number };

/**
 * Consumes one point from every limiter at once (atomically per limiter); refused when any of
 * them is spent. Callers consume before doing the guarded work.
 */
export async function consumeAll(parts: Array<[RateLimiterStoreAbstract, string]>): Promise<Consumed> {
  const results = await Promise.allSettled(parts.map(([l, key]) => l.consume(key)));
  let retry = 0;
  let refused = false;
  for (const r of results) {
    if (r.status === 'fulfilled') continue;
    if (r.reason instanceof RateLimiterRes) {
      refused = true;
      retry = Math.max(retry, r.reason.msBeforeNext);
    } else throw r.reason;
  }
  return refused ? { ok: false, retryAfterS: Math.max(1, Math.ceil(retry / 1000)) } : { ok: true };
}

const MIN = 60;
/**
 * RATE_LIMIT_SHARED_FACTOR multiplies the limits that many people behind one address (or one
 * account used all day) can reach: per address and account-wide. 1 by default; a test harness
 * or a load test, where every client is 127.0.0.1 and the demo accounts sign in hundreds of times,
 * raises it. The per account+address guess limit and the per-email limits never change.
 */
const SHARED = Math.max(1, Math.floor(Number(process.env.RATE_LIMIT_SHARED_FACTOR) || 1));
/** Every limit of the site, in one place (README "Security" lists them). */
export const LIMITS = {
  loginAccountIp: { keyPrefix: 'login_acct_ip', points: 5, duration: 15 * MIN },
  loginIp: { keyPrefix: 'login_ip', points: 30 * SHARED, duration: 15 * MIN },
  // Slower, across all addresses: slows a distributed guesser without locking out the owner,
  // who can still sign in from an address of their own once this window has room.
  loginAccount: { keyPrefix: 'login_acct', points: 50 * SHARED, duration: 60 * MIN },
  forgotEmail: { keyPrefix: 'forgot_email', points: 3, duration: 60 * MIN },
  forgotIp: { keyPrefix: 'forgot_ip', points: 20 * SHARED, duration: 60 * MIN },
  signUpIp: { keyPrefix: 'signup_ip', points: 20 * SHARED, duration: 60 * MIN },
  signUpEmail: { keyPrefix: 'signup_email', points: 3, duration: 60 * MIN },
  enrolCode: { keyPrefix: 'enrol_code', points: 10, duration: 15 * MIN },
  shelfJoin: { keyPrefix: 'shelf_join', points: 10, duration: 15 * MIN },
  // Public votes of contest galleries (issue #15): a school's pupils share one address.
  voteIp: { keyPrefix: 'vote_ip', points: 30 * SHARED, duration: MIN },
  voteAccount: { keyPrefix: 'vote_acct', points: 10, duration: MIN },
  // Starting an upload of a contest entry (issue #15: a tus creation or a form carrying a file).
  // A re-recording or a resumed upload is rare; a class uploading at once shares one address.
  uploadStartAccount: { keyPrefix: 'upload_acct', points: 20, duration: 10 * MIN },
  uploadStartIp: { keyPrefix: 'upload_ip', points: 120 * SHARED, duration: 10 * MIN },
} satisfies Record<string, Limit>;

type LimitName = keyof typeof LIMITS;
const cache = new WeakMap<object, Map<LimitName, RateLimiterStoreAbstract>>();
const DEFAULT_DB = {};

/** The named limiter on `db` (the application database when omitted). */
export function limiter(name: LimitName, db?: DB): RateLimiterStoreAbstract {
  const k = db ?? DEFAULT_DB;
  let m = cache.get(k);
  if (!m) cache.set(k, (m = new Map()));
  let l = m.get(name);
  if (!l) m.set(name, (l = dbLimiter(LIMITS[name], db)));
  return l;
}

/** Consumes one sign-in attempt for this account from this address, before the password is checked. */
export async function consumeLoginAttempt(email: string, ip: string, db?: DB): Promise<Consumed> {
  const local = await consumeAll([
    [limiter('loginAccountIp', db), `${email}|${ip}`],
    [limiter('loginIp', db), ip],
  ]);
  if (!local.ok) return local;
  // Only attempts that will really be checked count towards the account-wide limit, so one
  // address hammering the account cannot spend it for everyone else.
  return consumeAll([[limiter('loginAccount', db), email]]);
}

/** A successful sign-in forgives this address's wrong guesses for the account. */
export async function recordLoginSuccess(email: string, ip: string, db?: DB): Promise<void> {
  await limiter('loginAccountIp', db).delete(`${email}|${ip}`);
}

/** Points per window of upload starts, when a test or a caller wants other figures than LIMITS'. */
export interface UploadStartLimits {
  perAccount: number;
  perIp: number;
}

/**
 * Consumes one upload start for this account and this address (issue #15), before the upload is
 * created or its bytes are read; refused when either budget is spent.
 */
export async function consumeUploadStart(userId: string, ip: string, db?: DB, limits?: UploadStartLimits): Promise<Consumed> {
  const account = limits ? dbLimiter({ ...LIMITS.uploadStartAccount, points: limits.perAccount }, db) : limiter('uploadStartAccount', db);
  const address = limits ? dbLimiter({ ...LIMITS.uploadStartIp, points: limits.perIp }, db) : limiter('uploadStartIp', db);
  return consumeAll([
    [account, userId],
    [address, ip],
  ]);
}

/** Drops expired counters (a periodic job). */
export async function deleteExpiredLimits(db: DB = getDb()): Promise<void> {
  await db.deleteFrom('rate_limits').where('expire', '<', Date.now()).execute();
}

/** For tests: forget the sign-in counters of this account and address. */
export async function resetLoginLimits(email: string, ip: string, db?: DB): Promise<void> {
  await Promise.all([
    limiter('loginAccountIp', db).delete(`${email}|${ip}`),
    limiter('loginIp', db).delete(ip),
    limiter('loginAccount', db).delete(email),
  ]);
}

// Contests (issue #14): starts and answer saves per account, so a script cannot hammer a round.
// In memory on purpose: answer saves are the hottest write path of an opening minute, and a
// database-backed counter would double its writes; with N workers an account gets N× the points.
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
