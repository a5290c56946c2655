import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { FormError, SelectField, TextField } from '~/components/Field';
import { ScrollRegion } from '~/components/ScrollRegion';
import { UnitSelect } from '~/components/UnitSelect';
import { ROLES } from '~/db/schema';
import { grantsInUnits, unitsWithRole } from '~/domain/accounts.server';
import { runRolesAdmin } from '~/domain/role-actions.server';
import { rolesAdminSchema } from '~/forms/accounts-roles';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { roleLabel } from '~/i18n/labels';
import { requireAnyRole } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { rolesFailures } from '~/lib/failures/accounts.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden } from '~/lib/http.server';
import { pickLocal } from '~/lib/names';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAnyRole(request, ['admin']);
  const db = getDb();
  const units = await unitsWithRole(db, user.id, 'admin');
  const ids = units.map((u) => u.id);
  const grants = await grantsInUnits(db, ids);
  return json({
    title: getT(detectLocale(request))('accounts.roles.title'),
    units: units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth })),
    grants,
  });
}

/** Which field each refusal belongs next to. */
const FIELD = { unknown_user: 'email', forbidden: '_form' } as const;

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAnyRole(request, ['admin']);
  const r = parseForm(rolesAdminSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const done = await runRolesAdmin(getDb(), admin.id, r.data);
  if (!done.ok) {
    if (done.code === 'forbidden') forbidden();
    const f = rolesFailures[done.code];
    return json({ errors: { [FIELD[done.code]]: f.message } as FieldErrors, values: r.values }, { status: f.status });
  }
  if (done.value === 'gone') return redirect('/admin/roles');
  return redirectWithFlash('/admin/roles', { message: done.value === 'granted' ? 'accounts.roles.granted' : 'accounts.roles.revoked' });
}

export default function AdminRoles() {
  const { units, grants } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, locale } = useT();
  const errors: FieldErrors = data?.errors ?? {};
  const v: Record<string, string> = data?.values ?? {};
  return (
    <>
      <h1>{t('accounts.roles.title')}</h1>
      <section className="card" aria-labelledby="grant-h">
        <h2 id="grant-h" style={{ marginTop: 0 }}>
          {t('accounts.roles.grant')}
        </h2>
        <FormError error={errors._form} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="grant" />
          <div className="form-grid">
            <TextField name="email" type="email" label={t('accounts.fields.email')} defaultValue={v.email} error={errors.email} required />
            <UnitSelect
              name="unitId"
              label={t('accounts.roles.unit')}
              units={units}
              defaultValue={v.unitId}
              error={errors.unitId}
              optional={false}
              hint={t('accounts.roles.subtreeHint')}
            />
            <SelectField name="role" label={t('accounts.roles.role')} defaultValue={v.role ?? ''} error={errors.role} required>
              <option value="">{t('common.choose')}</option>
              {ROLES.filter((r) => r !== 'citizen').map((r) => (
                <option key={r} value={r}>
                  {t(roleLabel[r])}
                </option>
              ))}
            </SelectField>
          </div>
          <button type="submit" className="primary">
            {t('accounts.roles.grant')}
          </button>
        </Form>
      </section>
      <h2 id="current-roles">{t('accounts.roles.current')}</h2>
      <ScrollRegion labelledBy="current-roles">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('accounts.fields.displayName')}</th>
              <th scope="col">{t('accounts.roles.role')}</th>
              <th scope="col">{t('accounts.roles.unit')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {grants.map((g) => (
              <tr key={g.id}>
                <td>
                  {g.display_name}
                  <br />
                  <span className="muted">{g.email}</span>
                </td>
                <td>{t(roleLabel[g.role])}</td>
                <td>{pickLocal(g.unit_name, g.unit_name_en, locale)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="grantId" value={g.id} />
                    <button type="submit" className="danger button small">
                      {t('accounts.roles.revoke')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
