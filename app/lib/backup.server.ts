/**
 * Backups that restore: one dated archive (`backup-YYYYMMDD-HHmmss.tar.gz`) holding a consistent
 * snapshot of the database, every uploaded file, and a manifest (row counts per table, size and
 * SHA-256 of every file and stored object), written while the site is serving.
 *
 * - SQLite: `VACUUM INTO` from a separate read-only connection copies one consistent snapshot
 *   (a WAL read transaction) while writers go on.
 * - PostgreSQL: `pg_dump` (custom format) when it is installed; the row counts are taken in a
 *   REPEATABLE READ transaction whose snapshot is handed to pg_dump (`--snapshot`), so the
 *   manifest describes exactly the dumped state.
 * - The file store (`~/lib/storage`: DATA_DIR/uploads/oer on the disk, or every object under the
 *   STORAGE_URL bucket's `<prefix>/oer/`): listed through the storage module (ListObjectsV2 page by
 *   page on S3) and each object streamed straight into the archive as `store/<key>` — never held
 *   whole in memory, never copied to a staging folder first.
 * - The other local files under DATA_DIR/uploads (resumable uploads in progress, library files
 *   kept before the library used the store) as `files/uploads/…`.
 * - Files after the database snapshot: an upload is stored before the row that points to it, so
 *   every row of the snapshot finds its file.
 *
 * `restoreBackup` reads the archive once to check every checksum before touching anything,
 * refuses a non-empty database or file store unless `force`, then reads it again, writing the
 * objects through the storage module into whichever store is configured (a disk backup can be
 * restored into a bucket and the other way round), and checks the counts again.
 *
 * Incremental backups (manifest version 3). The store's objects never change once written (keys
 * are content hashes or fresh random names), so, as pgBackRest's manifests do, a backup may
 * leave out an object that an earlier archive of the same BACKUP_DIR already holds: its manifest
 * still lists every object (key, size, SHA-256, modification time) and names, for each, the
 * archive that holds its bytes. Only objects that are new — or whose size or modification time
 * differ from what the earlier backup saw — are downloaded. The database and the local files are
 * always taken whole. `mode`: 'full', 'incremental' (against the newest backup of the same store;
 * full when there is none), or 'auto' (incremental unless the last full backup is
 * `fullEveryDays` old). Each archive has its manifest beside it too
 * (`backup-….manifest.json`) so that the next backup and the retention job read it without
 * decompressing the archive. A restore opens every archive the manifest names, checks that all
 * are there and every checksum matches before writing anything, then writes the objects
 * `concurrency` at a time. Retention never deletes an archive a kept backup still needs.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

import Sqlite from 'better-sqlite3';
import pg from 'pg';
import * as tarStream from 'tar-stream';

import type { TFunction, TParams } from '~/i18n/i18n';
import { getT } from '~/i18n/i18n.server';
import { acquireBackupLock, type HeldLock, type LockOptions, withBackupLock } from '~/lib/backup-lock.server';
import type { BlobBackend } from '~/lib/storage/backend.server';
import { describeStore, DISK_STORE_DIR, storeFor } from '~/lib/storage/index.server';

const run = promisify(execFile);

/**
 * 1: files only (the disk store inside `files/uploads/oer/`); 2: the store's objects in `store/`;
 * 3: full or incremental, each object naming the archive that holds its bytes.
 */
export const MANIFEST_VERSION = 3;

export type StoredFile = { path: string; size: number; sha256: string };
export type StoredObject = {
  key: string;
  size: number;
  sha256: string;
  /** The object's modification time (S3 LastModified) when it was backed up (v3). */
  mtime?: string;
  /** The archive (a file name in the same folder) holding its bytes as `store/<key>`; v1/v2: this one. */
  archive?: string;
};

export type Manifest = {
  version: number;
  createdAt: string;
  /** v3: this archive's file name, `full` or `incremental`, and what it builds on. */
  archive?: string;
  kind?: 'full' | 'incremental';
  /** The backup whose manifest an incremental one was compared with. */
  base?: string | null;
  /** When the full backup this one builds on (or this one, when full) was taken. */
  fullAt?: string;
  /** The other archives holding bytes of objects this backup lists (needed to restore it). */
  references?: string[];
  dialect: 'sqlite' | 'postgres';
  /** `database.sqlite` or `database.dump` inside the archive. */
  database: { file: string; sha256: string; size: number };
  tables: Record<string, number>;
  /** Local files under DATA_DIR/uploads outside the file store, as `files/<path>`. */
  files: StoredFile[];
  /** The file store's objects (disk or S3), as `store/<key>`. */
  store: { kind: 'disk' | 's3'; location: string; objects: StoredObject[] };
};

export type BackupOptions = {
  databaseUrl: string;
  dataDir: string;
  outDir: string;
  /** STORAGE_URL: unset for the disk store under `dataDir`, `s3://…` for an object store. */
  storageUrl?: string;
  /** Objects listed per request (S3 allows at most 1000). */
  pageSize?: number;
  now?: Date;
  /**
   * 'full': every object downloaded; 'incremental': only objects the newest earlier backup of the
   * same store in `outDir` does not hold (full when there is none); 'auto' (default): incremental
   * unless the last full backup is `fullEveryDays` days old.
   */
  mode?: BackupMode;
  /** For 'auto': a full backup every this many days (0: every backup is full). Default 7. */
  fullEveryDays?: number;
  /** Retention afterwards, under the same lock: keep the newest `keep` archives (and what they need). */
  keep?: number;
  /** The folder's lock: wait for a running backup instead of failing, its max age, callbacks. */
  lock?: Omit<LockOptions, 'purpose'>;
};

export type BackupMode = 'full' | 'incremental' | 'auto';
export const DEFAULT_FULL_EVERY_DAYS = 7;

/** Every way a backup, restore or check can refuse, mapped to its message (app/locales/<lang>/ops.json). */
const backupErrorKey = {
  closedEarly: 'ops.backup.errors.closedEarly',
  grew: 'ops.backup.errors.grew',
  shrank: 'ops.backup.errors.shrank',
  exists: 'ops.backup.errors.exists',
  noPgDump: 'ops.backup.errors.noPgDump',
  deletedDuring: 'ops.backup.errors.deletedDuring',
  noArchive: 'ops.backup.errors.noArchive',
  unreadableArchive: 'ops.backup.errors.unreadableArchive',
  noManifest: 'ops.backup.errors.noManifest',
  manifestVersion: 'ops.backup.errors.manifestVersion',
  unsafePath: 'ops.backup.errors.unsafePath',
  unknownArchive: 'ops.backup.errors.unknownArchive',
  checksum: 'ops.backup.errors.checksum',
  chainMissing: 'ops.backup.errors.chainMissing',
  chainMismatch: 'ops.backup.errors.chainMismatch',
  dialect: 'ops.backup.errors.dialect',
  databaseNotEmpty: 'ops.backup.errors.databaseNotEmpty',
  storeNotEmpty: 'ops.backup.errors.storeNotEmpty',
  changed: 'ops.backup.errors.changed',
  storeShort: 'ops.backup.errors.storeShort',
  objectsMissing: 'ops.backup.errors.objectsMissing',
  noPgRestore: 'ops.backup.errors.noPgRestore',
  counts: 'ops.backup.errors.counts',
  waitSeconds: 'ops.backup.errors.waitSeconds',
  fullOrIncremental: 'ops.backup.errors.fullOrIncremental',
  parallel: 'ops.backup.errors.parallel',
} as const;
export type BackupErrorCode = keyof typeof backupErrorKey;

/**
 * A refusal the operator must read: a code and its values. `message` is English (logs, the daily
 * job); the command line shows `describe(t)` in its language.
 */
export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    readonly values: TParams = {},
  ) {
    super('');
    this.message = this.describe(getT('en'));
  }

  describe(t: TFunction): string {
    return t(backupErrorKey[this.code], this.values);
  }
}

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);
const sqliteFile = (url: string) => url.replace(/^file:/, '').replace(/^sqlite:/, '');

/** The folder of uploaded files inside DATA_DIR (every area's uploads live under it). */
export const UPLOADS_DIR = 'uploads';
/** The disk store inside DATA_DIR, as a manifest path prefix (`uploads/oer/`). */
const DISK_STORE_PREFIX = `${DISK_STORE_DIR.split(path.sep).join('/')}/`;

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** The archives this module writes: `backup-YYYYMMDD-HHmmss.tar.gz`. */
const ARCHIVE_NAME = /^backup-\d{8}-\d{6}\.tar\.gz$/;

/** The manifest kept beside an archive (`backup-….manifest.json`): read without opening the archive. */
export function sidecarOf(archive: string): string {
  return archive.replace(/\.tar\.gz$/, '.manifest.json');
}

/** The archives of a backup folder, oldest first (names sort by date). */
async function archivesIn(dir: string): Promise<string[]> {
  try {
    return (await fs.promises.readdir(dir)).filter((n) => ARCHIVE_NAME.test(n)).sort();
  } catch {
    return [];
  }
}

/**
 * The manifest of `dir/name`: from the file beside it, else from inside the archive (a backup
 * written before version 3, or a lost side file). Null when neither can be read. Not a check of
 * the archive's checksums.
 */
export async function readManifest(dir: string, name: string): Promise<Manifest | null> {
  const file = path.join(dir, name);
  try {
    const m = JSON.parse(await fs.promises.readFile(sidecarOf(file), 'utf8')) as Manifest;
    if (m.archive === name && Array.isArray(m.store?.objects)) return m;
  } catch {
    /* read it from the archive */
  }
  let raw: string | null = null;
  try {
    await forEachEntry(file, async (entryName, data) => {
      if (entryName !== 'manifest.json') return;
      const chunks: Buffer[] = [];
      for await (const c of data) chunks.push(c);
      raw = Buffer.concat(chunks).toString('utf8');
    });
    if (raw === null) return null;
    const m = { ...parseManifest(raw).manifest, archive: name };
    // Kept beside it from now on (an archive of an earlier version): the next read is cheap.
    await fs.promises.writeFile(`${sidecarOf(file)}.tmp`, JSON.stringify(m, null, 2));
    await fs.promises.rename(`${sidecarOf(file)}.tmp`, sidecarOf(file));
    return m;
  } catch {
    return null;
  }
}

/** The archive holding an object's bytes (version 1 and 2 manifests: the archive itself). */
const holder = (o: StoredObject, m: Manifest, self: string) => o.archive ?? m.archive ?? self;

async function* walk(dir: string): AsyncGenerator<string> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else if (e.isFile()) yield full;
  }
}

/** A key or path that stays inside its folder when joined to it (no `..`, not absolute). */
function safeRelative(p: string): boolean {
  return p.length > 0 && !p.startsWith('/') && !/[\\\0]/.test(p) && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Finds a PostgreSQL client tool (`pg_dump`, `pg_restore`) on PATH or in Debian's versioned folders. */
export function findPgTool(name: 'pg_dump' | 'pg_restore'): string | null {
  const dirs = (process.env.PATH ?? '').split(':');
  for (const v of ['17', '16', '15', '14', '13']) dirs.push(`/usr/lib/postgresql/${v}/bin`);
  for (const d of dirs) {
    const f = path.join(d, name);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      return f;
    } catch {
      /* next */
    }
  }
  return null;
}

function sqliteCounts(file: string): Record<string, number> {
  const db = new Sqlite(file, { readonly: true });
  try {
    const tables = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like 'CREATE VIRTUAL TABLE%' order by name",
      )
      .all() as Array<{ name: string }>;
    const out: Record<string, number> = {};
    for (const t of tables)
      out[t.name] = (db.prepare(`select count(*) as n from "${t.name.replace(/"/g, '""')}"`).get() as { n: number }).n;
    return out;
  } finally {
    db.close();
  }
}

async function pgCounts(client: pg.ClientBase): Promise<Record<string, number>> {
  const { rows } = await client.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name",
  );
  const out: Record<string, number> = {};
  for (const r of rows) {
    const c = await client.query<{ n: string }>(`select count(*) as n from "${r.table_name.replace(/"/g, '""')}"`);
    out[r.table_name] = Number(c.rows[0]?.n ?? 0);
  }
  return out;
}

/** A gzipped tar written entry by entry, each entry streamed in with backpressure and hashed on the way. */
function archiveWriter(file: string, mtime: Date) {
  const pack = tarStream.pack();
  const piping = pipeline(pack, zlib.createGzip(), fs.createWriteStream(file));
  piping.catch(() => undefined); // reported by add() / close()
  const failed = piping.then(() => {
    throw new BackupError('closedEarly');
  });
  failed.catch(() => undefined);
  let finalized = false;
  return {
    /** Writes `data` (exactly `size` bytes) as `name`; returns its SHA-256. */
    async add(name: string, size: number, data: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<string> {
      const hash = crypto.createHash('sha256');
      let entry!: ReturnType<tarStream.Pack['entry']>;
      const finished = new Promise<void>((resolve, reject) => {
        entry = pack.entry({ name, size, mode: 0o644, mtime, type: 'file' }, (e) => (e ? reject(e) : resolve()));
      });
      finished.catch(() => undefined);
      entry.on('error', () => undefined); // the same error reaches `finished`
      let got = 0;
      for await (const c of data) {
        got += c.length;
        if (got > size) throw new BackupError('grew', { name, size });
        hash.update(c);
        if (!entry.write(Buffer.from(c.buffer, c.byteOffset, c.length))) await Promise.race([once(entry, 'drain'), failed]);
      }
      if (got !== size) throw new BackupError('shrank', { name, got, size });
      entry.end(undefined); // (streamx types want an argument)
      await Promise.race([finished, failed]);
      return hash.digest('hex');
    },
    async addBuffer(name: string, buf: Buffer) {
      return this.add(name, buf.length, [buf]);
    },
    async close() {
      finalized = true;
      pack.finalize();
      await piping;
    },
    async abort() {
      if (!finalized) pack.destroy();
      await piping.catch(() => undefined);
    },
  };
}

/** A local file's first `size` bytes (a file still growing is cut at the size it had when listed). */
async function* fileBytes(fh: fs.promises.FileHandle, size: number): AsyncGenerator<Uint8Array> {
  if (size === 0) return;
  yield* fh.createReadStream({ start: 0, end: size - 1, autoClose: false }) as AsyncIterable<Buffer>;
}

const missing = (e: unknown) => {
  const x = e as { code?: string; name?: string; $metadata?: { httpStatusCode?: number } };
  return x?.code === 'ENOENT' || x?.name === 'NoSuchKey' || x?.name === 'NotFound' || x?.$metadata?.httpStatusCode === 404;
};

/**
 * One object of the store as a byte stream, or null when it was deleted since it was listed.
 * The first chunk is read before anything is written, so a vanished object leaves no entry.
 */
async function openObject(store: BlobBackend, key: string, size: number): Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array> | null> {
  if (size === 0) return (await store.stat(key)) ? [] : null;
  const it = (store.range(key, 0, size - 1) as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  try {
    first = await it.next();
  } catch (e) {
    if (missing(e)) return null;
    throw e;
  }
  return (async function* () {
    try {
      if (!first.done) yield first.value;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    } finally {
      await it.return?.();
    }
  })();
}

type Base = { name: string; manifest: Manifest; known: Map<string, StoredObject & { archive: string }> };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The backup an incremental one builds on: the newest readable one in `outDir`, if it is of the
 * same store (and, in 'auto' mode, its chain's full backup is less than `fullEveryDays` old).
 * Only objects whose holding archive is still in the folder can be referenced.
 */
async function chooseBase(outDir: string, location: string, mode: BackupMode, fullEveryDays: number, now: Date): Promise<Base | null> {
  if (mode === 'full') return null;
  const names = await archivesIn(outDir);
  for (const name of names.reverse()) {
    const m = await readManifest(outDir, name);
    if (!m) continue; // unreadable: an older one may do
    if (m.store.location !== location) return null; // the site moved to another store: start again
    const fullAt = m.fullAt ?? m.createdAt;
    // An hour's slack: a daily job that drifted a little still makes its full backup on the Nth day.
    if (mode === 'auto' && (fullEveryDays <= 0 || now.getTime() - Date.parse(fullAt) >= fullEveryDays * DAY_MS - DAY_MS / 24)) return null;
    const known: Base['known'] = new Map();
    const present = new Map<string, boolean>();
    for (const o of m.store.objects) {
      const arch = holder(o, m, name);
      if (!present.has(arch)) present.set(arch, ARCHIVE_NAME.test(arch) && fs.existsSync(path.join(outDir, arch)));
      if (present.get(arch)) known.set(o.key, { ...o, archive: arch });
    }
    return { name, manifest: m, known };
  }
  return null;
}

export type BackupResult = {
  archive: string;
  manifest: Manifest;
  /** Objects read from the store into this archive. */
  downloaded: number;
  /** Objects left in the earlier archives that hold them. */
  reused: number;
  /** A stale lock (a crashed backup's) taken over to start. */
  tookOver?: HeldLock['tookOver'];
  /** What a crashed backup had left in the folder, removed first. */
  leftovers?: string[];
  /** Retention run afterwards under the same lock (`keep`). */
  pruned?: { removed: string[]; held: string[] };
};

/**
 * What a crashed backup leaves in its folder: the staging folder, the half-written archive and
 * manifest (`.tmp`), a manifest written just before the archive got its name. Removed by the next
 * holder of the folder's lock (no other backup can be writing them then).
 */
async function removeLeftovers(dir: string): Promise<string[]> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const gone: string[] = [];
  for (const n of names) {
    const orphanSidecar = /^backup-\d{8}-\d{6}\.manifest\.json$/.test(n) && !names.includes(n.replace(/\.manifest\.json$/, '.tar.gz'));
    if (/^\.staging-/.test(n) || /^backup-\d{8}-\d{6}\.(tar\.gz|manifest\.json)\.tmp$/.test(n) || orphanSidecar) {
      await fs.promises.rm(path.join(dir, n), { recursive: true, force: true });
      gone.push(n);
    }
  }
  return gone;
}

/**
 * Writes one archive (and its manifest beside it) and returns its path and manifest, holding the
 * folder's lock (`~/lib/backup-lock.server`) throughout: a second backup into the same folder fails
 * at once with BackupLockedError (or waits, with `lock.wait`). With `keep`, retention runs under
 * the same lock afterwards.
 */
export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  return withBackupLock(opts.outDir, { purpose: 'backup', ...opts.lock }, async (lock) => {
    const leftovers = await removeLeftovers(opts.outDir);
    const r = await writeBackup(opts);
    const pruned = opts.keep !== undefined && opts.keep > 0 ? await pruneUnlocked(opts.outDir, opts.keep) : undefined;
    return { ...r, tookOver: lock.tookOver, leftovers, ...(pruned ? { pruned } : {}) };
  });
}

async function writeBackup(opts: BackupOptions): Promise<BackupResult> {
  let now = opts.now ?? new Date();
  await fs.promises.mkdir(opts.outDir, { recursive: true });
  // Under the lock, an archive of this very second is one that finished just before (a backup
  // that waited for it): wait for the next second rather than fail.
  while (!opts.now && fs.existsSync(path.join(opts.outDir, `backup-${stamp(now)}.tar.gz`))) {
    await new Promise((r) => setTimeout(r, 1000 - (now.getTime() % 1000) + 5));
    now = new Date();
  }
  const archiveName = `backup-${stamp(now)}.tar.gz`;
  const archive = path.join(opts.outDir, archiveName);
  if (fs.existsSync(archive)) throw new BackupError('exists', { archive });
  const staging = await fs.promises.mkdtemp(path.join(opts.outDir, '.staging-'));
  const tmpArchive = `${archive}.tmp`;
  let writer: ReturnType<typeof archiveWriter> | null = null;
  try {
    let dbFile: string;
    let tables: Record<string, number>;
    let dialect: Manifest['dialect'];
    if (isPostgres(opts.databaseUrl)) {
      dialect = 'postgres';
      const pgDump = findPgTool('pg_dump');
      if (!pgDump) {
        throw new BackupError('noPgDump');
      }
      const client = new pg.Client({ connectionString: opts.databaseUrl });
      await client.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const snap = await client.query<{ id: string }>('select pg_export_snapshot() as id');
        tables = await pgCounts(client);
        dbFile = path.join(staging, 'database.dump');
        await run(pgDump, ['--format=custom', '--no-owner', `--snapshot=${snap.rows[0]!.id}`, `--file=${dbFile}`, opts.databaseUrl], {
          maxBuffer: 1 << 24,
        });
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    } else {
      dialect = 'sqlite';
      dbFile = path.join(staging, 'database.sqlite');
      // VACUUM INTO reads one snapshot (a WAL read transaction: writers go on) into a fresh,
      // compact file. The page-by-page backup API restarts whenever another connection writes,
      // so under a steady write load it would never finish.
      const src = new Sqlite(sqliteFile(opts.databaseUrl), { readonly: true, fileMustExist: true });
      try {
        src.pragma('busy_timeout = 5000');
        src.prepare('VACUUM INTO ?').run(dbFile);
      } finally {
        src.close();
      }
      tables = sqliteCounts(dbFile);
    }

    writer = archiveWriter(tmpArchive, now);
    const dbName = path.basename(dbFile);
    const dbSize = (await fs.promises.stat(dbFile)).size;
    const dbHandle = await fs.promises.open(dbFile, 'r');
    let database: Manifest['database'];
    try {
      database = { file: dbName, size: dbSize, sha256: await writer.add(dbName, dbSize, fileBytes(dbHandle, dbSize)) };
    } finally {
      await dbHandle.close();
    }
    await fs.promises.rm(dbFile, { force: true });

    // Local files under DATA_DIR/uploads other than the disk store, after the database snapshot.
    const files: StoredFile[] = [];
    for await (const full of walk(path.join(opts.dataDir, UPLOADS_DIR))) {
      const rel = path.relative(opts.dataDir, full).split(path.sep).join('/');
      if (rel.startsWith(DISK_STORE_PREFIX)) continue; // the disk store: below, through the storage module
      if (rel.endsWith('.part') || rel.includes('.part-')) continue; // an upload still being received
      let fh: fs.promises.FileHandle;
      try {
        fh = await fs.promises.open(full, 'r');
      } catch (e) {
        if (missing(e)) continue; // deleted meanwhile
        throw e;
      }
      try {
        const size = (await fh.stat()).size;
        files.push({ path: rel, size, sha256: await writer.add(`files/${rel}`, size, fileBytes(fh, size)) });
      } finally {
        await fh.close();
      }
    }

    // The file store (disk or S3), object by object as it is listed; on an incremental backup only
    // the objects no kept archive holds (same key, size and modification time) are downloaded.
    const store = storeFor(opts.storageUrl, opts.dataDir);
    const location = describeStore(opts.storageUrl, opts.dataDir);
    const base = await chooseBase(opts.outDir, location, opts.mode ?? 'auto', opts.fullEveryDays ?? DEFAULT_FULL_EVERY_DAYS, now);
    const objects: StoredObject[] = [];
    let downloaded = 0;
    let reused = 0;
    for await (const o of store.list(opts.pageSize)) {
      if (!safeRelative(o.key)) continue; // not a name this platform writes, nor one a restore could place
      const mtime = o.mtime?.toISOString();
      const prev = base?.known.get(o.key);
      if (prev && prev.size === o.size && (!prev.mtime || !mtime || prev.mtime === mtime)) {
        objects.push({ key: o.key, size: o.size, sha256: prev.sha256, mtime: mtime ?? prev.mtime, archive: prev.archive });
        reused++;
        continue;
      }
      const data = await openObject(store, o.key, o.size);
      if (!data) continue; // deleted since it was listed
      const sha256 = await writer.add(`store/${o.key}`, o.size, data);
      objects.push({ key: o.key, size: o.size, sha256, ...(mtime ? { mtime } : {}), archive: archiveName });
      downloaded++;
    }
    const references = [...new Set(objects.map((o) => o.archive!).filter((a) => a !== archiveName))].sort();

    const manifest: Manifest = {
      version: MANIFEST_VERSION,
      createdAt: now.toISOString(),
      archive: archiveName,
      kind: base ? 'incremental' : 'full',
      base: base?.name ?? null,
      fullAt: base ? (base.manifest.fullAt ?? base.manifest.createdAt) : now.toISOString(),
      references,
      dialect,
      database,
      tables,
      files,
      store: { kind: store.kind, location, objects },
    };
    const json = Buffer.from(JSON.stringify(manifest, null, 2));
    await writer.addBuffer('manifest.json', json);
    await writer.close();
    writer = null;
    // Retention run by another process meanwhile must not have taken an archive this one needs.
    const gone = references.filter((r) => !fs.existsSync(path.join(opts.outDir, r)));
    if (gone.length) throw new BackupError('deletedDuring', { names: gone.join(', ') });
    const sidecar = sidecarOf(archive);
    await fs.promises.writeFile(`${sidecar}.tmp`, json);
    await fs.promises.rename(`${sidecar}.tmp`, sidecar);
    await fs.promises.rename(tmpArchive, archive); // a half-written archive never has the final name
    return { archive, manifest, downloaded, reused };
  } finally {
    if (writer) await writer.abort();
    if (!fs.existsSync(archive)) {
      await fs.promises.rm(tmpArchive, { force: true });
      for (const f of [sidecarOf(archive), `${sidecarOf(archive)}.tmp`]) await fs.promises.rm(f, { force: true });
    }
    await fs.promises.rm(staging, { recursive: true, force: true });
  }
}

/**
 * Calls `fn` for every file entry of a gzipped tar, one at a time (the next is read only when
 * `fn` is done with this one). An entry `fn` leaves unread is skipped.
 */
async function forEachEntry(archive: string, fn: (name: string, data: AsyncIterable<Buffer>) => Promise<void>): Promise<void> {
  const extract = tarStream.extract();
  const reading = pipeline(fs.createReadStream(archive), zlib.createGunzip(), extract);
  reading.catch(() => undefined);
  try {
    for await (const entry of extract) {
      if (entry.header.type === 'file') await fn(entry.header.name, entry as unknown as AsyncIterable<Buffer>);
      entry.resume(); // whatever fn left unread
    }
    await reading;
  } catch (e) {
    extract.destroy();
    if (e instanceof BackupError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new BackupError('noArchive', { archive });
    if (code?.startsWith('Z_') || /tar|header|Unexpected end/i.test((e as Error).message ?? ''))
      throw new BackupError('unreadableArchive', { archive, reason: (e as Error).message });
    throw e;
  }
}

async function hashStream(data: AsyncIterable<Uint8Array>, sink?: (c: Uint8Array) => Promise<void> | void) {
  const h = crypto.createHash('sha256');
  let size = 0;
  for await (const c of data) {
    h.update(c);
    size += c.length;
    await sink?.(c);
  }
  return { sha256: h.digest('hex'), size };
}

/** What the archive must hold, entry by entry (a version 1 manifest kept the disk store in `files/`). */
type Expected = { name: string; size: number; sha256: string } & (
  | { kind: 'database' }
  | { kind: 'file'; path: string }
  /** `archive`: the earlier archive holding the bytes (same folder), null for this one. */
  | { kind: 'object'; key: string; archive: string | null }
);

function parseManifest(raw: string): { manifest: Manifest; expected: Expected[] } {
  let m: Manifest;
  try {
    m = JSON.parse(raw) as Manifest;
  } catch {
    throw new BackupError('noManifest');
  }
  if (m.version !== 1 && m.version !== 2 && m.version !== MANIFEST_VERSION)
    throw new BackupError('manifestVersion', { version: m.version });
  const bad = (p: string) => {
    throw new BackupError('unsafePath', { path: p });
  };
  const expected: Expected[] = [{ kind: 'database', name: m.database.file, size: m.database.size, sha256: m.database.sha256 }];
  if (!/^database\.(sqlite|dump)$/.test(m.database.file)) bad(m.database.file);
  if (m.version === 1) {
    // Version 1: the disk store's files were in `files/uploads/oer/…` with the others.
    const objects: StoredObject[] = [];
    const files: StoredFile[] = [];
    for (const f of m.files) {
      if (f.path.startsWith(DISK_STORE_PREFIX))
        objects.push({ key: f.path.slice(DISK_STORE_PREFIX.length), size: f.size, sha256: f.sha256 });
      else files.push(f);
    }
    for (const o of objects)
      expected.push({
        kind: 'object',
        key: o.key,
        archive: null,
        name: `files/${DISK_STORE_PREFIX}${o.key}`,
        size: o.size,
        sha256: o.sha256,
      });
    m = { ...m, files, store: { kind: 'disk', location: DISK_STORE_PREFIX, objects } };
  } else {
    for (const o of m.store.objects) {
      const archive = o.archive && o.archive !== m.archive ? o.archive : null;
      if (archive !== null && !ARCHIVE_NAME.test(archive)) throw new BackupError('unknownArchive', { archive });
      expected.push({ kind: 'object', key: o.key, archive, name: `store/${o.key}`, size: o.size, sha256: o.sha256 });
    }
  }
  for (const f of m.files) {
    if (!f.path.startsWith(`${UPLOADS_DIR}/`) || !safeRelative(f.path)) bad(f.path);
    expected.push({ kind: 'file', path: f.path, name: `files/${f.path}`, size: f.size, sha256: f.sha256 });
  }
  for (const e of expected) if (e.kind === 'object' && !safeRelative(e.key)) bad(e.key);
  return { manifest: m, expected };
}

/** Reads `archive` once, hashing every entry; returns the manifest's text and what each entry hashed to. */
async function sweepArchive(archive: string): Promise<{ raw: string | null; seen: Map<string, { sha256: string; size: number }> }> {
  const seen = new Map<string, { sha256: string; size: number }>();
  const found: { raw: string | null } = { raw: null };
  await forEachEntry(archive, async (name, data) => {
    if (name === 'manifest.json') {
      const chunks: Buffer[] = [];
      for await (const c of data) chunks.push(c);
      found.raw = Buffer.concat(chunks).toString('utf8');
    } else seen.set(name, await hashStream(data));
  });
  return { raw: found.raw, seen };
}

/** The expected entries that `seen` lacks or holds with another size or checksum. */
const mismatches = (expected: Expected[], seen: Map<string, { sha256: string; size: number }>) =>
  expected.filter((e) => {
    const s = seen.get(e.name);
    return !s || s.sha256 !== e.sha256 || s.size !== e.size;
  });

const listNames = (bad: Expected[]) =>
  bad
    .slice(0, 10)
    .map((e) => e.name)
    .join(', ') + (bad.length > 10 ? ` and ${bad.length - 10} more` : '');

/** The archives a backup is made of: itself (`name` null) and the earlier ones holding some of its objects. */
type Part = { file: string; name: string | null; entries: Expected[] };

/**
 * Checks a backup completely without writing anything: every entry of the archive, then that every
 * earlier archive it needs (an incremental backup) is in the same folder, then every object's
 * checksum in those. Throws a BackupError naming what is missing or wrong.
 */
async function checkChain(archive: string, onProgress?: (p: RestoreProgress) => void): Promise<{ manifest: Manifest; parts: Part[] }> {
  onProgress?.({ stage: 'check', archive: path.basename(archive) });
  const { raw, seen } = await sweepArchive(archive);
  if (raw === null) throw new BackupError('noManifest');
  const { manifest, expected } = parseManifest(raw);
  const own = expected.filter((e) => e.kind !== 'object' || e.archive === null);
  const bad = mismatches(own, seen);
  if (bad.length) throw new BackupError('checksum', { names: listNames(bad) });

  const dir = path.dirname(path.resolve(archive));
  const others = new Map<string, Expected[]>();
  for (const e of expected) if (e.kind === 'object' && e.archive !== null) others.set(e.archive, [...(others.get(e.archive) ?? []), e]);
  const missing = [...others.keys()].filter((n) => !fs.existsSync(path.join(dir, n)));
  if (missing.length) {
    const objects = missing.reduce((n, a) => n + others.get(a)!.length, 0);
    throw new BackupError('chainMissing', {
      archive: path.basename(archive),
      objects,
      missing: missing.join(', '),
      dir,
      count: missing.length,
    });
  }
  const parts: Part[] = [{ file: archive, name: null, entries: own }];
  for (const [name, entries] of others) {
    onProgress?.({ stage: 'check', archive: name });
    const wrong = mismatches(entries, (await sweepArchive(path.join(dir, name))).seen);
    if (wrong.length) throw new BackupError('chainMismatch', { name, names: listNames(wrong) });
    parts.push({ file: path.join(dir, name), name, entries });
  }
  return { manifest, parts };
}

/**
 * Runs `fn` holding the lock of the folder of `archive` (which it reads): a backup, or retention,
 * cannot then write or delete an archive of the chain halfway. A folder this process cannot write to
 * (a read-only mount of a backup disk) cannot be changed by anyone else either: read without it.
 */
async function whileReading<T>(archive: string, purpose: string, lock: Omit<LockOptions, 'purpose'> | undefined, fn: () => Promise<T>) {
  const dir = path.dirname(path.resolve(archive));
  let held: HeldLock | null = null;
  try {
    held = await acquireBackupLock(dir, { purpose, ...lock });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw e;
  }
  try {
    return await fn();
  } finally {
    await held?.release();
  }
}

/**
 * Reads the archive — and, for an incremental backup, every earlier archive it needs — hashing
 * every entry, and checks them against its manifest. Nothing is written. Returns the manifest (a
 * version 1 one in the current shape). Holds the folder's lock like a restore (a backup writing
 * the next archive, or retention deleting an old one the chain needs, would otherwise make a sound
 * backup look broken, or a check pass on an archive deleted right after): while one runs there, it
 * fails with BackupLockedError, or waits with `lock.wait`.
 */
export async function verifyArchive(archive: string, lock?: Omit<LockOptions, 'purpose'>): Promise<Manifest> {
  return whileReading(archive, 'check', lock, async () => (await checkChain(archive)).manifest);
}

async function targetHasData(databaseUrl: string): Promise<boolean> {
  if (isPostgres(databaseUrl)) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const r = await client.query<{ n: string }>(
        "select count(*) as n from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
      );
      if (Number(r.rows[0]?.n ?? 0) === 0) return false;
      const counts = await pgCounts(client);
      return Object.entries(counts).some(([t, n]) => n > 0 && !t.startsWith('kysely_'));
    } finally {
      await client.end();
    }
  }
  const file = sqliteFile(databaseUrl);
  if (!fs.existsSync(file)) return false;
  const counts = sqliteCounts(file);
  return Object.entries(counts).some(([t, n]) => n > 0 && !t.startsWith('kysely_'));
}

async function storeHasObjects(store: BlobBackend): Promise<boolean> {
  for await (const o of store.list(1)) if (o) return true;
  return false;
}

/** Objects written to the store at once by a restore (RESTORE_CONCURRENCY). */
export const DEFAULT_RESTORE_CONCURRENCY = 8;

export type RestoreProgress =
  /** Reading an archive to check its checksums (the backup's own first, then those it needs). */
  | { stage: 'check'; archive: string }
  /** After each object written to the store. */
  | { stage: 'objects'; done: number; total: number; bytes: number; totalBytes: number };

export type RestoreOptions = {
  archive: string;
  databaseUrl: string;
  dataDir: string;
  /** STORAGE_URL of the target: the objects go into that store, whichever store they came from. */
  storageUrl?: string;
  force?: boolean;
  /** Objects written to the store at the same time (default 8). */
  concurrency?: number;
  onProgress?: (p: RestoreProgress) => void;
  /** The lock of the archive's folder (a backup or clean-up running there): wait, max age. */
  lock?: Omit<LockOptions, 'purpose'>;
};

/**
 * At most `limit` tasks at once: `add` waits for a free slot, so whoever feeds it (the archive
 * reader) slows down to the pace of the writes. The first failure is thrown by the next `add` or
 * by `drain`.
 */
function taskPool(limit: number) {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  const check = () => {
    if (failure) throw failure.error;
  };
  return {
    async add(task: () => Promise<void>) {
      check();
      while (running.size >= limit) await Promise.race(running);
      check();
      const p: Promise<void> = task()
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => running.delete(p));
      running.add(p);
    },
    /** Waits for every task; throws the first failure. */
    async drain() {
      while (running.size) await Promise.race(running);
      check();
    },
    /** Waits for every task, failed or not (before the spool folder goes). */
    async settle() {
      while (running.size) await Promise.race(running);
    },
  };
}

/**
 * Brings a database and its files back from an archive (and, for an incremental backup, the
 * earlier archives beside it that hold some of its objects). The server must be stopped.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<Manifest> {
  // The folder of the archive is locked while it is read (see whileReading).
  return whileReading(opts.archive, 'restore', opts.lock, () => restoreUnlocked(opts));
}

async function restoreUnlocked(opts: RestoreOptions): Promise<Manifest> {
  const { manifest, parts } = await checkChain(opts.archive, opts.onProgress); // before anything is touched
  const target: Manifest['dialect'] = isPostgres(opts.databaseUrl) ? 'postgres' : 'sqlite';
  if (target !== manifest.dialect) throw new BackupError('dialect', { backup: manifest.dialect, target });
  if (!opts.force && (await targetHasData(opts.databaseUrl))) {
    throw new BackupError('databaseNotEmpty');
  }
  const store = storeFor(opts.storageUrl, opts.dataDir);
  const where = describeStore(opts.storageUrl, opts.dataDir);
  if (!opts.force && (await storeHasObjects(store))) {
    throw new BackupError('storeNotEmpty', { store: where });
  }

  await fs.promises.mkdir(opts.dataDir, { recursive: true });
  const work = await fs.promises.mkdtemp(path.join(opts.dataDir, '.restore-'));
  const spool = path.join(work, 'spool');
  await fs.promises.mkdir(spool);
  const pool = taskPool(Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_RESTORE_CONCURRENCY)));
  const objects = parts.flatMap((p) => p.entries.filter((e) => e.kind === 'object'));
  const progress = {
    stage: 'objects' as const,
    done: 0,
    total: objects.length,
    bytes: 0,
    totalBytes: objects.reduce((n, e) => n + e.size, 0),
  };
  let seq = 0;
  try {
    // Second read of each archive: the database and the local files into `work`; each object
    // spooled to a file (its checksum checked again on the way), then written to the store by one
    // of `concurrency` workers while the archive is read on.
    for (const part of parts) {
      const byName = new Map(part.entries.map((e) => [e.name, e]));
      await forEachEntry(part.file, async (name, data) => {
        const e = byName.get(name);
        if (!e) return;
        const dest = e.kind === 'object' ? path.join(spool, String(seq++)) : path.join(work, name);
        await fs.promises.mkdir(path.dirname(dest), { recursive: true });
        const out = fs.createWriteStream(dest);
        const got = await hashStream(data, async (c) => {
          if (!out.write(c)) await once(out, 'drain');
        });
        out.end();
        await once(out, 'close');
        if (got.sha256 !== e.sha256 || got.size !== e.size) throw new BackupError('changed', { name });
        if (e.kind !== 'object') return;
        await pool.add(async () => {
          const size = await store.putFile(e.key, dest);
          await fs.promises.rm(dest, { force: true });
          if (size !== e.size) throw new BackupError('storeShort', { key: e.key, size, expected: e.size });
          progress.done++;
          progress.bytes += e.size;
          opts.onProgress?.({ ...progress });
        });
      });
    }
    await pool.drain();
    if (progress.done !== progress.total) throw new BackupError('objectsMissing', { done: progress.done, total: progress.total });

    if (target === 'sqlite') {
      const file = sqliteFile(opts.databaseUrl);
      await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
      for (const f of [`${file}-wal`, `${file}-shm`]) await fs.promises.rm(f, { force: true });
      await fs.promises.copyFile(path.join(work, manifest.database.file), `${file}.restoring`);
      await fs.promises.rename(`${file}.restoring`, file);
      checkCounts(manifest, sqliteCounts(file));
    } else {
      const pgRestore = findPgTool('pg_restore');
      if (!pgRestore) throw new BackupError('noPgRestore');
      await run(
        pgRestore,
        [
          '--clean',
          '--if-exists',
          '--no-owner',
          '--single-transaction',
          `--dbname=${opts.databaseUrl}`,
          path.join(work, manifest.database.file),
        ],
        { maxBuffer: 1 << 24 },
      );
      const client = new pg.Client({ connectionString: opts.databaseUrl });
      await client.connect();
      try {
        checkCounts(manifest, await pgCounts(client));
      } finally {
        await client.end();
      }
    }

    // Local files: everything under DATA_DIR/uploads but the disk store is replaced by the archive's.
    const uploads = path.join(opts.dataDir, UPLOADS_DIR);
    const storeTop = DISK_STORE_PREFIX.split('/')[1]!;
    await fs.promises.mkdir(uploads, { recursive: true });
    for (const name of await fs.promises.readdir(uploads)) {
      if (name !== storeTop) await fs.promises.rm(path.join(uploads, name), { recursive: true, force: true });
    }
    const incoming = path.join(work, 'files', UPLOADS_DIR);
    if (fs.existsSync(incoming)) {
      for (const name of await fs.promises.readdir(incoming)) {
        if (name === storeTop) continue; // (a version 1 archive's store: already put through the storage module)
        await fs.promises.rename(path.join(incoming, name), path.join(uploads, name));
      }
    }

    // --force: objects of the replaced site that the backup does not have go.
    if (opts.force) {
      const keep = new Set(manifest.store.objects.map((o) => o.key));
      const extra: string[] = [];
      for await (const o of store.list()) if (!keep.has(o.key)) extra.push(o.key);
      for (const k of extra) await store.delete(k);
    }
    return manifest;
  } finally {
    await pool.settle();
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}

function checkCounts(manifest: Manifest, counts: Record<string, number>) {
  const wrong = Object.entries(manifest.tables).filter(([t, n]) => counts[t] !== n);
  if (wrong.length) throw new BackupError('counts', { list: wrong.map(([t, n]) => `${t} ${counts[t]} ≠ ${n}`).join(', ') });
}

/**
 * Keeps the newest `keep` archives in `dir` and deletes older ones — except an older archive that
 * holds objects of a kept (incremental) backup, or of an archive kept for that reason: every
 * archive left in the folder can be restored. `removed`: deleted; `held`: older but still needed.
 */
export async function pruneBackups(
  dir: string,
  keep: number,
  lock?: Omit<LockOptions, 'purpose'>,
): Promise<{ removed: string[]; held: string[] }> {
  return withBackupLock(dir, { purpose: 'clean-up of old backups', ...lock }, () => pruneUnlocked(dir, keep));
}

async function pruneUnlocked(dir: string, keep: number): Promise<{ removed: string[]; held: string[] }> {
  const names = await archivesIn(dir);
  const cut = Math.max(0, names.length - keep);
  const old = new Set(names.slice(0, cut));
  if (!old.size) return { removed: [], held: [] };
  const needed = new Set<string>();
  const todo = names.slice(cut);
  while (todo.length) {
    const name = todo.pop()!;
    // An unreadable manifest cannot be restored from either, so it needs nothing.
    const m = await readManifest(dir, name);
    if (!m) continue;
    const refs = new Set([...(m.references ?? []), ...m.store.objects.map((o) => holder(o, m, name))]);
    for (const r of refs) {
      if (r === name || needed.has(r)) continue;
      needed.add(r);
      if (old.has(r)) todo.push(r);
    }
  }
  const removed = [...old].filter((n) => !needed.has(n));
  const held = [...old].filter((n) => needed.has(n));
  for (const n of removed) {
    await fs.promises.rm(path.join(dir, n), { force: true });
    await fs.promises.rm(sidecarOf(path.join(dir, n)), { force: true });
  }
  return { removed, held };
}

/**
 * The periodic job: one archive a day into BACKUP_DIR (incremental, a full one every
 * BACKUP_FULL_EVERY_DAYS), keeping BACKUP_KEEP of them and the older ones they need. With
 * STORAGE_URL=s3://… the archive holds the bucket's new objects too (streamed from the store).
 */
export async function dailyBackup(
  env: {
    DATABASE_URL: string;
    DATA_DIR: string;
    BACKUP_DIR: string;
    BACKUP_KEEP: number;
    BACKUP_FULL_EVERY_DAYS?: number;
    BACKUP_LOCK_MAX_AGE_MINUTES?: number;
    STORAGE_URL?: string;
  },
  now: Date,
) {
  if (env.BACKUP_KEEP <= 0) return null;
  if (isPostgres(env.DATABASE_URL) && !findPgTool('pg_dump')) {
    console.warn('[backup] pg_dump is not installed: no automatic PostgreSQL backup (apt-get install postgresql-client-15)');
    return null;
  }
  // A backup already running into BACKUP_DIR (`npm run backup` from cron, say): this run fails
  // with BackupLockedError, logged by the job runner and counted as a failed run.
  const r = await createBackup({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    outDir: env.BACKUP_DIR,
    storageUrl: env.STORAGE_URL,
    mode: 'auto',
    fullEveryDays: env.BACKUP_FULL_EVERY_DAYS ?? DEFAULT_FULL_EVERY_DAYS,
    keep: env.BACKUP_KEEP,
    now,
    lock: {
      maxAgeMs: env.BACKUP_LOCK_MAX_AGE_MINUTES ? env.BACKUP_LOCK_MAX_AGE_MINUTES * 60_000 : undefined,
      onTakeover: ({ stale, why }) =>
        console.warn(
          `[backup] took over a stale lock in ${env.BACKUP_DIR} (${stale ? `pid ${stale.pid} on ${stale.host}` : 'unreadable'}: ${why})`,
        ),
    },
  });
  return r.archive;
}
