import { getResourceEmbed, type ResourceEmbedData } from '~/domain/oer/embed.server';
import type { DB } from '~/lib/db.server';
import { renderMarkdown } from '~/lib/markdown.server';

/**
 * A lesson's content with its embedded resources. Authors write `{{resource:<id>}}` on a line of
 * its own; each becomes the repository's real embed (a video/audio player with captions and
 * chapters, a document link, an article's HTML). A resource that is missing or no longer
 * published is shown as a short notice, never an error.
 */
export type LessonPart = { kind: 'html'; html: string } | { kind: 'embed'; embed: ResourceEmbedData } | { kind: 'missing'; id: string };

const TOKEN_LINE = /^[ \t]*\{\{resource:([a-z0-9]{4,40})\}\}[ \t]*$/gm;

/** The resource ids a lesson body embeds, in order, each once. */
export function embeddedResourceIds(md: string): string[] {
  return [...new Set([...md.matchAll(TOKEN_LINE)].map((m) => m[1]!))];
}

export async function lessonContent(db: DB, md: string): Promise<LessonPart[]> {
  const parts: LessonPart[] = [];
  let last = 0;
  const pushMd = (chunk: string) => {
    if (chunk.trim()) parts.push({ kind: 'html', html: renderMarkdown(chunk) });
  };
  const embeds = new Map<string, ResourceEmbedData | null>();
  for (const id of embeddedResourceIds(md)) embeds.set(id, await getResourceEmbed(db, id));
  for (const m of md.matchAll(TOKEN_LINE)) {
    pushMd(md.slice(last, m.index));
    const e = embeds.get(m[1]!);
    parts.push(e ? { kind: 'embed', embed: e } : { kind: 'missing', id: m[1]! });
    last = m.index! + m[0].length;
  }
  pushMd(md.slice(last));
  return parts;
}

/** Embedded resources that play (video/audio) and so can satisfy the "video watched" rule. */
export async function embeddedPlayableIds(db: DB, md: string): Promise<string[]> {
  const out: string[] = [];
  for (const id of embeddedResourceIds(md)) {
    const e = await getResourceEmbed(db, id);
    if (e && (e.kind === 'video' || e.kind === 'audio') && (e.media || e.hlsUrl)) out.push(id);
  }
  return out;
}
