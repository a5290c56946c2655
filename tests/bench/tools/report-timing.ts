/**
 * The Ministry's consolidated report and its XLSX export, in process, on a kept bench database
 * (`BENCH_KEEP=1 npm run bench -- reports`): wall time and this process's CPU time (user + system,
 * which other work on a shared machine inflates far less than wall time), per step.
 *
 *   node [--cpu-prof] --import tsx tests/bench/tools/report-timing.ts tests/.tmp/bench-…/app.sqlite [rounds]
 */
import { performance } from 'node:perf_hooks';

import { openDatabase } from '~/db/connection';
import { reportAccess } from '~/domain/reports/access.server';
import { completeness } from '~/domain/reports/completeness.server';
import { reportXlsx } from '~/domain/reports/exports.server';
import { formDefinition } from '~/domain/reports/forms.server';
import { rollup } from '~/domain/reports/reports.server';
import { reportView } from '~/domain/reports/view.server';

const LABELS = { unit: 'Đơn vị', own: 'tự thực hiện', total: 'Tổng cộng', yes: 'Có', no: 'Không' };

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const c = process.cpuUsage();
  const t = performance.now();
  const out = await f();
  const cpu = process.cpuUsage(c);
  console.log(`  ${label}: ${Math.round(performance.now() - t)} ms wall, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU`);
  return out;
}

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: report-timing.ts <bench app.sqlite> [rounds]');
  const rounds = Number(process.argv[3] ?? 2);
  const db = openDatabase(file);
  const root = await db.selectFrom('units').select('id').where('slug', '=', 'bo-gddt').executeTakeFirstOrThrow();
  const admin = await db
    .selectFrom('role_grants')
    .select('user_id')
    .where('unit_id', '=', root.id)
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  const forms = await db
    .selectFrom('report_forms')
    .select(['week_year', 'slug'])
    .where('slug', 'like', 'bench-%')
    .orderBy('week_year')
    .execute();
  for (const f of forms)
    for (let r = 0; r < rounds; r++) {
      console.log(`${f.week_year} ${f.slug}, round ${r + 1}:`);
      const a = await timed('access (the Week’s tree)', () => reportAccess(db, f.week_year, f.slug, root.id, admin.user_id));
      if (a.status !== 'ok') throw new Error(a.status);
      const def = await formDefinition(db, a.form);
      await timed('roll-up', () => rollup(db, a, def));
      await timed('completeness', () => completeness(db, a));
      await timed('the page (reportView)', () => reportView(db, a, 'vi'));
      await timed('XLSX (reportXlsx)', () => reportXlsx(db, a, 'vi', LABELS));
      // A province's page with its completeness, as its organiser sees it (the Week's tree as the server keeps it).
      const prov = await db.selectFrom('units').select('id').where('slug', '=', 'nat-p0').executeTakeFirst();
      const org = prov
        ? await db
            .selectFrom('role_grants')
            .select('user_id')
            .where('unit_id', '=', prov.id)
            .where('role', '=', 'organiser')
            .executeTakeFirst()
        : undefined;
      if (prov && org) {
        const pa = await reportAccess(db, f.week_year, f.slug, prov.id, org.user_id);
        if (pa.status === 'ok')
          for (let k = 0; k < 3; k++)
            await timed('a province’s page (reportView, tree kept)', () => reportView(db, { ...pa, tree: a.tree }, 'vi'));
      }
    }
  await db.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
