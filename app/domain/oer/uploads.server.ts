/**
 * Uploads of the oer area: streamed into storage with a size cap, then accepted only when their
 * content (not their name or declared type) is of an allowed kind. A rejected file is deleted.
 */

import { fileTypeFromBuffer } from 'file-type';

import type { ResourceKind } from '~/db/schema/oer';
import { err, ok, type Result } from '~/lib/result';
import { deleteBlob, newKey, putStream, readHead, renameBlob, TooLargeError } from '~/lib/storage/index.server';

export type UploadSlot = 'media' | 'captions' | 'thumbnail';

const MB = 1024 * 1024;

/** Allowed content (by sniffed MIME type) per resource kind for the main file. */
export const MEDIA_TYPES: Record<ResourceKind, string[]> = {
  video: ['video/mp4', 'video/webm'],
  audio: ['audio/mpeg', 'audio/mp4', 'audio/ogg', 'audio/opus', 'audio/wav', 'audio/x-m4a', 'audio/webm'],
  document: ['application/pdf', 'application/epub+zip'],
  periodical: ['application/pdf', 'application/epub+zip'],
  slides: [
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/vnd.oasis.opendocument.presentation',
  ],
  interactive: ['application/zip'],
  simulation: [
    'application/zip',
    'application/x-msdownload',
    'application/vnd.microsoft.portable-executable',
    'application/java-archive',
    'application/x-apple-diskimage',
  ],
  article: [],
};

export const MAX_BYTES: Record<UploadSlot, number> = { media: 500 * MB, captions: 1 * MB, thumbnail: 5 * MB };

const EXT: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/wav': 'wav',
  'audio/webm': 'weba',
  'application/pdf': 'pdf',
  'application/epub+zip': 'epub',
  'application/zip': 'zip',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'text/vtt': 'vtt',
};

export type UploadError = 'file_type' | 'file_too_big';
export type StoredUpload = Result<{ key: string; mime: string; size: number; name: string }, UploadError>;

/** Streams one uploaded part to storage and checks its content; nothing is kept on rejection. */
export async function storeUpload(
  data: AsyncIterable<Uint8Array>,
  opts: {
    slot: UploadSlot;
    kind: ResourceKind;
    filename?: string;
    maxBytes?: number;
    /** Other areas' uploads: the content types accepted instead of the slot's and kind's (e.g. report attachments). */
    allowed?: readonly string[];
  },
): Promise<StoredUpload> {
  const key = newKey('');
  let size: number;
  try {
    size = await putStream(key, data, opts.maxBytes ?? MAX_BYTES[opts.slot]);
  } catch (e) {
    if (e instanceof TooLargeError) return err('file_too_big');
    throw e;
  }
  let mime: string | null = null;
  if (opts.slot === 'captions') {
    const head = (await readHead(key, 16)).toString('utf8');
    if (/^(\uFEFF)?WEBVTT(\s|$)/.test(head)) mime = 'text/vtt';
  } else {
    // The first MiB is enough for every type allowed here (zip-based formats list their parts early).
    const ft = await fileTypeFromBuffer(await readHead(key, 1024 * 1024));
    const allowed = opts.allowed ?? (opts.slot === 'thumbnail' ? ['image/png', 'image/jpeg', 'image/webp'] : MEDIA_TYPES[opts.kind]);
    if (ft && allowed.includes(ft.mime)) mime = ft.mime;
    else if (ft && opts.kind === 'slides' && ft.mime === 'application/zip' && /\.(pptx|odp)$/i.test(opts.filename ?? '')) mime = ft.mime;
  }
  if (!mime || size === 0) {
    await deleteBlob(key);
    return err('file_type');
  }
  // Rename to carry the extension (browsers and downloads like it).
  const finalKey = `${key}.${EXT[mime] ?? 'bin'}`;
  await renameBlob(key, finalKey);
  return ok({ key: finalKey, mime, size, name: (opts.filename ?? '').slice(0, 200) });
}
