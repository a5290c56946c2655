import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Failure } from '~/components/community/Failure';
import { flagReasonLabel } from '~/components/discussion/labels';
import { ModerationForm } from '~/components/discussion/ModerationForm';
import { SelectField, TextField } from '~/components/Field';
import { SafeHtml } from '~/components/Markdown';
import type { ModAction } from '~/domain/discussion/moderation.server';
import { runQueueAction } from '~/domain/discussion/queue-actions.server';
import { queuePage } from '~/domain/forums/pages.server';
import { queueSchema } from '~/forms/community';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { communityFailures } from '~/lib/community-http.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden } from '~/lib/http.server';
import { failure } from '~/lib/result-http.server';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = detectLocale(request);
  const d = await queuePage(getDb(), user.id, new URL(request.url).searchParams.get('unit'), locale);
  if (!d) forbidden();
  return json({ title: getT(locale)('community.queue.title'), ...d });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const d = await queuePage(db, user.id, new URL(request.url).searchParams.get('unit'), 'vi');
  if (!d) forbidden();
  const r = parseForm(queueSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const, errors: r.errors, values: r.values });
  const res = await runQueueAction(db, user.id, d.unit.id, r.data);
  if (!res.ok) return failure(communityFailures, res, r.values);
  return redirectWithFlash(`/forums/queue?unit=${d.unit.slug}`, { message: res.value });
}

const REASON_KEYS = {
  flags: 'community.queue.reasons.flags',
  watched_hold: 'community.queue.reasons.watched_hold',
  watched_flag: 'community.queue.reasons.watched_flag',
  minor: 'community.queue.reasons.minor',
  new_member: 'community.queue.reasons.new_member',
} as const;
/** What a moderator may do from the queue (`queueSchema`). */
const QUEUE_ACTIONS = ['approve', 'hide', 'delete', 'warn', 'silence', 'lock'] as const satisfies readonly ModAction[];
const WORD_KEYS = { block: 'community.words.block', hold: 'community.words.hold', flag: 'community.words.flag' } as const;

export default function Queue() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const values: Record<string, string> = a?.values ?? {};
  const message = a && 'message' in a ? a.message : null;
  const params = a && 'params' in a ? a.params : undefined;
  const errors: Record<string, string> = a && 'errors' in a ? a.errors : {};
  return (
    <>
      <h1>
        {t('community.queue.title')} — {d.unit.name}
      </h1>
      {d.units.length > 1 ? (
        <nav aria-label={t('community.queue.units')}>
          <ul className="pager">
            {d.units.map((u) => (
              <li key={u.slug}>
                <Link to={`?unit=${u.slug}`} aria-current={u.slug === d.unit.slug ? 'page' : undefined}>
                  {u.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <p className="muted">{t('community.queue.intro')}</p>
      <section aria-labelledby="items-h">
        <h2 id="items-h">{t('community.queue.items', { count: d.items.length })}</h2>
        {d.items.length === 0 ? <p className="muted">{t('community.queue.empty')}</p> : null}
        <ul className="post-list">
          {d.items.map((i) => (
            <li key={i.id} className="post queue-item">
              <h3 className="small">
                {i.url ? <Link to={i.url}>{i.threadTitle}</Link> : i.threadTitle} · #{i.postNo} · {i.author} · {i.placeName}
              </h3>
              <p className="small">
                <span className="badge">{t(REASON_KEYS[i.reason])}</span>
                {i.escalated ? <span className="badge">{t('community.queue.escalated')}</span> : null} {formatDateTime(i.createdAt)}
              </p>
              {i.flags.length ? (
                <ul className="small">
                  {i.flags.map((f, k) => (
                    <li key={k}>
                      {t(flagReasonLabel[f.reason])}
                      {f.note ? `: ${f.note}` : ''}
                    </li>
                  ))}
                </ul>
              ) : null}
              <SafeHtml html={i.html} />
              <ModerationForm
                postId={i.postId}
                idPrefix="q"
                idKey={i.id}
                actions={QUEUE_ACTIONS}
                defaultAction="approve"
                values={values}
                error={values.postId === i.postId ? (message ?? errors.reason ?? null) : null}
                params={params}
                className="post-tools"
                primary
              />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="words-h" className="card">
        <h2 id="words-h">{t('community.words.title')}</h2>
        <p className="muted small">{t('community.words.intro')}</p>
        <ul>
          {d.words.map((w) => (
            <li key={w.id}>
              <Form method="post" className="inline-form">
                {w.word} — {t(WORD_KEYS[w.action])} <input type="hidden" name="intent" value="unword" />
                <input type="hidden" name="wordId" value={w.id} />
                <button type="submit" className="link-button small">
                  {t('community.words.remove')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" noValidate>
          {values.intent === 'word' ? <Failure message={message} params={params} /> : null}
          <input type="hidden" name="intent" value="word" />
          <TextField
            name="word"
            label={t('community.words.word')}
            defaultValue={values.intent === 'word' ? values.word : ''}
            error={values.intent === 'word' ? errors.word : undefined}
            maxLength={60}
          />
          <SelectField name="action" id="word-action" label={t('community.words.action')} defaultValue="hold">
            <option value="block">{t('community.words.block')}</option>
            <option value="hold">{t('community.words.hold')}</option>
            <option value="flag">{t('community.words.flag')}</option>
          </SelectField>
          <button type="submit" className="secondary small">
            {t('community.words.add')}
          </button>
        </Form>
      </section>

      {d.categories.length ? (
        <section aria-labelledby="slow-h" className="card">
          <h2 id="slow-h">{t('community.slow.title')}</h2>
          <Form method="post" noValidate>
            {values.intent === 'slow-category' ? <Failure message={message ?? errors.reason ?? null} params={params} /> : null}
            <input type="hidden" name="intent" value="slow-category" />
            <SelectField name="categoryId" id="slow-cat" label={t('community.slow.category')}>
              {d.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.slow_mode_s}s)
                </option>
              ))}
            </SelectField>
            <TextField name="seconds" id="slow-seconds" label={t('community.slow.seconds')} inputMode="numeric" defaultValue="0" />
            <TextField name="reason" id="slow-reason" label={t('community.mod.reason')} maxLength={500} />
            <button type="submit" className="secondary small">
              {t('community.mod.apply')}
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="appoint-h" className="card">
        <h2 id="appoint-h">{t('community.appoint.title')}</h2>
        <Form method="post" noValidate>
          {values.intent === 'appoint' ? <Failure message={message} params={params} /> : null}
          <input type="hidden" name="intent" value="appoint" />
          <TextField
            name="email"
            type="email"
            label={t('community.appoint.email')}
            error={values.intent === 'appoint' ? errors.email : undefined}
          />
          <button type="submit" className="secondary small">
            {t('community.appoint.submit')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="log-h">
        <h2 id="log-h">{t('community.log.title')}</h2>
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('community.log.when')}</th>
                <th scope="col">{t('community.log.who')}</th>
                <th scope="col">{t('community.log.what')}</th>
                <th scope="col">{t('community.log.why')}</th>
              </tr>
            </thead>
            <tbody>
              {d.log.map((l) => (
                <tr key={l.id}>
                  <td>{formatDateTime(l.created_at)}</td>
                  <td>{l.actor ?? t('community.log.system')}</td>
                  <td>
                    {l.action}
                    {l.title ? ` · ${l.title}` : ''}
                  </td>
                  <td>{l.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
