/**
 * Backups of a site whose uploads live in an S3-compatible object store (issue 17), tested
 * against s3rver — a local TEST DOUBLE speaking the S3 protocol (the real targets are MinIO,
 * Ceph RGW, AWS S3 or a Vietnamese cloud provider's object storage). `npm run backup` under a
 * write load of uploads and rows takes every object under the store's prefix into the archive
 * (listed page by page), and `npm run restore` brings rows and objects back into a fresh data
 * folder and a fresh bucket with matching checksums; S3 → disk and disk → S3 restores; a non-empty
 * bucket is not written without --force; the daily job keeps N archives of an S3 site.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';
import { createBackup, dailyBackup, restoreBackup, verifyArchive } from '~/lib/backup.server';
import { storeFor } from '~/lib/storage/index.server';

import { addUser, listKeys, putObject, readObject, sha, startS3rver, tmpDirs, uploadLoad, waitFor } from '../helpers/object-store';

const run = promisify(execFile);
const BUCKETS = ['llw-src', 'llw-dst', 'llw-paged', 'llw-fromdisk', 'llw-daily'];
let s3: Awaited<ReturnType<typeof startS3rver>>;
const dirs = tmpDirs();
const tmpDir = dirs.make;

const s3Url = (bucket: string, prefix = '') => s3.url(bucket, prefix);

beforeAll(async () => {
  s3 = await startS3rver('backup', BUCKETS);
});

afterAll(async () => {
  await s3?.close();
  dirs.removeAll();
});

async function freshSite(prefix: string) {
  const dataDir = tmpDir(prefix);
  const url = path.join(dataDir, 'app.sqlite');
  const db = openDatabase(url);
  await migrateToLatest(db);
  return { dataDir, url, db };
}

describe('backup and restore of a site on an S3-compatible store', () => {
  it('an archive taken under a load of uploads restores every acknowledged row and object into a fresh data folder and a fresh bucket', async () => {
    const src = await freshSite('bks3-src-');
    const srcUrl = s3Url('llw-src', 'site');
    const srcStore = storeFor(srcUrl, src.dataDir);
    const load = uploadLoad(src.db, srcStore, { emailPrefix: 's3', minBytes: 1000, spreadBytes: 20_000 });
    await waitFor(() => load.acked.length >= 25);
    const ackedBefore = [...load.acked];
    const outDir = path.join(src.dataDir, 'backups');
    const env = {
      ...process.env,
      DATABASE_URL: src.url,
      DATA_DIR: src.dataDir,
      BACKUP_DIR: outDir,
      STORAGE_URL: srcUrl,
      NODE_ENV: 'test' as const,
      LLW_LANG: 'en', // the command's messages in English (Vietnamese by default)
    };
    const cli = await run(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'backup'], { env });
    const writtenDuring = load.acked.length - ackedBefore.length;
    await load.stop();
    await src.db.destroy();
    expect(cli.stdout).toMatch(/file store s3:\/\/llw-src\/site\/oer\/ .*: \d+ objects/);
    expect(cli.stdout).not.toContain('S3RVER:S3RVER'); // no credentials in what it prints
    expect(writtenDuring).toBeGreaterThan(0); // uploads went on while the backup ran

    const archive = path.join(
      outDir,
      fs.readdirSync(outDir).find((n) => n.endsWith('.tar.gz'))!,
    );
    const manifest = await verifyArchive(archive);
    expect(manifest.store.kind).toBe('s3');
    expect(JSON.stringify(manifest)).not.toContain('S3RVER');
    const inManifest = new Map(manifest.store.objects.map((o) => [o.key, o]));
    for (const a of ackedBefore) expect(inManifest.get(a.key)?.sha256).toBe(a.sum);
    expect(manifest.tables.users).toBeGreaterThanOrEqual(ackedBefore.length);

    // Restore into a fresh folder and an empty bucket (another prefix), with the CLI.
    const dst = tmpDir('bks3-dst-');
    const dstUrl = s3Url('llw-dst', 'restored');
    const dstEnv = {
      ...process.env,
      DATABASE_URL: path.join(dst, 'app.sqlite'),
      DATA_DIR: dst,
      STORAGE_URL: dstUrl,
      NODE_ENV: 'test' as const,
      LLW_LANG: 'en', // the command's messages in English (Vietnamese by default)
    };
    const restored = await run(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'restore', archive], { env: dstEnv });
    expect(restored.stdout).toContain(`${manifest.store.objects.length} objects into the file store`);

    const db = openDatabase(path.join(dst, 'app.sqlite'));
    const ids = new Set((await db.selectFrom('users').select('id').execute()).map((r) => r.id));
    await db.destroy();
    expect(ids.size).toBe(manifest.tables.users);
    const dstStore = storeFor(dstUrl, dst);
    expect(await listKeys(dstStore)).toEqual([...inManifest.keys()].sort());
    for (const a of ackedBefore) {
      expect(ids.has(a.id)).toBe(true);
      const got = await readObject(dstStore, a.key);
      expect(got && sha(got)).toBe(a.sum);
    }
    for (const o of manifest.store.objects) expect(sha((await readObject(dstStore, o.key))!)).toBe(o.sha256);

    // A bucket that already holds files is not written into without --force (even with an empty database).
    const other = tmpDir('bks3-other-');
    await expect(
      run(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'restore', archive], {
        env: { ...dstEnv, DATABASE_URL: path.join(other, 'app.sqlite'), DATA_DIR: other },
      }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/file store s3:\/\/llw-dst\/restored\/oer\/.* is not empty/) });
  });

  it('S3 → disk: objects listed a few per request all reach the disk store of a fresh data folder', async () => {
    const src = await freshSite('bks3-paged-');
    await addUser(src.db, 1, 's3');
    await src.db.destroy();
    const srcUrl = s3Url('llw-paged');
    const store = storeFor(srcUrl, src.dataDir);
    const objects = [];
    for (let i = 0; i < 13; i++) objects.push(await putObject(store, i === 0 ? 0 : 500 * i));
    const { archive, manifest } = await createBackup({
      databaseUrl: src.url,
      dataDir: src.dataDir,
      outDir: path.join(src.dataDir, 'backups'),
      storageUrl: srcUrl,
      pageSize: 4, // 4 ListObjectsV2 requests, continuing from each other
    });
    expect(manifest.store.objects.map((o) => o.key).sort()).toEqual(objects.map((o) => o.key).sort());

    const dst = tmpDir('bks3-todisk-');
    await restoreBackup({ archive, databaseUrl: path.join(dst, 'app.sqlite'), dataDir: dst }); // no STORAGE_URL: the disk
    for (const o of objects) expect(sha(fs.readFileSync(path.join(dst, 'uploads', 'oer', o.key)))).toBe(o.sum);
  });

  it('disk → S3: a disk backup restores into a bucket; --force replaces what the bucket held', async () => {
    const src = await freshSite('bks3-disk-');
    await addUser(src.db, 1, 's3');
    await src.db.destroy();
    const disk = storeFor(undefined, src.dataDir);
    const objects = [await putObject(disk, 40_000), await putObject(disk, 1234)];
    fs.mkdirSync(path.join(src.dataDir, 'uploads', 'library'), { recursive: true });
    fs.writeFileSync(path.join(src.dataDir, 'uploads', 'library', 'old.epub'), 'epub');
    const { archive, manifest } = await createBackup({
      databaseUrl: src.url,
      dataDir: src.dataDir,
      outDir: path.join(src.dataDir, 'backups'),
    });
    expect(manifest.store.kind).toBe('disk');
    expect(manifest.files.map((f) => f.path)).toEqual(['uploads/library/old.epub']);

    const dst = tmpDir('bks3-fromdisk-');
    const bucket = storeFor(s3Url('llw-fromdisk', 'p'), dst);
    const stray = await putObject(bucket, 100);
    const opts = { archive, databaseUrl: path.join(dst, 'app.sqlite'), dataDir: dst, storageUrl: s3Url('llw-fromdisk', 'p') };
    await expect(restoreBackup(opts)).rejects.toThrow(/file store .* is not empty/);
    expect(await readObject(bucket, stray.key)).not.toBeNull(); // refused before anything was written
    await restoreBackup({ ...opts, force: true });
    expect(await listKeys(bucket)).toEqual(objects.map((o) => o.key).sort()); // the stray object went
    for (const o of objects) expect(sha((await readObject(bucket, o.key))!)).toBe(o.sum);
    expect(fs.readFileSync(path.join(dst, 'uploads', 'library', 'old.epub'), 'utf8')).toBe('epub');
  });

  it('the daily job backs up an S3 site and keeps the newest N archives (full every time: nothing older is needed)', async () => {
    const src = await freshSite('bks3-daily-');
    await addUser(src.db, 1, 's3');
    await src.db.destroy();
    const storageUrl = s3Url('llw-daily');
    const o = await putObject(storeFor(storageUrl, src.dataDir), 5000);
    const env = {
      DATABASE_URL: src.url,
      DATA_DIR: src.dataDir,
      BACKUP_DIR: path.join(src.dataDir, 'backups'),
      BACKUP_KEEP: 2,
      BACKUP_FULL_EVERY_DAYS: 0,
      STORAGE_URL: storageUrl,
    };
    const archives = [];
    for (const day of ['2026-11-01', '2026-11-02', '2026-11-03']) archives.push(await dailyBackup(env, new Date(`${day}T20:00:00Z`)));
    expect(fs.readdirSync(env.BACKUP_DIR).sort()).toEqual([
      'backup-20261102-200000.manifest.json',
      'backup-20261102-200000.tar.gz',
      'backup-20261103-200000.manifest.json',
      'backup-20261103-200000.tar.gz',
    ]);
    const manifest = await verifyArchive(archives[2]!);
    expect(manifest.kind).toBe('full');
    expect(manifest.store.objects).toEqual([
      { key: o.key, size: 5000, sha256: o.sum, mtime: expect.any(String), archive: 'backup-20261103-200000.tar.gz' },
    ]);
  });
});
