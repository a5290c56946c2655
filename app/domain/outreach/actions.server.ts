/** The outreach kit's multi-intent forms (slogan list, news): intent → domain call → Result with the flash to show. */
import type { z } from 'zod';

import type { newsSchema } from '~/forms/outreach-news';
import type { sloganSchema } from '~/forms/outreach-slogans';
import { parseViDate } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { ok, type Result } from '~/lib/result';

import { deleteNews, type NewsError, postNews, type Publish, setNewsPublished, updateNews } from './news.server';
import { addSlogan, deleteSlogan, type SloganError, updateSlogan } from './slogans.server';

export type SloganFlash = 'outreach.flash.sloganAdded' | 'outreach.flash.sloganSaved' | 'outreach.flash.sloganDeleted';

export async function sloganAction(
  db: DB,
  userId: string,
  list: { year: number; unitId: string },
  data: z.infer<typeof sloganSchema>,
): Promise<Result<SloganFlash, SloganError>> {
  switch (data.intent) {
    case 'add': {
      const r = await addSlogan(db, userId, { ...list, text: data.text });
      return r.ok ? ok('outreach.flash.sloganAdded') : r;
    }
    case 'update': {
      const r = await updateSlogan(db, userId, data.id, data.text);
      return r.ok ? ok('outreach.flash.sloganSaved') : r;
    }
    case 'delete': {
      const r = await deleteSlogan(db, userId, data.id);
      return r.ok ? ok('outreach.flash.sloganDeleted') : r;
    }
  }
}

export type NewsFlash =
  | 'outreach.flash.newsPosted'
  | 'outreach.flash.newsDrafted'
  | 'outreach.flash.newsScheduled'
  | 'outreach.flash.newsSaved'
  | 'outreach.flash.newsPublished'
  | 'outreach.flash.newsUnpublished'
  | 'outreach.flash.newsDeleted';

export type NewsFormData = z.infer<typeof newsSchema>;

const PUBLISH_FLASH = {
  now: 'outreach.flash.newsPosted',
  draft: 'outreach.flash.newsDrafted',
  schedule: 'outreach.flash.newsScheduled',
} as const;

/** The news forms (write, edit, publish, unpublish, delete): intent → domain call → Result with the flash. */
export async function newsAction(
  db: DB,
  userId: string,
  ctx: { year: number; unitId: string },
  data: NewsFormData,
  extra: { publish: Publish | null; photo: { key: string } | null },
): Promise<Result<NewsFlash, NewsError>> {
  switch (data.intent) {
    case 'post': {
      const publish = extra.publish ?? { mode: 'now' };
      const r = await postNews(db, userId, {
        ...ctx,
        title: data.title,
        bodyMd: data.body,
        newsDate: parseViDate(data.date)!,
        photo: extra.photo ? { key: extra.photo.key, alt: data.photoAlt } : null,
        publish,
      });
      return r.ok ? ok(PUBLISH_FLASH[publish.mode]) : r;
    }
    case 'update': {
      const r = await updateNews(db, userId, data.id, {
        title: data.title,
        bodyMd: data.body,
        newsDate: parseViDate(data.date)!,
        photo: extra.photo,
        photoAlt: data.photoAlt,
        removePhoto: data.removePhoto === 'on',
        publish: extra.publish ?? { mode: 'now' },
        version: data.version,
      });
      return r.ok ? ok('outreach.flash.newsSaved') : r;
    }
    case 'publish':
    case 'unpublish': {
      const r = await setNewsPublished(db, userId, data.id, data.intent === 'publish');
      return r.ok ? ok(data.intent === 'publish' ? 'outreach.flash.newsPublished' : 'outreach.flash.newsUnpublished') : r;
    }
    case 'delete': {
      const r = await deleteNews(db, userId, data.id);
      return r.ok ? ok('outreach.flash.newsDeleted') : r;
    }
  }
}
