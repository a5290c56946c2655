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
 */
import { BackupError, type BackupMode, createBackup, pruneBackups, restoreBackup, type RestoreProgress } from '../app/lib/backup.server';
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

try {
  if (cmd === 'backup') {
    const full = args.includes('--full');
    const incremental = args.includes('--incremental');
    if (full && incremental) throw new BackupError('--full or --incremental, not both');
    const mode: BackupMode = full ? 'full' : incremental ? 'incremental' : 'auto';
    const { archive, manifest, downloaded, reused } = await createBackup({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      outDir: env.BACKUP_DIR,
      storageUrl: env.STORAGE_URL,
      mode,
      fullEveryDays: env.BACKUP_FULL_EVERY_DAYS,
    });
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
    if (env.BACKUP_KEEP > 0) {
      const { removed, held } = await pruneBackups(env.BACKUP_DIR, env.BACKUP_KEEP);
      for (const old of removed) console.log(`  removed old ${old}`);
      for (const old of held) console.log(`  kept old ${old}: a kept backup needs objects it holds`);
    }
  } else if (cmd === 'restore') {
    const archive = args.find((a) => !a.startsWith('--'));
    if (!archive) throw new BackupError('usage: npm run restore -- <archive.tar.gz> [--force] [--parallel=N]');
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
    });
    console.log(
      `restored ${archive} (taken ${manifest.createdAt}${manifest.kind === 'incremental' ? `, incremental: objects also from ${manifest.references?.join(', ')}` : ''}): ${Object.keys(manifest.tables).length} tables, ${manifest.files.length} local files, ${manifest.store.objects.length} objects into the file store; checksums and row counts match`,
    );
  } else {
    console.error('usage: db/backup-cli.ts backup [--full|--incremental] | restore <archive> [--force] [--parallel=N]');
    process.exitCode = 2;
  }
} catch (e) {
  console.error(e instanceof BackupError ? `error: ${e.message}` : e);
  process.exitCode = 1;
}
