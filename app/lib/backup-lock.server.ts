/**
 * One backup at a time per backup folder: an exclusive lock file, `BACKUP_DIR/.backup.lock`,
 * created with O_CREAT|O_EXCL (`open(…, 'wx')`, atomic on local file systems and on NFSv3+), holding
 * the holder's pid, host name, start time and a random token. Taken by `npm run backup`, the daily
 * backup job, retention (pruning), `npm run restore` and a check of an archive (`verifyArchive`) —
 * the last two on the folder of the archive they read — so retention never deletes an archive a
 * running backup, restore or check is reading, a check never judges an archive a backup is still
 * writing, and two backups never write into one folder at once.
 *
 * A lock left behind is stale, and taken over, when
 * - its holder ran on this host and that pid is no longer alive (a crash, SIGKILL, a power cut), or
 * - it has not been renewed for `maxAgeMs` (BACKUP_LOCK_MAX_AGE_MINUTES): the holder touches the
 *   file's mtime every `maxAgeMs / 4` (at most every minute) while it works, so a live backup,
 *   however long, keeps its lock, while one that died on another host (whose pid cannot be checked
 *   from here), or a pid reused by an unrelated process, stops renewing and ages out;
 * - or it is empty or unreadable (a holder that died between creating and writing it) and older
 *   than 10 s.
 * Taking over is serialised by a second short-lived O_EXCL file (`.backup.lock.takeover`), inside
 * which the lock is read again and removed only if it is still the stale one: two processes that
 * both find a stale lock never both win.
 *
 * Released on every exit path: `release()` in a `finally`, and a process 'exit' hook for locks
 * still held (the CLI turns SIGINT/SIGTERM into an exit). SIGKILL leaves the file; the next run
 * finds its pid dead and takes over. A lock is only ever removed by its holder (same token) or by
 * a takeover of a stale one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { TFunction } from '~/i18n/i18n';
import { getT } from '~/i18n/i18n.server';
import type { TKey } from '~/i18n/keys';

export const LOCK_FILE = '.backup.lock';
const TAKEOVER_FILE = `${LOCK_FILE}.takeover`;
/** An empty/unreadable lock file, or a takeover guard, older than this is left from a crash. */
const GRACE_MS = 10_000;
export const DEFAULT_LOCK_MAX_AGE_MS = 30 * 60 * 1000;

export type LockInfo = { pid: number; host: string; startedAt: string; purpose: string; token: string };

export type LockOptions = {
  /** What the holder does, shown to whoever finds the folder locked ('backup', 'restore', 'prune'). */
  purpose: string;
  /** A lock not renewed for this long is stale (default 30 minutes). */
  maxAgeMs?: number;
  /** false/undefined: fail at once when the folder is locked; true: wait for it; a number: wait at most so many ms. */
  wait?: boolean | number;
  /** Called once when the folder is found locked and `wait` is set (e.g. to print "waiting for …"). */
  onWait?: (holder: LockInfo | null) => void;
  /** Called when a stale lock was taken over, with what it said. */
  onTakeover?: (t: TakeOver) => void;
  /** How often a waiting process looks again (default 250 ms). */
  pollMs?: number;
};

export type HeldLock = {
  file: string;
  info: LockInfo;
  /** Whether a stale lock was taken over to get this one. */
  tookOver: TakeOver | null;
  release: () => Promise<void>;
};

/** Why a lock is stale: its holder's pid is gone, it was not renewed in time, or it cannot be read. */
export type StaleCause =
  { code: 'dead'; pid: number; host: string } | { code: 'old'; minutes: number; max: number } | { code: 'unreadable' };
export type TakeOver = { stale: LockInfo | null; cause: StaleCause; /** `cause` in English (logs). */ why: string };

/** The words for what a holder does (the lock file says it in English: 'backup', 'restore', …). */
const purposeLabel: Record<string, TKey> = {
  backup: 'ops.backup.lock.purposes.backup',
  restore: 'ops.backup.lock.purposes.restore',
  'clean-up of old backups': 'ops.backup.lock.purposes.prune',
  check: 'ops.backup.lock.purposes.check',
};
/** A holder's purpose in the reader's language (one from another version of the platform as it is). */
export const purposeText = (t: TFunction, purpose: string | undefined) => {
  const key = purposeLabel[purpose ?? 'backup'];
  return key ? t(key) : (purpose ?? '');
};

export function describeStale(t: TFunction, c: StaleCause): string {
  if (c.code === 'dead') return t('ops.backup.lock.dead', { pid: c.pid, host: c.host });
  if (c.code === 'old') return t('ops.backup.lock.old', { minutes: c.minutes, max: c.max });
  return t('ops.backup.lock.unreadable');
}

/** Thrown when the folder is locked by a live holder (and not waiting, or the wait ran out). Its message is English (logs). */
export class BackupLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockInfo | null,
    readonly waitedMs?: number,
  ) {
    super('');
    this.message = this.describe(getT('en'));
  }

  /** The refusal in the language of `t` (the CLI's). */
  describe(t: TFunction): string {
    const { dir, holder, waitedMs } = this;
    const purpose = purposeText(t, holder?.purpose);
    return [
      holder
        ? t('ops.backup.lock.locked', { dir, purpose, pid: holder.pid, host: holder.host, startedAt: holder.startedAt })
        : t('ops.backup.lock.lockedUnknown', { dir, purpose }),
      waitedMs !== undefined ? t('ops.backup.lock.gaveUp', { seconds: Math.round(waitedMs / 1000) }) : t('ops.backup.lock.runAgain'),
      t('ops.backup.lock.staleNote', { file: path.join(dir, LOCK_FILE) }),
    ].join(' ');
  }
}

const held = new Map<string, LockInfo>();
let exitHook = false;

/** Whether `pid` is a live process on this host (EPERM: alive, someone else's). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parse(raw: string): LockInfo | null {
  try {
    const x = JSON.parse(raw) as Partial<LockInfo>;
    if (typeof x.pid === 'number' && typeof x.host === 'string' && typeof x.token === 'string' && typeof x.startedAt === 'string')
      return { purpose: 'backup', ...x } as LockInfo;
  } catch {
    /* partial */
  }
  return null;
}

/** What the lock file says now: null when there is none; `info` null when it cannot be read yet. */
async function readLock(file: string): Promise<{ info: LockInfo | null; mtimeMs: number } | null> {
  try {
    const [raw, st] = await Promise.all([fs.promises.readFile(file, 'utf8'), fs.promises.stat(file)]);
    return { info: parse(raw), mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Why the lock is stale, or null when its holder may still be at work. */
export function staleCause(lock: { info: LockInfo | null; mtimeMs: number }, maxAgeMs: number, now = Date.now()): StaleCause | null {
  const age = now - lock.mtimeMs;
  if (!lock.info) return age > GRACE_MS ? { code: 'unreadable' } : null;
  if (lock.info.host === os.hostname() && !alive(lock.info.pid)) return { code: 'dead', pid: lock.info.pid, host: lock.info.host };
  if (age > maxAgeMs) return { code: 'old', minutes: Math.round(age / 60000), max: Math.round(maxAgeMs / 60000) };
  return null;
}

/** `staleCause` in English, or null. */
export function staleReason(lock: { info: LockInfo | null; mtimeMs: number }, maxAgeMs: number, now = Date.now()): string | null {
  const c = staleCause(lock, maxAgeMs, now);
  return c && describeStale(getT('en'), c);
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

/**
 * Removes `file` if it is still the stale lock `seen` (same token, or still unreadable), under the
 * takeover guard. Returns the reason it was stale, or null when someone else got there first.
 */
async function takeOver(dir: string, file: string, maxAgeMs: number): Promise<TakeOver | null> {
  const guard = path.join(dir, TAKEOVER_FILE);
  if (!(await createExclusive(guard, `${process.pid}@${os.hostname()}`))) {
    // Another process is taking over; a guard left by a crash goes after GRACE_MS.
    try {
      const st = await fs.promises.stat(guard);
      if (Date.now() - st.mtimeMs > GRACE_MS) await fs.promises.rm(guard, { force: true });
    } catch {
      /* gone meanwhile */
    }
    return null;
  }
  try {
    const now = await readLock(file);
    if (!now) return null; // released meanwhile: just try again
    const cause = staleCause(now, maxAgeMs);
    if (!cause) return null;
    await fs.promises.rm(file, { force: true });
    return { stale: now.info, cause, why: describeStale(getT('en'), cause) };
  } finally {
    await fs.promises.rm(guard, { force: true });
  }
}

function releaseAllSync() {
  for (const [file, info] of held) {
    try {
      if (parse(fs.readFileSync(file, 'utf8'))?.token === info.token) fs.rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  }
  held.clear();
}

/**
 * Takes the lock of `dir` (creating the folder if need be), or throws BackupLockedError when a live
 * holder has it (after waiting, if `wait`). Stale locks are taken over.
 */
export async function acquireBackupLock(dir: string, opts: LockOptions): Promise<HeldLock> {
  const maxAgeMs = opts.maxAgeMs ?? DEFAULT_LOCK_MAX_AGE_MS;
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    purpose: opts.purpose,
    token: crypto.randomBytes(12).toString('hex'),
  };
  const t0 = Date.now();
  const limit = opts.wait === true ? Infinity : typeof opts.wait === 'number' ? opts.wait : 0;
  let told = false;
  let tookOver: HeldLock['tookOver'] = null;
  for (;;) {
    info.startedAt = new Date().toISOString();
    if (await createExclusive(file, JSON.stringify(info))) break;
    const current = await readLock(file);
    if (!current) continue; // released between the two calls
    if (staleCause(current, maxAgeMs)) {
      const t = await takeOver(dir, file, maxAgeMs);
      if (t) {
        tookOver = t;
        opts.onTakeover?.(t);
      } else await new Promise((r) => setTimeout(r, 20)); // another process is taking it over: look again shortly
      continue;
    }
    const waited = Date.now() - t0;
    if (waited >= limit) throw new BackupLockedError(dir, current.info, limit > 0 ? waited : undefined);
    if (!told) {
      told = true;
      opts.onWait?.(current.info);
    }
    await new Promise((r) => setTimeout(r, Math.min(opts.pollMs ?? 250, Math.max(1, limit - waited))));
  }

  held.set(file, info);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', releaseAllSync);
  }
  // Renewal: the mtime says the holder is at work (a slow backup is never taken for a dead one).
  const renew = setInterval(
    () => {
      const t = new Date();
      fs.promises.utimes(file, t, t).catch(() => undefined);
    },
    Math.max(1000, Math.min(60_000, maxAgeMs / 4)),
  );
  renew.unref();
  let released = false;
  return {
    file,
    info,
    tookOver,
    async release() {
      if (released) return;
      released = true;
      clearInterval(renew);
      held.delete(file);
      const now = await readLock(file).catch(() => null);
      // Only our own lock: after a takeover (ours judged stale) the file is someone else's.
      if (now?.info?.token === info.token) await fs.promises.rm(file, { force: true });
    },
  };
}

/** Runs `fn` holding the lock of `dir`; the lock goes whatever happens. */
export async function withBackupLock<T>(dir: string, opts: LockOptions, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lock = await acquireBackupLock(dir, opts);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

/** For the CLI: SIGINT/SIGTERM end the process through 'exit', so held locks are released. */
export function releaseLocksOnSignals(): void {
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(sig, () => {
      releaseAllSync();
      process.exit(code);
    });
}
