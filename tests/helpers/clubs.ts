/** Reading clubs for tests whose subject is a club's pages (the shared renders): a club and a book in parts. */
import type { DB } from '~/db/connection';
import { type ClubInput, createClub } from '~/domain/clubs/clubs.server';
import { addMilestone, setCurrentBook } from '~/domain/clubs/schedule.server';
import { createUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';

/** A ministry › province (Tỉnh Biên Giang) › ward (Phường Biên Giang) tree, for a club of the ward. */
export async function wardTree(db: DB) {
  const ministry = await createUnit(db, { parentId: null, kind: 'ministry', slug: `m-${newId(6)}`, name: 'Bộ Giáo dục' });
  const province = await createUnit(db, { parentId: ministry.id, kind: 'province', slug: `p-${newId(6)}`, name: 'Tỉnh Biên Giang' });
  const ward = await createUnit(db, { parentId: province.id, kind: 'ward', slug: `w-${newId(6)}`, name: 'Phường Biên Giang' });
  return { ministry, province, ward };
}

/** A public, intergenerational club for everyone of `unitId` ("CLB Đọc Cùng Nhau") created by `creatorId`, or as `over` says. */
export async function readingClub(
  db: DB,
  creatorId: string,
  unitId: string,
  over: Partial<ClubInput> = {},
): Promise<{ id: string; slug: string }> {
  const made = await createClub(db, creatorId, {
    unitId,
    name: 'CLB Đọc Cùng Nhau',
    descriptionMd: 'Mỗi tuần một truyện.',
    language: 'vi',
    audience: 'all',
    visibility: 'public',
    intergenerational: true,
    ...over,
  });
  if (!made.ok) throw new Error(`club: ${made.code}`);
  return made.value;
}

/**
 * The library title `titleId` made the club's current book by a moderator, in three parts by the
 * reader's chapters (Chương 1–2 from "Chương 1", 3–4 from "Chương 3", 5–6 from "Chương 5"), due at the
 * end of 2099, each with its thread.
 */
export async function threePartBook(
  db: DB,
  moderatorId: string,
  clubId: string,
  titleId: string,
): Promise<Array<{ id: string; threadId: string }>> {
  const book = await setCurrentBook(db, moderatorId, clubId, { titleId });
  if (!book.ok) throw new Error(`book: ${book.code}`);
  const parts: Array<{ id: string; threadId: string }> = [];
  for (const [label, chapter] of [
    ['Chương 1–2', 'Chương 1'],
    ['Chương 3–4', 'Chương 3'],
    ['Chương 5–6', 'Chương 5'],
  ] as const) {
    const p = await addMilestone(db, moderatorId, clubId, { label, startChapter: chapter, targetOn: '2099-12-31' });
    if (!p.ok || !p.value.threadId) throw new Error('milestone');
    parts.push({ id: p.value.id, threadId: p.value.threadId });
  }
  return parts;
}
