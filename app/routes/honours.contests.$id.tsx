import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { FormError } from '~/components/Field';
import { awardContestBadges, contestBadgePage } from '~/domain/honours/contest-badges.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { notFound } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** A contest's honours: its organisers issue the winners' Open Badges in one action (no JS needed). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const p = await contestBadgePage(getDb(), user.id, params.id ?? '');
  if (!p) notFound();
  return json({ title: getT(detectLocale(request))('honours.contest.title', { contest: p.contest.title }), ...p });
}

const ERRORS = {
  not_found: 'honours.errors.notFound',
  forbidden: 'honours.errors.forbidden',
  no_week: 'honours.contest.noWeek',
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = params.id ?? '';
  const r = await awardContestBadges(getDb(), user.id, id);
  if (!r.ok) {
    if (r.code === 'not_found' || r.code === 'forbidden') notFound();
    return json({ error: ERRORS[r.code] }, { status: 400 });
  }
  return redirectWithFlash(`/honours/contests/${encodeURIComponent(id)}`, {
    message: 'honours.contest.issued',
    params: { count: r.value.issued },
  });
}

export default function ContestHonours() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <h1>{d.title}</h1>
      <p>{t('honours.contest.intro', { winners: d.winners, issued: d.issued.length })}</p>
      <FormError error={a?.error} />
      <Form method="post">
        <button type="submit" className="button">
          {t('honours.contest.award')}
        </button>
      </Form>
      {d.issued.length ? (
        <ul>
          {d.issued.map((n) => (
            <li key={n.id}>
              <Link to={`/honours/${n.id}`}>{n.nominee_name}</Link> — {n.headline}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <Link to={`/contests/${d.contest.slug}`}>{t('honours.contest.back')}</Link>
      </p>
    </>
  );
}
