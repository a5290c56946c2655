/**
 * Week reports (issue #16) at national scale, on the national hierarchy shared with the stats bench
 * (`tools/national-tree.ts`: 63 provinces → ~700 districts → ~10,400 communes until 01/07/2025,
 * 34 provinces → ~3,300 communes and wards since, ~45,000 schools, libraries and community learning
 * centres under both; BENCH_NAT_WARDS / BENCH_NAT_SCHOOLS shrink it), under the Ministry.
 * Two forms owned by the Ministry and applying to every level, each following its own Week's tree:
 *  - the 2024 report (the pre-2025 three-level tree: province → district → commune → schools);
 *  - the 2025 report (the two-tier tree: province → commune/ward → schools);
 * and every reporting unit's report of both accepted, with all its values (bulk inserts).
 * Measures, for each form:
 *  - the Ministry's consolidated report: in process, the page's domain work (access with the
 *    Week's tree, roll-up, completeness) and the XLSX export, wall time (target < 2 s each); then
 *    over HTTP, the page and the XLSX download, sequential requests (median of 3);
 *  - a province's report page with its completeness (target ≥ 50 % of the floor's req/s).
 */
import { performance } from 'node:perf_hooks';

import { writeTransaction } from '~/db/dialect';
import { report2024Spec } from '~/db/seed/reports';
import { reportAccess } from '~/domain/reports/access.server';
import { reportXlsx } from '~/domain/reports/exports.server';
import { defineForm, expectedBelow, formDefinition, formTree, type ReportForm } from '~/domain/reports/forms.server';
import { rebuildRollups } from '~/domain/reports/rollups.server';
import { reportView } from '~/domain/reports/view.server';
import { newId, nowIso } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';

import type { BenchContext } from './run';
import { bulkInsert, nationalTree } from './tools/national-tree';

const ALL_LEVELS = ['province', 'district', 'ward', 'school', 'clc', 'public_library', 'school_library', 'clc_library'] as const;
const LABELS = { unit: 'Đơn vị', own: 'tự thực hiện', total: 'Tổng cộng', yes: 'Có', no: 'Không' };

/** Median wall time of `n` sequential GETs (all must answer 200). */
async function timedGets(url: string, cookie: string, n = 3): Promise<{ medianMs: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers: { cookie } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`reports bench: ${url} answered ${res.status}`);
    times.push(performance.now() - t);
    bytes = body.length;
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(n / 2)]!, bytes };
}

async function seedForm(ctx: BenchContext, admin: string, year: number, rootId: string): Promise<{ form: ReportForm; reports: number }> {
  const { db } = ctx;
  const tag = newId(4);
  const base = report2024Spec(rootId);
  const spec = {
    ...base,
    year,
    slug: `bench-${year}-${tag}`,
    appliesTo: [...ALL_LEVELS],
    deadline: `${year}-10-30`,
    lockDate: `${year + 3}-12-31`,
  };
  const form = unwrap(await defineForm(db, admin, spec));
  const def = await formDefinition(db, form);
  const tree = await formTree(db, form);
  const t = performance.now();
  const now = nowIso();
  const reports = [...tree.expected].map((unitId) => ({
    id: newId(),
    form_id: form.id,
    unit_id: unitId,
    status: 'accepted' as const,
    version: 2,
    first_submitted_at: `${year}-10-20T03:00:00.000Z`,
    submitted_at: `${year}-10-20T03:00:00.000Z`,
    submitted_by: null,
    submitted_without_json: null,
    reviewed_at: `${year}-10-21T03:00:00.000Z`,
    reviewed_by: null,
    review_comment: null,
    updated_at: now,
    updated_by: null,
    form_version: form.version,
  }));
  await bulkInsert(db, 'report_reports', reports, 15);
  const values = reports.flatMap((r, k) =>
    def.indicators.map((i) => ({
      report_id: r.id,
      indicator_id: i.id,
      num_value: i.type === 'text' ? null : i.type === 'bool' ? 1 : (k % 50) + 10,
      text_value: i.type === 'text' ? 'Đã tổ chức theo kế hoạch.' : null,
      prefill_value: i.source && i.type !== 'text' ? (k % 50) + 10 : null,
    })),
  );
  await bulkInsert(db, 'report_values', values, 5);
  ctx.log(
    `reports ${year}: ${tree.units.size} units in the ${year} tree, ${reports.length} reports (all accepted) and ${values.length} values inserted in ${Math.round(performance.now() - t)} ms`,
  );
  // Written in bulk, not through saveReport/reviewReport: the kept roll-ups are built once, as the
  // first write after a reorganisation would (rollups.server.ts).
  const tr = performance.now();
  await writeTransaction(db, (trx) => rebuildRollups(trx, form, tree));
  ctx.log(`reports ${year}: roll-ups built from the reports in ${Math.round(performance.now() - tr)} ms`);
  return { form, reports: reports.length };
}

export async function bench(ctx: BenchContext): Promise<void> {
  const { db } = ctx;
  const nat = await nationalTree(ctx);
  const now = nowIso();
  const [admin, organiser] = [ctx.userIds[0]!, ctx.userIds[1]!];
  await db
    .insertInto('role_grants')
    .values([
      { id: newId(), user_id: admin, unit_id: nat.rootId, role: 'admin', granted_by: null, created_at: now },
      // A province's organiser (today's grant also covers the old units dissolved into it).
      { id: newId(), user_id: organiser, unit_id: nat.provinces[0]!.id, role: 'organiser', granted_by: null, created_at: now },
    ])
    .onConflict((oc) => oc.doNothing())
    .execute();
  const adminCookie = await ctx.cookieFor(admin);
  const provCookie = await ctx.cookieFor(organiser);

  for (const year of [2024, 2025]) {
    const { form, reports } = await seedForm(ctx, admin, year, nat.rootId);
    // The Ministry's consolidated report, in process: what the page's loader and the export do.
    let t = performance.now();
    const a = await reportAccess(db, year, form.slug, nat.rootId, admin);
    if (a.status !== 'ok') throw new Error(`reports bench: no access (${a.status})`);
    const accessMs = performance.now() - t;
    t = performance.now();
    const view = await reportView(db, a, 'vi');
    const viewMs = performance.now() - t;
    t = performance.now();
    const a2 = await reportAccess(db, year, form.slug, nat.rootId, admin);
    if (a2.status !== 'ok') throw new Error('reports bench: no access');
    const xlsx = await reportXlsx(db, a2, 'vi', LABELS);
    const xlsxMs = performance.now() - t;
    const c = view.completeness!;
    const verdict = (ms: number) => (ms < 2000 ? 'met' : 'MISSED');
    ctx.log(
      `reports ${year}: Ministry consolidated report in process — access with the Week's tree ${Math.round(accessMs)} ms + page ${Math.round(viewMs)} ms = ${Math.round(accessMs + viewMs)} ms (${verdict(accessMs + viewMs)} < 2000; ${view.children.length} units report to the Ministry, completeness ${c.accepted}/${c.expected}); XLSX with access ${Math.round(xlsxMs)} ms (${verdict(xlsxMs)} < 2000; ${xlsx.length} bytes)`,
    );
    const pagePath = `/weeks/${year}/reports/${form.slug}/bo-gddt`;
    try {
      const page = await timedGets(`${ctx.baseUrl}${pagePath}`, adminCookie);
      const x = await timedGets(`${ctx.baseUrl}${pagePath}/export?format=xlsx`, adminCookie);
      ctx.log(
        `reports ${year}: over HTTP (sequential, median of 3): Ministry page ${Math.round(page.medianMs)} ms (${verdict(page.medianMs)} < 2000, ${Math.round(page.bytes / 1024)} KB), XLSX ${Math.round(x.medianMs)} ms (${verdict(x.medianMs)} < 2000, ${Math.round(x.bytes / 1024)} KB)`,
      );
    } catch (e) {
      ctx.log(
        `reports ${year}: the Ministry page over HTTP failed: ${e instanceof Error ? `${e.message} ${String(e.cause ?? '')}` : String(e)}`,
      );
    }
    // A province's page with its completeness: the first new province (2025: its communes/wards and
    // schools), or the first old province (2024: its districts, communes and schools).
    const prov = year === 2024 ? nat.oldProvinces[0]! : nat.provinces[0]!;
    const tree = a.tree;
    const below = expectedBelow(tree, prov.id).length;
    ctx.report(
      `GET ${year} report of a province + completeness (${below} units below)`,
      await ctx.autocannon({ path: `/weeks/${year}/reports/${form.slug}/${prov.slug}`, headers: { cookie: provCookie } }),
      'signed-in',
    );
    // Last: at national scale a slow page can keep the server busy past the bench's drain.
    ctx.report(
      `GET Ministry consolidated report ${year} (${reports} reports), 1 connection`,
      await ctx.autocannon({ path: pagePath, headers: { cookie: adminCookie }, connections: 1 }),
      'other',
    );
  }
}
