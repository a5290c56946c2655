import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, TextArea, TextField } from '~/components/Field';
import { decisionLabel, honourCategoryLabel, nominationStatusLabel } from '~/components/honours/labels';
import { actionFlash, nominationAction } from '~/domain/honours/actions.server';
import { nominationPage } from '~/domain/honours/pages.server';
import { addPhoto, removePhoto } from '~/domain/honours/photos.server';
import { nominationActionSchema } from '~/forms/honours-decision';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { honourFailures, honourPhotoFailures } from '~/lib/failures/honours.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';
import { absoluteUrl } from '~/lib/origin.server';
import { failure } from '~/lib/result-http.server';
import { receiveHonourPhoto } from '~/lib/uploads/honour-photo-form.server';
import styles from '~/styles/honours.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.page.nomination.nomineeName} — ${data.page.nomination.headline}` },
        ...(data.page.isPublic ? [] : [{ name: 'robots', content: 'noindex' }]),
      ]
    : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = await nominationPage(getDb(), params.id ?? '', user?.id);
  if (!page) notFound();
  const locale = detectLocale(request);
  return json({
    page,
    unitName: localName(page.unit, locale),
    approverName: localName(page.approver, locale),
    shareUrl: absoluteUrl(`/honours/${page.nomination.id}`),
  });
}

/** The photo form (multipart): add one photo, or remove one. */
async function photoAction(request: Request, userId: string, id: string) {
  const form = await receiveHonourPhoto(request);
  if (form.tooBig) return badRequest({ errors: { photo: 'honours.errors.photoTooLarge' }, values: { alt: form.alt } });
  const db = getDb();
  if (form.intent === 'remove') {
    const r = await removePhoto(db, userId, id, form.photoId);
    if (!r.ok) return failure(honourPhotoFailures, r);
    return redirectWithFlash(`/honours/${id}`, { message: 'honours.flash.photoRemoved' });
  }
  if (!form.file) return badRequest({ errors: { photo: 'honours.errors.photoMissing' }, values: { alt: form.alt } });
  const r = await addPhoto(db, userId, id, form.file, form.alt);
  if (!r.ok) {
    if (r.code === 'not_image' || r.code === 'too_large' || r.code === 'too_many_pixels' || r.code === 'too_many')
      return badRequest({ errors: { photo: honourPhotoFailures[r.code].message }, values: { alt: form.alt } });
    return failure(honourPhotoFailures, r);
  }
  return redirectWithFlash(`/honours/${id}`, { message: 'honours.flash.photoAdded' });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) return photoAction(request, user.id, params.id ?? '');
  const r = parseForm(nominationActionSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const id = params.id ?? '';
  const res = await nominationAction(getDb(), user.id, id, r.data);
  if (!res.ok) {
    if (res.code === 'comment_required')
      return badRequest({
        errors: { [r.data.intent === 'revoke' ? 'reason' : 'comment']: honourFailures[res.code].message },
        values: r.values,
      });
    return failure(honourFailures, res, r.values);
  }
  return redirectWithFlash(`/honours/${id}`, { message: actionFlash[r.data.intent] });
}

export default function NominationPage() {
  const { page: p, unitName, approverName, shareUrl } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  const n = p.nomination;
  const e = (data && 'errors' in data ? data.errors : {}) as Record<string, string | undefined>;
  const v = (data && 'values' in data ? data.values : {}) as Record<string, string | undefined>;
  const formMessage = data && 'message' in data ? data.message : undefined;
  return (
    <>
      <Breadcrumb
        items={[{ to: `/weeks/${n.weekYear}/honours`, label: t('honours.rollTitle', { year: n.weekYear }) }, { label: n.nomineeName }]}
      />
      <article className="honour" aria-labelledby="honour-h">
        <p className="honour-kind">{t(honourCategoryLabel[n.category])}</p>
        <h1 id="honour-h">{n.nomineeName}</h1>
        <p className="honour-headline">{n.headline}</p>
        {p.badge?.revoked_at ? (
          <p className="honour-revoked" role="status">
            {t('honours.page.revoked', { date: formatDate(p.badge.revoked_at), reason: p.badge.revoked_reason ?? '' })}
          </p>
        ) : null}
        <dl className="facts">
          <dt>{t('honours.page.nominatedBy')}</dt>
          <dd>
            <Link to={`/units/${p.unit.slug}/honours`}>{unitName}</Link>
          </dd>
          <dt>{t('honours.page.approver')}</dt>
          <dd>{approverName}</dd>
          <dt>{t('honours.page.week')}</dt>
          <dd>
            <Link to={`/weeks/${n.weekYear}`}>{n.weekYear}</Link>
          </dd>
          {p.insider ? (
            <>
              <dt>{t('honours.page.status')}</dt>
              <dd className={`status status-${n.status}`}>{t(nominationStatusLabel[n.status])}</dd>
            </>
          ) : null}
        </dl>
        {p.insider && n.isMinor && !n.consent ? <p className="notice">{t('honours.page.minorHidden')}</p> : null}
        {p.insider && n.isMinor && n.consent && n.consentBy ? (
          <p className="muted">{t('honours.page.consentBy', { name: n.consentBy })}</p>
        ) : null}
        <div className="prose" dangerouslySetInnerHTML={{ __html: n.citationHtml }} />
        {p.photos.length ? (
          <section aria-labelledby="photos-h">
            <h2 id="photos-h">{t('honours.fields.photos')}</h2>
            <ul className="honour-photos">
              {p.photos.map((ph) => (
                <li key={ph.id}>
                  <img src={`/honours/${n.id}/photos/${ph.id}`} alt={ph.alt} loading="lazy" />
                  {p.canEdit ? (
                    <Form method="post" encType="multipart/form-data">
                      <input type="hidden" name="photo_id" value={ph.id} />
                      <button type="submit" name="intent" value="remove" className="secondary small">
                        {t('honours.page.removePhoto')}
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {n.evidence.length ? (
          <section aria-labelledby="evidence-h">
            <h2 id="evidence-h">{t('honours.page.evidence')}</h2>
            <ul>
              {n.evidence.map((ev) => (
                <li key={ev.url}>
                  <a href={ev.url} rel="noopener noreferrer nofollow">
                    {ev.label || ev.url}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {p.badge ? (
          <section aria-labelledby="cert-h" className="honour-cert">
            <h2 id="cert-h">{t('honours.page.certificate')}</h2>
            <ul>
              <li>
                <Link to={`/certificates/${p.badge.code}`}>{t('honours.page.printCertificate')}</Link>
              </li>
              <li>
                <a href={`/honours/${n.id}/badge.json`} download>
                  {t('honours.page.badgeJson')}
                </a>
              </li>
              <li>
                <a href={`/honours/${n.id}/badge.jwt`} download>
                  {t('honours.page.badgeJwt')}
                </a>
              </li>
              <li>
                <Link to={`/verify/${p.badge.code}`}>{t('honours.page.verify')}</Link> ({p.badge.code})
              </li>
            </ul>
          </section>
        ) : null}
        {p.isPublic ? (
          <p className="share">
            <label htmlFor="share-url">{t('honours.page.share')}</label>
            <input id="share-url" readOnly value={shareUrl} />
          </p>
        ) : null}
      </article>

      {p.canEdit || p.canDecide || p.canRevoke ? (
        <section aria-labelledby="actions-h" className="card">
          <h2 id="actions-h">{t('honours.page.actions')}</h2>
          <FormError error={formMessage} />
          {p.canEdit ? (
            <div className="actions">
              <Link className="button secondary" to={`/honours/${n.id}/edit`}>
                {t('honours.page.edit')}
              </Link>
              <Form method="post">
                <button type="submit" name="intent" value="submit">
                  {t('honours.page.submit')}
                </button>
              </Form>
            </div>
          ) : null}
          {p.canEdit ? (
            <Form method="post" encType="multipart/form-data" className="stack">
              <div className={`field${e.photo ? ' has-error' : ''}`}>
                <label htmlFor="f-photo">{t('honours.fields.photo')}</label>
                <input
                  id="f-photo"
                  name="photo"
                  type="file"
                  accept="image/jpeg,image/png,image/webp"
                  aria-invalid={e.photo ? true : undefined}
                  aria-describedby={e.photo ? 'f-photo-error' : undefined}
                />
                {e.photo ? (
                  <p id="f-photo-error" className="field-error" role="alert">
                    {t(asKey(e.photo))}
                  </p>
                ) : null}
              </div>
              <TextField name="alt" label={t('honours.fields.photoAlt')} defaultValue={v.alt} maxLength={300} />
              <button type="submit" name="intent" value="add" className="secondary">
                {t('honours.page.upload')}
              </button>
            </Form>
          ) : null}
          {p.canDecide ? (
            <>
              <Form method="post">
                <button type="submit" name="intent" value="approve">
                  {t('honours.page.approve')}
                </button>
              </Form>
              <Form method="post" className="stack">
                <TextArea name="comment" label={t('honours.fields.comment')} defaultValue={v.comment} error={e.comment} rows={3} />
                <button type="submit" name="intent" value="return" className="secondary">
                  {t('honours.page.return')}
                </button>
              </Form>
            </>
          ) : null}
          {p.canRevoke && p.badge && !p.badge.revoked_at ? (
            <Form method="post" className="stack">
              <TextArea name="reason" label={t('honours.fields.reason')} defaultValue={v.reason} error={e.reason} rows={2} />
              <button type="submit" name="intent" value="revoke" className="danger">
                {t('honours.page.revoke')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {p.versions.length ? (
        <section aria-labelledby="history-h">
          <h2 id="history-h">{t('honours.page.history')}</h2>
          <ol className="honour-history">
            {p.versions.map((ver) => (
              <li key={ver.version}>
                <strong>{t('honours.page.version', { version: ver.version })}</strong> —{' '}
                {t('honours.page.submittedBy', { date: formatDate(ver.submitted_at), name: ver.submitted_by_name ?? '' })}
                {ver.decision && ver.decided_at ? (
                  <>
                    <br />
                    {t(decisionLabel[ver.decision], { date: formatDate(ver.decided_at), name: ver.decided_by_name ?? '' })}
                  </>
                ) : (
                  <>
                    <br />
                    {t('honours.page.pending')}
                  </>
                )}
                {ver.comment ? <blockquote>{ver.comment}</blockquote> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
