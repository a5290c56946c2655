import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { borrow } from '~/domain/library/circulation.server';
import { readerPage } from '~/domain/library/reader.server';
import {
  addAnnotation,
  getPosition,
  getReaderSettings,
  listAnnotations,
  savePosition,
  saveReaderSettings,
} from '~/domain/library/reading.server';

import { dialects } from '../helpers/db';
import { eachFreshWorld } from '../helpers/world';
import { type LibraryWorld, libraryWorld } from './library-fixtures';

describe.each(dialects)('reader sync across devices (%s)', (dialect) => {
  let db: DB;
  let w: LibraryWorld;
  eachFreshWorld(dialect, libraryWorld, (fresh) => ({ db, w } = fresh));

  it('keeps the newer reading position when a device that was offline sends an older one', async () => {
    const reader = await w.user();
    const { titleId } = await w.title('Tấm Cám');
    expect(await savePosition(db, reader, titleId, 'epubcfi(/6/4!/4/2/1:0)', 'Chương 1', '2026-11-30T08:00:00.000Z')).toBe(true);
    // The phone online moved on at 08:10 …
    expect(await savePosition(db, reader, titleId, 'epubcfi(/6/8!/4/2/1:0)', 'Chương 3', '2026-11-30T08:10:00.000Z')).toBe(true);
    // … the tablet read offline at 08:05 and syncs later: its older position does not win.
    expect(await savePosition(db, reader, titleId, 'epubcfi(/6/6!/4/2/1:0)', 'Chương 2', '2026-11-30T08:05:00.000Z')).toBe(false);
    expect((await getPosition(db, reader, titleId))?.label).toBe('Chương 3');
    // A clock running ahead cannot block every later save: times are capped at now.
    await savePosition(db, reader, titleId, 'epubcfi(/6/10!/4/2/1:0)', 'Chương 4', '2999-01-01T00:00:00.000Z');
    const stored = await getPosition(db, reader, titleId);
    expect(stored?.label).toBe('Chương 4');
    expect(stored!.updated_at < '2999-01-01').toBe(true);
  });

  it('adds an annotation resent after reconnecting only once', async () => {
    const reader = await w.user();
    const { titleId } = await w.title('Truyện Kiều');
    const a = { kind: 'bookmark' as const, cfi: 'epubcfi(/6/4!/4/2/1:0)', excerpt: 'Chương 1', note: null, clientRef: 'abcdef0123456789' };
    const id1 = await addAnnotation(db, reader, titleId, a);
    const id2 = await addAnnotation(db, reader, titleId, a);
    expect(id2).toBe(id1);
    await addAnnotation(db, reader, titleId, { ...a, clientRef: null });
    await addAnnotation(db, reader, titleId, { ...a, clientRef: null });
    expect(await listAnnotations(db, reader, titleId)).toHaveLength(3);
    // Another reader may use the same reference: it is theirs alone.
    const other = await w.user();
    expect(await addAnnotation(db, other, titleId, a)).not.toBe(id1);
  });

  it('remembers the display settings per user, newer wins', async () => {
    const reader = await w.user();
    expect((await getReaderSettings(db, reader)).fontSize).toBe(110);
    await saveReaderSettings(db, reader, { fontSize: 150, theme: 'sepia', lineHeight: 180 }, '2026-11-30T08:10:00.000Z');
    const older = await saveReaderSettings(db, reader, { fontSize: 90, theme: 'dark', lineHeight: 130 }, '2026-11-30T08:00:00.000Z');
    expect(older).toMatchObject({ fontSize: 150, theme: 'sepia', lineHeight: 180 });
    expect(await getReaderSettings(db, await w.user())).toMatchObject({ fontSize: 110, theme: 'light' });
  });

  it('offers "borrow to read" without a loan and the loan end with one', async () => {
    const reader = await w.user();
    const { holdingId } = await w.title('Sách cho mượn');
    const slug = (await db.selectFrom('lib_titles').select('slug').where('title', '=', 'Sách cho mượn').executeTakeFirstOrThrow()).slug;
    await db.updateTable('lib_titles').set({ file_path: 'library/x.epub' }).where('slug', '=', slug).execute();
    const before = await readerPage(db, slug, reader);
    expect(before.kind).toBe('borrow');
    if (before.kind === 'borrow') expect(before.availability[0]!.available).toBeGreaterThan(0);
    expect((await readerPage(db, slug, null)).kind).toBe('borrow');
    const loan = await borrow(db, reader, holdingId);
    if (!loan.ok) throw new Error(loan.code);
    const after = await readerPage(db, slug, reader);
    expect(after.kind).toBe('read');
    if (after.kind === 'read') expect(after.dueAt).toBe(loan.value.dueAt);
    expect((await readerPage(db, 'khong-co', reader)).kind).toBe('missing');
  });
});
