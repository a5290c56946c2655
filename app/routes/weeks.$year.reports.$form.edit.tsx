import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { UNIT_KINDS } from '~/db/schema';
import { INDICATOR_TYPES } from '~/db/schema/reports';
import { formEditor, formEditorPage, runFormEdit } from '~/domain/reports/editor.server';
import type { PrefillSource } from '~/domain/reports/prefill.server';
import { formEditorSchema } from '~/forms/reports-editor';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import { unitKindLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { formatDate, formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { formEditorFailures } from '~/lib/failures/reports.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/reports.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.form.title }] : []);

async function editorFor(request: Request, params: LoaderFunctionArgs['params']) {
  const user = await requireUser(request);
  const db = getDb();
  const year = Number(params.year);
  if (!Number.isInteger(year)) notFound();
  const a = await formEditor(db, year, params.form ?? '', user.id);
  if (a.status === 'missing') notFound();
  if (a.status === 'forbidden') forbidden();
  return { db, editor: a.editor, year };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, editor, year } = await editorFor(request, params);
  const page = await formEditorPage(db, editor);
  const en = detectLocale(request) === 'en';
  const f = page.def.form;
  return json({
    year,
    form: {
      slug: f.slug,
      version: f.version,
      title: en ? f.title_en : f.title_vi,
      titleVi: f.title_vi,
      titleEn: f.title_en,
      deadline: formatDate(f.deadline),
      lockDate: formatDate(f.lock_date),
      docCode: f.doc_code,
      appliesTo: f.appliesTo,
      rules: f.rules,
    },
    sections: page.def.sections.map((s) => ({
      id: s.id,
      titleVi: s.title_vi,
      titleEn: s.title_en,
      indicators: s.indicators.map((i) => ({
        id: i.id,
        code: i.code,
        labelVi: i.label_vi,
        labelEn: i.label_en,
        label: en ? i.label_en : i.label_vi,
        type: i.type,
        min: i.min,
        max: i.max,
        required: i.required === 1,
        source: i.source,
        answered: page.answered.has(i.id),
      })),
    })),
    versions: page.versions,
    reportsByVersion: page.reportsByVersion,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, editor } = await editorFor(request, params);
  const parsed = parseForm(formEditorSchema, await request.formData());
  const target = parsed.values.indicatorId || parsed.values.sectionId || parsed.values.intent || '';
  if (!parsed.ok) return json({ target, errors: parsed.errors, values: parsed.values, message: null, params: {} }, { status: 400 });
  const r = await runFormEdit(db, editor, parsed.data);
  if (r.ok) return redirectWithFlash(new URL(request.url).pathname, { message: 'reports.editor.flash.saved' });
  const fail = formEditorFailures[r.code];
  return json(
    { target, errors: {} as Record<string, string>, values: parsed.values, message: fail.message, params: r.detail ?? {} },
    { status: fail.status },
  );
}

type Indicator = ReturnType<typeof useLoaderData<typeof loader>>['sections'][number]['indicators'][number];

const TYPE_LABEL = {
  count: 'reports.editor.types.count',
  vnd: 'reports.editor.types.vnd',
  text: 'reports.editor.types.text',
  bool: 'reports.editor.types.bool',
} as const;
const SOURCE_LABEL = {
  'opening.held': 'reports.sources.opening.held',
  'activities.all': 'reports.sources.activities.all',
  'activities.ceremony': 'reports.sources.activities.ceremony',
  'activities.talk': 'reports.sources.activities.talk',
  'activities.exhibition': 'reports.sources.activities.exhibition',
  'activities.training': 'reports.sources.activities.training',
  'activities.contest': 'reports.sources.activities.contest',
  'activities.club_meeting': 'reports.sources.activities.club_meeting',
  'activities.outreach': 'reports.sources.activities.outreach',
  loans: 'reports.sources.loans',
  'online.learners': 'reports.sources.online.learners',
  'course.enrolments': 'reports.sources.course.enrolments',
  'course.completions': 'reports.sources.course.completions',
  'contest.entrants': 'reports.sources.contest.entrants',
  'contest.winners': 'reports.sources.contest.winners',
  'club.meetings': 'reports.sources.club.meetings',
  'club.attendance': 'reports.sources.club.attendance',
  'resources.published': 'reports.sources.resources.published',
  'reading.minutes': 'reports.sources.reading.minutes',
  'honours.commended': 'reports.sources.honours.commended',
} as const satisfies Record<PrefillSource, string>;
/**
 * The sources in the editor's list, in the labels' order: the route renders in the browser too, where
 * a `.server` module's values do not exist (PREFILL_SOURCES there is undefined), so only its type is imported.
 */
const SOURCES = Object.keys(SOURCE_LABEL) as PrefillSource[];

export default function FormEditorPage() {
  const data = useLoaderData<typeof loader>();
  const ad = useActionData<typeof action>();
  const { t } = useT();
  const { form, year } = data;
  /** What was typed in the form that was sent (kept), else the stored value. */
  const mine = (target: string) => (ad && ad.target === target ? ad : null);
  const val = (target: string, name: string, stored: string) => {
    const a = mine(target);
    return a && a.values[name] != null ? a.values[name]! : stored;
  };
  const fieldError = (target: string, name: string) => {
    const m = mine(target)?.errors[name];
    return m ? t(asKey(m)) : null;
  };
  const formError = (target: string) => {
    const a = mine(target);
    if (!a) return null;
    const m = a.message ?? a.errors._form;
    return m ? (
      <p className="form-error" role="alert">
        {t(asKey(m), a.params)}
      </p>
    ) : null;
  };
  const numeric = data.sections.flatMap((s) => s.indicators).filter((i) => i.type !== 'text');
  const labelOf = (code: string) => numeric.find((i) => i.code === code)?.label ?? code;
  /** The Vietnamese and English title fields (the form, a section, a new section). */
  const titleRows = (vi: string, en: string) => [
    { name: 'titleVi', label: t('reports.editor.titleVi'), stored: vi },
    { name: 'titleEn', label: t('reports.editor.titleEn'), stored: en },
  ];
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version" value={form.version} />
    </>
  );

  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${year}`, label: t('weeks.weekOfYear', { year }) },
          { to: `/weeks/${year}/reports`, label: t('reports.title', { year }) },
          { label: t('reports.editor.title') },
        ]}
      />
      <h1>
        {t('reports.editor.title')}
        <span className="report-unit">{form.title}</span>
      </h1>
      <p className="report-meta" data-testid="form-version">
        {t('reports.editor.version', { version: form.version })}
      </p>

      <section aria-labelledby="settings" className="report-panel">
        <h2 id="settings">{t('reports.editor.settings')}</h2>
        {formError('settings')}
        <Form method="post" noValidate className="editor-form">
          {hidden('settings')}
          <TextFields
            target="settings"
            idp="s"
            val={val}
            fieldError={fieldError}
            rows={[
              ...titleRows(form.titleVi, form.titleEn),
              { name: 'deadline', label: t('reports.editor.deadline'), stored: form.deadline },
              { name: 'lockDate', label: t('reports.editor.lockDate'), stored: form.lockDate },
              { name: 'docCode', label: t('reports.editor.docCode'), stored: form.docCode },
            ]}
          />
          <fieldset className="levels">
            <legend>{t('reports.editor.levels')}</legend>
            {UNIT_KINDS.map((k) => (
              <label key={k} className="check">
                <input
                  type="checkbox"
                  name={`level_${k}`}
                  defaultChecked={mine('settings') ? mine('settings')!.values[`level_${k}`] === 'on' : form.appliesTo.includes(k)}
                />{' '}
                {t(unitKindLabel[k])}
              </label>
            ))}
          </fieldset>
          <button type="submit">{t('reports.editor.saveSettings')}</button>
        </Form>
      </section>

      <section aria-labelledby="sections">
        <h2 id="sections">{t('reports.editor.sections')}</h2>
        {data.sections.map((s, si) => (
          <section key={s.id} className="report-panel" aria-labelledby={`sec-${s.id}`}>
            <h3 id={`sec-${s.id}`}>
              {t('reports.editor.section', { n: si + 1 })}: {s.titleVi}
            </h3>
            {formError(s.id)}
            <Form method="post" noValidate className="editor-form inline">
              {hidden('renameSection')}
              <input type="hidden" name="sectionId" value={s.id} />
              <TextFields target={s.id} idp={s.id} val={val} fieldError={fieldError} rows={[...titleRows(s.titleVi, s.titleEn)]} />
              <button type="submit" className="secondary">
                {t('reports.editor.renameSection')}
              </button>
            </Form>
            {s.indicators.map((i, k) => (
              <IndicatorEditor
                key={i.id}
                i={i}
                first={k === 0}
                last={k === s.indicators.length - 1}
                hidden={hidden}
                val={val}
                fieldError={fieldError}
                formError={formError}
              />
            ))}
            <details className="editor-new" open={mine(s.id)?.values.intent === 'addIndicator'}>
              <summary>{t('reports.editor.addIndicator')}</summary>
              <Form method="post" noValidate className="editor-form">
                {hidden('addIndicator')}
                <input type="hidden" name="sectionId" value={s.id} />
                <TextField
                  name="code"
                  label={t('reports.editor.code')}
                  value={val(s.id, 'code', '')}
                  error={fieldError(s.id, 'code')}
                  idp={`new-${s.id}`}
                />
                <IndicatorFields target={s.id} idp={`new-${s.id}`} val={val} fieldError={fieldError} />
                <button type="submit">{t('reports.editor.addIndicator')}</button>
              </Form>
            </details>
            <Form method="post" className="editor-remove">
              {hidden('removeSection')}
              <input type="hidden" name="sectionId" value={s.id} />
              <button type="submit" className="secondary danger">
                {t('reports.editor.removeSection')}
              </button>
            </Form>
          </section>
        ))}
        <section className="report-panel" aria-labelledby="add-section">
          <h3 id="add-section">{t('reports.editor.addSection')}</h3>
          {formError('addSection')}
          <Form method="post" noValidate className="editor-form inline">
            {hidden('addSection')}
            <TextFields target="addSection" idp="ns" val={val} fieldError={fieldError} rows={[...titleRows('', '')]} />
            <button type="submit">{t('reports.editor.addSection')}</button>
          </Form>
        </section>
      </section>

      <section aria-labelledby="rules" className="report-panel">
        <h2 id="rules">{t('reports.editor.rules')}</h2>
        {formError('removeRule')}
        {form.rules.length ? (
          <ul>
            {form.rules.map((r, k) => (
              <li key={k}>
                {labelOf(r.left)} {r.op === '>=' ? '≥' : r.op === '<=' ? '≤' : '='} {labelOf(r.right)}{' '}
                <Form method="post" className="inline-form">
                  {hidden('removeRule')}
                  <input type="hidden" name="index" value={k} />
                  <button type="submit" className="secondary small">
                    {t('reports.editor.removeRule')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('reports.editor.noRules')}</p>
        )}
        {formError('addRule')}
        <Form method="post" className="editor-form inline">
          {hidden('addRule')}
          <div className="field">
            <label htmlFor="rule-left">{t('reports.editor.ruleLeft')}</label>
            <select id="rule-left" name="left" defaultValue={val('addRule', 'left', '')}>
              {numeric.map((i) => (
                <option key={i.code} value={i.code}>
                  {i.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="rule-op">{t('reports.editor.ruleOp')}</label>
            <select id="rule-op" name="op" defaultValue={val('addRule', 'op', '>=')}>
              <option value=">=">≥</option>
              <option value="<=">≤</option>
              <option value="=">=</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="rule-right">{t('reports.editor.ruleRight')}</label>
            <select id="rule-right" name="right" defaultValue={val('addRule', 'right', '')}>
              {numeric.map((i) => (
                <option key={i.code} value={i.code}>
                  {i.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t('reports.editor.addRule')}</button>
        </Form>
      </section>

      <section aria-labelledby="versions" className="report-panel">
        <h2 id="versions">{t('reports.editor.versions')}</h2>
        <p className="muted">{t('reports.editor.versionsHint')}</p>
        <ul>
          {data.reportsByVersion.map((r) => (
            <li key={String(r.version)}>
              {r.version == null
                ? t('reports.editor.reportsOnNoVersion', { count: r.count })
                : t('reports.editor.reportsOnVersion', { count: r.count, version: r.version })}
            </li>
          ))}
        </ul>
        <ol reversed className="report-history">
          {data.versions.map((v) => (
            <li key={v.version}>
              {t('reports.editor.versionLine', { version: v.version, at: formatDateTime(v.at) })}
              {v.by ? ` (${v.by})` : ''}
            </li>
          ))}
        </ol>
        <p>
          <Link to={`/weeks/${year}/reports`}>{t('reports.title', { year })}</Link>
        </p>
      </section>
    </>
  );
}

type ValFn = (target: string, name: string, stored: string) => string;
type ErrFn = (target: string, name: string) => string | null;

function TextField({ name, label, value, error, idp }: { name: string; label: string; value: string; error: string | null; idp: string }) {
  const id = `${idp}-${name}`;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        defaultValue={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Text fields of one form in a row, each with what was typed (kept) or stored, and its message. */
function TextFields({
  target,
  idp,
  rows,
  val,
  fieldError,
}: {
  target: string;
  idp: string;
  rows: Array<{ name: string; label: string; stored: string }>;
  val: ValFn;
  fieldError: ErrFn;
}) {
  return (
    <>
      {rows.map((r) => (
        <TextField
          key={r.name}
          name={r.name}
          label={r.label}
          value={val(target, r.name, r.stored)}
          error={fieldError(target, r.name)}
          idp={idp}
        />
      ))}
    </>
  );
}

function IndicatorFields({
  target,
  idp,
  i,
  val,
  fieldError,
}: {
  target: string;
  idp: string;
  i?: Indicator;
  val: ValFn;
  fieldError: ErrFn;
}) {
  const { t } = useT();
  const typed = val(target, 'intent', '') !== '';
  return (
    <>
      <TextFields
        target={target}
        idp={idp}
        val={val}
        fieldError={fieldError}
        rows={[
          { name: 'labelVi', label: t('reports.editor.labelVi'), stored: i?.labelVi ?? '' },
          { name: 'labelEn', label: t('reports.editor.labelEn'), stored: i?.labelEn ?? '' },
        ]}
      />
      <div className="field">
        <label htmlFor={`${idp}-type`}>{t('reports.editor.type')}</label>
        <select id={`${idp}-type`} name="type" defaultValue={val(target, 'type', i?.type ?? 'count')}>
          {INDICATOR_TYPES.map((k) => (
            <option key={k} value={k}>
              {t(TYPE_LABEL[k])}
            </option>
          ))}
        </select>
      </div>
      <TextFields
        target={target}
        idp={idp}
        val={val}
        fieldError={fieldError}
        rows={[
          { name: 'min', label: t('reports.editor.min'), stored: i?.min == null ? '' : String(i.min) },
          { name: 'max', label: t('reports.editor.max'), stored: i?.max == null ? '' : String(i.max) },
        ]}
      />
      <label className="check">
        <input type="checkbox" name="required" defaultChecked={typed ? val(target, 'required', '') === 'on' : (i?.required ?? true)} />{' '}
        {t('reports.editor.required')}
      </label>
      <div className="field">
        <label htmlFor={`${idp}-source`}>{t('reports.editor.source')}</label>
        <select id={`${idp}-source`} name="source" defaultValue={val(target, 'source', i?.source ?? '')}>
          <option value="">{t('reports.editor.noSource')}</option>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {t(SOURCE_LABEL[s])}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

function IndicatorEditor({
  i,
  first,
  last,
  hidden,
  val,
  fieldError,
  formError,
}: {
  i: Indicator;
  first: boolean;
  last: boolean;
  hidden: (intent: string) => JSX.Element;
  val: ValFn;
  fieldError: ErrFn;
  formError: (target: string) => JSX.Element | null;
}) {
  const { t } = useT();
  return (
    <div className="editor-indicator" data-code={i.code}>
      <h4>
        {i.label} <code>{i.code}</code>
      </h4>
      {i.answered ? <p className="muted small">{t('reports.editor.answered')}</p> : null}
      {formError(i.id)}
      <Form method="post" noValidate className="editor-form">
        {hidden('updateIndicator')}
        <input type="hidden" name="indicatorId" value={i.id} />
        <IndicatorFields target={i.id} idp={i.id} i={i} val={val} fieldError={fieldError} />
        <button type="submit">{t('reports.editor.updateIndicator')}</button>
      </Form>
      <div className="actions">
        {(
          [
            ['up', first, t('reports.editor.moveUp')],
            ['down', last, t('reports.editor.moveDown')],
          ] as const
        ).map(([dir, edge, label]) =>
          edge ? null : (
            <Form key={dir} method="post" className="inline-form">
              {hidden('moveIndicator')}
              <input type="hidden" name="indicatorId" value={i.id} />
              <button type="submit" name="dir" value={dir} className="secondary small" aria-label={`${label}: ${i.label}`}>
                {label}
              </button>
            </Form>
          ),
        )}
        {!i.answered ? (
          <Form method="post" className="inline-form">
            {hidden('removeIndicator')}
            <input type="hidden" name="indicatorId" value={i.id} />
            <button type="submit" className="secondary small danger" aria-label={`${t('reports.editor.removeIndicator')}: ${i.label}`}>
              {t('reports.editor.removeIndicator')}
            </button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
