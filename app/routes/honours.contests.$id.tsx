import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { FormError } from '~/components/Field';
import { awardContestBadges, contestBadgePage, setAutoBadges } from '~/domain/honours/contest-badges.server';
import { contestBadgeDeskSchema } from '~/forms/honours-contest-badges';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { contestBadgeFailures } from '~/lib/failures/honours.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { failure } from '~/lib/result-http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/**
 * A contest's badge desk (its unit's organisers): the winners' honours issued so far, issuing the
 * missing ones in one action, and whether publishing results issues them automatically (no JS needed).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const p = await contestBadgePage(getDb(), user.id, params.id ?? '');
  if (!p) notFound();
  return json({ title: getT(detectLocale(request))('honours.contest.title', { contest: p.contest.title }), ...p });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = params.id ?? '';
  const form = parseForm(contestBadgeDeskSchema, await request.formData());
  if (!form.ok) return badRequest({ ok: false as const, message: form.errors._form ?? 'errors.invalid' });
  const to = `/honours/contests/${encodeURIComponent(id)}`;
  if (form.data.intent === 'settings') {
    const r = await setAutoBadges(getDb(), user.id, id, form.data.auto === 'on');
    if (!r.ok) notFound();
    return redirectWithFlash(to, { message: r.value.on ? 'honours.contest.autoOnSaved' : 'honours.contest.autoOffSaved' });
  }
  const r = await awardContestBadges(getDb(), user.id, id);
  if (!r.ok) {
    if (r.code === 'not_found' || r.code === 'forbidden') notFound();
    return failure(contestBadgeFailures, r);
  }
  return redirectWithFlash(to, { message: 'honours.contest.issued', params: { count: r.value.issued } });
}

export default function ContestHonours() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <h1>{d.title}</h1>
      <p>{t('honours.contest.intro', { winners: d.winners, issued: d.issued.length })}</p>
      <FormError error={a?.message} />
      <Form method="post">
        <button type="submit" className="button" name="intent" value="award">
          {t('honours.contest.award')}
        </button>
      </Form>
      <section aria-labelledby="auto-h">
        <h2 id="auto-h">{t('honours.contest.autoTitle')}</h2>
        <p>{d.auto ? t('honours.contest.autoOnNow') : t('honours.contest.autoOffNow')}</p>
        <Form method="post">
          <p>
            <label>
              <input type="checkbox" name="auto" value="on" defaultChecked={d.auto} key={String(d.auto)} /> {t('honours.contest.autoLabel')}
            </label>
          </p>
          <button type="submit" className="button secondary" name="intent" value="settings">
            {t('honours.contest.autoSave')}
          </button>
        </Form>
      </section>
      <section aria-labelledby="issued-h">
        <h2 id="issued-h">{t('honours.contest.issuedTitle')}</h2>
        {d.issued.length ? (
          <ul className="plain-list">
            {d.issued.map((n) => (
              <li key={n.id}>
                <Link to={`/honours/${n.id}`}>{n.nominee_name}</Link> — {n.headline}
                {n.code ? (
                  <>
                    {' · '}
                    <Link to={`/verify/${n.code}`}>{t('honours.contest.verify')}</Link>
                  </>
                ) : null}
                {n.revoked_at ? <strong> · {t('honours.contest.revokedOn', { date: formatDate(n.revoked_at) })}</strong> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('honours.contest.noneIssued')}</p>
        )}
      </section>
      <p>
        <Link to={`/contests/${d.contest.slug}`}>{t('honours.contest.back')}</Link>
      </p>
    </>
  );
}
