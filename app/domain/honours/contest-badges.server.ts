/**
 * Contest winners' honours: one organiser action issues every prize winner of a contest's
 * published rounds an honour with its Open Badges 3.0 credential — the same rows, signing and
 * verification as an approved nomination (issueBadge), with the contest's unit as issuer and
 * approver. Once per round and winner (a unique index); running it again issues only new ones.
 * The contests area is only read here; this takes a contest id.
 */
import { isUniqueViolation, writeTransaction } from '~/db/dialect';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { absoluteUrl } from '~/lib/origin.server';
import { err, ok, type Result } from '~/lib/result';

import { canApproveFor } from './access.server';
import { issueBadge, signingKey } from './badges.server';
import { isMinor } from './nominations.server';
import { noticeAwarded } from './notices.server';

export type ContestBadgeError = 'not_found' | 'forbidden' | 'no_week';

interface Winner {
  roundId: string;
  roundTitle: string;
  userId: string;
  prize: string;
}

/** Prize winners of the contest's published rounds (quiz results and judged entries). */
async function winnersOf(db: DB, contestId: string): Promise<Winner[]> {
  const quiz = await db
    .selectFrom('contest_results as r')
    .innerJoin('contest_rounds as cr', 'cr.id', 'r.round_id')
    .innerJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select(['r.round_id as roundId', 'cr.title as roundTitle', 'r.user_id as userId', 'p.label as prize', 'r.rank'])
    .where('cr.contest_id', '=', contestId)
    .where('cr.results_status', '=', 'published')
    .orderBy('r.rank')
    .execute();
  const judged = await db
    .selectFrom('contest_entry_results as r')
    .innerJoin('contest_entries as e', 'e.id', 'r.entry_id')
    .innerJoin('contest_rounds as cr', 'cr.id', 'r.round_id')
    .innerJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select(['r.round_id as roundId', 'cr.title as roundTitle', 'e.user_id as userId', 'p.label as prize', 'r.rank'])
    .where('cr.contest_id', '=', contestId)
    .where('cr.results_status', '=', 'published')
    .orderBy('r.rank')
    .execute();
  return [...quiz, ...judged];
}

/** Issues the honours of a contest's winners not yet issued; how many were issued now. */
export async function awardContestBadges(
  db: DB,
  userId: string,
  contestId: string,
  now = new Date(),
): Promise<Result<{ issued: number }, ContestBadgeError>> {
  const contest = await db
    .selectFrom('contests as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .select(['c.id', 'c.slug', 'c.title', 'c.week_year', 'c.unit_id', 'u.slug as unit_slug', 'u.name as unit_name'])
    .where('c.id', '=', contestId)
    .executeTakeFirst();
  if (!contest) return err('not_found');
  if (!(await canApproveFor(db, userId, contest.unit_id))) return err('forbidden');
  if (contest.week_year == null) return err('no_week');
  const week = await db.selectFrom('weeks').select(['year', 'theme_vi']).where('year', '=', contest.week_year).executeTakeFirst();
  if (!week) return err('no_week');
  await signingKey(db);
  let issued = 0;
  for (const w of await winnersOf(db, contestId)) {
    const done = await db
      .selectFrom('honour_nominations')
      .select('id')
      .where('contest_round_id', '=', w.roundId)
      .where('contest_user_id', '=', w.userId)
      .executeTakeFirst();
    if (done) continue;
    const entrant = await db
      .selectFrom('contest_entrants as e')
      .innerJoin('users as u', 'u.id', 'e.user_id')
      .select(['e.full_name', 'e.birth_year', 'e.unit_id', 'u.email'])
      .where('e.contest_id', '=', contestId)
      .where('e.user_id', '=', w.userId)
      .executeTakeFirst();
    if (!entrant) continue;
    const id = newId();
    const at = now.toISOString();
    const headline = `${w.prize} — ${contest.title} · ${w.roundTitle}`;
    try {
      await writeTransaction(db, async (trx) => {
        await trx
          .insertInto('honour_nominations')
          .values({
            id,
            week_year: week.year,
            unit_id: entrant.unit_id,
            approver_unit_id: contest.unit_id,
            category: 'self_learner',
            nominee_name: entrant.full_name,
            nominee_email: entrant.email.toLowerCase(),
            nominee_birth_year: entrant.birth_year,
            // A minor's honour is issued and verifiable, but not on the public roll without consent.
            is_minor: isMinor(week.year, entrant.birth_year) ? 1 : 0,
            consent: 0,
            consent_by: null,
            consent_at: null,
            headline,
            citation_md: '',
            evidence_json: '[]',
            status: 'approved',
            version: 0,
            created_by: userId,
            created_at: at,
            updated_at: at,
            submitted_at: null,
            decided_by: userId,
            decided_at: at,
            contest_round_id: w.roundId,
            contest_user_id: w.userId,
          })
          .execute();
        const contestUrl = absoluteUrl(`/contests/${contest.slug}`);
        await issueBadge(trx, {
          nominationId: id,
          email: entrant.email,
          weekYear: week.year,
          themeVi: week.theme_vi,
          category: 'self_learner',
          categoryLabel: w.prize,
          unit: { slug: contest.unit_slug, name: contest.unit_name },
          nomineeName: entrant.full_name,
          headline,
          citationText: headline,
          evidence: [{ url: contestUrl, label: contest.title }],
          nominationUrl: absoluteUrl(`/honours/${id}`),
          validFrom: at.replace(/\.\d{3}Z$/, 'Z'),
          achievement: {
            id: contestUrl,
            name: `${w.prize} — ${contest.title}`,
            description: headline,
            criteria: `Đạt ${w.prize} theo kết quả đã công bố của ${contest.title} (${w.roundTitle}), do ${contest.unit_name} tổ chức trong Tuần lễ hưởng ứng học tập suốt đời năm ${week.year}.`,
          },
        });
      });
    } catch (e) {
      if (isUniqueViolation(e)) continue; // issued meanwhile by another organiser's click
      throw e;
    }
    issued++;
    await noticeAwarded(db, w.userId, id, { prize: w.prize, contest: contest.title }, now);
  }
  return ok({ issued });
}

/** The organiser's page of a contest's honours: the contest, and how many of its winners have one. */
export async function contestBadgePage(db: DB, userId: string, contestId: string) {
  const c = await db
    .selectFrom('contests')
    .select(['id', 'slug', 'title', 'unit_id', 'week_year'])
    .where('id', '=', contestId)
    .executeTakeFirst();
  if (!c || !(await canApproveFor(db, userId, c.unit_id))) return null;
  const [winners, issued] = await Promise.all([
    winnersOf(db, contestId),
    db
      .selectFrom('honour_nominations as n')
      .innerJoin('contest_rounds as r', 'r.id', 'n.contest_round_id')
      .select(['n.id', 'n.nominee_name', 'n.headline'])
      .where('r.contest_id', '=', contestId)
      .orderBy('n.created_at')
      .execute(),
  ]);
  return { contest: c, winners: winners.length, issued };
}
