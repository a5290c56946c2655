import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { entryKindLabel, moderationLabel, stageLevelLabel } from '~/components/contests/entry-labels';
import { NO_VOTING, VotingFields } from '~/components/contests/VotingFields';
import { SelectField, TextArea, TextField } from '~/components/Field';
import { ScrollRegion } from '~/components/ScrollRegion';
import { entriesAction } from '~/domain/contests/entries-actions.server';
import { entriesManagePage } from '~/domain/contests/entries-pages.server';
import {
  judgeSchema,
  moderateSchema,
  roundIntentSchema,
  rubricSchema,
  submissionRoundSchema,
  voteFlagSchema,
  votingSchema,
} from '~/forms/contest-entries';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import { requireUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { type EntryFailureCode, entryFailures } from '~/lib/failures/contest-entries.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.contest.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const p = await entriesManagePage(getDb(), params.slug!, user.id);
  if (p.status === 'missing') notFound();
  if (p.status === 'forbidden') forbidden();
  return json({ contest: { slug: p.contest.slug, title: p.contest.title }, rounds: p.rounds, units: p.units });
}

const SCHEMAS = {
  round: submissionRoundSchema,
  rubric: rubricSchema,
  judge: judgeSchema,
  assign: roundIntentSchema,
  propose: roundIntentSchema,
  confirm: roundIntentSchema,
  moderate: moderateSchema,
  flag: voteFlagSchema,
  voting: votingSchema,
} as const;

/** Which field a refusal belongs next to (the rest go above the form). */
const FIELD_OF: Partial<Record<EntryFailureCode, string>> = {
  length_range: 'max_seconds',
  vote_window: 'vote_closes_at',
  vote_weight: 'vote_weight',
  ends_before_start: 'closes_at',
  overlap: 'opens_at',
  criterion_invalid: 'rubric',
  rubric_empty: 'rubric',
  scoring_started: 'rubric',
  no_such_user: 'email',
  is_entrant: 'email',
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const p = await entriesManagePage(db, params.slug!, user.id);
  if (p.status === 'missing') notFound();
  if (p.status === 'forbidden') forbidden();
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '') as keyof typeof SCHEMAS;
  const schema = SCHEMAS[intent];
  if (!schema)
    return badRequest({
      form: 'none',
      target: '',
      errors: { _form: 'errors.invalid' } as Record<string, string>,
      values: {} as Record<string, string>,
      params: {} as Record<string, string | number>,
    });
  const parsed = parseForm(schema, form);
  const target = String(form.get('round_id') ?? form.get('entry_id') ?? form.get('flag_id') ?? '');
  if (!parsed.ok)
    return badRequest({
      form: intent,
      target,
      errors: parsed.errors,
      values: parsed.values as Record<string, string>,
      params: {} as Record<string, string | number>,
    });
  const t = getT(detectLocale(request));
  const r = await entriesAction(db, user.id, p.contest.id, parsed.data, t('contests.entries.manage.participation'));
  if (!r.ok) {
    const code = r.code as EntryFailureCode;
    return badRequest({
      form: intent,
      target,
      errors: { [FIELD_OF[code] ?? '_form']: entryFailures[code]?.message ?? 'errors.invalid' } as Record<string, string>,
      values: parsed.values as Record<string, string>,
      params: (r.detail ?? {}) as Record<string, string | number>,
    });
  }
  return redirectWithFlash(`/contests/${p.contest.slug}/entries/manage`, { message: r.value.message, params: r.value.params });
}

export default function ManageEntries() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const base = `/contests/${d.contest.slug}`;
  const mine = (form: string, target = '') => (a && a.form === form && (!target || a.target === target) ? a : undefined);
  const nr = mine('round');
  const err = (x: typeof a, k: string) => x?.errors?.[k];
  const formError = (x: typeof a) =>
    x?.errors?._form ? (
      <p className="form-error" role="alert">
        {t(asKey(x.errors._form), x.params)}
      </p>
    ) : null;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/contests', label: t('contests.list.title') },
          { to: base, label: d.contest.title },
          { label: t('contests.entries.nav.manage') },
        ]}
      />
      <h1>{t('contests.entries.manage.title', { contest: d.contest.title })}</h1>
      {a?.form === 'none' ? formError(a) : null}
      <section aria-labelledby="rounds-h">
        <h2 id="rounds-h">{t('contests.entries.manage.rounds')}</h2>
        {d.rounds.length === 0 ? <p>{t('contests.entries.manage.none')}</p> : null}
        {d.rounds.map(({ round: r, rubricText, judges, entries, flags, stage, codes }) => {
          const rubricA = mine('rubric', r.id);
          const judgeA = mine('judge', r.id);
          const votingA = mine('voting', r.id);
          const roundA = a && ['assign', 'propose', 'confirm'].includes(a.form) && a.target === r.id ? a : undefined;
          return (
            <article key={r.id} className="card stack" aria-labelledby={`r-${r.id}`}>
              <h3 id={`r-${r.id}`}>
                {r.title} · {t(entryKindLabel[r.entry_kind])} · {t(stageLevelLabel[r.stage_level])}
              </h3>
              <p>
                {t('contests.entries.manage.window', { from: formatDateTime(r.opens_at), to: formatDateTime(r.closes_at) })} ·{' '}
                <Link to={`${base}/rounds/${r.id}/submit`}>{t('contests.entries.nav.submit')}</Link> ·{' '}
                <Link to={`${base}/gallery/${r.id}`}>{t('contests.entries.nav.gallery')}</Link> ·{' '}
                <Link to={`${base}/jury/${r.id}`}>{t('contests.entries.nav.jury')}</Link>
              </p>

              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="voting" />
                <input type="hidden" name="round_id" value={r.id} />
                {formError(votingA)}
                <p>
                  {r.voting && r.vote_opens_at && r.vote_closes_at
                    ? t('contests.entries.manage.votingSummary', {
                        from: formatDateTime(r.vote_opens_at),
                        to: formatDateTime(r.vote_closes_at),
                        weight: Math.round(r.vote_weight * 100),
                      })
                    : t('contests.entries.manage.votingOff')}
                  {r.peoples_choice_label ? ` · ${t('contests.entries.manage.peoplesChoice', { label: r.peoples_choice_label })}` : ''}
                </p>
                <VotingFields
                  idPrefix={`voting-${r.id}`}
                  values={votingA?.values}
                  errors={votingA?.errors}
                  defaults={{
                    voting: !!r.voting,
                    voteOpensAt: r.vote_opens_at,
                    voteClosesAt: r.vote_closes_at,
                    votesMode: r.votes_mode,
                    votesPerAccount: r.votes_per_account,
                    voteWeight: r.vote_weight,
                    burstThreshold: r.burst_threshold,
                    burstWindowS: r.burst_window_s,
                    newAccountDays: r.new_account_days,
                    peoplesChoiceLabel: r.peoples_choice_label,
                    peoplesChoiceWinners: r.peoples_choice_winners,
                  }}
                />
                <div className="actions">
                  <button type="submit" className="button">
                    {t('contests.entries.manage.saveVoting')}
                  </button>
                </div>
              </Form>

              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="rubric" />
                <input type="hidden" name="round_id" value={r.id} />
                <TextArea
                  name="rubric"
                  id={`rubric-${r.id}`}
                  label={t('contests.entries.fields.rubric')}
                  defaultValue={rubricA?.values.rubric ?? rubricText}
                  error={err(rubricA, 'rubric')}
                  rows={5}
                />
                <div className="actions">
                  <button type="submit" className="button">
                    {t('contests.entries.manage.saveRubric')}
                  </button>
                </div>
              </Form>

              <h4>{t('contests.entries.manage.judges')}</h4>
              {judges.length === 0 ? (
                <p>{t('contests.entries.manage.noJudges')}</p>
              ) : (
                <ul>
                  {judges.map((j) => (
                    <li key={j.user_id}>
                      {j.display_name} ({j.email}){j.unit_name ? ` · ${j.unit_name}` : ''} ·{' '}
                      {t('contests.entries.manage.load', { scored: j.scored, assigned: j.assigned })}
                    </li>
                  ))}
                </ul>
              )}
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="judge" />
                <input type="hidden" name="round_id" value={r.id} />
                <TextField
                  name="email"
                  id={`email-${r.id}`}
                  type="email"
                  label={t('contests.entries.fields.judgeEmail')}
                  defaultValue={judgeA?.values.email ?? ''}
                  error={err(judgeA, 'email')}
                />
                <SelectField
                  name="unit_id"
                  id={`unit-${r.id}`}
                  label={t('contests.entries.fields.judgeUnit')}
                  defaultValue={judgeA?.values.unit_id ?? ''}
                >
                  <option value="">{t('contests.entries.fields.unitHome')}</option>
                  {d.units.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </SelectField>
                <div className="actions">
                  <button type="submit" className="button">
                    {t('contests.entries.manage.addJudge')}
                  </button>
                </div>
              </Form>
              {roundA ? formError(roundA) : null}
              <div className="actions">
                {(['assign', 'propose', 'confirm'] as const).map((intent) => (
                  <Form method="post" key={intent}>
                    <input type="hidden" name="intent" value={intent} />
                    <input type="hidden" name="round_id" value={r.id} />
                    <button type="submit" className="button secondary">
                      {intent === 'assign'
                        ? t('contests.entries.manage.assign')
                        : intent === 'propose'
                          ? t('contests.entries.manage.propose')
                          : t('contests.entries.manage.confirm')}
                    </button>
                  </Form>
                ))}
              </div>

              <h4>{t('contests.entries.manage.moderation')}</h4>
              {entries.length === 0 ? (
                <p>{t('contests.entries.manage.noEntries')}</p>
              ) : (
                <ScrollRegion label={`${t('contests.entries.manage.moderation')}: ${r.title}`}>
                  <table className="data">
                    <thead>
                      <tr>
                        <th scope="col">{t('contests.entries.manage.code')}</th>
                        <th scope="col">{t('contests.entries.manage.entrant')}</th>
                        <th scope="col">{t('contests.entries.manage.unit')}</th>
                        <th scope="col">{t('contests.entries.manage.file')}</th>
                        <th scope="col">{t('contests.entries.manage.actions')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {entries.map((e) => {
                        const m = mine('moderate', e.id);
                        return (
                          <tr key={e.id}>
                            <td>{e.code}</td>
                            <td>
                              {e.full_name}
                              {e.minor ? ` · ${t('contests.entries.manage.minor')}` : ''}
                            </td>
                            <td>{e.unit_name}</td>
                            <td>
                              <a href={`${base}/entries/${e.id}/media`}>{e.title}</a>
                              {e.duration_s != null ? ` · ${Math.round(e.duration_s)} s` : ''}
                            </td>
                            <td>
                              {t(moderationLabel[e.moderation])}
                              <Form method="post">
                                <input type="hidden" name="intent" value="moderate" />
                                <input type="hidden" name="entry_id" value={e.id} />
                                <label>
                                  <input type="checkbox" name="consent" defaultChecked={!!e.parental_consent} />{' '}
                                  {t('contests.entries.fields.consent')}
                                </label>{' '}
                                <button type="submit" name="decision" value="approved" className="button">
                                  {t('contests.entries.manage.approve')}
                                </button>{' '}
                                <button type="submit" name="decision" value="rejected" className="button secondary">
                                  {t('contests.entries.manage.reject')}
                                </button>
                              </Form>
                              {m ? formError(m) : null}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </ScrollRegion>
              )}

              {flags.length ? (
                <>
                  <h4>{t('contests.entries.manage.flags')}</h4>
                  <ul>
                    {flags.map((f) => (
                      <li key={f.id}>
                        {f.code} · {t('contests.entries.manage.held', { n: f.held })}
                        <Form method="post">
                          <input type="hidden" name="intent" value="flag" />
                          <input type="hidden" name="flag_id" value={f.id} />
                          <button type="submit" name="decision" value="cleared" className="button">
                            {t('contests.entries.manage.clear')}
                          </button>{' '}
                          <button type="submit" name="decision" value="rejected" className="button secondary">
                            {t('contests.entries.manage.discard')}
                          </button>
                        </Form>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}

              <h4>{t('contests.entries.manage.results')}</h4>
              {stage.length ? (
                <>
                  <ScrollRegion label={`${t('contests.entries.manage.results')}: ${r.title}`}>
                    <table className="data">
                      <thead>
                        <tr>
                          <th scope="col">{t('contests.entries.manage.rank')}</th>
                          <th scope="col">{t('contests.entries.manage.code')}</th>
                          <th scope="col">{t('contests.entries.manage.judgesCol')}</th>
                          <th scope="col">{t('contests.entries.manage.raw')}</th>
                          <th scope="col">{t('contests.entries.manage.score')}</th>
                          <th scope="col">{t('contests.entries.manage.votes')}</th>
                          <th scope="col">{t('contests.entries.manage.advanced')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {stage.map((s) => (
                          <tr key={s.entryId}>
                            <td>{s.rank}</td>
                            <td>
                              {codes[s.entryId] ?? '—'}
                              {s.marginFlag ? ` · ${t('contests.entries.manage.marginFlag')}` : ''}
                            </td>
                            <td>{s.judges}</td>
                            <td>{s.raw}</td>
                            <td>{s.final}</td>
                            <td>{s.votes}</td>
                            <td>{s.advanced ? '✓' : ''}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </ScrollRegion>
                  <p>
                    <a href={`${base}/entries/${r.id}/export?format=csv`}>{t('contests.entries.manage.exportCsv')}</a> ·{' '}
                    <a href={`${base}/entries/${r.id}/export?format=xlsx`}>{t('contests.entries.manage.exportXlsx')}</a>
                  </p>
                </>
              ) : (
                <p>{t('contests.entries.errors.no_scores')}</p>
              )}
            </article>
          );
        })}
      </section>

      <section aria-labelledby="add-h">
        <h2 id="add-h">{t('contests.entries.manage.addRound')}</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="round" />
          {formError(nr)}
          <TextField
            name="title"
            label={t('contests.fields.title')}
            defaultValue={nr?.values.title ?? ''}
            error={err(nr, 'title')}
            required
          />
          <TextField
            name="opens_at"
            type="datetime-local"
            label={t('contests.manage.opensAt')}
            defaultValue={nr?.values.opens_at ?? ''}
            error={err(nr, 'opens_at')}
            required
          />
          <TextField
            name="closes_at"
            type="datetime-local"
            label={t('contests.manage.closesAt')}
            defaultValue={nr?.values.closes_at ?? ''}
            error={err(nr, 'closes_at')}
            required
          />
          <SelectField
            name="entry_kind"
            label={t('contests.entries.fields.entryKind')}
            defaultValue={nr?.values.entry_kind ?? 'audio'}
            error={err(nr, 'entry_kind')}
          >
            {(['audio', 'video', 'essay', 'photo'] as const).map((k) => (
              <option key={k} value={k}>
                {t(entryKindLabel[k])}
              </option>
            ))}
          </SelectField>
          <TextField
            name="passage_title"
            label={t('contests.entries.fields.passageTitle')}
            defaultValue={nr?.values.passage_title ?? ''}
            error={err(nr, 'passage_title')}
          />
          <TextArea
            name="passage_text"
            label={t('contests.entries.fields.passageText')}
            defaultValue={nr?.values.passage_text ?? ''}
            error={err(nr, 'passage_text')}
            rows={6}
          />
          <TextField
            name="min_seconds"
            inputMode="numeric"
            label={t('contests.entries.fields.minSeconds')}
            defaultValue={nr?.values.min_seconds ?? '60'}
            error={err(nr, 'min_seconds')}
          />
          <TextField
            name="max_seconds"
            inputMode="numeric"
            label={t('contests.entries.fields.maxSeconds')}
            defaultValue={nr?.values.max_seconds ?? '300'}
            error={err(nr, 'max_seconds')}
          />
          <SelectField
            name="stage_level"
            label={t('contests.entries.fields.stageLevel')}
            defaultValue={nr?.values.stage_level ?? 'school'}
            error={err(nr, 'stage_level')}
          >
            {(['school', 'ward', 'province', 'national'] as const).map((k) => (
              <option key={k} value={k}>
                {t(stageLevelLabel[k])}
              </option>
            ))}
          </SelectField>
          <TextField
            name="advance_count"
            inputMode="numeric"
            label={t('contests.entries.fields.advanceCount')}
            defaultValue={nr?.values.advance_count ?? '3'}
            error={err(nr, 'advance_count')}
          />
          <SelectField
            name="previous_round_id"
            label={t('contests.entries.fields.previousRound')}
            defaultValue={nr?.values.previous_round_id ?? ''}
          >
            <option value="">{t('contests.entries.fields.previousNone')}</option>
            {d.rounds.map(({ round: r }) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </SelectField>
          <TextField
            name="judges_per_entry"
            inputMode="numeric"
            label={t('contests.entries.fields.judgesPerEntry')}
            defaultValue={nr?.values.judges_per_entry ?? '2'}
            error={err(nr, 'judges_per_entry')}
          />
          <TextField
            name="margin_points"
            inputMode="numeric"
            label={t('contests.entries.fields.marginPoints')}
            defaultValue={nr?.values.margin_points ?? '20'}
            error={err(nr, 'margin_points')}
          />
          {(['normalise', 'gallery'] as const).map((k) => (
            <label key={k}>
              <input type="checkbox" name={k} defaultChecked={nr ? nr.values[k] === 'on' : k === 'normalise'} />{' '}
              {k === 'normalise' ? t('contests.entries.fields.normalise') : t('contests.entries.fields.gallery')}
            </label>
          ))}
          <VotingFields idPrefix="new" defaults={NO_VOTING} values={nr?.values} errors={nr?.errors} />
          <div className="actions">
            <button type="submit" className="button">
              {t('contests.entries.manage.addRound')}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
