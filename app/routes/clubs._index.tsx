import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { FormError, TextField } from '~/components/Field';
import { CLUB_AUDIENCES } from '~/db/schema/clubs';
import { calendarToken } from '~/domain/clubs/calendar.server';
import { clubByCode, directoryUnitChoices, joinClub, listClubs, nearUnitFor } from '~/domain/clubs/clubs.server';
import { asDirectoryView } from '~/domain/clubs/shell.server';
import { clubDirectorySchema } from '~/forms/clubs-directory';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser, requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { clubFailures } from '~/lib/failures/clubs.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { localName, pickLocal } from '~/lib/names';
import { shellView } from '~/lib/shell-identity.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

const AUDIENCE_KEYS = {
  children: 'clubs.audiences.children',
  youth: 'clubs.audiences.youth',
  adult: 'clubs.audiences.adult',
  all: 'clubs.audiences.all',
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const url = new URL(request.url);
  const user = await getUser(request);
  const audience = CLUB_AUDIENCES.find((a) => a === url.searchParams.get('audience'));
  const near = url.searchParams.get('near');
  // A shared signed-in render (app/lib/page-shell.server.ts) is given its visitors' nearby unit.
  const view = asDirectoryView(shellView(request));
  const nearUnitId = view
    ? view.nearUnitId
    : user && (near === 'local' || near === 'province')
      ? await nearUnitFor(db, user.id, near)
      : null;
  const page = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
  const unitId = url.searchParams.get('unit') || undefined;
  const [result, units] = await Promise.all([
    listClubs(db, {
      unitId,
      audience,
      language: url.searchParams.get('lang') === 'en' ? 'en' : url.searchParams.get('lang') === 'vi' ? 'vi' : undefined,
      intergenerational: url.searchParams.get('ig') === '1',
      nearUnitId: nearUnitId ?? undefined,
      page: Number.isFinite(page) ? page : 1,
    }),
    directoryUnitChoices(db, unitId),
  ]);
  const locale = detectLocale(request);
  return json({
    title: getT(locale)('clubs.directory.title'),
    signedIn: !!user,
    filters: {
      unit: unitId ?? '',
      audience: audience ?? '',
      lang: url.searchParams.get('lang') ?? '',
      ig: url.searchParams.get('ig') === '1',
      near: near ?? '',
    },
    clubs: result.clubs.map((c) => ({
      slug: c.slug,
      name: c.name,
      excerpt: c.description_md.replace(/[#*_>`[\]()!-]/g, '').slice(0, 180),
      audience: c.audience,
      intergenerational: c.intergenerational === 1,
      unit: pickLocal(c.unit_name, c.unit_name_en, locale),
      members: c.members,
    })),
    page: result.page,
    hasMore: result.hasMore,
    units: units.map((u) => ({ id: u.id, name: localName(u, locale), depth: u.depth })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const r = parseForm(clubDirectorySchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const, errors: r.errors, values: r.values });
  // The calendar address is shown on /clubs/mine (its form posts there); a reset posted here still works.
  if (r.data.intent === 'reset-calendar') {
    await calendarToken(db, user.id, true);
    return redirectWithFlash('/clubs/mine', { message: 'clubs.flash.calendarReset' });
  }
  const club = await clubByCode(db, r.data.code);
  if (!club) return badRequest({ ok: false as const, errors: { code: 'clubs.errors.badCode' } as FieldErrors, values: r.values });
  const joined = await joinClub(db, user.id, club.id, r.data.code);
  if (!joined.ok && joined.code !== 'already')
    return badRequest({ ok: false as const, errors: { code: clubFailures[joined.code].message } as FieldErrors, values: r.values });
  return redirectWithFlash(`/clubs/${club.slug}`, { message: 'clubs.flash.joined' });
}

export default function ClubDirectory() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const qs = (page: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(d.filters)) if (v) p.set(k, v === true ? '1' : String(v));
    p.set('page', String(page));
    return `?${p.toString()}`;
  };
  return (
    <>
      <h1>{t('clubs.directory.title')}</h1>
      <p className="lead">{t('clubs.directory.intro')}</p>
      {d.signedIn ? (
        <p>
          <Link to="/clubs/new" className="button">
            {t('clubs.directory.create')}
          </Link>{' '}
          <Link to="/reading">{t('clubs.reading.title')}</Link> <Link to="/clubs/mine">{t('clubs.directory.mine')}</Link>
        </p>
      ) : null}
      <p>
        <Link to="/clubs/challenges">{t('clubs.directory.challenges')}</Link>
      </p>

      {d.signedIn ? (
        <section className="card" aria-labelledby="code-h">
          <h2 id="code-h">{t('clubs.directory.joinByCode')}</h2>
          <FormError error={a?.errors._form} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="join-code" />
            <TextField
              name="code"
              label={t('clubs.directory.code')}
              hint={t('clubs.directory.codeHint')}
              defaultValue={a?.values.code}
              error={a?.errors.code}
              autoComplete="off"
              autoCapitalize="characters"
              maxLength={20}
              required
            />
            <button type="submit">{t('clubs.directory.joinButton')}</button>
          </Form>
        </section>
      ) : null}

      <Form method="get" className="filters card" aria-label={t('clubs.directory.filters')}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="f-unit">{t('clubs.directory.unit')}</label>
            <select id="f-unit" name="unit" defaultValue={d.filters.unit} aria-describedby="f-unit-hint">
              <option value="">{t('common.all')}</option>
              {d.units.map((u) => (
                <option key={u.id} value={u.id}>
                  {'\u00a0\u00a0'.repeat(u.depth)}
                  {u.name}
                </option>
              ))}
            </select>
            <p id="f-unit-hint" className="field-hint">
              {t('clubs.directory.unitHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="f-audience">{t('clubs.directory.audience')}</label>
            <select id="f-audience" name="audience" defaultValue={d.filters.audience}>
              <option value="">{t('common.all')}</option>
              {CLUB_AUDIENCES.map((a) => (
                <option key={a} value={a}>
                  {t(AUDIENCE_KEYS[a])}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-lang">{t('clubs.directory.language')}</label>
            <select id="f-lang" name="lang" defaultValue={d.filters.lang}>
              <option value="">{t('common.all')}</option>
              <option value="vi">{t('clubs.languages.vi')}</option>
              <option value="en">{t('clubs.languages.en')}</option>
            </select>
          </div>
          {d.signedIn ? (
            <div className="field">
              <label htmlFor="f-near">{t('clubs.directory.near')}</label>
              <select id="f-near" name="near" defaultValue={d.filters.near}>
                <option value="">{t('clubs.directory.nearAny')}</option>
                <option value="local">{t('clubs.directory.nearLocal')}</option>
                <option value="province">{t('clubs.directory.nearProvince')}</option>
              </select>
            </div>
          ) : null}
        </div>
        <div className="field checkbox">
          <input id="f-ig" type="checkbox" name="ig" value="1" defaultChecked={d.filters.ig} />
          <label htmlFor="f-ig">{t('clubs.directory.intergenerational')}</label>
        </div>
        <button type="submit">{t('clubs.directory.apply')}</button>
      </Form>

      {d.clubs.length === 0 ? (
        <p>{t('clubs.directory.none')}</p>
      ) : (
        <ul className="card-list">
          {d.clubs.map((c) => (
            <li key={c.slug} className="card">
              <h2 className="h3">
                <Link to={`/clubs/${c.slug}`}>{c.name}</Link>
              </h2>
              <p className="muted">
                {c.unit} · {t(AUDIENCE_KEYS[c.audience])} · {t('clubs.directory.members', { count: c.members })}
              </p>
              {c.intergenerational ? <p className="badge">{t('clubs.badge.intergenerational')}</p> : null}
              {c.excerpt ? <p>{c.excerpt}</p> : null}
            </li>
          ))}
        </ul>
      )}
      {d.hasMore ? (
        <p>
          <Link to={qs(d.page + 1)}>{t('clubs.directory.more')}</Link>
        </p>
      ) : null}
    </>
  );
}
