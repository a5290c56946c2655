import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';

import { TextArea } from '~/components/Field';
import { mayReorganise } from '~/domain/units/access.server';
import { type ImportErrorCode, type ImportField, type ImportRowError, importUnits } from '~/domain/units/import.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import type { TKey } from '~/i18n/keys';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { forbidden } from '~/lib/http.server';
import { receiveUnitList } from '~/lib/uploads/unit-list-form.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

const EXAMPLE = `code,name,kind,parent_code,valid_from
05443,Phường Phan Đình Phùng,phường,thai-nguyen,01/07/2025
05443-01,Trường THCS Trưng Vương,trường,05443,01/07/2025`;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!(await mayReorganise(getDb(), user.id))) forbidden();
  return json({ title: getT(detectLocale(request))('units.import.title') });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  if (!(await mayReorganise(db, user.id))) forbidden();
  const { csv, pasted, tooBig } = await receiveUnitList(request);
  const fail = (errors: ImportRowError[], status = 422) => json({ errors, pasted, needFile: false }, { status });
  if (tooBig) return fail([{ line: 0, field: 'row', code: 'too_many', value: '' }], 413);
  if (!csv.trim()) return json({ errors: [] as ImportRowError[], pasted, needFile: true }, { status: 400 });
  const r = await importUnits(db, user.id, csv);
  if (!r.ok) return fail(r.errors);
  return redirectWithFlash('/units/reorganise', { message: 'units.flash.imported', params: { count: r.created } });
}

const COLUMN_KEYS: Record<ImportField, TKey> = {
  code: 'units.import.columns.code',
  name: 'units.import.columns.name',
  kind: 'units.import.columns.kind',
  parent_code: 'units.import.columns.parent_code',
  valid_from: 'units.import.columns.valid_from',
  row: 'units.import.columns.row',
};
const CODE_KEYS: Record<ImportErrorCode, TKey> = {
  unreadable: 'units.import.codes.unreadable',
  empty: 'units.import.codes.empty',
  too_many: 'units.import.codes.too_many',
  columns: 'units.import.codes.columns',
  required: 'units.import.codes.required',
  bad_kind: 'units.import.codes.bad_kind',
  bad_date: 'units.import.codes.bad_date',
  duplicate_code: 'units.import.codes.duplicate_code',
  code_exists: 'units.import.codes.code_exists',
  parent_missing: 'units.import.codes.parent_missing',
  parent_not_in_force: 'units.import.codes.parent_not_in_force',
  forbidden: 'units.import.codes.forbidden',
};

export default function ImportUnits() {
  const data = useActionData<typeof action>();
  const { t } = useT();
  const errors = data?.errors ?? [];
  return (
    <>
      <p>
        <Link to="/units/reorganise">{t('units.reorganise.title')}</Link>
      </p>
      <h1>{t('units.import.title')}</h1>
      <p>{t('units.import.intro')}</p>
      <h2 id="example-title">{t('units.import.example')}</h2>
      <pre className="code-sample" style={{ overflowX: 'auto' }}>
        {EXAMPLE}
      </pre>
      {errors.length ? (
        <section aria-labelledby="import-errors" className="form-error" role="alert">
          <h2 id="import-errors">{t('units.import.errorsTitle', { count: errors.length })}</h2>
          <div className="table-wrap" role="region" aria-labelledby="import-errors">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('units.import.line')}</th>
                  <th scope="col">{t('units.import.column')}</th>
                  <th scope="col">{t('units.import.problem')}</th>
                  <th scope="col">{t('units.import.value')}</th>
                </tr>
              </thead>
              <tbody>
                {errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.line || '—'}</td>
                    <td>{t(COLUMN_KEYS[e.field])}</td>
                    <td>{t(CODE_KEYS[e.code])}</td>
                    <td>{e.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <Form method="post" encType="multipart/form-data">
        {data?.needFile ? (
          <div className="form-error" role="alert">
            {t('units.import.needFile')}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="unit-list-file">{t('units.import.file')}</label>
          <input id="unit-list-file" type="file" name="file" accept=".csv,text/csv" />
        </div>
        <TextArea name="csv_text" label={t('units.import.text')} rows={8} defaultValue={data?.pasted ?? ''} />
        <button type="submit">{t('units.import.submit')}</button>
      </Form>
    </>
  );
}
