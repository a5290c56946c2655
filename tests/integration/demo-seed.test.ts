import fs from 'node:fs';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { seedAccounts } from '~/db/seed/accounts';
import { recheckFfmpeg } from '~/db/seed/demo-media';
import { seedOer } from '~/db/seed/oer';
import { seedPlans } from '~/db/seed/plans';
import { seedUnits } from '~/db/seed/units';

import { syncWeeksFromContent } from '../../app/domain/weeks.server';
import { resetEnvCache } from '../../app/lib/env.server';
import { newId } from '../../app/lib/ids.server';
import { localPath, setStorageRoot } from '../../app/lib/storage/index.server';
import { dialects, freshDb, TMP_DIR } from '../helpers/db';

const OLD_STREAM = 'https://test-streams.mux.dev/x36xhzz/x36xhzz.m3u8';

async function seed(db: DB) {
  await syncWeeksFromContent(db);
  const units = await seedUnits(db);
  const users = await seedAccounts(db, units);
  await seedPlans(db, units, users.get('admin@demo.hoctap.vn')!);
  await seedOer(db, units, users);
}

/** Runs `fn` with ffmpeg out of reach (PATH emptied), as on a machine without it. */
async function withoutFfmpeg<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  recheckFfmpeg();
  try {
    return await fn();
  } finally {
    process.env.PATH = saved;
    recheckFfmpeg();
  }
}

const videos = (db: DB) =>
  db
    .selectFrom('resources')
    .select(['id', 'title', 'media_key', 'hls_url', 'captions_key', 'duration_seconds'])
    .where('kind', '=', 'video')
    .orderBy('title')
    .execute();

describe.each(dialects)('demo seed: offline e-lectures and the content’s own dates (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  const dir = path.join(TMP_DIR, `demo-seed-${newId(6)}`);
  beforeAll(() => {
    process.env.DATA_DIR = dir;
    resetEnvCache();
    setStorageRoot(path.join(dir, 'oer'));
  });
  afterAll(() => {
    setStorageRoot(null);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => ({ db, cleanup } = await freshDb(dialect)));
  afterEach(async () => cleanup());

  it('without ffmpeg every demo e-lecture plays a local video with captions, none streams from the internet', async () => {
    await withoutFfmpeg(() => seed(db));
    const v = await videos(db);
    expect(v.length).toBeGreaterThanOrEqual(4);
    for (const r of v) {
      expect(r.hls_url, r.title).toBeNull();
      expect(r.media_key, r.title).not.toBeNull();
      expect(fs.statSync(localPath(r.media_key!)).size).toBe(fs.statSync('content/media/bai-giang-mau.webm').size);
      expect(fs.readFileSync(localPath(r.captions_key!), 'utf8')).toMatch(/^WEBVTT/);
      expect(r.duration_seconds).toBe(10);
    }
  });

  it('shows the 2024 ward plan and the 2020–2024 resources with their own dates, not the day of loading', async () => {
    await withoutFfmpeg(() => seed(db));
    const plan = await db
      .selectFrom('plans as p')
      .innerJoin('units as u', 'u.id', 'p.unit_id')
      .select(['p.published_at'])
      .where('u.slug', '=', 'bien-giang')
      .where('p.week_year', '=', 2024)
      .executeTakeFirstOrThrow();
    expect(plan.published_at?.slice(0, 10)).toBe('2024-09-24');
    const rows = await db
      .selectFrom('resources as r')
      .innerJoin('resource_years as y', 'y.resource_id', 'r.id')
      .select(['r.title', 'r.published_at', (eb) => eb.fn.min('y.year').as('first')])
      .groupBy(['r.id', 'r.title', 'r.published_at'])
      .execute();
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(r.published_at?.slice(0, 4), r.title).toBe(String(r.first));
    // The search index carries the same dates.
    const doc = await db
      .selectFrom('search_docs')
      .select('published_at')
      .where('title', '=', 'Chuyển đổi số thúc đẩy học tập suốt đời')
      .executeTakeFirstOrThrow();
    expect(doc.published_at?.slice(0, 4)).toBe('2020');
  });

  it('upgrades a database seeded before: e-lectures on the external test stream get a local video, matched by key not title, no duplicates', async () => {
    await withoutFfmpeg(() => seed(db));
    const before = await db
      .selectFrom('resources')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    // As an old database: three lectures on the test stream, no bookkeeping rows.
    const old = (await videos(db)).slice(0, 3);
    for (const r of old)
      await db.updateTable('resources').set({ media_key: null, media_type: null, hls_url: OLD_STREAM }).where('id', '=', r.id).execute();
    await db.deleteFrom('demo_seeds').execute();
    await withoutFfmpeg(() => seed(db));
    const after = await videos(db);
    expect(after.every((r) => r.media_key && !r.hls_url)).toBe(true);
    expect(
      await db
        .selectFrom('resources')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
    // Renaming a lecture does not make the seed add it again: it is known by its key now.
    await db.updateTable('resources').set({ title: 'Bài giảng đã đổi tên' }).where('id', '=', old[0]!.id).execute();
    await withoutFfmpeg(() => seed(db));
    expect(
      await db
        .selectFrom('resources')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
  });

  it.runIf(dialect === 'sqlite')(
    'gives each lecture its own generated video once ffmpeg is installed, leaving replaced videos alone',
    async () => {
      await withoutFfmpeg(() => seed(db));
      const first = await videos(db);
      // A teacher replaced one lecture's video: the seed must not touch it.
      const own = first[0]!;
      await db.updateTable('resources').set({ media_key: 'ab0000000000.webm' }).where('id', '=', own.id).execute();
      recheckFfmpeg();
      await seed(db); // ffmpeg is on this machine
      const second = await videos(db);
      for (const r of second) {
        if (r.id === own.id) expect(r.media_key).toBe('ab0000000000.webm');
        else {
          expect(r.media_key).not.toBe(first.find((f) => f.id === r.id)!.media_key);
          const size = fs.statSync(localPath(r.media_key!)).size;
          expect(size).toBeGreaterThan(5_000);
          expect(fs.readFileSync(localPath(r.media_key!)).subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])); // WebM/EBML
        }
      }
    },
    240_000, // four real ffmpeg encodes on a loaded machine
  );
});
