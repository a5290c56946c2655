import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { Failure } from '~/components/community/Failure';
import { Pager } from '~/components/discussion/Pager';
import { TextArea, TextField } from '~/components/Field';
import { createThread } from '~/domain/discussion/posts.server';
import { FORUM_PLACE, getCategoryBySlug } from '~/domain/forums/forums.server';
import { categoryPage } from '~/domain/forums/pages.server';
import { newThreadSchema } from '~/forms/community';
import { useT } from '~/i18n/i18n';
import { clientIp, getUser, requireUser } from '~/lib/auth.server';
import { communityFailures } from '~/lib/community-http.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { failure } from '~/lib/result-http.server';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.category.name ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = Number(new URL(request.url).searchParams.get('page')) || 1;
  const d = await categoryPage(getDb(), user?.id ?? null, params.slug ?? '', page);
  if (!d) notFound();
  return json({ ...d, signedIn: !!user });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const c = await getCategoryBySlug(db, params.slug ?? '');
  if (!c) notFound();
  const r = parseForm(newThreadSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const, errors: r.errors, values: r.values, message: null as string | null });
  const t = await createThread(db, { userId: user.id, ip: clientIp(request) }, { type: FORUM_PLACE, id: c.id }, r.data);
  if (!t.ok) return failure(communityFailures, t, r.values);
  return redirectWithFlash(t.value.url, { message: t.value.status === 'held' ? 'community.flash.held' : 'community.flash.threadCreated' });
}

export default function Category() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const errors: Record<string, string> = a && 'errors' in a ? a.errors : {};
  const values: Record<string, string> = a?.values ?? {};
  const formError = a && 'message' in a ? a.message : null;
  const params = a && 'params' in a ? a.params : undefined;
  return (
    <>
      <Breadcrumb items={[{ to: '/forums', label: t('community.forums.title') }, { label: d.category.name }]} />
      <h1>{d.category.name}</h1>
      {d.category.description ? <p className="lead">{d.category.description}</p> : null}
      {d.category.slowModeS ? <p className="badge">{t('community.thread.slowMode', { seconds: d.category.slowModeS })}</p> : null}
      {d.threads.length === 0 ? <p className="muted">{t('community.category.noThreads')}</p> : null}
      <ul className="thread-list">
        {d.threads.map((th) => (
          <li key={th.id} className="card">
            <h2>
              <Link to={`/forums/t/${th.id}`}>{th.title}</Link>
              {th.pinned ? <span className="badge">{t('community.thread.pinned')}</span> : null}
              {th.locked ? <span className="badge">{t('community.thread.locked')}</span> : null}
              {th.status === 'held' ? <span className="badge">{t('community.thread.held')}</span> : null}
              {th.status === 'hidden' ? <span className="badge">{t('community.thread.hidden')}</span> : null}
            </h2>
            <p className="muted small">
              {th.author} · {t('community.category.replies', { count: th.replies })} · {formatDateTime(th.lastPostAt)}
              {th.unread ? (
                <>
                  {' · '}
                  <Link to={`/forums/t/${th.id}?post=${th.firstUnread}#post-${th.firstUnread}`}>
                    {t('community.category.unread', { count: th.unread })}
                  </Link>
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
      <Pager page={d.page} pages={d.pages} label={t('community.pager.label')} />
      <section aria-labelledby="new-thread-h" className="card">
        <h2 id="new-thread-h">{t('community.category.newThread')}</h2>
        {d.signedIn ? (
          <Form method="post" noValidate>
            <Failure message={formError} params={params} />
            <TextField
              name="title"
              label={t('community.thread.titleLabel')}
              defaultValue={values.title}
              error={errors.title}
              required
              maxLength={400}
            />
            <TextArea
              name="body"
              label={t('community.thread.bodyLabel')}
              hint={t('community.thread.bodyHint')}
              defaultValue={values.body}
              error={errors.body}
              rows={8}
              required
            />
            <p className="actions">
              <button type="submit" className="primary">
                {t('community.category.post')}
              </button>
            </p>
          </Form>
        ) : (
          <p>
            <Link to={`/login?redirectTo=/forums/c/${d.category.slug}`}>{t('community.forums.signInToPost')}</Link>
          </p>
        )}
      </section>
    </>
  );
}
