/**
 * One page of a discussion thread (the shared engine's), for every place that has threads:
 * forums, clubs. The route passes what belongs to its place (the trail, a line under the title,
 * which moderation actions it offers, where a post's edit and history pages are); the posts,
 * reactions, quoting, flagging, moderation, pager, read position and reply form are the same.
 * Every form posts to the route's action, which hands it to `threadFormAction`; the forms under
 * each post are plain forms sent through one `useSubmit` of the page (./PostForm.tsx).
 */
import type { SerializeFrom } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useSearchParams } from '@remix-run/react';
import { type ReactNode, useEffect } from 'react';

import { Breadcrumb, type Crumb } from '~/components/Breadcrumb';
import { Failure } from '~/components/community/Failure';
import { flagReasonLabel, modActionLabel } from '~/components/discussion/labels';
import { ModerationForm } from '~/components/discussion/ModerationForm';
import { Pager } from '~/components/discussion/Pager';
import { useClientLinks, usePostForms } from '~/components/discussion/PostForm';
import { SelectField, TextArea, TextField } from '~/components/Field';
import { SafeHtml } from '~/components/Markdown';
import { REACTIONS } from '~/db/schema';
import type { ModAction } from '~/domain/discussion/moderation.server';
import type { ThreadPageData } from '~/domain/discussion/read.server';
import { useT } from '~/i18n/i18n';
import { formatDateTime } from '~/lib/dates';

export type ThreadViewData = SerializeFrom<ThreadPageData> & {
  signedIn: boolean;
  /** Places a moderator may move the thread to (forums: the unit's other categories). */
  moveTargets?: Array<{ id: string; name: string }>;
};

/** What the thread form's action answers when it does not redirect (see `threadFormAction`). */
type ThreadActionData =
  | { ok: true }
  | { ok: false; errors: Record<string, string>; values: Record<string, string> }
  | { ok: false; message: string; params?: Record<string, string | number>; values?: Record<string, string> };

const REACTION_KEYS = {
  like: 'community.reactions.like',
  thanks: 'community.reactions.thanks',
  insightful: 'community.reactions.insightful',
  support: 'community.reactions.support',
} as const;
const STATUS_KEYS = {
  held: 'community.post.held',
  hidden: 'community.post.hidden',
  removed: 'community.post.removed',
} as const;

export interface ThreadViewProps {
  d: ThreadViewData;
  /** The trail up to the thread (the thread's title is added as the current page). */
  crumbs: Crumb[];
  /** A place-specific line under the title (a club's reading part). */
  intro?: ReactNode;
  /** The moderation actions this place offers, in menu order (all of the engine's by default). */
  modActions?: readonly ModAction[];
  /** Where a post's edit and edit-history pages are, for places that have them. */
  postLinks?: { edit: (postId: string) => string; history: (postId: string) => string };
}

const ALL_MOD_ACTIONS = Object.keys(modActionLabel) as ModAction[];

export function ThreadView({ d, crumbs, intro, modActions = ALL_MOD_ACTIONS, postLinks }: ThreadViewProps) {
  const a = useActionData<ThreadActionData>();
  const { t } = useT();
  const [search] = useSearchParams();
  const reader = useFetcher();
  // The post tools' forms have no action: they post to the page's own address, as without JavaScript.
  const forms = usePostForms({ here: true });
  const list = useClientLinks<HTMLOListElement>();
  const flagNo = Number(search.get('flag')) || 0;
  const modNo = Number(search.get('mod')) || 0;
  const lastOnPage = d.posts.length ? d.posts[d.posts.length - 1]!.no : 0;
  const { signedIn, lastRead } = d;
  useEffect(() => {
    // Where the reader stopped: recorded once the page has been shown (needs JavaScript).
    if (signedIn && lastOnPage > lastRead && reader.state === 'idle' && !reader.data) {
      reader.submit({ intent: 'read', postNo: String(lastOnPage) }, { method: 'post' });
    }
  }, [signedIn, lastOnPage, lastRead, reader]);
  const values: Record<string, string> = a && 'values' in a && a.values ? a.values : {};
  const failed = a && !a.ok ? a : null;
  const message = failed && 'message' in failed ? failed.message : null;
  const params = failed && 'params' in failed ? failed.params : undefined;
  const errors: Record<string, string> = failed && 'errors' in failed ? failed.errors : {};
  const errorFor = (intent: string, postId?: string) =>
    values.intent === intent && (!postId || values.postId === postId)
      ? (message ?? errors.reason ?? errors.body ?? errors.note ?? null)
      : null;
  const quoteOf = values.quoteOf ?? search.get('quote') ?? '';
  const quoted = quoteOf ? d.posts.find((p) => p.id === quoteOf) : undefined;
  return (
    <>
      <Breadcrumb items={[...crumbs, { label: d.thread.title }]} />
      <h1>{d.thread.title}</h1>
      {intro}
      <p>
        {d.thread.pinned ? <span className="badge">{t('community.thread.pinned')}</span> : null}
        {d.thread.locked ? <span className="badge">{t('community.thread.locked')}</span> : null}
        {d.thread.slowModeS ? <span className="badge">{t('community.thread.slowMode', { seconds: d.thread.slowModeS })}</span> : null}
        {d.thread.status === 'held' ? <span className="badge">{t('community.thread.held')}</span> : null}
      </p>
      {d.signedIn ? (
        <div className="actions">
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="follow" />
            <input type="hidden" name="on" value={d.following ? '0' : '1'} />
            <button type="submit" className="secondary small" aria-pressed={d.following}>
              {d.following ? t('community.thread.following') : t('community.thread.follow')}
            </button>
          </Form>
          {d.firstUnread ? <Link to={`?post=${d.firstUnread}#post-${d.firstUnread}`}>{t('community.thread.jumpUnread')}</Link> : null}
        </div>
      ) : null}
      {values.intent && !['reply', 'flag', 'moderate'].includes(values.intent) ? <Failure message={message} params={params} /> : null}

      <ol className="post-list" ref={list}>
        {d.posts.map((p) => {
          const flagOpen = values.intent === 'flag' ? values.postId === p.id : flagNo === p.no;
          const modOpen = values.intent === 'moderate' ? values.postId === p.id : modNo === p.no;
          return (
            <li key={p.id}>
              <article id={`post-${p.no}`} className="post" aria-labelledby={`post-${p.no}-h`}>
                <header>
                  <h2 id={`post-${p.no}-h`} className="small">
                    <a href={`#post-${p.no}`}>{`#${p.no}`}</a>
                    {` ${p.author}`}
                  </h2>
                  <span className="muted small">{formatDateTime(p.createdAt)}</span>
                  {postLinks && p.edits && p.status === 'visible' ? (
                    <a href={postLinks.history(p.id)} className="small">
                      {t('community.post.edited', { count: p.edits })}
                    </a>
                  ) : null}
                  {p.status !== 'visible' ? <span className="post-status">{t(STATUS_KEYS[p.status])}</span> : null}
                </header>
                {p.quote ? (
                  <blockquote className="quote">
                    <p className="small">
                      <a href={`?post=${p.quote.no}#post-${p.quote.no}`}>
                        {t('community.post.quoting', { name: p.quote.author, no: p.quote.no })}
                      </a>
                    </p>
                    <p>{p.quote.text}</p>
                  </blockquote>
                ) : null}
                {p.html ? <SafeHtml html={p.html} /> : null}
                {p.status === 'visible' ? (
                  <div className="post-tools">
                    {d.signedIn && !p.mine ? (
                      // One form for the post's reactions: each button sends its own (named submit buttons).
                      <form method="post" onSubmit={forms.onSubmit} className="reactions">
                        <input type="hidden" name="intent" value="react" />
                        <input type="hidden" name="postId" value={p.id} />
                        {REACTIONS.map((r) => (
                          <button key={r} name="reaction" value={r} aria-pressed={!!p.myReactions?.includes(r)}>
                            {p.reactions[r] ? `${t(REACTION_KEYS[r])} (${p.reactions[r]})` : t(REACTION_KEYS[r])}
                          </button>
                        ))}
                      </form>
                    ) : (
                      REACTIONS.map((r) =>
                        p.reactions[r] ? (
                          <span key={r} className="small muted">
                            {`${t(REACTION_KEYS[r])} (${p.reactions[r]})`}
                          </span>
                        ) : null,
                      )
                    )}
                    {d.canPost ? (
                      <a href={`?page=${d.page}&quote=${p.id}#reply`} className="small">
                        {t('community.post.quote')}
                      </a>
                    ) : null}
                    {postLinks && (p.mine || d.moderator) ? (
                      <a href={postLinks.edit(p.id)} className="small">
                        {t('community.post.edit')}
                      </a>
                    ) : null}
                    {p.mine ? (
                      <form method="post" onSubmit={forms.onSubmit}>
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="postId" value={p.id} />
                        <button className="link-button small">{t('community.post.remove')}</button>
                      </form>
                    ) : null}
                    {d.signedIn && !p.mine ? (
                      // The report form is opened by a link (?flag=N): one form on the page instead of one per post.
                      <a
                        href={flagOpen ? `?page=${d.page}#post-${p.no}` : `?page=${d.page}&flag=${p.no}#post-${p.no}`}
                        className="small"
                        aria-expanded={flagOpen}
                      >
                        {t('community.post.flag')}
                      </a>
                    ) : null}
                    {d.moderator ? (
                      <a
                        href={modOpen ? `?page=${d.page}#post-${p.no}` : `?page=${d.page}&mod=${p.no}#post-${p.no}`}
                        className="small"
                        aria-expanded={modOpen}
                      >
                        {t('community.mod.title')}
                      </a>
                    ) : null}
                  </div>
                ) : d.moderator && p.status !== 'removed' ? (
                  <div className="post-tools">
                    <a
                      href={modOpen ? `?page=${d.page}#post-${p.no}` : `?page=${d.page}&mod=${p.no}#post-${p.no}`}
                      className="small"
                      aria-expanded={modOpen}
                    >
                      {t('community.mod.title')}
                    </a>
                  </div>
                ) : null}
                {flagOpen && p.status === 'visible' && d.signedIn && !p.mine ? (
                  <form method="post" onSubmit={forms.onSubmit} noValidate className="post-form">
                    <Failure message={errorFor('flag', p.id)} params={params} />
                    <input type="hidden" name="intent" value="flag" />
                    <input type="hidden" name="postId" value={p.id} />
                    <SelectField
                      name="reason"
                      id={`flag-reason-${p.no}`}
                      label={t('community.flags.reason')}
                      defaultValue={values.postId === p.id ? values.reason : ''}
                    >
                      <option value="">{t('community.flags.choose')}</option>
                      {(Object.keys(flagReasonLabel) as Array<keyof typeof flagReasonLabel>).map((k) => (
                        <option key={k} value={k}>
                          {t(flagReasonLabel[k])}
                        </option>
                      ))}
                    </SelectField>
                    <TextField
                      name="note"
                      id={`flag-note-${p.no}`}
                      label={t('community.flags.note')}
                      defaultValue={values.postId === p.id ? values.note : ''}
                      maxLength={500}
                    />
                    <button type="submit" className="secondary small">
                      {t('community.flags.send')}
                    </button>
                  </form>
                ) : null}
                {modOpen && d.moderator && p.status !== 'removed' ? (
                  <ModerationForm
                    postId={p.id}
                    idPrefix="mod"
                    idKey={String(p.no)}
                    actions={modActions}
                    defaultAction="hide"
                    values={values}
                    error={errorFor('moderate', p.id)}
                    params={params}
                    moveTargets={d.moveTargets}
                    forms={forms}
                    className="post-form"
                  />
                ) : null}
              </article>
            </li>
          );
        })}
      </ol>

      <Pager page={d.page} pages={d.pages} label={t('community.pager.label')} />

      <section id="reply" aria-labelledby="reply-h" className="card">
        <h2 id="reply-h">{t('community.thread.reply')}</h2>
        {d.canPost ? (
          <Form method="post" noValidate>
            <Failure message={errorFor('reply')} params={params} />
            <input type="hidden" name="intent" value="reply" />
            {quoted ? (
              <>
                <input type="hidden" name="quoteOf" value={quoted.id} />
                <p className="small">{t('community.post.quoting', { name: quoted.author, no: quoted.no })}</p>
              </>
            ) : null}
            <TextArea
              name="body"
              id="reply-body"
              label={t('community.thread.bodyLabel')}
              hint={t('community.thread.bodyHint')}
              defaultValue={values.intent === 'reply' ? values.body : ''}
              rows={6}
              required
            />
            <p className="actions">
              <button type="submit" className="primary">
                {t('community.thread.send')}
              </button>
            </p>
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
