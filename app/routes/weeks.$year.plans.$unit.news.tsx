import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, TextArea, TextField } from '~/components/Field';
import { NewsList } from '~/components/outreach/NewsList';
import { kitAccess } from '~/domain/outreach/access.server';
import { newsViews, planNewsPage } from '~/domain/outreach/kit.server';
import { deleteNews, postNews } from '~/domain/outreach/news.server';
import { newsSchema } from '~/forms/outreach-news';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDate, parseViDate, todayInVietnam } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { outreachFailures } from '~/lib/failures/outreach.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { parseNewsForm } from '~/lib/uploads/news-photo-form.server';
import styles from '~/styles/outreach.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const user = await getUser(request);
  const p = await planNewsPage(getDb(), Number(params.year), params.unit ?? '', user?.id ?? null, locale);
  if (p.status !== 'ok') notFound();
  return json({
    title: getT(locale)('outreach.news.unitTitle', { unit: p.unitName }),
    year: p.ctx.week.year,
    unit: { slug: p.ctx.unit.slug, name: p.unitName },
    news: newsViews(p.news, locale),
    canManage: p.ctx.canManage,
    today: formatDate(todayInVietnam()),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await kitAccess(db, Number(params.year), params.unit ?? '', user.id);
  if (a.status !== 'ok') notFound();
  const { form, photo, photoError, discard } = await parseNewsForm(request);
  const r = parseForm(newsSchema, form);
  const back = `/weeks/${a.week.year}/plans/${a.unit.slug}/news`;
  if (!r.ok) {
    await discard();
    return badRequest({ errors: r.errors, values: r.values });
  }
  if (r.data.intent === 'delete') {
    const d = await deleteNews(db, user.id, r.data.id);
    if (!d.ok)
      return json(
        { errors: { _form: outreachFailures[d.code].message } as FieldErrors, values: r.values },
        { status: outreachFailures[d.code].status },
      );
    return redirectWithFlash(back, { message: 'outreach.flash.newsDeleted' });
  }
  const errors: FieldErrors = {};
  if (photoError) errors.photo = outreachFailures[photoError].message;
  if (photo && !r.data.photoAlt) errors.photoAlt = 'outreach.errors.photoAltRequired';
  if (Object.keys(errors).length) {
    await discard();
    return badRequest({ errors, values: r.values });
  }
  const posted = await postNews(db, user.id, {
    year: a.week.year,
    unitId: a.unit.id,
    title: r.data.title,
    bodyMd: r.data.body,
    newsDate: parseViDate(r.data.date)!,
    photo: photo ? { key: photo.key, alt: r.data.photoAlt } : null,
  });
  if (!posted.ok) {
    await discard();
    return json(
      { errors: { _form: outreachFailures[posted.code].message } as FieldErrors, values: r.values },
      { status: outreachFailures[posted.code].status },
    );
  }
  return redirectWithFlash(back, { message: 'outreach.flash.newsPosted' });
}

export default function PlanNews() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const v: Record<string, string> = a?.values ?? {};
  const e: FieldErrors = a?.errors ?? {};
  const base = `/weeks/${d.year}/plans/${d.unit.slug}`;
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${d.year}`, label: t('weeks.weekOfYear', { year: d.year }) },
          { to: base, label: d.unit.name },
          { to: `${base}/outreach`, label: t('outreach.kit.title') },
          { label: t('outreach.news.heading') },
        ]}
      />
      <h1>{d.title}</h1>
      <p>
        <a href={`/units/${d.unit.slug}/news.atom`} type="application/atom+xml">
          {t('outreach.news.feed')}
        </a>
      </p>
      {d.canManage ? (
        <section className="card" aria-labelledby="post-news">
          <h2 id="post-news">{t('outreach.news.post')}</h2>
          <FormError error={e._form} />
          <Form method="post" encType="multipart/form-data" noValidate>
            <input type="hidden" name="intent" value="post" />
            <TextField name="title" label={t('outreach.news.title')} defaultValue={v.title} error={e.title} maxLength={200} required />
            <TextField
              name="date"
              label={t('outreach.news.date')}
              hint={t('outreach.news.dateHint')}
              defaultValue={v.date ?? d.today}
              error={e.date}
              inputMode="numeric"
              required
            />
            <TextArea
              name="body"
              label={t('outreach.news.body')}
              hint={t('outreach.news.bodyHint')}
              defaultValue={v.body}
              error={e.body}
              rows={6}
            />
            <div className={`field${e.photo ? ' has-error' : ''}`}>
              <label htmlFor="photo">{t('outreach.news.photo')}</label>
              <p id="photo-hint" className="field-hint">
                {t('outreach.news.photoHint')}
              </p>
              <input
                id="photo"
                name="photo"
                type="file"
                accept="image/png,image/jpeg,image/webp"
                aria-describedby={e.photo ? 'photo-error photo-hint' : 'photo-hint'}
                aria-invalid={e.photo ? true : undefined}
              />
              {e.photo ? (
                <p id="photo-error" className="field-error" role="alert">
                  {t(asKey(e.photo))}
                </p>
              ) : null}
            </div>
            <TextField name="photoAlt" label={t('outreach.news.photoAlt')} defaultValue={v.photoAlt} error={e.photoAlt} maxLength={300} />
            <button type="submit" className="button">
              {t('outreach.news.submit')}
            </button>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="news-h">
        <h2 id="news-h">{t('outreach.news.heading')}</h2>
        <NewsList items={d.news}>
          {(n) =>
            d.canManage ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" className="button secondary small">
                  {t('outreach.news.delete')}
                  <span className="visually-hidden">: {n.title}</span>
                </button>
              </Form>
            ) : null
          }
        </NewsList>
      </section>
      <p>
        <Link to={base}>{t('outreach.backToPlan')}</Link>
      </p>
    </>
  );
}
