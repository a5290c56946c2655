import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';

import { ActivityList } from '~/components/ActivityList';
import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { ACTIVITY_KINDS } from '~/db/schema';
import { runPlanEdit } from '~/domain/plan-actions.server';
import { getActivities, getPlan } from '~/domain/plans.server';
import { getUnitBySlug, isInForce, unitName } from '~/domain/units.server';
import { getWeek } from '~/domain/weeks.server';
import { planEditorSchema } from '~/forms/plan-editor';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { activityKindLabel, planStatusLabel } from '~/i18n/labels';
import { requireRole } from '~/lib/auth.server';
import { toLocalInput } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { planFailures } from '~/lib/failures/weeks.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, type FormValues, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const db = getDb();
  const year = Number(params.year);
  const [week, unit] = await Promise.all([getWeek(db, year), getUnitBySlug(db, params.unit ?? '')]);
  if (!week || !unit) notFound();
  // A Week's plans belong to the tree in force when it began: no 2024 plan for a 2025 ward.
  if (!(await isInForce(db, unit.id, week.starts_on))) notFound();
  const user = await requireRole(request, unit.id, 'organiser');
  return { db, year, unit, user };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, year, unit } = await load(request, params);
  const locale = detectLocale(request);
  // Reading never writes: until the first save the page shows an empty draft (the action creates it).
  const stored = await getPlan(db, unit.id, year);
  const plan = stored ?? { status: 'draft' as const, purpose_md: '' };
  const activities = stored ? await getActivities(db, stored.id) : [];
  return json({
    title: `${unitName(unit, locale)} · ${year}`,
    year,
    unit: { slug: unit.slug, name: unitName(unit, locale) },
    plan: { status: plan.status, purposeMd: plan.purpose_md },
    activities,
  });
}

/** Which field each refusal belongs next to. */
const FIELD = { purpose_required: 'purpose_md', forbidden: '_form' } as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, year, unit, user } = await load(request, params);
  const r = parseForm(planEditorSchema, await request.formData());
  const intent = r.values.intent ?? '';
  const activityId = r.values.activityId ?? '';
  if (!r.ok) return badRequest({ intent, errors: r.errors, values: r.values, activityId });
  const done = await runPlanEdit(db, { unitId: unit.id, year, userId: user.id }, r.data);
  if (!done.ok) {
    if (done.code === 'forbidden') forbidden();
    const f = planFailures[done.code];
    return json({ intent, errors: { [FIELD[done.code]]: f.message } as FieldErrors, values: r.values, activityId }, { status: f.status });
  }
  const back = `/weeks/${year}/plans/${unit.slug}/edit`;
  switch (done.value) {
    case 'purposeSaved':
      return redirectWithFlash(back, { message: 'common.saved' });
    case 'published':
      return redirect(`/weeks/${year}/plans/${unit.slug}`);
    case 'unpublished':
      return redirect(back);
    case 'activities':
      return redirect(`${back}#activities`);
  }
}

function ActivityForm({
  intent,
  initial,
  errors,
  activityId,
}: {
  intent: 'add-activity' | 'update-activity';
  initial: FormValues;
  errors?: FieldErrors;
  activityId?: string;
}) {
  const { t } = useT();
  const nav = useNavigation();
  const busy = nav.state === 'submitting' && nav.formData?.get('intent') === intent;
  const idp = intent === 'add-activity' ? 'new' : `edit-${activityId}`;
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value={intent} />
      {activityId ? <input type="hidden" name="activityId" value={activityId} /> : null}
      <div className="form-grid">
        <TextField
          id={`${idp}-title`}
          name="title"
          label={t('weeks.activity.title')}
          defaultValue={initial.title}
          error={errors?.title}
          required
          maxLength={200}
        />
        <SelectField
          id={`${idp}-kind`}
          name="kind"
          label={t('weeks.activity.kind')}
          defaultValue={initial.kind ?? ''}
          error={errors?.kind}
          required
        >
          <option value="">{t('common.choose')}</option>
          {ACTIVITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(activityKindLabel[k])}
            </option>
          ))}
        </SelectField>
        <TextField
          id={`${idp}-starts`}
          name="starts_at"
          type="datetime-local"
          label={t('weeks.activity.startsAt')}
          hint={t('common.timeZoneHint')}
          defaultValue={initial.starts_at}
          error={errors?.starts_at}
          required
        />
        <TextField
          id={`${idp}-ends`}
          name="ends_at"
          type="datetime-local"
          label={t('weeks.activity.endsAt')}
          defaultValue={initial.ends_at}
          error={errors?.ends_at}
          required
        />
        <TextField
          id={`${idp}-place`}
          name="place"
          label={t('weeks.activity.place')}
          defaultValue={initial.place}
          error={errors?.place}
          required
          maxLength={300}
        />
        <TextField
          id={`${idp}-url`}
          name="online_url"
          type="url"
          label={t('weeks.activity.onlineUrl')}
          defaultValue={initial.online_url}
          error={errors?.online_url}
          placeholder="https://"
        />
        <TextField
          id={`${idp}-audience`}
          name="audience"
          label={t('weeks.activity.audience')}
          defaultValue={initial.audience}
          error={errors?.audience}
          required
          maxLength={300}
        />
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {intent === 'add-activity' ? t('weeks.addActivity') : t('common.save')}
      </button>
    </Form>
  );
}

export default function EditPlan() {
  const { year, unit, plan, activities } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useT();
  const [params] = useSearchParams();
  const editing = params.get('activity');
  const purposeErrors = actionData?.intent === 'save-purpose' || actionData?.intent === 'publish' ? actionData.errors : undefined;
  const purposeValue = purposeErrors ? actionData?.values?.purpose_md : plan.purposeMd;
  const addState = actionData?.intent === 'add-activity' ? actionData : undefined;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/organise', label: t('common.nav.organise') },
          { to: `/weeks/${year}/plans/${unit.slug}`, label: unit.name },
          { label: t('weeks.editPlan') },
        ]}
      />
      <h1>
        {t('weeks.planTitle', { unit: unit.name, year })}{' '}
        <span className={`badge ${plan.status === 'draft' ? 'draft' : ''}`}>{t(planStatusLabel[plan.status])}</span>
      </h1>
      <FormError error={actionData?.errors?._form} />
      <section aria-labelledby="purpose-h">
        <h2 id="purpose-h">{t('weeks.purpose')}</h2>
        <Form method="post" noValidate>
          <TextArea
            name="purpose_md"
            label={t('weeks.purposeLabel')}
            hint={t('common.markdownHint')}
            defaultValue={purposeValue}
            error={purposeErrors?.purpose_md}
            rows={10}
            key={purposeValue}
          />
          <div className="actions">
            <button type="submit" name="intent" value="save-purpose" className="secondary">
              {t('weeks.saveDraft')}
            </button>
            {plan.status === 'draft' ? (
              <button type="submit" name="intent" value="publish" className="primary">
                {t('weeks.publishPlan')}
              </button>
            ) : (
              <button type="submit" name="intent" value="publish" className="primary">
                {t('weeks.savePublished')}
              </button>
            )}
          </div>
        </Form>
        {plan.status === 'published' ? (
          <Form method="post" className="actions">
            <button type="submit" name="intent" value="unpublish" className="danger">
              {t('weeks.unpublish')}
            </button>
          </Form>
        ) : null}
      </section>
      <section aria-labelledby="activities">
        <h2 id="activities">{t('weeks.activities')}</h2>
        {activities.length === 0 ? <p className="muted">{t('weeks.noActivities')}</p> : null}
        <ol className="activity-list">
          {activities.map((a, i) => {
            const err = actionData?.intent === 'update-activity' && actionData.activityId === a.id ? actionData : undefined;
            return (
              <li key={a.id}>
                {editing === a.id || err ? (
                  <ActivityForm
                    intent="update-activity"
                    activityId={a.id}
                    errors={err?.errors}
                    initial={
                      err?.values ?? {
                        title: a.title,
                        kind: a.kind,
                        starts_at: toLocalInput(a.starts_at),
                        ends_at: toLocalInput(a.ends_at),
                        place: a.place,
                        online_url: a.online_url ?? '',
                        audience: a.audience,
                      }
                    }
                  />
                ) : (
                  <>
                    <ActivityList activities={[a]} />
                    <div className="actions">
                      <Link to={`?activity=${a.id}#activities`} className="button small secondary">
                        {t('common.edit')}
                      </Link>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="activityId" value={a.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="move-up"
                          className="secondary button small"
                          disabled={i === 0}
                          aria-label={t('weeks.moveUp', { title: a.title })}
                        >
                          ↑
                        </button>{' '}
                        <button
                          type="submit"
                          name="intent"
                          value="move-down"
                          className="secondary button small"
                          disabled={i === activities.length - 1}
                          aria-label={t('weeks.moveDown', { title: a.title })}
                        >
                          ↓
                        </button>{' '}
                        <button type="submit" name="intent" value="delete-activity" className="danger button small">
                          {t('common.delete')}
                        </button>
                      </Form>
                    </div>
                  </>
                )}
              </li>
            );
          })}
        </ol>
        <fieldset>
          <legend>{t('weeks.addActivity')}</legend>
          <ActivityForm intent="add-activity" initial={addState?.values ?? {}} errors={addState?.errors} key={activities.length} />
        </fieldset>
      </section>
    </>
  );
}
