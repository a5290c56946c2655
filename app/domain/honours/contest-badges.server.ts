/**
 * Contest winners' honours: every prize winner of a contest's published rounds (quiz results and
 * judged entries) and of its published contest-wide prizes is issued an honour with its Open
 * Badges 3.0 credential — the same rows, signing and verification as an approved nomination
 * (issueBadge), with the contest's unit as issuer and approver. Once per round (or contest-wide
 * prize list) and winner: unique indexes, so a second publication or a concurrent click issues
 * nothing twice.
 *
 * Two ways in: automatically when an organiser publishes results (`awardBadgesOnPublish`, called
 * by the contests area right after it publishes; on by default, turned off per contest on the
 * badge desk), and by hand on the desk (`awardContestBadges`) for winners not yet issued.
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
  /** The round of a round prize; null for a contest-wide prize. */
  roundId: string | null;
  roundTitle: string | null;
  userId: string;
  prize: string;
}

/**
 * Prize winners of the contest's published rounds (quiz results and judged entries) and of its
 * published contest-wide prizes (people only: a unit prize has no person to hold a badge).
 */
async function winnersOf(db: DB, contestId: string): Promise<Winner[]> {
  const quiz = await db
    .selectFrom('contest_results as r')
    .innerJoin('contest_rounds as cr', 'cr.id', 'r.round_id')
    .innerJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select(['r.round_id as roundId', 'cr.title as roundTitle', 'r.user_id as userId', 'p.label as prize', 'r.rank'])
    .where('cr.contest_id', '=', contestId)
    .where('cr.results_status', '=', 'published')
    .orderBy('cr.opens_at')
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
    .orderBy('cr.opens_at')
    .orderBy('r.rank')
    .execute();
  const overall = await db
    .selectFrom('contest_overall_results as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .innerJoin('contest_prizes as p', 'p.id', 'r.prize_id')
    .select(['r.user_id as userId', 'p.label as prize', 'r.rank'])
    .where('r.contest_id', '=', contestId)
    .where('c.overall_status', '=', 'published')
    .orderBy('r.rank')
    .execute();
  return [...quiz, ...judged, ...overall.map((o) => ({ ...o, roundId: null, roundTitle: null }))];
}

/** Whether the contest's winners get their badges when results are published (no row: yes). */
export async function autoBadgesOn(db: DB, contestId: string): Promise<boolean> {
  const row = await db.selectFrom('honour_contest_settings').select('auto_badges').where('contest_id', '=', contestId).executeTakeFirst();
  return row ? row.auto_badges === 1 : true;
}

async function contestOf(db: DB, contestId: string) {
  return db
    .selectFrom('contests as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .select(['c.id', 'c.slug', 'c.title', 'c.week_year', 'c.unit_id', 'u.slug as unit_slug', 'u.name as unit_name'])
    .where('c.id', '=', contestId)
    .executeTakeFirst();
}

/** Issues the honours of a contest's winners not yet issued (access already checked); how many now. */
async function issueMissing(
  db: DB,
  actorId: string,
  contest: NonNullable<Awaited<ReturnType<typeof contestOf>>>,
  now: Date,
): Promise<Result<{ issued: number }, 'no_week'>> {
  if (contest.week_year == null) return err('no_week');
  const week = await db.selectFrom('weeks').select(['year', 'theme_vi']).where('year', '=', contest.week_year).executeTakeFirst();
  if (!week) return err('no_week');
  const winners = await winnersOf(db, contest.id);
  if (!winners.length) return ok({ issued: 0 });
  await signingKey(db);
  let issued = 0;
  for (const w of winners) {
    const q = db.selectFrom('honour_nominations').select('id').where('contest_user_id', '=', w.userId);
    const done = await (
      w.roundId ? q.where('contest_round_id', '=', w.roundId) : q.where('contest_overall_id', '=', contest.id)
    ).executeTakeFirst();
    if (done) continue;
    const entrant = await db
      .selectFrom('contest_entrants as e')
      .innerJoin('users as u', 'u.id', 'e.user_id')
      .select(['e.full_name', 'e.birth_year', 'e.unit_id', 'u.email'])
      .where('e.contest_id', '=', contest.id)
      .where('e.user_id', '=', w.userId)
      .executeTakeFirst();
    if (!entrant) continue;
    const id = newId();
    const at = now.toISOString();
    const headline = w.roundTitle ? `${w.prize} — ${contest.title} · ${w.roundTitle}` : `${w.prize} — ${contest.title}`;
    const what = w.roundTitle ? `${contest.title} (${w.roundTitle})` : contest.title;
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
            created_by: actorId,
            created_at: at,
            updated_at: at,
            submitted_at: null,
            decided_by: actorId,
            decided_at: at,
            contest_round_id: w.roundId,
            contest_user_id: w.userId,
            contest_overall_id: w.roundId ? null : contest.id,
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
            criteria: `Đạt ${w.prize} theo kết quả đã công bố của ${what}, do ${contest.unit_name} tổ chức trong Tuần lễ hưởng ứng học tập suốt đời năm ${week.year}.`,
          },
        });
      });
    } catch (e) {
      if (isUniqueViolation(e)) continue; // issued meanwhile (another organiser's click, a concurrent publication)
      throw e;
    }
    issued++;
    await noticeAwarded(db, w.userId, id, { prize: w.prize, contest: contest.title }, now);
  }
  return ok({ issued });
}

/** The badge desk's button: issues the honours of a contest's winners not yet issued; how many now. */
export async function awardContestBadges(
  db: DB,
  userId: string,
  contestId: string,
  now = new Date(),
): Promise<Result<{ issued: number }, ContestBadgeError>> {
  const contest = await contestOf(db, contestId);
  if (!contest) return err('not_found');
  if (!(await canApproveFor(db, userId, contest.unit_id))) return err('forbidden');
  return issueMissing(db, userId, contest, now);
}

/**
 * Called by the contests area right after `userId` published results of the contest (a round's,
 * or the contest-wide prizes): issues the winners' badges unless the contest's organisers turned
 * the automatic issue off. A contest outside any Week issues none (an honour belongs to a Week):
 * `skipped` says why nothing was issued. The publisher must be one who may use the badge desk
 * (an organiser of the contest's unit — the same people who publish its results).
 */
export async function awardBadgesOnPublish(
  db: DB,
  userId: string,
  contestId: string,
  now = new Date(),
): Promise<Result<{ issued: number; skipped: 'off' | 'no_week' | null }, 'not_found' | 'forbidden'>> {
  const contest = await contestOf(db, contestId);
  if (!contest) return err('not_found');
  if (!(await canApproveFor(db, userId, contest.unit_id))) return err('forbidden');
  if (!(await autoBadgesOn(db, contestId))) return ok({ issued: 0, skipped: 'off' });
  const r = await issueMissing(db, userId, contest, now);
  return r.ok ? ok({ issued: r.value.issued, skipped: null }) : ok({ issued: 0, skipped: 'no_week' });
}

/** The desk's setting: whether publishing results issues the winners' badges (per contest). */
export async function setAutoBadges(
  db: DB,
  userId: string,
  contestId: string,
  on: boolean,
  now = new Date(),
): Promise<Result<{ on: boolean }, 'not_found' | 'forbidden'>> {
  const c = await db.selectFrom('contests').select(['id', 'unit_id']).where('id', '=', contestId).executeTakeFirst();
  if (!c) return err('not_found');
  if (!(await canApproveFor(db, userId, c.unit_id))) return err('forbidden');
  const values = { auto_badges: on ? (1 as const) : (0 as const), updated_by: userId, updated_at: now.toISOString() };
  await db
    .insertInto('honour_contest_settings')
    .values({ contest_id: contestId, ...values })
    .onConflict((oc) => oc.column('contest_id').doUpdateSet(values))
    .execute();
  return ok({ on });
}

/** Whether the user may use a contest's badge desk (shown as a link only to them). */
export async function mayUseContestBadgeDesk(db: DB, userId: string | null | undefined, contestId: string): Promise<boolean> {
  if (!userId) return false;
  const c = await db.selectFrom('contests').select('unit_id').where('id', '=', contestId).executeTakeFirst();
  return !!c && canApproveFor(db, userId, c.unit_id);
}

/** The contests whose badge desk the user may use (organisers of the contest's unit or above), newest first. */
export async function contestBadgeDesks(db: DB, userId: string) {
  return db
    .selectFrom('contests as c')
    .innerJoin('unit_closure as uc', 'uc.descendant_id', 'c.unit_id')
    .innerJoin('role_grants as g', 'g.unit_id', 'uc.ancestor_id')
    .select(['c.id', 'c.title', 'c.week_year', 'c.created_at'])
    .distinct()
    .where('g.user_id', '=', userId)
    .where('g.role', 'in', ['organiser', 'admin'])
    .where('c.week_year', 'is not', null)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .limit(50)
    .execute();
}

/** The organiser's page of a contest's honours: the contest, its winners, the honours issued and the setting. */
export async function contestBadgePage(db: DB, userId: string, contestId: string) {
  const c = await db
    .selectFrom('contests')
    .select(['id', 'slug', 'title', 'unit_id', 'week_year'])
    .where('id', '=', contestId)
    .executeTakeFirst();
  if (!c || !(await canApproveFor(db, userId, c.unit_id))) return null;
  const [winners, issued, auto] = await Promise.all([
    winnersOf(db, contestId),
    db
      .selectFrom('honour_nominations as n')
      .leftJoin('contest_rounds as r', 'r.id', 'n.contest_round_id')
      .leftJoin('honour_badges as b', 'b.nomination_id', 'n.id')
      .select(['n.id', 'n.nominee_name', 'n.headline', 'b.code', 'b.revoked_at'])
      .where((eb) => eb.or([eb('r.contest_id', '=', contestId), eb('n.contest_overall_id', '=', contestId)]))
      .select('n.created_at')
      .orderBy('n.created_at')
      .execute(),
    autoBadgesOn(db, contestId),
  ]);
  // Issued together (one publication) → by name, in Vietnamese order.
  const vi = new Intl.Collator('vi');
  issued.sort((a, b) => a.created_at.localeCompare(b.created_at) || vi.compare(a.nominee_name, b.nominee_name));
  return { contest: c, winners: winners.length, issued, auto };
}
