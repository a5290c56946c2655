import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { TextArea } from '~/components/Field';
import { LicenceBadge, licenceUrl } from '~/components/oer/LicenceBadge';
import { ResourceEmbed } from '~/components/oer/ResourceEmbed';
import { resourceAccess } from '~/domain/oer/access.server';
import { runResourceDecision } from '~/domain/oer/actions.server';
import { themeForResource, toEmbed } from '~/domain/oer/embed.server';
import { getPendingEdit, getProgress, getYears, listVersions, recordView } from '~/domain/oer/resources.server';
import { unitName } from '~/domain/units.server';
import { getUnit } from '~/domain/units.server';
import { resourceDecisionSchema } from '~/forms/oer-review';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import {
  labelText,
  languageLabel,
  licenceNameLabel,
  resourceKindLabel,
  resourceLevelLabel,
  resourceStatusLabel,
  subjectLabel,
} from '~/i18n/labels';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDate, formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { oerFailures } from '~/lib/failures/oer.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { publicOrigin } from '~/lib/origin.server';
import oerStyles from '~/styles/oer.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: oerStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  const r = data.r;
  const dc = [
    { name: 'description', content: r.summary },
    { name: 'DC.title', content: r.title },
    ...r.authorList.map((a) => ({ name: 'DC.creator', content: a })),
    { name: 'DC.publisher', content: data.unit.name },
    { name: 'DC.date', content: (r.publishedAt ?? r.updatedAt).slice(0, 10) },
    { name: 'DC.type', content: r.dcType },
    { name: 'DC.format', content: r.mediaType ?? 'text/html' },
    { name: 'DC.language', content: r.language },
    { name: 'DC.subject', content: data.subjectLabel },
    { name: 'DC.rights', content: licenceUrl(r.licence) },
    { name: 'DC.identifier', content: data.canonical },
    { property: 'og:title', content: r.title },
    { property: 'og:description', content: r.summary },
    { property: 'og:type', content: r.kind === 'video' ? 'video.other' : 'article' },
  ];
  return [{ title: r.title }, ...dc, { 'script:ld+json': data.jsonLd }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await getUser(request);
  const access = await resourceAccess(db, params.id ?? '', user?.id);
  if (access.status !== 'ok') notFound();
  const { resource: r, mayEdit, mayReview } = access;
  const locale = detectLocale(request);
  const unit = await getUnit(db, r.unit_id);
  if (!unit) throw new Error(`resource ${r.id} has no unit`);
  const [years, versions, progress, theme] = await Promise.all([
    getYears(db, r.id),
    listVersions(db, r.id),
    user ? getProgress(db, user.id, r.id) : undefined,
    themeForResource(db, r.id),
  ]);
  if (r.status === 'published' && r.author_id !== user?.id) await recordView(db, r.id);
  const origin = publicOrigin();
  const canonical = `${origin}/resources/${r.id}`;
  const authorList = r.authors
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  const embed = toEmbed(r, theme);
  const t = getT(locale);
  const jsonLd: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type':
      r.kind === 'video'
        ? ['VideoObject', 'LearningResource']
        : r.kind === 'audio'
          ? ['AudioObject', 'LearningResource']
          : 'LearningResource',
    name: r.title,
    description: r.summary,
    url: canonical,
    inLanguage: r.language,
    learningResourceType: t(resourceKindLabel[r.kind]),
    educationalLevel: t(resourceLevelLabel[r.level]),
    audience: { '@type': 'EducationalAudience', educationalRole: t(resourceLevelLabel[r.level]) },
    about: t(subjectLabel[r.subject]),
    author: authorList.map((name) => ({ '@type': 'Person', name })),
    publisher: { '@type': 'Organization', name: unitName(unit, locale) },
    license: licenceUrl(r.licence),
    isAccessibleForFree: true,
    keywords: years.map((y) => `Tuần lễ học tập suốt đời ${y}`).join(', ') || undefined,
    datePublished: r.published_at ?? undefined,
    dateModified: r.updated_at,
    version: r.version,
  };
  if (embed.thumbnailUrl) jsonLd.thumbnailUrl = `${origin}${embed.thumbnailUrl}`;
  if (r.duration_seconds) jsonLd.timeRequired = `PT${Math.round(r.duration_seconds / 60)}M`;
  if (r.kind === 'video') {
    jsonLd.uploadDate = r.published_at ?? r.created_at;
    if (embed.media) jsonLd.contentUrl = `${origin}${embed.media.src}`;
    else if (embed.hlsUrl) jsonLd.contentUrl = embed.hlsUrl;
    if (r.duration_seconds) jsonLd.duration = `PT${r.duration_seconds}S`;
    if (embed.captionsUrl) jsonLd.caption = `${origin}${embed.captionsUrl}`;
  }
  return json({
    canonical,
    jsonLd,
    subjectLabel: t(subjectLabel[r.subject]),
    r: {
      id: r.id,
      kind: r.kind,
      status: r.status,
      title: r.title,
      summary: r.summary,
      authorList,
      licence: r.licence,
      language: r.language,
      level: r.level,
      subject: r.subject,
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
      version: r.version,
      reviewComment: r.review_comment,
      mediaType: r.media_type,
      durationSeconds: r.duration_seconds,
      pageCount: r.page_count,
      views: r.views,
      isAuthor: r.author_id === user?.id,
      dcType:
        r.kind === 'video'
          ? 'MovingImage'
          : r.kind === 'audio'
            ? 'Sound'
            : r.kind === 'interactive' || r.kind === 'simulation'
              ? 'InteractiveResource'
              : 'Text',
    },
    years,
    unit: { name: unitName(unit, locale), slug: unit.slug },
    embed,
    mayEdit,
    mayReview,
    pendingEdit: (mayEdit || mayReview) && !!(await getPendingEdit(db, r.id)),
    startAt: progress && !progress.completed ? progress.position_seconds : 0,
    progressUrl: user ? `/resources/${r.id}/progress` : null,
    viewerId: user?.id ?? null,
    versions: versions.map((v) => ({ version: v.version, name: v.edited_by_name, at: v.created_at })),
  });
}

const DONE = {
  submit: 'oer.flash.submitted',
  publish: 'oer.flash.published',
  return: 'oer.flash.returned',
  withdraw: 'oer.flash.withdrawn',
  'approve-edit': 'oer.flash.editApproved',
  'reject-edit': 'oer.flash.editRejected',
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const id = params.id ?? '';
  const form = await request.formData();
  const r = parseForm(resourceDecisionSchema, form);
  if (!r.ok) return badRequest({ error: asKey('errors.invalid'), values: r.values });
  const done = await runResourceDecision(db, user.id, id, r.data);
  if (!done.ok) return badRequest({ error: oerFailures[done.code].message, values: r.values });
  return redirectWithFlash(`/resources/${id}`, { message: DONE[r.data.intent] });
}

export default function ResourcePage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const r = d.r;
  return (
    <article className="oer-resource">
      <Breadcrumb
        items={[
          { to: '/resources', label: t('oer.title') },
          { to: `/units/${d.unit.slug}/resources`, label: d.unit.name },
          { label: r.title },
        ]}
      />
      {a?.error ? (
        <p className="form-error" role="alert">
          {t(a.error)}
        </p>
      ) : null}
      <h1>{r.title}</h1>
      <p className="oer-meta">
        <span className="badge">{t(resourceKindLabel[r.kind])}</span>
        <span className="badge">{t(resourceLevelLabel[r.level])}</span>
        <span className="badge">{t(subjectLabel[r.subject])}</span>
        {r.status !== 'published' ? <span className="badge draft">{t(resourceStatusLabel[r.status])}</span> : null}
        {d.years.map((y) => (
          <Link key={y} className="badge" to={`/weeks/${y}`}>
            {y}
          </Link>
        ))}
      </p>
      <p className="lead">{r.summary}</p>
      <dl className="oer-facts">
        <dt>{t('oer.form.authors')}</dt>
        <dd>{r.authorList.join(', ')}</dd>
        <dt>{t('oer.publishedBy')}</dt>
        <dd>
          <Link to={`/units/${d.unit.slug}/resources`}>{d.unit.name}</Link>
        </dd>
        {r.publishedAt ? (
          <>
            <dt>{t('oer.publishedOn')}</dt>
            <dd>{formatDate(r.publishedAt)}</dd>
          </>
        ) : null}
        {r.durationSeconds ? (
          <>
            <dt>{t('oer.duration')}</dt>
            <dd>{t('oer.minutes', { count: Math.round(r.durationSeconds / 60) })}</dd>
          </>
        ) : null}
        {r.pageCount ? (
          <>
            <dt>{t('oer.form.pageCount')}</dt>
            <dd>{t('oer.pages', { count: r.pageCount })}</dd>
          </>
        ) : null}
        <dt>{t('oer.form.language')}</dt>
        <dd>{labelText(t, languageLabel, r.language)}</dd>
      </dl>
      <ResourceEmbed embed={d.embed} progressUrl={d.progressUrl} startAt={d.startAt} viewerId={d.viewerId} headingLevel={2} />
      {r.reviewComment && (r.isAuthor || d.mayReview) && r.status !== 'published' ? (
        <section className="card">
          <h2>{t('oer.reviewComment')}</h2>
          <p>{r.reviewComment}</p>
        </section>
      ) : null}
      {d.pendingEdit ? (
        <p className="flash" role="status">
          {t('oer.pendingEditNotice')} {d.mayReview ? <Link to="/resources/review">{t('oer.reviewQueue')}</Link> : null}
        </p>
      ) : null}
      {r.isAuthor || d.mayEdit || d.mayReview ? (
        <section className="card" aria-labelledby="oer-manage">
          <h2 id="oer-manage">{t('common.actions')}</h2>
          <p>
            {t('oer.views')}: {r.views} · {t('oer.version')} {r.version}
          </p>
          <div className="actions">
            {d.mayEdit ? (
              <Link className="button secondary" to={`/resources/${r.id}/edit`}>
                {t('oer.actions.edit')}
              </Link>
            ) : null}
            {r.isAuthor && (r.status === 'draft' || r.status === 'returned') ? (
              <Form method="post">
                <button type="submit" name="intent" value="submit" className="primary">
                  {t('oer.actions.submit')}
                </button>
              </Form>
            ) : null}
          </div>
          {d.mayReview && (r.status === 'submitted' || r.status === 'published') ? (
            <Form method="post">
              <TextArea
                name="comment"
                label={t('oer.actions.comment')}
                hint={t('oer.actions.commentHint')}
                defaultValue={a?.values?.comment}
                rows={3}
              />
              <div className="actions">
                {r.status === 'submitted' ? (
                  <>
                    <button type="submit" name="intent" value="publish" className="primary">
                      {t('oer.actions.publish')}
                    </button>
                    <button type="submit" name="intent" value="return" className="secondary">
                      {t('oer.actions.return')}
                    </button>
                  </>
                ) : (
                  <button type="submit" name="intent" value="withdraw" className="danger">
                    {t('oer.actions.withdraw')}
                  </button>
                )}
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}
      {d.versions.length ? (
        <section aria-labelledby="oer-versions">
          <h2 id="oer-versions">{t('oer.versions')}</h2>
          <ul>
            {d.versions.map((v) => (
              <li key={v.version}>{t('oer.versionLine', { version: v.version, name: v.name, date: formatDateTime(v.at) })}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="muted">
        <LicenceBadge licence={r.licence} /> {t(licenceNameLabel[r.licence])}
      </p>
    </article>
  );
}
