/**
 * `npm run storage:copy`: copies the uploaded files of the local disk store (DATA_DIR/uploads/oer)
 * into the object store named by STORAGE_URL (s3://bucket?endpoint=…), under the same keys; files
 * already there with the same size are skipped, so it can be run again (before switching the
 * servers over, and once more after, while they are stopped).
 */
import { getEnv } from '../app/lib/env.server';
import { backendFor, copyDiskStore, storageRoot } from '../app/lib/storage/index.server';

const env = getEnv();
if (!env.STORAGE_URL) {
  console.error('Set STORAGE_URL=s3://bucket?endpoint=https://… (the object store to copy into).');
  process.exit(2);
}
const root = storageRoot();
console.log(`Copying ${root} → ${env.STORAGE_URL.replace(/\/\/[^@/]*@/, '//***@')}`);
const r = await copyDiskStore(root, backendFor(env.STORAGE_URL));
console.log(`${r.copied} files copied (${(r.bytes / 1024 / 1024).toFixed(1)} MiB), ${r.skipped} already there.`);
