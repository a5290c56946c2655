import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextField } from '~/components/Field';
import { runBookshelves } from '~/domain/library/actions.server';
import { teachingUnits } from '~/domain/library/manage.server';
import { memberShelves, teacherShelves } from '~/domain/library/shelves.server';
import { bookshelvesSchema } from '~/forms/library-shelf';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { shelfFailures } from '~/lib/failures/library.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { localName } from '~/lib/names';
import styles from '~/styles/library.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const locale = detectLocale(request);
  const [teaching, member, units] = await Promise.all([
    teacherShelves(db, user.id),
    memberShelves(db, user.id),
    teachingUnits(db, user.id),
  ]);
  return json({
    title: getT(locale)('library.bookshelves.title'),
    teaching: teaching.map((s) => ({ id: s.id, name: s.name, code: s.join_code })),
    member,
    units: units.map((u) => ({ id: u.id, name: localName(u, locale) })),
  });
}

/** Which field each refusal belongs next to. */
const FIELD = {
  'join.unknown_code': 'code',
  'join.too_many_tries': 'code',
  'create.forbidden': 'unit_id',
  'create.not_found': 'unit_id',
} as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(bookshelvesSchema, await request.formData());
  const intent = r.values.intent ?? '';
  if (!r.ok) return badRequest({ intent, errors: r.errors, values: r.values });
  const done = await runBookshelves(getDb(), user.id, r.data);
  if (!done.ok) {
    const f = shelfFailures[done.code];
    return json({ intent, errors: { [FIELD[done.code]]: f.message } as FieldErrors, values: r.values }, { status: f.status });
  }
  const { shelfId } = done.value;
  return redirectWithFlash(`/bookshelves/${shelfId}`, {
    message: done.value.done === 'joined' ? 'library.bookshelves.joined' : 'library.bookshelves.created',
  });
}

export default function Bookshelves() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const join = a?.intent === 'join' ? a : undefined;
  const create = a?.intent === 'create' ? a : undefined;
  return (
    <>
      <Breadcrumb items={[{ to: '/library', label: t('library.catalogue.title') }, { label: t('library.bookshelves.title') }]} />
      <h1>{t('library.bookshelves.title')}</h1>
      <p className="muted">{t('library.bookshelves.intro')}</p>
      <FormError error={a?.errors?._form} />

      <section className="card" aria-labelledby="join-h">
        <h2 id="join-h">{t('library.bookshelves.join')}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="join" />
          <TextField
            name="code"
            label={t('library.bookshelves.code')}
            hint={t('library.bookshelves.codeHint')}
            defaultValue={join?.values.code}
            error={join?.errors.code}
            autoComplete="off"
            autoCapitalize="characters"
            maxLength={20}
            className="lib-code"
            required
          />
          <button type="submit" className="primary">
            {t('library.bookshelves.joinButton')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="mine-h">
        <h2 id="mine-h">{t('library.bookshelves.mine')}</h2>
        {d.member.length === 0 ? (
          <p className="muted">{t('library.bookshelves.noneJoined')}</p>
        ) : (
          <ul>
            {d.member.map((s) => (
              <li key={s.id}>
                <Link to={`/bookshelves/${s.id}`}>{s.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      {d.units.length > 0 || d.teaching.length > 0 ? (
        <section aria-labelledby="teach-h">
          <h2 id="teach-h">{t('library.bookshelves.teaching')}</h2>
          {d.teaching.length === 0 ? (
            <p className="muted">{t('library.bookshelves.noneTeaching')}</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('library.bookshelves.name')}</th>
                  <th scope="col">{t('library.bookshelves.joinCode')}</th>
                </tr>
              </thead>
              <tbody>
                {d.teaching.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/bookshelves/${s.id}`}>{s.name}</Link>
                    </td>
                    <td className="lib-code">{s.code}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {d.units.length > 0 ? (
            <Form method="post" className="card" noValidate>
              <h3 style={{ marginTop: 0 }}>{t('library.bookshelves.create')}</h3>
              <input type="hidden" name="intent" value="create" />
              <TextField
                name="name"
                label={t('library.bookshelves.name')}
                hint={t('library.bookshelves.nameHint')}
                defaultValue={create?.values.name}
                error={create?.errors.name}
                maxLength={120}
                required
              />
              <SelectField
                name="unit_id"
                label={t('library.bookshelves.school')}
                defaultValue={create?.values.unit_id ?? (d.units.length === 1 ? d.units[0]!.id : '')}
                error={create?.errors.unit_id}
                required
              >
                <option value="">{t('common.choose')}</option>
                {d.units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </SelectField>
              <button type="submit" className="primary">
                {t('library.bookshelves.createButton')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
