/**
 * Weeks content sync and migrations on real databases: loading content/weeks/*.md twice gives
 * the same rows, an edited file refreshes its Week, and a Week taken over in the UI is left alone.
 */
import fs from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';
import { migrations } from '~/db/migrations/index';
import { getWeek, listWeeks, parseWeekFile, readWeekFiles, syncWeeksFromContent, updateWeek } from '~/domain/weeks.server';

import { dialects, freshDb } from '../helpers/db';

const files = readWeekFiles();

describe.each(dialects)('foundation Weeks and migrations on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('every migration is applied, and running them again changes nothing', async () => {
    const applied = await db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    expect((applied as Array<{ name: string }>).map((r) => r.name).sort()).toEqual(Object.keys(migrations).sort());
    await migrateToLatest(db);
    const again = await db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    expect(again).toHaveLength(Object.keys(migrations).length);
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    for (const t of [
      'users',
      'sessions',
      'password_reset_tokens',
      'units',
      'unit_closure',
      'role_grants',
      'weeks',
      'plans',
      'plan_activities',
    ]) {
      expect(tables).toContain(t);
    }
  });

  it('the content files include the 2024 Week', () => {
    const w2024 = files.find((w) => w.year === 2024);
    expect(w2024?.theme_vi).toBe('Phát triển văn hóa đọc thúc đẩy học tập suốt đời');
    expect(w2024?.starts_on).toBe('2024-10-01');
    expect(w2024?.ends_on).toBe('2024-10-07');
  });

  it('syncing twice gives the same rows (idempotent)', async () => {
    expect(await syncWeeksFromContent(db, files)).toBe(files.length);
    const first = await listWeeks(db);
    expect(first.map((w) => w.year).sort()).toEqual(files.map((w) => w.year).sort());
    expect(await syncWeeksFromContent(db, readWeekFiles())).toBe(0);
    expect(await listWeeks(db)).toEqual(first);
  });

  it('an edited content file refreshes its Week', async () => {
    const w2022 = files.find((w) => w.year === 2022)!;
    const text = fs.readFileSync('content/weeks/2022.md', 'utf8');
    const edited = parseWeekFile(text.replace(/^theme_en: .*$/m, 'theme_en: "An edited theme"'), '2022.md');
    expect(edited.content_hash).not.toBe(w2022.content_hash);
    expect(await syncWeeksFromContent(db, [edited])).toBe(1);
    expect((await getWeek(db, 2022))?.theme_en).toBe('An edited theme');
    expect(await syncWeeksFromContent(db, [w2022])).toBe(1);
    expect((await getWeek(db, 2022))?.theme_en).toBe(w2022.theme_en);
  });

  it("a Week edited in the UI (origin 'ui') is untouched by later syncs", async () => {
    const w = (await getWeek(db, 2024))!;
    const { year, origin: _origin, content_hash: _hash, updated_at: _updated, ...rest } = w;
    await updateWeek(db, year, { ...rest, theme_vi: 'Chủ đề do quản trị sửa' });
    const edited = await getWeek(db, 2024);
    expect(edited?.origin).toBe('ui');
    // Even a changed file does not overwrite it.
    const text = fs.readFileSync('content/weeks/2024.md', 'utf8');
    const changed = parseWeekFile(`${text}\n\nMột đoạn thêm.`, '2024.md');
    expect(await syncWeeksFromContent(db, [...files.filter((f) => f.year !== 2024), changed])).toBe(0);
    expect(await getWeek(db, 2024)).toEqual(edited);
    expect(edited?.theme_vi).toBe('Chủ đề do quản trị sửa');
  });

  it('a content file missing a required field is rejected with its name', () => {
    expect(() => parseWeekFile('---\nyear: 2030\ntheme_vi: "x"\n---\nbody', '2030.md')).toThrow(/2030\.md: theme_en is missing/);
  });
});
