/**
 * Week reports (issue #16) at national scale: a generated two-tier hierarchy under its own
 * "ministry" (BENCH_REPORT_PROVINCES provinces, default 34; BENCH_REPORT_COMMUNES communes/wards
 * per province, default 97 → ~3,300; BENCH_REPORT_SCHOOLS schools, libraries and community learning
 * centres per commune, default 13 → ~43,000), the 2024 report form applying to provinces, wards and
 * schools, and every unit's report accepted with all its values (bulk inserts). Measures:
 *  - the Ministry's consolidated report: in-process rollup + XLSX export wall time (target < 2 s),
 *    and its page over HTTP;
 *  - a province's report page with its completeness (target ≥ 50 % of the floor's req/s).
 * Not generated here: the pre-2025 three-level tree for a past Week (the roll-up code follows
 * whichever tree `unit_tree_history` holds for the Week's first day; the history is the same query).
 */
import { performance } from 'node:perf_hooks';

import { report2024Spec } from '~/db/seed/reports';
import { reportAccess } from '~/domain/reports/access.server';
import { reportXlsx } from '~/domain/reports/exports.server';
import { defineForm, formDefinition } from '~/domain/reports/forms.server';
import { rollup } from '~/domain/reports/reports.server';
import { newId, nowIso } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';

import type { BenchContext } from './run';

const P = Number(process.env.BENCH_REPORT_PROVINCES ?? 34);
const C = Number(process.env.BENCH_REPORT_COMMUNES ?? 97);
const S = Number(process.env.BENCH_REPORT_SCHOOLS ?? 13);
const SCHOOL_KINDS = [
  'school',
  'school',
  'school',
  'school',
  'school',
  'school',
  'school',
  'school',
  'clc',
  'clc',
  'clc_library',
  'public_library',
  'school_library',
] as const;

async function chunked<T>(rows: T[], size: number, fn: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
}

export async function bench(ctx: BenchContext): Promise<void> {
  const { db } = ctx;
  const now = nowIso();
  const tag = newId(4);
  type Row = { id: string; parent: string | null; kind: string; slug: string; name: string; depth: number; ancestors: string[] };
  const units: Row[] = [];
  const root: Row = {
    id: newId(),
    parent: null,
    kind: 'ministry',
    slug: `bench-bo-${tag}`,
    name: 'Bộ GDĐT (bench)',
    depth: 0,
    ancestors: [],
  };
  units.push(root);
  const provinces: Row[] = [];
  for (let p = 0; p < P; p++) {
    const prov: Row = {
      id: newId(),
      parent: root.id,
      kind: 'province',
      slug: `bench-${tag}-p${p}`,
      name: `Tỉnh ${p}`,
      depth: 1,
      ancestors: [root.id],
    };
    units.push(prov);
    provinces.push(prov);
    for (let c = 0; c < C; c++) {
      const com: Row = {
        id: newId(),
        parent: prov.id,
        kind: 'ward',
        slug: `bench-${tag}-p${p}-c${c}`,
        name: `Phường ${p}.${c}`,
        depth: 2,
        ancestors: [root.id, prov.id],
      };
      units.push(com);
      for (let s = 0; s < S; s++)
        units.push({
          id: newId(),
          parent: com.id,
          kind: SCHOOL_KINDS[s % SCHOOL_KINDS.length]!,
          slug: `bench-${tag}-p${p}-c${c}-s${s}`,
          name: `Trường ${p}.${c}.${s}`,
          depth: 3,
          ancestors: [root.id, prov.id, com.id],
        });
    }
  }
  let t = performance.now();
  await chunked(units, 500, (part) =>
    db
      .insertInto('units')
      .values(
        part.map((u) => ({
          id: u.id,
          parent_id: u.parent,
          kind: u.kind as never,
          slug: u.slug,
          name: u.name,
          name_en: null,
          depth: u.depth,
          created_at: now,
          code: null,
          valid_from: null,
          valid_to: null,
        })),
      )
      .execute(),
  );
  const closure = units.flatMap((u) => [
    { ancestor_id: u.id, descendant_id: u.id, depth: 0 },
    ...u.ancestors.map((a, i) => ({ ancestor_id: a, descendant_id: u.id, depth: u.ancestors.length - i })),
  ]);
  await chunked(closure, 1000, (part) => db.insertInto('unit_closure').values(part).execute());
  await chunked(closure, 800, (part) =>
    db
      .insertInto('unit_tree_history')
      .values(part.map((r) => ({ ...r, valid_from: '0001-01-01', valid_to: null })))
      .execute(),
  );
  ctx.log(`reports: ${units.length} units generated in ${Math.round(performance.now() - t)} ms`);

  const admin = ctx.userIds[0]!;
  const provOrganiser = ctx.userIds[1]!;
  await db
    .insertInto('role_grants')
    .values({ id: newId(), user_id: admin, unit_id: root.id, role: 'admin', granted_by: null, created_at: now })
    .execute();
  await db
    .insertInto('role_grants')
    .values({ id: newId(), user_id: provOrganiser, unit_id: provinces[0]!.id, role: 'organiser', granted_by: null, created_at: now })
    .execute();
  const spec = { ...report2024Spec(root.id), slug: `bench-${tag}`, appliesTo: ['province', 'ward', 'school', 'clc'] as never };
  const form = unwrap(await defineForm(db, admin, spec));
  const def = await formDefinition(db, form);
  const reporting = units.filter((u) => (spec.appliesTo as string[]).includes(u.kind));
  t = performance.now();
  const reports = reporting.map((u) => ({
    id: newId(),
    form_id: form.id,
    unit_id: u.id,
    status: 'accepted' as const,
    version: 2,
    first_submitted_at: '2024-10-20T03:00:00.000Z',
    submitted_at: '2024-10-20T03:00:00.000Z',
    submitted_by: null,
    submitted_without_json: null,
    reviewed_at: '2024-10-21T03:00:00.000Z',
    reviewed_by: null,
    review_comment: null,
    updated_at: now,
    updated_by: null,
  }));
  await chunked(reports, 500, (part) => db.insertInto('report_reports').values(part).execute());
  const numeric = def.indicators.filter((i) => i.type !== 'text');
  const values = reports.flatMap((r, k) =>
    numeric.map((i) => ({
      report_id: r.id,
      indicator_id: i.id,
      num_value: i.type === 'bool' ? 1 : (k % 50) + 10,
      text_value: null,
      prefill_value: null,
    })),
  );
  await chunked(values, 1000, (part) => db.insertInto('report_values').values(part).execute());
  ctx.log(`reports: ${reports.length} reports, ${values.length} values inserted in ${Math.round(performance.now() - t)} ms`);

  // The Ministry's consolidated report and its XLSX, in process.
  const a = await reportAccess(db, 2024, form.slug, root.id, admin);
  if (a.status !== 'ok') throw new Error(`reports bench: no access (${a.status})`);
  t = performance.now();
  const sums = await rollup(db, a, def);
  const rollupMs = performance.now() - t;
  t = performance.now();
  const xlsx = await reportXlsx(db, a, 'vi', { unit: 'Đơn vị', own: 'tự thực hiện', total: 'Tổng cộng', yes: 'Có', no: 'Không' });
  const xlsxMs = performance.now() - t;
  ctx.log(
    `reports: Ministry roll-up ${Math.round(rollupMs)} ms (${sums.children.length} provinces), XLSX ${Math.round(xlsxMs)} ms (${xlsx.length} bytes) — target < 2000 ms each`,
  );

  const adminCookie = await ctx.cookieFor(admin);
  ctx.report(
    `GET Ministry consolidated report (${reports.length} reports)`,
    await ctx.autocannon({ path: `/weeks/2024/reports/${form.slug}/${root.slug}`, headers: { cookie: adminCookie }, connections: 4 }),
    'signed-in',
  );
  const provCookie = await ctx.cookieFor(provOrganiser);
  ctx.report(
    `GET province report + completeness (${C} communes)`,
    await ctx.autocannon({ path: `/weeks/2024/reports/${form.slug}/${provinces[0]!.slug}`, headers: { cookie: provCookie } }),
    'signed-in',
  );
}
