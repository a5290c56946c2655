import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { formatDuration, RoundPhaseBadge } from '~/components/contests/RoundPhase';
import { SelectField, TextField } from '~/components/Field';
import { ScrollRegion } from '~/components/ScrollRegion';
import { UnitSelect } from '~/components/UnitSelect';
import { contestAccess } from '~/domain/contests/access.server';
import { manageAction } from '~/domain/contests/actions.server';
import { importBank } from '~/domain/contests/bank.server';
import { roundPhase } from '~/domain/contests/contests.server';
import { managePage } from '~/domain/contests/pages.server';
import { parseRanking, RANK_STEPS } from '~/domain/contests/ranking';
import { auditList } from '~/domain/contests/results.server';
import { mayUseContestBadgeDesk } from '~/domain/honours/contest-badges.server';
import { contestManageSchema } from '~/forms/contests-manage';
import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';
import { requireUser } from '~/lib/auth.server';
import { type ContestFailureCode, contestFailures } from '~/lib/contests-http.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import { receiveBankUpload } from '~/lib/uploads/contest-bank-form.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.contest.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const p = await managePage(db, params.slug!, user.id);
  if (p.status === 'forbidden') forbidden();
  if (p.status !== 'ok') notFound();
  const audit = await auditList(db, user.id, p.contest.id);
  return json({
    contest: {
      id: p.contest.id,
      slug: p.contest.slug,
      title: p.contest.title,
      ranking: parseRanking(p.contest.ranking_json),
      overallStatus: p.contest.overall_status,
      bestRounds: p.contest.overall_best_rounds,
    },
    overall: p.overall,
    levels: p.levels,
    rounds: p.rounds.map((r) => ({
      id: r.id,
      title: r.title,
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      phase: roundPhase(r),
      status: r.results_status,
      realFigure: r.real_figure,
      ranking: p.rankings.find((x) => x.roundId === r.id)?.rows ?? [],
    })),
    prizes: p.prizes,
    bank: p.bank,
    units: p.units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth })),
    figures: p.figures,
    audit: audit.ok ? audit.value : { flags: [], log: [] },
    badgeDesk: await mayUseContestBadgeDesk(db, user.id, p.contest.id),
  });
}

/** Which field shows a domain refusal. */
const FIELD_OF: Partial<Record<string, string>> = {
  ends_before_start: 'closes_at',
  overlap: 'opens_at',
  quota_too_large: 'easy',
  quota_empty: 'easy',
  rank_range: 'rank_to',
  outside_units: 'unit_id',
  reason_required: 'reason',
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await contestAccess(db, { slug: params.slug! }, user.id);
  if (a.status !== 'ok') notFound();
  if (!a.canManage) forbidden();
  const here = `/contests/${a.contest.slug}/manage`;
  if ((request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) {
    const up = await receiveBankUpload(request);
    if (!up.file)
      return badRequest({
        form: 'bank',
        errors: { file: up.tooBig ? 'contests.errors.tooBig' : 'errors.required' } as Record<string, string>,
        values: {},
        rowErrors: [],
        params: {},
      });
    const r = await importBank(db, user.id, a.contest.id, up.file);
    if (!r.ok)
      return badRequest({
        form: 'bank',
        errors: { file: contestFailures[r.code].message } as Record<string, string>,
        values: {},
        rowErrors: r.rowErrors ?? [],
        params: r.detail ?? {},
      });
    return redirectWithFlash(here, { message: 'contests.flash.imported', params: { n: r.value.imported } });
  }
  const parsed = parseForm(contestManageSchema, await request.formData());
  // An unknown or missing intent: the message goes above the forms.
  const intent = parsed.ok ? parsed.data.intent : parsed.errors._form ? 'none' : (parsed.values.intent ?? 'none');
  if (!parsed.ok) return badRequest({ form: intent, errors: parsed.errors, values: parsed.values, rowErrors: [], params: {} });
  const r = await manageAction(db, user.id, a.contest.id, parsed.data);
  if (!r.ok) {
    const code = r.code as ContestFailureCode;
    const message = contestFailures[code]?.message ?? 'errors.invalid';
    return badRequest({
      form: intent,
      errors: { [FIELD_OF[code] ?? '_form']: message } as Record<string, string>,
      values: parsed.values,
      rowErrors: [],
      params: r.detail ?? {},
    });
  }
  return redirectWithFlash(here, { message: r.value });
}

const PROBLEM_KEYS = {
  topic: 'contests.import.problem.topic',
  difficulty: 'contests.import.problem.difficulty',
  kind: 'contests.import.problem.kind',
  question: 'contests.import.problem.question',
  options: 'contests.import.problem.options',
  answer_key: 'contests.import.problem.answer_key',
  points: 'contests.import.problem.points',
} as const;
const STEP_KEYS = {
  score: 'contests.ranking.score',
  prediction: 'contests.ranking.prediction',
  time: 'contests.ranking.time',
  submitted: 'contests.ranking.submitted',
} as const;
const BASIS_KEYS = {
  entrants: 'contests.overall.basis.entrants',
  rate: 'contests.overall.basis.rate',
  collective: 'contests.overall.basis.collective',
} as const;
const OVERALL_STATUS_KEYS = {
  none: 'contests.overall.status.none',
  proposed: 'contests.overall.status.proposed',
  published: 'contests.overall.status.published',
} as const;
const DIFF_KEYS = { easy: 'contests.difficulty.easy', medium: 'contests.difficulty.medium', hard: 'contests.difficulty.hard' } as const;

export default function Manage() {
  const d = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useT();
  const errs = (form: string) => (data?.form === form ? (data.errors as Record<string, string | undefined>) : {});
  const vals = (form: string) => (data?.form === form ? (data.values as Record<string, string | undefined>) : {});
  const msg = (form: string, field: string) => {
    const e = errs(form)[field];
    return e ? t(asKey(e), data?.params ?? {}) : undefined;
  };
  const base = `/contests/${d.contest.slug}`;
  const rv = vals('round');
  // Refusals not tied to a visible field (a round's buttons, the contest-wide buttons) show above the forms.
  const all = (data?.errors ?? {}) as Record<string, string | undefined>;
  const banner = all._form ?? (data?.form !== 'prize' ? (all.round_id ?? all.user_id) : undefined);
  const pv = vals('prize');
  return (
    <div className="contest-manage">
      <Breadcrumb
        items={[
          { to: '/contests', label: t('contests.list.title') },
          { to: base, label: d.contest.title },
          { label: t('contests.page.manage') },
        ]}
      />
      <h1>{t('contests.manage.title', { title: d.contest.title })}</h1>
      {d.badgeDesk ? (
        <p>
          <Link to={`/honours/contests/${d.contest.id}`}>{t('honours.contest.deskLink')}</Link>
        </p>
      ) : null}
      {banner ? (
        <div className="form-error" role="alert">
          {t(asKey(banner), data?.params ?? {})}
        </div>
      ) : null}

      <section aria-labelledby="bank-h">
        <h2 id="bank-h">{t('contests.manage.bank')}</h2>
        {d.bank.length ? (
          <ScrollRegion labelledBy="bank-h">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('contests.manage.topic')}</th>
                  <th scope="col">{t('contests.manage.difficulty')}</th>
                  <th scope="col">{t('contests.manage.count')}</th>
                </tr>
              </thead>
              <tbody>
                {d.bank.map((b) => (
                  <tr key={`${b.topic}-${b.difficulty}`}>
                    <td>{b.topic}</td>
                    <td>{t(DIFF_KEYS[b.difficulty])}</td>
                    <td>{b.n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        ) : (
          <p>{t('contests.manage.bankEmpty')}</p>
        )}
        <p>
          <a href="/contests/template.xlsx" download>
            {t('contests.manage.template')}
          </a>
        </p>
        <Form method="post" encType="multipart/form-data" className="stack">
          <TextField
            name="file"
            type="file"
            accept=".xlsx,.csv"
            label={t('contests.manage.file')}
            hint={t('contests.manage.fileHint')}
            error={errs('bank').file}
            required
          />
          {data?.form === 'bank' && data.rowErrors.length ? (
            <ul className="contest-row-errors" aria-label={t('contests.import.rowErrors')}>
              {(data.rowErrors as Array<{ row: number; problem: keyof typeof PROBLEM_KEYS }>).map((r) => (
                <li key={r.row}>{t('contests.import.row', { row: r.row, problem: t(PROBLEM_KEYS[r.problem]) })}</li>
              ))}
            </ul>
          ) : null}
          <button type="submit">{t('contests.manage.import')}</button>
        </Form>
      </section>

      <section aria-labelledby="rounds-h">
        <h2 id="rounds-h">{t('contests.page.rounds')}</h2>
        {d.rounds.map((r) => (
          <article key={r.id} className="card" aria-labelledby={`r-${r.id}`}>
            <h3 id={`r-${r.id}`}>
              {r.title} <RoundPhaseBadge phase={r.phase} />
            </h3>
            <p>{t('contests.page.window', { opens: formatDateTime(r.opensAt), closes: formatDateTime(r.closesAt) })}</p>
            <div className="actions">
              {r.phase === 'open' ? (
                <Form method="post">
                  <input type="hidden" name="round_id" value={r.id} />
                  <button type="submit" name="intent" value="close_now" className="secondary">
                    {t('contests.manage.closeNow')}
                  </button>
                </Form>
              ) : null}
              {r.phase === 'closed' ? (
                <Form method="post">
                  <input type="hidden" name="round_id" value={r.id} />
                  <button type="submit" name="intent" value="propose">
                    {r.status === 'none' ? t('contests.manage.propose') : t('contests.manage.recompute')}
                  </button>
                </Form>
              ) : null}
              {r.status === 'proposed' ? (
                <Form method="post">
                  <input type="hidden" name="round_id" value={r.id} />
                  <button type="submit" name="intent" value="confirm">
                    {t('contests.manage.confirm')}
                  </button>
                </Form>
              ) : null}
              {r.status === 'published' ? <Link to={`${base}/rounds/${r.id}/results`}>{t('contests.page.results')}</Link> : null}
            </div>
            {r.status !== 'none' ? (
              <>
                <p>{t('contests.results.realFigure', { n: r.realFigure ?? 0 })}</p>
                <ScrollRegion label={t('contests.manage.ranking', { round: r.title })}>
                  <table className="data">
                    <thead>
                      <tr>
                        <th scope="col">{t('contests.results.rank')}</th>
                        <th scope="col">{t('contests.results.name')}</th>
                        <th scope="col">{t('contests.results.unit')}</th>
                        <th scope="col">{t('contests.results.score')}</th>
                        <th scope="col">{t('contests.results.gap')}</th>
                        <th scope="col">{t('contests.results.time')}</th>
                        <th scope="col">{t('contests.results.prize')}</th>
                        <th scope="col">{t('contests.manage.disqualify')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.ranking.map((x) => (
                        <tr key={x.user_id}>
                          <td>{x.rank}</td>
                          <td>{x.full_name}</td>
                          <td>{x.unit_name}</td>
                          <td>
                            {x.score}/{x.max_score}
                          </td>
                          <td>{x.prediction_gap ?? '—'}</td>
                          <td>{formatDuration(x.duration_ms)}</td>
                          <td>{x.prize ?? ''}</td>
                          <td>
                            <Form method="post" className="contest-inline-form">
                              <input type="hidden" name="round_id" value={r.id} />
                              <input type="hidden" name="user_id" value={x.user_id} />
                              <label className="visually-hidden" htmlFor={`dq-${r.id}-${x.user_id}`}>
                                {t('contests.manage.reason', { name: x.full_name })}
                              </label>
                              <input id={`dq-${r.id}-${x.user_id}`} name="reason" maxLength={300} required />
                              <button type="submit" name="intent" value="disqualify" className="secondary">
                                {t('contests.manage.disqualify')}
                              </button>
                            </Form>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollRegion>
              </>
            ) : null}
          </article>
        ))}
        <h3 id="add-round-h">{t('contests.manage.addRound')}</h3>
        <Form method="post" className="stack" aria-labelledby="add-round-h">
          <input type="hidden" name="intent" value="round" />
          <TextField
            name="title"
            id="round-title"
            label={t('contests.manage.roundTitle')}
            defaultValue={rv.title}
            error={errs('round').title}
            required
          />
          <TextField
            name="opens_at"
            type="datetime-local"
            label={t('contests.manage.opensAt')}
            defaultValue={rv.opens_at}
            error={msg('round', 'opens_at')}
            required
          />
          <TextField
            name="closes_at"
            type="datetime-local"
            label={t('contests.manage.closesAt')}
            defaultValue={rv.closes_at}
            error={msg('round', 'closes_at')}
            required
          />
          <TextField
            name="time_limit_min"
            label={t('contests.manage.timeLimit')}
            inputMode="numeric"
            defaultValue={rv.time_limit_min ?? '15'}
            error={errs('round').time_limit_min}
            required
          />
          <TextField
            name="topic"
            label={t('contests.manage.quotaTopic')}
            hint={t('contests.manage.quotaTopicHint')}
            defaultValue={rv.topic}
            error={errs('round').topic}
          />
          <TextField
            name="easy"
            label={t('contests.manage.quotaEasy')}
            inputMode="numeric"
            defaultValue={rv.easy ?? '5'}
            error={msg('round', 'easy')}
          />
          <TextField
            name="medium"
            label={t('contests.manage.quotaMedium')}
            inputMode="numeric"
            defaultValue={rv.medium ?? '3'}
            error={errs('round').medium}
          />
          <TextField
            name="hard"
            label={t('contests.manage.quotaHard')}
            inputMode="numeric"
            defaultValue={rv.hard ?? '2'}
            error={errs('round').hard}
          />
          <button type="submit">{t('contests.manage.addRound')}</button>
        </Form>
      </section>

      <section aria-labelledby="prizes-h">
        <h2 id="prizes-h">{t('contests.page.prizes')}</h2>
        <ul>
          {d.prizes.map((z) => (
            <li key={z.id}>
              {z.label}: {z.rank_from}–{z.rank_to} · {d.rounds.find((r) => r.id === z.round_id)?.title ?? t('contests.page.overall')}
              {z.basis
                ? ` · ${t(BASIS_KEYS[z.basis])} · ${t('contests.overall.levelN', { n: z.unit_depth ?? 1, example: d.levels.find((l) => l.level === (z.unit_depth ?? 1))?.example ?? '' })}`
                : ''}{' '}
              · {t('contests.manage.points', { n: z.points })}
            </li>
          ))}
        </ul>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="prize" />
          <SelectField
            name="round_id"
            label={t('contests.manage.prizeRound')}
            defaultValue={pv.round_id ?? ''}
            error={msg('prize', 'round_id')}
          >
            <option value="">{t('contests.page.overall')}</option>
            {d.rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </SelectField>
          <TextField
            name="label"
            label={t('contests.manage.prizeLabel')}
            defaultValue={vals('prize').label}
            error={errs('prize').label}
            required
          />
          <TextField
            name="rank_from"
            label={t('contests.manage.rankFrom')}
            inputMode="numeric"
            defaultValue={vals('prize').rank_from ?? '1'}
            error={errs('prize').rank_from}
            required
          />
          <TextField
            name="rank_to"
            label={t('contests.manage.rankTo')}
            inputMode="numeric"
            defaultValue={vals('prize').rank_to ?? '1'}
            error={errs('prize').rank_to}
            required
          />
          <TextField
            name="points"
            label={t('contests.manage.prizePoints')}
            inputMode="numeric"
            defaultValue={vals('prize').points ?? '10'}
            error={errs('prize').points}
            required
          />
          <SelectField name="basis" label={t('contests.overall.kind')} defaultValue={pv.basis ?? ''} error={errs('prize').basis}>
            <option value="">{t('contests.overall.kindPerson')}</option>
            {(['entrants', 'rate', 'collective'] as const).map((b) => (
              <option key={b} value={b}>
                {t(BASIS_KEYS[b])}
              </option>
            ))}
          </SelectField>
          <SelectField
            name="unit_depth"
            label={t('contests.overall.level')}
            defaultValue={pv.unit_depth ?? '1'}
            error={msg('prize', 'unit_depth')}
          >
            {d.levels.map((l) => (
              <option key={l.level} value={String(l.level)}>
                {t('contests.overall.levelN', { n: l.level, example: l.example })}
              </option>
            ))}
          </SelectField>
          <button type="submit">{t('contests.manage.addPrize')}</button>
        </Form>
      </section>

      <section aria-labelledby="overall-h">
        <h2 id="overall-h">{t('contests.overall.title')}</h2>
        <p>{t('contests.overall.manageIntro')}</p>
        <p>
          {d.contest.bestRounds ? t('contests.overall.ruleBest', { n: d.contest.bestRounds }) : t('contests.overall.ruleAll')}{' '}
          {t(OVERALL_STATUS_KEYS[d.contest.overallStatus])}
        </p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="overall_rule" />
          <TextField
            name="best_rounds"
            label={t('contests.overall.bestRounds')}
            hint={t('contests.overall.bestRoundsHint')}
            inputMode="numeric"
            defaultValue={vals('overall_rule').best_rounds ?? (d.contest.bestRounds ? String(d.contest.bestRounds) : '')}
            error={msg('overall_rule', 'best_rounds')}
          />
          <button type="submit">{t('contests.overall.saveRule')}</button>
        </Form>
        <div className="actions">
          <Form method="post">
            <button type="submit" name="intent" value="propose_overall">
              {d.contest.overallStatus === 'none' ? t('contests.overall.propose') : t('contests.overall.recompute')}
            </button>
          </Form>
          {d.contest.overallStatus !== 'none' ? (
            <Form method="post">
              <button type="submit" name="intent" value="confirm_overall">
                {t('contests.overall.confirm')}
              </button>
            </Form>
          ) : null}
          {d.contest.overallStatus === 'published' ? <Link to={`${base}/results`}>{t('contests.overall.results')}</Link> : null}
        </div>
        {d.overall ? (
          <>
            <ScrollRegion label={t('contests.overall.preview')}>
              <table className="data">
                <caption>{t('contests.overall.preview')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('contests.results.rank')}</th>
                    <th scope="col">{t('contests.results.name')}</th>
                    <th scope="col">{t('contests.results.unit')}</th>
                    <th scope="col">{t('contests.overall.rounds')}</th>
                    <th scope="col">{t('contests.results.score')}</th>
                    <th scope="col">{t('contests.results.gap')}</th>
                    <th scope="col">{t('contests.results.time')}</th>
                    <th scope="col">{t('contests.results.prize')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.overall.ranking.map((x) => (
                    <tr key={x.user_id}>
                      <td>{x.rank}</td>
                      <td>{x.full_name}</td>
                      <td>{x.unit_name}</td>
                      <td>{x.rounds}</td>
                      <td>
                        {x.score}/{x.max_score}
                      </td>
                      <td>{x.prediction_gap ?? '—'}</td>
                      <td>{formatDuration(x.duration_ms)}</td>
                      <td>{x.prize ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
            <h3 id="overall-units-h">{t('contests.overall.unitWinners')}</h3>
            {d.overall.units.length ? (
              <ScrollRegion labelledBy="overall-units-h">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('contests.results.prize')}</th>
                      <th scope="col">{t('contests.results.rank')}</th>
                      <th scope="col">{t('contests.results.unit')}</th>
                      <th scope="col">{t('contests.overall.value')}</th>
                      <th scope="col">{t('contests.board.entrants')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.overall.units.map((u) => (
                      <tr key={`${u.prize_id}-${u.unit_id}`}>
                        <td>{u.label}</td>
                        <td>{u.rank}</td>
                        <td>{u.name}</td>
                        <td>{Number(u.value)}</td>
                        <td>{u.entrants}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            ) : (
              <p>{t('contests.overall.noUnitWinners')}</p>
            )}
          </>
        ) : null}
      </section>

      <section aria-labelledby="ranking-h">
        <h2 id="ranking-h">{t('contests.manage.rankingRule')}</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="ranking" />
          {d.contest.ranking.map((r, i) => (
            <div key={i} className="contest-inline-form">
              <SelectField
                name={`order_${i + 1}`}
                label={t('contests.manage.step', { n: i + 1 })}
                defaultValue={r.step}
                error={i === 0 ? errs('ranking').order_1 : undefined}
              >
                {RANK_STEPS.map((s) => (
                  <option key={s} value={s}>
                    {t(STEP_KEYS[s])}
                  </option>
                ))}
              </SelectField>
            </div>
          ))}
          <fieldset>
            <legend>{t('contests.manage.stepsOn')}</legend>
            {RANK_STEPS.map((s) => (
              <label key={s} className="choice">
                <input type="checkbox" name={`on_${s}`} value="1" defaultChecked={d.contest.ranking.find((r) => r.step === s)?.on} />{' '}
                {t(STEP_KEYS[s])}
              </label>
            ))}
          </fieldset>
          <button type="submit">{t('contests.manage.saveRanking')}</button>
        </Form>
      </section>

      <section aria-labelledby="pop-h">
        <h2 id="pop-h">{t('contests.manage.population')}</h2>
        <ul>
          {d.figures.map((f) => (
            <li key={f.name}>
              {f.name}: {f.population}
            </li>
          ))}
        </ul>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="population" />
          <UnitSelect
            name="unit_id"
            label={t('contests.manage.populationUnit')}
            units={d.units}
            defaultValue={vals('population').unit_id}
            error={errs('population').unit_id}
            optional={false}
          />
          <TextField
            name="population"
            label={t('contests.manage.populationFigure')}
            inputMode="numeric"
            defaultValue={vals('population').population}
            error={errs('population').population}
            required
          />
          <button type="submit">{t('contests.manage.savePopulation')}</button>
        </Form>
      </section>

      <section aria-labelledby="audit-h">
        <h2 id="audit-h">{t('contests.manage.audit')}</h2>
        <h3>{t('contests.manage.flags')}</h3>
        {d.audit.flags.length === 0 ? (
          <p>{t('contests.manage.noFlags')}</p>
        ) : (
          <ul>
            {d.audit.flags.map((f) => (
              <li key={f.id}>
                {f.round_title}: {f.kind === 'identical' ? t('contests.manage.flagIdentical') : t('contests.manage.flagTooFast')} —{' '}
                {f.entrants.map((e) => e.full_name).join(', ')} ({f.detail})
              </li>
            ))}
          </ul>
        )}
        <h3>{t('contests.manage.log')}</h3>
        <ul>
          {d.audit.log.map((l) => (
            <li key={l.id}>
              {formatDateTime(l.created_at)} · {l.actor ?? t('contests.manage.system')} · {l.action}
              {l.target ? ` · ${l.target}` : ''} · {l.reason}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="export-h">
        <h2 id="export-h">{t('contests.manage.exports')}</h2>
        <ul>
          <li>
            <a href={`${base}/export?what=results&format=csv`}>{t('contests.manage.exportResultsCsv')}</a>
          </li>
          <li>
            <a href={`${base}/export?what=results&format=xlsx`}>{t('contests.manage.exportResultsXlsx')}</a>
          </li>
          <li>
            <a href={`${base}/export?what=participation&format=csv`}>{t('contests.manage.exportParticipationCsv')}</a>
          </li>
          <li>
            <a href={`${base}/export?what=participation&format=xlsx`}>{t('contests.manage.exportParticipationXlsx')}</a>
          </li>
          <li>
            <a href={`${base}/export?what=overall&format=csv`}>{t('contests.overall.exportOverallCsv')}</a>
          </li>
          <li>
            <a href={`${base}/export?what=overall&format=xlsx`}>{t('contests.overall.exportOverallXlsx')}</a>
          </li>
          <li>
            <a href={`${base}/export?what=unit_prizes&format=csv`}>{t('contests.overall.exportUnitsCsv')}</a>
          </li>
          <li>
            <a href={`${base}/export?what=unit_prizes&format=xlsx`}>{t('contests.overall.exportUnitsXlsx')}</a>
          </li>
          <li>
            <a href={`${base}/export?what=round_unit_prizes&format=csv`}>{t('contests.overall.exportRoundUnitsCsv')}</a>
          </li>
          <li>
            <a href={`${base}/export?what=round_unit_prizes&format=xlsx`}>{t('contests.overall.exportRoundUnitsXlsx')}</a>
          </li>
        </ul>
      </section>
    </div>
  );
}
