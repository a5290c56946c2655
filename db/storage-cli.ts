/**
 * `npm run storage:copy`: copies the uploaded files of the local disk store (DATA_DIR/uploads/oer)
 * into the object store named by STORAGE_URL (s3://bucket?endpoint=…), under the same keys; files
 * already there with the same size are skipped, so it can be run again (before switching the
 * servers over, and once more after, while they are stopped). Then the library's EPUBs still kept
 * as local paths under DATA_DIR (titles from before the library used the store) are put into the
 * object store and their titles switched to it. Messages in Vietnamese, or English with
 * LLW_LANG/LANG=en… (app/lib/cli-i18n.server.ts).
 */
import { copyLocalEpubsToStore } from '../app/domain/library/files.server';
import { cliT } from '../app/lib/cli-i18n.server';
import { getEnv } from '../app/lib/env.server';
import { backendFor, copyDiskStore, storageRoot } from '../app/lib/storage/index.server';
import { openDatabase } from './connection';

const env = getEnv();
const t = cliT();
if (!env.STORAGE_URL) {
  console.error(t('ops.storage.noTarget'));
  process.exit(2);
}
const root = storageRoot();
console.log(t('ops.storage.copying', { from: root, to: env.STORAGE_URL.replace(/\/\/[^@/]*@/, '//***@') }));
const r = await copyDiskStore(root, backendFor(env.STORAGE_URL));
console.log(t('ops.storage.copied', { copied: r.copied, size: (r.bytes / 1024 / 1024).toFixed(1), skipped: r.skipped }));
const db = openDatabase(env.DATABASE_URL);
try {
  const lib = await copyLocalEpubsToStore(db, env.DATA_DIR);
  console.log(t('ops.storage.epubs', { copied: lib.copied }));
  if (lib.missing.length) console.log(t('ops.storage.epubsMissing', { count: lib.missing.length, titles: lib.missing.join(', ') }));
} finally {
  await db.destroy();
}
