import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { Failure } from '~/components/community/Failure';
import { SelectField, TextArea, TextField } from '~/components/Field';
import { SafeHtml } from '~/components/Markdown';
import { REACTIONS } from '~/db/schema';
import { clubThreadPage } from '~/domain/clubs/discussion.server';
import { revealMilestone } from '~/domain/clubs/schedule.server';
import { runThreadAction } from '~/domain/discussion/actions.server';
import { threadAccess } from '~/domain/discussion/read.server';
import { threadSchema } from '~/forms/community';
import { useT } from '~/i18n/i18n';
import { clientIp, getUser, requireUser } from '~/lib/auth.server';
import { communityFailures } from '~/lib/community-http.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { failure } from '~/lib/result-http.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && data.status === 'ok' ? data.thread.title : (data?.milestone?.label ?? '') },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const url = new URL(request.url);
  const d = await clubThreadPage(getDb(), params.slug ?? '', params.id ?? '', user?.id ?? null, {
    page: Number(url.searchParams.get('page')) || undefined,
    post: Number(url.searchParams.get('post')) || undefined,
  });
  if (d.status === 'missing') notFound();
  return json({ ...d, signedIn: !!user });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const here = new URL(request.url);
  const form = await request.formData();
  if (form.get('intent') === 'reveal') {
    const page = await clubThreadPage(db, params.slug ?? '', params.id ?? '', user.id);
    if (page.status !== 'locked') return redirectWithFlash(here.pathname, { message: 'clubs.flash.revealed' });
    const r = await revealMilestone(db, user.id, page.milestone.id);
    if (!r.ok) notFound();
    return redirectWithFlash(here.pathname, { message: 'clubs.flash.revealed' });
  }
  // Everything else is the shared engine's thread form, after checking the thread is this club's and readable.
  const page = await clubThreadPage(db, params.slug ?? '', params.id ?? '', user.id);
  if (page.status !== 'ok') notFound();
  const access = await threadAccess(db, user.id, params.id ?? '');
  if (access.status !== 'ok') notFound();
  const r = parseForm(threadSchema, form);
  if (!r.ok) return badRequest({ ok: false as const, errors: r.errors, values: r.values });
  const url = access.info.threadUrl(access.thread.id);
  const res = await runThreadAction(db, { userId: user.id, ip: clientIp(request) }, access.thread.id, url, r.data);
  if (!res.ok) return failure(communityFailures, res, r.values);
  if (r.data.intent === 'read') return json({ ok: true as const });
  return redirectWithFlash(res.value.to ?? `${here.pathname}${here.search}`, { message: res.value.message });
}

const REACTION_KEYS = {
  like: 'community.reactions.like',
  thanks: 'community.reactions.thanks',
  insightful: 'community.reactions.insightful',
  support: 'community.reactions.support',
} as const;
const FLAG_KEYS = {
  spam: 'community.flags.spam',
  offensive: 'community.flags.offensive',
  off_topic: 'community.flags.off_topic',
  minor_data: 'community.flags.minor_data',
  other: 'community.flags.other',
} as const;
const MOD_KEYS = {
  approve: 'community.mod.approve',
  hide: 'community.mod.hide',
  delete: 'community.mod.delete',
  warn: 'community.mod.warn',
  lock: 'community.mod.lock',
  unlock: 'community.mod.unlock',
  pin: 'community.mod.pin',
  unpin: 'community.mod.unpin',
} as const;
const STATUS_KEYS = {
  held: 'community.post.held',
  hidden: 'community.post.hidden',
  removed: 'community.post.removed',
} as const;

export default function ClubThread() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const crumbs = [
    { to: '/clubs', label: t('clubs.directory.title') },
    { to: `/clubs/${d.club.slug}`, label: d.club.name },
    { to: `/clubs/${d.club.slug}/discussion`, label: t('clubs.discussion.title') },
  ];
  if (d.status === 'locked') {
    return (
      <>
        <Breadcrumb items={[...crumbs, { label: d.milestone.label }]} />
        <h1>
          {t('clubs.schedule.part', { n: d.milestone.position })}: {d.milestone.label}
        </h1>
        <section className="card spoiler-lock" aria-labelledby="lock-h">
          <h2 id="lock-h">{t('clubs.discussion.lockedTitle')}</h2>
          <p>{t('clubs.discussion.locked', { count: d.posts, part: d.milestone.position })}</p>
          <p>
            <Link to={`/clubs/${d.club.slug}/schedule`}>{t('clubs.discussion.markProgress')}</Link>
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="reveal" />
            <p className="muted">{t('clubs.discussion.revealWarning')}</p>
            <button type="submit" className="secondary">
              {t('clubs.discussion.reveal')}
            </button>
          </Form>
        </section>
      </>
    );
  }
  const values: Record<string, string> = a && 'values' in a && a.values ? a.values : {};
  const failed = a && !a.ok ? a : null;
  const message = failed && 'message' in failed ? failed.message : null;
  const params = failed && 'params' in failed ? failed.params : undefined;
  const errors: Record<string, string> = failed && 'errors' in failed ? failed.errors : {};
  const errorFor = (intent: string, postId?: string) =>
    values.intent === intent && (!postId || values.postId === postId)
      ? (message ?? errors.reason ?? errors.body ?? errors.note ?? null)
      : null;
  return (
    <>
      <Breadcrumb items={[...crumbs, { label: d.thread.title }]} />
      <h1>{d.thread.title}</h1>
      {d.milestone ? (
        <p className="muted">{t('clubs.discussion.aboutPart', { n: d.milestone.position, label: d.milestone.label })}</p>
      ) : null}
      <p>
        {d.thread.pinned ? <span className="badge">{t('community.thread.pinned')}</span> : null}
        {d.thread.locked ? <span className="badge">{t('community.thread.locked')}</span> : null}
      </p>
      {d.signedIn ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="follow" />
          <input type="hidden" name="on" value={d.following ? '0' : '1'} />
          <button type="submit" className="secondary small" aria-pressed={d.following}>
            {d.following ? t('community.thread.following') : t('community.thread.follow')}
          </button>
        </Form>
      ) : null}
      {values.intent && !['reply', 'flag', 'moderate'].includes(values.intent) ? <Failure message={message} params={params} /> : null}

      <ol className="post-list">
        {d.posts.map((p) => (
          <li key={p.id}>
            <article id={`post-${p.no}`} className="post" aria-labelledby={`post-${p.no}-h`}>
              <header>
                <h2 id={`post-${p.no}-h`} className="small">
                  <a href={`#post-${p.no}`}>#{p.no}</a> {p.author}
                </h2>
                <span className="muted small">{formatDateTime(p.createdAt)}</span>
                {p.status !== 'visible' ? <span className="post-status">{t(STATUS_KEYS[p.status])}</span> : null}
              </header>
              {p.quote ? (
                <blockquote className="quote">
                  <p className="small">{t('community.post.quoting', { name: p.quote.author, no: p.quote.no })}</p>
                  <p>{p.quote.text}</p>
                </blockquote>
              ) : null}
              {p.html ? <SafeHtml html={p.html} /> : null}
              {p.status === 'visible' ? (
                <div className="post-tools">
                  {REACTIONS.map((r) =>
                    d.signedIn && !p.mine ? (
                      <Form method="post" key={r}>
                        <input type="hidden" name="intent" value="react" />
                        <input type="hidden" name="postId" value={p.id} />
                        <input type="hidden" name="reaction" value={r} />
                        <button type="submit" className="secondary small reaction" aria-pressed={p.myReactions.includes(r)}>
                          {t(REACTION_KEYS[r])} {p.reactions[r] ? <span>({p.reactions[r]})</span> : null}
                        </button>
                      </Form>
                    ) : p.reactions[r] ? (
                      <span key={r} className="small muted">
                        {t(REACTION_KEYS[r])} ({p.reactions[r]})
                      </span>
                    ) : null,
                  )}
                  {p.mine ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="postId" value={p.id} />
                      <button type="submit" className="link-button small">
                        {t('community.post.remove')}
                      </button>
                    </Form>
                  ) : null}
                  {d.signedIn && !p.mine ? (
                    <details open={values.intent === 'flag' && values.postId === p.id}>
                      <summary className="small">{t('community.post.flag')}</summary>
                      <Form method="post" noValidate>
                        <Failure message={errorFor('flag', p.id)} params={params} />
                        <input type="hidden" name="intent" value="flag" />
                        <input type="hidden" name="postId" value={p.id} />
                        <SelectField
                          name="reason"
                          id={`flag-reason-${p.id}`}
                          label={t('community.flags.reason')}
                          defaultValue={values.postId === p.id ? values.reason : ''}
                        >
                          <option value="">{t('community.flags.choose')}</option>
                          {(Object.keys(FLAG_KEYS) as Array<keyof typeof FLAG_KEYS>).map((k) => (
                            <option key={k} value={k}>
                              {t(FLAG_KEYS[k])}
                            </option>
                          ))}
                        </SelectField>
                        <TextField name="note" id={`flag-note-${p.id}`} label={t('community.flags.note')} maxLength={500} />
                        <button type="submit" className="secondary small">
                          {t('community.flags.send')}
                        </button>
                      </Form>
                    </details>
                  ) : null}
                </div>
              ) : null}
              {d.moderator && p.status !== 'removed' ? (
                <details className="post-tools" open={values.intent === 'moderate' && values.postId === p.id}>
                  <summary className="small">{t('community.mod.title')}</summary>
                  <Form method="post" noValidate>
                    <Failure message={errorFor('moderate', p.id)} params={params} />
                    <input type="hidden" name="intent" value="moderate" />
                    <input type="hidden" name="postId" value={p.id} />
                    <SelectField name="action" id={`mod-action-${p.id}`} label={t('community.mod.action')} defaultValue="hide">
                      {(Object.keys(MOD_KEYS) as Array<keyof typeof MOD_KEYS>).map((k) => (
                        <option key={k} value={k}>
                          {t(MOD_KEYS[k])}
                        </option>
                      ))}
                    </SelectField>
                    <TextField name="reason" id={`mod-reason-${p.id}`} label={t('community.mod.reason')} maxLength={500} />
                    <button type="submit" className="secondary small">
                      {t('community.mod.apply')}
                    </button>
                  </Form>
                </details>
              ) : null}
            </article>
          </li>
        ))}
      </ol>

      {d.pages > 1 ? (
        <nav aria-label={t('community.pager.label')}>
          <ul className="pager">
            {Array.from({ length: d.pages }, (_, i) => i + 1).map((p) => (
              <li key={p}>
                <Link to={`?page=${p}`} aria-current={p === d.page ? 'page' : undefined}>
                  {p}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      <section id="reply" aria-labelledby="reply-h" className="card">
        <h2 id="reply-h">{t('community.thread.reply')}</h2>
        {d.canPost ? (
          <Form method="post" noValidate>
            <Failure message={errorFor('reply')} params={params} />
            <input type="hidden" name="intent" value="reply" />
            <TextArea
              name="body"
              id="reply-body"
              label={t('community.thread.bodyLabel')}
              hint={t('community.thread.bodyHint')}
              defaultValue={values.intent === 'reply' ? values.body : ''}
              rows={6}
              required
            />
            <button type="submit" className="primary">
              {t('community.thread.send')}
            </button>
          </Form>
        ) : d.signedIn ? (
          <p className="muted">{d.thread.locked ? t('community.thread.lockedNote') : t('community.thread.cannotPost')}</p>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(d.url)}`}>{t('community.forums.signInToPost')}</Link>
          </p>
        )}
      </section>
    </>
  );
}
