import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { FormError, TextArea } from '~/components/Field';
import { PrintButton } from '~/components/outreach/PrintButton';
import { ReadAloud } from '~/components/outreach/ReadAloud';
import { kitAccess } from '~/domain/outreach/access.server';
import { saveAnnouncement, savedAnnouncement } from '~/domain/outreach/announcement.server';
import { announcementPage } from '~/domain/outreach/kit.server';
import { announcementSchema } from '~/forms/outreach-announcement';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { outreachFailures } from '~/lib/failures/outreach.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import styles from '~/styles/outreach.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const user = await getUser(request);
  const p = await announcementPage(getDb(), Number(params.year), params.unit ?? '', user?.id ?? null, locale);
  if (p.status !== 'ok') notFound();
  // `?generated=1` puts the text generated from the plan in the editor (saved only with "Save").
  const regenerate = p.ctx.canManage && new URL(request.url).searchParams.get('generated') === '1';
  return json({
    title: getT(locale)('outreach.announcement.pageTitle', { unit: p.unitName, year: p.ctx.week.year }),
    year: p.ctx.week.year,
    unit: { slug: p.ctx.unit.slug, name: p.unitName },
    text: p.text,
    editorText: regenerate ? p.generated : p.text,
    regenerate,
    version: p.version,
    updatedAt: p.updatedAt,
    canManage: p.ctx.canManage,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await kitAccess(db, Number(params.year), params.unit ?? '', user.id);
  if (a.status !== 'ok') notFound();
  const r = parseForm(announcementSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values, theirs: null });
  const saved = await saveAnnouncement(db, user.id, { year: a.week.year, unitId: a.unit.id, text: r.data.text, version: r.data.version });
  if (!saved.ok) {
    // Someone saved since this text was opened: keep what was typed, show theirs, and let a new save replace it knowingly.
    const theirs = saved.code === 'conflict' ? await savedAnnouncement(db, a.week.year, a.unit.id) : null;
    return json(
      {
        errors: { _form: outreachFailures[saved.code].message } as FieldErrors,
        values: { ...r.values, version: String(theirs?.version ?? r.data.version) },
        theirs: theirs?.text ?? null,
      },
      { status: outreachFailures[saved.code].status },
    );
  }
  return redirectWithFlash(`/weeks/${a.week.year}/plans/${a.unit.slug}/announcement`, { message: 'outreach.flash.announcementSaved' });
}

export default function Announcement() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const v: Record<string, string> = a?.values ?? {};
  const e: FieldErrors = a?.errors ?? {};
  const base = `/weeks/${d.year}/plans/${d.unit.slug}`;
  return (
    <>
      <p className="no-print">
        <Link to={`${base}/outreach`}>{t('outreach.kit.title')}</Link>
      </p>
      <article className="announcement" aria-labelledby="ann-h">
        <h1 id="ann-h">{d.title}</h1>
        <div id="announcement-text" className="announcement-text">
          {d.text.split(/\n{2,}/).map((para, i) => (
            <p key={i}>{para}</p>
          ))}
        </div>
        {d.updatedAt ? <p className="muted no-print">{t('outreach.announcement.savedOn', { date: formatDateTime(d.updatedAt) })}</p> : null}
      </article>
      <div className="no-print">
        <p className="muted">{t('outreach.announcement.printHint')}</p>
        <PrintButton label={t('outreach.announcement.print')} />
        <ReadAloud sourceId={d.canManage ? 'text' : 'announcement-text'} />
      </div>
      {d.canManage ? (
        <section className="card no-print" aria-labelledby="edit-ann">
          <h2 id="edit-ann">{t('outreach.announcement.edit')}</h2>
          <FormError error={e._form} />
          {a?.theirs ? (
            <div className="notice">
              <p>{t('outreach.announcement.theirs')}</p>
              <blockquote className="announcement-theirs">{a.theirs}</blockquote>
            </div>
          ) : null}
          {d.regenerate ? <p className="notice">{t('outreach.announcement.regenerated')}</p> : null}
          <Form method="post" noValidate>
            <input type="hidden" name="version" value={v.version ?? String(d.version)} />
            <TextArea
              key={`${d.version}-${d.regenerate}`}
              name="text"
              label={t('outreach.announcement.text')}
              hint={t('outreach.announcement.textHint')}
              defaultValue={v.text ?? d.editorText}
              error={e.text}
              rows={16}
            />
            <button type="submit" className="button">
              {t('outreach.announcement.save')}
            </button>{' '}
            <Link to={`${base}/announcement?generated=1`}>{t('outreach.announcement.regenerate')}</Link>
          </Form>
        </section>
      ) : null}
    </>
  );
}
