import { Link } from '@remix-run/react';

import { SafeHtml } from '~/components/Markdown';
import type { ResourceEmbedData } from '~/domain/oer/embed.server';
import { useT } from '~/i18n/i18n';

import { LicenceBadge } from './LicenceBadge';
import { VideoPlayer } from './VideoPlayer';

/**
 * A published resource shown inside another page (a course lesson, a Week page). Pass the data
 * from `getResourceEmbed(db, id)`; `progressUrl` enables resume/completion for signed-in users.
 */
export function ResourceEmbed({
  embed,
  progressUrl = null,
  startAt,
  viewerId,
  headingLevel = 3,
}: {
  embed: ResourceEmbedData;
  progressUrl?: string | null;
  startAt?: number;
  viewerId?: string | null;
  headingLevel?: 2 | 3 | 4;
}) {
  const { t } = useT();
  const H = `h${headingLevel}` as 'h3';
  const playable = embed.kind === 'video' || embed.kind === 'audio';
  return (
    <section className="oer-embed card" aria-label={embed.title}>
      <H>
        <Link to={embed.url}>{embed.title}</Link>
      </H>
      {playable && (embed.media || embed.hlsUrl) ? (
        <VideoPlayer
          id={embed.id}
          title={embed.title}
          kind={embed.kind as 'video' | 'audio'}
          src={embed.media}
          hlsUrl={embed.hlsUrl}
          captionsUrl={embed.captionsUrl}
          chapters={embed.chapters}
          poster={embed.thumbnailUrl}
          progressUrl={progressUrl}
          startAt={startAt}
          mux={embed.mux}
          viewerId={viewerId}
        />
      ) : null}
      {embed.kind === 'article' && embed.articleHtml ? <SafeHtml html={embed.articleHtml} className="prose" /> : null}
      {embed.fileUrl ? (
        <p>
          <a className="button secondary" href={embed.fileUrl}>
            {t('oer.openFile')}
            {embed.fileName ? ` (${embed.fileName})` : ''}
          </a>
        </p>
      ) : null}
      {embed.externalUrl ? (
        <p>
          <a className="button secondary" href={embed.externalUrl} rel="noopener noreferrer" target="_blank">
            {t('oer.openExternal')}
          </a>
        </p>
      ) : null}
      <p className="oer-attribution">
        <LicenceBadge licence={embed.licence} /> {embed.attribution}
      </p>
    </section>
  );
}
