import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { calendarToken } from '~/domain/clubs/calendar.server';
import { directoryExtras } from '~/domain/clubs/pages.server';
import { clubDirectorySchema } from '~/forms/clubs-directory';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { publicOrigin } from '~/lib/origin.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

/**
 * The clubs a person belongs to (or waits to join) and their private meetings calendar: personal,
 * so kept off the directory, which signed-in readers share (app/lib/page-shell.server.ts).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const extras = await directoryExtras(getDb(), user.id);
  return json({
    title: getT(detectLocale(request))('clubs.directory.mine'),
    mine: extras.mine,
    calendarUrl: extras.calendarToken ? `${publicOrigin()}/clubs/calendar/${extras.calendarToken}.ics` : null,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(clubDirectorySchema, await request.formData());
  if (!r.ok || r.data.intent !== 'reset-calendar') return badRequest({ ok: false as const });
  await calendarToken(getDb(), user.id, true);
  return redirectWithFlash('/clubs/mine', { message: 'clubs.flash.calendarReset' });
}

export default function MyClubs() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb items={[{ to: '/clubs', label: t('clubs.directory.title') }, { label: t('clubs.directory.mine') }]} />
      <h1>{t('clubs.directory.mine')}</h1>
      {d.mine.length === 0 ? (
        <p>
          {t('clubs.directory.mineNone')} <Link to="/clubs">{t('clubs.directory.title')}</Link>
        </p>
      ) : (
        <ul>
          {d.mine.map((c) => (
            <li key={c.id}>
              <Link to={`/clubs/${c.slug}`}>{c.name}</Link>
              {c.member_status === 'pending' || c.status === 'pending' ? (
                <span className="muted"> ({t('clubs.directory.pending')})</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {d.calendarUrl ? (
        <section aria-labelledby="calendar-h">
          <h2 id="calendar-h">{t('clubs.directory.calendar')}</h2>
          <p className="muted">{t('clubs.directory.calendarHint')}</p>
          <p>
            <code className="break-all">{d.calendarUrl}</code>
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="reset-calendar" />
            <button type="submit" className="secondary small">
              {t('clubs.directory.calendarReset')}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
