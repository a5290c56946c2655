/**
 * `npm run storage:copy`: copies the uploaded files of the local disk store (DATA_DIR/uploads/oer)
 * into the object store named by STORAGE_URL (s3://bucket?endpoint=…), under the same keys; files
 * already there with the same size are skipped, so it can be run again (before switching the
 * servers over, and once more after, while they are stopped). Then the library's EPUBs still kept
 * as local paths under DATA_DIR (titles from before the library used the store) are put into the
 * object store and their titles switched to it.
 */
import { copyLocalEpubsToStore } from '../app/domain/library/files.server';
import { getEnv } from '../app/lib/env.server';
import { backendFor, copyDiskStore, storageRoot } from '../app/lib/storage/index.server';
import { openDatabase } from './connection';

const env = getEnv();
if (!env.STORAGE_URL) {
  console.error('Set STORAGE_URL=s3://bucket?endpoint=https://… (the object store to copy into).');
  process.exit(2);
}
const root = storageRoot();
console.log(`Copying ${root} → ${env.STORAGE_URL.replace(/\/\/[^@/]*@/, '//***@')}`);
const r = await copyDiskStore(root, backendFor(env.STORAGE_URL));
console.log(`${r.copied} files copied (${(r.bytes / 1024 / 1024).toFixed(1)} MiB), ${r.skipped} already there.`);
const db = openDatabase(env.DATABASE_URL);
try {
  const lib = await copyLocalEpubsToStore(db, env.DATA_DIR);
  console.log(`Library: ${lib.copied} EPUB files put into the store.`);
  if (lib.missing.length)
    console.log(`Library: ${lib.missing.length} titles name a local file that is not on this machine: ${lib.missing.join(', ')}`);
} finally {
  await db.destroy();
}
