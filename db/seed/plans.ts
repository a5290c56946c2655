import fs from 'node:fs';
import path from 'node:path';

import matter from 'gray-matter';

import { addActivity, ensurePlan, getActivities, savePurpose, setPlanStatus } from '../../app/domain/plans.server';
import type { DB } from '../connection';
import { ACTIVITY_KINDS, type ActivityKind } from '../schema';

/**
 * Demo unit plans from content/plans/<year>/<unit-slug>.md: front matter `activities:` (title,
 * kind, starts_at, ends_at, place, online_url, audience), Markdown body = the purpose. A plan
 * that already has activities is left alone, so organisers' edits survive restarts.
 */
export async function seedPlans(db: DB, units: Map<string, string>, authorId: string, dir = path.resolve('content/plans')): Promise<void> {
  if (!fs.existsSync(dir)) return;
  for (const yearDir of fs.readdirSync(dir).filter((d) => /^\d{4}$/.test(d))) {
    const year = Number(yearDir);
    const week = await db.selectFrom('weeks').select('year').where('year', '=', year).executeTakeFirst();
    if (!week) continue;
    for (const file of fs.readdirSync(path.join(dir, yearDir)).filter((f) => f.endsWith('.md'))) {
      const unitId = units.get(file.replace(/\.md$/, ''));
      if (!unitId) continue;
      const { data, content } = matter(fs.readFileSync(path.join(dir, yearDir, file), 'utf8'));
      const plan = await ensurePlan(db, unitId, year, authorId);
      // The plan's own publication date (front matter `published_on`), not the day the demo was loaded.
      const publishedAt = data.published_on ? new Date(`${String(data.published_on)}T08:00:00+07:00`).toISOString() : null;
      if ((await getActivities(db, plan.id)).length) {
        // Seeded before plans carried their date: fix it while nobody has touched the plan since.
        if (publishedAt && plan.status === 'published' && plan.published_at === plan.updated_at && plan.published_at !== publishedAt)
          await db.updateTable('plans').set({ published_at: publishedAt, updated_at: publishedAt }).where('id', '=', plan.id).execute();
        continue;
      }
      await savePurpose(db, plan.id, content.trim());
      for (const a of (data.activities ?? []) as Array<Record<string, unknown>>) {
        const kind = String(a.kind) as ActivityKind;
        if (!ACTIVITY_KINDS.includes(kind)) throw new Error(`${file}: unknown activity kind ${kind}`);
        await addActivity(db, plan.id, {
          title: String(a.title),
          kind,
          startsAt: new Date(a.starts_at as string).toISOString(),
          endsAt: new Date(a.ends_at as string).toISOString(),
          place: String(a.place),
          onlineUrl: a.online_url ? String(a.online_url) : null,
          audience: String(a.audience ?? ''),
        });
      }
      if (data.status !== 'draft') {
        await setPlanStatus(db, plan.id, 'published');
        if (publishedAt)
          await db.updateTable('plans').set({ published_at: publishedAt, updated_at: publishedAt }).where('id', '=', plan.id).execute();
      }
    }
  }
}
