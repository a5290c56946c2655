/**
 * The digital library at scale: 10,000 titles held by the demo libraries (a tenth open access,
 * the rest 1–5 licensed copies) and 50,000 loans (47,000 returned over the past year, 3,000
 * active), then
 *  - borrow + return throughput measured by DIRECT DOMAIN CALLS (borrow() then returnLoan(), each
 *    a locked write transaction on the scratch SQLite DB while the server runs), sequential and
 *    with 8 concurrent callers, with per-call latency p50/p99;
 *  - the title page (GET /library/<slug>, signed in, for a title with loans and a queue), the
 *    catalogue and the OPDS "new titles" feed over HTTP with autocannon.
 */
import { performance } from 'node:perf_hooks';

import { borrow, returnLoan } from '~/domain/library/circulation.server';
import { newId } from '~/lib/ids.server';

import type { BenchContext } from './run';

const TITLES = 10_000;
const LOANS = 50_000;
const ACTIVE = 3_000;
const CHUNK = 500;
const DAY = 86_400_000;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS =
  'học tập suốt đời đọc sách văn hóa số kỹ năng truyện cổ tích thơ ca dân gian lịch sử địa lý khoa học gia đình ông bà trẻ em cộng đồng thư viện làng phố sông núi'.split(
    ' ',
  );

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function insertChunks(ctx: BenchContext, table: string, rows: unknown[]) {
  for (let i = 0; i < rows.length; i += CHUNK)
    await ctx.db
      .insertInto(table as never)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
}

export async function bench(ctx: BenchContext): Promise<void> {
  const rand = rng(2024);
  const libraries = ['thu-vien-ha-noi', 'thu-vien-tthtcd-bien-giang', 'thu-vien-thcs-bien-giang']
    .map((s) => ctx.units.get(s))
    .filter((x): x is string => !!x);
  if (libraries.length === 0) throw new Error('demo libraries missing from the bench units');
  const now = Date.now();
  const t0 = performance.now();

  const titles: Array<Record<string, unknown>> = [];
  const holdings: Array<{ id: string; title_id: string; library_id: string; open_access: number; copies: number; created_at: string }> = [];
  for (let i = 0; i < TITLES; i++) {
    const id = newId();
    const words = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => WORDS[Math.floor(rand() * WORDS.length)]);
    const created = new Date(now - Math.floor(rand() * 365) * DAY).toISOString();
    titles.push({
      id,
      slug: `bench-${i}`,
      title: `${words.join(' ')} ${i}`,
      author: `Tác giả ${i % 997}`,
      language: 'vi',
      description: `Sách thử tải số ${i}: ${words.join(', ')}.`,
      subjects: words.slice(0, 2).join(','),
      audience: 'all',
      theme_year: 2020 + (i % 5),
      publisher: null,
      published_year: 2000 + (i % 25),
      file_path: `library/epubs/bench-${i}.epub`,
      file_size: 100_000,
      origin: 'upload',
      created_by: null,
      created_at: created,
      updated_at: created,
    });
    const open = i % 10 === 0;
    holdings.push({
      id: newId(),
      title_id: id,
      library_id: libraries[i % libraries.length]!,
      open_access: open ? 1 : 0,
      copies: open ? 0 : 1 + (i % 5),
      created_at: created,
    });
  }
  await insertChunks(ctx, 'lib_titles', titles);
  await insertChunks(ctx, 'lib_holdings', holdings);

  const lendable = holdings.filter((h) => !h.open_access);
  const loans: Array<Record<string, unknown>> = [];
  // Active loans: distinct readers, at most one per copy, never over the 5-loan limit.
  const activeUse = new Map<string, number>();
  for (let i = 0; i < ACTIVE; i++) {
    const h = lendable[i % lendable.length]!;
    if ((activeUse.get(h.id) ?? 0) >= h.copies) continue;
    activeUse.set(h.id, (activeUse.get(h.id) ?? 0) + 1);
    const borrowed = now - Math.floor(rand() * 10) * DAY;
    loans.push({
      id: newId(),
      holding_id: h.id,
      title_id: h.title_id,
      library_id: h.library_id,
      user_id: ctx.userIds[i % ctx.userIds.length],
      status: 'active',
      borrowed_at: new Date(borrowed).toISOString(),
      due_at: new Date(borrowed + 14 * DAY).toISOString(),
      renewals: 0,
      returned_at: null,
    });
  }
  while (loans.length < LOANS) {
    const h = lendable[Math.floor(rand() * lendable.length)]!;
    const borrowed = now - (15 + Math.floor(rand() * 350)) * DAY;
    loans.push({
      id: newId(),
      holding_id: h.id,
      title_id: h.title_id,
      library_id: h.library_id,
      user_id: ctx.userIds[Math.floor(rand() * ctx.userIds.length)],
      status: 'returned',
      borrowed_at: new Date(borrowed).toISOString(),
      due_at: new Date(borrowed + 14 * DAY).toISOString(),
      renewals: 0,
      returned_at: new Date(borrowed + 7 * DAY).toISOString(),
    });
  }
  await insertChunks(ctx, 'lib_loans', loans);
  ctx.log(
    `library: ${TITLES} titles, ${holdings.length} holdings, ${loans.length} loans seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // ---- borrow + return, direct domain calls ----
  // Readers far from the ones holding active loans; titles with 5 copies and no active loan.
  const free = lendable.filter((h) => h.copies === 5 && !activeUse.has(h.id));
  const readers = ctx.userIds.slice(ctx.userIds.length - 2_000);
  const cycle = async (k: number, lat: number[]) => {
    const h = free[k % free.length]!;
    const user = readers[k % readers.length]!;
    const a = performance.now();
    const b = await borrow(ctx.db, user, h.id);
    const m = performance.now();
    if (!b.ok) throw new Error(`borrow failed: ${b.code}`);
    if (!(await returnLoan(ctx.db, user, b.value.loanId))) throw new Error('return failed');
    lat.push(m - a, performance.now() - m);
  };
  for (const [label, workers] of [
    ['sequential', 1],
    ['8 concurrent callers', 8],
  ] as const) {
    const lat: number[] = [];
    let k = workers === 1 ? 0 : 100_000;
    const end = performance.now() + 5_000;
    const start = performance.now();
    let ops = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (performance.now() < end) {
          await cycle(k++, lat);
          ops += 2;
        }
      }),
    );
    const secs = (performance.now() - start) / 1000;
    ctx.report(`library borrow+return, domain calls, ${label} (ops/s; latency per call)`, {
      reqPerSec: ops / secs,
      p50: Math.round(pct(lat, 50) * 10) / 10,
      p99: Math.round(pct(lat, 99) * 10) / 10,
      non2xx: 0,
      errors: 0,
      bytesPerReq: 0,
    });
  }

  // ---- pages over HTTP ----
  const busy = lendable.find((h) => h.copies === 1 && activeUse.has(h.id))!;
  const slug = titles.find((t) => t.id === busy.title_id)!.slug as string;
  const cookie = await ctx.cookieFor(ctx.userIds[0]!);
  ctx.report(
    `GET /library/${slug} (title page, signed in, 10k titles / 50k loans)`,
    await ctx.autocannon({ path: `/library/${slug}`, headers: { cookie } }),
  );
  ctx.report('GET /library (catalogue, 10k titles)', await ctx.autocannon('/library'));
  ctx.report('GET /opds/new (OPDS acquisition feed, 25 entries)', await ctx.autocannon('/opds/new'));
}
