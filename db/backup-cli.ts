/**
 * `npm run backup [-- --full | --incremental]` — one archive of the database and the uploaded
 * files, while the site serves. Without a flag: incremental (only the file store's objects that no
 * earlier archive in BACKUP_DIR holds are downloaded), full when the last full backup is
 * BACKUP_FULL_EVERY_DAYS old or there is none.
 * `npm run restore -- <archive> [--force] [--parallel=N]` — brings them back (stop the server
 * first); an incremental backup needs the earlier archives it names, beside it. Refuses a database
 * that already holds data unless --force; writes RESTORE_CONCURRENCY (or N) objects at a time.
 * Both read DATABASE_URL / DATA_DIR / STORAGE_URL / BACKUP_DIR like the server: with
 * STORAGE_URL=s3://… the archive holds the bucket's objects, and a restore writes them into the
 * store STORAGE_URL names then (another bucket, or the disk when unset). Exit non-zero on failure.
 * One at a time per folder: a backup (or the daily job, or a restore reading that folder) holding
 * BACKUP_DIR's lock makes another fail at once with exit status 75 and who holds it — or wait for
 * it with `--wait` (`--wait=SECONDS`: at most so long). A lock left by a crashed run is taken over.
 */
import { BackupError, type BackupMode, createBackup, restoreBackup, type RestoreProgress } from '../app/lib/backup.server';
import { BackupLockedError, type LockOptions, releaseLocksOnSignals } from '../app/lib/backup-lock.server';
import { getEnv } from '../app/lib/env.server';

const [cmd, ...args] = process.argv.slice(2);
const env = getEnv();
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

/** Progress on stderr: each archive checked, then the objects every 10 % (and the last one). */
function reporter() {
  let shown = -1;
  return (p: RestoreProgress) => {
    if (p.stage === 'check') console.error(`checking ${p.archive}…`);
    else {
      const step = p.total ? Math.floor((p.done * 10) / p.total) : 10;
      if (step === shown && p.done !== p.total) return;
      shown = step;
      console.error(`objects ${p.done}/${p.total} (${mb(p.bytes)} of ${mb(p.totalBytes)})`);
    }
  };
}

/** Exit status when another backup, restore or clean-up holds the folder (EX_TEMPFAIL: try again later). */
const EXIT_LOCKED = 75;
releaseLocksOnSignals(); // Ctrl-C or a kill during a backup: the folder's lock goes with the process

/** `--wait` (as long as it takes) or `--wait=SECONDS`: wait for the folder's lock instead of failing. */
function lockOptions(): Omit<LockOptions, 'purpose'> {
  const w = args.find((a) => a === '--wait' || a.startsWith('--wait='));
  let wait: boolean | number = false;
  if (w === '--wait') wait = true;
  else if (w) {
    const s = Number(w.slice('--wait='.length));
    if (!Number.isFinite(s) || s < 0) throw new BackupError('--wait=SECONDS takes a number of seconds');
    wait = s * 1000;
  }
  return {
    wait,
    maxAgeMs: env.BACKUP_LOCK_MAX_AGE_MINUTES * 60_000,
    onWait: (h) =>
      console.error(
        `waiting: ${h ? `a ${h.purpose} (pid ${h.pid} on ${h.host}, started ${h.startedAt})` : 'another backup'} holds the folder's lock…`,
      ),
    onTakeover: (stale, why) =>
      console.error(
        `note: took over a stale lock${stale ? ` of a ${stale.purpose} (pid ${stale.pid} on ${stale.host}, started ${stale.startedAt})` : ''}: ${why}`,
      ),
  };
}

try {
  if (cmd === 'backup') {
    const full = args.includes('--full');
    const incremental = args.includes('--incremental');
    if (full && incremental) throw new BackupError('--full or --incremental, not both');
    const mode: BackupMode = full ? 'full' : incremental ? 'incremental' : 'auto';
    const { archive, manifest, downloaded, reused, leftovers, pruned } = await createBackup({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      outDir: env.BACKUP_DIR,
      storageUrl: env.STORAGE_URL,
      mode,
      fullEveryDays: env.BACKUP_FULL_EVERY_DAYS,
      keep: env.BACKUP_KEEP,
      lock: lockOptions(),
    });
    if (leftovers?.length) console.error(`note: removed what an interrupted backup left: ${leftovers.join(', ')}`);
    const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    console.log(`backup written: ${archive}`);
    console.log(
      manifest.kind === 'incremental'
        ? `  incremental, against ${manifest.base} (full backup of ${manifest.fullAt})`
        : `  full${mode === 'incremental' ? ' (no earlier backup of this file store in BACKUP_DIR to build on)' : ''}`,
    );
    console.log(`  ${manifest.dialect}, ${Object.keys(manifest.tables).length} tables, ${rows} rows, ${manifest.files.length} local files`);
    console.log(
      `  file store ${manifest.store.location}: ${manifest.store.objects.length} objects, ${downloaded} downloaded, ${reused} held by earlier archives (${manifest.references?.join(', ') || 'none'})`,
    );
    for (const old of pruned?.removed ?? []) console.log(`  removed old ${old}`);
    for (const old of pruned?.held ?? []) console.log(`  kept old ${old}: a kept backup needs objects it holds`);
  } else if (cmd === 'restore') {
    const archive = args.find((a) => !a.startsWith('--'));
    if (!archive) throw new BackupError('usage: npm run restore -- <archive.tar.gz> [--force] [--parallel=N] [--wait[=SECONDS]]');
    const par = args.find((a) => a.startsWith('--parallel='));
    const concurrency = par ? Number(par.slice('--parallel='.length)) : env.RESTORE_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
      throw new BackupError('--parallel must be a whole number from 1 to 64');
    const manifest = await restoreBackup({
      archive,
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      storageUrl: env.STORAGE_URL,
      force: args.includes('--force'),
      concurrency,
      onProgress: reporter(),
      lock: lockOptions(),
    });
    console.log(
      `restored ${archive} (taken ${manifest.createdAt}${manifest.kind === 'incremental' ? `, incremental: objects also from ${manifest.references?.join(', ')}` : ''}): ${Object.keys(manifest.tables).length} tables, ${manifest.files.length} local files, ${manifest.store.objects.length} objects into the file store; checksums and row counts match`,
    );
  } else {
    console.error(
      'usage: db/backup-cli.ts backup [--full|--incremental] [--wait[=SECONDS]] | restore <archive> [--force] [--parallel=N] [--wait[=SECONDS]]',
    );
    process.exitCode = 2;
  }
} catch (e) {
  console.error(e instanceof BackupError || e instanceof BackupLockedError ? `error: ${e.message}` : e);
  process.exitCode = e instanceof BackupLockedError ? EXIT_LOCKED : 1;
}
