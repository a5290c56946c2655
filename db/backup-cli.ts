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
 * Messages in Vietnamese, or in English when LLW_LANG (else LC_ALL, LC_MESSAGES, LANG) starts with
 * `en` (app/locales/<lang>/ops.json). Exit status: 0 done, 1 failed, 2 usage, 75 folder locked.
 */
import { BackupError, type BackupMode, createBackup, restoreBackup, type RestoreProgress } from '../app/lib/backup.server';
import { BackupLockedError, describeStale, type LockOptions, purposeText, releaseLocksOnSignals } from '../app/lib/backup-lock.server';
import { cliT } from '../app/lib/cli-i18n.server';
import { getEnv } from '../app/lib/env.server';

const [cmd, ...args] = process.argv.slice(2);
const env = getEnv();
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

const t = cliT();

/** Progress on stderr: each archive checked, then the objects every 10 % (and the last one). */
function reporter() {
  let shown = -1;
  return (p: RestoreProgress) => {
    if (p.stage === 'check') console.error(t('ops.backup.cli.checking', { archive: p.archive }));
    else {
      const step = p.total ? Math.floor((p.done * 10) / p.total) : 10;
      if (step === shown && p.done !== p.total) return;
      shown = step;
      console.error(t('ops.backup.cli.objects', { done: p.done, total: p.total, bytes: mb(p.bytes), totalBytes: mb(p.totalBytes) }));
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
    if (!Number.isFinite(s) || s < 0) throw new BackupError('waitSeconds');
    wait = s * 1000;
  }
  return {
    wait,
    maxAgeMs: env.BACKUP_LOCK_MAX_AGE_MINUTES * 60_000,
    onWait: (h) =>
      console.error(
        h
          ? t('ops.backup.cli.waiting', { purpose: purposeText(t, h.purpose), pid: h.pid, host: h.host, startedAt: h.startedAt })
          : t('ops.backup.cli.waitingUnknown'),
      ),
    onTakeover: ({ stale, cause }) => {
      const why = describeStale(t, cause);
      console.error(
        stale
          ? t('ops.backup.cli.tookOver', {
              purpose: purposeText(t, stale.purpose),
              pid: stale.pid,
              host: stale.host,
              startedAt: stale.startedAt,
              why,
            })
          : t('ops.backup.cli.tookOverUnknown', { why }),
      );
    },
  };
}

try {
  if (cmd === 'backup') {
    const full = args.includes('--full');
    const incremental = args.includes('--incremental');
    if (full && incremental) throw new BackupError('fullOrIncremental');
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
    if (leftovers?.length) console.error(t('ops.backup.cli.leftovers', { list: leftovers.join(', ') }));
    const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    console.log(t('ops.backup.cli.written', { archive }));
    console.log(
      manifest.kind === 'incremental'
        ? t('ops.backup.cli.incremental', { base: manifest.base, fullAt: manifest.fullAt })
        : mode === 'incremental'
          ? t('ops.backup.cli.fullNoBase')
          : t('ops.backup.cli.full'),
    );
    console.log(
      t('ops.backup.cli.summary', {
        dialect: manifest.dialect,
        tables: Object.keys(manifest.tables).length,
        rows,
        files: manifest.files.length,
      }),
    );
    console.log(
      t('ops.backup.cli.store', {
        location: manifest.store.location,
        objects: manifest.store.objects.length,
        downloaded,
        reused,
        references: manifest.references?.join(', ') || t('ops.backup.cli.none'),
      }),
    );
    for (const old of pruned?.removed ?? []) console.log(t('ops.backup.cli.removedOld', { archive: old }));
    for (const old of pruned?.held ?? []) console.log(t('ops.backup.cli.keptOld', { archive: old }));
  } else if (cmd === 'restore') {
    const archive = args.find((a) => !a.startsWith('--'));
    if (!archive) {
      console.error(t('ops.backup.cli.restoreUsage'));
      process.exit(1); // (as before: a restore without its archive is a failed restore)
    }
    const par = args.find((a) => a.startsWith('--parallel='));
    const concurrency = par ? Number(par.slice('--parallel='.length)) : env.RESTORE_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new BackupError('parallel');
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
    const values = {
      archive,
      createdAt: manifest.createdAt,
      references: manifest.references?.join(', '),
      tables: Object.keys(manifest.tables).length,
      files: manifest.files.length,
      objects: manifest.store.objects.length,
    };
    console.log(manifest.kind === 'incremental' ? t('ops.backup.cli.restoredIncremental', values) : t('ops.backup.cli.restored', values));
  } else {
    console.error(t('ops.backup.cli.usage'));
    process.exitCode = 2;
  }
} catch (e) {
  console.error(e instanceof BackupError || e instanceof BackupLockedError ? t('ops.backup.cli.error', { message: e.describe(t) }) : e);
  process.exitCode = e instanceof BackupLockedError ? EXIT_LOCKED : 1;
}
