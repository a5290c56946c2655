/**
 * Receives an EPUB upload: streams the file part to a temporary file under
 * DATA_DIR/uploads/library/ (stopping at the size limit), checks it by content, and either
 * keeps it in the storage module (files.server.ts: shared by every instance) or deletes it.
 * Nothing is stored on rejection.
 */
import fs from 'node:fs';

import type { DB } from '~/lib/db.server';

import { type EpubError, type EpubMeta, inspectEpub } from './epub.server';
import { keepEpubFile } from './files.server';
import { indexTitle } from './search.server';
import { createTitle, freeSlug, setTitleFile, upsertHolding } from './titles.server';

export const UPLOAD_SUBDIR = 'uploads/library';

export async function checkUploadedFile(
  tmp: string,
): Promise<{ ok: true; meta: EpubMeta; size: number } | { ok: false; error: EpubError }> {
  const buf = await fs.promises.readFile(tmp);
  const r = await inspectEpub(buf);
  if (!r.ok) return r;
  return { ok: true, meta: r.meta, size: buf.length };
}

export async function discardUpload(tmp: string | null) {
  if (tmp) await fs.promises.rm(tmp, { force: true });
}

/** Keeps a checked upload as a new title held by the library; returns the title's slug. */
export async function storeUploadedTitle(
  db: DB,
  input: {
    tmp: string;
    size: number;
    meta: EpubMeta;
    libraryId: string;
    openAccess: boolean;
    copies: number;
    userId: string;
    overrides: { title?: string; author?: string };
  },
): Promise<string> {
  // The file first, then the rows: after a crash no title points at a missing file.
  const kept = await keepEpubFile(input.tmp);
  await fs.promises.rm(input.tmp, { force: true });
  const title = input.overrides.title || input.meta.title;
  const slug = await freeSlug(db, title);
  const id = await createTitle(
    db,
    {
      slug,
      title,
      author: input.overrides.author || input.meta.author || '—',
      language: input.meta.language.slice(0, 10),
      description: input.meta.description.slice(0, 5000),
      subjects: input.meta.subjects,
      audience: 'all',
      themeYear: null,
      publisher: input.meta.publisher || null,
      publishedYear: input.meta.year,
    },
    { origin: 'upload', createdBy: input.userId },
  );
  await setTitleFile(db, id, kept.filePath, kept.size);
  await upsertHolding(db, id, input.libraryId, { openAccess: input.openAccess, copies: input.openAccess ? 0 : input.copies });
  // Findable at once in /search and the OPDS search.
  await indexTitle(db, id);
  return slug;
}
