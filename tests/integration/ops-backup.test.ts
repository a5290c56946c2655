/**
 * Backups that restore (`npm run backup` / `npm run restore`): an archive taken while writes go
 * on holds every write acknowledged before it started, the files with matching checksums, and
 * restores into a fresh data folder exactly; a non-empty database is not overwritten without
 * --force; a tampered archive is refused before anything is touched.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';

import { type DB, openDatabase } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';
import { BackupError, createBackup, findPgTool, pruneBackups, restoreBackup, verifyArchive } from '~/lib/backup.server';
import { newId } from '~/lib/ids.server';

import { dropDatabase } from '../helpers/db';
import { addUser } from '../helpers/object-store';

const run = promisify(execFile);
const TMP = path.resolve('tests/.tmp');
const dirs: string[] = [];
function tmpDir(prefix: string) {
  fs.mkdirSync(TMP, { recursive: true });
  const d = fs.mkdtempSync(path.join(TMP, prefix));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function writeUpload(dataDir: string, rel: string, bytes: number) {
  const f = path.join(dataDir, 'uploads', rel);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  const buf = crypto.randomBytes(bytes);
  fs.writeFileSync(f, buf);
  return crypto.createHash('sha256').update(buf).digest('hex');
}

/** Writes users one after another until stopped; `acked` holds the ids whose insert returned. */
function writeLoad(db: DB) {
  const acked: string[] = [];
  let stop = false;
  const done = (async () => {
    let i = 0;
    while (!stop) {
      acked.push(await addUser(db, i++, 'u'));
      await new Promise((r) => setImmediate(r)); // as a server would: other work between requests
    }
  })();
  return {
    acked,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

async function waitFor(cond: () => boolean) {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

async function userIds(db: DB): Promise<Set<string>> {
  return new Set((await db.selectFrom('users').select('id').execute()).map((r) => r.id));
}

describe('backup and restore — SQLite', () => {
  it('an archive taken under write load restores every acknowledged row and file into a fresh data folder', async () => {
    const dataDir = tmpDir('bk-src-');
    const url = path.join(dataDir, 'app.sqlite');
    const db = openDatabase(url);
    await migrateToLatest(db);
    const sums = {
      'uploads/oer/ab/abcdef.mp4': writeUpload(dataDir, 'oer/ab/abcdef.mp4', 300_000),
      'uploads/library/t1.epub': writeUpload(dataDir, 'library/t1.epub', 50_000),
    };
    writeUpload(dataDir, 'library/tmp-x.part', 10); // an upload still arriving is skipped

    // `npm run backup` in its own process, as on a serving site, while this process writes.
    const load = writeLoad(db);
    await waitFor(() => load.acked.length >= 200);
    const ackedBefore = [...load.acked];
    const outDir = path.join(dataDir, 'backups');
    const cli = await run(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'backup'], {
      env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, BACKUP_DIR: outDir, NODE_ENV: 'test', LLW_LANG: 'en' },
    });
    const writtenDuring = load.acked.length - ackedBefore.length;
    await load.stop();
    await db.destroy();
    expect(cli.stdout).toMatch(/backup written: .*backup-\d{8}-\d{6}\.tar\.gz/);
    expect(writtenDuring).toBeGreaterThan(0); // the site kept writing while the backup ran
    const archive = path.join(
      outDir,
      fs.readdirSync(outDir).find((n) => n.endsWith('.tar.gz'))!,
    );
    const manifest = await verifyArchive(archive);

    expect(manifest.dialect).toBe('sqlite');
    expect(manifest.tables.users).toBeGreaterThanOrEqual(ackedBefore.length);
    // The disk store (uploads/oer) through the storage module, the other uploads as local files.
    expect(manifest.store).toMatchObject({ kind: 'disk', objects: [{ key: 'ab/abcdef.mp4', size: 300_000 }] });
    expect(manifest.files.map((f) => f.path)).toEqual(['uploads/library/t1.epub']);

    // Restore into a fresh folder.
    const fresh = tmpDir('bk-dst-');
    const freshUrl = path.join(fresh, 'app.sqlite');
    await restoreBackup({ archive, databaseUrl: freshUrl, dataDir: fresh });
    const restored = openDatabase(freshUrl);
    const ids = await userIds(restored);
    expect(ackedBefore.every((id) => ids.has(id))).toBe(true);
    expect(ids.size).toBe(manifest.tables.users);
    await restored.destroy();
    for (const [rel, sum] of Object.entries(sums)) {
      const got = crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(fresh, rel)))
        .digest('hex');
      expect(got).toBe(sum);
    }

    // A database with data is not overwritten without --force; with it, it is.
    await expect(restoreBackup({ archive, databaseUrl: freshUrl, dataDir: fresh })).rejects.toThrow(/not empty/);
    await expect(restoreBackup({ archive, databaseUrl: freshUrl, dataDir: fresh, force: true })).resolves.toMatchObject({
      dialect: 'sqlite',
    });
  });

  it('a tampered archive is refused before anything is restored', async () => {
    const dataDir = tmpDir('bk-tamper-');
    const url = path.join(dataDir, 'app.sqlite');
    const db = openDatabase(url);
    await migrateToLatest(db);
    await addUser(db, 1, 'u');
    await db.destroy();
    writeUpload(dataDir, 'oer/cd/cdef.pdf', 1000);
    const { archive } = await createBackup({ databaseUrl: url, dataDir, outDir: path.join(dataDir, 'backups') });

    const unpacked = tmpDir('bk-unpacked-');
    await tar.extract({ file: archive, cwd: unpacked });
    fs.appendFileSync(path.join(unpacked, 'store/cd/cdef.pdf'), 'x');
    const bad = path.join(unpacked, '..', `bad-${newId(6)}.tar.gz`);
    dirs.push(bad);
    await tar.create({ gzip: true, file: bad, cwd: unpacked }, fs.readdirSync(unpacked));

    const target = tmpDir('bk-target-');
    await expect(restoreBackup({ archive: bad, databaseUrl: path.join(target, 'app.sqlite'), dataDir: target })).rejects.toThrow(
      BackupError,
    );
    expect(fs.existsSync(path.join(target, 'app.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(target, 'uploads'))).toBe(false);
  });

  it('an archive of the first format (store files inside files/uploads/oer) still restores', async () => {
    const src = tmpDir('bk-v1-src-');
    const db = openDatabase(path.join(src, 'app.sqlite'));
    await migrateToLatest(db);
    await addUser(db, 1, 'u');
    await db.destroy();
    const staging = tmpDir('bk-v1-staging-');
    fs.copyFileSync(path.join(src, 'app.sqlite'), path.join(staging, 'database.sqlite'));
    const stored = writeUpload(path.join(staging, 'files'), 'oer/ab/abc.pdf', 2000);
    const local = writeUpload(path.join(staging, 'files'), 'library/t.epub', 300);
    const file = (p: string) => fs.readFileSync(path.join(staging, p));
    const sum = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
    const manifest = {
      version: 1,
      createdAt: new Date().toISOString(),
      dialect: 'sqlite',
      database: { file: 'database.sqlite', sha256: sum(file('database.sqlite')), size: file('database.sqlite').length },
      tables: { users: 1 },
      files: [
        { path: 'uploads/oer/ab/abc.pdf', size: 2000, sha256: stored },
        { path: 'uploads/library/t.epub', size: 300, sha256: local },
      ],
    };
    fs.writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest));
    const archive = path.join(tmpDir('bk-v1-out-'), 'backup-20260101-000000.tar.gz');
    await tar.create({ gzip: true, file: archive, cwd: staging, portable: true }, fs.readdirSync(staging));

    const dst = tmpDir('bk-v1-dst-');
    await restoreBackup({ archive, databaseUrl: path.join(dst, 'app.sqlite'), dataDir: dst });
    expect(sum(fs.readFileSync(path.join(dst, 'uploads/oer/ab/abc.pdf')))).toBe(stored);
    expect(sum(fs.readFileSync(path.join(dst, 'uploads/library/t.epub')))).toBe(local);
  });

  it('keeps only the newest N archives', async () => {
    const dir = tmpDir('bk-prune-');
    for (const d of ['20261101-010000', '20261102-010000', '20261103-010000', '20261104-010000'])
      fs.writeFileSync(path.join(dir, `backup-${d}.tar.gz`), '');
    fs.writeFileSync(path.join(dir, 'notes.txt'), '');
    const { removed } = await pruneBackups(dir, 2);
    expect(removed).toEqual(['backup-20261101-010000.tar.gz', 'backup-20261102-010000.tar.gz']);
    expect(fs.readdirSync(dir).sort()).toEqual(['backup-20261103-010000.tar.gz', 'backup-20261104-010000.tar.gz', 'notes.txt']);
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
const pgTools = !!findPgTool('pg_dump') && !!findPgTool('pg_restore');

describe.skipIf(!pgUrl || !pgTools)('backup and restore — PostgreSQL (pg_dump)', () => {
  const created: string[] = [];
  const dbUrl = (name: string) => {
    const u = new URL(pgUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  async function admin<T>(f: (c: pg.Client) => Promise<T>) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      return await f(c);
    } finally {
      await c.end();
    }
  }
  afterAll(async () => {
    for (const n of created) await dropDatabase(pgUrl!, n);
  });

  it('an archive taken under write load restores every acknowledged row into a fresh database', async () => {
    const src = `bk_${newId(8).toLowerCase()}`;
    const dst = `${src}_r`;
    created.push(src, dst);
    await admin(async (c) => {
      await c.query(`CREATE DATABASE ${src}`);
      await c.query(`CREATE DATABASE ${dst}`);
    });
    const dataDir = tmpDir('bkpg-src-');
    const db = openDatabase(dbUrl(src));
    await migrateToLatest(db);
    const sum = writeUpload(dataDir, 'oer/ef/efgh.mp3', 20_000);
    const load = writeLoad(db);
    await waitFor(() => load.acked.length >= 100);
    const ackedBefore = [...load.acked];
    const { archive, manifest } = await createBackup({ databaseUrl: dbUrl(src), dataDir, outDir: path.join(dataDir, 'backups') });
    await load.stop();
    await db.destroy();
    expect(manifest.dialect).toBe('postgres');

    const fresh = tmpDir('bkpg-dst-');
    await restoreBackup({ archive, databaseUrl: dbUrl(dst), dataDir: fresh });
    const restored = openDatabase(dbUrl(dst));
    const ids = await userIds(restored);
    await restored.destroy();
    expect(ackedBefore.every((id) => ids.has(id))).toBe(true);
    expect(ids.size).toBe(manifest.tables.users);
    expect(
      crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(fresh, 'uploads/oer/ef/efgh.mp3')))
        .digest('hex'),
    ).toBe(sum);
    await expect(restoreBackup({ archive, databaseUrl: dbUrl(dst), dataDir: fresh })).rejects.toThrow(/not empty/);
  });
});

describe('the backup command speaks the operator’s language', () => {
  it('Vietnamese by default, English when LANG (or LLW_LANG) says so; the exit status is the same', async () => {
    const dataDir = tmpDir('bk-lang-');
    const url = path.join(dataDir, 'app.sqlite');
    const db = openDatabase(url);
    await migrateToLatest(db);
    await addUser(db, 1, 'u');
    await db.destroy();
    const { archive } = await createBackup({ databaseUrl: url, dataDir, outDir: path.join(dataDir, 'backups') });
    // Restoring over the site's own (non-empty) database is refused.
    const restore = (lang: Record<string, string>) =>
      run(process.execPath, ['--import', 'tsx', 'db/backup-cli.ts', 'restore', archive], {
        env: {
          ...process.env,
          LLW_LANG: '',
          LC_ALL: '',
          LC_MESSAGES: '',
          LANG: 'C.UTF-8',
          DATABASE_URL: url,
          DATA_DIR: dataDir,
          NODE_ENV: 'test',
          ...lang,
        },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
    const vi = await restore({});
    expect(vi.code).toBe(1);
    expect(vi.stderr).toContain('lỗi: Cơ sở dữ liệu đích không trống: khôi phục sẽ ghi đè lên nó. Chạy lại với --force để thay thế.');
    const en = await restore({ LANG: 'en_US.UTF-8' });
    expect(en.code).toBe(1);
    expect(en.stderr).toContain(
      'error: The target database is not empty: restoring would overwrite it. Run again with --force to replace it.',
    );
    expect((await restore({ LANG: 'en_GB.UTF-8', LLW_LANG: 'vi' })).stderr).toContain('lỗi: Cơ sở dữ liệu đích không trống');
  });
});
