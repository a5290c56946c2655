/** What a blob store does (app/lib/storage/): the disk (default) and S3-compatible backends implement it. */
export interface BlobBackend {
  readonly kind: 'disk' | 's3';
  /** Writes the stream under `objectKey`, refusing (TooLargeError, nothing kept) past `maxBytes`. Complete or absent. */
  put(objectKey: string, data: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes: number): Promise<number>;
  /** Writes the local file `file` (left in place) under `objectKey`, complete or absent; returns its size. For restores. */
  putFile(objectKey: string, file: string): Promise<number>;
  stat(objectKey: string): Promise<{ size: number; mtime: Date } | null>;
  /** Bytes [start, end] (inclusive), read on demand; cancelling stops the read. */
  range(objectKey: string, start: number, end?: number): ReadableStream<Uint8Array>;
  delete(objectKey: string): Promise<void>;
  move(from: string, to: string): Promise<void>;
  /**
   * Every object of the store with its size, in pages of `pageSize` (S3: ListObjectsV2 with
   * continuation, at most 1000 a request); an object being written is not listed. `mtime`: the
   * file's modification time, the object's LastModified. For backups.
   */
  list(pageSize?: number): AsyncIterable<{ key: string; size: number; mtime?: Date }>;
}

export class TooLargeError extends Error {
  constructor() {
    super('too large');
  }
}
