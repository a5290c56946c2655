/**
 * `npm run backup` — one archive of the database and the uploaded files, while the site serves.
 * `npm run restore -- <archive> [--force]` — brings them back (stop the server first); refuses
 * a database that already holds data unless --force.
 * Both read DATABASE_URL / DATA_DIR / STORAGE_URL / BACKUP_DIR like the server: with
 * STORAGE_URL=s3://… the archive holds the bucket's objects, and a restore writes them into the
 * store STORAGE_URL names then (another bucket, or the disk when unset). Exit non-zero on failure.
 */
import { BackupError, createBackup, pruneBackups, restoreBackup } from '../app/lib/backup.server';
import { getEnv } from '../app/lib/env.server';

const [cmd, ...args] = process.argv.slice(2);
const env = getEnv();
try {
  if (cmd === 'backup') {
    const { archive, manifest } = await createBackup({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      outDir: env.BACKUP_DIR,
      storageUrl: env.STORAGE_URL,
    });
    const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    console.log(`backup written: ${archive}`);
    console.log(`  ${manifest.dialect}, ${Object.keys(manifest.tables).length} tables, ${rows} rows, ${manifest.files.length} local files`);
    console.log(`  file store ${manifest.store.location}: ${manifest.store.objects.length} objects`);
    if (env.BACKUP_KEEP > 0) for (const old of await pruneBackups(env.BACKUP_DIR, env.BACKUP_KEEP)) console.log(`  removed old ${old}`);
  } else if (cmd === 'restore') {
    const archive = args.find((a) => !a.startsWith('--'));
    if (!archive) throw new BackupError('usage: npm run restore -- <archive.tar.gz> [--force]');
    const manifest = await restoreBackup({
      archive,
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      storageUrl: env.STORAGE_URL,
      force: args.includes('--force'),
    });
    console.log(
      `restored ${archive} (taken ${manifest.createdAt}): ${Object.keys(manifest.tables).length} tables, ${manifest.files.length} local files, ${manifest.store.objects.length} objects into the file store; checksums and row counts match`,
    );
  } else {
    console.error('usage: db/backup-cli.ts backup | restore <archive> [--force]');
    process.exitCode = 2;
  }
} catch (e) {
  console.error(e instanceof BackupError ? `error: ${e.message}` : e);
  process.exitCode = 1;
}
