import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, TextField } from '~/components/Field';
import { getLoanDays, HOLD_LIMIT, LOAN_LIMIT } from '~/domain/library/circulation.server';
import { setLoanDaysAs } from '~/domain/library/manage.server';
import { librarianLibraries } from '~/domain/library/titles.server';
import { loanDaysSchema } from '~/forms/library-rotation';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden } from '~/lib/http.server';
import { localName } from '~/lib/names';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const libraries = (await librarianLibraries(db, user.id)).slice(0, 50);
  if (libraries.length === 0) forbidden();
  const locale = detectLocale(request);
  return json({
    title: getT(locale)('library.settings.title'),
    loanLimit: LOAN_LIMIT,
    holdLimit: HOLD_LIMIT,
    libraries: await Promise.all(
      libraries.map(async (l) => ({
        id: l.id,
        name: localName(l, locale),
        loanDays: await getLoanDays(db, l.id),
      })),
    ),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(loanDaysSchema, await request.formData());
  const libraryId = r.values.libraryId ?? '';
  if (!r.ok) return badRequest({ libraryId, errors: r.errors, values: r.values });
  const done = await setLoanDaysAs(getDb(), user.id, r.data.libraryId, r.data.loanDays);
  if (!done.ok) forbidden();
  return redirectWithFlash('/library/settings', { message: 'common.saved' });
}

export default function LibrarySettings() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/library', label: t('library.catalogue.title') },
          { to: '/library/rotations', label: t('library.rotations.title') },
          { label: t('library.settings.title') },
        ]}
      />
      <h1>{t('library.settings.title')}</h1>
      <p className="muted">{t('library.settings.intro', { loans: d.loanLimit, holds: d.holdLimit })}</p>
      <FormError error={a?.errors?.libraryId} />
      {d.libraries.map((l) => {
        const mine = a?.libraryId === l.id ? a : undefined;
        return (
          <Form method="post" key={l.id} className="card" noValidate>
            <h2 style={{ marginTop: 0 }}>{l.name}</h2>
            <input type="hidden" name="libraryId" value={l.id} />
            <TextField
              id={`days-${l.id}`}
              name="loanDays"
              type="number"
              min={1}
              max={90}
              label={t('library.rotations.loanDays')}
              hint={t('library.settings.loanDaysHint')}
              defaultValue={mine?.values?.loanDays ?? String(l.loanDays)}
              error={mine?.errors?.loanDays}
              required
            />
            <button type="submit" className="primary">
              {t('library.rotations.saveLoanDays')}
            </button>
          </Form>
        );
      })}
    </>
  );
}
