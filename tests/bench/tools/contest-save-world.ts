/**
 * The scratch contest the answer-save tools measure on (issue #14; contest-save-ab.ts,
 * contest-save-http.ts, contest-save-loop.ts): a published contest, a 12-question round open now and `entrants`
 * registered entrants, each with a started attempt and a session, and the autosave form a save posts.
 */
import type { DB } from '~/db/connection';
import { startAttempt } from '~/domain/contests/attempts.server';
import { addRound } from '~/domain/contests/contests.server';

import { contestWorld } from '../../helpers/contests';
import { sessionCookie } from '../../helpers/users';

export interface SaveWorld {
  slug: string;
  roundId: string;
  people: Array<{ cookie: string; attemptId: string; ids: string[] }>;
}

export async function seedSaveWorld(db: DB, entrants: number): Promise<SaveWorld> {
  const w = await contestWorld(db);
  const contestId = (await w.contest({ slug: `save-${Date.now()}` })).id;
  await w.bank(contestId, ['a', 'b'], 4);
  const round = await addRound(db, w.organiser, contestId, {
    title: 'Tuần 1',
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    timeLimitS: 3000,
    quota: (['easy', 'medium', 'hard'] as const).map((difficulty) => ({ topic: null, difficulty, count: 4 })),
  });
  if (!round.ok) throw new Error(round.code);
  const slug = (await db.selectFrom('contests').select('slug').where('id', '=', contestId).executeTakeFirstOrThrow()).slug;
  await db.updateTable('contests').set({ status: 'published' }).where('id', '=', contestId).execute();
  const people: SaveWorld['people'] = [];
  for (let i = 0; i < entrants; i++) {
    const u = await w.entrant(contestId, `Thí sinh ${i}`, (i % 2 ? w.schoolA : w.schoolB).id);
    const s = await startAttempt(db, round.value, u);
    if (!s.ok) throw new Error(s.code);
    const a = await db
      .selectFrom('contest_attempts')
      .select('question_ids_json')
      .where('id', '=', s.value.attemptId)
      .executeTakeFirstOrThrow();
    people.push({
      cookie: await sessionCookie(db, u),
      attemptId: s.value.attemptId,
      ids: JSON.parse(a.question_ids_json),
    });
  }
  return { slug, roundId: round.value, people };
}

/**
 * The autosave form of save number `j`: 4 answers (one third of the attempt's 12 questions, in
 * turn), the option changing between saves so that every save writes.
 */
export function saveForm(world: SaveWorld, j: number): { person: SaveWorld['people'][number]; body: URLSearchParams } {
  const person = world.people[j % world.people.length]!;
  const k = Math.floor(j / world.people.length) % 3;
  const body = new URLSearchParams({ attemptId: person.attemptId });
  for (const q of person.ids.slice(k * 4, k * 4 + 4)) {
    body.append(`present.${q}`, '1');
    body.append(`q.${q}`, String.fromCharCode(97 + (j % 2)));
  }
  return { person, body };
}
