import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextField } from '~/components/Field';
import { ScrollRegion } from '~/components/ScrollRegion';
import { runRotations } from '~/domain/library/actions.server';
import { lendableHoldings, organiserRotations } from '~/domain/library/manage.server';
import { libraryRotations } from '~/domain/library/rotations.server';
import { librarianLibraries } from '~/domain/library/titles.server';
import { rotationsPageSchema } from '~/forms/library-rotation';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { rotationStatusLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { formatDate, todayInVietnam } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { rotationFailures } from '~/lib/failures/library.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden } from '~/lib/http.server';
import { pickLocal } from '~/lib/names';
import styles from '~/styles/library.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

type Row = Awaited<ReturnType<typeof libraryRotations>>['incoming'][number];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const locale = detectLocale(request);
  const [libraries, organised] = await Promise.all([librarianLibraries(db, user.id), organiserRotations(db, user.id)]);
  if (libraries.length === 0 && organised.length === 0) forbidden();
  const name = (n: string, en: string | null) => pickLocal(n, en, locale);
  const row = (r: Row) => ({
    id: r.id,
    title: r.title,
    slug: r.slug,
    copies: r.copies,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    status: r.status,
    from: name(r.from_name, r.from_name_en),
    to: name(r.to_name, r.to_name_en),
  });
  const q = new URL(request.url).searchParams.get('q')?.trim().slice(0, 100) || undefined;
  const mine = libraries.slice(0, 20);
  const [perLibrary, offers] = await Promise.all([
    Promise.all(mine.map(async (l) => ({ id: l.id, name: name(l.name, l.name_en), ...(await libraryRotations(db, l.id)) }))),
    mine.length
      ? lendableHoldings(
          db,
          mine.map((l) => l.id),
          q,
        )
      : Promise.resolve([]),
  ]);
  return json({
    title: getT(locale)('library.rotations.title'),
    today: todayInVietnam(),
    q: q ?? '',
    libraries: perLibrary.map((l) => ({ id: l.id, name: l.name, incoming: l.incoming.map(row), outgoing: l.outgoing.map(row) })),
    offers: offers.map((h) => ({ id: h.id, label: `${h.title} — ${name(h.library_name, h.library_name_en)} (${h.copies})` })),
    organised: organised.map((o) => ({ id: o.unit.id, name: name(o.unit.name, o.unit.name_en), rotations: o.rotations.map(row) })),
  });
}

/** Which field of the request form each refusal belongs next to (a decision's refusal goes above the page). */
const REQUEST_FIELD = {
  dates: 'endsOn',
  not_enough: 'copies',
  same_library: 'toLibraryId',
  no_holding: 'holdingId',
  not_found: 'holdingId',
  state: 'holdingId',
  forbidden: '_form',
} as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(rotationsPageSchema, await request.formData());
  const intent = r.values.intent ?? '';
  if (!r.ok) return badRequest({ intent, errors: r.errors, values: r.values });
  const done = await runRotations(getDb(), user.id, r.data);
  if (!done.ok) {
    if (done.code === 'forbidden') forbidden();
    const f = rotationFailures[done.code];
    const field = intent === 'request' ? REQUEST_FIELD[done.code] : '_form';
    return json({ intent, errors: { [field]: f.message } as FieldErrors, values: r.values }, { status: f.status });
  }
  return redirectWithFlash('/library/rotations', { message: done.value === 'sent' ? 'library.rotations.sent' : 'library.rotations.done' });
}

function RotationTable({
  rows,
  actions,
}: {
  rows: ReturnType<typeof useLoaderData<typeof loader>>['organised'][number]['rotations'];
  actions?: 'incoming' | 'outgoing';
}) {
  const { t } = useT();
  if (rows.length === 0) return <p className="muted">{t('library.rotations.none')}</p>;
  return (
    <ScrollRegion label={t('library.rotations.title')}>
      <table className="data lib-rotations">
        <thead>
          <tr>
            <th scope="col">{t('library.rotations.book')}</th>
            <th scope="col">{t('library.rotations.from')}</th>
            <th scope="col">{t('library.rotations.to')}</th>
            <th scope="col">{t('library.rotations.copies')}</th>
            <th scope="col">{t('library.rotations.period')}</th>
            <th scope="col">{t('library.rotations.status')}</th>
            {actions ? <th scope="col">{t('library.rotations.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-rotation={r.id}>
              <td>
                <Link to={`/library/${r.slug}`}>{r.title}</Link>
              </td>
              <td>{r.from}</td>
              <td>{r.to}</td>
              <td>{r.copies}</td>
              <td>
                {formatDate(r.startsOn)} – {formatDate(r.endsOn)}
              </td>
              <td>
                <span className="badge">{t(rotationStatusLabel[r.status])}</span>
              </td>
              {actions ? (
                <td>
                  <Form method="post" className="actions">
                    <input type="hidden" name="rotationId" value={r.id} />
                    {actions === 'outgoing' && r.status === 'requested' ? (
                      <>
                        <button
                          type="submit"
                          name="intent"
                          value="accept"
                          className="primary"
                          aria-label={`${t('library.rotations.accept')}: ${r.title} → ${r.to}`}
                        >
                          {t('library.rotations.accept')}
                        </button>
                        <button
                          type="submit"
                          name="intent"
                          value="decline"
                          className="danger"
                          aria-label={`${t('library.rotations.decline')}: ${r.title} → ${r.to}`}
                        >
                          {t('library.rotations.decline')}
                        </button>
                      </>
                    ) : null}
                    {actions === 'incoming' && (r.status === 'requested' || r.status === 'accepted') ? (
                      <button
                        type="submit"
                        name="intent"
                        value="cancel"
                        className="secondary"
                        aria-label={`${t('library.rotations.cancel')}: ${r.title}`}
                      >
                        {t('library.rotations.cancel')}
                      </button>
                    ) : null}
                  </Form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

export default function Rotations() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const req = a?.intent === 'request' ? a : undefined;
  const v = req?.values ?? {};
  return (
    <>
      <Breadcrumb items={[{ to: '/library', label: t('library.catalogue.title') }, { label: t('library.rotations.title') }]} />
      <h1>{t('library.rotations.title')}</h1>
      <p className="muted">{t('library.rotations.intro')}</p>
      <FormError error={a?.errors?._form} />
      {d.libraries.length > 0 ? (
        <p>
          <Link to="/library/settings">{t('library.settings.title')}</Link>
        </p>
      ) : null}

      {d.libraries.map((l) => (
        <section key={l.id} aria-labelledby={`lib-${l.id}`}>
          <h2 id={`lib-${l.id}`}>{l.name}</h2>
          <h3>{t('library.rotations.outgoing')}</h3>
          <RotationTable rows={l.outgoing} actions="outgoing" />
          <h3>{t('library.rotations.incoming')}</h3>
          <RotationTable rows={l.incoming} actions="incoming" />
        </section>
      ))}

      {d.libraries.length > 0 ? (
        <section className="card" aria-labelledby="req-h">
          <h2 id="req-h">{t('library.rotations.request')}</h2>
          <Form method="get" role="search" className="actions" aria-label={t('library.rotations.findBook')}>
            <label htmlFor="rot-q">{t('library.rotations.findBook')}</label>
            <input id="rot-q" name="q" type="search" defaultValue={d.q} maxLength={100} />
            <button type="submit" className="secondary">
              {t('library.bookshelves.find')}
            </button>
          </Form>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="request" />
            <SelectField
              name="holdingId"
              label={t('library.rotations.bookAt')}
              defaultValue={v.holdingId ?? ''}
              error={req?.errors.holdingId}
              required
            >
              <option value="">{t('common.choose')}</option>
              {d.offers.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </SelectField>
            <SelectField
              name="toLibraryId"
              label={t('library.rotations.to')}
              defaultValue={v.toLibraryId ?? (d.libraries.length === 1 ? d.libraries[0]!.id : '')}
              error={req?.errors.toLibraryId}
              required
            >
              <option value="">{t('common.choose')}</option>
              {d.libraries.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </SelectField>
            <div className="form-grid">
              <TextField
                name="copies"
                type="number"
                min={1}
                max={999}
                label={t('library.rotations.copies')}
                defaultValue={v.copies ?? '1'}
                error={req?.errors.copies}
                required
              />
              <TextField
                name="startsOn"
                type="date"
                label={t('library.rotations.startsOn')}
                defaultValue={v.startsOn ?? d.today}
                error={req?.errors.startsOn}
                required
              />
              <TextField
                name="endsOn"
                type="date"
                label={t('library.rotations.endsOn')}
                defaultValue={v.endsOn}
                error={req?.errors.endsOn}
                required
              />
            </div>
            <button type="submit" className="primary">
              {t('library.rotations.send')}
            </button>
          </Form>
        </section>
      ) : null}

      {d.organised.map((o) => (
        <section key={o.id} aria-labelledby={`org-${o.id}`}>
          <h2 id={`org-${o.id}`}>
            {t('library.rotations.subtree')}: {o.name}
          </h2>
          <RotationTable rows={o.rotations} />
        </section>
      ))}
    </>
  );
}
