/**
 * What each club page shows, in one call per page (loaders stay thin). Children under 15 are
 * shown by first name only; private clubs show their inside (members, links, polls) to members.
 */
import { sql } from 'kysely';

import { toNumber } from '~/db/dialect';
import { generationBand, unitsWithAnyRole } from '~/domain/accounts.server';
import type { DB } from '~/lib/db.server';
import { renderMarkdown } from '~/lib/markdown.server';
import { cachedData } from '~/lib/page-cache.server';

import { clubAccess } from './access.server';
import { calendarToken } from './calendar.server';
import { displayNameFor, generationMix, myClubs } from './clubs.server';
import type { IrvResult } from './irv';
import { meetingRoster, upcomingMeetings } from './meetings.server';
import { pairsForClub } from './pairs.server';
import { myBallot, pollOptions } from './polls.server';
import { challengeProgress, myLogs, streak } from './reading.server';
import type { ClubPageView } from './shell.server';

/** `view`: a shared render's stand-in, seen as its visitors are (./shell.server.ts). */
export async function clubPage(db: DB, slug: string, userId: string | null, now = new Date(), view?: ClubPageView) {
  const a = await clubAccess(db, { slug }, userId, view);
  if (a.status !== 'ok') return a;
  const { club } = a;
  const unit = await db.selectFrom('units').select(['name', 'name_en']).where('id', '=', club.unit_id).executeTakeFirstOrThrow();
  const [mix, meetings, polls] = await Promise.all([
    // The same for every visitor: kept until the club changes (every membership write bumps it).
    cachedData(db, `clubs:mix:${club.id}`, [`clubs:${club.slug}`], () => generationMix(db, club.id, now)),
    a.canReadInside ? upcomingMeetings(db, club.id, now) : Promise.resolve([]),
    a.canReadInside
      ? db
          .selectFrom('club_polls')
          .select(['id', 'question', 'status', 'closes_at'])
          .where('club_id', '=', club.id)
          .orderBy('created_at', 'desc')
          .limit(10)
          .execute()
      : Promise.resolve([]),
  ]);
  // The page shows a summary of the members (the mix above, the moderators, a link to the full
  // list at /clubs/:slug/members): the moderators are the same for every reader (kept like the mix);
  // a moderator also sees how many requests wait, read each time.
  const moderators = !a.canReadInside
    ? []
    : await cachedData(db, `clubs:moderators:${club.id}`, [`clubs:${club.slug}`], async () =>
        (await memberList(db, club.id, ['active'], now, 'moderator')).map((m) => m.name),
      );
  const pendingRequests = a.canModerate
    ? toNumber(
        (
          await db
            .selectFrom('club_members')
            .select(sql<number>`count(*)`.as('n'))
            .where('club_id', '=', club.id)
            .where('status', '=', 'pending')
            .executeTakeFirst()
        )?.n,
      )
    : 0;
  const myRsvps = view
    ? Object.entries(view.rsvps).map(([meeting_id, state]) => ({ meeting_id, state }))
    : userId
      ? await db
          .selectFrom('club_rsvps')
          .select(['meeting_id', 'state', 'waitlist_seq'])
          .where('user_id', '=', userId)
          .where('meeting_id', 'in', meetings.map((m) => m.id).concat(['-']))
          .execute()
      : [];
  const pairs = await pairsForClub(db, club.id, a.isMember ? userId : null, now);
  return {
    status: 'ok' as const,
    pairs,
    access: {
      isMember: a.isMember,
      canReadInside: a.canReadInside,
      canModerate: a.canModerate,
      canApprove: a.canApprove,
      membership: a.membership,
    },
    club: {
      id: club.id,
      slug: club.slug,
      name: club.name,
      descriptionHtml: renderMarkdown(club.description_md),
      coverUrl: club.cover_url,
      language: club.language,
      audience: club.audience,
      visibility: club.visibility,
      joinCode: a.canModerate ? club.join_code : null,
      intergenerational: club.intergenerational === 1,
      status: club.status,
      unit,
    },
    mix,
    moderators,
    pendingRequests,
    meetings: meetings.map((m) => ({
      id: m.id,
      title: m.title,
      mode: m.mode,
      startsAt: m.starts_at,
      endsAt: m.ends_at,
      capacity: m.capacity,
      status: m.status,
      confirmed: toNumber(m.confirmed),
      mine: myRsvps.find((r) => r.meeting_id === m.id)?.state ?? 'none',
    })),
    polls,
  };
}

/** A club's members as others see them (children by first name), moderators first, by name. */
async function memberList(db: DB, clubId: string, statuses: Array<'active' | 'pending'>, now: Date, role?: 'moderator') {
  let q = db
    .selectFrom('club_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.display_name', 'u.birth_year', 'm.role', 'm.status'])
    .where('m.club_id', '=', clubId)
    .where('m.status', 'in', statuses);
  if (role) q = q.where('m.role', '=', role);
  const rows = await q.orderBy('m.role', 'desc').orderBy('u.display_name').limit(500).execute();
  return rows.map((m) => ({ id: m.user_id, name: displayNameFor(m.display_name, m.birth_year, now), role: m.role, status: m.status }));
}

/**
 * A club's full member list (`/clubs/:slug/members`): the active members, moderators first, by name
 * (children by first name), with the reader's pairs (no "read together" for a member already paired
 * with them, nor on their own row); a moderator's list has the pending requests too. Rendered for
 * each reader (not a shared render). Outsiders of a private club: `forbidden`.
 */
export async function clubMembersPage(db: DB, slug: string, userId: string | null, now = new Date()) {
  const a = await clubAccess(db, { slug }, userId);
  if (a.status !== 'ok') return a;
  const { club } = a;
  if (!a.canReadInside) return { status: 'forbidden' as const };
  const [members, pairs] = await Promise.all([
    a.canModerate
      ? memberList(db, club.id, ['active', 'pending'], now)
      : cachedData(db, `clubs:members:${club.id}`, [`clubs:${club.slug}`], () => memberList(db, club.id, ['active'], now)),
    pairsForClub(db, club.id, a.isMember ? userId : null, now),
  ]);
  const paired = new Set(pairs.mine.map((p) => p.otherId));
  return {
    status: 'ok' as const,
    club: { slug: club.slug, name: club.name, status: club.status },
    access: { isMember: a.isMember, canModerate: a.canModerate },
    members: members.map((m) => ({ ...m, canInvite: a.isMember && m.id !== userId && !paired.has(m.id) })),
  };
}

export async function meetingPage(db: DB, slug: string, meetingId: string, userId: string | null, now = new Date()) {
  const a = await clubAccess(db, { slug }, userId);
  if (a.status !== 'ok') return a;
  const m = await db
    .selectFrom('club_meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .where('club_id', '=', a.club.id)
    .executeTakeFirst();
  if (!m) return { status: 'missing' as const };
  const roster = a.canReadInside ? await meetingRoster(db, m.id) : [];
  const mine = userId ? roster.find((r) => r.user_id === userId) : undefined;
  const position =
    mine?.state === 'waitlisted'
      ? roster.filter((r) => r.state === 'waitlisted' && Number(r.waitlist_seq) < Number(mine.waitlist_seq)).length + 1
      : null;
  return {
    status: 'ok' as const,
    club: { slug: a.club.slug, name: a.club.name },
    access: { isMember: a.isMember, canReadInside: a.canReadInside, canModerate: a.canModerate },
    meeting: {
      id: m.id,
      title: m.title,
      mode: m.mode,
      link: a.canReadInside ? m.link : null,
      place: m.place,
      startsAt: m.starts_at,
      endsAt: m.ends_at,
      agendaHtml: renderMarkdown(m.agenda_md),
      capacity: m.capacity,
      status: m.status,
      started: Date.parse(m.starts_at) <= now.getTime(),
    },
    mine: mine ? { state: mine.state, position } : { state: 'none' as const, position: null },
    roster: a.canModerate
      ? roster.map((r) => ({
          id: r.user_id,
          name: displayNameFor(r.display_name, r.birth_year, now),
          state: r.state,
          seq: r.waitlist_seq,
          attended: r.attended,
        }))
      : [],
    confirmed: roster.filter((r) => r.state === 'confirmed').length,
    waiting: roster.filter((r) => r.state === 'waitlisted').length,
  };
}

export async function pollPage(db: DB, slug: string, pollId: string, userId: string | null, now = new Date()) {
  const a = await clubAccess(db, { slug }, userId);
  if (a.status !== 'ok') return a;
  if (!a.canReadInside) return { status: 'forbidden' as const };
  const poll = await db.selectFrom('club_polls').selectAll().where('id', '=', pollId).where('club_id', '=', a.club.id).executeTakeFirst();
  if (!poll) return { status: 'missing' as const };
  const options = await pollOptions(db, poll.id);
  const ballots = await db
    .selectFrom('club_ballots')
    .select(sql<number>`count(*)`.as('n'))
    .where('poll_id', '=', poll.id)
    .executeTakeFirstOrThrow();
  const open = poll.status === 'open' && Date.parse(poll.closes_at) > now.getTime();
  const tally = poll.tally_json ? (JSON.parse(poll.tally_json) as IrvResult) : null;
  return {
    status: 'ok' as const,
    club: { slug: a.club.slug, name: a.club.name },
    access: { isMember: a.isMember, canModerate: a.canModerate },
    poll: { id: poll.id, question: poll.question, closesAt: poll.closes_at, open, winner: poll.winner_option_id },
    options: options.map((o) => ({ id: o.id, label: o.label, titleId: o.title_id })),
    ballots: toNumber(ballots.n),
    mine: userId ? await myBallot(db, userId, poll.id) : null,
    tally: poll.status === 'closed' ? tally : null,
  };
}

export async function directoryExtras(db: DB, userId: string | null) {
  if (!userId) return { mine: [], calendarToken: null };
  const mine = await myClubs(db, userId);
  return { mine, calendarToken: mine.length ? await calendarToken(db, userId) : null };
}

export async function readingPage(db: DB, userId: string, now = new Date()) {
  const [logs, days, pairs, challenges] = await Promise.all([
    myLogs(db, userId),
    streak(db, userId, now),
    db
      .selectFrom('club_pairs as p')
      .innerJoin('users as a', 'a.id', 'p.inviter_id')
      .innerJoin('users as b', 'b.id', 'p.invitee_id')
      .select([
        'p.inviter_id',
        'p.invitee_id',
        'a.display_name as a_name',
        'a.birth_year as a_birth',
        'b.display_name as b_name',
        'b.birth_year as b_birth',
      ])
      .where('p.status', '=', 'accepted')
      .where((eb) => eb.or([eb('p.inviter_id', '=', userId), eb('p.invitee_id', '=', userId)]))
      .execute(),
    db
      .selectFrom('reading_challenge_members as m')
      .innerJoin('reading_challenges as c', 'c.id', 'm.challenge_id')
      .select(['c.id', 'c.name', 'c.kind', 'c.starts_on', 'c.ends_on', 'm.completed_at'])
      .where('m.user_id', '=', userId)
      .orderBy('c.ends_on', 'desc')
      .execute(),
  ]);
  const partners = new Map<string, string>();
  for (const p of pairs) {
    if (p.inviter_id === userId) partners.set(p.invitee_id, displayNameFor(p.b_name, p.b_birth, now));
    else partners.set(p.inviter_id, displayNameFor(p.a_name, p.a_birth, now));
  }
  const progress = await Promise.all(challenges.map((c) => challengeProgress(db, userId, c.id, now)));
  // The schools whose reading-time page this person has: where they teach or organise, and their classes' schools.
  const schools = await db
    .selectFrom('units as u')
    .select(['u.slug', 'u.name'])
    .where('u.kind', '=', 'school')
    .where('u.valid_to', 'is', null)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('lib_shelf_members as m')
            .innerJoin('lib_shelves as s', 's.id', 'm.shelf_id')
            .innerJoin('unit_closure as c', 'c.descendant_id', 's.unit_id')
            .select('m.user_id')
            .where('m.user_id', '=', userId)
            .whereRef('c.ancestor_id', '=', 'u.id'),
        ),
        eb.exists(
          eb
            .selectFrom('role_grants as g')
            .select('g.id')
            .where('g.user_id', '=', userId)
            .where('g.role', 'in', ['teacher', 'organiser'])
            .whereRef('g.unit_id', '=', 'u.id'),
        ),
      ]),
    )
    .orderBy('u.name')
    .limit(10)
    .execute();
  return {
    schools,
    streak: days,
    band: generationBand(
      (await db.selectFrom('users').select('birth_year').where('id', '=', userId).executeTakeFirst())?.birth_year ?? null,
      now,
    ),
    partners: [...partners].map(([id, name]) => ({ id, name })),
    logs: logs.map((l) => ({
      id: l.id,
      mine: l.user_id === userId,
      readOn: l.read_on,
      minutes: l.minutes,
      source: l.source,
      what: l.title ?? l.outside_title,
      slug: l.slug,
      with: l.user_id === userId ? l.partner_name : l.logged_by,
    })),
    challenges: challenges.map((c, i) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      completed: !!c.completed_at,
      progress: progress[i],
    })),
  };
}

/** The units a person may start (or propose) a club in: where they teach, lend or organise, and their home unit. */
export async function clubUnitChoices(db: DB, userId: string) {
  const staff = await unitsWithAnyRole(db, userId, ['teacher', 'librarian', 'organiser'])
    .orderBy('u.depth')
    .orderBy('u.name')
    .limit(500)
    .execute();
  const home = await db
    .selectFrom('users as x')
    .innerJoin('units as u', 'u.id', 'x.home_unit_id')
    .select(['u.id', 'u.name', 'u.name_en', 'u.depth'])
    .where('x.id', '=', userId)
    .executeTakeFirst();
  const list = staff.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth }));
  if (home && !list.some((u) => u.id === home.id)) list.unshift(home);
  return list;
}
