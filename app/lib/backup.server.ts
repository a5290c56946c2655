/**
 * Backups that restore: one dated archive (`backup-YYYYMMDD-HHmmss.tar.gz`) holding a consistent
 * snapshot of the database, every uploaded file, and a manifest (row counts per table, SHA-256 of
 * every file), written while the site is serving.
 *
 * - SQLite: `VACUUM INTO` from a separate read-only connection copies one consistent snapshot
 *   (a WAL read transaction) while writers go on.
 * - PostgreSQL: `pg_dump` (custom format) when it is installed; the row counts are taken in a
 *   REPEATABLE READ transaction whose snapshot is handed to pg_dump (`--snapshot`), so the
 *   manifest describes exactly the dumped state.
 * - Files: copied after the database snapshot (an upload is stored before the row that points
 *   to it, so every row of the snapshot finds its file).
 *
 * `restoreBackup` checks every checksum before touching anything, refuses a non-empty
 * database unless `force`, brings the database and files back, and checks the counts again.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import Sqlite from 'better-sqlite3';
import pg from 'pg';
import * as tar from 'tar';

const run = promisify(execFile);

export const MANIFEST_VERSION = 1;

export type Manifest = {
  version: number;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** `database.sqlite` or `database.dump` inside the archive. */
  database: { file: string; sha256: string; size: number };
  tables: Record<string, number>;
  files: Array<{ path: string; size: number; sha256: string }>;
};

export type BackupOptions = {
  databaseUrl: string;
  dataDir: string;
  outDir: string;
  now?: Date;
};

export class BackupError extends Error {}

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);
const sqliteFile = (url: string) => url.replace(/^file:/, '').replace(/^sqlite:/, '');

/** The folder of uploaded files inside DATA_DIR (every area's uploads live under it). */
export const UPLOADS_DIR = 'uploads';

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

async function sha256(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
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

/** Writes one archive and returns its path and manifest. */
export async function createBackup(opts: BackupOptions): Promise<{ archive: string; manifest: Manifest }> {
  const now = opts.now ?? new Date();
  await fs.promises.mkdir(opts.outDir, { recursive: true });
  const staging = await fs.promises.mkdtemp(path.join(opts.outDir, '.staging-'));
  try {
    let database: Manifest['database'];
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
        const file = path.join(staging, 'database.dump');
        await run(pgDump, ['--format=custom', '--no-owner', `--snapshot=${snap.rows[0]!.id}`, `--file=${file}`, opts.databaseUrl], {
          maxBuffer: 1 << 24,
        });
        await client.query('COMMIT');
        const st = await fs.promises.stat(file);
        database = { file: 'database.dump', sha256: await sha256(file), size: st.size };
      } finally {
        await client.end();
      }
    } else {
      dialect = 'sqlite';
      const file = path.join(staging, 'database.sqlite');
      // VACUUM INTO reads one snapshot (a WAL read transaction: writers go on) into a fresh,
      // compact file. The page-by-page backup API restarts whenever another connection writes,
      // so under a steady write load it would never finish.
      const src = new Sqlite(sqliteFile(opts.databaseUrl), { readonly: true, fileMustExist: true });
      try {
        src.pragma('busy_timeout = 5000');
        src.prepare('VACUUM INTO ?').run(file);
      } finally {
        src.close();
      }
      tables = sqliteCounts(file);
      const st = await fs.promises.stat(file);
      database = { file: 'database.sqlite', sha256: await sha256(file), size: st.size };
    }

    // Files, after the database snapshot.
    const files: Manifest['files'] = [];
    const uploads = path.join(opts.dataDir, UPLOADS_DIR);
    for await (const full of walk(uploads)) {
      const rel = path.relative(opts.dataDir, full).split(path.sep).join('/');
      if (rel.endsWith('.part')) continue; // an upload still being received
      const dest = path.join(staging, 'files', rel);
      await fs.promises.mkdir(path.dirname(dest), { recursive: true });
      try {
        await fs.promises.copyFile(full, dest);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted meanwhile
        throw e;
      }
      const st = await fs.promises.stat(dest);
      files.push({ path: rel, size: st.size, sha256: await sha256(dest) });
    }

    const manifest: Manifest = { version: MANIFEST_VERSION, createdAt: now.toISOString(), dialect, database, tables, files };
    await fs.promises.writeFile(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const archive = path.join(opts.outDir, `backup-${stamp(now)}.tar.gz`);
    const tmpArchive = `${archive}.tmp`;
    await tar.create({ gzip: true, file: tmpArchive, cwd: staging, portable: true }, await fs.promises.readdir(staging));
    await fs.promises.rename(tmpArchive, archive); // a half-written archive never has the final name
    return { archive, manifest };
  } finally {
    await fs.promises.rm(staging, { recursive: true, force: true });
  }
}

/** Reads and checks an archive's manifest and checksums; returns the unpacked folder (caller removes it). */
export async function unpackAndVerify(archive: string, workDir: string): Promise<{ dir: string; manifest: Manifest }> {
  await fs.promises.mkdir(workDir, { recursive: true });
  const dir = await fs.promises.mkdtemp(path.join(workDir, '.restore-'));
  await tar.extract({ file: archive, cwd: dir, strict: true });
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.promises.readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    throw new BackupError('The archive has no readable manifest.json: it is not a backup of this platform.');
  }
  if (manifest.version !== MANIFEST_VERSION) throw new BackupError(`Unknown manifest version ${manifest.version}.`);
  const bad: string[] = [];
  const dbFile = path.join(dir, manifest.database.file);
  if (!fs.existsSync(dbFile) || (await sha256(dbFile)) !== manifest.database.sha256) bad.push(manifest.database.file);
  for (const f of manifest.files) {
    const p = path.join(dir, 'files', f.path);
    if (!f.path.startsWith(`${UPLOADS_DIR}/`) || f.path.includes('..')) bad.push(f.path);
    else if (!fs.existsSync(p) || (await sha256(p)) !== f.sha256) bad.push(f.path);
  }
  if (bad.length) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw new BackupError(`Checksum mismatch or missing file in the archive: ${bad.slice(0, 10).join(', ')}`);
  }
  return { dir, manifest };
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

export type RestoreOptions = { archive: string; databaseUrl: string; dataDir: string; force?: boolean };

/** Brings a database and its files back from an archive. The server must be stopped. */
export async function restoreBackup(opts: RestoreOptions): Promise<Manifest> {
  const { dir, manifest } = await unpackAndVerify(opts.archive, opts.dataDir);
  try {
    const target: Manifest['dialect'] = isPostgres(opts.databaseUrl) ? 'postgres' : 'sqlite';
    if (target !== manifest.dialect) throw new BackupError(`This is a ${manifest.dialect} backup; DATABASE_URL points to ${target}.`);
    if (!opts.force && (await targetHasData(opts.databaseUrl))) {
      throw new BackupError('The target database is not empty: restoring would overwrite it. Run again with --force to replace it.');
    }
    if (target === 'sqlite') {
      const file = sqliteFile(opts.databaseUrl);
      await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
      for (const f of [`${file}-wal`, `${file}-shm`]) await fs.promises.rm(f, { force: true });
      await fs.promises.copyFile(path.join(dir, manifest.database.file), `${file}.restoring`);
      await fs.promises.rename(`${file}.restoring`, file);
      const counts = sqliteCounts(file);
      checkCounts(manifest, counts);
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
          path.join(dir, manifest.database.file),
        ],
        {
          maxBuffer: 1 << 24,
        },
      );
      const client = new pg.Client({ connectionString: opts.databaseUrl });
      await client.connect();
      try {
        checkCounts(manifest, await pgCounts(client));
      } finally {
        await client.end();
      }
    }
    // Files: replace the uploads folder with the archive's.
    const uploads = path.join(opts.dataDir, UPLOADS_DIR);
    const incoming = path.join(dir, 'files', UPLOADS_DIR);
    await fs.promises.rm(uploads, { recursive: true, force: true });
    if (fs.existsSync(incoming)) await fs.promises.cp(incoming, uploads, { recursive: true });
    return manifest;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
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

/** The periodic job: one archive a day into BACKUP_DIR, keeping BACKUP_KEEP of them. */
export async function dailyBackup(env: { DATABASE_URL: string; DATA_DIR: string; BACKUP_DIR: string; BACKUP_KEEP: number }, now: Date) {
  if (env.BACKUP_KEEP <= 0) return null;
  if (isPostgres(env.DATABASE_URL) && !findPgTool('pg_dump')) {
    console.warn('[backup] pg_dump is not installed: no automatic PostgreSQL backup (apt-get install postgresql-client-15)');
    return null;
  }
  const r = await createBackup({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, outDir: env.BACKUP_DIR, now });
  await pruneBackups(env.BACKUP_DIR, env.BACKUP_KEEP);
  return r.archive;
}
