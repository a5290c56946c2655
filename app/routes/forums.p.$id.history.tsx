import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { SafeHtml } from '~/components/Markdown';
import { postHistory } from '~/domain/discussion/posts.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const h = await postHistory(getDb(), user?.id ?? null, params.id ?? '');
  if (!h) notFound();
  return json({ title: getT(detectLocale(request))('community.post.historyTitle', { no: h.postNo, title: h.threadTitle }), h });
}

export default function History() {
  const { title, h } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{title}</h1>
      <p>
        <Link to={`${h.threadUrl}?post=${h.postNo}#post-${h.postNo}`}>{t('community.post.backToThread')}</Link>
      </p>
      <section className="card" aria-labelledby="cur-h">
        <h2 id="cur-h">{t('community.post.currentVersion', { date: h.current.at ? formatDateTime(h.current.at) : '' })}</h2>
        <SafeHtml html={h.current.html} />
      </section>
      <ol className="post-list">
        {h.versions.map((v) => (
          <li key={v.id} className="post">
            <h2 className="small">{t('community.post.replacedAt', { date: formatDateTime(v.replacedAt) })}</h2>
            <SafeHtml html={v.html} />
          </li>
        ))}
      </ol>
    </>
  );
}
