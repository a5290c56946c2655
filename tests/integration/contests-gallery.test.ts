/**
 * The read-aloud gallery at scale (issue 15): the round's kept count of visible entries (triggers
 * of migration 2026-12-01T0350) equals a fresh count by `isPublic` through every kind of write;
 * pages come in code order with the viewer's own votes; the anonymous gallery lives in the page
 * cache, refreshed by entry, moderation and review writes, not by votes (their counts are as of
 * the render, which the page says); a judge's queue is paged, blind, with its progress.
 */
import type { AddressInfo } from 'node:net';

import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import type { ContestEntriesTable } from '~/db/schema/contest-entries';
import { addSubmissionRound, isPublic, moderateEntry, submitEntry } from '~/domain/contests/entries.server';
import { GALLERY_PAGE_SIZE, galleryPage } from '~/domain/contests/entries-pages.server';
import { addJudge, assignJudges, judgeQueue, QUEUE_PAGE_SIZE, saveScores, setRubric } from '~/domain/contests/jury.server';
import { castVote } from '~/domain/contests/votes.server';
import { galleryPageHeaders } from '~/lib/contests-http.server';
import { clearPageCache, pageCache } from '~/lib/page-cache.server';
import { pageDependencies } from '~/lib/page-cache-routes.server';

import { contestWorld } from '../helpers/contests';
import { dialects, freshDb } from '../helpers/db';
import { mediaFolder, tone } from '../helpers/media';

const DAY = 86_400_000;
const { file } = mediaFolder('contest-gallery', (f) => tone(f('three.webm'), 2.5));

it('keeps the anonymous gallery in the page cache under its round and contest', () => {
  expect(pageDependencies('/contests/giong-doc-hay/gallery/r1')).toEqual(['contests:giong-doc-hay', 'contest-gallery:r1', 'units']);
  expect(pageDependencies('/contests/giong-doc-hay/jury/r1')).toBeNull();
});

it('sends the gallery no-store only near the voting window’s opening or closing', () => {
  const now = Date.now();
  const round = (opens: number, closes: number) => ({
    voting: 1,
    vote_opens_at: new Date(now + opens).toISOString(),
    vote_closes_at: new Date(now + closes).toISOString(),
  });
  expect(galleryPageHeaders(round(-DAY, DAY), now)).toBeUndefined();
  expect(galleryPageHeaders(round(-DAY, 30_000), now)).toEqual({ 'Cache-Control': 'no-store' });
  expect(galleryPageHeaders(round(30_000, DAY), now)).toEqual({ 'Cache-Control': 'no-store' });
  expect(galleryPageHeaders({ voting: 0, vote_opens_at: null, vote_closes_at: null }, now)).toBeUndefined();
});

describe.each(dialects)('the read-aloud gallery and jury queue (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  let base = '';
  let close = () => undefined as void;

  beforeAll(async () => {
    // The page cache in front of the real page query (the anonymous view), as the server has it.
    const app = express();
    app.use(
      pageCache(async (request) => {
        const url = new URL(request.url);
        const m = /^\/contests\/([^/]+)\/gallery\/([^/]+)$/.exec(url.pathname);
        if (!m) return new Response('', { status: 404 });
        const p = await galleryPage(db, m[1]!, m[2]!, null, new Date(), Number(url.searchParams.get('page')) || 1);
        if (p.status !== 'ok') return new Response('', { status: 404 });
        const body = { total: p.total, entries: p.entries.map((e) => `${e.title}:${e.votes}`) };
        return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'text/html', ...galleryPageHeaders(p.round) } });
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => void server.close();
  });
  afterAll(() => close());
  beforeEach(async () => {
    clearPageCache();
    ({ db, cleanup } = await freshDb(dialect));
    w = await contestWorld(db, new Date(Date.now() - 30 * DAY));
  });
  afterEach(async () => cleanup());

  async function get(path: string) {
    const r = await fetch(`${base}${path}`);
    return { cache: r.headers.get('x-page-cache'), body: JSON.parse(await r.text()) as { total: number; entries: string[] } };
  }

  const round = (over: { previousRoundId?: string; voting?: boolean } = {}) => w.galleryRound(over);

  /** An entry written straight into the table (any file kind, age, moderation), as the bench and promotions write them. */
  const entry = (contestId: string, roundId: string, i: number, over: Partial<ContestEntriesTable> = {}) =>
    w.galleryEntry(contestId, roundId, i, { title: `Bài ${String(i).padStart(4, '0')}`, ...over });

  /** A citizen whose account is older than the voting window. */
  async function voterAccount(name: string) {
    const u = await w.user(name);
    await db
      .updateTable('users')
      .set({ created_at: new Date(Date.now() - 60 * DAY).toISOString() })
      .where('id', '=', u)
      .execute();
    return u;
  }

  /** The kept count of each round equals a fresh count of its entries by the one rule, `isPublic`. */
  async function expectKept(...roundIds: string[]) {
    for (const roundId of roundIds) {
      const rows = await db
        .selectFrom('contest_entries')
        .select(['moderation', 'minor', 'parental_consent', 'mime'])
        .where('round_id', '=', roundId)
        .execute();
      const fresh = rows.filter((e) => isPublic(e, { gallery: 1 })).length;
      const kept = await db
        .selectFrom('contest_submission_settings')
        .select('gallery_entries')
        .where('round_id', '=', roundId)
        .executeTakeFirstOrThrow();
      expect(Number(kept.gallery_entries), roundId).toBe(fresh);
    }
  }

  it('keeps each round’s count of visible entries equal to a fresh count through every kind of write', async () => {
    const { contest, roundId } = await round();
    const next = await addSubmissionRound(db, w.organiser, contest.id, {
      title: 'Vòng phường',
      opensAt: new Date(Date.now() + 2 * DAY).toISOString(),
      closesAt: new Date(Date.now() + 3 * DAY).toISOString(),
      entryKind: 'audio',
      passageTitle: 'x',
      passageText: 'x',
      minSeconds: 2,
      maxSeconds: 3,
      stageLevel: 'ward',
      advanceCount: 1,
      gallery: true,
      previousRoundId: roundId,
    });
    if (!next.ok) throw new Error(next.code);
    await expectKept(roundId, next.value);

    // submissions arrive pending: not visible; approving shows them
    const submitted: string[] = [];
    for (const name of ['Lan', 'Minh', 'Nga']) {
      const u = await w.entrant(contest.id, `Nguyễn ${name}`, w.schoolA.id);
      const s = await submitEntry(db, u, roundId, { title: `Bài của ${name}`, tempFile: file('three.webm') });
      if (!s.ok) throw new Error(s.code);
      submitted.push(s.value.entry.id);
    }
    await expectKept(roundId);
    for (const id of submitted) expect((await moderateEntry(db, w.organiser, id, 'approved', false)).ok).toBe(true);
    await expectKept(roundId);
    // a moderation hide
    expect((await moderateEntry(db, w.organiser, submitted[0]!, 'rejected', false)).ok).toBe(true);
    await expectKept(roundId);
    // a replacement file sends an approved entry back to moderation (out of the gallery)
    const owner = await db.selectFrom('contest_entries').select('user_id').where('id', '=', submitted[1]!).executeTakeFirstOrThrow();
    expect((await submitEntry(db, owner.user_id, roundId, { title: 'Bài mới', tempFile: file('three.webm') })).ok).toBe(true);
    await expectKept(roundId);

    // minors: a video only with consent, an essay (no file) always, as isPublic says
    const video = await entry(contest.id, roundId, 1, { minor: 1, mime: 'video/webm', parental_consent: 1 });
    await entry(contest.id, roundId, 2, { minor: 1, mime: 'image/jpeg', parental_consent: 0 });
    await entry(contest.id, roundId, 3, { minor: 1, mime: null, blob_key: null });
    await expectKept(roundId);
    await db.updateTable('contest_entries').set({ parental_consent: 0 }).where('id', '=', video.id).execute();
    await expectKept(roundId);
    await db.updateTable('contest_entries').set({ mime: 'audio/ogg' }).where('id', '=', video.id).execute();
    await expectKept(roundId);

    // withdrawals: an entry deleted, an entrant deleted (their entry goes by cascade)
    const gone = await entry(contest.id, roundId, 4);
    const leaving = await entry(contest.id, roundId, 5);
    await expectKept(roundId);
    await db.deleteFrom('contest_entries').where('id', '=', gone.id).execute();
    await db.deleteFrom('contest_entrants').where('id', '=', leaving.entrantId).execute();
    await expectKept(roundId);

    // stage changes: an approved copy promoted into the next stage, an entry moved between rounds
    const promoted = await entry(contest.id, next.value, 6, { promoted_from: submitted[2]! });
    await expectKept(roundId, next.value);
    await db.updateTable('contest_entries').set({ round_id: roundId }).where('id', '=', promoted.id).execute();
    await expectKept(roundId, next.value);
    await db.updateTable('contest_entries').set({ round_id: next.value, moderation: 'pending' }).where('id', '=', promoted.id).execute();
    await expectKept(roundId, next.value);

    // the page's total is the kept count
    const p = await galleryPage(db, contest.slug, roundId, null);
    if (p.status !== 'ok') throw new Error(p.status);
    expect(p.total).toBe(p.entries.length);
    expect(p.entries.map((e) => e.title).sort()).toEqual(['Bài 0001', 'Bài 0003', 'Bài của Nga']);
  });

  it('pages in code order with full pages, and shows a voter their own votes on the page', async () => {
    const { contest, roundId } = await round({ voting: true });
    const n = GALLERY_PAGE_SIZE + 5;
    const entries = [];
    for (let i = 0; i < n; i++) entries.push(await entry(contest.id, roundId, i));
    // a hidden one in the middle of the order does not leave a hole in a page
    await entry(contest.id, roundId, 9000, { code: 'G0010A', moderation: 'pending' });
    const voter = await voterAccount('Người bình chọn');
    const last = entries[n - 1]!;
    expect(await castVote(db, { userId: voter, entryId: last.id, ip: '10.0.0.1' })).toMatchObject({ ok: true });

    const p1 = await galleryPage(db, contest.slug, roundId, voter, new Date(), 1);
    const p2 = await galleryPage(db, contest.slug, roundId, voter, new Date(), 2);
    if (p1.status !== 'ok' || p2.status !== 'ok') throw new Error('page');
    expect([p1.total, p1.pages, p1.entries.length, p2.entries.length]).toEqual([n, 2, GALLERY_PAGE_SIZE, 5]);
    expect([...p1.entries, ...p2.entries].map((e) => e.title)).toEqual(
      Array.from({ length: n }, (_, i) => `Bài ${String(i).padStart(4, '0')}`),
    );
    expect(p2.entries.find((e) => e.id === last.id)).toMatchObject({ votes: 1, voted: true });
    expect(p2.entries.filter((e) => e.voted)).toHaveLength(1);
    expect(p1.entries.some((e) => e.voted)).toBe(false);
    // anonymous: the counts, no vote state; a page past the end shows the last one
    const anon = await galleryPage(db, contest.slug, roundId, null, new Date(), 99);
    if (anon.status !== 'ok') throw new Error(anon.status);
    expect(anon.page).toBe(2);
    expect(anon.entries.find((e) => e.id === last.id)).toMatchObject({ votes: 1, voted: false });
  });

  it('serves the anonymous gallery from the page cache; entries and moderation refresh it, votes show as of the render', async () => {
    const { contest, roundId } = await round({ voting: true });
    const a = await entry(contest.id, roundId, 1);
    const b = await entry(contest.id, roundId, 2, { moderation: 'pending', blob_key: 'stored-earlier' });
    const path = `/contests/${contest.slug}/gallery/${roundId}`;
    expect(await get(path)).toEqual({ cache: 'miss', body: { total: 1, entries: ['Bài 0001:0'] } });
    expect((await get(path)).cache).toBe('hit');

    // an entry approved: the next request renders it
    expect((await moderateEntry(db, w.organiser, b.id, 'approved', false)).ok).toBe(true);
    expect(await get(path)).toEqual({ cache: 'miss', body: { total: 2, entries: ['Bài 0001:0', 'Bài 0002:0'] } });

    // a vote bumps nothing: the kept page keeps the counts of its render (the page says as of when)…
    const voter = await voterAccount('Người bình chọn');
    expect(await castVote(db, { userId: voter, entryId: a.id, ip: '10.0.0.2' })).toMatchObject({ ok: true });
    expect(await get(path)).toEqual({ cache: 'hit', body: { total: 2, entries: ['Bài 0001:0', 'Bài 0002:0'] } });
    // …until the next write that changes the gallery (or the cache's TTL): then the count is exact
    expect((await moderateEntry(db, w.organiser, b.id, 'rejected', false)).ok).toBe(true);
    expect(await get(path)).toEqual({ cache: 'miss', body: { total: 1, entries: ['Bài 0001:1'] } });

    // the entrant retitles their entry: refreshed
    await db.updateTable('contest_entries').set({ moderation: 'approved' }).where('id', '=', b.id).execute();
    const s = await submitEntry(db, b.userId, roundId, { title: 'Bài đọc mới' });
    expect(s.ok).toBe(true);
    expect(await get(path)).toEqual({ cache: 'miss', body: { total: 2, entries: ['Bài 0001:1', 'Bài đọc mới:0'] } });
  });

  it('pages a judge’s queue, blind, with the progress of all their entries and the next one to score', async () => {
    const { contest, roundId } = await round();
    expect(
      await setRubric(db, w.organiser, roundId, [{ label: 'Phát âm', description: '', weight: 1, maxPoints: 10, levels: [] }]),
    ).toMatchObject({ ok: true });
    const n = QUEUE_PAGE_SIZE + 3;
    for (let i = 0; i < n; i++) await entry(contest.id, roundId, i);
    const judge = await w.user('Giám khảo');
    expect((await addJudge(db, w.organiser, roundId, { userId: judge, unitId: w.other.id })).ok).toBe(true);
    await db.updateTable('contest_submission_settings').set({ judges_per_entry: 1 }).where('round_id', '=', roundId).execute();
    expect(await assignJudges(db, w.organiser, roundId)).toMatchObject({ ok: true, value: { created: n } });
    const criterion = await db.selectFrom('contest_criteria').select('id').where('round_id', '=', roundId).executeTakeFirstOrThrow();

    const q1 = await judgeQueue(db, judge, roundId, 1);
    const q2 = await judgeQueue(db, judge, roundId, 2);
    if (!q1.ok || !q2.ok) throw new Error('queue');
    expect([q1.value.total, q1.value.scored, q1.value.pages, q1.value.items.length, q2.value.items.length]).toEqual([
      n,
      0,
      2,
      QUEUE_PAGE_SIZE,
      3,
    ]);
    const all = [...q1.value.items, ...q2.value.items];
    expect(new Set(all.map((i) => i.id)).size).toBe(n);
    expect(q1.value.next?.id).toBe(all[0]!.id);
    // blind: codes, never names or units
    const seen = JSON.stringify([q1.value, q2.value]);
    for (const leak of ['Thí sinh', 'Trường A', 'Trường B']) expect(seen).not.toContain(leak);

    // scoring the first entry: progress counts it, the next one to score moves on
    expect(await saveScores(db, judge, all[0]!.id, { [criterion.id]: 7 })).toMatchObject({ ok: true, value: { complete: true } });
    const after = await judgeQueue(db, judge, roundId, 1);
    if (!after.ok) throw new Error(after.code);
    expect(after.value.scored).toBe(1);
    expect(after.value.items[0]).toMatchObject({ id: all[0]!.id, status: 'scored' });
    expect(after.value.next?.id).toBe(all[1]!.id);
    // someone who is not a judge of the round: refused
    expect(await judgeQueue(db, w.organiser, roundId)).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
