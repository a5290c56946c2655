import { SafeHtml } from '~/components/Markdown';
import { useT } from '~/i18n/i18n';
import { formatDate } from '~/lib/dates';

export interface NewsView {
  id: string;
  title: string;
  html: string;
  date: string;
  photoUrl: string | null;
  photoAlt: string | null;
  unitName?: string;
  unitUrl?: string;
  status: 'draft' | 'scheduled' | 'published';
  publishAt: string | null;
  isPublic: boolean;
  version: number;
}

/** A list of news items; `level` is the heading level of each item's title. */
export function NewsList({
  items,
  level = 3,
  children,
}: {
  items: NewsView[];
  level?: 2 | 3;
  children?: (n: NewsView) => React.ReactNode;
}) {
  const { t } = useT();
  if (!items.length) return <p className="muted">{t('outreach.news.none')}</p>;
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <ul className="news-list">
      {items.map((n) => (
        <li key={n.id} id={`news-${n.id}`}>
          <article className="news-item" aria-labelledby={`news-${n.id}-h`}>
            <H id={`news-${n.id}-h`}>{n.title}</H>
            <p className="muted">
              <time dateTime={n.date}>{formatDate(n.date)}</time>
              {n.unitName ? (
                <>
                  {' · '}
                  {n.unitUrl ? <a href={n.unitUrl}>{n.unitName}</a> : n.unitName}
                </>
              ) : null}
            </p>
            {n.photoUrl ? <img className="news-photo" src={n.photoUrl} alt={n.photoAlt ?? ''} loading="lazy" /> : null}
            <SafeHtml html={n.html} />
            {children?.(n)}
          </article>
        </li>
      ))}
    </ul>
  );
}
