import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { SelectField, TextField } from '~/components/Field';
import { UnitSelect } from '~/components/UnitSelect';
import { UNIT_KINDS, type UnitChangeKind } from '~/db/schema';
import { unitsWithRole } from '~/domain/accounts.server';
import { mayReorganise } from '~/domain/units/access.server';
import { reorganiseIntent, toReorganisation } from '~/domain/units/actions.server';
import { recentChanges, type ReorganisationPreview, type ReorganiseError } from '~/domain/units/reorganise.server';
import { reorganiseSchema } from '~/forms/units';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { asKey, type TKey } from '~/i18n/keys';
import { labelText, unitKindLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { formatDate, todayInVietnam } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { forbidden } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  if (!(await mayReorganise(db, user.id))) forbidden();
  const [units, log] = await Promise.all([unitsWithRole(db, user.id, 'organiser'), recentChanges(db, 30)]);
  return json({
    title: getT(detectLocale(request))('units.reorganise.title'),
    today: todayInVietnam(),
    units: units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth, parent_id: u.parent_id })),
    log,
  });
}

/** Which field (or the form as a whole) shows each refusal of the domain, and its status. */
const FAILURES: Record<ReorganiseError, { field: string; message: string; status: 403 | 404 | 409 | 422 }> = {
  forbidden: { field: '_form', message: 'units.errors.forbidden', status: 403 },
  not_found: { field: '_form', message: 'units.errors.not_found', status: 404 },
  not_in_force: { field: '_form', message: 'units.errors.not_in_force', status: 409 },
  cycle: { field: '_form', message: 'units.errors.cycle', status: 422 },
  slug_taken: { field: 'new_slug', message: 'units.errors.slug_taken', status: 409 },
  code_taken: { field: '_form', message: 'units.errors.code_taken', status: 409 },
  no_sources: { field: 'sources', message: 'units.errors.no_sources', status: 422 },
  date_order: { field: '_form', message: 'units.errors.date_order', status: 422 },
};

type ActionData = {
  op: string;
  errors: Record<string, string>;
  params?: Record<string, string | number>;
  values: Record<string, string>;
  preview: ReorganisationPreview | null;
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const fd = await request.formData();
  // A multiple select sends one value per unit: the schema reads them joined.
  const sources = fd.getAll('sources').filter((v): v is string => typeof v === 'string' && v !== '');
  if (fd.has('sources')) fd.set('sources', sources.join(','));
  const op = String(fd.get('op') ?? '');
  const answer = (data: Omit<ActionData, 'op'>, status = 200) => json<ActionData>({ op, ...data }, { status });
  const r = parseForm(reorganiseSchema, fd);
  if (!r.ok) return answer({ errors: r.errors, values: r.values, preview: null }, 400);
  const m = toReorganisation(r.data);
  if (!m.ok) return answer({ errors: { [m.fieldError!.field]: m.fieldError!.message }, values: r.values, preview: null }, 400);
  const res = await reorganiseIntent(getDb(), user.id, m.value, r.data.intent);
  if (!res.ok) {
    const f = FAILURES[res.code];
    return answer({ errors: { [f.field]: f.message }, params: res.detail, values: r.values, preview: null }, f.status);
  }
  if (res.value.applied) return redirectWithFlash('/units/reorganise', { message: 'units.flash.applied' });
  return answer({ errors: {}, values: r.values, preview: res.value.preview });
}

const LINEAGE_KEYS = {
  merged_into: 'units.history.merged_into',
  split_from: 'units.history.split_from',
  renamed_to: 'units.history.renamed_to',
} as const;
const CHANGE_KEYS: Record<UnitChangeKind, TKey> = {
  created: 'units.changeKinds.created',
  moved: 'units.changeKinds.moved',
  dissolved: 'units.changeKinds.dissolved',
  renamed: 'units.changeKinds.renamed',
  merged: 'units.changeKinds.merged',
  imported: 'units.changeKinds.imported',
  role_carried: 'units.changeKinds.role_carried',
  home_carried: 'units.changeKinds.home_carried',
};

function Preview({ preview, values }: { preview: ReorganisationPreview; values: Record<string, string> }) {
  const { t } = useT();
  const list = (items: string[]) =>
    items.length ? (
      <ul>
        {items.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
    ) : (
      <p className="muted">{t('units.reorganise.nothing')}</p>
    );
  return (
    <section aria-labelledby="preview-title" className="card preview" tabIndex={-1} id="preview">
      <h2 id="preview-title">{t('units.reorganise.previewTitle')}</h2>
      <p>{t('units.reorganise.previewOn', { date: formatDate(preview.on) })}</p>
      {preview.created ? (
        <p>
          {t('units.reorganise.created', {
            name: preview.created.name,
            kind: labelText(t, unitKindLabel, preview.created.kind),
            parent: preview.created.parent,
          })}
        </p>
      ) : preview.target ? (
        <p>
          {t('units.reorganise.target')}: {preview.target.name}
        </p>
      ) : null}
      <h3>{t('units.reorganise.dissolved')}</h3>
      {list(
        preview.dissolved.map((d) => `${d.name} — ${t(LINEAGE_KEYS[d.lineage])} ${preview.created?.name ?? preview.target?.name ?? ''}`),
      )}
      <h3>{t('units.reorganise.moved')}</h3>
      {list(preview.moved.map((m) => t('units.reorganise.movedItem', { name: m.name, from: m.from, to: m.to })))}
      <h3>{t('units.reorganise.roles')}</h3>
      {list(preview.roles.map((r) => t('units.reorganise.roleItem', { email: r.email, role: r.role, from: r.from, to: r.to })))}
      <p>{t('units.reorganise.homes', { count: preview.homes })}</p>
      <Form method="post" className="actions">
        {Object.entries(values)
          .filter(([k]) => k !== 'intent' && k !== 'sources')
          .map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
        {(values.sources ?? '')
          .split(',')
          .filter(Boolean)
          .map((s) => (
            <input key={s} type="hidden" name="sources" value={s} />
          ))}
        <button type="submit" name="intent" value="apply">
          {t('units.reorganise.apply')}
        </button>{' '}
        <Link to="/units/reorganise">{t('units.reorganise.cancel')}</Link>
      </Form>
    </section>
  );
}

export default function Reorganise() {
  const { units, log, today } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  const mine = (op: string) => (data && data.op === op ? data : null);
  /** The translation key of a field's error (the field components translate it). */
  const err = (op: string, field: string) => {
    const k = mine(op)?.errors[field];
    return k ? asKey(k) : undefined;
  };
  const val = (op: string, field: string, fallback = '') => mine(op)?.values[field] ?? fallback;
  const formError = (op: string) => {
    const key = err(op, '_form');
    return key ? t(key, mine(op)?.params ?? {}) : undefined;
  };
  const selectedSources = new Set(val('merge', 'sources').split(',').filter(Boolean));
  const kinds = UNIT_KINDS.filter((k) => k !== 'ministry');
  return (
    <>
      <h1>{t('units.reorganise.title')}</h1>
      <p className="muted">{t('units.reorganise.intro')}</p>
      <p>
        <Link to="/units/import">{t('units.reorganise.importLink')}</Link>
      </p>
      {data?.preview ? <Preview preview={data.preview} values={data.values} /> : null}

      <Form method="post" aria-labelledby="merge-title" noValidate>
        <fieldset>
          <legend id="merge-title">{t('units.reorganise.mergeTitle')}</legend>
          <input type="hidden" name="op" value="merge" />
          {formError('merge') ? (
            <div className="form-error" role="alert">
              {formError('merge')}
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="merge-sources">{t('units.reorganise.sources')}</label>
            <p className="field-hint" id="merge-sources-hint">
              {t('units.reorganise.sourcesHint')}
            </p>
            <select
              id="merge-sources"
              name="sources"
              multiple
              size={8}
              defaultValue={[...selectedSources]}
              aria-describedby={`merge-sources-hint${err('merge', 'sources') ? ' merge-sources-error' : ''}`}
              aria-invalid={err('merge', 'sources') ? true : undefined}
            >
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {'\u00a0\u00a0'.repeat(Math.max(0, u.depth - (units[0]?.depth ?? 0)))}
                  {u.name}
                </option>
              ))}
            </select>
            {err('merge', 'sources') ? (
              <p className="field-error" id="merge-sources-error" role="alert">
                {t(err('merge', 'sources')!)}
              </p>
            ) : null}
          </div>
          <fieldset>
            <legend>{t('units.reorganise.targetMode')}</legend>
            <label>
              <input type="radio" name="target_mode" value="new" defaultChecked={val('merge', 'target_mode', 'new') === 'new'} />{' '}
              {t('units.reorganise.targetNew')}
            </label>{' '}
            <label>
              <input type="radio" name="target_mode" value="existing" defaultChecked={val('merge', 'target_mode') === 'existing'} />{' '}
              {t('units.reorganise.targetExisting')}
            </label>
          </fieldset>
          <div className="form-grid">
            <TextField
              name="new_name"
              id="merge-new-name"
              label={t('units.reorganise.newName')}
              defaultValue={val('merge', 'new_name')}
              error={err('merge', 'new_name')}
            />
            <TextField
              name="new_name_en"
              id="merge-new-name-en"
              label={t('units.reorganise.newNameEn')}
              defaultValue={val('merge', 'new_name_en')}
            />
            <TextField
              name="new_slug"
              id="merge-new-slug"
              label={t('units.reorganise.newSlug')}
              hint={t('units.reorganise.newSlugHint')}
              defaultValue={val('merge', 'new_slug')}
              error={err('merge', 'new_slug')}
            />
            <SelectField
              name="new_kind"
              id="merge-new-kind"
              label={t('units.reorganise.newKind')}
              defaultValue={val('merge', 'new_kind', 'ward')}
              error={err('merge', 'new_kind')}
            >
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(unitKindLabel[k])}
                </option>
              ))}
            </SelectField>
          </div>
          <UnitSelect
            name="new_parent"
            label={t('units.reorganise.newParent')}
            units={units}
            defaultValue={val('merge', 'new_parent')}
            error={err('merge', 'new_parent')}
          />
          <UnitSelect
            name="target"
            label={t('units.reorganise.target')}
            units={units}
            defaultValue={val('merge', 'target')}
            error={err('merge', 'target')}
          />
          <TextField
            name="effective_on"
            id="merge-effective-on"
            type="date"
            label={t('units.reorganise.effectiveOn')}
            defaultValue={val('merge', 'effective_on', today)}
            error={err('merge', 'effective_on')}
          />
          <button type="submit" name="intent" value="preview">
            {t('units.reorganise.preview')}
          </button>
        </fieldset>
      </Form>

      <Form method="post" aria-labelledby="move-title" noValidate>
        <fieldset>
          <legend id="move-title">{t('units.reorganise.moveTitle')}</legend>
          <input type="hidden" name="op" value="move" />
          {formError('move') ? (
            <div className="form-error" role="alert">
              {formError('move')}
            </div>
          ) : null}
          <UnitSelect
            id="move-unit"
            name="unit"
            label={t('units.reorganise.unit')}
            units={units}
            optional={false}
            defaultValue={val('move', 'unit')}
            error={err('move', 'unit')}
          />
          <UnitSelect
            id="move-parent"
            name="parent"
            label={t('units.reorganise.parent')}
            units={units}
            optional={false}
            defaultValue={val('move', 'parent')}
            error={err('move', 'parent')}
          />
          <TextField
            name="effective_on"
            id="move-effective-on"
            type="date"
            label={t('units.reorganise.effectiveOn')}
            defaultValue={val('move', 'effective_on', today)}
            error={err('move', 'effective_on')}
          />
          <button type="submit" name="intent" value="preview">
            {t('units.reorganise.preview')}
          </button>
        </fieldset>
      </Form>

      <Form method="post" aria-labelledby="rename-title" noValidate>
        <fieldset>
          <legend id="rename-title">{t('units.reorganise.renameTitle')}</legend>
          <input type="hidden" name="op" value="rename" />
          {formError('rename') ? (
            <div className="form-error" role="alert">
              {formError('rename')}
            </div>
          ) : null}
          <UnitSelect
            id="rename-unit"
            name="unit"
            label={t('units.reorganise.unit')}
            units={units}
            optional={false}
            defaultValue={val('rename', 'unit')}
            error={err('rename', 'unit')}
          />
          <div className="form-grid">
            <TextField
              name="new_name"
              id="rename-new-name"
              label={t('units.reorganise.newName')}
              defaultValue={val('rename', 'new_name')}
              error={err('rename', 'new_name')}
            />
            <TextField
              name="new_name_en"
              id="rename-new-name-en"
              label={t('units.reorganise.newNameEn')}
              defaultValue={val('rename', 'new_name_en')}
            />
            <TextField
              name="new_slug"
              id="rename-new-slug"
              label={t('units.reorganise.newSlug')}
              hint={t('units.reorganise.newSlugHint')}
              defaultValue={val('rename', 'new_slug')}
              error={err('rename', 'new_slug')}
            />
          </div>
          <TextField
            name="effective_on"
            id="rename-effective-on"
            type="date"
            label={t('units.reorganise.effectiveOn')}
            defaultValue={val('rename', 'effective_on', today)}
            error={err('rename', 'effective_on')}
          />
          <button type="submit" name="intent" value="preview">
            {t('units.reorganise.preview')}
          </button>
        </fieldset>
      </Form>

      <section aria-labelledby="log-title">
        <h2 id="log-title">{t('units.reorganise.log')}</h2>
        {log.length ? (
          <div className="table-wrap" role="region" aria-labelledby="log-title">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('units.reorganise.logWhen')}</th>
                  <th scope="col">{t('units.reorganise.logWhat')}</th>
                </tr>
              </thead>
              <tbody>
                {log.map((c) => (
                  <tr key={c.id}>
                    <td>{formatDate(c.effective_on)}</td>
                    <td>
                      <strong>{t(CHANGE_KEYS[c.kind])}</strong> · {c.detail}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t('units.reorganise.logEmpty')}</p>
        )}
      </section>
    </>
  );
}
