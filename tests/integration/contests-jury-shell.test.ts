/**
 * A judge's queue shared per variant with a personal region (issue 15 on the shared signed-in
 * renders of app/lib/page-shell.server.ts; app/components/contests/jury-queue.server.ts): the BUILT
 * app in this process behind Express, as server.ts mounts it, on each dialect. The round's judges
 * share one render of the page around their queue; each gets byte for byte the page rendered for
 * them alone (but for the CSP nonce), with exactly their own assigned entries (codes only: never an
 * entrant's name or unit), on every page of their queue; a score saved (through the entry's form
 * without JavaScript, or the domain) and a conflict declared show on the very next request; anyone
 * who is not a judge of the round gets their own 404, never a shared render.
 */

import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import {
  addJudge,
  assignJudges,
  declareEntryConflict,
  QUEUE_PAGE_SIZE,
  rubricOf,
  saveScores,
  setRubric,
} from '~/domain/contests/jury.server';
import { escapeHtmlText, shellStats } from '~/lib/page-shell.server';

import { loadBuiltApp, makeVisitors, rootUser, servedApp, type Visitor } from '../helpers/built-app';
import { contestWorld } from '../helpers/contests';
import { dialects } from '../helpers/db';
import { sessionCookie } from '../helpers/users';

const DAY = 86_400_000;
const built = loadBuiltApp();

const NAMES = {
  j1: 'Giám khảo <i>Một</i> & "Bình"',
  j2: 'Giám khảo Hai',
  jA: 'Giám khảo trường A',
  en: 'Judge Mary',
  outsider: 'Người ngoài',
} as const;
type Who = keyof typeof NAMES;
/** Enough entries for two pages of a judge's queue. */
const ENTRIES = QUEUE_PAGE_SIZE + 6;

describe.each(dialects)("a judge's queue shared per variant with a personal region (%s)", (dialect) => {
  let db: DB;
  let u = {} as Record<Who, Visitor>;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  let queue = '';
  let roundId = '';
  let criterion = '';
  const codeOf = new Map<string, string>();

  const site = servedApp(built, dialect, async (d) => {
    db = d;
    w = await contestWorld(db, new Date(Date.now() - 30 * DAY));
    u = await makeVisitors(db, NAMES, (k) => ({ locale: k === 'en' ? 'en' : 'vi' }));
    const r = await w.galleryRound({ closed: true });
    roundId = r.roundId;
    queue = `/contests/${r.contest.slug}/jury/${roundId}`;
    const rubric = await setRubric(db, w.organiser, roundId, [{ label: 'Phát âm', description: '', weight: 1, maxPoints: 10, levels: [] }]);
    expect(rubric.ok).toBe(true);
    criterion = (await rubricOf(db, roundId))[0]!.id;
    for (let i = 0; i < ENTRIES; i++) {
      const e = await w.galleryEntry(r.contest.id, roundId, i);
      codeOf.set(e.id, `G${String(i).padStart(4, '0')}`);
    }
    // Four judges, two entries each: jA (of school A) never gets a school A entry, so the others share them.
    for (const who of ['j1', 'j2', 'en'] as const) expect((await addJudge(db, w.organiser, roundId, { userId: u[who].id })).ok).toBe(true);
    expect((await addJudge(db, w.organiser, roundId, { userId: u.jA.id, unitId: w.schoolA.id })).ok).toBe(true);
    expect((await assignJudges(db, w.organiser, roundId)).ok).toBe(true);
  });

  const as = (who: Who, p = queue) => site.get(p, u[who].cookie);
  /** The judge's entries as the database has them (not declared a conflict), in the queue's order. */
  const assigned = async (who: Who) =>
    (
      await db
        .selectFrom('contest_assignments')
        .select(['entry_id', 'status'])
        .where('round_id', '=', roundId)
        .where('judge_id', '=', u[who].id)
        .where('status', '!=', 'conflict')
        .orderBy('entry_id')
        .execute()
    ).map((a) => ({ id: a.entry_id, scored: a.status === 'scored' }));
  /** The entries a page links to (their ids, in order) and each one's status text. */
  const listed = (html: string) =>
    [...html.matchAll(new RegExp(`<li><a data-discover="true" href="${queue}/([0-9a-z]+)">[^<]*</a> · ([^<]+)</li>`, 'g'))].map((m) => ({
      id: m[1]!,
      scored: m[2] === 'Đã chấm' || m[2] === 'Scored',
    }));
  async function expectSameAsFresh(p: string, cookie: string, label: string) {
    const r = await site.sharedAndFresh(p, cookie, label);
    expect(r.fresh.status, label).toBe(200);
    expect(r.differences).toEqual([]);
    return r.first.html;
  }

  it('the judges share one render, each with their own name and queue, byte for byte a fresh render', async () => {
    const before = shellStats().renders;
    const [one, two] = [await as('j1'), await as('j2')];
    expect([one.status, two.status, one.via, two.via]).toEqual([200, 200, 'shell', 'shell']);
    expect(shellStats().renders - before).toBe(1);
    expect(rootUser(one.html)).toEqual({ id: u.j1.id, displayName: NAMES.j1 });
    expect(rootUser(two.html)).toEqual({ id: u.j2.id, displayName: NAMES.j2 });
    expect(one.html).toContain(`>${escapeHtmlText(NAMES.j1)}</a>`);
    expect(two.html).not.toContain(escapeHtmlText(NAMES.j1));
    expect(two.html).not.toMatch(/Zq[0-9a-f]{18}/);
    for (const who of ['j1', 'j2', 'jA', 'en'] as const) {
      const mine = await assigned(who);
      expect(mine.length, who).toBeGreaterThan(0);
      const pages = Math.ceil(mine.length / QUEUE_PAGE_SIZE);
      const seen: Array<{ id: string; scored: boolean }> = [];
      for (let p = 1; p <= pages; p++) {
        const html = await expectSameAsFresh(p === 1 ? queue : `${queue}?page=${p}`, u[who].cookie, `${who} page ${p}`);
        seen.push(...listed(html));
        // Blind: no entrant's name or unit, no entry's title; codes only.
        expect(html).not.toContain('Thí sinh');
        expect(html).not.toContain('Bài đọc');
        expect(html).not.toContain('Trường A');
      }
      expect(seen, who).toEqual(mine);
      const first = (await as(who)).html;
      for (const e of mine.slice(0, QUEUE_PAGE_SIZE)) expect(first).toContain(codeOf.get(e.id)!);
    }
    // jA (school A) never gets an entry of school A (even entries: school A).
    const schoolA = new Set([...codeOf].filter(([, code]) => Number(code.slice(1)) % 2 === 0).map(([id]) => id));
    expect((await assigned('jA')).some((e) => schoolA.has(e.id))).toBe(false);
    for (const [p, cookie, label] of [
      [`${queue}?page=99`, u.j1.cookie, 'a page past the end'],
      [`${queue}?page=abc`, u.j1.cookie, 'a page that is no number'],
      [queue, `${u.j2.cookie}; lang=en; textsize=large`, 'English by cookie, large text'],
      [queue, u.en.cookie, 'an English-speaking account'],
    ] as const)
      await expectSameAsFresh(p, cookie, label);
  });

  it('a score saved shows on the next request: through the form without JavaScript, and through the domain', async () => {
    const [first, second] = await assigned('j1');
    expect(first!.scored).toBe(false);
    const before = await as('j1');
    expect(before.html).toContain(`Đã chấm 0/${(await assigned('j1')).length} bài`);
    // The entry's form, no JavaScript: a redirect back to the queue with the flash.
    const res = await fetch(`${site.base}${queue}/${first!.id}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: u.j1.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'score', [`c_${criterion}`]: '7' }).toString(),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(queue);
    const next = await as('j1');
    expect(next.via).toBe('shell');
    expect(listed(next.html)[0]).toEqual({ id: first!.id, scored: true });
    expect(next.html).toContain(`Đã chấm 1/${(await assigned('j1')).length} bài`);
    // The next entry to score moved on.
    expect(next.html).toContain(`href="${queue}/${second!.id}">Chấm bài tiếp theo: ${codeOf.get(second!.id)}</a>`);
    await expectSameAsFresh(queue, u.j1.cookie, 'after a score through the form');
    // Through the domain (another tab): the same; and nobody else's queue shows it as theirs.
    expect(await saveScores(db, u.j1.id, second!.id, { [criterion]: 4 })).toMatchObject({ ok: true });
    const after = await as('j1');
    expect(listed(after.html).slice(0, 2)).toEqual([
      { id: first!.id, scored: true },
      { id: second!.id, scored: true },
    ]);
    await expectSameAsFresh(queue, u.j1.cookie, 'after a score through the domain');
    for (const who of ['j2', 'jA', 'en'] as const) {
      const html = (await as(who)).html;
      expect(listed(html).filter((e) => e.scored)).toEqual([]);
      await expectSameAsFresh(queue, u[who].cookie, `${who} after j1's scores`);
    }
  });

  it('a conflict declared takes the entry out of the queue on the next request', async () => {
    const mine = await assigned('j2');
    const gone = mine.find((e) => !e.scored)!;
    expect(listed((await as('j2')).html).map((e) => e.id)).toContain(gone.id);
    expect(await declareEntryConflict(db, u.j2.id, gone.id, 'Cháu tôi')).toMatchObject({ ok: true });
    const html = await expectSameAsFresh(queue, u.j2.cookie, 'after a conflict');
    expect(listed(html).map((e) => e.id)).not.toContain(gone.id);
    expect(html).toContain(`Đã chấm 0/${mine.length - 1} bài`);
  });

  it('renders anyone who is not a judge of the round for them alone: a 404, never a shared render', async () => {
    const organiser = await sessionCookie(db, w.organiser);
    for (const [cookie, label] of [
      [u.outsider.cookie, 'a signed-in outsider'],
      [organiser, 'the organiser (not a judge)'],
    ] as const) {
      const r = await site.get(queue, cookie);
      expect([r.status, r.via], label).toEqual([404, null]);
      expect(r.html).not.toMatch(/G00\d\d/);
    }
    const missing = await as('j1', `${queue.slice(0, queue.lastIndexOf('/'))}/no-such-round`);
    expect([missing.status, missing.via]).toEqual([404, null]);
    // The contest taken back to a draft: hidden from its judges (not its organisers) as before.
    const contestId = (await db.selectFrom('contest_rounds').select('contest_id').where('id', '=', roundId).executeTakeFirstOrThrow())
      .contest_id;
    await db.updateTable('contests').set({ status: 'draft' }).where('id', '=', contestId).execute();
    try {
      const hidden = await as('j1');
      expect([hidden.status, hidden.via]).toEqual([404, null]);
    } finally {
      await db.updateTable('contests').set({ status: 'published' }).where('id', '=', contestId).execute();
    }
    // Anonymous visitors are sent to sign in.
    const anon = await fetch(`${site.base}${queue}`, { redirect: 'manual' });
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toMatch(/^\/login\?/);
    // A script's data request is the loader's, for the judge alone.
    const data = await fetch(`${site.base}${queue}?_data=${encodeURIComponent('routes/contests.$slug.jury.$roundId._index')}`, {
      headers: { Cookie: u.j1.cookie },
    });
    expect(data.headers.get('x-page-cache')).toBe(null);
    const json = (await data.json()) as { queue: { items: Array<{ id: string }>; scored: number } };
    expect(json.queue.items.map((i) => i.id)).toEqual((await assigned('j1')).slice(0, QUEUE_PAGE_SIZE).map((e) => e.id));
    expect(json.queue.scored).toBe(2);
  });
});
