import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { RoundPhaseBadge } from '~/components/contests/RoundPhase';
import { useLiveCounters } from '~/components/contests/useLiveCounters';
import { FormError, TextField } from '~/components/Field';
import { SafeHtml } from '~/components/Markdown';
import { UnitSelect } from '~/components/UnitSelect';
import { contestAccess } from '~/domain/contests/access.server';
import { register } from '~/domain/contests/contests.server';
import { contestPage } from '~/domain/contests/pages.server';
import { LIVE_COUNTERS_TTL_S } from '~/domain/contests/results.server';
import { unitName } from '~/domain/units.server';
import { registerSchema } from '~/forms/contests';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { getUser, requireUser } from '~/lib/auth.server';
import { contestFailures, contestPageHeaders } from '~/lib/contests-http.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { renderMarkdown } from '~/lib/markdown.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.contest.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const locale = detectLocale(request);
  const p = await contestPage(getDb(), params.slug!, user?.id ?? null);
  if (p.status !== 'ok') notFound();
  return json(
    {
      contest: {
        slug: p.contest.slug,
        title: p.contest.title,
        weekYear: p.contest.week_year,
        minAge: p.contest.min_age,
        maxAge: p.contest.max_age,
        maxAttempts: p.contest.max_attempts,
        predictionKind: p.contest.prediction_kind,
        draft: p.contest.status === 'draft',
        overallPublished: p.contest.overall_status === 'published',
      },
      rulesHtml: renderMarkdown(p.contest.rules_md),
      unit: unitName(p.unit, locale),
      rounds: p.rounds,
      prizes: p.prizes.map((z) => ({
        label: z.label,
        from: z.rank_from,
        to: z.rank_to,
        round: p.rounds.find((r) => r.id === z.round_id)?.title ?? null,
        basis: z.basis,
      })),
      canManage: p.canManage,
      signedIn: !!user,
      entrant: p.entrant
        ? { fullName: p.entrant.full_name, birthYear: p.entrant.birth_year, unitId: p.entrant.unit_id, phone: p.entrant.phone }
        : null,
      defaults: user ? { fullName: user.displayName ?? '', birthYear: user.birthYear ?? null } : null,
      units: p.units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth })),
      // The live counters as of this render; the page's script refreshes them (useLiveCounters).
      renderedAt: new Date().toISOString(),
      refreshS: LIVE_COUNTERS_TTL_S,
    },
    { headers: contestPageHeaders(p.rounds) },
  );
}

/** `no-store` while a phase is about to change (the page cache then keeps no copy); live counters are polled. */
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await contestAccess(db, { slug: params.slug! }, user.id);
  if (a.status !== 'ok') notFound();
  const r = parseForm(registerSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const res = await register(db, a.contest.id, user.id, {
    fullName: r.data.full_name,
    birthYear: r.data.birth_year,
    unitId: r.data.unit_id,
    phone: r.data.phone,
  });
  if (!res.ok) {
    const field = res.code === 'too_young' || res.code === 'too_old' ? 'birth_year' : res.code === 'outside_units' ? 'unit_id' : '_form';
    return badRequest({ errors: { [field]: contestFailures[res.code].message } as Record<string, string>, values: r.values });
  }
  return redirectWithFlash(`/contests/${a.contest.slug}`, { message: 'contests.flash.registered' });
}

const PRIZE_BASIS_KEYS = {
  entrants: 'contests.overall.basis.entrants',
  rate: 'contests.overall.basis.rate',
  collective: 'contests.overall.basis.collective',
} as const;

export default function ContestPage() {
  const d = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  const v = data?.values ?? {};
  const e = (data?.errors ?? {}) as Record<string, string | undefined>;
  const c = d.contest;
  const counters = useLiveCounters(
    c.slug,
    d.rounds.some((r) => r.counters),
    d.refreshS,
    d.renderedAt,
  );
  const rounds = d.rounds.map((r) => ({ ...r, counters: counters(r.id, r.counters) }));
  return (
    <>
      <h1>{c.title}</h1>
      <p className="muted">
        {d.unit}
        {c.weekYear ? ` · ${t('contests.list.week', { year: c.weekYear })}` : ''}
        {c.draft ? ` · ${t('contests.page.draft')}` : ''}
      </p>
      <p className="actions">
        <Link to={`/contests/${c.slug}/leaderboard`}>{t('contests.page.leaderboard')}</Link>
        {c.overallPublished ? <Link to={`/contests/${c.slug}/results`}>{t('contests.overall.results')}</Link> : null}
        {d.canManage ? (
          <Link className="button" to={`/contests/${c.slug}/manage`}>
            {t('contests.page.manage')}
          </Link>
        ) : null}
      </p>
      <section aria-labelledby="rounds-h">
        <h2 id="rounds-h">{t('contests.page.rounds')}</h2>
        {d.rounds.length === 0 ? <p>{t('contests.page.noRounds')}</p> : null}
        <ul className="contest-rounds">
          {rounds.map((r) => (
            <li key={r.id}>
              <h3>
                {r.title} <RoundPhaseBadge phase={r.phase} />
              </h3>
              <p>
                {t('contests.page.window', { opens: formatDateTime(r.opensAt), closes: formatDateTime(r.closesAt) })} ·{' '}
                {t('contests.page.timeLimit', { minutes: Math.round(r.timeLimitS / 60) })}
              </p>
              {r.counters ? (
                <div className="contest-counters" role="status">
                  <p>{t('contests.page.counters', { entrants: r.counters.entrants, submitted: r.counters.submitted })}</p>
                  {r.counters.byUnit.length ? (
                    <ul>
                      {r.counters.byUnit.map((b) => (
                        <li key={b.name}>
                          {b.name}: {b.entrants}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              ) : null}
              {r.kind === 'submission' ? (
                <p className="actions">
                  {r.phase === 'open' && d.entrant ? (
                    <Link className="button" to={`/contests/${c.slug}/rounds/${r.id}/submit`}>
                      {t('contests.entries.nav.submit')}
                    </Link>
                  ) : null}
                  <Link to={`/contests/${c.slug}/gallery/${r.id}`}>{t('contests.entries.nav.gallery')}</Link>
                  {r.judge ? <Link to={`/contests/${c.slug}/jury/${r.id}`}>{t('contests.entries.nav.jury')}</Link> : null}
                  {d.canManage ? <Link to={`/contests/${c.slug}/entries/manage`}>{t('contests.entries.nav.manage')}</Link> : null}
                </p>
              ) : null}
              <p className="actions">
                {r.phase === 'open' && d.entrant && r.kind !== 'submission' ? (
                  <Link className="button" to={`/contests/${c.slug}/rounds/${r.id}`}>
                    {r.inProgress ? t('contests.page.resume') : r.myAttempts ? t('contests.page.myAttempt') : t('contests.page.enter')}
                  </Link>
                ) : null}
                {r.phase === 'closed' && r.myAttempts && !r.published ? <span>{t('contests.page.awaitResults')}</span> : null}
                {r.published ? <Link to={`/contests/${c.slug}/rounds/${r.id}/results`}>{t('contests.page.results')}</Link> : null}
              </p>
            </li>
          ))}
        </ul>
      </section>
      {d.prizes.length ? (
        <section aria-labelledby="prizes-h">
          <h2 id="prizes-h">{t('contests.page.prizes')}</h2>
          <ul>
            {d.prizes.map((z, i) => (
              <li key={i}>
                {z.label}:{' '}
                {z.from === z.to ? t('contests.page.rankOne', { rank: z.from }) : t('contests.page.rankRange', { from: z.from, to: z.to })}
                {z.round ? ` (${z.round})` : ` (${t('contests.page.overall')})`}
                {z.basis ? ` · ${t(PRIZE_BASIS_KEYS[z.basis])}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="rules-h">
        <h2 id="rules-h">{t('contests.page.rules')}</h2>
        <ul>
          {c.minAge != null || c.maxAge != null ? <li>{t('contests.page.ages', { min: c.minAge ?? 0, max: c.maxAge ?? '∞' })}</li> : null}
          <li>{c.maxAttempts > 1 ? t('contests.page.attemptsN', { n: c.maxAttempts }) : t('contests.page.attempts1')}</li>
          <li>{c.predictionKind === 'perfect' ? t('contests.prediction.perfect') : t('contests.prediction.participants')}</li>
          <li>{t('contests.page.noStaff')}</li>
        </ul>
        <SafeHtml html={d.rulesHtml} />
      </section>
      <section aria-labelledby="reg-h">
        <h2 id="reg-h">{d.entrant ? t('contests.register.update') : t('contests.register.title')}</h2>
        {!d.signedIn ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`/contests/${c.slug}`)}`}>{t('contests.register.signIn')}</Link>
          </p>
        ) : (
          <Form method="post" className="stack">
            <FormError error={e._form} />
            <TextField
              name="full_name"
              label={t('contests.register.fullName')}
              defaultValue={v.full_name ?? d.entrant?.fullName ?? d.defaults?.fullName}
              error={e.full_name}
              required
              maxLength={120}
              autoComplete="name"
            />
            <TextField
              name="birth_year"
              label={t('contests.register.birthYear')}
              inputMode="numeric"
              defaultValue={v.birth_year ?? String(d.entrant?.birthYear ?? d.defaults?.birthYear ?? '')}
              error={e.birth_year}
              required
            />
            <UnitSelect
              name="unit_id"
              label={t('contests.register.unit')}
              hint={t('contests.register.unitHint')}
              units={d.units}
              defaultValue={v.unit_id ?? d.entrant?.unitId}
              error={e.unit_id}
              optional={false}
            />
            <TextField
              name="phone"
              label={t('contests.register.phone')}
              type="tel"
              defaultValue={v.phone ?? d.entrant?.phone ?? ''}
              error={e.phone}
              autoComplete="tel"
            />
            <button type="submit">{d.entrant ? t('contests.register.save') : t('contests.register.submit')}</button>
          </Form>
        )}
      </section>
    </>
  );
}
