import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { EntryPlayer } from '~/components/contests/EntryPlayer';
import { TextField } from '~/components/Field';
import { juryRound } from '~/domain/contests/entries-pages.server';
import { declareEntryConflict, judgeEntryView, saveScores } from '~/domain/contests/jury.server';
import { scoreSchema } from '~/forms/contest-entries';
import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { entryFailures } from '~/lib/failures/contest-entries.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.entry.code} · ${data.round.title}` }] : []);

async function view(request: Request, params: { slug?: string; roundId?: string; entryId?: string }) {
  const user = await requireUser(request);
  const db = getDb();
  const r = await juryRound(db, params.slug!, params.roundId!, user.id);
  if (r.status === 'missing') notFound();
  const v = await judgeEntryView(db, user.id, params.entryId!);
  if (!v.ok || v.value.round.id !== params.roundId) notFound();
  return { user, db, slug: r.access.contest.slug, contestTitle: r.access.contest.title, v: v.value };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { slug, contestTitle, v } = await view(request, params);
  return json({ contest: { slug, title: contestTitle }, ...v });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, db, slug, v } = await view(request, params);
  const form = await request.formData();
  const parsed = parseForm(scoreSchema, form);
  if (!parsed.ok) return badRequest({ errors: parsed.errors, values: parsed.values, params: {} as Record<string, string | number> });
  const back = `/contests/${slug}/jury/${v.round.id}`;
  if (parsed.data.intent === 'conflict') {
    await declareEntryConflict(db, user.id, v.entry.id, parsed.data.reason);
    return redirectWithFlash(back, { message: 'contests.entries.flash.conflictDeclared' });
  }
  const r = await saveScores(db, user.id, v.entry.id, parsed.data.points);
  if (!r.ok) {
    const field = r.code === 'above_max' && r.detail?.criterion ? `c_${r.detail.criterion}` : '_form';
    return json(
      {
        errors: { [field]: entryFailures[r.code].message } as Record<string, string>,
        values: parsed.values,
        params: (r.detail ?? {}) as Record<string, string | number>,
      },
      { status: entryFailures[r.code].status },
    );
  }
  return redirectWithFlash(r.value.complete ? back : `${back}/${v.entry.id}`, { message: 'contests.entries.flash.scoreSaved' });
}

export default function ScoreEntry() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const base = `/contests/${d.contest.slug}`;
  const values = a?.values ?? {};
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/contests', label: t('contests.list.title') },
          { to: base, label: d.contest.title },
          { to: `${base}/jury/${d.round.id}`, label: d.round.title },
          { label: d.entry.code },
        ]}
      />
      <h1>{t('contests.entries.jury.entry', { code: d.entry.code })}</h1>
      <p>{t('contests.entries.jury.blind')}</p>
      <EntryPlayer
        src={`${base}/entries/${d.entry.id}/media`}
        mime={d.entry.mime}
        label={t('contests.entries.jury.entry', { code: d.entry.code })}
      />
      {d.entry.durationS != null ? <p>{t('contests.entries.jury.duration', { s: Math.round(d.entry.durationS) })}</p> : null}
      {d.entry.bodyText ? <p>{d.entry.bodyText}</p> : null}
      {d.round.passageText ? (
        <details>
          <summary>{d.round.passageTitle || t('contests.entries.submit.passage')}</summary>
          <div className="passage-text">{d.round.passageText}</div>
        </details>
      ) : null}
      {d.round.locked ? <p>{t('contests.entries.jury.locked')}</p> : null}
      {a?.errors?._form ? (
        <p className="form-error" role="alert">
          {t(asKey(a.errors._form), a.params ?? {})}
        </p>
      ) : null}
      <Form method="post" className="stack rubric-form">
        <input type="hidden" name="intent" value="score" />
        {d.criteria.map((c) => {
          const name = `c_${c.id}`;
          const err = a?.errors?.[name];
          return (
            <fieldset key={c.id}>
              <legend>{c.label}</legend>
              {c.description ? <p>{c.description}</p> : null}
              {c.levels.length ? (
                <ul aria-label={t('contests.entries.jury.levels')}>
                  {c.levels.map((l) => (
                    <li key={l.points}>
                      {l.points}: {l.text}
                    </li>
                  ))}
                </ul>
              ) : null}
              <TextField
                name={name}
                label={t('contests.entries.jury.max', { max: c.max_points, weight: c.weight })}
                inputMode="decimal"
                defaultValue={values[name] ?? (d.points[c.id] != null ? String(d.points[c.id]) : '')}
                error={err}
                errorParams={a?.params}
                disabled={d.round.locked}
              />
            </fieldset>
          );
        })}
        <div className="actions">
          <button type="submit" className="button" disabled={d.round.locked}>
            {t('contests.entries.jury.save')}
          </button>
          <Link to={`${base}/jury/${d.round.id}`}>{t('contests.entries.jury.back')}</Link>
        </div>
      </Form>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="conflict" />
        <h2>{t('contests.entries.jury.conflict')}</h2>
        <TextField name="reason" label={t('contests.entries.fields.reason')} maxLength={300} />
        <div className="actions">
          <button type="submit" className="button secondary">
            {t('contests.entries.jury.declare')}
          </button>
        </div>
      </Form>
    </>
  );
}
