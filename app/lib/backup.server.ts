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

import type { BlobBackend } from '~/lib/storage/backend.server';
import { describeStore, DISK_STORE_DIR, storeFor } from '~/lib/storage/index.server';

const run = promisify(execFile);

/** 1: files only (the disk store inside `files/uploads/oer/`); 2: the store's objects in `store/`. */
export const MANIFEST_VERSION = 2;

export type StoredFile = { path: string; size: number; sha256: string };
export type StoredObject = { key: string; size: number; sha256: string };

export type Manifest = {
  version: number;
  createdAt: string;
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
};

export class BackupError extends Error {}

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
    throw new BackupError('the archive was closed early');
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
        if (got > size) throw new BackupError(`${name} grew while it was read (more than the ${size} bytes listed)`);
        hash.update(c);
        if (!entry.write(Buffer.from(c.buffer, c.byteOffset, c.length))) await Promise.race([once(entry, 'drain'), failed]);
      }
      if (got !== size) throw new BackupError(`${name} shrank while it was read (${got} of the ${size} bytes listed)`);
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

/** Writes one archive and returns its path and manifest. */
export async function createBackup(opts: BackupOptions): Promise<{ archive: string; manifest: Manifest }> {
  const now = opts.now ?? new Date();
  await fs.promises.mkdir(opts.outDir, { recursive: true });
  const staging = await fs.promises.mkdtemp(path.join(opts.outDir, '.staging-'));
  const archive = path.join(opts.outDir, `backup-${stamp(now)}.tar.gz`);
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
        throw new BackupError(
          'pg_dump is not installed: a PostgreSQL backup needs it (Debian: apt-get install postgresql-client-15, the same major version as the server).',
        );
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

    // The file store (disk or S3), object by object as it is listed.
    const store = storeFor(opts.storageUrl, opts.dataDir);
    const objects: StoredObject[] = [];
    for await (const o of store.list(opts.pageSize)) {
      if (!safeRelative(o.key)) continue; // not a name this platform writes, nor one a restore could place
      const data = await openObject(store, o.key, o.size);
      if (!data) continue; // deleted since it was listed
      objects.push({ key: o.key, size: o.size, sha256: await writer.add(`store/${o.key}`, o.size, data) });
    }

    const manifest: Manifest = {
      version: MANIFEST_VERSION,
      createdAt: now.toISOString(),
      dialect,
      database,
      tables,
      files,
      store: { kind: store.kind, location: describeStore(opts.storageUrl, opts.dataDir), objects },
    };
    await writer.addBuffer('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
    await writer.close();
    writer = null;
    await fs.promises.rename(tmpArchive, archive); // a half-written archive never has the final name
    return { archive, manifest };
  } finally {
    if (writer) {
      await writer.abort();
      await fs.promises.rm(tmpArchive, { force: true });
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
    if (code === 'ENOENT') throw new BackupError(`No such archive: ${archive}`);
    if (code?.startsWith('Z_') || /tar|header|Unexpected end/i.test((e as Error).message ?? ''))
      throw new BackupError(`${archive} is not a readable backup archive (${(e as Error).message})`);
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
  { kind: 'database' } | { kind: 'file'; path: string } | { kind: 'object'; key: string }
);

function parseManifest(raw: string): { manifest: Manifest; expected: Expected[] } {
  let m: Manifest;
  try {
    m = JSON.parse(raw) as Manifest;
  } catch {
    throw new BackupError('The archive has no readable manifest.json: it is not a backup of this platform.');
  }
  if (m.version !== 1 && m.version !== MANIFEST_VERSION) throw new BackupError(`Unknown manifest version ${m.version}.`);
  const bad = (p: string) => {
    throw new BackupError(`The manifest names a path outside the data folder: ${p}`);
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
      expected.push({ kind: 'object', key: o.key, name: `files/${DISK_STORE_PREFIX}${o.key}`, size: o.size, sha256: o.sha256 });
    m = { ...m, files, store: { kind: 'disk', location: DISK_STORE_PREFIX, objects } };
  } else {
    for (const o of m.store.objects) expected.push({ kind: 'object', key: o.key, name: `store/${o.key}`, size: o.size, sha256: o.sha256 });
  }
  for (const f of m.files) {
    if (!f.path.startsWith(`${UPLOADS_DIR}/`) || !safeRelative(f.path)) bad(f.path);
    expected.push({ kind: 'file', path: f.path, name: `files/${f.path}`, size: f.size, sha256: f.sha256 });
  }
  for (const e of expected) if (e.kind === 'object' && !safeRelative(e.key)) bad(e.key);
  return { manifest: m, expected };
}

/**
 * Reads the whole archive once, hashing every entry, and checks them against its manifest.
 * Nothing is written. Returns the manifest (a version 1 one in the current shape).
 */
export async function verifyArchive(archive: string): Promise<Manifest> {
  return (await checkArchive(archive)).manifest;
}

async function checkArchive(archive: string): Promise<{ manifest: Manifest; expected: Expected[] }> {
  const seen = new Map<string, { sha256: string; size: number }>();
  let raw: string | null = null;
  await forEachEntry(archive, async (name, data) => {
    if (name === 'manifest.json') {
      const chunks: Buffer[] = [];
      for await (const c of data) chunks.push(c);
      raw = Buffer.concat(chunks).toString('utf8');
    } else seen.set(name, await hashStream(data));
  });
  if (raw === null) throw new BackupError('The archive has no manifest.json: it is not a backup of this platform.');
  const { manifest, expected } = parseManifest(raw);
  const bad = expected.filter((e) => {
    const s = seen.get(e.name);
    return !s || s.sha256 !== e.sha256 || s.size !== e.size;
  });
  if (bad.length)
    throw new BackupError(
      `Checksum mismatch or missing file in the archive: ${bad
        .slice(0, 10)
        .map((e) => e.name)
        .join(', ')}`,
    );
  return { manifest, expected };
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

export type RestoreOptions = {
  archive: string;
  databaseUrl: string;
  dataDir: string;
  /** STORAGE_URL of the target: the objects go into that store, whichever store they came from. */
  storageUrl?: string;
  force?: boolean;
};

/** Brings a database and its files back from an archive. The server must be stopped. */
export async function restoreBackup(opts: RestoreOptions): Promise<Manifest> {
  const { manifest, expected } = await checkArchive(opts.archive); // before anything is touched
  const target: Manifest['dialect'] = isPostgres(opts.databaseUrl) ? 'postgres' : 'sqlite';
  if (target !== manifest.dialect) throw new BackupError(`This is a ${manifest.dialect} backup; DATABASE_URL points to ${target}.`);
  if (!opts.force && (await targetHasData(opts.databaseUrl))) {
    throw new BackupError('The target database is not empty: restoring would overwrite it. Run again with --force to replace it.');
  }
  const store = storeFor(opts.storageUrl, opts.dataDir);
  const where = describeStore(opts.storageUrl, opts.dataDir);
  if (!opts.force && (await storeHasObjects(store))) {
    throw new BackupError(
      `The target file store ${where} is not empty: restoring would mix two sites' files. Run again with --force to replace it.`,
    );
  }

  await fs.promises.mkdir(opts.dataDir, { recursive: true });
  const work = await fs.promises.mkdtemp(path.join(opts.dataDir, '.restore-'));
  try {
    // Second read: the database and the local files into `work`, the objects straight into the store.
    const byName = new Map(expected.map((e) => [e.name, e]));
    await forEachEntry(opts.archive, async (name, data) => {
      const e = byName.get(name);
      if (!e) return;
      let got: { sha256: string; size: number };
      if (e.kind === 'object') {
        const h = crypto.createHash('sha256');
        let size = 0;
        const hashed = async function* () {
          for await (const c of data) {
            h.update(c);
            size += c.length;
            yield c as Uint8Array;
          }
        };
        await store.put(e.key, hashed(), e.size); // TooLargeError past the listed size
        got = { sha256: h.digest('hex'), size };
      } else {
        const dest = path.join(work, name);
        await fs.promises.mkdir(path.dirname(dest), { recursive: true });
        const out = fs.createWriteStream(dest);
        got = await hashStream(data, async (c) => {
          if (!out.write(c)) await once(out, 'drain');
        });
        out.end();
        await once(out, 'close');
      }
      if (got.sha256 !== e.sha256 || got.size !== e.size) throw new BackupError(`${name} changed in the archive since it was checked`);
    });

    if (target === 'sqlite') {
      const file = sqliteFile(opts.databaseUrl);
      await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
      for (const f of [`${file}-wal`, `${file}-shm`]) await fs.promises.rm(f, { force: true });
      await fs.promises.copyFile(path.join(work, manifest.database.file), `${file}.restoring`);
      await fs.promises.rename(`${file}.restoring`, file);
      checkCounts(manifest, sqliteCounts(file));
    } else {
      const pgRestore = findPgTool('pg_restore');
      if (!pgRestore) throw new BackupError('pg_restore is not installed (Debian: apt-get install postgresql-client-15).');
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
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}

function checkCounts(manifest: Manifest, counts: Record<string, number>) {
  const wrong = Object.entries(manifest.tables).filter(([t, n]) => counts[t] !== n);
  if (wrong.length)
    throw new BackupError(`Row counts differ after restore: ${wrong.map(([t, n]) => `${t} ${counts[t]} ≠ ${n}`).join(', ')}`);
}

/** Keeps the newest `keep` archives in `dir`, deletes older ones. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  let names: string[];
  try {
    names = (await fs.promises.readdir(dir)).filter((n) => /^backup-\d{8}-\d{6}\.tar\.gz$/.test(n)).sort();
  } catch {
    return [];
  }
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const n of old) await fs.promises.rm(path.join(dir, n), { force: true });
  return old;
}

/**
 * The periodic job: one archive a day into BACKUP_DIR, keeping BACKUP_KEEP of them. With
 * STORAGE_URL=s3://… the archive holds the bucket's objects too (streamed from the store).
 */
export async function dailyBackup(
  env: { DATABASE_URL: string; DATA_DIR: string; BACKUP_DIR: string; BACKUP_KEEP: number; STORAGE_URL?: string },
  now: Date,
) {
  if (env.BACKUP_KEEP <= 0) return null;
  if (isPostgres(env.DATABASE_URL) && !findPgTool('pg_dump')) {
    console.warn('[backup] pg_dump is not installed: no automatic PostgreSQL backup (apt-get install postgresql-client-15)');
    return null;
  }
  const r = await createBackup({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    outDir: env.BACKUP_DIR,
    storageUrl: env.STORAGE_URL,
    now,
  });
  await pruneBackups(env.BACKUP_DIR, env.BACKUP_KEEP);
  return r.archive;
}
