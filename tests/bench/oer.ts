/**
 * Open resources at scale: 100,000 published resources (bulk inserts in transactions, indexed
 * for search through the search module's bulk upsert), then
 *  - search latency p50/p95/p99 over 1,000 mixed Vietnamese queries (accented, unaccented,
 *    prefixes, common and rare words, some with filters), calling the search module directly,
 *    wall time and this process's CPU time (the machine is often shared: CPU time shows the cost
 *    of a query apart from waiting for a core), first on the index as bulk-loaded, then after
 *    optimizeSearchIndex (what a bulk reindex runs);
 *  - the resource page, /resources and /search over HTTP with autocannon.
 * Target: search p95 < 15 ms.
 */
import { performance } from 'node:perf_hooks';

import type { Insertable } from 'kysely';
import { sql } from 'kysely';

import { writeTransaction } from '~/db/dialect';
import type { ResourcesTable } from '~/db/schema/oer';
import { LICENCES, RESOURCE_KINDS, RESOURCE_LEVELS, SUBJECTS } from '~/db/schema/oer';
import { foldVi } from '~/domain/search/fold';
import { indexDocuments, type IndexInput, optimizeSearchIndex, search, type SearchFilters } from '~/domain/search/index.server';
import { newId } from '~/lib/ids.server';

import type { BenchContext } from './run';

const N = 100_000;
const CHUNK = 2_000;

// Common words first: the generator picks with a Zipf-like skew, so the head words are in a large
// share of the documents and the tail words (and the numbered rare ones) in very few.
const WORDS = (
  'học tập suốt đời đọc sách văn hóa số kỹ năng bài giảng điện tử thư viện cộng đồng người dân giáo viên học sinh trường ' +
  'phường xã tỉnh huyện chuyển đổi kỷ nguyên tự học công dân toàn cầu internet an toàn thông tin mạng xã hội khoa học ' +
  'lịch sử địa lý toán tiếng anh việt nam nghệ thuật âm nhạc hội họa sức khỏe gia đình ông bà cha mẹ trẻ em người cao tuổi ' +
  'câu lạc bộ liên thế hệ tủ sách lớp học truyện cổ tích thơ ca dân gian phát triển thúc đẩy xây dựng năng lực đổi mới ' +
  'sáng tạo khởi nghiệp nông nghiệp trồng chè nuôi cá môi trường biển đảo rừng núi đường làng phố thị sông hồ ' +
  'điện thoại máy tính phần mềm mô phỏng thí nghiệm vật lý hóa sinh học phân số hình học đại số ngữ pháp chính tả ' +
  'hướng dẫn cẩm nang giáo trình tài liệu bản tin tạp chí báo tường phát thanh truyền hình trực tuyến ngoại tuyến ' +
  'phòng chống đuối nước tai nạn giao thông lừa đảo tin giả mật khẩu bảo mật quyền riêng tư đạo đức pháp luật ' +
  'dương cầm đàn bầu quan họ chèo tuồng cải lương múa rối nước đình chùa di tích bảo tàng lễ hội ẩm thực phở bánh chưng'
).split(' ');
const RARE = Array.from({ length: 400 }, (_, i) => `hiếm${i.toString(36)}`);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function bench(ctx: BenchContext): Promise<void> {
  const { db } = ctx;
  const rand = rng(20241001);
  const zipf = () => WORDS[Math.min(WORDS.length - 1, Math.floor(WORDS.length * rand() ** 2.2))]!;
  const phrase = (n: number) => Array.from({ length: n }, zipf).join(' ');
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;

  const schools = (await db.selectFrom('units').select('id').where('kind', 'in', ['school', 'university']).limit(200).execute()).map(
    (u) => u.id,
  );
  const anyUnits = schools.length ? schools : (await db.selectFrom('units').select('id').limit(200).execute()).map((u) => u.id);
  const author = ctx.userIds[0]!;
  const t0 = performance.now();
  const sampleIds: string[] = [];
  const titles: string[] = [];
  for (let start = 0; start < N; start += CHUNK) {
    const resources: Insertable<ResourcesTable>[] = [];
    const years: Array<{ resource_id: string; year: number }> = [];
    const docs: IndexInput[] = [];
    for (let i = start; i < Math.min(N, start + CHUNK); i++) {
      const id = newId();
      const kind = pick(RESOURCE_KINDS);
      const title = `${phrase(3 + Math.floor(rand() * 5))}${rand() < 0.02 ? ` ${pick(RARE)}` : ''}`;
      const summary = `${phrase(12 + Math.floor(rand() * 20))}${rand() < 0.02 ? ` ${pick(RARE)}` : ''}`;
      const at = new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString();
      const year = 2020 + (i % 5);
      const r = {
        id,
        unit_id: pick(anyUnits),
        author_id: author,
        kind,
        status: 'published' as const,
        title: title.charAt(0).toUpperCase() + title.slice(1),
        summary,
        authors: 'Nhóm biên soạn',
        subject: pick(SUBJECTS),
        level: pick(RESOURCE_LEVELS),
        language: 'vi',
        licence: pick(LICENCES),
        rights_holder: null,
        duration_seconds: kind === 'video' ? 600 : null,
        page_count: null,
        body_md: '',
        media_key: null,
        media_type: null,
        media_size: null,
        media_name: null,
        captions_key: null,
        thumbnail_key: null,
        hls_url: null,
        external_url: `https://example.org/r/${i}`,
        chapters: '',
        review_comment: null,
        reviewed_by: null,
        reviewed_at: null,
        version: 1,
        views: 0,
        published_at: at,
        created_at: at,
        updated_at: at,
      };
      resources.push(r);
      years.push({ resource_id: id, year });
      docs.push({
        source: 'resource',
        id,
        kind,
        title: r.title,
        body: `${summary}\nNhóm biên soạn`,
        url: `/resources/${id}`,
        subject: r.subject,
        level: r.level,
        licence: r.licence,
        unitId: r.unit_id,
        years: [year],
        language: 'vi',
        publishedAt: at,
      });
      if (i % 997 === 0) sampleIds.push(id);
      if (i % 211 === 0) titles.push(r.title);
    }
    await writeTransaction(db, async (trx) => {
      for (let k = 0; k < resources.length; k += 500)
        await trx
          .insertInto('resources')
          .values(resources.slice(k, k + 500))
          .execute();
      for (let k = 0; k < years.length; k += 1000)
        await trx
          .insertInto('resource_years')
          .values(years.slice(k, k + 1000))
          .execute();
      await indexDocuments(trx, docs);
    });
  }
  ctx.log(`oer: ${N.toLocaleString('en')} resources inserted and indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // 1,000 queries: accented and unaccented phrases, last-word prefixes, common single words, rare words, filters.
  const queries: Array<{ q: string; f: SearchFilters; kind: string }> = [];
  for (let i = 0; i < 1000; i++) {
    const m = i % 8;
    const p = phrase(1 + Math.floor(rand() * 3));
    if (m === 0) queries.push({ q: p, f: {}, kind: 'accented' });
    else if (m === 1) queries.push({ q: foldVi(p), f: {}, kind: 'unaccented' });
    else if (m === 2) {
      const w = foldVi(phrase(2));
      queries.push({ q: w.slice(0, Math.max(2, w.length - 2)), f: {}, kind: 'prefix' });
    } else if (m === 3) queries.push({ q: pick(WORDS.slice(0, 12)), f: {}, kind: 'common' });
    else if (m === 4) queries.push({ q: foldVi(pick(RARE)), f: {}, kind: 'rare' });
    else if (m === 5) queries.push({ q: foldVi(pick(titles)), f: {}, kind: 'title' });
    else if (m === 6) queries.push({ q: foldVi(p), f: { kind: pick(RESOURCE_KINDS), year: 2020 + (i % 5) }, kind: 'filtered' });
    else
      queries.push({
        q: pick(['hoc tap suot doi', 'duong', 'đường', 'van hoa doc', 'ky nang so', 'thu vien', 'bai giang dien tu', 'cong dan so']),
        f: {},
        kind: 'typical',
      });
  }
  // Fair warm-up, the same for every run: the WAL folded into the database (as in steady
  // state), every page of the index and of the documents read once (the OS cache; SQLite's own
  // cache is 2 MB), then 50 queries for the JIT. Not the measured queries themselves twice.
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  await sql`select count(*), sum(length(block)) from search_fts_data`.execute(db);
  await sql`select count(*), sum(length(title) + length(body) + length(title_fold) + length(body_fold) + length(facets)) from search_docs`.execute(
    db,
  );
  for (const q of queries.slice(0, 50)) await search(db, q.q, q.f);
  const pct = (a: number[], p: number) => {
    const s = [...a].sort((x, y) => x - y);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  };
  const fmt = (a: number[]) =>
    `p50 ${pct(a, 50).toFixed(2)} ms, p95 ${pct(a, 95).toFixed(2)} ms, p99 ${pct(a, 99).toFixed(2)} ms, max ${Math.max(...a).toFixed(1)} ms`;
  const run = async (label: string) => {
    const all: number[] = [];
    const cpuAll: number[] = [];
    const byKind = new Map<string, { wall: number[]; cpu: number[] }>();
    let empty = 0;
    for (const q of queries) {
      const c = process.cpuUsage();
      const s = performance.now();
      const r = await search(db, q.q, q.f, { limit: 20 });
      const ms = performance.now() - s;
      const cu = process.cpuUsage(c);
      const cpu = (cu.user + cu.system) / 1000;
      if (r.total === 0) empty++;
      all.push(ms);
      cpuAll.push(cpu);
      const k = byKind.get(q.kind) ?? byKind.set(q.kind, { wall: [], cpu: [] }).get(q.kind)!;
      k.wall.push(ms);
      k.cpu.push(cpu);
    }
    const [l1, l5] = (await import('node:os')).loadavg();
    ctx.log(
      `oer: search ${label}, ${N.toLocaleString('en')} docs, ${queries.length} queries (${empty} with no hit), load ${l1!.toFixed(1)}/${l5!.toFixed(1)}: ${fmt(all)} — target p95 < 15 ms: ${pct(all, 95) < 15 ? 'met' : 'NOT met'}`,
    );
    ctx.log(`oer:   CPU time ${fmt(cpuAll)}`);
    for (const [k, a] of byKind)
      ctx.log(
        `oer:   ${k.padEnd(10)} n=${a.wall.length}: ${fmt(a.wall)} | CPU p50 ${pct(a.cpu, 50).toFixed(2)} p95 ${pct(a.cpu, 95).toFixed(2)} p99 ${pct(a.cpu, 99).toFixed(2)}`,
      );
    const mean = all.reduce((x, y) => x + y, 0) / all.length;
    ctx.report(`search() ${label}, 1,000 queries / 100k docs`, {
      reqPerSec: 1000 / mean,
      p50: Math.round(pct(all, 50) * 100) / 100,
      p99: Math.round(pct(all, 99) * 100) / 100,
      non2xx: 0,
      errors: 0,
      bytesPerReq: 0,
    });
  };
  await run('as bulk-loaded');
  const o0 = performance.now();
  await optimizeSearchIndex(db);
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  await sql`select count(*), sum(length(block)) from search_fts_data`.execute(db);
  ctx.log(`oer: optimizeSearchIndex ${((performance.now() - o0) / 1000).toFixed(1)} s`);
  await run('after optimize');

  const page = `/resources/${sampleIds[Math.floor(sampleIds.length / 2)]}`;
  ctx.report('GET /resources/:id (100k resources)', await ctx.autocannon({ path: page, duration: 8, warmup: 1 }));
  ctx.report('GET /resources (100k)', await ctx.autocannon({ path: '/resources', duration: 5, warmup: 1 }));
  ctx.report('GET /search?q=hoc+tap+suot+doi (100k)', await ctx.autocannon({ path: '/search?q=hoc+tap+suot+doi', duration: 5, warmup: 1 }));
}
