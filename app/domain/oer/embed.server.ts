/**
 * What another area (a course lesson, a Week page) needs to show a published resource in place.
 * Serialisable: return it from a loader and render it with <ResourceEmbed embed={…} />.
 */
import type { Licence, ResourceKind } from '~/db/schema/oer';
import type { DB } from '~/lib/db.server';
import { getEnv } from '~/lib/env.server';
import { renderMarkdown } from '~/lib/markdown.server';

import { type Chapter, getResource, parseChapters, type Resource } from './resources.server';

export interface ResourceEmbedData {
  id: string;
  kind: ResourceKind;
  title: string;
  summary: string;
  url: string;
  licence: Licence;
  attribution: string;
  thumbnailUrl: string | null;
  /** video/audio: the uploaded file (served with range requests) and/or an HLS URL. */
  media: { src: string; type: string } | null;
  hlsUrl: string | null;
  captionsUrl: string | null;
  chapters: Chapter[];
  durationSeconds: number | null;
  /** documents, slides, periodicals, packages: where to open/download it. */
  fileUrl: string | null;
  fileName: string | null;
  externalUrl: string | null;
  /** articles: sanitised HTML. */
  articleHtml: string | null;
  /** mux-embed monitoring, only when MUX_DATA_ENV_KEY is set. */
  mux: { envKey: string; theme: string | null } | null;
}

export function fileUrl(id: string, slot: 'media' | 'captions' | 'thumbnail') {
  return `/resources/${id}/file/${slot}`;
}

export function attributionLine(r: Pick<Resource, 'title' | 'authors' | 'rights_holder' | 'licence'>): string {
  const who = r.rights_holder || r.authors.split(/\r?\n/).filter(Boolean).join(', ');
  const lic: Record<Licence, string> = {
    'cc-by': 'CC BY 4.0',
    'cc-by-sa': 'CC BY-SA 4.0',
    'cc-by-nc': 'CC BY-NC 4.0',
    cc0: 'CC0 1.0',
    'public-domain': 'Public Domain',
  };
  return `“${r.title}” — ${who} — ${lic[r.licence]}`;
}

export async function themeForResource(db: DB, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('resource_years as y')
    .innerJoin('weeks as w', 'w.year', 'y.year')
    .select('w.theme_vi')
    .where('y.resource_id', '=', id)
    .orderBy('y.year', 'desc')
    .executeTakeFirst();
  return row?.theme_vi ?? null;
}

export function toEmbed(r: Resource, theme: string | null): ResourceEmbedData {
  const playable = r.kind === 'video' || r.kind === 'audio';
  const envKey = getEnv().MUX_DATA_ENV_KEY;
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    url: `/resources/${r.id}`,
    licence: r.licence,
    attribution: attributionLine(r),
    thumbnailUrl: r.thumbnail_key ? fileUrl(r.id, 'thumbnail') : null,
    media: playable && r.media_key ? { src: fileUrl(r.id, 'media'), type: r.media_type ?? '' } : null,
    hlsUrl: r.kind === 'video' ? r.hls_url : null,
    captionsUrl: r.captions_key ? fileUrl(r.id, 'captions') : null,
    chapters: parseChapters(r.chapters),
    durationSeconds: r.duration_seconds,
    fileUrl: !playable && r.media_key ? fileUrl(r.id, 'media') : null,
    fileName: r.media_name,
    externalUrl: r.external_url,
    articleHtml: r.kind === 'article' || r.body_md.trim() ? renderMarkdown(r.body_md) : null,
    mux: playable && envKey ? { envKey, theme } : null,
  };
}

/** A published resource ready to embed, or null (missing or not published). */
export async function getResourceEmbed(db: DB, id: string): Promise<ResourceEmbedData | null> {
  const r = await getResource(db, id);
  if (!r || r.status !== 'published') return null;
  return toEmbed(r, await themeForResource(db, id));
}
