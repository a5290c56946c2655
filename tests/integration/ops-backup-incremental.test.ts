/**
 * Incremental backups of a site on an S3-compatible store (issue 17), against s3rver — a local
 * TEST DOUBLE of the S3 protocol (the real targets are MinIO, Ceph RGW, AWS S3 or a Vietnamese
 * cloud's object storage). A counting HTTP proxy in front of it tells what a backup downloaded
 * and how many writes a restore had in flight.
 * - a full backup, then incremental ones taken while uploads and rows are written: each downloads
 *   only the objects that are new since the one before (counted at the S3 server), and a restore
 *   of the last one follows the chain into a fresh data folder and a fresh bucket, every object
 *   byte-identical, with bounded parallel writes and progress (SQLite; PostgreSQL too with
 *   TEST_DATABASE_URL and pg_dump);
 * - an archive of the chain missing or altered: a clear refusal, nothing restored;
 * - retention (the daily job) keeps an older archive as long as a kept backup needs its objects,
 *   and a full backup every N days lets the old chain go.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';
import { BackupError, createBackup, dailyBackup, findPgTool, restoreBackup, verifyArchive } from '~/lib/backup.server';
import { newId } from '~/lib/ids.server';
import { storeFor } from '~/lib/storage/index.server';

import { freePort } from '../browser/setup/global';
import { dropDatabase } from '../helpers/db';
import { addUser, listKeys, putObject, readObject, sha, startS3rver, tmpDirs, uploadLoad, waitFor } from '../helpers/object-store';

const run = promisify(execFile);
const BUCKETS = ['inc-sqlite', 'inc-sqlite-dst', 'inc-postgres', 'inc-postgres-dst', 'inc-missing', 'inc-missing-dst', 'inc-daily'];
let s3: Awaited<ReturnType<typeof startS3rver>>;
let direct: string;
let viaProxy: string;
let proxy: http.Server;
/** What went through the proxy: object GETs (path) and the most PUTs at once. */
const seen = { gets: [] as string[], puts: 0, inFlight: 0, maxInFlight: 0 };
const dirs = tmpDirs();
const tmpDir = dirs.make;

const s3Url = (endpoint: string, bucket: string, prefix = '') => s3.url(bucket, prefix, endpoint);

beforeAll(async () => {
  s3 = await startS3rver('incremental', BUCKETS);
  direct = s3.endpoint;
  const port = s3.port;
  // A plain forwarding proxy (the signature covers the Host header, which is passed on unchanged).
  proxy = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', direct);
    const isObject = u.pathname.split('/').filter(Boolean).length >= 2 && !u.searchParams.has('list-type');
    if (req.method === 'GET' && isObject) seen.gets.push(decodeURIComponent(u.pathname));
    const put = req.method === 'PUT' && isObject;
    if (put) {
      seen.puts++;
      seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
    }
    const up = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
      r.on('end', () => {
        if (put) seen.inFlight--;
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  const proxyPort = await freePort();
  await new Promise<void>((r) => proxy.listen(proxyPort, '127.0.0.1', r));
  viaProxy = `http://127.0.0.1:${proxyPort}`;
});

afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await s3?.close();
  dirs.removeAll();
});

/** The archive's entry names (to count what it really holds). */
async function entries(archive: string): Promise<string[]> {
  const names: string[] = [];
  await tar.list({ file: archive, onReadEntry: (e) => names.push(e.path) });
  return names;
}

const pgUrl = process.env.TEST_DATABASE_URL;
const pgTools = !!findPgTool('pg_dump') && !!findPgTool('pg_restore');
const dialects: Array<'sqlite' | 'postgres'> = ['sqlite', ...(pgUrl && pgTools ? (['postgres'] as const) : [])];

/** A database for a site of the dialect: a file in the data folder, or a PostgreSQL database of its own. */
async function database(dialect: 'sqlite' | 'postgres', dataDir: string, created: string[]) {
  if (dialect === 'sqlite') return path.join(dataDir, 'app.sqlite');
  const name = `inc_${newId(8).toLowerCase()}`;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  created.push(name);
  const u = new URL(pgUrl!);
  u.pathname = `/${name}`;
  return u.toString();
}

describe.each(dialects)('incremental backups of an S3 site — %s', (dialect) => {
  const created: string[] = [];
  afterAll(async () => {
    if (!created.length) return;
    for (const n of created) await dropDatabase(pgUrl!, n);
  });

  it('a full then incremental backups under writes download only new objects; the chain restores every object byte-identical', async () => {
    const dataDir = tmpDir('inc-src-');
    const dbUrl = await database(dialect, dataDir, created);
    const db = openDatabase(dbUrl);
    await migrateToLatest(db);
    const bucket = `inc-${dialect}`;
    const writer = storeFor(s3Url(direct, bucket, 'site'), dataDir); // the site, straight to S3
    const backupStorage = s3Url(viaProxy, bucket, 'site'); // the backups, counted by the proxy
    const outDir = path.join(dataDir, 'backups');
    const backup = (mode: 'full' | 'auto', day: string) =>
      createBackup({ databaseUrl: dbUrl, dataDir, outDir, storageUrl: backupStorage, mode, now: new Date(`${day}T20:00:00Z`) });

    // Three backups, each while uploads go on.
    const runs = [];
    for (const [mode, day] of [
      ['full', '2026-11-01'],
      ['auto', '2026-11-02'],
      ['auto', '2026-11-03'],
    ] as const) {
      const load = uploadLoad(db, writer, { emailPrefix: 'inc', minBytes: 500, spreadBytes: 8000 });
      await waitFor(() => load.acked.length >= 8);
      const before = new Set((await listKeys(writer)).values());
      const ackedBefore = load.acked.map((a) => a.id);
      const ackedKeysBefore = load.acked.map((a) => a.key);
      seen.gets = [];
      const r = await backup(mode, day);
      const gets = [...seen.gets];
      await load.stop();
      runs.push({ ...r, gets, before, ackedBefore, ackedKeysBefore });
    }
    const acked = (await db.selectFrom('users').select('id').execute()).map((u) => u.id);
    await db.destroy();

    const [full, inc1, inc2] = runs;
    expect(full!.manifest.kind).toBe('full');
    expect(full!.downloaded).toBe(full!.manifest.store.objects.length);
    for (const [prev, cur] of [
      [full!, inc1!],
      [inc1!, inc2!],
    ]) {
      expect(cur.manifest).toMatchObject({ kind: 'incremental', base: path.basename(prev.archive), fullAt: '2026-11-01T20:00:00.000Z' });
      const prevKeys = new Set(prev.manifest.store.objects.map((o) => o.key));
      const fresh = cur.manifest.store.objects.filter((o) => !prevKeys.has(o.key));
      expect(fresh.length).toBeGreaterThan(0); // uploads happened between the two
      // An object the earlier backup listed while it was still being written (s3rver shows a PUT
      // before it completes) is listed again with another size or time, and fetched again.
      const prevByKey = new Map(prev.manifest.store.objects.map((o) => [o.key, o]));
      const again = cur.manifest.store.objects.filter((o) => prevByKey.has(o.key) && o.archive === path.basename(cur.archive));
      for (const o of again) {
        const p = prevByKey.get(o.key)!;
        expect(o.size !== p.size || o.mtime !== p.mtime).toBe(true);
      }
      expect(again.length).toBeLessThan(3);
      // Only those and the new objects were fetched from the store and written into the archive.
      expect(cur.downloaded).toBe(fresh.length + again.length);
      expect(cur.reused).toBe(prevKeys.size - again.length);
      // Each has one GET, but an object listed while its PUT is under way shows as empty, and an
      // empty object is only checked (HEAD), not fetched: it is fetched again next time.
      expect(cur.gets).toHaveLength([...fresh, ...again].filter((o) => o.size > 0).length);
      expect((await entries(cur.archive)).filter((n) => n.startsWith('store/')).sort()).toEqual(
        [...fresh, ...again].map((o) => `store/${o.key}`).sort(),
      );
      // Every object the store held when the backup started is listed, each naming where its bytes are.
      const listed = new Map(cur.manifest.store.objects.map((o) => [o.key, o]));
      for (const k of cur.before) expect(listed.has(k)).toBe(true);
      const againKeys = new Set(again.map((o) => o.key));
      for (const o of prev.manifest.store.objects)
        if (!againKeys.has(o.key)) expect(listed.get(o.key)).toMatchObject({ sha256: o.sha256, archive: o.archive });
    }
    expect(inc2!.manifest.references).toEqual([path.basename(full!.archive), path.basename(inc1!.archive)]);
    expect(fs.existsSync(inc2!.archive.replace(/\.tar\.gz$/, '.manifest.json'))).toBe(true);

    // Restore the last one with the CLI into a fresh data folder and an empty bucket, 3 writes at a time.
    const dst = tmpDir('inc-dst-');
    const dstDb = await database(dialect, dst, created);
    const dstStorage = s3Url(viaProxy, `inc-${dialect}-dst`, 'restored');
    seen.maxInFlight = 0;
    seen.puts = 0;
    const out = await run(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'restore', inc2!.archive, '--parallel=3'], {
      env: { ...process.env, DATABASE_URL: dstDb, DATA_DIR: dst, STORAGE_URL: dstStorage, NODE_ENV: 'test', LLW_LANG: 'en' },
    });
    const objects = inc2!.manifest.store.objects;
    expect(out.stdout).toContain(`incremental: objects also from ${path.basename(full!.archive)}, ${path.basename(inc1!.archive)}`);
    expect(out.stdout).toContain(`${objects.length} objects into the file store; checksums and row counts match`);
    expect(out.stderr).toContain(`checking ${path.basename(full!.archive)}`);
    expect(out.stderr).toMatch(new RegExp(`objects ${objects.length}/${objects.length} \\(`));
    expect(seen.puts).toBe(objects.length);
    expect(seen.maxInFlight).toBeLessThanOrEqual(3);
    expect(seen.maxInFlight).toBeGreaterThan(1); // the writes overlapped

    const dstStore = storeFor(dstStorage, dst);
    expect(await listKeys(dstStore)).toEqual(objects.map((o) => o.key).sort());
    for (const o of objects) expect(sha((await readObject(dstStore, o.key))!)).toBe(o.sha256);
    // = the source's bytes — except an object the last backup listed while its PUT was under way
    // (s3rver shows it empty before the write completes; S3 itself lists only complete objects):
    // the chain holds it empty, and only a later backup would fetch it. Such an object was not yet
    // acknowledged when that backup started.
    const ackedKeys = new Set(inc2!.ackedKeysBefore);
    for (const o of objects) {
      if (o.size === 0 && !ackedKeys.has(o.key)) continue;
      expect(sha((await readObject(writer, o.key))!)).toBe(o.sha256);
    }
    expect(objects.filter((o) => o.size === 0).length).toBeLessThan(3);
    const restored = openDatabase(dstDb);
    const ids = new Set((await restored.selectFrom('users').select('id').execute()).map((u) => u.id));
    await restored.destroy();
    expect(ids.size).toBe(inc2!.manifest.tables.users);
    for (const id of inc2!.ackedBefore) expect(ids.has(id)).toBe(true); // every row acknowledged before it started
    const inSnapshot = acked.filter((id) => ids.has(id));
    expect(inSnapshot.length).toBe(inc2!.manifest.tables.users); // no row the source never had
  });
});

describe('a broken chain', () => {
  it('an archive of the chain missing or altered: refused with its name, nothing restored', async () => {
    const dataDir = tmpDir('inc-miss-');
    const dbUrl = path.join(dataDir, 'app.sqlite');
    const db = openDatabase(dbUrl);
    await migrateToLatest(db);
    await addUser(db, 1, 'inc');
    await db.destroy();
    const storageUrl = s3Url(direct, 'inc-missing');
    const store = storeFor(storageUrl, dataDir);
    const outDir = path.join(dataDir, 'backups');
    const first = await putObject(store, 3000);
    const a = await createBackup({ databaseUrl: dbUrl, dataDir, outDir, storageUrl, now: new Date('2026-11-01T20:00:00Z') });
    await putObject(store, 2000);
    const b = await createBackup({ databaseUrl: dbUrl, dataDir, outDir, storageUrl, now: new Date('2026-11-02T20:00:00Z') });
    expect(b.manifest.kind).toBe('incremental');
    expect(b.manifest.references).toEqual([path.basename(a.archive)]);

    const dst = tmpDir('inc-miss-dst-');
    const dstUrl = s3Url(direct, 'inc-missing-dst');
    const opts = { archive: b.archive, databaseUrl: path.join(dst, 'app.sqlite'), dataDir: dst, storageUrl: dstUrl };
    const nothingRestored = async () => {
      expect(fs.existsSync(path.join(dst, 'app.sqlite'))).toBe(false);
      expect(fs.existsSync(path.join(dst, 'uploads'))).toBe(false);
      expect(await listKeys(storeFor(dstUrl, dst))).toEqual([]);
    };

    // Missing: moved away.
    const aside = path.join(tmpDir('inc-aside-'), path.basename(a.archive));
    fs.renameSync(a.archive, aside);
    const missing = restoreBackup(opts);
    await expect(missing).rejects.toThrow(BackupError);
    await expect(missing).rejects.toThrow(
      new RegExp(
        `incremental backup: 1 of its objects are held by ${path.basename(a.archive).replace(/\./g, '\\.')}, missing from .*Nothing was restored`,
      ),
    );
    await nothingRestored();
    await expect(verifyArchive(b.archive)).rejects.toThrow(/missing from/);

    // Altered: the object's bytes in the earlier archive changed.
    const unpacked = tmpDir('inc-unpacked-');
    await tar.extract({ file: aside, cwd: unpacked });
    fs.appendFileSync(path.join(unpacked, 'store', first.key), 'x');
    await tar.create({ gzip: true, file: a.archive, cwd: unpacked }, fs.readdirSync(unpacked));
    await expect(restoreBackup(opts)).rejects.toThrow(new RegExp(`${path.basename(a.archive)}, which holds objects .* does not match`));
    await nothingRestored();

    // Put back: it restores.
    fs.renameSync(aside, a.archive);
    await restoreBackup(opts);
    expect(sha((await readObject(storeFor(dstUrl, dst), first.key))!)).toBe(first.sum);
  });
});

describe('retention of incremental backups', () => {
  it('the daily job keeps the older archives a kept backup needs, and lets them go after the next full backup', async () => {
    const dataDir = tmpDir('inc-daily-');
    const dbUrl = path.join(dataDir, 'app.sqlite');
    const db = openDatabase(dbUrl);
    await migrateToLatest(db);
    await addUser(db, 1, 'inc');
    await db.destroy();
    const env = {
      DATABASE_URL: dbUrl,
      DATA_DIR: dataDir,
      BACKUP_DIR: path.join(dataDir, 'backups'),
      BACKUP_KEEP: 2,
      BACKUP_FULL_EVERY_DAYS: 3,
      STORAGE_URL: s3Url(direct, 'inc-daily'),
    };
    const store = storeFor(env.STORAGE_URL, dataDir);
    const archives = () =>
      fs
        .readdirSync(env.BACKUP_DIR)
        .filter((n) => n.endsWith('.tar.gz'))
        .sort();
    const kinds: string[] = [];
    const day = async (d: string) => {
      await putObject(store, 1000);
      const a = await dailyBackup(env, new Date(`2026-11-0${d}T20:00:00Z`));
      kinds.push((await verifyArchive(a!)).kind!);
    };
    await day('1');
    await day('2');
    await day('3');
    // Keep 2 (the 2nd and 3rd), but the 1st holds objects they list: it stays.
    expect(archives()).toEqual(['backup-20261101-200000.tar.gz', 'backup-20261102-200000.tar.gz', 'backup-20261103-200000.tar.gz']);
    await day('4'); // three days after the full one: full again
    // The 3rd (kept) still needs the 1st and 2nd.
    expect(archives()).toEqual([
      'backup-20261101-200000.tar.gz',
      'backup-20261102-200000.tar.gz',
      'backup-20261103-200000.tar.gz',
      'backup-20261104-200000.tar.gz',
    ]);
    await day('5'); // incremental on the 4th: the old chain is needed no more
    expect(archives()).toEqual(['backup-20261104-200000.tar.gz', 'backup-20261105-200000.tar.gz']);
    expect(kinds).toEqual(['full', 'incremental', 'incremental', 'full', 'incremental']);
    expect(fs.readdirSync(env.BACKUP_DIR).filter((n) => n.endsWith('.manifest.json'))).toHaveLength(2); // their side files went too

    // Every archive left restores.
    const dst = tmpDir('inc-daily-dst-');
    const m = await restoreBackup({
      archive: path.join(env.BACKUP_DIR, 'backup-20261105-200000.tar.gz'),
      databaseUrl: path.join(dst, 'app.sqlite'),
      dataDir: dst,
    });
    expect(m.store.objects).toHaveLength(5);
    for (const o of m.store.objects) expect(sha(fs.readFileSync(path.join(dst, 'uploads', 'oer', o.key)))).toBe(o.sha256);
  });

  it('--full, --incremental and the default from the command line say which they made', async () => {
    const dataDir = tmpDir('inc-cli-');
    const dbUrl = path.join(dataDir, 'app.sqlite');
    const db = openDatabase(dbUrl);
    await migrateToLatest(db);
    await addUser(db, 1, 'inc');
    await db.destroy();
    const store = storeFor(undefined, dataDir); // the disk store: the same rules
    await putObject(store, 100);
    const env = {
      ...process.env,
      DATABASE_URL: dbUrl,
      DATA_DIR: dataDir,
      BACKUP_DIR: path.join(dataDir, 'backups'),
      NODE_ENV: 'test' as const,
      LLW_LANG: 'en', // the command's messages in English (Vietnamese by default)
    };
    const cli = async (...args: string[]) =>
      (await run(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'backup', ...args], { env })).stdout;
    const nextSecond = async () => {
      const s = Math.floor(Date.now() / 1000);
      await waitFor(() => Math.floor(Date.now() / 1000) > s); // archive names are per second
    };
    expect(await cli('--incremental')).toMatch(
      / {2}full \(no earlier backup of this file store in BACKUP_DIR to build on\)\n.*\n.*1 objects, 1 downloaded, 0 held/,
    );
    await nextSecond();
    await putObject(store, 100);
    expect(await cli()).toMatch(
      / {2}incremental, against backup-\d{8}-\d{6}\.tar\.gz[^\n]*\n.*\n.*2 objects, 1 downloaded, 1 held by earlier archives \(backup-/,
    );
    await nextSecond();
    expect(await cli('--full')).toMatch(/ {2}full\n.*\n.*2 objects, 2 downloaded, 0 held/);
  });
});
