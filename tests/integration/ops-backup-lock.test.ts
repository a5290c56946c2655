/**
 * One backup at a time per backup folder (issue 17): the lock file `BACKUP_DIR/.backup.lock`.
 * - two `npm run backup` at once into one folder: the first proceeds, the second fails at once
 *   with exit 75 and who holds the lock, a third with `--wait` waits and then makes its archive;
 * - a backup killed (SIGKILL) mid-way leaves its lock, half-written archive and staging folder:
 *   the next run sees the pid is dead, takes the lock over, removes the leftovers and succeeds;
 * - a lock of a dead pid is taken over; a live holder's is not, unless it has not been renewed
 *   for the max age (or it is another host's and that old); a running holder renews it;
 * - retention, restore and a check of an archive (verifyArchive) wait for / refuse a folder being
 *   backed up; two processes finding the same stale lock: exactly one gets it.
 * "Mid-backup" is a state, not a time: the S3 store (s3rver, a local S3 test double) is reached
 * through a proxy that holds back object downloads until the test lets them go, so the backup
 * sits with its lock taken and its archive half-written for as long as the test needs.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';
import { createBackup, pruneBackups, restoreBackup, verifyArchive } from '~/lib/backup.server';
import { acquireBackupLock, BackupLockedError, LOCK_FILE } from '~/lib/backup-lock.server';
import { storeFor } from '~/lib/storage/index.server';

import { freePort } from '../browser/setup/global';
import { addUser, putObject, startS3rver, tmpDirs, waitFor } from '../helpers/object-store';

const run = promisify(execFile);
let s3: Awaited<ReturnType<typeof startS3rver>>;
let proxy: http.Server;
let viaProxy: string;
const dirs = tmpDirs();
/** Object downloads held back by the proxy while `stall` is on. */
const gate = { stall: false, held: [] as Array<() => void> };
const children: ChildProcess[] = [];

beforeAll(async () => {
  s3 = await startS3rver('lock', ['lock-cli', 'lock-crash']);
  proxy = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', s3.endpoint);
    const objectGet = req.method === 'GET' && u.pathname.split('/').filter(Boolean).length >= 2 && !u.searchParams.has('list-type');
    const forward = () => {
      const up = http.request({ host: '127.0.0.1', port: s3.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (objectGet && gate.stall) gate.held.push(forward);
    else forward();
  });
  const port = await freePort();
  await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', r));
  viaProxy = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  release();
  await new Promise((r) => proxy?.close(r));
  await s3?.close();
  dirs.removeAll();
});

function release() {
  gate.stall = false;
  for (const f of gate.held.splice(0)) f();
}

async function freshSite(prefix: string) {
  const dataDir = dirs.make(prefix);
  const url = path.join(dataDir, 'app.sqlite');
  const db = openDatabase(url);
  await migrateToLatest(db);
  await addUser(db, 1, 'lock');
  await db.destroy();
  return { dataDir, url, outDir: path.join(dataDir, 'backups') };
}

/** A site whose store is a bucket reached through the stalling proxy, with one object in it. */
async function s3Site(prefix: string, bucket: string) {
  const site = await freshSite(prefix);
  const storageUrl = s3.url(bucket, prefix);
  await putObject(storeFor(storageUrl, site.dataDir), 5000);
  const env = {
    ...process.env,
    DATABASE_URL: site.url,
    DATA_DIR: site.dataDir,
    BACKUP_DIR: site.outDir,
    STORAGE_URL: s3.url(bucket, prefix, viaProxy),
    NODE_ENV: 'test' as const,
    LLW_LANG: 'en', // the command's messages in English (Vietnamese by default)
  };
  return { ...site, env };
}

/** `npm run backup` as a child process, its output collected as it comes. */
function startCli(env: NodeJS.ProcessEnv, extra: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'backup', ...extra], { env });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out, exited };
}

const readLock = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number; host: string };
const archivesIn = (dir: string) => fs.readdirSync(dir).filter((n) => /^backup-\d{8}-\d{6}\.tar\.gz$/.test(n));

/** A pid that was alive a moment ago and is not any more. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => c.on('exit', r));
  return c.pid!;
}

function writeLock(dir: string, lock: { pid: number; host?: string; startedAt?: string }, mtime?: Date) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  fs.writeFileSync(
    file,
    JSON.stringify({ host: os.hostname(), startedAt: new Date().toISOString(), purpose: 'backup', token: 'someone-else', ...lock }),
  );
  if (mtime) fs.utimesSync(file, mtime, mtime);
}

describe('one backup at a time per folder', () => {
  it('two backups at once: the first proceeds, the second fails at once (exit 75, who holds the lock), a third with --wait waits its turn', async () => {
    const site = await s3Site('lock-cli-', 'lock-cli');
    gate.stall = true;
    const first = startCli(site.env);
    await waitFor(() => gate.held.length > 0); // mid-backup: lock taken, the archive half-written
    expect(readLock(site.outDir)).toMatchObject({ pid: first.child.pid, host: os.hostname() });
    expect(fs.readdirSync(site.outDir).some((n) => n.endsWith('.tar.gz.tmp'))).toBe(true);

    const second = await run(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'backup'], { env: site.env }).then(
      () => null,
      (e: { code: number; stderr: string; stdout: string }) => e,
    );
    expect(second?.code).toBe(75);
    expect(second?.stderr).toContain(`error: ${site.outDir} is locked by another backup (pid ${first.child.pid} on ${os.hostname()}`);
    expect(second?.stderr).toContain('--wait');
    expect(second?.stdout).not.toContain('backup written');

    // The same refusal in process: a backup, retention, and a restore reading that folder.
    const opts = { databaseUrl: site.url, dataDir: site.dataDir, outDir: site.outDir, storageUrl: site.env.STORAGE_URL };
    await expect(createBackup(opts)).rejects.toBeInstanceOf(BackupLockedError);
    await expect(pruneBackups(site.outDir, 1)).rejects.toThrow(/is locked by another backup/);

    const third = startCli(site.env, ['--wait']);
    await waitFor(() => third.out.stderr.includes('waiting: a backup (pid'));
    expect(third.child.exitCode).toBeNull();

    release();
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.out.stdout).toContain('backup written');
    expect(await third.exited).toEqual({ code: 0, signal: null });
    expect(third.out.stdout).toContain('backup written');
    const archives = archivesIn(site.outDir);
    expect(archives).toHaveLength(2);
    for (const a of archives) expect((await verifyArchive(path.join(site.outDir, a))).store.objects).toHaveLength(1);
    expect(fs.existsSync(path.join(site.outDir, LOCK_FILE))).toBe(false); // released on the way out
  });

  it('a backup killed mid-way leaves a lock the next run recognises as stale: it takes over, clears the leftovers, succeeds', async () => {
    const site = await s3Site('lock-crash-', 'lock-crash');
    gate.stall = true;
    const crashed = startCli(site.env);
    await waitFor(() => gate.held.length > 0);
    crashed.child.kill('SIGKILL');
    expect(await crashed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    release();
    // What a power cut or kill -9 leaves: the lock of a pid that is gone, a half archive, the staging folder.
    expect(readLock(site.outDir).pid).toBe(crashed.child.pid);
    const left = fs.readdirSync(site.outDir);
    expect(left.some((n) => n.endsWith('.tar.gz.tmp'))).toBe(true);
    expect(left.some((n) => n.startsWith('.staging-'))).toBe(true);

    const next = await run(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'backup'], { env: site.env });
    expect(next.stderr).toContain(`took over a stale lock of a backup (pid ${crashed.child.pid} on ${os.hostname()}`);
    expect(next.stderr).toContain(`pid ${crashed.child.pid} is no longer running`);
    expect(next.stderr).toMatch(/removed what an interrupted backup left: .*\.tar\.gz\.tmp/);
    expect(next.stdout).toContain('backup written');
    const after = fs.readdirSync(site.outDir).sort();
    expect(after.filter((n) => n.endsWith('.tmp') || n.startsWith('.'))).toEqual([]); // no lock, no leftovers
    expect(archivesIn(site.outDir)).toHaveLength(1);
    await verifyArchive(path.join(site.outDir, archivesIn(site.outDir)[0]!));
  });

  it('a stale lock of a dead pid is taken over; a live holder keeps it unless it has not been renewed for the max age', async () => {
    const site = await freshSite('lock-stale-');
    const opts = { databaseUrl: site.url, dataDir: site.dataDir, outDir: site.outDir };
    const dead = await deadPid();
    writeLock(site.outDir, { pid: dead });
    const r = await createBackup(opts);
    expect(r.tookOver?.stale?.pid).toBe(dead);
    expect(r.tookOver?.why).toBe(`pid ${dead} is no longer running on ${os.hostname()}`);
    expect(fs.existsSync(path.join(site.outDir, LOCK_FILE))).toBe(false);

    // A live process on this host, recently renewed: not taken.
    writeLock(site.outDir, { pid: process.ppid });
    await expect(acquireBackupLock(site.outDir, { purpose: 'backup' })).rejects.toThrow(`pid ${process.ppid} on ${os.hostname()}`);
    // …the same lock not renewed for more than the max age: taken over (a hung or reused pid).
    fs.utimesSync(path.join(site.outDir, LOCK_FILE), new Date(Date.now() - 40 * 60_000), new Date(Date.now() - 40 * 60_000));
    const old = await acquireBackupLock(site.outDir, { purpose: 'backup', maxAgeMs: 30 * 60_000 });
    expect(old.tookOver?.why).toMatch(/^not renewed for 40 min/);
    await old.release();

    // Another host's lock: its pid cannot be checked from here, only its age.
    writeLock(site.outDir, { pid: dead, host: 'backup-host-2' });
    await expect(acquireBackupLock(site.outDir, { purpose: 'backup' })).rejects.toThrow('on backup-host-2');
    fs.utimesSync(path.join(site.outDir, LOCK_FILE), new Date(Date.now() - 40 * 60_000), new Date(Date.now() - 40 * 60_000));
    const other = await acquireBackupLock(site.outDir, { purpose: 'backup' });
    expect(other.tookOver?.stale?.host).toBe('backup-host-2');
    await other.release();

    // A lock file left empty (its holder died between creating and writing it), older than a few seconds.
    fs.writeFileSync(path.join(site.outDir, LOCK_FILE), '');
    fs.utimesSync(path.join(site.outDir, LOCK_FILE), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const empty = await acquireBackupLock(site.outDir, { purpose: 'backup' });
    expect(empty.tookOver?.why).toBe('its lock file is empty or unreadable');
    await empty.release();
  });

  it('a holder renews its lock while it works, so a long backup is not taken for a dead one', async () => {
    const site = await freshSite('lock-renew-');
    const held = await acquireBackupLock(site.outDir, { purpose: 'backup', maxAgeMs: 4000 }); // renewed every second
    const file = path.join(site.outDir, LOCK_FILE);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(file, past, past); // as if it had not been renewed for a minute…
    await waitFor(() => fs.statSync(file).mtimeMs > past.getTime() + 30_000); // …until the holder's next renewal
    await expect(acquireBackupLock(site.outDir, { purpose: 'backup', maxAgeMs: 4000 })).rejects.toBeInstanceOf(BackupLockedError);
    await held.release();
  });

  it('six callers finding the same stale lock at once: exactly one gets it', async () => {
    const site = await freshSite('lock-race-');
    writeLock(site.outDir, { pid: await deadPid() });
    const tries = await Promise.allSettled(Array.from({ length: 6 }, () => acquireBackupLock(site.outDir, { purpose: 'backup' })));
    const won = tries.filter((t) => t.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const t of tries) if (t.status === 'rejected') expect(t.reason).toBeInstanceOf(BackupLockedError);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireBackupLock>>>).value.release();
    expect(fs.readdirSync(site.outDir)).toEqual([]); // neither the lock nor the takeover guard left
  });

  it('a check of an archive (verifyArchive) holds the folder like a restore: refused while a backup or clean-up runs there, or waits for it', async () => {
    const site = await freshSite('lock-verify-');
    const { archive } = await createBackup({ databaseUrl: site.url, dataDir: site.dataDir, outDir: site.outDir });
    // A backup writing the next archive, or retention deleting old ones, holds the folder.
    const held = await acquireBackupLock(site.outDir, { purpose: 'clean-up of old backups' });
    await expect(verifyArchive(archive)).rejects.toThrow(/is locked by another clean-up of old backups/);
    let waited = false;
    const checking = verifyArchive(archive, { wait: true, onWait: () => (waited = true) });
    await waitFor(() => waited);
    // While the check waits, the lock is still the clean-up's own.
    expect(readLock(site.outDir)).toMatchObject({ pid: process.pid, purpose: 'clean-up of old backups' });
    await held.release();
    expect((await checking).tables.users).toBe(1);
    expect(fs.existsSync(path.join(site.outDir, LOCK_FILE))).toBe(false); // the check let go
    // …and while a check holds the folder, retention waits for it instead of deleting under it.
    const check = await acquireBackupLock(site.outDir, { purpose: 'check' });
    await expect(pruneBackups(site.outDir, 0)).rejects.toThrow(/is locked by another check/);
    expect(fs.existsSync(archive)).toBe(true);
    await check.release();
  });

  it('a restore waits for (or refuses) a backup folder in use, then reads it; a release never removes another holder’s lock', async () => {
    const site = await freshSite('lock-restore-');
    const { archive } = await createBackup({ databaseUrl: site.url, dataDir: site.dataDir, outDir: site.outDir });
    const held = await acquireBackupLock(site.outDir, { purpose: 'backup' });
    const dst = dirs.make('lock-restore-dst-');
    const target = { archive, databaseUrl: path.join(dst, 'app.sqlite'), dataDir: dst };
    await expect(restoreBackup(target)).rejects.toThrow(/is locked by another backup/);
    expect(fs.existsSync(target.databaseUrl)).toBe(false); // nothing written

    let waited = false;
    const restoring = restoreBackup({ ...target, lock: { wait: true, onWait: () => (waited = true) } });
    await waitFor(() => waited);
    await held.release();
    expect((await restoring).tables.users).toBe(1);
    const db = openDatabase(target.databaseUrl);
    expect((await db.selectFrom('users').select('id').execute()).length).toBe(1);
    await db.destroy();

    // A holder judged stale and taken over does not remove the new holder's lock when it finishes.
    const a = await acquireBackupLock(site.outDir, { purpose: 'backup' });
    fs.utimesSync(a.file, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const b = await acquireBackupLock(site.outDir, { purpose: 'backup', maxAgeMs: 60_000 });
    await a.release();
    expect(readLock(site.outDir)).toMatchObject({ pid: process.pid });
    await expect(acquireBackupLock(site.outDir, { purpose: 'backup', maxAgeMs: 60_000 })).rejects.toBeInstanceOf(BackupLockedError);
    await b.release();
    expect(fs.existsSync(path.join(site.outDir, LOCK_FILE))).toBe(false);
  });
});
