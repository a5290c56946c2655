import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { ReportAttachments } from '~/components/reports/Attachments';
import { formatFigure, IndicatorField } from '~/components/reports/IndicatorField';
import { reportIntent } from '~/domain/reports/actions.server';
import { addAttachment } from '~/domain/reports/attachments.server';
import { asReportPageView } from '~/domain/reports/shell.server';
import { reportAccessBySlug, reportView } from '~/domain/reports/view.server';
import { reportSchema } from '~/forms/reports-report';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { asKey, type TKey } from '~/i18n/keys';
import { requireUser } from '~/lib/auth.server';
import { formatDate, formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { attachmentFailures, reportFailures } from '~/lib/failures/reports.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { forbidden, notFound } from '~/lib/http.server';
import { shellView } from '~/lib/shell-identity.server';
import { parseAttachmentForm } from '~/lib/uploads/report-attachment-form.server';
import styles from '~/styles/reports.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.view.form.title} — ${data.view.unit.name}` }] : [];

async function access(request: Request, params: LoaderFunctionArgs['params']) {
  const user = await requireUser(request);
  const db = getDb();
  const year = Number(params.year);
  if (!Number.isInteger(year)) notFound();
  const a = await reportAccessBySlug(db, year, params.form ?? '', params.unit ?? '', user.id);
  if (a.status === 'missing') notFound();
  if (a.status === 'forbidden') forbidden();
  return { db, a };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  // A shared render (app/domain/reports/shell.server.ts): the visitor's access, clock and figures as read for them.
  const shared = asReportPageView(shellView(request));
  if (shared) {
    const user = await requireUser(request);
    const a = { ...shared.access, userId: user.id };
    return json({ view: await reportView(getDb(), a, detectLocale(request), new Date(shared.at), shared.platform) });
  }
  const { db, a } = await access(request, params);
  return json({ view: await reportView(db, a, detectLocale(request)) });
}

type FieldMessages = Record<string, { message: string; params?: Record<string, string | number> }>;
interface ActionData {
  message: TKey | null;
  messageParams?: Record<string, string | number>;
  fields: FieldMessages;
  values: Record<string, string>;
  stale: { version: number; theirs: Record<string, string> } | null;
  pending: string[];
}

const FLASH = {
  saved: 'reports.flash.saved',
  submitted: 'reports.flash.submitted',
  accepted: 'reports.flash.accepted',
  returned: 'reports.flash.returned',
  reopened: 'reports.flash.reopened',
  reminded: 'reports.flash.reminded',
  detached: 'reports.flash.detached',
} as const;

/** Adding an attachment (the one multipart form of the page): the file's message goes next to its field. */
async function attach(db: ReturnType<typeof getDb>, a: Parameters<typeof addAttachment>[1], request: Request) {
  const base: ActionData = { message: null, fields: {}, values: {}, stale: null, pending: [] };
  const { file, fileError } = await parseAttachmentForm(request);
  const refuse = (code: keyof typeof attachmentFailures) =>
    json<ActionData>(
      { ...base, fields: { file: { message: attachmentFailures[code].message } } },
      { status: attachmentFailures[code].status },
    );
  if (!file) return refuse(fileError ?? 'missing');
  const r = await addAttachment(db, a, file);
  if (!r.ok) return refuse(r.code);
  return redirectWithFlash(new URL(request.url).pathname, { message: 'reports.flash.attached', params: { name: file.name } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, a } = await access(request, params);
  if ((request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) return attach(db, a, request);
  const parsed = parseForm(reportSchema, await request.formData());
  const base: ActionData = { message: null, fields: {}, values: parsed.values, stale: null, pending: [] };
  if (!parsed.ok) {
    const fields: FieldMessages = Object.fromEntries(Object.entries(parsed.errors).map(([k, m]) => [k, { message: m }]));
    return json<ActionData>({ ...base, message: 'reports.errors.fixFields', fields }, { status: 400 });
  }
  const r = await reportIntent(db, a, parsed.data, parsed.values);
  if (r.ok) {
    const here = new URL(request.url).pathname;
    const flashParams: Record<string, string | number> | undefined =
      r.value.count != null ? { count: r.value.count } : r.value.name != null ? { name: r.value.name } : undefined;
    return redirectWithFlash(here, { message: FLASH[r.value.flash], params: flashParams });
  }
  const fail = reportFailures[r.code];
  if (r.code === 'invalid' && 'fields' in r) return json<ActionData>({ ...base, message: fail.message, fields: r.fields }, { status: 400 });
  if (r.code === 'stale' && 'theirs' in r) {
    const theirs = Object.fromEntries(Object.entries(r.theirs).map(([k, v]) => [k, v == null ? '' : String(v)]));
    return json<ActionData>(
      {
        ...base,
        message: 'reports.stale',
        messageParams: { who: '', at: formatDateTime(r.updatedAt) },
        stale: { version: r.version, theirs },
      },
      { status: 409 },
    );
  }
  if (r.code === 'children_pending' && 'pending' in r) {
    const names = r.pending.map((id) => a.tree.units.get(id)?.name ?? id);
    return json<ActionData>(
      { ...base, message: 'reports.childrenPending', messageParams: { units: names.join(', ') }, pending: names },
      { status: 409 },
    );
  }
  return json<ActionData>({ ...base, message: fail.message }, { status: fail.status });
}

const STATUS = {
  none: 'reports.status.none',
  draft: 'reports.status.draft',
  submitted: 'reports.status.submitted',
  returned: 'reports.status.returned',
  accepted: 'reports.status.accepted',
} as const;
const EVENTS = {
  submitted: 'reports.events.submitted',
  returned: 'reports.events.returned',
  accepted: 'reports.events.accepted',
  reopened: 'reports.events.reopened',
} as const;

type Status = keyof typeof STATUS;

export default function ReportPage() {
  const { view } = useLoaderData<typeof loader>();
  const ad = useActionData<typeof action>() as ActionData | undefined;
  const { t, locale } = useT();
  const base = `/weeks/${view.form.year}/reports/${view.form.slug}/${view.unit.slug}`;
  const typed = ad?.values ?? null;
  const startValue = (i: (typeof view.sections)[number]['indicators'][number]) => {
    if (typed && typed[`v_${i.code}`] != null) return typed[`v_${i.code}`]!;
    if (i.saved != null) return String(i.saved);
    if (view.status === 'none' && i.prefilled && i.platform != null) return String(i.platform);
    return '';
  };
  const staleMessage = ad?.stale ? t('reports.stale', { who: t('reports.someoneElse'), at: String(ad.messageParams?.at ?? '') }) : null;
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${view.form.year}`, label: t('weeks.weekOfYear', { year: view.form.year }) },
          { to: `/weeks/${view.form.year}/reports`, label: t('reports.title', { year: view.form.year }) },
          { label: view.unit.name },
        ]}
      />
      <h1>
        {view.form.title}
        <span className="report-unit">{view.unit.name}</span>
      </h1>
      <p className="report-meta">
        {view.unit.isOwner ? null : (
          <>
            <span className={`badge status-${view.status}`} data-testid="report-status">
              {t(STATUS[view.status as Status])}
            </span>{' '}
          </>
        )}
        {t('reports.deadline', { date: formatDate(view.form.deadline) })} ·{' '}
        {t('reports.lockDate', { date: formatDate(view.form.lockDate) })}
        {view.version ? ` · ${t('reports.version', { version: view.version })}` : ''}
      </p>
      {view.reviewComment && (view.status === 'returned' || view.status === 'draft') ? (
        <p className="notice warning" role="note">
          {t('reports.returnedComment', { comment: view.reviewComment })}
        </p>
      ) : null}
      {view.formVersion.saved != null && view.formVersion.saved !== view.formVersion.current ? (
        <p className="notice" data-testid="form-changed">
          {t('reports.formChanged', { saved: view.formVersion.saved, current: view.formVersion.current })}
        </p>
      ) : null}
      {view.submittedWithout.length ? (
        <p className="notice">{t('reports.submittedWithout', { units: view.submittedWithout.join(', ') })}</p>
      ) : null}
      {ad?.message ? (
        <div className="form-error" role="alert">
          {staleMessage ?? t(asKey(ad.message), ad.messageParams)}
        </div>
      ) : null}

      {view.can.edit ? (
        <Form
          method="post"
          className="report-form"
          key={ad ? JSON.stringify(ad.values) + String(ad.stale?.version ?? '') : 'initial'}
          noValidate
        >
          <input type="hidden" name="version" value={ad?.stale ? ad.stale.version : view.version} />
          {view.sections.map((s, si) => (
            <fieldset key={si} className="report-section">
              <legend>
                {si + 1}. {s.title}
              </legend>
              {s.indicators.map((i) => (
                <IndicatorField
                  key={i.code}
                  code={i.code}
                  label={i.label}
                  type={i.type}
                  value={startValue(i)}
                  platform={i.platform}
                  prefilled={i.prefilled}
                  error={ad?.fields[i.code]}
                  theirs={
                    ad?.stale && (ad.stale.theirs[i.code] ?? '') !== (ad.values[`v_${i.code}`] ?? '')
                      ? (ad.stale.theirs[i.code] ?? '')
                      : null
                  }
                  yours={ad?.stale ? (ad.values[`v_${i.code}`] ?? '') : null}
                />
              ))}
            </fieldset>
          ))}
          <div className="actions">
            <button type="submit" name="intent" value="save" className="secondary">
              {t('reports.saveDraft')}
            </button>
            <button type="submit" name="intent" value="submit">
              {t('reports.submit')}
            </button>
            {view.pendingChildren.length ? (
              <button type="submit" name="intent" value="submitWithout" className="secondary">
                {t('reports.submitWithout')}
              </button>
            ) : null}
          </div>
          {view.pendingChildren.length ? (
            <p className="muted">{t('reports.childrenPending', { units: view.pendingChildren.join(', ') })}</p>
          ) : null}
        </Form>
      ) : null}

      {view.unit.isOwner ? null : (
        <ReportAttachments
          base={base}
          files={view.attachments}
          canEdit={view.can.attach}
          limits={view.attachmentLimits}
          error={ad?.fields.file}
        />
      )}

      {!view.can.edit || view.hasChildren ? (
        <section aria-labelledby="figures">
          <h2 id="figures">{view.unit.isOwner ? t('reports.totalColumn') : t('reports.statusLabel')}</h2>
          {view.sections.map((s, si) => (
            <div className="table-wrap" key={si} role="region" aria-label={s.title}>
              <table className="data report-table">
                <caption>
                  {si + 1}. {s.title}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('reports.indicator')}</th>
                    {view.unit.isOwner ? null : <th scope="col">{t('reports.ownColumn')}</th>}
                    {view.hasChildren ? <th scope="col">{t('reports.childrenColumn')}</th> : null}
                    {view.hasChildren ? <th scope="col">{t('reports.totalColumn')}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {s.indicators.map((i) => (
                    <tr key={i.code}>
                      <th scope="row">{i.label}</th>
                      {view.unit.isOwner ? null : <td className="num">{cell(i.type, i.saved, t, locale)}</td>}
                      {view.hasChildren ? (
                        <td className="num">{i.type === 'text' ? '' : cell(i.type, i.children, t, locale, true)}</td>
                      ) : null}
                      {view.hasChildren ? <td className="num">{i.type === 'text' ? '' : cell(i.type, i.total, t, locale, true)}</td> : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </section>
      ) : null}

      {view.can.review ? (
        <section aria-labelledby="review" className="report-panel">
          <h2 id="review">{t('reports.review.heading')}</h2>
          <Form method="post">
            <div className={`field${ad?.fields.comment ? ' has-error' : ''}`}>
              <label htmlFor="review-comment">{t('reports.review.comment')}</label>
              <textarea
                id="review-comment"
                name="comment"
                rows={3}
                defaultValue={ad?.values.comment ?? ''}
                aria-invalid={ad?.fields.comment ? true : undefined}
                aria-describedby={ad?.fields.comment ? 'review-comment-error' : undefined}
              />
              {ad?.fields.comment ? (
                <p id="review-comment-error" className="field-error" role="alert">
                  {t(asKey(ad.fields.comment.message))}
                </p>
              ) : null}
            </div>
            <div className="actions">
              <button type="submit" name="intent" value="accept">
                {t('reports.review.accept')}
              </button>
              <button type="submit" name="intent" value="return" className="secondary">
                {t('reports.review.return')}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {view.can.reopen ? (
        <section aria-labelledby="reopen" className="report-panel">
          <h2 id="reopen">{t('reports.review.reopenHeading')}</h2>
          <Form method="post">
            <div className={`field${ad?.fields.reason ? ' has-error' : ''}`}>
              <label htmlFor="reopen-reason">{t('reports.review.reason')}</label>
              <textarea
                id="reopen-reason"
                name="reason"
                rows={2}
                defaultValue={ad?.values.reason ?? ''}
                aria-invalid={ad?.fields.reason ? true : undefined}
              />
              {ad?.fields.reason ? (
                <p className="field-error" role="alert">
                  {t(asKey(ad.fields.reason.message))}
                </p>
              ) : null}
            </div>
            <button type="submit" name="intent" value="reopen" className="secondary">
              {t('reports.review.reopen')}
            </button>
          </Form>
        </section>
      ) : null}

      {view.completeness ? (
        <section aria-labelledby="completeness" className="report-panel">
          <h2 id="completeness">{t('reports.completeness.heading')}</h2>
          <p className="rates" data-testid="rates">
            <strong>
              {t('reports.completeness.accepted', {
                accepted: view.completeness.accepted,
                expected: view.completeness.expected,
                rate: view.completeness.acceptedRate,
              })}
            </strong>
            <br />
            {t('reports.completeness.onTime', {
              onTime: view.completeness.onTime,
              expected: view.completeness.expected,
              rate: view.completeness.onTimeRate,
            })}
          </p>
          <h3>{t('reports.children')}</h3>
          <ul className="child-reports">
            {/* Plain links: a national page lists hundreds, and a router Link resolves its path on every render. */}
            {view.children.map((c) => (
              <li key={c.slug}>
                <a href={`/weeks/${view.form.year}/reports/${view.form.slug}/${c.slug}`}>{c.name}</a> —{' '}
                <span className={`badge status-${c.status}`}>{t(STATUS[c.status as Status])}</span>
              </li>
            ))}
          </ul>
          <h3>{t('reports.completeness.missing')}</h3>
          {view.completeness.missing.length ? (
            <>
              <ul>
                {view.completeness.missing.map((m) => (
                  <li key={m.slug}>
                    {m.name} — {t(STATUS[m.status as Status])}
                    {m.organisers.length ? (
                      <>
                        {' · '}
                        {t('reports.completeness.organisers')}:{' '}
                        {m.organisers.map((o, k) => (
                          <span key={o.email}>
                            {k ? ', ' : ''}
                            {o.name} (<a href={`mailto:${o.email}`}>{o.email}</a>)
                          </span>
                        ))}
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
              <Form method="post">
                <button type="submit" name="intent" value="remind" className="secondary">
                  {t('reports.completeness.remind')}
                </button>
              </Form>
            </>
          ) : (
            <p className="muted">{t('reports.completeness.none')}</p>
          )}
          <h3>{t('reports.completeness.late')}</h3>
          {view.completeness.late.length ? (
            <ul>
              {view.completeness.late.map((m) => (
                <li key={m.slug}>
                  {m.name} — {t(STATUS[m.status as Status])}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('reports.completeness.none')}</p>
          )}
        </section>
      ) : null}

      <section aria-labelledby="export" className="report-panel">
        <h2 id="export">{t('reports.export.heading')}</h2>
        <ul className="export-links">
          <li>
            <a href={`${base}/export?format=xlsx`} download>
              {t('reports.export.xlsx')}
            </a>
          </li>
          <li>
            <a href={`${base}/export?format=csv`} download>
              {t('reports.export.csv')}
            </a>
          </li>
          <li>
            <Link to={`${base}/print`}>{t('reports.export.print')}</Link>
          </li>
        </ul>
      </section>

      {view.events.length ? (
        <section aria-labelledby="history">
          <h2 id="history">{t('reports.history')}</h2>
          <ol className="report-history">
            {view.events.map((e) => (
              <li key={e.id}>
                {formatDateTime(e.at)} —{' '}
                {e.action === 'submitted' ? (
                  <Link to={`${base}/submissions/${e.version}`}>{t(EVENTS[e.action], { version: e.version })}</Link>
                ) : (
                  t(EVENTS[e.action], { version: e.version })
                )}
                {e.actor ? ` (${e.actor})` : ''}
                {e.comment ? `: ${e.comment}` : ''}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}

function cell(type: string, v: number | string | null, t: ReturnType<typeof useT>['t'], locale: string, sum = false) {
  if (v == null) return '—';
  if (type === 'bool' && !sum) return Number(v) ? t('reports.yes') : t('reports.no');
  return formatFigure(v, locale);
}
