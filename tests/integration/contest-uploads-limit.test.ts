/**
 * The rate limit on starting contest entry uploads (issue #15), on both dialects, over real HTTP
 * for the tus endpoint and through the submit route's action for the plain form: each start spends
 * a point of the account's budget and of the address's budget before anything is created or
 * written; once either is spent the answer is a 429 whose code the page shows as a translated
 * message with the seconds to wait, and nothing is created (no upload row, no bytes, no entry).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { getT } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import { createSessionCookie } from '~/lib/auth.server';
import { consumeUploadStart, LIMITS } from '~/lib/rate-limit.server';
import { createTusUploads, TUS_PATH, TUS_ROUTE, type TusUploads } from '~/lib/uploads/tus.server';

import { myEntry } from '../../app/domain/contests/entries.server';
import { action as submitAction } from '../../app/routes/contests.$slug.rounds.$roundId.submit';
import { contestWorld } from '../helpers/contests';
import { dialects, freshDb } from '../helpers/db';
import { mediaFolder, tone } from '../helpers/media';

const { dir: media, file } = mediaFolder('contest-uploads-limit', (file) => {
  tone(file('a.webm'), 3);
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe.each(dialects)('upload start limits on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  const servers: Array<ReturnType<ReturnType<typeof express>['listen']>> = [];

  beforeEach(async () => {
    const f = await freshDb(dialect);
    db = f.db;
    cleanup = f.cleanup;
    w = await contestWorld(db);
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
    await cleanup();
  });

  async function listen(tus: TusUploads) {
    const app = express();
    app.all(TUS_ROUTE, tus.handler);
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((r) => server.once('listening', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function round() {
    const contest = await w.contest();
    return { contest, roundId: await w.openAudioRound(contest.id) };
  }

  const cookieOf = async (userId: string) => (await createSessionCookie(userId, db)).split(';')[0]!;

  const create = (base: string, cookie: string, roundId: string, size = 1000) =>
    fetch(`${base}${TUS_PATH}`, {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(size),
        'Upload-Metadata': `roundId ${b64(roundId)},filename ${b64('bai-doc.webm')}`,
        Origin: base,
        Cookie: cookie,
      },
    });

  const uploadsOf = (userId: string) => db.selectFrom('contest_uploads').select('id').where('user_id', '=', userId).execute();

  it('refuses a tus creation once the account has spent its starts, with a translated 429, and creates nothing', async () => {
    const dir = path.join(media, `tus-acct-${dialect}-${Date.now()}`);
    const base = await listen(createTusUploads({ db: () => db, directory: dir }));
    const { contest, roundId } = await round();
    const an = await w.entrant(contest.id, 'Nguyễn Văn An', w.schoolA.id);
    const me = await cookieOf(an);
    // the shared figure: LIMITS.uploadStartAccount.points starts per account in its window
    for (let i = 0; i < LIMITS.uploadStartAccount.points; i++) expect((await create(base, me, roundId)).status).toBe(201);
    const files = fs.readdirSync(dir).length;
    const refused = await create(base, me, roundId);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { code: string; params: { seconds: number } };
    expect(body.code).toBe('rate_limited');
    expect(body.params.seconds).toBeGreaterThan(0);
    expect(body.params.seconds).toBeLessThanOrEqual(LIMITS.uploadStartAccount.duration);
    // nothing new: the last accepted upload is still the one in progress, no new bytes on disk
    expect(await uploadsOf(an)).toHaveLength(1);
    expect(fs.readdirSync(dir).length).toBe(files);
    // what the entrant reads, in both languages
    expect(getT('vi')('contests.upload.errors.rate_limited', body.params)).toBe(
      `Bạn đã bắt đầu tải lên quá nhiều lần. Vui lòng thử lại sau ${body.params.seconds} giây.`,
    );
    expect(getT('en')('contests.upload.errors.rate_limited', body.params)).toContain(`${body.params.seconds} seconds`);
    // another entrant (behind the same address, whose budget has room) is not affected by An's
    const binh = await w.entrant(contest.id, 'Trần Thị Bình', w.schoolA.id);
    expect((await create(base, await cookieOf(binh), roundId)).status).toBe(201);
  });

  it('counts every account behind one address against the address budget', async () => {
    const dir = path.join(media, `tus-ip-${dialect}-${Date.now()}`);
    const base = await listen(createTusUploads({ db: () => db, directory: dir, limits: { perAccount: 3, perIp: 5 } }));
    const { contest, roundId } = await round();
    const an = await cookieOf(await w.entrant(contest.id, 'Nguyễn Văn An', w.schoolA.id));
    const binhId = await w.entrant(contest.id, 'Trần Thị Bình', w.schoolA.id);
    const binh = await cookieOf(binhId);
    expect((await create(base, an, roundId)).status).toBe(201);
    expect((await create(base, an, roundId)).status).toBe(201);
    expect((await create(base, an, roundId)).status).toBe(201);
    // An's own budget (3) is spent
    expect((await create(base, an, roundId)).status).toBe(429);
    // Bình has a budget of their own, but the school's one address has 5 starts in all: 3 + 1 refused + 1
    expect((await create(base, binh, roundId)).status).toBe(201);
    const refused = await create(base, binh, roundId);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(await uploadsOf(binhId)).toHaveLength(1);
  });

  it('refuses a plain form carrying a file once the budget is spent, before storing it, and keeps what was typed', async () => {
    const { contest, roundId } = await round();
    const an = await w.entrant(contest.id, 'Nguyễn Văn An', w.schoolA.id);
    // the address the route sees without a proxy header
    for (let i = 0; i < LIMITS.uploadStartAccount.points; i++) expect((await consumeUploadStart(an, '0.0.0.0', db)).ok).toBe(true);
    (globalThis as unknown as { __appDb?: DB }).__appDb = db;
    const post = async () => {
      const form = new FormData();
      form.set('title', 'Bài đọc của An');
      form.set('file', new File([fs.readFileSync(file('a.webm'))], 'bai-doc.webm', { type: 'audio/webm' }));
      const request = new Request(`http://localhost/contests/${contest.slug}/rounds/${roundId}/submit`, {
        method: 'POST',
        headers: { Cookie: await cookieOf(an), Origin: 'http://localhost' },
        body: form,
      });
      const r = (await submitAction({ request, params: { slug: contest.slug, roundId }, context: {} })) as Response;
      return r;
    };
    const res = await post();
    expect(res.status).toBe(429);
    const body = (await res.json()) as { errors: { file: string }; values: { title: string }; params: { seconds: number } };
    expect(body.errors.file).toBe('contests.upload.errors.rate_limited');
    expect(body.values.title).toBe('Bài đọc của An');
    expect(getT('vi')(asKey(body.errors.file), body.params)).toMatch(
      /^Bạn đã bắt đầu tải lên quá nhiều lần\. Vui lòng thử lại sau \d+ giây\.$/,
    );
    expect(await myEntry(db, roundId, an)).toBeUndefined();
    // a fresh window (the counters expire): the same form is accepted
    await db.deleteFrom('rate_limits').execute();
    const ok = await post();
    expect(ok.status).toBe(302);
    expect((await myEntry(db, roundId, an))!.title).toBe('Bài đọc của An');
  });
});
