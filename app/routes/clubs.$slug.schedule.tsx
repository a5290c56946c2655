import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { ScrollRegion } from '~/components/ScrollRegion';
import { clubRef } from '~/domain/clubs/access.server';
import { runScheduleAction } from '~/domain/clubs/actions.server';
import { schedulePage } from '~/domain/clubs/discussion.server';
import { asClubScheduleView } from '~/domain/clubs/shell.server';
import { scheduleSchema } from '~/forms/clubs';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { clubFailures } from '~/lib/failures/clubs.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import { shellView } from '~/lib/shell-identity.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = await schedulePage(getDb(), params.slug ?? '', user?.id ?? null, new Date(), asClubScheduleView(shellView(request)));
  if (page.status === 'missing' || page.status === 'hidden') notFound();
  if (page.status !== 'ok') forbidden();
  const t = getT(detectLocale(request));
  return json({ ...page, title: `${t('clubs.schedule.title')} · ${page.club.name}` });
}

/** Which field each refusal belongs next to. */
const FIELD = {
  no_title: 'title_id',
  pages_order: 'to_page',
  pages_beyond: 'to_page',
  target_past: 'target',
  bad_progress: 'finished',
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const club = await clubRef(db, params.slug ?? '');
  if (!club) notFound();
  const form = await request.formData();
  const r = parseForm(scheduleSchema, form);
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const ids = form
    .getAll('question_ids')
    .filter((x): x is string => typeof x === 'string')
    .slice(0, 50);
  const done = await runScheduleAction(db, user.id, club.id, r.data, ids);
  if (!done.ok) {
    const field = done.code in FIELD ? FIELD[done.code as keyof typeof FIELD] : '_form';
    const at = field === 'title_id' && r.data.intent === 'book' && r.data.source === 'outside' ? 'title' : field;
    return badRequest({ errors: { [at]: clubFailures[done.code].message } as FieldErrors, values: r.values });
  }
  return redirectWithFlash(`/clubs/${club.slug}/schedule`, { message: done.value });
}

export default function Schedule() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const v: Record<string, string> = a?.values ?? {};
  const e: FieldErrors = a?.errors ?? {};
  const ev = (intent: string) => (v.intent === intent ? e : {});
  const vv = (intent: string) => (v.intent === intent ? v : ({} as Record<string, string>));
  const { club, book } = d;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/clubs', label: t('clubs.directory.title') },
          { to: `/clubs/${club.slug}`, label: club.name },
          { label: t('clubs.schedule.title') },
        ]}
      />
      <h1>{t('clubs.schedule.title')}</h1>
      <p>
        <Link to={`/clubs/${club.slug}/discussion`}>{t('clubs.discussion.title')}</Link>
      </p>

      <section aria-labelledby="book-h" className="card">
        <h2 id="book-h">{t('clubs.schedule.currentBook')}</h2>
        {book ? (
          <>
            <p className="book-line">
              <strong>{book.title}</strong>
              {book.author ? ` — ${book.author}` : ''}
              {book.pages ? ` · ${t('clubs.schedule.pages', { count: book.pages })}` : ''}
            </p>
            {book.library ? (
              <p>
                <Link to={`/library/${book.library.slug}`}>{t('clubs.schedule.borrow')}</Link>
                {book.library.readable ? (
                  <>
                    {' · '}
                    <Link to={`/library/${book.library.slug}/read`}>{t('clubs.schedule.read')}</Link>
                  </>
                ) : null}
                {' · '}
                <span className="muted">
                  {book.library.openAccess
                    ? t('clubs.schedule.openAccess')
                    : t('clubs.schedule.copies', { copies: book.library.copies, waiting: book.library.waiting })}
                </span>
              </p>
            ) : null}
          </>
        ) : (
          <p className="muted">{t('clubs.schedule.noBook')}</p>
        )}
      </section>

      <section aria-labelledby="parts-h">
        <h2 id="parts-h">{t('clubs.schedule.milestones')}</h2>
        {d.milestones.length === 0 ? <p className="muted">{t('clubs.schedule.noMilestones')}</p> : null}
        <ol className="card-list milestone-list">
          {d.milestones.map((m) => (
            <li key={m.id} className="card">
              <h3>
                {t('clubs.schedule.part', { n: m.position })}: {m.label}
              </h3>
              <p className="muted">
                {m.fromPage != null && m.toPage != null ? `${t('clubs.schedule.pageRange', { from: m.fromPage, to: m.toPage })} · ` : ''}
                {m.startChapter ? `${t('clubs.schedule.startsAt', { chapter: m.startChapter })} · ` : ''}
                {t('clubs.schedule.target', { date: formatDate(m.targetOn) })}
              </p>
              {m.threadId ? (
                m.open ? (
                  <p>
                    <Link to={`/clubs/${club.slug}/t/${m.threadId}`}>{t('clubs.discussion.openThread', { count: m.posts })}</Link>
                  </p>
                ) : (
                  <p className="spoiler-lock">
                    <Link to={`/clubs/${club.slug}/t/${m.threadId}`}>
                      {t('clubs.discussion.locked', { count: m.posts, part: m.position })}
                    </Link>
                  </p>
                )
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {d.mine != null && book && d.milestones.length ? (
        <section aria-labelledby="mine-h" className="card">
          <h2 id="mine-h">{t('clubs.schedule.myProgress')}</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="progress" />
            <SelectField
              name="finished"
              label={t('clubs.schedule.finishedLabel')}
              defaultValue={vv('progress').finished ?? String(d.mine)}
              error={ev('progress').finished}
            >
              <option value="0">{t('clubs.schedule.finishedNone')}</option>
              {d.milestones.map((m) => (
                <option key={m.id} value={String(m.position)}>
                  {t('clubs.schedule.finishedThrough', { n: m.position, label: m.label })}
                </option>
              ))}
            </SelectField>
            <button type="submit" className="primary">
              {t('clubs.schedule.saveProgress')}
            </button>
          </Form>
        </section>
      ) : null}

      {book && d.milestones.length ? (
        <section aria-labelledby="members-h">
          <h2 id="members-h">{t('clubs.schedule.membersProgress')}</h2>
          <ScrollRegion labelledBy="members-h">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('clubs.schedule.member')}</th>
                  <th scope="col">{t('clubs.schedule.finished')}</th>
                  <th scope="col">{t('clubs.schedule.status')}</th>
                </tr>
              </thead>
              <tbody>
                {d.members.map((m) => (
                  <tr key={m.id}>
                    <td>{m.name ?? t('clubs.schedule.childMember')}</td>
                    <td>{t('clubs.schedule.partsOf', { done: m.finished, total: d.milestones.length })}</td>
                    <td>{m.behind ? <strong>{t('clubs.schedule.behind')}</strong> : t('clubs.schedule.onTrack')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </section>
      ) : null}

      {d.access.canModerate && club.status === 'active' ? (
        <>
          <section aria-labelledby="setbook-h" className="card">
            <h2 id="setbook-h">{t('clubs.schedule.setBook')}</h2>
            <FormError error={ev('book')._form} />
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="book" />
              <fieldset>
                <legend>{t('clubs.schedule.source')}</legend>
                <label>
                  <input type="radio" name="source" value="library" defaultChecked={(vv('book').source ?? 'library') === 'library'} />{' '}
                  {t('clubs.schedule.sourceLibrary')}
                </label>
                <label>
                  <input type="radio" name="source" value="outside" defaultChecked={vv('book').source === 'outside'} />{' '}
                  {t('clubs.schedule.sourceOutside')}
                </label>
              </fieldset>
              <SelectField
                name="title_id"
                label={t('clubs.schedule.libraryTitle')}
                defaultValue={vv('book').title_id ?? ''}
                error={ev('book').title_id}
              >
                <option value="">{t('clubs.schedule.chooseTitle')}</option>
                {d.titles.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.title} — {x.author}
                  </option>
                ))}
              </SelectField>
              <TextField
                name="title"
                label={t('clubs.schedule.outsideTitle')}
                defaultValue={vv('book').title}
                error={ev('book').title}
                maxLength={300}
              />
              <div className="form-grid">
                <TextField name="author" label={t('clubs.schedule.author')} defaultValue={vv('book').author} maxLength={300} />
                <TextField
                  name="pages"
                  label={t('clubs.schedule.pagesLabel')}
                  defaultValue={vv('book').pages}
                  error={ev('book').pages}
                  inputMode="numeric"
                />
              </div>
              <button type="submit">{t('clubs.schedule.setBookSubmit')}</button>
            </Form>
          </section>

          {book ? (
            <section aria-labelledby="addpart-h" className="card">
              <h2 id="addpart-h">{t('clubs.schedule.addMilestone')}</h2>
              <FormError error={ev('milestone')._form} />
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="milestone" />
                <TextField
                  name="label"
                  label={t('clubs.schedule.label')}
                  hint={t('clubs.schedule.labelHint')}
                  defaultValue={vv('milestone').label}
                  error={ev('milestone').label}
                  maxLength={200}
                  required
                />
                {book.library ? (
                  <TextField
                    name="start_chapter"
                    label={t('clubs.schedule.startChapter')}
                    hint={t('clubs.schedule.startChapterHint')}
                    defaultValue={vv('milestone').start_chapter}
                    maxLength={300}
                  />
                ) : (
                  <div className="form-grid">
                    <TextField
                      name="from_page"
                      label={t('clubs.schedule.fromPage')}
                      defaultValue={vv('milestone').from_page}
                      error={ev('milestone').from_page}
                      inputMode="numeric"
                    />
                    <TextField
                      name="to_page"
                      label={t('clubs.schedule.toPage')}
                      defaultValue={vv('milestone').to_page}
                      error={ev('milestone').to_page}
                      inputMode="numeric"
                    />
                  </div>
                )}
                <TextField
                  name="target"
                  label={t('clubs.schedule.targetLabel')}
                  hint={t('clubs.schedule.dateHint')}
                  defaultValue={vv('milestone').target}
                  error={ev('milestone').target}
                  inputMode="numeric"
                  required
                />
                <TextArea
                  name="questions"
                  label={t('clubs.schedule.questions')}
                  hint={t('clubs.schedule.questionsHint')}
                  defaultValue={vv('milestone').questions}
                  error={ev('milestone').questions}
                  rows={4}
                />
                {d.bank.length ? (
                  <fieldset>
                    <legend>{t('clubs.schedule.bank')}</legend>
                    {d.bank.map((q) => (
                      <label key={q.id} className="check">
                        <input type="checkbox" name="question_ids" value={q.id} /> {q.body}
                      </label>
                    ))}
                  </fieldset>
                ) : null}
                <button type="submit">{t('clubs.schedule.addMilestoneSubmit')}</button>
              </Form>
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
