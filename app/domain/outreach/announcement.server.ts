/**
 * The loudspeaker announcement (văn bản phát thanh) of a unit's Week: a text generated from the
 * plan — theme, dates, the opening ceremony's time and place, the main activities — that the
 * unit's organisers edit and keep. Saving names the version it edited, so two organisers editing
 * at once cannot silently overwrite each other.
 */
import { isUniqueViolation } from '~/db/dialect';
import type { PlanActivitiesTable, UnitsTable, WeeksTable } from '~/db/schema';
import { formatDate } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { canManageOutreach } from './access.server';

export const ANNOUNCEMENT_MAX = 10_000;

export type AnnouncementError = 'not_found' | 'forbidden' | 'conflict';

type Activity = Pick<PlanActivitiesTable, 'title' | 'kind' | 'starts_at' | 'ends_at' | 'place'>;

const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' });

/** "7 giờ 30" / "7:30 a.m." — a time as it is read aloud. */
function spokenTime(iso: string, locale: 'vi' | 'en'): string {
  const [h = '0', m = '00'] = TIME.format(new Date(iso)).split(':');
  if (locale === 'en') return `${h}:${m}`;
  return m === '00' ? `${Number(h)} giờ` : `${Number(h)} giờ ${m}`;
}

/** The opening ceremony of the plan: a ceremony named as an opening, else the first ceremony. */
export function openingOf(activities: Activity[]): Activity | null {
  const ceremonies = activities.filter((a) => a.kind === 'ceremony');
  return ceremonies.find((a) => /khai mạc|opening/i.test(a.title)) ?? ceremonies[0] ?? null;
}

/** The announcement text generated from a plan (the starting point the organisers edit). */
export function generateAnnouncement(
  week: Pick<
    WeeksTable,
    'year' | 'theme_vi' | 'theme_en' | 'starts_on' | 'ends_on' | 'opening_at' | 'opening_place_vi' | 'opening_place_en'
  >,
  unit: Pick<UnitsTable, 'name' | 'name_en'>,
  activities: Activity[],
  locale: 'vi' | 'en' = 'vi',
): string {
  const en = locale === 'en';
  const unitName = en ? (unit.name_en ?? unit.name) : unit.name;
  const opening = openingOf(activities);
  const openingAt = opening?.starts_at ?? week.opening_at;
  const openingPlace = opening?.place ?? (en ? week.opening_place_en : week.opening_place_vi);
  const main = activities.filter((a) => a !== opening).slice(0, 6);
  if (en) {
    return [
      `Dear residents of ${unitName},`,
      `${unitName} holds the ${week.year} Lifelong Learning Week, themed “${week.theme_en}”, from ${formatDate(week.starts_on)} to ${formatDate(week.ends_on)}.`,
      `The opening ceremony takes place at ${spokenTime(openingAt, 'en')} on ${formatDate(openingAt)} at ${openingPlace}.`,
      ...(main.length
        ? [
            'The main activities of the Week:',
            ...main.map((a) => `- ${a.title}: ${formatDate(a.starts_at)}, ${spokenTime(a.starts_at, 'en')}, at ${a.place}.`),
          ]
        : []),
      'Everyone is warmly invited to take part, read, learn and share knowledge throughout the Week. Thank you for listening.',
    ].join('\n\n');
  }
  return [
    `Kính thưa toàn thể nhân dân ${unitName}!`,
    `Thực hiện kế hoạch tổ chức Tuần lễ hưởng ứng học tập suốt đời năm ${week.year}, ${unitName} tổ chức Tuần lễ với chủ đề “${week.theme_vi}”, từ ngày ${formatDate(week.starts_on)} đến ngày ${formatDate(week.ends_on)}.`,
    `Lễ khai mạc được tổ chức vào lúc ${spokenTime(openingAt, 'vi')} ngày ${formatDate(openingAt)}, tại ${openingPlace}.`,
    ...(main.length
      ? [
          'Trong Tuần lễ có các hoạt động chính:',
          ...main.map((a) => `- ${a.title}: ${spokenTime(a.starts_at, 'vi')} ngày ${formatDate(a.starts_at)}, tại ${a.place}.`),
        ]
      : []),
    'Ban tổ chức trân trọng kính mời toàn thể cán bộ, giáo viên, học sinh và nhân dân tích cực tham gia, hưởng ứng Tuần lễ, cùng đọc sách, học tập và chia sẻ tri thức. Xin trân trọng cảm ơn!',
  ].join('\n\n');
}

export interface Announcement {
  text: string;
  /** 0 when nothing is saved yet (the text is the generated one). */
  version: number;
  updatedAt: string | null;
}

export async function savedAnnouncement(db: DB, year: number, unitId: string): Promise<Announcement | null> {
  const r = await db
    .selectFrom('outreach_announcements')
    .select(['text', 'version', 'updated_at'])
    .where('week_year', '=', year)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  return r ? { text: r.text, version: r.version, updatedAt: r.updated_at } : null;
}

/**
 * An organiser saves the text. `version` is the one they edited (0 for the generated text): when
 * someone saved since, nothing is written and `conflict` is returned (the page then shows both).
 */
export async function saveAnnouncement(
  db: DB,
  userId: string,
  input: { year: number; unitId: string; text: string; version: number },
): Promise<Result<number, AnnouncementError>> {
  if (!(await canManageOutreach(db, userId, input.unitId))) return err('forbidden');
  const week = await db.selectFrom('weeks').select('year').where('year', '=', input.year).executeTakeFirst();
  if (!week) return err('not_found');
  const now = nowIso();
  if (input.version === 0) {
    try {
      await db
        .insertInto('outreach_announcements')
        .values({ week_year: input.year, unit_id: input.unitId, text: input.text, version: 1, updated_by: userId, updated_at: now })
        .execute();
      return ok(1);
    } catch (e) {
      if (isUniqueViolation(e)) return err('conflict');
      throw e;
    }
  }
  const r = await db
    .updateTable('outreach_announcements')
    .set({ text: input.text, version: input.version + 1, updated_by: userId, updated_at: now })
    .where('week_year', '=', input.year)
    .where('unit_id', '=', input.unitId)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return err('conflict');
  return ok(input.version + 1);
}
